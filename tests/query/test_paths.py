"""Path queries: property tests on random graphs against an independent search, and the shipped data."""

from __future__ import annotations

import itertools
import math
from collections import deque

import networkx as nx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from graph.html.views import focus
from graph.load.files import RawRecord
from graph.load.validate import validate_records
from graph.model.confidence import claim_confidence
from graph.model.records import Origin
from graph.query.filters import Filters
from graph.query.network import connect, neighbors
from graph.query.paths import k_shortest_paths, most_credible_path, paths_up_to, shortest_path
from graph.query.projection import to_networkx

TYPES = ["Person", "Country", "Hospital", "Group", "Practice", "City", "Site"]
# the traversal roles the shipped ontology gives these types, read here independently of the code:
# countries and cities are context, practices concepts; a site is a specific place, an actor/object
OPAQUE = {"Country", "City", "Practice"}
PREDICATES = ["associatedWith", "partOf"]  # symmetric and directed, both Entity -> Entity
STATUSES = ["alleged", "reported", "confirmed", "disputed", "refuted"]


@st.composite
def random_dataset(draw):
    n = draw(st.integers(2, 10))
    types = draw(st.lists(st.sampled_from(TYPES), min_size=n, max_size=n))
    # at least as many claims as entities: sparse draws would leave almost every pair unconnected
    edges = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.sampled_from(PREDICATES),
                                    st.sampled_from(STATUSES), st.sampled_from("ABCDEF"), st.sampled_from("123456")),
                          min_size=n, max_size=25))
    raw = [RawRecord("source", {"id": f"s{g}", "title": g, "kind": "Report", "reliability": g, "publisher": f"p{g}"},
                     Origin("mem", 0)) for g in "ABCDEF"]
    raw += [RawRecord("entity", {"id": f"n{i}", "type": t, "name": f"N{i}"}, Origin("mem", 0))
            for i, t in enumerate(types)]
    seen = set()
    for i, j, p, status, rel, cred in edges:
        if i == j or (i, j, p) in seen:
            continue
        seen.add((i, j, p))
        raw.append(RawRecord("claim", {"subject": f"n{i}", "predicate": p, "object": f"n{j}", "status": status,
                                       "citations": [{"source": f"s{rel}", "quote": "q", "credibility": cred}]},
                             Origin("mem", 0)))
    from graph.model.ontology import load_ontology

    from ..conftest import ROOT
    ds, problems = validate_records(raw, load_ontology(ROOT / "ontology"))
    assert not problems, problems
    return ds


@st.composite
def random_filters(draw):
    return Filters(avoid_types=frozenset(draw(st.sets(st.sampled_from(TYPES), max_size=1))),
                   exclude_predicates=frozenset(draw(st.sets(st.sampled_from(PREDICATES), max_size=1))),
                   min_confidence=draw(st.sampled_from([0.0, 0.0, 0.1, 0.3])),
                   directed=draw(st.booleans()), via_context=draw(st.booleans()))


def draw_pair(data, G):
    """Two entities, the second often among those linked to the first at all (random pairs rarely are)."""
    a = data.draw(st.sampled_from(sorted(G)))
    near = sorted(nx.node_connected_component(G.to_undirected(as_view=True), a))
    return a, data.draw(st.sampled_from(near) if data.draw(st.booleans()) else st.sampled_from(sorted(G)))


def question(ds, f: Filters, data, distinct: bool = True):
    """The projection, the compiled filters and a pair to ask about (two different entities unless told)."""
    G = to_networkx(ds)
    cf = f.compile(G, ds.ontology)
    a, b = draw_pair(data, G)
    if distinct:
        assume(a != b)
    return G, cf, a, b


def allowed(ds, f: Filters):
    """Independent reading of the filter rules: the allowed claims as (from, to, claim) steps."""
    steps = []
    for c in ds.claims.values():
        if c.predicate in f.exclude_predicates or c.status in {"disputed", "refuted"}:
            continue
        if claim_confidence(c, ds.sources, ds.ontology) < f.min_confidence:
            continue
        steps.append((c.subject, c.object, c))
        if not f.directed or c.predicate == "associatedWith":
            steps.append((c.object, c.subject, c))
    return steps


def passable(ds, f, n, a, b):
    """May a path between a and b pass through n? The graph with context and concept nodes removed."""
    types = set(ds.entities[n].types)
    return n in (a, b) or not (types & f.avoid_types or (types & OPAQUE and not f.via_context))


def bfs_distance(ds, f, a, b):
    adj = {}
    for u, v, _ in allowed(ds, f):
        adj.setdefault(u, set()).add(v)
    dist, queue = {a: 0}, deque([a])
    while queue:
        u = queue.popleft()
        for v in sorted(adj.get(u, ())):
            if v not in dist and passable(ds, f, v, a, b):
                dist[v] = dist[u] + 1
                queue.append(v)
    return dist.get(b)


