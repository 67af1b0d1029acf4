"""What surrounds a figure: its qualifier ("knapp"), what it measures, whose it is (subject) and its year."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from pipeline.extract.base import one_of
from pipeline.extract.figures.lexicon import fold, folded_list, lexicon, noun_to_unit
from pipeline.models import adjective_endings, compile_cached

_WORDS_BEFORE = compile_cached(r"([^\W\d_]+\.?)\s*$")
_YEAR = compile_cached(r"(?:(?<=\b\d\.)|(?<=\b\d\d\.)|(?<![\d./,\w-]))(?:19|20)\d{2}(?![\d/\w]|[.,]\d)")


def words(name: str) -> str:
    """The alternation of one of the figures' phrase word lists (`phrase_words` in models/patterns/figures.json)."""
    return one_of(lexicon()["phrase_words"][name])


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    """The context patterns: mechanisms here, their German words from the figures lexicon."""
    adjectives = rf"(?:[a-zäöüß][\w-]*{one_of(adjective_endings())}\s+){{0,2}}"  # "der jungen Menschen"
    not_adjective = rf"(?!(?:{words('determiners')}|{words('determiner_stems')}\w*)\s)"
    name = r"[A-ZÄÖÜ][\w-]*"
    return {
        "coordinated": compile_cached(rf"(?:,\s*{name})*(?:\s+{words('noun_coordinators')}\s+{name})?"),
        "complement": compile_cached(
            rf"\s+(?:{words('complement_prepositions')}\s+(?:{words('complement_articles')}\s+)?"
            rf"|{words('complement_bare_prepositions')}\s+)"
            rf"(?:{not_adjective}[a-zäöüß][\w-]*{one_of(adjective_endings())}\s+){{0,2}}{name}(?:\s+{name})?"
        ),
        "genitive_before": compile_cached(rf"(?:\b{words('genitive_before')}\s+){adjectives}({name})"),
        "genitive_after": compile_cached(rf"\s+{words('genitive_after')}\s+{adjectives}{name}"),
        "sentence_subject": compile_cached(rf"{words('sentence_articles')}\s+((?:[a-zäöüß][\w-]*\s+)?{name})"),
        "relative_start": compile_cached(
            rf"\s*(?:{words('relative_prepositions')}\s+)?{words('relative_pronouns')}\s"
        ),
    }


def qualifier_before(text: str, start: int) -> str:
    """The qualifier written just before a number ("knapp", "über", "mehr als"), skipping neutral words.

    >>> qualifier_before("Es waren annähernd ", 19), qualifier_before("mehr als insgesamt ", 19)
    ('annähernd', 'mehr als')
    >>> qualifier_before("Informationen zu ", 17)
    ''
    """
    qualifiers = {fold(word): canonical for word, canonical in lexicon()["qualifiers"].items()}
    words: list[str] = []
    left = text[max(0, start - 60) : start]
    while len(words) < 4:
        match = _WORDS_BEFORE.search(left)
        if match is None:
            break
        words.insert(0, match.group(1))
        left = left[: match.start()]
    while words:
        for size in (3, 2, 1):
            if len(words) >= size:
                phrase = fold(" ".join(words[-size:]))
                if qualifiers.get(phrase):
                    return qualifiers[phrase]
        if qualifiers.get(fold(words[-1])) == "":
            words.pop()
            continue
        break
    return ""


def _is_same_kind(head: str, last: list[str]) -> bool:
    """Coordinated nouns count the same kind of thing ("Behörden, Verbände und Unternehmen",
    "Besucherinnen und Besucher"), unlike "20 Plätzen und Informationsmaterial"."""
    if not last:
        return False
    head_word, other = head.split()[-1], last[0].strip(",")
    unit = noun_to_unit(head_word)
    return (unit is not None and unit == noun_to_unit(other)) or fold(head_word)[:5] == fold(other)[:5]


def measure_phrase(text: str, noun_start: int, noun_end: int) -> tuple[str, int]:
    """What is counted: the noun with its adjectives, coordinated nouns and one complement.

    >>> text = "34 Behörden, Verbände und Unternehmen angeschlossen; zwei Flüchtlinge aus Syrien beschäftigt"
    >>> noun = text.index("Flüchtlinge")
    >>> measure_phrase(text, 3, 11)[0], measure_phrase(text, noun, noun + 11)[0]
    ('Behörden, Verbände und Unternehmen', 'Flüchtlinge aus Syrien')
    >>> measure_phrase("mit 20 Plätzen und Informationsmaterial", 7, 14)[0]
    'Plätzen'
    """
    end = noun_end
    coordinated = _patterns()["coordinated"].match(text, end)
    if coordinated and _is_same_kind(text[noun_start:noun_end], coordinated.group().split()[-1:]):
        end = coordinated.end()
    complement = _patterns()["complement"].match(text, end)
    if complement and "\n" not in complement.group():
        end = complement.end()
    return text[noun_start:end].strip(" ,"), end


