"""Thin event notifications about Checkout Sessions (``v1.checkout.session.*``, event destinations).

A thin notification carries no session: only which event happened and which session it is
about. Verify and parse it with :func:`parse_event_notification`, then fetch the session as it is
now with :meth:`EventNotification.fetch_session` (or ``fetch_session_async``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import attrs

from ._base import FrozenDict, FrozenJson, OpenEnum
from ._json import freeze_object
from .errors import ParseError, _Invalid
from .events import EventType, UnsupportedEventType, _quote, _verify_signature
from .parsing import load_json, parse_session
from .session import Session

if TYPE_CHECKING:
    import stripe

__all__ = [
    "EventNotification",
    "EventNotificationType",
    "RelatedObject",
    "parse_event_notification",
]


class EventNotificationType(OpenEnum):
    """The thin Checkout Session notifications this library parses; each equals Stripe's string."""

    V1_CHECKOUT_SESSION_ASYNC_PAYMENT_FAILED = "v1.checkout.session.async_payment_failed"
    """A delayed payment failed: do not fulfil; tell the customer."""
    V1_CHECKOUT_SESSION_ASYNC_PAYMENT_SUCCEEDED = "v1.checkout.session.async_payment_succeeded"
    """A delayed payment arrived after checkout completed: fulfil now."""
    V1_CHECKOUT_SESSION_COMPLETED = "v1.checkout.session.completed"
    """The customer finished checkout; fetch the session to see whether it is paid."""
    V1_CHECKOUT_SESSION_EXPIRED = "v1.checkout.session.expired"
    """The session expired unfinished."""


_SUPPORTED = ", ".join(repr(member.value) for member in EventNotificationType)
_OBJECT = "v2.core.event"


@attrs.frozen(kw_only=True)
class RelatedObject:
    """The object a notification is about: here, always a Checkout Session."""

    id: str
    """The session's id (cs_...)."""
    type: str
    """The object's type; ``checkout.session``."""
    url: str
    """API path that retrieves the object, such as ``/v1/checkout/sessions/cs_...``."""


@attrs.frozen(kw_only=True)
class EventNotification:
    """A verified thin notification that something happened to a Checkout Session."""

    id: str
    """ID of the event (evt_...); store it to ignore redeliveries."""
    type: EventNotificationType
    """Which of the four notifications this is; equals Stripe's string."""
    created: datetime
    """When the event happened (timezone-aware, UTC)."""
    livemode: bool
    """True for live payments, False for test mode (a sandbox)."""
    context: str | None = None
    """Account the event belongs to (a connected account or an account in an organization)."""
    related_object: RelatedObject
    """The session the event is about."""
    reason: FrozenDict[str, FrozenJson] | None = attrs.field(default=None, repr=False, hash=False)
    """Why the event happened (for example the API request that caused it), as raw JSON."""

    @property
    def event_type(self) -> EventType:
        """The snapshot event type with the same meaning (``checkout.session.completed``, ...)."""
        return EventType(self.type.value.removeprefix("v1."))

    def _request(self) -> tuple[str, str, dict[str, Any]]:
        params: dict[str, Any] = {
            "expand": list(Session.expand_fields),
            "headers": {"Stripe-Request-Trigger": f"event={self.id}"},
        }
        if self.context is not None:
            params["stripe_context"] = self.context
        return "get", self.related_object.url, params

    def _session(self, response: Any) -> Session:
        body = getattr(response, "body", None)
        if not isinstance(body, str):
            raise ParseError.at("$", "the API response has no JSON body")
        session = parse_session(body)
        if session.id != self.related_object.id:
            raise ParseError.at(
                "$.id",
                f"expected the session {_quote(self.related_object.id)}, "
                f"found {_quote(session.id)}",
            )
        return session

    def fetch_session(self, client: stripe.StripeClient) -> Session:
        """The session as it is now, retrieved with ``client`` and ``Session.expand_fields``.

        Requests go through the client's own HTTP stack (retries, API version, account context);
        API errors are stripe-python's (``stripe.StripeError``). Raises ParseError when the
        response is not the session this notification is about.
        """
        method, url, params = self._request()
        return self._session(client.raw_request(method, url, **params))

    async def fetch_session_async(self, client: stripe.StripeClient) -> Session:
        """Same as :meth:`fetch_session`, with the client's async HTTP stack (needs httpx)."""
        method, url, params = self._request()
        return self._session(await client.raw_request_async(method, url, **params))


