"""Incremental runs: each document's result is stored under a key of its content and the pipeline version.

Paths come from one place (`Settings`), so what is pending is computed from disk, not remembered.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.atomic import write_atomic
from pipeline.ingest import open_regular
from pipeline.models import pipeline_version
from pipeline.records import DocResult
from pipeline.settings import Settings


@dataclass(frozen=True)
class Fingerprint:
    """What identifies one raw file's content cheaply: stat first, the hash only when stat changed."""

    size: int
    mtime_ns: int
    sha256: str


STAGES = ("results", "raw", "clean")


def state_path(settings: Settings, doc_id: str, stage: str = "results") -> Path:
    """Where a document's record of one stage lives: `<clean>/.state/<stage>/<doc_id>.json`."""
    return settings.state_dir / stage / f"{doc_id}.json"


def stat_path(settings: Settings) -> Path:
    return settings.state_dir / "_fingerprints.json"


def load_fingerprints(settings: Settings) -> dict[str, Fingerprint]:
    path = stat_path(settings)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {k: Fingerprint(**v) for k, v in data.items()}
    except (OSError, ValueError, TypeError, AttributeError):  # a damaged file only costs hashing again
        return {}


def save_fingerprints(settings: Settings, prints: dict[str, Fingerprint]) -> None:
    data = {k: vars(v) for k, v in sorted(prints.items())}
    write_atomic(stat_path(settings), json.dumps(data, indent=0, sort_keys=True))


def fingerprint(path: Path, known: Fingerprint | None, name: str = "") -> Fingerprint:
    """Raises InputError (naming the file, as `name` if given, and the fix) when the file vanished, is unreadable
    or not a file."""
    with open_regular(path, name) as handle:
        stat = os.fstat(handle.fileno())
        if known is not None and known.size == stat.st_size and known.mtime_ns == stat.st_mtime_ns:
            return known
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    return Fingerprint(stat.st_size, stat.st_mtime_ns, digest)


def cache_key(sha256: str, settings: Settings) -> str:
    """Content hash + pipeline code/data version + the settings that change results."""
    parts = [sha256, pipeline_version(), settings.ocr_lang, str(settings.ocr_dpi)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


def load_result(settings: Settings, doc_id: str) -> DocResult | None:
    path = state_path(settings, doc_id)
    if not path.exists():
        return None
    try:
        return DocResult.from_json(path.read_text(encoding="utf-8"))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # a damaged state file just means: process again


def save_result(settings: Settings, result: DocResult) -> DocResult:
    """Store a result; returns it as stored: text that cannot be UTF-8 (a file name's undecodable bytes, carried
    as lone surrogates) is escaped as `\\xNN`, so that it can be written to the tables too."""
    text = result.to_json()
    try:
        payload = text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        result, payload = DocResult.from_json(text), text.encode("utf-8")
    write_atomic(state_path(settings, result.doc_id), payload)
    return result


def index_entry(result: DocResult) -> str:
    """What the results index holds for a result: its cache key, a digest of its content (so that the tables,
    a function of the index, change whenever a result does) and, for a failure, a mark: failures are never taken
    as up to date, so a failed document is tried again on every run."""
    content = dataclasses.replace(result, timings=()).to_json()  # timings differ from run to run
    digest = hashlib.sha256(content.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return f"{result.key}:{digest}:failed" if result.failures else f"{result.key}:{digest}"


def entry_key(entry: str) -> str:
    """The cache key of an index entry."""
    return entry.split(":", 1)[0]


def is_current(entry: str | None, key: str) -> bool:
    """Whether an index entry is a success stored under this cache key (a failure never is)."""
    return entry is not None and entry_key(entry) == key and not entry.endswith(":failed")


def remove_stale(settings: Settings, live_ids: set[str]) -> list[str]:
    """Delete the state and clean text of documents no longer in the raw folder."""
    removed: set[str] = set()
    for stage in STAGES:
        folder = settings.state_dir / stage
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            if path.stem not in live_ids:
                path.unlink(missing_ok=True)
                removed.add(path.stem)
    for path in sorted(settings.clean_dir.glob("*.txt")) if settings.clean_dir.is_dir() else []:
        if path.stem not in live_ids:
            path.unlink(missing_ok=True)
            removed.add(path.stem)
    return sorted(removed)


def has_outputs(settings: Settings) -> bool:
    """Whether earlier runs left results or clean texts in these output folders."""
    folders = [(settings.state_dir / "results", "*.json"), (settings.clean_dir, "*.txt")]
    return any(folder.is_dir() and next(folder.glob(pattern), None) is not None for folder, pattern in folders)


def remove_temp_files(settings: Settings) -> None:
    """Delete the temporary files (`.<name>.<random>`) a killed run left among the clean texts and the state;
    only while holding the run lock."""
    folders = [(settings.clean_dir, ".*.txt.*"), *((settings.state_dir / s, ".*.json.*") for s in STAGES)]
    folders.append((settings.state_dir, ".*.json.*"))
    for folder, pattern in folders:
        for leftover in folder.glob(pattern) if folder.is_dir() else []:
            if leftover.is_file():
                leftover.unlink(missing_ok=True)


def ensure_dirs(settings: Settings) -> None:
    for directory in (settings.clean_dir, settings.tables_dir, *(settings.state_dir / s for s in STAGES)):
        os.makedirs(directory, exist_ok=True)


def index_path(settings: Settings) -> Path:
    return settings.state_dir / "_results.json"


def load_index(settings: Settings) -> dict[str, str]:
    """doc_id → cache key of every stored result: what is up to date is decided without reading the results."""
    try:
        data = json.loads(index_path(settings).read_text(encoding="utf-8"))
        return {str(k): v for k, v in data.items() if isinstance(v, str)}
    except (OSError, ValueError, AttributeError):
        return {}


def save_index(settings: Settings, index: dict[str, str]) -> None:
    write_atomic(index_path(settings), json.dumps(dict(sorted(index.items())), indent=0))


def manifest_path(settings: Settings) -> Path:
    return settings.state_dir / "_tables.json"


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def load_manifest(settings: Settings) -> dict[str, Any]:
    """What the tables were last written from (a digest of the results' keys) and the files' hashes."""
    try:
        data = json.loads(manifest_path(settings).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def save_manifest(settings: Settings, manifest: dict[str, Any]) -> None:
    write_atomic(manifest_path(settings), json.dumps(manifest, indent=1))
