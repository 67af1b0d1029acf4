"""The documents table: type, title, date and the Landtag metadata of each document (`headlines` reads its head).
"""

from pipeline.extract.documents.extract import (
    anfrage_fields,
    cue_score,
    extract_document,
    ministry_from_answering,
    text_to_doc_type,
)
from pipeline.extract.documents.headlines import first_heading, is_label_line, letter_title, period_at, stated_date

__all__ = [
    "anfrage_fields",
    "cue_score",
    "extract_document",
    "first_heading",
    "is_label_line",
    "letter_title",
    "ministry_from_answering",
    "period_at",
    "stated_date",
    "text_to_doc_type",
]
