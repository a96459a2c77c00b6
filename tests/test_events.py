"""Webhook events: the four checkout.session types, signatures, old API versions, Connect."""

from __future__ import annotations

import copy
import json
import pickle
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, assert_type

import pytest
import stripe
from hypothesis import given, settings
from hypothesis import strategies as st

import checkout_model as cm
from checkout_model import FrozenDict, strategies
from checkout_model._json import thaw

PAYLOADS = Path(__file__).parent / "payloads"
SECRET = "whsec_test_9f3kQ2bXc1"  # noqa: S105
ALL_TYPES = (
    "checkout.session.async_payment_failed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.completed",
    "checkout.session.expired",
)


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PAYLOADS / name).read_text())
    return data


def event_payload(session: dict[str, Any], type_: str, **extra: Any) -> dict[str, Any]:
    """A webhook body as Stripe sends it, around ``session``."""
    return {
        "id": "evt_1QxYzAbCdEfGhIjK",
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": 1761650000,
        "data": {"object": session},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": type_,
        **extra,
    }


def sign(body: str, secret: str = SECRET, timestamp: int | None = None) -> str:
    """The Stripe-Signature header Stripe would send, made by stripe-python's own helper."""
    header: str = stripe.WebhookSignature.generate_signature_header(body, secret, timestamp)
    return header


def async_unpaid_session() -> dict[str, Any]:
    """A completed session whose delayed payment (a bank debit) has not arrived yet."""
    session = load("payment_expanded.json")
    session["payment_status"] = "unpaid"
    return session


# -- the four event types ------------------------------------------------------------------------

CASES = [
    ("checkout.session.completed", "payment_expanded.json"),
    ("checkout.session.expired", "expired.json"),
    ("checkout.session.async_payment_succeeded", "v2026_03_25_dahlia.json"),
    ("checkout.session.async_payment_failed", "embedded.json"),
]


@pytest.mark.parametrize(("type_", "name"), CASES)
def test_each_event_type(type_: str, name: str) -> None:
    payload = event_payload(load(name), type_)
    event = cm.parse_event(payload)
    assert type_ == event.type
    assert cm.EventType(type_) is event.type
    assert event.type.is_known
    assert "evt_1QxYzAbCdEfGhIjK" == event.id
    assert isinstance(event.session, cm.Session)
    assert event.data.object is event.session
    assert payload["data"]["object"]["id"] == event.session.id
    assert cm.parse_session(payload["data"]["object"]) == event.session
    assert payload == cm.dump_event(event)
    assert event == cm.parse_event(payload, strict=True)


def test_every_supported_type_has_a_member() -> None:
    assert ALL_TYPES == tuple(sorted(member.value for member in cm.EventType))
    completed: str = cm.EventType.CHECKOUT_SESSION_COMPLETED
    assert "checkout.session.completed" == completed
    assert f"{cm.EventType.CHECKOUT_SESSION_EXPIRED}" == "checkout.session.expired"


def test_envelope_fields() -> None:
    payload = event_payload(
        load("payment_expanded.json"),
        "checkout.session.completed",
        request={"id": "req_8Hq2LmNo", "idempotency_key": "order-1042"},
        livemode=True,
    )
    event = cm.parse_event(json.dumps(payload))
    assert "2026-10-28.endive" == event.api_version
    assert cm.ApiVersion("2026-10-28.endive") == event.api_version
    assert datetime(2025, 10, 28, 11, 13, 20, tzinfo=UTC) == event.created
    assert event.livemode is True
    assert 1 == event.pending_webhooks
    assert cm.EventRequest(id="req_8Hq2LmNo", idempotency_key="order-1042") == event.request
    assert None is event.account
    assert None is event.data.previous_attributes
    assert "previous_attributes" in event.data.absent_fields


def test_automatic_event_has_a_request_with_null_fields() -> None:
    event = cm.parse_event(event_payload(load("expired.json"), "checkout.session.expired"))
    assert isinstance(event.request, cm.EventRequest)
    assert None is event.request.id
    assert None is event.request.idempotency_key


# -- what a fulfilment handler asks ----------------------------------------------------------------


