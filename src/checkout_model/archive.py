"""Read archives of sessions and events (files, streams, lines) as a stream of records.

``iter_sessions`` and ``iter_events`` read what data teams keep: one JSON document, JSON Lines
(one payload per line), list pages as Stripe's list endpoints return them
(``{"object": "list", "data": [...]}``), and the gzip form of each (recognised by its magic
bytes, whatever the file is called). A UTF-8 byte-order mark is skipped; an empty source yields
nothing.

Errors are data: every payload gives one :class:`Record` that says where it came from (source,
line, index in a list page) and holds either the parsed object or its errors, so one bad line
never stops a run. Nothing is raised mid-stream; an unreadable source (a truncated gzip file, a
read error) ends with one last error record.

Memory is constant in the size of the input: JSON Lines are read one line at a time and each
record is handed on before the next line is read. A single JSON document (a pretty-printed
file, a list page written whole) is read whole, as a JSON parser must. ``iter_events`` options
that remember what they have seen (``unique``, ``latest``) hold one small entry per distinct
event or session, as documented there.
"""

from __future__ import annotations

import gzip
import io
import os
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from typing import IO, Any, Generic, TypeVar

import attrs
import orjson

from . import _fast
from ._converter import structure
from ._schema import Kind, ModelSchema, TypeSchema, schema
from .errors import ErrorDetail, ParseError, describe, json_path
from .events import Event, EventType, fast_event, parse_event
from .parsing import load_json, parse_session
from .session import Session

__all__ = ["Record", "Source", "iter_events", "iter_sessions"]

T = TypeVar("T")

Source = str | os.PathLike[str] | IO[bytes] | Iterable[str] | Iterable[bytes]
"""Where records come from: a file path, a binary stream, or an iterable of lines."""

GZIP_MAGIC = b"\x1f\x8b"
BOM = b"\xef\xbb\xbf"
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
"""Names that always mean JSON Lines (other sources are recognised by their first line)."""
STREAM_NAME = "<stream>"
LINES_NAME = "<lines>"


@attrs.frozen
class Record(Generic[T]):
    """One payload of an archive: where it is, and the parsed object or what is wrong with it."""

    source: str
    """The file's path, the stream's ``name``, or the name given to ``iter_*``."""
    line: int | None
    """The line number in JSON Lines; None when the source holds one JSON document."""
    index: int | None = None
    """The position of the payload in a list page's ``data`` array; None outside list pages."""
    value: T | None = None
    """The parsed object, when the payload is valid."""
    errors: tuple[ErrorDetail, ...] = ()
    """What is wrong, when it is not: paths are JSONPaths in the document on that line, so a
    list page's item reads ``$.data[3].amount_total``."""

    @property
    def ok(self) -> bool:
        """Whether the payload is valid (``value`` is set and ``errors`` is empty)."""
        return self.value is not None

    @property
    def where(self) -> str:
        """``source:line`` for JSON Lines, ``source`` for a single document."""
        return self.source if self.line is None else f"{self.source}:{self.line}"


# ------------------------------------------------------------------------------------------------
# Reading: a source gives (line number or None, JSON document)


class Rewound(io.RawIOBase):
    """A read-only raw stream that serves some bytes already read, then the rest of a stream."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._head:
            size = min(len(view), len(self._head))
            view[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._stream.read(len(view))
        if not data:
            return 0
        view[: len(data)] = data
        return len(data)


class Unreadable(Exception):
    """Reading failed after the source was opened (a truncated gzip file, an I/O error)."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


def _binary_lines(stream: IO[bytes]) -> Iterator[bytes]:
    """The lines of a binary stream, decompressed when it starts with gzip's magic bytes."""
    try:
        yield from _unzipped_lines(stream)
    except (OSError, EOFError, zlib.error) as exc:
        raise Unreadable(exc) from exc


