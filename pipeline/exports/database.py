"""Researcher formats next to the CSVs: typed Parquet files, one DuckDB database with views, the data package
descriptor, and the HTML report.

The CSVs stay the source of truth: everything here is rebuilt from them (and the clean texts) on each run,
typed by the data package (`models/datapackage.json`), with empty cells as NULL.
"""

from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from pipeline.atomic import write_atomic
from pipeline.errors import PipelineError
from pipeline.exports.workbook import WORKBOOK_NAME, write_workbook
from pipeline.settings import Settings
from pipeline.tables import datapackage_to_json, load_datapackage

DATABASE_NAME = "corpus.duckdb"
SQL_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE"}
# Written so that DuckDB 1.x clients (the duckdb CLI, R, DBeaver) can open it: the library writing it may be newer
# than theirs, and a file in the newest storage format is refused by older readers.
STORAGE_COMPATIBILITY = "v1.0.0"
Sheet = tuple[list[str], list[tuple[Any, ...]]]  # column names and rows of a query
FACT_TABLES = ("partners", "dates", "figures", "commitments", "questions", "repairs")

# Partial ISO dates (YYYY, YYYY-MM) become the first (iso_start) or last (iso_end) day they cover, so they
# sort and compare as DATEs.
MACROS = (
    "CREATE MACRO iso_start(d) AS TRY_CAST(CASE length(d) WHEN 4 THEN d || '-01-01' "
    "WHEN 7 THEN d || '-01' ELSE d END AS DATE)",
    "CREATE MACRO iso_end(d) AS TRY_CAST(CASE length(d) WHEN 4 THEN d || '-12-31' "
    "WHEN 7 THEN CAST(last_day(TRY_CAST(d || '-01' AS DATE)) AS VARCHAR) ELSE d END AS DATE)",
)

VIEWS: dict[str, tuple[str, str]] = {
    "partners_by_date": (
        "Partners with a joining date, earliest first, with the document that states it.",
        """SELECT p.date AS joined, iso_start(p.date) AS joined_on, p.partner, p.partner_type, p.doc_id,
                  d.doc_type, d.date AS doc_date, d.title AS doc_title, p.mention, p.page, p.evidence
           FROM partners p LEFT JOIN documents d USING (doc_id)
           WHERE p.date IS NOT NULL
           ORDER BY joined_on, p.partner, p.doc_id, p.char_start""",
    ),
    "partners_first_joined": (
        "One row per canonical partner across all documents: the earliest joining date any document states (of "
        "dates that overlap, the most precise: 2012-03-26 rather than 2012), the document and evidence stating it, "
        "and the documents that mention the partner (how many, and their doc_ids joined by '|').",
        """SELECT partner, first_joined, iso_start(first_joined) AS first_joined_on, first_doc_id, documents, mentions,
                  partner_type, first_evidence, doc_ids
           FROM (SELECT partner,
                        first(date ORDER BY iso_end(date), length(date) DESC, doc_id)
                            FILTER (WHERE iso_end(date) IS NOT NULL) AS first_joined,
                        first(doc_id ORDER BY iso_end(date), length(date) DESC, doc_id)
                            FILTER (WHERE iso_end(date) IS NOT NULL) AS first_doc_id,
                        first(evidence ORDER BY iso_end(date), length(date) DESC, doc_id, char_start)
                            FILTER (WHERE iso_end(date) IS NOT NULL) AS first_evidence,
                        count(DISTINCT doc_id) AS documents, count(*) AS mentions,
                        min(partner_type) AS partner_type,
                        string_agg(DISTINCT doc_id, '|' ORDER BY doc_id) AS doc_ids
                 FROM partners GROUP BY partner)
           ORDER BY first_joined_on NULLS LAST, partner""",
    ),
    "figures_over_time": (
        "Figures with the year they refer to (else the document's year) and the document's type and date.",
        """SELECT coalesce(TRY_CAST(f.year AS INTEGER), year(iso_start(d.date))) AS year, f.value, f.unit,
                  f.qualifier, f.measure, f.subject, f.doc_id, d.doc_type, d.date AS doc_date, f.text, f.evidence
           FROM figures f LEFT JOIN documents d USING (doc_id)
           ORDER BY year NULLS LAST, f.unit, f.measure, f.doc_id, f.char_start""",
    ),
    "document_summary": (
        "One row per document with the number of facts of each kind.",
        """SELECT d.doc_id, d.doc_type, d.date, d.title, d.pages, d.text_source, d.text_quality,
                  {counts}
           FROM documents d ORDER BY d.doc_id""",
    ),
}


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


