"""Word repair: candidates from the OCR confusion table, fewest edits first, ranked by frequency, case by role.

"Offnung" → "Öffnung", "fiir" → "für", "MaBBnahmen" → "Maßnahmen", "Uber die" → "über die", "Kfl" → "KfI".
Real-word errors ("Forderung" for "Förderung") are repaired only on strong evidence.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.repair_lexicon import Confusion, Lexicon

_LETTER = "A-Za-zÀ-ÖØ-öø-ÿ"
TOKEN = re.compile(rf"[{_LETTER}&0-9]*[{_LETTER}][{_LETTER}&0-9]*")
# "(ber die" is "über die": a "(" glued to a lowercase word that no ")" closes is a misread "ü".
_PAREN_U = re.compile(rf"\((?=([a-zäöüß]+)(?![{_LETTER})]))")
MAX_EDITS = 3
MAX_SITES = 14
REAL_WORD_MARGIN = 1.0  # Zipf: the candidate must be ten times as frequent as the word as read
_SENTENCE_END = re.compile(r"(?:^|[.!?]|\d\.)[\s„“\"»«,(]*$")


@dataclass(frozen=True)
class Edit:
    """A replacement of text[start:end] by `after`, in the coordinates of the text it was found in."""

    start: int
    end: int
    after: str
    rule: str
    score: float


@dataclass(frozen=True)
class Site:
    pos: int
    confusion: Confusion


def word_to_sites(word: str, confusions: tuple[Confusion, ...], abbreviation: bool) -> list[Site]:
    """Every place a confusion could apply (its `ocr` side occurs there, in a context it allows)."""
    sites = []
    for conf in confusions:
        if (conf.context == "abbr") != abbreviation:
            continue
        start = 1 if conf.context == "mid" else 0
        for match in re.finditer(re.escape(conf.ocr), word[start:]):
            pos = match.start() + start
            if conf.context == "mid" and conf.ocr[:1].isupper() and not word[pos - 1].islower():
                continue  # "MaBnahmen": a capital B between lowercase letters, not "BIZ"
            sites.append(Site(pos, conf))
    return sites


def apply_sites(word: str, sites: tuple[Site, ...]) -> str | None:
    """The word with these confusions undone, or None when two of them overlap."""
    out, last = [], 0
    for site in sorted(sites, key=lambda s: s.pos):
        if site.pos < last:
            return None
        out.append(word[last : site.pos] + site.confusion.true)
        last = site.pos + len(site.confusion.ocr)
    return "".join(out) + word[last:]


def word_to_candidates(word: str, lexicon: Lexicon, abbreviation: bool) -> Iterator[tuple[int, float, str]]:
    """(edits, cost, candidate) for every combination of up to MAX_EDITS confusions, fewest edits first."""
    sites = word_to_sites(word, lexicon.confusions, abbreviation)[: MAX_SITES * 3]
    seen: set[str] = set()
    for k in range(1, MAX_EDITS + 1):
        for combo in itertools.combinations(sites, k):
            if len({s.pos for s in combo}) < k:
                continue
            candidate = apply_sites(word, combo)
            if candidate is None or candidate in seen:
                continue
            seen.add(candidate)
            yield k, sum(s.confusion.cost for s in combo), candidate


def is_sentence_start(text: str, start: int) -> bool:
    """Whether a word at `start` begins a sentence (line start, or after . ! ? and opening quotes)."""
    return bool(_SENTENCE_END.search(text[max(0, start - 12) : start]))


@dataclass(frozen=True)
class Place:
    """Where a word stands: at a sentence start, and its neighbours."""

    initial: bool = False
    previous: str = ""
    following: str = ""


def case_for_role(candidate: str, word: str, initial: bool) -> str:
    """Restore case: capitalised at a sentence start, else the case the candidate has."""
    if initial and candidate[:1].islower() and word[:1].isupper():
        return candidate[:1].upper() + candidate[1:]
    return candidate


def wants_lowercase(candidate: str, place: Place) -> bool:
    """Inside a sentence, a word after "zu", or an adjective before a noun, is written in lowercase."""
    if place.previous == "zu":
        return True
    return bool(re.search("(?:e|er|en|em|es)$", candidate)) and place.following[:1].isupper()


def role_penalty(candidate: str, lexicon: Lexicon, place: Place) -> float:
    """0 when the candidate's case fits its place; 1 when it does not ("aus Übergeordneter Perspektive")."""
    if place.initial or candidate.isupper():
        return 0.0
    if candidate[:1].islower():
        return 0.0 if wants_lowercase(candidate, place) or not _has_noun_form(candidate, lexicon) else 0.5
    if wants_lowercase(candidate.lower(), place) and lexicon.is_valid(candidate[:1].lower() + candidate[1:]):
        return 1.0
    if candidate in lexicon.words or lexicon.is_compound(candidate):
        return 0.0
    return 1.0


