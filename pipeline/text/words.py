"""Words and spaces of a born-digital PDF page, built from the characters' boxes (not from pdfium's spaces).

pdfium's text page guesses spaces with its own heuristics: it splits tightly kerned justified text
("Bu ndesm i n isteri u m"), glues words that the file sets apart by position only ("nochmalsaufstocken") and
spaces out letter-spaced headings ("V o r b e m e r k u n g"). Like poppler's `pdftotext`, this module reads
only the characters that are really in the file, with their boxes, and decides spaces by geometry:

1. `page_chars`: one bulk pass over the page's characters through pdfium's raw API. The *loose* box is used:
   it spans the glyph's advance width and the font's full height (descent..ascent), so its height is the
   effective font size (also when a font is set at size 1 and scaled by the text matrix, where
   `FPDFText_GetFontSize` says 1) and the gap between two boxes is the white space the file put between the
   glyphs. pdfium's generated spaces and line breaks (zero-area boxes) are dropped; real space characters are
   kept as break marks.
2. `chars_to_lines`: stream-order runs on one baseline, grouped into lines by vertical overlap (one sort of
   the runs and one sweep), characters of a line in x order, overprinted duplicates dropped, lines cut into
   pieces where the gap is a column gutter or the space between table cells (`COLUMN_GAP` em).
3. `word_breaks`: a space where the gap exceeds `WORD_GAP` em or, on letter-spaced pieces, clearly exceeds the
   piece's usual letter gap; superscript marks stay apart from the word they follow.
4. `page_items`: what `pipeline.text.pdf.textpage_to_items` returns: one item per piece, positions as page fractions.

The per-character work is vectorised with numpy (a page of 5,000 characters takes about 3 ms, most of it in
pdfium); Python loops run only per stream run (about one per line). Everything is linear in the number of
characters apart from the sorts.
"""

from __future__ import annotations

import ctypes
import math
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

WORD_GAP = 0.12  # em: a wider gap is a word space (poppler: 0.1; kerning stays within about ±0.05 em)
COLUMN_GAP = 1.5  # em: a wider gap ends a piece (column gutter, table cell); justified word spaces stay below
LETTER_SPACED = 0.05  # em: a piece whose usual gap (LETTER_QUANTILE of its gaps) exceeds this is letter-spaced
LETTER_QUANTILE = 0.3  # a low quantile: robust to the word gaps of short words
LETTER_MARGIN = 0.15  # em: on a letter-spaced piece only gaps this much wider than the usual gap are spaces
MIN_GAPS_FOR_SPACING = 4  # fewer gaps on a piece say nothing about its letter spacing
SUPER_SIZE = 0.85  # a character smaller than this share of its line's median size ...
SUPER_RAISE = 0.15  # ... whose box bottom is this share of that size above the line's median bottom: superscript
SAME_LINE = 0.5  # two boxes overlapping vertically by this share of the lower one are on one line
BACKWARD = 0.1  # em: a character starting this far left of its stream predecessor starts a new stream run
DUPLICATE = 0.1  # em: the same character drawn again this close is overprint (simulated bold), not text
ANGLE_TOLERANCE = 0.02  # radians: characters rotated less than this are horizontal

_WHITESPACE = np.array([ord(c) for c in " \t\r\n\xa0\u2002\u2003\u2009\u200a\u202f"], dtype=np.uint32)
_HYPHEN_MARKS = (0xFFFE, 0x02)  # pdfium's marks for hyphens it took as soft
_SPACE, _NEWLINE, _HYPHEN, _SOFT_HYPHEN = 32, 10, 45, 0xAD

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


class Char(NamedTuple):
    """One character as drawn (for building pages in tests): text, loose box in PDF points (y up),
    pdfium's clockwise rotation in radians."""

    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    angle: float = 0.0


class Chars(NamedTuple):
    """A page's characters in content-stream order, as parallel arrays. `code` is the code point (32 for a
    real space: a break mark whose box is not used), `index` the position among pdfium's characters."""

    code: npt.NDArray[np.uint32]
    x0: Floats
    x1: Floats
    y0: Floats
    y1: Floats
    index: Ints
    angle: Floats


class Lines(NamedTuple):
    """Visible characters in reading order (line by line, left to right), with where pieces start.
    `space_after` marks a real space character after the character in the stream; `group` is the line;
    `bx0..by1` are the boxes to report (the page's own coordinates, also for rotated text)."""

    code: npt.NDArray[np.uint32]
    x0: Floats
    x1: Floats
    y0: Floats
    y1: Floats
    index: Ints
    space_after: Bools
    group: Ints
    piece_start: Bools
    box: Floats  # (n, 4): x0, x1, y0, y1 in page coordinates


