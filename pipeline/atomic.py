"""Atomic writes, for every module that writes a file: a temporary file in the same folder, then a rename, so
readers never see half a file and a failed write leaves the old one."""

from __future__ import annotations

import glob
import os
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import IO, Any


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@cache
def file_mode() -> int:
    """The mode a plain open() would give a new file (mkstemp makes files private to their owner)."""
    return 0o666 & ~_umask()


@contextmanager
def atomic_file(path: Path, binary: bool = False) -> Iterator[IO[Any]]:
    """A file handle whose contents replace `path` only when the block ends without error (temporary file in the
    same folder, then rename): readers never see half a file, and a failed write leaves the old one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), dir=path.parent)
    try:
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def temp_prefix(path: Path) -> str:
    """`.<name>.` for a temporary file next to `path`, the name cut to 100 bytes so that the temporary name stays
    within the file system's 255-byte limit whatever the name's length.

    >>> len(temp_prefix(Path("ä" * 200 + ".json")).encode())
    102
    """
    name = os.fsencode(path.name)[:100].decode("utf-8", "ignore") if len(os.fsencode(path.name)) > 100 else path.name
    return f".{name}."


def remove_leftovers(folder: Path, names: list[str]) -> list[Path]:
    """Delete temporary files an interrupted writer left next to these outputs (`.<name>.*`); only safe while
    holding the folder's lock (`exclusive_lock`)."""
    removed = []
    for name in names:
        for leftover in folder.glob(f"{glob.escape(temp_prefix(folder / name))}*") if folder.is_dir() else []:
            if leftover.is_file():
                leftover.unlink(missing_ok=True)
                removed.append(leftover)
    return removed


class LockedError(Exception):
    """Another process holds the lock."""


@contextmanager
def exclusive_lock(path: Path, holder: str) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created if needed) for the block, or raise LockedError at once. The
    kernel releases the lock when the process ends, however it ends, so a crash never leaves a stale lock."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, file_mode())
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockedError(os.pread(fd, 200, 0).decode("utf-8", "replace").strip()) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{holder}\n".encode(), 0)
        yield
    finally:
        os.close(fd)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write through a temporary file in the same folder and rename: readers never see half a file."""
    with atomic_file(path, binary=True) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


def write_if_changed(path: Path, data: str) -> bool:
    """Atomic write unless the file already holds exactly these bytes; True when it wrote."""
    payload = data.encode("utf-8")
    if path.exists() and path.read_bytes() == payload:
        return False
    write_atomic(path, payload)
    return True


@contextmanager
def ctrl_c_held() -> Iterator[None]:
    """A Ctrl-C (SIGINT) that comes during the block is delivered when it ends. Around a fork: Python runs its
    after-fork handlers with the exception of a signal that came meanwhile reported as ignored, so the Ctrl-C would
    be lost and the run go on. A process forked in the block starts with SIGINT held too, and lets it go once it has
    set what it does with it (`let_ctrl_c_go`)."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def let_ctrl_c_go() -> None:
    """In a process forked under `ctrl_c_held`: SIGINT is delivered again (to what the process set for it)."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
