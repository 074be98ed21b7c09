"""``thbor export``: one entry point for every format, RDF or another tool's, with a manifest.

The format's writer is found in :mod:`graph.load.registry` and imported only now: an RDF export
loads neither networkx nor FollowTheMoney. Every format goes through the same sharing step
(:func:`graph.model.sharing.share`) before its writer sees the Dataset.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from graph.load import registry
from graph.model.dataset import Dataset
from graph.model.sharing import share
from graph.outputs import atomic_write, replaced_folder, sha256_file
from graph.rdf.export import DEFAULT_LEVEL, FORMATS, ExportResult
from graph.rdf.write import DEFAULT_BASE

__all__ = ["DEFAULT_LEVEL", "FORMATS", "TOOL_FORMATS", "ExportResult", "export", "format_of"]

TOOL_FORMATS = {f.name: f.suffix for f in registry.writable("tool")}  # name -> file suffix, None for a folder
format_of = registry.format_of


def export(ds: Dataset, path: Path | str, fmt: str | None = None, *, base: str = DEFAULT_BASE,
           max_tlp: str | None = DEFAULT_LEVEL, pseudonymise: bool = False, graph: str | None = None) -> ExportResult:
    """Export in any format: RDF (:func:`graph.rdf.export.export_rdf`) or a format of another tool.

    Every format goes through the same sharing step; csv and neo4j write the folder ``path``
    whole: a fresh folder replaces it (:func:`graph.outputs.replaced_folder`), so its manifest
    lists and hashes only what this export wrote.
    """
    path = Path(path)
    fmt = format_of(path, fmt)
    form = registry.BY_NAME[fmt]
    write = registry.writer(form)
    if form.family == "rdf":
        result: ExportResult = write(ds, path, fmt, base=base, max_tlp=max_tlp, pseudonymise=pseudonymise,
                                     graph=graph)
        return result
    shared, report = share(ds, max_tlp, pseudonymise)
    result = ExportResult(path)
    skipped: dict[str, int] = {}

    def manifest_of(files: list[Path]) -> dict[str, Any]:
        return {"format": fmt, "ontology_version": ds.ontology.version, "sharing": asdict(report),
                "counts": {"sources": len(shared.sources), "entities": len(shared.entities),
                           "claims": len(shared.claims)},
                "left_out_by_format": skipped, "files": {f.name: sha256_file(f) for f in files}}

    if form.folder:  # written whole and swapped in, so no file of an earlier export stays
        with replaced_folder(path, "manifest.json") as tmp:
            write(shared, tmp)
            files = sorted(p for p in tmp.iterdir() if p.suffix in (".csv", ".cypher"))
            result.manifest = manifest_of(files)
            atomic_write(tmp / "manifest.json", json.dumps(result.manifest, indent=1, sort_keys=True) + "\n")
        result.files = [path / f.name for f in files] + [path / "manifest.json"]
        return result
    written = write(shared, path)
    if isinstance(written, tuple):  # a count and what the format could not express
        skipped = written[1]
    result.files = [path]
    result.manifest = manifest_of(result.files)
    manifest = path.with_name(path.name + ".manifest.json")
    atomic_write(manifest, json.dumps(result.manifest, indent=1, sort_keys=True) + "\n")
    result.files.append(manifest)
    return result
