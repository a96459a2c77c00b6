"""Write the attrs model of checkout.session from the installed stripe-python's annotations.

Usage: ``python tools/generate_model.py`` (or ``nox -s generate``) rewrites ``enums.py``,
``session.py`` and ``line_items.py`` in ``src/checkout_model``; ``--check`` writes nothing and
exits 1 when a committed file differs from what the generator makes.

Generation is a pure function of the installed stripe-python and ``tools/field_docs.py``: every
input is checked (each docstring present, none unused) before any file is written, and the output
is formatted by the ruff installed next to this interpreter (pinned in pyproject.toml).

The generator reads the type annotations of ``stripe.checkout.Session`` and of the resources a
session can carry expanded (line items, prices, products, discounts, coupons, promotion codes,
tax rates, shipping rates), adds the fields older API versions sent (``LEGACY`` below), and takes
every docstring from ``tools/field_docs.py``. Its output is committed and reviewed like hand-written
code; ``tests/test_drift.py`` fails when the installed SDK knows something the model does not.
"""

from __future__ import annotations

import argparse
import keyword
import re
import subprocess
import sys
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path

import stripe
from stripe.checkout import Session as StripeSession

sys.path.insert(0, str(Path(__file__).parent))
from field_docs import CLASS_DOCS, FIELD_DOCS

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "checkout_model"

#: Resources modelled in full, by stripe-python class, and the module they are written to.
RESOURCES: dict[str, tuple[type[stripe.StripeObject], str]] = {
    "Session": (StripeSession, "session"),
    "LineItem": (stripe.LineItem, "line_items"),
    "Price": (stripe.Price, "line_items"),
    "Product": (stripe.Product, "line_items"),
    "Discount": (stripe.Discount, "line_items"),
    "Coupon": (stripe.Coupon, "line_items"),
    "PromotionCode": (stripe.PromotionCode, "line_items"),
    "TaxRate": (stripe.TaxRate, "line_items"),
    "ShippingRate": (stripe.ShippingRate, "line_items"),
}
#: Forward references of the SDK that name a modelled resource under another name.
ALIASES = {"DiscountResource": "Discount", "TaxIdResource": "TaxId"}
#: Resources outside the checkout domain: kept as typed references (checkout_model.references).
EXTERNAL = {
    "Account",
    "Customer",
    "Invoice",
    "PaymentIntent",
    "PaymentLink",
    "SetupIntent",
    "Subscription",
    "TaxCode",
    "TaxId",
    "Plan",
    "Sku",
}
#: Integer fields that carry a Unix timestamp (OpenAPI ``format: unix-time``).
TIMESTAMPS = {"created", "expires_at", "updated", "start", "end", "redeem_by", "end_date"}
#: Nested classes named after their role rather than their SDK leaf name.
RENAMES = {
    "Session.Discount": "SessionDiscount",
    "Session.TotalDetails.Breakdown.Discount": "BreakdownDiscount",
    "Session.TotalDetails.Breakdown.Tax": "BreakdownTax",
    "LineItem.Discount": "LineItemDiscount",
    "LineItem.Tax": "LineItemTax",
    "Session.AfterExpiration.Recovery": "AfterExpirationRecovery",
    "Session.BrandingSettings.Icon": "BrandingIcon",
    "Session.BrandingSettings.Logo": "BrandingLogo",
    "Session.CustomField.Dropdown": "CustomFieldDropdown",
    "Session.CustomField.Dropdown.Option": "CustomFieldOption",
    "Session.CustomField.Label": "CustomFieldLabel",
    "Session.CustomField.Numeric": "CustomFieldNumeric",
    "Session.CustomField.Text": "CustomFieldText",
    "Session.CustomField": "CustomField",
    "Session.DisplayItem.Custom": "DisplayItemCustom",
    "Session.ShippingCost.Tax": "ShippingCostTax",
    "Session.WalletOptions.Link": "LinkWalletOptions",
    "Discount.Source": "DiscountSource",
    "PromotionCode.Promotion": "PromotionCodePromotion",
    "ShippingRate.DeliveryEstimate.Maximum": "DeliveryEstimateMaximum",
    "ShippingRate.DeliveryEstimate.Minimum": "DeliveryEstimateMinimum",
}
#: Fields older API versions sent that stripe-python 16.1.0 no longer types:
#: (class, field, annotation).
LEGACY_FIELDS: list[tuple[str, str, str]] = [
    ("Session", "display_items", "list[Session.DisplayItem] | None"),
    ("Session", "shipping", "Session.Shipping | None"),
    ("Session", "shipping_details", "Session.Shipping | None"),
    ("Session", "shipping_rate", "str | ShippingRate | None"),
    ("Discount", "coupon", "Coupon | None"),
    ("Product", "features", "list[Product.MarketingFeature] | None"),
]
LEGACY_CLASSES: dict[str, list[tuple[str, str]]] = {
    "Session.DisplayItem": [
        ("amount", "int | None"),
        ("currency", "str | None"),
        ("custom", "Session.DisplayItem.Custom | None"),
        ("plan", "Plan | None"),
        ("price", "Price | None"),
        ("quantity", "int | None"),
        ("sku", "Sku | None"),
        ("type", "str | None"),
    ],
    "Session.DisplayItem.Custom": [
        ("description", "str | None"),
        ("images", "list[str] | None"),
        ("name", "str | None"),
    ],
    "Session.Shipping": [
        ("address", "Session.CustomerDetails.Address | None"),
        ("carrier", "str | None"),
        ("name", "str | None"),
        ("phone", "str | None"),
        ("tracking_number", "str | None"),
    ],
}
#: Enum values older API versions used that the SDK no longer lists: (enum name, values).
LEGACY_ENUM_VALUES = {"UiMode": ["custom", "embedded", "hosted"]}
#: Hand-written behaviour mixed into generated classes (src/checkout_model/_mixins.py).
MIXINS = {"Session": "SessionMixin", "LineItem": "LineItemMixin"}
#: Fields that are a secret and must stay out of repr().
SECRETS = {("Session", "client_secret")}


