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


@lru_cache(maxsize=1)
def _label_lines() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in _data()["label_lines"]), re.IGNORECASE)


def is_label_line(line: str) -> bool:
    """A line that is not a headline: a label ("Pressemitteilung"), a sender, or a dateline.

    >>> [is_label_line(x) for x in ("Pressemitteilung", "Düsseldorf, 03.06.2014", "Münster (lwl). 02.10.2014",
    ...  "Veröffentlicht am: 9. Juni 2015", "Am 5. Mai 2015 tritt die Stadt Köln der Initiative bei")]
    [True, True, True, True, False]
    """
    line = squash(line)
    if not line or _label_lines().search(line):
        return True
    mentions = parse_dates(line)
    if not mentions:
        return False
    rest = line
    for m in reversed(mentions):
        rest = rest[: m.start] + " " + rest[m.end :]
    return len(re.findall(r"\w{2,}", rest)) < 4


def _join_lines(head: str, tail: str) -> str:
    if head.endswith("-") and tail[:1].islower():
        return head[:-1] + tail  # "Landes-" + "initiative"
    return f"{head} {tail}"


def first_heading(raw_text: str) -> str:
    """The first headline: its first line is not a label, and it runs on over the following lines of its
    block while they are short and not labels themselves.

    >>> first_heading("Pressemitteilung\\n\\nDüsseldorf, 03.06.2014\\n\\nBielefeld und Hamm werden Landes-\\n"
    ...               "initiative-Partner\\n\\nDie Städte ...")
    'Bielefeld und Hamm werden Landesinitiative-Partner'
    """
    limit = _data()["title_max_chars"]
    lines = [squash(line) for line in raw_text.splitlines()]
    for index, line in enumerate(lines):
        if is_label_line(line) or len(line.split()) < 3:
            continue
        title = line
        for following in lines[index + 1 :]:
            if not following or is_label_line(following) or len(following) > 120 or title[-1:] in ".!":
                break
            if len(title) + len(following) > limit:
                break
            title = _join_lines(title, following)
        return title
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


def dateline_date(raw_text: str, max_lines: int) -> str:
    """The date of the first dateline ("Düsseldorf, 03.06.2014", "Veröffentlicht am: 9. Juni 2015")."""
    lines = [line for line in raw_text.splitlines() if line.strip()][:max_lines]
    for line in lines:
        mentions = [m for m in parse_dates(line) if m.precision == "day"]
        if mentions and is_label_line(line):
            return mentions[0].value
    return ""


def press_fields(ctx: DocContext, raw: RawText, doc_type: str) -> dict[str, str]:
    """Headline and publication date of a press release or web page (a web page has a date only when it
    states one on a line of its own)."""
    raw_text = "\n".join(page.text for page in raw.pages)
    title = squash(raw.title_hint) or align_to_clean(ctx.text, first_heading(raw_text))
    max_lines = _data()["press_date_lines"]
    date = dateline_date(raw_text, max_lines)
    if not date and doc_type != "webseite":
        date = raw.date_hint[:10] if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.date_hint[:10]) else ""
    if not date and doc_type != "webseite":
        head = "\n".join(ctx.text.splitlines()[:max_lines])[:600]
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
    if doc_type == "umsetzungsbericht":
        fields = {**fields, **report_fields(ctx.text)}
        fields.setdefault("date", report_date(ctx.text))
    elif doc_type != "kleine_anfrage_antwort" or not fields.get("title"):
        press = press_fields(ctx, raw, doc_type)
        fields["title"] = press["title"]
        if doc_type in ("pressemitteilung", "webseite") or not fields.get("date"):
            fields["date"] = press["date"] or fields.get("date", "")
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
