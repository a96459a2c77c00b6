"""Stripe API versions: parsed, ordered, and written back exactly as Stripe sent them."""

from __future__ import annotations

import datetime as _dt
import functools
import re
from typing import Final

__all__ = ["ApiVersion"]

_FORMAT: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:\.[a-z]{1,32})?\Z", re.ASCII)
"""``YYYY-MM-DD`` (every version before 2024-09-30) or ``YYYY-MM-DD.release`` (acacia onwards);
release names are plant names in lowercase letters, capped at 32 (the longest so far has 7)."""

_SHOWN: Final = 40
"""How much of a rejected string an error message quotes."""


class ApiVersion(str):
    """A Stripe API version, such as ``2019-05-16`` or ``2025-03-31.basil``.

    It is the string Stripe sent (``str()``, JSON encoding and ``==`` against a plain string all
    see exactly that text), with ``.date`` and ``.release`` read from it. Versions order by date,
    then by release name, and a date-only version sorts before a named one of the same date, so
    ``version >= "2025-03-31"`` reads "on or after that day". Plain strings on the other side of
    ``<``, ``<=``, ``>``, ``>=`` are parsed first; ordering against one that is not a version is
    a ``TypeError`` (never str's letter-by-letter order).

    A ``str`` subclass because ``Event.api_version`` used to be a ``str``: code that compared it
    with strings, used it as a key or serialized it keeps working.
    """

    __slots__ = ()

    JSON_EXPECTED: Final = "an API version such as '2025-03-31.basil'"
    """How a parse error names what it wanted."""

    @classmethod
    def _from_json(cls, text: str) -> ApiVersion:
        """The version of a JSON string (shared between parses; ValueError if it is none)."""
        return parse_api_version(text)

    def __new__(cls, value: str) -> ApiVersion:
        if isinstance(value, ApiVersion) and type(value) is cls:
            return value
        if not isinstance(value, str):
            raise TypeError(f"an API version is a string, not {type(value).__name__}")
        if _FORMAT.match(value) is None or not _is_date(value[:10]):
            raise ValueError(f"not a Stripe API version: {_quote(value)}")
        return super().__new__(cls, value)

    @property
    def date(self) -> _dt.date:
        """The day the version was released (the ``YYYY-MM-DD`` part)."""
        return _dt.date.fromisoformat(self[:10])

    @property
    def release(self) -> str | None:
        """The release name (``"acacia"``, ``"basil"``, …), or None for a date-only version."""
        return self[11:] or None

    def _key(self) -> tuple[str, str]:
        # The date part is fixed-width ISO, so comparing its text orders by date.
        return (self[:10], self[11:])

    def __repr__(self) -> str:
        return f"ApiVersion({str.__repr__(self)})"

    def __str__(self) -> str:
        return str.__str__(self)

    def __eq__(self, other: object) -> bool:
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return str.__ne__(self, other)

    def __hash__(self) -> int:
        return str.__hash__(self)

    def __lt__(self, other: str) -> bool:
        theirs = _other(other)
        return NotImplemented if theirs is None else self._key() < theirs._key()

    def __le__(self, other: str) -> bool:
        theirs = _other(other)
        return NotImplemented if theirs is None else self._key() <= theirs._key()

    def __gt__(self, other: str) -> bool:
        theirs = _other(other)
        return NotImplemented if theirs is None else self._key() > theirs._key()

    def __ge__(self, other: str) -> bool:
        theirs = _other(other)
        return NotImplemented if theirs is None else self._key() >= theirs._key()

    def __reduce__(self) -> tuple[type[ApiVersion], tuple[str]]:
        return (ApiVersion, (str.__str__(self),))


def _is_date(text: str) -> bool:
    try:
        _dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _quote(value: str) -> str:
    return repr(value) if len(value) <= _SHOWN else repr(value[: _SHOWN - 3] + "...")


def _other(value: object) -> ApiVersion | None:
    """The other side of a comparison as a version; None when it is not one."""
    if isinstance(value, ApiVersion):
        return value
    if isinstance(value, str):
        try:
            return parse_api_version(value)
        except ValueError:
            # Not NotImplemented: Python would then fall back to str's own ordering.
            raise TypeError(f"cannot order an API version against {_quote(value)}") from None
    return None


@functools.lru_cache(maxsize=256)
def _cached(value: str) -> ApiVersion:
    return ApiVersion(value)


def parse_api_version(value: str) -> ApiVersion:
    """The ApiVersion of a string (shared between reads: there are only a few dozen versions)."""
    if len(value) > 43:  # never cache long junk (no version is longer)
        return ApiVersion(value)
    return _cached(value)
