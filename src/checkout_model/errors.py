"""The error every parse function raises, with the JSONPath of each problem."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = ["ErrorDetail", "ParseError"]


@attrs.frozen
class ErrorDetail:
    """One problem in a payload: where it is and what is wrong."""

    path: str
    """JSONPath of the offending value: ``$`` the payload, ``.key`` a field, ``[i]`` an index."""
    message: str
    """What was expected and what was found."""

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


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
