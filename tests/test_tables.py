"""Tables in PDFs (issue 16): tables drawn in code with reportlab (ruled, unruled, multi-level headers, continued
across a page break, two columns listing partners) come out cell by cell with their headers, their counts and
shares as figures; pages of justified two-column prose (also with numbers ending its lines), a letterhead of
labels and values and a page of phone numbers yield no table or no figures."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.run import run
from pipeline.tables import read_table
from tests.conftest import make_settings

Draw = Callable[[Any], None]
Rows = list[dict[str, str]]
CAPTION = "Tabelle 1: Beschäftigte mit Zuwanderungsgeschichte nach Ressort 2019"
RESSORTS = ["Innenministerium", "Finanzministerium", "Schulministerium", "Justizministerium", "Sozialministerium"]


def _pdf(path: Path, *pages: Draw) -> None:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(595, 842))
    for draw in pages:
        c.setFont("Helvetica", 10)
        draw(c)
        c.showPage()
    c.save()


def _text(c: Any, x: float, y: float, text: str, align: str = "left", size: float = 10) -> None:
    c.setFont("Helvetica", size)
    {"left": c.drawString, "right": c.drawRightString, "centre": c.drawCentredString}[align](x, y, text)


def _prose(c: Any, y: float, text: str) -> None:
    _text(c, 72, y, text)


def draw_ruled(c: Any) -> None:
    """A typeset answer: a sentence, a caption, a ruled 5 x 3 table of numbers."""
    _prose(c, 760, "Die Landesregierung beantwortet die Kleine Anfrage wie folgt.")
    _text(c, 72, 720, CAPTION)
    columns = [(80, "left"), (330, "right"), (430, "right"), (520, "right")]
    header = ["Ressort", "Beschäftigte", "mit Zuwanderung", "Anteil in %"]
    rows = [
        ["Innenministerium", "1.719", "210", "12,2"],
        ["Finanzministerium", "845", "101", "12,0"],
        ["Schulministerium", "2.310", "402", "17,4"],
        ["Justizministerium", "968", "88", "9,1"],
        ["Sozialministerium", "630", "99", "15,7"],
    ]
    y = 690
    for line in [header, *rows]:
        for (x, align), cell in zip(columns, line, strict=True):
            _text(c, x, y, cell, align)
        c.line(72, y - 6, 528, y - 6)
        y -= 20
    for x in (72, 250, 340, 440, 528):
        c.line(x, 704, x, y + 14)
    c.line(72, 704, 528, 704)
    _prose(c, y - 20, "Weitere Angaben liegen der Landesregierung nicht vor.")


def draw_unruled(c: Any) -> None:
    """An unruled table of applicants per year with "davon" sub-rows."""
    _prose(c, 760, "Die Zahl der Bewerbungen hat sich wie folgt entwickelt:")
    rows = [
        ["Bewerbungen", "2019", "2020", "2021"],
        ["Bewerbungen insgesamt", "1.719", "1.802", "1.950"],
        ["davon Frauen", "812", "901", "1.003"],
        ["davon Männer", "907", "901", "947"],
        ["Einstellungen", "120", "131", "140"],
    ]
    y = 730
    for line in rows:
        _text(c, 72, y, line[0])
        for x, cell in zip((330, 410, 490), line[1:], strict=True):
            _text(c, x, y, cell, "right")
        y -= 14
    _prose(c, y - 30, "Die Angaben beruhen auf den Meldungen der Ressorts.")


def draw_multilevel(c: Any) -> None:
    """A header over two columns (absolute and share) above a second header row."""
    _prose(c, 760, "Die Wahlbeteiligung lag bei 11,3 %. Die gültigen Stimmen verteilen sich wie folgt:")
    _text(c, 100, 730, "Partei,")
    _text(c, 380, 730, "Zahl der Stimmen", "centre")
    _text(c, 500, 730, "Sitze", "centre")
    _text(c, 100, 716, "Wählergruppe")
    _text(c, 350, 716, "absolut", "right")
    _text(c, 430, 716, "v. H.", "right")
    y = 702
    for name, votes, share, seats in [("Liste A", "205", "46,2", "7"), ("Liste B", "72", "16,2", "2"),
                                      ("Liste C", "139", "31,3", "4")]:
        _text(c, 100, y, name)
        _text(c, 350, y, votes, "right")
        _text(c, 430, y, share, "right")
        _text(c, 500, y, seats, "centre")
        y -= 14


def _long_rows(first: int, count: int) -> list[list[str]]:
    return [[f"Kreis {k:02d}", str(100 + 7 * k), f"{10 + k % 9},{k % 10}"] for k in range(first, first + count)]


def _draw_long_part(c: Any, rows: list[list[str]], y: float) -> None:
    for line in [["Kreis", "Teilnehmende", "Quote in %"], *rows]:
        _text(c, 72, y, line[0])
        _text(c, 350, y, line[1], "right")
        _text(c, 480, y, line[2], "right")
        y -= 14


def draw_continued_1(c: Any) -> None:
    _prose(c, 760, "Teilnehmende an den Kursen im Jahr 2021:")
    _draw_long_part(c, _long_rows(1, 40), 600)


def draw_continued_2(c: Any) -> None:
    _draw_long_part(c, _long_rows(41, 10), 790)
    _prose(c, 600, "Die Kurse werden im folgenden Jahr fortgesetzt.")


def draw_phones(c: Any) -> None:
    """A table of contacts: phone and room numbers are no figures."""
    _prose(c, 760, "Ansprechpersonen:")
    y = 730
    for line in [["Name", "Telefon", "Zimmer"], ["Frau Arslan", "0211 837-1234", "114"],
                 ["Herr Becker", "0211 837-1240", "115"], ["Frau Costa", "0211 837-1251", "201"]]:
        for x, cell in zip((72, 250, 420), line, strict=True):
            _text(c, x, y, cell)
        y -= 14


PARTNER_ROWS = [
    ["1", "Bezirksregierung Arnsberg", "26.03.2012"],
    ["2", "Stadt Essen", "14.05.2013"],
    ["3", "Caritasverband für den Kreis Unna e.V.", "03.11.2014"],
    ["4", "Kreisverwaltung Soest", "05.03.2015"],
    ["5", "Rheinbahn AG", "2016"],
    ["", "Insgesamt: 5 Partner", ""],
]


def draw_partner_list(c: Any) -> None:
    """A list of partners with their signing dates, one of them also named in a sentence above."""
    _prose(c, 760, "Am 26. März 2012 unterzeichnete die Bezirksregierung Arnsberg als erste die Vereinbarung.")
    _text(c, 72, 730, "Tabelle 2: Partner der Initiative")
    y = 710
    for line in [["Nr.", "Organisation", "Datum der Unterzeichnung"], *PARTNER_ROWS]:
        for x, cell in zip((72, 110, 400), line, strict=True):
            _text(c, x, y, cell)
        y -= 14
    _prose(c, y - 20, "Weitere Beitritte werden erwartet.")


def draw_partner_phones(c: Any) -> None:
    """Organisations with their phone numbers: a list of contacts, not of partners."""
    _text(c, 72, 760, "Tabelle 3: Ansprechpersonen der Partner")
    y = 740
    for line in [["Organisation", "Telefon", "Durchwahl"], ["Stadt Essen", "0201 88-0", "1234"],
                 ["Kreis Lippe", "05231 62-0", "1240"], ["Stadt Bonn", "0228 77-0", "1251"]]:
        for x, cell in zip((72, 250, 420), line, strict=True):
            _text(c, x, y, cell)
        y -= 14


PAIR_ROWS = [
    ["Stadt Bielefeld", "26.03.2012"],
    ["Kreisverwaltung Lippe", "14.05.2013"],
    ["Handwerkskammer zu Köln", "März 2014"],
    ["AWO Bezirksverband Mittelrhein e.V.", "2016"],
]


def draw_pair_partners(c: Any) -> None:
    """The plainest list of partners: two columns, a name and the date it joined, under a heading."""
    _prose(c, 760, "Der Initiative sind bisher die folgenden Organisationen beigetreten.")
    _text(c, 72, 730, "Partner der Initiative")
    y = 710
    for name, date in [["Partner", "Beitritt"], *PAIR_ROWS]:
        _text(c, 72, y, name)
        _text(c, 360, y, date)
        y -= 14
    _prose(c, y - 20, "Weitere Organisationen haben ihr Interesse bekundet.")


LETTERHEAD = [
    [["Auskunft erteilt:", "Frau Arslan"], ["Telefon:", "0211 837-1234"], ["Telefax:", "0211 837-1299"],
     ["Zimmer:", "114"], ["Datum:", "12.03.2020"]],
    [["Ihre Ansprechpartnerin", "Frau Costa"], ["Telefon", "0211 837-1251"], ["Telefax", "0211 837-1252"],
     ["Mobil", "0171 234-5678"]],
]


def draw_letterhead(c: Any) -> None:
    """A letter whose head holds labels and their values in two columns (a contact block below): no table."""
    y = 780
    for block in LETTERHEAD:
        for label, value in block:
            _text(c, 360, y, label, size=8)
            _text(c, 470, y, value, size=8)
            y -= 11
        y -= 30
    _prose(c, y - 20, "Sehr geehrte Damen und Herren,")
    _prose(c, y - 40, "die Landesregierung beantwortet die Kleine Anfrage wie folgt.")


FOOTER = [
    ["Dienststelle Nord", "Dienststelle Süd", "Direktion", "Im Netz:"],
    ["Hafenstraße 12 B", "Marktplatz 3", "Lindenallee 40", "www.beispiel-amt.de"],
    ["26121 Oldenburg", "37073 Göttingen", "30159 Hannover", ""],
    ["\u260e 0441 799-0", "\u260e 0551 507-0", "\u260e 0511 120-0", ""],
    ["\u2709 nord@beispiel-amt.de", "\u2709 sued@beispiel-amt.de", "\u2709 direktion@beispiel-amt.de", ""],
]


def draw_contact_footer(c: Any) -> None:
    """A letter whose foot is an address block set in four columns: cards side by side, no table."""
    _prose(c, 760, "Die Landesregierung beantwortet die Kleine Anfrage wie folgt.")
    _prose(c, 740, "Die Zuständigkeiten der Dienststellen bleiben unverändert.")
    y = 90
    for line in FOOTER:
        for x, cell in zip((40, 180, 320, 470), line, strict=True):
            if cell:
                _text(c, x, y, cell, size=6)
        y -= 8


_WORDS = ("die Landesregierung fördert seit dem Beginn der Initiative zahlreiche Maßnahmen zur interkulturellen "
          "Öffnung der Verwaltung und unterstützt Kommunen Vereine sowie Unternehmen bei der Gewinnung von "
          "Beschäftigten mit Zuwanderungsgeschichte in allen Bereichen des öffentlichen Dienstes").split()


def draw_two_column_prose(c: Any) -> None:
    """Justified prose in two columns (words spread over the measure), as plenary minutes are set."""
    rng = random.Random(16)
    for left in (72, 310):
        y = 780
        while y > 72:
            words = [rng.choice(_WORDS) for _ in range(rng.randint(4, 6))]
            width = sum(c.stringWidth(w, "Helvetica", 10) for w in words)
            gap = (213 - width) / (len(words) - 1)
            x = float(left)
            for word in words:
                _text(c, x, y, word)
                x += c.stringWidth(word, "Helvetica", 10) + gap
            y -= 13


_ENDINGS = ("2014", "1.719", "12,5 %", "2019.", "17", "2020", "312", "48,7 %")


def _justified(c: Any, left: float, y: float, words: list[str]) -> None:
    width = sum(c.stringWidth(w, "Helvetica", 10) for w in words)
    gap = (213 - width) / (len(words) - 1)
    x = left
    for word in words:
        _text(c, x, y, word)
        x += c.stringWidth(word, "Helvetica", 10) + gap


def _filled(c: Any, rng: random.Random, last: str = "") -> list[str]:
    """Words that fill a column of 213 points with word spaces of at least 3 points and too narrow for another
    word (so no space is as wide as a gap between cells), the last word given."""
    words: list[str] = []
    width = c.stringWidth(last, "Helvetica", 10) if last else 0.0
    while True:
        room = 213 - width - 3 * (len(words) + (1 if last else 0))
        fitting = [w for w in _WORDS if c.stringWidth(w, "Helvetica", 10) <= room]
        if not fitting:
            return [*words, last] if last else words
        words.append(rng.choice(fitting))
        width += c.stringWidth(words[-1], "Helvetica", 10)


def draw_prose_with_numbers(c: Any) -> None:
    """Justified prose in two columns whose right column's lines each end with a number or a year in a
    sentence (but the first, so the top row reads like a header): lines ending in values, no column of values."""
    rng = random.Random(17)
    y = 780
    while y > 72:
        _justified(c, 72, y, _filled(c, rng))
        _justified(c, 310, y, _filled(c, rng, rng.choice(_ENDINGS) if y < 780 else ""))
        y -= 13


def draw_landscape(c: Any) -> None:
    """The unruled table set sideways on a portrait page (a landscape table)."""
    c.translate(595, -200)
    c.rotate(90)
    c.translate(200, -200)
    draw_unruled(c)


DOCUMENTS: dict[str, tuple[Draw, ...]] = {
    "ruled": (draw_ruled,),
    "unruled": (draw_unruled,),
    "multilevel": (draw_multilevel,),
    "continued": (draw_continued_1, draw_continued_2),
    "phones": (draw_phones,),
    "landscape": (draw_landscape,),
    "prose": (draw_two_column_prose, draw_two_column_prose),
    "contact_footer": (draw_contact_footer,),
    "partner_list": (draw_partner_list,),
    "partner_phones": (draw_partner_phones,),
    "pair_partners": (draw_pair_partners,),
    "letterhead": (draw_letterhead,),
    "prose_numbers": (draw_prose_with_numbers,),
}


def _scan(pdf: Path, out: Path, dpi: int = 200) -> None:
    """An image-only copy of a PDF's first page, as a scanner makes it."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        image = document[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()
    image.save(out, "PDF", resolution=dpi)


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Rows], dict[str, str]]:
    base = tmp_path_factory.mktemp("tables")
    raw = base / "raw"
    raw.mkdir()
    for name, pages in DOCUMENTS.items():
        _pdf(raw / f"{name}.pdf", *pages)
    _scan(raw / "unruled.pdf", raw / "scanned.pdf")
    settings = make_settings(base, raw)
    run(settings)
    names = ("table_cells", "figures", "partners", "documents")
    out = {name: read_table(settings.tables_dir / f"{name}.csv") for name in names}
    texts = {name: (settings.clean_dir / f"{name}.txt").read_text(encoding="utf-8") for name in DOCUMENTS}
    return out, texts


