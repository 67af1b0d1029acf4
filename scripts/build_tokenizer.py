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

import json
from pathlib import Path

import spacy
from spacy.attrs import ORTH

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
    assert tokenizer.token_match is None, "token_match is not carried over: extend tokens.py"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(rules)} special cases, {len(rematched)} rematched")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