class Item(NamedTuple):
    """A piece of text on one line; positions as page fractions (top = 0, left = 0), the fields of
    `pipeline.furniture.Line` in its order."""

    text: str
    top: float
    bottom: float
    x0: float
    x1: float


# ---------------------------------------------------------------- characters from pdfium


_LOOSE_BOX: Callable[[int, int, int], int] | None = None


def _loose_box_function() -> Callable[[int, int, int], int]:
    """`FPDFText_GetLooseCharBox` as a bare C function taking plain ints: mapped over prepared argument
    lists it costs ~0.5 µs per character against ~1.6 µs through the typed binding with a struct read-back."""
    global _LOOSE_BOX
    if _LOOSE_BOX is None:
        import pypdfium2.raw as raw

        address = ctypes.cast(raw.FPDFText_GetLooseCharBox, ctypes.c_void_p).value
        _LOOSE_BOX = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)(address)
    return _LOOSE_BOX


def _raw_handle(textpage: Any) -> Any:
    return getattr(textpage, "raw", textpage)


def page_codes(textpage: Any, count: int) -> npt.NDArray[np.uint32]:
    """Every character's code point from one `FPDFText_GetText` call; per character (`FPDFText_GetUnicode`)
    only when UTF-16 does not map 1:1 (characters beyond the BMP take two units)."""
    import pypdfium2.raw as raw

    handle = _raw_handle(textpage)
    buffer = (ctypes.c_ushort * (count + 1))()
    raw.FPDFText_GetText(handle, 0, count, buffer)
    units = np.frombuffer(buffer, dtype=np.uint16, count=count)
    if not ((units >= 0xD800) & (units < 0xE000)).any():
        return units.astype(np.uint32)
    return np.array([raw.FPDFText_GetUnicode(handle, i) for i in range(count)], dtype=np.uint32)


def loose_boxes(textpage: Any, count: int) -> npt.NDArray[np.float32]:
    """(left, top, right, bottom) of every character, filled into one preallocated array by pdfium."""
    boxes = np.zeros((count, 4), dtype=np.float32)
    if count:
        get = _loose_box_function()
        handle = ctypes.cast(_raw_handle(textpage), ctypes.c_void_p).value
        base = boxes.ctypes.data
        list(map(get, [handle] * count, range(count), range(base, base + count * 16, 16)))
    return boxes


def page_chars(textpage: Any) -> Chars:
    """The page's characters in stream order, without pdfium's generated spaces and line breaks.

    A generated character has a zero-area box, a real one never (the loose box has the font's height), so no
    per-character `FPDFText_IsGenerated` call is needed. The rotation is asked only where the text jumps (a
    new line, a margin note) and holds until the next jump, so a page pays about one call per line."""
    import pypdfium2.raw as raw

    handle = _raw_handle(textpage)
    count = max(0, raw.FPDFText_CountChars(handle))
    codes = page_codes(textpage, count)
    boxes = loose_boxes(textpage, count).astype(np.float64)
    left, top, right, bottom = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
    white = np.isin(codes, _WHITESPACE)
    keep = ~(white & (right == left) & (top == bottom))
    codes = np.where(white, _SPACE, np.where(np.isin(codes, _HYPHEN_MARKS), _HYPHEN, codes)).astype(np.uint32)
    index = np.flatnonzero(keep)
    chars = Chars(codes[index], left[index], right[index], bottom[index], top[index], index, np.zeros(len(index)))
    return chars._replace(angle=_angles(chars, lambda i: raw.FPDFText_GetCharAngle(handle, int(i))))


def _angles(chars: Chars, angle_of: Callable[[int], float]) -> Floats:
    """Each character's rotation, asked at the jumps of the stream and carried forward to the next jump."""
    n = len(chars.code)
    if n == 0:
        return np.zeros(0)
    height = chars.y1 - chars.y0
    centre = (chars.y0 + chars.y1) / 2
    jump = np.ones(n, dtype=bool)
    jump[1:] = (np.abs(np.diff(centre)) > 0.5 * np.maximum(height[1:], height[:-1])) | (
        chars.x0[1:] < chars.x0[:-1] - height[1:]
    )
    jump &= chars.code != _SPACE
    jump[0] = True
    at = np.flatnonzero(jump)
    values = np.array([angle_of(chars.index[i]) for i in at])
    values = np.where(np.minimum(values, 2 * math.pi - values) > ANGLE_TOLERANCE, values, 0.0)
    if not values.any():
        return np.zeros(n)
    return values[np.searchsorted(at, np.arange(n), side="right") - 1]


