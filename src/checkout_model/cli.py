"""The ``checkout-model`` command: check Checkout Session payloads and summarize them.

With no arguments it parses the example session bundled with the package. Given files (or ``-``
for standard input) it reads single sessions, webhook events, list pages or JSON Lines, reports
every invalid payload as ``FILE[:LINE]: $.path: message`` and ends with a tally on stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.resources
import io
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, NoReturn

import orjson

from . import __version__
from ._base import Unknown
from .errors import ErrorDetail, ParseError, describe
from .events import parse_event
from .line_items import LineItemList
from .money import Money
from .parsing import dump_session, load_json, parse_session
from .session import Session

__all__ = ["main"]

PROG = "checkout-model"
EXAMPLE = "example_session.json"
"""The bundled example session, in the package's ``data`` folder."""
EXAMPLE_NAME = "<bundled example>"
STDIN = "-"
STDIN_NAME = "<stdin>"
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")
PROGRESS_DELAY = 1.0
"""Seconds a run lasts before it shows progress (on a terminal only)."""
PROGRESS_INTERVAL = 0.2
"""Seconds between two updates of the progress line."""

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2

DESCRIPTION = """\
Check Stripe Checkout Session payloads and print a summary of each.

Each FILE (or - for standard input) may hold one checkout.session, a webhook event whose
data.object is a session, a list page ({"object": "list", "data": [...]}), or JSON Lines
(one such payload per line); the command detects which. With no FILE it parses the example
session bundled with the package.
"""

EPILOG = """\
output:
  stdout gets the summaries (or the JSON with --json). stderr gets one line per problem,
  FILE:LINE: $.json.path: message (LINE only for JSON Lines), then the tally
  "N valid, M invalid". On a terminal, long runs also show their progress on stderr.

exit status:
  0  every payload is valid
  1  at least one payload is invalid
  2  usage error: unknown option, missing or unreadable file

examples:
  summarize the bundled example:
    checkout-model
  check a JSON Lines dump strictly, printing only the errors and the tally:
    checkout-model --strict --quiet dump.jsonl
  summarize a list page read from standard input:
    stripe checkout sessions list | checkout-model -
  write the normalized session inside a webhook event:
    checkout-model --json event.json > session.json
"""


