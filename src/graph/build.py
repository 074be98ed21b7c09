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

from graph.errors import OutputError
from graph.html.site import write_site_into
from graph.html.views import DEFAULT_MAX_NODES, focus, whole, write_view
from graph.load.dataset_writer import DatasetJsonInChild
from graph.load.memory import paused_gc
from graph.load.validate import load_dataset
from graph.model.dataset import Dataset
from graph.model.ontology import Ontology, load_ontology
from graph.model.records import cited_sources
from graph.model.sharing import share
from graph.outputs import atomic_write, atomic_writer, check_not_input, link_tree, replaced_folder
from graph.quality.stats import dataset_stats
from graph.query.filters import Compiled, Filters
from graph.query.projection import confidences, edge_table, to_networkx
from graph.rdf.export import DEFAULT_LEVEL, export_nt_ttl
from graph.rdf.shacl import CheckInChild, check_rdf
from graph.rdf.write import write_turtle
from graph.store import current, fingerprint
from graph.store.write import PendingStore, start_store


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
    child_claims: int = 20_000  # above: child processes write dataset.json, graph.nt and graph.ttl (same bytes)


_Child = CheckInChild | PendingStore | DatasetJsonInChild  # what a build runs beside itself


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
    """Write every output into the fresh folder ``out``.

    Bulk data: dataset.json, the store's records and the SHACL check of a sample are done by
    child processes, on the second core, while this one works out the projection; another
    child writes the RDF files from the text this one makes as it walks the records.
    """
    children: list[_Child] = []
    try:
        return _outputs(ds, out, paths, children, max_tlp=max_tlp, limits=limits)
    except BaseException:
        for child in children:  # they write into the folder that is thrown away
            child.abandon()
        raise


def _outputs(ds: Dataset, out: Path, paths: list[Path | str] | None, children: list[_Child], *,
             max_tlp: str, limits: BuildLimits) -> BuildResult:
    """:func:`_build`, registering each child process it starts in ``children``."""
    clock = _Clock()
    result = BuildResult(out, timings=clock.timings)
    # every record as a line of JSON: the store's child reads them, and for bulk data another child
    # lays them out as dataset.json, both on the second core while the projection is worked out here
    records = out / ".records.tmp"
    try:
        with records.open("w", encoding="utf-8") as fh:
            fh.writelines(ds.record_lines())
    except OSError as exc:
        raise OutputError(f"{out}: cannot write: {exc.strerror or exc}") from None
    dataset_json: DatasetJsonInChild | None = None
    if len(ds.claims) > limits.child_claims:
        dataset_json = DatasetJsonInChild(records, out / "dataset.json", ds)
        children.append(dataset_json)
    else:
        with atomic_writer(out / "dataset.json") as fh:
            fh.writelines(ds.iter_json())
    result.files.append(out / "dataset.json")
    clock.lap("records' lines and dataset.json")
    stamp = fingerprint([Path(p) for p in paths] if paths else None, ds.ontology)
    store = start_store(ds, out / "store", stamp, child=True, records=records)
    children.append(store)
    result.files.append(store.final)  # listed where it was when the store was written in one go
    sample = _start_check(ds, out, max_tlp=max_tlp, limits=limits)  # on the second core too
    children += [sample[0]] if sample else []
    clock.lap("store records and SHACL sample started")
    table = edge_table(ds)  # the projection's columns: for the counts, the store and (small data) the views
    result.stats = dataset_stats(ds, table)
    summary = json.dumps(result.stats, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    result.files.insert(1, atomic_write(out / "summary.json", summary))  # listed beside dataset.json
    if dataset_json is not None:
        dataset_json.result()
    clock.lap("projection and counts")
    store.project(table)
    clock.lap("store projection")
    keys, projected = table.keys, table.columns["confidence"]
    n = len(ds.entities)
    views = n <= max(limits.view_nodes, limits.dossier_entities)  # bulk data never builds the networkx graph
    if not views:
        # a few hundred megabytes at a million claims, freed before sharing makes its copy of the records
        del table
    shared = share(ds, max_tlp)
    clock.lap("sharing")
    out_ds, report = shared
    unchanged = list(out_ds.claims) == keys and not (report.redacted_fields or report.replaced_ids
                                                     or any(report.withheld.values()))
    # the projection's confidence holds for the claims that leave when sharing withheld and changed nothing
    confidence = projected if unchanged else confidences(out_ds)
    del keys, projected
    exported = export_nt_ttl(ds, out / "export" / "graph.nt", out / "export" / "graph.ttl", max_tlp=max_tlp,
                             shared=shared, confidence=confidence,
                             child=len(out_ds.claims) > limits.child_claims)  # the files on the second core
    for one in (exported[1], exported[0]):  # the Turtle's manifest first, as when each was written on its own
        result.files += [f for f in one.files if f not in result.files]
    result.export = exported[0].manifest
    del shared, out_ds, confidence
    clock.lap("export graph.nt and graph.ttl")
    store.finish()
    records.unlink()
    clock.lap("store records (waited for)")
    result.shacl = _check_export(ds, out / "export" / "graph.ttl", result.export, sample, max_tlp=max_tlp,
                                 limits=limits)
    clock.lap("SHACL check")
    if views:
        G = to_networkx(ds, table)
        cf = Filters().compile(G, ds.ontology)  # the default every query uses: no disputed or refuted claim
        result.files += _views(ds, G, cf, out / "views", limits=limits, notes=result.notes)
        if n <= limits.dossier_entities:
            has_overview = out / "views" / "overview.html" in result.files  # its pages link into it for paths
            result.site_pages = write_site_into(ds, G, cf, out / "site",
                                                overview="../views/overview.html" if has_overview else None).pages
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


def _start_check(ds: Dataset, out: Path, *, max_tlp: str, limits: BuildLimits) -> tuple[CheckInChild, int] | None:
    """When the export may be above the full-check limit: start the check of a sample's export.

    The estimate counts every claim (~20 triples each), before sharing leaves some out; when the
    whole export turns out small, the sample check's result is not used.
    """
    if len(ds.claims) * 10 <= limits.shacl_full_triples:
        return None
    return _check_sample(ds, out, max_tlp=max_tlp, limits=limits)


def _check_sample(ds: Dataset, out: Path, *, max_tlp: str, limits: BuildLimits) -> tuple[CheckInChild, int]:
    sample = _sample(ds, limits.shacl_sample_claims)
    buf = io.StringIO()
    write_turtle(share(sample, max_tlp)[0], buf)
    return CheckInChild(buf.getvalue(), ds.ontology, out), len(sample.claims)


def _check_export(ds: Dataset, ttl: Path, manifest: dict, sample: tuple[CheckInChild, int] | None, *,
                  max_tlp: str, limits: BuildLimits) -> str:
    """SHACL-check the export in full, or the export of a sample when it is too large for pyshacl."""
    triples = manifest.get("counts", {}).get("triples", 0)
    if triples <= limits.shacl_full_triples:
        if sample is not None:  # started on an estimate: not needed
            sample[0].result()
        checked, how = check_rdf(ttl, ds.ontology), f"all {triples} triples"
    else:
        pending, claims = sample or _check_sample(ds, ttl.parent, max_tlp=max_tlp, limits=limits)
        checked = pending.result()
        how = (f"a sample of {claims} claims ({checked.triples} triples; the export has {triples}, "
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
