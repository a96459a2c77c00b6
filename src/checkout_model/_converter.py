"""The cattrs converters: compiled, validating, lossless structure and unstructure hooks.

cattrs dispatches; the hooks it dispatches to are written here. For every model class a hook
factory generates the source of one structure function and one unstructure function (as cattrs'
own ``make_dict_structure_fn`` does), specialised for Stripe's JSON:

* strict types, never coercion (``"12"`` is not an int, ``true`` is not an int);
* unknown keys are kept (lenient) or rejected (strict), absent keys are remembered, ``null`` stays;
* a failure raises ``_Invalid`` that collects the JSONPath while the stack unwinds, so the
  common, valid case pays nothing for error reporting;
* objects are filled on a mutable twin of their class that then becomes the class, and a key
  set seen twice gets code of its own (no lookups for absent keys; same checks, same errors).

cattrs' own generated code was measured at 10-14x ``orjson.loads`` on these payloads;
bench/README.md records what this code costs and what each optimisation of it gained.
"""

from __future__ import annotations

import calendar
import functools
import math
import re
import types
import typing
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import attrs
import cattrs

from ._base import EMPTY, FrozenDict, JsonValue, OpenEnum, StripeModel
from .errors import ErrorDetail, ParseError
from .references import ExpandedResource

__all__ = ["Converters", "converter", "structure", "unstructure"]

MAX_DEPTH = 200
"""How deep raw JSON (unknown fields, expanded references) may nest; Stripe's never comes close."""


class _Invalid(Exception):
    """A validation failure on its way up; ``parts`` grows by one path segment per level."""

    __slots__ = ("message", "parts")

    def __init__(self, message: str) -> None:
        self.message = message
        self.parts: list[str | int] = []

    def detail(self) -> ErrorDetail:
        return ErrorDetail(json_path(reversed(self.parts)), self.message)


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def json_path(parts: typing.Iterable[str | int]) -> str:
    """The JSONPath of a sequence of keys and indexes: ``$.line_items.data[2].price``."""
    out = ["$"]
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _IDENTIFIER.match(part):
            out.append(f".{part}")
        else:
            out.append(f"[{part!r}]")
    return "".join(out)


