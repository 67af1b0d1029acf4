"""Researcher formats next to the CSVs: typed Parquet files, one DuckDB database with views, the data package
descriptor, and the HTML report.

The CSVs stay the source of truth: everything here is rebuilt from them (and the clean texts) on each run,
typed by the data package (`models/datapackage.json`), with empty cells as NULL.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

from pipeline.atomic import write_atomic
from pipeline.errors import PipelineError
from pipeline.exports.names import DATABASE_NAME, DATAPACKAGE_NAME, REPORT_NAME, WORKBOOK_NAME
from pipeline.exports.sql import comments_to_sql, fields_to_ddl, fields_to_sql, raw_source, sql_literal, views_to_sql
from pipeline.exports.workbook import write_workbook
from pipeline.settings import Settings
from pipeline.tables import datapackage_to_json, load_datapackage

# Written so that DuckDB 1.x clients (the duckdb CLI, R, DBeaver) can open it: the library writing it may be newer
# than theirs, and a file in the newest storage format is refused by older readers.
STORAGE_COMPATIBILITY = "v1.0.0"
Sheet = tuple[list[str], list[tuple[Any, ...]]]  # column names and rows of a query


class ExportError(PipelineError):
    stage = "export"


@dataclass
class ExportSummary:
    database: Path
    parquet: list[Path] = field(default_factory=list)
    report: Path | None = None
    workbook: Path | None = None
    rows: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # cells that did not fit their declared type


def typed_positions(fields: list[dict[str, Any]], names: list[str]) -> list[int]:
    """Where each field's typed value sits in a typed row, whose columns `names` add columns beside partial dates."""
    return [names.index(f["name"]) for f in fields]


def untyped_cells(name: str, fields: list[dict[str, Any]], raw: list[tuple[Any, ...]], sheet: Sheet) -> list[str]:
    """Per typed column, up to 3 cells whose text does not parse as its type: text in the CSV, NULL in the typed
    row (the text cast: NULL exactly when the cast fails). `raw` and the sheet's rows are the same rows in one order.

    >>> fields = [{"name": "page", "type": "integer"}, {"name": "mention", "type": "string"}]
    >>> untyped_cells("t", fields, [("2", "a"), ("zwei", "b"), (None, "c")], (["page", "mention"],
    ...               [(2, "a"), (None, "b"), (None, "c")]))
    ["t.page: not integer: 'zwei'"]
    """
    names, rows = sheet
    problems = []
    for index, (f, typed) in enumerate(zip(fields, typed_positions(fields, names), strict=True)):
        if f["type"] == "string":
            continue
        cells = (text[index] for text, row in zip(raw, rows, strict=True) if text[index] and row[typed] is None)
        if bad := [repr(cell) for cell in islice(cells, 3)]:
            problems.append(f"{name}.{f['name']}: not {f['type']}: {', '.join(bad)}")
    return problems


def rows_as_written(fields: list[dict[str, Any]], raw: list[tuple[Any, ...]], sheet: Sheet) -> list[dict[str, Any]]:
    """A table's rows as the CSV writes them (empty cells None), integers as numbers: what the report shows
    (`100000`, not `100000.0`) and computes offsets with. Text and integer cells are their typed values (which are
    the text and the integer cast), the others their text.

    >>> fields = [{"name": "value", "type": "number"}, {"name": "page", "type": "integer"}]
    >>> rows_as_written(fields, [("1.50", "3"), (None, None)], (["value", "page"], [(1.5, 3), (None, None)]))
    [{'value': '1.50', 'page': 3}, {'value': None, 'page': None}]
    """
    names, rows = sheet
    columns = [
        (f["name"], index, typed, f["type"] in ("string", "integer"))
        for index, (f, typed) in enumerate(zip(fields, typed_positions(fields, names), strict=True))
    ]
    return [
        {name: row[typed] if is_typed else text[index] or None for name, index, typed, is_typed in columns}
        for text, row in zip(raw, rows, strict=True)
    ]


def create_views(con: Any) -> None:
    con.execute(";\n".join(views_to_sql()))


def fetch_table(con: Any, sql: str) -> Sheet:
    cursor = con.execute(sql)
    return [d[0] for d in cursor.description], cursor.fetchall()


