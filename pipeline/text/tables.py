"""Tables on a born-digital page, found from the pieces its lines are cut into (no second parse of the page).

`words.py` cuts a line into pieces at a column gutter and at the space between table cells, so a table shows
itself as rows of several pieces whose x-ranges line up:

1. `pieces_to_rows`: the page's pieces grouped into visual rows (vertical overlap), top to bottom.
2. `has_table_geometry`: at least `MIN_ROWS` rows of `MIN_CELLS` pieces or more. Every other page stops
   here: prose, even set in two columns, has at most two pieces per row.
3. `rows_to_tables`: in each stretch of rows set close together, the rows with the most pieces give the
   column bands (the union of their pieces' x-ranges) and must fall one piece per band, or it is no table
   (two columns of justified prose with a wide word space here and there do not line up). Neighbouring rows
   join while their pieces fit the bands: header rows above (a header cell may span several columns:
   multi-level headers), rows with empty cells and wrapped row labels below. The header rows are the leading
   rows without a number other than a year; the caption is the line just above when it reads as one
   (`models/patterns/tables.json`; of a line of prose ending "… wie folgt:", its last sentence).
4. `has_consistent_column` (in `join_continued`): a table's body has a column after the first whose cells are
   mostly of one kind (numbers, words, codes such as phone numbers or dates, words with numbers), or it is no
   table: an address block set in columns (a letterhead, a contact footer: name, street, postcode and town,
   phone, e-mail) is a row of cards, each column mixing kinds, where a real table's columns each hold one kind
   of value. Its rows still become lines of their own.
5. `join_continued`: a table at the top of a page with the same columns as the table at the foot of the page
   before continues it (a repeated header is dropped).

Ruling lines are not read: a ruled table is found by its cells' text like an unruled one. A table of two
columns (a label and one value) is not taken for a table: two aligned pieces per row are too common in
letters and forms (label: value) to tell apart from prose layout.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from pipeline.models import load_json
from pipeline.records import TableCell, TextTable
from pipeline.text.furniture import Line

MIN_CELLS = 3  # a table has rows of at least this many pieces ...
MIN_ROWS = 2  # ... and at least this many of them line up
ROW_GAP = 1.6  # a vertical gap of more than this many row heights ends a stretch of rows
NEAR = 0.03  # page widths: a piece in no band joins the nearest one within this distance
MAX_HEADER_ROWS = 4
CAPTION_GAP = 2.5  # row heights: the caption sits at most this far above the table
FOOT, HEAD = 0.55, 0.35  # a continued table ends below FOOT on its page and goes on above HEAD on the next
_NUMBER = re.compile(r"^[+-−–]?\d[\d.,  ]*\s*%?$")
_YEAR = re.compile(r"^(19|20)\d\d$")
_SENTENCE_START = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ])")
_SYMBOLS = re.compile(r"^[^\w(+\-–]+|\W+$")  # leading symbols and trailing punctuation
_CODE = re.compile(r"^[\d\s./:()+\-–]+$")  # digits and separators: phone numbers, dates, times, file numbers

Row = list[Line]
Band = tuple[float, float]


@lru_cache(maxsize=1)
def _caption() -> re.Pattern[str]:
    return re.compile(load_json("patterns/tables.json")["caption"], re.I)


def pieces_to_rows(pieces: Sequence[Line]) -> list[Row]:
    """Pieces on one visual row (overlapping vertically by half the lower one), rows top to bottom, each row
    left to right."""
    rows: list[Row] = []
    for piece in sorted(pieces, key=lambda p: (p.top, p.x0)):
        if rows and _same_row(rows[-1][0], piece):
            rows[-1].append(piece)
        else:
            rows.append([piece])
    return [sorted(row, key=lambda p: p.x0) for row in rows]


def _same_row(a: Line, b: Line) -> bool:
    return min(a.bottom, b.bottom) - max(a.top, b.top) >= 0.5 * min(a.bottom - a.top, b.bottom - b.top)


def has_table_geometry(rows: Sequence[Row]) -> bool:
    """Whether a page may hold a table: at least `MIN_ROWS` rows of `MIN_CELLS` pieces or more."""
    return sum(1 for row in rows if len(row) >= MIN_CELLS) >= MIN_ROWS


def find_tables(pieces: Sequence[Line], page: int) -> tuple[TextTable, ...]:
    """The blocks of aligned rows on a page, from its pieces (as `words.page_items` gives them); () on most pages,
    cheaply. Each row of a block is a line of its own (`rows_to_paragraphs`); only the blocks that
    `has_consistent_column` are tables (`join_continued` keeps those)."""
    rows = pieces_to_rows(pieces)
    if not has_table_geometry(rows):
        return ()
    return tuple(rows_to_tables(rows, page))


def rows_to_tables(rows: Sequence[Row], page: int) -> list[TextTable]:
    tables: list[TextTable] = []
    for stretch in _stretches(rows):
        start = 0
        while start < len(stretch):
            found = _table_in(stretch, start)
            if found is None:
                break
            first, last, bands = found
            caption = _caption_above(rows, stretch[first])
            tables.append(_to_table(stretch[first : last + 1], bands, caption, page))
            start = last + 1
    return tables


def _height(row: Row) -> float:
    return max(p.bottom for p in row) - min(p.top for p in row)


def _stretches(rows: Sequence[Row]) -> list[list[Row]]:
    """Runs of rows whose vertical gaps stay within `ROW_GAP` row heights."""
    out: list[list[Row]] = []
    for row in rows:
        if out:
            prev = out[-1][-1]
            gap = min(p.top for p in row) - max(p.bottom for p in prev)
            if gap <= ROW_GAP * max(_height(prev), _height(row)):
                out[-1].append(row)
                continue
        out.append([row])
    return out


def _table_in(stretch: list[Row], start: int) -> tuple[int, int, list[Band]] | None:
    """The first table at or after `start`: (first row, last row, column bands), or None."""
    wide = [i for i in range(start, len(stretch)) if len(stretch[i]) >= MIN_CELLS]
    while len(wide) >= MIN_ROWS:
        counts = sorted((len(stretch[i]) for i in wide), reverse=True)
        k = counts[MIN_ROWS - 1]  # the most pieces that MIN_ROWS rows have
        anchors = [i for i in wide if len(stretch[i]) == k]
        bands = _union([p for i in anchors for p in stretch[i]])
        if len(bands) == k:
            first, last = _grow(stretch, anchors[0], bands, start)
            if sum(1 for i in anchors if first <= i <= last) >= MIN_ROWS:
                return first, last, bands
        wide = wide[1:]  # the first candidate row does not line up: try from the next one
    return None


def _union(pieces: Sequence[Line]) -> list[Band]:
    bands: list[list[float]] = []
    for x0, x1 in sorted((p.x0, p.x1) for p in pieces):
        if bands and x0 < bands[-1][1]:
            bands[-1][1] = max(bands[-1][1], x1)
        else:
            bands.append([x0, x1])
    return [(a, b) for a, b in bands]


def _bands_of(piece: Line, bands: Sequence[Band]) -> list[int]:
    """The bands a piece overlaps, or the nearest one within `NEAR`."""
    hits = [i for i, (a, b) in enumerate(bands) if min(b, piece.x1) - max(a, piece.x0) > 0]
    if hits:
        return hits
    distance, nearest = min((max(a - piece.x1, piece.x0 - b), i) for i, (a, b) in enumerate(bands))
    return [nearest] if distance <= NEAR else []


def _fits(row: Row, bands: Sequence[Band], header: bool) -> bool:
    """A body row has at most one piece per band, within the bands. A header row's pieces may each span
    several bands and reach beyond the last one (a header centred over a narrow column of numbers); a single
    piece is a header only over columns of values (a title or a line of prose starts in the first column)."""
    right = (row[-1].x0 + row[-1].x1) / 2 if header else row[-1].x1
    if row[0].x0 < bands[0][0] - NEAR or right > bands[-1][1] + NEAR:
        return False
    taken: list[int] = []
    for piece in row:
        hits = _bands_of(piece, bands)
        if not hits or (len(hits) > 1 and not header) or (taken and hits[0] <= taken[-1]):
            return False
        taken.extend(hits)
    return not header or len(row) > 1 or taken[0] > 0


def _grow(stretch: list[Row], anchor: int, bands: list[Band], start: int) -> tuple[int, int]:
    """The rows around an anchor row that fit its bands: header rows above, body rows (and a row label
    wrapped onto a row of its own) below."""
    last = anchor
    i = anchor + 1
    while i < len(stretch):
        if _fits(stretch[i], bands, header=False) and len(stretch[i]) > 1:
            last = i
        elif not (len(stretch[i]) == 1 and _bands_of(stretch[i][0], bands) == [0]):
            break
        i += 1
    first = anchor
    while first - 1 >= start and anchor - first < MAX_HEADER_ROWS and _fits(stretch[first - 1], bands, header=True):
        first -= 1
    return first, last


def _caption_above(rows: Sequence[Row], top_row: Row) -> str:
    """The row just above a table when it is close and reads as a caption ("Tabelle 3: …", "… wie folgt:")."""
    index = next(i for i, row in enumerate(rows) if row is top_row)
    if index == 0:
        return ""
    above = rows[index - 1]
    if min(p.top for p in top_row) - max(p.bottom for p in above) > CAPTION_GAP * _height(top_row):
        return ""
    text = " ".join(p.text.strip() for p in above)
    match = _caption().search(text)
    if match is None:
        return ""
    # a sentence that introduces the table ("… wie folgt:") ends a line of prose: the caption is that sentence
    return _SENTENCE_START.split(text)[-1] if match.start() > 0 else text


def is_number(text: str) -> bool:
    """A cell that holds a number (not a year).

    >>> is_number("1.719"), is_number("48,7 %"), is_number("2019"), is_number("SPD")
    (True, True, False, False)
    """
    text = text.strip()
    return bool(_NUMBER.match(text)) and not _YEAR.match(text)


def cell_kind(text: str) -> str:
    """The kind of value a cell holds: number (years too), code (digits and separators), text, or words and
    numbers, by which comes first (a symbol before a phone number, ☎ or ✉, is no part of it).

    >>> [cell_kind(t) for t in ("1.719", "2019", "\uf028 0211 837-1234", "14:30", "SPD", "30453 Hannover")]
    ['number', 'number', 'code', 'code', 'text', 'number words']
    >>> cell_kind("Am Sportplatz 23"), cell_kind("Juni 2014")
    ('words number', 'words number')
    """
    text = _SYMBOLS.sub("", text)
    if _NUMBER.match(text):
        return "number"
    if _CODE.match(text):
        return "code"
    if not any(ch.isdigit() for ch in text):
        return "text"
    return "number words" if text[0].isdigit() else "words number"


def has_consistent_column(table: TextTable) -> bool:
    """Whether a column after the first, filled in at least half the body rows, holds one kind of value in more
    than half of its filled cells (see step 4 in the module doc)."""
    body = [c for c in table.cells if c.row >= table.header_rows and c.text.strip()]
    rows = len({c.row for c in body})
    for col in range(1, table.columns):
        kinds = [cell_kind(c.text) for c in body if c.col == col]
        if len(kinds) >= 2 and 2 * len(kinds) >= rows and 2 * max(kinds.count(k) for k in set(kinds)) > len(kinds):
            return True
    return False


def _to_table(rows: list[Row], bands: list[Band], caption: str, page: int) -> TextTable:
    cells: list[TableCell] = []
    for r, row in enumerate(rows):
        for piece in row:
            hits = _bands_of(piece, bands) or [0]
            cell = TableCell(page, r, hits[0], piece.text.strip(), piece.x0, piece.x1, piece.top, piece.bottom,
                             len(hits))
            if cells and cells[-1].row == r and cells[-1].col + cells[-1].span > hits[0]:
                cells[-1] = replace(cells[-1], text=f"{cells[-1].text} {cell.text}", x1=piece.x1)
            else:
                cells.append(cell)
    return TextTable(page, len(bands), _header_rows(cells, len(rows)), tuple(cells), caption)


def _header_rows(cells: Sequence[TableCell], rows: int) -> int:
    """The leading rows without a number (years are headers) in a column after the first."""
    for r in range(rows):
        if any(c.row == r and c.col > 0 and is_number(c.text) for c in cells):
            return r
    return min(1, rows - 1)


# ---------------------------------------------------------------- tables across pages


def _columns(table: TextTable) -> list[Band]:
    body = [c for c in table.cells if c.row >= table.header_rows and c.span == 1]
    return [
        (min(c.x0 for c in cells), max(c.x1 for c in cells)) if cells else (0.0, 0.0)
        for cells in ([c for c in body if c.col == k] for k in range(table.columns))
    ]


def _header_texts(table: TextTable) -> list[str]:
    return [c.text for c in table.cells if c.row < table.header_rows]


def continues(before: TextTable, after: TextTable) -> bool:
    """Whether `after` (first table of a page) goes on with `before` (last table of the page before): at the
    foot and the top of the pages, the same columns, no header or the same one again."""
    if after.page != max(c.page for c in before.cells) + 1 or before.columns != after.columns:
        return False
    if max(c.bottom for c in before.cells) < FOOT or min(c.top for c in after.cells) > HEAD:
        return False
    if after.header_rows and _header_texts(after) != _header_texts(before):
        return False
    pairs = zip(_columns(before), _columns(after), strict=True)
    return all(min(b1, a1) - max(b0, a0) > 0 for (b0, b1), (a0, a1) in pairs)


def join_continued(tables: Sequence[TextTable]) -> tuple[TextTable, ...]:
    """The tables among the pages' blocks (`has_consistent_column`), in page order, each continued table joined
    with its parts on the following pages."""
    out: list[TextTable] = []
    for table in filter(has_consistent_column, tables):
        if out and continues(out[-1], table):
            before = out[-1]
            shift = max(c.row for c in before.cells) + 1 - table.header_rows
            more = tuple(replace(c, row=c.row + shift) for c in table.cells if c.row >= table.header_rows)
            out[-1] = replace(before, cells=before.cells + more)
        else:
            out.append(table)
    return tuple(out)


# ---------------------------------------------------------------- the page's lines


def rows_to_paragraphs(lines: list[Line], tables: Sequence[TextTable]) -> list[Line]:
    """Each row of a table becomes a paragraph of its own (one line of the clean text), and so does the line
    after the table, so a table row never runs into a sentence."""
    if not tables:
        return lines
    boxes = [(min(c.top for c in t.cells), max(c.bottom for c in t.cells), min(c.x0 for c in t.cells),
              max(c.x1 for c in t.cells)) for t in tables]
    out: list[Line] = []
    after = False
    for line in lines:
        middle = (line.top + line.bottom) / 2
        inside = any(top <= middle <= bottom and line.x0 < x1 and line.x1 > x0 for top, bottom, x0, x1 in boxes)
        if (inside or after) and not line.starts_paragraph:
            line = replace(line, starts_paragraph=True)
        out.append(line)
        after = inside
    return out
