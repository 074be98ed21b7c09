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
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')
_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")


def iri(value: str) -> str:
    """``<value>``, refusing characters that IRIs may not hold."""
    if _IRI_BAD.search(value) or ":" not in value:
        raise ValueError(f"not a valid IRI: {value!r}")
    return f"<{value}>"


def literal(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    """An N-Triples literal; control characters become \\u escapes.

    ``datatype`` is a rendered term (``<...#decimal>`` or, in Turtle, ``xsd:decimal``).
    """
    if _NEEDS_ESCAPE.search(text):
        text = _ESCAPE.sub(lambda m: _ESCAPES[m.group(0)], text)
        text = _CONTROL.sub(lambda m: f"\\u{ord(m.group(0)):04X}", text)
    if lang:
        return f'"{text}"@{lang}'
    if datatype:
        return f'"{text}"^^{datatype}'
    return f'"{text}"'


def is_local_name(local: str) -> bool:
    """True when ``local`` can stand after a Turtle prefix without escapes (a safe subset)."""
    return bool(_LOCAL.match(local))