# ---------------------------------------------------------------------------------------------
# A small intermediate form: every type is one of these.


@dataclass(frozen=True)
class Prim:
    name: str  # "str" | "int" | "bool" | "float" | "Decimal" | "datetime"


@dataclass(frozen=True)
class Lit:
    owner: str
    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Ref:
    path: str  # SDK class path of a modelled class, or an EXTERNAL name


@dataclass(frozen=True)
class ListOf:
    item: object


@dataclass(frozen=True)
class MapOf:
    value: object  # None for arbitrary JSON


@dataclass(frozen=True)
class LineItemList:
    pass


@dataclass(frozen=True)
class Expandable:
    target: str


@dataclass
class Field:
    name: str
    type: object
    optional: bool
    legacy: bool = False


@dataclass
class Klass:
    path: str
    fields: list[Field] = field(default_factory=list)
    module: str = "session"
    name: str = ""


@dataclass
class Context:
    """What one run of the generator learns as it goes (no module-level state)."""

    enum_names: dict[tuple[str, str], str] = field(default_factory=dict)
    enum_owners: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    missing_docs: list[str] = field(default_factory=list)
    used_docs: set[str] = field(default_factory=set)


def _sdk_path(cls: type) -> str:
    return cls.__qualname__


def _convert(owner: str, name: str, ann: object, classes: dict[str, Klass], module: str) -> object:
    origin = typing.get_origin(ann)
    args = typing.get_args(ann)
    if ann is str:
        return Prim("str")
    if ann is int:
        return Prim("datetime") if name in TIMESTAMPS else Prim("int")
    if ann is bool:
        return Prim("bool")
    if ann is float:
        return Prim("float")
    if getattr(ann, "__name__", None) == "Decimal":
        return Prim("Decimal")
    if isinstance(ann, str):
        return Ref(ALIASES.get(ann, ann))
    if isinstance(ann, typing.ForwardRef):
        target = ALIASES.get(ann.__forward_arg__, ann.__forward_arg__)
        return Ref(target)
    if origin is typing.Literal:
        if args == (True,):
            return Prim("bool")
        return Lit(owner, name, tuple(str(a) for a in args))
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        if rest == [typing.Literal[True]]:
            return Prim("bool")
        lits = [a for a in rest if typing.get_origin(a) is typing.Literal]
        if lits and all(a is str or typing.get_origin(a) is typing.Literal for a in rest):
            values: list[str] = []
            for lit in lits:
                values += [str(v) for v in typing.get_args(lit)]
            return Lit(owner, name, tuple(values))
        if len(rest) == 2 and rest[0] is str:
            ref = _convert(owner, name, rest[1], classes, module)
            assert isinstance(ref, Ref), (owner, name, ann)
            return Expandable(ref.path)
        assert len(rest) == 1, (owner, name, ann)
        return _convert(owner, name, rest[0], classes, module)
    if origin is list:
        return ListOf(_convert(owner, name, args[0], classes, module))
    if origin is not None and getattr(origin, "__name__", "") == "ListObject":
        return LineItemList()
    if origin is not None and getattr(origin, "__name__", "") == "UntypedStripeObject":
        value = args[0]
        if value is typing.Any:
            return MapOf(None)
        return MapOf(_convert(owner, name, value, classes, module))
    if isinstance(ann, type) and issubclass(ann, stripe.StripeObject):
        path = _sdk_path(ann)
        path = ALIASES.get(path, path)
        if path not in classes and path.split(".")[0] in RESOURCES:
            _walk(ann, path, classes, module)
        return Ref(path)
    raise TypeError(f"unsupported annotation on {owner}.{name}: {ann!r}")


