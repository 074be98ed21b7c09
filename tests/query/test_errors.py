"""The library's error contracts: an unknown id is NodeNotFound, an entity above the sharing level asked
for is a UsageError, in every query function that takes entity ids (graph.query.paths, graph.query.network)."""

from __future__ import annotations

import pytest

from graph.errors import NodeNotFound, ThborError, UsageError
from graph.load.validate import load_dataset
from graph.query import network, paths
from graph.query.filters import Filters
from graph.query.projection import to_networkx

from ..conftest import FIXTURES, ROOT

KNOWN = "h-hospital"  # CLEAR in the tiny case
SECRET = "g-victims"  # above CLEAR


def queries(ds):
    """Every query function that takes entity ids, called with two of them (``a``, ``b``)."""
    return {
        "shortest_path": lambda G, a, b, cf: paths.shortest_path(G, a, b, cf),
        "k_shortest_paths": lambda G, a, b, cf: paths.k_shortest_paths(G, a, b, cf, k=2),
        "paths_up_to": lambda G, a, b, cf: paths.paths_up_to(G, a, b, cf, max_hops=3),
        "most_credible_path": lambda G, a, b, cf: paths.most_credible_path(G, a, b, cf),
        "what_they_share": lambda G, a, b, cf: paths.what_they_share(G, a, b, cf),
        "neighbors": lambda G, a, b, cf: network.neighbors(G, a, 1, cf),
        "common_neighbors": lambda G, a, b, cf: network.common_neighbors(G, a, b, cf),
        "connect": lambda G, a, b, cf: network.connect(G, [b, a], cf),
        "timeline": lambda G, a, b, cf: network.timeline(ds, G, cf, a),
    }


@pytest.fixture(scope="module")
def tiny():
    from graph.model.ontology import load_ontology
    ds = load_dataset([FIXTURES / "tiny"], load_ontology(ROOT / "ontology"))
    return ds, to_networkx(ds)


NAMES = sorted(queries(None))


def test_every_query_function_with_ids_is_covered():
    public = {name for module in (paths, network) for name in dir(module)
              if callable(getattr(module, name)) and getattr(getattr(module, name), "__module__", "") == module.__name__
              and not name.startswith("_") and name[0].islower()}
    no_ids = {"rank", "communities", "routes", "allowed_graph", "check_bound", "hop_claims", "check_endpoints"}
    assert public - no_ids == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_an_unknown_id_is_node_not_found(tiny, name):
    ds, G = tiny
    query, cf = queries(ds)[name], Filters().compile(G, ds.ontology)
    with pytest.raises(NodeNotFound) as err:
        query(G, "nobody", KNOWN, cf)
    assert err.value.node == "nobody" and str(err.value) == "no entity with id nobody in the graph"
    assert isinstance(err.value, KeyError) and isinstance(err.value, ThborError)
    if name not in ("neighbors", "timeline"):  # these take one id
        with pytest.raises(NodeNotFound, match="nobody"):
            query(G, KNOWN, "nobody", cf)


@pytest.mark.parametrize("name", NAMES)
def test_an_entity_above_the_sharing_level_is_a_usage_error(tiny, name):
    ds, G = tiny
    query = queries(ds)[name]
    with pytest.raises(UsageError, match=f"{SECRET} is above the sharing level asked for \\(max_tlp CLEAR\\)"):
        query(G, SECRET, KNOWN, Filters(max_tlp="CLEAR").compile(G, ds.ontology))
    query(G, KNOWN, KNOWN if name in ("neighbors", "timeline") else "c-kh",
          Filters(max_tlp="CLEAR").compile(G, ds.ontology))  # entities at the level answer
