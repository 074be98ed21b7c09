"""Finding likely duplicate entities: the same actor under several names, scripts or spellings.

Candidates are blocked so that the work grows with the data, not with its square: two entities
are compared only when they share a name token (after transliteration and without honorifics)
or a token's first four letters, in blocks of at most :data:`MAX_BLOCK` entities. Each pair is
scored from name similarity (rapidfuzz), compatible types, country, shared neighbours and
shared sources; the evidence of each part is kept, so a curator can see why a pair is proposed.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz

from graph.errors import InputError, UsageError
from graph.load.files import input_paths
from graph.load.validate import load_dataset
from graph.model.dataset import Dataset
from graph.model.names import NameIndex, honorifics_of, name_tokens
from graph.model.ontology import Ontology
from graph.outputs import atomic_write

DECISIONS = ("same", "not", "unsure")
DEFAULT_FILE = Path("data/resolutions.yaml")
MAX_BLOCK = 200  # a token shared by more entities than this says little about any pair
WEIGHTS = {"name": 0.6, "type": 0.15, "country": 0.1, "neighbours": 0.1, "sources": 0.05}


@dataclass(order=True)
class Candidate:
    """A pair that may be one actor, its score in 0..1 and the evidence behind the score."""

    score: float
    a: str
    b: str
    evidence: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The pair as ``thbor dedupe --json`` lists it."""
        return {"a": self.a, "b": self.b, "score": self.score, "evidence": self.evidence}


@dataclass(frozen=True)
class Decision:
    """A curator's decision on a pair, as recorded in the resolutions file."""

    a: str
    b: str
    decision: str
    by: str
    at: str
    why: str | None = None

    def to_dict(self) -> dict[str, str]:
        return {"a": self.a, "b": self.b, "decision": self.decision, "by": self.by, "at": self.at,
                **({"why": self.why} if self.why else {})}


def record_decision(paths: list[Path] | None, ontology: Ontology, a: str, b: str, decision: str, *,
                    by: str | None = None, why: str | None = None, file: Path | str = DEFAULT_FILE) -> Decision:
    """Append a curator's decision on entities ``a`` and ``b`` (ids, names or aliases) to ``file``.

    ``by`` defaults to the login name and the date is today's. The file is left as it was when the
    decision contradicts the others (:class:`InputError`): a resolutions file is always valid.
    """
    file = Path(file)
    ds = load_dataset(paths, ontology)
    if decision not in DECISIONS:
        raise UsageError(f"the decision must be same, not or unsure, not {decision!r}")
    names = NameIndex.of(ds)
    a, b = names.resolve(a), names.resolve(b)
    if a == b:
        raise UsageError(f"{a} and {b} are already one entity")
    made = Decision(a, b, decision, by or getpass.getuser(), dt.date.today().isoformat(), why)
    text = yaml.safe_dump([made.to_dict()], allow_unicode=True, sort_keys=False)
    before = file.read_text(encoding="utf-8") if file.exists() else ""
    prefix = "" if before.strip() else "resolutions:\n"
    atomic_write(file, before + prefix + "".join("  " + line + "\n" for line in text.splitlines()))
    try:
        load_dataset([*input_paths(paths), file], ontology)  # must not contradict the others
    except InputError:
        if before:
            atomic_write(file, before)
        else:
            file.unlink()
        raise
    return made


def candidates(ds: Dataset, min_score: float = 0.5, limit: int | None = None) -> list[Candidate]:
    """Likely duplicates, best first; pairs a curator decided on (any decision but unsure) are left out."""
    titles = honorifics_of(ds)
    onto = ds.ontology
    names: dict[str, list[str]] = {}
    blocks: dict[str, set[str]] = defaultdict(set)
    for e in ds.entities.values():
        forms = [" ".join(name_tokens(n, titles)) for n in dict.fromkeys(e.all_names())]
        names[e.id] = [f for f in forms if f]
        for form in names[e.id]:
            for token in form.split():
                if len(token) >= 3:
                    blocks[token].add(e.id)
                    blocks["~" + token[:4]].add(e.id)
            blocks["=" + form.replace(" ", "")].add(e.id)
    decided = _decided(ds)
    neighbours: dict[str, set[str]] = defaultdict(set)
    sources: dict[str, set[str]] = defaultdict(set)
    for c in ds.claims.values():
        neighbours[c.subject].add(c.object)
        neighbours[c.object].add(c.subject)
        for s in ds.claim_sources(c):
            sources[c.subject].add(s.id)
            sources[c.object].add(s.id)
    groups = {e.id: onto.view_group(e.types) for e in ds.entities.values()}
    seen: set[tuple[str, str]] = set()
    found = []
    for members in blocks.values():
        if len(members) < 2 or len(members) > MAX_BLOCK:
            continue
        for a, b in combinations(sorted(members), 2):
            if (a, b) in seen or (a, b) in decided:
                continue
            seen.add((a, b))
            cand = _score(ds, a, b, names=names, groups=groups, neighbours=neighbours, sources=sources)
            if cand.score >= min_score:
                found.append(cand)
    found.sort(key=lambda c: (-c.score, c.a, c.b))
    return found[:limit] if limit else found


def _decided(ds: Dataset) -> set[tuple[str, str]]:
    return {tuple(sorted((r.a, r.b))) for r in ds.resolutions if r.decision != "unsure"}


def _score(ds: Dataset, a: str, b: str, *, names: dict[str, list[str]], groups: dict[str, str],
           neighbours: dict[str, set[str]], sources: dict[str, set[str]]) -> Candidate:
    ea, eb = ds.entities[a], ds.entities[b]
    best, pair = 0.0, ("", "")
    for x in names[a]:
        for y in names[b]:
            s = max(fuzz.token_sort_ratio(x, y), fuzz.ratio(x.replace(" ", ""), y.replace(" ", ""))) / 100
            if s > best:
                best, pair = s, (x, y)
    onto = ds.ontology
    same_group = groups[a] == groups[b]
    related = same_group or onto.is_a(ea.types, eb.types) or onto.is_a(eb.types, ea.types)
    type_score = 1.0 if same_group else 0.5 if related else 0.0
    country = 0.5 if not (ea.country and eb.country) else 1.0 if ea.country == eb.country else 0.0
    na, nb = neighbours[a] - {b}, neighbours[b] - {a}
    shared_n = na & nb
    nbr = len(shared_n) / len(na | nb) if na | nb else 0.0
    sa, sb = sources[a], sources[b]
    src = len(sa & sb) / len(sa | sb) if sa | sb else 0.0
    parts = {"name": best, "type": type_score, "country": country, "neighbours": nbr, "sources": src}
    score = sum(WEIGHTS[k] * v for k, v in parts.items())
    penalties = []
    if not related:
        penalties.append(("unrelated types", 0.5))  # a person and a hospital are not one actor
    if ea.country and eb.country and ea.country != eb.country:
        penalties.append(("different countries", 0.7))
    if b in neighbours[a]:
        penalties.append(("a claim links them to each other", 0.6))  # one does not shield oneself
    for _, factor in penalties:
        score *= factor
    evidence = {"names": list(pair), "types": [groups[a], groups[b]], "countries": [ea.country, eb.country],
                "shared_neighbours": sorted(shared_n), "parts": {k: round(v, 3) for k, v in parts.items()},
                "penalties": [p for p, _ in penalties]}
    return Candidate(round(score, 3), a, b, evidence)
