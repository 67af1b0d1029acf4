"""Dates: German date expressions, ranges, years from context, kinds, and numbers that are not dates."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract import DocContext
from pipeline.extract.dates import extract_dates, kind_from_before, kind_from_cues, parse_dates
from pipeline.models import Atom, text_to_atoms, text_to_years
from pipeline.records import CleanText, DocumentRow


def values(text: str, default_year: int | None = None) -> list[str]:
    found = parse_dates(text, default_year=default_year)
    return [m.value for m in found] + [m.end_value for m in found if m.end_value]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Am 26. März 2012 wurde der Vertrag geschlossen.", ["2012-03-26"]),
        ("Datum des Originals: 31.10.2014/Ausgegeben: 06.11.2014", ["2014-10-31", "2014-11-06"]),
        ("Drucksache 16/7204 03.11.2014 Datum", ["2014-11-03"]),
        ("Veröffentlicht am 2020-05-04.", ["2020-05-04"]),
        ("Im August 2012 folgte der Kreis.", ["2012-08"]),
        ("bis Ende Juni 2012 durchgeführt", ["2012-06"]),
        ("am 7. Marz 2017 (OCR ohne Umlaut)", ["2017-03-07"]),
        ("am 12. 03. 2018 und am 26.März 2012", ["2018-03-12", "2012-03-26"]),
        ("Sept. 2015 und DEZEMBER 2016", ["2015-09", "2016-12"]),
        ("Am Mittwoch (1.9.) und am 2.9. 2015 unterzeichnet", ["2015-09-01", "2015-09-02"]),
    ],
)
def test_single_dates(text: str, expected: list[str]) -> None:
    assert values(text) == expected


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("vom 31. Mai 2012 bis 30. Mai 2013", "2012-05-31", "2013-05-30"),
        ("zwischen dem 7. März und 7. April 2017", "2017-03-07", "2017-04-07"),
        ("im Zeitraum Dezember 2016 — Oktober 2017", "2016-12", "2017-10"),
        ("Die Befragung lief vom 2. bis 30. November 2015.", "2015-11-02", "2015-11-30"),
        ("mit einer Laufzeit von Januar 2011 bis Ende Juni 2012", "2011-01", "2012-06"),
        ("von Januar bis März 2017", "2017-01", "2017-03"),
        ("am 1.–3. März 2016", "2016-03-01", "2016-03-03"),
        ("vom 1. Dezember bis 31. Januar 2017", "2016-12-01", "2017-01-31"),
        ("Berichtszeitraum: 01.07.2018 – 30.06.2019", "2018-07-01", "2019-06-30"),
    ],
)
def test_ranges_give_start_with_end_and_end(text: str, start: str, end: str) -> None:
    found = parse_dates(text)
    assert [(m.value, m.role, m.end_value) for m in found] == [(start, "start", end), (end, "end", "")]
    assert found[0].range_start <= found[0].start and found[0].range_end == found[1].end


def test_coordination_is_not_a_range_but_shares_the_year() -> None:
    found = parse_dates("am 7. und 8. März 2016 sowie am 3. Mai und 5. Juni 2016")
    assert [(m.value, m.role) for m in found] == [
        ("2016-03-07", ""), ("2016-03-08", ""), ("2016-05-03", ""), ("2016-06-05", ""),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("So stieg die Zahl bis 2017 (1.719 Personen zum Stichtag 1. Januar, ohne Abgeordnete).", ["2017-01-01"]),
        ("Im September 2017 beteiligte sich das Dezernat am Tag des Flüchtlings (29.09.).", ["2017-09", "2017-09-29"]),
        ("Am 26. März 2012 begann es. Im August des Jahres folgte der Kreis.", ["2012-03-26", "2012-08"]),
        ("Die Vereinbarung wurde am Mittwoch (1.10.) unterzeichnet.", []),
    ],
)
def test_missing_year_from_context(text: str, expected: list[str]) -> None:
    assert values(text) == expected


def test_missing_year_falls_back_to_the_document_year() -> None:
    assert values("am Mittwoch (1.10.) unterzeichnet", default_year=2014) == ["2014-10-01"]


@pytest.mark.parametrize(
    "text",
    [
        "Aktenzeichen 1032/12/2013 bei Antwort bitte angeben",
        "Drucksache 16/7204 und Vorlage 15/1144 sowie 16/1310",
        "Telefon (0211) 884 - 2439, Telefax 0211 855-3022, Postfach 10 11 43",
        "Eingestellt wurden zwei Mitarbeiter (Jahrgang 1975 bzw. 1994).",
        "Ende 2011 und in 2013 sowie 2015/16",
        "Dezernat 11.5, 1.719 Personen, 10.42 % und 48,7 %",
        "anlässlich des 5. Deutschen Diversity-Tages, zum 2. Mal",
        "Frage 2.1. Was plant die Landesregierung? Siehe Abschnitt 3.2.",
        "Jan Müller und August Thyssen sprachen im Mai-Programm.",
        "Am 3. Mai wurde gefeiert.",
        "am 29. Februar 2015",
        "Raum 2.14, 9.30 Uhr bis 16.00 Uhr",
        "Im Jahr 2016: siehe Nr. 3.12., Abschnitt 2.10. und Frage 12.03.",
    ],
)
def test_numbers_that_are_not_dates(text: str) -> None:
    assert [m.value for m in parse_dates(text) if m.precision == "day"] == []
    assert values(text) in ([], ["2015-02"])  # an impossible day keeps only its month


def test_kind_from_words_before_the_date() -> None:
    text = "Die Kleine Anfrage 2742 vom 30. September 2014 wurde mit Schreiben vom 31. Oktober 2014 beantwortet."
    assert kind_from_before(text, text.index("30. September")) == "anfrage"
    assert kind_from_before(text, text.index("31. Oktober")) == "answer"
    assert kind_from_before("Ausgegeben: 06.11.2014", 12) == "published"
    assert kind_from_before("Heute ist der 06.11.2014", 15) == ""


def test_kind_from_the_nearest_cue() -> None:
    sentence = "Nach der Befragung im November 2011 wurde am 18. Januar 2012 die Vereinbarung unterzeichnet."
    assert kind_from_cues(sentence, sentence.index("November")) == "survey"
    assert kind_from_cues(sentence, sentence.index("18. Januar")) == "signing"
    assert kind_from_cues("Es regnete am 3. Mai 2016.", 13) == ""


def _ctx(text: str) -> DocContext:
    return DocContext(clean=CleanText(doc_id="doc", text=text, page_starts=(0, text.index("Seite 2"))))


def test_extract_dates_rows_offsets_pages_and_kinds() -> None:
    text = (
        "LANDTAG NORDRHEIN-WESTFALEN 16. Wahlperiode Drucksache 16/7204 03.11.2014 "
        "Datum des Originals: 31.10.2014/Ausgegeben: 06.11.2014\n"
        "Seite 2: Die Partner berichten für die Zeiträume vom 31. Mai 2012 bis 30. Mai 2013. "
        "Die letzte Veranstaltung fand am 28. August 2014 statt. Aktenzeichen 1032/12/2013."
    )
    rows = extract_dates(_ctx(text), DocumentRow(doc_id="doc", date="2014-11-03"))
    got = [(r.date, r.date_end, r.kind, r.text, r.page) for r in rows]
    assert got == [
        ("2014-11-03", "", "document", "03.11.2014", 1),
        ("2014-10-31", "", "original", "31.10.2014", 1),
        ("2014-11-06", "", "published", "06.11.2014", 1),
        ("2012-05-31", "2013-05-30", "period", "31. Mai 2012 bis 30. Mai 2013", 2),
        ("2013-05-30", "", "period", "30. Mai 2013", 2),
        ("2014-08-28", "", "event", "28. August 2014", 2),
    ]
    for row in rows:
        assert text[row.char_start : row.char_end] == row.text
        assert text[row.evidence_start : row.evidence_end] == row.evidence
        assert row.evidence_start <= row.char_start < row.char_end <= row.evidence_end


def test_a_text_without_dates_gives_no_rows() -> None:
    text = "Telefon 0211 855-3118. Seite 2: Drucksache 16/7204, 1.256 Personen, seit 2012 dabei."
    assert extract_dates(_ctx(text), DocumentRow(doc_id="doc")) == []


TOKENS = ["26.", "7.", "03.", "2012", "2017", " ", " ", "März", "Marz", "Mai", "August", "Okt.", "bis", "und", "–",
          "(", ")", "29.09.", "1.10.", "Ende", "des Jahres", "1032/12/2013", "16/7204", "0211 855-3118", "\n", "vom",
          "zwischen dem", ".", ","]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=25).map("".join))
def test_parse_dates_never_fails_and_spans_are_dates(text: str) -> None:
    for mention in parse_dates(text):
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text
        assert len(mention.value) == (10 if mention.precision == "day" else 7)
        if mention.role == "start":
            assert mention.end_value and mention.range_start <= mention.start < mention.range_end <= len(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("date 2016-11 .", [("2016-11", "month")]),
        ("Stand 2019-03", [("2019-03", "month")]),
        ("am 2016-11-03", [("2016-11-03", "day")]),
        ("Saison 2011-12", []),  # a season: the second number is the next year, not December
        ("Schuljahr 2019-20", []),
        ("Bericht 2016-13", []),
    ],
)
def test_iso_month_but_not_a_season(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(m.value, m.precision) for m in parse_dates(text)] == expected



@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Beispielstadt, 3. Marz 2014", "2014-03-03"),  # an OCR spelling of the one month vocabulary
        ("am 7. Okt. 2015", "2015-10-07"),
        ("am 03.11.2014", "2014-11-03"),
        ("am 3. März 1890", ""),  # outside the one year range
    ],
)
def test_every_reader_shares_one_month_vocabulary_and_year_range(text: str, expected: str) -> None:
    from pipeline.records import SourceFile
    from pipeline.text import html_to_raw_text

    page = f"<html><body><h1>Neue Partner</h1><p>{text}</p></body></html>".encode()
    source = SourceFile(doc_id="p", path="/x/p.html", source_file="p.html", sha256="abc", kind="html", size=len(page))
    assert html_to_raw_text(source, page).date_hint == expected  # the web page reader
    assert [m.value for m in parse_dates(text) if m.precision == "day"] == ([expected] if expected else [])


@pytest.mark.parametrize("month", ["März", "Marz", "Okt.", "Sept."])
def test_a_day_before_a_month_is_not_a_list_number(month: str) -> None:
    from pipeline.extract import text_to_markers

    assert all(m.number != 26 for m in text_to_markers(f"Die Frist endet am\n26. {month} Danach gilt es."))
    assert any(m.number == 26 for m in text_to_markers("Punkte:\n26. Danach gilt es."))


ATOM_TOKENS = [*TOKENS, "19", "20", "2016-11", "2016-17", "2014-03-26", "-", "/", "am ", "Am ", "bis ", "(1.9.)",
               "MÄRZ", "JUNI", "Jan", "Jan.", "Janssen", "Mitte", "Anfang", "MAIL", "x", "7", "12.", "٣", "²", "–",
               "des Jahres", "2013", ".5", "1.719", "٣.", " März 2012", "Ende ", " Mai 2013", "1. MÄRZ 2012"]



_FILLER = "Wort " * 400  # a long text with few dates: each pattern is tried only where a date may start
_DENSE = " Wort " + "Mai 0 " * 200  # a digit and a month word every few characters: each pattern's finditer


def _shifted(atoms: list[Atom], by: int) -> list[Atom]:
    return [replace(a, start=a.start - by, end=a.end - by) for a in atoms]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(ATOM_TOKENS), max_size=30).map("".join))
def test_atoms_tried_where_they_may_start_are_those_every_character_gives(text: str) -> None:
    # the same text amid words (its dates are few: a match is tried where a run of digits or a month word
    # starts) and before many digits and month words (each pattern's finditer tries every character)
    sparse = _FILLER + " " + text + " " + _FILLER
    offset = len(_FILLER) + 1
    every = [a for a in text_to_atoms(text + _DENSE) if a.start <= len(text)]
    assert _shifted(text_to_atoms(sparse), offset) == every
    years = [y for y in text_to_years(text + _DENSE) if y[0] <= len(text)]
    assert [(s - offset, e - offset, y) for s, e, y in text_to_years(sparse)] == years


def test_atoms_of_a_long_text_with_few_dates() -> None:
    dated = ("Der Landtag tagte am 26. März 2012 (Drucksache 16/7204) und im August des Jahres; Ende Mai 2013, "
             "am 1.9. und 2014-03-26 wieder.")
    atoms = text_to_atoms(_FILLER + dated)
    assert [(a.day, a.month, a.year) for a in _shifted(atoms, len(_FILLER))] == [
        (26, 3, 2012), (None, 8, None), (None, 5, 2013), (1, 9, None), (26, 3, 2014)
    ]
    assert _shifted(atoms, len(_FILLER)) == text_to_atoms(dated)
