"""The converter's code made per key set agrees with its generic code, also past its limits."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

import checkout_model as cm
from checkout_model import _converter
from checkout_model.errors import _Invalid

PAYLOADS = sorted((Path(__file__).parent / "payloads").glob("*.json"))


def _sessions() -> list[dict[str, Any]]:
    out = []
    for path in PAYLOADS:
        data = json.loads(path.read_text())
        if data.get("object") == "checkout.session":
            out.append(data)
    return out


class _Fresh:
    """A converter with nothing compiled yet (its own caches), as at a cold start."""

    def __init__(self, strict: bool) -> None:
        self.parse = _converter._Structurer(strict)
        self.dump = _converter._Unstructurer()

    def structure(self, data: Any, cls: type[Any]) -> Any:
        return self.parse.function(cls)(data)

    def unstructure(self, obj: Any) -> Any:
        return self.dump.function(type(obj))(obj)


def _outcome(conv: _Fresh, data: dict[str, Any]) -> tuple[Any, ...]:
    try:
        session = conv.structure(data, cm.Session)
    except _Invalid as exc:
        return ("invalid", exc.detail())
    return ("ok", session, conv.unstructure(session))


def _bad(data: dict[str, Any]) -> dict[str, Any]:
    """The payload with a wrong type deep inside, so parsing fails at a known path."""
    out: dict[str, Any] = json.loads(json.dumps(data))
    out["automatic_tax"] = {"enabled": "yes"}
    return out


@pytest.mark.parametrize("limit", [0, 1, 256])
def test_repeated_shapes_parse_and_dump_alike(monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    monkeypatch.setattr(_converter, "_MAX_SHAPES", limit)
    conv = _Fresh(strict=False)
    for data in _sessions():
        first = _outcome(conv, data)
        assert "ok" == first[0]
        assert data == first[2]
        for _ in range(3):  # the second sighting compiles code for the shape; later ones use it
            assert first == _outcome(conv, data)


@pytest.mark.parametrize("strict", [False, True])
def test_repeated_shapes_fail_alike(strict: bool) -> None:
    conv = _Fresh(strict=strict)
    data = _bad(_sessions()[0])
    expected = _Invalid("expected true or false, found the string 'yes'")
    expected.parts += ["enabled", "automatic_tax"]
    for _ in range(3):
        assert ("invalid", expected.detail()) == _outcome(conv, data)


def test_unknown_keys_are_kept_every_time() -> None:
    conv = _Fresh(strict=False)
    data = dict(_sessions()[0], a_field_from_the_future={"x": [1, 2.5]})
    outcomes = [_outcome(conv, data) for _ in range(3)]
    assert {"a_field_from_the_future": {"x": (1, 2.5)}} == outcomes[0][1].unknown_fields
    assert [outcomes[0]] * 3 == outcomes


def test_unknown_keys_are_rejected_every_time_in_strict_mode() -> None:
    conv = _Fresh(strict=True)
    data = dict(_sessions()[0], a_field_from_the_future=1)
    expected = _Invalid("unknown field (strict mode rejects fields the model does not know)")
    expected.parts.append("a_field_from_the_future")
    for _ in range(3):
        assert ("invalid", expected.detail()) == _outcome(conv, data)


def test_bad_unknown_values_fail_alike() -> None:
    conv = _Fresh(strict=False)
    data = dict(_sessions()[0], a_field_from_the_future={"x": [float("nan")]})
    expected = _Invalid("expected a number, found the number nan")
    expected.parts += [0, "x", "a_field_from_the_future"]
    for _ in range(3):
        assert ("invalid", expected.detail()) == _outcome(conv, data)


def test_hand_made_objects_dump_with_the_fields_they_have() -> None:
    session = cm.Session(id="cs_test_1", amount_total=1200)
    dumped = cm.dump_session(session)
    assert "cs_test_1" == dumped["id"]
    assert 1200 == dumped["amount_total"]
    assert dumped == cm.dump_session(session)


def test_nested_classes_compile_when_first_dumped() -> None:
    conv = _Fresh(strict=False)
    session = cm.Session(
        id="cs_test_1", customer_details=cm.session.CustomerDetails(email="a@example.com")
    )
    dumped = conv.unstructure(session)
    assert "a@example.com" == dumped["customer_details"]["email"]
    assert session == conv.structure(dumped, cm.Session)


def _mutations(data: dict[str, Any], rng: random.Random) -> list[dict[str, Any]]:
    """The payload with one thing changed at a random place: a wrong type, null, a key
    removed, an unknown key added."""
    places: list[tuple[Any, Any]] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                places.append((value, key))
                walk(item)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                places.append((value, index))
                walk(item)

    out = []
    for change in ("string", "float", "null", "object", "remove", "unknown") * 2:
        copy: dict[str, Any] = json.loads(json.dumps(data))
        places.clear()
        walk(copy)
        holder, key = rng.choice(places)
        if change == "remove" and isinstance(holder, dict):
            del holder[key]
        elif change == "unknown" and isinstance(holder[key], dict):
            holder[key]["zz_unknown"] = [1]
        else:
            holder[key] = {"string": "x", "float": 1.5, "null": None}.get(change, {})
        out.append(copy)
    return out


@pytest.mark.parametrize("strict", [False, True])
def test_a_class_s_first_payload_takes_code_for_its_keys_and_agrees(
    monkeypatch: pytest.MonkeyPatch, strict: bool
) -> None:
    """At a cold start each class compiles code for the keys of the first payload it meets and
    no generic code; what that code answers (objects, dumps, errors) is what the generic code
    answers."""
    rng = random.Random(7)
    cases = [m for data in _sessions() for m in [data, *_mutations(data, rng)]]
    monkeypatch.setattr(_converter, "_MAX_SHAPES", 0)
    generic = _Fresh(strict)
    expected = [_outcome(generic, data) for data in cases]
    assert not any(rec.shapes for rec in generic.parse.records.values())
    monkeypatch.undo()
    first_only = 0
    for data, answer in zip(cases, expected, strict=True):
        cold = _Fresh(strict)
        root = cold.parse.record(cm.Session)
        assert root.stub is not None
        try:
            got: tuple[Any, ...] = ("ok", root.stub(data))
        except _Invalid as exc:
            got = ("invalid", exc.detail())
        if got[0] == "ok":
            session = got[1]
            got += (cold.unstructure(session),)
            assert answer[1].unknown_fields == session.unknown_fields
            assert answer[1].absent_fields == session.absent_fields
        assert answer == got
        first_only += root.fn is None and bool(root.shapes)
    # Most payloads were answered by code for their keys alone, no generic code compiled (the
    # rest: unknown keys in strict mode, a session that is no longer an object).
    assert first_only > len(cases) // 2
