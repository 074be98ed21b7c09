"""Path queries over the graph projection, with the claims behind every hop.

Functions take the graph first (networkx style) and a :class:`~graph.query.filters.Compiled` filter.
A path is a list of entity ids; each hop carries every allowed claim between its two entities,
so the evidence trail is complete, not just one edge.

>>> from graph.load.validate import load_dataset
>>> from graph.query.projection import to_networkx
>>> from graph.query.filters import Filters
>>> ds = load_dataset(["data"])
>>> G = to_networkx(ds)
>>> cf = Filters().compile(G, ds.ontology)
>>> p = shortest_path(G, "group-id-kh-2023-recruiters", "country-kh", cf)
>>> len(p), p.nodes[0], p.nodes[-1]
(2, 'group-id-kh-2023-recruiters', 'country-kh')
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from graph.errors import NodeNotFound, UsageError
from graph.query.filters import Compiled

# Bounds on the searches that list many paths: Yen's algorithm does a shortest-path search per path
# found, and the simple paths between two entities multiply with every hop allowed, so past these
# a query runs for minutes and answers with more paths than anyone reads.
MAX_K = 100  # --k
MAX_PATHS = 1000  # --limit
MAX_HOPS = 10  # --max-hops


@dataclass
class GraphPath:
    """Entities in order; ``hops[i]`` lists the claim ids linking ``nodes[i]`` and ``nodes[i+1]``.

    ``through`` lists the interior entities that are context or concept nodes (only a query that
    asks to pass through them finds such a path): a path through them is no evidence that its
    endpoints are linked.
    """

    nodes: list[str]
    hops: list[list[str]] = field(default_factory=list)
    confidence: float = 1.0
    through: list[str] = field(default_factory=list)

    @property
    def evidenced(self) -> bool:
        """True when every interior entity is an actor or object: the claims link the endpoints."""
        return not self.through

    def __len__(self) -> int:
        return len(self.nodes) - 1


@dataclass
class PathResult:
    """The answer to a path query."""

    paths: list[GraphPath]
    truncated: bool = False
    message: str | None = None


def check_bound(field: str, value: int, bound: int) -> None:
    """Raise :class:`UsageError` naming ``field`` unless ``1 <= value <= bound``."""
    if not 1 <= value <= bound:
        raise UsageError(f"{field} must be between 1 and {bound}, not {value}: narrow the question "
                         "(filters, avoid_types, a closer pair of entities) rather than listing more paths",
                         fields=(field, "avoid_types"))


def hop_claims(cf: Compiled, u: str, v: str) -> list[str]:
    """Ids of the allowed claims that link ``u`` to ``v`` in the query's reading, sorted."""
    idx, edge_ok, _ = cf.masks()
    e, _, other = idx.gather(np.array([idx.position[u]], np.int32), edge_ok, forward=True,
                             directed=cf.filters.directed)
    return sorted(idx.keys[i] for i in e[other == idx.position[v]])


def _with_evidence(G: nx.MultiDiGraph, nodes: list[str], cf: Compiled) -> GraphPath:
    hops, confidence = [], 1.0
    for u, v in itertools.pairwise(nodes):
        keys = hop_claims(cf, u, v)
        hops.append(keys)
        confidence *= max(G.edges[e]["confidence"] for e in _edge_ids(G, u, v, keys))
    through = [n for n in nodes[1:-1] if cf.opaque(n)]
    return GraphPath(nodes, hops, float(f"{confidence:.4g}"), through)  # 4 significant digits: byte-stable output


def _edge_ids(G: nx.MultiDiGraph, u: str, v: str, keys: list[str]) -> list[tuple[str, str, str]]:
    return [(u, v, k) if G.has_edge(u, v, k) else (v, u, k) for k in keys]


def check_endpoints(G: nx.MultiDiGraph, cf: Compiled, *nodes: str) -> None:
    """Raise when an endpoint is missing (NodeNotFound) or above the sharing level asked for."""
    for n in nodes:
        if n not in G:
            raise NodeNotFound(n)
        if not cf.node_ok(n, endpoint=True):
            raise UsageError(f"{n} is above the sharing level asked for (max_tlp {cf.filters.max_tlp})",
                             fields=("max_tlp",))


def shortest_path(G: nx.MultiDiGraph, source: str, target: str, cf: Compiled) -> GraphPath | None:
    """One shortest path by bidirectional breadth-first search over the array index, or None.

    Each step expands the smaller frontier by a whole level; among the nodes where the two
    searches meet, the one with the shortest total and then the lowest position wins, so the
    answer is deterministic.
    """
    check_endpoints(G, cf, source, target)
    if source == target:
        return GraphPath([source])
    idx, edge_ok, node_ok = cf.masks()
    s, t = idx.position[source], idx.position[target]
    n = len(idx.nodes)
    dist = [np.full(n, -1, np.int32), np.full(n, -1, np.int32)]  # forward from s, backward from t
    parent = [np.full(n, -1, np.int32), np.full(n, -1, np.int32)]
    dist[0][s], dist[1][t] = 0, 0
    frontier = [np.array([s], np.int32), np.array([t], np.int32)]
    directed = cf.filters.directed
    while frontier[0].size and frontier[1].size:
        side = 0 if frontier[0].size <= frontier[1].size else 1
        _, frm, other = idx.gather(frontier[side], edge_ok, forward=side == 0, directed=directed)
        ok = (node_ok[other] | (other == s) | (other == t)) & (dist[side][other] < 0)
        reached, first = np.unique(other[ok], return_index=True)
        dist[side][reached] = dist[side][frontier[side][0]] + 1
        parent[side][reached] = frm[ok][first]
        meet = reached[dist[1 - side][reached] >= 0]
        if meet.size:
            total = dist[0][meet] + dist[1][meet]
            best = int(meet[np.flatnonzero(total == total.min())[0]])
            return _with_evidence(G, _join(idx.nodes, parent, best), cf)
        frontier[side] = reached
    return None


