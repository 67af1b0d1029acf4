"""Mark repair: German quotes („…“), bullets and lost list numbers, as an English OCR model misreads them.

Opening „ read as "," / ",," / "»" / "J" before a word (".", ".." before a capital); closing “ read as "®", "*",
"”" or '"'; "•" read as "e", "«", "¢", "*" or "+";
"2. „Die" read as ". ,Die" (the number restored only where the numbering around it makes it certain).
"""

from __future__ import annotations

import re

from pipeline.models import compile_cached
from pipeline.repair.lexicon import Lexicon
from pipeline.repair.words import Edit

OPEN, CLOSE, BULLET = "„", "“", "•"
_OPENING = compile_cached(
    r"(?:(?<=^)|(?<=[\s(\[/—–-]))(?:(?:,,|,|»)(?=[A-Za-zÄÖÜäöü0-9])|\.\.?(?=[A-ZÄÖÜ][a-zäöüß]))", re.M
)
_J_OPENING = compile_cached(r"(?:(?<=^)|(?<=[\s(]))J(?=([A-ZÄÖÜ][a-zäöüß]+))", re.M)
_CLOSING = compile_cached(r"(?<=[^\s„])[“”\"®*](?=[\s.,;:!?)\-—–]|$)", re.M)
_BULLET = compile_cached(r"^[e«¢*+](?= [A-ZÄÖÜ])", re.M)
# "¢" (never a cent sign here), or "+" after a sentence: a bullet the clean stage did not know, so its item
# was joined to the line before; the repair gives it back its own line.
_JOINED_BULLET = compile_cached(r"(?<=\S) ¢(?= [A-ZÄÖÜ])|(?<=[.!?:;]) \+(?= [A-ZÄÖÜ])")
_QUOTE_START = r"\s+(?:,,|[,„»J\"])[A-ZÄÖÜ0-9]"
_NUMBERED = compile_cached(r"(?:(?<=^)|(?<=\s)|(?<=[“”\"®*]))(\d{1,2})?\.(?=" + _QUOTE_START + ")", re.M)


def text_to_opening_edits(text: str, lexicon: Lexicon, start: int, end: int) -> list[Edit]:
    edits = [Edit(m.start(), m.end(), OPEN, "quote_open", 0.9) for m in _OPENING.finditer(text, start, end)]
    for match in _J_OPENING.finditer(text, start, end):
        word_end = match.end() + len(match.group(1))
        rest = text[match.end() : word_end]
        if lexicon.is_valid(rest) and not lexicon.is_valid("J" + rest):
            edits.append(Edit(match.start(), match.end(), OPEN, "quote_open", 0.8))
    return edits


def text_to_closing_edits(text: str, openings: list[int], start: int, end: int) -> list[Edit]:
    """Close each open quote at the next closing-like mark on its line; a lone "®" is a closing quote too."""
    opened = sorted(set(openings) | {start + m.start() for m in re.finditer(OPEN, text[start:end])})
    edits = []
    pending = list(opened)
    for match in _CLOSING.finditer(text, start, end):
        mark = match.group()
        line_start = text.rfind("\n", 0, match.start()) + 1
        before = [p for p in pending if line_start <= p < match.start()]
        if before:
            pending = [p for p in pending if p > match.start()]
            if mark != CLOSE:
                edits.append(Edit(match.start(), match.end(), CLOSE, "quote_close", 0.9))
        elif mark == "®":
            edits.append(Edit(match.start(), match.end(), CLOSE, "quote_close", 0.6))
    return edits


def text_to_bullet_edits(text: str, start: int, end: int) -> list[Edit]:
    """Bullets read as "e", "«", "¢" or "*" at a line start, and "¢" inside a line, become "•"."""
    edits = [Edit(m.start(), m.end(), BULLET, "bullet", 0.8) for m in _BULLET.finditer(text, start, end)]
    edits += [Edit(m.start(), m.end(), "\n" + BULLET, "bullet", 0.7) for m in _JOINED_BULLET.finditer(text, start, end)]
    return edits


def numbers_to_restore(numbers: list[int | None]) -> list[int | None]:
    """Fill lost list numbers where the numbering around them makes them certain: between two known numbers
    when the gap fits exactly, before the first, and after the last of a list numbered 1, 2, 3, … so far.

    >>> numbers_to_restore([1, None, None, None, None, 6, 7])
    [1, 2, 3, 4, 5, 6, 7]
    >>> numbers_to_restore([None, 2, None, None, 6])
    [1, 2, None, None, 6]
    >>> numbers_to_restore([1, None, None, 4, None])
    [1, 2, 3, 4, 5]
    """
    out = list(numbers)
    known = [i for i, n in enumerate(numbers) if n is not None]
    bounds = [(-1, 0)] + [(i, numbers[i]) for i in known]
    for (i, a), (j, b) in zip(bounds, bounds[1:], strict=False):
        assert a is not None and b is not None
        if j - i - 1 > 0 and b - a - 1 == j - i - 1:
            for offset, index in enumerate(range(i + 1, j), start=1):
                out[index] = a + offset
    last = known[-1] if known else -1
    if last >= 0 and out[: last + 1] == list(range(1, last + 2)):
        for index in range(last + 1, len(out)):
            out[index] = index + 1
    return out


def text_to_number_edits(text: str, start: int, end: int) -> list[Edit]:
    """Lost numbers of quoted numbered items (". ,Die" where "2. „Die" stood)."""
    matches = list(_NUMBERED.finditer(text, start, end))
    numbers = [int(m.group(1)) if m.group(1) else None for m in matches]
    restored = numbers_to_restore(numbers)
    edits = []
    last_known = max((i for i, n in enumerate(numbers) if n is not None), default=-1)
    for index, (match, number, new) in enumerate(zip(matches, numbers, restored, strict=True)):
        if number is None and new is not None:
            glued = match.start() > 0 and not text[match.start() - 1].isspace()
            score = 1.0 if index < last_known else 0.8  # after the last known number the list may have ended
            edits.append(Edit(match.start(), match.end(), f"{' ' if glued else ''}{new}.", "list_number", score))
    return edits


def text_to_mark_edits(text: str, lexicon: Lexicon, start: int = 0, end: int | None = None) -> list[Edit]:
    """Quotes and bullets of text[start:end] (list numbers need the whole list: `text_to_number_edits`)."""
    end = len(text) if end is None else end
    openings = text_to_opening_edits(text, lexicon, start, end)
    closings = text_to_closing_edits(text, [e.start for e in openings], start, end)
    return openings + closings + text_to_bullet_edits(text, start, end)
