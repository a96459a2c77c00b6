"""Building blocks shared by every model class: open enums, frozen mappings, the model base."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeAlias, TypeVar

import attrs
import orjson

__all__ = ["EMPTY", "FrozenDict", "JsonValue", "OpenEnum", "StripeModel"]

JsonValue: TypeAlias = dict[str, "JsonValue"] | list["JsonValue"] | str | int | float | bool | None
"""Any value JSON can carry, as ``json.loads`` returns it."""

K = TypeVar("K")
V_co = TypeVar("V_co", covariant=True)


class FrozenDict(Mapping[K, V_co]):
    """An immutable, hashable mapping (metadata, per-currency options, unknown fields)."""

    __slots__ = ("_data",)
    _data: dict[K, V_co]

    def __init__(self, data: Mapping[K, V_co] | None = None) -> None:
        object.__setattr__(self, "_data", dict(data) if data else {})

    @classmethod
    def _adopt(cls, data: dict[K, V_co]) -> FrozenDict[K, V_co]:
        """Wrap a dict nobody else holds, without copying it."""
        self = object.__new__(cls)
        object.__setattr__(self, "_data", data)
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

    def __repr__(self) -> str:
        return f"FrozenDict({self._data!r})"

    def __reduce__(self) -> tuple[type[FrozenDict[K, V_co]], tuple[dict[K, V_co]]]:
        return (type(self), (self._data,))


EMPTY: FrozenDict[Any, Any] = FrozenDict()
"""The shared empty mapping: most objects carry no unknown fields."""

_NO_KEYS: frozenset[str] = frozenset()


class OpenEnum(enum.StrEnum):
    """A Stripe enumeration that also accepts the values Stripe adds later.

    ``Mode("payment") is Mode.PAYMENT``; ``Mode("new_mode")`` returns a value of type ``Mode`` that
    is not one of its members (``.is_known`` is False), compares equal to ``"new_mode"`` and is
    written back unchanged. Strict parsing rejects such values instead.
    """

    @classmethod
    def _missing_(cls, value: object) -> OpenEnum | None:
        if not isinstance(value, str):
            return None
        pseudo = str.__new__(cls, value)
        pseudo._name_ = value.upper()
        pseudo._value_ = value
        return pseudo

    @property
    def is_known(self) -> bool:
        """Whether this value is one the model knows (False for values Stripe added later)."""
        return type(self)._value2member_map_.get(self._value_) is self

    def __repr__(self) -> str:
        if self.is_known:
            return f"{type(self).__name__}.{self._name_}"
        return f"{type(self).__name__}({self._value_!r})"


@attrs.frozen(kw_only=True, repr=False)
class StripeModel:
    """Base of every model class: remembers what the payload had beyond the known fields."""

    _unknown: FrozenDict[str, JsonValue] = attrs.field(
        default=EMPTY, alias="_unknown", repr=False, hash=False
    )
    _absent: frozenset[str] = attrs.field(default=_NO_KEYS, alias="_absent", repr=False)

    def __repr__(self) -> str:
        """The class and its set fields (unset fields, secrets and ``object`` left out)."""
        shown = []
        for f in attrs.fields(type(self)):
            if f.repr and f.name != "object":
                value = getattr(self, f.name)
                if value is not None:
                    shown.append(f"{f.name}={value!r}")
        return f"{type(self).__name__}({', '.join(shown)})"

    def __reduce__(self) -> tuple[Callable[[type[Any], bytes], Any], tuple[Any, ...]]:
        """Pickle as the JSON payload: about twice as fast as slot by slot, and as lossless."""
        from ._converter import unstructure

        return (_unpickle, (type(self), orjson.dumps(unstructure(self))))

    @property
    def unknown_fields(self) -> Mapping[str, JsonValue]:
        """Fields the payload carried that this model does not know (kept and written back)."""
        return self._unknown

    @property
    def absent_fields(self) -> frozenset[str]:
        """Known fields the payload did not carry (older API versions); they stay absent."""
        return self._absent


def _unpickle(cls: type[Any], payload: bytes) -> Any:
    """Rebuild a pickled model object from its JSON payload."""
    from ._converter import structure

    return structure(orjson.loads(payload), cls)
