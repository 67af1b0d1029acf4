"""The extraction recipe: the document's own metadata and its tables first (the basis), then each fact table.

The fact tables come in parts (`PARTS`) that depend only on the clean text and the basis, so that a long
document's parts can be extracted on several workers at once (`document.FactsFirst`) and give exactly what one
process gives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pipeline.extract.base import DocContext
from pipeline.extract.commitments import extract_commitments
from pipeline.extract.dates import extract_dates
from pipeline.extract.documents import extract_document
from pipeline.extract.figures import extract_figures
from pipeline.extract.partners import extract_partners
from pipeline.extract.questions import extract_questions
from pipeline.extract.tables import (
    TableFacts,
    extract_tables,
    outside_tables,
    with_table_notes,
    with_table_partners,
)
from pipeline.records import CleanText, DocumentRow, Facts, RawText, RepairRow, SourceFile


@dataclass(frozen=True)
class Basis:
    """What every part of the extraction builds on: the document's own row and what its tables hold."""

    document: DocumentRow
    tables: TableFacts


_TABLES: dict[str, Callable[[DocContext, Basis], tuple[Any, ...]]] = {
    "partners": lambda ctx, basis: with_table_partners(
        extract_partners(ctx, basis.document), basis.tables.partners, basis.tables.spans
    ),
    "dates": lambda ctx, basis: tuple(extract_dates(ctx, basis.document)),
    "figures": lambda ctx, basis: outside_tables(extract_figures(ctx, basis.document), basis.tables.spans)
    + basis.tables.figures,
    "commitments": lambda ctx, basis: tuple(extract_commitments(ctx, basis.document)),
    "questions": lambda ctx, basis: tuple(extract_questions(ctx, basis.document)),
}
# The fact tables in parts of about equal work on a long text (the partners take about half of it).
PARTS: tuple[tuple[str, ...], ...] = (("partners",), ("dates", "figures", "commitments", "questions"))


def clean_to_facts(clean: CleanText, source: SourceFile, raw: RawText) -> Facts:
    ctx = DocContext(clean=clean, source_file=source.source_file)
    basis = context_to_basis(ctx, source, raw)
    rows = {name: table for part in PARTS for name, table in part_to_rows(ctx, basis, part).items()}
    return rows_to_facts(clean, basis, rows)


def context_to_basis(ctx: DocContext, source: SourceFile, raw: RawText) -> Basis:
    return Basis(extract_document(ctx, source, raw), extract_tables(ctx, raw))


def part_to_rows(ctx: DocContext, basis: Basis, part: tuple[str, ...]) -> dict[str, tuple[Any, ...]]:
    """The rows of the fact tables of one part."""
    return {name: _TABLES[name](ctx, basis) for name in part}


def rows_to_facts(clean: CleanText, basis: Basis, rows: dict[str, tuple[Any, ...]]) -> Facts:
    return Facts(
        documents=(with_table_notes(basis.document, basis.tables.notes),),
        partners=rows["partners"],
        dates=rows["dates"],
        figures=rows["figures"],
        commitments=rows["commitments"],
        questions=rows["questions"],
        repairs=tuple(
            RepairRow(clean.doc_id, c.start, c.end, c.before, c.after, c.rule, c.score) for c in clean.repairs
        ),
        table_cells=basis.tables.cells,
    )
