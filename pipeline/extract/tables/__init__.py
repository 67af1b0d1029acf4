"""The table_cells table: the cells of tables found on PDF pages by the text stage (`RawText.tables`), with
their row and column headers, values and units (`cells`), located in the clean text, and the counts and shares
they hold as figures (`extract`); tables that list partners with their joining dates feed the partners table
(`partners`).
"""

from pipeline.extract.tables.cells import Cell, table_to_cells
from pipeline.extract.tables.extract import TableFacts, extract_tables, outside_tables
from pipeline.extract.tables.partners import with_table_partners

__all__ = ["Cell", "TableFacts", "extract_tables", "outside_tables", "table_to_cells", "with_table_partners"]
