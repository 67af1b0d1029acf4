"""Plain text: strict UTF-8 first, then charset detection; mojibake is repaired later by ftfy in `clean.py`."""

from __future__ import annotations

import re

from pipeline.errors import InputError
from pipeline.ingest import wide_encoding
from pipeline.records import PageText, RawText, SourceFile

_UMLAUT = re.compile(r"[äöüßÄÖÜ]")


def decode_bytes(data: bytes, name: str) -> str:
    """Decode text bytes: UTF-16/32 (with or without BOM) and UTF-8 first, then the best charset guess;
    stray NUL bytes are dropped; undecodable input raises.

    >>> decode_bytes("Grüße".encode("utf-16-be"), "x"), decode_bytes(b"Gr\\xc3\\xbc\\x00\\xc3\\x9fe", "x")
    ('Grüße', 'Grüße')
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    codec = wide_encoding(data[:4096])
    if codec:
        try:
            return data.decode(codec).lstrip("\ufeff").replace("\x00", "")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{name}: text looks like {codec.upper()} but does not decode as it ({exc.reason})",
                "re-save the file as UTF-8",
            ) from exc
    data = data.replace(b"\x00", b"")  # NUL is never text; a few stray ones are dropped (more: ingest refuses)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    candidates = [str(match) for match in from_bytes(data)]  # best guess first
    try:
        windows = data.decode("cp1252")  # the usual non-UTF-8 German file, preferred when it has umlauts
        if _UMLAUT.search(windows):
            candidates.insert(0, windows)
    except UnicodeDecodeError:
        pass
    for text in candidates:  # only a reading in Latin script is German text
        if _garbage_ratio(text) <= 0.05 and _latin_share(text) >= 0.8:
            return text
    raise InputError(
        f"{name}: text is not decodable as any known encoding",
        "re-save the file as UTF-8 (e.g. `iconv -f CP1252 -t UTF-8`)",
    )


def _latin_share(text: str) -> float:
    """Share of letters in Latin script (a German text decoded with a wrong codec turns into CJK or Cyrillic).

    >>> _latin_share("Größe"), _latin_share("걤룓쓠")
    (1.0, 0.0)
    """
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if ord(ch) < 0x250 or 0x1E00 <= ord(ch) < 0x1F00) / len(letters)


def _garbage_ratio(text: str) -> float:
    if not text:
        return 1.0
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\n\r\t\f") or 0x7F <= ord(ch) < 0xA0 or ch == "\ufffd")
    return bad / len(text)


def bytes_to_raw_text(source: SourceFile, data: bytes) -> RawText:
    text = decode_bytes(data, source.source_file)
    page = PageText(number=None, text=text, source="text")
    return RawText(doc_id=source.doc_id, kind=source.kind, pages=(page,), text_source="text", paged=False)
