"""Adversarial inputs, as an attacker or a careless caller would send them: every promise holds.

The promises: only ``ParseError`` escapes the parse functions; the caller's data is never
mutated; ``dump(parse(P)) == P``; what parses can be dumped, pickled, hashed, copied and
printed; error messages stay short and their paths are JSONPaths (RFC 9535 normalized segments
for odd keys); one depth rule; caches that stay flat over ever-new shapes. Each section covers a
cause of issue 11 with many inputs.
"""

from __future__ import annotations

import concurrent.futures
import copy
import datetime
import decimal
import enum
import gc
import json
import math
import multiprocessing
import pickle
import re
import subprocess
import sys
import tracemalloc
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import checkout_model as cm
from checkout_model import parsing, strategies
from checkout_model._converter import structure, unstructure
from checkout_model._hypothesis_plugin import _model_classes
from checkout_model._model import StripeModel
from checkout_model._schema import Kind, schema
from checkout_model.errors import _Invalid, json_path

PAYLOADS = Path(__file__).resolve().parent / "payloads"
BASE = {"id": "cs_test_a1", "object": "checkout.session"}
MODEL_CLASSES = sorted(_model_classes(StripeModel), key=lambda cls: cls.__qualname__)

MESSAGE_BOUND = 2000
"""The longest message any input may produce (the longest is a strict-mode enum error listing
every known value of the largest enumeration); a path is bounded by the input's own keys."""

# ------------------------------------------------------------------------------------------------
# Helpers


def parse_or_error(parse: Callable[..., Any], data: Any, strict: bool = False) -> Any:
    """What ``parse`` returns, or the ParseError it raises; any other exception fails the test."""
    try:
        return parse(data, strict)
    except cm.ParseError as err:
        return err


def check_error(err: cm.ParseError) -> None:
    """A ParseError reads well: short messages, printable text, and it survives pickling."""
    assert err.errors
    for detail in err.errors:
        assert len(detail.message) <= MESSAGE_BOUND
        parse_path(detail.path)
    str(err).encode("utf-8")  # printable and encodable: no lone surrogates, whatever the input
    again = pickle.loads(pickle.dumps(err))
    assert type(err) is type(again)
    assert str(err) == str(again)
    assert err.errors == again.errors


def check_object(obj: Any, *, show: bool = True) -> dict[str, Any]:
    """Everything a parsed object promises: it dumps, pickles equal, hashes, copies, prints."""
    dumped = unstructure(obj)
    back = pickle.loads(pickle.dumps(obj))
    assert obj == back
    assert same(dumped, unstructure(back))
    assert hash(obj) == hash(back)
    assert obj == copy.deepcopy(obj)
    if show:
        repr(obj).encode("utf-8", "backslashreplace")
    assert obj == structure(dumped, type(obj))  # what it dumps parses back to it
    return dumped


