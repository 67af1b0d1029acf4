"""Tools around the tables: `score` (precision/recall/F1 against gold tables) and `query` (SQL on the database).
"""

from pipeline.tools.query import add_query_parser, query_command
from pipeline.tools.score import TABLES, Score, format_scores, score_by_document, score_dirs

__all__ = [
    "Score",
    "score_by_document",
    "TABLES",
    "add_query_parser",
    "format_scores",
    "query_command",
    "score_dirs",
]
