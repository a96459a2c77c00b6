"""Hypothesis strategies for property-based tests of code that handles Checkout Sessions.

Install the extra (``pip install checkout-model[hypothesis]``), then::

    from checkout_model import strategies

    @given(strategies.sessions(mode="payment", status="complete"))
    def test_fulfilment(session): ...

The payload strategies are derived from the model classes themselves, so every field, nested
object and enum value the model knows can appear. Payloads are JSON-ready dicts (str, int, float,
bool, None, list, dict), valid for ``parse_session`` in strict mode unless unknown fields or enum
values are asked for. ``st.from_type(checkout_model.Session)`` uses :func:`sessions` once the
package is installed (an entry point registers it with Hypothesis).
"""

from __future__ import annotations

import functools
import string
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeVar

import attrs
from hypothesis import strategies as st

from ._base import JsonValue, OpenEnum
from ._converter import structure
from ._model import StripeModel
from ._schema import FieldSchema, Kind, TypeSchema, schema
from .enums import Mode, PaymentStatus, Status
from .events import Event, EventData, EventRequest, EventType, parse_event
from .line_items import (
    Coupon,
    Discount,
    LineItem,
    LineItemList,
    Price,
    Product,
    PromotionCode,
    ShippingRate,
    TaxRate,
)
from .parsing import parse_session
from .references import ExpandedResource
from .session import PaymentMethodConfigurationDetails, Session

__all__ = [
    "ApiVersion",
    "event_payloads",
    "events",
    "ids",
    "json_values",
    "line_item_payloads",
    "line_items",
    "model_payloads",
    "models",
    "session_payloads",
    "sessions",
]

M = TypeVar("M", bound=StripeModel)
Payload = dict[str, Any]

ApiVersion = Literal["current", "mixed", "2019"]
"""Shape of a generated session: ``"current"`` has every key of today's API (nulls included),
``"mixed"`` omits known keys at random (older versions, unexpanded fields), ``"2019"`` has only
the keys of a 2019 session (``display_items``, no ``status``, ``created`` or ``line_items``)."""

MAX_DEPTH = 8
"""How many objects deep payloads nest: enough to reach every class, and it bounds
Price → Product → default_price → Price → … ."""

_LEGACY_2019_KEYS = frozenset(
    {
        "id",
        "object",
        "billing_address_collection",
        "cancel_url",
        "client_reference_id",
        "customer",
        "customer_email",
        "display_items",
        "livemode",
        "locale",
        "metadata",
        "mode",
        "payment_intent",
        "payment_method_types",
        "setup_intent",
        "shipping",
        "shipping_address_collection",
        "submit_type",
        "subscription",
        "success_url",
    }
)
"""The keys a checkout.session carried in 2019 API versions."""

_NEW_PREFIX = "new_"
"""Prefix of generated unknown field names and enum values (no known name or value has it)."""


@attrs.frozen
class _Shape:
    """What the generic payload strategies may produce, beyond valid current-API objects."""

    unknown_fields: bool = False
    unknown_enum_values: bool = False
    absent_fields: bool = True
    max_depth: int = MAX_DEPTH


# ------------------------------------------------------------------------------------------------
# Leaves

_ID_CHARS = string.ascii_letters + string.digits

_ID_PREFIX_BY_CLASS: dict[type, str] = {
    Session: "cs_test_",
    LineItem: "li_",
    Price: "price_",
    Product: "prod_",
    Discount: "di_",
    Coupon: "",
    PromotionCode: "promo_",
    TaxRate: "txr_",
    ShippingRate: "shr_",
    PaymentMethodConfigurationDetails: "pmc_",
    Event: "evt_",
    EventRequest: "req_",
}

_ID_PREFIX_BY_OBJECT: dict[str, str] = {
    "account": "acct_",
    "customer": "cus_",
    "invoice": "in_",
    "payment_intent": "pi_",
    "payment_link": "plink_",
    "plan": "plan_",
    "setup_intent": "seti_",
    "sku": "sku_",
    "subscription": "sub_",
    "tax_code": "txcd_",
    "tax_id": "txi_",
}

