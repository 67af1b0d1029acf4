"""Benchmark of the OCR repair (`make bench-repair`).

Clean German text of the genre (the corpus' clean documents and the texts in `bench/repair_texts/`) is rendered
to page images, read with Tesseract's `eng` model (which loses umlauts, ß and German quotes as seed 002 shows),
cleaned and repaired by the pipeline, and compared word by word with the source:

- WER before/after: word error rate of the OCR text and of the repaired text against the source;
- broken: source words the OCR read correctly but the repair changed (per 1,000 correct words);
- clean repairs: repairs made on the source texts themselves, and on the same pages read with `deu` (must be 0);
- marks: source tokens carrying „ “ • or a list number ("2."), right in the OCR text and after the repair.

It also lists, for every corpus document the gate marks damaged, the tokens still unknown to the lexicon after
repair. OCR output is cached under ~/.cache (keyed by text, font and language); `--no-cache` re-reads.

Run: `.venv/bin/python bench/repair_bench.py [--no-deu] [--scan] [--json OUT]`.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.clean import raw_to_clean  # noqa: E402
from pipeline.ingest import ingest  # noqa: E402
from pipeline.records import CleanText, PageText, RawText  # noqa: E402
from pipeline.repair import TOKEN, load_lexicon, repair_clean, text_to_gate_stats  # noqa: E402
from pipeline.settings import Settings  # noqa: E402
from pipeline.text import source_to_raw_text  # noqa: E402

FONTS = (
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
)
CACHE = Path.home() / ".cache" / "nrw-iko-pipeline" / "repair_bench"
PAGE_W, PAGE_H, MARGIN, FONT_PX, LEADING = 2480, 3508, 220, 42, 1.45
WORD = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*", re.UNICODE)
MARK = re.compile(r"[„“•]|^\d{1,2}\.$")


@dataclass
class Score:
    name: str
    held_out: bool
    words: int
    ocr_errors: int
    repaired_errors: int
    broken: int
    ocr_correct: int
    repairs: int
    clean_repairs: int
    deu_repairs: int | None
    marks: int = 0  # whitespace tokens of the source with „ “ • or a list number
    ocr_marks: int = 0  # of those, read right by the OCR
    repaired_marks: int = 0  # and right after the repair

    @property
    def wer_before(self) -> float:
        return self.ocr_errors / max(1, self.words)

    @property
    def wer_after(self) -> float:
        return self.repaired_errors / max(1, self.words)


def font_path() -> Path:
    for path in FONTS:
        if path.exists():
            return path
    import reportlab

    return Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"


def text_to_pages(text: str) -> list[list[str]]:
    """Wrap paragraphs to the page width and cut them into pages of lines."""
    from PIL import ImageFont

    font = ImageFont.truetype(str(font_path()), FONT_PX)
    width = PAGE_W - 2 * MARGIN
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words = paragraph.split()
        line = ""
        for word in words:
            trial = f"{line} {word}".strip()
            if line and font.getlength(trial) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    per_page = int((PAGE_H - 2 * MARGIN) / (FONT_PX * LEADING))
    return [lines[i : i + per_page] for i in range(0, len(lines), per_page)]


def page_to_image(lines: list[str], scan: bool = False):  # type: ignore[no-untyped-def]
    """A page at 300 dpi; `scan` degrades it like a 150-dpi office scan (halved, blurred, thresholded)."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    font = ImageFont.truetype(str(font_path()), FONT_PX)
    image = Image.new("L", (PAGE_W, PAGE_H), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((MARGIN, MARGIN + i * FONT_PX * LEADING), line, font=font, fill=0)
    if scan:
        small = image.resize((PAGE_W // 2, PAGE_H // 2)).filter(ImageFilter.GaussianBlur(0.8))
        image = small.point(lambda v: 255 if v > 150 else 0)
    return image


def ocr_pages(text: str, lang: str, use_cache: bool, scan: bool = False) -> list[str]:
    """The text rendered to pages and read by Tesseract, page by page (cached)."""
    import pytesseract

    style = f"{font_path().name}\n{FONT_PX}\n{lang}" + ("\nscan" if scan else "")
    key = hashlib.sha256(f"{text}\n{style}".encode()).hexdigest()[:20]
    path = CACHE / f"{key}.json"
    if use_cache and path.exists():
        return list(json.loads(path.read_text(encoding="utf-8")))
    pages = [pytesseract.image_to_string(page_to_image(lines, scan), lang=lang) for lines in text_to_pages(text)]
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
    return pages


def pages_to_clean(doc_id: str, pages: list[str]) -> CleanText:
    pages_text = tuple(PageText(number=i + 1, text=t, source="ocr") for i, t in enumerate(pages))
    return raw_to_clean(RawText(doc_id=doc_id, kind="pdf", pages=pages_text, text_source="ocr", paged=True))


def words_of(text: str) -> list[str]:
    """Word tokens for the WER (hyphenated and dotted words kept whole, punctuation dropped)."""
    return WORD.findall(text)


def aligned_correct(source: list[str], other: list[str]) -> tuple[int, set[int]]:
    """(edit distance, indices of source words matched exactly) of a word alignment."""
    matcher = difflib.SequenceMatcher(None, source, other, autojunk=False)
    correct: set[int] = set()
    errors = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            correct.update(range(i1, i2))
        else:
            errors += max(i2 - i1, j2 - j1)
    return errors, correct


def score_text(name: str, text: str, held_out: bool, args: argparse.Namespace) -> Score:
    source = words_of(text)
    ocr_clean = pages_to_clean(name, ocr_pages(text, "eng", not args.no_cache, args.scan))
    repaired = repair_clean(ocr_clean)
    ocr_errors, ocr_ok = aligned_correct(source, words_of(ocr_clean.text))
    repaired_errors, repaired_ok = aligned_correct(source, words_of(repaired.text))
    clean_repairs = len(repair_clean(CleanText(doc_id=name, text=text)).repairs)
    deu_repairs = None
    if not args.no_deu:
        deu_pages = ocr_pages(text, "deu", not args.no_cache, args.scan)
        deu_repairs = len(repair_clean(pages_to_clean(name, deu_pages)).repairs)
    if args.verbose:
        show_differences(name, source, words_of(repaired.text))
    marked = {i for i, token in enumerate(text.split()) if MARK.search(token)}
    _, ocr_marks = aligned_correct(text.split(), ocr_clean.text.split())
    _, repaired_marks = aligned_correct(text.split(), repaired.text.split())
    return Score(
        name, held_out, len(source), ocr_errors, repaired_errors, len(ocr_ok - repaired_ok), len(ocr_ok),
        len(repaired.repairs), clean_repairs, deu_repairs,
        len(marked), len(marked & ocr_marks), len(marked & repaired_marks),
    )  # fmt: skip


def show_differences(name: str, source: list[str], repaired: list[str]) -> None:
    matcher = difflib.SequenceMatcher(None, source, repaired, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            print(f"  {name}: {' '.join(source[i1:i2])!r} -> {' '.join(repaired[j1:j2])!r}")


def file_to_clean(path: Path) -> CleanText:
    source, data = ingest(path)
    return raw_to_clean(source_to_raw_text(source, data, Settings()))


def bench_sources(raw_dir: Path, texts_dir: Path) -> list[tuple[str, str, bool]]:
    """(name, clean text, held out) for the corpus' clean documents and the written texts."""
    lexicon = load_lexicon()
    sources = []
    for path in sorted(raw_dir.glob("*.txt")):
        clean = file_to_clean(path)
        if not text_to_gate_stats(clean.text, lexicon).damaged:
            sources.append((path.stem, clean.text, False))
    for path in sorted(texts_dir.glob("*.txt")):
        sources.append((path.stem, path.read_text(encoding="utf-8").strip(), True))
    return sources


def still_unknown(raw_dir: Path) -> dict[str, list[str]]:
    """For each corpus document the gate marks damaged: the tokens still unknown after repair."""
    lexicon = load_lexicon()
    out = {}
    for path in sorted(raw_dir.iterdir()):
        if not path.is_file():
            continue
        try:
            repaired = repair_clean(file_to_clean(path))
        except Exception as exc:  # a document the text stage cannot read is not this benchmark's concern
            print(f"skipping {path.name}: {exc}", file=sys.stderr)
            continue
        if repaired.damaged:
            unknown = set()
            for match in TOKEN.finditer(repaired.text):
                token, hyphen = match.group(), repaired.text[match.end() : match.end() + 1] == "-"
                if not token.isdigit() and not (lexicon.is_head(token) if hyphen else lexicon.is_valid(token)):
                    unknown.add(token)
            out[path.stem] = sorted(unknown)
    return out


def print_scores(scores: list[Score]) -> None:
    print(
        f"{'text':34} {'words':>6} {'WER ocr':>8} {'WER rep':>8} {'broken':>7} {'repairs':>8} {'clean':>6} {'deu':>4}"
    )
    for s in scores:
        deu = "-" if s.deu_repairs is None else str(s.deu_repairs)
        print(
            f"{s.name[:34]:34} {s.words:6d} {s.wer_before:8.2%} {s.wer_after:8.2%} {s.broken:7d} {s.repairs:8d} "
            f"{s.clean_repairs:6d} {deu:>4}"
        )
    for label, group in (("held-out texts", [s for s in scores if s.held_out]), ("all", scores)):
        words = sum(s.words for s in group)
        correct = sum(s.ocr_correct for s in group)
        broken = sum(s.broken for s in group)
        print(
            f"{label}: {words} words, WER {sum(s.ocr_errors for s in group) / words:.2%} -> "
            f"{sum(s.repaired_errors for s in group) / words:.2%}, broken {broken} "
            f"({1000 * broken / max(1, correct):.2f} per 1,000 correct), clean-text repairs "
            f"{sum(s.clean_repairs for s in group)}, deu-OCR repairs {sum(s.deu_repairs or 0 for s in group)}"
        )
        marks = sum(s.marks for s in group)
        print(
            f"{label}: quotes, bullets and list numbers right: OCR {sum(s.ocr_marks for s in group)}/{marks} -> "
            f"repaired {sum(s.repaired_marks for s in group)}/{marks}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", type=Path, default=ROOT / "corpus" / "raw")
    parser.add_argument("--texts", type=Path, default=ROOT / "bench" / "repair_texts")
    parser.add_argument("--no-deu", action="store_true", help="skip the deu-OCR check (halves the OCR time)")
    parser.add_argument("--no-cache", action="store_true", help="re-run Tesseract instead of using cached output")
    parser.add_argument("--scan", action="store_true", help="degrade the pages like a 150-dpi office scan")
    parser.add_argument("--verbose", action="store_true", help="print every remaining word difference")
    parser.add_argument("--json", type=Path, help="also write the scores as JSON here")
    args = parser.parse_args(argv)
    scores = [score_text(name, text, held, args) for name, text, held in bench_sources(args.raw, args.texts)]
    print_scores(scores)
    unknown = still_unknown(args.raw)
    for doc_id, tokens in unknown.items():
        print(f"still unknown in {doc_id} after repair ({len(tokens)}): {' '.join(tokens)}")
    if args.json:
        data = {"scores": [asdict(s) for s in scores], "still_unknown": unknown}
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
