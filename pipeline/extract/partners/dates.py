"""Signing dates for partners: the calendar dates a clause states, at the precision it states them.

A partner's date is only taken from the clause that ties it to the signing ("Am 26. März 2012 wurde der erste
Partnervertrag mit der Bezirksregierung Arnsberg geschlossen"); "im August des Jahres" takes its year from the
last year written before it; a bare year ("… Bezirksregierung Arnsberg 2012 verpflichtet") gives year precision.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.models import month_forms, year_regex

PRECISION_RANK = {"day": 3, "month": 2, "year": 1}


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    iso: str
    precision: str


def _months() -> dict[str, int]:
    return month_forms()  # the one month vocabulary (dates.json)


@lru_cache(maxsize=1)
def _regexes() -> dict[str, re.Pattern[str]]:
    month = "(?P<month>" + "|".join(sorted(_months(), key=len, reverse=True)) + ")"
    return {
        "day_month_year": re.compile(rf"\b(?P<day>\d{{1,2}})\.\s*{month}\s+(?P<year>\d{{4}})\b"),
        "numeric": re.compile(r"(?<![\d/.])(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})\b"),
        "month_year": re.compile(rf"\b{month}\s+(?P<year>\d{{4}})\b"),
        "month_des_jahres": re.compile(rf"\b{month}\s+(?:des|diesen|dieses)\s+Jahres\b"),
        "day_month": re.compile(rf"\b(?P<day>\d{{1,2}})\.\s*{month}\b(?!\s+\d)"),
        "numeric_no_year": re.compile(r"(?<![\d/.])(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?!\d)"),
        "year": re.compile(rf"(?<![\d/.,-])\b(?P<year>{year_regex()})\b(?![/\d]|\.\d|,\d)"),
    }


def _month_number(value: str) -> int:
    return int(value) if value.isdigit() else _months()[value]


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= day <= 31 else None


def last_year_before(text: str, offset: int) -> int | None:
    """The last four-digit year written before `offset` (the context of "im August des Jahres").

    >>> last_year_before("Am 26. März 2012 begann es. Im August des Jahres", 40)
    2012
    """
    # a year ending right at `offset` counts even when a digit follows (the text is read up to `offset`)
    at_end = offset >= 4 and _year_digits().fullmatch(text, offset - 4, offset) is not None
    if at_end and text[offset - 5 : offset - 4] not in _NOT_BEFORE:
        return int(text[offset - 4 : offset])
    ends, years = _year_ends(text)
    index = bisect.bisect_right(ends, offset)
    return years[index - 1] if index else None


@lru_cache(maxsize=1)
def _year_digits() -> re.Pattern[str]:
    return re.compile(year_regex())


@lru_cache(maxsize=1)
def _year() -> re.Pattern[str]:
    return re.compile(rf"(?<![\d/])({year_regex()})(?!\d)")
_NOT_BEFORE = frozenset("0123456789/")


@lru_cache(maxsize=8)
def _year_ends(text: str) -> tuple[list[int], list[int]]:
    """End offsets and values of the years in a text, once per text (`last_year_before` asks per clause)."""
    matches = list(_year().finditer(text))
    return [m.end() for m in matches], [int(m.group(1)) for m in matches]


def text_to_dates(text: str, start: int, end: int, context_year: int | None) -> list[FoundDate]:
    """The dates stated in text[start:end], most precise reading first where readings overlap.

    >>> [d.iso for d in text_to_dates("am 26. März 2012 und im August 2012, seit 2013", 0, 47, None)]
    ['2012-03-26', '2012-08', '2013']
    >>> [d.iso for d in text_to_dates("am Mittwoch (1.10.) unterzeichnet", 0, 33, 2014)]
    ['2014-10-01']
    """
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []

    def add(match: re.Match[str], iso: str | None, precision: str) -> None:
        s, e = match.start(), match.end()
        if iso and all(e <= ts or s >= te for ts, te in taken):
            found.append(FoundDate(s, e, iso, precision))
            taken.append((s, e))

    r = _regexes()
    for kind in ("day_month_year", "numeric"):
        for m in r[kind].finditer(text, start, end):
            add(m, _iso(int(m.group("year")), _month_number(m.group("month")), int(m.group("day"))), "day")
    for m in r["month_year"].finditer(text, start, end):
        add(m, _iso(int(m.group("year")), _month_number(m.group("month"))), "month")
    if context_year is not None:
        for kind in ("day_month", "numeric_no_year"):
            for m in r[kind].finditer(text, start, end):
                add(m, _iso(context_year, _month_number(m.group("month")), int(m.group("day"))), "day")
        for m in r["month_des_jahres"].finditer(text, start, end):
            add(m, _iso(context_year, _month_number(m.group("month"))), "month")
    for m in r["year"].finditer(text, start, end):
        add(m, _iso(int(m.group("year"))), "year")
    return sorted(found, key=lambda d: d.start)


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
        dates = [d for d in text_to_dates(text, offset, offset + len(line), None) if d.precision == "day"]
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