_ID_PREFIX_BY_FIELD: dict[str, str] = {
    "account": "acct_",
    "checkout_session": "cs_test_",
    "customer": "cus_",
    "customer_account": "acct_",
    "file": "file_",
    "invoice": "in_",
    "invoice_item": "ii_",
    "meter": "mtr_",
    "parent": "pmc_",
    "payment_intent": "pi_",
    "payment_link": "plink_",
    "price": "price_",
    "products": "prod_",
    "recovered_from": "cs_test_",
    "setup_intent": "seti_",
    "subscription": "sub_",
    "subscription_item": "si_",
}

_CURRENCIES = ("usd", "eur", "gbp", "jpy", "cad", "aud", "chf", "sek", "brl", "inr", "mxn")
_COUNTRIES = ("US", "GB", "DE", "FR", "JP", "BR", "IN", "AU", "CA", "NL", "MX", "SE")
_CURRENCY_FIELDS = frozenset(
    {"currency", "source_currency", "minimum_amount_currency", "presentment_currency"}
)
_URL_FIELDS = frozenset({"url", "success_url", "cancel_url", "return_url", "custom_mandate_url"})
_EMAIL_FIELDS = frozenset({"email", "customer_email"})


@functools.cache
def ids(prefix: str) -> st.SearchStrategy[str]:
    """Stripe-style ids with the given prefix, such as ``cus_4QFJOjw2pOmAGJ``."""
    return st.integers(0, _ID_SPACE - 1).map(functools.partial(_base62_id, prefix))


_ID_LENGTH = 14
_ID_SPACE = len(_ID_CHARS) ** _ID_LENGTH


def _base62_id(prefix: str, number: int) -> str:
    """One id per number (an id is one choice for Hypothesis, not fourteen)."""
    chars = []
    for _ in range(_ID_LENGTH):
        number, digit = divmod(number, len(_ID_CHARS))
        chars.append(_ID_CHARS[digit])
    return prefix + "".join(chars)


def _id_for_class(cls: type) -> st.SearchStrategy[str]:
    if issubclass(cls, ExpandedResource):
        return ids(_ID_PREFIX_BY_OBJECT.get(cls.OBJECT, ""))
    return ids(_ID_PREFIX_BY_CLASS.get(cls, ""))


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
_WORDS = st.sampled_from(
    (
        "T-shirt",
        "Premium plan",
        "Jenny Rosen",
        "Acme Inc.",
        "O'Brien & Söhne",
        "10 Downing Street",
        "Apt. 4B",
        "Zürich",
        "東京都",
        "São Paulo",
        "Gift card (€50)",
        "Thanks for your order!",
        "",
        " ",
    )
)
_TEXT_ANY = st.one_of(_WORDS, _TEXT)
"""Realistic words mostly, and any Unicode text (a string is a few choices, not dozens)."""
_URLS = st.sampled_from(
    (
        "success",
        "cancel",
        "return?session_id={CHECKOUT_SESSION_ID}",
        "c/pay/cs_test_a1#fidkdWxOYHwnPyd1blpxYHdg",
        "",
    )
).map("https://example.com/".__add__)
_EMAILS = st.sampled_from(("jenny.rosen", "a", "o'brien+test", "zoë")).map("{}@example.com".format)
_TIMESTAMPS = st.integers(1_400_000_000, 2_100_000_000)
"""Unix times from 2014 to 2036."""
_AMOUNTS = st.integers(0, 10**8)
"""Non-negative amounts in minor units (up to a million dollars)."""
_FLOATS = st.one_of(
    st.floats(0, 10_000, allow_nan=False, allow_infinity=False, allow_subnormal=False),
    st.integers(0, 100),
)
"""Finite numbers; JSON writes whole numbers as integers, so those appear too."""
_DECIMALS = st.builds(
    lambda whole, fraction: f"{whole}.{fraction}" if fraction else str(whole),
    st.integers(0, 10**7),
    st.text(string.digits, max_size=12),
)
"""Decimal amounts in plain notation, as Stripe writes them: ``"12.5"``, ``"0.0042"``, ``"7"``."""
_METADATA = st.dictionaries(
    st.text(string.ascii_letters + string.digits + "_-", min_size=1, max_size=16),
    _TEXT_ANY,
    max_size=3,
)


