"""Facts Stripe moved between API versions, read the same way from a session of any version.

The raw fields stay exactly as sent (dumps are lossless); these functions only read them. Each
says where the fact lives in which versions. Sources: Stripe's API changelog
(docs.stripe.com/changelog) and the history of its OpenAPI spec (github.com/stripe/openapi,
``openapi/spec3.json``; dates below are of the first spec commit showing the change).

``SessionMixin`` exposes each as a property of :class:`checkout_model.Session`. This module is
below the generated classes (they inherit the mixin), so it reads them as duck-typed values and
types what it returns with its own small classes and protocols, not by importing them.
"""

from __future__ import annotations

from typing import Any, Protocol

import attrs

from ._base import Unknown
from .enums import UiMode
from .money import Money

__all__ = [
    "PostalAddress",
    "PurchasedItem",
    "normalized_ui_mode",
    "purchased_items",
    "selected_shipping_rate",
    "shipping_address",
    "shipping_name",
]


# -- shipping: name and address -------------------------------------------------------------------
# 2020-03-12: ``shipping`` {address, name} appears (legacy record).
# 2022-08-01 (API version): ``shipping`` renamed ``shipping_details`` ("Updates Checkout Session
#   shipping properties", docs.stripe.com/changelog/2022-08-01/
#   updates-shipping-property-checkout-session).
# 2025-03-31.basil: ``shipping_details`` moved to ``collected_information.shipping_details``
#   ("Checkout Session removes shipping details", docs.stripe.com/changelog/basil/2025-03-31/
#   checkout-session-remove-shipping-details).


class PostalAddress(Protocol):
    """A postal address, as every address field of a session holds it (``Address``)."""

    @property
    def city(self) -> str | None: ...
    @property
    def country(self) -> str | None: ...
    @property
    def line1(self) -> str | None: ...
    @property
    def line2(self) -> str | None: ...
    @property
    def postal_code(self) -> str | None: ...
    @property
    def state(self) -> str | None: ...


class _ShippingRecord(Protocol):
    @property
    def name(self) -> str | None: ...
    @property
    def address(self) -> PostalAddress | None: ...


def _shipping(session: Any) -> _ShippingRecord | None:
    """The newest of the three places that holds a shipping record, or None."""
    collected = session.collected_information
    record: _ShippingRecord | None = None if collected is None else collected.shipping_details
    if record is None:
        record = session.shipping_details
    if record is None:
        record = session.shipping
    return record


def shipping_name(session: Any) -> str | None:
    """Recipient name the customer gave for shipping, in whichever field the version uses."""
    record = _shipping(session)
    return None if record is None else record.name


def shipping_address(session: Any) -> PostalAddress | None:
    """Address the customer gave for shipping, in whichever field the version uses."""
    record = _shipping(session)
    return None if record is None else record.address


# -- the shipping rate the customer chose ----------------------------------------------------------
# 2021-11-15: top-level ``shipping_rate`` (an id, or the expanded ShippingRate).
# 2022-08-01 (API version): moved into the new ``shipping_cost`` hash as
#   ``shipping_cost.shipping_rate`` (same changelog entry as ``shipping_details``).


def selected_shipping_rate(session: Any) -> str | None:
    """ID of the shipping rate the customer chose (shr_...), in whichever field the version uses."""
    cost = session.shipping_cost
    rate = cost.shipping_rate if cost is not None else None
    if rate is None:
        rate = session.shipping_rate
    if rate is None or isinstance(rate, str):
        return rate
    ident: str = rate.id
    return ident


# -- ui_mode ---------------------------------------------------------------------------------------
# ``ui_mode`` arrived with embedded Checkout (2023; absent before: every session was a hosted
# page). 2026-03-25.dahlia renamed its values: ``hosted`` -> ``hosted_page``,
# ``embedded`` -> ``embedded_page``, ``custom`` -> ``elements``
# (docs.stripe.com/changelog/dahlia, "Checkout Session ui_mode enum values").

_DAHLIA_NAMES = {
    UiMode.HOSTED: UiMode.HOSTED_PAGE,
    UiMode.EMBEDDED: UiMode.EMBEDDED_PAGE,
    UiMode.CUSTOM: UiMode.ELEMENTS,
}


