"""Outputs that analysts' tools open as they are (issue 15): a DuckDB file that DuckDB 1.x readers open, typed
dates and years in Parquet and DuckDB, and the Excel workbook."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pipeline.exports import DATABASE_NAME, WORKBOOK_NAME, write_exports
from pipeline.settings import Settings
from pipeline.tables import ROW_TYPES
from tests.test_export import synthetic_tables, write_synthetic_corpus

openpyxl = pytest.importorskip("openpyxl")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The synthetic corpus of test_export with its exports."""
    settings = write_synthetic_corpus(tmp_path_factory.mktemp("typed"))
    assert write_exports(settings, report=False).problems == []
    return settings


def duckdb_1x_cli() -> Path | None:
    """The DuckDB 1.x command line from the `duckdb-cli` package (a test dependency), if installed."""
    try:
        import duckdb_cli  # type: ignore[import-not-found]
    except ImportError:
        return None
    binary = Path(duckdb_cli.__file__).parent / "duckdb"
    return binary if binary.is_file() and os.access(binary, os.X_OK) else None


# ---------------------------------------------------------------- DuckDB 1.x readers


def test_database_file_declares_a_storage_version_duckdb_1_reads(exported: Settings) -> None:
    header = (exported.tables_dir / DATABASE_NAME).read_bytes()[:64]
    assert header[8:12] == b"DUCK"
    version = int.from_bytes(header[12:20], "little")
    assert 64 <= version <= 68, f"storage version {version}: DuckDB 1.x reads 64..68"


