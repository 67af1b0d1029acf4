"""The names of the export files and folders, apart from the code that writes them: a run needs them from its start
(to clear what an interrupted one left, to see whether the exports are up to date) without loading that code."""

from pipeline.tables import ROW_TYPES

DATABASE_NAME = "corpus.duckdb"
WORKBOOK_NAME = "corpus.xlsx"
REPORT_NAME = "report.html"
TEXTS_FOLDER = "report"  # beside report.html: one page per document, `report/<doc_id>.html`
DATAPACKAGE_NAME = "datapackage.json"  # the tables' descriptor, written with the exports


def export_files() -> list[str]:
    """The files the exports make of the tables, each replaced whole (besides them: the descriptor, and the
    report's text pages in TEXTS_FOLDER)."""
    return [DATABASE_NAME, WORKBOOK_NAME, REPORT_NAME, *(f"{name}.parquet" for name in ROW_TYPES)]
