"""The public Hypothesis strategies: a user's property test, and what each strategy promises."""

from __future__ import annotations

from collections import Counter
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import checkout_model as cm
from checkout_model import strategies
from checkout_model._converter import structure, unstructure
from checkout_model._hypothesis_plugin import _model_classes
from checkout_model._model import StripeModel
from checkout_model.events import Event, EventType

# ------------------------------------------------------------------------------------------------
# What a user writes: a fulfilment function, and properties of it over generated sessions


def items_to_ship(session: cm.Session) -> Counter[str]:
    """How many of each price to ship: only for a complete session whose money has arrived."""
    if session.status != cm.Status.COMPLETE or session.payment_status == cm.PaymentStatus.UNPAID:
        return Counter()
    if session.line_items is None or session.line_items.data is None:
        return Counter()
    return Counter(
        {
            item.price.id: item.quantity
            for item in session.line_items.data
            if item.price is not None and item.quantity
        }
    )


@given(strategies.sessions(payment_status="unpaid"))
def test_unpaid_sessions_ship_nothing(session: cm.Session) -> None:
    assert Counter() == items_to_ship(session)


@given(strategies.sessions(status="open"))
def test_open_sessions_ship_nothing(session: cm.Session) -> None:
    assert Counter() == items_to_ship(session)


@given(strategies.sessions(status="complete", payment_status="paid", expanded_line_items=True))
def test_paid_sessions_ship_every_priced_item(session: cm.Session) -> None:
    assert session.line_items is not None
    assert session.line_items.data
    shipped = items_to_ship(session)
    priced = {i.price.id for i in session.line_items.data if i.price is not None and i.quantity}
    assert priced == set(shipped)
    assert all(quantity > 0 for quantity in shipped.values())


@given(st.from_type(cm.Session))
def test_fulfilment_never_crashes_on_any_session(session: cm.Session) -> None:
    assert all(quantity > 0 for quantity in items_to_ship(session).values())


@given(strategies.sessions(unknown_fields=True, unknown_enum_values=True))
def test_fulfilment_survives_what_stripe_adds_later(session: cm.Session) -> None:
    shipped = items_to_ship(session)
    if shipped:
        assert cm.Status.COMPLETE == session.status


# ------------------------------------------------------------------------------------------------
# What the strategies promise (checked on fewer examples than the parser's properties)

