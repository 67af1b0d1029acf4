"""Build the German lexicon used by the OCR repair (`pipeline/repair*.py`) into `models/lexicon/`.

Sources:
- the Debian Hunspell dictionary `/usr/share/hunspell/de_DE.{dic,aff}` (igerman98), expanded here with its
  affix rules into full word forms, plus the compound parts its flags allow (COMPOUNDBEGIN/MIDDLE/END);
- word frequencies from `wordfreq` (which ships its data), as Zipf values, to rank candidates;
- words harvested from the corpus' clean documents (those the repair gate does not mark damaged), snapshot
  into `models/sources/lexicon/corpus_words.txt` with `--harvest`;
- place and organisation names from the partner gazetteer's sources (`models/sources/gazetteer/`);
- hand-kept lists under `models/sources/lexicon/`: extra words and the OCR confusion table;
- the one abbreviation list `models/abbreviations.txt`, which the sentence splitter reads as it is.

Outputs (gzip'd text, sorted, so rebuilding is byte-identical):
  words.txt.gz   standalone word forms, case as written
  heads.txt.gz   lowercased compound beginnings, middles.txt.gz, tails.txt.gz likewise
  domain.txt.gz  the words of the genre: harvested from the corpus and the extra-words list
  freq.tsv.gz    word<TAB>zipf*100 for wordfreq's German words at or above --min-zipf
  confusions.json  the one OCR confusion table, validated (repair rows and forms only cue phrases tolerate)
  abbreviations.txt  models/abbreviations.txt as the repair's tokens see them
  determiners.txt    articles and the like, after which a capitalised word is a noun
  english_function_words.txt  for the gate: English text is not damaged German

Run: `.venv/bin/python scripts/build_lexicon.py [--harvest]`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "models" / "sources" / "lexicon"
OUT = ROOT / "models" / "lexicon"
HUNSPELL = Path("/usr/share/hunspell/de_DE")

FORBIDDEN, NEEDAFFIX, ONLYINCOMPOUND = "d", "h", "o"
BEGIN, MIDDLE, END = "x", "y", "z"


@dataclass(frozen=True)
class AffixRule:
    strip: str
    add: str
    flags: str
    condition: re.Pattern[str]


@dataclass(frozen=True)
class Affix:
    kind: str  # PFX | SFX
    cross: bool
    rules: tuple[AffixRule, ...]


def parse_aff(text: str) -> dict[str, Affix]:
    """Affix classes by flag (single-character flags, as in igerman98)."""
    heads: dict[str, tuple[str, bool]] = {}
    rules: dict[str, list[AffixRule]] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) < 4 or parts[0] not in {"PFX", "SFX"}:
            continue
        kind, flag = parts[0], parts[1]
        if flag not in heads:
            heads[flag] = (kind, parts[2] == "Y")
            rules[flag] = []
            continue
        strip = "" if parts[2] == "0" else parts[2]
        add, _, flags = parts[3].partition("/")
        add = "" if add == "0" else add
        cond = parts[4] if len(parts) > 4 else "."
        pattern = f"{cond}$" if kind == "SFX" else f"^{cond}"
        rules[flag].append(AffixRule(strip, add, flags, re.compile(pattern)))
    return {f: Affix(k, c, tuple(rules[f])) for f, (k, c) in heads.items()}


def apply_suffix(word: str, rule: AffixRule) -> str | None:
    if not rule.condition.search(word) or (rule.strip and not word.endswith(rule.strip)):
        return None
    return word[: len(word) - len(rule.strip)] + rule.add


def apply_prefix(word: str, rule: AffixRule) -> str | None:
    if not rule.condition.search(word) or (rule.strip and not word.startswith(rule.strip)):
        return None
    return rule.add + word[len(rule.strip) :]


def expand_entry(stem: str, flags: str, affixes: dict[str, Affix]) -> Iterator[tuple[str, str]]:
    """All (form, effective flags) of one dictionary entry: stem, suffixed, prefixed, cross products."""
    base_flags = flags.replace(NEEDAFFIX, "")
    if NEEDAFFIX not in flags:
        yield stem, base_flags
    suffixed: list[tuple[str, str, bool]] = []
    for flag in flags:
        affix = affixes.get(flag)
        if affix is None or affix.kind != "SFX":
            continue
        for rule in affix.rules:
            form = apply_suffix(stem, rule)
            if form is not None:
                suffixed.append((form, base_flags + rule.flags, affix.cross))
                yield form, base_flags + rule.flags
    for flag in flags:
        affix = affixes.get(flag)
        if affix is None or affix.kind != "PFX":
            continue
        for rule in affix.rules:
            form = apply_prefix(stem, rule)
            if form is not None:
                yield form, base_flags + rule.flags
            if not affix.cross:
                continue
            for sform, sflags, scross in suffixed:
                if scross and (pform := apply_prefix(sform, rule)) is not None:
                    yield pform, sflags + rule.flags


def read_dic(path: Path) -> Iterator[tuple[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        if not line or line[0].isspace():
            continue
        word, _, flags = line.split()[0].partition("/")
        yield word, flags


def expand_hunspell(base: Path) -> tuple[set[str], set[str], set[str], set[str]]:
    """(standalone words, compound heads, middles, tails) from a Hunspell dictionary."""
    affixes = parse_aff(base.with_suffix(".aff").read_text(encoding="utf-8"))
    words: set[str] = set()
    forbidden: set[str] = set()
    heads: set[str] = set()
    middles: set[str] = set()
    tails: set[str] = set()
    for stem, flags in read_dic(base.with_suffix(".dic")):
        for form, eff in expand_entry(stem, flags, affixes):
            if form.startswith("-") or form.endswith("-") or len(form) < 1:
                continue  # igerman98's hyphen-joined compound variants; hyphens split tokens anyway
            if FORBIDDEN in eff:
                forbidden.add(form)
                continue
            if ONLYINCOMPOUND not in eff:
                words.add(form)
            if BEGIN in eff:
                heads.add(form.lower())
            if MIDDLE in eff:
                middles.add(form.lower())
            if END in eff:
                tails.add(form.lower())
    return words - forbidden, heads, middles, tails


def read_list(path: Path) -> list[str]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [ln.split("#", 1)[0].strip() for ln in lines if ln.split("#", 1)[0].strip()]


def repair_abbreviations(entries: list[str]) -> list[str]:
    """The one abbreviation list as the repair's tokens see them: a word's closing period dropped ("ggf." ->
    "ggf"), acronyms and dotted groups as written ("KfI", "e.V."), one letter with a period ("z.") left out.

    >>> repair_abbreviations(["ggf.", "z.", "e.V.", "KfI", "Mär."])
    ['ggf', 'e.V.', 'KfI', 'Mär']
    """
    out = []
    for entry in entries:
        if re.fullmatch(r"[A-Za-zÄÖÜäöü]{2,}\.", entry):
            out.append(entry[:-1])
        elif not re.fullmatch(r"[^\W\d_]\.", entry):
            out.append(entry)
    return out


def gazetteer_names(folder: Path) -> list[str]:
    """Place and organisation names of the partner gazetteer's sources (Höxter, Mönchengladbach, Soester)."""
    names: set[str] = set()
    for path in sorted(folder.glob("*.csv")) + sorted(folder.glob("*.txt")):
        for line in read_list(path):
            names.update(re.findall(r"\b[A-ZÄÖÜ][a-zäöüß]{2,}\b", line))
    return sorted(names)


