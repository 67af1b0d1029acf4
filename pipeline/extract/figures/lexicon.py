"""Lookup of the nouns after a number in the figures lexicon, tolerant of lost umlauts and OCR confusions.

A noun is compared on a folded form ("Beschäftigte" and "Beschaftigte" → "beschaftigte") as a whole word or as
the last part of a compound ("Ruhrgebietsstädten" ends with "städten"), and, when that fails, on its consonant
skeleton, which survives OCR damage to vowels and umlauts ("Stick" ≈ "Stück", "Fliichtlinge" ≈ "Flüchtlinge").
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Any

from pipeline.extract.base import fold_umlauts
from pipeline.models import compile_cached, load_json

_VOWELS = compile_cached(r"[aeiouy]")
_OCR_SZ = compile_cached(r"(?<=[a-zäöü])B+(?=[a-zäöü])")  # "MaBnahmen": OCR read ß as B
_MIN_COMPOUND_HEAD = 3
_MIN_SKELETON = 4


def lexicon() -> dict[str, Any]:
    return load_json("patterns/figures.json")  # type: ignore[no-any-return]


@lru_cache(maxsize=2**16)
def fold(word: str) -> str:
    """Lowercase, umlauts and ß folded, an OCR "B" for ß inside a word read as "ss".

    >>> fold("Beschäftigte"), fold("MaBnahmen"), fold("Maßnahmen"), fold("Stück")
    ('beschaftigte', 'massnahmen', 'massnahmen', 'stuck')
    """
    word = unicodedata.normalize("NFC", word)
    if "B" in word:  # most words have none: no regex to run
        word = _OCR_SZ.sub("ss", word)
    return fold_umlauts(word).lower()


def skeleton(word: str) -> str:
    """The consonants of the folded word, which survive OCR damage to vowels.

    >>> skeleton("Stick") == skeleton("Stück"), skeleton("Fliichtlinge") == skeleton("Flüchtlinge")
    (True, True)
    """
    letters = re.sub(r"[^a-z]", "", fold(word))
    return re.sub(r"(.)\1+", r"\1", _VOWELS.sub("", letters))


@cache
def _folded_units() -> tuple[tuple[str, str, str], ...]:
    """(folded form, skeleton, unit), longest first so that compounds win over their heads."""
    units: dict[str, str] = lexicon()["units"]
    entries = {(fold(form), skeleton(form), unit) for form, unit in units.items()}
    return tuple(sorted(entries, key=lambda e: (-len(e[0]), e[0])))


def _is_compound_of(folded: str, head: str) -> bool:
    if folded == head:
        return True
    return folded.endswith(head) and len(folded) - len(head) >= _MIN_COMPOUND_HEAD


def _folded_to_unit(folded: str) -> str | None:
    """The unit of the longest form that is the word or the head of the compound it is (`_is_compound_of`): the
    word's ends looked up, longest first, where `_folded_units` was walked in that order.

    >>> _folded_to_unit("ruhrgebietsstadten"), _folded_to_unit("kurzbeitrage")
    ('organisations', None)
    """
    units = _unit_of_form()
    for size in range(len(folded), -1, -1):
        if size == len(folded) or len(folded) - size >= _MIN_COMPOUND_HEAD:
            unit = units.get(folded[len(folded) - size :])
            if unit is not None:
                return unit
    return None


@cache
def _unit_of_form() -> dict[str, str]:
    """The unit of each folded form: that of its first entry in `_folded_units`."""
    units: dict[str, str] = {}
    for form, _, unit in _folded_units():
        units.setdefault(form, unit)
    return units


@lru_cache(maxsize=2**16)
def noun_to_unit(noun: str) -> str | None:
    """The unit of a counted noun, or None when the lexicon does not know it.

    >>> noun_to_unit("Ruhrgebietsstädten"), noun_to_unit("Beschaftigte"), noun_to_unit("Stick")
    ('organisations', 'persons', 'copies')
    >>> noun_to_unit("Ansprechpartner"), noun_to_unit("Jobcentern"), noun_to_unit("Kurzbeiträge") is None
    ('persons', 'organisations', True)
    >>> noun_to_unit("Ausbildungsbotschafterinnen"), noun_to_unit("Diversity-Beauftragte")
    ('persons', 'persons')
    """
    folded = fold(noun.strip("-."))
    # inflected forms: dative plural "-n", genitive "-s"
    candidates = [folded] + [folded[:-1] for ending in ("n", "s") if folded.endswith(ending)]
    for candidate in candidates:
        unit = _folded_to_unit(candidate)
        if unit:
            return unit
    if folded.endswith(folded_tuple("person_suffixes")):
        return "persons"
    noun_skeleton = skeleton(noun)
    for form, form_skeleton, unit in _folded_units():
        if len(form_skeleton) >= _MIN_SKELETON and noun_skeleton.endswith(form_skeleton):
            if abs(len(folded) - len(form)) <= 2 or len(noun_skeleton) > len(form_skeleton) + 2:
                return unit
    return None


@cache
def folded_list(name: str) -> frozenset[str]:
    """A word list of the lexicon, folded."""
    return frozenset(fold(word) for word in lexicon()[name])


@cache
def folded_tuple(name: str) -> tuple[str, ...]:
    """A word list of the lexicon, folded, in order (for `str.endswith` and walks)."""
    return tuple(sorted(folded_list(name)))


def is_duration_noun(noun: str) -> bool:
    """Time spans ("Jahren", "Monaten", "Lebensjahren") are durations, not counts.

    >>> is_duration_noun("Jahren"), is_duration_noun("Kalenderjahren"), is_duration_noun("Beiträge")
    (True, True, False)
    >>> is_duration_noun("Tage"), is_duration_noun("Fachtage")
    (True, False)
    """
    folded = fold(noun)
    if folded in folded_list("duration_nouns"):
        return True
    return any(_is_compound_of(folded, word) for word in folded_tuple("duration_compound_heads"))


def is_non_count_noun(noun: str) -> bool:
    """Nouns after which a number is a label, not a count ("Mal", "Uhr", "Seite", month names).

    >>> is_non_count_noun("Mal"), is_non_count_noun("Uhr"), is_non_count_noun("März"), is_non_count_noun("Projekte")
    (True, True, True, False)
    """
    folded = fold(noun.rstrip("."))
    return folded in folded_list("non_count_nouns") or is_duration_noun(noun)


def is_function_word(word: str) -> bool:
    return fold(word.rstrip(".")) in folded_list("function_words")