def test_completed_and_paid_is_ready_to_fulfil() -> None:
    session = cm.parse_event(
        event_payload(load("payment_expanded.json"), "checkout.session.completed")
    ).session
    assert session.is_paid
    assert session.is_complete
    assert not session.is_expired
    assert not session.awaits_async_payment


def test_completed_with_a_delayed_payment_awaits_it() -> None:
    session = cm.parse_event(
        event_payload(async_unpaid_session(), "checkout.session.completed")
    ).session
    assert not session.is_paid
    assert session.is_complete
    assert session.awaits_async_payment


def test_expired_session() -> None:
    session = cm.parse_event(
        event_payload(load("expired.json"), "checkout.session.expired")
    ).session
    assert session.is_expired
    assert not session.is_complete
    assert not session.is_paid
    assert not session.awaits_async_payment


def test_setup_session_needs_no_payment() -> None:
    session = cm.parse_event(
        event_payload(load("setup.json"), "checkout.session.completed")
    ).session
    assert session.is_paid
    assert not session.awaits_async_payment


def test_open_session_answers_no_to_everything() -> None:
    session = cm.parse_session(load("embedded.json"))
    assert (False, False, False, False) == (
        session.is_paid,
        session.is_complete,
        session.is_expired,
        session.awaits_async_payment,
    )


# -- older API versions and Connect ----------------------------------------------------------------


def test_event_pinned_to_an_older_api_version() -> None:
    session = load("v2020_08_27.json")
    payload = event_payload(session, "checkout.session.completed", api_version="2020-08-27")
    event = cm.parse_event(payload)
    assert "2020-08-27" == event.api_version
    assert session["id"] == event.session.id
    assert "status" in event.session.absent_fields  # that version had no status field
    assert event.session.is_paid
    assert payload == cm.dump_event(event)


def test_event_from_before_2017_has_a_bare_request_id() -> None:
    payload = event_payload(
        load("v2019_minimal.json"),
        "checkout.session.completed",
        api_version="2017-01-27",
        request="req_Old1234",
    )
    del payload["pending_webhooks"]
    event = cm.parse_event(payload)
    assert "req_Old1234" == event.request
    assert None is event.pending_webhooks
    assert "pending_webhooks" in event.absent_fields
    assert payload == cm.dump_event(event)


def test_connect_event_names_the_connected_account() -> None:
    payload = event_payload(
        load("payment_link.json"), "checkout.session.completed", account="acct_1Nv0FGQ9RKHgCVdK"
    )
    event = cm.parse_event(payload)
    assert "acct_1Nv0FGQ9RKHgCVdK" == event.account
    assert payload == cm.dump_event(event)
    assert "acct_1Nv0FGQ9RKHgCVdK" == cm.Event.from_stripe(event.to_stripe()).account


def test_event_context() -> None:
    payload = event_payload(
        load("expired.json"), "checkout.session.expired", context="acct_1Nv0FGQ9RKHgCVdK"
    )
    assert "acct_1Nv0FGQ9RKHgCVdK" == cm.parse_event(payload).context


def test_previous_attributes_are_kept_as_raw_json() -> None:
    previous = {"status": "open", "metadata": {"step": "1"}, "custom_fields": [{"key": "a"}]}
    payload = event_payload(load("expired.json"), "checkout.session.expired")
    payload["data"]["previous_attributes"] = copy.deepcopy(previous)
    event = cm.parse_event(payload)
    assert event.data.previous_attributes is not None
    assert previous == thaw(event.data.previous_attributes)
    assert isinstance(event.data.previous_attributes["custom_fields"], tuple)
    assert payload == cm.dump_event(event)


def test_unknown_envelope_fields_are_kept_or_rejected_in_strict_mode() -> None:
    payload = event_payload(load("expired.json"), "checkout.session.expired", new_thing={"a": [1]})
    payload["data"]["extra"] = True
    event = cm.parse_event(payload)
    assert {"new_thing": {"a": (1,)}} == event.unknown_fields
    assert {"extra": True} == event.data.unknown_fields
    assert payload == cm.dump_event(event)
    with pytest.raises(cm.ParseError) as info:
        cm.parse_event(payload, strict=True)
    assert "$.new_thing" == info.value.errors[0].path