def _is_optional(ann: object) -> bool:
    return type(None) in typing.get_args(ann)


def _walk(cls: type, path: str, classes: dict[str, Klass], module: str) -> None:
    klass = Klass(path, module=module)
    classes[path] = klass
    for name, ann in cls.__annotations__.items():
        if name.startswith("_") or name == "OBJECT_NAME":
            continue
        origin: object = typing.get_origin(ann)
        if origin is typing.ClassVar:
            continue
        klass.fields.append(
            Field(name, _convert(path, name, ann, classes, module), _is_optional(ann))
        )
    klass.fields.sort(key=lambda f: (f.name not in ("id", "object"), f.name != "id", f.name))


def _parse_legacy(owner: str, name: str, text: str) -> object:
    text = text.removesuffix(" | None")
    if text.startswith("list["):
        return ListOf(_parse_legacy(owner, name, text[5:-1]))
    if text.startswith("str | "):
        return Expandable(text[6:])
    if text in ("str", "int", "bool"):
        return Prim(text)
    return Ref(text)


def collect() -> dict[str, Klass]:
    classes: dict[str, Klass] = {}
    for path, (cls, module) in RESOURCES.items():
        _walk(cls, path, classes, module)
    for path, specs in LEGACY_CLASSES.items():
        klass = Klass(path, module="session")
        for name, text in specs:
            klass.fields.append(Field(name, _parse_legacy(path, name, text), True, legacy=True))
        classes[path] = klass
    for owner, name, text in LEGACY_FIELDS:
        classes[owner].fields.append(
            Field(name, _parse_legacy(owner, name, text), True, legacy=True)
        )
        classes[owner].fields.sort(
            key=lambda f: (f.name not in ("id", "object"), f.name != "id", f.name)
        )
    return classes


# ---------------------------------------------------------------------------------------------
# Naming


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_.\s-]+", name) if part)


def _sig(t: object) -> str:
    if isinstance(t, Lit):
        return f"Lit{t.values}"
    if isinstance(t, ListOf):
        return f"List[{_sig(t.item)}]"
    if isinstance(t, MapOf):
        return f"Map[{_sig(t.value)}]"
    return repr(t)


def _shape(klass: Klass) -> tuple[tuple[str, str], ...]:
    return tuple((f.name, _sig(f.type)) for f in klass.fields)