def describe(value: object) -> str:
    """How a JSON value reads in an error message."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return f"the integer {value}"
    if isinstance(value, float):
        return f"the number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {shown!r}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return f"a Python {type(value).__name__}, which is not JSON"


def expected(what: str, value: object) -> _Invalid:
    return _Invalid(f"expected {what}, found {describe(value)}")


# ------------------------------------------------------------------------------------------------
# Leaf checks shared by the generated code


def _mapping(value: object) -> dict[str, Any]:
    """The dict behind a JSON object (dict subclasses such as StripeObject are read as dicts)."""
    if isinstance(value, Mapping):
        return dict(value)
    raise expected("an object", value)


def _timestamp(value: object) -> datetime:
    if value.__class__ is not int:
        raise expected("a Unix timestamp (integer)", value)
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        raise _Invalid(f"timestamp {value} is out of range") from None


def _dump_timestamp(value: datetime) -> int:
    return calendar.timegm(value.utctimetuple())


_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?\Z")


def _decimal(value: object) -> Decimal:
    if value.__class__ is not str or not _DECIMAL.match(value):
        raise expected("a decimal string such as '12.5'", value)
    return Decimal(value)


def _dump_decimal(value: Decimal) -> str:
    return format(value, "f")


def _float(value: object) -> float | int:
    cls = value.__class__
    if cls is int:
        return value  # type: ignore[return-value]
    if cls is not float or not math.isfinite(value):  # type: ignore[arg-type]
        raise expected("a number", value)
    return value  # type: ignore[return-value]


def copy_json(value: object, strict: bool = False, depth: int = 0) -> JsonValue:
    """A validated deep copy of raw JSON, so no caller can change what a frozen object holds."""
    cls = value.__class__
    if cls is str or cls is int or cls is bool or value is None:
        return value  # type: ignore[return-value]
    if depth > MAX_DEPTH:
        raise _Invalid(f"nested deeper than {MAX_DEPTH} levels")
    if cls is float:
        return _float(value)
    if isinstance(value, Mapping):
        out: dict[str, JsonValue] = {}
        for key, item in value.items():
            if key.__class__ is not str:
                raise _Invalid(f"object keys must be strings, found {describe(key)}")
            try:
                out[key] = copy_json(item, strict, depth + 1)
            except _Invalid as exc:
                exc.parts.append(key)
                raise
        return out
    if cls is list:
        items: list[JsonValue] = []
        for index, item in enumerate(value):  # type: ignore[arg-type]
            try:
                items.append(copy_json(item, strict, depth + 1))
            except _Invalid as exc:
                exc.parts.append(index)
                raise
        return items
    raise expected("a JSON value", value)


def _unknown(data: Mapping[str, Any], known: frozenset[str]) -> FrozenDict[str, JsonValue]:
    out: dict[str, JsonValue] = {}
    for key, item in data.items():
        if key in known:
            continue
        if key.__class__ is not str:
            raise _Invalid(f"object keys must be strings, found {describe(key)}")
        try:
            out[key] = copy_json(item)
        except _Invalid as exc:
            exc.parts.append(key)
            raise
    return FrozenDict._adopt(out)


def _reject_unknown(data: Mapping[str, Any], known: frozenset[str]) -> typing.NoReturn:
    for key in data:
        if key not in known:
            if key.__class__ is not str:
                raise _Invalid(f"object keys must be strings, found {describe(key)}")
            exc = _Invalid("unknown field (strict mode rejects fields the model does not know)")
            exc.parts.append(key)
            raise exc
    raise AssertionError("unreachable")  # pragma: no cover


_ABSENT_CACHE: dict[frozenset[str], frozenset[str]] = {}


def _absent(known: frozenset[str], data: Mapping[str, Any]) -> frozenset[str]:
    """The known fields missing from ``data``, shared between objects that miss the same ones."""
    missing = known.difference(data)
    shared = _ABSENT_CACHE.get(missing)
    if shared is not None:
        return shared
    if len(_ABSENT_CACHE) < 4096:
        _ABSENT_CACHE[missing] = missing
    return missing


def _open_enum(cls: type[OpenEnum], value: object, strict: bool) -> OpenEnum:
    if value.__class__ is not str:
        raise expected(f"a string ({cls.__name__})", value)
    if strict:
        allowed = ", ".join(repr(m.value) for m in cls)
        raise _Invalid(f"unknown {cls.__name__} value {value!r} (strict mode); known: {allowed}")
    return cls._missing_(value)  # type: ignore[return-value]


def _reference(cls: type[ExpandedResource], value: object) -> ExpandedResource:
    if not isinstance(value, Mapping):
        raise expected(f"an ID string or an expanded {cls.OBJECT} object", value)
    payload = copy_json(value)
    assert isinstance(payload, dict)
    ident = payload.get("id")
    if ident.__class__ is not str:
        exc = expected("a string", ident) if "id" in payload else _Invalid("missing required field")
        exc.parts.append("id")
        raise exc
    kind = payload.get("object")
    if kind != cls.OBJECT:
        exc = _Invalid(f"expected {cls.OBJECT!r}, found {describe(kind)}")
        exc.parts.append("object")
        raise exc
    return cls(id=ident, object=cls.OBJECT, payload=FrozenDict._adopt(payload))


def _dump_reference(value: ExpandedResource) -> dict[str, JsonValue]:
    out = copy_json(value.payload)
    assert isinstance(out, dict)
    out["id"] = value.id
    out["object"] = value.object
    return out


# ------------------------------------------------------------------------------------------------
# Code generation


class _Builder:
    """Generates and caches the structure/unstructure functions of one converter."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.ns: dict[str, Any] = {
            "_Invalid": _Invalid,
            "expected": expected,
            "_mapping": _mapping,
            "_timestamp": _timestamp,
            "_fromts": datetime.fromtimestamp,
            "_UTC": UTC,
            "_dump_timestamp": _dump_timestamp,
            "_decimal": _decimal,
            "_dump_decimal": _dump_decimal,
            "_float": _float,
            "_copy_json": copy_json,
            "_unknown": _unknown,
            "_reject_unknown": _reject_unknown,
            "_absent": _absent,
            "_open_enum": _open_enum,
            "_reference": _reference,
            "_dump_reference": _dump_reference,
            "_new": object.__new__,
            "_EMPTY": EMPTY,
            "_dict": dict,
            "_FrozenDict": FrozenDict,
            "_adopt": FrozenDict._adopt,
            "_tuple": tuple,
            "_STRICT": strict,
            "_Mapping": Mapping,
        }
        self.built: set[type] = set()
        self.shapes: dict[type, dict[tuple[Any, ...], Callable[[Any], Any] | bool]] = {}
        self.shape_names: dict[type, str] = {}
        self.counter = 0

    # -- names in the shared namespace --------------------------------------------------------

    def _name(self, prefix: str, obj: object) -> str:
        self.counter += 1
        name = f"{prefix}{self.counter}"
        self.ns[name] = obj
        return name

    def declare(self, cls: type) -> None:
        """Give ``cls`` its names now and its code on first use (a cold start builds less).

        Until then ``s_<cls>`` and ``u_<cls>`` are stubs that compile the class and pass the
        call on; generated code looks those names up at each call, so it reaches the real code.
        """
        if cls in self.shapes:
            return
        self.shapes[cls] = {}
        self.shape_names[cls] = self._name("H", self.shapes[cls])
        name = cls.__name__

        def s_stub(d: Any, _t: Any = None) -> Any:
            self.ensure(cls)
            return self.ns[f"s_{name}"](d, _t)

        def u_stub(o: Any) -> Any:
            self.ensure(cls)
            return self.ns[f"u_{name}"](o)

        self.ns[f"s_{name}"] = s_stub
        self.ns[f"u_{name}"] = u_stub

    def ensure(self, cls: type) -> None:
        if cls in self.built:
            return
        self.declare(cls)
        self.built.add(cls)
        attrs.resolve_types(cls)
        self._compile(cls)

    # -- per type: an expression that converts ``v`` (structure) --------------------------------

    def structure_expr(self, tp: Any, v: str) -> tuple[list[str], str]:
        """Lines that check ``v`` and an expression for the converted value (``v`` is not None)."""
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if tp is str:
            return [f"if {v}.__class__ is not str: raise expected('a string', {v})"], v
        if tp is int:
            return [f"if {v}.__class__ is not int: raise expected('an integer', {v})"], v
        if tp is bool:
            return [f"if {v}.__class__ is not bool: raise expected('true or false', {v})"], v
        if tp is float:
            return [], f"_float({v})"
        if tp is Decimal:
            return [], f"_decimal({v})"
        if tp is datetime:
            # Timestamps of years 1970-9999 convert directly; _timestamp handles the rest.
            return [
                f"if {v}.__class__ is int and 0 <= {v} < 253402214400: {v} = _fromts({v}, _UTC)",
                f"else: {v} = _timestamp({v})",
            ], v
        if isinstance(tp, type) and issubclass(tp, OpenEnum):
            members = self._name("M", tp._value2member_map_)
            enum = self._name("E", tp)
            return [
                f"if {v}.__class__ is str and {v} in {members}: {v} = {members}[{v}]",
                f"else: {v} = _open_enum({enum}, {v}, _STRICT)",
            ], v
        if isinstance(tp, type) and issubclass(tp, ExpandedResource):
            ref = self._name("R", tp)
            return [], f"_reference({ref}, {v})"
        if isinstance(tp, type) and attrs.has(tp):
            self.declare(tp)
            # A dict of a known shape goes straight to its specialised code.
            fn, shapes = f"s_{tp.__name__}", self.shape_names[tp]
            return (
                [],
                f"(({shapes}.get(tuple({v})) or {fn}) if {v}.__class__ is dict else {fn})({v})",
            )
        if origin in (typing.Union, types.UnionType):
            rest = [a for a in args if a is not type(None)]
            if len(rest) == 1:
                return self.structure_expr(rest[0], v)
            assert rest[0] is str, tp
            assert len(rest) == 2, tp
            # Inline rather than a helper: most expandable fields are ID strings, and a
            # call per field was a measurable share of the parse.
            lines, expr = self.structure_expr(rest[1], v)
            what = f"an ID string or an expanded {_object_name(rest[1])} object"
            return [
                f"if {v}.__class__ is not str:",
                f"    if {v}.__class__ is not dict and not isinstance({v}, _Mapping):",
                f"        raise expected({what!r}, {v})",
                *(f"    {line}" for line in lines),
                *([f"    {v} = {expr}"] if expr != v else []),
            ], v
        if origin is tuple:
            return [], f"{self._list_fn(args[0])}({v})"
        if origin is FrozenDict:
            return [], f"{self._map_fn(args[1])}({v})"
        raise TypeError(f"checkout_model cannot structure {tp!r}")

    def _function(self, prefix: str, body: list[str], arg: str = "v") -> str:
        self.counter += 1
        name = f"{prefix}{self.counter}"
        src = f"def {name}({arg}):\n" + "".join(f"    {line}\n" for line in body)
        exec(compile(src, f"<checkout_model {name}>", "exec"), self.ns)  # noqa: S102
        return name

    def _list_fn(self, item: Any) -> str:
        lines, expr = self.structure_expr(item, "x")
        if _is_json_value(item):
            return "_copy_json"
        check = [
            "if v.__class__ is not list: raise expected('an array', v)",
        ]
        if not lines and expr == "x":
            return self._function("l", [*check, "return _tuple(v)"])
        if item in (str, int, bool):
            # The common case, checked in one loop; a failure takes the path that reports it.
            check += [
                "for x in v:",
                f"    if x.__class__ is not {item.__name__}: break",
                "else:",
                "    return _tuple(v)",
            ]
        item_fn = self._function("i", [*lines, f"return {expr}"], "x")
        each = f"{item_fn}(x)" if lines else expr
        return self._function(
            "l",
            [
                *check,
                "try:",
                f"    return _tuple([{each} for x in v])",
                "except _Invalid:",
                "    for i, x in enumerate(v):",
                "        try:",
                f"            {item_fn}(x)",
                "        except _Invalid as e:",
                "            e.parts.append(i)",
                "            raise",
                "    raise",
            ],
        )

    def _map_fn(self, value: Any) -> str:
        if _is_json_value(value):
            return self._function(
                "m", ["return _adopt(_copy_json(v if v.__class__ is dict else _mapping(v)))"]
            )
        lines, expr = self.structure_expr(value, "x")
        item_fn = self._function("i", [*lines, f"return {expr}"], "x")
        check = ["if v.__class__ is not dict: v = _mapping(v)"]
        if value in (str, int, bool):
            # Metadata: checked in one loop, empty ones share one object; a failure takes the
            # path that reports it.
            check += [
                "if not v: return _EMPTY",
                "for k, x in v.items():",
                f"    if k.__class__ is not str or x.__class__ is not {value.__name__}: break",
                "else:",
                "    return _adopt(v.copy())",
            ]
        return self._function(
            "m",
            [
                *check,
                "out = {}",
                "for k, x in v.items():",
                "    if k.__class__ is not str: raise _Invalid('object keys must be strings')",
                "    try:",
                f"        out[k] = {item_fn}(x)",
                "    except _Invalid as e:",
                "        e.parts.append(k)",
                "        raise",
                "return _adopt(out)",
            ],
        )

    # -- per type: an expression that dumps ``v`` (unstructure; ``v`` is not None) --------------

    def unstructure_expr(self, tp: Any, v: str) -> str:
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if tp in (str, int, bool, float):
            return v
        if tp is Decimal:
            return f"_dump_decimal({v})"
        if tp is datetime:
            return f"_dump_timestamp({v})"
        if isinstance(tp, type) and issubclass(tp, OpenEnum):
            return f"{v}._value_"
        if isinstance(tp, type) and issubclass(tp, ExpandedResource):
            return f"_dump_reference({v})"
        if isinstance(tp, type) and attrs.has(tp):
            self.declare(tp)
            return f"u_{tp.__name__}({v})"
        if origin in (typing.Union, types.UnionType):
            rest = [a for a in args if a is not type(None)]
            if len(rest) == 1:
                return self.unstructure_expr(rest[0], v)
            inner = self.unstructure_expr(rest[1], v)
            return f"({v} if {v}.__class__ is str else {inner})"
        if origin is tuple:
            inner = self.unstructure_expr(args[0], "x")
            return f"list({v})" if inner == "x" else f"[{inner} for x in {v}]"
        if origin is FrozenDict:
            if _is_json_value(args[1]):
                return f"_copy_json({v}._data)"
            inner = self.unstructure_expr(args[1], "x")
            return (
                f"dict({v}._data)"
                if inner == "x"
                else f"{{k: {inner} for k, x in {v}._data.items()}}"
            )
        raise TypeError(f"checkout_model cannot unstructure {tp!r}")

    # -- per class -------------------------------------------------------------------------------

    def _compile(self, cls: type) -> None:
        fields = [f for f in attrs.fields(cls) if f.name not in ("_unknown", "_absent")]
        known = frozenset(f.name for f in fields)
        k = self._name("K", known)
        c = self._name("C", cls)
        # Slots are filled on a mutable twin of the class (plain attribute stores, which the
        # interpreter specialises) that then becomes ``cls``; where the layout forbids that,
        # each slot's descriptor sets it (about ten times slower per field).
        twin = _mutable_twin(cls)
        if twin is not None:
            store = {f.name: f"o.{f.name} = {{}}" for f in attrs.fields(cls)}
            new_obj, finish = f"o = _new({self._name('T', twin)})", [f"o.__class__ = {c}"]
        else:  # pragma: no cover - every model class has a twin on CPython
            store = {
                f.name: f"{self._name('S', _slot(cls, f.name).__set__)}(o, {{}})"
                for f in attrs.fields(cls)
            }
            new_obj, finish = f"o = _new({c})", []
        # Each field: how the generic code reads it, then the lines that check and store ``v``.
        units: list[_Field] = []
        dumps: list[tuple[str, str]] = []  # (key, expression of ``o``) per field
        for f in fields:
            key = f.name
            lines, expr = self.structure_expr(f.type, "v")
            rest: list[str] = []
            if f.default is attrs.NOTHING:
                # A field without a default (``id``; an event's ``type`` and ``data``) is required.
                what = "a string" if f.type is str or _is_open_enum(f.type) else "an object"
                read, absent = f"v = d.get({key!r})", "v = None"
                null = f"expected {what}, found null"
                rest.append("if v is None:")
                rest.append(f"    if {key!r} not in d:")
                rest.append("        raise _Invalid('missing required field')")
                rest.append(f"    raise _Invalid({null!r})")
            elif key == "object":
                read, absent = "v = d.get('object', _MISSING)", "v = _MISSING"
                rest.append(f"if v is not _MISSING and v != {f.default!r}:")
                prefix = f"expected {f.default!r}, found "
                rest.append(f"    raise _Invalid({prefix!r} + describe(v))")
                rest.append(f"if v is _MISSING: v = {f.default!r}")
                lines, expr = [], "v"
            else:
                read, absent = f"v = d.get({key!r})", ""
            if lines or expr != "v":
                rest.append("if v is not None:")
                rest += [f"    {line}" for line in lines]
                if expr != "v":
                    rest.append(f"    v = {expr}")
            rest.append(store[key].format("v"))
            units.append(_Field(key, read, absent, rest, store[key].format("None")))
            dump = self.unstructure_expr(f.type, "v")
            if dump == "v":
                dumps.append((key, f"o.{key}"))
            else:
                dumps.append((key, f"(None if (v := o.{key}) is None else {dump})"))
        plan = _Plan(cls, known, units, new_obj, finish, store, self.shapes[cls])
        shapes = self.shape_names[cls]
        sighting = self._name("Q", functools.partial(self._sighting, plan))
        n = len(known)
        s_body = [
            "if d.__class__ is not dict: d = _mapping(d)",
            # A dict of a shape seen before goes to code made for exactly its keys.
            "h = tuple(d)",
            f"g = {shapes}.get(h)",
            "if g: return g(d)",
            "if g is None:",
            f"    g = {sighting}(h)",
            "    if g: return g(d)",
            new_obj,
            f"if {k}.issuperset(d):",
            "    " + store["_unknown"].format("_EMPTY"),
            "    " + store["_absent"].format(f"_absent({k}, d) if len(d) != {n} else _EMPTY_KEYS"),
            "else:",
        ]
        if self.strict:
            s_body.append(f"    _reject_unknown(d, {k})")
        else:
            s_body += [
                "    " + store["_unknown"].format(f"_unknown(d, {k})"),
                "    " + store["_absent"].format(f"_absent({k}, d)"),
            ]
        s_body += ["f = None", "try:"]
        for unit in units:
            s_body += [
                f"    f = {unit.key!r}",
                f"    {unit.read}",
                *(f"    {x}" for x in unit.rest),
            ]
        s_body += [
            "except _Invalid as e:",
            "    if f is not None: e.parts.append(f)",
            "    raise",
            *finish,
            "return o",
        ]
        # Dumping: code per set of absent fields (a shared frozenset, so its hash is cached):
        # one dict display of the present fields, without a check per field.
        # Past _MAX_SHAPES of them, the generic code checks each field.
        u_generic = ["r = {}", "a = o._absent"]
        for key, expr in dumps:
            u_generic += [f"if {key!r} not in a: r[{key!r}] = {expr}"]
        u_generic += ["u = o._unknown", "if u: r.update(_copy_json(u._data))", "return r"]
        generic = self.ns[self._function(f"u_{cls.__name__}_", u_generic, "o")]
        u_shapes: dict[frozenset[str], Callable[[Any], Any]] = {}
        u_sighting = self._name(
            "P", functools.partial(self._dump_code, cls, dumps, u_shapes, generic)
        )
        u_body = [
            f"g = {self._name('U', u_shapes)}.get(o._absent)",
            f"if g is None: g = {u_sighting}(o._absent)",
            "return g(o)",
        ]
        self.ns.setdefault("_EMPTY_KEYS", frozenset())
        self.ns.setdefault("_MISSING", _MISSING)
        self.ns.setdefault("describe", describe)
        self._define(f"s_{cls.__name__}", "d, _t=None", s_body)
        self._define(f"u_{cls.__name__}", "o", u_body)

    def _dump_code(
        self,
        cls: type,
        dumps: list[tuple[str, str]],
        shapes: dict[frozenset[str], Callable[[Any], Any]],
        generic: Callable[[Any], Any],
        absent: frozenset[str],
    ) -> Callable[[Any], Any]:
        """The unstructure code for objects of ``cls`` that miss exactly the fields ``absent``."""
        if len(shapes) >= _MAX_SHAPES:
            return generic
        items = "".join(f"{key!r}: {expr}, " for key, expr in dumps if key not in absent)
        body = [
            f"r = {{{items}}}",
            "u = o._unknown",
            "if u: r.update(_copy_json(u._data))",
            "return r",
        ]
        name = self._function(f"u_{cls.__name__}_", body, "o")
        fn: Callable[[Any], Any] = self.ns[name]
        shapes[absent] = fn
        return fn

    def _sighting(self, plan: _Plan, shape: tuple[Any, ...]) -> Callable[[Any], Any] | None:
        """The code for dicts with exactly the keys ``shape``, made when a shape recurs.

        A shape seen once is only remembered, so a one-off parse compiles nothing extra; a
        shape with keys the model does not know takes the generic code (recorded as False).
        """
        if shape not in plan.seen:
            if len(plan.seen) < 4 * _MAX_SHAPES:
                plan.seen.add(shape)
            return None
        if len(plan.shapes) >= _MAX_SHAPES:
            return None
        if self.strict and not plan.known.issuperset(shape):
            plan.shapes[shape] = False  # the generic code says which key is not allowed
            return None
        fn = self._specialise(plan, shape)
        plan.shapes[shape] = fn
        return fn

    def _specialise(self, plan: _Plan, shape: tuple[str, ...]) -> Callable[[Any], Any]:
        """Structure code for dicts whose keys are exactly ``shape``, in that order.

        The values are unpacked in one step; absent fields are stored as None without a
        lookup. Checks, their order and their errors are those of the generic code.
        """
        index = {key: i for i, key in enumerate(shape)}
        missing = plan.known.difference(shape)
        absent = _ABSENT_CACHE.setdefault(missing, missing) if missing else frozenset()
        unknown = "_EMPTY"
        if not plan.known.issuperset(shape):  # lenient: unknown keys are kept, as generic code does
            unknown = f"_unknown(d, {self._name('K', plan.known)})"
        body = [
            plan.new_obj,
            plan.store["_unknown"].format(unknown),
            plan.store["_absent"].format(self._name("A", absent)),
        ]
        if shape:
            body.append(f"{''.join(f'_v{i}, ' for i in range(len(shape)))}= d.values()")
        body += ["f = None", "try:"]
        for unit in plan.units:
            if unit.key in index:
                read = f"v = _v{index[unit.key]}"
            elif not unit.absent:
                body.append(f"    {unit.store_none}")
                continue
            else:
                read = unit.absent
            body += [f"    f = {unit.key!r}", f"    {read}", *(f"    {x}" for x in unit.rest)]
        body += [
            "except _Invalid as e:",
            "    if f is not None: e.parts.append(f)",
            "    raise",
            *plan.finish,
            "return o",
        ]
        name = self._function(f"s_{plan.cls.__name__}_", body, "d")
        fn: Callable[[Any], Any] = self.ns[name]
        return fn

    def _define(self, name: str, args: str, body: list[str]) -> None:
        src = f"def {name}({args}):\n" + "".join(f"    {line}\n" for line in body)
        exec(compile(src, f"<checkout_model {name}>", "exec"), self.ns)  # noqa: S102

    def structure_hook(self, cls: type) -> Callable[[Any, Any], Any]:
        self.ensure(cls)
        fn: Callable[[Any, Any], Any] = self.ns[f"s_{cls.__name__}"]
        return fn

    def unstructure_hook(self, cls: type) -> Callable[[Any], Any]:
        self.ensure(cls)
        fn: Callable[[Any], Any] = self.ns[f"u_{cls.__name__}"]
        return fn


