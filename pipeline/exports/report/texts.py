"""One page per document beside the report (`report/<doc_id>.html`): its clean text with every fact's mention
and evidence and every OCR repair marked, so report.html links to them and never embeds a text.

Each page is written atomically and depends only on the tables and the text, so a re-run writes the same bytes;
pages of documents no longer in the corpus are removed.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pipeline.atomic import atomic_file
from pipeline.exports.report.assets import SCRIPT, STYLE
from pipeline.exports.report.markup import esc, text_page_name
from pipeline.exports.report.spans import Span, row_to_spans, text_to_html

Rows = list[dict[str, Any]]
Grouped = dict[str, dict[str, list[tuple[int, dict[str, Any]]]]]  # table -> doc_id -> (row index, row)
MARKED_TABLES = ("partners", "dates", "figures", "commitments", "questions", "repairs")
LEGEND = (
    '<p class="legend muted">Marked: <span class="m">partners</span> · <span class="m m-dates">dates</span> · '
    '<span class="m m-figures">figures</span> · <span class="m m-commitments">commitments</span> · '
    '<span class="m m-questions">questions</span> · <span class="r">OCR repairs</span> (hover for the change). '
    "A fact's link in the report highlights its mention and, lighter, its evidence.</p>"
)


def rows_by_doc(rows: Rows) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """Rows grouped by document, each with its index in the whole table (the fact's reference number)."""
    grouped: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for index, row in enumerate(rows):
        grouped.setdefault(str(row.get("doc_id")), []).append((index, row))
    return grouped


def doc_spans(doc_id: str, grouped: Grouped, length: int) -> list[Span]:
    spans: list[Span] = []
    for table in MARKED_TABLES:
        for index, row in grouped.get(table, {}).get(doc_id, []):
            spans += row_to_spans(table, index, row, length)
    return spans


def text_page_html(doc: dict[str, Any], text: str, grouped: Grouped) -> str:
    """A document's text page: its title, a link back to its section of the report, the marked text."""
    doc_id = str(doc["doc_id"])
    titles = {
        f"repairs-{i}": f"OCR repair ({r.get('rule')}): {r.get('before')} → {r.get('after')}"
        for i, r in grouped.get("repairs", {}).get(doc_id, [])
    }
    marked = text_to_html(text, doc_spans(doc_id, grouped, len(text)), titles)
    title = esc(doc.get("title") or doc_id, limit=10_000)
    back = html.escape(f"../report.html#doc-{doc_id}")
    return (
        '<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{STYLE}</style><script>{SCRIPT}</script></head><body>\n"
        f'<p><a href="{back}">← report: facts of this document</a></p>\n'
        f'<h1 class="doc-title">{title} <span class="muted doc-id">{esc(doc_id)}</span></h1>\n'
        f'<p class="muted">Clean text, {len(text)} characters ({esc(doc_id)}.txt; the tables\' char_start and '
        f"char_end count in it).</p>\n{LEGEND}\n"
        f'<pre class="doc-text" id="text">{marked}</pre>\n</body></html>\n'
    )


def write_text_pages(
    documents: Rows, grouped: Grouped, text_of: Callable[[str], str | None], folder: Path
) -> dict[str, int]:
    """A text page for every document whose clean text exists (read, marked up and written one at a time), and
    no page left for a document that is gone. Returns doc_id -> the text's length in characters."""
    pages: dict[str, Path] = {}
    lengths: dict[str, int] = {}
    for doc in documents:
        doc_id = str(doc["doc_id"])
        text = text_of(doc_id)
        if text is None:
            continue
        path = folder / text_page_name(doc_id)
        with atomic_file(path) as handle:
            handle.write(text_page_html(doc, text, grouped))
        pages[doc_id], lengths[doc_id] = path, len(text)
    remove_stale_pages(folder, pages.values())
    return lengths


def remove_stale_pages(folder: Path, keep: Iterable[Path]) -> list[Path]:
    """Delete the text pages in `folder` that are not in `keep` (only `*.html`: nothing else is ours)."""
    kept = {path.name for path in keep}
    stale = sorted(p for p in folder.glob("*.html") if p.name not in kept) if folder.is_dir() else []
    for path in stale:
        path.unlink(missing_ok=True)
    return stale
