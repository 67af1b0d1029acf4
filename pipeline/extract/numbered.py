"""Numbered items ("1. …", "2) …", "(3) …", "Ziel 4: …") found in running text, with lost numbers restored.

OCR often drops the digit of a list number and leaves only its period or a stray comma before the opening
quote (". ,Die Sensibilisierung …"). Such *lost markers* are kept as candidates and take their number from
the sequence of explicit numbers around them: between item 1 and item 6, four lost markers are items 2–5.

The chain is `text_to_markers` → `markers_to_sequences`; `text_to_numbered_items` joins the two.
`phrase_to_pattern` turns a cue phrase kept as data into a regex tolerant of the usual OCR damage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from pipeline.models import compile_cached, month_forms

# A list number at a boundary, followed by the start of the item's text (capital, quote or bracket).
_EXPLICIT = compile_cached(
    r"(?=[\dl|(])"  # the first character, tested before the lookbehind (the same matches, found faster)
    r"(?<![\w.,/])(?:(?P<n1>\d{1,2}|[l|])(?:\.\)?|\))|\((?P<n2>\d{1,2})\))[ \t\n]+(?=[\"„“”‚‘'»«,(]?\s?[A-ZÄÖÜ])"
)
# Before a loose marker (no sentence end): a capitalised word or a number, as after a heading "… Landesregierung 1."
_LOOSE_BEFORE = compile_cached(r"(?:[A-ZÄÖÜ][\wäöüß-]*|\d[\d/]*)[ \t]+$")
# A lost number: a stray period/comma before an opening quote (strong), or a line that starts with one.
_LOST_STRONG = compile_cached(r"[.,][ \t]*(?=[,„\"»«‚“][ \t]?[A-ZÄÖÜ])")
_LOST_WEAK = compile_cached(r"(?m)^[ \t]*(?:[.,][ \t]+(?=[A-ZÄÖÜ])|(?=[„»‚][A-ZÄÖÜ]))")
_BOUNDARY_BEFORE = frozenset(".!?:;“”\"«»*®)'’")
_OPENING = "„\"»«‚‘'“,"


@dataclass(frozen=True)
class Marker:
    """A candidate list marker: `start` is where the marker begins, `body_start` where the item text begins."""

    start: int
    body_start: int
    number: int | None  # None for a lost marker
    strong: bool = True  # for lost markers: a stray period before an opening quote, not just a line start
    style: str = ""  # how an explicit marker looks ("1." / "1)" / "(1)" / label, quoted, at line start)
    misread: bool = False  # the number was damaged ("l." for "1.") and is restored from the sequence


@dataclass(frozen=True)
class NumberedItem:
    """An item of a numbered list: its number, where its marker and its body start."""

    number: int
    start: int
    body_start: int
    inferred: bool  # the number was lost and restored from the sequence


def is_boundary(text: str, start: int) -> bool:
    """True when `start` begins a line or follows a sentence end and whitespace.

    >>> is_boundary("Ziele: 1. Eine", 7), is_boundary("unter 3. genannten", 6), is_boundary("gut.“4. Die", 5)
    (True, False, True)
    """
    end = start  # end of the text before `start` without trailing spaces and tabs (no copy of the prefix)
    while end > 0 and text[end - 1] in " \t":
        end -= 1
    if end == 0 or text[end - 1] == "\n" or _follows_closing_quote(text, start):
        return True
    return end < start and text[end - 1] in _BOUNDARY_BEFORE


def _is_date(text: str, body_start: int) -> bool:
    word = re.match(r"[A-Za-zÄÖÜäöü]+", text[body_start : body_start + 12])
    return bool(word) and word.group().casefold() in _months()  # type: ignore[union-attr]


@lru_cache(maxsize=1)
def _months() -> frozenset[str]:
    """Every month form of the one date vocabulary, casefolded ("26. März" is a date, not item 26)."""
    return frozenset(form.casefold() for form in month_forms())


def text_to_markers(text: str, labels: Iterable[str] = (), loose: bool = False) -> list[Marker]:
    """All candidate markers, explicit and lost, in text order.

    `labels` are words that may precede a number ("Ziel", "Maßnahme", "Frage") in "Ziel 2: …".
    `loose` also admits numbers right after a heading word without punctuation ("Landesregierung 1. Wie …").

    >>> [(m.number, m.strong) for m in text_to_markers("Ziele:\\n1. „Eine Befragung.“\\n. ,Die Schulung.“\\n3. Das")]
    [(1, True), (None, True), (3, True)]
    >>> text_to_markers("Am 19. Oktober 2022. Es gilt unter 3. Genannten.")
    []
    """
    explicit, lost_strong, lost_weak = _scans(text)
    markers: dict[int, Marker] = {}
    for match in explicit:
        digits = match.group("n1") or match.group("n2")
        misread = not digits.isdigit()  # OCR read the list number "1" as "l" or "|"
        number = 1 if misread else int(digits)
        at_boundary = is_boundary(text, match.start()) or (
            loose and _LOOSE_BEFORE.search(text, max(0, match.start() - 40), match.start()) is not None
        )
        if number == 0 or not at_boundary or _is_date(text, match.end()):
            continue
        form = "(" if match.group("n2") else match.group()[len(match.group("n1")) :].rstrip()
        markers[match.start()] = Marker(match.start(), match.end(), number, style=_style(text, match, form),
                                        misread=misread)
    for label in labels:
        if label not in text:
            continue  # no scan for a label the text never uses
        pattern = compile_cached(rf"\b{re.escape(label)}\s+(\d{{1,2}})\s*[:.)][ \t\n]*(?=\S)")
        for match in pattern.finditer(text):
            if is_boundary(text, match.start()):
                markers[match.start()] = Marker(match.start(), match.end(), int(match.group(1)),
                                                style=_style(text, match, label))
    explicit_spans = [(m.start, m.body_start) for m in markers.values()]
    for match in lost_strong:
        inside = any(s <= match.start() < e for s, e in explicit_spans)
        if not inside and is_boundary(text, match.start()):
            markers.setdefault(match.start(), Marker(match.start(), match.end(), None, True))
    for match in lost_weak:
        begin = match.start() + len(match.group()) - len(match.group().lstrip(" \t"))
        if not any(s <= begin <= e for s, e in explicit_spans) and begin not in markers:
            markers[begin] = Marker(begin, match.end(), None, False)
    return [markers[k] for k in sorted(markers)]


@lru_cache(maxsize=2)
def _scans(text: str) -> tuple[tuple[re.Match[str], ...], ...]:
    """The explicit and lost marker candidates of a text, scanned once: the commitments and the questions both
    look for markers in the whole text."""
    return tuple(tuple(pattern.finditer(text)) for pattern in (_EXPLICIT, _LOST_STRONG, _LOST_WEAK))


def _style(text: str, match: re.Match[str], form: str) -> str:
    line_start = text[: match.start()].rstrip(" \t").endswith("\n") or not text[: match.start()].strip()
    quoted = text[match.end() : match.end() + 1] in _OPENING
    return f"{form}{'q' if quoted else ''}{'L' if line_start else ''}"


def _follows_closing_quote(text: str, start: int) -> bool:
    """'Ausbildungsplatzes.“. ,Ab 2012': a period glued to the previous item's closing quote."""
    return start >= 2 and text[start - 1] in "“”\"«»*®" and text[start - 2] in ".!?"


