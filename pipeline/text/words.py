"""Words and spaces of a born-digital PDF page, built from the characters' boxes (not from pdfium's spaces).

pdfium's text page guesses spaces with its own heuristics: it splits tightly kerned justified text
("Bu ndesm i n isteri u m"), glues words that the file sets apart by position only ("nochmalsaufstocken") and
spaces out letter-spaced headings ("V o r b e m e r k u n g"). Like poppler's `pdftotext`, this module reads
only the characters that are really in the file (`chars.py`), with their boxes, and decides spaces by geometry:

1. `chars_to_lines`: stream-order runs on one baseline, grouped into lines by vertical overlap (one sort of
   the runs and one sweep), characters of a line in x order, overprinted duplicates dropped, lines cut into
   pieces where the gap is a column gutter or the space between table cells (`COLUMN_GAP` em).
2. `word_breaks`: a space where the gap exceeds `WORD_GAP` em or, on letter-spaced pieces, clearly exceeds the
   piece's usual letter gap; superscript marks stay apart from the word they follow.
3. `page_items`: what `pipeline.text.pdf.textpage_to_items` returns: one item per piece, positions as page
   fractions.

The per-character work is vectorised with numpy; the sorts that answer a question per line (the characters'
order in their lines, per-line medians) run in C (`native/boxes.c`, numpy where it was not built), which uses
that a line's characters mostly come in order. Python loops run only per stream run (about one per line).
Everything is linear in the number of characters apart from the sorts.
"""

from __future__ import annotations

import ctypes
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from pipeline.text.chars import (
    NEWLINE,
    SPACE,
    Bools,
    Char,
    Chars,
    Codes,
    Floats,
    Ints,
    chars_from_list,
    distinct,
    native_function,
    page_chars,
    turn_boxes,
)

WORD_GAP = 0.12  # em: a wider gap is a word space (poppler: 0.1; kerning stays within about ±0.05 em)
COLUMN_GAP = 1.5  # em: a wider gap ends a piece (column gutter, table cell); justified word spaces stay below
LETTER_SPACED = 0.05  # em: a piece whose usual gap (LETTER_QUANTILE of its gaps) exceeds this is letter-spaced
LETTER_QUANTILE = 0.3  # a low quantile: robust to the word gaps of short words
LETTER_MARGIN = 0.15  # em: on a letter-spaced piece only gaps this much wider than the usual gap are spaces
MIN_GAPS_FOR_SPACING = 4  # fewer gaps on a piece say nothing about its letter spacing
GUTTER_GAP = 0.5  # em: a gap this wide may lie over a column gutter set closer than COLUMN_GAP ...
GUTTER_LINES = 6  # ... when at least this many lines leave the same band of the page empty ...
GUTTER_INK = 0.1  # ... and characters touch it in at most this share of as many places (a title across both)
SUPER_SIZE = 0.85  # a character smaller than this share of its line's median size ...
SUPER_RAISE = 0.15  # ... whose box bottom is this share of that size above the line's median bottom: superscript
SAME_LINE = 0.5  # two boxes overlapping vertically by this share of the lower one are on one line
BACKWARD = 0.1  # em: a character starting this far left of its stream predecessor starts a new stream run
DUPLICATE = 0.1  # em: the same character drawn again this close is overprint (simulated bold), not text

Piece = tuple[str, float, float, float, float]  # text, x0, x1, y0, y1 in PDF points


@dataclass(frozen=True, eq=False)
class Lines:
    """Visible characters in reading order (line by line, left to right), in the frame where they run left
    to right. `space_after` marks a real space character after the character in the stream; `group` is the
    line; `piece_start` where a piece (a column's part of a line, a table cell) starts; `box` (n, 4: x0, x1,
    y0, y1) the boxes to report, in the page's own coordinates also for rotated text."""

    chars: Chars
    space_after: Bools
    group: Ints
    piece_start: Bools
    box: Floats

    def __len__(self) -> int:
        return len(self.chars)


class Item(NamedTuple):
    """A piece of text on one line; positions as page fractions (top = 0, left = 0), the fields of
    `pipeline.text.furniture.Line` in its order."""

    text: str
    top: float
    bottom: float
    x0: float
    x1: float


# ---------------------------------------------------------------- lines and pieces


