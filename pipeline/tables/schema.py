"""The tables' schema: a Frictionless data package built from the row records and the codebook notes.

The column list of every table comes from `pipeline.tables.writer.COLUMNS` (the record fields), so code and schema
cannot drift apart silently; meanings, examples and constraints come from the hand-written notes in
`models/sources/codebook/tables.json`. `scripts/build_codebook.py` writes the result to
`models/datapackage.json` (read at run time) and `docs/codebook.md`.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from pipeline.models import MODELS_DIR, load_json
from pipeline.tables.writer import COLUMNS, ROW_TYPES

NOTES_PATH = MODELS_DIR / "sources" / "codebook" / "tables.json"
DATAPACKAGE_NAME = "datapackage.json"

# A column's Frictionless type follows its record type; a `str` column may be declared narrower in the notes.
RECORD_TO_SCHEMA_TYPE = {"str": "string", "int": "integer", "float": "number", "bool": "boolean"}
ALLOWED_OVERRIDES = {"string": {"string", "integer", "number", "date"}}
CONSTRAINT_KEYS = ("required", "enum", "pattern", "minimum")
FACT_KEY = "doc_id"


def annotation_to_type(annotation: Any) -> str:
    """Frictionless type of a dataclass field annotation (a string under postponed annotations).

    >>> annotation_to_type("int | None")
    'integer'
    >>> annotation_to_type("str")
    'string'
    """
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", str(annotation))
    base = [part.strip() for part in text.split("|") if part.strip() != "None"][0]
    return RECORD_TO_SCHEMA_TYPE[base]


def record_types(table: str) -> dict[str, str]:
    """Column -> Frictionless type as the record declares it."""
    return {f.name: annotation_to_type(f.type) for f in dataclasses.fields(ROW_TYPES[table])}


def load_notes(path: Path = NOTES_PATH) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def column_note(notes: dict[str, Any], table: str, column: str) -> dict[str, Any]:
    """The note for one column: the table's own entry, else the shared one (doc_id, offsets, evidence)."""
    own = notes["tables"].get(table, {}).get("columns", {})
    return dict(own.get(column) or notes["common"].get(column) or {})


def column_to_field(notes: dict[str, Any], table: str, column: str, record_type: str) -> dict[str, Any]:
    note = column_note(notes, table, column)
    field: dict[str, Any] = {"name": column, "type": note.get("type", record_type)}
    field["description"] = note.get("description", "")
    if "example" in note:
        field["example"] = note["example"]
    constraints = {key: note[key] for key in CONSTRAINT_KEYS if key in note}
    if "pattern" in constraints:
        constraints["pattern"] = notes["patterns"].get(constraints["pattern"], constraints["pattern"])
    if constraints:
        field["constraints"] = constraints
    if note.get("partial_date"):
        # A custom property: the typed exports (Parquet, DuckDB, workbook) add <column>_precision and
        # <column>_first_day (a DATE) beside the ISO text, which may be YYYY-MM or YYYY.
        field["partialDate"] = True
    return field


