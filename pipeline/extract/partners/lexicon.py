"""The knowledge partner extraction reads from `models/`: organisation heads, triggers and the gazetteer.

Everything here is loaded once per process (cached); the German lives in `models/patterns/partners.json`
and `models/gazetteer/gazetteer.json` (built by `scripts/build_gazetteer.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from pipeline.extract.prefilter import Prefiltered
from pipeline.models import compile_cached, load_json


@dataclass(frozen=True)
class Head:
    """One organisation head ("Bezirksregierung", "…verband", "AG") and how names attach to it."""

    forms: tuple[str, ...]
    lemma: str
    canonical: str
    partner_type: str
    gender: str
    slot: str
    compound: bool
    needs_name: bool
    office: bool = False  # a holder's office standing for its authority ("Oberbürgermeister" -> Stadt)
    bare_place: bool = True  # a place right after the head names it ("Kreis Lippe"; not "Landrat Hagen")


@dataclass(frozen=True)
class GazetteerEntry:
    """A known partner: its canonical name, type and the other names it goes by."""

    canonical: str
    partner_type: str
    aliases: tuple[str, ...]


def name_key(name: str) -> str:
    """Comparison key for organisation names: casefolded letters and digits only.

    >>> name_key("Caritas Verband für den Kreis Unna") == name_key("Caritasverband für den Kreis Unna")
    True
    """
    return re.sub(r"[\W_]+", "", name.casefold())


@lru_cache(maxsize=1)
def patterns() -> dict[str, Any]:
    data: dict[str, Any] = load_json("patterns/partners.json")
    return data


@lru_cache(maxsize=1)
def heads() -> tuple[Head, ...]:
    return tuple(
        Head(
            forms=tuple(h["forms"]),
            lemma=h["lemma"],
            canonical=h.get("canonical", ""),
            partner_type=h["type"],
            gender=h["gender"],
            slot=h["slot"],
            compound=bool(h.get("compound", False)),
            needs_name=bool(h.get("needs_name", False)),
        )
        for h in patterns()["heads"]
    ) + tuple(
        Head(
            forms=tuple(o["forms"]), lemma=o["authority"], canonical=o["authority"], partner_type=o["type"],
            gender=o["gender"], slot="place", compound=False, needs_name=False, office=True,
            bare_place=bool(o.get("bare_place", False)),
        )
        for o in patterns()["offices"]
    )


@lru_cache(maxsize=2**14)
def is_office_word(word: str) -> bool:
    """A word for a person's office ("Hauptgeschäftsführer", "Oberbürgermeisterin").

    >>> is_office_word("Hauptgeschäftsführer"), is_office_word("Geschäftsstelle")
    (True, False)
    """
    return word.lower().endswith(tuple(patterns()["office_words"]))


@lru_cache(maxsize=4096)
def head_of(token: str) -> tuple[Head, str] | None:
    """The head a token is (or ends with, for compounds) and the matched form.

    >>> head_of("Kreisverwaltungen")[0].canonical
    'Kreis'
    >>> head_of("Caritasverband")[1]
    'verband'
    >>> head_of("Verbandes") is not None, head_of("Sportler") is None
    (True, True)
    """
    lower = token.lower()
    for head in heads():
        if lower in head.forms:
            return head, lower
    for head in heads():
        if head.compound:
            for form in sorted(head.forms, key=len, reverse=True):
                if lower.endswith(form) and len(lower) > len(form) + 2:
                    return head, form
    return None


@lru_cache(maxsize=1)
def gazetteer() -> tuple[GazetteerEntry, ...]:
    data = load_json("gazetteer/gazetteer.json")
    return tuple(GazetteerEntry(e["canonical"], e["partner_type"], tuple(e["aliases"])) for e in data["entries"])


@lru_cache(maxsize=1)
def gazetteer_name_tokens() -> dict[str, tuple[str, ...]]:
    """Every name and alias of the gazetteer → its tokens (built by scripts/build_name_tokens.py)."""
    data = load_json("gazetteer/name_tokens.json")
    return {name: tuple(tokens) for name, tokens in data["tokens"].items()}


@lru_cache(maxsize=1)
def gazetteer_index() -> dict[str, GazetteerEntry]:
    """name_key of every canonical name and alias -> its entry (canonical names win over aliases)."""
    index: dict[str, GazetteerEntry] = {}
    for entry in gazetteer():
        for alias in entry.aliases:
            index.setdefault(name_key(alias), entry)
    for entry in gazetteer():
        index[name_key(entry.canonical)] = entry
    return index


@lru_cache(maxsize=1)
def places() -> tuple[tuple[str, ...], ...]:
    """Known place names as token tuples, longest first ("Mülheim an der Ruhr" before "Mülheim")."""
    names = load_json("gazetteer/gazetteer.json")["places"]
    return tuple(sorted((tuple(n.split()) for n in names), key=lambda t: (-len(t), t)))


@lru_cache(maxsize=1)
def places_by_first_word() -> dict[str, tuple[tuple[str, ...], ...]]:
    """`places()` indexed by their lowercased first word, each list still longest first."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for name in places():
        index.setdefault(name[0].lower(), []).append(name)
    return {first: tuple(names) for first, names in index.items()}


@lru_cache(maxsize=1)
def regions() -> frozenset[str]:
    """Region names (NRW, Rheinland, …): places of an organisation, but never a town of their own."""
    return frozenset(load_json("gazetteer/gazetteer.json")["regions"])


@lru_cache(maxsize=1)
def place_adjectives() -> dict[str, str]:
    data: dict[str, str] = load_json("gazetteer/gazetteer.json")["place_adjectives"]
    return data


@cache
def compiled(name: str) -> Prefiltered:
    """The regex list `name` of partners.json, compiled (each skipped where its required words are missing)."""
    value = patterns()[name]
    items = [value] if isinstance(value, str) else value
    return Prefiltered.of([compile_cached(p) for p in items])