def _unzipped_lines(stream: IO[bytes]) -> Iterator[bytes]:
    peek = getattr(stream, "peek", None)
    head = peek(2)[:2] if peek is not None and isinstance(stream, io.BufferedReader) else b""
    if len(head) < 2:
        # Not a buffered file (a pipe may give fewer bytes to peek at): read, then put back.
        head = b""
        while len(head) < 2:
            more = stream.read(2 - len(head))
            if not more:
                break
            head += more
        stream = io.BufferedReader(Rewound(head, stream))
    if head == GZIP_MAGIC:
        with gzip.GzipFile(fileobj=stream, mode="rb") as unzipped:
            yield from unzipped
    else:
        yield from stream


def _source_lines(source: Source) -> Iterator[bytes]:
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as stream:
            yield from _binary_lines(stream)
    elif isinstance(source, (bytes, bytearray, memoryview)):
        raise TypeError("iter_*: give a path, a binary stream or an iterable of lines, not bytes")
    elif hasattr(source, "read") and not isinstance(source, io.TextIOBase):
        yield from _binary_lines(source)  # type: ignore[arg-type]
    else:
        for line in source:
            if isinstance(line, str):
                yield line.encode("utf-8", "surrogatepass")
            else:
                yield bytes(line)


def _name(source: Source, name: str | None) -> str:
    if name is not None:
        return name
    if isinstance(source, (str, os.PathLike)):
        return os.fsdecode(source)
    given = getattr(source, "name", None)
    if isinstance(given, str):
        return given
    return STREAM_NAME if hasattr(source, "read") else LINES_NAME


def is_one_line_value(line: bytes) -> bool:
    """Whether a first line is a payload on its own (JSON Lines) rather than the start of one."""
    try:
        orjson.loads(line)
    except orjson.JSONDecodeError:
        stripped = line.strip()
        return stripped.startswith(b"{") and stripped.endswith(b"}")
    return True


def _whole(first: bytes, rest: Iterable[tuple[int, bytes]]) -> bytes:
    parts = [first]
    parts.extend(line for _, line in rest)
    return b"\n".join(part.rstrip(b"\r\n") for part in parts)


def documents(source: Source, json_lines: bool = False) -> Iterator[tuple[int | None, bytes]]:
    """The JSON documents of a source, each with its line number when the source is JSON Lines.

    A first line that is a complete JSON value (or ``json_lines``) means JSON Lines, read one
    line at a time; anything else is one document, read whole. A source of a single payload is
    one document (no line number); an empty or blank source gives nothing. A read error ends
    the documents by raising ``Unreadable``, which ``_records`` turns into a record.
    """
    lines = enumerate(_source_lines(source), start=1)
    first: tuple[int, bytes] | None = None
    for number, text in lines:
        line = text[len(BOM) :] if number == 1 and text.startswith(BOM) else text
        if line.strip():
            first = number, line
            break
    if first is None:
        return
    if not json_lines and not is_one_line_value(first[1]):
        yield None, _whole(first[1], lines)
        return
    second = None
    for number, line in lines:
        if line.strip():
            second = number, line
            break
    if second is None:
        yield (first[0] if json_lines else None), first[1]
        return
    yield first
    yield second
    for number, line in lines:
        if line.strip():
            yield number, line


def read_error(exc: BaseException) -> str:
    if isinstance(exc, EOFError):
        return "unreadable input: the compressed stream ends early (truncated file?)"
    return f"unreadable input: {exc}"


def _records(
    source: Source,
    name: str | None,
    parse: Callable[[str, int | None, bytes], Iterator[Record[T]]],
) -> Iterator[Record[T]]:
    label = _name(source, name)
    json_lines = label.endswith(JSON_LINES_SUFFIXES)
    docs = documents(source, json_lines)
    last: int | None = None
    while True:
        try:
            item = next(docs, None)
        except Unreadable as exc:
            line = None if last is None else last + 1
            yield Record(label, line, errors=(ErrorDetail("$", read_error(exc.cause)),))
            return
        if item is None:
            return
        last, text = item
        yield from parse(label, last, text)


# ------------------------------------------------------------------------------------------------
# Parsing one document


def _rebase(errors: Iterable[ErrorDetail], prefix: str) -> tuple[ErrorDetail, ...]:
    """Paths relative to an item as paths in the enclosing document (``$.x`` → ``$.data[3].x``)."""
    if prefix == "$":
        return tuple(errors)
    return tuple(ErrorDetail(prefix + error.path[1:], error.message) for error in errors)


