"""The main job: validate the inputs and write every output into one folder.

The folder is a unit: a build writes a fresh folder beside it and swaps it in whole
(:func:`graph.outputs.replaced_folder`), so the output folder is always one complete build,
the last that succeeded, and nothing of an earlier build is left in it.
"""

from __future__ import annotations

import io
import itertools
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import rdflib

from graph.errors import OutputError
from graph.html.site import write_site_into
from graph.html.views import DEFAULT_MAX_NODES, focus, whole, write_view
from graph.load.memory import paused_gc
from graph.load.validate import load_dataset
from graph.model.dataset import Dataset
from graph.model.ontology import Ontology, load_ontology
from graph.model.records import cited_sources
from graph.model.sharing import share
from graph.outputs import atomic_write, atomic_writer, check_not_input, link_tree, replaced_folder
from graph.quality.stats import dataset_stats
from graph.query.filters import Compiled, Filters
from graph.query.projection import edge_table, to_networkx
from graph.rdf.export import DEFAULT_LEVEL, export_rdf
from graph.rdf.shacl import check_graph, check_rdf
from graph.rdf.write import write_turtle
from graph.store import current, fingerprint, write_store


@dataclass(frozen=True)
class BuildLimits:
    """Where a build of bulk data stops writing what only makes sense for curated data.

    Curated case files stay far below every limit; an imported register or leak of a million
    claims does not, and for it a page per entity or a SHACL check of every triple would take
    hours. Whatever is left out is said in :attr:`BuildResult.notes`.
    """

    shacl_full_triples: int = 50_000  # above: the SHACL check runs on the export of a sample (pyshacl: ~5k triples/s)
    shacl_sample_claims: int = 2_000  # the first claims by id, with their entities and sources
    view_nodes: int = DEFAULT_MAX_NODES  # a view above this many entities is not written
    case_views: int = 200  # at most this many case views (the first cases by id)
    dossier_entities: int = 2_000  # above: bulk data, no case views and no dossier site (~10 ms a page)


@dataclass
class BuildResult:
    """What a build wrote, the counts of what it read, and what it left out (``notes``)."""

    out_dir: Path
    files: list[Path] = field(default_factory=list)  # where they are once the build is swapped in
    stats: dict = field(default_factory=dict)
    export: dict = field(default_factory=dict)
    site_pages: int = 0
    shacl: str = ""  # how the export was checked
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, in the order they ran


def build(paths: Iterable[Path | str] | None = None, out_dir: Path | str = "build",
          ontology: Ontology | None = None, *, max_tlp: str | None = DEFAULT_LEVEL,
          limits: BuildLimits = BuildLimits(), progress: Callable[[int], None] | None = None) -> BuildResult:
    """Validate ``paths`` and write every output into ``out_dir``.

    - ``dataset.json`` (the validated Dataset) and ``summary.json`` (its counts);
    - ``export/graph.ttl`` and ``export/graph.nt``: the RDF partners receive, at ``max_tlp``
      (default GREEN), with the ontology, shapes, JSON-LD context and manifests; the Turtle is
      checked against the SHACL shapes (above ``limits.shacl_full_triples``, the export of a
      sample), and a violation fails the build;
    - ``store/``: the workspace store that later commands read instead of the case files;
    - ``views/overview.html`` and a view per case (classes marked ``thb:dossierView``), and the
      dossier site under ``site/``, for the researchers who curate the data (all levels), within
      ``limits`` (see :class:`BuildLimits`).

    Everything is written into a fresh folder beside ``out_dir`` that replaces it whole when the
    build succeeds; nothing changes when the inputs have problems (:class:`~graph.errors.InputError`)
    or the build fails or is killed. ``out_dir`` may not be inside an input folder nor hold an input,
    and is replaced only when it is new, empty or an earlier build (it holds ``summary.json``);
    a second build into the same folder at the same time is refused.
    ``progress`` is called with the bytes read as JSON Lines are streamed.
    """
    out, paths = Path(out_dir), list(paths) if paths else None
    ontology = ontology or load_ontology()
    check_not_input(out, [*(paths or [Path("data")]), ontology.directory])
    started = time.perf_counter()
    with replaced_folder(out, "summary.json") as tmp, paused_gc():  # long-lived lists and arrays, not cycles
        ds = load_dataset(paths, ontology, progress=progress)
        loaded = time.perf_counter() - started
        previous = current(out / "store")
        if previous is not None:  # readers still on it keep it, and an unchanged input is not stored twice
            link_tree(previous, tmp / "store" / previous.name)
        result = _build(ds, tmp, paths, max_tlp=max_tlp or ds.ontology.partner_level, limits=limits)
        result.timings = {"load and validate": loaded, **result.timings}
        swap = time.perf_counter()
    result.timings["swap in"] = time.perf_counter() - swap
    result.out_dir = out
    result.files = [out / f.relative_to(tmp) for f in result.files]
    return result


