"""RDF for partners: every claim as a plain triple and as a claim node that carries its evidence.

The triples are produced as N-Triples text, grouped by subject, in a fixed order (sources,
entities, claims, each sorted by id), so that the same Dataset gives byte-identical files.
N-Triples and Turtle are written directly; JSON-LD, TriG and N-Quads go through pyoxigraph.
There are no blank nodes: citations and quote selectors get IRIs under their claim's IRI.

>>> from graph.validate import load_dataset
>>> ds = load_dataset(["data"])
>>> text = to_ntriples(ds, "https://example.org/thbor/")
>>> "<http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement>" in text
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from .confidence import claim_confidence
from .dataset import Dataset
from .records import Citation, Claim, Entity, Source
from .rdf_terms import (DCT, OA, PREFIXES, PROV, RDF, RDFS, SCHEMA, SKOS, compact, date_literal,
                        decimal_literal, integer_literal, iri, literal)

DEFAULT_BASE = "https://w3id.org/thbor/data/"
Block = tuple[str, list[tuple[str, str]]]  # subject, [(predicate, object)]


class Namer:
    """Stable IRIs for the records of one export."""

    def __init__(self, base: str):
        iri(base)  # validates
        if not base.endswith(("/", "#")):
            base += "/"
        self.base = base

    def entity(self, eid: str) -> str:
        return iri(f"{self.base}entity/{eid}")

    def source(self, sid: str) -> str:
        return iri(f"{self.base}source/{sid}")

    def claim(self, cid: str) -> str:
        # a hash of the claim's identity: ids derived from content can be long and carry names
        return iri(f"{self.base}claim/{hashlib.sha256(cid.encode('utf-8')).hexdigest()[:16]}")

    def graph(self) -> str:
        return iri(f"{self.base}graph")

    def prefixes(self, ns: str) -> dict[str, str]:
        return {"thb": ns, **PREFIXES, "ent": f"{self.base}entity/", "src": f"{self.base}source/",
                "claim": f"{self.base}claim/"}


def blocks(ds: Dataset, base: str = DEFAULT_BASE) -> Iterator[Block]:
    """Every subject of the export with its predicate-object pairs, in a fixed order."""
    names = Namer(base)
    onto = ds.ontology
    t = _Vocab(ds)
    for s in ds.sources.values():
        yield from _source(s, names, t)
    for e in ds.entities.values():
        yield from _entity(e, names, t, ds)
    plain: set[tuple[str, str, str]] = set()  # claims that differ only in dates or qualifiers share one
    for c in ds.claims.values():
        triple = (names.entity(c.subject), iri(onto.iri(c.predicate)), names.entity(c.object))
        if triple not in plain:
            plain.add(triple)
            yield triple[0], [triple[1:]]
        yield from _claim(c, names, t, ds)


class _Vocab:
    """IRIs of the ontology terms the export uses, rendered once."""

    def __init__(self, ds: Dataset):
        onto = ds.ontology
        self.thb = lambda name: iri(onto.iri(name))
        self.concept = {f: {n: iri(c.iri) for n, c in onto.vocabulary(f).concepts.items()}
                        for f in ("status", "reliability", "credibility", "tlp")}
        self.qualifiers = onto.qualifiers
        self.onto = onto
        self.a = iri(RDF + "type")


def _source(s: Source, names: Namer, t: _Vocab) -> Iterator[Block]:
    po = [(t.a, iri(PROV + "Entity")), (t.a, t.thb(s.kind)), (iri(DCT + "identifier"), literal(s.id)),
          (iri(DCT + "title"), literal(s.title))]
    if s.publisher:
        po.append((iri(DCT + "publisher"), literal(s.publisher)))
    if s.author:
        po.append((iri(DCT + "creator"), literal(s.author)))
    if s.published:
        po.append((iri(DCT + "issued"), date_literal(s.published)))
    if s.language:
        po.append((iri(DCT + "language"), literal(s.language)))
    if s.url:
        po.append((iri(SCHEMA + "url"), iri(s.url)))
    po.append((t.thb("reliability"), t.concept["reliability"][s.reliability]))
    po.append((t.thb("tlp"), t.concept["tlp"][s.tlp]))
    if s.known_via:
        po.append((t.thb("knownVia"), names.source(s.known_via)))
    if s.note:
        po.append((iri(RDFS + "comment"), literal(s.note)))
    yield names.source(s.id), po


def _entity(e: Entity, names: Namer, t: _Vocab, ds: Dataset) -> Iterator[Block]:
    subject = names.entity(e.id)
    po = [(t.a, t.thb(typ)) for typ in e.types]
    po += [(iri(DCT + "identifier"), literal(e.id)), (iri(RDFS + "label"), literal(e.name))]
    po += [(iri(SKOS + "altLabel"), literal(a.name, lang=a.lang)) for a in e.aliases]
    if e.country:
        po.append((t.thb("countryCode"), literal(e.country)))
    if e.description:
        po.append((iri(DCT + "description"), literal(e.description)))
    if e.url:
        po.append((iri(SCHEMA + "url"), iri(e.url)))
    po.append((t.thb("tlp"), t.concept["tlp"][e.tlp]))
    if e.note:
        po.append((iri(RDFS + "comment"), literal(e.note)))
    cits = list(_citations(e.citations, subject, names, t, ds))
    po += [(t.thb("citation"), node) for (node, _), _ in cits]
    yield subject, po
    for pair in cits:
        yield from pair


def _claim(c: Claim, names: Namer, t: _Vocab, ds: Dataset) -> Iterator[Block]:
    node = names.claim(c.id)
    po = [(t.a, iri(RDF + "Statement")), (t.a, iri(PROV + "Entity")), (iri(DCT + "identifier"), literal(c.id)),
          (iri(RDF + "subject"), names.entity(c.subject)), (iri(RDF + "predicate"), t.thb(c.predicate)),
          (iri(RDF + "object"), names.entity(c.object))]
    po += [(iri(PROV + "wasDerivedFrom"), names.source(s.id)) for s in ds.claim_sources(c)]
    po.append((t.thb("status"), t.concept["status"][c.status]))
    po.append((t.thb("confidence"), decimal_literal(claim_confidence(c, ds.sources, ds.ontology))))
    if c.start:
        po.append((iri(SCHEMA + "startDate"), date_literal(c.start)))
    if c.end:
        po.append((iri(SCHEMA + "endDate"), date_literal(c.end)))
    po.append((t.thb("tlp"), t.concept["tlp"][c.tlp]))
    po += [(t.thb(k), _qualifier(t, k, v)) for k, v in sorted(c.qualifiers.items())]
    if c.note:
        po.append((iri(RDFS + "comment"), literal(c.note)))
    cits = list(_citations(c.citations, node, names, t, ds))
    po += [(t.thb("citation"), cit) for (cit, _), _ in cits]
    yield node, po
    for pair in cits:
        yield from pair


def _qualifier(t: _Vocab, key: str, value) -> str:
    q = t.qualifiers[key]
    if q.vocabulary:
        return iri(t.onto.vocabularies[q.vocabulary].concepts[value].iri)
    if q.value_class:
        return t.thb(value)
    if q.datatype == "integer":
        return integer_literal(value)
    if q.datatype == "decimal":
        return decimal_literal(value)
    return literal(str(value))


def _citations(citations: list[Citation], owner: str, names: Namer, t: _Vocab,
               ds: Dataset) -> Iterator[tuple[Block, Block]]:
    """Each citation's block and its quote selector's block."""
    base = owner[1:-1]
    for i, c in enumerate(citations):
        node, selector = iri(f"{base}#citation-{i}"), iri(f"{base}#citation-{i}-quote")
        po = [(t.a, t.thb("Citation")), (t.thb("position"), integer_literal(i)), (iri(OA + "hasSource"), names.source(c.source))]
        if c.reports:
            po.append((t.thb("reports"), names.source(c.reports)))
        if c.credibility:
            po.append((t.thb("credibility"), t.concept["credibility"][c.credibility]))
        if c.locator:
            po.append((t.thb("locator"), literal(c.locator)))
        po.append((iri(OA + "hasSelector"), selector))
        lang = ds.sources[c.source].language
        yield (node, po), (selector, [(t.a, iri(OA + "TextQuoteSelector")),
                                      (iri(OA + "exact"), literal(c.quote, lang=lang))])


def to_ntriples(ds: Dataset, base: str = DEFAULT_BASE) -> str:
    """The export as N-Triples text."""
    return "".join(f"{s} {p} {o} .\n" for s, po in blocks(ds, base) for p, o in po)


def write_ntriples(ds: Dataset, fh, base: str = DEFAULT_BASE) -> int:
    """Write N-Triples to a text file handle; returns the number of triples."""
    n = 0
    for s, po in blocks(ds, base):
        fh.write("".join(f"{s} {p} {o} .\n" for p, o in po))
        n += len(po)
    return n


def write_turtle(ds: Dataset, fh, base: str = DEFAULT_BASE) -> int:
    """Write Turtle (prefixed names, one block per subject) to a text file handle."""
    prefixes = Namer(base).prefixes(ds.ontology.namespace)
    for p, ns in prefixes.items():
        fh.write(f"@prefix {p}: <{ns}> .\n")
    n = 0
    for s, po in blocks(ds, base):
        body = " ;\n    ".join(f"{compact(p, prefixes)} {compact(o, prefixes)}" for p, o in po)
        fh.write(f"\n{compact(s, prefixes)} {body} .\n")
        n += len(po)
    return n
