"""Exports rebuilt from the CSVs: typed Parquet files and one DuckDB database (`database`), and the HTML report
(`report`).
"""

from pipeline.exports.database import DATABASE_NAME, write_exports

__all__ = [
    "DATABASE_NAME",
    "write_exports",
]
