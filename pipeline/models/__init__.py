"""The knowledge kept as data under `models/` (built by `scripts/build_models.py`) and the low-level readers that
every stage shares over it: `data` (loading, the pipeline's version, the word lists every stage shares),
`programs` (regular expressions compiled once per Python version, not per process) and `dates` (German dates as
written: the one month vocabulary and year range, date atoms and their ISO form).
Anyone may import this package.
"""

from pipeline.models.data import (
    CACHE_DIR,
    MODELS_DIR,
    adjective_endings,
    cached_derived,
    cached_json,
    forget_derived,
    load_json,
    load_lines,
    pipeline_version,
    save_derived,
    tree_version,
)
from pipeline.models.dates import (
    NOT_BEFORE,
    Atom,
    first_full_date,
    is_valid,
    iso_date,
    month_forms,
    text_to_atoms,
    text_to_years,
    vocabulary,
    year_range,
    year_regex,
)
from pipeline.models.programs import compile_cached

__all__ = [
    "CACHE_DIR",
    "MODELS_DIR",
    "NOT_BEFORE",
    "Atom",
    "adjective_endings",
    "cached_derived",
    "cached_json",
    "compile_cached",
    "first_full_date",
    "forget_derived",
    "is_valid",
    "iso_date",
    "load_json",
    "load_lines",
    "month_forms",
    "pipeline_version",
    "save_derived",
    "text_to_atoms",
    "text_to_years",
    "tree_version",
    "vocabulary",
    "year_range",
    "year_regex",
]
