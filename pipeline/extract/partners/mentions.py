"""Organisation mentions in German text: heads found on spaCy tokens, grown into full names.

`text_to_mentions` tokenises as spaCy's German tokenizer does (`tokens`), finds organisation heads (words and
compounds ending in a head of `models/patterns/partners.json`, tested once per distinct word) and gazetteer names
(token sequences of `models/gazetteer/gazetteer.json`), grows each head to its determiner, adjectives and name
("der Paritätische Wohlfahrtsverband in NRW"), expands coordinations ("die Kreisverwaltungen Soest und Lippe",
"der Polizeipräsident und das Jobcenter aus Dortmund") and resolves overlaps (longest wins). Each mention
carries the canonical name(s) it stands for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.extract.partners.canon import Parts, parts_to_partner
from pipeline.extract.partners.grow import Grown, borrow_places, grow, is_valid, place_at
from pipeline.extract.partners.lexicon import (
    GazetteerEntry,
    gazetteer,
    gazetteer_name_tokens,
    head_of,
    heads,
    patterns,
    regions,
)
from pipeline.extract.partners.tokens import Doc, tokenize
from pipeline.models import compile_cached

_MIN_SHOUTED = 4  # letters of a word written in capitals for emphasis; shorter ones are acronyms ("NRW", "IHK")


@dataclass(frozen=True)
class Mention:
    """A mention of partners in the text, and the partners it names."""

    start: int
    end: int
    text: str
    partners: tuple[tuple[str, str], ...]  # (canonical name, partner_type)

    @property
    def partner_types(self) -> tuple[str, ...]:
        return tuple(t for _, t in self.partners)


@lru_cache(maxsize=1)
def _name_tokens() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(canonical name, tokens) of every name and alias in the gazetteer, for both spellings: read from
    models/gazetteer/name_tokens.json (a name not in it yet is tokenised here)."""
    stored = gazetteer_name_tokens()
    return tuple(
        (entry.canonical, stored[name] if name in stored else tuple(tokenize(name).texts))
        for entry in gazetteer()
        for name in (entry.canonical, *entry.aliases)
    )


@lru_cache(maxsize=2)
def _phrases(lowercase: bool = False) -> dict[tuple[str, ...], tuple[str, ...]]:
    """The gazetteer's names as token sequences → their canonical names, as written or in lower case (for names
    with a word in capitals)."""
    found: dict[tuple[str, ...], dict[str, None]] = {}
    for canonical, tokens in _name_tokens():
        words = tuple(token.lower() for token in tokens) if lowercase else tokens
        found.setdefault(words, {})[canonical] = None
    return {words: tuple(names) for words, names in found.items()}


def _phrase_matches(words: list[str], lowercase: bool = False) -> list[tuple[str, int, int]]:
    """(canonical name, first token, end token) of every gazetteer name spelled by the tokens `words`."""
    phrases = _phrases(lowercase)
    lengths = _phrase_lengths(lowercase)
    firsts = lengths.keys() & set(words)  # the few distinct words that start a name
    found = []
    for start in [i for i, word in enumerate(words) if word in firsts]:
        for length in lengths[words[start]]:
            end = start + length
            if end > len(words):
                break
            for canonical in phrases.get(tuple(words[start:end]), ()):
                found.append((canonical, start, end))
    return found


@lru_cache(maxsize=2)
def _phrase_lengths(lowercase: bool) -> dict[str, tuple[int, ...]]:
    """First token of a gazetteer name → the lengths (in tokens, ascending) of the names it starts."""
    lengths: dict[str, set[int]] = {}
    for words in _phrases(lowercase):
        if words:
            lengths.setdefault(words[0], set()).add(len(words))
    return {first: tuple(sorted(found)) for first, found in lengths.items()}


def _is_shouted(word: str) -> bool:
    return len(word) >= _MIN_SHOUTED and word.isalpha() and word.isupper()


def _shouted_matches(doc: Doc, lowers: list[str]) -> list[tuple[int, int, GazetteerEntry]]:
    """Gazetteer names written with words in capitals ("Der PARITÄTISCHE NRW" for "Der Paritätische NRW"): every
    word that differs from the name's spelling is in capitals, at least one of them a word, not an acronym."""
    if not any(map(_is_shouted, doc.texts)):
        return []
    by_id = {e.canonical: e for e in gazetteer()}
    found = []
    for canonical, start, end in _phrase_matches(lowers, lowercase=True):
        entry = by_id[canonical]
        words = [t.text for t in doc[start:end]]
        for name in (entry.canonical, *entry.aliases):
            spelled = name.split()
            if [w.lower() for w in spelled] != lowers[start:end] or spelled == words:
                continue
            differing = [w for w, n in zip(words, spelled, strict=True) if w != n]
            if all(w.isupper() for w in differing) and any(_is_shouted(w) for w in differing):
                found.append((start, end, entry))
                break
    return found



@lru_cache(maxsize=1)
def _head_words() -> frozenset[str]:
    return frozenset(form for head in heads() for form in head.forms)


