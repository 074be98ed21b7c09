"""thbor-graph: a sourced knowledge graph of trafficking in persons for organ removal.

The flow runs one way: case files -> validated :class:`Dataset` -> projections and outputs.

>>> from graph import load_dataset
>>> ds = load_dataset(["data"])
>>> all(claim.citations for claim in ds.claims.values())
True
"""

from graph.build import BuildResult, build
from graph.model.confidence import claim_confidence
from graph.model.dataset import Dataset
from graph.errors import InputError, OntologyError, OutputError, Problem, ThborError, UsageError
from graph.query.evidence import claim_evidence, path_evidence
from graph.query.filters import Filters
from graph.model.names import LookupProblem, NameIndex, match_key
from graph.query.network import common_neighbors, communities, connect, neighbors, rank, routes, timeline
from graph.model.ontology import Ontology, find_ontology_dir, load_ontology
from graph.load.files import Limits
from graph.model.records import Alias, Citation, Claim, Entity, Origin, Source
from graph.query.paths import Path, k_shortest_paths, most_credible_path, paths_up_to, shortest_path
from graph.query.projection import to_networkx
from graph.quality.stats import dataset_stats
from graph.load.validate import load_dataset, validate_records

__version__ = "0.1.0"

__all__ = [
    "Alias", "BuildResult", "Citation", "Claim", "Dataset", "Entity", "Filters", "InputError", "Limits",
    "LookupProblem", "NameIndex", "Ontology", "OntologyError", "Origin", "OutputError", "Path", "Problem", "Source",
    "ThborError", "UsageError", "build", "claim_confidence", "claim_evidence", "common_neighbors", "communities",
    "connect", "dataset_stats", "find_ontology_dir", "k_shortest_paths", "load_dataset", "load_ontology",
    "match_key", "most_credible_path", "neighbors", "path_evidence", "paths_up_to", "rank", "routes",
    "shortest_path", "timeline", "to_networkx", "validate_records",
]
