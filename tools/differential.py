"""Differential check of two installs of checkout-model over mutated real payloads.

Usage::

    python tools/differential.py --count 100000 --other /path/to/other/venv/bin/python

Makes ``count`` payloads by mutating the sessions and events in ``tests/payloads`` (fields
removed, set to null or to a value of the wrong type, unknown keys and enum values added, at any
depth), parses each with this interpreter's checkout_model and with the other interpreter's, in
lenient and strict mode, and compares the outcomes: the dump of a valid payload, or the path and
message of the first error. Used to show that a rewrite of the core changed nothing but speed;
``tests/test_differential.py`` runs the same mutations at a smaller size against the model's own
generic code.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAYLOADS = ROOT / "tests" / "payloads"

WRONG: list[Any] = ["x", 1, -7, 1.5, True, False, [], {}, [1, "a"], {"k": "v"}, "12", 0]


def seeds() -> list[dict[str, Any]]:
    """The real payloads: sessions and events."""
    out = []
    for path in sorted(PAYLOADS.rglob("*.json")):
        data = json.loads(path.read_text())
        if isinstance(data, dict) and data.get("object") in ("checkout.session", "event"):
            out.append(data)
    return out


def _spots(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _spots(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _spots(item, (*path, index))


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


def mutate(payload: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A copy of ``payload`` with one to three changes at random spots."""
    out: dict[str, Any] = json.loads(json.dumps(payload))
    for _ in range(rng.randint(1, 3)):
        spots = [p for p in _spots(out) if p]
        if not spots:
            break
        path = rng.choice(spots)
        parent, last = _get(out, path[:-1]), path[-1]
        current = parent[last]
        action = rng.randrange(6)
        if action == 0 and isinstance(parent, dict):
            del parent[last]
        elif action == 1:
            parent[last] = None
        elif action == 2:
            parent[last] = copy.deepcopy(rng.choice(WRONG))
        elif action == 3 and isinstance(current, dict):
            current[f"future_{rng.randrange(1000)}"] = copy.deepcopy(rng.choice(WRONG))
        elif action == 4 and isinstance(current, str) and current.isidentifier():
            parent[last] = f"{current}_future"
        elif isinstance(current, int) and not isinstance(current, bool):
            parent[last] = current + rng.choice([1, -1, 2**40])
    return out


OUTCOMES = r"""
import json, sys
import checkout_model as cm
for line in sys.stdin:
    data = json.loads(line)
    event = data.get("object") == "event"
    for strict in (False, True):
        try:
            if event:
                obj = cm.parse_event(data, strict=strict)
                out = ["ok", cm.dump_event(obj)]
            else:
                obj = cm.parse_session(data, strict=strict)
                out = ["ok", cm.dump_session(obj)]
        except cm.ParseError as err:
            out = ["error", [[e.path, e.message] for e in err.errors]]
        except Exception as exc:
            out = ["crash", repr(exc)]
        sys.stdout.write(json.dumps(out, sort_keys=True) + "\n")
"""


def outcomes(python: str, path: Path) -> list[str]:
    with path.open() as stdin:
        done = subprocess.run(
            [python, "-c", OUTCOMES], stdin=stdin, capture_output=True, text=True, check=True
        )
    return done.stdout.splitlines()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--other", required=True, help="python of the other install")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    base = seeds()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "payloads.jsonl"
        with path.open("w") as out:
            for _ in range(args.count):
                out.write(json.dumps(mutate(rng.choice(base), rng)) + "\n")
        mine = outcomes(sys.executable, path)
        theirs = outcomes(args.other, path)
        lines = path.read_text().splitlines()
    mismatches = [(i, a, b) for i, (a, b) in enumerate(zip(mine, theirs, strict=True)) if a != b]
    kinds: dict[str, int] = {}
    for outcome in mine:
        kind = json.loads(outcome)[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    print(f"{args.count} payloads, {len(mine)} outcomes (lenient and strict): {kinds}")
    print(f"{len(mismatches)} mismatches")
    for index, a, b in mismatches[:10]:
        print(f"payload {lines[index // 2][:300]}\n  this:  {a[:300]}\n  other: {b[:300]}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
