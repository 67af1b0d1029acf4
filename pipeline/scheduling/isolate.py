"""A dead worker costs one document, not the batch.

A worker process killed from outside (the out-of-memory killer, a crash in a C library) breaks the whole process
pool: every task still in it fails with `BrokenProcessPool`. The results that arrived stay; the documents that did
not are run again. Tasks start in the order they were submitted, so the document whose worker died is among the
first unfinished ones: those are run one by one, each in a fresh single-worker pool (a second death names the
document in a failure row), and the rest goes back to a new pool. Workers killed by the pool itself, because a
task ran out of time (`WorkersStopped`), leave no suspects: the unfinished documents go straight to a new pool.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from pipeline.document import process_document
from pipeline.ingest import doc_id_for
from pipeline.records import DocResult
from pipeline.scheduling.pool import KillablePool, WorkersStopped, run_pending, timed_out, worker_failure
from pipeline.settings import Settings


def run_resilient(pending: list[tuple[str, str]], settings: Settings) -> Iterator[DocResult]:
    """`run_pending`, surviving the death of worker processes: every pending document yields one result."""
    remaining = list(pending)
    while remaining:
        finished: set[str] = set()
        try:
            for result in run_pending(remaining, settings):
                finished.add(result.doc_id)
                yield result
            return
        except WorkersStopped:
            remaining = [(path, key) for path, key in remaining if doc_id_for(Path(path)) not in finished]
            continue
        except BrokenProcessPool:
            remaining = [(path, key) for path, key in remaining if doc_id_for(Path(path)) not in finished]
        suspects, remaining = remaining[: settings.workers + 1], remaining[settings.workers + 1 :]
        for path, key in suspects:
            yield run_alone(path, key, settings)


def run_alone(path: str, key: str, settings: Settings) -> DocResult:
    """One document in a worker process of its own (in one task, within the time limit): its death, or its
    running out of time, becomes the document's failure."""
    with KillablePool(1) as pool:
        future = pool.submit(process_document, path, key, settings)
        try:
            return future.result(timeout=settings.max_seconds_per_document or None)
        except BrokenProcessPool:
            return worker_died(path, key, settings)
        except TimeoutError:
            pool.kill()
            return timed_out(path, key, settings)


def worker_died(path: str, key: str, settings: Settings) -> DocResult:
    return worker_failure(
        path, key, settings, "WorkerDied",
        "the worker process died while processing it, twice (killed, e.g. by the out-of-memory killer, or crashed): "
        "give each worker more memory (fewer --jobs) or remove or split the file",
    )
