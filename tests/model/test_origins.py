"""Independent origins: echoes of one origin count once, in lint, stats and confidence."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.model.confidence import claim_confidence, confidence_and_origins
from graph.model.origins import Upstreams, origin_groups, origins, upstream
from graph.model.records import Citation, Claim, Source

GRADES = ["A", "B", "C", "D", "E", "F"]
CREDIBILITY = ["1", "2", "3", "4", "5", "6", None]


def source(sid: str, reliability: str = "B", **fields) -> Source:
    return Source(id=sid, title=sid, kind="NewsArticle", reliability=reliability, **fields)


def cite(sid: str, credibility: str | None = "2", **fields) -> Citation:
    return Citation(source=sid, quote="q", credibility=credibility, **fields)


def test_a_wire_story_and_its_reprints_are_one_origin():
    sources = {"wire": source("wire"), "a": source("a", syndicates="wire"), "b": source("b", syndicates="wire"),
               "c": source("c")}
    assert origin_groups([cite("a"), cite("b"), cite("c")], sources) == [["a", "b"], ["c"]]


def test_the_same_publisher_is_one_origin_case_and_spacing_aside():
    sources = {"a": source("a", publisher="Daily  News"), "b": source("b", publisher="daily news"), "c": source("c")}
    assert origin_groups([cite("a"), cite("b"), cite("c")], sources) == [["a", "b"], ["c"]]


def test_a_relayed_report_is_one_origin_with_the_article_that_relays_it():
    sources = {"art": source("art"), "un": source("un"), "other": source("other")}
    assert origin_groups([cite("art", reports="un"), cite("other")], sources) == [["art", "un"], ["other"]]


def test_citing_and_known_via_chains_join_upstream_only():
    sources = {"study-a": source("study-a"), "study-b": source("study-b"),
               "review": source("review", cites=["study-a", "study-b"]),
               "blog": source("blog", known_via="review")}
    # a review citing two studies does not make them one origin ...
    assert origin_groups([cite("study-a"), cite("study-b")], sources) == [["study-a"], ["study-b"]]
    # ... but the review echoes each, and a blog known through the review echoes it
    assert origin_groups([cite("review"), cite("study-a"), cite("blog")], sources) == [["blog", "review", "study-a"]]
    assert ("source", "study-b") in upstream("blog", sources)


def test_the_shipped_data_has_one_origin_per_claim(ontology):
    from graph.load.validate import load_dataset

    from ..conftest import ROOT
    ds = load_dataset([ROOT / "data"], ontology)
    assert all(len(origins(ds, c)) == 1 for c in ds.claims.values())


def test_a_denying_citation_is_no_origin_of_support(ontology, write):
    from graph.load.validate import load_dataset
    ds = load_dataset([write("d.yaml", """
    sources:
      - {id: s1, title: One, kind: Report, reliability: B}
      - {id: s2, title: Two, kind: Report, reliability: B}
    entities:
      - {id: p, type: Person, name: P}
      - {id: kh, type: Country, name: Cambodia}
    claims:
      - {id: c, subject: p, predicate: operatesIn, object: kh, status: disputed,
         citations: [{source: s1, quote: "it is so"}, {source: s2, quote: "it is not", stance: denies}]}
    """)], ontology)
    assert origins(ds, ds.claims["c"]) == [["s1"]]


ECHO_KINDS = ("syndicates", "publisher", "known_via", "cites", "reports")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(grades=st.lists(st.tuples(st.sampled_from(GRADES), st.sampled_from(CREDIBILITY)), min_size=1, max_size=4),
       echo_of=st.integers(min_value=0, max_value=3), kind=st.sampled_from(ECHO_KINDS),
       echo_reliability=st.sampled_from(GRADES), echo_credibility=st.sampled_from(CREDIBILITY),
       echo_id=st.sampled_from(["a-echo", "echo", "zz-echo"]), shared=st.booleans(),
       status=st.sampled_from(["alleged", "reported", "corroborated", "confirmed", "disputed"]))
def test_a_citation_from_an_origin_already_counted_leaves_confidence_unchanged(
        ontology, grades, echo_of, kind, echo_reliability, echo_credibility, echo_id, shared, status):
    """However it is graded and whatever its id, an echo of a cited source changes no confidence:
    a reprint, a citing or relaying source, a second-hand report, or a later piece of the same
    publisher. ``shared`` puts two cited sources under one publisher first, so the echo may join an
    origin of several sources."""
    sources = {f"s{i}": source(f"s{i}", reliability=r, publisher=f"P{0 if shared and i == 1 else i}",
                               published=f"201{i}") for i, (r, _) in enumerate(grades)}
    citations = [cite(f"s{i}", c) for i, (_, c) in enumerate(grades)]
    claim = Claim(subject="a", predicate="paid", object="b", status=status, citations=citations)
    before = claim_confidence(claim, sources, ontology)
    groups = origin_groups(citations, sources)
    target = f"s{echo_of % len(grades)}"
    link = {"syndicates": {"syndicates": target}, "known_via": {"known_via": target}, "cites": {"cites": [target]},
            "publisher": {"publisher": sources[target].publisher, "published": "2020"}}.get(kind, {})
    sources[echo_id] = source(echo_id, reliability=echo_reliability, **link)
    echo = cite(echo_id, echo_credibility, **({"reports": target} if kind == "reports" else {}))
    with_echo = [*citations, echo]
    after = claim_confidence(claim.model_copy(update={"citations": with_echo}), sources, ontology)
    assert len(origin_groups(with_echo, sources)) == len(groups)  # no new origin ...
    assert after == before  # ... and no new weight
    # a bulk pass (the sources' upstream keys worked out once, shortcuts for independent sources) agrees
    for cited, expected in ((claim, (before, len(groups))), (claim.model_copy(update={"citations": with_echo}),
                                                             (after, len(groups)))):
        assert confidence_and_origins(cited, sources, ontology, Upstreams(sources)) == expected


def test_citing_the_original_replaces_the_echoes_reading(ontology):
    sources = {"wire": source("wire", reliability="D"), "a": source("a", reliability="A", syndicates="wire")}
    echo_only = Claim(subject="a", predicate="paid", object="b", citations=[cite("a", "1")])
    both = echo_only.model_copy(update={"citations": [cite("a", "1"), cite("wire", "3")]})
    wire_only = echo_only.model_copy(update={"citations": [cite("wire", "3")]})
    assert claim_confidence(both, sources, ontology) == claim_confidence(wire_only, sources, ontology)
    assert claim_confidence(both, sources, ontology) < claim_confidence(echo_only, sources, ontology)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(copies=st.integers(min_value=1, max_value=6), reliability=st.sampled_from(GRADES),
       credibility=st.sampled_from(CREDIBILITY))
def test_five_reprints_of_one_story_weigh_as_one(ontology, copies, reliability, credibility):
    sources = {"wire": source("wire", reliability=reliability),
               **{f"r{i}": source(f"r{i}", reliability=reliability, syndicates="wire") for i in range(copies)}}
    one = Claim(subject="a", predicate="paid", object="b", citations=[cite("wire", credibility)])
    many = one.model_copy(update={"citations": [cite("wire", credibility),
                                                *(cite(f"r{i}", credibility) for i in range(copies))]})
    assert claim_confidence(many, sources, ontology) == claim_confidence(one, sources, ontology)
