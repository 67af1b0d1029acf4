"""Loading of the knowledge kept as data under `models/` (built by `scripts/build_models.py`).

Loaded once per process and cached; code holds mechanisms, these files hold German.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache, lru_cache
from glob import escape as glob_escape
from pathlib import Path
from typing import Any, TypeVar

from pipeline.atomic import write_atomic

T = TypeVar("T")

PIPELINE_DIR = Path(__file__).resolve().parent.parent
MODELS_DIR = PIPELINE_DIR.parent / "models"
# What workers would otherwise work out again in every process (word frequencies, compiled patterns, required
# literals), kept per checkout: git-ignored and rebuilt on demand.
CACHE_DIR = MODELS_DIR / ".cache"


def cached_json(folder: Path, kind: str, key: str, compute: Callable[[], Any], load: Callable[[Any], T]) -> T:
    """`load(compute())`, where `compute()` is JSON data that depends only on `key`: read from a file of `folder`
    when one was written for this key before. A missing, damaged or foreign file (one that `load` refuses with
    ValueError, TypeError or RuntimeError) is computed again and rewritten; a folder that cannot be written
    (a read-only checkout) only costs the computing. An error of `compute()` or of loading what it gave is the
    caller's."""
    path = folder / f"{kind}-{hashlib.sha256(key.encode()).hexdigest()[:20]}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored["key"] == key:
            return load(stored["value"])
    except (OSError, ValueError, KeyError, TypeError, RuntimeError):
        pass  # not computed before, or damaged
    value = compute()
    loaded = load(value)
    try:
        write_atomic(path, json.dumps({"key": key, "value": value}, ensure_ascii=False))
    except OSError:
        pass
    return loaded


def cached_derived(folder: Path, kind: str, key: str, compute: Callable[[], Any], load: Callable[[Any], T]) -> T:
    """`cached_json` for the many small values a process derives from the models (a compiled pattern's program,
    its required literals): all values of one `kind` live in one file of `folder` per pipeline version,
    `<kind>-<version>.marshal` ({key: value}), read once per process (a fresh worker read ~270 JSON files, ~25 ms).
    `compute()` gives data `marshal` can write (JSON-like data). A missing or damaged file only costs computing its
    values; a value `load` refuses (ValueError, TypeError, RuntimeError) is computed again. What a process computed
    is written when it ends (`save_derived`), merged with what other processes wrote meanwhile; the files of other
    versions of the kind are then removed. An error of `compute()` or of loading what it gave is the caller's."""
    bundle = _bundle(folder, kind)
    if key in bundle.values:
        try:
            return load(bundle.values[key])
        except (ValueError, TypeError, RuntimeError, KeyError):
            pass  # damaged, or from an engine whose internals differ
    value = compute()
    loaded = load(value)
    bundle.values[key] = bundle.unsaved[key] = value
    _save_when_ending()
    return loaded


class _Bundle:
    """The values of one kind: those of its file and those this process computed, not yet saved."""

    def __init__(self, path: Path, values: dict[str, Any]) -> None:
        self.path = path
        self.values = values
        self.unsaved: dict[str, Any] = {}


_BUNDLES: dict[tuple[Path, str], _Bundle] = {}
_SAVING_IN: list[int] = []  # the process that arranged to save its bundles when it ends (a forked one must again)


def _bundle(folder: Path, kind: str) -> _Bundle:
    bundle = _BUNDLES.get((folder, kind))
    if bundle is None:
        path = folder / f"{kind}-{pipeline_version()}.marshal"
        bundle = _BUNDLES[folder, kind] = _Bundle(path, _read_bundle(path))
    return bundle


def _read_bundle(path: Path) -> dict[str, Any]:
    try:
        values = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return {}  # not written yet, or damaged
    return values if isinstance(values, dict) else {}


def _save_when_ending() -> None:
    """Have `save_derived` run when this process ends: at its exit, or, in a worker process of `multiprocessing`
    (which ends without running `atexit`), when the worker ends."""
    if _SAVING_IN[-1:] != [os.getpid()]:
        from multiprocessing.util import Finalize

        Finalize(None, save_derived, exitpriority=0)
        _SAVING_IN.append(os.getpid())


def save_derived() -> None:
    """Write the values this process computed into the files of their kinds (`cached_derived`): under a lock,
    merged with what is there, atomically. A folder that cannot be written only costs the computing next time."""
    for (folder, kind), bundle in list(_BUNDLES.items()):
        if not bundle.unsaved:
            continue
        try:
            with _locked(folder / f"{kind}.lock"):
                values = _read_bundle(bundle.path)
                values.update(bundle.unsaved)
                write_atomic(bundle.path, marshal.dumps(values))
                for other in folder.glob(f"{glob_escape(kind)}-{'[0-9a-f]' * 16}.marshal"):
                    if other != bundle.path:
                        other.unlink(missing_ok=True)
        except (OSError, ValueError):  # ValueError: a value `marshal` cannot write (a caller's mistake)
            pass
        bundle.unsaved.clear()


def forget_derived() -> None:
    """Drop the derived values this process holds, unsaved ones included: the next `cached_derived` reads its file
    again, as a new process would (for tests)."""
    _BUNDLES.clear()


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@cache
def load_json(name: str) -> Any:
    """Load `models/<name>` (JSON)."""
    path = MODELS_DIR / name
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def load_lines(name: str) -> tuple[str, ...]:
    """Load `models/<name>` as non-empty, non-comment lines."""
    path = MODELS_DIR / name
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))


@cache
def adjective_endings() -> tuple[str, ...]:
    """The inflection endings of an attributive adjective, longest first (`models/patterns/shared.json`): the
    partners cut them to an adjective's stem, the figures find an adjective before a counted noun, the OCR repair
    expects a noun after one."""
    return tuple(load_json("patterns/shared.json")["adjective_endings"])


def _version_files(roots: tuple[Path, ...]) -> list[tuple[Path, Path]]:
    """(root, file) of every file under `roots` that a version covers, each root's files in path order: not the
    inputs of the model build (`sources`), compiled bytecode, or caches derived at run time (dot folders such as
    `models/.cache`)."""
    files: list[tuple[Path, Path]] = []
    for root in roots:
        found: list[Path] = []
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if d != "__pycache__" and d != "sources" and not d.startswith(".")]
            found.extend(Path(folder, name) for name in names if not name.endswith(".pyc") and not name.startswith("."))
        files.extend((root, path) for path in sorted(found))
    return files


def _digest_of(files: list[tuple[Path, Path]]) -> str:
    digest = hashlib.sha256()
    for root, path in files:
        digest.update(str(path.relative_to(root.parent)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def tree_version(roots: tuple[Path, ...], cache_dir: Path) -> str:
    """A hash of the names and bytes of the files under `roots` (`_version_files`). Reading every file costs
    ~70 ms for the pipeline, so the hash is kept in `cache_dir` for the files' stat stamps (size, modification and
    change times, inode): an edit, a checkout, or a copy that keeps the modification time all change the change
    time, and the files are read and hashed again."""
    files = _version_files(roots)
    stamps = []
    for _, path in files:
        stat = path.stat()
        stamps.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}")
    return cached_json(cache_dir, "version", "\n".join(stamps), lambda: _digest_of(files), str)


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A hash of the pipeline's own code and data: a change to either invalidates every cached result."""
    return tree_version((PIPELINE_DIR, MODELS_DIR), CACHE_DIR)
