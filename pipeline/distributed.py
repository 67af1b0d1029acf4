"""The distributed backend: the same per-document work sent to a Dask cluster.

`--scheduler tcp://HOST:PORT` (or `$PIPELINE_SCHEDULER`) selects it; the local default stays a process pool.
Workers must see the same file system paths (raw, clean and tables folders) as the client, e.g. a shared
mount. Results come back as `DocResult` records and are merged exactly as in a local run, so the tables are
byte-identical.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.errors import EngineError
from pipeline.records import DocResult
from pipeline.settings import Settings


def run_on_dask(pending: list[tuple[str, str]], settings: Settings) -> Iterator[DocResult]:
    """Submit one task per document to the scheduler and yield results as they complete."""
    try:
        from dask.distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - dependency is declared
        raise EngineError("dask.distributed is not installed", "run `make setup`") from exc
    from pipeline.orchestrator import process_document

    try:
        client = Client(settings.scheduler, timeout="20s", set_as_default=False)
    except OSError as exc:
        raise EngineError(
            f"cannot reach Dask scheduler {settings.scheduler}",
            "start one with `dask scheduler` and workers with `dask worker tcp://HOST:8786`, or drop --scheduler",
        ) from exc
    try:
        with client.as_current():
            futures = [
                client.submit(process_document, path, key, settings, key=f"doc-{key}-{index}", pure=False)
                for index, (path, key) in enumerate(pending)
            ]
            for future in as_completed(futures):
                yield future.result()
    finally:
        client.close()
