"""API versions: ApiVersion, and the answers and reads that stay right across every version."""

from __future__ import annotations

import copy
import itertools
import json
import pickle
from datetime import date
from pathlib import Path
from typing import Any, assert_type

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import checkout_model as cm
from checkout_model import strategies

PAYLOADS = Path(__file__).parent / "payloads"

# Every named version Stripe has released with a Checkout Session in it, oldest first (a sample
# of the date-only ones, then the named releases).
RELEASED = [
    "2019-03-14",
    "2019-05-16",
    "2019-09-09",
    "2020-03-02",
    "2020-08-27",
    "2022-08-01",
    "2022-11-15",
    "2023-10-16",
    "2024-06-20",
    "2024-09-30.acacia",
    "2025-03-31.basil",
    "2025-09-30.clover",
    "2026-03-25.dahlia",
    "2026-10-28.endive",
]


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PAYLOADS / name).read_text())
    return data


def event_payload(session: dict[str, Any], type_: str, api_version: str | None) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": "evt_1Era5xRk7bT4JHs2",
        "object": "event",
        "api_version": api_version,
        "created": 1600000000,
        "data": {"object": session},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": type_,
    }
    if api_version is None:
        del payload["api_version"]
    return payload


# -- ApiVersion ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", RELEASED)
def test_str_and_json_give_back_exactly_the_text(text: str) -> None:
    version = cm.ApiVersion(text)
    assert text == str(version)
    assert str is type(str(version))
    assert json.dumps(text) == json.dumps(version)
    assert f"ApiVersion({text!r})" == repr(version)


def test_date_and_release() -> None:
    basil = cm.ApiVersion("2025-03-31.basil")
    assert_type(basil.date, date)
    assert_type(basil.release, str | None)
    assert date(2025, 3, 31) == basil.date
    assert "basil" == basil.release
    old = cm.ApiVersion("2019-05-16")
    assert date(2019, 5, 16) == old.date
    assert None is old.release


def test_released_versions_are_in_order() -> None:
    versions = [cm.ApiVersion(text) for text in RELEASED]
    shuffled = versions[7:] + versions[:7]
    assert versions == sorted(shuffled)
    for older, newer in itertools.pairwise(versions):
        assert older < newer
        assert older <= newer
        assert newer > older
        assert newer >= older
        assert not newer < older
        assert older != newer


def test_a_date_only_version_sorts_before_a_named_one_of_the_same_day() -> None:
    assert cm.ApiVersion("2025-03-31") < cm.ApiVersion("2025-03-31.basil")
    assert cm.ApiVersion("2025-03-31.basil") < cm.ApiVersion("2025-03-31.clover")
    assert cm.ApiVersion("2025-03-31.zeta") < cm.ApiVersion("2025-04-01")


def test_compares_with_plain_strings() -> None:
    basil = cm.ApiVersion("2025-03-31.basil")
    assert "2025-03-31.basil" == basil
    assert basil == "2025-03-31.basil"
    assert basil != "2025-03-31"
    assert basil >= "2025-03-31"
    assert "2025-03-31" <= basil
    assert basil < "2026-03-25.dahlia"
    assert "2019-05-16" < basil
    assert {"2025-03-31.basil": 1}[basil] == 1
    assert hash("2025-03-31.basil") == hash(basil)


@pytest.mark.parametrize("other", ["basil", "", "2025-3-31", "2025-03-31.Basil"])
def test_ordering_against_a_string_that_is_not_a_version_is_a_type_error(other: str) -> None:
    basil = cm.ApiVersion("2025-03-31.basil")
    with pytest.raises(TypeError, match="cannot order"):
        assert basil < other
    with pytest.raises(TypeError, match="cannot order"):
        assert other >= basil
    with pytest.raises(TypeError):
        assert basil < 2025  # type: ignore[operator]
    assert basil != other


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2019-02-30",
        "2019-13-01",
        "19-05-16",
        "2019-5-16",
        "2019-05-16.",
        "2019-05-16.Basil",
        "2019-05-16.basil.extra",
        "2019-05-16 ",
        " 2019-05-16",
        "2019-05-16\n",
        "2019-05-16T00:00",
        "2019-05-16.bas1l",
        "२०१९-०५-१६",
        "2019-05-16.básil",
    ],
)
def test_strings_that_are_not_versions(text: str) -> None:
    with pytest.raises(ValueError, match="not a Stripe API version"):
        cm.ApiVersion(text)


