"""Commitments: the numbered Selbstverpflichtungen / Ziele / Maßnahmen a partner made, with their status.

A partner report lists its commitments as numbered, usually quoted items, each followed by a section
"Umsetzung und Stand der Maßnahmen" describing the status. OCR often loses the list numbers; they are restored
from the sequence (`numbered.py`). A status section that follows two items directly belongs to both.
The committing partner comes from the report's title ("Umsetzungsbericht der …") or from the sentence that
introduces the list ("hatte die Bezirksregierung … vereinbart, folgende Ziele umzusetzen").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from pipeline.extract.base import DocContext, text_to_sentences
from pipeline.extract.commitments.partner import text_to_committing_partner
from pipeline.extract.numbered import (
    NumberedItem,
    is_boundary,
    mark_repaired,
    markers_to_sequences,
    phrase_to_pattern,
    strip_quotes,
    text_to_markers,
)
from pipeline.extract.prefilter import may_match
from pipeline.models import compile_cached, load_json
from pipeline.records import CommitmentRow, DocumentRow

_CLOSING = compile_cached(r"[.!?][ \t]?[“”\"«»*®]")  # not ‘’': those close quotes nested inside
_INTRO_WINDOW = 300
_SECTION_NUMBER = r"(?-i:(?<!\w)(?:[IVX]{1,5}|\d{1,2}|[A-H])\.[ \t]+)?"  # "III. Ausblick"
# A line break after a sentence end (page-faithful text wraps lines inside paragraphs).
_PARAGRAPH_END = compile_cached(r"[.!?:“”\"*®][ \t]*\n")


@dataclass(frozen=True)
class Commitment:
    """A numbered commitment found in the text: the offsets of its text, quote and status."""

    number: int
    inferred: bool
    start: int  # the commitment text, without number and quotes
    end: int
    marker_start: int
    quote_end: int  # end of the stated commitment including its closing quote
    status_start: int
    status_end: int
    headed: bool = False  # the status follows a heading such as "Umsetzung und Stand der Maßnahmen"


@lru_cache(maxsize=1)
def ocr_forms() -> dict[str, list[str]]:
    """The letters of the cue phrases that OCR damages, each with what OCR writes for it: itself, then every form
    the one confusion table gives (models/lexicon/confusions.json; its abbreviation-only rows aside), longest first.

    >>> ocr_forms()["ß"][:3]
    ['ß', 'BB', 'RB']
    """
    forms: dict[str, list[str]] = {letter: [] for letter in load_json("patterns/commitments.json")["ocr_letters"]}
    for ocr, true, context, _ in load_json("lexicon/confusions.json"):
        if true in forms and context != "abbr" and ocr != true and ocr not in forms[true]:
            forms[true].append(ocr)
    return {letter: [letter, *sorted(found, key=lambda f: (-len(f), f))] for letter, found in forms.items()}


@lru_cache(maxsize=1)
def commitment_patterns() -> dict[str, Any]:
    data = load_json("patterns/commitments.json")
    confusions = {letter: "|".join(re.escape(f) for f in forms) for letter, forms in ocr_forms().items()}

    def headings(phrases: list[str]) -> re.Pattern[str]:
        parts = []
        for phrase in sorted(phrases, key=len, reverse=True):
            body = phrase_to_pattern(phrase, confusions)
            # A one-word heading must stand alone (colon or line end); longer ones may run into the text.
            tail = r"[ \t]*(?::|\n)" if " " not in phrase else r"[ \t]*(?::[ \t]*|\n|[ \t](?=[„\"A-ZÄÖÜ]))"
            parts.append(f"{body}{tail}")
        # the optional section number once, before the alternatives (3-4x faster than one per alternative)
        starts = {form[:1] for p in phrases for form in ocr_forms().get(p[0], [p[0]])}
        first = "".join(sorted({re.escape(c) for a in starts for c in (a.lower(), a.upper())}))
        return compile_cached(f"{_SECTION_NUMBER}(?=[{first}])(?:{'|'.join(f'(?:{p})' for p in parts)})", re.IGNORECASE)

    return {
        "status": headings(data["status_headings"]),
        "end": headings(data["end_headings"]),
        "end_run_in": compile_cached(
            "|".join(phrase_to_pattern(h, confusions) + r"[ \t]+(?=[A-ZÄÖÜ][a-zäöüß])" for h in data["end_headings"]
                     if " " not in h)
        ),
        "intro": compile_cached("|".join(phrase_to_pattern(c, confusions) for c in data["intro_cues"]), re.IGNORECASE),
        "end_lines": [compile_cached(r) for r in data["end_line_regexes"]],
        "years": [compile_cached(r, re.IGNORECASE) for r in data["target_year_regexes"]],
        "labels": tuple(data["marker_labels"]),
        "min_median_words": data["min_median_words"],
    }


def _heading_in(text: str, pattern: re.Pattern[str], start: int, end: int) -> re.Match[str] | None:
    """The first heading matched by `pattern` in [start, end) that stands at a boundary."""
    if not may_match(pattern, text, start, end):
        return None
    for match in pattern.finditer(text, start, end):
        if is_boundary(text, match.start()) or text[match.start() - 1 : match.start()] in ("“", "”", "*", "®"):
            return match
    return None


def _end_of_section(text: str, start: int, end: int) -> int:
    """Where the last item's status ends: at a closing heading such as "Resümee" or "Fazit"."""
    patterns = commitment_patterns()
    hits = [m.start() for p in (patterns["end"], patterns["end_run_in"]) if (m := _heading_in(text, p, start, end))]
    hits += [m.start() for p in patterns["end_lines"] if (m := p.search(text, start, end))]
    return min(hits, default=end)


