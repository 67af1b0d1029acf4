"""The clean text of a document as HTML, with every fact's mention, evidence and every OCR repair marked.

Spans may overlap (a date inside a commitment, a partner inside another's evidence), so the text is cut at
every span boundary into segments, and each segment lists the facts covering it in `data-m` (mentions),
`data-e` (evidence) and `data-r` (repairs). The page's script highlights one fact's segments on demand.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

KINDS = ("m", "e", "r")  # mention, evidence, repair


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # one of KINDS
    ref: str  # "<table>-<row>", e.g. "partners-3"


def row_to_spans(table: str, index: int, row: dict[str, Any], length: int) -> list[Span]:
    """The spans of one table row that lie inside a text of `length` characters.

    >>> row = {"char_start": 4, "char_end": 9, "evidence_start": 0, "evidence_end": 12}
    >>> [(s.start, s.end, s.kind, s.ref) for s in row_to_spans("dates", 0, row, 20)]
    [(4, 9, 'm', 'dates-0'), (0, 12, 'e', 'dates-0')]
    """
    ref = f"{table}-{index}"
    kind = "r" if table == "repairs" else "m"
    spans = []
    for start_key, end_key, span_kind in (("char_start", "char_end", kind), ("evidence_start", "evidence_end", "e")):
        start, end = row.get(start_key), row.get(end_key)
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length:
            spans.append(Span(start, end, span_kind, ref))
    return spans


def spans_to_segments(length: int, spans: list[Span]) -> list[tuple[int, int, tuple[Span, ...]]]:
    """Cut [0, length) at every span boundary; each segment with the spans covering it (in input order).

    >>> [(s, e, len(c)) for s, e, c in spans_to_segments(10, [Span(2, 6, "m", "a"), Span(4, 8, "m", "b")])]
    [(0, 2, 0), (2, 4, 1), (4, 6, 2), (6, 8, 1), (8, 10, 0)]
    """
    cuts = sorted({0, length, *(s.start for s in spans), *(s.end for s in spans)})
    starting: dict[int, list[int]] = {}
    for number, span in enumerate(spans):
        starting.setdefault(span.start, []).append(number)
    active: set[int] = set()
    segments = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        active = {n for n in active if spans[n].end > start} | set(starting.get(start, []))
        segments.append((start, end, tuple(spans[n] for n in sorted(active))))
    return segments


def _segment_to_html(piece: str, covering: tuple[Span, ...], titles: dict[str, str]) -> str:
    escaped = html.escape(piece, quote=False)
    if not covering:
        return escaped
    attributes = []
    classes = []
    for kind in KINDS:
        refs = [s.ref for s in covering if s.kind == kind]
        if refs:
            attributes.append(f'data-{kind}="{" ".join(refs)}"')
            classes.append(kind if kind != "m" else f"m m-{refs[0].rsplit('-', 1)[0]}")
    repair_titles = [titles[s.ref] for s in covering if s.kind == "r" and s.ref in titles]
    if repair_titles:
        attributes.append(f'title="{html.escape("; ".join(repair_titles))}"')
    return f'<span class="{" ".join(classes)}" {" ".join(attributes)}>{escaped}</span>'


def text_to_html(text: str, spans: list[Span], titles: dict[str, str] | None = None) -> str:
    """The text as HTML: marked segments, and an anchor `t-<ref>` where each mention or repair starts.

    >>> text_to_html("a <b> c", [Span(2, 5, "m", "dates-0")])
    'a <a id="t-dates-0" class="anchor"></a><span class="m m-dates" data-m="dates-0">&lt;b&gt;</span> c'
    """
    titles = titles or {}
    anchors: dict[int, list[str]] = {}
    for span in spans:
        if span.kind in ("m", "r"):
            anchors.setdefault(span.start, []).append(span.ref)
    parts = []
    for start, end, covering in spans_to_segments(len(text), spans):
        for ref in anchors.pop(start, []):
            parts.append(f'<a id="t-{ref}" class="anchor"></a>')
        parts.append(_segment_to_html(text[start:end], covering, titles))
    return "".join(parts)
