"""German dates as written: the date atoms of a text (day, month, year as far as written) and their ISO form.

The one low-level date reader of the pipeline: the dates table and the partners' dates (`pipeline.extract.dates`,
which links ranges and resolves missing years over these atoms) and a web page's own date (`pipeline.text.html`)
all read dates here. The vocabulary is `models/patterns/dates.json`.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pipeline.models.data import load_json
from pipeline.models.programs import compile_cached


@lru_cache(maxsize=1)
def month_forms() -> dict[str, int]:
    """Every written form of a German month (names, abbreviations, OCR spellings; `models/patterns/dates.json`)
    and its number: the one month vocabulary of every date reader.

    >>> month_forms()["März"], month_forms()["Marz"], month_forms()["Okt"]
    (3, 3, 10)
    """
    months: dict[str, list[str]] = load_json("patterns/dates.json")["months"]
    return {form: int(number) for number, forms in months.items() for form in forms}


@lru_cache(maxsize=1)
def year_range() -> tuple[int, int]:
    """The years a document may state (`year_min`, `year_max` in dates.json): one range for every reader."""
    data = load_json("patterns/dates.json")
    return int(data["year_min"]), int(data["year_max"])


@lru_cache(maxsize=1)
def year_regex() -> str:
    """A regex group for the four-digit years of `year_range()`, whole decades as one alternative each.

    >>> import re
    >>> bool(re.fullmatch(year_regex(), "2017")), bool(re.fullmatch(year_regex(), "1899"))
    (True, False)
    """
    low, high = year_range()
    parts, year = [], low
    while year <= high:
        if year % 10 == 0 and year + 9 <= high:
            parts.append(f"{year // 10}\\d")
            year += 10
        else:
            parts.append(str(year))
            year += 1
    return "(?:" + "|".join(parts) + ")"


@dataclass(frozen=True)
class Atom:
    """A date as written (day and year may be missing), at `start:end` of its text."""

    start: int
    end: int
    day: int | None
    month: int
    year: int | None
    same_year: bool = False  # "im August des Jahres": the year of the preceding date


@dataclass(frozen=True)
class Vocabulary:
    """The words of German dates (`models/patterns/dates.json`), as the patterns use them."""

    month_of: dict[str, int]
    month_re: str
    part_re: str
    same_year_re: str
    connector_re: str
    abbreviations: frozenset[str]
    year_min: int
    year_max: int
    number_words_re: str
    first_words: frozenset[str]  # every word a month date can start with (parts of a month, month names)


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data = load_json("patterns/dates.json")
    month_of = {form.casefold(): number for form, number in month_forms().items()}
    forms = list(month_forms())
    forms += [f.upper() for f in forms]
    return Vocabulary(
        month_of=month_of,
        month_re=rf"(?<![\wÄÖÜäöüß])(?P<month>{_alternation(forms)})(?![\wÄÖÜäöüß-])(?P<dot>\.)?",
        part_re=_alternation(data["part_of_month"]),
        same_year_re=_alternation(data["same_year"]),
        connector_re=_alternation(data["range_connectors"]),
        abbreviations=frozenset(a.casefold() for a in data["abbreviated_need_dot_or_year"]),
        year_min=year_range()[0],
        year_max=year_range()[1],
        number_words_re=_alternation(data["number_words"]),
        first_words=frozenset(forms + list(data["part_of_month"])),
    )


NOT_BEFORE = r"(?<![\d./,:\-–])"  # not inside 1032/12/2013, 16/7204, 0211-855, 1.719
DIGIT_FIRST = r"(?=\d)"  # tested before the lookbehinds: most positions fail at once (no match changes)
# a year's first digit looked at before the lookbehind, as DIGIT_FIRST does (no match changes)
_BARE_YEAR = re.compile(r"(?=[12])(?<![\d./,\-–])(?:19|20)\d{2}(?![\d]|[.,]\d)")
_YEAR = r"(?P<year>(?:19|20)\d{2})(?![\d]|[.,]\d)"


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    """The date patterns, most specific first. Each match starts at the first digit of a run of digits (the
    digit patterns: none may follow a digit) or where a word of `Vocabulary.first_words` starts (the month
    patterns), which `_atoms` relies on."""
    v = vocabulary()
    month = v.month_re
    part = rf"(?:(?P<part>{v.part_re})\s+)?"
    # a month date starts with a part word or a month name: its first letter, looked ahead, spares the engine
    # trying every alternative at every position (no match changes)
    starts = rf"(?=[{''.join(sorted({re.escape(w[0]) for w in v.first_words}))}])"
    return [
        ("iso", compile_cached(
            rf"{DIGIT_FIRST}{NOT_BEFORE}(?P<year>(?:19|20)\d{{2}})-(?P<m>[01]\d)-(?P<day>[0-3]\d)(?![\d])"
        )),
        # an ISO month ("date 2016-11"), not a season written as a year range ("2016-17", see `_match_to_atom`)
        ("iso", compile_cached(
            rf"{DIGIT_FIRST}{NOT_BEFORE}(?P<year>(?:19|20)\d{{2}})-(?P<m>0[1-9]|1[0-2])(?![\d\-–])"
        )),
        ("dmy", compile_cached(rf"{DIGIT_FIRST}{NOT_BEFORE}(?P<day>\d{{1,2}})\.\s?(?P<m>\d{{1,2}})\.\s?{_YEAR}")),
        ("dMy", compile_cached(rf"{DIGIT_FIRST}(?<![\d./,])(?P<day>\d{{1,2}})(?:\.\s*|\s+){month}(?:\s*{_YEAR})?")),
        ("dm", compile_cached(rf"{DIGIT_FIRST}{NOT_BEFORE}(?P<day>\d{{1,2}})\.(?P<m>\d{{2}})\.(?!\s?\d)")),
        # a one-digit month only where a date is expected: "(1.9.)", "am 1.9."
        ("dm", compile_cached(r"(?=\d)(?:(?<=\()|(?<=\bam )|(?<=\bvom )|(?<=\bzum )|(?<=\bbis ))"
                          r"(?P<day>\d{1,2})\.(?P<m>\d)\.(?!\s?\d)")),
        ("My", compile_cached(rf"{starts}{part}{month}\s*{_YEAR}")),
        ("Mj", compile_cached(rf"{starts}{part}{month}\s+(?P<same>{v.same_year_re})\b")),
    ]


def text_to_years(text: str) -> list[tuple[int, int, int]]:
    """(start, end, year) of every four-digit year of the one year range written alone (not inside a number).

    >>> text_to_years("seit 2012, Az. 1032/12/2013, 1.719 Fälle, 1899")
    [(5, 9, 2012)]
    """
    return list(_years(text))


@lru_cache(maxsize=8)
def _years(text: str) -> tuple[tuple[int, int, int], ...]:
    """`text_to_years`, once per text: the date reader and the partners' dates each read the whole text."""
    low, high = year_range()
    found = ((m.start(), m.end(), int(m.group())) for m in _finditer(_BARE_YEAR, _run_starts(text), text))
    return tuple((start, end, year) for start, end, year in found if low <= year <= high)


