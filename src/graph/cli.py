"""The ``thbor`` command line: each command is a thin wrapper over one library function.

Exit codes: 0 success, 1 bad input (every problem is listed, file:line: record: message),
2 wrong usage.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn
from rich.table import Table

from .build import build as build_outputs
from .errors import InputError, ThborError, UsageError
from .lint import RULES, lint as lint_dataset
from .ontology import Ontology, load_ontology
from .outputs import check_target
from .stats import dataset_stats
from .synth import SHAREABLE, write_synth
from .validate import input_bytes, load_dataset

app = typer.Typer(
    name="thbor",
    help="A sourced knowledge graph of trafficking in persons for organ removal.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
ProgressOpt = Annotated[Optional[bool], typer.Option("--progress/--no-progress",
                                                    help="A progress bar while JSON Lines are read (default: on a terminal).")]


@contextlib.contextmanager
def reading_progress(paths: list[Path] | None, show: bool | None) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr over the JSON Lines among ``paths``; yields what advances it."""
    total = input_bytes(paths)
    if not total or not (err.is_terminal if show is None else show):
        yield None
        return
    columns = (TextColumn("reading and checking"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=err) as bar:
        task = bar.add_task("reading", total=total)
        yield lambda n: bar.advance(task, n)

PathsArg = Annotated[Optional[list[Path]], typer.Argument(
    help="Case files or folders (*.yaml, *.yml, *.jsonl). Default: ./data", show_default=False)]


class _State:
    ontology_dir: Path | None = None


def _ontology() -> Ontology:
    return load_ontology(_State.ontology_dir)


def reports_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into messages on stderr and exit code 1, never a traceback."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            for p in exc.problems:
                err.print(str(p), markup=False)
            files = len({p.path for p in exc.problems})
            err.print(f"{len(exc.problems)} problem(s) in {files} file(s)", style="bold red")
            raise typer.Exit(1) from None
        except UsageError as exc:
            err.print(f"usage error: {exc}", style="bold red", markup=False)
            raise typer.Exit(2) from None
        except ThborError as exc:
            err.print(f"error: {exc}", style="bold red", markup=False)
            raise typer.Exit(1) from None
    return wrapper


@app.callback()
def main(ontology: Annotated[Optional[Path], typer.Option(
        "--ontology", help="Ontology folder. Default: ./ontology if present, else the shipped one.",
        show_default=False)] = None) -> None:
    """A sourced knowledge graph of trafficking in persons for organ removal (THBOR)."""
    _State.ontology_dir = ontology


def _show_counts(title: str, counts: dict[str, Any]) -> None:
    if not counts:
        return
    if out.is_terminal:
        table = Table(title=title, title_justify="left", show_header=False)
        for k, v in counts.items():
            table.add_row(str(k), str(v))
        out.print(table)
    else:
        out.print(f"{title}:", markup=False)
        width = max(len(str(k)) for k in counts)
        for k, v in counts.items():
            out.print(f"  {str(k):<{width}}  {v}", markup=False)


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
                "claims_effective_sharing_levels"):
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
          timings: Annotated[bool, typer.Option("--timings", help="Print the seconds each stage took (on stderr).")] = False) -> None:
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
        out.print(f"dossier site: {result.site_pages} pages, open {result.out_dir / 'site' / 'index.html'}", markup=False)
    for note in result.notes:
        out.print(f"note: {note}", markup=False)
    if timings:
        err.print("timings: " + ", ".join(f"{stage} {sec:.1f} s" for stage, sec in result.timings.items()), markup=False)


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
    unknown = sorted(set(rule or []) - set(RULES))
    if unknown:
        raise UsageError(f"unknown rule(s) {', '.join(unknown)}; rules: {', '.join(RULES)}")
    texts = _source_texts(text or [])
    ds = load_dataset(paths, _ontology())
    missing = sorted(set(texts) - set(ds.sources))
    if missing:
        raise UsageError(f"--text names unknown source(s) {', '.join(missing)}")
    findings = [f for f in lint_dataset(ds, texts) if not rule or f.rule in rule]
    counts = {r: n for r in RULES if (n := sum(f.rule == r for f in findings))}
    if as_json:
        out.print(json.dumps({"counts": counts, "findings": [] if summary else [f.to_dict() for f in findings]},
                             indent=1, ensure_ascii=False), markup=False)
    else:
        if not summary:
            for f in findings:
                out.print(str(f), markup=False)
        _show_counts("findings", {f"{r} ({RULES[r]})": n for r, n in counts.items()})
        out.print(f"{len(findings)} finding(s) in {len(ds.claims)} claims, {len(ds.entities)} entities, "
                  f"{len(ds.sources)} sources", markup=False)
    if strict and findings:
        raise typer.Exit(1)


@app.command()
@reports_errors
def synth(claims: Annotated[int, typer.Option("--claims", help="How many claims.")] = 10_000,
          seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same file).")] = 0,
          output: Annotated[Path, typer.Option("--output", "-o", help="The JSON Lines file to write.")] = Path("build/synthetic.jsonl"),
          shareable: Annotated[str, typer.Option("--shareable", help="mix: sharing levels drawn at random; all: every "
                                                 "record CLEAR (the worst case for a build's export).")] = "mix") -> None:
    """Write SYNTHETIC bulk records for tests and benchmarks (never into data/).

    Types and relations come from the ontology; degrees are heavy-tailed, with hub places and laws.

    Example: thbor synth --claims 100000 --seed 1 --shareable all -o build/synthetic-100k.jsonl
    """
    if Path("data").resolve() in output.resolve().parents:
        raise UsageError("synthetic records never go into data/: choose another folder")
    if shareable not in SHAREABLE:
        raise UsageError(f"--shareable must be one of {', '.join(SHAREABLE)}, not {shareable!r}")
    check_target(output)
    write_synth(output, _ontology(), claims, seed, shareable)
    out.print(f"wrote {output}: {claims} synthetic claims (seed {seed}, sharing {shareable})", markup=False)


def run() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


from . import cli_dedupe, cli_query, cli_rdf, cli_views  # noqa: E402,F401  (register their commands on ``app``)
