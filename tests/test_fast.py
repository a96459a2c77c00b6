"""The msgspec fast path (``checkout_model._fast``) agrees exactly with the converter.

Every case runs the fast path on JSON text and ``_converter.structure`` on the same text decoded
by ``json.loads`` (which keeps integers beyond 64 bits exact, as the fast path does). Either both
give equal objects (compared field by field with their types, and by their dumps) or the fast
path declines and the generic path's answer stands. ``mutation_cases`` is also run at scale by
hand (``python tests/test_fast.py 100000``).
"""

from __future__ import annotations

import contextlib
import json
import random
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import checkout_model as cm
from checkout_model import _converter, _fast, strategies
from checkout_model._base import EMPTY, FrozenDict
from checkout_model._schema import is_model
from checkout_model.events import Event
from checkout_model.session import AutomaticTax

PAYLOADS = Path(__file__).parent / "payloads"
Outcome = Any  # a Session, a ParseError, or None (declined)


def _sessions() -> dict[str, dict[str, Any]]:
    out = {}
    for path in sorted(PAYLOADS.glob("*.json")):
        data = json.loads(path.read_text())
        if isinstance(data, dict) and data.get("object") == "checkout.session":
            out[path.stem] = data
    return out


SESSIONS = _sessions()


@pytest.fixture(autouse=True)
def _fast_paths_restored() -> Iterator[None]:
    """Each test starts from the fast paths as they were: what one test teaches them (unknown
    keys met again and again, ``_fast.learn``) does not change what the next one sees."""
    saved = dict(_fast._ROOTS)
    states = [(root, root.decode, root.declines) for root in saved.values() if root is not None]
    yield
    _fast._ROOTS.clear()
    _fast._ROOTS.update(saved)
    for root, decode, declines in states:
        root.decode, root.declines = decode, declines


def same(a: Any, b: Any) -> bool:
    """Equal, with the same types all the way down (``True`` is not ``1``, ``1.0`` is not ``1``)."""
    if type(a) is not type(b):
        return False
    if is_model(type(a)):
        if (a._unknown is EMPTY) != (b._unknown is EMPTY):
            return False
        return all(same(getattr(a, f.name), getattr(b, f.name)) for f in attrs.fields(type(a)))
    if isinstance(a, FrozenDict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, frozenset):
        return bool(a == b)
    if attrs.has(type(a)):  # an expanded reference
        return all(same(getattr(a, f.name), getattr(b, f.name)) for f in attrs.fields(type(a)))
    return bool(a == b)


