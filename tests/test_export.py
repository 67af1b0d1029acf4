"""Researcher formats: schema agrees with the records, Frictionless validation, DuckDB/Parquet, the query CLI."""

from __future__ import annotations

import csv
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest
from frictionless import Package

import pipeline.exports
import pipeline.tables
import pipeline.tools
from pipeline.errors import PipelineError
from pipeline.exports import DATABASE_NAME, write_exports
from pipeline.models import MODELS_DIR
from pipeline.records import (
    CommitmentRow,
    DateRow,
    DocumentRow,
    FailureRow,
    FigureRow,
    PartnerRow,
    QuestionRow,
    RepairRow,
)
from pipeline.settings import Settings
from pipeline.tables import (
    COLUMNS,
    ROW_TYPES,
    build_datapackage,
    datapackage_to_codebook,
    datapackage_to_json,
    resource_fields,
    schema_problems,
    write_tables,
)
from tests.conftest import ROOT, Run

# ---------------------------------------------------------------- a small synthetic corpus, built in code

TEXTS = {
    "ka_2014": (
        "Antwort der Landesregierung auf die Kleine Anfrage 2742.\n"
        "Die Bezirksregierung Arnsberg hat am 26. März 2012 die Partnerschaftsvereinbarung unterzeichnet.\n"
        "Im August 2012 trat die Kreisverwaltung Lippe der Initiative bei.\n"
        "Die Stadt Duisburg unterzeichnete am 23.08.2012.\n"
        "Auch der WDR ist Partner der Initiative.\n"
        "1. Wie viele Menschen wurden eingestellt? Hierzu liegen keine Daten vor.\n"
    ),
    "bericht_2017": (
        "Umsetzungsbericht der Bezirksregierung Arnsberg 2017.\n"
        "An der Mitarbeiterbefragung 2017 haben sich 48,7 % der Beschäftigten beteiligt.\n"
        "Der Anteil der Beschäftigten mit Migrationshintergrund lag 2013 bei 10,42 %.\n"
        "1. Eine Beschäftigtenbefragung wird bis Ende 2012 durchgeführt.\n"
        "Die lntegration der Beschäftigten wird gefördert.\n"
    ),
    "pm_2016": "Die Bezirksregierung Münster ist am 25. August 2016 der Initiative beigetreten.\n",
}


def span(doc_id: str, phrase: str) -> dict[str, Any]:
    """Offsets of `phrase` in a synthetic text, with its line as the evidence."""
    text = TEXTS[doc_id]
    start = text.index(phrase)
    ev_start = text.rfind("\n", 0, start) + 1
    ev_end = text.index("\n", start)
    return {
        "char_start": start,
        "char_end": start + len(phrase),
        "evidence": text[ev_start:ev_end],
        "evidence_start": ev_start,
        "evidence_end": ev_end,
        "page": None,
    }


def partner(doc_id: str, name: str, mention: str, date: str) -> PartnerRow:
    return PartnerRow(doc_id=doc_id, partner=name, mention=mention, partner_type="behoerde", date=date,
                      **span(doc_id, mention))


