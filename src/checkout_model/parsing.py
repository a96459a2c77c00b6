"""Parse Stripe JSON into model objects and write them back, losslessly."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import orjson

from . import _fast
from ._converter import structure, unstructure
from .errors import ParseError
from .session import Session

__all__ = ["dump_session", "load_json", "parse_session"]

T = TypeVar("T")

JsonInput = Mapping[str, Any] | str | bytes | bytearray | memoryview
"""What the parse functions accept: a decoded JSON object, or JSON text as str or bytes."""


def load_json(data: JsonInput) -> Mapping[str, Any]:
    """Decode JSON text (or pass a mapping through), rejecting anything that is not an object."""
    cls = data.__class__
    if cls is bytes or cls is str or isinstance(data, (bytearray, memoryview)):
        try:
            decoded = orjson.loads(data)  # type: ignore[arg-type]
        except orjson.JSONDecodeError as exc:
            raise ParseError.at("$", f"invalid JSON: {exc}") from None
    elif isinstance(data, Mapping):
        return data
    else:
        raise ParseError.at("$", f"expected JSON text or a mapping, found {type(data).__name__}")
    if not isinstance(decoded, dict):
        kind = "an array" if isinstance(decoded, list) else f"{type(decoded).__name__}"
        raise ParseError.at("$", f"expected a JSON object, found {kind}")
    return decoded


def parse_session(data: JsonInput, strict: bool = False) -> Session:
    """Parse a ``checkout.session`` payload; raise ParseError (with JSONPaths) if it is invalid.

    ``strict=True`` also rejects fields and enum values the model does not know.
    """
    fast: Session | None = _fast.parse(data, Session, strict)  # JSON text: msgspec fast path
    if fast is not None:
        return fast
    session: Session = structure(load_json(data), Session, strict)
    return session


def dump_session(session: Session) -> dict[str, Any]:
    """The session as JSON-ready data: exactly the payload it was parsed from."""
    return unstructure(session)
