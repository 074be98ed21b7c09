"""Benchmark: candidate finding over 100,000 synthetic entities.

Target: under 60 s on the reference machine. Baseline named for the ratio: the number of pairs an
all-pairs comparison would score (n(n-1)/2), against the pairs blocking lets through.

Names are made of random syllables; 5% of entities get a near-duplicate (a typo, a dropped
space, a title) so that there is something to find; the recall of those is printed.

    python benchmarks/dedupe.py [--entities 100000]
"""

from __future__ import annotations

import argparse
import random
import resource
import time

from graph import load_ontology
from graph.model.dataset import Dataset
from graph.model.records import Entity
from graph.quality.dedupe import candidates

SYLLABLES = ["sok", "dara", "chan", "thy", "rith", "vann", "nguyen", "van", "minh", "tran", "thi", "lan", "budi",
             "santoso", "wati", "agus", "siti", "rahma", "aung", "kyaw", "min", "htet", "zaw", "naing", "somchai",
             "sak", "pong", "phan", "keo", "mealea", "sophea", "ratana", "bopha", "pich", "sreymom", "vibol"]


def typo(name: str, rng: random.Random) -> str:
    i = rng.randrange(len(name))
    return rng.choice([name[:i] + name[i + 1:], name.replace(" ", "", 1), "Dr. " + name, name.upper()])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entities", type=int, default=100_000)
    args = ap.parse_args()
    rng = random.Random(9)
    onto = load_ontology()
    kinds = ["Person", "Hospital", "CriminalNetwork", "Company", "City"]
    entities, dupes = {}, set()
    while len(entities) < args.entities:
        i = len(entities)
        name = " ".join(rng.choice(SYLLABLES).capitalize() for _ in range(rng.choice([2, 3, 3, 4])))
        kind = rng.choice(kinds)
        entities[f"e{i}"] = Entity(id=f"e{i}", type=kind, name=name, country=rng.choice(["KH", "VN", "ID", "MM", "TH"]))
        if rng.random() < 0.05 and len(entities) < args.entities:
            j = len(entities)
            entities[f"e{j}"] = Entity(id=f"e{j}", type=kind, name=typo(name, rng), country=entities[f"e{i}"].country)
            dupes.add((f"e{i}", f"e{j}"))
    ds = Dataset(onto, {}, entities, {})
    t0 = time.perf_counter()
    found = candidates(ds, min_score=0.7)
    took = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    got = {(c.a, c.b) for c in found} | {(c.b, c.a) for c in found}
    recall = sum(1 for d in dupes if d in got) / len(dupes)
    n = len(entities)
    print(f"{n:,} entities, {len(dupes):,} planted duplicates")
    print(f"candidate finding: {took:.1f} s, peak memory {peak:.0f} MB (target < 60 s)")
    print(f"pairs proposed (score >= 0.7): {len(found):,}; recall of planted duplicates: {recall:.1%}")
    print(f"all-pairs baseline would score {n * (n - 1) // 2:,} pairs")
    print(f"targets: {'met' if took < 60 else 'NOT met'}")


if __name__ == "__main__":
    main()