_MISSING = object()

_MAX_SHAPES = 256
"""How many key sets per model class get code of their own (each costs one compile)."""


@attrs.define
class _Field:
    """The generated lines of one field: how to read it, and how to check and store ``v``."""

    key: str
    read: str
    absent: str  # how to set ``v`` when the key is absent, or "" to store None directly
    rest: list[str]
    store_none: str


@attrs.define
class _Plan:
    """What the code of one model class is made of, kept to specialise it per key set."""

    cls: type
    known: frozenset[str]
    units: list[_Field]
    new_obj: str
    finish: list[str]
    store: dict[str, str]
    shapes: dict[tuple[Any, ...], Callable[[Any], Any] | bool]
    seen: set[tuple[Any, ...]] = attrs.Factory(set)


def _slot(cls: type, name: str) -> Any:  # pragma: no cover - used where a twin is impossible
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    raise AttributeError(name)


def _mutable_twin(cls: type) -> type | None:
    """A class with the layout of ``cls`` that allows plain stores, or None if there is none.

    An object built as the twin can be turned into ``cls`` by assigning ``__class__``: CPython
    allows that between classes with the same base and the same slots, and the same slot names
    give the same offsets. The twin is checked slot by slot once, when it is made.
    """
    slots = cls.__dict__.get("__slots__")
    base = cls.__base__
    if slots is None or base is None:  # pragma: no cover - attrs makes model classes slotted
        return None
    twin = type(
        f"_Building{cls.__name__}",
        (base,),
        {
            "__slots__": slots,
            "__setattr__": object.__setattr__,
            "__delattr__": object.__delattr__,
            "__module__": cls.__module__,
        },
    )
    names = [f.name for f in attrs.fields(cls)]
    probe: Any = object.__new__(twin)
    for index, name in enumerate(names):
        setattr(probe, name, index)
    try:
        probe.__class__ = cls
    except TypeError:  # pragma: no cover - a layout CPython will not convert
        return None
    if [getattr(probe, name) for name in names] != list(range(len(names))):
        raise AssertionError(f"slot layout of {cls.__name__} does not match its twin")
    return twin