def in_threads(work: Callable[[int], None], count: int = 8) -> None:
    """Run ``work(0)`` ... ``work(count - 1)`` in threads that start together; wait for all."""
    barrier = threading.Barrier(count)

    def start(index: int) -> None:
        barrier.wait()
        work(index)

    threads = [threading.Thread(target=start, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def generic(raw: bytes, strict: bool) -> Outcome:
    try:
        return _converter.structure(json.loads(raw), cm.Session, strict)
    except cm.ParseError as exc:
        return exc


def fast_only(raw: bytes, strict: bool) -> Outcome:
    """What the fast path alone answers: an object, or None when it declines."""
    root = _fast.prepare(cm.Session, strict)
    assert root is not None
    return root.answer(raw)


def via_parse(raw: bytes, strict: bool) -> Outcome:
    """What ``parse_session`` answers: the fast path, else orjson and the converter."""
    try:
        return cm.parse_session(raw, strict)
    except cm.ParseError as exc:
        return exc


def check(raw: bytes, strict: bool) -> str | None:
    """None when the fast path and the converter agree on ``raw``; else what differs."""
    expected = generic(raw, strict)
    answered = fast_only(raw, strict)
    if answered is not None:
        if isinstance(expected, cm.ParseError):
            return f"fast path answered, converter said {expected}"
        if not (answered == expected and same(answered, expected)):
            return "objects differ"
        dumped = json.dumps(cm.dump_session(answered), sort_keys=True)
        if dumped != json.dumps(cm.dump_session(expected), sort_keys=True):
            return "dumps differ"
    final = via_parse(raw, strict)
    if isinstance(expected, cm.ParseError):
        if not isinstance(final, cm.ParseError) or final.errors != expected.errors:
            return f"errors differ: {final!r} vs {expected}"
        return None
    if not (final == expected and same(final, expected)):
        return "parse() differs"
    return None


# ------------------------------------------------------------------------------------------------
# Mutated real payloads

WRONG: list[Any] = [None, True, 0, -1, 1.5, "x", "", [], {}, [1], {"k": 1}, 2**70, -(2**64)]


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _mutate(data: Any, path: tuple[Any, ...], rng: random.Random) -> Any:
    """A copy of ``data`` with one change at ``path``."""
    data = json.loads(json.dumps(data))
    if not path:
        data[f"zz_unknown_{rng.randrange(3)}"] = rng.choice(WRONG)
        return data
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    current = parent[last]
    roll = rng.randrange(10)
    if roll == 0 and isinstance(parent, dict):
        del parent[last]
    elif roll == 1:
        parent[last] = None
    elif roll == 2 and isinstance(current, str):
        parent[last] = "zz_unknown_value"  # an unknown enum value where the field is an enum
    elif roll == 3 and isinstance(current, dict):
        current["zz_unknown_field"] = rng.choice(WRONG)
    elif roll == 4 and isinstance(current, int) and not isinstance(current, bool):
        parent[last] = rng.choice([2**63, 2**64, 2**70, -(2**70), 253402214400, -1, 0])
    elif roll == 5 and isinstance(current, dict) and current:
        del current[rng.choice(list(current))]
    elif roll == 6 and isinstance(current, list) and current:
        current.append(rng.choice(current))
    else:
        parent[last] = rng.choice(WRONG)
    return data


def mutation_cases(count: int, seed: int = 13) -> Iterator[tuple[str, bytes, bool]]:
    """``count`` mutated payloads (name, JSON text, strict), every path of every payload in turn."""
    rng = random.Random(seed)
    every = [(name, data, path) for name, data in SESSIONS.items() for path in _paths(data)]
    made = 0
    while made < count:
        name, data, path = every[made % len(every)]
        raw = json.dumps(_mutate(data, path, rng)).encode()
        yield name, raw, made % 2 == 1
        made += 1


def run(count: int) -> tuple[int, int, list[str]]:
    """Cases run, cases the fast path answered itself, and every mismatch found."""
    answered = 0
    problems = []
    for name, raw, strict in mutation_cases(count):
        if fast_only(raw, strict) is not None:
            answered += 1
        problem = check(raw, strict)
        if problem is not None:
            problems.append(f"{name} strict={strict}: {problem}: {raw[:200]!r}")
    return count, answered, problems


def test_real_payloads_take_the_fast_path_and_agree() -> None:
    for name, data in SESSIONS.items():
        raw = json.dumps(data).encode()
        for strict in (False, True):
            assert check(raw, strict) is None, name
            if name != "unknown_fields":
                assert fast_only(raw, strict) is not None, name


def test_mutated_payloads_agree() -> None:
    count, answered, problems = run(3000)
    assert problems == []
    assert answered > count // 4  # the mutations do not all send it to the generic path


# ------------------------------------------------------------------------------------------------
# Generated payloads


@pytest.mark.parametrize(
    ("unknown_fields", "unknown_enum_values"), [(False, False), (False, True), (True, True)]
)
def test_generated_payloads_agree(unknown_fields: bool, unknown_enum_values: bool) -> None:
    @given(
        strategies.session_payloads(
            unknown_fields=unknown_fields, unknown_enum_values=unknown_enum_values
        )
    )
    def agree(payload: dict[str, Any]) -> None:
        raw = json.dumps(payload).encode()
        for strict in (False, True):
            assert check(raw, strict) is None
        if not unknown_fields and not unknown_enum_values:
            assert fast_only(raw, True) is not None

    agree()


def _event_outcome(raw: bytes, strict: bool, fast: bool) -> Any:
    try:
        if fast:
            root = _fast.prepare(Event, strict)
            assert root is not None
            return root.answer(raw)
        return cm.parse_event(json.loads(raw), strict)  # a dict: never the fast path
    except cm.ParseError as exc:
        return exc.errors


@pytest.mark.parametrize("unknown", [False, True])
def test_generated_events_agree(unknown: bool) -> None:
    """Events take the fast path too (``parse_event`` of text): same objects as the converter,
    and an event of a type it does not support is left to the converter, which refuses it."""

    @given(strategies.event_payloads(unknown_fields=unknown, unknown_enum_values=unknown))
    def agree(payload: dict[str, Any]) -> None:
        for strict in (False, True):
            raw = json.dumps(payload).encode()
            expected = _event_outcome(raw, strict, fast=False)
            answered = _event_outcome(raw, strict, fast=True)
            if answered is not None:
                assert isinstance(answered, Event)
                assert answered == expected
                assert repr(answered) == repr(expected)
                assert cm.dump_event(answered) == cm.dump_event(expected)
            elif not unknown:
                raise AssertionError("the fast path declined a known event")
            parsed = _event_outcome(raw, strict, fast=False)
            via_text = cm.parse_event(raw, strict) if isinstance(parsed, Event) else None
            assert via_text is None or via_text == parsed
            other = json.dumps({**payload, "type": "invoice.paid"}).encode()
            with pytest.raises(cm.UnsupportedEventType):
                cm.parse_event(other, strict)

    agree()


# ------------------------------------------------------------------------------------------------
# Behaviour of the entry point


def test_parse_session_answers_from_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = json.dumps(SESSIONS["setup"]).encode()
    expected = cm.parse_session(SESSIONS["setup"])
    root = _fast.prepare(cm.Session, False)
    assert root is not None
    monkeypatch.setattr(root, "declines", 0)  # not in a run of declined payloads

    def refuse(*args: object) -> None:
        raise AssertionError("the generic path was used")

    monkeypatch.setattr(_converter, "structure", refuse)
    assert expected == cm.parse_session(raw)
    assert expected == cm.parse_session(raw.decode())


def test_unknown_fields_fall_back_and_are_kept() -> None:
    raw = json.dumps({**SESSIONS["setup"], "zz_new": {"a": [1, 2]}}).encode()
    assert fast_only(raw, False) is None
    session = cm.parse_session(raw)
    assert FrozenDict({"zz_new": FrozenDict({"a": (1, 2)})}) == session.unknown_fields
    with pytest.raises(cm.ParseError, match="unknown field"):
        cm.parse_session(raw, strict=True)


def test_unknown_enum_values_are_kept_without_leaving_the_fast_path() -> None:
    raw = json.dumps({**SESSIONS["setup"], "mode": "installments"}).encode()
    session = fast_only(raw, False)
    assert isinstance(session, cm.Session)
    assert isinstance(session.mode, cm.Unknown)
    assert "installments" == session.mode
    assert fast_only(raw, True) is None
    with pytest.raises(cm.ParseError, match="unknown Mode value"):
        cm.parse_session(raw, strict=True)


def test_enums_answer_unknown_values_only_inside_a_lenient_decode() -> None:
    """msgspec asks an enum for values it lacks (``_missing_``): the answer is an Unknown value
    only while this thread's fast path decodes leniently, never in a user's ``Mode(...)``, in
    another thread, or after a decode that failed."""
    import threading

    root = _fast.prepare(cm.Session, False)
    assert root is not None
    unknown_mode = json.dumps({**SESSIONS["setup"], "mode": "installments"}).encode()
    broken = json.dumps({**SESSIONS["setup"], "mode": "installments", "amount_total": "x"})
    assert root.lenient is not None
    with pytest.raises(Exception):  # noqa: B017, PT011 - msgspec's own error
        root.lenient(broken.encode())
    seen: list[object] = []
    for _ in range(2):
        with pytest.raises(ValueError, match="not a valid Mode"):
            cm.Mode("installments")
        assert isinstance(root.answer(unknown_mode).mode, cm.Unknown)

    def other_thread() -> None:
        try:
            cm.Mode("installments")
        except ValueError as exc:
            seen.append(exc)

    from checkout_model._base import LENIENT_DECODE

    LENIENT_DECODE.on = True  # as inside a decode in this thread: other threads are unaffected
    try:
        worker = threading.Thread(target=other_thread)
        worker.start()
        worker.join()
        assert isinstance(cm.Mode._missing_("installments"), cm.Unknown)
    finally:
        LENIENT_DECODE.on = False
    assert 1 == len(seen)


def test_a_lenient_root_turns_to_unknown_values_once_a_payload_needs_them() -> None:
    """Decoding with the enum flag set costs more: a lenient root decodes without it until a
    payload carries a value an enum lacks, and with it from then on (a remade root too)."""
    root = _fast._ROOTS[cm.Session, False] = _fast._make(cm.Session, False, {})  # as made
    assert root is not None
    assert root.lenient is not None
    strict = _fast.prepare(cm.Session, True)
    assert strict is not None
    assert strict.lenient is None
    known = json.dumps(SESSIONS["setup"]).encode()
    unknown_key = json.dumps({**SESSIONS["setup"], "zz_new": 1}).encode()
    unknown_mode = json.dumps({**SESSIONS["setup"], "mode": "installments"}).encode()
    plain = root.decode
    assert plain is not root.lenient
    assert same(generic(known, False), cm.parse_session(known))
    assert root.answer(unknown_key) is None  # no enum value in question: still plain
    assert root.decode is plain
    session = cm.parse_session(unknown_mode)
    assert same(generic(unknown_mode, False), session)
    assert isinstance(session.mode, cm.Unknown)
    assert root.decode is root.lenient
    assert 0 == root.declines
    assert same(generic(known, False), cm.parse_session(known))
    # A root made again with learned keys starts where this one stands.
    for n in range(_fast._LEARN_AFTER * 2):
        cm.parse_session(json.dumps({**SESSIONS["setup"], "zz_learned": n}).encode())
    remade = _fast._ROOTS[cm.Session, False]
    assert remade is not None
    assert remade is not root
    assert remade.decode is remade.lenient


@pytest.mark.parametrize("extra", [{}, {"zz_new": 1}])
def test_integers_beyond_64_bits_stay_exact(extra: dict[str, Any]) -> None:
    raw = json.dumps({**SESSIONS["setup"], "amount_total": 2**70, **extra}).encode()
    _fast.prepare(cm.Session, False)
    assert 2**70 == cm.parse_session(raw).amount_total
    assert 2**70 == cm.dump_session(cm.parse_session(raw))["amount_total"]


def test_absent_records_are_shared_with_the_converter() -> None:
    raw = json.dumps(SESSIONS["v2019_minimal"]).encode()
    answered = fast_only(raw, False)
    assert answered is not None
    expected = generic(raw, False)
    assert answered._absent
    assert answered._absent is expected._absent


@contextlib.contextmanager
def no_code_per_set() -> Iterator[_fast._Mirror]:
    """The Session mirror with no build code per set of absent fields yet, and no set of
    absent fields met yet (restored after)."""
    root = _fast.prepare(cm.Session, False)
    assert root is not None
    mirror = root.mirrors[cm.Session]
    by_count, others, learned = dict(mirror.by_count), dict(mirror.others), set(mirror.learned)
    masks = dict(mirror.masks)
    for table in (mirror.by_count, mirror.others, mirror.learned, mirror.masks):
        table.clear()
    try:
        yield mirror
    finally:
        mirror.by_count.clear()
        mirror.by_count.update(by_count)
        mirror.others.clear()
        mirror.others.update(others)
        mirror.learned.clear()
        mirror.learned.update(learned)
        mirror.masks.clear()
        mirror.masks.update(masks)


@pytest.mark.parametrize("sparse", [False, True])
def test_code_per_set_of_absent_fields_answers_only_for_its_set(
    monkeypatch: pytest.MonkeyPatch, sparse: bool
) -> None:
    """A large class gets build code per set of absent fields, found by how many are absent:
    each function answers for exactly its set, and another set with as many absent fields
    gets a function of its own, tried once the first declines. Sets of few absent fields are
    checked field by field, sets of many by the fields they expect present (``sparse``)."""
    monkeypatch.setattr(_fast, "_MAX_SPECIAL", 64)
    with no_code_per_set() as mirror:
        base = SESSIONS["setup"]
        if sparse:  # an old payload's shape: two optional keys besides id and object
            one = {k: base[k] for k in ("id", "object", "cancel_url", "locale")}
            other = {k: base[k] for k in ("id", "object", "currency", "customer_email")}
        else:
            one = {k: v for k, v in base.items() if k not in ("cancel_url", "locale")}
            other = {k: v for k, v in base.items() if k not in ("currency", "customer_email")}
        expected = {id(d): generic(json.dumps(d).encode(), False) for d in (one, other)}
        assert expected[id(one)].absent_fields != expected[id(other)].absent_fields
        assert len(expected[id(one)].absent_fields) == len(expected[id(other)].absent_fields)
        answers: list[tuple[str, bool]] = []

        def counted(name: str, fn: Any) -> Any:
            def call(*values: Any) -> Any:
                made = fn(*values)
                answers.append((name, made is not None))
                return made

            call.__wrapped__ = fn  # type: ignore[attr-defined]
            return call

        def wrap_new() -> None:
            for count, fn in list(mirror.by_count.items()):
                if not hasattr(fn, "__wrapped__"):
                    mirror.by_count[count] = counted("first", fn)
            for count, fns in list(mirror.others.items()):
                mirror.others[count] = tuple(
                    f if hasattr(f, "__wrapped__") else counted("second", f) for f in fns
                )

        for data in (one, one, other, other, one):
            answered = fast_only(json.dumps(data).encode(), False)
            assert same(answered, expected[id(data)])  # the absent fields included
            wrap_new()
        # Each set's first parse runs the generic code, which makes the set's function.
        first, second = ("first", True), ("second", True)
        missed = ("first", False)
        assert [first, missed, missed, second, first] == answers
        assert 1 == len(mirror.by_count)
        assert [1] == [len(fns) for fns in mirror.others.values()]


@pytest.mark.parametrize(("functions", "looked_at"), [(3, 4096), (64, 2)])
def test_code_per_set_of_absent_fields_is_bounded(
    monkeypatch: pytest.MonkeyPatch, functions: int, looked_at: int
) -> None:
    """Sets of absent fields beyond the bounds are built by the generic code, correctly: at
    most ``_MAX_SPECIAL`` functions are made, and at most ``_MAX_MASKS`` sets looked at."""
    monkeypatch.setattr(_fast, "_MAX_SPECIAL", functions)
    monkeypatch.setattr(_fast, "_MAX_MASKS", looked_at)
    with no_code_per_set() as mirror:
        base = SESSIONS["setup"]
        optional = [k for k in base if k not in ("id", "object")]
        for first in range(6):  # six sets, each of two absent fields
            data = {k: v for k, v in base.items() if k not in optional[first : first + 2]}
            raw = json.dumps(data).encode()
            for _ in range(2):
                assert same(generic(raw, False), fast_only(raw, False))
        made = len(mirror.by_count) + sum(map(len, mirror.others.values()))
        assert min(functions, looked_at) == made
        assert min(functions, looked_at) == len(mirror.learned)


def test_threads_making_code_per_set_of_absent_fields_agree() -> None:
    """Threads that meet new sets of absent fields at once make their code under the lock and
    all get the converter's objects."""
    with no_code_per_set() as mirror:
        base = SESSIONS["setup"]
        optional = [k for k in base if k not in ("id", "object")][:12]
        cases = []
        for n in range(1, 7):
            data = {k: v for k, v in base.items() if k not in optional[:n]}
            raw = json.dumps(data).encode()
            cases.append((raw, generic(raw, False)))
        problems: list[str] = []

        def work(offset: int) -> None:
            for turn in range(30):
                raw, expected = cases[(offset + turn) % len(cases)]
                answered = fast_only(raw, False)
                if answered is None or not same(answered, expected):
                    problems.append(f"thread {offset}, turn {turn}")

        in_threads(work)
        assert [] == problems
        assert len(cases) <= len(mirror.by_count)  # each set got its code (one count per set)


def _price_chain(hops: int) -> dict[str, Any]:
    """A price whose product's default price's product ... is expanded ``hops`` times."""
    top: dict[str, Any] = {"id": "price_0", "object": "price"}
    current = top
    for hop in range(hops):
        if current["object"] == "price":
            current["product"] = current = {"id": f"prod_{hop}", "object": "product"}
        else:
            current["default_price"] = current = {"id": f"price_{hop}", "object": "price"}
    if current["object"] == "product":
        current["tax_code"] = {"id": "txcd_1", "object": "tax_code"}
    return top


@pytest.mark.parametrize("hops", [_converter.MAX_EXPANSION - 1, _converter.MAX_EXPANSION + 1])
def test_expansion_depth_limit_agrees(hops: int) -> None:
    item = {"id": "li_1", "object": "item", "price": _price_chain(hops)}
    line_items = {"object": "list", "data": [item], "has_more": False, "url": "/v1/x"}
    raw = json.dumps({**SESSIONS["setup"], "line_items": line_items}).encode()
    assert check(raw, False) is None
    assert (fast_only(raw, False) is None) == (hops > _converter.MAX_EXPANSION)


def test_what_the_fast_path_declines_is_left_to_the_caller() -> None:
    _fast.prepare(cm.Session)
    assert _fast.parse(b"{", cm.Session) is None
    assert _fast.parse(b"[]", cm.Session) is None
    assert _fast.parse({"id": "cs_1"}, cm.Session) is None
    assert _fast.parse(json.dumps({**SESSIONS["setup"], "zz": 1}), cm.Session) is None
    with pytest.raises(cm.ParseError, match="invalid JSON"):
        cm.parse_session(b"{")


def test_the_fast_path_is_made_after_repeated_parses(monkeypatch: pytest.MonkeyPatch) -> None:
    key = (cm.Session, True)
    monkeypatch.setattr(_fast, "_BUILD_AFTER", 2)
    monkeypatch.setitem(_fast._CALLS, key, 0)
    monkeypatch.delitem(_fast._ROOTS, key, raising=False)
    raw = json.dumps(SESSIONS["setup"]).encode()
    cm.parse_session(raw, strict=True)
    assert key not in _fast._ROOTS
    cm.parse_session(raw, strict=True)
    assert _fast._ROOTS[key] is not None


def test_a_run_of_declines_only_probes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_fast, "_MAX_REBUILDS", 0)  # the same unknown key: never learned here
    root = _fast.prepare(cm.Session, False)
    assert root is not None
    tries: list[object] = []
    decode = root.decode

    def counting(data: object) -> Any:
        tries.append(data)
        return decode(data)

    monkeypatch.setattr(root, "decode", counting)
    monkeypatch.setattr(root, "declines", 0)
    unknown = json.dumps({**SESSIONS["setup"], "zz_new": 1}).encode()
    known = json.dumps(SESSIONS["setup"]).encode()
    expected = _converter.structure(json.loads(unknown), cm.Session)
    for _ in range(3 * _fast._PROBE_EVERY):
        assert same(expected, cm.parse_session(unknown))
    # Two declines in a row, then probes at the 2nd, 4th, ... 64th payload, then one in 64.
    probes = [n for n in range(_fast._SKIP_AFTER, 3 * 64) if _fast._probe(n)]
    assert [2, 4, 8, 16, 32, 64, 128] == probes
    assert _fast._SKIP_AFTER + len(probes) == len(tries)
    assert 3 * _fast._PROBE_EVERY == root.declines
    # A probe that is answered ends the run: the next payloads take the fast path again.
    assert same(_converter.structure(json.loads(known), cm.Session), cm.parse_session(known))
    assert 0 == root.declines
    del tries[:]
    assert same(expected, cm.parse_session(unknown))
    assert 1 == len(tries)


# ------------------------------------------------------------------------------------------------
# Unknown keys met again and again are learned


def _with_new_keys(base: dict[str, Any], **values: Any) -> dict[str, Any]:
    """``base`` with unknown keys: ``zz_top`` on the session, ``zz_tax`` in ``automatic_tax``."""
    data = dict(base)
    if "zz_top" in values:
        data["zz_top"] = values["zz_top"]
    if "zz_tax" in values:
        data["automatic_tax"] = {**data["automatic_tax"], "zz_tax": values["zz_tax"]}
    return data


def test_unknown_keys_met_again_and_again_take_the_fast_path() -> None:
    """When Stripe adds a field, every payload carries it: after a few payloads the fast path
    decodes the new keys too, and keeps them as unknown fields exactly as the converter does."""
    _fast._ROOTS.clear()  # a fast path that learned nothing yet (restored after the test)
    base = SESSIONS["setup"]
    first = json.dumps(_with_new_keys(base, zz_top={"a": [1, None]}, zz_tax="x")).encode()
    assert fast_only(first, False) is None
    for turn in range(_fast._LEARN_AFTER + 1):  # declined, learned at the 1st, 2nd, 4th
        data = _with_new_keys(base, zz_top=turn, zz_tax=None)
        assert same(
            cm.parse_session(json.dumps(data).encode()), generic(json.dumps(data).encode(), False)
        )
    root = _fast._ROOTS[(cm.Session, False)]
    assert root is not None
    assert ("zz_top",) == root.extras[cm.Session]
    assert ("zz_tax",) == root.extras[AutomaticTax]
    answered = fast_only(first, False)
    assert answered is not None
    assert same(answered, generic(first, False))
    assert {"zz_top": FrozenDict({"a": (1, None)})} == answered.unknown_fields
    assert {"zz_tax": "x"} == answered.automatic_tax.unknown_fields
    assert check(first, False) is None
    # Strict mode refuses unknown keys, and its fast path never learns them.
    strict_root = _fast.prepare(cm.Session, True)
    for _ in range(4):
        with pytest.raises(cm.ParseError, match="unknown field"):
            cm.parse_session(first, strict=True)
    assert strict_root is _fast._ROOTS[(cm.Session, True)]
    assert strict_root is not None
    assert not strict_root.extras


def _learn(*payloads: dict[str, Any]) -> _fast._Root:
    """The lenient Session fast path after it has met ``payloads``, in turn, in a run."""
    root = _fast.prepare(cm.Session, False)
    assert root is not None
    root.declines = 0  # as after an answered payload: a run of declines starts afresh
    root.lessons = 0  # and as after a remake: the next declined payloads are looked through
    for _ in range(4):
        for data in payloads:
            cm.parse_session(json.dumps(data).encode())
    root = _fast._ROOTS[(cm.Session, False)]
    assert root is not None
    return root


_TEXT = st.text(st.characters(codec="utf-8"))  # no lone surrogate: valid JSON text
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=8,
)


