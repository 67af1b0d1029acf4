"""The tables as one Excel workbook (`corpus/tables/corpus.xlsx`) for readers who open files in a spreadsheet.

One sheet per table, typed like the DuckDB tables it is written from (dates as dates, numbers as numbers, text as
text), header row frozen, filters on, long text wrapped. Every text cell is a string, even one starting with
`=`: a workbook has no formulas. The bytes depend only on the tables (fixed document properties and zip entry
times), so two runs on the same input write the same file.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pipeline.atomic import write_atomic

WORKBOOK_NAME = "corpus.xlsx"
FIXED_TIME = dt.datetime(2000, 1, 1)  # workbook properties: no clock in the bytes
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
WRAPPED_WIDTH = 60  # characters: columns holding long text are this wide and wrap
DATE_FORMAT = "yyyy-mm-dd"
# Characters XML 1.0 cannot carry (a form feed between pages, stray controls); shown as a space.
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def cell_text(text: str) -> str:
    """The text a workbook cell can hold: characters XML forbids become spaces, and a text longer than Excel's
    cell limit is cut with an ellipsis (the CSV has it whole).

    >>> cell_text("Seite 1\\fSeite 2")
    'Seite 1 Seite 2'
    """
    text = ILLEGAL.sub(" ", text)
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"


def column_width(name: str, values: Iterable[Any]) -> tuple[float, bool]:
    """Width of a column in characters, and whether its cells wrap (text longer than a wide column)."""
    longest = max([len(name), *(len(str(v)) for v in values if v is not None)])
    if longest > WRAPPED_WIDTH:
        return WRAPPED_WIDTH, True
    return max(8, longest + 2), False


def _sheet(workbook: Any, name: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title=name[:31])
    wrapped = []
    for index, column in enumerate(columns, start=1):
        width, wraps = column_width(column, (row[index - 1] for row in rows))
        sheet.column_dimensions[get_column_letter(index)].width = width
        wrapped.append(wraps)
    sheet.freeze_panes = "A2"
    last = get_column_letter(max(1, len(columns)))
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    bold, wrap, top = Font(bold=True), Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for value, wraps in zip(row, wrapped, strict=True):
            cell = WriteOnlyCell(sheet, value=None)
            if isinstance(value, str):
                cell.value = cell_text(value)
                cell.data_type = "s"  # never a formula, whatever the text starts with
            elif isinstance(value, dt.date):
                cell.value = value
                cell.number_format = DATE_FORMAT
            else:
                cell.value = value
            cell.alignment = wrap if wraps else top
            cells.append(cell)
        sheet.append(cells)


def zip_without_clock(data: bytes) -> bytes:
    """The same zip with every entry's time fixed and entries in a stable order (openpyxl stamps the clock)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def workbook_bytes(tables: Mapping[str, tuple[Sequence[str], Sequence[Sequence[Any]]]]) -> bytes:
    """The workbook of `tables` (name -> column names and rows of typed values), one sheet each, in order."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    workbook = Workbook(write_only=True)
    props = workbook.properties
    props.creator = "nrw-iko-pipeline"
    props.created = props.modified = FIXED_TIME
    props.lastModifiedBy = None
    for name, (columns, rows) in tables.items():
        _sheet(workbook, name, columns, rows)
    buffer = io.BytesIO()
    # ExcelWriter rather than workbook.save, which stamps the clock into the `modified` property.
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return zip_without_clock(buffer.getvalue())


def write_workbook(tables: Mapping[str, tuple[Sequence[str], Sequence[Sequence[Any]]]], path: Path) -> Path:
    """Write the workbook atomically (a temporary file in the same folder, renamed into place)."""
    write_atomic(path, workbook_bytes(tables))
    return path
