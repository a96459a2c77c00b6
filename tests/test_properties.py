"""Properties of the parser, proved on payloads generated from the model itself."""

from __future__ import annotations

import copy
import json
import pickle
import re
import types
import typing
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs
import orjson
import pytest
import stripe
from hypothesis import given
from hypothesis import strategies as st

import checkout_model as cm
from checkout_model import strategies
from checkout_model._base import FrozenDict, JsonValue, OpenEnum, Unknown
from checkout_model._converter import unstructure
from checkout_model._model import StripeModel
from checkout_model.events import dump_event, parse_event
from checkout_model.parsing import JsonInput
from checkout_model.references import ExpandedResource

Path = tuple[str | int, ...]

ENCODERS: dict[str, Callable[[dict[str, Any]], JsonInput]] = {
    "dict": lambda payload: payload,
    "str": json.dumps,
    "bytes": orjson.dumps,
}

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_ESCAPE = {
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "'": "\\'",
    "\\": "\\\\",
}


def _CONTROL(c: str) -> bool:
    return ord(c) < 0x20 or 0xD800 <= ord(c) <= 0xDFFF


def json_path(parts: Path) -> str:
    """The JSONPath the contract promises for a sequence of keys and indexes."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENTIFIER.match(part):
            out += f".{part}"
        else:  # RFC 9535 normalized path segment
            escaped = "".join(
                _ESCAPE.get(c) or (f"\\u{ord(c):04x}" if _CONTROL(c) else c) for c in part
            )
            out += f"['{escaped}']"
    return out


# ------------------------------------------------------------------------------------------------
# Walking a payload alongside the model, to find its typed spots


@attrs.frozen
class Spot:
    """A value in a payload whose type the model declares."""

    path: Path
    tp: Any
    """The declared type, without ``None``."""


def _strip_none(tp: Any) -> Any:
    """The declared type without ``None`` and without the ``Unknown[E]`` beside an enum ``E``."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        rest = [
            a
            for a in typing.get_args(tp)
            if a is not type(None) and not (isinstance(a, type) and issubclass(a, Unknown))
        ]
        if len(rest) == 1:
            return rest[0]
        return typing.Union[tuple(rest)]  # noqa: UP007 (built from a runtime list)
    return tp


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, StripeModel)


def _fields(cls: type) -> dict[str, attrs.Attribute[Any]]:
    attrs.resolve_types(cls)
    return {f.name: f for f in attrs.fields(cls) if not f.name.startswith("_")}


def typed_spots(value: Any, tp: Any, path: Path = ()) -> Iterator[Spot]:
    """Every spot of ``value`` (parsed as ``tp``) that holds a typed value, outermost first."""
    tp = _strip_none(tp)
    yield Spot(path, tp)
    if value is None:
        return
    args = typing.get_args(tp)
    origin = typing.get_origin(tp)
    if _is_model(tp):
        for name, field in _fields(tp).items():
            if name in value:
                yield from typed_spots(value[name], field.type, (*path, name))
    elif origin in (typing.Union, types.UnionType) and isinstance(value, dict):
        model = args[1]
        if _is_model(model):
            for spot in typed_spots(value, model, path):
                if spot.path != path:
                    yield spot
    elif origin is tuple:
        for index, item in enumerate(value):
            yield from typed_spots(item, args[0], (*path, index))
    elif origin is FrozenDict and args[1] is not JsonValue and not _is_json(args[1]):
        for key, item in value.items():
            yield from typed_spots(item, args[1], (*path, key))


def _is_json(tp: Any) -> bool:
    return {FrozenDict, tuple} <= {typing.get_origin(arg) for arg in typing.get_args(tp)}


def object_spots(payload: dict[str, Any], cls: type) -> list[Spot]:
    """Spots that hold an object of a model class (where an unknown key can go)."""
    return [s for s in typed_spots(payload, cls) if _is_model(s.tp) and _at(payload, s.path)]


def get_at(payload: Any, path: Path) -> Any:
    for part in path:
        payload = payload[part]
    return payload


def _at(payload: Any, path: Path) -> bool:
    """Whether an object (not null, not an id string) sits at ``path``."""
    return isinstance(get_at(payload, path), dict)


def set_at(payload: Any, path: Path, value: Any) -> None:
    get_at(payload, path[:-1])[path[-1]] = value


WRONG_STR: tuple[Any, ...] = (0, True, [], {})
WRONG_BY_TYPE: dict[Any, tuple[Any, ...]] = {
    str: WRONG_STR,
    int: ("1", 1.0, 1.5, True, [], {}),
    bool: (0, 1, "true", [], {}),
    float: ("1.5", True, [], {}),
    Decimal: (12.5, 12, True, "1e5", "12,5", " 1", [], {}),
    datetime: ("2024-01-01T00:00:00Z", 1.5, True, [], {}),
}


