"""Check the typing examples with mypy and pyright: good code passes, bad code fails as marked.

``typing-examples/good.py`` must give no error. In ``typing-examples/bad.py`` every line marked
``# expected error`` must give an error, and no other line may: so a promise of the types (for
example, that a value Stripe adds later must be handled) is pinned for both checkers, in the
manner of attrs' typing examples. Run by ``nox -s typing``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "typing-examples"
MARK = "# expected error"


def expected_lines(path: Path) -> set[int]:
    lines = path.read_text().splitlines()
    return {number for number, line in enumerate(lines, 1) if line.rstrip().endswith(MARK)}


def mypy_errors(path: Path) -> set[int]:
    relative = str(path.relative_to(ROOT))
    command = ["--strict", "--warn-unreachable", "--follow-imports=silent", relative]
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", *command],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    found = set()
    for line in done.stdout.splitlines():
        match = re.match(rf"{re.escape(relative)}:(\d+): error:", line)
        if match:
            found.add(int(match.group(1)))
    return found


def pyright_errors(path: Path) -> set[int]:
    done = subprocess.run(
        [sys.executable, "-m", "pyright", "--outputjson", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(done.stdout)
    return {
        item["range"]["start"]["line"] + 1
        for item in report["generalDiagnostics"]
        if item["severity"] == "error"
    }


def main() -> int:
    failures = []
    for checker in (mypy_errors, pyright_errors):
        for name in ("good.py", "bad.py"):
            path = EXAMPLES / name
            want, got = expected_lines(path), checker(path)
            name_of = checker.__name__.removesuffix("_errors")
            if want != got:
                failures.append(
                    f"{name_of} {name}: errors expected on lines {sorted(want)}, "
                    f"found on {sorted(got)}"
                )
            else:
                print(f"{name_of} {name}: errors on exactly the marked lines {sorted(want)}")
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
