"""The model knows every field and enum value of the installed stripe-python.

Bumping stripe makes this test list exactly what the new SDK added; regenerate the model with
``python tools/generate_model.py`` (and document the new fields in tools/field_docs.py).
"""

from __future__ import annotations

import types
import typing
from typing import Any

import attrs
import stripe
from stripe.checkout import Session as StripeSession

import checkout_model as cm
from checkout_model import FrozenDict, OpenEnum

ROOTS: list[tuple[type[Any], type[Any]]] = [
    (StripeSession, cm.Session),
    (stripe.LineItem, cm.LineItem),
    (stripe.Price, cm.Price),
    (stripe.Product, cm.Product),
    (stripe.Discount, cm.Discount),
    (stripe.Coupon, cm.Coupon),
    (stripe.PromotionCode, cm.PromotionCode),
    (stripe.TaxRate, cm.TaxRate),
    (stripe.ShippingRate, cm.ShippingRate),
]


def _model_inner(tp: Any) -> Any:
    """The model class or enum behind a field's type (through None, str | X, tuples, mappings)."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None) and a is not str]
        return _model_inner(rest[0]) if rest else str
    if origin is tuple:
        return _model_inner(args[0])
    if origin is FrozenDict:
        return _model_inner(args[1])
    return tp


def _sdk_parts(ann: Any) -> tuple[list[type[Any]], list[str]]:
    """The nested SDK classes and the Literal values inside an SDK annotation."""
    classes: list[type[Any]] = []
    values: list[str] = []
    if typing.get_origin(ann) is typing.Literal:
        values += [str(v) for v in typing.get_args(ann) if not isinstance(v, bool)]
    elif isinstance(ann, type) and issubclass(ann, stripe.StripeObject) and "." in ann.__qualname__:
        classes.append(ann)
    for arg in typing.get_args(ann):
        more_classes, more_values = _sdk_parts(arg)
        classes += more_classes
        values += more_values
    return classes, values


def drift() -> tuple[list[str], int, int]:
    """What the model lacks, and how many SDK fields and enum values were compared."""
    missing: list[str] = []
    fields = values = 0
    seen: set[tuple[type[Any], type[Any]]] = set()
    todo = list(ROOTS)
    while todo:
        sdk, model = todo.pop()
        if (sdk, model) in seen:
            continue
        seen.add((sdk, model))
        hints = typing.get_type_hints(model)
        names = {f.name for f in attrs.fields(model)}
        for name, ann in sdk.__annotations__.items():
            origin: object = typing.get_origin(ann)
            if name.startswith("_") or origin is typing.ClassVar:
                continue
            fields += 1
            where = f"{sdk.__qualname__}.{name}"
            if name not in names:
                missing.append(f"field {where}")
                continue
            inner = _model_inner(hints[name])
            nested, literal = _sdk_parts(ann)
            for cls in nested:
                if attrs.has(inner):
                    todo.append((cls, inner))
                else:
                    missing.append(f"nested object {where} ({cls.__qualname__})")
            if name == "object":
                continue
            for value in literal:
                values += 1
                if not (isinstance(inner, type) and issubclass(inner, OpenEnum)):
                    missing.append(f"enum {where} (model type {inner!r})")
                    break
                if value not in inner._value2member_map_:
                    missing.append(f"enum value {where} = {value!r} ({inner.__name__})")
    return missing, fields, values


def test_model_covers_every_field_and_enum_value_of_the_sdk() -> None:
    missing, fields, values = drift()
    assert [] == missing, f"{len(missing)} gaps:\n" + "\n".join(sorted(missing))
    # The walk reached everything: stripe-python 16.1.0 types 612 fields with 799 enum values
    # across Session, LineItem, Price, Product, Discount, Coupon, PromotionCode, TaxRate and
    # ShippingRate and their nested classes. A newer SDK only adds to these.
    assert fields >= 612
    assert values >= 799


def test_drift_detects_a_missing_field_and_enum_value(monkeypatch: Any) -> None:
    """The drift check itself can fail: remove a value and a field and it names both."""
    monkeypatch.delitem(cm.Mode._value2member_map_, "setup")
    monkeypatch.setitem(StripeSession.__annotations__, "brand_new_field", str | None)
    missing, _, _ = drift()
    assert ["enum value Session.mode = 'setup' (Mode)", "field Session.brand_new_field"] == sorted(
        missing
    )
