"""Typed, validated, lossless models of Stripe Checkout Sessions."""

from __future__ import annotations

from . import enums, line_items, references, session
from ._base import FrozenDict, FrozenJson, JsonValue, OpenEnum, Unknown
from ._model import StripeModel
from ._versioned import PostalAddress, PurchasedItem
from .enums import *  # noqa: F403
from .errors import ErrorDetail, ParseError
from .events import (
    Event,
    EventData,
    EventRequest,
    EventType,
    SignatureVerificationError,
    UnsupportedEventType,
    construct_event,
    dump_event,
    parse_event,
)
from .line_items import *  # noqa: F403
from .money import Money, currency_exponent
from .notifications import (
    EventNotification,
    EventNotificationType,
    RelatedObject,
    parse_event_notification,
)
from .parsing import dump_session, load_json, parse_session
from .references import *  # noqa: F403
from .session import *  # noqa: F403
from .versions import ApiVersion

__version__ = "0.1.0"

__all__ = [
    "ApiVersion",
    "ErrorDetail",
    "Event",
    "EventData",
    "EventNotification",
    "EventNotificationType",
    "EventRequest",
    "EventType",
    "FrozenDict",
    "FrozenJson",
    "JsonValue",
    "Money",
    "OpenEnum",
    "ParseError",
    "PostalAddress",
    "PurchasedItem",
    "RelatedObject",
    "SignatureVerificationError",
    "StripeModel",
    "Unknown",
    "UnsupportedEventType",
    "__version__",
    "construct_event",
    "currency_exponent",
    "dump_event",
    "dump_session",
    "load_json",
    "parse_event",
    "parse_event_notification",
    "parse_session",
]
__all__ += enums.__all__
__all__ += line_items.__all__
__all__ += references.__all__
__all__ += session.__all__
