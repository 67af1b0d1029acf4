"""Partners of the initiative: organisations the text says signed, joined or belong to it.

The chain: `text_to_mentions` (every organisation, canonical names via the gazetteer) ->
`sentences_to_findings` (only mentions in a sentence that says signed/joined/belongs, or in the list that follows
such a sentence ("Der Initiative haben sich … angeschlossen. Dazu gehören …"); never a ministry, never the member
cities of a Städtekooperation; a date only from the same clause, from the next sentence when it dates the same
signing without naming anyone, or — for a press release announcing its own news — the release's date) ->
`findings_to_rows`: one row per partner per document (the gold tables have one; a partner named five times is one
fact). The row keeps the mention whose date the text states (else the press release's date, else none), among those
the date nearest to its signing words, then the most precise, then the first. A coordination ("die
Kreisverwaltungen Soest und Lippe") gives one row per partner, each with the whole coordination as its mention.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from pipeline.extract.base import DocContext, Sentence, page_leader
from pipeline.extract.partners.dates import (
    PRECISION_RANK,
    FoundDate,
    choose_date,
    is_dateline,
    text_to_dateline,
    text_to_dates,
)
from pipeline.extract.partners.dating import dates_to_mentions
from pipeline.extract.partners.lexicon import compiled, patterns
from pipeline.extract.partners.mentions import Mention, text_to_mentions
from pipeline.extract.prefilter import Prefiltered, Scan, TextLiterals
from pipeline.models import compile_cached
from pipeline.records import DocumentRow, PartnerRow

# how a finding got its date: stated in its clause or the next sentence, the document's own date, none
_SOURCE_RANK = {"stated": 2, "document": 1, "": 0}


@dataclass(frozen=True)
class Finding:
    """A partner found in a document, with the date it is dated by and the evidence."""

    partner: str
    partner_type: str
    mention: Mention
    date: str
    precision: str
    source: str
    evidence: Sentence
    distance: int = 0  # characters between the date and the nearest signing word


def _matches(name: str, text: str) -> list[re.Match[str]]:
    return list(compiled(name).finditer(text))


def _has(name: str, text: str) -> bool:
    return compiled(name).search(text)


# the pattern lists asked of (nearly) every sentence, and the contents entries' dot leader
_PER_SENTENCE = ("triggers", "event_triggers", "list_closers", "list_openers", "list_intro")
_LEADER = "page_leader"


def _scans(text: str) -> dict[str, Scan]:
    """The per-sentence pattern lists over one text: each literal they require is looked for once in the whole
    text, not once per sentence (`Scan`)."""
    found = TextLiterals(text)
    scans = {name: compiled(name).over(found) for name in _PER_SENTENCE}
    scans[_LEADER] = _leader().over(found)
    return scans


@lru_cache(maxsize=1)
def _leader() -> Prefiltered:
    return Prefiltered.of([page_leader()])


def _has_in(scan: Scan, sentence: Sentence) -> bool:
    return scan.search(sentence.start, sentence.end)


def _clauses(sentence: Sentence) -> list[tuple[int, int]]:
    """Clause spans (absolute offsets) of a sentence, split at ';', ': ' and before subordinators."""
    bounds = [sentence.start]
    for match in _matches("clause_breaks", sentence.text):
        bounds.append(sentence.start + match.end())
    bounds.append(sentence.end)
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def _is_member(mention: Mention, mentions: list[Mention], text: str) -> bool:
    """A member city of a Städtekooperation named right after it ("… (mit den Städten Essen und Bochum)")."""
    before = [m for m in mentions if m.end <= mention.start and "kooperation" in m.partner_types]
    if not before:
        return False
    gap = text[before[-1].end : mention.start]
    if "\n" in gap or re.search(r"[.!?]\s", gap):
        return False
    return gap.count("(") > gap.count(")") or bool(re.match(patterns()["member_cues"], gap))


def _coverage(sentence: Sentence, mentions: list[Mention]) -> float:
    """Share of a line's letters that organisation names cover (a table of contents' dot leader and page number
    are not part of the line's words)."""
    words = page_leader().sub("", sentence.text)
    letters = sum(1 for c in words if c.isalnum())
    covered = sum(sum(1 for c in m.text if c.isalnum()) for m in mentions)
    return covered / letters if letters else 0.0


