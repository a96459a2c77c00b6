"""Thin event notifications: verified, parsed, and their session fetched with stripe-python.

The fetch tests run stripe-python's real ``StripeClient`` (its own HTTP stacks: requests for
sync calls, httpx for async ones) against an HTTP server started on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import json
import pickle
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar, assert_type
from urllib.parse import parse_qs, urlsplit

import attrs
import pytest
import stripe
from hypothesis import given, settings
from hypothesis import strategies as st

import checkout_model as cm

PAYLOADS = Path(__file__).parent / "payloads"
SECRET = "whsec_thin_4mQ8xY2"  # noqa: S105
SESSION = json.loads((PAYLOADS / "payment_expanded.json").read_text())
SESSION_ID: str = SESSION["id"]
TYPES = (
    "v1.checkout.session.async_payment_failed",
    "v1.checkout.session.async_payment_succeeded",
    "v1.checkout.session.completed",
    "v1.checkout.session.expired",
)


def notification_payload(
    type_: str = "v1.checkout.session.completed", **extra: Any
) -> dict[str, Any]:
    """A thin notification body, shaped as Stripe documents event destinations' payloads."""
    return {
        "id": "evt_test_65RM8sZK3Yq2xYzAbCdEfGhIjKlMnOpQrStUv",
        "object": "v2.core.event",
        "type": type_,
        "livemode": False,
        "created": "2026-10-29T08:15:42.318Z",
        "related_object": {
            "id": SESSION_ID,
            "type": "checkout.session",
            "url": f"/v1/checkout/sessions/{SESSION_ID}",
        },
        "reason": {"type": "request", "request": {"id": "req_v2Abc", "idempotency_key": "k-1"}},
        **extra,
    }


def signed(payload: dict[str, Any], secret: str = SECRET) -> tuple[str, str]:
    body = json.dumps(payload)
    header: str = stripe.WebhookSignature.generate_signature_header(body, secret)
    return body, header


# -- parsing --------------------------------------------------------------------------------------


@pytest.mark.parametrize("type_", TYPES)
def test_each_notification_type(type_: str) -> None:
    body, header = signed(notification_payload(type_))
    notification = cm.parse_event_notification(body, header, SECRET)
    assert type_ == notification.type
    assert cm.EventNotificationType(type_) is notification.type
    assert type_.removeprefix("v1.") == notification.event_type
    assert isinstance(notification.event_type, cm.EventType)
    assert "evt_test_65RM8sZK3Yq2xYzAbCdEfGhIjKlMnOpQrStUv" == notification.id
    assert datetime(2026, 10, 29, 8, 15, 42, 318000, tzinfo=UTC) == notification.created
    assert notification.livemode is False
    assert None is notification.context
    assert (
        cm.RelatedObject(
            id=SESSION_ID, type="checkout.session", url=f"/v1/checkout/sessions/{SESSION_ID}"
        )
        == notification.related_object
    )
    assert {"type": "request", "request": {"id": "req_v2Abc", "idempotency_key": "k-1"}} == (
        notification.reason
    )


def test_bytes_body_context_and_offset_time() -> None:
    payload = notification_payload(
        context="acct_1Nv0FGQ9RKHgCVdK", livemode=True, created="2026-10-29T10:15:42+02:00"
    )
    del payload["reason"]
    body, header = signed(payload)
    notification = cm.parse_event_notification(body.encode(), header, [SECRET, "whsec_other"])
    assert "acct_1Nv0FGQ9RKHgCVdK" == notification.context
    assert notification.livemode is True
    assert datetime(2026, 10, 29, 8, 15, 42, tzinfo=UTC) == notification.created
    assert UTC is notification.created.tzinfo
    assert None is notification.reason


def test_notifications_are_frozen_hashable_and_picklable() -> None:
    body, header = signed(notification_payload())
    notification = cm.parse_event_notification(body, header, SECRET)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        notification.id = "evt_other"  # type: ignore[misc]
    assert notification == pickle.loads(pickle.dumps(notification))
    assert hash(notification) == hash(cm.parse_event_notification(body, header, SECRET))


def test_stripe_python_reads_the_same_notification() -> None:
    body, header = signed(notification_payload())
    client = stripe.StripeClient("sk_test_unused")
    theirs = client.parse_event_notification(body, header, SECRET)
    ours = cm.parse_event_notification(body, header, SECRET)
    assert isinstance(theirs, stripe.events.V1CheckoutSessionCompletedEventNotification)
    assert (theirs.id, theirs.type, theirs.livemode) == (ours.id, ours.type, ours.livemode)
    assert theirs.related_object.id == ours.related_object.id
    assert theirs.related_object.url == ours.related_object.url