def _str_for(name: str) -> st.SearchStrategy[str]:
    if name in _ID_PREFIX_BY_FIELD:
        return ids(_ID_PREFIX_BY_FIELD[name])
    if name in _CURRENCY_FIELDS:
        return st.sampled_from(_CURRENCIES)
    if name == "country":
        return st.sampled_from(_COUNTRIES)
    if name in _URL_FIELDS:
        return _URLS
    if name in _EMAIL_FIELDS:
        return _EMAILS
    return _TEXT_ANY


@functools.cache
def json_values(max_leaves: int = 8) -> st.SearchStrategy[JsonValue]:
    """Arbitrary JSON values (what an unknown field may hold), integers in JSON's safe range."""
    leaves: st.SearchStrategy[JsonValue] = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**53), 2**53),
        st.floats(allow_nan=False, allow_infinity=False),
        _TEXT,
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(_TEXT, inner, max_size=3)
        ),
        max_leaves=max_leaves,
    )


@functools.cache
def _enum_values(cls: type[OpenEnum], unknown: bool) -> st.SearchStrategy[str]:
    known = st.sampled_from([member.value for member in cls])
    if not unknown:
        return known
    new = st.text(string.ascii_lowercase + "_", min_size=1, max_size=12).map(_NEW_PREFIX.__add__)
    return st.one_of(known, new.filter(lambda value: value not in cls._value2member_map_))


def _present_sometimes(strategy: st.SearchStrategy[Any], nulls: int) -> st.SearchStrategy[Any]:
    """``strategy`` once in ``nulls + 1`` draws, else null (nested objects thin out with depth)."""
    # one_of drops repeated branches by identity, and every st.just() is a new object.
    return st.one_of(*[st.just(None) for _ in range(nulls)], strategy)


def _merge_unknown(pair: tuple[Payload, dict[str, JsonValue]]) -> Payload:
    payload, extra = pair
    return {**payload, **extra}


def _with_unknown_fields(
    payloads: st.SearchStrategy[Payload], known: frozenset[str]
) -> st.SearchStrategy[Payload]:
    names = st.text(string.ascii_lowercase + "_", min_size=1, max_size=12).map(_NEW_PREFIX.__add__)
    extra = st.dictionaries(names.filter(lambda n: n not in known), json_values(4), max_size=2)
    return st.tuples(payloads, _present_sometimes(extra, 1).map(lambda e: e or {})).map(
        _merge_unknown
    )


# ------------------------------------------------------------------------------------------------
# Walking the model


def _model_fields(cls: type) -> tuple[FieldSchema, ...]:
    return schema(cls).fields


def _expanded(cls: type[ExpandedResource]) -> st.SearchStrategy[Payload]:
    """An expanded object of another resource: its id and type, and a few fields of its own."""
    return st.fixed_dictionaries(
        {"id": _id_for_class(cls), "object": st.just(cls.OBJECT)},
        optional={
            "livemode": st.booleans(),
            "created": _TIMESTAMPS,
            "metadata": _METADATA,
            "deleted": st.just(True),
        },
    )


