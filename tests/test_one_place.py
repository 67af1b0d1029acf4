"""One concept, one place: the one date reader (tables, partners, web pages), the one organisation-name reader
(partners and commitments), the one dot leader and umlaut fold, and partner names as real lists write them.
Invented sentences only."""

from __future__ import annotations

import pytest

from pipeline.extract import fold_umlauts, is_after_leader, page_leader
from pipeline.extract.commitments import text_to_committing_partner
from pipeline.extract.dates import parse_dates
from pipeline.extract.partners import text_to_mentions
from pipeline.models import first_full_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Musterstadt, 4. Februar 2019", "2019-02-04"),
        ("Stand 07.03.2021, Seite 2", "2021-03-07"),
        ("am 9. Sept. 2015 und am 1.10.2016", "2015-09-09"),
        ("Az. 1032/12/2013 vom Mai 2014", ""),  # a file number and a month are not a full date
        ("Telefon 0211 855-3118", ""),
    ],
)
def test_first_full_date_of_a_page_or_letter(text: str, expected: str) -> None:
    assert first_full_date(text) == expected  # html.german_date_to_iso reads web page dates with it


def test_bare_years_only_on_request_and_never_inside_a_date_or_season() -> None:
    text = "Seit 2013 dabei, am 3. Mai 2014 bestätigt, Saison 2015/16, die 2016er Runde."
    assert [d.value for d in parse_dates(text)] == ["2014-05-03"]
    assert [(d.value, d.precision) for d in parse_dates(text, bare_years=True)] == [
        ("2013", "year"), ("2014-05-03", "day"),
    ]


@pytest.mark.parametrize(
    ("text", "partner"),
    [
        ("Zwischenbericht des Paritätischen Wohlfahrtsverbandes NRW\nZiele:\n1. Eins.\n",
         "Paritätischer Wohlfahrtsverband NRW"),
        ("Bericht der Kreisverwaltung Soest\nZiele:\n1. Eins.\n", "Kreis Soest"),
        ("Umsetzungsbericht des Jobcenters Dortmund\nZiele:\n1. Eins.\n", "Jobcenter Dortmund"),
        ("Die Bezirksregierung Detmold berichtet. Dazu hatte die Bezirksregierung 2013 vereinbart, folgende "
         "Ziele umzusetzen:\n1. Eins.\n", "Bezirksregierung Detmold"),
    ],
)
def test_committing_partner_is_named_as_the_partners_table_names_it(text: str, partner: str) -> None:
    assert text_to_committing_partner(text, text.index("1.")) == partner
    names = {p for m in text_to_mentions(text) for p, _ in m.partners}
    assert partner in names


def test_no_committing_partner_without_an_organisation() -> None:
    text = "Umsetzungsbericht der letzten Jahre\nZiele:\n1. Eins.\n"
    assert text_to_committing_partner(text, text.index("1.")) == ""


def test_one_dot_leader_for_contents_lines() -> None:
    line = "Kreis Musterland ....... 14"
    assert page_leader().search(line) and is_after_leader(line, line.index("14"))
    assert not page_leader().search("Und dann... kam der Winter.")
    assert not is_after_leader("mit 14 Partnern", 4)


def test_one_umlaut_fold() -> None:
    assert fold_umlauts("Größe über Ähren") == "Grosse uber Ahren"


def names(text: str) -> list[str]:
    return [p for m in text_to_mentions(text) for p, _ in m.partners]


def test_a_name_written_in_capitals_is_the_gazetteer_name() -> None:
    assert names("Berichte der Partner:\nDer PARITÄTISCHE NRW ...... 13\n") == ["Paritätischer Wohlfahrtsverband NRW"]
    assert names("DER PARITÄTISCHE NRW unterstützt die Initiative.") == ["Paritätischer Wohlfahrtsverband NRW"]
    assert names("der paritätische nrw") == []  # lower case is no name; capitals are emphasis, not any case


def test_gazetteer_short_forms_come_from_data() -> None:
    assert names("Die StädteRegion hat sich angeschlossen.") == ["StädteRegion Aachen"]
    assert names("Jobcenter StädteRegion ...... 47") == ["Jobcenter StädteRegion Aachen"]


def test_a_hyphenated_name_left_of_a_head_is_kept_whole() -> None:
    assert names("Der Muster-Helfer-Bund Regionalverband Ruhr e.V. trat bei.") == [
        "Muster-Helfer-Bund Regionalverband Ruhr e.V."
    ]
    assert names("Der Regionalverband Ruhr trat bei.") == ["Regionalverband Ruhr"]  # the gazetteer's own


def test_a_letters_title_is_never_its_sender() -> None:
    from pipeline.extract.documents import letter_title

    letter = "Bericht über die Partnerschaft\n\nDie Ministerin\nfür Arbeit und Soziales\n\nSehr geehrte Frau Muster,"
    assert letter_title(letter) == "Bericht über die Partnerschaft"
    assert letter_title("Der Minister\n\nSehr geehrter Herr Muster,") == ""
