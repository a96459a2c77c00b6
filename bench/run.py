"""The checkout-model benchmark: parse and dump speed, memory, cold start and scaling vs peers.

Run with ``nox -s bench`` (or ``python bench/run.py [--rounds N] [--quick] [--only SECTION]``).
Contenders run interleaved (each round times every contender once, in rotating order) so machine
drift hits all of them alike; the best round per contender is reported. When valgrind is
installed, the ``count`` section also reports executed instructions (callgrind), which do not
drift with the load of a shared machine. Only ratios measured in the same run are meaningful.
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
import re
import shutil
import subprocess
import sys
import tempfile
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
from checkout_model import _converter, _fast
from data_scale import calibrate  # bench/ is on sys.path: run as a script
from payloads import payloads, session_with_items
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


def _converter_alone(b: bytes) -> Any:
    """The path before the fast path existed: orjson, then the generic converter."""
    return _converter.structure(orjson.loads(b), cm.Session)


_UNLEARNED: list[Any] = []


def _not_learned(b: bytes) -> cm.Session:
    """``parse_session`` as it is for unknown keys it has not learned (``_fast.learn``): with a
    fast path that never learns, a run of such payloads is declined and probed, as before."""
    key = (cm.Session, False)
    if not _UNLEARNED:
        root = _fast._make(cm.Session, False, {})
        assert root is not None
        root.rebuilds = _fast._MAX_REBUILDS
        _UNLEARNED.append(root)
    saved = _fast._ROOTS[key]
    _fast._ROOTS[key] = _UNLEARNED[0]
    try:
        return cm.parse_session(b)
    finally:
        _fast._ROOTS[key] = saved


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
        "converter alone": _converter_alone,
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
            these["not learned"] = _not_learned
        _own_steady_state()
        results[name] = best_times(these, dict.fromkeys(these, raw), rounds)
    short = {
        "orjson.loads": "orjson",
        "json.loads": "json",
        "msgspec (untyped)": "msgspec",
        "checkout_model": "ours",
        "checkout_model strict": "ours strict",
        "converter alone": "converter",
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
    for name in data:
        r = results[name]
        if "not learned" in r:
            print(
                f"\n{name}: {_us(r['checkout_model'])} µs once its unknown keys are learned, "
                f"{_us(r['not learned'])} µs while they are not "
                f"({r['not learned'] / r['converter alone']:.2f}x orjson and the converter alone)"
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


def bench_keep(data: dict[str, bytes], sizes: tuple[int, ...], rounds: int = 3) -> None:
    """Parse a batch and keep every result, with the cyclic collector on, as an application
    does: the collector revisits what is kept, and each kind of result costs it differently."""
    raws = list(data.values())
    contenders: dict[str, Fn] = {
        "checkout_model": cm.parse_session,
        "orjson.loads": orjson.loads,
        "pydantic": PydanticSession.model_validate_json,
    }
    names = list(contenders)
    rows = []
    enabled = gc.isenabled()
    gc.enable()
    try:
        for size in sizes:
            batch = [raws[i % len(raws)] for i in range(size)]
            best = dict.fromkeys(names, math.inf)
            for r in range(rounds):
                for name in names[r % len(names) :] + names[: r % len(names)]:
                    gc.collect()
                    fn = contenders[name]
                    start = time.perf_counter()
                    kept = [fn(raw) for raw in batch]
                    best[name] = min(best[name], (time.perf_counter() - start) / size)
                    del kept
            ours = best["checkout_model"]
            rows.append(
                [
                    f"{size:,}",
                    *(f"{best[n] * 1e6:.1f}" for n in names),
                    f"{ours / best['orjson.loads']:.2f}x",
                    f"{ours / best['pydantic']:.2f}x",
                ]
            )
    finally:
        if not enabled:
            gc.disable()
    gc.collect()
    print(
        "\nParse and keep: µs per payload to parse a batch of mixed payloads into a list, the "
        f"cyclic collector on (best of {rounds} interleaved rounds)\n"
    )
    header = ["payloads kept", "ours", "orjson", "pydantic", "ours ÷ orjson", "ours ÷ pydantic"]
    print(_table(header, rows))


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


def _child_env() -> dict[str, str]:
    """The environment of the measured interpreters: bytecode is cached, as an installed
    package's is (``PYTHONDONTWRITEBYTECODE`` would make every import compile the source)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONHASHSEED"] = "0"
    return env


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
                [sys.executable, "-c", code],
                capture_output=True,
                text=True,
                check=True,
                env=_child_env(),
            ).stdout.split()
            best = [min(b, float(v)) for b, v in zip(best, out, strict=True)]
        rows.append([name, *(f"{v * 1e3:.1f}" for v in best)])
    print(f"\nCold start: ms in a fresh interpreter (best of {runs}; 2019-shape payload)\n")
    print(_table(["", "import", "first parse", "second parse"], rows))


