"""Ingest: find the raw files, hash them, and tell their kind by content (not by extension)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.errors import InputError
from pipeline.records import SourceFile

_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"PK\x03\x04", b"\x1f\x8b")
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<body", b"<head", b"<article", b"<div", b"<p>", b"<meta")


def discover(raw_dir: Path) -> list[Path]:
    """Every regular, non-hidden file under raw_dir, in a stable order."""
    if not raw_dir.is_dir():
        raise InputError(
            f"{raw_dir}: raw folder not found", "create it and put documents in it, or pass --raw DIR"
        )
    files = [p for p in raw_dir.rglob("*") if p.is_file() and not any(x.startswith(".") for x in p.parts)]
    return sorted(files, key=lambda p: str(p.relative_to(raw_dir)))


def doc_id_for(path: Path) -> str:
    return path.stem


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def detect_kind(data: bytes, name: str) -> str:
    """'pdf', 'html' or 'text', judged from the bytes; raises InputError for empty or unknown binary files.

    >>> detect_kind(b"%PDF-1.7 ...", "x.bin"), detect_kind(b"<html><body>Hi", "x.txt"), detect_kind(b"Hallo", "x")
    ('pdf', 'html', 'text')
    """
    if not data.strip():
        raise InputError(
            f"{name}: file is empty", "replace it with the complete document or remove it from raw/"
        )
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if data[:1024].find(b"%PDF-") >= 0:
        return "pdf"
    if head.startswith(_IMAGE_MAGIC):
        raise InputError(
            f"{name}: unsupported file type (image or archive)",
            "convert it to PDF (e.g. `img2pdf` for scans) or extract the archive into raw/",
        )
    lowered = head[:2048].lower()
    if any(marker in lowered for marker in _HTML_MARKERS):
        return "html"
    if _looks_binary(data[:4096]):
        raise InputError(
            f"{name}: unknown binary file type",
            "only PDF, HTML and text files are supported; remove or convert it",
        )
    return "text"


def _looks_binary(sample: bytes) -> bool:
    if b"\x00" in sample:
        # UTF-16 text has NULs too; it is handled by the text decoder.
        return not (sample.startswith((b"\xff\xfe", b"\xfe\xff")))
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control > max(8, len(sample) // 50)


def sniff_kind(path: Path) -> str:
    """The kind of a file from its first bytes ('' when unreadable or unsupported): for scheduling only."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
        return detect_kind(head, path.name)
    except (OSError, InputError):
        return ""


def ingest(path: Path) -> tuple[SourceFile, bytes]:
    """Read one raw file: its identity record and its bytes."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path.name}: cannot read file ({exc.strerror})", "check its permissions") from exc
    kind = detect_kind(data, path.name)
    record = SourceFile(
        doc_id=doc_id_for(path),
        path=str(path),
        source_file=path.name,
        sha256=sha256_of(data),
        kind=kind,
        size=len(data),
    )
    return record, data
