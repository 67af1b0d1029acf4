"""Where the numbers are: digit numbers, number words and shares, with what they count.

`text_to_quantities` finds every written number that could be a count ("1.719", "48,7", "acht", "eine Million",
"jeder Vierte", "die Hälfte"); `figure_readings` then decides what each one counts, if anything.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from pipeline.extract.base import fold_umlauts, umlaut_fold_table
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


# `\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?![\d.,]\d)|\d[\d.,]*` ("100 000" with a thin space), with the first digit
# of both alternatives taken out in front: a pattern that starts with a character class is skipped to its next
# candidate at C speed, one that starts with an alternation is tried at every position (the same matches).
_DIGITS = compile_cached(r"\d(?:\d{0,2}(?:[\u00a0\u202f\u2009]\d{3})+(?![\d.,]\d)|[\d.,]*)")
_WORD = compile_cached(r"[^\W\d_]+")
_LETTER = compile_cached(r"[^\W\d_]")
_TOKEN = compile_cached(r"\([^()\n]{0,40}\)|[^\W\d_][\w-]*\.?|\d[\d.,/]*|%|\S")
# `(?<![\w-])([Jj]ede[rsnm]?)\s+([^\W\d_]+)`, its lookbehind tested after the "J" (the same matches, found fast)
_SHARE_WORDS = compile_cached(r"([Jj](?<![\w-][Jj])ede[rsnm]?)\s+([^\W\d_]+)")


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


# OCR reads a zero as the letter O inside numbers ("1.O12", "3O6-0"); same length, so offsets hold. The "O" comes
# first, its lookbehinds after it, so that `re` finds the letter fast instead of trying the lookbehinds everywhere.
_OCR_ZERO = compile_cached(r"O(?:(?<=\d[.,]O)(?=[\dO])|(?<=\dO)(?=[\dO]|[.,]\d))")


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
    for suffix, unit in _multiplier_suffixes():
        if text.startswith(suffix, end) and not text[end + len(suffix) : end + len(suffix) + 1].isalpha():
            return unit
    return None


@cache
def _multiplier_suffixes() -> tuple[tuple[str, str], ...]:
    """The multiplier suffixes with their units, longest first."""
    suffixes: dict[str, str] = lexicon()["multiplier_suffixes"]
    return tuple((suffix, suffixes[suffix]) for suffix in sorted(suffixes, key=len, reverse=True))


@cache
def number_word_candidates() -> re.Pattern[str]:
    """The letter runs (as `_WORD` finds them) that can be a number word: those starting like one (the first
    three letters of a number word, a compound's unit or scale, or "ein"), found at C speed."""
    return compile_cached(rf"(?<![^\W\d_])(?=(?i:{'|'.join(map(re.escape, _number_word_prefixes()))}))[^\W\d_]+")


@cache
def _number_word_prefixes() -> list[str]:
    lex = lexicon()
    words = {*lex["number_words"], *lex["compound_units"], *lex["compound_tens"], *lex["one_words"]}
    words |= {*lex["compound_scales"]} | {fold_umlauts(w) for w in words}
    return sorted({w[:3] for w in words}, key=lambda p: (-len(p), p))


@cache
def _number_word_after() -> re.Pattern[str]:
    """`number_word_candidates` after the character before it (group 1 is the word): a pattern that starts with a
    character class is skipped to its next candidate at C speed, one that starts with a lookbehind is tried at
    every position of the text. The prefixes' first letters come first, in one class: most words fail that one
    test instead of each prefix."""
    prefixes = _number_word_prefixes()
    firsts = "".join(sorted({prefix[0] for prefix in prefixes}))
    alternatives = "|".join(map(re.escape, prefixes))
    return compile_cached(rf"[\W\d_]((?=(?i:[{re.escape(firsts)}]))(?=(?i:{alternatives}))[^\W\d_]+)")


def number_word_spans(text: str) -> Iterator[tuple[int, int]]:
    """The spans of `number_word_candidates().finditer(text)`: the word at the start of the text, which has no
    character before it, then those after a non-letter.

    >>> [text[a:b] for text in ["Acht und neun, zweite."] for a, b in number_word_spans(text)]
    ['Acht', 'neun', 'zweite']
    """
    first = number_word_candidates().match(text)
    if first is not None:
        yield first.span()
    for match in _number_word_after().finditer(text):
        yield match.span(1)


def _word_quantities(text: str) -> list[Quantity]:
    one_words = set(lexicon()["one_words"])
    quantities = []
    for start, end in number_word_spans(text):
        word = text[start:end]
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
    names = _fraction_names()
    for start, end in _fraction_word_spans(text, names):
        previous = _word_before(text, start)
        if previous is not None:
            share = fraction_to_share(text[previous[0] : previous[1]], names[fold(text[start:end])])
            if share is not None:
                first = previous[0]
                quantities.append(Quantity(first, end, share, text[first:end], False, True))
    return quantities


@cache
def _fraction_names() -> dict[str, str]:
    """The fraction words ("Hälfte", "Drittel") by their folded forms."""
    return {fold(word): word for word in lexicon()["fraction_denominators"]}


def _fraction_word_spans(text: str, names: dict[str, str]) -> list[tuple[int, int]]:
    """The spans of the words (letter runs) that fold to a fraction word, in order.

    >>> _fraction_word_spans("die Hälfte, ein DRITTEL, Halften, Viertelstunde", _fraction_names())
    [(4, 10), (16, 23)]
    """
    folded = _folded_in_place(text, names)
    if folded is None:
        found = [word for word in set(_WORD.findall(text)) if fold(word) in names]
        alternatives = "|".join(re.escape(word) for word in sorted(found, key=lambda w: (-len(w), w)))
        words = re.compile(rf"(?<![^\W\d_])(?:{alternatives})(?![^\W\d_])")
        return [m.span() for m in words.finditer(text)] if found else []
    spans = set()
    for name in names:
        start = folded.find(name)
        while start >= 0:
            end = start + len(name)
            word = _WORD.match(text, start)
            if word and word.end() == end and not (start and _LETTER.match(text, start - 1)):
                if fold(word.group()) in names:
                    spans.add((start, end))
            start = folded.find(name, start + 1)
    return sorted(spans)


def _folded_in_place(text: str, names: dict[str, str]) -> str | None:
    """The text folded character by character (`fold` but for ß and the OCR "B", kept as they are), so that every
    word that folds to one of `names` stands folded at its own offsets; None where that cannot be vouched for.

    A name without "ss" cannot be the fold of a word with "ß" or an OCR "B" (each gives "ss"). In a text in NFC
    every word is in NFC (a word has no combining mark, whose composition could span its edge), and `fold`'s
    NFC changes it not. Umlauts and accents fold to one letter each; a lowercasing that changes the length (the
    Turkish "İ") makes the offsets unsure.
    """
    if any("ss" in name for name in names) or not unicodedata.is_normalized("NFC", text):
        return None
    for letter, folded_letter in _one_letter_fold():
        if letter in text:
            text = text.replace(letter, folded_letter)
    folded = text.lower()
    return folded if len(folded) == len(text) else None


@cache
def _one_letter_fold() -> tuple[tuple[str, str], ...]:
    """`fold_umlauts`'s table without the folds into more than one letter (ß → ss), as pairs to replace one after
    the other (a `str.replace` per letter is ten times faster than a `str.translate` over a long text), which
    gives what the table gives as no letter it folds into is folded itself."""
    table = {chr(code): letters for code, letters in umlaut_fold_table().items() if len(letters) == 1}
    assert not set(table) & set(table.values()), "a letter folded into is folded itself"
    return tuple(table.items())


def _word_before(text: str, start: int, char: re.Pattern[str] = _LETTER) -> tuple[int, int] | None:
    """The span of the word (run of `char`, letters) before `start` when only whitespace (`\\s`) stands between
    them, else None.

    >>> _word_before("zwei  Drittel", 6), _word_before("2 Drittel", 2), _word_before("(Drittel", 1)
    ((0, 4), None, None)
    """
    end = start
    while end and text[end - 1].isspace():
        end -= 1
    if end == start or not end or not char.match(text, end - 1):
        return None
    first = end
    while first and char.match(text, first - 1):
        first -= 1
    return first, end


_RATIO = compile_cached(r"(?<![\w.,/-])([^\W_]+)\s+von\s+([^\W_]+)(?![\w.,/-])")
_RATIO_BASES = {2, 3, 4, 5, 6, 7, 8, 9, 10, 100}
# The "von" of `_RATIO`, found fast (a literal first), and the word before it, where a match of `_RATIO` starts
_RATIO_VON = compile_cached(r"von(?<=\svon)(?=\s)")
_ALNUM = compile_cached(r"[^\W_]")


def _ratio_matches(text: str) -> Iterator[re.Match[str]]:
    """`_RATIO.finditer(text)`, tried only at the word before each " von " (where each of its matches starts)
    instead of at every position of the text.

    >>> [m.group() for m in _ratio_matches("vier von zehn von zwölf; 9 von\\n10 und A-1 von 2")]
    ['vier von zehn', '9 von\\n10']
    """
    end = 0
    for von in _RATIO_VON.finditer(text):
        before = _word_before(text, von.start(), _ALNUM)
        if before is None or before[0] < end:
            continue
        match = _RATIO.match(text, before[0])
        if match is not None:
            end = match.end()
            yield match


def _ratio_quantities(text: str) -> list[Quantity]:
    """ "vier von zehn", "9 von 10" → a share in percent (only over small round bases)."""
    quantities = []
    for match in _ratio_matches(text):
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
    for word in _percent_words():
        if lowered.startswith(word) and not lowered[len(word) : len(word) + 1].isalpha():
            return offset + len(word)
    return None


@cache
def _percent_words() -> tuple[str, ...]:
    """The percent words, longest first."""
    return tuple(sorted(lexicon()["percent_words"], key=len, reverse=True))
