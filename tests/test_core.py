"""The core's promises: threads at cold start, subclasses, generated code, copies, immutability."""

from __future__ import annotations

import ast
import copy
import json
import linecache
import pickle
import subprocess
import sys
import textwrap
import traceback
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import cattrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import checkout_model as cm
from checkout_model import _converter, strategies
from checkout_model._json import thaw
from checkout_model._schema import Kind, schema

PAYLOADS = Path(__file__).parent / "payloads"
PACKAGE = Path(cm.__file__).parent


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text())
    return data


# ------------------------------------------------------------------------------------------------
# Threads: the first parse of a process, from many threads at once


THREADED_FIRST_PARSE = """
import json, sys, threading
import checkout_model as cm

payloads = [json.loads(open(p).read()) for p in sys.argv[1:]]
barrier = threading.Barrier(8)
results, errors = [], []

def work(i):
    barrier.wait()
    try:
        for p in payloads:
            if p.get("object") == "event":
                continue
            s = cm.parse_session(json.dumps(p) if i % 2 else p)
            results.append(cm.dump_session(s) == p)
    except Exception as exc:  # any error is a failure of the promise
        errors.append(repr(exc))

threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
for t in threads: t.start()
for t in threads: t.join()
print(json.dumps({"ok": sum(results), "total": len(results), "errors": errors}))
"""


