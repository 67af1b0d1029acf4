"""Stage records: what one stage hands to the next (ingest → text → clean → extract), and a document's result."""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pipeline.records.base import JsonRecord
from pipeline.records.rows import (
    FACT_TABLES,
    TABLE_ROWS,
    CommitmentRow,
    DateRow,
    DocumentRow,
    FailureRow,
    FigureRow,
    PartnerRow,
    QuestionRow,
    RepairRow,
    TableCellRow,
)


@dataclass(frozen=True)
class SourceFile(JsonRecord):
    """A file found in the raw folder, identified by its content."""

    doc_id: str
    path: str
    source_file: str
    sha256: str
    kind: str  # pdf | html | text
    size: int


@dataclass(frozen=True)
class PageText(JsonRecord):
    """The text of one page (or the whole document for unpaged inputs) as the source gave it."""

    number: int | None
    text: str
    source: str  # text_layer | ocr | html | text
    confidence: float | None = None  # mean OCR word confidence 0..100, when OCR ran
    note: str = ""  # why this page was OCRed, rotated, retried, ...


@dataclass(frozen=True)
class TableCell(JsonRecord):
    """A cell of a table as printed: its place in the grid (0-based; a header cell may span several columns)
    and its box on its page (page fractions, top = 0)."""

    page: int
    row: int
    col: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    span: int = 1


@dataclass(frozen=True)
class TextTable(JsonRecord):
    """A table found by the text stage (`pipeline.text.tables`): the grid of its cells, the first
    `header_rows` rows being column headers, and the caption printed above it. A table continued on the
    next pages has the cells of every page (each cell knows its page)."""

    _nested: ClassVar[dict[str, type]] = {"cells": TableCell}

    page: int
    columns: int
    header_rows: int
    cells: tuple[TableCell, ...]
    caption: str = ""


@dataclass(frozen=True)
class RawText(JsonRecord):
    """The text stage's record: a document's text page by page, its tables, and how it was read."""

    _nested: ClassVar[dict[str, type]] = {"pages": PageText, "tables": TextTable}

    doc_id: str
    kind: str
    pages: tuple[PageText, ...]
    text_source: str
    paged: bool
    title_hint: str = ""  # e.g. the HTML <title> or <h1>
    date_hint: str = ""  # e.g. an HTML <time datetime=...>
    notes: tuple[str, ...] = ()
    quality: float = 1.0  # text_quality of the whole text, 0..1 (see pipeline.text.quality.text_quality)
    ocr_confidence: float | None = None  # mean OCR word confidence 0..100 over OCRed pages, when OCR ran
    tables: tuple[TextTable, ...] = ()  # tables found on born-digital pages, in page order


# ---------------------------------------------------------------- clean


@dataclass(frozen=True)
class Change(JsonRecord):
    """One edit made by a cleaning or repair rule, in the coordinates of the text it was applied to."""

    rule: str
    start: int
    end: int
    before: str
    after: str
    score: float = 1.0


@dataclass(frozen=True)
class CleanText(JsonRecord):
    """The clean and repair stages' record: the text analysts get, with every change made to it."""

    _nested: ClassVar[dict[str, type]] = {"changes": Change, "repairs": Change}

    doc_id: str
    text: str
    page_starts: tuple[int, ...] = ()  # offset of the first character of each page; empty when unpaged
    changes: tuple[Change, ...] = ()
    repairs: tuple[Change, ...] = ()  # OCR repairs, offsets into the final text
    damaged: bool = False
    quality: float = 1.0

    def page_at(self, offset: int) -> int | None:
        """1-based page of a character offset, or None for unpaged documents."""
        if not self.page_starts:
            return None
        return max(1, bisect.bisect_right(self.page_starts, offset))


@dataclass(frozen=True)
class Facts(JsonRecord):
    """Everything extracted from one document: the unit that is cached and merged into the tables."""

    _nested: ClassVar[dict[str, type]] = {name: TABLE_ROWS[name] for name in FACT_TABLES}

    documents: tuple[DocumentRow, ...] = ()
    partners: tuple[PartnerRow, ...] = ()
    dates: tuple[DateRow, ...] = ()
    figures: tuple[FigureRow, ...] = ()
    commitments: tuple[CommitmentRow, ...] = ()
    questions: tuple[QuestionRow, ...] = ()
    repairs: tuple[RepairRow, ...] = ()
    table_cells: tuple[TableCellRow, ...] = ()


@dataclass(frozen=True)
class DocResult(JsonRecord):
    """The cached outcome of one document: its facts, or the failure that stopped it."""

    _nested: ClassVar[dict[str, type]] = {"failures": FailureRow}

    doc_id: str
    key: str
    facts: Facts = field(default_factory=Facts)
    failures: tuple[FailureRow, ...] = ()
    kind: str = ""  # pdf | html | text, as ingest detected it
    pages: int = 0
    timings: tuple[tuple[str, float], ...] = ()  # seconds per stage (not part of any table)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocResult:
        return cls(
            doc_id=data["doc_id"],
            key=data["key"],
            facts=Facts.from_dict(data.get("facts", {})),
            failures=tuple(FailureRow.from_dict(f) for f in data.get("failures", [])),
            kind=data.get("kind", ""),
            pages=data.get("pages", 0),
            timings=tuple((str(k), float(v)) for k, v in data.get("timings", [])),
        )

    @classmethod
    def from_json(cls, text: str) -> DocResult:
        return cls.from_dict(json.loads(text))
