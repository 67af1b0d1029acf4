"""A PDF page's characters and their boxes, read from pdfium in one bulk pass (the input of `words.py`).

The *loose* box is used: it spans the glyph's advance width and the font's full height (descent..ascent), so
its height is the effective font size (also when a font is set at size 1 and scaled by the text matrix, where
`FPDFText_GetFontSize` says 1) and the gap between two boxes is the white space the file put between the
glyphs. pdfium's generated spaces and line breaks (zero-area boxes) are dropped; real space characters are
kept as break marks. Per character only two C calls are made (none through pypdfium2's typed wrappers), in a
loop compiled from `native/boxes.c` where `make setup` could build it.
"""

from __future__ import annotations

import ctypes
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

ANGLE_TOLERANCE = 0.02  # radians: characters rotated less than this are horizontal
LIGATURE_HEIGHT = 0.9  # a box lower than this share of the page's median box height may be cut from a ligature
SPACE, NEWLINE, HYPHEN = 32, 10, 45  # code points
_WHITESPACE = np.array([ord(c) for c in " \t\r\n\xa0\u2002\u2003\u2009\u200a\u202f"], dtype=np.uint32)
_HYPHEN_MARKS = (0xFFFE, 0x02)  # pdfium's marks for hyphens it took as soft
_WHITE = np.zeros(int(_WHITESPACE.max()) + 2, dtype=bool)  # by code point, the last one for all beyond
_WHITE[_WHITESPACE] = True

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Codes = npt.NDArray[np.uint32]
Selector = Bools | Ints  # a mask or an index array: what numpy indexing takes


class Char(NamedTuple):
    """One character as drawn (for building pages in tests): text, loose box in PDF points (y up),
    pdfium's clockwise rotation in radians."""

    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    angle: float = 0.0


@dataclass(frozen=True, eq=False)
class Chars:
    """A page's characters as parallel arrays, in content-stream order. `code` is the code point (32 for a
    real space: a break mark whose box is not used), `index` the position among pdfium's characters."""

    code: Codes
    x0: Floats
    x1: Floats
    y0: Floats
    y1: Floats
    index: Ints
    angle: Floats

    def __len__(self) -> int:
        return len(self.code)

    def take(self, which: Selector) -> Chars:
        """The characters selected by a mask or an index array, in that order."""
        return Chars(
            self.code[which], self.x0[which], self.x1[which], self.y0[which], self.y1[which],
            self.index[which], self.angle[which],
        )

    def turned(self, angle: float) -> Chars:
        """The boxes rotated back by a (clockwise) angle, so that text at that angle runs left to right."""
        x0, x1, y0, y1 = turn_boxes(self.x0, self.x1, self.y0, self.y1, angle)
        return replace(self, x0=x0, x1=x1, y0=y0, y1=y1)


def turn_boxes(x0: Any, x1: Any, y0: Any, y1: Any, angle: float) -> tuple[Any, Any, Any, Any]:
    """Axis-aligned boxes (arrays or floats) rotated by `angle`: the bounding box of the turned corners."""
    cos, sin = math.cos(angle), math.sin(angle)
    xs = [x * cos - y * sin for x in (x0, x1) for y in (y0, y1)]
    ys = [x * sin + y * cos for x in (x0, x1) for y in (y0, y1)]
    return np.minimum.reduce(xs), np.maximum.reduce(xs), np.minimum.reduce(ys), np.maximum.reduce(ys)


def median(values: Floats) -> float:
    """`np.median` of a non-empty array without NaN, at a tenth of its cost per call (and without the import of
    `numpy.ma` on its first call): the middle value, or the mean of the two middle values.

    >>> median(np.array([3.0, 1.0, 2.0])), median(np.array([4.0, 1.0, 2.0, 3.0]))
    (2.0, 2.5)
    """
    ordered = np.sort(values)
    half = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[half])
    return float((ordered[half - 1] + ordered[half]) / 2)


def distinct(values: Floats) -> list[float]:
    """`np.unique(values).tolist()` for values without NaN: the distinct values in ascending order, without the
    import of `numpy.ma` by `np.unique`'s first call (~15 ms per process).

    >>> distinct(np.array([2.0, 0.5, 2.0, -1.0]))
    [-1.0, 0.5, 2.0]
    """
    return list(dict.fromkeys(np.sort(values).tolist()))


def median_of(values: Iterable[Any]) -> Any:
    """`statistics.median` (the middle value of the sorted values, or the mean of the two middle values), without
    importing `statistics` (with `fractions` and `decimal`: ~3 ms per run). Raises ValueError when there are none.

    >>> median_of([3, 1, 2]), median_of(x / 2 for x in [4, 1, 2, 3])
    (2, 1.25)
    """
    ordered = sorted(values)
    half = len(ordered) // 2
    if not ordered:
        raise ValueError("no median for empty data")
    if len(ordered) % 2:
        return ordered[half]
    return (ordered[half - 1] + ordered[half]) / 2


