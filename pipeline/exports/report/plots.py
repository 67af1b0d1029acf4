"""The report's plots, drawn as inline SVG by `chart.py` (no browser-side plotting, no CDN, no matplotlib).

Every point is its own SVG group with an id (`pt-<table>-<row>`, `pn-…` in the phone-sized copy), a tooltip
(`<title>`) and a link to the fact's evidence on its document's text page, so a reader can go from a dot to the
sentence behind it. Each plot is drawn twice, for a wide screen and for a phone (`chart.WIDE`, `chart.NARROW`);
the page's style shows one of them.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from pipeline.exports.report.chart import MARKERS, WIDE, Frame, Mark, Series, chart_svg, nice_ticks
from pipeline.exports.report.markup import text_href

COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")
MAX_SERIES = 12  # organisations with a style of their own in the survey plot; the rest share one
OTHER_SERIES = "other organisations"
NO_SUBJECT = "organisation not stated"
MAX_LABEL = 32  # characters of a point's label; the whole of it is in the tooltip and the table


@dataclass(frozen=True)
class Point:
    ref: str  # e.g. "partners-3": the fact's table and row
    x: Any
    y: float
    label: str  # drawn beside the point where there is room
    tooltip: str = ""
    series: str = ""
    doc_id: str = ""


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
        Point(f"partners-{index}", iso_to_date(row.get("date")), float(rank), str(row["partner"]),
              f"{row['partner']} ({row['date']}, {row.get('doc_id')})", doc_id=str(row.get("doc_id")))
        for rank, (index, row) in enumerate(ordered, start=1)
    ]


def figures_to_points(rows: list[dict[str, Any]], doc_years: dict[str, int]) -> list[Point]:
    """One point per percent figure that has a year (its own, else its document's), in the series of whose it
    is (its subject: an organisation, a survey's population), labelled by what it measures."""
    points = []
    for index, row in enumerate(rows):
        if row.get("unit") != "percent" or row.get("value") is None:
            continue
        year = _year(row.get("year")) or doc_years.get(str(row.get("doc_id")))
        if year is None:
            continue
        measure, subject = str(row.get("measure") or "").strip(), str(row.get("subject") or "").strip()
        label = shorten(f"{row['value']} % {measure}".strip())
        tooltip = f"{row['value']} % {measure or '(measure not stated)'} — {subject or NO_SUBJECT} ({year}, " \
                  f"{row.get('doc_id')})"
        points.append(Point(f"figures-{index}", year, float(row["value"]), label, tooltip, subject or NO_SUBJECT,
                            str(row.get("doc_id"))))
    return points


def shorten(text: str, limit: int = MAX_LABEL) -> str:
    """A label cut at a word to at most `limit` characters.

    >>> shorten("48.7 % Beschäftigte mit Migrationshintergrund in der Landesverwaltung", 30)
    '48.7 % Beschäftigte mit …'
    """
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return f"{cut} …"


def series_styles(points: list[Point]) -> dict[str, tuple[str, str]]:
    """Colour and marker of each series, the most populous first; past MAX_SERIES - 1 they share one style."""
    counts = Counter(p.series for p in points)
    names = sorted(counts, key=lambda name: (name == NO_SUBJECT, -counts[name], name))
    if len(names) > MAX_SERIES:
        names = [*names[: MAX_SERIES - 1], OTHER_SERIES]
    return {name: (COLORS[n % len(COLORS)], MARKERS[n % len(MARKERS)]) for n, name in enumerate(names)}


def series_of(point: Point, styles: dict[str, tuple[str, str]]) -> str:
    return point.series if point.series in styles else OTHER_SERIES


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




def _padded_years(low: float, high: float) -> list[float]:
    """Year ticks with room beyond the first and last year, so no point sits on the frame.

    >>> _padded_years(2013, 2022)
    [2012.0, 2014.0, 2016.0, 2018.0, 2020.0, 2022.0, 2024.0]
    """
    return nice_ticks(low - 0.5, high + 0.5, integer=True)


def _marks(points: list[Point], prefix: str) -> tuple[Mark, ...]:
    return tuple(
        Mark(_date_ordinal(p.x), p.y, f"{prefix}-{p.ref}", p.ref, p.tooltip or p.label, p.label,
             text_href(p.doc_id, p.ref) if p.doc_id else "")
        for p in points
    )


def partners_timeline_svg(points: list[Point], frame: Frame = WIDE) -> str:
    """Cumulative timeline of partners joining: a step line and one linked point per partner organisation,
    named where there is room: above and left of its point, or below and right of it, where a rising step line
    leaves the chart empty."""
    prefix = "pt" if frame == WIDE else "pn"
    series = Series("", COLORS[0], MARKERS[0], _marks(points, prefix))
    return chart_svg([series], "Partners joining the initiative", ("first joining / signing date",
                     "partners (cumulative)"), _date_label, frame, step_line=True, integer_y=True,
                     x_ticks_of=year_ticks, label_sides=("above-left", "below-right", "left", "right"))


def figures_timeline_svg(points: list[Point], frame: Frame = WIDE) -> str:
    """Percent figures by year: one colour and marker per organisation (legend beside the plot, `series_styles`),
    each point labelled with its value and measure where there is room and linked to its evidence."""
    prefix = "pt" if frame == WIDE else "pn"
    styles = series_styles(points)
    series = [
        Series(name, color, marker, _marks([p for p in points if series_of(p, styles) == name], prefix))
        for name, (color, marker) in styles.items()
    ]
    return chart_svg(series, "Survey figures over time (percent)", ("year the figure refers to", "share (%)"),
                     lambda year: f"{year:g}", frame, x_ticks_of=_padded_years,
                     label_sides=("right", "left", "below-right", "below-left", "above-right", "above-left"))

