"""The recipe: ingest → text → clean → repair → extract → tables, per document, cached and in parallel."""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import cache
from pipeline.errors import PipelineError
from pipeline.ingest import discover, doc_id_for, ingest
from pipeline.records import DocResult, Facts, FailureRow
from pipeline.settings import Settings
from pipeline.tables import StreamingTables, sort_rows, write_atomic


@dataclass
class Summary:
    processed: int = 0
    cached: int = 0
    failed: int = 0
    removed: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    failures: list[FailureRow] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)  # wall seconds per phase of the run

    def lines(self) -> list[str]:
        rows = ", ".join(f"{name} {count}" for name, count in self.rows.items())
        return [
            f"documents: {self.processed} processed, {self.cached} cached, {self.failed} failed, "
            f"{self.removed} removed in {self.seconds:.1f}s "
            f"({', '.join(f'{name} {seconds:.1f}s' for name, seconds in self.phases.items())})",
            f"rows: {rows}",
        ]


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
    from pipeline.extract.run import clean_to_facts
    from pipeline.pdf import PagesToOcr
    from pipeline.repair import repair_clean
    from pipeline.text import source_to_raw_text, text_quality

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


def _run_pending(pending: list[tuple[str, str]], settings: Settings) -> Iterator[DocResult]:
    if settings.scheduler:
        from pipeline.distributed import run_on_dask

        yield from run_on_dask(pending, settings)
        return
    if settings.workers <= 1 or len(pending) <= 1:
        for path, key in pending:
            yield process_document(path, key, settings)
        return
    yield from _run_in_pool(pending, settings)


def plan_ocr_pages(pending: list[tuple[str, str]], kinds: dict[str, str]) -> dict[str, list[int]]:
    """PDF path -> pages to OCR, for documents with more than one such page (worth spreading over workers)."""
    from pipeline.pdf import pages_to_ocr

    plan = {}
    for path, _ in pending:
        if kinds.get(path) == "pdf":
            pages = pages_to_ocr(path)
            if len(pages) > 1:
                plan[path] = pages
    return plan


def _run_in_pool(pending: list[tuple[str, str]], settings: Settings) -> Iterator[DocResult]:
    """One process pool, one `--jobs` budget: documents, and the OCR of single pages of scanned documents.

    Every document starts as a document task. A PDF with several pages to OCR stops after reading its text layer
    (`settings.split_ocr`) and names them; they are OCRed as page tasks on all workers (into the OCR cache), and
    the document task runs again when the last of them is done, finding every page there."""
    from concurrent.futures import FIRST_COMPLETED, Future, wait

    from pipeline.pdf import ocr_page_to_cache

    keys = dict(pending)
    split = dataclasses.replace(settings, split_ocr=True)
    with ProcessPoolExecutor(max_workers=min(settings.workers, max(len(pending), 2))) as pool:
        running: dict[Future[Any], str] = {}  # future -> path of its page task ("" for a document task)
        waiting_pages: dict[str, int] = {}
        for path, key in pending:
            running[pool.submit(process_or_plan, path, key, split)] = ""
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: running[f]):
                page_of = running.pop(future)
                if page_of:
                    waiting_pages[page_of] -= 1  # a failed page is retried, and reported, by its document task
                    if waiting_pages[page_of] == 0:
                        running[pool.submit(process_document, page_of, keys[page_of], settings)] = ""
                    continue
                result = future.result()
                if isinstance(result, DocResult):
                    yield result
                    continue
                waiting_pages[result.path] = len(result.pages)
                for index in result.pages:
                    running[pool.submit(ocr_page_to_cache, result.path, index, settings)] = result.path


def _progress(iterable: Iterator[DocResult], total: int, enabled: bool) -> Iterator[DocResult]:
    if not enabled or total == 0:
        return iterable
    from tqdm import tqdm

    return iter(tqdm(iterable, total=total, unit="doc", desc="extract"))


def _duplicate_failures(paths: list[Path]) -> tuple[list[Path], list[FailureRow]]:
    seen: dict[str, Path] = {}
    keep: list[Path] = []
    failures: list[FailureRow] = []
    for path in paths:
        doc_id = doc_id_for(path)
        if doc_id in seen:
            message = (
                f"{path.name}: doc_id {doc_id!r} already used by {seen[doc_id].name}; "
                "rename one of the files so each name without extension is unique"
            )
            failures.append(FailureRow(doc_id, "ingest", "DuplicateDocId", message, path.name))
            continue
        seen[doc_id] = path
        keep.append(path)
    return keep, failures


def run(settings: Settings) -> Summary:
    started = time.perf_counter()
    summary = Summary()
    cache.ensure_dirs(settings)
    paths, duplicate_failures = _duplicate_failures(discover(settings.raw_dir))
    index = {} if settings.force else cache.load_index(settings)
    live, pending = _up_to_date(settings, paths, index)
    summary.cached = len(live) - len(pending)
    clock = time.perf_counter()
    summary.phases["plan"] = clock - started
    results: dict[str, DocResult] = {}  # this run's results, kept up to a bound (the rest is read back)
    for result in _progress(_run_pending(pending, settings), len(pending), settings.progress):
        cache.save_result(settings, result)
        if len(results) < _KEEP_RESULTS:
            results[result.doc_id] = result
        index[result.doc_id] = result.key
        summary.processed += 1
    summary.phases["documents"], clock = time.perf_counter() - clock, time.perf_counter()
    summary.removed = len(cache.remove_stale(settings, set(live)))
    index = {doc_id: key for doc_id, key in index.items() if doc_id in live}
    cache.save_index(settings, index)
    summary.rows, failure_rows, changed = _tables(settings, index, results, duplicate_failures)
    summary.phases["tables"], clock = time.perf_counter() - clock, time.perf_counter()
    if changed or not exports_exist(settings):
        from pipeline.export import write_exports

        write_exports(settings)  # Parquet, DuckDB and the HTML report, rebuilt from the CSVs
    summary.phases["exports"] = time.perf_counter() - clock
    summary.failures = [FailureRow.from_dict(row) for row in failure_rows]
    summary.failed = len({f.doc_id for f in summary.failures})
    summary.seconds = time.perf_counter() - started
    write_atomic(
        settings.state_dir / "last_run.json",
        json.dumps({"documents": len(pending), "seconds": round(summary.seconds, 3),
                    "phases": {k: round(v, 3) for k, v in summary.phases.items()}}, indent=1) + "\n",
    )
    return summary


