"""Typed records: the only interface between stages.

Every record is a frozen dataclass that round-trips to JSON (`to_json` / `from_json`), so each stage's
output can be written to disk, read by a person, and used to restart the pipeline from that point.
Fact records (one per table row) declare their columns by their field order.
"""

from __future__ import annotations

import bisect
import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

T = TypeVar("T")


def _to_plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_to_plain(v) for v in value]
    return value


def _from_plain(cls: type[T], data: dict[str, Any]) -> T:
    kwargs: dict[str, Any] = {}
    nested = getattr(cls, "_nested", {})
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name in nested:
            value = tuple(_from_plain(nested[f.name], v) for v in value)
        elif isinstance(value, list):
            value = tuple(value)
        kwargs[f.name] = value
    return cls(**kwargs)


class JsonRecord:
    """Mixin: JSON round-trip for frozen dataclasses (tuples of nested records declared in `_nested`)."""

    _nested: ClassVar[dict[str, type]] = {}

    def to_dict(self) -> dict[str, Any]:
        return _to_plain(self)  # type: ignore[no-any-return]

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, indent=1)

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        return _from_plain(cls, data)

    @classmethod
    def from_json(cls: type[T], text: str) -> T:
        return _from_plain(cls, json.loads(text))


# ---------------------------------------------------------------- ingest -> text


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
class RawText(JsonRecord):
    _nested: ClassVar[dict[str, type]] = {"pages": PageText}

    doc_id: str
    kind: str
    pages: tuple[PageText, ...]
    text_source: str
    paged: bool
    title_hint: str = ""  # e.g. the HTML <title> or <h1>
    date_hint: str = ""  # e.g. an HTML <time datetime=...>
    notes: tuple[str, ...] = ()
    quality: float = 1.0  # text_quality of the whole text, 0..1 (see pipeline.text.text_quality)
    ocr_confidence: float | None = None  # mean OCR word confidence 0..100 over OCRed pages, when OCR ran


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


# ---------------------------------------------------------------- facts (one record per table row)


@dataclass(frozen=True)
class DocumentRow(JsonRecord):
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
    doc_id: str
    number: int
    question: str
    answer: str
    char_start: int
    char_end: int
    page: int | None


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
    doc_id: str
    stage: str
    error: str
    message: str
    source_file: str = ""


@dataclass(frozen=True)
class Facts(JsonRecord):
    """Everything extracted from one document: the unit that is cached and merged into the tables."""

    _nested: ClassVar[dict[str, type]] = {
        "documents": DocumentRow,
        "partners": PartnerRow,
        "dates": DateRow,
        "figures": FigureRow,
        "commitments": CommitmentRow,
        "questions": QuestionRow,
        "repairs": RepairRow,
    }

    documents: tuple[DocumentRow, ...] = ()
    partners: tuple[PartnerRow, ...] = ()
    dates: tuple[DateRow, ...] = ()
    figures: tuple[FigureRow, ...] = ()
    commitments: tuple[CommitmentRow, ...] = ()
    questions: tuple[QuestionRow, ...] = ()
    repairs: tuple[RepairRow, ...] = ()


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
