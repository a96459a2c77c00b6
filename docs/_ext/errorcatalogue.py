"""The error catalogue: every message form the parser produces, shown by producing it.

``errors.md`` holds the prose and one ``error-examples`` directive per group. The directive runs
each case below through the installed ``checkout_model`` while the page is read and shows the
code next to the exact ``str(err)`` it produced, so the page cannot disagree with the parser.
The build fails (a warning, and warnings are errors) when a case stops raising, raises more than
one error, or produces a message that no longer matches the form it is listed under.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from typing import Any, ClassVar

import attrs
import stripe
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

import checkout_model as cm

logger = logging.getLogger(__name__)


@attrs.frozen
class Case:
    """One message form and a minimal input that produces it."""

    form: str
    """The message with ``<...>`` where the details vary; the produced message must match it."""
    code: str
    """Python that raises the error; its last statement is the call."""
    note: str = ""
    """When this happens, in one or two sentences (plain text)."""
    exception: str = "ParseError"
    """The exception the call raises."""


CASES: dict[str, list[Case]] = {
    "input": [
        Case(
            "invalid JSON: <the decoder's message>",
            'cm.parse_session(b\'{"id": "cs_test_1",\')',
            "JSON text (str or bytes) that does not decode: cut short, NaN or Infinity, invalid "
            "UTF-8, a lone surrogate. The decoder's message says where.",
        ),
        Case(
            "expected a JSON object, found an array",
            'cm.parse_session(b\'[{"id": "cs_test_1"}]\')',
            "The text decodes, but to a list: a list page's data array rather than one session.",
        ),
        Case(
            "expected a JSON object, found <Python type name>",
            "cm.parse_session(b'\"cs_test_1\"')",
            "The text decodes to a string, number, boolean or null (NoneType).",
        ),
        Case(
            "expected JSON text or a mapping, found <Python type name>",
            "cm.parse_session(12)",
            "The argument is neither str, bytes, bytearray, memoryview nor a mapping.",
        ),
        Case(
            "expected a stripe-python object or a mapping, found <Python type name>",
            "cm.Session.from_stripe('cs_test_1')",
            "from_stripe (on Session, LineItem and Event) was given something else than a "
            "stripe-python object or a mapping.",
        ),
    ],
    "required": [
        Case(
            "missing required field",
            "cm.parse_session({'object': 'checkout.session'})",
            "A field without which the object means nothing is absent: id on every object "
            "that has one (except an event's request), data on an event, object in an "
            "event's data.",
        ),
        Case(
            "expected <a string | an object>, found null",
            "cm.parse_session({'id': None})",
            "A required field is present but null.",
        ),
        Case(
            "expected '<type tag>', found <value>",
            "cm.parse_session({'id': 'in_1', 'object': 'invoice'})",
            "The object field names another kind of Stripe object than the one expected here "
            "(here: an invoice given to parse_session).",
        ),
    ],
    "types": [
        Case(
            "expected a string, found <value>",
            "cm.parse_session({'id': 'cs_test_1', 'currency': 840})",
        ),
        Case(
            "expected a string, found <value>",
            "cm.parse_session({'id': 'cs_test_1', 'metadata': {'\\x00': 5, \"it's\": 'ok'}})",
            "Keys that are not identifiers are written as RFC 9535 normalized path segments: "
            "['...'] with quotes, backslashes and control characters escaped.",
        ),
        Case(
            "expected an integer, found <value>",
            "cm.parse_session({'id': 'cs_test_1', 'amount_total': '19.99'})",
            "Integer fields take JSON integers only: not strings of digits, not 1.0, not true.",
        ),
        Case(
            "expected true or false, found <value>",
            "cm.parse_session({'id': 'cs_test_1', 'livemode': 0})",
        ),
        Case(
            "expected a number, found <value>",
            "cm.parse_session({'id': 'cs_test_1', 'future_field': float('inf')})",
            "A number field (or a number inside raw JSON, such as an unknown field) holds "
            "something else, or a float that JSON cannot carry (NaN, Infinity) in a mapping "
            "built in Python.",
        ),
        Case(
            "expected <what>, found the number <literal> (beyond the range of a float)",
            'cm.parse_session(b\'{"id": "cs_test_1", "amount_total": 1e400}\')',
            "JSON text with a number no float can hold. It is reported at its own path, whatever "
            "the field (in raw JSON too, as 'expected a JSON value'), with the number as written.",
        ),
        Case(
            "expected <what>, found the number <digits> (an integer of <n> digits, more than "
            "Python converts)",
            "cm.parse_session(b'{\"id\": \"cs_test_1\", \"amount_total\": ' + b'9' * 5000 + b'}')",
            "JSON text with an integer longer than sys.get_int_max_str_digits() (4,300 by "
            "default). Shorter integers, of any size, are kept exactly.",
        ),
        Case(
            "expected a decimal string such as '12.5', found <value>",
            "cm.parse_session({'id': 'cs_test_1', 'currency_conversion': {'fx_rate': 1.08}})",
            "Stripe sends exact decimals (fx_rate, unit_amount_decimal) as strings of digits.",
        ),
        Case(
            "expected a Unix timestamp (integer), found <value>",
            "cm.parse_session({'id': 'cs_test_1', 'created': '2025-10-28T11:13:20Z'})",
        ),
        Case(
            "timestamp <n> is out of range",
            "cm.parse_session({'id': 'cs_test_1', 'expires_at': 10**15})",
            "An integer timestamp that is no date Python can represent.",
        ),
        Case(
            "expected an object, found <value>",
            "cm.parse_session({'id': 'cs_test_1', 'total_details': 'none'})",
            "A nested object (or a map such as metadata) is something else.",
        ),
        Case(
            "expected an array, found <value>",
            "cm.parse_session({'id': 'cs_test_1', 'payment_method_types': 'card'})",
        ),
        Case(
            "expected a string (<Enum name>), found <value>",
            "cm.parse_session({'id': 'cs_test_1', 'mode': 1})",
            "An enum field holds something that is not a string. (Unknown strings are "
            "accepted in lenient mode; see the strict-mode forms below.)",
        ),
        Case(
            "expected an ID string or an expanded <type tag> object, found <value>",
            "cm.parse_session({'id': 'cs_test_1', 'customer': 42})",
            "An expandable field holds neither an ID nor an object.",
        ),
    ],
    "raw": [
        Case(
            "object keys must be strings, found <value>",
            "cm.parse_session({'id': 'cs_test_1', 7: 'seven'})",
            "A mapping built in Python has a key that is not a string (JSON text cannot).",
        ),
        Case(
            "object keys must be strings",
            "cm.parse_session({'id': 'cs_test_1', 'metadata': {7: 'seven'}})",
            "The same, inside a typed map such as metadata.",
        ),
        Case(
            "expected a JSON value, found a Python <type name>, which is not JSON",
            "cm.parse_session({'id': 'cs_test_1', 'note': {'sent': {1, 2}}})",
            "Raw JSON (unknown fields, expanded references, previous_attributes) holds an "
            "object JSON has no form for, such as a set or a datetime.",
        ),
        Case(
            "nested deeper than 200 levels",
            "deep = []\n"
            "for _ in range(201):\n"
            "    deep = [deep]\n"
            "cm.parse_session({'id': 'cs_test_1', 'note': deep})",
            "Raw JSON nested more than 200 levels deep; Stripe's never comes close.",
        ),
        Case(
            "expanded objects nested deeper than 128 levels",
            "price = {'id': 'price_1'}\n"
            "for _ in range(65):  # a product's default price, whose product, whose ...\n"
            "    price = {'id': 'price_1', 'product': {'id': 'prod_1', 'default_price': price}}\n"
            "line_items = {'data': [{'id': 'li_1', 'price': price}]}\n"
            "cm.parse_session({'id': 'cs_test_1', 'line_items': line_items})",
            "Expanded objects inside expanded objects, more than 128 deep (Stripe expands at most "
            "4 levels). Reported where the limit is reached, never as a RecursionError.",
        ),
        Case(
            "nested too deeply to parse",
            "deep = {}\n"
            "for _ in range(100_000):\n"
            "    deep = {'a': deep}\n"
            "cm.Session.from_stripe({'id': 'cs_test_1', 'note': deep})",
            "Input nested so deeply that Python's recursion limit is reached before the depth "
            "check; reported at the root.",
        ),
    ],
    "strict": [
        Case(
            "unknown field (strict mode rejects fields the model does not know)",
            "cm.parse_session({'id': 'cs_test_1', 'loyalty_points': 20}, strict=True)",
            "Lenient mode keeps the field in unknown_fields instead.",
        ),
        Case(
            "unknown <Enum name> value '<value>' (strict mode); known: <the members' values>",
            "cm.parse_session({'id': 'cs_test_1', 'mode': 'installments'}, strict=True)",
            "Lenient mode returns a value of the enum's type that is not one of its members.",
        ),
    ],
    "events": [
        Case(
            "unsupported event type '<type>'; supported: <the four types>",
            "cm.parse_event({'id': 'evt_1', 'type': 'invoice.paid', 'data': {'object': {}}})",
            "Only the four checkout.session.* events are modelled; this is an error in lenient "
            "mode too, always at $.type. The exception is UnsupportedEventType, a ParseError "
            "with event_id and event_type: acknowledge such an event. At most 80 characters of "
            "the type are quoted.",
            exception="UnsupportedEventType",
        ),
        Case(
            "unsupported event type: found <null | Python type name>; supported: <the four types>",
            "cm.parse_event({'id': 'evt_1', 'type': None})",
            "A type that is not a string at all: a plain ParseError.",
        ),
        Case(
            "unsupported event type: it is missing; supported: <the four types>",
            "cm.parse_event({'id': 'evt_1', 'data': {'object': {'id': 'cs_test_1'}}})",
        ),
        Case(
            "expected an API version such as '2025-03-31.basil': <why not>",
            "cm.parse_event({'id': 'evt_1', 'type': 'checkout.session.completed',\n"
            "                'api_version': '2019-5-16', 'data': {'object': {'id': 'cs_test_1'}}})",
            "api_version is read as an ApiVersion: YYYY-MM-DD, optionally followed by a "
            "release name (.basil), and a real date.",
        ),
    ],
    "archives": [
        Case(
            "unreadable input: the compressed stream ends early (truncated file?)",
            "import gzip, io\n"
            'cut_short = gzip.compress(b\'{"id": "cs_test_1"}\')[:-8]\n'
            "cm.iter_sessions(io.BytesIO(cut_short))",
            "A gzip file that ends before its end marker, such as an upload cut short.",
            exception="Record",
        ),
        Case(
            "unreadable input: <the reader's message>",
            "import io\ncm.iter_sessions(io.BytesIO(b'\\x1f\\x8b\\x08\\x00 not really gzip'))",
            "Any other failure to read the source (a corrupt gzip stream, an I/O error): one "
            "record at $, and the iteration ends.",
            exception="Record",
        ),
        Case(
            "expected the list's data to be an array, found <value | nothing>",
            'cm.iter_sessions([b\'{"object": "list", "data": 5}\'])',
            "A list page whose data is not an array.",
            exception="Record",
        ),
        Case(
            "expected <a checkout.session object | an event object>, found <value>",
            'cm.iter_sessions([b\'{"object": "list", "data": [7]}\'])',
            "An item of a list page that is not an object; the record's index says which.",
            exception="Record",
        ),
        Case(
            "expected an event (object 'event'), found <value | nothing>",
            'cm.iter_events([b\'{"id": "cs_test_1", "object": "checkout.session"}\'])',
            "iter_events was given something other than events (here a session).",
            exception="Record",
        ),
    ],
    "notifications": [
        Case(
            "this is a snapshot event, not a thin notification: use construct_event",
            "cm.parse_event_notification(*signed({'id': 'evt_1', 'object': 'event'}), SECRET)",
            "A snapshot event (object 'event') was given to parse_event_notification.",
        ),
        Case(
            "expected 'v2.core.event', found <value>",
            "cm.parse_event_notification(*signed({'id': 'evt_1', 'object': 'invoice'}), SECRET)",
        ),
        Case(
            "unsupported event type '<type>'; supported: <the four v1.checkout.session types>",
            "cm.parse_event_notification(\n"
            "    *signed({'id': 'evt_1', 'object': 'v2.core.event', 'type': 'v1.invoice.paid'}),"
            " SECRET\n)",
            "A genuine notification of another type: UnsupportedEventType, as for snapshot events.",
            exception="UnsupportedEventType",
        ),
        Case(
            "expected an RFC 3339 timestamp with a time zone, found <value>",
            "thin = {'id': 'evt_1', 'object': 'v2.core.event',\n"
            "        'type': 'v1.checkout.session.completed'}\n"
            "cm.parse_event_notification(*signed({**thin, 'created': '2026-10-29 08:15'}), SECRET)",
            "Thin notifications carry created as text, such as 2026-10-29T08:15:42.318Z.",
        ),
        Case(
            "expected 'checkout.session', found <value>",
            "thin = {'id': 'evt_1', 'object': 'v2.core.event', 'created': '2026-10-29T08:15:42Z',\n"
            "        'type': 'v1.checkout.session.completed'}\n"
            "invoice = {'id': 'in_1', 'type': 'invoice', 'url': '/v1/invoices/in_1'}\n"
            "cm.parse_event_notification(*signed({**thin, 'related_object': invoice}), SECRET)",
            "The notification is about another kind of object than a Checkout Session.",
        ),
        Case(
            "expected a string, <found what | it is missing>",
            "cm.parse_event_notification(*signed({'object': 'v2.core.event', 'type': 7}), SECRET)",
            "A field that must be a string (id, type, created, the related object's id, type "
            "and url) is missing or is something else.",
        ),
    ],
    "signature": [
        Case(
            "The request body is not UTF-8 text, so Stripe did not sign it",
            "cm.construct_event(b'\\xff', 't=1,v1=00', SECRET)",
            "construct_event (or parse_event_notification) was given bytes that are not UTF-8.",
            exception="SignatureVerificationError",
        ),
        Case(
            "The request body holds characters UTF-8 cannot encode (lone surrogates), so Stripe "
            "did not sign it",
            "cm.construct_event('{\"id\": \"\\ud800\"}', 't=1,v1=00', SECRET)",
            "A str body that no UTF-8 encoder can sign.",
            exception="SignatureVerificationError",
        ),
        Case(
            "No Stripe-Signature header value was provided: <what to pass, or parse_event>",
            "cm.construct_event(b'{}', None, SECRET)",
            "The header is missing or empty. The message points to parse_event for events "
            "verified elsewhere.",
            exception="SignatureVerificationError",
        ),
        Case(
            "No webhook secret value was provided. It should start with `whsec_`",
            "cm.construct_event(b'{}', 't=1,v1=00', [])",
            "An empty secret, or an empty list of secrets.",
            exception="SignatureVerificationError",
        ),
        Case(
            "No signatures found matching the expected signature for payload",
            "cm.construct_event(*signed({'id': 'evt_1'}), ['whsec_old', 'whsec_other'])",
            "stripe-python's words: none of the secrets signed the body (or the body was "
            "changed after signing).",
            exception="SignatureVerificationError",
        ),
    ],
}

SECRET = "whsec_test"  # noqa: S105 (a test secret, signing only the examples)
"""The signing secret the catalogue's webhook examples use."""


