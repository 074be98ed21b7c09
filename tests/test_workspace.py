"""The one rule of where records come from: case files, a fresh store, a stale store refreshed."""

from __future__ import annotations

import shutil

import pytest

import graph.workspace
from graph.load.validate import load_dataset
from graph.query.results import PathMode, QueryOptions
from graph.store import current, fingerprint, write_store
from graph.workspace import Workspace

from .conftest import FIXTURES


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "tiny", folder)
    return folder


def _store_of(data, ontology, root):
    """A store made from ``data`` as it is now (what ``thbor build`` writes)."""
    write_store(load_dataset([data], ontology), root, fingerprint([data], ontology))
    return root


def _no_reading(monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("the case files were read")
    monkeypatch.setattr(graph.workspace, "load_dataset", refuse)


def test_without_a_store_the_case_files_are_read_and_no_store_is_made(data, ontology, tmp_path):
    where = Workspace([data], ontology, str(tmp_path / "store"))
    assert set(where.dataset().claims) == set(load_dataset([data], ontology).claims)
    assert not (tmp_path / "store").exists()  # a store is refreshed, never created


def test_a_fresh_store_answers_without_reading_the_case_files(data, ontology, tmp_path, monkeypatch):
    store = _store_of(data, ontology, tmp_path / "store")
    expected = load_dataset([data], ontology)
    _no_reading(monkeypatch)
    where = Workspace([data], ontology, str(store))
    assert where.dataset().to_json() == expected.to_json()
    for index_only in (True, False):  # the array index alone, or the records and graph whole
        q = where.query(QueryOptions(via_context=True), index_only=index_only)
        answer = q.path("Test Broker", "Test Hospital", PathMode())
        assert [n["id"] for n in answer.paths[0]["nodes"]] == ["p-broker", "g-victims", "c-kh", "h-hospital"]


def test_a_stale_store_is_not_used_and_is_refreshed(data, ontology, tmp_path):
    store = _store_of(data, ontology, tmp_path / "store")
    before = current(store)
    f = data / "case.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("name: Test Hospital", "name: Renamed Hospital"),
                 encoding="utf-8")
    where = Workspace([data], ontology, str(store))
    assert where.dataset().entities["h-hospital"].name == "Renamed Hospital"  # never the old answer
    assert current(store) != before  # and the next command reads the new store
    q = where.query()
    assert q.names.resolve("Renamed Hospital") == "h-hospital"


def test_the_query_commands_and_the_export_refresh_alike(data, ontology, tmp_path):
    for read in (lambda w: w.dataset(), lambda w: w.query()):
        store = _store_of(data, ontology, tmp_path / f"store-{id(read)}")
        (data / "extra.yaml").write_text(f"entities:\n  - {{id: x-{id(read)}, type: Country, name: X, country: FR}}\n",
                                         encoding="utf-8")
        read(Workspace([data], ontology, str(store)))
        assert current(store).name == f"gen-{fingerprint([data], ontology)}"


def test_no_store_reads_the_files_and_leaves_the_store_alone(data, ontology, tmp_path):
    store = _store_of(data, ontology, tmp_path / "store")
    before = current(store)
    (data / "extra.yaml").write_text("entities:\n  - {id: x-extra, type: Country, name: Extra, country: FR}\n",
                                     encoding="utf-8")
    ds = Workspace([data], ontology, str(store), use_store=False).dataset()
    assert "x-extra" in ds.entities and current(store) == before


def test_a_damaged_store_is_said_and_the_case_files_answer(data, ontology, tmp_path):
    store = _store_of(data, ontology, tmp_path / "store")
    (current(store) / "meta.json").write_text("[1]", encoding="utf-8")
    warnings: list[str] = []
    where = Workspace([data], ontology, str(store))
    assert "p-broker" in where.dataset(warnings.append).entities
    assert "p-broker" in where.query(warn=warnings.append).ds.entities
    assert len(warnings) == 2 and all("is damaged" in w and "reading the case files instead" in w for w in warnings)


def test_the_sharing_step_applies_whatever_the_source(data, ontology, tmp_path):
    store = _store_of(data, ontology, tmp_path / "store")
    for use_store in (True, False):
        q = Workspace([data], ontology, str(store), use_store).query(QueryOptions(max_tlp="green"))
        assert "p-broker" not in q.ds.entities  # a person is above GREEN
