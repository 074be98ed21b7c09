"""Entity resolution: finding duplicates, decisions as data, merging at load time."""

from __future__ import annotations

import shutil

import pytest

from graph import InputError, load_dataset
from graph.model.names import NameIndex, match_key, name_tokens
from graph.quality.dedupe import candidates
from graph.query.filters import Filters
from graph.query.paths import shortest_path
from graph.query.projection import to_networkx

from ..conftest import FIXTURES


@pytest.fixture
def case(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "dedupe", folder)
    return folder


def test_honorifics_and_scripts_are_ignored_when_matching():
    titles = frozenset({"dr", "aipda"})
    assert name_tokens("Dr. Sok Dara", titles) == name_tokens("Aipda SOK  Dara", titles) == ["sok", "dara"]
    assert name_tokens("Dr.", titles) == ["dr"]  # a name that is only a title keeps it
    assert match_key("Preah Sokha") == match_key("preah-sokha")


def test_true_pair_ranks_first_and_namesakes_low(case, ontology):
    found = candidates(load_dataset([case], ontology), min_score=0.0)
    assert (found[0].a, found[0].b) == ("hosp-a", "hosp-b")
    hospital_pairs = {("hosp-a", "hosp-b"), ("hosp-b", "hosp-c"), ("hosp-a", "hosp-c")}
    assert {(c.a, c.b) for c in found[:3]} == hospital_pairs  # the Khmer spelling is found too
    namesakes = next(c for c in found if {c.a, c.b} == {"doc-1", "pol-1"})
    assert namesakes.score < 0.5 and found[-1] is namesakes
    assert "different countries" in namesakes.evidence["penalties"]


def test_same_decisions_merge_and_paths_run_through_the_merged_entity(case, ontology, cli):
    G0 = to_networkx(load_dataset([case], ontology))
    cf0 = Filters(avoid_types=frozenset({"Country"})).compile(G0, ontology)
    assert shortest_path(G0, "victims", "doc-1", cf0) is None  # victims went to hosp-b, the doctor to hosp-a
    for b in ("hosp-b", "hosp-c"):
        code, out, err = cli("dedupe", "--data", case, "--decide", "hosp-a", b, "same", "--by", "tester",
                             "--why", "same address", "--file", case / "resolutions.yaml")
        assert code == 0, err
    ds = load_dataset([case], ontology)
    assert "hosp-b" not in ds.entities and ds.entities["hosp-a"].merged_from == ["hosp-b", "hosp-c"]
    merged = ds.entities["hosp-a"]
    assert {"hosp-b", "hosp-c", "Preahsokha Hosp.", "មន្ទីរពេទ្យព្រះសុខា"} <= {a.name for a in merged.aliases}
    names = NameIndex.of(ds)
    assert names.resolve("hosp-c") == names.resolve("Preahsokha Hosp.") == "hosp-a"
    G = to_networkx(ds)
    p = shortest_path(G, "victims", "doc-1", Filters(avoid_types=frozenset({"Country"})).compile(G, ontology))
    assert p is not None and p.nodes == ["victims", "hosp-a", "doc-1"]
    # every claim keeps its evidence; the case files are untouched
    assert len(ds.claims) == 6 and "hosp-b" in (case / "case.yaml").read_text(encoding="utf-8")
    assert not [c for c in candidates(ds, 0.0) if "hosp-a" in (c.a, c.b)]


def test_not_decision_keeps_namesakes_apart_and_stops_proposals(case, ontology, cli):
    code, _, err = cli("dedupe", "--data", case, "--decide", "doc-1", "pol-1", "not", "--by", "tester",
                       "--file", case / "resolutions.yaml")
    assert code == 0, err
    ds = load_dataset([case], ontology)
    assert {"doc-1", "pol-1"} <= set(ds.entities)
    assert not [c for c in candidates(ds, 0.0) if {c.a, c.b} == {"doc-1", "pol-1"}]


def test_contradictory_decisions_name_their_lines(case, ontology, write):
    (case / "resolutions.yaml").write_text("""resolutions:
  - {a: hosp-a, b: hosp-b, decision: same, by: x}
  - {a: hosp-b, b: hosp-c, decision: same, by: x}
  - {a: hosp-a, b: hosp-c, decision: not, by: y}
""", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_dataset([case], ontology)
    msg = str(exc.value)
    assert "resolutions.yaml:4: hosp-a ~ hosp-c: contradicts the 'same' decisions at" in msg
    assert "resolutions.yaml:2" in msg and "resolutions.yaml:3" in msg


def test_a_contradicting_decision_is_refused_and_not_recorded(case, cli):
    f = case / "resolutions.yaml"
    assert cli("dedupe", "--data", case, "--decide", "hosp-a", "hosp-b", "same", "--by", "x", "--file", f)[0] == 0
    before = f.read_text(encoding="utf-8")
    code, _, err = cli("dedupe", "--data", case, "--decide", "hosp-b", "hosp-a", "not", "--by", "x", "--file", f)
    assert code == 2 and "already one entity" in err
    assert f.read_text(encoding="utf-8") == before


def test_merge_takes_the_most_restrictive_level_and_exports_merged_ids(case, ontology, tmp_path):
    text = (case / "case.yaml").read_text(encoding="utf-8")
    (case / "case.yaml").write_text(text.replace("name: Preahsokha Hosp., country: KH}",
                                                 "name: Preahsokha Hosp., country: KH, tlp: AMBER}"), encoding="utf-8")
    (case / "resolutions.yaml").write_text("resolutions:\n  - {a: hosp-a, b: hosp-b, decision: same, by: x}\n",
                                           encoding="utf-8")
    ds = load_dataset([case], ontology)
    assert ds.entities["hosp-a"].tlp == "AMBER"  # CLEAR merged with AMBER: the most restrictive wins
    from graph.rdf.export import export_rdf
    text = export_rdf(ds, tmp_path / "g.nt", max_tlp="RED").path.read_text(encoding="utf-8")
    assert '<https://w3id.org/thbor#mergedFrom> "hosp-b"' in text


def test_dedupe_cli_lists_pairs(case, cli):
    code, out, _ = cli("dedupe", "--data", case, "--min-score", "0.2")
    assert code == 0 and out.splitlines()[0].startswith("0.833  hosp-a") and "4 candidate pair(s)" in out



def test_record_decision_is_a_library_call(case, ontology):
    from graph.errors import UsageError
    from graph.quality.dedupe import record_decision
    target = case / "resolutions.yaml"
    with pytest.raises(UsageError, match="must be same, not or unsure"):
        record_decision([case], ontology, "hosp-a", "hosp-b", "maybe", file=target)
    assert not target.exists()
    made = record_decision([case], ontology, "hosp-a", "hosp-b", "same", by="tester", why="same address", file=target)
    assert (made.a, made.b, made.by, made.why) == ("hosp-a", "hosp-b", "tester", "same address")
    assert "hosp-b" not in load_dataset([case], ontology).entities  # merged into hosp-a
