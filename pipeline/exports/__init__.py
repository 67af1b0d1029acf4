"""Exports rebuilt from the CSVs: typed Parquet files and one DuckDB database (`database`), the Excel workbook
(`workbook`) and the HTML report (`report`), written in a process of their own during a run (`process`).

Names are imported when first asked for: a run needs the file names (`names`) from its start, the code that
writes them only in the process that does.
"""

from typing import TYPE_CHECKING

from pipeline.lazy import lazy_names

if TYPE_CHECKING:
    from pipeline.exports.database import interrupted, write_exports
    from pipeline.exports.names import (
        DATABASE_NAME,
        DATAPACKAGE_NAME,
        REPORT_NAME,
        TEXTS_FOLDER,
        WORKBOOK_NAME,
        export_files,
    )
    from pipeline.exports.process import ExportProcess
    from pipeline.exports.workbook import workbook_bytes

__getattr__ = lazy_names(__name__, {
    "database": ("interrupted", "write_exports"),
    "names": ("DATABASE_NAME", "DATAPACKAGE_NAME", "REPORT_NAME", "TEXTS_FOLDER", "WORKBOOK_NAME", "export_files"),
    "process": ("ExportProcess",),
    "workbook": ("workbook_bytes",),
})

__all__ = [
    "DATABASE_NAME",
    "DATAPACKAGE_NAME",
    "REPORT_NAME",
    "TEXTS_FOLDER",
    "WORKBOOK_NAME",
    "ExportProcess",
    "export_files",
    "interrupted",
    "workbook_bytes",
    "write_exports",
]
