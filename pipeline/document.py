"""The per-document recipe: ingest → text → clean → repair → extract, for one file; never raises."""

from __future__ import annotations

import dataclasses
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import cache
from pipeline.atomic import write_atomic
from pipeline.errors import PipelineError
from pipeline.ingest import doc_id_for, ingest, source_name
from pipeline.lazy import importing
from pipeline.records import CleanText, DocResult, FailureRow, RawText, SourceFile
from pipeline.settings import Settings

if TYPE_CHECKING:  # the stages are imported when a document runs, not with this module
    from pipeline.extract import Basis
    from pipeline.text import LayerShare, PageImage, PdfLayers


@dataclass(frozen=True)
class OcrFirst:
    """A PDF document task paused after its text layers (`settings.split_ocr`): these rendered pages are to be
    OCRed first, as page tasks on any worker; `finish_document` then goes on from `layers`."""

    path: str
    key: str
    layers: PdfLayers
    pages: tuple[PageImage, ...]  # one per page to OCR


@dataclass(frozen=True)
class FactsFirst:
    """A long document's task paused before its fact tables (under `settings.split_ocr`): their `parts` are
    extracted as tasks on any worker (`extract_part`), and `finish_facts` makes the document's result of them."""

    path: str
    key: str
    parts: tuple[tuple[str, ...], ...]  # the fact tables of each part (`extract.PARTS`)
    result: DocResult  # so far: no facts yet, the timings of its stages
    # The input of every part, pickled once by the task that paused: the clean text, the source file's name and the
    # basis (the document's own row and its tables). The scheduler hands it on without unpickling it, which would
    # make it import the extraction (about 40 ms).
    packed: bytes

    def unpacked(self) -> tuple[CleanText, str, Basis]:
        return pickle.loads(self.packed)  # type: ignore[no-any-return]


SPLIT_FACTS_CHARS = 100_000  # a clean text this long (about 25 pages) has its fact tables extracted in parts


def process_document(path: str, key: str, settings: Settings) -> DocResult:
    """Everything for one document in this process (pages OCRed one after another); never raises."""
    result = process_or_plan(path, key, dataclasses.replace(settings, split_ocr=False))
    if not isinstance(result, DocResult):  # pragma: no cover - split_ocr is off: nothing pauses
        raise RuntimeError(f"{path}: unexpected pause")
    return result


def process_or_plan(
    path: str, key: str, settings: Settings, shares: tuple[LayerShare | None, ...] = ()
) -> DocResult | OcrFirst | FactsFirst:
    """`process_document`, or, under `settings.split_ocr`, a PDF's layers and its pages to OCR first (when there
    are several: one page is OCRed right here), or a long document's parts of the extraction to do first. A long
    PDF's layers may come read already, in `shares` read by page tasks (`text.read_share`; one that could not be
    read is None, and the PDF is read here)."""
    from pipeline.text import check_raw_text, layers_to_raw_text, plan_pdf, source_to_raw_text

    clock = _StageClock()

    def text(source: SourceFile, data: bytes) -> RawText | OcrFirst:
        if source.kind != "pdf" or not settings.split_ocr:
            return source_to_raw_text(source, data, settings)
        layers, pages = plan_pdf(source, data, settings, shares)
        if len(pages) > 1:
            return OcrFirst(path, key, layers, pages)
        return check_raw_text(layers_to_raw_text(layers, settings), source, settings)

    return _guarded(path, key, settings, clock, lambda: _from_source(path, key, settings, clock, text))


def finish_document(plan: OcrFirst, settings: Settings) -> DocResult | FactsFirst:
    """A paused PDF document task, gone on once its page tasks are done (their results are in the OCR cache; a
    page whose task failed is OCRed here, and its error, if any, becomes the document's)."""
    from pipeline.text import check_raw_text, layers_to_raw_text

    clock = _StageClock()

    def text(source: SourceFile, data: bytes) -> RawText:
        return check_raw_text(layers_to_raw_text(plan.layers, settings), source, settings)

    result = _guarded(plan.path, plan.key, settings, clock,
                      lambda: _from_source(plan.path, plan.key, settings, clock, text, plan.layers.source))
    assert not isinstance(result, OcrFirst)  # its text stage never pauses
    return result


def extract_part(plan: FactsFirst, part: tuple[str, ...]) -> tuple[dict[str, tuple[Any, ...]], float]:
    """A part task: the rows of some of a paused document's fact tables, and the seconds it took."""
    from pipeline.extract import DocContext, part_to_rows

    started = time.perf_counter()
    clean, source_file, basis = plan.unpacked()
    rows = part_to_rows(DocContext(clean, source_file), basis, part)
    return rows, time.perf_counter() - started


