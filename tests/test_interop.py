"""stripe-python interop: real stripe objects in and out, and a retrieve over HTTP end to end."""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import stripe
from hypothesis import assume, given

import checkout_model as cm
from checkout_model import strategies
from checkout_model._converter import unstructure
from checkout_model._mixins import stripe_json

PAYLOADS = Path(__file__).parent / "payloads"
NAMES = sorted(path.name for path in PAYLOADS.glob("*.json"))
API_KEY = "sk_test_checkout_model_fake"


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PAYLOADS / name).read_text())
    return data


def test_there_are_payloads() -> None:
    assert len(NAMES) >= 10


# -- Session <-> stripe.checkout.Session ----------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_session_from_stripe_object(name: str) -> None:
    payload = load(name)
    stripe_session = stripe.checkout.Session.construct_from(copy.deepcopy(payload), key=None)
    session = cm.Session.from_stripe(stripe_session)
    assert cm.parse_session(payload) == session
    assert payload == cm.dump_session(session)


@pytest.mark.parametrize("name", NAMES)
def test_session_to_stripe_object_and_back(name: str) -> None:
    payload = load(name)
    session = cm.parse_session(payload)
    stripe_session = session.to_stripe()
    assert isinstance(stripe_session, stripe.checkout.Session)
    assert session.id == stripe_session.id
    assert payload == stripe_json(stripe_session)
    assert session == cm.Session.from_stripe(stripe_session)


def test_to_stripe_builds_stripe_pythons_own_nested_classes() -> None:
    stripe_session = cm.parse_session(load("payment_expanded.json")).to_stripe()
    assert isinstance(stripe_session.line_items, stripe.ListObject)
    assert isinstance(stripe_session.line_items.data[0], stripe.LineItem)
    assert isinstance(stripe_session.line_items.data[0].price, stripe.Price)
    assert isinstance(stripe_session.total_details, stripe.checkout.Session.TotalDetails)


def test_from_stripe_keeps_what_to_dict_would_lose() -> None:
    payload = {
        "id": "cs_test_interop",
        "object": "checkout.session",
        "currency_conversion": {
            "amount_subtotal": 1000,
            "amount_total": 1000,
            "fx_rate": "0.00000010",
            "source_currency": "usd",
        },
        "metadata": {},
        "future_grid": [[{"cell": 1}, {"cell": None}], []],
    }
    stripe_session = stripe.checkout.Session.construct_from(copy.deepcopy(payload), key=None)
    # stripe-python turns the decimal string into a Decimal and leaves nested lists unconverted
    assert stripe_session.currency_conversion is not None
    assert isinstance(stripe_session.currency_conversion.fx_rate, Decimal)
    assert not isinstance(stripe_session.to_dict()["future_grid"][0][0], dict)
    session = cm.Session.from_stripe(stripe_session)
    assert session.currency_conversion is not None
    assert Decimal("0.00000010") == session.currency_conversion.fx_rate
    assert payload == cm.dump_session(session)
    assert payload == cm.dump_session(cm.Session.from_stripe(session.to_stripe()))


def test_from_stripe_strict() -> None:
    payload = load("unknown_fields.json")
    stripe_session = stripe.checkout.Session.construct_from(payload, key=None)
    assert cm.Session.from_stripe(stripe_session).unknown_fields
    with pytest.raises(cm.ParseError):
        cm.Session.from_stripe(stripe_session, strict=True)


def test_from_stripe_accepts_a_plain_mapping() -> None:
    payload = load("setup.json")
    assert cm.parse_session(payload) == cm.Session.from_stripe(payload)


@pytest.mark.parametrize("value", [None, "cs_test_1", 42, ["cs_test_1"]])
def test_from_stripe_rejects_what_is_not_an_object(value: Any) -> None:
    with pytest.raises(cm.ParseError) as info:
        cm.Session.from_stripe(value)
    assert "$" == info.value.errors[0].path
    assert "stripe-python object" in info.value.errors[0].message


def test_from_stripe_rejects_another_resource() -> None:
    customer = stripe.Customer.construct_from({"id": "cus_1", "object": "customer"}, key=None)
    with pytest.raises(cm.ParseError) as info:
        cm.Session.from_stripe(customer)
    assert "$.object" == info.value.errors[0].path


def test_from_stripe_on_absurdly_deep_input() -> None:
    deep: dict[str, Any] = {}
    for _ in range(5000):
        deep = {"a": deep}
    with pytest.raises(cm.ParseError, match="nested too deeply"):
        cm.Session.from_stripe({"id": "cs_1", "object": "checkout.session", "x": deep})


# -- LineItem <-> stripe.LineItem -----------------------------------------------------------------


def test_line_item_round_trip() -> None:
    payload = load("payment_expanded.json")["line_items"]["data"][0]
    stripe_item = stripe.LineItem.construct_from(copy.deepcopy(payload), key=None)
    item = cm.LineItem.from_stripe(stripe_item)
    assert payload == unstructure(item)
    back = item.to_stripe()
    assert isinstance(back, stripe.LineItem)
    assert payload == stripe_json(back)
    assert item == cm.LineItem.from_stripe(back)


# -- retrieve over HTTP, end to end -------------------------------------------------------------


