"""The recipe: ingest → text → clean → repair → extract → tables, per document, cached and in parallel."""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import cache
from pipeline.atomic import write_atomic
from pipeline.document import process_document
from pipeline.ingest import discover, doc_id_for
from pipeline.records import DocResult, Facts, FailureRow
from pipeline.scheduling import run_pending
from pipeline.settings import Settings
from pipeline.tables import StreamingTables, sort_rows


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
    for result in _progress(run_pending(pending, settings), len(pending), settings.progress):
        cache.save_result(settings, result)
        if len(results) < settings.keep_results:
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
        from pipeline.exports import write_exports

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
    from pipeline.exports import DATABASE_NAME

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
