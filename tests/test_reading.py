"""JSON Lines are streamed: records come one at a time, with progress, whatever the file's size."""

from __future__ import annotations

import json

from graph.reading import Problem, RawRecord, iter_file
from graph.validate import input_bytes, load_dataset


def _lines(n: int, start: int = 0) -> str:
    return "".join(json.dumps({"record": "entity", "id": f"e{i}", "type": "Country", "name": f"Country {i}"}) + "\n"
                   for i in range(start, start + n))


def test_records_are_read_as_they_are_asked_for(tmp_path):
    f = tmp_path / "bulk.jsonl"
    f.write_text(_lines(30_000), encoding="utf-8")  # ~2 MB, far beyond one read buffer
    records = iter_file(f)
    assert next(records).data["id"] == "e0"
    with f.open("a", encoding="utf-8") as fh:  # written after reading began: a streamed reader still sees it
        fh.write(_lines(1, start=99_999))
    rest = list(records)
    assert rest[-1].data["id"] == "e99999" and len(rest) == 30_000


def test_problems_come_in_line_order_among_the_records(tmp_path):
    f = tmp_path / "bulk.jsonl"
    f.write_text(_lines(1) + "{not json\n" + _lines(1, start=1) + '{"record": "nothing"}\n', encoding="utf-8")
    items = list(iter_file(f))
    assert [type(i) for i in items] == [RawRecord, Problem, RawRecord, Problem]
    assert [i.line if isinstance(i, Problem) else i.origin.line for i in items] == [1, 2, 3, 4]


def test_progress_counts_every_byte_of_the_json_lines(tmp_path, ontology):
    f = tmp_path / "bulk.jsonl"
    f.write_text(_lines(40_000), encoding="utf-8")
    seen: list[int] = []
    ds = load_dataset([f], ontology, progress=seen.append)
    assert len(ds.entities) == 40_000
    assert len(seen) > 1 and sum(seen) == f.stat().st_size == input_bytes([tmp_path])


def test_import_shows_a_progress_bar_on_request(cli, tmp_path):
    f = tmp_path / "bulk.jsonl"
    f.write_text(_lines(100), encoding="utf-8")
    code, out, err = cli("import", f, "--progress")
    assert code == 0 and "valid: 0 sources, 100 entities, 0 claims" in out
    assert "reading and checking" in err and "100%" not in out
    code, _, err = cli("import", f, "--no-progress")
    assert code == 0 and err == ""