def harvest_corpus(raw_dir: Path) -> list[str]:
    """Word forms of the corpus' clean documents (those the damage gate passes), sorted."""
    sys.path.insert(0, str(ROOT))
    from pipeline.repair import text_is_damaged

    found: set[str] = set()
    for path in sorted(raw_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if text_is_damaged(text, lexicon=None):
            print(f"harvest: skipping damaged {path.name}")
            continue
        text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
        found.update(re.findall(r"[A-Za-zÄÖÜäöüß]{2,}", text))
    return sorted(found)


def is_capitalised_known(word: str, words: set[str]) -> bool:
    """A capitalised form of a known lowercase word (a sentence start in the corpus, "Über"), not a noun.

    >>> is_capitalised_known("Über", {"über"}), is_capitalised_known("Öffnung", {"öffnen"})
    (True, False)
    """
    return word[:1].isupper() and word[:1].lower() + word[1:] in words


def frequencies(min_zipf: float) -> list[tuple[str, int]]:
    import wordfreq

    rows = []
    for word in wordfreq.iter_wordlist("de"):
        zipf = wordfreq.zipf_frequency(word, "de")
        if zipf < min_zipf:
            break
        if re.fullmatch(r"[a-zäöüßéè]+", word):
            rows.append((word, round(zipf * 100)))
    return sorted(rows)


def write_gz(path: Path, lines: list[str]) -> None:
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))


