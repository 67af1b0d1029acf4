"""A long text's fact tables are extracted in parts, as tasks on several workers, and its result made of them:
exactly the tables and texts one process gives, also when a part's task fails."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from pipeline.document import SPLIT_FACTS_CHARS, FactsFirst, extract_part, finish_facts, process_or_plan
from pipeline.extract import PARTS
from pipeline.run import run
from pipeline.settings import Settings
from tests.conftest import SEEDS, make_settings

_MARKS = "PIPELINE_TEST_PART_MARKS"


def _long_text() -> str:
    """The seed texts one after another until the text is long enough to be extracted in parts."""
    seeds = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    return "\n\n".join([seeds] * (SPLIT_FACTS_CHARS // len(seeds) + 1))


def _settings(base: Path, jobs: int) -> Settings:
    raw = base / "raw"
    raw.mkdir(parents=True)
    (raw / "long.txt").write_text(_long_text(), encoding="utf-8")
    (raw / "short.txt").write_text("Die Stadt Hamm ist am 3. Mai 2018 der Initiative beigetreten.\n", encoding="utf-8")
    return make_settings(base, raw, jobs=jobs)


@pytest.fixture(scope="module")
def alone(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = _settings(tmp_path_factory.mktemp("alone"), jobs=1)
    summary = run(settings)
    assert summary.processed == 2 and not summary.failures
    return settings


def _outputs(settings: Settings) -> dict[str, bytes]:
    files = [*settings.clean_dir.glob("*.txt"), *settings.tables_dir.glob("*.csv")]
    return {f"{p.parent.name}/{p.name}": p.read_bytes() for p in sorted(files)}


def _noting_extract_part(plan: FactsFirst, part: tuple[str, ...]) -> Any:
    """`extract_part` that leaves a mark per call (it runs in a worker process, forked from the test)."""
    Path(os.environ[_MARKS], f"{Path(plan.path).stem}-{'+'.join(part)}").touch()
    return extract_part(plan, part)


def _partners_part_fails(plan: FactsFirst, part: tuple[str, ...]) -> Any:
    if "partners" in part:
        raise RuntimeError("a worker's part failed")
    return extract_part(plan, part)


def test_only_a_long_text_pauses_for_its_parts(alone: Settings, tmp_path: Path) -> None:
    split = replace(alone, split_ocr=True, clean_dir=tmp_path / "clean")
    plan = process_or_plan(str(alone.raw_dir / "long.txt"), "k", split)
    assert isinstance(plan, FactsFirst) and plan.parts == PARTS and not plan.result.facts.partners
    assert not isinstance(process_or_plan(str(alone.raw_dir / "short.txt"), "k", split), FactsFirst)
    done = finish_facts(plan, split, tuple(extract_part(plan, part) for part in plan.parts))
    assert [stage for stage, _ in done.timings][-1] == "extract" and done.facts.partners
    assert done.facts == finish_facts(plan, split, (None,) * len(plan.parts)).facts  # parts done by the finish


def test_a_pool_extracts_a_long_text_in_parts_with_the_same_tables(
    alone: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    monkeypatch.setenv(_MARKS, str(marks))
    monkeypatch.setattr("pipeline.scheduling.pool.extract_part", _noting_extract_part)
    pool = _settings(tmp_path / "pool", jobs=2)
    summary = run(pool)
    assert summary.processed == 2 and not summary.failures
    assert sorted(p.name for p in marks.iterdir()) == sorted(f"long-{'+'.join(part)}" for part in PARTS)
    assert _outputs(pool) == _outputs(alone)


def test_a_part_whose_task_failed_is_extracted_by_the_finishing_task(
    alone: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pipeline.scheduling.pool.extract_part", _partners_part_fails)
    pool = _settings(tmp_path / "pool", jobs=2)
    summary = run(pool)
    assert summary.processed == 2 and not summary.failures
    assert _outputs(pool) == _outputs(alone)


def test_a_dask_cluster_extracts_a_long_text_in_parts_with_the_same_tables(alone: Settings, tmp_path: Path) -> None:

    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        settings = replace(_settings(tmp_path, jobs=2), scheduler=cluster.scheduler_address)
        summary = run(settings)
    assert summary.processed == 2 and not summary.failures
    assert _outputs(settings) == _outputs(alone)
