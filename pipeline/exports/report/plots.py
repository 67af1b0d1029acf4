"""The report's plots, drawn as inline SVG by `chart.py` (no browser-side plotting, no CDN, no matplotlib).

Every point is its own SVG group with an id (`pt-<table>-<row>`), a tooltip (`<title>`) and a link to the
fact's evidence in the page (`#t-<table>-<row>`), so a reader can go from a dot to the sentence behind it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

from pipeline.exports.report.chart import MARKERS, Mark, Series, chart_svg
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


def iso_end(text: Any) -> dt.date | None:
    """The last day an ISO 8601 date covers (2012 → 2012-12-31, 2012-02 → 2012-02-29).

    >>> iso_end("2012-02"), iso_end("2012")
    (datetime.date(2012, 2, 29), datetime.date(2012, 12, 31))
    """
    start = iso_to_date(text)
    if start is None:
        return None
    parts = str(text).strip().count("-")
    if parts == 2:
        return start
    if parts == 1:
        following = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return dt.date(start.year, 12, 31)


def first_joined(rows: list[tuple[int, dict[str, Any]]]) -> tuple[int, dict[str, Any]] | None:
    """A partner's row with its earliest stated joining date; of dates that overlap, the most precise (2012-03-26
    rather than 2012): the rule of the `partners_first_joined` view in the database."""
    dated = [(iso_end(row.get("date")), index, row) for index, row in rows]
    ordered = sorted(
        ((end, index, row) for end, index, row in dated if end is not None),
        key=lambda item: (item[0], -len(str(item[2].get("date"))), str(item[2].get("doc_id")), item[1]),
    )
    return (ordered[0][1], ordered[0][2]) if ordered else None


def partners_to_points(rows: list[dict[str, Any]]) -> list[Point]:
    """One point per partner organisation with a joining date (its earliest, `first_joined`), ordered by date:
    y is the running count of partners, so a partner named in several documents counts once."""
    by_partner: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for index, row in enumerate(rows):
        by_partner.setdefault(str(row.get("partner")), []).append((index, row))
    firsts = [found for group in by_partner.values() if (found := first_joined(group)) is not None]
    ordered = sorted(firsts, key=lambda item: (iso_to_date(item[1].get("date")), str(item[1].get("partner")), item[0]))
    return [
        Point(f"partners-{index}", iso_to_date(row.get("date")), float(rank), f"{row['partner']} ({row['date']})")
        for rank, (index, row) in enumerate(ordered, start=1)
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


def _date_ordinal(value: Any) -> float:
    return float(value.toordinal()) if isinstance(value, dt.date) else float(value)


def _date_label(ordinal: float) -> str:
    return str(dt.date.fromordinal(int(ordinal)).year)


def year_ticks(low: float, high: float) -> list[float]:
    """New Year's days (as date ordinals) around a range of date ordinals, about eight of them at most.

    >>> [dt.date.fromordinal(int(t)).isoformat() for t in year_ticks(734588.0, 734588.0)]
    ['2012-01-01', '2013-01-01']
    """
    first, last = dt.date.fromordinal(int(low)).year, dt.date.fromordinal(int(high)).year + 1
    step = max(1, math.ceil((last - first) / 8))
    years = range(first, last + step, step)  # the last tick at or after the end of the range
    return [float(dt.date(year, 1, 1).toordinal()) for year in years]


def _marks(points: list[Point], labelled: bool) -> tuple[Mark, ...]:
    return tuple(
        Mark(_date_ordinal(p.x), p.y, POINT_ID.format(ref=p.ref), p.ref, p.label, p.label if labelled else "")
        for p in points
    )


def partners_timeline_svg(points: list[Point]) -> str:
    """Cumulative timeline of partners joining: a step line and one linked point per dated partner row."""
    series = Series("", COLORS[0], MARKERS[0], _marks(points, len(points) <= MAX_LABELS))
    return chart_svg([series], "Partners joining the initiative", "joining / signing date",
                     "partners (cumulative)", _date_label, step_line=True, integer_y=True,
                     x_ticks_of=year_ticks)


def figures_timeline_svg(points: list[Point]) -> str:
    """Percent figures by year, one marker style per series, each point linked to its evidence."""
    other = load_json("report/figure_series.json")["other"]
    names = sorted({p.series for p in points}, key=lambda s: (s == other, s))
    series = [
        Series(name, COLORS[number % len(COLORS)], MARKERS[number % len(MARKERS)],
               _marks([p for p in points if p.series == name], False))
        for number, name in enumerate(names)
    ]
    return chart_svg(series, "Survey figures over time (percent)", "year", "share (%)",
                     lambda year: f"{year:g}", integer_x=True)