def write_parquet(con: Any, name: str, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        con.execute(f"COPY \"{name}\" TO {sql_literal(str(tmp))} (FORMAT parquet, COMPRESSION zstd)")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def interrupted(error: RuntimeError) -> bool:
    """Whether DuckDB raised `error` for a Ctrl-C during a query: it turns the KeyboardInterrupt into
    `RuntimeError("Query interrupted")`, which the caller raises as the KeyboardInterrupt it was.

    >>> interrupted(RuntimeError("Query interrupted")), interrupted(RuntimeError("Catalog Error"))
    (True, False)
    """
    return str(error) == "Query interrupted"


def write_exports(settings: Settings, report: bool = True) -> ExportSummary:
    """Parquet + DuckDB (+ the HTML report) from the CSVs in `settings.tables_dir`, each file written to a
    temporary file in the same folder and renamed into place. A failure (disk full, unwritable folder) raises
    ExportError with one line and leaves no temporary file behind."""
    with export_errors(settings.tables_dir):
        export = Export(settings.tables_dir)
        try:
            return export.finish(settings, report)
        finally:
            export.close()


@contextmanager
def export_errors(tables_dir: Path) -> Iterator[None]:
    """An export's errors as the caller sees them: a failure to write (disk full, unwritable folder, a DuckDB
    error) as ExportError with one line; DuckDB's `RuntimeError("Query interrupted")` as the Ctrl-C it was."""
    import duckdb

    try:
        yield
    except RuntimeError as exc:
        if interrupted(exc):
            raise KeyboardInterrupt from exc
        raise
    except (OSError, duckdb.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else " ".join(str(exc).split())[:300]
        raise ExportError(
            f"export to {tables_dir} failed ({reason})",
            "free disk space or make the folder writable, then run again (the CSVs are complete)",
        ) from exc


class Export:
    """One export under way. The typed tables are made once in an in-memory database, then the database file, the
    Parquet files, the workbook and the report from them.

    Made before the tables exist (`ExportProcess` makes it while a run reads its documents): the in-memory
    database, and a second thread that builds the file's tables, comments and views, which depend on the data
    package only. `finish` loads the CSVs, then that thread copies the rows into the file while this one writes
    Parquet, workbook and report. DuckDB lets go of the GIL while a statement runs, but takes it back now and then
    (to look for Ctrl-C), which a thread busy in Python makes wait: so the file's many small statements run before
    or while the CSVs load, and its few long ones (the rows, and the write on detaching) beside the Python work.
    `close` stops it, waits for the thread and removes the temporary file, finished or not."""

    def __init__(self, tables_dir: Path) -> None:
        import duckdb

        self.tmp = tables_dir / f".{DATABASE_NAME}.tmp"
        self._remove_temporary()  # from an interrupted run
        self.package = load_datapackage()
        self.database: Future[None] = Future()  # the file's thread, done
        self.loaded: Future[None] = Future()  # the typed tables, loaded (cancelled: never)
        self._stopped = False
        self.con = duckdb.connect(":memory:", config={"temp_directory": f"{self.tmp}.tmp"})  # where a file spills
        try:
            self.con.execute("SET threads TO 1")  # each connection's: row order and Parquet bytes alike everywhere
            start_thread(self.database, partial(write_database, self.con.cursor(), self.tmp, self.package, self.loaded))
        except BaseException:
            self.close()
            raise

    def finish(self, settings: Settings, report: bool = True) -> ExportSummary:
        """The export files from the CSVs in `settings.tables_dir` (the folder this export was made for)."""
        tables_dir = settings.tables_dir
        write_atomic(tables_dir / DATAPACKAGE_NAME, datapackage_to_json(self.package))
        summary = ExportSummary(database=tables_dir / DATABASE_NAME)
        for resource in self.package["resources"]:
            load_table(self.con, tables_dir, resource)
        self.loaded.set_result(None)
        tables, sheets = export_tables(self.con, tables_dir, self.package, summary)
        summary.workbook = write_workbook(sheets, tables_dir / WORKBOOK_NAME)
        if report:
            from pipeline.exports.report import write_report

            summary.report = write_report(tables, settings.clean_dir, tables_dir / REPORT_NAME)
        self.database.result()  # the thread's error, raised here
        self._stop()
        os.replace(self.tmp, summary.database)
        return summary

    def close(self) -> None:
        """Stop (the thread first, once it is done with the file), and remove the temporary files."""
        try:
            self._stop()
        finally:
            self._remove_temporary()

    def _stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self.loaded.cancel()
        try:
            finish(self.database)  # before the connection (the thread's too) and the file are closed
        finally:
            self.con.close()

    def _remove_temporary(self) -> None:
        for leftover in (self.tmp, self.tmp.with_name(self.tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)


def load_table(con: Any, tables_dir: Path, resource: dict[str, Any]) -> None:
    """A resource's CSV text as the table `raw_<name>` (no rows when the CSV is missing) and its typed table."""
    name, fields = resource["name"], resource["schema"]["fields"]
    source = raw_source(tables_dir / resource["path"], [f["name"] for f in fields])
    con.execute(f"CREATE TABLE raw_{name} AS SELECT * FROM {source}")
    con.execute(f'CREATE TABLE "{name}" AS SELECT {fields_to_sql(fields)} FROM raw_{name}')


def write_database(con: Any, tmp: Path, package: dict[str, Any], loaded: Future[None]) -> None:
    """The database file at `tmp`, attached to `con`: its typed tables (declared), their comments and the views;
    then, once `loaded` says the typed tables are in the in-memory database (a transaction that starts after that
    sees them), their rows; detaching writes the file."""
    con.execute(f"ATTACH {sql_literal(str(tmp))} AS corpus_file (STORAGE_VERSION '{STORAGE_COMPATIBILITY}')")
    con.execute("USE corpus_file")
    con.execute("BEGIN TRANSACTION")
    for resource in package["resources"]:
        con.execute(f"CREATE TABLE \"{resource['name']}\" ({fields_to_ddl(resource['schema']['fields'])})")
        con.execute(comments_to_sql(resource))
    create_views(con)
    con.execute("COMMIT")
    loaded.result()  # CancelledError when the loading failed
    con.execute("BEGIN TRANSACTION")
    for resource in package["resources"]:
        con.execute(f"INSERT INTO \"{resource['name']}\" SELECT * FROM memory.\"{resource['name']}\"")
    con.execute("COMMIT")
    con.execute("USE memory")
    con.execute("DETACH corpus_file")


def start_thread(outcome: Future[None], work: Callable[[], None]) -> None:
    """`work` in a new thread, its end (or error) in `outcome`. Unless `outcome` is cancelled first: a Ctrl-C can
    interrupt Thread.start() after the thread began, so the caller holds `outcome` before, to cancel or wait for."""

    def run() -> None:
        if outcome.set_running_or_notify_cancel():
            try:
                work()
            except BaseException as exc:  # for the caller to raise
                outcome.set_exception(exc)
            else:
                outcome.set_result(None)

    threading.Thread(target=run, name="export-database").start()


def finish(outcome: Future[None]) -> None:
    """Wait until the thread of `outcome` is done (or cancel it, not yet begun), through Ctrl-C too: the caller
    cleans up after it. A Ctrl-C meanwhile is raised then."""
    if outcome.cancel():
        return
    ctrl_c = False
    while True:
        try:
            wait([outcome])
            break
        except KeyboardInterrupt:
            ctrl_c = True
    if ctrl_c:
        raise KeyboardInterrupt


def export_tables(
    con: Any, tables_dir: Path, package: dict[str, Any], summary: ExportSummary
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Sheet]]:
    """The Parquet file of each typed table, and the rows the report (as written in the CSVs) and the workbook
    (typed) show; the summary gets the files, row counts and problems."""
    tables: dict[str, list[dict[str, Any]]] = {}
    sheets: dict[str, Sheet] = {}
    for resource in package["resources"]:
        name, fields = resource["name"], resource["schema"]["fields"]
        path = tables_dir / f"{name}.parquet"
        write_parquet(con, name, path)
        raw = con.execute(f"SELECT * FROM raw_{name}").fetchall()
        sheets[name] = fetch_table(con, f'SELECT * FROM "{name}"')
        summary.problems += untyped_cells(name, fields, raw, sheets[name])
        tables[name] = rows_as_written(fields, raw, sheets[name])
        summary.parquet.append(path)
        summary.rows[name] = len(raw)
    return tables, sheets