def chars_from_list(chars: Sequence[Char]) -> Chars:
    """`Chars` from a list of `Char` (tests build pages this way); " " is a real space."""
    return Chars(
        np.array([ord(c.text) for c in chars], dtype=np.uint32),
        np.array([c.x0 for c in chars], dtype=np.float64),
        np.array([c.x1 for c in chars], dtype=np.float64),
        np.array([c.y0 for c in chars], dtype=np.float64),
        np.array([c.y1 for c in chars], dtype=np.float64),
        np.arange(len(chars)),
        np.array([c.angle for c in chars], dtype=np.float64),
    )


# ---------------------------------------------------------------- lines and pieces


def _take(chars: Chars, mask: Bools) -> Chars:
    return Chars(*(field[mask] for field in chars))


def _turn(chars: Chars, angle: float) -> Chars:
    """The boxes rotated back by the characters' (clockwise) angle, so that their text runs left to right."""
    cos, sin = math.cos(angle), math.sin(angle)
    corners_x = [x * cos - y * sin for x in (chars.x0, chars.x1) for y in (chars.y0, chars.y1)]
    corners_y = [x * sin + y * cos for x in (chars.x0, chars.x1) for y in (chars.y0, chars.y1)]
    return chars._replace(
        x0=np.minimum.reduce(corners_x), x1=np.maximum.reduce(corners_x),
        y0=np.minimum.reduce(corners_y), y1=np.maximum.reduce(corners_y),
    )


def chars_to_lines(chars: Chars) -> list[Lines]:
    """The page's lines in reading order within each writing direction: horizontal text first, then each
    rotated group (a margin note at 90 degrees), turned horizontal for the geometry, its boxes kept."""
    out = [_lines(_take(chars, chars.angle == 0), None)]
    for angle in np.unique(chars.angle[chars.angle != 0]):
        group = _take(chars, chars.angle == angle)
        out.append(_lines(_turn(group, float(angle)), group))
    return [lines for lines in out if len(lines.code)]


def _lines(chars: Chars, original: Chars | None) -> Lines:
    """Visible characters line by line (top to bottom), each line left to right, with its pieces marked."""
    space = chars.code == _SPACE
    visible = np.flatnonzero(~space)
    spaces_before = np.cumsum(space)
    space_after = np.zeros(len(visible), dtype=bool)
    space_after[:-1] = spaces_before[visible[1:]] > spaces_before[visible[:-1]]
    vis = _take(chars, ~space)
    box = _take(original, ~space) if original is not None else vis
    group = _line_of_chars(vis)
    order = np.lexsort((vis.x0, group))  # stable: equal x keeps stream order (ligatures)
    fields = [f[order] for f in (vis.code, vis.x0, vis.x1, vis.y0, vis.y1, vis.index, space_after, group)]
    boxes = np.stack([box.x0, box.x1, box.y0, box.y1], axis=1)[order]
    keep = ~_overprint(*fields[:6], fields[7])
    fields = [f[keep] for f in fields]
    boxes = boxes[keep]
    code, x0, x1, y0, y1, index, space_after, group = fields
    return Lines(code, x0, x1, y0, y1, index, space_after, group, _piece_starts(x0, x1, y0, y1, group), boxes)


def _overlaps(a0: Floats, a1: Floats, b0: Floats, b1: Floats) -> Bools:
    """Vertical overlap of at least `SAME_LINE` of the lower box: a superscript overlaps its line by nearly
    all its height, the next line of text not at all."""
    return np.minimum(a1, b1) - np.maximum(a0, b0) >= SAME_LINE * np.minimum(a1 - a0, b1 - b0)


def _line_of_chars(chars: Chars) -> Ints:
    """Each character's line number, top to bottom.

    Stream order first: consecutive characters that overlap vertically and move forward form a run (most
    producers write a line in one go). Runs, sorted by their centre, then join the line whose tallest run
    they overlap, so lines drawn in pieces (columns whose lines alternate, a superscript drawn later) come
    together. Two columns whose baselines differ slightly may share a line: the gutter cuts it again."""
    n = len(chars.code)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    height = chars.y1 - chars.y0
    new_run = np.ones(n, dtype=bool)
    new_run[1:] = ~_overlaps(chars.y0[:-1], chars.y1[:-1], chars.y0[1:], chars.y1[1:]) | (
        chars.x0[1:] < chars.x0[:-1] - BACKWARD * height[1:]
    )
    starts = np.flatnonzero(new_run)
    run_y0 = np.minimum.reduceat(chars.y0, starts)
    run_y1 = np.maximum.reduceat(chars.y1, starts)
    line_of_run = np.empty(len(starts), dtype=np.int64)
    line = -1
    ref0 = ref1 = 0.0
    for r in np.argsort(-(run_y0 + run_y1), kind="stable").tolist():
        y0, y1 = float(run_y0[r]), float(run_y1[r])
        if line < 0 or min(ref1, y1) - max(ref0, y0) < SAME_LINE * min(ref1 - ref0, y1 - y0):
            line += 1
            ref0, ref1 = y0, y1
        elif y1 - y0 > ref1 - ref0:
            ref0, ref1 = y0, y1
        line_of_run[r] = line
    return line_of_run[np.cumsum(new_run) - 1]


