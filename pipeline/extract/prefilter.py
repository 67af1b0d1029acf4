"""Cheap necessary conditions for regular expressions: the literals one of which every match must contain.

Python's `re` tries a pattern at every position of a text; a list of trigger patterns over every sentence of a
corpus adds up. `required_literals` reads a compiled pattern's parse tree and returns a set of lowercase strings
of which at least one occurs in any text the pattern can match (like RE2's prefilter). A `substring in text`
test is C-fast, so `Prefiltered.finditer` skips most patterns on most sentences without changing any result.
"""

from __future__ import annotations

import bisect
import hashlib
import importlib
import itertools
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from pipeline.models import CACHE_DIR, cached_derived, compile_cached

sre_constants: Any = importlib.import_module("re._constants")  # the parser of `re` itself (Python ≥ 3.11)
sre_parse: Any = importlib.import_module("re._parser")

_MAX_CLASS = 6  # a character class of up to this many literal characters still counts as a choice of literals
_MAX_CHOICES = 64  # beyond this many alternatives a set stops being useful
_MAX_RUN = 8  # a character repeated at least n times requires a run of min(n, this) of it


def _choices(items: Any) -> frozenset[str] | None:
    """The best literal set of a sequence of parse nodes (None: nothing required is known)."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []
    for op, arg in items:
        if op is sre_constants.LITERAL:
            run.append(chr(arg).lower())
            continue
        if run:
            candidates.append(frozenset({"".join(run)}))
            run = []
        found = _node(op, arg)
        if found is not None:
            candidates.append(found)
    if run:
        candidates.append(frozenset({"".join(run)}))
    useful = [c for c in candidates if c and "" not in c and len(c) <= _MAX_CHOICES]
    if not useful:
        return None
    return max(useful, key=lambda c: (min(len(s) for s in c), -len(c)))


def _node(op: Any, arg: Any) -> frozenset[str] | None:
    if op is sre_constants.SUBPATTERN:
        return _choices(arg[-1])
    if op is sre_constants.BRANCH:
        union: set[str] = set()
        for alternative in arg[1]:
            found = _choices(alternative)
            if found is None:
                return None
            union |= found
        return frozenset(union)
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, getattr(sre_constants, "POSSESSIVE_REPEAT", None)):
        low, _, body = arg
        if low >= 1 and len(body) == 1 and body[0][0] is sre_constants.LITERAL:  # "\.{4,}": "...." is required
            return frozenset({chr(body[0][1]).lower() * min(low, _MAX_RUN)})
        return _choices(body) if low >= 1 else None
    if op is sre_constants.IN:
        chars = [chr(a).lower() for o, a in arg if o is sre_constants.LITERAL]
        if len(chars) == len(arg) and len(chars) <= _MAX_CLASS:
            return frozenset(chars)
        return None
    return None


@cache
def required_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lowercase strings one of which occurs (in the lowercased text) wherever `pattern` matches; None if unknown.
    Read from models/.cache when this module, in this Python, found them before (parsing took 10-30 ms per
    worker).

    >>> sorted(required_literals(re.compile(r"\\bprüf(?:t|en)\\b|Vertr[aä]g")))
    ['prüf', 'vertr']
    >>> required_literals(re.compile(r"\\d+")) is None
    True
    >>> sorted(required_literals(re.compile(r"\\s*(?:\\.{4,}|…{2,}|(?:\\.{3}|_{3,})\\d)")))
    ['...', '....', '___', '……']
    """
    version = _code_version()
    if version is None:
        return parse_literals(pattern)
    key = f"{version}\0{pattern.flags}\0{pattern.pattern}"  # this module's code and Python, and the pattern
    return cached_derived(CACHE_DIR, f"literals-{sys.implementation.cache_tag}", key,
                       lambda: _to_json(parse_literals(pattern)), _from_json)


def _to_json(literals: frozenset[str] | None) -> list[str] | None:
    return None if literals is None else sorted(literals)


def _from_json(stored: list[str] | None) -> frozenset[str] | None:
    if stored is not None and not (isinstance(stored, list) and all(isinstance(s, str) for s in stored)):
        raise TypeError("not a list of literals")
    return None if stored is None else frozenset(stored)


def parse_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """`required_literals` read off the parse tree of `pattern` (not cached)."""
    if pattern.flags & re.VERBOSE:
        return None
    return _choices(sre_parse.parse(pattern.pattern, pattern.flags & ~re.UNICODE))


