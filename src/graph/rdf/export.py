"""The shared, checked RDF files partners receive, with a manifest (``thbor export`` in an RDF format).

Every export goes through :func:`graph.model.sharing.share` first; nothing else reads the Dataset.
Beside the graph file it writes the ontology and the shapes, a JSON-LD context, and a manifest
(counts, sharing level, SHA-256 of every file, ontology version).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph

from graph.errors import OutputError, UsageError
from graph.load import registry
from graph.load.memory import paused_gc
from graph.model.dataset import Dataset
from graph.model.ontology import SHAPES_FILE
from graph.model.sharing import SharingReport, share
from graph.outputs import atomic_write, atomic_writer, sha256_file
from graph.rdf.finish import write_rdf_in_child
from graph.rdf.mapping import jsonld_context
from graph.rdf.write import DEFAULT_BASE, Namer, write_ntriples, write_rdf, write_turtle

_OXIGRAPH = {"jsonld": pyoxigraph.RdfFormat.JSON_LD, "trig": pyoxigraph.RdfFormat.TRIG,
             "nq": pyoxigraph.RdfFormat.N_QUADS}
FORMATS = {  # name -> (file suffix, pyoxigraph format or None when written directly)
    f.name: (f.suffix or "", _OXIGRAPH.get(f.name)) for f in registry.writable("rdf")
}
DEFAULT_LEVEL = None  # the ontology's partner level (thb:partnerLevel), resolved by share()


@dataclass
class ExportResult:
    """The files an export wrote and its manifest."""

    path: Path
    files: list[Path] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)


def export_rdf(ds: Dataset, path: Path | str, fmt: str | None = None, *, base: str = DEFAULT_BASE,
               max_tlp: str | None = DEFAULT_LEVEL, pseudonymise: bool = False, graph: str | None = None,
               shared: tuple[Dataset, SharingReport] | None = None) -> ExportResult:
    """Write the part of ``ds`` that may leave at ``max_tlp`` as RDF, with its companions.

    ``shared`` is ``share(ds, max_tlp, pseudonymise)`` when the caller has it already (a build
    writing several formats shares once).
    """
    path = Path(path)
    fmt = registry.format_of(path, fmt)
    names, graph_iri = _names(base, graph)
    out, report = shared or share(ds, max_tlp, pseudonymise)
    _folder(path)
    with paused_gc():  # writing a million claims makes no cycles: no collector passes over them
        triples = _write_graph(out, path, fmt, base=names.base, graph_iri=graph_iri)
    companions = _companions(ds, path.parent, names.prefixes(ds.ontology.namespace))
    return _manifest(ds, path, fmt, companions, names=names, graph_iri=graph_iri, shared=(out, report),
                     triples=triples)


def export_nt_ttl(ds: Dataset, nt: Path, ttl: Path, *, max_tlp: str | None = DEFAULT_LEVEL,
                  shared: tuple[Dataset, SharingReport] | None = None,
                  confidence: Sequence[float] | None = None, child: bool = False) -> tuple[ExportResult, ExportResult]:
    """:func:`export_rdf` as N-Triples and as Turtle, both from one walk over the records
    (:func:`graph.rdf.write.write_rdf`): the same files and manifests as two calls, in about half the time.

    ``nt`` and ``ttl`` are in one folder. ``confidence`` is each claim's confidence when the caller
    has computed it on the very claims and sources that leave (see :func:`write_rdf`). With
    ``child=True`` (bulk data) a child process writes the files from the walk's text
    (:func:`graph.rdf.finish.write_rdf_in_child`): the same bytes, this process only walks the records.
    """
    names, graph_iri = _names(DEFAULT_BASE, None)
    out, report = shared or share(ds, max_tlp)
    _folder(nt)
    hashes: dict[Path, str] = {}
    try:
        with paused_gc(), atomic_writer(nt, text=not child) as nt_fh, atomic_writer(ttl, text=not child) as ttl_fh:
            if child:
                written = write_rdf_in_child(out, nt_fh, ttl_fh, names.base, where=str(nt.parent),
                                             confidence=confidence)
                triples, hashes = written.triples, {nt: written.nt_sha256, ttl: written.ttl_sha256}
            else:
                triples = write_rdf(out, nt_fh, ttl_fh, names.base, confidence=confidence)
    except OSError as exc:  # a full disk, say: a message, not a traceback
        raise OutputError(f"{nt.parent}: cannot write: {exc.strerror or exc}") from None
    companions = _companions(ds, nt.parent, names.prefixes(ds.ontology.namespace))
    nt_result, ttl_result = (_manifest(ds, path, fmt, companions, names=names, graph_iri=graph_iri,
                                       shared=(out, report), triples=triples, hashes=hashes)
                             for path, fmt in ((nt, "nt"), (ttl, "ttl")))
    return nt_result, ttl_result


def _names(base: str, graph: str | None) -> tuple[Namer, str]:
    try:
        names = Namer(base)
        graph_iri = graph or names.graph()
        Namer(graph_iri)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return names, graph_iri


def _folder(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{path.parent}: cannot create folder: {exc.strerror}") from None


def _manifest(ds: Dataset, path: Path, fmt: str, companions: list[Path], *, names: Namer, graph_iri: str,
              shared: tuple[Dataset, SharingReport], triples: int,
              hashes: dict[Path, str] | None = None) -> ExportResult:
    """The result of writing ``path``, with its manifest written beside it.

    ``hashes``: the SHA-256 of files whose writer computed it as it wrote them (not read again).
    """
    known = hashes or {}
    out, report = shared
    result = ExportResult(path, [path, *companions])
    result.manifest = {
        "format": fmt, "base": names.base, "graph": graph_iri, "ontology_version": ds.ontology.version,
        "sharing": asdict(report),
        "counts": {"sources": len(out.sources), "entities": len(out.entities), "claims": len(out.claims),
                   "triples": triples},
        "files": {f.name: known.get(f) or sha256_file(f) for f in result.files},
    }
    manifest = path.with_name(path.name + ".manifest.json")
    atomic_write(manifest, json.dumps(result.manifest, indent=1, sort_keys=True) + "\n")
    result.files.append(manifest)
    return result


def _write_graph(ds: Dataset, path: Path, fmt: str, *, base: str, graph_iri: str) -> int:
    if fmt == "nt":
        with atomic_writer(path) as fh:
            return write_ntriples(ds, fh, base)
    if fmt == "ttl":
        with atomic_writer(path) as fh:
            return write_turtle(ds, fh, base)
    # the other formats: N-Triples first, then pyoxigraph converts it as a stream
    tmp = path.with_name(f".{path.name}.nt.tmp")
    try:
        try:
            with tmp.open("w", encoding="utf-8", newline="\n") as fh:
                count = write_ntriples(ds, fh, base)
        except OSError as exc:  # a full disk, say: a message, not a traceback
            raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
        triples: Iterable[pyoxigraph.Quad] = pyoxigraph.parse(path=str(tmp), format=pyoxigraph.RdfFormat.N_TRIPLES)
        out_format = FORMATS[fmt][1]
        if fmt in ("trig", "nq"):  # dataset formats: everything in the export's one named graph
            g = pyoxigraph.NamedNode(graph_iri)
            triples = (pyoxigraph.Quad(t.subject, t.predicate, t.object, g) for t in triples)
        with atomic_writer(path, text=False) as fh:
            pyoxigraph.serialize(triples, fh, out_format, prefixes=Namer(base).prefixes(ds.ontology.namespace))
        return count
    finally:
        tmp.unlink(missing_ok=True)


def _companions(ds: Dataset, folder: Path, prefixes: dict[str, str]) -> list[Path]:
    """The ontology, the shapes and a JSON-LD context, beside the graph file."""
    out = []
    onto_files = sorted(p for p in ds.ontology.directory.glob("*.ttl") if p.name != SHAPES_FILE)
    ontology = "".join(p.read_text(encoding="utf-8") for p in onto_files) if len(onto_files) > 1 else None
    target = folder / "ontology.ttl"
    if ontology is None:
        with atomic_writer(target, text=False) as fh, onto_files[0].open("rb") as src:
            shutil.copyfileobj(src, fh)
    else:
        atomic_write(target, ontology)
    out.append(target)
    shapes = ds.ontology.directory / SHAPES_FILE
    if shapes.exists():
        out.append(atomic_write(folder / "shapes.ttl", shapes.read_bytes()))
    context = jsonld_context(prefixes)
    out.append(atomic_write(folder / "context.jsonld", json.dumps(context, indent=1, sort_keys=True) + "\n"))
    return out