def wrong_values(tp: Any) -> tuple[Any, ...]:
    """JSON values of the wrong type for ``tp`` (never null: every optional field takes null)."""
    if tp in WRONG_BY_TYPE:
        return WRONG_BY_TYPE[tp]
    if isinstance(tp, type) and issubclass(tp, OpenEnum):
        return (0, True, [], {})
    if _is_model(tp) or (isinstance(tp, type) and issubclass(tp, ExpandedResource)):
        return ("an id", 0, True, [])
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return (0, True, [])
    if origin is tuple:
        return ("x", 0, True, {})
    assert origin is FrozenDict, tp
    return ("x", 0, True, [])


def mutable_spots(payload: dict[str, Any], cls: type) -> list[Spot]:
    """Typed spots whose value can be swapped for a wrong one (``object`` tags included)."""
    return [s for s in typed_spots(payload, cls) if s.path]


# ------------------------------------------------------------------------------------------------
# Round trips


@given(
    strategies.session_payloads(unknown_fields=True, unknown_enum_values=True),
    st.sampled_from(sorted(ENCODERS)),
)
def test_dump_of_parse_is_the_payload(payload: dict[str, Any], encoding: str) -> None:
    original = copy.deepcopy(payload)
    assert payload == cm.dump_session(cm.parse_session(ENCODERS[encoding](payload)))
    assert original == payload


@given(strategies.sessions(unknown_fields=True, unknown_enum_values=True))
def test_parse_of_dump_is_the_session(session: cm.Session) -> None:
    again = cm.parse_session(cm.dump_session(session))
    assert session == again
    assert hash(session) == hash(again)


@given(strategies.sessions(unknown_fields=True, unknown_enum_values=True))
def test_sessions_pickle_and_hash(session: cm.Session) -> None:
    restored = pickle.loads(pickle.dumps(session))
    assert session == restored
    assert hash(session) == hash(restored)
    assert cm.dump_session(session) == cm.dump_session(restored)
    assert {session: 1}[restored] == 1


@given(strategies.session_payloads())
def test_strict_parses_what_the_model_knows(payload: dict[str, Any]) -> None:
    assert cm.parse_session(payload) == cm.parse_session(payload, strict=True)


@given(strategies.line_item_payloads(unknown_fields=True, unknown_enum_values=True))
def test_line_items_round_trip(payload: dict[str, Any]) -> None:
    item = cm.LineItem.from_stripe(payload)
    assert payload == unstructure(item)
    assert item == cm.LineItem.from_stripe(item.to_stripe())


@given(strategies.event_payloads(unknown_fields=True, unknown_enum_values=True))
def test_events_round_trip(payload: dict[str, Any]) -> None:
    event = parse_event(orjson.dumps(payload))
    assert payload == dump_event(event)
    assert event == parse_event(dump_event(event))
    assert payload["data"]["object"] == cm.dump_session(event.session)


# ------------------------------------------------------------------------------------------------
# Unknown fields and enum values: kept when lenient, rejected when strict, at their path


def _knows_everything(obj: object) -> bool:
    """Whether a parsed object holds no unknown field and no unknown enum value, at any depth."""
    if isinstance(obj, Unknown):
        return False
    if isinstance(obj, OpenEnum):
        return True
    if isinstance(obj, StripeModel):
        return not obj.unknown_fields and all(
            _knows_everything(getattr(obj, name)) for name in _fields(type(obj))
        )
    if isinstance(obj, tuple):
        return all(map(_knows_everything, obj))
    if isinstance(obj, FrozenDict):
        return all(map(_knows_everything, obj.values()))
    return True


@given(strategies.session_payloads(unknown_fields=True, unknown_enum_values=True))
def test_strict_fails_exactly_when_something_is_unknown(payload: dict[str, Any]) -> None:
    session = cm.parse_session(payload)
    if _knows_everything(session):
        assert session == cm.parse_session(payload, strict=True)
    else:
        with pytest.raises(cm.ParseError):
            cm.parse_session(payload, strict=True)


@given(strategies.session_payloads(), st.data())
def test_an_unknown_field_is_named_in_strict_mode(
    payload: dict[str, Any], data: st.DataObject
) -> None:
    spot = data.draw(st.sampled_from(object_spots(payload, cm.Session)))
    value = data.draw(strategies.json_values())
    changed = copy.deepcopy(payload)
    get_at(changed, spot.path)["brand_new_field"] = value

    with pytest.raises(cm.ParseError) as info:
        cm.parse_session(changed, strict=True)
    assert [json_path((*spot.path, "brand_new_field"))] == [e.path for e in info.value.errors]

    lenient = cm.parse_session(changed)
    assert changed == cm.dump_session(lenient)


