"""Page boundaries in the clean text: one form feed per page boundary (as `pdftotext` writes it), offsets exact,
and sentences that treat the boundary as a line break unless the sentence runs on to the next page."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clean import fix_and_explain, raw_to_clean
from pipeline.extract import text_to_sentences
from pipeline.records import CleanText, PageText, RawText

PAGE = st.text(st.sampled_from(list("abc ÄÖß.,\n-\f\t")), max_size=60)


def _raw(pages: list[str], paged: bool = True) -> RawText:
    records = tuple(PageText(i + 1, page, "text_layer") for i, page in enumerate(pages))
    return RawText("d", "pdf", records, "text_layer", paged)


@settings(max_examples=200, deadline=None)
@given(st.lists(PAGE, min_size=1, max_size=5))
def test_form_feeds_cut_the_clean_text_into_its_pages(pages: list[str]) -> None:
    clean = raw_to_clean(_raw(pages))
    pieces = clean.text.split("\f")
    assert len(pieces) == len(pages)
    assert [piece.strip("\n") for piece in pieces] == [fix_and_explain(page)[0] for page in pages]
    for number, start in enumerate(clean.page_starts, start=1):
        assert start == 0 or clean.text[start - 1] == "\f" or clean.text[start - 2 : start] == "\f\n"
        assert clean.page_at(start) == number or not pieces[number - 1]  # an empty page starts where the next does
    assert CleanText.from_json(clean.to_json()) == clean


def test_page_end_of_a_paragraph_is_a_line_break() -> None:
    clean = raw_to_clean(_raw(["Der Bericht endet hier.", "Anlage 1"]))
    assert clean.text == "Der Bericht endet hier.\n\f\nAnlage 1"
    assert clean.page_starts == (0, len("Der Bericht endet hier.\n\f\n"))
    assert [s.text for s in text_to_sentences(clean.text)] == ["Der Bericht endet hier.", "Anlage 1"]


def test_heading_at_a_page_end_stays_apart_from_the_next_page() -> None:
    clean = raw_to_clean(_raw(["Vorbemerkung der Fragesteller", "Die Landesregierung antwortet."]))
    assert [s.text for s in text_to_sentences(clean.text)] == [
        "Vorbemerkung der Fragesteller", "Die Landesregierung antwortet."
    ]


def test_sentence_running_on_to_the_next_page_stays_one_sentence() -> None:
    clean = raw_to_clean(_raw(["Die Landesregierung hat die Vereinbarung", "unterzeichnet. Danach nicht."]))
    assert clean.text == "Die Landesregierung hat die Vereinbarung\funterzeichnet. Danach nicht."
    first = text_to_sentences(clean.text)[0]
    assert first.text == "Die Landesregierung hat die Vereinbarung\funterzeichnet."
    assert clean.page_at(first.start) == 1 and clean.page_at(clean.text.index("unterzeichnet")) == 2


def test_unpaged_inputs_have_no_form_feed() -> None:
    clean = raw_to_clean(_raw(["Erster Teil.", "Zweiter Teil."], paged=False))
    assert "\f" not in clean.text and clean.page_starts == ()