def test_dump_does_not_share_state_with_the_event() -> None:
    payload = event_payload(load("expired.json"), "checkout.session.expired")
    payload["data"]["previous_attributes"] = {"status": "open"}
    event = cm.parse_event(payload)
    dumped = cm.dump_event(event)
    dumped["data"]["previous_attributes"]["status"] = "changed"
    assert {"status": "open"} == event.data.previous_attributes
    assert payload == cm.dump_event(event)


# -- invalid events -------------------------------------------------------------------------------


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize(
    "type_", ["customer.created", "payment_intent.succeeded", "checkout.session.updated"]
)
def test_other_event_types_are_an_error_naming_type(type_: str, strict: bool) -> None:
    payload = event_payload(load("expired.json"), type_)
    with pytest.raises(cm.UnsupportedEventType) as info:
        cm.parse_event(payload, strict=strict)
    [error] = info.value.errors
    assert "$.type" == error.path
    assert repr(type_) in error.message
    for supported in ALL_TYPES:
        assert supported in error.message
    assert isinstance(info.value, cm.ParseError)
    assert type_ == info.value.event_type
    assert "evt_1QxYzAbCdEfGhIjK" == info.value.event_id


@pytest.mark.parametrize(
    ("value", "found"), [(None, "found null"), (42, "found int"), (["x"], "found list")]
)
def test_type_that_is_not_a_string(value: object, found: str) -> None:
    payload = event_payload(load("expired.json"), "checkout.session.expired")
    payload["type"] = value
    with pytest.raises(cm.ParseError, match=found) as info:
        cm.parse_event(payload)
    assert "$.type" == info.value.errors[0].path
    assert not isinstance(info.value, cm.UnsupportedEventType)


def test_missing_type() -> None:
    payload = event_payload(load("expired.json"), "checkout.session.expired")
    del payload["type"]
    with pytest.raises(cm.ParseError, match="it is missing") as info:
        cm.parse_event(payload)
    assert "$.type" == info.value.errors[0].path
    assert not isinstance(info.value, cm.UnsupportedEventType)


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (lambda p: p.pop("data"), "$.data", "missing required field"),
        (lambda p: p.update(data=None), "$.data", "expected an object, found null"),
        (lambda p: p.update(data=[]), "$.data", "expected an object"),
        (lambda p: p["data"].pop("object"), "$.data.object", "missing required field"),
        (lambda p: p["data"].update(object="cs_1"), "$.data.object", "expected an object"),
        (
            lambda p: p["data"].update(object={"id": "cus_1", "object": "customer"}),
            "$.data.object.object",
            "expected 'checkout.session'",
        ),
        (lambda p: p["data"]["object"].update(amount_total="12"), "$.data.object.amount_total", ""),
        (lambda p: p.pop("id"), "$.id", "missing required field"),
        (lambda p: p.update(object="list"), "$.object", "expected 'event'"),
        (lambda p: p.update(created="yesterday"), "$.created", "Unix timestamp"),
        (lambda p: p.update(request=5), "$.request", ""),
        (lambda p: p.update(account=7), "$.account", "expected a string"),
        (lambda p: p["data"].update(previous_attributes=[1]), "$.data.previous_attributes", ""),
    ],
)
def test_invalid_envelopes(change: Any, path: str, message: str) -> None:
    payload = event_payload(load("expired.json"), "checkout.session.expired")
    change(payload)
    with pytest.raises(cm.ParseError) as info:
        cm.parse_event(payload)
    assert path == info.value.errors[0].path
    assert message in info.value.errors[0].message


@pytest.mark.parametrize("text", ["not json", "[1, 2]", b"\xff\xfe", "null"])
def test_bodies_that_are_not_a_json_object(text: str | bytes) -> None:
    with pytest.raises(cm.ParseError) as info:
        cm.parse_event(text)
    assert "$" == info.value.errors[0].path


# -- signatures -----------------------------------------------------------------------------------


def body_of(type_: str = "checkout.session.completed", name: str = "payment_expanded.json") -> str:
    return json.dumps(event_payload(load(name), type_), indent=2)


@pytest.mark.parametrize("as_type", [str, bytes, bytearray])
def test_construct_event_accepts_the_raw_body_as_received(as_type: type) -> None:
    body = body_of()
    raw = body if as_type is str else as_type(body.encode())
    event = cm.construct_event(raw, sign(body), SECRET)
    assert json.loads(body) == cm.dump_event(event)
    assert cm.EventType.CHECKOUT_SESSION_COMPLETED is event.type


