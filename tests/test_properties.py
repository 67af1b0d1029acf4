"""Property tests: invariants that must hold for any input text."""

from __future__ import annotations

import csv
import io
import itertools
import marshal
import re
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from pipeline.clean import PAGE_FIXERS, fix_and_explain, raw_to_clean
from pipeline.extract import text_to_sentences
from pipeline.models import forget_derived, save_derived
from pipeline.records import CleanText, PageText, RawText
from pipeline.tables import COLUMNS, rows_to_csv
from pipeline.text import Line

LETTERS = "abcdefghijklmnopqrstuvwxyzäöüßABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ0123456789"
GERMANISH = st.text(alphabet=st.sampled_from(list(LETTERS + " .,;:!?-–„“\"()\n\t\u00ad")), max_size=400)


@settings(max_examples=150, deadline=None)
@given(GERMANISH)
def test_cleaning_is_idempotent(text: str) -> None:
    once, _ = fix_and_explain(text, PAGE_FIXERS, record=False)
    twice, changes = fix_and_explain(once, PAGE_FIXERS)
    assert twice == once
    assert changes == []


@settings(max_examples=150, deadline=None)
@given(GERMANISH)
def test_sentences_are_ordered_slices_of_the_text(text: str) -> None:
    previous_end = 0
    for sentence in text_to_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.start >= previous_end and sentence.end > sentence.start
        previous_end = sentence.end


@settings(max_examples=60, deadline=None)
@given(st.lists(GERMANISH, min_size=1, max_size=4))
def test_page_starts_map_offsets_to_pages(pages: list[str]) -> None:
    raw = RawText("d", "pdf", tuple(PageText(i + 1, p, "text_layer") for i, p in enumerate(pages)), "text_layer", True)
    clean = raw_to_clean(raw)
    assert len(clean.page_starts) == len(pages)
    assert list(clean.page_starts) == sorted(clean.page_starts)
    assert all(0 <= s <= len(clean.text) for s in clean.page_starts)
    assert CleanText.from_json(clean.to_json()) == clean


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=30), st.text(max_size=30)), max_size=8))
def test_csv_round_trips(pairs: list[tuple[str, str]]) -> None:
    rows = [
        {"doc_id": f"d{i}", "stage": "text", "error": a, "message": b, "source_file": ""}
        for i, (a, b) in enumerate(pairs)
    ]
    text = rows_to_csv("failures", rows)
    back = list(csv.DictReader(io.StringIO(text, newline="")))
    expected = [(r["error"], r["message"]) for r in rows]
    assert [(r["error"], r["message"]) for r in back] == [
        tuple(v.replace("\r\n", "\n").replace("\r", "\n") for v in pair) for pair in expected
    ]


def test_mojibake_behind_a_soft_hyphen_is_repaired_in_one_call() -> None:
    """Found by hypothesis: the soft hyphen hid the mojibake from ftfy until it was removed."""
    once, _ = fix_and_explain("a\u00adÄ“", PAGE_FIXERS, record=False)
    assert fix_and_explain(once, PAGE_FIXERS, record=False)[0] == once


_QUIET_SAMPLE = "éğıçşŞĞİ©®»«·àÁñøłŒ\uf028\uf03a"  # letters and signs of models/patterns/ftfy_quiet.json
_FTFY_SAFE_ALPHABET = st.sampled_from(
    [chr(c) for c in range(32, 127)] + list("\n\fäöüÄÖÜß„“”‚‘’–—…•§€" + _QUIET_SAMPLE)
)


