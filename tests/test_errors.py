"""Every malformed payload raises ParseError naming the JSONPath of its problem."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

import checkout_model as cm
from checkout_model._converter import MAX_EXPANSION

BASE: dict[str, Any] = {
    "id": "cs_test_a1",
    "object": "checkout.session",
    "amount_total": 1200,
    "created": 1730000000,
    "currency": "usd",
    "livemode": False,
    "metadata": {"order": "42"},
    "mode": "payment",
    "payment_method_types": ["card"],
    "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 100},
    "line_items": {
        "object": "list",
        "data": [
            {"id": "li_1", "object": "item", "amount_total": 600, "quantity": 1},
            {"id": "li_2", "object": "item", "amount_total": 600, "quantity": 1},
            {
                "id": "li_3",
                "object": "item",
                "price": {"id": "price_1", "object": "price", "unit_amount": 600},
            },
        ],
        "has_more": False,
        "url": "/v1/checkout/sessions/cs_test_a1/line_items",
    },
}


def error_of(data: object, strict: bool = False) -> cm.ErrorDetail:
    with pytest.raises(cm.ParseError) as info:
        cm.parse_session(data, strict=strict)  # type: ignore[arg-type]
    assert 1 == len(info.value.errors)
    return info.value.errors[0]


def with_value(path: list[str | int], value: object) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    target: Any = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return data


def test_base_payload_is_valid() -> None:
    assert BASE == cm.dump_session(cm.parse_session(BASE))


@pytest.mark.parametrize(
    ("path", "value", "jsonpath", "message"),
    [
        (["amount_total"], "12", "$.amount_total", "expected an integer, found the string '12'"),
        (["amount_total"], True, "$.amount_total", "expected an integer, found true"),
        (["amount_total"], 1.5, "$.amount_total", "expected an integer, found the number 1.5"),
        (["livemode"], 1, "$.livemode", "expected true or false, found the integer 1"),
        (["currency"], 12, "$.currency", "expected a string, found the integer 12"),
        (["created"], "2024-01-01", "$.created", "expected a Unix timestamp"),
        (["created"], 10**20, "$.created", "out of range"),
        (["metadata", "order"], 42, "$.metadata.order", "expected a string"),
        (["metadata"], ["a"], "$.metadata", "expected an object, found an array"),
        (["payment_method_types", 0], None, "$.payment_method_types[0]", "found null"),
        (["payment_method_types"], "card", "$.payment_method_types", "expected an array"),
        (["mode"], 3, "$.mode", "expected a string (Mode), found the integer 3"),
        (["total_details", "amount_tax"], "1", "$.total_details.amount_tax", "expected an integer"),
        (["total_details"], "x", "$.total_details", "expected an object"),
        (
            ["line_items", "data", 2, "price", "unit_amount"],
            6.0,
            "$.line_items.data[2].price.unit_amount",
            "expected an integer",
        ),
        (
            ["line_items", "data", 1, "object"],
            "invoiceitem",
            "$.line_items.data[1].object",
            "expected 'item'",
        ),
        (["line_items", "has_more"], "no", "$.line_items.has_more", "expected true or false"),
        (["customer"], 7, "$.customer", "expected an ID string or an expanded customer object"),
        (
            ["customer"],
            {"id": "cus_1", "object": "invoice"},
            "$.customer.object",
            "expected 'customer'",
        ),
        (["customer"], {"object": "customer"}, "$.customer.id", "missing required field"),
        (
            ["object"],
            "invoice",
            "$.object",
            "expected 'checkout.session', found the string 'invoice'",
        ),
        (["id"], None, "$.id", "expected a string, found null"),
        (["id"], 5, "$.id", "expected a string, found the integer 5"),
        (["future"], float("nan"), "$.future", "expected a number"),
        (["future"], {1: "x"}, "$.future", "object keys must be strings"),
        (["future"], {"a": object()}, "$.future.a", "which is not JSON"),
        (["we ird"], {"x": [1, {"y": (1,)}]}, "$['we ird'].x[1].y", "expected a JSON value"),
    ],
)
def test_wrong_type_names_its_path(
    path: list[str | int], value: object, jsonpath: str, message: str
) -> None:
    detail = error_of(with_value(path, value))
    assert jsonpath == detail.path
    assert message in detail.message


def test_missing_id() -> None:
    data = copy.deepcopy(BASE)
    del data["id"]
    assert cm.ErrorDetail("$.id", "missing required field") == error_of(data)


def test_nested_missing_id() -> None:
    data = copy.deepcopy(BASE)
    del data["line_items"]["data"][1]["id"]
    assert "$.line_items.data[1].id" == error_of(data).path


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{", "invalid JSON"),
        ("", "invalid JSON"),
        (b"\xff\xfe{}", "invalid JSON"),
        ('{"id": "cs_1", "amount_total": NaN}', "invalid JSON"),
        (b"[1, 2]", "expected a JSON object, found an array"),
        ("12", "expected a JSON object, found int"),
        ('"cs_1"', "expected a JSON object, found str"),
        ("null", "expected a JSON object"),
        (b"[" * 100_000 + b"]" * 100_000, "invalid JSON"),
        (12, "expected JSON text or a mapping, found int"),
        (None, "expected JSON text or a mapping"),
        (["id"], "expected JSON text or a mapping, found list"),
        ('{"id": "cs_1", "x": "\ud800"}', "invalid JSON"),
    ],
)
def test_bad_documents_name_the_root(data: object, message: str) -> None:
    detail = error_of(data)
    assert "$" == detail.path
    assert message in detail.message


def test_deeply_nested_mapping_is_a_parse_error() -> None:
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(100_000):
        node["a"] = {}
        node = node["a"]
    detail = error_of({"id": "cs_1", "future": deep})
    assert detail.path.startswith("$.future.a.a")
    assert "nested deeper" in detail.message


def test_deep_typed_recursion_is_a_parse_error() -> None:
    """price.product.default_price.product... nests typed objects without end."""
    price: dict[str, Any] = {"id": "price_0", "object": "price"}
    node = price
    for i in range(5_000):
        product: dict[str, Any] = {
            "id": f"prod_{i}",
            "object": "product",
            "default_price": {"id": f"price_{i}", "object": "price"},
        }
        node["product"] = product
        node = product["default_price"]
    data = {
        "id": "cs_1",
        "line_items": {"object": "list", "data": [{"id": "li_1", "price": price}]},
    }
    detail = error_of(data)
    assert f"expanded objects nested deeper than {MAX_EXPANSION} levels" == detail.message
    # The path names the first object past the limit.
    assert MAX_EXPANSION + 1 == detail.path.count(".product") + detail.path.count(".default_price")


def test_strict_rejects_unknown_fields_and_values_by_path() -> None:
    assert "$.surprise" == error_of(with_value(["surprise"], 1), strict=True).path
    nested = with_value(["total_details", "amount_future"], 1)
    assert "$.total_details.amount_future" == error_of(nested, strict=True).path
    detail = error_of(with_value(["mode"], "barter"), strict=True)
    assert "$.mode" == detail.path
    assert "unknown Mode value 'barter'" in detail.message
    listed = with_value(["line_items", "data", 1, "surprise"], None)
    assert "$.line_items.data[1].surprise" == error_of(listed, strict=True).path


def test_parse_error_is_a_value_error_with_a_readable_message() -> None:
    with pytest.raises(ValueError, match=r"\$\.amount_total: expected an integer") as info:
        cm.parse_session(with_value(["amount_total"], "12"))
    assert isinstance(info.value, cm.ParseError)
    assert "$.amount_total: expected an integer, found the string '12'" == str(info.value.errors[0])


def test_input_is_never_mutated() -> None:
    for data in (copy.deepcopy(BASE), with_value(["surprise"], {"a": [1, {"b": None}]})):
        before = copy.deepcopy(data)
        session = cm.parse_session(data)
        dumped = cm.dump_session(session)
        dumped["surprise"] = "changed"
        dumped["metadata"]["order"] = "changed"
        assert before == data
        assert before == cm.dump_session(session)
    bad = with_value(["line_items", "data", 1, "amount_total"], "x")
    before = copy.deepcopy(bad)
    error_of(bad)
    assert before == bad


def test_json_text_and_bytes_parse_like_the_mapping() -> None:
    text = json.dumps(BASE)
    assert cm.parse_session(BASE) == cm.parse_session(text)
    assert cm.parse_session(BASE) == cm.parse_session(text.encode())
    assert cm.parse_session(BASE) == cm.parse_session(bytearray(text.encode()))
