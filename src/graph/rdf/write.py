"""RDF for partners: every claim as a plain triple and as a claim node that carries its evidence.

The triples are produced as text, grouped by subject, in a fixed order (sources, entities,
claims, each sorted by id), so that the same Dataset gives byte-identical files. N-Triples and
Turtle are written directly, and from one walk over the records: :class:`Terms` renders an IRI
that has a prefixed name with a marker character for its namespace and one for its end, and each
chunk of text becomes N-Triples (``<namespace...>``) or Turtle (``prefix:...``) by a few
``str.replace`` passes over it; walking the records is the costly part, and is done once.
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
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from operator import attrgetter
from typing import IO, Any, NamedTuple

from graph.model.confidence import confidence_and_origins
from graph.model.dataset import Dataset
from graph.model.origins import Upstreams
from graph.model.records import Citation, cited_sources
from graph.rdf.compiled import Render, Step, compile_steps
from graph.rdf.mapping import ROWS, Row, expand
from graph.rdf.terms import PREFIXES, XSD, iri, is_local_name, literal

DEFAULT_BASE = "https://w3id.org/thbor/data/"
_DATE_TYPES = {4: "gYear", 7: "gYearMonth"}
Block = tuple[str, list[str]]  # subject, ["predicate object"], terms marked (see Terms)
_END = "\x01"  # ends a marked IRI; control characters never stand unescaped in a term or literal
_OPEN = [chr(c) for c in range(0x0E, 0x20)]  # a marked IRI starts with its namespace's marker


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
    """Renders IRIs and typed literals, an IRI with a prefixed name as a *marked* term.

    A marked term is its namespace's marker (one character of :data:`_OPEN`), the local name and
    :data:`_END`; :meth:`finish` turns text of marked terms into N-Triples (the IRI in full) or
    Turtle (the prefixed name), one ``str.replace`` per marker (single characters: the fastest).
    IRIs without a prefixed name (no namespace fits, or the local name needs escapes) are written
    in full in both.
    """

    def __init__(self, namer: Namer, ns: str):
        self.namer = namer
        self.prefixes = namer.prefixes(ns)
        self._cache: dict[str, str] = {}
        self._datatypes: dict[str, str] = {}
        self._ns = {v: k for k, v in self.prefixes.items()}  # the last prefix of a namespace names it
        self._open = dict(zip(self._ns, _OPEN, strict=False))  # more namespaces than markers: written in full
        self._subs = {turtle: [(m, f"{self._ns[n]}:" if turtle else f"<{n}") for n, m in self._open.items()]
                      + [(_END, "" if turtle else ">")] for turtle in (False, True)}

    def iri(self, value: str, cache: bool = True) -> str:
        """The term for an IRI; ``cache=False`` for IRIs used once (claims, citations)."""
        term = self._cache.get(value)
        if term is None:
            term = iri(value)
            for ns in self._ns:
                if value.startswith(ns) and is_local_name(value[len(ns):]):
                    if ns in self._open:
                        term = f"{self._open[ns]}{value[len(ns):]}{_END}"
                    break
            if cache:
                self._cache[value] = term
        return term

    def replacements(self, turtle: bool) -> list[tuple[str, str]]:
        """What :meth:`finish` replaces, in order: each marker (a single character) and its text."""
        return list(self._subs[turtle])

    def finish(self, text: str, turtle: bool) -> str:
        """Text of marked terms as N-Triples or Turtle."""
        for marker, replacement in self._subs[turtle]:
            text = text.replace(marker, replacement)
        return text

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
        """The Turtle prefix lines."""
        return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in self.prefixes.items())


class _CitationNode(NamedTuple):
    """A citation with what its blocks need beyond its fields (the rows of "citation" and "quote")."""

    citation: Citation
    position: int
    selector: str  # the term of its quote selector
    lang: str | None  # the language of the cited source


class _Plan:
    """The rows of :data:`~graph.rdf.mapping.ROWS` compiled for one export: every term rendered once.

    Each row becomes a :class:`~graph.rdf.compiled.Step` (how to get the value from a record and
    how to spell it), and each kind's steps one function (:func:`~graph.rdf.compiled.compile_steps`).
    """

    def __init__(self, ds: Dataset, t: Terms, src: dict[str, str], ent: dict[str, str],
                 confidence: Sequence[float] | None = None):
        onto = ds.ontology
        self.ds, self.t, self.src, self.ent = ds, t, src, ent
        self.known = None if confidence is None else iter(confidence)  # a claim's rows are filled once, in order
        self.thb = {n: t.iri(onto.iri(n)) for n in (*onto.classes, *onto.relations, *onto.qualifiers)}
        self.concept = {f: {n: t.iri(c.iri) for n, c in onto.vocabulary(f).concepts.items()}
                        for f in {r.field for rows in ROWS.values() for r in rows if r.value == "concept"}}
        self.qualifier_concept = {n: {k: t.iri(c.iri) for k, c in v.concepts.items()}
                                  for n, v in onto.vocabularies.items()}
        self.fills = {kind: compile_steps(kind, [self._step(kind, r) for r in rows if r.value != "citations"])
                      for kind, rows in ROWS.items()}
        self.cites = {kind: self._term(rows[-1].predicate)  # the citations row is the last (mapping checks)
                      for kind, rows in ROWS.items() if rows[-1].value == "citations"}

    def _term(self, name: str) -> str:
        return self.t.iri(expand(name, self.ds.ontology.namespace))

    def _step(self, kind: str, row: Row) -> Step:
        t, value, pred, onto = self.t, row.value, self._term(row.predicate), self.ds.ontology
        field = f"citation.{row.field}" if kind in ("citation", "quote") and row.field else row.field
        many = value in ("texts", "aliases", "classes", "cited", "qualifiers", "sources")
        if value == "fixed":
            return Step("", f"{pred} {self._term(row.const or '')}")
        if value == "qualifiers":  # a claim's qualifiers, a citation's values: each pair under the qualifier's term
            def qualifier(kv: tuple[str, Any]) -> str:
                return f"{self.thb[kv[0]]} {self._qualifier(*kv)}"
            items = attrgetter(field)
            return Step(lambda r: sorted(items(r).items()), "", qualifier, many=True)
        get: str | Callable[[Any], Any] = field
        if value == "sources":
            listed = attrgetter(field)
            get = lambda r: sorted(listed(r))  # noqa: E731
        elif value == "cited":
            get = lambda c: cited_sources(c.citations)  # noqa: E731
        elif value == "confidence":
            known, sources, up = self.known, self.ds.sources, Upstreams(self.ds.sources)  # upstreams found once
            get = ((lambda c: confidence_and_origins(c, sources, onto, up)[0]) if known is None  # noqa: E731
                   else (lambda _: next(known)))
        elif value in ("position", "selector"):
            get = value
        elif value == "quote":  # the citation's node: the quote in its source's language
            get = ""
        renders: dict[str, Render] = {
            "text": literal, "texts": literal, "date": t.date, "url": t.iri, "position": t.integer,
            "source": self.src, "sources": self.src, "cited": self.src, "entity": self.ent, "relation": self.thb,
            "class": self.thb, "classes": self.thb, "concept": self.concept.get(row.field, {}),
            "confidence": t.decimal, "selector": None, "flag": lambda _: t.typed("true", "boolean"),
            "aliases": lambda a: literal(a.name, lang=a.lang),
            "quote": lambda n: literal(n.citation.quote, lang=n.lang),
        }
        return Step(get, f"{pred} ", renders[value], row.optional, many)

    def fill(self, kind: str, record: Any) -> list[str]:
        """The predicate-object pairs of a record, in the order of its rows (its citations aside)."""
        return self.fills[kind](record)

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
        """The record's block, then a block for each citation and its quote (IRIs ``prefix`` + position).

        When ``prefix`` is the subject's IRI + ``-c`` and the subject is a marked term, the
        citations' terms are the subject's with ``-c0``, ``-c0-quote``... appended (still names
        the prefix can take), without looking for their namespace again.
        """
        po = self.fill(kind, record)
        nodes = []
        stem = subject[:-1] + "-c" if subject.endswith(_END) and prefix.endswith("-c") else None
        for i, c in enumerate(record.citations):
            if stem is None:
                term, selector = self.t.iri(f"{prefix}{i}", cache=False), self.t.iri(f"{prefix}{i}-quote", cache=False)
            else:
                term, selector = f"{stem}{i}{_END}", f"{stem}{i}-quote{_END}"
            node = _CitationNode(c, i, selector, self.ds.sources[c.source].language)
            nodes.append((term, node))
        po += [f"{self.cites[kind]} {term}" for term, _ in nodes]
        yield subject, po
        for term, node in nodes:
            yield term, self.fill("citation", node)
            yield node.selector, self.fill("quote", node)


def blocks(ds: Dataset, base: str = DEFAULT_BASE, turtle: bool = False) -> Iterator[tuple[str, list[str]]]:
    """Every subject of the export with its ``"predicate object"`` pairs, in a fixed order."""
    t = Terms(Namer(base), ds.ontology.namespace)
    for s, po in _blocks(ds, t):
        yield t.finish(s, turtle), [t.finish(x, turtle) for x in po]


def _blocks(ds: Dataset, t: Terms, confidence: Sequence[float] | None = None) -> Iterator[Block]:
    ent = {e: t.iri(t.namer.entity(e)) for e in ds.entities}
    src = {s: t.iri(t.namer.source(s)) for s in ds.sources}
    plan = _Plan(ds, t, src, ent, confidence)
    for s in ds.sources.values():
        yield src[s.id], plan.fill("source", s)
    for e in ds.entities.values():
        # entity citations live under the entity's IRI, with a path no entity id can take
        yield from plan.with_citations("entity", ent[e.id], e, f"{t.namer.entity(e.id)}/citation/")
    plain: set[tuple[str, str, str]] = set()  # claims that differ only in dates or qualifiers share one
    claims = t.namer.claim("")
    claims = claims[:claims.rindex("/") + 1]
    # every claim IRI is this namespace and 16 hex digits: rendered alike, so the namespace is looked up once
    probe = t.iri(claims + "0" * 16, cache=False)
    marked = probe[:-17] if probe.endswith("0" * 16 + _END) else None
    for c in ds.claims.values():
        triple = (ent[c.subject], plan.thb[c.predicate], ent[c.object])
        if triple not in plain:
            plain.add(triple)
            yield triple[0], [f"{triple[1]} {triple[2]}"]
        node_iri = t.namer.claim(c.id or "")
        term = t.iri(node_iri, cache=False) if marked is None else f"{marked}{node_iri[len(claims):]}{_END}"
        yield from plan.with_citations("claim", term, c, f"{node_iri}-c")


class Marked:
    """The export as chunks of marked text (see :class:`Terms`), for N-Triples, Turtle or both.

    Each chunk is a few megabytes of blocks; :meth:`Terms.finish` (or the same replacements on its
    UTF-8 bytes, :mod:`graph.rdf.finish`) makes it the format's text. ``confidence`` is each
    claim's confidence, in the order of ``ds.claims``, when the caller has it already (the build's
    projection computes it): it must have been computed on exactly these claims and sources.
    """

    def __init__(self, ds: Dataset, base: str = DEFAULT_BASE, *, confidence: Sequence[float] | None = None):
        if confidence is not None and len(confidence) != len(ds.claims):
            raise ValueError(f"{len(confidence)} confidence values for {len(ds.claims)} claims")
        self.ds, self.confidence = ds, confidence
        self.terms = Terms(Namer(base), ds.ontology.namespace)
        self.triples = 0  # counted as the chunks are made

    def chunks(self, nt: bool, ttl: bool) -> Iterator[tuple[bool, str]]:
        """``(turtle, text)`` for each chunk, the Turtle's prefix lines first.

        N-Triples: a line per pair, the subject, then each pair. Turtle: prefixed names, one
        block per subject.
        """
        if ttl:
            yield True, self.terms.header()
        nt_chunk: list[str] = []
        ttl_chunk: list[str] = []
        for s, po in _blocks(self.ds, self.terms, self.confidence):
            self.triples += len(po)
            if nt:
                nt_chunk.append(f"{s} " + f" .\n{s} ".join(po) + " .\n")
            if ttl:
                ttl_chunk.append(f"\n{s} " + " ;\n    ".join(po) + " .\n")
            if len(nt_chunk) > 10_000 or len(ttl_chunk) > 10_000:
                yield from _pending(nt_chunk, ttl_chunk)
                nt_chunk, ttl_chunk = [], []
        yield from _pending(nt_chunk, ttl_chunk)


def _pending(nt_chunk: list[str], ttl_chunk: list[str]) -> Iterator[tuple[bool, str]]:
    if nt_chunk:
        yield False, "".join(nt_chunk)
    if ttl_chunk:
        yield True, "".join(ttl_chunk)


def write_rdf(ds: Dataset, nt: IO[str] | None, ttl: IO[str] | None, base: str = DEFAULT_BASE, *,
              confidence: Sequence[float] | None = None) -> int:
    """Write N-Triples to ``nt`` and Turtle to ``ttl`` (text file handles; either may be None) from
    one walk over the records; returns the number of triples.

    Each piece of text is made once with marked terms and finished for each format
    (:class:`Marked`, :meth:`Terms.finish`). ``confidence``: see :class:`Marked`.
    """
    marked = Marked(ds, base, confidence=confidence)
    for turtle, text in marked.chunks(nt is not None, ttl is not None):
        fh = ttl if turtle else nt
        if fh is not None:  # always: chunks come only for the formats asked for
            fh.write(marked.terms.finish(text, turtle))
    return marked.triples


def write_ntriples(ds: Dataset, fh: IO[str], base: str = DEFAULT_BASE) -> int:
    """Write N-Triples to a text file handle; returns the number of triples."""
    return write_rdf(ds, fh, None, base)


def write_turtle(ds: Dataset, fh: IO[str], base: str = DEFAULT_BASE) -> int:
    """Write Turtle (prefixed names, one block per subject) to a text file handle."""
    return write_rdf(ds, None, fh, base)


def to_ntriples(ds: Dataset, base: str = DEFAULT_BASE) -> str:
    """The export as N-Triples text."""
    buf = io.StringIO()
    write_ntriples(ds, buf, base)
    return buf.getvalue()