@given(top=_JSON, tax=_JSON, drop=st.sets(st.sampled_from(sorted(SESSIONS["setup"])[:20])))
def test_learned_keys_agree_with_the_converter_whatever_they_hold(
    top: Any, tax: Any, drop: set[str]
) -> None:
    """Any JSON in a learned key (big integers, floats, nested values), with or without
    other fields absent (the per-set build code of ``Session``): the converter's objects."""
    base = SESSIONS["setup"]
    root = _fast.prepare(cm.Session, False)
    assert root is not None
    if "zz_top" not in root.extras.get(cm.Session, ()):
        _learn(_with_new_keys(base, zz_top=1, zz_tax=1))
    data = {k: v for k, v in _with_new_keys(base, zz_top=top, zz_tax=tax).items() if k not in drop}
    for sample in (data, {k: v for k, v in data.items() if k != "zz_top"}):
        raw = json.dumps(sample).encode()
        assert check(raw, False) is None
        if "automatic_tax" in sample:
            assert fast_only(raw, False) is not None


@given(
    key=st.text(st.characters(codec="utf-8"), max_size=6)
    | st.sampled_from(["", "\x00", 'a"b', "a\\b", "\x1f", "\x7f", "f0", "x0", "__init__"])
)
def test_any_unknown_key_is_kept_whether_or_not_it_can_be_learned(key: str) -> None:
    """Any key a payload can carry: the converter's unknown fields, and no other error, before
    and after the fast path has met it again and again (msgspec cannot decode some keys, those
    with control characters, quotes or backslashes, into a field: those are never learned)."""
    base = SESSIONS["setup"]
    if key in base:
        return
    _fast._ROOTS.clear()
    _fast.prepare(cm.Session, False)
    raw = json.dumps({**base, key: [key]}).encode()
    expected = generic(raw, False)
    assert not isinstance(expected, cm.ParseError)
    for _ in range(_fast._LEARN_AFTER + 2):
        assert same(cm.parse_session(raw), expected)
    root = _fast._ROOTS[(cm.Session, False)]
    assert root is not None
    learnable = not any(c in key for c in '"\\') and all(ord(c) >= 32 for c in key)
    assert (key in root.extras.get(cm.Session, ())) == learnable
    assert root.rebuilds == int(learnable)
    assert check(raw, False) is None


