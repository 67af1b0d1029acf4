"""Document metadata: type, title, own date, Landtag header fields, press datelines, report periods, letters.

Each document is tested twice: with the source's line breaks kept, and with its paragraphs' lines merged
(as the clean text may give them), because the extractor must not depend on either layout.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract import DocContext
from pipeline.extract.documents import (
    extract_document,
    first_heading,
    is_label_line,
    letter_title,
    ministry_from_answering,
    period_at,
    stated_date,
    text_to_doc_type,
)
from pipeline.records import CleanText, DocumentRow, PageText, RawText, SourceFile

ANSWER = """LANDTAG NORDRHEIN-WESTFALEN
17. Wahlperiode

Drucksache 17/3456

12.09.2018

Datum des Originals: 10.09.2018/Ausgegeben: 14.09.2018

Antwort

der Landesregierung

auf die Kleine Anfrage 1298 vom 9. August 2018
der Abgeordneten Ibrahim Yetim und Lisa-Kristin Kapteinat   SPD
Drucksache 17/3201

Wie geht es weiter mit der Partnerinitiative
zur interkulturellen Öffnung?

Der Minister für Kinder, Familie, Flüchtlinge und Integration hat die Kleine Anfrage
1298 mit Schreiben vom 10. September 2018 namens der Landesregierung beantwortet.

1. Wie viele Partner gibt es? Laut Drucksache 17/1000 und Kleine Anfrage 999 vom 1. Mai 2017 viele.
"""

ANSWER_WITHOUT_HEADER = """Antwort der Landesregierung auf die Kleine Anfrage 421 vom 6. September 2012
der Abgeordneten Serap Güler CDU
Drucksache 16/850

Aktive Partnerschaften: Was hat das Ministerium getan?

Der Finanzminister hat die Kleine Anfrage 421 mit Schreiben vom 9. Oktober 2012 namens
der Landesregierung beantwortet.
"""

PRESS = """Pressemitteilung

Ministerium für Arbeit, Integration und Soziales
des Landes Nordrhein-Westfalen

Düsseldorf, 03.06.2014

Bielefeld und Hamm werden Partner der Landes-
initiative zur interkulturellen Öffnung

Die Städte Bielefeld und Hamm haben sich am 2. Juni 2014 der Initiative angeschlossen.
„Kommunen sind die erste Adresse“, sagte Minister Schneider.

Für Rückfragen steht Ihnen die Pressestelle unter 0211 855-3118 zur Verfügung.
"""

REPORT = """Partnerschaftsvereinbarung ,Vielfalt verbindet! Interkulturelle
Offnung als Erfolgsfaktor!“

Umsetzungsbericht der Bezirksregierung Arnsberg im Zeitraum
Dezember 2016 — Oktober 2017

Die Bezirksregierung hat 2012 vereinbart, folgende Ziele umzusetzen:

1. ,Eine Befragung wird bis Ende 2012 durchgefuhrt.“

Umsetzung und Stand der MaBnahmen

Die Befragung fand zwischen dem 7. Marz und 7. April 2017 statt.
"""

LETTER = """Ministerium für Kinder, Familie, Flüchtlinge und Integration des Landes Nordrhein-Westfalen
Die Staatssekretärin für Integration

LANDTAG NORDRHEIN-WESTFALEN
17. WAHLPERIODE
VORLAGE 17/1873

Ihr Schreiben vom 21.03.2019

2. April 2019

Telefon 0211 837-2418

Bericht zur Partnerinitiative „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“
TOP 4 der Sitzung am 10.04.

Sehr geehrter Herr Vorsitzender,

anbei der Bericht zum Umsetzungsbericht der Partner. Auf die Kleine Anfrage 1298 wird verwiesen.

Mit freundlichen Grüßen
"""

NEGATIVE = """Veranstaltungshinweis

Fachtag „Interkulturelle Öffnung in der Pflege“

Dienstag, 12. Mai 2020, 9.30 Uhr bis 16.00 Uhr
Fachhochschule Dortmund, Raum 2.14

