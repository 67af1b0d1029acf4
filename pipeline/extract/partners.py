"""Partners extraction (in progress)."""

from __future__ import annotations

from pipeline.extract.base import DocContext
from pipeline.records import DocumentRow, PartnerRow


def extract_partners(ctx: DocContext, document: DocumentRow) -> list[PartnerRow]:
    return []
