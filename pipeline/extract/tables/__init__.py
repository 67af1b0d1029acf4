"""The table_cells table: the cells of tables found on PDF pages by the text stage (`RawText.tables`), with
their row and column headers, values and units (`cells`), located in the clean text, and the counts and shares
they hold as figures (`extract`); tables that list partners with their joining dates feed the partners table
(`partners`); a table seen on a scanned page is named in the document's text_notes (`scanned`).
"""

from pipeline.extract.tables.cells import Cell, table_to_cells
from pipeline.extract.tables.extract import TableFacts, extract_tables, outside_tables
from pipeline.extract.tables.partners import with_table_partners
from pipeline.extract.tables.scanned import page_shows_table, with_table_notes

__all__ = [
    "Cell",
    "TableFacts",
    "extract_tables",
    "outside_tables",
    "page_shows_table",
    "table_to_cells",
    "with_table_notes",
    "with_table_partners",
]
