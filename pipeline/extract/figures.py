"""Figures extraction (in progress)."""

from __future__ import annotations

from pipeline.extract.base import DocContext
from pipeline.records import DocumentRow, FigureRow


def extract_figures(ctx: DocContext, document: DocumentRow) -> list[FigureRow]:
    return []
