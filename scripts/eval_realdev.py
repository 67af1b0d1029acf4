"""`make eval`: the pipeline on the real documents of `../shared/realdev` (development only; never copied here).

- text/: every table scored against the hand-made gold with realdev's own scorer (`tools/score.py`);
- pdf/: each born-digital PDF's clean text against poppler's `pdftotext` reading with `tools/wordbag.py`
  (word-bag precision and recall), and our end-to-end seconds against poppler's on the same files.
Says so and exits 0 when the folder is not there (a fresh clone without the shared folder).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REALDEV = ROOT.parent / "shared" / "realdev"
SCANNED = ("_scan", "_scan_OCR")  # realdev names its scans so; they are OCR, not a poppler comparison


def extract(raw: Path, out: Path, jobs: int) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pipeline", "extract", "--raw", str(raw), "--clean", str(out / "clean"),
         "--tables", str(out / "tables"), "--jobs", str(jobs), "--force", "--progress", "never"],
        cwd=ROOT, check=False,
    )
    return time.perf_counter() - started


def eval_text(realdev: Path, out: Path, jobs: int) -> None:
    seconds = extract(realdev / "text" / "docs", out, jobs)
    print(f"== realdev/text: {len(list((realdev / 'text' / 'docs').iterdir()))} documents in {seconds:.1f} s")
    subprocess.run([sys.executable, str(realdev / "tools" / "score.py"), str(realdev / "text" / "gold"),
                    str(out / "tables")], check=False)


def eval_pdf(realdev: Path, out: Path, jobs: int) -> None:
    pdfs = sorted((realdev / "pdf").glob("*.pdf"))
    seconds = extract(realdev / "pdf", out, jobs)
    started = time.perf_counter()
    for pdf in pdfs:
        subprocess.run(["pdftotext", str(pdf), str(out / f"{pdf.stem}.poppler.txt")], check=False)
    poppler = time.perf_counter() - started
    print(f"== realdev/pdf: {len(pdfs)} PDFs, ours {seconds:.1f} s end to end (--jobs {jobs}), "
          f"poppler pdftotext {poppler:.1f} s (one process); ratio {seconds / max(poppler, 1e-9):.1f}x")
    for pdf in pdfs:
        clean = out / "clean" / f"{pdf.stem}.txt"
        kind = "scan" if pdf.stem.endswith(SCANNED) else "born-digital"
        if not clean.exists():
            print(f"{pdf.stem:<58} {kind:<13} FAILED (see {out / 'tables' / 'failures.csv'})")
            continue
        result = subprocess.run(
            [sys.executable, str(realdev / "tools" / "wordbag.py"), str(out / f"{pdf.stem}.poppler.txt"), str(clean)],
            capture_output=True, text=True, check=False,
        )
        print(f"{pdf.stem:<58} {kind:<13} {result.stdout.strip()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--realdev", type=Path, default=REALDEV)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", choices=("text", "pdf"), default=None)
    parser.add_argument("--out", type=Path, default=None, help="keep the outputs here (default: a temporary folder)")
    args = parser.parse_args(argv)
    if not args.realdev.is_dir():
        print(f"make eval: {args.realdev} is not there; nothing to score (it lives beside the project, never in it)")
        return 0
    out = args.out or Path(tempfile.mkdtemp(prefix="realdev-"))
    try:
        if args.only in (None, "text"):
            eval_text(args.realdev, out / "text", args.jobs)
        if args.only in (None, "pdf") and shutil.which("pdftotext"):
            eval_pdf(args.realdev, out / "pdf", args.jobs)
    finally:
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
