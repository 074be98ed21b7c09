"""Query filters shared by paths, neighbourhoods and network measures.

A :class:`Filters` is checked against the ontology and the graph once (:meth:`Filters.compile`),
which turns it into :class:`Rule` objects, one test on one column each. The same rules answer
for one claim or entity (``edge_ok``, ``node_ok``: a walk over networkx's dicts) and for every
claim and entity at once (``masks``: boolean arrays over the array index of
:mod:`graph.query.index`), so the two readings cannot drift apart.

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

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from graph.errors import UsageError
from graph.model.ontology import Ontology
from graph.model.records import check_date, date_bounds
from graph.query.index import NO_DATE_HI, NO_DATE_LO, GraphIndex, day_number

# The fields of Filters a problem message may name; a command line shows each as its flag.
_FIELDS = ("predicates", "exclude_predicates", "via_types", "avoid_types", "min_confidence", "statuses",
           "min_reliability", "max_tlp", "at", "date_from", "date_to", "known_by", "include_undated")


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
    known_by: str | None = None  # only evidence published by then (applied to the Dataset: graph.query.knowledge)

    def compile(self, G: nx.MultiDiGraph, onto: Ontology) -> Compiled:
        """Check names and contradictions; raise :class:`UsageError` with a clear message."""
        problems = self._problems(onto)
        if problems:
            raise UsageError("; ".join(problems), fields=_FIELDS)
        return Compiled(self, G, onto)

    def _problems(self, onto: Ontology) -> list[str]:
        """Every problem of these filters, each naming the fields it is about (see :data:`_FIELDS`)."""
        out = []
        for name, values in (("predicates", self.predicates), ("exclude_predicates", self.exclude_predicates)):
            out += [f"{name}: unknown predicate {p!r}" for p in sorted(values - set(onto.relations))]
        for name, values in (("via_types", self.via_types), ("avoid_types", self.avoid_types)):
            out += [f"{name}: unknown entity type {t!r}"
                    for t in sorted(values - set(onto.entity_types))]
        both = self.predicates & self.exclude_predicates
        if both:
            out.append(f"predicate(s) {', '.join(sorted(both))} both required and excluded")
        if self.predicates and self.predicates <= self.exclude_predicates:
            out.append("every allowed predicate is excluded")
        both = self.via_types & self.avoid_types
        if both:
            out.append(f"type(s) {', '.join(sorted(both))} both required (via_types) and avoided (avoid_types)")
        if not 0.0 <= self.min_confidence <= 1.0:
            out.append(f"min_confidence must be within 0..1, not {self.min_confidence}")
        statuses = onto.vocabulary("status").ordered()
        if self.statuses is not None:
            out += [f"statuses: unknown status {s!r} (expected {', '.join(statuses)})"
                    for s in sorted(self.statuses - set(statuses))]
        if self.min_reliability is not None and self.min_reliability not in onto.vocabulary("reliability").concepts:
            out.append(f"min_reliability: unknown grade {self.min_reliability!r}")
        if self.max_tlp is not None and self.max_tlp not in onto.vocabulary("tlp").concepts:
            levels = ", ".join(onto.vocabulary("tlp").ordered())
            out.append(f"max_tlp: unknown level {self.max_tlp!r} (expected {levels})")
        for name, value in (("at", self.at), ("date_from", self.date_from), ("date_to", self.date_to),
                            ("known_by", self.known_by)):
            try:
                check_date(value)
            except ValueError as exc:
                out.append(f"{name}: {exc}")
        if self.at and (self.date_from or self.date_to):
            out.append("at cannot be combined with date_from/date_to")
        if self.include_undated and not self.windowed:
            out.append("include_undated needs a time window (at, date_from or date_to)")
        if (not out and self.date_from and self.date_to
                and date_bounds(self.date_from)[0] > date_bounds(self.date_to)[1]):
            out.append(f"date_from {self.date_from} is after date_to {self.date_to}")
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


_COMPARE: dict[str, Callable[[Any, Any], Any]] = {">=": operator.ge, "<=": operator.le, "==": operator.eq}


@dataclass(frozen=True)
class Rule:
    """``column op operand``: one test of a compiled filter, on a claim's or an entity's column.

    ``op`` is ``in`` / ``not in`` (a one-valued column), ``any in`` / ``none in`` (``types``, which
    holds several) or a comparison (``>=``, ``<=``, ``==``). :meth:`holds` reads one value,
    :meth:`mask` every value of the array index; both apply the one operator named here.

    >>> Rule("confidence", ">=", np.float32(0.5)).holds(np.float32(0.7))
    True
    >>> Rule("types", "none in", frozenset({"Country"})).holds(("Hospital", "Country"))
    False
    """

    column: str
    op: str
    operand: Any

    def holds(self, value: Any) -> bool:
        """The test on one value (as :func:`edge_value` or :func:`node_value` reads it)."""
        if self.op in ("in", "not in"):
            return (value in self.operand) == (self.op == "in")
        if self.op in ("any in", "none in"):
            return self.operand.isdisjoint(value) == (self.op == "none in")
        return bool(_COMPARE[self.op](value, self.operand))

    def mask(self, columns: EdgeColumns | NodeColumns) -> np.ndarray:
        """The test on every value of the column at once, as a boolean array."""
        if self.op in ("in", "not in", "any in", "none in"):
            found = columns.members(self.column, self.operand)
            return found if self.op in ("in", "any in") else ~found
        return np.asarray(_COMPARE[self.op](columns.values(self.column), self.operand), np.bool_)


def edge_value(d: Mapping[str, Any], column: str) -> Any:
    """One claim's value of ``column``, read from its edge attributes as the array index holds it.

    Dates are day numbers (an open side a sentinel), confidence a float32 (the index's precision),
    and ``dated`` says whether the claim has a valid time at all.
    """
    if column == "dated":
        return d["lo"] is not None or d["hi"] is not None
    if column in ("lo", "hi"):
        return day_number(d[column], NO_DATE_LO if column == "lo" else NO_DATE_HI)
    if column == "confidence":
        return np.float32(d[column])
    return d[column]


def node_value(n: str, data: Mapping[str, Any], column: str) -> Any:
    """One entity's value of ``column`` (``id``, ``types`` or ``tlp_rank``), from its node attributes."""
    return n if column == "id" else data[column]


@dataclass(frozen=True)
class EdgeColumns:
    """Every claim's columns, from the array index (what :meth:`Rule.mask` reads for claims)."""

    idx: GraphIndex

    def values(self, column: str) -> np.ndarray:
        if column == "dated":
            return (self.idx.lo != NO_DATE_LO) | (self.idx.hi != NO_DATE_HI)
        return getattr(self.idx, column)

    def members(self, column: str, names: frozenset[str]) -> np.ndarray:
        """True where the claim's ``predicate`` or ``status`` is one of ``names`` (the index holds codes)."""
        named = {"predicate": self.idx.predicates, "status": self.idx.statuses}[column]
        return np.isin(getattr(self.idx, column), [i for i, name in enumerate(named) if name in names])


@dataclass(frozen=True)
class NodeColumns:
    """Every entity's columns, from the array index (what :meth:`Rule.mask` reads for entities)."""

    idx: GraphIndex

    def values(self, column: str) -> np.ndarray:
        if column != "tlp_rank":
            raise ValueError(f"no numeric entity column {column!r}")
        return self.idx.node_tlp_rank

    def members(self, column: str, names: frozenset[str]) -> np.ndarray:
        """True where the entity's ``id`` is one of ``names``, or one of its ``types`` is."""
        found = np.zeros(len(self.idx.nodes), np.bool_)
        if column == "id":
            found[[self.idx.position[n] for n in sorted(names) if n in self.idx.position]] = True
        else:
            for t in names & self.idx.type_nodes.keys():
                found[self.idx.type_nodes[t]] = True
        return found


def _all(rules: tuple[Rule, ...], columns: EdgeColumns | NodeColumns, size: int) -> np.ndarray:
    out = np.ones(size, np.bool_)
    for r in rules:
        out &= r.mask(columns)
    return out


class Compiled:
    """Filters bound to one graph and ontology, as rules on claims and entities (see :class:`Rule`).

    The rules on claims (``edge_rules``) and the three tiers of rules on entities (``endpoint_rules``:
    any entity a query names; ``shown_rules``: an entity a query may show; ``pass_rules``: one it may
    pass through) are made once; :meth:`edge_ok`, :meth:`shown`, :meth:`node_ok` and :meth:`masks`
    all evaluate them.
    """

    def __init__(self, filters: Filters, G: nx.MultiDiGraph, onto: Ontology):
        self.filters, self.G, self.onto = filters, G, onto
        f = filters

        def expand(types: frozenset[str]) -> frozenset[str]:
            return frozenset(n for n, c in onto.classes.items() if c.ancestors & types)

        self.via, self.avoid_t = expand(f.via_types), expand(f.avoid_types)
        self.opaque_t = onto.opaque_types  # context and concept classes: marked always, passed only on request
        self.max_tlp_rank = onto.vocabulary("tlp").rank(f.max_tlp) if f.max_tlp else None
        every = frozenset(onto.vocabulary("status").concepts)
        self._statuses = f.statuses if f.statuses is not None else every - onto.contested_statuses
        rel_rank = onto.vocabulary("reliability").rank(f.min_reliability) if f.min_reliability else None
        lo, hi = f.window()
        rules = [Rule("status", "in", self._statuses)]
        rules += [Rule("predicate", "in", f.predicates)] if f.predicates else []
        rules += [Rule("predicate", "not in", f.exclude_predicates)] if f.exclude_predicates else []
        rules += [Rule("confidence", ">=", np.float32(f.min_confidence))] if f.min_confidence > 0 else []
        rules += [Rule("reliability_rank", "<=", rel_rank)] if rel_rank is not None else []
        rules += [Rule("tlp_rank", "<=", self.max_tlp_rank)] if self.max_tlp_rank is not None else []
        rules += [Rule("hi", ">=", day_number(lo, NO_DATE_LO))] if lo is not None else []  # overlaps the window
        rules += [Rule("lo", "<=", day_number(hi, NO_DATE_HI))] if hi is not None else []
        # last, so that masks() can count what it alone leaves out: an undated claim says nothing about the time
        self._dated = Rule("dated", "==", True) if f.windowed and not f.include_undated else None
        self.edge_rules = (*rules, *([self._dated] if self._dated else []))
        self.endpoint_rules = (Rule("tlp_rank", "<=", self.max_tlp_rank),) if self.max_tlp_rank is not None else ()
        self.shown_rules = (*self.endpoint_rules,
                            *([Rule("id", "not in", f.avoid)] if f.avoid else []),
                            *([Rule("types", "none in", self.avoid_t)] if self.avoid_t else []),
                            *([Rule("types", "any in", self.via)] if self.via else []))
        passing = [] if f.via_context or not self.opaque_t else [Rule("types", "none in", self.opaque_t)]
        self.pass_rules = (*self.shown_rules, *passing)
        self._undated_left_out = 0  # counted by masks(); read through the property, which makes them
        self._masks: tuple[GraphIndex, np.ndarray, np.ndarray, np.ndarray] | None = None

    @property
    def undated_left_out(self) -> int:
        """How many undated claims a time window leaves out (none without a window, or with include_undated)."""
        self.masks()
        return self._undated_left_out

    def edge_ok(self, d: Mapping[str, Any]) -> bool:
        """May the query use the claim with these edge attributes?"""
        return all(r.holds(edge_value(d, r.column)) for r in self.edge_rules)

    def node_ok(self, n: str, endpoint: bool = False) -> bool:
        """May the query pass through node ``n``? Endpoints are exempt from type and role rules."""
        return self._holds(n, self.endpoint_rules if endpoint else self.pass_rules)

    def shown(self, n: str, endpoint: bool = False) -> bool:
        """May the query show node ``n`` (as an endpoint or a leaf), whatever its traversal role?"""
        return self._holds(n, self.endpoint_rules if endpoint else self.shown_rules)

    def _holds(self, n: str, rules: tuple[Rule, ...]) -> bool:
        data = self.G.nodes[n]
        return all(r.holds(node_value(n, data, r.column)) for r in rules)

    def masks(self) -> tuple[GraphIndex, np.ndarray, np.ndarray]:
        """The graph's array index with the edge mask and the node mask (pass rules) of these filters.

        Built once per index: a frozen graph keeps its index, a graph that may change gets a new
        one on every call (see :meth:`GraphIndex.of`), and so do these masks.
        """
        idx = GraphIndex.of(self.G)
        if self._masks is None or self._masks[0] is not idx:
            edges, nodes = EdgeColumns(idx), NodeColumns(idx)
            e = _all(tuple(r for r in self.edge_rules if r is not self._dated), edges, len(idx.keys))
            if self._dated is not None:
                dated = self._dated.mask(edges)
                self._undated_left_out = int(np.count_nonzero(e & ~dated))
                e &= dated
            shown = _all(self.shown_rules, nodes, len(idx.nodes))
            passed = shown & _all(self.pass_rules[len(self.shown_rules):], nodes, len(idx.nodes))
            self._masks = (idx, e, passed, shown)
        return self._masks[:3]

    def shown_mask(self) -> np.ndarray:
        """The nodes a query may show (as :meth:`shown` says), whatever their traversal role."""
        self.masks()
        assert self._masks is not None
        return self._masks[3]

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
        """What the filters left out that the reader should know of."""
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
