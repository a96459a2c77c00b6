"""The benchmark's payloads: checkout sessions from a 2019-shape one to ten expanded line items.

Built here so the benchmark runs on any checkout; real payloads in ``tests/payloads/*.json``
are added to the set when they exist.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

Payload = dict[str, Any]

ROOT = Path(__file__).resolve().parent.parent
CREATED = 1_761_300_000


def _ident(prefix: str, n: int) -> str:
    return f"{prefix}_1Q{n:04d}aBcDeFgHiJkLmNoPqRsT"


def session_2019() -> Payload:
    """A small session as API version 2019-05-16 sent it (display_items, no amounts)."""
    return {
        "id": "cs_test_a1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvWxYz0123456789abcdefGH",
        "object": "checkout.session",
        "billing_address_collection": None,
        "cancel_url": "https://example.com/cancel",
        "client_reference_id": None,
        "customer": "cus_FgHiJkLmNoPqRs",
        "customer_email": None,
        "display_items": [
            {
                "amount": 1500,
                "currency": "usd",
                "custom": {
                    "description": "Comfortable cotton t-shirt",
                    "images": ["https://example.com/t-shirt.png"],
                    "name": "T-shirt",
                },
                "quantity": 2,
                "type": "custom",
            }
        ],
        "livemode": False,
        "locale": None,
        "mode": "payment",
        "payment_intent": "pi_1EUmyo2x6R10KRrhUuJXu9m0",
        "payment_method_types": ["card"],
        "setup_intent": None,
        "submit_type": None,
        "subscription": None,
        "success_url": "https://example.com/success",
    }


def session_open_payment() -> Payload:
    """A current-API payment session, open, nothing expanded."""
    return {
        "id": "cs_test_b1Xq2Yw3Zv4Ut5Sr6Qp7On8Ml9Kj0Ih1Gf2Ed3Cb4Aa5Zz6Yy7Xx8Ww9",
        "object": "checkout.session",
        "adaptive_pricing": {"enabled": True},
        "after_expiration": None,
        "allow_promotion_codes": None,
        "amount_subtotal": 4200,
        "amount_total": 4200,
        "automatic_tax": {"enabled": False, "liability": None, "provider": None, "status": None},
        "billing_address_collection": None,
        "branding_settings": None,
        "cancel_url": None,
        "client_reference_id": None,
        "client_secret": None,
        "collected_information": None,
        "consent": None,
        "consent_collection": None,
        "created": CREATED,
        "currency": "eur",
        "currency_conversion": None,
        "custom_fields": [],
        "custom_text": {
            "after_submit": None,
            "shipping_address": None,
            "submit": None,
            "terms_of_service_acceptance": None,
        },
        "customer": None,
        "customer_account": None,
        "customer_creation": "if_required",
        "customer_details": None,
        "customer_email": None,
        "discounts": [],
        "expires_at": CREATED + 86_400,
        "invoice": None,
        "invoice_creation": {
            "enabled": False,
            "invoice_data": {
                "account_tax_ids": None,
                "custom_fields": None,
                "description": None,
                "footer": None,
                "issuer": None,
                "metadata": {},
                "rendering_options": None,
            },
        },
        "livemode": False,
        "locale": None,
        "metadata": {},
        "mode": "payment",
        "origin_context": None,
        "payment_intent": None,
        "payment_link": None,
        "payment_method_collection": "if_required",
        "payment_method_configuration_details": {
            "id": "pmc_1PqRsTuVwXyZaBcDeFgHiJkL",
            "parent": None,
        },
        "payment_method_options": {"card": {"request_three_d_secure": "automatic"}},
        "payment_method_types": ["card", "link", "bancontact", "eps", "ideal"],
        "payment_status": "unpaid",
        "permissions": None,
        "phone_number_collection": {"enabled": False},
        "recovered_from": None,
        "saved_payment_method_options": None,
        "setup_intent": None,
        "shipping_address_collection": None,
        "shipping_cost": None,
        "shipping_details": None,
        "shipping_options": [],
        "status": "open",
        "submit_type": None,
        "subscription": None,
        "success_url": "https://example.com/success?session_id={CHECKOUT_SESSION_ID}",
        "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
        "ui_mode": "hosted",
        "url": "https://checkout.stripe.com/c/pay/cs_test_b1Xq2Yw3Zv4Ut5Sr6Qp7On8Ml9Kj0Ih1Gf2Ed3Cb4",
        "wallet_options": None,
    }


def session_complete_subscription() -> Payload:
    """A completed subscription session with customer details, tax ids and custom fields."""
    out = session_open_payment()
    out.update(
        {
            "id": "cs_live_c9Vb8Nm7Lk6Jh5Gf4Ds3Aq2Wz1Xe0Rc9Tv8By7Hu6Nj5Mk4Il3Op2Qa1",
            "allow_promotion_codes": True,
            "amount_subtotal": 2900,
            "amount_total": 3480,
            "automatic_tax": {
                "enabled": True,
                "liability": {"type": "self"},
                "provider": "stripe",
                "status": "complete",
            },
            "billing_address_collection": "required",
            "client_reference_id": "user_8842",
            "collected_information": {
                "business_name": None,
                "individual_name": None,
                "shipping_details": None,
            },
            "consent": {"promotions": "opt_in", "terms_of_service": "accepted"},
            "consent_collection": {
                "payment_method_reuse_agreement": None,
                "promotions": "auto",
                "terms_of_service": "required",
            },
            "custom_fields": [
                {
                    "dropdown": {
                        "default_value": None,
                        "options": [
                            {"label": "Newsletter", "value": "newsletter"},
                            {"label": "A friend", "value": "friend"},
                            {"label": "Search engine", "value": "search"},
                        ],
                        "value": "friend",
                    },
                    "key": "referral",
                    "label": {"custom": "How did you hear about us?", "type": "custom"},
                    "optional": True,
                    "type": "dropdown",
                },
                {
                    "key": "company_size",
                    "label": {"custom": "Company size", "type": "custom"},
                    "numeric": {
                        "default_value": None,
                        "maximum_length": 6,
                        "minimum_length": None,
                        "value": "25",
                    },
                    "optional": False,
                    "type": "numeric",
                },
            ],
            "customer": "cus_QwErTyUiOpAsDf",
            "customer_creation": "always",
            "customer_details": {
                "address": {
                    "city": "Berlin",
                    "country": "DE",
                    "line1": "Friedrichstrasse 123",
                    "line2": None,
                    "postal_code": "10117",
                    "state": None,
                },
                "business_name": None,
                "email": "jenny.rosen@example.com",
                "individual_name": None,
                "name": "Jenny Rosen",
                "phone": None,
                "tax_exempt": "none",
                "tax_ids": [{"type": "eu_vat", "value": "DE123456789"}],
            },
            "customer_email": "jenny.rosen@example.com",
            "invoice": "in_1QrStUvWxYzAbCdEfGhIjKlM",
            "invoice_creation": None,
            "livemode": True,
            "locale": "de",
            "metadata": {"plan": "team", "seats": "5", "campaign": "spring"},
            "mode": "subscription",
            "payment_method_collection": "always",
            "payment_method_types": ["card", "sepa_debit"],
            "payment_status": "paid",
            "status": "complete",
            "subscription": "sub_1QrStUvWxYzAbCdEfGhIjKlM",
            "tax_id_collection": {"enabled": True, "required": "never"},
            "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 580},
        }
    )
    return out


def _tax_rate(n: int) -> Payload:
    return {
        "id": _ident("txr", n),
        "object": "tax_rate",
        "active": True,
        "country": "DE",
        "created": CREATED - 9_000_000,
        "description": "VAT Germany",
        "display_name": "VAT",
        "effective_percentage": 19.0,
        "flat_amount": None,
        "inclusive": False,
        "jurisdiction": "DE",
        "jurisdiction_level": "country",
        "livemode": False,
        "metadata": {},
        "percentage": 19.0,
        "rate_type": "percentage",
        "state": None,
        "tax_type": "vat",
    }


def _coupon(n: int) -> Payload:
    return {
        "id": f"SPRING{n}",
        "object": "coupon",
        "amount_off": None,
        "created": CREATED - 3_000_000,
        "currency": None,
        "duration": "once",
        "duration_in_months": None,
        "livemode": False,
        "max_redemptions": None,
        "metadata": {},
        "name": "Spring sale",
        "percent_off": 10.0,
        "redeem_by": None,
        "times_redeemed": 42,
        "valid": True,
    }


def _discount(n: int) -> Payload:
    return {
        "id": _ident("di", n),
        "object": "discount",
        "checkout_session": "cs_test_d7Fg8Hj9Kl0",
        "customer": None,
        "customer_account": None,
        "end": None,
        "invoice": None,
        "invoice_item": None,
        "promotion_code": None,
        "source": {"coupon": _coupon(n), "type": "coupon"},
        "start": CREATED,
        "subscription": None,
        "subscription_item": None,
    }


def _product(n: int) -> Payload:
    return {
        "id": _ident("prod", n),
        "object": "product",
        "active": True,
        "created": CREATED - 5_000_000 + n,
        "default_price": _ident("price", n),
        "description": f"Hand-made ceramic mug number {n}, 350 ml, dishwasher safe.",
        "images": [f"https://files.example.com/mug-{n}.png"],
        "livemode": False,
        "marketing_features": [{"name": "Dishwasher safe"}],
        "metadata": {"sku": f"MUG-{n:03d}"},
        "name": f"Ceramic mug {n}",
        "package_dimensions": None,
        "shippable": True,
        "statement_descriptor": None,
        "tax_code": "txcd_99999999",
        "type": "service",
        "unit_label": None,
        "updated": CREATED - 1_000_000 + n,
        "url": None,
    }


def _price(n: int, product: Payload | str) -> Payload:
    return {
        "id": _ident("price", n),
        "object": "price",
        "active": True,
        "billing_scheme": "per_unit",
        "created": CREATED - 5_000_000 + n,
        "currency": "eur",
        "custom_unit_amount": None,
        "livemode": False,
        "lookup_key": None,
        "metadata": {},
        "nickname": None,
        "product": product,
        "recurring": None,
        "tax_behavior": "exclusive",
        "tiers_mode": None,
        "transform_quantity": None,
        "type": "one_time",
        "unit_amount": 1200 + 100 * n,
        "unit_amount_decimal": str(1200 + 100 * n),
    }


def _line_item(n: int, expanded: bool) -> Payload:
    amount = 1200 + 100 * n
    quantity = 1 + n % 3
    subtotal = amount * quantity
    discount = subtotal // 10
    tax = (subtotal - discount) * 19 // 100
    item: Payload = {
        "id": _ident("li", n),
        "object": "item",
        "amount_discount": discount,
        "amount_subtotal": subtotal,
        "amount_tax": tax,
        "amount_total": subtotal - discount + tax,
        "currency": "eur",
        "description": f"Ceramic mug {n}",
        "price": _price(n, _product(n) if expanded else _ident("prod", n)),
        "quantity": quantity,
    }
    if expanded:
        item["discounts"] = [{"amount": discount, "discount": _discount(n)}]
        item["taxes"] = [
            {
                "amount": tax,
                "rate": _tax_rate(1),
                "taxability_reason": "standard_rated",
                "taxable_amount": subtotal - discount,
            }
        ]
    return item


def session_with_items(count: int, expanded: bool) -> Payload:
    """A completed payment session with ``count`` line items (prices, products, discounts)."""
    out = session_complete_subscription()
    items = [_line_item(n, expanded) for n in range(1, count + 1)]
    subtotal = sum(i["amount_subtotal"] for i in items)
    discount = sum(i["amount_discount"] for i in items)
    tax = sum(i["amount_tax"] for i in items)
    out.update(
        {
            "id": f"cs_test_e{count}{'x' if expanded else 'u'}Kd8Jf7Hg6Sa5Pl4Mn3Bv2Cx1Za0Qw9Er8Ty7",
            "amount_subtotal": subtotal,
            "amount_total": subtotal - discount + tax + 500,
            "discounts": [{"coupon": "SPRING1", "promotion_code": None}],
            "line_items": {
                "object": "list",
                "data": items,
                "has_more": False,
                "url": "/v1/checkout/sessions/cs_test_e/line_items",
            },
            "mode": "payment",
            "payment_intent": "pi_3QrStUvWxYzAbCdE0fGhIjKl",
            "shipping_address_collection": {"allowed_countries": ["DE", "AT", "CH", "FR", "NL"]},
            "shipping_cost": {
                "amount_subtotal": 500,
                "amount_tax": 0,
                "amount_total": 500,
                "shipping_rate": "shr_1QrStUvWxYzAbCdEfGhIjKlM",
            },
            "shipping_details": {
                "address": {
                    "city": "Berlin",
                    "country": "DE",
                    "line1": "Friedrichstrasse 123",
                    "line2": "3. OG",
                    "postal_code": "10117",
                    "state": None,
                },
                "name": "Jenny Rosen",
            },
            "shipping_options": [
                {"shipping_amount": 500, "shipping_rate": "shr_1QrStUvWxYzAbCdEfGhIjKlM"},
                {"shipping_amount": 1500, "shipping_rate": "shr_1QrStUvWxYzAbCdEfGhIjKlN"},
            ],
            "submit_type": "pay",
            "subscription": None,
            "total_details": {
                "amount_discount": discount,
                "amount_shipping": 500,
                "amount_tax": tax,
            },
        }
    )
    if expanded:
        out["total_details"]["breakdown"] = {
            "discounts": [{"amount": discount, "discount": _discount(1)}],
            "taxes": [
                {
                    "amount": tax,
                    "rate": _tax_rate(1),
                    "taxability_reason": "standard_rated",
                    "taxable_amount": subtotal - discount,
                }
            ],
        }
    return out


def built_payloads() -> dict[str, Payload]:
    """The generated set, from small to large."""
    return {
        "2019 shape": session_2019(),
        "open payment": session_open_payment(),
        "subscription": session_complete_subscription(),
        "3 items": session_with_items(3, expanded=False),
        "10 items, expanded": session_with_items(10, expanded=True),
    }


def payloads() -> dict[str, bytes]:
    """Every benchmark payload as JSON bytes: the generated set, then tests/payloads/*.json."""
    out = {name: json.dumps(copy.deepcopy(p)).encode() for name, p in built_payloads().items()}
    for path in sorted((ROOT / "tests" / "payloads").glob("*.json")):
        data = json.loads(path.read_bytes())
        if isinstance(data, dict) and data.get("object") == "checkout.session":
            out[path.stem] = json.dumps(data).encode()
    return out
