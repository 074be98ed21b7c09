"""Disagreements the data holds: what ``thbor conflicts`` lists.

The kinds (``stance``, ``values``, ``exclusive``) and how they are found are in
:mod:`graph.model.disagreement`; this module applies a sharing level and renders them.

>>> from graph.load.validate import load_dataset
>>> found = conflicts(load_dataset(["data"]))
>>> sorted({c.kind for c in found})
['exclusive', 'stance']
"""

from __future__ import annotations

from typing import Any

from graph.model.dataset import Dataset
from graph.model.disagreement import KINDS, Conflict, Side, conflict_kinds, find_conflicts
from graph.model.sharing import resolve_level, share

__all__ = ["KINDS", "Conflict", "Side", "conflicting_claims", "conflicts", "conflicts_document", "render"]


def conflicts(ds: Dataset, max_tlp: str | None = None) -> list[Conflict]:
    """Every disagreement among the records at or below ``max_tlp`` (default: every level).

    A level is applied by the one sharing step, as for every query and export
    (:func:`graph.model.sharing.share`): claims, citations and sources above it are not there.
    Sorted by kind (in the order of :data:`KINDS`), then by the claims involved.
    """
    if max_tlp is not None:
        ds = share(ds, resolve_level(ds.ontology, max_tlp))[0]
    return find_conflicts(ds)


def conflicting_claims(ds: Dataset, max_tlp: str | None = None) -> dict[str, str]:
    """Claim id -> the kinds of disagreement it is in, comma-separated, by id (what stats mark)."""
    if max_tlp is not None:
        ds = share(ds, resolve_level(ds.ontology, max_tlp))[0]
    return conflict_kinds(ds)


def conflicts_document(found: list[Conflict]) -> dict[str, Any]:
    """What ``thbor conflicts --json`` prints (docs/query-json.md): the conflicts and their count per kind."""
    return {"counts": {k: n for k in KINDS if (n := sum(c.kind == k for c in found))},
            "conflicts": [c.to_dict() for c in found]}


def render(found: list[Conflict]) -> list[str]:
    """The lines ``thbor conflicts`` prints: each conflict, its sides, each side's citations."""
    lines = []
    for c in found:
        head = " vs ".join(f"{cid} ({c.statuses.get(cid, '?')})" for cid in c.claims)
        lines.append(f"{c.kind}{f' of {c.qualifier}' if c.qualifier else ''}: {head}")
        for side in c.sides:
            lines.append(f"  {side.says}{f' [{side.claim}]' if len(c.claims) > 1 else ''}:")
            for cit in side.citations:
                relayed = f", reports {cit['reports']}" if "reports" in cit else ""
                lines.append(f"    {cit['source']} (reliability {cit['reliability']}, credibility "
                             f"{cit['credibility'] or '-'}{relayed}; origin {cit['origin']}): \"{cit['quote']}\"")
    lines.append(f"{len(found)} conflict(s)")
    return lines
