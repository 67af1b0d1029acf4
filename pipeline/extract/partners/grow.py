"""Growing an organisation head into its full name, token by token (tokens of `tokens.tokenize`).

Left: determiner, attributive adjectives ("Paritätischen"), place adjectives ("Düsseldorfer"), the name before a
legal form ("Rheinbahn AG"). Right, by the head's slot: a place (known from the gazetteer, or one capitalised word
that is neither a generic noun nor a person's first name), coordinated places after a plural head ("Kreisverwaltungen
Soest und Lippe"), a name, quoted name, für-/zu-phrase or genitive ("Landesverband der Volkshochschulen NRW"), a
place after "in"/"aus", a trailing "e.V.".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.extract.base import one_of
from pipeline.extract.partners.canon import Parts
from pipeline.extract.partners.lexicon import (
    Head,
    head_of,
    is_office_word,
    patterns,
    place_adjectives,
    places_by_first_word,
    regions,
)
from pipeline.extract.partners.tokens import Doc, Token
from pipeline.models import adjective_endings, compile_cached


@dataclass
class Grown:
    """A mention grown from its head token, while it is grown."""

    first: int  # token index of the mention's first token
    last: int  # token index after the mention
    head: Head
    parts: Parts
    places_: list[str] = field(default_factory=list)
    left_place: bool = False  # the place came from an adjective before the head ("Gelsenkirchener …")
    trim: int = 0  # characters of the last token that are not the name ("NRW-Hauptgeschäftsführer")


def _is_cap(token: Token) -> bool:
    return token.text[:1].isupper()


def place_at(doc: Doc, k: int) -> tuple[str, int] | None:
    """The known place starting at token k (longest first), with the index after it."""
    for name in places_by_first_word().get(doc[k].lower_, ()) if k < len(doc) else ():
        end = k + len(name)
        if end <= len(doc) and all(doc[k + i].lower_ == part.lower() for i, part in enumerate(name)):
            return " ".join(t.text for t in doc[k:end]), end
    return None


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(patterns()["name_stopwords"]) | frozenset(patterns()["determiners"])


def _is_stop(token: Token) -> bool:
    """A word that never belongs to an organisation's name ("Partner", "März", a determiner)."""
    return token.text in _stopwords() or token.lower_ in _stopwords()


def _looks_like_place(token: Token) -> bool:
    """An unknown capitalised word that may be a place name (not a generic noun, not a head)."""
    text = token.text
    if not _is_cap(token) or not text.isalpha() and "-" not in text or _is_stop(token):
        return False
    if head_of(text) is not None:
        return False
    return not text.lower().endswith(tuple(patterns()["generic_suffixes"]))


def _unit_place_at(doc: Doc, k: int) -> tuple[str, int] | None:
    """An administrative unit as the place of another head ("Jobcenter Kreis Recklinghausen")."""
    found = head_of(doc[k].text) if k + 1 < len(doc) else None
    if found is None or found[0].partner_type not in ("kreis", "kommune") or found[0].slot != "place":
        return None
    place = place_at(doc, k + 1)
    return (doc[k : place[1]].text, place[1]) if place else None


def _unknown_place_at(doc: Doc, k: int) -> tuple[str, int] | None:
    """A place missing from the gazetteer: one capitalised word ("Bad" + word for spa towns), not a person."""
    if doc[k].text in patterns()["place_prefixes"] and k + 1 < len(doc) and _looks_like_place(doc[k + 1]):
        return doc[k : k + 2].text, k + 2
    if _looks_like_place(doc[k]) and not _is_person_name(doc, k):
        return doc[k].text, k + 1
    return None


def _is_person_name(doc: Doc, k: int) -> bool:
    """"Polizeipräsidentin Kerstin Wittmeier": an unknown word followed by another capitalised word is a name;
    so is one followed by a name particle and a capitalised word ("Polizeipräsident Hans von Muster")."""
    if k + 2 < len(doc) and doc[k + 1].lower_ in patterns()["name_particles"] and _is_cap(doc[k + 2]):
        return True
    return k + 1 < len(doc) and _is_cap(doc[k + 1]) and doc[k + 1].text.isalpha() and not _is_stop(doc[k + 1])


