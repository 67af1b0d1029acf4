"""Partner extraction on string literals: heads, inflection, coordination, gazetteer, triggers, dates, negatives."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract import DocContext
from pipeline.extract.partners import extract_partners, name_to_entry, text_to_mentions
from pipeline.models import MODELS_DIR
from pipeline.records import CleanText, DocumentRow, PartnerRow

PRESS = "pressemitteilung"
ANSWER = "kleine_anfrage_antwort"


def partners(text: str, doc_type: str = ANSWER, date: str = "") -> dict[str, str]:
    """partner -> date for one document text."""
    return {r.partner: r.date for r in rows(text, doc_type, date)}


def rows(text: str, doc_type: str = ANSWER, date: str = "") -> list[PartnerRow]:
    ctx = DocContext(clean=CleanText(doc_id="t", text=text))
    return extract_partners(ctx, DocumentRow(doc_id="t", doc_type=doc_type, date=date))


# --- positives -------------------------------------------------------------------------------------------------


def test_first_partner_agreement_with_day_date() -> None:
    text = "Am 26. März 2012 wurde der erste Partnervertrag mit der Bezirksregierung Arnsberg geschlossen."
    (row,) = rows(text)
    assert (row.partner, row.partner_type, row.date, row.mention) == (
        "Bezirksregierung Arnsberg", "bezirksregierung", "2012-03-26", "Bezirksregierung Arnsberg"
    )
    assert text[row.char_start : row.char_end] == row.mention
    assert text[row.evidence_start : row.evidence_end] == row.evidence
    assert row.evidence_start <= row.char_start < row.char_end <= row.evidence_end


def test_list_of_further_agreements_without_dates() -> None:
    text = (
        "Am 26. März 2012 wurde der erste Partnervertrag mit der Bezirksregierung Arnsberg geschlossen. "
        "Es folgten weitere Partnerverträge, unter anderem mit dem Kreis Lippe, dem WDR, dem Caritasverband für "
        "den Kreis Unna und der Rheinbahn AG Düsseldorf."
    )
    assert partners(text) == {
        "Bezirksregierung Arnsberg": "2012-03-26",
        "Kreis Lippe": "",
        "Westdeutscher Rundfunk Köln": "",
        "Caritasverband für den Kreis Unna": "",
        "Rheinbahn AG Düsseldorf": "",
    }


def test_list_after_joined_announcement_does_not_inherit_release_date() -> None:
    text = (
        "Die Bezirksregierung Münster schließt sich der Partnerinitiative an. "
        "Der Initiative des Landes haben sich bereits zahlreiche Partner angeschlossen. "
        "Dazu gehören die Kreisverwaltungen Soest und Lippe, die Bezirksregierungen Arnsberg und Düsseldorf, "
        "der Polizeipräsident und das Jobcenter aus Dortmund und die Städtekooperation Integration Interkommunal "
        "(mit 8 Ruhrgebietsstädten)."
    )
    assert partners(text, PRESS, "2016-08-25") == {
        "Bezirksregierung Münster": "2016-08-25",
        "Kreis Soest": "",
        "Kreis Lippe": "",
        "Bezirksregierung Arnsberg": "",
        "Bezirksregierung Düsseldorf": "",
        "Polizeipräsidium Dortmund": "",
        "Jobcenter Dortmund": "",
        "Städtekooperation Integration Interkommunal": "",
    }


def test_month_of_the_year_from_context_and_won_as_commune() -> None:
    text = (
        "Der Startschuss war die Unterzeichnung einer Partnervereinbarung mit der Bezirksregierung Arnsberg am "
        "26. März 2012. Im August des Jahres wurde die erste Vereinbarung mit einer kommunalen "
        "Gebietskörperschaft (Landkreis Lippe) geschlossen. Am 23. August 2012 wurde die Stadt Duisburg als erste "
        "große Kommune gewonnen."
    )
    assert partners(text) == {
        "Bezirksregierung Arnsberg": "2012-03-26",
        "Kreis Lippe": "2012-08",
        "Stadt Duisburg": "2012-08-23",
    }


def test_bare_year_in_the_signing_clause() -> None:
    text = (
        "Mit der Unterzeichnung der Partnerschaftsvereinbarung „Vielfalt verbindet! Interkulturelle Öffnung als "
        "Erfolgsfaktor!“ haben sich das Ministerium (MAIS) und die Bezirksregierung Arnsberg 2012 verpflichtet."
    )
    assert partners(text) == {"Bezirksregierung Arnsberg": "2012"}


def test_press_release_date_for_a_signing_in_the_perfect() -> None:
    text = "Die Städte Bielefeld und Hamm sowie das Jobcenter Hamm haben sich der Initiative angeschlossen."
    assert partners(text, PRESS, "2014-06-03") == {
        "Stadt Bielefeld": "2014-06-03",
        "Stadt Hamm": "2014-06-03",
        "Jobcenter Hamm": "2014-06-03",
    }
    assert partners(text, ANSWER, "2014-06-03") == {"Stadt Bielefeld": "", "Stadt Hamm": "", "Jobcenter Hamm": ""}


def test_next_sentence_dates_the_signing_without_naming_the_partner() -> None:
    text = (
        "Das Polizeipräsidium Bochum ist der Partnerinitiative beigetreten. Die Staatssekretärin und "
        "Polizeipräsidentin Kerstin Wittmeier unterzeichneten die Vereinbarung am Mittwoch, den 14. März 2018."
    )
    assert partners(text, PRESS, "2018-03-15") == {"Polizeipräsidium Bochum": "2018-03-14"}


def test_dates_attached_to_their_own_partner() -> None:
    text = (
        "Seither sind das Polizeipräsidium Bochum (Unterzeichnung am 14. März 2018) und die Stadt Mönchengladbach "
        "hinzugekommen. Die Vereinbarung mit der Stadt Duisburg wurde am 23. August 2012 geschlossen, die mit dem "
        "Kreis Soest am 5. März 2013."
    )
    assert partners(text) == {
        "Polizeipräsidium Bochum": "2018-03-14",
        "Stadt Mönchengladbach": "",
        "Stadt Duisburg": "2012-08-23",
        "Kreis Soest": "2013-03-05",
    }


def test_date_nearest_to_the_joining_words() -> None:
    text = "Die Stadt Duisburg, die 2012 als erste Kommune beigetreten war, lud am 5. Mai 2014 zu einem Fachtag ein."
    assert partners(text, PRESS, "2014-05-06") == {"Stadt Duisburg": "2012"}


def test_ordinal_head_turns_bare_places_into_partners() -> None:
    text = "Bochum ist nach Dortmund und Gelsenkirchen das dritte Polizeipräsidium in der Initiative."
    assert partners(text) == {
        "Polizeipräsidium Bochum": "", "Polizeipräsidium Dortmund": "", "Polizeipräsidium Gelsenkirchen": ""
    }


def test_bulleted_answer_list_with_dates_in_parentheses() -> None:
    text = (
        "Folgende Organisationen haben bislang eine Partnervereinbarung unterzeichnet:\n"
        "- Bezirksregierung Arnsberg (26.03.2012)\n- Kreis Lippe (August 2012)\n- Westdeutscher Rundfunk Köln\n"
        "Die Landesregierung wirbt für weitere Partner."
    )
    assert partners(text) == {
        "Bezirksregierung Arnsberg": "2012-03-26", "Kreis Lippe": "2012-08", "Westdeutscher Rundfunk Köln": ""
    }


def test_separable_verbs_and_following_lists() -> None:
    text = (
        "Die Bezirksregierung Arnsberg hat als erste Behörde die Vereinbarung unterzeichnet. "
        "Es folgten der Kreis Lippe und die Stadt Duisburg. Im Jahr 2013 kam die Stadt Köln hinzu."
    )
    assert partners(text) == {
        "Bezirksregierung Arnsberg": "", "Kreis Lippe": "", "Stadt Duisburg": "", "Stadt Köln": "2013"
    }


def test_one_row_per_partner_keeps_the_dated_mention() -> None:
    text = (
        "Gefeiert wird, dass man mit der Stadt Duisburg die erste Kommune gewonnen habe. "
        "Am 23. August 2012 wurde die Stadt Duisburg als erste große Kommune gewonnen."
    )
    (row,) = rows(text)
    assert (row.partner, row.date) == ("Stadt Duisburg", "2012-08-23")
    assert row.char_start == text.rindex("Stadt Duisburg")


# --- inflection, coordination, canonical names -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("dem Paritätischen Wohlfahrtsverband in NRW", ["Paritätischer Wohlfahrtsverband NRW"]),
        ("der Düsseldorfer Rheinbahn AG", ["Rheinbahn AG Düsseldorf"]),
        ("der Westdeutsche Rundfunk Köln", ["Westdeutscher Rundfunk Köln"]),
        ("das Multikulturelle Forum in Lünen", ["Multikulturelles Forum Lünen"]),
        ("der Caritas Verband für den Kreis Unna", ["Caritasverband für den Kreis Unna"]),
        ("des Landesverbandes der Volkshochschulen NRW", ["Landesverband der Volkshochschulen NRW"]),
        ("die Kreisverwaltungen Soest und Lippe", ["Kreis Soest", "Kreis Lippe"]),
        ("die Bezirksregierungen Arnsberg und Münster", ["Bezirksregierung Arnsberg", "Bezirksregierung Münster"]),
        ("der Polizeipräsident und das Jobcenter aus Dortmund", ["Polizeipräsidium Dortmund", "Jobcenter Dortmund"]),
        ("die Polizei Gelsenkirchen", ["Polizeipräsidium Gelsenkirchen"]),
        ("das Jobcenter StädteRegion Aachen", ["Jobcenter StädteRegion Aachen"]),
        ("die Städtekooperation „Integration.Interkommunal“", ["Städtekooperation Integration Interkommunal"]),
        ("der Landessportbund", ["Landessportbund NRW"]),
        ("die IHK Mittlerer Niederrhein", ["IHK Mittlerer Niederrhein"]),
        ("die Städte Bad Driburg und Brakel", ["Stadt Bad Driburg", "Stadt Brakel"]),
        ("der Gelsenkirchener Emscher Wohnbau GmbH", ["Emscher Wohnbau GmbH"]),
        ("das Jobcenter Kreis Recklinghausen", ["Jobcenter Kreis Recklinghausen"]),
        ("die Industrie- und Handelskammer zu Köln", ["IHK Köln"]),
        ("der Deutsche Gewerkschaftsbund NRW", ["DGB Nordrhein-Westfalen"]),
        ("die Landeshauptstadt Düsseldorf", ["Stadt Düsseldorf"]),
    ],
)
def test_mentions_are_normalised(phrase: str, expected: list[str]) -> None:
    names = [name for m in text_to_mentions(f"Dazu gehören {phrase}.") for name, _ in m.partners]
    assert names == expected


def test_person_after_a_role_head_is_not_a_place() -> None:
    assert text_to_mentions("Polizeipräsidentin Kerstin Wittmeier sprach.") == []


def test_a_region_is_not_a_town() -> None:
    assert text_to_mentions("Die Städte in NRW stellen ein.") == []
    assert [m.partners for m in text_to_mentions("Dazu gehört die Polizei NRW.")] == [(("Polizei NRW", "polizei"),)]


def test_gazetteer_fuzzy_and_exact_lookup() -> None:
    assert name_to_entry("Kreisverwaltung Lippe").canonical == "Kreis Lippe"  # type: ignore[union-attr]
    assert name_to_entry("Landschaftsverband Westfalen Lippe").canonical == (  # type: ignore[union-attr]
        "Landschaftsverband Westfalen-Lippe"
    )
    assert name_to_entry("Irgendein Verein Nirgendwo") is None


# --- negatives -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # merely mentioned
        "Das Pilotprojekt wird vom Kompetenzzentrum für Integration bei der Bezirksregierung Arnsberg begleitet.",
        "Die Kammer arbeitet eng mit der Agentur für Arbeit Hamm und der Stadt Münster zusammen.",
        # the ministry is never a partner
        "Die Partner schließen Partnervereinbarungen mit dem Ministerium für Arbeit, Integration und Soziales.",
        # a supported Städtekooperation and funded projects
        "Ebenso unterstützt wurde die Städtekooperation „Integration.Interkommunal“ in acht Ruhrgebietsstädten.",
        "Gefördert wurden acht Projekte der Stadt Essen und des Kreises Wesel.",
        "Im Rahmen der Partnervereinbarung wurde das Projekt „Vielfalt lernen“ des Vereins Brücke e.V. gefördert.",
        # planned or merely interested
        "Mit der Stadt Essen werden derzeit Gespräche über eine Partnervereinbarung geführt.",
        "Die Städte Essen und Bonn haben ihr Interesse an einer Partnerschaft bekundet.",
        # working with the partners is not being one; a description is not a name
        "Die Stadt Bielefeld veranstaltet mit den Partnern der Initiative einen Fachtag.",
        "Der Handwerkskammertag hat als erster Spitzenverband des Handwerks eine Broschüre veröffentlicht.",
        # future, intended, negated
        "Mit der Stadt Essen soll eine Vereinbarung geschlossen werden.",
        "Die Stadt Essen wird die Vereinbarung im Mai unterzeichnen.",
        "Die Stadt Köln hat die Vereinbarung nicht unterzeichnet.",
        "Die Stadt Köln ist noch kein Partner der Initiative.",
        # a question asserts nothing
        "2. Wurde mit der Stadt Essen bereits eine Partnervereinbarung geschlossen?",
        # contact block of a press release
        "Pressekontakt: Ministerium für Arbeit, Integration und Soziales, Fürstenwall 25, 40219 Düsseldorf",
    ],
)
def test_no_partner(text: str) -> None:
    assert rows(text, PRESS, "2015-01-01") == []


def test_member_cities_of_a_staedtekooperation_are_not_partners() -> None:
    text = (
        "Partner der Initiative ist auch die Städtekooperation Integration Interkommunal mit den Städten Bochum, "
        "Herne und Oberhausen."
    )
    assert partners(text) == {"Städtekooperation Integration Interkommunal": ""}


def test_web_page_list_with_partner_since_dates() -> None:
    text = (
        "Auf dieser Seite stellen wir die Partnerinnen und Partner der Initiative vor.\n"
        "Die Liste wird laufend ergänzt.\n"
        "Bezirksregierung Arnsberg – Partner seit 26.03.2012\n"
        "Bezirksregierung Düsseldorf\n"
        "Stadt Duisburg – Partner seit 23.08.2012\n"
        "Der Paritätische NRW\n"
    )
    assert partners(text, "webseite") == {
        "Bezirksregierung Arnsberg": "2012-03-26",
        "Bezirksregierung Düsseldorf": "",
        "Stadt Duisburg": "2012-08-23",
        "Paritätischer Wohlfahrtsverband NRW": "",
    }


# --- the gazetteer as data -------------------------------------------------------------------------------------


def test_gazetteer_is_built_from_its_sources() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_gazetteer", MODELS_DIR.parent / "scripts/build_gazetteer.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = json.loads(json.dumps(module.build(), ensure_ascii=False))
    assert built == json.loads((MODELS_DIR / "gazetteer/gazetteer.json").read_text(encoding="utf-8"))
    types = {e["partner_type"] for e in built["entries"]}
    assert types <= {
        "bezirksregierung", "kommune", "kreis", "jobcenter", "polizei", "verband", "unternehmen", "rundfunk",
        "landschaftsverband", "kooperation", "kammer", "ministerium", "other",
    }
    names = [e["canonical"] for e in built["entries"]]
    assert names == sorted(names) and len(names) == len(set(names))
    assert len([n for n in names if n.startswith("Bezirksregierung ")]) == 5


def test_truncated_coordination_and_hyphenated_compound_heads() -> None:
    from pipeline.extract.partners import text_to_mentions

    text = (
        "Der Fußball- und Leichtathletik-Verband Westfalen e.V. und der Westdeutsche Basketball-Verband e.V. "
        "haben sich der Partnerinitiative angeschlossen."
    )
    names = [partner for m in text_to_mentions(text) for partner, _ in m.partners]
    assert names == ["Fußball- und Leichtathletik-Verband Westfalen", "Westdeutscher Basketball-Verband"]


def test_partner_named_between_verb_and_partner() -> None:
    from pipeline.extract import DocContext
    from pipeline.extract.partners import extract_partners
    from pipeline.records import CleanText, DocumentRow

    text = "Aus dem Bergischen Land ist seit Februar 2019 die Stadt Wuppertal Partner."
    rows = extract_partners(DocContext(clean=CleanText(doc_id="t", text=text)), DocumentRow(doc_id="t"))
    assert [(r.partner, r.date) for r in rows] == [("Stadt Wuppertal", "2019-02")]


def _token_texts() -> list[str]:
    root = Path(__file__).parent
    paths = sorted(root.parent.glob("corpus/raw/*.txt")) + sorted(root.glob("*/docs/*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    assert len(texts) > 10
    return texts + ["Die Stadt  Köln,\n\nz. B. der Verein e.V. (Nr. 3)\tund  die GmbH.\n", "  a\n b  ", "", " ", "\n"]


def test_tokens_are_spacys_german_tokens() -> None:
    """`tokens.tokenize` applies the rules of models/tokenizer/de.json (built from spaCy) with spaCy's algorithm."""
    spacy = pytest.importorskip("spacy")
    from pipeline.extract.partners import tokenize

    reference = spacy.blank("de")
    for text in _token_texts() * 2:  # the second time from the chunk cache
        ours, theirs = tokenize(text), reference.make_doc(text)
        assert [(t.text, t.idx) for t in ours] == [(t.text, t.idx) for t in theirs]


