"""A compact array index of the graph projection, for fast filtered traversal.

networkx keeps one Python dict per edge; scanning a hub with tens of thousands of claims through
a Python filter costs tens of milliseconds. This index keeps the filterable edge attributes in
numpy arrays and the adjacency in CSR form, so that a filter becomes one boolean mask over all
claims and a breadth-first level becomes a handful of array operations.

The index of a frozen graph (the projection :func:`~graph.query.projection.to_networkx` makes is
frozen) is built once and cached; a graph that may still change gets a fresh index on every call,
so that no query answers from the index of an earlier state of it. Masks are built once per
compiled filter and index.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from graph.query.projection import EdgeTable

# the index of each frozen graph, and of each store graph (graph.store registers its own index here)
_CACHE: weakref.WeakKeyDictionary[Any, GraphIndex] = weakref.WeakKeyDictionary()
NO_DATE_LO, NO_DATE_HI = 0, 99_999_999


def day_number(iso: str | None, open_value: int) -> int:
    """An ISO day as the number YYYYMMDD the index compares; ``open_value`` when there is none.

    >>> day_number("2014-06-01", NO_DATE_LO), day_number(None, NO_DATE_HI)
    (20140601, 99999999)
    """
    return int(iso.replace("-", "")) if iso else open_value


@dataclass
class GraphIndex:
    """Arrays over nodes (by position) and edges (by position) of one MultiDiGraph."""

    nodes: list[str]
    position: dict[str, int]
    keys: list[str]  # claim id of each edge
    src: np.ndarray
    dst: np.ndarray
    predicate: np.ndarray  # codes into predicates
    predicates: list[str]
    status: np.ndarray
    statuses: list[str]
    confidence: np.ndarray
    tlp_rank: np.ndarray
    reliability_rank: np.ndarray
    lo: np.ndarray  # YYYYMMDD, NO_DATE_LO when open
    hi: np.ndarray  # YYYYMMDD, NO_DATE_HI when open
    symmetric: np.ndarray
    node_tlp_rank: np.ndarray
    type_nodes: dict[str, np.ndarray]  # type name -> positions of nodes with that type
    out_ptr: np.ndarray  # CSR by subject: out_edges[out_ptr[n]:out_ptr[n+1]] are edges whose subject is n
    out_edges: np.ndarray
    in_ptr: np.ndarray  # CSR by object
    in_edges: np.ndarray

    @classmethod
    def of(cls, G: nx.MultiDiGraph) -> GraphIndex:
        """The index of ``G``: cached when ``G`` is frozen (``nx.freeze``), built afresh otherwise.

        A frozen graph cannot gain or lose nodes and edges, so its index stays true; nothing
        cheaper than a new index tells whether a graph that is not frozen changed since.
        """
        idx = _CACHE.get(G)
        if idx is None:
            idx = cls._build(G)
            if nx.is_frozen(G):
                _CACHE[G] = idx
        return idx

    def register(self, G: Any) -> None:
        """Make this the index ``GraphIndex.of(G)`` answers with, for a graph that cannot change and
        whose index was not built from its edges (the workspace store reads its index from disk)."""
        _CACHE[G] = self

    @classmethod
    def _build(cls, G: nx.MultiDiGraph) -> GraphIndex:
        nodes = list(G)
        position = {n: i for i, n in enumerate(nodes)}
        m = G.number_of_edges()
        src, dst = np.empty(m, np.int32), np.empty(m, np.int32)
        pred, stat = np.empty(m, np.int16), np.empty(m, np.int8)
        conf, tlp, rel = np.empty(m, np.float32), np.empty(m, np.int8), np.empty(m, np.int8)
        lo, hi, sym = np.empty(m, np.int32), np.empty(m, np.int32), np.empty(m, np.bool_)
        keys: list[str] = []
        pcodes: dict[str, int] = {}
        scodes: dict[str, int] = {}
        for i, (u, v, k, d) in enumerate(G.edges(keys=True, data=True)):
            keys.append(k)
            src[i], dst[i] = position[u], position[v]
            pred[i] = pcodes.setdefault(d["predicate"], len(pcodes))
            stat[i] = scodes.setdefault(d["status"], len(scodes))
            conf[i], tlp[i], rel[i] = d["confidence"], d["tlp_rank"], d["reliability_rank"]
            lo[i], hi[i] = day_number(d["lo"], NO_DATE_LO), day_number(d["hi"], NO_DATE_HI)
            sym[i] = d["symmetric"]
        columns = {"src": src, "dst": dst, "predicate": pred, "status": stat, "confidence": conf, "tlp_rank": tlp,
                   "reliability_rank": rel, "lo": lo, "hi": hi, "symmetric": sym}
        return cls._finish(nodes, [G.nodes[n] for n in nodes], keys=keys, predicates=list(pcodes),
                           statuses=list(scodes), columns=columns)

    @classmethod
    def from_table(cls, node_data: list[dict], table: EdgeTable) -> GraphIndex:
        """The index of the graph ``to_networkx`` would make, from node rows and edge columns alone.

        A large build writes its store this way: the same arrays, without a Python dict per claim.
        """
        nodes = table.nodes
        position = {n: i for i, n in enumerate(nodes)}
        order = np.asarray(table.graph_order(), np.int64)
        col = table.columns

        def arr(values: list, dtype) -> np.ndarray:  # a column in claim order, taken in graph order
            return np.fromiter(values, dtype, len(values))[order]

        def codes(values: list) -> tuple[np.ndarray, list[str]]:  # codes numbered as first met in graph order
            ids: dict[str, int] = {}
            inverse = np.fromiter((ids.setdefault(v, len(ids)) for v in values), np.int64, len(values))[order]
            names = list(ids)
            _, first = np.unique(inverse, return_index=True)  # every code occurs: first[c] is code c's
            ranked = np.argsort(first, kind="stable")  # codes by first appearance
            recode = np.empty(len(names), np.int64)
            recode[ranked] = np.arange(len(names))
            return recode[inverse], [names[i] for i in ranked]

        pred, predicates = codes(col["predicate"])
        stat, statuses = codes(col["status"])
        columns = {
            "src": arr([position[x] for x in table.subjects], np.int32),
            "dst": arr([position[x] for x in table.objects], np.int32),
            "predicate": pred.astype(np.int16), "status": stat.astype(np.int8),
            "confidence": arr(col["confidence"], np.float32), "tlp_rank": arr(col["tlp_rank"], np.int8),
            "reliability_rank": arr(col["reliability_rank"], np.int8),
            "lo": arr([day_number(x, NO_DATE_LO) for x in col["lo"]], np.int32),
            "hi": arr([day_number(x, NO_DATE_HI) for x in col["hi"]], np.int32),
            "symmetric": arr(col["symmetric"], np.bool_)}
        return cls._finish(nodes, node_data, keys=[table.keys[i] for i in order.tolist()], predicates=predicates,
                           statuses=statuses, columns=columns)

    @classmethod
    def _finish(cls, nodes: list[str], node_data: list[dict], *, keys: list[str], predicates: list[str],
                statuses: list[str], columns: dict[str, np.ndarray]) -> GraphIndex:
        """The index from its edge ``columns`` (named as the fields they fill) and the node rows."""
        types: dict[str, list[int]] = {}
        node_tlp = np.empty(len(nodes), np.int8)
        for i, data in enumerate(node_data):
            node_tlp[i] = data["tlp_rank"]
            for t in data["types"]:
                types.setdefault(t, []).append(i)
        out_ptr, out_edges = _csr(columns["src"], len(nodes))
        in_ptr, in_edges = _csr(columns["dst"], len(nodes))
        return cls(nodes=nodes, position={n: i for i, n in enumerate(nodes)}, keys=keys, predicates=predicates,
                   statuses=statuses, node_tlp_rank=node_tlp,
                   type_nodes={t: np.asarray(v, np.int32) for t, v in types.items()}, out_ptr=out_ptr,
                   out_edges=out_edges, in_ptr=in_ptr, in_edges=in_edges, **columns)

    def gather(self, frontier: np.ndarray, edge_ok: np.ndarray, forward: bool, directed: bool
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All allowed edges leaving ``frontier`` in the reading asked for.

        Returns (edge positions, node they leave from, node they reach). ``forward`` follows
        claims subject→object when ``directed``; undirected reading walks both ways; symmetric
        relations always run both ways.
        """
        parts = []
        for ptr, edges, other, along in ((self.out_ptr, self.out_edges, self.dst, forward),
                                         (self.in_ptr, self.in_edges, self.src, not forward)):
            e, frm = _slices(ptr, edges, frontier)
            keep = edge_ok[e]
            if directed and not along:
                keep &= self.symmetric[e]
            parts.append((e[keep], frm[keep], other[e[keep]]))
        return (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
                np.concatenate([p[2] for p in parts]))


def _csr(end: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(end, kind="stable").astype(np.int32)
    counts = np.bincount(end, minlength=n)
    ptr = np.zeros(n + 1, np.int64)
    np.cumsum(counts, out=ptr[1:])
    return ptr, order


def _slices(ptr: np.ndarray, edges: np.ndarray, frontier: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate ``edges[ptr[f]:ptr[f+1]]`` for every f in ``frontier``, with the f of each."""
    starts, stops = ptr[frontier], ptr[frontier + 1]
    counts = stops - starts
    total = int(counts.sum())
    if total == 0:
        return np.empty(0, np.int32), np.empty(0, np.int32)
    owner = np.repeat(frontier, counts)
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    return edges[offsets + np.arange(total)], owner.astype(np.int32)