def test_error_messages_do_not_grow_with_the_input() -> None:
    with pytest.raises(ValueError, match="not a Stripe API version") as info:
        cm.ApiVersion("2019-05-16." + "x" * 1_000_000)
    assert len(str(info.value)) < 200


def test_only_strings_are_versions() -> None:
    with pytest.raises(TypeError):
        cm.ApiVersion(20190516)  # type: ignore[arg-type]


def test_immutable_hashable_picklable() -> None:
    version = cm.ApiVersion("2026-10-28.endive")
    with pytest.raises(AttributeError):
        version.extra = 1  # type: ignore[attr-defined]
    back = pickle.loads(pickle.dumps(version))
    assert version == back
    assert type(back) is cm.ApiVersion
    assert "endive" == back.release
    assert cm.ApiVersion(version) is version
    assert len({version, back, "2026-10-28.endive"}) == 1


@given(
    st.dates(min_value=date(2011, 1, 1), max_value=date(2099, 12, 31)),
    st.one_of(st.none(), st.from_regex(r"[a-z]{1,12}", fullmatch=True)),
    st.dates(min_value=date(2011, 1, 1), max_value=date(2099, 12, 31)),
    st.one_of(st.none(), st.from_regex(r"[a-z]{1,12}", fullmatch=True)),
)
def test_order_is_date_then_release(
    day: date, release: str | None, other_day: date, other_release: str | None
) -> None:
    def text(d: date, r: str | None) -> str:
        return d.isoformat() + ("" if r is None else f".{r}")

    a, b = cm.ApiVersion(text(day, release)), cm.ApiVersion(text(other_day, other_release))
    assert (day, release) == (a.date, a.release)
    assert text(day, release) == str(a)
    key_a, key_b = (day, release or ""), (other_day, other_release or "")
    assert (key_a < key_b) == (a < b)
    assert (key_a <= key_b) == (a <= b)
    assert (key_a == key_b) == (a == b)
    assert (key_a > key_b) == (a > b)


# -- Event.api_version ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", RELEASED)
def test_event_api_version_is_an_api_version_and_dumps_exactly(text: str) -> None:
    payload = event_payload(load("expired.json"), "checkout.session.expired", text)
    event = cm.parse_event(json.dumps(payload))
    assert_type(event.api_version, cm.ApiVersion | None)
    assert isinstance(event.api_version, cm.ApiVersion)
    assert text == str(event.api_version)
    assert payload == cm.dump_event(event)
    assert str is type(cm.dump_event(event)["api_version"])
    assert event == cm.parse_event(payload, strict=True)
    again = pickle.loads(pickle.dumps(event))
    assert event == again
    assert hash(event) == hash(again)
    assert isinstance(again.api_version, cm.ApiVersion)
    assert f"api_version=ApiVersion({text!r})" in repr(event)


@pytest.mark.parametrize("present", [False, True])
def test_event_without_an_api_version(present: bool) -> None:
    payload = event_payload(load("expired.json"), "checkout.session.expired", None)
    if present:
        payload["api_version"] = None
    event = cm.parse_event(payload)
    assert None is event.api_version
    assert payload == cm.dump_event(event)


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2019-13-01", "expected an API version"),
        ("basil", "expected an API version"),
        ("2025-03-31.basil" + "x" * 100_000, "expected an API version"),
        (20190516, "expected a string"),
        (["2019-05-16"], "expected a string"),
    ],
)
def test_malformed_api_version_is_an_error_at_its_path(
    value: object, message: str, strict: bool
) -> None:
    payload = event_payload(load("expired.json"), "checkout.session.expired", "2019-05-16")
    payload["api_version"] = value
    with pytest.raises(cm.ParseError) as info:
        cm.parse_event(payload, strict=strict)
    [error] = info.value.errors
    assert "$.api_version" == error.path
    assert message in error.message
    assert len(str(info.value)) < 300