_TOKEN_ATOMS = [
    "Köln", "NRW", "e.V.", "z.B.", "usw.", "(", ")", "„", "“", '"', "'", "’s", "-", "–", "/", ".", ",", ";", ":",
    "!", "?", "%", "€", "50", "1.000", "3,5", "18/123", "https://www.land.nrw/a?b=c", "a@b.de", "Dr.", "Nr.", "S.",
    "1.", "2023-10-05", "Caritas-Verband", "u.a.", "bzw.", "...", "…", "§", "Abs.", "*", "&", "°", "'n", ":-)",
    "(*_*)", "GmbH.", "Str.", "\n", "\t", "\u00a0", "  ", "ß", "x", "3.", "auf'm", "''",
    # the affix gates (a unit or currency only after a digit, a capital before a final "."): "5km.", "US$", "°C."
    "km", "m²", "t", "US$", "$", "+", "°C", "5", "DM", "A", "ab", "ÄB", "Ω", "→", "£",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_TOKEN_ATOMS), st.sampled_from(["", "", " ", "\n", "  "])), max_size=12))
def test_tokens_are_spacys_on_generated_text(parts: list[tuple[str, str]]) -> None:
    spacy = pytest.importorskip("spacy")
    from pipeline.extract.partners import tokenize

    text = "".join(atom + gap for atom, gap in parts)
    theirs = _spacy_de(spacy).make_doc(text)
    assert [(t.text, t.idx) for t in tokenize(text)] == [(t.text, t.idx) for t in theirs]


