"""A small scatter/step chart written straight as SVG: axes with round ticks, a grid, points as linked groups.

The report needs two plots with a few hundred points at most; drawing them by hand takes microseconds where
importing matplotlib took about a second of every export. The output is deterministic text (coordinates rounded
to 0.1 px), and every point is its own group with an id, a tooltip and a link to its evidence.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 900.0, 420.0
LEFT, RIGHT, TOP, BOTTOM = 70.0, 20.0, 40.0, 60.0
MARKERS = ("circle", "square", "diamond", "triangle")


@dataclass(frozen=True)
class Mark:
    """One point to draw: data coordinates, its group id and link target, tooltip and optional label."""

    x: float
    y: float
    group_id: str
    ref: str
    tooltip: str
    label: str = ""


@dataclass(frozen=True)
class Series:
    name: str
    color: str
    marker: str
    marks: tuple[Mark, ...]


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


def _marker(kind: str, x: float, y: float, color: str) -> str:
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


def chart_svg(
    series: Sequence[Series],
    title: str,
    x_label: str,
    y_label: str,
    x_format: Callable[[float], str],
    step_line: bool = False,
    integer_x: bool = False,
    integer_y: bool = False,
    x_ticks_of: Callable[[float, float], list[float]] | None = None,
) -> str:
    """The whole chart as one inline `<svg>` element (`x_ticks_of` overrides the round x ticks, e.g. years)."""
    marks = [m for s in series for m in s.marks]
    xs, ys = [m.x for m in marks], [m.y for m in marks]
    x_ticks = (x_ticks_of or (lambda lo, hi: nice_ticks(lo, hi, integer=integer_x)))(min(xs), max(xs))
    y_ticks = nice_ticks(min(0.0, min(ys)), max(ys), integer=integer_y)
    sx, sy = _scale(x_ticks, LEFT, WIDTH - RIGHT), _scale(y_ticks, HEIGHT - BOTTOM, TOP)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
             f'viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}" font-family="sans-serif" role="img">',
             f"<title>{html.escape(title)}</title>", _text(WIDTH / 2, 22, title, size=14)]
    for tick in x_ticks:
        x = sx(tick)
        parts.append(f'<line x1="{x:.1f}" y1="{TOP:.1f}" x2="{x:.1f}" y2="{HEIGHT - BOTTOM:.1f}" stroke="#ddd"/>')
        parts.append(_text(x, HEIGHT - BOTTOM + 16, x_format(tick), size=10))
    for tick in y_ticks:
        y = sy(tick)
        parts.append(f'<line x1="{LEFT:.1f}" y1="{y:.1f}" x2="{WIDTH - RIGHT:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(_text(LEFT - 6, y + 4, f"{tick:g}", anchor="end", size=10))
    parts.append(f'<rect x="{LEFT:.1f}" y="{TOP:.1f}" width="{WIDTH - LEFT - RIGHT:.1f}" '
                 f'height="{HEIGHT - TOP - BOTTOM:.1f}" fill="none" stroke="#444"/>')
    parts.append(_text((LEFT + WIDTH - RIGHT) / 2, HEIGHT - 14, x_label))
    parts.append(_text(16, (TOP + HEIGHT - BOTTOM) / 2, y_label, extra=f' transform="rotate(-90 16 '
                       f'{(TOP + HEIGHT - BOTTOM) / 2:.1f})"'))
    for one in series:
        if step_line and len(one.marks) > 1:
            path = f"M{sx(one.marks[0].x):.1f},{sy(one.marks[0].y):.1f}" + "".join(
                f"H{sx(b.x):.1f}V{sy(b.y):.1f}" for b in one.marks[1:]
            )
            parts.append(f'<path d="{path}" fill="none" stroke="#9ecae1" stroke-width="1.5"/>')
        for mark in one.marks:
            x, y = sx(mark.x), sy(mark.y)
            label = _text(x + 7, y + 3, mark.label, anchor="start", size=8) if mark.label else ""
            parts.append(f'<g id="{mark.group_id}" class="point" data-ref="{mark.ref}">'
                         f"<title>{html.escape(mark.tooltip)}</title>"
                         f'<a xlink:href="#t-{mark.ref}">{_marker(one.marker, x, y, one.color)}</a>{label}</g>')
    for number, one in enumerate(s for s in series if s.name):  # the legend: named series only
        y = TOP + 14 + 16 * number
        parts.append(_marker(one.marker, WIDTH - RIGHT - 200, y - 4, one.color))
        parts.append(_text(WIDTH - RIGHT - 190, y, one.name, anchor="start", size=10))
    parts.append("</svg>")
    return "".join(parts)
