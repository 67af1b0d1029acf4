"""Questions extraction (in progress)."""

from __future__ import annotations

from pipeline.extract.base import DocContext
from pipeline.records import DocumentRow, QuestionRow


def extract_questions(ctx: DocContext, document: DocumentRow) -> list[QuestionRow]:
    return []
