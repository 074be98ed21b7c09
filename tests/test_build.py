"""The main job's limits: bulk inputs get a build that finishes, and says what it left out."""

from __future__ import annotations

import json

import pytest

from graph.build import BuildLimits, build

CASES = """
sources:
  - {id: s1, title: Test report, kind: Report, reliability: B}
entities:
  - {id: c-kh, type: Country, name: Cambodia, country: KH}
  - {id: c-th, type: Country, name: Thailand, country: TH}
  - {id: case-a, type: Case, name: Test case A}
  - {id: case-b, type: Case, name: Test case B}
claims:
  - {subject: case-a, predicate: occurredIn, object: c-kh, citations: [{source: s1, quote: "in Cambodia"}]}
  - {subject: case-b, predicate: occurredIn, object: c-th, citations: [{source: s1, quote: "in Thailand"}]}
  - {subject: case-b, predicate: occurredIn, object: c-kh, citations: [{source: s1, quote: "and Cambodia"}]}
"""


@pytest.fixture
def cases(write):
    return write("cases.yaml", CASES)


def test_small_inputs_get_every_output_and_a_full_shacl_check(cases, ontology, tmp_path):
    result = build([cases], tmp_path / "out", ontology)
    assert result.notes == []
    triples = json.loads((tmp_path / "out" / "export" / "graph.ttl.manifest.json").read_text())["counts"]["triples"]
    assert result.shacl == f"all {triples} triples"
    assert all((tmp_path / "out" / "views" / f"case-{x}.html").exists() for x in "ab")
    assert (tmp_path / "out" / "views" / "overview.html").exists()
    assert result.site_pages > 0
    # each entity page links into the overview, with itself as a path's start
    page = next((tmp_path / "out" / "site" / "entity").iterdir())
    link = f'href="../../views/overview.html#from={page.stem}"'
    assert link in page.read_text(encoding="utf-8")


def test_bulk_inputs_stay_within_the_limits_and_say_what_they_left_out(cases, ontology, tmp_path):
    limits = BuildLimits(shacl_full_triples=10, shacl_sample_claims=1, view_nodes=3, dossier_entities=3)
    result = build([cases], tmp_path / "out", ontology, limits=limits)
    assert not (tmp_path / "out" / "views").exists()  # the overview has 4 entities
    assert result.shacl.startswith("a sample of 1 claims (") and "above the full-check limit of 10" in result.shacl
    assert not (tmp_path / "out" / "site").exists() and result.site_pages == 0
    assert result.notes == ["no overview view: 4 entities, above the limit of 3",
                            "no case views and no dossier site: 4 entities, above the limit of 3 "
                            "(thbor view --case and thbor site write them on request)"]
    assert (tmp_path / "out" / "store" / "CURRENT").exists()  # what queries read is always written
    assert (tmp_path / "out" / "export" / "graph.nt").exists()


def test_only_the_first_cases_get_a_view(cases, ontology, tmp_path):
    result = build([cases], tmp_path / "out", ontology, limits=BuildLimits(case_views=1))
    assert sorted(p.name for p in (tmp_path / "out" / "views").glob("*.html")) == ["case-a.html", "overview.html"]
    assert result.notes == ["case views for the first 1 of 2 cases only (thbor view --case CASE writes any other)"]


def test_a_case_view_above_the_node_limit_is_named_not_written(cases, ontology, tmp_path):
    result = build([cases], tmp_path / "out", ontology, limits=BuildLimits(view_nodes=2))
    assert (tmp_path / "out" / "views" / "case-a.html").exists()  # case A and Cambodia
    assert not (tmp_path / "out" / "views" / "case-b.html").exists()  # case B, Thailand and Cambodia
    assert any(n.startswith("1 case view(s) not written, above 2 entities: case-b") for n in result.notes)


def test_a_case_view_does_not_reach_other_cases_through_a_country(cases, ontology, tmp_path):
    build([cases], tmp_path / "out", ontology)
    page = (tmp_path / "out" / "views" / "case-b.html").read_text(encoding="utf-8")
    assert "Test case B" in page and "Cambodia" in page  # its own evidence: where it occurred
    assert "Test case A" not in page and "case-a" not in page  # only "also in Cambodia": not shown


@pytest.mark.parametrize("folder", ["tests/fixtures/tiny", "data"])
def test_counts_from_the_edge_columns_are_the_counts_from_the_claims(folder, ontology):
    from graph.load.validate import load_dataset
    from graph.quality.stats import dataset_stats
    from graph.query.projection import edge_table

    from .conftest import ROOT
    ds = load_dataset([ROOT / folder], ontology)
    assert dataset_stats(ds, edge_table(ds)) == dataset_stats(ds)


