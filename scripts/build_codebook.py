"""Build `models/datapackage.json` and `docs/codebook.md` from the row records and the codebook notes.

Run after changing a record in `pipeline/records/rows.py` or a note in `models/sources/codebook/tables.json`:
    .venv/bin/python scripts/build_codebook.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.models import MODELS_DIR
from pipeline.tables import build_datapackage, datapackage_to_codebook, datapackage_to_json, schema_problems

ROOT = Path(__file__).resolve().parent.parent
CODEBOOK = ROOT / "docs" / "codebook.md"


def main() -> int:
    for problem in schema_problems():
        print(f"warning: {problem}", file=sys.stderr)
    package = build_datapackage()
    (MODELS_DIR / "datapackage.json").write_text(datapackage_to_json(package), encoding="utf-8")
    CODEBOOK.parent.mkdir(parents=True, exist_ok=True)
    CODEBOOK.write_text(datapackage_to_codebook(package), encoding="utf-8")
    print(f"wrote {MODELS_DIR / 'datapackage.json'} and {CODEBOOK}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