def _fill(lost: list[Marker], gap: int) -> list[Marker] | None:
    """The lost markers that stand for exactly `gap` missing numbers, or None when they do not fit."""
    if gap == 0:
        return []
    if len(lost) < gap:
        return None
    if len(lost) == gap:
        return lost
    strong = [m for m in lost if m.strong]
    return strong if len(strong) == gap else None


def markers_to_sequences(markers: list[Marker]) -> list[list[NumberedItem]]:
    """Disjoint chains of consecutive numbers (1, 2, 3, …) in text order, longest first chosen.

    >>> seqs = markers_to_sequences(text_to_markers("A:\\n1. Eins.\\n. ,Zwei.“\\n3. Drei.\\n"))
    >>> [(i.number, i.inferred) for i in seqs[0]]
    [(1, False), (2, True), (3, False)]
    """
    remaining = list(markers)
    sequences: list[list[NumberedItem]] = []
    while True:
        best = _best_chain(remaining)
        if not best:
            break
        sequences.append(best)
        first, last = best[0].start, best[-1].start
        remaining = [m for m in remaining if not first <= m.start <= last]
        if len(best) == 1:  # only single items are left: no need to search for chains again
            sequences.extend(
                [NumberedItem(1, m.start, m.body_start, m.misread)] for m in remaining if m.number == 1
            )
            break
    return sorted(sequences, key=lambda s: s[0].start)


_MAX_GAP = 9  # at most this many lost numbers in a row are restored
_MAX_PREDECESSORS = 6  # only the nearest markers with the previous number are tried as predecessors


@dataclass(frozen=True)
class _Link:
    """A chain of markers ending at one explicit marker, as `_best_chain` compares them."""

    length: int
    harmony: int  # neighbours that share their marker style
    parent: int  # index of the previous explicit marker in the chain, -1 at the start
    filled: tuple[Marker, ...]  # lost markers between the parent and this one (or leading ones)