def test_two_learned_keys_in_one_object_are_left_to_the_converter() -> None:
    """The converter keeps unknown keys in the payload's order, which the fast path cannot
    see: an object carrying two learned keys is declined, one carrying one is answered."""
    _fast._ROOTS.clear()
    base = SESSIONS["setup"]
    root = _learn({**base, "zz_a": 1, "zz_b": [2]})
    assert {"zz_a", "zz_b"} == set(root.extras[cm.Session])
    both = ({**base, "zz_a": 1, "zz_b": [2]}, {**base, "zz_b": [2], "zz_a": 1})
    for data in both:
        raw = json.dumps(data).encode()
        assert fast_only(raw, False) is None
        assert check(raw, False) is None
    assert ["zz_b", "zz_a"] == list(cm.parse_session(json.dumps(both[1])).unknown_fields)
    for data in ({**base, "zz_a": 1}, {**base, "zz_b": [2]}):
        raw = json.dumps(data).encode()
        assert fast_only(raw, False) is not None
        assert check(raw, False) is None


def test_learning_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys met once are only counted (in a table of bounded size), and the fast path is made
    again at most ``_MAX_REBUILDS`` times."""
    monkeypatch.setattr(_fast, "_MAX_SIGHTINGS", 8)
    monkeypatch.setattr(_fast, "_MAX_REBUILDS", 2)
    _fast._ROOTS.clear()
    base = SESSIONS["setup"]
    _fast.prepare(cm.Session, False)
    for n in range(40):
        cm.parse_session(json.dumps({**base, f"zz_{n}": n}).encode())
    root = _fast._ROOTS[(cm.Session, False)]
    assert root is not None
    assert not root.extras
    assert 0 < len(root.sightings) <= 8
    for key in ("zz_p", "zz_q", "zz_r"):
        root = _learn({**base, key: 1})
    assert 2 == root.rebuilds
    assert ("zz_p", "zz_q") == root.extras[cm.Session]
    assert fast_only(json.dumps({**base, "zz_r": 1}).encode(), False) is None


def test_declined_payloads_are_looked_through_ever_more_rarely(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Looking through a parsed object for unknown keys costs about half a generic parse: in a
    stream where payloads with keys met once alternate with answered ones, it is done at the
    1st, 2nd, 4th, ... declined payload, so keys met once cost little."""
    _fast._ROOTS.clear()
    _fast.prepare(cm.Session, False)
    looks: list[object] = []
    look = _fast._unknown_keys

    def counted(parsed: Any, mirrors: Any) -> Any:
        looks.append(parsed)
        return look(parsed, mirrors)

    monkeypatch.setattr(_fast, "_unknown_keys", counted)
    base = SESSIONS["setup"]
    known = json.dumps(base).encode()
    for n in range(100):
        once = cm.parse_session(json.dumps({**base, f"zz_once_{n}": n}).encode())
        assert {f"zz_once_{n}": n} == once.unknown_fields
        assert fast_only(known, False) is not None
        cm.parse_session(known)  # answered: the run of declines ends
    assert 7 == len(looks)  # the 1st, 2nd, 4th, 8th, 16th, 32nd and 64th
    root = _fast._ROOTS[(cm.Session, False)]
    assert root is not None
    assert not root.extras


