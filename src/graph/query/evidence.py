"""The evidence behind claims and paths, as plain data (for JSON) and as text (for people).

Plain data follows the schema documented in ``docs/query-json.md``.
"""

from __future__ import annotations

import itertools
from typing import Any

import networkx as nx

from graph.model.dataset import Dataset
from graph.model.records import Citation
from graph.query.knowledge import earliest
from graph.query.paths import GraphPath


def entity_summary(ds: Dataset, eid: str) -> dict[str, Any]:
    """Id, name, types, traversal role (actor, context, concept) and country of an entity."""
    e = ds.entities[eid]
    out: dict[str, Any] = {"id": e.id, "name": e.name, "types": list(e.types),
                           "role": ds.ontology.traversal_role(e.types)}
    if e.country:
        out["country"] = e.country
    return out


def citation_evidence(ds: Dataset, cit: Citation) -> dict[str, Any]:
    """One citation in full: its source, grades, quote and locator, what it relays (``reports``),
    and, when it gives them, its stance (a source that denies the claim) and the values it states."""
    src = ds.sources[cit.source]
    item: dict[str, Any] = {"source": src.id, "title": src.title, "publisher": src.publisher,
                            "published": src.published, "url": src.url, "kind": src.kind,
                            "reliability": src.reliability, "credibility": cit.credibility,
                            "quote": cit.quote, "locator": cit.locator, "stance": cit.stance,
                            "values": cit.values or None}
    if cit.reports:
        orig = ds.sources[cit.reports]
        item["reports"] = {k: v for k, v in {"source": orig.id, "title": orig.title, "publisher": orig.publisher,
                                             "published": orig.published, "url": orig.url,
                                             "reliability": orig.reliability}.items() if v is not None}
    return {k: v for k, v in item.items() if v is not None}


def citation_text(c: dict[str, Any]) -> str:
    """The stance and values of a citation (as :func:`citation_evidence` gives them), for people."""
    values = ", ".join(f"{k}={v}" for k, v in sorted((c.get("values") or {}).items()))
    return "".join(f" [{x}]" for x in (c.get("stance"), values) if x)


def claim_evidence(ds: Dataset, G: nx.MultiDiGraph, claim_id: str, mark_undated: bool = False) -> dict[str, Any]:
    """A claim with its status, confidence, valid time, knowledge time and every citation in full.

    ``known_since`` is the earliest published date of the sources it cites; ``open_end`` says the
    claim runs on from its start; ``mark_undated`` adds ``"undated": true`` to a claim without
    dates (for answers to a time window that included undated claims on request).
    """
    c = ds.claims[claim_id]
    d = G.edges[c.subject, c.object, c.id]
    citations = [citation_evidence(ds, cit) for cit in c.citations]
    out = {"id": c.id, "subject": c.subject, "predicate": c.predicate, "object": c.object,
           "label": ds.ontology.relations[c.predicate].label, "status": c.status,
           "confidence": d["confidence"], "start": c.start, "end": c.end, "open_end": c.open_end or None,
           "undated": True if mark_undated and not (c.start or c.end) else None,
           # from the sources already read for the citations: a store reads each record from disk
           "known_since": earliest([x.get("published") for x in citations]
                                   + [x["reports"].get("published") for x in citations if "reports" in x]),
           "tlp": d["tlp"],
           "qualifiers": c.qualifiers or None, "note": c.note, "citations": citations}
    return {k: v for k, v in out.items() if v is not None}


