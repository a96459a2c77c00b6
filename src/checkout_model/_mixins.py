"""Behaviour of the generated model classes that is written by hand.

The generator (tools/generate_model.py) makes ``Session`` and ``LineItem`` inherit from these,
so the generated field list and the hand-written conveniences stay in separate files.
Mixins keep ``__slots__ = ()`` so the attrs classes stay slotted. They know the generated classes
only through the small protocols below, so this module imports none of them (no import cycle),
and stripe-python is imported only when an interop method runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol, Self

from . import _versioned
from ._base import Unknown
from ._converter import structure, unstructure
from ._versioned import PostalAddress, PurchasedItem
from .enums import PaymentStatus, Status, UiMode
from .errors import ParseError
from .money import Money

if TYPE_CHECKING:
    import stripe

__all__ = ["LineItemMixin", "SessionMixin", "from_stripe_object"]


class _Totals(Protocol):
    """What the mixins read of a session's ``total_details``."""

    @property
    def amount_discount(self) -> int | None: ...
    @property
    def amount_shipping(self) -> int | None: ...
    @property
    def amount_tax(self) -> int | None: ...


class _UnitPrice(Protocol):
    """What the mixins read of a line item's ``price``."""

    @property
    def unit_amount(self) -> int | None: ...
    @property
    def currency(self) -> str | None: ...


