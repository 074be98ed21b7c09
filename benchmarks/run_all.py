"""Run every benchmark, one after another, and print their figures and a summary table.

    python benchmarks/run_all.py [--quick]

``--quick`` runs each at a tenth of its size (a smoke run: the targets are stated for the full
sizes). Each benchmark prints the baseline it names; the table collects their "targets" lines.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
RUNS = [  # script, full-size arguments, quick arguments
    ("load.py", [], ["--claims", "10000"]),
    ("paths.py", [], ["--claims", "100000", "--queries", "50"]),
    ("export.py", [], ["--claims", "100000"]),
    ("store.py", [], ["--claims", "100000"]),
    ("build.py", [], ["--sizes", "10000", "--queries", "50"]),
    ("diff.py", [], ["--sizes", "10000"]),
    ("views.py", [], ["--sizes", "2000"]),
    ("dedupe.py", [], ["--entities", "10000"]),
    ("serve.py", [], ["--claims", "100000", "--queries", "50", "--workdir", "build/bench-serve-100k"]),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    rows = []
    for script, full, quick in RUNS:
        print(f"== {script}", flush=True)
        t0 = time.perf_counter()
        run = subprocess.run([sys.executable, str(HERE / script), *(quick if args.quick else full)],
                             capture_output=True, text=True)
        took = time.perf_counter() - t0
        print(run.stdout, end="")
        if run.returncode:
            print(run.stderr[-2000:], end="")
        verdict = next((line.split(":", 1)[1].strip() for line in run.stdout.splitlines()
                        if line.startswith("targets:")), "failed" if run.returncode else "-")
        rows.append((script, verdict, took))
    print("\n| benchmark | targets | wall time |\n|---|---|---|")
    for script, verdict, took in rows:
        print(f"| {script} | {verdict} | {took:.0f} s |")


if __name__ == "__main__":
    main()
