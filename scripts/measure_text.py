"""Measure the text stage on fixtures built from the seed texts (see tests/fixtures/build.py).

For each fixture: character error rate (CER) of the clean text against the text that was rendered into it
(whitespace collapsed on both sides), whether any header/footer/navigation line survived, and the pages/s of
text layers and of OCR (one process, OCR cache empty).

    .venv/bin/python scripts/measure_text.py [--out tests/out/fixtures] [--small]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fixtures.build import Fixture, build_all, cer, survivors  # noqa: E402

from pipeline.clean import raw_to_clean  # noqa: E402
from pipeline.ingest import ingest  # noqa: E402
from pipeline.records import RawText  # noqa: E402
from pipeline.repair import repair_clean  # noqa: E402
from pipeline.settings import Settings  # noqa: E402
from pipeline.text import source_to_raw_text  # noqa: E402

TARGETS = {"born_digital": 0.002, "two_column": 0.002, "html": 0.002, "scan": 0.01, "bad_layer": 0.01}


def extract(fixture: Fixture, settings: Settings) -> tuple[RawText, str, float]:
    source, data = ingest(fixture.path)
    started = time.perf_counter()
    raw = source_to_raw_text(source, data, settings)
    seconds = time.perf_counter() - started
    return raw, repair_clean(raw_to_clean(raw)).text, seconds


def text_layer_speed(fixtures: list[Fixture], settings: Settings, rounds: int = 20) -> float:
    pdfs = [f for f in fixtures if f.kind in ("born_digital", "two_column")]
    extract(pdfs[0], settings)  # load the word list once
    pages, seconds = 0, 0.0
    for _ in range(rounds):
        for fixture in pdfs:
            source, data = ingest(fixture.path)
            started = time.perf_counter()
            raw = source_to_raw_text(source, data, settings)
            seconds += time.perf_counter() - started
            pages += len(raw.pages)
    return pages / seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "out" / "fixtures")
    parser.add_argument("--small", action="store_true", help="the small fixture set the tests use")
    args = parser.parse_args(argv)
    fixtures = build_all(args.out, small=args.small)
    failed = False
    ocr_pages, ocr_seconds = 0, 0.0
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(clean_dir=Path(tmp))  # an empty OCR cache: every page is really OCRed
        print(f"{'fixture':28} {'kind':12} {'pages':>5} {'source':10} {'CER':>7} {'target':>7} {'sec':>6}  left")
        for fixture in fixtures:
            raw, clean, seconds = extract(fixture, settings)
            rate = cer(fixture.reference, clean)
            left = survivors(fixture, clean)
            ok = rate < TARGETS[fixture.kind] and not left
            failed |= not ok
            if any(page.source == "ocr" for page in raw.pages):
                ocr_pages += sum(1 for page in raw.pages if page.source == "ocr")
                ocr_seconds += seconds
            print(
                f"{fixture.path.name:28} {fixture.kind:12} {len(raw.pages):5} {raw.text_source:10} {rate:7.3%} "
                f"{TARGETS[fixture.kind]:7.1%} {seconds:6.2f}  {'; '.join(left) or '-'}{'' if ok else '  FAIL'}"
            )
            for note in raw.notes:
                print(f"{'':30}{note[:110]}")
        speed = text_layer_speed(fixtures, settings)
    print(f"text layer: {speed:.0f} pages/s (pypdfium2 + layout + quality gate, one process)")
    if ocr_pages:
        print(f"OCR: {ocr_pages / ocr_seconds:.2f} pages/s ({ocr_pages} pages, one process, OMP_THREAD_LIMIT=1)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