def _value(tp: TypeSchema, name: str, shape: _Shape, depth: int) -> st.SearchStrategy[Any] | None:
    """JSON values of type ``tp`` (``None``: no value fits at this depth, only null does)."""
    kind = tp.kind
    if kind is Kind.STR:
        return _str_for(name)
    if kind is Kind.BOOL:
        return st.booleans()
    if kind is Kind.INT:
        return _AMOUNTS
    if kind is Kind.NUMBER:
        return _FLOATS
    if kind is Kind.DECIMAL:
        return _DECIMALS
    if kind is Kind.TIMESTAMP:
        return _TIMESTAMPS
    if kind is Kind.ENUM:
        return _enum_values(tp.cls, shape.unknown_enum_values)
    if kind is Kind.REFERENCE:
        return _expanded(tp.cls)  # type: ignore[arg-type]
    if kind is Kind.MODEL:
        if depth + 1 > shape.max_depth:
            return None
        cls = tp.cls
        return st.deferred(lambda: _object_payloads(cls, shape, depth + 1))
    assert tp.item is not None
    if kind is Kind.EXPANDABLE:
        obj = _value(tp.item, name, shape, depth)
        reference = _id_for_class(tp.item.cls)  # type: ignore[arg-type]
        return reference if obj is None else st.one_of(reference, obj)
    if kind is Kind.LIST:
        item = _value(tp.item, name, shape, depth)
        if item is None:
            return st.just([])
        return st.lists(item, max_size=3)
    if kind is Kind.MAP:
        if tp.item.kind is Kind.STR:
            return _METADATA
        if tp.item.kind is Kind.JSON:
            return st.dictionaries(_TEXT, json_values(4), max_size=3)
        item = _value(tp.item, name, shape, depth)
        if item is None:
            return st.just({})
        return st.dictionaries(st.sampled_from(_CURRENCIES), item, max_size=2)
    raise TypeError(f"no strategy for {tp!r}")  # pragma: no cover


def _field_values(
    cls: type, field: FieldSchema, shape: _Shape, depth: int
) -> st.SearchStrategy[Any]:
    """Values of one field: null included, unless the model requires the field."""
    if field.tag is not None:
        return st.just(field.tag)
    if field.name == "id" and cls in _ID_PREFIX_BY_CLASS:
        value: st.SearchStrategy[Any] | None = _id_for_class(cls)
    elif field.required:
        # A required object is generated even past the depth bound (it ends the chain anyway).
        value = _value(field.type, field.name, shape, min(depth, shape.max_depth - 1))
    else:
        value = _value(field.type, field.name, shape, depth)
    if value is None:
        return st.none()
    if field.required or _is_per_currency(field.type):
        return value
    if _nests(field.type):
        return _present_sometimes(value, 2 + depth)
    return st.one_of(st.none(), value)


def _is_per_currency(tp: TypeSchema) -> bool:
    """Whether ``tp`` is a mapping of objects (``currency_options``: absent or set, never null;
    Stripe sends it only when asked to include it)."""
    return tp.kind is Kind.MAP and tp.item is not None and tp.item.kind is Kind.MODEL


def _nests(tp: TypeSchema) -> bool:
    """Whether values of ``tp`` can hold model objects (those thin out with depth)."""
    if tp.kind is Kind.MODEL:
        return True
    return tp.item is not None and _nests(tp.item)


@functools.cache
def _field_strategies(cls: type, shape: _Shape, depth: int) -> dict[str, st.SearchStrategy[Any]]:
    return {f.name: _field_values(cls, f, shape, depth) for f in _model_fields(cls)}


def _assemble(
    cls: type,
    fields: Mapping[str, st.SearchStrategy[Any]],
    shape: _Shape,
    always: frozenset[str] = frozenset(),
) -> st.SearchStrategy[Payload]:
    """Objects with those fields: required ones and those in ``always`` present, others absent
    sometimes."""
    always = always | {f.name for f in _model_fields(cls) if f.required}
    if shape.absent_fields:
        required = {k: v for k, v in fields.items() if k in always}
        optional = {k: v for k, v in fields.items() if k not in always}
    else:
        required, optional = dict(fields), {}
    payloads = st.fixed_dictionaries(required, optional=optional)
    if shape.unknown_fields:
        return _with_unknown_fields(payloads, frozenset(f.name for f in _model_fields(cls)))
    return payloads


