"""`python -m pipeline query "SELECT …"`: SQL on the corpus database, printed as an aligned table, CSV, TSV, JSON
or Markdown."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError


class QueryError(PipelineError):
    stage = "query"


def add_query_parser(commands: Any) -> None:
    query = commands.add_parser(
        "query",
        help="run SQL on the corpus database (corpus.duckdb) and print the result",
        description="Run SQL on TABLES/corpus.duckdb (written by `extract`, opened read-only) and print the result "
        "of each statement as an aligned table, or as CSV, TSV, JSON or Markdown with --format. Tables: documents, "
        "partners, dates, figures, commitments, questions, repairs, failures; views: partners_by_date, "
        "partners_first_joined, figures_over_time, document_summary, <table>_with_documents. Example: "
        "python -m pipeline query \"SELECT joined, partner, doc_type FROM partners_by_date\"",
    )
    query.add_argument("sql", nargs="?", help="the SQL, one or more statements separated by ';' (quote it)")
    query.add_argument("-f", "--file", type=Path, help="read the SQL from this file ('-': standard input) instead")
    query.add_argument(
        "--tables", type=Path, default=Path("corpus/tables"), help="folder with corpus.duckdb (default: corpus/tables)"
    )
    query.add_argument("--format", choices=tuple(FORMATS), default="table",
                       help="table (aligned, the default), csv, tsv, json (one array of objects per statement) "
                       "or markdown")
    query.add_argument("--csv", action="store_const", const="csv", dest="format", help="the same as --format csv")


Result = tuple[list[str], list[tuple[Any, ...]]]


def run_query(database: Path, sql: str) -> Result:
    """Column names and rows of the last SQL statement, on a read-only connection."""
    results = run_queries(database, sql)
    return results[-1] if results else ([], [])


def run_queries(database: Path, sql: str) -> list[Result]:
    """Column names and rows of each statement that returns rows, in order, on a read-only connection."""
    import duckdb

    from pipeline.exports import interrupted  # with duckdb: not paid by the command line of other commands

    if not database.is_file():
        raise QueryError(f"{database} not found", "run `make extract` (or `python -m pipeline extract`) first")
    results = []
    try:
        with duckdb.connect(str(database), read_only=True) as con:
            for statement in con.extract_statements(sql):
                cursor = con.execute(statement)
                if cursor.description is not None:
                    results.append(([d[0] for d in cursor.description], cursor.fetchall()))
    except RuntimeError as exc:
        if interrupted(exc):
            raise KeyboardInterrupt from exc
        raise
    except duckdb.Error as exc:
        raise QueryError(f"query failed: {exc}", "check the SQL; `SHOW TABLES` lists the tables") from exc
    return results


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


def rows_to_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", delimiter=delimiter)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else ("true" if v is True else "false" if v is False else v) for v in row])
    return buffer.getvalue()


def rows_to_tsv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    r"""Tab-separated, one line per row: tabs and line breaks inside a value become spaces.

    >>> rows_to_tsv(["a", "b"], [("x\ty", None)])
    'a\tb\nx y\t\n'
    """
    lines = ["\t".join(columns), *("\t".join(value_to_text(v).replace("\t", " ") for v in row) for row in rows)]
    return "\n".join(lines) + "\n"


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime, dt.time)) else str(value)


def rows_to_json(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A JSON array of objects, one per row; dates as ISO text.

    >>> print(rows_to_json(["d", "n"], [(dt.date(2012, 3, 26), 1.5)]))
    [{"d": "2012-03-26", "n": 1.5}]
    """
    objects = [dict(zip(columns, row, strict=True)) for row in rows]
    return json.dumps(objects, ensure_ascii=False, default=_json_value)


def rows_to_markdown(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown (GitHub) table; pipes in values escaped.

    >>> print(rows_to_markdown(["a", "b"], [("x|y", 2)]))
    | a | b |
    |---|---|
    | x\\|y | 2 |
    """
    def line(values: Sequence[str]) -> str:
        return "| " + " | ".join(v.replace("|", "\\|") for v in values) + " |"

    lines = [line(columns), "|" + "---|" * len(columns), *(line([value_to_text(v) for v in row]) for row in rows)]
    return "\n".join(lines)


FORMATS = {
    "table": lambda columns, rows: rows_to_aligned(columns, rows) + "\n",
    "csv": rows_to_csv,
    "tsv": rows_to_tsv,
    "json": lambda columns, rows: rows_to_json(columns, rows) + "\n",
    "markdown": lambda columns, rows: rows_to_markdown(columns, rows) + "\n",
}


def read_sql(args: argparse.Namespace) -> str:
    if (args.sql is None) == (args.file is None):
        raise QueryError("give the SQL either as an argument or with --file, not both or neither",
                         'for example: python -m pipeline query "SHOW TABLES"')
    if args.file is None:
        return str(args.sql)
    if str(args.file) == "-":
        return sys.stdin.read()
    try:
        return args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"cannot read --file {args.file} ({exc})", "give a UTF-8 text file with the SQL") from exc


def query_command(args: argparse.Namespace) -> int:
    from pipeline.exports import DATABASE_NAME

    try:
        results = run_queries(args.tables / DATABASE_NAME, read_sql(args))
    except QueryError as exc:
        # DuckDB's message spans lines (LINE 1: … and a caret under the error): keep them.
        print(f"error: {exc.message}" + (f"\n{exc.fix}" if exc.fix else ""), file=sys.stderr)
        return 2
    for index, (columns, rows) in enumerate(results):
        if index and args.format in ("table", "markdown"):
            sys.stdout.write("\n")
        sys.stdout.write(FORMATS[args.format](columns, rows))
    return 0
