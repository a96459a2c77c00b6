"""cm.to_arrow / cm.arrow_schema: columns derived from the model, Parquet read back by Polars
and DuckDB, and the exact session in every row."""

from __future__ import annotations

import builtins
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import checkout_model as cm
from checkout_model import arrow as cma
from checkout_model._schema import Kind, schema

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

PAYLOADS = Path(__file__).parent / "payloads"


def payloads() -> list[dict[str, Any]]:
    return [json.loads(path.read_bytes()) for path in sorted(PAYLOADS.glob("*.json"))]


def sessions() -> list[cm.Session]:
    return [cm.parse_session(p) for p in payloads()]


def test_every_row_rebuilds_its_exact_session() -> None:
    originals = sessions()
    table = cm.to_arrow(originals)
    assert len(originals) == table.num_rows
    for session, row in zip(originals, table.to_pylist(), strict=True):
        assert session == cm.parse_session(row["raw"])
        assert cm.dump_session(session) == json.loads(row["raw"])


def test_schema_is_derived_from_the_model() -> None:
    arrow = cm.arrow_schema()
    names = set(arrow.names)
    for field in schema(cm.Session).fields:
        kind = field.type.kind
        if field.key in cma.EXCLUDED:
            assert field.key not in names
        elif kind in (Kind.STR, Kind.INT, Kind.BOOL, Kind.TIMESTAMP, Kind.ENUM):
            assert field.key in names, field.key
        elif kind is Kind.EXPANDABLE:
            assert f"{field.key}_id" in names, field.key
    assert pa.timestamp("s", tz="UTC") == arrow.field("created").type
    assert pa.timestamp("s", tz="UTC") == arrow.field("expires_at").type
    assert pa.int64() == arrow.field("amount_total").type
    assert pa.string() == arrow.field("mode").type
    assert pa.bool_() == arrow.field("livemode").type
    assert pa.map_(pa.string(), pa.string()) == arrow.field("metadata").type
    assert pa.list_(pa.string()) == arrow.field("payment_method_types").type
    for name in ("payment_intent_id", "subscription_id", "customer_id", "customer_details_email"):
        assert pa.string() == arrow.field(name).type
    item = arrow.field("line_items").type.value_type
    assert [*cma.LINE_ITEM_FIELDS, "price_id", "product_id"] == [f.name for f in item]
    assert pa.int64() == item.field("quantity").type
    assert "raw" == arrow.names[-1]
    assert cm.arrow_schema() is arrow


def test_values_of_the_flat_columns() -> None:
    payload = json.loads((PAYLOADS / "payment_expanded.json").read_bytes())
    [row] = cm.to_arrow([cm.parse_session(payload)]).to_pylist()
    assert payload["id"] == row["id"]
    assert datetime.fromtimestamp(payload["created"], UTC) == row["created"]
    assert payload["amount_total"] == row["amount_total"]
    assert payload["mode"] == row["mode"]
    assert payload["customer_details"]["email"] == row["customer_details_email"]
    assert (
        payload["customer_details"]["address"]["country"] == row["customer_details_address_country"]
    )
    assert payload["total_details"]["amount_tax"] == row["total_details_amount_tax"]
    customer = payload["customer"]
    assert (customer if isinstance(customer, str) else customer["id"]) == row["customer_id"]
    assert sorted(payload["metadata"].items()) == sorted(row["metadata"])
    items = payload["line_items"]["data"]
    assert [i["id"] for i in items] == [i["id"] for i in row["line_items"]]
    assert [i["price"]["id"] for i in items] == [i["price_id"] for i in row["line_items"]]
    product = items[0]["price"]["product"]
    expected = product if isinstance(product, str) else product["id"]
    assert expected == row["line_items"][0]["product_id"]
    assert "client_secret" not in row


def test_expanded_ids_unknown_enums_nulls_and_huge_ints() -> None:
    minimal = cm.parse_session({"id": "cs_1"})
    expanded = cm.parse_session(
        {
            "id": "cs_2",
            "mode": "barter",
            "payment_intent": {"id": "pi_9", "object": "payment_intent"},
            "subscription": "sub_3",
            "metadata": {},
            "line_items": {"object": "list", "data": [{"id": "li_1", "object": "item"}]},
        }
    )
    rows = cm.to_arrow([minimal, expanded]).to_pylist()
    assert (None, None, None, None) == (
        rows[0]["mode"],
        rows[0]["created"],
        rows[0]["line_items"],
        rows[0]["metadata"],
    )
    assert ("barter", "pi_9", "sub_3", []) == (
        rows[1]["mode"],
        rows[1]["payment_intent_id"],
        rows[1]["subscription_id"],
        rows[1]["metadata"],
    )
    assert [None, None] == [
        rows[1]["line_items"][0]["price_id"],
        rows[1]["line_items"][0]["quantity"],
    ]
    assert (None, 5) == (cma._fits(2**70), cma._fits(5))


