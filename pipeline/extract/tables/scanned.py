"""Tables on scanned pages: seen, not read.

Tesseract gives a scanned table's rows as lines of text (often losing a row to the ruling, or a cell to a "|"), not
as cells, so a table on an OCR page is not read into table_cells; the document's `text_notes` says where one was
seen instead: "table seen on page N, not read". A page shows a table when at least `MIN_ROWS` lines in a row end
in at least two values (numbers, shares, or a dash or bar standing for an empty or lost cell) after their label,
and the line's words do not name phone, page or file numbers (`no_figures` in `models/patterns/tables.json`:
a block of phone numbers is no table of values).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from pipeline.extract.tables.cells import patterns
from pipeline.models import compile_cached
from pipeline.records import DocumentRow, PageText

MIN_ROWS = 3  # lines in a row that end in values
MIN_VALUES = 2  # values at the end of such a line
_VALUE = compile_cached(r"[+\-−–]?\d[\d.,]*%?|%|[-–—|]")


def trailing_values(line: str) -> int:
    """How many values a line ends in (0 unless one of them is a number).

    >>> trailing_values("Finanzministerium 845 101 12,0"), trailing_values("Sozialministerium 630 | 15,7 %")
    (3, 4)
    >>> trailing_values("Die Zahl stieg von 2013 bis 2015"), trailing_values("- | -")
    (1, 0)
    """
    count = 0
    has_number = False
    for token in reversed(line.split()):
        if not _VALUE.fullmatch(token):
            break
        count += 1
        has_number = has_number or any(ch.isdigit() for ch in token)
    return count if has_number else 0


def page_shows_table(text: str) -> bool:
    """Whether a page's text has `MIN_ROWS` lines in a row (blank lines aside) that end in values."""
    no_figures = patterns()["no_figures"]
    run = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        is_row = trailing_values(line) >= MIN_VALUES and not no_figures.search(line)
        run = run + 1 if is_row else 0
        if run >= MIN_ROWS:
            return True
    return False


def scanned_table_notes(pages: Sequence[PageText]) -> tuple[str, ...]:
    """A note for each OCR page that shows a table."""
    return tuple(f"table seen on page {page.number}, not read" for page in pages
                 if page.source == "ocr" and page_shows_table(page.text))


def with_table_notes(document: DocumentRow, notes: Sequence[str]) -> DocumentRow:
    """The document row with the tables' notes added to its `text_notes`."""
    if not notes:
        return document
    return replace(document, text_notes="; ".join(n for n in (document.text_notes, *notes) if n))