@lru_cache(maxsize=1)
def _adjective_ending() -> re.Pattern[str]:
    return compile_cached(rf"{one_of(adjective_endings())}$")


def _adjective_stem(token: Token) -> str | None:
    """The stem of a capitalised attributive adjective ("Paritätischen" -> "Paritätisch"), else None."""
    text = token.text
    if not _is_cap(token):
        return None
    stem = _adjective_ending().sub("", text)
    if stem.lower() in patterns()["adjectives"] or compile_cached(patterns()["adjective_regex"]).match(text):
        return stem
    return None


def _grow_left(doc: Doc, i: int, grown: Grown) -> None:
    j = i - 1
    adjectives: list[str] = []
    while j >= 0:
        token = doc[j]
        if token.text in place_adjectives():
            grown.places_.append(place_adjectives()[token.text])
            grown.left_place = True
        elif (stem := _adjective_stem(token)) is not None:
            adjectives.insert(0, stem)
        else:
            break
        j -= 1
    grown.parts.adjectives = adjectives
    grown.first = j + 1
    if grown.head.slot == "legal":
        names: list[str] = []
        while j >= 0 and (_is_cap(doc[j]) or doc[j].text == "&") and not _is_stop(doc[j]):
            if doc[j].text in place_adjectives():
                grown.places_.append(place_adjectives()[doc[j].text])
            else:
                names.insert(0, doc[j].text)
            j -= 1
            if len(names) >= 4:
                break
        grown.parts.prefix = " ".join(names)
        grown.first = j + 1
    elif (
        j >= 1 and doc[j].lower_ in patterns()["truncation_coordinators"]
        and re.fullmatch(r"[A-ZÄÖÜ]\w+-", doc[j - 1].text)
    ):
        grown.parts.prefix = f"{doc[j - 1].text} {doc[j].text}"  # "Fußball- und Leichtathletik-Verband"
        grown.first = j - 1
    elif (
        grown.head.compound and doc[i].lower_ in grown.head.forms and not adjectives
        and j >= 1 and _is_cap(doc[j]) and not _is_stop(doc[j]) and doc[j - 1].lower_ in patterns()["determiners"]
    ):
        grown.parts.prefix = doc[j].text  # "der Caritas Verband" written apart
        grown.first = j
    grown.parts.has_determiner = grown.first > 0 and doc[grown.first - 1].lower_ in patterns()["determiners"]


def _quoted_name(doc: Doc, k: int) -> tuple[str, int] | None:
    if k >= len(doc) or doc[k].text not in {"„", '"', "‚", ",,", "»", "“"}:
        return None
    for end in range(k + 1, min(len(doc), k + 9)):
        if doc[end].text in {"“", '"', "”", "‘", "«", "'"}:
            inner = doc[k + 1 : end].text
            return (inner, end + 1) if inner else None
    return None


def _capitalised_run(doc: Doc, k: int, limit: int, allow_heads: bool = False) -> tuple[list[str], int, int]:
    """Capitalised words of a name from token k: (words, index after them, characters to trim from the last).
    A person's office ends the run; of a hyphen compound ending in one ("NRW-Hauptgeschäftsführer") the part
    before the office is kept."""
    words: list[str] = []
    while k < len(doc) and len(words) < limit:
        place = place_at(doc, k)
        if place is not None:
            words.append(place[0])
            k = place[1]
            continue
        token = doc[k]
        if _is_cap(token) and "-" in token.text.strip("-") and is_office_word(token.text.rpartition("-")[2]):
            kept = token.text.rpartition("-")[0]
            words.append(kept)
            return words, k + 1, len(token.text) - len(kept)
        if not _is_cap(token) or _is_stop(token) or (not allow_heads and head_of(token.text) is not None):
            break
        if is_office_word(token.text):
            break
        if not (token.text.replace("-", "").replace(".", "").isalnum()):
            break
        words.append(token.text)
        k += 1
    return words, k, 0


