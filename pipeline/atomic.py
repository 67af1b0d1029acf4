"""Atomic writes, for every module that writes a file: a temporary file in the same folder, then a rename, so
readers never see half a file and a failed write leaves the old one."""

from __future__ import annotations

import os
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
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
