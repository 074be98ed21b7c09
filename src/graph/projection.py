"""Dataset → networkx ``MultiDiGraph``: one node per entity, one edge per claim keyed by claim id.

Edge attributes carry what queries filter on, precomputed so that a filter is a few comparisons:

``predicate``, ``status``, ``confidence``, ``start``/``end`` (as given) and ``lo``/``hi`` (the
first and last day they stand for), ``tlp`` and ``tlp_rank`` (the claim's effective sharing
level: its own, its endpoints' and its sources'), ``reliability`` and ``reliability_rank`` (the
best grade among its citations, a reported source counting with the weaker of the two),
``sources`` (ids, cited or reported) and ``symmetric``.

>>> from graph.validate import load_dataset
>>> G = to_networkx(load_dataset(["data"]))
>>> G.number_of_edges() == len(load_dataset(["data"]).claims)
True
"""

from __future__ import annotations

import networkx as nx

from .confidence import claim_confidence
from .dataset import Dataset
from .records import date_bounds


def to_networkx(ds: Dataset) -> nx.MultiDiGraph:
    """The graph projection of a Dataset (see the module docstring for the attributes)."""
    onto = ds.ontology
    tlp_rank = {n: c.rank for n, c in onto.vocabulary("tlp").concepts.items()}
    rel_rank = {n: c.rank for n, c in onto.vocabulary("reliability").concepts.items()}
    G = nx.MultiDiGraph(name="thbor-graph", ontology_version=onto.version)
    for e in ds.entities.values():
        G.add_node(e.id, name=e.name, types=tuple(e.types), country=e.country, tlp=e.tlp,
                   tlp_rank=tlp_rank[e.tlp])
    edges = []
    for c in ds.claims.values():
        tlp = ds.effective_tlp(c)
        grades = [max(rel_rank[ds.sources[x.source].reliability],
                      rel_rank[ds.sources[x.reports].reliability] if x.reports else 0) for x in c.citations]
        best = min(grades)
        edges.append((c.subject, c.object, c.id, {
            "predicate": c.predicate,
            "status": c.status,
            "confidence": claim_confidence(c, ds.sources, onto),
            "start": c.start,
            "end": c.end,
            "lo": date_bounds(c.start)[0] if c.start else None,
            "hi": date_bounds(c.end)[1] if c.end else None,  # no end: holds from its start on
            "tlp": tlp,
            "tlp_rank": tlp_rank[tlp],
            "reliability": next(n for n, r in rel_rank.items() if r == best),
            "reliability_rank": best,
            "sources": tuple(s.id for s in ds.claim_sources(c)),
            "symmetric": onto.relations[c.predicate].symmetric,
        }))
    G.add_edges_from(edges)
    return G
