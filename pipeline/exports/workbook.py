"""The tables as one Excel workbook (`corpus/tables/corpus.xlsx`) for readers who open files in a spreadsheet.

One sheet per table, typed like the DuckDB tables it is written from (dates as dates, numbers as numbers, text as
text), header row frozen, filters on, long text wrapped. Every text cell is a string, even one starting with
`=`: a workbook has no formulas. The bytes depend only on the tables (fixed document properties and zip entry
times), so two runs on the same input write the same file.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from pipeline.atomic import write_atomic

FIXED_TIME = dt.datetime(2000, 1, 1)  # workbook properties: no clock in the bytes
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
WRAPPED_WIDTH = 60  # characters: columns holding long text are this wide and wrap
DATE_FORMAT = "yyyy-mm-dd"
# Characters XML 1.0 cannot carry (a form feed between pages, stray controls); shown as a space.
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # lone surrogates too


def xml_escape(text: str, more: tuple[tuple[str, str], ...] = ()) -> str:
    r"""`&`, `<` and `>` as XML entities, then the `more` replacements (str.replace: a few times faster than
    str.translate with a table of strings, and than xml.sax.saxutils, whose import pulls in http.client).

    >>> xml_escape("a<b & c\r", (("\r", "&#13;"),))
    'a&lt;b &amp; c&#13;'
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for old, new in more:
        text = text.replace(old, new)
    return text


_CARRIAGE_RETURN = (("\r", "&#13;"),)  # survives XML's line-end handling in cell text
_QUOTE = (('"', "&quot;"),)  # in an attribute in double quotes


def cell_text(text: str) -> str:
    """The text a workbook cell can hold: characters XML forbids become spaces, and a text longer than Excel's
    cell limit is cut with an ellipsis (the CSV has it whole).

    >>> cell_text("Seite 1\\fSeite 2")
    'Seite 1 Seite 2'
    """
    text = ILLEGAL.sub(" ", text)
    if len(text) <= MAX_CELL_CHARS // 2 or len(text.encode("utf-16-le")) // 2 <= MAX_CELL_CHARS:
        return text
    cut = MAX_CELL_CHARS - 1  # Excel counts UTF-16 units: a character beyond the BMP takes two
    while len(text[:cut].encode("utf-16-le")) // 2 > MAX_CELL_CHARS - 1:
        cut -= 1
    return text[:cut] + "…"


def column_width(name: str, values: Iterable[Any]) -> tuple[float, bool]:
    """Width of a column in characters, and whether its cells wrap (text longer than a wide column)."""
    longest = max([len(name), *(len(str(v)) for v in values if v is not None)])
    if longest > WRAPPED_WIDTH:
        return WRAPPED_WIDTH, True
    return max(8, longest + 2), False


def column_letter(index: int) -> str:
    """Excel's name of the 1-based column `index`.

    >>> column_letter(1), column_letter(26), column_letter(27), column_letter(703)
    ('A', 'Z', 'AA', 'AAA')
    """
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# Cell formats of styles.xml, by (is a date, wraps); 1 is the header's bold.
_HEADER = 1
_FORMATS = {(False, False): 2, (False, True): 3, (True, False): 4, (True, True): 5}
# Day 0 of Excel's 1900 date system as it counts from March 1900 on (it has a 1900-02-29, so earlier dates read a
# day off; the tables' dates start in 1950).
_EPOCH = dt.datetime(1899, 12, 30)


def _cell(ref: str, value: Any, wraps: bool) -> str:
    """One `<c>` element: text inline (never a formula, whatever it starts with), numbers as numbers, dates as
    day numbers shown as `DATE_FORMAT`; an empty value is no cell."""
    if value is None:
        return ""
    if type(value) is str:  # most cells, first
        return f'<c r="{ref}" s="{_FORMATS[False, wraps]}" t="inlineStr"><is>{_text(cell_text(value))}</is></c>'
    if isinstance(value, dt.date):
        moment = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
        days = (moment.replace(tzinfo=None) - _EPOCH) / dt.timedelta(days=1)
        number = int(days) if days == int(days) else repr(days)  # every digit: a day and its time of day
        return f'<c r="{ref}" s="{_FORMATS[True, wraps]}"><v>{number}</v></c>'
    style = _FORMATS[False, wraps]
    if isinstance(value, bool):
        return f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal) and math.isfinite(value):
        return f'<c r="{ref}" s="{style}"><v>{value}</v></c>'
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is>{_text(cell_text(str(value)))}</is></c>'


def _text(text: str) -> str:
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<t{space}>{xml_escape(text, _CARRIAGE_RETURN)}</t>"