Anmeldung bis zum 30.04.2020 unter 0231 9112-4710.
"""


def merged(text: str) -> str:
    """The text as a cleaner that joins each paragraph's lines might give it."""
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def dehyphenated(text: str) -> str:
    """Words split at a line end joined again, as every clean text has them."""
    return re.sub(r"(\w)-\n(?=[a-zäöüß])", r"\1", text)


def document(text: str, layout: str, kind: str = "text", title_hint: str = "", date_hint: str = "") -> DocumentRow:
    clean = dehyphenated(text) if layout == "lines" else merged(dehyphenated(text))
    ctx = DocContext(clean=CleanText(doc_id="doc", text=clean, quality=0.9))
    source = SourceFile(doc_id="doc", path="/x/doc.txt", source_file="doc.txt", sha256="abc", kind=kind, size=1)
    raw = RawText(doc_id="doc", kind=kind, pages=(PageText(number=None, text=text, source="text"),),
                  text_source="text", paged=False, title_hint=title_hint, date_hint=date_hint)
    return extract_document(ctx, source, raw)


LAYOUTS = ["lines", "merged"]
DOC_TYPES = {
    "kleine_anfrage_antwort", "pressemitteilung", "umsetzungsbericht", "webseite", "plenarprotokoll", "drucksache",
    "amtsblatt", "other",
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_answer_to_a_kleine_anfrage(layout: str) -> None:
    row = document(ANSWER, layout)
    assert (row.doc_type, row.date, row.wahlperiode, row.drucksache) == (
        "kleine_anfrage_antwort", "2018-09-12", "17", "17/3456")
    assert (row.anfrage_nr, row.anfrage_drucksache, row.anfrage_date, row.answer_date) == (
        "1298", "17/3201", "2018-08-09", "2018-09-10")
    assert (row.questioners, row.party) == ("Ibrahim Yetim|Lisa-Kristin Kapteinat", "SPD")
    assert row.title == "Wie geht es weiter mit der Partnerinitiative zur interkulturellen Öffnung?"
    assert row.ministry == "Ministerium für Kinder, Familie, Flüchtlinge und Integration"
    assert (row.source_file, row.sha256, row.text_source, row.text_quality) == ("doc.txt", "abc", "text", "0.900")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_answer_without_own_header_takes_answer_date_and_wahlperiode_of_the_anfrage(layout: str) -> None:
    row = document(ANSWER_WITHOUT_HEADER, layout)
    assert (row.date, row.drucksache, row.wahlperiode, row.anfrage_drucksache) == ("2012-10-09", "", "16", "16/850")
    assert row.title == "Aktive Partnerschaften: Was hat das Ministerium getan?"
    assert row.ministry == "Ministerium der Finanzen"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_press_release(layout: str) -> None:
    row = document(PRESS, layout)
    assert (row.doc_type, row.date) == ("pressemitteilung", "2014-06-03")
    assert row.title == "Bielefeld und Hamm werden Partner der Landesinitiative zur interkulturellen Öffnung"
    assert (row.drucksache, row.anfrage_nr, row.questioners, row.wahlperiode) == ("", "", "", "")


def test_html_page_takes_title_and_date_hints_but_a_web_page_no_guessed_date() -> None:
    html = "Wir sind Partner\n\nStadt Duisburg – Partner seit 23.08.2012\n\nImpressum Datenschutz"
    row = document(html, "lines", kind="html", title_hint="Wir sind Partner", date_hint="2012-08-23")
    assert (row.doc_type, row.title, row.date) == ("webseite", "Wir sind Partner", "")
    news = "Handwerkskammer wird Partnerin\n\n„Ein Zeichen“, sagte Staatssekretär Klute.\n\nImpressum"
    row = document(news, "lines", kind="html", title_hint="Handwerkskammer wird Partnerin", date_hint="2015-11-12")
    assert (row.doc_type, row.date) == ("pressemitteilung", "2015-11-12")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_partner_report_title_and_period(layout: str) -> None:
    row = document(REPORT, layout)
    assert row.doc_type == "umsetzungsbericht"
    assert row.title == "Umsetzungsbericht der Bezirksregierung Arnsberg im Zeitraum Dezember 2016 — Oktober 2017"
    assert (row.period_start, row.period_end, row.date) == ("2016-12", "2017-10", "")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_letter_is_other_with_subject_as_title_and_its_own_date(layout: str) -> None:
    row = document(LETTER, layout)
    assert (row.doc_type, row.date, row.wahlperiode) == ("other", "2019-04-02", "17")
    assert row.title == "Bericht zur Partnerinitiative „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“"
    assert (row.anfrage_nr, row.drucksache) == ("", "")  # a mentioned Kleine Anfrage is not this document's


@pytest.mark.parametrize("layout", LAYOUTS)
def test_event_notice_is_other_without_a_date(layout: str) -> None:
    row = document(NEGATIVE, layout)
    assert (row.doc_type, row.date, row.title) == ("other", "", "Fachtag „Interkulturelle Öffnung in der Pflege“")
    assert (row.period_start, row.questioners, row.ministry) == ("", "", "")


def test_doc_type_needs_enough_cues() -> None:
    assert text_to_doc_type("Ein Umsetzungsbericht wird erwähnt.") == "umsetzungsbericht"
    assert text_to_doc_type("Die Kleine Anfrage 12 wird erwähnt.") == "other"
    assert text_to_doc_type("Eine Seite ohne Hinweis.", kind="html") == "webseite"


def test_ministry_from_the_answering_office() -> None:
    assert ministry_from_answering("Ministerin", " für Schule und Bildung") == "Ministerium für Schule und Bildung"
    assert ministry_from_answering("Minister", " des Innern") == "Ministerium des Innern"
    assert ministry_from_answering("Ministerpräsidentin", "") == "Staatskanzlei"
    assert ministry_from_answering("Minister", "") == ""


def test_headline_helpers() -> None:
    assert is_label_line("LWL-Pressemitteilung") and is_label_line("Mittwoch, 21. Januar 2015")
    assert not is_label_line("IHK Mittlerer Niederrhein unterzeichnet Partnervereinbarung")
    assert first_heading("PRESSEINFORMATION\n\nEssen, den 28.09.2016\n\nZwei Unternehmen treten der\n"
                         "Initiative bei\n\nText folgt hier.") == "Zwei Unternehmen treten der Initiative bei"
    assert first_heading("\n\n") == ""
    assert period_at("Zeitraum: keine Angabe", 10) is None
    assert stated_date("Ein Text ohne Datum.\nDüsseldorf\n") == ""
    assert letter_title("Kein Brief, keine Anrede.") == ""


def test_mis_decoded_raw_headline_is_taken_from_the_clean_text() -> None:
    raw = "Stadt MÃ¼nster wird Partnerin der Initiative â€žVielfalt verbindet!â€œ\n\nMünster, 21. November 2017\n"
    clean = "Stadt Münster wird Partnerin der Initiative „Vielfalt verbindet!“ Münster, 21. November 2017"
    ctx = DocContext(clean=CleanText(doc_id="doc", text=clean))
    source = SourceFile(doc_id="doc", path="/x/doc.txt", source_file="doc.txt", sha256="abc", kind="text", size=1)
    raw_text = RawText(doc_id="doc", kind="text", pages=(PageText(number=None, text=raw, source="text"),),
                       text_source="text", paged=False)
    row = extract_document(ctx, source, raw_text)
    assert row.title == "Stadt Münster wird Partnerin der Initiative „Vielfalt verbindet!“"
    assert row.date == "2017-11-21"


def test_anfrage_fields_with_wrapped_names_and_two_parties() -> None:
    from pipeline.extract.documents import anfrage_fields

    wrapped = anfrage_fields(
        "auf die Kleine Anfrage 1298 vom 9. August 2018\nder Abgeordneten Ibrahim Yetim und\n"
        "Lisa-Kristin Kapteinat SPD\nDrucksache 17/3201\n\nWie geht es weiter?\n\n"
        "Der Minister des Innern hat die Kleine Anfrage 1298 mit Schreiben vom 10. September 2018 beantwortet."
    )
    assert (wrapped["questioners"], wrapped["party"], wrapped["title"]) == (
        "Ibrahim Yetim|Lisa-Kristin Kapteinat", "SPD", "Wie geht es weiter?")
    assert wrapped["ministry"] == "Ministerium des Innern"
    two = anfrage_fields(
        "auf die Kleine Anfrage 5 vom 1. Mai 2016 der Abgeordneten Anna Muster (CDU) und Bernd Beispiel (FDP) "
        "Drucksache 16/1 Titel hier? Die Ministerin für Schule und Bildung hat die Kleine Anfrage 5 mit "
        "Schreiben vom 3. Juni 2016 beantwortet."
    )
    assert (two["questioners"], two["party"], two["anfrage_drucksache"]) == (
        "Anna Muster|Bernd Beispiel", "CDU|FDP", "16/1")
    assert anfrage_fields("Ein Text über eine Anfrage ohne Kopf.") == {}


PIECES = ["Antwort der Landesregierung", "Kleine Anfrage 12 vom 3. Mai 2016", "der Abgeordneten", " Anna Muster ",
          "CDU", "Drucksache 16/1", "Umsetzungsbericht", "im Zeitraum", "Mai 2016 – Juni 2017", "Sehr geehrte",
          "Pressemitteilung", "Düsseldorf, 03.06.2014", "\n", "\n\n", "Der Minister für Arbeit hat die Kleine Anfrage",
          "Stand:", "„", "“", "-", "Ã¼", " "]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=20).map("".join))
