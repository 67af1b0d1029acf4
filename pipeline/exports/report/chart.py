"""A small scatter/step chart written straight as SVG: axes with round ticks, a grid, points as linked groups,
and labels placed only where they have room.

The report needs two plots with a few hundred points at most; drawing them by hand takes microseconds where
importing matplotlib took about a second of every export. The output is deterministic text (coordinates rounded
to 0.1 px), and every point is its own group with an id, a tooltip and a link to its evidence. A chart is drawn
for a given size (`Frame`): the report draws each plot once for a wide screen and once for a phone, in the
pixels it is shown at, so its labels keep their size on both.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

MARKERS = ("circle", "square", "diamond", "triangle")
CHAR_WIDTH = 0.6  # a label character's width in em: generous, so that labels that seem to fit never touch


@dataclass(frozen=True)
class Frame:
    """The chart's size in pixels, its margins and its label font size."""

    width: float = 900.0
    height: float = 420.0
    left: float = 70.0
    right: float = 20.0
    top: float = 40.0
    bottom: float = 60.0
    font: int = 11


WIDE = Frame()
NARROW = Frame(width=370.0, height=360.0, left=46.0, right=18.0, top=34.0, bottom=52.0, font=11)


@dataclass(frozen=True)
class Mark:
    """One point to draw: data coordinates, its group id and link target, tooltip and optional label."""

    x: float
    y: float
    group_id: str
    ref: str
    tooltip: str
    label: str = ""
    href: str = ""  # where a click goes (default: `#t-<ref>` in the same page)


@dataclass(frozen=True)
class Series:
    name: str
    color: str
    marker: str
    marks: tuple[Mark, ...]


Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def nice_ticks(low: float, high: float, count: int = 6, integer: bool = False) -> list[float]:
    """Round tick values covering [low, high] (steps of 1, 2 or 5 times a power of ten).

    >>> nice_ticks(0, 48.7)
    [0.0, 10.0, 20.0, 30.0, 40.0, 50.0]
    >>> nice_ticks(2012, 2012, integer=True)
    [2011.0, 2012.0, 2013.0]
    """
    if high <= low:
        low, high = low - 1, high + 1
    raw = (high - low) / max(1, count - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if integer:
        step = max(1.0, round(step))
    start = float(math.floor(low / step) * step)
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _scale(ticks: Sequence[float], lo_px: float, hi_px: float) -> Callable[[float], float]:
    low, high = ticks[0], ticks[-1]
    span = (high - low) or 1.0
    return lambda v: lo_px + (v - low) / span * (hi_px - lo_px)


def marker_svg(kind: str, x: float, y: float, color: str) -> str:
    r = 3.5
    if kind == "square":
        d = f"M{x - r:.1f},{y - r:.1f}h{2 * r:.1f}v{2 * r:.1f}h{-2 * r:.1f}z"
    elif kind == "diamond":
        d = f"M{x:.1f},{y - r - 1:.1f}l{r + 1:.1f},{r + 1:.1f}l{-r - 1:.1f},{r + 1:.1f}l{-r - 1:.1f},{-r - 1:.1f}z"
    elif kind == "triangle":
        d = f"M{x:.1f},{y - r - 1:.1f}l{r + 1:.1f},{2 * r + 1:.1f}h{-2 * r - 2:.1f}z"
    else:
        d = f"M{x - r:.1f},{y:.1f}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0z"
    return f'<path d="{d}" fill="{color}" stroke="{color}"/>'


def _text(x: float, y: float, text: str, anchor: str = "middle", size: int = 11, extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}"{extra}>'
            f"{html.escape(text)}</text>")


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _label_box(side: str, x: float, y: float, width: float, height: float) -> Box:
    """Where a label of this size goes on one side of its point: `left`, `right` (centred on it), or beside one
    of its corners (`above-left`, `above-right`, `below-left`, `below-right`).

    >>> _label_box("below-left", 100, 50, 40, 10)
    (57.0, 53.0, 97.0, 63.0)
    """
    pad, near = 7.0, 3.0
    vertical, _, horizontal = side.rpartition("-")
    gap = near if vertical else pad
    x0 = x - gap - width if horizontal == "left" else x + gap
    y0 = {"above": y - near - height, "below": y + near}.get(vertical, y - height / 2)
    return (x0, y0, x0 + width, y0 + height)


def place_labels(
    points: Sequence[tuple[float, float, str]], plot: Box, font: int, sides: Sequence[str] = ("right", "left")
) -> list[tuple[str, float, float] | None]:
    """Where each point's label goes, in pixels (anchor, x, y), or None when it has no room: inside the plot,
    clear of every marker and of the labels placed before it (points earlier in the list win), on the first of
    `sides` where it fits. Greedy and deterministic; the points without a label keep their tooltip.

    >>> place_labels([(50, 50, "Kreis Unna"), (50, 55, "Stadt Hamm"), (50, 90, "")], (0, 0, 200, 100), 10)
    [('start', 57.0, 53.5), None, None]
    """
    height = font * 1.15
    taken: list[Box] = [(x - 4, y - 4, x + 4, y + 4) for x, y, _ in points]
    placed: list[tuple[str, float, float] | None] = []
    for number, (x, y, label) in enumerate(points):
        spot = None
        width = len(label) * font * CHAR_WIDTH
        for side in sides if label else ():
            box = _label_box(side, x, y, width, height)
            inside = plot[0] <= box[0] and box[2] <= plot[2] and plot[1] <= box[1] and box[3] <= plot[3]
            if inside and not any(_overlaps(box, t) for i, t in enumerate(taken) if i != number):
                taken.append(box)
                left = side.endswith("left")
                spot = ("end" if left else "start", box[2] if left else box[0], box[1] + height / 2 + font * 0.35)
                break
        placed.append(spot)
    return placed


