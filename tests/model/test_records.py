"""Record models: what a single record can check on its own."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from graph.model.records import Claim, Entity, Source, check_date, date_bounds

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


@pytest.mark.parametrize("end", ["open", "OPEN", "Open", " open "])
def test_end_open_makes_an_open_ended_claim(end):
    c = Claim(subject="a", predicate="p", object="b", start="2019", end=end, citations=CIT)
    assert (c.start, c.end, c.open_end) == ("2019", None, True)
    direct = Claim(subject="a", predicate="p", object="b", start="2019", open_end=True, citations=CIT)
    assert direct == c and direct.id == c.id


def test_a_start_alone_is_not_open_ended():
    c = Claim(subject="a", predicate="p", object="b", start="2019", citations=CIT)
    assert (c.end, c.open_end) == (None, False)
    assert Claim(subject="a", predicate="p", object="b", start="2019", end="2020", citations=CIT).open_end is False


def test_an_open_end_with_an_end_date_is_an_error():
    with pytest.raises(ValidationError, match=r"an open end cannot have an end date \(end: 2021\)") as exc:
        Claim(subject="a", predicate="p", object="b", start="2019", end="2021", open_end=True, citations=CIT)
    assert [e["loc"] for e in exc.value.errors()] == [("open_end",)]


@pytest.mark.parametrize("fields, where", [({"end": "open"}, "end"), ({"open_end": True}, "open_end"),
                                           ({"end": "open", "open_end": True}, "end")])
def test_an_open_end_needs_a_start(fields, where):
    with pytest.raises(ValidationError, match="an open end needs a start") as exc:
        Claim(subject="a", predicate="p", object="b", citations=CIT, **fields)
    assert [e["loc"] for e in exc.value.errors()] == [(where,)]


def test_end_open_and_open_end_false_contradict():
    with pytest.raises(ValidationError, match="'end: open' contradicts 'open_end: false'"):
        Claim(subject="a", predicate="p", object="b", start="2019", end="open", open_end=False, citations=CIT)


def test_a_bad_end_names_open_as_the_other_choice():
    with pytest.raises(ValidationError, match=r"'closed' is not a valid date .*'open' when it has not ended"):
        Claim(subject="a", predicate="p", object="b", start="2019", end="closed", citations=CIT)


def test_a_bad_start_is_reported_alone_beside_an_open_end():
    with pytest.raises(ValidationError) as exc:
        Claim(subject="a", predicate="p", object="b", start="2019-13", end="open", citations=CIT)
    assert [e["loc"] for e in exc.value.errors()] == [("start",)]


def test_derived_ids_count_an_open_end_only_when_there_is_one():
    import hashlib
    import json

    def expected(detail):
        return "a.p.b." + hashlib.sha256(json.dumps(detail, sort_keys=True).encode()).hexdigest()[:8]

    plain = Claim(subject="a", predicate="p", object="b", start="2019", qualifiers={"count": 3}, citations=CIT)
    assert plain.id == expected(["2019", None, {"count": 3}])  # as ids were derived before open ends
    both = Claim(subject="a", predicate="p", object="b", start="2019", end="2020", citations=CIT)
    assert both.id == expected(["2019", "2020", {}])
    open_ended = Claim(subject="a", predicate="p", object="b", start="2019", qualifiers={"count": 3}, end="open",
                       citations=CIT)
    assert open_ended.id == expected(["2019", None, {"count": 3}, {"open_end": True}]) != plain.id


def test_open_end_is_dumped_only_when_true_and_reads_back():
    plain = Claim(subject="a", predicate="p", object="b", start="2019", citations=CIT)
    assert "open_end" not in plain.model_dump(mode="json", exclude_none=True)
    assert "open_end" not in plain.model_dump_json(exclude_none=True)
    open_ended = Claim(subject="a", predicate="p", object="b", start="2019", end="open", citations=CIT)
    dumped = open_ended.model_dump(mode="json", exclude_none=True)
    assert dumped["open_end"] is True and "end" not in dumped
    assert open_ended.model_dump(mode="json", exclude_none=True, exclude_defaults=True)["open_end"] is True
    assert Claim.model_validate(dumped) == open_ended
    assert Claim.model_validate_json(open_ended.model_dump_json(exclude_none=True)) == open_ended


def test_the_dataset_dump_keeps_open_ends_and_reads_back(write, ontology):
    import json

    from graph import load_dataset
    path = write("case.yaml", """
        sources: [{id: s1, title: T, kind: Report, reliability: B}]
        entities:
          - {id: p1, types: [Person, Recruiter], name: P}
          - {id: g1, types: [Group, Victim], name: G}
        claims:
          - {subject: p1, predicate: recruited, object: g1, start: 2019, end: open, citations: [{source: s1, quote: q}]}
          - {subject: p1, predicate: recruited, object: g1, start: 2018, citations: [{source: s1, quote: r}]}
        """)
    ds = load_dataset([path], ontology)
    data = json.loads(ds.to_json())
    by_start = {c["start"]: c for c in data["claims"]}
    assert by_start["2019"]["open_end"] is True and "end" not in by_start["2019"]
    assert "open_end" not in by_start["2018"]
    back = {c.id: c for c in (Claim.model_validate(r) for r in data["claims"])}
    assert back == ds.claims


IRIS = {  # URL -> whether it is a valid http(s) IRI
    "https://example.org/a%20b?q=1&r=x#top": True,
    "https://例え.jp/パス?名前=値": True,
    "http://[2001:db8::1]:8080/x": True,
    "https://user:pw@example.org:443/": True,
    "https://example.org/?\ue000": True,  # private use is allowed in a query only
    "https://x.org/a|b": False,
    "https://x.org/?q={x}": False,
    "https://x.org/100%-sure": False,
    "https://x.org/a%zz": False,
    "http://host:8O80/": False,
    "https://x.org/a\\b": False,
    "https://x.org/a^b": False,
    "https://x.org/a`b": False,
    "https://x.org/<b>": False,
    'https://x.org/"b"': False,
    "https://x.org/[a]": False,
    "https://x.org/a#b#c": False,
    "https://x.org/a\tb": False,
    "https://x.org/a\x85b": False,
    "https://x.org/\ue000": False,
    "https://x.org/\ufffe": False,
}


@pytest.mark.parametrize("url", sorted(IRIS))
def test_urls_are_accepted_exactly_when_they_are_iris(url):
    """Whatever validation accepts, the RDF parsers accept as an IRI: no export fails on it."""
    import pyoxigraph

    if IRIS[url]:
        assert Source(id="s", title="t", kind="Report", reliability="B", url=url).url == url
        pyoxigraph.NamedNode(url)  # the real parser agrees
        triples = pyoxigraph.parse(f"<{url}> <http://x.org/p> <{url}> .\n", format=pyoxigraph.RdfFormat.N_TRIPLES)
        assert len(list(triples)) == 1
    else:
        with pytest.raises(ValidationError, match="is not a valid URL"):
            Source(id="s", title="t", kind="Report", reliability="B", url=url)
        with pytest.raises(ValueError):
            pyoxigraph.NamedNode(url)


@pytest.mark.parametrize("url,needle", [
    ("http://:80/", "it has no host"),
    ("http://x.org:99999/", "the port '99999' is not a number from 0 to 65535"),
    ("https://x.org/a\u202eb", "'\\u202e' is not allowed (percent-encode it as %E2%80%AE)"),
])
def test_url_problems_say_what_is_wrong(url, needle):
    with pytest.raises(ValidationError) as info:
        Source(id="s", title="t", kind="Report", reliability="B", url=url)
    assert needle in str(info.value)


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9b",
                                  "\u202e", "\u2066", "\u200f", "\u061c"])
def test_control_characters_are_refused_in_every_text_field(char):
    value = f"a{char}b"
    makers = {
        "name": lambda: Entity(id="e", type="Person", name=value),
        "aliases.0.name": lambda: Entity(id="e", type="Person", name="n", aliases=[{"name": value}]),
        "description": lambda: Entity(id="e", type="Person", name="n", description=value),
        "title": lambda: Source(id="s", title=value, kind="Report", reliability="B"),
        "publisher": lambda: Source(id="s", title="t", publisher=value, kind="Report", reliability="B"),
        "note": lambda: Claim(subject="a", predicate="p", object="b", note=value, citations=CIT),
        "citations.0.quote": lambda: Claim(subject="a", predicate="p", object="b",
                                           citations=[{"source": "s", "quote": value}]),
    }
    for field, make in makers.items():
        with pytest.raises(ValidationError, match=f"holds the control character U\\+{ord(char):04X}") as info:
            make()
        assert field in str(info.value)


def test_multi_line_text_keeps_tab_and_newline_but_names_do_not():
    assert Entity(id="e", type="Person", name="n", description="one\n\ttwo").description == "one\n\ttwo"
    assert Claim(subject="a", predicate="p", object="b", citations=[{"source": "s", "quote": "l1\nl2"}])
    for value, code in (("a\nb", "000A"), ("a\tb", "0009")):
        with pytest.raises(ValidationError, match=f"name\n.*holds the control character U\\+{code}"):
            Entity(id="e", type="Person", name=value)


def test_records_of_a_kind_share_one_set_of_field_names_and_dump_as_before():
    raw = [{"subject": "a", "predicate": "paid", "object": f"b{i}", "start": "2020",
            "citations": [{"source": "s", "quote": "q", "credibility": "2"}]} for i in range(3)]
    plain = [Claim.model_validate(r) for r in raw]
    shared = [Claim.model_validate(r) for r in raw]
    for c in shared:
        c.compact()
    assert shared == plain and [c.model_dump_json() for c in shared] == [c.model_dump_json() for c in plain]
    assert shared[0].model_fields_set is shared[2].model_fields_set
    assert shared[0].citations[0].model_fields_set is shared[1].citations[0].model_fields_set
    copy = shared[0].model_copy(update={"note": "n"})  # a copy's set is its own
    assert copy.model_fields_set is not shared[0].model_fields_set and copy.note == "n"