def document_items(
    name: str, line: int | None, text: bytes, what: str
) -> Iterator[tuple[int | None, Mapping[str, Any] | None, Record[Any] | None]]:
    """The payloads of a document: (index in a list page, payload) or an error record."""
    try:
        data = load_json(text)
    except ParseError as exc:
        yield None, None, Record(name, line, errors=exc.errors)
        return
    if data.get("object") != "list":
        yield None, data, None
        return
    items = data.get("data")
    if not isinstance(items, list):
        found = describe(items) if "data" in data else "nothing"
        message = f"expected the list's data to be an array, found {found}"
        yield None, None, Record(name, line, errors=(ErrorDetail("$.data", message),))
        return
    for index, item in enumerate(items):
        if isinstance(item, dict):
            yield index, item, None
        else:
            message = f"expected {what}, found {describe(item)}"
            error = ErrorDetail(f"$.data[{index}]", message)
            yield index, None, Record(name, line, index, errors=(error,))


def _prefix(index: int | None) -> str:
    return "$" if index is None else f"$.data[{index}]"


class FastSessions:
    """The msgspec fast path for a stream of documents that are sessions or events about them.

    It tries the kind of document it last saw first (a stream is usually all sessions or all
    events), and only that one: a payload it declines takes the generic route, which tells it
    the kind (``saw``).
    """

    __slots__ = ("events", "strict")

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.events = False

    def answer(self, text: bytes) -> Session | Event | None:
        """The session or event ``text`` holds, if the fast path for the last kind answers."""
        if self.events:
            return fast_event(text, self.strict)
        session: Session | None = _fast.parse(text, Session, self.strict)
        return session

    def saw(self, data: Mapping[str, Any], index: int | None) -> bool:
        """Note the kind of a payload the generic route decoded; whether it is an event."""
        is_event = data.get("object") == "event"
        if index is None:  # not an item of a list page
            self.events = is_event
        return is_event


def _session_parser(strict: bool) -> Callable[[str, int | None, bytes], Iterator[Record[Session]]]:
    typed = FastSessions(strict)

    def parse(name: str, line: int | None, text: bytes) -> Iterator[Record[Session]]:
        fast = typed.answer(text)
        if fast is not None:  # a session, or an event about one, answered by the fast path
            yield Record(name, line, None, fast.data.object if isinstance(fast, Event) else fast)
            return
        for index, data, error in document_items(name, line, text, "a checkout.session object"):
            if data is None:
                assert error is not None
                yield error
                continue
            prefix = _prefix(index)
            try:
                if typed.saw(data, index):
                    session = parse_event(data, strict).data.object
                else:
                    session = parse_session(data, strict)
            except ParseError as exc:
                errors = every_problem(data, exc, strict)
                yield Record(name, line, index, errors=_rebase(errors, prefix))
            else:
                yield Record(name, line, index, session)

    return parse


def _is_other_event(data: Mapping[str, Any]) -> bool:
    """Whether a payload is an event of a type other than the Checkout Session ones."""
    kind = data.get("type")
    return (
        data.get("object") == "event"
        and isinstance(kind, str)
        and kind not in EventType._value2member_map_
    )


def _event_parser(
    strict: bool, checkout_only: bool
) -> Callable[[str, int | None, bytes], Iterator[Record[Event]]]:
    def parse(name: str, line: int | None, text: bytes) -> Iterator[Record[Event]]:
        fast = fast_event(text, strict)
        if fast is not None:  # a Checkout Session event, answered by the fast path
            yield Record(name, line, None, fast)
            return
        for index, data, error in document_items(name, line, text, "an event object"):
            if data is None:
                assert error is not None
                yield error
                continue
            if checkout_only and _is_other_event(data):
                continue
            prefix = _prefix(index)
            kind = data.get("object")
            if kind != "event":
                found = describe(kind) if "object" in data else "nothing"
                message = f"expected an event (object 'event'), found {found}"
                errors: tuple[ErrorDetail, ...] = (ErrorDetail("$.object", message),)
                yield Record(name, line, index, errors=_rebase(errors, prefix))
                continue
            try:
                event = parse_event(data, strict)
            except ParseError as exc:
                errors = every_problem(data, exc, strict)
                yield Record(name, line, index, errors=_rebase(errors, prefix))
            else:
                yield Record(name, line, index, event)

    return parse