@functools.lru_cache(maxsize=1)
def _spacy_de(spacy: Any) -> Any:
    return spacy.blank("de")


def test_head_starts_are_what_a_spacy_matcher_over_the_head_patterns_finds() -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.matcher import Matcher

    from pipeline.extract.partners import head_starts, heads, tokenize

    nlp = spacy.blank("de")
    words = sorted({form for head in heads() for form in head.forms})
    suffixes = sorted({re.escape(form) for head in heads() if head.compound for form in head.forms})
    matcher = Matcher(nlp.vocab)
    compound = f"^\\w[\\w-]{{2,}}(?:{'|'.join(suffixes)})$"
    matcher.add("HEAD", [[{"LOWER": {"IN": words}}], [{"LOWER": {"REGEX": compound}}]])
    found = 0
    for text in _token_texts():
        expected = sorted({start for _, start, _ in matcher(nlp.make_doc(text))})
        assert head_starts(tokenize(text)) == expected
        found += len(expected)
    assert found > 100


# --- lists of contents and names with particles ------------------------------------------------------------------


def test_contents_list_under_a_partner_heading() -> None:
    text = (
        "Umsetzungsbericht 2016\n\nBerichte der Partner\nBezirksregierung Köln ........ 7\n"
        "Kreis Lippe ........ 11\nStädtekooperation Beispielland (Hamm, Unna) ........ 13\n"
        "Stadt Hamm ........ 15\nCaritasverband für den Kreis Unna …… 19\nAnhang ........ 30\n"
    )
    found = {r.partner: r.evidence for r in rows(text, "umsetzungsbericht")}
    assert found["Bezirksregierung Köln"] == "Bezirksregierung Köln"  # the item, without dot leader and page
    assert found["Kreis Lippe"] == "Kreis Lippe"
    assert {"Stadt Hamm", "Caritasverband für den Kreis Unna"} <= set(found)
    assert not any(re.search(r"\d|\.\.\.|…", evidence) for evidence in found.values())


