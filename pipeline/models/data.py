"""Loading of the knowledge kept as data under `models/` (built by `scripts/build_models.py`).

Loaded once per process and cached; code holds mechanisms, these files hold German.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pipeline.atomic import write_atomic

T = TypeVar("T")

PIPELINE_DIR = Path(__file__).resolve().parent.parent
MODELS_DIR = PIPELINE_DIR.parent / "models"
# What workers would otherwise work out again in every process (word frequencies, compiled patterns, required
# literals), kept per checkout: git-ignored and rebuilt on demand.
CACHE_DIR = MODELS_DIR / ".cache"


def cached_json(folder: Path, kind: str, key: str, compute: Callable[[], Any], load: Callable[[Any], T]) -> T:
    """`load(compute())`, where `compute()` is JSON data that depends only on `key`: read from a file of `folder`
    when one was written for this key before. A missing, damaged or foreign file (one that `load` refuses with
    ValueError, TypeError or RuntimeError) is computed again and rewritten; a folder that cannot be written
    (a read-only checkout) only costs the computing. An error of `compute()` or of loading what it gave is the
    caller's."""
    path = folder / f"{kind}-{hashlib.sha256(key.encode()).hexdigest()[:20]}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored["key"] == key:
            return load(stored["value"])
    except (OSError, ValueError, KeyError, TypeError, RuntimeError):
        pass  # not computed before, or damaged
    value = compute()
    loaded = load(value)
    try:
        write_atomic(path, json.dumps({"key": key, "value": value}, ensure_ascii=False))
    except OSError:
        pass
    return loaded


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