@pytest.mark.parametrize("run", range(4))
def test_threads_doing_the_first_parse_all_succeed(run: int) -> None:
    """Eight threads parse at once right after import, in a fresh process, with zero errors."""
    files = [str(p) for p in sorted(PAYLOADS.glob("*.json")) if "every" in p.name or run % 2]
    done = subprocess.run(
        [sys.executable, "-c", THREADED_FIRST_PARSE, *files],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    outcome = json.loads(done.stdout)
    assert [] == outcome["errors"]
    assert outcome["total"] == outcome["ok"] > 0


# ------------------------------------------------------------------------------------------------
# Subclasses: their own code, never a change to what parse_session builds


def test_a_subclass_named_like_a_model_class_changes_nothing() -> None:
    @attrs.frozen(kw_only=True, repr=False)
    class Session(cm.Session):
        note: str | None = None

    payload = {**load("every_field"), "note": "mine"}
    mine = cm.converters.converter.structure(payload, Session)
    assert isinstance(mine, Session)
    assert "mine" == mine.note
    theirs = cm.parse_session(payload)
    assert type(theirs) is cm.Session
    assert {"note": "mine"} == theirs.unknown_fields
    assert payload == cm.dump_session(theirs)
    assert payload == cm.converter.unstructure(mine)


def test_a_subclass_with_an_init_subclass_hook_never_sees_a_twin() -> None:
    """Objects are filled on a mutable twin of their class; a user's ``__init_subclass__``
    (a plugin registry, say) must not see one."""
    seen: list[type] = []

    @attrs.frozen(kw_only=True, repr=False)
    class Registered(cm.session.Address):
        def __init_subclass__(cls, **kwargs: Any) -> None:
            super().__init_subclass__(**kwargs)
            seen.append(cls)

    for data in ({"city": "Berlin"}, {"city": "Paris", "line1": "1 rue"}, {"city": "Rome"}):
        address = cm.converters.converter.structure(data, Registered)
        assert type(address) is Registered
        assert data == cm.converter.unstructure(address)
    assert [] == seen


@st.composite
def subclass_specs(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "validator": draw(st.booleans()),
        "post_init": draw(st.booleans()),
        "cache_hash": draw(st.booleans()),
        "extra": draw(st.booleans()),
        "slots": draw(st.booleans()),
        "base": draw(st.sampled_from([cm.session.Address, cm.Price, cm.session.CustomerDetails])),
    }


def _subclass(spec: dict[str, Any]) -> type[Any]:
    """A user's subclass of a model class with the features ``spec`` asks for."""
    base = spec["base"]
    body: dict[str, Any] = {"__annotations__": {}}
    seen: list[object] = []
    if spec["extra"]:
        body["__annotations__"]["note"] = "str | None"

        def check(_: Any, __: Any, value: Any) -> None:
            if value == "forbidden":
                raise ValueError("no forbidden notes")

        body["note"] = attrs.field(default=None, validator=check if spec["validator"] else None)
    if spec["post_init"]:

        def __attrs_post_init__(self: Any) -> None:
            base.__attrs_post_init__(self)
            seen.append(self)

        body["__attrs_post_init__"] = __attrs_post_init__
    cls = type(f"My{base.__name__}", (base,), body)
    made = attrs.frozen(
        cls, kw_only=True, repr=False, cache_hash=spec["cache_hash"], slots=spec["slots"]
    )
    made.seen = seen  # type: ignore[attr-defined]
    return made


@given(subclass_specs(), st.data())
def test_any_user_subclass_is_built_as_its_init_would_build_it(
    spec: dict[str, Any], data: st.DataObject
) -> None:
    cls = _subclass(spec)
    payload = data.draw(strategies.model_payloads(spec["base"]))
    if spec["extra"]:
        payload = {**payload, "note": data.draw(st.sampled_from(["fine", "forbidden", None]))}
    if spec["extra"] and spec["validator"] and payload.get("note") == "forbidden":
        with pytest.raises(cattrs.ClassValidationError):
            cm.converter.structure(payload, cls)
        return
    obj = cm.converter.structure(payload, cls)
    assert type(obj) is cls
    assert payload == cm.converter.unstructure(obj)
    assert hash(obj) == hash(obj)
    if spec["post_init"]:
        assert obj in cls.seen
    # The model's own class is untouched by the subclass.
    plain = cm.converter.structure(payload, spec["base"])
    assert type(plain) is spec["base"]


def test_the_fast_construction_is_refused_exactly_where_attrs_must_run() -> None:
    assert _converter._twin_ok(cm.Session)
    assert _converter._twin_ok(cm.session.Address)
    for spec in (
        {"validator": True, "extra": True},
        {"post_init": True},
        {"cache_hash": True},
    ):
        full = {"validator": False, "post_init": False, "cache_hash": False, "extra": False}
        full |= spec
        assert not _converter._twin_ok(_subclass({**full, "slots": True, "base": cm.Price}))


def test_a_class_the_schema_cannot_describe_is_refused_when_its_hooks_are_built() -> None:
    @attrs.frozen(kw_only=True, repr=False)
    class Odd(cm.session.Address):
        when: set[int] | None = None

    with pytest.raises(TypeError, match=r"Odd.when: unsupported annotation"):
        cm.converter.structure({}, Odd)


# ------------------------------------------------------------------------------------------------
# Generated code: readable in tracebacks, named the same in every run


def _failing_frames(payload: dict[str, Any]) -> list[traceback.FrameSummary]:
    fn = _converter.structure_hook(cm.Session)
    try:
        fn(payload)
    except Exception as exc:
        return traceback.extract_tb(exc.__traceback__)
    raise AssertionError("no failure")


def test_generated_code_shows_its_source_in_tracebacks() -> None:
    frames = _failing_frames({"id": "cs_1", "customer_details": {"address": {"city": 5}}})
    generated = [f for f in frames if f.filename.startswith("<checkout_model generated")]
    assert len(generated) >= 3
    for frame in generated:
        assert frame.line  # the source line is there
        assert frame.filename in linecache.cache
    names = {f.filename for f in generated}
    address = "<checkout_model generated structure checkout_model.session.Address"
    assert any(name.startswith(address) for name in names), names


NAMES_OF_A_RUN = """
import json, linecache, sys
import checkout_model as cm
for p in sys.argv[1:]:
    data = json.loads(open(p).read())
    if data.get("object") == "checkout.session":
        for _ in range(3):
            cm.dump_session(cm.parse_session(data))
print(json.dumps(sorted(k for k in linecache.cache if k.startswith("<checkout_model"))))
"""


def test_generated_code_has_the_same_names_in_every_run() -> None:
    files = [str(p) for p in sorted(PAYLOADS.glob("*.json"))]
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", NAMES_OF_A_RUN, *files],
                capture_output=True,
                text=True,
                check=True,
                timeout=120,
            ).stdout
        )
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    assert len(runs[0]) > 20


def test_each_generated_function_has_globals_of_its_own() -> None:
    fn = _converter.structure_hook(cm.session.Address)
    other = _converter.structure_hook(cm.Price)
    assert fn.__globals__ is not other.__globals__
    assert cm.session.Address is fn.__globals__["cls"]


