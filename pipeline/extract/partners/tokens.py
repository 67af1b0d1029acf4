"""Word tokens of German text, cut exactly as spaCy's German tokenizer (`spacy.blank("de")`) cuts them.

The rules are data (`models/tokenizer/de.json`, built by `scripts/build_tokenizer.py` from spaCy's German
language data); this module is spaCy's algorithm over them (`Tokenizer.__call__` in spaCy's tokenizer.pyx):

1. the text is split at whitespace; a single space after a word belongs to that word, any other whitespace run
   is a token of its own ("\\n");
2. each chunk is a special case ("z.B.", "bzw.") or is cut from the outside in: prefixes ("(", "„") and suffixes
   (")", ".", "%") come off while they match, stopping at a special case; the rest is one token, a URL, or is
   cut at infixes ("-" between letters, "/");
3. special cases that step 2 cut apart are found again in the token sequence and put back together.

No spaCy import at run time (it cost a second in every worker). tests/test_partners.py checks the tokens against
spaCy's on every text of the test corpus and on generated text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import Any, overload

from pipeline.models import compile_cached, load_json

_GAP_AND_CHUNK = compile_cached(r"(\s*)(\S+)")  # whitespace before a chunk, and the chunk
_MAX_CACHED_CHUNKS = 200_000


class Token:
    """One token: its text, in lower case, its character offset in the document's text and its index."""

    __slots__ = ("text", "lower_", "idx", "i")

    def __init__(self, text: str, lower: str, idx: int, i: int) -> None:
        self.text = text
        self.lower_ = lower
        self.idx = idx
        self.i = i

    def __repr__(self) -> str:
        return f"Token({self.text!r}, idx={self.idx})"


@dataclass(frozen=True, slots=True)
class Span:
    """Tokens `start` to `end` of a document (as spaCy's Span; an empty span has no text and offsets 0)."""

    doc: Doc
    start: int
    end: int

    @property
    def start_char(self) -> int:
        return self.doc.idxs[self.start] if self.start < self.end else 0

    @property
    def end_char(self) -> int:
        if self.start >= self.end:
            return 0
        return self.doc.idxs[self.end - 1] + len(self.doc.texts[self.end - 1])

    @property
    def text(self) -> str:
        """The tokens with the whitespace between them, as written."""
        return self.doc.text[self.start_char : self.end_char] if self.start < self.end else ""

    def __iter__(self) -> Iterator[Token]:
        return (self.doc[i] for i in range(self.start, self.end))

    def __len__(self) -> int:
        return self.end - self.start


class Doc:
    """A text and its tokens; indexing gives a Token, slicing a Span (as spaCy's Doc). The tokens are kept as
    parallel lists (`texts`, `lowers`, `idxs`); a Token is made when one is asked for."""

    __slots__ = ("idxs", "lowers", "text", "texts")

    def __init__(self, text: str, pieces: list[tuple[str, int]]) -> None:
        self.text = text
        self.texts = list(map(itemgetter(0), pieces))
        self.idxs = list(map(itemgetter(1), pieces))
        self.lowers = list(map(str.lower, self.texts))

    def __len__(self) -> int:
        return len(self.texts)

    def __iter__(self) -> Iterator[Token]:
        return map(Token, self.texts, self.lowers, self.idxs, range(len(self.texts)))

    @overload
    def __getitem__(self, key: int) -> Token: ...
    @overload
    def __getitem__(self, key: slice) -> Span: ...
    def __getitem__(self, key: int | slice) -> Token | Span:
        if isinstance(key, slice):
            start, end, _ = key.indices(len(self.texts))
            return Span(self, start, max(start, end))
        if key < 0:
            key += len(self.texts)
        return Token(self.texts[key], self.lowers[key], self.idxs[key], key)


