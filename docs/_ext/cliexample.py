"""``cli-example``: run a ``checkout-model`` command while the docs build and show what it printed.

The directive's argument is the command line, its content (if any) is standard input. The
command runs as ``python -m checkout_model`` in the build's interpreter, with standard error
merged into standard output as a terminal shows them. The build fails (a warning) when the
exit status differs from ``:exit:`` (default 0), so a page cannot show output the command no
longer prints.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

PROG = "checkout-model"


class CliExample(SphinxDirective):
    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {"exit": directives.nonnegative_int}

    def run(self) -> list[nodes.Node]:
        line = self.arguments[0]
        argv = shlex.split(line)
        if not argv or argv[0] != PROG:
            logger.warning("cli-example must start with %s", PROG, location=self.get_location())
            return []
        stdin = "\n".join(self.content) + "\n" if self.content else None
        env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
        with tempfile.TemporaryDirectory() as cwd:
            done = subprocess.run(  # noqa: S603 (our own interpreter and package)
                [sys.executable, "-m", "checkout_model", *argv[1:]],
                input=stdin if stdin is not None else "",
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                cwd=cwd,
                env=env,
                timeout=60,
                check=False,
            )
        expected = self.options.get("exit", 0)
        if done.returncode != expected:
            logger.warning(
                "cli-example %r exited %d, expected %d:\n%s",
                line,
                done.returncode,
                expected,
                done.stdout,
                location=self.get_location(),
            )
        shown = f"$ {line}"
        if stdin is not None:
            shown += f" <<'EOF'\n{stdin}EOF"
        shown += "\n" + done.stdout.rstrip("\n")
        if expected:
            shown += f"\n$ echo $?\n{done.returncode}"
        return [nodes.literal_block(shown, shown, language="console")]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("cli-example", CliExample)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