_RUN_START = re.compile(r"\d(?<!\d\d)")  # the first digit of a run of digits
# Fewer characters per place a match may start than this, and `pattern.finditer` (which tries every character,
# about 20 ns each) is cheaper than one `pattern.match` per place (about 0.5 µs each).
_DENSE = 25


def _finditer(pattern: re.Pattern[str], starts: Sequence[int], text: str) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for a pattern that matches only at `starts` (ascending offsets) and never
    matches the empty string: the match at each start not inside the match before (the engine tries a pattern
    at every character of a long text, where a few hundred places can hold a date)."""
    if len(starts) * _DENSE > len(text):
        yield from pattern.finditer(text)
        return
    end = 0
    for start in starts:
        if start >= end:
            match = pattern.match(text, start)  # its lookbehinds see the text before `start`
            if match is not None:
                yield match
                end = match.end()


@lru_cache(maxsize=8)
def _run_starts(text: str) -> tuple[int, ...]:
    """Where the runs of digits in `text` start: the only places a digit pattern or a bare year can match."""
    return tuple(m.start() for m in _RUN_START.finditer(text))


@lru_cache(maxsize=1)
def _first_word() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(vocabulary().first_words))))


def _word_starts(text: str) -> list[int]:
    """Where a word that may start a month date starts (`Vocabulary.first_words`), overlapping ones too."""
    found: list[int] = []
    pattern = _first_word()
    at = 0
    while (match := pattern.search(text, at)) is not None:
        found.append(match.start())
        at = match.start() + 1
    return found


def is_valid(year: int | None, month: int, day: int | None) -> bool:
    if not 1 <= month <= 12:
        return False
    if day is None:
        return True
    last = calendar.monthrange(year or 2000, month)[1]  # 2000: a leap year, so 29.02. passes
    return 1 <= day <= last


def _match_to_atom(kind: str, m: re.Match[str]) -> Atom | None:
    v = vocabulary()
    groups = m.groupdict()
    month_name = groups.get("month")
    if month_name:
        if month_name.casefold() in v.abbreviations and not groups.get("dot") and not groups.get("year"):
            return None  # "Jan" without a dot or year is more likely a name
        month = v.month_of[month_name.casefold()]
    else:
        month = int(groups["m"])
    year = int(groups["year"]) if groups.get("year") else None
    day = int(groups["day"]) if groups.get("day") else None
    if year is not None and not v.year_min <= year <= v.year_max:
        return None
    if kind == "iso" and day is None and month == (year + 1) % 100:  # type: ignore[operator]
        return None  # "2016-17": a season or school year, not November 2016's sibling
    if not is_valid(year, month, day):
        return None
    before = m.string[max(0, m.start() - 20) : m.start()]
    if kind == "dm" and re.search(rf"(?<!\w)(?:{v.number_words_re})\.?\s*$", before):
        return None  # "Nr. 3.12.", "Abschnitt 2.10.": a section number, not a day and month
    end = m.end()
    if month_name and groups.get("dot") and not groups.get("year") and kind != "Mj":
        end = m.end("month")  # "7. März." ends the sentence: keep the dot out of the mention
    return Atom(m.start(), end, day, month, year, same_year=kind == "Mj")


def iso_date(year: int, month: int, day: int | None = None) -> str:
    """YYYY-MM-DD, or YYYY-MM without a day.

    >>> iso_date(2014, 11, 3), iso_date(2016, 12)
    ('2014-11-03', '2016-12')
    """
    return f"{year:04d}-{month:02d}" if day is None else f"{year:04d}-{month:02d}-{day:02d}"


def first_full_date(text: str) -> str:
    """The first date in a text written with day, month and year, as YYYY-MM-DD ('' when there is none).

    >>> first_full_date("Düsseldorf, 19. Oktober 2022"), first_full_date("am 03.11.2014"), first_full_date("Mai 2014")
    ('2022-10-19', '2014-11-03', '')
    """
    for atom in text_to_atoms(text):
        if atom.day is not None and atom.year is not None:
            return iso_date(atom.year, atom.month, atom.day)
    return ""


def text_to_atoms(text: str) -> list[Atom]:
    """Every date-like expression, most specific pattern first, without overlaps, in text order."""
    return list(_atoms(text))


_MONTH_FIRST = ("My", "Mj")  # the kinds of `_patterns` that start with a word, not a digit


@lru_cache(maxsize=8)
def _atoms(text: str) -> tuple[Atom, ...]:
    """`text_to_atoms`, once per text: the date reader and the partners' dates each read the whole text."""
    starts: list[int] = []  # the atoms found so far, as sorted spans that never overlap
    ends: list[int] = []
    atoms: list[Atom] = []
    digits, words = _run_starts(text), _word_starts(text)
    for kind, pattern in _patterns():
        for m in _finditer(pattern, words if kind in _MONTH_FIRST else digits, text):
            at = bisect.bisect_right(starts, m.start())
            if (at and ends[at - 1] > m.start()) or (at < len(starts) and starts[at] < m.end()):
                continue  # overlaps an atom of a more specific pattern
            atom = _match_to_atom(kind, m)
            if atom is None:
                continue
            at = bisect.bisect_right(starts, atom.start)
            starts.insert(at, atom.start)
            ends.insert(at, atom.end)
            atoms.append(atom)
    return tuple(sorted(atoms, key=lambda a: a.start))
