"""PDF: per-page text in reading order, the page of every line kept.

- Text layers come from pypdfium2 (pdfplumber manages about 21 pages/s, too slow): its characters and their
  boxes, from which `words.py` builds words, spaces and pieces of lines by geometry (like poppler). The pieces'
  positions find two-column pages (a vertical gutter no line crosses: the left column is read before the right
  one) and the running headers/footers (`furniture.py`).
- A page without a text layer, or whose layer fails the quality gate (`text.stats_to_damage`: an English OCR
  model's layer over German text), is rendered at `settings.ocr_dpi` and OCRed with `settings.ocr_lang`.
Each decision lands in `PageText.note` and `RawText.notes`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.records import PageText, RawText, SourceFile
from pipeline.settings import Settings
from pipeline.text.furniture import Line, remove_furniture
from pipeline.text.layout import (
    find_gutter,
    items_to_lines,
    items_to_runs,
    lines_to_text,
    mark_paragraphs,
    place_footnotes,
    reading_order,
)
from pipeline.text.ocr import OcrResult, ocr_pages, page_key, read_cached, write_cached
from pipeline.text.quality import TextStats, stats_to_damage, stats_to_quality, text_quality, text_to_stats
from pipeline.text.words import page_items

MIN_LAYER_CHARS = 20  # a page with fewer characters in its layer is treated as a scan
LOW_CONFIDENCE = 70.0  # mean OCR word confidence below which a page is noted as doubtful


def open_pdf(data: bytes, name: str) -> Any:
    """A pdfium document, or an InputError that says what is wrong with the file and what to do."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError(
                f"{name}: PDF is encrypted", "remove the password (e.g. `qpdf --decrypt in.pdf out.pdf`) and re-add it"
            ) from exc
        if _has_empty_page_tree(data):  # pdfium refuses these, with whatever error it saw last
            raise InputError(f"{name}: PDF has no pages", "re-download or re-export the document") from exc
        raise InputError(f"{name}: corrupt PDF ({exc})", "re-download the file or repair it with `qpdf`") from exc
    if len(pdf) == 0:
        raise InputError(f"{name}: PDF has no pages", "re-download or re-export the document")
    return pdf


def _has_empty_page_tree(data: bytes) -> bool:
    """A page tree that counts 0 pages and no page object anywhere.

    >>> _has_empty_page_tree(b"<</Count 0/Kids[]/Type/Pages>>"), _has_empty_page_tree(b"/Type /Page /Count 0")
    (True, False)
    """
    return bool(re.search(rb"/Count\s*0\b", data)) and not re.search(rb"/Type\s*/Page(?!s)", data)


# ---------------------------------------------------------------- text layer → lines


def clean_layer_text(text: str) -> str:
    """pdfium marks a hyphen it judged to be a line-end hyphenation as U+FFFE (or U+0002 in bounded text):
    a hyphen at a line end, nothing inside a word.

    >>> clean_layer_text("Schrei\\x02"), clean_layer_text("Lan\\ufffedes\\r\\n")
    ('Schrei-', 'Landes')
    """
    text = text.replace("\r", "").replace("\n", " ")
    text = re.sub("[\ufffe\x02]\\s*$", "-", text.rstrip())
    return text.replace("\ufffe", "").replace("\x02", "")


def textpage_to_items(textpage: Any, width: float, height: float) -> list[Line]:
    """One item per piece of text on a line (a column's part of it, a table cell), positions as page fractions:
    words and spaces built from the characters' boxes (`words.py`), not from pdfium's generated spaces."""
    return page_items(textpage, width, height, make=Line)  # type: ignore[no-any-return]


def layer_lines(page: Any) -> list[Line]:
    width, height = page.get_size()
    textpage = page.get_textpage()
    items = items_to_runs(textpage_to_items(textpage, width, height))
    gutter = find_gutter(items)
    return mark_paragraphs(reading_order(items_to_lines(items, gutter), gutter))


def ocr_lines(result: OcrResult) -> list[Line]:
    """OCR lines through the same layout steps as a text layer: rows joined, columns, paragraph gaps."""
    items = [Line(ln.text, ln.top, ln.bottom, ln.left, ln.right, size=ln.size) for ln in result.lines]
    gutter = find_gutter(items)
    return mark_paragraphs(reading_order(items_to_lines(items, gutter), gutter))