def stripe_json(value: object) -> Any:
    """The plain JSON behind a stripe-python value, exactly as the API sent it.

    ``StripeObject.to_dict()`` leaves objects inside nested lists unconverted, and stripe-python
    turns decimal strings into ``Decimal``; this walks every level and writes those back as the
    strings they were (``Decimal("0.00000010")`` → ``"0.00000010"``).
    """
    import stripe

    if isinstance(value, stripe.StripeObject):
        return {key: stripe_json(item) for key, item in value.to_dict(recursive=False).items()}
    if isinstance(value, Mapping):
        return {key: stripe_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [stripe_json(item) for item in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def from_stripe_object(obj: object) -> dict[str, Any]:
    """The JSON object behind a stripe-python object (or a mapping), or a ParseError at ``$``."""
    import stripe

    if not isinstance(obj, (stripe.StripeObject, Mapping)):
        raise ParseError.at(
            "$", f"expected a stripe-python object or a mapping, found {type(obj).__name__}"
        )
    try:
        data: dict[str, Any] = stripe_json(obj)
    except RecursionError:
        raise ParseError.at("$", "nested too deeply to parse") from None
    return data


def _money(amount: int | None, currency: str | None) -> Money | None:
    if amount is None or currency is None:
        return None
    try:
        return Money(amount, currency)
    except (TypeError, ValueError):
        return None


class _Priced:
    """What sessions and line items share: reading from stripe-python, and their totals as Money."""

    __slots__ = ()

    if TYPE_CHECKING:
        amount_subtotal: int | None
        amount_total: int | None
        currency: str | None

    @classmethod
    def from_stripe(
        cls, obj: stripe.StripeObject | Mapping[str, Any], strict: bool = False
    ) -> Self:
        """The object held by a stripe-python object, losslessly; raises ParseError if invalid."""
        parsed: Self = structure(from_stripe_object(obj), cls, strict)
        return parsed

    def money(self, amount: int | None) -> Money | None:
        """An amount in this object's currency as Money; None if either is unknown."""
        return _money(amount, self.currency)

    @property
    def subtotal_money(self) -> Money | None:
        """What the items cost before discounts and tax, as Money."""
        return _money(self.amount_subtotal, self.currency)

    @property
    def total_money(self) -> Money | None:
        """What the customer pays in the end, as Money."""
        return _money(self.amount_total, self.currency)


class SessionMixin(_Priced):
    """Conveniences of :class:`checkout_model.Session` (interop, money, fulfilment questions)."""

    __slots__ = ()

    if TYPE_CHECKING:

        @property
        def payment_status(self) -> PaymentStatus | Unknown[PaymentStatus] | None: ...
        @property
        def status(self) -> Status | Unknown[Status] | None: ...
        @property
        def total_details(self) -> _Totals | None: ...

    # -- stripe-python interop -------------------------------------------------------------

    def to_stripe(self) -> stripe.checkout.Session:
        """This session as a ``stripe.checkout.Session``, built from exactly the dumped payload."""
        import stripe

        return stripe.checkout.Session.construct_from(unstructure(self), key=None)

    # -- money (subtotal_money, total_money and money() come from _Priced) ------------------

    @property
    def discount_money(self) -> Money | None:
        """What discounts took off the total, as Money."""
        details = self.total_details
        return None if details is None else _money(details.amount_discount, self.currency)

    @property
    def shipping_money(self) -> Money | None:
        """What shipping added to the total, as Money."""
        details = self.total_details
        return None if details is None else _money(details.amount_shipping, self.currency)

    @property
    def tax_money(self) -> Money | None:
        """What tax added to the total, as Money."""
        details = self.total_details
        return None if details is None else _money(details.amount_tax, self.currency)

    # -- fulfilment questions ------------------------------------------------------------------

    @property
    def is_paid(self) -> bool:
        """Whether you may fulfil now: the money arrived, or nothing was owed."""
        return self.payment_status in (PaymentStatus.PAID, PaymentStatus.NO_PAYMENT_REQUIRED)

    @property
    def is_complete(self) -> bool:
        """Whether the customer finished the checkout page (paid or not yet)."""
        return self.status == Status.COMPLETE

    @property
    def is_expired(self) -> bool:
        """Whether the session expired without the customer completing it."""
        return self.status == Status.EXPIRED

    @property
    def awaits_async_payment(self) -> bool:
        """Whether the customer completed checkout with a delayed method whose money is still due.

        Wait for ``checkout.session.async_payment_succeeded`` (or ``_failed``) before fulfilling.
        """
        return self.status == Status.COMPLETE and self.payment_status == PaymentStatus.UNPAID

    # -- facts Stripe moved between API versions (see _versioned.py) ---------------------------

    @property
    def shipping_name(self) -> str | None:
        """Recipient name for shipping, wherever this session's API version puts it.

        ``collected_information.shipping_details`` (2025-03-31.basil on), ``shipping_details``
        (2022-08-01 on) or ``shipping`` (before).
        """
        return _versioned.shipping_name(self)

    @property
    def shipping_address(self) -> PostalAddress | None:
        """Address to ship to, wherever this session's API version puts it (as shipping_name)."""
        return _versioned.shipping_address(self)

    @property
    def selected_shipping_rate(self) -> str | None:
        """ID of the shipping rate the customer chose: ``shipping_cost.shipping_rate`` (2022-08-01
        on) or ``shipping_rate`` (before)."""
        return _versioned.selected_shipping_rate(self)

    @property
    def normalized_ui_mode(self) -> UiMode | Unknown[UiMode] | None:
        """``ui_mode`` under its 2026-03-25.dahlia names (``hosted`` reads as ``HOSTED_PAGE``,
        ``embedded`` as ``EMBEDDED_PAGE``, ``custom`` as ``ELEMENTS``; absent: a hosted page)."""
        return _versioned.normalized_ui_mode(self)

    @property
    def purchased_items(self) -> tuple[PurchasedItem, ...] | None:
        """What was bought, from expanded ``line_items`` or the legacy ``display_items`` (before
        2020-08-27); None when the payload has neither."""
        return _versioned.purchased_items(self)


class LineItemMixin(_Priced):
    """Conveniences of :class:`checkout_model.LineItem` (interop, money)."""

    __slots__ = ()

    if TYPE_CHECKING:
        amount_discount: int | None
        amount_tax: int | None

        @property
        def price(self) -> _UnitPrice | None: ...

    def to_stripe(self) -> stripe.LineItem:
        """This line item as a ``stripe.LineItem``, built from exactly the dumped payload."""
        import stripe

        return stripe.LineItem.construct_from(unstructure(self), key=None)

    @property
    def discount_money(self) -> Money | None:
        """What discounts took off this line, as Money."""
        return _money(self.amount_discount, self.currency)

    @property
    def tax_money(self) -> Money | None:
        """What tax added to this line, as Money."""
        return _money(self.amount_tax, self.currency)

    @property
    def unit_money(self) -> Money | None:
        """The price of one unit, as Money; None for tiered or fractional-cent prices."""
        price = self.price
        if price is None:
            return None
        return _money(price.unit_amount, price.currency or self.currency)
