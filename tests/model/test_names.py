"""Entity lookup by id, name or alias: case-, accent- and script-insensitive."""

from __future__ import annotations

import pytest

from graph.model.names import PLAUSIBLE, SUGGESTIONS, LookupProblem, NameIndex, match_key, rank_suggestions


@pytest.mark.parametrize("a,b", [("Hà Nội", "Hanoi"), ("Ha Noi", "HANOI"), ("Việt Nam", "viet-nam"),
                                 ("  KK  Park ", "kk park"), ("Kavre District", "kavre-district")])
def test_match_key_equivalences(a, b):
    assert match_key(a) == match_key(b)


def test_other_scripts_are_transliterated():
    assert match_key("កម្ពុជា") and match_key("မြန်မာ") and match_key("ประเทศไทย")
    assert match_key("中国") != match_key("日本")


@pytest.fixture(scope="module")
def dataset():
    from graph import load_dataset, load_ontology

    from ..conftest import ROOT
    return load_dataset([ROOT / "data"], load_ontology(ROOT / "ontology"))


@pytest.fixture(scope="module")
def names(dataset):
    return NameIndex.of(dataset)


@pytest.fixture(scope="module")
def store_names(dataset, tmp_path_factory):
    from graph.store import StoreDataset, StoreNames, write_store
    return StoreNames(StoreDataset(write_store(dataset, tmp_path_factory.mktemp("store"), "names"), dataset.ontology))


def suggested(names, query: str) -> list[str]:
    """The ids suggested for ``query``, which must name nothing."""
    with pytest.raises(LookupProblem) as exc:
        names.resolve(query)
    assert str(exc.value).startswith(f"no entity named {query!r}")
    return [i for i, _ in exc.value.candidates]


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
    from graph import load_ontology
    from graph.model.dataset import Dataset
    from graph.model.records import Entity

    from ..conftest import ROOT
    ds = Dataset(load_ontology(ROOT / "ontology"), entities={
        "a": Entity(id="a", type="Person", name="Nguyen Van A"),
        "b": Entity(id="b", type="Person", name="Nguyễn Văn A")})
    with pytest.raises(LookupProblem) as exc:
        NameIndex.of(ds).resolve("nguyen van a")
    assert "ambiguous" in str(exc.value)
    assert [c[0] for c in exc.value.candidates] == ["a", "b"]


def test_a_short_query_suggests_the_names_with_that_word_first(names):
    assert suggested(names, "KK")[0] == "compound-kk-park"
    assert suggested(names, "Park")[0] == "compound-kk-park"  # any word of the name, not only the first


def test_words_are_found_among_all_names_and_the_id(names):
    # "Indonesian" is in its name, "victims" in its id
    assert "group-id-kh-2023-victims" in suggested(names, "Indonesian victims")[:3]
    assert suggested(names, "Myawadi compound")[0] == "group-myawaddy-compound-victims"  # an alias with a typo


def test_a_query_like_nothing_gives_no_suggestions(names):
    for query in ("xqzvbnm", "zzz qqq", "?!"):
        assert suggested(names, query) == []
    with pytest.raises(LookupProblem) as exc:
        names.resolve("xqzvbnm")
    assert str(exc.value) == "no entity named 'xqzvbnm'"


def test_suggestions_are_few_and_best_first(names):
    ids = suggested(names, "victims")
    assert len(ids) == SUGGESTIONS
    assert suggested(names, "Cambodian")[0] == "country-kh"  # the name that is nearly the query itself


def test_ties_are_ordered_by_id_whatever_the_order_of_the_names():
    rows = [("alpha beta", "b"), ("alpha beta", "a"), ("alpha", "c"), ("gamma", "d"), ("alpha gamma", "a")]
    assert rank_suggestions("alpha", rows) == ["c", "a", "b"]
    assert rank_suggestions("alpha", rows[::-1]) == ["c", "a", "b"]
    assert rank_suggestions("alpha", rows, limit=1) == ["c"]
    assert rank_suggestions("omega", rows) == [] and rank_suggestions("", rows) == []


def test_suggestions_do_not_go_below_the_plausible_score():
    # one word of three matches: the entity is no plausible reading of the query
    assert rank_suggestions("alpha beta gamma", [("alpha", "a")]) == []
    assert 0 < PLAUSIBLE < 100


@pytest.mark.parametrize("query", ["KK", "Park", "Indonesian victims", "Hanoy", "Cambodian", "victims", "in", "Indo",
                                   "Myawadi compound", "organ traffiking", "xqzvbnm", "Hanoi", "Burma", "Dr Santosh"])
def test_a_store_looks_names_up_as_the_dataset_does(names, store_names, query):
    def outcome(index):
        try:
            return index.resolve(query)
        except LookupProblem as exc:
            return str(exc), exc.candidates
    assert outcome(store_names) == outcome(names)


class _FewNames:
    """A NameStore of its own: the index resolves and suggests over whatever storage supplies the names."""

    honorifics = frozenset({"dr"})
    rows = {"a": ["dr santosh", "santosh"], "b": ["santosh kumar", "santosh"], "c": ["santos"]}

    def is_id(self, query):
        return query in self.rows

    def name_of(self, eid):
        return eid.upper()

    def ids_with_key(self, key):
        return sorted(i for i, texts in self.rows.items() if key in {t.replace(" ", "") for t in texts})

    def texts_near(self, query):
        return [(t, i) for i, texts in self.rows.items() for t in texts]


def test_the_index_works_over_any_name_store():
    names = NameIndex(_FewNames())
    assert names.resolve("b") == "b"
    assert names.resolve("Dr. Santosh") == "a"  # the key with the honorific counts first
    assert names.resolve("Santosh Kumar") == "b"
    with pytest.raises(LookupProblem) as exc:
        names.resolve("Santosh")
    assert exc.value.candidates == [("a", "A"), ("b", "B")]
    assert suggested(names, "Santoss")[0] == "c"


def test_the_store_counts_the_key_with_honorifics_first_too(tmp_path):
    from graph import load_ontology
    from graph.model.dataset import Dataset
    from graph.model.names import honorifics_of
    from graph.model.records import Entity
    from graph.store import StoreDataset, StoreNames, write_store

    from ..conftest import ROOT
    ontology = load_ontology(ROOT / "ontology")
    title, tlp = sorted(honorifics_of(Dataset(ontology)))[0], min(ontology.vocabulary("tlp").concepts)
    ds = Dataset(ontology, entities={"a": Entity(id="a", type="Person", name="Santosh", tlp=tlp),
                                     "b": Entity(id="b", type="Person", name=f"{title} Santosh", tlp=tlp)})
    store = StoreNames(StoreDataset(write_store(ds, tmp_path, "t"), ontology))
    for index in (NameIndex.of(ds), store):
        assert index.resolve(f"{title} Santosh") == "b"
        with pytest.raises(LookupProblem):
            index.resolve("Santosh")
