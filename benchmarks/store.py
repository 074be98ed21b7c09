"""Benchmark: a cold shortest-path query on a workspace store of 1,000,000 claims.

Target: a new process answers (imports, store opening, query, evidence) in under 3 s. Baseline
named for the ratio: what the same process would spend without the store, building the Dataset
and the projection (measured here while the store is prepared).

    python benchmarks/store.py [--claims 1000000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from paths import synthetic_dataset  # noqa: E402

from graph import load_ontology  # noqa: E402
from graph.query.projection import to_networkx  # noqa: E402
from graph.store import write_store  # noqa: E402

COLD = r"""
import sys, time
t0 = time.perf_counter()
from graph import load_ontology
from graph.query.evidence import path_evidence, path_lines
from graph.query.filters import Filters
from graph.query.paths import shortest_path
from graph.store import StoreDataset, StoreGraph, StoreNames, current
onto = load_ontology()
gen = current(sys.argv[1])
G, sds = StoreGraph(gen, onto), StoreDataset(gen, onto)
names = StoreNames(sds)
p = shortest_path(G, names.resolve("syn-ent-5"), names.resolve("syn-ent-77"),
                  Filters(avoid_types=frozenset({"Country"})).compile(G, onto))
lines = path_lines(sds, path_evidence(sds, G, p), 1) if p else []
print(f"{time.perf_counter() - t0:.2f} {len(p) if p else -1}")
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=1_000_000)
    args = ap.parse_args()
    onto = load_ontology()
    t0 = time.perf_counter()
    ds = synthetic_dataset(onto, args.claims, seed=7)
    t_data = time.perf_counter() - t0
    t0 = time.perf_counter()
    G = to_networkx(ds)
    t_proj = time.perf_counter() - t0
    del G
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        write_store(ds, tmp, "benchmark")
        t_store = time.perf_counter() - t0
        del ds
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
        t0 = time.perf_counter()
        run = subprocess.run([sys.executable, "-c", COLD, tmp], capture_output=True, text=True, env=env, check=True)
        t_cold = time.perf_counter() - t0
    inner, hops = run.stdout.split()
    print(f"{args.claims:,} claims: store written in {t_store:.1f} s")
    print(f"cold query from the store: {t_cold:.2f} s for the whole process ({inner} s inside it; {hops} hop(s)); "
          "target < 3 s")
    print(f"without the store the process would first spend {t_data + t_proj:.0f} s "
          f"(Dataset {t_data:.0f} s + projection {t_proj:.0f} s): {(t_data + t_proj) / t_cold:.0f}x")
    print(f"targets: {'met' if t_cold < 3 else 'NOT met'}")


if __name__ == "__main__":
    main()