def test_construct_event_with_several_signatures_during_secret_rotation() -> None:
    body = body_of()
    old = sign(body, "whsec_old_secret").split(",")[1]
    header = f"{sign(body)},{old}"
    assert cm.parse_event(body) == cm.construct_event(body, header, SECRET)
    assert cm.parse_event(body) == cm.construct_event(body, header, "whsec_old_secret")


def test_construct_event_strict() -> None:
    payload = event_payload(load("expired.json"), "checkout.session.expired", new_thing=1)
    body = json.dumps(payload)
    assert {"new_thing": 1} == cm.construct_event(body, sign(body), SECRET).unknown_fields
    with pytest.raises(cm.ParseError):
        cm.construct_event(body, sign(body), SECRET, strict=True)


@pytest.mark.parametrize("header", [None, ""])
def test_missing_signature_header(header: str | None) -> None:
    with pytest.raises(stripe.SignatureVerificationError, match="No Stripe-Signature header") as e:
        cm.construct_event(body_of(), header, SECRET)
    assert "checkout_model.parse_event" in str(e.value)
    assert "without_verification" not in str(e.value)


@pytest.mark.parametrize("header", ["nonsense", "t=yesterday,v1=abc", "v1=abc", "t=,v1="])
def test_malformed_signature_header(header: str) -> None:
    with pytest.raises(stripe.SignatureVerificationError, match="Unable to extract"):
        cm.construct_event(body_of(), header, SECRET)


def test_header_without_a_v1_signature() -> None:
    body = body_of()
    header = sign(body).replace("v1=", "v0=")
    with pytest.raises(stripe.SignatureVerificationError, match="expected scheme"):
        cm.construct_event(body, header, SECRET)


def test_wrong_secret() -> None:
    body = body_of()
    with pytest.raises(stripe.SignatureVerificationError, match="matching the expected"):
        cm.construct_event(body, sign(body, "whsec_someone_else"), SECRET)


def test_tampered_body() -> None:
    body = body_of()
    header = sign(body)
    tampered = body.replace('"payment_status": "paid"', '"payment_status": "unpaid"')
    assert tampered != body
    with pytest.raises(stripe.SignatureVerificationError, match="matching the expected"):
        cm.construct_event(tampered, header, SECRET)


def test_stale_timestamp_beyond_tolerance() -> None:
    body = body_of()
    an_hour_ago = int(time.time()) - 3600
    header = sign(body, timestamp=an_hour_ago)
    with pytest.raises(stripe.SignatureVerificationError, match="tolerance"):
        cm.construct_event(body, header, SECRET)
    with pytest.raises(stripe.SignatureVerificationError, match="tolerance"):
        cm.construct_event(body, header, SECRET, tolerance=600)
    # a caller may widen the window, for example to replay stored events
    assert cm.parse_event(body) == cm.construct_event(body, header, SECRET, tolerance=7200)


def test_missing_secret() -> None:
    body = body_of()
    with pytest.raises(stripe.SignatureVerificationError, match="webhook secret"):
        cm.construct_event(body, sign(body), "")


def test_body_that_is_not_utf8() -> None:
    body = b'{"id": "evt_1", "type": "\xff"}'
    with pytest.raises(stripe.SignatureVerificationError, match="not UTF-8"):
        cm.construct_event(body, "t=1,v1=abc", SECRET)


def test_signature_is_checked_before_the_body_is_parsed() -> None:
    with pytest.raises(stripe.SignatureVerificationError):
        cm.construct_event("not json at all", "t=1,v1=abc", SECRET)


def test_genuine_event_of_another_type_is_unsupported() -> None:
    body = json.dumps({"id": "evt_2", "object": "event", "type": "customer.created", "data": {}})
    with pytest.raises(cm.UnsupportedEventType) as info:
        cm.construct_event(body, sign(body), SECRET)
    assert "$.type" == info.value.errors[0].path
    assert ("evt_2", "customer.created") == (info.value.event_id, info.value.event_type)


# -- stripe.Event round trips ------------------------------------------------------------------