@lru_cache(maxsize=1)
def _share_noun() -> re.Pattern[str]:
    """ "Anteil junger Menschen mit Migrationshintergrund": the nouns that name what a percentage measures."""
    nouns = "|".join(re.escape(noun) for noun in sorted(lexicon()["share_nouns"], key=len, reverse=True))
    return compile_cached(
        rf"(?<![\w-])(?:{nouns})(?:\s+(?:{words('share_links')}\s+)?(?:[a-zäöüß][\w-]*\s+){{0,2}}"
        rf"[A-ZÄÖÜ][\w-]*(?:\s+{words('share_qualifiers')}\s+[A-ZÄÖÜ][\w-]*)?)?"
    )


def percent_measure(sentence: str, offset: int, end: int) -> str:
    """For a share: the group it is a share of, after it ("30 Prozent der Einwohner") or before it.

    >>> percent_measure("knapp die Hälfte der Beschäftigten (48,7 %)", 36, 42)
    'Beschäftigten'
    >>> percent_measure("mehr als 30 Prozent der Einwohner haben", 9, 19)
    'Einwohner'
    >>> percent_measure("Dabei lag der Anteil junger Menschen mit Migrationshintergrund bei 21 Prozent.", 67, 77)
    'Anteil junger Menschen mit Migrationshintergrund'
    >>> percent_measure("Die Rücklaufquote lag bei 57,3 %.", 26, 32)
    'Rücklaufquote'
    """
    after = _patterns()["genitive_after"].match(sentence, end)
    if after:
        return after.group().split(maxsplit=1)[1]
    share = list(_share_noun().finditer(sentence, 0, offset))
    if share:
        return share[-1].group()
    matches = list(_patterns()["genitive_before"].finditer(sentence, 0, offset))
    if matches:
        return matches[-1].group(1)
    subject = _patterns()["sentence_subject"].match(sentence)
    return subject.group(1) if subject and subject.end() <= offset else ""


@lru_cache(maxsize=1)
def _subject_pattern() -> re.Pattern[str]:
    heads = sorted(lexicon()["subject_heads"], key=len, reverse=True)
    suffixes = "|".join(re.escape(s) for s in lexicon()["subject_suffixes"])
    head = "|".join(re.escape(h) for h in heads)
    return compile_cached(
        rf"(?<![\w-])(?:(?:{head})\w*(?:\s+(?!(?:{head}))[A-ZÄÖÜ][\w.-]*){{0,2}}"
        rf"(?:\s+{words('purpose_prepositions')}\s+{words('purpose_articles')}\s+(?:{head})\w*(?:\s+[A-ZÄÖÜ][\w.-]*)?)?"
        rf"|(?:[A-ZÄÖÜ][\w-]+\s+){{1,3}}(?:{suffixes})(?!\w))"
    )


def _trim_subject(subject: str) -> str:
    """Drop articles and trailing function words; a lone inflected head ("Kreisen") names nobody.

    >>> _trim_subject("Die Ruhrtal Verkehrs AG"), _trim_subject("Kreisen"), _trim_subject("Stadt Hamm sind")
    ('Ruhrtal Verkehrs AG', '', 'Stadt Hamm')
    """
    words = subject.split()
    while len(words) > 1 and fold(words[0]) in folded_list("subject_articles"):
        words.pop(0)
    while len(words) > 1 and fold(words[-1].rstrip(".,")) in folded_list("function_words"):
        words.pop()
    if len(words) == 1 and words[0] not in lexicon()["subject_heads"] and not words[0].isupper():
        return ""
    return " ".join(words).rstrip(".,")


_COUNTED_BEFORE = compile_cached(r"\d\s*$")  # "9 Jobcenter" is counted, not the subject


def subject_of(sentence: str, offset: int, complement: str) -> str:
    """Whose figure it is: an organisation in the counted phrase, else the nearest one before the number.

    >>> subject_of("Die Bezirksregierung Münster mit 1200 Beschäftigten ist groß.", 33, "Beschäftigten")
    'Bezirksregierung Münster'
    >>> subject_of("davon 9 Jobcenter und 6 Polizeibehörden", 23, "Polizeibehörden")
    ''
    >>> subject_of("Der Caritasverband für den Kreis Unna hat 300 Beschäftigte", 42, "Beschäftigte")
    'Caritasverband für den Kreis Unna'
    >>> subject_of("Bericht der Kreisverwaltung Soest für den Zeitraum Juni", 56, "")
    'Kreisverwaltung Soest'
    """
    pattern = _subject_pattern()
    inside = [_trim_subject(m.group()) for m in pattern.finditer(complement)]
    before = [
        _trim_subject(m.group())
        for m in pattern.finditer(sentence)
        if m.end() <= offset and not _COUNTED_BEFORE.search(sentence, 0, m.start())
    ]
    candidates = [name for name in inside + before[::-1] if name]
    return candidates[0] if candidates else ""