def _cells(tables: tuple[dict[str, Rows], dict[str, str]], doc: str) -> Rows:
    return [row for row in tables[0]["table_cells"] if row["doc_id"] == doc]


def _figures(tables: tuple[dict[str, Rows], dict[str, str]], doc: str) -> Rows:
    return [row for row in tables[0]["figures"] if row["doc_id"] == doc]


def test_ruled_table_every_cell_with_its_headers(tables: Any) -> None:
    cells = _cells(tables, "ruled")
    assert len(cells) == 5 * 4
    assert {row["table"] for row in cells} == {"1"}
    got = {(row["row"], row["col"]): (row["row_header"], row["col_header"], row["text"], row["value"], row["unit"])
           for row in cells}
    assert got[("1", "2")] == ("Innenministerium", "Beschäftigte", "1.719", "1719", "")
    assert got[("3", "4")] == ("Schulministerium", "Anteil in %", "17,4", "17.4", "percent")
    assert got[("5", "1")] == ("Sozialministerium", "Ressort", "Sozialministerium", "", "")
    assert all(row["caption"] == CAPTION for row in cells)
    assert [got[(str(r), "1")][0] for r in range(1, 6)] == RESSORTS


def test_cell_offsets_point_at_the_cell(tables: Any) -> None:
    for doc in ("ruled", "unruled", "multilevel", "continued"):
        text = tables[1][doc]
        for row in _cells(tables, doc):
            assert text[int(row["char_start"]) : int(row["char_end"])] == row["text"], (doc, row)