@pytest.mark.parametrize(("type_", "name"), CASES)
def test_stripe_webhook_event_to_typed_event_and_back(type_: str, name: str) -> None:
    body = body_of(type_, name)
    stripe_event = stripe.Webhook.construct_event(body, sign(body), SECRET)
    assert isinstance(stripe_event, stripe.Event)

    event = cm.Event.from_stripe(stripe_event)
    assert cm.construct_event(body, sign(body), SECRET) == event
    assert json.loads(body) == cm.dump_event(event)

    back = event.to_stripe()
    assert isinstance(back, stripe.Event)
    assert isinstance(back.data.object, stripe.checkout.Session)
    assert type_ == back.type
    assert event.session.id == back.data.object.id
    assert event == cm.Event.from_stripe(back)
    assert json.loads(body) == cm.dump_event(cm.Event.from_stripe(back))


def test_stripe_event_with_previous_attributes_round_trips() -> None:
    payload = event_payload(load("expired.json"), "checkout.session.expired")
    payload["data"]["previous_attributes"] = {"status": "open", "items": [[{"deep": None}]]}
    event = cm.parse_event(payload)
    assert payload == cm.dump_event(cm.Event.from_stripe(event.to_stripe()))


def test_stripe_event_of_another_type() -> None:
    other = stripe.Event.construct_from(
        {"id": "evt_3", "object": "event", "type": "invoice.paid", "data": {"object": {}}},
        key=None,
    )
    with pytest.raises(cm.ParseError) as info:
        cm.Event.from_stripe(other)
    assert "$.type" == info.value.errors[0].path


def test_event_from_a_plain_mapping() -> None:
    payload = event_payload(load("expired.json"), "checkout.session.expired")
    assert cm.parse_event(payload) == cm.Event.from_stripe(payload)


# -- properties over generated events -------------------------------------------------------------


@given(strategies.event_payloads(unknown_fields=True, unknown_enum_values=True))
def test_any_event_round_trips_through_parse_dump_and_stripe(payload: dict[str, Any]) -> None:
    event = cm.parse_event(payload)
    assert payload == cm.dump_event(event)
    if "'currency_options': None" not in repr(payload):  # stripe-python cannot build those
        assert event == cm.Event.from_stripe(event.to_stripe())


@settings(max_examples=50)  # the signature does not depend on the shape; a few dozen suffice
@given(strategies.event_payloads(), st.sampled_from(ALL_TYPES))
def test_signed_generated_events_verify(payload: dict[str, Any], type_: str) -> None:
    body = json.dumps({**payload, "type": type_})
    assert type_ == cm.construct_event(body.encode(), sign(body), SECRET).type


@given(strategies.event_payloads(), strategies.json_values())
def test_only_parse_errors_escape_for_any_value_in_any_envelope_field(
    payload: dict[str, Any], value: Any
) -> None:
    for key in ("id", "type", "data", "request", "created", "account"):
        try:
            cm.parse_event({**payload, key: value})
        except cm.ParseError as err:
            paths = [error.path for error in err.errors]
        else:
            paths = ["$"]
        assert paths
        assert all(path.startswith("$") for path in paths)


def test_public_types() -> None:
    payload = event_payload(load("expired.json"), "checkout.session.expired")
    body = json.dumps(payload)
    event = cm.parse_event(payload)
    assert_type(event, cm.Event)
    assert_type(cm.construct_event(body, sign(body), SECRET), cm.Event)
    assert_type(event.data.object, cm.Session)
    assert_type(event.session, cm.Session)
    assert_type(event.type, cm.EventType)
    assert_type(event.request, str | cm.EventRequest | None)
    assert_type(event.data.previous_attributes, FrozenDict[str, cm.FrozenJson] | None)
    assert_type(cm.dump_event(event), dict[str, Any])
    assert_type(event.to_stripe(), stripe.Event)
    assert_type(cm.Event.from_stripe(event.to_stripe()), cm.Event)
    assert_type(event.session.total_money, cm.Money | None)
    assert_type(event.session.is_paid, bool)
    assert_type(event.session.to_stripe(), stripe.checkout.Session)
    assert_type(cm.Session.from_stripe(event.session.to_stripe()), cm.Session)


# -- other event types ----------------------------------------------------------------------------


