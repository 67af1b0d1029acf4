"""A table's grid (`TextTable`, from the text stage) → its body cells with their headers, values and units.

- Column header: the header cells above a column, top level first, joined by " / "; a header cell wrapped onto
  the next header row (same columns) is one label ("Partei," + "Wählergruppe" → "Partei, Wählergruppe").
- Row header: the row's label (first column) with its parents joined by " / ": a "davon"/"darunter" row or an
  indented label belongs to the last row above it that is neither; a label-only row is a group heading over the
  rows below it (a row label wrapped onto a row of its own that starts in lower case continues the label above).
- Value: the number in contract form (German `1.719` → `1719`, `48,7` → `48.7`), empty when not a number.
- Unit: from the cell ("%"), else its column header, row header, or the caption's "in %", "in Euro", "in 1.000
  Euro": `percent` or `Euro`. Values stated in thousands or millions of Euro are normalised to Euro (the value
  multiplied; `text` keeps the number as printed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.extract.numbers import digits_to_value, value_to_text
from pipeline.models import compile_cached, load_json
from pipeline.records import TextTable

INDENT = 0.01  # page widths: a row label set this much further right than the first column is a sub-row


@lru_cache(maxsize=1)
def patterns() -> dict[str, re.Pattern[str]]:
    data = load_json("patterns/tables.json")
    return {key: compile_cached(value, re.I) for key, value in data.items() if not key.startswith("_")}


@dataclass(frozen=True)
class Cell:
    """A body cell: `row`, `col` 1-based within the table's body."""

    page: int
    row: int
    col: int
    text: str
    row_header: str
    col_header: str
    value: str
    unit: str
    grid_row: int  # the row in the table's grid (header rows included), for locating the cell in the text


def column_headers(table: TextTable) -> list[str]:
    """Each column's header path, top level first.

    >>> from pipeline.records import TableCell
    >>> t = TextTable(1, 3, 2, (TableCell(1, 0, 0, "Partei,", 0, 0, 0, 0), TableCell(1, 0, 1, "Stimmen", 0, 0, 0, 0,
    ...     2), TableCell(1, 1, 0, "Gruppe", 0, 0, 0, 0), TableCell(1, 1, 1, "absolut", 0, 0, 0, 0),
    ...     TableCell(1, 1, 2, "v. H.", 0, 0, 0, 0)))
    >>> column_headers(t)
    ['Partei, Gruppe', 'Stimmen / absolut', 'Stimmen / v. H.']
    """
    headers = []
    for col in range(table.columns):
        levels: list[tuple[int, int, str]] = []  # (first column, span, text)
        for cell in table.cells:
            if cell.row < table.header_rows and cell.col <= col < cell.col + cell.span:
                if levels and levels[-1][:2] == (cell.col, cell.span):
                    levels[-1] = (cell.col, cell.span, _wrapped(levels[-1][2], cell.text))
                else:
                    levels.append((cell.col, cell.span, cell.text))
        headers.append(" / ".join(text for _, _, text in levels))
    return headers


def _wrapped(first: str, second: str) -> str:
    """A label continued on the next line: a hyphen at a word break goes ("Beschäf-" + "tigte")."""
    if re.search(r"[^\W\d_]-$", first) and second[:1].islower():
        return first[:-1] + second
    return f"{first} {second}"


def row_headers(table: TextTable) -> dict[int, str]:
    """Grid row → the row header path of each row that has values."""
    body = [r for r in range(table.header_rows, 1 + max(c.row for c in table.cells))]
    labels = {c.row: c for c in table.cells if c.col == 0 and c.row >= table.header_rows}
    valued = {c.row for c in table.cells if c.col > 0 and c.row >= table.header_rows}
    left = min((c.x0 for c in labels.values()), default=0.0)
    sub_row = patterns()["sub_row"]
    out: dict[int, str] = {}
    group = parent = ""
    in_davon = False
    last = None
    for r in body:
        label = labels[r].text if r in labels else ""
        if r not in valued:  # a label-only row
            if last is not None and label[:1].islower() and not sub_row.match(label):
                out[last] = _wrapped(out[last], label)
            elif sub_row.match(label):
                in_davon = True
            elif label:
                group, parent, in_davon = label, "", False
            continue
        indented = r in labels and labels[r].x0 > left + INDENT
        if parent and (in_davon or indented or sub_row.match(label)):
            path = [group, parent, label]
        else:
            parent = label
            path = [group, label]
        out[r] = " / ".join(part for part in path if part)
        last = r
    return out


def cell_value(text: str) -> float | None:
    """The number in a cell ("1.719", "48,7 %", "−3"), None when it holds none (a dash, a word, a date)."""
    core = re.sub(r"\s*(%|€|Euro|EUR)$", "", text.strip(), flags=re.I).strip()
    sign = -1.0 if core[:1] in "-−–" and len(core) > 1 else 1.0
    value = digits_to_value(core.lstrip("+-−–").strip())
    return None if value is None else sign * value


def unit_of(*texts: str) -> tuple[str, float]:
    """(unit, factor) from the first text that states one: percent, or Euro (thousands, millions normalised).

    >>> unit_of("48,7 %"), unit_of("", "in 1.000 Euro"), unit_of("SPD", "Sitze")
    (('percent', 1.0), ('Euro', 1000.0), ('', 1.0))
    """
    p = patterns()
    for text in texts:
        if p["percent"].search(text):
            return "percent", 1.0
        if p["thousand_euro"].search(text):
            return "Euro", 1000.0
        if p["million_euro"].search(text):
            return "Euro", 1e6
        if p["euro"].search(text):
            return "Euro", 1.0
    return "", 1.0


def caption_unit(caption: str) -> str:
    """The unit statement of a caption ("Angaben in %"), not any number it happens to contain."""
    match = patterns()["caption_unit"].search(caption)
    return match.group(0) if match else ""


def table_to_cells(table: TextTable) -> list[Cell]:
    """The body cells of the rows that have values, in row-major order."""
    columns = column_headers(table)
    rows = row_headers(table)
    unit_note = caption_unit(table.caption)
    out: list[Cell] = []
    for number, r in enumerate(sorted(rows), start=1):
        for cell in sorted((c for c in table.cells if c.row == r), key=lambda c: c.col):
            header = columns[cell.col]
            value = cell_value(cell.text)
            unit, factor = unit_of(cell.text, header, rows[r], unit_note) if value is not None else ("", 1.0)
            out.append(Cell(cell.page, number, cell.col + 1, cell.text, rows[r], header,
                            value_to_text(value * factor) if value is not None else "", unit, r))
    return out
