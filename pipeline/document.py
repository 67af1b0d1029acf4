"""The per-document recipe: ingest → text → clean → repair → extract, for one file; never raises."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline import cache
from pipeline.atomic import write_atomic
from pipeline.errors import PipelineError
from pipeline.ingest import doc_id_for, ingest
from pipeline.records import DocResult, FailureRow
from pipeline.settings import Settings


@dataclass(frozen=True)
class OcrFirst:
    """A PDF document task stopped under `settings.split_ocr`: these pages are to be OCRed first."""

    path: str
    pages: tuple[int, ...]


def process_document(path: str, key: str, settings: Settings) -> DocResult:
    """Everything for one document; never raises: a failure becomes the result."""
    result = process_or_plan(path, key, dataclasses.replace(settings, split_ocr=False))
    if isinstance(result, OcrFirst):  # pragma: no cover - split_ocr is off, so the text stage OCRs every page
        raise RuntimeError(f"{path}: unexpected OCR plan")
    return result


def process_or_plan(path: str, key: str, settings: Settings) -> DocResult | OcrFirst:
    """`process_document`, or, under `settings.split_ocr`, the pages of a PDF to OCR first."""
    # Stage modules load their models (lexicons, spaCy) on first use: imported here, in the worker, so a
    # run with nothing to do never pays for them.
    from pipeline.clean import raw_to_clean
    from pipeline.extract import clean_to_facts
    from pipeline.repair import repair_clean
    from pipeline.text import PagesToOcr, source_to_raw_text, text_quality

    doc_id = doc_id_for(Path(path))
    clock = _StageClock()
    try:
        clock.start("ingest")
        source, data = ingest(Path(path))
        clock.start("text")
        raw = source_to_raw_text(source, data, settings)
        write_atomic(cache.state_path(settings, doc_id, "raw"), raw.to_json())
        clock.start("clean")
        clean = raw_to_clean(raw)
        clock.start("repair")
        clean = repair_clean(clean)
        # The quality of the text as analysts get it; the text stage measured it already unless repair changed it.
        clean = dataclasses.replace(clean, quality=text_quality(clean.text) if clean.repairs else raw.quality)
        write_atomic(settings.clean_dir / f"{doc_id}.txt", clean.text)
        write_atomic(cache.state_path(settings, doc_id, "clean"), clean.to_json())
        clock.start("extract")
        facts = clean_to_facts(clean, source, raw)
        clock.stop()
        return DocResult(doc_id, key, facts, kind=source.kind, pages=len(raw.pages), timings=clock.timings())
    except PagesToOcr as plan:
        return OcrFirst(path, tuple(plan.pages))
    except PipelineError as exc:
        failure = FailureRow(doc_id, exc.stage, type(exc).__name__, exc.one_line(), Path(path).name)
    except Exception as exc:  # one bad document must never stop the batch
        message = f"{Path(path).name}: unexpected {type(exc).__name__} in {clock.stage}: {exc}; please report this file"
        failure = FailureRow(
            doc_id, clock.stage, type(exc).__name__, " ".join(message.split()), Path(path).name
        )
    clock.stop()
    return DocResult(doc_id=doc_id, key=key, failures=(failure,), timings=clock.timings())


class _StageClock:
    """Wall time per stage of one document, for the benchmark."""

    def __init__(self) -> None:
        self.stage = "ingest"
        self._started = time.perf_counter()
        self._spent: dict[str, float] = {}

    def start(self, stage: str) -> None:
        self.stop()
        self.stage = stage

    def stop(self) -> None:
        now = time.perf_counter()
        self._spent[self.stage] = self._spent.get(self.stage, 0.0) + now - self._started
        self._started = now

    def timings(self) -> tuple[tuple[str, float], ...]:
        return tuple((stage, round(seconds, 4)) for stage, seconds in self._spent.items())


def plan_ocr_pages(pending: list[tuple[str, str]], kinds: dict[str, str]) -> dict[str, list[int]]:
    """PDF path -> pages to OCR, for documents with more than one such page (worth spreading over workers)."""
    from pipeline.text import pages_to_ocr

    plan = {}
    for path, _ in pending:
        if kinds.get(path) == "pdf":
            pages = pages_to_ocr(path)
            if len(pages) > 1:
                plan[path] = pages
    return plan
