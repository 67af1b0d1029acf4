"""Schedulers: the local process pool (`pool`) and a Dask cluster (`cluster`) run the same per-document recipe.
"""

from pipeline.scheduling.cluster import run_on_dask
from pipeline.scheduling.isolate import run_alone, run_resilient
from pipeline.scheduling.pool import run_pending

__all__ = [
    "run_alone",
    "run_on_dask",
    "run_pending",
    "run_resilient",
]