def _object_name(cls: type[Any]) -> str:
    """The ``object`` value Stripe gives instances of a model or reference class."""
    if issubclass(cls, ExpandedResource):
        return cls.OBJECT
    field = attrs.fields_dict(cls).get("object")
    if field is None:  # an object Stripe gives no type tag, such as an event's request
        return cls.__name__
    return str(field.default)


_JSON_KINDS = frozenset({dict, list, str, int, float, bool, type(None)})


def _is_json_value(tp: Any) -> bool:
    """Whether ``tp`` is ``JsonValue``, also after ``get_type_hints`` rebuilt it one level deep."""
    if tp is JsonValue:
        return True
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return False
    return _JSON_KINDS == {typing.get_origin(arg) or arg for arg in typing.get_args(tp)}


def _is_open_enum(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, OpenEnum)


def _is_model(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, StripeModel)


def make_converter(strict: bool) -> cattrs.Converter:
    """A cattrs converter whose hooks for model classes are the compiled ones above."""
    conv = cattrs.Converter()
    builder = _Builder(strict)
    conv.register_structure_hook_factory(_is_model, builder.structure_hook)
    conv.register_unstructure_hook_factory(_is_model, builder.unstructure_hook)
    return conv


class Converters:
    """The lenient and the strict converter, built once per process."""

    lenient = make_converter(strict=False)
    strict = make_converter(strict=True)