@dataclass(frozen=True)
class Rules:
    """The tokenizer's rules (`models/tokenizer/de.json`), compiled."""

    prefix: re.Pattern[str]
    suffix: re.Pattern[str]
    infix: re.Pattern[str]
    url: re.Pattern[str]
    special_cases: dict[str, tuple[str, ...]]
    # The token sequences that spell a special case cut apart by the affix rules (without special cases): those
    # of one token, and the longer ones by their first two tokens; `firsts` are the tokens that start any.
    rematched_one: frozenset[str]
    rematched: dict[tuple[str, str], tuple[tuple[str, ...], ...]]
    firsts: frozenset[str]
    gates: Gates
    # the suffix pattern's alternatives in order, each with the characters its match ends with (None: any)
    suffix_parts: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class Gates:
    """Necessary conditions for the affix patterns to match, read off them by scripts/build_tokenizer.py: the
    characters a prefix or an infix starts with, and those a suffix ends with, unconditionally (`suffix_ends`)
    or only in a string holding one of some characters (`guarded_ends`: "(?<=[0-9])km$"). None: any."""

    prefix_starts: frozenset[str] | None
    infix_starts: frozenset[str] | None
    suffix_ends: frozenset[str] | None
    guarded_ends: tuple[tuple[frozenset[str] | None, frozenset[str]], ...]

    def may_prefix(self, string: str) -> bool:
        return self.prefix_starts is None or string[0] in self.prefix_starts

    def may_suffix(self, string: str) -> bool:
        last = string[-1]
        if self.suffix_ends is None or last in self.suffix_ends:
            return True
        for ends, needs in self.guarded_ends:  # a loop, not any(…): asked of every new word
            if (ends is None or last in ends) and not needs.isdisjoint(string):
                return True
        return False

    def may_infix(self, string: str) -> bool:
        return self.infix_starts is None or not self.infix_starts.isdisjoint(string)


def _chars(chars: str | None) -> frozenset[str] | None:
    return None if chars is None else frozenset(chars)


def _gates(data: dict[str, Any]) -> Gates:
    unguarded = [ends for ends, needs in data["suffix_last"] if needs is None]
    return Gates(
        prefix_starts=_chars(data["prefix_first"]),
        infix_starts=_chars(data["infix_first"]),
        suffix_ends=_chars(unguarded[0]) if unguarded else frozenset(),
        guarded_ends=tuple(
            (_chars(ends), frozenset(needs)) for ends, needs in data["suffix_last"] if needs is not None
        ),
    )


@lru_cache(maxsize=1)
def rules() -> Rules:
    data = load_json("tokenizer/de.json")
    return Rules(
        prefix=compile_cached(data["prefix"]),  # classes of thousands of letters: compiled once, kept on disk
        suffix=compile_cached(data["suffix"]),
        infix=compile_cached(data["infix"]),
        url=compile_cached(data["url"]),
        special_cases={text: tuple(pieces) for text, pieces in data["special_cases"].items()},
        rematched_one=frozenset(tokens[0] for tokens in data["rematched"].values() if len(tokens) == 1),
        rematched=_by_first_two(tuple(tokens) for tokens in data["rematched"].values() if len(tokens) > 1),
        firsts=frozenset(tokens[0] for tokens in data["rematched"].values() if tokens),
        gates=_gates(data["gates"]),
        suffix_parts=tuple((part, ends) for part, ends in data["gates"]["suffix_parts"]),
    )


def _by_first_two(sequences: Iterable[tuple[str, ...]]) -> dict[tuple[str, str], tuple[tuple[str, ...], ...]]:
    found: dict[tuple[str, str], set[tuple[str, ...]]] = {}
    for sequence in sequences:
        found.setdefault((sequence[0], sequence[1]), set()).add(sequence)
    return {pair: tuple(sorted(group)) for pair, group in found.items()}


# chunk → its tokens, and the positions among them of tokens that may start a special case to be re-joined
_chunk_cache: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = {}
# the chunks of `_chunk_cache` that are one token and start no special case: the usual word, appended as it is
_plain_chunks: set[str] = set()