def chars_to_lines(chars: Chars) -> list[Lines]:
    """The page's lines in reading order within each writing direction: horizontal text first, then each
    rotated group (a margin note at 90 degrees), turned horizontal for the geometry, its boxes kept."""
    rotated = chars.angle != 0
    if not rotated.any():  # (nearly) every page
        return [lines for lines in (_lines(chars, None),) if len(lines)]
    out = [_lines(chars.take(~rotated), None)]
    for angle in distinct(chars.angle[rotated]):
        group = chars.take(chars.angle == angle)
        out.append(_lines(group.turned(angle), group))
    return [lines for lines in out if len(lines)]


def _lines(chars: Chars, original: Chars | None) -> Lines:
    """Visible characters line by line (top to bottom), each line left to right, with its pieces marked."""
    space = chars.code == SPACE
    visible = np.flatnonzero(~space)
    spaces_before = np.cumsum(space)
    space_after = np.zeros(len(visible), dtype=bool)
    space_after[:-1] = spaces_before[visible[1:]] > spaces_before[visible[:-1]]
    vis = chars.take(visible)
    group = _line_of_chars(vis)
    order = line_order(group, vis.x0)
    vis, group, space_after = vis.take(order), group[order], space_after[order]
    shown = original.take(visible[order]) if original is not None else vis
    dup = _overprint(vis, group)
    if dup.any():
        keep = ~dup
        vis, group, space_after, shown = vis.take(keep), group[keep], space_after[keep], shown.take(keep)
    box = np.stack([shown.x0, shown.x1, shown.y0, shown.y1], axis=1)
    return Lines(vis, space_after, group, _piece_starts(vis, group), box)


def line_order(group: Ints, x: Floats) -> Ints:
    """The characters' order line by line (`group`: line numbers 0, 1, ...), each line left to right; stable, so
    equal x keeps stream order (ligatures). `np.lexsort((x, group))`, in C (`native/boxes.c`) where built: one
    counting pass over the lines and a merge sort of each line, whose characters mostly come in order already."""
    native = _native_line_order()
    if native is None or not len(group):
        return np.lexsort((x, group))
    groups = int(group.max()) + 1
    group, x = np.ascontiguousarray(group, dtype=np.int64), np.ascontiguousarray(x, dtype=np.float64)
    order = np.empty(len(group), dtype=np.int64)
    scratch = np.empty(max(len(group), groups), dtype=np.int64)
    starts = np.empty(groups + 1, dtype=np.int64)
    native(group.ctypes.data, x.ctypes.data, len(group), groups, order.ctypes.data, scratch.ctypes.data,
           starts.ctypes.data)
    return order


def _native_quantiles() -> Callable[..., None] | None:
    pointer, size = ctypes.c_void_p, ctypes.c_int64
    return native_function("segment_quantiles", pointer, pointer, size, ctypes.c_double, pointer, pointer)


def _native_line_order() -> Callable[..., None] | None:
    pointer, size = ctypes.c_void_p, ctypes.c_int64
    return native_function("line_order", pointer, pointer, size, size, pointer, pointer, pointer)


def _overlaps(a0: Floats, a1: Floats, b0: Floats, b1: Floats) -> Bools:
    """Vertical overlap of at least `SAME_LINE` of the lower box: a superscript overlaps its line by nearly
    all its height, the next line of text not at all."""
    return np.minimum(a1, b1) - np.maximum(a0, b0) >= SAME_LINE * np.minimum(a1 - a0, b1 - b0)


def _line_of_chars(chars: Chars) -> Ints:
    """Each character's line number, top to bottom.

    Stream order first: consecutive characters that overlap vertically and move forward form a run (most
    producers write a line in one go). Runs, sorted by their centre, then join the line whose tallest run
    they overlap, so lines drawn in pieces (columns whose lines alternate, a superscript drawn later) come
    together. Two columns whose baselines differ slightly may share a line: the gutter cuts it again. A run
    is as high as its usual character, not its tallest."""
    n = len(chars)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    height = chars.y1 - chars.y0
    new_run = np.ones(n, dtype=bool)
    new_run[1:] = ~_overlaps(chars.y0[:-1], chars.y1[:-1], chars.y0[1:], chars.y1[1:]) | (
        chars.x0[1:] < chars.x0[:-1] - BACKWARD * height[1:]
    )
    starts = np.flatnonzero(new_run)
    # A run's height is that of its usual character (the median box), so a footnote mark at its end
    # ("Kaykın.⁷") does not make it tall enough to bridge two lines of the next column.
    run = np.cumsum(new_run) - 1
    run_y0, _ = per_segment_quantile(chars.y0, run, len(starts), 0.5)
    run_y1, _ = per_segment_quantile(chars.y1, run, len(starts), 0.5)
    bottoms, tops = run_y0.tolist(), run_y1.tolist()
    line_of_run = [0] * len(starts)
    line = -1
    ref0 = ref1 = 0.0
    for r in np.argsort(-(run_y0 + run_y1), kind="stable").tolist():
        y0, y1 = bottoms[r], tops[r]
        # min(ref1, y1) - max(ref0, y0) < SAME_LINE * min(ref1 - ref0, y1 - y0), as min and max pick
        lower = ref1 - ref0 if not y1 - y0 < ref1 - ref0 else y1 - y0
        if line < 0 or (ref1 if not y1 < ref1 else y1) - (ref0 if not y0 > ref0 else y0) < SAME_LINE * lower:
            line += 1
            ref0, ref1 = y0, y1
        elif y1 - y0 > ref1 - ref0:
            ref0, ref1 = y0, y1
        line_of_run[r] = line
    return np.array(line_of_run, dtype=np.int64)[run]


