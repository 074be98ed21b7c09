"""Exports for other tools: GraphML and GEXF (Gephi, yEd), CSV (spreadsheets), Neo4j.

Each writer takes a Dataset that has already been through :func:`graph.model.sharing.share` (the
export entry point does that) and writes deterministic files.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import networkx as nx

from graph.model.confidence import claim_confidence
from graph.model.dataset import Dataset
from graph.model.records import OPEN_END, Claim
from graph.outputs import atomic_write, cell
from graph.query.projection import valid_days

Rows = list[list[Any]]  # a table: a header row, then a row per record


def _evidence(ds: Dataset, c: Claim) -> str:
    parts = []
    for cit in c.citations:
        s = ds.sources[cit.source]
        parts.append(f"[{s.reliability}{cit.credibility or ''}] {s.title}: \u201c{cit.quote}\u201d")
    return " | ".join(parts)


def tool_graph(ds: Dataset) -> nx.MultiDiGraph:
    """A graph with flat attributes Gephi and yEd can filter on (no None, no lists)."""
    onto = ds.ontology
    G = nx.MultiDiGraph()
    for e in ds.entities.values():
        node: dict[str, Any] = {
            "label": e.name, "type": onto.view_group(e.types), "types": ";".join(e.types), "tlp": e.tlp,
            "country": e.country, "description": e.description, "aliases": "; ".join(a.name for a in e.aliases)}
        G.add_node(e.id, **{k: v for k, v in node.items() if v})
    for c in ds.claims.values():
        sources = ds.claim_sources(c)
        attrs: dict[str, Any] = {"id": c.id, "predicate": c.predicate, "label": onto.relations[c.predicate].label,
                                 "status": c.status, "confidence": claim_confidence(c, ds.sources, onto),
                                 "tlp": ds.effective_tlp(c), "source_count": len(sources),
                                 "sources": ";".join(s.id for s in sources), "note": c.note}
        attrs.update(_spell(c))
        G.add_edge(c.subject, c.object, key=c.id, **{k: v for k, v in attrs.items() if v not in (None, "")})
    return G


def _spell(c: Claim) -> dict[str, Any]:
    """The days a claim covers, as Gephi spells: each date stands for its whole period, a start
    alone for its own period; an open-ended claim has no ``end`` (a lasting spell) and is marked
    ``open_end``.
    """
    first, last = valid_days(c)
    if first is None:
        return {}
    return {"start": first, **({"end": last} if last else {"open_end": True})}


def end_cell(c: Claim) -> str | None:
    """A claim's end as tables write it: its date, ``open`` when it has not ended, else empty."""
    return OPEN_END if c.open_end else c.end


def write_graphml(ds: Dataset, path: Path) -> int:
    G = tool_graph(ds)
    buf = io.BytesIO()
    nx.write_graphml(G, buf, encoding="utf-8", prettyprint=True)
    atomic_write(path, buf.getvalue())
    return G.number_of_edges()


def write_gexf(ds: Dataset, path: Path) -> int:
    """GEXF 1.2; claim dates become spells (start, end) so Gephi's timeline can filter on them."""
    G = tool_graph(ds)
    buf = io.BytesIO()
    nx.write_gexf(G, buf, encoding="utf-8", prettyprint=True, version="1.2draft")
    atomic_write(path, buf.getvalue())
    return G.number_of_edges()


def _csv(rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerows([[cell(v) for v in row] for row in rows])
    return buf.getvalue()


def write_csv(ds: Dataset, folder: Path) -> int:
    """``nodes.csv``, ``edges.csv`` (a row per claim, with its evidence) and ``sources.csv``."""
    onto = ds.ontology
    nodes: Rows = [["id", "name", "type", "types", "country", "aliases", "description", "tlp"]]
    nodes += [[e.id, e.name, onto.view_group(e.types), ";".join(e.types), e.country,
               "; ".join(a.name for a in e.aliases), e.description, e.tlp] for e in ds.entities.values()]
    edges: Rows = [["id", "subject", "predicate", "object", "status", "confidence", "start", "end", "tlp", "sources",
                    "evidence", "note"]]
    for c in ds.claims.values():
        edges.append([c.id, c.subject, c.predicate, c.object, c.status, claim_confidence(c, ds.sources, onto),
                      c.start, end_cell(c), ds.effective_tlp(c), ";".join(s.id for s in ds.claim_sources(c)),
                      _evidence(ds, c), c.note])
    sources: Rows = [["id", "title", "publisher", "author", "published", "kind", "language", "reliability", "url",
                      "tlp", "note"]]
    sources += [[s.id, s.title, s.publisher, s.author, s.published, s.kind, s.language, s.reliability, s.url, s.tlp,
                 s.note] for s in ds.sources.values()]
    for name, rows in (("nodes.csv", nodes), ("edges.csv", edges), ("sources.csv", sources)):
        atomic_write(folder / name, _csv(rows))
    return len(ds.claims)


def _cypher(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True)  # a valid Cypher string or number literal


def write_neo4j(ds: Dataset, folder: Path) -> int:
    """CSV files for ``neo4j-admin database import full`` and a Cypher script for small graphs."""
    onto = ds.ontology
    nodes: Rows = [["id:ID", "name", "types:string[]", "country", "description", "tlp", ":LABEL"]]
    nodes += [[e.id, e.name, ";".join(e.types), e.country, e.description, e.tlp, ";".join(["Entity", *e.types])]
              for e in ds.entities.values()]
    rels: Rows = [[":START_ID", ":END_ID", ":TYPE", "claimId", "status", "confidence:float", "start", "end", "tlp",
                   "sources:string[]", "evidence"]]
    for c in ds.claims.values():
        rels.append([c.subject, c.object, c.predicate, c.id, c.status, claim_confidence(c, ds.sources, onto),
                     c.start, end_cell(c), ds.effective_tlp(c), ";".join(s.id for s in ds.claim_sources(c)),
                     _evidence(ds, c)])
    atomic_write(folder / "nodes.csv", _csv(nodes))
    atomic_write(folder / "relationships.csv", _csv(rels))
    lines = ["// thbor-graph: load with cypher-shell -f import.cypher (small graphs; use the CSV files and",
             "// neo4j-admin database import for large ones)",
             "CREATE CONSTRAINT thbor_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;"]
    for e in ds.entities.values():
        labels = "".join(f":`{t}`" for t in ["Entity", *e.types])
        props: dict[str, Any] = {"id": e.id, "name": e.name, "tlp": e.tlp,
                                 **({"country": e.country} if e.country else {})}
        sets = ", ".join(f"n.{k} = {_cypher(v)}" for k, v in props.items())
        lines.append(f"MERGE (n{labels} {{id: {_cypher(e.id)}}}) SET {sets};")
    for c in ds.claims.values():
        props = {"claimId": c.id, "status": c.status, "confidence": claim_confidence(c, ds.sources, onto),
                 "tlp": ds.effective_tlp(c), "evidence": _evidence(ds, c)}
        sets = ", ".join(f"r.{k} = {_cypher(v)}" for k, v in props.items())
        lines.append(f"MATCH (a:Entity {{id: {_cypher(c.subject)}}}), (b:Entity {{id: {_cypher(c.object)}}}) "
                     f"MERGE (a)-[r:`{c.predicate}` {{claimId: {_cypher(c.id)}}}]->(b) SET {sets};")
    atomic_write(folder / "import.cypher", "\n".join(lines) + "\n")
    return len(ds.claims)
