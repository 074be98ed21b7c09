"""dataset.json written by a child process from the records' lines: the same bytes, or a clean error."""

from __future__ import annotations

import pytest

from graph.errors import OutputError
from graph.load.dataset_writer import DatasetJsonInChild, write_from_lines
from graph.load.validate import load_dataset
from graph.synth import write_synth

from ..conftest import ROOT


@pytest.fixture(scope="module")
def datasets(ontology, tmp_path_factory):
    bulk = write_synth(tmp_path_factory.mktemp("synth") / "s.jsonl", ontology, 2000, seed=2)
    return {"shipped": load_dataset([ROOT / "data"], ontology),
            "resolutions": load_dataset([ROOT / "tests" / "fixtures" / "dossier"], ontology),
            "bulk": load_dataset([bulk], ontology)}


def _lines(ds, tmp_path):
    lines = tmp_path / "records.tmp"
    lines.write_text("".join(ds.record_lines()), encoding="utf-8")
    return lines


@pytest.mark.parametrize("name", ["shipped", "resolutions", "bulk"])
def test_the_lines_give_the_bytes_of_the_dataset(datasets, name, tmp_path):
    ds = datasets[name]
    assert bool(ds.resolutions) == (name == "resolutions")
    write_from_lines(_lines(ds, tmp_path), tmp_path / "dataset.json", ds.ontology.version, ds.section_names())
    assert (tmp_path / "dataset.json").read_text(encoding="utf-8") == ds.to_json()


def test_the_child_writes_the_same_and_can_be_stopped_after(datasets, tmp_path):
    ds = datasets["bulk"]
    child = DatasetJsonInChild(_lines(ds, tmp_path), tmp_path / "out" / "dataset.json", ds)
    assert child.result().read_text(encoding="utf-8") == ds.to_json()
    child.abandon()  # a later failure of the build stops its children: this one is done already


def test_a_child_that_cannot_write_fails_with_its_reason_and_leaves_nothing(datasets, tmp_path):
    ds = datasets["shipped"]
    (tmp_path / "taken").write_text("a file where the folder should be")
    child = DatasetJsonInChild(_lines(ds, tmp_path), tmp_path / "taken" / "dataset.json", ds)
    with pytest.raises(OutputError, match=r"taken/dataset.json: .*Not a directory"):
        child.result()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records.tmp", "taken"]


def test_lines_of_a_section_not_named_are_refused(datasets, tmp_path):
    ds = datasets["shipped"]
    with pytest.raises(OutputError, match="a section not named: 'sources'"):
        write_from_lines(_lines(ds, tmp_path), tmp_path / "dataset.json", ds.ontology.version, ["claims", "entities"])
    assert not (tmp_path / "dataset.json").exists()