def test_unsupported_type_without_an_id() -> None:
    with pytest.raises(cm.UnsupportedEventType) as info:
        cm.parse_event({"object": "event", "type": "invoice.paid", "data": {}})
    assert (None, "invoice.paid") == (info.value.event_id, info.value.event_type)
    with pytest.raises(cm.UnsupportedEventType) as info:
        cm.parse_event({"id": 7, "type": "invoice.paid"})
    assert None is info.value.event_id


@pytest.mark.parametrize("length", [81, 10_000, 1 << 20])
def test_unsupported_type_message_is_bounded(length: int) -> None:
    huge = "x" * length
    with pytest.raises(cm.UnsupportedEventType) as info:
        cm.parse_event({"id": "evt_1", "type": huge, "data": {}})
    assert len(str(info.value)) < 400
    assert huge == info.value.event_type  # the attribute keeps what was sent
    assert "..." in info.value.errors[0].message


def test_unsupported_type_survives_pickling() -> None:
    with pytest.raises(cm.UnsupportedEventType) as info:
        cm.parse_event({"id": "evt_9", "type": "charge.refunded", "data": {}})
    back = pickle.loads(pickle.dumps(info.value))
    assert type(back) is cm.UnsupportedEventType
    assert (back.event_id, back.event_type) == ("evt_9", "charge.refunded")
    assert info.value.errors == back.errors
    assert str(info.value) == str(back)


def test_stripe_names_are_re_exported() -> None:
    assert cm.SignatureVerificationError is stripe.SignatureVerificationError
    assert issubclass(cm.UnsupportedEventType, cm.ParseError)


# -- secret rotation ------------------------------------------------------------------------------

OLD = "whsec_old_7c2Qp1"
CONNECT = "whsec_connect_Zr81"


@pytest.mark.parametrize("signed_with", [SECRET, OLD, CONNECT])
@pytest.mark.parametrize("container", [list, tuple])
def test_any_of_several_secrets_verifies(signed_with: str, container: type) -> None:
    body = body_of()
    secrets = container([OLD, SECRET, CONNECT])
    assert cm.parse_event(body) == cm.construct_event(body, sign(body, signed_with), secrets)


def test_none_of_several_secrets_signed_it() -> None:
    body = body_of()
    with pytest.raises(stripe.SignatureVerificationError, match="matching the expected"):
        cm.construct_event(body, sign(body, "whsec_intruder"), [OLD, SECRET])


def test_a_stale_signature_by_the_second_secret_is_refused_as_stale() -> None:
    body = body_of()
    header = sign(body, OLD, timestamp=int(time.time()) - 3600)
    with pytest.raises(stripe.SignatureVerificationError, match="tolerance"):
        cm.construct_event(body, header, [SECRET, OLD])


@pytest.mark.parametrize("secrets", [[], (), [SECRET, ""], [" ", SECRET]])
def test_empty_secrets_are_refused(secrets: list[str]) -> None:
    body = body_of()
    with pytest.raises(stripe.SignatureVerificationError, match="webhook secret"):
        cm.construct_event(body, sign(body), secrets)


def test_secrets_utf8_cannot_encode_are_a_value_error() -> None:
    body = body_of()
    with pytest.raises(ValueError, match="UTF-8"):
        cm.construct_event(body, sign(body), ["whsec_\udc80"])


def test_a_header_handed_over_as_bytes() -> None:
    body = body_of()
    header = sign(body).encode()
    assert cm.parse_event(body) == cm.construct_event(body, header, SECRET)  # type: ignore[arg-type]
    with pytest.raises(stripe.SignatureVerificationError):
        cm.construct_event(body, b"t=1,v1=\xff", SECRET)  # type: ignore[arg-type]


@pytest.mark.parametrize(("payload", "header"), [(memoryview(b"{}"), "t=1,v1=a"), ("{}", 5)])
def test_arguments_of_the_wrong_type_are_a_type_error(payload: object, header: object) -> None:
    with pytest.raises(TypeError):
        cm.construct_event(payload, header, SECRET)  # type: ignore[arg-type]


def test_class_access_gives_the_descriptor() -> None:
    assert not isinstance(cm.Event.api_version, (str, type(None)))


def test_secrets_must_be_strings() -> None:
    body = body_of()
    with pytest.raises(TypeError, match="strings"):
        cm.construct_event(body, sign(body), [SECRET, b"whsec_bytes"])  # type: ignore[list-item]


