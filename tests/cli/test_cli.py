"""The command line on a tiny dataset: output, exit codes, written files, documentation."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from graph.cli import app

from ..conftest import ROOT


def test_validate_tiny(cli, tiny):
    code, out, err = cli("validate", tiny)
    assert code == 0, err
    assert out.strip() == "valid: 2 sources, 4 entities, 3 claims"


def test_stats_json_counts(cli, tiny):
    code, out, _ = cli("stats", tiny, "--json")
    assert code == 0
    s = json.loads(out)
    assert s["totals"] == {"sources": 2, "entities": 4, "claims": 3, "citations": 3}
    assert s["claim_status"] == {"reported": 2, "alleged": 1}
    assert s["source_reliability"] == {"B": 1, "F": 1}
    assert s["entity_types"]["Person"] == 1
    # the person makes its claim AMBER; the post-only claim rests on a low grade
    assert s["claims_effective_sharing_levels"] == {"CLEAR": 1, "GREEN": 1, "AMBER": 1}
    assert len(s["low_graded_claims"]) == 1


def test_stats_plain_text_when_piped(cli, tiny):
    code, out, _ = cli("stats", tiny)
    assert code == 0
    assert "totals:" in out and "\u2503" not in out and "\u2502" not in out  # no box drawing
    assert "claims with only low-graded evidence: 1" in out


def test_build_writes_dataset_and_is_deterministic(cli, tiny, tmp_path):
    out1, out2 = tmp_path / "b1", tmp_path / "b2"
    assert cli("build", tiny, "-o", out1)[0] == 0
    assert cli("build", tiny, "-o", out2)[0] == 0
    for name in ("dataset.json", "summary.json"):
        assert (out1 / name).read_bytes() == (out2 / name).read_bytes()
    data = json.loads((out1 / "dataset.json").read_text())
    assert [c["id"] for c in data["claims"]] == sorted(c["id"] for c in data["claims"])
    assert data["claims"][0]["status"] in {"reported", "alleged"}
    assert not list(out1.glob(".*.tmp"))


def test_failed_build_keeps_previous_outputs(cli, tiny, tmp_path, write):
    out = tmp_path / "build"
    assert cli("build", tiny, "-o", out)[0] == 0
    before = (out / "dataset.json").read_bytes()
    bad = write("bad/case.yaml", "entities:\n  - {id: x, type: Nothing, name: X}\n")
    code, _, err = cli("build", bad.parent, "-o", out)
    assert code == 1 and "unknown entity type" in err
    assert (out / "dataset.json").read_bytes() == before


def test_every_command_is_documented_in_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = sorted(c.name or c.callback.__name__ for c in app.registered_commands)
    assert commands
    missing = [c for c in commands if not re.search(rf"thbor {c}\b", readme)]
    assert not missing, f"commands not shown in README.md: {missing}"


def test_every_command_has_help_with_an_example(cli):
    for c in app.registered_commands:
        name = c.name or c.callback.__name__
        code, out, _ = cli(name, "--help")
        assert code == 0 and "Example:" in out, name


@pytest.mark.slow
def test_real_process_no_traceback_and_exit_codes(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"sources:\n  - id: s1\n    title: caf\xe9\n")
    run = subprocess.run([sys.executable, "-m", "graph", "validate", str(bad)], capture_output=True, text=True,
                         cwd=ROOT)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr and f"{bad}:3:" in run.stderr
    usage = subprocess.run([sys.executable, "-m", "graph", "validate", "--no-such-flag"], capture_output=True,
                           text=True, cwd=ROOT)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr


def test_synth_writes_valid_records_and_never_into_data(cli, tmp_path, monkeypatch):
    out = tmp_path / "s.jsonl"
    code, _, _ = cli("synth", "--claims", "300", "--seed", "3", "-o", out)
    assert code == 0
    code, text, _ = cli("validate", out)
    assert code == 0 and "300 claims" in text
    again = tmp_path / "t.jsonl"
    cli("synth", "--claims", "300", "--seed", "3", "-o", again)
    assert again.read_bytes() == out.read_bytes()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    code, _, err = cli("synth", "--claims", "5", "-o", "data/x.jsonl")
    assert code == 2 and "never go into data/" in err and not (tmp_path / "data" / "x.jsonl").exists()


def test_synth_all_shareable_is_the_same_graph_with_every_record_exported(cli, tmp_path):
    import json
    mix, every = tmp_path / "mix.jsonl", tmp_path / "all.jsonl"
    assert cli("synth", "--claims", "300", "--seed", "3", "-o", mix)[0] == 0
    code, out, _ = cli("synth", "--claims", "300", "--seed", "3", "--shareable", "all", "-o", every)
    assert code == 0 and "sharing all" in out
    a = [json.loads(x) for x in mix.read_text().splitlines()]
    b = [json.loads(x) for x in every.read_text().splitlines()]
    strip = lambda rows: [{k: v for k, v in r.items() if k != "tlp"} for r in rows]  # noqa: E731
    assert strip(a) == strip(b) and {r["tlp"] for r in b} == {"CLEAR"}
    counts = {}
    for name, path in (("mix", mix), ("all", every)):
        assert cli("export", path, "--no-store", "-o", tmp_path / name / "g.nt")[0] == 0
        counts[name] = len((tmp_path / name / "g.nt").read_text(encoding="utf-8").splitlines())
    assert counts["all"] > counts["mix"]  # the mix leaves part of its records home
    assert cli("synth", "--shareable", "some", "-o", tmp_path / "x.jsonl")[0] == 2


def test_a_case_file_is_written_by_the_library_and_read_back(tiny, ontology, tmp_path, cli):
    from graph.formats.casefile import write_case_file
    from graph.load.validate import load_dataset
    ds = load_dataset([tiny], ontology)
    for name in ("back.yaml", "back.jsonl"):
        back = load_dataset([write_case_file(ds, tmp_path / name)], ontology)
        assert (set(back.sources), set(back.entities), set(back.claims)) == (set(ds.sources), set(ds.entities),
                                                                             set(ds.claims))
    code, _, err = cli("import", tiny / "case.yaml", "-o", tmp_path / "back.txt")
    assert code == 2 and "-o must end in .yaml, .yml or .jsonl" in err and not (tmp_path / "back.txt").exists()


def test_library_messages_name_fields_and_the_command_line_names_flags(cli):
    """The library speaks of its parameters (max_hops, date_from); each command says its flags,
    and never rewrites quoted input that happens to spell a field."""
    from graph.cli._app import flagged
    from graph.errors import UsageError

    code, _, err = cli("path", "--data", ROOT / "data", "--no-store", "KK Park", "Indonesia", "--k", "500")
    assert code == 2 and "--k must be between 1 and 100" in err and "--avoid-type" in err
    code, _, err = cli("timeline", "--data", ROOT / "data", "--no-store", "--at", "2020", "--from", "2019")
    assert code == 2 and "--at cannot be combined with --from/--to" in err
    code, _, err = cli("view", "--data", ROOT / "data", "--no-store", "--country", "XX", "--focus", "KK Park")
    assert code == 2 and "choose one of --focus, --path, --case and --country" in err
    code, _, err = cli("view", "--data", ROOT / "data", "--no-store", "--country", "country")
    assert code == 2 and "no entity has country COUNTRY" in err  # the value, not the flag
    message = flagged(UsageError("statuses: unknown status 'statuses'", fields=("statuses",)))
    assert message == "--status: unknown status 'statuses'"
