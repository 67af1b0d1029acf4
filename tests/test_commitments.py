"""Commitments: numbered items (numbers restored when OCR lost them), status sections, partner, target year."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract import DocContext, text_to_markers, text_to_numbered_items
from pipeline.extract.commitments import extract_commitments, target_year, text_to_committing_partner
from pipeline.records import Change, CleanText, CommitmentRow, DocumentRow

INTRO = (
    "Umsetzungsbericht der Stadt Musterhausen im Zeitraum Januar 2015 — Dezember 2015\n"
    "Mit der Partnerschaftsvereinbarung hat die Stadt 2014 vereinbart, folgende Ziele umzusetzen:\n"
)

# One paragraph per line, numbers 2 and 3 lost by OCR, status shared by items 3 and 4, closing "Fazit".
DAMAGED = INTRO + (
    "1. „Eine Befragung der Beschäftigten wird bis Ende 2015 durchgeführt.“ Umsetzung und Stand der Maßnahmen "
    "Die Befragung fand im Mai 2015 statt.\n"
    ". ,Die Stadt bietet ab 2016 Fortbildungen an.“ Umsetzung und Stand der MaBBnahmen Es gab zwölf Kurse.\n"
    ". ,Stellenanzeigen enthalten einen werbenden Zusatz.“. ,Die Stadt wirbt auf Ausbildungsmessen.“ "
    "Umsetzung und Stand der Maßnahmen Beides ist umgesetzt.\n"
    "5. „Das Leitbild wird ergänzt.“ Umsetzung der Maßnahmen Das Leitbild wird 2016 überarbeitet.\n"
    "Fazit: Die Stadt ist auf einem guten Weg.\n"
)


def _run(text: str, repairs: tuple[Change, ...] = (), title: str = "") -> list[CommitmentRow]:
    ctx = DocContext(CleanText(doc_id="t", text=text, repairs=repairs))
    return extract_commitments(ctx, DocumentRow(doc_id="t", title=title))


def test_lost_numbers_are_restored_from_the_sequence() -> None:
    rows = _run(DAMAGED)
    assert [(r.number, r.number_inferred) for r in rows] == [
        (1, False), (2, True), (3, True), (4, True), (5, False)
    ]


def test_text_is_the_statement_without_number_and_quotes() -> None:
    rows = _run(DAMAGED)
    assert rows[0].text == "Eine Befragung der Beschäftigten wird bis Ende 2015 durchgeführt."
    assert rows[2].text == "Stellenanzeigen enthalten einen werbenden Zusatz."
    for row in rows:
        assert DAMAGED[row.char_start : row.char_end] == row.text
        assert DAMAGED[row.evidence_start : row.evidence_end] == row.evidence
        assert row.evidence_start <= row.char_start < row.char_end <= row.evidence_end


def test_status_sections_shared_and_ended_by_closing_heading() -> None:
    rows = _run(DAMAGED)
    assert rows[0].status == "Die Befragung fand im Mai 2015 statt."
    assert rows[1].status == "Es gab zwölf Kurse."
    assert rows[2].status == rows[3].status == "Beides ist umgesetzt."
    assert rows[4].status == "Das Leitbild wird 2016 überarbeitet."


def test_partner_and_target_year() -> None:
    rows = _run(DAMAGED)
    assert {r.partner for r in rows} == {"Stadt Musterhausen"}
    assert [r.target_year for r in rows] == ["2015", "2016", "", "", ""]


def test_repaired_numbers_count_as_inferred() -> None:
    text = INTRO + "1. „Eins wird bis 2013 erledigt.“\n2. „Zwei wird erledigt.“\n3. „Drei wird erledigt.“\n"
    at = text.index("2. „Zwei")
    repaired = (Change(rule="restore_list_number", start=at, end=at + 1, before="", after="2"),)
    assert [r.number_inferred for r in _run(text)] == [False, False, False]
    assert [r.number_inferred for r in _run(text, repaired)] == [False, True, False]


def test_page_faithful_lines_with_wrapped_items() -> None:
    text = (
        "Bericht des Jobcenters Dortmund\n\nDas Jobcenter hat sich zu folgenden Maßnahmen verpflichtet:\n\n"
        "1. ,Das Jobcenter schult seine Beschäftigten\nin interkultureller Kompetenz.“\n\n"
        "Umsetzung und Stand der Maßnahmen\n\nDrei Schulungen fanden statt.\n\n"
        ". ,Ab 2014 enthalten alle Stellenanzeigen\neinen werbenden Zusatz.“\n\n"
        "Umsetzung und Stand der Maßnahmen\n\nErledigt.\n"
    )
    rows = _run(text)
    assert [(r.number, r.number_inferred) for r in rows] == [(1, False), (2, True)]
    assert rows[0].text == "Das Jobcenter schult seine Beschäftigten in interkultureller Kompetenz."
    assert rows[1].status == "Erledigt."
    assert rows[1].target_year == "2014"
    assert rows[0].partner == "Jobcenter Dortmund"


def test_partner_from_the_sentence_introducing_the_list() -> None:
    text = "Der Caritasverband für den Kreis Unna verpflichtet sich zu folgenden Zielen:\n1. Eins.\n2. Zwei.\n"
    assert text_to_committing_partner(text, text.index("1.")) == "Caritasverband für den Kreis Unna"
    text = "Zwischenbericht des Paritätischen Wohlfahrtsverbandes NRW\nZiele:\n1. Eins.\n2. Zwei.\n"
    assert text_to_committing_partner(text, text.index("1.")) == "Paritätischer Wohlfahrtsverband NRW"


def test_target_year_forms() -> None:
    assert target_year("Die Befragung wird bis Ende 2012 durchgeführt.") == "2012"
    assert target_year("In 2012 wird ein Flyer erstellt.") == "2012"
    assert target_year("Ab 2012 verstärkt die Behörde ihre Bemühungen.") == "2012"
    assert target_year("Bis zum 31.12.2014 wird das Konzept vorgelegt.") == "2014"
    assert target_year("Das Behördenleitbild wird ergänzt.") == ""


def test_no_numbered_items_no_commitments() -> None:
    assert _run("Die Stadt Köln ist seit dem 19. Oktober 2022 Partner. Sie setzt Maßnahmen um.") == []


def test_numbered_list_without_commitment_cues_is_not_commitments() -> None:
    text = "Die Veranstaltung hatte drei Teile:\n1. Begrüßung durch den Minister.\n2. Vorträge.\n3. Empfang.\n"
    assert _run(text) == []


def test_numbered_questions_are_not_commitments() -> None:
    text = (
        "Vorbemerkung: Die Partner gehen Selbstverpflichtungen ein.\n"
        "1. Wie viele Partner gibt es? Es gibt 34 Partner.\n2. Wer berichtet? Alle Partner berichten.\n"
    )
    assert _run(text) == []


def test_dates_and_references_are_not_markers() -> None:
    text = "Stand:\n19. Oktober 2022\nIm unter 3. genannten Projekt. Am\n11. September 2012 tagte das Kabinett."
    assert text_to_markers(text) == []
    assert text_to_numbered_items("Keine Liste. Nur Text mit 5 Zahlen und 2012.") == []


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("1234. ,„“\nAbDie?Umsetzung")), max_size=200))
def test_never_crashes_and_offsets_hold(text: str) -> None:
    for row in _run(text):
        assert text[row.evidence_start : row.evidence_end] == row.evidence
        assert row.number >= 1


def test_list_nested_in_a_status_does_not_splice_into_the_outer_list() -> None:
    text = INTRO + (
        "1. „Eine Befragung wird durchgeführt.“\nUmsetzung und Stand der Maßnahmen\n"
        "Umgesetzt wurden: 1. Eine Schulung. 2. Ein Workshop.\n"
        "2. „Ein Flyer wird erstellt.“\nUmsetzung und Stand der Maßnahmen\nErledigt.\n"
        "3. „Das Leitbild wird ergänzt.“\n"
    )
    rows = _run(text)
    assert [r.text for r in rows] == [
        "Eine Befragung wird durchgeführt.", "Ein Flyer wird erstellt.", "Das Leitbild wird ergänzt."
    ]
    assert rows[0].status == "Umgesetzt wurden: 1. Eine Schulung. 2. Ein Workshop."
    assert rows[2].status == ""


def test_run_in_list_in_one_line_text_ends_with_its_items() -> None:
    text = (
        "Die Stadt Köln verpflichtet sich zu folgenden Maßnahmen: 1. Die Stadt führt bis 2014 eine Befragung "
        "durch. 2. Alle Stellenanzeigen enthalten ab 2013 einen Zusatz. 3. Die Stadt schult ihre Beschäftigten. "
        "Die Vereinbarung wurde am 14. Februar 2013 unterzeichnet."
    )
    rows = _run(text)
    assert [(r.number, r.target_year) for r in rows] == [(1, "2014"), (2, "2013"), (3, "")]
    assert rows[2].text == "Die Stadt schult ihre Beschäftigten."
    assert {r.status for r in rows} == {""}
    assert {r.partner for r in rows} == {"Stadt Köln"}


LABELLED = (
    "Zwischenbericht der Handwerkskammer Münster\n"
    "Die Handwerkskammer Münster hat sich in der Partnervereinbarung verpflichtet:\n"
    "Ziel 1: Die Kammer führt bis Mitte 2016 eine Beschäftigtenbefragung durch.\n"
    "Sachstand: Die Befragung ist abgeschlossen.\n"
    "Ziel 2: Ab 2016 werden Betriebe beraten.\nSachstand: Es wurden 45 Betriebe beraten.\n"
    "Fazit\nDie Kammer hat ihre Ziele erreicht.\n"
)


def test_labelled_items_in_lines_and_in_one_line() -> None:
    for text in (LABELLED, LABELLED.replace("\n", " ")):
        rows = _run(text)
        assert [(r.number, r.text, r.target_year) for r in rows] == [
            (1, "Die Kammer führt bis Mitte 2016 eine Beschäftigtenbefragung durch.", "2016"),
            (2, "Ab 2016 werden Betriebe beraten.", "2016"),
        ]
        assert [r.status for r in rows] == ["Die Befragung ist abgeschlossen.", "Es wurden 45 Betriebe beraten."]
        assert {r.partner for r in rows} == {"Handwerkskammer Münster"}


def test_list_number_misread_as_letter_is_restored() -> None:
    text = INTRO + "l. „Eine Befragung wird durchgeführt.“\n2. „Ein Flyer wird erstellt.“\n"
    assert [(r.number, r.number_inferred) for r in _run(text)] == [(1, True), (2, False)]


def test_numbered_list_of_partners_is_not_commitments() -> None:
    text = (
        "Die Selbstverpflichtungen der Partner sind Teil der Partnervereinbarungen. Bisher wurden folgende "
        "Partnervereinbarungen geschlossen:\n1. Bezirksregierung Arnsberg (26. März 2012)\n2. Kreis Lippe\n"
        "3. Stadt Duisburg (23. August 2012)\n"
    )
    assert _run(text) == []