def years_in(sentence: str) -> list[tuple[int, str]]:
    """(offset, year) of every year written in a sentence (not codes such as "16/2012" or "2015/16").

    >>> years_in("bis 2017 (1.719 Personen) gegenüber 2013, Drucksache 16/2012, 2015/16, zum 31.12.2018")
    [(4, '2017'), (36, '2013'), (81, '2018')]
    """
    return [(m.start(), m.group()) for m in _YEAR.finditer(sentence)]


def _word_before(sentence: str, offset: int) -> str:
    match = _WORDS_BEFORE.search(sentence, 0, offset)
    return fold(match.group(1)) if match else ""


def year_near(sentence: str, start: int, end: int) -> str:
    """The year a figure refers to: the nearest year before it in the sentence, else the nearest after it.

    A year that starts a span ("seit 2012", "ab 2014") is not the year of the count that follows it.

    >>> year_near("gegenüber 2013 (10,42 % Beschäftigte), in 2017 gaben 11,78 % an", 53, 58)
    '2017'
    >>> year_near("Seit 2012 haben sich 45 Partner angeschlossen.", 21, 23)
    ''
    """
    starts = folded_list("span_start_words")
    years = [
        (offset, year)
        for offset, year in years_in(sentence)
        if not start <= offset < end and _word_before(sentence, offset) not in starts
    ]
    before = [(offset, year) for offset, year in years if offset < start]
    if before:
        return before[-1][1]
    after = [(offset, year) for offset, year in years if offset >= end]
    return after[0][1] if after else ""


def is_anaphoric(sentence: str) -> bool:
    """A sentence that continues the previous one ("Es legt …", "Auf diese Stellen …").

    >>> is_anaphoric("Auf diese Stellen hatten sich 1.256 Personen beworben."), is_anaphoric("Im Jahr 2012 …")
    (True, False)
    """
    words = fold(sentence).split()
    starts = folded_list("anaphora_starts")
    return bool(words) and (words[0] in starts or " ".join(words[:2]) in starts)


def _has_marker(sentence: str, markers: str) -> bool:
    folded = " " + " ".join(re.findall(r"[^\W\d_]+", fold(sentence))) + " "
    return any(phrase in folded for phrase in _marker_phrases(markers))


@cache
def _marker_phrases(markers: str) -> tuple[str, ...]:
    """The folded markers of a list, each between spaces (as whole words of `_has_marker`'s folded sentence)."""
    return tuple(f" {marker} " for marker in sorted(folded_list(markers)))


def _clause_around(sentence: str, offset: int) -> str:
    """The comma-separated clause of the sentence that holds `offset` (a relative clause has its own tense)."""
    start = max(sentence.rfind(mark, 0, offset) for mark in ",;—–(")
    ends = [i for i in (sentence.find(mark, offset) for mark in ",;—–)") if i >= 0]
    return sentence[start + 1 : min(ends) if ends else len(sentence)]


def sentence_tense(sentence: str, offset: int = 0) -> str:
    """When the figure at `offset` holds: `current` ("Derzeit sind …", "im Sommer"), `last_year` ("im
    Vorjahr"), `period` ("Im Berichtszeitraum"), `past` (its clause is in the past tense) or `present`.

    >>> [sentence_tense(s) for s in ("Derzeit sind 30 Partner.", "Es waren 30 Partner.", "Es sind 30 Partner.")]
    ['current', 'past', 'present']
    >>> sentence_tense("Im Berichtszeitraum bewarben sich 2.310 Personen.")
    'period'
    >>> sentence_tense("Dort haben 60 Prozent der Kinder einen Elternteil, der im Ausland geboren wurde.", 10)
    'present'
    >>> sentence_tense("Gefördert wurde die Kooperation, die in acht Städten Ideen entwickelt.", 40)
    'past'
    """
    if _has_marker(sentence, "current_markers"):
        return "current"
    if _has_marker(sentence, "previous_year_markers"):
        return "last_year"
    if _has_marker(sentence, "period_markers"):
        return "period"
    clause = _clause_around(sentence, offset)
    if _patterns()["relative_start"].match(clause):
        clause = sentence  # a relative clause takes its time from the sentence it belongs to
    return "past" if _has_marker(clause, "past_markers") else "present"