class _UsageError(Exception):
    """A mistake in how the command was called (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors as one line instead of the usage text plus the error."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


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
        help="payload files to check; - reads standard input\n"
        "(default: the example session bundled with the package)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print each valid session as normalized JSON, exactly what\n"
        "dump_session returns, one per line (for an event: its session)\n"
        "e.g. checkout-model --json session.json",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="reject fields and enum values the model does not know\n"
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
        "--version",
        action="version",
        version=f"{PROG} {__version__}",
        help="print the version and exit\ne.g. checkout-model --version",
    )
    return parser


# ------------------------------------------------------------------------------------------------
# Reading: one source gives a sequence of (line number or None, JSON text)


def _next_nonblank(lines: Iterator[tuple[int, bytes]]) -> tuple[int, bytes] | None:
    for number, line in lines:
        if line.strip():
            return number, line
    return None


def _is_one_line_value(line: bytes) -> bool:
    """Whether a first line is a payload on its own (JSON Lines) rather than the start of one."""
    try:
        orjson.loads(line)
    except orjson.JSONDecodeError:
        stripped = line.strip()
        return stripped.startswith(b"{") and stripped.endswith(b"}")
    return True


def _documents(stream: Iterable[bytes], json_lines: bool) -> Iterator[tuple[int | None, bytes]]:
    """The JSON documents in a stream, each with its line number when the stream is JSON Lines.

    A first line that is a complete JSON value (or the ``.jsonl`` suffix) means JSON Lines, read
    one line at a time; anything else is one document, read whole. A file of a single line is
    reported without a line number.
    """
    lines = enumerate(stream, start=1)
    first = _next_nonblank(lines)
    if first is None:
        yield None, b""
        return
    if not json_lines and not _is_one_line_value(first[1]):
        yield None, first[1] + b"".join(line for _, line in lines)
        return
    second = _next_nonblank(lines)
    if second is None:
        yield (first[0] if json_lines else None), first[1]
        return
    yield first
    yield second
    for number, line in lines:
        if line.strip():
            yield number, line


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
# Checking


def _rebase(errors: Iterable[ErrorDetail], prefix: str) -> list[ErrorDetail]:
    """Paths relative to an item as paths in the enclosing document (``$.x`` → ``$.data[3].x``)."""
    return [ErrorDetail(prefix + error.path[1:], error.message) for error in errors]


class _Run:
    """One invocation: options, output streams and the tally."""

    def __init__(self, options: argparse.Namespace, out: IO[str], err: IO[str]) -> None:
        self.json: bool = options.json
        self.strict: bool = options.strict
        self.quiet: bool = options.quiet
        self.out = out
        self.err = err
        self.out_is_terminal = _isatty(out)
        self.progress = _Progress(err, delay=PROGRESS_DELAY, interval=PROGRESS_INTERVAL)
        self.valid = 0
        self.invalid = 0

    def write(self, stream: IO[str], text: str) -> None:
        if stream is self.err or self.out_is_terminal:
            self.progress.clear()  # else the progress line stays up while stdout is redirected
        stream.write(text + "\n")

    def source(self, name: str, stream: Iterable[bytes]) -> None:
        json_lines = name.endswith(JSON_LINES_SUFFIXES)
        for number, text in _documents(stream, json_lines):
            where = name if number is None else f"{name}:{number}"
            self.document(where, text)
            self.progress.update(name, self.valid, self.invalid)

    def document(self, where: str, text: bytes) -> None:
        if not text.strip():
            self.reject(where, [ErrorDetail("$", "empty input, expected a JSON object")])
            return
        try:
            data = load_json(text)
        except ParseError as exc:
            self.reject(where, exc.errors)
            return
        kind = data.get("object")
        if kind == "list":
            items = data.get("data")
            if not isinstance(items, list):
                found = describe(items) if "data" in data else "nothing"
                message = f"expected the list's data to be an array, found {found}"
                self.reject(where, [ErrorDetail("$.data", message)])
                return
            for index, item in enumerate(items):
                self.session(where, item, f"$.data[{index}]")
        elif kind == "event":
            self.event(where, data)
        else:
            self.session(where, data, "$")

    def session(self, where: str, data: object, prefix: str) -> None:
        if not isinstance(data, dict):
            message = f"expected a checkout.session object, found {describe(data)}"
            self.reject(where, [ErrorDetail(prefix, message)])
            return
        try:
            session = parse_session(data, strict=self.strict)
        except ParseError as exc:
            self.reject(where, _rebase(exc.errors, prefix))
            return
        self.accept(session)

    def event(self, where: str, data: Mapping[str, Any]) -> None:
        try:
            event = parse_event(data, strict=self.strict)
        except ParseError as exc:
            self.reject(where, exc.errors)
            return
        self.accept(event.data.object, f"event {event.id} {event.type}")

    def accept(self, session: Session, heading: str | None = None) -> None:
        self.valid += 1
        if self.quiet:
            return
        if self.json:
            self.write(self.out, orjson.dumps(dump_session(session)).decode())
            return
        text = summary(session)
        if heading is not None:
            text = f"{heading}\n{text}"
        if self.valid + self.invalid > 1:
            text = "\n" + text
        self.write(self.out, text)

    def reject(self, where: str, errors: Iterable[ErrorDetail]) -> None:
        self.invalid += 1
        for error in errors:
            self.write(self.err, f"{where}: {error.path}: {error.message}")

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


def _usage_error(message: str) -> int:
    sys.stderr.write(f"{PROG}: error: {message} (see {PROG} --help)\n")
    return EXIT_USAGE


def _run(options: argparse.Namespace) -> int:
    out, err = sys.stdout, sys.stderr
    for stream in (out, err):
        if isinstance(stream, io.TextIOWrapper):
            # A name that the console's encoding cannot show must not end the run.
            stream.reconfigure(errors="backslashreplace")
    problems = _check_readable(options.files)
    if problems:
        for problem in problems:
            _usage_error(problem)
        return EXIT_USAGE
    run = _Run(options, out, err)
    status = EXIT_OK
    if not options.files:
        example = importlib.resources.files(__package__).joinpath("data", EXAMPLE)
        with example.open("rb") as stream:
            run.source(EXAMPLE_NAME, stream)
    for path in options.files:
        if path == STDIN:
            run.source(STDIN_NAME, sys.stdin.buffer)
            continue
        try:
            stream = open(path, "rb")  # noqa: SIM115 (closed below; only open's errors are caught)
        except OSError as exc:
            status = _usage_error(f"{path}: {exc.strerror or exc}")
            continue
        with stream:
            run.source(path, stream)
    run.tally()
    if status == EXIT_OK and run.invalid:
        status = EXIT_INVALID
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    try:
        options = _parser().parse_args(argv)
    except _UsageError as exc:
        return _usage_error(str(exc))
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    try:
        return _run(options)
    except BrokenPipeError:
        # The reader went away (``checkout-model big.jsonl | head``): stop quietly.
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_INVALID
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        return 130