def _string(data: Mapping[str, Any], key: str, path: str = "$") -> str:
    value = data.get(key)
    if value.__class__ is not str:
        found = "it is missing" if key not in data else f"found {type(value).__name__}"
        if value is None and key in data:
            found = "found null"
        raise ParseError.at(f"{path}.{key}", f"expected a string, {found}")
    text: str = value
    return text


def _created(data: Mapping[str, Any]) -> datetime:
    text = _string(data, "created")
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise ParseError.at(
            "$.created", f"expected an RFC 3339 timestamp with a time zone, found {_quote(text)}"
        )
    return when.astimezone(UTC)


def _related_object(data: Mapping[str, Any]) -> RelatedObject:
    value = data.get("related_object")
    if not isinstance(value, Mapping):
        found = "it is missing" if "related_object" not in data else "found another value"
        raise ParseError.at("$.related_object", f"expected an object, {found}")
    path = "$.related_object"
    kind = _string(value, "type", path)
    if kind != "checkout.session":
        raise ParseError.at(f"{path}.type", f"expected 'checkout.session', found {_quote(kind)}")
    url = _string(value, "url", path)
    if not url.startswith("/"):
        raise ParseError.at(f"{path}.url", f"expected an API path, found {_quote(url)}")
    return RelatedObject(id=_string(value, "id", path), type=kind, url=url)


def _parse(data: Mapping[str, Any]) -> EventNotification:
    kind = data.get("object")
    if kind == "event":
        raise ParseError.at(
            "$.object",
            "this is a snapshot event, not a thin notification: use construct_event",
        )
    if kind != _OBJECT:
        shown = _quote(kind) if isinstance(kind, str) else type(kind).__name__
        raise ParseError.at("$.object", f"expected {_OBJECT!r}, found {shown}")
    event_type = _string(data, "type")
    if event_type not in EventNotificationType._value2member_map_:
        event_id = data.get("id")
        raise UnsupportedEventType(
            event_id if event_id.__class__ is str else None, event_type, _SUPPORTED
        )
    event_id = _string(data, "id")
    livemode = data.get("livemode", False)
    if livemode.__class__ is not bool:
        raise ParseError.at("$.livemode", "expected true or false")
    context = data.get("context")
    if context is not None and context.__class__ is not str:
        raise ParseError.at("$.context", "expected a string or null")
    reason = data.get("reason")
    if reason is not None:
        if not isinstance(reason, Mapping):
            raise ParseError.at("$.reason", "expected an object or null")
        try:
            reason = freeze_object(reason)
        except _Invalid as exc:
            raise ParseError([exc.detail(["reason"])]) from None
    return EventNotification(
        id=event_id,
        type=EventNotificationType(event_type),
        created=_created(data),
        livemode=livemode,
        context=context,
        related_object=_related_object(data),
        reason=reason,
    )


def parse_event_notification(
    payload: str | bytes | bytearray,
    sig_header: str | None,
    secret: str | Sequence[str],
    tolerance: int = 300,
) -> EventNotification:
    """Verify a thin notification's ``Stripe-Signature`` header, then parse its body.

    The signature is checked as for :func:`~checkout_model.construct_event` (stripe-python's
    ``WebhookSignature``, the check ``StripeClient.parse_event_notification`` makes; one secret or
    several; ``tolerance`` in seconds, positive). A wrong signature raises
    ``SignatureVerificationError``; a genuine notification of another type raises
    :class:`~checkout_model.UnsupportedEventType`; a malformed one raises ParseError.
    """
    text = _verify_signature(payload, sig_header, secret, tolerance, unverified=None)
    return _parse(load_json(text))
