"""Write the API reference's pages from the package's ``__all__`` lists, before Sphinx reads.

Two sources, as the package itself is laid out:

* the top-level ``checkout_model.__all__`` (what most code imports): its functions, errors,
  webhook classes, version and building-block names get one page per subject (``PAGES``);
* each model module's own ``__all__`` (``session``, ``line_items``, ``references``, ``enums``):
  every class gets a page of its own behind its section's index table (``SECTIONS``).

A class the top level re-exports (``Session``, ``Mode``) is documented as ``checkout_model.X``
(autodoc records ``checkout_model.session.X`` as its canonical name, so both link); a nested class
only its module exports is documented as ``checkout_model.session.X``. A top-level name that no
page claims fails the build, so nothing goes undocumented silently.

Pages are written to ``reference/generated/`` (not committed) and only rewritten when their text
changes, so an unchanged page is not read again.
"""

from __future__ import annotations

import enum
import importlib
from collections import defaultdict
from pathlib import Path
from types import ModuleType
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.pycode import ModuleAnalyzer

import checkout_model
from checkout_model import enums, line_items, references, session
from checkout_model._schema import Kind, TypeSchema, is_model, schema

OUT = "reference/generated"

# Pages of top-level names: page -> (title, lead paragraph, the modules whose names it holds).
PAGES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "parsing": (
        "Parsing and serializing sessions",
        "Turn JSON into a :class:`~checkout_model.Session` and back. See the guide page "
        ":doc:`/guide/parsing` for examples.",
        ("checkout_model.parsing",),
    ),
    "events": (
        "Webhook events",
        "Verify, parse and write back Stripe's event envelope for the four Checkout Session "
        "snapshot events. See :doc:`/guide/webhooks`.",
        ("checkout_model.events",),
    ),
    "notifications": (
        "Thin event notifications",
        "Verify and parse the ``v1.checkout.session.*`` notifications an event destination "
        "receives, then fetch the session they are about. See :doc:`/guide/webhooks`.",
        ("checkout_model.notifications",),
    ),
    "versions": (
        "API versions and normalized reads",
        "The API version of an event, and the values sessions read the same way in every API "
        "version. See :doc:`/guide/api-versions`.",
        ("checkout_model.versions", "checkout_model._versioned"),
    ),
    "errors": (
        "Errors",
        "The exception every parse function raises. Every message it can carry is listed, "
        "with a payload that produces it, in the :doc:`/errors`.",
        ("checkout_model.errors",),
    ),
    "data": (
        "Archives and Arrow",
        "Read archives of sessions and events as streams of records, and write sessions as "
        "Arrow tables. See :doc:`/guide/data`.",
        ("checkout_model.archive", "checkout_model.arrow"),
    ),
    "spark": (
        "PySpark",
        "Parse a DataFrame of JSON payloads into typed rows (``checkout_model.spark``; needs "
        "pyspark and pyarrow). See :doc:`/guide/data`.",
        (),
    ),
    "converters": (
        "cattrs composition",
        "The model's hooks on a cattrs converter of your own. See :doc:`/guide/cattrs`.",
        ("checkout_model.converters",),
    ),
    "money": (
        "Money",
        "Amounts that know their currency. See :doc:`/guide/money`.",
        ("checkout_model.money",),
    ),
    "base": (
        "Building blocks",
        "What every model class and enum is built on: open enums and their unknown values, "
        "immutable mappings, frozen JSON and the model base class that keeps unknown and absent "
        "fields.",
        ("checkout_model._base", "checkout_model._model"),
    ),
}

# Names that only their public module exports, documented on a page with its full name:
# page -> modules whose whole ``__all__`` is documented there (top-level names excepted).
MODULE_NAMES: dict[str, tuple[str, ...]] = {
    "data": ("checkout_model.archive",),
    "spark": ("checkout_model.spark",),
}

# Top-level names whose defining module does not say where they belong.
PLACED = {
    "JsonValue": "base",  # type aliases have no module of their own
    "FrozenJson": "base",
    "converter": "converters",  # an instance of cattrs.Converter
    "SignatureVerificationError": "events",  # stripe-python's class, loaded on first use
}
SKIPPED = {"__version__", "enums", "line_items", "references", "session"}  # sections, version