# ------------------------------------------------------------------------------------------------
# Every problem of a payload, not only the first


def every_problem(
    data: Mapping[str, Any], error: ParseError, strict: bool
) -> tuple[ErrorDetail, ...]:
    """Every problem in a payload whose parse failed, in strict mode; ``error.errors`` otherwise.

    The parser stops at the first problem, which is what a webhook needs. A strict check of an
    archive wants the whole list (every field a newer API version added, every new enum value),
    so the payload is checked again piece by piece: each field on its own, beside the smallest
    valid values of the required fields, going down into nested objects and lists of objects.
    Each piece is checked by the parser itself, so the messages and paths are the parser's own.
    This costs a parse per field, and only for payloads that failed.
    """
    if not strict:
        return error.errors
    cls: type = Event if data.get("object") == "event" else Session
    if cls is Event and any(e.path == "$.type" for e in error.errors):
        return error.errors  # not a Checkout Session event: nothing more to say about it
    try:
        found = _problems(data, cls, strict, ())
    except Exception:  # pragma: no cover - a safety net: the first problem is always known
        return error.errors
    if not found:
        return error.errors
    missing = [e for e in error.errors if e not in found]
    return (*missing, *found)


def _path(prefix: tuple[str | int, ...], detail: ErrorDetail) -> ErrorDetail:
    if not prefix:
        return detail
    return ErrorDetail(json_path(prefix) + detail.path[1:], detail.message)


def _filler(tp: TypeSchema) -> Any:
    """The smallest valid JSON value of a type (for the required fields beside a checked one)."""
    kind = tp.kind
    if kind is Kind.MODEL:
        assert tp.cls is not None
        return _skeleton(schema(tp.cls))
    if kind is Kind.ENUM:
        assert tp.cls is not None
        enum_cls: Any = tp.cls
        return next(iter(enum_cls)).value
    if kind is Kind.LIST:
        return []
    if kind in (Kind.MAP, Kind.JSON):
        return {}
    if kind is Kind.BOOL:
        return False
    if kind in (Kind.INT, Kind.NUMBER, Kind.TIMESTAMP):
        return 0
    if kind is Kind.DECIMAL:
        return "0"
    return "x"


def _skeleton(model: ModelSchema) -> dict[str, Any]:
    return {f.key: _filler(f.type) for f in model.fields if f.required}


def _check(data: Any, cls: type, strict: bool) -> tuple[ErrorDetail, ...]:
    try:
        structure(data, cls, strict)
    except ParseError as exc:
        return exc.errors
    return ()


def _problems(
    data: Mapping[str, Any], cls: type, strict: bool, prefix: tuple[str | int, ...]
) -> list[ErrorDetail]:
    model = schema(cls)
    skeleton = _skeleton(model)
    fields = {f.key: f for f in model.fields}
    out: list[ErrorDetail] = []
    for f in model.fields:
        if f.required and data.get(f.key) is None:
            piece = {k: v for k, v in skeleton.items() if k != f.key}
            if f.key in data:
                piece[f.key] = None
            out.extend(_path(prefix, e) for e in _check(piece, cls, strict))
    for key, value in data.items():
        known = fields.get(key)
        if known is not None and known.required and value is None:
            continue  # reported above
        tp = known.type if known is not None else None
        if tp is not None and tp.kind is Kind.MODEL and isinstance(value, dict):
            assert tp.cls is not None
            out.extend(_problems(value, tp.cls, strict, (*prefix, key)))
            continue
        if (
            tp is not None
            and tp.kind is Kind.LIST
            and tp.item is not None
            and tp.item.kind is Kind.MODEL
            and isinstance(value, list)
        ):
            assert tp.item.cls is not None
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    out.extend(_problems(item, tp.item.cls, strict, (*prefix, key, index)))
                else:
                    piece = {**skeleton, key: [item]}
                    for e in _check(piece, cls, strict):
                        moved = e.path.replace("[0]", f"[{index}]", 1)
                        out.append(_path(prefix, ErrorDetail(moved, e.message)))
            continue
        piece = {**skeleton, key: value}
        out.extend(_path(prefix, e) for e in _check(piece, cls, strict))
    return out


