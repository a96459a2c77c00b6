"""The ``checkout-model`` command: check Checkout Session payloads and summarize them.

Given files (or ``-`` for standard input) it reads single sessions, webhook events, list pages
or JSON Lines, gzip-compressed or not, reports every invalid payload as
``FILE[:LINE]: $.path: message`` (or as JSON with ``--errors-json``) and ends with a tally on
stderr. With no files it reads standard input when that is not a terminal, and otherwise parses
the example session bundled with the package. ``checkout-model export --output OUT.parquet``
writes the valid sessions as a Parquet file. Reading is :mod:`checkout_model.archive`'s;
``--jobs N`` parses in N processes and writes exactly what one process writes.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import os
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any, NoReturn

import attrs
import orjson

from . import __version__, _fast
from ._base import Unknown
from .archive import (
    BOM,
    GZIP_MAGIC,
    JSON_LINES_SUFFIXES,
    FastSessions,
    Rewound,
    Unreadable,
    document_items,
    documents,
    every_problem,
    is_one_line_value,
    read_error,
)
from .errors import ErrorDetail, ParseError
from .events import Event, parse_event
from .line_items import LineItemList
from .money import Money
from .parsing import dump_session, parse_session
from .session import Session

if TYPE_CHECKING:
    import concurrent.futures

__all__ = ["main"]

PROG = "checkout-model"
EXAMPLE = "example_session.json"
"""The bundled example session, in the package's ``data`` folder."""
EXAMPLE_NAME = "<bundled example>"
STDIN = "-"
STDIN_NAME = "<stdin>"
PROGRESS_DELAY = 1.0
"""Seconds a run lasts before it shows progress (on a terminal only)."""
PROGRESS_INTERVAL = 0.2
"""Seconds between two updates of the progress line."""
CHUNK_DOCUMENTS = 200
"""With ``--jobs``: how many documents one task of a worker process holds (at most)."""
CHUNK_BYTES = 2_000_000
"""With ``--jobs``: how many bytes of JSON one task holds (at most, but one document at least)."""
EXPORT_BATCH = 10_000
"""Rows per Parquet row group written by ``export`` (memory: one batch at a time)."""

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2

DESCRIPTION = """\
Check Stripe Checkout Session payloads and print a summary of each.

Each FILE (or - for standard input) may hold one checkout.session, a webhook event whose
data.object is a session, a list page ({"object": "list", "data": [...]}), or JSON Lines
(one such payload per line), gzip-compressed or not; the command detects which. With no
FILE it reads standard input when that is not a terminal (a pipe or a redirect), and
otherwise parses the example session bundled with the package.

  checkout-model export --output OUT.parquet FILE...
writes every valid session as a row of a Parquet file (see checkout-model export --help).
"""

EPILOG = """\
output:
  stdout gets the summaries (or the JSON with --json). stderr gets one line per problem,
  FILE:LINE: $.json.path: message (LINE only for JSON Lines), then the tally
  "N valid, M invalid". With --errors-json the problems go to stdout instead, one JSON
  object per line. On a terminal, long runs also show their progress on stderr.

exit status:
  0  every payload is valid (an empty file holds none, and is valid)
  1  at least one payload is invalid
  2  usage error: unknown option, missing or unreadable file

examples:
  summarize the bundled example:
    checkout-model
  check a JSON Lines dump strictly, printing only the errors and the tally:
    checkout-model --strict --quiet dump.jsonl
  summarize a list page read from standard input:
    stripe checkout sessions list | checkout-model
  write the normalized session inside a webhook event:
    checkout-model --json event.json > session.json
  check a compressed archive on 4 cores, problems as JSON for another program:
    checkout-model --jobs 4 --errors-json events.jsonl.gz > problems.jsonl
"""

EXPORT_DESCRIPTION = """\
Write every valid session of the FILEs (read as checkout-model reads them) to a Parquet
file, one row per session, with the columns of checkout_model.arrow_schema(): typed columns
for analysts and "raw", the exact JSON of the session. Invalid payloads are reported as
checkout-model reports them and left out. Needs pyarrow: pip install 'checkout-model[arrow]'.
"""

EXPORT_EPILOG = """\
exit status:
  0  every payload is valid and the file is written
  1  at least one payload is invalid (the file holds the valid ones)
  2  usage error, or pyarrow is not installed

examples:
  export a year of webhook bodies:
    checkout-model export --output sessions.parquet events-2026-*.jsonl.gz
"""


