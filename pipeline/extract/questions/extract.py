"""Questions: the numbered questions of a Kleine Anfrage, each paired with the government's full answer.

A question is a numbered item whose text reaches a "?" within its first few sentences; requests that belong
to the question ("Bitte … auflisten.", "(bitte … nennen)?") and further "?" sentences are part of it. The
answer runs from there to the next question or the end of the text. The numbers must run 1..n (`numbered.py`);
numbered references inside answers ("unter 3. genannten") are not at a sentence boundary and never markers.
Works both on text where the whole document is one line and on one paragraph per line (questions may wrap).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from pipeline.extract.base import DocContext, text_to_sentences
from pipeline.extract.numbered import Marker, NumberedItem, is_boundary, markers_to_sequences, text_to_markers
from pipeline.models import compile_cached, load_json
from pipeline.records import DocumentRow, QuestionRow

_MAX_QUESTION = 3000  # characters: no question (with its requests) is longer
_TRAILING = "“”\"«»‘’')] \t\n"


@dataclass(frozen=True)
class QuestionSpan:
    """A numbered question and its answer, as offsets into the text."""

    number: int
    start: int  # question text
    end: int
    answer_start: int
    answer_end: int


@lru_cache(maxsize=1)
def _config() -> dict[str, Any]:
    data = load_json("patterns/questions.json")
    return {
        **data,
        "answer_labels": [compile_cached(r) for r in data["answer_label_regexes"]],
        "imperative": compile_cached(data["imperative_regex"]),
        "question_start": compile_cached(data["question_start_regex"]),
        "answer_to": compile_cached(data["answer_to_regex"]),
        "request_end": compile_cached(data["request_end_regex"]),
        "joint": compile_cached("|".join(re.escape(c) for c in data["joint_answer_cues"]), re.IGNORECASE),
    }


def _is_request(sentence: str) -> bool:
    """A sentence that asks for detail and belongs to the question ("Bitte … einzeln auflisten.").

    >>> _is_request("Bitte die Partnerorganisationen einzeln auflisten."), _is_request("Hierzu liegen keine Daten vor.")
    (True, False)
    """
    config = _config()
    bare = sentence.lstrip("( ")
    if len(sentence) > config["max_request_length"] or not any(bare.startswith(s) for s in config["request_starts"]):
        return False
    return sentence.rstrip(_TRAILING).endswith("?") or bool(config["request_end"].search(sentence.rstrip(" \t\n")))


def _ends_question(sentence: str) -> bool:
    return sentence.rstrip(_TRAILING).endswith("?")


def question_end(text: str, start: int, limit: int) -> int | None:
    """End offset of the question whose text starts at `start`, or None when no question starts there.

    >>> t = "Wie viele? Bitte einzeln auflisten. Hierzu liegen keine Daten vor."
    >>> t[: question_end(t, 0, len(t))]
    'Wie viele? Bitte einzeln auflisten.'
    >>> question_end("Die Stadt hat Ziele. Sie setzt sie um.", 0, 38) is None
    True
    """
    limit = min(limit, start + _MAX_QUESTION)
    flat = text[start:limit].replace("\n", " ")  # a question may wrap across lines; offsets stay the same
    sentences = text_to_sentences(flat)
    asked = next((i for i, s in enumerate(sentences[: _config()["max_preamble_sentences"]]) if _ends_question(s.text)),
                 None)
    if asked is None and sentences and _config()["imperative"].match(sentences[0].text):
        asked = 0  # "Bitte listen Sie … auf." / "Nennen Sie …": a question asked as a request
    if asked is None:
        return _cut_off_end(text, start, limit, sentences)
    last = asked
    while last + 1 < len(sentences) and (
        _ends_question(sentences[last + 1].text) or _is_request(sentences[last + 1].text)
    ):
        last += 1
    return start + sentences[last].end


def _cut_off_end(text: str, start: int, limit: int, sentences: list) -> int | None:
    """The end of a last question cut off with the text ("3. Wie viele Menschen sind in den"): its body runs to
    the end of the text without ending a sentence, so what is there is kept.

    >>> t = "1. Wie viele? 2. Wie viele Menschen arbeiten in den"
    >>> t[14 : _cut_off_end(t, 17, len(t), text_to_sentences(t[17:]))]
    '2. Wie viele Menschen arbeiten in den'
    """
    if limit < len(text) or len(sentences) != 1 or not text[start:limit].strip():
        return None
    body = text[start:limit].rstrip()
    if body[-1:] in ".!?:;)\"“”»«" or not _config()["question_start"].match(body):
        return None
    return start + len(body)


def _question_markers(text: str, markers: list[Marker]) -> list[Marker]:
    limits = [m.start for m in markers if m.number is not None or m.strong] + [len(text)]
    result = []
    for marker in markers:
        limit = limits[bisect.bisect_right(limits, marker.start)]
        if question_end(text, marker.body_start, limit) is not None:
            result.append(marker)
    return result


def _answer_start(text: str, start: int, end: int) -> int:
    while start < end and text[start] in " \t\n":
        start += 1
    for label in _config()["answer_labels"]:
        match = label.match(text, start, end)
        if match:
            return match.end()
    return start


def items_to_questions(text: str, items: list[NumberedItem]) -> list[QuestionSpan]:
    """Each question with the span of its answer (up to the next question or the end of the text)."""
    spans = []
    for index, item in enumerate(items):
        following = items[index + 1].start if index + 1 < len(items) else len(text)
        end = question_end(text, item.body_start, following) or item.body_start
        answer_start = _answer_start(text, end, following)
        answer_end = following
        while answer_end > answer_start and text[answer_end - 1].isspace():
            answer_end -= 1
        spans.append(QuestionSpan(item.number, item.body_start, end, answer_start, max(answer_start, answer_end)))
    return _share_joint_answers(text, _split_collected_answers(text, spans))


def _split_collected_answers(text: str, spans: list[QuestionSpan]) -> list[QuestionSpan]:
    """All questions first, then the answers as "Zu 1.: …", "Zu Frage 2: …": give each question its part."""
    if len(spans) < 2 or any(s.answer_end > s.answer_start for s in spans[:-1]):
        return spans
    last = spans[-1]
    labels = {}
    for match in _config()["answer_to"].finditer(text, last.end, last.answer_end):
        number = int(match.group(1))
        if number not in labels and is_boundary(text, match.start()) and number <= len(spans):
            labels[number] = match
    if len(labels) < 2 or sorted(labels) != sorted(labels, key=lambda n: labels[n].start()):
        return spans
    result = []
    starts = sorted((m.start(), m.end(), n) for n, m in labels.items())
    for index, (_, answer_start, number) in enumerate(starts):
        answer_end = starts[index + 1][0] if index + 1 < len(starts) else last.answer_end
        while answer_end > answer_start and text[answer_end - 1].isspace():
            answer_end -= 1
        question = spans[number - 1]
        result.append((number, replace(question, answer_start=answer_start, answer_end=answer_end)))
    answered = dict(result)
    return [answered.get(s.number, replace(s, answer_start=s.end, answer_end=s.end)) for s in spans]


def _share_joint_answers(text: str, spans: list[QuestionSpan]) -> list[QuestionSpan]:
    """Questions answered together ("Die Fragen 1 und 2 werden gemeinsam beantwortet") share that answer."""
    joint = _config()["joint"]
    result = list(spans)
    for index in range(len(result) - 2, -1, -1):
        current, following = result[index], result[index + 1]
        if current.answer_end > current.answer_start:
            continue
        if joint.search(text, following.answer_start, min(following.answer_end, following.answer_start + 200)):
            result[index] = QuestionSpan(current.number, current.start, current.end, following.answer_start,
                                         following.answer_end)
    return result


def _is_anfrage(text: str, document: DocumentRow) -> bool:
    config = _config()
    if document.doc_type in config["no_question_doc_types"]:
        return False  # a FAQ on a web page or in a press release is not a Kleine Anfrage
    return document.doc_type in config["question_doc_types"] or any(c in text for c in config["anfrage_cues"])


def text_to_questions(text: str) -> list[QuestionSpan]:
    """The questions of the best numbered question list in the text (longest, most answered, latest)."""
    config = _config()
    markers = text_to_markers(text, config["marker_labels"], loose=True)
    sequences = markers_to_sequences(_question_markers(text, markers))
    found = [text.find(h) for h in config["answer_section_headings"] if h in text]
    heading = min(found, default=-1)
    best: list[QuestionSpan] = []
    best_key: tuple[int, int, int, int] = (0, 0, 0, 0)
    for sequence in sequences:
        spans = items_to_questions(text, sequence)
        answered = sum(1 for s in spans if s.answer_end > s.answer_start)
        key = (int(sequence[0].start > heading), len(spans), answered, sequence[0].start)
        if key > best_key:
            best, best_key = spans, key
    return best


def extract_questions(ctx: DocContext, document: DocumentRow) -> list[QuestionRow]:
    if not _is_anfrage(ctx.text, document):
        return []
    text = ctx.text
    return [
        QuestionRow(
            doc_id=ctx.doc_id,
            number=q.number,
            question=" ".join(text[q.start : q.end].split()),
            answer=" ".join(text[q.answer_start : q.answer_end].split()),
            char_start=q.start,
            char_end=max(q.end, q.answer_end),
            page=ctx.page(q.start),
        )
        for q in text_to_questions(text)
    ]
