"""A pydantic v2 model of the same schema, generated from checkout_model's schema (``_schema``).

Nothing here is copied from the model: every model class becomes a pydantic model with
``pydantic.create_model`` by reading ``checkout_model._schema.schema(cls)`` (the one description
of every class, which the converter, the fast path and the strategies read too), so the peer
follows the model whenever the generator changes it. The peer is configured to do the same job:
strict types (no coercion), unknown fields kept (``extra="allow"``), open enums (a member, else
the string), timestamps read as aware datetimes from integers, decimals from strings, expanded
foreign resources kept as dicts, raw JSON as it came.
"""

from __future__ import annotations

import typing
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

import pydantic

from checkout_model import Session
from checkout_model._schema import Kind, TypeSchema, schema

__all__ = ["PydanticSession", "build"]

CONFIG = pydantic.ConfigDict(strict=True, extra="allow", frozen=True)
Timestamp = Annotated[datetime, pydantic.Strict(False)]
DecimalString = Annotated[Decimal, pydantic.Strict(False)]


def _peer_type(tp: TypeSchema, todo: list[type]) -> Any:
    """The pydantic annotation of a schema type; model classes become forward references."""
    kind = tp.kind
    if kind is Kind.STR:
        return str
    if kind is Kind.INT:
        return int
    if kind is Kind.BOOL:
        return bool
    if kind is Kind.NUMBER:
        return int | float
    if kind is Kind.DECIMAL:
        return DecimalString
    if kind is Kind.TIMESTAMP:
        return Timestamp
    if kind is Kind.ENUM:
        return typing.Union[tp.cls, str]  # noqa: UP007 - built at run time
    if kind is Kind.MODEL:
        assert tp.cls is not None
        todo.append(tp.cls)
        return f"P_{tp.cls.__name__}"
    if kind is Kind.REFERENCE:
        return dict[str, Any]
    if kind is Kind.JSON:
        return Any
    assert tp.item is not None
    item = _peer_type(tp.item, todo)
    if kind is Kind.EXPANDABLE:
        return typing.Union[str, item]  # noqa: UP007 - built at run time
    if kind is Kind.LIST:
        return list[item]  # type: ignore[valid-type]
    return dict[str, item]  # type: ignore[valid-type]


def build(root: type = Session) -> type[pydantic.BaseModel]:
    """The pydantic peer of ``root`` and of every model class reachable from it."""
    namespace: dict[str, type[pydantic.BaseModel]] = {}
    todo: list[type] = [root]
    while todo:
        cls = todo.pop()
        name = f"P_{cls.__name__}"
        if name in namespace:
            continue
        fields: dict[str, Any] = {}
        for field in schema(cls).fields:
            peer = _peer_type(field.type, todo)
            if field.required:
                fields[field.key] = (peer, ...)
            elif field.tag is not None:
                fields[field.key] = (str, field.tag)
            else:
                fields[field.key] = (typing.Optional[peer], None)  # noqa: UP045 - run time
        namespace[name] = pydantic.create_model(name, __config__=CONFIG, **fields)
    for model in namespace.values():
        model.model_rebuild(_types_namespace=namespace)
    return namespace[f"P_{root.__name__}"]


PydanticSession = build()
