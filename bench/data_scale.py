"""Data at scale: sessions per second through each path, on one generated JSON Lines archive.

Run with ``nox -s bench_data`` (or ``python bench/data_scale.py [--rows N]``). Paths measured,
all over the same file of real payloads (tests/payloads) with their ids varied:

* in process: ``cm.iter_sessions`` (parse only), and ``iter_sessions`` + ``cm.to_arrow``;
* the command line: ``checkout-model -q --jobs 1`` and ``--jobs N`` (a child process each), on
  the archive and on one four times its size, best of three interleaved rounds, and its fixed
  start-up cost;
* PySpark in local mode (``local[N]``): ``checkout_model.spark.parse_sessions`` to a no-op sink
  (the JVM's start-up is reported apart).

Absolute numbers depend on the machine and on what else runs on it; read the ratios.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson

import checkout_model as cm

PAYLOADS = Path(__file__).resolve().parent.parent / "tests" / "payloads"


def lines(rows: int) -> Iterator[bytes]:
    """``rows`` sessions: every real payload in turn, each with a new id."""
    bases = [orjson.loads(p.read_bytes()) for p in sorted(PAYLOADS.glob("*.json"))]
    for n in range(rows):
        data = dict(bases[n % len(bases)])
        data["id"] = f"cs_bench_{n:08d}"
        yield orjson.dumps(data) + b"\n"


def timed(
    label: str, rows: int, run: Callable[[], object], results: list[tuple[str, float]]
) -> float:
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    results.append((label, seconds))
    print(f"  {label:<44} {seconds:8.2f} s  {rows / seconds:10,.0f} sessions/s", flush=True)
    return seconds


def in_process(path: Path, rows: int, results: list[tuple[str, float]]) -> None:
    def parse() -> None:
        valid = sum(1 for r in cm.iter_sessions(path) if r.ok)
        assert valid == rows, valid

    timed("in process: iter_sessions", rows, parse, results)
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        print("  (pyarrow not installed: to_arrow skipped)")
        return

    def arrow() -> None:
        table = cm.to_arrow(r.value for r in cm.iter_sessions(path) if r.value is not None)
        assert table.num_rows == rows

    timed("in process: iter_sessions + to_arrow", rows, arrow, results)


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def _ready(barrier: Any) -> None:
    barrier.wait()


def calibrate(jobs: int) -> float:
    """How much faster ``jobs`` processes finish ``jobs`` pieces of pure CPU work than one
    process does, on this machine now: the most any parallel path can gain here."""
    work = 3_000_000
    start = time.perf_counter()
    for _ in range(jobs):
        _burn(work)
    alone = time.perf_counter() - start
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Barrier(jobs + 1)
    with ctx.Pool(jobs, initializer=_ready, initargs=(ready,)) as pool:
        ready.wait()  # every worker has started (imported what the main module imports)
        start = time.perf_counter()
        pool.map(_burn, [work] * jobs)
        together = time.perf_counter() - start
    return alone / together


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cli_seconds(path: Path, jobs: int) -> tuple[float, float]:
    """Wall and CPU seconds (with its workers) of ``checkout-model -q --jobs N`` on ``path``."""
    before = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "checkout_model", "-q", "--jobs", str(jobs), str(path)],
        capture_output=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    assert done.returncode == 0, done.stderr[-500:]
    return seconds, _children_cpu() - before


def _pieces(path: Path, n: int) -> list[Path]:
    """``path`` cut into ``n`` files of consecutive lines."""
    lines = path.read_bytes().splitlines(keepends=True)
    step = -(-len(lines) // n)
    pieces = []
    for i in range(n):
        piece = path.with_name(f"{path.stem}.piece{i}.jsonl")
        piece.write_bytes(b"".join(lines[i * step : (i + 1) * step]))
        pieces.append(piece)
    return pieces


def _apart_seconds(pieces: list[Path]) -> float:
    """Wall seconds of one ``checkout-model -q`` per piece, all started at once: what N
    independent processes achieve on this machine now, to compare --jobs with."""
    start = time.perf_counter()
    running = [
        subprocess.Popen(
            [sys.executable, "-m", "checkout_model", "-q", str(piece)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for piece in pieces
    ]
    assert all(process.wait() == 0 for process in running)
    return time.perf_counter() - start


def command_line(
    paths: list[tuple[Path, int]], jobs: int, results: list[tuple[str, float]], rounds: int = 3
) -> None:
    """``--jobs 1`` against ``--jobs N`` on each file: interleaved rounds, the best of each kept
    (a shared machine only ever adds time). The start-up (import, making the fast path, the
    workers) is a fixed cost, so the gain grows with the file; it is measured on 100 lines.
    Beside them, the file cut in N pieces checked by N independent processes at once: what
    this machine gives N processes now (two busy cores do not each run as fast as one)."""
    counts = sorted({1, 2, jobs})
    for path, rows in paths:
        best = dict.fromkeys(counts, (math.inf, math.inf))
        pieces = _pieces(path, max(counts))
        apart = math.inf
        for _ in range(rounds):
            for n in counts:
                wall, cpu = _cli_seconds(path, n)
                best[n] = min(best[n], (wall, cpu))
            apart = min(apart, _apart_seconds(pieces))
        for piece in pieces:
            piece.unlink()
        size = path.stat().st_size / 1e6
        for n in counts:
            wall, cpu = best[n]
            results.append((f"checkout-model -q --jobs {n} ({rows:,} rows)", wall))
            print(
                f"  checkout-model -q --jobs {n}, {rows:>7,} sessions ({size:,.0f} MB)"
                f" {wall:8.2f} s  {rows / wall:10,.0f} sessions/s  (CPU {cpu:.2f} s)",
                flush=True,
            )
        for n in counts[1:]:
            print(
                f"  --jobs {n} vs --jobs 1 on {size:,.0f} MB: {best[1][0] / best[n][0]:.2f}x"
                f" faster; CPU {best[n][1] / best[1][1]:.2f}x (the cost of the processes)"
            )
        most = max(counts)
        print(
            f"  {most} independent processes on {most} pieces of it: {best[1][0] / apart:.2f}x"
            f" faster than --jobs 1 (what {most} processes get here now)"
        )
    small = paths[0][0].with_name("start-up.jsonl")
    with paths[0][0].open("rb") as source, small.open("wb") as out:
        out.writelines(line for line, _ in zip(source, range(100), strict=False))
    for n in counts:
        wall = min(_cli_seconds(small, n)[0] for _ in range(rounds))
        print(f"  start-up, --jobs {n} (100 sessions): {wall:.2f} s")
    most = max(counts)
    print(f"  pure CPU work gains {calibrate(most):.2f}x on {most} processes here now")


def spark(path: Path, rows: int, cores: int, results: list[tuple[str, float]]) -> None:
    try:
        from pyspark.sql import SparkSession

        from checkout_model import spark as cms
    except ImportError:
        print("  (pyspark not installed: Spark skipped; nox -s bench_data installs it)")
        return
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    start = time.perf_counter()
    session = (
        SparkSession.builder.master(f"local[{cores}]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    print(f"  Spark start-up (JVM, local[{cores}]): {time.perf_counter() - start:.1f} s")

    def run() -> None:
        result = cms.parse_sessions(session.read.text(str(path)))
        result.sessions.write.format("noop").mode("overwrite").save()

    timed(f"Spark local[{cores}]: parse_sessions -> noop sink", rows, run, results)
    session.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60_000, help="sessions in the archive")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="processes/cores")
    parser.add_argument("--no-spark", action="store_true", help="skip the Spark measurement")
    args = parser.parse_args(argv)
    results: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sessions.jsonl"
        with path.open("wb") as out:
            out.writelines(lines(args.rows))
        size = path.stat().st_size / 1e6
        print(f"Data at scale: {args.rows:,} sessions, {size:,.0f} MB of JSON Lines", end="")
        print(f", {args.jobs} cores")
        in_process(path, args.rows, results)
        big = Path(folder) / "sessions-x4.jsonl"
        with big.open("wb") as out:
            for _ in range(4):
                out.write(path.read_bytes())
        command_line([(path, args.rows), (big, 4 * args.rows)], args.jobs, results)
        if not args.no_spark:
            spark(path, args.rows, args.jobs, results)


if __name__ == "__main__":
    main()
