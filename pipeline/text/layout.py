"""Layout: text runs with positions → lines in reading order with paragraph breaks.

Used alike for pdfium text runs and Tesseract lines: runs on one baseline become a line; a vertical gutter
in the middle of the page that few runs cross makes a two-column page, read band by band, left column first;
a clearly larger line pitch starts a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import replace
from operator import attrgetter, itemgetter

import numpy as np

from pipeline.text.chars import median, median_of
from pipeline.text.furniture import Line

PARAGRAPH_GAP = 1.45  # a line pitch this many times the usual one starts a paragraph
SMALL_LINE = 0.85  # a line lower than this share of the page's usual line height is in a smaller font
_FOOTNOTE_START = re.compile(r"^\s*(\d{1,2}|[¹²³⁴⁵⁶⁷⁸⁹⁰*])\s*[^\W\d_(„\"]")
_SENTENCE_END = re.compile(r"[.!?:;“”\")»]$")


def items_to_runs(items: list[Line], max_gap: float = 0.015) -> list[Line]:
    """Join items on one baseline that are closer than `max_gap` (a share of the page width) into runs.

    Text layers made by OCR engines place every word on its own; a column gutter is wider than a word space,
    so runs never cross it and `find_gutter` sees lines, not words."""
    if len(items) < 2 or median_of(it.x1 - it.x0 for it in items) > 0.25:
        return items  # already line-like runs (the usual text layer): nothing to join
    return items_to_lines(items, (), max_gap)


def find_gutter(items: list[Line]) -> float | None:
    """The x of a vertical gap in the middle of the page with at least 5 text lines on each side.

    Items crossing the gap (a title over both columns) are allowed when they are few. Both sides must hold
    lines of running text (median width at least a quarter of the page): a table's short cells are read
    row by row, not column by column."""
    return _find_gutter([(it.x0, it.x1) for it in items])


Span = tuple[float, float]  # x0, x1 of an item: all that the gutter search looks at
_FIRST_STEP, _LAST_STEP = 30, 70  # the gutter is looked for at x = step / 100 (page widths)
_GUTTER_STEPS = np.arange(_FIRST_STEP, _LAST_STEP + 1) / 100


def _find_gutter(spans: list[Span]) -> float | None:
    if len(spans) < 10 or sum(1 for x0, x1 in spans if x1 - x0 > 0.6) > 0.5 * len(spans):
        return None  # mostly full-width lines: one column
    x0, x1 = np.array([span[0] for span in spans]), np.array([span[1] for span in spans])
    widths = x1 - x0
    by_right, by_left = np.argsort(x1, kind="stable"), np.argsort(x0, kind="stable")
    n = len(spans)
    n_left = np.searchsorted(x1[by_right], _GUTTER_STEPS, side="right").tolist()  # items ending left of x
    n_right = (n - np.searchsorted(x0[by_left], _GUTTER_STEPS, side="left")).tolist()  # items starting right of x
    # The best x has the fewest crossing items, then lies nearest the middle; the widths (a sort each) are
    # checked from the best candidate on, and the first that passes is the one the whole search would pick.
    candidates = []
    for step, left, right in zip(range(_FIRST_STEP, _LAST_STEP + 1), n_left, n_right, strict=True):
        x = step / 100
        crossing = n - left - right
        if left >= 5 and right >= 5 and crossing <= 0.15 * n:
            candidates.append((crossing, abs(x - 0.5), x, left, right))
    for _, _, x, left, right in sorted(candidates):
        if not (median(widths[by_right[:left]]) < 0.25 or median(widths[by_left[n - right :]]) < 0.25):
            return x
    return None


def find_gutters(items: list[Line]) -> tuple[float, ...]:
    """Every column gutter of the page, left to right: the middle one (`find_gutter`), then those between the
    columns on each side of it, found the same way among that side's lines scaled to its width (a gazette
    set in three columns)."""
    return _find_gutters([(it.x0, it.x1) for it in items])


def _find_gutters(spans: list[Span]) -> tuple[float, ...]:
    gutter = _find_gutter(spans)
    if gutter is None:
        return ()
    left = [span for span in spans if span[1] <= gutter]
    right = [span for span in spans if span[0] >= gutter]
    return (*_side_gutters(left), gutter, *_side_gutters(right))


def _side_gutters(spans: list[Span]) -> tuple[float, ...]:
    if len(spans) < 10:
        return ()
    lo, hi = min(x0 for x0, _ in spans), max(x1 for _, x1 in spans)
    if hi - lo <= 0:
        return ()
    scaled = [((x0 - lo) / (hi - lo), (x1 - lo) / (hi - lo)) for x0, x1 in spans]
    return tuple(lo + g * (hi - lo) for g in _find_gutters(scaled))


def column_of(item: Line, gutters: tuple[float, ...]) -> int:
    """The column an item lies in (0 for the leftmost), or -1 when it crosses a gutter."""
    column = 0
    for gutter in gutters:
        if item.x1 <= gutter:
            return column
        if item.x0 < gutter:
            return -1
        column += 1
    return column


def items_to_lines(items: list[Line], gutters: tuple[float, ...] = (), max_gap: float = 1.0) -> list[Line]:
    """Join items on the same baseline (and in the same column, and no further apart than `max_gap`) into
    lines, left to right."""
    sides = [column_of(item, gutters) for item in items] if gutters else [0] * len(items)
    tops, lefts = [item.top for item in items], [item.x0 for item in items]
    rows: list[list[Line]] = []
    row_sides: list[int] = []
    for side, _, _, item in sorted(zip(sides, tops, lefts, items, strict=True), key=_SIDE_TOP_X0):
        if rows and row_sides[-1] == side and _same_line(rows[-1][0], item):
            rows[-1].append(item)
        else:
            rows.append([item])
            row_sides.append(side)
    lines: list[Line] = []
    for row in rows:
        if len(row) == 1:  # most rows of a text layer: one run (a column's line)
            lines.append(row[0] if "  " not in row[0].text else _joined(row))
            continue
        row.sort(key=_X0)
        pieces = [[row[0]]]
        for prev, item in zip(row, row[1:], strict=False):
            if item.x0 - prev.x1 > max_gap:
                pieces.append([item])
            else:
                pieces[-1].append(item)
        lines.extend(_joined(piece) for piece in pieces)
    return lines


_SIDE_TOP_X0, _X0, _TOP_X0 = itemgetter(0, 1, 2), attrgetter("x0"), attrgetter("top", "x0")


def _joined(row: list[Line]) -> Line:
    if len(row) == 1:
        return row[0] if "  " not in row[0].text else replace(row[0], text=" ".join(row[0].text.split()))
    text = row[0].text
    for prev, item in zip(row, row[1:], strict=False):
        touching = item.x0 - prev.x1 < 0.002 or prev.text.endswith(" ")
        text += item.text if touching else " " + item.text
    top, bottom = min(i.top for i in row), max(i.bottom for i in row)
    size = median_of(i.size for i in row)
    return Line(" ".join(text.split()), top, bottom, row[0].x0, row[-1].x1, size=size)


def _same_line(a: Line, b: Line) -> bool:
    # min(a.bottom, b.bottom) - max(a.top, b.top) >= 0.5 * min(a.height, b.height), as min and max pick
    a0, a1, b0, b1 = a.top, a.bottom, b.top, b.bottom
    lower = a1 - a0 if not b1 - b0 < a1 - a0 else b1 - b0
    return (a1 if not b1 < a1 else b1) - (a0 if not b0 > a0 else b0) >= 0.5 * lower


def read_columns(items: list[Line]) -> list[Line]:
    """A page's items as lines in reading order, paragraphs marked: its column gutters found, items joined into
    lines within each column, the columns read one after the other (the text layer's runs and OCR lines alike)."""
    gutters = find_gutters(items)
    return mark_paragraphs(reading_order(items_to_lines(items, gutters), gutters))


def reading_order(lines: list[Line], gutters: tuple[float, ...] = ()) -> list[Line]:
    """Top to bottom; on pages set in columns each band between lines that cross a gutter (a title over the
    columns) reads column by column, left to right."""
    lines = sorted(lines, key=_TOP_X0)
    if not gutters:
        return lines
    out: list[Line] = []
    columns: list[list[Line]] = [[] for _ in range(len(gutters) + 1)]
    for line in lines:
        column = column_of(line, gutters)
        if column >= 0:
            columns[column].append(line)
            continue
        out.extend(ln for col in columns for ln in col)
        out.append(line)
        columns = [[] for _ in range(len(gutters) + 1)]
    return out + [ln for col in columns for ln in col]


def mark_paragraphs(lines: list[Line]) -> list[Line]:
    """A line whose distance from the line above is clearly larger than the usual pitch starts a paragraph."""
    steps = [b.bottom - a.bottom for a, b in zip(lines, lines[1:], strict=False) if b.bottom > a.bottom]
    if not steps:
        return lines
    pitch = median_of(steps)
    out = [lines[0]]
    for prev, line in zip(lines, lines[1:], strict=False):
        step = line.bottom - prev.bottom
        starts = step > PARAGRAPH_GAP * pitch
        if line.starts_paragraph != starts:
            line = Line(line.text, line.top, line.bottom, line.x0, line.x1, starts, line.size)
        out.append(line)
    return out


def lines_to_text(lines: list[Line]) -> str:
    """Page text: one line per line, a blank line before each paragraph."""
    out: list[str] = []
    for line in lines:
        if line.starts_paragraph and out:
            out.append("")
        out.append(line.text)
    return "\n".join(out)


def place_footnotes(lines: list[Line]) -> list[Line]:
    """Keep footnotes out of the body: the small-font lines at the page foot that start with a note number
    become their own paragraph; when the body's last paragraph runs on to the next page, the notes go before
    that paragraph, so the sentence can be joined across the page break. Run after furniture removal."""
    if len(lines) < 4:
        return lines
    heights = [line.height for line in lines]
    usual = median_of(heights)
    run = len(lines)
    while run > 0 and heights[run - 1] < SMALL_LINE * usual and lines[run - 1].top > 0.5:
        run -= 1
    start = next((i for i in range(run, len(lines)) if _FOOTNOTE_START.match(lines[i].text)), None)
    if not start:
        return lines
    body, notes = lines[:start], lines[start:]
    notes[0] = replace(notes[0], starts_paragraph=True)
    if _SENTENCE_END.search(body[-1].text):
        return body + notes
    last = max(i for i, line in enumerate(body) if line.starts_paragraph or i == 0)
    if last == 0:
        return body + notes
    return body[:last] + notes + [replace(body[last], starts_paragraph=True)] + body[last + 1 :]
