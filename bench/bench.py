"""`make bench`: a synthetic corpus built from the seed texts, run cold and warm; prints ratios, not verdicts.

Reports pages/s per input kind and per stage, peak memory of the whole process tree, the warm no-op re-run time,
and, in the same run on the same scanned PDFs, our OCR throughput against `ocrmypdf --sidecar -l deu --jobs N`
with both character error rates. Sizes are flags; the default takes a few minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz.distance import Levenshtein  # noqa: E402

from pipeline.clean import fix_and_explain  # noqa: E402
from tests.fixtures.build import (  # noqa: E402
    Fixture,
    build_landtag_pdf,
    build_press_html,
    build_scan_pdf,
    seed_paragraphs,
)

SEED_PREFIXES = ("000_", "001_", "003_", "004_")


@dataclass
class RunStats:
    seconds: float
    peak_mb: float
    returncode: int


def run_pipeline(raw: Path, out: Path, jobs: int, force: bool) -> RunStats:
    """Run `python -m pipeline extract` in a subprocess, sampling the RSS of its whole process tree."""
    import psutil

    args = [sys.executable, "-m", "pipeline", "extract", "--raw", str(raw), "--clean", str(out / "clean"),
            "--tables", str(out / "tables"), "--jobs", str(jobs), "--progress", "never"]
    if force:
        args.append("--force")
    started = time.perf_counter()
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        root = psutil.Process(process.pid)
        while not done.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()) / 2**20)
            except psutil.Error:
                pass
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    if process.returncode not in (0, 1):
        print(stderr.decode(errors="replace"), file=sys.stderr)
    return RunStats(seconds, peak, process.returncode)


def stage_seconds(out: Path) -> tuple[dict[str, float], int]:
    """Summed per-stage seconds and pages over the documents of one run (from the cached results)."""
    totals: dict[str, float] = {}
    pages = 0
    for path in (out / "clean" / ".state" / "results").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        pages += data.get("pages", 0)
        for stage, seconds in data.get("timings", []):
            totals[stage] = totals.get(stage, 0.0) + seconds
    return totals, pages


def last_run_phases(out: Path) -> dict[str, float]:
    """Wall seconds per phase of the last run (plan, documents, tables, exports), as the pipeline logged them."""
    path = out / "clean" / ".state" / "last_run.json"
    return dict(json.loads(path.read_text(encoding="utf-8"))["phases"]) if path.exists() else {}


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate on whitespace-normalised text."""
    ref, hyp = " ".join(reference.split()), " ".join(hypothesis.split())
    return Levenshtein.distance(ref, hyp) / max(1, len(ref))


# ---------------------------------------------------------------- corpus


def other_paragraphs() -> list[str]:
    """The clean paragraphs of the golden cases and held-out documents (tests/cases, tests/holdout): those that
    read as clean German (some cases are mojibake or OCR damage on purpose; in a born-digital PDF they would
    send pages to OCR)."""
    from pipeline.text import text_quality

    paragraphs = []
    for path in sorted(ROOT.glob("tests/*/docs/*.txt")):
        for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            text = " ".join(block.split())
            if len(text) > 40 and text_quality(text) >= 0.97:
                paragraphs.append(text)
    return paragraphs


def rotated(paragraphs: list[str], shift: int, count: int) -> list[str]:
    """`count` paragraphs starting at `shift`, cycling through the list."""
    return [paragraphs[(shift + i) % len(paragraphs)] for i in range(count)]