@pytest.mark.parametrize(
    "type_", ["v1.customer.created", "v2.core.account.updated", "v1.checkout.session.updated", ""]
)
def test_other_notification_types_are_unsupported(type_: str) -> None:
    body, header = signed(notification_payload(type_))
    with pytest.raises(cm.UnsupportedEventType) as info:
        cm.parse_event_notification(body, header, SECRET)
    assert (notification_payload()["id"], type_) == (info.value.event_id, info.value.event_type)
    assert "$.type" == info.value.errors[0].path
    assert "v1.checkout.session.completed" in str(info.value)


def test_unsupported_notification_message_is_bounded() -> None:
    body, header = signed(notification_payload("v1." + "y" * (1 << 20)))
    with pytest.raises(cm.UnsupportedEventType) as info:
        cm.parse_event_notification(body, header, SECRET)
    assert len(str(info.value)) < 500


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"type": 5}, "$.type", "expected a string"),
        ({"type": None}, "$.type", "found null"),
        ({"object": "event"}, "$.object", "use construct_event"),
        ({"object": "list"}, "$.object", "expected 'v2.core.event'"),
        ({"object": None}, "$.object", "expected 'v2.core.event'"),
        ({"id": None}, "$.id", "found null"),
        ({"livemode": "no"}, "$.livemode", "true or false"),
        ({"context": 12}, "$.context", "a string or null"),
        ({"created": 1761725742}, "$.created", "expected a string"),
        ({"created": "yesterday"}, "$.created", "RFC 3339"),
        ({"created": "2026-10-29T08:15:42"}, "$.created", "time zone"),
        ({"related_object": None}, "$.related_object", "expected an object"),
        (
            {"related_object": {"id": "cs_1", "type": "customer", "url": "/v1/customers/cs_1"}},
            "$.related_object.type",
            "expected 'checkout.session'",
        ),
        (
            {
                "related_object": {
                    "id": "cs_1",
                    "type": "checkout.session",
                    "url": "https://x.example",
                }
            },
            "$.related_object.url",
            "API path",
        ),
        (
            {"related_object": {"type": "checkout.session", "url": "/v1/checkout/sessions/cs_1"}},
            "$.related_object.id",
            "missing",
        ),
        ({"reason": [1]}, "$.reason", "object or null"),
        ({"reason": json.loads("[" * 300 + "]" * 300)}, "$.reason", "object or null"),
        (
            {"reason": {"x": json.loads("[" * 300 + "]" * 300)}},
            "$.reason.x" + "[0]" * 199,
            "nested deeper",
        ),
    ],
)
def test_malformed_notifications(change: dict[str, Any], path: str, message: str) -> None:
    payload = notification_payload(**change)
    body = json.dumps(payload)
    header = stripe.WebhookSignature.generate_signature_header(body, SECRET)
    with pytest.raises(cm.ParseError) as info:
        cm.parse_event_notification(body, header, SECRET)
    assert not isinstance(info.value, cm.UnsupportedEventType)
    [error] = info.value.errors
    assert path == error.path
    assert message in error.message


def test_missing_fields() -> None:
    payload = notification_payload()
    del payload["related_object"]
    body, header = signed(payload)
    with pytest.raises(cm.ParseError, match="missing") as info:
        cm.parse_event_notification(body, header, SECRET)
    assert "$.related_object" == info.value.errors[0].path
    payload = notification_payload()
    del payload["type"]
    body, header = signed(payload)
    with pytest.raises(cm.ParseError, match="missing"):
        cm.parse_event_notification(body, header, SECRET)


# -- signatures -----------------------------------------------------------------------------------


def test_wrong_stale_and_missing_signatures_are_refused() -> None:
    body, _ = signed(notification_payload())
    with pytest.raises(cm.SignatureVerificationError, match="matching the expected"):
        cm.parse_event_notification(body, signed(notification_payload(), "whsec_x")[1], SECRET)
    stale = stripe.WebhookSignature.generate_signature_header(body, SECRET, int(time.time()) - 900)
    with pytest.raises(cm.SignatureVerificationError, match="tolerance"):
        cm.parse_event_notification(body, stale, SECRET)
    assert SESSION_ID == cm.parse_event_notification(body, stale, SECRET, 3600).related_object.id
    with pytest.raises(cm.SignatureVerificationError, match="No Stripe-Signature header") as info:
        cm.parse_event_notification(body, None, SECRET)
    assert "without_verification" not in str(info.value)
    assert "parse_event" not in str(info.value)  # that function reads snapshot events
    with pytest.raises(ValueError, match="positive"):
        cm.parse_event_notification(body, stale, SECRET, tolerance=0)


