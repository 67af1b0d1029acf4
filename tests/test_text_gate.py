"""The quality gate that decides whether a PDF page's text layer is used or the page is OCRed
(`pipeline.text.quality`, used by `pipeline.text.pdf.ocr_reasons`).

It must keep a good layer that is not prose (a listing, an XML format description, code, a table of
numbers: many words no German word list knows, but no sign of misreading), and it must catch a scan's poor
hidden OCR layer whose words are cut by spurious spaces ("Landgerich t Berli n"). Inputs are made here.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from pipeline.records import SourceFile
from pipeline.settings import Settings
from pipeline.text import layer_damage, source_to_raw_text, text_quality

# An invented XML format description: German element names abbreviated or transliterated (ae/oe/ue), code.
LISTING = """\
<Antrag xmlns="urn:xoev-de:beispiel:antrag:2.1">
  <AntragsId>A-2024-000123</AntragsId>
  <Antragsteller>
    <Nachname>Mustermann</Nachname> <Vorname>Erika</Vorname>
    <GebDat>1970-01-31</GebDat> <StrHausNr>Beispielweg 12a</StrHausNr> <PLZ>12345</PLZ>
  </Antragsteller>
  <Aenderungsgrund code="02">Umzug</Aenderungsgrund>
  <Gueltigkeit von="2024-01-01" bis="2024-12-31"/>
  <Schluessel typ="AGS">11000000</Schluessel>
</Antrag>
Element Kard. Typ Erlaeuterung
AntragsId 1 String eindeutige Kennung
GebDat 0..1 Date Geburtsdatum
StrHausNr 0..1 String Strasse und Hausnummer
Aenderungsgrund 1 Code Schluesselliste aenderungsgruende
Gueltigkeit 0..1 Zeitraum Gueltigkeitszeitraum
Schluessel 1 Code AGS Schluessel nach Gemeindeverzeichnis
Codeliste aenderungsgruende: 01 Neuantrag 02 Umzug 03 Namensaenderung 04 Korrektur 05 Storno
Werte: ja nein unbekannt keineAngabe
xpath: /Antrag/Antragsteller/GebDat
regex: [0-9]{5}
maxLength 35 minLength 1 pattern fractionDigits totalDigits enumeration
xsd string xsd date xsd decimal xsd boolean xsd token xsd normalizedString
def lese_antrag(pfad):
    baum = etree.parse(pfad); wurzel = baum.getroot()
    return {knoten.tag: knoten.text for knoten in wurzel.iterchildren()}
