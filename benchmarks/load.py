"""Benchmark: load and validate 100,000 bulk claims (JSON Lines).

Target: under 15 s on the reference machine (2 cores). Baseline named for the ratio: parsing the
same file with ``json.loads`` alone, i.e. the cost of reading without validating.

    python benchmarks/load.py [--claims 100000]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from graph import load_dataset, load_ontology
from graph.synth import write_synth

TARGET_SECONDS = 15.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=100_000)
    args = ap.parse_args()
    onto = load_ontology()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bulk.jsonl"
        write_synth(path, onto, args.claims, seed=42)
        size = path.stat().st_size

        t0 = time.perf_counter()
        with path.open(encoding="utf-8") as fh:
            n_json = sum(1 for line in fh if json.loads(line))
        t_json = time.perf_counter() - t0

        t0 = time.perf_counter()
        ds = load_dataset([path], onto)
        t_load = time.perf_counter() - t0

    records = len(ds.sources) + len(ds.entities) + len(ds.claims)
    assert records == n_json
    print(f"input: {args.claims} claims, {records} records, {size / 1e6:.1f} MB")
    print(f"json.loads only (baseline):  {t_json:6.2f} s  {n_json / t_json:10,.0f} records/s")
    print(f"thbor load + validate:       {t_load:6.2f} s  {records / t_load:10,.0f} records/s  "
          f"({len(ds.claims) / t_load:,.0f} claims/s)")
    print(f"ratio to baseline: {t_load / t_json:.1f}x the time of json.loads alone")
    print(f"target: < {TARGET_SECONDS:.0f} s for 100,000 claims")
    print(f"targets: {'met' if t_load < TARGET_SECONDS * args.claims / 100_000 else 'NOT met'}")


if __name__ == "__main__":
    main()
