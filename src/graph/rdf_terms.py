"""RDF terms as N-Triples text: IRIs, literals, prefixes. Used by the export and its readers.

Writing terms as text (instead of building term objects) is what makes a million-claim export
fast; every literal goes through :func:`literal`, which escapes as N-Triples requires.

>>> literal('say "hi"\\n', lang="en")
'"say \\\\"hi\\\\"\\\\n"@en'
>>> iri("https://example.org/a b")
Traceback (most recent call last):
...
ValueError: not a valid IRI: 'https://example.org/a b'
"""

from __future__ import annotations

import re
from decimal import Decimal

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
OA = "http://www.w3.org/ns/oa#"
OWL = "http://www.w3.org/2002/07/owl#"

PREFIXES = {"rdf": RDF, "rdfs": RDFS, "xsd": XSD, "skos": SKOS, "prov": PROV, "dct": DCT, "schema": SCHEMA,
            "oa": OA, "owl": OWL}

_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_ESCAPE = re.compile(r'[\\"\n\r]')
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")


def iri(value: str) -> str:
    """``<value>``, refusing characters that IRIs may not hold."""
    if _IRI_BAD.search(value) or ":" not in value:
        raise ValueError(f"not a valid IRI: {value!r}")
    return f"<{value}>"


def literal(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    """An N-Triples literal; control characters become \\u escapes."""
    body = _ESCAPE.sub(lambda m: _ESCAPES[m.group(0)], text)
    body = _CONTROL.sub(lambda m: f"\\u{ord(m.group(0)):04X}", body)
    if lang:
        return f'"{body}"@{lang}'
    if datatype and datatype != XSD + "string":
        return f'"{body}"^^<{datatype}>'
    return f'"{body}"'


def date_literal(value: str) -> str:
    """``2023`` as xsd:gYear, ``2023-05`` as xsd:gYearMonth, a full date as xsd:date."""
    kind = {4: "gYear", 7: "gYearMonth"}.get(len(value), "date")
    return literal(value, datatype=XSD + kind)


def decimal_literal(value: float | int) -> str:
    """A number as xsd:decimal in plain notation (no exponent)."""
    text = format(Decimal(str(value)).normalize(), "f")
    if "." not in text:
        text += ".0"
    return literal(text, datatype=XSD + "decimal")


def integer_literal(value: int) -> str:
    return literal(str(int(value)), datatype=XSD + "integer")


def compact(term: str, prefixes: dict[str, str]) -> str:
    """A Turtle prefixed name for an N-Triples IRI term when the local part is plainly safe."""
    if not term.startswith("<"):
        return _compact_datatype(term, prefixes)
    value = term[1:-1]
    best = None
    for prefix, ns in prefixes.items():
        if value.startswith(ns) and (best is None or len(ns) > len(prefixes[best])):
            best = prefix
    if best is not None:
        local = value[len(prefixes[best]):]
        if _LOCAL.match(local):
            return f"{best}:{local}"
    return term


def _compact_datatype(term: str, prefixes: dict[str, str]) -> str:
    if '"^^<' in term:
        body, _, dt = term.rpartition("^^")
        return f"{body}^^{compact(dt, prefixes)}"
    return term
