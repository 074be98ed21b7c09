"""Query filters shared by paths, neighbourhoods and network measures.

A :class:`Filters` is checked against the ontology and the graph once (:meth:`Filters.compile`),
which gives fast ``edge_ok`` and ``node_ok`` tests.

Two rules hold by default, so that an answer follows concrete evidence:

- entities whose traversal role is not traversable (context such as countries, concepts such as
  practices: see ``thb:traversalRole`` in the ontology) may be endpoints but are never passed
  through, unless ``via_context`` asks for it;
- a time window (``at``, ``date_from``/``date_to``) keeps the claims whose valid time overlaps it
  and leaves out undated claims, unless ``include_undated`` asks for them.

>>> f = Filters(avoid_types=frozenset({"Country"}))
>>> f.statuses is None    # default: every status but disputed and refuted
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from graph.errors import UsageError
from graph.model.ontology import Ontology
from graph.model.records import check_date, date_bounds
from graph.query.index import NO_DATE_HI, NO_DATE_LO, GraphIndex


@dataclass(frozen=True)
class Filters:
    """Which claims (edges) and entities (nodes) a query may use."""

    predicates: frozenset[str] = frozenset()  # only these (empty: all)
    exclude_predicates: frozenset[str] = frozenset()
    via_types: frozenset[str] = frozenset()  # intermediate nodes must have one of these types
    avoid_types: frozenset[str] = frozenset()  # intermediate nodes must have none of these
    avoid: frozenset[str] = frozenset()  # entity ids never passed through
    min_confidence: float = 0.0
    min_reliability: str | None = None  # at least one citation graded this or better
    statuses: frozenset[str] | None = None  # None: all but the contested ones (thb:contested)
    at: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    max_tlp: str | None = None
    directed: bool = False
    via_context: bool = False  # pass through context and concept entities too (marked in every answer)
    include_undated: bool = False  # a time window keeps undated claims too
    known_by: str | None = None  # only evidence published by then (applied to the Dataset: see graph.query.knowledge)

    def compile(self, G: nx.MultiDiGraph, onto: Ontology) -> Compiled:
        """Check names and contradictions; raise :class:`UsageError` with a clear message."""
        problems = self._problems(onto)
        if problems:
            raise UsageError("; ".join(problems))
        return Compiled(self, G, onto)

    def _problems(self, onto: Ontology) -> list[str]:
        out = []
        for name, values in (("--predicate", self.predicates), ("--exclude-predicate", self.exclude_predicates)):
            out += [f"{name}: unknown predicate {p!r}" for p in sorted(values - set(onto.relations))]
        for name, values in (("--via-type", self.via_types), ("--avoid-type", self.avoid_types)):
            out += [f"{name}: unknown entity type {t!r}" for t in sorted(values - set(onto.entity_types))]
        both = self.predicates & self.exclude_predicates
        if both:
            out.append(f"predicate(s) {', '.join(sorted(both))} both required and excluded")
        if self.predicates and self.predicates <= self.exclude_predicates:
            out.append("every allowed predicate is excluded")
        both = self.via_types & self.avoid_types
        if both:
            out.append(f"type(s) {', '.join(sorted(both))} both required (--via-type) and avoided (--avoid-type)")
        if not 0.0 <= self.min_confidence <= 1.0:
            out.append(f"--min-confidence must be within 0..1, not {self.min_confidence}")
        statuses = onto.vocabulary("status").ordered()
        if self.statuses is not None:
            out += [f"--status: unknown status {s!r} (expected {', '.join(statuses)})" for s in sorted(self.statuses - set(statuses))]
        if self.min_reliability is not None and self.min_reliability not in onto.vocabulary("reliability").concepts:
            out.append(f"--min-reliability: unknown grade {self.min_reliability!r}")
        if self.max_tlp is not None and self.max_tlp not in onto.vocabulary("tlp").concepts:
            out.append(f"--max-tlp: unknown level {self.max_tlp!r} (expected {', '.join(onto.vocabulary('tlp').ordered())})")
        for name, value in (("--at", self.at), ("--from", self.date_from), ("--to", self.date_to),
                            ("--known-by", self.known_by)):
            try:
                check_date(value)
            except ValueError as exc:
                out.append(f"{name}: {exc}")
        if self.at and (self.date_from or self.date_to):
            out.append("--at cannot be combined with --from/--to")
        if self.include_undated and not self.windowed:
            out.append("--include-undated needs a time window (--at, --from or --to)")
        if not out and self.date_from and self.date_to and date_bounds(self.date_from)[0] > date_bounds(self.date_to)[1]:
            out.append(f"--from {self.date_from} is after --to {self.date_to}")
        return out

    @property
    def windowed(self) -> bool:
        """True when the query asks about a time (valid time)."""
        return bool(self.at or self.date_from or self.date_to)

    def scope(self) -> str:
        """The time and traversal rules that differ from the defaults, for titles of views and pages.

        >>> Filters(date_from="2014", known_by="2016", via_context=True).scope()
        'valid from 2014; evidence published by 2016; through context and concept entities'
        """
        parts = []
        if self.at:
            parts.append(f"valid at {self.at}")
        elif self.windowed:
            parts.append("valid " + " ".join(x for x in (self.date_from and f"from {self.date_from}",
                                                          self.date_to and f"to {self.date_to}") if x))
        if self.include_undated:
            parts.append("undated claims included")
        if self.known_by:
            parts.append(f"evidence published by {self.known_by}")
        if self.via_context:
            parts.append("through context and concept entities")
        return "; ".join(parts)

    def window(self) -> tuple[str | None, str | None]:
        """The time window as ISO days (None: open)."""
        if self.at:
            return date_bounds(self.at)
        return (date_bounds(self.date_from)[0] if self.date_from else None,
                date_bounds(self.date_to)[1] if self.date_to else None)

    def describe(self) -> dict[str, Any]:
        """The filters that differ from the defaults, for output."""
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if value != getattr(Filters, name, None) and value not in (frozenset(), None, False, 0.0):
                out[name] = sorted(value) if isinstance(value, frozenset) else value
        return out


@dataclass
class Compiled:
    """Filters bound to one graph and ontology: fast node and edge tests."""

    filters: Filters
    G: nx.MultiDiGraph
    onto: Ontology
    edge_ok: Callable[[dict[str, Any]], bool] = field(init=False)

    def __post_init__(self) -> None:
        f, onto = self.filters, self.onto

        def expand(types: frozenset[str]) -> frozenset[str]:
            return frozenset(n for n, c in onto.classes.items() if c.ancestors & types)

        self.via = expand(f.via_types)
        self.avoid_t = expand(f.avoid_types)
        self.opaque_t = onto.opaque_types  # context and concept classes: marked always, passed only on request
        self.undated_left_out = 0  # undated claims a time window left out (counted by masks())
        tlp = onto.vocabulary("tlp")
        self.max_tlp_rank = tlp.rank(f.max_tlp) if f.max_tlp else None
        statuses = f.statuses if f.statuses is not None else frozenset(onto.vocabulary("status").concepts) - onto.contested_statuses
        rel_rank = onto.vocabulary("reliability").rank(f.min_reliability) if f.min_reliability else None
        lo, hi = f.window()
        self._statuses, self._rel_rank, self._window = statuses, rel_rank, (lo, hi)
        self._masks: tuple[np.ndarray, np.ndarray] | None = None
        preds, excl, minc, max_tlp = f.predicates, f.exclude_predicates, f.min_confidence, self.max_tlp_rank
        drop_undated = f.windowed and not f.include_undated

        def edge_ok(d: dict[str, Any]) -> bool:
            if (preds and d["predicate"] not in preds) or d["predicate"] in excl or d["status"] not in statuses:
                return False
            if d["confidence"] < minc or (rel_rank is not None and d["reliability_rank"] > rel_rank):
                return False
            if max_tlp is not None and d["tlp_rank"] > max_tlp:
                return False
            if drop_undated and d["lo"] is None and d["hi"] is None:
                return False  # an undated claim says nothing about the time asked for
            if lo is not None and d["hi"] is not None and d["hi"] < lo:
                return False
            return not (hi is not None and d["lo"] is not None and d["lo"] > hi)

        self.edge_ok = edge_ok

    def masks(self) -> tuple[GraphIndex, np.ndarray, np.ndarray]:
        """The graph's array index with this filter's edge mask and node mask (built once)."""
        idx = GraphIndex.of(self.G)
        if self._masks is None:
            f = self.filters
            e = np.isin(idx.status, [i for i, s in enumerate(idx.statuses) if s in self._statuses])
            if f.predicates:
                e &= np.isin(idx.predicate, [i for i, p in enumerate(idx.predicates) if p in f.predicates])
            if f.exclude_predicates:
                e &= ~np.isin(idx.predicate, [i for i, p in enumerate(idx.predicates) if p in f.exclude_predicates])
            if f.min_confidence > 0:
                e &= idx.confidence >= np.float32(f.min_confidence)
            if self._rel_rank is not None:
                e &= idx.reliability_rank <= self._rel_rank
            if self.max_tlp_rank is not None:
                e &= idx.tlp_rank <= self.max_tlp_rank
            lo, hi = self._window
            if lo is not None:
                e &= idx.hi >= int(lo.replace("-", ""))
            if hi is not None:
                e &= idx.lo <= int(hi.replace("-", ""))
            if f.windowed:
                undated = (idx.lo == NO_DATE_LO) & (idx.hi == NO_DATE_HI)
                if not f.include_undated:
                    self.undated_left_out = int(np.count_nonzero(e & undated))
                    e &= ~undated
            n = np.ones(len(idx.nodes), np.bool_)
            if self.max_tlp_rank is not None:
                n &= idx.node_tlp_rank <= self.max_tlp_rank
            if self.via:
                via = np.zeros(len(idx.nodes), np.bool_)
                for t in self.via & idx.type_nodes.keys():
                    via[idx.type_nodes[t]] = True
                n &= via
            for t in self.avoid_t & idx.type_nodes.keys():
                n[idx.type_nodes[t]] = False
            for a in f.avoid:
                if a in idx.position:
                    n[idx.position[a]] = False
            self._shown = n.copy()
            if not f.via_context:
                for t in self.opaque_t & idx.type_nodes.keys():
                    n[idx.type_nodes[t]] = False
            self._masks = (e, n)
        return (idx, *self._masks)

    def shown_mask(self) -> np.ndarray:
        """The nodes a query may show (as :meth:`shown` says), whatever their traversal role."""
        self.masks()
        return self._shown

    def node_ok(self, n: str, endpoint: bool = False) -> bool:
        """May the query pass through node ``n``? Endpoints are exempt from type and role rules."""
        if not self.shown(n, endpoint):
            return False
        return endpoint or self.filters.via_context or not self.opaque(n)

    def shown(self, n: str, endpoint: bool = False) -> bool:
        """May the query show node ``n`` (as an endpoint or a leaf), whatever its traversal role?"""
        data = self.G.nodes[n]
        if self.max_tlp_rank is not None and data["tlp_rank"] > self.max_tlp_rank:
            return False
        if endpoint:
            return True
        if n in self.filters.avoid:
            return False
        types = data["types"]
        if self.avoid_t and any(t in self.avoid_t for t in types):
            return False
        return not (self.via and not any(t in self.via for t in types))

    @property
    def statuses(self) -> frozenset[str]:
        """The claim statuses the query uses (by default every status but disputed and refuted)."""
        return frozenset(self._statuses)

    def opaque(self, n: str) -> bool:
        """True for context and concept entities: not a link between two others by default."""
        return any(t in self.opaque_t for t in self.G.nodes[n]["types"])

    def role(self, n: str) -> str:
        """The traversal role of node ``n`` (``actor``, ``context``, ``concept``, ...)."""
        return self.onto.traversal_role(self.G.nodes[n]["types"])

    def notes(self) -> list[str]:
        """What the filters left out that the reader should know of (after :meth:`masks`)."""
        self.masks()
        if not self.undated_left_out:
            return []
        return [f"{self.undated_left_out} undated claim(s) left out of the graph: an undated claim says nothing about "
                "the time asked for (--include-undated uses them, marked undated)"]

    def neighbors(self, n: str) -> dict[str, list[str]]:
        """Neighbours of ``n`` reachable over allowed edges, with the claim ids that allow it.

        Undirected by default; ``directed`` follows claims from subject to object, except for
        symmetric relations, which run both ways.
        """
        out: dict[str, list[str]] = {}
        G = self.G
        for nbr, keys in G._succ[n].items():
            ok = [k for k, d in keys.items() if self.edge_ok(d)]
            if ok:
                out[nbr] = ok
        for nbr, keys in G._pred[n].items():
            ok = [k for k, d in keys.items() if (not self.filters.directed or d["symmetric"]) and self.edge_ok(d)]
            if ok:
                out.setdefault(nbr, []).extend(ok)
        out.pop(n, None)
        return out