def test_signature_is_checked_before_the_type() -> None:
    body = json.dumps(notification_payload("v1.customer.created"))
    with pytest.raises(cm.SignatureVerificationError):
        cm.parse_event_notification(body, "t=1,v1=abc", SECRET)


@settings(max_examples=200)
@given(st.text(), st.one_of(st.none(), st.text()))
def test_any_forged_input_is_only_refused(body: str, header: str | None) -> None:
    with pytest.raises(cm.SignatureVerificationError):
        cm.parse_event_notification(body, header, SECRET)


# -- fetching the session with stripe-python's client ----------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    """Answers as the Stripe API would for one session; records every request."""

    seen: ClassVar[list[dict[str, Any]]] = []
    body: ClassVar[dict[str, Any]] = SESSION
    status: ClassVar[int] = 200

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        self.seen.append(
            {"path": url.path, "query": parse_qs(url.query), "headers": dict(self.headers)}
        )
        data = json.dumps(self.body).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Request-Id", "req_local_1")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads ``seen`` instead."""


@pytest.fixture
def api() -> Iterator[str]:
    """The base address of a local stand-in for api.stripe.com."""
    _Handler.seen.clear()
    _Handler.body = SESSION
    _Handler.status = 200
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def client_for(base: str) -> stripe.StripeClient:
    return stripe.StripeClient(
        "sk_test_local_4eC39HqLyjWDarjtT1zdp7dc",
        base_addresses={"api": base},
        max_network_retries=0,
    )


def notification(**extra: Any) -> cm.EventNotification:
    body, header = signed(notification_payload(**extra))
    return cm.parse_event_notification(body, header, SECRET)


def check_request(request: dict[str, Any], context: str | None) -> None:
    assert f"/v1/checkout/sessions/{SESSION_ID}" == request["path"]
    expand = sorted(
        value
        for key, values in request["query"].items()
        if key.startswith("expand")
        for value in values
    )
    assert sorted(cm.Session.expand_fields) == expand
    headers = {key.lower(): value for key, value in request["headers"].items()}
    assert "Bearer sk_test_local_4eC39HqLyjWDarjtT1zdp7dc" == headers["authorization"]
    assert f"event={notification_payload()['id']}" == headers["stripe-request-trigger"]
    assert context == headers.get("stripe-context")


@pytest.mark.parametrize("context", [None, "acct_1Nv0FGQ9RKHgCVdK"])
def test_fetch_session(api: str, context: str | None) -> None:
    session = notification(context=context).fetch_session(client_for(api))
    assert isinstance(session, cm.Session)
    assert SESSION == cm.dump_session(session)
    assert session.is_paid
    [request] = _Handler.seen
    check_request(request, context)
    assert_type(session, cm.Session)


@pytest.mark.parametrize("context", [None, "acct_1Nv0FGQ9RKHgCVdK"])
def test_fetch_session_async(api: str, context: str | None) -> None:
    client = client_for(api)
    session = asyncio.run(notification(context=context).fetch_session_async(client))
    assert isinstance(session, cm.Session)
    assert SESSION == cm.dump_session(session)
    [request] = _Handler.seen
    check_request(request, context)


def test_fetch_of_another_session_is_refused(api: str) -> None:
    _Handler.body = {**SESSION, "id": "cs_test_someone_else"}
    with pytest.raises(cm.ParseError) as info:
        notification().fetch_session(client_for(api))
    assert "$.id" == info.value.errors[0].path


def test_fetch_of_an_invalid_session_is_a_parse_error(api: str) -> None:
    _Handler.body = {**SESSION, "amount_total": "lots"}
    with pytest.raises(cm.ParseError) as info:
        asyncio.run(notification().fetch_session_async(client_for(api)))
    assert "$.amount_total" == info.value.errors[0].path


def test_a_response_without_a_body_is_a_parse_error() -> None:
    class NoBody:
        def raw_request(self, *args: Any, **kwargs: Any) -> object:
            return object()

    with pytest.raises(cm.ParseError, match="no JSON body"):
        notification().fetch_session(NoBody())  # type: ignore[arg-type]


def test_api_errors_are_stripe_s(api: str) -> None:
    _Handler.status = 404
    _Handler.body = {
        "error": {"type": "invalid_request_error", "message": "No such checkout.session"}
    }
    with pytest.raises(stripe.InvalidRequestError, match=r"No such checkout\.session"):
        notification().fetch_session(client_for(api))
