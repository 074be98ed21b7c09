"""One entity's evidence: the dossier page of the site as data and as text (``thbor show``).

A dossier lists the entity itself (types, aliases, country, description, sharing level, the ids
merged into it and the citations on the entity) and every claim it takes part in, grouped by
relation and by the side it stands on (``as subject``, ``as object``), each claim with its whole
evidence as :func:`~graph.query.evidence.claim_evidence` gives it: status, confidence, valid time,
knowledge time, qualifiers, note and every citation.

It is read through a :class:`~graph.query.results.Query`, so the filters of every other query
apply, and what they leave out is counted rather than silently dropped: a dossier that hides a
disputed claim says so. The claims of the entity are found in the graph's array index (both sides
of its row), which a projection and a workspace store both have.

>>> from graph.load.validate import load_dataset
>>> from graph.model.names import NameIndex
>>> from graph.query.projection import to_networkx
>>> from graph.query.results import Query, QueryOptions
>>> ds = load_dataset(["data"])
>>> d = dossier(Query.of(ds, to_networkx(ds), NameIndex.of(ds), QueryOptions()), "KK Park")
>>> d.entity["id"], [(g.predicate, g.side) for g in d.groups][:2]
('compound-kk-park', [('engagedIn', 'subject'), ('locatedIn', 'subject')])
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graph.model.origins import corroboration
from graph.model.records import Citation, date_bounds
from graph.query.evidence import citation_evidence, citation_text, claim_evidence, entity_summary, valid_time_text
from graph.query.filters import EdgeColumns
from graph.query.index import NO_DATE_HI, NO_DATE_LO
from graph.query.knowledge import public_by
from graph.query.paths import check_endpoints
from graph.query.results import Query

SIDES = ("subject", "object")  # the order groups are listed in: what the entity did, then what was done to it
DOT = " \u00b7 "


@dataclass
class RelationGroup:
    """The claims of one relation in which the entity stands on one ``side`` (subject or object)."""

    predicate: str
    label: str
    side: str
    claims: list[dict[str, Any]] = field(default_factory=list)  # claim evidence, each with its ``other`` entity

    def to_dict(self) -> dict[str, Any]:
        return {"predicate": self.predicate, "label": self.label, "as": self.side, "claims": self.claims}


@dataclass
class Dossier:
    """An entity with every claim it takes part in that the filters allow, and what they left out.

    ``claims_left_out`` counts the entity's claims the filters left out (for any reason: status,
    dates, confidence, a counterpart above the sharing level or avoided...); ``status_left_out``
    those among them whose status the query does not use (by default the contested ones), and
    ``undated_left_out`` (with a time window) those left out only because they are undated.
    """

    entity: dict[str, Any]
    groups: list[RelationGroup]
    info: dict[str, Any]  # the filters, and the knowledge-time report with --known-by
    claims_left_out: int = 0
    status_left_out: int = 0
    undated_left_out: int | None = None  # None: no time window
    hidden_statuses: list[str] = field(default_factory=list)  # the statuses the query leaves out

    @property
    def claim_count(self) -> int:
        return sum(len(g.claims) for g in self.groups)

    def to_dict(self) -> dict[str, Any]:
        """The dossier as JSON data (the ``thbor show --json`` schema in docs/query-json.md)."""
        out: dict[str, Any] = {"entity": self.entity, "filters": self.info["filters"]}
        if self.undated_left_out is not None:
            out["undated_left_out"] = self.undated_left_out
        if "known_by" in self.info:
            out["known_by"] = self.info["known_by"]
        return {**out, "claim_count": self.claim_count, "claims_left_out": self.claims_left_out,
                "status_left_out": self.status_left_out, "relations": [g.to_dict() for g in self.groups]}

    def notes(self) -> list[str]:
        """What the filters left out of this dossier, for people."""
        if not self.claims_left_out:
            return []
        why = []
        if self.status_left_out:
            why.append(f"{self.status_left_out} for their status ({', '.join(self.hidden_statuses)}: "
                       "--status shows them)")
        if self.undated_left_out:
            why.append(f"{self.undated_left_out} undated (--include-undated shows them)")
        return [f"{self.claims_left_out} claim(s) of {_name(self.entity)} left out by the filters"
                + (f", {' and '.join(why)}" if why else "")]

    def lines(self) -> list[str]:
        """The dossier as text: the entity, then each relation's claims with their citations."""
        e = self.entity
        out = [_name(e), f"  types: {', '.join(e['types'])} ({e['role']})"]
        if e.get("aliases"):
            out.append("  also known as: " + "; ".join(a["name"] + (f" ({a['lang']})" if a.get("lang") else "")
                                                      for a in e["aliases"]))
        for key, label in (("country", "country"), ("description", "description"), ("url", "address"),
                           ("note", "note")):
            if e.get(key):
                out.append(f"  {label}: {e[key]}")
        out.append(f"  sharing level: TLP:{e['tlp']}")
        if e.get("merged_from"):
            out.append(f"  merged from: {', '.join(e['merged_from'])}")
        if e.get("citations"):
            out.append("  cited in:")
            out += citation_lines(e["citations"], "    ")
        sides = " and ".join(f"as {s}" for s in SIDES if any(g.side == s for g in self.groups))
        out += ["", f"{self.claim_count} claim(s)" + (f", {sides}" if sides else "")]
        for g in self.groups:
            out += ["", f"as {g.side} \u2014 {g.predicate} ({g.label}): {len(g.claims)} claim(s)"]
            for ev in g.claims:
                out += _claim_lines(ev, e)
        return out


