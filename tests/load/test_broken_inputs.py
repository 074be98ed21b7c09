"""A corpus of broken inputs: each must give exit 1 and `file:line: ...` on stderr, no traceback.

The offending line of each YAML case ends with the marker ``# <-``; the test reads the expected
line number from there, so the cases stay readable.
"""

from __future__ import annotations

import re

import pytest

BASE = """\
sources:
  - id: s1
    title: Test source
    kind: Report
    reliability: B
entities:
  - {id: p1, types: [Person, Recruiter], name: P}
  - {id: g1, types: [Group, Victim], name: G}
  - {id: kh, type: Country, name: Cambodia, country: KH}
"""

CLAIM = """\
claims:
  - subject: {subject}
    predicate: {predicate}
    object: {object}
{extra}    citations:
      - {{source: {source}, quote: q, credibility: {credibility}}}
"""


def claim(subject="p1", predicate="recruited", object="g1", source="s1", credibility="2", extra=""):
    return BASE + CLAIM.format(subject=subject, predicate=predicate, object=object, source=source,
                               credibility=credibility, extra=extra)


BOMB = "sources: &a\n" + "".join(
    f"  - &l{i} [{', '.join([f'*l{i-1}'] * 9) if i else ', '.join(['lol'] * 9)}]\n" for i in range(10)
)

YAML_CASES = {
    "dangling reference": claim(object="nobody  # <-"),
    "domain mismatch": claim(subject="kh  # <-"),
    "range mismatch": claim(predicate="traffickedTo", object="g1  # <-"),
    "unknown predicate": claim(predicate="recruted  # <-"),
    "citation of unknown source": claim(source="s9") .replace("{source: s9", "{source: s9").replace("credibility: 2}", "credibility: 2}  # <-"),
    "bad credibility": claim(credibility="9") .replace("credibility: 9}", "credibility: 9}  # <-"),
    "claim without citations": BASE + "claims:\n  - subject: p1  # <-\n    predicate: recruited\n    object: g1\n",
    "empty citations": BASE + "claims:\n  - subject: p1\n    predicate: recruited\n    object: g1\n    citations: []  # <-\n",
    "bad date": claim(extra="    start: 2023-13  # <-\n"),
    "start after end": claim(extra="    start: 2024\n    end: 2023-05  # <-\n"),
    "open end without start": claim(extra="    end: open  # <-\n"),
    "open_end without start": claim(extra="    open_end: true  # <-\n"),
    "open end with end date": claim(extra="    start: 2020\n    end: 2021\n    open_end: true  # <-\n"),
    "bad end": claim(extra="    start: 2020\n    end: ongoing  # <-\n"),
    "bad status": claim(extra="    status: rumoured  # <-\n"),
    "unknown qualifier": claim(extra="    qualifiers: {kidneys: 2}  # <-\n"),
    "bad qualifier value": claim(extra="    qualifiers: {count: many}  # <-\n"),
    "unknown field": claim(extra="    predicat: recruited  # <-\n"),
    "javascript url": BASE.replace("    reliability: B\n", "    reliability: B\n    url: javascript:alert(1)  # <-\n"),
    "bad reliability": BASE.replace("    reliability: B\n", "    reliability: G  # <-\n"),
    "bad source kind": BASE.replace("    kind: Report\n", "    kind: Rumour  # <-\n"),
    "bad sharing level": BASE.replace("name: G}", "name: G, tlp: PINK}  # <-"),
    "unknown entity type": BASE.replace("type: Country,", "type: Nation,").replace("country: KH}", "country: KH}  # <-"),
    "bad country code": BASE.replace("country: KH}", "country: XX}  # <-"),
    "bad id": BASE.replace("  - id: s1\n", "  - id: s 1  # <-\n"),
    "duplicate key": BASE.replace("    title: Test source\n", "    title: Test source\n    title: Again  # <-\n"),
    "syntax error": "sources:\n  - id: s1\n    title: [unclosed  # <-\n",
    "wrong top-level shape": "- just\n- a list  # <-\n".replace("- just", "- just  # <-").replace("- a list  # <-", "- a list"),
    "unknown top-level key": "claimz: []  # <-\n",
    "section not a list": "sources:  # <-\n  id: s1\n",
    "record not a map": "entities:\n  - just text  # <-\n",
    "impossible date read by YAML as a date": claim(extra="    start: 2023-02-30  # <-\n"),
    "not-a-number qualifier": claim(extra="    qualifiers: {amount: .nan}  # <-\n"),
    "infinite qualifier": claim(extra="    qualifiers: {amountMax: -.inf}  # <-\n"),
    "escape in a text qualifier": claim(extra='    qualifiers: {period: "in 2023\\e[2J"}  # <-\n'),
    "url with a pipe": BASE.replace("    reliability: B\n", "    reliability: B\n    url: https://x.org/a|b  # <-\n"),
    "url with braces": BASE.replace("    reliability: B\n", "    reliability: B\n    url: https://x.org/?q={x}  # <-\n"),
    "url with a bare percent": BASE.replace("    reliability: B\n", "    reliability: B\n    url: https://x.org/100%-sure  # <-\n"),
    "url with a letter in the port": BASE.replace("    reliability: B\n", "    reliability: B\n    url: http://host:8O80/  # <-\n"),
    "escape in a name": BASE.replace("name: P}", 'name: "P\\e[31mred"}  # <-'),
    "bell in a name": BASE.replace("name: P}", 'name: "P\\a"}  # <-'),
    "right-to-left override in a name": BASE.replace("name: P}", 'name: "P\\u202Egpj.exe"}  # <-'),
    "newline in a title": BASE.replace("    title: Test source\n", '    title: "Test\\nsource"  # <-\n'),
    "C1 control in a description": BASE.replace("name: P}", 'name: P, description: "a\\x9bb"}  # <-'),
    "deep nesting": "claims:\n  - qualifiers:\n" + "".join("  " * (i + 3) + f"k{i}:\n" for i in range(40)).rstrip("\n").replace("k29:", "k29:  # <-") + " x\n",
}


