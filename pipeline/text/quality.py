"""How trustworthy a text is, as German, and whether a PDF text layer is damaged enough to OCR the page.

`text_quality` is the share of prose tokens that read as correct German: known to the German word list
(wordfreq, `large` list), not a damaged spelling of a much more frequent umlaut word ("Offnung" for "Öffnung",
"fir" for "für"), free of letters foreign to German spelling inside the word ("Behérde", "Zusté®ndig") and not
a piece of a word split by a spurious space ("Landgerich t Berli n"). Clean German prose scores about 0.95;
text from an English OCR model about 0.85; garbage far less.

Only prose-like tokens are judged: identifiers, markup and codes (`xs:element`, `<Betrag>`, `maxOccurs`,
`MAX_VALUE`, `ISO8859`) and numbers say nothing about OCR damage, so a listing, an XML format description or
a table of numbers is not taken for damaged prose. Unknown words alone are no damage either (names,
compounds, abbreviations, other languages): `stats_to_damage` asks for signs that an engine misread the
page (lost umlauts, foreign letters inside words, digits for letters, words split into fragments).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import astuple, dataclass
from functools import lru_cache

from pipeline.text.frequencies import Frequencies, german_frequencies

_WORD = re.compile(r"[^\W\d_]{2,}(?:[®é][^\W\d_]+)*")
_UMLAUT = re.compile(r"[äöüßÄÖÜ]")
_ODD_INSIDE = re.compile(r"(?<=[^\W\d_])[®©éèêáàíìóòúùñ]|[®©](?=[^\W\d_])")
# Code, markup and identifiers: symbols of programming and markup, namespaces ("xs:element"), calls, camelCase
# ("maxOccurs", "ElementType"), dotted names ("java.lang"), letters and digits mixed ("ISO8859", "B2B").
_IDENTIFIER = re.compile(
    r"[_<>{}\[\]=\\|@#$%^~*+`]|[^\W\d_]:[^\W\d_]|\w\(|[a-zäöüß][A-ZÄÖÜ]|[a-z]{2,}\.[a-z]{2,}|[^\W\d_]\d|\d[^\W\d_]"
)
_LETTERS_ONLY = re.compile(r"[^\W\d_]+")
_EDGE = "\"'„“”‚‘’»«()[],.;:!?"
# wordfreq stores casefolded words (ß → ss), so a lost ß ("StraBe") is looked up as "ss".
_UMLAUT_SWAPS = {"a": "ä", "o": "ö", "u": "ü", "i": "ü", "b": "ss"}
_SWAPPABLE = re.compile(f"[{''.join(_UMLAUT_SWAPS)}]")
_DIGIT_FOR_LETTER = str.maketrans("01568", "olsöb")  # OCR reads these letters as digits ("Ver0rdnung", "1ch")
_KNOWN = 1e-8  # wordfreq frequency (zipf 1): below this a word is unknown
_LOST_FACTOR = 30.0  # an umlaut spelling this much more frequent means the umlaut was lost
_SPLIT_FACTOR = 30.0  # two neighbours joined into a word this much more frequent than either: a split word
_RARE = 1e-6  # a part rarer than this (or a single letter) may be a fragment of a split word
_MIN_TOKENS = 30  # fewer prose tokens than this: too little text to judge a page


@dataclass(frozen=True)
class TextStats:
    """Counts of a text's prose tokens by what may be wrong with them."""

    tokens: int  # prose tokens (identifiers, markup, codes and numbers not counted)
    umlaut: int  # tokens with ä/ö/ü/ß
    unknown: int  # tokens not in the German word list
    lost_umlaut: int  # tokens whose umlaut spelling is far more frequent
    odd: int  # tokens with é/®/... inside the word
    split: int = 0  # neighbours that join into a far more frequent word ("Berli n"): a spurious space
    digits: int = 0  # tokens with digits for letters that read as a known word with letters ("Ver0rdnung")
    identifiers: int = 0  # code, markup and identifier tokens, not judged

    def share(self, count: int) -> float:
        return count / self.tokens if self.tokens else 0.0

    def __add__(self, other: TextStats) -> TextStats:
        return TextStats(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


def umlaut_spellings(word: str) -> list[str]:
    """Spellings of a casefolded word with one umlaut/ß restored, in the order of the replaced letters.

    >>> umlaut_spellings("strabe"), umlaut_spellings("fir")
    (['sträbe', 'strasse'], ['für'])
    """
    return [word[: at.start()] + _UMLAUT_SWAPS[at[0]] + word[at.end() :] for at in _SWAPPABLE.finditer(word)]


def is_lost_umlaut(word: str, freqs: Frequencies, own: float | None = None) -> bool:
    """Whether an umlaut-free word is most likely a damaged umlaut word ("offnung" → "öffnung"): one of its
    umlaut spellings is known and far more frequent. `own` is the word's frequency when the caller has it."""
    if own is None:
        own = freqs.get(word, 0.0)
    least = max(_KNOWN * 10, own * _LOST_FACTOR)  # the first spelling this frequent decides
    return any(freqs.get(spelling, 0.0) >= least for spelling in umlaut_spellings(word))


@lru_cache(maxsize=262144)
def word_class(token: str) -> int:
    """0 correct German, 1 unknown, 2 lost umlaut, 3 odd letter inside, 4 correct with an umlaut (cached:
    words repeat, and this is the hot path of the text-layer quality gate)."""
    plain = token.isascii()  # most words: no odd letter, no umlaut, nothing to search
    if not plain and _ODD_INSIDE.search(token):
        return 3
    freqs = german_frequencies()
    word = token.casefold()
    own = freqs.get(word, 0.0)
    if not plain and _UMLAUT.search(token):
        return 4 if own >= _KNOWN else 1
    if own < _KNOWN:
        return 1
    return 2 if is_lost_umlaut(word, freqs, own) else 0


@lru_cache(maxsize=262144)
def _frequency(word: str) -> float:
    return german_frequencies().get(word.casefold(), 0.0)


@lru_cache(maxsize=65536)  # pairs repeat: "in der", "zu den", "es ist"
def is_split_pair(left: str, right: str) -> bool:
    """Whether two neighbouring letter tokens are one word cut by a spurious space: joined they make a word
    far more frequent than either part, and one part is a single letter or a rare word ("Berli n",
    "Landgerich t", "Lan desregierung"). A single letter counts as a fragment whatever its own frequency;
    real word pairs ("in dem", "zu Hause") are as frequent as their compound and stay apart.

    >>> is_split_pair("Berli", "n"), is_split_pair("Landgerich", "t"), is_split_pair("in", "dem")
    (True, True, False)
    """
    parts = [0.0 if len(part) == 1 else _frequency(part) for part in (left, right)]
    if min(parts) >= _RARE:
        return False
    joined = _frequency(left + right)
    return joined >= _KNOWN * 10 and joined >= _SPLIT_FACTOR * max(parts)


def is_digit_damage(token: str) -> bool:
    """Whether a token with digits among its letters reads as a known word once the digits that OCR takes
    for letters are letters again ("Ver0rdnung", "1ch"; not "ISO8859", "B2B", "mp3").

    >>> is_digit_damage("Ver0rdnung"), is_digit_damage("ISO8859"), is_digit_damage("3")
    (True, False, False)
    """
    if not re.search(r"[^\W\d_]{2}", token) or not re.search(r"\d", token):
        return False
    word = token.translate(_DIGIT_FOR_LETTER)
    return bool(_LETTERS_ONLY.fullmatch(word)) and _frequency(word) >= _KNOWN * 100


def _is_german_spelling(token: str) -> bool:
    """A letters-only token that reads as a German word, perhaps with a lost umlaut ("MaBnahmen", "darUber":
    OCR damage that looks like camelCase)."""
    if not _LETTERS_ONLY.fullmatch(token):
        return False
    word = token.casefold()
    own = _frequency(word)
    return own >= _KNOWN or is_lost_umlaut(word, german_frequencies(), own)


Profile = tuple[int, int, int, int, int, int, int]
_TOKENS_KEPT = 262144  # tokens whose profile `_ProfileIds` keeps (a page has a few hundred)


class _ProfileIds(dict[str, int]):
    """Each token's `token_profile` as a number (its place in `profiles`), computed on the token's first ask:
    counting a page's tokens by profile is then a plain dict lookup and the count of a small int per token (an
    `lru_cache` and the tuples' hashes cost twice that, and this runs on every token of every page)."""

    def __init__(self) -> None:
        super().__init__()
        self.profiles: list[Profile] = []
        self.numbers: dict[Profile, int] = {}

    def __missing__(self, token: str) -> int:
        if len(self) >= _TOKENS_KEPT:
            self.clear()
        profile = token_profile(token)
        number = self[token] = self.numbers.setdefault(profile, len(self.profiles))
        if number == len(self.profiles):
            self.profiles.append(profile)
        return number


_profile_ids = _ProfileIds()


def token_profile(raw: str) -> Profile:
    """What one whitespace-delimited token adds to `TextStats` (without `split`), in its field order
    (`_ProfileIds` keeps them: tokens repeat). Code, markup and identifiers are set aside unless they read as a
    damaged German word."""
    token = raw.strip(_EDGE)
    if token.isalpha() and token[1:].islower():
        words = [token]  # most tokens: one word, no capital after the first letter, so no camelCase nor code
    elif _IDENTIFIER.search(token) and not _is_german_spelling(token):
        return (1, 0, 0, 0, 0, 1, 0) if is_digit_damage(token) else (0, 0, 0, 0, 0, 0, 1)
    else:
        words = _WORD.findall(token)
    counts = [0, 0, 0, 0, 0, 0, 0]
    for word in words:
        kind = word_class(word)
        counts[0] += 1
        counts[1] += kind == 4 or (kind == 1 and bool(_UMLAUT.search(word)))  # unknown with umlaut: both
        if kind in (1, 2, 3):
            counts[kind + 1] += 1
    return counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6]


