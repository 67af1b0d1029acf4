"""Build models/tokenizer/de.json: the rules of spaCy's German tokenizer (`spacy.blank("de")`) as data.

The partners table cuts text into tokens the way spaCy's German tokenizer does, without importing spaCy at run
time (its import alone took a second in every worker process). This script reads the rules from the installed
spaCy (a `test` extra dependency) and writes them out: the prefix, suffix, infix and URL patterns, the special
cases (exceptions such as "z.B." or "bzw.", with the pieces each is cut into), and, for the special cases that
the affix rules would cut apart, the tokens they are cut into without special cases (spaCy's `_special_matcher`
finds these sequences again after the first pass). `pipeline/extract/partners/tokens.py` applies them with
spaCy's algorithm; tests/test_partners.py checks that the tokens are spaCy's on every text of the test corpus.
"""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path
from typing import Any

import spacy
from spacy.attrs import ORTH

# the parser of `re` itself: the gates are read off the patterns' parse trees
_C: Any = importlib.import_module("re._constants")
_P: Any = importlib.import_module("re._parser")
_ZERO_WIDTH = (_C.AT, _C.ASSERT, _C.ASSERT_NOT)
_REPEATS = (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT)

OUT = Path(__file__).resolve().parent.parent / "models" / "tokenizer" / "de.json"


def main() -> int:
    tokenizer = spacy.blank("de").tokenizer
    rules = {text: [piece[ORTH] for piece in pieces] for text, pieces in sorted(tokenizer.rules.items())}
    plain = spacy.blank("de").tokenizer
    plain.rules = {}
    rematched = {
        text: [token.text for token in plain(text)]
        for text in rules
        if tokenizer.find_prefix(text) or tokenizer.find_infix(text) or tokenizer.find_suffix(text) or " " in text
    }
    data = {
        "source": f"spaCy {spacy.__version__}, spacy.blank('de').tokenizer",
        "prefix": tokenizer.prefix_search.__self__.pattern,  # type: ignore[union-attr]
        "suffix": tokenizer.suffix_search.__self__.pattern,  # type: ignore[union-attr]
        "infix": tokenizer.infix_finditer.__self__.pattern,  # type: ignore[union-attr]
        "url": tokenizer.url_match.__self__.pattern,  # type: ignore[union-attr]
        "special_cases": rules,
        "rematched": rematched,
    }
    data["gates"] = gates(data["prefix"], data["suffix"], data["infix"])
    # the suffix pattern is spaCy's suffix rules joined (`spacy.util.compile_suffix_regex`), each one alternative
    suffixes = [piece + "$" for piece in spacy.blank("de").Defaults.suffixes if piece.strip()]
    assert "|".join(suffixes) == data["suffix"], "the suffix pattern is no longer the rules joined: see tokens.py"
    data["gates"]["suffix_parts"] = suffix_parts(suffixes)
    assert tokenizer.token_match is None, "token_match is not carried over: extend tokens.py"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(rules)} special cases, {len(rematched)} rematched")
    return 0


# Gates: cheap necessary conditions for the affix patterns to match, so that a plain word ("Landtag") is one token
# without three regex searches. A gate is a set of characters (None: any character may do).
Chars = frozenset[str] | None


def _union(a: Chars, b: Chars) -> Chars:
    return None if a is None or b is None else a | b


def _class(items: Any) -> Chars:
    chars: set[str] = set()
    for op, arg in items:
        if op is _C.LITERAL:
            chars.add(chr(arg))
        elif op is _C.RANGE:
            chars.update(map(chr, range(arg[0], arg[1] + 1)))
        else:  # NEGATE, CATEGORY: not a finite list
            return None
    return frozenset(chars)


def _edge(nodes: Any, last: bool) -> tuple[Chars, bool]:
    """The characters a match of `nodes` can begin with (or end with, `last`), and whether it can be empty."""
    found: Chars = frozenset()
    for op, arg in reversed(list(nodes)) if last else nodes:
        if op in _ZERO_WIDTH:
            continue
        if op is _C.LITERAL:
            return _union(found, frozenset(chr(arg))), False
        if op is _C.IN:
            return _union(found, _class(arg)), False
        if op is _C.SUBPATTERN and arg[1] & _C.SRE_FLAG_IGNORECASE:
            return None, False  # "(?i:km)": its letters in any case
        if op is _C.SUBPATTERN:
            chars, empty = _edge(arg[-1], last)
        elif op is _C.BRANCH:
            edges = [_edge(branch, last) for branch in arg[1]]
            chars, empty = frozenset(), False
            for branch_chars, branch_empty in edges:
                chars, empty = _union(chars, branch_chars), empty or branch_empty
        elif op in _REPEATS:
            chars, empty = _edge(arg[2], last)
            empty = empty or arg[0] == 0
        else:  # ANY, NOT_LITERAL, group references ...: anything
            return None, False
        found = _union(found, chars)
        if not empty:
            return found, False
    return found, True


def _must(chars: Chars, empty: bool) -> str | None:
    return None if chars is None or empty else "".join(sorted(chars))


def _needs(alternative: Any) -> Chars:
    """Characters one of which a string must hold for `alternative` to match in it: those its leading lookbehind
    starts with ("(?<=[0-9])km$" needs a digit)."""
    op, arg = alternative[0]
    if op is not _C.ASSERT or arg[0] != -1:
        return None
    chars, empty = _edge(arg[1], last=False)
    return None if empty else chars


def gates(prefix: str, suffix: str, infix: str) -> dict[str, Any]:
    """Characters a prefix match starts with, an infix match starts with, and, per group of suffix alternatives,
    the characters a suffix match ends with and those the string must hold (lookbehinds such as "(?<=[0-9])");
    None (null) where a pattern could match without one of them."""
    assert not any(_P.parse(p).state.flags & _C.SRE_FLAG_IGNORECASE for p in (prefix, suffix, infix))
    tree = _P.parse(suffix)
    alternatives = tree[0][1][1] if len(tree) == 1 and tree[0][0] is _C.BRANCH else [tree]
    by_needs: dict[Chars, Chars] = {}
    for alternative in alternatives:
        chars, empty = _edge(alternative, last=True)
        needs = _needs(alternative)
        by_needs[needs] = _union(by_needs.get(needs, frozenset()), None if empty else chars)
    always = by_needs.get(None, frozenset())
    if always is not None:  # a guarded group ending only where an unguarded one may end adds nothing
        by_needs = {needs: ends for needs, ends in by_needs.items() if needs is None or ends is None or ends - always}
    return {
        "prefix_first": _must(*_edge(_P.parse(prefix), last=False)),
        "infix_first": _must(*_edge(_P.parse(infix), last=False)),
        "suffix_last": [
            [None if last is None else "".join(sorted(last)), None if needs is None else "".join(sorted(needs))]
            for needs, last in sorted(by_needs.items(), key=lambda item: sorted(item[0] or ()))
        ],
    }


def suffix_parts(alternatives: list[str]) -> list[list[str | None]]:
    """Each alternative of the suffix pattern, in order, with the characters its match ends with (None: any): a
    string's suffix is found by the alternatives that may end with its last character alone."""
    parts: list[list[str | None]] = []
    for alternative in alternatives:
        parsed = _P.parse(alternative)
        assert not re.search(r"\(\?P=|\\[1-9]", alternative), "a back reference: a subset of them is no pattern"
        parts.append([alternative, _must(*_edge(parsed, last=True))])
    return parts


if __name__ == "__main__":
    raise SystemExit(main())
