"""What a process pays before its work: the modules a run's parent imports (its workers inherit them), and the
imports made without garbage collection (`pipeline.lazy.importing`)."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pipeline.records  # noqa: F401  (imported again below: nothing new)
from pipeline.lazy import importing

ROOT = Path(__file__).resolve().parent.parent


def test_the_parent_of_a_run_imports_only_what_a_run_needs() -> None:
    """PIL (OCR only), psutil (killing workers only), statistics and numpy.ma are not imported before the pool
    forks (the text stage's `median_of` and `distinct` stand in for the last two)."""
    program = (
        "import sys; import pipeline.cli, pipeline.run, pipeline.scheduling.pool, pipeline.text; "
        "print(*(m for m in ('PIL', 'psutil', 'statistics', 'numpy.ma', 'pipeline.extract') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.split() == []


def test_importing_pauses_collection_and_freezes_what_it_imported() -> None:
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    try:
        with importing():
            assert not gc.isenabled()
            import pipeline.records  # noqa: F401  (nothing new: nothing frozen)
        assert gc.isenabled() and gc.get_freeze_count() == frozen
        sys.modules.pop("this_test_module", None)
        with importing():
            sys.modules["this_test_module"] = type(sys)("this_test_module")  # as an import would add it
            kept = [object() for _ in range(3)]
        assert gc.isenabled() and gc.get_freeze_count() > frozen
        assert kept
    finally:
        sys.modules.pop("this_test_module", None)
        gc.unfreeze()


def test_importing_keeps_collection_off_where_it_was_off() -> None:
    gc.disable()
    try:
        with importing():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
