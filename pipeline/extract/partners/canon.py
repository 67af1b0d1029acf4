"""Canonical partner names: inflection undone, head and place normalised, then the gazetteer consulted.

"dem Paritätischen Wohlfahrtsverband in NRW" -> "Paritätischer Wohlfahrtsverband NRW";
"der Düsseldorfer Rheinbahn AG" -> "Rheinbahn AG Düsseldorf" (a gazetteer name);
"Kreisverwaltung Soest" -> "Kreis Soest". An organisation missing from the gazetteer keeps the name built
from its parts (normalised head + name + place), so the same organisation gets the same name everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rapidfuzz import fuzz, process

from pipeline.extract.partners.lexicon import GazetteerEntry, Head, gazetteer_index, head_of, name_key, regions

_STRONG_ENDING = {"m": "er", "f": "e", "n": "es"}
_FUZZY_CUTOFF = 92
_FUZZY_MIN_KEY = 12


@dataclass
class Parts:
    """The pieces of one organisation name as found in the text."""

    head: Head
    head_text: str
    head_form: str
    adjectives: list[str] = field(default_factory=list)  # stems: "Paritätisch"
    prefix: str = ""  # words before the head that belong to the name: "Caritas" Verband, "Rheinbahn" AG
    names: list[str] = field(default_factory=list)  # after the head: "Integration Interkommunal", "für den Kreis Unna"
    has_determiner: bool = False


def head_to_lemma(head_text: str, form: str, lemma: str) -> str:
    """The nominative singular of a head as written ("Caritasverbandes" -> "Caritasverband").

    >>> head_to_lemma("Caritasverbandes", "verbandes", "verband")
    'Caritasverband'
    >>> head_to_lemma("Verbände", "verbände", "verband")
    'Verband'
    >>> head_to_lemma("Gewerkschaftsbundes", "gewerkschaftsbundes", "bund")
    'Gewerkschaftsbund'
    """
    if not lemma:
        return head_text
    at = head_text.lower().rfind(lemma) if lemma.islower() else -1
    if at >= 0:  # the compound's own spelling up to the end of its head: "Gewerkschaftsbundes" -> "…bund"
        word = head_text[: at + len(lemma)]
        return word[:1].upper() + word[1:]
    stem = head_text[: len(head_text) - len(form)]
    word = stem + lemma
    return word[:1].upper() + word[1:]


def adjective_to_nominative(stem: str, gender: str) -> str:
    """The strong nominative singular of an adjective stem for a head of the given gender.

    >>> adjective_to_nominative("Paritätisch", "m"), adjective_to_nominative("Multikulturell", "n")
    ('Paritätischer', 'Multikulturelles')
    """
    return stem + _STRONG_ENDING.get(gender, "e")


def parts_to_name(parts: Parts, place: str) -> str:
    """The name built from its parts, before the gazetteer is consulted."""
    head = parts.head
    if head.slot == "legal":
        words = [parts.prefix, parts.head_text, place]
    elif head.slot == "place":
        # a region is not a town: "Polizei NRW" stays as written, never "Polizeipräsidium NRW"
        written = parts.head_text if place in regions() else None
        words = [written or head.canonical or head_to_lemma(parts.head_text, parts.head_form, head.lemma), place]
    else:
        adjectives = [adjective_to_nominative(a, head.gender) for a in parts.adjectives]
        head_word = head.canonical or head_to_lemma(parts.head_text, parts.head_form, head.lemma)
        words = [*adjectives, parts.prefix, head_word, *parts.names, place]
    return re.sub(r"\s+", " ", " ".join(w for w in words if w)).strip()


@lru_cache(maxsize=2**14)
def name_to_entry(name: str, partner_type: str = "") -> GazetteerEntry | None:
    """The gazetteer entry for a name: exact (spacing/case-insensitive), else fuzzy for long names.

    >>> name_to_entry("Caritas Verband für den Kreis Unna").canonical
    'Caritasverband für den Kreis Unna'
    >>> name_to_entry("Kreisverwaltung Soest").canonical
    'Kreis Soest'
    """
    index = gazetteer_index()
    key = name_key(name)
    if key in index:
        return index[key]
    if len(key) < _FUZZY_MIN_KEY:
        return None
    keys = [k for k, e in index.items() if not partner_type or e.partner_type == partner_type]
    best = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
    return index[best[0]] if best else None


def parts_to_partner(parts: Parts, place: str) -> tuple[str, str]:
    """(canonical name, partner_type) for one organisation found in the text."""
    name = parts_to_name(parts, place)
    partner_type = parts.head.partner_type
    entry = name_to_entry(name, partner_type) or name_to_entry(_without_legal_suffix(name), partner_type)
    if entry is None and parts.head.slot == "legal":
        entry = name_to_entry(name) or name_to_entry(parts_to_name(parts, "")) or _shorter_prefix_entry(parts, place)
        if entry is None:
            # a company unknown to the gazetteer keeps its own name; the place only served the lookup
            return parts_to_name(parts, ""), partner_type
    if entry is None:
        return name, partner_type
    return entry.canonical, entry.partner_type


def _shorter_prefix_entry(parts: Parts, place: str) -> GazetteerEntry | None:
    """A gazetteer company found after dropping leading words a list heading left ("Medien Rheinbahn AG").

    A hyphenated name or an organisation of its own is never dropped: "Arbeiter-Samariter-Bund Regionalverband
    Ruhr e.V." is the Bund's regional branch, not the Regionalverband Ruhr.
    """
    words = parts.prefix.split()
    for cut in range(1, len(words)):
        if _is_own_name(words[cut - 1]):
            return None
        shorter = replace(parts, prefix=" ".join(words[cut:]))
        entry = name_to_entry(parts_to_name(shorter, place)) or name_to_entry(parts_to_name(shorter, ""))
        if entry is not None:
            return entry
    return None


def _is_own_name(word: str) -> bool:
    """A word that names an organisation by itself: a hyphenated name ("Arbeiter-Samariter-Bund") or a head."""
    return bool(re.search(r"\w-[A-ZÄÖÜ]", word)) or head_of(word) is not None


def _without_legal_suffix(name: str) -> str:
    """
    >>> _without_legal_suffix("Landessportbund Nordrhein-Westfalen e.V.")
    'Landessportbund Nordrhein-Westfalen'
    """
    return re.sub(r"\s*\be\.\s?V\.$", "", name)