def synthetic_tables() -> dict[str, list[dict[str, Any]]]:
    documents = [
        DocumentRow("ka_2014", "ka_2014.txt", "a" * 64, "kleine_anfrage_antwort", "Mehr Migranten", "2014-11-03",
                    "16", "16/7204", "2742", "16/6943", "2014-09-30", "2014-10-31", "Serap Güler", "CDU",
                    pages="3", text_source="text_layer", text_quality="0.990"),
        DocumentRow("bericht_2017", "bericht_2017.pdf", "b" * 64, "umsetzungsbericht", "Umsetzungsbericht", "2017",
                    text_source="ocr", text_quality="0.800", ocr_confidence="81.5", repairs="1"),
        DocumentRow("pm_2016", "pm_2016.html", "c" * 64, "pressemitteilung", "Münster", "2016-08-25",
                    text_source="html", text_quality="1.000"),
    ]
    partners = [
        partner("ka_2014", "Bezirksregierung Arnsberg", "Bezirksregierung Arnsberg", "2012-03-26"),
        partner("ka_2014", "Kreis Lippe", "Kreisverwaltung Lippe", "2012-08"),
        partner("ka_2014", "Stadt Duisburg", "Stadt Duisburg", "2012-08-23"),
        partner("ka_2014", "Westdeutscher Rundfunk Köln", "WDR", ""),
        partner("pm_2016", "Bezirksregierung Münster", "Bezirksregierung Münster", "2016-08-25"),
    ]
    signing = span("pm_2016", "25. August 2016")
    dates = [DateRow("pm_2016", "2016-08-25", "", "day", "25. August 2016", "signing", **signing)]
    figures = [
        FigureRow("bericht_2017", "48.7", "percent", "", "Beteiligung an der Mitarbeiterbefragung",
                  "Bezirksregierung Arnsberg", "2017", "48,7 %", **span("bericht_2017", "48,7 %")),
        FigureRow("bericht_2017", "10.42", "percent", "", "Anteil Beschäftigte mit Migrationshintergrund",
                  "Bezirksregierung Arnsberg", "2013", "10,42 %", **span("bericht_2017", "10,42 %")),
    ]
    said = "Eine Beschäftigtenbefragung wird bis Ende 2012 durchgeführt."
    commitments = [CommitmentRow("bericht_2017", "Bezirksregierung Arnsberg", 1, False, said, "2012", "",
                                 **span("bericht_2017", said))]
    question = span("ka_2014", "Wie viele Menschen wurden eingestellt? Hierzu liegen keine Daten vor.")
    questions = [QuestionRow("ka_2014", 1, "Wie viele Menschen wurden eingestellt?", "Hierzu liegen keine Daten vor.",
                             question["char_start"], question["char_end"], None)]
    repair = span("bericht_2017", "lntegration")
    repairs = [RepairRow("bericht_2017", repair["char_start"], repair["char_end"], "lntegration", "Integration",
                         "confusion", 0.9)]
    failures = [FailureRow("broken_scan", "text", "TextError", "broken_scan.pdf: no text found", "broken_scan.pdf")]
    rows = {"documents": documents, "partners": partners, "dates": dates, "figures": figures,
            "commitments": commitments, "questions": questions, "repairs": repairs, "failures": failures}
    return {name: [r.to_dict() for r in records] for name, records in rows.items()}  # type: ignore[attr-defined]


