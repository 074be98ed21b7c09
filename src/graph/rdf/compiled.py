"""A record kind's rows, compiled into one Python function that gives a record's predicate-object pairs.

The writer (:mod:`graph.rdf.write`) turns each row of :data:`graph.rdf.mapping.ROWS` into a
:class:`Step`: how to get the value from a record and how to spell it. Interpreting the steps one
by one for every record costs a function call per row, and a million claims have about twenty rows
each; the compiled function does the same work inline. Only names go into its source text: each
step's strings, maps and functions are bound as variables, never spelt into the code, and an
attribute path must consist of identifiers.

>>> fill = compile_steps("demo", [Step("", "a b"), Step("name", "c ", render=str.upper, optional=True)])
>>> fill(type("R", (), {"name": "x"})()), fill(type("R", (), {"name": ""})())
(['a b', 'c X'], ['a b'])
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Render = Mapping[Any, str] | Callable[[Any], str] | None


@dataclass(frozen=True)
class Step:
    """One row of a record kind: each pair it gives is ``prefix`` + the rendered value.

    ``get``: an attribute path of the record (``"citation.source"``; ``""`` with no ``render``
    makes ``prefix`` a fixed pair), or a function of the record. ``render``: a map or a function
    from a value to its term (None: the value is the term). ``optional``: no pair for a value
    that is empty or None. ``many``: the value is a list, a pair per item.
    """

    get: str | Callable[[Any], Any]
    prefix: str
    render: Render = None
    optional: bool = False
    many: bool = False


def compile_steps(name: str, steps: list[Step]) -> Callable[[Any], list[str]]:
    """The function of a record that gives the pairs of ``steps``, in order (see :class:`Step`)."""
    env: dict[str, Any] = {}
    body = ["def fill(r):", "    po = []", "    add = po.append"]
    for i, step in enumerate(steps):
        env[f"P{i}"] = step.prefix
        if step.get == "" and step.render is None:  # a fixed pair
            body.append(f"    add(P{i})")
            continue
        body.append(f"    v = {_getter(step, i, env)}")
        term = _term(step, i, env, "x" if step.many else "v")
        indent = "    "
        if step.optional:
            body.append("    if v:")
            indent = "        "
        if step.many:
            body.append(f"{indent}po += [P{i} + {term} for x in v]")
        else:
            body.append(f"{indent}add(P{i} + {term})")
    body.append("    return po")
    code = compile("\n".join(body), f"<rdf rows of {name}>", "exec")
    exec(code, env)  # noqa: S102 - the source holds only generated names (see the module docstring)
    fill: Callable[[Any], list[str]] = env["fill"]
    return fill


def _getter(step: Step, i: int, env: dict[str, Any]) -> str:
    if callable(step.get):
        env[f"G{i}"] = step.get
        return f"G{i}(r)"
    parts = [p for p in step.get.split(".") if p]
    for p in parts:
        if not p.isidentifier() or keyword.iskeyword(p):
            raise ValueError(f"not an attribute path: {step.get!r}")
    return ".".join(["r", *parts])


def _term(step: Step, i: int, env: dict[str, Any], value: str) -> str:
    if step.render is None:
        return value
    env[f"R{i}"] = step.render
    return f"R{i}[{value}]" if isinstance(step.render, Mapping) else f"R{i}({value})"
