"""Exceptions raised by the library. Only the CLI turns them into messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as the input allows.

    >>> str(Problem("data/a.yaml", 12, "claim-1", "unknown predicate 'recruted'"))
    "data/a.yaml:12: claim-1: unknown predicate 'recruted'"
    """

    path: str
    line: int
    record: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.record}: {self.message}" if self.record else f"{where}: {self.message}"


class ThborError(Exception):
    """Base class of every error the library raises on purpose."""


class InputError(ThborError):
    """The input files hold one or more problems; all of them are listed."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=_problem_order)
        super().__init__("\n".join(str(p) for p in self.problems))


class OntologyError(ThborError):
    """The ontology folder is missing, unreadable or inconsistent."""


class UsageError(ThborError):
    """A command was asked for something it cannot do (bad option value, unknown name).

    ``fields`` are the parameters the message names, written in it as the library spells them
    (``max_hops``); a command line shows each as its own flag (``--max-hops``).

    >>> UsageError("max_hops must be between 1 and 10, not 0", fields=("max_hops",)).fields
    ('max_hops',)
    """

    def __init__(self, message: str, *, fields: tuple[str, ...] = ()):
        super().__init__(message)
        self.fields = fields
        self.flags: dict[str, str] = {}  # field -> flag, where a command calls it otherwise than by its name


class OutputError(ThborError):
    """An output could not be written."""


class LookupProblem(ThborError):
    """A name matched no entity, or several; ``candidates`` lists (id, name) to choose from."""

    def __init__(self, query: str, message: str, candidates: list[tuple[str, str]]):
        self.query, self.candidates = query, candidates
        lines = [message] + [f"  {cid}  ({name})" for cid, name in candidates]
        super().__init__("\n".join(lines))


class NodeNotFound(ThborError, KeyError):
    """An entity id asked for is not in the graph (or not in the part of it a query may see).

    A ``KeyError`` too, so that mapping-style callers keep working.

    >>> str(NodeNotFound("person-x"))
    'no entity with id person-x in the graph'
    """

    def __init__(self, node: str):
        self.node = node
        super().__init__(f"no entity with id {node} in the graph")

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class StoreError(ThborError):
    """The workspace store is missing, damaged or made from other inputs."""


class PushError(ThborError):
    """A remote SPARQL store could not be reached, or refused the data."""


class SparqlError(ThborError):
    """A query failed while running (a federated service gave no usable answer, the store failed)."""


def _problem_order(p: Problem) -> tuple[str, int, str, str]:
    return (p.path, p.line, p.record, p.message)
