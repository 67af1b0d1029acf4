"""The text-quality statistics (`pipeline.text.quality`, seen through `text_quality` and `layer_damage`) and the
word frequencies behind them (`pipeline.text.frequencies`) give what the straightforward versions give.

The fast ones look words up in a hash table of mapped files, skip the regular expressions for plain words and
stop at the first umlaut spelling that decides; the reference here is the first version of the gate, which
looks up wordfreq's own dict and tries every spelling (a deliberate change of the gate changes it too). Texts
are generated from the word list itself, damaged the ways the gate looks for (lost umlauts, odd letters,
digits for letters, split words, code).
"""

from __future__ import annotations

import array
import random
import re
from dataclasses import astuple
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text import frequencies, layer_damage, text_quality

# The first version of the gate.
_WORD = re.compile(r"[^\W\d_]{2,}(?:[®é][^\W\d_]+)*")
_UMLAUT = re.compile(r"[äöüßÄÖÜ]")
_ODD_INSIDE = re.compile(r"(?<=[^\W\d_])[®©éèêáàíìóòúùñ]|[®©](?=[^\W\d_])")
_IDENTIFIER = re.compile(
    r"[_<>{}\[\]=\\|@#$%^~*+`]|[^\W\d_]:[^\W\d_]|\w\(|[a-zäöüß][A-ZÄÖÜ]|[a-z]{2,}\.[a-z]{2,}|[^\W\d_]\d|\d[^\W\d_]"
)
_LETTERS_ONLY = re.compile(r"[^\W\d_]+")
_EDGE = "\"'„“”‚‘’»«()[],.;:!?"
_SWAPS = (("a", "ä"), ("o", "ö"), ("u", "ü"), ("i", "ü"), ("b", "ss"))
_DIGIT_FOR_LETTER = str.maketrans("01568", "olsöb")
_KNOWN, _LOST_FACTOR, _SPLIT_FACTOR, _RARE, _MIN_TOKENS = 1e-8, 30.0, 30.0, 1e-6, 30


@cache
def wordfreq_dict() -> dict[str, float]:
    import wordfreq

    return dict(wordfreq.get_frequency_dict("de", wordlist="large"))


@cache
def sorted_words() -> tuple[list[str], list[str]]:
    """The list's words in order, and its most frequent 20,000 first."""
    freqs = wordfreq_dict()
    return sorted(freqs), sorted(freqs, key=freqs.__getitem__, reverse=True)[:20000]


def reference_frequency(word: str) -> float:
    return wordfreq_dict().get(word.casefold(), 0.0)


def reference_spellings(word: str) -> list[str]:
    out = []
    for plain, umlaut in _SWAPS:
        start = word.find(plain)
        while start >= 0:
            out.append(word[:start] + umlaut + word[start + len(plain) :])
            start = word.find(plain, start + 1)
    return out


def reference_lost_umlaut(word: str) -> bool:
    own = reference_frequency(word)
    best = max((reference_frequency(w) for w in reference_spellings(word)), default=0.0)
    return best >= _KNOWN * 10 and best >= own * _LOST_FACTOR


def reference_word_class(token: str) -> int:
    if _ODD_INSIDE.search(token):
        return 3
    known = reference_frequency(token) >= _KNOWN
    if _UMLAUT.search(token):
        return 4 if known else 1
    if not known:
        return 1
    return 2 if reference_lost_umlaut(token.casefold()) else 0


def reference_is_split_pair(left: str, right: str) -> bool:
    parts = [0.0 if len(part) == 1 else reference_frequency(part) for part in (left, right)]
    if min(parts) >= _RARE:
        return False
    joined = reference_frequency(left + right)
    return joined >= _KNOWN * 10 and joined >= _SPLIT_FACTOR * max(parts)


