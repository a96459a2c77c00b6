"""Value types every model class is built from: frozen mappings, JSON values, open enums."""

from __future__ import annotations

import enum
import threading
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeAlias, TypeVar

from .errors import safe_repr

__all__ = ["EMPTY", "FrozenDict", "FrozenJson", "JsonValue", "OpenEnum", "Unknown", "unknown_class"]

JsonValue: TypeAlias = dict[str, "JsonValue"] | list["JsonValue"] | str | int | float | bool | None
"""Any value JSON can carry, as ``json.loads`` returns it (what the dump functions return)."""

K = TypeVar("K")
V_co = TypeVar("V_co", covariant=True)


class FrozenDict(Mapping[K, V_co]):
    """An immutable, hashable mapping (metadata, per-currency options, raw JSON objects)."""

    __slots__ = ("_data",)
    _data: dict[K, V_co]

    def __init__(self, data: Mapping[K, V_co] | None = None) -> None:
        object.__setattr__(self, "_data", dict(data) if data else {})

    @classmethod
    def _adopt(cls, data: dict[K, V_co]) -> FrozenDict[K, V_co]:
        """Wrap a dict nobody else holds, without copying it."""
        self = _new_object(cls)
        _set_data(self, data)
        return self

    def __getitem__(self, key: K) -> V_co:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenDict):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __repr__(self) -> str:
        return f"FrozenDict({safe_repr(self._data)})"

    def __reduce__(self) -> tuple[type[FrozenDict[K, V_co]], tuple[dict[K, V_co]]]:
        return (type(self), (self._data,))


_new_object = object.__new__
_set_data = FrozenDict.__dict__["_data"].__set__  # the slot descriptor, as __init__ sets it

EMPTY: FrozenDict[Any, Any] = FrozenDict()
"""The shared empty mapping: most objects carry no unknown fields."""

FrozenJson: TypeAlias = (
    "FrozenDict[str, FrozenJson] | tuple[FrozenJson, ...] | str | int | float | bool | None"
)
"""A JSON value as a model object keeps it: objects are FrozenDicts and arrays tuples, so it
hashes and nothing can change it (unknown fields, expanded references, previous attributes)."""


class OpenEnum(enum.StrEnum):
    """A Stripe enumeration; each member equals Stripe's string (``Mode.PAYMENT == "payment"``).

    Values Stripe adds later are not members: a parsed field holds them as :class:`Unknown`
    (``Unknown[Mode]``), which every field's type names, so a type checker makes you handle them.
    """

    @classmethod
    def of(cls, value: str) -> Self | Unknown[Self]:
        """The member with this value, or the value as ``Unknown[cls]`` if the model lacks it."""
        member = cls._value2member_map_.get(value)
        if member is not None:
            return member  # type: ignore[return-value]
        return unknown_class(cls)(value)

    @property
    def is_known(self) -> bool:
        """Always True for a member (an :class:`Unknown` value says False)."""
        return True

    @classmethod
    def _missing_(cls, value: object) -> Any:
        # msgspec asks the enum for a value it lacks: while the fast path decodes leniently,
        # the answer is the value as Unknown[cls]. Anywhere else (``Mode("x")``) there is none.
        if value.__class__ is str and getattr(LENIENT_DECODE, "on", False):
            return unknown_class(cls)(value)
        return None

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self._name_}"


E = TypeVar("E", bound=OpenEnum)

LENIENT_DECODE = threading.local()
"""``on`` while this thread's fast path decodes JSON text leniently (see ``OpenEnum._missing_``)."""

_UNKNOWN_LOCK = threading.Lock()
_UNKNOWN_CLASSES: dict[type[OpenEnum], type[Unknown[Any]]] = {}


class Unknown(str, Generic[E]):
    """A value of the enumeration ``E`` that the model does not know (one Stripe added later).

    It is the string Stripe sent (``Unknown[Mode]("installments") == "installments"``) and is
    written back unchanged. Strict parsing rejects such values instead.
    """

    __slots__ = ()

    enum: ClassVar[type[OpenEnum]]
    """The enumeration the value belongs to."""

    if not TYPE_CHECKING:

        def __class_getitem__(cls, item: Any) -> Any:
            # At run time ``Unknown[Mode]`` is a real subclass, one per enum, so the value
            # knows its enum and ``isinstance(value, Unknown)`` works in a ``match``.
            if not (isinstance(item, type) and issubclass(item, OpenEnum)):
                return super().__class_getitem__(item)
            found = _UNKNOWN_CLASSES.get(item)
            if found is None:
                with _UNKNOWN_LOCK:
                    found = _UNKNOWN_CLASSES.get(item)
                    if found is None:
                        found = type(f"Unknown[{item.__name__}]", (Unknown,), {"__slots__": ()})
                        found.__qualname__ = f"Unknown[{item.__qualname__}]"
                        found.enum = item
                        _UNKNOWN_CLASSES[item] = found
            return found

    @property
    def value(self) -> str:
        """The string Stripe sent."""
        return str.__str__(self)

    @property
    def is_known(self) -> bool:
        """Always False: the model does not know this value."""
        return False

    def __repr__(self) -> str:
        return f"Unknown[{type(self).enum.__name__}]({str.__repr__(self)})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_unknown, (type(self).enum, str.__str__(self)))


def unknown_class(enum_cls: type[E]) -> type[Unknown[E]]:
    """``Unknown[enum_cls]`` for an enum known only at run time."""
    cls: type[Unknown[E]] = Unknown.__class_getitem__(enum_cls)  # type: ignore[attr-defined]
    return cls


def _unknown(enum_cls: type[OpenEnum], value: str) -> Unknown[Any]:
    return unknown_class(enum_cls)(value)
