"""The partner that made a list of commitments, named as the partners table names it.

Found after a report anchor ("Umsetzungsbericht der Bezirksregierung Arnsberg") or in the sentence that
introduces the list ("hatte die Bezirksregierung 2012 vereinbart, folgende Ziele umzusetzen"). The name is read
and normalised by the partners' one organisation-name reader (`pipeline.extract.partners.text_to_mentions`:
inflection undone, administration to organisation, gazetteer names), so a partner has the same name in both
tables: "des Jobcenters Dortmund" -> "Jobcenter Dortmund", "der Kreisverwaltung Soest" -> "Kreis Soest". A bare head
("Bezirksregierung") is completed from the fullest name of that head the document uses ("Bezirksregierung
Arnsberg").
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from pipeline.extract.base import one_of
from pipeline.extract.partners import text_to_mentions
from pipeline.models import compile_cached, load_json

_BARE_HEAD = compile_cached(r"[A-ZÄÖÜ][\wäöüß-]+")
_NAME_WINDOW = 160  # characters read after an anchor: the longest organisation names are shorter


@lru_cache(maxsize=1)
def _anchors() -> dict[str, list[re.Pattern[str]]]:
    data = load_json("patterns/commitments.json")
    return {
        "report": [compile_cached(r) for r in data["report_anchor_regexes"]],
        "commit": [compile_cached(r) for r in data["commit_anchor_regexes"]],
    }


@lru_cache(maxsize=1)
def _anchor_article() -> re.Pattern[str]:
    """The article that ends an anchor ("Umsetzungsbericht der ")."""
    articles = load_json("patterns/commitments.json")["anchor_articles"]
    return compile_cached(rf"\b{one_of(articles)}\s+$", re.IGNORECASE)


def name_after(text: str, match: re.Match[str]) -> str:
    """The canonical name of the organisation named right after an anchor ("… der Stadt Köln …"), with the
    anchor's article, which carries the case; '' when no organisation starts there.

    >>> name_after("Umsetzungsbericht des Jobcenters Dortmund", re.match(r"Umsetzungsbericht des ", \
"Umsetzungsbericht des Jobcenters Dortmund"))
    'Jobcenter Dortmund'
    """
    article = _anchor_article().search(match.group())
    start = match.start() + article.start() if article else match.end()
    window = text[start : start + _NAME_WINDOW]
    for mention in text_to_mentions(window):
        if mention.start <= match.end() - start and mention.partners:
            return mention.partners[0][0]
        break
    bare = _BARE_HEAD.match(text, match.end())
    return bare.group() if bare else ""


def _candidates(text: str, patterns: list[re.Pattern[str]], start: int, end: int) -> list[str]:
    names = []
    for pattern in patterns:
        for match in pattern.finditer(text, start, end):
            name = name_after(text, match)
            if name:
                names.append((match.start(), name))
    return [n for _, n in sorted(names)]


def _completed(text: str, name: str) -> str:
    """A bare head ("Bezirksregierung") completed with the name of that head the text uses most often."""
    if " " in name:
        return name
    fuller = Counter(
        partner for m in text_to_mentions(text) for partner, _ in m.partners if partner.startswith(name + " ")
    )
    return fuller.most_common(1)[0][0] if fuller else ""


def text_to_committing_partner(text: str, list_start: int, title: str = "") -> str:
    """The partner that committed to the list starting at `list_start`.

    >>> text_to_committing_partner("Umsetzungsbericht der Stadt Köln im Zeitraum 2016. Ziele: 1. Eins", 58)
    'Stadt Köln'
    """
    anchors = _anchors()
    names = _candidates(text, anchors["report"], 0, list_start)
    names = names or _candidates(title, anchors["report"], 0, len(title))
    names = names or _candidates(text, anchors["commit"], max(0, list_start - 800), list_start)
    return _completed(text, names[-1]) if names else ""
