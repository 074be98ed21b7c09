"""A corpus of broken inputs: each must give exit 1 and `file:line: ...` on stderr, no traceback.

The offending line of each YAML case ends with the marker ``# <-``; the test reads the expected
line number from there, so the cases stay readable.
"""

from __future__ import annotations

import re

import pytest

BASE = """\
sources:
  - id: s1
    title: Test source
    kind: Report
    reliability: B
entities:
  - {id: p1, types: [Person, Recruiter], name: P}
  - {id: g1, types: [Group, Victim], name: G}
  - {id: kh, type: Country, name: Cambodia, country: KH}
"""

CLAIM = """\
claims:
  - subject: {subject}
    predicate: {predicate}
    object: {object}
{extra}    citations:
      - {{source: {source}, quote: q, credibility: {credibility}}}
"""


def claim(subject="p1", predicate="recruited", object="g1", source="s1", credibility="2", extra=""):
    return BASE + CLAIM.format(subject=subject, predicate=predicate, object=object, source=source,
                               credibility=credibility, extra=extra)


BOMB = "sources: &a\n" + "".join(
    f"  - &l{i} [{', '.join([f'*l{i-1}'] * 9) if i else ', '.join(['lol'] * 9)}]\n" for i in range(10)
)

YAML_CASES = {
    "dangling reference": claim(object="nobody  # <-"),
    "domain mismatch": claim(subject="kh  # <-"),
    "range mismatch": claim(predicate="traffickedTo", object="g1  # <-"),
    "unknown predicate": claim(predicate="recruted  # <-"),
    "citation of unknown source": claim(source="s9") .replace("{source: s9", "{source: s9").replace("credibility: 2}", "credibility: 2}  # <-"),
    "bad credibility": claim(credibility="9") .replace("credibility: 9}", "credibility: 9}  # <-"),
    "claim without citations": BASE + "claims:\n  - subject: p1  # <-\n    predicate: recruited\n    object: g1\n",
    "empty citations": BASE + "claims:\n  - subject: p1\n    predicate: recruited\n    object: g1\n    citations: []  # <-\n",
    "bad date": claim(extra="    start: 2023-13  # <-\n"),
    "start after end": claim(extra="    start: 2024\n    end: 2023-05  # <-\n"),
    "open end without start": claim(extra="    end: open  # <-\n"),
    "open_end without start": claim(extra="    open_end: true  # <-\n"),
    "open end with end date": claim(extra="    start: 2020\n    end: 2021\n    open_end: true  # <-\n"),
    "bad end": claim(extra="    start: 2020\n    end: ongoing  # <-\n"),
    "bad status": claim(extra="    status: rumoured  # <-\n"),
    "unknown qualifier": claim(extra="    qualifiers: {kidneys: 2}  # <-\n"),
    "bad qualifier value": claim(extra="    qualifiers: {count: many}  # <-\n"),
    "unknown field": claim(extra="    predicat: recruited  # <-\n"),
    "javascript url": BASE.replace("    reliability: B\n", "    reliability: B\n    url: javascript:alert(1)  # <-\n"),
    "bad reliability": BASE.replace("    reliability: B\n", "    reliability: G  # <-\n"),
    "bad source kind": BASE.replace("    kind: Report\n", "    kind: Rumour  # <-\n"),
    "bad sharing level": BASE.replace("name: G}", "name: G, tlp: PINK}  # <-"),
    "unknown entity type": BASE.replace("type: Country,", "type: Nation,").replace("country: KH}", "country: KH}  # <-"),
    "bad country code": BASE.replace("country: KH}", "country: XX}  # <-"),
    "bad id": BASE.replace("  - id: s1\n", "  - id: s 1  # <-\n"),
    "duplicate key": BASE.replace("    title: Test source\n", "    title: Test source\n    title: Again  # <-\n"),
    "syntax error": "sources:\n  - id: s1\n    title: [unclosed  # <-\n",
    "wrong top-level shape": "- just\n- a list  # <-\n".replace("- just", "- just  # <-").replace("- a list  # <-", "- a list"),
    "unknown top-level key": "claimz: []  # <-\n",
    "section not a list": "sources:  # <-\n  id: s1\n",
    "record not a map": "entities:\n  - just text  # <-\n",
    "deep nesting": "claims:\n  - qualifiers:\n" + "".join("  " * (i + 3) + f"k{i}:\n" for i in range(40)).rstrip("\n").replace("k29:", "k29:  # <-") + " x\n",
}


def marker_line(text: str) -> int:
    for n, line in enumerate(text.splitlines(), 1):
        if line.rstrip().endswith("# <-"):
            return n
    raise AssertionError("case has no marker")


def assert_clean_failure(cli, path, line: int | None, needle: str, target=None) -> str:
    """Validate ``target`` (default ``path``); expect exit 1 and ``path:line:`` with ``needle``."""
    code, out, err = cli("validate", target or path)
    assert code == 1, (out, err)
    assert "Traceback" not in out + err
    where = f"{path}:{line}:" if line is not None else f"{path}:"
    assert where in err, err
    assert needle.lower() in err.lower(), err
    return err


