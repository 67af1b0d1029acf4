"""Golden cases with exact expectations: every document of the seeds (`tests/golden/seeds`), of the cases written
for issue 5 (`tests/cases`) and of the held-out cases (`tests/holdout`) against its own expected rows.

A document's rows must match its gold rows exactly (matching as `pipeline.tools.score` defines it), except for
the known misses listed in `tests/golden/known_misses.json` (gold rows missed and rows extra, per document and
table). The list is strict, like `xfail(strict=True)`: a fix that removes a known miss fails too, so the list is
updated (`.venv/bin/python scripts/known_misses.py`) and the fix can never silently regress; a regression in one
case is never hidden by the slack of a table-wide F1.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from pipeline.run import run
from pipeline.tables import read_table
from pipeline.tools import Score, score_by_document
from tests.conftest import GOLD, ROOT, Run, make_settings

KNOWN_MISSES = ROOT / "tests" / "golden" / "known_misses.json"
CASE_SETS = {  # set -> (gold folder, documents folder; None: the seed run of conftest)
    "seeds": (GOLD, None),
    "cases": (ROOT / "tests" / "cases" / "gold", ROOT / "tests" / "cases" / "docs"),
    "holdout": (ROOT / "tests" / "holdout" / "gold", ROOT / "tests" / "holdout" / "docs"),
}


def gold_doc_ids(case_set: str) -> list[str]:
    return sorted({row["doc_id"] for row in read_table(CASE_SETS[case_set][0] / "documents.csv")})


def misses_of(scores: dict[str, Score]) -> dict[str, dict[str, list[str]]]:
    """table -> {"missed": [...], "extra": [...]} for the tables where a document differs from its gold rows."""
    return {
        table: {"missed": score.misses, "extra": score.extras}
        for table, score in scores.items() if score.misses or score.extras
    }


@pytest.fixture(scope="session")
def set_scores(seed_run: Run, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], dict[str, dict[str, Score]]]:
    """Each case set run once (on first use) and scored per document."""
    scored: dict[str, dict[str, dict[str, Score]]] = {}

    def scores(case_set: str) -> dict[str, dict[str, Score]]:
        if case_set not in scored:
            gold, docs = CASE_SETS[case_set]
            tables = seed_run.tables
            if docs is not None:
                settings = make_settings(tmp_path_factory.mktemp(case_set), docs)
                assert run(settings).failures == []
                tables = settings.tables_dir
            scored[case_set] = score_by_document(gold, tables)
        return scored[case_set]

    return scores


@pytest.mark.parametrize(
    ("case_set", "doc_id"), [(case_set, doc_id) for case_set in CASE_SETS for doc_id in gold_doc_ids(case_set)]
)
def test_case_rows_are_exactly_the_expected_rows(
    set_scores: Callable[[str], dict[str, dict[str, Score]]], case_set: str, doc_id: str
) -> None:
    known = json.loads(KNOWN_MISSES.read_text(encoding="utf-8"))
    assert misses_of(set_scores(case_set)[doc_id]) == known.get(case_set, {}).get(doc_id, {})


def test_known_misses_name_only_existing_cases() -> None:
    known = json.loads(KNOWN_MISSES.read_text(encoding="utf-8"))
    for case_set, docs in known.items():
        assert set(docs) <= set(gold_doc_ids(case_set)), case_set


def test_seed_run_has_no_failures(seed_run: Run) -> None:
    assert seed_run.summary.failures == []
    assert seed_run.summary.processed == 5


def test_misses_of_keeps_only_differences() -> None:
    assert misses_of({"dates": Score(tp=2), "figures": Score(fn=1, misses=["d: 5 percent"])}) == {
        "figures": {"missed": ["d: 5 percent"], "extra": []}
    }


