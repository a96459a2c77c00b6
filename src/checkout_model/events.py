"""Webhook events about Checkout Sessions: verify, parse and write back Stripe's event envelope."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, NoReturn

import attrs

from . import _fast
from ._base import FrozenDict, FrozenJson, OpenEnum
from ._converter import structure, unstructure
from ._mixins import from_stripe_object
from ._model import StripeModel
from .enums import Mode, PaymentStatus
from .errors import ErrorDetail, ParseError, safe_repr
from .parsing import JsonInput, load_json
from .session import Session
from .versions import ApiVersion

__all__ = [
    "Event",
    "EventData",
    "EventRequest",
    "EventType",
    "SignatureVerificationError",
    "UnsupportedEventType",
    "construct_event",
    "dump_event",
    "parse_event",
]

if TYPE_CHECKING:
    import stripe
    from stripe import SignatureVerificationError
else:

    def __getattr__(name: str) -> Any:
        # stripe-python is imported when a webhook is verified, not with this package: its
        # error class is handed out on first use.
        if name == "SignatureVerificationError":
            from stripe import SignatureVerificationError

            return SignatureVerificationError
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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

_SHOWN: Final = 80
"""How many characters of a caller's string an error message quotes at most."""


def _quote(value: str) -> str:
    """``repr`` of a string from a payload, cut so that no message grows with the input."""
    return repr(value) if len(value) <= _SHOWN else repr(value[: _SHOWN - 3] + "...")


class UnsupportedEventType(ParseError):
    """A well-formed event of a type this library does not model (acknowledge it and move on).

    ``event_type`` is the type Stripe sent and ``event_id`` the event's id (None if the payload
    had none). An endpoint receives every type it subscribed to; answering these with a 2xx keeps
    Stripe from retrying them. A ``type`` that is not a string at all is a plain ParseError.
    """

    event_id: str | None
    event_type: str

    def __init__(self, event_id: str | None, event_type: str, supported: str = _SUPPORTED) -> None:
        self.event_id = event_id
        self.event_type = event_type
        self._supported = supported
        message = f"unsupported event type {_quote(event_type)}; supported: {supported}"
        super().__init__([ErrorDetail("$.type", message)])

    def __reduce__(self) -> tuple[type[UnsupportedEventType], tuple[str | None, str, str]]:
        return (type(self), (self.event_id, self.event_type, self._supported))


@attrs.frozen(kw_only=True, repr=False)
class EventRequest(StripeModel):
    """The API request that caused the event; both fields are null when Stripe acted on its own."""

    id: str | None = None
    """ID of the API request (req_...), or null for automatic events such as expiry."""
    idempotency_key: str | None = None
    """Idempotency key the request was sent with, if any."""


_SECRET_KEYS: Final = frozenset({"client_secret"})
"""Keys whose values ``repr`` never shows, wherever they appear in raw JSON."""


def _redacted(value: FrozenJson) -> Any:
    """Raw JSON for ``repr``: the values of secret keys replaced, at every depth."""
    if isinstance(value, Mapping):
        return {
            key: "<redacted>" if key in _SECRET_KEYS else _redacted(item)
            for key, item in value.items()
        }
    if isinstance(value, tuple):
        return tuple(_redacted(item) for item in value)
    return value


@attrs.frozen(kw_only=True, repr=False)
class EventData(StripeModel):
    """What the event is about: the session as it was when the event happened."""

    object: Session
    """The Checkout Session, in the shape of the event's API version."""
    previous_attributes: FrozenDict[str, FrozenJson] | None = None
    """Old values of the fields that changed, for update events; kept as raw JSON."""

    def __repr__(self) -> str:
        """The session and the changed fields; secrets (``client_secret``) never shown."""
        shown = [f"object={self.object!r}"]
        if self.previous_attributes is not None:
            shown.append(f"previous_attributes={safe_repr(_redacted(self.previous_attributes))}")
        return f"EventData({', '.join(shown)})"