def finish_facts(
    plan: FactsFirst, settings: Settings, parts: tuple[tuple[dict[str, tuple[Any, ...]], float] | None, ...]
) -> DocResult:
    """A paused document's result of its parts' rows (`parts`, in the order of `plan.parts`); a part whose task
    failed (None) is extracted here, and its error, if any, becomes the document's."""
    from pipeline.extract import DocContext, part_to_rows, rows_to_facts

    clock = _StageClock()

    def work() -> DocResult:
        clock.start("extract")
        clean, source_file, basis = plan.unpacked()
        rows: dict[str, tuple[Any, ...]] = {}
        elsewhere = 0.0
        for part, done in zip(plan.parts, parts, strict=True):
            if done is None:
                done = part_to_rows(DocContext(clean, source_file), basis, part), 0.0
            rows.update(done[0])
            elsewhere += done[1]
        facts = rows_to_facts(clean, basis, rows)
        clock.stop()
        timings = dict(plan.result.timings)
        timings["extract"] = round(timings.get("extract", 0.0) + elsewhere + dict(clock.timings())["extract"], 4)
        return dataclasses.replace(plan.result, facts=facts, timings=tuple(timings.items()))

    result = _guarded(plan.path, plan.key, settings, clock, work)
    assert isinstance(result, DocResult)
    return result


def _from_source(
    path: str, key: str, settings: Settings, clock: _StageClock,
    text: Callable[[SourceFile, bytes], RawText | OcrFirst], known: SourceFile | None = None,
) -> DocResult | OcrFirst | FactsFirst:
    """ingest (unless the source is known) → text → clean → repair → extract, each stage's record written; under
    `settings.split_ocr` a long text pauses after the basis of its extraction (`FactsFirst`)."""
    # Stage modules load their models (lexicons, spaCy) on first use: imported here, in the worker, so a
    # run with nothing to do never pays for them.
    with importing():
        from pipeline.clean import raw_to_clean
        from pipeline.extract import PARTS, DocContext, clean_to_facts, context_to_basis
        from pipeline.repair import repair_clean
        from pipeline.text import text_quality

    clock.start("ingest")
    source, data = (known, b"") if known is not None else ingest(Path(path), settings.raw_dir)
    clock.start("text")
    raw = text(source, data)
    if isinstance(raw, OcrFirst):
        clock.stop()
        return raw
    doc_id = doc_id_for(Path(path))
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
    if settings.split_ocr and len(clean.text) >= SPLIT_FACTS_CHARS:
        basis = context_to_basis(DocContext(clean, source.source_file), source, raw)
        clock.stop()
        so_far = DocResult(doc_id, key, kind=source.kind, pages=len(raw.pages), timings=clock.timings())
        packed = pickle.dumps((clean, source.source_file, basis), protocol=pickle.HIGHEST_PROTOCOL)
        return FactsFirst(path, key, PARTS, so_far, packed)
    facts = clean_to_facts(clean, source, raw)
    clock.stop()
    return DocResult(doc_id, key, facts, kind=source.kind, pages=len(raw.pages), timings=clock.timings())


# Failures that are no fault of the pipeline's code, and what to do about them.
_KNOWN_FIXES: dict[type[BaseException], str] = {
    MemoryError: "ran out of memory: give each worker more memory (fewer --jobs) or split the file",
    RecursionError: "structure nested too deeply to read: save the file in a simpler form or remove it",
}


def _guarded(
    path: str, key: str, settings: Settings, clock: _StageClock,
    work: Callable[[], DocResult | OcrFirst | FactsFirst],
) -> DocResult | OcrFirst | FactsFirst:
    """`work()`, with every failure turned into the document's failure row, one line that names the file (its
    path within the raw folder) and the fix: one bad document never stops a batch."""
    doc_id = doc_id_for(Path(path))
    name = source_name(Path(path), settings.raw_dir)
    try:
        return work()
    except PipelineError as exc:  # engine errors (tesseract missing) do not know the file: named here
        message = exc.one_line()
        message = message if message.startswith(name) else f"{name}: {message}"
        failure = FailureRow(doc_id, exc.stage, type(exc).__name__, message, name)
    except Exception as exc:  # one bad document must never stop the batch
        fix = next((fix for kind, fix in _KNOWN_FIXES.items() if isinstance(exc, kind)), "")
        message = (f"{name}: {fix} ({type(exc).__name__} in {clock.stage})" if fix else
                   f"{name}: unexpected {type(exc).__name__} in {clock.stage}: {exc}; please report this file")
        failure = FailureRow(doc_id, clock.stage, type(exc).__name__, " ".join(message.split()), name)
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
