"""HTML: title, date and body text of a saved web page (a press release), through a real parser.

Navigation, headers, footers, cookie banners, forms and "Kontakt"/"Pressekontakt" blocks are dropped: by
element (`nav`, `footer`, ...), by the id/class/role hints sites use for them, and by their heading text.
The body is the `main`/`article` element when there is one; each block element (text placed directly in a
`div` too) becomes a paragraph, and `<br>` ends one.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from pipeline.errors import InputError
from pipeline.models import first_full_date, load_json
from pipeline.records import PageText, RawText, SourceFile
from pipeline.text.plain import decode_bytes

_DROP_TAGS = ("script", "style", "noscript", "nav", "footer", "aside", "form", "iframe", "svg", "button")
_BLOCK_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dt", "dd", "blockquote", "td", "th", "time")
_CONTAINERS = (*_BLOCK_TAGS, "div", "section", "article", "main", "body", "header", "figcaption", "address", "pre")
MAX_DEPTH = 500  # deepest element nesting read (real pages nest < 50 levels); `Settings.max_html_depth`


def german_date_to_iso(text: str) -> str:
    """The first German date in a text as YYYY-MM-DD ('' when there is none), read by the one date reader.

    >>> german_date_to_iso("Düsseldorf, 19. Oktober 2022"), german_date_to_iso("am 03.11.2014"), german_date_to_iso("x")
    ('2022-10-19', '2014-11-03', '')
    """
    return first_full_date(text)


@cache
def _furniture() -> dict[str, re.Pattern[str]]:
    """The id/class/role hints of page furniture and the headings of contact blocks (models/patterns/html.json)."""
    data = load_json("patterns/html.json")
    hints = "|".join(re.escape(hint) for hint in data["drop_hints"])
    word_starts = "|".join(re.escape(hint) for hint in data["drop_hint_word_starts"])
    contact = "|".join(re.escape(heading) for heading in data["contact_headings"])
    return {
        "drop_hints": re.compile(rf"{hints}|(?:^|[-_ ])(?:{word_starts})", re.I),
        "contact": re.compile(rf"^\s*(?:{contact})\b", re.I),
    }


def _squash(text: str) -> str:
    return " ".join(text.split())


def nesting_depth(soup: Any, limit: int) -> int:
    """How deep elements nest (iteratively; counting stops just past `limit`)."""
    from bs4 import Tag

    deepest, stack = 0, [(soup, 0)]
    while stack and deepest <= limit:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack += [(child, depth + 1) for child in node.contents if isinstance(child, Tag)]
    return deepest


def is_decomposed(tag: Any) -> bool:
    """`tag.decomposed` without its cost: on a live tag, bs4 answers it by searching the whole subtree for an
    element named `_decomposed` (quadratic over a page), so the flag is read from the instance itself."""
    return bool(vars(tag).get("_decomposed", False))


def text_start(tag: Any, size: int = 80) -> str:
    """The first `size` characters of a tag's text (leading space dropped), without joining all of it."""
    parts: list[str] = []
    length = 0
    for piece in tag.strings:
        piece = piece.lstrip() if length == 0 else piece
        parts.append(piece)
        length += len(piece)
        if length >= size:
            break
    return " ".join(parts)[:size]


def drop_page_furniture(soup: Any) -> None:
    """Remove navigation, banners, footers and contact blocks from the parsed page, in place."""
    for tag in soup(list(_DROP_TAGS)):
        tag.decompose()
    for tag in soup.find_all("header"):
        if not is_decomposed(tag) and tag.find_parent(["article", "main"]) is None:
            tag.decompose()  # the site's header; an article's own header holds its title and date
    for tag in soup.find_all(True):
        if is_decomposed(tag) or tag.attrs is None or tag.name in ("html", "body", "main", "article"):
            continue
        marker = " ".join([str(tag.get("id") or ""), " ".join(tag.get("class") or []), str(tag.get("role") or "")])
        if _furniture()["drop_hints"].search(marker):
            tag.decompose()
    for heading in soup.find_all(["h2", "h3", "h4", "h5", "h6", "strong", "b", "p"]):
        if not is_decomposed(heading) and _furniture()["contact"].match(text_start(heading)):
            drop_contact_block(heading)


def drop_contact_block(heading: Any) -> None:
    """A contact heading goes with its box when the box is small, else with what follows it up to the next
    heading (the contact block at the end of an article)."""
    box = heading.parent
    if heading.name != "p" and box is not None and box.name in ("div", "section"):
        if len(box.find_all(list(_BLOCK_TAGS))) <= 6 and box.find("h1") is None:
            box.decompose()
            return
    if heading.name in ("strong", "b") and heading.parent is not None and heading.parent.name == "p":
        heading = heading.parent
    for sibling in list(heading.find_next_siblings()):
        if sibling.name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            break
        sibling.decompose()
    heading.decompose()


def body_blocks(body: Any) -> list[str]:
    """Paragraphs in document order: the text of each block-level element (including text placed directly
    in a `div`), with `<br>` ending a paragraph."""
    from bs4 import NavigableString

    blocks: list[list[str]] = []
    owner: Any = None
    for node in body.descendants:
        if getattr(node, "name", None) == "br":
            owner = None  # the next text starts a new paragraph
        elif type(node) is NavigableString and node.strip():
            parent = node.find_parent(list(_CONTAINERS)) or body
            if parent is not owner:
                blocks.append([])
                owner = parent
            blocks[-1].append(str(node))
    paragraphs = [_squash("".join(parts)) for parts in blocks]  # HTML keeps its own spaces
    out: list[str] = []
    for paragraph in paragraphs:
        if paragraph and not (out and out[-1] == paragraph):
            out.append(paragraph)
    return out


def html_to_raw_text(source: SourceFile, data: bytes, max_depth: int = MAX_DEPTH) -> RawText:
    from bs4 import BeautifulSoup

    text = decode_bytes(data, source.source_file)
    soup = BeautifulSoup(text, "lxml")
    if soup.find(True) is None:
        raise InputError(f"{source.source_file}: HTML without elements", "save the complete page (`Ctrl+S`)")
    if nesting_depth(soup, max_depth) > max_depth:
        raise InputError(
            f"{source.source_file}: HTML elements nested more than {max_depth} levels deep (not a readable page)",
            "save the page again from a browser or convert it to text (`lynx -dump`), or raise max_html_depth",
        )
    h1, title_tag = soup.find("h1"), soup.find("title")
    title = _squash(h1.get_text(" ")) if h1 else (_squash(title_tag.get_text(" ")) if title_tag else "")
    time_tag = soup.find("time")
    date_hint = ""
    if time_tag is not None:
        stamp = str(time_tag.get("datetime") or "")
        date_hint = _iso_prefix(stamp) or german_date_to_iso(stamp) or german_date_to_iso(time_tag.get_text(" "))
    drop_page_furniture(soup)
    body = soup.find("main") or soup.find("article") or soup.body or soup
    blocks = body_blocks(body)
    if title and title not in blocks[:3]:
        blocks.insert(0, title)
    if not date_hint:
        date_hint = german_date_to_iso(" ".join(blocks[:5]))
    page = PageText(number=None, text="\n\n".join(blocks), source="html")
    return RawText(
        doc_id=source.doc_id,
        kind="html",
        pages=(page,),
        text_source="html",
        paged=False,
        title_hint=title,
        date_hint=date_hint,
    )


def _iso_prefix(value: str) -> str:
    match = re.match(r"(\d{4}-\d{2}-\d{2})", value.strip())
    return match.group(1) if match else ""
