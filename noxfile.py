"""Developer tasks: ``nox`` runs tests, typing, lint, the generator check, the PySpark tests and
the docs; ``nox -s bench`` the benchmark, ``nox -s generate`` regenerates the model."""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["tests", "typing", "lint", "generated", "spark", "docs"]
nox.options.error_on_missing_interpreters = False

PYPROJECT = nox.project.load_toml("pyproject.toml")
PYTHONS = nox.project.python_versions(PYPROJECT, max_version="3.13")


@nox.session
def tests(session: nox.Session) -> None:
    """Run the suite against the installed package, with a branch-coverage floor."""
    session.install(".", *nox.project.dependency_groups(PYPROJECT, "test"))
    session.run(
        "pytest",
        "--cov=checkout_model",
        "--cov-branch",
        "--cov-report=term",
        "--cov-fail-under=95",
        *session.posargs,
    )


@nox.session(python=PYTHONS, default=False)
def matrix(session: nox.Session) -> None:
    """The suite on every supported Python that is installed (missing ones are skipped)."""
    tests(session)


@nox.session
def typing(session: nox.Session) -> None:
    """mypy --strict over the package, tests, tools and this file; then the typing examples
    (good code passes, bad code fails on exactly the marked lines) under mypy and pyright."""
    session.install(".", "nox", *nox.project.dependency_groups(PYPROJECT, "typing"))
    session.run("mypy", *session.posargs)
    session.run("python", "tools/check_typing.py")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the HTML site (warnings are errors, nitpicky) and run its examples as doctests.

    The site lands in docs/_build/html. Both builders share one doctree cache, so the doctest
    run reuses what the HTML build read. ``nox -s docs -- html`` builds without the doctests.
    """
    session.install(".[hypothesis,arrow]", *nox.project.dependency_groups(PYPROJECT, "docs"))
    builders = session.posargs or ["html", "doctest"]
    for builder in builders:
        session.run(
            "sphinx-build",
            "--fail-on-warning",
            "--keep-going",
            "--nitpicky",
            "--builder",
            builder,
            "--doctree-dir",
            "docs/_build/doctrees",
            "docs",
            f"docs/_build/{builder}",
        )


@nox.session(default=False)
def generate(session: nox.Session) -> None:
    """Regenerate the model (enums.py, session.py, line_items.py) from the pinned stripe-python."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "generate"))
    session.run("python", "tools/generate_model.py", *session.posargs)


@nox.session
def generated(session: nox.Session) -> None:
    """Fail when a committed generated module differs from the generator's output."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "generate"))
    session.run("python", "tools/generate_model.py", "--check")


@nox.session
def spark(session: nox.Session) -> None:
    """The PySpark tests in local mode (local[2]): 100k sessions through mapInArrow.

    Needs Java 17 or newer on the PATH; PySpark's workers run this session's interpreter.
    """
    session.install(".", *nox.project.dependency_groups(PYPROJECT, "spark"))
    session.run(
        "pytest",
        "tests/test_spark.py",
        *session.posargs,
        env={"CHECKOUT_MODEL_SPARK": "1", "PYSPARK_PYTHON": session.bin + "/python"},
    )


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Parse/dump speed, memory and cold start against peers, measured in one run."""
    session.install(".", *nox.project.dependency_groups(PYPROJECT, "bench"))
    session.run("python", "bench/run.py", *session.posargs)


@nox.session(default=False)
def bench_data(session: nox.Session) -> None:
    """Data at scale: sessions/s in process, with checkout-model --jobs, and through PySpark."""
    session.install(
        ".",
        *nox.project.dependency_groups(PYPROJECT, "bench"),
        *nox.project.dependency_groups(PYPROJECT, "spark"),
    )
    session.run("python", "bench/data_scale.py", *session.posargs)
