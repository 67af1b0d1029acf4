"""The exports of a run in a process of their own, started with the run.

At its end a run waited for the exports' fixed costs: DuckDB and the code that writes the files loaded (0.1-0.2 s),
an in-memory database connected, the database file's tables, comments and views made. None of that depends on the
documents. This process is forked when the run starts and does it all then, on the core the run's own start leaves
idle (the run plans in one process before its workers start); at the end, told to write, it only loads the CSVs
and writes the files (`database.Export`).

Nothing depends on it: when the process cannot start, dies or fails in an unforeseen way, the run writes the exports
itself (`write_exports`), as it would without it. Its one-line errors (`ExportError`) reach the run as if it had
written them. It is forked while the run holds its output folders' locks and so holds them too, as long as it lives:
a run killed outright is not followed by another on the same folders while this process still cleans up there.
The process leaves Ctrl-C to the run (a terminal sends it to the whole process group). However the run ends (done,
its exports not needed, an error, a Ctrl-C during the writing too), it terminates the process, which stops what it
does as at a Ctrl-C, removing every temporary file it made, and ends at once (the run need not wait until it has
finished loading); one that does not end soon is killed, and the run removes what it may have left.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from pipeline.atomic import ctrl_c_held, let_ctrl_c_go, remove_leftovers
from pipeline.exports.names import DATAPACKAGE_NAME, export_files
from pipeline.settings import Settings

STOP_SECONDS = 5.0  # how long `close` lets the process clean up after itself, before it is killed
POLL_SECONDS = 0.5  # how often a waiting side looks whether the other is still there


class ExportProcess:
    """The run's side: `start` and `prepare` once the run holds its output folders, then `write` when the exports
    are due, and `close` in any case, while the run still holds the folders."""

    def __init__(self, process: Any, connection: Connection) -> None:
        self._process = process
        self._connection = connection
        self._alive = True
        self._ended = False
        self._tables_dir: Path | None = None

    @classmethod
    def start(cls) -> ExportProcess:
        """The process, forked now: before this process starts threads or a pool, and while it holds the output
        folders' locks (which the process then holds too)."""
        ours, theirs = multiprocessing.Pipe()
        try:
            process = multiprocessing.get_context("fork").Process(
                target=_serve, args=(theirs, ours, os.getpid()), name="pipeline-exports", daemon=True
            )
            with ctrl_c_held():  # a Ctrl-C during the fork is not lost
                process.start()
        except (OSError, ValueError):  # no process to be had (no fork here, a limit on processes, no memory)
            ours.close()
            theirs.close()
            exported = cls(None, ours)
            exported._alive, exported._ended = False, True  # the run writes the exports itself
            return exported
        theirs.close()
        return cls(process, ours)

    def prepare(self, tables_dir: Path) -> None:
        """Make the export for `tables_dir` ahead: only once the run holds the folder (and has cleared what an
        interrupted run left there), as the export's temporary file lies in it."""
        self._tables_dir = tables_dir
        self._send(("prepare", tables_dir))

    def write(self, settings: Settings, report: bool = True) -> None:
        """The exports, as `write_exports(settings, report)` writes them and with its errors: by the process when it
        is there, else here."""
        from pipeline.exports.database import ExportError, write_exports

        reply = self._ask(("write", settings, report))
        if reply is None or reply[0] == "failed":  # gone, or an error it did not foresee: written here, as ever
            write_exports(settings, report)
        elif reply[0] == "error":
            raise ExportError(reply[1], reply[2])
        elif reply[0] == "interrupted":
            raise KeyboardInterrupt

    def close(self) -> None:
        """End the process now (nothing once it has ended): terminated, it stops what it does as at a Ctrl-C and
        removes its temporary files; killed when it has not ended within STOP_SECONDS, its temporary files next
        to the export files are removed here (a report page it was writing may keep one)."""
        if self._ended:
            return
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
        if not self._end(STOP_SECONDS) and self._tables_dir is not None:
            remove_leftovers(self._tables_dir, [*export_files(), DATAPACKAGE_NAME])

    def _ask(self, message: tuple[Any, ...]) -> tuple[Any, ...] | None:
        if not self._send(message):
            return None
        try:
            return self._receive()
        except KeyboardInterrupt:
            self.close()
            raise

    def _send(self, message: tuple[Any, ...]) -> bool:
        if self._alive:
            try:
                self._connection.send(message)
            except (OSError, ValueError):
                self._alive = False
        return self._alive

    def _receive(self) -> tuple[Any, ...] | None:
        try:
            while not self._connection.poll(POLL_SECONDS):
                if not self._process.is_alive():
                    self._alive = False
                    return None
            reply: tuple[Any, ...] = self._connection.recv()
            return reply
        except (EOFError, OSError):
            self._alive = False
            return None

    def _end(self, seconds: float) -> bool:
        """Wait up to `seconds` for the process to end, then kill it; whether it ended by itself."""
        self._alive, self._ended = False, True
        self._connection.close()
        if self._process is None or self._process.pid is None:
            return True
        self._process.join(seconds)
        ended = not self._process.is_alive()
        if not ended:
            self._process.kill()
        self._process.join()
        return ended