def _within(sentence: Sentence, mentions: list[Mention], starts: list[int]) -> list[Mention]:
    """The mentions (in text order) that lie inside the sentence, found by bisection of their `starts`."""
    lo = bisect.bisect_left(starts, sentence.start)
    hi = bisect.bisect_right(starts, sentence.end, lo=lo)
    return [m for m in mentions[lo:hi] if m.end <= sentence.end]


def _partners_among(inside: list[Mention], text: str) -> list[Mention]:
    """The mentions of a sentence that may be partners: no excluded type, no member city of a cooperation."""
    if not inside:  # most sentences
        return []
    excluded = set(patterns()["exclude_types"])
    return [
        m for m in inside
        if not excluded.intersection(m.partner_types) and not _is_member(m, inside, text)
    ]


def _is_question(text: str, max_chars: int = 300) -> bool:
    """A question (a flattened web page may glue a long list to a closing question; that list still counts)."""
    return len(text) <= max_chars and text.rstrip(" “”\"»«").endswith("?")


def _trigger_anchors(sentence: Sentence, scans: dict[str, Scan]) -> list[int]:
    """Offsets of the signing/joining words in a sentence; empty when it does not say so (or negates it)."""
    found = [
        *scans["triggers"].finditer(sentence.start, sentence.end),
        *scans["event_triggers"].finditer(sentence.start, sentence.end),
    ]
    if not found or _has("negative_cues", sentence.text) or _is_question(sentence.text):
        return []  # negated, planned, or asked ("Wurde mit der Stadt Essen eine Vereinbarung geschlossen?")
    return sorted({sentence.start + m.start() for m in found})


@dataclass
class _Context:
    """What the partner extraction of one document shares between its steps."""

    ctx: DocContext
    mentions: list[Mention]
    document_date: str
    starts: list[int]  # of the mentions
    scans: dict[str, Scan]


@dataclass(frozen=True)
class UnclaimedDate:
    """A date stated in a signing sentence that names no organisation (it dates the sentence before)."""

    iso: str
    precision: str
    end: int


def _stated_dates(c: _Context, start: int, end: int) -> list[FoundDate]:
    text = c.ctx.text
    return [
        d for d in text_to_dates(text, start, end, _year_of(c.document_date))
        if not is_dateline(text, d) and not _is_range_bound(text, d)
    ]


def _is_range_bound(text: str, date: FoundDate) -> bool:
    """A bound of a period ("vom 1. Juni 2015 bis 31. Mai 2016") dates a period, not a signing."""
    before = text[max(0, date.start - 20) : date.start]
    after = text[date.end : date.end + 8]
    return bool(compile_cached(patterns()["range_date_prefix"]).search(before)
                or compile_cached(patterns()["range_date_suffix"]).match(after))


def _clause_findings(
    c: _Context, sentence: Sentence, anchors: list[int], in_list: bool, found: list[Finding]
) -> list[UnclaimedDate]:
    text = c.ctx.text
    unclaimed: list[UnclaimedDate] = []
    for start, end in _clauses(sentence):
        ms = _partners_among(_within(Sentence(start, end, text[start:end]), c.mentions, c.starts), text)
        dates = _stated_dates(c, start, end)
        clause_anchors = [a for a in anchors if start <= a < end]
        if not ms:
            date = choose_date([d for d in dates if d.precision != "year"], clause_anchors)
            if date is not None and clause_anchors:
                unclaimed.append(UnclaimedDate(date.iso, date.precision, sentence.end))
            continue
        by_mention = dates_to_mentions(text, ms, dates, clause_anchors)
        partner_count = len({p for m in ms for p in m.partners})
        current = (
            not in_list and _has("event_triggers", text[start:end])
            and not _has("past_cues", text[start:end])
            and partner_count <= patterns()["doc_date_max_partners"]
        )
        for index, m in enumerate(ms):
            date = by_mention.get(index)
            for partner, partner_type in m.partners:
                if date is not None:
                    distance = min((abs(date.start - a) for a in clause_anchors), default=len(sentence.text))
                    found.append(
                        Finding(partner, partner_type, m, date.iso, date.precision, "stated", sentence, distance)
                    )
                elif current and c.document_date:
                    found.append(Finding(partner, partner_type, m, c.document_date, "day", "document", sentence))
                else:
                    found.append(Finding(partner, partner_type, m, "", "", "", sentence))
    return unclaimed


