"""Document metadata: type, title, own date, Landtag numbers, questioners, ministry, report period.

The type is decided by weighted cues (data in `models/patterns/documents.json`); the Landtag header
("16. Wahlperiode Drucksache 16/7204 03.11.2014 … Kleine Anfrage 2742 vom … der Abgeordneten … CDU
Drucksache 16/6943 <title> Der Minister für … hat …") is read by the header patterns kept there too.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

from pipeline.extract.base import DocContext, one_of
from pipeline.extract.documents.headlines import (
    align_to_clean,
    dateline_date,
    letter_title,
    press_fields,
    report_fields,
    sender_ministry,
    squash,
    stated_date,
    to_iso,
)
from pipeline.extract.prefilter import may_match
from pipeline.models import compile_cached, load_json
from pipeline.records import DocumentRow, RawText, SourceFile


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    data: dict[str, Any] = load_json("patterns/documents.json")
    return data


@cache
def _header(name: str) -> re.Pattern[str]:
    parties = "|".join(re.escape(p) for p in sorted(_data()["parties"], key=lambda p: (-len(p), p)))
    return compile_cached(_data()["header"][name].replace("{parties}", parties), re.MULTILINE)


# ---------------------------------------------------------------- type


def text_to_doc_type(text: str, kind: str = "text", raw_text: str = "") -> str:
    """The document type whose cues weigh most (at least `min_score`), else webseite for HTML, else other.
    A cue counts when it is found in the clean text or in the raw text (whose line breaks are intact).

    >>> text_to_doc_type("Antwort der Landesregierung auf die Kleine Anfrage 421 vom 6. September 2012")
    'kleine_anfrage_antwort'
    >>> text_to_doc_type("Ein Text ohne jeden Hinweis.")
    'other'
    """
    data = _data()
    best_type, best_score = "", 0
    for entry in data["doc_types"]:
        score = cue_score(entry["cues"], (text, raw_text), data["head_chars"], best_score)
        if score > best_score:
            best_type, best_score = entry["type"], score
    if best_score >= data["min_score"]:
        return best_type
    return data["html_default_type"] if kind == "html" else "other"


def cue_score(cues: list[dict[str, Any]], texts: tuple[str, ...], head_chars: int, to_beat: int = -1) -> int:
    """The summed weight of the cues found in any of `texts`; or, as soon as the cues not yet tried cannot lift
    the sum above `to_beat`, a sum that does not beat it either (the type cannot win, whatever they would find).

    An "anywhere" cue searches whole texts, the others only their heads (`head_chars`): those are tried first,
    so that a long document's type rarely has to search all of it.

    >>> cues = [{"re": "Antrag", "weight": 2}, {"re": "Beifall", "weight": 1, "anywhere": True}]
    >>> cue_score(cues, ("Antrag der Fraktion (Beifall)",), 100), cue_score(cues, ("(Beifall)",), 100, 1)
    (3, 0)
    """
    left = sum(max(cue["weight"], 0) for cue in cues)  # the most the cues not yet tried can add
    score = 0
    for cue in sorted(cues, key=lambda cue: bool(cue.get("anywhere"))):
        if score + left <= to_beat:
            break
        left -= max(cue["weight"], 0)
        pattern = compile_cached(cue["re"], re.MULTILINE)
        searched = (t if cue.get("anywhere") else t[:head_chars] for t in texts if t)
        if any(may_match(pattern, t) and pattern.search(t) for t in searched):
            score += cue["weight"]
    return score


# ---------------------------------------------------------------- Landtag documents


def _names(written: str) -> list[str]:
    """Questioners as a list: "Serap Güler und Max Mustermann" → ["Serap Güler", "Max Mustermann"]."""
    parts = re.split(rf"\s*,\s*|\s+{one_of(_data()['name_coordinators'])}\s+", squash(written))
    return [p for p in parts if p]


def _party(written: str) -> str:
    return str(_data()["party_canonical"].get(written, written))


def ministry_from_answering(office: str, portfolio: str) -> str:
    """The answering ministry from "Der Minister für Arbeit, Integration und Soziales hat …".

    >>> ministry_from_answering("Minister", " für Arbeit, Integration und Soziales")
    'Ministerium für Arbeit, Integration und Soziales'
    >>> ministry_from_answering("Innenminister", "")
    'Ministerium des Innern'
    """
    portfolio = squash(portfolio)
    if portfolio and not any(chief in office for chief in _data()["chief_offices"]):
        return f"Ministerium {portfolio}"
    return str(_data()["ministry_of_office"].get(office, ""))


def _title_after(text: str, start: int) -> str:
    """The title: from `start` to the sentence naming the answering minister, else to a blank line."""
    limit = _data()["title_max_chars"]
    window = text[start : start + limit + 200]
    end = _header("title_end").search(window)
    if end is not None and end.start() <= limit:
        return squash(window[: end.start()])
    blank = re.search(r"\n\s*\n", window)
    cut = blank.start() if blank else window.find("\n") if "\n" in window else limit
    return squash(window[:cut])[:limit]


def landtag_numbers(text: str) -> dict[str, str]:
    """Wahlperiode, own Drucksache number and header date of any Landtag document.

    The own number is the one in the header ("16. Wahlperiode Drucksache 16/7204"), else the first one
    standing before the Anfrage it answers; the header date stands next to it ("… 16/7204 03.11.2014").
    """
    out: dict[str, str] = {}
    head = text[: _data()["head_chars"] * 2]
    if m := _header("wahlperiode").search(head):
        out["wahlperiode"] = m.group("wp")
    own = _header("own_drucksache").search(head)
    if own is None:
        anfrage = _header("anfrage").search(head)
        first = _header("drucksache").search(head, 0, anfrage.start() if anfrage else 0)
        own = first if anfrage is not None else None
    if own is not None:
        out["drucksache"] = re.sub(r"\s+", "", own.group("ds"))
        near = head[own.end() : own.end() + 40]
        if m := _header("numeric_date").match(near):
            out["date"] = to_iso(m.group("date"))
    return out


def anfrage_fields(text: str) -> dict[str, str]:
    """Anfrage number and date, questioners, party, the Anfrage's Drucksache, title, answer date and the
    answering ministry of an answer to a Kleine Anfrage."""
    out: dict[str, str] = {}
    head = text[: _data()["head_chars"] * 2]
    if m := _header("anfrage").search(head):
        out["anfrage_nr"] = m.group("nr")
        out["anfrage_date"] = to_iso(m.group("date") or "")
    if m := _header("questioners").search(head):
        names = _names(m.group("names")) + (_names(m.group("more")) if m.group("more") else [])
        parties = [_party(m.group("party"))] + ([_party(m.group("party2"))] if m.group("party2") else [])
        out["questioners"] = "|".join(names)
        out["party"] = "|".join(dict.fromkeys(parties))
        out["anfrage_drucksache"] = re.sub(r"\s+", "", m.group("ds"))
        out["title"] = _title_after(text, m.end())
    if m := _header("answer_date").search(head):
        out["answer_date"] = to_iso(m.group("date"))
    if m := _header("answering").search(head):
        out["ministry"] = ministry_from_answering(m.group("office"), m.group("portfolio") or "")
    return out


def document_fields(ctx: DocContext, raw: RawText, doc_type: str) -> dict[str, str]:
    """Every metadata field the document states, by the rules of its type."""
    raw_text = "\n".join(page.text for page in raw.pages)
    fields = landtag_numbers(ctx.text)
    if doc_type == "kleine_anfrage_antwort":
        fields.update(anfrage_fields(ctx.text))
        fields.setdefault("date", fields.get("answer_date", ""))
    elif doc_type == "umsetzungsbericht":
        fields.update(report_fields(ctx, raw))
        fields.setdefault("date", stated_date(raw_text))
    elif doc_type in ("pressemitteilung", "webseite"):
        fields.update(press_fields(ctx, raw, doc_type))
    elif doc_type in _data()["issue_titles"]:
        fields.update(issue_fields(raw_text, doc_type))
    else:
        title = letter_title(raw_text)
        fields["title"] = align_to_clean(ctx.text, title) if title else press_fields(ctx, raw, doc_type)["title"]
        own_date = stated_date(raw_text) or dateline_date(raw_text, _data()["letter_date_lines"])
        fields["date"] = fields.get("date") or own_date
    if doc_type in ("pressemitteilung", "other") and not fields.get("ministry"):
        fields["ministry"] = sender_ministry(raw_text)
    if not fields.get("title"):
        fields["title"] = press_fields(ctx, raw, doc_type)["title"]
    if not fields.get("wahlperiode"):
        number = fields.get("drucksache") or fields.get("anfrage_drucksache") or ""
        fields["wahlperiode"] = number.split("/")[0] if "/" in number else ""
    return {k: v for k, v in fields.items() if v}


def issue_fields(raw_text: str, doc_type: str) -> dict[str, str]:
    """Title and date of an issue of a series (plenary minutes, a gazette): the series' name and number in the head
    ("Plenarprotokoll 18/117", "Amtsblatt Nr. 2/2010") and the date in its head lines, which is the issue's date
    (a date stated further down belongs to a notice inside it); minutes' contents name papers, none is their own.

    >>> issue_fields("Amtsblatt\\nNr. 2/2010\\n12.02.2010\\nBekanntmachung\\nStadt, den 8.02.2010", "amtsblatt")
    {'title': 'Amtsblatt Nr. 2/2010', 'date': '2010-02-12', 'drucksache': ''}
    """
    head = raw_text[: _data()["head_chars"]]
    title = compile_cached(_data()["issue_titles"][doc_type], re.MULTILINE).search(head)
    date = dateline_date(raw_text, _data()["press_date_lines"]) or stated_date(raw_text)
    return {"title": squash(title.group()) if title else "", "date": date, "drucksache": ""}


# ---------------------------------------------------------------- the row


def extract_document(ctx: DocContext, source: SourceFile, raw: RawText) -> DocumentRow:
    raw_text = "\n".join(page.text for page in raw.pages)
    doc_type = text_to_doc_type(ctx.text, raw.kind, raw_text)
    return DocumentRow(
        doc_id=ctx.doc_id,
        source_file=source.source_file,
        sha256=source.sha256,
        doc_type=doc_type,
        pages=str(len(raw.pages)) if raw.paged else "",
        text_source=raw.text_source,
        text_quality=f"{ctx.clean.quality:.3f}",
        ocr_confidence="" if raw.ocr_confidence is None else f"{raw.ocr_confidence:.1f}",
        repairs=str(len(ctx.clean.repairs)) if ctx.clean.damaged else "",
        text_notes=text_notes(raw, ctx.clean.damaged),
        **document_fields(ctx, raw, doc_type),
    )


def text_notes(raw: RawText, damaged: bool) -> str:
    """How the text was obtained, in a few words: OCR and re-OCR decisions, low confidence, repair."""
    notes = list(raw.notes)
    if raw.quality < 1.0:
        notes.append(f"source text quality {raw.quality:.3f}")
    if damaged:
        notes.append("OCR damage repaired (see repairs.csv)")
    return "; ".join(notes)
