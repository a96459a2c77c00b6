"""One description of every model class, read by everything that walks the model.

``schema(cls)`` says, per field, its JSON key, its kind, whether it is required and its default.
It is derived once per class from the attrs fields and their resolved annotations, so it holds for
the generated classes, for the hand-written event classes and for a user's subclass alike. The
structure and unstructure code (``_converter``), the strategies, the Arrow schema and the bench's
pydantic peer all read it; none of them looks at annotations again.
"""

from __future__ import annotations

import contextlib
import enum
import inspect
import math
import sys
import threading
import types
import typing
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from ._base import FrozenDict, FrozenJson, JsonValue, OpenEnum, Unknown, unknown_class
from ._json import is_frozen_json
from .references import ExpandedResource

__all__ = [
    "PRIVATE_FIELDS",
    "FieldSchema",
    "Kind",
    "ModelSchema",
    "TypeSchema",
    "check",
    "is_model",
    "schema",
]

PRIVATE_FIELDS = frozenset({"_unknown", "_absent"})
"""The attrs fields every model carries for losslessness; they are not JSON keys."""


class Kind(enum.Enum):
    """What a JSON value of a field is, and what Python value the model keeps for it."""

    STR = "str"
    """A JSON string, kept as ``str`` (or as ``cls``, a ``str`` subclass that checks its value
    and offers ``_from_json(text)`` and ``JSON_EXPECTED``, such as ``ApiVersion``)."""
    INT = "int"
    """A JSON integer (never a bool or a float), kept as ``int``."""
    BOOL = "bool"
    """``true`` or ``false``."""
    NUMBER = "number"
    """A finite JSON number, integer or not, kept as it came (``int`` or ``float``)."""
    DECIMAL = "decimal"
    """A decimal string such as ``"12.5"``, kept as ``Decimal`` and written back as sent."""
    TIMESTAMP = "timestamp"
    """A Unix time in seconds, kept as an aware UTC ``datetime``."""
    ENUM = "enum"
    """A string of an open enumeration (``cls``); unknown values are kept as ``Unknown``."""
    MODEL = "model"
    """A JSON object of a model class (``cls``)."""
    REFERENCE = "reference"
    """An expanded object of another resource (``cls``), kept whole."""
    EXPANDABLE = "expandable"
    """An ID string, or the expanded object (``item``: a MODEL or REFERENCE type)."""
    LIST = "list"
    """A JSON array of ``item`` values, kept as a tuple."""
    MAP = "map"
    """A JSON object with free keys and ``item`` values, kept as a FrozenDict."""
    JSON = "json"
    """Any JSON value, kept frozen (FrozenDict for objects, tuples for arrays)."""


@attrs.frozen
class TypeSchema:
    """The type of a field's non-null value."""

    kind: Kind
    cls: type | None = None
    """The enum, model or reference class (ENUM, MODEL, REFERENCE)."""
    item: TypeSchema | None = None
    """Items of a LIST, values of a MAP, the object alternative of an EXPANDABLE."""

    @property
    def python_type(self) -> Any:
        """The annotation this type stands for (without ``| None``)."""
        kind = self.kind
        if kind is Kind.STR and self.cls is not None:
            return self.cls
        if kind in _PYTHON:
            return _PYTHON[kind]
        if kind is Kind.ENUM:
            assert self.cls is not None
            return typing.Union[self.cls, unknown_class(self.cls)]  # noqa: UP007 - built at run time
        if kind in (Kind.MODEL, Kind.REFERENCE):
            return self.cls
        assert self.item is not None
        inner = self.item.python_type
        if kind is Kind.EXPANDABLE:
            return str | inner
        if kind is Kind.LIST:
            return tuple[inner, ...]  # type: ignore[valid-type]
        return FrozenDict[str, inner]  # type: ignore[valid-type]


_PYTHON: dict[Kind, Any] = {
    Kind.STR: str,
    Kind.INT: int,
    Kind.BOOL: bool,
    Kind.NUMBER: float,
    Kind.DECIMAL: Decimal,
    Kind.TIMESTAMP: datetime,
    Kind.JSON: FrozenJson,
}


@attrs.frozen
class FieldSchema:
    """One field of a model class."""

    name: str
    """The attribute name."""
    key: str
    """The JSON key (today always the attribute name)."""
    type: TypeSchema
    """The type of its value when it is not null."""
    required: bool
    """Whether a payload must carry it, non-null (``id``; an event's ``type`` and ``data``)."""
    default: Any
    """The value when the payload lacks it (``None`` for every optional field)."""
    tag: str | None = None
    """For the ``object`` field: the only value Stripe sends (``"checkout.session"``)."""