def _serve(connection: Connection, runs_end: Connection, run_pid: int) -> None:
    """The process: load what the exports need, then answer the run's messages until it is terminated (the run's
    `close`: it stops as at a Ctrl-C, every temporary file removed on the way out) or the run is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the run's, which stops this process
    signal.signal(signal.SIGTERM, _interrupt)
    let_ctrl_c_go()
    runs_end.close()  # the run's end of the pipe, forked along: closed here, so that the run's closing is seen
    export: Any = None
    try:
        from pipeline.exports.database import Export
        from pipeline.exports.report import write_report  # noqa: F401  (loaded now, used by the writing)

        while (message := _next(connection, run_pid)) is not None:
            if message[0] == "prepare":
                with contextlib.suppress(Exception):  # the writing makes it again, and reports the error then
                    export = Export(message[1])
            elif message[0] == "write":
                export, prepared = None, export
                connection.send(_write(prepared, message[1], message[2]))
            if _TERMINATED:
                break
    except BaseException:  # noqa: S110  (terminated, a run gone, a fault: end quietly, cleaned up below)
        pass
    finally:
        if export is not None:
            with contextlib.suppress(BaseException):
                export.close()


_TERMINATED: list[int] = []  # the signal that ended the process, once it came


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM as a Ctrl-C: what the process does stops (a DuckDB query too), its temporary files removed."""
    _TERMINATED.append(signum)
    raise KeyboardInterrupt


def _next(connection: Connection, run_pid: int) -> tuple[Any, ...] | None:
    """The run's next message; None once the run is gone (its end of the pipe closed, or the process ended)."""
    try:
        while not connection.poll(POLL_SECONDS):
            if os.getppid() != run_pid:
                return None
        message: tuple[Any, ...] = connection.recv()
        return message
    except (EOFError, OSError):
        return None


def _write(export: Any, settings: Settings, report: bool) -> tuple[Any, ...]:
    """Finish `export` (or a new one, when none was prepared) and say how it went."""
    from pipeline.exports.database import Export, ExportError, export_errors

    try:
        with export_errors(settings.tables_dir):
            if export is None:
                export = Export(settings.tables_dir)
            try:
                export.finish(settings, report)
            finally:
                export.close()
        return ("done",)
    except ExportError as exc:
        return ("error", exc.message, exc.fix)
    except KeyboardInterrupt:  # DuckDB's "Query interrupted" (only a test interrupts this process's queries)
        return ("interrupted",)
    except Exception as exc:  # a fault of the code: the run writes the exports itself, which raises it there
        return ("failed", f"{type(exc).__name__}: {exc}")
