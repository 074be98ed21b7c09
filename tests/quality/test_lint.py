"""Lint rules, each proved on a record written to break it."""

from __future__ import annotations

import json

import pytest

from graph import load_dataset
from graph.quality.lint import RULES, lint

from ..conftest import FIXTURES, ROOT

CASE = FIXTURES / "lint"


# records that break the origin and stance rules, beside the fixture's (same sources and entities)
ECHOES = """
sources:
  - {id: s-wire, title: A wire story, kind: NewsArticle, reliability: B, publisher: Wire}
  - {id: s-reprint, title: The story reprinted, kind: NewsArticle, reliability: B, syndicates: s-wire}
claims:
  - id: echo
    subject: p-a
    predicate: operatesIn
    object: kh
    citations:
      - {source: s-wire, quote: "A works in Cambodia", credibility: 2}
      - {source: s-reprint, quote: "A works in Cambodia", credibility: 2}
  - id: denied
    subject: g-b
    predicate: operatesIn
    object: kh
    citations:
      - {source: s-good, quote: "B works in Cambodia", credibility: 2}
      - {source: s-other, quote: "B never worked in Cambodia", credibility: 2, stance: denies}
"""


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    from graph import load_ontology
    echoes = tmp_path_factory.mktemp("echoes") / "echoes.yaml"
    echoes.write_text(ECHOES, encoding="utf-8")
    ds = load_dataset([CASE, echoes], load_ontology(ROOT / "ontology"))
    return lint(ds, {"s-post": "A post that says: the traffickers operate here."})


def which(findings, rule):
    return sorted(f.record for f in findings if f.rule == rule)


def test_low_graded_counts_the_reported_source(findings):
    # post-only cites a B report, but the report only relays an F post at credibility 6
    assert which(findings, "low-graded") == ["post-only", "public-ok"]


def test_single_source_counts_independent_origins(findings):
    # "echo" cites a wire story and its reprint: one origin; "corroborated" relays s-origin through
    # s-other beside s-good: two; "denied" has a second source, but it denies the claim: one in support
    assert which(findings, "single-source") == ["denied", "echo", "long", "post-only", "public-ok"]
    [echo] = [f for f in findings if f.rule == "single-source" and f.record == "echo"]
    assert echo.message == "1 independent origin: s-reprint, s-wire"


def test_a_denied_claim_must_be_contested(findings):
    assert which(findings, "denied-not-contested") == ["denied"]


def test_unverified_claims_must_be_alleged(findings):
    assert which(findings, "unverified-not-alleged") == ["post-only"]


def test_entities_without_claims(findings):
    assert which(findings, "no-claims") == ["lonely"]


def test_uncited_sources_follow_known_via(findings):
    # s-origin is reported, s-good is what s-via is known through: only s-unused is idle
    assert which(findings, "uncited-source") == ["s-unused"]


def test_long_quotes(findings):
    assert which(findings, "long-quote") == ["long"]


def test_lowered_sharing_level_needs_a_reason(findings):
    assert which(findings, "lowered-tlp") == ["p-public"]


def test_quotes_must_occur_in_the_given_text(findings):
    assert which(findings, "quote-not-in-text") == ["public-ok"]


def test_a_withheld_name_in_another_script_needs_a_latin_alias(findings):
    assert which(findings, "no-latin-alias") == ["p-thai"]


def test_every_rule_is_exercised(findings):
    assert {f.rule for f in findings} == set(RULES)


def test_findings_name_file_and_line(findings):
    [f] = [f for f in findings if f.rule == "no-claims"]
    assert f.path.endswith("case.yaml") and f.line == 14
    assert str(f).startswith(f"{f.path}:14: lonely: [no-claims]")


def test_cli_report_strict_and_json(cli, tmp_path):
    code, out, _ = cli("lint", CASE)
    assert code == 0 and "[no-claims]" in out and "finding(s)" in out
    assert cli("lint", CASE, "--strict")[0] == 1
    assert cli("lint", CASE, "--strict", "--rule", "no-claims")[0] == 1
    text = tmp_path / "post.txt"
    text.write_text("not in the text", encoding="utf-8")
    code, out, _ = cli("lint", CASE, "--json", "--rule", "quote-not-in-text", "--text", f"s-post={text}")
    assert code == 0 and json.loads(out)["counts"] == {}


def test_cli_usage_errors_exit_2(cli):
    for args in (["--rule", "nonsense"], ["--text", "no-equals-sign"], ["--text", "nosuch=/dev/null"]):
        code, _, err = cli("lint", CASE, *args)
        assert code == 2 and "usage error" in err, args


def test_shipped_data_has_only_expected_findings(cli):
    code, out, _ = cli("lint", ROOT / "data", "--json", "--summary")
    assert code == 0
    counts = json.loads(out)["counts"]
    # everything rests on one secondary article, and a few claims on social-media posts
    assert set(counts) <= {"single-source", "low-graded"}


def test_lint_report_selects_rules_and_counts(ontology):
    from graph.errors import UsageError
    from graph.quality.lint import lint_report, select_rules
    ds = load_dataset([CASE], ontology)
    report = lint_report(ds, rules=["single-source"])
    assert report.findings and {f.rule for f in report.findings} == {"single-source"}
    assert report.counts == {"single-source": len(report.findings)}
    assert report.to_dict(summary=True) == {"counts": report.counts, "findings": []}
    with pytest.raises(UsageError, match="unknown rule"):
        select_rules(["no-such-rule"])
    with pytest.raises(UsageError, match="texts name unknown source"):
        lint_report(ds, {"no-such-source": "text"})