def _year_of(iso: str) -> int | None:
    return int(iso[:4]) if iso[:4].isdigit() else None


def _date_previous(c: _Context, found: list[Finding], since: int, holder: UnclaimedDate) -> None:
    """A sentence dating a signing without naming anyone dates the partners of the sentence before it."""
    # a signing precedes its announcement: an earlier date of the same precision replaces a stated one
    undated = [
        i for i, f in enumerate(found[since:], start=since)
        if f.source != "stated" or (f.precision == holder.precision and holder.iso < f.date)
    ]
    if not undated or len({found[i].partner for i in undated}) > 3:
        return
    for i in undated:
        f = found[i]
        evidence = Sentence(f.evidence.start, holder.end, c.ctx.text[f.evidence.start : holder.end])
        found[i] = replace(f, date=holder.iso, precision=holder.precision, source="stated", evidence=evidence)


def sentences_to_findings(ctx: DocContext, mentions: list[Mention], document_date: str) -> list[Finding]:
    """Every partner mention in a sentence that ties it to the initiative, with the date the text gives it."""
    c = _Context(ctx, mentions, document_date, [m.start for m in mentions], _scans(ctx.text))
    found: list[Finding] = []
    list_open = False  # the previous sentence announced partners without naming them
    previous_start: int | None = None  # index in `found` where the previous triggered sentence's findings start
    for sentence in split_at_semicolons(ctx.text, merge_broken_sentences(ctx.text, ctx.sentences)):
        anchors = _trigger_anchors(sentence, c.scans)
        inside = _within(sentence, mentions, c.starts)
        named = _partners_among(inside, ctx.text)
        if list_open and _has_in(c.scans["list_closers"], sentence):
            list_open = False
        toc_item = _has_in(c.scans[_LEADER], sentence)  # a contents entry ("Kreis Lippe ...... 11")
        in_list = not anchors and list_open and bool(named) and (
            _has_in(c.scans["list_openers"], sentence)
            or toc_item  # one entry of a contents list under a partner heading is one partner
            or _coverage(sentence, inside) >= patterns()["list_line_min_coverage"]  # members count as names
        )
        if not anchors and not in_list:
            pause = (not named or toc_item) and len(sentence.text) <= patterns()["list_pause_max_chars"]
            intro = not named and _has_in(c.scans["list_intro"], sentence)
            list_open = (list_open and pause) or intro  # a short remark between announcement and list keeps it
            previous_start = None
            continue
        since = len(found)
        unclaimed = _clause_findings(c, sentence, anchors, in_list, found)
        if not named and unclaimed and previous_start is not None:
            _date_previous(c, found, previous_start, unclaimed[0])
        list_open = True  # a list of names may follow any sentence that ties organisations to the initiative
        previous_start = since if named else previous_start
    return found


# a comma opening a quote, as OCR writes „: at the start or after a space, before a capital ("(?:^|\s),"
# consumed the space, which no other such comma needs: the counts are the same, and re looks for ',' first)
_OCR_OPENING = compile_cached(r"(?<!\S),(?=[A-ZÄÖÜ])")


def _open_quotes(text: str) -> int:
    """Quotes opened and not closed ("„Vielfalt verbindet!" has one; OCR writes „ as ',')."""
    opened = text.count("„") + text.count("‚") + (len(_OCR_OPENING.findall(text)) if "," in text else 0)
    closed = text.count("“") + text.count("”") + text.count("‘")
    return opened - closed + text.count('"') % 2


def _continues(text: str, last: Sentence, sentence: Sentence) -> bool:
    """Whether `sentence` continues `last`: split inside an open quote, or a line wrapped mid-sentence."""
    gap = text[last.end : sentence.start]
    if "\n" not in gap:
        return _open_quotes(last.text) > 0
    if gap.count("\n") > 1 or last.text.rstrip()[-1:] in ".!?:;":
        return False
    last_word = last.text.split()[-1]
    return sentence.text[:1].islower() or (last_word.isalpha() and last_word.islower())


