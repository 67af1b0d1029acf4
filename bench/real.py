"""Real-PDF rows of `make bench`: our throughput against the engines, in the same run, on the same files.

- born-digital: `../shared/realdev/pdf` (when present; its scans are left out) end to end with `--jobs N`,
  against poppler's `pdftotext` reading the same files one after the other in one process; both sides run
  `ROUNDS` times, alternating, and the ratio is that of the medians (one run of either is ±15% on a shared
  machine); then the same for the file with the most pages alone;
- scans: a small batch (3 PDFs, 6 pages) and a larger one (at least 24 pages), built from the seeds at 300 dpi:
  ours end to end against bare `tesseract -l deu` on the same page images (N at a time) and against
  `ocrmypdf --sidecar -l deu --jobs N`.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from pipeline.text import pdf_page_count
from tests.fixtures.build import Fixture, build_landtag_pdf, build_scan_pdf

ROOT = Path(__file__).resolve().parent.parent
REALDEV_PDF = ROOT.parent / "shared" / "realdev" / "pdf"
SCAN_MARKS = ("_scan", "_scan_OCR")
ROUNDS = 5  # runs of each side; the ratio is of the medians


def born_digital_rows(
    out: Path, jobs: int, run: Callable[..., object], rounds: int = ROUNDS
) -> list[tuple[str, str]]:
    """Our end-to-end time on the realdev born-digital PDFs against `pdftotext`'s: all of them, then the one
    with the most pages alone (where per-page speed counts, not the fixed costs of a run)."""
    if not REALDEV_PDF.is_dir():
        return [("real born-digital PDFs", f"{REALDEV_PDF} not present: skipped")]
    files = [p for p in sorted(REALDEV_PDF.glob("*.pdf")) if not p.stem.endswith(SCAN_MARKS)]
    pages = {path: pdf_page_count(str(path)) for path in files}
    largest = max(files, key=lambda path: (pages[path], path.name))
    rows = _against_poppler("real born-digital", files, pages, out / "real_pdf", jobs, run, rounds)
    return rows + _against_poppler(
        f"largest alone ({largest.name})", [largest], pages, out / "real_pdf_largest", jobs, run, rounds
    )


def _against_poppler(
    label: str, files: list[Path], pages: dict[Path, int], out: Path, jobs: int, run: Callable[..., object],
    rounds: int,
) -> list[tuple[str, str]]:
    raw = out / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for path in files:
        shutil.copy2(path, raw / path.name)
    ours: list[float] = []
    poppler: list[float] = []
    for _ in range(rounds):  # alternating, so that a busy moment of the machine falls on both sides alike
        ours.append(run(raw, out / "run", jobs, force=True).seconds)  # type: ignore[attr-defined]
        started = time.perf_counter()
        for path in files:
            subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True)
        poppler.append(time.perf_counter() - started)
    mine, theirs = statistics.median(ours), statistics.median(poppler)
    total = sum(pages[path] for path in files)
    return [
        (f"{label}: files / pages", f"{len(files)} / {total}"),
        (
            f"{label}: ours end to end",
            f"{mine:.2f} s, {total / mine:.1f} pages/s (--jobs {jobs}; median of {rounds}: {_spread(ours)})",
        ),
        (
            f"{label}: pdftotext (one process)",
            f"{theirs:.2f} s, {total / theirs:.1f} pages/s (median of {rounds}: {_spread(poppler)})",
        ),
        (f"RATIO {label} time ours / pdftotext", f"{mine / theirs:.2f}x"),
    ]


def _spread(seconds: list[float]) -> str:
    return f"{min(seconds):.2f}-{max(seconds):.2f} s"


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
