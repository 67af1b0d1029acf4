"""Extraction: one subpackage per table (documents, partners, dates, figures, commitments, questions) over shared
mechanisms (`base`: sentences and the document context; `numbers`, `numbered`, `prefilter`).

`clean_to_facts` (in `recipe`) is the entry point.
"""

from pipeline.extract.base import (
    DocContext,
    fold_umlauts,
    is_after_leader,
    page_leader,
    text_to_sentences,
    token_ending_at,
)
from pipeline.extract.numbered import text_to_markers, text_to_numbered_items
from pipeline.extract.numbers import digits_to_value, phrase_to_value, value_to_text, word_to_value
from pipeline.extract.prefilter import Prefiltered, TextLiterals, may_match, parse_literals, required_literals
from pipeline.extract.recipe import PARTS, Basis, clean_to_facts, context_to_basis, part_to_rows, rows_to_facts

__all__ = [
    "PARTS",
    "Basis",
    "DocContext",
    "Prefiltered",
    "TextLiterals",
    "clean_to_facts",
    "context_to_basis",
    "part_to_rows",
    "rows_to_facts",
    "digits_to_value",
    "fold_umlauts",
    "is_after_leader",
    "may_match",
    "page_leader",
    "parse_literals",
    "phrase_to_value",
    "required_literals",
    "text_to_markers",
    "text_to_numbered_items",
    "text_to_sentences",
    "token_ending_at",
    "value_to_text",
    "word_to_value",
]
