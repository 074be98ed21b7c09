"""Entity pages for ``thbor serve``: the dossier (:mod:`graph.query.dossier`), a page of claims at a time.

The dossier of a hub (a country of a million-claim register) lists tens of thousands of claims,
each with its citations; a page shows :data:`PER_PAGE` of them. The claims are chosen and ordered
in the array index exactly as :func:`graph.query.dossier.dossier` orders them (what the entity did,
then what was done to it; by relation; by the first day of the valid time, undated last; by id),
and only the claims of the page are read and expanded into evidence. Counts (of each relation
group, of claims left out by the filters) are those of the whole dossier.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graph.errors import UsageError
from graph.model.origins import corroboration
from graph.query.dossier import SIDES, RelationGroup, entity_details, visible_citations
from graph.query.evidence import claim_evidence, entity_summary, valid_time_text
from graph.query.index import NO_DATE_LO
from graph.query.paths import check_endpoints
from graph.query.results import Query

PER_PAGE = 50
MAX_PAGE = 100_000


@dataclass
class EntityPage:
    """One page of an entity's dossier: the entity, the groups of this page's claims and the totals."""

    entity: dict[str, Any]
    groups: list[RelationGroup]
    totals: dict[tuple[str, str], int]  # (predicate, side) -> claims in the whole dossier
    claim_count: int
    claims_left_out: int
    status_left_out: int
    hidden_statuses: list[str]
    page: int
    pages: int
    info: dict[str, Any] = field(default_factory=dict)

    def group_total(self, group: RelationGroup) -> int:
        return self.totals[(group.predicate, group.side)]


def entity_page(q: Query, eid: str, page: int = 1, per_page: int = PER_PAGE) -> EntityPage:
    """Page ``page`` (from 1) of the dossier of the entity id ``eid`` as the query's filters see it.

    Raises :class:`~graph.errors.NodeNotFound` for an id that is not served, and
    :class:`~graph.errors.UsageError` for a page out of range.
    """
    check_endpoints(q.G, q.cf, eid)
    idx, edge_ok, _ = q.cf.masks()
    shown = q.cf.shown_mask()
    p = idx.position[eid]
    out_e = idx.out_edges[idx.out_ptr[p]:idx.out_ptr[p + 1]].astype(np.int64)
    in_e = idx.in_edges[idx.in_ptr[p]:idx.in_ptr[p + 1]].astype(np.int64)
    in_e = in_e[idx.src[in_e] != p]  # a claim about itself is listed once, as subject
    edges = np.concatenate([out_e, in_e])
    sides = np.concatenate([np.zeros(out_e.size, np.int8), np.ones(in_e.size, np.int8)])
    others = np.concatenate([idx.dst[out_e], idx.src[in_e]]).astype(np.int64)
    ok = edge_ok[edges] & shown[others]
    limit = q.cf.max_tlp_rank
    left = ~ok
    if limit is not None:  # above the level: not there for the query, not counted (as in the dossier)
        left &= (idx.tlp_rank[edges] <= limit) & (idx.node_tlp_rank[others] <= limit)
    statuses = q.cf.statuses
    every = q.ds.ontology.vocabulary("status").ordered()
    left_status = sum(idx.statuses[s] not in statuses for s in idx.status[edges[left]].tolist())
    edges, sides, others = edges[ok], sides[ok], others[ok]
    # the dossier's order: side, relation, dated before undated, first day, id (lexsort: last key first),
    # in arrays: a hub of a large store has a hundred thousand claims
    by_name = np.argsort(np.asarray(idx.predicates, dtype=object)).astype(np.int64)
    name_rank = np.empty(len(idx.predicates), np.int64)
    name_rank[by_name] = np.arange(len(idx.predicates))
    predicates = name_rank[idx.predicate[edges]]
    lo = idx.lo[edges]
    keys = [idx.keys[i] for i in edges.tolist()]
    key_rank = np.empty(len(keys), np.int64)
    key_rank[np.argsort(np.asarray(keys, dtype=str), kind="stable")] = np.arange(len(keys))
    order = np.lexsort((key_rank, lo, lo == NO_DATE_LO, predicates, sides)).tolist()
    groups_at, counts = np.unique(sides.astype(np.int64) * len(idx.predicates) + predicates, return_counts=True)
    totals = {(idx.predicates[int(by_name[g % len(idx.predicates)])], SIDES[int(g // len(idx.predicates))]): int(n)
              for g, n in zip(groups_at.tolist(), counts.tolist(), strict=True)}
    pages = max(1, -(-len(order) // per_page))
    if not 1 <= page <= min(pages, MAX_PAGE):
        raise UsageError(f"page must be between 1 and {pages}", fields=("page",))
    groups: list[RelationGroup] = []
    mark = q.cf.filters.include_undated
    for i in order[(page - 1) * per_page:page * per_page]:
        ev = claim_evidence(q.ds, q.G, keys[i], mark)
        ev["citations"] = visible_citations(q, ev["citations"])
        ev["independent_origins"] = corroboration(q.ds, q.ds.claims[ev["id"]])
        ev["other"] = entity_summary(q.ds, idx.nodes[int(others[i])])
        side = SIDES[int(sides[i])]
        if not groups or (groups[-1].predicate, groups[-1].side) != (ev["predicate"], side):
            groups.append(RelationGroup(ev["predicate"], ev["label"], side))
        groups[-1].claims.append(ev)
    return EntityPage(entity_details(q, eid), groups, totals, len(order), int(np.count_nonzero(left)), left_status,
                      [s for s in every if s not in statuses], page, pages, {"filters": q.cf.filters.describe()})


def claim_view(q: Query, ev: dict[str, Any], href: dict[str, str]) -> dict[str, Any]:
    """A claim's evidence as the page shows it: names and links of both ends, its time in words, its
    qualifiers in one line, its citations with their details (``href``: entity id -> its page)."""
    ds = q.ds
    cits = []
    plain = ds.ontology.field_defaults.get("stance")  # the stance every citation has unless it says otherwise
    for c in ev["citations"]:
        meta = ", ".join(x for x in (c.get("publisher"), c.get("published"), c.get("locator")) if x)
        given = ", ".join(f"{k}: {v}" for k, v in sorted((c.get("values") or {}).items()))
        cits.append({**c, "meta": meta, "given": given, "url": _web(c.get("url")),
                     "reports": {**c["reports"], "url": _web(c["reports"].get("url"))} if "reports" in c else None,
                     "stance": c.get("stance") if c.get("stance") not in (None, plain) else None})
    quals = ", ".join(f"{k}: {v}" for k, v in sorted((ev.get("qualifiers") or {}).items()))
    return {**ev, "citations": cits, "qualifiers": quals, "when": valid_time_text(ev),
            "contested": ev["status"] in ds.ontology.contested_statuses,
            "subject_name": ds.entities[ev["subject"]].name, "object_name": ds.entities[ev["object"]].name,
            "subject_href": href.get(ev["subject"], ""), "object_href": href.get(ev["object"], "")}


def _web(url: str | None) -> str | None:
    """A link only to an http(s) address; anything else is shown as text, never followed."""
    return url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else None
