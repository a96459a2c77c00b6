"""Typed, validated, lossless models of Stripe Checkout Sessions.

The top level holds what most code needs: the parse and dump functions, the webhook functions,
``Session`` and the resources a session carries expanded (line items, prices, products,
discounts...), the references to other resources, the enums of the session's own fields, and the
building blocks (``ParseError``, ``FrozenDict``, ``Unknown``, ``Money``...). The ~150 nested
classes live in their modules (``checkout_model.session.CustomerDetails``,
``checkout_model.line_items.PriceTier``) and every enum in ``checkout_model.enums``.
"""

from __future__ import annotations

import sys as _sys
from typing import TYPE_CHECKING, Any

from . import enums, line_items, references, session
from ._base import FrozenDict, FrozenJson, JsonValue, OpenEnum, Unknown
from ._model import StripeModel
from ._versioned import PostalAddress, PurchasedItem
from .archive import iter_events, iter_sessions
from .arrow import arrow_schema, to_arrow
from .enums import (
    BillingAddressCollection,
    CustomerCreation,
    Locale,
    Mode,
    OriginContext,
    PaymentMethodCollection,
    PaymentStatus,
    RedirectOnCompletion,
    Status,
    SubmitType,
    UiMode,
)
from .errors import ErrorDetail, ParseError
from .events import (
    Event,
    EventData,
    EventRequest,
    EventType,
    UnsupportedEventType,
    construct_event,
    dump_event,
    parse_event,
)
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
from .money import Money, currency_exponent
from .notifications import (
    EventNotification,
    EventNotificationType,
    RelatedObject,
    parse_event_notification,
)
from .parsing import dump_session, load_json, parse_session
from .references import (
    Account,
    Customer,
    ExpandedResource,
    Invoice,
    PaymentIntent,
    PaymentLink,
    Plan,
    SetupIntent,
    Sku,
    Subscription,
    TaxCode,
    TaxId,
)
from .session import Session
from .versions import ApiVersion

if TYPE_CHECKING:
    from stripe import SignatureVerificationError

    from .converters import converter, register_hooks
else:

    def __getattr__(name: str) -> Any:
        # stripe-python loads when first needed (a webhook, interop), not with this package;
        # cattrs when its converter is first asked for.
        if name == "SignatureVerificationError":
            from stripe import SignatureVerificationError

            return SignatureVerificationError
        if name in ("converter", "register_hooks", "converters"):
            import importlib

            converters = importlib.import_module(".converters", __name__)
            return converters if name == "converters" else getattr(converters, name)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted({*globals(), *__all__})


__version__ = "0.1.0"

__all__ = [
    "Account",
    "ApiVersion",
    "BillingAddressCollection",
    "Coupon",
    "Customer",
    "CustomerCreation",
    "Discount",
    "ErrorDetail",
    "Event",
    "EventData",
    "EventNotification",
    "EventNotificationType",
    "EventRequest",
    "EventType",
    "ExpandedResource",
    "FrozenDict",
    "FrozenJson",
    "Invoice",
    "JsonValue",
    "LineItem",
    "LineItemList",
    "Locale",
    "Mode",
    "Money",
    "OpenEnum",
    "OriginContext",
    "ParseError",
    "PaymentIntent",
    "PaymentLink",
    "PaymentMethodCollection",
    "PaymentStatus",
    "Plan",
    "PostalAddress",
    "Price",
    "Product",
    "PromotionCode",
    "PurchasedItem",
    "RedirectOnCompletion",
    "RelatedObject",
    "Session",
    "SetupIntent",
    "ShippingRate",
    "SignatureVerificationError",
    "Sku",
    "Status",
    "StripeModel",
    "SubmitType",
    "Subscription",
    "TaxCode",
    "TaxId",
    "TaxRate",
    "UiMode",
    "Unknown",
    "UnsupportedEventType",
    "__version__",
    "arrow_schema",
    "construct_event",
    "converter",
    "currency_exponent",
    "dump_event",
    "dump_session",
    "enums",
    "iter_events",
    "iter_sessions",
    "line_items",
    "load_json",
    "parse_event",
    "parse_event_notification",
    "parse_session",
    "references",
    "register_hooks",
    "session",
    "to_arrow",
]

_IMPORTED = True
"""Set last: Hypothesis's entry point registers the strategies only once this package is whole."""
if "hypothesis" in _sys.modules:  # imported after Hypothesis: register with st.from_type now
    from ._hypothesis_plugin import register as _register

    _register()
