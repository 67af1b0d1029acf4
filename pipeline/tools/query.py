"""`python -m pipeline query "SELECT …"`: SQL on the corpus database, printed as an aligned table or CSV."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError
from pipeline.exports import DATABASE_NAME


class QueryError(PipelineError):
    stage = "query"


def add_query_parser(commands: Any) -> None:
    query = commands.add_parser(
        "query",
        help="run SQL on the corpus database (corpus.duckdb) and print the result",
        description="Run one SQL statement on TABLES/corpus.duckdb (written by `extract`) and print the result "
        "as an aligned table, or as CSV with --csv. Tables: documents, partners, dates, figures, commitments, "
        "questions, repairs, failures; views: partners_by_date, partners_first_joined, figures_over_time, "
        "document_summary, <table>_with_documents. Example: "
        "python -m pipeline query \"SELECT joined, partner, doc_type FROM partners_by_date\"",
    )
    query.add_argument("sql", help="the SQL statement (quote it)")
    query.add_argument(
        "--tables", type=Path, default=Path("corpus/tables"), help="folder with corpus.duckdb (default: corpus/tables)"
    )
    query.add_argument("--csv", action="store_true", help="print CSV (header row, comma-separated) instead")


def run_query(database: Path, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows of one SQL statement, on a read-only connection."""
    import duckdb

    if not database.is_file():
        raise QueryError(f"{database} not found", "run `make extract` (or `python -m pipeline extract`) first")
    try:
        with duckdb.connect(str(database), read_only=True) as con:
            cursor = con.execute(sql)
            if cursor.description is None:
                return [], []
            return [d[0] for d in cursor.description], cursor.fetchall()
    except duckdb.Error as exc:
        raise QueryError(f"query failed: {exc}", "check the SQL; `SHOW TABLES` lists the tables") from exc


def value_to_text(value: Any) -> str:
    """How a value is printed: empty for NULL, lowercase booleans, no float noise.

    >>> [value_to_text(v) for v in (None, True, 48.7, 3.0, "x")]
    ['', 'true', '48.7', '3', 'x']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}" if value == int(value) and abs(value) < 1e15 else repr(value)
    return " ".join(str(value).split())


def rows_to_aligned(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """An aligned text table: numbers right-aligned, a rule under the header, a row count at the end.

    >>> print(rows_to_aligned(["n", "name"], [(1, "a"), (10, None)]))
     n  name
    --  ----
     1  a
    10
    (2 rows)
    """
    cells = [[value_to_text(v) for v in row] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    numeric = [all(isinstance(r[i], (int, float)) and not isinstance(r[i], bool) for r in rows if r[i] is not None)
               for i in range(len(columns))]

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric, strict=True)]
        return "  ".join(parts).rstrip()

    lines = [line(columns), line(["-" * w for w in widths]), *(line(r) for r in cells)]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def rows_to_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else ("true" if v is True else "false" if v is False else v) for v in row])
    return buffer.getvalue()


def query_command(args: argparse.Namespace) -> int:
    try:
        columns, rows = run_query(args.tables / DATABASE_NAME, args.sql)
    except PipelineError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return 2
    if columns:
        sys.stdout.write(rows_to_csv(columns, rows) if args.csv else rows_to_aligned(columns, rows) + "\n")
    return 0
