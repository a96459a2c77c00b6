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

Each object is drawn in a few choices: the fields a merchant's code reads most (amounts,
currency, customer, price, quantity, ...) get a value or null each time, and a short list of
the other fields gets values; the rest are null (or, in the ``"mixed"`` era, absent, chosen by
one bit mask). So a test using them passes Hypothesis's default health checks, and a failing
example shrinks to a session with few fields set.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeVar

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ._base import JsonValue, OpenEnum
from ._converter import structure
from ._model import StripeModel
from ._schema import FieldSchema, Kind, TypeSchema, schema
from .enums import Mode, PaymentStatus, Status
from .events import Event, EventRequest, EventType, parse_event
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
from .versions import ApiVersion as _ApiVersionClass

__all__ = [
    "MAX_DEPTH",
    "PayloadEra",
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

PayloadEra = Literal["current", "mixed", "2019"]
"""Shape of a generated session: ``"current"`` has every key of today's API (nulls included),
``"mixed"`` omits known keys at random (older versions, unexpanded fields), ``"2019"`` has only
the keys of a 2019 session (``display_items``, no ``status``, ``created`` or ``line_items``)."""

ApiVersion = PayloadEra
"""Deprecated: the old name of :data:`PayloadEra` (``checkout_model.ApiVersion`` is the class of
an event's API version)."""

_ERAS: tuple[PayloadEra, ...] = ("current", "mixed", "2019")

MAX_DEPTH = 8
"""How many objects deep payloads nest at most: enough to reach every class, and it bounds
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

_CORE_FIELDS: dict[type, frozenset[str]] = {
    Session: frozenset(
        {
            "amount_subtotal",
            "amount_total",
            "client_reference_id",
            "created",
            "currency",
            "customer",
            "customer_details",
            "customer_email",
            "expires_at",
            "livemode",
            "metadata",
            "payment_intent",
            "success_url",
            "url",
        }
    ),
    LineItem: frozenset(
        {"amount_subtotal", "amount_total", "currency", "description", "price", "quantity"}
    ),
    Price: frozenset({"active", "currency", "product", "recurring", "type", "unit_amount"}),
    Product: frozenset({"active", "name"}),
}
"""The fields merchants' code reads most: drawn (a value or null) in every object of the class.
Classes not listed have all their fields drawn when they have few (see ``_ALL_CORE``)."""

_ALL_CORE = 8
"""A class with at most this many optional fields has a value-or-null drawn for each of them."""

_WITH_VALUE = (6, 3, 2, 1)
"""At most how many other fields get a value in an object at depth 0, 1, 2 and deeper."""


@attrs.frozen
class _Shape:
    """What the generic payload strategies may produce, beyond valid current-API objects."""

    unknown_fields: bool = False
    unknown_enum_values: bool = False
    absent_fields: bool = True
    max_depth: int = MAX_DEPTH


class _ArgumentError(InvalidArgument, ValueError):
    """A strategy was asked for something that does not exist (raised when it is defined)."""


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


_ALPHABET = (
    string.ascii_letters
    + string.digits
    + " .,-_'&/()@#+:!?\"\\"
    + "\u00a0\u00e9\u00fc\u00df\u00f8\u00e7\u00c5\u0107"  # NBSP, Latin letters with marks
    + "e\u0301\u200d\u200b\ufeff"  # a combining accent, zero-width joiner and spaces, BOM
    + "\u03a9\u0416\u05d0\u0627\u0939\u0e01"  # Greek, Cyrillic, Hebrew, Arabic, Devanagari, Thai
    + "\u6771\u4eac\u3042\ud55c\u20ac\u00a3\u00a5"  # CJK, kana, Hangul, currency signs
    + "\U0001f600\U0001f1fa\U0001f1f8\U00010348"  # emoji, a flag's two halves, Gothic
)
"""Characters text is drawn from: a few of every kind (scripts, marks, invisible ones, characters
beyond the BMP)."""


@functools.cache
def _strings(alphabet: str, min_size: int = 0, max_size: int = 12) -> st.SearchStrategy[str]:
    """Strings of ``alphabet``, one choice each (shrinking to the shortest, earliest ones).

    Not ``st.text``: on its first draw in a fresh project it builds Hypothesis's Unicode tables
    (about a second), which fails the health check of a user's first test under load.
    """
    base = len(alphabet)
    count = sum(base**size for size in range(min_size, max_size + 1))
    spell = functools.partial(_spell, alphabet, min_size)
    return st.integers(0, count - 1).map(spell)


def _spell(alphabet: str, size: int, number: int) -> str:
    """The ``number``-th string of ``alphabet``, shortest first (``size`` characters at least)."""
    base = len(alphabet)
    while number >= base**size:
        number -= base**size
        size += 1
    chars = []
    for _ in range(size):
        number, digit = divmod(number, base)
        chars.append(alphabet[digit])
    return "".join(chars)


_TEXT = _strings(_ALPHABET)
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


def _decimal_text(parts: tuple[int, str]) -> str:
    whole, fraction = parts
    return f"{whole}.{fraction}" if fraction else str(whole)


_DECIMALS = st.tuples(st.integers(0, 10**7), _strings(string.digits)).map(_decimal_text)
"""Decimal amounts in plain notation, as Stripe writes them: ``"12.5"``, ``"0.0042"``, ``"7"``."""
_METADATA = st.dictionaries(
    _strings(string.ascii_letters + string.digits + "_-", 1, 16),
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
    # Prefixed, so never a known value: no filter, no rejected draws.
    new = _strings(string.ascii_lowercase + "_", 1).map(_NEW_PREFIX.__add__)
    return st.one_of(known, new)


def _present_sometimes(strategy: st.SearchStrategy[Any], nulls: int) -> st.SearchStrategy[Any]:
    """``strategy`` once in ``nulls + 1`` draws, else null (nested objects thin out with depth)."""
    # one_of drops repeated branches by identity, and every st.just() is a new object.
    return st.one_of(*[st.just(None) for _ in range(nulls)], strategy)


_UNKNOWN_NAMES = _strings(string.ascii_lowercase + "_", 1).map(_NEW_PREFIX.__add__)
_UNKNOWN_FIELDS = _present_sometimes(
    st.dictionaries(_UNKNOWN_NAMES, json_values(4), min_size=1, max_size=2), 1
)
"""Fields a newer API version would add: none half of the time, else one or two."""


# ------------------------------------------------------------------------------------------------
# Walking the model: one plan per class, shape and depth; its strategies built on first use


def _value(tp: TypeSchema, name: str, shape: _Shape, depth: int) -> st.SearchStrategy[Any] | None:
    """JSON values of type ``tp`` (``None``: no value fits at this depth, only null does)."""
    kind = tp.kind
    if kind is Kind.STR and tp.cls is _ApiVersionClass:
        return st.sampled_from(sorted({v for vs in _EVENT_API_VERSIONS.values() for v in vs}))
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
        return _expanded(tp.cls)
    if kind is Kind.MODEL:
        if depth + 1 > shape.max_depth:
            return None
        assert tp.cls is not None
        return _plan(tp.cls, shape, depth + 1).strategy
    assert tp.item is not None
    if kind is Kind.EXPANDABLE:
        obj = _value(tp.item, name, shape, depth)
        reference = _id_for_class(tp.item.cls)  # type: ignore[arg-type]
        return reference if obj is None else st.one_of(reference, obj)
    if kind is Kind.LIST:
        item = _value(tp.item, name, shape, depth)
        if item is None:
            return st.just([])
        return st.lists(item, max_size=2 if _nests(tp.item) else 3)
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


@functools.cache
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


def _is_per_currency(tp: TypeSchema) -> bool:
    """Whether ``tp`` is a mapping of objects (``currency_options``: absent or set, never null;
    Stripe sends it only when asked to include it)."""
    return tp.kind is Kind.MAP and tp.item is not None and tp.item.kind is Kind.MODEL


def _nests(tp: TypeSchema) -> bool:
    """Whether values of ``tp`` can hold model objects (those thin out with depth)."""
    if tp.kind is Kind.MODEL:
        return True
    return tp.item is not None and _nests(tp.item)


_CONST, _FIXED, _CORE, _OTHER, _NULL = "const", "fixed", "core", "other", "null"


class _Slot:
    """One key of a payload: how its value is drawn (the strategy is built on first use)."""

    __slots__ = ("_make", "_strategy", "empty", "key", "role")

    def __init__(
        self,
        key: str,
        role: str,
        make: Callable[[], st.SearchStrategy[Any]] = st.none,
        empty: Any = None,
    ) -> None:
        self.key = key
        self.role = role
        """``_CONST``: always ``empty``; ``_FIXED``: always a value; ``_CORE``: a value or null;
        ``_OTHER``: null unless picked to get a value; ``_NULL``: null. The last three may be
        absent."""
        self.empty = empty
        """What the key holds without a value: null, ``{}`` for per-currency maps, or the
        constant (a type tag such as ``"checkout.session"``)."""
        self._make = make
        self._strategy: st.SearchStrategy[Any] | None = None

    @property
    def strategy(self) -> st.SearchStrategy[Any]:
        if self._strategy is None:
            self._strategy = self._make()
        return self._strategy


_MASK_BITS = 16
"""Bit masks are drawn in chunks this wide: Hypothesis draws small ranges uniformly."""


@functools.cache
def _mask_chunk(bits: int) -> st.SearchStrategy[int]:
    return st.integers(0, 2**bits - 1)


def _masks(count: int) -> tuple[st.SearchStrategy[int], ...]:
    """Strategies whose draws together give one bit for each of ``count`` keys."""
    return tuple(_mask_chunk(min(_MASK_BITS, count - i)) for i in range(0, count, _MASK_BITS))


def _draw_mask(draw: st.DrawFn, chunks: tuple[st.SearchStrategy[int], ...]) -> int:
    mask = 0
    for shift, chunk in enumerate(chunks):
        mask |= draw(chunk) << (shift * _MASK_BITS)
    return mask


class _Plan:
    """How to draw a payload of one class: its keys in order, and which may be absent.

    One payload takes few choices: one bit mask says which core fields have a value (each
    drawn then), a short list names the other fields that get one, and in the ``"mixed"`` era
    another mask says which keys are absent. A failing example shrinks to all-null fields.
    """

    def __init__(
        self,
        name: str,
        slots: list[_Slot],
        *,
        with_value: int,
        absent_fields: bool,
        unknown_fields: bool,
    ) -> None:
        self.name = name
        self.slots = slots
        others = [s.key for s in slots if s.role == _OTHER]
        self.pick = (
            st.lists(st.sampled_from(others), unique=True, max_size=min(with_value, len(others)))
            if others and with_value
            else None
        )
        self.core = _masks(sum(1 for s in slots if s.role == _CORE))
        optional = sum(1 for s in slots if s.role in (_CORE, _OTHER, _NULL))
        self.absent = _masks(optional if absent_fields else 0)
        self.unknown = _UNKNOWN_FIELDS if unknown_fields else None
        self.strategy = _objects(self)

    def __repr__(self) -> str:
        return f"<payloads of {self.name}>"


def _draw(draw: st.DrawFn, plan: _Plan, given: Mapping[str, Any] | None = None) -> Payload:
    """One payload of ``plan``; ``given`` values are used as they are (present, in key order)."""
    core = _draw_mask(draw, plan.core)
    absent = _draw_mask(draw, plan.absent)
    picked = draw(plan.pick) if plan.pick is not None else ()
    out: Payload = {}
    bit = core_bit = 1
    for slot in plan.slots:
        key, role = slot.key, slot.role
        if given is not None and key in given:
            out[key] = given[key]
            continue
        if role == _CONST:
            out[key] = slot.empty
            continue
        if role == _FIXED:
            out[key] = draw(slot.strategy)
            continue
        if role == _CORE:
            has_value = core & core_bit
            core_bit <<= 1
        else:
            has_value = role == _OTHER and key in picked
        if has_value:
            out[key] = draw(slot.strategy)
        elif not absent & bit:
            out[key] = slot.empty
        bit <<= 1
    if plan.unknown is not None:
        out.update(draw(plan.unknown) or ())
    return out


@st.composite
def _objects(draw: st.DrawFn, plan: _Plan) -> Payload:
    return _draw(draw, plan)


def _slot(cls: type, field: FieldSchema, shape: _Shape, depth: int, core: bool) -> _Slot:
    """The slot of one field."""
    key, name, tp = field.key, field.name, field.type
    if field.tag is not None:
        return _Slot(key, _CONST, empty=field.tag)
    if name == "id" and cls in _ID_PREFIX_BY_CLASS:
        return _Slot(key, _FIXED, functools.partial(_id_for_class, cls))
    if field.required:
        # A required object is generated even past the depth bound (it ends the chain anyway).
        at = min(depth, shape.max_depth - 1)
        return _Slot(key, _FIXED, functools.partial(_non_null, tp, name, shape, at))
    if tp.kind is Kind.MODEL and depth + 1 > shape.max_depth:
        return _Slot(key, _NULL)  # an object past the depth bound: only null fits
    value = functools.partial(_non_null, tp, name, shape, depth)
    if _is_per_currency(tp):
        return _Slot(key, _OTHER, value, empty={})
    if core:
        if _nests(tp) and depth:  # nested objects thin out with depth
            return _Slot(key, _CORE, functools.partial(_sometimes, value, depth))
        return _Slot(key, _CORE, value)
    return _Slot(key, _OTHER, value)


def _sometimes(value: Callable[[], st.SearchStrategy[Any]], nulls: int) -> st.SearchStrategy[Any]:
    return _present_sometimes(value(), nulls)


def _non_null(tp: TypeSchema, name: str, shape: _Shape, depth: int) -> st.SearchStrategy[Any]:
    value = _value(tp, name, shape, depth)
    assert value is not None
    return value


def _slots(cls: type, shape: _Shape, depth: int) -> list[_Slot]:
    fields = schema(cls).fields
    core = _CORE_FIELDS.get(cls)
    if core is None:
        optional = [f for f in fields if not f.required and f.tag is None]
        core = frozenset(f.name for f in optional) if len(optional) <= _ALL_CORE else frozenset()
    return [_slot(cls, f, shape, depth, f.name in core) for f in fields]


@functools.cache
def _plan(cls: type, shape: _Shape, depth: int) -> _Plan:
    return _Plan(
        cls.__name__,
        _slots(cls, shape, depth),
        with_value=_WITH_VALUE[min(depth, len(_WITH_VALUE) - 1)],
        absent_fields=shape.absent_fields,
        unknown_fields=shape.unknown_fields,
    )


# ------------------------------------------------------------------------------------------------
# Checking arguments when a strategy is defined


def _member(argument: str, given: object, cls: type[OpenEnum]) -> str | None:
    """The value of an enum argument (None: any), or an error naming the allowed values."""
    if given is None:
        return None
    if isinstance(given, str) and str.__str__(given) in cls._value2member_map_:
        return str.__str__(given)
    allowed = ", ".join(repr(member.value) for member in cls)
    raise _ArgumentError(f"{argument}={given!r} is not a {cls.__name__}; use one of {allowed}")


def _era(given: object) -> PayloadEra | None:
    if given is None or given in _ERAS:
        return given
    allowed = ", ".join(map(repr, _ERAS))
    raise _ArgumentError(f"api_version={given!r} is not a payload era; use one of {allowed}")


def _flags(**flags: object) -> None:
    for name, value in flags.items():
        if not isinstance(value, bool):
            raise _ArgumentError(f"{name}={value!r} must be True or False")


def _model_class(cls: object) -> type[StripeModel]:
    if isinstance(cls, type) and issubclass(cls, StripeModel):
        return cls
    raise _ArgumentError(f"{cls!r} is not a checkout_model model class")


def _depth(max_depth: object) -> int:
    if isinstance(max_depth, int) and not isinstance(max_depth, bool) and max_depth >= 0:
        return max_depth
    raise _ArgumentError(f"max_depth={max_depth!r} must be an integer >= 0")


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
    target: type = _model_class(cls)
    _flags(
        unknown_fields=unknown_fields,
        unknown_enum_values=unknown_enum_values,
        absent_fields=absent_fields,
    )
    shape = _Shape(unknown_fields, unknown_enum_values, absent_fields, _depth(max_depth))
    return _plan(target, shape, 0).strategy


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


@functools.cache
def _session_plan(
    era: PayloadEra, expand: bool, setup: bool, subscription: bool, shape: _Shape
) -> _Plan:
    """Sessions of one era, with the fields their mode and status imply (given when drawn)."""
    fields = {f.key: f for f in schema(Session).fields}
    slots = []
    for generic in _slots(Session, shape, 0):
        key = generic.key
        slot = generic
        if era == "2019" and key not in _LEGACY_2019_KEYS:
            continue
        if key in ("mode", "status", "payment_status"):
            slot = _Slot(key, _FIXED)  # drawn by session_payloads, passed as given
        elif key == "line_items":
            if not expand:
                continue
            slot = _Slot(key, _FIXED, functools.partial(_line_item_list, shape))
        elif key == "display_items":
            if era == "current":
                continue
            if era == "2019":
                slot = _Slot(key, _FIXED, functools.partial(_display_items, fields[key], shape))
        elif (key == "setup_intent" and setup) or (key == "subscription" and subscription):
            slot = _Slot(key, _FIXED, functools.partial(_non_null, fields[key].type, key, shape, 0))
        slots.append(slot)
    return _Plan(
        "Session",
        slots,
        with_value=_WITH_VALUE[0],
        absent_fields=era == "mixed",
        unknown_fields=shape.unknown_fields,
    )


def _display_items(field: FieldSchema, shape: _Shape) -> st.SearchStrategy[list[Payload]]:
    """A 2019 session's ``display_items``: never empty."""
    assert field.type.item is not None
    return st.lists(_non_null(field.type.item, field.name, shape, 0), min_size=1, max_size=2)


def _line_item_list(shape: _Shape) -> st.SearchStrategy[Payload]:
    """An expanded ``line_items`` list: one to three items, each with its price."""
    items = st.lists(_plan(LineItem, shape, 2).strategy, min_size=1, max_size=3)
    slots = [
        _Slot("data", _FIXED, lambda: items) if s.key == "data" else s
        for s in _slots(LineItemList, shape, 1)
    ]
    plan = _Plan(
        "LineItemList",
        slots,
        with_value=0,
        absent_fields=shape.absent_fields,
        unknown_fields=shape.unknown_fields,
    )
    return plan.strategy


@attrs.frozen
class _SessionArgs:
    mode: str | None
    status: str | None
    payment_status: str | None
    eras: tuple[PayloadEra, ...]
    expanded_line_items: bool | None
    unknown_fields: bool
    unknown_enum_values: bool


def _session_args(
    *,
    mode: object,
    status: object,
    payment_status: object,
    api_version: object,
    expanded_line_items: object,
    unknown_fields: object,
    unknown_enum_values: object,
) -> _SessionArgs:
    era = _era(api_version)
    _flags(unknown_fields=unknown_fields, unknown_enum_values=unknown_enum_values)
    if expanded_line_items is not None:
        _flags(expanded_line_items=expanded_line_items)
    given_status = _member("status", status, Status)
    given_payment_status = _member("payment_status", payment_status, PaymentStatus)
    if era == "2019" and (given_status is not None or given_payment_status is not None):
        raise _ArgumentError("2019 sessions have no status or payment_status")
    if era == "2019" and expanded_line_items:
        raise _ArgumentError("2019 sessions have no line_items")
    eras: tuple[PayloadEra, ...]
    if era is not None:
        eras = (era,)
    elif given_status is not None or given_payment_status is not None or expanded_line_items:
        eras = ("current", "mixed")
    else:
        eras = _ERAS
    return _SessionArgs(
        _member("mode", mode, Mode),
        given_status,
        given_payment_status,
        eras,
        expanded_line_items,  # type: ignore[arg-type]
        unknown_fields,  # type: ignore[arg-type]
        unknown_enum_values,  # type: ignore[arg-type]
    )


def _one_of(given: str | None, cls: type[OpenEnum], unknown: bool) -> st.SearchStrategy[str]:
    return st.just(given) if given is not None else _enum_values(cls, unknown)


def _draw_session(draw: st.DrawFn, args: _SessionArgs) -> Payload:
    unknown = args.unknown_enum_values
    era = draw(st.sampled_from(args.eras)) if len(args.eras) > 1 else args.eras[0]
    mode = draw(_one_of(args.mode, Mode, unknown))
    given: dict[str, Any] = {"mode": mode}
    if era == "2019":
        status, expand = None, False
    else:
        status = draw(_one_of(args.status, Status, unknown))
        given["status"] = status
        given["payment_status"] = draw(_one_of(args.payment_status, PaymentStatus, unknown))
        expand = (
            args.expanded_line_items
            if args.expanded_line_items is not None
            else draw(st.booleans())
        )
    shape = _Shape(args.unknown_fields, unknown, absent_fields=era == "mixed")
    setup = mode == Mode.SETUP
    subscription = mode == Mode.SUBSCRIPTION and status == Status.COMPLETE
    payload = _draw(draw, _session_plan(era, expand, setup, subscription, shape), given)
    if payload.get("livemode") is True:  # live sessions have live ids
        payload["id"] = "cs_live_" + payload["id"].removeprefix("cs_test_")
    return payload


@st.composite
def _session_payloads(draw: st.DrawFn, args: _SessionArgs) -> Payload:
    return _draw_session(draw, args)


def session_payloads(
    *,
    mode: Mode | str | None = None,
    status: Status | str | None = None,
    payment_status: PaymentStatus | str | None = None,
    api_version: PayloadEra | None = None,
    expanded_line_items: bool | None = None,
    unknown_fields: bool = False,
    unknown_enum_values: bool = False,
) -> st.SearchStrategy[Payload]:
    """Raw ``checkout.session`` payloads, as ``json.loads`` returns them from Stripe.

    Narrow them with ``mode``, ``status`` and ``payment_status``; ``api_version`` picks the
    shape (see :data:`PayloadEra`; any of them by default); ``expanded_line_items`` asks for
    ``line_items`` expanded (True) or not sent (False). ``unknown_fields`` and
    ``unknown_enum_values`` mix in fields and enum values the model does not know, as Stripe's
    newer versions would send them; without them every payload also parses in strict mode.
    Combinations stay consistent: a complete subscription-mode session has its subscription, a
    setup-mode session its setup intent, and amounts are non-negative integers in minor units.

    Arguments are checked here: a value that does not exist raises
    ``hypothesis.errors.InvalidArgument`` (also a ``ValueError``) naming the allowed ones.
    """
    args = _session_args(
        mode=mode,
        status=status,
        payment_status=payment_status,
        api_version=api_version,
        expanded_line_items=expanded_line_items,
        unknown_fields=unknown_fields,
        unknown_enum_values=unknown_enum_values,
    )
    return _session_payloads(args)


def sessions(
    *,
    mode: Mode | str | None = None,
    status: Status | str | None = None,
    payment_status: PaymentStatus | str | None = None,
    api_version: PayloadEra | None = None,
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

_EVENT_API_VERSIONS: dict[PayloadEra, tuple[str, ...]] = {
    "current": ("2026-10-28.endive",),
    "mixed": ("2020-08-27", "2022-11-15", "2024-06-20", "2025-03-31.basil", "2026-10-28.endive"),
    "2019": ("2019-05-16", "2019-10-17"),
}


@attrs.frozen
class _EventArgs:
    types: tuple[EventType, ...]
    eras: tuple[PayloadEra, ...]
    sessions: Mapping[tuple[EventType, PayloadEra], _SessionArgs]
    unknown_fields: bool
    unknown_enum_values: bool


@st.composite
def _event_payloads(draw: st.DrawFn, args: _EventArgs) -> Payload:
    era = draw(st.sampled_from(args.eras)) if len(args.eras) > 1 else args.eras[0]
    if era == "2019":
        event_type = EventType.CHECKOUT_SESSION_COMPLETED  # the other events did not exist then
    else:
        event_type = draw(st.sampled_from(args.types)) if len(args.types) > 1 else args.types[0]
    session = _draw_session(draw, args.sessions[event_type, era])
    shape = _Shape(args.unknown_fields, args.unknown_enum_values, absent_fields=era == "mixed")
    data: Payload = {"object": session}  # previous_attributes: only in *.updated events
    if args.unknown_fields:
        data.update(draw(_UNKNOWN_FIELDS) or ())
    given = {
        "type": event_type.value,
        "api_version": draw(st.sampled_from(_EVENT_API_VERSIONS[era])),
        "data": data,
    }
    return _draw(draw, _plan(Event, shape, 0), given)


def event_payloads(
    *,
    type: EventType | str | None = None,
    mode: Mode | str | None = None,
    api_version: PayloadEra | None = None,
    unknown_fields: bool = False,
    unknown_enum_values: bool = False,
) -> st.SearchStrategy[Payload]:
    """Raw webhook event payloads about a Checkout Session, as your endpoint receives them.

    The session inside is in the state the event type implies (``expired`` sessions are
    expired and unpaid; ``async_payment_succeeded`` ones complete and paid; …), in the shape of
    the event's ``api_version``. Webhooks never carry expanded line items. A 2019-shaped event
    is always ``checkout.session.completed`` (the other events did not exist then). Arguments
    are checked here (``hypothesis.errors.InvalidArgument``, also a ``ValueError``).
    """
    given_type = _member("type", type, EventType)
    era = _era(api_version)
    if era == "2019" and given_type not in (None, EventType.CHECKOUT_SESSION_COMPLETED):
        raise _ArgumentError("2019 events are all checkout.session.completed")
    _flags(unknown_fields=unknown_fields, unknown_enum_values=unknown_enum_values)
    types = (EventType(given_type),) if given_type is not None else tuple(EventType)
    eras = (era,) if era is not None else _ERAS
    plans: dict[tuple[EventType, PayloadEra], _SessionArgs] = {}
    for event_type in (*types, EventType.CHECKOUT_SESSION_COMPLETED):
        status, payment_status = _EVENT_SESSION_STATES[event_type]
        for each in eras:
            old = each == "2019"
            plans[event_type, each] = _session_args(
                mode=mode,
                status=None if old else status,
                payment_status=None if old else payment_status,
                api_version=each,
                expanded_line_items=None if old else False,
                unknown_fields=unknown_fields,
                unknown_enum_values=unknown_enum_values,
            )
    return _event_payloads(_EventArgs(types, eras, plans, unknown_fields, unknown_enum_values))


def events(
    *,
    type: EventType | str | None = None,
    mode: Mode | str | None = None,
    api_version: PayloadEra | None = None,
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
