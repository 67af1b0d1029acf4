"""Words and spaces from character geometry (`pipeline.text.words`), on pages drawn in code with reportlab:
each test reproduces one way that real PDFs set their words (no space characters, tight kerning, letter
spacing, columns, superscripts, overprint, rotation)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text import Char, chars_to_text, page_items

Draw = Callable[[Any], None]


def _page(draw: Draw, rotation: int = 0) -> Any:
    import pypdfium2 as pdfium
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(595, 842))
    if rotation:
        c.setPageRotation(rotation)
    draw(c)
    c.save()
    return pdfium.PdfDocument(buffer.getvalue())[0]


def _items(draw: Draw, rotation: int = 0) -> list[Any]:
    page = _page(draw, rotation)
    return page_items(page.get_textpage(), *page.get_size())


def _texts(draw: Draw) -> list[str]:
    return [item.text for item in _items(draw)]


def _glyphs(c: Any, x: float, y: float, text: str, size: float = 10, gap: float = 0.0) -> float:
    """Each glyph drawn on its own, no space characters: words set apart by position only."""
    for ch in text:
        if ch == " ":
            x += 0.3 * size
            continue
        c.setFont("Helvetica", size)
        c.drawString(x, y, ch)
        x += c.stringWidth(ch, "Helvetica", size) + gap
    return x


def test_a_gap_without_a_space_character_is_a_space() -> None:
    assert _texts(lambda c: _glyphs(c, 72, 700, "nochmals aufstocken")) == ["nochmals aufstocken"]


def test_tight_kerning_is_not_a_space() -> None:
    def draw(c: Any) -> None:
        text = c.beginText(72, 700)
        text.setFont("Helvetica", 10)
        text.setCharSpace(-0.3)
        text.textLine("Bundesministerium für Gesundheit")
        c.drawText(text)

    assert _texts(draw) == ["Bundesministerium für Gesundheit"]


def test_justified_words_are_neither_split_nor_glued() -> None:
    def draw(c: Any) -> None:
        text = c.beginText(72, 700)
        text.setFont("Helvetica", 10)
        text.setWordSpace(2.5)  # wide justified word gaps
        text.setCharSpace(0.15)
        text.textLine("Beschluss des Gemeinsamen Bundesausschusses")
        c.drawText(text)

    assert _texts(draw) == ["Beschluss des Gemeinsamen Bundesausschusses"]


def test_letter_spaced_heading_is_joined() -> None:
    assert _texts(lambda c: _glyphs(c, 72, 700, "Vorbemerkung der Fragesteller", size=11, gap=1.5)) == [
        "Vorbemerkung der Fragesteller"
    ]


def test_two_columns_stay_apart() -> None:
    def draw(c: Any) -> None:
        c.setFont("Helvetica", 10)
        for i in range(3):
            c.drawString(72, 700 - 12 * i, f"links Zeile {i} im Text")
            c.drawString(72 + 160, 700 - 12 * i + 0.5, f"rechts Zeile {i}")

    assert _texts(draw) == [t for i in range(3) for t in (f"links Zeile {i} im Text", f"rechts Zeile {i}")]


def test_superscript_stays_apart_from_its_word() -> None:
    def draw(c: Any) -> None:
        c.setFont("Helvetica", 10)
        c.drawString(72, 700, "Gesetzes")
        x = 72 + c.stringWidth("Gesetzes", "Helvetica", 10)
        c.setFont("Helvetica", 6)
        c.drawString(x, 704, "12")
        c.setFont("Helvetica", 10)
        c.drawString(x + c.stringWidth("12", "Helvetica", 6) + 2.5, 700, "vom Mai")

    assert _texts(draw) == ["Gesetzes 12 vom Mai"]


def test_overprint_is_read_once() -> None:
    def draw(c: Any) -> None:
        c.setFont("Helvetica", 10)
        c.drawString(72, 700, "Fett gedruckt")
        c.drawString(72.3, 700, "Fett gedruckt")

    assert _texts(draw) == ["Fett gedruckt"]


def test_rotated_margin_note_is_its_own_line() -> None:
    def draw(c: Any) -> None:
        c.setFont("Helvetica", 10)
        c.drawString(72, 700, "Haupttext der Seite")
        c.saveState()
        c.translate(30, 300)
        c.rotate(90)
        c.drawString(0, 0, "Randnotiz am Rand")
        c.restoreState()

    assert _texts(draw) == ["Haupttext der Seite", "Randnotiz am Rand"]


def test_line_end_hyphen_is_kept() -> None:
    def draw(c: Any) -> None:
        c.setFont("Helvetica", 10)
        c.drawString(72, 700, "eine Landesregie-")
        c.drawString(72, 688, "rung liefert")

    assert _texts(draw) == ["eine Landesregie-", "rung liefert"]


def test_sideways_page_reads_in_its_own_frame() -> None:
    def draw(c: Any) -> None:
        c.translate(100, 100)
        c.rotate(90)
        c.setFont("Helvetica", 10)
        for i in range(3):
            c.drawString(0, -14 * i, f"Querformat Zeile {i}")

    items = _items(draw, rotation=90)
    assert [item.text for item in items] == [f"Querformat Zeile {i}" for i in range(3)]
    assert all(item.x1 - item.x0 > item.bottom - item.top for item in items)  # wide lines, not letter columns


def test_positions_are_page_fractions_top_down() -> None:
    def draw(c: Any) -> None:
        c.setFont("Helvetica", 10)
        c.drawString(72, 800, "oben")
        c.drawString(300, 100, "unten")

    top, bottom = _items(draw)
    assert top.text == "oben" and bottom.text == "unten"
    assert 0 < top.top < top.bottom < 0.1 < 0.85 < bottom.top < bottom.bottom < 1
    assert top.x0 == pytest.approx(72 / 595, abs=0.002) and bottom.x0 == pytest.approx(300 / 595, abs=0.002)


def _line(text: str, gaps: dict[int, float] | None = None, size: float = 10.0) -> list[Char]:
    """Hand-made characters 0.6 em wide, touching, with extra gaps (em) before the given positions."""
    chars, x = [], 0.0
    for i, ch in enumerate(text):
        x += (gaps or {}).get(i, 0.0) * size
        chars.append(Char(ch, x, x + 0.6 * size, 0.0, size))
        x += 0.6 * size
    return chars


@pytest.mark.parametrize(
    ("gap", "expected"),
    [(0.05, "ab"), (0.1, "ab"), (0.15, "a b"), (0.5, "a b"), (1.4, "a b"), (2.0, "a\nb")],
)
def test_gap_in_em_decides_space_or_piece(gap: float, expected: str) -> None:
    assert chars_to_text(_line("ab", {1: gap})) == expected


def test_real_space_character_is_a_break_even_without_a_gap() -> None:
    assert chars_to_text(_line("a b")) == "a b"


def test_soft_hyphen_is_dropped_inside_a_word_and_kept_at_its_end() -> None:
    assert chars_to_text(_line("Lan\xaddes")) == "Landes"
    assert chars_to_text(_line("Schrei\xad")) == "Schrei-"


def test_overlapping_lines_far_apart_stay_separate() -> None:
    upper = _line("oben")
    lower = [c._replace(y0=c.y0 - 12, y1=c.y1 - 12) for c in _line("unten")]
    assert chars_to_text(lower + upper) == "oben\nunten"


def test_empty_input() -> None:
    assert chars_to_text([]) == ""


def test_visible_form_fields_and_stamps_are_read_hidden_ones_not(tmp_path: Any) -> None:
    """A gazette's seal notice sits in a form field's appearance, not in the page content: read as poppler reads
    it; a hidden field is not shown, so not read."""
    from reportlab.pdfgen import canvas

    from pipeline.ingest import ingest
    from pipeline.settings import Settings
    from pipeline.text import source_to_raw_text

    raw = tmp_path / "raw"
    raw.mkdir()
    c = canvas.Canvas(str(raw / "form.pdf"), pagesize=(595, 842))
    c.setFont("Helvetica", 11)
    c.drawString(72, 760, "Die Landesregierung antwortet auf die Kleine Anfrage wie folgt.")
    c.acroForm.textfield(name="seal", value="Amtlich beglaubigt durch die Staatskanzlei", x=72, y=40, width=400,
                         height=20, borderWidth=0, fieldFlags="readOnly", annotationFlags="print")
    c.acroForm.textfield(name="note", value="Unsichtbarer Vermerk", x=72, y=80, width=400, height=20,
                         borderWidth=0, annotationFlags="hidden")
    c.linkURL("https://www.land.nrw", (72, 750, 300, 772))
    c.showPage()
    c.save()
    source, data = ingest(raw / "form.pdf", raw)
    settings = Settings(raw_dir=raw, clean_dir=tmp_path / "clean", tables_dir=tmp_path / "tables")
    text = "\n".join(page.text for page in source_to_raw_text(source, data, settings).pages)
    assert "Die Landesregierung antwortet auf die Kleine Anfrage wie folgt." in text
    assert "Amtlich beglaubigt durch die Staatskanzlei" in text
    assert "Unsichtbarer" not in text


_LEFT = ["Die Landesregierung fördert die", "interkulturelle Öffnung der", "Verwaltung in allen Bereichen",
         "und sie wirbt um Menschen mit", "Einwanderungsgeschichte für", "den öffentlichen Dienst des",
         "Landes Nordrhein-Westfalen und", "seiner Kommunen im Jahr 2024"]
_RIGHT = ["Partner der Initiative sind", "Städte, Kreise, Verbände und", "Unternehmen, die sich zur",
          "Vielfalt in ihren Belegschaften", "bekennen und Maßnahmen", "umsetzen, etwa anonymisierte",
          "Bewerbungsverfahren oder", "Schulungen der Beschäftigten"]


def test_columns_set_closer_than_a_cell_gap_stay_apart() -> None:
    """Two columns whose gutter (0.8 em) is narrower than `COLUMN_GAP`: every line has a gap over the same
    empty band, so the lines are cut there (a web page printed in two columns, a journal's tight gutter)."""

    def draw(c: Any) -> None:
        c.setFont("Helvetica", 10)
        right = 72 + max(c.stringWidth(t, "Helvetica", 10) for t in _LEFT) + 9
        for i, (left, other) in enumerate(zip(_LEFT, _RIGHT, strict=True)):
            c.drawString(72, 700 - 12 * i, left)
            c.drawString(right, 700 - 12 * i, other)

    assert _texts(draw) == [t for pair in zip(_LEFT, _RIGHT, strict=True) for t in pair]


def test_one_column_of_prose_is_not_cut_at_its_word_spaces() -> None:
    """Loose word spaces (0.6 em) that line up over eight lines (each starting "Die …") are no gutter: the
    lines between them have letters there."""
    lines = [f"Die {_RIGHT[i // 2]}" if i % 2 == 0 else f"Einwanderungsgeschichte {_LEFT[i // 2]}" for i in range(16)]

    def draw(c: Any) -> None:
        for i, line in enumerate(lines):
            text = c.beginText(72, 700 - 12 * i)
            text.setFont("Helvetica", 10)
            text.setWordSpace(4)
            text.textLine(line)
            c.drawText(text)

    assert _texts(draw) == lines


def test_a_ligatures_letters_get_the_line_height(monkeypatch: pytest.MonkeyPatch) -> None:
    """pdfium cuts a ligature glyph ("ff") into letters whose boxes are its outline, lower and raised like a
    superscript; they take their neighbour's height, so "Öffnung" stays one word."""
    from pipeline.text import glyph_boxes_mended

    boxes = np.array([[245.8, 696.8, 254.4, 684.5], [254.7, 695.1, 258.6, 687.0], [258.6, 695.1, 262.5, 687.0],
                      [261.8, 696.7, 268.6, 684.5]])

    class Handle:  # the tight box pdfium reports: the same as the loose one for the ligature's letters
        pass

    def tight(handle: Any, i: int, left: Any, right: Any, bottom: Any, top: Any) -> int:
        left.value, right.value, bottom.value, top.value = boxes[i, 0], boxes[i, 2], boxes[i, 3], boxes[i, 1]
        if i in (0, 3):
            bottom.value, top.value = 686.0, 695.0  # a real glyph's outline is inside its font's height
        return 1

    monkeypatch.setattr("pypdfium2.raw.FPDFText_GetCharBox", tight)
    mended = glyph_boxes_mended(boxes, Handle())
    assert mended[1:3, 1].tolist() == [696.8, 696.8] and mended[1:3, 3].tolist() == [684.5, 684.5]
    assert (mended[[0, 3]] == boxes[[0, 3]]).all()


def test_the_compiled_loops_read_what_the_ctypes_and_numpy_loops_read(monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.text

    built = Path(pipeline.text.__file__).parent / "native" / "boxes.so"
    if not built.exists():
        pytest.skip("native/boxes.so not built (`make setup` builds it where a C compiler is installed)")

    def draw(c: Any) -> None:
        c.setFont("Helvetica", 11)
        c.drawString(72, 700, "Öffnung der Verwaltung für alle")
        c.setFont("Helvetica", 6)
        c.drawString(239, 705, "12")
        c.saveState()
        c.translate(40, 300)
        c.rotate(90)
        c.setFont("Times-Roman", 9)
        c.drawString(0, 0, "Randnotiz am Rand")
        c.restoreState()

    read = [(i.text, i.top, i.bottom, i.x0, i.x1) for i in _items(draw)]
    with monkeypatch.context() as patch:
        patch.setattr("pipeline.text.chars.native_boxes", lambda: None)  # as where it was not built
        patch.setattr("pipeline.text.chars.native_function", lambda *_: None)  # nor its other loops
        patch.setattr("pipeline.text.words.native_function", lambda *_: None)
        through_ctypes = [(i.text, i.top, i.bottom, i.x0, i.x1) for i in _items(draw)]
    assert read == through_ctypes and any("Öffnung" in text for text, *_ in read)
    assert any(text == "Randnotiz am Rand" for text, *_ in read)  # its rotation read at its first character


# ---------------------------------------------------------------- the compiled loops of `words.py` against numpy

_SPECIAL = st.sampled_from([0.0, -0.0, 1.5, 2.0, float("nan"), float("inf"), -float("inf")])
_VALUES = st.one_of(_SPECIAL, st.floats(-1e3, 1e3, allow_nan=False), st.integers(-3, 3).map(float))


def _compiled() -> None:
    import pipeline.text

    if not (Path(pipeline.text.__file__).parent / "native" / "boxes.so").exists():
        pytest.skip("native/boxes.so not built (`make setup` builds it where a C compiler is installed)")


def _quantiles_by_lexsort(values: Any, segment: Any, count: int, q: float) -> Any:
    """`words.per_segment_quantile` as numpy computes it (the reference of the compiled one)."""
    sizes = np.bincount(segment, minlength=count)
    if not len(values):
        return np.zeros(count)
    order = np.lexsort((values, segment))
    firsts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    picks = np.minimum(firsts + (q * sizes).astype(np.int64), len(values) - 1)
    return np.where(sizes > 0, values[order][picks], 0.0)


@given(
    st.lists(st.lists(_VALUES, max_size=40), max_size=12),
    st.one_of(st.sampled_from([0.0, 0.3, 0.5, 0.99]), st.floats(0, 1, exclude_max=True)),
)
@settings(max_examples=300, deadline=None)
def test_compiled_segment_quantiles_pick_what_numpy_sorts(segments: list[list[float]], q: float) -> None:
    from pipeline.text import per_segment_quantile

    _compiled()
    values = np.array([v for seg in segments for v in seg], dtype=np.float64)
    segment = np.repeat(np.arange(len(segments)), [len(seg) for seg in segments]).astype(np.int64)
    got, sizes = per_segment_quantile(values, segment, len(segments), q)
    expected = _quantiles_by_lexsort(values, segment, len(segments), q)
    assert sizes.tolist() == [len(seg) for seg in segments]
    assert np.array_equal(got, expected, equal_nan=True)  # -0.0 and 0.0 are one value to every later comparison


@given(st.lists(st.tuples(st.integers(0, 6), _VALUES), max_size=200))
@settings(max_examples=300, deadline=None)
def test_compiled_line_order_is_numpys_stable_lexsort(chars: list[tuple[int, float]]) -> None:
    from pipeline.text import line_order

    _compiled()
    used = sorted({g for g, _ in chars})
    group = np.array([used.index(g) for g, _ in chars], dtype=np.int64)  # lines numbered 0, 1, ... as `_lines` has them
    x = np.array([v for _, v in chars], dtype=np.float64)
    assert line_order(group, x).tolist() == np.lexsort((x, group)).tolist()


def test_compiled_loops_on_small_cases() -> None:
    from pipeline.text import line_order, per_segment_quantile

    _compiled()
    values = np.array([3.0, 1.0, 2.0, 5.0, 7.0, float("nan"), 6.0, 4.0])
    got, sizes = per_segment_quantile(values, np.array([0, 0, 0, 2, 2, 2, 2, 2]), 3, 0.5)
    assert got.tolist()[:2] == [2.0, 0.0] and got[2] == 6.0 and sizes.tolist() == [3, 0, 5]
    got, _ = per_segment_quantile(values[3:6], np.array([0, 0, 0]), 1, 0.99)
    assert np.isnan(got[0])  # NaN sorts last, as in numpy
    unsorted, _ = per_segment_quantile(values[:3], np.array([1, 0, 1]), 2, 0.5)  # not one after the other: numpy
    assert unsorted.tolist() == [1.0, 3.0]
    group = np.array([1, 0, 1, 0, 1], dtype=np.int64)
    x = np.array([5.0, 2.0, 1.0, 2.0, 5.0])
    assert line_order(group, x).tolist() == [1, 3, 2, 0, 4]  # equal x keeps stream order
    long = np.arange(100, dtype=np.float64)[::-1].copy()
    assert line_order(np.zeros(100, dtype=np.int64), long).tolist() == list(range(99, -1, -1))
    rng = np.random.default_rng(7)
    for big in (rng.integers(0, 3, 5000).astype(np.float64), np.arange(5000.0), np.arange(5000.0)[::-1].copy(),
                rng.random(5000)):
        segment = np.repeat([0, 1], [1000, 4000])
        for q in (0.0, 0.3, 0.5, 0.999):
            expected = _quantiles_by_lexsort(big, segment, 2, q)
            assert np.array_equal(per_segment_quantile(big, segment, 2, q)[0], expected)


@given(st.lists(st.tuples(st.integers(-5, 40), st.integers(-5, 40)), max_size=60), st.integers(0, 30))
@settings(max_examples=300, deadline=None)
def test_coverage_counts_what_adding_at_each_bin_counts(intervals: list[tuple[int, int]], size: int) -> None:
    from pipeline.text import coverage

    lo = np.array([a for a, _ in intervals], dtype=np.int64)
    hi = np.array([b for _, b in intervals], dtype=np.int64)
    steps = np.zeros(size + 1, dtype=np.int64)  # the reference: np.add.at of +1 at each start, -1 at each end
    keep = hi > lo
    np.add.at(steps, np.clip(lo[keep], 0, size), 1)
    np.add.at(steps, np.clip(hi[keep], 0, size), -1)
    assert coverage(lo, hi, size).tolist() == np.cumsum(steps)[:size].tolist()


@given(st.lists(st.tuples(st.integers(33, 0x10FFFF), st.sampled_from([0, 0, 10, 32])), max_size=80))
@settings(max_examples=300, deadline=None)
def test_separators_go_where_numpy_inserts_them(chars: list[tuple[int, int]]) -> None:
    from pipeline.text import with_separators

    codes = np.array([c for c, _ in chars], dtype=np.uint32)
    separator = np.array([s for _, s in chars], dtype=np.int64)
    where = np.flatnonzero(separator)
    expected = np.insert(codes, where, separator[where].astype(np.uint32))
    got = with_separators(codes, separator)
    assert got.tolist() == expected.tolist() and got.dtype == np.uint32
