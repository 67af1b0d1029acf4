"""Every input kind end to end through `python -m pipeline extract`, on fixtures built from the seed texts.

One small scan runs through real Tesseract (no recording); the OCR cache is checked by a second run.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.build import Fixture, build_all, cer, survivors

TARGET = {"born_digital": 0.002, "two_column": 0.002, "html": 0.002, "scan": 0.01, "bad_layer": 0.01}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Fixture], Path]:
    base = tmp_path_factory.mktemp("text_inputs")
    fixtures = build_all(base / "raw", small=True)
    command = [
        sys.executable, "-m", "pipeline", "extract", "--raw", str(base / "raw"),
        "--clean", str(base / "clean"), "--tables", str(base / "tables"), "--jobs", "2",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return fixtures, base


def _documents(base: Path) -> dict[str, dict[str, str]]:
    with open(base / "tables" / "documents.csv", encoding="utf-8", newline="") as handle:
        return {row["doc_id"]: row for row in csv.DictReader(handle)}


KINDS = ["born_digital", "two_column", "html", "scan", "bad_layer"]


@pytest.mark.parametrize("kind", KINDS)
def test_clean_text_is_faithful(extracted: tuple[list[Fixture], Path], kind: str) -> None:
    fixtures, base = extracted
    fixture = next(f for f in fixtures if f.kind == kind)
    clean = (base / "clean" / f"{fixture.path.stem}.txt").read_text(encoding="utf-8")
    assert cer(fixture.reference, clean) < TARGET[kind]
    assert survivors(fixture, clean) == []


@pytest.mark.parametrize(
    ("kind", "text_source", "pages"),
    [("born_digital", "text_layer", None), ("html", "html", ""), ("scan", "ocr", "1"), ("bad_layer", "ocr", "1")],
)
def test_documents_row_tells_where_the_text_came_from(
    extracted: tuple[list[Fixture], Path], kind: str, text_source: str, pages: str | None
) -> None:
    fixtures, base = extracted
    fixture = next(f for f in fixtures if f.kind == kind)
    row = _documents(base)[fixture.path.stem]
    assert row["text_source"] == text_source
    assert row["pages"] == (str(fixture.pages) if pages is None else pages)
    assert 0.9 <= float(row["text_quality"]) <= 1.0


def test_page_of_every_character_is_kept(extracted: tuple[list[Fixture], Path]) -> None:
    import json

    fixtures, base = extracted
    fixture = next(f for f in fixtures if f.kind == "born_digital")
    state = json.loads((base / "clean" / ".state" / "clean" / f"{fixture.path.stem}.json").read_text())
    assert len(state["page_starts"]) == fixture.pages
    text = (base / "clean" / f"{fixture.path.stem}.txt").read_text(encoding="utf-8")
    assert text.index("Drucksache 16/850") < state["page_starts"][1]  # the page-1 header stays on page 1


def test_raw_records_note_ocr_decisions(extracted: tuple[list[Fixture], Path]) -> None:
    import json

    fixtures, base = extracted
    raw = {
        f.kind: json.loads((base / "clean" / ".state" / "raw" / f"{f.path.stem}.json").read_text()) for f in fixtures
    }
    assert all(page["source"] == "ocr" for page in raw["bad_layer"]["pages"])
    assert "umlauts in" in raw["bad_layer"]["pages"][0]["note"]
    scan_page = raw["scan"]["pages"][0]
    assert scan_page["source"] == "ocr" and scan_page["confidence"] > 80
    assert "rotated 90 degrees" in scan_page["note"]
    assert raw["scan"]["ocr_confidence"] == scan_page["confidence"]
    assert raw["born_digital"]["ocr_confidence"] is None


def test_second_run_reuses_the_ocr_cache(extracted: tuple[list[Fixture], Path]) -> None:
    from pipeline.text import ocr

    fixtures, base = extracted
    cached = sorted((base / "clean" / ".ocr-cache").glob("*.json"))
    assert len(cached) >= 2  # the scan page and the bad-layer page
    from pipeline.ingest import ingest
    from pipeline.settings import Settings
    from pipeline.text import source_to_raw_text

    def no_engine(*args: object, **kwargs: object) -> None:
        raise AssertionError("Tesseract ran although the page is cached")

    scan = next(f for f in fixtures if f.kind == "scan")
    source, data = ingest(scan.path)
    patch = pytest.MonkeyPatch()
    patch.setattr(ocr, "ocr_image", no_engine)
    try:
        raw = source_to_raw_text(source, data, Settings(clean_dir=base / "clean"))
    finally:
        patch.undo()
    assert raw.pages[0].source == "ocr"
