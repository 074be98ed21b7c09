"""Outputs: a folder is replaced whole by what the last command wrote, targets that are not
regular files and outputs inside the inputs are refused."""

from __future__ import annotations

import json
import os
import shutil
import stat

import pytest

from graph import outputs
from graph.errors import OutputError, UsageError
from graph.outputs import atomic_write, sha256_file

from .conftest import FIXTURES

WITHHELD = ("ent-lvl-amber", "ent-lvl-strict", "ent-lvl-red")  # above GREEN in the levels fixture


def files_under(folder) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_a_replaced_folder_holds_only_what_the_block_wrote(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("old")
    (out / "stale.html").write_text("a page of an earlier run")
    with outputs.replaced_folder(out, "index.html") as fresh:
        assert fresh.parent == tmp_path and fresh != out and not any(fresh.iterdir())
        atomic_write(fresh / "index.html", "new")
        assert (out / "stale.html").exists()  # readers see the old folder until the block ends
    assert files_under(out) == ["index.html"] and (out / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]


def test_a_failed_block_leaves_the_old_folder_as_it_was(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("old")
    with pytest.raises(RuntimeError), outputs.replaced_folder(out, "index.html") as fresh:
        atomic_write(fresh / "index.html", "half")
        raise RuntimeError("killed")
    assert files_under(out) == ["index.html"] and (out / "index.html").read_text() == "old"
    assert not list(tmp_path.glob(".out.tmp-*"))


def test_a_folder_of_other_files_is_never_replaced(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(UsageError, match="did not write there"), outputs.replaced_folder(tmp_path, "summary.json"):
        pass
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_what_a_killed_run_left_beside_the_folder_is_removed(tmp_path):
    out = tmp_path / "out"
    (tmp_path / ".out.tmp-0123456789ab" / "export").mkdir(parents=True)  # a run killed while writing
    (tmp_path / ".out.tmp-0123456789ab" / "export" / ".graph.ttl.x.tmp").write_text("half")
    (tmp_path / ".out.old-ba9876543210").mkdir()  # a run killed between the two renames of a swap
    (tmp_path / ".out.old-ba9876543210" / "summary.json").write_text("{}")
    with outputs.replaced_folder(out, "summary.json") as fresh:
        assert (out / "summary.json").read_text() == "{}"  # the old folder went back first
        atomic_write(fresh / "summary.json", "[]")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]
    assert (out / "summary.json").read_text() == "[]"


def test_a_second_writer_of_the_same_folder_is_refused(tmp_path):
    out = tmp_path / "out"
    with outputs.replaced_folder(out, "summary.json") as fresh:
        atomic_write(fresh / "summary.json", "first")
        with pytest.raises(OutputError, match="being written by another thbor command"):
            with outputs.replaced_folder(out, "summary.json"):
                pass
    assert files_under(out) == ["summary.json"] and (out / "summary.json").read_text() == "first"


def test_a_target_that_is_not_a_regular_file_is_refused(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # like a device node: renaming a file over it would replace it
    with pytest.raises(UsageError, match="not a regular file"):
        outputs.check_target(fifo)
    with pytest.raises(OutputError, match="not a regular file"):
        atomic_write(fifo, "x")
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    with pytest.raises(UsageError, match="is a folder"):
        outputs.check_target(tmp_path)


@pytest.mark.parametrize("command", [["build", "{data}"], ["view", "--no-store", "--data", "{data}"],
                                     ["site", "--no-store", "--data", "{data}"]])
def test_the_cli_refuses_a_device_like_target(command, cli, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "tiny", data)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, _, err = cli(*[a.format(data=data) for a in command], "-o", fifo)
    assert code == 2 and "pipe" in err and stat.S_ISFIFO(fifo.stat().st_mode), err


def test_outputs_inside_the_inputs_are_refused(cli, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "tiny", data)
    before = files_under(data)
    for args in (["build", data, "-o", data], ["build", data, "-o", data / "out"], ["build", data, "-o", tmp_path],
                 ["view", "--no-store", "--data", data, "-o", data / "x.yaml"],
                 ["site", "--no-store", "--data", data, "-o", data / "site"]):
        code, _, err = cli(*args)
        assert code == 2 and ("inside the input" in err or "holds the input" in err), (args, err)
    assert files_under(data) == before
    with pytest.raises(UsageError, match="inside the input"):
        outputs.check_not_input(tmp_path / "ontology" / "x.ttl", [data, tmp_path / "ontology"])


def test_a_site_at_a_lower_level_keeps_no_page_of_a_withheld_entity(cli, tmp_path):
    out = tmp_path / "site"
    code, _, err = cli("site", "--no-store", "--data", FIXTURES / "levels", "-o", out)
    assert code == 0 and (out / "entity" / "ent-lvl-red.html").exists(), err
    code, _, err = cli("site", "--no-store", "--data", FIXTURES / "levels", "--max-tlp", "GREEN", "-o", out)
    assert code == 0, err
    pages = files_under(out)
    assert "entity/ent-lvl-clear.html" in pages
    assert not [p for p in pages if any(w in p for w in WITHHELD)]
    text = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert not [w for w in WITHHELD if w in text]


def test_a_deleted_entity_has_no_page_after_the_site_is_rebuilt(cli, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "tiny", data)
    case = data / "case.yaml"
    extra = "\nentities:\n  - {id: org-short-lived, type: Organisation, name: Short-lived clinic}\n"
    case.write_text(case.read_text(encoding="utf-8").replace("\nentities:\n", extra, 1), encoding="utf-8")
    out = tmp_path / "site"
    code, _, err = cli("site", "--no-store", "--data", data, "-o", out)
    assert code == 0 and (out / "entity" / "org-short-lived.html").exists(), err
    case.write_text(case.read_text(encoding="utf-8").replace(extra, "\nentities:\n"), encoding="utf-8")
    code, _, err = cli("site", "--no-store", "--data", data, "-o", out)
    assert code == 0, err
    assert not (out / "entity" / "org-short-lived.html").exists()
    assert "Short-lived" not in "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))


def test_a_folder_export_manifest_lists_only_its_own_files(ontology, tmp_path):
    from graph.formats.export import export
    from graph.load.validate import load_dataset

    ds = load_dataset([FIXTURES / "levels"], ontology)
    out = tmp_path / "partner"
    export(ds, out, "csv", max_tlp="RED")
    assert (out / "edges.csv").exists()
    result = export(ds, out, "neo4j", max_tlp="GREEN")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "neo4j" and manifest["sharing"]["level"] == "GREEN"
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted([*manifest["files"], "manifest.json"])
    assert all(sha256_file(out / name) == digest for name, digest in manifest["files"].items())
    assert [p.name for p in result.files] == [*sorted(manifest["files"]), "manifest.json"]
    text = "".join(p.read_text(encoding="utf-8") for p in out.iterdir())
    assert "RED-marker" not in text and "AMBER-marker" not in text


def test_export_refuses_to_write_into_its_inputs(cli, tiny, tmp_path):
    import shutil
    data = tmp_path / "data"
    shutil.copytree(tiny, data)
    before = sorted(p.name for p in data.iterdir())
    code, _, err = cli("export", data, "--no-store", "-o", data / "graph.ttl")
    assert code == 2 and "inside the input" in err
    assert sorted(p.name for p in data.iterdir()) == before
