"""Document metadata: type, title, own date, Landtag numbers, questioners, ministry, report period.

The type is decided by weighted cues (data in `models/patterns/documents.json`); the Landtag header
("16. Wahlperiode Drucksache 16/7204 03.11.2014 … Kleine Anfrage 2742 vom … der Abgeordneten … CDU
Drucksache 16/6943 <title> Der Minister für … hat …") is read by the header patterns kept there too.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

from rapidfuzz import fuzz

from pipeline.extract.base import DocContext
from pipeline.extract.dateparse import parse_dates
from pipeline.models import load_json
from pipeline.records import DocumentRow, RawText, SourceFile


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    data: dict[str, Any] = load_json("patterns/documents.json")
    return data


@cache
def _header(name: str) -> re.Pattern[str]:
    parties = "|".join(re.escape(p) for p in sorted(_data()["parties"], key=lambda p: (-len(p), p)))
    return re.compile(_data()["header"][name].replace("{parties}", parties), re.MULTILINE)


def squash(text: str) -> str:
    """Single spaces, no line breaks, trimmed.

    >>> squash(" Aktive Partnerschaften:\\n Was hat das  Ministerium getan? ")
    'Aktive Partnerschaften: Was hat das Ministerium getan?'
    """
    return " ".join(text.split())


def to_iso(written: str) -> str:
    """ISO form of one written date ("31. Oktober 2014", "03.11.2014"), or "" when it is not one.

    >>> to_iso("31. Oktober 2014"), to_iso("03.11.2014"), to_iso("Drucksache 16/7204")
    ('2014-10-31', '2014-11-03', '')
    """
    mentions = parse_dates(written)
    return mentions[0].value if mentions else ""


# ---------------------------------------------------------------- type


def text_to_doc_type(text: str, kind: str = "text") -> str:
    """The document type whose cues weigh most (at least `min_score`), else webseite for HTML, else other.

    >>> text_to_doc_type("Antwort der Landesregierung auf die Kleine Anfrage 421 vom 6. September 2012")
    'kleine_anfrage_antwort'
    >>> text_to_doc_type("Ein Text ohne jeden Hinweis.")
    'other'
    """
    data = _data()
    head = text[: data["head_chars"]]
    best_type, best_score = "", 0
    for entry in data["doc_types"]:
        score = 0
        for cue in entry["cues"]:
            where = text if cue.get("anywhere") else head
            if re.search(cue["re"], where, re.MULTILINE):
                score += cue["weight"]
        if score > best_score:
            best_type, best_score = entry["type"], score
    if best_score >= data["min_score"]:
        return best_type
    return data["html_default_type"] if kind == "html" else "other"


# ---------------------------------------------------------------- Landtag documents


def _names(written: str) -> list[str]:
    """Questioners as a list: "Serap Güler und Max Mustermann" → ["Serap Güler", "Max Mustermann"]."""
    parts = re.split(r"\s*,\s*|\s+(?:und|sowie)\s+", squash(written))
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
    if portfolio and "präsident" not in office:
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


def landtag_fields(text: str) -> dict[str, str]:
    """Wahlperiode, Drucksache, Anfrage, questioners, party, answer date, ministry and title of a Landtag
    document's header, as far as they are stated."""
    out: dict[str, str] = {}
    head = text[: _data()["head_chars"] * 2]
    if m := _header("wahlperiode").search(head):
        out["wahlperiode"] = m.group("wp")
    if m := _header("own_drucksache").search(head):
        out["drucksache"] = re.sub(r"\s+", "", m.group("ds"))
    if m := _header("header_date").search(head):
        out["date"] = to_iso(m.group("date"))
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
    if not out.get("date") and out.get("answer_date"):
        out["date"] = out["answer_date"]
    if not out.get("wahlperiode"):
        number = out.get("drucksache") or out.get("anfrage_drucksache") or ""
        out["wahlperiode"] = number.split("/")[0] if "/" in number else ""
    return {k: v for k, v in out.items() if v}


# ---------------------------------------------------------------- press releases and web pages


_LABEL_LINE = re.compile(
    r"^(?:Pressemitteilung|Presseinformation|Pressemeldung|Medieninformation|Meldung|Nachricht|Aktuelles)\b.{0,40}$"
    r"|^[\W\d]*$",
    re.IGNORECASE,
)