def count_split_words(text: str) -> int:
    """Neighbouring tokens on one line, one of them 1-2 letters, that are one word split by a spurious space
    (`is_split_pair`); punctuation between them says they are two."""
    split = 0
    for line in text.splitlines():
        tokens = line.split()
        for left, right in zip(tokens, tokens[1:], strict=False):
            if (len(left) <= 2 or len(right) <= 3) and left.isalpha() and right[:1].isalpha():
                right = right.rstrip(_EDGE)
                split += right.isalpha() and min(len(left), len(right)) <= 2 and is_split_pair(left, right)
    return split


def text_to_stats(text: str) -> TextStats:
    """Counts over the prose tokens of a text: one profile per distinct token, so a page costs little more
    than splitting it (this runs on every page of every PDF)."""
    # Counted by profile, of which a page has a handful ("a known word" is most tokens): few additions.
    counted = Counter(map(_profile_ids.__getitem__, text.split()))
    profiles, numbers = [_profile_ids.profiles[number] for number in counted], list(counted.values())
    totals = [sum(map(int.__mul__, field, numbers)) for field in zip(*profiles, strict=True)] or [0] * 7
    tokens, umlaut, unknown, lost, odd, digits, identifiers = totals
    return TextStats(tokens, umlaut, unknown, lost, odd, count_split_words(text), digits, identifiers)


