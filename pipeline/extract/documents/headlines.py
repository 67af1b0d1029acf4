"""Headlines and datelines: the title and own date of press releases, web pages, reports and letters.

A headline is read from the raw lines (where the source's line breaks still separate it from the body)
and then aligned to the clean text, whose characters may have been repaired. Label lines
("Pressemitteilung", the sender ministry, "Düsseldorf, 03.06.2014") are data in
`models/patterns/documents.json`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from pipeline.clean import FTFY_NEEDED
from pipeline.extract.base import DocContext
from pipeline.extract.dates import parse_dates
from pipeline.models import compile_cached, load_json
from pipeline.records import RawText


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    data: dict[str, Any] = load_json("patterns/documents.json")
    return data


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


# ---------------------------------------------------------------- press releases and web pages


@lru_cache(maxsize=1)
def _label_lines() -> re.Pattern[str]:
    return compile_cached("|".join(f"(?:{p})" for p in _data()["label_lines"]), re.IGNORECASE)


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
    """The clean text's version of a raw line (the clean text may have repaired its characters).

    >>> align_to_clean("Kreis Soest: Offnung und mehr", "Kreis Soest: Öffnung")
    'Kreis Soest: Offnung'
    """
    if not line:
        return ""
    head = clean[: max(2000, len(line) * 3)]
    line = squash(_fix_encoding(line))  # the raw line may still be mis-decoded ("MÃ¼nster")
    if line in squash(head):
        return line
    alignment = fuzz.partial_ratio_alignment(line, head)
    if alignment is None or alignment.score < 85:
        return line
    start, end = alignment.dest_start, alignment.dest_end
    while start > 0 and head[start - 1].isalnum():
        start -= 1  # do not cut a word at either end
    while end < len(head) and head[end - 1 : end].isalnum() and head[end : end + 1].isalnum():
        end += 1
    while end < len(head) and head[end] in "“”\"«»)]":
        end += 1  # closing quotes and brackets belong to the headline
    return squash(head[start:end])


def dateline_date(raw_text: str, max_lines: int) -> str:
    """The date of the first dateline ("Düsseldorf, 03.06.2014", "Veröffentlicht am: 9. Juni 2015"),
    skipping references to other letters ("Ihr Schreiben vom 21.03.2019").

    >>> dateline_date("An den Vorsitzenden\\nIhr Schreiben vom 21.03.2019\\n\\n2. April 2019\\nSeite 1", 10)
    '2019-04-02'
    """
    reference = compile_cached(_data()["reference_line"])
    lines = [line for line in raw_text.splitlines() if line.strip()][:max_lines]
    for precision in ("day", "month"):  # a day anywhere in the head first; else a month ("date 2016-11")
        for line in lines:
            mentions = [m for m in parse_dates(line) if m.precision == precision]
            if mentions and is_label_line(line) and not reference.search(line):
                return mentions[0].value
    return ""


def press_fields(ctx: DocContext, raw: RawText, doc_type: str) -> dict[str, str]:
    """Headline and publication date of a press release or web page (a web page has a date only when it
    states one on a line of its own)."""
    raw_text = "\n".join(page.text for page in raw.pages)
    hint = squash(raw.title_hint).split(" | ")[0]  # "Headline | Site name"
    title = hint or align_to_clean(ctx.text, first_heading(raw_text))
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


def period_at(text: str, offset: int) -> tuple[str, str, int] | None:
    """The period written right at `offset` (a range, a month or a year): (start, end, end offset).

    >>> period_at("im Zeitraum Dezember 2016 — Oktober 2017 und mehr", 12)
    ('2016-12', '2017-10', 40)
    >>> period_at("für 2017", 4)
    ('2017', '2017', 8)
    """
    rest = text[offset : offset + 120]
    mentions = parse_dates(rest)
    if mentions and not rest[: mentions[0].start].strip():
        first = mentions[0]
        end = first.range_end if first.role == "start" else first.end
        return first.value, first.end_value or first.value, offset + end
    year = re.match(r"\s*((?:19|20)\d{2})\b", rest)
    if year:
        return year.group(1), year.group(1), offset + year.end()
    return None


def report_fields(ctx: DocContext, raw: RawText) -> dict[str, str]:
    """Title (the first "…bericht" heading line, running on into the period it names) and that period,
    else the period of a "Berichtszeitraum: …" line."""
    data = _data()
    raw_head = "\n".join(page.text for page in raw.pages)[: data["head_chars"]]
    out: dict[str, str] = {}
    heading = re.search(data["report_heading"], raw_head)
    if heading:
        line_start = raw_head.rfind("\n", 0, heading.start()) + 1
        line_end = raw_head.find("\n", heading.end())
        line_end = len(raw_head) if line_end < 0 else line_end
        next_end = raw_head.find("\n", line_end + 1)
        window = raw_head[: len(raw_head) if next_end < 0 else next_end]
        title_end = line_end
        for cue in re.finditer(data["period_cue"], window[heading.end() :]):
            cue_start = heading.end() + cue.start()
            if cue_start > line_end and not window[line_end + 1 : line_end + 2].islower():
                break  # the next line is a line of its own ("Berichtszeitraum: …"), not the heading's end
            period = period_at(window, heading.end() + cue.end())
            if period:
                out["period_start"], out["period_end"], title_end = period
                break
        out["title"] = align_to_clean(ctx.text, squash(raw_head[line_start:title_end]))
    if "period_start" not in out:
        for cue in re.finditer(data["period_line"], raw_head):
            period = period_at(raw_head, cue.end())
            if period:
                out["period_start"], out["period_end"], _ = period
                break
    return out


def stated_date(text: str) -> str:
    """A document's own date when a line states it ("Stand: 30.11.2017", "Datum: 17. Oktober 2013",
    "Arnsberg, den 15.12.2017", "Dortmund, im Juni 2016"), at its head or its end.

    >>> stated_date("Bericht\\nDatum: 17. Oktober 2013\\nSeite 1"), stated_date("Text.\\nDortmund, im Juni 2016\\n")
    ('2013-10-17', '2016-06')
    """
    for m in re.finditer(_data()["stated_date"], text, re.MULTILINE):
        written = m.group("date") or m.group("date2")
        mentions = parse_dates(written)
        # OCR may leave the remnant of a lost day before the month ("Datum: [ . Januar 2016"): no word before it
        if mentions and not re.search(r"\w", written[: mentions[0].start]):
            return mentions[0].value
    return ""


def letter_title(raw_text: str) -> str:
    """The subject of a letter: the block of lines right before its salutation ("Sehr geehrte …"), as far
    as its lines run on (a following line that starts a new item, "TOP 4 …", is not part of it).

    >>> letter_title("Düsseldorf\\n\\nBericht zur Partner-\\ninitiative\\nTOP 4 der Sitzung\\n\\nSehr geehrte Frau X,")
    'Bericht zur Partnerinitiative'
    >>> letter_title("Bericht zur Initiative\\n\\nDer Minister\\nfür Arbeit und Soziales\\n\\nSehr geehrte Frau X,")
    'Bericht zur Initiative'
    """
    salutation = re.search(_data()["salutation"], raw_text, re.MULTILINE)
    if salutation is None:
        return ""
    blocks = [b for b in re.split(r"\n\s*\n", raw_text[: salutation.start()]) if b.strip()]
    for block in reversed(blocks):  # a sender's block ("Der Minister für …") names no subject: the one before
        lines = [squash(line) for line in block.splitlines() if line.strip()]
        title = lines[0]
        for line in lines[1:]:
            if not (title.endswith("-") or line[:1].islower()):
                break
            title = _join_lines(title, line)
        if not is_label_line(title):
            return title
    return ""


def sender_ministry(raw_text: str, max_lines: int = 10) -> str:
    """The ministry a press release or letter comes from, when its head names it on a line of its own.

    >>> sender_ministry("Pressemitteilung\\nMinisterium für Arbeit, Integration und Soziales\\ndes Landes NRW\\nText")
    'Ministerium für Arbeit, Integration und Soziales'
    """
    pattern = compile_cached(_data()["sender_ministry"])
    for line in [squash(line) for line in raw_text.splitlines() if line.strip()][:max_lines]:
        if m := pattern.match(line):
            return m.group("ministry")
    return ""


def _fix_encoding(line: str) -> str:
    """ftfy's `fix_encoding`, imported only for a line that may need it (`clean.FTFY_NEEDED`)."""
    if not FTFY_NEEDED.search(line):
        return line
    import ftfy

    return ftfy.fix_encoding(line)
