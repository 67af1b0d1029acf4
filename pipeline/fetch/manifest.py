"""The record of what was fetched: `.fetch-manifest.json` next to the PDFs (hidden, so `extract` never reads it as
a document), one entry per file with where it came from, its hash and the validators for the next conditional
request. Written atomically after every file, so an interrupted run resumes from what it had saved."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

from pipeline.atomic import write_atomic

MANIFEST_NAME = ".fetch-manifest.json"
LOCK_NAME = ".fetch.lock"


@dataclass(frozen=True)
class Entry:
    """One fetched file: `number` as people write it (`18/14087`), `kind` MMD or MMP."""

    file: str
    number: str
    kind: str
    url: str
    sha256: str
    size: int
    etag: str = ""
    last_modified: str = ""
    fetched_at: str = ""  # when these bytes arrived (UTC, ISO 8601)
    checked_at: str = ""  # when the server last confirmed them (a 304 or the same bytes again)

    def matches(self, folder: Path) -> bool:
        """The file on disk is still the one this entry describes (not removed or edited since)."""
        path = folder / self.file
        return path.is_file() and path.stat().st_size == self.size and sha256_of(path.read_bytes()) == self.sha256


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def load_manifest(folder: Path) -> dict[str, Entry]:
    """The entries by file name; an unreadable manifest counts as empty (every file is then fetched unconditionally,
    which costs bandwidth but never leaves a stale file)."""
    try:
        data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
        names = {f.name for f in fields(Entry)}
        entries = [Entry(**{k: v for k, v in item.items() if k in names}) for item in data["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return {entry.file: entry for entry in entries}


def save_manifest(folder: Path, entries: dict[str, Entry]) -> None:
    """Sorted by file name, so two runs that saw the same server write the same file (times aside)."""
    data = {"files": [asdict(entries[name]) for name in sorted(entries)]}
    write_atomic(folder / MANIFEST_NAME, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
