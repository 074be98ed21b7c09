"""Curators' decisions on duplicate entities, applied when the data is loaded.

``resolutions:`` in a case file (by convention ``data/resolutions.yaml``) records decisions —
same, not the same, unsure — with who decided, when and why. ``same`` decisions merge entities
(transitively) into one canonical entity, the smallest id of the cluster: types, aliases and
citations are united, every other id and name is kept as an alias and in ``merged_from``, the
most restrictive sharing level wins, and claims are re-pointed with their evidence unchanged. The
case files themselves never change. A ``not`` decision inside a cluster of ``same`` decisions is
a contradiction, reported with the lines of the decisions involved.
"""

from __future__ import annotations

from collections import defaultdict

from graph.errors import Problem
from graph.model.ontology import Ontology
from graph.model.records import Alias, Claim, Entity, Resolution


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _where(r: Resolution) -> str:
    return f"{r.origin.path}:{r.origin.line}"


def apply_resolutions(entities: dict[str, Entity], claims: dict[str, Claim], decisions: list[Resolution],
                      onto: Ontology) -> tuple[dict[str, Entity], dict[str, Claim], list[Problem]]:
    """Merge the ``same`` clusters; report unknown ids and contradictions."""
    problems = []
    valid = []
    for r in decisions:
        bad = [x for x in (r.a, r.b) if x not in entities]
        if bad:
            problems += [Problem(r.origin.path, r.origin.line, f"{r.a} ~ {r.b}", f"unknown entity {x!r}") for x in bad]
        elif r.a == r.b:
            problems.append(Problem(r.origin.path, r.origin.line, f"{r.a} ~ {r.b}",
                                    "a decision needs two different entities"))
        else:
            valid.append(r)
    union = _Union()
    for r in valid:
        if r.decision == "same":
            union.join(r.a, r.b)
    same_by_root: dict[str, list[Resolution]] = defaultdict(list)
    for r in valid:
        if r.decision == "same":
            same_by_root[union.find(r.a)].append(r)
    for r in valid:
        if r.decision == "not" and union.find(r.a) == union.find(r.b):
            lines = ", ".join(_where(s) for s in same_by_root[union.find(r.a)])
            problems.append(Problem(r.origin.path, r.origin.line, f"{r.a} ~ {r.b}",
                                    f"contradicts the 'same' decisions at {lines}, which make them one entity"))
    if problems:
        return entities, claims, problems
    clusters: dict[str, list[str]] = defaultdict(list)
    for eid in entities:
        clusters[union.find(eid)].append(eid)
    rename: dict[str, str] = {}
    merged: dict[str, Entity] = {}
    for ids in clusters.values():
        if len(ids) == 1:
            merged[ids[0]] = entities[ids[0]]
            continue
        ids = sorted(ids)
        canon = entities[ids[0]]
        others = [entities[i] for i in ids[1:]]
        for i in ids:
            rename[i] = ids[0]
        merged[ids[0]] = _merge(canon, others, onto)
    out_claims = {}
    for cid, c in claims.items():
        if c.subject in rename or c.object in rename:
            c = c.model_copy(update={"subject": rename.get(c.subject, c.subject),
                                     "object": rename.get(c.object, c.object)})
        out_claims[cid] = c
    return merged, out_claims, problems


def _merge(canon: Entity, others: list[Entity], onto: Ontology) -> Entity:
    aliases = {(a.name, a.lang): a for e in [canon, *others] for a in e.aliases}
    for e in others:
        for name in (e.name, e.id):
            aliases.setdefault((name, None), Alias(name=name))
    aliases.pop((canon.name, None), None)
    tlp = onto.vocabulary("tlp")
    levels = [e.tlp or onto.default_tlp(e.types) for e in [canon, *others]]
    update = {
        "types": sorted({t for e in [canon, *others] for t in e.types}),
        "aliases": sorted(aliases.values(), key=lambda a: (a.name, a.lang or "")),
        "citations": [c for e in [canon, *others] for c in e.citations],
        "merged_from": sorted({*canon.merged_from, *(e.id for e in others),
                               *(m for e in others for m in e.merged_from)}),
        "tlp": max(levels, key=tlp.rank),  # the most restrictive level wins
        "country": canon.country or next((e.country for e in others if e.country), None),
        "description": canon.description or next((e.description for e in others if e.description), None),
    }
    merged = canon.model_copy(update=update)
    merged.locate(canon.__dict__.get("_origin"), canon.__dict__.get("_label"))
    return merged
