"""The distributed backend: the same per-document work sent to a Dask cluster.

`--scheduler tcp://HOST:PORT` (or `$PIPELINE_SCHEDULER`) selects it; the local default stays a process pool.
Workers must see the same file system paths (raw, clean and tables folders) as the client, e.g. a shared
mount. Results come back as `DocResult` records and are merged exactly as in a local run, so the tables are
byte-identical.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import EngineError
from pipeline.records import DocResult
from pipeline.settings import Settings


def run_on_dask(pending: list[tuple[str, str]], settings: Settings) -> Iterator[DocResult]:
    """Submit one task per document to the scheduler and yield results as they complete."""
    try:
        from dask.distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - dependency is declared
        raise EngineError("dask.distributed is not installed", "run `make setup`") from exc
    from pipeline.document import plan_ocr_pages
    from pipeline.ingest import sniff_kind

    plan = plan_ocr_pages(pending, {path: sniff_kind(Path(path)) for path, _ in pending})
    try:
        client = Client(settings.scheduler, timeout="20s", set_as_default=False)
    except OSError as exc:
        raise EngineError(
            f"cannot reach Dask scheduler {settings.scheduler}",
            "start one with `dask scheduler` and workers with `dask worker tcp://HOST:8786`, or drop --scheduler",
        ) from exc
    try:
        with client.as_current():
            futures = []
            for index, (path, key) in enumerate(pending):
                pages = [
                    client.submit(_ocr_page_quietly, path, page, settings, key=f"ocr-{key}-{page}", pure=False)
                    for page in plan.get(path, [])
                ]
                futures.append(
                    client.submit(_document_after, pages, path, key, settings, key=f"doc-{key}-{index}", pure=False)
                )
            for future in as_completed(futures):
                yield future.result()
    finally:
        client.close()


def _ocr_page_quietly(path: str, page: int, settings: Settings) -> bool:
    """Page OCR into the shared OCR cache; a failure is left for the document task to retry and report."""
    from pipeline.text import ocr_page_to_cache

    try:
        ocr_page_to_cache(path, page, settings)
    except Exception:  # noqa: BLE001 - reported by the document task
        return False
    return True


def _document_after(pages: list[bool], path: str, key: str, settings: Settings) -> DocResult:
    """The document task, run once the OCR of its pages (the `pages` dependencies) is done."""
    from pipeline.document import process_document

    return process_document(path, key, settings)