def check_path(ds, f, p, a, b):
    assert p.nodes[0] == a and p.nodes[-1] == b
    assert len(set(p.nodes)) == len(p.nodes), "paths are simple"
    steps = {(u, v): [] for u, v, _ in allowed(ds, f)}
    for u, v, c in allowed(ds, f):
        steps[(u, v)].append(c.id)
    for (u, v), claims in zip(itertools.pairwise(p.nodes), p.hops, strict=True):
        assert claims and sorted(claims) == sorted(steps.get((u, v), [])), (u, v)
    for n in p.nodes[1:-1]:
        assert passable(ds, f, n, a, b)
    assert p.through == [n for n in p.nodes[1:-1] if set(ds.entities[n].types) & OPAQUE]  # marked
    assert f.via_context or p.evidenced


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(random_dataset(), random_filters(), st.data())
def test_shortest_path_matches_independent_bfs(ds, f, data):
    G, cf, a, b = question(ds, f, data, distinct=False)
    p = shortest_path(G, a, b, cf)
    expected = bfs_distance(ds, f, a, b)
    assert (p is None) == (expected is None)
    if p is not None:
        assert len(p) == expected
        check_path(ds, f, p, a, b)


@SETTINGS
@given(random_dataset(), random_filters(), st.data(), st.integers(1, 6))
def test_k_shortest_are_simple_distinct_and_sorted(ds, f, data, k):
    G, cf, a, b = question(ds, f, data)
    paths = k_shortest_paths(G, a, b, cf, k=k)
    assert len(paths) <= k
    assert len({tuple(p.nodes) for p in paths}) == len(paths)
    assert [len(p) for p in paths] == sorted(len(p) for p in paths)
    if paths:
        assert len(paths[0]) == bfs_distance(ds, f, a, b)
    else:
        assert bfs_distance(ds, f, a, b) is None
    for p in paths:
        check_path(ds, f, p, a, b)


@SETTINGS
@given(random_dataset(), random_filters(), st.data())
def test_most_credible_path_maximises_the_product(ds, f, data):
    G, cf, a, b = question(ds, f, data)
    H = nx.DiGraph()
    for u, v, c in allowed(ds, f):
        conf = claim_confidence(c, ds.sources, ds.ontology)
        if passable(ds, f, u, a, b) and passable(ds, f, v, a, b) and conf > 0:
            H.add_edge(u, v, conf=max(conf, H.edges[u, v]["conf"]) if H.has_edge(u, v) else conf)
    best = 0.0
    if a in H and b in H:
        for nodes in nx.all_simple_paths(H, a, b):
            best = max(best, math.prod(H.edges[u, v]["conf"] for u, v in itertools.pairwise(nodes)))
    p = most_credible_path(G, a, b, cf)
    if best == 0.0:
        assert p is None
    else:
        assert p is not None and p.confidence == pytest.approx(best, abs=1e-3)
        check_path(ds, f, p, a, b)


@SETTINGS
@given(random_dataset(), random_filters(), st.data(), st.integers(1, 4))
def test_paths_up_to_max_hops(ds, f, data, max_hops):
    G, cf, a, b = question(ds, f, data)
    res = paths_up_to(G, a, b, cf, max_hops=max_hops, limit=1000)
    assert not res.truncated
    for p in res.paths:
        assert len(p) <= max_hops
        check_path(ds, f, p, a, b)
    d = bfs_distance(ds, f, a, b)
    assert bool(res.paths) == (d is not None and d <= max_hops)


def test_limit_cuts_results_with_a_message(ontology):
    raw = [RawRecord("source", {"id": "s", "title": "t", "kind": "Report", "reliability": "B"}, Origin("m", 0))]
    raw += [RawRecord("entity", {"id": f"n{i}", "type": "Person", "name": f"N{i}"}, Origin("m", 0)) for i in range(8)]
    raw += [RawRecord("claim", {"subject": f"n{i}", "predicate": "associatedWith", "object": f"n{j}",
                                "citations": [{"source": "s", "quote": "q"}]}, Origin("m", 0))
            for i in range(8) for j in range(i + 1, 8)]
    ds, problems = validate_records(raw, ontology)
    assert not problems
    G = to_networkx(ds)
    res = paths_up_to(G, "n0", "n7", Filters().compile(G, ontology), max_hops=6, limit=10)
    assert res.truncated and len(res.paths) == 10 and "more than 10 paths" in res.message


def components(ds, f, terminals):
    """Independent connectivity: union-find over allowed claims, context nodes only as terminals."""
    parent = {n: n for n in ds.entities}

    def root(n):
        while parent[n] != n:
            n = parent[n]
        return n
    for u, v, _ in allowed(ds, f):
        ok = all(passable(ds, f, x, x if x in terminals else None, None) for x in (u, v))
        if ok and u != v:
            parent[root(u)] = root(v)
    return root


