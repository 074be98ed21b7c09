"""Benchmark: ``thbor serve`` over a store of 1,000,000 synthetic claims, every record shareable.

The worst case: ``thbor synth --shareable all`` makes every record pass the sharing cap, so the
server holds the whole graph. The server is the real command (``thbor serve``, uvicorn) in a process
of its own; requests are made over HTTP (httpx, one at a time, as one reader clicks), and timed
from request to last byte:

- entity page (``/entity/ID``: the dossier, first page of claims, with evidence);
- neighbourhood (``/api/network?id=ID``: the drawing's JSON, what the page fetches on demand);
- path search (``/api/path?a=A&b=B``: ``thbor path --json`` at the served level);

each on typical entities (drawn at random) and on the busiest hubs (the entities with the most
claims: the worst realistic case), against the targets: p95 <= 200 ms for entity pages and
neighbourhoods, <= 500 ms for path search, peak resident memory of the server <= 2 GB. The
baseline named for the ratio is the target itself (figure / target: below 1 meets it). The
records at the level are prepared once beside the store (a child process: its peak memory and
time are reported apart, with the server's start).

    python benchmarks/serve.py [--workdir DIR] [--data FILE] [--claims 1000000] [--queries 100] [--hubs 20]

With an existing ``--workdir`` holding ``synth.jsonl`` and ``build/`` (from an earlier run, or
``thbor synth`` + ``thbor build``), nothing is rebuilt.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np

from graph import load_ontology
from graph.serve.data import prepared, shared_root
from graph.store import StoreGraph, current

ROOT = Path(__file__).resolve().parents[1]
THBOR = [sys.executable, "-m", "graph"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
TARGETS = {"entity page": 200.0, "neighbourhood": 200.0, "path search": 500.0}
RSS_TARGET_GB = 2.0


def ensure_store(work: Path, claims: int, data: Path | None) -> tuple[Path, Path]:
    """The synthetic input (``data``, default ``work/synth.jsonl``) and its store under ``work/build`` (made
    when missing; a store matches its input only when the input is named as it was at the build)."""
    data, build = data or work / "synth.jsonl", work / "build"
    if not data.exists():
        subprocess.run([*THBOR, "synth", "--claims", str(claims), "--seed", "1", "--shareable", "all", "-o", str(data)],
                       check=True, env=ENV)
    if current(build / "store") is None:
        t0 = time.perf_counter()
        subprocess.run([*THBOR, "build", str(data), "-o", str(build)], check=True, env=ENV, stdout=subprocess.DEVNULL)
        print(f"thbor build: {time.perf_counter() - t0:.0f} s")
    return data, build / "store"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def peak_gb(pid: int) -> float:
    """Peak resident memory of a running process (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024 / 1024
    return float("nan")


def timed(client: httpx.Client, url: str, params: dict[str, str]) -> tuple[float, int]:
    t0 = time.perf_counter()
    r = client.get(url, params=params)
    r.read()
    return (time.perf_counter() - t0) * 1000, r.status_code


def report(name: str, kind: str, times: list[float], codes: list[int]) -> float:
    p50, p95 = float(np.percentile(times, 50)), float(np.percentile(times, 95))
    target = TARGETS[name]
    print(f"{name:<14} {kind:<8} n={len(times):<4} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  max {max(times):7.1f} ms  "
          f"target p95 <= {target:.0f} ms: {p95 / target:.2f}x  (answers {sorted(set(codes))})")
    return p95 / target


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workdir", type=Path, default=Path("build/bench-serve"))
    ap.add_argument("--data", type=Path, help="the synthetic JSON Lines (default WORKDIR/synth.jsonl)")
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--hubs", type=int, default=20)
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    data, store = ensure_store(args.workdir, args.claims, args.data)
    onto = load_ontology()
    gen = current(store)
    assert gen is not None
    t0 = time.perf_counter()
    shared = prepared(gen, onto.partner_level, shared_root(store, onto.partner_level), onto.directory)
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 / 1024
    print(f"records at TLP:{onto.partner_level} prepared in {time.perf_counter() - t0:.1f} s "
          f"(0 s when already there; peak memory of the child processes so far {child:.2f} GB)")
    G = StoreGraph(shared, onto)  # to choose entities: the served index, read here, not in the server
    idx = G.index
    degree = np.diff(idx.out_ptr) + np.diff(idx.in_ptr)
    rng = random.Random(7)
    typical = [idx.nodes[i] for i in rng.sample(range(len(idx.nodes)), args.queries)]
    hubs = [idx.nodes[i] for i in np.argsort(-degree, kind="stable")[:args.hubs].tolist()]
    print(f"served graph: {len(idx.nodes):,} entities, {len(idx.keys):,} claims; busiest hub {degree.max():,} claims, "
          f"median entity {int(np.median(degree))}")
    del G, idx

    port = free_port()
    t0 = time.perf_counter()
    server = subprocess.Popen([*THBOR, "serve", "--data", str(data), "--store", str(store), "--port", str(port)],
                              env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()  # "serving ... on http://127.0.0.1:PORT/" once the records are open
        if not line:
            raise SystemExit(f"thbor serve did not start: {server.stderr.read() if server.stderr else ''}")
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            client.get("/")  # the first answer compiles the default filters' masks
            print(f"server ready in {time.perf_counter() - t0:.1f} s (process start to first answer), "
                  f"{peak_gb(server.pid):.2f} GB")
            ratios = []
            for kind, ids in (("typical", typical), ("hubs", hubs)):
                for name, url in (("entity page", "/entity/{}"), ("neighbourhood", "/api/network")):
                    times, codes = [], []
                    for x in ids:
                        path, params = (url.format(x), {}) if "{}" in url else (url, {"id": x})
                        took, code = timed(client, path, params)
                        times.append(took)
                        codes.append(code)
                    ratios.append(report(name, kind, times, codes))
                others = typical if kind == "typical" else typical[:len(hubs)]
                pairs = list(zip(ids, others[1:] + others[:1], strict=True))
                times, codes = [], []
                for a, b in pairs:
                    took, code = timed(client, "/api/path", {"a": a, "b": b})
                    times.append(took)
                    codes.append(code)
                ratios.append(report("path search", kind, times, codes))
        rss = peak_gb(server.pid)
    finally:
        server.terminate()
        server.wait()
    print(f"peak resident memory of the server: {rss:.2f} GB (target <= {RSS_TARGET_GB:.0f} GB)")
    met = max(ratios) <= 1 and rss <= RSS_TARGET_GB
    print(f"targets: {'met' if met else 'NOT met'} (worst p95 / target {max(ratios):.2f})")


if __name__ == "__main__":
    main()
