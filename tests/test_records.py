"""Record models: what a single record can check on its own."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from graph.records import Claim, Entity, Source, check_date, date_bounds

CIT = [{"source": "s", "quote": "q"}]


@pytest.mark.parametrize("value", ["2023", "2023-02", "2024-02-29"])
def test_partial_dates_are_accepted(value):
    assert check_date(value) == value


@pytest.mark.parametrize("value", ["23", "2023-2", "2023-13", "2023-02-30", "2023/01/01", "yesterday"])
def test_bad_dates_are_rejected(value):
    with pytest.raises(ValueError):
        check_date(value)


def test_yaml_numbers_and_dates_become_iso_text():
    import datetime
    c = Claim(subject="a", predicate="p", object="b", start=2019, end=datetime.date(2020, 5, 1), citations=CIT)
    assert (c.start, c.end) == ("2019", "2020-05-01")


def test_partial_date_order_uses_the_whole_period():
    assert date_bounds("2023") == ("2023-01-01", "2023-12-31")
    Claim(subject="a", predicate="p", object="b", start="2023-05", end="2023", citations=CIT)  # overlaps: fine
    with pytest.raises(ValidationError, match="is after end"):
        Claim(subject="a", predicate="p", object="b", start="2024", end="2023-12", citations=CIT)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "ftp://x.org",
                                 "//evil.org/x", "http://", "https://exa mple.org"])
def test_only_http_urls(url):
    with pytest.raises(ValidationError, match="http"):
        Source(id="s", title="t", kind="Report", reliability="B", url=url)


def test_claim_id_is_stable_and_ignores_evidence():
    a = Claim(subject="a", predicate="p", object="b", qualifiers={"count": 3}, citations=CIT)
    b = Claim(subject="a", predicate="p", object="b", qualifiers={"count": 3},
              citations=[{"source": "other", "quote": "more evidence"}])
    c = Claim(subject="a", predicate="p", object="b", qualifiers={"count": 4}, citations=CIT)
    assert a.id == b.id != c.id
    assert a.id.startswith("a.p.b.") and len(a.id) == len("a.p.b.") + 8
    assert Claim(subject="a", predicate="p", object="b", citations=CIT).id == "a.p.b"


def test_entity_type_or_types():
    assert Entity(id="e", type="Person", name="n").types == ["Person"]
    assert Entity(id="e", types=["Victim", "Group", "Victim"], name="n").types == ["Group", "Victim"]
    with pytest.raises(ValidationError, match="either 'type' or 'types'"):
        Entity(id="e", type="Person", types=["Group"], name="n")
    with pytest.raises(ValidationError, match="needs a 'type'"):
        Entity(id="e", name="n")


def test_country_codes_are_real():
    assert Entity(id="e", type="Country", name="n", country="KH").country == "KH"
    for bad in ("XX", "kh", "KHM"):
        with pytest.raises(ValidationError, match="ISO 3166"):
            Entity(id="e", type="Country", name="n", country=bad)


def test_unknown_fields_are_errors():
    with pytest.raises(ValidationError, match="Extra inputs"):
        Entity(id="e", type="Person", name="n", nmae="typo")