def test_events_built_in_code_check_their_api_version() -> None:
    event = cm.parse_event(
        event_payload(load("expired.json"), "checkout.session.expired", "2019-05-16")
    )
    newer = attrs.evolve(event, api_version=cm.ApiVersion("2026-10-28.endive"))
    assert "2026-10-28.endive" == cm.dump_event(newer)["api_version"]
    # Built by hand, the field takes an ApiVersion, never a plain string (a clear TypeError).
    with pytest.raises(TypeError, match=r"Event.api_version: expected ApiVersion, found str"):
        attrs.evolve(event, api_version="2022-08-01")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not a Stripe API version"):
        cm.ApiVersion("yesterday")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        event.api_version = None  # type: ignore[misc]


@given(strategies.event_payloads())
def test_every_generated_event_has_a_version_that_round_trips(payload: dict[str, Any]) -> None:
    event = cm.parse_event(payload)
    if payload.get("api_version") is not None:
        assert isinstance(event.api_version, cm.ApiVersion)
        assert payload["api_version"] == str(event.api_version)
    assert payload == cm.dump_event(event)


# -- the event-level answers, era by era -----------------------------------------------------------


def answers(event: cm.Event) -> tuple[bool, bool, bool]:
    return (event.is_paid, event.awaits_async_payment, event.payment_failed)


PAID, PENDING, NEITHER, FAILED = (True, False, False), (False, True, False), (False,) * 3, None


def with_status(name: str, payment_status: str | None) -> dict[str, Any]:
    session = load(name)
    if payment_status is None:
        session.pop("payment_status", None)
    else:
        session["payment_status"] = payment_status
    return session


ERAS = [
    # 2019: no payment_status, no status; a completed event meant a paid card checkout
    ("v2019_minimal.json", "2019-05-16", "checkout.session.completed", PAID),
    ("eras/v2019_10_08_setup.json", "2019-10-08", "checkout.session.completed", PAID),
    # 2020-03-02 with Bacs Direct Debit: completed, but the debit takes days
    ("eras/v2020_03_02_bacs.json", "2020-03-02", "checkout.session.completed", PENDING),
    # 2020-08-27: payment_status present, status not yet
    ("v2020_08_27.json", "2020-08-27", "checkout.session.completed", PAID),
    ("eras/v2020_08_27_dec2021.json", "2020-08-27", "checkout.session.completed", PAID),
    ("v2022_08_01.json", "2022-08-01", "checkout.session.completed", PAID),
    ("v2023_10_16.json", "2023-10-16", "checkout.session.completed", PAID),
    ("v2025_03_31_basil.json", "2025-03-31.basil", "checkout.session.completed", PAID),
    ("v2026_03_25_dahlia.json", "2026-03-25.dahlia", "checkout.session.completed", PAID),
    ("setup.json", "2026-10-28.endive", "checkout.session.completed", PAID),
    ("expired.json", "2026-10-28.endive", "checkout.session.expired", NEITHER),
]


@pytest.mark.parametrize(("name", "version", "type_", "expected"), ERAS)
def test_event_answers_in_every_era(
    name: str, version: str, type_: str, expected: tuple[bool, bool, bool]
) -> None:
    event = cm.parse_event(event_payload(load(name), type_, version))
    assert expected == answers(event)


@pytest.mark.parametrize("version", ["2019-05-16", "2020-03-02", "2020-08-27"])
def test_completed_before_payment_status_existed_is_paid(version: str) -> None:
    event = cm.parse_event(
        event_payload(load("v2019_minimal.json"), "checkout.session.completed", version)
    )
    assert "payment_status" in event.session.absent_fields
    assert not event.session.is_paid  # the session alone cannot tell
    assert event.is_paid
    assert not event.awaits_async_payment


def test_completed_without_a_version_is_read_as_the_oldest_kind() -> None:
    event = cm.parse_event(
        event_payload(load("v2019_minimal.json"), "checkout.session.completed", None)
    )
    assert event.is_paid


@pytest.mark.parametrize("version", ["2022-08-01", "2025-03-31.basil", "2026-10-28.endive"])
def test_a_missing_payment_status_in_a_version_that_always_has_it_is_not_guessed(
    version: str,
) -> None:
    session = with_status("payment_expanded.json", None)
    event = cm.parse_event(event_payload(session, "checkout.session.completed", version))
    assert NEITHER == answers(event)


