"""Hypothesis entry point: makes ``st.from_type`` build checkout_model objects from real payloads.

Hypothesis calls :func:`_hypothesis_setup_hook` when it is imported, through the ``hypothesis``
entry-point group declared in pyproject.toml.
"""

from __future__ import annotations

from hypothesis import strategies as st

from . import strategies
from ._base import StripeModel
from .events import Event
from .line_items import LineItem
from .session import Session

__all__ = ["_hypothesis_setup_hook"]


def _hypothesis_setup_hook() -> None:
    """Register a strategy for every model class (sessions, line items and events are realistic)."""
    # Strategies are built when from_type first asks for them, so importing Hypothesis stays cheap.
    st.register_type_strategy(Session, lambda _: strategies.sessions())
    st.register_type_strategy(LineItem, lambda _: strategies.line_items())
    st.register_type_strategy(Event, lambda _: strategies.events())
    for cls in _model_classes(StripeModel):
        if cls not in (Session, LineItem, Event):
            st.register_type_strategy(cls, strategies.models)


def _model_classes(base: type) -> list[type]:
    """Every subclass of ``base`` this package defines, however deep."""
    found: list[type] = []
    todo: list[type] = list(base.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls not in found and cls.__module__.startswith("checkout_model."):
            found.append(cls)
            todo.extend(cls.__subclasses__())
    return found
