"""JSON Lines are streamed: records come one at a time, with progress, whatever the file's size."""

from __future__ import annotations

import json

from graph.load.files import Problem, RawRecord, iter_file
from graph.load.validate import input_bytes, load_dataset


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


def test_an_unreadable_file_is_a_problem_of_that_file(tmp_path, ontology):
    """/proc/self/mem fails every read with an I/O error, for root too (chmod 000 does not)."""
    for name in ("mem.yaml", "mem.jsonl", "mem.ftm.jsonl"):
        link = tmp_path / name
        link.symlink_to("/proc/self/mem")
        items = list(iter_file(link, ontology=ontology))
        assert items == [Problem(str(link), 0, "", "cannot read the file: Input/output error")]


def test_a_date_yaml_cannot_build_goes_on_as_text(tmp_path):
    f = tmp_path / "case.yaml"
    f.write_text("claims:\n  - subject: a\n    start: 2023-02-30\n    end: 2023-02-28\n", encoding="utf-8")
    (record,) = list(iter_file(f))
    assert record.data["start"] == "2023-02-30"  # the record's own check names it
    assert str(record.data["end"]) == "2023-02-28"
    assert record.origin.line_of(("start",)) == 3


def test_characters_yaml_refuses_are_named_by_line(tmp_path):
    f = tmp_path / "case.yaml"
    f.write_bytes(b"sources:\n  - id: s1\n    title: a\x00b\n    kind: \x1b[2J\n")
    items = list(iter_file(f))
    assert [(i.line, i.message) for i in items] == [
        (3, "the control character U+0000 at column 13 is not allowed in a case file"),
        (4, "the control character U+001B at column 11 is not allowed in a case file")]


def test_folders_without_case_files_and_odd_entries_are_problems(tmp_path):
    import os

    from graph.load.files import find_input_files
    (tmp_path / "empty").mkdir()
    (tmp_path / "x.yaml").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.yaml").write_text("sources: []\n", encoding="utf-8")
    os.mkfifo(tmp_path / "data" / "p.jsonl")
    files, problems = find_input_files([tmp_path / "empty", tmp_path / "x.yaml", tmp_path / "data"])
    assert files == [tmp_path / "data" / "a.yaml"]
    assert [(p.path, p.message.split(" (")[0]) for p in problems] == [
        (str(tmp_path / "empty"), "folder holds no case files"),
        (str(tmp_path / "x.yaml"), "folder holds no case files"),
        (str(tmp_path / "data" / "p.jsonl"), "cannot read the file: not a regular file")]
