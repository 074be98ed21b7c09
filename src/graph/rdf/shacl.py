"""Checking RDF against the SHACL shapes of the ontology (pyshacl), with readable results."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rdflib

from graph.errors import InputError, OutputError, Problem
from graph.model.ontology import SHAPES_FILE, Ontology
from graph.rdf.read import RDF_SUFFIXES

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
_RDFLIB_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".trig": "trig", ".nq": "nquads",
                   ".rdf": "xml"}


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result: the node, the property path, the message and the offending value."""

    focus: str
    path: str
    message: str
    value: str = ""
    severity: str = "Violation"

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity}: <{self.focus}>{where}: {self.message}{value}"


@dataclass
class CheckResult:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0


def check_rdf(path: Path | str, onto: Ontology) -> CheckResult:
    """Validate an RDF file against ``shapes.ttl`` of the ontology folder."""
    path = Path(path)
    fmt = _RDFLIB_FORMATS.get(path.suffix.lower())
    if fmt is None or path.suffix.lower() not in RDF_SUFFIXES:
        raise InputError([Problem(str(path), 0, "", f"unknown RDF format (expected {', '.join(_RDFLIB_FORMATS)})")])
    quads = fmt in ("trig", "nquads")
    data = rdflib.Dataset() if quads else rdflib.Graph()
    try:
        data.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises parser-specific exceptions
        raise InputError([Problem(str(path), 0, "", f"cannot parse RDF: {exc}")]) from None
    graph = rdflib.Graph()
    if isinstance(data, rdflib.Dataset):  # every named graph's triples, in one graph
        for s, p, o, _ in data.quads((None, None, None, None)):
            graph.add((s, p, o))
    else:
        for triple in data.triples((None, None, None)):
            graph.add(triple)
    return check_graph(graph, onto)


def check_graph(graph: rdflib.Graph, onto: Ontology) -> CheckResult:
    """Validate an rdflib graph against the shapes."""
    return _check(graph, onto.directory / SHAPES_FILE)


class CheckInChild:
    """A SHACL check of Turtle text in a child process, started now, its result read later.

    pyshacl is pure Python: in a process of its own, a build's check of its sample runs on the
    second core while the build writes its other outputs. The text goes through a temporary
    file, so that starting the check never waits for the child to read.
    """

    def __init__(self, turtle: str, onto: Ontology, folder: Path):
        self._file = folder / ".shacl-sample.ttl"
        self._file.write_text(turtle, encoding="utf-8")
        args = [sys.executable, "-c", _CHILD, str(self._file), str(onto.directory / SHAPES_FILE)]
        self._proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def abandon(self) -> None:
        """Stop the check (the caller failed), unless it was waited for already."""
        if self._proc.returncode is None:
            self._proc.kill()
            self._proc.communicate()
        self._file.unlink(missing_ok=True)

    def result(self) -> CheckResult:
        """Wait for the child; raises :class:`OutputError` when it failed."""
        try:
            out, err = self._proc.communicate()
        finally:
            self._file.unlink(missing_ok=True)
        if self._proc.returncode:
            raise OutputError(f"the SHACL check failed:\n{err.decode(errors='replace')[-2000:]}")
        got = json.loads(out)
        return CheckResult(got["conforms"], [Violation(**v) for v in got["violations"]], got["triples"])


# niced: the build that starts it goes on with its other outputs meanwhile, and must not wait for it
_CHILD = """
import json, os, sys
os.nice(10)
from dataclasses import asdict
from pathlib import Path
import rdflib
from graph.rdf.shacl import _check
r = _check(rdflib.Graph().parse(sys.argv[1], format="turtle"), Path(sys.argv[2]))
print(json.dumps({"conforms": r.conforms, "violations": [asdict(v) for v in r.violations], "triples": r.triples}))
"""


def _check(graph: rdflib.Graph, shapes_file: Path) -> CheckResult:
    import pyshacl  # heavy: only when checking

    shapes = rdflib.Graph().parse(shapes_file, format="turtle")
    conforms, results, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=False)
    violations = []
    for r in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        def one(p: rdflib.URIRef, r: Any = r) -> str:
            v = results.value(r, p)
            return "" if v is None else str(v)
        severity = one(SH.resultSeverity).rsplit("#", 1)[-1]
        violations.append(Violation(one(SH.focusNode), one(SH.resultPath), one(SH.resultMessage), one(SH.value),
                                    severity))
    return CheckResult(bool(conforms), sorted(violations), len(graph))
