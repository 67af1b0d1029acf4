"""Numbers that label rather than count: document, phone, postal, street and line numbers, and names.

`is_label_number` looks at the word before a number, walking back over the other numbers, parentheses and
conjunctions of a list ("Kleinen Anfragen 594 (Drucksache 16/1537) und 1924"); `is_in_short_quote` finds a number
that is part of a quoted name („100 % Vielfalt“).
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.extract.base import is_after_leader
from pipeline.extract.figures.lexicon import fold, folded_list, lexicon
from pipeline.extract.figures.mentions import Quantity
from pipeline.models import compile_cached


@cache
def _chain_tail() -> re.Pattern[str]:
    """One trailing element of a list of numbers: space, parenthesis, number, conjunction or separator."""
    chain = lexicon()["chain_words"]
    words = "|".join(re.escape(w) for w in sorted(chain, key=len, reverse=True) if w[:1].isalpha())
    marks = "".join(re.escape(w) for w in chain if not w[:1].isalpha())
    return compile_cached(rf"(?:\s+|\([^()]*\)|\d[\d.,/]*|(?<!\w)(?:{words})|[{marks}])$")


def _left_keyword(text: str, start: int) -> str:
    """The word before a number, skipping other numbers, parentheses and conjunctions of a list.

    >>> text = "Kleinen Anfragen 594 (Drucksache 16/1537) und 1924"
    >>> _left_keyword(text, text.index("1924"))
    'Anfragen'
    """
    left = text[max(0, start - 120) : start]
    previous = None
    while left != previous:
        previous = left
        left = _chain_tail().sub("", left)
    match = re.search(r"(\S+)$", left)
    return match.group(1) if match else ""


def is_label_number(text: str, quantity: Quantity) -> bool:
    """A number that labels rather than counts: after "Drucksache", "Dezernat", "§", "Telefon", a street name.

    >>> from pipeline.extract.figures.mentions import text_to_quantities
    >>> text = "Telefon (0211) 884 - 2439, Dezernate 36 und 37, Fürstenwall 25, mit 34 Partnern"
    >>> [q.written for q in text_to_quantities(text) if not is_label_number(text, q)]
    ['34']
    """
    if is_after_leader(text, quantity.start):
        return True  # a page number after a dot leader ("Kreis Lippe ...... 11"): a table of contents
    written = _left_keyword(text, quantity.start).strip("„“\"'(").rstrip(":")
    keyword = fold(written)
    if not keyword:
        return False
    if written.isupper() and written.isalpha() and len(written) <= lexicon()["max_code_letters"]:
        return True  # line and road codes: "SB 16", "U 79", "A 40"
    if keyword in folded_list("exclusion_keywords") or keyword.rstrip(".") in folded_list("exclusion_keywords"):
        return True
    return keyword[:1].isalpha() and any(
        keyword.endswith(suffix) and keyword != suffix for suffix in folded_list("street_suffixes")
    )


_OPEN_QUOTES = '„‚»"“'
_CLOSE_QUOTES = '“”‘«"'


def is_in_short_quote(text: str, start: int, end: int, max_words: int = 6) -> bool:
    """Inside a short quoted name („100 % Vielfalt“), where a number is part of the name.

    >>> text = "Die Aktion „100 % Vielfalt“ und „Wir haben 20 % mehr Frauen eingestellt als im letzten Jahr“."
    >>> is_in_short_quote(text, 12, 17), is_in_short_quote(text, 40, 44)
    (True, False)
    """
    opening = max(text.rfind(q, max(0, start - 80), start) for q in _OPEN_QUOTES)
    if opening < 0:
        return False
    closing = [i for i in (text.find(q, end, end + 80) for q in _CLOSE_QUOTES) if i >= 0]
    if not closing:
        return False
    inside = text[opening + 1 : min(closing)]
    return any(q in inside for q in _CLOSE_QUOTES + _OPEN_QUOTES) is False and len(inside.split()) <= max_words