def test_contents_list_without_a_partner_heading_names_no_partners() -> None:
    text = "Inhalt\nVorwort ........ 3\nKreis Lippe ........ 11\nStadt Hamm ........ 15\n"
    assert partners(text, "umsetzungsbericht") == {}


@pytest.mark.parametrize("particle", ["von", "van", "de", "zu"])
def test_person_name_with_a_particle_after_an_office_is_not_a_place(particle: str) -> None:
    text = (
        "Die Partnervereinbarung unterzeichnete das Polizeipräsidium Bochum, vertreten durch "
        f"Polizeipräsident Hans {particle} Beispiel."
    )
    assert set(partners(text)) == {"Polizeipräsidium Bochum"}


# --- offices, subordinate joining verbs, office compounds --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a place adjective before the office; it holds for the next office of the coordination too
        ("Kölner Oberbürgermeister und Polizeipräsident unterstützen die Landesinitiative.",
         {"Stadt Köln", "Polizeipräsidium Köln"}),
        ("Die Ministerin hat mit dem Kölner Oberbürgermeister Max Muster und dem Polizeipräsidenten Hans von Beispiel "
         "die Partnervereinbarung unterzeichnet.", {"Stadt Köln", "Polizeipräsidium Köln"}),
        ("Der Kölner Regierungspräsident unterzeichnete die Vereinbarung.", {"Bezirksregierung Köln"}),
        # a place after the holder's name
        ("Landrat Max Muster aus Lippe unterzeichnete die Partnervereinbarung.", {"Kreis Lippe"}),
        ("Bürgermeisterin Erika Muster von Hamm unterzeichnete die Partnervereinbarung.", {"Stadt Hamm"}),
        # the authority named itself
        ("Der Oberbürgermeister der Stadt Hamm unterzeichnete die Vereinbarung.", {"Stadt Hamm"}),
        # no place: no partner; a surname that is also a town is not the place
        ("Oberbürgermeister Max Muster unterzeichnete die Partnervereinbarung.", set()),
        ("Landrat Hagen unterzeichnete die Partnervereinbarung.", set()),
    ],
)
def test_an_office_stands_for_its_authority(text: str, expected: set[str]) -> None:
    assert set(partners(text, PRESS)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wir freuen uns, dass die Stadt Bielefeld sich unserer Initiative anschließt.", {"Stadt Bielefeld"}),
        ("Es ist gut, dass der Kreis Soest der Initiative beitritt.", {"Kreis Soest"}),
        ("Kreis Lippe und Stadt Hamm unterstützen Landesvorstoß als Erstunterzeichner", {"Kreis Lippe", "Stadt Hamm"}),
        ("Die Stadt Hamm unterstützt die Landesinitiative.", {"Stadt Hamm"}),
        # negatives: a joining only considered, a support that is not for the initiative
        ("Die Stadt Bochum prüft, ob sie der Initiative beitritt.", set()),
        ("Die Stadt Bochum unterstützt die Vereine vor Ort.", set()),
    ],
)
def test_joining_verbs_at_the_end_of_a_clause_and_signers_named_as_such(text: str, expected: set[str]) -> None:
    assert set(partners(text, PRESS)) == expected


