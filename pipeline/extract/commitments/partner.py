"""The partner that made a list of commitments, named in the nominative.

Found after a report anchor ("Umsetzungsbericht der Bezirksregierung Arnsberg") or in the sentence that
introduces the list ("hatte die Bezirksregierung 2012 vereinbart, folgende Ziele umzusetzen"); a bare head
("Bezirksregierung") is completed from the fullest form the document uses ("Bezirksregierung Arnsberg").
Inflected forms are normalised: "des Jobcenters Dortmund" → "Jobcenter Dortmund", "des Paritätischen
Wohlfahrtsverbandes" → "Paritätischer Wohlfahrtsverband".
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Any

from pipeline.models import load_json

_TOKEN = re.compile(r"[A-ZÄÖÜ][\wÄÖÜäöüß.&'-]*|e\.V\.|e\. V\.|gGmbH|eG")
_ADJECTIVE_ENDINGS = {"m": "er", "n": "es", "f": "e"}


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    data = load_json("patterns/commitments.json")
    heads = {k: v for k, v in data["organisation_heads"].items() if not k.startswith("_")}
    return {
        "report": [re.compile(r) for r in data["report_anchor_regexes"]],
        "commit": [re.compile(r) for r in data["commit_anchor_regexes"]],
        "heads": heads,
        "acronyms": frozenset(data["organisation_acronyms"]),
        "connectors": sorted(data["organisation_connectors"], key=len, reverse=True),
        "stop": frozenset(data["organisation_stop_words"]),
        "canonical_heads": data["canonical_heads"],
    }


def _head(token: str) -> tuple[str, str, str] | None:
    """(head, gender, inflection suffix) when the token ends in a known head noun, maybe inflected."""
    lower = token.lower()
    for head, gender in sorted(_data()["heads"].items(), key=lambda kv: -len(kv[0])):
        for suffix in ("", "es", "s", "en", "n"):
            if lower.endswith(head + suffix) and (suffix or lower.endswith(head)):
                return head, gender, suffix
    return None


def name_at(text: str, start: int) -> list[str]:
    """The capitalised tokens of an organisation name beginning at `start` (connectors kept).

    >>> name_at("der Caritasverband für den Kreis Unna im Zeitraum 2016", 4)
    ['Caritasverband', 'für den', 'Kreis', 'Unna']
    """
    data = _data()
    tokens: list[str] = []
    position = start
    while True:
        while position < len(text) and text[position] in " \t":
            position += 1
        connector = next((c for c in data["connectors"] if text.startswith(c + " ", position)
                          or text.startswith(c, position) and c.isupper()), None)
        if tokens and connector and connector[0].islower():
            after = _TOKEN.match(text, position + len(connector) + 1)
            if after and after.group().rstrip(".") not in data["stop"]:
                tokens.append(connector)
                position += len(connector)
                continue
        match = _TOKEN.match(text, position)
        if not match or match.group().rstrip(".,") in data["stop"]:
            break
        word = match.group()
        if word.endswith(".") and word not in data["acronyms"] and not word.endswith("e.V."):
            tokens.append(word.rstrip("."))
            break
        tokens.append(word)
        position = match.end()
    return tokens


def tokens_to_name(tokens: list[str], article: str) -> str:
    """The nominative name from its tokens and the article before it.

    >>> tokens_to_name(["Paritätischen", "Wohlfahrtsverbandes", "NRW"], "des")
    'Paritätischer Wohlfahrtsverband NRW'
    >>> tokens_to_name(["Jobcenters", "Dortmund"], "des")
    'Jobcenter Dortmund'
    """
    article = article.lower()
    for index, token in enumerate(tokens):
        found = _head(token)
        if not found:
            continue
        head, gender, suffix = found
        if suffix and article in ("des", "dem", "den") or suffix and gender in ("m", "n") and article == "der":
            tokens = [*tokens[:index], token[: len(token) - len(suffix)], *tokens[index + 1 :]]
        if article in ("des", "dem", "den") or (article == "der" and gender == "f"):
            tokens = [_nominative_adjective(t, gender) for t in tokens[:index]] + tokens[index:]
        return " ".join(tokens[: _name_length(tokens)])
    return ""


def _nominative_adjective(token: str, gender: str) -> str:
    return token[:-2] + _ADJECTIVE_ENDINGS[gender] if token.endswith("en") else token


def _name_length(tokens: list[str]) -> int:
    length = len(tokens)
    while length > 1 and tokens[length - 1][:1].islower() and tokens[length - 1] not in ("e.V.", "eG", "gGmbH"):
        length -= 1
    return length


def _candidates(text: str, patterns: list[re.Pattern[str]], start: int, end: int) -> list[str]:
    names = []
    for pattern in patterns:
        for match in pattern.finditer(text, start, end):
            article = re.findall(r"\b(der|des|die|das|dem|den|Die|Der|Das)\s+$", match.group())
            name = tokens_to_name(name_at(text, match.end()), article[-1] if article else "")
            if name:
                names.append((match.start(), name))
    return [n for _, n in sorted(names)]


def _completed(text: str, name: str) -> str:
    """A bare name ("Bezirksregierung") completed with the most frequent continuation in the text."""
    if " " in name:
        return name
    following = Counter(
        " ".join(name_at(text, m.start())[:3]) for m in re.finditer(rf"\b{re.escape(name)}\s+[A-ZÄÖÜ]", text)
    )
    best = [n for n, _ in following.most_common() if n and n != name and _head(n.split()[-1]) is None]
    return best[0] if best else name


def text_to_committing_partner(text: str, list_start: int, title: str = "") -> str:
    """The partner that committed to the list starting at `list_start`.

    >>> text_to_committing_partner("Umsetzungsbericht der Stadt Köln im Zeitraum 2016. Ziele: 1. Eins", 58)
    'Stadt Köln'
    """
    data = _data()
    intro_start = max(0, list_start - 800)
    names = _candidates(text, data["report"], 0, list_start) or _candidates(title, data["report"], 0, len(title))
    if not names:
        names = _candidates(text, data["commit"], intro_start, list_start)
    return _canonical(_completed(text, names[-1])) if names else ""


def _canonical(name: str) -> str:
    """The organisation rather than its administration: "Kreisverwaltung Soest" → "Kreis Soest"."""
    first, _, rest = name.partition(" ")
    replacement = _data()["canonical_heads"].get(first)
    return f"{replacement} {rest}" if replacement and rest else name
