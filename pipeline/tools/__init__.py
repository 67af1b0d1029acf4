"""Tools around the tables: `score` (precision/recall/F1 against gold tables) and `query` (SQL on the database).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.lazy import lazy_names
from pipeline.tools.query import add_query_parser, query_command

if TYPE_CHECKING:
    from pipeline.tools.score import TABLES, Score, format_scores, score_by_document, score_dirs

# The scorer (rapidfuzz, the table reader) is imported when first asked for: the command line of every command
# registers `query` without paying for it.
_LAZY = {"score": ("TABLES", "Score", "format_scores", "score_by_document", "score_dirs")}

__getattr__ = lazy_names(__name__, _LAZY)


__all__ = [
    "Score",
    "score_by_document",
    "TABLES",
    "add_query_parser",
    "format_scores",
    "query_command",
    "score_dirs",
]
