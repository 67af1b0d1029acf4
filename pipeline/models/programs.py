"""Regular expressions compiled once per Python version, not once per process.

Python compiles a pattern in Python code: parsing it and optimising its character classes. spaCy's tokenizer rules
(`models/tokenizer/de.json`) hold classes of thousands of letters, which took 70-80 ms in every fresh worker. The
program `re` makes of a pattern depends only on the pattern, its flags and the version of `re`'s engine, so it is
kept under `models/.cache/` (git-ignored, rebuilt on demand) and handed straight to the engine next time: the same
compiled pattern, without the compiling.
"""

from __future__ import annotations

import importlib
import re
import sys
from functools import cache
from typing import Any

from pipeline.models.data import CACHE_DIR, cached_derived

# the engine and compiler of `re` itself: the program is what `re._compiler.compile` hands to `_sre.compile`
_sre: Any = importlib.import_module("_sre")
_compiler: Any = importlib.import_module("re._compiler")
_parser: Any = importlib.import_module("re._parser")


@cache
def compile_cached(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, from the program cached on disk when there is one (and kept in memory, as
    `re` keeps what it compiled).

    >>> compile_cached(r"(?<=[a-z])\\.(?P<next>[A-Z])").search("z.B").group("next")
    'B'
    """
    flags = int(flags)
    # another Python may compile the same pattern to another program
    engine = f"{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}"
    try:
        return cached_derived(CACHE_DIR, f"re-{engine}", f"{flags}\0{pattern}",
                           lambda: pattern_to_program(pattern, flags), _from_program)
    except (AttributeError, TypeError, ValueError, RuntimeError):
        return re.compile(pattern, flags)  # an engine whose internals differ from those of 3.11-3.13: plain `re`


def pattern_to_program(pattern: str, flags: int = 0) -> dict[str, Any]:
    """What `re` compiles `pattern` to (as `re._compiler.compile` does), as plain data (for `marshal`)."""
    parsed = _parser.parse(pattern, flags)
    return {
        "pattern": pattern,
        "flags": flags | parsed.state.flags,
        "code": [int(op) for op in _compiler._code(parsed, flags)],  # its opcodes are a subclass of int
        "groups": parsed.state.groups,
        "groupindex": dict(parsed.state.groupdict),
    }


def _from_program(program: dict[str, Any]) -> re.Pattern[str]:
    groupindex: dict[str, int] = program["groupindex"]
    indexgroup: list[str | None] = [None] * program["groups"]
    for name, index in groupindex.items():
        indexgroup[index] = name
    compiled: re.Pattern[str] = _sre.compile(
        program["pattern"], program["flags"], program["code"], program["groups"] - 1, groupindex, tuple(indexgroup)
    )
    return compiled