def _overprint(chars: Chars, group: Ints) -> Bools:
    """Characters drawn again at (almost) the same place as their left neighbour (simulated bold, shadows),
    which poppler drops too. Stream neighbours are kept: pdfium gives the letters of a ligature one box."""
    dup = np.zeros(len(chars), dtype=bool)
    if len(chars) > 1:
        code, x0, y0, index = chars.code, chars.x0, chars.y0, chars.index
        tolerance = DUPLICATE * (chars.y1[1:] - y0[1:])
        dup[1:] = (
            (code[1:] == code[:-1]) & (group[1:] == group[:-1])
            & (np.abs(x0[1:] - x0[:-1]) < tolerance) & (np.abs(y0[1:] - y0[:-1]) < tolerance)
            & (np.abs(index[1:] - index[:-1]) > 1)
        )
    return dup


def _gaps(chars: Chars) -> Floats:
    """The gap before each character (from its left neighbour) in em of the larger of the two."""
    height = chars.y1 - chars.y0
    gaps = np.zeros(len(chars))
    gaps[1:] = (chars.x0[1:] - chars.x1[:-1]) / np.maximum(np.maximum(height[1:], height[:-1]), 1e-6)
    return gaps


def _piece_starts(chars: Chars, group: Ints) -> Bools:
    """Where a new line starts, the gap exceeds `COLUMN_GAP` em (column gutter, table cell), or a narrower gap
    lies over a gutter of the page (`narrow_gutters`)."""
    gaps = _gaps(chars)
    starts = np.ones(len(chars), dtype=bool)
    starts[1:] = (group[1:] != group[:-1]) | (gaps[1:] > COLUMN_GAP)
    return starts | narrow_gutters(chars, group, gaps)


def narrow_gutters(chars: Chars, group: Ints, gaps: Floats) -> Bools:
    """Characters after a gap of at least `GUTTER_GAP` em that lies over a vertical band of the page which at
    least `GUTTER_LINES` lines leave empty and (nearly) no character touches: the gutter between columns set
    closer than `COLUMN_GAP` (a web page printed in two columns). The word spaces of justified prose line up
    over a few lines at most, and the other lines have letters there."""
    out = np.zeros(len(chars), dtype=bool)
    if len(chars) < 2:
        return out
    after = np.flatnonzero((group[1:] == group[:-1]) & (gaps[1:] >= GUTTER_GAP)) + 1
    if len(after) < GUTTER_LINES:
        return out
    origin = math.floor(float(chars.x0.min()))
    size = math.ceil(float(chars.x1.max())) - origin + 2
    gap_lo = np.ceil(chars.x1[after - 1]).astype(np.int64) - origin
    gap_hi = np.floor(chars.x0[after]).astype(np.int64) - origin
    ink_lo = np.ceil(chars.x0).astype(np.int64) - origin
    ink_hi = np.maximum(np.floor(chars.x1).astype(np.int64) - origin, ink_lo)
    gapped, ink = coverage(gap_lo, gap_hi, size), coverage(ink_lo, ink_hi, size)
    gutter = (gapped >= GUTTER_LINES) & (ink <= GUTTER_INK * gapped)
    if not gutter.any():
        return out
    inside = np.concatenate(([0], np.cumsum(gutter)))
    out[after] = inside[np.clip(gap_hi, 0, size)] > inside[np.clip(gap_lo, 0, size)]
    return out


