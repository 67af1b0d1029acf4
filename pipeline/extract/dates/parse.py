"""Pure parsing of German date expressions: `parse_dates(text) -> list[DateMention]`.

Understands "26. März 2012", "26.03.2012", "2012-03-26", "im August 2012", "Ende Juni 2012" (month
precision), ranges ("vom 31. Mai 2012 bis 30. Mai 2013", "zwischen dem 7. März und 7. April 2017",
"Dezember 2016 — Oktober 2017", "2. bis 30. November 2015") and a missing year taken from context
("(29.09.)" after "im September 2017", "im August des Jahres", "zum Stichtag 1. Januar" after "bis 2017").
Numbers such as "1032/12/2013", "Drucksache 16/7204" or phone numbers are never dates; bare years are
context, not mentions. The vocabulary (month names with OCR-damaged forms, connectors) is data in
`models/patterns/dates.json`; this module holds the mechanism only, so other extractors can reuse it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from pipeline.extract.base import one_of
from pipeline.models import (
    NOT_BEFORE,
    Atom,
    compile_cached,
    is_valid,
    iso_date,
    load_json,
    text_to_atoms,
    text_to_years,
    vocabulary,
)


@dataclass(frozen=True)
class DateMention:
    """One calendar date as written: offsets of its own text, ISO value and precision.

    A mention that opens a range carries the range's end in `end_value` and the whole range's span in
    `range_start`/`range_end`; the range's closing date is a mention of its own with `role="end"`.
    """

    start: int
    end: int
    text: str
    value: str  # YYYY-MM-DD, YYYY-MM or (a bare year, only when asked for) YYYY
    precision: str  # day | month | year
    role: str = ""  # "" | start | end
    end_value: str = ""
    range_start: int = -1
    range_end: int = -1
    year_from_context: bool = False


def _year_positions(text: str, atoms: list[Atom]) -> list[tuple[int, int]]:
    """(offset, year) of every stated year: bare years and the years of dated atoms."""
    years = {(start, year) for start, _, year in text_to_years(text)}
    return sorted(years | {(a.start, a.year) for a in atoms if a.year is not None})


def _paragraph_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _sentence_end(text: str, offset: int) -> int:
    m = compile_cached(r"[.!?](?=\s+[A-ZÄÖÜ„\"])|\n").search(text, offset)
    return m.start() if m else len(text)


def context_year(text: str, atom_start: int, years: list[tuple[int, int]], default_year: int | None) -> int | None:
    """The year a date without one belongs to: the nearest year before it in its paragraph, else the
    nearest year after it in its sentence, else the last year stated before it, else `default_year`.

    >>> text = "Bis 2017 (zum Stichtag 1. Januar) stieg die Zahl."
    >>> context_year(text, text.index("1. Januar"), [(4, 2017)], None)
    2017
    """
    before = [(pos, y) for pos, y in years if pos < atom_start]
    paragraph = _paragraph_start(text, atom_start)
    in_paragraph = [y for pos, y in before if pos >= paragraph]
    if in_paragraph:
        return in_paragraph[-1]
    sentence_end = _sentence_end(text, atom_start)
    after = [y for pos, y in years if atom_start < pos < sentence_end]
    if after:
        return after[0]
    if before:
        return before[-1][1]
    return default_year


# ---------------------------------------------------------------- ranges and coordinations


def _words(name: str) -> str:
    return one_of(load_json("patterns/dates.json")[name])


@lru_cache(maxsize=1)
def _link_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    v = vocabulary()
    gap = compile_cached(rf"\s*(?P<conn>{v.connector_re})\s*(?:{_words('second_date_articles')}\s+)?", re.IGNORECASE)
    day_only = compile_cached(
        rf"{NOT_BEFORE}(?P<day>\d{{1,2}})\.\s*(?P<conn>{v.connector_re})\s*(?:{_words('open_day_articles')}\s+)?$"
    )
    month_only = compile_cached(
        rf"{v.month_re}\s*(?P<conn>{v.connector_re})\s*(?:{_words('open_month_articles')}\s+)?$"
    )
    opener = compile_cached(rf"{_words('range_openers')}\s+(?:{_words('range_opener_articles')}\s+)?$")
    return gap, day_only, month_only, opener


def _is_range(text: str, first: Atom, connector: str) -> bool:
    """"bis", dashes and "zwischen … und" make a range; a plain "und" is a coordination of two dates."""
    if connector.casefold() not in load_json("patterns/dates.json")["coordinators"]:
        return True
    return bool(_link_patterns()[3].search(text[max(0, first.start - 20) : first.start]))


def _with_year_of(first: Atom, last: Atom, is_range: bool) -> Atom:
    """The first date of a pair borrows the year of the second ("7. März und 7. April 2017")."""
    if first.year is not None or last.year is None or first.same_year:
        return first
    year = last.year
    if is_range and (first.month, first.day or 0) > (last.month, last.day or 0):
        year -= 1  # "vom 1. Dezember bis 31. Januar 2017" starts in 2016
    return replace(first, year=year)


def _implicit_start(text: str, last: Atom, taken_until: int) -> tuple[Atom, str] | None:
    """A range start written without its month or year: "2. bis 30. November 2015", "Januar bis März 2017"."""
    _, day_only, month_only, _ = _link_patterns()
    window_start = max(taken_until, last.start - 40)
    before = text[window_start : last.start]
    m = day_only.search(before) if last.day is not None else None
    if m and is_valid(last.year, last.month, int(m.group("day"))):
        atom = Atom(window_start + m.start("day"), window_start + m.end("day") + 1, int(m.group("day")),
                     last.month, last.year)
        return atom, m.group("conn")
    m = month_only.search(before) if last.day is None else None
    if m:
        month = vocabulary().month_of[m.group("month").casefold()]
        atom = Atom(window_start + m.start("month"), window_start + m.end("month"), None, month, last.year)
        return atom, m.group("conn")
    return None


def atoms_to_pairs(text: str, atoms: list[Atom]) -> list[tuple[Atom, Atom | None, bool]]:
    """Group atoms into (first, second, is_range): a lone date has second None."""
    gap, _, _, _ = _link_patterns()
    out: list[tuple[Atom, Atom | None, bool]] = []
    index = 0
    taken_until = 0
    while index < len(atoms):
        first = atoms[index]
        second = atoms[index + 1] if index + 1 < len(atoms) else None
        implicit = _implicit_start(text, first, taken_until)
        if implicit is not None:
            start, connector = implicit
            is_range = _is_range(text, start, connector)
            out.append((_with_year_of(start, first, is_range), first if is_range else None, is_range))
            if not is_range:
                out.append((first, None, False))
            taken_until = first.end
            index += 1
            continue
        m = gap.fullmatch(text, first.end, second.start) if second is not None else None
        if second is not None and m is not None:
            is_range = _is_range(text, first, m.group("conn"))
            first = _with_year_of(first, second, is_range)
            if is_range:
                out.append((first, second, True))
                taken_until = second.end
                index += 2
                continue
        out.append((first, None, False))
        taken_until = first.end
        index += 1
    return out


# ---------------------------------------------------------------- mentions


def _resolve(text: str, atom: Atom, years: list[tuple[int, int]], default_year: int | None) -> Atom | None:
    if atom.year is not None:
        return atom
    if atom.same_year:
        before = [y for pos, y in years if pos < atom.start]
        year = before[-1] if before else default_year
    else:
        year = context_year(text, atom.start, years, default_year)
    if year is None or not is_valid(year, atom.month, atom.day):
        return None
    return replace(atom, year=year)


def _mention(text: str, atom: Atom, contextual: bool, **extra: object) -> DateMention:
    assert atom.year is not None
    return DateMention(
        start=atom.start, end=atom.end, text=text[atom.start : atom.end],
        value=iso_date(atom.year, atom.month, atom.day), precision="month" if atom.day is None else "day",
        year_from_context=contextual, **extra,  # type: ignore[arg-type]
    )


def _bare_years(text: str, atoms: list[Atom]) -> list[DateMention]:
    """Years written alone, outside every date ("seit 2013"), as year-precision mentions; not "2012/13" or
    "2012er", which name a season or a decade's item rather than a year."""
    found = []
    for start, end, year in text_to_years(text):
        if any(a.start < end and start < a.end for a in atoms):
            continue
        if re.match(r"[/\w]", text[end : end + 1]) or re.match(r"\w", text[start - 1 : start]):
            continue
        found.append(DateMention(start, end, text[start:end], f"{year:04d}", "year"))
    return found


