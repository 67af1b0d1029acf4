"""The German lexicon of the OCR repair: valid-word decisions (with compounds) and word frequencies.

Built by `scripts/build_lexicon.py` into `models/lexicon/` from the Hunspell de_DE dictionary, wordfreq,
the corpus' clean documents and an abbreviation list. Loaded once per process.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.models import MODELS_DIR, compile_cached, load_json, load_lines

_FUGEN = ("", "s", "es", "n", "en")
_MIN_PART = 3
_MAX_CACHED = 500_000
_FEMININE = compile_cached(r"([A-ZÄÖÜ]\w+er)in(?:nen)?")
_ORDINAL_ER = compile_cached(r"\d+er")
_INNER_CAPITAL = compile_cached(r"(?<=.)[A-ZÄÖÜ]")


@dataclass(frozen=True)
class Confusion:
    """One OCR confusion: the OCR wrote `ocr` where `true` stood."""

    ocr: str
    true: str
    context: str  # any | mid | abbr (rows of context "cue" are for cue phrases, not the repair)
    cost: float


def _read_gz_lines(name: str) -> list[str]:
    data = gzip.decompress((MODELS_DIR / "lexicon" / name).read_bytes()).decode("utf-8")
    return [line for line in data.split("\n") if line]


@dataclass(frozen=True)
class Lexicon:
    """The word lists the OCR repair judges candidate words by."""

    words: frozenset[str]
    lower_words: frozenset[str]
    heads: frozenset[str]
    middles: frozenset[str]
    tails: frozenset[str]
    nouns: frozenset[str]  # lowercased capitalised words: compound heads beyond Hunspell's own
    domain: frozenset[str]
    zipf: dict[str, float]
    abbreviations: frozenset[str]
    determiners: frozenset[str]
    english: frozenset[str]
    confusions: tuple[Confusion, ...]
    split_cache: dict[str, int | None] = field(default_factory=dict, compare=False, repr=False)

    def frequency(self, word: str) -> float:
        """Zipf frequency (0 when unknown to wordfreq), case-insensitive."""
        return self.zipf.get(word.casefold(), 0.0)  # wordfreq keys are casefolded: "schließt" → "schliesst"

    def is_word(self, word: str) -> bool:
        """A standalone dictionary word as written, or capitalised at a sentence start, or in capitals."""
        if word in self.words:
            return True
        if word[:1].isupper() and (word[:1].lower() + word[1:]) in self.words:
            return True
        return word.isupper() and len(word) > 1 and word.lower() in self.lower_words

    def is_compound(self, word: str) -> bool:
        """A compound of dictionary parts: head (+ middles) + tail, with linking elements.

        Case-insensitive; every part at least three letters, so "Offnung" is not "Off" + "nung".
        """
        return self.compound_parts(word) is not None

    def compound_parts(self, word: str) -> int | None:
        """The fewest parts the word splits into (None when it does not split), cached."""
        lowered = word.lower()
        if len(self.split_cache) > _MAX_CACHED:
            self.split_cache.clear()
        if lowered not in self.split_cache:
            self.split_cache[lowered] = _fewest_parts(lowered, self, first=True)
        return self.split_cache[lowered]

    def parts(self, word: str) -> int | None:
        """1 for a word of the lexicon, the fewest compound parts for a compound, None when not valid.

        Fewer parts is the likelier reading: "Rücklauf|quote" over "Ruck|lauf|quote".
        """
        if self.is_word(word) or word in self.abbreviations or _ORDINAL_ER.fullmatch(word):
            return 1
        if not self.is_valid(word):
            return None
        if "-" in word or _FEMININE.fullmatch(word):
            return 1
        return self.compound_parts(word)

    def is_head(self, word: str) -> bool:
        """A compound beginning, as written before a hyphen in "Aufsichts- und Genehmigungsbehörde"."""
        return self.is_valid(word) or _is_part(word.lower(), self, first=True)

    def is_valid(self, word: str) -> bool:
        """A word, an abbreviation, a compound, a feminine "-in"/"-innen" of a noun, or "1960er"."""
        if self.is_word(word) or word in self.abbreviations:
            return True
        if "-" in word:
            return all(self.is_valid(part) for part in word.split("-") if part)
        if not word.isupper() and _INNER_CAPITAL.search(word):
            return False  # "RUckmeldungen", "LÖsungen": a misread, not a compound
        if _ORDINAL_ER.fullmatch(word):
            return True
        feminine = _FEMININE.fullmatch(word)
        if feminine and self.is_valid(feminine.group(1)):
            return True
        return len(word) >= 2 * _MIN_PART and self.is_compound(word)


def _is_part(part: str, lexicon: Lexicon, first: bool) -> bool:
    """A compound part: Hunspell's own parts, or a noun (with a linking element) of four letters or more."""
    if part in (lexicon.heads if first else lexicon.middles) or part in lexicon.tails:
        return True
    for fuge in _FUGEN:
        stem = part[: len(part) - len(fuge)] if fuge else part
        if not part.endswith(fuge) or len(stem) < 4:
            continue
        if stem in lexicon.nouns or (len(stem) >= 5 and stem in lexicon.words):
            return True
    return False


def _is_tail(part: str, lexicon: Lexicon) -> bool:
    return part in lexicon.tails or (len(part) >= 4 and (part in lexicon.nouns or part in lexicon.words))


def _fewest_parts(word: str, lexicon: Lexicon, first: bool) -> int | None:
    best: int | None = None
    for cut in range(_MIN_PART, len(word) - _MIN_PART + 1):
        part, rest = word[:cut], word[cut:]
        if not _is_part(part, lexicon, first):
            continue
        if _is_tail(rest, lexicon):
            return 2 if best is None else min(best, 2)
        if len(rest) >= 2 * _MIN_PART and (more := _inner_parts(rest, lexicon)) is not None:
            best = more + 1 if best is None else min(best, more + 1)
    return best


def _inner_parts(rest: str, lexicon: Lexicon) -> int | None:
    key = "|" + rest  # the rest of a compound splits the same wherever it occurs: cache it too
    if key not in lexicon.split_cache:
        lexicon.split_cache[key] = _fewest_parts(rest, lexicon, first=False)
    return lexicon.split_cache[key]


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    words = frozenset(_read_gz_lines("words.txt.gz"))
    zipf = {}
    for line in _read_gz_lines("freq.tsv.gz"):
        word, _, value = line.partition("\t")
        zipf[word] = int(value) / 100
    abbreviations = (MODELS_DIR / "lexicon" / "abbreviations.txt").read_text(encoding="utf-8").split()
    rows = load_json("lexicon/confusions.json")
    # the one confusion table also holds forms only cue phrases tolerate (context "cue"): never a repair
    confusions = tuple(Confusion(str(o), str(t), str(c), float(k)) for o, t, c, k in rows if c != "cue")
    return Lexicon(
        words=words,
        lower_words=frozenset(w.lower() for w in words),
        heads=frozenset(_read_gz_lines("heads.txt.gz")),
        middles=frozenset(_read_gz_lines("middles.txt.gz")),
        tails=frozenset(_read_gz_lines("tails.txt.gz")),
        nouns=frozenset(w.lower() for w in words if w[:1].isupper() and not w.isupper()),
        domain=frozenset(_read_gz_lines("domain.txt.gz")),
        zipf=zipf,
        abbreviations=frozenset(abbreviations),
        determiners=frozenset(load_lines("lexicon/determiners.txt")),
        english=frozenset(load_lines("lexicon/english_function_words.txt")),
        confusions=confusions,
    )
