"""Clean: an ordered list of small fixers run to a fixed point, every change recorded.

Page text goes in; one clean text comes out, one paragraph per line, with the offset where each page starts.
The OCR repair of damaged German (lost umlauts, ß, quotes, list numbers) is a separate stage: `repair.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from rapidfuzz.distance import Levenshtein

from pipeline.models import compile_cached, load_json
from pipeline.records import Change, CleanText, RawText


@dataclass(frozen=True)
class Fixer:
    """A named `str -> str` step of the cleaning."""

    name: str
    apply: Callable[[str], str]


def fix_encoding(text: str) -> str:
    """ftfy for mojibake, keeping German „“ quotes (no uncurling) and composing to NFC.

    >>> fix_encoding("FÃ¼r die â€žVielfaltâ€œ")
    'Für die „Vielfalt“'
    """
    match = ftfy_needed(text)
    if match is None:
        return text  # nothing ftfy would change: it is slow, and most born-digital pages are like this
    # ftfy fixes each line on its own, so only the lines that need it go through it (a real page has a "°" or
    # "é" on one line and plain German on forty).
    import ftfy  # imported when a text needs it (a tenth of a second per process)

    pieces = []
    done = 0
    while match is not None:
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start())
        end = len(text) if end < 0 else end
        pieces += [text[done:start], ftfy.fix_text(text[start:end], uncurl_quotes=False, normalization="NFC")]
        done = end
        match = ftfy_needed(text, end)
    pieces.append(text[done:])
    return "".join(pieces)


# ftfy leaves a text alone if it has only printable ASCII (an "&" that starts no HTML entity, the one thing ftfy
# changes in ASCII: `ftfy.chardata.HTML_ENTITY_RE`, which needs its ";"), page breaks, German letters,
# common punctuation and "€", and none of those that can stand for a UTF-8 lead byte (read as Latin-1, cp1252 or
# MacRoman; not "§" or "•") right before another non-ASCII character, except an umlaut before "ß" ("gemäß",
# "mäßig": in no codec is the umlaut a lead byte while "ß" is a continuation byte). Other letters ("é" of "André",
# "ğ" and "ı" of Turkish names) and a symbol font's private-use glyphs pass where ftfy leaves them alone by
# themselves (`models/patterns/ftfy_quiet.json`, asked of ftfy by scripts/build_ftfy_quiet.py) and no other
# non-ASCII character stands next to them: mojibake is a run of them. Checked by a property test and on every
# string of up to three such characters (tests/test_properties.py); a page that passes spares the worker the
# import of ftfy.
_MAY_LEAD = "äöüÄÖÜß„“”‚‘’–—…€"  # non-ASCII characters that are a UTF-8 lead byte in some single-byte codec
_NEVER_LEAD = "•§"


def class_ranges(chars: str) -> str:
    """The characters as the inside of a regex class, runs of consecutive code points as ranges (the thousands
    of private-use characters compile in a few ranges instead of one by one).

    >>> print(class_ranges("acbxé-"))
    \\-a-cxé
    """
    codes = sorted(set(map(ord, chars)))
    runs: list[list[int]] = []
    for code in codes:
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in runs)


# (The quiet characters are letters and signs from U+00A0 on, and the private-use glyphs of symbol fonts, such as
# Wingdings' telephone before a number: printable ASCII passes anyway.)
_QUIET_CHARACTERS = load_json("patterns/ftfy_quiet.json")["quiet"]
_QUIET = class_ranges("".join(c for c in _QUIET_CHARACTERS if not c.isascii() and c not in _MAY_LEAD + _NEVER_LEAD))
_ODD = f"[^\\n\\f !-~{_MAY_LEAD}{_NEVER_LEAD}{_QUIET}]"  # a character ftfy may change wherever it stands
_ENTITY = "&(?=#?[0-9A-Za-z]{1,24};)"  # where ftfy's HTML_ENTITY_RE matches
# "„" is a lead byte only in MacRoman, of three bytes: "„über" (an umlaut, then ASCII) cannot be mojibake.
FTFY_NEEDED = compile_cached(
    f"{_ODD}|{_ENTITY}"
    f"|(?!„[äöüÄÖÜ](?![^\\x00-\\x7f]))[{_MAY_LEAD}][{_MAY_LEAD}{_NEVER_LEAD}](?<![äöüÄÖÜ]ß)"
    f"|[{_QUIET}][^\\x00-\\x7f]|[^\\x00-\\x7f][{_QUIET}]"
)
# Where a match of FTFY_NEEDED can start: at an odd character, an "&", or at a non-ASCII one followed by another (every
# other alternative is a pair of non-ASCII characters). A pattern that begins with a character class is skipped
# to its next candidate at C speed; one that begins with an alternation, like FTFY_NEEDED, is tried at every
# position (a German page has an umlaut every hundred characters or so, but seldom two non-ASCII in a row).
_FTFY_START = compile_cached(f"[^\\n\\f !-%'-~](?:(?<={_ODD})|(?<=&)|(?=[^\\x00-\\x7f]))")


def ftfy_needed(text: str, pos: int = 0) -> re.Match[str] | None:
    """`FTFY_NEEDED.search(text, pos)`, tried only where a match can start (six times faster on German pages).

    >>> ftfy_needed("Für die â€žVielfalt").group(), ftfy_needed("gemäß André") is None
    ('â€', True)
    """
    for start in _FTFY_START.finditer(text, pos):
        match = FTFY_NEEDED.match(text, start.start())
        if match is not None:
            return match
    return None


INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\ufffe"), None) | {
    ord("\t"): " ", ord("\f"): "\n", 0xA0: " ", 0x2009: " ", 0x202F: " "
}
CONTROL = compile_cached(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_ANY_INVISIBLE = compile_cached("[\r" + "".join(re.escape(chr(c)) for c in INVISIBLE) + "\x00-\x09\x0b-\x1f\x7f-\x9f]")


def remove_invisible(text: str) -> str:
    r"""Soft hyphens, zero-width marks, BOMs, U+FFFE and stray control characters (tabs become spaces).

    >>> remove_invisible("Ver\u00adwal\ttung\x07\r\nneu")
    'Verwal tung\nneu'
    """
    if not _ANY_INVISIBLE.search(text):
        return text  # the usual case, found at C speed (`translate` with a table looks up every character)
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(INVISIBLE)
    return CONTROL.sub("", text)


@cache
def _headers() -> dict[str, Any]:
    return load_json("patterns/headers.json")  # type: ignore[no-any-return]


@cache
def _page_number_line() -> re.Pattern[str]:
    """The page number patterns as one alternation: one match per line instead of one per pattern."""
    return compile_cached("|".join(f"(?:{pattern})" for pattern in _headers()["page_number_lines"]))


def remove_running_headers(text: str) -> str:
    """Repeated Landtag headers ("LANDTAG NORDRHEIN-WESTFALEN - 16. Wahlperiode Drucksache 16/7204 2")."""
    for pattern in _headers()["running_headers"]:
        text = compile_cached(pattern).sub(" ", text)
    return text


def remove_page_number_lines(text: str) -> str:
    is_number = _page_number_line().match
    return "\n".join([line for line in text.split("\n") if not line.strip() or not is_number(line)])


def join_hyphen(match: re.Match[str]) -> str:
    followers = _headers()["real_hyphen_followers"]
    head, tail = match.group(1), match.group(2)
    if tail in followers or tail.split()[0] in followers:
        return f"{head}- {tail}"
    if tail[:1].isupper() or head[-1:].isupper() or head[-1:].isdigit():
        return f"{head}-{tail}"  # "NRW-\nLandesverwaltung": the hyphen is real
    return head + tail


def dehyphenate(text: str) -> str:
    """Join words split at line ends ("Schrei-\\nben" → "Schreiben"), keeping "Aufsichts- und".

    >>> dehyphenate("Schrei-\\nben und Aufsichts-\\nund NRW-\\nLandes Initiati- ve")
    'Schreiben und Aufsichts- und NRW-Landes Initiative'
    """
    text = _sub_at_hyphens(HYPHEN_BREAK, _HYPHEN_BREAK_HINT, text)
    # Flattened line breaks keep a space after the hyphen: "Initiati- ve".
    return _sub_at_hyphens(HYPHEN_SPACE, _HYPHEN_SPACE_HINT, text)


def _sub_at_hyphens(pattern: re.Pattern[str], hint: re.Pattern[str], text: str) -> str:
    """`pattern.sub(join_hyphen, text)`, tried only at the word before each hyphen that `hint` finds.

    A match of HYPHEN_BREAK or HYPHEN_SPACE starts at a word (`(?<!\\w)\\w+`) right before the hyphen of a
    match of its hint, and a hyphen has no other word right before it: the matches found there, left to right and
    each after the end of the one before, are those of `sub`, which tries every position of the page.
    """
    pieces = []
    done = 0
    for hyphen in hint.finditer(text):
        start = _word_start(text, hyphen.start(), done)
        match = pattern.match(text, start) if start is not None else None
        if match is not None:
            pieces += [text[done:start], join_hyphen(match)]
            done = match.end()
    return "".join(pieces) + text[done:] if pieces else text


def _word_start(text: str, end: int, low: int) -> int | None:
    """The start of the run of word characters (`\\w`) that ends at `end`, if there is one and it starts at or
    after `low`."""
    run = _RUN_END.search(text, max(low, end - 40), end)
    if run is None:
        return None
    start = run.start()
    while start > low and _WORD_CHARACTER.match(text, start - 1):  # a word longer than the window
        start -= 1
    return start if not (start and _WORD_CHARACTER.match(text, start - 1)) else None


# `(?<!\w)`: a match can only start where a word starts; it changes no match, but spares the regex engine a
# retry at every letter of every word
HYPHEN_BREAK = compile_cached(r"(?<!\w)(\w+)-[ ]*\n[ ]*(\w[\w.]*)")
# The head is the whole word before "- ", ending in a lowercase letter: `\w++` takes the word at once, where
# `\w*[a-zäöüß]` took it and gave it back letter by letter at every word start of the page (the same matches:
# "-" is no word character, so only the whole word can stand before it).
HYPHEN_SPACE = compile_cached(r"(?<!\w)(\w++)(?<=[a-zäöüß])- (\w[\w.]*)")
# The hyphens of the two patterns, found fast (a literal first: `re` skips to it at C speed)
_HYPHEN_BREAK_HINT = compile_cached(r"-(?<=\w-)[ ]*\n")
_HYPHEN_SPACE_HINT = compile_cached(r"- (?<=[a-zäöüß]- )")
_RUN_END = compile_cached(r"\w+\Z")
_WORD_CHARACTER = compile_cached(r"\w")


_TERMINAL = compile_cached(r"[.!?:;“\"”)»*®]$")
_LIST_START = compile_cached(r"^\s*(?:\d{1,2}[.)]\s|[•▪◦\-–*]\s|[a-z]\)\s|e\s+[A-ZÄÖÜ])")


def join_paragraph_lines(text: str) -> str:
    """One paragraph per line: join wrapped lines, keep list items and headings apart, merge paragraphs that a
    page or column break cut in the middle of a sentence."""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    lines = text.split("\n")
    # Without any blank line the lines are the paragraphs (already joined text, or one paragraph per line);
    # only a sentence cut at a line end is then joined to the next line, below.
    blank_separated = any(not line.strip() for line in lines[1:-1])
    for line in lines:
        stripped = line.strip()
        if stripped and current and not blank_separated:
            paragraphs.append(current)
            current = []
        if not stripped:
            if current:
                paragraphs.append(current)
                current = []
            continue
        if current and _LIST_START.match(stripped):
            paragraphs.append(current)
            current = []
        current.append(stripped)
    if current:
        paragraphs.append(current)
    merged: list[list[str]] = []
    for para in paragraphs:
        if merged and _continues(merged[-1], para):
            merged[-1] = merged[-1] + para
        else:
            merged.append(para)
    return "\n".join(" ".join(p) for p in merged)


def _continues(previous: list[str], following: list[str]) -> bool:
    """Whether paragraph `following` continues `previous` (judged on the joined paragraph, so that cleaning
    clean text changes nothing)."""
    last, first = " ".join(previous), following[0]
    if _TERMINAL.search(last) or _LIST_START.match(first):
        return False
    if first[:1].islower():
        return True
    return bool(re.search(r"[a-zäöüß,]$", last)) and len(last) >= 50


def normalise_spaces(text: str) -> str:
    # Each pattern runs only where it can match (a run of two spaces; a space before a punctuation mark): they
    # begin with a lookbehind or a repeat, which the regex engine tries at every position of the page.
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    if _SPACE_BEFORE_MARK_HINT.search(text):
        text = _SPACE_BEFORE_MARK.sub("", text)
    return "\n".join(line.strip() for line in text.split("\n"))


_SPACE_RUN = compile_cached(r"[ ]{2,}")
_SPACE_BEFORE_MARK = compile_cached(r"(?<=[\w\"“”)]) +(?=[.,;:!?](?:\s|$|[\"“”]))")
_SPACE_BEFORE_MARK_HINT = compile_cached(r" [.,;:!?]")  # in every match: its last space, then the mark


PAGE_FIXERS: tuple[Fixer, ...] = (
    Fixer("fix_encoding", fix_encoding),
    Fixer("remove_invisible", remove_invisible),
    Fixer("remove_running_headers", remove_running_headers),
    Fixer("remove_page_number_lines", remove_page_number_lines),
    Fixer("dehyphenate", dehyphenate),
    Fixer("join_paragraph_lines", join_paragraph_lines),
    Fixer("normalise_spaces", normalise_spaces),
)


def _record(name: str, before: str, after: str) -> list[Change]:
    """The edits one fixer made, as (offset, before, after) in the text it was given (C-speed edit script)."""
    changes = []
    for op in Levenshtein.opcodes(before, after):
        if op.tag != "equal":
            changes.append(
                Change(
                    rule=name,
                    start=op.src_start,
                    end=op.src_end,
                    before=before[op.src_start : op.src_end],
                    after=after[op.dest_start : op.dest_end],
                )
            )
    return _merge_adjacent(changes)


def _merge_adjacent(changes: list[Change]) -> list[Change]:
    """One change per contiguous edit, so "Schrei-\nben" → "Schreiben" is one record, not three."""
    merged: list[Change] = []
    for change in changes:
        last = merged[-1] if merged else None
        if last is not None and last.end == change.start:
            merged[-1] = Change(
                last.rule, last.start, change.end, last.before + change.before, last.after + change.after
            )
        else:
            merged.append(change)
    return merged


def fix_and_explain(
    text: str, fixers: tuple[Fixer, ...] = PAGE_FIXERS, record: bool = True
) -> tuple[str, list[Change]]:
    """Run the fixers in order until nothing changes (at most 4 rounds); return the text and every change."""
    changes: list[Change] = []
    for _ in range(4):
        start = text
        for fixer in fixers:
            fixed = fixer.apply(text)
            if fixed != text:
                if record and fixer.name not in {"join_paragraph_lines", "normalise_spaces"}:
                    changes.extend(_record(fixer.name, text, fixed))
                text = fixed
        if text == start:
            break
    return text, changes


PAGE_BREAK = "\f"  # between the pages of a paged input, as `pdftotext` and OCRmyPDF's sidecar write it


def page_separator(previous: str, text: str, paged: bool) -> str:
    r"""What joins a page to the text before it (`previous`, the last page that had text).

    A paged input gets one form feed per page boundary, so that `text.split("\f")` gives the pages back: on a
    line of its own where a paragraph ends at the page end (a line break, as far as sentences and line-based
    patterns go), alone where a sentence runs on to the next page (whitespace inside the sentence).

    >>> page_separator("Ende.", "Neue Seite", True), page_separator("und die", "weiteren", True)
    ('\n\x0c\n', '\x0c')
    """
    continues = bool(previous and text) and _continues([previous.rsplit("\n", 1)[-1]], [text.split("\n", 1)[0]])
    if not paged:
        return " " if continues else "\n"
    return PAGE_BREAK if continues or not previous or not text else f"\n{PAGE_BREAK}\n"


def raw_to_clean(raw: RawText) -> CleanText:
    """Clean every page and join them (`page_separator`); `page_starts` maps offsets back to pages for paged
    inputs: the offset of each page's first character, just after its separator."""
    pieces: list[str] = []
    page_starts: list[int] = []
    changes: list[Change] = []
    offset = 0
    previous = ""
    for number, page in enumerate(raw.pages):
        text, page_changes = fix_and_explain(page.text)
        changes.extend(page_changes)
        if number and (raw.paged or (previous and text)):
            separator = page_separator(previous, text, raw.paged)
            pieces.append(separator)
            offset += len(separator)
        page_starts.append(offset)
        pieces.append(text)
        offset += len(text)
        previous = text or previous
    full = "".join(pieces)
    return CleanText(
        doc_id=raw.doc_id,
        text=full,
        page_starts=tuple(page_starts) if raw.paged else (),
        changes=tuple(changes),
    )