@functools.cache
def _object_payloads(cls: type, shape: _Shape, depth: int) -> st.SearchStrategy[Payload]:
    return _assemble(cls, _field_strategies(cls, shape, depth), shape)


# ------------------------------------------------------------------------------------------------
# Public strategies


def model_payloads(
    cls: type[StripeModel],
    *,
    unknown_fields: bool = False,
    unknown_enum_values: bool = False,
    absent_fields: bool = True,
    max_depth: int = MAX_DEPTH,
) -> st.SearchStrategy[Payload]:
    """JSON-ready payloads of any model class (a price, a discount, an address, …).

    ``absent_fields=False`` sends every known key (as today's API does); ``max_depth`` bounds
    how many objects deep they nest (beyond it, expandable fields hold ids).
    """
    shape = _Shape(unknown_fields, unknown_enum_values, absent_fields, max_depth)
    target: type = cls
    return _object_payloads(target, shape, 0)


def models(
    cls: type[M],
    *,
    unknown_fields: bool = False,
    unknown_enum_values: bool = False,
    absent_fields: bool = True,
    max_depth: int = MAX_DEPTH,
) -> st.SearchStrategy[M]:
    """Objects of any model class, parsed from :func:`model_payloads` (same parameters)."""
    parse: Callable[[Payload], M] = functools.partial(structure, cls=cls)
    return model_payloads(
        cls,
        unknown_fields=unknown_fields,
        unknown_enum_values=unknown_enum_values,
        absent_fields=absent_fields,
        max_depth=max_depth,
    ).map(parse)


def line_item_payloads(
    *, unknown_fields: bool = False, unknown_enum_values: bool = False, absent_fields: bool = True
) -> st.SearchStrategy[Payload]:
    """Payloads of one ``item`` (a line item of a session) with its price, discounts and taxes."""
    return model_payloads(
        LineItem,
        unknown_fields=unknown_fields,
        unknown_enum_values=unknown_enum_values,
        absent_fields=absent_fields,
    )


def line_items(
    *, unknown_fields: bool = False, unknown_enum_values: bool = False, absent_fields: bool = True
) -> st.SearchStrategy[LineItem]:
    """``LineItem`` objects built from :func:`line_item_payloads`."""
    return models(
        LineItem,
        unknown_fields=unknown_fields,
        unknown_enum_values=unknown_enum_values,
        absent_fields=absent_fields,
    )


def _enum_choice(cls: type[OpenEnum], given: str | None, unknown: bool) -> st.SearchStrategy[str]:
    if given is not None:
        return st.just(cls(given).value)
    return _enum_values(cls, unknown)


@functools.cache
def _session_dicts(
    mode: str,
    status: str | None,
    api_version: ApiVersion,
    expanded_line_items: bool,
    shape: _Shape,
) -> st.SearchStrategy[Payload]:
    """Sessions of one mode, status and shape, with the fields that mode and status imply."""
    fields = dict(_field_strategies(Session, shape, 0))
    fields["mode"] = st.just(mode)
    always = {"id", "object", "mode"}
    if status is not None:
        fields["status"] = st.just(status)
        always.add("status")
    if mode == Mode.SETUP:
        fields["setup_intent"] = _required(Session, "setup_intent", shape)
        always.add("setup_intent")
    if mode == Mode.SUBSCRIPTION and status == Status.COMPLETE:
        fields["subscription"] = _required(Session, "subscription", shape)
        always.add("subscription")
    line_item_list = _assemble(
        LineItemList,
        {
            **_field_strategies(LineItemList, shape, 1),
            "object": st.just("list"),
            "data": st.lists(_object_payloads(LineItem, shape, 2), min_size=1, max_size=3),
        },
        shape,
        frozenset({"object", "data"}),
    )
    if expanded_line_items:
        fields["line_items"] = line_item_list
        always.add("line_items")
    else:
        del fields["line_items"]
    if api_version == "2019":
        fields = {k: v for k, v in fields.items() if k in _LEGACY_2019_KEYS}
        display_item = _required(Session, "display_items", shape)
        fields["display_items"] = display_item.filter(bool)
        always = set(fields)
    elif api_version == "current":
        del fields["display_items"]
        always = set(fields)
    return _assemble(Session, fields, shape, frozenset(always))