def table_to_resource(notes: dict[str, Any], table: str) -> dict[str, Any]:
    table_note = notes["tables"].get(table, {})
    types = record_types(table)
    schema: dict[str, Any] = {
        "fields": [column_to_field(notes, table, column, types[column]) for column in COLUMNS[table]],
        "missingValues": [""],
    }
    if table_note.get("primaryKey"):
        schema["primaryKey"] = list(table_note["primaryKey"])
    if table != "documents" and table_note.get("foreignKey", True) and FACT_KEY in COLUMNS[table]:
        schema["foreignKeys"] = [{"fields": [FACT_KEY], "reference": {"resource": "documents", "fields": [FACT_KEY]}}]
    return {
        "name": table,
        "path": f"{table}.csv",
        "title": table_note.get("title", table),
        "description": table_note.get("description", ""),
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def build_datapackage(notes: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whole data package, one resource per table in `ROW_TYPES` order."""
    notes = notes if notes is not None else load_notes()
    return {
        "name": "nrw-iko-corpus",
        "title": "Vielfalt verbindet! / Erfolgsfaktor Interkulturelle Öffnung: facts from NRW documents",
        "description": "Tables extracted by `python -m pipeline extract`; every fact carries its evidence.",
        "profile": "tabular-data-package",
        "resources": [table_to_resource(notes, table) for table in ROW_TYPES],
    }


def datapackage_to_json(package: dict[str, Any]) -> str:
    return json.dumps(package, ensure_ascii=False, indent=1) + "\n"


def load_datapackage() -> dict[str, Any]:
    """The built data package (`models/datapackage.json`)."""
    return load_json(DATAPACKAGE_NAME)  # type: ignore[no-any-return]


def resource_fields(package: dict[str, Any], table: str) -> list[dict[str, Any]]:
    for resource in package["resources"]:
        if resource["name"] == table:
            return list(resource["schema"]["fields"])
    raise KeyError(f"table {table!r} is not in the data package")


def schema_problems(notes: dict[str, Any] | None = None) -> list[str]:
    """Every way the notes disagree with the records: undocumented columns, notes for gone columns,
    type overrides that do not fit the record type. Empty when they agree."""
    notes = notes if notes is not None else load_notes()
    problems: list[str] = []
    for table in ROW_TYPES:
        types = record_types(table)
        for column in COLUMNS[table]:
            note = column_note(notes, table, column)
            if not note.get("description") or "example" not in note:
                problems.append(f"{table}.{column}: no description/example in {NOTES_PATH.name}")
            declared = note.get("type", types[column])
            if declared != types[column] and declared not in ALLOWED_OVERRIDES.get(types[column], set()):
                problems.append(f"{table}.{column}: declared {declared}, but the record holds {types[column]}")
        for column in notes["tables"].get(table, {}).get("columns", {}):
            if column not in COLUMNS[table]:
                problems.append(f"{table}.{column}: described in the notes but not a column of {table}.csv")
        for column in notes["tables"].get(table, {}).get("primaryKey", []):
            if column not in COLUMNS[table]:
                problems.append(f"{table}: primary key column {column!r} does not exist")
    return sorted(problems)


def _cell(text: Any) -> str:
    """Markdown table cell: one line, pipes escaped.

    >>> _cell("a|b\\nc")
    'a\\\\|b c'
    """
    return " ".join(str(text).split()).replace("|", "\\|")


def field_to_constraints(field: dict[str, Any]) -> str:
    constraints = field.get("constraints", {})
    parts = []
    if "enum" in constraints:
        parts.append("one of " + ", ".join(f"`{value}`" for value in constraints["enum"]))
    if "pattern" in constraints:
        parts.append(f"matches `{constraints['pattern']}`")
    if "minimum" in constraints:
        parts.append(f"≥ {constraints['minimum']}")
    return "; ".join(parts)


def resource_to_markdown(resource: dict[str, Any]) -> list[str]:
    schema = resource["schema"]
    lines = [f"## {resource['path']} — {resource['title']}", "", resource["description"], ""]
    if schema.get("primaryKey"):
        lines.append("Primary key: " + ", ".join(f"`{c}`" for c in schema["primaryKey"]) + ".")
    for key in schema.get("foreignKeys", []):
        ref = key["reference"]
        lines.append(f"`{key['fields'][0]}` refers to `{ref['resource']}.{ref['fields'][0]}`.")
    lines += ["", "| column | type | required | meaning | constraints | example |", "|---|---|---|---|---|---|"]
    for field in schema["fields"]:
        required = "yes" if field.get("constraints", {}).get("required") else ""
        example = f"`{_cell(field['example'])}`" if field.get("example") not in (None, "") else ""
        meaning = field.get("description", "")
        if field.get("partialDate"):
            meaning += (f" Parquet and DuckDB add `{field['name']}_precision` (`day`, `month`, `year`) and "
                        f"`{field['name']}_first_day` (a DATE: the first day it covers).")
        cells = [f"`{field['name']}`", field["type"], required, _cell(meaning),
                 _cell(field_to_constraints(field)), example]
        lines.append("| " + " | ".join(cells) + " |")
    return lines + [""]


def datapackage_to_codebook(package: dict[str, Any]) -> str:
    """The codebook (Markdown) of a data package: every table, every column, its meaning and an example."""
    lines = [
        "# Codebook",
        "",
        "<!-- generated by scripts/build_codebook.py from models/datapackage.json; do not edit by hand -->",
        "",
        f"{package['title']}. {package['description']}",
        "Empty cells mean \"not stated\" (NULL in Parquet and DuckDB). Dates are ISO 8601 (`YYYY-MM-DD`, or",
        "`YYYY-MM` / `YYYY` when only that precision is stated); numbers use `.` as decimal point.",
        "In Parquet, DuckDB and `corpus.xlsx` columns are typed: `date` columns are DATEs, `integer` and `number`",
        "columns numbers; a column that may hold a month or a year keeps its ISO text and gains",
        "`<column>_precision` and `<column>_first_day` (a DATE, for sorting and date arithmetic).",
        "Offsets (`char_start`, `char_end`, `evidence_start`, `evidence_end`) index the clean text",
        "`corpus/clean/<doc_id>.txt` (Python string indices, i.e. Unicode code points).",
        "",
    ]
    for resource in package["resources"]:
        lines += resource_to_markdown(resource)
    return "\n".join(lines).rstrip("\n") + "\n"
