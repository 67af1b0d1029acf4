"""Imports made when needed, not before: names of a package imported when first asked for (a module `__getattr__`,
PEP 562), so that the command line registers every command without paying for the imports that only the others
need; and `importing`, the block where a process imports what its work needs."""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any


def lazy_names(package: str, modules: Mapping[str, tuple[str, ...]]) -> Callable[[str], Any]:
    """The `__getattr__` of `package`: a name listed under one of its `modules` is that module's, imported then."""

    def __getattr__(name: str) -> Any:
        for module, names in modules.items():
            if name in names:
                return getattr(importlib.import_module(f"{package}.{module}"), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__


@contextmanager
def importing() -> Iterator[None]:
    """A block of imports, without garbage collection: what imports make (modules, their functions, classes and
    tables) lives as long as the process, so the collector's passes over it while it is made find nothing (~5% of
    the imports' cost). When the block imported something, what the process holds then is frozen (`gc.freeze`):
    later collections do not traverse it either."""
    modules = len(sys.modules)
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
        if len(sys.modules) > modules:
            gc.freeze()
