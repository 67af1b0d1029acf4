"""Ingest: find the raw files, hash them, and tell their kind by content (not by extension).

The raw folder is taken as it is: only regular files are documents. Symbolic links are followed only to files
inside the folder; links out of it, dangling links, links to folders, FIFOs, devices and sockets each become a
failure row naming the entry and the fix; hidden entries (`.name`, such as `.DS_Store` or `.git`) are skipped and
named in the run's summary.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError
from pipeline.records import FailureRow, SourceFile

_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"PK\x03\x04", b"\x1f\x8b")
_HTML_DOCUMENT = (b"<!doctype html", b"<html", b"<body", b"<head")  # a page, wherever it starts
_HTML_ELEMENT = re.compile(rb"<(!--|\?xml|!doctype|[a-z][a-z0-9]*[\s/>])")  # what a page fragment starts with
_PDF_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
MAX_ID_BYTES = 200  # a doc_id names files (`<doc_id>.json`, temporary files): well below the 255-byte limit


@dataclass
class RawFolder:
    """What the raw folder holds: the documents, the entries that cannot be documents (one failure row each,
    naming the fix) and the hidden entries that were skipped (relative paths, for the summary)."""

    files: list[Path] = field(default_factory=list)
    problems: list[FailureRow] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)


def discover(raw_dir: Path) -> list[Path]:
    """Every document (regular file, not hidden) under raw_dir, in a stable order."""
    return survey(raw_dir).files


def survey(raw_dir: Path) -> RawFolder:
    """Walk raw_dir (links to folders not followed): documents, entries that cannot be documents, hidden ones."""
    if not raw_dir.is_dir():
        raise InputError(
            f"{raw_dir}: raw folder not found", "create it and put documents in it, or pass --raw DIR"
        )
    root = raw_dir.resolve()
    folder = RawFolder()

    def unreadable(exc: OSError) -> None:
        relative = display_name(Path(exc.filename or raw_dir).relative_to(raw_dir))
        message = f"{relative}: cannot list folder ({exc.strerror}): make it readable or remove it"
        folder.problems.append(FailureRow(doc_id_for(Path(relative)), "ingest", "NotADocument", message, relative))

    for top, dirs, names in os.walk(raw_dir, onerror=unreadable, followlinks=False):
        folder.hidden += [display_name(Path(top, n).relative_to(raw_dir)) for n in dirs + names if n.startswith(".")]
        linked = [d for d in dirs if not d.startswith(".") and Path(top, d).is_symlink()]
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in linked)
        for name in sorted(n for n in names + linked if not n.startswith(".")):
            path = Path(top, name)
            problem = entry_problem(path, root)
            if problem:
                relative = display_name(path.relative_to(raw_dir))
                message = f"{relative}: {problem}"
                folder.problems.append(FailureRow(doc_id_for(path), "ingest", "NotADocument", message, relative))
            else:
                folder.files.append(path)
    folder.files.sort(key=lambda p: str(p.relative_to(raw_dir)))
    folder.hidden.sort()
    return folder


def entry_problem(path: Path, root: Path) -> str:
    """Why an entry of the raw folder cannot be a document, with the fix ('' for a regular file or a link to one
    inside the folder)."""
    try:
        if path.is_symlink():
            target = Path(os.path.realpath(path))
            if not target.exists():
                missing = display_name(os.readlink(path))
                return f"symbolic link to a missing file ({missing}): fix or remove the link"
            if not target.is_relative_to(root):
                return (
                    f"symbolic link to {display_name(target)}, outside the raw folder (not followed): "
                    "copy the file into the raw folder instead"
                )
        mode = path.stat().st_mode
    except OSError as exc:
        return f"cannot inspect entry ({exc.strerror}): check it or remove it from the raw folder"
    if stat.S_ISREG(mode):
        return ""
    kind = "a folder reached through a symbolic link" if stat.S_ISDIR(mode) else _special_kind(mode)
    return f"not a regular file but {kind}: remove it from the raw folder (only PDF, HTML and text files are read)"


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def display_name(path: Path | str) -> str:
    """A path as text that can be written anywhere (UTF-8, NFC): bytes that are not UTF-8 become `\\xNN`.

    >>> display_name(Path(os.fsdecode(b"caf\\xe9.txt"))), display_name("Cafe\u0301")
    ('caf\\\\xe9.txt', 'Café')
    """
    raw = os.fsencode(str(path))
    return unicodedata.normalize("NFC", raw.decode("utf-8", "backslashreplace"))


def source_name(path: Path, raw_dir: Path | None = None) -> str:
    """A raw file as rows and messages name it: its path within the raw folder, so that one name in two
    subfolders stays apart; its file name when it lies elsewhere.

    >>> source_name(Path("raw/a/x.pdf"), Path("raw")), source_name(Path("/tmp/x.pdf"), Path("raw"))
    ('a/x.pdf', 'x.pdf')
    """
    if raw_dir is not None and path.is_relative_to(raw_dir):
        return display_name(path.relative_to(raw_dir))
    return display_name(path.name)


def doc_id_for(path: Path) -> str:
    """The file name without its extension, as text (NFC; undecodable bytes as `\\xNN`), at most MAX_ID_BYTES
    bytes (a longer name is cut and ends in a hash of the whole, so it stays unique).

    >>> doc_id_for(Path("raw/Bericht.pdf")), len(doc_id_for(Path("x" * 300 + ".txt")).encode())
    ('Bericht', 200)
    """
    doc_id = display_name(path.stem)
    encoded = doc_id.encode("utf-8")
    if len(encoded) <= MAX_ID_BYTES:
        return doc_id
    digest = hashlib.sha256(encoded).hexdigest()[:12]
    return encoded[: MAX_ID_BYTES - 13].decode("utf-8", "ignore") + "~" + digest


@contextmanager
def open_regular(path: Path, name: str = "") -> Iterator[io.BufferedReader]:
    """Open a raw file for reading, or raise InputError naming the file (as `name`, else by its file name) and
    the fix: a vanished or unreadable file, or anything but a regular file (a FIFO is opened without blocking, a
    device is never read)."""
    name = name or display_name(path.name)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise _read_error(name, exc) from exc
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError(f"{name}: not a regular file", "remove it from the raw folder")
        yield handle


def _read_error(name: str, exc: OSError) -> InputError:
    if exc.errno == errno.ENOENT:
        return InputError(f"{name}: file vanished during the run (removed or renamed)", "run again")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return InputError(
            f"{name}: cannot read file (permission denied)", "make it readable (`chmod a+r FILE`) or remove it"
        )
    if exc.errno == errno.ELOOP:
        return InputError(f"{name}: symbolic link loop", "replace the link by the file it should point to")
    return InputError(f"{name}: cannot read file ({exc.strerror})", "check the disk or remove the file")


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
    if is_pdf(data):
        return "pdf"
    if head.startswith(_IMAGE_MAGIC):
        raise InputError(
            f"{name}: unsupported file type (image or archive)",
            "convert it to PDF (e.g. `img2pdf` for scans) or extract the archive into raw/",
        )
    if is_html(head):
        return "html"
    if _looks_binary(data[:4096]):
        raise InputError(
            f"{name}: unknown binary file type",
            "only PDF, HTML and text files are supported; remove or convert it",
        )
    return "text"


_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")
)


def wide_encoding(sample: bytes) -> str:
    """'utf-16…'/'utf-32…' when the bytes are text in a two- or four-byte encoding (by its BOM, or without one by
    where the NUL bytes fall: Latin text has a zero high byte in every unit), else ''.

    >>> wide_encoding("Grüße aus Köln".encode("utf-16-le")), wide_encoding("Grüße".encode("utf-32"))
    ('utf-16-le', 'utf-32')
    >>> wide_encoding(b"plain"), wide_encoding(bytes(range(4)) * 8)
    ('', '')
    """
    for bom, codec in _BOMS:
        if sample.startswith(bom):
            return codec
    units = len(sample) // 4 * 4
    if units < 8 or b"\x00" not in sample:
        return ""

    def zero_share(offset: int, step: int) -> float:
        column = sample[offset:units:step]
        return column.count(0) / len(column)

    if all(zero_share(i, 4) > 0.9 for i in (1, 2, 3)) and zero_share(0, 4) < 0.1:
        return "utf-32-le"
    if all(zero_share(i, 4) > 0.9 for i in (0, 1, 2)) and zero_share(3, 4) < 0.1:
        return "utf-32-be"
    if zero_share(1, 2) > 0.9 and zero_share(0, 2) < 0.1:
        return "utf-16-le"
    if zero_share(0, 2) > 0.9 and zero_share(1, 2) < 0.1:
        return "utf-16-be"
    return ""


def is_pdf(data: bytes) -> bool:
    """A PDF starts with `%PDF-`; readers accept up to 1,024 bytes before it, but then the file must also hold
    PDF objects (a text that merely mentions `%PDF-1.7` is no PDF).

    >>> is_pdf(b"%PDF-1.7"), is_pdf(b"junk %PDF-1.4 1 0 obj"), is_pdf(b"Die Datei beginnt mit %PDF-1.7.")
    (True, True, False)
    """
    start = data[:1024].find(b"%PDF-")
    if start < 0:
        return False
    return not data[:start].strip() or _PDF_OBJECT.search(data, start, start + 65536) is not None


def is_html(head: bytes) -> bool:
    """HTML by structure: a document element anywhere in the head, or a text that starts with markup.

    >>> is_html(b"<!-- saved --><html>"), is_html(b"<p>Hallo</p>"), is_html(b"a<b und c>d"), is_html(b"x <p> y")
    (True, True, False, False)
    """
    lowered = head.lower()
    return any(marker in lowered for marker in _HTML_DOCUMENT) or _HTML_ELEMENT.match(lowered) is not None


def _looks_binary(sample: bytes) -> bool:
    if wide_encoding(sample):
        return False  # UTF-16/32 text: the text decoder reads it
    if sample.count(0) > max(2, len(sample) // 1000):
        return True  # a few stray NUL bytes in a text are dropped by the decoder; more mean a binary file
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control > max(8, len(sample) // 50)


def sniff_kind(path: Path) -> str:
    """The kind of a file from its first bytes ('' when unreadable or unsupported): for scheduling only."""
    try:
        with open_regular(path) as handle:
            head = handle.read(4096)
        return detect_kind(head, display_name(path.name))
    except (OSError, InputError):
        return ""


def ingest(path: Path, raw_dir: Path | None = None) -> tuple[SourceFile, bytes]:
    """Read one raw file: its identity record (`source_file` its path within `raw_dir`) and its bytes."""
    name = source_name(path, raw_dir)
    try:
        with open_regular(path, name) as handle:
            data = handle.read()
    except OSError as exc:
        raise _read_error(name, exc) from exc
    kind = detect_kind(data, name)
    record = SourceFile(
        doc_id=doc_id_for(path),
        path=str(path),
        source_file=name,
        sha256=sha256_of(data),
        kind=kind,
        size=len(data),
    )
    return record, data