def _amount(raw: bytes) -> int | None:
    """A worker's job: validate one session, return something small."""
    return cm.parse_session(raw).amount_total


def _warm_worker(ready: Any) -> None:
    """A worker's start: make the fast path, as the parent has (steady state, not warm-up),
    then wait until every worker and the parent are ready (``ready``, a Barrier)."""
    _fast.prepare(cm.Session, False)
    ready.wait()


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
    rows = [["in process", "", f"{serial:.3f}", f"{size / serial:,.0f}", "", ""]]
    before = calibrate(2)
    ctx = multiprocessing.get_context("spawn")
    jobs: tuple[tuple[str, Fn], ...] = (
        ("validate", _amount),
        ("parse, return Sessions", cm.parse_session),
        ("peer: orjson.loads, return dicts", orjson.loads),
    )
    for job, fn in jobs:
        base = 0.0
        for procs in (1, 2):
            # A spawned worker imports this module (pydantic, stripe) first, about a second:
            # timing starts once every worker has started, or a late one's start is counted.
            ready = ctx.Barrier(procs + 1)
            with ctx.Pool(procs, initializer=_warm_worker, initargs=(ready,)) as pool:
                ready.wait()
                pool.map(_amount, raws * procs)
                start, cpu = time.perf_counter(), time.process_time()
                pool.map(fn, batch, chunksize=64)
                took, cpu = time.perf_counter() - start, time.process_time() - cpu
            base = base or took
            rows.append(
                [
                    job,
                    str(procs),
                    f"{took:.3f}",
                    f"{size / took:,.0f}",
                    f"{base / took:.2f}x",
                    f"{cpu / size * 1e6:.0f}",
                ]
            )
    # What two processes get on this machine, before and after: pure CPU work split in two.
    rows.append(["pure CPU work, before", "2", "", "", f"{before:.2f}x", ""])
    rows.append(["pure CPU work, after", "2", "", "", f"{calibrate(2):.2f}x", ""])
    cpus = os.cpu_count()
    print(f"\nScaling: {size} mixed payloads through multiprocessing.Pool ({cpus} CPUs)\n")
    header = ["job", "processes", "seconds", "sessions/s", "speedup", "parent CPU µs/session"]
    print(_table(header, rows))
    # The parent's share: it receives every result, and a returned Session is built again
    # there (unpickled from its JSON) and kept, where the cyclic collector revisits it.
    print(
        "\nParent CPU: time.process_time() of this process (all its threads) over the timed "
        "map, per session. Two workers scale only while it stays well under a worker's cost."
    )
    on, off = _unpickle_and_keep(batch, collector=True), _unpickle_and_keep(batch, False)
    print(
        f"In this process, unpickling the returned Sessions (chunks of 64) and keeping them "
        f"costs {on:.0f} µs a session with the cyclic collector on, {off:.0f} µs with it off."
    )


def _unpickle_and_keep(batch: list[bytes], collector: bool) -> float:
    """µs per session for what a pool's parent does with returned Sessions, in this process."""
    chunks = [
        pickle.dumps([cm.parse_session(raw) for raw in batch[i : i + 64]])
        for i in range(0, len(batch), 64)
    ]
    enabled = gc.isenabled()
    if not collector:
        gc.disable()
    try:
        kept: list[cm.Session] = []
        start = time.perf_counter()
        for chunk in chunks:
            kept += pickle.loads(chunk)  # noqa: S301 - our own bytes
        took = time.perf_counter() - start
    finally:
        if enabled:
            gc.enable()
    del kept
    gc.collect()
    return took / len(batch) * 1e6


def _stream_contenders() -> dict[str, Fn]:
    def ours(blob: bytes) -> int:
        return sum(1 for line in blob.splitlines() if cm.parse_session(line))

    def pydantic_lines(blob: bytes) -> int:
        return sum(1 for line in blob.splitlines() if PydanticSession.model_validate_json(line))

    def orjson_lines(blob: bytes) -> int:
        return sum(1 for line in blob.splitlines() if orjson.loads(line))

    return {"orjson.loads": orjson_lines, "checkout_model": ours, "pydantic": pydantic_lines}


def _jsonl(data: dict[str, bytes], copies: int = 10) -> bytes:
    return b"\n".join(raw for _ in range(copies) for raw in data.values())


