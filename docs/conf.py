"""Sphinx configuration of the checkout-model documentation (``nox -s docs`` builds it)."""

from __future__ import annotations

import enum
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.ext import intersphinx

import checkout_model

sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))

project = "checkout-model"
author = "checkout-model developers"
copyright = "checkout-model developers"
release = version = checkout_model.__version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "apipages",  # writes reference/generated/ from the package's and its modules' __all__
    "inventories",  # offline intersphinx inventories for Python, attrs, cattrs, Hypothesis
    "errorcatalogue",  # the error catalogue, produced by running the parser
    "cliexample",  # command-line examples, run while the page is read
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build", "_ext"]
nitpicky = True
# stripe-python publishes no Sphinx inventory, so its classes cannot be linked; they are named
# in signatures by their private module paths, which is where autodoc finds them.
nitpick_ignore = [
    ("py:class", "stripe._event.Event"),
    ("py:class", "stripe._line_item.LineItem"),
    ("py:class", "stripe._stripe_object.StripeObject"),
    ("py:class", "stripe.checkout._session.Session"),
    # The same classes as the mixins' and notifications' annotations spell them.
    ("py:class", "stripe.Event"),
    ("py:class", "stripe.LineItem"),
    ("py:class", "stripe.StripeClient"),
    ("py:class", "stripe.StripeObject"),
    ("py:class", "stripe.checkout.Session"),
    # FrozenDict's type variables, in its constructor's parameter types.
    ("py:class", "K"),
    ("py:class", "V_co"),
    # The enum type variable of OpenEnum.of() and Unknown[E].
    ("py:obj", "checkout_model._base.E"),
    ("py:class", "E"),
    # The type variable of archive.Record.
    ("py:class", "checkout_model.archive.T"),
    ("py:obj", "checkout_model.archive.T"),
    # The type variable of strategies.models().
    ("py:class", "checkout_model.strategies.M"),
]
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}  # filled by _ext/inventories.py

myst_enable_extensions = ["colon_fence", "deflist", "substitution"]
myst_substitutions = {"release": release}
myst_heading_anchors = 3

autodoc_typehints = "description"
autodoc_member_order = "bysource"
autosummary_generate = False

doctest_global_setup = "import checkout_model as cm"

html_theme = "furo"
html_static_path = ["_static"]
html_css_files = ["catalogue.css"]
html_title = f"checkout-model {release}"


def _constructed_by_parsing(obj: Any) -> bool:
    """Model classes and enums: parse_* builds them, so their constructor is not shown."""
    return isinstance(obj, type) and (
        issubclass(obj, (checkout_model.StripeModel, enum.Enum))
        or issubclass(obj, checkout_model.references.ExpandedResource)
    )


def hide_constructor(  # noqa: PLR0917 (Sphinx passes the event's arguments by position)
    app: Sphinx, what: str, name: str, obj: Any, options: Any, sig: str | None, ret: str | None
) -> tuple[str, None] | None:
    """No constructor signature (and so no parameter list) on model classes and enums.

    Their constructors take every field as a keyword (70 on Session) plus the private
    ``_unknown`` and ``_absent``; the fields are documented one by one below the class.
    """
    if what == "class" and (_constructed_by_parsing(obj) or getattr(obj, "_is_protocol", False)):
        return "", None  # protocols (PostalAddress) are not instantiated either
    return None


def drop_parameter_list(app: Sphinx, domain: str, objtype: str, contentnode: Any) -> None:
    """Remove the constructor's parameter list that autodoc adds to a model class or enum."""
    if domain != "py" or objtype != "class":
        return
    signature = contentnode.parent[0]
    module = sys.modules.get(signature.get("module", ""))
    obj = getattr(module, signature.get("fullname", ""), None)
    if _constructed_by_parsing(obj):
        contentnode[:] = [n for n in contentnode if not isinstance(n, nodes.field_list)]


def public_bases(app: Sphinx, name: str, obj: type, options: Any, bases: list[Any]) -> None:
    """Show only public bases: the private mixins' members are documented on the class."""
    keep = [
        base
        for base in bases
        if base is not object
        and not getattr(base, "__module__", "").startswith("checkout_model._mixins")
    ]
    if obj is checkout_model.FrozenDict:  # Mapping[K, V_co]: the type variables are private
        keep = [Mapping]
    bases[:] = keep


_ID_PREFIX = re.compile(r"\b([a-z]+)_(?=[\s).,;:]|$)")
"""An ID prefix such as ``cs_`` in plain prose, which reST would read as a link."""


def plain_id_prefixes(  # noqa: PLR0917 (Sphinx passes the event's arguments by position)
    app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    """Escape ID prefixes (``cs_``, ``evt_``) in the generated model's one-line docstrings.

    Those docstrings are plain text written for ``help()`` and IDEs, not reST.
    """
    lines[:] = [_ID_PREFIX.sub(r"\1\\_", line) for line in lines]


UNQUALIFIED = {
    "datetime": "datetime.datetime",
    "Decimal": "decimal.Decimal",
    # pyarrow is imported as ``pa`` for type checking only.
    "pa.RecordBatch": "pyarrow.RecordBatch",
    "pa.Schema": "pyarrow.Schema",
    "pa.Table": "pyarrow.Table",
    # pyspark's, imported by name for type checking only.
    "DataFrame": "pyspark.sql.DataFrame",
    "StructType": "pyspark.sql.types.StructType",
}
"""Names that annotations use unqualified, where autodoc cannot resolve them to the class."""

OWN_UNQUALIFIED = {"Record": "checkout_model.archive.Record"}
"""Names the package's docstrings use unqualified for a class of their own module."""

BUILTIN_TYPES = frozenset(
    {"bool", "bytes", "dict", "float", "int", "list", "object", "str", "type"}
)


def exact_builtins(app: Sphinx, doctree: nodes.document) -> None:
    """Look up builtin type names exactly, so ``type`` never lands on a field named ``type``.

    autodoc asks for a "specific" lookup of annotation names, which matches any documented
    object whose name ends in ``.type``; model classes have many such fields.
    """
    for node in doctree.findall(addnodes.pending_xref):
        if node.get("refdomain") == "py" and node.get("reftarget") in BUILTIN_TYPES:
            node.attributes.pop("refspecific", None)  # the domain tests for its presence


def qualify(app: Sphinx, env: Any, node: Any, contnode: Any) -> Any:
    """Resolve ``datetime``, ``Decimal``, ``pa.Table`` ... as the classes the annotations mean."""
    if node.get("refdomain") != "py":
        return None
    own = OWN_UNQUALIFIED.get(node.get("reftarget"))
    if own is not None:
        domain = env.get_domain("py")
        return domain.resolve_xref(
            env, node["refdoc"], app.builder, node["reftype"], own, node, contnode
        )
    target = UNQUALIFIED.get(node.get("reftarget"))
    if target is None:
        return None
    node["reftarget"] = target
    return intersphinx.missing_reference(app, env, node, contnode)


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", exact_builtins)
    app.connect("missing-reference", qualify, priority=100)
    app.connect("autodoc-process-docstring", plain_id_prefixes)
    app.connect("autodoc-process-signature", hide_constructor, priority=100)
    app.connect("autodoc-process-bases", public_bases)
    app.connect("object-description-transform", drop_parameter_list, priority=900)