def merge_broken_sentences(text: str, sentences: list[Sentence]) -> list[Sentence]:
    """Join sentences split inside a quoted title or by a line wrap.

    >>> from pipeline.extract.base import text_to_sentences
    >>> t = "Mit der Vereinbarung „Vielfalt verbindet! Interkulturelle Öffnung“ traten sie bei. Neu."
    >>> [s.text for s in merge_broken_sentences(t, text_to_sentences(t))]
    ['Mit der Vereinbarung „Vielfalt verbindet! Interkulturelle Öffnung“ traten sie bei.', 'Neu.']
    >>> t = "Der Vertrag mit der\\nBezirksregierung Arnsberg wurde geschlossen.\\nStadt Duisburg\\nKreis Lippe"
    >>> [s.text for s in merge_broken_sentences(t, text_to_sentences(t))]
    ['Der Vertrag mit der\\nBezirksregierung Arnsberg wurde geschlossen.', 'Stadt Duisburg', 'Kreis Lippe']
    """
    merged: list[Sentence] = []
    for sentence in sentences:
        last = merged[-1] if merged else None
        if last is not None and _continues(text, last, sentence):
            merged[-1] = Sentence(last.start, sentence.end, text[last.start : sentence.end])
        else:
            merged.append(sentence)
    return merged


_SEMICOLON = compile_cached(r";\s+")


def split_at_semicolons(text: str, sentences: list[Sentence]) -> list[Sentence]:
    """A semicolon joins two statements: a signing in one says nothing about organisations in the other.

    >>> t = "Die Verträge schließt das Land; Ansprechpartner ist die Bezirksregierung Köln."
    >>> [s.text for s in split_at_semicolons(t, [Sentence(0, len(t), t)])]
    ['Die Verträge schließt das Land;', 'Ansprechpartner ist die Bezirksregierung Köln.']
    """
    out: list[Sentence] = []
    for sentence in sentences:
        if ";" not in sentence.text:  # the usual sentence: no regex scan
            out.append(Sentence(sentence.start, sentence.end, text[sentence.start : sentence.end]))
            continue
        start = sentence.start
        for match in _SEMICOLON.finditer(sentence.text):
            end = sentence.start + match.start() + 1
            out.append(Sentence(start, end, text[start:end]))
            start = sentence.start + match.end()
        out.append(Sentence(start, sentence.end, text[start : sentence.end]))
    return out


def _best(findings: list[Finding]) -> Finding:
    return max(
        findings,
        key=lambda f: (_SOURCE_RANK[f.source], -f.distance, PRECISION_RANK.get(f.precision, 0), -f.mention.start),
    )


def findings_to_rows(ctx: DocContext, findings: list[Finding]) -> list[PartnerRow]:
    """One row per partner: the mention with the best-supported date, else the first mention."""
    by_partner: dict[str, list[Finding]] = {}
    for f in findings:
        by_partner.setdefault(f.partner, []).append(f)
    rows = []
    for partner in sorted(by_partner):
        f = _best(by_partner[partner])
        leader = page_leader().search(f.evidence.text)
        if leader is not None:  # a contents entry: the item without its dot leader and page number
            cut = f.evidence.start + leader.start()
            f = replace(f, evidence=Sentence(f.evidence.start, cut, ctx.text[f.evidence.start : cut]))
        rows.append(
            PartnerRow(
                doc_id=ctx.doc_id, partner=partner, mention=f.mention.text, partner_type=f.partner_type,
                date=f.date, evidence=f.evidence.text, char_start=f.mention.start, char_end=f.mention.end,
                page=ctx.page(f.mention.start), evidence_start=f.evidence.start, evidence_end=f.evidence.end,
            )
        )
    return sorted(rows, key=lambda r: (r.char_start, r.partner))


def document_own_date(ctx: DocContext, document: DocumentRow) -> str:
    """The date a press release or web page announces its own news on (empty for other documents)."""
    if document.doc_type not in patterns()["doc_date_types"]:
        return ""
    if document.date and document.doc_type in ("pressemitteilung", "webseite"):
        return document.date
    return text_to_dateline(ctx.text)


def extract_partners(ctx: DocContext, document: DocumentRow) -> list[PartnerRow]:
    mentions = text_to_mentions(ctx.text)
    findings = sentences_to_findings(ctx, mentions, document_own_date(ctx, document))
    return findings_to_rows(ctx, findings)