def marker_line(text: str) -> int:
    for n, line in enumerate(text.splitlines(), 1):
        if line.rstrip().endswith("# <-"):
            return n
    raise AssertionError("case has no marker")


def assert_clean_failure(cli, path, line: int | None, needle: str, target=None) -> str:
    """Validate ``target`` (default ``path``); expect exit 1 and ``path:line:`` with ``needle``."""
    code, out, err = cli("validate", target or path)
    assert code == 1, (out, err)
    assert "Traceback" not in out + err
    where = f"{path}:{line}:" if line is not None else f"{path}:"
    assert where in err, err
    assert needle.lower() in err.lower(), err
    return err


NEEDLES = {
    "dangling reference": "unknown entity 'nobody'",
    "domain mismatch": "needs Agent",
    "range mismatch": "needs Place",
    "unknown predicate": "unknown predicate 'recruted'",
    "citation of unknown source": "unknown source 's9'",
    "bad credibility": "not a credibility grade",
    "claim without citations": "citations: Field required",
    "empty citations": "at least 1 item",
    "bad date": "not a valid date",
    "start after end": "is after end",
    "open end without start": "end: an open end needs a start",
    "open_end without start": "open_end: an open end needs a start",
    "open end with end date": "open_end: an open end cannot have an end date (end: 2021)",
    "bad end": "'ongoing' is not a valid date (YYYY, YYYY-MM or YYYY-MM-DD); 'open' when it has not ended",
    "bad status": "unknown value 'rumoured'",
    "unknown qualifier": "unknown qualifier 'kidneys'",
    "bad qualifier value": "not a whole number",
    "unknown field": "unknown field",
    "javascript url": "not an http(s) URL",
    "bad reliability": "unknown value 'G'",
    "bad source kind": "unknown value 'Rumour'",
    "bad sharing level": "unknown value 'PINK'",
    "unknown entity type": "unknown entity type 'Nation'",
    "bad country code": "ISO 3166-1",
    "bad id": "ids are letters",
    "duplicate key": "given twice",
    "syntax error": "YAML syntax error",
    "wrong top-level shape": "top level must be a map",
    "unknown top-level key": "unknown top-level key 'claimz'",
    "section not a list": "must be a list",
    "record not a map": "must be a map",
    "deep nesting": "nested deeper",
    "impossible date read by YAML as a date": "start: '2023-02-30' is not a valid date",
    "not-a-number qualifier": "qualifiers.amount: nan is not a finite number",
    "infinite qualifier": "qualifiers.amountMax: -inf is not a finite number",
    "escape in a text qualifier": "qualifiers.period: holds the control character U+001B",
    "url with a pipe": "'|' is not allowed (percent-encode it as %7C)",
    "url with braces": "'{' is not allowed",
    "url with a bare percent": "'%' must begin a percent-escape",
    "url with a letter in the port": "the port '8O80' is not a number",
    "escape in a name": "name: holds the control character U+001B",
    "bell in a name": "name: holds the control character U+0007",
    "right-to-left override in a name": "name: holds the control character U+202E (RIGHT-TO-LEFT OVERRIDE)",
    "newline in a title": "title: holds the control character U+000A",
    "C1 control in a description": "description: holds the control character U+009B",
}