def dossier(q: Query, name: str) -> Dossier:
    """The dossier of the entity ``name`` (an id, a name or an alias) as the query's filters see it.

    Raises :class:`~graph.errors.LookupProblem` for a name that matches no entity or several, and
    :class:`~graph.errors.UsageError` for an entity above the sharing level asked for.
    """
    eid = q.names.resolve(name)
    check_endpoints(q.G, q.cf, eid)
    idx, edge_ok, _ = q.cf.masks()
    shown = q.cf.shown_mask()
    p = idx.position[eid]
    rows = [(int(i), "subject", int(idx.dst[i])) for i in idx.out_edges[idx.out_ptr[p]:idx.out_ptr[p + 1]]]
    rows += [(int(i), "object", int(idx.src[i])) for i in idx.in_edges[idx.in_ptr[p]:idx.in_ptr[p + 1]]
             if int(idx.src[i]) != p]  # a claim about itself is listed once, as subject
    kept = [r for r in rows if edge_ok[r[0]] and shown[r[2]]]
    # claims above the sharing level are not there for the query (as when the records were shared): not counted
    limit = q.cf.max_tlp_rank
    left = [r for r in rows if not (edge_ok[r[0]] and shown[r[2]])
            and (limit is None or (idx.tlp_rank[r[0]] <= limit and idx.node_tlp_rank[r[2]] <= limit))]
    statuses = q.cf.statuses
    mark = q.cf.filters.include_undated
    groups: dict[tuple[str, str], RelationGroup] = {}
    for i, side, other in kept:
        ev = claim_evidence(q.ds, q.G, idx.keys[i], mark)
        ev["citations"] = visible_citations(q, ev["citations"])
        ev["independent_origins"] = corroboration(q.ds, q.ds.claims[ev["id"]])
        ev["other"] = entity_summary(q.ds, idx.nodes[other])
        key = (ev["predicate"], side)
        if key not in groups:
            groups[key] = RelationGroup(ev["predicate"], ev["label"], side)
        groups[key].claims.append(ev)
    for g in groups.values():
        g.claims.sort(key=_when)
    ordered = [groups[k] for k in sorted(groups, key=lambda k: (SIDES.index(k[1]), k[0]))]
    info: dict[str, Any] = {"filters": q.cf.filters.describe()}
    if q.known:
        info["known_by"] = q.known.to_dict()
    every = q.ds.ontology.vocabulary("status").ordered()
    return Dossier(
        entity=entity_details(q, eid), groups=ordered, info=info, claims_left_out=len(left),
        status_left_out=sum(idx.statuses[idx.status[i]] not in statuses for i, _, _ in left),
        undated_left_out=_undated(q, left) if q.cf.filters.windowed else None,
        hidden_statuses=[s for s in every if s not in statuses])


def _undated(q: Query, left: list[tuple[int, str, int]]) -> int:
    """How many of the claims ``left`` (edge position, side, counterpart position) were left out only
    for having no date: every other rule of the filters allows them."""
    if q.cf.filters.include_undated or not left:
        return 0
    idx = q.cf.masks()[0]
    edges = np.asarray([i for i, _, _ in left], np.int64)
    ok = (idx.lo[edges] == NO_DATE_LO) & (idx.hi[edges] == NO_DATE_HI)
    ok &= q.cf.shown_mask()[np.asarray([other for _, _, other in left], np.int64)]
    columns = EdgeColumns(idx)
    for rule in q.cf.edge_rules:
        if rule.column != "dated":
            ok &= rule.mask(columns)[edges]
    return int(np.count_nonzero(ok))


