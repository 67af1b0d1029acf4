"""Which partner in a clause a stated date belongs to.

- A date attached to one mention ("Polizeipräsidium Bochum (Unterzeichnung am 14. März 2018)",
  "Bezirksregierung Arnsberg – Partner seit 26.03.2012") belongs to that mention only.
- One remaining date belongs to every remaining mention of the clause ("Am 5. Mai unterzeichneten A und B").
- Several remaining dates go each to the nearest mention before it ("Die Vereinbarung mit der Stadt Duisburg wurde
  am 23. August 2012 geschlossen, die mit dem Kreis Soest am 5. März 2013").
One date per mention is chosen nearest to the signing words; in a list, year-only readings give way to days.
"""

from __future__ import annotations

import re

from pipeline.extract.partners.dates import FoundDate, choose_date
from pipeline.extract.partners.lexicon import patterns
from pipeline.extract.partners.mentions import Mention

_MAX_ATTACHED_GAP = 40


def _attached_to(text: str, date: FoundDate, mentions: list[Mention]) -> int | None:
    """The index of the mention a date is written right after, as its annotation."""
    before = [i for i, m in enumerate(mentions) if m.end <= date.start]
    if not before:
        return None
    i = before[-1]
    gap = text[mentions[i].end : date.start]
    if len(gap) > _MAX_ATTACHED_GAP or not re.match(patterns()["attached_date_gap"], gap):
        return None
    return i


def dates_to_mentions(
    text: str, mentions: list[Mention], dates: list[FoundDate], anchors: list[int]
) -> dict[int, FoundDate]:
    """Mention index -> its stated date, for the mentions of one clause.

    >>> from pipeline.extract.partners.dates import text_to_dates
    >>> from pipeline.extract.partners.mentions import text_to_mentions
    >>> t = "Dazu gehören die Stadt Essen (Unterzeichnung am 3. Mai 2014) und die Stadt Bonn."
    >>> ms = text_to_mentions(t)
    >>> {ms[i].text: d.iso for i, d in dates_to_mentions(t, ms, text_to_dates(t, 0, len(t), None), []).items()}
    {'Stadt Essen': '2014-05-03'}
    """
    assigned: dict[int, FoundDate] = {}
    remaining: list[FoundDate] = []
    for date in dates:
        index = _attached_to(text, date, mentions)
        if index is not None and index not in assigned:
            assigned[index] = date
        else:
            remaining.append(date)
    free = [i for i in range(len(mentions)) if i not in assigned]
    if not free or not remaining:
        return assigned
    if len(remaining) == 1 or len(free) == 1:
        best = choose_date(remaining, anchors)
        if best is not None:
            assigned.update({i: best for i in free})
        return assigned
    if any(d.precision != "year" for d in remaining):
        remaining = [d for d in remaining if d.precision != "year"]
    for date in remaining:
        before = [i for i in free if mentions[i].end <= date.start]
        target = before[-1] if before else free[0]
        assigned.setdefault(target, date)
    return assigned