@settings(max_examples=1000, deadline=None)
@given(st.text(_FTFY_SAFE_ALPHABET, max_size=60))
def test_texts_the_encoding_gate_skips_are_ones_ftfy_leaves_alone(text: str) -> None:
    import ftfy

    from pipeline.clean import FTFY_NEEDED

    assume(not FTFY_NEEDED.search(text))
    assert ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC") == text


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["&", "amp", "AMP", "lt", ";", "#", "#x", "12", "x", " ", "<", "é"]), max_size=12))
def test_an_ampersand_the_encoding_gate_skips_starts_no_entity(pieces: list[str]) -> None:
    import ftfy

    from pipeline.clean import FTFY_NEEDED, ftfy_needed

    text = "".join(pieces)
    assert (ftfy_needed(text) is None) == (FTFY_NEEDED.search(text) is None)
    assume(not FTFY_NEEDED.search(text))
    assert ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC") == text


def test_short_texts_the_encoding_gate_skips_are_ones_ftfy_leaves_alone() -> None:
    """Every string of up to three characters: mojibake is made of short sequences, which hypothesis may miss."""
    import ftfy

    from pipeline.clean import FTFY_NEEDED

    alphabet = list(" a.") + list("äöüÄÖÜß„“”‚‘’–—…•§€") + list("éğı©»Ł")
    texts = ("".join(chars) for size in (1, 2, 3) for chars in itertools.product(alphabet, repeat=size))
    skipped = [text for text in texts if not FTFY_NEEDED.search(text)]
    changed = [text for text in skipped if ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC") != text]
    assert "äß" in skipped and "aé." in skipped and changed == []


@pytest.mark.parametrize("codec", ["latin-1", "cp1252", "mac_roman"])
def test_the_encoding_gate_catches_the_mojibake_of_the_letters_it_lets_pass(codec: str) -> None:
    from pipeline.clean import FTFY_NEEDED

    for char in _QUIET_SAMPLE:
        mojibake = char.encode("utf-8").decode(codec, errors="replace")
        assert FTFY_NEEDED.search(f"Herr {mojibake}zoğuz"), (char, mojibake)
        assert not FTFY_NEEDED.search(f"Herr {char}zo"), char


def _pattern_lists() -> list[re.Pattern[str]]:
    from pipeline.extract.commitments import commitment_patterns
    from pipeline.extract.partners import compiled, patterns

    found = [v for v in commitment_patterns().values() if isinstance(v, re.Pattern)]
    for name, value in patterns().items():
        items = [value] if isinstance(value, str) else value
        if isinstance(items, list) and all(isinstance(v, str) for v in items):
            try:
                found.extend(p for p, _ in compiled(name).patterns)
            except re.error:
                continue  # a word list, not regexes
    return found


def test_the_prefilter_never_hides_a_match() -> None:
    from pipeline.extract import may_match

    root = Path(__file__).parent
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.parent.glob("corpus/raw/*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(root.glob("*/docs/*.txt"))]
    checked = 0
    for pattern in _pattern_lists():
        for text in texts:
            for match in pattern.finditer(text):
                assert may_match(pattern, text, match.start(), match.end()), (pattern.pattern, match.group())
                checked += 1
    assert checked > 100


# words holding the literals of the partners' per-sentence patterns, and ones that only look like them
_SCAN_WORDS = [
    "Partner", "Partnerschaftsvertrag", "Partnernetzwerk", "Vereinbarung", "unterzeichnet", "Unterzeichner",
    "beigetreten", "Beitritt", "bei", "Arbeit", "dabei", "trat", "traten", "schließt", "sich", "an", "angeschlossen",
    "gehören", "Dazu", "Hierzu", "Kontakt", "Impressum", "Initiative", "hinzu", "kamen", "gewonnen", "die", "Stadt",
    "Köln", "ist", "seit", "......", "…", "……", "___", "...", "11", "2019", "nicht", "geplant", "PARTNER", "ΣΑΣ",
    "İstanbul", "Straße", "STRASSE", "Zu den Partnern zählen",
]
_SCAN_TEXT = st.lists(
    st.tuples(st.sampled_from(_SCAN_WORDS), st.sampled_from([" ", " ", "\n", ". ", "; ", ", ", "", "? "])),
    max_size=40,
).map(lambda parts: "".join(word + gap for word, gap in parts))


@settings(max_examples=300, deadline=None)
@given(_SCAN_TEXT, st.data())
def test_a_scan_over_a_text_finds_what_the_prefilter_finds_in_each_span(text: str, data: st.DataObject) -> None:
    """`Scan` (literals found once per text) against `Prefiltered` on each span, the reference."""
    from pipeline.extract import Prefiltered, TextLiterals, page_leader
    from pipeline.extract.partners import compiled

    names = ["triggers", "event_triggers", "negative_cues", "past_cues", "list_closers", "list_openers", "list_intro"]
    lists = [compiled(n) for n in [*names, "clause_breaks"]]
    lists.append(Prefiltered.of([page_leader()]))
    spans = [(s.start, s.end) for s in text_to_sentences(text)]
    spans += data.draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, len(text))), max_size=5))
    found = TextLiterals(text)
    for prefiltered in lists:
        scan = prefiltered.over(found)
        for start, end in spans:
            expected = [(m.re, m.span()) for m in prefiltered.finditer(text[start:end])]
            assert [(m.re, m.span()) for m in scan.finditer(start, end)] == expected
            assert scan.search(start, end) == bool(expected)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("abei. ")), max_size=80), st.lists(st.text(st.sampled_from(list("abei.")),
       min_size=1, max_size=4), max_size=8))
def test_literals_are_found_wherever_they_occur(text: str, literals: list[str]) -> None:
    """`TextLiterals.starts`, which looks for a literal holding one found before only where that one occurs,
    against every offset (in any order of asking)."""
    from pipeline.extract import TextLiterals

    found = TextLiterals(text)
    for literal in literals:
        assert found.starts(literal) == [i for i in range(len(text)) if text.startswith(literal, i)]


def test_cached_required_literals_are_the_parsed_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`required_literals` written to the cache and read back are what the parse tree gives, for every pattern."""
    from pipeline.extract import parse_literals, required_literals

    monkeypatch.setattr("pipeline.extract.prefilter.CACHE_DIR", tmp_path)
    patterns = _pattern_lists()
    for _ in ("computed and written when the process ends", "read from the file"):
        required_literals.cache_clear()
        forget_derived()
        for pattern in patterns:
            assert required_literals(pattern) == parse_literals(pattern), pattern.pattern
        save_derived()
        (path,) = tmp_path.glob("*.marshal")
        assert len(marshal.loads(path.read_bytes())) == len({(p.pattern, p.flags) for p in patterns})
    required_literals.cache_clear()
    forget_derived()


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("ab \n\r\t\f\x07\x9f\u00ad\u200b\ufeff\ufffe\xa0\u2009\u202f\\ä")), max_size=40))
def test_the_invisible_gate_changes_nothing(text: str) -> None:
    from pipeline.clean import CONTROL, INVISIBLE, remove_invisible

    reference = CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").translate(INVISIBLE))
    assert remove_invisible(text) == reference


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("ab. \n\t!?z\xa0\u2009")), min_size=1, max_size=300), st.data())
def test_the_token_before_a_sentence_end_is_the_regex_one(text: str, data: st.DataObject) -> None:
    from pipeline.extract import token_ending_at

    index = data.draw(st.integers(0, len(text) - 1))
    assume(not text[index].isspace())
    found = re.compile(r"(\S+)$").search(text, max(0, index - 200), index + 1)
    assert token_ending_at(text, index) == (found.group(1) if found else "")


def _sentences_reference(text: str) -> list[tuple[int, int, str]]:
    """`text_to_sentences` as it was: a character loop for the token before a period and the trimmed ends."""
    from pipeline.models import load_lines

    abbreviations = frozenset(entry for entry in load_lines("abbreviations.txt") if entry.endswith("."))

    def token_before(index: int) -> str:
        start, low = index, max(0, index - 200)
        while start > low and not text[start - 1].isspace():
            start -= 1
        return text[start : index + 1] if not text[index].isspace() else ""

    def is_abbreviation(token: str) -> bool:
        bare = token.lstrip("(„\"'»«[")
        if bare in abbreviations or bare.lower() in abbreviations:
            return True
        if re.fullmatch(r"(?:[A-Za-zÄÖÜäöü]\.)+[A-Za-zÄÖÜäöü]?\.?", bare):
            return True
        return len(bare.rstrip(".")) == 1 and bare[:1].isalpha()

    def is_ordinal(token: str) -> bool:
        return bool(re.fullmatch(r"\d{1,3}|\d{1,2}\.\d{1,2}|[IVX]{1,4}", token.lstrip("(„\"'»«[").rstrip(".")))

    def trimmed(start: int, end: int) -> list[tuple[int, int, str]]:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return [(start, end, text[start:end])] if end > start else []

    sentences, start = [], 0
    for match in re.finditer(r"[.!?…]+[\"“”'’»«)\]]*(?=\s)|\n+", text):
        end = match.end()
        if not match.group().startswith("\n"):
            token = token_before(match.start())
            if match.group().startswith(".") and (is_abbreviation(token) or is_ordinal(token)):
                continue
            if text[end : end + 3].lstrip()[:1].islower():
                continue
        sentences += trimmed(start, end)
        start = end
    return sentences + trimmed(start, len(text))


_SENTENCE_PIECES = st.sampled_from(
    ["Am", "26.", "März", "z.B.", "Nr.", "bzw.", "e.V.", "S.", "IV.", "1.2.", "es", "Es", "Köln", "a", "…", "...",
     "!", "?", ".", "“", "»", ")", "(", "„", "\n", "\n\n", " ", " ", " ", "\t", "\xa0", "\u2009", "\x0b", "ß"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_SENTENCE_PIECES, max_size=60).map("".join))
def test_sentences_are_the_ones_the_character_loops_found(text: str) -> None:
    assert [(s.start, s.end, s.text) for s in text_to_sentences(text)] == _sentences_reference(text)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("ab- \nÄß.1")), max_size=60))
def test_dehyphenation_hints_change_nothing(text: str) -> None:
    from pipeline.clean import HYPHEN_BREAK, HYPHEN_SPACE, dehyphenate, join_hyphen

    assert dehyphenate(text) == HYPHEN_SPACE.sub(join_hyphen, HYPHEN_BREAK.sub(join_hyphen, text))


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from(list("0129/ a")), max_size=40))
def test_bare_years_are_the_years_written_alone(text: str) -> None:
    from pipeline.extract.dates import parse_dates

    text = text.replace("a", "2012").replace("9", "1999")
    years = [m.group(1) for m in re.finditer(r"(?<![\d/])(19[5-9]\d|20[0-4]\d)(?![\d/])", text)]
    found = parse_dates(text, bare_years=True)
    assert [m.value for m in found] == years
    assert all(text[m.start : m.end] == m.text and m.precision == "year" for m in found)


QUOTED = 'Stadt, "Köln"'


def test_streamed_tables_are_the_whole_table_bytes(tmp_path: Path) -> None:
    from pipeline.tables import StreamingTables

    rows = [
        {"doc_id": d, "partner": p, "char_start": s, "char_end": s + 3, "mention": p, "partner_type": "kreis",
         "date": "", "evidence": "x", "page": 1, "evidence_start": 0, "evidence_end": 5}
        for d, p, s in [("b", "Kreis Unna", 9), ("a", "Stadt Hamm", 4), ("b", "Kreis Soest", 2), ("a", QUOTED, 4)]
    ]
    streamed = StreamingTables(tmp_path)
    for doc_id in ("a", "b"):
        streamed.add(doc_id, {"partners": [r for r in rows if r["doc_id"] == doc_id]})
    assert streamed.close()
    assert (tmp_path / "partners.csv").read_text(encoding="utf-8") == rows_to_csv("partners", rows)
    again = StreamingTables(tmp_path)
    for doc_id in ("a", "b"):
        again.add(doc_id, {"partners": [r for r in rows if r["doc_id"] == doc_id]})
    assert not again.close()  # same bytes: nothing replaced
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.csv" for n in COLUMNS)


def _every_cue_score(cues: list[dict[str, object]], texts: tuple[str, ...], head_chars: int) -> int:
    """The summed weight of the cues found, every cue searched (`cue_score` without its early stop)."""
    score = 0
    for cue in cues:
        pattern = re.compile(str(cue["re"]), re.MULTILINE)
        if any(pattern.search(t if cue.get("anywhere") else t[:head_chars]) for t in texts if t):
            score += int(str(cue["weight"]))
    return score


_CUE_WORDS = ["Antrag", "Beifall", "Sitzung", "Presse", "\nAntrag", "(Beifall)"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.fixed_dictionaries({"re": st.sampled_from(["Antrag", "^Antrag", r"\(Beifall", "Sitzung|Presse"]),
                                    "weight": st.integers(-2, 4), "anywhere": st.booleans()}), max_size=6),
    st.lists(st.lists(st.sampled_from(_CUE_WORDS + ["x" * 7, " "]), max_size=12).map("".join), max_size=2),
    st.integers(0, 30), st.integers(-1, 8),
)
def test_a_cue_score_that_stops_early_cannot_win(
    cues: list[dict[str, object]], texts: list[str], head_chars: int, to_beat: int
) -> None:
    """`cue_score` is the full score whenever that beats `to_beat`, else a score that does not beat it either."""
    from pipeline.extract.documents import cue_score

    full = _every_cue_score(cues, tuple(texts), head_chars)
    score = cue_score(cues, tuple(texts), head_chars, to_beat)
    assert score == full if full > to_beat else score <= to_beat


def _every_cue_doc_type(text: str, kind: str, raw_text: str) -> str:
    """`text_to_doc_type` as it was: every cue of every type searched."""
    from pipeline.models import load_json

    data = load_json("patterns/documents.json")
    best_type, best_score = "", 0
    for entry in data["doc_types"]:
        score = _every_cue_score(entry["cues"], (text, raw_text), data["head_chars"])
        if score > best_score:
            best_type, best_score = entry["type"], score
    if best_score >= data["min_score"]:
        return best_type
    return data["html_default_type"] if kind == "html" else "other"


_TYPE_CUES = [
    "Antwort der Landesregierung", "auf die Kleine Anfrage 12", "hat die Kleine Anfrage 3", "Umsetzungsbericht",
    "Berichtszeitraum", "\nInhaltsverzeichnis\n", "Plenarprotokoll", "\n12. Sitzung", "(Beifall", "\nPräsident Kuper:",
    "Pressemitteilung", "Pressestelle", "\n3. Mai 2021", "“, sagte Minister", "\nKontakt:", "\nAntrag\n",
    "\nBeschlussempfehlung", "16. Wahlperiode", "\nAmtsblatt", "RdErl.", "\nHerausgeber:", "\nSehr geehrte",
    "\nMit freundlichen Grüßen", "Impressum", "Unsere Partner", "Menü", "\n• ", "als Download",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_TYPE_CUES + ["Text " * 60, "\n", " "]), max_size=30).map("".join),
                min_size=2, max_size=2),
       st.sampled_from(["pdf", "html"]))
def test_the_doc_type_is_the_one_of_every_cue_searched(texts: list[str], kind: str) -> None:
    from pipeline.extract.documents import text_to_doc_type

    text, raw_text = texts
    assert text_to_doc_type(text, kind, raw_text) == _every_cue_doc_type(text, kind, raw_text)
    assert text_to_doc_type(text, kind) == _every_cue_doc_type(text, kind, "")


_ENCODING_ALPHABET = st.sampled_from(
    list("aZ .&#;1\n\f\t\x00\x7f\x85") + list("äöüÄÖÜß„“”‚‘’–—…•§€") + list(_QUIET_SAMPLE) + list("Ãâ€\u0301ﬁＡ\u00ad")
)


@settings(max_examples=2000, deadline=None)
@given(st.text(_ENCODING_ALPHABET, max_size=40), st.integers(0, 45))
def test_the_encoding_gate_searched_at_its_starts_is_the_regex_search(text: str, pos: int) -> None:
    from pipeline.clean import FTFY_NEEDED, ftfy_needed

    found, expected = ftfy_needed(text, pos), FTFY_NEEDED.search(text, pos)
    assert (found and found.span()) == (expected and expected.span())


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("aZßäÖü1 .-\nÉé")), max_size=60))
def test_the_umlaut_share_is_the_one_of_the_tokens(text: str) -> None:
    from pipeline.repair import text_to_gate_stats

    tokens = re.findall("[A-Za-zÄÖÜäöüß]+", text)
    stats = text_to_gate_stats(text, None)
    assert stats.tokens == len(tokens)
    assert stats.umlaut_share == (sum(1 for t in tokens if re.search("[äöüßÄÖÜ]", t)) / len(tokens) if tokens else 0.0)


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("ab- \nÄß.1A_é")), max_size=60))
def test_the_possessive_hyphen_space_pattern_is_the_backtracking_one(text: str) -> None:
    from pipeline.clean import HYPHEN_SPACE, join_hyphen

    backtracking = re.compile(r"(?<!\w)(\w*[a-zäöüß])- (\w[\w.]*)")
    assert HYPHEN_SPACE.sub(join_hyphen, text) == backtracking.sub(join_hyphen, text)


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list(" .,;:!?\"“”)aß\n\t")), max_size=40))
def test_space_normalising_hints_change_nothing(text: str) -> None:
    from pipeline.clean import normalise_spaces

    expected = re.sub(r"(?<=[\w\"“”)]) +(?=[.,;:!?](?:\s|$|[\"“”]))", "", re.sub(r"[ ]{2,}", " ", text))
    assert normalise_spaces(text) == "\n".join(line.strip() for line in expected.split("\n"))


def _every_neighbour_repeated_lines(pages: list[list[Line]]) -> set[tuple[int, int]]:
    """`repeated_lines` as it was: every neighbouring page compared, however the count stands. For the pages of
    `_PAGES` only: every line is an edge line, its text is its masked form, and two heights are either at most 0.004
    or more than 0.06 apart (so that "the same height" within 0.01 is the same for any SAME_HEIGHT in between)."""
    import math

    from rapidfuzz import fuzz

    edges = [[(i, line.text, line.top) for i, line in enumerate(page)] for page in pages]
    needed = max(2, math.ceil(0.4 * len(pages)))
    exact: dict[str, list[tuple[int, float]]] = {}
    for p, entries in enumerate(edges):
        for _, key, top in entries:
            exact.setdefault(key, []).append((p, top))
    found: set[tuple[int, int]] = set()
    for p, entries in enumerate(edges):
        for i, key, top in entries:
            if not key.strip("# "):
                continue
            hits = {q for q, t in exact[key] if abs(t - top) <= 0.01}
            if len(hits) < needed:
                for q in range(max(0, p - 15), min(len(pages), p + 16)):
                    if q not in hits and any(
                        abs(t - top) <= 0.01 and fuzz.ratio(k, key) >= 85 for _, k, t in edges[q]
                    ):
                        hits.add(q)
            if len(hits | {p}) >= needed:
                found.add((p, i))
    return found


# Masked already (lower case, no digits, single spaces), some alike enough for fuzz.ratio, some not.
_EDGE_TEXTS = ["landtag nordrhein-westfalen #", "landtag nordrhein-westfalin", "plenarprotokoll #/#", "#",
               "plenarprotokol #/#", "seite # von #", "(beifall von der cdu)", ""]
_LINES = st.builds(Line, st.sampled_from(_EDGE_TEXTS),
                   st.sampled_from([0.02, 0.024, 0.09, 0.092, 0.16, float("nan")]), st.just(1.0))
# Pages of one document draw their edge lines (at most three: all are edge lines) from a few (header, footer,
# page number, a line of text at the edge), so that some recur on enough pages and some fall just short, exactly
# or fuzzily.
_PAGES = st.lists(_LINES, min_size=1, max_size=5).flatmap(
    lambda pool: st.integers(0, 45).flatmap(
        lambda count: st.lists(st.lists(st.sampled_from(pool), max_size=3), min_size=count, max_size=count)
    )
)


@settings(max_examples=300, deadline=None)
@given(_PAGES)
@example([[Line("plenarprotokoll #/#", 0.02, 1.0)], [Line("plenarprotokol #/#", 0.024, 1.0)]])  # the last neighbour
def test_repeated_lines_stop_early_to_the_same_lines(pages: list[list[Line]]) -> None:
    from pipeline.text import repeated_lines

    assert repeated_lines(pages) == _every_neighbour_repeated_lines(pages)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Straße ", "Haus ", "Ubung ", "\n"]), st.integers(1, 80)), max_size=6)
       .map(lambda runs: "".join(word * times for word, times in runs)),  # runs of umlaut words or of words without
       st.lists(st.integers(0, 1500), max_size=6).map(lambda starts: tuple(sorted(starts))))
def test_the_whole_document_is_judged_only_for_pages_that_need_it(text: str, page_starts: tuple[int, ...]) -> None:
    from pipeline.repair import damaged_spans, text_to_gate_stats

    whole = text_to_gate_stats(text, None).damaged
    ends = [*page_starts[1:], len(text)]
    spans = [(s, e) for s, e in zip(page_starts, ends, strict=True) if e > s] if page_starts else [(0, len(text))]
    expected = []
    for start, end in spans:
        stats = text_to_gate_stats(text[start:end], None) if page_starts else None
        if stats.damaged if stats is not None and stats.decided else whole:
            expected.append((start, end))
    assert damaged_spans(text, page_starts, None) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.integers(-1000, 1000), st.floats(-1e6, 1e6, allow_nan=False)), min_size=1, max_size=30))
def test_median_of_is_statistics_median(values: list[float]) -> None:
    import statistics

    from pipeline.text import median_of

    assert median_of(values) == statistics.median(values)
    assert type(median_of(values)) is type(statistics.median(values))
    assert median_of(iter(values)) == statistics.median(iter(values))


def test_median_of_nothing_is_an_error() -> None:
    from pipeline.text import median_of

    with pytest.raises(ValueError):
        median_of([])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([0.0, -0.0, 1.5707963267948966, 3.141592653589793, 4.71238898038469, 0.1, -2.5]),
                max_size=40))
def test_distinct_is_numpy_unique(values: list[float]) -> None:
    import numpy as np

    from pipeline.text import distinct

    array = np.array(values, dtype=np.float64)
    assert distinct(array) == np.unique(array).tolist()


# ------------------------------------------------------------------ figures: fast scans, the same matches

_NUMBER_ALPHABET = list("0129O.,/- \u202f\n_aAeEnNiIrsStTvVoOüÜäß%é")
_NUMBER_ALPHABET += ["ein", "Acht", "zwölf", "von", "jeder ", "Jede", "ſechs", "SIEBEN", "\u212a", "Fünf"]
_NUMBER_ALPHABET += ["die ", "zwei", "Hälfte", "HALFTE", "Drittel", "drittel", "viertel", "Viertels", "HäBfte"]
_NUMBER_ALPHABET += ["İ", "ſ", "e\u0301", "\u0308", "\u1100", "\u1161", "\u00a0"]  # the edges of the in-place fold
_FIGURES = "pipeline.extract.figures.mentions"


def _walked_fraction_spans(text: str, names: dict[str, str]) -> list[tuple[int, int]]:
    from pipeline.extract.figures import fold

    return [m.span() for m in re.finditer(r"[^\W\d_]+", text) if fold(m.group()) in names]


def _walked_word_before(text: str, start: int, char: re.Pattern[str] | None = None) -> tuple[int, int] | None:
    """The word (letter run, or alphanumeric run for `char`) before `start`, as the walk over every word found it:
    the one before, if only whitespace stands between."""
    word = r"[^\W\d_]+" if char is None or char.pattern == r"[^\W\d_]" else r"[^\W_]+"
    previous = None
    for match in re.finditer(word, text[:start]):
        previous = match
    if previous is None or text[previous.end() : start].strip() or previous.end() == start:
        return None
    return previous.span()


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_NUMBER_ALPHABET), max_size=30).map("".join))
def test_the_quantities_are_those_of_the_scans_over_every_position(text: str) -> None:
    from unittest import mock

    from pipeline.extract.figures import number_word_candidates, text_to_quantities

    ratio = re.compile(r"(?<![\w.,/-])([^\W_]+)\s+von\s+([^\W_]+)(?![\w.,/-])")
    old = {  # the patterns and walks as they were: tried at every position, every word walked
        "_DIGITS": re.compile(r"\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?![\d.,]\d)|\d[\d.,]*"),
        "_SHARE_WORDS": re.compile(r"(?<![\w-])([Jj]ede[rsnm]?)\s+([^\W\d_]+)"),
        "_OCR_ZERO": re.compile(r"(?<=\d[.,])[O](?=[\dO])|(?<=\d)O(?=[\dO]|[.,]\d)"),
        "number_word_spans": lambda text: [m.span() for m in number_word_candidates().finditer(text)],
        "_ratio_matches": ratio.finditer,
        "_fraction_word_spans": _walked_fraction_spans,
        "_word_before": _walked_word_before,
    }
    with mock.patch.multiple(_FIGURES, **old):
        expected = text_to_quantities(text)
    assert text_to_quantities(text) == expected


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("abcdeilmnrstuäöüß")), max_size=20))
def test_the_unit_of_a_noun_is_that_of_the_walk_over_the_forms(noun: str) -> None:
    from unittest import mock

    from pipeline.extract.figures import fold, lexicon, noun_to_unit

    forms = sorted({(fold(form), unit) for form, unit in lexicon()["units"].items()}, key=lambda e: (-len(e[0]), e[0]))

    def walk(folded: str) -> str | None:  # the walk over the forms, longest first, as it was
        heads = [u for form, u in forms if form == folded or (folded.endswith(form) and len(folded) > len(form) + 2)]
        return heads[0] if heads else None

    for word in [noun] + [noun + form for form, _ in forms[::7]] + [form for form, _ in forms[::5]]:
        noun_to_unit.cache_clear()
        with mock.patch("pipeline.extract.figures.lexicon._folded_to_unit", walk):
            expected = noun_to_unit(word)
        noun_to_unit.cache_clear()
        assert noun_to_unit(word) == expected, word


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(list("ab- \nÄß.1A_é") + ["a" * 45, "-\n", "- ", " - \n "]), max_size=30).map("".join))
def test_the_hyphen_joins_tried_at_the_hyphens_are_the_subs_over_the_page(text: str) -> None:
    from pipeline.clean import HYPHEN_BREAK, HYPHEN_SPACE, dehyphenate, join_hyphen

    assert dehyphenate(text) == HYPHEN_SPACE.sub(join_hyphen, HYPHEN_BREAK.sub(join_hyphen, text))


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("abcz-]^\\[éê\uf027\uf028\uf029\n")), max_size=12), st.text(max_size=3))
def test_a_class_of_ranges_holds_the_characters_it_is_made_of(chars: str, others: str) -> None:
    from pipeline.clean import class_ranges

    assume(chars)
    pattern = re.compile(f"[{class_ranges(chars)}]")
    assert all(pattern.fullmatch(char) for char in chars)
    assert not any(pattern.fullmatch(char) for char in others + "ydB" if char not in chars)
