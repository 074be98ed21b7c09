"""Dataset → networkx ``MultiDiGraph``: one node per entity, one edge per claim keyed by claim id.

Edge attributes carry what queries filter on, precomputed so that a filter is a few comparisons:

``predicate``, ``status``, ``confidence``, ``start``/``end`` (as given) and ``lo``/``hi`` (the
first and last day of the claim's valid time, see :func:`valid_days`; both None when undated),
``tlp`` and ``tlp_rank`` (the claim's effective sharing level: its own, its endpoints' and its
sources'), ``reliability`` and ``reliability_rank`` (the best grade among its citations, a
reported source counting with the weaker of the two), ``sources`` (ids, cited or reported) and
``symmetric``.

The attributes are computed once, as columns (:func:`edge_table`): the networkx graph is made from
them, and so is the array index of a large build, which never needs the graph's per-edge dicts.

The graph is frozen (``nx.freeze``): a query reads it through an array index built once
(:mod:`graph.query.index`), which stays true only while the graph does not change. Copy it
(``nx.MultiDiGraph(G)``) to change it.

>>> from graph.load.validate import load_dataset
>>> G = to_networkx(load_dataset(["data"]))
>>> G.number_of_edges() == len(load_dataset(["data"]).claims)
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from graph.model.confidence import capped, support_and_origins
from graph.model.dataset import Dataset
from graph.model.origins import Upstreams
from graph.model.records import Claim, cited_sources, date_bounds

EDGE_ATTRIBUTES = ("predicate", "status", "confidence", "start", "end", "lo", "hi", "tlp", "tlp_rank", "reliability",
                   "reliability_rank", "sources", "symmetric")


@dataclass
class EdgeTable:
    """The projection's edges as columns, in claim order: ``columns[name][i]`` belongs to ``keys[i]``.

    Besides the edge attributes, for the counts: ``columns["origins"]`` holds each claim's number of
    independent origins (:mod:`graph.model.origins`), ``columns["low_graded"]`` whether it is low-graded
    (:meth:`~graph.model.dataset.Dataset.is_low_graded`).

    ``nodes`` are the entity ids in the order the graph lists its nodes.
    """

    nodes: list[str]
    subjects: list[str]
    objects: list[str]
    keys: list[str]
    columns: dict[str, list]
    _order: list[int] | None = field(default=None, repr=False)

    def graph_order(self) -> list[int]:
        """Edge positions in the order a MultiDiGraph built from them lists its edges.

        networkx lists edges by subject (in node order), then by object (in the order each pair
        first appeared), then in insertion order; the array index keeps that order, so that a
        store built from columns answers exactly as one built from the graph.
        """
        if self._order is None:
            pos = {n: i for i, n in enumerate(self.nodes)}
            first: dict[tuple[str, str], int] = {}
            pair = [first.setdefault(uv, j) for j, uv in enumerate(zip(self.subjects, self.objects, strict=True))]
            subject = [pos[u] for u in self.subjects]
            # by subject, then the pair's first claim, then the claim (lexsort: last key first)
            self._order = np.lexsort((np.arange(len(pair)), np.asarray(pair), np.asarray(subject))).tolist()
        return self._order


def edge_table(ds: Dataset) -> EdgeTable:
    """Every claim's edge attributes (see the module docstring), as columns."""
    onto = ds.ontology
    tlp_rank = {n: c.rank for n, c in onto.vocabulary("tlp").concepts.items()}
    symmetric = {name: r.symmetric for name, r in onto.relations.items()}
    cols: dict[str, list] = {a: [] for a in EDGE_ATTRIBUTES}
    subjects: list[str] = []
    objects: list[str] = []
    keys: list[str] = []
    # one bound append per column: this loop runs once per claim of a million-claim build
    (predicate, status, confidence, start, end, lo, hi, tlp_col, tlp_rank_col, reliability, reliability_rank, sources,
     sym) = (cols[a].append for a in EDGE_ATTRIBUTES)
    evidence = _Evidence(ds)
    origins = cols["origins"] = []  # not an edge attribute: what the counts read, found with the confidence
    low = cols["low_graded"] = []  # nor this: the counts list the low-graded claims
    for cid, c in ds.claims.items():  # keyed by claim id
        subjects.append(c.subject)
        objects.append(c.object)
        keys.append(cid)
        cited, sources_rank, best, support, n_origins, low_graded = evidence.of(c)
        tlp = ds.effective_tlp(c, sources_rank)
        predicate(c.predicate)
        status(c.status)
        confidence(capped(support, c.status, onto))
        origins.append(n_origins)
        low.append(low_graded)
        start(c.start)
        end(c.end)
        first, last = valid_days(c)
        lo(first)
        hi(last)
        tlp_col(tlp)
        tlp_rank_col(tlp_rank[tlp])
        reliability(evidence.reliability_name[best])
        reliability_rank(best)
        sources(cited)
        sym(symmetric[c.predicate])
    return EdgeTable(list(ds.entities), subjects, objects, keys, cols)


