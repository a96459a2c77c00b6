# pyright: strict
"""Code that must type-check cleanly (mypy --strict --warn-unreachable, pyright strict)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, assert_never, assert_type

import checkout_model as cm

session = cm.parse_session({"id": "cs_1", "mode": "installments"})
assert_type(session, cm.Session)
assert_type(session.id, str)
assert_type(session.created, datetime | None)
assert_type(session.mode, cm.Mode | cm.Unknown[cm.Mode] | None)
assert_type(cm.Mode.of("payment"), cm.Mode | cm.Unknown[cm.Mode])
assert_type(cm.dump_session(session), dict[str, Any])
assert_type(session.unknown_fields, Mapping[str, cm.FrozenJson])


def describe(mode: cm.Mode | cm.Unknown[cm.Mode] | None) -> str:
    """An exhaustive match that handles values Stripe adds later."""
    match mode:
        case cm.Mode.PAYMENT | cm.Mode.SETUP | cm.Mode.SUBSCRIPTION:
            return mode.value
        case cm.Unknown():
            assert_type(mode, cm.Unknown[cm.Mode])
            return f"new: {mode.value}"
        case None:
            return "none"
        case _:
            assert_never(mode)


def fallback(status: cm.PaymentStatus | cm.Unknown[cm.PaymentStatus] | None) -> str:
    """The README's style: known members, then a fallback branch that is reachable."""
    if status is cm.PaymentStatus.PAID:
        return "ship"
    if status == cm.PaymentStatus.UNPAID:
        return "wait"
    return "review"


print(describe(session.mode), fallback(session.payment_status))
