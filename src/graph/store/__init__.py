"""The workspace store: what ``thbor build`` compiles so that later path queries need not re-read
the case files.

A store is a folder of immutable generations::

    build/store/CURRENT            name of the generation in use (replaced atomically)
    build/store/gen-<fingerprint>/ meta.json, index.npz (the array index), nodes.json,
                                   edges.json (edge dates and sources, for the whole
                                   projection), records.sqlite (records as JSON, names and their words)

A generation is written under a temporary name and renamed when complete, then CURRENT is
replaced: a build killed at any point leaves the previous generation in use, and readers that
opened a generation keep reading it. The fingerprint hashes every input file, the ontology and the
software version; a reader compares it with the inputs of the moment, so a changed input is never
answered from a stale store.

The package: :mod:`graph.store.write` writes a generation (the projection's node rows and edge
table, its array index, the records and their names); :mod:`graph.store.read` opens one (the
index for cold path queries, the networkx graph rebuilt by the projection's own code, records on
demand); :mod:`graph.store.names` looks names up in it.
"""

from __future__ import annotations

from graph.errors import StoreError
from graph.store.names import StoredNames, StoreNames
from graph.store.read import QueryGraph, StoreDataset, StoreGraph, current, fresh
from graph.store.write import FORMAT, fingerprint, write_store

__all__ = ["FORMAT", "QueryGraph", "StoreDataset", "StoreError", "StoreGraph", "StoreNames", "StoredNames", "current",
           "fingerprint", "fresh", "write_store"]
