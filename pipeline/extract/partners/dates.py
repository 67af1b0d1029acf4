"""Signing dates for partners: the calendar dates a clause states, at the precision it states them.

A partner's date is only taken from the clause that ties it to the signing ("Am 26. März 2012 wurde der erste
Partnervertrag mit der Bezirksregierung Arnsberg geschlossen"). The dates are read by the one German date reader
(`pipeline.extract.dates`, which also gives "im August des Jahres" its year); a bare year ("… Bezirksregierung
Arnsberg 2012 verpflichtet") gives year precision.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pipeline.extract.dates import DateMention, parse_dates

PRECISION_RANK = {"day": 3, "month": 2, "year": 1}


@dataclass(frozen=True)
class FoundDate:
    """A date a clause states (day, month or year precision) that may date a signing, in ISO form."""

    start: int
    end: int
    iso: str
    precision: str
    from_context: bool = False  # its year taken from the text around it (or the document's year)


@lru_cache(maxsize=4)
def _document_dates(text: str, default_year: int | None) -> tuple[DateMention, ...]:
    """Every date of a text, bare years included, read once per text (clauses ask for their window)."""
    return tuple(parse_dates(text, default_year, bare_years=True))


def text_to_dates(text: str, start: int, end: int, default_year: int | None) -> list[FoundDate]:
    """The dates stated in text[start:end], read by the one date reader (`pipeline.extract.dates`): a missing
    year from the text around the date, else `default_year`; a year written alone is a date of year precision.

    >>> [d.iso for d in text_to_dates("am 26. März 2012 und im August 2012, seit 2013", 0, 47, None)]
    ['2012-03-26', '2012-08', '2013']
    >>> [d.iso for d in text_to_dates("am Mittwoch (1.10.) unterzeichnet", 0, 33, 2014)]
    ['2014-10-01']
    """
    return [
        FoundDate(d.start, d.end, d.value, d.precision, d.year_from_context)
        for d in _document_dates(text, default_year)
        if start <= d.start and d.end <= end
    ]


def choose_date(dates: list[FoundDate], anchors: list[int]) -> FoundDate | None:
    """The date closest to the signing words (anchors), the more precise one on a tie."""
    if not dates:
        return None
    if not anchors:
        anchors = [dates[0].start]
    return min(dates, key=lambda d: (min(abs(d.start - a) for a in anchors), -PRECISION_RANK[d.precision], d.start))


def text_to_dateline(text: str, max_lines: int = 10) -> str:
    """A press release's own date: on one of its first lines, alone ("Düsseldorf, 03.06.2014") or leading it.

    >>> text_to_dateline("Titel\\n\\nDüsseldorf, 03.06.2014\\n\\nText")
    '2014-06-03'
    >>> text_to_dateline("Titel\\nAm 3. Juni 2014 geschah etwas sehr Langes und Wichtiges.")
    ''
    """
    offset = 0
    for number, line in enumerate(text.split("\n")):
        if number >= max_lines:
            break
        dates = [
            d for d in text_to_dates(text, offset, offset + len(line), None)
            if d.precision == "day" and not d.from_context
        ]
        if dates:
            rest = (line[: dates[0].start - offset] + line[dates[0].end - offset :]).strip(" ,.-–")
            at_line_start = dates[0].start - offset <= 2
            if at_line_start or (len(rest) <= 40 and len(rest.split()) <= 4):
                return dates[0].iso
        offset += len(line) + 1
    return ""


def is_dateline(text: str, date: FoundDate, max_offset: int = 600) -> bool:
    """A date opening a line near the top is the document's own date line, not a stated event date.

    >>> t = "Titel\\n25. August 2016 Staatssekretär X hat unterzeichnet."
    >>> is_dateline(t, text_to_dates(t, 0, len(t), None)[0])
    True
    """
    if date.start > max_offset:
        return False
    line_start = text.rfind("\n", 0, date.start) + 1
    return not text[line_start : date.start].strip()
