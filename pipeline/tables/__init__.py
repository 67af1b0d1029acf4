"""The tables: deterministic CSV writing (`writer`: declared columns, stable row order) and the table schema
(`schema`: the Frictionless data package and the codebook).
"""

from pipeline.tables.schema import (
    build_datapackage,
    datapackage_to_codebook,
    datapackage_to_json,
    load_datapackage,
    load_notes,
    resource_fields,
    schema_problems,
)
from pipeline.tables.writer import COLUMNS, ROW_TYPES, StreamingTables, read_table, rows_to_csv, sort_rows, write_tables

__all__ = [
    "COLUMNS",
    "ROW_TYPES",
    "StreamingTables",
    "build_datapackage",
    "datapackage_to_codebook",
    "datapackage_to_json",
    "load_datapackage",
    "load_notes",
    "read_table",
    "resource_fields",
    "rows_to_csv",
    "schema_problems",
    "sort_rows",
    "write_tables",
]
