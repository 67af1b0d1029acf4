"""Shared pieces of extraction: sentences with offsets, evidence spans, the per-document context.

`text_to_sentences` splits German text at sentence ends while keeping abbreviations ("z.B.", "Nr."),
ordinals and dates ("26. März", "5. Deutschen") and list numbers ("1. Wie viele") intact.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from pipeline.models import compile_cached, load_json, load_lines
from pipeline.records import CleanText


@dataclass(frozen=True)
class Sentence:
    """A sentence of a text: `text == clean_text[start:end]`."""

    start: int
    end: int
    text: str


# the lookahead names the first characters, so that `re` skips to them instead of trying both branches everywhere
_END = compile_cached(r"(?=[.!?…\n])(?:[.!?…]+[\"“”'’»«)\]]*(?=\s)|\n+)")


@lru_cache(maxsize=1)
def page_leader() -> re.Pattern[str]:
    """A contents line's dot leader and page number ("Kreis Lippe ...... 11"): the one pattern of every extractor
    (`models/patterns/shared.json`).

    >>> bool(page_leader().search("Kreis Lippe ...... 11")), bool(page_leader().search("und so weiter... Dann"))
    (True, False)
    """
    return compile_cached(load_json("patterns/shared.json")["page_leader"])


def is_after_leader(text: str, start: int, window: int = 12) -> bool:
    """Whether the number at `start` is the page number of a dot leader ("Kreis Lippe ...... 11").

    >>> is_after_leader("Kreis Lippe ...... 11", 19), is_after_leader("mit 11 Partnern", 4)
    (True, False)
    """
    low = max(0, start - window)
    return any(m.start() < start < m.end() for m in page_leader().finditer(text, low, min(len(text), start + 5)))


@lru_cache(maxsize=1)
def umlaut_fold_table() -> dict[int, str]:
    """The table of `fold_umlauts`, for `str.translate`."""
    return str.maketrans(load_json("patterns/shared.json")["umlaut_fold"])


def fold_umlauts(word: str) -> str:
    """The one umlaut fold: a spelling without umlauts, ß or accents, as OCR that lost them writes it.

    >>> fold_umlauts("fünf"), fold_umlauts("dreißig"), fold_umlauts("Beschéftigte")
    ('funf', 'dreissig', 'Beschaftigte')
    """
    return word.translate(umlaut_fold_table())


def one_of(words: Iterable[str]) -> str:
    """A regex alternation of literal words (a word list kept as data), in the order given.

    >>> print(one_of(["und", "bzw."]))
    (?:und|bzw\\.)
    """
    return "(?:" + "|".join(re.escape(word) for word in words) + ")"


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    """The abbreviations of the one list (models/abbreviations.txt) written with a period: they end no sentence."""
    return frozenset(entry for entry in load_lines("abbreviations.txt") if entry.endswith("."))


_INITIALS = compile_cached(r"(?:[A-Za-zÄÖÜäöü]\.)+[A-Za-zÄÖÜäöü]?\.?")  # z.B. u.a. d.h. e.V.
_ORDINAL = compile_cached(r"\d{1,3}|\d{1,2}\.\d{1,2}|[IVX]{1,4}")
_SPACE = compile_cached(r"\s")


def _is_abbreviation(token: str, abbreviations: frozenset[str]) -> bool:
    bare = token.lstrip("(„\"'»«[")
    if bare in abbreviations or bare.lower() in abbreviations:
        return True
    if _INITIALS.fullmatch(bare):
        return True
    return len(bare.rstrip(".")) == 1 and bare[:1].isalpha()


def _is_ordinal(token: str) -> bool:
    bare = token.lstrip("(„\"'»«[").rstrip(".")
    return _ORDINAL.fullmatch(bare) is not None


def text_to_sentences(text: str) -> list[Sentence]:
    """Split text into sentences with their character offsets.

    >>> [s.text for s in text_to_sentences("Am 26. März 2012 begann es, z.B. mit 1. Partnern. Danach nicht.")]
    ['Am 26. März 2012 begann es, z.B. mit 1. Partnern.', 'Danach nicht.']
    """
    abbreviations = _abbreviations()
    sentences: list[Sentence] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end()
        first = text[match.start()]
        if first != "\n":
            if first == "." and _is_abbreviation_or_ordinal(token_ending_at(text, match.start()), abbreviations):
                continue
            following = text[end : end + 3].lstrip()
            if following[:1].islower():
                continue
        _append(sentences, text, start, end)
        start = end
    _append(sentences, text, start, len(text))
    return sentences


def _is_abbreviation_or_ordinal(token: str, abbreviations: frozenset[str]) -> bool:
    return _is_abbreviation(token, abbreviations) or _is_ordinal(token)


def token_ending_at(text: str, index: int, window: int = 200) -> str:
    """The run of non-space characters that ends with text[index] (at most `window` characters before it).

    >>> token_ending_at("am 26. März", 5), token_ending_at("z.B. mit", 3)
    ('26.', 'z.B.')
    """
    if text[index].isspace():
        return ""
    low = max(0, index - window)
    # the last space or line break before it, found in C; another kind of space after that one (a tab, a
    # no-break space) is rare enough to look for character by character
    start = max(text.rfind(" ", low, index), text.rfind("\n", low, index)) + 1
    if start == 0:
        start = low
    if _SPACE.search(text, start, index):
        start = index
        while start > low and not text[start - 1].isspace():
            start -= 1
    return text[start : index + 1]


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    """text[start:end] without the whitespace around it, if anything is left (`str.strip`'s whitespace is
    `str.isspace`'s)."""
    piece = text[start:end]
    stripped = piece.lstrip()
    start += len(piece) - len(stripped)
    stripped = stripped.rstrip()
    if stripped:
        sentences.append(Sentence(start, start + len(stripped), stripped))


@dataclass(frozen=True)
class Span:
    """A located mention with its evidence sentence."""

    start: int
    end: int
    evidence: Sentence


@dataclass
class DocContext:
    """What every extractor sees: the clean text, its sentences and the pages of its characters."""

    clean: CleanText
    source_file: str = ""

    @property
    def doc_id(self) -> str:
        return self.clean.doc_id

    @property
    def text(self) -> str:
        return self.clean.text

    @cached_property
    def sentences(self) -> list[Sentence]:
        return text_to_sentences(self.clean.text)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def sentence_at(self, offset: int) -> Sentence:
        """The sentence containing `offset` (or the nearest one before it)."""
        index = max(0, bisect.bisect_right(self._sentence_starts, offset) - 1)
        if not self.sentences:
            return Sentence(0, len(self.text), self.text)
        return self.sentences[index]

    def evidence(self, start: int, end: int) -> Sentence:
        """The smallest run of whole sentences that contains [start, end)."""
        first = self.sentence_at(start)
        last = self.sentence_at(max(start, end - 1))
        if first == last:
            return first
        return Sentence(first.start, last.end, self.text[first.start : last.end])

    def page(self, offset: int) -> int | None:
        return self.clean.page_at(offset)
