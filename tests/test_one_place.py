"""One concept, one place: the one date reader (tables, partners, web pages), the one organisation-name reader
(partners and commitments), the one dot leader and umlaut fold, partner names as real lists write them, the one
abbreviation list and OCR confusion table, and German word lists kept as data, not in the extractors' code.
Invented sentences only."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from pipeline.extract import fold_umlauts, is_after_leader, page_leader, text_to_sentences
from pipeline.extract.commitments import commitment_patterns, text_to_committing_partner
from pipeline.extract.dates import parse_dates
from pipeline.extract.partners import text_to_mentions
from pipeline.models import MODELS_DIR, first_full_date, load_json, load_lines
from pipeline.repair import load_lexicon


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


def test_one_abbreviation_list() -> None:
    """models/abbreviations.txt is the one list: the splitter reads it, the repair's list is built from it."""
    assert not (MODELS_DIR / "sources" / "lexicon" / "abbreviations.txt").exists()
    listed = set(load_lines("abbreviations.txt"))
    built = set(load_lines("lexicon/abbreviations.txt"))
    assert built <= listed | {entry[:-1] for entry in listed}
    assert {entry for entry in listed if "." not in entry} <= built  # acronyms: "KfI", "IHK"
    assert [s.text for s in text_to_sentences("Sie ist ggf. dabei. Die KfI auch.")] == [
        "Sie ist ggf. dabei.", "Die KfI auch."
    ]


def test_one_confusion_table() -> None:
    """The repair undoes the table's rows; cue phrases tolerate every form it gives, its cue-only rows too."""
    assert "ocr_confusions" not in load_json("patterns/commitments.json")
    rows = load_json("lexicon/confusions.json")
    assert len(load_lexicon().confusions) == sum(1 for row in rows if row[2] != "cue")
    assert all(c.context != "cue" for c in load_lexicon().confusions)
    status = commitment_patterns()["status"]
    for damaged in ("Ma8nahmen", "MaRnahmen", "Maßnahmen"):  # a cue-only row, a repair row, undamaged
        assert status.search(f"Umsetzung und Stand der {damaged}:\n"), damaged


_WORD_ALTERNATION = re.compile(r"(?<![\w\\])[A-Za-zÄÖÜäöüß]{2,}\\?\.?\|[A-Za-zÄÖÜäöüß]{2,}")
_CODE = [
    *(p for p in (Path(__file__).parent.parent / "pipeline" / "extract").rglob("*.py") if "tables" not in p.parts),
    Path(__file__).parent.parent / "pipeline" / "text" / "html.py",
]


def _docstrings(tree: ast.AST) -> set[int]:
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }


@pytest.mark.parametrize("path", _CODE, ids=lambda p: p.name)
def test_no_german_word_alternation_in_extractor_code(path: Path) -> None:
    """Word lists ("und|oder|sowie") are data under models/patterns/; the code holds the mechanism."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    found = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
        and _WORD_ALTERNATION.search(node.value)
    ]
    assert not found, f"{path.name}: move these word lists to models/patterns/: {found}"