def _join(nodes: list[str], parent: list[np.ndarray], meet: int) -> list[str]:
    left, n = [], meet
    while n >= 0:
        left.append(n)
        n = int(parent[0][n])
    right, n = [], int(parent[1][meet])
    while n >= 0:
        right.append(n)
        n = int(parent[1][n])
    return [nodes[i] for i in left[::-1] + right]


def allowed_graph(G: nx.MultiDiGraph, cf: Compiled, keep: tuple[str, ...] = ()) -> nx.Graph:
    """The filtered graph collapsed to one edge per pair of entities.

    Each edge has ``confidence`` (the best of its claims) and ``cost`` (``-log confidence``, for
    the most credible path). Nodes in ``keep`` stay even when type filters would drop them.
    """
    H: nx.Graph = nx.DiGraph() if cf.filters.directed else nx.Graph()
    ok_nodes = {n for n in G if cf.node_ok(n) or n in keep}
    H.add_nodes_from(n for n in G if n in ok_nodes)
    for u, v, d in G.edges(data=True):
        if u in ok_nodes and v in ok_nodes and u != v and cf.edge_ok(d):
            pairs = [(u, v), (v, u)] if cf.filters.directed and d["symmetric"] else [(u, v)]
            for a, b in pairs:
                best = max(d["confidence"], H.edges[a, b]["confidence"]) if H.has_edge(a, b) else d["confidence"]
                H.add_edge(a, b, confidence=best, cost=-math.log(best) if best > 0 else math.inf)
    return H


def k_shortest_paths(G: nx.MultiDiGraph, source: str, target: str, cf: Compiled, *, k: int) -> list[GraphPath]:
    """The ``k`` shortest simple paths (fewest hops first; Yen's algorithm); ``k`` at most :data:`MAX_K`."""
    check_bound("k", k, MAX_K)
    check_endpoints(G, cf, source, target)
    H = allowed_graph(G, cf, (source, target))
    try:
        gen = nx.shortest_simple_paths(H, source, target)
        return [_with_evidence(G, p, cf) for p in itertools.islice(gen, k)]
    except nx.NetworkXNoPath:
        return []


def paths_up_to(G: nx.MultiDiGraph, source: str, target: str, cf: Compiled, *, max_hops: int,
                limit: int = 100) -> PathResult:
    """Every simple path of at most ``max_hops`` hops, up to ``limit`` of them, shortest first.

    Paths come from Yen's algorithm in order of length, so a cut keeps the shortest ones.
    ``max_hops`` is at most :data:`MAX_HOPS` and ``limit`` at most :data:`MAX_PATHS`.
    """
    check_bound("max_hops", max_hops, MAX_HOPS)
    check_bound("limit", limit, MAX_PATHS)
    check_endpoints(G, cf, source, target)
    H = allowed_graph(G, cf, (source, target))
    found: list[list[str]] = []
    truncated = False
    try:
        for p in nx.shortest_simple_paths(H, source, target):
            if len(p) - 1 > max_hops:
                break
            if len(found) == limit:
                truncated = True
                break
            found.append(p)
    except nx.NetworkXNoPath:
        pass
    found.sort(key=lambda p: (len(p), p))
    message = (f"more than {limit} paths of at most {max_hops} hops: showing the {limit} shortest; "
               "narrow the filters or lower --max-hops") if truncated else None
    return PathResult([_with_evidence(G, p, cf) for p in found], truncated, message)


def most_credible_path(G: nx.MultiDiGraph, source: str, target: str, cf: Compiled) -> GraphPath | None:
    """The path whose product of hop confidences is highest (Dijkstra on ``-log confidence``)."""
    check_endpoints(G, cf, source, target)
    H = allowed_graph(G, cf, (source, target))
    H.remove_edges_from([(u, v) for u, v, c in H.edges(data="cost") if c == math.inf])
    try:
        return _with_evidence(G, nx.dijkstra_path(H, source, target, weight="cost"), cf)
    except nx.NetworkXNoPath:
        return None


def what_they_share(G: nx.MultiDiGraph, a: str, b: str, cf: Compiled) -> dict[str, list[str]]:
    """Why two entities have no evidenced link: the context and concept entities they meet at.

    ``shared`` lists the context and concept entities linked to both (over allowed claims);
    ``through`` the context and concept entities on a shortest path that may pass through them
    (empty when even such a path does not exist).
    """
    check_endpoints(G, cf, a, b)
    wide = dataclasses.replace(cf.filters, via_context=True).compile(G, cf.onto)
    idx, edge_ok, _ = wide.masks()  # the array index: a workspace store answers without a networkx graph

    def around(n: str) -> set[int]:
        return set(idx.gather(np.array([idx.position[n]], np.int32), edge_ok, forward=True,
                              directed=wide.filters.directed)[2].tolist())

    meet = (idx.nodes[i] for i in around(a) & around(b))
    shared = sorted(n for n in meet if n not in (a, b) and wide.opaque(n) and wide.shown(n))
    p = shortest_path(G, a, b, wide)
    return {"shared": shared, "through": p.through if p else []}
