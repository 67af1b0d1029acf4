"""The README's examples run (issue 15): every `python` and `sql` block, and every `pipeline query` line of the
`sh` blocks, on a small corpus laid out as `corpus/tables` in a temporary folder. Blocks marked `text` are
synopses (brackets for optional flags), not commands; the `make` and Dask lines are run by other tests or need
a cluster."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipeline.exports import write_exports
from tests.conftest import ROOT
from tests.test_export import write_synthetic_corpus

BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks(language: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [body for lang, body in BLOCK.findall(text) if lang == language]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("readme")
    settings = write_synthetic_corpus(base / "corpus_build")
    write_exports(settings, report=False)
    (base / "corpus").mkdir()
    (base / "corpus" / "tables").symlink_to(settings.tables_dir)
    return base


def test_readme_has_runnable_blocks() -> None:
    assert blocks("python") and blocks("sql") and any("pipeline query" in b for b in blocks("sh"))


@pytest.mark.parametrize("index", range(len(blocks("python"))))
def test_python_blocks_run(workdir: Path, index: int) -> None:
    done = subprocess.run([sys.executable, "-c", blocks("python")[index]], cwd=workdir, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


@pytest.mark.parametrize("index", range(len(blocks("sql"))))
def test_sql_blocks_run(workdir: Path, index: int) -> None:
    sql = blocks("sql")[index]
    opened = re.search(r"--\s*duckdb\s+-readonly\s+(\S+)", sql)
    cwd = os.getcwd()
    os.chdir(workdir)
    try:
        with duckdb.connect(opened.group(1) if opened else ":memory:", read_only=bool(opened)) as con:
            for statement in con.extract_statements(sql):
                assert con.execute(statement).fetchall(), statement
    finally:
        os.chdir(cwd)


def query_lines() -> list[str]:
    return [line for block in blocks("sh") for line in block.splitlines() if " -m pipeline query " in line]


@pytest.mark.parametrize("line", query_lines())
def test_query_lines_run(workdir: Path, line: str) -> None:
    args = shlex.split(line.split("#")[0])
    assert args[:3] == [".venv/bin/python", "-m", "pipeline"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, *args[1:]], cwd=workdir, capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
