"""Compiling generated functions the way cattrs' ``gen`` package does.

Each function gets its own globals, holding exactly the objects it uses, so nothing is looked up
by name at call time and two classes with the same ``__name__`` never meet. Its source is
registered in :mod:`linecache` under a readable, stable filename (as cattrs'
``generate_unique_filename`` does), so tracebacks, debuggers and profilers show the line.
"""

from __future__ import annotations

import linecache
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["compile_function"]


def compile_function(
    name: str, args: str, body: Iterable[str], globs: dict[str, Any], filename: str
) -> Callable[..., Any]:
    """Compile ``def name(args): body`` with ``globs`` as its globals; its source stays readable.

    ``filename`` should read like ``<checkout_model generated structure mod.Class>``; when the
    same name already holds other source (a redefined class), ``-2``, ``-3``, ... is added.
    """
    source = f"def {name}({args}):\n" + "".join(f"    {line}\n" for line in body)
    unique = filename
    counter = 1
    while True:
        cached = linecache.cache.get(unique)
        if cached is None or (len(cached) == 4 and cached[2] == source.splitlines(True)):
            break
        counter += 1
        unique = f"{filename[:-1]}-{counter}>"
    code = compile(source, unique, "exec")
    globs.setdefault("__builtins__", __builtins__)
    exec(code, globs)  # noqa: S102 - the source is generated here, from the model's schema
    linecache.cache[unique] = (len(source), None, source.splitlines(True), unique)
    fn: Callable[..., Any] = globs.pop(name)
    return fn