def write_synthetic_corpus(base: Path, tables: dict[str, list[dict[str, Any]]] | None = None) -> Settings:
    """Clean texts and CSV tables of the synthetic corpus under `base` (no exports yet)."""
    settings = Settings(raw_dir=base / "raw", clean_dir=base / "clean", tables_dir=base / "tables")
    settings.clean_dir.mkdir(parents=True)
    for doc_id, text in TEXTS.items():
        (settings.clean_dir / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    write_tables(settings.tables_dir, tables if tables is not None else synthetic_tables())
    return settings


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = write_synthetic_corpus(tmp_path_factory.mktemp("synthetic"))
    summary = write_exports(settings)
    assert summary.problems == []
    return settings


def validate(tables_dir: Path) -> Any:
    return Package(str(tables_dir / "datapackage.json")).validate()


def error_types(report: Any) -> set[str]:
    return {error.type for task in report.tasks for error in task.errors}


def query(con: Any, sql: str) -> list[tuple[Any, ...]]:
    return list(con.execute(sql).fetchall())


# ---------------------------------------------------------------- the schema agrees with the code


def test_schema_fields_are_the_table_columns() -> None:
    package = build_datapackage()
    assert [r["name"] for r in package["resources"]] == list(ROW_TYPES)
    for table in ROW_TYPES:
        assert tuple(f["name"] for f in resource_fields(package, table)) == COLUMNS[table], table


def test_every_column_is_documented_and_typed_like_its_record() -> None:
    assert schema_problems() == [], "edit models/sources/codebook/tables.json, then run scripts/build_codebook.py"


def test_schema_problems_notice_an_undocumented_or_mistyped_column() -> None:
    notes = pipeline.tables.load_notes()
    notes["tables"]["partners"]["columns"]["gone_column"] = {"description": "x", "example": "y"}
    notes["tables"]["questions"]["columns"]["number"]["type"] = "string"
    del notes["tables"]["figures"]["columns"]["measure"]
    problems = "\n".join(schema_problems(notes))
    assert "partners.gone_column" in problems
    assert "questions.number: declared string" in problems
    assert "figures.measure: no description" in problems


def test_committed_datapackage_and_codebook_are_up_to_date() -> None:
    package = build_datapackage()
    hint = "stale: run `.venv/bin/python scripts/build_codebook.py` and commit the result"
    assert (MODELS_DIR / "datapackage.json").read_text(encoding="utf-8") == datapackage_to_json(package), hint
    assert (ROOT / "docs" / "codebook.md").read_text(encoding="utf-8") == datapackage_to_codebook(package), hint


def test_codebook_lists_every_column_with_meaning_and_example() -> None:
    codebook = (ROOT / "docs" / "codebook.md").read_text(encoding="utf-8")
    for table, columns in COLUMNS.items():
        section = codebook.split(f"## {table}.csv", 1)[1].split("\n## ", 1)[0]
        for column in columns:
            line = next(row for row in section.splitlines() if row.startswith(f"| `{column}` |"))
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            assert cells[3] and cells[5], f"{table}.{column}: meaning or example missing"


def test_every_fact_table_refers_to_documents() -> None:
    package = build_datapackage()
    for resource in package["resources"]:
        keys = resource["schema"].get("foreignKeys", [])
        if resource["name"] in ("documents", "failures"):  # a failed document has no documents row
            assert keys == []
        else:
            assert keys == [{"fields": ["doc_id"], "reference": {"resource": "documents", "fields": ["doc_id"]}}]


# ---------------------------------------------------------------- Frictionless validation


def test_pipeline_tables_validate_against_the_datapackage(seed_run: Run) -> None:
    report = validate(seed_run.tables)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_synthetic_tables_validate(synthetic: Settings) -> None:
    report = validate(synthetic.tables_dir)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.stats["tasks"] == len(ROW_TYPES)


@pytest.mark.parametrize(
    ("table", "column", "bad", "expected"),
    [
        ("documents", "doc_type", "anfrage", "constraint-error"),
        ("figures", "value", "ca. 12", "type-error"),
        ("figures", "unit", "prozent", "constraint-error"),
        ("partners", "date", "26.03.2012", "constraint-error"),
        ("partners", "doc_id", "no_such_document", "foreign-key"),
        ("dates", "char_start", "", "constraint-error"),
    ],
)
def test_validation_catches_drift(tmp_path: Path, table: str, column: str, bad: str, expected: str) -> None:
    tables = synthetic_tables()
    tables[table][0][column] = bad
    settings = write_synthetic_corpus(tmp_path, tables)
    write_exports(settings, report=False)
    assert expected in error_types(validate(settings.tables_dir))


def test_cells_that_do_not_fit_their_type_are_reported_and_null(tmp_path: Path) -> None:
    tables = synthetic_tables()
    tables["figures"][0]["value"] = "ca. 12"
    summary = write_exports(write_synthetic_corpus(tmp_path, tables), report=False)
    assert summary.problems == ["figures.value: not number: 'ca. 12'"]
    with duckdb.connect(str(summary.database), read_only=True) as con:
        assert query(con, "SELECT count(*) FROM figures WHERE value IS NULL") == [(1,)]


# ---------------------------------------------------------------- DuckDB and Parquet


def test_database_has_typed_tables_with_nulls_for_empty_cells(synthetic: Settings) -> None:
    with duckdb.connect(str(synthetic.tables_dir / DATABASE_NAME), read_only=True) as con:
        types = dict(query(con, "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'figures'"))
        assert types["value"] == "DOUBLE" and types["char_start"] == "BIGINT" and types["unit"] == "VARCHAR"
        flag = query(con, "SELECT data_type FROM duckdb_columns() "
                          "WHERE table_name = 'commitments' AND column_name = 'number_inferred'")
        assert flag == [("BOOLEAN",)]
        assert query(con, "SELECT value FROM figures ORDER BY value") == [(10.42,), (48.7,)]
        assert query(con, "SELECT count(*) FROM partners WHERE date IS NULL") == [(1,)]
        comment = query(con, "SELECT comment FROM duckdb_columns() WHERE table_name='partners' AND column_name='date'")
        assert "Joining or signing date" in comment[0][0]
        for table in ROW_TYPES:
            with (synthetic.tables_dir / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
                assert query(con, f"SELECT count(*) FROM {table}") == [(len(list(csv.DictReader(handle))),)]


def test_partners_by_date_joins_documents_and_orders_by_joining_date(synthetic: Settings) -> None:
    with duckdb.connect(str(synthetic.tables_dir / DATABASE_NAME), read_only=True) as con:
        sql = "SELECT joined, CAST(joined_on AS VARCHAR), partner, doc_type, doc_date FROM partners_by_date"
        rows = query(con, sql)
    assert rows == [
        ("2012-03-26", "2012-03-26", "Bezirksregierung Arnsberg", "kleine_anfrage_antwort", "2014-11-03"),
        ("2012-08", "2012-08-01", "Kreis Lippe", "kleine_anfrage_antwort", "2014-11-03"),
        ("2012-08-23", "2012-08-23", "Stadt Duisburg", "kleine_anfrage_antwort", "2014-11-03"),
        ("2016-08-25", "2016-08-25", "Bezirksregierung Münster", "pressemitteilung", "2016-08-25"),
    ]


def test_other_views(synthetic: Settings) -> None:
    with duckdb.connect(str(synthetic.tables_dir / DATABASE_NAME), read_only=True) as con:
        figures = query(con, "SELECT year, value, doc_type FROM figures_over_time")
        summary = query(con, "SELECT doc_id, partners, figures, repairs FROM document_summary")
        first = query(con, "SELECT partner, first_joined, documents FROM partners_first_joined")
        joined = query(con, "SELECT count(*), count(doc_type) FROM dates_with_documents")
    assert figures == [(2013, 10.42, "umsetzungsbericht"), (2017, 48.7, "umsetzungsbericht")]
    assert summary == [("bericht_2017", 0, 2, 1), ("ka_2014", 4, 0, 0), ("pm_2016", 1, 0, 0)]
    assert first[0] == ("Bezirksregierung Arnsberg", "2012-03-26", 1)
    assert ("Kreis Lippe", "2012-08", 1) in first
    assert first[-1] == ("Westdeutscher Rundfunk Köln", None, 1)
    assert joined == [(1, 1)]


def test_first_joining_date_prefers_the_most_precise_of_overlapping_dates(tmp_path: Path) -> None:
    tables = synthetic_tables()
    year_only = dict(tables["partners"][0], doc_id="pm_2016", date="2012", char_start=0, char_end=3)
    later_year = dict(tables["partners"][1], doc_id="pm_2016", date="2013", char_start=4, char_end=8)
    tables["partners"] += [year_only, later_year]
    summary = write_exports(write_synthetic_corpus(tmp_path, tables), report=False)
    with duckdb.connect(str(summary.database), read_only=True) as con:
        first = dict(query(con, "SELECT partner, first_joined FROM partners_first_joined"))
    assert first["Bezirksregierung Arnsberg"] == "2012-03-26"  # not "2012", which it refines
    assert first["Kreis Lippe"] == "2012-08"  # earlier than "2013"
    with duckdb.connect(str(summary.database), read_only=True) as con:
        sql = "SELECT first_doc_id, first_evidence, doc_ids, documents FROM partners_first_joined WHERE partner = ?"
        (row,) = con.execute(sql, ["Bezirksregierung Arnsberg"]).fetchall()
    day_row = tables["partners"][0]
    assert row == (day_row["doc_id"], day_row["evidence"], "|".join(sorted({day_row["doc_id"], "pm_2016"})), 2)


def test_database_tables_have_the_columns_and_types_of_the_parquet_files(synthetic: Settings) -> None:
    """The database file's tables are declared before their rows arrive: with the names and types of the typed
    tables the Parquet files are written from, for every table."""
    columns = "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index"
    with duckdb.connect(str(synthetic.tables_dir / DATABASE_NAME), read_only=True) as con:
        for table in ROW_TYPES:
            parquet = str(synthetic.tables_dir / f"{table}.parquet")
            typed = [row[:2] for row in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [parquet]).fetchall()]
            assert con.execute(columns, [table]).fetchall() == typed, table


def test_parquet_files_are_typed(synthetic: Settings) -> None:
    partners = pq.read_table(synthetic.tables_dir / "partners.parquet")
    added = ["date_precision", "date_first_day"]  # beside a date that may hold a month or a year
    assert [c for c in partners.column_names if c not in added] == list(COLUMNS["partners"])
    assert partners.column_names.index("date_first_day") == partners.column_names.index("date") + 2
    assert str(partners.schema.field("char_start").type) == "int64"
    assert partners.column("date").to_pylist()[3] is None
    commitments = pq.read_table(synthetic.tables_dir / "commitments.parquet")
    assert str(commitments.schema.field("number_inferred").type) == "bool"


def test_exports_are_deterministic(tmp_path: Path, synthetic: Settings) -> None:
    settings = write_synthetic_corpus(tmp_path)
    write_exports(settings)
    for name in ("report.html", "datapackage.json", *(f"{t}.parquet" for t in ROW_TYPES)):
        assert (settings.tables_dir / name).read_bytes() == (synthetic.tables_dir / name).read_bytes(), name


def temporary_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".*"))