def _build(ds: Dataset, out: Path, paths: list[Path | str] | None, *, max_tlp: str,
           limits: BuildLimits) -> BuildResult:
    """Write every output into the fresh folder ``out``."""
    clock = _Clock()
    table = edge_table(ds)  # the projection's columns: for the counts, the store and (small data) the views
    result = BuildResult(out, stats=dataset_stats(ds, table), timings=clock.timings)
    clock.lap("projection and counts")
    with atomic_writer(out / "dataset.json") as fh:
        fh.writelines(ds.iter_json())
    result.files.append(out / "dataset.json")
    summary = json.dumps(result.stats, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    result.files.append(atomic_write(out / "summary.json", summary))
    clock.lap("dataset.json")
    stamp = fingerprint([Path(p) for p in paths] if paths else None, ds.ontology)
    result.files.append(write_store(ds, out / "store", stamp, table))
    clock.lap("store")
    shared = share(ds, max_tlp)
    clock.lap("sharing")
    for name in ("graph.ttl", "graph.nt"):
        exported = export_rdf(ds, out / "export" / name, max_tlp=max_tlp, shared=shared)
        result.files += [f for f in exported.files if f not in result.files]
        result.export = exported.manifest
        clock.lap(f"export {name}")
    del shared
    result.shacl = _check_export(ds, out / "export" / "graph.ttl", result.export, max_tlp=max_tlp,
                                 limits=limits)
    clock.lap("SHACL check")
    n = len(ds.entities)
    if n <= max(limits.view_nodes, limits.dossier_entities):  # bulk data never builds the networkx graph
        G = to_networkx(ds, table)
        cf = Filters().compile(G, ds.ontology)  # the default every query uses: no disputed or refuted claim
        result.files += _views(ds, G, cf, out / "views", limits=limits, notes=result.notes)
        if n <= limits.dossier_entities:
            result.site_pages = write_site_into(ds, G, cf, out / "site").pages
            result.files.append(out / "site" / "index.html")
    else:
        result.notes.append(f"no overview view: {n} entities, above the limit of {limits.view_nodes}")
    if n > limits.dossier_entities:
        result.notes.append(f"no case views and no dossier site: {n} entities, above the limit of "
                            f"{limits.dossier_entities} (thbor view --case and thbor site write them on request)")
    clock.lap("views and site")
    return result


class _Clock:
    """Wall time of each stage of a build, in order (``BuildResult.timings``)."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = now - self._last
        self._last = now


def _check_export(ds: Dataset, ttl: Path, manifest: dict, *, max_tlp: str, limits: BuildLimits) -> str:
    """SHACL-check the export in full, or the export of a sample when it is too large for pyshacl."""
    triples = manifest.get("counts", {}).get("triples", 0)
    if triples <= limits.shacl_full_triples:
        checked, how = check_rdf(ttl, ds.ontology), f"all {triples} triples"
    else:
        sample = _sample(ds, limits.shacl_sample_claims)
        buf = io.StringIO()
        write_turtle(share(sample, max_tlp)[0], buf)
        checked = check_graph(rdflib.Graph().parse(data=buf.getvalue(), format="turtle"), ds.ontology)
        how = (f"a sample of {len(sample.claims)} claims ({checked.triples} triples; the export has {triples}, "
               f"above the full-check limit of {limits.shacl_full_triples})")
    if not checked.conforms:
        raise OutputError("the export does not conform to the shapes:\n" + "\n".join(map(str, checked.violations)))
    return how


def _sample(ds: Dataset, n: int) -> Dataset:
    """The first ``n`` claims by id, the entities they join and the sources they rest on.

    Only the sources the sample cites, relays or reaches through ``known_via``: a bulk input's
    thousands of other sources would make the sample's check as slow as the one it replaces.
    """
    claims = dict(itertools.islice(ds.claims.items(), n))
    ends = {x for c in claims.values() for x in (c.subject, c.object)}
    entities = {e: ds.entities[e] for e in ends}
    wanted = {s for c in claims.values() for s in cited_sources(c.citations)}
    wanted |= {s for e in entities.values() for s in cited_sources(e.citations)}
    todo = list(wanted)
    while todo:  # sources known through, reprinting or citing another one bring that one along
        s = ds.sources[todo.pop()]
        for via in (s.known_via, s.syndicates, *s.cites):
            if via and via not in wanted:
                wanted.add(via)
                todo.append(via)
    return Dataset(ds.ontology, {s: ds.sources[s] for s in wanted}, entities, claims)


def _views(ds: Dataset, G: nx.MultiDiGraph, cf: Compiled, folder: Path, *, limits: BuildLimits,
           notes: list[str]) -> list[Path]:
    """The overview and a view per case, each only when it stays within ``limits.view_nodes``."""
    files = []
    overview = whole(G, cf)
    if len(overview.nodes) <= limits.view_nodes:
        files.append(write_view(ds, G, overview, folder / "overview.html", max_nodes=limits.view_nodes))
    else:
        notes.append(f"no overview view: {len(overview.nodes)} entities, above the limit of {limits.view_nodes}")
    if len(ds.entities) > limits.dossier_entities:
        return files
    cases = [e.id for e in ds.entities.values()
             if any(ds.ontology.classes[t].dossier_view for t in e.types if t in ds.ontology.classes)]
    too_big = []
    for eid in cases[:limits.case_views]:
        spec = focus(G, cf, eid, 2)
        if len(spec.nodes) > limits.view_nodes:
            too_big.append(eid)
            continue
        files.append(write_view(ds, G, spec, folder / f"{eid}.html", max_nodes=limits.view_nodes))
    if too_big:
        notes.append(f"{len(too_big)} case view(s) not written, above {limits.view_nodes} entities: "
                     + ", ".join(too_big[:5]) + (" ..." if len(too_big) > 5 else ""))
    if len(cases) > limits.case_views:
        notes.append(f"case views for the first {limits.case_views} of {len(cases)} cases only "
                     "(thbor view --case CASE writes any other)")
    return files