def _up_to_date(
    settings: Settings, paths: list[Path], index: dict[str, str]
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """doc_id -> cache key of every live document, and the (path, key) of those whose result is not up to date
    (decided from file stats, hashes and the results index: no result file is read)."""
    prints = cache.load_fingerprints(settings)
    new_prints: dict[str, cache.Fingerprint] = {}
    live: dict[str, str] = {}
    pending: list[tuple[str, str]] = []
    for path in paths:
        doc_id = doc_id_for(path)
        new_prints[str(path)] = cache.fingerprint(path, prints.get(str(path)))
        key = cache.cache_key(new_prints[str(path)].sha256, settings)
        live[doc_id] = key
        if index.get(doc_id) != key or not cache.state_path(settings, doc_id).exists():
            pending.append((str(path), key))
    cache.save_fingerprints(settings, new_prints)
    return live, pending


def _tables(
    settings: Settings, index: dict[str, str], fresh: dict[str, DocResult], duplicates: list[FailureRow]
) -> tuple[dict[str, int], list[dict[str, Any]], bool]:
    """Row counts, failure rows and whether any table changed: from the manifest when the tables on disk were
    written from exactly these results, else by writing them again."""
    digest = _results_digest(index, duplicates)
    manifest = cache.load_manifest(settings)
    if _tables_current(settings, manifest, digest):
        return {str(k): int(v) for k, v in manifest["rows"].items()}, list(manifest["failures"]), False
    rows, failures, changed = _write_tables(settings, index, fresh, duplicates)
    files = {name: cache.file_digest(settings.tables_dir / f"{name}.csv") for name in rows}
    cache.save_manifest(settings, {"results": digest, "rows": rows, "failures": failures, "files": files})
    return rows, failures, changed


_KEEP_RESULTS = 2000  # results of this run held in memory for the tables (beyond this, read back from disk)


def _results_digest(index: dict[str, str], duplicate_failures: list[FailureRow]) -> str:
    """What the tables are a function of: every live document's result key (and the duplicate-name failures)."""
    import hashlib

    payload = json.dumps([sorted(index.items()), [f.to_dict() for f in duplicate_failures]], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def _tables_current(settings: Settings, manifest: dict[str, Any], digest: str) -> bool:
    """Whether the tables were written from exactly these results and are still, byte for byte, on disk."""
    if manifest.get("results") != digest or not isinstance(manifest.get("files"), dict):
        return False
    if not isinstance(manifest.get("rows"), dict) or not isinstance(manifest.get("failures"), list):
        return False
    return all(
        digest_ and cache.file_digest(settings.tables_dir / f"{name}.csv") == digest_
        for name, digest_ in manifest["files"].items()
    )


def _write_tables(
    settings: Settings, index: dict[str, str], fresh: dict[str, DocResult], duplicates: list[FailureRow]
) -> tuple[dict[str, int], list[dict[str, Any]], bool]:
    """Stream every live document's rows into the tables, in doc_id order, one result in memory at a time (this
    run's from memory while they fit, the rest read back from the cache; a damaged one is processed again)."""
    extra: dict[str, list[dict[str, Any]]] = {}
    for failure in duplicates:
        extra.setdefault(failure.doc_id, []).append(failure.to_dict())
    paths: dict[str, Path] | None = None
    tables = StreamingTables(settings.tables_dir)
    failures: list[dict[str, Any]] = []
    try:
        for doc_id in sorted(set(index) | set(extra)):
            result = fresh.get(doc_id)
            if result is None and doc_id in index:
                result = cache.load_result(settings, doc_id)
                if result is None or result.key != index[doc_id]:
                    paths = paths if paths is not None else {doc_id_for(p): p for p in discover(settings.raw_dir)}
                    result = process_document(str(paths[doc_id]), index[doc_id], settings)
                    cache.save_result(settings, result)
            rows = merge_results([result] if result is not None else [])
            rows["failures"].extend(extra.get(doc_id, []))
            failures.extend(rows["failures"])
            tables.add(doc_id, rows)
    except BaseException:
        tables.abort()
        raise
    return dict(tables.counts), sort_rows("failures", failures), tables.close()


def exports_exist(settings: Settings) -> bool:
    from pipeline.export import DATABASE_NAME

    return (settings.tables_dir / DATABASE_NAME).exists() and (settings.tables_dir / "report.html").exists()


def merge_results(results: Any) -> dict[str, list[dict[str, Any]]]:
    """All documents' rows, table by table (the writer sorts them)."""
    names = [f.name for f in dataclasses.fields(Facts)]
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in [*names, "failures"]}
    for result in results:
        for name in names:
            tables[name].extend(row.to_dict() for row in getattr(result.facts, name))
        tables["failures"].extend(f.to_dict() for f in result.failures)
    return tables