def entity_details(q: Query, eid: str) -> dict[str, Any]:
    """The entity in full: its summary, then what a dossier adds (aliases, description, level, merges, citations)."""
    e = q.ds.entities[eid]
    out = entity_summary(q.ds, eid)
    more: dict[str, Any] = {
        "aliases": [{k: v for k, v in {"name": a.name, "lang": a.lang}.items() if v} for a in e.aliases] or None,
        "description": e.description, "url": e.url, "note": e.note, "tlp": e.tlp,
        "merged_from": list(e.merged_from) or None,
        "citations": visible_citations(q, [citation_evidence(q.ds, c) for c in _public(q, e.citations)]) or None}
    return {**out, **{k: v for k, v in more.items() if v is not None}}


def _public(q: Query, citations: Iterable[Citation]) -> list[Citation]:
    """With ``known_by``, the citations public by then (as :func:`graph.query.knowledge.known_by` keeps
    a claim's); the entity's own citations are not in the Dataset's claims, so they are kept here."""
    date = q.cf.filters.known_by
    if not date:
        return list(citations)
    return [c for c in citations
            if public_by(q.ds.sources[c.source].published, date)
            or (c.reports and public_by(q.ds.sources[c.reports].published, date))]


def visible_citations(q: Query, citations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The citations whose sources (cited and relayed) are at or below the sharing level asked for."""
    limit = q.cf.max_tlp_rank
    if limit is None:
        return citations
    tlp = q.ds.ontology.vocabulary("tlp")

    def ok(sid: str) -> bool:
        level = q.ds.sources[sid].tlp
        return level is None or tlp.rank(level) <= limit

    return [c for c in citations if ok(c["source"]) and ("reports" not in c or ok(c["reports"]["source"]))]


def _when(ev: dict[str, Any]) -> tuple[bool, str, str]:
    """A claim's place in its group: by the first day of its valid time, undated last, then by id."""
    first = ev.get("start") or ev.get("end")
    return (first is None, date_bounds(first)[0] if first else "", ev["id"])


def _name(e: dict[str, Any]) -> str:
    return f"{e['name']} [{e['id']}]"


def _claim_lines(ev: dict[str, Any], entity: dict[str, Any], indent: str = "  ") -> list[str]:
    """One claim in a dossier: the arrow in its real direction, its facts, its citations, its note."""
    me, other = _name(entity), _name(ev["other"])
    s, o = (me, other) if ev["subject"] == entity["id"] else (other, me)
    n = ev["independent_origins"]
    meta = [ev["status"], f"confidence {ev['confidence']:.3f}", f"{n} independent origin{'' if n == 1 else 's'}",
            f"valid {valid_time_text(ev) or 'undated'}",
            f"known since {ev.get('known_since') or '?'}", f"TLP:{ev['tlp']}"]
    meta += [f"{k}={v}" for k, v in sorted((ev.get("qualifiers") or {}).items())]
    out = [f"{indent}{s} \u2014{ev['predicate']}\u2192 {o}", f"{indent}  claim {ev['id']}{DOT}{DOT.join(meta)}"]
    out += citation_lines(ev["citations"], indent + "  ")
    if ev.get("note"):
        out.append(f"{indent}  note: {ev['note']}")
    return out


def citation_lines(citations: list[dict[str, Any]], indent: str) -> list[str]:
    """Each citation: its grade (source reliability + credibility), source, where, quote and what it relays."""
    out = []
    for c in citations:
        pub = ", ".join(x for x in (c.get("publisher"), c.get("published")) if x)
        where = f", {c['locator']}" if c.get("locator") else ""
        out.append(f"{indent}[{c['reliability']}{c.get('credibility', '')}] {c['title']} [{c['source']}]"
                   f"{f' ({pub})' if pub else ''}{where}: \u201c{c['quote']}\u201d" + citation_text(c))
        if "reports" in c:
            r = c["reports"]
            pub = ", ".join(x for x in (r.get("publisher"), r.get("published")) if x)
            out.append(f"{indent}    reporting [{r['reliability']}] {r['title']} [{r['source']}]"
                       + (f" ({pub})" if pub else "") + ": second-hand evidence")
    return out
