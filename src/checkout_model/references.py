"""Expanded Stripe objects outside the checkout domain, kept whole as typed references.

A session can carry a customer, payment intent, subscription, … expanded in place of its id.
Modelling those resources is not this library's job; a reference types their ``id`` and
``object`` and keeps the whole payload, so nothing is lost and ``dump_session`` writes it back.
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs

from ._base import FrozenDict, FrozenJson
from ._json import is_frozen_json

__all__ = [
    "Account",
    "Customer",
    "ExpandedResource",
    "Invoice",
    "PaymentIntent",
    "PaymentLink",
    "Plan",
    "SetupIntent",
    "Sku",
    "Subscription",
    "TaxCode",
    "TaxId",
]


@attrs.frozen(kw_only=True)
class ExpandedResource:
    """An expanded object of another Stripe resource: its id and type, and the whole payload."""

    OBJECT: ClassVar[str] = ""

    id: str
    """The object's Stripe id."""
    object: str
    """The object's type, as Stripe names it."""
    payload: FrozenDict[str, FrozenJson] = attrs.field(repr=False, hash=False)
    """Every field of the object, exactly as Stripe sent it (frozen: it cannot be changed)."""

    @payload.validator
    def _check_payload(self, _: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, FrozenDict) or not is_frozen_json(value):
            raise TypeError(f"{type(self).__name__}.payload: expected a FrozenDict of frozen JSON")

    @property
    def deleted(self) -> bool:
        """Whether Stripe reports the object as deleted."""
        return self.payload.get("deleted") is True

    def get(self, key: str, default: Any = None) -> Any:
        """A field of the payload, like ``dict.get``."""
        return self.payload.get(key, default)


@attrs.frozen(kw_only=True)
class Account(ExpandedResource):
    """A connected account (Stripe Connect)."""

    OBJECT = "account"


@attrs.frozen(kw_only=True)
class Customer(ExpandedResource):
    """The customer record a session belongs to (or a deleted customer)."""

    OBJECT = "customer"


@attrs.frozen(kw_only=True)
class Invoice(ExpandedResource):
    """An invoice, such as the one a session created after payment."""

    OBJECT = "invoice"


@attrs.frozen(kw_only=True)
class PaymentIntent(ExpandedResource):
    """The payment intent that collects a payment-mode session's money."""

    OBJECT = "payment_intent"


@attrs.frozen(kw_only=True)
class PaymentLink(ExpandedResource):
    """The payment link that created a session."""

    OBJECT = "payment_link"


@attrs.frozen(kw_only=True)
class Plan(ExpandedResource):
    """A legacy plan, shown on sessions of API versions before 2020-08-27."""

    OBJECT = "plan"


@attrs.frozen(kw_only=True)
class SetupIntent(ExpandedResource):
    """The setup intent that saves a setup-mode session's payment method."""

    OBJECT = "setup_intent"


@attrs.frozen(kw_only=True)
class Sku(ExpandedResource):
    """A legacy SKU, shown on sessions of API versions before 2020-08-27."""

    OBJECT = "sku"


@attrs.frozen(kw_only=True)
class Subscription(ExpandedResource):
    """The subscription a subscription-mode session started."""

    OBJECT = "subscription"


@attrs.frozen(kw_only=True)
class TaxCode(ExpandedResource):
    """A product tax code, which decides how a product is taxed."""

    OBJECT = "tax_code"


@attrs.frozen(kw_only=True)
class TaxId(ExpandedResource):
    """A tax id resource (for example a customer's VAT number)."""

    OBJECT = "tax_id"
