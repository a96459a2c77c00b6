# pyright: strict
"""Code that must NOT type-check: each line marked ``# expected error`` is an error for mypy
(--strict --warn-unreachable) and for pyright (strict), and no other line is."""

from __future__ import annotations

from typing import assert_never

import checkout_model as cm


def forgets_new_values(mode: cm.Mode | cm.Unknown[cm.Mode] | None) -> str:
    """An exhaustive match with no branch for the values Stripe adds later."""
    match mode:
        case cm.Mode.PAYMENT | cm.Mode.SETUP | cm.Mode.SUBSCRIPTION:
            return "known"
        case None:
            return "none"
        case _:
            assert_never(mode)  # expected error


def treats_a_field_as_a_member(session: cm.Session) -> cm.Mode:
    """A field's value may be Unknown or None, not only a member."""
    return session.mode  # expected error


def mixes_up_enums(status: cm.Unknown[cm.Status]) -> cm.Unknown[cm.Mode]:
    """Unknown values of one enum are not those of another."""
    return status  # expected error


session = cm.parse_session({"id": "cs_1"})
session.id = "cs_2"  # expected error
cm.Session(id=1)  # expected error
cm.parse_session({"id": "cs_1"}, strict="yes")  # expected error
print(session.no_such_field)  # expected error
