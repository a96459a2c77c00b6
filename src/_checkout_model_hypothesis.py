"""Hypothesis's entry point for checkout-model: ``st.from_type`` learns the model's strategies.

Hypothesis imports this module and calls :func:`_hypothesis_setup_hook` whenever it is imported
itself. It must stay tiny: ``import hypothesis`` does not import checkout_model (nor stripe).
The strategies are registered here if checkout_model is already imported, and by
``checkout_model/__init__.py`` when it is imported after Hypothesis, so either order works.
"""

from __future__ import annotations

import sys

__all__ = ["_hypothesis_setup_hook"]


def _hypothesis_setup_hook() -> None:
    """Register the strategies now if checkout_model is loaded; else it does so on import."""
    package = sys.modules.get("checkout_model")
    if package is not None and getattr(package, "_IMPORTED", False):
        from checkout_model._hypothesis_plugin import register  # noqa: PLC0415

        register()
