"""Pins the static types of the public API: mypy checks every ``assert_type`` here.

The same file runs under pytest, so each line is also exercised at run time.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any, assert_type

import pytest

import checkout_model as cm

PAYLOAD: dict[str, Any] = {
    "id": "cs_test_typing",
    "object": "checkout.session",
    "amount_total": 500,
    "created": 1730000000,
    "customer": "cus_1",
    "metadata": {"order": "7"},
    "mode": "payment",
    "payment_method_types": ["card"],
    "line_items": {
        "object": "list",
        "data": [
            {
                "id": "li_1",
                "object": "item",
                "price": {"id": "price_1", "object": "price", "unit_amount_decimal": "500"},
            }
        ],
    },
}


def test_parse_and_dump_types() -> None:
    session = cm.parse_session(PAYLOAD)
    assert_type(session, cm.Session)
    assert_type(cm.parse_session(PAYLOAD, strict=True), cm.Session)
    assert_type(cm.parse_session(b'{"id": "cs_1"}'), cm.Session)
    assert_type(cm.parse_session('{"id": "cs_1"}'), cm.Session)
    assert_type(cm.dump_session(session), dict[str, Any])
    assert_type(cm.__version__, str)


def test_field_types() -> None:
    session = cm.parse_session(PAYLOAD)
    assert_type(session.id, str)
    assert_type(session.object, str)
    assert_type(session.created, datetime | None)
    assert_type(session.amount_total, int | None)
    assert_type(session.mode, cm.Mode | cm.Unknown[cm.Mode] | None)
    assert_type(session.status, cm.Status | cm.Unknown[cm.Status] | None)
    assert_type(session.payment_status, cm.PaymentStatus | cm.Unknown[cm.PaymentStatus] | None)
    assert_type(session.submit_type, cm.SubmitType | cm.Unknown[cm.SubmitType] | None)
    assert_type(session.locale, cm.Locale | cm.Unknown[cm.Locale] | None)
    assert_type(
        session.billing_address_collection,
        cm.BillingAddressCollection | cm.Unknown[cm.BillingAddressCollection] | None,
    )
    assert_type(session.metadata, cm.FrozenDict[str, str] | None)
    assert_type(session.customer, str | cm.Customer | None)
    assert_type(session.payment_intent, str | cm.PaymentIntent | None)
    assert_type(session.payment_method_types, tuple[str, ...] | None)
    assert_type(session.line_items, cm.LineItemList | None)
    assert_type(session.total_details, cm.session.TotalDetails | None)
    assert_type(session.unknown_fields, Mapping[str, cm.FrozenJson])
    assert_type(session.absent_fields, frozenset[str])
    assert session.line_items is not None
    assert session.line_items.data is not None
    item = session.line_items.data[0]
    assert_type(item, cm.LineItem)
    assert item.price is not None
    assert_type(item.price, cm.Price)
    assert_type(item.price.unit_amount_decimal, Decimal | None)
    assert_type(item.price.product, str | cm.Product | None)
    assert Decimal("500") == item.price.unit_amount_decimal


def test_enum_types() -> None:
    mode = cm.parse_session(PAYLOAD).mode
    assert_type(mode, cm.Mode | cm.Unknown[cm.Mode] | None)
    assert_type(cm.Mode("payment"), cm.Mode)
    assert_type(cm.Mode.of("payment"), cm.Mode | cm.Unknown[cm.Mode])
    assert_type(cm.Mode.of("x").value, str)
    assert_type(cm.Mode("payment").is_known, bool)
    assert_type(cm.Mode("payment").value, str)
    assert "payment" == mode


def test_error_types() -> None:
    with pytest.raises(cm.ParseError) as info:
        cm.parse_session({"object": "checkout.session"})
    error = info.value
    assert_type(error.errors, tuple[cm.ErrorDetail, ...])
    assert_type(error.errors[0].path, str)
    assert_type(error.errors[0].message, str)
    assert "$.id" == error.errors[0].path


def test_class_attributes() -> None:
    assert_type(cm.Session.expand_fields, tuple[str, ...])
    assert "line_items" in cm.Session.expand_fields