def coverage(lo: Ints, hi: Ints, size: int) -> Ints:
    """How many of the intervals [lo, hi) cover each of `size` unit bins (ends beyond the bins count at their
    edge): the running sum of the intervals starting minus those ending at each bin.

    >>> coverage(np.array([0, 2, -1]), np.array([3, 4, 1]), 5).tolist()
    [2, 1, 2, 1, 0]
    """
    keep = hi > lo
    starts = np.bincount(np.minimum(np.maximum(lo[keep], 0), size), minlength=size + 1)
    ends = np.bincount(np.minimum(np.maximum(hi[keep], 0), size), minlength=size + 1)
    return np.cumsum(starts - ends)[:size]


# ---------------------------------------------------------------- words


def per_segment_quantile(values: Floats, segment: Ints, count: int, q: float) -> tuple[Floats, Ints]:
    """The q-quantile of `values` within each segment (ids 0..count-1) and how many values each has: the value
    at rank floor(q * size) of the segment's sorted values. Segments one after the other (as every caller has
    them: runs, lines and pieces in reading order) are selected in C (`native/boxes.c`), others sorted whole."""
    sizes = np.bincount(segment, minlength=count)
    if not len(values):
        return np.zeros(count), sizes
    native = _native_quantiles()
    if native is not None and 0 <= q < 1 and len(sizes) == count and not (segment[1:] < segment[:-1]).any():
        values = np.ascontiguousarray(values, dtype=np.float64)
        out, scratch = np.empty(count), np.empty(len(values))
        native(values.ctypes.data, sizes.ctypes.data, count, q, out.ctypes.data, scratch.ctypes.data)
        return out, sizes
    order = np.lexsort((values, segment))
    firsts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    picks = np.minimum(firsts + (q * sizes).astype(np.int64), len(values) - 1)
    return np.where(sizes > 0, values[order][picks], 0.0), sizes


def superscripts(lines: Lines) -> Bools:
    """Characters smaller than their line's median size and raised above its median box bottom."""
    count = int(lines.group.max()) + 1 if len(lines) else 0
    y0 = lines.chars.y0
    height = lines.chars.y1 - y0
    size, _ = per_segment_quantile(height, lines.group, count, 0.5)
    bottom, _ = per_segment_quantile(y0, lines.group, count, 0.5)
    size, bottom = size[lines.group], bottom[lines.group]
    return (height < SUPER_SIZE * size) & (y0 > bottom + SUPER_RAISE * size)


def space_thresholds(gaps: Floats, piece: Ints, count: int) -> Floats:
    """Per piece, the gap (em) above which a gap is a word space. Normal text: `WORD_GAP`. Letter-spaced
    text (its usual gap is wide): only gaps `LETTER_MARGIN` wider than the usual one, since there every letter
    gap exceeds `WORD_GAP` (the loose box holds the glyph's advance, not the character spacing `Tc`)."""
    usual, sizes = per_segment_quantile(gaps, piece, count, LETTER_QUANTILE)
    spaced = (sizes >= MIN_GAPS_FOR_SPACING) & (usual > LETTER_SPACED)
    return np.where(spaced, np.maximum(WORD_GAP, usual + LETTER_MARGIN), WORD_GAP)


def word_breaks(lines: Lines) -> Bools:
    """Whether a word starts at each character of a piece (not at its first): after a real space
    character, at a gap wider than its piece's threshold, or where a superscript mark begins or ends next to
    a letter or digit ("Gesetzes¹" reads "Gesetzes 1")."""
    n = len(lines)
    breaks = np.zeros(n, dtype=bool)
    if n < 2:
        return breaks
    gaps = _gaps(lines.chars)
    inner = ~lines.piece_start
    sup = superscripts(lines)
    forced = np.zeros(n, dtype=bool)
    forced[1:] = lines.space_after[:-1]
    for k in (np.flatnonzero(inner[1:] & (sup[1:] != sup[:-1])) + 1).tolist():
        normal = k - 1 if sup[k] else k
        forced[k] |= chr(int(lines.chars.code[normal])).isalnum()
    piece = np.cumsum(lines.piece_start) - 1
    counted = inner & ~forced
    thresholds = space_thresholds(gaps[counted], piece[counted], int(piece[-1]) + 1)
    breaks[inner] = (forced | (gaps > thresholds[piece]))[inner]
    return breaks