converter = Converters.lenient


_LENIENT_HOOKS: dict[type[Any], Callable[[Any, Any], Any]] = {}
_STRICT_HOOKS: dict[type[Any], Callable[[Any, Any], Any]] = {}
_DUMP_HOOKS: dict[type[Any], Callable[[Any], Any]] = {}


def structure(data: Any, cls: type[Any], strict: bool = False, root: str = "$") -> Any:
    """Structure a decoded JSON object into ``cls``, or raise ParseError."""
    hooks = _STRICT_HOOKS if strict else _LENIENT_HOOKS
    hook = hooks.get(cls)
    if hook is None:  # cattrs dispatches once per class; later calls skip the dispatch
        conv = Converters.strict if strict else Converters.lenient
        hook = hooks[cls] = conv.get_structure_hook(cls)
    try:
        return hook(data, cls)
    except _Invalid as exc:
        raise ParseError([exc.detail()]) from None
    except RecursionError:
        raise ParseError.at(root, "nested too deeply to parse") from None


def unstructure(obj: Any) -> dict[str, Any]:
    """The JSON-ready dict of a model object."""
    hook = _DUMP_HOOKS.get(obj.__class__)
    if hook is None:
        hook = _DUMP_HOOKS[obj.__class__] = Converters.lenient.get_unstructure_hook(obj.__class__)
    out: dict[str, Any] = hook(obj)
    return out