def _stated_end(text: str, start: int, end: int) -> int:
    """End of the stated commitment: its closing quote when quoted, else the end of its paragraph."""
    body = text[start:end].lstrip(" \t")
    if body[:1] in "„\"»«‚‘',“":
        closing = _CLOSING.search(text, start, end)
        if closing:
            return closing.end()
    paragraph_end = _PARAGRAPH_END.search(text, start, end)
    return paragraph_end.start() + 1 if paragraph_end else end


def items_to_commitments(text: str, items: list[NumberedItem], limit: int) -> list[Commitment]:
    """Cut each item into its stated commitment and its status section."""
    patterns = commitment_patterns()
    result: list[Commitment] = []
    for index, item in enumerate(items):
        is_last = index + 1 == len(items)
        item_end = _end_of_section(text, item.body_start, limit if is_last else items[index + 1].start)
        heading = _heading_in(text, patterns["status"], item.body_start, item_end)
        quote_end = _stated_end(text, item.body_start, heading.start() if heading else item_end)
        if is_last and not heading and result and not _is_quoted(text, item.body_start):
            quote_end = _cap_sentences(text, item.body_start, quote_end, result)
        start, end = strip_quotes(text, item.body_start, quote_end)
        if heading:
            status_start, status_end = heading.end(), item_end
        elif is_last:  # without a heading, what follows the last item is the document's, not its status
            status_start, status_end = quote_end, quote_end
        else:
            status_start, status_end = quote_end, item_end
        status_start, status_end = _trim(text, status_start, status_end)
        result.append(Commitment(item.number, item.inferred, start, end, item.start, quote_end,
                                 status_start, status_end, heading is not None))
    return _share_status(text, result, patterns)


def _is_quoted(text: str, start: int) -> bool:
    return text[start:].lstrip(" \t")[:1] in "„\"»«‚‘',“"


