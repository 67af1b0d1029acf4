"""Exports rebuilt from the CSVs: typed Parquet files and one DuckDB database (`database`), the Excel workbook
(`workbook`) and the HTML report (`report`).
"""

from pipeline.exports.database import DATABASE_NAME, write_exports
from pipeline.exports.workbook import WORKBOOK_NAME

__all__ = [
    "DATABASE_NAME",
    "WORKBOOK_NAME",
    "write_exports",
]
