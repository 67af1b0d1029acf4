"""Figures: counts and shares with their unit, qualifier, measure, subject and year.

The chain: `text_to_quantities` (every written number, `figure_mentions`) → `quantity_to_reading` and the other
readings (what it counts, or not a figure, `figure_readings`) → `is_label_number` / `is_in_short_quote` (document,
phone and postal numbers, names, `figure_exclusions`) → context (qualifier, measure, subject, year,
`figure_context`) → `FigureRow`. The German words behind every step are in `models/patterns/figures.json`.
"""

from __future__ import annotations

from pipeline.extract.base import DocContext, Sentence
from pipeline.extract.figures.context import (
    is_anaphoric,
    measure_phrase,
    percent_measure,
    qualifier_before,
    sentence_tense,
    subject_of,
    year_near,
)
from pipeline.extract.figures.exclusions import is_in_short_quote, is_label_number
from pipeline.extract.figures.lexicon import fold
from pipeline.extract.figures.mentions import text_to_quantities
from pipeline.extract.figures.readings import (
    Reading,
    coordinated_reading,
    count_noun_reading,
    elliptic_reading,
    find_noun,
    label_reading,
    quantity_to_reading,
    range_reading,
)
from pipeline.extract.numbers import value_to_text
from pipeline.records import DocumentRow, FigureRow

# A share written as words ("knapp die Hälfte") is dropped when the exact percentage follows within this many
# characters ("knapp die Hälfte der Beschäftigten (48,7 %)").
_SHARE_SHADOW = 80


def text_to_readings(text: str) -> list[Reading]:
    """The figures of a text, in order of appearance.

    >>> text = "Am 26. März 2012 traten 34 Partner bei (Drucksache 16/850, Telefon 0211 855-3118)."
    >>> [(r.quantity.written, r.unit) for r in text_to_readings(text)]
    [('34', 'organisations')]
    """
    readings: list[Reading] = []
    quantities = text_to_quantities(text)
    for index, quantity in enumerate(quantities):
        reading = quantity_to_reading(text, quantity)
        if reading is None:
            reading = label_reading(text, quantity) or count_noun_reading(text, quantity)
        following = quantities[index + 1] if index + 1 < len(quantities) else None
        if reading is None:
            reading = range_reading(text, quantity, following)
        if reading is None:
            reading = coordinated_reading(text, quantity, following)
        if reading is None:
            reading = elliptic_reading(text, quantity, readings[-1] if readings else None)
        if reading is None or is_label_number(text, quantity):
            continue
        if is_in_short_quote(text, quantity.start, reading.end):
            continue
        readings.append(reading)
    return _drop_shadowed_shares(text, readings)


def _drop_shadowed_shares(text: str, readings: list[Reading]) -> list[Reading]:
    kept = []
    for index, reading in enumerate(readings):
        if reading.quantity.is_share and not reading.quantity.is_digits:
            following = [r for r in readings[index + 1 :] if r.unit == "percent" and r.quantity.is_digits]
            if (
                following
                and following[0].quantity.start - reading.end <= _SHARE_SHADOW
                and "\n" not in text[reading.end : following[0].quantity.start]
            ):
                continue
        kept.append(reading)
    return kept


def _document_year(document: DocumentRow, tense: str) -> str:
    """The year of a figure whose sentence names none: the document's own year for a present state."""
    if document.doc_type == "umsetzungsbericht":
        year = (document.period_end or document.date)[:4]  # a report's facts belong to its period
    elif tense == "past":
        return ""
    else:
        year = (document.date or document.answer_date)[:4]
    if tense == "last_year" and year.isdigit():
        return str(int(year) - 1)
    return year


def _sentence_year(ctx: DocContext, sentence: Sentence, start: int, end: int, carry: bool, depth: int = 0) -> str:
    """The year in the sentence; else, for a sentence continuing the previous one, that sentence's year."""
    year = year_near(sentence.text, start - sentence.start, end - sentence.start)
    if year or depth >= 2 or sentence.start == 0 or not (carry or is_anaphoric(sentence.text)):
        return year
    previous = ctx.sentence_at(sentence.start - 1)
    if previous == sentence or "\n" in ctx.text[previous.end : sentence.start]:
        return ""
    return _sentence_year(ctx, previous, previous.end, previous.end, carry, depth + 1)


def _measure_of(text: str, sentence: Sentence, reading: Reading) -> tuple[str, int]:
    """What is counted and where that phrase ends: a label, the noun phrase after the number, or for a share
    the group it is a share of."""
    if reading.label:
        return reading.label, reading.end
    has_noun = reading.noun_start < reading.end
    noun = (reading.noun_start, reading.end) if has_noun else find_noun(text, reading.end)
    if noun is not None:
        return measure_phrase(text, *noun)
    start = reading.quantity.start
    return percent_measure(sentence.text, start - sentence.start, reading.end - sentence.start), reading.end


def _year_of(ctx: DocContext, document: DocumentRow, sentence: Sentence, reading: Reading) -> str:
    tense = sentence_tense(sentence.text, reading.quantity.start - sentence.start)
    # a report narrates its period: a past sentence without a year continues the time of the sentences before it
    carry = document.doc_type == "umsetzungsbericht" and tense == "past"
    year = _sentence_year(ctx, sentence, reading.quantity.start, reading.end, carry)
    return year or _document_year(document, tense)


def reading_to_row(ctx: DocContext, document: DocumentRow, reading: Reading) -> FigureRow:
    text = ctx.text
    start = reading.quantity.start
    evidence = ctx.evidence(start, reading.end)
    sentence = ctx.sentence_at(start)
    measure, measure_end = _measure_of(text, sentence, reading)
    subject = subject_of(sentence.text, start - sentence.start, text[reading.end : measure_end])
    if not subject and document.doc_type == "umsetzungsbericht":
        subject = subject_of(document.title, len(document.title), "")  # the reporting partner
    return FigureRow(
        doc_id=ctx.doc_id,
        value=value_to_text(reading.quantity.value),
        unit=reading.unit,
        qualifier=qualifier_before(text, start),
        measure=measure,
        subject=subject,
        year=_year_of(ctx, document, sentence, reading),
        text=text[start : reading.end],
        evidence=evidence.text,
        char_start=start,
        char_end=reading.end,
        page=ctx.page(start),
        evidence_start=evidence.start,
        evidence_end=evidence.end,
    )


def _drop_repeats(rows: list[FigureRow]) -> list[FigureRow]:
    """A fact repeated (headline and body) is one row: same value, unit, counted noun and year."""
    seen: set[tuple[str, str, str, str]] = set()
    kept = []
    for row in rows:
        words = row.measure.split()
        key = (row.value, row.unit, fold(words[0])[:6] if words else "", row.year)
        if words and key in seen:
            continue
        seen.add(key)
        kept.append(row)
    return kept


def extract_figures(ctx: DocContext, document: DocumentRow) -> list[FigureRow]:
    rows = [reading_to_row(ctx, document, reading) for reading in text_to_readings(ctx.text)]
    return _drop_repeats(sorted(rows, key=lambda row: (row.char_start, row.char_end)))
