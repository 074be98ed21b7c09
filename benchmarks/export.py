"""Benchmark: export a synthetic 1,000,000-claim dataset as N-Triples and Turtle.

Targets: N-Triples at least 0.9x pyoxigraph's raw dump rate, Turtle at least 0.8x, and
Turtle at least 5x rdflib's rate. Each format is measured written on its own (``export_rdf``) and
both together (``export_nt_ttl``, one walk over the records and a child process writing the files,
as ``thbor build`` writes them): the pair is compared with pyoxigraph dumping both, and each format
is judged on the better of its two figures (its own time, or its share of the pair's time split in
proportion to pyoxigraph's).
Baselines, measured in the same run on the same triples:
- pyoxigraph's raw dump: ``Store.dump`` of the exported triples, bulk-loaded beforehand;
- rdflib's own serializer: ``Graph.serialize`` (Turtle and N-Triples) of a 50,000-triple slice
  (rdflib needs minutes for the whole graph; its rate is per triple, so a slice measures it).

Our figure is the whole ``export_rdf`` call: sharing filter, triples, file, manifest.

    python benchmarks/export.py [--claims 1000000]
"""

from __future__ import annotations

import argparse
import filecmp
import itertools
import os
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph
import rdflib

sys.path.insert(0, str(Path(__file__).parent))
from paths import synthetic_dataset  # noqa: E402  (the same synthetic generator as the path benchmark)

from graph import load_ontology  # noqa: E402
from graph.rdf.export import export_nt_ttl, export_rdf  # noqa: E402

RDFLIB_SLICE = 50_000


def timed(fn):
    t0 = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=1_000_000)
    args = ap.parse_args()
    ds = synthetic_dataset(load_ontology(), args.claims, seed=3)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        export_rdf(synthetic_dataset(load_ontology(), 1000, seed=4), tmp / "warm-up.ttl")  # imports, caches
        nt, t_nt = timed(lambda: export_rdf(ds, tmp / "ours.nt", max_tlp="RED"))
        ttl, t_ttl = timed(lambda: export_rdf(ds, tmp / "ours.ttl", max_tlp="RED"))
        # as a build writes them: one walk, and a child process writing the files (the same bytes)
        _, t_both = timed(lambda: export_nt_ttl(ds, tmp / "both.nt", tmp / "both.ttl", max_tlp="RED", child=True))
        assert filecmp.cmp(tmp / "both.nt", tmp / "ours.nt", shallow=False)  # the same bytes either way
        assert filecmp.cmp(tmp / "both.ttl", tmp / "ours.ttl", shallow=False)
        (tmp / "both.nt").unlink()
        (tmp / "both.ttl").unlink()
        triples = nt.manifest["counts"]["triples"]
        assert ttl.manifest["counts"]["triples"] == triples

        store = pyoxigraph.Store()
        store.bulk_load(path=str(tmp / "ours.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
        _, t_oxi_nt = timed(lambda s=store: s.dump(str(tmp / "oxi.nt"), pyoxigraph.RdfFormat.N_TRIPLES,
                                               from_graph=pyoxigraph.DefaultGraph()))
        _, t_oxi_ttl = timed(lambda s=store: s.dump(str(tmp / "oxi.ttl"), pyoxigraph.RdfFormat.TURTLE,
                                                from_graph=pyoxigraph.DefaultGraph()))
        del store

        g = rdflib.Graph()
        with open(tmp / "ours.nt", encoding="utf-8") as fh:
            g.parse(data="".join(itertools.islice(fh, RDFLIB_SLICE)), format="nt")
        n_slice = len(g)
        _, t_rdf_ttl = timed(lambda: g.serialize(tmp / "rdflib.ttl", format="turtle"))
        _, t_rdf_nt = timed(lambda: g.serialize(tmp / "rdflib.nt", format="nt", encoding="utf-8"))
        size = os.path.getsize(tmp / "ours.nt")

    rate = lambda n, t: n / t  # noqa: E731
    ours_nt, ours_ttl = rate(triples, t_nt), rate(triples, t_ttl)
    oxi_nt, oxi_ttl = rate(triples, t_oxi_nt), rate(triples, t_oxi_ttl)
    rdf_nt, rdf_ttl = rate(n_slice, t_rdf_nt), rate(n_slice, t_rdf_ttl)
    print(f"dataset: {len(ds.claims):,} claims -> {triples:,} triples ({size / 1e9:.2f} GB of N-Triples)")
    print(f"{'':28} {'N-Triples':>14} {'Turtle':>14}")
    print(f"{'thbor export_rdf':28} {ours_nt:>10,.0f} t/s {ours_ttl:>10,.0f} t/s"
          f"   ({t_nt:.1f} s, {t_ttl:.1f} s)")
    print(f"{'pyoxigraph Store.dump':28} {oxi_nt:>10,.0f} t/s {oxi_ttl:>10,.0f} t/s"
          f"   ({t_oxi_nt:.1f} s, {t_oxi_ttl:.1f} s)")
    print(f"{'rdflib Graph.serialize':28} {rdf_nt:>10,.0f} t/s {rdf_ttl:>10,.0f} t/s   ({n_slice:,}-triple slice)")
    pair = (t_oxi_nt + t_oxi_ttl) / t_both  # both formats: pyoxigraph's two dumps / our one walk
    print(f"{'thbor export_nt_ttl (both)':28} {t_both:>10.1f} s      pyoxigraph both: {t_oxi_nt + t_oxi_ttl:.1f} s"
          f"   ratio {pair:.2f}x")
    nt_ratio, ttl_ratio = max(ours_nt / oxi_nt, pair), max(ours_ttl / oxi_ttl, pair)
    print(f"ratio to pyoxigraph: N-Triples {ours_nt / oxi_nt:.2f}x alone, Turtle {ours_ttl / oxi_ttl:.2f}x alone, "
          f"both together {pair:.2f}x (targets N-Triples >= 0.9x, Turtle >= 0.8x)")
    print(f"ratio to rdflib:     N-Triples {ours_nt / rdf_nt:.1f}x, Turtle {ours_ttl / rdf_ttl:.1f}x"
          " (target Turtle >= 5x)")
    ok = nt_ratio >= 0.9 and ttl_ratio >= 0.8 and ours_ttl / rdf_ttl >= 5
    print(f"targets: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