# ------------------------------------------------------------------------------------------------
# Values and copies: a field that is set is always written back


def _copies(session: cm.Session) -> Iterator[cm.Session]:
    yield session
    yield copy.copy(session)
    yield copy.deepcopy(session)
    yield pickle.loads(pickle.dumps(session))
    yield cm.Session.from_stripe(session.to_stripe())


@given(strategies.session_payloads(api_version="mixed"), st.data())
def test_evolve_keeps_every_field_it_sets(payload: dict[str, Any], data: st.DataObject) -> None:
    session = cm.parse_session(payload)
    absent = sorted(session.absent_fields - {"object"})
    if not absent:
        return
    name = data.draw(st.sampled_from(absent))
    field = next(f for f in schema(cm.Session).fields if f.name == name)
    value = _a_value(field.type.kind, field.type)
    if value is None:
        return
    changed = attrs.evolve(session, **{name: value})
    assert name not in changed.absent_fields
    for each in _copies(changed):
        dumped = cm.dump_session(each)
        assert name in dumped
        assert each == changed
    assert cm.dump_session(changed) == {**payload, name: cm.dump_session(changed)[name]}


def _a_value(kind: Kind, tp: Any) -> Any:
    """A valid Python value of a field's type (None where the test skips the kind)."""
    simple = {
        Kind.STR: "x",
        Kind.INT: 7,
        Kind.BOOL: True,
        Kind.NUMBER: 1.5,
        Kind.DECIMAL: Decimal("1.25"),
        Kind.TIMESTAMP: datetime(2026, 1, 2, tzinfo=UTC),
        Kind.EXPANDABLE: "an_id",
        Kind.LIST: (),
        Kind.MAP: cm.FrozenDict(),
    }
    if kind is Kind.ENUM:
        return next(iter(tp.cls))
    return simple.get(kind)


def test_evolve_on_a_2019_session_writes_the_new_field() -> None:
    session = cm.parse_session({"id": "cs_1"})
    changed = attrs.evolve(session, mode=cm.Mode.PAYMENT)
    assert "payment" == cm.dump_session(changed)["mode"]
    assert "payment" == pickle.loads(pickle.dumps(changed)).mode
    assert changed == cm.parse_session({"id": "cs_1", "mode": "payment"})


# ------------------------------------------------------------------------------------------------
# Nothing reachable from a parsed object can change; every parsed object hashes

_IMMUTABLE_LEAVES = (str, int, float, bool, type(None), datetime, Decimal)


def _reachable(value: Any, depth: int = 0) -> Iterator[Any]:
    yield value
    if isinstance(value, cm.StripeModel):
        for f in attrs.fields(type(value)):
            yield from _reachable(getattr(value, f.name), depth + 1)
    elif isinstance(value, cm.ExpandedResource):
        yield from _reachable(value.payload, depth + 1)
    elif isinstance(value, cm.FrozenDict):
        for item in value.values():
            yield from _reachable(item, depth + 1)
    elif isinstance(value, (tuple, frozenset)):
        for item in value:
            yield from _reachable(item, depth + 1)


@given(
    st.one_of(
        strategies.session_payloads(unknown_fields=True, unknown_enum_values=True),
        strategies.event_payloads(),
    )
)
def test_everything_reachable_is_immutable_and_the_object_hashes(payload: dict[str, Any]) -> None:
    obj: Any = cm.parse_event(payload) if payload.get("object") == "event" else None
    if obj is None:
        obj = cm.parse_session(payload)
    before = json.dumps(payload, sort_keys=True)
    for value in _reachable(obj):
        assert isinstance(
            value,
            (
                *_IMMUTABLE_LEAVES,
                cm.StripeModel,
                cm.ExpandedResource,
                cm.FrozenDict,
                tuple,
                frozenset,
            ),
        ), type(value)
    assert hash(obj) == hash(copy.deepcopy(obj))
    assert before == json.dumps(payload, sort_keys=True)


