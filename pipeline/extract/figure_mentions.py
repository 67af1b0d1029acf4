"""Where the numbers are: digit numbers, number words and shares, with what they count.

`text_to_quantities` finds every written number that could be a count ("1.719", "48,7", "acht", "eine Million",
"jeder Vierte", "die Hälfte"); `quantity_to_reading` reads the words after it (a unit noun, "%", "Prozent") and
rejects what is not a figure: dates, ordinals, durations, document/phone/postal numbers, labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.extract.figure_context import qualifier_before
from pipeline.extract.figure_lexicon import (
    fold,
    folded_list,
    is_function_word,
    is_non_count_noun,
    lexicon,
    noun_to_unit,
)
from pipeline.extract.numbers import (
    digits_to_value,
    fraction_to_share,
    is_year,
    ordinal_to_share,
    scale_to_factor,
    word_to_value,
)


@dataclass(frozen=True)
class Quantity:
    """A written number: its span, its value, and whether it already is a share (percent)."""

    start: int
    end: int
    value: float
    written: str
    is_digits: bool
    is_share: bool = False


@dataclass(frozen=True)
class Reading:
    """A quantity read as a figure: its unit and the span of the words that name what is counted."""

    quantity: Quantity
    unit: str
    end: int  # end of the unit word ("%", "Prozent", the noun)
    noun_start: int  # start of the counted phrase (== end when nothing follows the number)
    label: str = ""  # what is counted when a label before the number names it ("Teilnehmende: 1.250")


_DIGITS = re.compile(r"\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?![\d.,]\d)|\d[\d.,]*")  # "100 000" with a thin space
_WORD = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(r"\([^()\n]{0,40}\)|[^\W\d_][\w-]*\.?|\d[\d.,/]*|%|\S")
_SHARE_WORDS = re.compile(r"(?<![\w-])([Jj]ede[rsnm]?)\s+([^\W\d_]+)")
_MAX_GAP = 4


def _next_token(text: str, pos: int) -> re.Match[str] | None:
    return _TOKEN.search(text, pos, min(len(text), pos + 80))


def _with_scale(text: str, quantity: Quantity) -> Quantity:
    """Extend "1,5" + "Millionen" / "eine" + "Million" to one quantity."""
    token = _next_token(text, quantity.end)
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
_OCR_ZERO = re.compile(r"(?<=\d[.,])[O](?=[\dO])|(?<=\d)O(?=[\dO]|[.,]\d)")


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
        if value is None or _is_glued(text, start, end) or (raw.startswith("0") and len(raw) > 1 and raw[1] != ","):
            continue
        quantities.append(_with_scale(text, Quantity(start, end, value, raw, True)))
    return quantities


def _word_quantities(text: str) -> list[Quantity]:
    one_words = set(lexicon()["one_words"])
    quantities = []
    for match in _WORD.finditer(text):
        word, start, end = match.group(), match.start(), match.end()
        if text[end : end + 1] == "-" or text[start - 1 : start] == "-":
            continue
        value = word_to_value(word)
        if value is None and word.lower() in one_words:
            scaled = _with_scale(text, Quantity(start, end, 1, word, False))
            if scaled.end != end or _is_percent_word(text, end) is not None:  # "eine Million", "ein Prozent"
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


_RATIO = re.compile(r"(?<![\w.,/-])([^\W_]+)\s+von\s+([^\W_]+)(?![\w.,/-])")
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


def _is_percent_word(text: str, pos: int) -> int | None:
    """The end of "%", "Prozent", "v. H." starting at `pos` (after spaces), else None."""
    rest = text[pos : pos + 20]
    stripped = rest.lstrip()
    offset = pos + len(rest) - len(stripped)
    lowered = stripped.lower()
    for word in sorted(lexicon()["percent_words"], key=len, reverse=True):
        if lowered.startswith(word) and not lowered[len(word) : len(word) + 1].isalpha():
            return offset + len(word)
    return None


def _is_gap_word(token: str) -> bool:
    """Words that may stand between a number and its noun: adverbs and adjectives ("gut qualifizierte")."""
    folded = fold(token)
    if folded in folded_list("free_gap_words"):
        return True
    return len(token) > 3 and any(folded.endswith(ending) for ending in lexicon()["adjective_endings"])


_TRUNCATED_TAIL = re.compile(r"(?:,?\s*[A-ZÄÖÜ][\w]*-)*\s+(?:und|oder|bzw\.|sowie)\s+[A-ZÄÖÜ][\w-]*[\w]")


def find_noun(text: str, pos: int) -> tuple[int, int] | None:
    """The span of the counted noun after a number: skips adjectives and short parentheses, stops elsewhere."""
    for _ in range(_MAX_GAP):
        token = _next_token(text, pos)
        if token is None or "\n" in text[pos : token.start()]:
            return None
        word = token.group()
        pos = token.end()
        if word.startswith("("):
            continue
        if not word[:1].isalpha() or is_function_word(word):
            return None
        if word[:1].isupper():
            if word.endswith("-"):  # "Stadt- und Kreissportbünden": the head is the last conjunct
                rest = _TRUNCATED_TAIL.match(text, token.end())
                return (token.start(), rest.end()) if rest else None
            end = token.end() - (1 if word.endswith(".") else 0)
            return token.start(), end
        if not _is_gap_word(word):
            return None
    return None


def quantity_to_reading(text: str, quantity: Quantity) -> Reading | None:
    """Read what a quantity counts; None when it is not a count or share.

    >>> text = "mit 1200 Beschäftigten, am 26. März 2012, seit zehn Jahren, 48,7 % und Drucksache 16/850"
    >>> [(r.quantity.written, r.unit) for q in text_to_quantities(text) if (r := quantity_to_reading(text, q))]
    [('1200', 'persons'), ('48,7', 'percent')]
    """
    if quantity.is_share:
        noun = find_noun(text, quantity.end)
        if noun is not None and is_non_count_noun(text[noun[0] : noun[1]]):
            return None  # "jeden dritten Monat" is a frequency
        return Reading(quantity, "percent", quantity.end, quantity.end)
    percent_end = _is_percent_word(text, quantity.end)
    if percent_end is not None:
        return Reading(quantity, "percent", percent_end, percent_end)
    noun = find_noun(text, quantity.end)
    if noun is None:
        return None
    word = text[noun[0] : noun[1]].split()[-1]
    if is_non_count_noun(word):
        return None
    unit = noun_to_unit(word)
    ungrouped_long = quantity.written.isdigit() and len(quantity.written) >= 5  # postcodes, phone numbers
    if (
        quantity.is_digits
        and unit is None
        and (is_year(quantity.value, quantity.written) or ungrouped_long or quantity.value < 2)
    ):
        return None
    if quantity.is_digits and is_year(quantity.value, quantity.written) and not qualifier_before(text, quantity.start):
        return None  # "in 2016 Beschäftigte befragt", "wurde 2014 Partner"; but "über 2000 Beschäftigte"
    return Reading(quantity, unit or "other", noun[1], noun[0])


_SENTENCE_BREAK = re.compile(r"[.!?][\"“”»«]?\s+[\dA-ZÄÖÜ„\"»]|\n")
_ELLIPSIS_END = re.compile(r"\s*(?:[,;)]|\.(?:\s+([^\W\d_]+)|\s*$|\s*\n|\s+[^\w\s])|\s+([^\W\d_]+\.?)\s)")
_ELLIPSIS_REACH = 200


def elliptic_reading(text: str, quantity: Quantity, previous: Reading | None) -> Reading | None:
    """A number whose noun is left out because the sentence named it just before.

    >>> text = "Bielefeld beschäftigt knapp 4.800 Mitarbeiter, bei der Stadt Hamm sind es über 2.900. Das ist viel."
    >>> quantities = text_to_quantities(text)
    >>> first = quantity_to_reading(text, quantities[0])
    >>> reading = elliptic_reading(text, quantities[1], first)
    >>> reading.quantity.written, reading.unit
    ('2.900', 'persons')
    >>> text = "Von den 86 Beschäftigten haben 61 an einem Workshop teilgenommen, seit 20 Jahren."
    >>> quantities = text_to_quantities(text)
    >>> first = quantity_to_reading(text, quantities[0])
    >>> [elliptic_reading(text, q, first) is not None for q in quantities[1:]]
    [True, False]
    """
    if previous is None or previous.unit in ("percent", "other") or quantity.is_share:
        return None
    between = text[previous.end : quantity.start + 1]  # with its first character: ". 5" starts a new item
    if len(between) > _ELLIPSIS_REACH or _SENTENCE_BREAK.search(between):
        return None
    if is_year(quantity.value, quantity.written) or quantity.value < 2:
        return None
    end = _ELLIPSIS_END.match(text, quantity.end)
    if end is None:
        return None
    if end.group(1) and not is_function_word(end.group(1)):
        return None  # "am 26. März", "5. Deutschen": an ordinal, not the end of a sentence
    if end.group(2) and not is_function_word(end.group(2)):
        return None  # "61 an einem Workshop", "fünf einen Migrationshintergrund" read on; "20 Jahre" does not
    return Reading(quantity, previous.unit, quantity.end, quantity.end)


_LABEL = re.compile(r"([^\n.;:!?]{1,80}):[ \t]*$")
_LABEL_END = re.compile(r"[ \t]*(?:[,;)]|\n|$|\.[ \t]*(?:\n|$))")  # not "1. Alle …", a list item


def label_reading(text: str, quantity: Quantity) -> Reading | None:
    """A count after a label that names what is counted ("Teilnehmende der Sprachkurse: 1.250").

    >>> text = "Teilnehmende der Sprachkurse (A1-B2): 1.250, Telefon: 0211 855, Seite: 3."
    >>> [(q.written, r.unit) for q in text_to_quantities(text) if (r := label_reading(text, q))]
    [('1.250', 'persons')]
    >>> text = "Das Jobcenter hat sich zu folgenden Maßnahmen verpflichtet: 1. Alle Beschäftigten"
    >>> [q.written for q in text_to_quantities(text) if label_reading(text, q)]
    []
    """
    label = _LABEL.search(text, max(0, quantity.start - 90), quantity.start)
    if label is None or not quantity.is_digits or not _LABEL_END.match(text, quantity.end):
        return None
    if is_year(quantity.value, quantity.written):
        return None
    for word in re.findall(r"[A-ZÄÖÜ][\w-]*", re.sub(r"\([^()]*\)", " ", label.group(1))):
        if is_function_word(word):
            continue
        unit = noun_to_unit(word)
        if unit is not None:
            return Reading(quantity, unit, quantity.end, quantity.end, label.group(1).strip())
    return None