@pytest.mark.parametrize(
    ("payment_status", "expected"),
    [("paid", PAID), ("no_payment_required", PAID), ("unpaid", PENDING), ("future", NEITHER)],
)
@pytest.mark.parametrize("version", ["2020-08-27", "2022-08-01", "2026-10-28.endive"])
def test_completed_reads_payment_status_when_present(
    payment_status: str, expected: tuple[bool, bool, bool], version: str
) -> None:
    session = with_status("v2020_08_27.json", payment_status)
    event = cm.parse_event(event_payload(session, "checkout.session.completed", version))
    assert expected == answers(event)


def test_2020_completed_and_unpaid_awaits_payment_though_status_is_absent() -> None:
    session = with_status("v2020_08_27.json", "unpaid")
    session["payment_method_types"] = ["bacs_debit"]
    event = cm.parse_event(event_payload(session, "checkout.session.completed", "2020-08-27"))
    assert "status" in event.session.absent_fields
    assert not event.session.awaits_async_payment  # the session alone cannot tell
    assert event.awaits_async_payment


@pytest.mark.parametrize("methods", [["sepa_debit"], ["card", "bacs_debit"], ["boleto"]])
def test_legacy_completion_with_a_delayed_method_awaits_it(methods: list[str]) -> None:
    session = load("eras/v2020_03_02_bacs.json")
    session["payment_method_types"] = methods
    event = cm.parse_event(event_payload(session, "checkout.session.completed", "2020-03-02"))
    assert PENDING == answers(event)


@pytest.mark.parametrize("version", ["2019-10-08", "2026-10-28.endive"])
def test_setup_mode_completions_need_no_payment(version: str) -> None:
    session = load("eras/v2019_10_08_setup.json")
    event = cm.parse_event(event_payload(session, "checkout.session.completed", version))
    assert PAID == answers(event)


@pytest.mark.parametrize("name", ["expired.json", "v2019_minimal.json", "payment_expanded.json"])
@pytest.mark.parametrize("version", ["2019-05-16", "2026-10-28.endive"])
def test_expired_events_are_never_paid(name: str, version: str) -> None:
    event = cm.parse_event(event_payload(load(name), "checkout.session.expired", version))
    assert NEITHER == answers(event)


@pytest.mark.parametrize("name", ["v2020_08_27.json", "v2019_minimal.json", "expired.json"])
def test_async_events_say_what_happened(name: str) -> None:
    succeeded = cm.parse_event(
        event_payload(load(name), "checkout.session.async_payment_succeeded", "2020-08-27")
    )
    assert PAID == answers(succeeded)
    failed = cm.parse_event(
        event_payload(load(name), "checkout.session.async_payment_failed", "2020-08-27")
    )
    assert (False, False, True) == answers(failed)


@given(strategies.events())
def test_answers_agree_with_the_event_type(event: cm.Event) -> None:
    is_paid, pending, failed = answers(event)
    assert not is_paid or not pending
    if event.type == cm.EventType.CHECKOUT_SESSION_EXPIRED:
        assert not is_paid
        assert not pending
        assert not failed
    if event.type == cm.EventType.CHECKOUT_SESSION_ASYNC_PAYMENT_SUCCEEDED:
        assert is_paid
    if event.type == cm.EventType.CHECKOUT_SESSION_ASYNC_PAYMENT_FAILED:
        assert failed
        assert not is_paid
    if event.type == cm.EventType.CHECKOUT_SESSION_COMPLETED:
        if event.session.payment_status is not None:
            assert event.session.is_paid == is_paid
        elif (
            event.session.mode != cm.Mode.SETUP and "payment_status" in event.session.absent_fields
        ):
            assert is_paid or pending  # a 2019-shaped completion is never left unanswered


@given(strategies.events(api_version="2019", mode="payment"))
def test_every_2019_completion_is_paid(event: cm.Event) -> None:
    assert event.is_paid


# -- version-normalized reads on Session -----------------------------------------------------------

