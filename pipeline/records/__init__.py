"""Typed records: the only interface between stages.

Every record is a frozen dataclass that round-trips to JSON (`to_json` / `from_json`), so each stage's output can
be written to disk, read by a person, and used to restart the pipeline from that point.
- `stages`: what one stage hands to the next (`SourceFile` → `RawText` → `CleanText` → `Facts`, `DocResult`);
- `rows`: one record per table row, columns in field order, and the table registry `TABLE_ROWS`.
This package imports nothing else from the pipeline.
"""

from pipeline.records.base import JsonRecord
from pipeline.records.rows import (
    FACT_TABLES,
    TABLE_ROWS,
    CommitmentRow,
    DateRow,
    DocumentRow,
    FailureRow,
    FigureRow,
    PartnerRow,
    QuestionRow,
    RepairRow,
    TableCellRow,
)
from pipeline.records.stages import (
    Change,
    CleanText,
    DocResult,
    Facts,
    PageText,
    RawText,
    SourceFile,
    TableCell,
    TextTable,
)

__all__ = [
    "FACT_TABLES",
    "TABLE_ROWS",
    "Change",
    "CleanText",
    "CommitmentRow",
    "DateRow",
    "DocResult",
    "DocumentRow",
    "Facts",
    "FailureRow",
    "FigureRow",
    "JsonRecord",
    "PageText",
    "PartnerRow",
    "QuestionRow",
    "RawText",
    "RepairRow",
    "SourceFile",
    "TableCell",
    "TableCellRow",
    "TextTable",
]
