"""The layout and table steps of a text layer against the plain versions they replaced (kept here as references):
the same lines, gutters and tables on any pieces, and small exact cases."""

from __future__ import annotations

import pickle
import statistics
from dataclasses import FrozenInstanceError, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text import Line, find_gutter, items_to_lines

# ---------------------------------------------------------------- references


def reference_find_gutter(items: list[Line]) -> float | None:
    spans = [(it.x0, it.x1) for it in items]
    if len(spans) < 10 or sum(1 for x0, x1 in spans if x1 - x0 > 0.6) > 0.5 * len(spans):
        return None
    best: tuple[int, float, float] | None = None
    for step in range(30, 71):
        x = step / 100
        left = [x1 - x0 for x0, x1 in spans if x1 <= x]
        right = [x1 - x0 for x0, x1 in spans if x0 >= x]
        crossing = len(spans) - len(left) - len(right)
        if len(left) < 5 or len(right) < 5 or crossing > 0.15 * len(spans):
            continue
        if statistics.median(left) < 0.25 or statistics.median(right) < 0.25:
            continue
        candidate = (crossing, abs(x - 0.5), x)
        if best is None or candidate < best:
            best = candidate
    return best[2] if best else None


def reference_column_of(item: Line, gutters: tuple[float, ...]) -> int:
    column = 0
    for gutter in gutters:
        if item.x1 <= gutter:
            return column
        if item.x0 < gutter:
            return -1
        column += 1
    return column


def reference_items_to_lines(items: list[Line], gutters: tuple[float, ...] = (), max_gap: float = 1.0) -> list[Line]:
    def side(item: Line) -> int:
        return reference_column_of(item, gutters)

    def same_line(a: Line, b: Line) -> bool:
        return min(a.bottom, b.bottom) - max(a.top, b.top) >= 0.5 * min(a.bottom - a.top, b.bottom - b.top)

    def joined(row: list[Line]) -> Line:
        if len(row) == 1:
            return row[0] if "  " not in row[0].text else replace(row[0], text=" ".join(row[0].text.split()))
        text = row[0].text
        for prev, item in zip(row, row[1:], strict=False):
            touching = item.x0 - prev.x1 < 0.002 or prev.text.endswith(" ")
            text += item.text if touching else " " + item.text
        top, bottom = min(i.top for i in row), max(i.bottom for i in row)
        size = statistics.median(i.size for i in row)
        return Line(" ".join(text.split()), top, bottom, row[0].x0, row[-1].x1, size=size)

    rows: list[list[Line]] = []
    for item in sorted(items, key=lambda it: (side(it), it.top, it.x0)):
        row = rows[-1] if rows else None
        if row and side(row[0]) == side(item) and same_line(row[0], item):
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
        lines.extend(joined(piece) for piece in pieces)
    return lines


# ---------------------------------------------------------------- pieces of a page

_COARSE = st.integers(0, 40).map(lambda n: n / 40)  # few distinct positions: ties, touching and shared edges
_TEXT = st.sampled_from(["a", "b c", "de  f", "Zeile", "x "])


@st.composite
def pieces(draw: st.DrawFn) -> Line:
    x0 = draw(st.one_of(_COARSE, st.floats(0, 1)))
    x1 = x0 + draw(st.one_of(_COARSE, st.floats(0, 0.7)))
    top = draw(st.one_of(_COARSE, st.floats(0, 1)))
    return Line(draw(_TEXT), top, top + draw(st.sampled_from([0.0, 0.01, 0.02, 0.015])), x0, x1,
                size=draw(st.sampled_from([0.0, 0.01])))


@st.composite
def columns(draw: st.DrawFn) -> list[Line]:
    """Lines of two columns (with a gutter somewhere in the middle), some of them crossing it, some short."""
    gutter = draw(st.integers(35, 65)) / 100
    out = []
    for row in range(draw(st.integers(3, 30))):
        top = 0.05 + 0.02 * row
        for x0, x1 in ((0.05, gutter - 0.02), (gutter + 0.02, 0.95)):
            if draw(st.booleans()) or draw(st.booleans()):
                share = draw(st.sampled_from([1.0, 1.0, 0.9, 0.5, 0.2]))
                out.append(Line("w", top, top + 0.015, x0, x0 + (x1 - x0) * share))
        if draw(st.integers(0, 9)) == 0:
            out.append(Line("quer", top + 0.005, top + 0.02, 0.1, 0.9))
    return out


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(pieces(), max_size=40), columns()))
def test_gutter_is_the_one_the_whole_search_finds(items: list[Line]) -> None:
    assert find_gutter(items) == reference_find_gutter(items)


@settings(max_examples=300, deadline=None)
@given(st.lists(pieces(), max_size=40), st.lists(_COARSE, max_size=3), st.sampled_from([1.0, 0.015]))
def test_items_join_into_the_reference_lines(items: list[Line], gutters: list[float], max_gap: float) -> None:
    ordered = tuple(sorted(gutters))
    assert items_to_lines(items, ordered, max_gap) == reference_items_to_lines(items, ordered, max_gap)


def test_gutter_and_lines_of_two_columns() -> None:
    left = [Line(f"links {n}", 0.1 + 0.02 * n, 0.115 + 0.02 * n, 0.1, 0.45) for n in range(6)]
    right = [Line(f"rechts {n}", 0.1 + 0.02 * n, 0.115 + 0.02 * n, 0.55, 0.9) for n in range(6)]
    assert find_gutter(left + right) == 0.5
    lines = items_to_lines(right + left, (0.5,))
    assert [line.text for line in lines] == [f"links {n}" for n in range(6)] + [f"rechts {n}" for n in range(6)]
    assert [line.text for line in items_to_lines(right[:1] + left[:1])] == ["links 0 rechts 0"]


def test_a_line_is_a_frozen_record() -> None:
    line = Line("Text", 0.1, 0.2, 0.3, 0.4, size=0.01)
    assert line == Line("Text", 0.1, 0.2, x0=0.3, x1=0.4, starts_paragraph=False, size=0.01)
    assert hash(line) == hash(Line("Text", 0.1, 0.2, 0.3, 0.4, size=0.01))
    assert replace(line, starts_paragraph=True).starts_paragraph and not line.starts_paragraph
    assert pickle.loads(pickle.dumps(line)) == line
    assert repr(Line("a", 0, 1)) == "Line(text='a', top=0, bottom=1, x0=0.0, x1=1.0, starts_paragraph=False, size=0.0)"
    with pytest.raises(FrozenInstanceError):
        line.text = "x"  # type: ignore[misc]
