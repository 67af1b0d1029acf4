"""Page furniture: running headers, footers and page numbers, removed by what they are.

A line is furniture when it sits at the top or bottom edge of its page and
- repeats on other pages at about the same height (digits masked, so "Drucksache 16/850 2" matches "… 3"), or
- is nothing but a page number, or
- is publication boilerplate ("Datum des Originals … / Ausgegeben …") on a page after the first.
On page 1 repeated or boilerplate lines that carry document metadata (Drucksache number, dates, Wahlperiode)
are kept, and such lines from the page foot move up behind the page head, together with the small print
around them (the Landtag's publication note), so they never cut a sentence that runs on to page 2.
Patterns are data: `models/patterns/boilerplate.json`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from pipeline.models import compile_cached, load_json
from pipeline.text.chars import median_of

EDGE_LINES = 3  # how many lines from the top and from the bottom may be furniture
EDGE_ZONE = 0.2  # ... and only within this share of the page height from the edge
SAME_HEIGHT = 0.03  # two lines are "at the same position" within this share of the page height
SMALL_PRINT = 0.9  # lines lower than this share of the usual line height are small print
_FUZZY_PAGES = 15  # OCR text differs slightly between pages: compare fuzzily with this many neighbours


_set_field = object.__setattr__


@dataclass(frozen=True, init=False)
class Line:
    """A line of a page; positions are fractions of the page size (top = 0, left = 0)."""

    text: str
    top: float
    bottom: float
    x0: float = 0.0
    x1: float = 1.0
    starts_paragraph: bool = False
    size: float = 0.0  # glyph height when known apart from the box (OCR words), else 0

    def __init__(
        self, text: str, top: float, bottom: float, x0: float = 0.0, x1: float = 1.0, starts_paragraph: bool = False,
        size: float = 0.0,
    ) -> None:
        # A frozen dataclass's own __init__ looks up object.__setattr__ anew for each field (its __setattr__
        # refuses): three times this cost, and a page makes hundreds of lines.
        _set_field(self, "text", text)
        _set_field(self, "top", top)
        _set_field(self, "bottom", bottom)
        _set_field(self, "x0", x0)
        _set_field(self, "x1", x1)
        _set_field(self, "starts_paragraph", starts_paragraph)
        _set_field(self, "size", size)

    @property
    def height(self) -> float:
        """The line's type size: the OCR word height, or the box height of a text-layer run."""
        return self.size or self.bottom - self.top


@lru_cache(maxsize=1)
def _patterns() -> dict[str, tuple[re.Pattern[str], ...]]:
    data = load_json("patterns/boilerplate.json")
    keys = ("page_numbers", "later_pages", "metadata")
    return {key: tuple(compile_cached(p, re.I) for p in data[key]) for key in keys}


def _matches(kind: str, text: str) -> bool:
    return any(p.search(text) for p in _patterns()[kind])


def mask(text: str) -> str:
    """The comparable form of a running line: lower case, digits masked, spaces collapsed.

    >>> mask("Drucksache  16/850   2")
    'drucksache #/# #'
    """
    return re.sub(r"#+", "#", re.sub(r"\d", "#", " ".join(text.lower().split())))


def edge_indices(lines: list[Line]) -> list[int]:
    """Indices of the lines near the top or bottom edge of a page (by position, not by reading order)."""
    by_top = sorted(range(len(lines)), key=lambda i: lines[i].top)
    head = [i for i in by_top[:EDGE_LINES] if lines[i].top < EDGE_ZONE]
    foot = [i for i in by_top[-EDGE_LINES:] if lines[i].bottom > 1 - EDGE_ZONE]
    return sorted(set(head + foot))


def repeated_lines(pages: list[list[Line]]) -> set[tuple[int, int]]:
    """(page, line) pairs of edge lines that recur at the same height on enough other pages."""
    from rapidfuzz import fuzz

    edges = [[(i, mask(page[i].text), page[i].top) for i in edge_indices(page)] for page in pages]
    needed = max(2, math.ceil(0.4 * len(pages)))
    exact: dict[str, list[tuple[int, float]]] = {}
    for p, entries in enumerate(edges):
        for _, key, top in entries:
            exact.setdefault(key, []).append((p, top))
    found: set[tuple[int, int]] = set()
    for p, entries in enumerate(edges):
        for i, key, top in entries:
            if not key.strip("# "):
                continue
            hits = {q for q, t in exact[key] if abs(t - top) <= SAME_HEIGHT} | {p}
            # Neighbours with a similar line at that height make up the pages still missing. Only whether they do
            # matters: the search stops once they do, or once too few neighbours are left to.
            missing = needed - len(hits)
            near = [q for q in range(max(0, p - _FUZZY_PAGES), min(len(pages), p + _FUZZY_PAGES + 1)) if q not in hits]
            for n, q in enumerate(near):
                if missing <= 0 or len(near) - n < missing:
                    break
                if any(abs(t - top) <= SAME_HEIGHT and fuzz.ratio(k, key) >= 85 for _, k, t in edges[q]):
                    missing -= 1
            if missing <= 0:
                found.add((p, i))
    return found


def foot_block(lines: list[Line]) -> list[int]:
    """Indices (top to bottom) of the small print at the page foot: the lowest lines in the lower part of the
    page whose height is clearly below the page's usual line height."""
    if len(lines) < 4:
        return []
    usual = median_of(line.height for line in lines)
    block: list[int] = []
    for i in sorted(range(len(lines)), key=lambda i: lines[i].top, reverse=True):
        if lines[i].top <= 0.6 or lines[i].height >= SMALL_PRINT * usual:
            break
        block.append(i)
    return block[::-1]


def remove_furniture(pages: list[list[Line]]) -> tuple[list[list[Line]], list[str]]:
    """The pages without their furniture, and one note per page that lost lines."""
    repeated = repeated_lines(pages)
    out: list[list[Line]] = []
    notes: list[str] = []
    for p, lines in enumerate(pages):
        foot = foot_block(lines) if p == 0 else []
        edges = set(edge_indices(lines)) | set(foot)
        drop: list[int] = []
        lift: list[int] = []
        for i in sorted(edges):
            text = lines[i].text
            if _matches("page_numbers", text):
                drop.append(i)
            elif (p, i) in repeated or _matches("later_pages", text):
                if p == 0 and _matches("metadata", text):
                    if lines[i].top > 0.5:
                        lift.append(i)
                else:
                    drop.append(i)
        if lift and set(lift) & set(foot):  # the publication note travels with its small-print block
            lift = [i for i in foot if i not in drop]
        out.append(_rearrange(lines, set(drop), lift))
        if drop:
            removed = "; ".join(lines[i].text.strip()[:60] for i in drop)
            notes.append(f"page {p + 1}: removed {len(drop)} header/footer line(s): {removed}")
    return out, notes


def _rearrange(lines: list[Line], drop: set[int], lift: list[int]) -> list[Line]:
    """Drop lines; move the lifted foot lines behind the page head (the first paragraph, when at the top)."""
    kept = [i for i in range(len(lines)) if i not in drop and i not in lift]
    head = 1 if kept and lines[kept[0]].top < EDGE_ZONE else 0
    while head and head < min(len(kept), EDGE_LINES) and not lines[kept[head]].starts_paragraph:
        head += 1
    order = kept[:head] + lift + kept[head:]
    result = [lines[i] for i in order]
    if lift and head < len(result):
        result[head] = replace(result[head], starts_paragraph=True)
        after = head + len(lift)
        if after < len(result):
            result[after] = replace(result[after], starts_paragraph=True)
    return result
