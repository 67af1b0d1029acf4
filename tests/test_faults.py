"""Faults and hostile inputs (issue 14): one bad file or fault never takes the batch down, nothing is lost, nothing
wiped, nothing stale. Every hostile input is built here, in code."""

from __future__ import annotations

import dataclasses
import os
import random
import signal
import stat
import threading
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from pipeline import cache, cli
from pipeline.atomic import exclusive_lock
from pipeline.document import process_document, process_or_plan
from pipeline.errors import EngineError, InputError, PipelineError
from pipeline.exports import DATABASE_NAME, TEXTS_FOLDER
from pipeline.ingest import detect_kind, doc_id_for
from pipeline.records import DocResult
from pipeline.run import run
from pipeline.settings import Settings
from pipeline.tables import read_table
from tests.conftest import ROOT

GOOD = {
    "alpha": "Düsseldorf, 3. März 2020. Die Stadt Hamm ist der Initiative am 1. Februar 2019 beigetreten.\n",
    "beta": "Am 12. Mai 2021 unterzeichnete der Kreis Soest die Charta. 48,7 % der Beschäftigten nahmen teil.\n",
    "gamma": "Die Landesregierung berichtet über acht Projekte im Jahr 2018.\n",
}


def good_raw(folder: Path, names: tuple[str, ...] = ("alpha", "beta", "gamma")) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / f"{name}.txt").write_text(GOOD.get(name, GOOD["alpha"]), encoding="utf-8")
    return folder


def refuse_to_open(monkeypatch: pytest.MonkeyPatch, suffix: str) -> None:
    """Opening a file whose name ends in `suffix` fails as an unreadable file does (permission denied; root can
    read any file, so the refusal is simulated)."""
    real_open = os.open

    def refuse(path: object, flags: int, *args: object) -> int:
        if str(path).endswith(suffix):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)


def settings_for(base: Path, raw: Path, jobs: int = 1, **changes: Any) -> Settings:
    settings = Settings(raw_dir=raw, clean_dir=base / "clean", tables_dir=base / "tables", jobs=jobs)
    return dataclasses.replace(settings, **changes)


def doc_ids(settings: Settings) -> set[str]:
    return {row["doc_id"] for row in read_table(settings.tables_dir / "documents.csv")}


def failures(settings: Settings) -> dict[str, str]:
    return {row["doc_id"]: row["message"] for row in read_table(settings.tables_dir / "failures.csv")}


# ---------------------------------------------------------------- 1. failures are never cached


def _engine_missing(*args: object) -> None:
    raise EngineError("tesseract not found", "run `make setup`")


@pytest.mark.parametrize("force", [False, True])
def test_a_fixed_failure_is_retried_and_rewrites_the_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, force: bool
) -> None:
    settings = settings_for(tmp_path, good_raw(tmp_path / "raw"))
    with monkeypatch.context() as patch:
        patch.setattr("pipeline.extract.clean_to_facts", _engine_missing)
        broken = run(settings)
    assert broken.failed == 3 and doc_ids(settings) == set()
    assert set(failures(settings)) == {"alpha", "beta", "gamma"}
    fixed = run(dataclasses.replace(settings, force=force))  # the engine is back
    assert fixed.processed == 3 and fixed.failed == 0
    assert doc_ids(settings) == {"alpha", "beta", "gamma"} and failures(settings) == {}
    again = run(settings)
    assert again.processed == 0 and again.cached == 3


def test_index_entries_tell_content_and_failure() -> None:
    ok = DocResult("a", "k1")
    failed = process_document("/nonexistent/a.txt", "k1", Settings())
    assert cache.is_current(cache.index_entry(ok), "k1") and not cache.is_current(cache.index_entry(ok), "k2")
    assert not cache.is_current(cache.index_entry(failed), "k1")
    assert cache.index_entry(ok) != cache.index_entry(dataclasses.replace(ok, kind="text"))


# ---------------------------------------------------------------- 2. outputs are never wiped by mistake


def test_an_empty_raw_folder_refuses_to_wipe_earlier_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = settings_for(tmp_path, good_raw(tmp_path / "raw"))
    run(settings)
    before = {p.name: p.read_bytes() for p in settings.tables_dir.glob("*.csv")}
    empty = tmp_path / "mistyped"
    empty.mkdir()
    with pytest.raises(PipelineError, match="refusing to remove") as refused:
        run(dataclasses.replace(settings, raw_dir=empty))
    assert "--allow-empty" in refused.value.one_line()
    assert {p.name: p.read_bytes() for p in settings.tables_dir.glob("*.csv")} == before
    argv = ["extract", "--raw", str(empty), "--clean", str(settings.clean_dir), "--tables", str(settings.tables_dir)]
    assert cli.main(argv) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert doc_ids(settings) == {"alpha", "beta", "gamma"}
    cleared = run(dataclasses.replace(settings, raw_dir=empty, allow_empty=True))
    assert cleared.removed == 3 and doc_ids(settings) == set()


