"""A long PDF's text layers are read in shares of its pages, one page task per worker, and handed to its document
task: the same layers, clean text and tables as reading it in one go, and the file is not read again."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import text
from pipeline.ingest import ingest
from pipeline.run import run
from pipeline.settings import Settings
from pipeline.text import (
    PAGES_PER_SHARE,
    pages_of_share,
    pdf_page_count,
    plan_pdf,
    read_share,
    share_count,
    shares_of_file,
)
from tests.conftest import make_settings
from tests.fixtures.build import build_landtag_pdf, seed_paragraphs


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Drucksache of about 20 pages, typeset once (PDF writers stamp creation times)."""
    path = tmp_path_factory.mktemp("long") / "long_drucksache.pdf"
    paragraphs = (seed_paragraphs("001_") + seed_paragraphs("004_")) * 4
    build_landtag_pdf(path, paragraphs, number="16/4711")
    return path


def _settings(base: Path, pdf: Path, jobs: int) -> Settings:
    raw = base / "raw"
    raw.mkdir(parents=True)
    shutil.copy2(pdf, raw / pdf.name)
    (raw / "short.txt").write_text("Die Stadt Hamm ist am 3. Mai 2018 beigetreten.\n", encoding="utf-8")
    return make_settings(base, raw, jobs=jobs)


@given(st.integers(0, 2000), st.integers(1, 16))
def test_shares_cover_every_page_once_in_order(pages: int, workers: int) -> None:
    shares = share_count(pages, workers)
    assert 1 <= shares <= workers
    assert shares == 1 or pages // shares >= PAGES_PER_SHARE
    covered = [page for share in range(shares) for page in pages_of_share(pages, share, shares)]
    assert covered == list(range(pages))


def test_a_long_pdf_is_shared_among_workers_and_a_short_one_or_a_text_is_not(long_pdf: Path, tmp_path: Path) -> None:
    pages = pdf_page_count(str(long_pdf))
    assert pages >= 2 * PAGES_PER_SHARE
    assert shares_of_file(str(long_pdf), 2) == 2
    assert shares_of_file(str(long_pdf), 1) == 1  # one worker: nothing to share with
    note = tmp_path / "note.txt"
    note.write_text("%PDF-1.4 is quoted here, but this is no PDF\n" * 3, encoding="utf-8")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + b"\x00" * 500)
    assert shares_of_file(str(note), 2) == 1 and shares_of_file(str(broken), 2) == 1
    assert shares_of_file(str(tmp_path / "missing.pdf"), 2) == 1


def test_layers_read_in_shares_equal_layers_read_at_once(
    long_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _settings(tmp_path, long_pdf, jobs=2)
    source, data = ingest(settings.raw_dir / long_pdf.name, settings.raw_dir)
    at_once, _ = plan_pdf(source, data, settings)
    shares = tuple(read_share(str(long_pdf), share, 2) for share in (1, 0))  # in any order
    assert all(share is not None for share in shares)

    def must_not_open(*args: object) -> None:
        raise AssertionError("the document task opened a PDF whose layers it was given")

    monkeypatch.setattr("pipeline.text.pdf.open_pdf", must_not_open)
    in_shares, images = plan_pdf(source, data, settings, shares)  # type: ignore[arg-type]
    assert in_shares == at_once and images == ()


def test_shares_that_do_not_cover_the_file_are_not_used(long_pdf: Path, tmp_path: Path) -> None:
    settings = _settings(tmp_path, long_pdf, jobs=2)
    source, data = ingest(settings.raw_dir / long_pdf.name, settings.raw_dir)
    at_once, _ = plan_pdf(source, data, settings)
    first = read_share(str(long_pdf), 0, 2)
    assert first is not None and 0 < first.size < first.count and len(first.pages()) == first.size
    assert plan_pdf(source, data, settings, (first,))[0] == at_once  # read again, all of it


def test_a_share_of_an_unreadable_file_is_none(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\n")
    assert read_share(str(broken), 0, 2) is None
    assert read_share(str(tmp_path / "gone.pdf"), 1, 2) is None


_MARKS = "PIPELINE_TEST_SHARE_MARKS"


def _noting_read_share(path: str, share: int, shares: int) -> object:
    """`read_share` that leaves a mark per call (it runs in a worker process, forked from the test)."""
    Path(os.environ[_MARKS], f"{Path(path).stem}-{share}-of-{shares}").touch()
    return read_share(path, share, shares)


@pytest.fixture(scope="module")
def read_alone(long_pdf: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = _settings(tmp_path_factory.mktemp("alone"), long_pdf, jobs=1)
    assert run(settings).processed == 2
    return settings


def _same_outputs(ours: Settings, theirs: Settings) -> bool:
    pairs = [(ours.clean_dir, theirs.clean_dir, ".txt"), (ours.tables_dir, theirs.tables_dir, ".csv")]
    files = [(mine / p.name, p) for mine, folder, suffix in pairs for p in sorted(folder.glob(f"*{suffix}"))]
    return len(files) > 2 and all(mine.read_bytes() == p.read_bytes() for mine, p in files)


def test_a_pool_reads_a_long_pdf_in_shares_with_the_same_result(
    long_pdf: Path, read_alone: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    monkeypatch.setenv(_MARKS, str(marks))
    monkeypatch.setattr(text, "read_share", _noting_read_share)
    pool = _settings(tmp_path / "pool", long_pdf, jobs=2)
    summary = run(pool)
    assert summary.processed == 2 and not summary.failures
    assert sorted(p.name for p in marks.iterdir()) == ["long_drucksache-0-of-2", "long_drucksache-1-of-2"]
    assert _same_outputs(pool, read_alone)


def _second_share_fails(path: str, share: int, shares: int) -> object:
    return None if share == 1 else read_share(path, share, shares)


def test_a_share_that_could_not_be_read_is_read_by_its_document(
    long_pdf: Path, read_alone: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(text, "read_share", _second_share_fails)
    pool = _settings(tmp_path / "pool", long_pdf, jobs=2)
    summary = run(pool)
    assert summary.processed == 2 and not summary.failures
    assert _same_outputs(pool, read_alone)


def test_a_dask_cluster_reads_a_long_pdf_in_shares_with_the_same_result(
    long_pdf: Path, read_alone: Settings, tmp_path: Path
) -> None:
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        settings = replace(_settings(tmp_path, long_pdf, jobs=2), scheduler=cluster.scheduler_address)
        summary = run(settings)
    assert summary.processed == 2 and not summary.failures
    assert _same_outputs(settings, read_alone)
