"""Registers a strategy for every model class with Hypothesis, so ``st.from_type`` builds
checkout_model objects from realistic payloads.

Called by the ``hypothesis`` entry point (``_checkout_model_hypothesis``, a module outside this
package so that importing Hypothesis imports nothing of ours) when checkout_model is already
loaded, and by ``checkout_model/__init__.py`` when Hypothesis is. The strategies module itself
is imported only when ``st.from_type`` first asks for a strategy.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

from hypothesis import strategies as st

from ._model import StripeModel
from .events import Event
from .line_items import LineItem
from .session import Session

__all__ = ["register"]

_LOCK = threading.Lock()
_registered = False


def register() -> None:
    """Register a strategy for every model class (once; sessions, line items and events are
    realistic, any other class is built from its own payloads)."""
    global _registered  # noqa: PLW0603 - a once-per-process switch
    with _LOCK:
        if _registered:
            return
        st.register_type_strategy(Session, _sessions)
        st.register_type_strategy(LineItem, _line_items)
        st.register_type_strategy(Event, _events)
        for cls in _model_classes(StripeModel):
            if cls not in (Session, LineItem, Event):
                st.register_type_strategy(cls, _models)
        _registered = True


def _sessions(_: type) -> st.SearchStrategy[Any]:
    from . import strategies  # noqa: PLC0415 - imported on first use: it imports much of Hypothesis

    return strategies.sessions()


def _line_items(_: type) -> st.SearchStrategy[Any]:
    from . import strategies  # noqa: PLC0415

    return strategies.line_items()


def _events(_: type) -> st.SearchStrategy[Any]:
    from . import strategies  # noqa: PLC0415

    return strategies.events()


def _models(cls: type[StripeModel]) -> st.SearchStrategy[StripeModel]:
    from . import strategies  # noqa: PLC0415

    return strategies.models(cls)


def _model_classes(base: type) -> list[type]:
    """Every class of this package that derives from ``base``, however deep."""
    found: dict[type, None] = {}
    todo: list[type] = list(base.__subclasses__())
    while todo:
        cls = todo.pop()
        if _is_public_class(cls):
            found[cls] = None
        todo.extend(cls.__subclasses__())
    return list(found)


def _is_public_class(cls: type) -> bool:
    """Whether ``cls`` is the class its module exports (attrs replaces each slotted class by a
    new one; the replaced class lingers among ``__subclasses__()`` until collected)."""
    module = sys.modules.get(cls.__module__)
    return (
        cls.__module__.startswith("checkout_model.") and getattr(module, cls.__name__, None) is cls
    )
