"""The workspace store: path queries without re-reading the inputs, never stale, safe to kill."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

import graph.cli.rdf
import graph.workspace

from ..conftest import ROOT

A, B = "group-id-kh-2023-recruiters", "Thailand"


@pytest.fixture
def work(tmp_path, cli):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    code, _, err = cli("build", data, "-o", tmp_path / "build")
    assert code == 0, err
    return tmp_path, data, tmp_path / "build" / "store"


def no_parsing(monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("the case files were read")
    monkeypatch.setattr(graph.workspace, "load_dataset", refuse)
    monkeypatch.setattr(graph.cli.rdf, "load_dataset", refuse)


@pytest.mark.parametrize("command", [
    ["neighbors", "KK Park", "--hops", "2", "--json"],
    ["rank", "--by", "betweenness", "--avoid-type", "Country"],
    ["path", A, B, "--k", "3", "--via-context"],
    ["timeline", "Cambodia", "--max-tlp", "green"],
    ["sparql", "queries/social-media-only.rq", "--format", "csv"],
], ids=lambda c: c[0] + ("-max-tlp" if "--max-tlp" in c else ""))
def test_other_commands_answer_from_the_store_too(work, cli, monkeypatch, command):
    _, data, store = work
    command = [str(ROOT / c) if c.endswith(".rq") else c for c in command]
    data_opt = ["--data", data]
    _, expected, _ = cli(*command, *data_opt, "--no-store")
    no_parsing(monkeypatch)
    code, out, err = cli(*command, *data_opt, "--store", store)
    assert code == 0, err
    assert out == expected and out.strip()


def test_export_and_view_from_the_store_write_the_same_files(work, cli, monkeypatch, tmp_path):
    _, data, store = work
    for how in ("--no-store", "store"):
        if how == "store":
            no_parsing(monkeypatch)
        flags = ["--no-store"] if how == "--no-store" else ["--store", store]
        assert cli("export", data, "-o", tmp_path / how / "graph.nt", *flags)[0] == 0
        assert cli("view", "--case", "case-kh-th-kidney-2014", "--data", data, "-o", tmp_path / how / "v.html",
                   *flags)[0] == 0
    for name in ("graph.nt", "v.html"):
        assert (tmp_path / "store" / name).read_bytes() == (tmp_path / "--no-store" / name).read_bytes()


def test_path_answers_from_the_store_without_reading_inputs(work, cli, monkeypatch):
    _, data, store = work
    _, expected, _ = cli("path", A, B, "--via-context", "--data", data, "--no-store")
    no_parsing(monkeypatch)
    code, out, err = cli("path", A, B, "--via-context", "--data", data, "--store", store)
    assert code == 0, err
    assert out == expected  # the same answer, the same evidence


def test_a_changed_input_is_never_answered_from_the_old_store(work, cli):
    _, data, store = work
    before = (store / "CURRENT").read_text()
    f = data / "places.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("name: Thailand", "name: Kingdom of Thailand"), encoding="utf-8")
    code, out, _ = cli("path", A, "Kingdom of Thailand", "--via-context", "--data", data, "--store", store)
    assert code == 0 and "Kingdom of Thailand" in out
    assert (store / "CURRENT").read_text() != before  # and the store was refreshed


def test_an_open_generation_keeps_working_after_a_new_one(work, cli, ontology):
    from graph.query.filters import Filters
    from graph.query.paths import shortest_path
    from graph.store import StoreGraph, current
    _, data, store = work
    old = current(store)
    G = StoreGraph(old, ontology)
    (data / "extra.yaml").write_text("entities:\n  - {id: extra-x, type: Country, name: Extra, country: FR}\n",
                                     encoding="utf-8")
    assert cli("build", data, "-o", work[0] / "build")[0] == 0
    assert current(store) != old and old.exists()
    p = shortest_path(G, A, "country-th", Filters(via_context=True).compile(G, ontology))
    assert p is not None and p.nodes[0] == A


@pytest.mark.slow
def test_a_build_killed_while_writing_the_store_leaves_the_last_one_answering(work, cli, tmp_path):
    _, data, store = work
    good = (store / "CURRENT").read_text()
    big = tmp_path / "big"
    shutil.copytree(data, big)
    code, _, _ = cli("synth", "--claims", "60000", "--seed", "2", "-o", big / "synthetic.jsonl")
    assert code == 0
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-m", "graph", "--ontology", str(ROOT / "ontology"), "build", str(big),
                             "-o", str(tmp_path / "build")], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    writing = ".build.tmp-*/store/.gen-*.tmp"
    while time.monotonic() < deadline and proc.poll() is None and not list(tmp_path.glob(writing)):
        time.sleep(0.005)
    assert proc.poll() is None, "the build ended before it started writing the store"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (store / "CURRENT").read_text() == good
    code, out, err = cli("path", A, B, "--via-context", "--data", data, "--store", store)
    assert code == 0 and out.startswith("Path 1:"), err


def test_the_store_gives_back_the_projection_and_the_records(work, ontology):
    from graph.load.validate import load_dataset
    from graph.query.projection import to_networkx
    from graph.store import StoreDataset, StoreGraph, current
    _, data, store = work
    ds = load_dataset([data], ontology)
    G, H = to_networkx(ds), StoreGraph(current(store), ontology).networkx()
    assert list(H.nodes(data=True)) == list(G.nodes(data=True))
    assert list(H.edges(keys=True, data=True)) == list(G.edges(keys=True, data=True))
    assert H.graph == G.graph
    assert StoreDataset(current(store), ontology).materialise().to_json() == ds.to_json()


def test_the_index_from_columns_is_the_index_of_the_graph(ontology):
    from graph.load.files import RawRecord
    from graph.load.validate import validate_records
    from graph.model.records import Origin
    from graph.query.index import GraphIndex
    from graph.query.projection import edge_table, node_rows, to_networkx
    from graph.synth import synth_records
    raw = [RawRecord(r.pop("record"), r, Origin("synth", i)) for i, r in enumerate(synth_records(ontology, 3000, 5))]
    ds, problems = validate_records(raw, ontology)
    assert not problems
    table = edge_table(ds)
    a = GraphIndex.from_table(node_rows(ds), table)
    b = GraphIndex.of(to_networkx(ds, table))
    for name, value in vars(b).items():
        other = getattr(a, name)
        if hasattr(value, "dtype"):
            assert value.dtype == other.dtype and (value == other).all(), name
        elif name == "type_nodes":
            assert value.keys() == other.keys() and all((value[t] == other[t]).all() for t in value), name
        else:
            assert value == other, name


def test_claims_are_found_by_id_whatever_order_the_dataset_lists_them(ontology):
    import tempfile

    from graph.load.validate import load_dataset
    from graph.model.dataset import Dataset
    from graph.store import StoreGraph, current, write_store
    ds = load_dataset([ROOT / "data"], ontology)
    shuffled = Dataset(ontology, ds.sources, ds.entities, {})
    shuffled.claims = dict(reversed(list(ds.claims.items())))  # not by id: the sorted order is worked out
    for d in (ds, shuffled):
        with tempfile.TemporaryDirectory() as tmp:
            write_store(d, tmp, "x")
            G = StoreGraph(current(tmp), ontology)
            for k in ds.claims:
                i = G.edge_at(k)
                assert i is not None and G.index.keys[i] == k
            assert G.edge_at("no-such-claim") is None


def test_the_stored_edge_table_is_the_projection_s_in_graph_order(work, ontology):
    from graph.load.validate import load_dataset
    from graph.query.projection import EDGE_ATTRIBUTES, edge_table
    from graph.store import StoreGraph, current
    _, data, store = work
    table, stored = edge_table(load_dataset([data], ontology)), StoreGraph(current(store), ontology).edge_table()
    order = table.graph_order()
    assert stored.nodes == table.nodes
    assert stored.keys == [table.keys[i] for i in order]
    assert (stored.subjects, stored.objects) == ([table.subjects[i] for i in order], [table.objects[i] for i in order])
    # every edge attribute (the projection's extra "origins" column is for the counts only, not stored)
    assert stored.columns == {a: [table.columns[a][i] for i in order] for a in EDGE_ATTRIBUTES}
    assert stored.graph_order() == list(range(len(order)))  # already in the graph's order


def test_a_store_graph_reads_nodes_and_edges_as_the_projection_does(work, ontology):
    from graph.load.validate import load_dataset
    from graph.query.projection import to_networkx
    from graph.store import QueryGraph, StoreGraph, current
    _, data, store = work
    G, S = to_networkx(load_dataset([data], ontology)), StoreGraph(current(store), ontology)
    q: QueryGraph = S
    assert list(q) == list(G) and len(q) == len(G) and "no-such-entity" not in q
    assert all(q.nodes[n] == G.nodes[n] for n in G)
    for u, v, k, d in G.edges(keys=True, data=True):
        assert q.has_edge(u, v, k) and not q.has_edge(v, u, k) or u == v
        assert q.edges[u, v, k] == {"confidence": d["confidence"], "tlp": d["tlp"]}


def _synthetic(ontology, claims: int):
    from graph.load.files import RawRecord
    from graph.load.validate import validate_records
    from graph.model.records import Origin
    from graph.synth import synth_records
    raw = [RawRecord(r.pop("record"), r, Origin("synth", i)) for i, r in enumerate(synth_records(ontology, claims, 5))]
    ds, problems = validate_records(raw, ontology)
    assert not problems
    return ds


def test_a_store_written_by_child_processes_is_the_store_written_in_one(ontology, tmp_path):
    import sqlite3

    from graph.store.write import start_store, write_store
    ds = _synthetic(ontology, 3000)
    one = write_store(ds, tmp_path / "one", "s")
    pending = start_store(ds, tmp_path / "two", "s", child=True)
    pending.project()
    two = pending.finish()
    pending.abandon()  # a later failure of the build stops its children: these are done already
    assert sorted(p.name for p in two.iterdir()) == sorted(p.name for p in one.iterdir())
    for name in ("index.npz", "nodes.json", "edges.json", "meta.json"):
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    for table in ("sources", "entities", "claims", "names", "name_words"):
        rows = [sorted(sqlite3.connect(g / "records.sqlite").execute(f"SELECT * FROM {table}")) for g in (one, two)]
        assert rows[0] == rows[1] and rows[0], table


def test_a_failing_store_child_fails_the_store_with_its_message(ontology, tmp_path, monkeypatch):
    from graph.errors import OutputError
    from graph.store import write
    ds = _synthetic(ontology, 50)
    monkeypatch.setattr(write, "_CHILD", "import sys; sys.exit('no room for the index')")
    pending = write.start_store(ds, tmp_path / "store", "s", child=True)
    pending.project()
    with pytest.raises(OutputError, match="cannot write the store: no room for the index"):
        pending.finish()
    assert not list((tmp_path / "store").glob("gen-*")) and not (tmp_path / "store" / "CURRENT").exists()
