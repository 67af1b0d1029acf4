"""Record the golden cases' known misses (tests/golden/known_misses.json) from a fresh run of every case set.

    .venv/bin/python scripts/known_misses.py

Run it after a change that fixes (or knowingly accepts) a miss, and review the diff of the JSON file: every line
removed is a fix, every line added a new miss that `tests/test_golden.py` will hold the pipeline to.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.run import run  # noqa: E402
from pipeline.tools import score_by_document  # noqa: E402
from tests.conftest import SEEDS, make_settings  # noqa: E402
from tests.test_golden import CASE_SETS, KNOWN_MISSES, misses_of  # noqa: E402


def main() -> int:
    known: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for case_set, (gold, docs) in CASE_SETS.items():
            settings = make_settings(Path(tmp) / case_set, docs if docs is not None else SEEDS)
            run(settings)
            per_doc = score_by_document(gold, settings.tables_dir)
            known[case_set] = {doc: misses for doc, scores in per_doc.items() if (misses := misses_of(scores))}
    KNOWN_MISSES.write_text(json.dumps(known, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{KNOWN_MISSES.relative_to(ROOT)}: {sum(len(d) for d in known.values())} documents with known misses")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
