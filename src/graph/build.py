"""The main job: validate the inputs and write every output into one folder."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import OutputError
from .export import DEFAULT_LEVEL, export_rdf
from .ontology import Ontology
from .outputs import atomic_write
from .shacl import check_rdf
from .stats import dataset_stats
from .validate import load_dataset


@dataclass
class BuildResult:
    """What a build wrote, and the counts of what it read."""

    out_dir: Path
    files: list[Path] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    export: dict = field(default_factory=dict)


def build(paths: Iterable[Path | str] | None = None, out_dir: Path | str = "build",
          ontology: Ontology | None = None, max_tlp: str = DEFAULT_LEVEL) -> BuildResult:
    """Validate ``paths`` and write every output into ``out_dir``.

    - ``dataset.json`` (the validated Dataset) and ``summary.json`` (its counts);
    - ``export/graph.ttl`` and ``export/graph.nt``: the RDF partners receive, at ``max_tlp``
      (default GREEN), with the ontology, shapes, JSON-LD context and manifests; the Turtle is
      checked against the SHACL shapes, and a violation fails the build.

    Nothing is written when the inputs have problems (:class:`~graph.errors.InputError`).
    """
    ds = load_dataset(paths, ontology)
    out = Path(out_dir)
    result = BuildResult(out, stats=dataset_stats(ds))
    result.files.append(atomic_write(out / "dataset.json", ds.to_json()))
    summary = json.dumps(result.stats, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    result.files.append(atomic_write(out / "summary.json", summary))
    for name in ("graph.ttl", "graph.nt"):
        exported = export_rdf(ds, out / "export" / name, max_tlp=max_tlp)
        result.files += [f for f in exported.files if f not in result.files]
        result.export = exported.manifest
    checked = check_rdf(out / "export" / "graph.ttl", ds.ontology)
    if not checked.conforms:
        raise OutputError("the export does not conform to the shapes:\n" + "\n".join(map(str, checked.violations)))
    return result
