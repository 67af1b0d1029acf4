"""One `--jobs` budget for documents and page OCR: the process pool and the Dask backend give byte-identical
tables to a sequential run, also for a scanned document whose pages are OCRed as separate tasks."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.document import OcrFirst, finish_document, process_or_plan
from pipeline.run import run
from pipeline.settings import Settings
from tests.conftest import ROOT, Run, copy_seeds, make_settings

LINES = [
    ["Die Stadt Hamm ist der Partnerinitiative am 3. Mai 2018 beigetreten.", "Sie hat 1.250 Beschäftigte."],
    ["Der Kreis Unna unterzeichnete die Vereinbarung am 7. Juni 2018.", "Rund 40 Prozent nahmen teil."],
]


def _scanned_two_pages(path: Path) -> None:
    """An image-only PDF of two short pages (rendered with reportlab, rasterised, saved as images)."""
    from reportlab.pdfgen import canvas

    from tests.fixtures.build import render_pages

    source = path.with_suffix(".src.pdf")
    pdf = canvas.Canvas(str(source))
    for page in LINES:
        pdf.setFont("Helvetica", 14)
        for i, line in enumerate(page):
            pdf.drawString(60, 760 - 24 * i, line)
        pdf.showPage()
    pdf.save()
    images = render_pages(source, 200)
    source.unlink()
    images[0].save(path, "PDF", resolution=200.0, save_all=True, append_images=images[1:])


@pytest.fixture(scope="module")
def scan_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once: PDF writers stamp creation times, and every corpus must hold the very same bytes."""
    path = tmp_path_factory.mktemp("scan") / "scan_two_pages.pdf"
    _scanned_two_pages(path)
    return path


def _corpus(base: Path, scan: Path) -> Settings:
    raw = base / "raw"
    raw.mkdir(parents=True)
    shutil.copy2(scan, raw / scan.name)
    (raw / "note.txt").write_text((ROOT / "corpus" / "raw" / "004_07b6b2c8a2cd209a.txt").read_text(encoding="utf-8"))
    return make_settings(base, raw)


def _tables(settings: Settings) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(settings.tables_dir.glob("*.csv"))}


@pytest.fixture(scope="module")
def sequential(tmp_path_factory: pytest.TempPathFactory, scan_pdf: Path) -> Settings:
    settings = replace(_corpus(tmp_path_factory.mktemp("sequential"), scan_pdf), jobs=1)
    summary = run(settings)
    assert summary.processed == 2 and not summary.failures
    return settings


def test_the_sequential_run_reads_the_scan(sequential: Settings) -> None:
    text = (sequential.clean_dir / "scan_two_pages.txt").read_text(encoding="utf-8")
    assert "Stadt Hamm" in text and "Kreis Unna" in text


def test_a_split_document_task_pauses_for_its_pages_and_goes_on_from_its_layers(
    tmp_path: Path, scan_pdf: Path
) -> None:
    from pipeline.text import ocr_page_image

    settings = replace(_corpus(tmp_path, scan_pdf), split_ocr=True)
    scan = str(settings.raw_dir / "scan_two_pages.pdf")
    plan = process_or_plan(scan, "k", settings)
    assert isinstance(plan, OcrFirst) and [page.index for page in plan.pages] == [0, 1]
    assert all(Path(page.image).exists() for page in plan.pages)  # rendered once, by the document task
    for page in plan.pages:
        ocr_page_image(page, settings)
        assert Path(page.result).exists() and not Path(page.image).exists()
    result = finish_document(plan, settings)
    assert not result.failures and result.pages == 2
    again = process_or_plan(scan, "k", settings)  # every page cached now: no pause
    assert isinstance(again, type(result)) and again.facts == result.facts


def test_a_finishing_task_ocrs_a_page_whose_task_failed(tmp_path: Path, scan_pdf: Path) -> None:
    settings = replace(_corpus(tmp_path, scan_pdf), split_ocr=True)
    plan = process_or_plan(str(settings.raw_dir / "scan_two_pages.pdf"), "k", settings)
    assert isinstance(plan, OcrFirst)
    result = finish_document(plan, settings)  # no page task ran at all
    assert not result.failures and result.pages == 2


def test_process_pool_with_page_tasks_matches_sequential(
    tmp_path: Path, sequential: Settings, scan_pdf: Path
) -> None:
    settings = replace(_corpus(tmp_path, scan_pdf), jobs=2)
    summary = run(settings)
    assert summary.processed == 2 and not summary.failures
    entries = sorted(p.name for p in settings.ocr_cache_dir.glob("*.json"))
    # each page OCRed once, by its page task, cached by (file hash, page, resolution, language)
    assert len(entries) == 2 and all(e.startswith("page-") for e in entries)
    assert not list(settings.ocr_cache_dir.glob("pages/*.pgm"))  # no rendered page left behind
    assert _tables(settings) == _tables(sequential)


def test_dask_local_cluster_matches_local_run(
    tmp_path: Path, seed_run: Run, sequential: Settings, scan_pdf: Path
) -> None:
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        seeds = replace(make_settings(tmp_path / "seeds", copy_seeds(tmp_path / "seeds" / "raw")),
                        scheduler=cluster.scheduler_address)
        assert run(seeds).processed == 5
        scan = replace(_corpus(tmp_path / "scan", scan_pdf), scheduler=cluster.scheduler_address)
        summary = run(scan)
    assert summary.processed == 2 and not summary.failures
    assert _tables(seeds) == _tables(Settings(tables_dir=seed_run.tables))
    assert _tables(scan) == _tables(sequential)
