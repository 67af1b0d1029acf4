"""Deterministic CSV tables: declared columns (from the row records), stable row order, atomic writes."""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pipeline.atomic import file_mode, write_if_changed
from pipeline.records import TABLE_ROWS

ROW_TYPES = TABLE_ROWS  # the registry is declared once, with the records

COLUMNS: dict[str, tuple[str, ...]] = {
    name: tuple(f.name for f in dataclasses.fields(cls)) for name, cls in ROW_TYPES.items()
}

# Rows sort by document, then position in the text, then every other column: a stable total order.
SORT_KEYS: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id",),
    "partners": ("doc_id", "char_start", "char_end", "partner"),
    "dates": ("doc_id", "char_start", "char_end", "date"),
    "figures": ("doc_id", "char_start", "char_end", "value"),
    "commitments": ("doc_id", "number", "char_start"),
    "questions": ("doc_id", "number", "char_start"),
    "table_cells": ("doc_id", "table", "row", "col"),
    "failures": ("doc_id", "stage"),
    "repairs": ("doc_id", "char_start", "char_end"),
}


def format_cell(value: Any) -> str:
    """CSV cell text: empty for None, lowercase booleans, everything else as str."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).replace("\r\n", "\n").replace("\r", "\n")  # one line-ending convention inside cells


def _sort_value(value: Any) -> tuple[int, Any]:
    if value is None or value == "":
        return (0, 0)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (1, value)
    return (2, str(value))


def sort_rows(table: str, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = SORT_KEYS[table] + COLUMNS[table]
    return sorted(rows, key=lambda row: tuple(_sort_value(row.get(k)) for k in keys))


def rows_to_csv(table: str, rows: Iterable[dict[str, Any]]) -> str:
    columns = COLUMNS[table]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in sort_rows(table, rows):
        writer.writerow([format_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def write_tables(tables_dir: Path, tables: Mapping[str, Sequence[dict[str, Any]]]) -> dict[str, int]:
    """Write every table (all of ROW_TYPES, empty ones with their header). Returns rows per table."""
    return write_tables_changed(tables_dir, tables)[0]


def write_tables_changed(
    tables_dir: Path, tables: Mapping[str, Sequence[dict[str, Any]]]
) -> tuple[dict[str, int], bool]:
    """`write_tables`, also telling whether any file's bytes changed (unchanged files are not rewritten)."""
    counts: dict[str, int] = {}
    changed = False
    for name in ROW_TYPES:
        rows = tables.get(name, [])
        changed |= write_if_changed(tables_dir / f"{name}.csv", rows_to_csv(name, rows))
        counts[name] = len(rows)
    return counts, changed


def read_table(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class StreamingTables:
    """Every table written one document at a time, so a corpus never has to be in memory at once.

    Rows sort by document first (`SORT_KEYS`), so documents fed in doc_id order, each with its rows sorted by
    `sort_rows`, give exactly the bytes `rows_to_csv` gives for the whole table. Each file goes to a temporary
    file first and replaces the table only if its bytes changed (atomic, and an unchanged table keeps its mtime).
    """

    def __init__(self, tables_dir: Path) -> None:
        tables_dir.mkdir(parents=True, exist_ok=True)
        self.tables_dir = tables_dir
        self.counts = {name: 0 for name in ROW_TYPES}
        self._last_doc = ""
        self._files: dict[str, Any] = {}
        self._writers: dict[str, Any] = {}
        for name in ROW_TYPES:
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.csv.", dir=tables_dir)
            handle = os.fdopen(fd, "w", encoding="utf-8", newline="")
            self._files[name] = (handle, Path(tmp))
            self._writers[name] = csv.writer(handle, lineterminator="\n")
            self._writers[name].writerow(COLUMNS[name])

    def add(self, doc_id: str, tables: Mapping[str, Sequence[dict[str, Any]]]) -> None:
        """The rows of one document (`doc_id` must not sort before the previous document's)."""
        if doc_id < self._last_doc:
            raise ValueError(f"documents out of order: {doc_id!r} after {self._last_doc!r}")
        self._last_doc = doc_id
        for name, rows in tables.items():
            writer = self._writers[name]
            for row in sort_rows(name, rows):
                writer.writerow([format_cell(row.get(c)) for c in COLUMNS[name]])
            self.counts[name] += len(rows)

    def close(self) -> bool:
        """Put the tables in place; True when any file's bytes changed."""
        import filecmp

        changed = False
        for name, (handle, tmp) in self._files.items():
            handle.close()
            path = self.tables_dir / f"{name}.csv"
            if path.exists() and filecmp.cmp(tmp, path, shallow=False):
                tmp.unlink()
            else:
                os.chmod(tmp, file_mode())
                os.replace(tmp, path)
                changed = True
        return changed

    def abort(self) -> None:
        for handle, tmp in self._files.values():
            handle.close()
            tmp.unlink(missing_ok=True)
