"""Sessions as Arrow tables: typed columns for analysts, and the exact payload beside them.

The columns are derived from the model's schema (``_schema.schema(Session)``), never written by
hand, so a regenerated model brings its new fields along:

* every top-level field of a simple kind becomes a column of the same name: strings, integers
  (``int64``), booleans, timestamps (``timestamp[s, tz=UTC]``), enums (their string value,
  known or not), decimal strings (kept as strings, exactly);
* an expandable field (an ID, or the object when expanded) becomes ``<name>_id``, the ID either
  way: ``customer_id``, ``payment_intent_id``, ``subscription_id``, ...;
* a list of strings becomes ``list<string>``, and ``metadata`` becomes ``map<string, string>``;
* a few nested fields analysts group by, named by their path (:data:`NESTED`):
  ``customer_details_email``, ``total_details_amount_tax``, ...;
* ``line_items`` becomes ``list<struct<...>>`` of the line items' own simple fields plus
  ``price_id`` and ``product_id``;
* ``raw`` is the session's exact JSON, ``cm.dump_session(session)`` written with sorted keys
  (so one session always gives one text, whichever path wrote it), and a row always rebuilds
  the exact session: ``cm.parse_session(row["raw"]) == session``.

Every column is nullable: a field the payload lacks (an older API version) or sends as null is
null. An integer beyond ``int64`` (which Stripe does not send) is null in its column and exact in
``raw``. pyarrow is an optional dependency: ``pip install 'checkout-model[arrow]'``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import attrs
import orjson

from ._schema import Kind, TypeSchema, schema
from .line_items import LineItem
from .parsing import dump_session
from .session import Session

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["NESTED", "arrow_schema", "to_arrow"]

NESTED: tuple[tuple[str, ...], ...] = (
    ("customer_details", "email"),
    ("customer_details", "name"),
    ("customer_details", "address", "country"),
    ("total_details", "amount_discount"),
    ("total_details", "amount_shipping"),
    ("total_details", "amount_tax"),
)
"""Nested fields that get a column of their own, named by their path joined with ``_``."""

EXCLUDED = frozenset({"object", "client_secret"})
"""Top-level fields without a column: the constant type tag, and a secret (it stays in ``raw``)."""

LINE_ITEM_FIELDS = (
    "id",
    "description",
    "quantity",
    "amount_subtotal",
    "amount_discount",
    "amount_tax",
    "amount_total",
    "currency",
)
"""The line items' own fields in the ``line_items`` struct (then ``price_id``, ``product_id``)."""

RAW = "raw"
"""The column holding the exact JSON of the session."""

_INT64 = (-(2**63), 2**63 - 1)
_SCALARS = frozenset(
    {Kind.STR, Kind.INT, Kind.BOOL, Kind.NUMBER, Kind.DECIMAL, Kind.TIMESTAMP, Kind.ENUM}
)


def _pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError as exc:
        raise ImportError(
            "checkout_model's Arrow support needs pyarrow: pip install 'checkout-model[arrow]'"
        ) from exc
    return pyarrow


# ------------------------------------------------------------------------------------------------
# Columns, derived from the schema


Getter = Callable[[dict[str, Any]], Any]


@attrs.frozen
class _Column:
    name: str
    tp: TypeSchema | None  # None: a line-item struct list or the raw column
    get: Getter


def _fits(value: Any) -> Any:
    if value is None or _INT64[0] <= value <= _INT64[1]:
        return value
    return None


def _value_getter(path: tuple[str, ...], tp: TypeSchema) -> Getter:
    """Read a simple value at ``path`` in a dumped session (None when any step is missing)."""
    head, rest = path[0], path[1:]
    convert: Callable[[Any], Any] | None = None
    if tp.kind in (Kind.INT, Kind.TIMESTAMP):
        convert = _fits
    elif tp.kind is Kind.NUMBER:
        convert = float
    elif tp.kind is Kind.EXPANDABLE:

        def convert(value: Any) -> Any:
            return value if isinstance(value, str) else value.get("id")

    def get(data: dict[str, Any]) -> Any:
        value = data.get(head)
        for key in rest:
            if value is None:
                return None
            value = value.get(key)
        if value is None or convert is None:
            return value
        return convert(value)

    return get


def _map_getter(key: str) -> Getter:
    def get(data: dict[str, Any]) -> Any:
        value = data.get(key)
        return None if value is None else list(value.items())

    return get


def _line_item_columns() -> tuple[list[tuple[str, TypeSchema]], Getter]:
    fields = {f.key: f for f in schema(LineItem).fields}
    own = [(name, fields[name].type) for name in LINE_ITEM_FIELDS]
    price_id = _value_getter(("price", "id"), TypeSchema(Kind.STR))
    product_type = _nested_type_of(LineItem, ("price", "product"))
    product_id = _value_getter(("price", "product"), product_type)
    getters = [(name, _value_getter((name,), tp)) for name, tp in own]
    columns = [*own, ("price_id", TypeSchema(Kind.STR)), ("product_id", TypeSchema(Kind.STR))]

    def get(data: dict[str, Any]) -> Any:
        items = data.get("line_items")
        if items is None:
            return None
        rows = items.get("data")
        if rows is None:
            return None
        out = []
        for item in rows:
            row = {name: getter(item) for name, getter in getters}
            row["price_id"] = price_id(item)
            row["product_id"] = product_id(item)
            out.append(row)
        return out

    return columns, get


def _nested_type_of(cls: type, path: tuple[str, ...]) -> TypeSchema:
    tp: TypeSchema | None = None
    for key in path:
        tp = {f.key: f for f in schema(cls).fields}[key].type
        if tp.kind is Kind.MODEL:
            assert tp.cls is not None
            cls = tp.cls
    assert tp is not None
    return tp