# --- the output folder is a unit: a killed build leaves the old one whole, two builds never mix ---

import hashlib  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from .conftest import FIXTURES, ROOT  # noqa: E402


def state(folder) -> tuple[list[str], str]:
    """The files of a folder and one hash of all their names and contents."""
    names = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    h = hashlib.sha256()
    for name in names:
        h.update(name.encode() + b"\0" + (folder / name).read_bytes())
    return names, h.hexdigest()


def start_build(inputs, out):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.Popen([sys.executable, "-m", "graph", "--ontology", str(ROOT / "ontology"), "build",
                             *map(str, inputs), "-o", str(out)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def written(out, pattern: str, since: int) -> bool:
    """Whether a build into ``out`` has written ``pattern``: in its fresh folder beside ``out``, or in ``out``."""
    if list(out.parent.glob(f".{out.name}.tmp-*/{pattern}")):
        return True
    for p in out.glob(pattern):
        try:
            if p.stat().st_mtime_ns > since:
                return True
        except FileNotFoundError:  # renamed meanwhile
            continue
    return False


def wait_for(proc, out, pattern: str, since: int) -> None:
    """Poll until the build ``proc`` has written ``pattern`` (no sleeping on a guess)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None and not written(out, pattern, since):
        time.sleep(0.002)
    assert proc.poll() is None, f"the build ended before it wrote {pattern}"


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory, ontology):
    """A small old build, the big new input, and the folder the new build makes of the old one."""
    root = tmp_path_factory.mktemp("unit")
    small, big = root / "small", root / "big"
    shutil.copytree(FIXTURES / "tiny", small)
    shutil.copytree(FIXTURES / "tiny", big)
    from graph.synth import write_synth
    write_synth(big / "synthetic.jsonl", ontology, 30_000, seed=2)
    old = root / "old" / "out"
    build([small], old, ontology)
    new = root / "new" / "out"
    shutil.copytree(old, new)
    build([big], new, ontology)
    return small, big, old, state(old), state(new)


@pytest.mark.slow
def test_a_rebuild_keeps_no_output_of_the_one_before(two_builds):
    _, _, _, (old_files, _), (new_files, _) = two_builds
    assert "site/index.html" in old_files and "views/overview.html" in old_files
    # the new input is above the limits of views and site: the old ones must be gone
    assert [f for f in new_files if f.startswith(("site/", "views/"))] == []


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["dataset.json", "summary.json", "store/.gen-*.tmp", "store/CURRENT",
                                    "export/.graph.ttl.*.tmp", "export/graph.nt", "export/graph.nt.manifest.json"])
def test_a_killed_build_leaves_the_old_folder_whole_and_the_next_one_cleans_up(two_builds, moment, tmp_path):
    _, big, old, old_state, new_state = two_builds
    assert old_state != new_state
    out = tmp_path / "out"
    shutil.copytree(old, out)  # with the old files' times
    since = time.time_ns()
    proc = start_build([big], out)
    wait_for(proc, out, moment, since)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert state(out) in (old_state, new_state)
    proc = start_build([big], out)
    assert proc.wait() == 0, proc.stderr.read().decode()
    assert state(out) == new_state
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]
    assert not [p for p in out.rglob("*") if ".tmp" in p.name]


@pytest.mark.slow
def test_a_second_build_into_the_same_folder_is_refused_and_the_first_stays_whole(two_builds, cli, tmp_path):
    small, big, old, _, new_state = two_builds
    out = tmp_path / "out"
    shutil.copytree(old, out)
    since = time.time_ns()
    proc = start_build([big], out)
    wait_for(proc, out, "dataset.json", since)
    code, _, err = cli("build", small, "-o", out)
    assert code == 1 and "is being written by another thbor command" in err, err
    assert proc.wait() == 0, proc.stderr.read().decode()
    assert state(out) == new_state


def test_a_build_replaces_only_a_folder_it_wrote(cases, ontology, tmp_path):
    from graph.errors import UsageError
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("not a build")
    with pytest.raises(UsageError, match="no summary.json"):
        build([cases], out, ontology)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_a_build_says_how_long_each_stage_took(cases, ontology, tmp_path, cli):
    result = build([cases], tmp_path / "out", ontology)
    assert list(result.timings) == ["load and validate", "records' lines and dataset.json",
                                    "store records and SHACL sample started",
                                    "projection and counts", "store projection", "sharing",
                                    "export graph.nt and graph.ttl", "store records (waited for)", "SHACL check",
                                    "views and site", "swap in"]
    assert all(t >= 0 for t in result.timings.values())
    code, _, err = cli("build", cases, "-o", tmp_path / "again", "--timings")
    assert code == 0 and err.startswith("timings: load and validate ") and "export graph.nt" in err
