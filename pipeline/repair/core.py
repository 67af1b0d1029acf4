"""Repair: restore German OCR damage (lost umlauts, ß, quotes, list numbers) in text the gate marks damaged.

This stage runs after `clean.py` and before extraction. The gate decides per document and per page
(`repair_gate.py`); clean text passes through byte-identical. In damaged text, words unknown to the lexicon are
repaired from the OCR confusion table (`repair_words.py`) and quotes, bullets and list numbers restored
(`repair_marks.py`). Every change is a `Change` with offsets into the repaired text, so it can be audited,
replayed or undone; repairing repaired text changes nothing.
"""

from __future__ import annotations

import dataclasses

from pipeline.records import Change, CleanText
from pipeline.repair.gate import text_to_gate_stats
from pipeline.repair.lexicon import Lexicon, load_lexicon
from pipeline.repair.marks import text_to_mark_edits, text_to_number_edits
from pipeline.repair.words import Edit, text_to_word_edits


def page_spans(text: str, page_starts: tuple[int, ...]) -> list[tuple[int, int]]:
    """(start, end) of each page, or one span for unpaged text.

    >>> page_spans("abcdef", (0, 2, 5))
    [(0, 2), (2, 5), (5, 6)]
    """
    if not page_starts:
        return [(0, len(text))]
    ends = [*page_starts[1:], len(text)]
    return [(s, e) for s, e in zip(page_starts, ends, strict=True) if e > s]


def damaged_spans(text: str, page_starts: tuple[int, ...], lexicon: Lexicon | None) -> list[tuple[int, int]]:
    """The pages the gate marks damaged; a page too short to decide follows the whole document.

    Without a lexicon the gate judges by umlauts and English function words alone, so it over-approximates:
    a page it passes is clean for certain. The whole document is judged only when a page needs it (a long
    document's pages are all long enough to decide)."""
    whole: bool | None = None  # the document's verdict, once judged
    spans = []
    for start, end in page_spans(text, page_starts):
        stats = text_to_gate_stats(text[start:end], lexicon) if page_starts else None
        if stats is not None and stats.decided:
            damaged = stats.damaged
        else:
            if whole is None:
                whole = text_to_gate_stats(text, lexicon).damaged
            damaged = whole
        if damaged:
            spans.append((start, end))
    return spans


def merge_edits(edits: list[Edit]) -> list[Edit]:
    """Sorted, without overlaps (the first found of two overlapping edits wins)."""
    kept: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if kept and edit.start < kept[-1].end:
            continue
        kept.append(edit)
    return kept


def apply_edits(text: str, edits: list[Edit]) -> tuple[str, tuple[Change, ...]]:
    """The repaired text and its changes, with offsets into the repaired text.

    >>> apply_edits("Uber die Offnung", [Edit(0, 4, "Über", "w", 1.0), Edit(9, 16, "Öffnung", "w", 1.0)])[0]
    'Über die Öffnung'
    """
    parts: list[str] = []
    changes: list[Change] = []
    last = 0
    shift = 0
    for edit in edits:
        parts.append(text[last : edit.start])
        before = text[edit.start : edit.end]
        start = edit.start + shift
        changes.append(Change(edit.rule, start, start + len(edit.after), before, edit.after, edit.score))
        parts.append(edit.after)
        shift += len(edit.after) - len(before)
        last = edit.end
    parts.append(text[last:])
    return "".join(parts), tuple(changes)


def replay(text: str, repairs: tuple[Change, ...]) -> str:
    """Apply recorded repairs (offsets into the repaired text) to the text before repair.

    >>> replay("Uber die Offnung", (Change("w", 0, 4, "Uber", "Über"), Change("w", 9, 16, "Offnung", "Öffnung")))
    'Über die Öffnung'
    """
    parts: list[str] = []
    last = shift = 0
    for change in sorted(repairs, key=lambda c: c.start):
        start = change.start - shift  # where the change begins in the text before repair
        if text[start : start + len(change.before)] != change.before:
            raise ValueError(f"repair {change} does not fit the text at {start}")
        parts.append(text[last:start] + change.after)
        last = start + len(change.before)
        shift += len(change.after) - len(change.before)
    return "".join(parts) + text[last:]


def shift_offset(offset: int, changes: tuple[Change, ...]) -> int:
    """Where an offset of the text before these changes lands in the text after them."""
    shift = 0
    for change in changes:
        if change.start - shift >= offset:
            break
        shift += len(change.after) - len(change.before)
    return offset + shift


def shift_changes(old: tuple[Change, ...], new: tuple[Change, ...]) -> tuple[Change, ...]:
    """Earlier repairs moved into the coordinates of a text repaired again, followed by the new ones."""
    moved = []
    for change in old:
        start = shift_offset(change.start, new)
        moved.append(dataclasses.replace(change, start=start, end=start + len(change.after)))
    return tuple(sorted(moved + list(new), key=lambda c: (c.start, c.end)))


def text_to_edits(text: str, spans: list[tuple[int, int]], lexicon: Lexicon) -> list[Edit]:
    """The edits for the damaged spans; list numbers are read off the whole text, as lists cross pages."""
    edits: list[Edit] = []
    for start, end in spans:
        edits += text_to_mark_edits(text, lexicon, start, end)
        edits += text_to_word_edits(text, lexicon, start, end)
    numbers = text_to_number_edits(text, 0, len(text))
    edits += [e for e in numbers if any(start <= e.start < end for start, end in spans)]
    return merge_edits(edits)


def repair_clean(clean: CleanText) -> CleanText:
    """Gate the document (and its pages); repair the damaged ones, recording every change.

    Text the gate passes, and text with nothing left to repair, comes back as it was given.
    """
    if not damaged_spans(clean.text, clean.page_starts, None):
        return clean  # umlauts where German has them: no page can be damaged, and the lexicon need not load
    lexicon = load_lexicon()
    spans = damaged_spans(clean.text, clean.page_starts, lexicon)
    edits = text_to_edits(clean.text, spans, lexicon) if spans else []
    if not edits:
        return dataclasses.replace(clean, damaged=clean.damaged or bool(spans))
    text, repairs = apply_edits(clean.text, edits)
    page_starts = tuple(shift_offset(p, repairs) for p in clean.page_starts)
    return dataclasses.replace(
        clean, text=text, page_starts=page_starts, repairs=shift_changes(clean.repairs, repairs), damaged=True
    )