def reference_token_profile(raw: str) -> list[int]:
    """tokens, umlaut, unknown, lost umlaut, odd, digits, identifiers"""
    token = raw.strip(_EDGE)
    if _IDENTIFIER.search(token):
        german = bool(_LETTERS_ONLY.fullmatch(token)) and (
            reference_frequency(token) >= _KNOWN or reference_lost_umlaut(token.casefold())
        )
        if not german:
            word = token.translate(_DIGIT_FOR_LETTER)
            digit_damage = (
                bool(re.search(r"[^\W\d_]{2}", token))
                and bool(re.search(r"\d", token))
                and bool(_LETTERS_ONLY.fullmatch(word))
                and reference_frequency(word) >= _KNOWN * 100
            )
            return [1, 0, 0, 0, 0, 1, 0] if digit_damage else [0, 0, 0, 0, 0, 0, 1]
    counts = [0] * 7
    for word in _WORD.findall(token):
        kind = reference_word_class(word)
        counts[0] += 1
        counts[1] += kind == 4 or (kind == 1 and bool(_UMLAUT.search(word)))
        if kind in (1, 2, 3):
            counts[kind + 1] += 1
    return counts


def reference_split(text: str) -> int:
    split = 0
    for line in text.splitlines():
        tokens = line.split()
        for left, right in zip(tokens, tokens[1:], strict=False):
            if (len(left) <= 2 or len(right) <= 3) and left.isalpha() and right[:1].isalpha():
                right = right.rstrip(_EDGE)
                split += right.isalpha() and min(len(left), len(right)) <= 2 and reference_is_split_pair(left, right)
    return split


def reference_totals(text: str) -> list[int]:
    totals = [0] * 7
    for raw in text.split():
        for field, value in enumerate(reference_token_profile(raw)):
            totals[field] += value
    return totals


def reference_quality(text: str) -> float:
    tokens, _, unknown, lost, odd, digits, _ = reference_totals(text)
    damaged = unknown + lost + odd + reference_split(text) + digits
    return round(max(0.0, 1.0 - damaged / tokens), 3) if tokens else 0.0


def reference_damage(text: str) -> str | None:
    tokens, umlaut, unknown, lost, odd, digits, _ = reference_totals(text)
    split = reference_split(text)
    if tokens < _MIN_TOKENS:
        return None
    signs = []
    if lost / tokens >= 0.02:
        signs.append(f"{lost / tokens:.1%} lost umlauts")
    if odd >= 2:
        signs.append(f"{odd} words with é/® inside")
    if digits >= 2 and digits / tokens >= 0.01:
        signs.append(f"{digits} words with digits for letters")
    is_split = split >= 3 and split / tokens >= 0.03
    if is_split:
        signs.append(f"{split / tokens:.1%} words split by spurious spaces")
    if not signs:
        return ""
    if unknown / tokens >= 0.12:
        signs.append(f"{unknown / tokens:.1%} unknown words")
    if is_split or umlaut / tokens < 0.03 or unknown / tokens >= 0.30:
        return f"umlauts in {umlaut / tokens:.1%} of tokens, " + ", ".join(signs)
    return ""


def damaged(word: str, rng: random.Random) -> str:
    """A word as a poor text layer may hold it: umlauts lost, an odd letter or a digit inside, capitalised,
    cut in two, in punctuation or glued to code."""
    roll = rng.random()
    if roll < 0.25:
        word = word.translate(str.maketrans({"ä": "a", "ö": "o", "ü": rng.choice("ui"), "ß": "B"}))
    elif roll < 0.3 and len(word) > 2:
        at = rng.randrange(1, len(word) - 1)
        word = word[:at] + rng.choice("é®©èñ0158") + word[at + 1 :]
    elif roll < 0.4 and len(word) > 3:
        at = rng.choice([1, 2, len(word) - 1, len(word) - 2])
        word = word[:at] + " " + word[at:]
    if rng.random() < 0.4:
        word = word.capitalize()
    if rng.random() < 0.1:
        word = rng.choice(["„", "(", ""]) + word + rng.choice([",", ".", ").", ":", "“", ""])
    if rng.random() < 0.03:
        word = rng.choice(["xs:", "<", "get", "ISO"]) + word + rng.choice(["()", "2", ">", ""])
    return word


def generated_pages(seed: int, pages: int) -> list[str]:
    """Pages of words drawn from the German list (frequent words as often as in prose, and rare ones)."""
    rng = random.Random(seed)
    words, common = sorted_words()
    common = common[:3000]
    out = []
    for _ in range(pages):
        tokens = [damaged(rng.choice(common if rng.random() < 0.7 else words), rng) for _ in range(400)]
        out.append("".join(token + rng.choice("  \n\t\u00a0\f") for token in tokens))
    return out