@pytest.mark.parametrize("name", sorted(YAML_CASES))
def test_broken_yaml_reports_file_and_line(name, write, cli):
    text = YAML_CASES[name]
    path = write("case.yaml", text)
    assert_clean_failure(cli, path, marker_line(text), NEEDLES[name])


def test_alias_bomb_fails_fast_with_a_clear_message(write, cli):
    path = write("bomb.yaml", BOMB)
    err = assert_clean_failure(cli, path, None, "alias bomb")
    assert re.search(re.escape(str(path)) + r":\d+:", err)


def test_not_utf8(write, cli):
    path = write("latin1.yaml", b"sources:\n  - id: s1\n    title: caf\xe9\n")
    assert_clean_failure(cli, path, 3, "not UTF-8")


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file(text, write, cli):
    path = write("empty.yaml", text)
    assert_clean_failure(cli, path, 1, "file is empty")


def test_duplicate_id_across_two_files(write, cli, tmp_path):
    write("a.yaml", BASE)
    second = write("b.yaml", "entities:\n  - {id: p1, type: Person, name: Other}\n")
    err = assert_clean_failure(cli, second, 2, "duplicate id 'p1'", target=tmp_path)
    assert "first defined at" in err and "a.yaml:7" in err


@pytest.mark.parametrize("line2,needle", [
    ('{"record": "entity", "id": "x", "type": "Person", "name": ', "not valid JSON"),
    ('{"record": "rumour", "id": "x"}', "'record' must be one of"),
    ('["not", "an", "object"]', "must be a JSON object"),
    ('{"record": "claim", "subject": "p1", "predicate": "recruited", "object": "zz", '
     '"citations": [{"source": "s1", "quote": "q"}]}', "unknown entity 'zz'"),
])
def test_broken_jsonl_reports_the_line(line2, needle, write, cli, tmp_path):
    write("base.yaml", BASE)
    path = write("bulk.jsonl", '{"record": "entity", "id": "e2", "type": "Person", "name": "E"}\n' + line2 + "\n")
    code, _, err = cli("validate", path.parent)
    assert code == 1 and "Traceback" not in err
    assert f"{path}:2:" in err and needle in err


def test_every_problem_of_a_file_is_reported_at_once(write, cli):
    text = BASE.replace("reliability: B", "reliability: G") + CLAIM.format(
        subject="p1", predicate="recruted", object="nobody", source="s9", credibility="2", extra="    start: 2023-13\n")
    path = write("many.yaml", text)
    code, _, err = cli("validate", path)
    assert code == 1
    for needle in ("unknown value 'G'", "not a valid date"):
        assert needle in err
    # a record whose fields are sound is checked against the ontology too
    text2 = BASE.replace("reliability: B", "reliability: G") + CLAIM.format(
        subject="p1", predicate="recruted", object="nobody", source="s9", credibility="2", extra="")
    code, _, err = cli("validate", write("many2.yaml", text2))
    for needle in ("unknown value 'G'", "unknown predicate 'recruted'", "unknown entity 'nobody'", "unknown source 's9'"):
        assert needle in err
    assert "4 problem(s) in 1 file(s)" in err


def test_missing_path_and_unsupported_file(cli, write, tmp_path):
    code, _, err = cli("validate", tmp_path / "nope")
    assert code == 1 and "no such file or folder" in err
    code, _, err = cli("validate", write("notes.txt", "hello"))
    assert code == 1 and "unsupported file type" in err


def test_same_claim_twice_is_reported_as_a_duplicate(write, cli):
    text = claim() + CLAIM.format(subject="p1", predicate="recruited", object="g1", source="s1", credibility="3",
                                  extra="").replace("claims:\n", "")
    path = write("dup.yaml", text)
    assert_clean_failure(cli, path, 16, "says the same as the claim at")