def parse_dates(text: str, default_year: int | None = None, *, bare_years: bool = False) -> list[DateMention]:
    """Every date stated in `text`, in text order; a range gives its start (with `end_value`) and its end.
    A missing year comes from the text around the date, else `default_year`; with `bare_years`, a year written
    alone is a mention of year precision too (the dates table counts them as context only).

    >>> [(d.value, d.role, d.end_value) for d in parse_dates("vom 31. Mai 2012 bis 30. Mai 2013")]
    [('2012-05-31', 'start', '2013-05-30'), ('2013-05-30', 'end', '')]
    >>> [d.value for d in parse_dates("Drucksache 16/7204, Az. 1032/12/2013, Tel. 0211 855-3118")]
    []
    >>> [d.value for d in parse_dates("Im Mai 2011 begann es; im August des Jahres (29.08.) endete es.")]
    ['2011-05', '2011-08', '2011-08-29']
    >>> [d.value for d in parse_dates("seit 2013, im Mai 2014, die Saison 2014/15", bare_years=True)]
    ['2013', '2014-05']
    """
    atoms = text_to_atoms(text)
    years = _year_positions(text, atoms)
    mentions: list[DateMention] = []
    for first, second, is_range in atoms_to_pairs(text, atoms):
        contextual = first.year is None
        start = _resolve(text, first, years, default_year)
        if start is None:
            continue
        if second is None or not is_range:
            mentions.append(_mention(text, start, contextual and not first.same_year))
            continue
        end = _resolve(text, second, years, default_year)
        if end is None:
            mentions.append(_mention(text, start, contextual))
            continue
        closing = _mention(text, end, second.year is None, role="end", range_start=start.start, range_end=end.end)
        mentions.append(_mention(text, start, contextual, role="start", end_value=closing.value,
                                 range_start=start.start, range_end=end.end))
        mentions.append(closing)
    if bare_years:
        mentions += _bare_years(text, atoms)
    return sorted(mentions, key=lambda d: (d.start, d.end))
