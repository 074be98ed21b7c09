"""The answers of the query commands as data: what ``thbor <query> --json`` prints is ``to_dict()``.

A :class:`Query` is a dataset and its graph seen through one set of filters; each of its methods
answers one question and returns an answer object. ``to_dict()`` gives the JSON documented in
``docs/query-json.md`` (key order included: the CLI prints it as it is), so a Python user gets
exactly what ``--json`` prints. Answers keep the ids the network functions returned and expand
them into evidence only when asked: a text answer reads no record it does not print.

Messages of :class:`~graph.errors.UsageError` raised here name fields (``max_hops``); the CLI
says them as its flags.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import networkx as nx

from graph.errors import UsageError
from graph.model.dataset import Dataset
from graph.model.records import check_date
from graph.model.sharing import level_asked
from graph.query.evidence import claim_evidence, entity_summary, path_evidence
from graph.query.filters import Compiled, Filters
from graph.query.knowledge import KnownByReport, known_by
from graph.query.network import common_neighbors, communities, connect, neighbors, rank, routes, timeline
from graph.query.paths import (
    PathResult,
    k_shortest_paths,
    most_credible_path,
    paths_up_to,
    shortest_path,
    what_they_share,
)
from graph.query.projection import to_networkx


class Names(Protocol):
    """What turns a person's name for an entity into its id (a NameIndex, or a store's names)."""

    def resolve(self, query: str) -> str: ...


@dataclass(frozen=True)
class QueryOptions:
    """The filters as a person gives them: names rather than ids, levels in any case.

    :meth:`filters` turns them into :class:`~graph.query.filters.Filters` (see there for each
    field); empty sequences and None mean "not set".
    """

    predicates: Sequence[str] | None = None
    exclude_predicates: Sequence[str] | None = None
    via_types: Sequence[str] | None = None
    avoid_types: Sequence[str] | None = None
    avoid: Sequence[str] | None = None  # entities never passed through: ids, names or aliases
    min_confidence: float = 0.0
    min_reliability: str | None = None
    statuses: Sequence[str] | None = None  # empty: every status but the contested ones
    via_context: bool = False
    at: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    include_undated: bool = False
    known_by: str | None = None
    max_tlp: str | None = None
    directed: bool = False

    @property
    def level(self) -> str | None:
        """The sharing level asked for, as the vocabulary spells it (None: every record)."""
        return level_asked(self.max_tlp)

    def known_by_date(self) -> str | None:
        """The knowledge-time date, checked; :class:`UsageError` naming ``known_by`` when it is no date."""
        if not self.known_by:
            return None
        try:
            return check_date(self.known_by) or self.known_by
        except ValueError as exc:
            raise UsageError(f"known_by: {exc}", fields=("known_by",)) from None

    def filters(self, names: Names) -> Filters:
        """The :class:`Filters` these options ask for; ``avoid`` resolved by ``names``."""
        return Filters(
            predicates=frozenset(self.predicates or ()), exclude_predicates=frozenset(self.exclude_predicates or ()),
            via_types=frozenset(self.via_types or ()), avoid_types=frozenset(self.avoid_types or ()),
            avoid=frozenset(names.resolve(a) for a in self.avoid or ()), min_confidence=self.min_confidence,
            min_reliability=self.min_reliability, statuses=frozenset(self.statuses) if self.statuses else None,
            at=self.at, date_from=self.date_from, date_to=self.date_to, max_tlp=self.level,
            directed=self.directed, via_context=self.via_context, include_undated=self.include_undated,
            known_by=self.known_by)


@dataclass(frozen=True)
class PathMode:
    """Which paths: the shortest (default), the ``k`` shortest, every simple path up to ``max_hops``
    (at most ``limit``), or the most ``credible``. One mode at a time."""

    k: int = 1
    max_hops: int | None = None
    limit: int = 100
    credible: bool = False

    def __post_init__(self) -> None:
        if sum([self.k != 1, self.max_hops is not None, self.credible]) > 1:
            raise UsageError("choose one of k, max_hops and credible", fields=("k", "max_hops", "credible"))
        if self.k < 1 or (self.max_hops is not None and self.max_hops < 1) or self.limit < 1:
            raise UsageError("k, max_hops and limit must be at least 1", fields=("k", "max_hops", "limit"))

    @property
    def name(self) -> str:
        """The mode as the JSON names it."""
        if self.max_hops is not None:
            return "max-hops"
        return "credible" if self.credible else "k-shortest" if self.k > 1 else "shortest"


class Query:
    """A dataset and its graph seen through one set of filters (``cf``), ready to answer."""

    def __init__(self, ds: Dataset, G: nx.MultiDiGraph, names: Names, cf: Compiled, *,
                 known: KnownByReport | None = None) -> None:
        self.ds, self.G, self.names, self.cf, self.known = ds, G, names, cf, known

    @classmethod
    def of(cls, ds: Dataset, G: nx.MultiDiGraph, names: Names, options: QueryOptions) -> Query:
        """Apply knowledge time (the evidence as it was public then), then check and compile the filters."""
        known = None
        date = options.known_by_date()
        if date:
            ds, known = known_by(ds, date)
            G = to_networkx(ds)
        return cls(ds, G, names, options.filters(names).compile(G, ds.ontology), known=known)

    def notes(self) -> list[str]:
        """What the filters left out (undated claims, later evidence), for people."""
        return self.cf.notes() + (self.known.notes() if self.known else [])

    def info(self) -> dict[str, Any]:
        """The filters and what they left out, as JSON data (read after the answer: it counts as it goes)."""
        out: dict[str, Any] = {"filters": self.cf.filters.describe()}
        if self.cf.filters.windowed:
            out["undated_left_out"] = self.cf.undated_left_out
        if self.known:
            out["known_by"] = self.known.to_dict()
        return out

    def name(self, eid: str) -> str:
        """An entity for people: "KK Park [compound-kk-park]"."""
        return f"{self.ds.entities[eid].name} [{eid}]"

    def path(self, a: str, b: str, mode: PathMode = PathMode()) -> PathAnswer:
        """How ``a`` and ``b`` are connected, every hop with its claims and citations."""
        src, dst = self.names.resolve(a), self.names.resolve(b)
        if src == dst:
            raise UsageError(f"A and B name the same entity, {self.name(src)}")
        if mode.max_hops is not None:
            result = paths_up_to(self.G, src, dst, self.cf, max_hops=mode.max_hops, limit=mode.limit)
        elif mode.k > 1:
            result = PathResult(k_shortest_paths(self.G, src, dst, self.cf, k=mode.k))
        else:
            p = (most_credible_path if mode.credible else shortest_path)(self.G, src, dst, self.cf)
            result = PathResult([p] if p else [])
        mark = self.cf.filters.include_undated
        paths = [path_evidence(self.ds, self.G, p, mark) for p in result.paths]
        shared = None if paths or self.cf.filters.via_context else what_they_share(self.G, src, dst, self.cf)
        return PathAnswer(entity_summary(self.ds, src), entity_summary(self.ds, dst), mode.name, self.info(),
                          paths, result.truncated, result.message, shared)

    def neighbors(self, x: str, hops: int = 1) -> NeighborsAnswer:
        """Entities within ``hops`` of ``x``, and the claims among them."""
        res = neighbors(self.G, self.names.resolve(x), hops, self.cf)
        return NeighborsAnswer(self, res["center"], res["distance"], res["claims"], res["through"], self.info())

    def connect(self, entities: Sequence[str]) -> ConnectAnswer:
        """The smallest subgraph connecting several entities (approximate Steiner tree)."""
        res = connect(self.G, [self.names.resolve(e) for e in entities], self.cf)
        return ConnectAnswer(self, res["nodes"], res["edges"], res["unreachable"], res["through"], self.info())

    def common(self, a: str, b: str) -> CommonAnswer:
        """Entities linked to both ``a`` and ``b``; shared context and concept entities apart."""
        res = common_neighbors(self.G, self.names.resolve(a), self.names.resolve(b), self.cf)
        return CommonAnswer(self, [r for r in res if r["link"]], [r for r in res if not r["link"]])

    def rank(self, by: str = "betweenness", types: Sequence[str] = (), top: int = 20) -> RankAnswer:
        """Entities ranked by ``degree``, ``betweenness`` or ``pagerank``, only of ``types`` when given."""
        unknown = sorted(set(types) - set(self.ds.ontology.entity_types))
        if unknown:
            raise UsageError(f"types: unknown entity type(s) {', '.join(unknown)}", fields=("types",))
        rows = rank(self.G, by, self.cf, types=frozenset(types), top=top)
        return RankAnswer(self, by, rows, self.info())

    def communities(self, seed: int = 0, resolution: float = 1.0) -> CommunitiesAnswer:
        """Groups of densely connected entities (Louvain, seeded), largest first."""
        return CommunitiesAnswer(self, communities(self.G, self.cf, seed, resolution))

    def routes(self) -> RoutesAnswer:
        """Country-to-country flows of people or organs, with the claims behind them."""
        return RoutesAnswer(routes(self.ds, self.G, self.cf))

    def timeline(self, entity: str | None = None) -> TimelineAnswer:
        """Dated claims in order of valid time, for the whole graph or one entity."""
        ids = timeline(self.ds, self.G, self.cf, self.names.resolve(entity) if entity else None)
        return TimelineAnswer(self, ids, self.info())

    def claim(self, claim_id: str, mark_undated: bool | None = None) -> dict[str, Any]:
        """One claim with its evidence; undated claims marked when the filters asked for them."""
        mark = self.cf.filters.include_undated if mark_undated is None else mark_undated
        return claim_evidence(self.ds, self.G, claim_id, mark)

    def entities(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        """Id, name, types, role and country of each entity."""
        return [entity_summary(self.ds, n) for n in ids]


@dataclass
class PathAnswer:
    """The paths found (``paths``: evidence trails), and why there is none (``not_connected``)."""

    source: dict[str, Any]
    target: dict[str, Any]
    mode: str
    info: dict[str, Any]
    paths: list[dict[str, Any]]
    truncated: bool = False
    message: str | None = None
    not_connected: dict[str, list[str]] | None = None  # without via_context and no path: what both meet at

    def to_dict(self) -> dict[str, Any]:
        return {"query": {"from": self.source, "to": self.target, "mode": self.mode, **self.info},
                "paths": self.paths, "truncated": self.truncated, "message": self.message,
                **({"not_connected": self.not_connected} if self.not_connected is not None else {})}


@dataclass
class NeighborsAnswer:
    """``distance`` of each entity from ``center``; ``claims`` among them (ids)."""

    query: Query = field(repr=False, compare=False)
    center: str
    distance: dict[str, int]
    claims: list[str]
    through: list[str]
    info: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        q = self.query
        return {"center": self.center, **self.info, "through": self.through,
                "nodes": [{**entity_summary(q.ds, n), "distance": d} for n, d in sorted(self.distance.items())],
                "claims": [q.claim(c) for c in self.claims]}


@dataclass
class ConnectAnswer:
    """The subgraph's entities and edges (each with its claim ids), and what it could not reach."""

    query: Query = field(repr=False, compare=False)
    nodes: list[str]
    edges: list[dict[str, Any]]
    unreachable: list[str]
    through: list[str]
    info: dict[str, Any]

    def context_hop(self, edge: dict[str, Any]) -> bool:
        """True when the edge goes into or out of a context or concept entity."""
        return bool({edge["from"], edge["to"]} & set(self.through))

    def to_dict(self) -> dict[str, Any]:
        q = self.query
        return {"nodes": q.entities(self.nodes),
                "edges": [{**e, "context_hop": self.context_hop(e), "claims": [q.claim(c) for c in e["claims"]]}
                          for e in self.edges],
                "unreachable": self.unreachable, "through": self.through, **self.info, "evidenced": not self.through}


