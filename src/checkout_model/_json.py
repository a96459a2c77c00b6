"""The one definition of a JSON value, and the frozen form model objects keep raw JSON in.

Raw JSON (unknown fields, expanded references, an event's ``previous_attributes``) is validated
and frozen when it is parsed: objects become FrozenDicts and arrays tuples, so a parsed object
hashes and nothing reachable from it can change. ``thaw`` gives back plain dicts and lists.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ._base import EMPTY, FrozenDict, FrozenJson, JsonValue
from .errors import _Invalid, describe, expected

__all__ = ["MAX_DEPTH", "as_str", "freeze", "freeze_object", "is_frozen_json", "thaw"]

MAX_DEPTH = 200
"""How deep raw JSON may nest below the field that holds it; Stripe's never comes close.

Parsing refuses deeper values with a ParseError at their path; a frozen value is never deeper,
so writing it back never fails."""


def as_str(value: object) -> str:
    """A string value as a plain ``str`` (str subclasses and enum members read as what they are)."""
    if isinstance(value, str):
        return str.__str__(value)
    raise expected("a string", value)


def _key(key: object) -> str:
    if isinstance(key, str):
        return key if key.__class__ is str else str.__str__(key)
    raise _Invalid(f"object keys must be strings, found {describe(key)}")


def freeze(value: object, depth: int = 0) -> FrozenJson:
    """A validated, frozen copy of a JSON value (as ``json.loads`` or a caller's mapping has it)."""
    cls = value.__class__
    if cls is str or cls is int or cls is bool or value is None:
        return value  # type: ignore[return-value]
    if cls is float:
        if not math.isfinite(value):  # type: ignore[arg-type]
            raise expected("a number", value)
        return value  # type: ignore[return-value]
    if depth >= MAX_DEPTH:
        raise _Invalid(f"nested deeper than {MAX_DEPTH} levels")
    if cls is dict:
        return freeze_object(value, depth)  # type: ignore[arg-type]
    if cls is list:
        return _freeze_list(value, depth)  # type: ignore[arg-type]
    if isinstance(value, Mapping):
        return freeze_object(value, depth)
    if isinstance(value, list):
        return _freeze_list(value, depth)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and math.isfinite(value):
        return float(value)
    raise expected("a JSON value", value)


def _freeze_list(value: list[Any], depth: int) -> tuple[FrozenJson, ...]:
    items: list[FrozenJson] = []
    depth += 1
    for index, item in enumerate(value):
        c = item.__class__
        if c is str or c is int or c is bool or item is None:
            items.append(item)  # the common case, without a call
            continue
        try:
            items.append(freeze(item, depth))
        except _Invalid as exc:
            raise exc.at(index) from None
    return tuple(items)


def freeze_object(value: Mapping[Any, Any], depth: int = 0) -> FrozenDict[str, FrozenJson]:
    """A JSON object, validated and frozen (the shared empty mapping when it is empty)."""
    if not value:
        return EMPTY
    out: dict[str, FrozenJson] = {}
    depth += 1
    for raw, item in value.items():
        key = raw if raw.__class__ is str else _key(raw)
        c = item.__class__
        if c is str or c is int or c is bool or item is None:
            out[key] = item  # the common case, without a call
            continue
        try:
            out[key] = freeze(item, depth)
        except _Invalid as exc:
            raise exc.at(key) from None
    return FrozenDict._adopt(out)


def thaw(value: FrozenJson) -> JsonValue:
    """Plain JSON (dicts and lists) from a frozen value."""
    if isinstance(value, FrozenDict):
        return {key: thaw(item) for key, item in value._data.items()}
    if isinstance(value, tuple):
        return [thaw(item) for item in value]
    return value


def thaw_object(value: FrozenDict[str, FrozenJson]) -> dict[str, JsonValue]:
    """Plain JSON from a frozen object."""
    return {key: thaw(item) for key, item in value._data.items()}


def is_frozen_json(value: object, depth: int = 0) -> bool:
    """Whether ``value`` is a frozen JSON value no deeper than :data:`MAX_DEPTH`."""
    if value is None or isinstance(value, (str, bool, int)):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if depth >= MAX_DEPTH:
        return False
    if isinstance(value, FrozenDict):
        return all(
            isinstance(k, str) and is_frozen_json(v, depth + 1) for k, v in value._data.items()
        )
    if isinstance(value, tuple):
        return all(is_frozen_json(v, depth + 1) for v in value)
    return False