# --- inputs that used to end in a traceback ----------------------------------------------------

def test_nul_byte_is_named_by_line_on_one_line(write, cli):
    path = write("nul.yaml", b"sources:\n  - id: s1\n    title: a\x00b\n    kind: Report\n")
    err = assert_clean_failure(cli, path, 3, "control character U+0000 at column 13")
    assert len(err.strip().splitlines()) == 2  # the problem, then the count


FTM_GOOD = '{"id": "ftm-ok", "schema": "Person", "properties": {"name": ["Good Name"]}}'


@pytest.mark.parametrize("line,needle", [
    ('{"id": "ftm-1", "schema": "Person", "properties": {"name": "Not A List"}}', "ftm-1: not an FtM entity: properties.name: must be a list"),
    ('{"id": "ftm-1", "schema": "Person", "properties": {"name": [5]}}', "properties.name: must be a list of texts"),
    ('{"id": {"an": "object"}, "schema": "Person", "properties": {"name": ["A"]}}', "'id' must be a non-empty text, not dict"),
    ('{"id": ["x"], "schema": "Person"}', "'id' must be a non-empty text, not list"),
    ('{"id": "ftm-1", "schema": {"x": 1}}', "'schema' must be a non-empty text"),
    ('{"id": "ftm-1", "schema": "Person", "properties": [1]}', "'properties' must be an object"),
    ('{"id": "ftm-1", "schema": "Person", "datasets": [{}]}', "'datasets' must be a list of dataset names"),
    ('[1, 2]', "each line must be a JSON object"),
    ('{"id": "ftm-1", "schema": "Person", "properties": {"name": ' + "[" * 100_000 + "]" * 100_000 + "}}",
     "depth limit exceeded"),
], ids=["name-text", "name-number", "id-object", "id-list", "schema-object", "properties-list", "datasets",
        "not-object", "deep"])
def test_broken_ftm_lines_are_named_by_line(line, needle, write, cli):
    path = write("bad.ftm.jsonl", FTM_GOOD + "\n" + line + "\n")
    err = assert_clean_failure(cli, path, 2, needle)
    assert f"{path}:1:" not in err  # the good line before it is read


def test_deep_plain_json_lines_are_refused(write, cli):
    write("base.yaml", BASE)
    path = write("deep.jsonl", '{"record": "entity", "id": "e", "type": "Person", "name": "E", "x": '
                 + "[" * 100_000 + "]" * 100_000 + "}\n")
    assert_clean_failure(cli, path, 1, "depth limit exceeded", target=path.parent)


def test_empty_folder_and_folder_named_like_a_case_file_are_refused(cli, tmp_path):
    for folder in (tmp_path / "empty", tmp_path / "x.yaml"):
        folder.mkdir()
        code, out, err = cli("validate", folder)
        assert code == 1 and "Traceback" not in err and "valid:" not in out
        assert f"{folder}: folder holds no case files" in err


def test_inputs_without_records_are_refused(write, cli):
    path = write("nothing.yaml", "sources: []\nentities:\nclaims: []\n")
    code, out, err = cli("validate", path)
    assert code == 1 and "valid:" not in out
    assert f"{path}: the inputs hold no records" in err


def test_build_of_an_empty_folder_leaves_the_outputs_alone(cli, tmp_path, tiny):
    out = tmp_path / "build"
    code, _, err = cli("build", tiny, "-o", out)
    assert code == 0, err
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    (tmp_path / "empty").mkdir()
    code, _, err = cli("build", tmp_path / "empty", "-o", out)
    assert code == 1 and "folder holds no case files" in err and "Traceback" not in err
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before