@attrs.frozen
class ModelSchema:
    """Every field of one model class, in attrs order."""

    cls: type
    fields: tuple[FieldSchema, ...]
    known: frozenset[str]
    """The JSON keys of the fields."""

    @property
    def tag(self) -> str | None:
        """The ``object`` value of this class's payloads, if it has one."""
        for f in self.fields:
            if f.tag is not None:
                return f.tag
        return None


_LOCK = threading.Lock()
_SCHEMAS: dict[type, ModelSchema] = {}


def schema(cls: type) -> ModelSchema:
    """The schema of a model class, derived on first use (safe to call from any thread)."""
    found = _SCHEMAS.get(cls)
    if found is not None:
        return found
    with _LOCK:
        found = _SCHEMAS.get(cls)
        if found is None:
            found = _SCHEMAS[cls] = _derive(cls)
    return found


def is_model(cls: object) -> bool:
    """Whether ``cls`` is a model class: an attrs class that keeps unknown and absent fields."""
    if not (isinstance(cls, type) and attrs.has(cls)):
        return False
    names = {f.name for f in attrs.fields(cls)}
    return PRIVATE_FIELDS <= names


def _derive(cls: type) -> ModelSchema:
    if not is_model(cls):
        raise TypeError(f"{cls!r} is not a checkout_model model class")
    hints = _hints(cls, {f.name for f in attrs.fields(cls)} - PRIVATE_FIELDS)
    fields = []
    for f in attrs.fields(cls):
        if f.name in PRIVATE_FIELDS:
            continue
        annotation = hints.get(f.name, f.type)
        try:
            tp, nullable = _type(annotation)
        except TypeError as exc:
            raise TypeError(f"{cls.__qualname__}.{f.name}: {exc}") from None
        required = f.default is attrs.NOTHING
        if not required and not nullable and f.name != "object":
            raise TypeError(f"{cls.__qualname__}.{f.name}: an optional field must allow None")
        tag = None
        if f.name == "object" and tp.kind is Kind.STR and isinstance(f.default, str):
            tag = f.default
        fields.append(
            FieldSchema(
                name=f.name,
                key=f.name,
                type=tp,
                required=required,
                default=None if required else f.default,
                tag=tag,
            )
        )
    return ModelSchema(cls, tuple(fields), frozenset(f.key for f in fields))


_CODE: dict[tuple[str, ...], types.CodeType] = {}
"""The string annotations of each class compiled once, as one expression."""
_RESOLVED: dict[Any, bool] = {}
"""Whether an evaluated annotation needs nothing more from typing (see ``_resolved``)."""


def _hints(cls: type, names: set[str]) -> dict[str, Any]:
    """What ``typing.get_type_hints(cls)`` gives ``names``, at a fraction of its cold-start cost.

    The same evaluation (each class's own string annotations, base classes first, the class body
    then its module as namespaces, None for NoneType), without what costs typing most on first
    use: a ``ForwardRef`` per annotation and per class, each compiling its string, and a walk of
    every result to strip ``Annotated``. An annotation that needs either (a forward reference
    left inside it, ``Annotated``) makes the whole class go through typing itself.
    """
    hints: dict[str, Any] = {}
    for base in reversed(cls.__mro__):
        own = inspect.get_annotations(base)
        if not own:
            continue
        module_ns = getattr(sys.modules.get(base.__module__), "__dict__", {})
        wanted = [(name, a) for name, a in own.items() if name in names]
        texts = tuple(a for _, a in wanted if isinstance(a, str))
        evaluated: Iterator[Any] = iter(())
        if texts:
            # All of a class's string annotations in one expression: one compile, one eval.
            code = _CODE.get(texts)
            if code is None:
                code = _CODE[texts] = compile(f"({', '.join(texts)},)", "<annotations>", "eval")
            class_ns = dict(vars(base))
            evaluated = iter(eval(code, class_ns, module_ns))  # noqa: S307 - as typing does
        for name, annotation in wanted:
            value = next(evaluated) if isinstance(annotation, str) else annotation
            if value is None:
                value = type(None)
            if not _resolved(value):
                return typing.get_type_hints(cls)
            hints[name] = value
    return hints


