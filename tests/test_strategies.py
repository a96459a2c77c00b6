"""The public Hypothesis strategies: a user's property test, and what each strategy promises."""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import checkout_model as cm
from checkout_model import strategies
from checkout_model._converter import structure, unstructure
from checkout_model._hypothesis_plugin import _model_classes
from checkout_model._model import StripeModel
from checkout_model._schema import Kind, schema
from checkout_model.events import Event, EventType

# ------------------------------------------------------------------------------------------------
# What a user writes: a fulfilment function, and properties of it over generated sessions


def items_to_ship(session: cm.Session) -> Counter[str]:
    """How many of each price to ship: only for a complete session whose money has arrived."""
    if session.status != cm.Status.COMPLETE or session.payment_status == cm.PaymentStatus.UNPAID:
        return Counter()
    if session.line_items is None or session.line_items.data is None:
        return Counter()
    return Counter(
        {
            item.price.id: item.quantity
            for item in session.line_items.data
            if item.price is not None and item.quantity
        }
    )


@given(strategies.sessions(payment_status="unpaid"))
def test_unpaid_sessions_ship_nothing(session: cm.Session) -> None:
    assert Counter() == items_to_ship(session)


@given(strategies.sessions(status="open"))
def test_open_sessions_ship_nothing(session: cm.Session) -> None:
    assert Counter() == items_to_ship(session)


@given(strategies.sessions(status="complete", payment_status="paid", expanded_line_items=True))
def test_paid_sessions_ship_every_priced_item(session: cm.Session) -> None:
    assert session.line_items is not None
    assert session.line_items.data
    shipped = items_to_ship(session)
    priced = {i.price.id for i in session.line_items.data if i.price is not None and i.quantity}
    assert priced == set(shipped)
    assert all(quantity > 0 for quantity in shipped.values())


@given(st.from_type(cm.Session))
def test_fulfilment_never_crashes_on_any_session(session: cm.Session) -> None:
    assert all(quantity > 0 for quantity in items_to_ship(session).values())


@given(strategies.sessions(unknown_fields=True, unknown_enum_values=True))
def test_fulfilment_survives_what_stripe_adds_later(session: cm.Session) -> None:
    shipped = items_to_ship(session)
    if shipped:
        assert cm.Status.COMPLETE == session.status


# ------------------------------------------------------------------------------------------------
# What the strategies promise (checked on fewer examples than the parser's properties)

