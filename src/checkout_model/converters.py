"""The model's hooks on any cattrs converter: your own attrs classes can hold sessions and events.

``register_hooks(converter)`` installs hook factories for every model class (``Session``,
``Event``, ``LineItem``, each nested class, and your subclasses of them): cattrs then reaches
them through your classes, lists, dicts, tuples and ``X | None`` as it reaches any hook. The
hooks are the model's own compiled code (strict types, unknown fields kept, absent stays
absent), so a session inside your class round-trips exactly as ``dump_session`` does.

A failure inside a model object surfaces the cattrs way: with ``detailed_validation`` on (the
cattrs default), as a ``ClassValidationError`` / ``IterableValidationError`` tree that
``cattrs.transform_error`` reads into full paths from your root, such as
``$.history[1].amount_total``; with it off, as a ``ParseError`` whose paths start at the model
object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    IterableValidationError,
    IterableValidationNote,
)

from ._converter import structure_hook, unstructure_hook
from ._schema import Kind, TypeSchema, is_model, schema
from .errors import ParseError, _Invalid

__all__ = ["converter", "register_hooks"]


def register_hooks(converter: cattrs.Converter, *, strict: bool = False) -> None:
    """Install the model's structure and unstructure hooks on ``converter``.

    ``strict=True`` makes its hooks reject unknown fields and enum values, as
    ``parse_session(..., strict=True)`` does.
    """
    detailed = bool(getattr(converter, "detailed_validation", True))

    def structure_factory(cls: type) -> Callable[[Any, Any], Any]:
        fn = structure_hook(cls, strict)

        def structure(data: Any, _: Any) -> Any:
            try:
                return fn(data)
            except _Invalid as exc:
                if detailed:
                    raise _cattrs_error(cls, exc) from None
                raise ParseError([exc.detail()]) from None
            except RecursionError:
                raise ParseError.at("$", "nested too deeply to parse") from None

        return structure

    converter.register_structure_hook_factory(is_model, structure_factory)
    converter.register_unstructure_hook_factory(is_model, unstructure_hook)


def _make_converter() -> cattrs.Converter:
    ready = cattrs.Converter()
    register_hooks(ready)
    return ready


converter: cattrs.Converter = _make_converter()
"""A cattrs converter with the model's hooks installed (lenient); build your own with
``register_hooks`` to add hooks of your own or choose ``strict=True``."""


# ------------------------------------------------------------------------------------------------
# A failure as the tree of cattrs errors that transform_error walks


def _cattrs_error(cls: type, failure: _Invalid) -> Exception:
    """The cattrs exception tree of a failure inside an object of ``cls``.

    Each level of the failure's path becomes a ClassValidationError (an object's field) or an
    IterableValidationError (an array index or a free map key) with the note cattrs' own code
    would attach; the innermost problem is a ``KeyError`` for a missing required field (cattrs'
    "required field missing") and a ``ParseError`` with the model's message otherwise.
    """
    parts = list(reversed(failure.parts))
    message = failure.message
    leaf: Exception
    if message == "missing required field" and parts:
        leaf = KeyError(parts[-1])
    else:
        leaf = ParseError.at("$", message)
    types = _types_along(cls, parts)
    error: Exception = leaf
    for depth in range(len(parts) - 1, -1, -1):
        part, owner, tp = parts[depth], types[depth][0], types[depth][1]
        if isinstance(part, int) or owner is None:
            index_note = IterableValidationNote(f"@ index {part!r}", part, tp)
            error.__notes__ = [*getattr(error, "__notes__", []), index_note]
            error = IterableValidationError(f"While structuring {_name(owner)}", [error], owner)
        else:
            text = f"Structuring class {owner.__name__} @ attribute {part}"
            field_note = AttributeValidationNote(text, part, tp)
            error.__notes__ = [*getattr(error, "__notes__", []), field_note]
            error = ClassValidationError(f"While structuring {owner.__name__}", [error], owner)
    if not parts:
        return ClassValidationError(f"While structuring {cls.__name__}", [leaf], cls)
    return error


def _name(owner: Any) -> str:
    return getattr(owner, "__name__", "an array or map")


def _types_along(cls: type, parts: list[str | int]) -> list[tuple[Any, Any]]:
    """Per path segment: the class that owns it (None inside an array or map) and its type."""
    out: list[tuple[Any, Any]] = []
    current: TypeSchema | None = TypeSchema(Kind.MODEL, cls=cls)
    for part in parts:
        if current is not None and current.kind is Kind.EXPANDABLE:
            current = current.item
        if current is not None and current.kind is Kind.MODEL and isinstance(part, str):
            assert current.cls is not None
            field = next((f for f in schema(current.cls).fields if f.key == part), None)
            out.append((current.cls, None if field is None else field.type.python_type))
            current = None if field is None else field.type
        elif current is not None and current.kind is Kind.REFERENCE and isinstance(part, str):
            out.append((current.cls, None))
            current = None
        elif current is not None and current.kind in (Kind.LIST, Kind.MAP):
            item = current.item
            out.append((None, None if item is None else item.python_type))
            current = item
        else:  # raw JSON, or a reference's payload: no declared type below
            out.append(
                (current.cls if current is not None and is_model(current.cls) else None, None)
            )
            current = None
    return out
