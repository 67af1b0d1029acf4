"""Word repair: candidates from the OCR confusion table, fewest edits first, ranked by frequency, case by role.

"Offnung" → "Öffnung", "fiir" → "für", "MaBBnahmen" → "Maßnahmen", "Uber die" → "über die", "Kfl" → "KfI".
Real-word errors ("Forderung" for "Förderung") are repaired only on strong evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.models import compile_cached
from pipeline.repair.candidates import word_to_candidates
from pipeline.repair.context import (
    Place,
    case_for_role,
    case_preference,
    frequency,
    real_word_candidate,
    role_penalty,
)
from pipeline.repair.lexicon import Lexicon

GENERIC_COST = 1.6  # confusions of any degraded scan (t/f, i/l, n/h), not of the English model's umlauts

_LETTER = "A-Za-zÀ-ÖØ-öø-ÿ"
TOKEN = compile_cached(rf"[{_LETTER}&0-9]*[{_LETTER}][{_LETTER}&0-9]*")
# "(ber die" is "über die": a "(" glued to a lowercase word that no ")" closes is a misread "ü".
_PAREN_U = compile_cached(rf"\((?=([a-zäöüß]+)(?![{_LETTER})]))")
_SENTENCE_END = compile_cached(r"(?:^|[.!?]|\d\.)[\s„“\"»«,(]*$")


@dataclass(frozen=True)
class Edit:
    """A replacement of text[start:end] by `after`, in the coordinates of the text it was found in."""

    start: int
    end: int
    after: str
    rule: str
    score: float


def is_sentence_start(text: str, start: int) -> bool:
    """Whether a word at `start` begins a sentence (line start, or after . ! ? and opening quotes)."""
    return bool(_SENTENCE_END.search(text[max(0, start - 12) : start]))


def is_abbreviation_like(word: str) -> bool:
    """Short and mostly capitals: "Kfl", "LaKl", "BlZ", "Kl".

    >>> is_abbreviation_like("LaKl"), is_abbreviation_like("MaBBnahmen")
    (True, False)
    """
    capitals = sum(1 for ch in word if ch.isupper())
    return len(word) <= 6 and (capitals >= 2 or (len(word) <= 3 and capitals == 1))


def is_acceptable(candidate: str, lexicon: Lexicon, abbreviation: bool) -> bool:
    if abbreviation:
        return candidate in lexicon.abbreviations
    return lexicon.is_valid(candidate)


def search_candidates(word: str, lexicon: Lexicon, place: Place, abbreviation: bool) -> tuple[str, float] | None:
    """The valid candidates with the fewest edits; the best case for the place, then the most frequent."""
    found: list[tuple[float, float, int, int, float, str]] = []
    best_k = None
    for k, cost, worst, candidate in word_to_candidates(word, lexicon, abbreviation):
        if best_k is not None and k > best_k:
            break
        if not is_acceptable(candidate, lexicon, abbreviation):
            continue
        if worst >= GENERIC_COST and lexicon.parts(candidate) != 1:
            continue  # a general misreading must give a dictionary word, not a compound ("Rum|arisch")
        best_k = k
        final = case_for_role(candidate, word, place.initial)
        parts = lexicon.parts(final) or 9
        fit = role_penalty(final, lexicon, place)
        found.append((fit, cost, parts, case_preference(final, lexicon, place), -frequency(final, lexicon), final))
    if not found:
        return None
    found.sort()
    best = found[0]
    rivals = [f for f in found if f[:4] == best[:4]]
    mass = sum(10 ** -f[4] for f in rivals)
    return best[5], round(10 ** -best[4] / mass, 3)


def best_candidate(word: str, lexicon: Lexicon, place: Place) -> tuple[str, float] | None:
    """The repair of an unknown word: an abbreviation of the list if it looks like one, else a word."""
    if is_abbreviation_like(word) and (found := search_candidates(word, lexicon, place, abbreviation=True)):
        return found
    return search_candidates(word, lexicon, place, abbreviation=False)


def neighbours(text: str, tokens: list[re.Match[str]], i: int) -> tuple[str, str]:
    """The words before and after token i; a punctuation mark in between stands for the word.

    >>> neighbours("zu starken. Die", list(TOKEN.finditer("zu starken. Die")), 1)
    ('zu', '.')
    """
    previous = following = ""
    if i:
        gap = text[tokens[i - 1].end() : tokens[i].start()].strip()
        previous = gap[-1] if gap else tokens[i - 1].group()
    if i + 1 < len(tokens):
        gap = text[tokens[i].end() : tokens[i + 1].start()].strip()
        following = gap[0] if gap else tokens[i + 1].group()
    return previous, following


def text_to_word_edits(text: str, lexicon: Lexicon, start: int = 0, end: int | None = None) -> list[Edit]:
    """Edits for the words of text[start:end] that the lexicon does not know (or knows as a likely misreading)."""
    tokens = list(TOKEN.finditer(text, start, len(text) if end is None else end))
    edits = text_to_split_edits(text, tokens, lexicon)
    covered = {offset for e in edits for offset in range(e.start, e.end)}
    cache: dict[tuple[str, Place], tuple[str, float, str] | None] = {}
    for i, match in enumerate(tokens):
        word = match.group()
        if word.isdigit() or len(word) < 2 and word not in "&6" or match.start() in covered:
            continue
        place = Place(is_sentence_start(text, match.start()), *neighbours(text, tokens, i))
        key = (word, place)
        if key not in cache:
            cache[key] = word_to_repair(word, lexicon, place)
        repair = cache[key]
        if repair is not None and repair[0] != word:
            edits.append(Edit(match.start(), match.end(), repair[0], repair[2], repair[1]))
    return text_to_paren_edits(text, lexicon, start, end) + edits


def split_candidates(first: str, second: str) -> list[str]:
    """A word the OCR cut where a ß stood ("Ma nahmen", "Maf nahmen", "gro e").

    >>> split_candidates("Maf", "nahmen")
    ['Mafßnahmen', 'Maßnahmen']
    """
    out = [first + "ß" + second]
    if first[-1:] in ("f", "R", "B"):
        out.append(first[:-1] + "ß" + second)
    return out


def text_to_split_edits(text: str, tokens: list[re.Match[str]], lexicon: Lexicon) -> list[Edit]:
    edits: list[Edit] = []
    for a, b in zip(tokens, tokens[1:], strict=False):
        first, second = a.group(), b.group()
        if text[a.end() : b.start()] != " " or not second.islower() or not first[-1:].isalpha():
            continue
        if lexicon.is_valid(first) and lexicon.is_valid(second) and min(len(first), len(second)) > 3:
            continue
        if edits and edits[-1].end > a.start():
            continue
        for joined in split_candidates(first, second):
            if lexicon.is_valid(joined):
                edits.append(Edit(a.start(), b.end(), joined, "split_word", 0.8))
                break
    return edits


def text_to_paren_edits(text: str, lexicon: Lexicon, start: int = 0, end: int | None = None) -> list[Edit]:
    """ "(ber" → "über" where the word is unknown and "ü" + word is a word."""
    edits = []
    for match in _PAREN_U.finditer(text, start, len(text) if end is None else end):
        word = match.group(1)
        if not lexicon.is_valid(word) and lexicon.is_word("ü" + word):
            end_of_word = match.end() + len(word)
            edits.append(Edit(match.start(), end_of_word, "ü" + word, "unknown_word", 0.8))
    return edits


def word_to_repair(word: str, lexicon: Lexicon, place: Place) -> tuple[str, float, str] | None:
    """(repaired word, score, rule) or None."""
    if word[:1].isdigit() and not re.match(r"[6&]", word):
        return None
    if lexicon.is_valid(word):
        found = real_word_candidate(word, lexicon, place)
        return (*found, "real_word") if found else None
    found = best_candidate(word, lexicon, place)
    return (*found, "unknown_word") if found else None
