"""Repair: restore German OCR damage (lost umlauts, ß, quotes, list numbers) in documents the gate marks damaged.

This stage runs after `clean.py` and before extraction. Clean documents pass through unchanged.
"""

from __future__ import annotations

import re

from pipeline.records import CleanText

_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+")


def umlaut_token_share(text: str) -> float:
    """Share of word tokens containing ä/ö/ü/ß (clean German: 9–16 %; English-model OCR: under 3 %)."""
    tokens = _WORD.findall(text)
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if re.search("[äöüßÄÖÜ]", t)) / len(tokens)


def is_damaged(text: str) -> bool:
    tokens = _WORD.findall(text)
    return len(tokens) >= 50 and umlaut_token_share(text) < 0.03


def repair_clean(clean: CleanText) -> CleanText:
    """Gate the document; damaged text is marked (the lexical repair itself is built in issue 4)."""
    damaged = is_damaged(clean.text)
    return CleanText(
        doc_id=clean.doc_id,
        text=clean.text,
        page_starts=clean.page_starts,
        changes=clean.changes,
        repairs=(),
        damaged=damaged,
        quality=clean.quality,
    )
