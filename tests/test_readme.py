"""The README's examples run, in order, so the guide cannot drift away from the code."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"

FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
"""A fenced code block: its info string (``python``, ``console``, ...) and its text."""

SKIP = "no-run"
"""Info-string word that exempts a python block (for code that cannot run in a test at all)."""


def blocks(language: str) -> list[tuple[int, str, str]]:
    """(line number, info string, text) of every fenced block in ``language``, in order."""
    text = README.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        info = match["info"].split()
        if info and info[0] == language:
            line = text.count("\n", 0, match.start()) + 1
            found.append((line, match["info"], match["body"]))
    return found


def test_readme_has_examples() -> None:
    assert len(blocks("python")) >= 10


def test_python_examples_run_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every python block runs, in one namespace; trailing ``# ...`` lines are what it prints."""
    monkeypatch.chdir(tmp_path)  # examples that write files write them here
    namespace: dict[str, Any] = {"__name__": "readme"}
    checked = 0
    for line, info, body in blocks("python"):
        if SKIP in info.split():
            continue
        capsys.readouterr()
        code = compile("\n" * line + body, str(README), "exec", dont_inherit=True)
        exec(code, namespace)  # noqa: S102 (the README is this project's own text)
        printed = capsys.readouterr().out.splitlines()
        lines = body.rstrip("\n").splitlines()
        comments: list[str] = []
        while lines and lines[-1].startswith("# "):
            comments.insert(0, lines.pop()[2:])
        if printed:
            assert comments == printed, f"README.md:{line}: printed output differs"
            checked += 1
    assert checked >= 1


def test_command_line_examples_print_what_they_show(tmp_path: Path) -> None:
    """Console blocks that start with ``$ checkout-model`` show exactly what the command prints.

    The command may read a ``<<'EOF'`` here-document as standard input; the output shown is
    stdout followed by stderr.
    """
    examples = [body for _, _, body in blocks("console") if body.startswith("$ checkout-model")]
    assert len(examples) >= 2
    for example in examples:
        command, _, rest = example.partition("\n")
        args = shlex.split(command.removeprefix("$ checkout-model"))
        stdin = ""
        if args[-1:] == ["<<EOF"]:
            args.pop()
            stdin, _, rest = rest.partition("EOF\n")
        done = subprocess.run(
            [sys.executable, "-m", "checkout_model", *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=tmp_path,
            check=False,
        )
        assert rest == done.stdout + done.stderr, command


def test_quickstart_is_exactly_two_commands() -> None:
    quickstart = blocks("console")[0][2]
    assert [
        "python -m pip install . && checkout-model",
        "python -m pip install nox && nox",
    ] == quickstart.splitlines()