# Model modules whose classes get a page each: (module, title, lead paragraph).
SECTIONS: list[tuple[ModuleType, str, str]] = [
    (
        session,
        "The session model",
        ":class:`~checkout_model.Session` and every object nested in it "
        "(``checkout_model.session``). Each field's type links to the class or enum that models "
        "it; each class page says which fields hold it.",
    ),
    (
        line_items,
        "Line items and catalogue objects",
        "Line items and the objects a session carries expanded: prices, products, coupons, "
        "discounts, tax and shipping rates (``checkout_model.line_items``).",
    ),
    (
        references,
        "Expanded references",
        "Objects of other Stripe resources that a session may carry expanded in place of their "
        "ID (``checkout_model.references``). They are kept whole: the ID and type are typed, the "
        "rest stays in ``payload``.",
    ),
    (
        enums,
        "Enums",
        "Every field with a fixed set of values is an :class:`~checkout_model.OpenEnum`: a "
        ":class:`~enum.StrEnum` whose members equal Stripe's strings (``checkout_model.enums``). "
        "A value Stripe adds later parses as :class:`~checkout_model.Unknown` of the enum, which "
        "every enum field's type names (see :doc:`/guide/strict`).",
    ),
]

# Classes whose inherited conveniences (money, interop, unknown fields) belong on their page.
WITH_INHERITED = {"Session", "LineItem"}


def documented_name(module: ModuleType, name: str) -> str:
    """``checkout_model.X`` for what the top level re-exports, else ``module.X``."""
    if name in checkout_model.__all__ and getattr(checkout_model, name) is getattr(module, name):
        return f"checkout_model.{name}"
    return f"{module.__name__}.{name}"


def _class_directive(name: str, obj: type) -> list[str]:
    lines = [f".. autoclass:: {name}", "   :members:"]
    if obj.__bases__ != (object,):  # autodoc would print an empty "Bases:" line
        lines.append("   :show-inheritance:")
    if issubclass(obj, enum.Enum) or getattr(obj, "_is_protocol", False):
        lines.append("   :undoc-members:")  # enum members and protocol properties are self-evident
    if name in WITH_INHERITED:
        lines.append("   :inherited-members:")
    if hasattr(obj, "stripe_class"):  # a ClassVar autodoc can only show as "alias of Session"
        lines.append("   :exclude-members: stripe_class")
    return lines


def _alias(name: str, spelled: str) -> list[str]:
    """A type alias by hand: autodoc would show the docstring of the alias's class instead."""
    docs = ModuleAnalyzer.for_module("checkout_model._base").find_attr_docs()
    lines = [f".. data:: {name}", ""]
    lines += [f"   {line}" for line in docs["", name] if line]
    return [*lines, "", f"   A type alias: ``{spelled}``."]


ALIASES = {
    "JsonValue": "dict[str, JsonValue] | list[JsonValue] | str | int | float | bool | None",
    "FrozenJson": (
        "FrozenDict[str, FrozenJson] | tuple[FrozenJson, ...] | str | int | float | bool | None"
    ),
}


SIGNATURE_ERROR = [
    "stripe-python's ``stripe.SignatureVerificationError``, re-exported (loaded on first use, so",
    "``import checkout_model`` does not import stripe). :func:`construct_event` and",
    ":func:`parse_event_notification` raise it, and nothing else, for a forged, malformed, stale",
    "or missing signature.",
]
"""Its entry, by hand: autodoc would import stripe's class and show stripe's docstring."""


def _entry(name: str) -> list[str]:
    if name in ALIASES:
        return _alias(name, ALIASES[name])
    if name == "SignatureVerificationError":
        return [f".. class:: {name}", "", *(f"   {line}" for line in SIGNATURE_ERROR)]
    if name == "converter":
        return [".. autodata:: converter", "   :no-value:", "   :annotation: : cattrs.Converter"]
    obj = getattr(checkout_model, name)
    if isinstance(obj, type):
        return _class_directive(name, obj)
    return [f".. autofunction:: {name}"]


def _module_entry(module: ModuleType, name: str) -> list[str]:
    """A name only ``module`` exports, under its full name."""
    obj = getattr(module, name)
    full = f"{module.__name__}.{name}"
    if isinstance(obj, type):
        return [f".. autoclass:: {full}", "   :members:", "   :show-inheritance:"]
    if callable(obj):
        return [f".. autofunction:: {full}"]
    return [f".. autodata:: {full}", "   :no-value:"]


def _page_of(name: str) -> str:
    if name in PLACED:
        return PLACED[name]
    module = getattr(getattr(checkout_model, name), "__module__", None)
    for page, (_, _, modules) in PAGES.items():
        if module in modules:
            return page
    raise ExtensionError(
        f"docs/_ext/apipages.py: the public name {name!r} (from {module}) has no reference "
        "page; add its module to PAGES or SECTIONS"
    )


