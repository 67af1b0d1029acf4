"""Build models/patterns/ftfy_quiet.json: the letters and signs ftfy leaves alone wherever they stand by themselves.

The clean stage sends a line through ftfy only where ftfy could change it (`clean.FTFY_NEEDED`), which spares most
documents the import of ftfy (a tenth of a second per worker). Mojibake is a run of two or more non-ASCII
characters, so a single accented letter between ASCII ("André", "Özoğuz", "Kılıç") cannot be one; but ftfy also
changes some characters alone (a combining accent composed with the letter before it, "ﬁ", full-width letters,
"Ã " as a mangled "à"). This script asks ftfy itself, in the version installed, for every character of the Latin
blocks in many surroundings, and keeps those it never changes. The clean stage lets such a character pass only
with no other non-ASCII character next to it (tests/test_properties.py checks the gate against ftfy).
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import ftfy

OUT = Path(__file__).resolve().parent.parent / "models" / "patterns" / "ftfy_quiet.json"
BLOCKS = [(0x00A0, 0x0250), (0x1E00, 0x1F00)]  # Latin-1 Supplement, Latin Extended-A and -B, Additional
# the Private Use Area: where a PDF's symbol fonts put their glyphs (Wingdings' telephone and envelope before the
# numbers and addresses of a letterhead)
PRIVATE_USE = (0xE000, 0xF900)
SURROUNDINGS = [
    "{}", "a{}", "{}a", "a{}a", "A{}B", " {} ", "{} ", " {}", "x {} y", "1{}2", "{}.", ".{}", "({})",
    "{}\n", "\n{}", "{}-", "-{}", "{}&", "&{}", "{}'", "'{}", "e{}", "{}e", "Ae{}n", "{}\f", "#{}#",
]
GERMAN = set("äöüÄÖÜß")  # allowed by the gate already


def quiet(char: str) -> bool:
    return all(
        ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC") == text
        for text in (surrounding.format(char) for surrounding in SURROUNDINGS)
    )


def main() -> None:
    chars = [chr(c) for start, end in BLOCKS for c in range(start, end)]
    chars = [char for char in chars if char not in GERMAN and char.isprintable()]
    chars += [chr(c) for c in range(*PRIVATE_USE)]  # not printable to Python (category Co), but text all the same
    found = "".join(char for char in chars if quiet(char))
    data = {
        "_comment": "Characters ftfy leaves alone in every surrounding tried, when no other non-ASCII character "
        "stands next to them (built by scripts/build_ftfy_quiet.py from ftfy itself).",
        "ftfy": version("ftfy"),
        "quiet": found,
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(found)} of {len(chars)} characters quiet")


if __name__ == "__main__":
    main()