def test_ruled_table_shares_are_figures_with_their_measure(tables: Any) -> None:
    figures = _figures(tables, "ruled")
    shares = [(f["value"], f["unit"], f["measure"], f["subject"], f["year"]) for f in figures if f["unit"] == "percent"]
    assert shares == [
        ("12.2", "percent", "Anteil", "Innenministerium", "2019"),
        ("12", "percent", "Anteil", "Finanzministerium", "2019"),
        ("17.4", "percent", "Anteil", "Schulministerium", "2019"),
        ("9.1", "percent", "Anteil", "Justizministerium", "2019"),
        ("15.7", "percent", "Anteil", "Sozialministerium", "2019"),
    ]
    counts = {(f["value"], f["measure"], f["unit"]) for f in figures if f["subject"] == "Innenministerium"}
    assert ("1719", "Beschäftigte", "persons") in counts
    text = tables[1]["ruled"]
    for f in figures:
        assert text[int(f["evidence_start"]) : int(f["evidence_end"])] == f["evidence"]
        assert f["evidence"].startswith("Tabelle 1:") and f["text"] in f["evidence"]
    assert len(figures) == 15  # the table's figures only: none read twice from the table's text


def test_unruled_table_with_davon_rows(tables: Any) -> None:
    cells = {(row["row_header"], row["col_header"]): row["value"] for row in _cells(tables, "unruled")}
    assert cells[("Bewerbungen insgesamt", "2019")] == "1719"
    assert cells[("Bewerbungen insgesamt / davon Frauen", "2021")] == "1003"
    assert cells[("Bewerbungen insgesamt / davon Männer", "2020")] == "901"
    assert cells[("Einstellungen", "2021")] == "140"
    figures = {(f["measure"], f["year"]): f["value"] for f in _figures(tables, "unruled")}
    assert figures[("Bewerbungen insgesamt / davon Frauen", "2020")] == "901"


