"""Synthetic bulk records for benchmarks and scale tests: never written into ``data/``.

Types and relations are drawn from the ontology, so the records are valid for whatever ontology
is loaded. Degrees follow a heavy tail (a few hub places and laws, many small actors), as in real
case data.

>>> from graph.model.ontology import load_ontology
>>> recs = list(synth_records(load_ontology(), claims=20, seed=1))
>>> sum(r["record"] == "claim" for r in recs)
20
"""

from __future__ import annotations

import bisect
import itertools
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graph.errors import UsageError
from graph.model.ontology import Ontology
from graph.outputs import atomic_write, check_target

MARK = "SYNTHETIC"


SHAREABLE = ("mix", "all")  # sharing mixes: levels drawn at random, or every record at the lowest level


def synth_records(onto: Ontology, claims: int, seed: int = 0, shareable: str = "mix") -> Iterator[dict[str, Any]]:
    """Yield sources, then entities, then ``claims`` claims, as JSON Lines records.

    ``shareable="mix"`` draws sharing levels (and entities keep their types' defaults), so a
    partner export leaves part of the records home; ``"all"`` gives every record the lowest
    level: the worst case for a build, whose export then carries everything. The records are the
    same otherwise (the same random draws).

    >>> from graph.model.ontology import load_ontology
    >>> every = list(synth_records(load_ontology(), claims=20, seed=1, shareable="all"))
    >>> {r["tlp"] for r in every}
    {'CLEAR'}
    """
    _check_shareable(shareable)
    rng = random.Random(seed)
    n_entities = max(10, claims // 5)
    n_sources = max(3, claims // 100)
    tlp = onto.vocabulary("tlp").ordered()
    reliability = onto.vocabulary("reliability").ordered()
    credibility = onto.vocabulary("credibility").ordered()
    status = onto.vocabulary("status").ordered()
    kinds = onto.source_kinds
    # concrete types only: classes with no subclass (roles are added beside a base type)
    # role classes (the classes the role qualifier takes) are added beside a base type, never alone
    role_roots = {q.value_class for q in onto.qualifiers.values() if q.value_class}
    roles = {n for n, c in onto.classes.items() if c.ancestors & role_roots}
    leaves = [n for n in onto.entity_types
              if n not in roles and not any(n in c.ancestors and c.name != n for c in onto.classes.values())]

    for i in range(n_sources):
        yield {"record": "source", "id": f"syn-src-{i}", "title": f"{MARK} source {i}",
               "publisher": f"{MARK} publisher {i % 50}", "kind": rng.choice(kinds),
               "reliability": rng.choice(reliability), "published": f"{2000 + i % 25}",
               "url": f"https://example.org/synthetic/{i}", "tlp": _level(rng.choice(tlp[:3]), tlp, shareable)}

    types_of: list[str] = []
    for i in range(n_entities):
        t = rng.choice(leaves)
        types_of.append(t)
        rec: dict[str, Any] = {"record": "entity", "id": f"syn-ent-{i}", "type": t, "name": f"{MARK} {t} {i}"}
        if rng.random() < 0.2:
            rec["aliases"] = [{"name": f"{MARK} alias {i}", "lang": "en"}]
        if shareable == "all":
            rec["tlp"] = tlp[0]
        yield rec

    # pools of entity indices per relation end, with Zipf-like weights so that low indices are hubs
    pools: dict[frozenset[str], tuple[list[int], list[float]]] = {}

    def pool(classes: frozenset[str]) -> tuple[list[int], list[float]]:
        if classes not in pools:
            members = [i for i, t in enumerate(types_of) if onto.is_a([t], classes)]
            weights = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(members))))
            pools[classes] = (members, weights)
        return pools[classes]

    relations = [r for r in onto.relations.values() if pool(r.domain)[0] and pool(r.range)[0]]
    n = 0
    while n < claims:
        rel = rng.choice(relations)
        s = _pick(rng, *pool(rel.domain))
        o = _pick(rng, *pool(rel.range))
        if s == o:
            continue  # no self-loops; draw again
        year = 2000 + rng.randrange(26)
        yield {"record": "claim", "id": f"syn-claim-{n}", "subject": f"syn-ent-{s}", "predicate": rel.name,
               "object": f"syn-ent-{o}", "status": rng.choice(status), "start": str(year),
               "tlp": _level(rng.choice(tlp[:2]), tlp, shareable),
               "citations": [{"source": f"syn-src-{rng.randrange(n_sources)}", "quote": f"{MARK} quote {n}",
                              "credibility": rng.choice(credibility)}
                             for _ in range(1 + (rng.random() < 0.3))]}
        n += 1


def _level(drawn: str, levels: list[str], shareable: str) -> str:
    return levels[0] if shareable == "all" else drawn  # drawn either way: the same random sequence


def _pick(rng: random.Random, members: list[int], cumulative: list[float]) -> int:
    return members[bisect.bisect_left(cumulative, rng.random() * cumulative[-1])]


def _check_shareable(shareable: str) -> None:
    if shareable not in SHAREABLE:
        raise UsageError(f"shareable must be one of {', '.join(SHAREABLE)}, not {shareable!r}", fields=("shareable",))


def write_synth(path: Path | str, onto: Ontology, claims: int, *, seed: int = 0, shareable: str = "mix") -> Path:
    """Write synthetic records to a JSON Lines file (atomically), never into a ``data/`` folder of
    curated case files below the working directory: synthetic records are never mixed with them."""
    if Path("data").resolve() in Path(path).resolve().parents:
        raise UsageError("synthetic records never go into data/: choose another folder")
    check_target(path)
    _check_shareable(shareable)
    lines = (json.dumps(r, ensure_ascii=False, separators=(",", ":"))
             for r in synth_records(onto, claims, seed, shareable))
    return atomic_write(path, "\n".join(lines) + "\n")