def name_classes(classes: dict[str, Klass]) -> None:
    taken = set(RESOURCES) | EXTERNAL
    for path in RESOURCES:
        classes[path].name = path
    nested = [k for k in classes.values() if k.path not in RESOURCES]
    for klass in nested:
        if klass.path in RENAMES:
            klass.name = RENAMES[klass.path]
    depth = 1
    while True:
        pending = [k for k in nested if not k.name]
        if not pending:
            break
        groups: dict[str, list[Klass]] = {}
        for klass in pending:
            parts = klass.path.split(".")
            candidate = "".join(parts[-depth:])
            if parts[1:2] == ["PaymentMethodOptions"] and len(parts) == 3:
                candidate = parts[2] + "Options"
            groups.setdefault(candidate, []).append(klass)
        for candidate, members in groups.items():
            shapes = {_shape(m) for m in members}
            clash = candidate in taken or any(k.name == candidate for k in nested)
            if len(shapes) == 1 and not clash:
                for m in members:
                    m.name = candidate
                    if len({x.module for x in members}) > 1:
                        m.module = "line_items"
                taken.add(candidate)
            elif depth >= 6:
                raise RuntimeError(f"cannot name {[m.path for m in members]}")
        depth += 1


def name_enums(classes: dict[str, Klass], ctx: Context) -> dict[str, list[str]]:
    """Assign an enum name to every Literal; return enum name → values (sorted, deduplicated)."""
    occurrences: dict[str, list[tuple[Klass, Field, Lit]]] = {}
    for klass in classes.values():
        for f in klass.fields:
            lit = _find_lit(f.type)
            if lit is not None and lit.field != "object":
                occurrences.setdefault(lit.field, []).append((klass, f, lit))
    enums: dict[str, list[str]] = {}
    assigned: dict[tuple[str, str], str] = {}
    class_names = {k.name for k in classes.values()} | EXTERNAL
    for fname, occ in sorted(occurrences.items()):
        top = [o for o in occ if o[0].path == "Session"]
        rest = [o for o in occ if o[0].path != "Session"]
        if top:
            assigned[("Session", fname)] = _camel(fname)
        overlapping = all(set(o[2].values) & set(rest[0][2].values) for o in rest) if rest else True
        for klass, _field, _lit in rest:
            if not top and overlapping and _camel(fname) not in class_names:
                assigned[(klass.path, fname)] = _camel(fname)
            else:
                assigned[(klass.path, fname)] = klass.name + _camel(fname)
    for klass in classes.values():
        for f in klass.fields:
            lit = _find_lit(f.type)
            if lit is None or lit.field == "object":
                continue
            enum_name = assigned[(klass.path, f.name)]
            owners = ctx.enum_owners.setdefault(enum_name, [])
            if klass.name not in [o[0] for o in owners]:
                owners.append((klass.name, klass.path, f.name))
            values = enums.setdefault(enum_name, [])
            values += [v for v in lit.values if v not in values]
    for enum_name, values in LEGACY_ENUM_VALUES.items():
        enums[enum_name] += [v for v in values if v not in enums[enum_name]]
    ctx.enum_names.update(assigned)
    return {k: sorted(v) for k, v in sorted(enums.items())}


def _find_lit(t: object) -> Lit | None:
    if isinstance(t, Lit):
        return t
    if isinstance(t, ListOf):
        return _find_lit(t.item)
    return None


# ---------------------------------------------------------------------------------------------
# Rendering


def _member(value: str) -> str:
    name = re.sub(r"[^0-9A-Za-z]+", "_", value).strip("_").upper()
    if not name or name[0].isdigit() or keyword.iskeyword(name.lower()):
        name = "V_" + name
    return name


def render_type(t: object, classes: dict[str, Klass], owner: str, fname: str, ctx: Context) -> str:
    if isinstance(t, Prim):
        return t.name
    if isinstance(t, Lit):
        if fname == "object":
            return "str"
        # Values Stripe adds later are Unknown[...]: the type says so, so checkers make
        # exhaustive matches handle them.
        name = ctx.enum_names[(owner, fname)]
        return f"{name} | Unknown[{name}]"
    if isinstance(t, Ref):
        return classes[t.path].name if t.path in classes else t.path
    if isinstance(t, Expandable):
        target = classes[t.target].name if t.target in classes else t.target
        return f"str | {target}"
    if isinstance(t, ListOf):
        return f"tuple[{render_type(t.item, classes, owner, fname, ctx)}, ...]"
    if isinstance(t, MapOf):
        if t.value is None:
            return "FrozenDict[str, FrozenJson]"
        return f"FrozenDict[str, {render_type(t.value, classes, owner, fname, ctx)}]"
    if isinstance(t, LineItemList):
        return "LineItemList"
    raise TypeError(t)