def test_extract_document_never_fails(text: str) -> None:
    for layout in LAYOUTS:
        row = document(text, layout)
        assert row.doc_type in DOC_TYPES
        for value in (row.date, row.anfrage_date, row.answer_date):
            assert value == "" or re.fullmatch(r"\d{4}-\d{2}(?:-\d{2})?", value)


# ---------------------------------------------------------------- signals real pages and letters carry


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # press: a numeric dateline alone on a line, an agency byline, reported speech introduced by a colon
        ("Landesinitiative wächst\n\n14.03.2019\n\nDie Stadt Beispielstadt tritt bei. Mehr folgt.", "pressemitteilung"),
        ("Neue Partner\n\n(ABC) Mit der Stadtbibliothek hat die Initiative Partner gewonnen.", "pressemitteilung"),
        ("Neue Partner für die Vielfalt\n\nDer Landrat sagte bei der Feier: „Wir freuen uns.“", "pressemitteilung"),
        # report: a heading of activity reports, a contents list with dot leaders, survey results
        ("Tätigkeitsberichte der Partner 2015\n\nDie Partner berichten über ihre Arbeit.", "umsetzungsbericht"),
        ("Inhaltsverzeichnis\nVorwort ........ 3\nEinleitung ....... 5\nErgebnisse ....... 9\n", "umsetzungsbericht"),
        ("Sehr geehrte Damen und Herren,\nanbei die Ergebnisse der landesweiten Umfrage unter den Partnern.",
         "umsetzungsbericht"),
        # web page: a domain line, a CMS byline, "auf dieser Seite", bullets, downloads
        ("beispiel.nrw\nStartseite\nNeue Partner gewonnen\nText hier.", "webseite"),
        ("Neue Partner\nGespeichert von redaktion am 3. Mai 2015\nText hier.", "webseite"),
        ("Hier finden Sie auf dieser Seite alle Partner. Mehr dazu als Download (PDF).", "webseite"),
        ("Unsere Angebote\n• Beratung\n• Schulung\nMehr als Download verfügbar.", "webseite"),
        # negatives: a report named in running text, a date inside a sentence
        ("Im Tätigkeitsbericht wird erläutert, wie die Arbeit lief. Das ist alles.", "other"),
        ("Am 14.03.2019 tritt die Stadt Beispielstadt bei.", "other"),
    ],
)
def test_doc_type_from_real_page_signals(text: str, expected: str) -> None:
    assert text_to_doc_type(text) == expected


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Neue Partner gewonnen\n date 2016-11 .\nDie Initiative wächst weiter und weiter.", "2016-11"),
        ("Neue Partner gewonnen\nGespeichert von redaktion am 1. Oktober 2014\nDie Initiative wächst.", "2014-10-01"),
        ("Ministerium für Beispiele\nDatum: [ . Januar 2016\nSehr geehrte Damen und Herren,\nanbei.", "2016-01"),
        # a season written as a year range is not a month
        ("Neue Partner gewonnen\n date 2011-12 .\nDie Initiative wächst weiter und weiter.", ""),
    ],
)
def test_own_date_from_metadata_lines_cms_bylines_and_damaged_letterheads(layout: str, text: str, date: str) -> None:
    assert document(text, layout).date == date