class _UsageError(Exception):
    """A mistake in how the command was called (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors as one line instead of the usage text plus the error."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number of processes, found {text!r}"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1 process, found {value}")
    return value


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--strict",
        action="store_true",
        help="reject fields and enum values the model does not know, and report\n"
        "every problem of an invalid payload, not only the first\n"
        "(default: keep them and write them back unchanged)\n"
        "e.g. checkout-model --strict session.json",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print only the errors and the final tally\ne.g. checkout-model -q dump.jsonl",
    )
    parser.add_argument(
        "--errors-json",
        action="store_true",
        help='print each problem on stdout as one JSON object,\n{"file", "line", "path", '
        '"message"} ("line" is null outside JSON Lines),\ninstead of a line on stderr\n'
        "e.g. checkout-model --errors-json dump.jsonl > problems.jsonl",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="parse in N processes (default 1); the output is the same, in the\n"
        "same order, as with one\ne.g. checkout-model --jobs 4 -q dump.jsonl.gz",
    )


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawTextHelpFormatter,
    )
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="payload files to check (.gz too); - reads standard input\n"
        "(default: standard input when it is not a terminal, else the\n"
        "example session bundled with the package)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print each valid session as normalized JSON, exactly what\n"
        "dump_session returns, one per line (for an event: its session)\n"
        "e.g. checkout-model --json session.json",
    )
    _common(parser)
    parser.add_argument(
        "--version",
        action="version",
        version=f"{PROG} {__version__}",
        help="print the version and exit\ne.g. checkout-model --version",
    )
    return parser


def _export_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=f"{PROG} export",
        description=EXPORT_DESCRIPTION,
        epilog=EXPORT_EPILOG,
        formatter_class=argparse.RawTextHelpFormatter,
    )
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="payload files to export (.gz too); - reads standard input\n"
        "(default: standard input when it is not a terminal)",
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT.parquet",
        help="the Parquet file to write (replaced if it exists)\n"
        "e.g. checkout-model export --output sessions.parquet dump.jsonl",
    )
    _common(parser)
    return parser


# ------------------------------------------------------------------------------------------------
# Writing: summaries, money, progress


def _money(amount: int | None, currency: str | None) -> str:
    """An amount in minor units as major units with the currency: ``1234, "usd"`` → 12.34 USD."""
    if amount is None:
        return "-"
    if currency is None:
        return f"{amount} (minor units, no currency)"
    try:
        return Money(amount, currency).format()
    except ValueError:  # not an ISO code: show what Stripe sent
        return f"{amount} {currency} (minor units)"


def _text(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, Unknown):
        return f"{value} (unknown to checkout-model)"
    return str(value)


def _customer(session: Session) -> str:
    details = session.customer_details
    name = details.name if details is not None else None
    email = (details.email if details is not None else None) or session.customer_email
    customer = session.customer
    customer_id = customer if isinstance(customer, str) or customer is None else customer.id
    parts = [part for part in (name, f"<{email}>" if email else None) if part]
    if customer_id:
        parts.append(f"({customer_id})")
    return " ".join(parts) or "-"


def _line_items(items: LineItemList | None, currency: str | None) -> list[str]:
    if items is None:
        return ["  line items      not expanded"]
    data = items.data or ()
    rows = [("QTY", "DESCRIPTION", "AMOUNT")]
    for item in data:
        price = item.price
        description = item.description or (price.id if price is not None else None)
        rows.append(
            (
                _text(item.quantity),
                _text(description),
                _money(item.amount_total, item.currency or currency),
            )
        )
    qty = max(len(row[0]) for row in rows)
    desc = max(len(row[1]) for row in rows)
    amount = max(len(row[2]) for row in rows)
    lines = [f"  line items      {len(data)}{' shown, more exist' if items.has_more else ''}"]
    if data:
        lines += [f"    {q:>{qty}}  {d:<{desc}}  {a:>{amount}}".rstrip() for q, d, a in rows]
    return lines


def summary(session: Session) -> str:
    """A few lines a person reads to see what a session is about."""
    mode = "" if session.livemode is None else " (live)" if session.livemode else " (test)"
    rows = [
        ("mode", _text(session.mode)),
        ("status", _text(session.status)),
        ("payment status", _text(session.payment_status)),
        ("subtotal", _money(session.amount_subtotal, session.currency)),
        ("total", _money(session.amount_total, session.currency)),
        ("customer", _customer(session)),
    ]
    lines = [f"checkout.session {session.id}{mode}"]
    lines += [f"  {label:<14}  {value}" for label, value in rows]
    lines += _line_items(session.line_items, session.currency)
    return "\n".join(lines)


class _Progress:
    """A self-erasing progress line on a terminal, shown once a run has lasted a moment."""

    def __init__(
        self,
        stream: IO[str],
        clock: Callable[[], float] = time.monotonic,
        delay: float = 1.0,
        interval: float = 0.2,
    ) -> None:
        self.stream = stream
        self.enabled = _isatty(stream)
        self.clock = clock
        self.interval = interval
        self.due = clock() + delay
        self.shown = False

    def update(self, name: str, valid: int, invalid: int) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if now < self.due:
            return
        self.due = now + self.interval
        self.stream.write(f"\r\x1b[K{name}: {valid + invalid:,} checked, {invalid:,} invalid")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.shown = False


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# ------------------------------------------------------------------------------------------------
# Checking one document (in this process, or in a worker with --jobs)

SUMMARY = "summary"
JSON = "json"
NOTHING = "nothing"


@attrs.frozen
class _Settings:
    """What a worker needs to know to check documents as the main process would."""

    strict: bool
    output: str
    """SUMMARY, JSON (what ``dump_session`` returns, as JSON text) or NOTHING."""
    typed: FastSessions = attrs.field(
        init=False, eq=False, default=attrs.Factory(lambda self: FastSessions(self.strict), True)
    )
    """The fast path's choice of sessions or events (in each process its own)."""