def build_corpus(base: Path, pdf_docs: int, scan_docs: int, text_docs: int, html_docs: int) -> dict[str, list[Fixture]]:
    seeds = {prefix: seed_paragraphs(prefix) for prefix in SEED_PREFIXES}
    kinds: dict[str, list[Fixture]] = {"pdf": [], "scan": [], "text": [], "html": []}
    for kind in kinds:
        (base / kind).mkdir(parents=True, exist_ok=True)
    extra = other_paragraphs()
    for i in range(pdf_docs):
        # one of the two Drucksachen, plus a varying run of paragraphs from the hand-written cases, so that the
        # corpus is not two texts over and over (caches of words and names would flatter the throughput)
        source = seeds[SEED_PREFIXES[i % 2]] + rotated(extra, 7 * i, 6)
        kinds["pdf"].append(build_landtag_pdf(base / "pdf" / f"ds_{i:04d}.pdf", source, number=f"16/{1000 + i}"))
    tmp = base / "_sources"
    tmp.mkdir(exist_ok=True)
    for i in range(scan_docs):
        paragraphs = rotated(seeds["001_"] + seeds["004_"], 5 * i, 24)
        source = build_landtag_pdf(tmp / f"src_{i}.pdf", paragraphs, number=f"16/{2000 + i}")
        kinds["scan"].append(build_scan_pdf(base / "scan" / f"scan_{i:03d}.pdf", source, 300))
    shutil.rmtree(tmp)
    raw_texts = [next((ROOT / "corpus" / "raw").glob(f"{p}*.txt")).read_text(encoding="utf-8") for p in SEED_PREFIXES]
    for i in range(text_docs):
        path = base / "text" / f"txt_{i:05d}.txt"
        text = raw_texts[i % len(raw_texts)] + f"\n\nAktenzeichen bench-{i}\n"
        path.write_text(text, encoding="utf-8")
        kinds["text"].append(Fixture("text", path, text, 1))
    for i in range(html_docs):
        paragraphs = rotated(seeds["003_"], 0, len(seeds["003_"]))
        date = f"20{10 + i % 12:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        kinds["html"].append(build_press_html(base / "html" / f"pm_{i:03d}.html", paragraphs, date))
    return kinds


# ---------------------------------------------------------------- OCRmyPDF


def run_ocrmypdf(fixtures: list[Fixture], out: Path, jobs: int) -> tuple[float, float] | None:
    """Seconds and mean CER of `ocrmypdf --sidecar -l deu --jobs N` over the same scans (None if missing)."""
    if shutil.which("ocrmypdf") is None:
        return None
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    errors = []
    for fixture in fixtures:
        sidecar = out / f"{fixture.path.stem}.txt"
        subprocess.run(
            ["ocrmypdf", "--sidecar", str(sidecar), "-l", "deu", "--jobs", str(jobs), "--quiet",
             str(fixture.path), str(out / fixture.path.name)],
            check=True, capture_output=True,
        )
        theirs = fix_and_explain(sidecar.read_text(encoding="utf-8"), record=False)[0]  # our de-hyphenation
        errors.append(cer(body_text(fixture.reference, fixture), body_text(theirs, fixture)))
    return time.perf_counter() - started, sum(errors) / len(errors)


_PUBLICATION_NOTE = re.compile(r"Die\s+Veröffentlichungen\s+des\s+Landtags.*?landtag\.nrw\.de", re.DOTALL)


def body_text(text: str, fixture: Fixture) -> str:
    """The body of a page-furnished text: header/footer strings and page-number lines removed.

    Applied alike to the reference, our text and OCRmyPDF's sidecar (which keeps furniture in place), so
    the CERs compare the OCR of the body, not where each tool puts a footer."""
    for furniture in fixture.boilerplate:
        text = re.sub(re.escape(furniture), " ", text, flags=re.IGNORECASE)
    text = _PUBLICATION_NOTE.sub(" ", text)
    return "\n".join(line for line in text.replace("\f", "\n").splitlines() if not line.strip().isdigit())


def our_cer(fixtures: list[Fixture], out: Path) -> float:
    """Mean CER of our clean text; a document that failed counts as fully wrong."""
    errors = []
    for fixture in fixtures:
        clean = out / "clean" / f"{fixture.path.stem}.txt"
        ours = body_text(clean.read_text(encoding="utf-8"), fixture) if clean.exists() else ""
        errors.append(cer(body_text(fixture.reference, fixture), ours) if clean.exists() else 1.0)
    return sum(errors) / max(1, len(errors))