def column_to_sql(column: str, schema_type: str) -> str:
    """SQL expression turning a raw CSV text cell into its typed value (empty or unparsable -> NULL).

    >>> column_to_sql("page", "integer")
    'TRY_CAST(NULLIF("page", \\'\\') AS BIGINT) AS "page"'
    """
    if schema_type == "string":
        return f"NULLIF(\"{column}\", '') AS \"{column}\""
    return f"TRY_CAST(NULLIF(\"{column}\", '') AS {SQL_TYPES[schema_type]}) AS \"{column}\""


def partial_date_to_sql(column: str) -> list[str]:
    """The columns typed exports add beside an ISO date that may hold only a month or a year: its precision and
    the first day it covers, a DATE to sort by and compute with ('2012-03' -> 'month', 2012-03-01)."""
    quoted = f'"{column}"'
    return [
        f"CASE length({quoted}) WHEN 10 THEN 'day' WHEN 7 THEN 'month' WHEN 4 THEN 'year' END "
        f'AS "{column}_precision"',
        f"TRY_CAST(CASE length({quoted}) WHEN 4 THEN {quoted} || '-01-01' WHEN 7 THEN {quoted} || '-01' "
        f'ELSE {quoted} END AS DATE) AS "{column}_first_day"',
    ]


def fields_to_sql(fields: list[dict[str, Any]]) -> str:
    """The SELECT list of a typed table: every column typed, the partial dates followed by their added columns."""
    parts = []
    for f in fields:
        parts.append(column_to_sql(f["name"], f["type"]))
        if f.get("partialDate"):
            parts += partial_date_to_sql(f["name"])
    return ", ".join(parts)


def fields_to_ddl(fields: list[dict[str, Any]]) -> str:
    """The column definitions of a typed table: what `fields_to_sql` computes, declared (a test holds the two
    together), so that the table can be made before its rows, as cheaply as a statement can be.

    >>> fields_to_ddl([{"name": "date", "type": "string", "partialDate": True}, {"name": "page", "type": "integer"}])
    '"date" VARCHAR, "date_precision" VARCHAR, "date_first_day" DATE, "page" BIGINT'
    """
    parts = []
    for f in fields:
        parts.append(f"\"{f['name']}\" {SQL_TYPES[f['type']]}")
        if f.get("partialDate"):
            parts += [f"\"{f['name']}_precision\" VARCHAR", f"\"{f['name']}_first_day\" DATE"]
    return ", ".join(parts)


def sql_literal(text: str) -> str:
    """A single-quoted SQL string literal.

    >>> sql_literal("it's")
    "'it''s'"
    """
    return "'" + text.replace("'", "''") + "'"


def raw_source(path: Path, columns: list[str]) -> str:
    """What a table's CSV text is selected from: the CSV read as text, every column declared (no guessing), or no
    rows when the CSV is missing."""
    if not path.exists():
        return "(SELECT " + ", ".join(f'CAST(NULL AS VARCHAR) AS "{c}"' for c in columns) + " WHERE false)"
    spec = ", ".join(f"{sql_literal(c)}: 'VARCHAR'" for c in columns)
    return (
        f"read_csv({sql_literal(str(path))}, header=true, auto_detect=false, delim=',', quote='\"', "
        f"escape='\"', new_line='\\n', columns={{{spec}}})"
    )


def comments_to_sql(resource: dict[str, Any]) -> str:
    """The COMMENT statements of a typed table: its description and its columns' (the added date columns too)."""
    name = resource["name"]
    comments = [f"COMMENT ON TABLE \"{name}\" IS {sql_literal(resource.get('description', ''))}"]
    for f in resource["schema"]["fields"]:
        comments.append(f"COMMENT ON COLUMN \"{name}\".\"{f['name']}\" IS {sql_literal(f.get('description', ''))}")
        if f.get("partialDate"):
            for suffix, meaning in (("precision", "day, month or year"), ("first_day", "the first day it covers")):
                note = sql_literal(f"{f['name']}: {meaning}")
                comments.append(f"COMMENT ON COLUMN \"{name}\".\"{f['name']}_{suffix}\" IS {note}")
    return ";\n".join(comments)


def typed_columns(fields: list[dict[str, Any]], names: list[str]) -> list[int]:
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
    for index, (f, typed) in enumerate(zip(fields, typed_columns(fields, names), strict=True)):
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
        for index, (f, typed) in enumerate(zip(fields, typed_columns(fields, names), strict=True))
    ]
    return [
        {name: row[typed] if is_typed else text[index] or None for name, index, typed, is_typed in columns}
        for text, row in zip(raw, rows, strict=True)
    ]


