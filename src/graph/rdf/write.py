"""RDF for partners: every claim as a plain triple and as a claim node that carries its evidence.

The triples are produced as text, grouped by subject, in a fixed order (sources, entities,
claims, each sorted by id), so that the same Dataset gives byte-identical files. N-Triples and
Turtle are written directly (a :class:`Terms` renders each term in full or as a prefixed name);
JSON-LD, TriG and N-Quads go through pyoxigraph. There are no blank nodes: citations and quote
selectors get IRIs of their own.

>>> from graph.load.validate import load_dataset
>>> ds = load_dataset(["data"])
>>> text = to_ntriples(ds, "https://example.org/thbor/")
>>> "<http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement>" in text
True
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import IO

from graph.model.confidence import claim_confidence
from graph.model.dataset import Dataset
from graph.model.records import Citation, Claim, Entity, Source, cited_sources
from graph.rdf.terms import DCT, OA, PREFIXES, PROV, RDF, RDFS, SCHEMA, SKOS, XSD, iri, is_local_name, literal

DEFAULT_BASE = "https://w3id.org/thbor/data/"
_DATE_TYPES = {4: "gYear", 7: "gYearMonth"}
Block = tuple[str, list[tuple[str, str]]]  # subject, [(predicate, object)]


class Namer:
    """Stable IRIs for the records of one export (as plain strings)."""

    def __init__(self, base: str):
        iri(base)  # validates
        if not base.endswith(("/", "#")):
            base += "/"
        self.base = base

    def entity(self, eid: str) -> str:
        return f"{self.base}entity/{eid}"

    def source(self, sid: str) -> str:
        return f"{self.base}source/{sid}"

    def claim(self, cid: str) -> str:
        # a hash of the claim's identity: ids derived from content can be long and carry names
        return f"{self.base}claim/{hashlib.sha256(cid.encode('utf-8')).hexdigest()[:16]}"

    def graph(self) -> str:
        return f"{self.base}graph"

    def prefixes(self, ns: str) -> dict[str, str]:
        return {"thb": ns, **PREFIXES, "ent": f"{self.base}entity/", "src": f"{self.base}source/",
                "claim": f"{self.base}claim/"}


class Terms:
    """Renders IRIs and typed literals, in full (N-Triples) or as prefixed names (Turtle)."""

    def __init__(self, namer: Namer, ns: str, turtle: bool):
        self.namer, self.turtle = namer, turtle
        self.prefixes = namer.prefixes(ns)
        self._cache: dict[str, str] = {}
        self._datatypes: dict[str, str] = {}
        self._ns = {**{v: k for k, v in self.prefixes.items()}}

    def iri(self, value: str, cache: bool = True) -> str:
        """The term for an IRI; ``cache=False`` for IRIs used once (claims, citations)."""
        term = self._cache.get(value)
        if term is None:
            term = iri(value)
            if self.turtle:
                for ns, prefix in self._ns.items():
                    if value.startswith(ns) and is_local_name(value[len(ns):]):
                        term = f"{prefix}:{value[len(ns):]}"
                        break
            if cache:
                self._cache[value] = term
        return term

    def typed(self, text: str, xsd: str) -> str:
        dt = self._datatypes.get(xsd)
        if dt is None:
            dt = self._datatypes[xsd] = self.iri(XSD + xsd)
        return f'"{text}"^^{dt}' if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text \
            else literal(text, datatype=dt)

    def date(self, value: str) -> str:
        """``2023`` as xsd:gYear, ``2023-05`` as xsd:gYearMonth, a full date as xsd:date."""
        return self.typed(value, _DATE_TYPES.get(len(value), "date"))

    def decimal(self, value: float | int) -> str:
        """A number as xsd:decimal in plain notation (no exponent)."""
        if isinstance(value, float) and (value == 0 or 1e-4 <= abs(value) < 1e15):
            text = repr(value)  # plain for this range, and much faster than Decimal
        else:
            text = format(Decimal(str(value)).normalize(), "f")
        return self.typed(text if "." in text else text + ".0", "decimal")

    def integer(self, value: int) -> str:
        return self.typed(str(int(value)), "integer")

    def header(self) -> str:
        return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in self.prefixes.items()) if self.turtle else ""


class _Vocab:
    """The terms of the ontology and of the reused vocabularies, rendered once."""

    def __init__(self, ds: Dataset, t: Terms):
        onto = ds.ontology
        self.thb = {n: t.iri(onto.iri(n)) for n in (*onto.classes, *onto.relations, *onto.qualifiers,
                                                    "reliability", "tlp", "status", "confidence", "citation",
                                                    "Citation", "position", "locator", "reports", "knownVia",
                                                    "countryCode", "credibility", "mergedFrom", "openEnded")}
        self.concept = {f: {n: t.iri(c.iri) for n, c in onto.vocabulary(f).concepts.items()}
                        for f in ("status", "reliability", "credibility", "tlp")}
        self.qualifier_concept = {n: {k: t.iri(c.iri) for k, c in v.concepts.items()} for n, v in onto.vocabularies.items()}
        self.qualifiers = onto.qualifiers
        u = lambda ns, n: t.iri(ns + n)  # noqa: E731
        self.a, self.statement, self.entity_ = u(RDF, "type"), u(RDF, "Statement"), u(PROV, "Entity")
        self.subject, self.predicate, self.object = u(RDF, "subject"), u(RDF, "predicate"), u(RDF, "object")
        self.derived = u(PROV, "wasDerivedFrom")
        self.identifier, self.title, self.publisher = u(DCT, "identifier"), u(DCT, "title"), u(DCT, "publisher")
        self.creator, self.issued, self.language = u(DCT, "creator"), u(DCT, "issued"), u(DCT, "language")
        self.description, self.url = u(DCT, "description"), u(SCHEMA, "url")
        self.start, self.end = u(SCHEMA, "startDate"), u(SCHEMA, "endDate")
        self.label, self.comment, self.alt = u(RDFS, "label"), u(RDFS, "comment"), u(SKOS, "altLabel")
        self.has_source, self.has_selector = u(OA, "hasSource"), u(OA, "hasSelector")
        self.selector, self.exact = u(OA, "TextQuoteSelector"), u(OA, "exact")


def blocks(ds: Dataset, base: str = DEFAULT_BASE, turtle: bool = False) -> Iterator[Block]:
    """Every subject of the export with its predicate-object pairs, in a fixed order."""
    t = Terms(Namer(base), ds.ontology.namespace, turtle)
    yield from _blocks(ds, t)


def _blocks(ds: Dataset, t: Terms) -> Iterator[Block]:
    v = _Vocab(ds, t)
    ent = {e: t.iri(t.namer.entity(e)) for e in ds.entities}
    src = {s: t.iri(t.namer.source(s)) for s in ds.sources}
    for s in ds.sources.values():
        yield from _source(s, t, v, src)
    for e in ds.entities.values():
        yield from _entity(e, t, v, ds, src, ent[e.id])
    plain: set[tuple[str, str, str]] = set()  # claims that differ only in dates or qualifiers share one
    for c in ds.claims.values():
        triple = (ent[c.subject], v.thb[c.predicate], ent[c.object])
        if triple not in plain:
            plain.add(triple)
            yield triple[0], [triple[1:]]
        yield from _claim(c, t, v, ds, src, ent)


def _source(s: Source, t: Terms, v: _Vocab, src: dict[str, str]) -> Iterator[Block]:
    po = [(v.a, v.entity_), (v.a, v.thb[s.kind]), (v.identifier, literal(s.id)), (v.title, literal(s.title))]
    if s.publisher:
        po.append((v.publisher, literal(s.publisher)))
    if s.author:
        po.append((v.creator, literal(s.author)))
    if s.published:
        po.append((v.issued, t.date(s.published)))
    if s.language:
        po.append((v.language, literal(s.language)))
    if s.url:
        po.append((v.url, t.iri(s.url)))
    po.append((v.thb["reliability"], v.concept["reliability"][s.reliability]))
    po.append((v.thb["tlp"], v.concept["tlp"][s.tlp]))
    if s.known_via:
        po.append((v.thb["knownVia"], src[s.known_via]))
    if s.note:
        po.append((v.comment, literal(s.note)))
    yield src[s.id], po


def _entity(e: Entity, t: Terms, v: _Vocab, ds: Dataset, src: dict[str, str], subject: str) -> Iterator[Block]:
    po = [(v.a, v.thb[typ]) for typ in e.types]
    po += [(v.identifier, literal(e.id)), (v.label, literal(e.name))]
    po += [(v.alt, literal(a.name, lang=a.lang)) for a in e.aliases]
    if e.country:
        po.append((v.thb["countryCode"], literal(e.country)))
    if e.description:
        po.append((v.description, literal(e.description)))
    if e.url:
        po.append((v.url, t.iri(e.url)))
    po.append((v.thb["tlp"], v.concept["tlp"][e.tlp]))
    po += [(v.thb["mergedFrom"], literal(m)) for m in e.merged_from]
    if e.note:
        po.append((v.comment, literal(e.note)))
    # entity citations live under the entity's IRI, with a path no entity id can take
    cits = list(_citations(e.citations, f"{t.namer.entity(e.id)}/citation/", t, v, ds, src))
    po += [(v.thb["citation"], node) for (node, _), _ in cits]
    yield subject, po
    for pair in cits:
        yield from pair


def _claim(c: Claim, t: Terms, v: _Vocab, ds: Dataset, src: dict[str, str], ent: dict[str, str]) -> Iterator[Block]:
    node_iri = t.namer.claim(c.id)
    node = t.iri(node_iri, cache=False)
    po = [(v.a, v.statement), (v.a, v.entity_), (v.identifier, literal(c.id)),
          (v.subject, ent[c.subject]), (v.predicate, v.thb[c.predicate]), (v.object, ent[c.object])]
    po += [(v.derived, src[i]) for i in cited_sources(c.citations)]
    po.append((v.thb["status"], v.concept["status"][c.status]))
    po.append((v.thb["confidence"], t.decimal(claim_confidence(c, ds.sources, ds.ontology))))
    if c.start:
        po.append((v.start, t.date(c.start)))
    if c.end:
        po.append((v.end, t.date(c.end)))
    if c.open_end:
        po.append((v.thb["openEnded"], t.typed("true", "boolean")))
    po.append((v.thb["tlp"], v.concept["tlp"][c.tlp]))
    po += [(v.thb[k], _qualifier(t, v, k, val)) for k, val in sorted(c.qualifiers.items())]
    if c.note:
        po.append((v.comment, literal(c.note)))
    cits = list(_citations(c.citations, f"{node_iri}-c", t, v, ds, src))
    po += [(v.thb["citation"], cit) for (cit, _), _ in cits]
    yield node, po
    for pair in cits:
        yield from pair


def _qualifier(t: Terms, v: _Vocab, key: str, value) -> str:
    q = v.qualifiers[key]
    if q.vocabulary:
        return v.qualifier_concept[q.vocabulary][value]
    if q.value_class:
        return v.thb[value]
    if q.datatype == "integer":
        return t.integer(value)
    if q.datatype == "decimal":
        return t.decimal(value)
    return literal(str(value))


def _citations(citations: list[Citation], prefix: str, t: Terms, v: _Vocab, ds: Dataset,
               src: dict[str, str]) -> Iterator[tuple[Block, Block]]:
    """Each citation's block and its quote selector's block; IRIs are ``prefix`` + position."""
    for i, c in enumerate(citations):
        node, selector = t.iri(f"{prefix}{i}", cache=False), t.iri(f"{prefix}{i}-quote", cache=False)
        po = [(v.a, v.thb["Citation"]), (v.thb["position"], t.integer(i)), (v.has_source, src[c.source])]
        if c.reports:
            po.append((v.thb["reports"], src[c.reports]))
        if c.credibility:
            po.append((v.thb["credibility"], v.concept["credibility"][c.credibility]))
        if c.locator:
            po.append((v.thb["locator"], literal(c.locator)))
        po.append((v.has_selector, selector))
        lang = ds.sources[c.source].language
        yield (node, po), (selector, [(v.a, v.selector), (v.exact, literal(c.quote, lang=lang))])


def write_ntriples(ds: Dataset, fh: IO[str], base: str = DEFAULT_BASE) -> int:
    """Write N-Triples to a text file handle; returns the number of triples."""
    def lines(s: str, po: list[tuple[str, str]]) -> str:
        return "".join([f"{s} {p} {o} .\n" for p, o in po])

    return _write_blocks(fh, blocks(ds, base), lines)


def write_turtle(ds: Dataset, fh: IO[str], base: str = DEFAULT_BASE) -> int:
    """Write Turtle (prefixed names, one block per subject) to a text file handle."""
    t = Terms(Namer(base), ds.ontology.namespace, turtle=True)
    fh.write(t.header())

    def block(s: str, po: list[tuple[str, str]]) -> str:
        return f"\n{s} " + " ;\n    ".join([f"{p} {o}" for p, o in po]) + " .\n"

    return _write_blocks(fh, _blocks(ds, t), block)


def _write_blocks(fh: IO[str], source: Iterator[Block], render) -> int:
    """Write rendered blocks in large pieces (fewer calls into the file object); count the triples."""
    n = 0
    chunk: list[str] = []
    for s, po in source:
        chunk.append(render(s, po))
        n += len(po)
        if len(chunk) > 5_000:
            fh.write("".join(chunk))
            chunk.clear()
    fh.write("".join(chunk))
    return n


def to_ntriples(ds: Dataset, base: str = DEFAULT_BASE) -> str:
    """The export as N-Triples text."""
    buf = io.StringIO()
    write_ntriples(ds, buf, base)
    return buf.getvalue()
