"""Intersphinx inventories for the few outside names these docs mention, written offline.

The build runs where only package registries are reachable (CI included), so intersphinx cannot
download docs.python.org's, attrs' or cattrs' ``objects.inv``. This extension writes small
inventories of exactly the outside names the API and the guide refer to, with their addresses
in the official documentation, and points ``intersphinx_mapping`` at them. A reference to an
outside name missing here still fails the nitpicky build, so the list stays complete.

stripe-python publishes no Sphinx inventory at all; its classes are listed in conf.py's
``nitpick_ignore`` instead and shown as plain text.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

# project -> (documentation root, {(role, name): path of the page, "$" for the name itself})
INVENTORIES: dict[str, tuple[str, dict[tuple[str, str], str]]] = {
    "python": (
        "https://docs.python.org/3/",
        {
            ("py:class", "collections.abc.Iterable"): "library/collections.abc.html#$",
            ("py:class", "collections.abc.Iterator"): "library/collections.abc.html#$",
            ("py:class", "os.PathLike"): "library/os.html#$",
            ("py:class", "collections.abc.Mapping"): "library/collections.abc.html#$",
            ("py:class", "collections.abc.Sequence"): "library/collections.abc.html#$",
            ("py:class", "datetime.date"): "library/datetime.html#$",
            ("py:class", "datetime.datetime"): "library/datetime.html#$",
            ("py:class", "decimal.Decimal"): "library/decimal.html#$",
            ("py:class", "enum.StrEnum"): "library/enum.html#$",
            ("py:exception", "ValueError"): "library/exceptions.html#$",
            ("py:exception", "AttributeError"): "library/exceptions.html#$",
            ("py:exception", "KeyError"): "library/exceptions.html#$",
            ("py:exception", "TypeError"): "library/exceptions.html#$",
            ("py:function", "linecache.getlines"): "library/linecache.html#$",
            ("py:class", "bytes"): "library/stdtypes.html#$",
            ("py:class", "bytearray"): "library/stdtypes.html#$",
            ("py:class", "memoryview"): "library/stdtypes.html#$",
            ("py:class", "dict"): "library/stdtypes.html#$",
            ("py:class", "frozenset"): "library/stdtypes.html#$",
            ("py:class", "list"): "library/stdtypes.html#$",
            ("py:class", "str"): "library/stdtypes.html#$",
            ("py:class", "tuple"): "library/stdtypes.html#$",
            ("py:class", "int"): "library/functions.html#$",
            ("py:class", "float"): "library/functions.html#$",
            ("py:class", "bool"): "library/functions.html#$",
            ("py:class", "object"): "library/functions.html#$",
            ("py:class", "type"): "library/functions.html#$",
            ("py:data", "None"): "library/constants.html#$",
            ("py:data", "typing.Any"): "library/typing.html#$",
            ("py:data", "typing.Self"): "library/typing.html#$",
            ("py:function", "pickle.dumps"): "library/pickle.html#$",
            ("py:class", "multiprocessing.pool.Pool"): "library/multiprocessing.html#$",
        },
    ),
    "attrs": (
        "https://www.attrs.org/en/stable/",
        {
            ("py:function", "attrs.evolve"): "api.html#$",
            ("py:function", "attrs.frozen"): "api.html#$",
        },
    ),
    "cattrs": (
        "https://catt.rs/en/stable/",
        {
            ("py:class", "cattrs.Converter"): "cattrs.html#$",
            # where the class is defined, which is how autodoc names it in signatures
            ("py:class", "cattrs.converters.Converter"): "cattrs.html#cattrs.Converter",
            ("py:exception", "cattrs.ClassValidationError"): "cattrs.html#$",
            ("py:exception", "cattrs.IterableValidationError"): "cattrs.html#$",
            ("py:function", "cattrs.transform_error"): "cattrs.html#$",
        },
    ),
    "pyarrow": (
        "https://arrow.apache.org/docs/python/",
        {
            ("py:class", "pyarrow.RecordBatch"): "generated/$.html#$",
            ("py:class", "pyarrow.Schema"): "generated/$.html#$",
            ("py:class", "pyarrow.Table"): "generated/$.html#$",
        },
    ),
    "pyspark": (
        "https://spark.apache.org/docs/latest/api/python/",
        {
            ("py:class", "pyspark.sql.DataFrame"): "reference/pyspark.sql/api/$.html",
            ("py:class", "pyspark.sql.types.StructType"): "reference/pyspark.sql/api/$.html",
        },
    ),
    "hypothesis": (
        "https://hypothesis.readthedocs.io/en/latest/",
        {
            ("py:function", "hypothesis.strategies.from_type"): "reference/strategies.html#$",
            ("py:class", "hypothesis.strategies.SearchStrategy"): "reference/strategies.html#$",
        },
    ),
}


def _inventory(project: str, entries: dict[tuple[str, str], str]) -> bytes:
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        "# Version: \n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    lines = "".join(f"{name} {role} 1 {path} -\n" for (role, name), path in sorted(entries.items()))
    return header.encode() + zlib.compress(lines.encode())


def write_inventories(app: Sphinx, config: Config) -> None:
    folder = Path(app.outdir).parent / "inventories"
    folder.mkdir(parents=True, exist_ok=True)
    mapping: dict[str, tuple[str, str]] = {}
    for project, (root, entries) in INVENTORIES.items():
        path = folder / f"{project}.inv"
        data = _inventory(project, entries)
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
        mapping[project] = (root, str(path))
    config.intersphinx_mapping = {**mapping, **config.intersphinx_mapping}


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx.ext.intersphinx")
    # Before intersphinx reads (and normalises) intersphinx_mapping at config-inited.
    app.connect("config-inited", write_inventories, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