def create_views(con: Any) -> None:
    for macro in MACROS:
        con.execute(macro)
    counts = ",\n".join(
        f"(SELECT count(*) FROM {t} f WHERE f.doc_id = d.doc_id) AS {t}" for t in FACT_TABLES
    )
    for name, (description, sql) in VIEWS.items():
        con.execute(f"CREATE VIEW {name} AS {sql.replace('{counts}', counts)}")
        con.execute(f"COMMENT ON VIEW {name} IS {sql_literal(description)}")
    for table in FACT_TABLES:
        con.execute(
            f"CREATE VIEW {table}_with_documents AS SELECT f.*, d.doc_type, d.date AS doc_date, "
            f"d.title AS doc_title FROM {table} f LEFT JOIN documents d USING (doc_id)"
        )
        con.execute(
            f"COMMENT ON VIEW {table}_with_documents IS "
            f"{sql_literal(f'Every row of {table} with its document type, date and title.')}"
        )


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
    import duckdb

    tables_dir = settings.tables_dir
    tmp = tables_dir / f".{DATABASE_NAME}.tmp"
    try:
        return _write_exports(settings, tmp, report)
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
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)


def _write_exports(settings: Settings, tmp: Path, report: bool) -> ExportSummary:
    """The typed tables, made once in an in-memory database, then the database file, the Parquet files, the
    workbook and the report from them. The file is built in a second thread: DuckDB lets go of the GIL while a
    statement runs, but takes it back now and then (to look for Ctrl-C), which a thread busy in Python makes wait.
    So the file's many small statements (tables, comments, views) run while this thread loads the CSVs in DuckDB,
    and its few long ones (the rows, and the write on detaching) while this one writes Parquet, workbook and report."""
    import duckdb

    tables_dir = settings.tables_dir
    package = load_datapackage()
    write_atomic(tables_dir / "datapackage.json", datapackage_to_json(package))
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):  # from an interrupted run
        leftover.unlink(missing_ok=True)
    summary = ExportSummary(database=tables_dir / DATABASE_NAME)
    con = duckdb.connect(":memory:", config={"temp_directory": f"{tmp}.tmp"})  # where a file database spills
    try:  # closing `con` closes the file's connection too, and the file (after an error, before its removal)
        con.execute("SET threads TO 1")  # every connection's: row order and Parquet bytes independent of the machine
        database = con.cursor()
        # One thread, so the file's two steps run in order; the block's end waits for it, after an error too.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="corpus.duckdb") as pool:
            schema = pool.submit(create_schema, database, tmp, package)
            for resource in package["resources"]:
                load_table(con, tables_dir, resource)
            rows = pool.submit(copy_rows, database, package, schema)
            tables, sheets = export_tables(con, tables_dir, package, summary)
            summary.workbook = write_workbook(sheets, tables_dir / WORKBOOK_NAME)
            if report:
                from pipeline.exports.report import write_report

                summary.report = write_report(tables, settings.clean_dir, tables_dir / "report.html")
            rows.result()  # the thread's error, raised here
    finally:
        con.close()
    os.replace(tmp, summary.database)
    return summary


def load_table(con: Any, tables_dir: Path, resource: dict[str, Any]) -> None:
    """A resource's CSV text as the table `raw_<name>` (no rows when the CSV is missing) and its typed table."""
    name, fields = resource["name"], resource["schema"]["fields"]
    source = raw_source(tables_dir / resource["path"], [f["name"] for f in fields])
    con.execute(f"CREATE TABLE raw_{name} AS SELECT * FROM {source}")
    con.execute(f'CREATE TABLE "{name}" AS SELECT {fields_to_sql(fields)} FROM raw_{name}')


def create_schema(con: Any, tmp: Path, package: dict[str, Any]) -> None:
    """The database file at `tmp`, attached to `con`, with the typed tables (no rows yet), their comments and the
    views."""
    con.execute(f"ATTACH {sql_literal(str(tmp))} AS corpus_file (STORAGE_VERSION '{STORAGE_COMPATIBILITY}')")
    con.execute("USE corpus_file")
    con.execute("BEGIN TRANSACTION")
    for resource in package["resources"]:
        con.execute(f"CREATE TABLE \"{resource['name']}\" ({fields_to_ddl(resource['schema']['fields'])})")
        con.execute(comments_to_sql(resource))
    create_views(con)
    con.execute("COMMIT")


def copy_rows(con: Any, package: dict[str, Any], schema: Future[None]) -> None:
    """The rows of the loaded typed tables into the database file that `schema` made (which ran before, in the same
    one-thread pool: its error, if it failed), written out on detaching. The tables were loaded on another connection
    before this transaction started, so it sees them."""
    schema.result()
    con.execute("BEGIN TRANSACTION")
    for resource in package["resources"]:
        con.execute(f"INSERT INTO \"{resource['name']}\" SELECT * FROM memory.\"{resource['name']}\"")
    con.execute("COMMIT")
    con.execute("USE memory")
    con.execute("DETACH corpus_file")


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