SHIPPING = [
    # (payload, name, city): the same facts in three places over the years
    ("v2019_minimal.json", None, None),  # no shipping collected
    ("eras/v2020_03_02_bacs.json", "Tom Whitfield", "Frome"),  # shipping (2020-03)
    ("v2020_08_27.json", "Olivia Grant", "Portland"),  # shipping
    ("v2022_08_01.json", "Marcus Hill", "Chicago"),  # shipping_details (2022-08-01)
    ("v2023_10_16.json", "Nora Lindqvist", "San Francisco"),  # shipping_details
    ("v2025_03_31_basil.json", "Isla Morgan", "Bristol"),  # collected_information (basil)
    ("v2026_03_25_dahlia.json", "Theo Nakamura", "Seattle"),
    ("payment_expanded.json", "Maya Chen", "Brooklyn"),
    ("setup.json", None, None),
]


@pytest.mark.parametrize(("name", "recipient", "city"), SHIPPING)
def test_shipping_name_and_address_in_every_era(
    name: str, recipient: str | None, city: str | None
) -> None:
    raw = load(name)
    session = cm.parse_session(raw)
    assert recipient == session.shipping_name
    assert city == (session.shipping_address.city if session.shipping_address else None)
    assert raw == cm.dump_session(session)  # the raw fields stay exactly as sent


def test_shipping_reads_the_newest_place_first() -> None:
    raw = load("v2025_03_31_basil.json")
    raw["shipping_details"] = {"address": None, "name": "Old place"}
    raw["shipping"] = {"address": None, "name": "Oldest place"}
    session = cm.parse_session(raw)
    assert "Isla Morgan" == session.shipping_name
    raw["collected_information"]["shipping_details"] = None
    assert "Old place" == cm.parse_session(raw).shipping_name
    del raw["shipping_details"]
    assert "Oldest place" == cm.parse_session(raw).shipping_name
    assert None is cm.parse_session(raw).shipping_address


RATES = [
    ("v2020_08_27.json", None),
    ("eras/v2020_08_27_dec2021.json", "shr_1K6hXyRk7bT4JHs2Ground01"),  # shipping_rate (2021-11)
    ("v2022_08_01.json", "shr_1jhDLqRk7bT4JHs2B6zzWHDo"),  # shipping_cost (2022-08-01)
    ("v2025_03_31_basil.json", "shr_1XTeY9Rk7bT4JHs2ToSEkkw9"),
    ("every_field.json", "shr_1VWQEARk7bT4JHs2RgvPHAyD"),  # expanded ShippingRate
]


@pytest.mark.parametrize(("name", "rate"), RATES)
def test_selected_shipping_rate_in_every_era(name: str, rate: str | None) -> None:
    assert rate == cm.parse_session(load(name)).selected_shipping_rate


UI_MODES = [
    ("hosted", cm.UiMode.HOSTED_PAGE),
    ("hosted_page", cm.UiMode.HOSTED_PAGE),
    ("embedded", cm.UiMode.EMBEDDED_PAGE),
    ("embedded_page", cm.UiMode.EMBEDDED_PAGE),
    ("custom", cm.UiMode.ELEMENTS),
    ("elements", cm.UiMode.ELEMENTS),
    ("form", cm.UiMode.FORM),
]


@pytest.mark.parametrize(("value", "expected"), UI_MODES)
def test_ui_mode_read_under_its_dahlia_name(value: str, expected: cm.UiMode) -> None:
    raw = load("embedded.json")
    raw["ui_mode"] = value
    session = cm.parse_session(raw)
    assert expected is session.normalized_ui_mode
    assert value == session.ui_mode  # the raw field is as sent
    assert raw == cm.dump_session(session)


def test_ui_mode_in_every_era() -> None:
    assert cm.UiMode.HOSTED_PAGE is cm.parse_session(load("v2019_minimal.json")).normalized_ui_mode
    assert cm.UiMode.HOSTED_PAGE is cm.parse_session(load("v2022_08_01.json")).normalized_ui_mode
    assert cm.UiMode.HOSTED_PAGE is cm.parse_session(load("v2023_10_16.json")).normalized_ui_mode
    dahlia = cm.parse_session(load("v2026_03_25_dahlia.json"))
    assert cm.UiMode.HOSTED_PAGE is dahlia.normalized_ui_mode
    embedded = cm.parse_session(load("embedded.json"))
    assert cm.UiMode.EMBEDDED_PAGE is embedded.normalized_ui_mode