def chart_svg(
    series: Sequence[Series],
    title: str,
    axis_labels: tuple[str, str],
    x_format: Callable[[float], str],
    frame: Frame = WIDE,
    step_line: bool = False,
    integer_x: bool = False,
    integer_y: bool = False,
    x_ticks_of: Callable[[float, float], list[float]] | None = None,
    label_sides: Sequence[str] = ("right", "left"),
) -> str:
    """The whole chart as one inline `<svg>` element (`x_ticks_of` overrides the round x ticks, e.g. years)."""
    f = frame
    marks = [m for s in series for m in s.marks]
    xs, ys = [m.x for m in marks], [m.y for m in marks]
    x_ticks = (x_ticks_of or (lambda lo, hi: nice_ticks(lo, hi, integer=integer_x)))(min(xs), max(xs))
    y_ticks = nice_ticks(min(0.0, min(ys)), max(ys), integer=integer_y)
    sx, sy = _scale(x_ticks, f.left, f.width - f.right), _scale(y_ticks, f.height - f.bottom, f.top)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
             f'viewBox="0 0 {f.width:.0f} {f.height:.0f}" width="{f.width:.0f}" height="{f.height:.0f}" '
             f'font-family="sans-serif" role="img">',
             f"<title>{html.escape(title)}</title>", _text(f.width / 2, 20, title, size=f.font + 3)]
    parts += _axes(f, x_ticks, y_ticks, sx, sy, x_format, axis_labels)
    for one in series:
        if step_line and len(one.marks) > 1:
            path = f"M{sx(one.marks[0].x):.1f},{sy(one.marks[0].y):.1f}" + "".join(
                f"H{sx(b.x):.1f}V{sy(b.y):.1f}" for b in one.marks[1:]
            )
            parts.append(f'<path d="{path}" fill="none" stroke="#9ecae1" stroke-width="1.5"/>')
    plot = (f.left + 2, f.top + 2, f.width - f.right - 2, f.height - f.bottom - 2)
    drawn = [(one, mark, sx(mark.x), sy(mark.y)) for one in series for mark in one.marks]
    spots = place_labels([(x, y, mark.label) for _, mark, x, y in drawn], plot, f.font, label_sides)
    for (one, mark, x, y), spot in zip(drawn, spots, strict=True):
        label = _text(spot[1], spot[2], mark.label, anchor=spot[0], size=f.font) if spot else ""
        parts.append(f'<g id="{mark.group_id}" class="point" data-ref="{mark.ref}">'
                     f"<title>{html.escape(mark.tooltip)}</title>"
                     f'<a xlink:href="{html.escape(mark.href or "#t-" + mark.ref)}">'
                     f"{marker_svg(one.marker, x, y, one.color)}</a>{label}</g>")
    parts.append("</svg>")
    return "".join(parts)


def _axes(
    f: Frame, x_ticks: list[float], y_ticks: list[float], sx: Callable[[float], float],
    sy: Callable[[float], float], x_format: Callable[[float], str], axis_labels: tuple[str, str],
) -> list[str]:
    """Grid, tick labels, the plot's frame and the two axis titles."""
    parts = []
    for tick in x_ticks:
        x = sx(tick)
        parts.append(f'<line x1="{x:.1f}" y1="{f.top:.1f}" x2="{x:.1f}" y2="{f.height - f.bottom:.1f}" stroke="#ddd"/>')
        parts.append(_text(x, f.height - f.bottom + 16, x_format(tick), size=f.font - 1))
    for tick in y_ticks:
        y = sy(tick)
        parts.append(f'<line x1="{f.left:.1f}" y1="{y:.1f}" x2="{f.width - f.right:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(_text(f.left - 6, y + 4, f"{tick:g}", anchor="end", size=f.font - 1))
    parts.append(f'<rect x="{f.left:.1f}" y="{f.top:.1f}" width="{f.width - f.left - f.right:.1f}" '
                 f'height="{f.height - f.top - f.bottom:.1f}" fill="none" stroke="#444"/>')
    middle = (f.top + f.height - f.bottom) / 2
    parts.append(_text((f.left + f.width - f.right) / 2, f.height - 12, axis_labels[0], size=f.font))
    parts.append(_text(14, middle, axis_labels[1], size=f.font, extra=f' transform="rotate(-90 14 {middle:.1f})"'))
    return parts