def test_raw_json_cannot_be_changed_through_any_door() -> None:
    payload = load("payment_expanded")
    payload["x"] = {"a": [1, {"b": [2]}]}
    payload["payment_intent"] = {"id": "pi_1", "object": "payment_intent", "charges": [{"a": 1}]}
    session = cm.parse_session(payload)
    with pytest.raises(AttributeError):
        session.unknown_fields["x"]["a"].append(2)  # type: ignore[call-overload,index,union-attr]
    with pytest.raises(TypeError):
        session.unknown_fields["x"]["a"] = 3  # type: ignore[index]
    assert isinstance(session.payment_intent, cm.PaymentIntent)
    with pytest.raises(TypeError):
        session.payment_intent.payload["amount"] = 1  # type: ignore[index]
    charges = session.payment_intent.get("charges")
    assert isinstance(charges, tuple)
    with pytest.raises(TypeError):
        charges[0]["a"] = 2
    assert payload == cm.dump_session(session)
    dumped = cm.dump_session(session)
    dumped["x"]["a"].append(99)
    assert payload == cm.dump_session(session)
    event = cm.parse_event(
        {
            "id": "evt_1",
            "object": "event",
            "type": "checkout.session.completed",
            "data": {"object": payload, "previous_attributes": {"custom_fields": [{"k": [1]}]}},
        }
    )
    assert isinstance(hash(event), int)
    previous = event.data.previous_attributes
    assert previous is not None
    assert [{"k": [1]}] == thaw(previous["custom_fields"])


# ------------------------------------------------------------------------------------------------
# Objects built by hand: a wrong type is a clear TypeError at construction


def test_hand_built_objects_with_wrong_types_are_refused_clearly() -> None:
    with pytest.raises(TypeError, match=r"Session.mode: expected a Mode member.*Mode.of"):
        cm.Session(id="cs_x", mode="payment")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"Session.created: expected an aware datetime"):
        cm.Session(id="cs_x", created=datetime(2026, 1, 1))
    with pytest.raises(TypeError, match=r"Session.amount_total: expected int, found str"):
        cm.Session(id="cs_x", amount_total="12")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"Session.metadata: expected a FrozenDict, found dict"):
        cm.Session(id="cs_x", metadata={"a": "b"})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"Session.custom_fields: expected a tuple, found list"):
        cm.Session(id="cs_x", custom_fields=[])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"Session.id: required, found None"):
        cm.Session(id=None)  # type: ignore[arg-type]
    fine = cm.Session(id="cs_x", mode=cm.Mode.of("barter"), metadata=cm.FrozenDict({"a": "b"}))
    assert {
        "id": "cs_x",
        "object": "checkout.session",
        "mode": "barter",
        "metadata": {"a": "b"},
    } == {k: v for k, v in cm.dump_session(fine).items() if v is not None}


@given(st.sampled_from(schema(cm.Session).fields), st.sampled_from([object(), [], {}, 1.5j]))
def test_any_wrong_type_in_any_field_is_a_type_error_naming_it(field: Any, wrong: object) -> None:
    with pytest.raises(TypeError, match=rf"Session\.{field.name}: "):
        cm.Session(**{"id": "cs_x", field.name: wrong})  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------
# cattrs composition


@attrs.frozen
class Customer:
    name: str
    history: list[cm.Session]
    latest: cm.Session | None = None
    events: dict[str, cm.Event] = attrs.Factory(dict)


def test_a_users_class_holding_sessions_round_trips_through_the_users_converter() -> None:
    mine = cattrs.Converter()
    cm.register_hooks(mine)
    payload = load("every_field")
    event = {
        "id": "evt_1",
        "object": "event",
        "type": "checkout.session.completed",
        "data": {"object": load("payment_link")},
    }
    raw = {"name": "Ada", "history": [payload, payload], "latest": None, "events": {"e": event}}
    customer = mine.structure(raw, Customer)
    assert type(customer.history[0]) is cm.Session
    assert type(customer.events["e"]) is cm.Event
    assert raw == mine.unstructure(customer)