def lines_to_pieces(lines: Lines) -> list[Piece]:
    """(text, x0, x1, y0, y1) of each piece in page coordinates; words joined by one space, a line-end hyphen
    kept, a soft hyphen made a hyphen at a piece's end and dropped inside it."""
    if not len(lines):
        return []
    separator = np.where(lines.piece_start, NEWLINE, np.where(word_breaks(lines), SPACE, 0))
    separator[0] = 0
    texts = with_separators(lines.chars.code, separator).tobytes().decode("utf-32-le").split("\n")
    starts = np.flatnonzero(lines.piece_start)
    x0 = np.minimum.reduceat(lines.box[:, 0], starts).tolist()
    x1 = np.maximum.reduceat(lines.box[:, 1], starts).tolist()
    y0 = np.minimum.reduceat(lines.box[:, 2], starts).tolist()
    y1 = np.maximum.reduceat(lines.box[:, 3], starts).tolist()
    return [
        (text if "\xad" not in text else _soft_hyphens(text), a, b, c, d)
        for text, a, b, c, d in zip(texts, x0, x1, y0, y1, strict=True)
    ]


def with_separators(codes: Codes, separator: Ints) -> Codes:
    """The code points with each nonzero `separator` inserted before its character (`np.insert` at those places,
    without its general machinery): each character moves right by the separators up to it.

    >>> with_separators(np.array([97, 98, 99], dtype=np.uint32), np.array([0, 32, 10])).tolist()
    [97, 32, 98, 10, 99]
    """
    where = np.flatnonzero(separator)
    out = np.empty(len(codes) + len(where), dtype="<u4")
    out[np.arange(len(codes)) + np.cumsum(separator != 0)] = codes
    out[where + np.arange(len(where))] = separator[where]
    return out


def _soft_hyphens(text: str) -> str:
    if "\xad" not in text:
        return text
    if text.endswith("\xad"):
        text = text[:-1] + "-"
    return text.replace("\xad", "")


def chars_to_text(chars: Sequence[Char]) -> str:
    """Text of a list of characters (a line or a few), pieces on separate lines: the geometry rules on small
    hand-made input.

    >>> chars_to_text([Char(c, 6 * i, 6 * i + 6, 0, 10) for i, c in enumerate("ab cd") if c != " "])
    'ab cd'
    """
    return "\n".join(
        piece[0] for lines in chars_to_lines(chars_from_list(chars)) for piece in lines_to_pieces(lines)
    )


# ---------------------------------------------------------------- items for the layout stage


def page_pieces(textpage: Any) -> tuple[list[Piece], float]:
    """Every piece of the page, top to bottom, left to right, and the angle that most characters are
    rotated by (0 unless the page is set sideways)."""
    chars = page_chars(textpage)
    pieces = [piece for lines in chars_to_lines(chars) for piece in lines_to_pieces(lines)]
    if not chars.angle.any():
        return pieces, 0.0  # (nearly) every page: no character rotated
    angles, counts = np.unique(chars.angle, return_counts=True)
    return pieces, float(angles[np.argmax(counts)])


def _turn_piece(piece: Piece, angle: float) -> Piece:
    x0, x1, y0, y1 = turn_boxes(*piece[1:], angle)
    return piece[0], float(x0), float(x1), float(y0), float(y1)


def page_items(textpage: Any, width: float, height: float, make: Callable[..., Any] = Item) -> list[Any]:
    """One item per piece (text, top, bottom, x0, x1 as page fractions), as `pipeline.text.pdf.textpage_to_items`
    gives them; `make=Line` gives the pipeline's records. A page whose text mostly runs sideways (a landscape
    table on a portrait page, or /Rotate) is measured in the frame where that text is horizontal, so the
    layout stage sees lines, not columns of letters."""
    pieces, angle = page_pieces(textpage)
    if angle:
        _, frame_x0, frame_x1, frame_y0, frame_y1 = _turn_piece(("", 0.0, width, 0.0, height), angle)
        pieces = [_turn_piece(piece, angle) for piece in pieces]
        pieces = [(text, a - frame_x0, b - frame_x0, c - frame_y0, d - frame_y0) for text, a, b, c, d in pieces]
        width, height = frame_x1 - frame_x0, frame_y1 - frame_y0
    return [
        make(text, 1 - y1 / height, 1 - y0 / height, x0 / width, x1 / width)
        for text, x0, x1, y0, y1 in pieces
        if text.strip()
    ]
