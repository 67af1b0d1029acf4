"""How trustworthy a text is, as German.

`text_quality` is the share of word tokens that read as correct German: known to the German word list
(wordfreq, `large` list), not a damaged spelling of a much more frequent umlaut word ("Offnung" for "Öffnung",
"fir" for "für") and free of letters foreign to German spelling inside the word ("Behérde", "Zusté®ndig").
Clean German prose scores about 0.95; text from an English OCR model about 0.85; garbage far less.
"""

from __future__ import annotations

import re
from dataclasses import astuple, dataclass
from functools import lru_cache

from pipeline.text.frequencies import Frequencies, german_frequencies

_WORD = re.compile(r"[^\W\d_]{2,}(?:[®é][^\W\d_]+)*")
_UMLAUT = re.compile(r"[äöüßÄÖÜ]")
_ODD_INSIDE = re.compile(r"(?<=[^\W\d_])[®©éèêáàíìóòúùñ]|[®©](?=[^\W\d_])")
# wordfreq stores casefolded words (ß → ss), so a lost ß ("StraBe") is looked up as "ss".
_UMLAUT_SWAPS = (("a", "ä"), ("o", "ö"), ("u", "ü"), ("i", "ü"), ("b", "ss"))
_KNOWN = 1e-8  # wordfreq frequency (zipf 1): below this a word is unknown
_LOST_FACTOR = 30.0  # an umlaut spelling this much more frequent means the umlaut was lost
_MIN_TOKENS = 30  # fewer tokens than this: too little text to judge a page


@dataclass(frozen=True)
class TextStats:
    tokens: int
    umlaut: int  # tokens with ä/ö/ü/ß
    unknown: int  # tokens not in the German word list
    lost_umlaut: int  # tokens whose umlaut spelling is far more frequent
    odd: int  # tokens with é/®/... inside the word

    def share(self, count: int) -> float:
        return count / self.tokens if self.tokens else 0.0

    def __add__(self, other: TextStats) -> TextStats:
        return TextStats(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


def umlaut_spellings(word: str) -> list[str]:
    """Spellings of a casefolded word with one umlaut/ß restored.

    >>> umlaut_spellings("strabe")
    ['sträbe', 'strasse']
    """
    out = []
    for plain, umlaut in _UMLAUT_SWAPS:
        start = word.find(plain)
        while start >= 0:
            out.append(word[:start] + umlaut + word[start + len(plain) :])
            start = word.find(plain, start + 1)
    return out


def is_lost_umlaut(word: str, freqs: Frequencies) -> bool:
    """Whether an umlaut-free word is most likely a damaged umlaut word ("offnung" → "öffnung")."""
    own = freqs.get(word, 0.0)
    best = max((freqs.get(w, 0.0) for w in umlaut_spellings(word)), default=0.0)
    return best >= _KNOWN * 10 and best >= own * _LOST_FACTOR


@lru_cache(maxsize=262144)
def word_class(token: str) -> int:
    """0 correct German, 1 unknown, 2 lost umlaut, 3 odd letter inside, 4 correct with an umlaut (cached:
    words repeat, and this is the hot path of the text-layer quality gate)."""
    if _ODD_INSIDE.search(token):
        return 3
    freqs = german_frequencies()
    word = token.casefold()
    known = freqs.get(word, 0.0) >= _KNOWN
    if _UMLAUT.search(token):
        return 4 if known else 1
    if not known:
        return 1
    return 2 if is_lost_umlaut(word, freqs) else 0


def text_to_stats(text: str) -> TextStats:
    counts = [0, 0, 0, 0, 0]
    tokens = _WORD.findall(text)
    for token in tokens:
        counts[word_class(token)] += 1
    # an unknown word with an umlaut counts as unknown and as an umlaut token
    umlaut = counts[4] + sum(1 for t in tokens if word_class(t) == 1 and _UMLAUT.search(t))
    return TextStats(len(tokens), umlaut, counts[1], counts[2], counts[3])


def text_quality(text: str) -> float:
    """Share of word tokens that read as correct German (see the module docstring); 0.0 without words.

    >>> text_quality("Die Landesregierung fördert die interkulturelle Öffnung der Verwaltung.")
    1.0
    >>> text_quality("Die Landesregierung fordert die interkulturelle Offnung der Verwaltung fir alle.") < 0.9
    True
    """
    return stats_to_quality(text_to_stats(text))


def stats_to_quality(stats: TextStats) -> float:
    if not stats.tokens:
        return 0.0
    return round(1.0 - (stats.unknown + stats.lost_umlaut + stats.odd) / stats.tokens, 3)


def layer_damage(text: str) -> str | None:
    """Why a page's text layer looks machine-damaged: '' when it looks fine, None when too short to judge.

    Clean German has ä/ö/ü/ß in 9-16 % of tokens; a layer made by an English OCR model has under 3 %, and
    shows lost umlauts, accented letters inside words or many words no German word list knows.
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
    if stats.share(stats.unknown) >= 0.12:
        signs.append(f"{stats.share(stats.unknown):.1%} unknown words")
    low_umlaut = stats.share(stats.umlaut) < 0.03
    if (low_umlaut and signs) or stats.share(stats.unknown) >= 0.30:
        return f"umlauts in {stats.share(stats.umlaut):.1%} of tokens, " + ", ".join(signs)
    return ""