def _has_noun_form(candidate: str, lexicon: Lexicon) -> bool:
    capital = candidate[:1].upper() + candidate[1:]
    return capital in lexicon.words or (not lexicon.is_word(candidate) and lexicon.is_compound(capital))


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
    found: list[tuple[float, float, float, str]] = []
    best_k = None
    for k, cost, candidate in word_to_candidates(word, lexicon, abbreviation):
        if best_k is not None and k > best_k:
            break
        if not is_acceptable(candidate, lexicon, abbreviation):
            continue
        best_k = k
        final = case_for_role(candidate, word, place.initial)
        found.append((role_penalty(final, lexicon, place), cost, -frequency(final, lexicon), final))
    if not found:
        return None
    found.sort()
    best = found[0]
    rivals = {f[3] for f in found if f[0] == best[0] and f[1] == best[1]}
    mass = sum(10 ** -f[2] for f in found if f[3] in rivals)
    return best[3], round(10 ** -best[2] / mass, 3)


def frequency(word: str, lexicon: Lexicon) -> float:
    """Zipf frequency; a compound unknown to wordfreq takes its longest known tail's."""
    value = lexicon.frequency(word)
    if value:
        return value
    for cut in range(1, len(word) - 3):
        value = lexicon.frequency(word[cut:])
        if value:
            return value
    return 0.0


def best_candidate(word: str, lexicon: Lexicon, place: Place) -> tuple[str, float] | None:
    """The repair of an unknown word: an abbreviation of the list if it looks like one, else a word."""
    if is_abbreviation_like(word) and (found := search_candidates(word, lexicon, place, abbreviation=True)):
        return found
    return search_candidates(word, lexicon, place, abbreviation=False)


def real_word_candidate(word: str, lexicon: Lexicon, place: Place) -> tuple[str, float] | None:
    """A valid word that an umlaut-less OCR most likely made from another (Lander → Länder).

    Only one edit, only the plain umlaut/ß confusions, and only on strong evidence: a frequency margin of
    REAL_WORD_MARGIN Zipf; or a noun of the genre where the word as read is not one; or a capitalised
    non-noun inside a sentence where the candidate is a noun ("und Brauchen" → "und Bräuchen");
    or a comparative before "als" ("starker als" → "stärker als"). konnte stays konnte.
    """
    own = frequency(word, lexicon)
    for k, cost, candidate in word_to_candidates(word, lexicon, abbreviation=False):
        if k > 1:
            break
        if cost > 1.0 or not lexicon.is_valid(candidate):
            continue
        margin = frequency(candidate, lexicon) - own
        mid_capital = word[:1].isupper() and not place.initial
        is_noun = mid_capital and word in lexicon.words
        genre = is_noun and candidate in lexicon.domain and word not in lexicon.domain and margin >= 0.0
        role = mid_capital and word not in lexicon.words and candidate in lexicon.words and place.previous.islower()
        comparative = word.endswith("er") and place.following == "als" and margin >= 0.0
        if margin >= REAL_WORD_MARGIN or genre or role or comparative:
            return case_for_role(candidate, word, place.initial), round(min(1.0, 0.6 + max(margin, 0) / 4), 3)
    return None


def text_to_word_edits(text: str, lexicon: Lexicon, start: int = 0, end: int | None = None) -> list[Edit]:
    """Edits for the words of text[start:end] that the lexicon does not know (or knows as a likely misreading)."""
    edits = []
    cache: dict[tuple[str, Place], tuple[str, float, str] | None] = {}
    tokens = list(TOKEN.finditer(text, start, len(text) if end is None else end))
    for i, match in enumerate(tokens):
        word = match.group()
        if word.isdigit() or len(word) < 2 and word not in "&6":
            continue
        previous = tokens[i - 1].group() if i else ""
        following = tokens[i + 1].group() if i + 1 < len(tokens) else ""
        place = Place(is_sentence_start(text, match.start()), previous, following)
        key = (word, place)
        if key not in cache:
            cache[key] = word_to_repair(word, lexicon, place)
        repair = cache[key]
        if repair is not None and repair[0] != word:
            edits.append(Edit(match.start(), match.end(), repair[0], repair[2], repair[1]))
    return text_to_paren_edits(text, lexicon, start, end) + edits


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
