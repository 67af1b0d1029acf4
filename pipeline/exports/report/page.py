"""A static, self-contained HTML report of the tables (`corpus/tables/report.html`).

One file, no server, nothing fetched: plots are inline SVG (`chart.py`), the few lines of script and
style are inline. It shows the corpus at a glance (per-document summary, partners joining over time, survey
figures over time) and lets a reader check every fact: each links to its mention and evidence, highlighted
in the document's clean text, and each document's OCR repairs are listed on demand.
"""

from __future__ import annotations

import html
import io
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from pipeline.atomic import atomic_file
from pipeline.exports.report.assets import SCRIPT, STYLE
from pipeline.exports.report.plots import (
    Point,
    figures_timeline_svg,
    figures_to_points,
    iso_to_date,
    partners_timeline_svg,
    partners_to_points,
)
from pipeline.exports.report.spans import Span, row_to_spans, text_to_html

Rows = list[dict[str, Any]]

# Columns shown in each document's fact lists (the full rows are in the CSVs and the database).
FACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "partners": ("partner", "mention", "partner_type", "date", "page"),
    "dates": ("date", "date_end", "precision", "kind", "text", "page"),
    "figures": ("value", "unit", "qualifier", "measure", "subject", "year", "text", "page"),
    "commitments": ("number", "number_inferred", "partner", "text", "target_year", "status", "page"),
    "questions": ("number", "question", "answer", "page"),
}
REPAIR_COLUMNS = ("char_start", "before", "after", "rule", "score")
META_COLUMNS = (
    "doc_type", "date", "title", "source_file", "drucksache", "wahlperiode", "anfrage_nr", "anfrage_drucksache",
    "anfrage_date", "answer_date", "questioners", "party", "ministry", "pages", "text_source", "text_quality",
    "ocr_confidence", "period_start", "period_end", "text_notes",
)
SUMMARY_TABLES = ("partners", "dates", "figures", "commitments", "questions", "repairs")
NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
MAX_CELL = 240  # characters of long text shown in a list cell; the full text is in the document below

