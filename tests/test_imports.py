"""``import checkout_model`` loads only what parsing needs: stripe, cattrs, pyarrow and hypothesis
wait.

Each check runs in a fresh interpreter, so modules other tests imported do not count.
"""

from __future__ import annotations

import subprocess
import sys
import typing

import attrs

import checkout_model as cm

CHECK = """
import sys
import checkout_model
print(" ".join(sorted(name for name in {names!r} if name in sys.modules)))
"""


def printed(code: str) -> str:
    """What ``code`` prints in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def loaded_by_import(*names: str) -> list[str]:
    """Which of ``names`` are in ``sys.modules`` after ``import checkout_model``."""
    return printed(CHECK.format(names=names)).split()


def test_import_does_not_load_stripe() -> None:
    assert [] == loaded_by_import("stripe")


def test_import_does_not_load_optional_extras() -> None:
    assert [] == loaded_by_import("pyarrow", "hypothesis")


def test_cattrs_loads_when_its_converter_is_asked_for() -> None:
    assert [] == loaded_by_import("cattrs")
    code = (
        "import sys, checkout_model as cm; from checkout_model import converter; "
        "print('cattrs' in sys.modules, type(cm.converter).__name__, cm.converter is converter, "
        "{'converter', 'register_hooks'} <= set(dir(cm)))"
    )
    assert "True Converter True True" == printed(code)


def test_parse_session_does_not_load_stripe() -> None:
    code = (
        "import sys, checkout_model as cm; sys.modules.pop('stripe', None); "
        'cm.parse_session(b\'{"id": "cs_1", "object": "checkout.session"}\'); '
        "print('stripe' in sys.modules)"
    )
    assert "False" == printed(code)


def _model_classes() -> list[type]:
    from checkout_model import _schema, events, line_items, session

    return [
        v
        for module in (session, line_items, events)
        for v in vars(module).values()
        if isinstance(v, type) and _schema.is_model(v)
    ]


def test_annotations_resolve_as_typing_resolves_them() -> None:
    # The schema evaluates annotations itself on first use (cheaper than typing.get_type_hints);
    # for every field of every model class it must find what typing finds.
    from checkout_model import _schema

    classes = _model_classes()
    assert len(classes) > 100
    for cls in classes:
        names = {f.name for f in attrs.fields(cls)} - _schema.PRIVATE_FIELDS
        ours = _schema._hints(cls, names)
        theirs = typing.get_type_hints(cls)
        assert {n: theirs[n] for n in names} == {n: ours[n] for n in names}, cls


class _Local:
    pass


@attrs.frozen
class _Odd(cm.StripeModel):
    """A user's subclass whose annotations need typing: a forward reference left in a string."""

    id: str | None = None
    items: tuple["_Local", ...] | None = None  # noqa: UP037 - the test needs the string


def test_annotations_typing_must_resolve_are_left_to_it() -> None:
    from checkout_model import _schema

    hints = _schema._hints(_Odd, {"id", "items"})
    assert tuple[_Local, ...] | None == hints["items"]
    assert str | None == hints["id"]
    assert typing.get_type_hints(_Odd)["items"] == hints["items"]
