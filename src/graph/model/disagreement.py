"""Disagreements among claims, found from what the records and the ontology declare (no relation is
named here); :mod:`graph.quality.conflicts` applies sharing levels and renders them (``thbor conflicts``).

Three kinds:

- ``stance``: one claim that some citations affirm and others deny (a citation ``stance`` the
  ontology marks ``thb:contested``); the sides are the affirming and the denying citations;
- ``values``: one claim whose citations give different values for one qualifier (a citation's
  ``values``; a citation that gives none for it stands for the claim's own qualifier, if any);
  one side per value;
- ``exclusive``: two claims about the same subject and object whose predicates the ontology
  declares disjoint (``owl:propertyDisjointWith``): both cannot hold; one side per claim, with
  the citations that affirm it.

Each side lists its citations with their source, the source's reliability, the citation's
credibility, its quote and the independent origin it belongs to (:mod:`graph.model.origins`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from graph.model.dataset import Dataset
from graph.model.origins import denying_stances, origin_index, supporting
from graph.model.records import Citation, Claim

KINDS = ("stance", "values", "exclusive")


@dataclass(frozen=True)
class Side:
    """One account in a disagreement: the claim it is about, what it says, the citations that say it."""

    claim: str
    says: str  # "affirms" / "denies" (the stance notations), a value, or the claim's predicate
    citations: list[dict[str, Any]]
    value: Any = None  # the qualifier's value, for a "values" conflict

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"claim": self.claim, "says": self.says, "citations": self.citations}
        if self.value is not None:
            out["value"] = self.value
        return out


@dataclass(frozen=True)
class Conflict:
    """A disagreement: its kind, the claims it involves, the qualifier in question (values), its sides."""

    kind: str
    claims: list[str]
    sides: list[Side]
    qualifier: str | None = None
    statuses: dict[str, str] = field(default_factory=dict)  # claim id -> status

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "claims": self.claims, "statuses": self.statuses}
        if self.qualifier is not None:
            out["qualifier"] = self.qualifier
        out["sides"] = [s.to_dict() for s in self.sides]
        return out


def _id(claim: Claim) -> str:
    return claim.id or ""


def _statuses(*claims: Claim) -> dict[str, str]:
    return {_id(c): c.status or "" for c in claims}


def _cited(ds: Dataset, claim: Claim, citations: list[Citation]) -> list[dict[str, Any]]:
    """The citations of one side, each with its grades and origin, in the claim's order."""
    origin = origin_index(claim.citations, ds.sources)
    out = []
    for c in citations:
        row: dict[str, Any] = {"source": c.source, "title": ds.sources[c.source].title,
                               "reliability": ds.sources[c.source].reliability, "credibility": c.credibility,
                               "quote": c.quote, "origin": origin[c.source]}
        for key, value in (("reports", c.reports), ("locator", c.locator), ("stance", c.stance)):
            if value is not None:
                row[key] = value
        if c.values:
            row["values"] = dict(sorted(c.values.items()))
        out.append(row)
    return out


def _value_conflicts(ds: Dataset, claim: Claim) -> list[Conflict]:
    """One conflict per qualifier for which the claim's citations give more than one value."""
    named = sorted({k for c in claim.citations for k in c.values})
    out = []
    for key in named:
        by_value: dict[str, tuple[Any, list[Citation]]] = {}
        for c in claim.citations:
            value = c.values.get(key, claim.qualifiers.get(key))
            if value is None:
                continue
            text = json.dumps(value, sort_keys=True)
            by_value.setdefault(text, (value, []))[1].append(c)
        if len(by_value) > 1:
            sides = [Side(_id(claim), str(value), _cited(ds, claim, cited), value)
                     for _, (value, cited) in sorted(by_value.items())]
            out.append(Conflict("values", [_id(claim)], sides, key, _statuses(claim)))
    return out


def _exclusive_pairs(ds: Dataset, claims: dict[str, Claim]) -> list[tuple[Claim, Claim]]:
    """Pairs of claims on one subject and object whose predicates the ontology declares disjoint, each by id."""
    relations = ds.ontology.relations
    disjoint = {(a, b) for a, r in relations.items() for b in r.disjoint} | \
               {(b, a) for a, r in relations.items() for b in r.disjoint}
    if not disjoint:
        return []
    involved = {a for a, _ in disjoint}
    by_pair: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for c in claims.values():
        if c.predicate in involved:
            by_pair[(c.subject, c.object)].append(c)
    out = []
    for pair_claims in by_pair.values():
        for i, a in enumerate(pair_claims):
            for b in pair_claims[i + 1:]:
                if (a.predicate, b.predicate) in disjoint:
                    first, second = sorted((a, b), key=_id)
                    out.append((first, second))
    return out


def _exclusive(ds: Dataset, claims: dict[str, Claim]) -> list[Conflict]:
    """The conflicts of :func:`_exclusive_pairs`."""
    def side(x: Claim) -> Side:
        return Side(_id(x), x.predicate, _cited(ds, x, supporting(x.citations, ds.ontology)))

    return [Conflict("exclusive", [_id(first), _id(second)], [side(first), side(second)],
                     statuses=_statuses(first, second))
            for first, second in _exclusive_pairs(ds, claims)]


def conflict_kinds(ds: Dataset) -> dict[str, str]:
    """Claim id -> the kinds of disagreement it is in (in the order of :data:`KINDS`, comma-separated), by id.

    What :func:`find_conflicts` finds, without describing each side: what the counts mark.
    """
    denials = denying_stances(ds.ontology)
    kinds: dict[str, set[str]] = defaultdict(set)
    for claim in ds.claims.values():
        stances = {c.stance in denials for c in claim.citations}
        if len(stances) == 2:  # some citations deny the claim, others affirm it
            kinds[_id(claim)].add("stance")
        if any(c.values for c in claim.citations) and _value_conflicts(ds, claim):
            kinds[_id(claim)].add("values")
    for pair in _exclusive_pairs(ds, ds.claims):
        for c in pair:
            kinds[_id(c)].add("exclusive")
    return {cid: ", ".join(k for k in KINDS if k in found) for cid, found in sorted(kinds.items())}


def find_conflicts(ds: Dataset) -> list[Conflict]:
    """Every disagreement among the claims of ``ds``: by kind (in the order of :data:`KINDS`), then by claim ids.

    >>> from graph.load.validate import load_dataset
    >>> sorted({c.kind for c in find_conflicts(load_dataset(["data"]))})
    ['exclusive', 'stance']
    """
    denials = denying_stances(ds.ontology)
    stance_default = ds.ontology.field_defaults.get("stance", "")
    found: list[Conflict] = []
    for claim in ds.claims.values():
        denying = [c for c in claim.citations if c.stance in denials]
        affirming = [c for c in claim.citations if c.stance not in denials]
        if denying and affirming:
            denied = sorted({c.stance or "" for c in denying})
            found.append(Conflict("stance", [_id(claim)], [
                Side(_id(claim), stance_default, _cited(ds, claim, affirming)),
                Side(_id(claim), "/".join(denied), _cited(ds, claim, denying))], statuses=_statuses(claim)))
        found += _value_conflicts(ds, claim)
    found += _exclusive(ds, ds.claims)
    order = {k: i for i, k in enumerate(KINDS)}
    return sorted(found, key=lambda c: (order[c.kind], c.claims, c.qualifier or ""))