def test_multilevel_column_headers(tables: Any) -> None:
    cells = {(row["row"], row["col"]): row for row in _cells(tables, "multilevel")}
    assert cells[("1", "1")]["col_header"] == "Partei, Wählergruppe"
    assert cells[("1", "2")]["col_header"] == "Zahl der Stimmen / absolut"
    assert cells[("2", "3")]["col_header"] == "Zahl der Stimmen / v. H."
    assert (cells[("2", "3")]["value"], cells[("2", "3")]["unit"]) == ("16.2", "percent")
    assert cells[("3", "4")]["col_header"] == "Sitze"
    assert {row["caption"] for row in cells.values()} == {"Die gültigen Stimmen verteilen sich wie folgt:"}


def test_table_continued_on_the_next_page_is_one_table(tables: Any) -> None:
    cells = _cells(tables, "continued")
    assert {row["table"] for row in cells} == {"1"}
    assert len(cells) == 50 * 3
    last = [row for row in cells if row["row"] == "50"]
    assert [row["text"] for row in last] == ["Kreis 50", "450", "15,0"]
    assert {row["page"] for row in last} == {"2"}
    assert all(row["col_header"] == "Quote in %" for row in last if row["col"] == "3")


def test_landscape_table(tables: Any) -> None:
    cells = {(row["row_header"], row["col_header"]): row["value"] for row in _cells(tables, "landscape")}
    assert cells[("Bewerbungen insgesamt / davon Frauen", "2021")] == "1003"
    assert len(cells) == 4 * 4


