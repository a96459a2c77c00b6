"""The code made per key set, the generic code and the cattrs hooks agree on mutated payloads.

The same mutations, at 100,000 payloads, compared this core with the one it replaced
(``tools/differential.py``; 0 mismatches, see CHANGELOG). Here they run at a smaller size
against the model's own paths, which must never disagree in output or in errors.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import cattrs
import pytest

import checkout_model as cm
from checkout_model import _converter
from checkout_model.errors import ErrorDetail, _Invalid

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from differential import mutate, seeds


def _generic_only(strict: bool) -> Any:
    """A structure function of Session that never uses code made per key set."""
    engine = _converter._Structurer(strict)
    engine.budget = 0  # no key set is ever remembered, so none gets code of its own
    return engine.function(cm.Session)


def _outcome(fn: Any, data: dict[str, Any]) -> tuple[str, Any]:
    try:
        return ("ok", cm.dump_session(fn(data)))
    except _Invalid as exc:
        return ("error", exc.detail())


@pytest.mark.parametrize("strict", [False, True])
def test_specialised_and_generic_code_agree_on_mutated_payloads(strict: bool) -> None:
    rng = random.Random(1234 + strict)
    sessions = [s for s in seeds() if s.get("object") == "checkout.session"]
    generic = _generic_only(strict)
    cached = _converter.structure_hook(cm.Session, strict)
    hooks = cattrs.Converter(detailed_validation=False)
    cm.register_hooks(hooks, strict=strict)
    errors = 0
    for _ in range(1500):
        data = mutate(rng.choice(sessions), rng)
        expected = _outcome(generic, data)
        for _ in range(2):  # the second sighting of a key set compiles code for it
            assert expected == _outcome(cached, data)
        try:
            via_cattrs: tuple[str, Any] = ("ok", cm.dump_session(hooks.structure(data, cm.Session)))
        except cm.ParseError as err:
            via_cattrs = ("error", ErrorDetail(err.errors[0].path, err.errors[0].message))
        assert expected == via_cattrs
        errors += expected[0] == "error"
    assert 200 < errors < 1400  # the mutations reach both outcomes