def text_quality(text: str) -> float:
    """Share of prose tokens that read as correct German (see the module docstring); 0.0 without words.

    >>> text_quality("Die Landesregierung fördert die interkulturelle Öffnung der Verwaltung.")
    1.0
    >>> text_quality("Die Landesregierung fordert die interkulturelle Offnung der Verwaltung fir alle.") < 0.9
    True
    """
    return stats_to_quality(text_to_stats(text))


def stats_to_quality(stats: TextStats) -> float:
    if not stats.tokens:
        return 0.0
    damaged = stats.unknown + stats.lost_umlaut + stats.odd + stats.split + stats.digits
    return round(max(0.0, 1.0 - damaged / stats.tokens), 3)


def layer_damage(text: str) -> str | None:
    """Why a page's text layer looks machine-damaged: '' when it looks fine, None when too short to judge.

    Clean German has ä/ö/ü/ß in 9-16 % of tokens; a layer made by an English OCR model has under 3 %, and
    shows lost umlauts, accented letters inside words or digits for letters; a poor OCR layer of a scan
    splits words into fragments ("Landgerich t Berli n"). Listings, code and tables of numbers are judged by
    their prose only, and unknown words alone are no damage.
    """
    return stats_to_damage(text_to_stats(text))


def stats_to_damage(stats: TextStats) -> str | None:
    if stats.tokens < _MIN_TOKENS:
        return None
    signs = []
    if stats.share(stats.lost_umlaut) >= 0.02:
        signs.append(f"{stats.share(stats.lost_umlaut):.1%} lost umlauts")
    if stats.odd >= 2:
        signs.append(f"{stats.odd} words with é/® inside")
    if stats.digits >= 2 and stats.share(stats.digits) >= 0.01:
        signs.append(f"{stats.digits} words with digits for letters")
    split = stats.split >= 3 and stats.share(stats.split) >= 0.03
    if split:
        signs.append(f"{stats.share(stats.split):.1%} words split by spurious spaces")
    if not signs:
        return ""
    if stats.share(stats.unknown) >= 0.12:
        signs.append(f"{stats.share(stats.unknown):.1%} unknown words")
    low_umlaut = stats.share(stats.umlaut) < 0.03
    if split or low_umlaut or stats.share(stats.unknown) >= 0.30:
        return f"umlauts in {stats.share(stats.umlaut):.1%} of tokens, " + ", ".join(signs)
    return ""