def _grow_place_slot(doc: Doc, k: int, grown: Grown) -> int:
    if not grown.head.bare_place:
        return _office_place(doc, k, grown) if not grown.places_ else k
    plural = _is_plural(doc[k - 1].lower_, grown.head)
    place = place_at(doc, k)
    if place is None and grown.head.partner_type not in ("kreis", "kommune"):
        place = _unit_place_at(doc, k)  # "Jobcenter Kreis Recklinghausen", never "Kreise Stadt Duisburg"
    if place is None and k < len(doc):
        place = _unknown_place_at(doc, k)
    while place is not None:
        grown.places_.append(place[0])
        k = place[1]
        place = None
        if plural and k + 1 < len(doc) and doc[k].text in patterns()["coordinators"]:
            place = place_at(doc, k + 1)
            coordinator = doc[k + 1].lower_ in patterns()["word_coordinators"]
            if place is None and _looks_like_place(doc[k + 1]) and not coordinator:
                place = (doc[k + 1].text, k + 2)
    if grown.head.office and not grown.places_:
        return _office_place(doc, k, grown)
    return k


def _person_name_end(doc: Doc, k: int) -> int:
    """The index after a person's name at token k ("Frank Muster", "Hans von Beispiel"), else k."""
    end = k
    while end < len(doc) and end - k < 4:
        token = doc[end]
        if (
            token.lower_ in patterns()["name_particles"] and end > k and end + 1 < len(doc) and _is_cap(doc[end + 1])
            and place_at(doc, end + 1) is None  # "Erika Muster von Hamm": the preposition of a place
        ):
            end += 1
            continue
        if not (_is_cap(token) and token.text.replace("-", "").isalpha()) or _is_stop(token) or head_of(token.text):
            break
        if place_at(doc, end) is not None and end > k:
            break
        end += 1
    return end


def _office_place(doc: Doc, k: int, grown: Grown) -> int:
    """The place of an office after its holder's name: "Landrat Max Muster aus Lippe" -> Lippe."""
    at = _person_name_end(doc, k)
    if at + 1 < len(doc) and doc[at].lower_ in patterns()["office_place_prepositions"]:
        place = place_at(doc, at + 1)
        if place is not None and place[0] not in regions():
            grown.places_.append(place[0])
            return place[1]
    return k


def _is_plural(form: str, head: Head) -> bool:
    singular = {head.lemma.lower(), head.canonical.lower()}
    return form not in singular and form.endswith(("en", "e", "n", "ien")) and not form.endswith("es")


def _grow_name_slot(doc: Doc, k: int, grown: Grown) -> int:
    quoted = _quoted_name(doc, k)
    if quoted is not None:
        grown.parts.names.append(quoted[0])
        k = quoted[1]
    elif (unit := _unit_place_at(doc, k)) is not None:
        grown.parts.names.append(unit[0])  # "Kommunales Integrationszentrum Kreis Mettmann"
        k = unit[1]
    else:
        words, k, grown.trim = _capitalised_run(doc, k, 3)
        grown.parts.names.extend(words)
    if not grown.trim and k + 1 < len(doc) and doc[k].lower_ in patterns()["name_prepositions"]:
        start = k
        k += 1
        if doc[k].lower_ in patterns()["determiners"]:
            k += 1
        words, after, trim = _capitalised_run(doc, k, 3, allow_heads=True)
        if words and not trim:
            grown.parts.names.append(doc[start:after].text)
            k = after
        else:
            k = start
    if not grown.parts.names and k + 1 < len(doc) and doc[k].lower_ in patterns()["genitive_articles"]:
        words, after, trim = _capitalised_run(doc, k + 1, 3, allow_heads=True)
        if words and not trim:
            grown.parts.names.append(doc[k:after].text)
            k = after
    return k


