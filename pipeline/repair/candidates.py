"""Candidates for a word misread by an OCR model: its confusions (from the table kept as data) undone.

"Bulndelungsbehérde" → "Bündelungsbehörde" undoes "ul" for "ü" and "é" for "ö": two edits.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from pipeline.repair.lexicon import Confusion, Lexicon

MAX_EDITS = 3
MAX_SITES_FOR = {2: 60, 3: 30}  # the most confusion sites a word may have to try 2 or 3 edits
MAX_CANDIDATES = 5000


@dataclass(frozen=True)
class Site:
    """A place in a word where a confusion (OCR misreading) may have happened."""

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
            if conf.true == "ß" and conf.ocr[:1].isupper() and not word[pos - 1].islower():
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


class Candidate(NamedTuple):
    edits: int
    cost: float  # the sum of the confusions' costs
    worst: float  # the costliest confusion undone
    text: str


def word_to_candidates(word: str, lexicon: Lexicon, abbreviation: bool) -> Iterator[Candidate]:
    """Candidates from combinations of up to MAX_EDITS confusions, fewest edits first.

    Long words full of confusable letters stop at fewer edits, and at MAX_CANDIDATES, so that a page of OCR
    garbage cannot stall the stage.
    """
    sites = word_to_sites(word, lexicon.confusions, abbreviation)
    seen: set[str] = set()
    for k in range(1, MAX_EDITS + 1):
        if k > 1 and len(sites) > MAX_SITES_FOR[k]:
            return
        for combo in itertools.combinations(sites, k):
            if len({s.pos for s in combo}) < k:
                continue
            candidate = apply_sites(word, combo)
            if candidate is None or candidate in seen:
                continue
            seen.add(candidate)
            if len(seen) > MAX_CANDIDATES:
                return
            costs = [s.confusion.cost for s in combo]
            yield Candidate(k, sum(costs), max(costs), candidate)
