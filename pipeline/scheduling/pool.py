"""The local scheduler: one process pool, one `--jobs` budget for documents and the OCR of single pages."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from pipeline.document import process_document, process_or_plan
from pipeline.records import DocResult
from pipeline.settings import Settings


def run_pending(pending: list[tuple[str, str]], settings: Settings) -> Iterator[DocResult]:
    if settings.scheduler:
        from pipeline.scheduling.cluster import run_on_dask

        yield from run_on_dask(pending, settings)
        return
    if settings.workers <= 1 or len(pending) <= 1:
        for path, key in pending:
            yield process_document(path, key, settings)
        return
    yield from _run_in_pool(pending, settings)


def _run_in_pool(pending: list[tuple[str, str]], settings: Settings) -> Iterator[DocResult]:
    """One process pool, one `--jobs` budget: documents, and the OCR of single pages of scanned documents.

    Every document starts as a document task. A PDF with several pages to OCR stops after reading its text layer
    (`settings.split_ocr`) and names them; they are OCRed as page tasks on all workers (into the OCR cache), and
    the document task runs again when the last of them is done, finding every page there."""
    from concurrent.futures import FIRST_COMPLETED, Future, wait

    from pipeline.text import ocr_page_to_cache

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
