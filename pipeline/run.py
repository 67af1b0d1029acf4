"""The recipe: ingest → text → clean → repair → extract → tables, per document, cached and in parallel."""

from __future__ import annotations

import dataclasses
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import cache
from pipeline.atomic import LockedError, exclusive_lock, remove_leftovers, write_atomic
from pipeline.document import process_document
from pipeline.errors import PipelineError
from pipeline.exports import DATAPACKAGE_NAME, TEXTS_FOLDER, ExportProcess, export_files
from pipeline.ingest import display_name, doc_id_for, source_name, survey
from pipeline.records import DocResult, Facts, FailureRow
from pipeline.scheduling import run_resilient
from pipeline.settings import Settings
from pipeline.tables import ROW_TYPES, StreamingTables, sort_rows

INDEX_SAVE_SECONDS = 2.0  # while results arrive, the results index is saved at most this often


class RunError(PipelineError):
    """The run as asked would do harm (wipe earlier outputs, write into the raw folder) or cannot start."""

    stage = "run"


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
    hidden: list[str] = field(default_factory=list)  # hidden entries of the raw folder, skipped

    def lines(self) -> list[str]:
        rows = ", ".join(f"{name} {count}" for name, count in self.rows.items())
        skipped = [f"skipped {len(self.hidden)} hidden entries: {', '.join(self.hidden[:5])}"
                   + (", ..." if len(self.hidden) > 5 else "")] if self.hidden else []
        return [*skipped,
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


def _duplicate_failures(paths: list[Path], raw_dir: Path) -> tuple[list[Path], list[FailureRow]]:
    seen: dict[str, Path] = {}
    keep: list[Path] = []
    failures: list[FailureRow] = []
    for path in paths:
        doc_id = doc_id_for(path)
        if doc_id in seen:
            here, there = display_name(path.relative_to(raw_dir)), display_name(seen[doc_id].relative_to(raw_dir))
            message = (
                f"{here}: doc_id {doc_id!r} already used by {there}; "
                "rename one of the files so each name without extension is unique"
            )
            failures.append(FailureRow(doc_id, "ingest", "DuplicateDocId", message, here))
            continue
        seen[doc_id] = path
        keep.append(path)
    return keep, failures


def run(settings: Settings) -> Summary:
    """The whole job, holding the output folders' lock (a second run on the same outputs is refused). The exports
    are made ready meanwhile in a process of their own (`exports.ExportProcess`)."""
    check_folders(settings)
    cache.ensure_dirs(settings)
    holder = f"pid {os.getpid()}"
    try:
        with exclusive_lock(settings.state_dir / "run.lock", holder), \
                exclusive_lock(settings.tables_dir / ".run.lock", holder):
            exports = ExportProcess.start()  # under the locks: it holds them as long as it lives
            try:
                remove_leftovers(settings.tables_dir, _table_outputs())
                cache.remove_temp_files(settings)
                exports.prepare(settings.tables_dir)
                return _run_locked(settings, exports)
            finally:
                exports.close()  # while this run holds the folders: its temporary file goes with it
    except LockedError as exc:
        raise RunError(
            f"another extract run ({exc or 'unknown process'}) is writing to {settings.clean_dir} or "
            f"{settings.tables_dir}", "wait until it has finished, or pass other --clean/--tables folders"
        ) from None


def check_folders(settings: Settings) -> None:
    """Refuse output folders that are, or lie inside, the raw folder: outputs would overwrite or become inputs."""
    raw = settings.raw_dir.resolve()
    for flag, folder in (("--clean", settings.clean_dir), ("--tables", settings.tables_dir)):
        if folder.resolve().is_relative_to(raw):
            raise RunError(
                f"{flag} {folder} is or lies inside --raw {settings.raw_dir}: outputs would overwrite or become inputs",
                f"pass a {flag} folder outside the raw folder",
            )


def _table_outputs() -> list[str]:
    return [*(f"{name}.csv" for name in ROW_TYPES), *export_files(), DATAPACKAGE_NAME]


def _run_locked(settings: Settings, exports: ExportProcess) -> Summary:
    started = time.perf_counter()
    summary = Summary()
    folder = survey(settings.raw_dir)
    summary.hidden = folder.hidden
    paths, duplicate_failures = _duplicate_failures(folder.files, settings.raw_dir)
    index = {} if settings.force else cache.load_index(settings)
    live, pending, unreadable = _up_to_date(settings, paths, index)
    if not live and not settings.allow_empty and cache.has_outputs(settings):
        unusable = len(folder.problems) + len(unreadable)
        raise RunError(
            f"{settings.raw_dir}: no document to read{f' ({unusable} unusable entries)' if unusable else ''}; "
            f"refusing to remove the outputs of earlier runs in {settings.clean_dir} and {settings.tables_dir}",
            "check --raw, or pass --allow-empty to clear them",
        )
    extra_failures = duplicate_failures + folder.problems + unreadable
    summary.cached = len(live) - len(pending)
    clock = time.perf_counter()
    summary.phases["plan"] = clock - started
    results = _process(settings, largest_first(pending), index, summary)
    summary.phases["documents"], clock = time.perf_counter() - clock, time.perf_counter()
    summary.removed = len(cache.remove_stale(settings, set(live)))
    index = {doc_id: entry for doc_id, entry in index.items() if doc_id in live}
    cache.save_index(settings, index)
    summary.rows, failure_rows, changed = _tables(settings, index, results, extra_failures)
    summary.phases["tables"], clock = time.perf_counter() - clock, time.perf_counter()
    _exports(settings, changed, exports)
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


def _process(
    settings: Settings, pending: list[tuple[str, str]], index: dict[str, str], summary: Summary
) -> dict[str, DocResult]:
    """Run the pending documents, storing each result as it arrives; the results index is saved every few
    seconds and at the end however the loop ends, so an interrupted run keeps what it finished."""
    results: dict[str, DocResult] = {}  # this run's results, kept up to a bound (the rest is read back)
    saved = time.monotonic()
    try:
        documents = run_resilient(pending, settings)
        for result in _progress(documents, len(pending), settings.progress):
            result = cache.save_result(settings, result)
            if len(results) < settings.keep_results:
                results[result.doc_id] = result
            index[result.doc_id] = cache.index_entry(result)
            summary.processed += 1
            if time.monotonic() - saved > INDEX_SAVE_SECONDS:
                cache.save_index(settings, index)
                saved = time.monotonic()
    finally:
        cache.save_index(settings, index)
    return results


def largest_first(pending: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pending documents, largest file first (then by path): the long ones start while the short ones fill
    the other workers, so a batch does not end with one worker busy on a big file that started last."""

    def size(path: str) -> int:
        try:
            return os.stat(path).st_size
        except OSError:
            return 0  # vanished: its document task reports it

    return sorted(pending, key=lambda item: (-size(item[0]), item[0]))


def _exports(settings: Settings, tables_changed: bool, exports: ExportProcess) -> None:
    """Parquet, DuckDB and the HTML report, rebuilt from the CSVs when the tables changed or the exports are not
    exactly what the last successful export wrote (missing, damaged, interrupted)."""
    manifest = cache.load_manifest(settings)
    stamps = export_stamps(settings)  # None when a file is missing: never up to date then
    if not tables_changed and not settings.force and stamps is not None and manifest.get("exports") == stamps:
        return
    cache.save_manifest(settings, {**manifest, "exports": None})  # an interrupted export is redone next time
    exports.write(settings)
    cache.save_manifest(settings, {**manifest, "exports": export_stamps(settings)})


def export_stamps(settings: Settings) -> dict[str, list[int]] | None:
    """Size and modification time of each export file (None when one is missing), and the count, total size and
    latest modification of the report's text pages (a deleted page or folder changes the count)."""
    stamps: dict[str, list[int]] = {}
    try:
        for name in export_files():
            stat = (settings.tables_dir / name).stat()
            stamps[name] = [stat.st_size, stat.st_mtime_ns]
        pages = [path.stat() for path in (settings.tables_dir / TEXTS_FOLDER).glob("*.html")]
    except OSError:
        return None
    stamps[f"{TEXTS_FOLDER}/"] = [len(pages), sum(p.st_size for p in pages), max((p.st_mtime_ns for p in pages),
                                                                                  default=0)]
    return stamps


def _up_to_date(
    settings: Settings, paths: list[Path], index: dict[str, str]
) -> tuple[dict[str, str], list[tuple[str, str]], list[FailureRow]]:
    """doc_id -> cache key of every live document, the (path, key) of those whose result is not up to date
    (decided from file stats, hashes and the results index: no result file is read), and a failure row for
    each file that could not be hashed (vanished, unreadable)."""
    prints = cache.load_fingerprints(settings)
    new_prints: dict[str, cache.Fingerprint] = {}
    live: dict[str, str] = {}
    pending: list[tuple[str, str]] = []
    unreadable: list[FailureRow] = []
    for path in paths:
        doc_id = doc_id_for(path)
        name = source_name(path, settings.raw_dir)
        try:
            new_prints[str(path)] = cache.fingerprint(path, prints.get(str(path)), name)
        except PipelineError as exc:
            unreadable.append(FailureRow(doc_id, exc.stage, type(exc).__name__, exc.one_line(), name))
            continue
        key = cache.cache_key(new_prints[str(path)].sha256, settings)
        live[doc_id] = key
        if not cache.is_current(index.get(doc_id), key) or not _outputs_exist(settings, doc_id):
            pending.append((str(path), key))
    cache.save_fingerprints(settings, new_prints)
    return live, pending, unreadable


def _outputs_exist(settings: Settings, doc_id: str) -> bool:
    return cache.state_path(settings, doc_id).exists() and (settings.clean_dir / f"{doc_id}.txt").exists()


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
    exports = manifest.get("exports")  # still valid when no table's bytes changed
    cache.save_manifest(
        settings, {"results": digest, "rows": rows, "failures": failures, "files": files, "exports": exports}
    )
    return rows, failures, changed


def _results_digest(index: dict[str, str], duplicate_failures: list[FailureRow]) -> str:
    """What the tables are a function of: every live document's index entry (its key and a digest of its
    content, `cache.index_entry`) and the failures of entries that are no documents."""
    import hashlib

    payload = json.dumps([sorted(index.items()), [f.to_dict() for f in duplicate_failures]], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def _tables_current(settings: Settings, manifest: dict[str, Any], digest: str) -> bool:
    """Whether the tables were written from exactly these results and are still, byte for byte, on disk."""
    if manifest.get("results") != digest or not isinstance(manifest.get("files"), dict):
        return False
    rows, failures = manifest.get("rows"), manifest.get("failures")
    if not isinstance(rows, dict) or not all(isinstance(count, int) for count in rows.values()):
        return False  # a damaged manifest only costs writing the tables again
    if not isinstance(failures, list) or not all(isinstance(row, dict) for row in failures):
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
                key = cache.entry_key(index[doc_id])
                if result is None or result.key != key:
                    paths = paths if paths is not None else {doc_id_for(p): p for p in survey(settings.raw_dir).files}
                    result = cache.save_result(settings, process_document(str(paths[doc_id]), key, settings))
            rows = merge_results([result] if result is not None else [])
            rows["failures"].extend(extra.get(doc_id, []))
            failures.extend(rows["failures"])
            tables.add(doc_id, rows)
    except BaseException:
        tables.abort()
        raise
    return dict(tables.counts), sort_rows("failures", failures), tables.close()


def merge_results(results: Any) -> dict[str, list[dict[str, Any]]]:
    """All documents' rows, table by table (the writer sorts them)."""
    names = [f.name for f in dataclasses.fields(Facts)]
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in [*names, "failures"]}
    for result in results:
        for name in names:
            tables[name].extend(row.to_dict() for row in getattr(result.facts, name))
        tables["failures"].extend(f.to_dict() for f in result.failures)
    return tables
