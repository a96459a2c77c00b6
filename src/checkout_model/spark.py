"""PySpark: a DataFrame of JSON payloads in, typed session rows and an errors DataFrame out.

``parse_sessions(df)`` reads one payload per row (a string or binary column, ``value`` by
default, which is what ``spark.read.text`` gives for JSON Lines) and returns a
:class:`ParseResult`: ``sessions``, with the columns of :func:`checkout_model.arrow_schema`
(timestamps as Spark ``TIMESTAMP``), and ``errors``, one row per problem with the payload, its
JSONPath and the message. ``parse_events(df)`` does the same for webhook events: each session
row also says which event carried it. The work runs in the executors through ``mapInArrow``:
rows travel as Arrow batches and are parsed by the same code as ``cm.parse_session``, so the
``raw`` column is exactly what :func:`checkout_model.to_arrow` writes for the same session.

Both DataFrames come from one ``mapInArrow`` pass over the input; Spark runs that pass again
for each action on either of them unless ``cache=True`` persists its rows.
The executors need checkout-model and pyarrow installed, as for any Python UDF.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from .archive import every_problem
from .arrow import Builder, arrow_schema
from .errors import ErrorDetail, ParseError
from .events import EventType, parse_event
from .parsing import load_json, parse_session

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame
    from pyspark.sql.types import StructType

__all__ = ["EVENT_COLUMNS", "ParseResult", "parse_events", "parse_sessions", "spark_schema"]

ERRORS = "_checkout_model_errors"
"""The working column with an invalid row's problems (dropped from both results)."""
INPUT = "_checkout_model_input"
"""The working column with an invalid row's payload (dropped from both results)."""
EVENT_COLUMNS = ("event_id", "event_type", "event_created")
"""The columns ``parse_events`` puts before the session's."""


class ParseResult(NamedTuple):
    """What ``parse_sessions`` and ``parse_events`` return."""

    sessions: DataFrame
    """One row per valid payload, with the typed columns and ``raw``."""
    errors: DataFrame
    """One row per problem of an invalid payload: the kept columns, the payload (under its
    column's name), ``path`` (a JSONPath) and ``message``."""


def _pyspark() -> Any:
    try:
        import pyspark.sql.types
    except ImportError as exc:
        raise ImportError(
            "checkout_model.spark needs PySpark: pip install pyspark 'checkout-model[arrow]'"
        ) from exc
    return pyspark.sql.types


def _event_fields(pa: Any) -> list[Any]:
    return [
        pa.field("event_id", pa.string()),
        pa.field("event_type", pa.string()),
        pa.field("event_created", pa.timestamp("s", tz="UTC")),
    ]


def _output_arrow_schema(events: bool) -> pa.Schema:
    import pyarrow as pa

    session = arrow_schema()
    fields = [*(_event_fields(pa) if events else []), *session]
    return pa.schema(fields)


def spark_schema(events: bool = False) -> StructType:
    """The Spark schema of the ``sessions`` DataFrame (``events``: of ``parse_events``)."""
    _pyspark()
    from pyspark.sql.pandas.types import from_arrow_schema

    schema: StructType = from_arrow_schema(_output_arrow_schema(events))
    return schema


def _map_batches(
    batches: Iterable[pa.RecordBatch],
    *,
    strict: bool,
    events: bool,
    checkout_only: bool,
    target: pa.Schema,
) -> Iterator[pa.RecordBatch]:
    """The ``mapInArrow`` function: each input batch gives one output batch, row for row
    (except events of other types, dropped when ``checkout_only``)."""
    import pyarrow as pa

    error_type = target.field(ERRORS).type
    for batch in batches:
        payloads = batch.column(0).to_pylist()
        builder = Builder()
        event_values: list[list[Any]] = [[], [], []]
        errors: list[list[dict[str, str]] | None] = []
        inputs: list[Any] = []
        keep: list[int] = []
        for position, payload in enumerate(payloads):
            problems: Sequence[ErrorDetail] = ()
            data: Any = None
            try:
                if payload is None:
                    raise ParseError.at("$", "no payload (null)")
                data = load_json(payload)
                if events:
                    kind = data.get("type")
                    if (
                        checkout_only
                        and isinstance(kind, str)
                        and kind not in EventType._value2member_map_
                    ):
                        continue
                    event = parse_event(data, strict)
                    session = data["data"]["object"]
                else:
                    parse_session(data, strict)
                    session = data
            except ParseError as exc:
                problems = every_problem(data, exc, strict) if data is not None else exc.errors
            keep.append(position)
            if problems:
                builder.add_null()
                for values in event_values:
                    values.append(None)
                errors.append([{"path": e.path, "message": e.message} for e in problems])
                inputs.append(payload)
                continue
            # A valid payload is exactly what its session dumps to (the library's lossless
            # promise, tested on both paths): its columns and raw JSON come from it directly.
            builder.add(session)
            if events:
                event_values[0].append(event.id)
                event_values[1].append(str(event.type))
                created = event.created
                event_values[2].append(None if created is None else int(created.timestamp()))
            errors.append(None)
            inputs.append(None)
        columns = list(builder.batch().columns)
        if events:
            event_types = [pa.string(), pa.string(), pa.timestamp("s", tz="UTC")]
            columns = [
                pa.array(values, type=tp)
                for values, tp in zip(event_values, event_types, strict=True)
            ] + columns
        kept = batch.take(pa.array(keep, type=pa.int64())) if len(keep) < len(payloads) else batch
        columns += [kept.column(i) for i in range(1, batch.num_columns)]
        columns.append(pa.array(inputs, type=target.field(INPUT).type))
        columns.append(pa.array(errors, type=error_type))
        out = pa.RecordBatch.from_arrays(
            [column.cast(field.type) for column, field in zip(columns, target, strict=True)],
            schema=target,
        )
        yield out