Problem = tuple[str, str]
"""A problem's JSONPath and message."""
Outcome = tuple[str | None, tuple[Problem, ...]]
"""One payload: the text to print for a valid one, or its problems (never both empty... for
a valid payload with nothing to print, ``(None, ())``)."""


def _valid(settings: _Settings, session: Session, heading: str | None) -> Outcome:
    if settings.output == NOTHING:
        return None, ()
    if settings.output == JSON:
        return orjson.dumps(dump_session(session)).decode(), ()
    text = summary(session)
    return (text if heading is None else f"{heading}\n{text}"), ()


def _invalid(errors: Iterable[ErrorDetail]) -> tuple[None, tuple[Problem, ...]]:
    problems = tuple((error.path, error.message) for error in errors)
    return None, problems or (("$", "invalid payload"),)


def _check_document(settings: _Settings, text: bytes) -> list[Outcome]:
    """The outcome of every payload in one document (a list page holds several)."""
    typed = settings.typed
    fast = typed.answer(text)
    if isinstance(fast, Event):  # the msgspec fast path answered
        return [_valid(settings, fast.data.object, f"event {fast.id} {fast.type}")]
    if fast is not None:
        return [_valid(settings, fast, None)]
    outcomes: list[Outcome] = []
    for index, data, error in document_items("", None, text, "a checkout.session object"):
        if data is None:
            assert error is not None
            outcomes.append(_invalid(error.errors))
            continue
        prefix = "$" if index is None else f"$.data[{index}]"
        try:
            if typed.saw(data, index):
                event = parse_event(data, settings.strict)
                heading = f"event {event.id} {event.type}"
                outcomes.append(_valid(settings, event.data.object, heading))
            else:
                outcomes.append(_valid(settings, parse_session(data, settings.strict), None))
        except ParseError as exc:
            errors = every_problem(data, exc, settings.strict)
            if prefix != "$":
                errors = tuple(ErrorDetail(prefix + e.path[1:], e.message) for e in errors)
            outcomes.append(_invalid(errors))
    return outcomes


Chunk = list[tuple[int | None, bytes]]

_WORKER_SETTINGS: _Settings | None = None


def _start_worker(settings: _Settings) -> None:
    global _WORKER_SETTINGS  # noqa: PLW0603 - one worker process, one run
    _WORKER_SETTINGS = settings


def _check_chunk(chunk: Chunk) -> list[tuple[int | None, list[Outcome]]]:
    """A worker's task: the outcomes of the documents of a chunk, in order."""
    settings = _WORKER_SETTINGS
    assert settings is not None
    return [(line, _check_document(settings, text)) for line, text in chunk]


Found = list[Outcome] | int
"""A line's outcomes, or (from a worker) how many lines in a row each held one valid payload
with nothing to print: the main process only counts those."""

_QUIET = [(None, ())]


