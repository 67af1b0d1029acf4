"""Dates extraction (in progress)."""

from __future__ import annotations

from pipeline.extract.base import DocContext
from pipeline.records import DocumentRow, DateRow


def extract_dates(ctx: DocContext, document: DocumentRow) -> list[DateRow]:
    return []