class FakeStripe:
    """A tiny stand-in for the Stripe API: serves stored sessions, records every request."""

    def __init__(self, sessions: dict[str, dict[str, Any]]) -> None:
        self.sessions = sessions
        self.requests: list[tuple[str, list[tuple[str, str]], dict[str, str]]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urlsplit(self.path)
                fake.requests.append((url.path, parse_qsl(url.query), dict(self.headers)))
                prefix = "/v1/checkout/sessions/"
                ident = url.path.removeprefix(prefix)
                if url.path.startswith(prefix) and ident in fake.sessions:
                    self.reply(200, fake.sessions[ident])
                else:
                    error = {"type": "invalid_request_error", "code": "resource_missing"}
                    self.reply(404, {"error": {**error, "message": f"No such session: {ident}"}})

            def reply(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def expand_params(self, index: int) -> list[str]:
        """The ``expand[]`` values a recorded request carried, in order."""
        return [value for key, value in self.requests[index][1] if key.startswith("expand[")]


@pytest.fixture
def fake_stripe(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeStripe]:
    payload = load("payment_expanded.json")
    fake = FakeStripe({payload["id"]: payload})
    fake.thread.start()
    http_client = stripe.UrllibClient()
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    monkeypatch.setattr(stripe, "api_key", API_KEY)
    monkeypatch.setattr(stripe, "api_base", fake.base)
    monkeypatch.setattr(stripe, "max_network_retries", 0)
    monkeypatch.setattr(stripe, "enable_telemetry", False)
    monkeypatch.setattr(stripe, "default_http_client", http_client)
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()
        fake.thread.join()
        http_client.close()  # type: ignore[no-untyped-call]


def test_retrieve_with_the_global_client(fake_stripe: FakeStripe) -> None:
    payload = load("payment_expanded.json")
    retrieved = stripe.checkout.Session.retrieve(
        payload["id"], expand=list(cm.Session.expand_fields)
    )
    session = cm.Session.from_stripe(retrieved)

    assert cm.parse_session(payload) == session
    assert payload == cm.dump_session(session)
    assert session.line_items is not None
    assert session.line_items.data
    assert cm.Money(7459, "usd") == session.total_money
    assert session.is_paid

    [(path, _, headers)] = fake_stripe.requests
    assert f"/v1/checkout/sessions/{payload['id']}" == path
    assert list(cm.Session.expand_fields) == fake_stripe.expand_params(0)
    assert f"Bearer {API_KEY}" == headers["Authorization"]


def test_retrieve_with_stripe_client(fake_stripe: FakeStripe) -> None:
    payload = load("payment_expanded.json")
    http_client = stripe.UrllibClient()
    client = stripe.StripeClient(
        API_KEY,
        base_addresses={"api": fake_stripe.base},
        http_client=http_client,
        max_network_retries=0,
    )
    try:
        retrieved = client.v1.checkout.sessions.retrieve(
            payload["id"], params={"expand": list(cm.Session.expand_fields)}
        )
    finally:
        http_client.close()  # type: ignore[no-untyped-call]
    assert isinstance(retrieved, stripe.checkout.Session)
    assert payload == cm.dump_session(cm.Session.from_stripe(retrieved))
    assert list(cm.Session.expand_fields) == fake_stripe.expand_params(0)


def test_retrieve_of_an_unknown_session_is_stripes_error(fake_stripe: FakeStripe) -> None:
    with pytest.raises(stripe.InvalidRequestError, match="No such session"):
        stripe.checkout.Session.retrieve("cs_test_missing")
    assert [] == fake_stripe.expand_params(0)


# -- properties over generated sessions ------------------------------------------------------------


def has_null_map(value: object) -> bool:
    """Whether a payload holds ``currency_options: null``, which stripe-python 16.1 cannot build.

    Stripe sends ``currency_options`` only when asked to include it, and then as an object; the
    generated payloads may make it null, and ``construct_from`` fails on that with AttributeError.
    """
    if isinstance(value, dict):
        if "currency_options" in value and value["currency_options"] is None:
            return True
        return any(has_null_map(item) for item in value.values())
    if isinstance(value, list):
        return any(has_null_map(item) for item in value)
    return False


def test_stripe_python_cannot_build_a_null_currency_options_map() -> None:
    """Why the properties below skip such payloads; fails once stripe-python handles them."""
    rate = {"id": "shr_1", "object": "shipping_rate", "fixed_amount": {"currency_options": None}}
    assert has_null_map({"shipping_options": [{"shipping_rate": rate}]})
    with pytest.raises(AttributeError):
        stripe.ShippingRate.construct_from(rate, key=None)


@given(strategies.session_payloads(unknown_fields=True, unknown_enum_values=True))
def test_any_session_round_trips_through_stripe_python(payload: dict[str, Any]) -> None:
    assume(not has_null_map(payload))
    via_stripe = stripe.checkout.Session.construct_from(copy.deepcopy(payload), key=None)
    session = cm.Session.from_stripe(via_stripe)
    assert payload == cm.dump_session(session)
    assert payload == stripe_json(session.to_stripe())


@given(strategies.line_item_payloads())
def test_any_line_item_round_trips_through_stripe_python(payload: dict[str, Any]) -> None:
    assume(not has_null_map(payload))
    item = cm.LineItem.from_stripe(stripe.LineItem.construct_from(copy.deepcopy(payload), key=None))
    assert payload == unstructure(item)
    assert item == cm.LineItem.from_stripe(item.to_stripe())