@given(strategies.session_payloads(), st.data())
def test_an_unknown_enum_value_is_named_in_strict_mode(
    payload: dict[str, Any], data: st.DataObject
) -> None:
    enums = [
        s
        for s in typed_spots(payload, cm.Session)
        if isinstance(s.tp, type) and issubclass(s.tp, OpenEnum)
    ]
    spot = data.draw(st.sampled_from(enums))
    changed = copy.deepcopy(payload)
    set_at(changed, spot.path, "a_value_from_the_future")

    with pytest.raises(cm.ParseError) as info:
        cm.parse_session(changed, strict=True)
    assert [json_path(spot.path)] == [e.path for e in info.value.errors]

    value = get_at(cm.dump_session(cm.parse_session(changed)), spot.path)
    assert "a_value_from_the_future" == value


# ------------------------------------------------------------------------------------------------
# Mutation: one wrong value is one error, at its path


@given(strategies.session_payloads(), st.data(), st.booleans())
def test_a_wrong_type_is_named_by_its_path(
    payload: dict[str, Any], data: st.DataObject, strict: bool
) -> None:
    spot = data.draw(st.sampled_from(mutable_spots(payload, cm.Session)))
    changed = copy.deepcopy(payload)
    if spot.path[-1] == "object" and isinstance(get_at(payload, spot.path), str):
        wrong = data.draw(st.sampled_from((0, "not_the_type", None)))
    else:
        wrong = data.draw(st.sampled_from(wrong_values(spot.tp)))
    set_at(changed, spot.path, wrong)
    before = copy.deepcopy(changed)

    with pytest.raises(cm.ParseError) as info:
        cm.parse_session(changed, strict=strict)
    assert [json_path(spot.path)] == [e.path for e in info.value.errors]
    assert before == changed


@given(strategies.session_payloads(), st.data())
def test_a_missing_id_is_named_by_its_path(payload: dict[str, Any], data: st.DataObject) -> None:
    owners = [
        s.path
        for s in typed_spots(payload, cm.Session)
        if _at(payload, s.path) and "id" in get_at(payload, s.path) and _requires_id(s.tp)
    ]
    path = data.draw(st.sampled_from(owners))
    changed = copy.deepcopy(payload)
    del get_at(changed, path)["id"]

    with pytest.raises(cm.ParseError) as info:
        cm.parse_session(changed)
    assert [json_path((*path, "id"))] == [e.path for e in info.value.errors]


def _requires_id(tp: Any) -> bool:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        tp = typing.get_args(tp)[1]
    if isinstance(tp, type) and issubclass(tp, ExpandedResource):
        return True
    return _is_model(tp) and "id" in _fields(tp) and _fields(tp)["id"].default is attrs.NOTHING


# ------------------------------------------------------------------------------------------------
# Fuzz: nothing but ParseError, input untouched, and anything accepted is kept exactly


def _any_json(keys: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Any]:
    """Any JSON value json.loads can return (NaN and huge integers included)."""
    return st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.text() if keys is None else keys, inner, max_size=4)
        ),
        max_leaves=20,
    )


def _parse_or_error(data: Any) -> cm.Session | None:
    """The session, or None when the parser raised a well-formed ParseError (and nothing else)."""
    try:
        return cm.parse_session(data)
    except cm.ParseError as exc:
        errors = exc.errors
    assert errors
    assert all(e.path.startswith("$") and e.message for e in errors)
    return None


@given(_any_json() | _any_json(st.sampled_from(sorted(_fields(cm.Session)))))
def test_arbitrary_json_is_a_session_or_a_parse_error(value: Any) -> None:
    before = repr(value)
    _parse_or_error(value)
    assert before == repr(value)


@given(strategies.session_payloads(), st.data())
def test_arbitrary_json_anywhere_is_kept_or_a_parse_error(
    payload: dict[str, Any], data: st.DataObject
) -> None:
    spot = data.draw(st.sampled_from(mutable_spots(payload, cm.Session)))
    changed = copy.deepcopy(payload)
    set_at(changed, spot.path, data.draw(_any_json()))
    before = repr(changed)
    session = _parse_or_error(changed)
    assert before == repr(changed)
    if session is not None:
        assert changed == cm.dump_session(session)


@given(st.binary() | st.text() | st.binary().map(lambda b: b'{"id": "cs_1", "x": "' + b + b'"}'))
def test_arbitrary_bytes_and_text_are_a_session_or_a_parse_error(data: bytes | str) -> None:
    _parse_or_error(data)


