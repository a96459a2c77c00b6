"""The checkout-model command, driven as a user would: real files, stdin, options, exit codes."""

from __future__ import annotations

import copy
import gzip
import importlib.resources
import io
import itertools
import json
import os
import runpy
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest

import checkout_model as cm
from checkout_model import cli
from checkout_model.money import Money

EXAMPLE_BYTES = (
    importlib.resources.files("checkout_model")
    .joinpath("data", "example_session.json")
    .read_bytes()
)
EXAMPLE: dict[str, Any] = json.loads(EXAMPLE_BYTES)
TALLY_ONE = "1 valid, 0 invalid\n"


@attrs.frozen
class Result:
    status: int
    out: str
    err: str


def command(*args: str, cwd: Path, stdin: bytes = b"", **env: str) -> Result:
    """Run the installed command in a child process, as a shell would."""
    done = subprocess.run(
        [sys.executable, "-m", "checkout_model", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env={**os.environ, **env},
        timeout=120,
        check=False,
    )
    return Result(done.returncode, done.stdout.decode(), done.stderr.decode())


def run(
    args: Sequence[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stdin: bytes = b"",
) -> Result:
    """Run ``main`` in this process (so coverage sees it), with ``stdin`` as standard input."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    status = cli.main(args)
    captured = capsys.readouterr()
    return Result(status, captured.out, captured.err)


def variant(**changes: Any) -> dict[str, Any]:
    """The bundled example with some top-level fields replaced."""
    data = copy.deepcopy(EXAMPLE)
    data.update(changes)
    return data


def write(path: Path, *payloads: object, indent: int | None = None) -> Path:
    """Write payloads as one JSON document (one payload) or as JSON Lines (several)."""
    path.write_text("".join(json.dumps(p, indent=indent) + "\n" for p in payloads))
    return path


def error_of(data: object, strict: bool = False) -> str:
    """``$.path: message`` of the single error parse_session reports for ``data``."""
    with pytest.raises(cm.ParseError) as info:
        cm.parse_session(data, strict=strict)  # type: ignore[arg-type]
    assert 1 == len(info.value.errors)
    return str(info.value.errors[0])


def total_line(data: dict[str, Any]) -> str:
    return f"  total           {Money(data['amount_total'], data['currency'])}"


BAD_AMOUNT = variant(amount_total="53.10")


# ------------------------------------------------------------------------------------------------
# As a user runs it: a child process


def test_no_arguments_summarizes_the_bundled_example(tmp_path: Path) -> None:
    result = command(cwd=tmp_path)
    assert (0, TALLY_ONE) == (result.status, result.err)
    lines = result.out.splitlines()
    assert f"checkout.session {EXAMPLE['id']} (test)" == lines[0]
    assert f"  mode            {EXAMPLE['mode']}" in lines
    assert f"  status          {EXAMPLE['status']}" in lines
    assert f"  payment status  {EXAMPLE['payment_status']}" in lines
    assert total_line(EXAMPLE) in lines
    assert any(EXAMPLE["customer_details"]["email"] in line for line in lines)
    for item in EXAMPLE["line_items"]["data"]:
        amount = str(Money(item["amount_total"], item["currency"]))
        assert any(item["description"] in line and line.endswith(amount) for line in lines)


def test_json_lines_with_a_bad_line_in_the_middle(tmp_path: Path) -> None:
    second = variant(id="cs_test_second")
    path = tmp_path / "dump.jsonl"
    path.write_text(
        json.dumps(EXAMPLE) + "\n" + json.dumps(BAD_AMOUNT) + "\n\n{not json\n" + json.dumps(second)
    )
    result = command(str(path), cwd=tmp_path)
    assert 1 == result.status
    errors = result.err.splitlines()
    assert f"{path}:2: {error_of(BAD_AMOUNT)}" == errors[0]
    assert errors[1].startswith(f"{path}:4: $: invalid JSON")
    assert ["2 valid, 2 invalid"] == errors[2:]
    assert 2 == result.out.count("checkout.session cs_")
    assert "checkout.session cs_test_second (test)" in result.out
    assert "Traceback" not in result.err


def test_stdin(tmp_path: Path) -> None:
    result = command("-", cwd=tmp_path, stdin=EXAMPLE_BYTES)
    assert (0, TALLY_ONE) == (result.status, result.err)
    assert result.out.startswith(f"checkout.session {EXAMPLE['id']} (test)\n")


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    good = write(tmp_path / "good.json", EXAMPLE)
    result = command(str(good), "missing.json", cwd=tmp_path)
    expected = "checkout-model: error: missing.json: no such file (see checkout-model --help)\n"
    assert (2, "", expected) == (result.status, result.out, result.err)


def test_unknown_option_is_a_usage_error(tmp_path: Path) -> None:
    result = command("--colour", cwd=tmp_path)
    assert (2, "") == (result.status, result.out)
    assert 1 == len(result.err.splitlines())
    assert "checkout-model: error: unrecognized arguments: --colour" in result.err


def test_help_documents_every_option_with_an_example(tmp_path: Path) -> None:
    result = command("--help", cwd=tmp_path)
    assert (0, "") == (result.status, result.err)
    for option in ("--json", "--strict", "--quiet", "--version", "--help"):
        assert option in result.out
    words = " ".join(result.out.split())
    for example in ("checkout-model --json", "checkout-model --strict", "checkout-model -q"):
        assert example in words
    assert "exit status:" in result.out


def test_version(tmp_path: Path) -> None:
    result = command("--version", cwd=tmp_path)
    assert (0, f"checkout-model {cm.__version__}\n", "") == (result.status, result.out, result.err)


def test_a_name_the_terminal_cannot_show_is_escaped_not_fatal(tmp_path: Path) -> None:
    details = {**EXAMPLE["customer_details"], "name": "Zoë Ødegård"}
    path = write(tmp_path / "s.json", variant(customer_details=details))
    result = command(str(path), cwd=tmp_path, PYTHONIOENCODING="ascii")
    assert (0, TALLY_ONE) == (result.status, result.err)
    assert "Zo\\xeb \\xd8deg\\xe5rd" in result.out


# ------------------------------------------------------------------------------------------------
# Inputs: what the command detects


def test_pretty_printed_document_errors_have_no_line_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "bad.json", BAD_AMOUNT, indent=2)
    result = run([str(path)], capsys, monkeypatch)
    assert (1, "") == (result.status, result.out)
    assert f"{path}: {error_of(BAD_AMOUNT)}\n0 valid, 1 invalid\n" == result.err


def test_one_line_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "bad.json", BAD_AMOUNT)
    result = run([str(path)], capsys, monkeypatch)
    assert f"{path}: {error_of(BAD_AMOUNT)}\n0 valid, 1 invalid\n" == result.err


def test_jsonl_suffix_means_json_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "one.jsonl", BAD_AMOUNT)
    result = run([str(path)], capsys, monkeypatch)
    assert f"{path}:1: {error_of(BAD_AMOUNT)}\n0 valid, 1 invalid\n" == result.err


def test_json_lines_whose_first_line_is_broken(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "dump.json"
    path.write_text('{"id": "cs_1", oops}\n' + json.dumps(EXAMPLE) + "\n")
    result = run(["--quiet", str(path)], capsys, monkeypatch)
    assert 1 == result.status
    assert result.err.startswith(f"{path}:1: $: invalid JSON")
    assert result.err.endswith("\n1 valid, 1 invalid\n")


@pytest.mark.parametrize("content", [b"", b"\n \n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n\n"])
def test_empty_file_is_valid(
    content: bytes,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "empty.json"
    path.write_bytes(content)
    result = run([str(path)], capsys, monkeypatch)
    assert (0, "", "0 valid, 0 invalid\n") == (result.status, result.out, result.err)


def test_invalid_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"id": "cs_\xe9"}\n')
    result = run([str(path)], capsys, monkeypatch)
    assert 1 == result.status
    assert result.err.startswith(f"{path}: $: invalid JSON")


def test_list_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = {"object": "list", "data": [EXAMPLE, BAD_AMOUNT, 5], "has_more": False, "url": "/v1/x"}
    path = write(tmp_path / "page.json", page, indent=2)
    result = run([str(path)], capsys, monkeypatch)
    assert 1 == result.status
    assert [
        f"{path}: $.data[1]{error_of(BAD_AMOUNT)[1:]}",
        f"{path}: $.data[2]: expected a checkout.session object, found the integer 5",
        "1 valid, 2 invalid",
    ] == result.err.splitlines()
    assert result.out.startswith(f"checkout.session {EXAMPLE['id']} (test)\n")


@pytest.mark.parametrize(
    ("page", "found"),
    [({"object": "list", "data": "x"}, "the string 'x'"), ({"object": "list"}, "nothing")],
)
def test_list_page_without_an_array(
    page: dict[str, Any],
    found: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = run(["-"], capsys, monkeypatch, stdin=json.dumps(page).encode())
    message = f"<stdin>: $.data: expected the list's data to be an array, found {found}"
    assert (1, f"{message}\n0 valid, 1 invalid\n") == (result.status, result.err)


def test_json_array_is_not_a_payload(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run(["-"], capsys, monkeypatch, stdin=b"[1, 2]")
    expected = "<stdin>: $: expected a JSON object, found an array\n0 valid, 1 invalid\n"
    assert (1, expected) == (result.status, result.err)


def event_of(session: dict[str, Any], type_: str = "checkout.session.completed") -> dict[str, Any]:
    return {
        "id": "evt_1Q2w3E4r5T6y7U8i",
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": 1761650000,
        "data": {"object": session},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": type_,
    }


def test_event_envelope(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "event.json", event_of(EXAMPLE), indent=2)
    result = run([str(path)], capsys, monkeypatch)
    assert (0, TALLY_ONE) == (result.status, result.err)
    lines = result.out.splitlines()
    assert "event evt_1Q2w3E4r5T6y7U8i checkout.session.completed" == lines[0]
    assert f"checkout.session {EXAMPLE['id']} (test)" == lines[1]


def test_invalid_event_envelopes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(
        tmp_path / "events.jsonl",
        event_of(BAD_AMOUNT),
        event_of(EXAMPLE, "invoice.paid"),
    )
    result = run(["-q", str(path)], capsys, monkeypatch)
    errors = result.err.splitlines()
    assert 1 == result.status
    assert f"{path}:1: $.data.object{error_of(BAD_AMOUNT)[1:]}" == errors[0]
    assert errors[1].startswith(f"{path}:2: $.type: unsupported event type")
    assert "0 valid, 2 invalid" == errors[2]


# ------------------------------------------------------------------------------------------------
# Options


def test_strict_rejects_what_lenient_keeps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    novel = variant(brand_new_field={"x": 1}, mode="a_future_mode")
    path = write(tmp_path / "novel.json", novel)
    lenient = run([str(path)], capsys, monkeypatch)
    assert (0, TALLY_ONE) == (lenient.status, lenient.err)
    assert "  mode            a_future_mode (unknown to checkout-model)" in lenient.out
    strict = run(["--strict", str(path)], capsys, monkeypatch)
    assert (1, "") == (strict.status, strict.out)
    assert strict.err.startswith(f"{path}: $.")
    assert strict.err.endswith("0 valid, 1 invalid\n")
    assert f"{path}: {error_of(novel, strict=True)}\n" in strict.err


def test_json_prints_exactly_what_dump_session_gives(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    second = variant(id="cs_test_second", brand_new_field=[1, {"a": None}])
    path = write(tmp_path / "two.jsonl", EXAMPLE, BAD_AMOUNT, second)
    result = run(["--json", str(path)], capsys, monkeypatch)
    assert 1 == result.status
    documents = [json.loads(line) for line in result.out.splitlines()]
    assert [cm.dump_session(cm.parse_session(EXAMPLE)), second] == documents
    assert [EXAMPLE, second] == documents
    assert result.err.endswith("2 valid, 1 invalid\n")


def test_json_of_an_event_is_its_session(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = json.dumps(event_of(EXAMPLE)).encode()
    result = run(["--json", "-"], capsys, monkeypatch, stdin=stdin)
    assert (0, EXAMPLE) == (result.status, json.loads(result.out))


def test_quiet_prints_only_errors_and_the_tally(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "two.jsonl", EXAMPLE, BAD_AMOUNT)
    result = run(["--quiet", str(path)], capsys, monkeypatch)
    expected_err = f"{path}:2: {error_of(BAD_AMOUNT)}\n1 valid, 1 invalid\n"
    assert (1, "", expected_err) == (result.status, result.out, result.err)


def test_several_files_and_stdin_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = write(tmp_path / "a.json", EXAMPLE)
    result = run([str(first), "-"], capsys, monkeypatch, stdin=EXAMPLE_BYTES)
    assert (0, "2 valid, 0 invalid\n") == (result.status, result.err)
    assert 2 == result.out.count(f"checkout.session {EXAMPLE['id']}")
    assert "\n\ncheckout.session" in result.out


def test_usage_errors_in_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    unknown = run(["--bogus"], capsys, monkeypatch)
    expected = (
        "checkout-model: error: unrecognized arguments: --bogus (see checkout-model --help)\n"
    )
    assert (2, "", expected) == (unknown.status, unknown.out, unknown.err)
    missing = run([str(tmp_path / "a.json"), str(tmp_path / "b.json")], capsys, monkeypatch)
    assert (2, "") == (missing.status, missing.out)
    assert [
        f"checkout-model: error: {tmp_path / name}: no such file (see checkout-model --help)"
        for name in ("a.json", "b.json")
    ] == missing.err.splitlines()


def test_blank_lines_between_json_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "gaps.jsonl"
    path.write_text("\n".join(["", json.dumps(EXAMPLE), "", json.dumps(EXAMPLE), "", "", "[]", ""]))
    result = run(["-q", str(path)], capsys, monkeypatch)
    expected = f"{path}:7: $: expected a JSON object, found an array\n2 valid, 1 invalid\n"
    assert (1, expected) == (result.status, result.err)


def test_directory_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run([str(tmp_path)], capsys, monkeypatch)
    expected = f"checkout-model: error: {tmp_path}: is a directory (see checkout-model --help)\n"
    assert (2, "", expected) == (result.status, result.out, result.err)


def test_unreadable_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "secret.json", EXAMPLE)
    monkeypatch.setattr(os, "access", lambda *_: False)
    result = run([str(path)], capsys, monkeypatch)
    assert (2, "") == (result.status, result.out)
    assert f"checkout-model: error: {path}: permission denied" in result.err


def test_file_vanishing_during_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_check_readable", lambda _: [])
    gone = str(tmp_path / "gone.json")
    result = run([gone, "-"], capsys, monkeypatch, stdin=EXAMPLE_BYTES)
    assert 2 == result.status
    assert [
        f"checkout-model: error: {gone}: No such file or directory (see checkout-model --help)",
        "1 valid, 0 invalid",
    ] == result.err.splitlines()


def test_python_dash_m(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["checkout-model", "--version"])
    with pytest.raises(SystemExit) as info:
        runpy.run_module("checkout_model", run_name="__main__")
    assert 0 == info.value.code
    assert f"checkout-model {cm.__version__}\n" == capsys.readouterr().out


# ------------------------------------------------------------------------------------------------
# Summaries


def summary_of(data: dict[str, Any]) -> list[str]:
    return cli.summary(cm.parse_session(data)).splitlines()


def test_summary_of_a_minimal_session() -> None:
    assert [
        "checkout.session cs_1",
        "  mode            -",
        "  status          -",
        "  payment status  -",
        "  subtotal        -",
        "  total           -",
        "  customer        -",
        "  line items      not expanded",
    ] == summary_of({"id": "cs_1"})


def test_summary_amounts_and_customer() -> None:
    data = {
        "id": "cs_1",
        "livemode": True,
        "amount_subtotal": 1000,
        "amount_total": 1200,
        "currency": "jpy",
        "customer": {"id": "cus_9", "object": "customer"},
        "customer_email": "a@example.com",
        "line_items": {"object": "list", "data": [], "has_more": False},
    }
    lines = summary_of(data)
    assert "checkout.session cs_1 (live)" == lines[0]
    assert "  subtotal        1,000 JPY" == lines[4]
    assert "  total           1,200 JPY" == lines[5]
    assert "  customer        <a@example.com> (cus_9)" == lines[6]
    assert "  line items      0" == lines[7]
    assert 8 == len(lines)


def test_summary_line_item_table() -> None:
    items = [
        {"id": "li_1", "object": "item", "description": "Tea", "quantity": 12, "amount_total": 5},
        {
            "id": "li_2",
            "object": "item",
            "price": {"id": "price_9", "object": "price"},
            "amount_total": 123456,
            "currency": "kwd",
        },
        {"id": "li_3", "object": "item"},
    ]
    data = {
        "id": "cs_1",
        "livemode": False,
        "currency": "usd",
        "line_items": {"object": "list", "data": items, "has_more": True},
    }
    assert [
        "  line items      3 shown, more exist",
        "    QTY  DESCRIPTION       AMOUNT",
        "     12  Tea             0.05 USD",
        "      -  price_9      123.456 KWD",
        "      -  -                      -",
    ] == summary_of(data)[7:]


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (None, "usd", "-"),
        (1234, None, "1234 (minor units, no currency)"),
        (1234, "zz", "1234 zz (minor units)"),
        (-150, "eur", "-1.50 EUR"),
    ],
)
def test_money_text(amount: int | None, currency: str | None, expected: str) -> None:
    assert expected == cli._money(amount, currency)


# ------------------------------------------------------------------------------------------------
# Terminals and pipes


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(cli, "PROGRESS_DELAY", 0.0)
    monkeypatch.setattr(cli, "PROGRESS_INTERVAL", 0.0)
    path = write(tmp_path / "two.jsonl", BAD_AMOUNT, EXAMPLE)
    status = cli.main(["--quiet", str(path)])
    assert 1 == status
    assert (
        f"{path}:1: {error_of(BAD_AMOUNT)}\n"
        f"\r\x1b[K{path}: 1 checked, 1 invalid"
        f"\r\x1b[K{path}: 2 checked, 1 invalid"
        "\r\x1b[K1 valid, 1 invalid\n"
    ) == terminal.getvalue()
    assert "" == capsys.readouterr().out


@pytest.mark.parametrize("stdout_is_terminal", [False, True])
def test_progress_stays_up_while_stdout_is_redirected(
    stdout_is_terminal: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = Terminal()
    stdout = Terminal() if stdout_is_terminal else io.StringIO()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(cli, "PROGRESS_DELAY", 0.0)
    monkeypatch.setattr(cli, "PROGRESS_INTERVAL", 0.0)
    path = write(tmp_path / "two.jsonl", EXAMPLE, EXAMPLE)
    assert 0 == cli.main([str(path)])
    erase_before_summary = "\r\x1b[K" if stdout_is_terminal else ""
    assert (
        f"\r\x1b[K{path}: 1 checked, 0 invalid{erase_before_summary}"
        f"\r\x1b[K{path}: 2 checked, 0 invalid"
        "\r\x1b[K2 valid, 0 invalid\n"
    ) == terminal.getvalue()
    assert 2 == stdout.getvalue().count("checkout.session cs_")


def test_progress_waits_for_a_long_run() -> None:
    terminal = Terminal()
    times = iter([0.0, 0.5, 1.0, 1.1, 1.3])
    progress = cli._Progress(terminal, clock=lambda: next(times), delay=1.0, interval=0.2)
    for checked in range(1, 5):
        progress.update("f", checked, 0)
    assert "\r\x1b[Kf: 2 checked, 0 invalid\r\x1b[Kf: 4 checked, 0 invalid" == terminal.getvalue()
    progress.clear()
    progress.clear()
    assert terminal.getvalue().endswith("invalid\r\x1b[K")


def test_no_progress_when_stderr_is_not_a_terminal() -> None:
    class Closed(io.StringIO):
        def isatty(self) -> bool:
            raise ValueError("I/O operation on closed file")

    for stream in (io.StringIO(), Closed()):
        progress = cli._Progress(stream, delay=0.0)
        progress.update("f", 1, 0)
        progress.clear()
        assert "" == stream.getvalue()


def test_closed_pipe_ends_the_run_quietly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert 1 == cli.main([str(write(tmp_path / "s.json", EXAMPLE))])
    assert "" == capsys.readouterr().err


def test_interrupt_ends_the_run_quietly(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli._Run, "source", interrupted)
    assert 130 == cli.main([])
    assert "\n" == capsys.readouterr().err


# ------------------------------------------------------------------------------------------------
# Pipelines: piped input, JSON errors, compressed input, processes, export


def test_piped_input_is_read_when_no_file_is_given(tmp_path: Path) -> None:
    bad = command("-q", cwd=tmp_path, stdin=b'{"id":1}\n')
    assert (1, "") == (bad.status, bad.out)
    assert "<stdin>: $.id: expected a string, found the integer 1\n0 valid, 1 invalid\n" == bad.err
    good = command("--json", cwd=tmp_path, stdin=EXAMPLE_BYTES)
    assert (0, EXAMPLE, TALLY_ONE) == (good.status, json.loads(good.out), good.err)


def test_empty_piped_input_means_no_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run([], capsys, monkeypatch, stdin=b"")
    assert (0, TALLY_ONE) == (result.status, result.err)
    assert result.out.startswith(f"checkout.session {EXAMPLE['id']}")


def test_stdin_on_a_terminal_is_not_read(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Tty(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Tty(io.BytesIO(b'{"id": 1}')))
    assert 0 == cli.main(["-q"])
    assert TALLY_ONE == capsys.readouterr().err


def test_errors_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "two.jsonl", EXAMPLE, BAD_AMOUNT)
    page = write(tmp_path / "page.json", {"object": "list", "data": [BAD_AMOUNT]}, indent=2)
    result = run(["--errors-json", str(path), str(page)], capsys, monkeypatch)
    assert (1, "1 valid, 2 invalid\n") == (result.status, result.err)
    problem = error_of(BAD_AMOUNT)
    path_, message = problem.split(": ", 1)
    assert [
        {"file": str(path), "line": 2, "path": path_, "message": message},
        {"file": str(page), "line": None, "path": "$.data[0]" + path_[1:], "message": message},
    ] == [json.loads(line) for line in result.out.splitlines()]


def test_errors_json_and_json_are_exclusive(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run(["--json", "--errors-json", "-"], capsys, monkeypatch, stdin=EXAMPLE_BYTES)
    assert (2, "") == (result.status, result.out)
    assert "choose one" in result.err


@pytest.mark.parametrize("name", ["dump.jsonl.gz", "dump.json", "dump"])
def test_gzip_input(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / name
    lines = (json.dumps(EXAMPLE) + "\n" + json.dumps(BAD_AMOUNT) + "\n").encode()
    path.write_bytes(gzip.compress(lines))
    result = run(["-q", str(path)], capsys, monkeypatch)
    assert (1, f"{path}:2: {error_of(BAD_AMOUNT)}\n1 valid, 1 invalid\n") == (
        result.status,
        result.err,
    )
    piped = run(["-q"], capsys, monkeypatch, stdin=gzip.compress(lines))
    assert f"<stdin>:2: {error_of(BAD_AMOUNT)}\n1 valid, 1 invalid\n" == piped.err


def test_truncated_gzip_is_reported_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cut.jsonl.gz"
    data = gzip.compress((json.dumps(EXAMPLE) + "\n").encode() * 20)
    path.write_bytes(data[: len(data) - 30])
    result = run(["-q", str(path)], capsys, monkeypatch)
    assert 1 == result.status
    assert ": $: unreadable input: the compressed stream ends early" in result.err


def test_byte_order_mark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(EXAMPLE, indent=2).encode())
    result = run(["-q", str(path)], capsys, monkeypatch)
    assert (0, TALLY_ONE) == (result.status, result.err)


def test_strict_reports_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    novel = variant(brand_new_field=1, mode="a_future_mode", amount_total="5", other_new=[])
    path = write(tmp_path / "novel.json", novel)
    result = run(["--strict", "-q", str(path)], capsys, monkeypatch)
    assert 1 == result.status
    paths = [line.split(": ")[1] for line in result.err.splitlines()[:-1]]
    assert ["$.amount_total", "$.brand_new_field", "$.mode", "$.other_new"] == sorted(paths)
    lenient = run(["-q", str(path)], capsys, monkeypatch)
    assert f"{path}: {error_of(novel)}\n0 valid, 1 invalid\n" == lenient.err


def mixed_archive(tmp_path: Path) -> list[str]:
    """Files of every kind, with valid and invalid payloads, for --jobs comparisons."""
    lines = []
    for n in range(450):
        data = variant(id=f"cs_test_{n}")
        if n % 7 == 3:
            data["amount_total"] = "x"
        if n % 11 == 5:
            data["novel"] = True
        lines.append(json.dumps(data))
    lines.insert(100, "{broken")
    big = tmp_path / "big.jsonl.gz"
    big.write_bytes(gzip.compress("\n".join(lines).encode()))
    page = write(
        tmp_path / "page.json", {"object": "list", "data": [EXAMPLE, BAD_AMOUNT]}, indent=2
    )
    events = write(tmp_path / "events.jsonl", event_of(EXAMPLE), event_of(BAD_AMOUNT))
    # A plain file of JSON Lines: workers read byte ranges of it themselves.
    plain = tmp_path / "plain.txt"
    text = "\r\n".join(lines[:200]) + "\n\n\n" + "\n".join(lines[200:]) + "\n   \n{cut"
    plain.write_bytes(b"\xef\xbb\xbf" + text.encode())
    return [str(big), str(page), str(events), str(plain)]


@pytest.mark.parametrize(
    "options", [[], ["--json"], ["-q"], ["--strict", "--errors-json"], ["--strict"]]
)
def test_jobs_give_the_same_output_and_status(
    options: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cli, "CHUNK_DOCUMENTS", 16)
    monkeypatch.setattr(cli, "CHUNK_BYTES", 20_000)  # many ranges of the plain file
    files = mixed_archive(tmp_path)
    one = run([*options, *files], capsys, monkeypatch)
    two = run([*options, "--jobs", "2", *files], capsys, monkeypatch)
    assert one == two
    assert 1 == one.status
    assert one.err.endswith("invalid\n")


def test_jobs_argument_is_checked(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for value in ("0", "two"):
        result = run(["--jobs", value], capsys, monkeypatch)
        assert (2, "") == (result.status, result.out)
        assert "--jobs" in result.err


def test_worker_task_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    cli._start_worker(cli._Settings(strict=False, output=cli.NOTHING))
    chunk: cli.Chunk = [(1, json.dumps(EXAMPLE).encode()), (2, b"[]")]
    assert [
        (1, [(None, ())]),
        (2, [(None, (("$", "expected a JSON object, found an array"),))]),
    ] == cli._check_chunk(chunk)
    docs = [(1, b"aa"), (2, b"bb"), (3, b"cc"), (None, b"dddd")]
    monkeypatch.setattr(cli, "CHUNK_DOCUMENTS", 2)
    assert [docs[:2], docs[2:]] == list(cli._chunks(docs))
    monkeypatch.setattr(cli, "CHUNK_BYTES", 2)
    assert [[doc] for doc in docs] == list(cli._chunks(docs))


def test_export_writes_valid_sessions_and_reports_invalid_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    files = mixed_archive(tmp_path)
    out = tmp_path / "out.parquet"
    result = run(["export", "--output", str(out), *files], capsys, monkeypatch)
    checked = run(["-q", *files], capsys, monkeypatch)
    assert (1, "", checked.err) == (result.status, result.out, result.err)
    table = pq.read_table(out)
    valid = int(checked.err.splitlines()[-1].split()[0])
    assert valid == table.num_rows
    assert cm.arrow_schema().names == table.schema.names
    table = table.cast(cm.arrow_schema())  # Parquet keeps timestamps in ms: back to seconds
    assert all(
        cm.parse_session(raw).id == id_
        for raw, id_ in zip(
            table.column("raw").to_pylist(), table.column("id").to_pylist(), strict=True
        )
    )
    parallel = tmp_path / "parallel.parquet"
    again = run(["export", "-o", str(parallel), "--jobs", "2", *files], capsys, monkeypatch)
    assert (result.status, result.err) == (again.status, again.err)
    assert table.equals(pq.read_table(parallel).cast(cm.arrow_schema()))


def test_export_of_valid_input_and_from_stdin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "one.parquet"
    result = run(["export", "--output", str(out)], capsys, monkeypatch, stdin=EXAMPLE_BYTES)
    assert (0, TALLY_ONE) == (result.status, result.err)
    assert [EXAMPLE["id"]] == pq.read_table(out).column("id").to_pylist()
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    result = run(["export", "-o", str(out), str(empty)], capsys, monkeypatch)
    assert (0, "0 valid, 0 invalid\n") == (result.status, result.err)
    assert 0 == pq.read_table(out).num_rows


def test_export_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pyarrow")
    missing = run(["export", str(tmp_path / "a.json")], capsys, monkeypatch)
    assert 2 == missing.status
    assert (
        "checkout-model export: error: the following arguments are required: -o/--output"
        in missing.err
    )
    gone = run(["export", "-o", str(tmp_path / "x.parquet"), "nope.json"], capsys, monkeypatch)
    usage = "(see checkout-model export --help)"
    expected = f"checkout-model export: error: nope.json: no such file {usage}\n"
    assert (2, expected) == (gone.status, gone.err)
    bad_dir = run(
        ["export", "-o", str(tmp_path / "no" / "x.parquet"), "-"],
        capsys,
        monkeypatch,
        stdin=EXAMPLE_BYTES,
    )
    assert 2 == bad_dir.status
    help_ = run(["export", "--help"], capsys, monkeypatch)
    assert 0 == help_.status
    assert "checkout-model export --output sessions.parquet" in " ".join(help_.out.split())


def test_export_without_pyarrow_names_the_extra(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    result = run(["export", "-o", str(tmp_path / "x.parquet"), "-"], capsys, monkeypatch)
    assert 2 == result.status
    assert "pip install 'checkout-model[arrow]'" in result.err


def test_processes_are_spawned_while_threads_run() -> None:
    import threading

    assert "fork" == cli._process_context().get_start_method()
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert "spawn" == cli._process_context().get_start_method()
    finally:
        stop.set()
        thread.join()


def test_export_in_batches_and_not_from_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    monkeypatch.setattr(cli, "EXPORT_BATCH", 2)
    path = write(tmp_path / "five.jsonl", *(variant(id=f"cs_{n}") for n in range(5)))
    out = tmp_path / "five.parquet"
    result = run(["export", "-o", str(out), str(path)], capsys, monkeypatch)
    assert (0, "5 valid, 0 invalid\n") == (result.status, result.err)
    assert [f"cs_{n}" for n in range(5)] == pq.read_table(out).column("id").to_pylist()
    assert 3 == pq.ParquetFile(out).num_row_groups

    class Tty(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Tty(io.BytesIO(b"")))
    assert 2 == cli.main(["export", "-o", str(out)])
    assert "standard input is a terminal" in capsys.readouterr().err


def test_plain_json_lines_files_are_split_in_byte_ranges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "CHUNK_BYTES", 20_000)
    big, page, events, plain = mixed_archive(tmp_path)
    sizes = {}
    for path in (big, page, events, plain):
        with open(path, "rb") as stream:
            sizes[path] = cli._plain_json_lines(stream, path.endswith(".jsonl"))
            assert 0 == stream.tell()
    assert {big: None, page: None, events: os.path.getsize(events)} == {
        k: v for k, v in sizes.items() if k != plain
    }
    size = os.path.getsize(plain)
    assert size == sizes[plain]
    one_line = write(tmp_path / "one.json", EXAMPLE)
    with open(one_line, "rb") as stream:
        assert None is cli._plain_json_lines(stream, False)
    with open(plain, "rb") as stream:
        ranges = list(cli._ranges(stream, size))
        assert len(ranges) > 10
        assert 0 == ranges[0][0]
        assert size == ranges[-1][1]
        assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))
        data = Path(plain).read_bytes()
        assert all(data[end - 1 : end] == b"\n" for _, end in ranges[:-1])
