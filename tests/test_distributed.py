"""The Dask backend gives byte-identical tables to the local process pool."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.orchestrator import run
from tests.conftest import Run, copy_seeds, make_settings


def test_dask_local_cluster_matches_local_run(tmp_path: Path, seed_run: Run) -> None:
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        settings = replace(
            make_settings(tmp_path, copy_seeds(tmp_path / "raw")), scheduler=cluster.scheduler_address
        )
        summary = run(settings)
    assert summary.processed == 5 and not summary.failures
    for path in sorted(seed_run.tables.glob("*.csv")):
        assert (settings.tables_dir / path.name).read_bytes() == path.read_bytes(), path.name
