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
from collections.abc import Callable, Iterator
from decimal import Decimal
from operator import attrgetter
from typing import IO, Any, NamedTuple

from graph.model.confidence import claim_confidence
from graph.model.dataset import Dataset
from graph.model.records import Citation, cited_sources
from graph.rdf.mapping import ROWS, Row, expand
from graph.rdf.terms import PREFIXES, XSD, iri, is_local_name, literal

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


class _CitationNode(NamedTuple):
    """A citation with what its blocks need beyond its fields (the rows of "citation" and "quote")."""

    citation: Citation
    position: int
    selector: str  # the term of its quote selector
    lang: str | None  # the language of the cited source


Step = tuple[Callable[[Any], Any], Callable[[Any], tuple[str, str]] | None, bool, bool]  # get, pair, optional, many


class _Plan:
    """The rows of :data:`~graph.rdf.mapping.ROWS` compiled for one export: every term rendered once.

    Each row becomes a step: how to get the value from a record, how to make a predicate-object
    pair of it (None when ``get`` gives the pair itself), whether it is optional, whether it is a list.
    """

    def __init__(self, ds: Dataset, t: Terms, src: dict[str, str], ent: dict[str, str]):
        onto = ds.ontology
        self.ds, self.t, self.src, self.ent = ds, t, src, ent
        self.thb = {n: t.iri(onto.iri(n)) for n in (*onto.classes, *onto.relations, *onto.qualifiers)}
        self.concept = {f: {n: t.iri(c.iri) for n, c in onto.vocabulary(f).concepts.items()}
                        for f in {r.field for rows in ROWS.values() for r in rows if r.value == "concept"}}
        self.qualifier_concept = {n: {k: t.iri(c.iri) for k, c in v.concepts.items()}
                                  for n, v in onto.vocabularies.items()}
        self.steps = {kind: [self._step(kind, r) for r in rows if r.value != "citations"]
                      for kind, rows in ROWS.items()}
        self.cites = {kind: self._term(rows[-1].predicate)  # the citations row is the last (mapping checks)
                      for kind, rows in ROWS.items() if rows[-1].value == "citations"}

    def _term(self, name: str) -> str:
        return self.t.iri(expand(name, self.ds.ontology.namespace))

    def _step(self, kind: str, row: Row) -> Step:
        t, value, pred = self.t, row.value, self._term(row.predicate)
        field = f"citation.{row.field}" if kind in ("citation", "quote") and row.field else row.field
        get: Callable[[Any], Any] = attrgetter(field) if field else _itself
        many = value in ("texts", "aliases", "classes", "cited", "qualifiers", "sources")
        if value == "fixed":
            fixed = (pred, self._term(row.const or ""))
            return (lambda _: fixed), None, False, False
        if value == "qualifiers":  # a claim's qualifiers, a citation's values
            return (lambda r: sorted(get(r).items())), lambda kv: (self.thb[kv[0]], self._qualifier(*kv)), False, True
        if value == "sources":
            return (lambda r: sorted(get(r))), lambda i: (pred, self.src[i]), row.optional, True
        if value == "cited":
            get = lambda c: cited_sources(c.citations)  # noqa: E731
        elif value == "confidence":
            get = lambda c: claim_confidence(c, self.ds.sources, self.ds.ontology)  # noqa: E731
        elif value in ("position", "selector", "quote"):
            get = attrgetter(value) if value != "quote" else _itself
        renders: dict[str, Callable[[Any], str]] = {
            "text": literal, "texts": literal, "date": t.date, "url": t.iri, "position": t.integer,
            "source": self.src.__getitem__, "cited": self.src.__getitem__, "entity": self.ent.__getitem__,
            "relation": self.thb.__getitem__, "class": self.thb.__getitem__, "classes": self.thb.__getitem__,
            "concept": self.concept.get(row.field, {}).__getitem__, "confidence": t.decimal, "selector": str,
            "flag": lambda _: t.typed("true", "boolean"), "aliases": lambda a: literal(a.name, lang=a.lang),
            "quote": lambda n: literal(n.citation.quote, lang=n.lang),
        }
        render = renders[value]
        return get, lambda x: (pred, render(x)), row.optional, many

    def fill(self, kind: str, record: Any) -> list[tuple[str, str]]:
        """The predicate-object pairs of a record, in the order of its rows (its citations aside)."""
        po: list[tuple[str, str]] = []
        for get, pair, optional, many in self.steps[kind]:
            value = get(record)
            if optional and not value:
                continue
            if pair is None:
                po.append(value)
            elif many:
                po += [pair(x) for x in value]
            else:
                po.append(pair(value))
        return po

    def _qualifier(self, key: str, value: Any) -> str:
        q = self.ds.ontology.qualifiers[key]
        if q.vocabulary:
            return self.qualifier_concept[q.vocabulary][value]
        if q.value_class:
            return self.thb[value]
        if q.datatype == "integer":
            return self.t.integer(value)
        if q.datatype == "decimal":
            return self.t.decimal(value)
        return literal(str(value))

    def with_citations(self, kind: str, subject: str, record: Any, prefix: str) -> Iterator[Block]:
        """The record's block, then a block for each citation and its quote (IRIs ``prefix`` + position)."""
        po = self.fill(kind, record)
        nodes = []
        for i, c in enumerate(record.citations):
            selector = self.t.iri(f"{prefix}{i}-quote", cache=False)
            node = _CitationNode(c, i, selector, self.ds.sources[c.source].language)
            nodes.append((self.t.iri(f"{prefix}{i}", cache=False), node))
        po += [(self.cites[kind], term) for term, _ in nodes]
        yield subject, po
        for term, node in nodes:
            yield term, self.fill("citation", node)
            yield node.selector, self.fill("quote", node)


def _itself(x: Any) -> Any:
    return x


def blocks(ds: Dataset, base: str = DEFAULT_BASE, turtle: bool = False) -> Iterator[Block]:
    """Every subject of the export with its predicate-object pairs, in a fixed order."""
    t = Terms(Namer(base), ds.ontology.namespace, turtle)
    yield from _blocks(ds, t)


def _blocks(ds: Dataset, t: Terms) -> Iterator[Block]:
    ent = {e: t.iri(t.namer.entity(e)) for e in ds.entities}
    src = {s: t.iri(t.namer.source(s)) for s in ds.sources}
    plan = _Plan(ds, t, src, ent)
    for s in ds.sources.values():
        yield src[s.id], plan.fill("source", s)
    for e in ds.entities.values():
        # entity citations live under the entity's IRI, with a path no entity id can take
        yield from plan.with_citations("entity", ent[e.id], e, f"{t.namer.entity(e.id)}/citation/")
    plain: set[tuple[str, str, str]] = set()  # claims that differ only in dates or qualifiers share one
    for c in ds.claims.values():
        triple = (ent[c.subject], plan.thb[c.predicate], ent[c.object])
        if triple not in plain:
            plain.add(triple)
            yield triple[0], [triple[1:]]
        node_iri = t.namer.claim(c.id or "")
        yield from plan.with_citations("claim", t.iri(node_iri, cache=False), c, f"{node_iri}-c")


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