@cache
def _code_version() -> str | None:
    try:
        source = Path(__file__).read_bytes()
    except OSError:
        return None
    return hashlib.sha256(source + sys.version.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Prefiltered:
    """Patterns with their required literals: run only where a literal occurs."""

    patterns: tuple[tuple[re.Pattern[str], frozenset[str] | None], ...]
    any_literal: re.Pattern[str] | None = None  # every literal of every pattern (None: a pattern has none)

    @classmethod
    def of(cls, patterns: tuple[re.Pattern[str], ...] | list[re.Pattern[str]]) -> Prefiltered:
        pairs = tuple((p, required_literals(p)) for p in patterns)
        every = [literal for _, literals in pairs for literal in (literals or ())]
        any_literal = None
        if pairs and all(literals is not None for _, literals in pairs):
            any_literal = compile_cached("|".join(re.escape(s) for s in sorted(set(every), key=lambda s: (-len(s), s))))
        return cls(pairs, any_literal)

    def candidates(self, text: str) -> Iterator[re.Pattern[str]]:
        """The patterns that can match somewhere in `text`."""
        lowered = _lowered(text)
        if self.any_literal is not None and not self.any_literal.search(lowered):
            return  # the usual case: one scan says no pattern can match
        for pattern, literals in self.patterns:
            if literals is None or any(literal in lowered for literal in literals):
                yield pattern

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Every match of every pattern, pattern by pattern (the same matches as without the prefilter)."""
        for pattern in self.candidates(text):
            yield from pattern.finditer(text)

    def search(self, text: str) -> bool:
        return any(pattern.search(text) for pattern in self.candidates(text))

    def over(self, found: TextLiterals) -> Scan:
        """These patterns over spans of one text (its sentences, say), its literals looked for once."""
        return Scan(self, found)


class TextLiterals:
    """Where literals occur in one text, lowercased: each literal is looked for once in the whole text (with
    `str.find`), however many spans and pattern lists ask for it.

    The lowered text's slice is the lowered slice when lowercasing is per character: no capital sigma (whose
    lower case depends on its neighbours) and no letter whose lower case is longer (`exact`).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._lowered = text.lower()
        self.exact = len(self._lowered) == len(text) and "\u03a3" not in text
        self._starts: dict[str, list[int]] = {}

    def starts(self, literal: str) -> list[int]:
        """The offsets of every occurrence of `literal` (lowercase) in the lowered text, overlapping ones too.

        A literal holding one found before ("beitritt" holds "bei") is looked for only where that one occurs
        (each occurrence of "beitritt" has "bei" at its start): one scan of the text fewer."""
        found = self._starts.get(literal)
        if found is not None:
            return found
        lowered = self._lowered
        inners = [part for part in self._starts if part and part in literal]
        if inners:
            inner = min(inners, key=lambda part: len(self._starts[part]))
            shift = literal.index(inner)
            found = [
                at - shift for at in self._starts[inner] if at >= shift and lowered.startswith(literal, at - shift)
            ]
        else:
            found = []
            at = lowered.find(literal)
            while at >= 0:
                found.append(at)
                at = lowered.find(literal, at + 1)
        self._starts[literal] = found
        return found


class Scan:
    """A `Prefiltered` over spans of one text: `finditer(start, end)` gives what `finditer(text[start:end])` gives.

    Asking every sentence of a long text whether it holds one of the literals costs a regex scan of each; here
    the literals' occurrences in the whole text are found once (`TextLiterals`), and a span's candidate patterns
    are those with a literal lying wholly inside it, found by bisection. Where the lowered text's offsets are not
    the text's (`TextLiterals.exact`), each span is lowered and scanned on its own, as `Prefiltered` does.
    """

    __slots__ = ("_always", "_ends", "_masks", "_prefiltered", "_starts", "_text")

    def __init__(self, prefiltered: Prefiltered, found: TextLiterals) -> None:
        self._prefiltered = prefiltered
        self._text = found.text
        self._always = sum(1 << i for i, (_, literals) in enumerate(prefiltered.patterns) if literals is None)
        self._starts: list[int] | None = None
        self._ends: list[int] = []
        self._masks: list[int] = []
        if found.exact:
            hits = sorted(
                (start, start + len(literal), mask)
                for literal, mask in sorted(_literal_masks(prefiltered).items(), key=lambda item: len(item[0]))
                for start in found.starts(literal)  # the shorter first: a longer one may be found where they are
            )
            self._starts = [start for start, _, _ in hits]
            self._ends = [end for _, end, _ in hits]
            self._masks = [mask for _, _, mask in hits]

    def candidates(self, start: int, end: int) -> list[re.Pattern[str]]:
        """The patterns that can match somewhere in text[start:end], in their order."""
        starts = self._starts
        if starts is None:
            return list(self._prefiltered.candidates(self._text[start:end]))
        ends, masks = self._ends, self._masks
        mask = self._always  # bit i set: pattern i may match (one of its literals lies wholly inside the span)
        i = bisect.bisect_left(starts, start)
        while i < len(starts) and starts[i] < end:
            if ends[i] <= end:
                mask |= masks[i]
            i += 1
        found = []
        for pattern, _ in self._prefiltered.patterns:
            if not mask:
                break
            if mask & 1:
                found.append(pattern)
            mask >>= 1
        return found

    def finditer(self, start: int, end: int) -> Iterator[re.Match[str]]:
        """Every match of every pattern in text[start:end] (offsets in that span), pattern by pattern."""
        found = self.candidates(start, end)
        if not found:  # the usual span
            return iter(())
        span = self._text[start:end]
        return itertools.chain.from_iterable(pattern.finditer(span) for pattern in found)

    def search(self, start: int, end: int) -> bool:
        """Whether a pattern matches in text[start:end]."""
        found = self.candidates(start, end)
        if not found:
            return False
        span = self._text[start:end]
        return any(pattern.search(span) for pattern in found)


def _literal_masks(prefiltered: Prefiltered) -> dict[str, int]:
    """Each literal of the patterns → the bits of the patterns that require it."""
    masks: dict[str, int] = {}
    for i, (_, literals) in enumerate(prefiltered.patterns):
        for literal in literals or ():
            masks[literal] = masks.get(literal, 0) | 1 << i
    return masks


@lru_cache(maxsize=64)
def _lowered(text: str) -> str:
    return text.lower()


def may_match(pattern: re.Pattern[str], text: str, start: int = 0, end: int | None = None) -> bool:
    """False only if `pattern` cannot match inside text[start:end] (one of its required literals is missing)."""
    literals = required_literals(pattern)
    if literals is None:
        return True
    lowered = _lowered(text)
    if len(lowered) != len(text):  # a rare letter whose lowercase is longer: offsets would not line up
        return True
    return any(lowered.find(literal, start, end) >= 0 for literal in literals)