def path_evidence(ds: Dataset, G: nx.MultiDiGraph, path: GraphPath, mark_undated: bool = False) -> dict[str, Any]:
    """A path: its entities, its confidence and, for every hop, each claim with its direction.

    ``evidenced`` is false when the path passes through context or concept entities (listed in
    ``through``); each hop into or out of one has ``"context_hop": true``.
    """
    through = set(path.through)
    hops = []
    for (u, v), keys in zip(itertools.pairwise(path.nodes), path.hops, strict=False):
        claims = []
        for k in keys:
            ev = claim_evidence(ds, G, k, mark_undated)
            ev["direction"] = "forward" if ev["subject"] == u else "backward"
            claims.append(ev)
        hops.append({"from": u, "to": v, "context_hop": bool({u, v} & through), "claims": claims})
    return {"length": len(path), "confidence": path.confidence, "evidenced": path.evidenced,
            "through": list(path.through), "nodes": [entity_summary(ds, n) for n in path.nodes], "hops": hops}


def _name(ds: Dataset, eid: str) -> str:
    return f"{ds.entities[eid].name} [{eid}]"


def claim_lines(ds: Dataset, ev: dict[str, Any], walked_from: str | None = None, indent: str = "    ") -> list[str]:
    """Text lines for one claim: the arrow in the claim's real direction, then each citation."""
    s, o = _name(ds, ev["subject"]), _name(ds, ev["object"])
    if walked_from is not None and ev["object"] == walked_from:
        head = f"{o} \u2190{ev['predicate']}\u2014 {s}"  # walked against the claim's direction
    else:
        head = f"{s} \u2014{ev['predicate']}\u2192 {o}"
    when = valid_time_text(ev)
    meta = [ev["status"], f"confidence {ev['confidence']:.3f}"] + ([when] if when else [])
    quals = ", ".join(f"{k}={v}" for k, v in sorted((ev.get("qualifiers") or {}).items()))
    dot = " \u00b7 "
    lines = [f"{indent}{head}", f"{indent}  claim {ev['id']}{dot}{dot.join(meta)}" + (f"{dot}{quals}" if quals else "")]
    for c in ev["citations"]:
        grade = f"{c['reliability']}{c.get('credibility', '')}"
        pub = ", ".join(x for x in (c.get("publisher"), c.get("published")) if x)
        where = f", {c['locator']}" if c.get("locator") else ""
        lines.append(f"{indent}  [{grade}] {c['title']}{f' ({pub})' if pub else ''}{where}: \u201c{c['quote']}\u201d"
                     + citation_text(c))
        if "reports" in c:
            r = c["reports"]
            lines.append(f"{indent}        reporting [{r['reliability']}] {r['title']}"
                         + (f" ({r['publisher']})" if r.get("publisher") else ""))
    if ev.get("note"):
        lines.append(f"{indent}  note: {ev['note']}")
    return lines


def valid_time_text(ev: dict[str, Any]) -> str:
    """A claim's valid time for people: "2014", "2019\u20132021", "2019\u2013open", "undated" or ""."""
    if ev.get("undated"):
        return "undated"
    end = "open" if ev.get("open_end") else ev.get("end")
    return "\u2013".join(x for x in (ev.get("start"), end) if x)


def role_text(ds: Dataset, eid: str) -> str:
    """An entity's name with its type and traversal role, e.g. "Cambodia (Country, context)"."""
    e = ds.entities[eid]
    return f"{e.name} ({', '.join(e.types)}, {ds.ontology.traversal_role(e.types)})"


def path_lines(ds: Dataset, pe: dict[str, Any], number: int) -> list[str]:
    """Text lines for one path and its evidence trail; hops through context or concept marked."""
    head = f"Path {number}: {pe['length']} hop(s), confidence {pe['confidence']:.4g}"
    if pe["through"]:
        head += (" \u2014 through " + "; ".join(role_text(ds, n) for n in pe["through"])
                 + ": not evidence that the two are linked")
    lines = [head, "  " + " \u2014 ".join(n["name"] for n in pe["nodes"])]
    for hop in pe["hops"]:
        if hop["context_hop"]:
            lines.append("    [context/concept hop]")
        for ev in hop["claims"]:
            lines.extend(claim_lines(ds, ev, walked_from=hop["from"]))
    return lines
