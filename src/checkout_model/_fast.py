"""The fast path for JSON text: msgspec decodes into mirror Structs, generated code builds objects.

For each model class this module makes, from the class's schema (``_schema``) and on first use, a
mirror ``msgspec.Struct``: one field per JSON key, the non-null type msgspec can check in C (str,
int, bool, ``Literal`` for the type tag, the enum class itself, the mirror of a nested class),
``| None`` where the model allows null, and ``UNSET`` as the default so an absent key stays
distinguishable from ``null``. ``forbid_unknown_fields=True`` makes any key the model does not
know a decode error. msgspec asks an enum for a value it lacks (``_missing_``): strict mode
refuses it, and in lenient mode ``OpenEnum._missing_`` answers ``Unknown[enum]`` while the
decode runs (``LENIENT_DECODE``). Setting that flag costs about 2k instructions a payload, so
a lenient root decodes without it until a payload needs it (``_Root.unknown_values``). A
generated function per class then fills the attrs object
from the Struct on the converter's mutable twin (``_converter._mutable_twin``), converting what
msgspec cannot (timestamps, decimals, frozen JSON, expanded references) with the converter's
own helpers, and recording the absent keys in the converter's shared frozensets. The largest
classes also get functions per set of absent keys (``_Mirror.learn``), which store every value
without testing it once the UNSET values have been counted.

The fast path only answers when its object is certain to equal the converter's: on any decode
error, unknown key, failed check or exception it returns None, and the caller decodes the text
as every other input is decoded (``load_json``: orjson, integers beyond 64 bits exact) for the
converter, which keeps unknown fields and reports errors with their paths. msgspec keeps such
integers exact too, so both paths give the same values. Only classes whose objects are all
filled on a twin take the fast path.

Unknown keys that keep coming (a field Stripe added is in every payload) are learned
(``learn``): once the generic route has met the same unknown key of a class in a few declined
payloads, the fast path is made again with mirrors that also decode that key, as any JSON, into
a field the build code keeps as an unknown field (``_Generator.unknown``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal

import msgspec

from . import _converter
from ._base import EMPTY, LENIENT_DECODE, FrozenDict
from ._codegen import compile_function
from ._json import freeze, freeze_object
from ._schema import FieldSchema, Kind, TypeSchema, schema

__all__ = ["parse", "prepare"]

_UNSET = msgspec.UNSET
_UnsetType = msgspec.UnsetType
_NO_KEYS: frozenset[str] = frozenset()
_MAX_MASKS = 4096
"""Absent-key sets remembered per class (each maps a bit mask to the shared frozenset)."""

_BITS = 30
"""Absent fields are marked in ints of this many bits (compact ints, added without allocation)."""

_LOCK = threading.RLock()


class _Mirror:
    """The mirror Struct of one model class in one mode, and the code that builds its objects."""

    def __init__(
        self, cls: type, struct: type[msgspec.Struct], twin: type, extras: tuple[str, ...] = ()
    ) -> None:
        self.cls = cls
        self.struct = struct
        self.twin = twin
        self.model = schema(cls)
        self.names = [f.key for f in self.model.fields]
        self.nested = [f.name for f in self.model.fields if _classes_in(f.type)]
        """The fields that may hold model objects (``learn`` looks for unknown keys there)."""
        self.masks: dict[int | tuple[int, ...], frozenset[str]] = {}
        self.chunks: list[int] = []
        self.fn: Callable[[Any], Any] | None = None
        self.by_count: dict[int, Callable[..., Any]] = {}
        """Build functions made for one set of absent fields, by how many fields are absent."""
        self.others: dict[int, tuple[Callable[..., Any], ...]] = {}
        """Those made for other sets with as many absent fields, tried in turn after a miss."""
        self.learned: set[tuple[int, int | tuple[int, ...]]] = set()
        """The (count, mask) pairs ``learn`` has looked at (at most ``_MAX_MASKS``)."""
        self.units: list[tuple[list[str], str]] = []
        self.globals: dict[str, Any] = {}
        self.label = ""
        self.extras = extras
        """Unknown keys the Struct decodes too (fields ``x0``, ``x1``, ...), kept as unknown."""

    def absent(self, key: int | tuple[int, ...]) -> frozenset[str]:
        """The shared frozenset of the keys that ``key`` marks absent (bit i of chunk i // 30)."""
        found = self.masks.get(key)
        if found is not None:
            return found
        marks = key if isinstance(key, tuple) else (key,)
        marked = dict(zip(self.chunks, marks, strict=True))
        missing = frozenset(
            k for i, k in enumerate(self.names) if marked.get(i // _BITS, 0) >> (i % _BITS) & 1
        )
        if not missing:
            shared = _NO_KEYS
        else:
            # Shared with the converter's objects, as ``_converter._absent`` shares them.
            cache = _converter._ABSENT_CACHE
            shared = cache.get(missing, missing)
            if shared is missing and len(cache) < 4096:
                shared = cache.setdefault(missing, missing)
        if len(self.masks) < _MAX_MASKS:
            self.masks[key] = shared
        return shared

    def learn(self, count: int, key: int | tuple[int, ...], s: Any) -> None:
        """Make the build function for the absent fields ``key`` marks and the unknown keys
        Struct ``s`` lacks (``count`` of them together).

        It takes the Struct's values as arguments and stores each without testing whether it
        is absent: the caller counted ``count`` UNSET values, and the function checks that the
        fields it expects absent are UNSET, or, where they are fewer, that the optional fields
        it expects present are not (with as many UNSET values as it expects absent fields,
        either check settles both). It answers None when they are not (another set with as
        many absent fields: its own function, if it has one, is among ``others``).
        """
        with _LOCK:
            made = len(self.by_count) + sum(map(len, self.others.values()))
            seen = self.learned
            if (count, key) in seen or made >= _MAX_SPECIAL or len(seen) >= _MAX_MASKS:
                return
            self.learned.add((count, key))
            absent = self.absent(key)
            fields = self.model.fields
            missing = [f"f{i}" for i, f in enumerate(fields) if f.key in absent]
            extras = [f"x{j}" for j in range(len(self.extras))]
            present = [x for x in extras if getattr(s, x) is not _UNSET]
            missing += [x for x in extras if x not in present]
            if len(missing) != count or len(present) > 1:
                return  # two unknown keys: the generic build declines them (``_unknown``)
            g = self.globals
            g["_absent_set"] = absent  # taken as a default: each function keeps its own set
            # Required fields are never UNSET (msgspec refuses a payload without them).
            expected = [f"f{i}" for i, f in enumerate(fields) if not f.required]
            expected = [v for v in expected if v not in missing] + present
            if len(missing) <= len(expected):
                guard = " or ".join(f"{m} is not _U" for m in missing)
            else:
                guard = " or ".join(f"{v} is _U" for v in expected)
            body = [f"if {guard}: return None"] if guard else []
            body.append("o = twin()")
            for i, f in enumerate(fields):
                if f"f{i}" in missing:
                    body.append(f"o.{f.name} = {f.tag if f.tag is not None else None!r}")
                else:
                    body += _store(f, f"f{i}", *self.units[i])
            unknown = f"_one({present[0]}_key, {present[0]})" if present else "_EMPTY"
            body += [f"o._unknown = {unknown}", "o._absent = a", "o.__class__ = cls", "return o"]
            params = "".join(f"f{i}, " for i in range(len(fields))) + "".join(
                f"{x}, " for x in extras
            )
            fn = compile_function(
                f"build_{self.cls.__name__}_{count}_absent",
                f"{params}_U=_U, twin=twin, cls=cls, a=_absent_set",
                body,
                g,
                f"<checkout_model generated {self.label} {count} absent>",
            )
            if count in self.by_count:
                # A new tuple, published whole: other threads read it without the lock.
                self.others[count] = (*self.others.get(count, ()), fn)
            else:
                self.by_count[count] = fn


_SPECIALISE_FROM = 40
"""Classes with at least this many optional fields (``Session``, ``PaymentMethodOptions``) get
build functions per set of absent fields. Testing each field for absence costs more than
counting them and calling such a function only in classes this large: with 22 fields
(``Price``) it was 1-5 % slower, with 73 (``Session``) 3-18 % faster per payload."""
_MAX_SPECIAL = 16
"""Sets of absent fields a class gets build functions for."""


class _Root:
    """The fast path of one root class in one mode: a typed decoder, the builder of its Struct."""

    def __init__(
        self,
        decode: Callable[[Any], Any],
        build: Callable[[Any], Any],
        mirrors: dict[type, _Mirror],
        lenient: Callable[[Any], Any] | None = None,
    ) -> None:
        self.decode = decode
        """The decode that runs first: msgspec's own, until a payload needs ``lenient``."""
        self.lenient = lenient
        """A lenient root's decode that turns values an enum lacks into Unknown values."""
        self.build = build
        self.mirrors = mirrors
        self.declines = 0
        """Payloads declined in a row (a hint only: threads may lose an update, harmlessly)."""
        self.sightings: dict[tuple[type, str], int] = {}
        """Declined payloads whose objects of a class carried an unknown key (hints too)."""
        self.lessons = 0
        """Declined payloads the generic route parsed since this fast path was made (a hint)."""
        self.rebuilds = 0
        """Times the fast path was made again with learned keys before this one (``learn``)."""

    def unknown_values(self, data: Any) -> Any:
        """The object built from ``data`` decoded with values an enum lacks as Unknown values,
        after the plain decode declined it; None where that declines too (or has already run).

        Once a payload needs it (Stripe added a value to an enum this stream carries), this
        root decodes that way first.
        """
        lenient = self.lenient
        if lenient is None or self.decode is lenient:
            return None
        try:
            parsed = self.build(lenient(data))
        except Exception:  # not an enum value: the generic path decides
            return None
        self.decode = lenient
        return parsed

    def answer(self, data: Any) -> Any:
        """What the fast path alone builds from ``data``, or None where it declines."""
        try:
            return self.build(self.decode(data))
        except Exception:
            return self.unknown_values(data)

    @property
    def extras(self) -> dict[type, tuple[str, ...]]:
        """Unknown keys the mirrors decode, by class (``learn``)."""
        return {cls: mirror.extras for cls, mirror in self.mirrors.items() if mirror.extras}


def _reachable(root: type) -> dict[type, type] | None:
    """Every model class reachable from ``root`` and its twin, or None if one of them has none."""
    order: dict[type, type] = {}
    seen: set[type] = set()
    todo = [root]
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        twin = _converter._mutable_twin(cls)
        if twin is None:
            return None
        order[cls] = twin
        for f in schema(cls).fields:
            todo += _classes_in(f.type)
    return order


def _classes_in(tp: TypeSchema | None) -> list[type]:
    """The model classes a value of ``tp`` may hold (itself, or in its list, map or expansion)."""
    found = []
    while tp is not None:
        if tp.kind is Kind.MODEL:
            assert tp.cls is not None
            found.append(tp.cls)
        tp = tp.item
    return found


class _Generator:
    """Makes the mirrors and the build code of one mode (strict or lenient) for one root."""

    def __init__(self, strict: bool, extras: dict[type, tuple[str, ...]] | None = None) -> None:
        self.strict = strict
        self.mode = "fast strict" if strict else "fast"
        self.mirrors: dict[type, _Mirror] = {}
        self.extras = extras or {}

    def root(self, cls: type) -> _Root | None:
        classes = _reachable(cls)
        if classes is None:
            return None
        for c, twin in classes.items():
            names = [f"f{i}" for i in range(len(schema(c).fields))]
            rename = {n: f.key for n, f in zip(names, schema(c).fields, strict=True)}
            fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
            for n, f in zip(names, schema(c).fields, strict=True):
                if f.required:
                    fields.append((n, Any))
                else:
                    fields.append((n, Any, _UNSET))
            # Unknown keys learned from declined payloads: decoded as any JSON, kept as unknown.
            for j, key in enumerate(self.extras.get(c, ())):
                fields.append((f"x{j}", Any, _UNSET))
                rename[f"x{j}"] = key
            # Field types are filled in below, once every mirror exists (Price <-> Product).
            struct = msgspec.defstruct(
                f"Mirror{c.__name__}",
                fields,
                kw_only=True,
                forbid_unknown_fields=True,
                gc=False,
                rename=rename,
                module=__name__,
            )
            self.mirrors[c] = _Mirror(c, struct, twin, self.extras.get(c, ()))
        for mirror in self.mirrors.values():
            annotations = mirror.struct.__annotations__
            for i, f in enumerate(mirror.model.fields):
                annotations[f"f{i}"] = self.field_type(f)
        for mirror in self.mirrors.values():
            mirror.fn = self.compile(mirror)
        decoder = msgspec.json.Decoder(self.mirrors[cls].struct)
        build = self.mirrors[cls].fn
        assert build is not None
        if self.strict:
            return _Root(decoder.decode, build, self.mirrors)

        def lenient(data: Any, decode: Callable[[Any], Any] = decoder.decode) -> Any:
            LENIENT_DECODE.on = True  # values an enum lacks become Unknown values
            try:
                return decode(data)
            finally:
                LENIENT_DECODE.on = False

        return _Root(decoder.decode, build, self.mirrors, lenient)

    # -- the Struct side ---------------------------------------------------------------------------

    def field_type(self, f: FieldSchema) -> Any:
        if f.tag is not None:
            return Literal[f.tag] | _UnsetType
        tp = self.struct_type(f.type)
        if f.required:
            return tp
        return tp | None | _UnsetType

    def struct_type(self, tp: TypeSchema) -> Any:
        kind = tp.kind
        if kind in (Kind.STR, Kind.DECIMAL):
            return str
        if kind in (Kind.INT, Kind.TIMESTAMP):
            return int
        if kind is Kind.BOOL:
            return bool
        if kind is Kind.NUMBER:
            return int | float
        if kind is Kind.ENUM:
            # msgspec finds the member in C; a value the enum lacks is refused in strict mode,
            # and in lenient mode becomes Unknown[enum] (OpenEnum._missing_, see ``root``).
            return tp.cls
        if kind is Kind.MODEL:
            assert tp.cls is not None
            return self.mirrors[tp.cls].struct
        if kind is Kind.REFERENCE:
            return dict[str, Any]
        if kind is Kind.EXPANDABLE:
            assert tp.item is not None
            return str | self.struct_type(tp.item)
        if kind is Kind.LIST:
            assert tp.item is not None
            return list[self.struct_type(tp.item)]  # type: ignore[misc]
        if kind is Kind.MAP:
            assert tp.item is not None
            return dict[str, self.struct_type(tp.item)]  # type: ignore[misc]
        return Any

    # -- the build side ----------------------------------------------------------------------------

    def expr(self, tp: TypeSchema, v: str, g: dict[str, Any], name: str) -> tuple[list[str], str]:
        """Lines that convert the non-null decoded value ``v``, and the expression of the result.

        The values msgspec has checked are only converted; what it cannot check raises
        ``_Invalid`` (or any exception), and the caller declines.
        """
        kind = tp.kind
        if kind is Kind.STR and tp.cls is not None:
            g[f"{name}_text"] = tp.cls  # a class that checks the text (ApiVersion) or raises
            return [], f"{name}_text._from_json({v})"
        if kind in (Kind.STR, Kind.INT, Kind.BOOL, Kind.NUMBER):
            return [], v  # a JSON number is finite (msgspec refuses 1e400), int or float as sent
        if kind is Kind.DECIMAL:
            return [], f"_decimal({v})"
        if kind is Kind.TIMESTAMP:
            return [
                f"if 0 <= {v} < 253402214400: {v} = _fromts({v}, _UTC)",
                f"else: {v} = _timestamp({v})",
            ], v
        if kind is Kind.ENUM:
            return [], v  # msgspec gave the member (or, lenient, the Unknown value)
        if kind is Kind.REFERENCE:
            g[f"{name}_ref"] = tp.cls
            return [], f"_reference({name}_ref, {v})"
        if kind is Kind.MODEL:
            assert tp.cls is not None
            self.bind(tp.cls, g, name)
            return [], f"{name}({v})"
        if kind is Kind.EXPANDABLE:
            assert tp.item is not None
            if tp.item.kind is Kind.MODEL:
                assert tp.item.cls is not None
                self.bind(tp.item.cls, g, name)
                # The converter's depth count: expanded objects nest at most MAX_EXPANSION deep.
                inner = f"_expanded({name}, {v})"
            else:
                # Counted too, as the converter counts every expanded object.
                g[name] = self.function(tp.item, f"{_converter.rec_label(g)}.{name}")
                inner = f"_expanded({name}, {v})"
            return [f"if {v}.__class__ is not str: {v} = {inner}"], v
        if kind is Kind.LIST:
            assert tp.item is not None
            lines, inner = self.expr(tp.item, "y", g, f"{name}_i")
            if not lines and inner == "y":
                return [], f"_tuple({v})"
            if not lines and tp.item.kind is Kind.MODEL:
                return [], f"_tuple(_map({name}_i, {v}))"
            g[f"{name}_item"] = self.function(tp.item, f"{_converter.rec_label(g)}.{name}[]")
            return [], f"_tuple(_map({name}_item, {v}))"
        if kind is Kind.MAP:
            assert tp.item is not None
            if tp.item.kind is Kind.JSON:
                return [], f"_freeze_object({v})"
            lines, inner = self.expr(tp.item, "y", g, f"{name}_i")
            if not lines and inner == "y" and tp.item.kind in (Kind.STR, Kind.INT, Kind.BOOL):
                # As the converter: empty maps share one object; msgspec's dict is ours to keep.
                return [], f"(_adopt({v}) if {v} else _EMPTY)"
            g[f"{name}_item"] = self.function(tp.item, f"{_converter.rec_label(g)}.{name}[]")
            return [], f"_adopt({{k: {name}_item(y) for k, y in {v}.items()}})"
        return [], f"_freeze({v})"

    def function(self, tp: TypeSchema, label: str) -> Callable[[Any], Any]:
        """A function that converts one non-null value of ``tp``."""
        g = _globals(_label_=label)
        lines, expr = self.expr(tp, "y", g, "t")
        return compile_function(
            "item",
            "y",
            [*lines, f"return {expr}"],
            g,
            f"<checkout_model generated {self.mode} {label}>",
        )

    def bind(self, cls: type, g: dict[str, Any], name: str) -> None:
        """Bind ``name`` in ``g`` to the build function of ``cls`` (late, if not compiled yet)."""
        mirror = self.mirrors[cls]
        if mirror.fn is not None:
            g[name] = mirror.fn
        else:
            self.late.append((g, name, mirror))

    late: list[tuple[dict[str, Any], str, _Mirror]]

    def unknown(self, mirror: _Mirror, g: dict[str, Any]) -> list[str]:
        """Lines that store the object's unknown fields: the learned keys it carries.

        The converter keeps unknown keys in the payload's order, which a Struct does not
        record: an object with two of them is declined.
        """
        if not mirror.extras:
            return ["o._unknown = _EMPTY"]
        lines = ["u = _EMPTY"]
        for j, key in enumerate(mirror.extras):
            g[f"x{j}_key"] = key
            lines += [f"v = s.x{j}", "if v is not _U:"]
            if j:
                lines.append("    if u is not _EMPTY: raise _Unordered")
            lines.append(f"    u = _one(x{j}_key, v)")
        return [*lines, "o._unknown = u"]

    def compile(self, mirror: _Mirror) -> Callable[[Any], Any]:
        cls = mirror.cls
        label = f"{cls.__module__}.{cls.__qualname__}"
        g = _globals(_label_=label, cls=cls, twin=mirror.twin, masks=mirror.masks)
        g["absent"] = mirror.absent
        mirror.globals, mirror.label = g, f"{self.mode} {label}"
        fields = mirror.model.fields
        optional = sum(1 for f in fields if not f.required)
        special = optional >= _SPECIALISE_FROM
        body = []
        if special:
            # Count the absent fields (in C); code made for a set of that many stores the
            # values without testing each one (``_Mirror.learn``).
            g["by_count"], g["others"] = mirror.by_count, mirror.others
            g["learn"] = mirror.learn
            body += [
                "t = _astuple(s)",
                "k = t.count(_U)",
                "b = by_count.get(k)",
                "if b is not None:",
                "    o = b(*t)",
                "    if o is not None: return o",
                "    for b in others.get(k, ()):",
                "        o = b(*t)",
                "        if o is not None: return o",
            ]
        body.append("o = twin()")
        # Absent keys are counted into ints of 30 bits each: compact ints, one key per object.
        chunks = sorted({i // _BITS for i, f in enumerate(fields) if not f.required})
        if chunks:
            body.append(" = ".join(f"m{c}" for c in chunks) + " = 0")
        for i, f in enumerate(fields):
            mark = f"m{i // _BITS} += {1 << (i % _BITS)}"
            unset: str | None
            if f.tag is not None:
                unit: tuple[list[str], str] = ([], "v")
                unset = f"if v is _U: v = {f.tag!r}; {mark}"
            else:
                unit = self.expr(f.type, "v", g, f"f_{f.name}")
                # A required field: msgspec refuses a payload without it, or with null.
                unset = None if f.required else f"if v is _U: v = None; {mark}"
            mirror.units.append(unit)
            body += _store(f, f"s.f{i}", *unit, unset=unset)
        body += self.unknown(mirror, g)
        if chunks:
            mirror.chunks = chunks
            key = "m0" if chunks == [0] else "(" + "".join(f"m{c}, " for c in chunks) + ")"
            first_seen = f"    if a is None: a = absent({key})"
            if special:
                # A set of absent fields met for the first time gets its own function, even
                # where another set with as many absent fields has one (``_Mirror.others``).
                first_seen += f"; learn(k, {key}, s)"
            body += [
                # Nothing absent (the common case): the shared empty record, no lookup.
                f"if {' or '.join(f'm{c}' for c in chunks)}:",
                f"    a = masks.get({key})",
                first_seen,
                "    o._absent = a",
                "else: o._absent = _NO_KEYS",
            ]
            if special:
                body.append(f"if k not in by_count: learn(k, {key}, s)")
        else:
            body.append("o._absent = _NO_KEYS")
        body += ["o.__class__ = cls", "return o"]
        return compile_function(
            f"build_{cls.__name__}",
            "s, _U=_U, twin=twin, cls=cls",
            body,
            g,
            f"<checkout_model generated {self.mode} {label}>",
        )


def _one(key: str, value: Any) -> FrozenDict[str, Any]:
    """The unknown fields of an object that carried one learned unknown key (the converter's
    ``_unknown_of`` for one key, without its loop: 5 % of such a payload's parse)."""
    return FrozenDict._adopt({key: freeze(value)})


class _Unordered(Exception):
    """Two learned unknown keys in one object: their order in the payload is not known here."""


def _store(
    f: FieldSchema, read: str, lines: list[str], expr: str, unset: str | None = None
) -> list[str]:
    """Lines that store field ``f`` from the decoded value ``read`` (``lines`` and ``expr``
    convert a non-null value, as ``_Generator.expr`` gives them). ``unset`` is the line for an
    absent value, None where the value is known to be present (required fields, and the
    functions per set of absent fields)."""
    if not lines and expr == "v" and unset is None:
        return [f"o.{f.name} = {read}"]
    if f.required:
        return [f"v = {read}", *lines, f"o.{f.name} = {expr}"]
    out = [f"v = {read}"]
    if unset is not None:
        out.append(unset)
    if lines or expr != "v":
        out.append("elif v is not None:" if unset is not None else "if v is not None:")
        out += [f"    {line}" for line in lines]
        if expr != "v":
            out.append(f"    v = {expr}")
    out.append(f"o.{f.name} = v")
    return out


_HELPERS: dict[str, Any] = {
    "_U": _UNSET,
    "_astuple": msgspec.structs.astuple,
    "_EMPTY": EMPTY,
    "_NO_KEYS": _NO_KEYS,
    "_tuple": tuple,
    "_map": map,
    "_adopt": FrozenDict._adopt,
    "_freeze": freeze,
    "_freeze_object": freeze_object,
    "_one": _one,
    "_Unordered": _Unordered,
    "_fromts": datetime.fromtimestamp,
    "_UTC": UTC,
    "_timestamp": _converter._timestamp,
    "_decimal": _converter._decimal,
    "_reference": _converter._reference,
    "_expanded": _converter._expanded,
}


def _globals(**objects: Any) -> dict[str, Any]:
    return {**_HELPERS, **objects}


# ------------------------------------------------------------------------------------------------
# The entry point

_ROOTS: dict[tuple[type, bool], _Root | None] = {}


def prepare(cls: type, strict: bool = False) -> _Root | None:
    """Make the fast path of ``cls`` now (None if a class it reaches cannot take it)."""
    with _LOCK:
        key = (cls, strict)
        if key in _ROOTS:
            return _ROOTS[key]
        root = _ROOTS[key] = _make(cls, strict, {})  # published complete
        return root


def _make(cls: type, strict: bool, extras: dict[type, tuple[str, ...]]) -> _Root | None:
    gen = _Generator(strict, extras)
    gen.late = []
    try:
        return gen.root(cls)
    finally:
        for g, name, mirror in gen.late:
            g[name] = mirror.fn


def parse(data: object, cls: type, strict: bool = False) -> Any:
    """``cls`` parsed from JSON text by the fast path, or None: then the caller decodes the text
    (with orjson) and the converter answers, with its errors.

    The fast path is made once ``cls`` has been parsed ``_BUILD_AFTER`` times in this mode
    (making it takes a few hundred milliseconds, which a short run would not win back). An
    answer is always the object the converter would build from the same text.
    """
    if data.__class__ is not bytes and data.__class__ is not str:
        return None
    key = (cls, strict)
    root = _ROOTS.get(key)
    if root is not None:
        declines = root.declines
        if declines >= _SKIP_AFTER and not _probe(declines):
            # A run of declined payloads (a stream of one shape with unknown keys): each would
            # cost a partial typed decode before the generic one, so the fast path is only
            # probed, ever more rarely, until one is answered again.
            root.declines = declines + 1
            return None
        # ``_Root.answer``, written out here: a method call would cost every payload a frame.
        try:
            parsed = root.build(root.decode(data))
        except Exception:  # any doubt: the generic path decides
            parsed = root.unknown_values(data)
            if parsed is None:
                root.declines = declines + 1
                return None
        if declines:
            root.declines = 0
        return parsed
    if key not in _ROOTS:
        calls = _CALLS[key] = _CALLS.get(key, 0) + 1
        if calls >= _BUILD_AFTER:
            root = prepare(cls, strict)
            if root is not None:
                return parse(data, cls, strict)
    return None


def learn(parsed: Any, cls: type, strict: bool) -> None:
    """Learn from ``parsed``, an object the generic route built (from a payload the fast path
    may have declined), which unknown keys the fast path should decode as well.

    When Stripe adds a field, every payload carries it, and each would be declined. So the
    unknown keys of the objects parsed from declined payloads are counted, and once a key of
    a class is seen in ``_LEARN_AFTER`` payloads, the fast path is made again with mirrors
    that decode those keys as any JSON and keep them as unknown fields, as the converter does.
    """
    root = _ROOTS.get((cls, strict))
    if root is None or strict or root.rebuilds >= _MAX_REBUILDS or not root.declines:
        return
    # The look through the object costs about half a generic parse: it is taken at the 1st,
    # 2nd, 4th, ... 64th declined payload, then at every 64th (keys met once cost little).
    lessons = root.lessons = root.lessons + 1
    if not _probe(lessons):
        return
    sightings = root.sightings
    ripe = False
    for seen in _unknown_keys(parsed, root.mirrors):
        count = sightings.get(seen, 0) + 1
        if count == 1 and len(sightings) >= _MAX_SIGHTINGS:
            sightings.clear()  # a flood of keys met once: memory stays flat, counting restarts
        sightings[seen] = count
        ripe = ripe or count == _LEARN_AFTER
    if ripe:
        with _LOCK:
            if _ROOTS.get((cls, strict)) is not root:
                return  # another thread made it again first
            learned = root.extras
            extras = dict(learned)
            # A copy (made in C, at once): other threads count (and may clear) without the lock.
            for (c, key), count in dict(sightings).items():
                known = extras.get(c, ())
                if (
                    count >= _LEARN_AFTER
                    and key not in known
                    and len(known) < _MAX_EXTRAS
                    and _NAMEABLE.fullmatch(key)
                ):
                    extras[c] = (*known, key)
            if extras == learned:
                return  # nothing it could learn (keys msgspec cannot name): no remake
            try:
                made = _make(cls, strict, extras)
            except Exception:  # pragma: no cover - learning must never fail a parse
                made = None
            if made is None:  # pragma: no cover - as above
                root.rebuilds = _MAX_REBUILDS  # this root stops learning
                return
            made.rebuilds = root.rebuilds + 1
            if root.decode is root.lenient and made.lenient is not None:
                made.decode = made.lenient  # this stream needs Unknown values already
            _ROOTS[(cls, strict)] = made  # published complete


def _unknown_keys(parsed: Any, mirrors: dict[type, _Mirror]) -> dict[tuple[type, str], None]:
    """The (class, key) pairs of the unknown fields of ``parsed`` and the objects it holds."""
    found: dict[tuple[type, str], None] = {}
    todo = [parsed]
    while todo:
        value = todo.pop()
        mirror = mirrors.get(value.__class__)
        if mirror is not None:
            for key in value._unknown:
                found[value.__class__, key] = None
            todo += [getattr(value, name) for name in mirror.nested]
        elif value.__class__ is tuple:
            todo += value
        elif value.__class__ is FrozenDict:
            todo += value._data.values()
    return found


_NAMEABLE = re.compile(r'[^\x00-\x1f"\\]*')
"""Keys msgspec can decode into a field: no control character, quote or backslash (a payload
with another unknown key keeps the generic route)."""
_LEARN_AFTER = 3
"""Declined payloads that must carry an unknown key before the fast path learns it."""
_MAX_SIGHTINGS = 1024
"""Different (class, unknown key) pairs counted per root before the count starts again."""
_MAX_EXTRAS = 16
"""Unknown keys learned per class."""
_MAX_REBUILDS = 8
"""Times the fast path of a root is made again with learned keys (each takes about 30 ms)."""

_SKIP_AFTER = 2
"""Declined payloads in a row after which the fast path is only probed."""
_PROBE_EVERY = 64
"""While skipping, the fast path is tried at the 4th, 8th, 16th, 32nd and 64th payload of the
run, then once in this many."""


def _probe(declines: int) -> bool:
    if declines < _PROBE_EVERY:
        return not declines & (declines - 1)  # a power of two
    return not declines % _PROBE_EVERY


_BUILD_AFTER = 256
"""Parses of a class (per mode) after which its fast path is made."""
_CALLS: dict[tuple[type, bool], int] = {}
