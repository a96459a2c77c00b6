"""Typed, validated, lossless models of Stripe Checkout Sessions."""

from __future__ import annotations

import sys as _sys

from . import enums, line_items, references, session
from ._base import FrozenDict, FrozenJson, JsonValue, OpenEnum, Unknown
from ._model import StripeModel
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
    "construct_event",
    "currency_exponent",
    "dump_event",
    "dump_session",
    "load_json",
    "parse_event",
    "parse_session",
]
__all__ += enums.__all__
__all__ += line_items.__all__
__all__ += references.__all__
__all__ += session.__all__

_IMPORTED = True
"""Set last: Hypothesis's entry point registers the strategies only once this package is whole."""
if "hypothesis" in _sys.modules:  # imported after Hypothesis: register with st.from_type now
    from ._hypothesis_plugin import register as _register

    _register()
