"""FollowTheMoney (Aleph, OpenSanctions) JSON Lines: entities and claims as FtM entities.

The mapping is data: ``thb:ftmSchema`` on classes (inherited) and relations, with
``thb:ftmSubject``/``thb:ftmObject`` naming the properties that hold a claim's two ends. A claim
becomes its relation's schema when both ends fit the properties' ranges, else an ``UnknownLink``.
Entities of classes mapped to nothing (groups, countries, practices) are left out, and so are
their claims; the manifest counts them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from graph.errors import Problem
from graph.load.files import RawRecord, unreadable
from graph.model.dataset import Dataset
from graph.model.ontology import Ontology
from graph.model.records import Origin
from graph.outputs import atomic_write

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
    out: list[dict[str, Any]] = []
    schemas: dict[str, str] = {}
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


def iter_ftm(path: Path, onto: Ontology) -> Iterator[RawRecord | Problem]:
    """The records of an FtM file, then its problems (the registry's reader)."""
    try:
        records, problems = read_ftm(path, onto)
    except OSError as exc:
        records, problems = [], [unreadable(str(path), exc)]
    yield from records
    yield from problems


MAX_LINE_BYTES = 1024 * 1024  # one FtM entity, as for the case files' JSON Lines


def _ftm_row(raw: bytes) -> tuple[Any, str | None]:
    """One line as an FtM entity dict, or what is wrong with its shape.

    FtM entities are flat: an id, a schema name, and properties that map names to lists of
    text. Anything else (an object as id, a name that is not a list, deep nesting) is refused
    here, before any of it is used. orjson stops at 1024 levels, so no line can exhaust the stack.
    """
    if len(raw) > MAX_LINE_BYTES:
        return None, f"line is over the limit of {MAX_LINE_BYTES} bytes"
    try:
        row = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return None, f"not valid JSON: {exc}"
    if not isinstance(row, dict):
        return row, "each line must be a JSON object"
    for key in ("id", "schema"):
        if not isinstance(row.get(key), str) or not row[key].strip():
            return row, f"'{key}' must be a non-empty text, not {type(row.get(key)).__name__}"
    props = row.get("properties")
    if props is not None and not isinstance(props, dict):
        return row, "'properties' must be an object"
    for key, values in (props or {}).items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return row, f"properties.{key}: must be a list of texts"
    datasets = row.get("datasets")
    if datasets is not None and (not isinstance(datasets, list) or not all(isinstance(d, str) and d for d in datasets)):
        return row, "'datasets' must be a list of dataset names"
    return row, None


def read_ftm(path: Path, onto: Ontology) -> tuple[list[RawRecord], list[Problem]]:
    """FtM JSON Lines (e.g. an OpenSanctions extract) as records, with a source per dataset.

    Entities map back through the ontology's ``thb:ftmSchema`` (the most general class with that
    schema); interval schemata become claims of the relation that maps to them, an
    ``UnknownLink`` the relation named in its ``role`` when there is one, else the ontology's most
    general symmetric relation.
    The evidence of each claim is the FtM record itself: its properties, verbatim, as the quote,
    and its id as the locator. Sources are graded F (not yet judged) until a curator grades them.
    """
    model = _model()
    classes = sorted((c for c in onto.classes.values() if c.ftm_schema), key=lambda c: len(c.ancestors))
    class_of: dict[str, str] = {}
    for c in classes:
        if c.ftm_schema:  # always (filtered above); the check tells the type checker
            class_of.setdefault(c.ftm_schema, c.name)
    relation_of = {r.ftm[0]: (r.name, r.ftm[1], r.ftm[2]) for r in onto.relations.values() if r.ftm}
    # an UnknownLink without a known role: the ontology's most general symmetric relation
    generic = next((r.name for r in sorted(onto.relations.values(), key=lambda r: r.name)
                    if r.symmetric and r.domain == {"Entity"} and r.range == {"Entity"}), None)
    records: list[RawRecord] = []
    problems: list[Problem] = []
    datasets: dict[str, str] = {}
    name = str(path)
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            row, error = _ftm_row(raw)
            if error:
                label = row["id"] if isinstance(row, dict) and isinstance(row.get("id"), str) else ""
                problems.append(Problem(name, lineno, label, f"not an FtM entity: {error}"))
                continue
            schema = model.get(row["schema"])
            props = row.get("properties") or {}
            rid = row["id"]
            if schema is None:
                problems.append(Problem(name, lineno, rid, f"unknown FtM schema {row.get('schema')!r}"))
                continue
            for ds_name in row.get("datasets") or [path.name[: -len('.ftm.jsonl')]]:
                datasets.setdefault(ds_name, f"ftm-{ds_name}")
            source = datasets[(row.get("datasets") or [path.name[: -len('.ftm.jsonl')]])[0]]
            citation = {"source": source, "quote": json.dumps(props, ensure_ascii=False, sort_keys=True)[:2000],
                        "locator": f"FtM entity {rid}"}
            origin = Origin(name, lineno)
            if schema.name in class_of or not schema.edge:
                cls = class_of.get(schema.name) or next((class_of[s.name] for s in schema.schemata
                                                         if s.name in class_of), None)
                if cls is None:
                    problems.append(Problem(name, lineno, rid, f"no class of the ontology maps to FtM {schema.name}"))
                    continue
                entity = {"id": rid, "type": cls, "name": (props.get("name") or props.get("full") or [rid])[0],
                          "aliases": [{"name": a} for a in props.get("alias", [])], "citations": [citation]}
                if props.get("country") and len(props["country"][0]) == 2:
                    entity["country"] = props["country"][0].upper()
                if props.get("description"):
                    entity["description"] = props["description"][0]
                records.append(RawRecord("entity", entity, origin))
                continue
            predicate: str | None
            if schema.name in relation_of:
                predicate, sp, op = relation_of[schema.name]
            else:
                roles = [r for r in props.get("role", []) if r in onto.relations]
                predicate, sp, op = (roles[0] if roles else generic), "subject", "object"
            claim = {"id": rid, "subject": (props.get(sp) or [""])[0], "predicate": predicate,
                     "object": (props.get(op) or [""])[0], "status": onto.default_status, "citations": [citation]}
            for ours, theirs in (("start", "startDate"), ("end", "endDate")):
                if props.get(theirs):
                    claim[ours] = props[theirs][0][:10]
            if props.get("description"):
                claim["note"] = props["description"][0]
            records.append(RawRecord("claim", claim, origin))
    for ds_name, sid in sorted(datasets.items()):
        records.append(RawRecord("source", {
            "id": sid, "title": f"FollowTheMoney dataset {ds_name}", "kind": "DatasetSource",
            "reliability": onto.vocabulary("reliability").ordered()[-1],  # the ungraded grade: cannot be judged
            "note": f"Imported from {path.name}; not yet graded by a curator."}, Origin(name, 0)))
    return records, problems
