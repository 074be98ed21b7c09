"""thbor-graph: a sourced knowledge graph of trafficking in persons for organ removal.

The flow runs one way: case files -> validated :class:`Dataset` -> projections and outputs.

>>> from graph import load_dataset
>>> ds = load_dataset(["data"])
>>> all(claim.citations for claim in ds.claims.values())
True
"""

from .build import BuildResult, build
from .dataset import Dataset
from .errors import InputError, OntologyError, OutputError, Problem, ThborError
from .ontology import Ontology, find_ontology_dir, load_ontology
from .reading import Limits
from .records import Alias, Citation, Claim, Entity, Origin, Source
from .stats import dataset_stats
from .validate import load_dataset, validate_records

__version__ = "0.1.0"

__all__ = [
    "Alias", "BuildResult", "Citation", "Claim", "Dataset", "Entity", "InputError", "Limits", "Ontology",
    "OntologyError", "Origin", "OutputError", "Problem", "Source", "ThborError", "build", "dataset_stats",
    "find_ontology_dir", "load_dataset", "load_ontology", "validate_records",
]