def _check_range(path: str, start: int, end: int) -> tuple[list[tuple[int, Found]], int]:
    """A worker's task on a JSON Lines file: the lines between two byte offsets, read here.

    Lines are numbered from 0 within the range; the main process adds the lines before it
    (the second value: how many the range holds) to give each its number in the file. Runs of
    lines with nothing to report come back as their number, not one outcome each.
    """
    settings = _WORKER_SETTINGS
    assert settings is not None
    with open(path, "rb") as stream:
        stream.seek(start)
        data = stream.read(end - start)
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()  # after the last newline
    if start == 0 and lines and lines[0].startswith(BOM):
        lines[0] = lines[0][len(BOM) :]
    out: list[tuple[int, Found]] = []
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        found = _check_document(settings, line)
        if found != _QUIET:
            out.append((index, found))
        elif out and isinstance(quiet := out[-1][1], int):
            out[-1] = (index, quiet + 1)
        else:
            out.append((index, 1))
    return out, data.count(b"\n")


def _ranges(stream: IO[bytes], size: int) -> Iterator[tuple[int, int]]:
    """Byte ranges of about CHUNK_BYTES that end after a newline (or at the end of the file)."""
    start = 0
    while start < size:
        end = min(start + CHUNK_BYTES, size)
        if end < size:
            stream.seek(end)
            end += len(stream.readline())
        yield start, end
        start = end


def _chunks(docs: Iterable[tuple[int | None, bytes]]) -> Iterator[Chunk]:
    chunk: Chunk = []
    size = 0
    for line, text in docs:
        chunk.append((line, text))
        size += len(text)
        if len(chunk) >= CHUNK_DOCUMENTS or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _warm_up(settings: _Settings) -> None:
    """Make the fast path (and the code that writes the output) now, so that forked workers
    share it instead of each making its own."""
    _fast.prepare(Session, settings.strict)
    if settings.output != NOTHING:
        bundled = parse_session(_bundled().read_bytes(), settings.strict)
        _valid(settings, bundled, None)


def _bundled() -> Any:
    """The bundled example payload (a ``Traversable``)."""
    import importlib.resources  # only when the example is read

    return importlib.resources.files(__package__).joinpath("data", EXAMPLE)


def _process_context() -> Any:
    """Fork while this process runs a single thread (workers start at once, with the
    converter's code already compiled); otherwise fresh interpreters, as forking a process
    that runs threads is unsafe."""
    import multiprocessing  # only with --jobs

    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


class _Checker:
    """Turns the documents of a source into outcomes: here, or in a pool of processes."""

    def __init__(self, settings: _Settings, jobs: int) -> None:
        self.settings = settings
        self.jobs = jobs
        self.pool: concurrent.futures.ProcessPoolExecutor | None = None

    def __enter__(self) -> _Checker:
        if self.jobs > 1:
            context = _process_context()
            if context.get_start_method() == "fork":
                _warm_up(self.settings)  # compiled once here, shared by every forked worker
            import concurrent.futures  # only with --jobs

            self.pool = concurrent.futures.ProcessPoolExecutor(
                self.jobs,
                mp_context=context,
                initializer=_start_worker,
                initargs=(self.settings,),
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def outcomes(
        self, docs: Iterable[tuple[int | None, bytes]]
    ) -> Iterator[tuple[int | None, list[Outcome]]]:
        if self.pool is None:
            for line, text in docs:
                yield line, _check_document(self.settings, text)
            return
        # A bounded window of tasks in flight: memory stays flat on any input, and results
        # come back in the order of the input.
        window: collections.deque[concurrent.futures.Future[Any]] = collections.deque()
        for chunk in _chunks(docs):
            window.append(self.pool.submit(_check_chunk, chunk))
            if len(window) >= 3 * self.jobs:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()

    def file_outcomes(
        self, path: str, stream: IO[bytes], size: int
    ) -> Iterator[tuple[int | None, Found]]:
        """With a pool, for a plain JSON Lines file: each worker reads its own byte range, so
        this process only finds where ranges end (a seek and a line each), and counts."""
        assert self.pool is not None
        window: collections.deque[concurrent.futures.Future[Any]] = collections.deque()
        before = 0

        def results() -> Iterator[tuple[int | None, Found]]:
            nonlocal before
            outcomes, count = window.popleft().result()
            for index, found in outcomes:
                yield before + index + 1, found
            before += count

        for start, end in _ranges(stream, size):
            window.append(self.pool.submit(_check_range, path, start, end))
            if len(window) >= 3 * self.jobs:
                yield from results()
        while window:
            yield from results()


def _plain_json_lines(stream: IO[bytes], json_lines: bool) -> int | None:
    """The size of a regular, uncompressed file of JSON Lines (two payload lines at least), or
    None: then it is read as ``archive.documents`` reads it. The stream is left at its start."""
    try:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode) or not stream.seekable():
            return None
        stream.seek(0)
        if stream.read(2) == GZIP_MAGIC:
            return None
        stream.seek(0)
        seen = 0
        for line in stream:
            text = line[len(BOM) :] if seen == 0 and line.startswith(BOM) else line
            if not text.strip():
                continue
            if seen == 0 and not json_lines and not is_one_line_value(text):
                return None
            seen += 1
            if seen == 2:
                return info.st_size
        return None
    except (OSError, ValueError, io.UnsupportedOperation):
        return None
    finally:
        with contextlib.suppress(OSError, ValueError):
            stream.seek(0)


