"""The one table of how records become RDF: each field's predicate, how its value is spelt, and
the JSON-LD term that names it.

The writer (:mod:`graph.rdf.write`), the reader (:mod:`graph.rdf.read`) and the JSON-LD context
(:mod:`graph.rdf.export`) all read :data:`ROWS`, so a field cannot be written under one predicate
and read under another. The rows of a record kind are in the order the writer writes them (the
exports are byte-identical from run to run, so that order is part of the format).

>>> [r.predicate for r in ROWS["source"] if r.field == "title"]
['dct:title']
>>> jsonld_context({})["@context"]["subject"]
{'@id': 'rdf:subject', '@type': '@id'}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.rdf.terms import PREFIXES

# How a row's value is written and read:
#   fixed       the object ``const`` (a class every record of the kind has)
#   text        a plain literal                    texts     a plain literal per item
#   aliases     a literal per alias, in its language
#   date        xsd:gYear, xsd:gYearMonth or xsd:date, by precision
#   url         an IRI                             flag      xsd:boolean true, written only when true
#   concept     the concept of the vocabulary named like the field
#   source      the IRI of the source with that id  entity   the IRI of the entity with that id
#   sources     the IRI of each source of a list of ids (written sorted; read back sorted)
#   relation    the ontology's term for a relation (a claim's predicate)
#   class       one class of the ontology (rdf:type)  classes  several
#   cited       the sources a claim's citations cite (written, not read: it follows from them)
#   confidence  the claim's computed confidence, xsd:decimal (written, not read)
#   qualifiers  a triple per qualifier, under the ontology's term of the qualifier's name (a claim's
#               qualifiers; on a citation node, the values its source gives)
#   citations   a node per citation, with the rows of "citation" (always the kind's last row)
#   position    the citation's place in its list, xsd:integer
#   selector    the citation's quote selector node, with the rows of "quote"
#   quote       the quote, a literal in the language of the cited source
VALUES = ("fixed", "text", "texts", "aliases", "date", "url", "flag", "concept", "source", "sources", "entity",
          "relation", "class", "classes", "cited", "confidence", "qualifiers", "citations", "position", "selector",
          "quote")
_JSONLD_TYPES = {"concept": "@id", "source": "@id", "sources": "@id", "entity": "@id", "relation": "@id",
                 "cited": "@id", "citations": "@id", "confidence": "xsd:decimal", "flag": "xsd:boolean"}
CLAIM_CLASS = "rdf:Statement"  # what makes a subject a claim node


@dataclass(frozen=True)
class Row:
    """One field of a record kind and the predicate it is written under."""

    field: str  # the record's field; "" when the value is not a field (a fixed class, a computed value)
    predicate: str  # a prefixed name; ``thb:`` is the ontology's namespace
    value: str  # one of VALUES
    optional: bool = False  # written only when set (and a reference is not guessed when unknown)
    term: str | None = None  # its name in the JSON-LD context
    const: str | None = None  # the object of a ``fixed`` row


ROWS: dict[str, tuple[Row, ...]] = {
    "source": (
        Row("", "rdf:type", "fixed", const="prov:Entity"),
        Row("kind", "rdf:type", "class"),
        Row("id", "dct:identifier", "text", term="identifier"),
        Row("title", "dct:title", "text", term="title"),
        Row("publisher", "dct:publisher", "text", optional=True),
        Row("author", "dct:creator", "text", optional=True),
        Row("published", "dct:issued", "date", optional=True),
        Row("language", "dct:language", "text", optional=True),
        Row("url", "schema:url", "url", optional=True),
        Row("reliability", "thb:reliability", "concept"),
        Row("tlp", "thb:tlp", "concept"),
        Row("known_via", "thb:knownVia", "source", optional=True),
        Row("syndicates", "thb:syndicates", "source", optional=True),
        Row("cites", "thb:cites", "sources", optional=True),
        Row("note", "rdfs:comment", "text", optional=True, term="comment"),
    ),
    "entity": (
        Row("types", "rdf:type", "classes"),
        Row("id", "dct:identifier", "text", term="identifier"),
        Row("name", "rdfs:label", "text", term="label"),
        Row("aliases", "skos:altLabel", "aliases"),
        Row("country", "thb:countryCode", "text", optional=True),
        Row("description", "dct:description", "text", optional=True),
        Row("url", "schema:url", "url", optional=True),
        Row("tlp", "thb:tlp", "concept"),
        Row("merged_from", "thb:mergedFrom", "texts"),
        Row("note", "rdfs:comment", "text", optional=True, term="comment"),
        Row("citations", "thb:citation", "citations", term="citation"),
    ),
    "claim": (
        Row("", "rdf:type", "fixed", const=CLAIM_CLASS),
        Row("", "rdf:type", "fixed", const="prov:Entity"),
        Row("id", "dct:identifier", "text", term="identifier"),
        Row("subject", "rdf:subject", "entity", term="subject"),
        Row("predicate", "rdf:predicate", "relation", term="predicate"),
        Row("object", "rdf:object", "entity", term="object"),
        Row("citations", "prov:wasDerivedFrom", "cited", term="derivedFrom"),
        Row("status", "thb:status", "concept", term="status"),
        Row("", "thb:confidence", "confidence", term="confidence"),
        Row("start", "schema:startDate", "date", optional=True),
        Row("end", "schema:endDate", "date", optional=True),
        Row("open_end", "thb:openEnded", "flag", optional=True, term="openEnded"),
        Row("tlp", "thb:tlp", "concept"),
        Row("qualifiers", "thb:", "qualifiers"),
        Row("note", "rdfs:comment", "text", optional=True, term="comment"),
        Row("citations", "thb:citation", "citations", term="citation"),
    ),
    "citation": (
        Row("", "rdf:type", "fixed", const="thb:Citation"),
        Row("", "thb:position", "position"),
        Row("source", "oa:hasSource", "source"),
        Row("reports", "thb:reports", "source", optional=True),
        Row("credibility", "thb:credibility", "concept", optional=True),
        Row("stance", "thb:stance", "concept", optional=True, term="stance"),
        Row("locator", "thb:locator", "text", optional=True),
        Row("values", "thb:", "qualifiers"),
        Row("quote", "oa:hasSelector", "selector"),
    ),
    "quote": (
        Row("", "rdf:type", "fixed", const="oa:TextQuoteSelector"),
        Row("quote", "oa:exact", "quote", term="exact"),
    ),
}


def expand(name: str, namespace: str) -> str:
    """The full IRI of a prefixed name of the table; ``thb:`` is the ontology's ``namespace``."""
    prefix, local = name.split(":", 1)
    return (namespace if prefix == "thb" else PREFIXES[prefix]) + local


def jsonld_context(prefixes: dict[str, str]) -> dict[str, Any]:
    """The JSON-LD context of an export: its prefixes and a term for every row that names one."""
    context: dict[str, Any] = dict(prefixes)
    for rows in ROWS.values():
        for row in rows:
            if row.term is not None:
                kind = _JSONLD_TYPES.get(row.value)
                context[row.term] = {"@id": row.predicate, **({"@type": kind} if kind else {})}
    return {"@context": context}


def _check(rows: dict[str, tuple[Row, ...]]) -> None:
    """Refuse a table the writer would misread: an unknown value, citations not last."""
    for kind, kind_rows in rows.items():
        for i, row in enumerate(kind_rows):
            if row.value not in VALUES:
                raise ValueError(f"{kind}.{row.field}: unknown value kind {row.value!r}")
            if row.value == "citations" and i != len(kind_rows) - 1:
                raise ValueError(f"{kind}: the citations row must be the last")


_check(ROWS)
