"""Realistic payloads of every shape parse, check field by field, and round-trip unchanged."""

from __future__ import annotations

import json
import pickle
import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
from stripe.checkout import Session as StripeSession

import checkout_model as cm
from checkout_model._json import thaw

PAYLOADS = Path(__file__).parent / "payloads"
EXAMPLE = Path(cm.__file__).parent / "data" / "example_session.json"
FILES = sorted(PAYLOADS.glob("*.json"))
NAMES = [f.stem for f in FILES]
#: Payloads that carry fields or enum values the model does not know (on purpose).
UNKNOWNS = {"unknown_fields"}


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text())
    return data


def session_of(name: str) -> cm.Session:
    return cm.parse_session(load(name))


def test_every_scenario_has_a_payload() -> None:
    expected = {
        "v2019_minimal",
        "payment_expanded",
        "subscription",
        "setup",
        "expired",
        "unknown_fields",
        "every_field",
        "payment_link",
        "embedded",
        "adaptive_pricing",
        "v2020_08_27",
        "v2022_08_01",
        "v2023_10_16",
        "v2025_03_31_basil",
        "v2026_03_25_dahlia",
    }
    assert expected == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_round_trip_through_dict_str_and_bytes(name: str) -> None:
    raw = (PAYLOADS / f"{name}.json").read_bytes()
    payload = json.loads(raw)
    for data in (payload, raw, raw.decode()):
        session = cm.parse_session(data)
        assert payload == cm.dump_session(session)
    # The dump is plain JSON: it serializes and reads back to the same document.
    assert payload == json.loads(json.dumps(cm.dump_session(session)))
    assert payload == orjson.loads(orjson.dumps(cm.dump_session(session)))


@pytest.mark.parametrize("name", NAMES)
def test_parse_of_dump_is_equal_hashable_and_picklable(name: str) -> None:
    session = session_of(name)
    again = cm.parse_session(cm.dump_session(session))
    assert session == again
    assert hash(session) == hash(again)
    assert session == pickle.loads(pickle.dumps(session))
    assert {session, again} == {session}


@pytest.mark.parametrize("name", [n for n in NAMES if n not in UNKNOWNS])
def test_strict_mode_accepts_every_known_shape(name: str) -> None:
    payload = load(name)
    assert cm.parse_session(payload) == cm.parse_session(payload, strict=True)


@pytest.mark.parametrize("name", NAMES)
def test_typed_fields_mirror_the_payload(name: str) -> None:
    """Each top-level key becomes its field: null stays None, absent is remembered as absent."""
    payload = load(name)
    session = cm.parse_session(payload)
    names = {f.name for f in attrs.fields(cm.Session)}
    for key, value in payload.items():
        if key in names:
            assert (value is None) == (getattr(session, key) is None), key
        else:
            assert value == thaw(session.unknown_fields[key])
    assert names - {"_unknown", "_absent"} - payload.keys() == session.absent_fields


def test_payment_session_with_expanded_line_items() -> None:
    session = session_of("payment_expanded")
    assert cm.Mode.PAYMENT == session.mode
    assert cm.Status.COMPLETE == session.status
    assert cm.PaymentStatus.PAID == session.payment_status
    assert "usd" == session.currency
    assert (6800, 7459) == (session.amount_subtotal, session.amount_total)
    assert datetime(2026, 11, 12, 15, 4, 27, tzinfo=UTC) == session.created  # 1794495867
    assert "cus_M9NLpJbPfvafio" == session.customer
    assert session.customer_details is not None
    assert session.customer_details.address is not None
    assert "Brooklyn" == session.customer_details.address.city
    assert cm.enums.TaxExempt.NONE == session.customer_details.tax_exempt
    assert session.total_details is not None
    assert (680, 795, 544) == (
        session.total_details.amount_discount,
        session.total_details.amount_shipping,
        session.total_details.amount_tax,
    )
    breakdown = session.total_details.breakdown
    assert breakdown is not None
    assert breakdown.taxes is not None
    rate = breakdown.taxes[0].rate
    assert isinstance(rate, cm.TaxRate)
    assert 8.875 == rate.percentage
    assert cm.enums.TaxType.SALES_TAX == rate.tax_type
    assert session.shipping_cost is not None
    assert "shr_1mvJOsRk7bT4JHs2bLsbtMHV" == session.shipping_cost.shipping_rate

    assert session.line_items is not None
    assert session.line_items.data is not None
    first = session.line_items.data[0]
    assert ("li_1BjyEURk7bT4JHs2cYHe5bzU", 3528) == (first.id, first.amount_total)
    assert "Merino Wool Hiking Socks" == first.description
    assert first.discounts is not None
    discount = first.discounts[0].discount
    assert isinstance(discount, cm.Discount)
    assert discount.source is not None
    assert "HIKE10" == discount.source.coupon
    assert first.price is not None
    assert "merino_socks_m" == first.price.lookup_key
    assert cm.enums.BillingScheme.PER_UNIT == first.price.billing_scheme
    product = first.price.product
    assert isinstance(product, cm.Product)
    assert "Merino Wool Hiking Socks" == product.name
    assert product.metadata is not None
    assert {"sku": "RO-SOCK-MER-M"} == product.metadata
    assert cm.FrozenDict() == first.metadata