def test_threads_learning_at_once_agree() -> None:
    """Threads that meet the same new keys at once make the fast path again once, under the
    lock, and every payload gets the converter's object."""
    _fast._ROOTS.clear()
    base = SESSIONS["setup"]
    _fast.prepare(cm.Session, False)
    cases = []
    for n in range(6):
        data = _with_new_keys(base, zz_top=[n], zz_tax={"n": n})
        cases.append((json.dumps(data).encode(), generic(json.dumps(data).encode(), False)))
    problems: list[str] = []

    def work(offset: int) -> None:
        for turn in range(40):
            raw, expected = cases[(offset + turn) % len(cases)]
            if not same(cm.parse_session(raw), expected):
                problems.append(f"thread {offset}, turn {turn}")

    in_threads(work)
    assert [] == problems
    root = _fast._ROOTS[(cm.Session, False)]
    assert root is not None
    # Both keys learned: at once, or one after the other if a thread's count was lost in a race.
    assert 1 <= root.rebuilds <= 2
    assert ("zz_top",) == root.extras[cm.Session]
    assert all(fast_only(raw, False) is not None for raw, _ in cases)


def test_threads_learning_while_the_count_starts_again_agree(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Threads count unknown keys without the lock while one of them makes the fast path
    again: with a small count table that keeps starting again, thread switches every few
    microseconds and many remakes, every parse still answers the converter's object."""
    monkeypatch.setattr(_fast, "_MAX_SIGHTINGS", 8)
    monkeypatch.setattr(_fast, "_MAX_REBUILDS", 1000)
    monkeypatch.setattr(_fast, "_MAX_EXTRAS", 1000)
    monkeypatch.setattr(_fast, "_LEARN_AFTER", 2)
    _fast._ROOTS.clear()
    _fast.prepare(cm.Session, False)
    base = SESSIONS["setup"]
    cases = []
    for n in range(10):
        data = {**base, **{f"zz_{n % 5}_{j}_{n // 5}": j for j in range(2)}}
        cases.append((json.dumps(data).encode(), generic(json.dumps(data).encode(), False)))
    problems: list[str] = []

    def work(offset: int) -> None:
        for turn in range(150):
            raw, expected = cases[(offset * 3 + turn) % len(cases)]
            try:
                if not same(cm.parse_session(raw), expected):
                    problems.append(f"thread {offset}, turn {turn}: differs")
            except Exception as exc:  # anything escaping is the failure
                problems.append(f"thread {offset}, turn {turn}: {exc!r}")
            root = _fast._ROOTS[(cm.Session, False)]
            if root is not None:
                root.declines = 1  # keep learning: the next decline is a lesson

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        in_threads(work)
    finally:
        sys.setswitchinterval(interval)
    assert [] == problems
    root = _fast._ROOTS[(cm.Session, False)]
    assert root is not None
    assert root.rebuilds >= 1


def test_events_learn_the_keys_of_their_session() -> None:
    payload = {
        "id": "evt_1",
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": 1_761_650_000,
        "data": {"object": {**SESSIONS["setup"], "zz_top": {"x": 1}}},
        "livemode": False,
        "pending_webhooks": 0,
        "request": {"id": None, "idempotency_key": None},
        "type": "checkout.session.completed",
    }
    raw = json.dumps(payload).encode()
    _fast._ROOTS.clear()
    _fast.prepare(Event, False)
    for _ in range(4):
        assert {"zz_top": {"x": 1}} == cm.parse_event(raw).data.object.unknown_fields
    assert _event_outcome(raw, False, fast=True) == _event_outcome(raw, False, fast=False)
    assert _event_outcome(raw, False, fast=True) is not None


if __name__ == "__main__":
    total, fast, found = run(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
    print(f"{total} mutated payloads, {fast} answered by the fast path, {len(found)} mismatches")
    for line in found[:20]:
        print(line)
