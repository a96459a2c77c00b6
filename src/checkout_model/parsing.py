"""Parse Stripe JSON into model objects and write them back, losslessly."""

from __future__ import annotations

import json
import math
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
    """Decode JSON text (or pass a mapping through), rejecting anything that is not an object.

    Text is decoded by orjson. Integers keep every digit, however long (orjson turns those
    beyond 64 bits into floats; such text is decoded again, exactly). A number too large for
    Python to hold (``1e400``, an integer longer than ``sys.get_int_max_str_digits()``) comes
    back as an infinite float that the parse functions refuse at its path; every other flaw
    of the text is a ParseError at ``$``.
    """
    cls = data.__class__
    if cls is bytes or cls is str:
        text: str | bytes = data  # type: ignore[assignment]
    elif isinstance(data, Mapping):
        return data
    elif isinstance(data, str):
        text = str.__str__(data)
    elif isinstance(data, (bytes, bytearray)):
        text = bytes(data)
    elif isinstance(data, memoryview):
        text = data.tobytes()
    else:
        raise ParseError.at("$", f"expected JSON text or a mapping, found {type(data).__name__}")
    try:
        decoded = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        # orjson refuses numbers beyond a float's range; read them exactly, else report its error.
        decoded = _decode_exactly(text, f"invalid JSON: {exc}")
    else:
        if _may_hold_long_integers(text):
            decoded = _decode_exactly(text, "nested too deeply to parse")
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
    _fast.learn(session, Session, strict)  # unknown keys met again and again take the fast path
    return session


def dump_session(session: Session) -> dict[str, Any]:
    """The session as JSON-ready data: exactly the payload it was parsed from."""
    return unstructure(session)


# ------------------------------------------------------------------------------------------------
# Numbers orjson cannot give back exactly

_DIGITS = bytes(0x30 if 0x30 <= byte <= 0x39 else 0x20 for byte in range(256))
"""A ``bytes.translate`` table: every ASCII digit becomes ``0``, anything else a space."""
_LONG_RUN = b"0" * 19
_STRIDE = 6


def _may_hold_long_integers(text: str | bytes) -> bool:
    """Whether ``text`` has a run of 19 or more digits: only such an integer can be one orjson
    did not decode exactly (it keeps -2**63 to 2**64-1, and makes a float of anything beyond).

    Every sixth byte is looked at first: a run of 19 digits covers three consecutive samples.
    Where three samples are digits, the bytes around them are checked for a real run, so a normal
    payload costs one pass over a sixth of its bytes and a few short looks.
    """
    raw = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    samples = raw[::_STRIDE].translate(_DIGITS)
    at = samples.find(b"000")
    while at >= 0:
        # A run through sample ``at`` has 19 digits within 18 bytes before it and 31 after it.
        start = at * _STRIDE
        if _LONG_RUN in raw[max(0, start - 18) : start + 31].translate(_DIGITS):
            return True
        at = samples.find(b"000", at + 1)
    return False


class _OutOfRange(float):
    """A JSON number Python cannot hold: an infinite float that remembers its text.

    :func:`load_json` gives one for ``1e400`` or an integer with more digits than
    ``sys.get_int_max_str_digits()``; the parse functions refuse it at its path, as a value that
    is not a (finite) JSON number.
    """

    __slots__ = ("literal",)
    literal: str

    def __new__(cls, literal: str) -> _OutOfRange:
        self = super().__new__(cls, "-inf" if literal.startswith("-") else "inf")
        self.literal = literal
        return self

    def __reduce__(self) -> tuple[type[_OutOfRange], tuple[str]]:
        return (type(self), (self.literal,))

    def __repr__(self) -> str:
        literal = self.literal
        shown = literal if len(literal) <= 24 else f"{literal[:20]}..."
        if "." in literal or "e" in literal or "E" in literal:
            return f"{shown} (beyond the range of a float)"
        digits = len(literal.lstrip("-"))
        return f"{shown} (an integer of {digits} digits, more than Python converts)"

    __str__ = __repr__


class _NotJson(ValueError):
    """``NaN`` or ``Infinity``: Python's JSON decoder accepts them, JSON does not."""


def _exact_int(literal: str) -> int | _OutOfRange:
    try:
        return int(literal)
    except ValueError:  # longer than sys.get_int_max_str_digits()
        return _OutOfRange(literal)


def _exact_float(literal: str) -> float:
    value = float(literal)
    return _OutOfRange(literal) if math.isinf(value) else value


def _constant(literal: str) -> Any:
    raise _NotJson(literal)


_EXACT = json.JSONDecoder(parse_float=_exact_float, parse_int=_exact_int, parse_constant=_constant)


def _decode_exactly(text: str | bytes, failure: str) -> Any:
    """``text`` decoded with every integer exact, or a ParseError at ``$`` saying ``failure``.

    The standard library's decoder, held to what orjson accepts: UTF-8 only, no ``NaN``, no
    lone surrogates. Only text with very long numbers (or none that is valid) comes here.
    """
    try:
        string = text.decode("utf-8") if isinstance(text, bytes) else text
        decoded = _EXACT.decode(string)
    except (ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError, _NotJson
        raise ParseError.at("$", failure) from None
    if _has_lone_surrogate(decoded):
        raise ParseError.at("$", failure)
    return decoded


def _has_lone_surrogate(value: Any) -> bool:
    """Whether any string or key in a decoded JSON value is not valid Unicode text."""
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            if not item.isascii():
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    return True
        elif isinstance(item, dict):
            todo.extend(item)
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
    return False
