"""German numbers as written: digits with `.` grouping and `,` decimals, number words, scale words, shares.

Pure functions over strings; the word lists live in `models/patterns/figures.json`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from pipeline.extract.base import fold_umlauts, one_of
from pipeline.models import compile_cached, load_json, year_range

_GROUPED = compile_cached(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_SPACED = compile_cached(r"\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+")
_PLAIN = compile_cached(r"\d+(?:,\d+)?")


def _lexicon() -> dict[str, Any]:
    return load_json("patterns/figures.json")  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def _percent_sign() -> re.Pattern[str]:
    return compile_cached(rf"\s*{one_of(_lexicon()['percent_signs'])}$")


def digits_to_value(text: str) -> float | None:
    """Parse a German digit number ("1.719", "48,7", "100.000", "1200"); None for dates and codes.

    >>> digits_to_value("1.719"), digits_to_value("48,7"), digits_to_value("100.000"), digits_to_value("1200")
    (1719.0, 48.7, 100000.0, 1200.0)
    >>> digits_to_value("100\u202f000")
    100000.0
    >>> digits_to_value("03.11.2014") is None, digits_to_value("11.5") is None, digits_to_value("16/850") is None
    (True, True, True)
    """
    text = text.strip()
    if _GROUPED.fullmatch(text):
        return float(text.replace(".", "").replace(",", "."))
    if _SPACED.fullmatch(text):
        return float(re.sub(r"\D", "", text))
    if _PLAIN.fullmatch(text):
        return float(text.replace(",", "."))
    return None


@lru_cache(maxsize=2**16)
def word_to_value(word: str) -> int | None:
    """The value of a German cardinal number word, compounds included; None for anything else.

    >>> word_to_value("acht"), word_to_value("Zwölf"), word_to_value("fünfundzwanzig"), word_to_value("zweiten")
    (8, 12, 25, None)
    >>> word_to_value("dreihundertvierzig"), word_to_value("eine"), word_to_value("funf")
    (340, None, 5)
    """
    word = unicodedata.normalize("NFC", word.lower())
    lexicon = _lexicon()
    words: dict[str, int] = lexicon["number_words"]
    if word in words:
        return words[word]
    folded = _folded_number_words().get(fold_umlauts(word))
    if folded is not None:
        return folded  # OCR lost the umlaut: "funf", "zwolf"
    return _compound_to_value(word, lexicon)


@lru_cache(maxsize=1)
def _folded_number_words() -> dict[str, int]:
    words: dict[str, int] = _lexicon()["number_words"]
    return {fold_umlauts(word): value for word, value in words.items()}


def _compound_to_value(word: str, lexicon: dict[str, Any]) -> int | None:
    """Compounds such as "einundzwanzig", "zweihundertfünfzig", "dreitausend"."""
    units: dict[str, int] = lexicon["compound_units"]
    tens: dict[str, int] = lexicon["compound_tens"]
    simple: dict[str, int] = lexicon["number_words"]
    scales: dict[str, int] = lexicon["compound_scales"]
    for scale_word, scale in scales.items():
        head, found, rest = word.partition(scale_word)
        if not found or (head and head not in units):
            continue
        multiplier = units[head] if head else 1
        if not rest:
            return multiplier * scale
        tail = simple.get(rest) if rest in simple else _compound_to_value(rest, lexicon)
        return multiplier * scale + tail if tail else None
    unit_word, found, ten_word = word.partition(lexicon["compound_joiner"])
    if found and unit_word in units and ten_word in tens:
        return units[unit_word] + tens[ten_word]
    return None


def scale_to_factor(word: str) -> int | None:
    """The factor of a scale word ("Millionen" → 1000000, "Mio." → 1000000).

    >>> scale_to_factor("Millionen"), scale_to_factor("Mio."), scale_to_factor("Menschen")
    (1000000, 1000000, None)
    """
    scales: dict[str, int] = _lexicon()["scale_words"]
    return scales.get(word.lower())


def ordinal_to_share(word: str) -> float | None:
    """The share in percent meant by "jeder <ordinal>" ("Vierte" → 25.0, "Dritte" → 33.33).

    >>> ordinal_to_share("Vierte"), ordinal_to_share("dritte"), ordinal_to_share("Neue")
    (25.0, 33.33, None)
    """
    denominators: dict[str, int] = _lexicon()["ordinal_denominators"]
    denominator = denominators.get(word.lower().rstrip("nr"), denominators.get(word.lower()))
    return round(100 / denominator, 2) if denominator else None


def fraction_to_share(multiplier_word: str, fraction_word: str) -> float | None:
    """The share in percent of a fraction phrase ("die Hälfte" → 50, "zwei Drittel" → 66.67).

    >>> fraction_to_share("die", "Hälfte"), fraction_to_share("zwei", "Drittel"), fraction_to_share("ein", "Viertel")
    (50.0, 66.67, 25.0)
    """
    lexicon = _lexicon()
    denominators: dict[str, int] = lexicon["fraction_denominators"]
    multipliers: dict[str, int] = lexicon["fraction_multipliers"]
    denominator = denominators.get(fraction_word.lower())
    multiplier = multipliers.get(multiplier_word.lower())
    if denominator is None or multiplier is None:
        return None
    return round(100 * multiplier / denominator, 2)


def value_to_text(value: float) -> str:
    """Format a value with `.` as decimal point and no grouping.

    >>> value_to_text(1719.0), value_to_text(48.7), value_to_text(11.78), value_to_text(1000000.0)
    ('1719', '48.7', '11.78', '1000000')
    """
    if value == int(value):
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def is_year(value: float, text: str) -> bool:
    """A bare four-digit number in the one year range (`year_range`) written without grouping reads as a year.

    >>> is_year(2017.0, "2017"), is_year(1200.0, "1200"), is_year(2000.0, "2.000")
    (True, False, False)
    """
    low, high = year_range()
    return text.isdigit() and len(text) == 4 and low <= value <= high


def phrase_to_value(phrase: str) -> float | None:
    """The value of a whole German number phrase: digits or words, with a scale word, a share or a percent sign.

    >>> [phrase_to_value(p) for p in ("1.719", "48,7 %", "11,78 Prozent", "100.000", "1,5 Millionen")]
    [1719.0, 48.7, 11.78, 100000.0, 1500000.0]
    >>> [phrase_to_value(p) for p in ("acht", "zwölf", "eine Million", "jeder Vierte", "die Hälfte", "Drucksache")]
    [8.0, 12.0, 1000000.0, 25.0, 50.0, None]
    """
    words = _percent_sign().sub("", phrase.strip()).split()
    if len(words) == 2 and words[0].lower().startswith(tuple(_lexicon()["distributive_stems"])):
        return ordinal_to_share(words[1])
    if len(words) == 2 and fraction_to_share(words[0], words[1]) is not None:
        return fraction_to_share(words[0], words[1])
    factor = 1
    if len(words) == 2:
        scale = scale_to_factor(words[1])
        if scale is None:
            return None
        factor, words = scale, words[:1]
    if len(words) != 1:
        return None
    word = words[0]
    if word.lower() in _lexicon()["one_words"] and factor > 1:
        return float(factor)
    value = digits_to_value(word)
    if value is None:
        number = word_to_value(word)
        value = float(number) if number is not None else None
    return value * factor if value is not None else None
