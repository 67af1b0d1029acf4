"""Resource bounds of the text stage: a poster-sized or hostile page is rendered for OCR within
`Settings.max_megapixels`, not at full resolution (a 200-inch page at 300 dpi would need ~3.6 gigapixels)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest import ingest
from pipeline.settings import Settings
from pipeline.text import ocr, source_to_raw_text


def _huge_page_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=(14400, 14400))  # 200 x 200 inches, the largest page PDF allows
    pdf.setFont("Helvetica", 900)
    pdf.drawString(600, 7000, "Riesige Seite")  # a short layer: the page goes to OCR
    pdf.showPage()
    pdf.save()
    return path


def test_a_200_inch_page_is_rendered_within_the_pixel_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    real = ocr.ocr_page

    def measuring(image: object, lang: str, cache_dir: Path | None = None) -> ocr.OcrResult:
        seen.append(image.width * image.height)  # type: ignore[attr-defined]
        return real(image, lang, cache_dir)  # type: ignore[arg-type]

    monkeypatch.setattr("pipeline.text.pdf.ocr_page", measuring)
    source, data = ingest(_huge_page_pdf(tmp_path / "huge.pdf"))
    settings = Settings(clean_dir=tmp_path / "clean", max_megapixels=4.0)
    raw = source_to_raw_text(source, data, settings)
    assert seen and max(seen) <= 4.0e6 * 1.01
    assert raw.pages[0].source == "ocr" and "Riesige" in raw.pages[0].text
