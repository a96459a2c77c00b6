"""``import checkout_model`` loads only what parsing needs: stripe, pyarrow and hypothesis wait.

Each check runs in a fresh interpreter, so modules other tests imported do not count.
"""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
import checkout_model
print(" ".join(sorted(name for name in {names!r} if name in sys.modules)))
"""


def loaded_by_import(*names: str) -> list[str]:
    """Which of ``names`` are in ``sys.modules`` after ``import checkout_model``."""
    out = subprocess.run(
        [sys.executable, "-c", CHECK.format(names=names)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.split()


def test_import_does_not_load_stripe() -> None:
    assert [] == loaded_by_import("stripe")


def test_import_does_not_load_optional_extras() -> None:
    assert [] == loaded_by_import("pyarrow", "hypothesis")


def test_parse_session_does_not_load_stripe() -> None:
    code = (
        "import sys, checkout_model as cm; sys.modules.pop('stripe', None); "
        'cm.parse_session(b\'{"id": "cs_1", "object": "checkout.session"}\'); '
        "print('stripe' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "False" == out.strip()