def test_non_string_keys_are_a_parse_error() -> None:
    with pytest.raises(cm.ParseError):
        cm.parse_session({"id": "cs_1", 1: "x"})  # type: ignore[dict-item]


DEPTH = 10_000


def _nested_lists(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


def _nested_objects(depth: int) -> Any:
    value: Any = {}
    for _ in range(depth):
        value = {"a": value}
    return value


def _nested_prices(depth: int) -> dict[str, Any]:
    """A price whose product's default price has a product whose default price …, ``depth`` deep."""
    price: dict[str, Any] = {"id": "price_last"}
    for level in range(depth):
        price = {"id": f"price_{level}", "product": {"id": f"prod_{level}", "default_price": price}}
    return price


DEEP_PAYLOADS: dict[str, Callable[[], dict[str, Any]]] = {
    "lists in an unknown field": lambda: {"id": "cs_1", "future": _nested_lists(DEPTH)},
    "objects in an unknown field": lambda: {"id": "cs_1", "future": _nested_objects(DEPTH)},
    "objects in metadata": lambda: {"id": "cs_1", "metadata": _nested_objects(DEPTH)},
    "objects in an expanded customer": lambda: {
        "id": "cs_1",
        "customer": {"id": "cus_1", "object": "customer", "x": _nested_objects(DEPTH)},
    },
    "prices in products in prices": lambda: {
        "id": "cs_1",
        "line_items": {"object": "list", "data": [{"id": "li_1", "price": _nested_prices(DEPTH)}]},
    },
}


@pytest.mark.parametrize("name", sorted(DEEP_PAYLOADS))
@pytest.mark.parametrize("strict", [False, True])
def test_deep_nesting_is_a_parse_error(name: str, strict: bool) -> None:
    with pytest.raises(cm.ParseError) as info:
        cm.parse_session(DEEP_PAYLOADS[name](), strict=strict)
    assert 1 == len(info.value.errors)


@pytest.mark.parametrize("text", ["[" * DEPTH + "]" * DEPTH, '{"a":' * DEPTH + "1" + "}" * DEPTH])
def test_deeply_nested_json_text_is_a_parse_error(text: str) -> None:
    with pytest.raises(cm.ParseError):
        cm.parse_session('{"id": "cs_1", "future": ' + text + "}")
    with pytest.raises(cm.ParseError):
        cm.parse_session(text.encode())


def test_moderately_deep_typed_nesting_parses_and_round_trips() -> None:
    payload = {
        "id": "cs_1",
        "line_items": {"object": "list", "data": [{"id": "li_1", "price": _nested_prices(50)}]},
    }
    assert payload == cm.dump_session(cm.parse_session(payload))


# ------------------------------------------------------------------------------------------------
# Differential: stripe-python reads the same JSON the same way


def _get(obj: stripe.StripeObject, key: str) -> Any:
    """A field of a stripe-python object, None when absent (StripeObject is no dict any more)."""
    return obj[key] if key in obj else None  # noqa: SIM401 (StripeObject.get is gone)


def _stripe_id(value: Any) -> Any:
    return value["id"] if isinstance(value, stripe.StripeObject) else value


def _our_id(value: str | ExpandedResource | None) -> str | None:
    return value.id if isinstance(value, ExpandedResource) else value


@given(strategies.session_payloads(unknown_fields=True, unknown_enum_values=True))
def test_typed_fields_agree_with_stripe_python(payload: dict[str, Any]) -> None:
    theirs = stripe.checkout.Session.construct_from(copy.deepcopy(payload), "sk_test")
    ours = cm.parse_session(payload)

    assert theirs.id == ours.id
    for name in ("mode", "status", "payment_status", "currency", "amount_total", "livemode"):
        assert _get(theirs, name) == getattr(ours, name)
    metadata = _get(theirs, "metadata")
    assert (None if metadata is None else metadata.to_dict()) == (
        None if ours.metadata is None else dict(ours.metadata)
    )
    created = _get(theirs, "created")
    assert created == (None if ours.created is None else int(ours.created.timestamp()))
    for name in ("customer", "payment_intent", "setup_intent", "subscription"):
        assert _stripe_id(_get(theirs, name)) == _our_id(getattr(ours, name))
    their_items = _get(theirs, "line_items")
    their_data = None if their_items is None else _get(their_items, "data")
    if their_data is None:
        assert ours.line_items is None or ours.line_items.data is None
    else:
        assert ours.line_items is not None
        assert ours.line_items.data is not None
        assert [i["id"] for i in their_data] == [i.id for i in ours.line_items.data]
        assert [_get(i, "amount_total") for i in their_data] == [
            i.amount_total for i in ours.line_items.data
        ]
    assert cm.dump_session(ours) == cm.dump_session(cm.Session.from_stripe(theirs))