# ------------------------------------------------------------------------------------------------
# A run: reading sources, writing outcomes, the tally


class _Run:
    """One invocation: options, output streams and the tally."""

    def __init__(
        self,
        options: argparse.Namespace,
        out: IO[str],
        err: IO[str],
        checker: _Checker,
        collect: Callable[[str], None] | None = None,
    ) -> None:
        self.quiet: bool = options.quiet
        self.errors_json: bool = options.errors_json
        self.out = out
        self.err = err
        self.out_is_terminal = _isatty(out)
        self.progress = _Progress(err, delay=PROGRESS_DELAY, interval=PROGRESS_INTERVAL)
        self.checker = checker
        self.collect = collect
        self.valid = 0
        self.invalid = 0

    def write(self, stream: IO[str], text: str) -> None:
        if stream is self.err or self.out_is_terminal:
            self.progress.clear()  # else the progress line stays up while stdout is redirected
        stream.write(text + "\n")

    def source(self, name: str, stream: IO[bytes], path: str | None = None) -> None:
        json_lines = name.endswith(JSON_LINES_SUFFIXES)
        if path is not None and self.checker.pool is not None:
            size = _plain_json_lines(stream, json_lines)
            if size is not None:
                for line, found in self.checker.file_outcomes(path, stream, size):
                    if isinstance(found, int):
                        self.valid += found  # valid payloads with nothing to print
                    else:
                        for outcome in found:
                            self.outcome(name, line, outcome)
                    self.progress.update(name, self.valid, self.invalid)
                return
        docs = documents(stream, json_lines)
        last: list[int | None] = [None]

        def tracked() -> Iterator[tuple[int | None, bytes]]:
            for line, text in docs:
                last[0] = line
                yield line, text

        try:
            for line, outcomes in self.checker.outcomes(tracked()):
                for outcome in outcomes:
                    self.outcome(name, line, outcome)
                self.progress.update(name, self.valid, self.invalid)
        except Unreadable as exc:
            line = None if last[0] is None else last[0] + 1
            self.reject(name, line, (("$", read_error(exc.cause)),))

    def outcome(self, name: str, line: int | None, outcome: Outcome) -> None:
        text, problems = outcome
        if problems:
            self.reject(name, line, problems)
        else:
            self.accept(text)

    def accept(self, text: str | None) -> None:
        self.valid += 1
        if self.collect is not None:
            assert text is not None
            self.collect(text)
            return
        if text is None:
            return
        if self.valid + self.invalid > 1 and not text.startswith("{"):
            text = "\n" + text  # summaries are separated by a blank line; JSON is not
        self.write(self.out, text)

    def reject(self, name: str, line: int | None, problems: Iterable[Problem]) -> None:
        self.invalid += 1
        for path, message in problems:
            if self.errors_json:
                record = {"file": name, "line": line, "path": path, "message": message}
                self.write(self.out, orjson.dumps(record).decode())
            else:
                where = name if line is None else f"{name}:{line}"
                self.write(self.err, f"{where}: {path}: {message}")

    def tally(self) -> None:
        self.write(self.err, f"{self.valid} valid, {self.invalid} invalid")


def _check_readable(paths: Iterable[str]) -> list[str]:
    """One message per path that cannot be read (checked before any output is written)."""
    problems = []
    for path in paths:
        if path == STDIN:
            continue
        if not os.path.exists(path):
            problems.append(f"{path}: no such file")
        elif os.path.isdir(path):
            problems.append(f"{path}: is a directory")
        elif not os.access(path, os.R_OK):
            problems.append(f"{path}: permission denied")
    return problems