@SETTINGS
@given(random_dataset(), random_filters(), st.data())
def test_connect_tree_follows_concrete_evidence(ds, f, data):
    G = to_networkx(ds)
    cf = f.compile(G, ds.ontology)
    terminals = data.draw(st.lists(st.sampled_from(sorted(G)), min_size=2, max_size=3, unique=True))
    res = connect(G, terminals, cf)
    root = components(ds, f, set(terminals))
    together = len({root(t) for t in terminals}) == 1
    assert (not res["unreachable"]) == together
    for n in res["nodes"]:
        if n not in terminals:
            assert passable(ds, f, n, None, None)  # no interior context or concept node by default
    assert res["through"] == sorted(n for n in res["nodes"]
                                    if n not in terminals and set(ds.entities[n].types) & OPAQUE)


@SETTINGS
@given(random_dataset(), random_filters(), st.data(), st.integers(1, 3))
def test_neighbourhoods_and_case_views_expand_only_actors(ds, f, data, hops):
    G = to_networkx(ds)
    cf = f.compile(G, ds.ontology)
    center = data.draw(st.sampled_from(sorted(G)))
    res = neighbors(G, center, hops, cf)
    # independent breadth-first search: context and concept nodes are reached but never expanded
    adj = {}
    for u, v, _ in allowed(ds, f):
        adj.setdefault(u, set()).add(v)
    dist, queue = {center: 0}, deque([center])
    while queue:
        u = queue.popleft()
        if dist[u] == hops or (u != center and not passable(ds, f, u, None, None)):
            continue
        for v in sorted(adj.get(u, ())):
            if v not in dist and not set(ds.entities[v].types) & f.avoid_types:
                dist[v] = dist[u] + 1
                queue.append(v)
    assert res["distance"] == dist
    spec = focus(G, cf, center, hops)  # a case view is the same neighbourhood
    assert sorted(spec.nodes) == sorted(dist)


def clique(ontology, n):
    """``n`` people, each pair linked by one claim: the simple paths between two of them multiply."""
    raw = [RawRecord("source", {"id": "s", "title": "t", "kind": "Report", "reliability": "B"}, Origin("m", 0))]
    raw += [RawRecord("entity", {"id": f"n{i}", "type": "Person", "name": f"N{i}"}, Origin("m", 0)) for i in range(n)]
    raw += [RawRecord("claim", {"subject": f"n{i}", "predicate": "associatedWith", "object": f"n{j}",
                                "citations": [{"source": "s", "quote": "q"}]}, Origin("m", 0))
            for i in range(n) for j in range(i + 1, n)]
    ds, problems = validate_records(raw, ontology)
    assert not problems
    G = to_networkx(ds)
    return G, Filters().compile(G, ontology)


def test_path_searches_refuse_more_than_their_bounds(ontology):
    from graph.errors import UsageError
    from graph.query.paths import MAX_HOPS, MAX_K, MAX_PATHS
    G, cf = clique(ontology, 8)  # 1957 simple paths from n0 to n7
    assert len(k_shortest_paths(G, "n0", "n7", cf, k=MAX_K)) == MAX_K
    res = paths_up_to(G, "n0", "n7", cf, max_hops=MAX_HOPS, limit=MAX_PATHS)
    assert res.truncated and len(res.paths) == MAX_PATHS
    for call, option, bound, value in [
            (lambda v: k_shortest_paths(G, "n0", "n7", cf, k=v), "k", MAX_K, MAX_K + 1),
            (lambda v: k_shortest_paths(G, "n0", "n7", cf, k=v), "k", MAX_K, 0),
            (lambda v: paths_up_to(G, "n0", "n7", cf, max_hops=v), "max_hops", MAX_HOPS, MAX_HOPS + 1),
            (lambda v: paths_up_to(G, "n0", "n7", cf, max_hops=3, limit=v), "limit", MAX_PATHS, MAX_PATHS + 1),
            (lambda v: paths_up_to(G, "n0", "n7", cf, max_hops=3, limit=v), "limit", MAX_PATHS, -5)]:
        with pytest.raises(UsageError) as info:
            call(value)
        assert str(info.value).startswith(f"{option} must be between 1 and {bound}, not {value}")
        assert option in info.value.fields  # the command line names it as its flag


@pytest.mark.parametrize("args, message", [
    (["--k", "5000"], "--k must be between 1 and 100, not 5000"),
    (["--max-hops", "20", "--limit", "1000000"], "--max-hops must be between 1 and 10, not 20"),
    (["--max-hops", "5", "--limit", "1000000"], "--limit must be between 1 and 1000, not 1000000"),
])
def test_cli_path_says_the_bound_and_exits_2(cli, args, message):
    from ..conftest import ROOT
    code, out, err = cli("path", "group-id-kh-2023-recruiters", "country-kh", "--data", ROOT / "data", *args)
    assert code == 2 and message in err and not out


def test_docs_state_the_path_bounds():
    from graph.query.paths import MAX_HOPS, MAX_K, MAX_PATHS

    from ..conftest import ROOT
    [row] = [line for line in (ROOT / "docs" / "queries.md").read_text(encoding="utf-8").splitlines()
             if line.startswith("| `thbor path A B` |")]
    assert f"`--k N` (N at most {MAX_K})" in row and f"L hops (at most {MAX_HOPS};" in row
    assert f"`--limit`, at most {MAX_PATHS}" in row
