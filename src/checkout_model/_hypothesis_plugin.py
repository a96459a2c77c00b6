"""Hypothesis entry point: makes ``st.from_type`` build checkout_model objects from real payloads.

Hypothesis calls :func:`_hypothesis_setup_hook` when it is imported, through the ``hypothesis``
entry-point group declared in pyproject.toml.
"""

from __future__ import annotations

import sys

from hypothesis import strategies as st

from . import strategies
from ._model import StripeModel
from .events import Event
from .line_items import LineItem
from .session import Session

__all__ = ["_hypothesis_setup_hook"]


def _hypothesis_setup_hook() -> None:
    """Register a strategy for every model class (sessions, line items and events are realistic)."""
    # Strategies are built when from_type first asks for them: importing Hypothesis stays cheap,
    # and works while checkout_model.strategies itself is being imported (it imports Hypothesis).
    st.register_type_strategy(Session, lambda _: strategies.sessions())
    st.register_type_strategy(LineItem, lambda _: strategies.line_items())
    st.register_type_strategy(Event, lambda _: strategies.events())
    for cls in _model_classes(StripeModel):
        if cls not in (Session, LineItem, Event):
            st.register_type_strategy(cls, _models)


def _models(cls: type[StripeModel]) -> st.SearchStrategy[StripeModel]:
    """Objects of any other model class (looked up late: this module may load mid-import)."""
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
