"""Scoring extracted tables against hand-made gold tables: per-table precision, recall and F1.

Matching rules (the gold tables hold fewer columns than the output):
- documents: every non-empty gold cell is one fact; titles match by fuzzy ratio >= 90, other cells exactly.
- partners: canonical name (or one of the gold `alt_names`) and the joining date must both match;
  `partners_name` scores the names alone.
- dates: the set of ISO dates per document (a range contributes its start and its end).
- figures: (value, unit) per document, as a multiset.
- commitments: number, number_inferred and text (ratio >= 90).
- questions: number, question (ratio >= 90), and the answer starting with the gold `answer_start`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from pipeline.tables import read_table

TABLES = ("documents", "partners", "partners_name", "dates", "figures", "commitments", "questions")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def norm(text: str) -> str:
    """Comparison form: NFC, straight quotes and dashes, single spaces, casefolded.

    >>> norm(" „Vielfalt  verbindet!“ – NRW ")
    '"vielfalt verbindet!" - nrw'
    """
    text = unicodedata.normalize("NFC", text or "")
    text = re.sub(r"[„“”«»‚‘’\"]", '"', text)
    text = re.sub(r"[–—]", "-", text)
    return " ".join(text.split()).casefold()


def similar(a: str, b: str, threshold: float = 90) -> bool:
    return fuzz.ratio(norm(a), norm(b)) >= threshold


def _by_doc(rows: list[dict[str, str]], doc_ids: set[str]) -> dict[str, list[dict[str, str]]]:
    grouped: dict[str, list[dict[str, str]]] = {d: [] for d in sorted(doc_ids)}
    for row in rows:
        if row.get("doc_id") in grouped:
            grouped[row["doc_id"]].append(row)
    return grouped


def _match_rows(
    gold: list[dict[str, str]],
    pred: list[dict[str, str]],
    same: Callable[[dict[str, str], dict[str, str]], bool],
    label: Callable[[dict[str, str]], str],
    score: Score,
) -> None:
    """Greedy one-to-one matching of gold rows to predicted rows."""
    unused = list(pred)
    for g in gold:
        hit = next((p for p in unused if same(g, p)), None)
        if hit is None:
            score.fn += 1
            score.misses.append(label(g))
        else:
            unused.remove(hit)
            score.tp += 1
    score.fp += len(unused)
    score.extras.extend(label(p) for p in unused)


def _value(text: str) -> str:
    try:
        return f"{float(text):g}"
    except ValueError:
        return text


def _partner_names(g: dict[str, str]) -> set[str]:
    names = [g["partner"], *[n for n in (g.get("alt_names") or "").split("|") if n]]
    return {norm(n) for n in names}


def score_table(table: str, gold: list[dict[str, str]], pred: list[dict[str, str]], score: Score) -> None:
    doc = gold[0]["doc_id"] if gold else (pred[0]["doc_id"] if pred else "")
    if table == "documents":
        _score_documents(gold, pred, score)
    elif table in ("partners", "partners_name"):
        with_date = table == "partners"
        _match_rows(
            gold,
            pred,
            lambda g, p: (
                norm(p["partner"]) in _partner_names(g) and (not with_date or g["date"] == p["date"])
            ),
            lambda r: f"{doc}: {r['partner']} {r.get('date', '')}".strip(),
            score,
        )
    elif table == "dates":
        got = {p["date"] for p in pred if p["date"]} | {
            p.get("date_end", "") for p in pred if p.get("date_end")
        }
        want = {g["date"] for g in gold}
        score.tp += len(got & want)
        score.fn += len(want - got)
        score.fp += len(got - want)
        score.misses.extend(f"{doc}: {d}" for d in sorted(want - got))
        score.extras.extend(f"{doc}: {d}" for d in sorted(got - want))
    elif table == "figures":
        found = Counter((_value(p["value"]), p["unit"]) for p in pred)
        wanted = Counter((_value(g["value"]), g["unit"]) for g in gold)
        score.tp += sum((found & wanted).values())
        score.fn += sum((wanted - found).values())
        score.fp += sum((found - wanted).values())
        score.misses.extend(f"{doc}: {v} {u}" for v, u in sorted((wanted - found).elements()))
        score.extras.extend(f"{doc}: {v} {u}" for v, u in sorted((found - wanted).elements()))
    elif table == "commitments":
        _match_rows(
            gold,
            pred,
            lambda g, p: (
                g["number"] == p["number"]
                and g["number_inferred"] == p["number_inferred"]
                and similar(g["text"], p["text"])
            ),
            lambda r: f"{doc}: #{r['number']} {r['text'][:50]}",
            score,
        )
    elif table == "questions":
        _match_rows(
            gold,
            pred,
            lambda g, p: (
                g["number"] == p["number"]
                and similar(g["question"], p["question"])
                and fuzz.ratio(norm(g["answer_start"]), norm(p["answer"])[: len(norm(g["answer_start"]))])
                >= 90
            ),
            lambda r: f"{doc}: #{r['number']} {r['question'][:50]}",
            score,
        )


def _score_documents(gold: list[dict[str, str]], pred: list[dict[str, str]], score: Score) -> None:
    p = pred[0] if pred else {}
    for g in gold:
        for column, want in g.items():
            if column == "doc_id":
                continue
            got = p.get(column, "")
            ok = similar(want, got) if column == "title" else norm(want) == norm(got)
            if want and got and ok:
                score.tp += 1
                continue
            if want:
                score.fn += 1
                score.misses.append(f"{g['doc_id']}.{column}={want!r}")
            if got:
                score.fp += 1
                score.extras.append(f"{g['doc_id']}.{column}={got!r}")


def score_dirs(gold_dir: Path, tables_dir: Path) -> dict[str, Score]:
    """Score every table in tables_dir against gold_dir, over the documents listed in the gold documents.csv."""
    doc_ids = {row["doc_id"] for row in read_table(gold_dir / "documents.csv")}
    scores = {name: Score() for name in TABLES}
    for name in TABLES:
        source = "partners" if name == "partners_name" else name
        gold_path = gold_dir / f"{source}.csv"
        gold = _by_doc(read_table(gold_path), doc_ids) if gold_path.exists() else _by_doc([], doc_ids)
        pred_path = tables_dir / f"{source}.csv"
        pred = _by_doc(read_table(pred_path), doc_ids) if pred_path.exists() else _by_doc([], doc_ids)
        for doc_id in sorted(doc_ids):
            score_table(name, gold[doc_id], pred[doc_id], scores[name])
    return scores


def score_by_document(gold_dir: Path, tables_dir: Path) -> dict[str, dict[str, Score]]:
    """doc_id -> table -> Score, for every document listed in the gold documents.csv (exact per-case checks)."""
    doc_ids = {row["doc_id"] for row in read_table(gold_dir / "documents.csv")}
    scores: dict[str, dict[str, Score]] = {doc_id: {} for doc_id in sorted(doc_ids)}
    for name in TABLES:
        source = "partners" if name == "partners_name" else name
        gold_path, pred_path = gold_dir / f"{source}.csv", tables_dir / f"{source}.csv"
        gold = _by_doc(read_table(gold_path) if gold_path.exists() else [], doc_ids)
        pred = _by_doc(read_table(pred_path) if pred_path.exists() else [], doc_ids)
        for doc_id in sorted(doc_ids):
            scores[doc_id][name] = Score()
            score_table(name, gold[doc_id], pred[doc_id], scores[doc_id][name])
    return scores


def format_scores(title: str, scores: dict[str, Score], details: bool = False) -> str:
    lines = [title, f"{'table':<14} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for name, s in scores.items():
        lines.append(
            f"{name:<14} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:4d} {s.fp:4d} {s.fn:4d}"
        )
        if details:
            lines.extend(f"    missed: {m}" for m in s.misses)
            lines.extend(f"    extra:  {e}" for e in s.extras)
    return "\n".join(lines)
