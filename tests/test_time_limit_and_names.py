"""Issue 14, the rest: a task over the wall-time limit is stopped and only its document fails; failures name the
file by its path within the raw folder and say what to do. Hostile inputs and faults are built here, in code."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from PIL import Image

from pipeline import cli
from pipeline.document import OcrFirst, process_document, process_or_plan
from pipeline.errors import EngineError
from pipeline.ingest import doc_id_for
from pipeline.records import DocResult
from pipeline.run import run
from pipeline.scheduling import run_alone
from pipeline.settings import Settings
from pipeline.tables import read_table
from pipeline.text import ocr
from tests.test_faults import GOOD, doc_ids, failures, good_raw, refuse_to_open, settings_for

# ---------------------------------------------------------------- a task over the time limit


def _note(name: str, text: str) -> None:
    """Tell the test what a worker is doing (a file named in $LIMIT_NOTES)."""
    Path(os.environ["LIMIT_NOTES"], name).write_text(text)


def _stuck_on_purpose(path: str, key: str, settings: Settings) -> object:
    """A document task that hangs in a program it started (as tesseract might), for the document named 'stuck'."""
    if "stuck" in path:
        child = subprocess.Popen(["sleep", "300"])
        _note("pids", f"{os.getpid()} {child.pid}")
        child.wait()
    return process_or_plan(path, key, settings)


def test_a_task_over_the_time_limit_is_stopped_and_the_others_finish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIMIT_NOTES", str(tmp_path))
    monkeypatch.setattr("pipeline.scheduling.pool.process_or_plan", _stuck_on_purpose)
    raw = good_raw(tmp_path / "raw", ("alpha", "beta", "gamma", "stuck", "delta", "epsilon"))
    # Long enough for a real document in a fresh worker (which loads the models) on a busy machine.
    settings = settings_for(tmp_path, raw, jobs=2, max_seconds_per_document=10)
    started = time.monotonic()
    summary = run(settings)
    assert time.monotonic() - started < 90
    assert doc_ids(settings) == {"alpha", "beta", "gamma", "delta", "epsilon"}
    found = failures(settings)
    assert set(found) == {"stuck"} and summary.failed == 1
    assert found["stuck"].startswith("stuck.txt: stopped after 10 seconds")
    assert "--max-seconds-per-document" in found["stuck"] and "\n" not in found["stuck"]
    worker, child = (int(pid) for pid in (tmp_path / "pids").read_text().split())
    for pid in (worker, child):  # killed, with the program it started
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


@dataclass(frozen=True)
class _Page:
    index: int


def _pauses_for_two_pages(path: str, key: str, settings: Settings) -> object:
    """'scan' pauses for two pages to OCR; the others are done at once (an empty result)."""
    if "scan" in path:
        return OcrFirst(path, key, None, (_Page(0), _Page(1)))
    return DocResult(doc_id_for(Path(path)), key)


def _page_two_hangs(page: _Page, settings: Settings) -> None:
    if page.index == 1:
        time.sleep(300)


def test_a_page_task_over_the_time_limit_fails_its_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pipeline.scheduling.pool.process_or_plan", _pauses_for_two_pages)
    monkeypatch.setattr("pipeline.text.ocr_page_image", _page_two_hangs)
    raw = good_raw(tmp_path / "raw", ("alpha", "beta", "scan", "delta"))
    settings = settings_for(tmp_path, raw, jobs=3, max_seconds_per_document=2)
    summary = run(settings)
    assert summary.processed == 4 and set(failures(settings)) == {"scan"}
    assert failures(settings)["scan"].startswith("scan.txt: stopped after 2 seconds in the OCR of page 2")


def _sleeps(path: str, key: str, settings: Settings) -> DocResult:
    time.sleep(300)
    raise AssertionError("not stopped")


def test_a_document_run_alone_keeps_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The suspects of a dead worker run one by one in a pool of their own: within the limit as well."""
    monkeypatch.setattr("pipeline.scheduling.isolate.process_document", _sleeps)
    raw = good_raw(tmp_path / "raw", ("alpha",))
    started = time.monotonic()
    result = run_alone(str(raw / "alpha.txt"), "k", settings_for(tmp_path, raw, max_seconds_per_document=1))
    assert time.monotonic() - started < 30
    assert [f.error for f in result.failures] == ["TimedOut"]
    assert result.failures[0].message.startswith("alpha.txt: stopped after 1 seconds")


