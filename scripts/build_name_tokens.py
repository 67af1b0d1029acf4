"""Build models/gazetteer/name_tokens.json: the tokens of every name and alias of the gazetteer.

Partner mentions find gazetteer names as token sequences (`partners/mentions.py`); tokenising the ~940 names took
~15 ms in every fresh worker. The tokens depend only on models/gazetteer/gazetteer.json and
models/tokenizer/de.json, so they are data, cut here by the tokenizer itself (`partners/tokens.py`). Run after
build_gazetteer.py and build_tokenizer.py (build_models.py runs the scripts in name order);
tests/test_partners.py checks the file against the tokenizer, so a stale file fails the tests.

Run: `.venv/bin/python scripts/build_name_tokens.py`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "models" / "gazetteer" / "name_tokens.json"


def name_tokens() -> dict[str, list[str]]:
    """Every canonical name and alias of the gazetteer → its tokens, sorted by name."""
    sys.path.insert(0, str(ROOT))
    from pipeline.extract.partners import tokenize

    entries = json.loads((ROOT / "models" / "gazetteer" / "gazetteer.json").read_text(encoding="utf-8"))["entries"]
    names = {name for entry in entries for name in (entry["canonical"], *entry["aliases"])}
    return {name: tokenize(name).texts for name in sorted(names)}


def main() -> None:
    comment = (
        "Tokens of every gazetteer name and alias, as partners/tokens.py cuts them. Built by "
        "scripts/build_name_tokens.py from gazetteer.json and tokenizer/de.json; do not edit."
    )
    tokens = name_tokens()
    lines = [f"  {_json(name)}: {_json(pieces)}" for name, pieces in tokens.items()]  # one name a line: diffable
    body = ",\n".join(lines)
    OUT.write_text(f'{{\n "_comment": {_json(comment)},\n "tokens": {{\n{body}\n }}\n}}\n', encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(tokens)} names")


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


if __name__ == "__main__":
    main()
