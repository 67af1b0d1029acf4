"""Table cells as rows of table_cells.csv, located in the clean text, and the figures they hold.

Figures from a table (the rule): a body cell after the label column whose value is a number becomes a figures
row unless
- its column header, its row header or the caption names page, phone, postal or document numbers, dates or
  times (`no_figures` in `models/patterns/tables.json`): such tables hold no counts;
- it is a year (a column of bare years), or an amount of money (unit Euro): not a count or a share;
- it was not found in the clean text (a figure needs its offsets).
Its unit is `percent` when the cell's unit is, else the unit of the first counted noun in the column header, the
row header or the caption (`figures.noun_to_unit`: Personen → persons), else `other`. The measure is the column
header without its unit-only levels ("v. H.", "absolut", "in %"); when that is a year or empty, the row header is
the measure, otherwise the row header is the subject. The year is the first year in the column header, the row
header or the caption. Evidence: the clean text from the table's caption (or its first header cell) to the end of
the cell's row, so it holds caption, headers and cell (only the row when that would exceed `MAX_EVIDENCE`);
char_start/char_end point at the cell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.extract.base import DocContext
from pipeline.extract.figures import noun_to_unit
from pipeline.extract.tables.cells import Cell, patterns, table_to_cells
from pipeline.extract.tables.partners import evidence_span, table_to_partners
from pipeline.extract.tables.scanned import scanned_table_notes
from pipeline.models import compile_cached
from pipeline.records import FigureRow, PartnerRow, RawText, TableCellRow, TextTable

MAX_EVIDENCE = 600  # characters
WINDOW = 4000  # characters after the previous cell within which the next one is looked for


@dataclass(frozen=True)
class TableFacts:
    """What a document's tables give: their cells, figures, partners and extents in the text."""

    cells: tuple[TableCellRow, ...]
    figures: tuple[FigureRow, ...]
    spans: tuple[tuple[int, int], ...]  # each located table's extent in the clean text
    partners: tuple[PartnerRow, ...] = ()  # the rows of tables that list partners (`partners`)
    notes: tuple[str, ...] = ()  # tables seen on scanned pages, not read (`scanned`)


def extract_tables(ctx: DocContext, raw: RawText) -> TableFacts:
    rows: list[TableCellRow] = []
    figures: list[FigureRow] = []
    spans: list[tuple[int, int]] = []
    partners: list[PartnerRow] = []
    for number, table in enumerate(raw.tables, start=1):
        cells = table_to_cells(table)
        found = locate(ctx, table, cells)
        for cell in cells:
            start, end = found.get((cell.grid_row, cell.col), (None, None))
            rows.append(TableCellRow(ctx.doc_id, number, cell.page, cell.row, cell.col, cell.row_header,
                                     cell.col_header, cell.text, cell.value, cell.unit, table.caption, start, end))
        caption = found.pop((-1, 0), None)
        if found:
            spans.append((min(s for s, _ in found.values()), max(e for _, e in found.values())))
            head = caption[0] if caption else spans[-1][0]
            figures += [f for cell in cells if (f := cell_to_figure(ctx, table, cell, found, head)) is not None]
            partners += table_to_partners(ctx, table, cells, found, head, MAX_EVIDENCE)
    return TableFacts(tuple(rows), tuple(figures), tuple(spans), tuple(partners), scanned_table_notes(raw.pages))


def outside_tables(figures: Sequence[FigureRow], spans: Sequence[tuple[int, int]]) -> tuple[FigureRow, ...]:
    """The figures read from running text that do not lie inside a table (a table's figures come from its
    cells, with their headers)."""
    return tuple(f for f in figures if not any(start <= f.char_start < end for start, end in spans))


def _pattern_of(words: str) -> re.Pattern[str]:
    return compile_cached(r"\s+".join(re.escape(word) for word in words.split()))


def locate(ctx: DocContext, table: TextTable, cells: Sequence[Cell]) -> dict[tuple[int, int], tuple[int, int]]:
    """(grid row, 1-based column) → offsets of the caption (-1, 0), the header and the body cells in the clean
    text, found in reading order from the table's page on; a cell not found is left out (the cursor stays)."""
    text = ctx.text
    starts = ctx.clean.page_starts
    cursor = starts[table.page - 1] if 0 < table.page <= len(starts) else 0
    wanted = [(-1, 0, table.caption)]  # the caption first: a header's words may also be in it
    wanted += [(c.row, c.col + 1, c.text) for c in table.cells if c.row < table.header_rows]
    wanted += [(c.grid_row, c.col, c.text) for c in cells]
    found: dict[tuple[int, int], tuple[int, int]] = {}
    for row, col, words in wanted:
        if not words.strip():
            continue
        match = _pattern_of(words).search(text, cursor, cursor + WINDOW + len(words))
        if match:
            found[(row, col)] = (match.start(), match.end())
            cursor = match.end()
    return found


def _measure(col_header: str) -> str:
    levels = [level for level in col_header.split(" / ") if not patterns()["unit_level"].match(level.strip())]
    cleaned = [re.sub(r"\s*\(?(in\s+)?(%|v\.\s?H\.|Prozent)\)?$", "", level).strip() for level in levels]
    return " / ".join(level for level in cleaned if level)


def _year(*texts: str) -> str:
    for text in texts:
        match = patterns()["year"].search(text)
        if match:
            return match.group(0)
    return ""


def _count_unit(*texts: str) -> str:
    for text in texts:
        for word in re.findall(r"[^\W\d_][\w-]+", text):
            unit = noun_to_unit(word)
            if unit:
                return unit
    return "other"


def cell_to_figure(
    ctx: DocContext, table: TextTable, cell: Cell, found: dict[tuple[int, int], tuple[int, int]], head: int
) -> FigureRow | None:
    """The figure a body cell holds, or None (see the rule in the module doc)."""
    span = found.get((cell.grid_row, cell.col))
    if cell.col == 1 or not cell.value or cell.unit == "Euro" or span is None:
        return None
    if any(patterns()["no_figures"].search(t) for t in (cell.col_header, cell.row_header, table.caption)):
        return None
    if re.fullmatch(r"(19|20)\d\d", cell.text.strip()):
        return None
    measure = _measure(cell.col_header)
    if not measure or re.fullmatch(r"(19|20)\d\d", measure):
        measure, subject = cell.row_header, ""
    else:
        subject = cell.row_header
    unit = "percent" if cell.unit == "percent" else _count_unit(cell.col_header, cell.row_header, table.caption)
    start, end = span
    ev_start, ev_end = evidence_span(ctx.text, head, start, end, MAX_EVIDENCE)
    return FigureRow(
        ctx.doc_id, cell.value, unit, "", measure, subject,
        _year(cell.col_header, cell.row_header, table.caption), cell.text, ctx.text[ev_start:ev_end],
        start, end, ctx.page(start), ev_start, ev_end,
    )
