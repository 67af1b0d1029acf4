"""What a number counts: the noun after it, "%" / "Prozent", a label before it, the noun of an earlier count.

`quantity_to_reading` reads the words after a quantity and rejects what is not a figure (ordinals, durations,
labels such as "Mal", "Uhr", "Seite"); `label_reading`, `range_reading` and `elliptic_reading` read counts whose
noun stands elsewhere ("Teilnehmende: 1.250", "von 8,5 auf 11,2 Prozent", "… bei der Stadt Hamm sind es über 2.900").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline.extract.base import one_of
from pipeline.extract.figures.context import qualifier_before, words
from pipeline.extract.figures.lexicon import (
    fold,
    folded_list,
    is_function_word,
    is_non_count_noun,
    lexicon,
    noun_to_unit,
)
from pipeline.extract.figures.mentions import Quantity, is_percent_word, multiplier_unit, next_token
from pipeline.extract.numbers import is_year
from pipeline.models import compile_cached

_MAX_GAP = 4  # words between a number and its noun ("zwei gut qualifizierte Flüchtlinge")


@dataclass(frozen=True)
class Reading:
    """A quantity read as a figure: its unit and the span of the words that name what is counted."""

    quantity: Quantity
    unit: str
    end: int  # end of the unit word ("%", "Prozent", the noun)
    noun_start: int  # start of the counted phrase (== end when nothing follows the number)
    label: str = ""  # what is counted when a label before the number names it ("Teilnehmende: 1.250")


def _is_gap_word(token: str) -> bool:
    """Words that may stand between a number and its noun: adverbs and adjectives ("gut qualifizierte")."""
    folded = fold(token)
    if folded in folded_list("free_gap_words"):
        return True
    return len(token) > 3 and any(folded.endswith(ending) for ending in lexicon()["adjective_endings"])


def _count_nouns() -> list[str]:
    return lexicon()["phrase_words"]["count_nouns"]  # type: ignore[no-any-return]


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    """The reading patterns: mechanisms here, their German words from the figures lexicon."""
    counted = rf"{words('count_links')}\s+(?:[a-zäöüß][\w-]*\s+){{0,2}}([A-ZÄÖÜ][\w-]*)"
    nouns = "|".join(f"[{n[0].upper()}{n[0].lower()}]{re.escape(n[1:])}" for n in _count_nouns())
    return {
        # "Stadt- und Kreissportbünden": the conjuncts before the head
        "truncated_tail": compile_cached(
            rf"(?:,?\s*[A-ZÄÖÜ][\w]*-)*\s+{one_of(lexicon()['coordinators'])}\s+[A-ZÄÖÜ][\w-]*[\w]"
        ),
        "range_link": compile_cached(rf"\s*(?:{words('range_links')}|[–-])\s*"),
        "part_link": compile_cached(rf"\s+{words('part_links')}(?:\s+{words('part_fillers')})?\s+"),
        "count_noun": compile_cached(
            rf"(?:(?<![\w-])(?:{nouns})\s+{counted}"
            rf"|(?<![\w-])([A-ZÄÖÜ][\w-]*?){words('count_compound_tails')}(?![\w-]))"
        ),
    }


def _is_name_adjective(text: str, token: re.Match[str]) -> bool:
    """A capitalised adjective inside a name, followed by the noun it qualifies ("Kommunale Integrationszentren")."""
    word = token.group()
    endings = lexicon()["name_adjective_endings"]
    if noun_to_unit(word) is not None or is_non_count_noun(word) or not word.lower().endswith(tuple(endings)):
        return False
    following = next_token(text, token.end())
    return following is not None and following.group()[:1].isupper() and not is_function_word(following.group())


def find_noun(text: str, pos: int) -> tuple[int, int] | None:
    """The span of the counted noun after a number: skips adjectives and short parentheses, stops elsewhere."""
    for _ in range(_MAX_GAP):
        token = next_token(text, pos)
        if token is None or "\n" in text[pos : token.start()]:
            return None
        word = token.group()
        pos = token.end()
        if word.startswith("("):
            continue
        if not word[:1].isalpha() or is_function_word(word):
            return None
        if word[:1].isupper() and _is_name_adjective(text, token):
            continue  # "54 Kommunale Integrationszentren"
        if word[:1].isupper():
            if word.endswith("-"):  # "Stadt- und Kreissportbünden": the head is the last conjunct
                rest = _patterns()["truncated_tail"].match(text, token.end())
                return (token.start(), rest.end()) if rest else None
            end = token.end() - (1 if word.endswith(".") else 0)
            return token.start(), end
        if not _is_gap_word(word):
            return None
    return None


def quantity_to_reading(text: str, quantity: Quantity) -> Reading | None:
    """Read what a quantity counts; None when it is not a count or share.

    >>> from pipeline.extract.figures.mentions import text_to_quantities
    >>> text = "mit 1200 Beschäftigten, am 26. März 2012, seit zehn Jahren, 48,7 % und Drucksache 16/850"
    >>> [(r.quantity.written, r.unit) for q in text_to_quantities(text) if (r := quantity_to_reading(text, q))]
    [('1200', 'persons'), ('48,7', 'percent')]
    """
    if quantity.is_share:
        noun = find_noun(text, quantity.end)
        if noun is not None and is_non_count_noun(text[noun[0] : noun[1]]):
            return None  # "jeden dritten Monat" is a frequency
        return Reading(quantity, "percent", quantity.end, quantity.end)
    multiplied = multiplier_unit(text, quantity.end)
    if multiplied is not None:
        return Reading(quantity, multiplied, quantity.end, quantity.end)
    percent_end = is_percent_word(text, quantity.end)
    if percent_end is not None:
        return Reading(quantity, "percent", percent_end, percent_end)
    noun = find_noun(text, quantity.end)
    if noun is None:
        return None
    word = text[noun[0] : noun[1]].split()[-1]
    if is_non_count_noun(word):
        return None
    unit = noun_to_unit(word)
    if unit is None and sum(c.isupper() for c in word) >= 2:
        return None  # an acronym after a number names a law or code ("§ 5 Satz 2 TIntG", "Art. 3 GG")
    ungrouped_long = quantity.written.isdigit() and len(quantity.written) >= 5  # postcodes, phone numbers
    if (
        quantity.is_digits
        and unit is None
        and (is_year(quantity.value, quantity.written) or ungrouped_long or quantity.value < 2)
    ):
        return None
    if quantity.is_digits and is_year(quantity.value, quantity.written) and not qualifier_before(text, quantity.start):
        return None  # "in 2016 Beschäftigte befragt", "wurde 2014 Partner"; but "über 2000 Beschäftigte"
    return Reading(quantity, unit or "other", noun[1], noun[0])


_SENTENCE_BREAK = compile_cached(r"[.!?][\"“”»«]?\s+[\dA-ZÄÖÜ„\"»]|\n")
_ELLIPSIS_END = compile_cached(r"\s*(?:[,;)]|\.(?:\s+([^\W\d_]+)|\s*$|\s*\n|\s+[^\w\s])|\s+([^\W\d_]+\.?)\s)")
_ELLIPSIS_REACH = 200


def elliptic_reading(text: str, quantity: Quantity, previous: Reading | None) -> Reading | None:
    """A number whose noun is left out because the sentence named it just before.

    >>> from pipeline.extract.figures.mentions import text_to_quantities
    >>> text = "Bielefeld beschäftigt knapp 4.800 Mitarbeiter, bei der Stadt Hamm sind es über 2.900. Das ist viel."
    >>> quantities = text_to_quantities(text)
    >>> first = quantity_to_reading(text, quantities[0])
    >>> reading = elliptic_reading(text, quantities[1], first)
    >>> reading.quantity.written, reading.unit
    ('2.900', 'persons')
    >>> text = "Von den 86 Beschäftigten haben 61 an einem Workshop teilgenommen, seit 20 Jahren."
    >>> quantities = text_to_quantities(text)
    >>> first = quantity_to_reading(text, quantities[0])
    >>> [elliptic_reading(text, q, first) is not None for q in quantities[1:]]
    [True, False]
    """
    if previous is None or previous.unit in ("percent", "other") or quantity.is_share:
        return None
    between = text[previous.end : quantity.start + 1]  # with its first character: ". 5" starts a new item
    if len(between) > _ELLIPSIS_REACH or _SENTENCE_BREAK.search(between):
        return None
    if is_year(quantity.value, quantity.written) or quantity.value < 2:
        return None
    end = _ELLIPSIS_END.match(text, quantity.end)
    if end is None:
        return None
    if end.group(1) and not is_function_word(end.group(1)):
        return None  # "am 26. März", "5. Deutschen": an ordinal, not the end of a sentence
    if end.group(2) and not is_function_word(end.group(2)):
        return None  # "61 an einem Workshop", "fünf einen Migrationshintergrund" read on; "20 Jahre" does not
    return Reading(quantity, previous.unit, quantity.end, quantity.end)


_LABEL = compile_cached(r"([^\n.;:!?]{1,80}):[ \t]*$")
_LABEL_END = compile_cached(r"[ \t]*(?:[,;)]|\n|$|\.[ \t]*(?:\n|$))")  # not "1. Alle …", a list item


def label_reading(text: str, quantity: Quantity) -> Reading | None:
    """A count after a label that names what is counted ("Teilnehmende der Sprachkurse: 1.250").

    >>> from pipeline.extract.figures.mentions import text_to_quantities
    >>> text = "Teilnehmende der Sprachkurse (A1-B2): 1.250, Telefon: 0211 855, Seite: 3."
    >>> [(q.written, r.unit) for q in text_to_quantities(text) if (r := label_reading(text, q))]
    [('1.250', 'persons')]
    >>> text = "Das Jobcenter hat sich zu folgenden Maßnahmen verpflichtet: 1. Alle Beschäftigten"
    >>> [q.written for q in text_to_quantities(text) if label_reading(text, q)]
    []
    """
    before = text[max(0, quantity.start - 90) : quantity.start]
    if not (before.rstrip(" \t").endswith(":") or (before.endswith("\n") and before[:-1].rstrip(" \t").endswith(":"))):
        return None  # what `_LABEL` needs at its end (cheap, and most numbers fail it)
    label = _LABEL.search(text, max(0, quantity.start - 90), quantity.start)
    if label is None or not quantity.is_digits or not _LABEL_END.match(text, quantity.end):
        return None
    if is_year(quantity.value, quantity.written):
        return None
    for word in re.findall(r"[A-ZÄÖÜ][\w-]*", re.sub(r"\([^()]*\)", " ", label.group(1))):
        if is_function_word(word):
            continue
        unit = noun_to_unit(word)
        if unit is not None:
            return Reading(quantity, unit, quantity.end, quantity.end, label.group(1).strip())
    return None


def range_reading(text: str, quantity: Quantity, following: Quantity | None) -> Reading | None:
    """The first number of a range, a change or a part, counted like the second: "von 8,5 auf 11,2 Prozent",
    "zwischen 5 und 10 %", "18 der 41 Partner", "2.345 von 4.100 Beschäftigten".

    >>> from pipeline.extract.figures.mentions import text_to_quantities
    >>> text = "Der Anteil stieg von 8,5 auf 11,2 Prozent; 18 der 41 Partner nahmen teil."
    >>> quantities = text_to_quantities(text)
    >>> [range_reading(text, first, second).unit for first, second in (quantities[:2], quantities[2:])]
    ['percent', 'organisations']
    """
    if following is None or quantity.value < 2 or quantity.is_share or is_year(quantity.value, quantity.written):
        return None
    linked = _patterns()["range_link"].fullmatch(text, quantity.end, following.start)
    if linked and following.is_digits == quantity.is_digits:
        if is_percent_word(text, following.end) is not None:
            return Reading(quantity, "percent", quantity.end, quantity.end)
    if _patterns()["part_link"].fullmatch(text, quantity.end, following.start):
        whole = quantity_to_reading(text, following)
        if whole is not None and whole.unit != "percent" and following.value > quantity.value:
            return Reading(quantity, whole.unit, quantity.end, quantity.end, text[whole.noun_start : whole.end])
    return None


_CLAUSE_START = compile_cached(r".*(?:[.!?]\s|\n)", re.DOTALL)
_ORDINAL_AFTER = compile_cached(r"\.\s+([^\W\d_]+)")


def count_noun_reading(text: str, quantity: Quantity) -> Reading | None:
    """A number the sentence introduced as "die Zahl der X" or "X-zahl" ("Die Beschäftigtenzahl stieg auf 1.719").

    >>> from pipeline.extract.figures.mentions import text_to_quantities
    >>> text = "Damit ist die Zahl der Partner auf 41 gestiegen. Die Beschäftigtenzahl lag 2017 bei 1.719."
    >>> [(q.written, r.unit) for q in text_to_quantities(text) if (r := count_noun_reading(text, q))]
    [('41', 'organisations'), ('1.719', 'persons')]
    """
    if is_year(quantity.value, quantity.written) or quantity.value < 2 or quantity.is_share:
        return None
    ordinal = _ORDINAL_AFTER.match(text, quantity.end)
    if ordinal and not is_function_word(ordinal.group(1)):
        return None  # "im 3. Quartal"
    window_start = max(0, quantity.start - 200)
    clause = _CLAUSE_START.match(text, window_start, quantity.start)
    begin = clause.end() if clause else window_start
    for match in reversed(list(_patterns()["count_noun"].finditer(text, begin, quantity.start))):
        noun = match.group(1) or match.group(2)
        unit = noun_to_unit(noun) if noun else None
        if unit is not None:
            return Reading(quantity, unit, quantity.end, quantity.end, text[match.start() : match.end()])
    return None


def coordinated_reading(text: str, quantity: Quantity, following: Quantity | None) -> Reading | None:
    """The first of two counts that share one noun: "300 ehrenamtlich und 160 hauptamtlich Tätige",
    "zwei hauptamtliche oder drei ehrenamtliche Lotsen".

    >>> from pipeline.extract.figures.mentions import text_to_quantities
    >>> text = "Es helfen 300 ehrenamtlich und 160 hauptamtlich Tätige."
    >>> first, second = text_to_quantities(text)
    >>> coordinated_reading(text, first, second).unit
    'persons'
    """
    if following is None or quantity.is_share or quantity.value < 2 or is_year(quantity.value, quantity.written):
        return None
    between = text[quantity.end : following.start].split()
    if not between or between[-1] not in lexicon()["coordinators"] or "\n" in text[quantity.end : following.start]:
        return None
    if len(between) - 1 > _MAX_GAP or not all(_is_gap_word(word) for word in between[:-1]):
        return None
    shared = quantity_to_reading(text, following)
    if shared is None or shared.unit in ("percent", "other"):
        return None
    return Reading(quantity, shared.unit, quantity.end, quantity.end, text[shared.noun_start : shared.end])
