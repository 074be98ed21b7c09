"""Claim confidence in 0..1, derived from the evidence.

The rule, with every weight read from the ontology (``thb:score`` on the concepts):

1. A citation's strength is ``reliability × credibility``. The reliability is the source's; when
   the citation ``reports`` another source (second-hand evidence), the weaker of the two. A
   citation with no credibility counts as "truth cannot be judged" (the last grade).
2. Only citations that affirm the claim count: one whose ``stance`` denies it (a stance the
   ontology marks ``thb:contested``) adds no support; the contest shows in the status (step 4).
3. Citations are grouped by **independent origin** (:mod:`graph.model.origins`): sources joined
   by a citation's ``reports``, by ``known_via``, ``syndicates`` or ``cites`` upstream, or by a
   shared publisher are one origin. An origin counts once, with the reading of its **original**
   (:func:`graph.model.origins.readings`): the earliest source of the group cited first-hand that
   relays none of the others. Its strength is that of its strongest first-hand citation. An echo
   (a source that reprints, cites or is known through a cited source, a citation that reports
   it, a later piece of the same publisher) never changes confidence, however it is graded;
   citing the original itself replaces the echoes' reading by its own, up or down.
4. Independent origins corroborate each other: ``1 - Π(1 - strength_o)`` (noisy-or), so a second
   independent origin raises confidence and never lowers it.
5. The status caps the result: ``min(evidence, score(status))``; a disputed claim cannot exceed
   the disputed score, a refuted one is 0.

The result is rounded to three decimals, so that outputs are byte-stable.

>>> from graph.model.ontology import load_ontology
>>> from graph.model.records import Claim, Source
>>> onto = load_ontology()
>>> src = {"a": Source(id="a", title="A", kind="Report", reliability="B", publisher="P"),
...        "b": Source(id="b", title="B", kind="Report", reliability="C", publisher="Q")}
>>> one = Claim(subject="x", predicate="paid", object="y", status="reported",
...             citations=[{"source": "a", "quote": "q", "credibility": "2"}])
>>> claim_confidence(one, src, onto)   # 0.8 × 0.7
0.56
>>> two = one.model_copy(update={"citations": one.citations + [one.citations[0].model_copy(update={"source": "b"})]})
>>> claim_confidence(two, src, onto)   # 1 - (1 - 0.56)(1 - 0.6 × 0.7)
0.745
>>> src["b"] = src["b"].model_copy(update={"syndicates": "a"})   # b reprints a: one origin
>>> claim_confidence(two, src, onto)
0.56
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass

from graph.model.ontology import Ontology
from graph.model.origins import Upstreams, denying_stances, readings
from graph.model.records import Citation, Claim, Source


@dataclass(frozen=True)
class Weights:
    """The weights of the rule, read from an ontology's vocabularies (``thb:score`` on the concepts)."""

    reliability: dict[str, float]
    credibility: dict[str | None, float]  # None: no grade given, read as the last grade
    status: dict[str, float]  # the cap of each status (1.0 when the ontology gives none)
    denials: frozenset[str]  # the citation stances that deny a claim

    @classmethod
    def read(cls, onto: Ontology) -> Weights:
        rel = {n: c.score or 0.0 for n, c in onto.vocabulary("reliability").concepts.items()}
        cred_vocab = onto.vocabulary("credibility")
        cred: dict[str | None, float] = {n: c.score or 0.0 for n, c in cred_vocab.concepts.items()}
        cred[None] = cred[cred_vocab.ordered()[-1]]  # no grade: "truth cannot be judged"
        status = {n: (c.score if c.score is not None else 1.0) for n, c in onto.vocabulary("status").concepts.items()}
        return cls(rel, cred, status, denying_stances(onto))


# the weights of each live ontology object, by identity (an Ontology is a mutable dataclass, so not hashable);
# an entry goes when its ontology does
_WEIGHTS: dict[int, tuple[weakref.ref[Ontology], Weights]] = {}


def weights(onto: Ontology) -> Weights:
    """The rule's weights for ``onto``, read once per ontology object: this runs for every claim."""
    key = id(onto)
    entry = _WEIGHTS.get(key)
    if entry is None or entry[0]() is not onto:
        entry = (weakref.ref(onto, lambda _: _WEIGHTS.pop(key, None)), Weights.read(onto))
        _WEIGHTS[key] = entry
    return entry[1]


def citation_strength(c: Citation, sources: Mapping[str, Source], onto: Ontology) -> float:
    """``reliability × credibility`` of one citation (step 1 of the rule)."""
    w = weights(onto)
    reliability = w.reliability[sources[c.source].reliability]
    if c.reports is not None:
        reliability = min(reliability, w.reliability[sources[c.reports].reliability])
    return reliability * w.credibility[c.credibility]


def claim_confidence(claim: Claim, sources: Mapping[str, Source], onto: Ontology) -> float:
    """Confidence of a claim in 0..1 (the rule in the module docstring)."""
    return confidence_and_origins(claim, sources, onto)[0]


def confidence_and_origins(claim: Claim, sources: Mapping[str, Source], onto: Ontology,
                           up: Upstreams | None = None) -> tuple[float, int]:
    """The claim's confidence and its number of independent origins (its corroboration), found together.

    ``up``, the sources' upstream keys worked out once (:class:`~graph.model.origins.Upstreams`),
    saves finding them again for every claim of a bulk pass.
    """
    support, found = support_and_origins(claim.citations, sources, onto, up)
    return capped(support, claim.status, onto), found


def support_and_origins(citations: list[Citation], sources: Mapping[str, Source], onto: Ontology,
                        up: Upstreams | None = None) -> tuple[float, int]:
    """Steps 1 to 4 of the rule: what the citations support before the status caps it, and the number
    of independent origins. It depends only on each citation's source, ``reports``, credibility and
    stance (and the sources), so a bulk pass works it out once for claims cited alike."""
    w = weights(onto)
    support = [c for c in citations if c.stance not in w.denials]
    found = readings(support, sources, up)
    doubt = 1.0
    for reading in found.values():
        doubt *= 1.0 - max((citation_strength(c, sources, onto) for c in reading), default=0.0)
    return 1.0 - doubt, len(found)


def capped(support: float, status: str | None, onto: Ontology) -> float:
    """Step 5 of the rule and the rounding: the confidence of a claim of ``status`` whose citations
    support ``support`` (:func:`support_and_origins`)."""
    return round(min(support, weights(onto).status[status or onto.default_status]), 3)
