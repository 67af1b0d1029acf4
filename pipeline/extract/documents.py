"""Document metadata: type, title, own date, Landtag numbers, questioners, ministry."""

from __future__ import annotations

from pipeline.extract.base import DocContext
from pipeline.records import DocumentRow, RawText, SourceFile


def extract_document(ctx: DocContext, source: SourceFile, raw: RawText) -> DocumentRow:
    return DocumentRow(
        doc_id=ctx.doc_id,
        source_file=source.source_file,
        sha256=source.sha256,
        pages=str(len(raw.pages)) if raw.paged else "",
        text_source=raw.text_source,
        text_quality=f"{ctx.clean.quality:.3f}",
    )