def sheet_xml(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A worksheet: header row in bold and frozen, filters over every column, widths from the longest value,
    long text wrapped, every cell aligned to the top."""
    widths, wrapped = [], []
    for index, column in enumerate(columns):
        width, wraps = column_width(column, (row[index] for row in rows))
        widths.append(width)
        wrapped.append(wraps)
    letters = [column_letter(i) for i in range(1, len(columns) + 1)]
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{_MAIN}" xmlns:r="{_RELS}">'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
        'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
    ]
    if columns:
        parts.append("<cols>")
        parts.extend(f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>' for i, w in enumerate(widths, 1))
        parts.append("</cols>")
    parts.append('<sheetData><row r="1">')
    parts.extend(f'<c r="{letter}1" s="{_HEADER}" t="inlineStr"><is>{_text(cell_text(column))}</is></c>'
                 for letter, column in zip(letters, columns, strict=True))
    parts.append("</row>")
    for number, row in enumerate(rows, start=2):
        parts.append(f'<row r="{number}">')
        parts.extend(_cell(f"{letter}{number}", value, wraps)
                     for letter, value, wraps in zip(letters, row, wrapped, strict=True))
        parts.append("</row>")
    parts.append(f'</sheetData><autoFilter ref="{filter_range(columns, rows)}"/></worksheet>')
    return "".join(parts)


def filter_range(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    return f"A1:{column_letter(max(1, len(columns)))}{len(rows) + 1}"


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
    '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1">'
    '<alignment vertical="top"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def _package_parts(names: Sequence[str]) -> dict[str, str]:
    """Every part of the package but the worksheets: content types, relationships, workbook, styles and the
    document properties (fixed times: no clock in the bytes)."""
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(names) + 1)
    )
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "[Content_Types].xml": (
            f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{sheets}"
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'{_XML}<Relationships xmlns="{_PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{_RELS}/extended-properties" Target="docProps/app.xml"/>'
            "</Relationships>"
        ),
        "docProps/core.xml": (
            f'{_XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>nrw-iko-pipeline</dc:creator>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'
        ),
        "docProps/app.xml": (
            f'{_XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>nrw-iko-pipeline</Application></Properties>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{_XML}<Relationships xmlns="{_PACKAGE_RELS}">'
            + "".join(f'<Relationship Id="rId{i}" Type="{_RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in range(1, len(names) + 1))
            + f'<Relationship Id="rId{len(names) + 1}" Type="{_RELS}/styles" Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": _STYLES,
    }


def workbook_xml(sheets: Sequence[tuple[str, str]]) -> str:
    """The workbook part: its sheets by name, and each sheet's filter range as Excel records it."""
    names = "".join(f'<sheet name="{xml_escape(name, _QUOTE)}" sheetId="{i}" r:id="rId{i}"/>'
                    for i, (name, _) in enumerate(sheets, 1))
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{xml_escape(_sheet_reference(name, ref))}</definedName>"
        for i, (name, ref) in enumerate(sheets)
    )
    return (f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><bookViews><workbookView/></bookViews>'
            f"<sheets>{names}</sheets><definedNames>{filters}</definedNames></workbook>")


def _sheet_reference(name: str, ref: str) -> str:
    start, end = ref.split(":")
    absolute = [re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in (start, end)]
    return "'" + name.replace("'", "''") + "'!" + ":".join(absolute)


def sheet_names(tables: list[str]) -> list[str]:
    """Sheet names Excel accepts: at most 31 characters, none of []:*?/\\, and unique (a cut name that repeats
    gets a number).

    >>> sheet_names(["partners", "a/b", "x" * 40, "x" * 35])
    ['partners', 'a_b', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxx~2']
    """
    names: list[str] = []
    for table in tables:
        base = re.sub(r"[\[\]:*?/\\]", "_", table)[:31] or "sheet"
        name, number = base, 1
        while name.lower() in (n.lower() for n in names):
            number += 1
            name = f"{base[: 31 - len(str(number)) - 1]}~{number}"
        names.append(name)
    return names


def workbook_bytes(tables: Mapping[str, tuple[Sequence[str], Sequence[Sequence[Any]]]]) -> bytes:
    """The workbook of `tables` (name -> column names and rows of typed values), one sheet each, in order: the
    SpreadsheetML parts written directly (a tenth of the time of a general workbook library), zipped with fixed
    entry times."""
    names = sheet_names(list(tables))
    parts = _package_parts(names)
    parts["xl/workbook.xml"] = workbook_xml(
        [(name, filter_range(columns, rows)) for name, (columns, rows) in zip(names, tables.values(), strict=True)]
    )
    for i, (columns, rows) in enumerate(tables.values(), 1):
        parts[f"xl/worksheets/sheet{i}.xml"] = sheet_xml(columns, rows)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(parts, key=lambda n: (n != "[Content_Types].xml", n)):
            entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            archive.writestr(entry, parts[name].encode("utf-8"))
    return out.getvalue()


def write_workbook(tables: Mapping[str, tuple[Sequence[str], Sequence[Sequence[Any]]]], path: Path) -> Path:
    """Write the workbook atomically (a temporary file in the same folder, renamed into place)."""
    write_atomic(path, workbook_bytes(tables))
    return path