def bench_stream(data: dict[str, bytes], rounds: int) -> None:
    blob = _jsonl(data)
    lines = blob.count(b"\n") + 1
    best = best_times(_stream_contenders(), dict.fromkeys(_stream_contenders(), blob), rounds)
    ours = best["checkout_model"]
    print(f"\nJSON Lines stream: {lines} sessions ({len(blob):,} bytes), ms per stream\n")
    rows = [[name, f"{t * 1e3:.2f}", f"{ours / t:.2f}x"] for name, t in best.items()]
    print(_table(["contender", "ms", "ours ÷ it"], rows))


ITEM_COUNTS = (1, 10, 100, 1000)


def item_payloads() -> dict[str, bytes]:
    return {
        f"{n} expanded items": json.dumps(session_with_items(n, expanded=True)).encode()
        for n in ITEM_COUNTS
    }


def bench_items(rounds: int) -> None:
    data = item_payloads()
    contenders = {
        "orjson.loads": orjson.loads,
        "checkout_model": cm.parse_session,
        "pydantic": PydanticSession.model_validate_json,
    }
    rows = []
    for (name, raw), count in zip(data.items(), ITEM_COUNTS, strict=True):
        _own_steady_state()
        best = best_times(contenders, dict.fromkeys(contenders, raw), rounds)
        ours = best["checkout_model"]
        rows.append(
            [
                name,
                f"{len(raw):,}",
                f"{ours * 1e6:.0f}",
                f"{ours * 1e6 / count:.1f}",
                f"{ours / best['orjson.loads']:.2f}x",
                f"{ours / best['pydantic']:.2f}x",
            ]
        )
    print("\nScaling with line items (expanded price, product, discount, tax rate)\n")
    print(
        _table(["payload", "bytes", "ours µs", "µs per item", "÷ orjson.loads", "÷ pydantic"], rows)
    )


# ------------------------------------------------------------------------------------------------
# Instruction counts (valgrind callgrind)
#
# One interpreter runs under callgrind with ``--dump-before=time_sleep``: every ``time.sleep(0)``
# closes a part. For each (contender, payload) the driver makes 12 warm-up calls, sleeps, makes
# N calls, sleeps; the part between the two sleeps is the N calls. A baseline segment that calls
# a no-op N times (the same loop, everything but the parse) is subtracted.

WARMUP = 12