def _doc(key: str, table: dict[str, str], ctx: Context) -> str:
    text = table.get(key)
    ctx.used_docs.add(key)
    if not text:
        ctx.missing_docs.append(key)
        return "(undocumented)"
    return text


def render_enums(enums: dict[str, list[str]], ctx: Context) -> str:
    out = [
        '"""Every enumeration of a Checkout Session, open to values Stripe adds later.',
        "",
        "Generated by tools/generate_model.py from stripe-python's annotations; review changes",
        "like code. Each enum is a :class:`~enum.StrEnum` whose members compare equal to Stripe's",
        "strings. A value the model does not know yet still parses, as",
        ":class:`checkout_model.Unknown` (see :class:`checkout_model.OpenEnum`).",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from ._base import OpenEnum",
        "",
        "__all__ = [",
        *[f'    "{name}",' for name in sorted(enums)],
        "]",
        "",
    ]
    for name, values in enums.items():
        owners = ctx.enum_owners[name]
        _, path, fname = owners[0]
        if len(owners) == 1:
            doc = _doc(f"{path}.{fname}", FIELD_DOCS, ctx).rstrip(".")
            doc = f"Values of ``{fname}``: {doc[:1].lower() + doc[1:]}."
        else:
            where = ", ".join(o[0] for o in owners[:3])
            more = f" and {len(owners) - 3} more" if len(owners) > 3 else ""
            doc = f"Values of ``{fname}``, wherever it appears ({where}{more})."
        out += ["", f"class {name}(OpenEnum):", f'    """{doc}"""', ""]
        for v in values:
            out.append(f'    {_member(v)} = "{v}"')
        out.append("")
    return "\n".join(out)


def render_module(
    module: str,
    classes: dict[str, Klass],
    enums: dict[str, list[str]],
    doc: str,
    *,
    ctx: Context,
    extra: str = "",
) -> str:
    mine = [k for k in classes.values() if k.module == module]
    seen_names: set[str] = set()
    body: list[str] = []
    names: list[str] = []
    used: set[str] = set()
    for klass in mine:
        if klass.name in seen_names:
            continue
        seen_names.add(klass.name)
        names.append(klass.name)
        bases = "StripeModel" + (f", {MIXINS[klass.path]}" if klass.path in MIXINS else "")
        body += ["", "", "@attrs.frozen(kw_only=True, repr=False)", f"class {klass.name}({bases}):"]
        body.append(f'    """{_doc(klass.path, CLASS_DOCS, ctx)}"""')
        body.append("")
        if klass.path == "Session":
            body += SESSION_CLASSVARS
        for f in klass.fields:
            ann = render_type(f.type, classes, klass.path, f.name, ctx)
            used.update(re.findall(r"\w+", ann))
            if f.name == "id":
                body.append("    id: str")
            elif f.name == "object":
                body.append(f'    object: str = "{_object_value(klass)}"')
            elif (klass.path, f.name) in SECRETS:
                body.append(f"    {f.name}: {ann} | None = attrs.field(default=None, repr=False)")
            else:
                body.append(f"    {f.name}: {ann} | None = None")
            body.append(f'    """{_doc(klass.path + "." + f.name, FIELD_DOCS, ctx)}"""')
    if module == "line_items":
        names.append("LineItemList")
        used.add("LineItem")
    imports = []
    for name, source in (("datetime", "datetime"), ("Decimal", "decimal")):
        if name in used:
            imports.append(f"from {source} import {name}")
    if module == "session":
        imports.append("from typing import ClassVar")
    imports += ["", "import attrs", ""]
    base = sorted(n for n in ("FrozenDict", "FrozenJson", "Unknown") if n in used)
    if base:
        imports.append(f"from ._base import {', '.join(base)}")
    imports.append("from ._model import StripeModel")
    mixins = sorted(MIXINS[k.path] for k in mine if k.path in MIXINS)
    if mixins:
        imports.append(f"from ._mixins import {', '.join(mixins)}")
    groups = [
        ("enums", sorted(used & set(enums))),
        (
            "line_items",
            sorted(n for n in used - seen_names if n in _module_names(classes, "line_items")),
        ),
        ("references", sorted(used & EXTERNAL)),
    ]
    for source, group in groups:
        if group and source != module:
            imports.append(f"from .{source} import {', '.join(group)}")
    head = [
        f'"""{doc}',
        "",
        "Generated by tools/generate_model.py; review changes like code.",
        '"""',
        "",
    ]
    head += ["from __future__ import annotations", "", *imports, "", "__all__ = ["]
    head += [f'    "{n}",' for n in sorted(names)] + ["]"]
    return "\n".join(head + body) + "\n" + extra


