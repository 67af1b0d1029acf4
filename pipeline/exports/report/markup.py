"""The report's small HTML pieces shared by its pages: escaped cells, tables that scroll in their own box, and
the address of a document's text page."""

from __future__ import annotations

import html
import re
import urllib.parse
from collections.abc import Sequence
from typing import Any

from pipeline.exports.names import TEXTS_FOLDER

NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
MAX_CELL = 240  # characters of long text shown in a list cell; the full text is on the document's text page


def esc(value: Any, limit: int = MAX_CELL) -> str:
    """Cell text: empty for None, lowercase booleans, escaped, long text shortened.

    >>> esc(None), esc(True), esc("a<b"), esc("abcdef", limit=4)
    ('', 'true', 'a&lt;b', 'abc…')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return html.escape(text)


def html_table(headers: Sequence[str], body: list[str], cls: str = "") -> str:
    """A table that scrolls inside its own box on a narrow screen (the page itself never scrolls sideways);
    the inline script lets a reader sort it by a column and filter its rows."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    klass = f' class="{cls}"' if cls else ""
    return f'<div class="wide"><table{klass}><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def is_number(value: Any) -> bool:
    """A number, or a table cell that is one as written (`1719`, `48.7`), which is right-aligned.

    >>> is_number(3), is_number("48.7"), is_number("16/7204"), is_number(True)
    (True, True, False, False)
    """
    if isinstance(value, bool):
        return False
    return isinstance(value, (int, float)) or bool(NUMBER.fullmatch(str(value or "")))


def cell(value: Any) -> str:
    return f'<td class="n">{esc(value)}</td>' if is_number(value) else f"<td>{esc(value)}</td>"


def text_page_name(doc_id: str) -> str:
    """The file name of a document's text page in `TEXTS_FOLDER` (its doc_id, which is already a file name)."""
    return f"{doc_id}.html"


def text_href(doc_id: Any, ref: str = "") -> str:
    """The link from report.html to a document's text page, at a fact's anchor when `ref` is given.

    >>> text_href("ka 2014#1", "partners-3")
    'report/ka%202014%231.html#t-partners-3'
    """
    address = f"{TEXTS_FOLDER}/{urllib.parse.quote(text_page_name(str(doc_id)))}"
    return html.escape(f"{address}#t-{ref}" if ref else address)