def signed(payload: dict[str, Any], secret: str = SECRET) -> tuple[str, str]:
    """A body and a ``Stripe-Signature`` header for it, signed now by stripe-python's helper."""
    body = json.dumps(payload)
    return body, stripe.WebhookSignature.generate_signature_header(body, secret)


def _form_pattern(form: str) -> re.Pattern[str]:
    """The form as a regular expression: literal text, and ``<...>`` matching anything."""
    parts = re.split(r"<[^<>]*>", form)
    return re.compile(".+".join(map(re.escape, parts)) + r"\Z", re.DOTALL)


def run_case(case: Case) -> tuple[str, str]:
    """Run a case; return (exception class name, the error as shown), or raise AssertionError."""
    namespace: dict[str, Any] = {"cm": cm, "SECRET": SECRET, "signed": signed}
    *setup, last = ast.parse(case.code).body
    setup_code = compile(ast.Module(setup, type_ignores=[]), "<catalogue>", "exec")
    call = compile(ast.Expression(last.value), "<catalogue>", "eval")  # type: ignore[attr-defined]
    exec(setup_code, namespace)  # noqa: S102 (the cases are this file's own code)
    try:
        result = eval(call, namespace)  # noqa: S307
    except cm.ParseError as err:
        if len(err.errors) != 1:
            raise AssertionError(f"expected one error, got {len(err.errors)}: {err}") from None
        detail = err.errors[0]
        if not _form_pattern(case.form).match(detail.message):
            raise AssertionError(f"{detail.message!r} does not match {case.form!r}") from None
        return type(err).__name__, f"{type(err).__name__}: {err}"
    except stripe.SignatureVerificationError as err:
        if not _form_pattern(case.form).match(str(err)):
            raise AssertionError(f"{str(err)!r} does not match {case.form!r}") from None
        return "SignatureVerificationError", f"SignatureVerificationError: {err}"
    if isinstance(result, Iterator):  # an archive iterator: the problem is in a record
        failed = [record for record in result if record.errors]
        if len(failed) != 1 or len(failed[0].errors) != 1:
            raise AssertionError(f"expected one record with one error, got {failed!r}")
        [detail] = failed[0].errors
        if not _form_pattern(case.form).match(detail.message):
            raise AssertionError(f"{detail.message!r} does not match {case.form!r}")
        return "Record", f"{failed[0].where}: {detail}"
    raise AssertionError("no exception was raised")


