"""Money: minor units read with the right number of decimals for every kind of Stripe currency."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import checkout_model as cm
from checkout_model.money import THREE_DECIMAL_CURRENCIES, ZERO_DECIMAL_CURRENCIES


@pytest.mark.parametrize(
    ("amount", "currency", "decimal", "text"),
    [
        (1234, "usd", Decimal("12.34"), "12.34 USD"),
        (123456789, "eur", Decimal("1234567.89"), "1,234,567.89 EUR"),
        (5, "usd", Decimal("0.05"), "0.05 USD"),
        (0, "gbp", Decimal("0.00"), "0.00 GBP"),
        (-1999, "usd", Decimal("-19.99"), "-19.99 USD"),
        # zero-decimal currencies: the amount is in major units already
        (1000, "jpy", Decimal("1000"), "1,000 JPY"),
        (55000, "krw", Decimal("55000"), "55,000 KRW"),
        (250000, "vnd", Decimal("250000"), "250,000 VND"),
        (5000, "ugx", Decimal("5000"), "5,000 UGX"),
        (10, "xof", Decimal("10"), "10 XOF"),
        # three-decimal currencies: thousandths
        (5124, "kwd", Decimal("5.124"), "5.124 KWD"),
        (1000, "bhd", Decimal("1.000"), "1.000 BHD"),
        (12345670, "jod", Decimal("12345.670"), "12,345.670 JOD"),
        (500, "omr", Decimal("0.500"), "0.500 OMR"),
        (7, "tnd", Decimal("0.007"), "0.007 TND"),
        # special cases that stay two-decimal in the API
        (250000, "huf", Decimal("2500.00"), "2,500.00 HUF"),
        (9900, "twd", Decimal("99.00"), "99.00 TWD"),
        (50000, "isk", Decimal("500.00"), "500 ISK"),
        (50010, "isk", Decimal("500.10"), "500.10 ISK"),
        # a currency Stripe does not list specially is two-decimal
        (1234, "xyz", Decimal("12.34"), "12.34 XYZ"),
    ],
)
def test_decimal_and_text(amount: int, currency: str, decimal: Decimal, text: str) -> None:
    money = cm.Money(amount, currency)
    assert decimal == money.decimal
    assert str(decimal) == str(money.decimal)  # the exponent too, not just the value
    assert text == str(money)
    assert text == money.format()


def test_format_without_grouping() -> None:
    assert "1234567.89 USD" == cm.Money(123456789, "usd").format(grouping=False)
    assert "1000 JPY" == cm.Money(1000, "jpy").format(grouping=False)


def test_exponents() -> None:
    assert 2 == cm.Money(1, "usd").exponent
    assert 0 == cm.Money(1, "jpy").exponent
    assert 3 == cm.Money(1, "kwd").exponent
    assert 2 == cm.currency_exponent("ISK")
    assert all(0 == cm.currency_exponent(c) for c in ZERO_DECIMAL_CURRENCIES)
    assert all(3 == cm.currency_exponent(c) for c in THREE_DECIMAL_CURRENCIES)
    assert 16 == len(ZERO_DECIMAL_CURRENCIES)
    assert {"bhd", "jod", "kwd", "omr", "tnd"} == THREE_DECIMAL_CURRENCIES


def test_currency_is_normalised_to_stripe_lowercase() -> None:
    money = cm.Money(100, "JPY")
    assert "jpy" == money.currency
    assert cm.Money(100, "jpy") == money
    assert hash(cm.Money(100, "jpy")) == hash(money)


@pytest.mark.parametrize("currency", ["", "us", "usdd", "u$d", "12a", "ÜSD"])
def test_bad_currency(currency: str) -> None:
    with pytest.raises(ValueError, match="three-letter ISO code"):
        cm.Money(1, currency)


@pytest.mark.parametrize("amount", [1.5, "12", True, Decimal(3), None])
def test_amount_must_be_int(amount: Any) -> None:
    with pytest.raises(TypeError, match="minor units"):
        cm.Money(amount, "usd")


def test_frozen() -> None:
    money = cm.Money(1, "usd")
    with pytest.raises(AttributeError):
        money.amount = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "currency", "amount"),
    [
        (Decimal("12.34"), "usd", 1234),
        ("0.05", "eur", 5),
        (12, "usd", 1200),
        ("1000", "jpy", 1000),
        (Decimal("1E+3"), "jpy", 1000),
        ("5.124", "kwd", 5124),
        ("12.340", "usd", 1234),
        ("-1.5", "gbp", -150),
    ],
)
def test_from_decimal(value: Decimal | int | str, currency: str, amount: int) -> None:
    money = cm.Money.from_decimal(value, currency)
    assert cm.Money(amount, currency) == money
    assert Decimal(value) == money.decimal


@pytest.mark.parametrize(
    ("value", "currency"),
    [("12.345", "usd"), ("0.5", "jpy"), ("1.0001", "kwd"), ("NaN", "usd"), ("Infinity", "usd")],
)
def test_from_decimal_rejects_what_the_currency_cannot_carry(value: str, currency: str) -> None:
    with pytest.raises(ValueError, match="more decimals than"):
        cm.Money.from_decimal(value, currency)


def test_from_decimal_rejects_non_numbers() -> None:
    with pytest.raises(ValueError, match="not a number"):
        cm.Money.from_decimal("twelve", "usd")


def test_arithmetic_within_one_currency() -> None:
    total = cm.Money(1000, "usd") + cm.Money(234, "usd")
    assert cm.Money(1234, "usd") == total
    assert cm.Money(766, "usd") == cm.Money(1000, "usd") - cm.Money(234, "usd")
    assert cm.Money(-5, "jpy") == -cm.Money(5, "jpy")


def test_arithmetic_across_currencies_is_an_error() -> None:
    with pytest.raises(ValueError, match="cannot combine USD with EUR"):
        cm.Money(1, "usd") + cm.Money(1, "eur")
    with pytest.raises(ValueError, match="cannot combine JPY with USD"):
        cm.Money(1, "jpy") - cm.Money(1, "usd")


def test_arithmetic_with_other_types_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        cm.Money(1, "usd") + 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        cm.Money(1, "usd") - Decimal(1)  # type: ignore[operator]


# -- on sessions and line items ---------------------------------------------------------------


def _session(**fields: Any) -> cm.Session:
    return cm.parse_session({"id": "cs_test_money", "object": "checkout.session", **fields})


def test_session_amounts_as_money() -> None:
    session = _session(
        currency="jpy",
        amount_subtotal=5000,
        amount_total=5150,
        total_details={"amount_discount": 500, "amount_shipping": 200, "amount_tax": 450},
    )
    assert cm.Money(5000, "jpy") == session.subtotal_money
    assert cm.Money(5150, "jpy") == session.total_money
    assert cm.Money(500, "jpy") == session.discount_money
    assert cm.Money(200, "jpy") == session.shipping_money
    assert cm.Money(450, "jpy") == session.tax_money
    assert cm.Money(42, "jpy") == session.money(42)
    assert "5,150 JPY" == str(session.total_money)


def test_session_money_is_none_without_currency_or_amount() -> None:
    no_currency = _session(amount_total=100, total_details={"amount_tax": 5})
    assert None is no_currency.total_money
    assert None is no_currency.tax_money
    assert None is no_currency.money(1)
    no_details = _session(currency="usd")
    assert None is no_details.total_money
    assert None is no_details.subtotal_money
    assert None is no_details.discount_money
    assert None is no_details.shipping_money
    assert None is no_details.tax_money
    assert None is no_details.money(None)
    null_amounts = _session(currency="usd", total_details={"amount_shipping": None})
    assert None is null_amounts.shipping_money


def test_session_money_is_none_for_a_currency_that_is_not_a_code() -> None:
    session = _session(currency="dollars", amount_total=100)
    assert None is session.total_money


def test_line_item_amounts_as_money() -> None:
    session = _session(
        currency="kwd",
        line_items={
            "object": "list",
            "has_more": False,
            "url": "/v1/checkout/sessions/cs_test_money/line_items",
            "data": [
                {
                    "id": "li_1",
                    "object": "item",
                    "currency": "kwd",
                    "amount_subtotal": 10000,
                    "amount_discount": 1000,
                    "amount_tax": 450,
                    "amount_total": 9450,
                    "quantity": 2,
                    "price": {"id": "price_1", "object": "price", "unit_amount": 5000},
                },
                {
                    "id": "li_2",
                    "object": "item",
                    "currency": "usd",
                    "price": {
                        "id": "price_2",
                        "object": "price",
                        "currency": "eur",
                        "unit_amount": 999,
                    },
                },
                {"id": "li_3", "object": "item", "currency": "usd"},
            ],
        },
    )
    assert session.line_items is not None
    assert session.line_items.data is not None
    first, second, third = session.line_items.data
    assert cm.Money(10000, "kwd") == first.subtotal_money
    assert cm.Money(1000, "kwd") == first.discount_money
    assert cm.Money(450, "kwd") == first.tax_money
    assert cm.Money(9450, "kwd") == first.total_money
    assert "5.000 KWD" == str(first.unit_money)
    assert cm.Money(999, "eur") == second.unit_money  # the price's own currency wins
    assert None is second.total_money
    assert None is third.unit_money