def _cap_sentences(text: str, start: int, end: int, previous: list[Commitment]) -> int:
    """The last unquoted item of a run-in list ends after as many sentences as its longest sibling has."""
    most = max(len(text_to_sentences(text[c.start : c.end].replace("\n", " "))) for c in previous)
    sentences = text_to_sentences(text[start:end].replace("\n", " "))
    return start + sentences[min(most, len(sentences)) - 1].end if sentences else end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "“”\"*®.:"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _share_status(text: str, commitments: list[Commitment], patterns: dict[str, Any]) -> list[Commitment]:
    """An item without a status section of its own shares the headed status of the item that directly follows."""
    result = list(commitments)
    for index in range(len(result) - 2, -1, -1):
        current, following = result[index], result[index + 1]
        if current.status_end > current.status_start or not following.headed:
            continue
        result[index] = replace(current, status_start=following.status_start, status_end=following.status_end,
                                headed=True)
    return result


def target_year(text: str) -> str:
    """The year a commitment is due or starts, from "bis Ende 2012", "ab 2012", "In 2012".

    >>> target_year("Eine Befragung wird bis Ende 2012 durchgeführt."), target_year("Ab 2013 verstärkt sie …")
    ('2012', '2013')
    >>> target_year("Das Leitbild wird ergänzt.")
    ''
    """
    for pattern in commitment_patterns()["years"]:
        match = pattern.search(text)
        if match:
            return match.group(1)
    return ""


def _is_commitment_list(text: str, items: list[NumberedItem], commitments: list[Commitment]) -> bool:
    patterns = commitment_patterns()
    if 2 * sum("?" in text[c.start : c.end] for c in commitments) >= len(commitments):
        return False  # a list of questions
    has_status = any(_heading_in(text, patterns["status"], i.body_start, c.status_end + 1)
                     for i, c in zip(items, commitments, strict=True))
    words = sorted(len(text[c.start : c.end].split()) for c in commitments)
    sentences = sum(text[c.start : c.end].rstrip("“”\"*® ").endswith((".", "!")) for c in commitments)
    if words[len(words) // 2] < patterns["min_median_words"] or 2 * sentences < len(commitments):
        return False  # a list of names or keywords, not of stated commitments
    intro = text[max(0, items[0].start - _INTRO_WINDOW) : items[0].start]
    return has_status or bool(patterns["intro"].search(intro))


def extract_commitments(ctx: DocContext, document: DocumentRow) -> list[CommitmentRow]:
    text = ctx.text
    patterns = commitment_patterns()
    repairs = [(c.start, c.end, c.before, c.after) for c in ctx.clean.repairs]
    rows: list[CommitmentRow] = []
    covered_until = -1
    sequences = markers_to_sequences(text_to_markers(text, patterns["labels"]))
    for position, sequence in enumerate(sequences):
        if sequence[0].start < covered_until:
            continue  # a list nested inside the previous list's last status section
        limit = sequences[position + 1][0].start if position + 1 < len(sequences) else len(text)
        items = mark_repaired(sequence, text, repairs)
        commitments = items_to_commitments(text, items, limit)
        if not commitments or not _is_commitment_list(text, items, commitments):
            continue
        covered_until = commitments[-1].status_end
        partner = text_to_committing_partner(text, items[0].start, document.title)
        rows.extend(_to_row(ctx, partner, c) for c in commitments if c.end > c.start)
    return rows


def _to_row(ctx: DocContext, partner: str, c: Commitment) -> CommitmentRow:
    text = ctx.text
    statement = " ".join(text[c.start : c.end].split())
    evidence_end = max(c.quote_end, c.end)
    return CommitmentRow(
        doc_id=ctx.doc_id,
        partner=partner,
        number=c.number,
        number_inferred=c.inferred,
        text=statement,
        target_year=target_year(statement),
        status=" ".join(text[c.status_start : c.status_end].split()),
        evidence=text[c.marker_start : evidence_end],
        char_start=c.start,
        char_end=c.end,
        page=ctx.page(c.start),
        evidence_start=c.marker_start,
        evidence_end=evidence_end,
    )