# -- tolerance ------------------------------------------------------------------------------------


@pytest.mark.parametrize("tolerance", [0, -1, -300, float("nan")])
def test_tolerance_must_be_positive(tolerance: int) -> None:
    body = body_of()
    day_old = sign(body, timestamp=int(time.time()) - 86_400)
    with pytest.raises(ValueError, match="positive"):
        cm.construct_event(body, day_old, SECRET, tolerance=tolerance)
    with pytest.raises(ValueError, match="positive"):
        cm.construct_event(body, sign(body), SECRET, tolerance=tolerance)


def test_tolerance_is_the_oldest_accepted_age_in_seconds() -> None:
    body = body_of()
    now = int(time.time())
    # Fixed offsets far from the bound: no test depends on how long the check takes.
    recent = sign(body, timestamp=now - 60)
    assert cm.parse_event(body) == cm.construct_event(body, recent, SECRET, tolerance=3600)
    for tolerance in (1, 30):
        with pytest.raises(stripe.SignatureVerificationError, match="tolerance"):
            cm.construct_event(body, sign(body, timestamp=now - 3600), SECRET, tolerance=tolerance)


# -- attacker-controlled input is only ever refused -----------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "t=1,v1=é",
        "t=1,v1=\u00e9\u00e9",
        "t=١٢٣,v1=abc",
        "t=1,v1=" + "\u2603" * 64,
        "t=1,v1=\udc80",
        "t=1,v1=abc\x00",
    ],
)
def test_non_ascii_or_odd_headers_are_refused(header: str) -> None:
    with pytest.raises(stripe.SignatureVerificationError):
        cm.construct_event(body_of(), header, SECRET)


@pytest.mark.parametrize("body", ['{"id": "\\ud800"}\ud800', "\udfff", "ok\ud83d"])
def test_str_bodies_with_lone_surrogates_are_refused(body: str) -> None:
    with pytest.raises(stripe.SignatureVerificationError, match="lone surrogates"):
        cm.construct_event(body, "t=1,v1=abc", SECRET)


@settings(max_examples=300)
@given(st.text(), st.one_of(st.none(), st.text()))
def test_any_body_and_header_is_refused_with_a_signature_error(
    body: str, header: str | None
) -> None:
    with pytest.raises(stripe.SignatureVerificationError):
        cm.construct_event(body, header, SECRET)


@settings(max_examples=300)
@given(st.binary(), st.text(), st.sampled_from(["t", "v1", "v0", ""]))
def test_any_bytes_and_tampered_header_is_refused(body: bytes, value: str, key: str) -> None:
    genuine = sign(body_of())
    header = f"{genuine},{key}={value}" if key else value
    with pytest.raises(stripe.SignatureVerificationError):
        cm.construct_event(body, header, [SECRET, OLD])


@settings(max_examples=100)
@given(st.text(min_size=1).filter(lambda s: not s.isascii()))
def test_a_genuine_body_with_a_non_ascii_signature_is_refused(value: str) -> None:
    body = body_of()
    timestamp = sign(body).split(",")[0]
    with pytest.raises(stripe.SignatureVerificationError):
        cm.construct_event(body, f"{timestamp},v1={value}", SECRET)


# -- repr -----------------------------------------------------------------------------------------


def test_repr_shows_the_session_and_no_secret() -> None:
    session = load("embedded.json")
    secret = session["client_secret"]
    assert secret
    payload = event_payload(session, "checkout.session.expired")
    payload["data"]["previous_attributes"] = {
        "client_secret": "cs_test_prev_secret_1",
        "status": "open",
        "nested": [{"client_secret": "cs_test_prev_secret_2", "keep": 1}],
    }
    text = repr(cm.parse_event(payload))
    assert f"object=Session(id={session['id']!r}" in text
    assert "data=EventData(object=Session(" in text
    for hidden in (secret, "cs_test_prev_secret_1", "cs_test_prev_secret_2"):
        assert hidden not in text
    assert "'status': 'open'" in text
    assert "'keep': 1" in text
    assert "<redacted>" in text


@given(strategies.events())
def test_repr_of_any_event_names_its_session(event: cm.Event) -> None:
    assert f"Session(id={event.session.id!r}" in repr(event)
    assert "client_secret" not in repr(event)
