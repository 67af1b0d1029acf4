"""Context of a word: its place in the sentence, the case that place wants, and real-word errors.

A real-word error is a valid word an umlaut-less OCR made from another valid word (Lander for Länder). It is
repaired only on strong evidence, and only in text the gate marked damaged: konnte stays konnte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.models import adjective_endings, compile_cached
from pipeline.repair.candidates import word_to_candidates
from pipeline.repair.lexicon import Lexicon

REAL_WORD_MARGIN = 1.0  # Zipf: the candidate must be ten times as frequent as the word as read
_RARE = 1.0  # Zipf of a dictionary word that wordfreq does not list (its list is cut at 1.5)
_CONJUNCTIONS = ("und", "oder", "sowie", "bzw")


@lru_cache(maxsize=1)
def _adjective_ending() -> re.Pattern[str]:
    """An attributive adjective's inflection ending at the end of a word (a noun follows)."""
    return compile_cached("(?:" + "|".join(map(re.escape, adjective_endings())) + ")$")


@dataclass(frozen=True)
class Place:
    """Where a word stands: at a sentence start, and its neighbours."""

    initial: bool = False
    previous: str = ""
    following: str = ""


def case_for_role(candidate: str, word: str, initial: bool) -> str:
    """Restore case: capitalised at a sentence start, else the case the candidate has.

    >>> case_for_role("über", "Uber", True), case_for_role("über", "Uber", False)
    ('Über', 'über')
    """
    if initial and candidate[:1].islower() and word[:1].isupper():
        return candidate[:1].upper() + candidate[1:]
    return candidate


def wants_lowercase(candidate: str, place: Place) -> bool:
    """Inside a sentence, a word after "zu", or an adjective before a noun, is written in lowercase."""
    if place.previous == "zu":
        return True
    return bool(_adjective_ending().search(candidate)) and place.following[:1].isupper()


def role_penalty(candidate: str, lexicon: Lexicon, place: Place) -> float:
    """0 when the candidate's case fits its place; 1 when it does not ("aus Übergeordneter Perspektive")."""
    if place.initial or candidate.isupper():
        return 0.0
    if candidate[:1].islower():
        return 0.0
    if wants_lowercase(candidate.lower(), place) and lexicon.is_valid(candidate[:1].lower() + candidate[1:]):
        return 1.0
    if candidate in lexicon.words or (not lexicon.is_word(candidate) and lexicon.is_compound(candidate)):
        return 0.0
    return 1.0


def case_preference(candidate: str, lexicon: Lexicon, place: Place) -> int:
    """Between two readings equally fit: a noun after an article or an inflected adjective ("einen
    komprimierten Überblick"), else lowercase ("für Familien öffnen")."""
    previous = place.previous
    noun_expected = previous.lower() in lexicon.determiners or (
        previous.islower() and bool(_adjective_ending().search(previous)) and previous not in lexicon.determiners
    )
    return 0 if candidate[:1].isupper() == noun_expected or place.initial else 1


def is_noun(word: str, lexicon: Lexicon) -> bool:
    """A capitalised word of the lexicon, or a capitalised compound (whose last part is a noun)."""
    if word in lexicon.words:
        return word[:1].isupper()
    return word[:1].isupper() and not lexicon.is_word(word) and lexicon.is_compound(word)


def frequency(word: str, lexicon: Lexicon) -> float:
    """Zipf frequency; a compound unknown to wordfreq takes its longest known tail's."""
    value = lexicon.frequency(word)
    if value:
        return value
    return tail_frequency(word, lexicon)


def tail_frequency(word: str, lexicon: Lexicon) -> float:
    for cut in range(1, len(word) - 3):
        value = lexicon.frequency(word[cut:])
        if value:
            return value
    return 0.0


def frequency_margin(candidate: str, word: str, lexicon: Lexicon) -> float:
    """How much more frequent the candidate is (Zipf): whole words when both are known, else by their tails
    ("Ausbildungsplatze" → "plätze" against "platze")."""
    own = lexicon.frequency(word) or (_RARE if lexicon.is_word(word) else 0.0)
    theirs = lexicon.frequency(candidate) or (_RARE if lexicon.is_word(candidate) else 0.0)
    if own and theirs:
        return theirs - own
    return tail_frequency(candidate, lexicon) - tail_frequency(word, lexicon)


def real_word_evidence(word: str, candidate: str, lexicon: Lexicon, place: Place) -> str:
    """Why the candidate is the better reading of a valid word ("" when there is no strong evidence)."""
    word_parts, candidate_parts = lexicon.parts(word), lexicon.parts(candidate)
    if word_parts is None or candidate_parts is None or candidate_parts > word_parts:
        return ""
    if candidate_parts < word_parts:
        return "fewer compound parts"
    margin = frequency_margin(candidate, word, lexicon)
    if margin >= REAL_WORD_MARGIN:
        return "frequency"
    mid_capital = word[:1].isupper() and not place.initial and bool(place.previous)
    after_article = place.previous.lower() in lexicon.determiners
    if mid_capital and not is_noun(word, lexicon):  # a capitalised non-noun in a sentence
        if candidate[:1].isupper() and candidate in lexicon.words:
            return "noun in a sentence"
        adjective_before_noun = _adjective_ending().search(candidate) and place.following[:1].isupper()
        if candidate[:1].islower() and candidate in lexicon.words and not (adjective_before_noun or after_article):
            return "lowercase in a sentence"
    if margin < 0:
        return ""
    if mid_capital and word in lexicon.words and candidate in lexicon.domain and word not in lexicon.domain:
        return "noun of the genre"
    if word.endswith("er") and (place.following == "als" or _is_adverb_slot(place.following)):
        return "comparative: no noun follows"
    if place.previous == "zu" and word.endswith("en") and not place.following[:1].isupper():
        return "infinitive after zu"
    return ""


def _is_adverb_slot(following: str) -> bool:
    """After an inflected adjective ("starker") a noun must follow; a lowercase word there makes it an adverb."""
    return following[:1].islower() and following not in _CONJUNCTIONS


def real_word_candidate(word: str, lexicon: Lexicon, place: Place) -> tuple[str, float] | None:
    """A valid word an umlaut-less OCR most likely made from another: one confusion, strong evidence.

    A less usual confusion (cost above 1) needs a wider frequency margin ("schlieft" → "schließt").
    """
    for k, cost, _, candidate in word_to_candidates(word, lexicon, abbreviation=False):
        if k > 1:
            break
        if cost > 1.2 or not lexicon.is_valid(candidate):
            continue
        if cost > 1.0:
            margin = frequency_margin(candidate, word, lexicon)
            if margin >= REAL_WORD_MARGIN + 2.5 * (cost - 1.0):
                return case_for_role(candidate, word, place.initial), 0.6
            continue
        if real_word_evidence(word, candidate, lexicon, place):
            margin = frequency_margin(candidate, word, lexicon)
            return case_for_role(candidate, word, place.initial), round(min(1.0, 0.6 + max(margin, 0) / 4), 3)
    return None
