"""The text stage's parts on small inputs: errors, quality gate, furniture, layout, HTML, OCR seams."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.errors import InputError, TextError
from pipeline.records import SourceFile
from pipeline.settings import Settings
from pipeline.text import (
    Line,
    decode_bytes,
    find_gutter,
    find_gutters,
    html_to_raw_text,
    items_to_lines,
    join_page_hyphens,
    layer_damage,
    layer_lines,
    ocr,
    place_footnotes,
    reading_order,
    remove_furniture,
    source_to_raw_text,
    text_quality,
)

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "raw"


def _source(name: str, data: bytes, kind: str = "pdf") -> SourceFile:
    return SourceFile(Path(name).stem, name, name, "0" * 64, kind, len(data))


def _pdf(draw: object = None, encrypt: str | None = None) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=encrypt)
    if callable(draw):
        draw(pdf)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# ---------------------------------------------------------------- bad input


def test_encrypted_pdf_names_the_file_and_the_fix(tmp_path: Path) -> None:
    data = _pdf(lambda c: c.drawString(72, 700, "Geheim"), encrypt="secret")
    with pytest.raises(InputError) as error:
        source_to_raw_text(_source("locked.pdf", data), data, Settings(clean_dir=tmp_path))
    assert error.value.one_line().startswith("locked.pdf: PDF is encrypted: remove the password (e.g. `qpdf --decrypt")


def test_corrupt_pdf(tmp_path: Path) -> None:
    data = b"%PDF-1.7\n" + b"\x00garbage" * 50
    with pytest.raises(InputError) as error:
        source_to_raw_text(_source("broken.pdf", data), data, Settings(clean_dir=tmp_path))
    assert error.value.one_line().startswith("broken.pdf: corrupt PDF") and "qpdf" in error.value.one_line()


def test_pdf_without_pages(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    buffer = io.BytesIO()
    pdfium.PdfDocument.new().save(buffer)
    data = buffer.getvalue()
    with pytest.raises(InputError, match=r"empty\.pdf: PDF has no pages"):
        source_to_raw_text(_source("empty.pdf", data), data, Settings(clean_dir=tmp_path))


def test_blank_pdf_has_no_extractable_text(tmp_path: Path) -> None:
    data = _pdf()
    with pytest.raises(TextError, match=r"blank\.pdf: no extractable text"):
        source_to_raw_text(_source("blank.pdf", data), data, Settings(clean_dir=tmp_path))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Größe der Öffnung".encode("cp1252"), "Größe der Öffnung"),
        ("Öffnung für Behörden".encode("cp850"), "Öffnung für Behörden"),
        ("Vielfalt „verbindet“".encode(), "Vielfalt „verbindet“"),
    ],
)
def test_plain_text_encodings(data: bytes, expected: str) -> None:
    assert decode_bytes(data, "x.txt") == expected


def test_undecodable_text_is_an_input_error() -> None:
    with pytest.raises(InputError, match="not decodable"):
        decode_bytes(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 200, "x.txt")


# ---------------------------------------------------------------- quality gate


def test_clean_seed_passes_the_gate_and_english_ocr_text_fails_it() -> None:
    clean = (SEEDS / "001_65a9724eb37073ec.txt").read_text(encoding="utf-8")
    damaged = (SEEDS / "002_7537baf166d3a4d5.txt").read_text(encoding="utf-8")
    assert layer_damage(clean[:3000]) == ""
    reason = layer_damage(damaged[:3000])
    assert reason and reason.startswith("umlauts in 0.0% of tokens")
    assert text_quality(clean) > 0.95 > 0.9 > text_quality(damaged)
    assert layer_damage("Zu kurz.") is None


# ---------------------------------------------------------------- furniture and layout


def _page(body: list[str], head: str, foot: str) -> list[Line]:
    lines = [Line(head, 0.05, 0.07)]
    lines += [Line(t, 0.15 + i * 0.02, 0.165 + i * 0.02) for i, t in enumerate(body)]
    return lines + [Line(foot, 0.93, 0.945)]


def test_running_lines_go_page_one_metadata_stays() -> None:
    pages = [
        _page(["Antwort der Landesregierung", "Text eins."], "Drucksache 17/123 vom 03.11.2019", "1"),
        _page(["Text zwei."], "Landtag NRW - 17. Wahlperiode Drucksache 17/123 Seite 2", "Ministerium XY"),
        _page(["Text drei."], "Landtag NRW - 17. Wahlperiode Drucksache 17/123 Seite 3", "Ministerium XY"),
        _page(["Text vier."], "Landtag NRW - 17. Wahlperiode Drucksache 17/123 Seite 4", "Ministerium XY"),
    ]
    cleaned, notes = remove_furniture(pages)
    assert [ln.text for ln in cleaned[0]] == [
        "Drucksache 17/123 vom 03.11.2019",
        "Antwort der Landesregierung",
        "Text eins.",
    ]
    assert [[ln.text for ln in page] for page in cleaned[1:]] == [["Text zwei."], ["Text drei."], ["Text vier."]]
    assert notes[1].startswith("page 2: removed 2 header/footer line(s)")


def test_body_lines_that_repeat_are_not_furniture() -> None:
    pages = [[Line("Fragen und Antworten", 0.5, 0.52), Line(f"Seite {n}", 0.95, 0.96)] for n in (1, 2, 3)]
    cleaned, _ = remove_furniture(pages)
    assert [[ln.text for ln in page] for page in cleaned] == [["Fragen und Antworten"]] * 3


def test_two_columns_are_read_left_then_right() -> None:
    items = [Line("Titel über beide Spalten", 0.05, 0.07, 0.1, 0.9)]
    for row in range(6):
        top = 0.1 + row * 0.02
        items.append(Line(f"links {row}", top, top + 0.015, 0.1, 0.45))
        items.append(Line(f"rechts {row}", top, top + 0.015, 0.55, 0.9))
    gutter = find_gutter(items)
    assert gutter is not None and 0.45 <= gutter <= 0.55
    assert find_gutters(items) == (gutter,)
    ordered = [ln.text for ln in reading_order(items_to_lines(items, (gutter,)), (gutter,))]
    assert ordered == ["Titel über beide Spalten"] + [f"links {r}" for r in range(6)] + [
        f"rechts {r}" for r in range(6)
    ]


def test_three_columns_are_read_one_after_the_other() -> None:
    """A gazette in three columns: the middle gutter first, then the one between the columns on its wider side;
    a heading across all columns ends a band."""
    items = [Line("Amtsblatt der Stadt", 0.05, 0.07, 0.1, 0.9)]
    spans = [(0.08, 0.34), (0.37, 0.63), (0.66, 0.92)]
    for row in range(8):
        top = 0.1 + row * 0.02
        for number, (x0, x1) in enumerate(spans):
            items.append(Line(f"Spalte {number} Zeile {row}", top + 0.001 * number, top + 0.015, x0, x1))
    gutters = find_gutters(items)
    assert len(gutters) == 2 and 0.34 <= gutters[0] <= 0.37 and 0.63 <= gutters[1] <= 0.66
    ordered = [ln.text for ln in reading_order(items_to_lines(items, gutters), gutters)]
    assert ordered == ["Amtsblatt der Stadt"] + [f"Spalte {n} Zeile {r}" for n in range(3) for r in range(8)]
    one_column = [Line(f"Zeile {row} eines Textes über die ganze Breite", 0.1 + row * 0.02, 0.115 + row * 0.02,
                       0.1, 0.9) for row in range(12)]
    assert find_gutters(one_column) == ()


def test_word_hyphenated_across_a_page_break_is_completed_on_its_first_page() -> None:
    pages = [[Line("Dies ist die Unter-", 0.8, 0.82)], [Line("zeichnung der Vereinbarung.", 0.1, 0.12)]]
    joined = join_page_hyphens(pages)
    assert [ln.text for ln in joined[0]] == ["Dies ist die Unter-", "zeichnung"]
    assert [ln.text for ln in joined[1]] == ["der Vereinbarung."]


def test_footnotes_do_not_cut_a_sentence_that_runs_on_to_the_next_page() -> None:
    body = [Line(f"Zeile {i} des Textes", 0.1 + i * 0.03, 0.115 + i * 0.03) for i in range(6)]
    body[4] = replace(body[4], starts_paragraph=True)
    notes = [Line("1 Vgl. Drucksache 16/850.", 0.85, 0.86), Line("2 Ebenda.", 0.87, 0.88)]
    placed = [ln.text for ln in place_footnotes(body + notes)]
    assert placed == [*(f"Zeile {i} des Textes" for i in range(4)), "1 Vgl. Drucksache 16/850.", "2 Ebenda.",
                      "Zeile 4 des Textes", "Zeile 5 des Textes"]  # fmt: skip
    ended = body[:5] + [replace(body[5], text="Ende.")]
    assert [ln.text for ln in place_footnotes(ended + notes)][-2:] == ["1 Vgl. Drucksache 16/850.", "2 Ebenda."]


def test_text_set_at_90_degrees_keeps_its_line_order() -> None:
    import pypdfium2 as pdfium

    def draw(c: object) -> None:
        c.translate(595, 0)  # type: ignore[attr-defined]
        c.rotate(90)  # type: ignore[attr-defined]
        for i in range(12):
            c.drawString(70, 500 - i * 15, f"Zeile {i} der Tabelle im Querformat")  # type: ignore[attr-defined]

    document = pdfium.PdfDocument(_pdf(draw))
    lines = layer_lines(document[0])
    assert [ln.text for ln in lines] == [f"Zeile {i} der Tabelle im Querformat" for i in range(12)]


# ---------------------------------------------------------------- HTML


def test_html_drops_navigation_cookies_contact_and_footer() -> None:
    page = b"""<html><head><title>Titel | NRW</title></head><body>
    <div class="cookie-hinweis"><p>Wir nutzen Cookies.</p></div>
    <ul class="main-menu"><li>Startseite</li><li>Presse</li></ul>
    <div class="content"><h1>Neue Partner</h1><p>D\xc3\xbcsseldorf, 3. Mai 2021</p>
    <p>Die Stadt tritt der Initiative bei.</p>
    <div><h3>Pressekontakt</h3><p>Telefon 0211 1234</p></div></div>
    <div id="page-footer"><p>Impressum</p></div></body></html>"""
    raw = html_to_raw_text(_source("press.html", page, "html"), page)
    assert raw.title_hint == "Neue Partner" and raw.date_hint == "2021-05-03"
    assert raw.pages[0].text == "Neue Partner\n\nDüsseldorf, 3. Mai 2021\n\nDie Stadt tritt der Initiative bei."


def test_html_article_header_stays_and_contact_after_the_text_goes() -> None:
    page = """<html><body><header><a>Landesportal</a></header><article>
    <header><h1>Stadt tritt bei</h1><p>Düsseldorf, 7. Juni 2019</p></header>
    <p>Die Stadt unterzeichnet die Vereinbarung.</p><p>Sie ist der 40. Partner.</p>
    <h2>Pressekontakt</h2><p>Pressestelle, Telefon 0211 555</p><p>presse@example.nrw</p>
    </article></body></html>""".encode()
    raw = html_to_raw_text(_source("p.html", page, "html"), page)
    assert raw.date_hint == "2019-06-07"
    assert raw.pages[0].text.split("\n\n") == [
        "Stadt tritt bei", "Düsseldorf, 7. Juni 2019", "Die Stadt unterzeichnet die Vereinbarung.",
        "Sie ist der 40. Partner.",
    ]  # fmt: skip


def test_html_text_directly_in_divs_and_br_paragraphs() -> None:
    page = b"""<html><body><div id="inhalt"><h1>Titel</h1>
    <div class="text">Erster Absatz mit <b>fett</b> und <a href="#">Link</a>.<br><br>Zweiter Absatz.</div>
    <p>Dritter Absatz</p></div></body></html>"""
    raw = html_to_raw_text(_source("d.html", page, "html"), page)
    assert raw.pages[0].text.split("\n\n") == [
        "Titel",
        "Erster Absatz mit fett und Link.",
        "Zweiter Absatz.",
        "Dritter Absatz",
    ]


# ---------------------------------------------------------------- OCR seam


def _words(*words: str) -> dict[str, list]:
    n = len(words)
    return {
        "text": list(words),
        "conf": [95.0] * n,
        "block_num": [1] * n,
        "par_num": [1] * n,
        "line_num": [1] * n,
        "top": [10] * n,
        "height": [10] * n,
        "left": [10 * i for i in range(n)],
        "width": [8] * n,
    }


def test_nearly_empty_page_with_ink_is_retried_with_sauvola(monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("L", (400, 200), 255)
    ImageDraw.Draw(image).rectangle((20, 20, 380, 180), fill=0)
    calls: list[str] = []

    def engine(img: Image.Image, lang: str = "deu", config: str = "") -> ocr.OcrResult:
        calls.append(config)
        words = ("Text",) * 12 if config == ocr.SAUVOLA else ("x",)
        return ocr.data_to_result(_words(*words), img.height, img.width)

    monkeypatch.setattr(ocr, "ocr_image", engine)
    monkeypatch.setattr(ocr, "osd_rotation", lambda img: 0)
    monkeypatch.setattr(ocr, "check_tesseract", lambda lang: None)
    result = ocr.ocr_page(image, "deu")
    assert calls[-1] == ocr.SAUVOLA and result.words == 12 and "Sauvola" in result.note


def test_cached_word_frequencies_equal_wordfreqs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import wordfreq

    from pipeline.text import frequencies

    monkeypatch.setattr(frequencies, "CACHE_DIR", tmp_path)
    built = frequencies.build_frequencies()  # writes the cache
    frequencies.german_frequencies.cache_clear()
    try:
        loaded = frequencies.german_frequencies()  # reads it back
    finally:
        frequencies.german_frequencies.cache_clear()
    reference = wordfreq.get_frequency_dict("de", wordlist="large")
    assert len(loaded) == len(built) == len(reference)
    for word in ["landesregierung", "öffnung", "offnung", "für", "strasse", "vielfalt", "zzzzqx", ""]:
        assert loaded.get(word) == reference.get(word, 0.0)
    assert sorted(tmp_path.iterdir())  # the cache files exist
