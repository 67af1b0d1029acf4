"""Tables on a born-digital page, found from the pieces its lines are cut into (no second parse of the page).

`words.py` cuts a line into pieces at a column gutter and at the space between table cells, so a table shows
itself as rows of several pieces whose x-ranges line up:

1. `pieces_to_rows`: the page's pieces grouped into visual rows (vertical overlap), top to bottom.
2. `has_table_geometry`: at least `MIN_ROWS` rows of `MIN_CELLS` pieces or more, or `1 + PAIR_BODY_ROWS` rows
   of two pieces. Every other page stops here: prose has one piece per row, two when set in two columns.
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

A table of two columns (a partner list: "Partner | Beitritt") is searched for separately (`rows_to_tables`
with `pairs`) and kept only when `is_pair_table`: two aligned pieces per row are what two-column prose, a
letterhead and a form (label: value) look like too, so the block needs a header row of two cells of words, at
least `PAIR_BODY_ROWS` body rows whose second cells are all (but `PAIR_ODD` of them) one kind of value that a
line of prose never is (`value_kind`: a date and nothing else, a number, a code), and no form labels: neither
header cell nor half the row labels may end in a colon or dot leaders or name a phone, room or file number or a
contact (`form_label`; a table of contents' "Seite" too). A rejected block of two columns leaves the page's
lines as they are. Two columns continued on the next page without their header are not found there.

Ruling lines are not read: a ruled table is found by its cells' text like an unruled one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from operator import attrgetter

from pipeline.models import compile_cached, load_json, text_to_atoms, text_to_years
from pipeline.records import TableCell, TextTable
from pipeline.text.furniture import Line

MIN_CELLS = 3  # a table has rows of at least this many pieces ...
MIN_ROWS = 2  # ... and at least this many of them line up
ROW_GAP = 1.6  # a vertical gap of more than this many row heights ends a stretch of rows
NEAR = 0.03  # page widths: a piece in no band joins the nearest one within this distance
MAX_HEADER_ROWS = 4
PAIR_BODY_ROWS = 3  # a table of two columns has a header row and at least this many body rows ...
PAIR_ODD = 0.2  # ... whose second cells are one kind of value but for this share of them
CAPTION_GAP = 2.5  # row heights: the caption sits at most this far above the table
FOOT, HEAD = 0.55, 0.35  # a continued table ends below FOOT on its page and goes on above HEAD on the next
_NUMBER = re.compile(r"^[+-−–]?\d[\d.,  ]*\s*%?$")
_YEAR = re.compile(r"^(19|20)\d\d$")
_SENTENCE_START = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ])")
_SYMBOLS = re.compile(r"^[^\w(+\-–]+|\W+$")  # leading symbols and trailing punctuation
_CODE = re.compile(r"^[\d\s./:()+\-–]+$")  # digits and separators: phone numbers, dates, times, file numbers
_DIGIT = re.compile(r"\d")
_LABEL_END = re.compile(r"(:|\.{3,}|…)\s*$")  # a form's label ("Telefon:") or a line of contents ("Einleitung ....")

Row = list[Line]
Band = tuple[float, float]


@lru_cache(maxsize=8)
def _pattern(key: str) -> re.Pattern[str]:
    return compile_cached(load_json("patterns/tables.json")[key], re.I)


def pieces_to_rows(pieces: Sequence[Line]) -> list[Row]:
    """Pieces on one visual row (overlapping vertically by half the lower one), rows top to bottom, each row
    left to right."""
    rows: list[Row] = []
    a0 = a1 = 0.0  # top and bottom of the first piece of the last row
    for piece in sorted(pieces, key=attrgetter("top", "x0")):
        b0, b1 = piece.top, piece.bottom
        # `_same_row(rows[-1][0], piece)`, with min and max written out as they pick (a call per piece costs)
        lower = a1 - a0 if not b1 - b0 < a1 - a0 else b1 - b0
        if rows and (a1 if not b1 < a1 else b1) - (a0 if not b0 > a0 else b0) >= 0.5 * lower:
            rows[-1].append(piece)
        else:
            rows.append([piece])
            a0, a1 = b0, b1
    return [sorted(row, key=attrgetter("x0")) if len(row) > 1 else row for row in rows]


def _same_row(a: Line, b: Line) -> bool:
    return min(a.bottom, b.bottom) - max(a.top, b.top) >= 0.5 * min(a.bottom - a.top, b.bottom - b.top)


def has_table_geometry(rows: Sequence[Row], pairs: bool = False) -> bool:
    """Whether a page may hold a table: at least `MIN_ROWS` rows of `MIN_CELLS` pieces or more; with `pairs`, a
    table of two columns: a header and `PAIR_BODY_ROWS` rows of two pieces."""
    if pairs:
        return sum(1 for row in rows if len(row) == 2) >= 1 + PAIR_BODY_ROWS
    return sum(1 for row in rows if len(row) >= MIN_CELLS) >= MIN_ROWS


def find_tables(pieces: Sequence[Line], page: int) -> tuple[TextTable, ...]:
    """The blocks of aligned rows on a page, from its pieces (as `words.page_items` gives them); () on most pages,
    cheaply. Each row of a block is a line of its own (`rows_to_paragraphs`); only the blocks that
    `has_consistent_column` are tables (`join_continued` keeps those). A block of two columns is returned only
    when `is_pair_table`, so two-column prose keeps its lines."""
    rows = pieces_to_rows(pieces)
    tables = rows_to_tables(rows, page) if has_table_geometry(rows) else []
    if has_table_geometry(rows, pairs=True):
        spans = [_extent(t) for t in tables]
        pairs = [t for t in rows_to_tables(rows, page, pairs=True) if is_pair_table(t)]
        tables += [replace(t, header_rows=1) for t in pairs if not any(_overlap(_extent(t), s) for s in spans)]
    return tuple(sorted(tables, key=lambda t: _extent(t)[0]))


def rows_to_tables(rows: Sequence[Row], page: int, pairs: bool = False) -> list[TextTable]:
    """The blocks of aligned rows of `MIN_CELLS` columns or more, or with `pairs` of exactly two columns."""
    tables: list[TextTable] = []
    for stretch in _stretches(rows):
        wide = [i for i, row in enumerate(stretch) if (len(row) == 2 if pairs else len(row) >= MIN_CELLS)]
        tries = _suffix_bands(stretch, wide)
        start = 0
        while start < len(stretch):
            found = _table_in(stretch, start, wide, tries)
            if found is None:
                break
            first, last, bands = found
            if not pairs or _is_pair_head([p.text.strip() for p in stretch[first]]):  # most pairs are prose: cheaply
                caption = _caption_above(rows, stretch[first])
                tables.append(_to_table(stretch[first : last + 1], bands, caption, page))
            start = last + 1
    return tables


def _extent(table: TextTable) -> tuple[float, float]:
    return min(c.top for c in table.cells), max(c.bottom for c in table.cells)


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


def _height(row: Row) -> float:
    return max(p.bottom for p in row) - min(p.top for p in row)


def _stretches(rows: Sequence[Row]) -> list[list[Row]]:
    """Runs of rows whose vertical gaps stay within `ROW_GAP` row heights."""
    out: list[list[Row]] = []
    prev_top = prev_bottom = 0.0
    for row in rows:
        if len(row) == 1:
            top, bottom = row[0].top, row[0].bottom
        else:
            top, bottom = min(p.top for p in row), max(p.bottom for p in row)
        if out and top - prev_bottom <= ROW_GAP * max(prev_bottom - prev_top, bottom - top):  # gap, `_height`s
            out[-1].append(row)
        else:
            out.append([row])
        prev_top, prev_bottom = top, bottom
    return out


Try = tuple[int, int, tuple[Band, ...]]  # anchor row, its number of pieces k, k column bands


def _table_in(
    stretch: list[Row], start: int, wide: list[int], tries: list[Try | None]
) -> tuple[int, int, list[Band]] | None:
    """The first table at or after `start`: (first row, last row, column bands), or None. The candidate rows
    `wide` (of `MIN_CELLS` pieces or more, or with `pairs` of two) are tried from the first one at or after `start`
    on; when they do not line up, from the next one (`tries`, from `_suffix_bands`)."""
    tried: set[Try] = set()
    for j in range(bisect.bisect_left(wide, start), len(wide)):
        found = tries[j]
        if found is None or found in tried:  # the same try again when the row dropped last was no anchor
            continue
        tried.add(found)
        anchor, k, bands = found
        first, last = _grow(stretch, anchor, list(bands), start)
        # the anchors in the table: its rows of k pieces from the first anchor on (a candidate above it was dropped)
        if sum(1 for i in range(anchor, last + 1) if len(stretch[i]) == k) >= MIN_ROWS:
            return first, last, list(bands)
    return None


def _suffix_bands(stretch: list[Row], wide: list[int]) -> list[Try | None]:
    """For each run of candidate rows `wide[j:]` of at least `MIN_ROWS` rows: the most pieces k that `MIN_ROWS` of
    its rows have, its first row of k pieces (the anchor) and the union of the pieces of its rows of k pieces
    (`_union`) when that gives k column bands, else None. The unions are built from the last row up, one row at a
    time (`_Bands`), not again for each run.

    >>> def row(top, *spans):
    ...     return [Line("", top, top + 0.01, x0, x1) for x0, x1 in spans]
    >>> stretch = [row(0.0, (0.1, 0.2), (0.3, 0.5), (0.6, 0.9)), row(0.02, (0.1, 0.2), (0.4, 0.5), (0.7, 0.8)),
    ...            row(0.04, (0.1, 0.2), (0.4, 0.5), (0.7, 0.8), (0.85, 0.9)),
    ...            row(0.06, (0.1, 0.2), (0.4, 0.5), (0.7, 0.8))]
    >>> _suffix_bands(stretch, [0, 1, 2, 3]) == _suffix_bands_by_union(stretch, [0, 1, 2, 3])
    True
    >>> _suffix_bands(stretch, [0, 1, 2, 3])[1]
    (1, 3, ((0.1, 0.2), (0.4, 0.5), (0.7, 0.8)))
    """
    if len(wide) < MIN_ROWS:
        return [None] * len(wide)
    if not all(p.x0 <= p.x1 for i in wide for p in stretch[i]):  # `_Bands` needs pieces of x0 <= x1
        return _suffix_bands_by_union(stretch, wide)
    unions: dict[int, _Bands] = {}
    anchors: dict[int, int] = {}
    top: list[int] = []  # the MIN_ROWS largest counts of pieces so far
    found: list[Try | None] = []
    for n, i in enumerate(reversed(wide), start=1):
        row = stretch[i]
        count = len(row)
        unions.setdefault(count, _Bands()).add_row(row)
        anchors[count] = i
        if len(top) < MIN_ROWS or count > top[-1]:
            top = sorted([*top, count], reverse=True)[:MIN_ROWS]
        k = top[-1]
        found.append((anchors[k], k, unions[k].bands()) if n >= MIN_ROWS and len(unions[k].starts) == k else None)
    return found[::-1]


def _suffix_bands_by_union(stretch: list[Row], wide: list[int]) -> list[Try | None]:
    found: list[Try | None] = [None] * len(wide)
    for j in range(len(wide) - MIN_ROWS + 1):
        k = sorted((len(stretch[i]) for i in wide[j:]), reverse=True)[MIN_ROWS - 1]
        anchors = [i for i in wide[j:] if len(stretch[i]) == k]
        bands = _union([p for i in anchors for p in stretch[i]])
        found[j] = (anchors[0], k, tuple(bands)) if len(bands) == k else None
    return found


class _Bands:
    """`_union` of pieces added one at a time, in any order: the same bands as `_union` of them all. `_union` sweeps
    the pieces sorted by (x0, x1) and starts a band at a piece whose x0 is at or beyond the end of the band before;
    a piece that comes to lie inside or just after a band joins it unless it starts at or beyond its end, and a band
    it makes reach beyond the start of the next ones swallows them. Each band keeps its first piece's (x0, x1),
    its place in the sweep. Needs x0 <= x1 for every piece (so a band ends no earlier than it starts).

    >>> spans = [(0.5, 0.6), (0.2, 0.3), (0.1, 0.2), (0.7, 0.7), (0.7, 0.7), (0.6, 0.65), (0.25, 0.5), (0.0, 0.1)]
    >>> bands = _Bands()
    >>> for x0, x1 in spans:
    ...     bands.add(x0, x1)
    >>> bands.bands()
    ((0.0, 0.1), (0.1, 0.2), (0.2, 0.5), (0.5, 0.6), (0.6, 0.65), (0.7, 0.7), (0.7, 0.7))
    >>> list(bands.bands()) == _union([Line("", 0, 1, x0, x1) for x0, x1 in spans])
    True
    """

    def __init__(self) -> None:
        self.firsts: list[tuple[float, float]] = []
        self.starts: list[float] = []
        self.ends: list[float] = []

    def add_row(self, row: Row) -> None:
        for piece in row:
            self.add(piece.x0, piece.x1)

    def add(self, x0: float, x1: float) -> None:
        at = bisect.bisect_right(self.firsts, (x0, x1)) - 1  # the band of the last piece swept before this one
        if at >= 0 and x0 < self.ends[at]:
            if not x1 > self.ends[at]:
                return  # inside the band: nothing changes (the bands after it start at or beyond its end)
            self.ends[at] = x1
        else:
            at += 1
            self.firsts.insert(at, (x0, x1))
            self.starts.insert(at, x0)
            self.ends.insert(at, x1)
        while at + 1 < len(self.starts) and self.starts[at + 1] < self.ends[at]:
            self.ends[at] = max(self.ends[at], self.ends[at + 1])
            del self.firsts[at + 1], self.starts[at + 1], self.ends[at + 1]

    def bands(self) -> tuple[Band, ...]:
        return tuple(zip(self.starts, self.ends, strict=True))


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
    x0, x1 = piece.x0, piece.x1
    # min(b, x1) - max(a, x0) > 0, without calling min and max (which pick the same value)
    hits = [i for i, (a, b) in enumerate(bands) if (x1 if x1 < b else b) - (x0 if x0 > a else a) > 0]
    if hits:
        return hits
    distance, nearest = min((max(a - piece.x1, piece.x0 - b), i) for i, (a, b) in enumerate(bands))
    return [nearest] if distance <= NEAR else []


def _fits(row: Row, bands: Sequence[Band], header: bool) -> bool:
    """A body row has at most one piece per band, within the bands. A header row's pieces may each span
    several bands and reach beyond the last one (a header centred over a narrow column of numbers); a single
    piece is a header only over columns of values (a title or a line of prose starts in the first column)."""
    if len(row) > len(bands):  # each piece takes a band of its own (or more), left to right
        return False
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
    match = _pattern("caption").search(text)
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
    if not any(map(str.isdigit, text)):
        return "text"
    return "number words" if text[0].isdigit() else "words number"


def value_kind(text: str) -> str:
    """The kind of value a cell holds when it holds one value and nothing else, as a line of prose never does: a
    date (a year alone too), a number, a code; "" for anything else.

    >>> [value_kind(t) for t in ("26.03.2012", "März 2014", "2014", "1.719", "12,5 %", "0211 837-1234")]
    ['date', 'date', 'date', 'number', 'number', 'code']
    >>> [value_kind(t) for t in ("seit dem Jahr 2014", "Stadt Essen", "30453 Hannover")]
    ['', '', '']
    """
    text = text.strip()
    if not _DIGIT.search(text):  # no year, no number, no code: all are read with \d (and int)
        return ""
    spans = [(a.start, a.end) for a in text_to_atoms(text) if a.year is not None]
    spans = spans or [(start, end) for start, end, _ in text_to_years(text)]
    if len(spans) == 1 and not re.search(r"\w", text[: spans[0][0]] + text[spans[0][1] :]):
        return "date"
    kind = cell_kind(text)
    return kind if kind in ("number", "code") else ""


def _is_form_label(text: str) -> bool:
    return bool(_LABEL_END.search(text) or _pattern("form_label").search(text))


def _is_pair_head(texts: Sequence[str]) -> bool:
    return len(texts) == 2 and all(cell_kind(t) == "text" and not _is_form_label(t) for t in texts)


def is_pair_table(table: TextTable) -> bool:
    """Whether a block of two columns is a table (see the module doc): a header row of two cells of words, then
    at least `PAIR_BODY_ROWS` rows whose second cells hold one kind of value (`value_kind`) but for `PAIR_ODD` of
    them, and row labels of which fewer than half are form labels (a letterhead's "Telefon:").

    >>> from pipeline.records import TableCell
    >>> def pair(*rows):
    ...     cells = [TableCell(1, r, c, text, c / 2, c / 2 + 0.3, r / 50, r / 50 + 0.01)
    ...              for r, row in enumerate(rows) for c, text in enumerate(row)]
    ...     return is_pair_table(TextTable(1, 2, 1, tuple(cells)))
    >>> pair(("Partner", "Beitritt"), ("Stadt Essen", "26.03.2012"), ("Kreis Soest", "Mai 2013"),
    ...      ("Stadt Bonn", "2014"))
    True
    >>> pair(("Partner", "Beitritt"), ("Stadt Essen", "26.03.2012"), ("Kreis Soest", "Mai 2013"))  # too few rows
    False
    >>> rows = (("Partner", "Beitritt"), ("Stadt Essen", "26.03.2012"), ("Kreis Soest", "Mai 2013"),
    ...         ("Stadt Bonn", "2014"), ("Stadt Köln", "2015"))
    >>> pair(*rows, ("Kreis Wesel", "offen")), pair(*rows[:-1], ("Kreis Wesel", "offen"), ("Stadt Hamm", "offen"))
    (True, False)
    >>> pair(("die Landesregierung fördert", "die Zahl der Beschäftigten"), ("seit dem Beginn der", "stieg 2014"),
    ...      ("Initiative zahlreiche", "auf insgesamt 1.719"), ("Maßnahmen zur Öffnung", "Personen im Jahr 2019"))
    False
    >>> pair(("Ihre Ansprechpartnerin", "Frau Costa"), ("Telefon", "0211 837-1251"), ("Telefax", "0211 837-1252"),
    ...      ("Mobil", "0171 234-5678"))  # a letterhead
    False
    >>> pair(("Inhalt", "Seite"), ("Einleitung", "3"), ("Ausgangslage", "5"), ("Maßnahmen", "9"))  # contents
    False
    """
    if not _is_pair_head([c.text for c in table.cells if c.row == 0]):
        return False
    labels = [c.text for c in table.cells if c.row > 0 and c.col == 0]
    filled = [c.text for c in table.cells if c.row > 0 and c.col == 1 and re.search(r"\w", c.text)]
    if len(filled) < PAIR_BODY_ROWS or 2 * sum(map(_is_form_label, labels)) >= len(labels):
        return False
    needed = len(filled) - int(PAIR_ODD * len(filled))
    if sum(1 for text in filled if _DIGIT.search(text)) < needed:  # a value of every kind has a digit: prose has few
        return False
    values = [value_kind(text) for text in filled]
    most = max(values.count(kind) for kind in ("date", "number", "code"))
    return most >= needed


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
    numbered = {c.row for c in cells if c.col > 0 and is_number(c.text)}
    return min(numbered) if numbered else min(1, rows - 1)


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
    # a table of two columns was judged by its stricter rule already (`is_pair_table`)
    for table in (t for t in tables if t.columns == 2 or has_consistent_column(t)):
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
