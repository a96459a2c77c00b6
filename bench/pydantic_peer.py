"""A pydantic v2 model of the same schema, generated from checkout_model's attrs classes.

Nothing here is copied from the model: every attrs class becomes a pydantic model with
``pydantic.create_model`` by walking ``attrs.fields`` and the resolved type hints, so the peer
follows the schema whenever the generator changes it. The peer is configured to do the same
job: strict types (no coercion), unknown fields kept (``extra="allow"``), the same open enums,
timestamps read as aware datetimes from integers, expanded foreign resources kept as dicts.
"""

from __future__ import annotations

import types
import typing
from datetime import datetime
from typing import Annotated, Any

import attrs
import pydantic

from checkout_model import FrozenDict, JsonValue, Session, StripeModel
from checkout_model.references import ExpandedResource

__all__ = ["PydanticSession", "build"]

CONFIG = pydantic.ConfigDict(strict=True, extra="allow", frozen=True)
Timestamp = Annotated[datetime, pydantic.Strict(False)]


def _peer_type(tp: Any, todo: list[type]) -> Any:
    """The pydantic annotation for an attrs field type; model classes become forward refs."""
    if tp is datetime:
        return Timestamp
    if tp is JsonValue:
        return Any
    if isinstance(tp, type) and issubclass(tp, ExpandedResource):
        return dict[str, Any]
    if isinstance(tp, type) and attrs.has(tp):
        todo.append(tp)
        return f"P_{tp.__name__}"
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        peers = [_peer_type(a, todo) for a in args]
        return typing.Union[tuple(peers)]  # noqa: UP007 (built from a runtime tuple)
    if origin is tuple:
        return tuple[_peer_type(args[0], todo), ...]  # type: ignore[misc]
    if origin is FrozenDict:
        return dict[str, _peer_type(args[1], todo)]  # type: ignore[misc]
    return tp


def build(root: type[StripeModel] = Session) -> type[pydantic.BaseModel]:
    """The pydantic peer of ``root`` and of every class reachable from it."""
    namespace: dict[str, type[pydantic.BaseModel]] = {}
    todo: list[type] = [root]
    while todo:
        cls = todo.pop()
        name = f"P_{cls.__name__}"
        if name in namespace:
            continue
        attrs.resolve_types(cls)
        fields: dict[str, Any] = {}
        for field in attrs.fields(cls):
            if field.name.startswith("_"):
                continue
            peer = _peer_type(field.type, todo)
            default = ... if field.default is attrs.NOTHING else field.default
            fields[field.name] = (peer, default)
        namespace[name] = pydantic.create_model(name, __config__=CONFIG, **fields)
    for model in namespace.values():
        model.model_rebuild(_types_namespace=namespace)
    return namespace[f"P_{root.__name__}"]


PydanticSession = build()
