"""Tables that list partners with their joining dates ("Partner | Beitritt", "Organisation | Datum der
Unterzeichnung") feed the partners table: one partner per table row.

The rule (`table_to_partners`): a table lists partners when
- its caption or a column header speaks of partners, joining or signing (`partner_list` in
  `models/patterns/tables.json`),
- a column's header names a joining date (`partner_date`: Beitritt, Unterzeichnung, Datum, seit) and at least half
  of its filled cells are a date and nothing else (26.03.2012, März 2014, 2014), and
- another column holds the names: the first whose header names them (`partner_name`: Partner, Organisation,
  Name), else the first column of text that is not numbers.
Each row's name is read as the running text's partners are (`pipeline.extract.partners`): a gazetteer name for the
whole cell, else the organisations the cell mentions (a coordination gives one partner each), else the cell as
printed; a ministry is never a partner. A row counts when it has a date or names a known organisation (a total
row does neither). Its date is the date cell's; its mention the name cell, char_start/char_end that cell in the
clean text; its evidence the clean text from the table's caption to the end of the row (only the row when that
would exceed `MAX_EVIDENCE`), so it holds caption, headers and cells.

`with_table_partners`: a partner read from a table and from the running text is one row. The table's row wins
unless the running text states a date for the partner outside the table (a mention inside the table is the same
cell read as a line of a list).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.extract.base import DocContext
from pipeline.extract.dates import parse_dates
from pipeline.extract.partners import name_to_entry, text_to_mentions
from pipeline.extract.partners import patterns as partner_patterns
from pipeline.extract.tables.cells import Cell, patterns
from pipeline.records import PartnerRow, TextTable

MIN_DATED = 0.5  # share of a date column's filled cells that must be dates
Found = dict[tuple[int, int], tuple[int, int]]


def cell_to_date(text: str) -> str:
    """The ISO date a cell holds when it holds a date and nothing else, else "".

    >>> cell_to_date("26.03.2012"), cell_to_date("Juni 2014"), cell_to_date("2016"), cell_to_date("0211 837-1234")
    ('2012-03-26', '2014-06', '2016', '')
    """
    text = text.strip()
    dates = parse_dates(text, None, bare_years=True)
    if len(dates) != 1:
        return ""
    date = dates[0]
    rest = text[: date.start] + text[date.end :]
    return date.value if not re.search(r"\w", rest) else ""


def cell_to_partners(text: str) -> list[tuple[str, str]]:
    """(canonical name, partner_type) for a name cell, as the running text's partners are named.

    >>> cell_to_partners("Kreisverwaltung Soest"), cell_to_partners("Stadt Essen und Stadt Bonn")
    ([('Kreis Soest', 'kreis')], [('Stadt Essen', 'kommune'), ('Stadt Bonn', 'kommune')])
    """
    excluded = set(partner_patterns()["exclude_types"])
    text = " ".join(text.split())
    entry = name_to_entry(text)
    if entry is not None:
        return [] if entry.partner_type in excluded else [(entry.canonical, entry.partner_type)]
    mentions = text_to_mentions(text)
    if not mentions:
        return [(text, "")]
    found = [p for m in mentions for p in m.partners if p[1] not in excluded]
    return list(dict.fromkeys(found))


def _columns(cells: Sequence[Cell]) -> dict[int, list[Cell]]:
    out: dict[int, list[Cell]] = {}
    for cell in cells:
        out.setdefault(cell.col, []).append(cell)
    return out


def _date_column(columns: dict[int, list[Cell]]) -> int | None:
    for col, cells in sorted(columns.items()):
        filled = [c for c in cells if c.text.strip()]
        if filled and patterns()["partner_date"].search(cells[0].col_header):
            if sum(1 for c in filled if cell_to_date(c.text)) >= MIN_DATED * len(filled):
                return col
    return None


def _name_column(columns: dict[int, list[Cell]], date_col: int) -> int | None:
    others = [col for col in sorted(columns) if col != date_col]
    named = [col for col in others if patterns()["partner_name"].search(columns[col][0].col_header.strip())]
    if named:
        return named[0]
    texts = [col for col in others if sum(1 for c in columns[col] if c.value) * 2 < len(columns[col])]
    return texts[0] if texts else None


def is_partner_list(table: TextTable, cells: Sequence[Cell]) -> tuple[int, int] | None:
    """(name column, date column), 1-based, when the table lists partners with their dates, else None."""
    columns = _columns(cells)
    cue = patterns()["partner_list"]
    if not columns or not any(cue.search(t) for t in [table.caption, *(cs[0].col_header for cs in columns.values())]):
        return None
    date_col = _date_column(columns)
    if date_col is None:
        return None
    name_col = _name_column(columns, date_col)
    return None if name_col is None else (name_col, date_col)


def table_to_partners(ctx: DocContext, table: TextTable, cells: Sequence[Cell], found: Found,
                      head: int, max_evidence: int) -> list[PartnerRow]:
    """The partners a table lists (see the rule in the module doc), one row per partner per table row."""
    columns = is_partner_list(table, cells)
    if columns is None:
        return []
    name_col, date_col = columns
    by_row: dict[int, dict[int, Cell]] = {}
    for cell in cells:
        by_row.setdefault(cell.grid_row, {})[cell.col] = cell
    rows: list[PartnerRow] = []
    for grid_row, row in sorted(by_row.items()):
        name = row.get(name_col)
        span = found.get((grid_row, name_col))
        if name is None or span is None or not name.text.strip() or name.value:
            continue
        date = cell_to_date(row[date_col].text) if date_col in row else ""
        partners = [(p, t) for p, t in cell_to_partners(name.text) if date or t]
        start, end = span
        ev_start, ev_end = evidence_span(ctx.text, head, start, end, max_evidence)
        rows += [
            PartnerRow(ctx.doc_id, partner, name.text, partner_type, date, ctx.text[ev_start:ev_end], start, end,
                       ctx.page(start), ev_start, ev_end)
            for partner, partner_type in partners
        ]
    return rows


def evidence_span(text: str, head: int, start: int, end: int, max_evidence: int) -> tuple[int, int]:
    """The evidence of a table cell: from the table's head (caption or first header cell) to the end of the cell's
    row, or only the row when that would exceed `max_evidence` characters."""
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if head <= start and line_end - head <= max_evidence:
        return head, line_end
    return text.rfind("\n", 0, start) + 1, line_end


def with_table_partners(prose: Sequence[PartnerRow], tables: Sequence[PartnerRow],
                        spans: Sequence[tuple[int, int]]) -> tuple[PartnerRow, ...]:
    """The running text's partners and the tables' partners, one row per partner (see the module doc)."""
    if not tables:
        return tuple(prose)
    table_rows: dict[str, PartnerRow] = {}
    for row in tables:
        if row.partner not in table_rows or (row.date and not table_rows[row.partner].date):
            table_rows[row.partner] = row
    out = []
    for row in prose:
        in_table = any(start <= row.char_start < end for start, end in spans)
        if row.partner in table_rows and (in_table or not row.date):
            continue
        table_rows.pop(row.partner, None)
        out.append(row)
    out += table_rows.values()
    return tuple(sorted(out, key=lambda r: (r.char_start, r.partner)))
