"""Golden test: the real pipeline output for the five seeds against the hand-made gold tables."""

from __future__ import annotations

import pytest

from pipeline.tools import TABLES, format_scores, score_dirs
from tests.conftest import GOLD, Run, assert_f1

# Issue 2 asks F1 >= 0.90 on every table; raise a table's bar here when it is reached reliably.
MIN_F1 = {name: 0.90 for name in TABLES}


@pytest.fixture(scope="module")
def scores(seed_run: Run) -> dict:
    result = score_dirs(GOLD, seed_run.tables)
    print()
    print(format_scores("seeds", result, details=True))
    return result


@pytest.mark.parametrize("table", TABLES)
def test_seed_table_reaches_f1(scores: dict, table: str) -> None:
    assert_f1(scores, table, MIN_F1[table])


def test_seed_run_has_no_failures(seed_run: Run) -> None:
    assert seed_run.summary.failures == []
    assert seed_run.summary.processed == 5