def _required(cls: type, name: str, shape: _Shape) -> st.SearchStrategy[Any]:
    """Values of a field that a consistent object must carry (never null)."""
    field = next(f for f in _model_fields(cls) if f.name == name)
    value = _value(field.type, name, shape, 0)
    assert value is not None
    return value


def _session_id(payload: Payload) -> Payload:
    """Live sessions have live ids."""
    if payload.get("livemode") is True:
        payload["id"] = "cs_live_" + payload["id"].removeprefix("cs_test_")
    return payload


def session_payloads(
    *,
    mode: Mode | str | None = None,
    status: Status | str | None = None,
    payment_status: PaymentStatus | str | None = None,
    api_version: ApiVersion | None = None,
    expanded_line_items: bool | None = None,
    unknown_fields: bool = False,
    unknown_enum_values: bool = False,
) -> st.SearchStrategy[Payload]:
    """Raw ``checkout.session`` payloads, as ``json.loads`` returns them from Stripe.

    Narrow them with ``mode``, ``status`` and ``payment_status``; ``api_version`` picks the
    shape (see :data:`ApiVersion`; any of them by default); ``expanded_line_items`` asks for
    ``line_items`` expanded (True) or not sent (False). ``unknown_fields`` and
    ``unknown_enum_values`` mix in fields and enum values the model does not know, as Stripe's
    newer versions would send them; without them every payload also parses in strict mode.
    Combinations stay consistent: a complete subscription-mode session has its subscription, a
    setup-mode session its setup intent, and amounts are non-negative integers in minor units.
    """
    if api_version == "2019" and (status is not None or payment_status is not None):
        raise ValueError("2019 sessions have no status or payment_status")
    if api_version == "2019" and expanded_line_items:
        raise ValueError("2019 sessions have no line_items")
    versions: tuple[ApiVersion, ...]
    if api_version is not None:
        versions = (api_version,)
    elif status is not None or payment_status is not None or expanded_line_items:
        versions = ("current", "mixed")
    else:
        versions = ("current", "mixed", "2019")

    def build(choice: tuple[str, str | None, ApiVersion, bool]) -> st.SearchStrategy[Payload]:
        chosen_mode, chosen_status, version, expand = choice
        shape = _Shape(unknown_fields, unknown_enum_values, absent_fields=version == "mixed")
        if version == "2019":
            chosen_status, expand = None, False
        payloads = _session_dicts(chosen_mode, chosen_status, version, expand, shape)
        if version != "2019":
            statuses = _enum_choice(PaymentStatus, payment_status, unknown_enum_values)
            payloads = st.tuples(payloads, statuses).map(_with_payment_status)
        return payloads.map(_session_id)

    choices = st.tuples(
        _enum_choice(Mode, mode, unknown_enum_values),
        _enum_choice(Status, status, unknown_enum_values),
        st.sampled_from(versions),
        st.booleans() if expanded_line_items is None else st.just(expanded_line_items),
    )
    return choices.flatmap(build)


def _with_payment_status(pair: tuple[Payload, str]) -> Payload:
    payload, payment_status = pair
    return {**payload, "payment_status": payment_status}


def sessions(
    *,
    mode: Mode | str | None = None,
    status: Status | str | None = None,
    payment_status: PaymentStatus | str | None = None,
    api_version: ApiVersion | None = None,
    expanded_line_items: bool | None = None,
    unknown_fields: bool = False,
    unknown_enum_values: bool = False,
) -> st.SearchStrategy[Session]:
    """``Session`` objects parsed from :func:`session_payloads` (same parameters)."""
    return session_payloads(
        mode=mode,
        status=status,
        payment_status=payment_status,
        api_version=api_version,
        expanded_line_items=expanded_line_items,
        unknown_fields=unknown_fields,
        unknown_enum_values=unknown_enum_values,
    ).map(parse_session)