light = settings(max_examples=max(10, settings().max_examples // 4))


def _ints(value: Any) -> list[int]:
    if isinstance(value, dict):
        return [i for item in value.values() for i in _ints(item)]
    if isinstance(value, list):
        return [i for item in value for i in _ints(item)]
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    return []


@light
@given(strategies.session_payloads())
def test_payloads_are_json_with_non_negative_integers_and_real_ids(payload: dict[str, Any]) -> None:
    assert payload == orjson.loads(orjson.dumps(payload))
    assert all(i >= 0 for i in _ints(payload))
    live = payload.get("livemode") is True
    assert payload["id"].startswith("cs_live_" if live else "cs_test_")
    customer = payload.get("customer")
    if isinstance(customer, dict):
        customer = customer["id"]
    assert customer is None or customer.startswith("cus_")
    assert "checkout.session" == payload.get("object", "checkout.session")


@light
@given(strategies.sessions(mode="setup"))
def test_setup_sessions_have_a_setup_intent(session: cm.Session) -> None:
    assert cm.Mode.SETUP == session.mode
    assert session.setup_intent is not None


@light
@given(strategies.sessions(mode=cm.Mode.SUBSCRIPTION, status=cm.Status.COMPLETE))
def test_complete_subscription_sessions_have_a_subscription(session: cm.Session) -> None:
    assert cm.Mode.SUBSCRIPTION == session.mode
    assert cm.Status.COMPLETE == session.status
    assert session.subscription is not None


@light
@given(strategies.session_payloads(api_version="2019"))
def test_2019_payloads_have_only_2019_keys(payload: dict[str, Any]) -> None:
    assert "display_items" in payload
    assert not {"status", "payment_status", "created", "line_items"} & set(payload)
    assert payload["display_items"]
    cm.parse_session(payload, strict=True)


@light
@given(strategies.session_payloads(api_version="current", expanded_line_items=False))
def test_current_payloads_have_every_key_but_display_items(payload: dict[str, Any]) -> None:
    expected = set(attrs.fields_dict(cm.Session)) - {
        "_unknown",
        "_absent",
        "display_items",
        "line_items",
    }
    assert expected == set(payload)


@light
@given(strategies.session_payloads(expanded_line_items=True, payment_status="paid"))
def test_expanded_line_items_are_a_non_empty_list(payload: dict[str, Any]) -> None:
    assert "list" == payload["line_items"]["object"]
    assert payload["line_items"]["data"]
    assert "paid" == payload["payment_status"]


@light
@given(strategies.session_payloads(unknown_fields=True, api_version="mixed"))
def test_unknown_field_names_never_collide_with_known_ones(payload: dict[str, Any]) -> None:
    session = cm.parse_session(payload)
    assert all(name.startswith("new_") for name in session.unknown_fields)


@pytest.mark.parametrize(
    "arguments",
    [
        {"api_version": "2019", "status": "open"},
        {"api_version": "2019", "payment_status": "paid"},
        {"api_version": "2019", "expanded_line_items": True},
    ],
)
def test_impossible_session_shapes_are_refused(arguments: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="2019"):
        strategies.session_payloads(**arguments)


def test_impossible_event_shapes_are_refused() -> None:
    with pytest.raises(ValueError, match="2019"):
        strategies.event_payloads(api_version="2019", type="checkout.session.expired")


EXPECTED_STATE = {
    EventType.CHECKOUT_SESSION_EXPIRED: (cm.Status.EXPIRED, {cm.PaymentStatus.UNPAID}),
    EventType.CHECKOUT_SESSION_ASYNC_PAYMENT_SUCCEEDED: (
        cm.Status.COMPLETE,
        {cm.PaymentStatus.PAID},
    ),
    EventType.CHECKOUT_SESSION_ASYNC_PAYMENT_FAILED: (
        cm.Status.COMPLETE,
        {cm.PaymentStatus.UNPAID},
    ),
    EventType.CHECKOUT_SESSION_COMPLETED: (cm.Status.COMPLETE, set(cm.PaymentStatus)),
}


@light
@given(st.sampled_from(EventType), st.data())
def test_events_carry_the_session_their_type_implies(
    event_type: EventType, data: st.DataObject
) -> None:
    event = data.draw(strategies.events(type=event_type, api_version="current"))
    status, payment_statuses = EXPECTED_STATE[event_type]
    assert event_type == event.type
    assert event.id.startswith("evt_")
    assert status == event.session.status
    assert event.session.payment_status in payment_statuses
    assert event.session.line_items is None


@light
@given(strategies.events(api_version="2019", mode="payment"))
def test_2019_events_are_completions_without_status(event: Event) -> None:
    assert EventType.CHECKOUT_SESSION_COMPLETED == event.type
    assert event.session.status is None
    assert "status" in event.session.absent_fields
    assert cm.Mode.PAYMENT == event.session.mode


@light
@given(strategies.line_items())
def test_line_items_have_item_ids(item: cm.LineItem) -> None:
    assert item.id.startswith("li_")
    assert item.price is None or item.price.id.startswith("price_")


MODEL_CLASSES = sorted(_model_classes(StripeModel), key=lambda cls: cls.__name__)


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda cls: cls.__name__)
@settings(max_examples=5)
@given(data=st.data())
def test_from_type_builds_every_model_class(cls: type[StripeModel], data: st.DataObject) -> None:
    obj = data.draw(st.from_type(cls))
    assert cls is type(obj)
    # dump_event writes Event.api_version (an ApiVersion, a str subclass) back as a plain str
    dumped = cm.dump_event(obj) if isinstance(obj, Event) else unstructure(obj)
    assert obj == structure(dumped, cls, strict=True)


@light
@given(strategies.model_payloads(cm.Price, absent_fields=False, max_depth=0))
def test_depth_bound_leaves_ids_where_objects_would_nest(payload: dict[str, Any]) -> None:
    assert set(attrs.fields_dict(cm.Price)) - {"_unknown", "_absent"} == set(payload)
    assert payload["product"] is None or isinstance(payload["product"], str)
    assert {} == payload["currency_options"]
    assert payload["tiers"] in ([], None)
    assert payload["recurring"] is None


@light
@given(strategies.models(cm.Coupon, unknown_enum_values=True))
def test_models_parses_any_class(coupon: cm.Coupon) -> None:
    assert isinstance(coupon, cm.Coupon)


@light
@given(strategies.json_values())
def test_json_values_are_json(value: Any) -> None:
    assert value == orjson.loads(orjson.dumps(value))


@light
@given(strategies.ids("cus_"))
def test_ids_have_their_prefix(value: str) -> None:
    assert value.startswith("cus_")
    assert value[4:].isalnum()


@pytest.mark.parametrize("cls", [cm.Session, cm.LineItem, Event, cm.Price])
@light
@given(data=st.data())
def test_from_type_is_registered_for_the_public_classes(cls: type, data: st.DataObject) -> None:
    assert isinstance(data.draw(st.from_type(cls)), cls)


def test_only_the_package_s_own_classes_are_registered() -> None:
    @attrs.frozen(kw_only=True)
    class Elsewhere(StripeModel):
        """A model class some other package derives."""

    found = _model_classes(StripeModel)
    assert Elsewhere not in found
    assert cm.Session in found
    assert len(found) == len(set(found))