SELECT antrags_id, geb_dat FROM antraege WHERE gueltig_ab >= '2024-01-01' ORDER BY antrags_id;
"""

NUMBERS = "\n".join(f"{2010 + i} {1234 + 17 * i} {56.7 + i:.1f} % {3 * i} {98765 - 123 * i}" for i in range(40))

# Invented German prose (a made-up court notice), for the scanned page.
PROSE = [
    "Das Amtsgericht Musterstadt hat in der Sache des Vereins für Ortsgeschichte",
    "gegen die Gemeinde Beispielhausen durch die Richterin am Amtsgericht entschieden:",
    "Die Beklagte wird verurteilt, dem Kläger die begehrten Unterlagen zugänglich zu machen.",
    "Die Kosten des Rechtsstreits trägt die Beklagte. Das Urteil ist vorläufig vollstreckbar.",
    "Die Entscheidung beruht auf dem Anerkenntnis der Beklagten in der mündlichen Verhandlung.",
    "Gegen dieses Urteil ist die Berufung zulässig, wenn der Wert des Beschwerdegegenstandes",
    "sechshundert Euro übersteigt. Die Berufung ist binnen einer Notfrist von einem Monat",
    "schriftlich bei dem Landgericht einzulegen. Die Frist beginnt mit der Zustellung.",
    "Der Kläger hat zuvor vergeblich versucht, die Unterlagen bei der Verwaltung einzusehen,",
    "und sich danach an das Gericht gewandt. Die Gemeinde hat den Anspruch nun anerkannt.",
]


def split_words(line: str) -> str:
    """A poor OCR layer's reading of a line: every word of six or more letters loses its last letter to a
    spurious space ("Amtsgerich t")."""
    return re.sub(r"\b([^\W\d_]{5,})([^\W\d_])\b", r"\1 \2", line)


# ---------------------------------------------------------------- on text


def test_listing_with_unknown_identifiers_is_not_damage() -> None:
    assert layer_damage(LISTING) == ""


def test_table_of_numbers_has_no_prose_to_judge() -> None:
    assert layer_damage(NUMBERS) is None


def test_split_words_are_damage() -> None:
    damaged = "\n".join(split_words(line) for line in PROSE)
    assert layer_damage("\n".join(PROSE)) == ""
    reason = layer_damage(damaged)
    assert reason and "split by spurious spaces" in reason
    assert text_quality(damaged) < text_quality("\n".join(PROSE)) - 0.2


def test_word_pairs_that_are_also_a_compound_are_not_split_words() -> None:
    text = " ".join(["Er kam in dem Moment zu Hause an, so dass wir an Hand der Akte im Stande waren."] * 6)
    assert layer_damage(text) == ""


def test_ocr_damage_that_looks_like_camel_case_still_counts() -> None:
    """A lost ß read as B ("MaBnahmen") or ü as U ("darUber") is damage, not an identifier."""
    text = " ".join(["Die MaBnahmen wurden darUber hinaus regelmaBig mit den Behorden abgestimmt."] * 6)
    reason = layer_damage(text)
    assert reason and "lost umlauts" in reason


def test_digits_read_for_letters_are_damage() -> None:
    text = " ".join(["Die Ver0rdnung ist 1n der 0ffentlichen Verwaltung anzuwenden und gilt fur alle."] * 6)
    reason = layer_damage(text)
    assert reason and "digits for letters" in reason


# ---------------------------------------------------------------- through the PDF text stage


def _source(name: str, data: bytes) -> SourceFile:
    return SourceFile(Path(name).stem, name, name, "1" * 64, "pdf", len(data))


def _listing_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(595, 842))
    c.setFont("Courier", 9)
    for i, line in enumerate(LISTING.splitlines()):
        c.drawString(40, 800 - 12 * i, line)
    c.showPage()
    c.save()
    return buffer.getvalue()


def test_listing_layer_is_used_not_ocred(tmp_path: Path) -> None:
    data = _listing_pdf()
    raw = source_to_raw_text(_source("format.pdf", data), data, Settings(clean_dir=tmp_path))
    assert [page.source for page in raw.pages] == ["text_layer"]
    assert "<AntragsId>A-2024-000123</AntragsId>" in raw.pages[0].text


def _scan_with_poor_layer() -> bytes:
    """A page image of `PROSE` with a hidden (render mode 3) text layer whose words are split."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    def lines(c: Any, texts: list[str], invisible: bool) -> None:
        for i, line in enumerate(texts):
            text = c.beginText(60, 760 - 20 * i)
            text.setFont("Helvetica", 12)
            text.setTextRenderMode(3 if invisible else 0)
            text.textLine(line)
            c.drawText(text)

    clean = io.BytesIO()
    c = canvas.Canvas(clean, pagesize=(595, 842))
    lines(c, PROSE, invisible=False)
    c.save()
    image = pdfium.PdfDocument(clean.getvalue())[0].render(scale=300 / 72, grayscale=True).to_pil().convert("L")
    scan = io.BytesIO()
    c = canvas.Canvas(scan, pagesize=(595, 842))
    c.drawImage(ImageReader(image), 0, 0, width=595, height=842)
    lines(c, [split_words(line) for line in PROSE], invisible=True)
    c.save()
    return scan.getvalue()


def test_scan_with_poor_ocr_layer_is_ocred_and_reads_better(tmp_path: Path) -> None:
    """The real engine: the split layer is judged damaged, the page is OCRed, the words come back whole."""
    data = _scan_with_poor_layer()
    raw = source_to_raw_text(_source("scan.pdf", data), data, Settings(clean_dir=tmp_path))
    page = raw.pages[0]
    assert page.source == "ocr" and "split by spurious spaces" in page.note
    assert "Amtsgericht Musterstadt" in page.text and "Amtsgerich t" not in page.text
    layer = "\n".join(split_words(line) for line in PROSE)
    assert text_quality(page.text) > text_quality(layer) + 0.2