def test_subscription_session() -> None:
    session = session_of("subscription")
    assert cm.Mode.SUBSCRIPTION == session.mode
    assert "sub_1yKcn0Rk7bT4JHs2hi7GoQPA" == session.subscription
    assert "cus_XBPkLfG0m7JAzq" == session.customer
    assert session.invoice is not None
    assert session.line_items is not None
    assert session.line_items.data is not None
    price = session.line_items.data[0].price
    assert price is not None
    assert price.recurring is not None
    assert cm.enums.Interval.MONTH == price.recurring.interval
    assert cm.enums.TiersMode.VOLUME == price.tiers_mode
    assert price.tiers


def test_setup_session() -> None:
    session = session_of("setup")
    assert cm.Mode.SETUP == session.mode
    assert "seti_1utnQlRk7bT4JHs2QOqlrWDZ" == session.setup_intent
    assert cm.PaymentStatus.NO_PAYMENT_REQUIRED == session.payment_status
    assert (None, None, None) == (session.amount_total, session.currency, session.total_details)
    assert "line_items" in session.absent_fields


def test_expired_session() -> None:
    session = session_of("expired")
    assert cm.Status.EXPIRED == session.status
    assert cm.PaymentStatus.UNPAID == session.payment_status
    assert session.url is None
    assert session.after_expiration is not None
    assert session.after_expiration.recovery is not None
    assert session.after_expiration.recovery.enabled is True
    assert isinstance(session.expires_at, datetime)


def test_unknown_fields_and_values_are_kept_at_every_depth() -> None:
    payload = load("unknown_fields")
    session = cm.parse_session(payload)
    assert payload["future_field"] == thaw(session.unknown_fields["future_field"])
    assert session.automatic_tax is not None
    assert "review_reason" in session.automatic_tax.unknown_fields
    assert session.customer_details is not None
    assert session.customer_details.address is not None
    assert "district" in session.customer_details.address.unknown_fields
    for value, text in [
        (session.mode, "future_mode"),
        (session.locale, "xx-YY"),
        (session.payment_status, "partially_paid"),
        (session.automatic_tax.status, "pending_review"),
    ]:
        assert isinstance(value, cm.Unknown)
        assert text == value
        assert not value.is_known
    assert type(session.mode) is cm.Unknown[cm.Mode]
    assert session.line_items is not None
    assert session.line_items.data is not None
    price = session.line_items.data[0].price
    assert price is not None
    assert "usage_meter_v2" in price.unknown_fields
    assert "metered_future" == price.type
    assert Decimal("12.5") == price.unit_amount_decimal
    assert payload == cm.dump_session(session)


def _locate(data: Any, path: str) -> tuple[Any, str | int]:
    """The container and key a JSONPath such as ``$.line_items.data[0].price.type`` names."""
    parts: list[str | int] = [
        int(index) if index else key for key, index in re.findall(r"\.(\w+)|\[(\d+)\]", path)
    ]
    for part in parts[:-1]:
        data = data[part]
    return data, parts[-1]


#: A known value for each unknown enum value in unknown_fields.json.
KNOWN_VALUES = {
    "$.mode": "payment",
    "$.locale": "auto",
    "$.payment_status": "paid",
    "$.automatic_tax.status": "complete",
    "$.line_items.data[0].price.type": "one_time",
}


def test_strict_mode_names_every_unknown_one_by_one() -> None:
    """Strict parsing fails on each unknown field and value in turn, naming its path."""
    payload = load("unknown_fields")
    found: list[str] = []
    for _ in range(20):
        try:
            cm.parse_session(payload, strict=True)
            break
        except cm.ParseError as exc:
            (detail,) = exc.errors
            found.append(detail.path)
            container, key = _locate(payload, detail.path)
            if "unknown field" in detail.message:
                del container[key]
            else:
                assert "strict mode" in detail.message
                container[key] = KNOWN_VALUES[detail.path]
    assert {
        "$.future_field",
        "$.automatic_tax.review_reason",
        "$.customer_details.address.district",
        "$.line_items.data[0].price.usage_meter_v2",
        "$.mode",
        "$.locale",
        "$.payment_status",
        "$.automatic_tax.status",
        "$.line_items.data[0].price.type",
    } == set(found)
    assert 9 == len(found)


