"""The corpus at a glance, at the top of report.html: partners joining over time with the table of partner
organisations (first date, documents, evidence), and the survey figures by year with the table behind them.

Each plot is drawn for a wide screen and for a phone (the style shows one); every point and every evidence links
to the fact's mention on its document's text page.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import Any

from pipeline.exports.report.chart import NARROW, WIDE, Frame, marker_svg
from pipeline.exports.report.markup import cell, esc, html_table, text_href
from pipeline.exports.report.plots import (
    Point,
    figures_timeline_svg,
    figures_to_points,
    first_joined,
    iso_to_date,
    partners_timeline_svg,
    partners_to_points,
    series_of,
    series_styles,
)

Rows = list[dict[str, Any]]


def partners_table_html(rows: Rows) -> str:
    """One row per canonical partner, by first joining date (undated partners last): its first date, the
    evidence that states it, and every document that names it as a partner."""
    by_partner: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for index, row in enumerate(rows):
        by_partner.setdefault(str(row.get("partner")), []).append((index, row))
    entries = []
    for partner, group in by_partner.items():
        first = first_joined(group)
        index, row = first if first else group[0]
        entries.append((iso_to_date(row.get("date")) if first else None, partner, index, row, group))
    entries.sort(key=lambda e: (e[0] is None, e[0] or dt.date.min, e[1]))
    body = []
    for first_day, partner, index, row, group in entries:
        doc_ids = sorted({str(r.get("doc_id")) for _, r in group})
        links = ", ".join(f'<a href="#doc-{html.escape(d)}">{esc(d)}</a>' for d in doc_ids)
        evidence = (f'<a href="{text_href(row.get("doc_id"), f"partners-{index}")}">{esc(row.get("evidence"))}'
                    "</a>")
        body.append(f"<tr>{cell(row.get('date') if first_day else '')}<td>{esc(partner)}</td>"
                    f"<td>{len(doc_ids)}: {links}</td><td>{evidence}</td></tr>")
    return html_table(["first joined", "partner", "documents", "evidence (first joined)"], body, "partners-by-date")


def figures_table_html(points: list[Point], rows: Rows) -> str:
    """The plotted survey figures as a table: year, value, measure, whose, document and evidence."""
    body = []
    for point in sorted(points, key=lambda p: (p.x, p.series, p.ref)):
        row = rows[int(point.ref.rsplit("-", 1)[1])]
        evidence = f'<a href="{text_href(point.doc_id, point.ref)}">{esc(row.get("evidence"))}</a>'
        body.append(f"<tr>{cell(point.x)}{cell(row.get('value'))}<td>{esc(row.get('measure'))}</td>"
                    f"<td>{esc(point.series)}</td><td>{esc(point.doc_id)}</td><td>{evidence}</td></tr>")
    return html_table(["year", "percent", "measure", "whose", "document", "evidence"], body, "survey-figures")


def legend_html(points: list[Point]) -> str:
    """The survey plot's legend: whose figures each marker shows."""
    styles = series_styles(points)
    counts = {name: sum(1 for p in points if series_of(p, styles) == name) for name in styles}
    items = "".join(
        f'<li><svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">{marker_svg(marker, 6, 6, color)}'
        f"</svg> {esc(name)} ({counts[name]})</li>"
        for name, (color, marker) in styles.items()
    )
    return f'<ul class="legend">{items}</ul>'


def plots_html(tables: dict[str, Rows]) -> str:
    partners = tables.get("partners", [])
    partner_points = partners_to_points(partners)
    doc_years = {}
    for doc in tables.get("documents", []):
        day = iso_to_date(doc.get("date"))
        if day is not None:
            doc_years[str(doc["doc_id"])] = day.year
    figures = tables.get("figures", [])
    figure_points = figures_to_points(figures, doc_years)
    organisations = len({str(r.get("partner")) for r in partners})
    return "".join([
        '<h2 id="timeline">Partners joining over time</h2>',
        _plot_section("partners-timeline", partner_points, partners_timeline_svg,
                      ("One point per partner organisation, at the earliest joining or signing date a document states "
                       "(the most precise of dates that agree), named where there is room; hover for the name, "
                       "click for the evidence. Every partner is in the table below."),
                      "No partner has a joining date yet."),
        f'<h3 id="partners">Partner organisations ({organisations}; {len(partner_points)} with a joining date)</h3>',
        partners_table_html(partners) if partners else '<p class="muted">No partners found.</p>',
        '<h2 id="survey">Survey figures over time</h2>',
        _plot_section("figures-timeline", figure_points, figures_timeline_svg,
                      ("Percent figures by the year they refer to (else the document's year): a marker per "
                       "organisation or population the figure is about, the label says what it measures."),
                      "No percent figures with a year yet.", legend_html(figure_points) if figure_points else ""),
        figures_table_html(figure_points, figures) if figure_points else "",
    ])


def _plot_section(
    element_id: str, points: list[Point], draw: Callable[[list[Point], Frame], str], caption: str, empty: str,
    legend: str = "",
) -> str:
    """A plot (wide and phone-sized) with its legend and caption, or a note that there is nothing to plot."""
    if not points:
        return f'<p class="muted" id="{element_id}" data-points="0">{empty}</p>'
    return (f'<div class="plot" id="{element_id}" data-points="{len(points)}">'
            f'<div class="chart-wide">{draw(points, WIDE)}</div><div class="chart-narrow">{draw(points, NARROW)}</div>'
            f"</div>{legend}<p>{caption}</p>")
