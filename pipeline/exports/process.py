"""The exports of a run in a process of their own, started with the run.

At its end a run waited for the exports' fixed costs: DuckDB and the code that writes the files loaded (0.1-0.2 s),
an in-memory database connected, the database file's tables, comments and views made. None of that depends on the
documents. This process is forked when the run starts and does it all then, on the core the run's own start leaves
idle (the run plans in one process before its workers start); at the end, told to write, it only loads the CSVs
and writes the files (`database.Export`).

Nothing depends on it: when the process cannot start, dies or fails in an unforeseen way, the run writes the exports
itself (`write_exports`), as it would without it. Its one-line errors (`ExportError`) reach the run as if it had
written them. It leaves Ctrl-C to the run (a terminal sends it to the whole process group), and holds nothing but
its temporary database file: however the run ends (done, exports not needed, an error, a Ctrl-C during the writing
too), it kills the process at once and removes that file itself, while it still holds the output folders.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from pipeline.atomic import remove_leftovers
from pipeline.exports.names import DATABASE_NAME
from pipeline.settings import Settings

POLL_SECONDS = 0.5  # how often a waiting side looks whether the other is still there


class ExportProcess:
    """The run's side: `prepare` (once the run holds its output folders), then `write` when the exports are due,
    and `close` in any case, while the run still holds the folders."""

    def __init__(self, process: Any, connection: Connection) -> None:
        self._process = process
        self._connection = connection
        self._alive = True
        self._ended = False
        self._tables_dir: Path | None = None

    @classmethod
    def start(cls) -> ExportProcess:
        """The process, forked now (before this process starts threads or a pool)."""
        ours, theirs = multiprocessing.Pipe()
        process = multiprocessing.get_context("fork").Process(
            target=_serve, args=(theirs, os.getpid()), name="pipeline-exports", daemon=True
        )
        try:
            process.start()
        except OSError:  # no process to be had (a limit on processes, no memory): the run writes them itself
            ours.close()
            theirs.close()
            exported = cls(process, ours)
            exported._alive, exported._ended = False, True
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
        """End the process at once (killed: it holds nothing), and remove its temporary files; nothing more once
        it has ended."""
        if self._ended:
            return
        self._alive, self._ended = False, True
        self._connection.close()
        if self._process.pid is not None:
            self._process.kill()
            self._process.join()
        if self._tables_dir is not None:
            remove_leftovers(self._tables_dir, [DATABASE_NAME])

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


def _serve(connection: Connection, run_pid: int) -> None:
    """The process: load what the exports need, then answer the run's messages until it is killed or gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the run's, which stops this process
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
    except BaseException:  # noqa: S110  (a run gone, a fault: end quietly, cleaned up below)
        pass
    finally:
        if export is not None:
            with contextlib.suppress(BaseException):
                export.close()


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
