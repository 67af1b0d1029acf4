"""Commitments extraction (in progress)."""

from __future__ import annotations

from pipeline.extract.base import DocContext
from pipeline.records import DocumentRow, CommitmentRow


def extract_commitments(ctx: DocContext, document: DocumentRow) -> list[CommitmentRow]:
    return []
