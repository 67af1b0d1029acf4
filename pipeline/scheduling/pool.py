"""The local scheduler: one process pool, one `--jobs` budget for documents and the OCR of single pages.

Every document starts as a document task. A PDF with several pages to OCR pauses after its text layers and
hands back those pages rendered (`document.OcrFirst`); they are OCRed as page tasks on all workers, and the
document goes on from its layers (`finish_document`) when the last of them is done. A run with one worker does
everything in this process, one page after another.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

from pipeline.document import OcrFirst, finish_document, process_document, process_or_plan
from pipeline.records import DocResult
from pipeline.settings import Settings


def run_pending(pending: list[tuple[str, str]], settings: Settings) -> Iterator[DocResult]:
    if settings.scheduler:
        from pipeline.scheduling.cluster import run_on_dask

        yield from run_on_dask(pending, settings)
        return
    if settings.workers <= 1:
        for path, key in pending:
            yield process_document(path, key, settings)
        return
    yield from _run_in_pool(pending, settings)


def _run_in_pool(pending: list[tuple[str, str]], settings: Settings) -> Iterator[DocResult]:
    from pipeline.text import ocr_page_image

    split = dataclasses.replace(settings, split_ocr=True)
    with ProcessPoolExecutor(max_workers=settings.workers) as pool:
        running: dict[Future[Any], OcrFirst | None] = {}  # future -> the paused document of a page task
        waiting: dict[str, int] = {}  # paused document's path -> page tasks still running
        for path, key in pending:
            running[pool.submit(process_or_plan, path, key, split)] = None
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: running[f] is None):
                paused = running.pop(future)
                if paused is not None:  # a page task: a failed page is OCRed again, and reported, by its document
                    waiting[paused.path] -= 1
                    if waiting[paused.path] == 0:
                        running[pool.submit(finish_document, paused, settings)] = None
                    continue
                result = future.result()
                if isinstance(result, DocResult):
                    yield result
                    continue
                waiting[result.path] = len(result.pages)
                for page in result.pages:
                    running[pool.submit(ocr_page_image, page, settings)] = result