def chars_from_list(chars: Sequence[Char]) -> Chars:
    """`Chars` from a list of `Char` (tests build lines this way); " " is a real space."""
    return Chars(
        np.array([ord(c.text) for c in chars], dtype=np.uint32),
        np.array([c.x0 for c in chars], dtype=np.float64),
        np.array([c.x1 for c in chars], dtype=np.float64),
        np.array([c.y0 for c in chars], dtype=np.float64),
        np.array([c.y1 for c in chars], dtype=np.float64),
        np.arange(len(chars), dtype=np.int64),
        np.array([c.angle for c in chars], dtype=np.float64),
    )


# ---------------------------------------------------------------- pdfium


NATIVE_BOXES = Path(__file__).with_name("native") / "boxes.so"  # built by `make setup` from native/boxes.c


@cache
def _loose_box_address() -> int:
    """The address of pdfium's `FPDFText_GetLooseCharBox`, in the library pypdfium2 loaded."""
    import pypdfium2.raw as raw

    address = ctypes.cast(raw.FPDFText_GetLooseCharBox, ctypes.c_void_p).value
    if address is None:
        raise RuntimeError("pdfium has no FPDFText_GetLooseCharBox")
    return address


@cache
def _loose_box_function() -> Callable[[int, int, int], int]:
    """`FPDFText_GetLooseCharBox` as a bare C function taking plain ints: mapped over prepared argument
    lists it costs ~0.5 µs per character against ~1.6 µs through the typed binding with a struct read-back."""
    function: Callable[[int, int, int], int] = ctypes.CFUNCTYPE(
        ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p
    )(_loose_box_address())
    return function


@cache
def native_function(name: str, *argtypes: Any) -> Callable[..., None] | None:
    """A function of the library compiled from `native/boxes.c` (returning nothing), or None where it was not
    built (no C compiler) or is older than the function: then its caller does the same work in numpy or ctypes."""
    if not NATIVE_BOXES.exists():
        return None
    try:
        function = getattr(ctypes.CDLL(str(NATIVE_BOXES)), name)
    except (OSError, AttributeError):
        return None
    function.argtypes = list(argtypes)
    function.restype = None
    return function  # type: ignore[no-any-return]


def native_boxes() -> Callable[[int, int, int, int], None] | None:
    """The loop over a page's characters compiled from `native/boxes.c` (a tenth of the ctypes loop's cost), or
    None where it was not built: then `loose_boxes` makes the loop through ctypes."""
    return native_function("loose_boxes", ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)


def _raw_handle(textpage: Any) -> Any:
    return getattr(textpage, "raw", textpage)


def page_codes(textpage: Any, count: int) -> Codes:
    """Every character's code point from one `FPDFText_GetText` call; per character (`FPDFText_GetUnicode`)
    only when UTF-16 does not map 1:1 (characters beyond the BMP take two units)."""
    import pypdfium2.raw as raw

    handle = _raw_handle(textpage)
    buffer = np.zeros(count + 1, dtype=np.uint16)  # and pdfium's closing NUL
    raw.FPDFText_GetText(handle, 0, count, buffer.ctypes.data_as(ctypes.POINTER(ctypes.c_ushort)))
    units = buffer[:count]
    if not ((units >= 0xD800) & (units < 0xE000)).any():
        return units.astype(np.uint32)
    return np.array([raw.FPDFText_GetUnicode(handle, i) for i in range(count)], dtype=np.uint32)


def loose_boxes(textpage: Any, count: int) -> npt.NDArray[np.float32]:
    """(left, top, right, bottom) of every character, filled into one preallocated array by pdfium."""
    boxes = np.zeros((count, 4), dtype=np.float32)
    if count:
        handle = ctypes.cast(_raw_handle(textpage), ctypes.c_void_p).value or 0
        base = boxes.ctypes.data
        native = native_boxes()
        if native is not None:
            native(_loose_box_address(), handle, count, base)
        else:
            get = _loose_box_function()
            list(map(get, [handle] * count, range(count), range(base, base + count * 16, 16)))
    return boxes