@pytest.mark.parametrize("seed", range(4))
def test_text_quality_and_damage_equal_the_reference(seed: int) -> None:
    pages = generated_pages(seed, 5)
    for page in pages:
        assert text_quality(page) == reference_quality(page)
        assert layer_damage(page) == reference_damage(page)
    for token in {token for page in pages for token in page.split()}:
        assert text_quality(token) == reference_quality(token), token


def test_generated_pages_show_every_kind_of_damage() -> None:
    """The comparison above means something only if the pages hold every kind of token it distinguishes."""
    pages = generated_pages(0, 5)
    assert all(reference_totals("\n".join(pages))) and sum(map(reference_split, pages)) > 0
    assert any(layer_damage(page) for page in pages) and any(layer_damage(page) == "" for page in pages)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="abeinorsuzäöüßABEIOSUÄÖÜǅéè®©01:.(<_-„,", min_size=1, max_size=8))
def test_any_token_reads_as_in_the_reference(token: str) -> None:
    """Capitals inside (camelCase or not), titlecase letters, odd letters, digits, code, punctuation; 40 of it
    make a page the gate judges."""
    assert text_quality(token) == reference_quality(token)
    page = " ".join([token] * 40)
    assert layer_damage(page) == reference_damage(page)


def test_lost_umlauts_of_the_frequent_words_equal_the_reference() -> None:
    """The list's most frequent words, and each with its umlauts lost: one damaged word reads 0.0, else 1.0."""
    common = sorted_words()[1]
    plain = [word.translate(str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "b"})) for word in common]
    lost = [word for word in common + plain if reference_quality(word) == 0.0]
    assert len(lost) > 1000
    assert all(text_quality(word) == reference_quality(word) for word in common + plain)


def test_frequencies_from_the_cache_equal_wordfreqs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every word of the list, and words it lacks (umlaut spellings, prefixes, "\\n", surrogates, "")."""
    monkeypatch.setattr(frequencies, "CACHE_DIR", tmp_path)
    frequencies.build_frequencies()
    frequencies.german_frequencies.cache_clear()
    try:
        loaded = frequencies.german_frequencies()
    finally:
        frequencies.german_frequencies.cache_clear()
    reference = wordfreq_dict()
    assert len(loaded) == len(reference)
    assert all(loaded.get(word) == freq for word, freq in reference.items())
    rng = random.Random(0)
    missing = [spelling for word in rng.sample(sorted_words()[0], 3000) for spelling in reference_spellings(word)]
    missing += [word[:-1] for word in rng.sample(sorted_words()[0], 3000)]
    missing += ["die\nder", "\ud800", "", "zzzzqx"]
    assert all(loaded.get(word, -1.0) == reference.get(word, -1.0) for word in missing)


def test_a_damaged_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(frequencies, "CACHE_DIR", tmp_path)
    tiny = frequencies.frequencies_from_words(["ab", "b"], array.array("d", [0.5, 0.25]))
    monkeypatch.setattr(frequencies, "build_frequencies", lambda: tiny)
    frequencies.german_frequencies.cache_clear()
    try:
        for path in frequencies._paths():
            path.write_bytes(b"\n")  # arrays of no whole number of items
        assert frequencies.german_frequencies() is tiny
    finally:
        frequencies.german_frequencies.cache_clear()


def test_page_statistics_equal_the_reference_also_when_the_profiles_kept_are_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`text_to_stats` counts by profile number (`_ProfileIds`); every field equals the reference's token by token
    sums, also where the kept tokens are dropped in the middle of a page (a long run)."""
    from pipeline.text import text_to_stats

    pages = generated_pages(7, 4) + ["", " \n ", "Öffnung"]
    expected = [(*reference_totals(page)[:5], reference_split(page), *reference_totals(page)[5:]) for page in pages]
    assert [astuple(text_to_stats(page)) for page in pages] == expected
    monkeypatch.setattr("pipeline.text.quality._TOKENS_KEPT", 50)  # dropped on the first new token, and again
    assert [astuple(text_to_stats(page)) for page in pages] == expected
