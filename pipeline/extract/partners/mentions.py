"""Organisation mentions in German text: heads found on spaCy tokens, grown into full names.

`text_to_mentions` tokenises with `spacy.blank("de")`, finds organisation heads (the Matcher patterns of
`head_matcher`, built from `models/patterns/partners.json`, tested once per distinct word) and gazetteer names
(PhraseMatcher over `models/gazetteer/gazetteer.json`), grows each head to its determiner, adjectives and name
("der Paritätische Wohlfahrtsverband in NRW"), expands coordinations ("die Kreisverwaltungen Soest und Lippe",
"der Polizeipräsident und das Jobcenter aus Dortmund") and resolves overlaps (longest wins). Each mention
carries the canonical name(s) it stands for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from pipeline.extract.partners.canon import Parts, parts_to_partner
from pipeline.extract.partners.grow import Grown, borrow_places, grow, is_valid, place_at
from pipeline.extract.partners.lexicon import GazetteerEntry, gazetteer, head_of, heads, patterns, regions

_MIN_SHOUTED = 4  # letters of a word written in capitals for emphasis; shorter ones are acronyms ("NRW", "IHK")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    partners: tuple[tuple[str, str], ...]  # (canonical name, partner_type)

    @property
    def partner_types(self) -> tuple[str, ...]:
        return tuple(t for _, t in self.partners)


@lru_cache(maxsize=1)
def _nlp() -> Language:
    nlp = spacy.blank("de")
    tokenizer: Tokenizer = nlp.tokenizer  # type: ignore[assignment]
    tokenizer.max_cache_size = _MAX_CACHED_CHUNKS
    return nlp


_MAX_CACHED_CHUNKS = 200_000
_cached_chunks: set[str] = set()


def make_doc(text: str) -> Doc:
    """`nlp.make_doc(text)`, fast: every word-like chunk is first tokenised on its own, once per process.

    spaCy caches the tokens of a whitespace-delimited chunk, but within one call it stops caching after the first
    special case (every newline is one), so whole documents were tokenised from scratch, chunk by chunk, every
    time. Tokenised alone, a chunk is cached; the tokens are the same either way (tests/test_partners.py).
    """
    nlp = _nlp()
    if len(_cached_chunks) < _MAX_CACHED_CHUNKS:
        for chunk in set(text.split()) - _cached_chunks:
            nlp.tokenizer(chunk)
            _cached_chunks.add(chunk)
    return nlp.make_doc(text)


def head_matcher() -> Matcher:
    """The organisation heads as spaCy Matcher patterns: the heads as words, and a regex for compounds ending in
    a head ("Caritas|verband"); which head it is, `grow` asks `head_of`. `head_starts` finds the same tokens."""
    matcher = Matcher(_nlp().vocab)
    matcher.add("HEAD", [[{"LOWER": {"IN": sorted(_head_words())}}], [{"LOWER": {"REGEX": _compound().pattern}}]])
    return matcher


@lru_cache(maxsize=2)
def _phrases(attr: str = "ORTH") -> PhraseMatcher:
    """The gazetteer's names as written (ORTH), or in any case (LOWER, for names with a word in capitals)."""
    nlp = _nlp()
    phrases = PhraseMatcher(nlp.vocab, attr=attr)
    for entry in gazetteer():
        names = [entry.canonical, *entry.aliases]
        phrases.add(entry.canonical, [nlp.make_doc(n) for n in names])
    return phrases


def _is_shouted(word: str) -> bool:
    return len(word) >= _MIN_SHOUTED and word.isalpha() and word.isupper()


def _shouted_matches(doc: Doc, lowers: list[str]) -> list[tuple[int, int, GazetteerEntry]]:
    """Gazetteer names written with words in capitals ("Der PARITÄTISCHE NRW" for "Der Paritätische NRW"): every
    word that differs from the name's spelling is in capitals, at least one of them a word, not an acronym."""
    if not any(_is_shouted(token.text) for token in doc):
        return []
    by_id = {e.canonical: e for e in gazetteer()}
    found = []
    for match_id, start, end in _phrases("LOWER")(doc):
        entry = by_id[doc.vocab.strings[match_id]]
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
    return re.compile(f"^\\w[\\w-]{{2,}}(?:{'|'.join(suffixes)})$")  # "Caritasverband", "Basketball-Verband"


@lru_cache(maxsize=2**16)
def _is_head(lower: str) -> bool:
    return lower in _head_words() or _compound().search(lower) is not None


def head_starts(doc: Doc, lowers: list[str] | None = None) -> list[int]:
    """Token indices of organisation heads: what `head_matcher()` matches, found with one cached
    test per distinct word instead of a regex per token (several times faster; the same tokens, tested)."""
    if lowers is None:
        lowers = [token.lower_ for token in doc]
    return [i for i, lower in enumerate(lowers) if _is_head(lower)]


def text_to_mentions(text: str) -> list[Mention]:
    """Every organisation mention in `text`, in text order, each with its canonical partner name(s).

    >>> [m.partners for m in text_to_mentions("Dazu gehören die Kreisverwaltungen Soest und Lippe.")]
    [(('Kreis Soest', 'kreis'), ('Kreis Lippe', 'kreis'))]
    """
    doc = make_doc(text)
    phrases = _phrases()
    lowers = [token.lower_ for token in doc]  # one pass over the tokens (each access builds a Token object)
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
    candidates.extend(_ordinal_place_candidates(doc, text, lowers))
    by_id = {e.canonical: e for e in gazetteer()}
    for match_id, start, end in phrases(doc):
        entry = by_id[doc.vocab.strings[match_id]]
        span = doc[start:end]
        candidates.append((span.start_char, span.end_char, ((entry.canonical, entry.partner_type),)))
    for start, end, entry in _shouted_matches(doc, lowers):
        span = doc[start:end]
        candidates.append((span.start_char, span.end_char, ((entry.canonical, entry.partner_type),)))
    return _resolve_overlaps(text, candidates)


def _ordinal_place_candidates(
    doc: Doc, text: str, lowers: list[str]
) -> list[tuple[int, int, tuple[tuple[str, str], ...]]]:
    """Bare places in a sentence like "Nach Dortmund und Gelsenkirchen ist Bochum das dritte Polizeipräsidium …"."""
    ordinals = tuple(patterns()["ordinals"])
    out: list[tuple[int, int, tuple[tuple[str, str], ...]]] = []
    lowered = text.lower()
    if not any(ordinal in lowered for ordinal in ordinals):
        return out  # no ordinal word anywhere: no token to look at
    for i in range(1, len(doc)):
        if not lowers[i - 1].startswith(ordinals):  # the cheap test first
            continue
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