def first_heading(raw_text: str) -> str:
    """The first line that reads like a headline: not a label, not a date, at least three words.

    >>> first_heading("Pressemitteilung\\n\\n25. August 2016\\nStaatssekretär Klute: Mit der Bezirksregierung")
    'Staatssekretär Klute: Mit der Bezirksregierung'
    """
    for line in raw_text.splitlines():
        line = squash(line)
        if not line or _LABEL_LINE.match(line) or len(line.split()) < 3:
            continue
        if parse_dates(line) and len(squash(re.sub(r"[\d.]+|\w+ (?:19|20)\d\d", "", line)).split()) < 3:
            continue
        return line
    return ""


def align_to_clean(clean: str, line: str) -> str:
    """The clean text's version of a raw line (the clean text may have repaired its characters)."""
    if not line:
        return ""
    head = clean[: max(2000, len(line) * 3)]
    alignment = fuzz.partial_ratio_alignment(line, head)
    if alignment is None or alignment.score < 85:
        return line
    start, end = alignment.dest_start, alignment.dest_end
    while end < len(head) and head[end - 1 : end].isalnum() and head[end : end + 1].isalnum():
        end += 1  # do not cut a word
    return squash(head[start:end])


def press_fields(ctx: DocContext, raw: RawText) -> dict[str, str]:
    raw_text = "\n".join(page.text for page in raw.pages)
    title = squash(raw.title_hint) or align_to_clean(ctx.text, first_heading(raw_text))
    date = to_iso(raw.date_hint) if raw.date_hint else ""
    if not date and re.match(r"\d{4}-\d{2}-\d{2}", raw.date_hint):
        date = raw.date_hint[:10]
    if not date:
        head = "\n".join(ctx.text.splitlines()[: _data()["press_date_lines"]])[:600]
        days = [m for m in parse_dates(head) if m.precision == "day" and not m.year_from_context]
        date = days[0].value if days else ""
    return {"title": title, "date": date}


# ---------------------------------------------------------------- partner reports


def report_fields(text: str) -> dict[str, str]:
    """Title (the first "…bericht" heading, with its period) and the period it reports on."""
    data = _data()
    head = text[: data["head_chars"]]
    for m in re.finditer(data["report_heading"], head):
        rest = head[m.end() : m.end() + 80]
        mentions = parse_dates(rest)
        year = re.match(r"(?:19|20)\d{2}\b", rest)
        if mentions and mentions[0].start == 0:
            first = mentions[0]
            end = first.range_end if first.role == "start" else first.end
            return {"title": squash(head[m.start() : m.end() + end]), "period_start": first.value,
                    "period_end": first.end_value or first.value}
        if year:
            return {"title": squash(head[m.start() : m.end() + year.end()]),
                    "period_start": year.group(), "period_end": year.group()}
    fallback = re.search(data["report_heading_fallback"], head)
    return {"title": squash(fallback.group("title"))} if fallback else {}


def report_date(text: str) -> str:
    """The report's own date when it states one ("Stand: 30.11.2017", "Arnsberg, den 15.12.2017")."""
    m = re.search(_data()["report_date"], text, re.MULTILINE)
    return to_iso(m.group("date")) if m else ""


# ---------------------------------------------------------------- the row


def extract_document(ctx: DocContext, source: SourceFile, raw: RawText) -> DocumentRow:
    doc_type = text_to_doc_type(ctx.text, raw.kind)
    fields = landtag_fields(ctx.text)
    if doc_type in ("pressemitteilung", "webseite"):
        fields = {**press_fields(ctx, raw), **{k: v for k, v in fields.items() if k != "title"}}
    elif doc_type == "umsetzungsbericht":
        fields = {**fields, **report_fields(ctx.text)}
        fields.setdefault("date", report_date(ctx.text))
    elif not fields.get("title"):
        fields["title"] = squash(raw.title_hint) or align_to_clean(ctx.text, first_heading(ctx.text))
    return DocumentRow(
        doc_id=ctx.doc_id,
        source_file=source.source_file,
        sha256=source.sha256,
        doc_type=doc_type,
        pages=str(len(raw.pages)) if raw.paged else "",
        text_source=raw.text_source,
        text_quality=f"{ctx.clean.quality:.3f}",
        **{k: v for k, v in fields.items() if v},
    )