# Dates from Stripe's OpenAPI history (github.com/stripe/openapi, openapi/spec3.json; the first
# commit whose checkout.session schema or webhook event list has the name):
_PAYMENT_STATUS_SINCE: Final = _dt.date(2020, 9, 2)
"""``payment_status`` (paid / unpaid / no_payment_required) first appears on checkout.session in
the spec of 2020-09-02. It was added to every API version from then on, so a session without it
was rendered before that day; only an event whose API version is older can carry one."""
# Other dates behind the rules below (same source):
# - 2019-03-18: checkout.session and the ``checkout.session.completed`` event first appear. The
#   fulfilment guide of that time (stripe.com/docs/payments/checkout/fulfillment) describes the
#   completed Checkout as the customer having "successfully completed their payment" (or started
#   a subscription): Checkout then took immediate methods only, so such a completion is paid.
# - 2020-06-03: ``checkout.session.async_payment_succeeded`` / ``_failed`` join the webhook event
#   list: from then on a delayed method (Bacs, SEPA and other bank debits, vouchers) could
#   complete a session whose money was still on its way, three months before payment_status.
#   Today's guide (docs.stripe.com/checkout/fulfillment, "immediate versus delayed payment
#   methods") says to wait for ``async_payment_succeeded`` for those.
# - 2021-08-31 / 2021-09-07: ``expires_at`` and the ``checkout.session.expired`` event.
# - 2021-11-10: ``status`` (open / complete / expired).

_DELAYED_METHODS: Final = frozenset(
    {
        "acss_debit",
        "au_becs_debit",
        "bacs_debit",
        "boleto",
        "customer_balance",
        "konbini",
        "oxxo",
        "sepa_debit",
        "sofort",
        "us_bank_account",
    }
)
"""Payment method types that confirm days after checkout ("delayed notification" methods)."""

_SETTLED: Final = frozenset({PaymentStatus.PAID, PaymentStatus.NO_PAYMENT_REQUIRED})
_OWED: Final = frozenset({PaymentStatus.UNPAID})


@attrs.frozen(kw_only=True, repr=False)
class Event(StripeModel):
    """A webhook event about a Checkout Session, as Stripe delivers it to your endpoint."""

    id: str
    """Unique ID of the event (evt_...); store it to ignore redeliveries of the same event."""
    object: str = "event"
    """Type tag of the object; always event."""
    account: str | None = None
    """Connected account the event belongs to (Connect webhooks only)."""
    api_version: ApiVersion | None = None
    """API version the session inside was rendered with (the endpoint's or account's version).

    An :class:`~checkout_model.ApiVersion`: ordered, with ``.date`` and ``.release``; ``str()``
    and ``dump_event`` give back exactly the text Stripe sent.
    """
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

    # -- what a fulfilment handler asks, right for every API version --------------------------

    @property
    def is_paid(self) -> bool:
        """Whether you may fulfil now: the money arrived, or the session needed none.

        Reads the event type first, then the session's ``payment_status``; for sessions rendered
        before ``payment_status`` existed (API versions before 2020-09-02) it reads what a
        completed event meant then. Expired and failed events are never paid.
        """
        return self._payment_state() == "paid"

    @property
    def awaits_async_payment(self) -> bool:
        """Whether checkout completed with a delayed payment method whose money is still due.

        Wait for ``checkout.session.async_payment_succeeded`` (or ``_failed``) before fulfilling.
        """
        return self._payment_state() == "pending"

    @property
    def payment_failed(self) -> bool:
        """Whether this event reports that a delayed payment failed (do not fulfil)."""
        return self.type == EventType.CHECKOUT_SESSION_ASYNC_PAYMENT_FAILED

    def _payment_state(self) -> str:
        """``paid``, ``pending`` or ``none`` (not paid and not expected to be)."""
        kind = self.type
        if kind == EventType.CHECKOUT_SESSION_ASYNC_PAYMENT_SUCCEEDED:
            return "paid"
        if kind != EventType.CHECKOUT_SESSION_COMPLETED:
            return "none"  # expired, or a delayed payment that failed
        session = self.session
        status = session.payment_status
        if status is not None:
            if status in _SETTLED:
                return "paid"
            if status in _OWED:
                return "pending"
            return "none"  # a payment status Stripe added later: do not guess
        if session.mode == Mode.SETUP:
            return "paid"  # saving a payment method owes nothing
        version = self.api_version
        if version is not None and version.date >= _PAYMENT_STATUS_SINCE:
            # Sessions of this version always carry payment_status; without it, do not guess.
            return "none"
        methods = session.payment_method_types or ()
        if any(method in _DELAYED_METHODS for method in methods):
            return "pending"
        return "paid"

    # -- stripe-python interop -----------------------------------------------------------------

    @classmethod
    def from_stripe(
        cls, obj: stripe.StripeObject | Mapping[str, Any], strict: bool = False
    ) -> Event:
        """The event inside a ``stripe.Event``, losslessly (ParseError if invalid)."""
        return parse_event(from_stripe_object(obj), strict)

    def to_stripe(self) -> stripe.Event:
        """This event as a ``stripe.Event``, built from exactly the dumped payload."""
        import stripe

        return stripe.Event.construct_from(dump_event(self), key=None)