def test_a_failure_building_the_database_is_one_export_error_and_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database file is built in a second thread: its error reaches the caller as the same one-line error."""
    settings = write_synthetic_corpus(tmp_path)

    def disk_full(con: Any) -> None:
        raise duckdb.IOException("No space left on device")

    monkeypatch.setattr("pipeline.exports.database.create_views", disk_full)
    with pytest.raises(PipelineError, match=r"export to .* failed \(.*No space left on device") as failed:
        write_exports(settings)
    assert failed.value.stage == "export"
    assert temporary_files(settings.tables_dir) == []
    assert not (settings.tables_dir / DATABASE_NAME).exists()


def slow_views(con: Any) -> None:
    """The database thread's views, replaced by a wait: that thread is still at work a while."""
    time.sleep(0.4)


def test_a_failure_beside_the_database_waits_for_it_then_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading the CSVs fails while the database thread is still at work: the error is raised once that thread is
    done, so nothing it writes outlives the cleanup."""
    settings = write_synthetic_corpus(tmp_path)

    def unreadable(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("pipeline.exports.database.create_views", slow_views)
    monkeypatch.setattr("pipeline.exports.database.load_table", unreadable)
    started = time.monotonic()
    with pytest.raises(PipelineError, match="Permission denied"):
        write_exports(settings)
    assert time.monotonic() - started >= 0.4
    assert temporary_files(settings.tables_dir) == []


def test_a_second_ctrl_c_does_not_cut_short_the_wait_for_the_database_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Ctrl-C stops the export, and another one while it waits for the database thread is raised only once that
    thread is done."""
    settings = write_synthetic_corpus(tmp_path)

    def ctrl_c(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("pipeline.exports.database.create_views", slow_views)
    monkeypatch.setattr("pipeline.exports.database.load_table", ctrl_c)
    second = threading.Timer(0.2, signal.pthread_kill, [threading.main_thread().ident, signal.SIGINT])
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        second.start()
        write_exports(settings)
    second.join()
    assert time.monotonic() - started >= 0.4
    assert temporary_files(settings.tables_dir) == []


@pytest.mark.parametrize("thread_began", [True, False])
def test_ctrl_c_while_the_database_thread_starts_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, thread_began: bool
) -> None:
    """Thread.start() waits for the new thread to begin, and a Ctrl-C can end that wait after it began (or before):
    either way the export stops with the KeyboardInterrupt, once that thread is done with the file."""
    settings = write_synthetic_corpus(tmp_path)
    start = threading.Thread.start

    def interrupted_start(thread: threading.Thread) -> None:
        if thread_began:
            start(thread)
        raise KeyboardInterrupt

    monkeypatch.setattr(threading.Thread, "start", interrupted_start)
    with pytest.raises(KeyboardInterrupt):
        write_exports(settings)
    monkeypatch.undo()
    time.sleep(0.5)  # a thread still running would write its file by now
    assert temporary_files(settings.tables_dir) == []
    assert not (settings.tables_dir / DATABASE_NAME).exists()


