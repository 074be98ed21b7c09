"""The main job: validate the inputs and write every output into one folder."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import OutputError
from .export import DEFAULT_LEVEL, export_rdf
from .filters import Filters
from .ontology import Ontology
from .outputs import atomic_write
from .projection import to_networkx
from .shacl import check_rdf
from .site import write_site
from .store import fingerprint, write_store
from .stats import dataset_stats
from .validate import load_dataset
from .views import DEFAULT_MAX_NODES, focus, whole, write_view


@dataclass
class BuildResult:
    """What a build wrote, and the counts of what it read."""

    out_dir: Path
    files: list[Path] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    export: dict = field(default_factory=dict)
    site_pages: int = 0


def build(paths: Iterable[Path | str] | None = None, out_dir: Path | str = "build",
          ontology: Ontology | None = None, max_tlp: str = DEFAULT_LEVEL) -> BuildResult:
    """Validate ``paths`` and write every output into ``out_dir``.

    - ``dataset.json`` (the validated Dataset) and ``summary.json`` (its counts);
    - ``export/graph.ttl`` and ``export/graph.nt``: the RDF partners receive, at ``max_tlp``
      (default GREEN), with the ontology, shapes, JSON-LD context and manifests; the Turtle is
      checked against the SHACL shapes, and a violation fails the build;
    - ``store/``: the workspace store that ``thbor path`` reads instead of the case files;
    - ``views/overview.html`` and a view per case (classes marked ``thb:dossierView``), and the
      dossier site under ``site/``, for the researchers who curate the data (all levels).

    Nothing is written when the inputs have problems (:class:`~graph.errors.InputError`).
    """
    ds = load_dataset(paths, ontology)
    out = Path(out_dir)
    result = BuildResult(out, stats=dataset_stats(ds))
    result.files.append(atomic_write(out / "dataset.json", ds.to_json()))
    summary = json.dumps(result.stats, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    result.files.append(atomic_write(out / "summary.json", summary))
    G = to_networkx(ds)
    # the store first: it is what later path queries read, and a build killed after it keeps it
    result.files.append(write_store(ds, G, out / "store", fingerprint(list(paths) if paths else None, ds.ontology)))
    for name in ("graph.ttl", "graph.nt"):
        exported = export_rdf(ds, out / "export" / name, max_tlp=max_tlp)
        result.files += [f for f in exported.files if f not in result.files]
        result.export = exported.manifest
    checked = check_rdf(out / "export" / "graph.ttl", ds.ontology)
    if not checked.conforms:
        raise OutputError("the export does not conform to the shapes:\n" + "\n".join(map(str, checked.violations)))
    cf = Filters(statuses=frozenset(ds.ontology.vocabulary("status").ordered())).compile(G, ds.ontology)
    overview = whole(G, cf)
    if len(overview.nodes) <= DEFAULT_MAX_NODES:
        result.files.append(write_view(ds, G, overview, out / "views" / "overview.html"))
    for e in ds.entities.values():
        if any(ds.ontology.classes[t].dossier_view for t in e.types if t in ds.ontology.classes):
            result.files.append(write_view(ds, G, focus(G, cf, e.id, 2), out / "views" / f"{e.id}.html"))
    site = write_site(ds, G, cf, out / "site")
    result.files.append(out / "site" / "index.html")
    result.site_pages = site.pages
    return result
