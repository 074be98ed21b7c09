"""Entity lookup by id, name or alias: case-, accent- and script-insensitive."""

from __future__ import annotations

import pytest

from graph.names import LookupProblem, NameIndex, match_key


@pytest.mark.parametrize("a,b", [("Hà Nội", "Hanoi"), ("Ha Noi", "HANOI"), ("Việt Nam", "viet-nam"),
                                 ("  KK  Park ", "kk park"), ("Kavre District", "kavre-district")])
def test_match_key_equivalences(a, b):
    assert match_key(a) == match_key(b)


def test_other_scripts_are_transliterated():
    assert match_key("កម្ពុជា") and match_key("မြန်မာ") and match_key("ประเทศไทย")
    assert match_key("中国") != match_key("日本")


@pytest.fixture(scope="module")
def names():
    from graph import load_dataset, load_ontology
    from .conftest import ROOT
    return NameIndex.of(load_dataset([ROOT / "data"], load_ontology(ROOT / "ontology")))


@pytest.mark.parametrize("query", ["city-hanoi", "Hanoi", "Ha Noi", "Hà Nội", "hanoi"])
def test_hanoi_in_every_spelling(names, query):
    assert names.resolve(query) == "city-hanoi"


def test_alias_in_another_script(names):
    assert names.resolve("កម្ពុជា") == "country-kh"
    assert names.resolve("Burma") == "country-mm"


def test_not_found_suggests(names):
    with pytest.raises(LookupProblem) as exc:
        names.resolve("Hanoy")
    assert "no entity named 'Hanoy'" in str(exc.value) and "city-hanoi" in str(exc.value)


def test_ambiguous_lists_candidates():
    from graph.dataset import Dataset
    from graph.records import Entity
    from graph import load_ontology
    from .conftest import ROOT
    ds = Dataset(load_ontology(ROOT / "ontology"), entities={
        "a": Entity(id="a", type="Person", name="Nguyen Van A"),
        "b": Entity(id="b", type="Person", name="Nguyễn Văn A")})
    with pytest.raises(LookupProblem) as exc:
        NameIndex.of(ds).resolve("nguyen van a")
    assert "ambiguous" in str(exc.value)
    assert [c[0] for c in exc.value.candidates] == ["a", "b"]
