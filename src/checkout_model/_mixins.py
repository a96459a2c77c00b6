"""Behaviour of the generated model classes that is written by hand.

The generator (tools/generate_model.py) makes ``Session`` and ``LineItem`` inherit from these,
so the generated field list and the hand-written conveniences stay in separate files.
Mixins keep ``__slots__ = ()`` so the attrs classes stay slotted.
"""

from __future__ import annotations

__all__ = ["LineItemMixin", "SessionMixin"]


class SessionMixin:
    """Conveniences of :class:`checkout_model.Session` (interop, money, fulfilment questions)."""

    __slots__ = ()


class LineItemMixin:
    """Conveniences of :class:`checkout_model.LineItem` (money)."""

    __slots__ = ()
