"""The exports' own process (`exports.ExportProcess`): the same files as written in the run's process, its errors
reaching the run as if the run had written them, and nothing lost or left behind when it fails, is stopped, or is
not needed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psutil
import pytest

from pipeline.errors import PipelineError
from pipeline.exports import DATABASE_NAME, ExportProcess, write_exports
from pipeline.tables import ROW_TYPES
from tests.conftest import ROOT
from tests.test_export import temporary_files, write_synthetic_corpus

FILES = [DATABASE_NAME, "corpus.xlsx", "report.html", "datapackage.json", *(f"{t}.parquet" for t in ROW_TYPES)]


def exported_bytes(tables_dir: Path) -> dict[str, bytes]:
    return {name: (tables_dir / name).read_bytes() for name in FILES if name != DATABASE_NAME}


def started(tables_dir: Path) -> ExportProcess:
    exports = ExportProcess.start()
    exports.prepare(tables_dir)
    return exports


def test_the_process_writes_what_the_run_would_write(tmp_path: Path) -> None:
    here = write_synthetic_corpus(tmp_path / "here")
    write_exports(here)
    there = write_synthetic_corpus(tmp_path / "there")
    exports = started(there.tables_dir)
    try:
        exports.write(there)
    finally:
        exports.close()
    assert exported_bytes(there.tables_dir) == exported_bytes(here.tables_dir)
    assert (there.tables_dir / DATABASE_NAME).is_file()
    assert temporary_files(there.tables_dir) == []


def test_a_process_told_to_close_removes_what_it_prepared(tmp_path: Path) -> None:
    settings = write_synthetic_corpus(tmp_path)
    exports = started(settings.tables_dir)
    deadline = time.monotonic() + 30
    while not temporary_files(settings.tables_dir) and time.monotonic() < deadline:
        time.sleep(0.05)  # the prepared database file appears
    assert temporary_files(settings.tables_dir) == [f".{DATABASE_NAME}.tmp"]
    exports.close()
    assert temporary_files(settings.tables_dir) == []
    assert not (settings.tables_dir / DATABASE_NAME).exists()


def test_a_dead_process_leaves_the_writing_to_the_run(tmp_path: Path) -> None:
    settings = write_synthetic_corpus(tmp_path)
    exports = started(settings.tables_dir)
    pid = exports._process.pid
    os.kill(pid, signal.SIGKILL)
    exports._process.join()
    try:
        exports.write(settings)
    finally:
        exports.close()
    assert all((settings.tables_dir / name).is_file() for name in FILES)
    assert temporary_files(settings.tables_dir) == []


def test_an_export_error_in_the_process_is_the_runs_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = write_synthetic_corpus(tmp_path)

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("pipeline.exports.database.load_table", disk_full)  # the process is forked: it has it too
    exports = started(settings.tables_dir)
    try:
        with pytest.raises(PipelineError, match=r"export to .* failed \(No space left on device\)") as failed:
            exports.write(settings)
    finally:
        exports.close()
    assert failed.value.stage == "export"
    assert temporary_files(settings.tables_dir) == []


def test_a_ctrl_c_in_the_process_reaches_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = write_synthetic_corpus(tmp_path)

    def ctrl_c(*args: object) -> None:
        raise RuntimeError("Query interrupted")  # what DuckDB raises for a Ctrl-C during a query

    monkeypatch.setattr("pipeline.exports.database.load_table", ctrl_c)
    exports = started(settings.tables_dir)
    try:
        with pytest.raises(KeyboardInterrupt):
            exports.write(settings)
    finally:
        exports.close()
    assert temporary_files(settings.tables_dir) == []


def test_an_unforeseen_fault_in_the_process_is_raised_by_the_run_writing_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = write_synthetic_corpus(tmp_path)
    calls: list[int] = []

    def broken(*args: Any) -> None:
        calls.append(os.getpid())
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("pipeline.exports.database.export_tables", broken)
    exports = started(settings.tables_dir)
    try:
        with pytest.raises(ZeroDivisionError):
            exports.write(settings)  # the process's attempt is not recorded here: only this process's
    finally:
        exports.close()
    assert calls == [os.getpid()]
    assert temporary_files(settings.tables_dir) == []


def test_the_process_stops_when_its_run_is_gone(tmp_path: Path) -> None:
    """A run killed outright (no `close`): its export process notices and ends, removing what it prepared."""
    settings = write_synthetic_corpus(tmp_path)
    code = (
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "from pipeline.exports import ExportProcess\n"
        "exports = ExportProcess.start()\n"
        f"exports.prepare(Path({str(settings.tables_dir)!r}))\n"
        "print(exports._process.pid, flush=True)\n"
        "time.sleep(1.5)\n"  # it has prepared
        "os._exit(9)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 9, run.stderr
    pid = int(run.stdout.split()[0])
    deadline = time.monotonic() + 30
    while psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() < deadline, "the export process outlived its run"
        time.sleep(0.1)
    assert temporary_files(settings.tables_dir) == []


def stalled_workbook(sheets: object, path: Path) -> None:
    """A workbook that stays half written (its temporary file open) until the process is stopped."""
    from pipeline.atomic import atomic_file

    with atomic_file(path, binary=True) as handle:
        handle.write(b"half")
        handle.flush()
        time.sleep(60)


def test_a_run_stopped_while_the_process_writes_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Ctrl-C in the run while the process writes: the process is stopped, and no temporary file of any export
    (the Parquet files, the workbook, the report's pages, the database) is left behind."""
    import _thread
    import threading

    settings = write_synthetic_corpus(tmp_path)
    monkeypatch.setattr("pipeline.exports.database.write_workbook", stalled_workbook)
    exports = started(settings.tables_dir)

    def ctrl_c_once_half_written() -> None:
        deadline = time.monotonic() + 30
        while not any(".corpus.xlsx." in name for name in temporary_files(settings.tables_dir)):
            if time.monotonic() > deadline:
                break
            time.sleep(0.02)
        _thread.interrupt_main()

    threading.Thread(target=ctrl_c_once_half_written).start()
    try:
        with pytest.raises(KeyboardInterrupt):
            exports.write(settings)
    finally:
        exports.close()
    assert not exports._process.is_alive()
    assert temporary_files(settings.tables_dir) == []


def test_the_process_holds_the_runs_locks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The process works in the run's folders: it holds their locks while it lives (forked under them), so that
    a run killed outright is not followed by a second one while its process still cleans up there."""
    from pipeline.run import Summary, run

    settings = write_synthetic_corpus(tmp_path)
    held: set[str] = set()

    def locked(settings: object, exports: ExportProcess) -> Summary:
        held.update(Path(f.path).name for f in psutil.Process(exports._process.pid).open_files())
        return Summary()

    monkeypatch.setattr("pipeline.run._run_locked", locked)
    run(settings)
    assert {"run.lock", ".run.lock"} <= held
