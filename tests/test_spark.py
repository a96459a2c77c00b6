"""checkout_model.spark in a real local Spark (``local[2]``): run by ``nox -s spark``.

The session pushes 100k sessions (real payloads from tests/payloads with their ids, amounts and
dates varied) through ``mapInArrow`` and compares every row with the in-process ``to_arrow``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

if not os.environ.get("CHECKOUT_MODEL_SPARK"):
    pytest.skip("PySpark tests run in `nox -s spark`", allow_module_level=True)

pa = pytest.importorskip("pyarrow")
pytest.importorskip("pyspark")

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402

import checkout_model as cm  # noqa: E402
from checkout_model import spark as cms  # noqa: E402

# py4j leaves its sockets to the garbage collector; nothing of this library's is filtered.
pytestmark = [
    pytest.mark.filterwarnings("ignore:unclosed <socket:ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

PAYLOADS = Path(__file__).parent / "payloads"
SMALL = [
    "v2019_minimal.json",
    "v2022_08_01.json",
    "v2020_08_27.json",  # line items
    "setup.json",
    "embedded.json",
    "expired.json",
    "v2026_03_25_dahlia.json",
    "adaptive_pricing.json",  # line items, metadata
]
ROWS = 100_000
BAD_EVERY = 1_000


def _payloads(rows: int) -> Iterator[bytes]:
    """``rows`` JSON Lines: real payloads with a new id, amount and date each, some invalid."""
    bases = [orjson.loads((PAYLOADS / name).read_bytes()) for name in SMALL]
    for i in range(rows):
        data = dict(bases[i % len(bases)])
        data["id"] = f"cs_test_spark_{i:07d}"
        if data.get("amount_total") is not None:
            data["amount_total"] = 100 + i % 10_000
        if data.get("created") is not None:
            data["created"] = 1_700_000_000 + i
        if i % BAD_EVERY == 7:
            data["amount_total"] = "12.50"
        yield orjson.dumps(data)


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    os.environ["PYSPARK_PYTHON"] = sys.executable  # workers run this interpreter (and package)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("checkout-model tests")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spark") / "sessions.jsonl"
    with path.open("wb") as out:
        for line in _payloads(ROWS):
            out.write(line + b"\n")
    return path


def test_100k_sessions_match_the_in_process_path(
    spark: SparkSession, archive: Path, tmp_path: Path
) -> None:
    import pyarrow.parquet as pq

    result = cms.parse_sessions(spark.read.text(str(archive)), cache=True)
    assert cms.spark_schema() == result.sessions.schema
    result.sessions.write.parquet(str(tmp_path / "sessions"))  # the recipe: JSON Lines -> Parquet
    table = pq.read_table(tmp_path / "sessions")
    errors = result.errors.toArrow()

    bad = ROWS // BAD_EVERY
    assert (ROWS - bad, bad) == (table.num_rows, errors.num_rows)
    assert {"$.amount_total"} == set(errors.column("path").to_pylist())
    assert {"expected an integer, found the string '12.50'"} == set(
        errors.column("message").to_pylist()
    )
    invalid = [orjson.loads(v)["id"] for v in errors.column("value").to_pylist()]
    assert [f"cs_test_spark_{i:07d}" for i in range(7, ROWS, BAD_EVERY)] == sorted(invalid)

    # Types: Spark's timestamps (µs) cast back to the schema's seconds, nothing else changes.
    local = cm.to_arrow(
        cm.parse_session(line) for i, line in enumerate(_payloads(ROWS)) if i % BAD_EVERY != 7
    )
    assert table.column_names == local.column_names
    remote = table.cast(cm.arrow_schema()).sort_by("id")
    assert local.sort_by("id").equals(remote)
    first = remote.slice(0, 1).to_pylist()[0]
    assert cm.parse_session(first["raw"]) == cm.parse_session(next(_payloads(1)))


def test_errors_keep_columns_and_strict_lists_every_problem(spark: SparkSession) -> None:
    good = orjson.loads((PAYLOADS / "setup.json").read_bytes())
    novel = {**good, "id": "cs_novel", "loyalty": 1, "mode": "barter", "amount_total": "1"}
    rows = [("a.jsonl", orjson.dumps(good).decode()), ("b.jsonl", orjson.dumps(novel).decode())]
    rows.append(("c.jsonl", "{not json"))
    df = spark.createDataFrame(rows, "file string, body string")

    lenient = cms.parse_sessions(df, "body", keep=["file"])
    assert ["a.jsonl"] == [r.file for r in lenient.sessions.select("file").collect()]
    found = {(r.file, r.path) for r in lenient.errors.collect()}
    assert {("b.jsonl", "$.amount_total"), ("c.jsonl", "$")} == found

    strict = cms.parse_sessions(df, "body", keep=["file"], strict=True)
    problems = {r.path for r in strict.errors.where(F.col("file") == "b.jsonl").collect()}
    assert {"$.amount_total", "$.loyalty", "$.mode"} == problems
    assert ["body", "file", "message", "path"] == sorted(strict.errors.columns)


def test_events_give_their_sessions(spark: SparkSession) -> None:
    session = orjson.loads((PAYLOADS / "v2026_03_25_dahlia.json").read_bytes())
    rows: list[Any] = []
    for i, kind in enumerate(
        ["checkout.session.completed", "invoice.paid", "checkout.session.expired"]
    ):
        event = {
            "id": f"evt_{i}",
            "object": "event",
            "created": 1_761_650_000 + i,
            "data": {"object": {**session, "id": f"cs_{i}"}},
            "type": kind,
        }
        rows.append((orjson.dumps(event),))
    df = spark.createDataFrame(rows, "value binary")

    result = cms.parse_events(df)
    assert cms.spark_schema(events=True) == result.sessions.schema
    got = [(r.event_id, r.event_type, r.id) for r in result.sessions.collect()]
    assert [
        ("evt_0", "checkout.session.completed", "cs_0"),
        ("evt_2", "checkout.session.expired", "cs_2"),
    ] == got
    assert 0 == result.errors.count()
    reported = cms.parse_events(df, checkout_only=False).errors.collect()
    assert ["$.type"] == [r.path for r in reported]


def test_bad_arguments(spark: SparkSession) -> None:
    df = spark.createDataFrame([(1, "x")], "n int, value string")
    with pytest.raises(ValueError, match="no column 'body'"):
        cms.parse_sessions(df, "body")
    with pytest.raises(TypeError, match="strings or binary"):
        cms.parse_sessions(df, "n")
    with pytest.raises(ValueError, match="clash"):
        cms.parse_sessions(df.withColumnRenamed("n", "id"), keep=["id"])
