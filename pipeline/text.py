"""Text: per-page text from each kind of input.

- PDF with a text layer: pypdfium2 (fast); pages without text are rendered and OCRed (`ocr.py`).
- HTML: a real parser (BeautifulSoup + lxml); navigation, scripts and footers dropped.
- Plain text: strict UTF-8 first, then charset detection; mojibake is repaired later by ftfy in `clean.py`.
"""

from __future__ import annotations

import re

from pipeline.errors import InputError, TextError
from pipeline.ocr import ocr_image
from pipeline.records import PageText, RawText, SourceFile
from pipeline.settings import Settings

_MIN_PAGE_CHARS = 20


def source_to_raw_text(source: SourceFile, data: bytes, settings: Settings) -> RawText:
    if source.kind == "pdf":
        raw = pdf_to_raw_text(source, data, settings)
    elif source.kind == "html":
        raw = html_to_raw_text(source, data)
    else:
        raw = bytes_to_raw_text(source, data)
    if not any(page.text.strip() for page in raw.pages):
        raise TextError(
            f"{source.source_file}: no extractable text",
            "the document is blank or unreadable; supply a better scan or the born-digital original",
        )
    return raw


# ---------------------------------------------------------------- plain text


def decode_bytes(data: bytes, name: str) -> str:
    """Decode text bytes: BOMs and UTF-8 first, then the best charset guess; undecodable input raises."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(
            f"{name}: text encoding could not be determined",
            "re-save the file as UTF-8 (e.g. `iconv -f CP1252 -t UTF-8`)",
        )
    # The corpus is German: among plausible decodings take the one that reads most like Latin-script text.
    candidates = [str(best)] + [data.decode(enc, errors="replace") for enc in ("cp1252", "latin-1")]
    text = max(candidates, key=_latin_ratio)
    if _garbage_ratio(text) > 0.05 or _latin_ratio(text) < 0.85:
        raise InputError(
            f"{name}: text is not decodable as German text in any known encoding (best guess {best.encoding})",
            "re-save the file as UTF-8",
        )
    return text


def _latin_ratio(text: str) -> float:
    """Share of characters that belong in German text: Latin letters, digits, whitespace, punctuation."""
    if not text:
        return 0.0
    good = sum(1 for ch in text if ch.isspace() or ch.isdigit() or (ch.isalpha() and ord(ch) < 0x250)
               or (not ch.isalnum() and ord(ch) < 0x2100 and ch.isprintable()))
    return good / len(text)


def _garbage_ratio(text: str) -> float:
    if not text:
        return 1.0
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\n\r\t\f") or 0x7F <= ord(ch) < 0xA0 or ch == "\ufffd")
    return bad / len(text)


def bytes_to_raw_text(source: SourceFile, data: bytes) -> RawText:
    text = decode_bytes(data, source.source_file)
    page = PageText(number=None, text=text, source="text")
    return RawText(doc_id=source.doc_id, kind=source.kind, pages=(page,), text_source="text", paged=False)


# ---------------------------------------------------------------- HTML

_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button")
_DROP_HINTS = re.compile(r"cookie|consent|banner|navigation|nav-|menu|breadcrumb|footer|social|share|skip", re.I)
_BLOCK_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dt", "dd", "blockquote", "td", "th", "time")


def html_to_raw_text(source: SourceFile, data: bytes) -> RawText:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "lxml")
    title = ""
    h1 = soup.find("h1")
    if h1 is not None:
        title = " ".join(h1.get_text(" ").split())
    elif soup.title is not None:
        title = " ".join(soup.title.get_text(" ").split())
    date_hint = ""
    time_tag = soup.find("time")
    if time_tag is not None and time_tag.get("datetime"):
        date_hint = str(time_tag.get("datetime"))[:10]
    for tag in soup(list(_DROP_TAGS)):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.attrs is None:
            continue
        marker = " ".join([str(tag.get("id") or ""), " ".join(tag.get("class") or []), str(tag.get("role") or "")])
        if _DROP_HINTS.search(marker):
            tag.decompose()
    body = soup.find("main") or soup.find("article") or soup.body or soup
    blocks: list[str] = []
    for element in body.find_all(list(_BLOCK_TAGS)):
        if element.find(list(_BLOCK_TAGS)):
            continue  # take the innermost blocks only
        text = " ".join(element.get_text(" ").split())
        if text:
            blocks.append(text)
    if not blocks:
        blocks = [line.strip() for line in body.get_text("\n").splitlines() if line.strip()]
    page = PageText(number=None, text="\n\n".join(blocks), source="html")
    return RawText(
        doc_id=source.doc_id,
        kind="html",
        pages=(page,),
        text_source="html",
        paged=False,
        title_hint=title,
        date_hint=date_hint,
    )


# ---------------------------------------------------------------- PDF


def pdf_to_raw_text(source: SourceFile, data: bytes, settings: Settings) -> RawText:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise InputError(
                f"{source.source_file}: PDF is encrypted", "remove the password (e.g. `qpdf --decrypt`) and re-add it"
            ) from exc
        raise InputError(
            f"{source.source_file}: corrupt PDF ({exc})", "re-download the file or repair it with `qpdf`"
        ) from exc
    if len(pdf) == 0:
        raise InputError(f"{source.source_file}: PDF has no pages", "re-download or re-export the document")
    pages: list[PageText] = []
    notes: list[str] = []
    for index in range(len(pdf)):
        page = pdf[index]
        text = page.get_textpage().get_text_range().replace("\ufffe", "").replace("\r\n", "\n").replace("\r", "\n")
        if len(text.strip()) >= _MIN_PAGE_CHARS:
            pages.append(PageText(number=index + 1, text=text, source="text_layer"))
            continue
        image = page.render(scale=settings.ocr_dpi / 72).to_pil()
        result = ocr_image(image, lang=settings.ocr_lang)
        pages.append(
            PageText(number=index + 1, text=result.text, source="ocr", confidence=result.confidence, note="no text layer")
        )
        notes.append(f"page {index + 1}: OCR (no text layer)")
    sources = {p.source for p in pages}
    text_source = "ocr" if sources == {"ocr"} else ("text_layer" if sources == {"text_layer"} else "text_layer+ocr")
    return RawText(
        doc_id=source.doc_id, kind="pdf", pages=tuple(pages), text_source=text_source, paged=True, notes=tuple(notes)
    )