def test_unreadable_entries_of_a_folder_are_problems_of_their_own(write, cli, tmp_path):
    """Works as root too: a link to nothing, a pipe (which would block a reader), and a link to a
    file whose reading fails with an I/O error (/proc/self/mem)."""
    import os

    write("data/base.yaml", BASE)
    data = tmp_path / "data"
    (data / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    os.mkfifo(data / "pipe.yaml")
    (data / "mem.yaml").symlink_to("/proc/self/mem")
    code, _, err = cli("validate", data)
    assert code == 1 and "Traceback" not in err
    assert f"{data / 'gone.yaml'}: cannot read the file: it is a link to nothing" in err
    assert f"{data / 'pipe.yaml'}: cannot read the file: not a regular file" in err
    assert f"{data / 'mem.yaml'}: cannot read the file: Input/output error" in err
    assert "3 problem(s) in 3 file(s)" in err


def _store_of(cli, tmp_path, tiny):
    import shutil
    data = tmp_path / "data"
    shutil.copytree(tiny, data)
    code, _, err = cli("build", data, "-o", tmp_path / "build")
    assert code == 0, err
    store = tmp_path / "build" / "store"
    gen = store / (store / "CURRENT").read_text().strip()
    return data, store, gen


@pytest.mark.parametrize("damage", ["corrupt meta.json", "meta.json not a map", "missing nodes.json",
                                    "truncated index.npz", "records.sqlite not a database"])
@pytest.mark.parametrize("index_only", [True, False], ids=["index", "records"])
def test_damaged_store_falls_back_to_the_case_files(damage, index_only, cli, tmp_path, tiny):
    data, store, gen = _store_of(cli, tmp_path, tiny)
    # a shortest path is answered from the index alone; neighbours read the records and the whole graph
    command = (["path", "Test Broker", "Test Hospital", "--via-context"] if index_only
               else ["neighbors", "Test Broker", "--json"])
    _, expected, _ = cli(*command, "--data", data, "--no-store")
    {"corrupt meta.json": lambda: (gen / "meta.json").write_text('{"format": 6, "finger'),
     "meta.json not a map": lambda: (gen / "meta.json").write_text("[1]"),
     "missing nodes.json": lambda: (gen / "nodes.json").unlink(),
     "truncated index.npz": lambda: (gen / "index.npz").write_bytes((gen / "index.npz").read_bytes()[:100]),
     "records.sqlite not a database": lambda: (gen / "records.sqlite").write_bytes(b"not sqlite" * 100),
     }[damage]()
    code, out, err = cli(*command, "--data", data, "--store", store)
    assert code == 0 and "Traceback" not in err, err
    assert out == expected and out.strip()
    assert f"warning: store generation {gen} is damaged" in err and "reading the case files instead" in err


FULL_DISK = """
import os, sys, shutil, sqlite3
from pathlib import Path
from graph.errors import OutputError
from graph.store import write_store
from graph.load.validate import load_dataset

disk, tiny, measure, leave = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), sys.argv[4]
ds = load_dataset([tiny])
free = 0
if leave == "json":  # room for the index and the JSON files, none for SQLite
    gen = write_store(ds, measure, "m")
    free = sum(-(-(gen / f).stat().st_size // 4096) * 4096 for f in ("index.npz", "nodes.json", "edges.json"))
with open(disk / "fill", "wb") as fh:  # fill the disk to the last page
    try:
        while True:
            fh.write(b"x" * 65536)
            fh.flush()
    except OSError:
        pass
os.truncate(disk / "fill", max(0, os.path.getsize(disk / "fill") // 4096 * 4096 - free))
try:
    write_store(ds, disk / "store", "s")
except OutputError as exc:
    print("OutputError:", exc)
print("left:", sorted(p.name for p in (disk / "store").iterdir()))
"""


@pytest.mark.parametrize("leave", ["nothing", "json"], ids=["first-write", "sqlite"])
def test_a_full_disk_gives_an_output_error(leave, tmp_path, tiny):
    """A real full filesystem: a tmpfs in a private mount namespace (no root needed), filled up;
    "json" leaves room for the generation's first files, so that SQLite is the one to fail."""
    import shutil
    import subprocess
    import sys

    unshare = shutil.which("unshare")
    assert unshare, "the disk-full test needs util-linux's unshare"
    disk = tmp_path / "disk"
    disk.mkdir()
    script = 'mount -t tmpfs -o size=2m tmpfs "$1" || exit 99; shift; exec "$@"'
    run = subprocess.run([unshare, "-rm", "sh", "-c", script, "sh", str(disk), sys.executable, "-c", FULL_DISK,
                          str(disk), str(tiny), str(tmp_path / "measure"), leave],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    expected = "No space left on device" if leave == "nothing" else "database or disk is full"
    assert f"OutputError: {disk / 'store'}: cannot write the store: {expected}" in run.stdout, run.stdout
    assert "left: []" in run.stdout  # no half-written generation, no CURRENT naming one
