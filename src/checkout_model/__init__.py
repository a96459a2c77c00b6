"""Typed, validated, lossless models of Stripe Checkout Sessions."""

from __future__ import annotations

from . import enums, line_items, references, session
from ._base import FrozenDict, JsonValue, OpenEnum, StripeModel
from .enums import *  # noqa: F403
from .errors import ErrorDetail, ParseError
from .line_items import *  # noqa: F403
from .parsing import dump_session, load_json, parse_session
from .references import *  # noqa: F403
from .session import *  # noqa: F403

__version__ = "0.1.0"

__all__ = [
    "ErrorDetail",
    "FrozenDict",
    "JsonValue",
    "OpenEnum",
    "ParseError",
    "StripeModel",
    "__version__",
    "dump_session",
    "load_json",
    "parse_session",
]
__all__ += enums.__all__
__all__ += line_items.__all__
__all__ += references.__all__
__all__ += session.__all__