def confidences(ds: Dataset) -> list[float]:
    """Each claim's confidence, in claim order: the ``confidence`` column alone (claims cited alike
    worked out once)."""
    evidence, onto = _Evidence(ds), ds.ontology
    return [capped(evidence.of(c)[3], c.status, onto) for c in ds.claims.values()]


_Cited = tuple[tuple[str, ...], int, int, float, int, bool]
"""What a claim's citations give the projection: the sources' ids (cited or reported), their highest
sharing rank, the best reliability rank, the support and independent origins (before the status
caps it, :func:`~graph.model.confidence.support_and_origins`) and whether it is low-graded."""


class _Evidence:
    """:data:`_Cited` of each claim, worked out once for claims cited alike.

    It depends only on each citation's source, ``reports``, credibility and stance; bulk data
    cites the same few thousand sources with the same grades again and again. At most
    ``limit`` ways of citing are remembered at a time (as many again for claims with several
    citations), so that memory stays bounded when every claim is cited differently.
    """

    def __init__(self, ds: Dataset, limit: int = 200_000):
        self.ds, self.limit = ds, limit
        self.up = Upstreams(ds.sources)
        # claims with one citation, and with several: these are often each cited differently, and
        # clearing their memo when it is full must not lose the other's
        self.memo: dict[tuple, _Cited] = {}
        self.several: dict[tuple, _Cited] = {}
        self.rank = {n: c.rank for n, c in ds.ontology.vocabulary("reliability").concepts.items()}
        self.reliability_name = {r: n for n, r in self.rank.items()}

    def of(self, c: Claim) -> _Cited:
        cits = c.citations
        if len(cits) == 1:  # the common case
            x = cits[0]
            key: tuple = (x.source, x.reports, x.credibility, x.stance)
            memo = self.memo
        else:
            key = tuple([(x.source, x.reports, x.credibility, x.stance) for x in cits])
            memo = self.several
        found = memo.get(key)
        if found is None:
            if len(memo) >= self.limit:
                memo.clear()
            found = memo[key] = self._work_out(c)
        return found

    def _work_out(self, c: Claim) -> _Cited:
        ds, rank, sources = self.ds, self.rank, self.ds.sources
        cited = tuple(cited_sources(c.citations))
        best = min(max(rank[sources[x.source].reliability], rank[sources[x.reports].reliability] if x.reports else 0)
                   for x in c.citations)
        support, n_origins = support_and_origins(c.citations, sources, ds.ontology, self.up)
        return cited, ds.sources_tlp_rank(cited), best, support, n_origins, ds.is_low_graded(c)


def valid_days(c: Claim) -> tuple[str | None, str | None]:
    """The first and last day of a claim's valid time (None: open on that side, or undated).

    A claim covers the periods its dates name: a start alone stands for its own period, an end
    alone for its own; only ``open_end`` makes a claim run on from its start.

    >>> cit = [{"source": "s", "quote": "q"}]
    >>> valid_days(Claim(subject="a", predicate="p", object="b", start="2014", citations=cit))
    ('2014-01-01', '2014-12-31')
    >>> valid_days(Claim(subject="a", predicate="p", object="b", start="2014", end="open", citations=cit))
    ('2014-01-01', None)
    >>> valid_days(Claim(subject="a", predicate="p", object="b", citations=cit))
    (None, None)
    """
    start, end = c.start or c.end, c.end or c.start
    if start is None or end is None:
        return None, None
    return date_bounds(start)[0], None if c.open_end else date_bounds(end)[1]


def node_rows(ds: Dataset) -> list[dict]:
    """Each entity's node attributes (what filters and views read), in entity order."""
    tlp_rank: dict[str | None, int] = {n: c.rank for n, c in ds.ontology.vocabulary("tlp").concepts.items()}
    return [{"name": e.name, "types": tuple(e.types), "country": e.country, "tlp": e.tlp, "tlp_rank": tlp_rank[e.tlp]}
            for e in ds.entities.values()]


def to_networkx(ds: Dataset, table: EdgeTable | None = None) -> nx.MultiDiGraph:
    """The graph projection of a Dataset, frozen (see the module docstring for the attributes)."""
    t = table or edge_table(ds)
    G = nx.MultiDiGraph(name="thbor-graph", ontology_version=ds.ontology.version)
    G.add_nodes_from(zip(ds.entities, node_rows(ds), strict=True))
    cols = [(a, t.columns[a]) for a in EDGE_ATTRIBUTES]
    G.add_edges_from((u, v, k, {a: col[i] for a, col in cols})
                     for i, (u, v, k) in enumerate(zip(t.subjects, t.objects, t.keys, strict=True)))
    return nx.freeze(G)