def _resolved(annotation: Any) -> bool:
    """Whether ``annotation`` holds no forward reference and nothing typing would rewrite."""
    try:
        return _RESOLVED[annotation]
    except (KeyError, TypeError):  # not seen yet, or not hashable
        pass
    if isinstance(annotation, str | typing.ForwardRef):
        done = False
    else:
        origin = typing.get_origin(annotation)
        if origin is typing.Literal:
            done = True
        elif origin is typing.Annotated:
            done = False
        else:
            done = all(_resolved(a) for a in typing.get_args(annotation))
    with contextlib.suppress(TypeError):  # not hashable: not remembered
        _RESOLVED[annotation] = done
    return done


def _type(annotation: Any) -> tuple[TypeSchema, bool]:
    """The TypeSchema of an annotation, and whether it allows None."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = list(typing.get_args(annotation))
        nullable = type(None) in args
        rest = [a for a in args if a is not type(None)]
        if _is_json(annotation):
            return TypeSchema(Kind.JSON), True
        # ``Mode | Unknown[Mode]``: the enum and its unknown values.
        unknown = [a for a in rest if _is_unknown(a)]
        if unknown:
            rest = [a for a in rest if not _is_unknown(a)]
            if len(rest) != 1 or len(unknown) != 1 or unknown[0].enum is not rest[0]:
                raise TypeError(f"unsupported annotation {annotation!r}")
        if len(rest) == 1:
            return _type(rest[0])[0], nullable
        if len(rest) == 2 and rest[0] is str:
            target = _type(rest[1])[0]
            if target.kind in (Kind.MODEL, Kind.REFERENCE):
                return TypeSchema(Kind.EXPANDABLE, item=target), nullable
        raise TypeError(f"unsupported annotation {annotation!r}")
    if annotation is FrozenJson or annotation is JsonValue:
        return TypeSchema(Kind.JSON), True
    if origin is tuple:
        items = typing.get_args(annotation)
        if len(items) == 2 and items[1] is Ellipsis:
            return TypeSchema(Kind.LIST, item=_type(items[0])[0]), False
    elif origin is FrozenDict:
        key, value = typing.get_args(annotation)
        if key is str:
            return TypeSchema(Kind.MAP, item=_type(value)[0]), False
    elif isinstance(annotation, type):
        simple = _SIMPLE.get(annotation)
        if simple is not None:
            return TypeSchema(simple), False
        if issubclass(annotation, OpenEnum):
            return TypeSchema(Kind.ENUM, cls=annotation), False
        if issubclass(annotation, str) and hasattr(annotation, "_from_json"):
            return TypeSchema(Kind.STR, cls=annotation), False
        if issubclass(annotation, ExpandedResource):
            return TypeSchema(Kind.REFERENCE, cls=annotation), False
        if is_model(annotation):
            return TypeSchema(Kind.MODEL, cls=annotation), False
    raise TypeError(f"unsupported annotation {annotation!r}")


_SIMPLE = {
    str: Kind.STR,
    int: Kind.INT,
    bool: Kind.BOOL,
    float: Kind.NUMBER,
    Decimal: Kind.DECIMAL,
    datetime: Kind.TIMESTAMP,
}

_JSON_ORIGINS = frozenset({FrozenDict, tuple, str, int, float, bool, type(None)})


def _is_json(annotation: Any) -> bool:
    """Whether an annotation is ``FrozenJson`` (also as ``get_type_hints`` expands it)."""
    if annotation is FrozenJson:
        return True
    args = typing.get_args(annotation)
    if len(args) != len(_JSON_ORIGINS):  # most annotations: no set (hashing a union is costly)
        return False
    return _JSON_ORIGINS == {typing.get_origin(a) or a for a in args}


def _is_unknown(annotation: Any) -> bool:
    """Whether an annotation is ``Unknown[SomeEnum]`` (a real subclass at run time)."""
    return (
        isinstance(annotation, type)
        and issubclass(annotation, Unknown)
        and annotation is not Unknown
    )


# ------------------------------------------------------------------------------------------------
# Objects built by hand (or by attrs.evolve) are checked against the same schema


def post_init(self: Any) -> None:
    """``__attrs_post_init__`` of every model class: check hand-built values, tidy the records.

    Parsing does not come here (it builds objects from values it has checked already); a
    constructor call, ``attrs.evolve`` and ``copy.replace`` do. A field that was absent and is
    now set leaves the absent record, so it is written back.
    """
    check(self)
    absent = self._absent
    if absent:
        tags = _tags(type(self))
        kept = frozenset(name for name in absent if getattr(self, name) == tags.get(name))
        if len(kept) != len(absent):
            object.__setattr__(self, "_absent", kept)


def _tags(cls: type) -> dict[str, str]:
    """The value an absent field holds, where it is not None (the ``object`` type tag)."""
    return {f.name: f.tag for f in schema(cls).fields if f.tag is not None}


def check(obj: Any) -> None:
    """Raise TypeError, naming the field, if ``obj`` holds a value its type does not allow."""
    cls = type(obj)
    model = schema(cls)
    for f in model.fields:
        value = getattr(obj, f.name)
        if value is None:
            if f.required:
                raise TypeError(f"{cls.__name__}.{f.name}: required, found None")
            continue
        problem = _problem(f.type, value)
        if problem is not None:
            raise TypeError(f"{cls.__name__}.{f.name}: {problem}")
    unknown = obj._unknown
    if not isinstance(unknown, FrozenDict) or not is_frozen_json(unknown):
        raise TypeError(f"{cls.__name__}._unknown: expected a FrozenDict of frozen JSON values")
    clash = model.known.intersection(unknown)
    if clash:
        raise TypeError(f"{cls.__name__}._unknown: holds known fields {sorted(clash)}")
    absent = obj._absent
    if not isinstance(absent, frozenset) or not absent <= model.known:
        raise TypeError(f"{cls.__name__}._absent: expected a frozenset of its field names")


def _problem(tp: TypeSchema, value: Any) -> str | None:
    """Why ``value`` is not a valid Python value of ``tp`` (None when it is)."""
    kind = tp.kind
    ok: bool
    if kind is Kind.STR:
        ok = isinstance(value, tp.cls or str)
    elif kind is Kind.INT:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind is Kind.BOOL:
        ok = isinstance(value, bool)
    elif kind is Kind.NUMBER:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        ok = ok and (not isinstance(value, float) or math.isfinite(value))
    elif kind is Kind.DECIMAL:
        ok = isinstance(value, Decimal) and value.is_finite()
    elif kind is Kind.TIMESTAMP:
        ok = isinstance(value, datetime) and value.utcoffset() is not None
        if not ok and isinstance(value, datetime):
            return "expected an aware datetime (such as datetime.now(UTC)), found a naive one"
    elif kind is Kind.ENUM:
        ok = isinstance(value, tp.cls) or (  # type: ignore[arg-type]
            isinstance(value, Unknown) and type(value).enum is tp.cls
        )
        if not ok and isinstance(value, str):
            name = tp.cls.__name__  # type: ignore[union-attr]
            return f"expected a {name} member, found the str {value[:40]!r}; use {name}.of(value)"
    elif kind in (Kind.MODEL, Kind.REFERENCE):
        ok = isinstance(value, tp.cls)  # type: ignore[arg-type]
    elif kind is Kind.EXPANDABLE:
        assert tp.item is not None
        ok = isinstance(value, str) or _problem(tp.item, value) is None
    elif kind is Kind.LIST:
        assert tp.item is not None
        if not isinstance(value, tuple):
            return f"expected a tuple, found {type(value).__name__}"
        for index, item in enumerate(value):
            problem = _problem(tp.item, item)
            if problem is not None:
                return f"item {index}: {problem}"
        return None
    elif kind is Kind.MAP:
        assert tp.item is not None
        if not isinstance(value, FrozenDict):
            return f"expected a FrozenDict, found {type(value).__name__}"
        for key, item in value.items():
            if not isinstance(key, str):
                return f"keys must be strings, found {type(key).__name__}"
            problem = _problem(tp.item, item)
            if problem is not None:
                return f"item {key[:40]!r}: {problem}"
        return None
    else:
        ok = is_frozen_json(value)
        if not ok:
            return "expected frozen JSON (FrozenDict, tuple, str, int, float, bool or None)"
    if ok:
        return None
    return f"expected {_name(tp)}, found {type(value).__name__}"


def _name(tp: TypeSchema) -> str:
    if tp.kind is Kind.ENUM:
        name = tp.cls.__name__  # type: ignore[union-attr]
        return f"{name} or Unknown[{name}]"
    if tp.cls is not None:
        return tp.cls.__name__
    if tp.kind is Kind.EXPANDABLE:
        assert tp.item is not None
        return f"str or {_name(tp.item)}"
    return str(getattr(_PYTHON.get(tp.kind), "__name__", tp.kind.value))