class ErrorExamples(SphinxDirective):
    """``error-examples GROUP``: each case of the group, its code and the error it raised."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {"class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        group = self.arguments[0]
        if group not in CASES:
            logger.warning("error-examples: unknown group %r", group, location=self.get_location())
            return []
        out: list[nodes.Node] = []
        for case in CASES[group]:
            try:
                kind, text = run_case(case)
            except AssertionError as exc:
                logger.warning(
                    "error catalogue case %r: %s", case.form, exc, location=self.get_location()
                )
                continue
            if kind != case.exception:
                logger.warning(
                    "error catalogue case %r raised %s, listed as %s",
                    case.form,
                    kind,
                    case.exception,
                    location=self.get_location(),
                )
            container = nodes.container(classes=["error-case"])
            title = nodes.paragraph(classes=["error-form"])
            title += nodes.literal(text=case.form)  # literal: no typographic quotes
            container += title
            if case.note:
                container += nodes.paragraph(text=case.note)
            container += nodes.literal_block(case.code, case.code, language="python")
            container += nodes.literal_block(text, text, language="text")
            out.append(container)
        return out


FOUND_VALUES: list[tuple[str, object]] = [
    ("null", None),
    ("true", True),
    ("false", False),
    ("42", 42),
    ("1.5", 1.5),
    ("10**200 (an integer of 201 digits)", 10**200),
    ('"card"', "card"),
    ('"' + "x" * 45 + '"', "x" * 45),
    ("[1, 2]", [1, 2]),
    ('{"a": 1}', {"a": 1}),
    ("(a Python set)", {1, 2}),
]
"""JSON values (as written in a payload) and the Python values that carry them."""


class FoundValues(SphinxDirective):
    """``found-values``: a table of how messages describe the value they found."""

    def run(self) -> list[nodes.Node]:
        table = nodes.table()
        group = nodes.tgroup(cols=2)
        table += group
        group += nodes.colspec(colwidth=1)
        group += nodes.colspec(colwidth=2)
        head = nodes.thead()
        group += head
        head += self._row("value in the payload", "shown in the message as", literal=False)
        body = nodes.tbody()
        group += body
        for shown, value in FOUND_VALUES:
            # A required string field reports every non-string; an integer field, strings.
            data = (
                {"id": "cs_test_1", "amount_total": value}
                if isinstance(value, str)
                else {"id": value}
            )
            try:
                cm.parse_session(data)
            except cm.ParseError as err:
                found = err.errors[0].message.partition(", found ")[2]
            else:
                logger.warning("found-values: %s did not fail", shown, location=self.get_location())
                continue
            body += self._row(shown, found)
        return [table]

    @staticmethod
    def _row(left: str, right: str, literal: bool = True) -> nodes.row:
        row = nodes.row()
        for text in (left, right):
            entry = nodes.entry()
            para = nodes.paragraph()
            para += nodes.literal(text=text) if literal else nodes.Text(text)
            entry += para
            row += entry
        return row


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("error-examples", ErrorExamples)
    app.add_directive("found-values", FoundValues)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