def _usage_error(message: str, prog: str = PROG) -> int:
    sys.stderr.write(f"{prog}: error: {message} (see {prog} --help)\n")
    return EXIT_USAGE


def _piped_stdin() -> IO[bytes] | None:
    """Standard input as a binary stream when something is piped or redirected into it.

    None on a terminal, when there is no standard input, and when it is empty (``< /dev/null``,
    a closed pipe): the command then does what it does without input.
    """
    stdin = sys.stdin
    if stdin is None or _isatty(stdin):
        return None
    try:
        buffer: IO[bytes] = stdin.buffer
        head = buffer.read(1)
    except (AttributeError, OSError, ValueError):
        return None
    if not head:
        return None
    return io.BufferedReader(Rewound(head, buffer))


def _configure_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            # A name that the console's encoding cannot show must not end the run.
            stream.reconfigure(errors="backslashreplace")


def _read_all(run: _Run, files: Sequence[str], fallback: Callable[[], None]) -> int:
    status = EXIT_OK
    if not files:
        piped = _piped_stdin()
        if piped is not None:
            run.source(STDIN_NAME, piped)
        else:
            fallback()
    for path in files:
        if path == STDIN:
            run.source(STDIN_NAME, sys.stdin.buffer)
            continue
        try:
            stream = open(path, "rb")  # noqa: SIM115 (closed below; only open's errors are caught)
        except OSError as exc:
            status = _usage_error(f"{path}: {exc.strerror or exc}")
            continue
        with stream:
            run.source(path, stream, path)
    return status


def _run(options: argparse.Namespace) -> int:
    _configure_streams()
    if options.json and options.errors_json:
        return _usage_error("--json and --errors-json both write to stdout: choose one")
    problems = _check_readable(options.files)
    if problems:
        for problem in problems:
            _usage_error(problem)
        return EXIT_USAGE
    output = NOTHING if options.quiet or options.errors_json else JSON if options.json else SUMMARY
    settings = _Settings(strict=options.strict, output=output)
    with _Checker(settings, options.jobs) as checker:
        run = _Run(options, sys.stdout, sys.stderr, checker)

        def example() -> None:
            bundled = _bundled()
            with bundled.open("rb") as stream:
                run.source(EXAMPLE_NAME, stream)

        status = _read_all(run, options.files, example)
        run.tally()
    if status == EXIT_OK and run.invalid:
        status = EXIT_INVALID
    return status


def _export(options: argparse.Namespace) -> int:
    prog = f"{PROG} export"
    _configure_streams()
    try:
        import pyarrow.parquet as pq

        from .arrow import Builder, arrow_schema
    except ImportError:
        return _usage_error(
            "writing Parquet needs pyarrow: pip install 'checkout-model[arrow]'", prog
        )
    problems = _check_readable(options.files)
    if problems:
        for problem in problems:
            _usage_error(problem, prog)
        return EXIT_USAGE
    if not options.files and _isatty(sys.stdin):
        return _usage_error("no FILE given, and standard input is a terminal", prog)
    builder = Builder()
    settings = _Settings(strict=options.strict, output=JSON)
    try:
        writer = pq.ParquetWriter(options.output, arrow_schema())
    except OSError as exc:
        return _usage_error(f"{options.output}: {exc.strerror or exc}", prog)

    def collect(raw: str) -> None:
        builder.add(orjson.loads(raw))
        if len(builder) >= EXPORT_BATCH:
            writer.write_batch(builder.batch())

    with writer, _Checker(settings, options.jobs) as checker:
        run = _Run(options, sys.stdout, sys.stderr, checker, collect=collect)
        status = _read_all(run, options.files, lambda: None)
        if len(builder):
            writer.write_batch(builder.batch())
        run.tally()
    if status == EXIT_OK and run.invalid:
        status = EXIT_INVALID
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    export = bool(args) and args[0] == "export"
    prog = f"{PROG} export" if export else PROG
    try:
        options = (_export_parser() if export else _parser()).parse_args(
            args[1:] if export else args
        )
    except _UsageError as exc:
        return _usage_error(str(exc), prog)
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    try:
        return _export(options) if export else _run(options)
    except BrokenPipeError:
        # The reader went away (``checkout-model big.jsonl | head``): stop quietly.
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_INVALID
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        return 130
