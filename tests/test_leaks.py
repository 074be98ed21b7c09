"""The leak matrix: no form of a withheld name reaches any export format at any partner level.

``fixtures/leaks`` names withheld people and a withheld source in every field of records that may
leave, in every spelling (no accents, NFD, doubled spaces, line breaks, hyphens, run together,
upper case, fullwidth, percent-encoded, short, CJK). Each format is exported once per level by
the command line; every file written (manifests included) is then decoded (JSON, XML and
percent escapes), normalised (NFKC, transliteration, case, punctuation) and searched.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from anyascii import anyascii

from graph.cli import app
from graph.formats.export import FORMATS, TOOL_FORMATS

from .conftest import FIXTURES, ROOT

FIXTURE = FIXTURES / "leaks"
EVERY_FORMAT = sorted([*FORMATS, *TOOL_FORMATS])
PEOPLE = ["Nguyễn Văn Thành", "Thành", "王伟", "Bo", "per-v", "per-z", "per-b"]
"""The withheld people's names, aliases and ids (all RED)."""
SOURCE = ["Trần Thị Hoa", "Quiet Lantern Press", "Sealed dossier", "quiet-lantern.example.org/dossier/77", "s-red"]
"""The withheld source's author, publisher, title, URL and id."""
ALSO_WITHHELD = ["org-nguyen-van-thanh-fund", "NGUYỄN VĂN THÀNH", "Bo Press"]
"""Records that stay home because their id, title or publisher names a withheld person."""
KEPT = ["Clinic", "Lantern Aid"]
"""What must still leave: the matrix would pass on an empty export."""
KEPT_WITH_TEXT = ["Harbour Clinic", "The clinic took part", "org-3.involvedIn.c1"]
"""What still leaves in the formats that carry aliases, quotes and claim ids."""


def test_the_matrix_covers_every_format_the_command_offers(cli):
    code, out, _ = cli("export", "--help")
    shown = " ".join(out.replace("\u2502", " ").split())
    listed = re.search(r"One of ([a-z0-9, ]+?) \(", shown)
    assert listed and sorted(f.strip() for f in listed.group(1).split(",")) == EVERY_FORMAT


def _decoded(path: Path) -> str:
    """A written file's text with JSON, N-Triples, XML and URL escapes undone."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\\U([0-9a-fA-F]{8})|\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    text = html.unescape(text)
    return text + "\n" + unquote(text)


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", anyascii(unicodedata.normalize("NFKC", text)).lower())


def leaks(text: str, names: list[str]) -> list[str]:
    """The names that ``text`` holds in some form: as is, or as a run of its normalised words."""
    words = _tokens(text)
    runs = {"".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, min(i + 6, len(words)) + 1)}
    flat = unicodedata.normalize("NFKC", text)
    # as is: a CJK name inside CJK text, which transliterates to one run-together word
    return [n for n in names if (not n.isascii() and (n in text or n in flat)) or "".join(_tokens(n)) in runs]


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def test_leaks_sees_every_form_the_fixture_uses():
    texts = "\n".join(_strings(yaml.safe_load(FIXTURE.joinpath("case.yaml").read_text(encoding="utf-8"))))
    for form in ("nguyen van thanh", "Nguye\u0302\u0303n Va\u0306n Tha\u0300nh", "Nguyễn  Văn  Thành",
                 "Nguyễn\nVăn\nThành", "NGUYEN-VAN-THANH", "NguyenVanThanh", "Ｎｇｕｙｅｎ Ｖａｎ Ｔｈａｎｈ",
                 "Nguy%E1%BB%85n-V%C4%83n-Th%C3%A0nh", "王伟说", "Wang Wei's", "paid to bo",
                 "tran thi hoa", "quiet-lantern.example.org/dossier/77", "per-z"):
        assert form in texts, form
        assert leaks(f"{form}\n{unquote(form)}", [*PEOPLE, *SOURCE]), form
    assert not leaks("Swangwei bob thanhs per-w", PEOPLE)


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """Every format at GREEN, AMBER and pseudonymised RED: the files each wrote, and the output."""
    from typer.testing import CliRunner
    runner = CliRunner()
    out: dict[tuple[str, str], tuple[list[Path], str]] = {}
    for level in ("GREEN", "AMBER", "RED"):
        options = ("--max-tlp", level, *(["--pseudonymise"] if level == "RED" else []))
        env = {"THBOR_PSEUDONYM_KEY": "a test secret of some length"}
        for fmt in EVERY_FORMAT:
            tmp = tmp_path_factory.mktemp(f"{fmt}-{level}")
            result = runner.invoke(app, ["--ontology", str(ROOT / "ontology"), "export", str(FIXTURE), "--no-store",
                                         "-o",
                                         str(tmp / (fmt if TOOL_FORMATS.get(fmt, "") is None else f"graph-{fmt}")),
                                         "--format", fmt, *options], env=env)
            assert result.exit_code == 0, result.output
            out[fmt, level] = sorted(p for p in tmp.rglob("*") if p.is_file()), result.output
    return out


@pytest.mark.parametrize("fmt", EVERY_FORMAT)
@pytest.mark.parametrize("level", ["GREEN", "AMBER"])
def test_no_withheld_name_reaches_a_partner(exports, fmt, level):
    files, output = exports[fmt, level]
    assert any(p.name.endswith("manifest.json") for p in files)
    everything = "\n".join(_decoded(p) for p in files)
    for where, text in [*((p.name, _decoded(p)) for p in files), ("command output", output)]:
        withheld = [*PEOPLE, *SOURCE, *ALSO_WITHHELD]
        assert not leaks(text, withheld), (where, leaks(text, withheld))
    kept = KEPT + (KEPT_WITH_TEXT if fmt in (*FORMATS, "csv") else [])
    assert not [k for k in kept if k not in everything]


@pytest.mark.parametrize("fmt", EVERY_FORMAT)
def test_pseudonymised_export_names_no_person_in_any_form(exports, fmt):
    files, output = exports[fmt, "RED"]
    for p in files:
        assert not leaks(_decoded(p), PEOPLE), (p.name, leaks(_decoded(p), PEOPLE))
    everything = "\n".join(_decoded(p) for p in files)
    assert "Pseudonym " in everything or "pseudonym-" in everything
    assert "Quiet Lantern Press" in everything or fmt in ("graphml", "gexf", "neo4j")  # sources stay at RED


def test_the_smallest_case(cli, tmp_path):
    out = tmp_path / "g.ttl"
    code, printed, _ = cli("export", FIXTURES / "leak-reproduction", "--no-store", "-o", out, "--max-tlp", "GREEN")
    assert code == 0, printed
    text = "\n".join(_decoded(p) for p in tmp_path.iterdir())
    assert not leaks(text, ["Nguyễn Văn Thành", "王伟", "per-v", "per-z"])
    assert "Clinic" in text and "withheld: 2 entities, 3 claims" in printed
