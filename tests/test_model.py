"""Behaviour of the model's building blocks: open enums, frozen mappings, references, repr."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import attrs
import pytest

import checkout_model as cm
from checkout_model._json import thaw

SESSION: dict[str, Any] = {"id": "cs_test_1", "object": "checkout.session"}


def test_open_enum_keeps_values_stripe_adds_later_as_unknown() -> None:
    new = cm.Mode.of("barter")
    assert isinstance(new, cm.Unknown)
    assert not isinstance(new, cm.Mode)
    assert type(new) is cm.Unknown[cm.Mode]
    assert cm.Mode is type(new).enum
    assert "barter" == new
    assert "barter" == str(new)
    assert "barter" == new.value
    assert not new.is_known
    assert cm.Mode.PAYMENT.is_known
    assert "Unknown[Mode]('barter')" == repr(new)
    assert "Mode.PAYMENT" == repr(cm.Mode.PAYMENT)
    assert cm.Mode.of("barter") == cm.Mode.of("barter")
    assert cm.Mode.of("payment") is cm.Mode.PAYMENT
    assert hash("barter") == hash(new)
    again = pickle.loads(pickle.dumps(new))
    assert new == again
    assert type(new) is type(again)
    assert "barter" not in [m.value for m in cm.Mode]
    with pytest.raises(ValueError, match="not a valid Mode"):
        cm.Mode("barter")
    session = cm.parse_session({**SESSION, "mode": "barter"})
    assert type(session.mode) is cm.Unknown[cm.Mode]


def test_known_values_come_back_as_the_members() -> None:
    session = cm.parse_session({**SESSION, "mode": "payment", "locale": "pt-BR"})
    assert session.mode is cm.Mode.PAYMENT
    assert session.locale is cm.Locale.PT_BR


def test_frozen_dict_is_an_immutable_hashable_mapping() -> None:
    metadata = cm.FrozenDict({"order": "42"})
    assert {"order": "42"} == metadata
    assert metadata == cm.FrozenDict({"order": "42"})
    assert metadata != cm.FrozenDict({"order": "43"})
    assert metadata != ["order"]
    assert "order" in metadata
    assert ["order"] == list(metadata)
    assert 1 == len(metadata)
    assert hash(metadata) == hash(cm.FrozenDict({"order": "42"}))
    assert "FrozenDict({'order': '42'})" == repr(metadata)
    assert metadata == pickle.loads(pickle.dumps(metadata))
    assert metadata == copy.deepcopy(metadata)
    with pytest.raises(TypeError):
        metadata["order"] = "43"  # type: ignore[index]
    with pytest.raises(AttributeError):
        metadata.anything = 1
    assert 0 == len(cm.FrozenDict())


def test_model_objects_are_frozen_and_slotted() -> None:
    session = cm.parse_session(SESSION)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        session.id = "cs_other"  # type: ignore[misc]
    assert not hasattr(session, "__dict__")


def test_repr_shows_set_fields_only() -> None:
    session = cm.parse_session({**SESSION, "amount_total": 5, "currency": "usd", "url": None})
    assert "Session(id='cs_test_1', amount_total=5, currency='usd')" == repr(session)


def test_objects_built_by_hand_dump_every_field() -> None:
    session = cm.Session(id="cs_test_2", mode=cm.Mode.SETUP, metadata=cm.FrozenDict({"a": "b"}))
    dumped = cm.dump_session(session)
    assert "setup" == dumped["mode"]
    assert {"a": "b"} == dumped["metadata"]
    assert dumped["amount_total"] is None
    assert "checkout.session" == dumped["object"]
    assert session == cm.parse_session(dumped)


def test_evolve_keeps_unknown_and_absent_fields() -> None:
    session = cm.parse_session({**SESSION, "status": "open", "surprise": [1]})
    closed = attrs.evolve(session, status=cm.Status.COMPLETE)
    assert {**SESSION, "status": "complete", "surprise": [1]} == cm.dump_session(closed)


@pytest.mark.parametrize(
    ("field", "cls", "payload"),
    [
        ("customer", cm.Customer, {"id": "cus_1", "object": "customer", "email": "a@example.com"}),
        ("customer", cm.Customer, {"id": "cus_2", "object": "customer", "deleted": True}),
        (
            "payment_intent",
            cm.PaymentIntent,
            {"id": "pi_1", "object": "payment_intent", "amount": 5},
        ),
        ("setup_intent", cm.SetupIntent, {"id": "seti_1", "object": "setup_intent"}),
        ("subscription", cm.Subscription, {"id": "sub_1", "object": "subscription", "items": {}}),
        ("invoice", cm.Invoice, {"id": "in_1", "object": "invoice", "lines": {"data": []}}),
        ("payment_link", cm.PaymentLink, {"id": "plink_1", "object": "payment_link"}),
    ],
)
def test_expanded_external_resources_are_typed_references(
    field: str, cls: type[cm.ExpandedResource], payload: dict[str, Any]
) -> None:
    data = {**SESSION, field: payload}
    session = cm.parse_session(data, strict=True)
    ref = getattr(session, field)
    assert isinstance(ref, cls)
    assert (payload["id"], cls.OBJECT) == (ref.id, ref.object)
    assert payload == thaw(ref.payload)
    assert payload.get("deleted", False) == ref.deleted
    assert payload.get("email") == ref.get("email")
    assert data == cm.dump_session(session)
    assert session == cm.parse_session(cm.dump_session(session))
    assert hash(session) == hash(cm.parse_session(cm.dump_session(session)))


def test_expanded_references_are_not_shared_with_the_caller() -> None:
    customer: dict[str, Any] = {"id": "cus_1", "object": "customer", "address": {"city": "Oslo"}}
    session = cm.parse_session({**SESSION, "customer": customer})
    customer["address"]["city"] = "Bergen"
    assert isinstance(session.customer, cm.Customer)
    assert {"city": "Oslo"} == session.customer.payload["address"]


def test_dict_subclasses_are_read_as_objects() -> None:
    class Tagged(dict[str, Any]):
        pass

    data = Tagged(SESSION, metadata=Tagged(order="1"), customer_details=Tagged(email="a@b.c"))
    session = cm.parse_session(data)
    assert {"order": "1"} == session.metadata
    assert session.customer_details is not None
    assert "a@b.c" == session.customer_details.email


def test_pickle_keeps_unknown_and_absent_fields_of_any_model_object() -> None:
    session = cm.parse_session({**SESSION, "surprise": {"a": [1]}, "mode": "barter"})
    again = pickle.loads(pickle.dumps(session))
    assert session == again
    assert {"a": (1,)} == again.unknown_fields["surprise"]
    assert isinstance(again.mode, cm.Unknown)
    assert session.absent_fields == again.absent_fields
    price = cm.Price(id="price_1", unit_amount=5, currency="usd")
    assert price == pickle.loads(pickle.dumps(price))
