"""CLI conventions of the tools users know (issue 15): --version, -q/-v, exit codes, one line on Ctrl-C, a
suggestion for a mistyped flag or subcommand, validated numbers, and query's output formats and SQL files."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.cli import EXIT_MISSING, main
from pipeline.exports import write_exports
from pipeline.settings import Settings
from tests.conftest import ROOT
from tests.test_export import write_synthetic_corpus


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=ROOT,
                          input=stdin, timeout=300)


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    settings = write_synthetic_corpus(tmp_path_factory.mktemp("cli"))
    write_exports(settings, report=False)
    return settings.tables_dir


def test_version() -> None:
    done = cli("--version")
    assert done.returncode == 0 and done.stdout.startswith("python -m pipeline ")


@pytest.mark.parametrize(
    ("args", "suggested"),
    [(["extract", "--forse"], "did you mean --force?"), (["extrct"], "did you mean extract?"),
     (["query", "SELECT 1", "--fromat", "json"], "did you mean --format?")],
)
def test_a_mistyped_flag_or_command_gets_a_suggestion_and_exit_2(args: list[str], suggested: str) -> None:
    done = cli(*args)
    assert done.returncode == 2 and suggested in done.stderr
    if args[0] == "extract":
        assert "usage: python -m pipeline extract" in done.stderr  # the subcommand's usage, not the top level's


@pytest.mark.parametrize("args", [["--jobs", "-3"], ["--jobs", "two"], ["--ocr-dpi", "0"],
                                  ["--max-seconds-per-document", "-1"], ["--max-text-chars", "0"]])
def test_numbers_are_validated(args: list[str], tmp_path: Path) -> None:
    done = cli("extract", "--raw", str(tmp_path), *args)
    assert done.returncode == 2 and f"argument {args[0]}" in done.stderr


def test_score_with_a_missing_gold_folder_is_one_line(tmp_path: Path) -> None:
    done = cli("score", "--gold", str(tmp_path / "missing"), "--no-cases")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_quiet_prints_nothing_on_success_and_verbose_the_settings(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "pm.txt").write_text("Die Stadt Köln ist am 3. Mai 2013 der Initiative beigetreten.\n", encoding="utf-8")
    paths = ["--raw", str(raw), "--clean", str(tmp_path / "clean"), "--tables", str(tmp_path / "tables")]
    quiet = cli("extract", *paths, "--jobs", "1", "-q")
    assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr
    verbose = cli("extract", *paths, "--jobs", "1", "-v")
    assert verbose.returncode == 0 and "settings: Settings(" in verbose.stderr and "documents:" in verbose.stderr


def test_a_missing_program_gives_exit_code_3(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    from pipeline.errors import MissingDependency

    def missing(settings: Settings) -> None:
        raise MissingDependency("dask.distributed is not installed", "run `make setup`")

    monkeypatch.setattr("pipeline.run.run", missing)
    assert main(["extract", "--raw", str(tmp_path)]) == EXIT_MISSING
    assert capsys.readouterr().err == "error: dask.distributed is not installed: run `make setup`\n"


def test_ctrl_c_exits_130_with_one_line(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for index in range(40):
        (raw / f"doc{index}.txt").write_text(f"Die Stadt {index} ist am 3. Mai 2013 beigetreten.\n" * 200)
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "extract", "--raw", str(raw), "--clean", str(tmp_path / "clean"),
         "--tables", str(tmp_path / "tables"), "--jobs", "2"],
        cwd=ROOT, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    time.sleep(2.5)  # the workers have started (model loading)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
    _, err = process.communicate(timeout=120)
    if process.returncode == 0:
        pytest.skip("the run finished before the interrupt")
    assert process.returncode == 130, err
    assert err.startswith("interrupted") and "Traceback" not in err, err


def test_ctrl_c_during_the_exports_exits_130_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "doc.txt").write_text("Die Stadt Hamm ist am 3. Mai 2013 beigetreten.\n", encoding="utf-8")

    def ctrl_c_in_a_query(*args: object) -> None:
        raise RuntimeError("Query interrupted")  # what DuckDB 1.x-2.x raises for a Ctrl-C (it eats the interrupt)

    monkeypatch.setattr("pipeline.exports.database.Export.finish", ctrl_c_in_a_query)
    paths = ["--raw", str(raw), "--clean", str(tmp_path / "clean"), "--tables", str(tmp_path / "tables")]
    assert main(["extract", *paths, "--jobs", "1"]) == 130
    err = capsys.readouterr().err
    assert err.startswith("interrupted") and "Traceback" not in err and len(err.splitlines()) == 1, err
    assert not list((tmp_path / "tables").glob(".*.tmp*"))  # no half-written database left


# ---------------------------------------------------------------- query


def test_query_formats(tables: Path) -> None:
    sql = "SELECT partner, first_joined_on, documents FROM partners_first_joined LIMIT 2"
    as_json = json.loads(cli("query", sql, "--tables", str(tables), "--format", "json").stdout)
    assert as_json[0] == {"partner": "Bezirksregierung Arnsberg", "first_joined_on": "2012-03-26", "documents": 1}
    tsv = cli("query", sql, "--tables", str(tables), "--format", "tsv").stdout.splitlines()
    assert tsv[0] == "partner\tfirst_joined_on\tdocuments" and tsv[1].split("\t")[1] == "2012-03-26"
    markdown = cli("query", sql, "--tables", str(tables), "--format", "markdown").stdout.splitlines()
    assert markdown[:2] == ["| partner | first_joined_on | documents |", "|---|---|---|"]
    as_csv = cli("query", sql, "--tables", str(tables), "--format", "csv").stdout
    assert list(csv.reader(io.StringIO(as_csv)))[1][0] == "Bezirksregierung Arnsberg"


def test_query_runs_every_statement_and_reads_sql_from_a_file(tables: Path, tmp_path: Path) -> None:
    script = tmp_path / "q.sql"
    script.write_text("SELECT count(*) AS n FROM documents;\nSELECT count(*) AS n FROM partners;\n")
    done = cli("query", "--file", str(script), "--tables", str(tables), "--format", "csv")
    assert done.returncode == 0 and done.stdout == "n\n3\nn\n5\n"
    piped = cli("query", "-f", "-", "--tables", str(tables), "--format", "csv", stdin="SELECT 1 AS one")
    assert piped.stdout == "one\n1\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (a device that is always full)")
def test_output_that_cannot_be_written_is_an_error(tables: Path) -> None:
    """The process ends without the interpreter's teardown (`__main__`): output still buffered when the command
    returns and then refused (a full disk) is one line and a failing exit code, not a silent success."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as at a user's shell
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "pipeline", "query", "SELECT 1 AS one", "--tables", str(tables)],
                              stdout=full, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env, timeout=300)
    assert done.returncode == 1
    assert done.stderr.splitlines() == ["error: cannot write the output (No space left on device)"]


def test_query_errors_keep_duckdbs_caret(tables: Path) -> None:
    done = cli("query", "SELEC nothing", "--tables", str(tables))
    assert done.returncode == 2 and "LINE 1: SELEC nothing" in done.stderr and "^" in done.stderr
