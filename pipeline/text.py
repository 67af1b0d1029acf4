"""Text: per-page text from each kind of input, and how trustworthy that text is.

- PDF (`pdf.py`): text layers through pypdfium2, scans and damaged layers through Tesseract (`ocr.py`).
- HTML (`html.py`): a real parser; navigation, cookie banners, contact blocks and footers dropped.
- Plain text: strict UTF-8 first, then charset detection; mojibake is repaired later by ftfy in `clean.py`.

`text_quality` is the share of word tokens that read as correct German: known to the German word list
(wordfreq, `large` list), not a damaged spelling of a much more frequent umlaut word ("Offnung" for "Öffnung",
"fir" for "für") and free of letters foreign to German spelling inside the word ("Behérde", "Zusté®ndig").
Clean German prose scores about 0.95; text from an English OCR model about 0.85; garbage far less.
"""

from __future__ import annotations

import re
from dataclasses import astuple, dataclass
from functools import lru_cache

from pipeline.errors import InputError, TextError
from pipeline.frequencies import Frequencies, german_frequencies
from pipeline.records import RawText, SourceFile
from pipeline.settings import Settings

_WORD = re.compile(r"[^\W\d_]{2,}(?:[®é][^\W\d_]+)*")
_UMLAUT = re.compile(r"[äöüßÄÖÜ]")
_ODD_INSIDE = re.compile(r"(?<=[^\W\d_])[®©éèêáàíìóòúùñ]|[®©](?=[^\W\d_])")
# wordfreq stores casefolded words (ß → ss), so a lost ß ("StraBe") is looked up as "ss".
_UMLAUT_SWAPS = (("a", "ä"), ("o", "ö"), ("u", "ü"), ("i", "ü"), ("b", "ss"))
_KNOWN = 1e-8  # wordfreq frequency (zipf 1): below this a word is unknown
_LOST_FACTOR = 30.0  # an umlaut spelling this much more frequent means the umlaut was lost
_MIN_TOKENS = 30  # fewer tokens than this: too little text to judge a page


def source_to_raw_text(source: SourceFile, data: bytes, settings: Settings) -> RawText:
    """The entry point of the text stage: one RawText (pages, source, notes, quality) per input file."""
    from dataclasses import replace

    if source.kind == "pdf":
        from pipeline.pdf import pdf_to_raw_text

        raw = pdf_to_raw_text(source, data, settings)
    elif source.kind == "html":
        from pipeline.html import html_to_raw_text

        raw = html_to_raw_text(source, data)
    else:
        raw = bytes_to_raw_text(source, data)
    if not any(page.text.strip() for page in raw.pages):
        raise TextError(
            f"{source.source_file}: no extractable text",
            "the document is blank or unreadable; supply a better scan or the born-digital original",
        )
    if source.kind == "pdf":
        return raw  # pdf.py scores its pages as it reads them
    return replace(raw, quality=text_quality("\n".join(page.text for page in raw.pages)))


# ---------------------------------------------------------------- quality


@dataclass(frozen=True)
class TextStats:
    tokens: int
    umlaut: int  # tokens with ä/ö/ü/ß
    unknown: int  # tokens not in the German word list
    lost_umlaut: int  # tokens whose umlaut spelling is far more frequent
    odd: int  # tokens with é/®/... inside the word

    def share(self, count: int) -> float:
        return count / self.tokens if self.tokens else 0.0

    def __add__(self, other: TextStats) -> TextStats:
        return TextStats(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


def umlaut_spellings(word: str) -> list[str]:
    """Spellings of a casefolded word with one umlaut/ß restored.

    >>> umlaut_spellings("strabe")
    ['sträbe', 'strasse']
    """
    out = []
    for plain, umlaut in _UMLAUT_SWAPS:
        start = word.find(plain)
        while start >= 0:
            out.append(word[:start] + umlaut + word[start + len(plain) :])
            start = word.find(plain, start + 1)
    return out


def is_lost_umlaut(word: str, freqs: Frequencies) -> bool:
    """Whether an umlaut-free word is most likely a damaged umlaut word ("offnung" → "öffnung")."""
    own = freqs.get(word, 0.0)
    best = max((freqs.get(w, 0.0) for w in umlaut_spellings(word)), default=0.0)
    return best >= _KNOWN * 10 and best >= own * _LOST_FACTOR


@lru_cache(maxsize=262144)
def word_class(token: str) -> int:
    """0 correct German, 1 unknown, 2 lost umlaut, 3 odd letter inside, 4 correct with an umlaut (cached:
    words repeat, and this is the hot path of the text-layer quality gate)."""
    if _ODD_INSIDE.search(token):
        return 3
    freqs = german_frequencies()
    word = token.casefold()
    known = freqs.get(word, 0.0) >= _KNOWN
    if _UMLAUT.search(token):
        return 4 if known else 1
    if not known:
        return 1
    return 2 if is_lost_umlaut(word, freqs) else 0


def text_to_stats(text: str) -> TextStats:
    counts = [0, 0, 0, 0, 0]
    tokens = _WORD.findall(text)
    for token in tokens:
        counts[word_class(token)] += 1
    # an unknown word with an umlaut counts as unknown and as an umlaut token
    umlaut = counts[4] + sum(1 for t in tokens if word_class(t) == 1 and _UMLAUT.search(t))
    return TextStats(len(tokens), umlaut, counts[1], counts[2], counts[3])


def text_quality(text: str) -> float:
    """Share of word tokens that read as correct German (see the module docstring); 0.0 without words.

    >>> text_quality("Die Landesregierung fördert die interkulturelle Öffnung der Verwaltung.")
    1.0
    >>> text_quality("Die Landesregierung fordert die interkulturelle Offnung der Verwaltung fir alle.") < 0.9
    True
    """
    return stats_to_quality(text_to_stats(text))


def stats_to_quality(stats: TextStats) -> float:
    if not stats.tokens:
        return 0.0
    return round(1.0 - (stats.unknown + stats.lost_umlaut + stats.odd) / stats.tokens, 3)


def layer_damage(text: str) -> str | None:
    """Why a page's text layer looks machine-damaged: '' when it looks fine, None when too short to judge.

    Clean German has ä/ö/ü/ß in 9-16 % of tokens; a layer made by an English OCR model has under 3 %, and
    shows lost umlauts, accented letters inside words or many words no German word list knows.
    """
    return stats_to_damage(text_to_stats(text))


def stats_to_damage(stats: TextStats) -> str | None:
    if stats.tokens < _MIN_TOKENS:
        return None
    signs = []
    if stats.share(stats.lost_umlaut) >= 0.02:
        signs.append(f"{stats.share(stats.lost_umlaut):.1%} lost umlauts")
    if stats.odd >= 2:
        signs.append(f"{stats.odd} words with é/® inside")
    if stats.share(stats.unknown) >= 0.12:
        signs.append(f"{stats.share(stats.unknown):.1%} unknown words")
    low_umlaut = stats.share(stats.umlaut) < 0.03
    if (low_umlaut and signs) or stats.share(stats.unknown) >= 0.30:
        return f"umlauts in {stats.share(stats.umlaut):.1%} of tokens, " + ", ".join(signs)
    return ""


# ---------------------------------------------------------------- plain text


def decode_bytes(data: bytes, name: str) -> str:
    """Decode text bytes: BOMs and UTF-8 first, then the best charset guess; undecodable input raises."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
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
    from pipeline.records import PageText

    text = decode_bytes(data, source.source_file)
    page = PageText(number=None, text=text, source="text")
    return RawText(doc_id=source.doc_id, kind=source.kind, pages=(page,), text_source="text", paged=False)