def tokenize(text: str) -> Doc:
    """The tokens of `text` as spaCy's `blank("de").make_doc(text)` gives them.

    >>> [t.text for t in tokenize("Die Stadt Köln (NRW) u.a. bzw. z.B. 50%.")]
    ['Die', 'Stadt', 'Köln', '(', 'NRW', ')', 'u.a.', 'bzw.', 'z.B.', '50', '%', '.']
    >>> [(t.text, t.idx) for t in tokenize(" a\\n\\n b  c")]
    [(' ', 0), ('a', 1), ('\\n\\n ', 2), ('b', 5), (' ', 7), ('c', 8)]
    """
    pieces: list[tuple[str, int]] = []
    candidates: list[int] = []  # indices in `pieces` of tokens that may start a special case to re-join
    append, plain = pieces.append, _plain_chunks  # local names: this loop runs once per word of a long text
    start = 0
    for gap, chunk in _GAP_AND_CHUNK.findall(text):
        if gap == " " and start:  # the single space after a word belongs to it
            start += 1
        elif gap:
            start = _append_gap(gap, start, pieces, candidates)
        if chunk in plain:
            append((chunk, start))
            start += len(chunk)
        else:
            start = _append_chunk(chunk, start, pieces, candidates)
    tail = text[len(text.rstrip()) :]
    if tail:
        _append_gap(tail, start, pieces, candidates)
    return Doc(text, _rejoin_special_cases(text, pieces, candidates) if candidates else pieces)


def _append_gap(gap: str, start: int, pieces: list[tuple[str, int]], candidates: list[int]) -> int:
    """The whitespace before a chunk (or at the end) at `start`: the single space that follows a word belongs to
    it, the rest is a token."""
    if start and gap[0] == " ":
        gap, start = gap[1:], start + 1
    return _append_chunk(gap, start, pieces, candidates) if gap else start


def _append_chunk(chunk: str, start: int, pieces: list[tuple[str, int]], candidates: list[int]) -> int:
    """The tokens of one chunk (whitespace or not) at `start` appended; returns where the chunk ends."""
    cached = _chunk_cache.get(chunk)
    if cached is None:
        cached = _chunk_tokens(chunk)
        if len(_chunk_cache) < _MAX_CACHED_CHUNKS:
            _chunk_cache[chunk] = cached
            if len(cached[0]) == 1 and not cached[1]:
                _plain_chunks.add(chunk)
    tokens, firsts = cached
    if firsts:
        candidates.extend(len(pieces) + j for j in firsts)
    if len(tokens) == 1:
        pieces.append((chunk, start))
        return start + len(chunk)
    for token in tokens:
        pieces.append((token, start))
        start += len(token)
    return start


