"""The partners' RDF change set of ``thbor diff``: the difference of two shared exports, nothing more."""

from __future__ import annotations

import json

import pytest

from graph.load.validate import load_dataset
from graph.model.sharing import share
from graph.rdf.changes import ADDED, MANIFEST, REMOVED, diff_ntriples, write_changes
from graph.rdf.write import to_ntriples

from ..conftest import ROOT

OLD = """
sources:
  - {id: s-a, title: Report A, kind: Report, reliability: B, tlp: CLEAR}
entities:
  - {id: p-x, type: Person, name: Name-X-marker, aliases: [{name: Alias-X-marker}], tlp: GREEN}
  - {id: p-y, type: Person, name: Person Y, tlp: GREEN}
  - {id: c-kh, type: Country, name: Cambodia, country: KH, tlp: CLEAR}
claims:
  - {id: cl-x, subject: p-x, predicate: operatesIn, object: c-kh, tlp: GREEN,
     citations: [{source: s-a, quote: "X operates in Cambodia"}]}
  - {id: cl-y, subject: p-y, predicate: operatesIn, object: c-kh, status: alleged, tlp: GREEN,
     citations: [{source: s-a, quote: "Y operates in Cambodia"}]}
"""

# p-x raised to RED, with the reason in its note and a new description; cl-y's status changes
NEW = """
sources:
  - {id: s-a, title: Report A, kind: Report, reliability: B, tlp: CLEAR}
entities:
  - {id: p-x, type: Person, name: Name-X-marker, aliases: [{name: Alias-X-marker}], tlp: RED,
     note: Reason-secret-marker informant at risk, description: Description-secret-marker}
  - {id: p-y, type: Person, name: Person Y, tlp: GREEN}
  - {id: c-kh, type: Country, name: Cambodia, country: KH, tlp: CLEAR}
claims:
  - {id: cl-x, subject: p-x, predicate: operatesIn, object: c-kh, tlp: GREEN,
     citations: [{source: s-a, quote: "X operates in Cambodia"}]}
  - {id: cl-y, subject: p-y, predicate: operatesIn, object: c-kh, status: convicted, tlp: GREEN,
     citations: [{source: s-a, quote: "Y operates in Cambodia"}]}
"""


def dataset(tmp_path, ontology, name, text):
    (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    return load_dataset([tmp_path / f"{name}.yaml"], ontology)


@pytest.fixture
def sides(tmp_path, ontology):
    out = {}
    for name, text in (("old", OLD), ("new", NEW)):
        ds = dataset(tmp_path, ontology, name, text)
        (tmp_path / name).mkdir()
        (tmp_path / name / "dataset.json").write_text(ds.to_json(), encoding="utf-8")
        out[name] = (tmp_path / name, ds)
    return out


def lines(path):
    return set(path.read_text(encoding="utf-8").splitlines())


def test_a_raised_record_leaves_as_a_removal_without_a_trace(sides, ontology, tmp_path):
    (old, old_ds), (new, new_ds) = sides["old"], sides["new"]
    result = write_changes(old, new, tmp_path / "ch", ontology)
    assert result.level == "GREEN"
    had = set(to_ntriples(share(old_ds, "GREEN")[0]).splitlines())
    gets = set(to_ntriples(share(new_ds, "GREEN")[0]).splitlines())
    removed, added = lines(tmp_path / "ch" / REMOVED), lines(tmp_path / "ch" / ADDED)
    assert removed == had - gets and added == gets - had
    assert removed <= had  # nothing the partner did not have
    assert any("Name-X-marker" in t for t in removed) and any("/p-x>" in t for t in removed)
    every = "".join((tmp_path / "ch" / f).read_text(encoding="utf-8") for f in (ADDED, REMOVED, MANIFEST))
    for secret in ("RED", "Reason-secret", "Description-secret", "informant"):
        assert secret not in every
    assert not any("p-x" in t or "X-marker" in t for t in added)
    assert any("convicted" in t for t in added) and any("alleged" in t for t in removed)
    manifest = json.loads((tmp_path / "ch" / MANIFEST).read_text())
    assert manifest["counts"] == {"added": len(added), "removed": len(removed)}


def test_at_red_the_same_change_is_an_update(sides, ontology, tmp_path):
    write_changes(sides["old"][0], sides["new"][0], tmp_path / "ch", ontology, max_tlp="RED")
    added = (tmp_path / "ch" / ADDED).read_text(encoding="utf-8")
    assert "Reason-secret" in added and "Name-X-marker" not in added  # the name did not change


def test_a_build_folder_gives_what_its_export_gave(ontology, tmp_path, cli):
    for name, text in (("old", OLD), ("new", NEW)):
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
        code, _, err = cli("build", tmp_path / f"{name}.yaml", "-o", tmp_path / name)
        assert code == 0, err
    built = write_changes(tmp_path / "old", tmp_path / "new", tmp_path / "a", ontology)
    assert "export" in built.sides["old"] and "export" in built.sides["new"]
    shared = write_changes(tmp_path / "old" / "dataset.json", tmp_path / "new" / "dataset.json", tmp_path / "b",
                           ontology)
    assert "shared at GREEN" in shared.sides["old"]
    for f in (ADDED, REMOVED, MANIFEST):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()
    # another level than the build's export: shared again from dataset.json
    clear = write_changes(tmp_path / "old", tmp_path / "new", tmp_path / "c", ontology, max_tlp="CLEAR")
    assert "shared at CLEAR" in clear.sides["new"]


def test_diff_of_files(tmp_path):
    old, new = tmp_path / "old.nt", tmp_path / "new.nt"
    old.write_bytes(b"<a> <b> <c> .\n<a> <b> <d> .\n<a> <b> <d> .\n<x> <y> <z> .\n")
    new.write_bytes(b"<x> <y> <z> .\n<a> <b> <e> .\n<a> <b> <c> .")  # no final newline
    assert diff_ntriples(old, new, tmp_path / "add.nt", tmp_path / "rem.nt") == (1, 1)
    assert (tmp_path / "add.nt").read_bytes() == b"<a> <b> <e> .\n"
    assert (tmp_path / "rem.nt").read_bytes() == b"<a> <b> <d> .\n"
    empty = tmp_path / "empty.nt"
    empty.write_bytes(b"")
    assert diff_ntriples(empty, new, tmp_path / "add.nt", tmp_path / "rem.nt") == (3, 0)
    assert (tmp_path / "add.nt").read_bytes() == b"<x> <y> <z> .\n<a> <b> <e> .\n<a> <b> <c> .\n"


def test_shipped_data_change_matches_the_exports(ontology, tmp_path):
    ds = load_dataset([ROOT / "data"], ontology)
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "dataset.json").write_text(ds.to_json(), encoding="utf-8")
    first = next(iter(ds.entities.values()))
    raised = type(ds)(ds.ontology, ds.sources, {**ds.entities, first.id: first.model_copy(update={"tlp": "RED"})},
                      ds.claims, ds.resolutions)
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "dataset.json").write_text(raised.to_json(), encoding="utf-8")
    result = write_changes(tmp_path / "old", tmp_path / "new", tmp_path / "ch", ontology)
    had = set(to_ntriples(share(ds, None)[0]).splitlines())
    gets = set(to_ntriples(share(raised, None)[0]).splitlines())
    assert lines(tmp_path / "ch" / REMOVED) == had - gets and lines(tmp_path / "ch" / ADDED) == gets - had
    assert result.removed > 0