def test_extract_writes_the_exports(seed_run: Run) -> None:
    for name in (DATABASE_NAME, "report.html", "datapackage.json", "partners.parquet", "documents.parquet"):
        assert (seed_run.tables / name).is_file(), name
    assert not list(seed_run.tables.glob(".*tmp*")), "temporary files left behind"


# ---------------------------------------------------------------- python -m pipeline query


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", "query", *args], capture_output=True, text=True, cwd=ROOT)


def test_query_prints_an_aligned_table_and_csv(synthetic: Settings) -> None:
    sql = "SELECT joined, partner, doc_type FROM partners_by_date"
    table = run_cli(sql, "--tables", str(synthetic.tables_dir))
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["joined", "partner", "doc_type"]
    assert lines[2].split("  ")[0] == "2012-03-26" and "Bezirksregierung Arnsberg" in lines[2]
    assert lines[-1] == "(4 rows)"
    assert {line.index("kleine") for line in lines[2:5]} == {lines[0].index("doc_type")}  # aligned columns
    as_csv = run_cli(sql, "--tables", str(synthetic.tables_dir), "--csv")
    assert list(csv.reader(as_csv.stdout.splitlines()))[2] == ["2012-08", "Kreis Lippe", "kleine_anfrage_antwort"]


def test_query_errors_are_one_line_with_exit_code_2(synthetic: Settings, tmp_path: Path) -> None:
    bad_sql = run_cli("SELEC nothing", "--tables", str(synthetic.tables_dir))
    assert bad_sql.returncode == 2 and bad_sql.stderr.startswith("error: query failed")
    missing = run_cli("SELECT 1", "--tables", str(tmp_path))
    assert missing.returncode == 2 and "make extract" in missing.stderr
    read_only = run_cli("DROP TABLE partners", "--tables", str(synthetic.tables_dir))
    assert read_only.returncode == 2