def _chunk_tokens(chunk: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """One whitespace-delimited chunk cut into tokens, and the positions of those that may start a special case
    to be re-joined."""
    r = rules()
    gates = r.gates
    if chunk and not (  # the usual new word, which no rule can cut: what `_affix_tokens` gives, without its loop
        chunk in r.special_cases or gates.may_prefix(chunk) or gates.may_suffix(chunk) or gates.may_infix(chunk)
    ):
        return (chunk,), (0,) if chunk in r.firsts else ()
    tokens = _affix_tokens(chunk)
    return tokens, tuple(j for j, token in enumerate(tokens) if token in r.firsts)


def _affix_tokens(chunk: str) -> tuple[str, ...]:
    """One whitespace-delimited chunk cut into tokens (spaCy's `_split_affixes` and `_attach_tokens`)."""
    r = rules()
    special = r.special_cases.get(chunk)
    if special is not None:
        return special
    prefixes: list[str] = []
    suffixes: list[str] = []
    string = chunk
    last_size = 0
    while string and len(string) != last_size:
        if string in r.special_cases:
            break
        last_size = len(string)
        pre_len = _match_length(r.prefix, string) if r.gates.may_prefix(string) else 0
        if pre_len:
            prefix, minus_pre = string[:pre_len], string[pre_len:]
            if minus_pre and minus_pre in r.special_cases:
                string = minus_pre
                prefixes.append(prefix)
                break
        rest = string[pre_len:]
        suf_len = _suffix_length(rest, r) if rest and r.gates.may_suffix(rest) else 0
        if suf_len:
            suffix, minus_suf = string[-suf_len:], string[:-suf_len]
            if minus_suf and minus_suf in r.special_cases:
                string = minus_suf
                suffixes.append(suffix)
                break
        if pre_len and suf_len and pre_len + suf_len <= len(string):
            string = string[pre_len:-suf_len]
            prefixes.append(prefix)
            suffixes.append(suffix)
        elif pre_len:
            string = minus_pre
            prefixes.append(prefix)
        elif suf_len:
            string = minus_suf
            suffixes.append(suffix)
    return (*prefixes, *_middle_tokens(string, r), *reversed(suffixes))


def _match_length(pattern: re.Pattern[str], string: str) -> int:
    match = pattern.search(string)
    return match.end() - match.start() if match is not None else 0


# last character of a string → the suffix alternatives that may end with it, as one pattern (None: no alternative)
_suffix_by_last: dict[str, re.Pattern[str] | None] = {}


def _suffix_length(string: str, r: Rules) -> int:
    """`_match_length(r.suffix, string)`, by the alternatives that may end with the string's last character: a
    suffix match ends the string, and `search` tries every alternative at every character of it."""
    last = string[-1]
    if last == "\n":  # "$" matches before a final line break too
        return _match_length(r.suffix, string)
    try:
        pattern = _suffix_by_last[last]
    except KeyError:
        pattern = _suffix_by_last[last] = _suffix_ending(last, r)
    return _match_length(pattern, string) if pattern is not None else 0


def _suffix_ending(last: str, r: Rules) -> re.Pattern[str] | None:
    parts = [part for part, ends in r.suffix_parts if ends is None or last in ends]
    if len(parts) == len(r.suffix_parts):
        return r.suffix
    return compile_cached("|".join(parts)) if parts else None


def _middle_tokens(string: str, r: Rules) -> tuple[str, ...]:
    if not string:
        return ()
    special = r.special_cases.get(string)
    if special is not None:
        return special
    if not r.gates.may_infix(string):
        return (string,)  # no infix to cut at, URL or not
    if r.url.match(string):
        return (string,)
    tokens: list[str] = []
    start = 0
    for match in r.infix.finditer(string):
        infix_start, infix_end = match.start(), match.end()
        if infix_start == 0:
            continue
        if infix_start != start:
            tokens.append(string[start:infix_start])
        if infix_start != infix_end:
            tokens.append(string[infix_start:infix_end])
        start = infix_end
    if string[start:]:
        tokens.append(string[start:])
    return tuple(tokens)


def _rejoin_special_cases(text: str, pieces: list[tuple[str, int]], candidates: list[int]) -> list[tuple[str, int]]:
    """spaCy's `_apply_special_cases`: token sequences that spell a special case cut apart by the affix rules
    (longest first, then leftmost; a token claimed once is not claimed again) become that case's tokens, when
    the sequence is written without spaces. `candidates` are the indices of the tokens that may start one."""
    r = rules()
    matches: list[tuple[int, int]] = []
    last = len(pieces) - 1
    for i in candidates:
        first = pieces[i][0]
        if first in r.rematched_one:
            matches.append((i, i + 1))
        if i < last:
            for sequence in r.rematched.get((first, pieces[i + 1][0]), ()):
                if tuple(piece for piece, _ in pieces[i : i + len(sequence)]) == sequence:
                    matches.append((i, i + len(sequence)))
    matches.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
    seen: set[int] = set()
    replaced: list[tuple[int, int, list[tuple[str, int]]]] = []
    for start, end in matches:
        if start not in seen and end - 1 not in seen:
            begin = pieces[start][1]
            special = r.special_cases.get(text[begin : pieces[end - 1][1] + len(pieces[end - 1][0])])
            if special is not None:
                tokens = []
                for token in special:
                    tokens.append((token, begin))
                    begin += len(token)
                if tokens != pieces[start:end]:
                    replaced.append((start, end, tokens))
        seen.update(range(start, end))
    if not replaced:
        return pieces
    out: list[tuple[str, int]] = []
    at = 0
    for start, end, tokens in sorted(replaced):
        out.extend(pieces[at:start])
        out.extend(tokens)
        at = end
    out.extend(pieces[at:])
    return out
