"""The checkout-model benchmark: parse and dump speed, memory, cold start and scaling vs peers.

Run with ``nox -s bench`` (or ``python bench/run.py [--rounds N] [--quick]``). Contenders run
interleaved (each round times every contender once, in rotating order) so machine drift hits
all of them alike; the best round per contender is reported. Only ratios measured in the same
run are meaningful; absolute times depend on the machine.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import multiprocessing
import os
import pickle
import platform
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import orjson
import pydantic
import stripe

import checkout_model as cm
from payloads import payloads  # bench/ is on sys.path: this file runs as a script
from pydantic_peer import PydanticSession

try:
    import msgspec
except ImportError:  # msgspec is optional
    msgspec = None  # type: ignore[assignment]

Fn = Callable[[Any], Any]

TARGET_BATCH_SECONDS = 0.004


def _stripe_construct(b: bytes) -> Any:
    return stripe.checkout.Session.construct_from(json.loads(b), "sk_test")


def _strict(b: bytes) -> cm.Session:
    return cm.parse_session(b, strict=True)


def _pydantic_dump_unset(m: Any) -> Any:
    return m.model_dump(mode="json", exclude_unset=True)


def _pydantic_dump(m: Any) -> Any:
    return m.model_dump(mode="json")


def parse_contenders() -> dict[str, Fn]:
    out: dict[str, Fn] = {
        "orjson.loads": orjson.loads,
        "json.loads": json.loads,
    }
    if msgspec is not None:
        out["msgspec (untyped)"] = msgspec.json.decode
    out |= {
        "checkout_model": cm.parse_session,
        "checkout_model strict": _strict,
        "pydantic": PydanticSession.model_validate_json,
        "stripe construct_from": _stripe_construct,
    }
    return out


def _batch(fn: Fn, arg: Any, loops: int) -> float:
    """Seconds per call over ``loops`` calls (gc off, as timeit does)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(loops):
            fn(arg)
        return (time.perf_counter() - start) / loops
    finally:
        if enabled:
            gc.enable()