def _module_names(classes: dict[str, Klass], module: str) -> set[str]:
    return {k.name for k in classes.values() if k.module == module} | {"LineItemList"}


SESSION_CLASSVARS = [
    "    expand_fields: ClassVar[tuple[str, ...]] = (",
    '        "line_items",',
    '        "line_items.data.price.product",',
    '        "line_items.data.discounts",',
    '        "line_items.data.taxes",',
    '        "total_details.breakdown",',
    "    )",
    '    """Paths to pass as ``expand=`` to retrieve line items and their details."""',
    "",
]


def _object_value(klass: Klass) -> str:
    for f in klass.fields:
        if f.name == "object" and isinstance(f.type, Lit):
            return f.type.values[0]
    raise ValueError(klass.path)


GENERATED = ("enums.py", "session.py", "line_items.py")


def generate() -> dict[str, str]:
    """The generated modules, by file name, formatted; raises ValueError on a bad input."""
    ctx = Context()
    classes = collect()
    name_classes(classes)
    enums = name_enums(classes, ctx)
    sources = {
        "enums.py": render_enums(enums, ctx),
        "session.py": render_module(
            "session",
            classes,
            enums,
            "The checkout.session object and everything nested in it.",
            ctx=ctx,
        ),
        "line_items.py": render_module(
            "line_items",
            classes,
            enums,
            "Line items and the catalogue objects a session carries expanded (prices, products).",
            ctx=ctx,
            extra=LINE_ITEM_LIST,
        ),
    }
    if ctx.missing_docs:
        raise ValueError(
            f"{len(ctx.missing_docs)} docstrings missing from tools/field_docs.py: "
            f"{ctx.missing_docs}"
        )
    unused = sorted((set(FIELD_DOCS) | set(CLASS_DOCS)) - ctx.used_docs)
    if unused:
        raise ValueError(
            f"{len(unused)} docstrings in tools/field_docs.py are never used: {unused}"
        )
    return {name: _format(name, text) for name, text in sources.items()}


def _format(name: str, text: str) -> str:
    """``text`` as the pinned ruff formats it (imports sorted, unused ones dropped)."""
    path = str(PACKAGE / name)
    fixed = _ruff(["check", "--fix-only", "-q", "--select", "I,F401"], path, text)
    return _ruff(["format", "-q"], path, fixed)


def _ruff(args: list[str], path: str, text: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--stdin-filename", path, "-"],
        input=text,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise ValueError(f"ruff {args[0]} failed on {path}: {done.stderr.strip()}")
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a committed file differs"
    )
    args = parser.parse_args(argv)
    try:
        sources = generate()
    except ValueError as exc:
        print(f"generate_model: {exc}", file=sys.stderr)
        return 2
    stale = [name for name, text in sources.items() if (PACKAGE / name).read_text() != text]
    if args.check:
        for name in stale:
            print(f"src/checkout_model/{name} differs from the generator's output", file=sys.stderr)
        return 1 if stale else 0
    for name in stale:
        (PACKAGE / name).write_text(sources[name])
        print(f"wrote src/checkout_model/{name}")
    return 0


LINE_ITEM_LIST = '''

@attrs.frozen(kw_only=True, repr=False)
class LineItemList(StripeModel):
    """One page of a session's line items, as Stripe returns them when expanded."""

    object: str = "list"
    """Always "list"."""
    data: tuple[LineItem, ...] | None = None
    """The line items on this page, in the order the customer saw them."""
    has_more: bool | None = None
    """Whether more line items exist beyond this page (fetch them with the list endpoint)."""
    url: str | None = None
    """The API path that lists every line item of the session."""
'''


if __name__ == "__main__":
    sys.exit(main())
