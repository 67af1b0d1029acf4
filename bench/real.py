"""Real-PDF rows of `make bench`: our throughput against the engines, in the same run, on the same files.

- born-digital: `../shared/realdev/pdf` (when present; its scans are left out) end to end with `--jobs N`,
  against poppler's `pdftotext` reading the same files one after the other in one process;
- scans: a small batch (3 PDFs, 6 pages) and a larger one (at least 24 pages), built from the seeds at 300 dpi:
  ours end to end against bare `tesseract -l deu` on the same page images (N at a time) and against
  `ocrmypdf --sidecar -l deu --jobs N`.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from pipeline.text import pdf_page_count
from tests.fixtures.build import Fixture, build_landtag_pdf, build_scan_pdf

ROOT = Path(__file__).resolve().parent.parent
REALDEV_PDF = ROOT.parent / "shared" / "realdev" / "pdf"
SCAN_MARKS = ("_scan", "_scan_OCR")


def born_digital_rows(out: Path, jobs: int, run: Callable[..., object]) -> list[tuple[str, str]]:
    if not REALDEV_PDF.is_dir():
        return [("real born-digital PDFs", f"{REALDEV_PDF} not present: skipped")]
    raw = out / "real_pdf" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    files = [p for p in sorted(REALDEV_PDF.glob("*.pdf")) if not p.stem.endswith(SCAN_MARKS)]
    for path in files:
        shutil.copy2(path, raw / path.name)
    pages = sum(pdf_page_count(str(p)) for p in files)
    ours = run(raw, out / "real_pdf" / "run", jobs, force=True).seconds  # type: ignore[attr-defined]
    started = time.perf_counter()
    for path in files:
        subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True)
    poppler = time.perf_counter() - started
    return [
        ("real born-digital PDFs: files / pages", f"{len(files)} / {pages}"),
        ("real born-digital: ours end to end", f"{ours:.2f} s, {pages / ours:.1f} pages/s (--jobs {jobs})"),
        ("real born-digital: pdftotext (one process)", f"{poppler:.2f} s, {pages / poppler:.1f} pages/s"),
        ("RATIO real born-digital time ours / pdftotext", f"{ours / poppler:.2f}x"),
    ]


def scan_batch(base: Path, docs: int, paragraphs: int) -> list[Fixture]:
    from tests.fixtures.build import seed_paragraphs

    source_paragraphs = seed_paragraphs("001_") + seed_paragraphs("004_")
    tmp = base / "_sources"
    tmp.mkdir(parents=True, exist_ok=True)
    (base / "raw").mkdir(parents=True, exist_ok=True)
    fixtures = []
    for i in range(docs):
        chosen = [source_paragraphs[(3 * i + k) % len(source_paragraphs)] for k in range(paragraphs)]
        source = build_landtag_pdf(tmp / f"src_{i}.pdf", chosen, number=f"16/{3000 + i}")
        fixtures.append(build_scan_pdf(base / "raw" / f"scan_{i:03d}.pdf", source, 300))
    shutil.rmtree(tmp)
    return fixtures


def bare_tesseract(fixtures: list[Fixture], out: Path, jobs: int) -> float:
    """Seconds for `tesseract -l deu` over the page images (rendered beforehand, not timed), `jobs` at a time."""
    images = out / "images"
    images.mkdir(parents=True, exist_ok=True)
    for fixture in fixtures:
        subprocess.run(["pdftoppm", "-r", "300", "-gray", str(fixture.path), str(images / fixture.path.stem)],
                       check=True)
    pages = sorted(images.glob("*.pgm"))
    started = time.perf_counter()
    subprocess.run(
        ["xargs", "-P", str(jobs), "-I{}", "tesseract", "{}", "{}", "-l", "deu", "--psm", "3"],
        input="\n".join(str(p) for p in pages), text=True, check=True, capture_output=True,
        env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin:/usr/local/bin"},
    )
    return time.perf_counter() - started


def scan_rows(
    out: Path, jobs: int, run: Callable[..., object], ocrmypdf: Callable[..., object]
) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for label, docs, paragraphs in (("small", 3, 11), ("larger", 4, 56)):  # about 2 and 6 pages each
        base = out / f"scan_{label}"
        fixtures = scan_batch(base, docs, paragraphs)
        pages = sum(f.pages for f in fixtures)
        ours = run(base / "raw", base / "run", jobs, force=True).seconds  # type: ignore[attr-defined]
        engine = bare_tesseract(fixtures, base / "tesseract", jobs)
        theirs = ocrmypdf(fixtures, base / "ocrmypdf", jobs)
        rows.append((f"scans {label}: files / pages", f"{docs} / {pages}"))
        rows.append((f"scans {label}: ours end to end", f"{ours:.1f} s, {pages / ours:.2f} pages/s"))
        rows.append((f"scans {label}: bare tesseract -l deu ({jobs} at a time)", f"{engine:.1f} s"))
        rows.append((f"RATIO scans {label}: time ours / bare tesseract", f"{ours / engine:.2f}x"))
        if theirs is not None:
            seconds = theirs[0]  # type: ignore[index]
            rows.append((f"scans {label}: ocrmypdf --sidecar -l deu --jobs {jobs}", f"{seconds:.1f} s"))
            rows.append((f"RATIO scans {label}: throughput ours / ocrmypdf", f"{seconds / ours:.2f}x"))
    return rows