@dataclass
class CommonAnswer:
    """Rows of ``id``, ``role``, ``claims_a`` and ``claims_b``: links, and shared context (no link)."""

    query: Query = field(repr=False, compare=False)
    links: list[dict[str, Any]]
    context: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        def row(r: dict[str, Any]) -> dict[str, Any]:
            return {**entity_summary(self.query.ds, r["id"]), "claims_a": r["claims_a"], "claims_b": r["claims_b"]}
        return {"common": [row(r) for r in self.links], "shared_context": [row(r) for r in self.context]}


@dataclass
class RankAnswer:
    """Rows of ``id`` and ``score``, best first."""

    query: Query = field(repr=False, compare=False)
    by: str
    rows: list[dict[str, Any]]
    info: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"by": self.by, **self.info,
                "ranking": [{**entity_summary(self.query.ds, r["id"]), "score": r["score"]} for r in self.rows]}


@dataclass
class CommunitiesAnswer:
    """Each community's entity ids, largest first."""

    query: Query = field(repr=False, compare=False)
    groups: list[list[str]]

    def to_dict(self) -> dict[str, Any]:
        return {"communities": [self.query.entities(c) for c in self.groups]}


@dataclass
class RoutesAnswer:
    """Rows of ``from``, ``from_name``, ``to``, ``to_name``, ``claims``, ``people``, ``organs``."""

    rows: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {"routes": self.rows}


@dataclass
class TimelineAnswer:
    """Claim ids in order of valid time."""

    query: Query = field(repr=False, compare=False)
    claims: list[str]
    info: dict[str, Any]

    def evidence(self) -> list[dict[str, Any]]:
        """Each claim with its evidence, valid time and knowledge time."""
        return [self.query.claim(c) for c in self.claims]

    def to_dict(self) -> dict[str, Any]:
        return {**self.info, "timeline": self.evidence()}