def join_page_hyphens(pages: list[list[Line]]) -> list[list[Line]]:
    """A word hyphenated across a page break is completed on the page where it starts.

    Page furniture must be gone first, so the last line of a page is body text."""
    out = [list(lines) for lines in pages]
    for page, following in zip(out, out[1:], strict=False):
        if not page or not following or not re.search(r"[^\W\d_]-$", page[-1].text):
            continue
        first = following[0]
        head, _, rest = first.text.partition(" ")
        if not head[:1].islower():
            continue
        page.append(replace(first, text=head, starts_paragraph=False))
        if rest:
            following[0] = replace(first, text=rest)
        else:
            following.pop(0)
    return out


# ---------------------------------------------------------------- the document


class PagesToOcr(Exception):  # noqa: N818 (a signal to the scheduler, not an error)
    """Raised under `settings.split_ocr`: these pages need OCR and are not in the cache yet."""

    def __init__(self, pages: list[int]) -> None:
        super().__init__(f"{len(pages)} pages to OCR")
        self.pages = pages


def pdf_to_raw_text(source: SourceFile, data: bytes, settings: Settings) -> RawText:
    pdf = open_pdf(data, source.source_file)
    try:
        layers = [layer_lines(pdf[index]) for index in range(len(pdf))]
        stats = [text_to_stats(_text_of(lines)) for lines in layers]
        reasons = ocr_reasons(layers, stats)
        if settings.split_ocr:
            uncached = [
                index for index, reason in enumerate(reasons)
                if reason and read_cached(_page_cache_path(settings, source.sha256, index)) is None
            ]
            if len(uncached) > 1:
                raise PagesToOcr(uncached)
        results = _ocr_results(pdf, reasons, settings, source.sha256)
        pages: list[list[Line]] = []
        meta: list[tuple[str, float | None, str]] = []  # source, confidence, note
        for index, (lines, reason) in enumerate(zip(layers, reasons, strict=True)):
            if reason:
                lines, page_meta = _ocr_page_lines(results[index], lines, reason)
                stats[index] = text_to_stats(_text_of(lines)) if page_meta[0] == "ocr" else stats[index]
            else:
                page_meta = ("text_layer", None, "")
            pages.append(lines)
            meta.append(page_meta)
    finally:
        pdf.close()
    pages, notes = remove_furniture(pages)
    pages = join_page_hyphens([place_footnotes(lines) for lines in pages])
    records: list[PageText] = []
    for number, (lines, (kind, confidence, note)) in enumerate(zip(pages, meta, strict=True), start=1):
        records.append(PageText(number, lines_to_text(lines), kind, confidence, note))
        if note:
            notes.append(f"page {number}: {note}")
    confidences = [c for _, c, _ in meta if c is not None]
    ocred = sum(1 for kind, _, _ in meta if kind == "ocr")
    return RawText(
        doc_id=source.doc_id,
        kind="pdf",
        pages=tuple(records),
        text_source="ocr" if 2 * ocred > len(meta) else "text_layer",  # per-page sources are in `pages`
        paged=True,
        notes=tuple(sorted(notes, key=_page_of_note)),
        ocr_confidence=round(sum(confidences) / len(confidences), 1) if confidences else None,
        quality=stats_to_quality(sum(stats[1:], stats[0])),
    )


def _text_of(lines: list[Line]) -> str:
    return "\n".join(line.text for line in lines)


def ocr_reasons(layers: list[list[Line]], stats: list[TextStats]) -> list[str]:
    """Per page, why it must be OCRed ('' = its text layer is used). A page too short to judge follows the
    rest of the document: one damaged layer means the same engine made the others."""
    texts = [_text_of(lines) for lines in layers]
    verdicts = [
        stats_to_damage(page_stats) if len(text.strip()) >= MIN_LAYER_CHARS else "-"
        for text, page_stats in zip(texts, stats, strict=True)
    ]
    damaged = next((v for v in verdicts if v and v != "-"), "")
    reasons = []
    for verdict in verdicts:
        if verdict == "-":
            reasons.append("no text layer: OCR")
        elif verdict:
            reasons.append(f"text layer re-OCRed ({verdict})")
        elif verdict is None and damaged:
            reasons.append(f"short text layer re-OCRed (other pages: {damaged})")
        else:
            reasons.append("")
    return reasons


