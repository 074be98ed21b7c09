"""Benchmark: ``thbor diff`` between two builds, as a user runs it (the ``thbor`` CLI).

For each size and sharing mix, two builds of synthetic data (``thbor synth``, never part of
``data/``): OLD from ``thbor synth --claims N --seed 1``, NEW from the same JSON Lines with a
deterministic 1% of the claims touched — a third removed, a third changed (status and
credibility), a third added — plus one entity in 1,000 renamed and one in 1,000 raised to RED.
``--shareable all`` is the worst realistic case (every triple goes into both partner exports);
``mix`` the typical one.

It times ``thbor diff OLD NEW -o DIR`` (the change report and the partners' change set) and its
peak memory (``wait4`` on exactly that process), next to the baseline of sorting both N-Triples
exports and comparing them (``LC_ALL=C sort`` of each file, then ``comm -13`` and ``comm -23``).
Target: at most 60 s at 1,000,000 claims.

    python benchmarks/diff.py [--sizes 100000 1000000] [--sharing all mix] [--work DIR]

``--work DIR`` keeps the inputs and builds in ``DIR/{size}-{sharing}/`` and reuses them when run
again (the builds of 1,000,000 claims take minutes; the diff is what is measured).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src"), "LC_ALL": "C"}
THBOR = [sys.executable, "-m", "graph"]
TARGET_S = 60.0
STATUSES = ["alleged", "reported", "corroborated", "confirmed", "convicted", "disputed", "refuted"]


def run(args: list[str], stdout: int | None = subprocess.PIPE) -> tuple[float, float, str]:
    """Run a command: wall seconds, peak resident memory (GB) of that process (``wait4``), stdout."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(args, stdout=stdout, stderr=err, env=ENV)
        out = proc.stdout.read().decode() if proc.stdout else ""
        _, status, usage = os.wait4(proc.pid, 0)
        took = time.perf_counter() - t0
        if os.waitstatus_to_exitcode(status):
            err.seek(0)
            raise SystemExit(f"{' '.join(map(str, args))} failed:\n{err.read().decode()[-3000:]}")
    return took, usage.ru_maxrss / 1e6, out


def changed_copy(old: Path, new: Path) -> dict[str, int]:
    """Write NEW from OLD's JSON Lines: 1% of the claims removed, changed or added; a few entities
    renamed and raised. Deterministic: the record's position decides."""
    counts = {"claims removed": 0, "claims changed": 0, "claims added": 0, "entities renamed": 0,
              "entities raised": 0}
    claims = entities = 0
    with old.open(encoding="utf-8") as src, new.open("w", encoding="utf-8") as dst:
        for line in src:
            rec = json.loads(line)
            if rec["record"] == "entity":
                entities += 1
                if entities % 1000 == 500:
                    rec["name"] += " (renamed)"
                    counts["entities renamed"] += 1
                elif entities % 1000 == 999:
                    rec["tlp"] = "RED"
                    counts["entities raised"] += 1
            elif rec["record"] == "claim":
                claims += 1
                step = claims % 300
                if step == 0:
                    counts["claims removed"] += 1
                    continue
                if step == 1:
                    rec["status"] = STATUSES[(STATUSES.index(rec.get("status", "reported")) + 1) % len(STATUSES)]
                    rec["citations"][0]["credibility"] = "1"
                    counts["claims changed"] += 1
                elif step == 2:
                    added = {**rec, "id": rec["id"] + "-added", "start": "1999"}
                    dst.write(json.dumps(added, ensure_ascii=False) + "\n")
                    counts["claims added"] += 1
            dst.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return counts


def baseline(old_nt: Path, new_nt: Path, work: Path) -> float:
    """Sort both exports and compare them with comm: the plain-tools way to the same two files."""
    t0 = time.perf_counter()
    for name, nt in (("a", old_nt), ("b", new_nt)):
        subprocess.run(["sort", "-S", "1G", "-T", str(work), "-o", str(work / f"{name}.sorted"), str(nt)],
                       check=True, env=ENV)
    for flag, name in (("-13", "added"), ("-23", "removed")):
        with (work / f"{name}.comm").open("wb") as fh:
            subprocess.run(["comm", flag, str(work / "a.sorted"), str(work / "b.sorted")], check=True, stdout=fh,
                           env=ENV)
    return time.perf_counter() - t0


def bench(n: int, sharing: str, work: Path) -> tuple[float, str]:
    old_jsonl, new_jsonl = work / "old.jsonl", work / "new.jsonl"
    if not old_jsonl.exists():
        run([*THBOR, "synth", "--claims", str(n), "--seed", "1", "--shareable", sharing, "-o", str(old_jsonl)])
    counts = changed_copy(old_jsonl, new_jsonl)
    built = []
    for name, src in (("old", old_jsonl), ("new", new_jsonl)):
        if (work / name / "summary.json").exists():
            built.append("reused")
            continue
        took, rss, _ = run([*THBOR, "build", str(src), "-o", str(work / name), "--no-progress"])
        built.append(f"{took:.0f} s, {rss:.2f} GB")
    old_nt, new_nt = work / "old" / "export" / "graph.nt", work / "new" / "export" / "graph.nt"
    triples = sum(1 for _ in old_nt.open("rb"))
    print(f"{n:,} claims, sharing {sharing}: {triples:,} triples shared ({old_nt.stat().st_size / 1e9:.2f} GB of "
          f"N-Triples); builds {built[0]} and {built[1]}", flush=True)
    print("  NEW = OLD with " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    took, rss, out = run([*THBOR, "diff", str(work / "old"), str(work / "new"), "-o", str(work / "changes"),
                          "--json"])
    report = json.loads(out)
    rdf = report["rdf"]["counts"]
    print(f"  thbor diff:            {took:6.1f} s  peak {rss:.2f} GB   {len(report['changes']):,} changes reported; "
          f"partners: {rdf['added']:,} triples added, {rdf['removed']:,} removed")
    base = baseline(old_nt, new_nt, work)
    comm = [sum(1 for _ in (work / f"{k}.comm").open("rb")) for k in ("added", "removed")]
    same = comm == [rdf["added"], rdf["removed"]]
    print(f"  sort + comm baseline:  {base:6.1f} s   ({comm[0]:,} added, {comm[1]:,} removed: "
          f"{'the same counts' if same else 'DIFFERENT counts'})")
    print(f"  ratio: thbor diff takes {took / base:.2f}x the time of the baseline")
    verdict = "met" if took <= TARGET_S else "NOT met"
    if not same:
        verdict = "NOT met (counts differ from the baseline)"
    return took, verdict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--sharing", nargs="+", default=["all", "mix"], choices=["all", "mix"])
    parser.add_argument("--work", type=Path, help="Keep inputs and builds here and reuse them.")
    args = parser.parse_args()
    verdicts = []
    for n in args.sizes:
        for sharing in args.sharing:
            if args.work:
                (args.work / f"{n}-{sharing}").mkdir(parents=True, exist_ok=True)
                took, verdict = bench(n, sharing, args.work / f"{n}-{sharing}")
            else:
                with tempfile.TemporaryDirectory(prefix="thbor-bench-diff-") as tmp:
                    took, verdict = bench(n, sharing, Path(tmp))
            if n >= 1_000_000:
                verdicts.append(verdict)
    print(f"target: thbor diff of two 1,000,000-claim builds in <= {TARGET_S:.0f} s")
    print("targets: " + ("met" if verdicts and all(v == "met" for v in verdicts) else
                         "not measured at 1,000,000 claims" if not verdicts else "NOT met"))


if __name__ == "__main__":
    main()