def test_the_limit_is_a_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Settings] = []

    def noted(settings: Settings) -> object:
        seen.append(settings)
        return run(settings)

    monkeypatch.setattr("pipeline.run.run", noted)
    raw = good_raw(tmp_path / "raw", ("alpha",))
    argv = ["extract", "--raw", str(raw), "--clean", str(tmp_path / "clean"), "--tables", str(tmp_path / "tables"),
            "--jobs", "1", "--max-seconds-per-document", "42", "--max-megapixels", "20", "--ocr-dpi", "200"]
    assert cli.main(argv) == 0
    assert (seen[0].max_seconds_per_document, seen[0].max_megapixels, seen[0].ocr_dpi) == (42, 20, 200)
    assert Settings().max_seconds_per_document == 120


# ---------------------------------------------------------------- files named by their path within the raw folder


def test_source_file_keeps_the_subfolder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = good_raw(tmp_path / "raw", ("alpha",))
    (raw / "2021" / "mai").mkdir(parents=True)
    (raw / "2021" / "mai" / "delta.txt").write_text(GOOD["beta"], encoding="utf-8")
    (raw / "2021" / "alpha.txt").write_text(GOOD["gamma"], encoding="utf-8")  # the same stem, another folder
    (raw / "2021" / "mai" / "empty.txt").write_bytes(b"")
    settings = settings_for(tmp_path, raw)
    run(settings)
    sources = {row["doc_id"]: row["source_file"] for row in read_table(settings.tables_dir / "documents.csv")}
    assert sources == {"alpha": "2021/alpha.txt", "delta": "2021/mai/delta.txt"}  # the first path in order
    rows = {row["doc_id"]: row for row in read_table(settings.tables_dir / "failures.csv")}
    assert rows["empty"]["source_file"] == "2021/mai/empty.txt"
    assert rows["empty"]["message"].startswith("2021/mai/empty.txt: ")
    assert rows["alpha"]["message"].startswith("alpha.txt: doc_id 'alpha' already used by 2021/alpha.txt")


def test_an_unreadable_file_in_a_subfolder_is_named_by_its_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = good_raw(tmp_path / "raw", ("alpha",))
    (raw / "sub").mkdir()
    (raw / "sub" / "locked.txt").write_text("unlesbar\n", encoding="utf-8")
    refuse_to_open(monkeypatch, "locked.txt")
    settings = settings_for(tmp_path, raw)
    run(settings)
    assert failures(settings)["locked"].startswith("sub/locked.txt: cannot read file (permission denied): ")


# ---------------------------------------------------------------- messages name the file and the fix


def _scan_pdf(path: Path) -> Path:
    """An image-only page: no text layer, so the text stage needs OCR."""
    image = Image.new("L", (600, 800), 255)
    image.paste(0, (100, 100, 500, 140))
    image.save(path, "PDF", resolution=72.0)
    return path


def test_a_missing_tesseract_names_the_file_and_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    scan = _scan_pdf(raw / "scan.pdf")
    monkeypatch.setattr("pipeline.text.ocr.shutil.which", lambda name: None)
    ocr.check_tesseract.cache_clear()
    try:
        result = process_document(str(scan), "k", settings_for(tmp_path, raw))
    finally:
        ocr.check_tesseract.cache_clear()
    [failure] = result.failures
    assert failure.message.startswith("scan.pdf: needs OCR, but the tesseract program was not found on PATH: ")
    assert "make setup" in failure.message and "please report" not in failure.message


def test_tesseract_refusing_a_huge_image_says_to_lower_the_resolution() -> None:
    with pytest.raises(EngineError) as refused:
        ocr.ocr_image(Image.new("L", (33_000, 40), 255))  # the real engine: at most 32767 pixels a side
    assert "33000 x 40 pixels as too large" in refused.value.message
    assert refused.value.fix == "lower --ocr-dpi or --max-megapixels"


def _out_of_memory(*args: object) -> None:
    raise MemoryError


def test_known_failures_say_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = good_raw(tmp_path / "raw", ("alpha",))
    monkeypatch.setattr("pipeline.extract.clean_to_facts", _out_of_memory)
    [failure] = process_document(str(raw / "alpha.txt"), "k", settings_for(tmp_path, raw)).failures
    assert failure.message == "alpha.txt: ran out of memory: give each worker more memory (fewer --jobs) or split " \
        "the file (MemoryError in extract)"
