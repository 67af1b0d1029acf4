"""The distributed backend: the same per-document work sent to a Dask cluster.

`--scheduler tcp://HOST:PORT` (or `$PIPELINE_SCHEDULER`) selects it; the local default stays a process pool.
Workers must see the same file system paths (raw, clean and tables folders) as the client, e.g. a shared
mount. Results come back as `DocResult` records and are merged exactly as in a local run, so the tables are
byte-identical.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

from pipeline.errors import EngineError, MissingDependency
from pipeline.records import DocResult
from pipeline.settings import Settings


def run_on_dask(pending: list[tuple[str, str]], settings: Settings) -> Iterator[DocResult]:
    """The same tasks as the local pool: a document task per document, after the page tasks that read a long
    PDF's layers in shares; a PDF that pauses for OCR gets one page task per page and a finishing task that depends
    on them, a long text one task per part of its extraction and one that makes its result of them. Results are
    yielded as they complete."""
    try:
        from dask.distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - dependency is declared
        raise MissingDependency("dask.distributed is not installed", "run `make setup`") from exc
    from pipeline.document import FactsFirst, OcrFirst, process_or_plan

    try:
        client = Client(settings.scheduler, timeout="20s", set_as_default=False)
    except OSError as exc:
        raise EngineError(
            f"cannot reach Dask scheduler {settings.scheduler}",
            "start one with `dask scheduler` and workers with `dask worker tcp://HOST:8786`, or drop --scheduler",
        ) from exc
    from pipeline.document import extract_part
    from pipeline.text import ocr_page_image, read_share, shares_of_file

    split = dataclasses.replace(settings, split_ocr=True)

    def document(index: int, path: str, key: str, workers: int) -> Any:
        shares = shares_of_file(path, workers)
        if shares == 1:
            return client.submit(process_or_plan, path, key, split, key=f"doc-{key}-{index}", pure=False)
        read = [client.submit(read_share, path, share, shares, key=f"share-{key}-{index}-{share}", pure=False)
                for share in range(shares)]
        return client.submit(_document_after, read, path, key, split, key=f"doc-{key}-{index}", pure=False)

    try:
        with client.as_current():
            workers = sum(client.nthreads().values())  # threads on the cluster: a long PDF is read in shares by all
            futures = as_completed([document(i, path, key, workers) for i, (path, key) in enumerate(pending)])
            for future in futures:
                result = future.result()
                if isinstance(result, FactsFirst):
                    parts = [client.submit(_quietly, extract_part, result, part, key=f"facts-{result.key}-{i}",
                                           pure=False) for i, part in enumerate(result.parts)]
                    futures.add(client.submit(_facts_after, parts, result, settings,
                                              key=f"facts-done-{result.key}", pure=False))
                    continue
                if not isinstance(result, OcrFirst):
                    yield result
                    continue
                pages = [client.submit(_quietly, ocr_page_image, page, settings, key=f"ocr-{result.key}-{page.index}",
                                       pure=False) for page in result.pages]
                futures.add(client.submit(_finish_after, pages, result, settings, key=f"finish-{result.key}",
                                          pure=False))
    finally:
        client.close()


def _document_after(shares: list[Any], path: str, key: str, settings: Settings) -> Any:
    """A long PDF's document task, once its shares (the `shares` dependencies) are read (one that could not be
    is None: the document reads the file itself)."""
    from pipeline.document import process_or_plan

    return process_or_plan(path, key, settings, tuple(shares))


def _quietly(call: Callable[..., Any], *args: Any) -> Any:
    """A part task (a page's OCR, a part of an extraction): `call(*args)`, or None when it fails; the task that
    goes on after it does that part again and reports its error."""
    try:
        return call(*args)
    except Exception:  # noqa: BLE001 - redone and reported by the task that depends on it
        return None


def _facts_after(parts: list[Any], plan: Any, settings: Settings) -> DocResult:
    """The document's result, once the parts of its extraction (the `parts` dependencies) are done."""
    from pipeline.document import finish_facts

    return finish_facts(plan, settings, tuple(parts))


def _finish_after(pages: list[Any], plan: Any, settings: Settings) -> Any:
    """The paused document gone on, once its page tasks (the `pages` dependencies) are done (a long text pauses
    again, for the parts of its extraction)."""
    from pipeline.document import finish_document

    return finish_document(plan, settings)