PLENARY = """Landtag
Nordrhein-Westfalen

Plenarprotokoll
18/42

18. Wahlperiode

12.03.2024

42. Sitzung
Düsseldorf, Donnerstag, 12. März 2024

Vor Eintritt in die Tagesordnung ........ 3
Beispielthema
Antrag
der Fraktion der Beispielpartei
Drucksache 18/1234 ........ 4

Präsidentin Erika Muster: Guten Morgen, meine Damen und Herren!

(Beifall von der Beispielpartei)
"""

MOTION = """LANDTAG NORDRHEIN-WESTFALEN
18. Wahlperiode

Drucksache 18/5678

05.06.2024

Antrag

der Fraktion der Beispielpartei

Vielfalt in der Verwaltung stärken

I. Ausgangslage

Die Landesinitiative zur interkulturellen Öffnung hat viele Partner gewonnen.
"""

BILL = """Gesetzentwurf der Landesregierung

Gesetz zur Förderung der Teilhabe in Beispielland

A. Problem

Die Teilhabe soll gestärkt werden.
"""

GAZETTE = """Amtsblatt
Nr. 4/2015

20. Jahrgang

14.04.2015

Amtliche Bekanntmachung über die Wahl des Integrationsrates der Stadt Beispielstadt

Beispielstadt, den 10.04.2015
Der Bürgermeister

Herausgeber: Der Bürgermeister der Stadt Beispielstadt
"""

