"""FollowTheMoney (Aleph, OpenSanctions) JSON Lines: entities and claims as FtM entities.

The mapping is data: ``thb:ftmSchema`` on classes (inherited) and relations, with
``thb:ftmSubject``/``thb:ftmObject`` naming the properties that hold a claim's two ends. A claim
becomes its relation's schema when both ends fit the properties' ranges, else an ``UnknownLink``.
Entities of classes mapped to nothing (groups, countries, practices) are left out, and so are
their claims; the manifest counts them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .dataset import Dataset
from .outputs import atomic_write

FALLBACK = ("UnknownLink", "subject", "object")


def _model():
    from followthemoney import model  # heavy: only for this format
    return model


def entity_schema(ds: Dataset, types: list[str]) -> str | None:
    """The FtM schema of an entity: the most specific mapped class among its types."""
    found = [(len(ds.ontology.classes[t].ancestors), ds.ontology.classes[t].ftm_schema)
             for t in types if t in ds.ontology.classes and ds.ontology.classes[t].ftm_schema is not None]
    schema = max(found)[1] if found else None
    return schema or None


def ftm_entities(ds: Dataset) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """FtM entity dicts (sorted by id) and the counts of what was left out."""
    model = _model()
    out, schemas = [], {}
    skipped = {"entities": 0, "claims": 0}
    for e in ds.entities.values():
        schema = entity_schema(ds, e.types)
        if schema is None:
            skipped["entities"] += 1
            continue
        schemas[e.id] = schema
        props: dict[str, list[str]] = {"name": [e.name]}
        if e.aliases:
            props["alias"] = [a.name for a in e.aliases]
        if e.country:
            props["country"] = [e.country.lower()]
        if e.description:
            props["description"] = [e.description]
        if schema == "Address":
            props["full"] = [e.name]
        out.append({"id": e.id, "schema": schema, "properties": props})
    for c in ds.claims.values():
        if c.subject not in schemas or c.object not in schemas:
            skipped["claims"] += 1
            continue
        schema_name, sp, op = ds.ontology.relations[c.predicate].ftm or FALLBACK
        schema = model.get(schema_name)
        if not (_fits(model, schema, sp, schemas[c.subject]) and _fits(model, schema, op, schemas[c.object])):
            schema_name, sp, op = FALLBACK
        sources = ds.claim_sources(c)
        props = {sp: [c.subject], op: [c.object],
                 "summary": [f"{ds.ontology.relations[c.predicate].label} ({c.status})"],
                 "publisher": sorted({s.publisher for s in sources if s.publisher}),
                 "sourceUrl": sorted({s.url for s in sources if s.url})}
        if c.start:
            props["startDate"] = [c.start]
        if c.end:
            props["endDate"] = [c.end]
        if c.note:
            props["description"] = [c.note]
        if schema_name == "UnknownLink":
            props["role"] = [c.predicate]
        out.append({"id": c.id, "schema": schema_name, "properties": {k: v for k, v in props.items() if v}})
    return out, skipped


def _fits(model, schema, prop: str, end_schema: str) -> bool:
    p = schema.get(prop) if schema is not None else None
    return p is not None and p.range is not None and model.get(end_schema).is_a(p.range)


def write_ftm(ds: Dataset, path: Path) -> tuple[int, dict[str, int]]:
    """Write FtM JSON Lines; returns the number of FtM entities and what was left out."""
    rows, skipped = ftm_entities(ds)
    atomic_write(path, "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows))
    return len(rows), skipped