def test_to_arrow_takes_generators_and_empty_input() -> None:
    def lazy() -> Iterator[cm.Session]:
        yield from sessions()

    assert len(payloads()) == cm.to_arrow(lazy()).num_rows
    empty = cm.to_arrow([])
    assert (0, cm.arrow_schema()) == (empty.num_rows, empty.schema)
    many = list(cma.batches(sessions() * 3, size=10))
    assert [10, 10, 10, 10, 5] == [b.num_rows for b in many]


def test_parquet_read_back_by_polars_and_duckdb(tmp_path: Path) -> None:
    polars = pytest.importorskip("polars")
    duckdb = pytest.importorskip("duckdb")
    originals = sessions()
    path = tmp_path / "sessions.parquet"
    pq.write_table(cm.to_arrow(originals), path)

    expected: dict[str, int] = {}
    for s in originals:
        if s.currency is not None and s.amount_total is not None:
            expected[s.currency] = expected.get(s.currency, 0) + s.amount_total
    assert len(expected) >= 2  # the payloads hold several currencies

    frame = polars.read_parquet(path)
    by_polars = (
        frame.filter(polars.col("currency").is_not_null())
        .group_by("currency")
        .agg(polars.col("amount_total").sum())
    )
    assert expected == dict(by_polars.iter_rows())
    assert (
        polars.Datetime("us", "UTC") == frame.schema["created"]
        or polars.Datetime("ms", "UTC") == frame.schema["created"]
        or polars.Datetime("ns", "UTC") == frame.schema["created"]
    )

    con = duckdb.connect()
    query = """
        select currency, sum(amount_total)::bigint
        from read_parquet($path)
        where currency is not null group by currency
    """
    where = {"path": str(path)}
    assert expected == dict(con.execute(query, where).fetchall())
    unnested = "select count(*) from (select unnest(line_items) from read_parquet($path))"
    items = con.execute(unnested, where).fetchall()
    assert [(sum(len(s.line_items.data or ()) for s in originals if s.line_items),)] == items
    raws = [r[0] for r in con.execute("select raw from read_parquet($path)", where).fetchall()]
    assert originals == [cm.parse_session(raw) for raw in raws]


def test_import_does_not_import_pyarrow() -> None:
    code = "import sys, checkout_model; assert 'pyarrow' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_without_pyarrow_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real = builtins.__import__

    def no_pyarrow(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ImportError(f"No module named {name!r}")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    monkeypatch.setattr(cma, "_SCHEMA", None)
    with pytest.raises(ImportError, match=r"checkout-model\[arrow\]"):
        cm.arrow_schema()
    with pytest.raises(ImportError, match=r"checkout-model\[arrow\]"):
        cm.to_arrow([])


# ------------------------------------------------------------------------------------------------
# The mapInArrow function of checkout_model.spark, run here on plain Arrow batches


def test_spark_mapper_row_for_row() -> None:
    from checkout_model import spark as cms

    good = payloads()[0]
    rows = [json.dumps(good), "{broken", None, json.dumps({**good, "amount_total": "1"})]
    batch = pa.RecordBatch.from_arrays(
        [pa.array(rows), pa.array(["a", "b", "c", "d"])], names=["value", "file"]
    )
    target = cms._target(False, [pa.field("file", pa.string())], pa.string())
    [out] = cms._map_batches([batch], strict=False, events=False, checkout_only=True, target=target)
    assert target == out.schema
    table = out.to_pylist()
    assert ["a", "b", "c", "d"] == [r["file"] for r in table]
    assert [good["id"], None, None, None] == [r["id"] for r in table]
    assert [None, "$", "$", "$.amount_total"] == [
        r[cms.ERRORS][0]["path"] if r[cms.ERRORS] else None for r in table
    ]
    assert [None, rows[1], None, rows[3]] == [r[cms.INPUT] for r in table]
    local = cm.to_arrow([cm.parse_session(good)]).to_pylist()[0]
    assert local["raw"] == table[0]["raw"]


def test_spark_mapper_events() -> None:
    from checkout_model import spark as cms

    good = payloads()[0]

    def event(n: int, kind: str) -> bytes:
        body = {"id": f"evt_{n}", "object": "event", "created": 10, "type": kind}
        return json.dumps({**body, "data": {"object": good}}).encode()

    rows = [event(1, "checkout.session.completed"), event(2, "invoice.paid"), event(3, "x.y")]
    batch = pa.RecordBatch.from_arrays([pa.array(rows, type=pa.binary())], names=["value"])
    for checkout_only, ids in ((True, ["evt_1"]), (False, ["evt_1", None, None])):
        target = cms._target(True, [], pa.binary())
        [out] = cms._map_batches(
            [batch], strict=True, events=True, checkout_only=checkout_only, target=target
        )
        got = out.to_pylist()
        assert ids == [r["event_id"] for r in got]
        assert good["id"] == got[0]["id"]
        assert datetime.fromtimestamp(10, UTC) == got[0]["event_created"]