def test_every_current_top_level_field_is_populated() -> None:
    payload = load("every_field")
    session = cm.parse_session(payload)
    sdk_fields = {n for n in StripeSession.__annotations__ if not n.startswith("_")} - {
        "OBJECT_NAME"
    }
    assert 69 == len(sdk_fields)
    assert sdk_fields <= payload.keys()
    unset = {n for n in sdk_fields if getattr(session, n) is None}
    # Fields a completed hosted payment session cannot carry (see tests/payloads/README.md).
    assert {
        "client_secret",
        "return_url",
        "redirect_on_completion",
        "url",
        "setup_intent",
        "subscription",
        "currency_conversion",
    } == unset
    assert session.payment_method_options is not None
    assert session.payment_method_options.card is not None
    assert session.custom_fields is not None
    assert {
        cm.enums.CustomFieldType.DROPDOWN,
        cm.enums.CustomFieldType.NUMERIC,
        cm.enums.CustomFieldType.TEXT,
    } <= {f.type for f in session.custom_fields}
    assert session.discounts is not None
    assert isinstance(session.discounts[0].promotion_code, cm.PromotionCode)


def test_payment_link_session() -> None:
    session = session_of("payment_link")
    assert "plink_1fFtkXRk7bT4JHs2gIxqKf2r" == session.payment_link
    assert cm.OriginContext.WEB == session.origin_context
    assert session.line_items is not None
    assert session.line_items.data is not None
    assert any(item.adjustable_quantity for item in session.line_items.data)


def test_embedded_session_keeps_its_client_secret_out_of_repr() -> None:
    payload = load("embedded")
    session = cm.parse_session(payload)
    assert cm.UiMode.EMBEDDED_PAGE == session.ui_mode
    assert session.client_secret is not None
    assert session.client_secret.startswith("cs_test_")
    assert payload["client_secret"] == session.client_secret
    assert session.client_secret not in repr(session)
    assert session.client_secret not in str(session)
    assert "client_secret" not in repr(session)
    assert session.return_url is not None
    assert (None, None, None) == (session.success_url, session.cancel_url, session.url)
    assert cm.RedirectOnCompletion.ALWAYS == session.redirect_on_completion
    assert payload["client_secret"] == cm.dump_session(session)["client_secret"]


def test_adaptive_pricing_session() -> None:
    session = session_of("adaptive_pricing")
    assert session.adaptive_pricing is not None
    assert session.adaptive_pricing.enabled is True
    assert session.presentment_details is not None
    assert (4526, "eur") == (
        session.presentment_details.presentment_amount,
        session.presentment_details.presentment_currency,
    )
    assert session.currency_conversion is not None
    assert "usd" == session.currency_conversion.source_currency
    assert Decimal("0.9237") == session.currency_conversion.fx_rate


def test_2019_session_with_display_items() -> None:
    session = session_of("v2019_minimal")
    assert 16 == len(cm.dump_session(session))
    assert session.display_items is not None
    first = session.display_items[0]
    assert (1500, 2, "custom") == (first.amount, first.quantity, first.type)
    assert first.custom is not None
    assert "Harbor at Dusk (print)" == first.custom.name
    assert {"created", "mode", "status", "amount_total"} <= session.absent_fields
    assert session.created is None


def test_2020_08_27_session_with_legacy_shipping() -> None:
    session = session_of("v2020_08_27")
    assert session.shipping is not None
    assert "Olivia Grant" == session.shipping.name
    assert session.shipping.address is not None
    assert "Portland" == session.shipping.address.city
    assert {"status", "display_items", "shipping_rate", "automatic_tax"} <= session.absent_fields


def test_2022_08_01_session_with_shipping_details() -> None:
    session = session_of("v2022_08_01")
    assert session.shipping_details is not None
    assert session.shipping_cost is not None
    assert session.shipping_options is not None
    assert {"shipping", "shipping_rate", "ui_mode"} <= session.absent_fields


def test_2023_10_16_session_with_old_ui_mode_and_discount_shape() -> None:
    session = session_of("v2023_10_16")
    assert cm.UiMode.HOSTED == session.ui_mode
    assert session.ui_mode.is_known
    assert session.shipping_details is not None
    assert session.line_items is not None
    assert session.line_items.data is not None
    item = session.line_items.data[0]
    assert item.discounts is not None
    discount = item.discounts[0].discount
    assert isinstance(discount, cm.Discount)
    assert isinstance(discount.coupon, cm.Coupon)


def test_basil_and_dahlia_sessions() -> None:
    basil = session_of("v2025_03_31_basil")
    assert cm.UiMode.HOSTED == basil.ui_mode
    assert basil.permissions is not None
    assert "branding_settings" in basil.absent_fields
    dahlia = session_of("v2026_03_25_dahlia")
    assert cm.UiMode.HOSTED_PAGE == dahlia.ui_mode
    assert "managed_payments" in dahlia.absent_fields
    assert "branding_settings" not in dahlia.absent_fields


def test_bundled_example_is_a_valid_current_session() -> None:
    payload = json.loads(EXAMPLE.read_text())
    session = cm.parse_session(payload, strict=True)
    assert payload == cm.dump_session(session)
    assert session.line_items is not None
    assert session.line_items.data is not None
    assert 2 == len(session.line_items.data)
