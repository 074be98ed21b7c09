"""thbor-graph: a sourced knowledge graph of trafficking in persons for organ removal.

The flow runs one way: case files -> validated :class:`Dataset` -> projections and outputs. The
names below are the public API; each is imported from its module when first used (so importing
one part of the package never loads the others; rdflib's ``plugin`` registry is the model).

>>> from graph import load_dataset
>>> ds = load_dataset(["data"])
>>> all(claim.citations for claim in ds.claims.values())
True
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_PUBLIC = {  # name -> module that defines it
    "Alias": "graph.model.records",
    "BuildResult": "graph.build",
    "Citation": "graph.model.records",
    "Claim": "graph.model.records",
    "claim_confidence": "graph.model.confidence",
    "claim_evidence": "graph.query.evidence",
    "common_neighbors": "graph.query.network",
    "communities": "graph.query.network",
    "Conflict": "graph.model.disagreement",
    "conflicts": "graph.quality.conflicts",
    "connect": "graph.query.network",
    "corroboration": "graph.model.origins",
    "Dataset": "graph.model.dataset",
    "dataset_stats": "graph.quality.stats",
    "dossier": "graph.query.dossier",
    "Dossier": "graph.query.dossier",
    "Entity": "graph.model.records",
    "Filters": "graph.query.filters",
    "find_conflicts": "graph.model.disagreement",
    "find_ontology_dir": "graph.model.ontology",
    "GraphPath": "graph.query.paths",
    "InputError": "graph.errors",
    "k_shortest_paths": "graph.query.paths",
    "Limits": "graph.load.files",
    "load_dataset": "graph.load.validate",
    "load_ontology": "graph.model.ontology",
    "LookupProblem": "graph.errors",
    "match_key": "graph.model.names",
    "most_credible_path": "graph.query.paths",
    "NameIndex": "graph.model.names",
    "neighbors": "graph.query.network",
    "NodeNotFound": "graph.errors",
    "Ontology": "graph.model.ontology",
    "OntologyError": "graph.errors",
    "open_dataset": "graph.workspace",
    "open_query": "graph.workspace",
    "Origin": "graph.model.records",
    "origins": "graph.model.origins",
    "OutputError": "graph.errors",
    "path_evidence": "graph.query.evidence",
    "PathMode": "graph.query.results",
    "paths_up_to": "graph.query.paths",
    "Problem": "graph.errors",
    "Query": "graph.query.results",
    "QueryOptions": "graph.query.results",
    "rank": "graph.query.network",
    "routes": "graph.query.network",
    "shortest_path": "graph.query.paths",
    "Source": "graph.model.records",
    "StoreError": "graph.errors",
    "ThborError": "graph.errors",
    "timeline": "graph.query.network",
    "to_networkx": "graph.query.projection",
    "UsageError": "graph.errors",
    "validate_records": "graph.load.validate",
    "Workspace": "graph.workspace",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'graph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
