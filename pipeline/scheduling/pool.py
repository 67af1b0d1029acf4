"""The local scheduler: one process pool, one `--jobs` budget for documents and the OCR of single pages.

Every document starts as a document task. Parts of a document's work run as tasks of their own on all workers at
once, and the document goes on, first in the queue, when the last of them is done (`_Fork`): a long PDF's text
layers are read in shares of its pages, one task per worker (`text.read_share`, planned by `text.shares_of_file`)
before its document task; a PDF with several pages to OCR pauses after its text layers and hands back those pages
rendered (`document.OcrFirst`), OCRed as page tasks before `finish_document`; a long text pauses before its fact
tables (`document.FactsFirst`), extracted in parts (`extract_part`) before `finish_facts`. A run with one worker
does everything in this process, one page after another.

Each task may run `Settings.max_seconds_per_document`. The pool is handed only as many tasks as it has workers
(the rest wait here, in order), so a task runs from the moment it is submitted and its clock is true. A task over
the limit fails its document (`TimedOut`); the pool's workers are killed, with the programs they started, and
`WorkersStopped` tells `isolate.run_resilient` to go on with the unfinished documents in a new pool.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import shutil
import signal
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.atomic import ctrl_c_held, let_ctrl_c_go
from pipeline.document import (
    FactsFirst,
    extract_part,
    finish_document,
    finish_facts,
    process_document,
    process_or_plan,
)
from pipeline.ingest import doc_id_for, source_name
from pipeline.records import DocResult, FailureRow
from pipeline.settings import Settings


class WorkersStopped(Exception):
    """A task ran over the time limit: its document's failure was yielded and the pool's workers were killed;
    the documents not yet finished are to be run again."""


def run_pending(pending: list[tuple[str, str]], settings: Settings) -> Iterator[DocResult]:
    """Every pending document's result, in the order they finish."""
    if settings.scheduler:
        from pipeline.scheduling.cluster import run_on_dask

        yield from run_on_dask(pending, settings)
        return
    if settings.workers <= 1:
        for path, key in pending:
            yield process_document(path, key, settings)
        return
    yield from _run_in_pool(pending, settings)


@dataclass(frozen=True)
class _Task:
    """A call for a worker: a document's task, or a part of one (`fork`)."""

    call: Callable[..., Any]
    args: tuple[Any, ...]
    path: str  # of its document
    key: str
    what: str = ""  # for the message when it runs out of time
    fork: _Fork | None = None  # a part of a fork: where its result goes
    part: int = 0


@dataclass
class _Fork:
    """Parts of a document's work that run as tasks on any worker, at once; when the last is done its document
    goes on, first in the queue, with `call(*args)`, or `call(*args, results)` (in part order) when the results
    are wanted. A part that failed gives None: the document does that part again, and reports its error."""

    call: Callable[..., Any]
    args: tuple[Any, ...]
    parts: int
    what: str = ""
    with_results: bool = False
    results: dict[int, Any] = field(default_factory=dict)

    def done(self, part: int, result: Any) -> bool:
        self.results[part] = result
        return len(self.results) == self.parts

    def then(self, path: str, key: str) -> _Task:
        results = tuple(self.results[index] for index in range(self.parts))
        return _Task(self.call, (*self.args, results) if self.with_results else self.args, path, key, self.what)


def _fork_tasks(
    path: str, key: str, parts: list[tuple[Callable[..., Any], tuple[Any, ...], str]], then: Callable[..., Any],
    args: tuple[Any, ...], what: str = "", with_results: bool = False,
) -> list[_Task]:
    """The tasks of a document's `parts` (call, arguments, what it does), which `then(*args)` follows (`_Fork`)."""
    fork = _Fork(then, args, len(parts), what, with_results)
    return [_Task(call, part_args, path, key, part_what, fork, index)
            for index, (call, part_args, part_what) in enumerate(parts)]


def _run_in_pool(pending: list[tuple[str, str]], settings: Settings) -> Iterator[DocResult]:
    from pipeline.lazy import importing

    with importing():
        from pipeline.text import ocr_page_image, read_share, shares_of_file

    split = dataclasses.replace(settings, split_ocr=True)
    limit = settings.max_seconds_per_document
    queued: deque[_Task] = deque()
    for path, key in pending:  # long PDFs first read in shares (on every worker), then everything else
        shares = shares_of_file(path, settings.workers)
        if shares > 1:
            reads = [(read_share, (path, share, shares), f"reading pages (share {share + 1} of {shares})")
                     for share in range(shares)]
            queued.extendleft(reversed(_fork_tasks(path, key, reads, process_or_plan, (path, key, split),
                                                   with_results=True)))
        else:
            queued.append(_Task(process_or_plan, (path, key, split), path, key))
    running: dict[Future[Any], _Task] = {}
    started: dict[Future[Any], float] = {}
    # What this process holds now (the modules above all) is never garbage: the workers' collections neither
    # traverse nor copy on write what they inherit of it (a third of a run's collecting).
    gc.freeze()
    with KillablePool(settings.workers) as pool:
        while queued or running:
            while queued and len(running) < settings.workers:
                task = queued.popleft()
                future = pool.submit(task.call, *task.args)
                running[future], started[future] = task, time.monotonic()
            done, _ = wait(running, timeout=_seconds_left(started, limit), return_when=FIRST_COMPLETED)
            for future in done:
                task = running.pop(future)
                del started[future]
                if task.fork is not None:
                    if task.fork.done(task.part, _outcome(future)):
                        queued.appendleft(task.fork.then(task.path, task.key))
                    continue
                result = future.result()
                if isinstance(result, DocResult):
                    yield result
                    continue
                if isinstance(result, FactsFirst):  # a long text: the parts of its extraction next, at once
                    parts = [(extract_part, (result, part), f"extracting its {', '.join(part)}")
                             for part in result.parts]
                    queued.extendleft(reversed(_fork_tasks(result.path, result.key, parts, finish_facts,
                                                           (result, settings), "making its result", True)))
                    continue
                pages = [(ocr_page_image, (page, settings), f"the OCR of page {page.index + 1}")
                         for page in result.pages]
                queued.extend(_fork_tasks(result.path, result.key, pages, finish_document, (result, settings),
                                          "finishing it after OCR"))
            now = time.monotonic()
            late = {running[f].path: running[f] for f, begun in started.items()
                    if limit and now - begun >= limit and not f.done()}
            if late:
                pool.kill()  # first: a consumer that stops at the next result must not wait for a stuck worker
                for task in late.values():
                    yield timed_out(task.path, task.key, settings, task.what)
                raise WorkersStopped


