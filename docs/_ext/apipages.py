"""Write the API reference's pages from the package's ``__all__`` lists, before Sphinx reads.

Every public name of ``checkout_model`` lands on exactly one page: the small modules (parsing,
events, errors, money, building blocks) get one page each, and the model's classes (session,
line items, references) and its enums get one page per class behind an index table. A class
added to a module's ``__all__`` gets its page on the next build; a public name from a module this
file does not know about fails the build, so nothing goes undocumented silently.

Pages are written to ``reference/generated/`` (not committed) and only rewritten when their text
changes, so an unchanged page is not read again.
"""

from __future__ import annotations

import enum
import typing
from collections import defaultdict
from pathlib import Path
from typing import Any

import attrs
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.pycode import ModuleAnalyzer

import checkout_model
from checkout_model import StripeModel, enums, line_items, references, session

OUT = "reference/generated"

# Modules whose public names share one page: (page name, title, lead paragraph, module).
SMALL_PAGES: list[tuple[str, str, str, str]] = [
    (
        "parsing",
        "Parsing and serializing sessions",
        "Turn JSON into a :class:`~checkout_model.Session` and back. See the guide page "
        ":doc:`/guide/parsing` for examples.",
        "checkout_model.parsing",
    ),
    (
        "events",
        "Webhook events",
        "Verify, parse and write back Stripe's event envelope for the four Checkout Session "
        "events. See :doc:`/guide/webhooks`.",
        "checkout_model.events",
    ),
    (
        "errors",
        "Errors",
        "The one exception every parse function raises. Every message it can carry is listed, "
        "with a payload that produces it, in the :doc:`/errors`.",
        "checkout_model.errors",
    ),
    (
        "money",
        "Money",
        "Amounts that know their currency. See :doc:`/guide/money`.",
        "checkout_model.money",
    ),
    (
        "base",
        "Building blocks",
        "What every model class and enum is built on: open enums, immutable mappings and the "
        "model base class that keeps unknown and absent fields.",
        "checkout_model._base",
    ),
]

# Modules whose classes get a page each: (folder, title, lead paragraph, module).
CLASS_PAGES: list[tuple[str, str, str, Any]] = [
    (
        "session",
        "The session model",
        ":class:`~checkout_model.Session` and every object nested in it. Each field's type "
        "links to the class or enum that models it; each class page says which fields hold it.",
        session,
    ),
    (
        "line_items",
        "Line items and catalogue objects",
        "Line items and the objects a session carries expanded: prices, products, coupons, "
        "discounts, tax and shipping rates.",
        line_items,
    ),
    (
        "references",
        "Expanded references",
        "Objects of other Stripe resources that a session may carry expanded in place of their "
        "ID. They are kept whole: the ID and type are typed, the rest stays in ``payload``.",
        references,
    ),
    (
        "enums",
        "Enums",
        "Every field with a fixed set of values is a :class:`~checkout_model.OpenEnum`: a "
        ":class:`~enum.StrEnum` whose members equal Stripe's strings and which also holds "
        "values Stripe adds later (see :doc:`/guide/strict`).",
        enums,
    ),
]

# Classes whose inherited conveniences (money, interop, unknown fields) belong on their page.
WITH_INHERITED = {"Session", "LineItem"}


def _module_of(name: str) -> str:
    obj = getattr(checkout_model, name)
    module = getattr(obj, "__module__", None)
    if name == "JsonValue":  # a type alias: it has no module of its own
        return "checkout_model._base"
    if name == "__version__":
        return "version"
    assert isinstance(module, str), name
    return module


def _class_directive(name: str, obj: type) -> list[str]:
    lines = [f".. autoclass:: {name}", "   :members:", "   :show-inheritance:"]
    if issubclass(obj, enum.Enum):  # generated enum members have no docstrings of their own
        lines.append("   :undoc-members:")
    if name in WITH_INHERITED:
        lines.append("   :inherited-members:")
    if hasattr(obj, "stripe_class"):  # a ClassVar autodoc can only show as "alias of Session"
        lines.append("   :exclude-members: stripe_class")
    return lines


