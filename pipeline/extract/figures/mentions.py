"""Where the numbers are: digit numbers, number words and shares, with what they count.

`text_to_quantities` finds every written number that could be a count ("1.719", "48,7", "acht", "eine Million",
"jeder Vierte", "die Hälfte"); `figure_readings` then decides what each one counts, if anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline.extract.base import fold_umlauts
from pipeline.extract.figures.lexicon import fold, lexicon
from pipeline.extract.numbers import (
    digits_to_value,
    fraction_to_share,
    ordinal_to_share,
    scale_to_factor,
    word_to_value,
)
from pipeline.models import compile_cached


@dataclass(frozen=True)
class Quantity:
    """A written number: its span, its value, and whether it already is a share (percent)."""

    start: int
    end: int
    value: float
    written: str
    is_digits: bool
    is_share: bool = False


_DIGITS = compile_cached(r"\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?![\d.,]\d)|\d[\d.,]*")  # "100 000" with a thin space
_WORD = compile_cached(r"[^\W\d_]+")
_TOKEN = compile_cached(r"\([^()\n]{0,40}\)|[^\W\d_][\w-]*\.?|\d[\d.,/]*|%|\S")
_SHARE_WORDS = compile_cached(r"(?<![\w-])([Jj]ede[rsnm]?)\s+([^\W\d_]+)")


def next_token(text: str, pos: int) -> re.Match[str] | None:
    return _TOKEN.search(text, pos, min(len(text), pos + 80))


def _with_scale(text: str, quantity: Quantity) -> Quantity:
    """Extend "1,5" + "Millionen" / "eine" + "Million" to one quantity."""
    token = next_token(text, quantity.end)
    if token is None or text[quantity.end : token.start()].strip():
        return quantity
    factor = scale_to_factor(token.group())
    if factor is None:
        return quantity
    return Quantity(
        quantity.start, token.end(), quantity.value * factor, text[quantity.start : token.end()], quantity.is_digits
    )


def _is_glued(text: str, start: int, end: int) -> bool:
    """Part of a code, date, phone number, range or word ("16/850", "855-3118", "70er", "U79", "29.09.")."""
    before = text[start - 1] if start else " "
    before2 = text[start - 2] if start > 1 else " "
    after = text[end] if end < len(text) else " "
    after2 = text[end + 1] if end + 1 < len(text) else " "
    if before.isalnum() or before in "/_" or (before in "-–" and before2.isdigit()):
        return True
    if before in ".," and before2.isdigit():
        return True
    if after.isalnum() or (after in "./:-–" and after2.isdigit()):
        return True
    return False


# OCR reads a zero as the letter O inside numbers ("1.O12", "3O6-0"); same length, so offsets hold
_OCR_ZERO = compile_cached(r"(?<=\d[.,])[O](?=[\dO])|(?<=\d)O(?=[\dO]|[.,]\d)")


def _digit_quantities(text: str) -> list[Quantity]:
    """Digit numbers, German style; dates, codes and numbers glued to words are left out.

    >>> [(q.written, q.value) for q in _digit_quantities("1.O12 Beschäftigte, 48,7 %, am 01.O3.2018, U79, 16/850")]
    [('1.012', 1012.0), ('48,7', 48.7)]
    """
    text = _OCR_ZERO.sub("0", text)
    quantities = []
    for match in _DIGITS.finditer(text):
        raw = match.group().rstrip(".,")
        start, end = match.start(), match.start() + len(raw)
        value = digits_to_value(raw)
        if value is not None and multiplier_unit(text, end) is not None:
            quantities.append(Quantity(start, end, value, raw, True))  # "60-fach": a count of copies
            continue
        if value is None or _is_glued(text, start, end) or (raw.startswith("0") and len(raw) > 1 and raw[1] != ","):
            continue
        quantities.append(_with_scale(text, Quantity(start, end, value, raw, True)))
    return quantities


def multiplier_unit(text: str, end: int) -> str | None:
    """The unit of a multiplier glued to a number ("60-fach" counts copies), else None."""
    suffixes: dict[str, str] = lexicon()["multiplier_suffixes"]
    for suffix in sorted(suffixes, key=len, reverse=True):
        if text.startswith(suffix, end) and not text[end + len(suffix) : end + len(suffix) + 1].isalpha():
            return suffixes[suffix]
    return None


@cache
def number_word_candidates() -> re.Pattern[str]:
    """The letter runs (as `_WORD` finds them) that can be a number word: those starting like one (the first
    three letters of a number word, a compound's unit or scale, or "ein"), found at C speed."""
    lex = lexicon()
    words = {*lex["number_words"], *lex["compound_units"], *lex["compound_tens"], *lex["one_words"]}
    words |= {*lex["compound_scales"]} | {fold_umlauts(w) for w in words}
    prefixes = sorted({w[:3] for w in words}, key=lambda p: (-len(p), p))
    return compile_cached(rf"(?<![^\W\d_])(?=(?i:{'|'.join(re.escape(p) for p in prefixes)}))[^\W\d_]+")



def _word_quantities(text: str) -> list[Quantity]:
    one_words = set(lexicon()["one_words"])
    quantities = []
    for match in number_word_candidates().finditer(text):
        word, start, end = match.group(), match.start(), match.end()
        if text[end : end + 1] == "-" or text[start - 1 : start] == "-":
            continue
        value = word_to_value(word)
        if value is None and word.lower() in one_words:
            scaled = _with_scale(text, Quantity(start, end, 1, word, False))
            if scaled.end != end or is_percent_word(text, end) is not None:  # "eine Million", "ein Prozent"
                quantities.append(scaled)
            continue
        if value:
            quantities.append(_with_scale(text, Quantity(start, end, value, word, False)))
    return quantities


def _share_quantities(text: str) -> list[Quantity]:
    """Shares in words: "jeder Vierte" → 25 %, "die Hälfte" / "zwei Drittel" → 50 / 66.67 %."""
    quantities = []
    for match in _SHARE_WORDS.finditer(text):
        share = ordinal_to_share(match.group(2))
        if share is not None:
            quantities.append(Quantity(match.start(), match.end(), share, match.group(), False, True))
    names = {fold(word): word for word in lexicon()["fraction_denominators"]}
    previous: re.Match[str] | None = None
    for match in _WORD.finditer(text):
        folded = fold(match.group())
        if previous is not None and folded in names and not text[previous.end() : match.start()].strip():
            share = fraction_to_share(previous.group(), names[folded])
            if share is not None:
                start = previous.start()
                quantities.append(Quantity(start, match.end(), share, text[start : match.end()], False, True))
        previous = match
    return quantities


_RATIO = compile_cached(r"(?<![\w.,/-])([^\W_]+)\s+von\s+([^\W_]+)(?![\w.,/-])")
_RATIO_BASES = {2, 3, 4, 5, 6, 7, 8, 9, 10, 100}


def _ratio_quantities(text: str) -> list[Quantity]:
    """ "vier von zehn", "9 von 10" → a share in percent (only over small round bases)."""
    quantities = []
    for match in _RATIO.finditer(text):
        part, whole = (_token_value(token) for token in match.groups())
        if part is None or whole is None or whole not in _RATIO_BASES or not 0 < part <= whole:
            continue
        share = round(100 * part / whole, 2)
        quantities.append(Quantity(match.start(), match.end(), share, match.group(), False, True))
    return quantities


def _token_value(token: str) -> float | None:
    if token.isdigit():
        return float(token)
    value = word_to_value(token)
    return float(value) if value else None


def text_to_quantities(text: str) -> list[Quantity]:
    """Every written number in the text, sorted by position (overlaps resolved to the longest).

    Ordinals ("26.") are still here; `quantity_to_reading` drops them as they count nothing.

    >>> [(q.written, q.value) for q in text_to_quantities("über eine Million, 1.719 und acht, am 26. März")]
    [('eine Million', 1000000), ('1.719', 1719.0), ('acht', 8), ('26', 26.0)]
    """
    found = _digit_quantities(text) + _word_quantities(text) + _share_quantities(text) + _ratio_quantities(text)
    found.sort(key=lambda q: (q.start, -q.end))
    kept: list[Quantity] = []
    for quantity in found:
        if kept and quantity.start < kept[-1].end:
            continue
        kept.append(quantity)
    return kept


def is_percent_word(text: str, pos: int) -> int | None:
    """The end of "%", "Prozent", "v. H." starting at `pos` (after spaces), else None."""
    rest = text[pos : pos + 20]
    stripped = rest.lstrip()
    offset = pos + len(rest) - len(stripped)
    lowered = stripped.lower()
    for word in sorted(lexicon()["percent_words"], key=len, reverse=True):
        if lowered.startswith(word) and not lowered[len(word) : len(word) + 1].isalpha():
            return offset + len(word)
    return None
