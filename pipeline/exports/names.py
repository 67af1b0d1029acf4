"""The names of the export files and folders, apart from the code that writes them: a run needs them from its start
(to clear what an interrupted one left, to see whether the exports are up to date) without loading that code."""

DATABASE_NAME = "corpus.duckdb"
WORKBOOK_NAME = "corpus.xlsx"
REPORT_NAME = "report.html"
TEXTS_FOLDER = "report"  # beside report.html: one page per document, `report/<doc_id>.html`
