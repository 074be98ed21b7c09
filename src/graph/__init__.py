"""thbor-graph: a sourced knowledge graph of trafficking in persons for organ removal.

The flow runs one way: case files -> validated :class:`Dataset` -> projections and outputs.

>>> from graph import load_dataset
>>> ds = load_dataset(["data"])
>>> all(claim.citations for claim in ds.claims.values())
True
"""

from .build import BuildResult, build
from .confidence import claim_confidence
from .dataset import Dataset
from .errors import InputError, OntologyError, OutputError, Problem, ThborError, UsageError
from .evidence import claim_evidence, path_evidence
from .filters import Filters
from .names import LookupProblem, NameIndex, match_key
from .network import common_neighbors, communities, connect, neighbors, rank, routes, timeline
from .ontology import Ontology, find_ontology_dir, load_ontology
from .reading import Limits
from .records import Alias, Citation, Claim, Entity, Origin, Source
from .paths import Path, k_shortest_paths, most_credible_path, paths_up_to, shortest_path
from .projection import to_networkx
from .stats import dataset_stats
from .validate import load_dataset, validate_records

__version__ = "0.1.0"

__all__ = [
    "Alias", "BuildResult", "Citation", "Claim", "Dataset", "Entity", "Filters", "InputError", "Limits",
    "LookupProblem", "NameIndex", "Ontology", "OntologyError", "Origin", "OutputError", "Path", "Problem", "Source",
    "ThborError", "UsageError", "build", "claim_confidence", "claim_evidence", "common_neighbors", "communities",
    "connect", "dataset_stats", "find_ontology_dir", "k_shortest_paths", "load_dataset", "load_ontology",
    "match_key", "most_credible_path", "neighbors", "path_evidence", "paths_up_to", "rank", "routes",
    "shortest_path", "timeline", "to_networkx", "validate_records",
]