# ------------------------------------------------------------------------------------------------
# Public iterators


def iter_sessions(
    source: Source, *, strict: bool = False, name: str | None = None
) -> Iterator[Record[Session]]:
    """Every Checkout Session in an archive, as :class:`Record` s, in the order they are stored.

    ``source`` is a path (``str`` or ``os.PathLike``), a binary stream (an open file,
    ``sys.stdin.buffer``, a ``gzip`` or S3 object body), or an iterable of lines (``str`` or
    ``bytes``). Each document may be a session, a webhook event about one (its session is
    yielded), or a list page of either. ``strict`` is as in :func:`parse_session`; a strict
    record's ``errors`` list every problem of its payload, not only the first. ``name`` is the
    source's name in the records (default: the path, the stream's ``name``, or ``<lines>``).

    Memory stays constant however long the input is (a single JSON document is read whole).
    """
    return _records(source, name, _session_parser(strict))


_RANK = {
    EventType.CHECKOUT_SESSION_COMPLETED.value: 0,
    EventType.CHECKOUT_SESSION_ASYNC_PAYMENT_SUCCEEDED.value: 1,
    EventType.CHECKOUT_SESSION_ASYNC_PAYMENT_FAILED.value: 1,
    EventType.CHECKOUT_SESSION_EXPIRED.value: 1,
}
_NEVER = -(2**63)


def _unique(records: Iterable[Record[Event]]) -> Iterator[Record[Event]]:
    seen: set[str] = set()
    for record in records:
        event = record.value
        if event is not None:
            if event.id in seen:
                continue
            seen.add(event.id)
        yield record


def _when(created: datetime | None) -> float:
    return _NEVER if created is None else created.timestamp()


def _latest(records: Iterable[Record[Event]]) -> Iterator[Record[Event]]:
    latest: dict[str, tuple[tuple[float, int, int], Record[Event]]] = {}
    for position, record in enumerate(records):
        event = record.value
        if event is None:
            yield record
            continue
        key = (_when(event.created), _RANK.get(str(event.type), 0), position)
        session_id = event.data.object.id
        held = latest.get(session_id)
        if held is None or key > held[0]:
            latest[session_id] = (key, record)
    for _, record in latest.values():
        yield record


def iter_events(
    source: Source,
    *,
    strict: bool = False,
    checkout_only: bool = True,
    unique: bool = False,
    latest: bool = False,
    name: str | None = None,
) -> Iterator[Record[Event]]:
    """The Checkout Session webhook events of an archive, as :class:`Record` s.

    ``source``, ``strict`` and ``name`` are as in :func:`iter_sessions`; each document is an
    event or a list page of events (``GET /v1/events``).

    ``checkout_only`` (default True): skip events of other types (``invoice.paid``, ...)
    silently, so a mixed archive reads as its checkout events; False reports them as invalid.

    ``unique``: yield each event id once (the first seen), so replays and redeliveries count
    once. It remembers every event id seen: memory grows by one id per distinct event.

    ``latest``: yield only the latest event of each session, ordered by the event's
    ``created`` (on a tie: an ``async_payment_*`` or ``expired`` event after ``completed``,
    then the one stored later). With ``unique`` this is the current state of every session in
    the archive. Invalid records are yielded as they come; the latest events only once the
    source is read, in the order their sessions first appeared. It holds one parsed event per
    distinct session until the end: memory grows with the number of sessions, not of events.
    """
    records = _records(source, name, _event_parser(strict, checkout_only))
    if unique:
        records = _unique(records)
    if latest:
        records = _latest(records)
    return records
