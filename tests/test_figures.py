"""Figures: German numbers, what they count, and the many numbers that are not figures."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract import (
    DocContext,
    digits_to_value,
    phrase_to_value,
    value_to_text,
    word_to_value,
)
from pipeline.extract.figures import extract_figures, noun_to_unit, text_to_readings
from pipeline.records import CleanText, DocumentRow, FigureRow


def figures_of(text: str, doc_type: str = "other", date: str = "") -> list[FigureRow]:
    ctx = DocContext(clean=CleanText(doc_id="t", text=text))
    return extract_figures(ctx, DocumentRow(doc_id="t", doc_type=doc_type, date=date))


def triples(text: str) -> list[tuple[str, str, str]]:
    return [(row.value, row.unit, row.qualifier) for row in figures_of(text)]


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
    ("written", "value"),
    [("1.719", 1719), ("48,7", 48.7), ("11,78", 11.78), ("100.000", 100000), ("1200", 1200), ("1.256", 1256)],
)
def test_german_digits(written: str, value: float) -> None:
    assert digits_to_value(written) == value


@pytest.mark.parametrize("written", ["03.11.2014", "11.5", "29.09.", "16/850", "1.2.3", "12,"])
def test_codes_and_dates_are_not_numbers(written: str) -> None:
    assert digits_to_value(written) is None


@pytest.mark.parametrize(
    ("word", "value"),
    [("acht", 8), ("Zwei", 2), ("zwölf", 12), ("sieben", 7), ("einundzwanzig", 21), ("zweihundert", 200)],
)
def test_number_words(word: str, value: int) -> None:
    assert word_to_value(word) == value


@pytest.mark.parametrize("word", ["zweiten", "dritte", "eine", "beiden", "zweitägige", "achten"])
def test_ordinals_and_articles_are_not_number_words(word: str) -> None:
    assert word_to_value(word) is None


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("1.719", 1719),
        ("48,7 %", 48.7),
        ("11,78 Prozent", 11.78),
        ("100.000", 100000),
        ("1,5 Millionen", 1500000),
        ("eine Million", 1000000),
        ("acht", 8),
        ("zwölf", 12),
        ("jeder Vierte", 25),
        ("zwei Drittel", 66.67),
    ],
)
def test_whole_number_phrases(phrase: str, value: float) -> None:
    assert phrase_to_value(phrase) == value


@pytest.mark.parametrize("phrase", ["Drucksache 16/850", "26. März", "eine Befragung", "zum zweiten Mal"])
def test_phrases_that_are_not_numbers(phrase: str) -> None:
    assert phrase_to_value(phrase) is None


def test_values_are_written_with_point_and_without_grouping() -> None:
    assert [value_to_text(v) for v in (1719.0, 48.7, 1000000.0, 33.33)] == ["1719", "48.7", "1000000", "33.33"]


# ------------------------------------------------------------------ counts and shares


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Die Bezirksregierung Münster mit 1200 Beschäftigten ist groß.", [("1200", "persons", "")]),
        ("Es waren 48,7 % der Befragten.", [("48.7", "percent", "")]),
        ("Das sind 11,78 Prozent.", [("11.78", "percent", "")]),
        ("Dort sind annähernd 100.000 Beschäftigte tätig.", [("100000", "persons", "annähernd")]),
        ("Angeschlossen sind über eine Million Organisationen.", [("1000000", "organisations", "über")]),
        ("Es wurden 1,5 Millionen Exemplare gedruckt.", [("1500000", "copies", "")]),
        ("Die Kooperation arbeitet in acht Ruhrgebietsstädten.", [("8", "organisations", "")]),
        ("Ein Pilotprojekt mit Stellenkontingenten in acht Ressorts.", [("8", "organisations", "")]),
        ("Es wurden acht Projekte von Kommunen gefördert.", [("8", "projects", "")]),
        ("Es legt zunächst 28 Maßnahmen fest.", [("28", "measures", "")]),
        ("Es wurden sieben Kurzbeiträge veröffentlicht.", [("7", "other", "")]),
        ("Sie beschäftigt fortan zwei gut qualifizierte Flüchtlinge aus Syrien.", [("2", "persons", "")]),
        (
            "Es wurden 89 Stellen besetzt, beworben hatten sich 1.256 Personen.",
            [("89", "positions", ""), ("1256", "persons", "")],
        ),
        ("Die Broschüre erschien in einer Auflage von (bisher) 1.500 Stück.", [("1500", "copies", "")]),
        ("Jeder Vierte hat eine Zuwanderungsgeschichte.", [("25", "percent", "")]),
        ("Vier von zehn Beschäftigten sind jünger als 40 Jahre.", [("40", "percent", "")]),
        ("Zwei Drittel der Befragten befürworten die Maßnahmen.", [("66.67", "percent", "")]),
        ("Über 90 Prozent der Teilnehmenden bewerteten den Workshop positiv.", [("90", "percent", "über")]),
        ("Die Quote liegt bei 3,5 v. H. der Stellen.", [("3.5", "percent", "")]),
        (
            "Der Anteil stieg von 8,5 % im Jahr 2013 auf 11,2 % im Jahr 2017.",
            [("8.5", "percent", ""), ("11.2", "percent", "")],
        ),
        ("Der Anteil stieg von 8,5 auf 11,2 Prozent.", [("8.5", "percent", ""), ("11.2", "percent", "")]),
        ("Damit ist die Zahl der Partner auf 41 gestiegen.", [("41", "organisations", "")]),
        ("Insgesamt nahmen 18 der 41 Partner teil.", [("18", "organisations", ""), ("41", "organisations", "")]),
        ("Es gibt 54 Kommunale Integrationszentren.", [("54", "organisations", "")]),
        ("Die Beschäftigtenzahl lag im Jahr 2017 bei knapp 1.719.", [("1719", "persons", "knapp")]),
        (
            "Seit 2012 haben sich 45 Partner angeschlossen, darunter 12 Kommunen und 7 Jobcenter.",
            [("45", "organisations", ""), ("12", "organisations", ""), ("7", "organisations", "")],
        ),
        ("Annähernd jeder fünfte Auszubildende hat eine Einwanderungsgeschichte.", [("20", "percent", "annähernd")]),
        ("Die Stadt hat rund 17.000 Mitarbeiterinnen und Mitarbeiter.", [("17000", "persons", "rund")]),
        ("Sie betreut mehr als 12.000 Bedarfsgemeinschaften.", [("12000", "other", "mehr als")]),
        ("Der Verband bildet fünf Kolleginnen und Kollegen aus.", [("5", "persons", "")]),
        ("Es nahmen Vertreter von 23 Jobcentern teil.", [("23", "organisations", "")]),
        ("Dort arbeiten drei Ausbildungsbotschafterinnen.", [("3", "persons", "")]),
        ("Der Verband hat über 2000 Beschäftigte.", [("2000", "persons", "über")]),
        ("Dort arbeiten 100\u202f000 Menschen.", [("100000", "persons", "")]),
        ("Es gibt ein Dutzend Projekte.", [("12", "projects", "")]),
        ("Die Quote stieg um ein Prozent auf rd. 12 Prozent.", [("1", "percent", ""), ("12", "percent", "rund")]),
        ("Im Landessportbund sind 54 Stadt- und Kreissportbünde organisiert.", [("54", "organisations", "")]),
        (
            "Von den 86 Beschäftigten haben 61 an einem Workshop teilgenommen.",
            [("86", "persons", ""), ("61", "persons", "")],
        ),
        (
            "Bielefeld beschäftigt knapp 4.800 Mitarbeiter, bei der Stadt Hamm sind es über 2.900. Das ist viel.",
            [("4800", "persons", "knapp"), ("2900", "persons", "über")],
        ),
    ],
)
def test_counts_and_shares(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert triples(text) == expected


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("So sind es 1.719 Beschaftigte.", "persons"),  # umlaut lost by OCR
        ("Die Auflage betrug 1.500 Stick.", "copies"),  # "ü" read as "i"
        ("Es kamen zwei Fliichtlinge.", "persons"),  # "ü" read as "ii"
        ("Es gibt 28 MaBnahmen.", "measures"),  # "ß" read as "B"
    ],
)
def test_unit_nouns_survive_ocr_damage(text: str, unit: str) -> None:
    assert [row.unit for row in figures_of(text)] == [unit]


def test_unit_lexicon_prefers_the_longest_compound() -> None:
    assert noun_to_unit("Ansprechpartnerinnen") == "persons"
    assert noun_to_unit("Kooperationspartner") == "organisations"
    assert noun_to_unit("Beratungsstellen") == "organisations"
    assert noun_to_unit("Ausbildungsstellen") == "positions"


def test_word_share_gives_way_to_the_exact_percentage() -> None:
    text = "An der Befragung beteiligte sich knapp die Hälfte der Beschäftigten (48,7 %)."
    assert triples(text) == [("48.7", "percent", "")]
    assert triples("Mehr als die Hälfte der Beschäftigten nahm teil.") == [("50", "percent", "mehr als")]


# ------------------------------------------------------------------ not figures


@pytest.mark.parametrize(
    "text",
    [
        "Anlässlich des 5. Deutschen Diversity-Tages wurde eingeladen.",
        "Das Dezernat hat sich zum 2. Mal beteiligt.",
        "Das Dezernat hat sich zum zweiten Mal beteiligt.",
        "Im Rahmen des unter 3. genannten Pilotprojektes wurde berichtet.",
        "Die Initiative motiviert seit zehn Jahren Behörden.",
        "Was hat die Landesregierung in den vergangenen 20 Monaten getan?",
        "Die Befragung soll in vier Jahren wiederholt werden.",
        "Es bedarf nach den ersten fünf Jahren eines langen Atems.",
        "Der Passus ist seit über fünf Jahren Bestandteil der Ausschreibung.",
        "Die Landesregierung beantwortet die Kleine Anfrage 421 vom 6. September 2012.",
        "Antwort auf die Kleinen Anfragen 594 (Drucksache 16/1537) und 1924 (Drucksache 16/5129).",
        "Der Landtag wurde mit Vorlage 15/1144 vom 18. Januar 2012 informiert.",
        "Das ist eine Aufgabe des Landes nach dem Gesetz (vgl. §§ 1 Nr. 7 und 6 Abs.1).",
        "In Abs. 2 des Eingangstextes wird hingewiesen.",
        "Das Dezernat 11.5 (Aus- und Fortbildung) bietet Seminare an.",
        "Organisiert über die Dezernate 36 (Kompetenzzentrum) und 37 (Koordinierungsstelle).",
        "Eingestellt wurden die beiden neuen Mitarbeiter (Jahrgang 1975 bzw. 1994, beide geboren in Damaskus).",
        "Die Fotoausstellung zeigte Deutschland in den 1960er- und 70er-Jahren.",
        "Die Ruhrtal Verkehrs AG betreibt die Schnellbuslinie SB 16 zwischen Essen und Gelsenkirchen.",
        "Sie fahren mit der Linie 707 oder dem Bus 725 bis zur Haltestelle.",
        "Weitere Informationen finden Sie auf Seite 12 des Berichts.",
        "Am 26. März 2012 wurde der erste Partnervertrag geschlossen.",
        "Die Neueinstellungen wurden 2015/16 erforderlich.",
        "Die Aktion „100 % Vielfalt“ startet im Mai.",
        "Das zweite und dritte Treffen fand statt. In Kurzvorträgen wurden Chancen aufgezeigt.",
        "Technisch notwendige Cookies werden für 30 Tage gespeichert.",
        "Es werden zweitägige Seminare angeboten.",
        "Die Fragen 1 und 2 werden wegen des Sachzusammenhangs gemeinsam beantwortet.",
        "Einzelheiten enthält Tabelle 3 im Anhang.",
        "Das Land fördert das Projekt mit 5.000 Euro.",
        "Der Arbeitskreis trifft sich jeden dritten Monat um 10 Uhr.",
        "Im Rahmen der Befragung wurden in 2016 Beschäftigte aller Ressorts befragt.",
        "Der Landessportbund wurde 2014 Partner der Initiative.",
        "Die Antwort vom 31.10.2014 nennt das Aktenzeichen 1032/12/2013.",
        "Zu den Fragen 1 bis 3: Die Landesregierung verweist auf die Antwort zu Frage 4.",
        "Die Veranstaltung beginnt um 14:30 Uhr im Raum E 3 A 02 des Landtags, Platz des Landtags 1.",
        "Ansprechpartner: Herr Müller, Tel.: 0211/837-1234, E-Mail: mueller@mkffi.nrw.de",
        "Das Budget beträgt 2,5 Mio. Euro für drei Jahre.",
        "Veranstaltungsort: Raum 1.23, Bahnhofstraße 12, 44135 Dortmund. Anmeldung bis 15.04.2019.",
        "Die Sitzung des Integrationsausschusses (A19) am 10.04.2019 behandelte TOP 4.",
        "Gemäß § 5 Abs. 3 Satz 2 TIntG und Art. 3 Abs. 3 GG. Az.: 612-2.1.3. Ihr Schreiben vom 4.5.2021, Nr. 4711.",
        "Sprechzeiten: Mo–Fr 9–12 Uhr. Fax: +49 211 855-3211. IBAN DE12 3005 0000 0001 2345 67.",
        "© 2021 MKFFI NRW | Impressum | Datenschutz | Seite 1/2",
        "Der Ausschuss tagt in Raum E1 D05 und E 3 Z 03.",
        "Die Zahl der Beschäftigten wird im 3. Quartal 2019 erhoben.",
        "Das Jobcenter hat sich zu folgenden Maßnahmen verpflichtet:\n1. Alle Beschäftigten werden geschult.",
        "Der Kreis hat sich zu folgenden Maßnahmen verpflichtet: 1. Alle Beschäftigten werden geschult.",
    ],
)
def test_numbers_that_are_not_figures(text: str) -> None:
    assert figures_of(text) == []


VORLAGE_LETTER = """\
Der Minister für Arbeit, Integration und Soziales des Landes Nordrhein-Westfalen
Fürstenwall 25, 40219 Düsseldorf
Postfach 10 11 43, 40002 Düsseldorf
Telefon (0211) 855 - 5, Telefax (0211) 855-3211
Aktenzeichen: 612 - 1032/12/2013
Düsseldorf, 12. Mai 2014

