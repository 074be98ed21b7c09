"""``thbor export``: the shared, checked RDF files partners receive, with a manifest.

Every export goes through :func:`graph.model.sharing.share` first; nothing else reads the Dataset.
Beside the graph file it writes the ontology and the shapes, a JSON-LD context, and a manifest
(counts, sharing level, SHA-256 of every file, ontology version).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph

from graph.errors import OutputError, UsageError
from graph.load.memory import paused_gc
from graph.model.dataset import Dataset
from graph.model.ontology import SHAPES_FILE
from graph.model.sharing import SharingReport, share
from graph.outputs import atomic_write, atomic_writer, replaced_folder, sha256_file
from graph.rdf.write import DEFAULT_BASE, Namer, write_ntriples, write_turtle

FORMATS = {  # name -> (file suffix, pyoxigraph format or None when written directly)
    "ttl": (".ttl", None),
    "nt": (".nt", None),
    "jsonld": (".jsonld", pyoxigraph.RdfFormat.JSON_LD),
    "trig": (".trig", pyoxigraph.RdfFormat.TRIG),
    "nq": (".nq", pyoxigraph.RdfFormat.N_QUADS),
}
TOOL_FORMATS = {  # name -> (file suffix, or None when the output is a folder)
    "graphml": ".graphml",
    "gexf": ".gexf",
    "ftm": ".jsonl",
    "csv": None,
    "neo4j": None,
}
DEFAULT_LEVEL = "GREEN"


@dataclass
class ExportResult:
    """The files an export wrote and its manifest."""

    path: Path
    files: list[Path] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)


def format_of(path: Path, fmt: str | None) -> str:
    """The export format: given, or guessed from the file suffix."""
    every = [*FORMATS, *TOOL_FORMATS]
    if fmt is None:
        guesses = {suffix: name for name, (suffix, _) in FORMATS.items()}
        guesses.update({".graphml": "graphml", ".gexf": "gexf"})
        fmt = guesses.get(path.suffix)
        if fmt is None:
            raise UsageError(f"cannot tell the format of {path.name}: give --format ({', '.join(every)})")
    if fmt not in every:
        raise UsageError(f"unknown format {fmt!r} (expected {', '.join(every)})")
    return fmt


def export(ds: Dataset, path: Path | str, fmt: str | None = None, base: str = DEFAULT_BASE,
           max_tlp: str = DEFAULT_LEVEL, pseudonymise: bool = False, graph: str | None = None) -> ExportResult:
    """Export in any format: RDF (:func:`export_rdf`) or a format of another tool.

    Every format goes through the same sharing step; csv and neo4j write the folder ``path``
    whole: a fresh folder replaces it (:func:`graph.outputs.replaced_folder`), so its manifest
    lists and hashes only what this export wrote.
    """
    path = Path(path)
    fmt = format_of(path, fmt)
    if fmt in FORMATS:
        return export_rdf(ds, path, fmt, base, max_tlp, pseudonymise, graph)
    from graph.formats import ftm  # other tools' formats load only when asked for
    from graph.formats import tables as export_tables

    shared, report = share(ds, max_tlp, pseudonymise)
    result = ExportResult(path)
    skipped: dict[str, int] = {}

    def manifest_of(files: list[Path]) -> dict[str, Any]:
        return {"format": fmt, "ontology_version": ds.ontology.version, "sharing": asdict(report),
                "counts": {"sources": len(shared.sources), "entities": len(shared.entities),
                           "claims": len(shared.claims)},
                "left_out_by_format": skipped, "files": {f.name: sha256_file(f) for f in files}}

    if fmt in ("csv", "neo4j"):  # a folder: written whole and swapped in, so no file of an earlier export stays
        with replaced_folder(path, "manifest.json") as tmp:
            getattr(export_tables, f"write_{fmt}")(shared, tmp)
            files = sorted(p for p in tmp.iterdir() if p.suffix in (".csv", ".cypher"))
            result.manifest = manifest_of(files)
            atomic_write(tmp / "manifest.json", json.dumps(result.manifest, indent=1, sort_keys=True) + "\n")
        result.files = [path / f.name for f in files] + [path / "manifest.json"]
        return result
    if fmt == "ftm":
        _, skipped = ftm.write_ftm(shared, path)
    else:
        getattr(export_tables, f"write_{fmt}")(shared, path)
    result.files = [path]
    result.manifest = manifest_of(result.files)
    manifest = path.with_name(path.name + ".manifest.json")
    atomic_write(manifest, json.dumps(result.manifest, indent=1, sort_keys=True) + "\n")
    result.files.append(manifest)
    return result


def export_rdf(ds: Dataset, path: Path | str, fmt: str | None = None, base: str = DEFAULT_BASE,
               max_tlp: str = DEFAULT_LEVEL, pseudonymise: bool = False, graph: str | None = None,
               shared: tuple[Dataset, SharingReport] | None = None) -> ExportResult:
    """Write the part of ``ds`` that may leave at ``max_tlp`` as RDF, with its companions.

    ``shared`` is ``share(ds, max_tlp, pseudonymise)`` when the caller has it already (a build
    writing several formats shares once).
    """
    path = Path(path)
    fmt = format_of(path, fmt)
    try:
        names = Namer(base)
        graph_iri = graph or names.graph()
        Namer(graph_iri)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    shared, report = shared or share(ds, max_tlp, pseudonymise)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{path.parent}: cannot create folder: {exc.strerror}") from None
    with paused_gc():  # writing a million claims makes no cycles: no collector passes over them
        triples = _write_graph(shared, path, fmt, names.base, graph_iri)
    result = ExportResult(path, [path])
    result.files += _companions(ds, path.parent, names.prefixes(ds.ontology.namespace))
    result.manifest = {
        "format": fmt, "base": names.base, "graph": graph_iri, "ontology_version": ds.ontology.version,
        "sharing": asdict(report),
        "counts": {"sources": len(shared.sources), "entities": len(shared.entities), "claims": len(shared.claims),
                   "triples": triples},
        "files": {f.name: sha256_file(f) for f in result.files},
    }
    manifest = path.with_name(path.name + ".manifest.json")
    atomic_write(manifest, json.dumps(result.manifest, indent=1, sort_keys=True) + "\n")
    result.files.append(manifest)
    return result


def _write_graph(ds: Dataset, path: Path, fmt: str, base: str, graph_iri: str) -> int:
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
        triples = pyoxigraph.parse(path=str(tmp), format=pyoxigraph.RdfFormat.N_TRIPLES)
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
    context = {"@context": {**prefixes, "label": {"@id": "rdfs:label"}, "title": {"@id": "dct:title"},
                            "identifier": {"@id": "dct:identifier"}, "comment": {"@id": "rdfs:comment"},
                            "status": {"@id": "thb:status", "@type": "@id"},
                            "confidence": {"@id": "thb:confidence", "@type": "xsd:decimal"},
                            "openEnded": {"@id": "thb:openEnded", "@type": "xsd:boolean"},
                            "subject": {"@id": "rdf:subject", "@type": "@id"},
                            "predicate": {"@id": "rdf:predicate", "@type": "@id"},
                            "object": {"@id": "rdf:object", "@type": "@id"},
                            "derivedFrom": {"@id": "prov:wasDerivedFrom", "@type": "@id"},
                            "citation": {"@id": "thb:citation", "@type": "@id"},
                            "exact": {"@id": "oa:exact"}}}
    out.append(atomic_write(folder / "context.jsonld", json.dumps(context, indent=1, sort_keys=True) + "\n"))
    return out
