"""Neighbourhoods for ``thbor serve``: the answer of ``thbor neighbors``, found in the array index.

:func:`graph.query.network.neighbors` walks a networkx graph; the server answers from a store's
array index, which has no per-edge dicts, so the same walk is made here with the index's masks
(:meth:`~graph.query.filters.Compiled.masks`), by the same rules: allowed claims only, either way
unless directed, context and concept entities shown where reached but not expanded (unless the
filters pass through them). The answer is a :class:`~graph.query.results.NeighborsAnswer`, so its
JSON is ``thbor neighbors --json``'s (tests compare them).

A hub's neighbourhood may hold tens of thousands of entities: the drawing (:func:`drawing`) keeps
at most :data:`MAX_DRAWN` of them and :data:`MAX_DRAWN_CLAIMS` claims, and says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

import networkx as nx
import numpy as np

from graph.errors import UsageError
from graph.html.views import ViewSpec, payload
from graph.query.paths import check_endpoints
from graph.query.results import NeighborsAnswer, Query

MAX_HOPS = 3
MAX_DRAWN = 200  # entities drawn at most (vis-network's physics settles them quickly up to here)
MAX_DRAWN_CLAIMS = 250  # each is read with its citations, for the panel a click opens
MAX_LISTED = 5000  # a neighbourhood's JSON answer lists at most this many entities


@dataclass
class Found:
    """A neighbourhood's answer, and the index positions of its claims (for the drawing)."""

    answer: NeighborsAnswer
    edges: np.ndarray


def neighbourhood(q: Query, center: str, hops: int = 1, *, listed: bool = True) -> Found:
    """Entities within ``hops`` of the entity id ``center``, and the claims among them.

    ``listed=False`` leaves the answer's claim list empty (``edges`` has them): a drawing needs no
    sorted list of the hundreds of thousands of claims around a hub.
    """
    if not 1 <= hops <= MAX_HOPS:
        raise UsageError(f"hops must be between 1 and {MAX_HOPS}", fields=("hops",))
    check_endpoints(q.G, q.cf, center)
    idx, edge_ok, node_ok = q.cf.masks()
    shown = q.cf.shown_mask()
    directed = q.cf.filters.directed
    n = len(idx.nodes)
    dist = np.full(n, -1, np.int32)
    c = idx.position[center]
    dist[c] = 0
    frontier = np.array([c], np.int32)
    for d in range(1, hops + 1):
        if not frontier.size:
            break
        _, _, other = idx.gather(frontier, edge_ok, forward=True, directed=directed)
        new = np.zeros(n, np.bool_)
        new[other[shown[other] & (dist[other] < 0)]] = True
        reached = np.flatnonzero(new).astype(np.int32)
        dist[reached] = d
        frontier = reached[node_ok[reached]]
    inside = dist >= 0
    # the allowed claims between two different entities of the neighbourhood (cf.neighbors' claims)
    among = np.flatnonzero(edge_ok & inside[idx.src] & inside[idx.dst] & (idx.src != idx.dst))
    claims = sorted(idx.keys[i] for i in among.tolist()) if listed else []  # as thbor neighbors lists them
    distance = {idx.nodes[i]: int(dist[i]) for i in np.flatnonzero(inside).tolist()}
    through = sorted(x for x, d in distance.items() if 0 < d < hops and q.cf.opaque(x) and q.cf.node_ok(x))
    return Found(NeighborsAnswer(q, center, distance, claims, through, q.info()), among)


@dataclass
class Drawing:
    """A neighbourhood as vis-network draws it (``data``: :func:`graph.html.views.payload`'s), and how
    much of it was left out of the drawing."""

    data: dict[str, Any]
    entities: int  # in the whole neighbourhood
    claims: int
    drawn_entities: int
    drawn_claims: int

    @property
    def capped(self) -> bool:
        return self.drawn_entities < self.entities or self.drawn_claims < self.claims


def drawing(q: Query, found: Found, links: dict[str, str]) -> Drawing:
    """The neighbourhood's drawing: at most :data:`MAX_DRAWN` entities (the nearest, then by id) and
    :data:`MAX_DRAWN_CLAIMS` claims among them; ``links`` maps each drawn entity to its page."""
    answer = found.answer
    order = sorted(answer.distance, key=lambda x: (answer.distance[x], x))
    kept = order[:MAX_DRAWN]
    idx = q.cf.masks()[0]
    drawn = np.zeros(len(idx.nodes), np.bool_)
    drawn[[idx.position[x] for x in kept]] = True
    # the claims among the drawn entities; those of the centre first when they must be cut
    edges = found.edges[drawn[idx.src[found.edges]] & drawn[idx.dst[found.edges]]]
    c = idx.position[answer.center]
    rows = sorted((idx.src[i] != c and idx.dst[i] != c, idx.keys[i]) for i in edges.tolist())
    claims = sorted(k for _, k in rows[:MAX_DRAWN_CLAIMS])
    name = q.ds.entities[answer.center].name
    hops = max(answer.distance.values(), default=0)
    title = f"{name}: neighbourhood"
    if answer.through:
        title += " through context: " + ", ".join(q.ds.entities[n].name for n in answer.through)
    cf = q.cf
    spec = ViewSpec(title, sorted(kept), claims, [answer.center], [], cf.filters.max_tlp or "",
                    list(answer.through), sorted(cf.statuses), cf.filters.include_undated)
    data = payload(q.ds, cast(nx.MultiDiGraph, _Drawable(q.G, q)), spec)
    data["links"] = {n: links[n] for n in spec.nodes if n in links}
    data["hops"] = hops
    return Drawing(data, len(answer.distance), int(found.edges.size), len(spec.nodes), len(claims))



class _Drawable:
    """A graph as :func:`graph.html.views.payload` reads it: a store graph's edges (``G.edges[u, v, k]``)
    carry the confidence and level only, so the best grade of the claim's citations (the index's
    ``reliability_rank``, named by the ontology) is added; everything else is the graph's own."""

    def __init__(self, G: nx.MultiDiGraph, q: Query):
        self._G, self._q = G, q
        self.edges = _Edges(G, q)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._G, name)

    def __contains__(self, node: object) -> bool:
        return node in self._G


class _Edges:
    def __init__(self, G: nx.MultiDiGraph, q: Query):
        self._G, self._idx = G, q.cf.masks()[0]
        self._names = {c.rank: n for n, c in q.ds.ontology.vocabulary("reliability").concepts.items()}

    def __getitem__(self, edge: tuple[str, str, str]) -> Mapping[str, Any]:
        d = self._G.edges[edge]
        if "reliability" in d:
            return cast(Mapping[str, Any], d)
        at = getattr(self._G, "edge_at", None)
        i = at(edge[2]) if at is not None else None
        if i is None:
            raise KeyError(edge)
        return {**d, "reliability": self._names[int(self._idx.reliability_rank[i])]}