def _columns() -> list[_Column]:
    columns: list[_Column] = []
    line_items: list[_Column] = []
    for f in schema(Session).fields:
        if f.key in EXCLUDED:
            continue
        tp = f.type
        item = tp.item
        if tp.kind in _SCALARS:
            columns.append(_Column(f.key, tp, _value_getter((f.key,), tp)))
        elif tp.kind is Kind.EXPANDABLE:
            columns.append(_Column(f"{f.key}_id", tp, _value_getter((f.key,), tp)))
        elif tp.kind is Kind.LIST and item is not None and item.kind is Kind.STR:
            columns.append(_Column(f.key, tp, _value_getter((f.key,), tp)))
        elif tp.kind is Kind.MAP and item is not None and item.kind is Kind.STR:
            columns.append(_Column(f.key, tp, _map_getter(f.key)))
        elif f.key == "line_items":
            _, get = _line_item_columns()
            line_items.append(_Column(f.key, None, get))
    for path in NESTED:
        tp = _nested_type_of(Session, path)
        assert tp.kind in _SCALARS, path
        columns.append(_Column("_".join(path), tp, _value_getter(path, tp)))
    columns.extend(line_items)
    names = [c.name for c in columns]
    assert len(names) == len(set(names)), "two columns with one name"
    return columns


_COLUMNS: list[_Column] | None = None


def _all_columns() -> list[_Column]:
    global _COLUMNS  # noqa: PLW0603 - derived once, on first use
    if _COLUMNS is None:
        _COLUMNS = _columns()
    return _COLUMNS


def _arrow_type(pa: Any, tp: TypeSchema) -> Any:
    kind = tp.kind
    if kind in (Kind.STR, Kind.ENUM, Kind.DECIMAL, Kind.EXPANDABLE):
        return pa.string()
    if kind is Kind.INT:
        return pa.int64()
    if kind is Kind.BOOL:
        return pa.bool_()
    if kind is Kind.NUMBER:
        return pa.float64()
    if kind is Kind.TIMESTAMP:
        return pa.timestamp("s", tz="UTC")
    if kind is Kind.LIST:
        assert tp.item is not None
        return pa.list_(_arrow_type(pa, tp.item))
    if kind is Kind.MAP:
        assert tp.item is not None
        return pa.map_(pa.string(), _arrow_type(pa, tp.item))
    raise AssertionError(f"no Arrow type for {tp}")


_SCHEMA: Any = None


def arrow_schema() -> pa.Schema:
    """The Arrow schema of :func:`to_arrow`'s tables, derived from the model (see the module)."""
    global _SCHEMA  # noqa: PLW0603 - derived once, on first use
    if _SCHEMA is None:
        _SCHEMA = _derive_schema()
    return _SCHEMA


def _derive_schema() -> Any:
    pa = _pyarrow()
    fields = []
    for column in _all_columns():
        if column.tp is not None:
            fields.append(pa.field(column.name, _arrow_type(pa, column.tp)))
        else:
            members, _ = _line_item_columns()
            struct = pa.struct([pa.field(name, _arrow_type(pa, tp)) for name, tp in members])
            fields.append(pa.field(column.name, pa.list_(struct)))
    fields.append(pa.field(RAW, pa.string()))
    metadata = {b"checkout_model.raw": b"the exact JSON of the session (cm.dump_session)"}
    return pa.schema(fields, metadata=metadata)


# ------------------------------------------------------------------------------------------------
# Rows


class Builder:
    """Collects sessions (as dumped JSON) column by column, then makes a record batch."""

    def __init__(self) -> None:
        self._columns = _all_columns()
        self._values: list[list[Any]] = [[] for _ in self._columns]
        self._raw: list[str] = []

    def __len__(self) -> int:
        return len(self._raw)

    def add(self, data: dict[str, Any]) -> None:
        """Add a session as JSON data (what ``dump_session`` returns for it)."""
        for column, values in zip(self._columns, self._values, strict=True):
            values.append(column.get(data))
        self._raw.append(orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode())

    def add_session(self, session: Session) -> None:
        self.add(dump_session(session))

    def add_null(self) -> None:
        """A row of nulls (an invalid payload, where one output row per input row is kept)."""
        for values in self._values:
            values.append(None)
        self._raw.append(None)  # type: ignore[arg-type]

    def batch(self) -> pa.RecordBatch:
        """The rows added so far as a record batch (and start again, empty)."""
        pa = _pyarrow()
        schema_ = arrow_schema()
        arrays = [
            pa.array(values, type=field.type)
            for values, field in zip(self._values, schema_, strict=False)
        ]
        arrays.append(pa.array(self._raw, type=pa.string()))
        self._values = [[] for _ in self._columns]
        self._raw = []
        return pa.RecordBatch.from_arrays(arrays, schema=schema_)


def batches(sessions: Iterable[Session], size: int = 10_000) -> Iterator[pa.RecordBatch]:
    """Sessions as record batches of at most ``size`` rows (memory: one batch at a time)."""
    builder = Builder()
    for session in sessions:
        builder.add_session(session)
        if len(builder) >= size:
            yield builder.batch()
    if len(builder):
        yield builder.batch()


def to_arrow(sessions: Iterable[Session]) -> pa.Table:
    """A ``pyarrow.Table`` of the sessions, one row each, with :func:`arrow_schema`'s columns.

    ``sessions`` may be any iterable, a generator included: the table is built batch by batch.
    Write it with ``pyarrow.parquet.write_table``; read it with Polars, DuckDB or Spark.
    """
    pa = _pyarrow()
    return pa.Table.from_batches(list(batches(sessions)), schema=arrow_schema())