An die Präsidentin des Landtags Nordrhein-Westfalen
Platz des Landtags 1
40221 Düsseldorf
LANDTAG NORDRHEIN-WESTFALEN 16. WAHLPERIODE VORLAGE 16/1310 A18, A19

Sehr geehrte Frau Landtagspräsidentin,
zu TOP 3 der Sitzung des Ausschusses für Arbeit, Gesundheit und Soziales am 14.05.2014 übersende ich den
zweiten Umsetzungsbericht (Drucksache 16/7204, Seite 2 ff.) mit der Bitte um Weiterleitung an die Mitglieder.
Ansprechpartnerin ist Frau Schmitz, Referat 41, Zimmer 2.117, Tel. 0211 855-3118, Durchwahl 3119.
Erreichbar mit den Buslinien 725 und 732 sowie der U 74 bis Haltestelle Landtag/Kniebrücke.
Mit freundlichen Grüßen
Seite 1 von 3
"""


def test_a_vorlage_letter_full_of_numbers_has_no_figures() -> None:
    assert figures_of(VORLAGE_LETTER) == []


# ------------------------------------------------------------------ context: year, measure, subject, offsets


def test_year_is_the_one_the_figure_refers_to() -> None:
    text = (
        "So hat sich die Beschäftigtenzahl bis 2017 (1.719 Personen zum Stichtag 1. Januar) "
        "gegenüber 2013 (1.573 Personen) deutlich erhöht."
    )
    assert [(row.value, row.year) for row in figures_of(text)] == [("1719", "2017"), ("1573", "2013")]


def test_year_of_a_press_release_figure_is_the_release_year() -> None:
    rows = figures_of("Der Initiative gehören 34 Behörden an.", doc_type="pressemitteilung", date="2022-10-19")
    assert [(row.value, row.year) for row in rows] == [("34", "2022")]
    assert [row.year for row in figures_of("Der Initiative gehören 34 Behörden an.")] == [""]


def test_year_carries_over_to_a_sentence_that_continues_the_previous_one() -> None:
    text = "Bis zum 30. Juni 2012 wurden 89 Stellen besetzt. Auf diese Stellen hatten sich 1.256 Personen beworben."
    assert [(row.value, row.year) for row in figures_of(text)] == [("89", "2012"), ("1256", "2012")]


def test_subject_is_a_named_organisation_without_its_article() -> None:
    (row,) = figures_of("Die Ruhrtal Verkehrs AG beschäftigt rund 2.300 Menschen.")
    assert row.subject == "Ruhrtal Verkehrs AG"
    (row,) = figures_of("In den Kreisen arbeiten 34 Partnerorganisationen zusammen.")
    assert row.subject == ""


def test_measure_and_subject() -> None:
    (row,) = figures_of("Die Bezirksregierung Münster mit 1200 Beschäftigten ist die Vertretung des Landes.")
    assert row.subject == "Bezirksregierung Münster"
    assert row.measure == "Beschäftigten"
    (share,) = figures_of("In Köln haben mehr als 30 Prozent der Einwohnerinnen und Einwohner eine Geschichte.")
    assert share.measure.endswith("Einwohnerinnen")


def test_offsets_and_evidence_point_into_the_text() -> None:
    text = "Einleitung ohne Zahl. Der Partnerinitiative haben sich 34 Behörden angeschlossen. Schluss."
    (row,) = figures_of(text)
    assert text[row.char_start : row.char_end] == row.text == "34 Behörden"
    assert text[row.evidence_start : row.evidence_end] == row.evidence
    assert row.evidence_start <= row.char_start < row.char_end <= row.evidence_end
    assert row.evidence == "Der Partnerinitiative haben sich 34 Behörden angeschlossen."


_PIECES = [*"0123456789.,%/- abcAÄüß\n(", "acht ", " Personen", " Prozent", " Mio.", "jeder Vierte", "die Hälfte"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_no_crash_and_spans_hold_on_arbitrary_text(text: str) -> None:
    for row in figures_of(text):
        assert text[row.char_start : row.char_end] == row.text
        assert text[row.evidence_start : row.evidence_end] == row.evidence
    assert all(r.quantity.start < r.end for r in text_to_readings(text))


def test_a_fact_repeated_in_headline_and_body_is_one_row() -> None:
    text = (
        "Kreis Mettmann und zehn kreisangehörige Städte treten bei\n"
        "Der Kreis Mettmann und seine zehn kreisangehörigen Städte haben unterzeichnet. Es gibt acht Ressorts."
    )
    assert [(row.value, row.unit) for row in figures_of(text)] == [("10", "organisations"), ("8", "organisations")]


def test_an_elided_count_before_a_quote_or_line_end_takes_the_unit_before_it() -> None:
    text = "Die Kreisverwaltung beschäftigt 1.400 Mitarbeitende; bei den Städten sind es zusammen rund 6.500.\n„Gut“"
    assert triples(text) == [("1400", "persons", ""), ("6500", "persons", "rund")]


def test_a_list_number_after_a_count_is_not_an_elided_count() -> None:
    text = "Von den 24 Auszubildenden haben fünf einen Migrationshintergrund. 5. „Die Öffnung wird verankert.“"
    assert triples(text) == [("24", "persons", ""), ("5", "persons", "")]


def test_ocr_damage_inside_numbers_and_nouns() -> None:
    text = "Im Jobcenter sind 1.O12 Beschaftigte tatig. Es nahmen 240 Mitarbeiterlnnen teil."
    assert triples(text) == [("1012", "persons", ""), ("240", "persons", "")]


def test_a_label_before_a_colon_names_what_is_counted() -> None:
    (row,) = figures_of("Teilnehmende der Sprachkurse (A1-B2): 1.250\nTelefon: 0211 855-0\nStand: 2018")
    assert (row.value, row.unit, row.measure) == ("1250", "persons", "Teilnehmende der Sprachkurse (A1-B2)")


def test_event_days_are_counted_but_spans_of_days_are_not() -> None:
    assert triples("Es fanden drei Fachtage statt. Die Anmeldung gilt 30 Tage.") == [("3", "other", "")]


def test_report_figures_belong_to_the_reporting_period() -> None:
    ctx = DocContext(clean=CleanText(doc_id="t", text="Es wurden zwölf Seminare durchgeführt."))
    report = DocumentRow(doc_id="t", doc_type="umsetzungsbericht", period_end="2018-12")
    assert [(row.value, row.year) for row in extract_figures(ctx, report)] == [("12", "2018")]


def test_number_word_candidates_find_every_number_word() -> None:
    import re
    from pathlib import Path

    from pipeline.extract import word_to_value
    from pipeline.extract.figures import lexicon, number_word_candidates

    root = Path(__file__).parent
    words = {"FÜNF", "Funfzehn", "zweihundertvierzig", "Einundzwanzig", "tausend", "Zwölf", "zwolf", "einer"}
    for path in sorted(root.parent.glob("corpus/raw/*.txt")) + sorted(root.glob("*/docs/*.txt")):
        words |= set(re.findall(r"[^\W\d_]+", path.read_text(encoding="utf-8")))
    one_words = set(lexicon()["one_words"])
    numbers = [w for w in sorted(words) if word_to_value(w) is not None or w.lower() in one_words]
    assert len(numbers) > 20
    for word in numbers:
        assert number_word_candidates().fullmatch(word), word


# ------------------------------------------------------------------ figures in running text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an uninflected adverbial adjective between number and noun
        ("Es helfen 40 ehrenamtlich Tätige.", [("40", "persons")]),
        ("Dort arbeiten 12 hauptamtlich Beschäftigte.", [("12", "persons")]),
        # two counts sharing one noun
        ("Es arbeiten 300 ehrenamtlich und 160 hauptamtlich Tätige.", [("300", "persons"), ("160", "persons")]),
        ("Es gibt zwei hauptamtliche oder drei ehrenamtliche Lotsen.", [("2", "persons"), ("3", "persons")]),
        # a multiplier counts copies
        ("Beigefügt ist 1 Anlage (60-fach).", [("60", "copies")]),
        ("Die Broschüre wurde 500-fach verteilt.", [("500", "copies")]),
        # page numbers of a table of contents are not counts
        ("Inhalt Vorwort ........ 4 Projekte im Überblick ........ 70 Teilnehmende Partner ....... 80", []),
        ("Vorwort … 4 Projekte … 9 Partnerorganisationen", []),
        # a year before a coordinator is not a coordinated count
        ("Im Jahr 2015 und 12 Monate später kamen 30 Teilnehmende.", [("30", "persons")]),
    ],
)
def test_figures_in_running_text(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(row.value, row.unit) for row in figures_of(text)] == expected