def _overprint(code: Any, x0: Floats, x1: Floats, y0: Floats, y1: Floats, index: Ints, group: Ints) -> Bools:
    """Characters drawn again at (almost) the same place as their left neighbour (simulated bold, shadows),
    which poppler drops too. Stream neighbours are kept: pdfium gives the letters of a ligature one box."""
    dup = np.zeros(len(code), dtype=bool)
    if len(code) > 1:
        tolerance = DUPLICATE * (y1[1:] - y0[1:])
        dup[1:] = (
            (code[1:] == code[:-1]) & (group[1:] == group[:-1])
            & (np.abs(x0[1:] - x0[:-1]) < tolerance) & (np.abs(y0[1:] - y0[:-1]) < tolerance)
            & (np.abs(index[1:] - index[:-1]) > 1)
        )
    return dup


def _gaps(x0: Floats, x1: Floats, y0: Floats, y1: Floats) -> Floats:
    """The gap before each character (from its left neighbour) in em of the larger of the two."""
    height = y1 - y0
    gaps = np.zeros(len(x0))
    gaps[1:] = (x0[1:] - x1[:-1]) / np.maximum(np.maximum(height[1:], height[:-1]), 1e-6)
    return gaps


def _piece_starts(x0: Floats, x1: Floats, y0: Floats, y1: Floats, group: Ints) -> Bools:
    """Where a new line starts or the gap exceeds `COLUMN_GAP` em (column gutter, table cell)."""
    starts = np.ones(len(x0), dtype=bool)
    starts[1:] = (group[1:] != group[:-1]) | (_gaps(x0, x1, y0, y1)[1:] > COLUMN_GAP)
    return starts


# ---------------------------------------------------------------- words


def _per_segment_quantile(values: Floats, segment: Ints, count: int, q: float) -> tuple[Floats, Ints]:
    """The q-quantile of `values` within each segment (ids 0..count-1) and how many values each has."""
    order = np.lexsort((values, segment))
    sizes = np.bincount(segment, minlength=count)
    firsts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    picks = np.minimum(firsts + (q * sizes).astype(np.int64), len(values) - 1) if len(values) else firsts
    result = values[order][picks] if len(values) else np.zeros(count)
    return np.where(sizes > 0, result, 0.0), sizes


def superscripts(lines: Lines) -> Bools:
    """Characters smaller than their line's median size and raised above its median box bottom."""
    count = int(lines.group.max()) + 1 if len(lines.group) else 0
    height = lines.y1 - lines.y0
    size, _ = _per_segment_quantile(height, lines.group, count, 0.5)
    bottom, _ = _per_segment_quantile(lines.y0, lines.group, count, 0.5)
    size, bottom = size[lines.group], bottom[lines.group]
    return (height < SUPER_SIZE * size) & (lines.y0 > bottom + SUPER_RAISE * size)


def space_thresholds(gaps: Floats, piece: Ints, count: int) -> Floats:
    """Per piece, the gap (em) above which a gap is a word space. Normal text: `WORD_GAP`. Letter-spaced
    text (its usual gap is wide): only gaps `LETTER_MARGIN` wider than the usual one, since there every letter
    gap exceeds `WORD_GAP` (the loose box holds the glyph's advance, not the character spacing `Tc`)."""
    usual, sizes = _per_segment_quantile(gaps, piece, count, LETTER_QUANTILE)
    spaced = (sizes >= MIN_GAPS_FOR_SPACING) & (usual > LETTER_SPACED)
    return np.where(spaced, np.maximum(WORD_GAP, usual + LETTER_MARGIN), WORD_GAP)