MINISTERIAL_GAZETTE = """Beispielländisches
Ministerialblatt
12. (30.) Jahrgang
Beispielstadt, den 3. Februar 2020
Nummer 5

Ministerium für Beispiele
Richtlinie über die Förderung von Beispielen
RdErl. d. MB v. 3.2.2020
"""


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (PLENARY, ("plenarprotokoll", "Plenarprotokoll 18/42", "2024-03-12", "", "18")),
        (MOTION, ("drucksache", None, "2024-06-05", "18/5678", "18")),
        (BILL, ("drucksache", None, "", "", "")),
        (GAZETTE, ("amtsblatt", "Amtsblatt Nr. 4/2015", "2015-04-14", "", "")),
        (MINISTERIAL_GAZETTE, ("amtsblatt", "Beispielländisches Ministerialblatt", "2020-02-03", "", "")),
    ],
)
def test_plenary_minutes_printed_papers_and_gazettes(layout: str, text: str, expected: tuple) -> None:
    row = document(text, layout)
    doc_type, title, date, drucksache, wahlperiode = expected
    assert (row.doc_type, row.date, row.drucksache, row.wahlperiode) == (doc_type, date, drucksache, wahlperiode)
    if title is not None:
        assert row.title == title


@pytest.mark.parametrize(
    "text",
    [
        # a press release that mentions a motion, a bill or a gazette stays a press release
        "Pressemitteilung\n\nDüsseldorf, 03.06.2014\n\nDer Gesetzentwurf der Landesregierung wurde heute im "
        "Amtsblatt veröffentlicht. „Ein guter Tag“, sagte die Ministerin.",
        "Pressemitteilung\n\nDüsseldorf, 03.06.2014\n\nDie Fraktion stellt einen Antrag.\nAntrag\n„Gut so“, sagte sie.",
        # an answer to a Kleine Anfrage is a printed paper too, but an answer first
        "Deutscher Bundestag\nDrucksache 21/99\n21. Wahlperiode\nAntwort\nder Bundesregierung\n"
        "auf die Kleine Anfrage der Abgeordneten Erika Muster\n",
    ],
)
def test_mentions_of_papers_and_gazettes_do_not_change_the_type(text: str) -> None:
    assert text_to_doc_type(text) in ("pressemitteilung", "kleine_anfrage_antwort")
    if text.startswith("Deutscher"):
        assert text_to_doc_type(text) == "kleine_anfrage_antwort"
