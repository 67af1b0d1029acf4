"""The report's plots, drawn by matplotlib into inline SVG (no browser-side plotting, no CDN).

Every point is its own SVG group with an id (`pt-<table>-<row>`), a tooltip (`<title>`) and a link to the
fact's evidence in the page (`#t-<table>-<row>`), so a reader can go from a dot to the sentence behind it.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from dataclasses import dataclass
from typing import Any

from pipeline.models import load_json

POINT_ID = "pt-{ref}"
COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#7f7f7f")
MAX_LABELS = 30  # above this many points, names are left to the tooltips


@dataclass(frozen=True)
class Point:
    ref: str  # e.g. "partners-3": the fact's table and row
    x: Any
    y: float
    label: str
    series: str = ""


def iso_to_date(text: Any) -> dt.date | None:
    """The first day an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD) covers; None when it is not one.

    >>> iso_to_date("2012-08")
    datetime.date(2012, 8, 1)
    >>> iso_to_date("2012-13") is None
    True
    """
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", str(text or "").strip())
    if not match:
        return None
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def partners_to_points(rows: list[dict[str, Any]]) -> list[Point]:
    """One point per partner row with a date, ordered by date: y is the running count of dated rows."""
    dated = [(iso_to_date(row.get("date")), index, row) for index, row in enumerate(rows)]
    ordered = sorted(
        ((day, index, row) for day, index, row in dated if day is not None),
        key=lambda item: (item[0], str(item[2].get("partner")), item[1]),
    )
    return [
        Point(f"partners-{index}", day, float(rank), f"{row.get('partner')} ({row.get('date')})")
        for rank, (day, index, row) in enumerate(ordered, start=1)
    ]


def evidence_clause(row: dict[str, Any]) -> str:
    """The clause of the evidence that holds the mention (cut at , ; : and brackets).

    >>> evidence_clause({"evidence": "Nach einer Befragung, an der sich 3.100 beteiligten, haben 11 % X.",
    ...                  "char_start": 110, "evidence_start": 50})
    ' haben 11 % X.'
    """
    evidence = str(row.get("evidence") or "")
    start, origin = row.get("char_start"), row.get("evidence_start")
    if not isinstance(start, int) or not isinstance(origin, int) or not 0 <= start - origin <= len(evidence):
        return evidence
    at = start - origin
    cuts = [m.start() for m in re.finditer(r"[,;:()]", evidence)]
    left = max([c + 1 for c in cuts if c < at], default=0)
    right = min([c for c in cuts if c >= at], default=len(evidence))
    return evidence[left:right]


def figure_series(row: dict[str, Any]) -> str:
    """The plot series of a percent figure, by the patterns in `models/report/figure_series.json`, tried on
    the figure's measure and subject, then on its clause, then on its whole evidence sentence."""
    config = load_json("report/figure_series.json")
    contexts = (f"{row.get('measure') or ''} {row.get('subject') or ''}", evidence_clause(row), row.get("evidence"))
    for context in contexts:
        for series in config["series"]:
            if re.search(series["pattern"], str(context or ""), flags=re.IGNORECASE):
                return str(series["label"])
    return str(config["other"])


def figures_to_points(rows: list[dict[str, Any]], doc_years: dict[str, int]) -> list[Point]:
    """One point per percent figure that has a year (its own, else its document's)."""
    points = []
    for index, row in enumerate(rows):
        if row.get("unit") != "percent" or row.get("value") is None:
            continue
        year = _year(row.get("year")) or doc_years.get(str(row.get("doc_id")))
        if year is None:
            continue
        label = f"{row.get('value')} % {row.get('measure') or ''} ({year}, {row.get('doc_id')})"
        points.append(Point(f"figures-{index}", year, float(row["value"]), label, figure_series(row)))
    return points


def _year(value: Any) -> int | None:
    day = iso_to_date(value)
    return day.year if day else None


def _figure_to_svg(fig: Any, salt: str) -> str:
    import matplotlib

    with matplotlib.rc_context({"svg.hashsalt": salt, "svg.fonttype": "path"}):
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # inline: no XML declaration or doctype
    svg = svg.replace(' target="_blank"', "")  # point links go to the evidence in the same page
    return re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)


def _draw_points(ax: Any, points: list[Point], color: str, gid: str, marker: str = "o") -> None:
    """All points of one series as one matplotlib artist (one per point is slow for a large corpus); its group
    is split into one group per point afterwards (`_split_points`)."""
    artist = ax.plot([p.x for p in points], [p.y for p in points], marker=marker, linestyle="none", color=color,
                     markersize=6)[0]
    artist.set_gid(gid)


_USE = re.compile(r"<use [^>]*/>")


def _split_points(svg: str, series: list[tuple[str, list[Point]]]) -> str:
    """Each marker of a series' group becomes its own group: id, class, tooltip and a link to the evidence."""
    for gid, points in series:
        start = svg.find(f'<g id="{gid}">')
        if start < 0 or not points:
            continue
        end = _group_end(svg, start)
        uses = iter(points)

        def wrap(match: re.Match[str], uses: Any = uses) -> str:
            point = next(uses, None)
            if point is None:
                return match.group()
            ref = point.ref
            return (f'<g id="{POINT_ID.format(ref=ref)}" class="point" data-ref="{ref}">'
                    f"<title>{html.escape(point.label)}</title>"
                    f'<a xlink:href="#t-{ref}">{match.group()}</a></g>')

        svg = svg[:start] + _USE.sub(wrap, svg[start:end]) + svg[end:]
    return svg


def _group_end(svg: str, start: int) -> int:
    """The offset just after the `</g>` that closes the group opened at `start`."""
    depth = 0
    for match in re.finditer(r"<g[ >]|</g>", svg[start:]):
        depth += -1 if match.group() == "</g>" else 1
        if depth == 0:
            return start + match.end()
    return len(svg)


def partners_timeline_svg(points: list[Point]) -> str:
    """Cumulative timeline of partners joining: a step line and one linked point per dated partner row."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(9, 4.2))
    ax = fig.add_subplot()
    xs = [p.x for p in points]
    ax.step(xs, [p.y for p in points], where="post", color="#9ecae1", linewidth=1.5, zorder=1)
    _draw_points(ax, points, COLORS[0], "points-partners")
    if len(points) <= MAX_LABELS:
        for point in points:
            ax.annotate(point.label, (point.x, point.y), xytext=(6, -3), textcoords="offset points", fontsize=7)
    ax.set_xlabel("joining / signing date")
    ax.set_ylabel("dated partner rows (cumulative)")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Partners joining the initiative")
    ax.grid(True, alpha=0.3)
    fig.autofmt_xdate()
    return _split_points(_figure_to_svg(fig, "partners"), [("points-partners", points)])


def figures_timeline_svg(points: list[Point]) -> str:
    """Percent figures by year, one marker style per series, each point linked to its evidence."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(9, 4.2))
    ax = fig.add_subplot()
    series = sorted({p.series for p in points}, key=lambda s: (s == load_json("report/figure_series.json")["other"], s))
    groups = []
    for number, name in enumerate(series):
        members = [p for p in points if p.series == name]
        groups.append((f"points-figures-{number}", members))
        _draw_points(ax, members, COLORS[number % len(COLORS)], groups[-1][0], "osD^v<>"[number % 7])
        ax.plot([], [], marker="osD^v<>"[number % 7], linestyle="none", color=COLORS[number % len(COLORS)], label=name)
    ax.set_xlabel("year")
    ax.set_ylabel("share (%)")
    ax.set_title("Survey figures over time (percent)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    return _split_points(_figure_to_svg(fig, "figures"), groups)
