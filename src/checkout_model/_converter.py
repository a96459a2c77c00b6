"""The compiled, validating, lossless structure and unstructure code of every model class.

For each model class this module writes the source of one structure function (JSON object →
object) and one unstructure function (object → JSON object) from the class's schema
(``_schema``), the way cattrs' ``make_dict_structure_fn`` does (``cattrs/gen/__init__.py``), and
compiles it with ``_codegen`` (cattrs' ``gen/_lc.py`` approach: own globals per function, source in
linecache). Specialised for Stripe's JSON:

* strict types, never coercion (``"12"`` is not an int, ``true`` is not an int);
* unknown keys are kept (lenient) or rejected (strict); absent keys are remembered; ``null`` stays;
* a failure raises ``_Invalid``, which collects the JSONPath while the stack unwinds, so the
  valid case pays nothing for error reporting;
* a key set seen twice gets code of its own (values unpacked at once, no lookups for absent keys;
  same checks, same errors), within a bounded budget; so does the first key set a class meets,
  whose generic code is only compiled when another key set arrives (a cold start compiles less);
* classes whose ``__init__`` does nothing but store are filled on a mutable twin that then becomes
  the class (plain stores); any other class (validators, converters, its own
  ``__attrs_post_init__``, ``cache_hash``, a layout without a twin) is built by calling it.

Code is compiled on a class's first use, under a lock, and published only once complete, so
threads racing through a cold start all get finished code. Hooks are keyed by the class object:
a user's subclass gets code of its own and never changes what another class builds.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Generic, TypeVar

import attrs

from ._base import EMPTY, FrozenDict, Unknown, unknown_class
from ._codegen import compile_function
from ._json import MAX_DEPTH, as_str, freeze, freeze_object, thaw, thaw_object
from ._schema import FieldSchema, Kind, TypeSchema, post_init, schema
from .errors import ParseError, _Invalid, describe, expected, quote
from .references import ExpandedResource

__all__ = ["MAX_EXPANSION", "structure", "structure_hook", "unstructure", "unstructure_hook"]

MAX_EXPANSION = 128
"""How many expanded objects may nest inside each other (Stripe expands at most 4 levels).

With raw JSON at most ``MAX_DEPTH`` deep below its field, this bounds how deep any parsed object
is, so writing it back stays well within Python's recursion limit."""

_MAX_SHAPES = 256
"""How many key sets (and absent-field sets) per class get code of their own."""
_MAX_UNKNOWN_IN_SHAPE = 8
"""Key sets with more unknown keys than this take the generic code (nothing is compiled)."""
_SHAPE_BUDGET = 200_000
"""How many keys all remembered key sets may hold together, per converter: memory stays flat
however many new shapes a stream brings."""

_LOCK = threading.RLock()
_NO_KEYS: frozenset[str] = frozenset()
_MISSING = object()


# ------------------------------------------------------------------------------------------------
# Leaf checks shared by the generated code (the common case is inline; these take the rest)


def _mapping(value: object) -> dict[Any, Any]:
    """The dict behind a JSON object (a copy: a caller's mapping is never touched again)."""
    if isinstance(value, Mapping):
        return dict(value)
    raise expected("an object", value)


def _str(value: object) -> str:
    return as_str(value)


def _text_value(cls: Any, value: object) -> Any:
    """A string field whose class checks the text (``ApiVersion``): its value, or the failure."""
    if not isinstance(value, str):
        raise expected(f"a string ({cls.__name__})", value)
    try:
        return cls._from_json(str.__str__(value))
    except ValueError as exc:
        raise _Invalid(f"expected {cls.JSON_EXPECTED}: {quote(str(exc))}") from None