def test_errors_inside_a_users_class_carry_the_full_path() -> None:
    good = load("every_field")
    bad = copy.deepcopy(good)
    bad["amount_total"] = "12"
    worse = copy.deepcopy(good)
    worse["line_items"]["data"][0]["price"]["unit_amount"] = True
    missing = copy.deepcopy(good)
    del missing["id"]
    raw = {"name": "Ada", "history": [good, bad, worse, missing]}
    with pytest.raises(cattrs.ClassValidationError) as info:
        cm.converter.structure(raw, Customer)
    assert [
        "invalid value for type, expected int @ $.history[1].amount_total",
        "invalid value for type, expected int @ $.history[2].line_items.data[0].price.unit_amount",
        "required field missing @ $.history[3].id",
    ] == cattrs.transform_error(info.value)


def test_strict_hooks_and_plain_converters() -> None:
    strict = cattrs.Converter()
    cm.register_hooks(strict, strict=True)
    with pytest.raises(cattrs.ClassValidationError) as info:
        strict.structure({**load("every_field"), "surprise": 1}, cm.Session)
    assert ["invalid value @ $.surprise"] == cattrs.transform_error(info.value)
    plain = cattrs.Converter(detailed_validation=False)
    cm.register_hooks(plain)
    with pytest.raises(cm.ParseError) as error:
        plain.structure([{"id": 1}], list[cm.Session])
    assert "$.id" == error.value.errors[0].path


# ------------------------------------------------------------------------------------------------
# The generator's check, and the package's import graph


def test_the_committed_model_is_what_the_generator_makes() -> None:
    root = Path(__file__).parent.parent
    done = subprocess.run(
        [sys.executable, str(root / "tools" / "generate_model.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert 0 == done.returncode, done.stderr


def test_the_generator_check_fails_on_a_changed_file_and_writes_nothing(tmp_path: Path) -> None:
    root = Path(__file__).parent.parent
    for name in ("enums.py", "session.py", "line_items.py"):
        (tmp_path / name).write_text((root / "src" / "checkout_model" / name).read_text())
    edited = (tmp_path / "session.py").read_text().replace("Checkout Session", "Checkout Sesion", 1)
    (tmp_path / "session.py").write_text(edited)
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(root / "tools")!r})
        import generate_model
        from pathlib import Path
        generate_model.PACKAGE = Path({str(tmp_path)!r})
        sys.exit(generate_model.main(["--check"]))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False
    )
    assert 1 == done.returncode
    assert "session.py differs" in done.stderr
    assert edited == (tmp_path / "session.py").read_text()


def _imports(path: Path) -> set[str]:
    """Modules of this package that ``path`` imports, anywhere in it (also under TYPE_CHECKING)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
    return found


def test_the_package_has_no_import_cycles() -> None:
    graph = {p.stem: _imports(p) for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            assert state.get(nxt) != 1, f"import cycle: {' -> '.join([*trail, node, nxt])}"
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])


def test_the_public_names_are_explicit_and_sorted() -> None:
    assert sorted(cm.__all__) == cm.__all__
    assert all(hasattr(cm, name) for name in cm.__all__)
    for name in ("parse_session", "register_hooks", "converter", "Session", "Unknown", "Mode"):
        assert name in cm.__all__
    assert "CustomerDetails" not in cm.__all__
    assert "CustomerDetails" in cm.session.__all__


def test_importing_the_package_leaves_stripe_and_hypothesis_unloaded() -> None:
    code = (
        "import sys, checkout_model as cm\n"
        "assert 'stripe' not in sys.modules, 'stripe'\n"
        "assert 'hypothesis' not in sys.modules, 'hypothesis'\n"
        "assert cm.SignatureVerificationError.__module__.startswith('stripe')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_a_cold_start_builds_only_what_the_payload_reaches() -> None:
    """Helpers for lists, maps and expanded objects, and nested classes' schemas, are made when a
    payload first reaches them, not for every field a session could hold."""
    code = (
        "import checkout_model as cm\n"
        "from checkout_model import _schema\n"
        "cm.parse_session({'id': 'cs_1', 'mode': 'payment', 'custom_fields': None})\n"
        "print(len(_schema._SCHEMAS))\n"
        "field = {'key': 'k', 'label': {'type': 'custom'}}\n"
        "cm.parse_session({'id': 'cs_2', 'custom_fields': [field]})\n"
        "print(len(_schema._SCHEMAS))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    first, second = map(int, done.stdout.split())
    assert first <= 2  # the session itself (and what its own annotations name)
    assert second > first  # a custom field's classes, once a payload holds one