def test_a_persons_office_and_name_stay_out_of_the_organisation_name() -> None:
    text = "Die Ministerin und IHK NRW-Hauptgeschäftsführer Ralf Muster unterzeichneten die Partnervereinbarung."
    (row,) = rows(text, PRESS)
    assert (row.partner, row.mention) == ("IHK NRW", "IHK NRW")
    assert text[row.char_start : row.char_end] == "IHK NRW"
    text = "Die Ministerin und IHK NRW Hauptgeschäftsführer Max Muster unterzeichneten den Partnervertrag."
    assert set(partners(text, PRESS)) == {"IHK NRW"}


def test_stored_name_tokens_are_what_the_tokenizer_cuts() -> None:
    """models/gazetteer/name_tokens.json (scripts/build_name_tokens.py) holds the tokens of exactly the names and
    aliases of the gazetteer, as `tokenize` cuts them now: a change of either makes it stale, and this fails."""
    from pipeline.extract.partners import tokenize

    entries = json.loads((MODELS_DIR / "gazetteer" / "gazetteer.json").read_text(encoding="utf-8"))["entries"]
    stored = json.loads((MODELS_DIR / "gazetteer" / "name_tokens.json").read_text(encoding="utf-8"))["tokens"]
    names = {name for entry in entries for name in (entry["canonical"], *entry["aliases"])}
    assert stored == {name: tokenize(name).texts for name in names}


