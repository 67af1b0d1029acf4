"""Questions of a Kleine Anfrage paired with their answers, on one-line and one-paragraph-per-line text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract import DocContext
from pipeline.extract.questions import extract_questions, question_end
from pipeline.records import CleanText, DocumentRow, QuestionRow

HEAD = "Antwort der Landesregierung auf die Kleine Anfrage 99 der Abgeordneten Erika Muster. "

ONE_LINE = HEAD + (
    "Vorbemerkung der Landesregierung Die Initiative wirbt um Partner. "
    "1. Wie viele Partner hat die Initiative gewonnen? Bitte die Partner einzeln auflisten. "
    "Bislang wurden 34 Partner gewonnen. Eine Liste liegt bei. "
    "2. Welche Kosten entstehen dem Land (bitte nach Jahren aufschlüsseln)? "
    "Die unter 1. genannten Partner tragen ihre Kosten selbst. Am 3. Mai 2014 gab es einen Workshop. "
    "3. Sind die Verträge befristet? Nein."
)

PER_LINE = HEAD + (
    "\nVorbemerkung der Kleinen Anfrage\nDie Landesregierung hat 2011 eine Initiative gestartet.\n"
    "1. Wie viele Bewerbungen sind seit Ende 2010 an die Landesverwal-\n\ntung gerichtet worden?\n\n"
    "Es waren 1.256 Bewerbungen.\nSie verteilen sich auf acht Ressorts.\n"
    "2. Wann wird berichtet? Wer berichtet?\n"
    "Bitte beachten Sie die Vorlage 16/1144. Der Bericht folgt im Jahr 2013.\n"
)


def _run(text: str, doc_type: str = "kleine_anfrage_antwort") -> list[QuestionRow]:
    ctx = DocContext(CleanText(doc_id="t", text=text))
    return extract_questions(ctx, DocumentRow(doc_id="t", doc_type=doc_type))


def test_one_line_document_with_request_sentence() -> None:
    rows = _run(ONE_LINE)
    assert [r.number for r in rows] == [1, 2, 3]
    assert rows[0].question == (
        "Wie viele Partner hat die Initiative gewonnen? Bitte die Partner einzeln auflisten."
    )
    assert rows[0].answer == "Bislang wurden 34 Partner gewonnen. Eine Liste liegt bei."
    assert rows[1].question == "Welche Kosten entstehen dem Land (bitte nach Jahren aufschlüsseln)?"
    assert rows[1].answer.startswith("Die unter 1. genannten Partner")
    assert rows[1].answer.endswith("einen Workshop.")
    assert rows[2].answer == "Nein."


def test_spans_cover_question_and_answer() -> None:
    for row in _run(ONE_LINE):
        span = " ".join(ONE_LINE[row.char_start : row.char_end].split())
        assert span.startswith(row.question) and span.endswith(row.answer)
        assert row.page is None


def test_wrapped_questions_and_answer_starting_with_bitte() -> None:
    rows = _run(PER_LINE)
    assert [r.number for r in rows] == [1, 2]
    assert rows[0].question == (
        "Wie viele Bewerbungen sind seit Ende 2010 an die Landesverwal- tung gerichtet worden?"
    )
    assert rows[0].answer == "Es waren 1.256 Bewerbungen. Sie verteilen sich auf acht Ressorts."
    assert rows[1].question == "Wann wird berichtet? Wer berichtet?"
    assert rows[1].answer.startswith("Bitte beachten Sie die Vorlage")  # no infinitive request: the answer


def test_jointly_answered_questions_share_the_answer() -> None:
    text = HEAD + (
        "\n1. Wie viele Partner gibt es?\n2. Wie viele Beschäftigte haben sie?\n"
        "Die Fragen 1 und 2 werden wegen des Sachzusammenhangs gemeinsam beantwortet. Es sind 34 Partner.\n"
        "3. Ist die Initiative befristet?\nNein.\n"
    )
    rows = _run(text)
    assert [r.number for r in rows] == [1, 2, 3]
    assert rows[0].answer == rows[1].answer
    assert rows[0].answer.endswith("Es sind 34 Partner.")
    assert rows[2].answer == "Nein."


def test_answer_labels_are_not_part_of_the_answer() -> None:
    text = HEAD + "\nFrage 1: Wie viele Partner gibt es?\nAntwort: Es sind 34.\nFrage 2: Wer berichtet?\nAlle.\n"
    rows = _run(text)
    assert [(r.number, r.answer) for r in rows] == [(1, "Es sind 34."), (2, "Alle.")]
    rows = _run(text.replace("Antwort:", "Antwort zu Frage 1:"))
    assert [(r.number, r.answer) for r in rows] == [(1, "Es sind 34."), (2, "Alle.")]


def test_numbered_statements_are_not_questions() -> None:
    text = HEAD + "Die Stadt hat folgende Ziele:\n1. Eine Befragung.\n2. Fortbildungen.\n3. Ein Flyer.\n"
    assert _run(text) == []


def test_numbers_out_of_sequence_are_not_questions() -> None:
    text = HEAD + "Am\n11. September 2012 tagte das Kabinett. Warum? Das ist offen.\n4. Wer zahlt? Das Land.\n"
    assert _run(text) == []


def test_press_release_without_anfrage_has_no_questions() -> None:
    text = "Pressemitteilung\n1. Wer kann Partner werden? Jede Organisation.\n2. Was kostet es? Nichts.\n"
    assert _run(text, doc_type="pressemitteilung") == []
    assert _run("Auf Anfrage:\n" + text, doc_type="webseite") == []
    assert _run("Keine nummerierten Fragen. Wie geht es weiter? Das ist offen.") == []


def test_question_end_stops_at_declarative_sentence() -> None:
    text = "Sind die Verträge befristet? Nein. Sie laufen unbefristet."
    assert text[: question_end(text, 0, len(text))] == "Sind die Verträge befristet?"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("123. ?\nWieBitte auflisten.Anfrage„“")), max_size=200))
def test_never_crashes_and_numbers_run_in_sequence(text: str) -> None:
    rows = _run(text)
    assert [r.number for r in rows] == list(range(1, len(rows) + 1))
    for row in rows:
        assert 0 <= row.char_start <= row.char_end <= len(text)


def test_first_question_right_after_a_heading_and_lost_number() -> None:
    text = HEAD + "Vorbemerkung der Landesregierung 1. Wie viele Partner gibt es? Es sind 34. 2. Wer berichtet? Alle."
    assert [(r.number, r.answer) for r in _run(text)] == [(1, "Es sind 34."), (2, "Alle.")]
    text = HEAD + (
        "\n1. Wie viele Partner gibt es?\nEs sind 34.\n. Welche Kosten entstehen?\nKeine.\n3. Wann?\nIm Mai.\n"
    )
    rows = _run(text)
    assert [(r.number, r.question, r.answer) for r in rows] == [
        (1, "Wie viele Partner gibt es?", "Es sind 34."),
        (2, "Welche Kosten entstehen?", "Keine."),
        (3, "Wann?", "Im Mai."),
    ]


def test_questions_asked_as_requests() -> None:
    text = HEAD + "\n1. Wie viele Partner gibt es?\nEs sind 34.\n2. Bitte listen Sie alle Partner auf.\nSiehe Anlage.\n"
    rows = _run(text)
    assert [(r.number, r.question, r.answer) for r in rows] == [
        (1, "Wie viele Partner gibt es?", "Es sind 34."),
        (2, "Bitte listen Sie alle Partner auf.", "Siehe Anlage."),
    ]


def test_answers_collected_after_all_questions() -> None:
    text = HEAD + (
        "\n1. Wie viele Partner gibt es?\n2. Wann wird berichtet?\n3. Was kostet es?\n"
        "Zu 1.: Es sind 34.\nZu 2.: Im Mai.\nZu Frage 3: Nichts.\n"
    )
    for variant in (text, text.replace("\n", " ")):
        assert [(r.number, r.answer) for r in _run(variant)] == [(1, "Es sind 34."), (2, "Im Mai."), (3, "Nichts.")]


def test_a_last_question_cut_off_with_the_text_is_kept_with_what_is_there() -> None:
    head = HEAD + "\n1. Wie viele Partner hat sie?\nEs sind 40.\n2. Welche Behörden sind beigetreten?\nDrei.\n"
    rows = _run(head + "3. Wie viele Menschen arbeiten in den Behörden und den")
    assert [(r.number, r.question, r.answer) for r in rows][2] == (
        3, "Wie viele Menschen arbeiten in den Behörden und den", "")
    # a cut-off statement is not a question: it stays part of the answer before it
    rows = _run(head + "3. Die Menschen arbeiten in den Behörden und den")
    assert [r.number for r in rows] == [1, 2]
    # a last item that ends its sentence is not cut off
    rows = _run(head + "3. Wie viele Menschen arbeiten dort. Keine Angabe.")
    assert [r.number for r in rows] == [1, 2]