@pytest.mark.parametrize("flag", ["clean_dir", "tables_dir"])
def test_outputs_equal_to_or_inside_the_raw_folder_are_refused(tmp_path: Path, flag: str) -> None:
    raw = good_raw(tmp_path / "raw")
    for folder in (raw, raw / "out"):
        changes: dict[str, Any] = {flag: folder}
        with pytest.raises(PipelineError, match="inside --raw"):
            run(dataclasses.replace(settings_for(tmp_path, raw), **changes))
    assert sorted(p.name for p in raw.iterdir()) == ["alpha.txt", "beta.txt", "gamma.txt"]


# ---------------------------------------------------------------- 3. the raw folder as it is


def test_entries_that_are_no_documents_become_failure_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = good_raw(tmp_path / "raw")
    secret = tmp_path / "outside.txt"
    secret.write_text("Geheimnis außerhalb des Rohordners\n", encoding="utf-8")
    (raw / "outside.txt").symlink_to(secret)
    (raw / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    (raw / "zero.txt").symlink_to("/dev/zero")
    (raw / "folder").symlink_to(tmp_path)
    os.mkfifo(raw / "pipe.txt")
    (raw / "locked.txt").write_text("unlesbar\n", encoding="utf-8")
    (raw / ".DS_Store").write_bytes(b"\x00\x01")
    (raw / "sub").mkdir()
    (raw / "sub" / "alpha.txt").write_text("Eine andere Datei gleichen Namens.\n", encoding="utf-8")
    (raw / "inside.txt").symlink_to(raw / "beta.txt")  # a link within the folder is read
    if os.geteuid() == 0:
        os.mknod(raw / "device.txt", 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # /dev/zero's twin
    rng = random.Random(14)
    for number in range(3):
        (raw / f"noise{number}.bin").write_bytes(bytes(rng.randrange(256) for _ in range(3000)))
    refuse_to_open(monkeypatch, "locked.txt")
    real_survey = __import__("pipeline.run", fromlist=["survey"]).survey

    def with_vanished_file(raw_dir: Path):  # type: ignore[no-untyped-def]
        folder = real_survey(raw_dir)
        folder.files.append(raw_dir / "vanished.txt")  # found, then gone before it was read
        return folder

    monkeypatch.setattr("pipeline.run.survey", with_vanished_file)
    settings = settings_for(tmp_path, raw)
    summary = run(settings)
    assert {"alpha", "beta", "gamma", "inside"} <= doc_ids(settings)
    found = failures(settings)
    expected = {
        "outside": "outside the raw folder", "dangling": "missing file", "zero": "outside the raw folder",
        "folder": "folder", "pipe": "FIFO", "locked": "permission denied", "vanished": "vanished",
    }
    if os.geteuid() == 0:
        expected["device"] = "a device"
    for doc_id, reason in expected.items():
        assert reason in found[doc_id], (doc_id, found[doc_id])
        assert found[doc_id].startswith(doc_id), found[doc_id]
    assert "sub/alpha.txt" in found["alpha"] and "alpha.txt" in found["alpha"]
    assert all(f"noise{n}" in found for n in range(3))
    assert summary.hidden == [".DS_Store"]
    assert all("Geheimnis" not in p.read_text(encoding="utf-8") for p in settings.clean_dir.glob("*.txt"))


# ---------------------------------------------------------------- 4. file names


def test_undecodable_long_and_unnormalised_names(tmp_path: Path) -> None:
    raw = good_raw(tmp_path / "raw", ("alpha",))
    (raw / os.fsdecode(b"Bericht_\xe9t\xe9.txt")).write_text(GOOD["beta"], encoding="utf-8")
    (raw / ("a" * 245 + ".txt")).write_text(GOOD["gamma"], encoding="utf-8")
    (raw / unicodedata.normalize("NFC", "Müller.txt")).write_text(GOOD["alpha"], encoding="utf-8")
    (raw / unicodedata.normalize("NFD", "Müller.txt")).write_text(GOOD["beta"], encoding="utf-8")
    settings = settings_for(tmp_path, raw)
    run(settings)
    long_id = doc_id_for(raw / ("a" * 245 + ".txt"))
    assert len(long_id.encode()) <= 200
    assert {"alpha", "Bericht_\\xe9t\\xe9", long_id, "Müller"} <= doc_ids(settings)
    assert "already used" in failures(settings)["Müller"]
    for doc_id in doc_ids(settings):
        assert (settings.clean_dir / f"{doc_id}.txt").exists()
    assert run(settings).processed == 0  # all cached; the clash stays a failure row


# ---------------------------------------------------------------- 5. a worker process dies


def _dies_on_poison(path: str, key: str, settings: Settings) -> object:
    if "poison" in path:
        os._exit(1)  # as the out-of-memory killer would end it
    return process_or_plan(path, key, settings)


def _dies_alone_on_poison(path: str, key: str, settings: Settings) -> DocResult:
    if "poison" in path:
        os._exit(1)
    return process_document(path, key, settings)


def _waits_to_be_killed(path: str, key: str, settings: Settings) -> object:
    marker = Path(os.environ["FAULTS_PID_FILE"])
    if "victim" in path and not marker.exists():
        marker.with_suffix(".tmp").write_text(str(os.getpid()))
        marker.with_suffix(".tmp").rename(marker)
        time.sleep(120)
    return process_or_plan(path, key, settings)


def test_a_document_whose_worker_always_dies_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pipeline.scheduling.pool.process_or_plan", _dies_on_poison)
    monkeypatch.setattr("pipeline.scheduling.isolate.process_document", _dies_alone_on_poison)
    settings = settings_for(tmp_path, good_raw(tmp_path / "raw", ("alpha", "beta", "gamma", "poison")), jobs=2)
    summary = run(settings)
    assert doc_ids(settings) == {"alpha", "beta", "gamma"}
    assert set(failures(settings)) == {"poison"} and "worker process died" in failures(settings)["poison"]
    assert summary.failed == 1


def test_a_worker_killed_mid_run_costs_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "victim.pid"
    monkeypatch.setenv("FAULTS_PID_FILE", str(marker))
    monkeypatch.setattr("pipeline.scheduling.pool.process_or_plan", _waits_to_be_killed)

    def kill_victim() -> None:
        deadline = time.monotonic() + 120
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(int(marker.read_text()), signal.SIGKILL)

    killer = threading.Thread(target=kill_victim, daemon=True)
    killer.start()
    settings = settings_for(tmp_path, good_raw(tmp_path / "raw", ("alpha", "beta", "victim")), jobs=2)
    summary = run(settings)
    killer.join(timeout=5)
    assert doc_ids(settings) == {"alpha", "beta", "victim"} and failures(settings) == {}
    assert summary.processed == 3


# ---------------------------------------------------------------- 6. exports


def test_exports_are_rebuilt_when_damaged_missing_or_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import duckdb

    settings = settings_for(tmp_path, good_raw(tmp_path / "raw"))
    run(settings)
    database = settings.tables_dir / DATABASE_NAME
    database.write_bytes(database.read_bytes()[:100])  # truncated, as by a full disk
    (settings.tables_dir / "report.html").unlink()
    (settings.tables_dir / ".corpus.duckdb.tmp").write_bytes(b"left by kill -9")
    (settings.tables_dir / ".partners.csv.k9x2").write_text("half a table", encoding="utf-8")
    (settings.clean_dir / ".alpha.txt.k9x2").write_text("half a text", encoding="utf-8")
    run(settings)
    assert (settings.tables_dir / "report.html").exists()
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (3,)
    page = settings.tables_dir / TEXTS_FOLDER / "alpha.html"
    page.unlink()  # one of the report's text pages deleted by hand
    run(settings)
    assert page.exists()
    assert sorted(p.name for p in settings.tables_dir.glob(".*") if p.name != ".run.lock") == []
    assert not (settings.clean_dir / ".alpha.txt.k9x2").exists()

    def disk_full(*args: object) -> None:
        raise duckdb.IOException("No space left on device")

    (settings.raw_dir / "delta.txt").write_text(GOOD["beta"] + "Noch ein Satz.\n", encoding="utf-8")
    with monkeypatch.context() as patch:
        patch.setattr("pipeline.exports.database.create_views", disk_full)
        argv = ["extract", "--raw", str(settings.raw_dir), "--clean", str(settings.clean_dir),
                "--tables", str(settings.tables_dir), "--jobs", "1"]
        assert cli.main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "No space left on device" in err[0] and "export" in err[0]
    assert [p.name for p in settings.tables_dir.glob(".corpus.duckdb*")] == []
    run(settings)  # tables unchanged since, but the export did not finish: rebuilt
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (4,)


def _slow_for_beta(path: str, key: str, settings: Settings) -> Any:
    if "beta" in path:
        time.sleep(60)
    return process_or_plan(path, key, settings)


def test_a_pool_left_between_results_stops_its_workers_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C reaching the consumer while it handles a result closes the pool's generator: the workers (which
    leave SIGINT to the parent) are killed, not waited for."""
    from pipeline.scheduling import run_pending

    settings = settings_for(tmp_path, good_raw(tmp_path / "raw"), jobs=2)
    monkeypatch.setattr("pipeline.scheduling.pool.process_or_plan", _slow_for_beta)
    results = run_pending([(str(settings.raw_dir / f"{n}.txt"), "k") for n in ("alpha", "beta")], settings)
    assert next(results).doc_id == "alpha"
    started = time.monotonic()
    results.close()
    assert time.monotonic() - started < 20


def _half_a_result(result_queue: Any, *args: Any, **kwargs: Any) -> None:
    """A worker's result sent halfway: the length of a long message and a few of its bytes, then the worker
    hangs, as one does that is killed (by the time limit, a Ctrl-C or the out-of-memory killer) while it writes."""
    import struct

    os.write(result_queue._writer.fileno(), struct.pack("!i", 1 << 20) + b"half a result")
    time.sleep(600)


def test_a_worker_stopped_while_it_writes_its_result_does_not_hang_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pool's thread waits for the rest of a half-written result; once the pool kills its workers (here for
    the time limit) the pipe must end, or shutting the pool down waits for that thread for ever."""
    from pipeline.scheduling import run_resilient

    monkeypatch.setattr("concurrent.futures.process._sendback_result", _half_a_result)  # the workers fork with it
    settings = dataclasses.replace(
        settings_for(tmp_path, good_raw(tmp_path / "raw", ("alpha",)), jobs=2), max_seconds_per_document=2
    )
    results: list[DocResult] = []
    consumer = threading.Thread(
        target=lambda: results.extend(run_resilient([(str(settings.raw_dir / "alpha.txt"), "k")], settings)),
        daemon=True,
    )
    consumer.start()
    consumer.join(timeout=60)
    assert not consumer.is_alive(), "the pool's shutdown hangs on a half-written result"
    assert [r.doc_id for r in results] == ["alpha"]
    assert [f.error for f in results[0].failures] == ["TimedOut"]


# ---------------------------------------------------------------- 7. one run at a time


def test_a_second_run_on_the_same_outputs_is_refused(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, good_raw(tmp_path / "raw"))
    cache.ensure_dirs(settings)
    with exclusive_lock(settings.state_dir / "run.lock", "pid 4242"):
        with pytest.raises(PipelineError, match="another extract run \\(pid 4242\\)"):
            run(settings)
    assert run(settings).processed == 3  # the lock ends with its holder


# ---------------------------------------------------------------- 8. an interrupted run keeps its results


def test_a_run_killed_outright_leaves_no_worker_behind(tmp_path: Path) -> None:
    """SIGKILL of the run (no clean-up of its own): its workers end with it, so the next run on the same folders
    is not refused for locks that orphaned workers held."""
    import subprocess
    import sys

    import psutil

    raw = tmp_path / "raw"
    raw.mkdir()
    for index in range(40):
        (raw / f"doc{index}.txt").write_text(f"Die Stadt {index} ist am 3. Mai 2013 beigetreten.\n" * 400)
    command = [sys.executable, "-m", "pipeline", "extract", "--raw", str(raw), "--clean", str(tmp_path / "clean"),
               "--tables", str(tmp_path / "tables"), "--jobs", "2", "--progress", "never"]
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    children: list[psutil.Process] = []
    while len(children) < 3 and time.monotonic() < deadline:  # two workers and the exports' process
        children = psutil.Process(process.pid).children()
        time.sleep(0.05)
    assert len(children) >= 3
    process.kill()
    process.wait()
    _, alive = psutil.wait_procs(children, timeout=10)
    for orphan in alive:  # the test fails; the orphans go anyway
        orphan.kill()
    assert alive == []
    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr


def test_an_interrupted_run_keeps_the_results_it_finished(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    finished: list[str] = []

    def interrupted(pending: list[tuple[str, str]], settings: Settings, **_: object) -> Iterator[DocResult]:
        path, key = pending[0]
        result = process_document(path, key, settings)
        finished.append(result.doc_id)
        yield result
        raise KeyboardInterrupt

    settings = settings_for(tmp_path, good_raw(tmp_path / "raw"))
    with monkeypatch.context() as patch:
        patch.setattr("pipeline.run.run_resilient", interrupted)
        with pytest.raises(KeyboardInterrupt):
            run(settings)
    assert len(finished) == 1
    assert list(cache.load_index(settings)) == finished
    summary = run(settings)
    assert summary.processed == 2 and summary.cached == 1


# ---------------------------------------------------------------- 9. resource bounds and decoding


def test_limits_end_as_failure_rows(tmp_path: Path) -> None:
    raw = good_raw(tmp_path / "raw", ("alpha",))
    (raw / "long.txt").write_text("Ein Satz über die Initiative. " * 100, encoding="utf-8")
    depth = 100_000
    (raw / "deep.html").write_text("<html><body>" + "<div>x " * depth + "</div>" * depth + "</body></html>")
    settings = settings_for(tmp_path, raw, max_text_chars=1000)
    started = time.monotonic()
    run(settings)
    assert time.monotonic() - started < 60
    found = failures(settings)
    assert "more than the limit of 1,000" in found["long"] and "--max-text-chars" in found["long"]
    assert "nested more than 500 levels" in found["deep"]
    assert doc_ids(settings) == {"alpha"}


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-16"])
def test_wide_encodings_are_read_as_text(tmp_path: Path, codec: str) -> None:
    text = "Am 12. Mai 2021 trat die Stadt Köln der Initiative bei. Größe und Maß.\n"
    path = tmp_path / "wide.txt"
    path.write_bytes(text.encode(codec))
    assert detect_kind(path.read_bytes(), path.name) == "text"
    result = process_document(str(path), "k", Settings(clean_dir=tmp_path / "clean"))
    assert result.failures == ()
    assert "Köln" in (tmp_path / "clean" / "wide.txt").read_text(encoding="utf-8")


def test_nul_bytes_stray_ones_dropped_many_refused(tmp_path: Path) -> None:
    assert detect_kind(b"Ein Text\x00 mit einem NUL-Byte." + b" Und weiter." * 50, "x") == "text"
    with pytest.raises(InputError, match="binary"):
        detect_kind(b"ab\x00\x00cd\x00" * 100, "x")


def test_markers_in_text_do_not_make_it_pdf_or_html() -> None:
    assert detect_kind(b"Die Datei beginnt mit %PDF-1.7, sagt der Bericht.", "x") == "text"
    assert detect_kind(b"a<b und c>d, dazu <p> im Text", "x") == "text"
    assert detect_kind(b"  <!-- gespeichert --><div>Hallo</div>", "x") == "html"


# ---------------------------------------------------------------- property: no input stops the batch

_HTML_TAGS = st.sampled_from(["div", "p", "span", "section", "strong", "header", "nav", "li", "table", "td"])


@st.composite
def nested_html(draw: st.DrawFn) -> bytes:
    tags = draw(st.lists(_HTML_TAGS, min_size=1, max_size=2000))
    words = draw(st.lists(st.sampled_from(["Kontakt", "Hallo", "Köln", "x", ""]), min_size=1, max_size=5))
    opened = "".join(f"<{tag}>{words[i % len(words)]} " for i, tag in enumerate(tags))
    closed = "".join(f"</{tag}>" for tag in reversed(tags[: draw(st.integers(0, len(tags)))]))
    return f"<html><body>{opened}{closed}".encode()


_PDF_PIECES = st.sampled_from([
    b"%PDF-1.4\n", b"1 0 obj\n", b"<< /Type /Catalog /Pages 2 0 R >>\n", b"endobj\n", b"stream\n", b"endstream\n",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>\n", b"<< /Type /Page /MediaBox [0 0 14400 14400] >>\n",
    b"xref\n0 1\n", b"trailer << /Root 1 0 R >>\n", b"startxref\n9\n", b"%%EOF\n", b"\xff\xfe\x00",
])


@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.one_of(
    st.binary(max_size=3000),
    nested_html(),
    st.lists(_PDF_PIECES, max_size=20).map(lambda pieces: b"%PDF-1.7\n" + b"".join(pieces)),
))
def test_no_input_file_stops_the_batch(tmp_path: Path, payload: bytes) -> None:
    path = tmp_path / "hostile.bin"
    path.write_bytes(payload)
    started = time.monotonic()
    result = process_document(str(path), "k", Settings(clean_dir=tmp_path / "clean", jobs=1))
    assert isinstance(result, DocResult) and result.doc_id == "hostile"
    assert time.monotonic() - started < 60
    for failure in result.failures:
        assert failure.message.startswith("hostile.bin") and "\n" not in failure.message
