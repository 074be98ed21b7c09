"""Reading RDF written by thbor-graph (ours, or a partner's that follows the same design) back
into records, which are then validated exactly like case files.

Claim nodes (``rdf:Statement``) become claims; subjects typed with an entity class become
entities; subjects typed with a source kind become sources. Ids come from ``dct:identifier``.
Plain triples are implied by the claim nodes and are not read separately.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph

from graph.errors import InputError, Problem
from graph.load.files import RawRecord
from graph.model.ontology import Ontology
from graph.model.records import Origin
from graph.rdf.mapping import CLAIM_CLASS, ROWS, Row, expand
from graph.rdf.terms import RDF

RDF_SUFFIXES = {".ttl": pyoxigraph.RdfFormat.TURTLE, ".nt": pyoxigraph.RdfFormat.N_TRIPLES,
                ".jsonld": pyoxigraph.RdfFormat.JSON_LD, ".trig": pyoxigraph.RdfFormat.TRIG,
                ".nq": pyoxigraph.RdfFormat.N_QUADS, ".rdf": pyoxigraph.RdfFormat.RDF_XML}


def read_rdf(path: Path, onto: Ontology) -> list[RawRecord]:
    """The records an RDF file holds (unvalidated); raises InputError when it cannot be parsed."""
    fmt = RDF_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise InputError([Problem(str(path), 0, "", f"unknown RDF format (expected {', '.join(RDF_SUFFIXES)})")])
    subjects: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    try:
        for q in pyoxigraph.parse(path=str(path), format=fmt):
            subjects[_key(q.subject)][q.predicate.value].append(q.object)
    except (SyntaxError, ValueError, OSError) as exc:
        raise InputError([Problem(str(path), getattr(exc, "lineno", 0) or 0, "", f"cannot parse RDF: {exc}")]) from None
    return _Reader(onto, subjects, str(path)).records()


def iter_rdf(path: Path, onto: Ontology) -> Iterator[RawRecord | Problem]:
    """The records of an RDF file, or the problems that kept it from being read (the registry's reader)."""
    try:
        yield from read_rdf(path, onto)
    except InputError as exc:
        yield from exc.problems


def _key(term: Any) -> str:
    return term.value if isinstance(term, pyoxigraph.NamedNode) else f"_:{term.value}"


class _Reader:
    """Records from the triples of one file, by the rows of :data:`~graph.rdf.mapping.ROWS`."""

    def __init__(self, onto: Ontology, subjects: dict[str, dict[str, list[Any]]], path: str):
        self.onto, self.s, self.path = onto, subjects, path
        ns = onto.namespace
        self.ns = ns
        self.classes = {"source": set(onto.source_kinds), "entity": set(onto.entity_types)}
        self.notation = {c.iri: n for f in ("status", "reliability", "credibility", "tlp", "stance")
                         for n, c in onto.vocabulary(f).concepts.items()}
        self.concept_notation = {c.iri: n for v in onto.vocabularies.values() for n, c in v.concepts.items()}
        self.rows = {kind: [(r, expand(r.predicate, ns)) for r in rows] for kind, rows in ROWS.items()}
        self.claim_class = expand(CLAIM_CLASS, ns)
        self.ids: dict[str, str] = {}
        identifier = next(p for r, p in self.rows["source"] if r.field == "id")
        for iri, po in subjects.items():
            ident = self._one(po, identifier)
            if ident is not None:
                self.ids[iri] = ident

    def _one(self, po: dict[str, list[Any]], prop: str) -> Any:
        values = po.get(prop, [])
        return values[0].value if values else None

    def _flag(self, po: dict[str, list[Any]], prop: str) -> bool | str | None:
        """An xsd:boolean as Python, None when absent; any other value is passed on, to be reported."""
        value = self._one(po, prop)
        return {"true": True, "1": True, "false": False, "0": False}.get(value, value)

    def _local(self, iri: str | None) -> str | None:
        return iri[len(self.ns):] if iri and iri.startswith(self.ns) else None

    def _types(self, po: dict[str, list[Any]]) -> list[str]:
        return [t for t in (self._local(x.value) for x in po.get(RDF + "type", [])) if t]

    def _id(self, term: Any) -> str | None:
        return self.ids.get(term.value) if term is not None else None

    def records(self) -> list[RawRecord]:
        out = []
        for iri in sorted(self.s):
            po = self.s[iri]
            types = set(self._types(po))
            if any(x.value == self.claim_class for x in po.get(RDF + "type", [])):
                out.append(self._raw("claim", iri, self._fields("claim", po)))
            elif types & self.classes["source"]:
                out.append(self._raw("source", iri, self._fields("source", po)))
            elif types & self.classes["entity"]:
                out.append(self._raw("entity", iri, self._fields("entity", po)))
        return out

    def _raw(self, kind: str, iri: str, data: dict[str, Any]) -> RawRecord:
        data = {k: v for k, v in data.items() if v is not None and v != [] and v != {}}
        if kind != "claim":
            data.setdefault("id", iri)
        return RawRecord(kind, data, Origin(self.path, 0))

    def _fields(self, kind: str, po: dict[str, list[Any]]) -> dict[str, Any]:
        """The fields of one record: each row of its kind read back (rows written, not read, aside)."""
        data: dict[str, Any] = {}
        for row, prop in self.rows[kind]:
            if row.value not in ("fixed", "cited", "confidence", "position"):
                data[row.field] = self._value(kind, row, prop, po)
        return data

    def _value(self, kind: str, row: Row, prop: str, po: dict[str, list[Any]]) -> Any:
        value = row.value
        if value in ("text", "date", "url"):
            return self._one(po, prop)
        if value == "texts":
            return sorted(x.value for x in po.get(prop, []))
        if value == "aliases":
            return sorted(({"name": a.value, "lang": a.language} if a.language else {"name": a.value}
                           for a in po.get(prop, [])), key=lambda a: (a["name"], a.get("lang") or ""))
        if value == "flag":
            return self._flag(po, prop)
        if value == "concept":
            return self.notation.get(self._one(po, prop))
        if value == "sources":
            return sorted(self._id(x) or x.value for x in po.get(prop, []))
        if value in ("source", "entity"):  # an unknown required reference is kept, for the checks to name
            return self._id((po.get(prop) or [None])[0]) or (None if row.optional else self._one(po, prop))
        if value == "relation":
            return self._local(self._one(po, prop)) or self._one(po, prop)
        if value in ("class", "classes"):
            found = [t for t in self._types(po) if t in self.classes[kind]]
            return found if value == "classes" else found[0]
        if value == "qualifiers":
            return self._qualifiers(po)
        if value == "citations":
            return self._citations(po, prop)
        if value == "selector":
            node = po.get(prop)
            selector = self.s.get(_key(node[0]), {}) if node else {}
            return self._fields("quote", selector)["quote"]
        if value == "quote":
            return self._one(po, prop)
        raise ValueError(f"{kind}.{row.field}: the reader does not know the value kind {value!r}")

    def _qualifiers(self, po: dict[str, list[Any]]) -> dict[str, Any]:
        qualifiers = {}
        for name, q in self.onto.qualifiers.items():
            value = (po.get(self.ns + name) or [None])[0]
            if value is None:
                continue
            if q.vocabulary:
                qualifiers[name] = self.concept_notation.get(value.value, value.value)
            elif q.value_class:
                qualifiers[name] = self._local(value.value) or value.value
            elif q.datatype in ("decimal", "integer"):
                number = Decimal(value.value)
                qualifiers[name] = int(number) if number == number.to_integral_value() else float(number)
            else:
                qualifiers[name] = value.value
        return qualifiers

    def _citations(self, po: dict[str, list[Any]], prop: str) -> list[dict[str, Any]]:
        position = next(p for r, p in self.rows["citation"] if r.value == "position")
        found = []
        for node in po.get(prop, []):
            cpo = self.s.get(_key(node), {})
            at = self._one(cpo, position)
            found.append((int(at) if at is not None else 0, self._fields("citation", cpo)))
        return [{k: v for k, v in c.items() if v is not None} for _, c in sorted(found, key=lambda x: x[0])]
