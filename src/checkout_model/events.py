"""Webhook events about Checkout Sessions: verify, parse and write back Stripe's event envelope."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs
import stripe

from ._base import FrozenDict, FrozenJson, OpenEnum
from ._converter import structure, unstructure
from ._mixins import from_stripe_object
from ._model import StripeModel
from .errors import ParseError
from .parsing import JsonInput, load_json
from .session import Session

__all__ = [
    "Event",
    "EventData",
    "EventRequest",
    "EventType",
    "construct_event",
    "dump_event",
    "parse_event",
]


class EventType(OpenEnum):
    """The Checkout Session events this library parses; each equals Stripe's type string."""

    CHECKOUT_SESSION_ASYNC_PAYMENT_FAILED = "checkout.session.async_payment_failed"
    """A delayed payment (bank debit, voucher, ...) failed: do not fulfil; tell the customer."""
    CHECKOUT_SESSION_ASYNC_PAYMENT_SUCCEEDED = "checkout.session.async_payment_succeeded"
    """A delayed payment arrived after checkout completed: fulfil now."""
    CHECKOUT_SESSION_COMPLETED = "checkout.session.completed"
    """The customer finished checkout; fulfil if the session is paid, else wait for the money."""
    CHECKOUT_SESSION_EXPIRED = "checkout.session.expired"
    """The session expired unfinished: release reserved stock or send a recovery link."""


_SUPPORTED = ", ".join(repr(member.value) for member in EventType)


@attrs.frozen(kw_only=True, repr=False)
class EventRequest(StripeModel):
    """The API request that caused the event; both fields are null when Stripe acted on its own."""

    id: str | None = None
    """ID of the API request (req_...), or null for automatic events such as expiry."""
    idempotency_key: str | None = None
    """Idempotency key the request was sent with, if any."""


@attrs.frozen(kw_only=True, repr=False)
class EventData(StripeModel):
    """What the event is about: the session as it was when the event happened."""

    object: Session
    """The Checkout Session, in the shape of the event's API version."""
    previous_attributes: FrozenDict[str, FrozenJson] | None = None
    """Old values of the fields that changed, for update events; kept as raw JSON."""


@attrs.frozen(kw_only=True, repr=False)
class Event(StripeModel):
    """A webhook event about a Checkout Session, as Stripe delivers it to your endpoint."""

    id: str
    """Unique ID of the event (evt_...); store it to ignore redeliveries of the same event."""
    object: str = "event"
    """Type tag of the object; always event."""
    account: str | None = None
    """Connected account the event belongs to (Connect webhooks only)."""
    api_version: str | None = None
    """API version the session inside was rendered with (the endpoint's or account's version)."""
    context: str | None = None
    """Account path of the event when it comes from an organization's or a connected account."""
    created: datetime | None = None
    """When the event happened (UTC)."""
    data: EventData
    """The session the event is about, and what changed."""
    livemode: bool | None = None
    """True for live payments, False for test mode."""
    pending_webhooks: int | None = None
    """How many endpoints have not yet acknowledged this event."""
    request: str | EventRequest | None = None
    """The API request that caused the event (a bare request ID in API versions before 2017)."""
    type: EventType
    """Which of the four Checkout Session events this is."""

    @property
    def session(self) -> Session:
        """The Checkout Session the event is about (``data.object``)."""
        return self.data.object

    @classmethod
    def from_stripe(
        cls, obj: stripe.StripeObject | Mapping[str, Any], strict: bool = False
    ) -> Event:
        """The event inside a ``stripe.Event``, losslessly (ParseError if invalid)."""
        return parse_event(from_stripe_object(obj), strict)

    def to_stripe(self) -> stripe.Event:
        """This event as a ``stripe.Event``, built from exactly the dumped payload."""
        return stripe.Event.construct_from(dump_event(self), key=None)


def _check_type(data: Mapping[str, Any]) -> None:
    """Reject any event that is not one of the four Checkout Session events, even when lenient."""
    value = data.get("type")
    if value.__class__ is str and value in EventType._value2member_map_:
        return
    if "type" not in data:
        found = "it is missing"
    elif value.__class__ is str:
        found = f"found {value!r}"
    else:
        found = f"found {type(value).__name__ if value is not None else 'null'}"
    raise ParseError.at("$.type", f"unsupported event type: {found}; supported: {_SUPPORTED}")


def parse_event(data: JsonInput, strict: bool = False) -> Event:
    """Parse a Checkout Session webhook event; raise ParseError (with JSONPaths) if it is invalid.

    The session inside may have the shape of any API version. Events of other types are a
    ParseError at ``$.type`` in strict and lenient mode alike. This does not check the
    signature: use ``construct_event`` for a request body your endpoint received.
    """
    payload = load_json(data)
    _check_type(payload)
    event: Event = structure(payload, Event, strict)
    return event


def construct_event(
    payload: str | bytes | bytearray,
    sig_header: str | None,
    secret: str,
    tolerance: int = 300,
    *,
    strict: bool = False,
) -> Event:
    """Verify a webhook request's ``Stripe-Signature`` header, then parse its body.

    ``payload`` is the raw request body, exactly as received. A missing, malformed, wrong or
    older-than-``tolerance``-seconds signature raises ``stripe.SignatureVerificationError``
    (verified by stripe-python itself); a genuine but invalid event raises ParseError.
    """
    if isinstance(payload, (bytes, bytearray)):
        try:
            payload = payload.decode("utf-8")
        except UnicodeDecodeError:
            raise stripe.SignatureVerificationError(  # type: ignore[no-untyped-call]
                "The request body is not UTF-8 text, so Stripe did not sign it", sig_header
            ) from None
    stripe.WebhookSignature.verify_header(payload, sig_header, secret, tolerance)
    return parse_event(payload, strict)


def dump_event(event: Event) -> dict[str, Any]:
    """The event as JSON-ready data: exactly the payload it was parsed from."""
    return unstructure(event)