def _int(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    raise expected("an integer", value)


def _bool(value: object) -> bool:
    raise expected("true or false", value)


def _timestamp(value: object) -> datetime:
    if not isinstance(value, int) or isinstance(value, bool):
        raise expected("a Unix timestamp (integer)", value)
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        shown = describe(value).removeprefix("the integer ")
        raise _Invalid(f"timestamp {shown} is out of range") from None


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SECOND = timedelta(seconds=1)


_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?\Z")


def _decimal(value: object) -> Decimal:
    if isinstance(value, str) and _DECIMAL.match(value):
        return Decimal(str.__str__(value))
    raise expected("a decimal string such as '12.5'", value)


def _dump_decimal(value: Decimal) -> str:
    return format(value, "f")


def _float(value: object) -> float | int:
    cls = value.__class__
    if cls is int:
        return value  # type: ignore[return-value]
    if isinstance(value, float):
        if math.isfinite(value):
            return value if cls is float else float(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    raise expected("a number", value)


def _enum(enum_cls: type[Any], unknown: type[Unknown[Any]], value: object, strict: bool) -> Any:
    """An enum value the inline check did not find among the members."""
    if not isinstance(value, str):
        raise expected(f"a string ({enum_cls.__name__})", value)
    value = str.__str__(value)
    member = enum_cls._value2member_map_.get(value)
    if member is not None:
        return member
    if strict:
        allowed = ", ".join(repr(m.value) for m in enum_cls)
        raise _Invalid(
            f"unknown {enum_cls.__name__} value {quote(value)} (strict mode); known: {allowed}"
        )
    return unknown(value)


def _key(key: object) -> str:
    if isinstance(key, str):
        return str.__str__(key)
    raise _Invalid("object keys must be strings")


def _unknown(data: Mapping[Any, Any], known: frozenset[str]) -> FrozenDict[str, Any]:
    out: dict[str, Any] = {}
    for raw, item in data.items():
        if raw in known:
            continue
        if not isinstance(raw, str):
            raise _Invalid(f"object keys must be strings, found {describe(raw)}")
        key = str.__str__(raw)
        try:
            out[key] = freeze(item)
        except _Invalid as exc:
            raise exc.at(key) from None
    return FrozenDict._adopt(out)


def _unknown_of(keys: tuple[str, ...], values: tuple[Any, ...]) -> FrozenDict[str, Any]:
    """The unknown fields of a dict whose unknown keys (plain strings) are ``keys``."""
    out: dict[str, Any] = {}
    for key, item in zip(keys, values, strict=True):
        try:
            out[key] = freeze(item)
        except _Invalid as exc:
            raise exc.at(key) from None
    return FrozenDict._adopt(out)


def _reject_unknown(data: Mapping[Any, Any], known: frozenset[str]) -> None:
    for key in data:
        if key not in known:
            if not isinstance(key, str):
                raise _Invalid(f"object keys must be strings, found {describe(key)}")
            exc = _Invalid("unknown field (strict mode rejects fields the model does not know)")
            raise exc.at(str.__str__(key))


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


def _reference(cls: type[ExpandedResource], value: object) -> ExpandedResource:
    if not isinstance(value, Mapping):
        raise expected(f"an ID string or an expanded {cls.OBJECT} object", value)
    payload = freeze_object(value)
    ident = payload.get("id")
    if ident.__class__ is not str:
        exc = expected("a string", ident) if "id" in payload else _Invalid("missing required field")
        raise exc.at("id")
    kind = payload.get("object")
    if kind != cls.OBJECT:
        raise _Invalid(f"expected {cls.OBJECT!r}, found {describe(kind)}").at("object")
    return cls(id=ident, object=cls.OBJECT, payload=payload)


def _dump_reference(value: ExpandedResource) -> dict[str, Any]:
    out = thaw_object(value.payload)
    out["id"] = value.id
    out["object"] = value.object
    return out


_DEPTH = threading.local()


def _expanded(build: Callable[[Any], Any], value: Any) -> Any:
    """Build an expanded object, counting how many are nested inside each other."""
    depth: int = getattr(_DEPTH, "n", 0)
    if depth >= MAX_EXPANSION:
        raise _Invalid(f"expanded objects nested deeper than {MAX_EXPANSION} levels")
    _DEPTH.n = depth + 1
    try:
        return build(value)
    finally:
        _DEPTH.n = depth


def _construct(cls: type[Any], kwargs: dict[str, Any]) -> Any:
    """Build an object of a class with its own checks by calling it; its refusal is a ParseError."""
    try:
        return cls(**kwargs)
    except Exception as exc:
        raise _Invalid(f"{cls.__name__} refused the values: {quote(str(exc))}") from None


_HELPERS: dict[str, Any] = {
    "_Invalid": _Invalid,
    "expected": expected,
    "describe": describe,
    "_mapping": _mapping,
    "_str": _str,
    "_text_value": _text_value,
    "_int": _int,
    "_bool": _bool,
    "_timestamp": _timestamp,
    "_fromts": datetime.fromtimestamp,
    "_UTC": UTC,
    "_decimal": _decimal,
    "_float": _float,
    "_enum": _enum,
    "_key": _key,
    "_freeze": freeze,
    "_freeze_object": freeze_object,
    "_unknown": _unknown,
    "_unknown_of": _unknown_of,
    "_reject_unknown": _reject_unknown,
    "_absent": _absent,
    "_reference": _reference,
    "_expanded": _expanded,
    "_construct": _construct,
    "_EMPTY": EMPTY,
    "_NO_KEYS": _NO_KEYS,
    "_MISSING": _MISSING,
    "_adopt": FrozenDict._adopt,
    "_tuple": tuple,
    "_Mapping": Mapping,
    "_EPOCH": _EPOCH,
    "_SECOND": _SECOND,
    "_dump_decimal": _dump_decimal,
    "_dump_reference": _dump_reference,
    "_s": str.__str__,
    "_thaw": thaw,
    "_thaw_object": thaw_object,
}


def _globals(**objects: Any) -> dict[str, Any]:
    """The globals of one generated function: the shared helpers and exactly its own objects."""
    return {**_HELPERS, **objects}


def _label(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _plain_keys(shape: tuple[Any, ...]) -> bool:
    """Whether every key of a dict is a plain ``str`` (else only the generic code reads it)."""
    return all(key.__class__ is str for key in shape)


def _digest(names: Any) -> str:
    return hashlib.sha1("\0".join(map(str, names)).encode("utf-8", "surrogatepass")).hexdigest()[:8]  # noqa: S324


# ------------------------------------------------------------------------------------------------
# Building objects: the fast twin, or a call for classes with checks of their own


def _twin_ok(cls: type) -> bool:
    """Whether objects of ``cls`` may be filled on a twin (``__init__`` only stores the values)."""
    if getattr(cls, "__attrs_post_init__", None) is not post_init:
        return False
    if getattr(cls, "__attrs_pre_init__", None) is not None:
        return False
    for f in attrs.fields(cls):
        if f.validator is not None or f.converter is not None or not f.init:
            return False
    return all("_attrs_cached_hash" not in getattr(k, "__slots__", ()) for k in cls.__mro__)


def _mutable_twin(cls: type) -> type | None:
    """A class with the layout of ``cls`` that allows plain stores, or None if there is none.

    The twin stores with ``object.__setattr__``. An object built as the twin becomes ``cls`` by
    assigning ``__class__``, which CPython allows between classes of the same layout. For the
    package's own classes the twin is a subclass that adds no slots, and CPython then compares
    no slot names; a twin beside ``cls`` with a copy of its slots costs a comparison of every
    slot name per object, but a user's subclass gets that one, so that no ``__init_subclass__``
    of theirs sees a twin. The twin is checked slot by slot once, when it is made.
    """
    slots = cls.__dict__.get("__slots__")
    base = cls.__base__
    if slots is None or base is None or "__dict__" in slots or not _twin_ok(cls):
        return None
    own = cls.__module__.startswith("checkout_model.")
    twin = type(
        f"_Building{cls.__name__}",
        (cls,) if own else (base,),
        {
            "__slots__": () if own else slots,
            "__setattr__": object.__setattr__,
            "__delattr__": object.__delattr__,
            # ``twin()`` makes an empty object (cheaper than ``object.__new__(twin)``).
            "__init__": object.__init__,
            "__module__": cls.__module__,
        },
    )
    names = [f.name for f in attrs.fields(cls)]
    probe: Any = twin()
    for index, name in enumerate(names):
        setattr(probe, name, index)
    try:
        probe.__class__ = cls
    except TypeError:
        return None
    if [getattr(probe, name) for name in names] != list(range(len(names))):
        return None  # pragma: no cover - CPython keeps slot offsets by name
    return twin


# ------------------------------------------------------------------------------------------------
# Structure code


@attrs.define(eq=False)
class _Unit:
    """The generated lines of one field: how to read it, and how to check and store ``v``."""

    key: str
    read: str
    absent: str  # how to set ``v`` when the key is absent, or "" to store None directly
    rest: list[str]
    store_none: str


@attrs.define(eq=False)
class _Record:
    """The code of one class, built on first use: until then ``stub`` stands in for ``fn``."""

    cls: type
    label: str
    fn: Callable[[Any], Any] | None = None
    stub: Callable[[Any], Any] | None = None
    referrers: list[tuple[dict[str, Any], str]] = attrs.Factory(list)
    """Globals dicts (and names) that hold ``stub`` and get ``fn`` once it is published."""
    objects: dict[str, Any] = attrs.Factory(dict)
    """The globals of the class's generic code (copied for its per-shape code)."""


R = TypeVar("R", bound=_Record)


class _Codes(Generic[R]):
    """Generates, caches and publishes the code of every class for one direction and mode."""

    def __init__(self) -> None:
        self.records: dict[type, R] = {}
        self.stubs: dict[int, R] = {}
        """Each record by the id of its stub (kept alive by the record), to find the stubs a
        copied globals dict holds."""

    def _new_record(self, cls: type) -> R:
        raise NotImplementedError

    def _compile(self, rec: R) -> Callable[[Any], Any]:
        raise NotImplementedError

    def record(self, cls: type) -> R:
        rec = self.records.get(cls)
        if rec is None:
            with _LOCK:
                rec = self.records.get(cls)
                if rec is None:
                    _check_describable(cls)
                    rec = self._new_record(cls)

                    def stub(value: Any, cls: type = cls) -> Any:
                        early = self.first(cls, value)
                        if early is not None:
                            return early(value)
                        return self.function(cls)(value)

                    rec.stub = stub
                    self.stubs[id(stub)] = rec
                    self.records[cls] = rec
        return rec

    def first(self, cls: type, value: Any) -> Callable[[Any], Any] | None:
        """Code for ``value`` that can run before the function of ``cls`` is compiled, if any."""
        return None

    def function(self, cls: type) -> Callable[[Any], Any]:
        """The finished function of ``cls`` (compiled now if it is the first use)."""
        rec = self.records.get(cls)
        if rec is not None and rec.fn is not None:
            return rec.fn
        rec = self.record(cls)
        with _LOCK:
            if rec.fn is None:
                fn = self._compile(rec)
                rec.fn = fn  # published only now, complete
                for globs, name in rec.referrers:
                    globs[name] = fn
                rec.referrers.clear()
            return rec.fn

    def bind(self, cls: type, globs: dict[str, Any], name: str) -> R:
        """Bind ``name`` in ``globs`` to the function of ``cls`` (its stub until it is built)."""
        rec = self.record(cls)
        with _LOCK:
            if rec.fn is not None:
                globs[name] = rec.fn
            else:
                globs[name] = rec.stub
                rec.referrers.append((globs, name))
        return rec

    def share(self, copy: dict[str, Any], rec: R) -> None:
        """A copy of ``rec``'s globals wants every finished function the original gets."""
        with _LOCK:
            for name, value in rec.objects.items():
                if isinstance(value, _Late):
                    value.share(copy)
                    continue
                other = self.stubs.get(id(value))
                if other is not None and other.stub is value:
                    if other.fn is not None:
                        copy[name] = other.fn
                    else:
                        other.referrers.append((copy, name))


@attrs.define(eq=False)
class _Structure(_Record):
    """The structure code of one class in one mode."""

    shapes: dict[tuple[Any, ...], Any] = attrs.Factory(dict)
    """Code per key set (``False``: the generic code serves it)."""
    seen: set[tuple[Any, ...]] = attrs.Factory(set)
    # Filled when compiled:
    known: frozenset[str] = _NO_KEYS
    units: list[_Unit] = attrs.Factory(list)
    new_obj: str = ""
    finish: list[str] = attrs.Factory(list)
    store: dict[str, str] = attrs.Factory(dict)
    ready: bool = False
    """Whether the fields above are filled (``_Structurer._setup``)."""


class _Structurer(_Codes[_Structure]):
    """The structure functions of one mode (strict or lenient)."""

    def __init__(self, strict: bool) -> None:
        super().__init__()
        self.strict = strict
        self.mode = "structure strict" if strict else "structure"
        self.budget = _SHAPE_BUDGET

    def _new_record(self, cls: type) -> _Structure:
        return _Structure(cls, _label(cls))

    # -- per type: lines that check ``v`` and an expression for the converted value --------------

    def expr(self, tp: TypeSchema, v: str, g: dict[str, Any], name: str) -> tuple[list[str], str]:
        kind = tp.kind
        if kind is Kind.STR and tp.cls is not None:
            g[f"{name}_text"] = tp.cls
            return [f"if {v}.__class__ is not {name}_text: {v} = _text_value({name}_text, {v})"], v
        if kind is Kind.STR:
            return [f"if {v}.__class__ is not str: {v} = _str({v})"], v
        if kind is Kind.INT:
            return [f"if {v}.__class__ is not int: {v} = _int({v})"], v
        if kind is Kind.BOOL:
            return [f"if {v}.__class__ is not bool: _bool({v})"], v
        if kind is Kind.NUMBER:
            return [], f"_float({v})"
        if kind is Kind.DECIMAL:
            return [], f"_decimal({v})"
        if kind is Kind.TIMESTAMP:
            # Timestamps of years 1970-9999 convert directly; _timestamp handles the rest.
            return [
                f"if {v}.__class__ is int and 0 <= {v} < 253402214400: {v} = _fromts({v}, _UTC)",
                f"else: {v} = _timestamp({v})",
            ], v
        if kind is Kind.ENUM:
            g[f"{name}_members"] = tp.cls._value2member_map_  # type: ignore[union-attr]
            g[f"{name}_enum"] = tp.cls
            g[f"{name}_unknown"] = unknown_class(tp.cls)  # type: ignore[arg-type]
            g["_STRICT"] = self.strict
            members = f"{name}_members"
            return [
                f"if {v}.__class__ is str and {v} in {members}: {v} = {members}[{v}]",
                f"else: {v} = _enum({name}_enum, {name}_unknown, {v}, _STRICT)",
            ], v
        if kind is Kind.REFERENCE:
            g[f"{name}_ref"] = tp.cls
            return [], f"_reference({name}_ref, {v})"
        if kind is Kind.MODEL:
            assert tp.cls is not None
            g[f"{name}_shapes"] = self.bind(tp.cls, g, name).shapes
            # A dict of a known shape goes straight to its specialised code.
            return [], (
                f"(({name}_shapes.get(tuple({v})) or {name}) "
                f"if {v}.__class__ is dict else {name})({v})"
            )
        # Lists, maps and expanded objects get helper functions of their own, compiled when a
        # payload first holds such a value (a session has dozens such fields; most stay null).
        label = f"{rec_label(g)}.{name}"
        item = tp.item
        if kind is Kind.EXPANDABLE:
            assert item is not None
            g[f"{name}_expanded"] = _Late(
                g, f"{name}_expanded", lambda: self._expanded(item, label)
            )
            # Inline: most expandable fields are ID strings; an object takes one call.
            return [f"if {v}.__class__ is not str: {v} = {name}_expanded({v})"], v
        if kind is Kind.LIST:
            assert item is not None
            g[f"{name}_list"] = _Late(g, f"{name}_list", lambda: self._list(item, label))
            return [], f"{name}_list({v})"
        if kind is Kind.MAP:
            assert item is not None
            g[f"{name}_map"] = _Late(g, f"{name}_map", lambda: self._map(item, label))
            return [], f"{name}_map({v})"
        return [], f"_freeze({v})"

    def _expanded(self, item: TypeSchema, label: str) -> Callable[[Any], Any]:
        """The function that reads a non-string value of an expandable field."""
        g = _globals(_label_=label)
        g["build"] = self._function("expanded", item, label)
        g["what"] = f"an ID string or an expanded {_object_name(item)} object"
        body = [
            "if v.__class__ is dict or isinstance(v, _Mapping): return _expanded(build, v)",
            "if isinstance(v, str): return _str(v)",
            "raise expected(what, v)",
        ]
        filename = f"<checkout_model generated {self.mode} {label} expanded>"
        return compile_function("structure_expanded", "v", body, g, filename)

    def _function(self, name: str, tp: TypeSchema, label: str) -> Callable[[Any], Any]:
        """A function that checks and converts one (non-null) value of ``tp``."""
        g = _globals(_label_=label)
        lines, expr = self.expr(tp, "x", g, "t")
        return compile_function(
            name,
            "x",
            [*lines, f"return {expr}"],
            g,
            f"<checkout_model generated {self.mode} {label}>",
        )

    def _list(self, item: TypeSchema, label: str) -> Callable[[Any], Any]:
        g = _globals(_label_=label)
        body = ["if v.__class__ is not list: raise expected('an array', v)"]
        if item.kind in (Kind.STR, Kind.INT, Kind.BOOL):
            # The common case, checked in one loop; anything else takes the path that converts
            # or reports it.
            exact = {Kind.STR: "str", Kind.INT: "int", Kind.BOOL: "bool"}[item.kind]
            body += [
                "for x in v:",
                f"    if x.__class__ is not {exact}: break",
                "else:",
                "    return _tuple(v)",
            ]
        g["item"] = self._function("item", item, f"{label}[]")
        body += [
            "try:",
            "    return _tuple([item(x) for x in v])",
            "except _Invalid:",
            "    for i, x in enumerate(v):",
            "        try:",
            "            item(x)",
            "        except _Invalid as e:",
            "            raise e.at(i) from None",
            "    raise",
        ]
        return compile_function(
            "structure_list", "v", body, g, f"<checkout_model generated {self.mode} {label}>"
        )

    def _map(self, item: TypeSchema, label: str) -> Callable[[Any], Any]:
        g = _globals(_label_=label)
        filename = f"<checkout_model generated {self.mode} {label}>"
        if item.kind is Kind.JSON:
            body = ["return _freeze_object(v if v.__class__ is dict else _mapping(v))"]
            return compile_function("structure_map", "v", body, g, filename)
        body = ["if v.__class__ is not dict: v = _mapping(v)"]
        if item.kind in (Kind.STR, Kind.INT, Kind.BOOL):
            # Metadata: checked in one loop, empty ones share one object.
            exact = {Kind.STR: "str", Kind.INT: "int", Kind.BOOL: "bool"}[item.kind]
            body += [
                "if not v: return _EMPTY",
                "for k, x in v.items():",
                f"    if k.__class__ is not str or x.__class__ is not {exact}: break",
                "else:",
                "    return _adopt(v.copy())",
            ]
        g["item"] = self._function("item", item, f"{label}[]")
        body += [
            "out = {}",
            "for k, x in v.items():",
            "    k = _key(k)",
            "    try:",
            "        out[k] = item(x)",
            "    except _Invalid as e:",
            "        raise e.at(k) from None",
            "return _adopt(out)",
        ]
        return compile_function("structure_map", "v", body, g, filename)

    # -- per class -------------------------------------------------------------------------------

    def _setup(self, rec: _Structure) -> None:
        """Work out the units and globals of ``rec``'s code, once (compiling nothing)."""
        if rec.ready:
            return
        cls = rec.cls
        model = schema(cls)
        g = _globals(_label_=rec.label, cls=cls, known=model.known)
        twin = _mutable_twin(cls)
        if twin is not None:
            g["twin"] = twin
            store = {f.name: f"o.{f.name} = {{}}" for f in attrs.fields(cls)}
            new_obj, finish = "o = twin()", ["o.__class__ = cls"]
        else:
            # Validators, converters, its own __attrs_post_init__ or cache_hash: let attrs run them.
            aliases = {f.name: f.alias or f.name for f in attrs.fields(cls)}
            store = {name: f"k[{alias!r}] = {{}}" for name, alias in aliases.items()}
            new_obj, finish = "k = {}", ["o = _construct(cls, k)"]
        units = [self._unit(f, store, g) for f in model.fields]
        rec.known, rec.units, rec.new_obj, rec.finish, rec.store = (
            model.known,
            units,
            new_obj,
            finish,
            store,
        )
        rec.objects = g
        g["shapes"] = rec.shapes
        g["sighting"] = lambda shape: self._sighting(rec, shape)
        rec.ready = True

    def _compile(self, rec: _Structure) -> Callable[[Any], Any]:
        self._setup(rec)
        cls, store, n = rec.cls, rec.store, len(rec.known)
        body = [
            "if d.__class__ is not dict: d = _mapping(d)",
            # A dict of a shape seen before goes to code made for exactly its keys.
            "h = tuple(d)",
            "g = shapes.get(h)",
            "if g: return g(d)",
            "if g is None:",
            "    g = sighting(h)",
            "    if g: return g(d)",
            rec.new_obj,
            "if known.issuperset(d):",
            "    " + store["_unknown"].format("_EMPTY"),
            "    " + store["_absent"].format(f"_absent(known, d) if len(d) != {n} else _NO_KEYS"),
            "else:",
        ]
        if self.strict:
            body.append("    _reject_unknown(d, known)")
        else:
            body += [
                "    " + store["_unknown"].format("_unknown(d, known)"),
                "    " + store["_absent"].format("_absent(known, d)"),
            ]
        body += ["f = None", "try:"]
        for unit in rec.units:
            body += [f"    f = {unit.key!r}", f"    {unit.read}", *(f"    {x}" for x in unit.rest)]
        body += [
            "except _Invalid as e:",
            "    if f is not None: e.parts.append(f)",
            "    raise",
            *rec.finish,
            "return o",
        ]
        return compile_function(
            f"structure_{cls.__name__}",
            "d",
            body,
            rec.objects,
            f"<checkout_model generated {self.mode} {rec.label}>",
        )

    def _unit(self, f: FieldSchema, store: dict[str, str], g: dict[str, Any]) -> _Unit:
        key = f.key
        lines, expr = self.expr(f.type, "v", g, f"f_{f.name}")
        rest: list[str] = []
        if f.required:
            # A field without a default (``id``; an event's ``type`` and ``data``) is required.
            kind = f.type.kind
            what = "a string" if kind in (Kind.STR, Kind.ENUM) else "an object"
            read, absent = f"v = d.get({key!r})", "v = None"
            rest += [
                "if v is None:",
                f"    if {key!r} not in d:",
                "        raise _Invalid('missing required field')",
                f"    raise _Invalid({f'expected {what}, found null'!r})",
            ]
        elif f.tag is not None:
            read, absent = f"v = d.get({key!r}, _MISSING)", "v = _MISSING"
            prefix = f"expected {f.tag!r}, found "
            rest += [
                f"if v is not _MISSING and v != {f.tag!r}:",
                f"    raise _Invalid({prefix!r} + describe(v))",
                f"v = {f.tag!r}",  # the tag itself: never the caller's str subclass
            ]
            lines, expr = [], "v"
        else:
            read, absent = f"v = d.get({key!r})", ""
        if lines or expr != "v":
            rest.append("if v is not None:")
            rest += [f"    {line}" for line in lines]
            if expr != "v":
                rest.append(f"    v = {expr}")
        rest.append(store[f.name].format("v"))
        return _Unit(key, read, absent, rest, store[f.name].format("None"))

    def first(self, cls: type, value: Any) -> Callable[[Any], Any] | None:
        """Before the generic code of ``cls`` exists: the code for the key set of ``value``.

        The first dict a class meets gets code for exactly its keys, and nothing else is
        compiled: a one-off parse (a cold start) compiles the smaller code it runs. The generic
        code is compiled when a second key set arrives (or anything the per-key-set code does
        not take), and from then on new key sets follow ``_sighting``.
        """
        rec = self.record(cls)
        if rec.fn is not None or value.__class__ is not dict:
            return None
        shape = tuple(value)
        found = rec.shapes.get(shape)
        if found is not None:
            return found or None
        with _LOCK:
            rec = self.record(cls)  # as another thread may have left it
            if rec.fn is not None or rec.shapes:
                return rec.shapes.get(shape) or None
            self._setup(rec)
            return self._sighting(rec, shape, first=True)

    def _sighting(
        self, rec: _Structure, shape: tuple[Any, ...], first: bool = False
    ) -> Callable[[Any], Any] | None:
        """The code for dicts with exactly the keys ``shape``, made when a shape recurs (or at
        once for the ``first`` shape a class meets, see ``first``).

        A shape seen once is only remembered, so a one-off parse compiles nothing extra. Shapes
        with many unknown keys, and any shape once the budget is spent, take the generic code.
        """
        with _LOCK:
            found = rec.shapes.get(shape)
            if found is not None:
                return found or None
            if not _plain_keys(shape):
                return None  # the generic code refuses keys that are not strings
            unknown = len(shape) - len(rec.known.intersection(shape))
            if unknown > _MAX_UNKNOWN_IN_SHAPE or (unknown and self.strict):
                return None  # the generic code keeps or refuses the unknown keys
            if shape not in rec.seen:
                if len(rec.seen) >= 4 * _MAX_SHAPES or self.budget < len(shape):
                    return None
                self.budget -= len(shape)
                rec.seen.add(shape)
                if not first:
                    return None
            if len(rec.shapes) >= _MAX_SHAPES:
                return None
            fn = self._specialise(rec, shape)
            rec.shapes[shape] = fn  # published complete
            return fn

    def _specialise(self, rec: _Structure, shape: tuple[Any, ...]) -> Callable[[Any], Any]:
        """Structure code for dicts whose keys are exactly ``shape``, in that order.

        The values are unpacked in one step; absent fields are stored as None without a lookup.
        Checks, their order and their errors are those of the generic code.
        """
        index = {key: i for i, key in enumerate(shape)}
        missing = rec.known.difference(shape)
        g = dict(rec.objects)
        g["absent"] = _ABSENT_CACHE.setdefault(missing, missing) if missing else _NO_KEYS
        extra = [i for i, key in enumerate(shape) if key not in rec.known]
        body = [rec.new_obj]
        if shape:
            body.append(f"{''.join(f'_v{i}, ' for i in range(len(shape)))}= d.values()")
        if extra:
            # The unknown keys are known here: their values are frozen in the payload's order,
            # without a look at every key.
            g["unknown_keys"] = tuple(shape[i] for i in extra)
            values = "".join(f"_v{i}, " for i in extra)
            unknown = f"_unknown_of(unknown_keys, ({values}))"
        else:
            unknown = "_EMPTY"
        body += [rec.store["_unknown"].format(unknown), rec.store["_absent"].format("absent")]
        body += ["f = None", "try:"]
        for unit in rec.units:
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
            *rec.finish,
            "return o",
        ]
        self.share(g, rec)
        return compile_function(
            f"structure_{rec.cls.__name__}",
            "d",
            body,
            g,
            f"<checkout_model generated {self.mode} {rec.label} keys {_digest(shape)}>",
        )


def _check_describable(cls: type) -> None:
    """Refuse, now, a class from outside this package that the schema cannot describe.

    The package's own classes are all describable (``tests/test_imports.py`` derives every one),
    so their schemas are derived only when a payload first reaches them: a cold start derives
    what it parses, not every class a session could hold.
    """
    if not cls.__module__.startswith("checkout_model."):
        schema(cls)


class _Late:
    """A helper function compiled on its first call, then put in place of this stand-in.

    ``make`` runs once, under the lock; the finished function replaces the stand-in in every
    globals dict that holds it (the class's own and the copies its per-key-set code got), so
    later calls go straight to it.
    """

    __slots__ = ("fn", "holders", "make", "name")

    def __init__(self, g: dict[str, Any], name: str, make: Callable[[], Callable[[Any], Any]]):
        self.fn: Callable[[Any], Any] | None = None
        self.holders = [g]
        self.make = make
        self.name = name

    def share(self, g: dict[str, Any]) -> None:
        """Let a copy of the globals that holds this stand-in get the finished function too."""
        with _LOCK:
            if self.fn is not None:
                g[self.name] = self.fn
            else:
                self.holders.append(g)

    def __call__(self, value: Any) -> Any:
        fn = self.fn
        if fn is None:
            with _LOCK:
                if self.fn is None:
                    made = self.make()
                    self.fn = made  # published only now, complete
                    for holder in self.holders:
                        if holder.get(self.name) is self:
                            holder[self.name] = made
                    self.holders.clear()
                fn = self.fn
        return fn(value)


def rec_label(g: dict[str, Any]) -> str:
    label: str = g["_label_"]
    return label


def _object_name(tp: TypeSchema) -> str:
    """The ``object`` value Stripe gives an expandable field's object."""
    cls = tp.cls
    if cls is not None and issubclass(cls, ExpandedResource):
        return cls.OBJECT
    tag = schema(cls).tag if cls is not None else None
    return tag if tag is not None else getattr(cls, "__name__", "?")


# ------------------------------------------------------------------------------------------------
# Unstructure code


@attrs.define(eq=False)
class _Unstructure(_Record):
    """The unstructure code of one class."""

    shapes: dict[frozenset[str], Callable[[Any], Any]] = attrs.Factory(dict)
    """Code per set of absent fields."""
    dumps: list[tuple[str, str, str, str]] = attrs.Factory(list)
    """Per field: its key, name, the expression that dumps it, and the test "set since"."""
    generic: Callable[[Any], Any] | None = None


class _Unstructurer(_Codes[_Unstructure]):
    """The unstructure functions."""

    def _new_record(self, cls: type) -> _Unstructure:
        return _Unstructure(cls, _label(cls))

    def expr(self, tp: TypeSchema, v: str, g: dict[str, Any], name: str) -> str:
        kind = tp.kind
        if kind is Kind.STR and tp.cls is not None:
            return f"_s({v})"
        if kind in (Kind.STR, Kind.INT, Kind.BOOL, Kind.NUMBER):
            return v
        if kind is Kind.DECIMAL:
            return f"_dump_decimal({v})"
        if kind is Kind.TIMESTAMP:
            # Whole seconds since the epoch, as Stripe sent them (inline: no call per value).
            return f"({v} - _EPOCH) // _SECOND"
        if kind is Kind.ENUM:
            return f"_s({v})"
        if kind is Kind.REFERENCE:
            return f"_dump_reference({v})"
        if kind is Kind.MODEL:
            assert tp.cls is not None
            g[f"{name}_shapes"] = self.bind(tp.cls, g, name).shapes
            return f"({name}_shapes.get({v}._absent) or {name})({v})"
        if kind is Kind.EXPANDABLE:
            assert tp.item is not None
            inner = self.expr(tp.item, v, g, name)
            return f"({v} if {v}.__class__ is str else {inner})"
        if kind is Kind.LIST:
            assert tp.item is not None
            inner = self.expr(tp.item, "x", g, name)
            return f"list({v})" if inner == "x" else f"[{inner} for x in {v}]"
        if kind is Kind.MAP:
            assert tp.item is not None
            if tp.item.kind is Kind.JSON:
                return f"_thaw_object({v})"
            inner = self.expr(tp.item, "x", g, name)
            if inner == "x":
                return f"dict({v}._data)"
            return f"{{k: {inner} for k, x in {v}._data.items()}}"
        return f"_thaw({v})"

    def _compile(self, rec: _Unstructure) -> Callable[[Any], Any]:
        cls = rec.cls
        model = schema(cls)
        g = _globals()
        dumps = []
        for f in model.fields:
            inner = self.expr(f.type, "v", g, f"f_{f.name}")
            expr = (
                f"o.{f.name}"
                if inner == "v"
                else f"(None if (v := o.{f.name}) is None else {inner})"
            )
            # An absent field holds None (the type tag for ``object``) until it is set.
            was_set = f"o.{f.name} is not None" if f.tag is None else f"o.{f.name} != {f.tag!r}"
            dumps.append((f.key, f.name, expr, was_set))
        rec.dumps, rec.objects = dumps, g
        # The generic code: a field is written unless it was absent and still is.
        body = ["r = {}", "a = o._absent"]
        for key, _, expr, was_set in dumps:
            body.append(f"if {key!r} not in a or {was_set}: r[{key!r}] = {expr}")
        body += [
            "u = o._unknown",
            "if u is not _EMPTY and u._data: r.update(_thaw_object(u))",
            "return r",
        ]
        label = f"<checkout_model generated unstructure {rec.label}>"
        rec.generic = compile_function(f"unstructure_{cls.__name__}", "o", body, g, label)
        dispatch = {"shapes": rec.shapes, "generic": rec.generic}
        dispatch["make"] = lambda absent: self._shape(rec, absent)
        return compile_function(
            f"unstructure_{cls.__name__}",
            "o",
            [
                "g = shapes.get(o._absent)",
                "if g is None: g = make(o._absent)",
                "return g(o)",
            ],
            _globals(**dispatch),
            f"<checkout_model generated unstructure {rec.label} dispatch>",
        )

    def _shape(self, rec: _Unstructure, absent: frozenset[str]) -> Callable[[Any], Any]:
        """The unstructure code for objects of the class that miss exactly ``absent``.

        One dict display of the present fields, without a check per field; a field that was
        absent is written only if it has been set since (``attrs.evolve``).
        """
        with _LOCK:
            found = rec.shapes.get(absent)
            if found is not None:
                return found
            assert rec.generic is not None
            if len(rec.shapes) >= _MAX_SHAPES or not isinstance(absent, frozenset):
                return rec.generic
            items = "".join(f"{k!r}: {expr}, " for k, _, expr, _ in rec.dumps if k not in absent)
            body = [f"r = {{{items}}}"]
            for key, _, expr, was_set in rec.dumps:
                if key in absent:
                    body.append(f"if {was_set}: r[{key!r}] = {expr}")
            body += [
                "u = o._unknown",
                "if u is not _EMPTY and u._data: r.update(_thaw_object(u))",
                "return r",
            ]
            g = dict(rec.objects)
            self.share(g, rec)
            fn = compile_function(
                f"unstructure_{rec.cls.__name__}",
                "o",
                body,
                g,
                f"<checkout_model generated unstructure {rec.label} "
                f"absent {_digest(sorted(absent))}>",
            )
            rec.shapes[absent] = fn
            return fn


# ------------------------------------------------------------------------------------------------
# The entry points

_LENIENT = _Structurer(strict=False)
_STRICT = _Structurer(strict=True)
_DUMPER = _Unstructurer()
_LENIENT_FNS: dict[type, Callable[[Any], Any]] = {}
_STRICT_FNS: dict[type, Callable[[Any], Any]] = {}
_DUMP_FNS: dict[type, Callable[[Any], Any]] = {}


def structure_hook(cls: type, strict: bool = False) -> Callable[[Any], Any]:
    """The structure function of a model class: raises ``_Invalid`` (caught by the callers)."""
    fns = _STRICT_FNS if strict else _LENIENT_FNS
    fn = fns.get(cls)
    if fn is None:
        fn = fns[cls] = (_STRICT if strict else _LENIENT).function(cls)
    return fn


def unstructure_hook(cls: type) -> Callable[[Any], Any]:
    """The unstructure function of a model class."""
    fn = _DUMP_FNS.get(cls)
    if fn is None:
        fn = _DUMP_FNS[cls] = _DUMPER.function(cls)
    return fn


def structure(data: Any, cls: type[Any], strict: bool = False) -> Any:
    """Structure a decoded JSON object into ``cls``, or raise ParseError."""
    fns = _STRICT_FNS if strict else _LENIENT_FNS
    fn = fns.get(cls)
    if fn is None:
        # Until its generic code exists, the stub: a first payload compiles only its key set's.
        rec = (_STRICT if strict else _LENIENT).record(cls)
        fn = rec.fn
        if fn is None:
            assert rec.stub is not None
            fn = rec.stub
        else:
            fns[cls] = fn
    try:
        return fn(data)
    except _Invalid as exc:
        raise ParseError([exc.detail()]) from None
    except RecursionError:
        raise ParseError.at("$", "nested too deeply to parse") from None


def unstructure(obj: Any) -> dict[str, Any]:
    """The JSON-ready dict of a model object."""
    fn = _DUMP_FNS.get(obj.__class__)
    if fn is None:
        fn = unstructure_hook(obj.__class__)
    out: dict[str, Any] = fn(obj)
    return out


assert MAX_DEPTH > MAX_EXPANSION  # raw JSON limits are checked where it is frozen