# ---------------------------------------------------------------- declared dependencies (issue 15)


def _pipeline_imports() -> set[str]:
    """Top-level names of the third-party modules that pipeline/ imports, lazily or not."""
    import ast

    names = set()
    for path in (ROOT / "pipeline").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n != "pipeline" and n not in sys.stdlib_module_names and n != "__future__"}


def _requirement_name(spec: str) -> str:
    import re

    return re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0].lower().replace("_", "-")


def test_runtime_dependencies_are_what_the_pipeline_imports() -> None:
    """Every declared runtime dependency is imported by pipeline/ (lxml: BeautifulSoup's parser, by name), and
    every third-party module pipeline/ imports is declared; tools of tests, bench and scripts sit in `test`."""
    import importlib.metadata
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_requirement_name(spec) for spec in project["dependencies"]}
    providers = importlib.metadata.packages_distributions()
    imported = {_requirement_name(dist) for name in _pipeline_imports() for dist in providers.get(name, [name])}
    assert imported - declared == set(), "imported by pipeline/ but not a declared dependency"
    assert declared - imported == {"lxml"}, "declared but never imported: move it to the `test` extra or drop it"
    assert {"pandas", "pyarrow", "frictionless", "spacy"} <= {
        _requirement_name(spec) for spec in project["optional-dependencies"]["test"]}