def glyph_boxes_mended(boxes: Floats, handle: Any) -> Floats:
    """Boxes of the characters of a ligature glyph given the font's full height.

    pdfium splits a ligature ("ﬀ" of "Öffnung", "ﬁ") into its letters, and gives each a box cut from the glyph's
    outline (its "loose" box is its tight box), so the letters look smaller and raised, like a superscript mark,
    and the word falls apart ("Ö ff nung"). Such a box is found among the boxes lower than their neighbours'
    (few per page: only those are asked for their tight box) and takes the vertical extent of the nearest
    character before it in the stream with a box of its own; a real superscript keeps its own (its font's
    height, lower than the line's). `boxes` is (left, top, right, bottom) as `loose_boxes` gives them."""
    count = len(boxes)
    if count < 2:
        return boxes
    height = boxes[:, 1] - boxes[:, 3]
    ruled = height > 0
    if not ruled.any():
        return boxes
    low = np.flatnonzero(ruled & (height < LIGATURE_HEIGHT * median(height[ruled])))
    if not len(low):
        return boxes
    import pypdfium2.raw as raw

    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    cut = np.zeros(count, dtype=bool)
    for i in low.tolist():
        if raw.FPDFText_GetCharBox(handle, i, left, right, bottom, top) and (
            abs(bottom.value - boxes[i, 3]) < 0.01 and abs(top.value - boxes[i, 1]) < 0.01
        ):
            cut[i] = True
    if not cut.any():
        return boxes
    mended = boxes.copy()
    for i in np.flatnonzero(cut).tolist():
        j = i - 1
        while j >= 0 and (cut[j] or not ruled[j]):
            j -= 1
        if j >= 0 and mended[j, 3] <= boxes[i, 3] <= mended[j, 1]:  # on the neighbour's line
            mended[i, 1], mended[i, 3] = mended[j, 1], mended[j, 3]
    return mended


def page_chars(textpage: Any) -> Chars:
    """The page's characters in stream order, without pdfium's generated spaces and line breaks.

    A generated character has a zero-area box, a real one never (the loose box has the font's height), so no
    per-character `FPDFText_IsGenerated` call is needed. The rotation is asked only where the text jumps (a
    new line, a margin note) and holds until the next jump, so a page pays about one call per line."""
    import pypdfium2.raw as raw

    handle = _raw_handle(textpage)
    count = max(0, raw.FPDFText_CountChars(handle))
    codes = page_codes(textpage, count)
    boxes = glyph_boxes_mended(loose_boxes(textpage, count).astype(np.float64), handle)
    left, top, right, bottom = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
    white = _WHITE[np.minimum(codes, len(_WHITE) - 1)]
    keep = ~(white & (right == left) & (top == bottom))
    hyphen = (codes == _HYPHEN_MARKS[0]) | (codes == _HYPHEN_MARKS[1])
    codes = np.where(white, SPACE, np.where(hyphen, HYPHEN, codes)).astype(np.uint32)
    index = np.flatnonzero(keep).astype(np.int64)
    chars = Chars(codes[index], left[index], right[index], bottom[index], top[index], index, np.zeros(len(index)))
    return replace(chars, angle=_angles(chars, lambda indices: char_angles(handle, indices)))


@cache
def _angle_address() -> int | None:
    import pypdfium2.raw as raw

    return ctypes.cast(raw.FPDFText_GetCharAngle, ctypes.c_void_p).value


def char_angles(handle: Any, indices: Ints) -> Floats:
    """pdfium's rotation of these characters (`FPDFText_GetCharAngle`), in one call of the loop compiled from
    `native/boxes.c`, else one ctypes call each."""
    import pypdfium2.raw as raw

    native = native_function(
        "char_angles", ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64, ctypes.c_void_p
    )
    if native is None:
        return np.array([float(raw.FPDFText_GetCharAngle(handle, i)) for i in indices.tolist()], dtype=np.float64)
    indices = np.ascontiguousarray(indices, dtype=np.int64)
    out = np.empty(len(indices))
    native(_angle_address(), ctypes.cast(handle, ctypes.c_void_p).value, indices.ctypes.data, len(indices),
           out.ctypes.data)
    return out


def _angles(chars: Chars, angles_at: Callable[[Ints], Floats]) -> Floats:
    """Each character's rotation, asked at the jumps of the stream (`angles_at` of their indices among pdfium's
    characters) and carried forward to the next jump."""
    n = len(chars)
    if n == 0:
        return np.zeros(0)
    height = chars.y1 - chars.y0
    centre = (chars.y0 + chars.y1) / 2
    jump = np.ones(n, dtype=bool)
    jump[1:] = (np.abs(np.diff(centre)) > 0.5 * np.maximum(height[1:], height[:-1])) | (
        chars.x0[1:] < chars.x0[:-1] - height[1:]
    )
    jump &= chars.code != SPACE
    jump[0] = True
    at = np.flatnonzero(jump)
    values = angles_at(chars.index[at])
    values = np.where(np.minimum(values, 2 * math.pi - values) > ANGLE_TOLERANCE, values, 0.0)
    if not values.any():
        return np.zeros(n)
    return values[np.searchsorted(at, np.arange(n), side="right") - 1]  # type: ignore[no-any-return]