def _event_id(data: Mapping[str, Any]) -> str | None:
    value = data.get("id")
    return value if value.__class__ is str else None


def _check_type(data: Mapping[str, Any]) -> None:
    """Reject any event that is not one of the four Checkout Session events, even when lenient."""
    value = data.get("type")
    if value.__class__ is str and value in EventType._value2member_map_:
        return
    if value.__class__ is str:
        raise UnsupportedEventType(_event_id(data), value)
    if "type" not in data:
        found = "it is missing"
    else:
        found = f"found {type(value).__name__ if value is not None else 'null'}"
    raise ParseError.at("$.type", f"unsupported event type: {found}; supported: {_SUPPORTED}")


def fast_event(data: object, strict: bool) -> Event | None:
    """A Checkout Session event from JSON text by the msgspec fast path, or None: then the text
    takes ``parse_event``'s generic route (an event of another type is refused there)."""
    fast: Event | None = _fast.parse(data, Event, strict)
    if fast is not None and fast.type.__class__ is EventType:
        return fast
    return None


def parse_event(data: JsonInput, strict: bool = False) -> Event:
    """Parse a Checkout Session webhook event; raise ParseError (with JSONPaths) if it is invalid.

    The session inside may have the shape of any API version. An event of another type raises
    :class:`UnsupportedEventType` (a ParseError at ``$.type``) in strict and lenient mode alike.
    This does not check the signature: use ``construct_event`` for a request body your endpoint
    received, and this for events you already verified or fetched from the API.
    """
    fast = fast_event(data, strict)
    if fast is not None:
        return fast
    payload = load_json(data)
    _check_type(payload)
    event: Event = structure(payload, Event, strict)
    _fast.learn(event, Event, strict)
    return event


# -- signatures ------------------------------------------------------------------------------------


def _refuse(message: str, header: str | None, payload: str | None = None) -> NoReturn:
    import stripe

    raise stripe.SignatureVerificationError(message, header, payload)  # type: ignore[no-untyped-call]