def test_ui_mode_values_stripe_adds_later_and_null() -> None:
    raw = load("embedded.json")
    raw["ui_mode"] = "hologram"
    assert cm.UiMode.of("hologram") == cm.parse_session(raw).normalized_ui_mode
    assert isinstance(cm.parse_session(raw).normalized_ui_mode, cm.Unknown)
    raw["ui_mode"] = None
    assert None is cm.parse_session(raw).normalized_ui_mode


def test_purchased_items_from_display_items() -> None:
    items = cm.parse_session(load("v2019_minimal.json")).purchased_items
    assert items is not None
    assert [("Harbor at Dusk (print)", 2, 1500, 3000), ("Shipping tube", 1, 800, 800)] == [
        (item.name, item.quantity, item.unit_amount, item.amount_total) for item in items
    ]
    assert cm.Money(3000, "usd") == items[0].total_money
    [price_item] = cm.parse_session(load("eras/v2020_03_02_bacs.json")).purchased_items or ()
    assert ("Lavender soap, 3 bars", "price_1GwQ3nRk7bT4JHs2LavSoap", 2400) == (
        price_item.name,
        price_item.price_id,
        price_item.amount_total,
    )


def test_purchased_items_from_legacy_plans_and_skus() -> None:
    raw = load("v2019_minimal.json")
    raw["display_items"] = [
        {
            "amount": 900,
            "currency": "usd",
            "plan": {"id": "plan_Gold", "object": "plan", "nickname": "Gold monthly"},
            "quantity": 1,
            "type": "plan",
        },
        {
            "amount": None,
            "currency": "usd",
            "sku": {"id": "sku_Mug", "object": "sku"},
            "type": "sku",
        },
    ]
    gold, mug = cm.parse_session(raw).purchased_items or ()
    assert ("Gold monthly", "plan_Gold", 900) == (gold.name, gold.price_id, gold.amount_total)
    assert (None, "sku_Mug", None, None) == (mug.name, mug.price_id, mug.amount_total, mug.quantity)
    assert None is mug.total_money
    odd = cm.PurchasedItem(
        name=None,
        quantity=1,
        unit_amount=1,
        amount_total=1,
        currency="not a currency",
        price_id=None,
    )
    assert None is odd.total_money


def test_purchased_items_from_line_items() -> None:
    session = cm.parse_session(load("payment_expanded.json"))
    items = session.purchased_items
    assert items is not None
    assert session.line_items is not None
    assert session.line_items.data is not None
    assert [(i.description, i.quantity, i.amount_total) for i in session.line_items.data] == [
        (item.name, item.quantity, item.amount_total) for item in items
    ]
    assert all(item.price_id and item.price_id.startswith("price_") for item in items)


def test_purchased_items_when_neither_was_sent() -> None:
    for name in ("v2022_08_01.json", "expired.json", "v2026_03_25_dahlia.json"):
        assert None is cm.parse_session(load(name)).purchased_items


def test_purchased_item_name_falls_back_to_the_product_then_the_price() -> None:
    raw = load("payment_expanded.json")
    item = raw["line_items"]["data"][0]
    item["description"] = None
    product_name = item["price"]["product"]["name"]
    assert product_name == (cm.parse_session(raw).purchased_items or ())[0].name
    item["price"]["product"] = "prod_123"
    item["price"]["nickname"] = "Socks, two pairs"
    assert "Socks, two pairs" == (cm.parse_session(raw).purchased_items or ())[0].name


@given(strategies.sessions(unknown_fields=True, unknown_enum_values=True))
def test_normalized_reads_never_fail(session: cm.Session) -> None:
    before = copy.deepcopy(cm.dump_session(session))
    session.shipping_name, session.shipping_address, session.selected_shipping_rate  # noqa: B018
    session.normalized_ui_mode, session.purchased_items  # noqa: B018
    assert before == cm.dump_session(session)


def test_public_types() -> None:
    session = cm.parse_session(load("v2025_03_31_basil.json"))
    assert_type(session.shipping_name, str | None)
    assert_type(session.shipping_address, cm.PostalAddress | None)
    assert_type(session.selected_shipping_rate, str | None)
    assert_type(session.normalized_ui_mode, cm.UiMode | cm.Unknown[cm.UiMode] | None)
    assert_type(session.purchased_items, tuple[cm.PurchasedItem, ...] | None)