def _classes_in(tp: TypeSchema | None) -> set[type]:
    """The enum, model and reference classes a field's type mentions, at any depth."""
    if tp is None:
        return set()
    found = _classes_in(tp.item)
    if tp.kind in (Kind.ENUM, Kind.MODEL, Kind.REFERENCE) and tp.cls is not None:
        found.add(tp.cls)
    return found


def _holders(classes: dict[type, str]) -> dict[type, list[str]]:
    """Class -> references to the fields (``Owner.field``) whose type mentions it."""
    held: dict[type, list[str]] = defaultdict(list)
    for cls, documented in classes.items():
        if not is_model(cls):
            continue
        for field in schema(cls).fields:
            for target in sorted(_classes_in(field.type), key=lambda c: c.__qualname__):
                owner = f"{cls.__name__}.{field.name}"
                held[target].append(f":attr:`{owner} <{documented}.{field.name}>`")
    return held


PUBLIC_MODULES = {
    "data": "checkout_model.archive",
    "spark": "checkout_model.spark",
    "notifications": "checkout_model.notifications",
    "versions": "checkout_model.versions",
    "converters": "checkout_model.converters",
}
"""Pages that are the home of a public module (its ``:mod:`` target)."""


def _page(
    title: str, body: list[str], module: str = "checkout_model", declares: str | None = None
) -> str:
    head = [title, "=" * len(title), ""]
    if declares is not None:
        head += [f".. module:: {declares}", ""]
    head += [f".. currentmodule:: {module}", ""]
    return "\n".join([*head, *body, ""])


def _class_page(module: ModuleType, name: str, documented: str, held: list[str]) -> str:
    body = ["Part of :doc:`index`" + (f"; held by {', '.join(held)}." if held else "."), ""]
    if documented != f"checkout_model.{name}":
        body = [f"``from {module.__name__} import {name}``", "", *body]
    if module is enums:
        body += [
            f"A value Stripe adds later parses as ``Unknown[{name}]`` (lenient mode), which every "
            f"field holding this enum names in its type; ``{name}.of(text)`` gives the member or "
            "that value (:doc:`/guide/strict`).",
            "",
        ]
    body += _class_directive(name, getattr(module, name))
    # Not in a toctree: the theme would render every class into every page's sidebar, which
    # made writing the site several times slower. The section's index table lists them all.
    return ":orphan:\n\n" + _page(name, body, documented.rpartition(".")[0])


def _index_page(module: str, title: str, lead: str, documented: list[str]) -> str:
    first = [d for d in documented if d.rpartition(".")[2] in ("Session", "LineItem")]
    ordered = first + [d for d in documented if d not in first]
    body = [lead, "", ".. autosummary::", "   :nosignatures:", ""]
    body += [f"   ~{d.removeprefix('checkout_model.')}" for d in ordered]
    return _page(title, body, declares=module)


def pages() -> dict[str, str]:
    """Relative path (without suffix) -> the reST text of every generated page."""
    out: dict[str, str] = {}
    sectioned = {m.__name__ for m, _, _ in SECTIONS}
    by_page: dict[str, list[str]] = defaultdict(list)
    for name in checkout_model.__all__:
        if name in SKIPPED:
            continue
        module = getattr(getattr(checkout_model, name), "__module__", None)
        if module in sectioned and name not in PLACED:
            continue  # documented on its class page
        by_page[_page_of(name)].append(name)
    for page, (title, lead, _) in PAGES.items():
        names = sorted(by_page.pop(page, []), key=lambda n: (not n[0].islower(), n))
        body = [lead, ""]
        for name in names:
            body += [*_entry(name), ""]
        for module_name in MODULE_NAMES.get(page, ()):
            module = importlib.import_module(module_name)
            for name in sorted(module.__all__):
                if name not in checkout_model.__all__:
                    body += [*_module_entry(module, name), ""]
        out[page] = _page(title, body, declares=PUBLIC_MODULES.get(page))
    classes: dict[type, str] = {}
    for module, _, _ in SECTIONS:
        for name in module.__all__:
            classes[getattr(module, name)] = documented_name(module, name)
    for name in checkout_model.__all__:  # events and notifications hold sessions too
        obj = getattr(checkout_model, name, None)
        if isinstance(obj, type) and is_model(obj):
            classes.setdefault(obj, f"checkout_model.{name}")
    held = _holders(classes)
    for module, title, lead in SECTIONS:
        folder = module.__name__.rpartition(".")[2]
        documented = [documented_name(module, name) for name in sorted(module.__all__)]
        out[f"{folder}/index"] = _index_page(module.__name__, title, lead, documented)
        for name, full in zip(sorted(module.__all__), documented, strict=True):
            cls = getattr(module, name)
            out[f"{folder}/{name}"] = _class_page(module, name, full, held.get(cls, []))
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