def test_duckdb_1x_cli_opens_the_database_read_only(exported: Settings) -> None:
    cli = duckdb_1x_cli()
    if cli is None:
        pytest.skip("duckdb-cli not installed (pip install '.[test]')")
    version = subprocess.run([str(cli), "--version"], capture_output=True, text=True, check=True).stdout
    assert version.lstrip("v").startswith("1."), version
    sql = (
        "SELECT partner, joined FROM partners_by_date LIMIT 1; "
        "SELECT CAST(joined_on - INTERVAL 30 DAY AS DATE) FROM partners_by_date LIMIT 1; "
        "SELECT typeof(anfrage_date), typeof(date_first_day) FROM documents WHERE doc_id = 'ka_2014';"
    )
    done = subprocess.run(
        [str(cli), "-readonly", "-csv", "-noheader", str(exported.tables_dir / DATABASE_NAME), "-c", sql],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["Bezirksregierung Arnsberg,2012-03-26", "2012-02-25", "DATE,DATE"]


# ---------------------------------------------------------------- typed columns


def test_day_dates_are_dates_and_partial_dates_keep_text_precision_and_first_day(exported: Settings) -> None:
    with duckdb.connect(str(exported.tables_dir / DATABASE_NAME), read_only=True) as con:
        doc = con.execute(
            "SELECT anfrage_date, answer_date, date, date_precision, date_first_day FROM documents "
            "WHERE doc_id = 'bericht_2017'"
        ).fetchone()
        ka = con.execute(
            "SELECT anfrage_date, answer_date - anfrage_date FROM documents WHERE doc_id = 'ka_2014'"
        ).fetchone()
        partners = con.execute(
            "SELECT date, date_precision, date_first_day FROM partners ORDER BY date_first_day NULLS LAST"
        ).fetchall()
        arithmetic = con.execute("SELECT min(date_first_day) - INTERVAL 30 DAY FROM partners").fetchone()
    assert doc == (None, None, "2017", "year", dt.date(2017, 1, 1))
    assert ka == (dt.date(2014, 9, 30), 31)
    assert partners[:3] == [
        ("2012-03-26", "day", dt.date(2012, 3, 26)),
        ("2012-08", "month", dt.date(2012, 8, 1)),
        ("2012-08-23", "day", dt.date(2012, 8, 23)),
    ]
    assert partners[-1] == (None, None, None)
    assert arithmetic == (dt.datetime(2012, 2, 25),)


def test_parquet_has_date32_dates_and_integer_years(exported: Settings) -> None:
    def types(table: str) -> dict[str, str]:
        schema = pq.read_schema(exported.tables_dir / f"{table}.parquet")
        return {name: str(schema.field(name).type) for name in schema.names}

    documents = types("documents")
    assert documents["anfrage_date"] == documents["answer_date"] == "date32[day]"
    assert documents["date"] == "string" and documents["date_first_day"] == "date32[day]"
    assert documents["period_end_first_day"] == "date32[day]"
    assert types("dates")["date_end_first_day"] == "date32[day]"
    assert types("figures")["year"] == "int64" and types("figures")["value"] == "double"
    assert types("commitments")["target_year"] == "int64"


def test_csvs_stay_as_written(exported: Settings) -> None:
    header = (exported.tables_dir / "documents.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "date_first_day" not in header and "date_precision" not in header


# ---------------------------------------------------------------- the workbook


def test_workbook_has_one_sheet_per_table_typed_frozen_and_filtered(exported: Settings) -> None:
    book = openpyxl.load_workbook(exported.tables_dir / WORKBOOK_NAME)
    assert book.sheetnames == list(ROW_TYPES)
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
    docs = book["documents"]
    header = [cell.value for cell in docs[1]]
    rows = {row[0].value: dict(zip(header, row, strict=True)) for row in docs.iter_rows(min_row=2)}
    ka = rows["ka_2014"]
    assert ka["anfrage_date"].is_date and ka["anfrage_date"].value.date() == dt.date(2014, 9, 30)
    assert ka["anfrage_date"].number_format == "yyyy-mm-dd"
    assert ka["date"].value == "2014-11-03" and ka["date_first_day"].is_date
    assert rows["bericht_2017"]["date"].value == "2017" and rows["bericht_2017"]["date"].data_type == "s"
    assert ka["title"].value == "Mehr Migranten" and ka["pages"].value == 3
    figures = book["figures"]
    assert sorted(row[1].value for row in figures.iter_rows(min_row=2)) == [10.42, 48.7]
    evidence_column = [cell.value for cell in book["partners"][1]].index("evidence")
    assert book["partners"].cell(row=2, column=evidence_column + 1).alignment.wrap_text


def test_workbook_text_is_never_a_formula_and_bytes_are_stable(tmp_path: Path) -> None:
    tables = synthetic_tables()
    tables["documents"][0]["title"] = "=HYPERLINK(\"http://example.org\")"
    tables["documents"][1]["title"] = "Köln\fSeite 2"  # a form feed XML cannot carry
    first = write_synthetic_corpus(tmp_path / "a", tables)
    second = write_synthetic_corpus(tmp_path / "b", tables)
    write_exports(first, report=False)
    write_exports(second, report=False)
    data = (first.tables_dir / WORKBOOK_NAME).read_bytes()
    assert data == (second.tables_dir / WORKBOOK_NAME).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    book = openpyxl.load_workbook(first.tables_dir / WORKBOOK_NAME)
    titles = {row[0].value: row[4] for row in book["documents"].iter_rows(min_row=2)}
    assert (titles["ka_2014"].value, titles["ka_2014"].data_type) == ("=HYPERLINK(\"http://example.org\")", "s")
    assert (titles["bericht_2017"].value, titles["bericht_2017"].data_type) == ("Köln Seite 2", "s")
    assert book.properties.modified == book.properties.created == dt.datetime(2000, 1, 1)


def test_libreoffice_reads_the_workbook(exported: Settings, tmp_path: Path) -> None:
    """LibreOffice (`make test` installs it when run as root) reads every sheet of the workbook with its umlauts:
    each sheet to its own CSV in UTF-8 (filter options: comma, double quote, UTF-8, …, sheet -1 = all), and the
    first sheet in its default CSV (Windows-1252)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice not installed (`make office-deps` as root, or apt-get install libreoffice-calc-nogui)")
    every_sheet = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    for target, folder in ((every_sheet, "utf8"), ("csv", "default")):
        subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", target,
             "--outdir", str(tmp_path / folder), str(exported.tables_dir / WORKBOOK_NAME)],
            check=True, capture_output=True, timeout=120,
        )
    partners = (tmp_path / "utf8" / "corpus-partners.csv").read_text(encoding="utf-8")
    assert "Westdeutscher Rundfunk Köln" in partners and "Bezirksregierung Münster" in partners
    assert "Serap Güler" in (tmp_path / "utf8" / "corpus-documents.csv").read_text(encoding="utf-8")
    assert "Serap Güler" in (tmp_path / "default" / "corpus.csv").read_text(encoding="cp1252")


def test_workbook_keeps_every_digit_of_a_date_and_survives_broken_text() -> None:
    """Dates and times come back exactly (no rounding to six digits); a lone surrogate from a mis-decoded file, a
    carriage return and a name Excel forbids do not break the workbook."""
    from pipeline.exports import workbook_bytes

    moment = dt.datetime(2017, 5, 3, 23, 59, 59)
    tables = {"a/b": (["when", "day", "text"], [[moment, dt.date(9999, 12, 31), "bad \ud800 text\r\nnext"]])}
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(tables)))
    sheet = book["a_b"]
    assert sheet["A2"].value == moment and sheet["B2"].value == dt.datetime(9999, 12, 31)
    assert sheet["C2"].value == "bad   text\r\nnext"
