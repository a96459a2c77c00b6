"""Typed, validated, lossless models of Stripe Checkout Sessions."""

from __future__ import annotations

from . import enums, line_items, references, session
from ._base import FrozenDict, FrozenJson, JsonValue, OpenEnum, Unknown
from ._model import StripeModel
from .archive import iter_events, iter_sessions
from .arrow import arrow_schema, to_arrow
from .enums import *  # noqa: F403
from .errors import ErrorDetail, ParseError
from .events import (
    Event,
    EventData,
    EventRequest,
    EventType,
    construct_event,
    dump_event,
    parse_event,
)
from .line_items import *  # noqa: F403
from .money import Money, currency_exponent
from .parsing import dump_session, load_json, parse_session
from .references import *  # noqa: F403
from .session import *  # noqa: F403

__version__ = "0.1.0"

__all__ = [
    "ErrorDetail",
    "Event",
    "EventData",
    "EventRequest",
    "EventType",
    "FrozenDict",
    "FrozenJson",
    "JsonValue",
    "Money",
    "OpenEnum",
    "ParseError",
    "StripeModel",
    "Unknown",
    "__version__",
    "arrow_schema",
    "construct_event",
    "currency_exponent",
    "dump_event",
    "dump_session",
    "iter_events",
    "iter_sessions",
    "load_json",
    "parse_event",
    "parse_session",
    "to_arrow",
]
__all__ += enums.__all__
__all__ += line_items.__all__
__all__ += references.__all__
__all__ += session.__all__
