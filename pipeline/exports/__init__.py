"""Exports rebuilt from the CSVs: typed Parquet files and one DuckDB database (`database`), the Excel workbook
(`workbook`) and the HTML report (`report`).
"""

from pipeline.exports.database import DATABASE_NAME, interrupted, write_exports
from pipeline.exports.report import TEXTS_FOLDER
from pipeline.exports.workbook import WORKBOOK_NAME, workbook_bytes

__all__ = [
    "DATABASE_NAME",
    "TEXTS_FOLDER",
    "WORKBOOK_NAME",
    "interrupted",
    "workbook_bytes",
    "write_exports",
]
