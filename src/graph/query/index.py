"""A compact array index of the graph projection, for fast filtered traversal.

networkx keeps one Python dict per edge; scanning a hub with tens of thousands of claims through
a Python filter costs tens of milliseconds. This index keeps the filterable edge attributes in
numpy arrays and the adjacency in CSR form, so that a filter becomes one boolean mask over all
claims and a breadth-first level becomes a handful of array operations.

The index is built once per graph (and cached); masks are built once per compiled filter.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import networkx as nx
import numpy as np

from graph.query.projection import EdgeTable

_CACHE: weakref.WeakKeyDictionary[nx.MultiDiGraph, GraphIndex] = weakref.WeakKeyDictionary()
NO_DATE_LO, NO_DATE_HI = 0, 99_999_999


def _day(iso: str | None, default: int) -> int:
    return int(iso.replace("-", "")) if iso else default


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
        """The (cached) index of ``G``.

        Projections are not changed once built; the cache is checked against the node count only,
        because counting a multigraph's edges walks the whole graph.
        """
        idx = _CACHE.get(G)
        if idx is None or len(idx.nodes) != len(G):
            idx = _CACHE[G] = cls._build(G)
        return idx

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
            lo[i], hi[i], sym[i] = _day(d["lo"], NO_DATE_LO), _day(d["hi"], NO_DATE_HI), d["symmetric"]
        return cls._finish(nodes, position, [G.nodes[n] for n in nodes], keys, src, dst, pred, list(pcodes), stat,
                           list(scodes), conf, tlp, rel, lo, hi, sym)

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
        return cls._finish(
            nodes, position, node_data, [table.keys[i] for i in order.tolist()],
            arr([position[x] for x in table.subjects], np.int32), arr([position[x] for x in table.objects], np.int32),
            pred.astype(np.int16), predicates, stat.astype(np.int8), statuses,
            arr(col["confidence"], np.float32), arr(col["tlp_rank"], np.int8), arr(col["reliability_rank"], np.int8),
            arr([_day(x, NO_DATE_LO) for x in col["lo"]], np.int32), arr([_day(x, NO_DATE_HI) for x in col["hi"]], np.int32),
            arr(col["symmetric"], np.bool_))

    @classmethod
    def _finish(cls, nodes: list[str], position: dict[str, int], node_data: list[dict], keys: list[str],
                src: np.ndarray, dst: np.ndarray, pred: np.ndarray, predicates: list[str], stat: np.ndarray,
                statuses: list[str], conf: np.ndarray, tlp: np.ndarray, rel: np.ndarray, lo: np.ndarray,
                hi: np.ndarray, sym: np.ndarray) -> GraphIndex:
        types: dict[str, list[int]] = {}
        node_tlp = np.empty(len(nodes), np.int8)
        for i, data in enumerate(node_data):
            node_tlp[i] = data["tlp_rank"]
            for t in data["types"]:
                types.setdefault(t, []).append(i)
        out_ptr, out_edges = _csr(src, len(nodes))
        in_ptr, in_edges = _csr(dst, len(nodes))
        return cls(nodes, position, keys, src, dst, pred, predicates, stat, statuses, conf, tlp, rel, lo, hi,
                   sym, node_tlp, {t: np.asarray(v, np.int32) for t, v in types.items()},
                   out_ptr, out_edges, in_ptr, in_edges)

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
