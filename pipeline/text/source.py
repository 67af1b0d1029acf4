"""The entry point of the text stage: each kind of input to one `RawText`."""

from __future__ import annotations

from dataclasses import replace

from pipeline.errors import TextError
from pipeline.records import RawText, SourceFile
from pipeline.settings import Settings
from pipeline.text.plain import bytes_to_raw_text
from pipeline.text.quality import text_quality


def source_to_raw_text(source: SourceFile, data: bytes, settings: Settings) -> RawText:
    """The entry point of the text stage: one RawText (pages, source, notes, quality) per input file."""
    if source.kind == "pdf":
        from pipeline.text.pdf import pdf_to_raw_text

        raw = pdf_to_raw_text(source, data, settings)
    elif source.kind == "html":
        from pipeline.text.html import html_to_raw_text

        raw = html_to_raw_text(source, data, settings.max_html_depth)
    else:
        raw = bytes_to_raw_text(source, data)
    return check_raw_text(raw, source, settings)


def check_raw_text(raw: RawText, source: SourceFile, settings: Settings) -> RawText:
    """The text within the limits and not empty (a clear error otherwise), scored unless its reader did that."""
    length = sum(len(page.text) for page in raw.pages)
    if length > settings.max_text_chars:
        raise TextError(
            f"{source.source_file}: text of {length:,} characters, more than the limit of {settings.max_text_chars:,}",
            "split the document into parts, or raise the limit with --max-text-chars",
        )
    if not any(page.text.strip() for page in raw.pages):
        raise TextError(
            f"{source.source_file}: no extractable text",
            "the document is blank or unreadable; supply a better scan or the born-digital original",
        )
    if source.kind == "pdf":
        return raw  # pdf.py scores its pages as it reads them
    return replace(raw, quality=text_quality("\n".join(page.text for page in raw.pages)))