def _json_value() -> list[str]:
    """JsonValue by hand: autodoc would show the docstring of ``types.UnionType`` instead."""
    docs = ModuleAnalyzer.for_module("checkout_model._base").find_attr_docs()
    lines = [".. data:: JsonValue", ""]
    lines += [f"   {line}" for line in docs["", "JsonValue"] if line]
    return [
        *lines,
        "",
        "   A type alias: ``dict[str, JsonValue] | list[JsonValue] | str | int | float | bool"
        " | None``.",
    ]


def _entry(name: str) -> list[str]:
    obj = getattr(checkout_model, name)
    if name == "JsonValue":
        return _json_value()
    if isinstance(obj, type):
        return _class_directive(name, obj)
    return [f".. autofunction:: {name}"]


def _type_names(tp: Any) -> set[str]:
    """Names of the public classes mentioned anywhere in a type hint."""
    found: set[str] = set()
    if isinstance(tp, type) and getattr(checkout_model, tp.__name__, None) is tp:
        found.add(tp.__name__)
    for arg in typing.get_args(tp):
        found |= _type_names(arg)
    return found


def _holders() -> dict[str, list[str]]:
    """Class name -> the fields (``Owner.field``) whose type mentions that class."""
    held: dict[str, list[str]] = defaultdict(list)
    for name in checkout_model.__all__:
        cls = getattr(checkout_model, name)
        if not (isinstance(cls, type) and attrs.has(cls) and issubclass(cls, StripeModel)):
            continue
        hints = typing.get_type_hints(cls)
        for field in attrs.fields(cls):
            if field.name.startswith("_"):
                continue
            for target in sorted(_type_names(hints[field.name])):
                held[target].append(f"{name}.{field.name}")
    return held


def _page(title: str, body: list[str]) -> str:
    head = [title, "=" * len(title), "", ".. currentmodule:: checkout_model", ""]
    return "\n".join([*head, *body, ""])


def _class_page(name: str, held: dict[str, list[str]], section: str) -> str:
    body = [f"Part of :doc:`{section}`.", ""]
    holders = held.get(name, [])
    if holders:
        refs = ", ".join(f":attr:`{h}`" for h in holders)
        body[0] = f"Part of :doc:`{section}`; held by {refs}."
    body += _class_directive(name, getattr(checkout_model, name))
    # Not in a toctree: the theme would render every class into every page's sidebar, which
    # made writing the site several times slower. The section's index table lists them all.
    return ":orphan:\n\n" + _page(name, body)


def _index_page(title: str, lead: str, names: list[str]) -> str:
    first = [n for n in names if n in ("Session", "LineItem")]
    ordered = first + [n for n in names if n not in first]
    body = [
        lead,
        "",
        ".. autosummary::",
        "   :nosignatures:",
        "",
        *(f"   {n}" for n in ordered),
    ]
    return _page(title, body)


def pages() -> dict[str, str]:
    """Relative path (without suffix) -> the reST text of every generated page."""
    by_module: dict[str, list[str]] = defaultdict(list)
    for name in checkout_model.__all__:
        by_module[_module_of(name)].append(name)
    out: dict[str, str] = {}
    held = _holders()
    for page, title, lead, module in SMALL_PAGES:
        names = sorted(by_module.pop(module, []), key=lambda n: (not n[0].islower(), n))
        body = [lead, ""]
        for name in names:
            body += [*_entry(name), ""]
        out[page] = _page(title, body)
    for folder, title, lead, module in CLASS_PAGES:
        names = sorted(by_module.pop(module.__name__, []))
        out[f"{folder}/index"] = _index_page(title, lead, names)
        for name in names:
            out[f"{folder}/{name}"] = _class_page(name, held, "index")
    by_module.pop("version", None)
    if by_module:
        raise ExtensionError(
            f"docs/_ext/apipages.py: public names from modules without a reference page: "
            f"{dict(by_module)}; add the module to SMALL_PAGES or CLASS_PAGES"
        )
    return out


def write_pages(app: Sphinx) -> None:
    root = Path(app.srcdir) / OUT
    wanted = {root / f"{path}.rst": text for path, text in pages().items()}
    for path, text in wanted.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    for stale in root.rglob("*"):  # a class removed from __all__ loses its page
        if stale.is_file() and stale not in wanted:
            stale.unlink()


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", write_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
