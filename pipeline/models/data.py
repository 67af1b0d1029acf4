"""Loading of the knowledge kept as data under `models/` (built by `scripts/build_models.py`).

Loaded once per process and cached; code holds mechanisms, these files hold German.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

PIPELINE_DIR = Path(__file__).resolve().parent.parent
MODELS_DIR = PIPELINE_DIR.parent / "models"


@cache
def load_json(name: str) -> Any:
    """Load `models/<name>` (JSON)."""
    path = MODELS_DIR / name
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def load_lines(name: str) -> tuple[str, ...]:
    """Load `models/<name>` as non-empty, non-comment lines."""
    path = MODELS_DIR / name
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))


@cache
def adjective_endings() -> tuple[str, ...]:
    """The inflection endings of an attributive adjective, longest first (`models/patterns/shared.json`): the
    partners cut them to an adjective's stem, the figures find an adjective before a counted noun, the OCR repair
    expects a noun after one."""
    return tuple(load_json("patterns/shared.json")["adjective_endings"])


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A hash of the pipeline's own code and data: a change to either invalidates every cached result."""
    digest = hashlib.sha256()
    roots = [PIPELINE_DIR, MODELS_DIR]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if not path.is_file() or path.suffix in {".pyc"} or "__pycache__" in path.parts:
                continue
            parts = path.relative_to(root).parts
            if "sources" in parts:
                continue  # inputs of the model build; the built files are what the pipeline reads
            if any(part.startswith(".") for part in parts):
                continue  # caches derived at run time (models/.cache), not part of the version
            digest.update(str(path.relative_to(root.parent)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