def normalized_ui_mode(session: Any) -> UiMode | Unknown[UiMode] | None:
    """How the page is shown, under the names of 2026-03-25.dahlia and later.

    ``hosted`` reads as ``HOSTED_PAGE``, ``embedded`` as ``EMBEDDED_PAGE`` and ``custom`` as
    ``ELEMENTS``; a session from before ``ui_mode`` existed (the field absent) was a hosted page.
    Other values, including ones Stripe adds later, are returned as they are; null stays None.
    """
    mode: UiMode | Unknown[UiMode] | None = session.ui_mode
    if mode is None:
        return UiMode.HOSTED_PAGE if "ui_mode" in session.absent_fields else None
    if isinstance(mode, UiMode):
        return _DAHLIA_NAMES.get(mode, mode)
    return mode


# -- what was bought -------------------------------------------------------------------------------
# 2019-03-18: ``display_items`` (custom items, plans, SKUs; later prices), always present.
# 2020-05-11: ``line_items`` (sent only when expanded).
# 2020-08-27 (API version): ``display_items`` removed; use ``line_items`` with ``expand``.


@attrs.frozen(kw_only=True)
class PurchasedItem:
    """One thing the customer bought, read alike from ``line_items`` and ``display_items``."""

    name: str | None
    """What the customer saw: the line item's description, or the legacy item's name."""
    quantity: int | None
    """How many units."""
    unit_amount: int | None
    """Price of one unit, in minor units (None for tiered or custom-amount prices)."""
    amount_total: int | None
    """What the line cost in total, in minor units (after discounts and tax for line items)."""
    currency: str | None
    """Lowercase ISO currency code of the amounts."""
    price_id: str | None
    """ID of the Price (price_...) or legacy Plan / SKU behind the item, if any."""

    @property
    def total_money(self) -> Money | None:
        """``amount_total`` as Money; None if it or the currency is unknown."""
        if self.amount_total is None or self.currency is None:
            return None
        try:
            return Money(self.amount_total, self.currency)
        except (TypeError, ValueError):
            return None


def _price_name(price: Any) -> str | None:
    if price is None:
        return None
    product = price.product
    name: str | None = None
    if product is not None and not isinstance(product, str):
        name = product.name
    if name is None:
        name = price.nickname
    return name


def _from_line_item(item: Any) -> PurchasedItem:
    price = item.price
    return PurchasedItem(
        name=item.description if item.description is not None else _price_name(price),
        quantity=item.quantity,
        unit_amount=price.unit_amount if price is not None else None,
        amount_total=item.amount_total,
        currency=item.currency if item.currency is not None else getattr(price, "currency", None),
        price_id=price.id if price is not None else None,
    )


def _from_display_item(item: Any) -> PurchasedItem:
    name: str | None = None
    price_id: str | None = None
    if item.custom is not None:
        name = item.custom.name
    if item.price is not None:
        name = name if name is not None else _price_name(item.price)
        price_id = item.price.id
    elif item.plan is not None:
        nickname = item.plan.get("nickname")
        name = name if name is not None or not isinstance(nickname, str) else nickname
        price_id = item.plan.id
    elif item.sku is not None:
        price_id = item.sku.id
    total = None
    if item.amount is not None and item.quantity is not None:
        total = item.amount * item.quantity
    return PurchasedItem(
        name=name,
        quantity=item.quantity,
        unit_amount=item.amount,
        amount_total=total,
        currency=item.currency,
        price_id=price_id,
    )


def purchased_items(session: Any) -> tuple[PurchasedItem, ...] | None:
    """What the customer bought: the expanded ``line_items`` (first page), else the legacy
    ``display_items``; None when the payload has neither (retrieve the session with
    ``expand=Session.expand_fields``)."""
    if session.line_items is not None and session.line_items.data is not None:
        return tuple(_from_line_item(item) for item in session.line_items.data)
    if session.display_items is not None:
        return tuple(_from_display_item(item) for item in session.display_items)
    return None
