"""What a network view's page needs to find paths and filter by time as ``thbor path`` does.

The page runs the command line's shortest-path search (:func:`graph.query.paths.shortest_path`)
in the browser over the claims it holds. To give the same answer it needs the rules' inputs for
every claim and entity, and the order the array index keeps them in, since that order breaks ties
between paths of one length. None of the rules is written in the script: the statuses used by
default, the grade ranks and which entities are context or concept (never passed through by
default) come from the ontology here.

Per entity: ``[position in the graph, opaque]``. Per claim: ``[position among the claims,
reliability rank, symmetric, steps]``, where ``steps`` lists ``[day, confidence, reliability
rank]`` for each day from which more of its citations were public (the claim as
:func:`graph.query.knowledge.known_by` leaves it on that day), earliest first: a "known by" date
in the page reads the claim's confidence and grade as the command line does with ``--known-by``.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from graph.model.confidence import claim_confidence
from graph.model.dataset import Dataset
from graph.model.records import Citation, Claim, date_bounds


def path_rules(ds: Dataset) -> dict[str, Any]:
    """The traversal defaults of ``thbor path``, from the ontology (the script names none of them)."""
    onto = ds.ontology
    every = onto.vocabulary("status").ordered()
    return {"default_statuses": [s for s in every if s not in onto.contested_statuses],
            "reliability_rank": {n: c.rank for n, c in onto.vocabulary("reliability").concepts.items()}}


def path_payload(ds: Dataset, G: nx.MultiDiGraph, nodes: list[str], claims: list[str]) -> dict[str, Any]:
    """The per-entity and per-claim data the page's path finder and time filters read (module docstring)."""
    position = {n: i for i, n in enumerate(ds.entities)}
    order = {c: i for i, c in enumerate(ds.claims)}
    opaque = ds.ontology.opaque_types
    out_nodes = {n: [position[n], any(t in opaque for t in ds.entities[n].types)] for n in nodes}
    out_claims = {}
    for cid in claims:
        c = ds.claims[cid]
        d = G.edges[c.subject, c.object, cid]
        out_claims[cid] = [order[cid], d["reliability_rank"], d["symmetric"], _steps(ds, c)]
    return {"rules": path_rules(ds), "nodes": out_nodes, "claims": out_claims}


def _public_day(ds: Dataset, cit: Citation) -> str | None:
    """The first day a citation counts for ``known_by`` (its source or the report it relays public), or None."""
    days = [date_bounds(p)[1] for s in (cit.source, cit.reports) if s and (p := ds.sources[s].published)]
    return min(days) if days else None


def _steps(ds: Dataset, c: Claim) -> list[list[Any]]:
    """``[day, confidence, reliability rank]`` of the claim as it was known from each day on (see the module)."""
    rank = {n: x.rank for n, x in ds.ontology.vocabulary("reliability").concepts.items()}
    dated = sorted({day for x in c.citations if (day := _public_day(ds, x)) is not None})
    steps = []
    for day in dated:
        kept = [x for x in c.citations if (d := _public_day(ds, x)) is not None and d <= day]
        known = c if len(kept) == len(c.citations) else c.model_copy(update={"citations": kept})
        best = min(max(rank[ds.sources[x.source].reliability],
                       rank[ds.sources[x.reports].reliability] if x.reports else 0) for x in kept)
        steps.append([day, claim_confidence(known, ds.sources, ds.ontology), best])
    return steps