def best_times(contenders: dict[str, Fn], args: dict[str, Any], rounds: int) -> dict[str, float]:
    """Best-of-``rounds`` seconds per call of each contender, interleaved round by round."""
    names = list(contenders)
    loops: dict[str, int] = {}
    for name in names:
        fn, arg = contenders[name], args[name]
        for _ in range(5):  # warm up: caches, and code made when a payload shape recurs
            fn(arg)
        once = _batch(fn, arg, 5)
        loops[name] = max(1, int(TARGET_BATCH_SECONDS / max(once, 1e-9)))
    best = dict.fromkeys(names, math.inf)
    for r in range(rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            best[name] = min(best[name], _batch(contenders[name], args[name], loops[name]))
    return best


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    out = [header, ["-" * w for w in widths], *rows]
    return "\n".join(
        "  ".join(
            c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in out
    )


def _geomean(values: list[float]) -> float:
    return math.exp(sum(map(math.log, values)) / len(values))


def _us(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1e6:.1f}"


def bench_parse(data: dict[str, bytes], rounds: int) -> dict[str, dict[str, float]]:
    contenders = parse_contenders()
    results: dict[str, dict[str, float]] = {}
    for name, raw in data.items():
        these = dict(contenders)
        try:
            _strict(raw)
        except cm.ParseError:  # strict mode rejects this payload's unknown fields
            del these["checkout_model strict"]
        results[name] = best_times(these, dict.fromkeys(these, raw), rounds)
    short = {
        "orjson.loads": "orjson",
        "json.loads": "json",
        "msgspec (untyped)": "msgspec",
        "checkout_model": "ours",
        "checkout_model strict": "ours strict",
        "pydantic": "pydantic",
        "stripe construct_from": "stripe",
    }
    header = ["payload", "bytes", *(short[c] for c in contenders)]
    rows = [
        [name, str(len(data[name])), *(_us(results[name].get(c)) for c in contenders)]
        for name in data
    ]
    print("\nParse: µs per payload (best of", rounds, "interleaved rounds)\n")
    print(_table(header, rows))

    ratio_rows = []
    columns: dict[str, list[float]] = {k: [] for k in ("orjson", "json", "pydantic", "stripe")}
    for name in data:
        r = results[name]
        ours = r["checkout_model"]
        vals = {
            "orjson": ours / r["orjson.loads"],
            "json": ours / r["json.loads"],
            "pydantic": ours / r["pydantic"],
            "stripe": r["stripe construct_from"] / ours,
        }
        for k, v in vals.items():
            columns[k].append(v)
        strict = r.get("checkout_model strict", math.nan) / r["orjson.loads"]
        ratio_rows.append(
            [
                name,
                f"{vals['orjson']:.2f}x",
                "-" if math.isnan(strict) else f"{strict:.2f}x",
                f"{vals['json']:.2f}x",
                f"{vals['pydantic']:.2f}x",
                f"{vals['stripe']:.1f}x faster",
            ]
        )
    ratio_rows.append(
        [
            "geometric mean",
            f"{_geomean(columns['orjson']):.2f}x",
            "",
            f"{_geomean(columns['json']):.2f}x",
            f"{_geomean(columns['pydantic']):.2f}x",
            f"{_geomean(columns['stripe']):.1f}x faster",
        ]
    )
    print("\nParse ratios: checkout_model.parse_session(bytes) against\n")
    print(
        _table(
            [
                "payload",
                "÷ orjson.loads",
                "strict ÷ orjson",
                "÷ json.loads",
                "÷ pydantic",
                "vs stripe",
            ],
            ratio_rows,
        )
    )
    return results


def bench_dump(data: dict[str, bytes], rounds: int) -> None:
    ratio: list[float] = []
    rows = []
    for name, raw in data.items():
        session = cm.parse_session(raw)
        model = PydanticSession.model_validate_json(raw)
        assert json.loads(raw) == cm.dump_session(session)
        contenders: dict[str, Fn] = {
            "checkout_model": cm.dump_session,
            "pydantic": _pydantic_dump,
            "pydantic exclude_unset": _pydantic_dump_unset,
        }
        args = {"checkout_model": session, "pydantic": model, "pydantic exclude_unset": model}
        best = best_times(contenders, args, rounds)
        ratio.append(best["checkout_model"] / best["pydantic"])
        rows.append(
            [
                name,
                f"{best['checkout_model'] * 1e6:.1f}",
                f"{best['pydantic'] * 1e6:.1f}",
                f"{best['pydantic exclude_unset'] * 1e6:.1f}",
                f"{ratio[-1]:.2f}x",
            ]
        )
    rows.append(["geometric mean", "", "", "", f"{_geomean(ratio):.2f}x"])
    print('\nDump: µs per object (pydantic: model_dump(mode="json"))\n')
    print(_table(["payload", "ours", "pydantic", "pydantic unset", "ours ÷ pydantic"], rows))


def _retained(fn: Fn, raw: bytes, copies: int) -> float:
    """Bytes a call's result keeps alive, averaged over ``copies`` results."""
    fn(raw)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = [fn(raw) for _ in range(copies)]
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del kept
    return (after - before) / copies


def bench_memory(data: dict[str, bytes], copies: int = 50) -> None:
    rows = []
    ratio = []
    for name, raw in data.items():
        ours = _retained(cm.parse_session, raw, copies)
        plain = _retained(json.loads, raw, copies)
        fast = _retained(orjson.loads, raw, copies)
        peer = _retained(PydanticSession.model_validate_json, raw, copies)
        ratio.append(ours / plain)
        rows.append(
            [
                name,
                f"{ours:,.0f}",
                f"{plain:,.0f}",
                f"{fast:,.0f}",
                f"{peer:,.0f}",
                f"{ours / plain:.2f}x",
            ]
        )
    rows.append(["geometric mean", "", "", "", "", f"{_geomean(ratio):.2f}x"])
    print(f"\nMemory: bytes retained per parsed payload (tracemalloc, {copies} kept)\n")
    print(
        _table(
            ["payload", "Session", "json.loads", "orjson.loads", "pydantic", "ours ÷ json"],
            rows,
        )
    )


COLD = """
import time
t0 = time.perf_counter()
import {module}
t1 = time.perf_counter()
{call}
t2 = time.perf_counter()
{call}
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def bench_cold(raw: bytes, runs: int) -> None:
    cases = {
        "checkout_model": ("checkout_model", "checkout_model.parse_session(RAW)"),
        "stripe": (
            "stripe, json",
            "stripe.checkout.Session.construct_from(json.loads(RAW), 'sk_test')",
        ),
    }
    rows = []
    for name, (module, call) in cases.items():
        code = f"RAW = {raw!r}\n" + COLD.format(module=module, call=call)
        best = [math.inf] * 3
        for _ in range(runs):
            out = subprocess.run(  # noqa: S603 (our own interpreter and code)
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout.split()
            best = [min(b, float(v)) for b, v in zip(best, out, strict=True)]
        rows.append([name, *(f"{v * 1e3:.1f}" for v in best)])
    print(f"\nCold start: ms in a fresh interpreter (best of {runs}; 2019-shape payload)\n")
    print(_table(["", "import", "first parse", "second parse"], rows))


def _amount(raw: bytes) -> int | None:
    """A worker's job: validate one session, return something small."""
    return cm.parse_session(raw).amount_total


def bench_scaling(data: dict[str, bytes], size: int) -> None:
    raws = list(data.values())
    batch = [raws[i % len(raws)] for i in range(size)]
    # the parse function and the parsed objects must survive pickling for a pool to use them
    assert pickle.loads(pickle.dumps(cm.parse_session)) is cm.parse_session  # noqa: S301
    for raw in raws:
        session = cm.parse_session(raw)
        clone = pickle.loads(pickle.dumps(session))  # noqa: S301 (our own bytes)
        assert session == clone
        assert cm.dump_session(session) == cm.dump_session(clone)
    start = time.perf_counter()
    for raw in batch:
        _amount(raw)
    serial = time.perf_counter() - start
    rows = [["in process", "", f"{serial:.3f}", f"{size / serial:,.0f}", ""]]
    ctx = multiprocessing.get_context("spawn")
    for job, fn in (("validate", _amount), ("parse, return Sessions", cm.parse_session)):
        base = 0.0
        for procs in (1, 2):
            with ctx.Pool(procs) as pool:
                pool.map(_amount, raws * procs)
                start = time.perf_counter()
                pool.map(fn, batch, chunksize=64)
                took = time.perf_counter() - start
            base = base or took
            rows.append(
                [job, str(procs), f"{took:.3f}", f"{size / took:,.0f}", f"{base / took:.2f}x"]
            )
    cpus = os.cpu_count()
    print(f"\nScaling: {size} mixed payloads through multiprocessing.Pool ({cpus} CPUs)\n")
    print(_table(["job", "processes", "seconds", "sessions/s", "speedup"], rows))


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{model}, {os.cpu_count()} CPUs; {platform.python_implementation()} "
        f"{platform.python_version()} on {platform.system()}"
    )


def versions() -> str:
    parts = [
        f"checkout_model {cm.__version__}",
        f"attrs {version('attrs')}",
        f"cattrs {version('cattrs')}",
        f"orjson {orjson.__version__}",
        f"pydantic {pydantic.VERSION}",
        f"stripe {stripe.VERSION}",
    ]
    if msgspec is not None:
        parts.append(f"msgspec {msgspec.__version__}")
    return ", ".join(parts)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds per payload")
    parser.add_argument("--quick", action="store_true", help="fewer rounds, skip slow sections")
    parser.add_argument(
        "--only", choices=["parse", "dump", "memory", "cold", "scaling"], action="append"
    )
    args = parser.parse_args(argv)
    rounds = 5 if args.quick else args.rounds
    sections = set(args.only or ["parse", "dump", "memory", "cold", "scaling"])
    data = payloads()
    print("Machine:", machine())
    print("Versions:", versions())
    if "parse" in sections:
        bench_parse(data, rounds)
    if "dump" in sections:
        bench_dump(data, rounds)
    if "memory" in sections:
        bench_memory(data)
    if "cold" in sections:
        bench_cold(next(iter(data.values())), 3 if args.quick else 7)
    if "scaling" in sections:
        bench_scaling(data, 2000 if args.quick else 8000)


if __name__ == "__main__":
    main()
