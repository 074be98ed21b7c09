"""Compiled rows: one function per record kind gives the pairs the rows describe, and nothing else."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from graph.rdf.compiled import Step, compile_steps


def test_each_kind_of_step_gives_its_pairs_in_order():
    fill = compile_steps("t", [
        Step("", "a thb:Thing"),  # fixed
        Step("name", "rdfs:label ", render=lambda v: f'"{v}"'),
        Step("inner.code", "thb:code ", render={"x": "thb:X"}),
        Step("note", "rdfs:comment ", render=str.upper, optional=True),
        Step("tags", "thb:tag ", render=lambda v: f'"{v}"', many=True),
        Step(lambda r: sorted(r.tags), "thb:sorted ", many=True, optional=True),
    ])
    r = SimpleNamespace(name="n", inner=SimpleNamespace(code="x"), note=None, tags=["b", "a"])
    assert fill(r) == ['a thb:Thing', 'rdfs:label "n"', "thb:code thb:X", 'thb:tag "b"', 'thb:tag "a"',
                       "thb:sorted a", "thb:sorted b"]
    r.note, r.tags = "hi", []
    assert fill(r) == ['a thb:Thing', 'rdfs:label "n"', "thb:code thb:X", "rdfs:comment HI"]


def test_strings_are_bound_not_spelt_into_the_code():
    quote = '"); import os; os._exit(3); ("'
    fill = compile_steps(quote, [Step("", quote), Step("v", quote, render=lambda v: quote)])
    assert fill(SimpleNamespace(v=1)) == [quote, quote + quote]


@pytest.mark.parametrize("path", ["a b", "a;b", "a.__class__()", "import", "a..b()", "r[0]"])
def test_an_attribute_path_must_be_identifiers(path):
    with pytest.raises(ValueError, match="not an attribute path"):
        compile_steps("t", [Step(path, "p ", render=str)])