# --- exact rewrites against the code they replaced ---------------------------------------------------------------


def _open_quotes_reference(part: str) -> int:
    opened = part.count("„") + part.count("‚") + len(re.findall(r"(?:^|\s),(?=[A-ZÄÖÜ])", part))
    return opened - part.count("“") - part.count("”") - part.count("‘") + part.count('"') % 2


def _merged_reference(text: str, sentences: list[Any]) -> list[Any]:
    """`merge_broken_sentences` and `split_at_semicolons` as they were (their quote count and semicolon split
    by `re` on every sentence)."""
    def continues(last: Any, sentence: Any) -> bool:
        gap = text[last.end : sentence.start]
        if "\n" not in gap:
            return _open_quotes_reference(last.text) > 0
        if gap.count("\n") > 1 or last.text.rstrip()[-1:] in ".!?:;":
            return False
        last_word = last.text.split()[-1]
        return sentence.text[:1].islower() or (last_word.isalpha() and last_word.islower())

    merged: list[Any] = []
    for sentence in sentences:
        if merged and continues(merged[-1], sentence):
            merged[-1] = type(sentence)(merged[-1].start, sentence.end, text[merged[-1].start : sentence.end])
        else:
            merged.append(sentence)
    out = []
    for sentence in merged:
        start = sentence.start
        for match in re.finditer(r";\s+", sentence.text):
            end = sentence.start + match.start() + 1
            out.append((start, end, text[start:end]))
            start = sentence.start + match.end()
        out.append((start, sentence.end, text[start : sentence.end]))
    return out