def _grow_right(doc: Doc, i: int, grown: Grown) -> None:
    k = i + 1
    if grown.head.slot == "place":
        k = _grow_place_slot(doc, k, grown)
    elif grown.head.slot == "name":
        k = _grow_name_slot(doc, k, grown)
        if grown.trim:  # the name ended inside an office compound: nothing after it belongs to the name
            grown.last = k
            return
    elif grown.head.slot == "legal":
        place = place_at(doc, k)
        if place is not None:
            grown.places_.append(place[0])
            k = place[1]
    if not grown.places_ and grown.parts.has_determiner and k + 1 < len(doc):
        place = place_at(doc, k + 1) if doc[k].lower_ in patterns()["place_prepositions"] else None
        if place is not None and not (grown.head.slot == "place" and place[0] in regions()):
            grown.places_.append(place[0])  # "Forum in Lünen", "Verband in NRW"; not "die Städte in NRW"
            k = place[1]
    if k < len(doc) and doc[k].lower_ in patterns()["legal_suffixes"]:
        k += 1
    grown.last = k


def grow(doc: Doc, i: int) -> Grown | None:
    found = head_of(doc[i].text)
    if found is None:
        return None
    head, form = found
    head_text = doc[i].text
    if form.endswith(".") and form.rstrip(".") in head.forms:
        head_text = head_text.rstrip(".")  # "GmbH." at the end of a sentence
    grown = Grown(i, i + 1, head, Parts(head=head, head_text=head_text, head_form=form))
    _grow_left(doc, i, grown)
    _grow_right(doc, i, grown)
    return grown


def is_valid(doc: Doc, grown: Grown) -> bool:
    parts = grown.parts
    if grown.first > 0 and doc[grown.first - 1].lower_ in patterns()["generic_predeterminers"]:
        return False  # "als erster Spitzenverband des Handwerks", "eine Stadt": a description, not a name
    if grown.head.slot == "place":
        return bool(grown.places_)
    if grown.head.slot == "legal":
        return bool(parts.prefix)
    return bool(parts.names or grown.places_ or parts.adjectives or parts.prefix)


def borrow_places(doc: Doc, grown: list[Grown]) -> None:
    """"der Polizeipräsident und das Jobcenter aus Dortmund": a bare head shares the next head's place;
    "der Gelsenkirchener Oberbürgermeister (Frank Muster) und der Polizeipräsident": a place adjective before the
    first head of a coordination holds for the next one too."""
    by_first = {g.first: g for g in grown}
    by_last = {g.last: g for g in grown}
    for g in grown:
        if g.places_ or g.head.slot != "place":
            continue
        k = g.last
        if k < len(doc) and doc[k].text in patterns()["coordinators"]:
            k += 1
            if k < len(doc) and doc[k].lower_ in patterns()["determiners"]:
                k += 1
            nxt = by_first.get(k)
            if nxt is not None and nxt.places_:
                g.places_ = list(nxt.places_)
                continue
        previous = _coordinated_before(doc, g.first, by_last)
        if previous is not None and previous.left_place:
            g.places_ = list(previous.places_)


def _coordinated_before(doc: Doc, first: int, by_last: dict[int, Grown]) -> Grown | None:
    """The head coordinated before token `first` ("… Oberbürgermeister Frank Muster und dem |Polizeipräsidenten"):
    back over a determiner, a coordinator and the previous holder's name."""
    k = first - 1
    if k >= 0 and doc[k].lower_ in patterns()["determiners"]:
        k -= 1
    if k < 1 or doc[k].lower_ not in patterns()["word_coordinators"]:
        return None
    for last in range(k, max(0, k - 5) - 1, -1):
        previous = by_last.get(last)
        if previous is not None and _person_name_end(doc, last) == k:
            return previous
    return None