def test_phone_numbers_are_no_figures(tables: Any) -> None:
    assert _cells(tables, "phones")
    assert _figures(tables, "phones") == []


def test_two_column_prose_is_no_table(tables: Any) -> None:
    assert _cells(tables, "prose") == []


def test_tables_reach_the_report_and_the_database(tables: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    import duckdb

    folder = next(Path(p) for p in tmp_path_factory.getbasetemp().glob("tables*") if (Path(p) / "tables").exists())
    report = (folder / "tables" / "report.html").read_text(encoding="utf-8")
    assert f"<caption>{CAPTION}</caption>" in report and '<td class="n">17,4</td>' in report
    con = duckdb.connect(str(folder / "tables" / "corpus.duckdb"), read_only=True)
    try:
        got = con.execute("SELECT value, unit FROM table_cells WHERE doc_id = 'ruled' AND row = 3 AND col = 4")
        assert got.fetchall() == [(17.4, "percent")]
    finally:
        con.close()


def test_a_list_of_partners_feeds_the_partners_table(tables: Any) -> None:
    partners = [row for row in tables[0]["partners"] if row["doc_id"] == "partner_list"]
    got = [(r["partner"], r["mention"], r["partner_type"], r["date"], r["page"]) for r in partners]
    assert got == [
        ("Bezirksregierung Arnsberg", "Bezirksregierung Arnsberg", "bezirksregierung", "2012-03-26", "1"),
        ("Stadt Essen", "Stadt Essen", "kommune", "2013-05-14", "1"),
        ("Caritasverband für den Kreis Unna", "Caritasverband für den Kreis Unna e.V.", "verband", "2014-11-03", "1"),
        ("Kreis Soest", "Kreisverwaltung Soest", "kreis", "2015-03-05", "1"),
        ("Rheinbahn AG Düsseldorf", "Rheinbahn AG", "unternehmen", "2016", "1"),
    ]
    text = tables[1]["partner_list"]
    first, *listed = partners
    assert first["evidence"].startswith("Am 26. März 2012")  # named in a sentence with its date: that row stays
    for row, (_, name, date) in zip(listed, PARTNER_ROWS[1:], strict=False):
        assert text[int(row["char_start"]) : int(row["char_end"])] == name
        assert text[int(row["evidence_start"]) : int(row["evidence_end"])] == row["evidence"]
        assert row["evidence"].startswith("Tabelle 2: Partner der Initiative\nNr. Organisation Datum der")
        assert row["evidence"].endswith(f"{name} {date}")
    assert [(f["value"], f["unit"]) for f in _figures(tables, "partner_list")] == [("5", "organisations")]


def test_a_list_of_contacts_yields_no_partners(tables: Any) -> None:
    assert len(_cells(tables, "partner_phones")) == 9
    assert [row for row in tables[0]["partners"] if row["doc_id"] == "partner_phones"] == []


def test_an_address_block_in_columns_is_no_table(tables: Any) -> None:
    assert _cells(tables, "contact_footer") == []
    lines = tables[1]["contact_footer"].splitlines()
    assert "Dienststelle Nord Dienststelle Süd Direktion Im Netz:" in lines  # its rows stay lines of their own
    assert _figures(tables, "contact_footer") == []


def test_a_table_on_a_scanned_page_is_seen_not_read(tables: Any) -> None:
    notes = {row["doc_id"]: row["text_notes"] for row in tables[0]["documents"]}
    assert "table seen on page 1, not read" in notes["scanned"].split("; ")
    assert _cells(tables, "scanned") == []
    assert not any("table seen" in note for doc, note in notes.items() if doc != "scanned")


def test_lines_ending_in_values_show_a_table() -> None:
    from pipeline.extract.tables import page_shows_table

    rows = "Bewerbungen insgesamt 1.719 1.802\n\ndavon Frauen 812 | 901\nEinstellungen 120 131 %\n"
    assert page_shows_table("Die Zahlen lauten wie folgt:\n" + rows)
    assert not page_shows_table("Die Zahlen lauten wie folgt:\n" + rows.replace("Einstellungen 120 131 %", "Ende."))
    phones = "Telefon 0211 855 3118\nTelefax 0211 855 3119\nTel. 0211 855 3120\n"
    assert not page_shows_table(phones)
    prose = "Die Zahl stieg von 2013 bis 2015 um 12 auf 140.\nSie lag 2016 bei 150 und\n2017 bei 160.\n"
    assert not page_shows_table(prose)


def test_a_two_column_list_of_partners_is_a_table_feeding_partners(tables: Any) -> None:
    text = tables[1]["pair_partners"]
    lines = ["Partner Beitritt", *(f"{name} {date}" for name, date in PAIR_ROWS)]
    block = "Partner der Initiative\n" + "\n".join(lines)
    assert block in text  # the caption, then each row a line of its own
    at = {line: text.index(line, text.index(block)) for line in lines}
    grid = [  # row, col, row header, column header, text, value
        (1, 1, "Stadt Bielefeld", "Partner", "Stadt Bielefeld", ""),
        (1, 2, "Stadt Bielefeld", "Beitritt", "26.03.2012", ""),
        (2, 1, "Kreisverwaltung Lippe", "Partner", "Kreisverwaltung Lippe", ""),
        (2, 2, "Kreisverwaltung Lippe", "Beitritt", "14.05.2013", ""),
        (3, 1, "Handwerkskammer zu Köln", "Partner", "Handwerkskammer zu Köln", ""),
        (3, 2, "Handwerkskammer zu Köln", "Beitritt", "März 2014", ""),
        (4, 1, "AWO Bezirksverband Mittelrhein e.V.", "Partner", "AWO Bezirksverband Mittelrhein e.V.", ""),
        (4, 2, "AWO Bezirksverband Mittelrhein e.V.", "Beitritt", "2016", "2016"),  # a year reads as a number
    ]
    expected = []
    for row, col, row_header, col_header, cell, value in grid:
        start = at[" ".join(PAIR_ROWS[row - 1])] + (0 if col == 1 else len(PAIR_ROWS[row - 1][0]) + 1)
        expected.append({"doc_id": "pair_partners", "table": "1", "page": "1", "row": str(row), "col": str(col),
                         "row_header": row_header, "col_header": col_header, "text": cell, "value": value,
                         "unit": "", "caption": "Partner der Initiative", "char_start": str(start),
                         "char_end": str(start + len(cell))})
    assert _cells(tables, "pair_partners") == expected
    partners = [row for row in tables[0]["partners"] if row["doc_id"] == "pair_partners"]
    head = text.index(block)  # evidence: from the caption to the end of the row
    canonical = [
        ("Stadt Bielefeld", "kommune", "2012-03-26"),
        ("Kreis Lippe", "kreis", "2013-05-14"),
        ("Handwerkskammer zu Köln", "kammer", "2014-03"),
        ("AWO Bezirksverband Mittelrhein e.V.", "verband", "2016"),
    ]
    want = []
    for (name, date), (partner, kind, iso) in zip(PAIR_ROWS, canonical, strict=True):
        start = at[f"{name} {date}"]
        end = start + len(name) + 1 + len(date)
        want.append({"doc_id": "pair_partners", "partner": partner, "mention": name, "partner_type": kind,
                     "date": iso, "evidence": text[head:end], "char_start": str(start),
                     "char_end": str(start + len(name)), "page": "1", "evidence_start": str(head),
                     "evidence_end": str(end)})
    assert partners == want
    assert want[0]["evidence"] == "Partner der Initiative\nPartner Beitritt\nStadt Bielefeld 26.03.2012"
    assert _figures(tables, "pair_partners") == []


def test_two_column_prose_with_numbers_ending_its_lines_is_no_table(tables: Any) -> None:
    assert _cells(tables, "prose_numbers") == []
    rows = 55  # on the page, each with a line of each column
    assert len(tables[1]["prose_numbers"].splitlines()) < rows  # nor are its rows cut into lines of their own


def test_a_letterhead_of_labels_and_values_is_no_table(tables: Any) -> None:
    assert _cells(tables, "letterhead") == []
    lines = tables[1]["letterhead"].splitlines()
    for block in LETTERHEAD:  # its rows are not cut into lines of their own: a block stays one paragraph
        assert " ".join(text for row in block for text in row) in lines
    assert _figures(tables, "letterhead") == []

