"""PDF: per-page text in reading order, the page of every line kept.

- Text layers come from pypdfium2 (pdfplumber manages about 21 pages/s, too slow): its characters and their
  boxes, from which `words.py` builds words, spaces and pieces of lines by geometry (like poppler). The pieces'
  positions find pages set in columns (vertical gutters no line crosses, also narrow ones and more than one:
  the columns are read left to right) and the running headers/footers (`furniture.py`).
- A page without a text layer, or whose layer fails the quality gate (`quality.stats_to_damage`: signs of a
  misreading engine, such as an English OCR model's lost umlauts or a poor OCR layer's words split by spurious
  spaces; listings, code and tables are judged by their prose only), is rendered at `settings.ocr_dpi` and
  OCRed with `settings.ocr_lang`.
Each decision lands in `PageText.note` and `RawText.notes`.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.records import PageText, RawText, SourceFile, TextTable
from pipeline.settings import Settings
from pipeline.text.furniture import Line, remove_furniture
from pipeline.text.layout import items_to_runs, lines_to_text, place_footnotes, read_columns
from pipeline.text.ocr import OcrResult, ocr_page, page_key, read_cached, write_cached
from pipeline.text.quality import TextStats, stats_to_damage, stats_to_quality, text_quality, text_to_stats
from pipeline.text.tables import find_tables, join_continued, rows_to_paragraphs
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


def textpage_to_items(textpage: Any, width: float, height: float) -> list[Line]:
    """One item per piece of text on a line (a column's part of it, a table cell), positions as page fractions:
    words and spaces built from the characters' boxes (`words.py`), not from pdfium's generated spaces."""
    return page_items(textpage, width, height, make=Line)  # type: ignore[no-any-return]


def page_with_annotations(pdf: Any, index: int) -> Any:
    """A page whose visible annotations (a filled-in form field, a stamp, a free-text note, such as a gazette's
    seal notice at the foot of the page) are part of its content, as poppler reads them: flattened into the
    page (hidden ones stay out) and the page loaded again. A page with links alone is left as it is."""
    import pypdfium2.raw as raw

    page = pdf[index]
    handle = page.raw
    subtypes = set()
    for number in range(max(0, raw.FPDFPage_GetAnnotCount(handle))):
        annotation = raw.FPDFPage_GetAnnot(handle, number)
        if annotation:
            subtypes.add(raw.FPDFAnnot_GetSubtype(annotation))
            raw.FPDFPage_CloseAnnot(annotation)
    if not subtypes - {raw.FPDF_ANNOT_LINK, raw.FPDF_ANNOT_POPUP}:
        return page
    if raw.FPDFPage_Flatten(handle, raw.FLAT_NORMALDISPLAY) != raw.FLATTEN_SUCCESS:
        return page
    page.close()
    return pdf[index]


def layer_lines(page: Any) -> list[Line]:
    return layer_lines_and_tables(page, 0)[0]


def layer_lines_and_tables(page: Any, number: int) -> tuple[list[Line], tuple[TextTable, ...]]:
    """A page's lines in reading order, and the tables found in its pieces (`tables.py`), each table row a
    line of its own."""
    width, height = page.get_size()
    pieces = textpage_to_items(page.get_textpage(), width, height)
    tables = find_tables(pieces, number)
    items = items_to_runs(pieces)
    return rows_to_paragraphs(read_columns(items), tables), tables


def ocr_lines(result: OcrResult) -> list[Line]:
    """OCR lines through the same layout steps as a text layer: rows joined, columns, paragraph gaps."""
    items = [Line(ln.text, ln.top, ln.bottom, ln.left, ln.right, size=ln.size) for ln in result.lines]
    return read_columns(items)


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


@dataclass(frozen=True)
class PdfLayers:
    """A PDF's text layers as read, and the planner's verdict (`ocr_reasons`): which pages the text stage must
    OCR, and why. Everything the rest of the text stage needs: the file is not opened again."""

    source: SourceFile
    layers: tuple[tuple[Line, ...], ...]
    stats: tuple[TextStats, ...]
    reasons: tuple[str, ...]
    tables: tuple[tuple[TextTable, ...], ...] = ()  # per page, the tables found in its text layer

    def ocr_indices(self) -> tuple[int, ...]:
        return tuple(index for index, reason in enumerate(self.reasons) if reason)


@dataclass(frozen=True)
class PageImage:
    """A page rendered for OCR, waiting in an image file; its result goes to `result` in the OCR cache."""

    index: int
    image: str
    result: str


@dataclass(frozen=True)
class LayerShare:
    """The text layers of a share of a PDF's pages (`pages_of_share`), read by a page task of their own so that a
    long PDF's pages are read on every worker; its document task takes them (`read_pdf(shares=...)`).

    The pages travel pickled once, by the task that read them: the scheduler hands them on as they are (thousands
    of lines unpickled and pickled again there would cost the document about 0.05 s)."""

    first: int  # index of its first page
    count: int  # pages in the whole PDF
    size: int  # pages in this share
    packed: bytes  # the pickled pages: per page its lines, text statistics and tables

    def pages(self) -> list[PageRead]:
        return pickle.loads(self.packed)  # type: ignore[no-any-return]


PAGES_PER_SHARE = 8  # a PDF is read in shares when each share gets at least this many pages


def share_count(pages: int, workers: int) -> int:
    """Into how many shares the pages of a PDF are read: one per worker, at most one per PAGES_PER_SHARE pages
    (a share costs a task and an opening of the file).

    >>> share_count(54, 2), share_count(12, 2), share_count(5, 2), share_count(400, 8)
    (2, 1, 1, 8)
    """
    return max(1, min(workers, pages // PAGES_PER_SHARE))


def pages_of_share(pages: int, share: int, shares: int) -> range:
    """The pages (indices) of one share: consecutive, the shares together cover every page once.

    >>> [list(pages_of_share(5, k, 2)) for k in range(2)]
    [[0, 1], [2, 3, 4]]
    """
    return range(share * pages // shares, (share + 1) * pages // shares)


def pdf_page_count(path: str) -> int:
    """The number of pages of a PDF file (0 when it cannot be opened: its document task reports why)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(path)
    except Exception:  # noqa: BLE001 - any file pdfium refuses is its document's failure, not the planner's
        return 0
    try:
        return len(pdf)
    finally:
        pdf.close()


def shares_of_file(path: str, workers: int) -> int:
    """Into how many shares a file's pages are read before its document task (1: not shared, as any file that is
    no PDF, or a short one)."""
    if workers < 2:
        return 1
    try:
        with open(path, "rb") as file:
            if b"%PDF" not in file.read(1024):
                return 1
    except OSError:
        return 1  # its document task reports why
    return share_count(pdf_page_count(path), workers)


PageRead = tuple[tuple[Line, ...], TextStats, tuple[TextTable, ...]]  # a page's lines, statistics and tables


def _read_pages(pdf: Any, indices: range) -> list[PageRead]:
    """The text layer of these pages of an open PDF: lines in reading order, their statistics, the tables."""
    read = [layer_lines_and_tables(page_with_annotations(pdf, index), index + 1) for index in indices]
    return [(tuple(lines), text_to_stats(_text_of(lines)), tables) for lines, tables in read]


def read_share(path: str, share: int, shares: int) -> LayerShare | None:
    """A page task: the text layers of one share of a PDF's pages (None when the file cannot be read: its
    document task reads it again and reports why)."""
    try:
        pdf = open_pdf(Path(path).read_bytes(), Path(path).name)
        try:
            pages = pages_of_share(len(pdf), share, shares)
            read = _read_pages(pdf, pages)
            count = len(pdf)
        finally:
            pdf.close()
    except Exception:  # noqa: BLE001 - see above
        return None
    return LayerShare(pages.start, count, len(read), pickle.dumps(read, protocol=pickle.HIGHEST_PROTOCOL))


def _joined(shares: tuple[LayerShare | None, ...]) -> list[PageRead] | None:
    """Every page's layer, statistics and tables from shares that cover all pages of one PDF, in page order (None
    when they do not, or one of them could not be read)."""
    ordered = sorted((share for share in shares if share is not None), key=lambda share: share.first)
    if not ordered or len(ordered) < len(shares) or ordered[0].first != 0:
        return None
    contiguous = all(a.first + a.size == b.first for a, b in zip(ordered, ordered[1:], strict=False))
    if not contiguous or sum(share.size for share in ordered) != ordered[0].count:
        return None
    return [page for share in ordered for page in share.pages()]


def read_pdf(
    source: SourceFile, data: bytes, settings: Settings, on_page: Callable[[int, Any], None],
    shares: tuple[LayerShare | None, ...] = (),
) -> PdfLayers:
    """Every page's text layer (read here, or taken from `shares` that cover the whole file) and the OCR plan;
    each page to OCR that the cache does not hold yet is rendered and handed to `on_page` (index, image) while
    the file is open, one page at a time. A PDF read in shares is opened here only to render pages."""
    known = _joined(shares)
    pdf: Any = None
    try:
        if known is None:
            pdf = open_pdf(data, source.source_file)
            known = _read_pages(pdf, range(len(pdf)))
        layers = tuple(lines for lines, _, _ in known)
        stats = tuple(page_stats for _, page_stats, _ in known)
        reasons = ocr_reasons([list(lines) for lines in layers], list(stats))
        for index, reason in enumerate(reasons):
            if reason and read_cached(page_cache_path(settings, source.sha256, index)) is None:
                pdf = pdf if pdf is not None else open_pdf(data, source.source_file)
                on_page(index, _render(page_with_annotations(pdf, index), settings.ocr_dpi, settings.max_megapixels))
    finally:
        if pdf is not None:
            pdf.close()
    tables = tuple(page_tables for _, _, page_tables in known)
    return PdfLayers(source, layers, stats, tuple(reasons), tables)


def pdf_to_raw_text(source: SourceFile, data: bytes, settings: Settings) -> RawText:
    """The whole text stage of a PDF in this process: pages OCRed one after another as they are rendered."""

    results: dict[int, OcrResult] = {}

    def ocr_now(index: int, image: Any) -> None:
        results[index] = ocr_page(image, settings.ocr_lang)
        write_cached(page_cache_path(settings, source.sha256, index), results[index])

    return layers_to_raw_text(read_pdf(source, data, settings, ocr_now), settings, results)


def plan_pdf(
    source: SourceFile, data: bytes, settings: Settings, shares: tuple[LayerShare | None, ...] = ()
) -> tuple[PdfLayers, tuple[PageImage, ...]]:
    """The text layers (read here or taken from `shares`), and the pages to OCR rendered into image files, for
    page tasks on other workers."""
    folder = settings.ocr_cache_dir / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    images: list[PageImage] = []

    def keep(index: int, image: Any) -> None:
        result = page_cache_path(settings, source.sha256, index)
        path = folder / result.with_suffix(".pgm").name
        image.save(path)
        images.append(PageImage(index, str(path), str(result)))

    return read_pdf(source, data, settings, keep, shares), tuple(images)


def ocr_page_image(page: PageImage, settings: Settings) -> None:
    """A page task: OCR one rendered page into the OCR cache, where `layers_to_raw_text` finds it."""
    from PIL import Image

    path = Path(page.image)
    if read_cached(Path(page.result)) is None:
        with Image.open(path) as image:
            write_cached(Path(page.result), ocr_page(image, settings.ocr_lang))
    path.unlink(missing_ok=True)


def layers_to_raw_text(
    layers: PdfLayers, settings: Settings, known: dict[int, OcrResult] | None = None
) -> RawText:
    """The document's text from its layers and the OCR results: `known` ones (just OCRed here), else those in the
    cache (a page still missing there, e.g. after a page task failed, is rendered and OCRed here)."""
    known = known or {}
    results = {index: known.get(index) or _cached_or_ocr(layers, index, settings) for index in layers.ocr_indices()}
    stats = list(layers.stats)
    pages: list[list[Line]] = []
    meta: list[tuple[str, float | None, str]] = []  # source, confidence, note
    for index, (lines, reason) in enumerate(zip(layers.layers, layers.reasons, strict=True)):
        page_lines: list[Line] = list(lines)
        page_meta: tuple[str, float | None, str] = ("text_layer", None, "")
        if reason:
            page_lines, page_meta = _ocr_page_lines(results[index], page_lines, reason)
            stats[index] = text_to_stats(_text_of(page_lines)) if page_meta[0] == "ocr" else stats[index]
        pages.append(page_lines)
        meta.append(page_meta)
    pages, notes = remove_furniture(pages)
    pages = join_page_hyphens([place_footnotes(lines) for lines in pages])
    records: list[PageText] = []
    for number, (kept, (kind, confidence, note)) in enumerate(zip(pages, meta, strict=True), start=1):
        records.append(PageText(number, lines_to_text(kept), kind, confidence, note))
        if note:
            notes.append(f"page {number}: {note}")
    confidences = [c for _, c, _ in meta if c is not None]
    ocred = sum(1 for kind, _, _ in meta if kind == "ocr")
    return RawText(
        doc_id=layers.source.doc_id,
        kind="pdf",
        pages=tuple(records),
        text_source="ocr" if 2 * ocred > len(meta) else "text_layer",  # per-page sources are in `pages`
        paged=True,
        notes=tuple(sorted(notes, key=_page_of_note)),
        ocr_confidence=round(sum(confidences) / len(confidences), 1) if confidences else None,
        quality=stats_to_quality(sum(stats[1:], stats[0])),
        tables=join_continued(
            [table for page_tables, (kind, _, _) in zip(layers.tables, meta, strict=False) if kind == "text_layer"
             for table in page_tables]
        ),
    )


def _cached_or_ocr(layers: PdfLayers, index: int, settings: Settings) -> OcrResult:
    path = page_cache_path(settings, layers.source.sha256, index)
    cached = read_cached(path)
    if cached is not None:
        return cached
    data = Path(layers.source.path).read_bytes()
    pdf = open_pdf(data, layers.source.source_file)
    try:
        page = page_with_annotations(pdf, index)  # the same image as `read_pdf` renders
        result = ocr_page(_render(page, settings.ocr_dpi, settings.max_megapixels), settings.ocr_lang)
    finally:
        pdf.close()
    write_cached(path, result)
    return result


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


def page_cache_path(settings: Settings, sha256: str, index: int) -> Path:
    """Where a page's OCR result is cached: keyed by the file's content, the page, the resolution and language."""
    return settings.ocr_cache_dir / f"{page_key(sha256, index, settings.ocr_dpi, settings.ocr_lang)}.json"


def _render(page: Any, dpi: int, max_megapixels: float) -> Any:
    """The page as a grey image at `dpi`, or smaller when that would exceed `max_megapixels` (a hostile or
    poster-sized page: a 200-inch page at 300 dpi would need gigabytes)."""
    width, height = page.get_size()
    scale = min(dpi / 72, (max_megapixels * 1e6 / max(width * height, 1.0)) ** 0.5)
    return page.render(scale=scale, grayscale=True, draw_annots=False).to_pil().convert("L")


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