def _best_chain(markers: list[Marker]) -> list[NumberedItem]:
    """The longest chain of explicit markers (gaps filled by lost ones); among equally long chains the one
    whose neighbours share their marker style, so a list nested in an item does not splice into the outer one."""
    lost_before = [0]
    for marker in markers:
        lost_before.append(lost_before[-1] + (marker.number is None))
    by_number: dict[int, list[int]] = {}
    links: dict[int, _Link] = {}
    last_explicit = -1
    for i, marker in enumerate(markers):
        if marker.number is None:
            continue
        number = marker.number
        best: _Link | None = None
        if number == 1 or lost_before[i] - lost_before[last_explicit + 1] >= number - 1:
            lead = _fill([m for m in markers[last_explicit + 1 : i] if m.strong], number - 1)
            if lead is not None:
                best = _Link(len(lead), 0, -1, tuple(lead))
        for previous in range(max(1, number - 1 - _MAX_GAP), number):
            gap = number - previous - 1
            for j in by_number.get(previous, [])[-_MAX_PREDECESSORS:]:
                if gap and lost_before[i] - lost_before[j + 1] < gap:
                    continue
                filled = _fill([m for m in markers[j + 1 : i] if m.number is None], gap) if gap else []
                if filled is None:
                    continue
                option = _Link(links[j].length + len(filled), links[j].harmony + (markers[j].style == marker.style),
                               j, tuple(filled))
                if best is None or (option.length, option.harmony) >= (best.length, best.harmony):
                    best = option
        if best is not None:
            links[i] = _Link(best.length + 1, best.harmony, best.parent, best.filled)
            by_number.setdefault(number, []).append(i)
        last_explicit = i
    if not links:
        return []
    end = max(links, key=lambda k: (links[k].length, links[k].harmony, -_chain_start(links, markers, k)))
    chain = _unwind(links, markers, end)
    trailing = []
    for m in markers:
        if m.start <= chain[-1].start:
            continue
        if m.number is not None:
            break
        if m.strong:
            trailing.append(m)
    return chain + [_inferred(m, n) for n, m in enumerate(trailing, start=chain[-1].number + 1)]


def _chain_start(links: dict[int, _Link], markers: list[Marker], index: int) -> int:
    while links[index].parent >= 0:
        index = links[index].parent
    filled = links[index].filled
    return filled[0].start if filled else markers[index].start


def _unwind(links: dict[int, _Link], markers: list[Marker], index: int) -> list[NumberedItem]:
    chain: list[NumberedItem] = []
    while index >= 0:
        marker, link = markers[index], links[index]
        number = marker.number or 0
        chain.append(NumberedItem(number, marker.start, marker.body_start, marker.misread))
        chain.extend(_inferred(m, number - len(link.filled) + k) for k, m in reversed(list(enumerate(link.filled))))
        index = link.parent
    return chain[::-1]


def _inferred(marker: Marker, number: int) -> NumberedItem:
    return NumberedItem(number, marker.start, marker.body_start, True)


def text_to_numbered_items(text: str, labels: Iterable[str] = ()) -> list[NumberedItem]:
    """The numbered items of every list in the text, in text order.

    >>> [(i.number, i.inferred) for i in text_to_numbered_items("Ziele: 1. ,Eins.“ . ,Zwei.“ 3. ,Drei.“")]
    [(1, False), (2, True), (3, False)]
    """
    return [item for sequence in markers_to_sequences(text_to_markers(text, labels)) for item in sequence]


def mark_repaired(items: list[NumberedItem], text: str, repairs: Iterable[tuple[int, int, str, str]]) -> list[
    NumberedItem
]:
    """Mark items whose number digits were introduced by an OCR repair (start, end, before, after) as inferred.

    >>> mark_repaired([NumberedItem(2, 0, 3, False)], "2. „Die", [(0, 1, "", "2")])[0].inferred
    True
    """
    spans = list(repairs)
    result = []
    for item in items:
        digits = str(item.number)
        digit_at = text.find(digits, item.start, item.body_start)
        restored = digit_at >= 0 and any(
            start <= digit_at < max(end, start + 1) and digits in after and digits not in before
            for start, end, before, after in spans
        )
        result.append(replace(item, inferred=True) if restored else item)
    return result


def phrase_to_pattern(phrase: str, confusions: Mapping[str, str]) -> str:
    """A regex for a cue phrase that tolerates OCR damage (umlauts, ß, flexible spaces).

    >>> bool(re.search(phrase_to_pattern("Maßnahmen", {"ß": "ß|B{1,2}|ss"}), "Stand der MaBBnahmen"))
    True
    """
    parts = []
    for char in phrase:
        if char.isspace():
            parts.append(r"\s+")
        elif char in confusions:
            parts.append(f"(?:{confusions[char]})")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


def strip_quotes(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past surrounding quote marks, spaces and OCR quote debris.

    >>> t = ' ,Eine Befragung wird durchgeführt.” '
    >>> s, e = strip_quotes(t, 0, len(t)); t[s:e]
    'Eine Befragung wird durchgeführt.'
    """
    while start < end and (text[start].isspace() or text[start] in _OPENING):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "“”\"«»*®'’‘"):
        end -= 1
    return start, end