def _page_of_note(note: str) -> int:
    match = re.match(r"page (\d+)", note)
    return int(match.group(1)) if match else 0


def _ocr_results(pdf: Any, reasons: list[str], settings: Settings, sha256: str = "") -> dict[int, OcrResult]:
    """OCR of every page that needs it, rendered a few pages at a time (a 300 dpi page is ~9 MB); pages that a
    page task already OCRed come from the cache by the file's hash and the page number, without rendering."""
    wanted = [index for index, reason in enumerate(reasons) if reason]
    results: dict[int, OcrResult] = {}
    for index in wanted:
        cached = read_cached(_page_cache_path(settings, sha256, index))
        if cached is not None:
            results[index] = cached
    wanted = [index for index in wanted if index not in results]
    chunk = max(2, 2 * settings.workers)
    for start in range(0, len(wanted), chunk):
        indices = wanted[start : start + chunk]
        images = [_render(pdf[index], settings.ocr_dpi) for index in indices]
        done = ocr_pages(images, settings.ocr_lang, settings.ocr_cache_dir, settings.workers)
        for index, result in zip(indices, done, strict=True):
            results[index] = result
            write_cached(_page_cache_path(settings, sha256, index), result)
    return results


def _page_cache_path(settings: Settings, sha256: str, index: int) -> Path | None:
    if not sha256:
        return None
    return settings.ocr_cache_dir / f"{page_key(sha256, index, settings.ocr_dpi, settings.ocr_lang)}.json"


def _render(page: Any, dpi: int) -> Any:
    return page.render(scale=dpi / 72, grayscale=True, draw_annots=False).to_pil().convert("L")


def _ocr_page_lines(
    result: OcrResult, layer: list[Line], reason: str
) -> tuple[list[Line], tuple[str, float | None, str]]:
    """A page's OCR lines; a damaged layer is kept only when the OCR reads clearly worse than it."""
    layer_text = "\n".join(line.text for line in layer)
    if len(layer_text.strip()) >= MIN_LAYER_CHARS and text_quality(result.text) < text_quality(layer_text) - 0.05:
        return layer, ("text_layer", None, f"{reason[:-1]}; OCR read worse, layer kept)")
    notes = [reason] + ([result.note] if result.note else [])
    if result.confidence < LOW_CONFIDENCE:
        notes.append(f"low OCR confidence {result.confidence:.0f}")
    return ocr_lines(result), ("ocr", result.confidence, "; ".join(notes))


# ---------------------------------------------------------------- page-level OCR work for the scheduler


def pages_to_ocr(path: str) -> list[int]:
    """Indices of the pages without a usable text layer, which the text stage will OCR.

    The scheduler asks this before a PDF's document task runs, so that the OCR of its pages can be spread
    over all workers; an unreadable file answers [] and fails later in its own document task."""

    try:
        data = Path(path).read_bytes()
        pdf = open_pdf(data, Path(path).name)
    except (OSError, InputError):
        return []
    try:
        # Only pages without a usable text layer: cheap to find here (no layout, no word statistics), and they
        # are always OCRed. A long but damaged layer is judged, and re-OCRed, by its document task.
        layers = [clean_layer_text(pdf[index].get_textpage().get_text_range()) for index in range(len(pdf))]
        return [index for index, text in enumerate(layers) if len(text.strip()) < MIN_LAYER_CHARS]
    finally:
        pdf.close()


def ocr_page_to_cache(path: str, index: int, settings: Settings) -> None:
    """OCR one page into the OCR cache (keyed by the page image), where the document task will find it."""
    import hashlib

    from pipeline.text.ocr import ocr_page

    data = Path(path).read_bytes()
    alias = _page_cache_path(settings, hashlib.sha256(data).hexdigest(), index)
    if alias is not None and alias.exists():
        return
    pdf = open_pdf(data, Path(path).name)
    try:
        result = ocr_page(_render(pdf[index], settings.ocr_dpi), settings.ocr_lang, settings.ocr_cache_dir)
    finally:
        pdf.close()
    write_cached(alias, result)
