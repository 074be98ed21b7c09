"""The commands of ``thbor`` over whole datasets: validate, stats, build, lint, synth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from graph.build import build as build_outputs
from graph.cli._app import (
    PathsArg,
    ProgressOpt,
    _ontology,
    _show_counts,
    app,
    as_flags,
    err,
    out,
    reading_progress,
    reports_errors,
)
from graph.errors import UsageError
from graph.load.validate import load_dataset
from graph.quality.lint import RULES, lint_report, rule_text, select_rules
from graph.quality.stats import dataset_stats
from graph.synth import write_synth


@app.command()
@reports_errors
def validate(paths: PathsArg = None, progress: ProgressOpt = None) -> None:
    """Check case files against the ontology; list every problem.

    Example: thbor validate data/
    """
    with reading_progress(paths, progress) as advance:
        ds = load_dataset(paths, _ontology(), progress=advance)
    out.print(f"valid: {len(ds.sources)} sources, {len(ds.entities)} entities, {len(ds.claims)} claims",
              markup=False)


@app.command()
@reports_errors
def stats(paths: PathsArg = None,
          as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Count records by type, predicate, status, reliability and sharing level.

    Example: thbor stats --json
    """
    s = dataset_stats(load_dataset(paths, _ontology()))
    if as_json:
        out.print(json.dumps(s, indent=1, ensure_ascii=False), markup=False)
        return
    _show_counts("totals", s["totals"])
    for key in ("entity_types", "predicates", "claim_status", "source_reliability", "source_kinds",
                "claims_effective_sharing_levels", "claims_by_independent_origins", "corroborated_claims",
                "conflicting_claims"):
        _show_counts(key.replace("_", " "), s[key])
    for kind, levels in s["sharing_levels"].items():
        _show_counts(f"sharing levels of {kind}", levels)
    low = s["low_graded_claims"]
    out.print(f"claims with only low-graded evidence: {len(low)}", markup=False)
    for cid in low:
        out.print(f"  {cid}", markup=False)


@app.command()
@reports_errors
def build(paths: PathsArg = None,
          output: Annotated[Path, typer.Option("--output", "-o", help="Output folder.")] = Path("build"),
          progress: ProgressOpt = None,
          timings: Annotated[bool, typer.Option(
              "--timings", help="Print the seconds each stage took (on stderr).")] = False) -> None:
    """Validate the inputs and write every output (the main job).

    The output folder is replaced whole by a complete build, or left as it was; it may not be
    inside the inputs, and a second build into it at the same time is refused.

    Example: thbor build -o build/
    """
    with reading_progress(paths, progress) as advance:
        result = build_outputs(paths, output, _ontology(), progress=advance)
    t = result.stats["totals"]
    out.print(f"valid: {t['sources']} sources, {t['entities']} entities, {t['claims']} claims", markup=False)
    for f in result.files:
        out.print(f"wrote {f}", markup=False)
    out.print(f"export checked against the SHACL shapes ({result.shacl}): conforms", markup=False)
    if result.site_pages:
        out.print(f"dossier site: {result.site_pages} pages, open {result.out_dir / 'site' / 'index.html'}",
                  markup=False)
    for note in result.notes:
        out.print(f"note: {note}", markup=False)
    if timings:
        err.print("timings: " + ", ".join(f"{stage} {sec:.1f} s" for stage, sec in result.timings.items()),
                  markup=False)


def _source_texts(pairs: list[str]) -> dict[str, str]:
    texts = {}
    for pair in pairs:
        source, sep, path = pair.partition("=")
        if not sep or not source or not path:
            raise UsageError(f"--text takes SOURCE_ID=FILE, not {pair!r}")
        try:
            texts[source] = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"--text {pair}: cannot read {path}: {exc}") from None
    return texts


@app.command()
@reports_errors
def lint(paths: PathsArg = None,
         strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when there is any finding.")] = False,
         text: Annotated[Optional[list[str]], typer.Option(
             "--text", metavar="SOURCE_ID=FILE",
             help="Full text of a source: every quote citing it must occur in it verbatim.")] = None,
         rule: Annotated[Optional[list[str]], typer.Option(
             "--rule", help=f"Only these rules ({', '.join(RULES)}).")] = None,
         summary: Annotated[bool, typer.Option("--summary", help="Only the count of findings per rule.")] = False,
         as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Report weak evidence: low grades, single sources, unused records, long or unfound quotes.

    Exit 0 with a report; with --strict, exit 1 when there is any finding.

    Example: thbor lint --text src-reed-thbor-sea=article.txt --summary
    """
    rules = select_rules(rule)
    texts = _source_texts(text or [])
    with as_flags(**{"texts name": "--text names"}):
        report = lint_report(load_dataset(paths, _ontology()), texts, rules)
    findings = report.findings
    if as_json:
        out.print(json.dumps(report.to_dict(summary), indent=1, ensure_ascii=False), markup=False)
    else:
        if not summary:
            for f in findings:
                out.print(str(f), markup=False)
        _show_counts("findings", {f"{r} ({rule_text(r, _ontology())})": n for r, n in report.counts.items()})
        n = report.sizes
        out.print(f"{len(findings)} finding(s) in {n['claims']} claims, {n['entities']} entities, "
                  f"{n['sources']} sources", markup=False)
    if strict and findings:
        raise typer.Exit(1)


@app.command()
@reports_errors
def synth(claims: Annotated[int, typer.Option("--claims", help="How many claims.")] = 10_000,
          seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same file).")] = 0,
          output: Annotated[Path, typer.Option(
              "--output", "-o", help="The JSON Lines file to write.")] = Path("build/synthetic.jsonl"),
          shareable: Annotated[str, typer.Option(
              "--shareable", help="mix: sharing levels drawn at random; all: every "
                                  "record CLEAR (the worst case for a build's export).")] = "mix") -> None:
    """Write SYNTHETIC bulk records for tests and benchmarks (never into data/).

    Types and relations come from the ontology; degrees are heavy-tailed, with hub places and laws.

    Example: thbor synth --claims 100000 --seed 1 --shareable all -o build/synthetic-100k.jsonl
    """
    write_synth(output, _ontology(), claims, seed=seed, shareable=shareable)
    out.print(f"wrote {output}: {claims} synthetic claims (seed {seed}, sharing {shareable})", markup=False)
