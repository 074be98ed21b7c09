"""The confidence rule, step by step."""

from __future__ import annotations

import pytest

from graph.model.confidence import claim_confidence
from graph.model.records import Claim, Source

SOURCES = {
    "b1": Source(id="b1", title="t", kind="Report", reliability="B", publisher="P1"),
    "b1bis": Source(id="b1bis", title="t", kind="Report", reliability="B", publisher="P1"),
    "c2": Source(id="c2", title="t", kind="Report", reliability="C", publisher="P2"),
    "f": Source(id="f", title="t", kind="SocialMediaPost", reliability="F"),
    "d": Source(id="d", title="t", kind="Article", reliability="D"),
}


def claim(*cits, status="reported"):
    return Claim(subject="a", predicate="paid", object="b", status=status,
                 citations=[{"source": s, "quote": "q", **({"credibility": c} if c else {}), **kw}
                            for s, c, kw in cits])


def conf(c, ontology):
    return claim_confidence(c, SOURCES, ontology)


def test_single_citation_is_reliability_times_credibility(ontology):
    assert conf(claim(("b1", "2", {})), ontology) == pytest.approx(0.8 * 0.7, abs=1e-3)


def test_missing_credibility_counts_as_cannot_be_judged(ontology):
    assert conf(claim(("b1", None, {})), ontology) == conf(claim(("b1", "6", {})), ontology)


def test_same_publisher_is_not_corroboration(ontology):
    one = conf(claim(("b1", "2", {})), ontology)
    assert conf(claim(("b1", "2", {}), ("b1bis", "2", {})), ontology) == one


def test_independent_publishers_corroborate(ontology):
    one = conf(claim(("b1", "2", {})), ontology)
    two = conf(claim(("b1", "2", {}), ("c2", "2", {})), ontology)
    assert two > one
    assert two == pytest.approx(1 - (1 - 0.56) * (1 - 0.42), abs=1e-3)


def test_second_hand_counts_with_the_weaker_source(ontology):
    direct = conf(claim(("d", "2", {})), ontology)
    relayed = conf(claim(("d", "2", {"reports": "f"})), ontology)
    assert relayed < direct


def test_status_caps_confidence(ontology):
    strong = [("b1", "1", {}), ("c2", "1", {})]
    assert conf(claim(*strong, status="confirmed"), ontology) == pytest.approx(1 - (1 - .72) * (1 - .54), abs=1e-3)
    assert conf(claim(*strong, status="disputed"), ontology) == 0.3
    assert conf(claim(*strong, status="refuted"), ontology) == 0.0
    assert conf(claim(*strong, status="alleged"), ontology) == 0.5


def test_a_denying_citation_adds_no_support(ontology):
    one = conf(claim(("b1", "2", {})), ontology)
    assert conf(claim(("b1", "2", {}), ("c2", "1", {"stance": "denies"})), ontology) == one
    assert conf(claim(("c2", "1", {"stance": "denies"})), ontology) == 0.0


def test_a_reprint_is_not_corroboration(ontology):
    sources = {**SOURCES, "reprint": Source(id="reprint", title="t", kind="NewsArticle", reliability="B",
                                            syndicates="c2")}
    two = claim(("c2", "2", {}), ("reprint", "2", {}))
    # one origin, read from the original (c2), not from the reprint graded higher
    assert claim_confidence(two, sources, ontology) == claim_confidence(claim(("c2", "2", {})), sources, ontology)
    assert claim_confidence(two, sources, ontology) < claim_confidence(claim(("reprint", "2", {})), sources, ontology)