def esc(value: Any) -> str:
    """Cell text: empty for None, lowercase booleans, escaped, long text shortened.

    >>> esc(None), esc(True), esc("a<b")
    ('', 'true', 'a&lt;b')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "…"
    return html.escape(text)


def rows_by_doc(rows: Rows) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """Rows grouped by document, each with its index in the whole table (the fact's reference number)."""
    grouped: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for index, row in enumerate(rows):
        grouped.setdefault(str(row.get("doc_id")), []).append((index, row))
    return grouped


def html_table(headers: Sequence[str], body: list[str], cls: str = "") -> str:
    """A table that scrolls inside its own box on a narrow screen (the page itself never scrolls sideways);
    the inline script lets a reader sort it by a column and filter its rows."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    klass = f' class="{cls}"' if cls else ""
    return f'<div class="wide"><table{klass}><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def is_number(value: Any) -> bool:
    """A number, or a table cell that is one as written (`1719`, `48.7`), which is right-aligned.

    >>> is_number(3), is_number("48.7"), is_number("16/7204"), is_number(True)
    (True, True, False, False)
    """
    if isinstance(value, bool):
        return False
    return isinstance(value, (int, float)) or bool(NUMBER.fullmatch(str(value or "")))


def _cell(value: Any) -> str:
    return f'<td class="n">{esc(value)}</td>' if is_number(value) else f"<td>{esc(value)}</td>"


def fact_rows_html(table: str, rows: list[tuple[int, dict[str, Any]]], columns: Sequence[str]) -> str:
    body = [
        f'<tr id="f-{table}-{index}"><td><a href="#t-{table}-{index}">text</a></td>'
        + "".join(_cell(row.get(c)) for c in columns)
        + "</tr>"
        for index, row in rows
    ]
    return html_table(["evidence", *columns], body, f"facts facts-{table}")


def summary_html(tables: dict[str, Rows]) -> str:
    grouped = {name: rows_by_doc(tables.get(name, [])) for name in SUMMARY_TABLES}
    body = []
    for doc in tables.get("documents", []):
        doc_id = str(doc["doc_id"])
        counts = "".join(_cell(len(grouped[name].get(doc_id, []))) for name in SUMMARY_TABLES)
        body.append(
            f'<tr><td><a href="#doc-{esc(doc_id)}">{esc(doc_id)}</a></td>{_cell(doc.get("doc_type"))}'
            f'{_cell(doc.get("date"))}{_cell(doc.get("title"))}{_cell(doc.get("pages"))}'
            f'{_cell(doc.get("text_source"))}{_cell(doc.get("text_quality"))}{counts}</tr>'
        )
    headers = ["document", "type", "date", "title", "pages", "text", "quality", *SUMMARY_TABLES]
    return html_table(headers, body, "summary")


def doc_spans(doc_id: str, tables: dict[str, Rows], grouped: dict[str, Any], length: int) -> list[Span]:
    spans: list[Span] = []
    for table in (*FACT_COLUMNS, "repairs"):
        for index, row in grouped[table].get(doc_id, []):
            spans += row_to_spans(table, index, row, length)
    return spans


def repairs_html(rows: list[tuple[int, dict[str, Any]]]) -> str:
    if not rows:
        return '<p class="muted">No OCR repairs.</p>'
    body = [
        f'<tr id="f-repairs-{index}"><td><a href="#t-repairs-{index}">text</a></td>'
        + "".join(_cell(row.get(c)) for c in REPAIR_COLUMNS)
        + "</tr>"
        for index, row in rows
    ]
    table = html_table(["where", *REPAIR_COLUMNS], body, "repairs")
    return f'<details class="repairs"><summary>OCR repairs ({len(rows)})</summary>{table}</details>'


def doc_tables_html(doc_id: str, cells: Rows) -> str:
    """The document's tables found in its PDF (table_cells), each rendered as a table under its caption: the
    column headers on top, one row per body row."""
    mine = [row for row in cells if row.get("doc_id") == doc_id]
    parts = []
    for number, group in itertools.groupby(sorted(mine, key=lambda r: (int(r["table"]), int(r["row"]),
                                                                       int(r["col"]))), key=lambda r: r["table"]):
        rows = list(group)
        columns = max(int(r["col"]) for r in rows)
        headers = {int(r["col"]): r.get("col_header") for r in rows}
        head = "".join(f"<th>{esc(headers.get(c, ''))}</th>" for c in range(1, columns + 1))
        body = []
        for _, row_cells in itertools.groupby(rows, key=lambda r: r["row"]):
            by_col = {int(r["col"]): r for r in row_cells}
            body.append("<tr>" + "".join(
                f'<td class="n">{esc(by_col[c]["text"])}</td>' if c in by_col and by_col[c].get("value") not in
                (None, "") else f"<td>{esc(by_col[c]['text'] if c in by_col else '')}</td>"
                for c in range(1, columns + 1)) + "</tr>")
        caption = rows[0].get("caption") or f"Table {number} (page {rows[0].get('page')})"
        parts.append(f'<table class="pdf-table"><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>'
                     f'<tbody>{"".join(body)}</tbody></table>')
    return f"<h4>tables ({len(parts)})</h4>{''.join(parts)}" if parts else ""


def document_html(doc: dict[str, Any], tables: dict[str, Rows], grouped: dict[str, Any], text: str | None) -> str:
    doc_id = str(doc["doc_id"])
    meta = "".join(
        f"<dt>{c}</dt><dd>{esc(doc.get(c))}</dd>" for c in META_COLUMNS if doc.get(c) not in (None, "")
    )
    heading = f'{esc(doc.get("title") or doc_id)} <span class="muted doc-id">{esc(doc_id)}</span>'
    parts = [f'<section class="document" id="doc-{esc(doc_id)}"><h3>{heading}</h3><dl class="meta">{meta}</dl>']
    for table, columns in FACT_COLUMNS.items():
        rows = grouped[table].get(doc_id, [])
        if rows:
            parts.append(f"<h4>{table} ({len(rows)})</h4>{fact_rows_html(table, rows, columns)}")
    parts.append(doc_tables_html(doc_id, tables.get("table_cells", [])))
    parts.append(repairs_html(grouped["repairs"].get(doc_id, [])))
    if text is None:
        parts.append('<p class="muted">Clean text not found.</p>')
    else:
        titles = {
            f"repairs-{i}": f"OCR repair ({r.get('rule')}): {r.get('before')} → {r.get('after')}"
            for i, r in grouped["repairs"].get(doc_id, [])
        }
        marked = text_to_html(text, doc_spans(doc_id, tables, grouped, len(text)), titles)
        parts.append(
            f'<details class="text"><summary>Clean text ({len(text)} characters)</summary>'
            f'<pre class="doc-text">{marked}</pre></details>'
        )
    return "".join(parts) + "</section>"


def partners_list_html(tables: dict[str, Rows]) -> str:
    partners = tables.get("partners", [])
    points = partners_to_points(partners)
    body = []
    for point in points:
        index = int(point.ref.rsplit("-", 1)[1])
        row = partners[index]
        body.append(
            f'<tr><td>{esc(row.get("date"))}</td><td><a href="#t-{point.ref}">{esc(row.get("partner"))}</a></td>'
            f'<td><a href="#doc-{esc(row.get("doc_id"))}">{esc(row.get("doc_id"))}</a></td></tr>'
        )
    table = html_table(["date", "partner", "document"], body, "partners-by-date")
    return f"<details><summary>Partners by first joining date, as a list ({len(points)})</summary>{table}</details>"


def plots_html(tables: dict[str, Rows]) -> str:
    partner_points = partners_to_points(tables.get("partners", []))
    doc_years = {}
    for doc in tables.get("documents", []):
        day = iso_to_date(doc.get("date"))
        if day is not None:
            doc_years[str(doc["doc_id"])] = day.year
    figure_points = figures_to_points(tables.get("figures", []), doc_years)
    return "".join([
        '<h2 id="timeline">Partners joining over time</h2>',
        _plot_section("partners-timeline", partner_points, partners_timeline_svg,
                      ("One point per partner organisation, at the earliest joining or signing date a document states "
                       "(the most precise of dates that agree); click a point for its evidence."),
                      "No partner has a joining date yet."),
        partners_list_html(tables),
        '<h2 id="survey">Survey figures over time</h2>',
        _plot_section("figures-timeline", figure_points, figures_timeline_svg,
                      "Percent figures by the year they refer to (else the document's year).",
                      "No percent figures with a year yet."),
    ])


def _plot_section(
    element_id: str, points: list[Point], draw: Callable[[list[Point]], str], caption: str, empty: str
) -> str:
    """A plot with its caption, or a note that there is nothing to plot."""
    if not points:
        return f'<p class="muted" id="{element_id}" data-points="0">{empty}</p>'
    return (f'<div class="plot" id="{element_id}" data-points="{len(points)}">{draw(points)}</div>'
            f"<p>{caption}</p>")


def failures_html(rows: Rows, documents: int) -> str:
    """The failed documents, at the top of the page when there are any: a reader must not miss that the tables
    cover only part of the corpus."""
    if not rows:
        return ""
    body = ["<tr>" + "".join(_cell(r.get(c)) for c in ("doc_id", "stage", "error", "message")) + "</tr>" for r in rows]
    alert = (f'<p class="alert"><strong>{len(rows)} of {len(rows) + documents} files failed</strong>: their facts '
             "are missing from every table below. Each line says why and what to do.</p>")
    return ('<h2 id="failures">Failures</h2>' + alert
            + html_table(["doc_id", "stage", "error", "message"], body, "failures"))


def tables_to_html(tables: dict[str, Rows], texts: dict[str, str | None]) -> str:
    """The whole report page from the typed table rows and the clean texts by doc_id."""
    buffer = io.StringIO()
    write_html(buffer, tables, texts.get)
    return buffer.getvalue()


def write_html(out: IO[str], tables: dict[str, Rows], text_of: Callable[[str], str | None]) -> None:
    """The report page, written part by part: each document's clean text is read, marked up and written in
    turn, so a large corpus never has all its texts (or the whole page) in memory."""
    documents = tables.get("documents", [])
    grouped = {name: rows_by_doc(tables.get(name, [])) for name in (*FACT_COLUMNS, "repairs")}
    counts = ", ".join(f"{len(tables.get(name, []))} {name}" for name in ("documents", *SUMMARY_TABLES))
    out.write(
        '<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Corpus report</title>"
        f"<style>{STYLE}</style><script>{SCRIPT}</script></head><body>\n"
    )
    parts: Iterator[str] = itertools.chain(
        [
            "<h1>Vielfalt verbindet! / Erfolgsfaktor Interkulturelle Öffnung — corpus report</h1>",
            f'<p id="counts">{esc(counts)}.</p>',
            failures_html(tables.get("failures", []), len(documents)),
            '<nav><a href="#timeline">partners over time</a> · <a href="#survey">survey figures</a> · '
            '<a href="#documents">documents</a></nav>',
            '<p class="filter"><label>Filter the tables <input type="search" id="filter" '
            'placeholder="e.g. Arnsberg, 2012, percent"></label> <span class="muted">'
            "(click a column heading to sort)</span></p>",
            plots_html(tables),
            '<h2 id="documents">Documents</h2>',
            summary_html(tables),
        ],
        (document_html(doc, tables, grouped, text_of(str(doc["doc_id"]))) for doc in documents),
    )
    separator = ""
    for part in parts:
        if part:
            out.write(separator + part)
            separator = "\n"
    out.write("\n</body></html>\n")


def read_text(clean_dir: Path, doc_id: str) -> str | None:
    path = clean_dir / f"{doc_id}.txt"
    return path.read_bytes().decode("utf-8") if path.is_file() else None  # offsets: keep \r


def write_report(tables: dict[str, Rows], clean_dir: Path, path: Path) -> Path:
    """Write the report for typed table rows (as the database holds them) and the clean texts (atomically)."""
    with atomic_file(path) as handle:
        write_html(handle, tables, lambda doc_id: read_text(clean_dir, doc_id))
    return path
