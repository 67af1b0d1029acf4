"""The extraction recipe: the document's own metadata first, then each fact table."""

from __future__ import annotations

from pipeline.extract.base import DocContext
from pipeline.extract.commitments import extract_commitments
from pipeline.extract.dates import extract_dates
from pipeline.extract.documents import extract_document
from pipeline.extract.figures import extract_figures
from pipeline.extract.partners import extract_partners
from pipeline.extract.questions import extract_questions
from pipeline.extract.tables import extract_tables, outside_tables, with_table_notes, with_table_partners
from pipeline.records import CleanText, Facts, RawText, RepairRow, SourceFile


def clean_to_facts(clean: CleanText, source: SourceFile, raw: RawText) -> Facts:
    ctx = DocContext(clean=clean, source_file=source.source_file)
    document = extract_document(ctx, source, raw)
    tables = extract_tables(ctx, raw)
    return Facts(
        documents=(with_table_notes(document, tables.notes),),
        partners=with_table_partners(extract_partners(ctx, document), tables.partners, tables.spans),
        dates=tuple(extract_dates(ctx, document)),
        figures=outside_tables(extract_figures(ctx, document), tables.spans) + tables.figures,
        commitments=tuple(extract_commitments(ctx, document)),
        questions=tuple(extract_questions(ctx, document)),
        repairs=tuple(
            RepairRow(clean.doc_id, c.start, c.end, c.before, c.after, c.rule, c.score) for c in clean.repairs
        ),
        table_cells=tables.cells,
    )
