"""Table rows: one record per row of a table; a row type declares the table's columns by its field order.

`TABLE_ROWS` is the table registry: table name → row type, in the order the tables are written.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.records.base import JsonRecord


@dataclass(frozen=True)
class DocumentRow(JsonRecord):
    """A row of `documents`: what a document is (type, title, dates, numbers) and how its text was read."""

    doc_id: str
    source_file: str = ""
    sha256: str = ""
    doc_type: str = "other"
    title: str = ""
    date: str = ""
    wahlperiode: str = ""
    drucksache: str = ""
    anfrage_nr: str = ""
    anfrage_drucksache: str = ""
    anfrage_date: str = ""
    answer_date: str = ""
    questioners: str = ""
    party: str = ""
    ministry: str = ""
    pages: str = ""
    text_source: str = ""
    text_quality: str = ""
    ocr_confidence: str = ""
    period_start: str = ""
    period_end: str = ""
    repairs: str = ""
    text_notes: str = ""


@dataclass(frozen=True)
class PartnerRow(JsonRecord):
    """A row of `partners`: a partner organisation named in a document, with its signing date if any."""

    doc_id: str
    partner: str
    mention: str
    partner_type: str
    date: str
    evidence: str
    char_start: int
    char_end: int
    page: int | None
    evidence_start: int
    evidence_end: int


@dataclass(frozen=True)
class DateRow(JsonRecord):
    """A row of `dates`: a date (or period) stated in a document, its precision and kind."""

    doc_id: str
    date: str
    date_end: str
    precision: str
    text: str
    kind: str
    evidence: str
    char_start: int
    char_end: int
    page: int | None
    evidence_start: int
    evidence_end: int


@dataclass(frozen=True)
class FigureRow(JsonRecord):
    """A row of `figures`: a stated number with its unit, what it measures and of whom."""

    doc_id: str
    value: str
    unit: str
    qualifier: str
    measure: str
    subject: str
    year: str
    text: str
    evidence: str
    char_start: int
    char_end: int
    page: int | None
    evidence_start: int
    evidence_end: int


@dataclass(frozen=True)
class CommitmentRow(JsonRecord):
    """A row of `commitments`: a numbered commitment of a partner, its target year and status."""

    doc_id: str
    partner: str
    number: int
    number_inferred: bool
    text: str
    target_year: str
    status: str
    evidence: str
    char_start: int
    char_end: int
    page: int | None
    evidence_start: int
    evidence_end: int


@dataclass(frozen=True)
class QuestionRow(JsonRecord):
    """A row of `questions`: a numbered question of an inquiry and the answer to it."""

    doc_id: str
    number: int
    question: str
    answer: str
    char_start: int
    char_end: int
    page: int | None


@dataclass(frozen=True)
class TableCellRow(JsonRecord):
    """A body cell of a table found on a PDF page: `row`/`col` 1-based within the table's body (header rows
    are not rows: their text is `col_header`), headers joined by " / ", top level first."""

    doc_id: str
    table: int
    page: int | None
    row: int
    col: int
    row_header: str
    col_header: str
    text: str
    value: str
    unit: str
    caption: str
    char_start: int | None
    char_end: int | None


@dataclass(frozen=True)
class RepairRow(JsonRecord):
    """One OCR repair, with offsets into the clean text, so it can be audited and undone."""

    doc_id: str
    char_start: int
    char_end: int
    before: str
    after: str
    rule: str
    score: float


@dataclass(frozen=True)
class FailureRow(JsonRecord):
    """A row of `failures`: a document that failed, the stage and one line that says what to do."""

    doc_id: str
    stage: str
    error: str
    message: str
    source_file: str = ""


# The table registry, declared once: table name → row type, in the order the tables are written.
TABLE_ROWS: dict[str, type] = {
    "documents": DocumentRow,
    "partners": PartnerRow,
    "dates": DateRow,
    "figures": FigureRow,
    "commitments": CommitmentRow,
    "questions": QuestionRow,
    "table_cells": TableCellRow,
    "failures": FailureRow,
    "repairs": RepairRow,
}
# The tables a document's facts fill (`Facts` has one field each); failures come from the run, not the facts.
FACT_TABLES: tuple[str, ...] = tuple(name for name in TABLE_ROWS if name != "failures")