_EVENT_SESSION_STATES: dict[EventType, tuple[Status, PaymentStatus | None]] = {
    EventType.CHECKOUT_SESSION_COMPLETED: (Status.COMPLETE, None),
    EventType.CHECKOUT_SESSION_EXPIRED: (Status.EXPIRED, PaymentStatus.UNPAID),
    EventType.CHECKOUT_SESSION_ASYNC_PAYMENT_SUCCEEDED: (Status.COMPLETE, PaymentStatus.PAID),
    EventType.CHECKOUT_SESSION_ASYNC_PAYMENT_FAILED: (Status.COMPLETE, PaymentStatus.UNPAID),
}
"""The session state each event type implies (None: any payment status)."""

_EVENT_API_VERSIONS: dict[ApiVersion, tuple[str, ...]] = {
    "current": ("2026-10-28.endive",),
    "mixed": ("2020-08-27", "2022-11-15", "2024-06-20", "2025-03-31.basil", "2026-10-28.endive"),
    "2019": ("2019-05-16", "2019-10-17"),
}


def event_payloads(
    *,
    type: EventType | str | None = None,
    mode: Mode | str | None = None,
    api_version: ApiVersion | None = None,
    unknown_fields: bool = False,
    unknown_enum_values: bool = False,
) -> st.SearchStrategy[Payload]:
    """Raw webhook event payloads about a Checkout Session, as your endpoint receives them.

    The session inside is in the state the event type implies (``expired`` sessions are
    expired and unpaid; ``async_payment_succeeded`` ones complete and paid; …), in the shape of
    the event's ``api_version``. Webhooks never carry expanded line items. A 2019-shaped event
    is always ``checkout.session.completed`` (the other events did not exist then).
    """
    if api_version == "2019" and type not in (None, EventType.CHECKOUT_SESSION_COMPLETED):
        raise ValueError("2019 events are all checkout.session.completed")
    chosen = [EventType(type)] if type is not None else list(EventType)
    versions: tuple[ApiVersion, ...] = (
        (api_version,) if api_version is not None else ("current", "mixed", "2019")
    )

    def build(choice: tuple[EventType, ApiVersion]) -> st.SearchStrategy[Payload]:
        event_type, version = choice
        if version == "2019":
            event_type = EventType.CHECKOUT_SESSION_COMPLETED
            session = session_payloads(
                mode=mode,
                api_version="2019",
                unknown_fields=unknown_fields,
                unknown_enum_values=unknown_enum_values,
            )
        else:
            status, payment_status = _EVENT_SESSION_STATES[event_type]
            session = session_payloads(
                mode=mode,
                status=status,
                payment_status=payment_status,
                api_version=version,
                expanded_line_items=False,
                unknown_fields=unknown_fields,
                unknown_enum_values=unknown_enum_values,
            )
        shape = _Shape(unknown_fields, unknown_enum_values, absent_fields=version == "mixed")
        fields = dict(_field_strategies(Event, shape, 0))
        fields["type"] = st.just(event_type.value)
        fields["api_version"] = st.sampled_from(_EVENT_API_VERSIONS[version])
        fields["data"] = _assemble(EventData, {"object": session}, shape)
        return _assemble(Event, fields, shape, frozenset({"type", "data"}))

    return st.tuples(st.sampled_from(chosen), st.sampled_from(versions)).flatmap(build)


def events(
    *,
    type: EventType | str | None = None,
    mode: Mode | str | None = None,
    api_version: ApiVersion | None = None,
    unknown_fields: bool = False,
    unknown_enum_values: bool = False,
) -> st.SearchStrategy[Event]:
    """``Event`` objects parsed from :func:`event_payloads` (same parameters)."""
    return event_payloads(
        type=type,
        mode=mode,
        api_version=api_version,
        unknown_fields=unknown_fields,
        unknown_enum_values=unknown_enum_values,
    ).map(parse_event)