def same(a: Any, b: Any) -> bool:
    """Equal as data, types included (``True`` is not ``1``; a NaN equals itself)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def snapshot(value: Any) -> Any:
    """A deep record of ``value``: containers by identity and content, leaves by type and value."""
    if isinstance(value, Mapping):
        return (
            "map",
            id(value),
            type(value),
            [(snapshot(k), snapshot(v)) for k, v in value.items()],
        )
    if isinstance(value, (list, tuple, set, frozenset)):
        return ("seq", id(value), type(value), [snapshot(v) for v in value])
    if isinstance(value, float) and math.isnan(value):
        return ("nan", type(value))
    if isinstance(value, (str, int, float, bytes)) or value is None:
        return ("leaf", type(value), value)
    return ("obj", id(value), type(value))


_PATH_TOKEN = re.compile(
    r"""\.(?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | \[(?P<index>0|[1-9][0-9]*)\]
      | \['(?P<key>(?:[^'\\\x00-\x1f\ud800-\udfff]|\\[bfnrt'\\]|\\u[0-9a-f]{4})*)'\]""",
    re.VERBOSE,
)
_UNESCAPE = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "'": "'", "\\": "\\"}


def parse_path(path: str) -> list[str | int]:
    """The keys and indexes of a path: ``$``, then ``.name``, ``[index]`` or ``['key']`` with
    RFC 9535 normalized-path escapes (and nothing else: no raw control characters, no lone
    surrogates)."""
    assert path.startswith("$"), path
    parts: list[str | int] = []
    at = 1
    while at < len(path):
        match = _PATH_TOKEN.match(path, at)
        assert match is not None, f"not a JSONPath at {at}: {path!r}"
        if match["name"] is not None:
            parts.append(match["name"])
        elif match["index"] is not None:
            parts.append(int(match["index"]))
        else:
            parts.append(_unescape(match["key"]))
        at = match.end()
    return parts


def _unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] != "\\":
            out.append(text[i])
            i += 1
        elif text[i + 1] == "u":
            out.append(chr(int(text[i + 2 : i + 6], 16)))
            i += 6
        else:
            out.append(_UNESCAPE[text[i + 1]])
            i += 2
    return "".join(out)


def resolve(data: Any, parts: list[str | int]) -> Any:
    for part in parts:
        data = data[part]
    return data


def nested(depth: int, inner: Any = 1, *, key: str | None = None) -> Any:
    """``inner`` inside ``depth`` arrays (or objects with the one key ``key``)."""
    value = inner
    for _ in range(depth):
        value = [value] if key is None else {key: value}
    return value


def line_item_with_price(price: Any) -> dict[str, Any]:
    item = {"id": "li_1", "object": "item", "price": price}
    return {**BASE, "line_items": {"object": "list", "data": [item]}}


# ------------------------------------------------------------------------------------------------
# Numbers


HUGE_INTS = [2**64 + 1, -(2**63) - 1, 10**4299 + 7, -(10**5000) - 3]
"""Beyond 64 bits, at the 4,300-digit limit of ``str(int)``, and far beyond it."""


def test_huge_ints_in_every_field_of_every_class_are_kept_or_refused_at_their_path() -> None:
    """A huge int anywhere a model field is: kept exactly (integer and number fields), or a
    ParseError at that field with a short message (any other field). Never a plain ValueError."""
    kept = refused = 0
    for cls in MODEL_CLASSES:
        base = minimal(cls)
        for field in schema(cls).fields:
            for value in HUGE_INTS:
                payload = {**base, field.key: value}
                result = parse_or_error(parser_of(cls), payload)
                if isinstance(result, cm.ParseError):
                    refused += 1
                    check_error(result)
                    assert json_path([field.key]) == result.errors[0].path, (cls, field.key)
                else:
                    kept += 1
                    assert field.type.kind in (Kind.INT, Kind.NUMBER), (cls, field.key)
                    assert value == getattr(result, field.name)
                    dumped = check_object(result, show=abs(value) < 10**4000)
                    assert same(value, dumped[field.key])
    assert kept > 100
    assert refused > 1000


def parser_of(cls: type) -> Callable[[Any, bool], Any]:
    """The parse function of any model class (as parse_session is Session's)."""
    return lambda data, strict: structure(data, cls, strict)


def minimal(cls: type) -> dict[str, Any]:
    """The smallest valid payload of a model class: its type tag and its required fields."""
    out: dict[str, Any] = {}
    for field in schema(cls).fields:
        tp = field.type
        if field.tag is not None:
            out[field.key] = field.tag
        elif field.required and tp.kind is Kind.STR:
            out[field.key] = "x"
        elif field.required and tp.kind is Kind.ENUM:
            assert tp.cls is not None
            out[field.key] = next(iter(tp.cls)).value  # type: ignore[call-overload]
        elif field.required:
            assert tp.kind is Kind.MODEL
            assert tp.cls is not None
            out[field.key] = minimal(tp.cls)
    return out


@pytest.mark.parametrize("sign", [1, -1])
@pytest.mark.parametrize("digits", [20, 40, 400, 4300])
def test_huge_ints_in_unknown_fields_and_nested_raw_json_round_trip_exactly(
    sign: int, digits: int
) -> None:
    value = sign * (10 ** (digits - 1) + 12345)
    payload = {
        **BASE,
        "amount_total": value,
        "x_count": value,
        "x_deep": {"list": [0, value, {"again": [value]}]},
        "metadata": {"order": "A-1"},
        "customer": {"id": "cus_1", "object": "customer", "balance": value},
    }
    for data in (payload, json.dumps(payload), json.dumps(payload).encode()):
        session = cm.parse_session(data)
        dumped = check_object(session)
        assert same(payload, dumped)
        assert value == session.amount_total
        assert value == session.unknown_fields["x_count"]


@given(
    st.one_of(
        st.integers(min_value=2**64),
        st.integers(max_value=-(2**63) - 1),
        st.integers(10**18, 10**19),
        st.integers(-(10**19), -(10**18)),
        st.integers(-(2**63), 2**64),
    ),
    st.sampled_from(["amount_total", "x", "y"]),
    st.booleans(),
)
def test_json_text_integers_of_any_size_come_back_exact(value: int, key: str, as_str: bool) -> None:
    """orjson makes a float of an integer beyond 64 bits; the text is then decoded exactly."""
    text = json.dumps({**BASE, key: value, "z": [value, {"w": value}]})
    session = cm.parse_session(text if as_str else text.encode())
    dumped = check_object(session)
    assert same(json.loads(text), dumped)


@pytest.mark.parametrize(
    ("text", "path", "found"),
    [
        (b'{"id":"cs_1","amount_total":1e400}', "$.amount_total", "1e400"),
        (b'{"id":"cs_1","x":-1E+999}', "$.x", "-1E+999"),
        (b'{"id":"cs_1","x":{"y":[0,1.5e309]}}', "$.x.y[1]", "1.5e309"),
        (b'{"id":"cs_1","metadata":{"a":1e400}}', "$.metadata.a", "1e400"),
        (b'{"id":"cs_1","currency":1e400}', "$.currency", "1e400"),
        (b'{"id":"cs_1","created":-1e400}', "$.created", "-1e400"),
        (b'{"id":"cs_1","mode":1e400}', "$.mode", "1e400"),
        (b'{"id":"cs_1","\\u00e9 x":1e400}', "$['\u00e9 x']", "1e400"),
        (b'{"id":1e400}', "$.id", "1e400"),
        (
            b'{"id":"cs_1","currency_conversion":{"fx_rate":1e999}}',
            "$.currency_conversion.fx_rate",
            "1e999",
        ),
        (b'{"id":"cs_1","x":1' + b"0" * 5000 + b"}", "$.x", "an integer of 5001 digits"),
        (b'{"id":"cs_1","amount_total":-' + b"7" * 4301 + b"}", "$.amount_total", "4301 digits"),
    ],
)
def test_numbers_python_cannot_hold_are_refused_at_their_path(
    text: bytes, path: str, found: str
) -> None:
    for data in (text, text.decode()):
        err = parse_or_error(cm.parse_session, data)
        assert isinstance(err, cm.ParseError)
        check_error(err)
        [detail] = err.errors
        assert path == detail.path
        assert found in detail.message
        assert len(detail.message) < 200


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
@pytest.mark.parametrize(
    ("make", "path"),
    [
        (lambda v: {**BASE, "amount_total": v}, "$.amount_total"),
        (lambda v: {**BASE, "x": {"y": [1, v]}}, "$.x.y[1]"),
        (lambda v: {**BASE, "metadata": {"k": v}}, "$.metadata.k"),
        (lambda v: {**BASE, "currency": v}, "$.currency"),
        (
            lambda v: {**BASE, "customer": {"id": "cus_1", "object": "customer", "b": v}},
            "$.customer.b",
        ),
        (lambda v: line_item_with_price({"id": "p", "unit_amount": v}), None),
    ],
)
def test_non_finite_floats_in_a_mapping_are_refused_at_their_path(
    bad: float, make: Callable[[float], Any], path: str | None
) -> None:
    err = parse_or_error(cm.parse_session, make(bad))
    assert isinstance(err, cm.ParseError)
    check_error(err)
    expected = path or "$.line_items.data[0].price.unit_amount"
    assert expected == err.errors[0].path


@pytest.mark.parametrize(
    "text",
    [
        b'{"id":"cs_1","x":NaN}',
        b'{"id":"cs_1","x":Infinity}',
        b'{"id":"cs_1","x":-Infinity,"y":1e400}',
        b'{"id":"cs_1","x":"\\ud800"}',
        b'{"id":"cs_1","x":"\\udc00","y":12345678901234567890123}',
        b'{"id":"cs_1","\\ud800":1e400}',
        b'{"id":"cs_1","x":"\xed\xa0\x80"}',
        b'{"id":"cs_1","x":"\xff"}',
        b'\xef\xbb\xbf{"id":"cs_1"}',
        b'{"id":"cs_1","x":[1,2,]}',
        b'{"id":"cs_1","x":01}',
        b'{"id":"cs_1","x":1e400',
        b'{"id":"cs_1"} 12345678901234567890123',
        b'{"id":"cs_1","x":"\x01"}',
        b'{"id":"cs_1","x":' + b"[" * 5000 + b"1" + b"]" * 5000 + b"}",
        b'{"id":"cs_1","x":' + b"[" * 1100 + b"12345678901234567890123" + b"]" * 1100 + b"}",
        b"",
        b"   ",
        b"\x00",
    ],
)
def test_every_other_flaw_of_json_text_is_reported_at_the_root(text: bytes) -> None:
    for data in (text, text.decode("utf-8", "surrogateescape")):
        err = parse_or_error(cm.parse_session, data)
        assert isinstance(err, cm.ParseError), data[:80]
        check_error(err)
        assert ["$"] == [d.path for d in err.errors]
        assert err.errors[0].message.startswith("invalid JSON")


def test_text_with_a_long_integer_deep_inside_still_parses_exactly() -> None:
    """The exact decoder has the same depth reach as the model (raw JSON 200 levels deep)."""
    value = 10**30 + 1
    payload = {**BASE, "x": nested(199, value)}
    session = cm.parse_session(json.dumps(payload))
    assert same(payload, check_object(session))


def test_normal_payloads_are_decoded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The precision check costs one pass over a sixth of the text; real payloads (timestamps,
    amounts, ids) never need the second, exact decoding."""

    def refuse(text: Any, failure: str) -> Any:
        raise AssertionError("decoded twice")

    monkeypatch.setattr(parsing, "_decode_exactly", refuse)
    checked = 0
    for path in [*PAYLOADS.glob("*.json"), *Path(cm.__file__).parent.glob("data/*.json")]:
        raw = path.read_bytes()
        parse = cm.parse_event if json.loads(raw).get("object") == "event" else cm.parse_session
        parse(raw)
        parse(raw.decode())
        checked += 1
    assert checked >= 10


@given(st.text(alphabet='0123456789 .,:-e[]{}"a\u00e9', max_size=200))
def test_the_precision_check_finds_every_run_of_19_digits(text: str) -> None:
    """Exactly the texts with a run of 19 ASCII digits (the sample only rules others out)."""
    has_run = re.search(r"[0-9]{19}", text) is not None
    assert has_run == parsing._may_hold_long_integers(text)
    assert has_run == parsing._may_hold_long_integers(text.encode())


@given(st.integers(0, 60), st.integers(19, 60), st.integers(0, 60))
def test_the_precision_check_finds_a_long_run_at_any_offset(
    before: int, digits: int, after: int
) -> None:
    text = "a" * before + "7" * digits + "b" * after
    assert parsing._may_hold_long_integers(text)


def test_repr_of_an_object_holding_a_huge_accepted_int() -> None:
    session = cm.parse_session({**BASE, "amount_total": 10**5000})
    assert "amount_total" in repr(session)


# ------------------------------------------------------------------------------------------------
# Strings

LONE = ["\ud800", "\udbff", "\udc00", "\udfff", "a\ud800b", "\udfff\ud800"]


@pytest.mark.parametrize("lone", LONE)
@pytest.mark.parametrize(
    "make",
    [
        lambda s: {**BASE, "x": s},
        lambda s: {**BASE, s: "value"},
        lambda s: {**BASE, "x": {s: [s]}},
        lambda s: {**BASE, "metadata": {s: s}},
        lambda s: {**BASE, "client_reference_id": s, "customer_email": s},
        lambda s: {**BASE, "mode": s, "status": s},
        lambda s: {**BASE, "id": "cs_" + s},
        lambda s: {**BASE, "customer": {"id": "cus_" + s, "object": "customer", s: s}},
        lambda s: line_item_with_price({"id": s, "object": "price", "nickname": s}),
    ],
)
def test_lone_surrogates_in_a_mapping_round_trip(lone: str, make: Callable[[str], Any]) -> None:
    payload = make(lone)
    for strict in (False, True):
        result = parse_or_error(cm.parse_session, payload, strict)
        if isinstance(result, cm.ParseError):
            assert strict
            check_error(result)
            continue
        assert same(payload, check_object(result))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(strategies.session_payloads(), st.data())
def test_lone_surrogates_anywhere_round_trip_or_are_refused_at_their_path(
    payload: dict[str, Any], data: st.DataObject
) -> None:
    spots = list(string_spots(payload))
    assume(spots)
    container, key, as_key = data.draw(st.sampled_from(spots))
    lone = data.draw(st.sampled_from(LONE))
    if as_key:
        container[key + lone] = container.pop(key)
    else:
        container[key] = container[key] + lone
    result = parse_or_error(cm.parse_session, payload)
    if isinstance(result, cm.ParseError):  # a surrogate in a type tag or a decimal string
        check_error(result)
        resolve(payload, parse_path(result.errors[0].path))
    else:
        assert same(payload, check_object(result))


def string_spots(value: Any) -> Iterator[tuple[Any, Any, bool]]:
    """Every (container, key, is-the-key) of a string value or an object key in ``value``."""
    if isinstance(value, dict):
        for key, item in list(value.items()):
            if isinstance(item, str):
                yield value, key, False
            if key not in ("id", "object"):
                yield value, key, True
            yield from string_spots(item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                yield value, index, False
            yield from string_spots(item)


class Text(str):
    """A str subclass, as a web framework or a lazy-translation library hands them over."""


class Blob(bytes):
    """A bytes subclass."""


def as_inputs(payload: Mapping[str, Any]) -> list[Any]:
    raw = orjson.dumps(payload)
    return [
        Text(raw.decode()),
        Blob(raw),
        bytearray(raw),
        memoryview(raw),
        memoryview(bytearray(b"  " + raw + b"  "))[2:-2],
    ]


@pytest.mark.parametrize(
    "payload", [BASE, json.loads((PAYLOADS / "every_field.json").read_text("utf-8"))]
)
def test_str_and_bytes_subclasses_and_buffers_are_json_text(payload: dict[str, Any]) -> None:
    for data in as_inputs(payload):
        session = cm.parse_session(data)
        assert same(payload, cm.dump_session(session)), type(data)
    event = {"id": "evt_1", "object": "event", "type": "checkout.session.completed"}
    event["data"] = {"object": payload}  # type: ignore[assignment]
    for data in as_inputs(event):
        assert same(event, cm.dump_event(cm.parse_event(data)))


def test_a_non_contiguous_buffer_is_json_text_too() -> None:
    raw = orjson.dumps(BASE)
    spread = bytearray(len(raw) * 2)
    spread[::2] = raw
    assert cm.parse_session(memoryview(spread)[::2]).id == BASE["id"]


class Colour(enum.Enum):
    RED = "red"


def test_str_subclasses_and_str_enum_members_are_the_strings_they_are() -> None:
    payload = {
        Text("id"): Text("cs_test_a1"),
        "object": "checkout.session",  # a subclass here: see the test after this one
        "mode": cm.Mode.SETUP,
        "status": Text("open"),
        "currency": cm.Mode.PAYMENT,  # a member of another enum is still the string "payment"
        "payment_method_types": [Text("card"), cm.Mode.SETUP],
        "metadata": {Text("k"): cm.Mode.PAYMENT},
        "x": {Text("y"): [Text("z"), cm.Unknown[cm.Mode]("installments")]},
        "submit_type": cm.Unknown[cm.SubmitType]("tip_jar"),
    }
    for strict in (False, True):
        result = parse_or_error(cm.parse_session, payload, strict)
        if strict:
            assert isinstance(result, cm.ParseError)
            assert {"$.x", "$.submit_type"} >= {d.path for d in result.errors}
            continue
        dumped = check_object(result)
        plain = json.loads(json.dumps(payload))
        assert same(plain, dumped)  # plain str everywhere, the subclass and enum types gone
        assert result.mode is cm.Mode.SETUP
        assert type(result.currency) is str


def test_a_str_subclass_type_tag_is_kept_as_a_plain_string() -> None:
    session = cm.parse_session({**BASE, "object": Text("checkout.session")})
    assert str is type(cm.dump_session(session)["object"])


def test_a_plain_enum_member_is_not_a_string() -> None:
    err = parse_or_error(cm.parse_session, {**BASE, "currency": Colour.RED})
    assert isinstance(err, cm.ParseError)
    check_error(err)
    assert "$.currency" == err.errors[0].path
    assert "Colour" in err.errors[0].message


# ------------------------------------------------------------------------------------------------
# Pickling and errors


def mutations() -> st.SearchStrategy[Any]:
    """Values that stress pickling and JSON: huge ints, lone surrogates, odd keys, deep nesting."""
    return st.one_of(
        st.integers(min_value=2**64, max_value=10**4000),
        st.integers(min_value=-(10**4000), max_value=-(2**63) - 1),
        st.sampled_from(LONE),
        st.text(st.characters(codec=None), max_size=8),
        st.dictionaries(st.sampled_from(["\ud800", "\x00", "'", "\\", "a b", ""]), st.integers()),
        st.integers(0, 200).map(nested),
        st.floats(allow_nan=False, allow_infinity=False),
    )


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    strategies.session_payloads(unknown_fields=True, unknown_enum_values=True),
    st.dictionaries(st.text(max_size=6).map("x_".__add__), mutations(), max_size=3),
)
def test_every_object_that_parses_pickles_and_unpickles_equal(
    payload: dict[str, Any], extra: dict[str, Any]
) -> None:
    payload = {**payload, **extra}
    session = cm.parse_session(payload)
    assert same(payload, check_object(session))


class RichError(cm.ParseError):
    """A subclass with a constructor of its own and an attribute, as a library may add."""

    def __init__(self, event_id: str) -> None:
        super().__init__([cm.ErrorDetail("$.id", f"no such event {event_id}")])
        self.event_id = event_id


def test_parse_errors_and_their_subclasses_survive_pickling() -> None:
    errors = [
        parse_or_error(cm.parse_session, {"id": 1, "amount_total": "2", "x": math.nan}),
        parse_or_error(cm.parse_session, {**BASE, "\ud800\x00'": 1}, True),
        parse_or_error(cm.parse_session, b"[1, 2]"),
        cm.ParseError.at("$.a", "a; b; c"),
        RichError("evt_1"),
    ]
    for err in errors:
        assert isinstance(err, cm.ParseError)
        check_error(err)
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            again = pickle.loads(pickle.dumps(err, protocol))
            assert (type(err), str(err), err.errors, err.args) == (
                type(again),
                str(again),
                again.errors,
                again.args,
            )
    rich = pickle.loads(pickle.dumps(errors[-1]))
    assert "evt_1" == rich.event_id


def test_objects_and_errors_cross_a_process_pool() -> None:
    good = [
        {**BASE, "x": 10**4000, "y": "\ud800", "\udfff": [2**70]},
        json.dumps({**BASE, "amount_total": 2**80}),
        json.loads((PAYLOADS / "every_field.json").read_text("utf-8")),
    ]
    bad = [{**BASE, "amount_total": "1"}, {**BASE, "mode": "x" * 2**20}]
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=context) as pool:
        parsed = list(pool.map(cm.parse_session, good))
        failures = [pool.submit(cm.parse_session, payload, True) for payload in bad]
        raised = [future.exception() for future in failures]
    assert [cm.parse_session(g) for g in good] == parsed
    for payload, err in zip(bad, raised, strict=True):
        assert isinstance(err, cm.ParseError)
        local = parse_or_error(cm.parse_session, payload, True)
        assert (str(local), local.errors) == (str(err), err.errors)


# ------------------------------------------------------------------------------------------------
# Bounded messages

MIB = 2**20


@pytest.mark.parametrize(
    "payload",
    [
        {**BASE, "mode": "x" * MIB},
        {**BASE, "locale": "\u00e9" * MIB},
        {**BASE, "amount_total": "9" * MIB},
        {**BASE, "created": 10**100_000},
        {**BASE, "currency": -(10**100_000)},
        {**BASE, "metadata": {"k": [0] * MIB}},
        {**BASE, "object": "y" * MIB},
        {**BASE, "id": {"k": "v" * MIB}},
        {**BASE, "customer": {"id": "cus_1", "object": "c" * MIB}},
        {**BASE, "currency_conversion": {"fx_rate": "1.5" + "x" * MIB}},
        line_item_with_price({"id": "p", "object": "price", "type": "t" * MIB}),
    ],
)
def test_a_huge_value_gives_a_short_message(payload: dict[str, Any]) -> None:
    for data in (payload, orjson.dumps(payload) if _json_able(payload) else payload):
        err = parse_or_error(cm.parse_session, data, True)
        assert isinstance(err, cm.ParseError)
        check_error(err)
        assert len(str(err)) < MESSAGE_BOUND + 100


def _json_able(payload: Any) -> bool:
    try:
        orjson.dumps(payload)
    except TypeError:
        return False
    return True


def test_a_huge_key_gives_a_short_message() -> None:
    err = parse_or_error(cm.parse_session, {**BASE, "k" * MIB: 1}, True)
    assert isinstance(err, cm.ParseError)
    assert len(str(err)) < MESSAGE_BOUND + 100


# ------------------------------------------------------------------------------------------------
# Paths for odd keys

ODD_CHARS = st.sampled_from(
    [
        "\x00",
        "\x1f",
        "\x7f",
        "'",
        '"',
        "\\",
        ".",
        "[",
        "]",
        "$",
        " ",
        "\n",
        "\u2028",
        "\u00e9",
        "\U0001f600",
        "\ud800",
        "\udfff",
        "0",
        "a",
    ]
)
ODD_KEYS = st.one_of(st.text(ODD_CHARS, max_size=6), st.text(st.characters(codec=None), max_size=6))


@given(ODD_KEYS, st.sampled_from(["metadata", "strict", "list", "nested"]))
def test_paths_of_odd_keys_are_normalized_jsonpaths_that_find_the_value(
    key: str, where: str
) -> None:
    payload: dict[str, Any]
    if where == "metadata":
        payload = {**BASE, "metadata": {key: 12}}
    elif where == "strict":
        assume(key not in schema(cm.Session).known)
        payload = {**BASE, key: 12}
    elif where == "list":
        payload = {**BASE, "x": {key: [0, math.inf]}}
    else:
        payload = {**BASE, "customer_details": {"address": {key: 1}}}
    err = parse_or_error(cm.parse_session, payload, where in ("strict", "nested"))
    assert isinstance(err, cm.ParseError)
    check_error(err)
    parts = parse_path(err.errors[0].path)  # the grammar allows no raw control character
    if where == "strict":
        assert [key] == parts
    elif where == "metadata":
        assert 12 == resolve(payload, parts)
    elif where == "list":
        assert math.isinf(resolve(payload, parts))
    else:
        assert parts[:2] == ["customer_details", "address"]
        assert [key] == parts[2:]


@pytest.mark.parametrize(
    ("key", "segment"),
    [
        ("a b", "['a b']"),
        ("", "['']"),
        ("1x", "['1x']"),
        ("x.y", "['x.y']"),
        ("it's", "['it\\'s']"),
        ("back\\slash", "['back\\\\slash']"),
        ("\b\f\n\r\t", "['\\b\\f\\n\\r\\t']"),
        ("\x00\x1f", "['\\u0000\\u001f']"),
        ("\x7f", "['\x7f']"),
        ("\ud800", "['\\ud800']"),
        ("\u00e9t\u00e9", "['\u00e9t\u00e9']"),
        ("\U0001f600", "['\U0001f600']"),
        ('"q"', "['\"q\"']"),
        ("_ok9", "._ok9"),
    ],
)
def test_odd_key_segments_follow_rfc_9535(key: str, segment: str) -> None:
    err = parse_or_error(cm.parse_session, {**BASE, "metadata": {key: 1}})
    assert isinstance(err, cm.ParseError)
    assert "$.metadata" + segment == err.errors[0].path


# ------------------------------------------------------------------------------------------------
# Depth: one rule, and no private exception or RecursionError from any public function

DEPTHS = [150, 199, 200, 201, 5000]


def deep_inputs(depth: int) -> Iterator[tuple[str, Callable[..., Any], Any]]:
    """(label, parse function, input) with a value ``depth`` levels below its field."""
    for key in (None, "a"):
        value = nested(depth, key=key)
        yield "unknown", cm.parse_session, {**BASE, "x": value}
        yield "in object", cm.parse_session, {**BASE, "customer_details": {"x": value}}
        yield (
            "expanded",
            cm.parse_session,
            {**BASE, "customer": {"id": "c", "object": "customer", "x": value}},
        )
        yield "in list", cm.parse_session, {**BASE, "custom_fields": [{"x": value}]}
        event = {"id": "evt_1", "object": "event", "type": "checkout.session.completed"}
        yield (
            "event",
            cm.parse_event,
            {**event, "data": {"object": BASE, "previous_attributes": {"x": value}}},
        )
        yield "event unknown", cm.parse_event, {**event, "data": {"object": {**BASE, "x": value}}}


@pytest.mark.parametrize("depth", DEPTHS)
def test_deep_values_parse_fully_or_are_refused(depth: int) -> None:
    outcomes = set()
    for label, parse, payload in deep_inputs(depth):
        inputs = [payload]
        if depth < 900:
            inputs.append(json.dumps(payload))
        for data in inputs:
            for strict in (False, True):
                result = parse_or_error(parse, data, strict)
                if isinstance(result, cm.ParseError):
                    check_error(result)
                    outcomes.add((label, "refused"))
                else:
                    dumped = check_object(result)
                    assert same(json.loads(json.dumps(payload)), dumped)
                    outcomes.add((label, "parsed"))
    if depth <= 199:
        assert ("unknown", "parsed") in outcomes
    if depth >= 201:
        assert ("unknown", "parsed") not in outcomes


def test_the_depth_rule_for_raw_json_is_200_levels_below_its_field() -> None:
    assert isinstance(cm.parse_session({**BASE, "x": nested(200)}), cm.Session)
    err = parse_or_error(cm.parse_session, {**BASE, "x": nested(201)})
    assert isinstance(err, cm.ParseError)
    assert "$.x" + "[0]" * 200 == err.errors[0].path


def expansion_chain(length: int) -> dict[str, Any]:
    """A price whose product's default price has a product whose ... ``length`` objects deep."""
    obj: Any = "prod_end"
    for i in range(length):
        if i % 2:
            obj = {"id": f"prod_{i}", "object": "product", "default_price": obj}
        else:
            obj = {"id": f"price_{i}", "object": "price", "product": obj}
    if obj["object"] == "product":
        obj = {"id": "price_top", "object": "price", "product": obj}
    top: dict[str, Any] = obj
    return top


@pytest.mark.parametrize("length", [100, 127, 128, 129, 130, 131, 200, 1000, 5000])
def test_expanded_chains_parse_fully_or_are_refused(length: int) -> None:
    payload = line_item_with_price(expansion_chain(length))
    inputs: list[Any] = [payload]
    if length < 300:
        inputs.append(json.dumps(payload))
    for data in inputs:
        result = parse_or_error(cm.parse_session, data)
        if isinstance(result, cm.ParseError):
            check_error(result)
            assert length > 128
        else:
            assert length <= 130
            assert same(payload, check_object(result))


def test_deep_text_is_refused_at_the_root_without_recursion() -> None:
    for depth in (1100, 5000, 100_000):
        text = '{"id":"cs_1","x":' + "[" * depth + "]" * depth + "}"
        err = parse_or_error(cm.parse_session, text)
        assert isinstance(err, cm.ParseError)
        assert ["$"] == [d.path for d in err.errors]


# ------------------------------------------------------------------------------------------------
# Caches and the cost of many keys


def traced_after(step: Callable[[], None]) -> int:
    step()
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


def test_memory_stays_flat_over_ever_new_unknown_key_sets() -> None:
    """Payloads of 5,000 unknown keys each, a new key set each time, parsed and dropped: what is
    allocated while the second and third hundred go through is all freed again. (A key set seen
    twice is one that could get code of its own: the first hundred go through twice.)"""

    def payload(n: int) -> bytes:
        keys = b",".join(b'"k%d_%d":%d' % (n, j, j) for j in range(5000))
        return b'{"id":"cs_1",' + keys + b"}"

    def stream(raws: list[bytes], times: int = 1) -> None:
        for raw in raws:
            for _ in range(times):
                cm.parse_session(raw)

    stream([payload(n) for n in range(100)], 2)
    later = [payload(n) for n in range(100, 300)]
    tracemalloc.start()
    try:
        retained = traced_after(lambda: stream(later))
    finally:
        tracemalloc.stop()
    assert retained < 1_000_000  # one kept key set alone would be 5,000 strings


def test_memory_stays_flat_over_ever_new_known_key_sets() -> None:
    """Sessions of ever-new subsets of the known fields: code and records for a bounded number."""
    keys = sorted(schema(cm.Session).known - {"id", "object"})
    counter = iter(range(1, 2 ** len(keys)))

    def stream(count: int) -> None:
        for _ in range(count):
            bits = next(counter) * 0x9E3779B97F4A7C15 % 2 ** len(keys)  # scattered subsets
            payload = {**BASE, **{k: None for i, k in enumerate(keys) if bits >> i & 1}}
            for _ in range(2):
                cm.dump_session(cm.parse_session(payload))

    stream(6000)  # every cache full; only what is allocated from now on is traced
    tracemalloc.start()
    try:
        after_fill = traced_after(lambda: stream(500))
        after_more = traced_after(lambda: stream(3000))
    finally:
        tracemalloc.stop()
    assert after_more - after_fill < 1_000_000


NO_CODE_FOR_MANY_KEYS = """
import linecache, sys
import orjson
import checkout_model as cm
from checkout_model import _converter

strict = sys.argv[1] == "strict"
def generated():
    return {n for n in linecache.cache if n.startswith("<checkout_model generated")}

cm.parse_session({"id": "cs_1", "object": "checkout.session"}, strict)
cm.parse_session({"id": "cs_2"}, strict)  # a second key set: the generic code exists now
records = (_converter._STRICT if strict else _converter._LENIENT).records[cm.Session]
before = (generated(), dict(records.shapes), set(records.seen))
payload = {"id": "cs_1", **{f"unknown_{j}": j for j in range(100_000)}}
for data in (payload, orjson.dumps(payload), payload, payload):
    try:
        cm.parse_session(data, strict)
    except cm.ParseError:
        assert strict
    else:
        assert not strict
after = (generated(), dict(records.shapes), set(records.seen))
assert before == after, "code or a record made for a key set of 100,000 unknown keys"
assert not any("unknown_1" in "".join(linecache.getlines(n)) for n in after[0])
print("ok")
"""


@pytest.mark.parametrize("mode", ["lenient", "strict"])
def test_no_code_is_compiled_for_a_payload_with_100k_unknown_keys(
    mode: str, tmp_path: Path
) -> None:
    """Keys nobody will send again get no code of their own: parsing them stays linear. (In a
    fresh process: here, other tests may have filled the records already.)"""
    done = subprocess.run(
        [sys.executable, "-c", NO_CODE_FOR_MANY_KEYS, mode],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert 0 == done.returncode, done.stderr
    assert "ok" == done.stdout.strip()


# ------------------------------------------------------------------------------------------------
# Only ParseError escapes, and the caller's data is never touched


class ReadOnly(Mapping[str, Any]):
    """A caller's own mapping type."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


class Number(int):
    """An int subclass."""


class Real(float):
    """A float subclass."""


class Listish(list[Any]):
    """A list subclass."""


class Dictish(dict[str, Any]):
    """A dict subclass."""


JUNK = st.one_of(
    strategies.json_values(),
    st.integers(),
    st.sampled_from(HUGE_INTS),
    st.floats(),
    st.sampled_from([math.inf, -math.inf, math.nan, -0.0, 5e-324, True, False, None]),
    st.text(st.characters(codec=None), max_size=10),
    st.sampled_from(LONE),
    st.builds(lambda n: "x" * n, st.integers(0, 10_000)),
    st.sampled_from(
        [
            (1, 2),
            {1, 2},
            frozenset(),
            b"bytes",
            bytearray(b"x"),
            object(),
            decimal.Decimal("1.5"),
            decimal.Decimal("NaN"),
            datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
            1j,
            range(3),
            Ellipsis,
            cm.Mode.PAYMENT,
            Colour.RED,
            cm.Unknown[cm.Mode]("new"),
            Number(7),
            Real(1.5),
            Real(math.inf),
            Text("text"),
            Listish([1]),
            Dictish(a=1),
            ReadOnly({"id": "x", "object": "price"}),
            {1: "int key"},
            {None: "null key"},
            {"\ud800": "\udc00"},
            {("t",): 1},
        ]
    ),
    st.integers(0, 300).map(nested),
    st.integers(0, 300).map(lambda n: nested(n, key="k")),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3).map(ReadOnly),
)


def spots(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every value in a decoded payload."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from spots(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from spots(item, (*path, index))


def replaced(payload: Any, path: tuple[Any, ...], junk: Any) -> Any:
    if not path:
        return junk
    head, rest = path[0], path[1:]
    if isinstance(payload, dict):
        return {**payload, head: replaced(payload[head], rest, junk)}
    out = list(payload)
    out[head] = replaced(payload[head], rest, junk)
    return out


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    st.one_of(
        strategies.session_payloads(unknown_fields=True),
        strategies.event_payloads(),
    ),
    st.data(),
    JUNK,
    st.booleans(),
)
def test_junk_in_any_position_gives_a_parse_error_or_a_whole_object(
    payload: dict[str, Any], data: st.DataObject, junk: Any, strict: bool
) -> None:
    path = data.draw(st.sampled_from(list(spots(payload))))
    mutated = replaced(payload, path, junk)
    if path and data.draw(st.booleans()):  # the junk as a key, next to the value
        parent = resolve(payload, list(path[:-1]))
        if isinstance(parent, dict) and getattr(type(junk), "__hash__", None) is not None:
            mutated = replaced(payload, path[:-1], {**parent, junk: 1})
    parse = cm.parse_event if payload.get("object") == "event" else cm.parse_session
    before = snapshot(mutated)
    result = parse_or_error(parse, mutated, strict)
    assert before == snapshot(mutated)  # not one container, key or value of the caller's changed
    if isinstance(result, cm.ParseError):
        check_error(result)
    else:
        check_object(result, show=not _has_huge_int(mutated))


def _has_huge_int(value: Any) -> bool:
    return any(isinstance(v, int) and abs(v) > 10**4000 for v in _leaves(value))


def _leaves(value: Any) -> Iterator[Any]:
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, Mapping):
            todo.extend(item.keys())
            todo.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            todo.extend(item)
        else:
            yield item


TEXT_JUNK = st.sampled_from(
    [
        "1e400",
        "-1e400",
        "1" + "0" * 5000,
        "123456789012345678901234567890",
        "-9223372036854775809",
        "18446744073709551616",
        "NaN",
        "Infinity",
        '"\\ud800"',
        '"\\udfff\\ud800"',
        '"\\u0000"',
        "[" * 300 + "]" * 300,
        "[" * 2000 + "]" * 2000,
        '{"\\ud800": 1}',
        "tru",
        '"unterminated',
        "01",
        "1.",
        "-",
        '"\x01"',
        "\xff",
        "{}",
        "[]",
        "1e-400",
        "0.1e1",
        "-0",
    ]
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(strategies.session_payloads(unknown_fields=True), st.data(), TEXT_JUNK, st.booleans())
def test_junk_in_json_text_gives_a_parse_error_or_a_whole_object(
    payload: dict[str, Any], data: st.DataObject, junk: str, as_bytes: bool
) -> None:
    path = data.draw(st.sampled_from(list(spots(payload))))
    marker = "\u0091marker\u0091"
    text = json.dumps(replaced(payload, path, marker)).replace(json.dumps(marker), junk)
    raw: str | bytes = text.encode("utf-8", "surrogateescape") if as_bytes else text
    result = parse_or_error(cm.parse_session, raw)
    if isinstance(result, cm.ParseError):
        check_error(result)
    else:
        dumped = check_object(result)
        assert same(json.loads(text), dumped)


@given(st.binary(max_size=300), st.booleans())
def test_random_bytes_give_a_parse_error_or_a_whole_object(raw: bytes, strict: bool) -> None:
    for data in (raw, raw.decode("utf-8", "surrogateescape"), b'{"id":"cs_1","x":' + raw + b"}"):
        result = parse_or_error(cm.parse_session, data, strict)
        if isinstance(result, cm.ParseError):
            check_error(result)
        else:
            check_object(result)


@pytest.mark.parametrize("size", [10, 10**30])
def test_the_callers_json_text_buffer_is_not_touched(size: int) -> None:
    raw = bytearray(json.dumps({**BASE, "x": size}).encode())
    kept = bytes(raw)
    session = cm.parse_session(memoryview(raw))
    assert kept == raw
    raw[:] = b"{}"  # changing the buffer afterwards changes nothing parsed
    assert size == session.unknown_fields["x"]


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize(
    "key", [10**5000, 1.5, None, ("a",)], ids=["huge-int", "float", "none", "tuple"]
)
def test_keys_that_are_not_strings_are_refused_first_and_every_time(key: Any, strict: bool) -> None:
    """A dict of Python objects may hold keys JSON cannot: in any class, at its first sighting
    (when code is made for a key set) and after, the answer is a ParseError at the object."""
    from checkout_model import _converter

    fresh = _converter._Structurer(strict)
    for _ in range(3):
        session = {"id": "cs_1", "customer_details": {"email": "a@b.c", key: 1}}
        with pytest.raises(cm.ParseError) as caught:
            cm.parse_session(session, strict)
        assert "$.customer_details" == caught.value.errors[0].path[: len("$.customer_details")]
        rec = fresh.record(cm.Session)
        assert rec.stub is not None
        with pytest.raises(_Invalid, match="keys must be strings"):
            rec.stub({"id": "cs_1", key: 1})