@lru_cache(maxsize=1)
def _compound() -> re.Pattern[str]:
    suffixes = sorted({re.escape(form) for head in heads() if head.compound for form in head.forms})
    return compile_cached(f"^\\w[\\w-]{{2,}}(?:{'|'.join(suffixes)})$")  # "Caritasverband", "Basketball-Verband"


@lru_cache(maxsize=2**16)
def _is_head(lower: str) -> bool:
    return lower in _head_words() or _compound().search(lower) is not None


def head_starts(doc: Doc, lowers: list[str] | None = None) -> list[int]:
    """Token indices of organisation heads (a head word, or a compound ending in one), found with one cached
    test per distinct word."""
    if lowers is None:
        lowers = doc.lowers
    found = {lower for lower in set(lowers) if _is_head(lower)}  # each distinct word once
    return [i for i, lower in enumerate(lowers) if lower in found]


def text_to_mentions(text: str) -> list[Mention]:
    """Every organisation mention in `text`, in text order, each with its canonical partner name(s).

    >>> [m.partners for m in text_to_mentions("Dazu gehören die Kreisverwaltungen Soest und Lippe.")]
    [(('Kreis Soest', 'kreis'), ('Kreis Lippe', 'kreis'))]
    """
    doc = tokenize(text)
    lowers = doc.lowers
    grown = [g for start in head_starts(doc, lowers) if (g := grow(doc, start)) is not None]
    by_span: dict[tuple[int, int], Grown] = {}
    for g in grown:  # the first head of a span wins: "Vereins Brücke e.V." is a Verein, the e.V. only its form
        by_span.setdefault((g.first, g.last), g)
    grown = list(by_span.values())
    borrow_places(doc, grown)
    candidates: list[tuple[int, int, tuple[tuple[str, str], ...]]] = []
    for g in grown:
        if is_valid(doc, g):
            partners = tuple(parts_to_partner(g.parts, place) for place in (g.places_ or [""]))
            end = doc[g.last - 1].idx + len(doc[g.last - 1].text) - g.trim
            if doc[g.last - 1].lower_ in g.head.forms and doc[g.last - 1].lower_.rstrip(".") in g.head.forms:
                end -= len(doc[g.last - 1].text) - len(doc[g.last - 1].text.rstrip("."))  # "GmbH." ends a sentence
            candidates.append((doc[g.first].idx, end, partners))
    candidates.extend(_ordinal_place_candidates(doc, lowers))
    by_id = {e.canonical: e for e in gazetteer()}
    for canonical, start, end in _phrase_matches(doc.texts):
        entry = by_id[canonical]
        span = doc[start:end]
        candidates.append((span.start_char, span.end_char, ((entry.canonical, entry.partner_type),)))
    for start, end, entry in _shouted_matches(doc, lowers):
        span = doc[start:end]
        candidates.append((span.start_char, span.end_char, ((entry.canonical, entry.partner_type),)))
    return _resolve_overlaps(text, candidates)


def _ordinal_place_candidates(doc: Doc, lowers: list[str]) -> list[tuple[int, int, tuple[tuple[str, str], ...]]]:
    """Bare places in a sentence like "Nach Dortmund und Gelsenkirchen ist Bochum das dritte Polizeipräsidium …"."""
    ordinals = tuple(patterns()["ordinals"])
    out: list[tuple[int, int, tuple[tuple[str, str], ...]]] = []
    starting = {lower for lower in set(lowers) if lower.startswith(ordinals)}  # each distinct word once
    if not starting:
        return out  # no ordinal word anywhere: no token to look at
    for i in [i for i, lower in enumerate(lowers[:-1], start=1) if lower in starting]:
        found = head_of(doc[i].text)
        if found is None or found[0].slot != "place":
            continue
        head = found[0]
        first, last = _sentence_bounds(doc, i)
        governors = patterns()["place_governors"]
        k = first
        while k < last:
            place = place_at(doc, k)
            governed = k > 0 and (head_of(doc[k - 1].text) is not None or doc[k - 1].lower_ in governors)
            if place is None or place[0] in regions() or governed:
                k += 1
                continue
            parts = Parts(head=head, head_text=doc[i].text, head_form=found[1])
            out.append((doc[k].idx, doc[place[1] - 1].idx + len(doc[place[1] - 1].text),
                        (parts_to_partner(parts, place[0]),)))
            k = place[1]
    return out


def _sentence_bounds(doc: Doc, i: int) -> tuple[int, int]:
    first = i
    while first > 0 and doc[first - 1].text not in {".", "!", "?", "\n"}:
        first -= 1
    last = i
    while last < len(doc) and doc[last].text not in {".", "!", "?", "\n"}:
        last += 1
    return first, last


def _resolve_overlaps(text: str, candidates: list[tuple[int, int, tuple[tuple[str, str], ...]]]) -> list[Mention]:
    kept: list[tuple[int, int, tuple[tuple[str, str], ...]]] = []
    for start, end, partners in sorted(candidates, key=lambda c: (-(c[1] - c[0]), c[0], c[2])):
        if all(end <= s or start >= e for s, e, _ in kept):
            kept.append((start, end, partners))
    return [Mention(s, e, text[s:e], _dedupe(p)) for s, e, p in sorted(kept)]


def _dedupe(partners: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return tuple(dict.fromkeys(partners))
