"""The OCR repair: gate, word repair, marks, offsets, idempotence, and clean text left alone."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clean import raw_to_clean
from pipeline.ingest import ingest
from pipeline.records import Change, CleanText
from pipeline.repair import (
    apply_edits,
    load_lexicon,
    numbers_to_restore,
    repair_clean,
    replay,
    text_to_edits,
    text_to_gate_stats,
)
from pipeline.settings import Settings
from pipeline.text import source_to_raw_text

ROOT = Path(__file__).resolve().parent.parent

# German read by an English OCR model, written for this test in the way seed 002 shows the damage.
DAMAGED = """Umsetzungsbericht der Bezirlfsregierung zur Partnerschaftsvereinbarung ,Vielfalt verbindet!®
Als Bulndelungsbehérde ist die Behdrde fir viele Aufgaben zustandig. Die Interkulturelle Offnung der \
Verwaltung ist ein Ziel, das fiir alle Beschaftigten gilt. Uber die MaBBnahmen gibt die Broschiire einen \
Uberblick Uber die Angebote im 6ffentlichen Dienst und im &ffentlichen Raum. Die Kfl und die LaKl arbeiten \
mit dem BlZ zusammen. Sie konnte flr die Beschéftigten viele Fortbildungen anbieten und hat die Halfte \
der Stellen besetzt.
1. ,Die Bezirksregierung fihrt eine Befragung durch.“
. ,Die Sensibilisierung der Beschaftigten wird verstarkt.*
. »Der Flyer wird in mehreren Sprachen veréffentlicht.”
4. ,Das Leitbild wird ergénzt.“
e Anlasslich des Diversity-Tages wurden Gefliichtete eingeladen.
Resiimee Die bisherigen MaBnahmen waren erfolgreich und werden regelmaBig fortgesetzt."""

CLEAN = """Die Landesregierung hat die Partnerinitiative „Vielfalt verbindet! Interkulturelle Öffnung als \
Erfolgsfaktor“ ins Leben gerufen. Ziel ist es, Menschen mit Zuwanderungsgeschichte gezielt anzusprechen und \
so stärker in Verwaltung, Verbänden und Unternehmen zu beschäftigen. Über die Maßnahmen gibt der Bericht \
einen Überblick; die Beschäftigten konnten an Fortbildungen teilnehmen, die für alle offen waren. Die KfI \
und die LaKI arbeiten mit dem BIZ zusammen. Fordern und fördern gehören zusammen, sagte die Ministerin."""


def repaired(text: str, page_starts: tuple[int, ...] = ()) -> CleanText:
    return repair_clean(CleanText(doc_id="test", text=text, page_starts=page_starts))


@pytest.fixture(scope="module")
def damaged() -> CleanText:
    return repaired(DAMAGED)


def corpus_clean(path: Path) -> CleanText:
    source, data = ingest(path)
    return raw_to_clean(source_to_raw_text(source, data, Settings()))


def test_gate_tells_damaged_from_clean() -> None:
    lexicon = load_lexicon()
    assert text_to_gate_stats(DAMAGED, lexicon).damaged
    stats = text_to_gate_stats(CLEAN, lexicon)
    assert not stats.damaged and stats.umlaut_share > 0.05


@pytest.mark.parametrize(
    "before, after",
    [
        ("Bezirlfsregierung", "Bezirksregierung"),
        ("Bulndelungsbehérde", "Bündelungsbehörde"),
        ("Behdrde fir", "Behörde für"),
        ("Interkulturelle Offnung", "Interkulturelle Öffnung"),
        ("das fiir alle Beschaftigten", "das für alle Beschäftigten"),
        ("Uber die MaBBnahmen", "Über die Maßnahmen"),
        ("einen Uberblick Uber die", "einen Überblick über die"),
        ("im 6ffentlichen Dienst und im &ffentlichen Raum", "im öffentlichen Dienst und im öffentlichen Raum"),
        ("Die Kfl und die LaKl arbeiten mit dem BlZ", "Die KfI und die LaKI arbeiten mit dem BIZ"),
        ("Sie konnte flr die Beschéftigten", "Sie konnte für die Beschäftigten"),
        ("die Halfte", "die Hälfte"),
        ("Resiimee Die bisherigen MaBnahmen", "Resümee Die bisherigen Maßnahmen"),
        ("regelmaBig", "regelmäßig"),
        ("Partnerschaftsvereinbarung ,Vielfalt verbindet!®", "Partnerschaftsvereinbarung „Vielfalt verbindet!“"),
        ("1. ,Die Bezirksregierung führt", "1. „Die Bezirksregierung führt"),
        (". ,Die Sensibilisierung der Beschaftigten wird verstarkt.*",
         "2. „Die Sensibilisierung der Beschäftigten wird verstärkt.“"),
        (". »Der Flyer wird in mehreren Sprachen veréffentlicht.”",
         "3. „Der Flyer wird in mehreren Sprachen veröffentlicht.“"),
        ("e Anlasslich des Diversity-Tages wurden Gefliichtete", "• Anlässlich des Diversity-Tages wurden Geflüchtete"),
    ],
)  # fmt: skip
def test_examples_from_the_issue(damaged: CleanText, before: str, after: str) -> None:
    assert before.split()[0] in DAMAGED or before in DAMAGED
    assert after in damaged.text


def test_damaged_text_is_marked_and_every_repair_is_recorded(damaged: CleanText) -> None:
    assert damaged.damaged
    rules = {change.rule for change in damaged.repairs}
    assert {"unknown_word", "quote_open", "quote_close", "list_number", "bullet"} <= rules
    assert "konnte" in damaged.text and "könnte" not in damaged.text


def test_repair_offsets_point_into_the_repaired_text(damaged: CleanText) -> None:
    for change in damaged.repairs:
        assert damaged.text[change.start : change.end] == change.after


def undo(clean: CleanText) -> str:
    text = clean.text
    for change in sorted(clean.repairs, key=lambda c: c.start, reverse=True):
        text = text[: change.start] + change.before + text[change.end :]
    return text


def test_repairs_can_be_undone(damaged: CleanText) -> None:
    assert undo(damaged) == DAMAGED


def test_repairs_can_be_replayed(damaged: CleanText) -> None:
    assert replay(DAMAGED, damaged.repairs) == damaged.text


def test_repair_is_idempotent(damaged: CleanText) -> None:
    again = repair_clean(damaged)
    assert again.text == damaged.text
    assert again.repairs == damaged.repairs


def test_clean_text_comes_back_unchanged() -> None:
    clean = repaired(CLEAN)
    assert clean.text == CLEAN and clean.repairs == () and not clean.damaged


def test_only_damaged_pages_are_repaired() -> None:
    text = CLEAN + "\n" + DAMAGED
    result = repaired(text, page_starts=(0, len(CLEAN) + 1))
    assert result.text.startswith(CLEAN + "\n")
    assert result.page_starts == (0, len(CLEAN) + 1)
    assert all(change.start > len(CLEAN) for change in result.repairs)
    assert "Bündelungsbehörde" in result.text


def test_page_starts_follow_length_changes() -> None:
    text = DAMAGED + "\n" + DAMAGED
    result = repaired(text, page_starts=(0, len(DAMAGED) + 1))
    second = result.page_starts[1]
    assert result.text[second:].startswith("Umsetzungsbericht der Bezirksregierung")
    assert result.text[:second] == result.text[second:] + "\n"


def corpus_texts() -> list[Path]:
    return sorted((ROOT / "corpus" / "raw").glob("*.txt"))


@pytest.mark.parametrize("path", corpus_texts(), ids=lambda p: p.stem[:3])
def test_corpus_documents(path: Path) -> None:
    """Clean documents pass byte-identical; damaged ones get repaired, undoably and idempotently."""
    clean = corpus_clean(path)
    result = repair_clean(clean)
    if not result.damaged:
        assert result.text == clean.text and result.repairs == ()
        return
    assert len(result.repairs) > 100
    assert undo(result) == clean.text
    assert replay(clean.text, result.repairs) == result.text
    assert repair_clean(result).text == result.text
    for change in result.repairs:
        assert result.text[change.start : change.end] == change.after


def test_corpus_has_clean_and_damaged_documents() -> None:
    results = [repair_clean(corpus_clean(p)).damaged for p in corpus_texts()]
    assert results.count(False) >= 3 and results.count(True) >= 1


def test_real_words_need_strong_evidence() -> None:
    lexicon = load_lexicon()
    text = DAMAGED + " Er konnte es fordern. Die Lander und die Beitrage sind noch starker als bisher."
    edits = text_to_edits(text, [(0, len(text))], lexicon)
    result, _ = apply_edits(text, edits)
    assert "Er konnte es fordern." in result
    assert "Die Länder und die Beiträge sind noch stärker als bisher." in result


def test_list_numbers_are_restored_only_when_certain() -> None:
    assert numbers_to_restore([1, None, None, None, None, 6, 7]) == [1, 2, 3, 4, 5, 6, 7]
    assert numbers_to_restore([1, None, None, 6]) == [1, None, None, 6]
    assert numbers_to_restore([None, None, 7]) == [None, None, 7]
    assert numbers_to_restore([None, 2, 3, None]) == [1, 2, 3, 4]
    assert numbers_to_restore([2, 3, None]) == [2, 3, None]
    assert numbers_to_restore([1, 3, None]) == [1, 3, None]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aouäöüBßeflitU6&,.»*® \nDKI1")), max_size=200))
def test_edits_never_break_offsets(text: str) -> None:
    lexicon = load_lexicon()
    result, changes = apply_edits(text, text_to_edits(text, [(0, len(text))], lexicon))
    for change in changes:
        assert isinstance(change, Change)
        assert result[change.start : change.end] == change.after


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_real_english_ocr_of_german_is_repaired(tmp_path: Path) -> None:
    """The real engine: render German, read it with Tesseract `eng`, repair, compare words."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    import repair_bench

    source = CLEAN + "\n" + CLEAN.replace("Die Landesregierung", "Das Ministerium")
    pages = repair_bench.ocr_pages(source, "eng", use_cache=False)
    ocr = repair_bench.pages_to_clean("ocr", pages)
    result = repair_clean(ocr)
    words = repair_bench.words_of(source)
    before, _ = repair_bench.aligned_correct(words, repair_bench.words_of(ocr.text))
    after, _ = repair_bench.aligned_correct(words, repair_bench.words_of(result.text))
    assert result.damaged
    assert after < before / 3, (before, after)
    assert re.search("Öffnung", result.text)


def test_english_text_is_not_damaged_german() -> None:
    english = (
        "The report of the district government describes the measures that were taken for the opening of "
        "the administration. It is based on a survey of the staff and on interviews with the managers, who "
        "were asked which steps they would recommend for the future and which results they have seen so far. "
        "Further reading: Uber die Offnung der Verwaltung, fur alle Beschaftigten."
    )
    result = repaired(english)
    assert result.text == english and not result.damaged


def test_list_numbers_are_restored_across_pages() -> None:
    first = "1. „Die erste Maßnahme wird umgesetzt.“ Sie ist für alle Beschäftigten.\n"
    second = DAMAGED.split("\n1.")[0] + "\n. ,Die zweite MaBnahme.“\n3. ,Die dritte MaBnahme.“"
    result = repaired(first + second, page_starts=(0, len(first)))
    assert "2. „Die zweite Maßnahme.“" in result.text
    assert result.text.startswith(first)