def _target(events: bool, keep: Sequence[pa.Field], payload: pa.DataType) -> pa.Schema:
    """The Arrow schema of the ``mapInArrow`` output, in the types Spark sends and expects
    (timestamps in microseconds, UTC): session columns, kept columns, the working columns."""
    import pyarrow as pa

    fields = []
    for field in _output_arrow_schema(events):
        tp = pa.timestamp("us", tz="UTC") if pa.types.is_timestamp(field.type) else field.type
        fields.append(field.with_type(tp))
    problem = pa.struct([pa.field("path", pa.string()), pa.field("message", pa.string())])
    fields += [*keep, pa.field(INPUT, payload), pa.field(ERRORS, pa.list_(problem))]
    return pa.schema(fields)


def _parse(
    df: DataFrame,
    column: str,
    keep: Sequence[str],
    *,
    strict: bool,
    events: bool,
    checkout_only: bool,
    cache: bool,
) -> ParseResult:
    types = _pyspark()
    import pyarrow as pa
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema, to_arrow_type

    if column not in df.columns:
        raise ValueError(f"no column {column!r} in the DataFrame (columns: {df.columns})")
    payload_type = df.schema[column].dataType
    if not isinstance(payload_type, (types.StringType, types.BinaryType)):
        raise TypeError(f"column {column!r} must hold strings or binary, not {payload_type}")
    clash = set(keep) & {*_output_arrow_schema(events).names, ERRORS, INPUT, column}
    if clash:
        raise ValueError(f"kept columns clash with output columns: {sorted(clash)}")
    source = df.select(column, *keep)
    kept = [pa.field(name, to_arrow_type(source.schema[name].dataType)) for name in keep]
    target = _target(events, kept, to_arrow_type(payload_type))
    out_schema = from_arrow_schema(target)
    mapper = functools.partial(
        _map_batches, strict=strict, events=events, checkout_only=checkout_only, target=target
    )
    parsed = source.mapInArrow(mapper, out_schema)
    if cache:
        parsed = parsed.persist()
    sessions = parsed.where(F.col(ERRORS).isNull()).drop(ERRORS, INPUT)
    errors = parsed.where(F.col(ERRORS).isNotNull()).select(
        *keep, F.col(INPUT).alias(column), F.inline(F.col(ERRORS))
    )
    return ParseResult(sessions, errors)


def parse_sessions(
    df: DataFrame,
    column: str = "value",
    *,
    keep: Sequence[str] = (),
    strict: bool = False,
    cache: bool = False,
) -> ParseResult:
    """Parse a DataFrame of ``checkout.session`` payloads, one JSON document per row.

    ``column`` holds the JSON (string or binary); ``keep`` names columns carried into both
    results beside the session's (a file name, an ingestion date); ``strict`` is as in
    ``cm.parse_session``, and a strict error lists every problem of its payload. ``cache``
    persists the parsed rows, so that both results come from one pass (``unpersist`` the
    ``sessions`` DataFrame's source when done, or let the session end).
    """
    return _parse(df, column, keep, strict=strict, events=False, checkout_only=False, cache=cache)


def parse_events(
    df: DataFrame,
    column: str = "value",
    *,
    keep: Sequence[str] = (),
    strict: bool = False,
    checkout_only: bool = True,
    cache: bool = False,
) -> ParseResult:
    """Parse a DataFrame of webhook events; ``sessions`` holds the session of each event.

    Its rows start with ``event_id``, ``event_type`` and ``event_created``. Events of other
    types are dropped (``checkout_only``, the default) or reported as errors. To keep the
    latest state of each session, rank by ``event_created`` over a window partitioned by
    ``id`` (see the README).
    """
    return _parse(
        df, column, keep, strict=strict, events=True, checkout_only=checkout_only, cache=cache
    )