def parse_confusions(path: Path) -> list[list[str | float]]:
    """Rows `ocr<TAB>true<TAB>context<TAB>cost`: what the OCR wrote, what stood there, where, how unlikely."""
    rows: list[list[str | float]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        ocr, true, context, cost = line.split("\t")
        if context not in {"any", "mid", "abbr", "cue"}:
            raise ValueError(f"{path.name}: unknown context {context!r} in {line!r}")
        rows.append([ocr, true, context, float(cost)])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--harvest", action="store_true", help="re-harvest corpus words from --raw first")
    parser.add_argument("--raw", type=Path, default=ROOT / "corpus" / "raw")
    parser.add_argument("--min-zipf", type=float, default=1.5)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    if args.harvest:
        words = harvest_corpus(args.raw)
        header = "# word forms of the corpus' clean documents (scripts/build_lexicon.py --harvest)"
        (SOURCES / "corpus_words.txt").write_text("\n".join([header, *words]) + "\n", encoding="utf-8")
    words, heads, middles, tails = expand_hunspell(HUNSPELL)
    abbreviations = repair_abbreviations(read_list(ROOT / "models" / "abbreviations.txt"))
    domain = set(read_list(SOURCES / "corpus_words.txt")) | set(read_list(SOURCES / "extra_words.txt"))
    words |= {w for w in domain if not is_capitalised_known(w, words)}
    words |= set(gazetteer_names(ROOT / "models" / "sources" / "gazetteer"))
    write_gz(OUT / "domain.txt.gz", sorted(domain))
    words |= set(abbreviations)
    write_gz(OUT / "words.txt.gz", sorted(words))
    write_gz(OUT / "heads.txt.gz", sorted(heads))
    write_gz(OUT / "middles.txt.gz", sorted(middles))
    write_gz(OUT / "tails.txt.gz", sorted(tails))
    write_gz(OUT / "freq.tsv.gz", [f"{w}\t{z}" for w, z in frequencies(args.min_zipf)])
    english = sorted(set(read_list(SOURCES / "english_function_words.txt")))
    (OUT / "english_function_words.txt").write_text("\n".join(english) + "\n", encoding="utf-8")
    determiners = sorted(set(read_list(SOURCES / "determiners.txt")))
    (OUT / "determiners.txt").write_text("\n".join(determiners) + "\n", encoding="utf-8")
    (OUT / "abbreviations.txt").write_text("\n".join(sorted(set(abbreviations))) + "\n", encoding="utf-8")
    confusions = parse_confusions(SOURCES / "confusions.tsv")
    (OUT / "confusions.json").write_text(json.dumps(confusions, ensure_ascii=False, indent=0) + "\n")
    sizes = {p.name: p.stat().st_size for p in sorted(OUT.iterdir())}
    print(f"words {len(words)}, heads {len(heads)}, middles {len(middles)}, tails {len(tails)}; bytes {sizes}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
