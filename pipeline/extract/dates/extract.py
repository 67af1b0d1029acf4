"""Dates: every calendar date stated in the text (day or month precision), with its kind and evidence.

Parsing is `dateparse.parse_dates`; this module only turns mentions into rows and names their kind
(document, original, published, anfrage, answer, signing, survey, event, period, other) from the words
before the date and the cues in its sentence, both kept as data in `models/patterns/dates.json`.
A range gives two rows: its start (with `date_end`) spanning the whole range, and its end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.extract.base import DocContext
from pipeline.extract.dates.parse import DateMention, parse_dates
from pipeline.models import compile_cached, load_json
from pipeline.records import DateRow, DocumentRow

HEADER_CHARS = 600  # the document's own date, when restated here, is its header date


@dataclass(frozen=True)
class KindRule:
    """What makes a date of one kind: the words right before it, or cues in its sentence."""

    kind: str
    before: tuple[re.Pattern[str], ...]
    cues: tuple[re.Pattern[str], ...]


@lru_cache(maxsize=1)
def kind_rules() -> tuple[KindRule, ...]:
    rules = []
    for entry in load_json("patterns/dates.json")["kinds"]:
        before = tuple(compile_cached(f"(?:{p})$", re.MULTILINE) for p in entry.get("before", []))
        cues = tuple(compile_cached(p) for p in entry.get("cues", []))
        rules.append(KindRule(entry["kind"], before, cues))
    return tuple(rules)


def kind_from_before(text: str, start: int) -> str:
    """The kind named by the words right before a date ("mit Schreiben vom" → answer), else "".

    >>> kind_from_before("Datum des Originals: 31.10.2014", 21)
    'original'
    >>> kind_from_before("die Kleine Anfrage 2742 vom 30. September 2014", 28)
    'anfrage'
    """
    window = text[max(0, start - 80) : start]
    for rule in kind_rules():
        if any(p.search(window) for p in rule.before):
            return rule.kind
    return ""


def kind_from_cues(sentence: str, offset: int, others: tuple[int, ...] = ()) -> str:
    """The kind whose cue word stands nearest to the date at `offset` in its sentence, else "".
    A cue with another date (at one of `others`) between it and this date belongs to that other date.

    >>> kind_from_cues("Am 26. März 2012 wurde der erste Partnervertrag geschlossen.", 3)
    'signing'
    >>> kind_from_cues("Die letzte Veranstaltung fand am 28. August 2014 statt.", 33)
    'event'
    >>> kind_from_cues("Im Zeitraum 2016 bis Mai 2017 hat der Kreis am 5. März 2013 unterzeichnet.", 47, (21,))
    'signing'
    """
    best: tuple[int, int, str] | None = None
    for order, rule in enumerate(kind_rules()):
        for pattern in rule.cues:
            for m in pattern.finditer(sentence):
                low, high = sorted((m.start(), offset))
                if any(low < other < high for other in others):
                    continue
                distance = m.start() - offset if m.start() >= offset else offset - m.end()
                candidate = (distance, order, rule.kind)
                if best is None or candidate < best:
                    best = candidate
    return best[2] if best else ""


def mention_kind(ctx: DocContext, mention: DateMention, document: DocumentRow, others: list[DateMention]) -> str:
    kind = kind_from_before(ctx.text, mention.start)
    if kind:
        return kind
    if mention.start < HEADER_CHARS and document.date and mention.value == document.date:
        return "document"
    sentence = ctx.evidence(mention.start, mention.end)
    blockers = tuple(o.start - sentence.start for o in others if sentence.start <= o.start < sentence.end)
    kind = kind_from_cues(sentence.text, mention.start - sentence.start, blockers)
    if kind:
        return kind
    return "period" if mention.role else "other"


def mention_to_row(ctx: DocContext, mention: DateMention, kind: str) -> DateRow:
    start, end = (mention.range_start, mention.range_end) if mention.role == "start" else (mention.start, mention.end)
    evidence = ctx.evidence(start, end)
    return DateRow(
        doc_id=ctx.doc_id,
        date=mention.value,
        date_end=mention.end_value,
        precision=mention.precision,
        text=ctx.text[start:end],
        kind=kind,
        evidence=evidence.text,
        char_start=start,
        char_end=end,
        page=ctx.page(start),
        evidence_start=evidence.start,
        evidence_end=evidence.end,
    )


def document_year(document: DocumentRow) -> int | None:
    """The year of the document's own date, the last resort for a date written without one."""
    for value in (document.date, document.answer_date, document.period_end):
        if value[:4].isdigit():
            return int(value[:4])
    return None


def extract_dates(ctx: DocContext, document: DocumentRow) -> list[DateRow]:
    mentions = parse_dates(ctx.text, default_year=document_year(document))
    rows = []
    range_kind = ""
    for mention in mentions:
        if mention.role == "end":
            kind = range_kind  # a range has one kind, decided at its start
        else:
            others = [o for o in mentions if o is not mention and not _same_range(o, mention)]
            kind = mention_kind(ctx, mention, document, others)
            range_kind = kind
        rows.append(mention_to_row(ctx, mention, kind))
    return rows


def _same_range(a: DateMention, b: DateMention) -> bool:
    return bool(a.role and b.role and a.range_start == b.range_start and a.range_end == b.range_end)