def _count_segments(n: int) -> list[tuple[str, str, Fn, Any, int]]:
    """(contender, payload, function, argument, calls) for every measured segment."""
    data = payloads()
    parse = parse_contenders()
    del parse["json.loads"]
    lenient = _fast._make(cm.Session, False, {})  # mirrors of the model alone (none learned)
    assert lenient is not None
    parse["msgspec mirror decode"] = lenient.decode
    out: list[tuple[str, str, Fn, Any, int]] = []
    for name, raw in data.items():
        out.append(("baseline", name, _noop, raw, n))
        for contender, fn in parse.items():
            if contender == "checkout_model strict" and not _strict_ok(raw):
                continue
            if contender == "msgspec mirror decode" and not _mirror_ok(fn, raw):
                out.append(("not learned", name, _not_learned, raw, n))  # unknown keys
                continue
            calls = max(2, n // 20) if contender.startswith("stripe") else n
            out.append((contender, name, fn, raw, calls))
        session = cm.parse_session(raw)
        model = PydanticSession.model_validate_json(raw)
        out.append(("dump checkout_model", name, cm.dump_session, session, n))
        out.append(("dump pydantic", name, _pydantic_dump, model, n))
    blob = _jsonl(data, copies=1)
    for contender, fn in _stream_contenders().items():
        out.append((f"stream {contender}", "JSON Lines", fn, blob, max(2, n // 10)))
    out.append(("baseline", "JSON Lines", _noop, blob, max(2, n // 10)))
    for (name, raw), count in zip(item_payloads().items(), ITEM_COUNTS, strict=True):
        calls = max(2, n // count)
        out.append(("baseline", name, _noop, raw, calls))
        out.append(("items orjson.loads", name, orjson.loads, raw, calls))
        out.append(("items checkout_model", name, cm.parse_session, raw, calls))
        out.append(("items pydantic", name, PydanticSession.model_validate_json, raw, calls))
    return out


def _noop(arg: Any) -> None:
    return None


def _own_steady_state() -> None:
    """Put the fast paths as a stream of the next payload alone leaves them, whatever payload
    came before: no run of declined payloads (unknown keys), which would send the warm-up
    calls to the generic path, and no decoding for Unknown enum values, which a root only
    turns to once a payload needs it (``_Root.unknown_values``)."""
    for (cls, _), root in _fast._ROOTS.items():
        if root is not None:
            root.declines = 0
            if root.lenient is not None:
                root.decode = msgspec.json.Decoder(root.mirrors[cls].struct).decode


def _mirror_ok(decode: Fn, raw: bytes) -> bool:
    try:
        decode(raw)
    except msgspec.ValidationError:  # unknown fields: the fast path declines this payload
        return False
    return True


def _strict_ok(raw: bytes) -> bool:
    try:
        _strict(raw)
    except cm.ParseError:
        return False
    return True


def count_driver(n: int) -> None:
    """Run inside callgrind: every segment between two ``time.sleep(0)`` calls."""
    _fast.prepare(cm.Session, False)
    _fast.prepare(cm.Session, True)
    # The cyclic collector runs when allocations add up, wherever that falls: a collection
    # inside a counted part would be charged to that one payload. It runs between parts.
    gc.disable()
    for _, _, fn, arg, calls in _count_segments(n):
        gc.collect()
        _own_steady_state()
        for _ in range(WARMUP):
            fn(arg)
        time.sleep(0)
        for _ in range(calls):
            fn(arg)
        time.sleep(0)


COLD_COUNT = """
import time
time.sleep(0)
import checkout_model
time.sleep(0)
checkout_model.parse_session(RAW)
time.sleep(0)
"""


def _callgrind(args: list[str], out_dir: Path) -> list[int]:
    """Instructions per part of a run of this interpreter under callgrind."""
    for old in out_dir.glob("cg.*"):
        old.unlink()
    subprocess.run(  # noqa: S603 - valgrind on our own interpreter and code
        [
            shutil.which("valgrind") or "valgrind",
            "--tool=callgrind",
            "--dump-before=time_sleep",
            f"--callgrind-out-file={out_dir}/cg.%p",
            sys.executable,
            *args,
        ],
        capture_output=True,
        check=True,
        env=_child_env(),
    )
    parts: dict[int, int] = {}
    for path in out_dir.glob("cg.*"):
        text = path.read_text()
        part = re.search(r"^part: (\d+)", text, re.MULTILINE)
        summary = re.search(r"^summary: (\d+)", text, re.MULTILINE)
        if part and summary:
            parts[int(part.group(1))] = int(summary.group(1))
    return [parts[k] for k in sorted(parts)]


def bench_count(n: int, raw_cold: bytes) -> None:
    if shutil.which("valgrind") is None:
        print("\nInstruction counts: skipped (valgrind is not installed; see bench/README.md)")
        return
    segments = _count_segments(n)
    saved = os.environ.get("CHECKOUT_MODEL_BENCH_PARTS")  # reuse counts while editing the report
    if saved and Path(saved).exists():
        parts, cold = json.loads(Path(saved).read_text())
    else:
        with tempfile.TemporaryDirectory() as tmp:
            out_dir = Path(tmp)
            here = str(Path(__file__).resolve())
            parts = _callgrind([here, "--count-driver", str(n)], out_dir)
            subprocess.run(  # writes the bytecode cache the cold count reads
                [sys.executable, "-c", "import checkout_model"], check=True, env=_child_env()
            )
            cold = _callgrind(["-c", f"RAW = {raw_cold!r}\n" + COLD_COUNT], out_dir)
        if saved:
            Path(saved).write_text(json.dumps([parts, cold]))
    loops = parts[1::2][: len(segments)]
    if len(loops) != len(segments):
        print("\nInstruction counts: callgrind did not split the run (no time_sleep symbol?)")
        return
    base = {
        name: total / calls
        for (contender, name, _, _, calls), total in zip(segments, loops, strict=True)
        if contender == "baseline"
    }
    per = {
        (contender, name): total / calls - base[name]
        for (contender, name, _, _, calls), total in zip(segments, loops, strict=True)
        if contender != "baseline"
    }
    names = list(payloads())
    rows = []
    cols: dict[str, list[float]] = {}

    def ratio(key: str, value: float) -> str:
        cols.setdefault(key, []).append(value)
        return f"{value:.2f}x"

    for name in names:
        ours = per["checkout_model", name]
        strict = per.get(("checkout_model strict", name))
        rows.append(
            [
                name,
                f"{ours / 1e3:.0f}k",
                ratio("orjson", ours / per["orjson.loads", name]),
                ratio("msgspec", ours / per["msgspec (untyped)", name]),
                ratio("pydantic", ours / per["pydantic", name]),
                ratio("converter", ours / per["converter alone", name]),
                "-"
                if strict is None
                else ratio("strict orjson", strict / per["orjson.loads", name]),
                "-" if strict is None else ratio("strict pydantic", strict / per["pydantic", name]),
                f"{per['stripe construct_from', name] / ours:.1f}x",
                ratio("dump", per["dump checkout_model", name] / per["dump pydantic", name]),
            ]
        )
    rows.append(["geometric mean", "", *(f"{_geomean(cols[k]):.2f}x" for k in cols)])
    stripe_mean = _geomean(
        [per["stripe construct_from", x] / per["checkout_model", x] for x in names]
    )
    rows[-1].insert(-1, f"{stripe_mean:.1f}x")
    print(f"\nInstruction counts (callgrind; {n} calls after {WARMUP} warm-up passes,")
    print("a no-op baseline subtracted), per payload\n")
    print(
        _table(
            [
                "payload",
                "ours",
                "÷ orjson",
                "÷ msgspec",
                "÷ pydantic",
                "÷ converter alone",
                "strict ÷ orjson",
                "strict ÷ pydantic",
                "stripe ÷ ours",
                "dump ÷ pydantic",
            ],
            rows,
        )
    )
    mean = {
        k: _geomean([per[k, name] for name in names if (k, name) in per])
        for k in (
            "orjson.loads",
            "msgspec (untyped)",
            "msgspec mirror decode",
            "checkout_model",
            "checkout_model strict",
            "converter alone",
            "pydantic",
            "stripe construct_from",
        )
    }
    print(
        "\nGeometric mean instructions per payload: "
        + ", ".join(f"{k} {v / 1e3:.0f}k" for k, v in mean.items())
    )
    for name in names:
        if ("not learned", name) in per:
            print(
                f"{name}: ours {per['checkout_model', name] / 1e3:.0f}k once its unknown keys "
                f"are learned, {per['not learned', name] / 1e3:.0f}k while they are not "
                f"({per['not learned', name] / per['converter alone', name]:.2f}x the converter "
                "alone)"
            )
    stream = {k: per[f"stream {k}", "JSON Lines"] for k in _stream_contenders()}
    print(
        f"JSON Lines ({len(names)} sessions): ours {stream['checkout_model'] / 1e6:.2f}M, "
        f"÷ orjson {stream['checkout_model'] / stream['orjson.loads']:.2f}x, "
        f"÷ pydantic {stream['checkout_model'] / stream['pydantic']:.2f}x"
    )
    for name, count in zip(item_payloads(), ITEM_COUNTS, strict=True):
        ours = per["items checkout_model", name]
        print(
            f"{name}: ours {ours / 1e3:.0f}k ({ours / count / 1e3:.1f}k per item), "
            f"÷ orjson {ours / per['items orjson.loads', name]:.2f}x, "
            f"÷ pydantic {ours / per['items pydantic', name]:.2f}x"
        )
    if len(cold) >= 3:
        print(
            f"Cold start: import checkout_model {cold[1] / 1e6:.0f}M instructions, "
            f"first parse {cold[2] / 1e6:.1f}M"
        )


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


SECTIONS = ["parse", "dump", "stream", "items", "memory", "keep", "cold", "scaling", "count"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds per payload")
    parser.add_argument("--quick", action="store_true", help="fewer rounds, skip slow sections")
    parser.add_argument("--only", choices=SECTIONS, action="append")
    parser.add_argument("--calls", type=int, default=40, help="calls per instruction count")
    parser.add_argument("--count-driver", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.count_driver is not None:
        count_driver(args.count_driver)
        return
    rounds = 5 if args.quick else args.rounds
    sections = set(args.only or SECTIONS)
    data = payloads()
    print("Machine:", machine())
    print("Versions:", versions())
    # A process makes the fast path after parsing a class _BUILD_AFTER times; make it now, so
    # the steady state is measured (the cold start is measured in fresh interpreters below).
    _fast.prepare(cm.Session, False)
    _fast.prepare(cm.Session, True)
    if "parse" in sections:
        bench_parse(data, rounds)
    if "dump" in sections:
        bench_dump(data, rounds)
    if "stream" in sections:
        bench_stream(data, rounds)
    if "items" in sections:
        bench_items(rounds)
    if "memory" in sections:
        bench_memory(data)
    if "keep" in sections:
        bench_keep(data, (2_000, 5_000) if args.quick else (2_000, 20_000))
    if "cold" in sections:
        bench_cold(next(iter(data.values())), 3 if args.quick else 7)
    if "scaling" in sections:
        bench_scaling(data, 2000 if args.quick else 8000)
    if "count" in sections:
        bench_count(10 if args.quick else args.calls, next(iter(data.values())))


if __name__ == "__main__":
    main()
