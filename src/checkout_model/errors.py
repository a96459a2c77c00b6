"""The error every parse function raises, with the JSONPath of each problem."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

__all__ = ["ErrorDetail", "ParseError", "describe", "json_path"]

MAX_SHOWN = 40
"""How many characters of a string (or digits of an integer) an error message quotes."""

MAX_PATH_SHOWN = 240
"""How much of a path ``str(error)`` shows; ``ErrorDetail.path`` always holds all of it."""


@attrs.frozen
class ErrorDetail:
    """One problem in a payload: where it is and what is wrong."""

    path: str
    """JSONPath of the offending value: ``$`` the payload, ``.key`` a field, ``[i]`` an index."""
    message: str
    """What was expected and what was found."""

    def __str__(self) -> str:
        path = self.path
        if len(path) > MAX_PATH_SHOWN:  # a huge key: the message stays short, .path stays exact
            half = MAX_PATH_SHOWN // 2
            path = f"{path[:half]}...({len(path) - 2 * half} characters)...{path[-half:]}"
        return f"{path}: {self.message}"


class ParseError(ValueError):
    """A payload is not a valid Stripe object; ``errors`` says where and why."""

    errors: tuple[ErrorDetail, ...]

    def __init__(self, errors: Iterable[ErrorDetail]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(map(str, self.errors)) or "invalid payload")

    @classmethod
    def at(cls, path: str, message: str) -> ParseError:
        """A ParseError with a single problem."""
        return cls([ErrorDetail(path, message)])

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from its parts, not by calling __init__ with the joined message (which a
        # subclass may not accept): the errors, the message and any attributes survive a
        # process pool or any other pickle round trip.
        return (_rebuild, (type(self), self.args, self.errors, self.__dict__))


def _rebuild(
    cls: type[ParseError],
    args: tuple[Any, ...],
    errors: tuple[ErrorDetail, ...],
    state: dict[str, Any],
) -> ParseError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    error.errors = errors
    return error


# ------------------------------------------------------------------------------------------------
# How paths and values read in messages

_SHORTHAND = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_ESCAPES = {
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "'": "\\'",
    "\\": "\\\\",
}
_NEEDS_ESCAPE = re.compile(r"[\x00-\x1f'\\\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


def json_path(parts: Iterable[str | int]) -> str:
    """The JSONPath of a sequence of keys and indexes, such as ``$.line_items.data[2].price``.

    Keys that are identifiers use the dot shorthand; any other key is written as an RFC 9535
    normalized path segment: ``['a key']`` with ``'``, ``\\`` and control characters escaped
    (``$.metadata['\\u0000']``). Lone surrogates are escaped the same way, so a path is always
    printable and encodable.
    """
    out = ["$"]
    for part in parts:
        if part.__class__ is int:
            out.append(f"[{part}]")
        elif _SHORTHAND.match(part):  # type: ignore[arg-type]
            out.append(f".{part}")
        else:
            out.append(f"['{_NEEDS_ESCAPE.sub(_escape, part)}']")  # type: ignore[arg-type]
    return "".join(out)


def describe(value: object) -> str:
    """How a JSON value reads in an error message (never longer than about 80 characters)."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return f"the integer {_integer(value)}"
    if isinstance(value, float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the string {quote(value)}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return f"a Python {type(value).__name__}, which is not JSON"


def quote(text: str) -> str:
    """``text`` quoted for a message, cut to :data:`MAX_SHOWN` characters."""
    if len(text) > MAX_SHOWN:
        text = text[: MAX_SHOWN - 3] + "..."
    return str.__repr__(text)


def safe_repr(value: object) -> str:
    """``repr(value)``, also for integers beyond the 4,300 digits CPython will print (shown by
    their size), at any depth of dicts, lists and tuples."""
    if isinstance(value, int) and not isinstance(value, bool):
        if int.bit_length(value) > 14_000:
            return f"<an integer {_integer(value)}>"
        return int.__repr__(value)
    if type(value) is tuple:
        inner = ", ".join(map(safe_repr, value))
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if type(value) is list:
        return f"[{', '.join(map(safe_repr, value))}]"
    if type(value) is dict:
        items = (f"{safe_repr(k)}: {safe_repr(v)}" for k, v in value.items())
        return f"{{{', '.join(items)}}}"
    return repr(value)


def _integer(value: int) -> str:
    # Python refuses str() of an int beyond 4,300 digits; a message never needs that many.
    bits = int.bit_length(value)
    if bits <= 128:
        return int.__repr__(value)
    return f"of about {int(bits * 0.30103) + 1} digits"


class _Invalid(Exception):
    """A validation failure on its way up; ``parts`` grows by one path segment per level.

    Private: the public functions turn it into a :class:`ParseError` (or a cattrs error).
    """

    __slots__ = ("message", "parts")

    def __init__(self, message: str) -> None:
        self.message = message
        self.parts: list[str | int] = []

    def at(self, part: str | int) -> _Invalid:
        """Add the segment of the level the failure passes through on its way up."""
        self.parts.append(part)
        return self

    def detail(self, prefix: Iterable[str | int] = ()) -> ErrorDetail:
        return ErrorDetail(json_path([*prefix, *reversed(self.parts)]), self.message)


def expected(what: str, value: object) -> _Invalid:
    """The failure for a value of the wrong kind."""
    return _Invalid(f"expected {what}, found {describe(value)}")