def _verify_signature(
    payload: str | bytes | bytearray,
    sig_header: str | None,
    secret_or_secrets: str | Sequence[str],
    tolerance: int = 300,
    unverified: str | None = "checkout_model.parse_event",
) -> str:
    """Check a webhook body's ``Stripe-Signature`` header; return the body as text.

    stripe-python's ``WebhookSignature`` checks the signature; this first refuses, with
    ``stripe.SignatureVerificationError``, every input that would make it raise something else
    (a body that is not UTF-8, a header that is not ASCII), and tries each secret in turn.
    ``tolerance`` must be a positive number of seconds (a ``ValueError`` otherwise): stripe-python
    reads 0 as "do not check the age", which would accept a signature of any age. ``unverified``
    names what parses such a body without a signature, for the missing-header message (None:
    nothing in this library does).
    """
    if not tolerance > 0:
        raise ValueError(
            f"tolerance must be a positive number of seconds, not {tolerance!r}: a signature older "
            "than that is refused (to accept old events, pass a larger tolerance)"
        )
    secrets = _secrets(secret_or_secrets)
    if isinstance(sig_header, (bytes, bytearray)):  # some frameworks hand headers over as bytes
        sig_header = sig_header.decode("latin-1")
    elif sig_header is not None and not isinstance(sig_header, str):
        raise TypeError(f"the Stripe-Signature header is a string, not {type(sig_header).__name__}")
    if isinstance(payload, (bytes, bytearray)):
        try:
            text = payload.decode("utf-8")
        except UnicodeDecodeError:
            _refuse("The request body is not UTF-8 text, so Stripe did not sign it", sig_header)
    elif not isinstance(payload, str):
        raise TypeError(f"the request body is str or bytes, not {type(payload).__name__}")
    else:
        text = payload
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            _refuse(
                "The request body holds characters UTF-8 cannot encode (lone surrogates), "
                "so Stripe did not sign it",
                sig_header,
            )
    if not sig_header:
        message = (
            "No Stripe-Signature header value was provided: pass the request's Stripe-Signature "
            "header."
        )
        if unverified is not None:
            message += (
                " For an event that was already verified or comes from a trusted source, "
                f"use {unverified} instead."
            )
        _refuse(message, sig_header, text)
    if not sig_header.isascii():
        _refuse("Unable to extract timestamp and signatures from header", sig_header, text)
    import stripe

    failure: stripe.SignatureVerificationError | None = None
    for secret in secrets:
        try:
            stripe.WebhookSignature.verify_header(text, sig_header, secret, tolerance)
        except stripe.SignatureVerificationError as exc:
            if "matching the expected" not in str(exc):
                raise  # malformed or stale: the same for every secret
            failure = exc
        else:
            return text
    assert failure is not None
    raise failure


def _secrets(secret_or_secrets: str | Sequence[str]) -> tuple[str, ...]:
    if isinstance(secret_or_secrets, str):
        secrets: tuple[str, ...] = (secret_or_secrets,)
    else:
        secrets = tuple(secret_or_secrets)
        for secret in secrets:
            if not isinstance(secret, str):
                raise TypeError(f"webhook secrets are strings, not {type(secret).__name__}")
    if not secrets or any(not secret.strip() for secret in secrets):
        _refuse("No webhook secret value was provided. It should start with `whsec_`", None)
    for secret in secrets:
        try:
            secret.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("a webhook secret holds characters UTF-8 cannot encode") from None
    return secrets


def construct_event(
    payload: str | bytes | bytearray,
    sig_header: str | None,
    secret_or_secrets: str | Sequence[str],
    tolerance: int = 300,
    *,
    strict: bool = False,
) -> Event:
    """Verify a webhook request's ``Stripe-Signature`` header, then parse its body.

    ``payload`` is the raw request body, exactly as received; ``secret_or_secrets`` is your
    endpoint's signing secret, or several (during a secret rotation, or for an endpoint that
    receives both account and Connect events): the body is genuine if any of them signed it. A
    missing, malformed, wrong or older-than-``tolerance``-seconds signature raises
    ``SignatureVerificationError`` (stripe-python's, checked by stripe-python's own
    ``WebhookSignature``); ``tolerance`` must be positive. A genuine event of another type raises
    :class:`UnsupportedEventType`; a genuine but invalid event raises ParseError.
    """
    text = _verify_signature(payload, sig_header, secret_or_secrets, tolerance)
    return parse_event(text, strict)


def dump_event(event: Event) -> dict[str, Any]:
    """The event as JSON-ready data: exactly the payload it was parsed from."""
    return unstructure(event)