# ---------------------------------------------------------------- report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pdf-docs", type=int, default=400, help="born-digital PDFs (2-3 pages each)")
    parser.add_argument("--scan-docs", type=int, default=4, help="scanned PDFs at 300 dpi (3-4 pages each)")
    parser.add_argument("--text-docs", type=int, default=1000, help="text documents (for the warm re-run)")
    parser.add_argument("--html-docs", type=int, default=40, help="HTML press releases")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--no-real", action="store_true", help="skip the real-PDF and scan-batch comparisons")
    args = parser.parse_args(argv)

    shutil.rmtree(args.out, ignore_errors=True)
    print(f"building corpus in {args.out} ...", flush=True)
    corpus = build_corpus(args.out / "corpus", args.pdf_docs, args.scan_docs, args.text_docs, args.html_docs)
    rows: list[tuple[str, str]] = []
    for kind, fixtures in corpus.items():
        if not fixtures:
            continue
        out = args.out / "run" / kind
        cold = run_pipeline(args.out / "corpus" / kind, out, args.jobs, force=True)
        phases = last_run_phases(out)  # before the warm run replaces the log
        warm = run_pipeline(args.out / "corpus" / kind, out, args.jobs, force=False)
        stages, pages = stage_seconds(out)
        rows.append((f"{kind}: documents / pages", f"{len(fixtures)} / {pages}"))
        rows.append((f"{kind}: cold run", f"{cold.seconds:.1f} s, {pages / cold.seconds:.1f} pages/s, "
                     f"peak {cold.peak_mb:.0f} MB"))
        rows.append((f"{kind}: warm no-op re-run", f"{warm.seconds:.2f} s"))
        per_stage = ", ".join(f"{s} {pages / t:.0f}" for s, t in stages.items() if t > 0)
        rows.append((f"{kind}: pages/s per stage (one worker)", per_stage))
        if kind == "scan":
            ours_pps = pages / max(phases.get("documents", cold.seconds), 1e-9)
            rows.append(("scan: run phases (cold)", ", ".join(f"{k} {v:.2f} s" for k, v in phases.items())))
            rows.append(("scan: our CER (body text)", f"{our_cer(fixtures, out):.4f}"))
            theirs = run_ocrmypdf(fixtures, args.out / "ocrmypdf", args.jobs)
            if theirs is None:
                rows.append(("scan: ocrmypdf", "not installed (apt-get install ocrmypdf)"))
            else:
                seconds, their_cer = theirs
                rows.append(("scan: ocrmypdf --sidecar -l deu", f"{seconds:.1f} s, {pages / seconds:.2f} pages/s, "
                             f"CER {their_cer:.4f} (body text; our de-hyphenation applied)"))
                rows.append(("RATIO OCR throughput ours / ocrmypdf (documents phase: OCR, clean, extract)",
                             f"{ours_pps / (pages / seconds):.2f}x"))
                rows.append(("OCR throughput ours / ocrmypdf (end to end: also tables, Parquet, DuckDB, report)",
                             f"{(pages / cold.seconds) / (pages / seconds):.2f}x"))
        if kind == "pdf":
            text_time = sum(stages.get(s, 0.0) for s in ("ingest", "text", "clean", "repair", "extract"))
            rows.append(("born-digital run phases (cold)", ", ".join(f"{k} {v:.2f} s" for k, v in phases.items())))
            rows.append(("RATIO born-digital text+clean+extract pages/s (all workers, documents phase)",
                         f"{pages / max(phases.get('documents', cold.seconds), 1e-9):.1f}"))
            rows.append(("RATIO born-digital pages/s (cold, end to end: start-up, tables, exports)",
                         f"{pages / cold.seconds:.1f}"))
            rows.append(("born-digital pages/s per worker (text+clean+extract)", f"{pages / max(text_time, 1e-9):.1f}"))
        if kind == "text":
            rows.append((f"RATIO warm re-run over {len(fixtures)} unchanged docs", f"{warm.seconds:.2f} s"))
            rows.append((f"RATIO peak memory at {len(fixtures)} docs", f"{cold.peak_mb:.0f} MB"))
    if not args.no_real:
        from real import born_digital_rows, scan_rows  # bench/real.py, beside this script

        rows += born_digital_rows(args.out, args.jobs, run_pipeline)
        rows += scan_rows(args.out, args.jobs, run_pipeline, run_ocrmypdf)
    width = max(len(k) for k, _ in rows)
    print()
    print(f"benchmark (jobs={args.jobs}, cores={os.cpu_count()})")
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
