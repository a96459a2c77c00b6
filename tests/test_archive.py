"""cm.iter_sessions and cm.iter_events: every source and format, errors as data, memory."""

from __future__ import annotations

import copy
import gzip
import io
import json
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

import checkout_model as cm
from checkout_model.archive import Record

PAYLOADS = Path(__file__).parent / "payloads"
SESSION: dict[str, Any] = json.loads((PAYLOADS / "payment_expanded.json").read_bytes())
SMALL: dict[str, Any] = json.loads((PAYLOADS / "v2019_minimal.json").read_bytes())


def session(n: int, base: dict[str, Any] = SESSION, **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(base)
    data["id"] = f"cs_test_{n}"
    data.update(changes)
    return data


def event(
    n: int,
    session_id: str = "cs_test_1",
    type_: str = "checkout.session.completed",
    created: int = 1_761_650_000,
    **changes: Any,
) -> dict[str, Any]:
    return {
        "id": f"evt_{n}",
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": created,
        "data": {"object": session(0, SMALL, id=session_id, **changes)},
        "livemode": False,
        "pending_webhooks": 0,
        "request": {"id": None, "idempotency_key": None},
        "type": type_,
    }


def jsonl(*payloads: object) -> bytes:
    return b"".join(orjson.dumps(p) + b"\n" for p in payloads)


BAD = session(2, amount_total="12")
BAD_ERROR = cm.ErrorDetail("$.amount_total", "expected an integer, found the string '12'")


def summary(records: Iterator[Record[Any]]) -> list[tuple[str, int | None, int | None, Any]]:
    """(source, line, index, id or errors) of each record."""
    return [
        (r.source, r.line, r.index, r.value.id if r.value is not None else r.errors)
        for r in records
    ]


# ------------------------------------------------------------------------------------------------
# Sources and formats


def test_json_lines_from_a_path_with_errors_as_data(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    path.write_bytes(jsonl(session(1), BAD) + b"\n{oops\n" + jsonl(session(3)))
    records = list(cm.iter_sessions(path))
    assert [True, False, False, True] == [r.ok for r in records]
    assert [1, 2, 4, 5] == [r.line for r in records]
    assert {str(path)} == {r.source for r in records}
    assert (BAD_ERROR,) == records[1].errors
    assert records[2].errors[0].message.startswith("invalid JSON")
    assert cm.parse_session(session(3)) == records[3].value
    assert f"{path}:2" == records[1].where
    assert None is records[1].value


@pytest.mark.parametrize("suffix", [".json", ".jsonl.gz", ".data"])
def test_gzip_is_recognised_by_its_magic_bytes(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"dump{suffix}"
    path.write_bytes(gzip.compress(jsonl(session(1), BAD)))
    assert [
        (str(path), 1, None, "cs_test_1"),
        (str(path), 2, None, (BAD_ERROR,)),
    ] == summary(cm.iter_sessions(str(path)))


def test_binary_streams_plain_and_gzip() -> None:
    data = jsonl(session(1), session(2))
    for raw in (data, gzip.compress(data)):
        got = summary(cm.iter_sessions(io.BytesIO(raw), name="s3://bucket/key"))
        assert [
            ("s3://bucket/key", 1, None, "cs_test_1"),
            ("s3://bucket/key", 2, None, "cs_test_2"),
        ] == got


class Trickle(io.RawIOBase):
    """A pipe that hands out one byte per read: nothing to peek at."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        head, self.data = self.data[:1], self.data[1:]
        return head


def test_streams_without_peek() -> None:
    data = jsonl(session(1), session(2))
    for raw in (data, gzip.compress(data)):
        got = [r.value.id for r in cm.iter_sessions(Trickle(raw)) if r.value is not None]
        assert ["cs_test_1", "cs_test_2"] == got


def test_iterables_of_str_and_bytes_lines() -> None:
    text = [json.dumps(session(1)), json.dumps(session(2))]
    assert ["cs_test_1", "cs_test_2"] == [r.value.id for r in cm.iter_sessions(text) if r.value]
    lines = [line.encode() + b"\n" for line in text]
    records = list(cm.iter_sessions(lines))
    assert [("<lines>", 1), ("<lines>", 2)] == [(r.source, r.line) for r in records]


def test_one_document_pretty_printed_has_no_line_numbers() -> None:
    pretty = json.dumps(BAD, indent=2)
    [record] = cm.iter_sessions(io.BytesIO(pretty.encode()))
    assert (None, None, (BAD_ERROR,)) == (record.line, record.index, record.errors)
    [one_line] = cm.iter_sessions([json.dumps(session(1))])
    assert (None, True) == (one_line.line, one_line.ok)


def test_jsonl_name_means_json_lines_even_for_one_line(tmp_path: Path) -> None:
    path = tmp_path / "one.ndjson"
    path.write_bytes(jsonl(session(1)))
    assert [1] == [r.line for r in cm.iter_sessions(path)]


def test_list_pages_index_and_paths() -> None:
    page = {"object": "list", "data": [session(1), BAD, 5], "has_more": False, "url": "/x"}
    records = list(cm.iter_sessions(io.BytesIO(json.dumps(page, indent=1).encode())))
    assert [0, 1, 2] == [r.index for r in records]
    assert "cs_test_1" == records[0].value.id  # type: ignore[union-attr]
    assert "$.data[1].amount_total" == records[1].errors[0].path
    expected = cm.ErrorDetail(
        "$.data[2]", "expected a checkout.session object, found the integer 5"
    )
    assert (expected,) == records[2].errors
    # a list page per line of JSON Lines
    lines = jsonl(page, {"object": "list", "data": [session(4)]})
    assert [(1, 0), (1, 1), (1, 2), (2, 0)] == [
        (r.line, r.index) for r in cm.iter_sessions(io.BytesIO(lines))
    ]


@pytest.mark.parametrize(
    ("page", "found"),
    [({"object": "list", "data": "x"}, "the string 'x'"), ({"object": "list"}, "nothing")],
)
def test_list_page_without_an_array(page: dict[str, Any], found: str) -> None:
    [record] = cm.iter_sessions([json.dumps(page)])
    message = f"expected the list's data to be an array, found {found}"
    assert (cm.ErrorDetail("$.data", message),) == record.errors


def test_events_in_iter_sessions_give_their_session() -> None:
    records = list(
        cm.iter_sessions([json.dumps(event(1)), json.dumps(event(2, type_="invoice.paid"))])
    )
    assert "cs_test_1" == records[0].value.id  # type: ignore[union-attr]
    assert "$.type" == records[1].errors[0].path


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n"])
def test_empty_sources_yield_nothing(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(content)
    assert [] == list(cm.iter_sessions(path))
    path.write_bytes(gzip.compress(content))
    assert [] == list(cm.iter_sessions(path))


def test_byte_order_mark_is_skipped() -> None:
    pretty = b"\xef\xbb\xbf" + json.dumps(session(1), indent=2).encode()
    assert ["cs_test_1"] == [r.value.id for r in cm.iter_sessions(io.BytesIO(pretty)) if r.value]
    lines = b"\xef\xbb\xbf" + jsonl(session(1), session(2))
    assert [1, 2] == [r.line for r in cm.iter_sessions(io.BytesIO(lines)) if r.ok]
    text = ["\ufeff" + json.dumps(session(1))]
    assert [True] == [r.ok for r in cm.iter_sessions(text)]


def test_truncated_gzip_ends_with_an_error_record() -> None:
    data = gzip.compress(jsonl(*(session(n) for n in range(50))))
    records = list(cm.iter_sessions(io.BytesIO(data[: len(data) // 2])))
    assert all(r.ok for r in records[:-1])
    last = records[-1]
    assert (False, "$") == (last.ok, last.errors[0].path)
    assert "unreadable input" in last.errors[0].message


def test_invalid_utf8_and_non_objects_are_records() -> None:
    records = list(cm.iter_sessions([b'{"id": "cs_\xe9"}\n', b"[1]\n"]))
    assert records[0].errors[0].message.startswith("invalid JSON")
    assert "expected a JSON object, found an array" == records[1].errors[0].message


def test_missing_file_raises_at_the_start(tmp_path: Path) -> None:
    records = cm.iter_sessions(tmp_path / "missing.jsonl")
    with pytest.raises(FileNotFoundError):
        next(records)


def test_bytes_are_not_a_source() -> None:
    with pytest.raises(TypeError, match="not bytes"):
        next(cm.iter_sessions(b"{}"))  # type: ignore[arg-type]


def test_records_are_frozen() -> None:
    [record] = cm.iter_sessions([json.dumps(session(1))])
    with pytest.raises(AttributeError):
        record.line = 3  # type: ignore[misc]
    assert record == next(iter(cm.iter_sessions([json.dumps(session(1))])))


# ------------------------------------------------------------------------------------------------
# Strict: every problem


def test_strict_lists_every_problem_lenient_the_first() -> None:
    items = SESSION["line_items"]["data"]
    bad_items = [{**items[0], "quantity": "2", "sparkle": 1}, *items[1:]]
    novel = session(
        1,
        amount_total="x",
        brand_new=1,
        mode="barter",
        line_items={**SESSION["line_items"], "data": bad_items},
    )
    [lenient] = cm.iter_sessions([json.dumps(novel)])
    assert 1 == len(lenient.errors)
    [strict] = cm.iter_sessions([json.dumps(novel)], strict=True)
    assert {
        "$.amount_total",
        "$.brand_new",
        "$.mode",
        "$.line_items.data[0].quantity",
        "$.line_items.data[0].sparkle",
    } == {e.path for e in strict.errors}
    with pytest.raises(cm.ParseError) as info:
        cm.parse_session(novel, strict=True)
    assert set(info.value.errors) <= set(strict.errors)  # the parser's own messages


def test_strict_every_problem_in_lists_required_fields_and_events() -> None:
    no_id = {k: v for k, v in session(1).items() if k != "id"}
    no_id["custom_fields"] = [5, {"key": 1}]
    [record] = cm.iter_sessions([json.dumps(no_id)], strict=True)
    paths = {e.path for e in record.errors}
    assert {"$.id", "$.custom_fields[0]"} <= paths
    assert any(p.startswith("$.custom_fields[1]") for p in paths)
    null_id = {**session(1), "id": None, "extra": 1}
    [record] = cm.iter_sessions([json.dumps(null_id)], strict=True)
    assert {"$.id", "$.extra"} == {e.path for e in record.errors}

    inner = event(1, amount_total="1", novel=True)
    inner["surprise"] = 2
    [event_record] = cm.iter_events([json.dumps(inner)], strict=True)
    assert {"$.data.object.amount_total", "$.data.object.novel", "$.surprise"} == {
        e.path for e in event_record.errors
    }


# ------------------------------------------------------------------------------------------------
# Events: types, duplicates, latest state


def test_iter_events_skips_other_types_unless_asked() -> None:
    lines = [json.dumps(e) for e in (event(1), event(2, type_="invoice.paid"), event(3))]
    assert ["evt_1", "evt_3"] == [r.value.id for r in cm.iter_events(lines) if r.value]
    records = list(cm.iter_events(lines, checkout_only=False))
    assert ["$.type"] == [r.errors[0].path for r in records if not r.ok]
    assert [1, 2, 3] == [r.line for r in records]


def test_iter_events_reports_non_events() -> None:
    [record] = cm.iter_events([json.dumps(session(1)), json.dumps(session(2))][:1])
    message = "expected an event (object 'event'), found the string 'checkout.session'"
    assert (cm.ErrorDetail("$.object", message),) == record.errors
    page = {"object": "list", "data": [event(1), 7, {"id": "x"}]}
    records = list(cm.iter_events([json.dumps(page)]))
    assert [True, False, False] == [r.ok for r in records]
    assert "$.data[1]" == records[1].errors[0].path
    assert "$.data[2].object" == records[2].errors[0].path
    [bad] = cm.iter_events([json.dumps(event(1, amount_total="1"))])
    assert "$.data.object.amount_total" == bad.errors[0].path


def test_unique_drops_repeated_event_ids() -> None:
    lines = [json.dumps(e) for e in (event(1), event(2), event(1), event(3), event(2))]
    assert ["evt_1", "evt_2", "evt_1", "evt_3", "evt_2"] == [
        r.value.id for r in cm.iter_events(lines) if r.value
    ]
    assert ["evt_1", "evt_2", "evt_3"] == [
        r.value.id for r in cm.iter_events(lines, unique=True) if r.value
    ]


def test_latest_state_per_session() -> None:
    history = [
        event(1, "cs_a", "checkout.session.completed", 100, payment_status="unpaid"),
        event(2, "cs_b", "checkout.session.expired", 90),
        event(3, "cs_a", "checkout.session.async_payment_succeeded", 300, payment_status="paid"),
        event(4, "cs_c", "checkout.session.completed", 50),
        event(5, "cs_a", "checkout.session.completed", 100),  # older than evt_3
        event(6, "cs_c", "checkout.session.async_payment_failed", 50),  # same second: after
        event(7, "cs_d", "checkout.session.completed", 10, amount_total="x"),  # invalid
    ]
    # Stored newest first, as the Events API lists them: order must not matter.
    lines = [json.dumps(e) for e in reversed(history)]
    records = list(cm.iter_events(lines, latest=True))
    assert not records[0].ok  # invalid records come as they are read
    latest = {r.value.data.object.id: r.value.id for r in records if r.value}
    assert {"cs_a": "evt_3", "cs_b": "evt_2", "cs_c": "evt_6"} == latest
    assert ["cs_c", "cs_a", "cs_b"] == list(latest)  # in the order sessions first appeared
    paid = next(r.value for r in records if r.value and r.value.id == "evt_3")
    assert cm.PaymentStatus.PAID is paid.data.object.payment_status


def test_latest_with_unique_and_no_created() -> None:
    first = event(1, "cs_a", created=5)
    del first["created"]
    second = event(2, "cs_a", "checkout.session.expired", created=1)
    lines = [json.dumps(e) for e in (second, first, second)]
    got = [r.value.id for r in cm.iter_events(lines, unique=True, latest=True) if r.value]
    assert ["evt_2"] == got


# ------------------------------------------------------------------------------------------------
# Memory: constant in the input's size


def _lines(count: int) -> Iterator[bytes]:
    bases = [
        json.loads((PAYLOADS / name).read_bytes())
        for name in ("v2019_minimal.json", "setup.json", "v2020_08_27.json")
    ]
    for n in range(count):
        data = dict(bases[n % len(bases)])
        data["id"] = f"cs_test_{n:08d}"
        data["metadata"] = {"order": str(n)}
        yield orjson.dumps(data) + b"\n"


def _peak(count: int) -> tuple[int, int]:
    valid = 0
    tracemalloc.start()
    try:
        for record in cm.iter_sessions(_lines(count)):
            valid += record.ok
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return valid, peak


def test_memory_stays_flat_over_a_large_json_lines_input() -> None:
    _peak(2_000)  # warm up: code compiled per class and per key set, caches filled
    small = 12_500
    valid_small, peak_small = _peak(small)
    valid_large, peak_large = _peak(4 * small)
    assert (small, 4 * small) == (valid_small, valid_large)
    # Holding the records would take > 30 MB for 50k sessions; streaming takes what one does.
    assert peak_large < 2_000_000
    assert peak_large < peak_small * 1.5 + 200_000


def test_open_files_are_named_by_their_path(tmp_path: Path) -> None:
    path = tmp_path / "named.jsonl"
    path.write_bytes(jsonl(session(1), session(2)))
    with path.open("rb") as stream:
        assert {str(path)} == {r.source for r in cm.iter_sessions(stream)}


def test_corrupt_gzip_ends_with_an_error_record() -> None:
    data = bytearray(gzip.compress(jsonl(*(session(n) for n in range(5)))))
    data[-6] ^= 0xFF  # the checksum no longer matches
    last = list(cm.iter_sessions(io.BytesIO(bytes(data))))[-1]
    assert (False, "$") == (last.ok, last.errors[0].path)
    assert last.errors[0].message.startswith("unreadable input: ")


def test_filler_values_are_valid_for_their_kind() -> None:
    from checkout_model import archive
    from checkout_model._schema import Kind, TypeSchema

    assert [[], {}, {}, False, 0, 0, 0, "0", "x"] == [
        archive._filler(TypeSchema(kind))
        for kind in (
            Kind.LIST,
            Kind.MAP,
            Kind.JSON,
            Kind.BOOL,
            Kind.INT,
            Kind.NUMBER,
            Kind.TIMESTAMP,
            Kind.DECIMAL,
            Kind.STR,
        )
    ]


def test_unique_passes_invalid_records_through() -> None:
    lines = [json.dumps(event(1)), "{bad", json.dumps(event(1)), "{bad"]
    assert [True, False, False] == [r.ok for r in cm.iter_events(lines, unique=True)]


def test_archives_take_the_fast_path_and_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sessions and events of an archive are answered by the msgspec fast path once it exists,
    with the objects the generic route gives; what it declines (unknown keys, errors, list
    pages, other event types) still takes the generic route, with the same records."""
    from checkout_model import _converter, _fast
    from checkout_model.events import Event

    unknown = session(3, zz_new_field={"a": 1})
    odd = jsonl(unknown, BAD, event(2, type_="invoice.paid"), {"object": "list"})
    odd += jsonl({"object": "list", "data": [session(5)]})
    lines = jsonl(*(session(n) for n in range(40))) + odd
    lines += jsonl(*(event(n) for n in range(40))) + odd
    expected_sessions = summary(cm.iter_sessions(io.BytesIO(lines)))
    expected_events = summary(cm.iter_events(io.BytesIO(lines), checkout_only=False))
    for cls in (cm.Session, Event):
        for strict in (False, True):
            root = _fast.prepare(cls, strict)
            assert root is not None
            monkeypatch.setattr(root, "declines", 0)
    structured: list[type] = []
    structure = _converter.structure

    def counting(data: Any, cls: type, strict: bool = False) -> Any:
        structured.append(cls)
        return structure(data, cls, strict)

    for module in ("checkout_model._converter", "checkout_model.parsing", "checkout_model.events"):
        monkeypatch.setattr(f"{module}.structure", counting)
    assert summary(cm.iter_sessions(io.BytesIO(lines))) == expected_sessions
    # The generic route: the odd documents (twice), the first event after the sessions, and
    # the payloads the fast path skips while it only probes (after two declines in a row).
    assert len(structured) < 20, structured
    del structured[:]
    assert summary(cm.iter_events(io.BytesIO(lines), checkout_only=False)) == expected_events
    assert len(structured) < 20, structured


def test_a_stream_of_events_is_tried_as_events_first() -> None:
    from checkout_model.archive import FastSessions

    typed = FastSessions(strict=False)
    assert not typed.events
    assert typed.saw(event(1), None)
    assert typed.events
    assert not typed.saw(session(1), 0)  # an item of a list page does not switch
    assert typed.events
    assert not typed.saw(session(1), None)
    assert not typed.events