def word_breaks(lines: Lines) -> Bools:
    """Whether a word starts at each character of a piece (not at its first): after a real space
    character, at a gap wider than its piece's threshold, or where a superscript mark begins or ends next to
    a letter or digit ("Gesetzes¹" reads "Gesetzes 1")."""
    n = len(lines.code)
    breaks = np.zeros(n, dtype=bool)
    if n < 2:
        return breaks
    gaps = _gaps(lines.x0, lines.x1, lines.y0, lines.y1)
    inner = ~lines.piece_start
    sup = superscripts(lines)
    forced = np.zeros(n, dtype=bool)
    forced[1:] = lines.space_after[:-1]
    for k in np.flatnonzero(inner[1:] & (sup[1:] != sup[:-1])) + 1:
        normal = k - 1 if sup[k] else k
        forced[k] |= chr(int(lines.code[normal])).isalnum()
    piece = np.cumsum(lines.piece_start) - 1
    count = int(piece[-1]) + 1
    counted = inner & ~forced
    thresholds = space_thresholds(gaps[counted], piece[counted], count)
    breaks[inner] = (forced | (gaps > thresholds[piece]))[inner]
    return breaks


def lines_to_pieces(lines: Lines) -> list[tuple[str, float, float, float, float]]:
    """(text, x0, x1, y0, y1) of each piece in page coordinates; words joined by one space, a line-end hyphen
    kept, a soft hyphen made a hyphen at a piece's end and dropped inside it."""
    if not len(lines.code):
        return []
    breaks = word_breaks(lines)
    separator = np.where(lines.piece_start, _NEWLINE, np.where(breaks, _SPACE, 0))
    separator[0] = 0
    where = np.flatnonzero(separator)
    codes = np.insert(lines.code, where, separator[where].astype(np.uint32))
    texts = codes.astype("<u4").tobytes().decode("utf-32-le").split("\n")
    starts = np.flatnonzero(lines.piece_start)
    x0 = np.minimum.reduceat(lines.box[:, 0], starts)
    x1 = np.maximum.reduceat(lines.box[:, 1], starts)
    y0 = np.minimum.reduceat(lines.box[:, 2], starts)
    y1 = np.maximum.reduceat(lines.box[:, 3], starts)
    return [
        (_soft_hyphens(text), float(a), float(b), float(c), float(d))
        for text, a, b, c, d in zip(texts, x0, x1, y0, y1, strict=True)
    ]


def _soft_hyphens(text: str) -> str:
    if "\xad" not in text:
        return text
    if text.endswith("\xad"):
        text = text[:-1] + "-"
    return text.replace("\xad", "")


def line_to_text(chars: Sequence[Char]) -> str:
    """Text of a list of characters (one line or a few), pieces on separate lines: the geometry rules on
    small hand-made input."""
    return "\n".join(
        piece[0] for lines in chars_to_lines(chars_from_list(chars)) for piece in lines_to_pieces(lines)
    )


# ---------------------------------------------------------------- items for the layout stage


def page_pieces(textpage: Any) -> tuple[list[tuple[str, float, float, float, float]], float]:
    """(text, x0, x1, y0, y1) in PDF points of every piece of the page, top to bottom, left to right, and the
    angle that most characters are rotated by (0 unless the page is set sideways)."""
    chars = page_chars(textpage)
    pieces = [piece for lines in chars_to_lines(chars) for piece in lines_to_pieces(lines)]
    angles, counts = np.unique(chars.angle, return_counts=True)
    return pieces, float(angles[np.argmax(counts)]) if len(counts) else 0.0


def _turn_box(x0: float, x1: float, y0: float, y1: float, angle: float) -> tuple[float, float, float, float]:
    cos, sin = math.cos(angle), math.sin(angle)
    xs = [x * cos - y * sin for x in (x0, x1) for y in (y0, y1)]
    ys = [x * sin + y * cos for x in (x0, x1) for y in (y0, y1)]
    return min(xs), max(xs), min(ys), max(ys)


def page_items(textpage: Any, width: float, height: float, make: Callable[..., Any] = Item) -> list[Any]:
    """One item per piece (text, top, bottom, x0, x1 as page fractions), as `pipeline.text.pdf.textpage_to_items`
    gives them; `make=Line` gives the pipeline's records. A page whose text mostly runs sideways (a landscape
    table on a portrait page, or /Rotate) is measured in the frame where that text is horizontal, so the
    layout stage sees lines, not columns of letters."""
    pieces, angle = page_pieces(textpage)
    if angle:
        fx0, fx1, fy0, fy1 = _turn_box(0.0, width, 0.0, height, angle)
        pieces = [(text, *_turn_box(*box, angle)) for text, *box in pieces]
        pieces = [(text, a - fx0, b - fx0, c - fy0, d - fy0) for text, a, b, c, d in pieces]
        width, height = fx1 - fx0, fy1 - fy0
    return [
        make(text, 1 - y1 / height, 1 - y0 / height, x0 / width, x1 / width)
        for text, x0, x1, y0, y1 in pieces
        if text.strip()
    ]
