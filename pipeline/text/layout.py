"""Layout: text runs with positions → lines in reading order with paragraph breaks.

Used alike for pdfium text runs and Tesseract lines: runs on one baseline become a line; a vertical gutter
in the middle of the page that few runs cross makes a two-column page, read band by band, left column first;
a clearly larger line pitch starts a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import replace

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


def _find_gutter(spans: list[Span]) -> float | None:
    if len(spans) < 10 or sum(1 for x0, x1 in spans if x1 - x0 > 0.6) > 0.5 * len(spans):
        return None  # mostly full-width lines: one column
    x0, x1 = np.array([span[0] for span in spans]), np.array([span[1] for span in spans])
    widths = x1 - x0
    by_right, by_left = np.argsort(x1, kind="stable"), np.argsort(x0, kind="stable")
    rights, lefts = x1[by_right], x0[by_left]
    best: tuple[int, float, float] | None = None
    for step in range(30, 71):
        x = step / 100
        n_left = int(np.searchsorted(rights, x, side="right"))  # items ending left of x
        n_right = len(spans) - int(np.searchsorted(lefts, x, side="left"))  # items starting right of x
        crossing = len(spans) - n_left - n_right
        if n_left < 5 or n_right < 5 or crossing > 0.15 * len(spans):
            continue
        if median(widths[by_right[:n_left]]) < 0.25 or median(widths[by_left[len(spans) - n_right :]]) < 0.25:
            continue
        candidate = (crossing, abs(x - 0.5), x)
        if best is None or candidate < best:
            best = candidate
    return best[2] if best else None


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

    def side(item: Line) -> int:
        return column_of(item, gutters)

    rows: list[list[Line]] = []
    for item in sorted(items, key=lambda it: (side(it), it.top, it.x0)):
        row = rows[-1] if rows else None
        if row and side(row[0]) == side(item) and _same_line(row[0], item):
            row.append(item)
        else:
            rows.append([item])
    lines: list[Line] = []
    for row in rows:
        row.sort(key=lambda it: it.x0)
        pieces = [[row[0]]]
        for prev, item in zip(row, row[1:], strict=False):
            if item.x0 - prev.x1 > max_gap:
                pieces.append([item])
            else:
                pieces[-1].append(item)
        lines.extend(_joined(piece) for piece in pieces)
    return lines


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
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap >= 0.5 * min(a.bottom - a.top, b.bottom - b.top)


def read_columns(items: list[Line]) -> list[Line]:
    """A page's items as lines in reading order, paragraphs marked: its column gutters found, items joined into
    lines within each column, the columns read one after the other (the text layer's runs and OCR lines alike)."""
    gutters = find_gutters(items)
    return mark_paragraphs(reading_order(items_to_lines(items, gutters), gutters))


def reading_order(lines: list[Line], gutters: tuple[float, ...] = ()) -> list[Line]:
    """Top to bottom; on pages set in columns each band between lines that cross a gutter (a title over the
    columns) reads column by column, left to right."""
    lines = sorted(lines, key=lambda ln: (ln.top, ln.x0))
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
        out.append(line if line.starts_paragraph == starts else replace(line, starts_paragraph=starts))
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
