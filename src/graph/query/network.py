"""Neighbourhoods, connections and network measures over the filtered graph.

>>> from graph.load.validate import load_dataset
>>> from graph.query.projection import to_networkx
>>> from graph.query.filters import Filters
>>> ds = load_dataset(["data"])
>>> G = to_networkx(ds)
>>> cf = Filters().compile(G, ds.ontology)
>>> "group-id-kh-2023-victims" in neighbors(G, "group-id-kh-2023-recruiters", 1, cf)["distance"]
True
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx
import pycountry

from graph.errors import UsageError
from graph.model.dataset import Dataset
from graph.query.filters import Compiled
from graph.query.paths import allowed_graph, check_endpoints


def neighbors(G: nx.MultiDiGraph, center: str, hops: int, cf: Compiled) -> dict[str, Any]:
    """Entities within ``hops`` of ``center`` over allowed claims, and the claims among them.

    Context and concept entities (a country, a practice) are shown where a claim reaches them but
    not expanded: what else is in Cambodia is not a neighbour of a case in Cambodia. A query
    with ``via_context`` expands them too, and ``through`` lists those it expanded.
    """
    if hops < 1:
        raise UsageError("hops must be at least 1", fields=("hops",))
    check_endpoints(G, cf, center)
    distance = {center: 0}
    frontier = [center]
    for d in range(1, hops + 1):
        nxt = []
        for u in frontier:
            for v in cf.neighbors(u):
                if v not in distance and cf.shown(v):
                    distance[v] = d
                    if cf.node_ok(v):
                        nxt.append(v)
        frontier = nxt
    claims = sorted({k for u in distance for v, keys in cf.neighbors(u).items() if v in distance for k in keys})
    through = sorted(n for n, d in distance.items() if 0 < d < hops and cf.opaque(n) and cf.node_ok(n))
    return {"center": center, "distance": distance, "claims": claims, "through": through}


def common_neighbors(G: nx.MultiDiGraph, a: str, b: str, cf: Compiled) -> list[dict[str, Any]]:
    """Entities linked to both ``a`` and ``b``, with the claims on each side and their traversal role.

    Actors and objects come first; context and concept entities both are linked to (a country,
    a practice) follow with ``"link": False``, because sharing them is no link between ``a`` and
    ``b``. With ``via_context`` they count as links, marked by their role.
    """
    check_endpoints(G, cf, a, b)
    na, nb = cf.neighbors(a), cf.neighbors(b)
    shared = [n for n in set(na) & set(nb) if n not in (a, b) and cf.shown(n)]
    rows = [{"id": n, "role": cf.role(n), "link": cf.node_ok(n), "claims_a": sorted(na[n]), "claims_b": sorted(nb[n])}
            for n in shared]
    return sorted(rows, key=lambda r: (not r["link"], r["id"]))


def connect(G: nx.MultiDiGraph, terminals: list[str], cf: Compiled) -> dict[str, Any]:
    """A small subgraph connecting every terminal (approximate Steiner tree, hop-weighted).

    ``through`` lists the tree's context and concept entities that are not terminals (only a
    query with ``via_context`` passes through them).
    """
    if len(set(terminals)) < 2:
        raise UsageError("connect needs at least two different entities")
    check_endpoints(G, cf, *terminals)
    H = allowed_graph(G, cf, tuple(terminals))
    H = H.to_undirected() if cf.filters.directed else H
    component = nx.node_connected_component(H, terminals[0])
    apart = [t for t in terminals if t not in component]
    if apart:
        return {"nodes": [], "edges": [], "unreachable": apart, "through": []}
    tree = nx.algorithms.approximation.steiner_tree(H.subgraph(component), terminals, method="kou")
    edges = []
    for u, v in sorted(tuple(sorted(e)) for e in tree.edges()):
        keys = sorted(set(cf.neighbors(u).get(v, [])) | set(cf.neighbors(v).get(u, [])))
        edges.append({"from": u, "to": v, "claims": keys})
    through = sorted(n for n in tree.nodes() if n not in terminals and cf.opaque(n))
    return {"nodes": sorted(tree.nodes()), "edges": edges, "unreachable": [], "through": through}


def rank(G: nx.MultiDiGraph, by: str, cf: Compiled, *, types: frozenset[str] = frozenset(), top: int = 20,
         seed: int = 0) -> list[dict[str, Any]]:
    """Entities ranked by ``degree``, ``betweenness`` or ``pagerank`` on the filtered graph.

    By default the graph is the concrete one (actors and objects: no context or concept entity
    is scored or brokers between others). Betweenness is exact up to 2,000 entities and sampled
    (``k=500``, seeded) above.
    """
    H = allowed_graph(G, cf)  # without context and concept entities, unless the filters ask for them
    H = H.to_undirected() if cf.filters.directed else H
    if by == "degree":
        scores = {n: float(d) for n, d in H.degree()}
    elif by == "betweenness":
        k = None if H.number_of_nodes() <= 2000 else 500
        scores = nx.betweenness_centrality(H, k=k, seed=seed)
    elif by == "pagerank":
        scores = nx.pagerank(H, weight="confidence") if H.number_of_edges() else {n: 0.0 for n in H}
    else:
        raise UsageError(f"by must be degree, betweenness or pagerank, not {by!r}", fields=("by",))
    wanted = frozenset(n for n, c in cf.onto.classes.items() if c.ancestors & types) if types else None
    rows = [(s, n) for n, s in scores.items() if wanted is None or any(t in wanted for t in G.nodes[n]["types"])]
    rows.sort(key=lambda r: (-r[0], r[1]))
    return [{"id": n, "score": round(s, 6)} for s, n in rows[:top]]


def communities(G: nx.MultiDiGraph, cf: Compiled, seed: int = 0, resolution: float = 1.0) -> list[list[str]]:
    """Louvain communities of the filtered graph (seeded: the same input gives the same answer).

    Like :func:`rank`, on the concrete graph unless the filters ask to pass through context.
    """
    H = allowed_graph(G, cf)
    H = H.to_undirected() if cf.filters.directed else H
    found = nx.community.louvain_communities(H, weight="confidence", resolution=resolution, seed=seed)
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))


def routes(ds: Dataset, G: nx.MultiDiGraph, cf: Compiled) -> list[dict[str, Any]]:
    """Country-to-country flows of people or organs, from the claims of flow relations.

    A flow goes from the subject's country to the object's country (``?`` when not known); the
    relations that count are those the ontology marks ``thb:flowRelation``.
    """
    flows: dict[tuple[str, str], dict[str, Any]] = defaultdict(lambda: {"claims": [], "count": 0, "organs": set()})
    for u, v, k, d in G.edges(keys=True, data=True):
        if not ds.ontology.relations[d["predicate"]].flow or not cf.edge_ok(d):
            continue
        if not (cf.node_ok(u, endpoint=True) and cf.node_ok(v, endpoint=True)):
            continue
        row = flows[(G.nodes[u]["country"] or "?", G.nodes[v]["country"] or "?")]
        row["claims"].append(k)
        q, (summed, listed) = ds.claims[k].qualifiers, ds.ontology.route_qualifiers
        row["count"] += q[summed] if summed and isinstance(q.get(summed), int) else 0
        if listed and q.get(listed):
            row["organs"].add(q[listed])
    out = []
    for (a, b), row in sorted(flows.items()):
        out.append({"from": a, "from_name": _country_name(a), "to": b, "to_name": _country_name(b),
                    "claims": sorted(row["claims"]), "people": row["count"] or None,
                    "organs": sorted(row["organs"])})
    return out


def _country_name(code: str) -> str:
    c = pycountry.countries.get(alpha_2=code) if code != "?" else None
    return c.name if c else "unknown"


def timeline(ds: Dataset, G: nx.MultiDiGraph, cf: Compiled, entity: str | None = None) -> list[str]:
    """Ids of dated claims in order of valid time, optionally those touching ``entity``.

    Undated claims are on it only when the filters include them in a time window; they come last.
    """
    if entity is not None:
        check_endpoints(G, cf, entity)
    rows = []
    for u, v, k, d in G.edges(keys=True, data=True):
        dated = d["lo"] is not None or d["hi"] is not None
        if (dated or cf.filters.include_undated) and cf.edge_ok(d) and (entity is None or entity in (u, v)):
            if cf.node_ok(u, endpoint=True) and cf.node_ok(v, endpoint=True):
                rows.append((d["lo"] or d["hi"] or "~", k))  # "~" sorts after every ISO date
    return [k for _, k in sorted(rows)]