light = settings(max_examples=max(10, settings().max_examples // 4))


def _ints(value: Any) -> list[int]:
    if isinstance(value, dict):
        return [i for item in value.values() for i in _ints(item)]
    if isinstance(value, list):
        return [i for item in value for i in _ints(item)]
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    return []


@light
@given(strategies.session_payloads())
def test_payloads_are_json_with_non_negative_integers_and_real_ids(payload: dict[str, Any]) -> None:
    assert payload == orjson.loads(orjson.dumps(payload))
    assert all(i >= 0 for i in _ints(payload))
    live = payload.get("livemode") is True
    assert payload["id"].startswith("cs_live_" if live else "cs_test_")
    customer = payload.get("customer")
    if isinstance(customer, dict):
        customer = customer["id"]
    assert customer is None or customer.startswith("cus_")
    assert "checkout.session" == payload.get("object", "checkout.session")


@light
@given(strategies.sessions(mode="setup"))
def test_setup_sessions_have_a_setup_intent(session: cm.Session) -> None:
    assert cm.Mode.SETUP == session.mode
    assert session.setup_intent is not None


@light
@given(strategies.sessions(mode=cm.Mode.SUBSCRIPTION, status=cm.Status.COMPLETE))
def test_complete_subscription_sessions_have_a_subscription(session: cm.Session) -> None:
    assert cm.Mode.SUBSCRIPTION == session.mode
    assert cm.Status.COMPLETE == session.status
    assert session.subscription is not None


@light
@given(strategies.session_payloads(api_version="2019"))
def test_2019_payloads_have_only_2019_keys(payload: dict[str, Any]) -> None:
    assert "display_items" in payload
    assert not {"status", "payment_status", "created", "line_items"} & set(payload)
    assert payload["display_items"]
    cm.parse_session(payload, strict=True)


@light
@given(strategies.session_payloads(api_version="current", expanded_line_items=False))
def test_current_payloads_have_every_key_but_display_items(payload: dict[str, Any]) -> None:
    expected = set(attrs.fields_dict(cm.Session)) - {
        "_unknown",
        "_absent",
        "display_items",
        "line_items",
    }
    assert expected == set(payload)


@light
@given(strategies.session_payloads(expanded_line_items=True, payment_status="paid"))
def test_expanded_line_items_are_a_non_empty_list(payload: dict[str, Any]) -> None:
    assert "list" == payload["line_items"]["object"]
    assert payload["line_items"]["data"]
    assert "paid" == payload["payment_status"]


@light
@given(strategies.session_payloads(unknown_fields=True, api_version="mixed"))
def test_unknown_field_names_never_collide_with_known_ones(payload: dict[str, Any]) -> None:
    session = cm.parse_session(payload)
    assert all(name.startswith("new_") for name in session.unknown_fields)


@pytest.mark.parametrize(
    "arguments",
    [
        {"api_version": "2019", "status": "open"},
        {"api_version": "2019", "payment_status": "paid"},
        {"api_version": "2019", "expanded_line_items": True},
    ],
)
def test_impossible_session_shapes_are_refused(arguments: dict[str, Any]) -> None:
    with pytest.raises(InvalidArgument, match="2019"):
        strategies.session_payloads(**arguments)


def test_impossible_event_shapes_are_refused() -> None:
    with pytest.raises(InvalidArgument, match="2019"):
        strategies.event_payloads(api_version="2019", type="checkout.session.expired")


@pytest.mark.parametrize(
    ("make", "named"),
    [
        (lambda: strategies.sessions(mode="paymnet"), "'payment', 'setup', 'subscription'"),
        (lambda: strategies.session_payloads(status="done"), "'complete', 'expired', 'open'"),
        (lambda: strategies.sessions(payment_status="PAID"), "'no_payment_required', 'paid'"),
        (lambda: strategies.sessions(mode=cm.Unknown[cm.Mode]("x")), "'payment'"),
        (lambda: strategies.sessions(status=cm.Mode.PAYMENT), "'complete'"),
        (lambda: strategies.sessions(api_version="2020"), "'current', 'mixed', '2019'"),  # type: ignore[arg-type]
        (lambda: strategies.sessions(api_version=cm.Mode.PAYMENT), "'current'"),  # type: ignore[arg-type]
        (lambda: strategies.events(type="invoice.paid"), "'checkout.session.async_payment_failed'"),
        (lambda: strategies.event_payloads(mode="installments"), "'payment'"),
        (lambda: strategies.events(api_version="newest"), "'mixed'"),  # type: ignore[arg-type]
        (lambda: strategies.sessions(expanded_line_items="yes"), "True or False"),  # type: ignore[arg-type]
        (lambda: strategies.sessions(unknown_fields=1), "True or False"),  # type: ignore[arg-type]
        (lambda: strategies.events(unknown_enum_values=None), "True or False"),  # type: ignore[arg-type]
        (lambda: strategies.model_payloads(dict), "model class"),  # type: ignore[arg-type]
        (lambda: strategies.models(cm.Price, max_depth=-1), ">= 0"),
        (lambda: strategies.models(cm.Price, absent_fields="no"), "True or False"),  # type: ignore[arg-type]
    ],
)
def test_arguments_are_checked_when_the_strategy_is_defined(make: Any, named: str) -> None:
    """No draw is needed: a wrong argument fails where the test is written, naming what fits."""
    with pytest.raises(InvalidArgument, match=re.escape(named)) as caught:
        make()
    assert isinstance(caught.value, ValueError)  # what these checks raised before


@pytest.mark.parametrize(
    "make",
    [
        lambda: strategies.sessions(mode=cm.Mode.SETUP, status="open", payment_status="unpaid"),
        lambda: strategies.sessions(api_version="2019", mode="payment"),
        lambda: strategies.events(type=EventType.CHECKOUT_SESSION_EXPIRED, mode="subscription"),
        lambda: strategies.events(type="checkout.session.completed", api_version="2019"),
    ],
)
def test_valid_arguments_are_accepted_as_members_or_strings(make: Any) -> None:
    make()


def test_the_payload_era_alias_has_a_name_of_its_own() -> None:
    assert "PayloadEra" in strategies.__all__
    assert "ApiVersion" not in strategies.__all__  # cm.ApiVersion is the API version class
    assert strategies.ApiVersion is strategies.PayloadEra  # the old name keeps working


def test_generated_names_and_values_can_never_be_known_ones() -> None:
    """Unknown fields and enum values carry a prefix no known one has (so no draw is filtered)."""
    for cls in _model_classes(StripeModel):
        for field in schema(cls).fields:
            assert not field.key.startswith("new_"), (cls, field.key)
            tp = field.type
            while tp.item is not None:
                tp = tp.item
            if tp.kind is Kind.ENUM:
                assert tp.cls is not None
                assert issubclass(tp.cls, cm.OpenEnum)
                assert not any(m.value.startswith("new_") for m in tp.cls), tp.cls


@given(st.integers(0, 10**30), st.integers(0, 10**30))
def test_strings_are_one_number_each(a: int, b: int) -> None:
    alphabet = "ab\u00e9\U0001f600"
    spelled = [strategies._spell(alphabet, 0, n) for n in (a, b)]
    assert (a == b) == (spelled[0] == spelled[1])
    assert all(set(text) <= set(alphabet) for text in spelled)
    assert "" == strategies._spell(alphabet, 0, 0)
    assert "a" == strategies._spell(alphabet, 1, 0)


EXPECTED_STATE = {
    EventType.CHECKOUT_SESSION_EXPIRED: (cm.Status.EXPIRED, {cm.PaymentStatus.UNPAID}),
    EventType.CHECKOUT_SESSION_ASYNC_PAYMENT_SUCCEEDED: (
        cm.Status.COMPLETE,
        {cm.PaymentStatus.PAID},
    ),
    EventType.CHECKOUT_SESSION_ASYNC_PAYMENT_FAILED: (
        cm.Status.COMPLETE,
        {cm.PaymentStatus.UNPAID},
    ),
    EventType.CHECKOUT_SESSION_COMPLETED: (cm.Status.COMPLETE, set(cm.PaymentStatus)),
}


@light
@given(st.sampled_from(EventType), st.data())
def test_events_carry_the_session_their_type_implies(
    event_type: EventType, data: st.DataObject
) -> None:
    event = data.draw(strategies.events(type=event_type, api_version="current"))
    status, payment_statuses = EXPECTED_STATE[event_type]
    assert event_type == event.type
    assert event.id.startswith("evt_")
    assert status == event.session.status
    assert event.session.payment_status in payment_statuses
    assert event.session.line_items is None


@light
@given(strategies.events(api_version="2019", mode="payment"))
def test_2019_events_are_completions_without_status(event: Event) -> None:
    assert EventType.CHECKOUT_SESSION_COMPLETED == event.type
    assert event.session.status is None
    assert "status" in event.session.absent_fields
    assert cm.Mode.PAYMENT == event.session.mode


@light
@given(strategies.line_items())
def test_line_items_have_item_ids(item: cm.LineItem) -> None:
    assert item.id.startswith("li_")
    assert item.price is None or item.price.id.startswith("price_")


MODEL_CLASSES = sorted(_model_classes(StripeModel), key=lambda cls: cls.__name__)


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda cls: cls.__name__)
@settings(max_examples=5)
@given(data=st.data())
def test_from_type_builds_every_model_class(cls: type[StripeModel], data: st.DataObject) -> None:
    obj = data.draw(st.from_type(cls))
    assert cls is type(obj)
    # dump_event writes Event.api_version (an ApiVersion, a str subclass) back as a plain str
    dumped = cm.dump_event(obj) if isinstance(obj, Event) else unstructure(obj)
    assert obj == structure(dumped, cls, strict=True)


@light
@given(strategies.model_payloads(cm.Price, absent_fields=False, max_depth=0))
def test_depth_bound_leaves_ids_where_objects_would_nest(payload: dict[str, Any]) -> None:
    assert set(attrs.fields_dict(cm.Price)) - {"_unknown", "_absent"} == set(payload)
    assert payload["product"] is None or isinstance(payload["product"], str)
    assert {} == payload["currency_options"]
    assert payload["tiers"] in ([], None)
    assert payload["recurring"] is None


@light
@given(strategies.models(cm.Coupon, unknown_enum_values=True))
def test_models_parses_any_class(coupon: cm.Coupon) -> None:
    assert isinstance(coupon, cm.Coupon)


@light
@given(strategies.json_values())
def test_json_values_are_json(value: Any) -> None:
    assert value == orjson.loads(orjson.dumps(value))


@light
@given(strategies.ids("cus_"))
def test_ids_have_their_prefix(value: str) -> None:
    assert value.startswith("cus_")
    assert value[4:].isalnum()


@pytest.mark.parametrize("cls", [cm.Session, cm.LineItem, Event, cm.Price])
@light
@given(data=st.data())
def test_from_type_is_registered_for_the_public_classes(cls: type, data: st.DataObject) -> None:
    assert isinstance(data.draw(st.from_type(cls)), cls)


def test_only_the_package_s_own_classes_are_registered() -> None:
    @attrs.frozen(kw_only=True)
    class Elsewhere(StripeModel):
        """A model class some other package derives."""

    found = _model_classes(StripeModel)
    assert Elsewhere not in found
    assert cm.Session in found
    assert len(found) == len(set(found))


# ------------------------------------------------------------------------------------------------
# In a user's project: the entry point, import order, default health checks under load


def _python(code: str, cwd: Path, *, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter (the one running the tests, so the installed package),
    with Hypothesis's default settings: no ``CI`` profile, no profile of this project."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    env.pop("CHECKOUT_MODEL_HYPOTHESIS_PROFILE", None)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_the_entry_point_is_the_tiny_module() -> None:
    hooks = [e.value for e in importlib.metadata.entry_points(group="hypothesis")]
    assert "_checkout_model_hypothesis:_hypothesis_setup_hook" in hooks


def test_importing_hypothesis_imports_neither_checkout_model_nor_stripe(tmp_path: Path) -> None:
    done = _python(
        "import sys, hypothesis\n"
        "from hypothesis import strategies\n"
        "print(sorted(m for m in sys.modules if m.startswith(('checkout_model', 'stripe'))))\n",
        tmp_path,
    )
    assert 0 == done.returncode, done.stderr
    assert "[]" == done.stdout.strip()


FROM_TYPE_CHECK = """
from hypothesis import given, settings, strategies as st
seen = []

@settings(max_examples=5, database=None)
@given(st.from_type(cm.Session), st.from_type(cm.Event), st.from_type(cm.Price))
def check(session, event, price):
    # Ids as the package's strategies make them (st.builds would make any text)
    assert session.id.startswith(("cs_test_", "cs_live_")), session.id
    assert event.id.startswith("evt_") and price.id.startswith("price_")
    seen.append(session)

check()
print(len(seen))
"""


@pytest.mark.parametrize(
    "imports",
    [
        "import hypothesis\nimport checkout_model as cm\n",
        "import checkout_model as cm\nimport hypothesis\n",
        "from checkout_model import strategies\nimport checkout_model as cm\n",
        "import checkout_model as cm\nfrom hypothesis import strategies\n",
    ],
    ids=["hypothesis-first", "checkout_model-first", "strategies-first", "hypothesis-later"],
)
def test_from_type_works_in_either_import_order(imports: str, tmp_path: Path) -> None:
    done = _python(imports + FROM_TYPE_CHECK, tmp_path)
    assert 0 == done.returncode, done.stderr
    assert "5" == done.stdout.strip()


def _readme_property_example() -> str:
    readme = Path(__file__).resolve().parent.parent / "README.md"
    blocks = re.findall(r"^```python\n(.*?)^```", readme.read_text("utf-8"), re.M | re.S)
    [example] = [b for b in blocks if "strategies.sessions(" in b and "@given" in b]
    return str(example)


USER_TESTS = """
from hypothesis import given

import checkout_model as cm
from checkout_model import strategies


@given(strategies.sessions())
def test_any_session(session: cm.Session) -> None:
    assert session.id


@given(strategies.sessions(unknown_fields=True, unknown_enum_values=True, expanded_line_items=True))
def test_sessions_with_everything(session: cm.Session) -> None:
    assert session.line_items is not None


@given(strategies.events())
def test_any_event(event: cm.Event) -> None:
    assert event.session.id
"""


def test_a_user_suite_passes_the_default_health_checks_under_load(tmp_path: Path) -> None:
    """The README's example and a few default-settings tests, copied into a fresh project (no
    conftest, no .hypothesis directory, no suppressed checks), while another process keeps a
    CPU busy."""
    example = _readme_property_example()
    assert "suppress_health_check" not in example
    (tmp_path / "test_readme_example.py").write_text(example, "utf-8")
    (tmp_path / "test_user.py").write_text(textwrap.dedent(USER_TESTS), "utf-8")
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        done = _python(
            "import sys, pytest; sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider']))",
            tmp_path,
        )
    finally:
        burner.kill()
        burner.wait()
    assert 0 == done.returncode, done.stdout[-4000:]
    assert "4 passed" in done.stdout


@given(strategies.models(cm.Event))
def test_generated_events_carry_real_api_versions(event: cm.Event) -> None:
    """The strategy for any model fills a string-valued class (ApiVersion) with valid values."""
    assert event.api_version is None or isinstance(event.api_version, cm.ApiVersion)
    assert event == cm.parse_event(cm.dump_event(event))
