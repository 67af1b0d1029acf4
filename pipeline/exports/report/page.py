"""The static HTML report of the tables (`corpus/tables/report.html`) and, beside it, one page per document
with its clean text (`report/<doc_id>.html`, `texts.py`).

No server, nothing fetched: plots are inline SVG (`chart.py`), the few lines of script and style are inline.
The report shows the corpus at a glance (failures first, partners joining over time and the partner
organisations, survey figures over time, a summary per document) and every document's facts; each fact links
to its mention and evidence, highlighted on the document's text page. The report never embeds a text, so its
size follows the number of documents and facts, not the length of the texts.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from pipeline.atomic import atomic_file
from pipeline.exports.names import TEXTS_FOLDER
from pipeline.exports.report.assets import SCRIPT, STYLE
from pipeline.exports.report.markup import cell, esc, html_table, text_href
from pipeline.exports.report.overview import plots_html
from pipeline.exports.report.texts import Grouped, rows_by_doc, write_text_pages

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


def fact_rows_html(table: str, rows: list[tuple[int, dict[str, Any]]], columns: tuple[str, ...]) -> str:
    body = [
        f'<tr id="f-{table}-{index}"><td><a href="{text_href(row.get("doc_id"), f"{table}-{index}")}">text</a></td>'
        + "".join(cell(row.get(c)) for c in columns)
        + "</tr>"
        for index, row in rows
    ]
    return html_table(["evidence", *columns], body, f"facts facts-{table}")


def summary_html(tables: dict[str, Rows]) -> str:
    grouped = {name: rows_by_doc(tables.get(name, [])) for name in SUMMARY_TABLES}
    body = []
    for doc in tables.get("documents", []):
        doc_id = str(doc["doc_id"])
        counts = "".join(cell(len(grouped[name].get(doc_id, []))) for name in SUMMARY_TABLES)
        body.append(
            f'<tr><td><a href="#doc-{esc(doc_id)}">{esc(doc_id)}</a></td>{cell(doc.get("doc_type"))}'
            f'{cell(doc.get("date"))}{cell(doc.get("title"))}{cell(doc.get("pages"))}'
            f'{cell(doc.get("text_source"))}{cell(doc.get("text_quality"))}{counts}</tr>'
        )
    headers = ["document", "type", "date", "title", "pages", "text", "quality", *SUMMARY_TABLES]
    return html_table(headers, body, "summary")




def repairs_html(rows: list[tuple[int, dict[str, Any]]]) -> str:
    if not rows:
        return '<p class="muted">No OCR repairs.</p>'
    body = [
        f'<tr id="f-repairs-{index}"><td><a href="{text_href(row.get("doc_id"), f"repairs-{index}")}">text</a></td>'
        + "".join(cell(row.get(c)) for c in REPAIR_COLUMNS)
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


def document_html(doc: dict[str, Any], tables: dict[str, Rows], grouped: Grouped, length: int | None) -> str:
    """A document's section: its metadata, facts (each linked to its mention on the text page), PDF tables, OCR
    repairs, and the link to its text page (`length`: the clean text's characters, None when there is none)."""
    doc_id = str(doc["doc_id"])
    meta = "".join(
        f"<dt>{c}</dt><dd>{esc(doc.get(c))}</dd>" for c in META_COLUMNS if doc.get(c) not in (None, "")
    )
    heading = f'{esc(doc.get("title") or doc_id)} <span class="muted doc-id">{esc(doc_id)}</span>'
    text = ('<p class="muted">Clean text not found.</p>' if length is None else
            f'<p class="text-link"><a href="{text_href(doc_id)}">Clean text with the facts marked</a> '
            f'<span class="muted">({length} characters)</span></p>')
    parts = [f'<section class="document" id="doc-{esc(doc_id)}"><h3>{heading}</h3><dl class="meta">{meta}</dl>',
             text]
    for table, columns in FACT_COLUMNS.items():
        rows = grouped[table].get(doc_id, [])
        if rows:
            parts.append(f"<h4>{table} ({len(rows)})</h4>{fact_rows_html(table, rows, columns)}")
    parts.append(doc_tables_html(doc_id, tables.get("table_cells", [])))
    parts.append(repairs_html(grouped["repairs"].get(doc_id, [])))
    return "".join(parts) + "</section>"


def failures_html(rows: Rows, documents: int) -> str:
    """The failed documents, at the top of the page when there are any: a reader must not miss that the tables
    cover only part of the corpus."""
    if not rows:
        return ""
    body = ["<tr>" + "".join(cell(r.get(c)) for c in ("doc_id", "stage", "error", "message")) + "</tr>" for r in rows]
    alert = (f'<p class="alert"><strong>{len(rows)} of {len(rows) + documents} files failed</strong>: their facts '
             "are missing from every table below. Each line says why and what to do.</p>")
    return ('<h2 id="failures">Failures</h2>' + alert
            + html_table(["doc_id", "stage", "error", "message"], body, "failures"))


def tables_to_html(tables: dict[str, Rows], lengths: dict[str, int]) -> str:
    """The whole report page from the typed table rows and the length of each document's clean text (a
    document missing from `lengths` has no text page)."""
    buffer = io.StringIO()
    write_html(buffer, tables, lengths)
    return buffer.getvalue()


def group_rows(tables: dict[str, Rows]) -> Grouped:
    return {name: rows_by_doc(tables.get(name, [])) for name in (*FACT_COLUMNS, "repairs")}


def write_html(out: IO[str], tables: dict[str, Rows], lengths: dict[str, int]) -> None:
    """The report page, written part by part (a large corpus never has the whole page in memory)."""
    documents = tables.get("documents", [])
    grouped = group_rows(tables)
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
            '<nav><a href="#timeline">partners over time</a> · <a href="#partners">partners</a> · '
            '<a href="#survey">survey figures</a> · <a href="#documents">documents</a></nav>',
            '<p class="filter"><label>Filter the tables <input type="search" id="filter" '
            'placeholder="e.g. Arnsberg, 2012, percent"></label> <span class="muted">'
            "(click a column heading to sort)</span></p>",
            plots_html(tables),
            '<h2 id="documents">Documents</h2>',
            summary_html(tables),
        ],
        (document_html(doc, tables, grouped, lengths.get(str(doc["doc_id"]))) for doc in documents),
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
    """Write each document's text page into `report/` beside `path` (and remove the pages of documents that are
    gone), then the report itself; every file atomically, the same bytes for the same tables and texts."""
    lengths = write_text_pages(tables.get("documents", []), group_rows(tables),
                               lambda doc_id: read_text(clean_dir, doc_id), path.parent / TEXTS_FOLDER)
    with atomic_file(path) as handle:
        write_html(handle, tables, lengths)
    return path