NEEDLES = {
    "dangling reference": "unknown entity 'nobody'",
    "domain mismatch": "needs Agent",
    "range mismatch": "needs Place",
    "unknown predicate": "unknown predicate 'recruted'",
    "citation of unknown source": "unknown source 's9'",
    "bad credibility": "not a credibility grade",
    "claim without citations": "citations: Field required",
    "empty citations": "at least 1 item",
    "bad date": "not a valid date",
    "start after end": "is after end",
    "open end without start": "end: an open end needs a start",
    "open_end without start": "open_end: an open end needs a start",
    "open end with end date": "open_end: an open end cannot have an end date (end: 2021)",
    "bad end": "'ongoing' is not a valid date (YYYY, YYYY-MM or YYYY-MM-DD); 'open' when it has not ended",
    "bad status": "unknown value 'rumoured'",
    "unknown qualifier": "unknown qualifier 'kidneys'",
    "bad qualifier value": "not a whole number",
    "unknown field": "unknown field",
    "javascript url": "not an http(s) URL",
    "bad reliability": "unknown value 'G'",
    "bad source kind": "unknown value 'Rumour'",
    "bad sharing level": "unknown value 'PINK'",
    "unknown entity type": "unknown entity type 'Nation'",
    "bad country code": "ISO 3166-1",
    "bad id": "ids are letters",
    "duplicate key": "given twice",
    "syntax error": "YAML syntax error",
    "wrong top-level shape": "top level must be a map",
    "unknown top-level key": "unknown top-level key 'claimz'",
    "section not a list": "must be a list",
    "record not a map": "must be a map",
    "deep nesting": "nested deeper",
}


@pytest.mark.parametrize("name", sorted(YAML_CASES))
def test_broken_yaml_reports_file_and_line(name, write, cli):
    text = YAML_CASES[name]
    path = write("case.yaml", text)
    assert_clean_failure(cli, path, marker_line(text), NEEDLES[name])


def test_alias_bomb_fails_fast_with_a_clear_message(write, cli):
    path = write("bomb.yaml", BOMB)
    err = assert_clean_failure(cli, path, None, "alias bomb")
    assert re.search(re.escape(str(path)) + r":\d+:", err)


def test_not_utf8(write, cli):
    path = write("latin1.yaml", b"sources:\n  - id: s1\n    title: caf\xe9\n")
    assert_clean_failure(cli, path, 3, "not UTF-8")


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file(text, write, cli):
    path = write("empty.yaml", text)
    assert_clean_failure(cli, path, 1, "file is empty")


def test_duplicate_id_across_two_files(write, cli, tmp_path):
    write("a.yaml", BASE)
    second = write("b.yaml", "entities:\n  - {id: p1, type: Person, name: Other}\n")
    err = assert_clean_failure(cli, second, 2, "duplicate id 'p1'", target=tmp_path)
    assert "first defined at" in err and "a.yaml:7" in err


@pytest.mark.parametrize("line2,needle", [
    ('{"record": "entity", "id": "x", "type": "Person", "name": ', "not valid JSON"),
    ('{"record": "rumour", "id": "x"}', "'record' must be one of"),
    ('["not", "an", "object"]', "must be a JSON object"),
    ('{"record": "claim", "subject": "p1", "predicate": "recruited", "object": "zz", '
     '"citations": [{"source": "s1", "quote": "q"}]}', "unknown entity 'zz'"),
])
def test_broken_jsonl_reports_the_line(line2, needle, write, cli, tmp_path):
    write("base.yaml", BASE)
    path = write("bulk.jsonl", '{"record": "entity", "id": "e2", "type": "Person", "name": "E"}\n' + line2 + "\n")
    code, _, err = cli("validate", path.parent)
    assert code == 1 and "Traceback" not in err
    assert f"{path}:2:" in err and needle in err


def test_every_problem_of_a_file_is_reported_at_once(write, cli):
    text = BASE.replace("reliability: B", "reliability: G") + CLAIM.format(
        subject="p1", predicate="recruted", object="nobody", source="s9", credibility="2", extra="    start: 2023-13\n")
    path = write("many.yaml", text)
    code, _, err = cli("validate", path)
    assert code == 1
    for needle in ("unknown value 'G'", "not a valid date"):
        assert needle in err
    # a record whose fields are sound is checked against the ontology too
    text2 = BASE.replace("reliability: B", "reliability: G") + CLAIM.format(
        subject="p1", predicate="recruted", object="nobody", source="s9", credibility="2", extra="")
    code, _, err = cli("validate", write("many2.yaml", text2))
    for needle in ("unknown value 'G'", "unknown predicate 'recruted'", "unknown entity 'nobody'", "unknown source 's9'"):
        assert needle in err
    assert "4 problem(s) in 1 file(s)" in err


def test_missing_path_and_unsupported_file(cli, write, tmp_path):
    code, _, err = cli("validate", tmp_path / "nope")
    assert code == 1 and "no such file or folder" in err
    code, _, err = cli("validate", write("notes.txt", "hello"))
    assert code == 1 and "unsupported file type" in err


def test_same_claim_twice_is_reported_as_a_duplicate(write, cli):
    text = claim() + CLAIM.format(subject="p1", predicate="recruited", object="g1", source="s1", credibility="3",
                                  extra="").replace("claims:\n", "")
    path = write("dup.yaml", text)
    assert_clean_failure(cli, path, 16, "says the same as the claim at")
