"""JSON round-trip for frozen dataclasses: the mixin every record uses."""

from __future__ import annotations

import dataclasses
import json
from functools import cache
from typing import Any, ClassVar, TypeVar

T = TypeVar("T")


@cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    """A dataclass's field names (None for any other class)."""
    if not dataclasses.is_dataclass(cls):
        return None
    return tuple(f.name for f in dataclasses.fields(cls))


def _to_plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_to_plain(v) for v in value]
    kind: Any = type(value)
    names = None if isinstance(value, (str, int, float, type(None))) else _field_names(kind)
    if names is not None:
        return {name: _to_plain(getattr(value, name)) for name in names}
    return value


def _from_plain(cls: type[T], data: dict[str, Any]) -> T:
    kwargs: dict[str, Any] = {}
    nested = getattr(cls, "_nested", {})
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name in nested:
            value = tuple(_from_plain(nested[f.name], v) for v in value)
        elif isinstance(value, list):
            value = tuple(value)
        kwargs[f.name] = value
    return cls(**kwargs)


class JsonRecord:
    """Mixin: JSON round-trip for frozen dataclasses (tuples of nested records declared in `_nested`)."""

    _nested: ClassVar[dict[str, type]] = {}

    def to_dict(self) -> dict[str, Any]:
        return _to_plain(self)  # type: ignore[no-any-return]

    def to_json(self) -> str:
        """One line of JSON (json's C encoder writes it; an indented one is written in Python, 5-10x slower)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        return _from_plain(cls, data)

    @classmethod
    def from_json(cls: type[T], text: str) -> T:
        return _from_plain(cls, json.loads(text))