def _outcome(future: Future[Any]) -> Any:
    """A part's result, or None when it failed (a broken pool is raised: `isolate.run_resilient` goes on)."""
    error = future.exception()
    if isinstance(error, BrokenProcessPool):
        raise error
    return None if error is not None else future.result()


def _seconds_left(started: dict[Future[Any], float], limit: float) -> float | None:
    """How long until the oldest running task reaches the limit (None: no limit, wait for a result)."""
    if not limit or not started:
        return None
    return max(0.0, min(started.values()) + limit - time.monotonic())


def worker_failure(path: str, key: str, settings: Settings, error: str, problem: str) -> DocResult:
    """The failure of a document that its worker could not report itself (it died or was stopped): one line,
    the file's name within the raw folder, then `problem` with its fix."""
    name = source_name(Path(path), settings.raw_dir)
    doc_id = doc_id_for(Path(path))
    return DocResult(doc_id, key, failures=(FailureRow(doc_id, "worker", error, f"{name}: {problem}", name),))


def timed_out(path: str, key: str, settings: Settings, what: str = "") -> DocResult:
    return worker_failure(
        path, key, settings, "TimedOut",
        f"stopped after {settings.max_seconds_per_document:g} seconds{f' in {what}' if what else ''}, the limit per "
        "document: pass a higher --max-seconds-per-document if it is merely long, else split or remove it",
    )


class KillablePool(ProcessPoolExecutor):
    """A process pool whose workers can be killed together with the programs they started (tesseract): each
    worker notes its pid in a folder of the pool's when it starts (the executor's own list is private)."""

    def __init__(self, workers: int) -> None:
        self._pid_folder = tempfile.mkdtemp(prefix="pipeline-workers-")
        super().__init__(max_workers=workers, initializer=_start_worker, initargs=(self._pid_folder, os.getpid()))

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with ctrl_c_held():  # the workers are forked at the first: a Ctrl-C then is not lost
            return super().submit(fn, *args, **kwargs)

    def kill(self) -> None:
        import psutil  # here, not with the module: most runs never kill (~9 ms)

        for name in os.listdir(self._pid_folder):
            with contextlib.suppress(psutil.NoSuchProcess):
                worker = psutil.Process(int(name))
                if worker.ppid() != os.getpid():
                    continue  # gone, and its pid taken by another process
                for process in [*worker.children(recursive=True), worker]:
                    with contextlib.suppress(psutil.NoSuchProcess):
                        process.kill()
        # A worker killed while it wrote a result leaves half a message in the result pipe, and the executor's
        # thread would wait for the rest for ever (shutting down waits for that thread): this process holds the
        # pipe's write end too. Closed here, the pipe ends when the workers are gone, and the thread stops.
        writer = getattr(getattr(self, "_result_queue", None), "_writer", None)
        if writer is not None:
            writer.close()

    def __exit__(self, kind: Any, value: Any, traceback: Any) -> Any:
        if kind is not None and not issubclass(kind, Exception):
            # Ctrl-C (the workers ignore it: no traceback of each), or the generator that runs the pool closed
            # while its consumer handled a result, or an exit: the workers are stopped here, at once, not waited for
            self.kill()
            self.shutdown(wait=True, cancel_futures=True)
            return False
        return super().__exit__(kind, value, traceback)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        super().shutdown(wait, cancel_futures=cancel_futures)
        shutil.rmtree(self._pid_folder, ignore_errors=True)


def _start_worker(folder: str, run_pid: int) -> None:
    """A worker's start: it ends with the run (`end_with`), notes its pid for `kill`, and leaves Ctrl-C to the parent
    process (a terminal sends it to the whole process group; an idle worker would die with a traceback of its own)."""
    end_with(run_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    let_ctrl_c_go()
    Path(folder, str(os.getpid())).touch()


def end_with(parent_pid: int) -> None:
    """Have the kernel kill this process when its parent ends, however it ends (Linux's PR_SET_PDEATHSIG): a run
    killed outright leaves no worker waiting for ever to hand in a result, holding the run's folders' locks. Where
    that is not to be had, the worker notices the lost parent only when it next talks to it."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent_pid:  # the parent ended before that was set
        os._exit(1)


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