_QUOTE_PIECES = st.sampled_from(
    ["„", "“", "”", "‚", "‘", '"', ",", ", ", " ,Vielfalt", " ,Öffnung", ",Über", "Stadt", "stadt", "Köln", "und",
     ";", "; ", ";\n", ".", ". ", "! ", "? ", ". Neu", ":", " ", " ", "\n", "\n\n", "\t", "\xa0", "e.V.", "1."]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_QUOTE_PIECES, max_size=50).map("".join))
def test_sentences_are_merged_and_split_as_by_the_regex_on_every_sentence(text: str) -> None:
    from pipeline.extract import text_to_sentences
    from pipeline.extract.partners import merge_broken_sentences, split_at_semicolons

    sentences = text_to_sentences(text)
    found = split_at_semicolons(text, merge_broken_sentences(text, sentences))
    assert [(s.start, s.end, s.text) for s in found] == _merged_reference(text, sentences)


def test_the_suffix_parts_are_the_suffix_pattern_s_alternatives() -> None:
    """The tokenizer searches a suffix with the alternatives that may end with the word's last character."""
    data = json.loads((MODELS_DIR / "tokenizer" / "de.json").read_text(encoding="utf-8"))
    parts = data["gates"]["suffix_parts"]
    assert "|".join(part for part, _ in parts) == data["suffix"]
    assert all(ends is None or ends for _, ends in parts)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*_TOKEN_ATOMS, "..", "°F.", "°", "é", "¦", "\U0001d100", "5£", "NRW.", "a.", "”"]),
                min_size=1, max_size=6).map(" ".join))
def test_tokens_are_spacys_where_suffixes_are_cut(text: str) -> None:
    spacy = pytest.importorskip("spacy")
    from pipeline.extract.partners import tokenize

    theirs = _spacy_de(spacy).make_doc(text)
    assert [(t.text, t.idx) for t in tokenize(text)] == [(t.text, t.idx) for t in theirs]
