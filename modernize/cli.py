"""The `modernize` command: a thin layer over the library API."""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .core.errors import ModernizeError
from .core.escape import terminal_text
from .core.progress import Bar

if TYPE_CHECKING:
    from .analysis.run import AnalysisRun
    from .core.executor import Executor
    from .core.journal import Journal
    from .core.model import Estate
    from .translate import EstateTranslation
    from .validate.verdicts import EstateValidation

LEDGER_FILE = "llm.sqlite"
LOCK_WAIT_S = 10.0
"""How long a command waits for another run holding its --out before it refuses."""


@contextlib.contextmanager
def _writing(out_dir: Path) -> Iterator[None]:
    """Hold ``out_dir`` for this command (one writer at a time; an unwritable folder is a
    clear error) and turn the library's typed errors into a message without a traceback."""
    from .core.outputs import OutputLock

    try:
        with OutputLock(out_dir, wait_s=LOCK_WAIT_S):
            yield
    except ModernizeError as exc:
        raise click.ClickException(str(exc)) from exc


EXIT_DIFFERENT = 1
"""Exit status of ``validate`` and ``run`` when a translated program was found different."""
EXIT_STAGE_FAILED = 3
"""Exit status of ``run`` when a whole stage could not run (e.g. the model endpoint failed);
every other stage still ran and wrote its reports."""


def _hush(quiet: bool) -> None:
    """``--quiet``: nothing but errors, from the library's logs too."""
    if quiet:
        logging.getLogger().setLevel(logging.ERROR)


def _say(quiet: bool, message: str, *, err: bool = False) -> None:
    if not quiet:  # names and paths in it come from the estate: no escape sequences out
        click.echo(terminal_text(message), err=err)


@contextlib.contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    """Add the wall time of the block to ``timings[stage]`` (however the block ends)."""
    started = time.monotonic()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.monotonic() - started


def stage_timings(timings: dict[str, float]) -> str:
    """The line ``run`` prints after its summary table: each stage's wall time."""
    return "time: " + ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in timings.items())


def executor_options(command: Callable[..., None]) -> Callable[..., None]:
    """``--jobs``, ``--executor`` and ``--scheduler``: where the per-program work runs."""
    from .core.executor import KINDS, default_jobs

    command = click.option(
        "--scheduler", metavar="ADDRESS",
        help="The Dask scheduler for --executor dask (e.g. tcp://10.0.0.5:8786).")(command)
    command = click.option(
        "--executor", "executor_kind", type=click.Choice(list(KINDS)), default="local",
        show_default=True,
        help="Where the per-program work runs: worker processes on this machine (local) or "
             "the workers of a Dask cluster (dask, with --scheduler).")(command)
    return click.option(
        "--jobs", type=click.IntRange(min=1), default=default_jobs,
        show_default="the number of cores",
        help="Worker processes on this machine for the per-program work (analysis, "
             "translation, validation); the outputs are the same for any number.")(command)


timeout_option = click.option(
    # validate_estate's DEFAULT_TIMEOUT_S, written out: importing it loads the whole harness
    "--timeout", "timeout_s", default=30.0, show_default=True, type=click.FloatRange(min=1),
    metavar="SECONDS", help="How long one run of a program (GnuCOBOL's or the Python) may take; "
                            "a run still going is stopped and reported as a timeout.")


def _executor(jobs: int, kind: str, scheduler: str | None) -> Executor:
    from .core.executor import Executor

    try:
        return Executor(jobs, kind="dask" if kind == "dask" else "local", scheduler=scheduler)
    except ModernizeError as exc:
        raise click.UsageError(str(exc)) from exc


@click.group()
@click.version_option(package_name="modernize")
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
def main(verbose: int) -> None:
    """Legacy modernization workbench."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Folder for model.json, model.sqlite and the cache.")
@click.option("--copybooks", "copybook_dirs", multiple=True, type=click.Path(path_type=Path),
              help="Extra copybook folder, searched first (repeatable).")
@click.option("--copybook-ext", "copybook_exts", multiple=True, metavar="EXT",
              help="Another copybook extension, tried after .cpy, .cbl, .cob, .copy, .dcl … "
                   "(repeatable, like cobc -ext).")
@click.option("--proclib", "proclibs", multiple=True, type=click.Path(path_type=Path),
              help="Folder of cataloged JCL procedures (repeatable); JCLLIB ORDER and "
                   "*.prc/*.proc files in the estate are found without it.")
@click.option("--no-cache", is_flag=True, help="Analyse every program again.")
@executor_options
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
def analyze(path: Path, out_dir: Path, copybook_dirs: tuple[Path, ...],
            copybook_exts: tuple[str, ...], proclibs: tuple[Path, ...], no_cache: bool,
            jobs: int, executor_kind: str, scheduler: str | None, quiet: bool) -> None:
    """Analyse the legacy repo at PATH into a model and graphs.

    The programs are analysed in parallel (--jobs worker processes, or a Dask cluster with
    --executor dask --scheduler ADDRESS); model.json is the same for any of them."""
    _hush(quiet)
    with _executor(jobs, executor_kind, scheduler) as executor:
        _analyze(path, out_dir, Sources(copybook_dirs, copybook_exts, proclibs),
                 no_cache=no_cache, quiet=quiet, executor=executor)


@dataclass(frozen=True)
class Sources:
    """Where the estate's copybooks and procedures are, besides the estate itself."""

    copybooks: tuple[Path, ...] = ()
    copybook_extensions: tuple[str, ...] = ()
    proclibs: tuple[Path, ...] = ()


def _analyze(path: Path, out_dir: Path, sources: Sources, *, no_cache: bool,
             quiet: bool, executor: Executor) -> AnalysisRun:
    from .analysis.run import analyze_into

    # a bar with an ETA on a terminal; elsewhere a "[i/total] file" line per program
    with _writing(out_dir), Bar("analysis", unit="file", quiet=quiet, lines=True) as bar:
        run = analyze_into(path, out_dir, copybooks=sources.copybooks, use_cache=not no_cache,
                           progress=bar, copybook_extensions=sources.copybook_extensions,
                           proclibs=sources.proclibs, executor=executor)
    if run.reused:
        _say(quiet, "nothing changed since the last run: kept the files in place", err=True)
    _say(quiet, summary(run.estate, run.analysis, run.model_path))
    return run


@main.command()
@click.argument("analysis_dir", type=click.Path(path_type=Path))
@click.option("--view", type=click.Choice(["call", "include", "crud", "cfg"]), required=True,
              help="Which graph: the call graph, copybook includes, CRUD, or a program's CFG.")
@click.option("--program", help="The program, for --view cfg.")
@click.option("--out", "out_file", required=True, type=click.Path(path_type=Path),
              help="The HTML file to write (works offline).")
def graph(analysis_dir: Path, view: str, program: str | None, out_file: Path) -> None:
    """Draw a graph of an analysis (from `modernize analyze --out`) as an HTML page."""
    from .analysis.store import load_analysis
    from .explore.views import view_of

    if view == "cfg" and not program:
        raise click.UsageError("--view cfg needs --program NAME")
    try:
        estate, analysis = load_analysis(analysis_dir)
        drawn = view_of(estate, analysis, view, program)
    except ModernizeError as exc:
        raise click.ClickException(str(exc)) from exc
    except KeyError as exc:
        names = ", ".join(p.name for p in estate.programs[:20])
        raise click.ClickException(f"no program {program} in {analysis_dir} ({names})") from exc
    path = drawn.save(out_file)
    shown = f"{drawn.visible} of {drawn.nodes} nodes shown" if drawn.aggregated_by else \
        f"{drawn.nodes} nodes"
    click.echo(f"{drawn.title}: {shown}; written {path}")


def _documents(analysis_dir: Path, out: Path, parts: tuple[str, ...], *,
               quiet: bool = False) -> None:
    from .analysis.store import load_analysis
    from .documents.factory import build, write
    from .llm import Ledger, provider_from_env

    with _writing(out):
        estate, analysis = load_analysis(analysis_dir)
        provider = provider_from_env()
        with Ledger(out / LEDGER_FILE) as ledger:
            if provider is None:
                _say(quiet, "no OPENAI_BASE_URL: documents come from the embedded static "
                            "generator (no model, no network)", err=True)
            else:
                _say(quiet, f"using model {provider.model} at {provider.name}", err=True)
            artifacts = build(estate, analysis, provider=provider, ledger=ledger)
            hits = sum(row.cache_hit for row in ledger.audit(ledger.run_id))
            calls = len(ledger.audit(ledger.run_id))
        _say(quiet, f"{calls} generations, {hits} from the cache (audit log: "
                    f"{out / LEDGER_FILE})", err=True)
        names = write(artifacts, estate, out, parts)
    unverified = sum(not r.verified for s in artifacts.specs for r in s.rules) + sum(
        not s.verified for s in artifacts.backlog.stories)
    _say(quiet, f"{len(artifacts.specs)} program specs, {len(artifacts.backlog.epics)} epics, "
                f"{len(artifacts.backlog.stories)} stories, "
                f"{sum(len(s.criteria) for s in artifacts.backlog.stories)} acceptance "
                f"criteria; {unverified} unverified; {len(names)} files written to {out}")


@main.command()
@click.argument("analysis_dir", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path))
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
def spec(analysis_dir: Path, out_dir: Path, quiet: bool) -> None:
    """Write a specification per program and one for the estate (Markdown and HTML)."""
    _hush(quiet)
    _documents(analysis_dir, out_dir, ("specs",), quiet=quiet)


@main.command()
@click.argument("analysis_dir", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path))
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
def backlog(analysis_dir: Path, out_dir: Path, quiet: bool) -> None:
    """Write the backlog: epics, stories, acceptance criteria (Gherkin) and test cases."""
    _hush(quiet)
    _documents(analysis_dir, out_dir, ("backlog",), quiet=quiet)


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path))
@click.option("--copybooks", "copybook_dirs", multiple=True, type=click.Path(path_type=Path),
              help="Extra copybook folder, searched first (repeatable).")
@click.option("--copybook-ext", "copybook_exts", multiple=True, metavar="EXT",
              help="Another copybook extension (repeatable, like cobc -ext).")
@click.option("--proclib", "proclibs", multiple=True, type=click.Path(path_type=Path),
              help="Folder of cataloged JCL procedures (repeatable).")
@executor_options
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--no-validate", is_flag=True, help="Translate, but do not run GnuCOBOL.")
@timeout_option
def run(path: Path, out_dir: Path, copybook_dirs: tuple[Path, ...],
        copybook_exts: tuple[str, ...], proclibs: tuple[Path, ...], jobs: int,
        executor_kind: str, scheduler: str | None, quiet: bool, no_validate: bool,
        timeout_s: float) -> None:
    """The whole thread: analyse PATH, write specs and backlog, translate the batch programs
    to Python (OUT/code) and validate them against GnuCOBOL (OUT/validation).

    A program that fails at any stage is reported with its reason and the others go on; the
    run ends with a summary table and each stage's time. Exit status: 0 when every stage ran
    for every program it could, 1 when a translated program was found different from
    GnuCOBOL, 3 when a whole stage could not run (the others still ran and wrote their
    reports).

    Programs are analysed, translated and validated in parallel: --jobs worker processes, or
    the workers of a Dask cluster (--executor dask --scheduler ADDRESS); the outputs are the
    same for any of them. A run that was stopped (killed, the machine rebooted) continues
    where it stopped when run again with the same --out: each program's translation and
    validation is recorded under OUT/.resume as it finishes, until the run ends."""
    _hush(quiet)
    with _executor(jobs, executor_kind, scheduler) as executor:
        _run(path, out_dir, Sources(copybook_dirs, copybook_exts, proclibs), executor,
             quiet=quiet, no_validate=no_validate, timeout_s=timeout_s)


def _run(path: Path, out_dir: Path, sources: Sources, executor: Executor, *, quiet: bool,
         no_validate: bool, timeout_s: float) -> None:
    import shutil

    from .core.journal import run_journal

    stage_failed = False
    timings: dict[str, float] = {}
    with _writing(out_dir):
        with _timed(timings, "analysis"):
            analysed = _analyze(path, out_dir, sources, no_cache=False, quiet=quiet,
                                executor=executor)
        with _writing(out_dir):  # what an interrupted run into out_dir did (core/journal.py)
            journal = run_journal(out_dir, analysed.estate.input_digest)
        try:
            with _timed(timings, "documents"):
                _documents(out_dir, out_dir, ("specs", "backlog"), quiet=quiet)
        except click.ClickException as exc:  # the endpoint failed: the code stages go on
            click.echo(f"Error: documents not written: {exc.format_message()}", err=True)
            stage_failed = True
        with _timed(timings, "translation"):
            translation = _translate(out_dir, out_dir / "code", quiet=quiet,
                                     executor=executor, journal=journal)
        validation = None
        if no_validate:
            _say(quiet, "validation not run (--no-validate)", err=True)
        elif shutil.which("cobc") is None:
            click.echo("cobc (GnuCOBOL) is not installed: validation skipped (scripts/setup "
                       "installs it)", err=True)
        else:
            with _timed(timings, "validation"):
                validation = _validate(out_dir, out_dir / "code", out_dir / "validation",
                                       quiet=quiet, show_progress=False, executor=executor,
                                       journal=journal, timeout_s=timeout_s)
        journal.finish()  # the run is complete: the next one starts afresh
    _say(quiet, run_summary(translation, validation))
    _say(quiet, "\n" + stage_timings(timings))
    if validation is not None and validation.counts().get("different"):
        sys.exit(EXIT_DIFFERENT)
    if stage_failed:
        sys.exit(EXIT_STAGE_FAILED)


def _resumed(quiet: bool, journal: Journal | None, stage: str, done: str) -> None:
    """Say how many programs of ``stage`` an interrupted run had done (they were not done
    again)."""
    count = journal.reused.get(stage, 0) if journal is not None else 0
    if count:
        _say(quiet, f"resumed: {count} program(s) {done} by the interrupted run were not "
                    f"{done} again", err=True)


def run_summary(translation: EstateTranslation, validation: EstateValidation | None) -> str:
    """The table ``run`` ends with: what was translated, what was proved, and why the rest
    was not validated."""
    from .validate.verdicts import DIFFERENT, EQUIVALENT, ERROR_PATHS_ONLY, NOT_VALIDATED

    translated = len(translation.translations)
    lines = ["", "summary"]
    if validation is None:
        lines += [f"  programs {translated + len(translation.skipped)}, translated "
                  f"{translated}; not validated (validation did not run)"]
        return "\n".join(lines)
    counts = validation.counts()
    heads = ["programs", "translated", "equivalent (main path)",
             "equivalent (error paths only)", "different", "not validated"]
    values = [counts["programs"], counts["translated"], counts[EQUIVALENT],
              counts[ERROR_PATHS_ONLY], counts[DIFFERENT], counts[NOT_VALIDATED]]
    widths = [max(len(h), len(str(v))) for h, v in zip(heads, values, strict=True)]
    lines.append("  " + "  ".join(h.rjust(w) for h, w in zip(heads, widths, strict=True)))
    lines.append("  " + "  ".join(str(v).rjust(w) for v, w in zip(values, widths, strict=True)))
    different = [v for v in validation.verdicts.values() if v.verdict == DIFFERENT]
    if different:
        lines += ["", "different:"]
        lines += [f"  {v.id}: {v.reason}" for v in different]
    missing = [v for v in validation.verdicts.values() if v.verdict == NOT_VALIDATED]
    if missing:
        lines += ["", "not validated:"]
        if len(missing) <= 20:
            lines += [f"  {v.id}: {v.reason}" for v in missing]
        else:
            reasons = counts["not_validated_reasons"]
            assert isinstance(reasons, dict)
            lines += [f"  {count} × {kind}" for kind, count in reasons.items()]
            lines.append("  (each program's reason: validation/validation.json, 'verdicts')")
    return "\n".join(lines)


@main.command()
@click.argument("analysis_dir", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Folder for the Python modules and translation.json.")
@executor_options
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
def translate(analysis_dir: Path, out_dir: Path, jobs: int, executor_kind: str,
              scheduler: str | None, quiet: bool) -> None:
    """Translate every batch COBOL program (and subprogram) into a Python module."""
    _hush(quiet)
    with _executor(jobs, executor_kind, scheduler) as executor:
        _translate(analysis_dir, out_dir, quiet=quiet, executor=executor)


def _translate(analysis_dir: Path, out_dir: Path, *, quiet: bool, executor: Executor,
               journal: Journal | None = None) -> EstateTranslation:
    from .analysis.store import load_estate
    from .translate import JOURNAL_STAGE, translate_estate

    with _writing(out_dir), Bar("translation", unit="program", quiet=quiet) as bar:
        estate = load_estate(analysis_dir)
        result = translate_estate(estate, out_dir, progress=bar, executor=executor,
                                  journal=journal)
    _resumed(quiet, journal, JOURNAL_STAGE, "translated")
    for t in result.translations:
        note = f", {len(t.unsupported)} unsupported" if t.unsupported else ""
        _say(quiet, f"{t.key}: {t.module_name}.py, {t.translated}/{t.statements} "
                    f"statements ({100 * t.coverage:.0f}%){note}")
    for name, why in result.skipped.items():
        _say(quiet, f"{name}: not translated ({why})")
    _say(quiet, f"translation report: {out_dir / 'translation.json'}")
    return result


@main.command()
@click.argument("analysis_dir", type=click.Path(path_type=Path))
@click.option("--code", "code_dir", required=True, type=click.Path(path_type=Path),
              help="The folder `modernize translate` wrote.")
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Folder for validation.json and validation.md.")
@click.option("--program", "programs", multiple=True, help="Only these programs (repeatable).")
@click.option("--scenarios", "min_scenarios", default=20, show_default=True,
              help="At least this many scenarios per program.")
@executor_options
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--refine", is_flag=True,
              help="Then ask the model (OPENAI_BASE_URL) for a more idiomatic version of each "
                   "program whose scenarios were all equivalent; one that passes the checks "
                   "and the same scenarios is written to OUT/refined/.")
@timeout_option
def validate(analysis_dir: Path, code_dir: Path, out_dir: Path, programs: tuple[str, ...],
             min_scenarios: int, jobs: int, executor_kind: str, scheduler: str | None,
             quiet: bool, timeout_s: float, refine: bool = False) -> None:
    """Run the COBOL (GnuCOBOL) and the Python on the same scenarios and compare.

    Exit status 1 when a translated program was found different."""
    _hush(quiet)
    with _executor(jobs, executor_kind, scheduler) as executor:
        result = _validate(analysis_dir, code_dir, out_dir, quiet=quiet, programs=programs,
                           min_scenarios=min_scenarios, executor=executor,
                           timeout_s=timeout_s)
    if refine:
        from .analysis.store import load_estate

        def progress(message: str) -> None:
            _say(quiet, message, err=True)

        with _writing(out_dir):
            _refine(load_estate(analysis_dir), result, analysis_dir, code_dir, out_dir,
                    progress)
    if result.counts().get("different"):
        sys.exit(EXIT_DIFFERENT)


def _validate(analysis_dir: Path, code_dir: Path, out_dir: Path, *, quiet: bool,
              executor: Executor, programs: tuple[str, ...] = (), min_scenarios: int = 20,
              timeout_s: float, show_progress: bool = True,
              journal: Journal | None = None) -> EstateValidation:
    from .analysis.store import load_estate
    from .validate.verdicts import JOURNAL_STAGE, validate_estate

    with _writing(out_dir), Bar("validation", unit="program", quiet=quiet) as bar:

        def progress(message: str) -> None:  # a line per scenario, above the bar if any
            if show_progress and not quiet:
                if bar.drawn:
                    bar.message(message)
                else:
                    click.echo(message, err=True)

        estate = load_estate(analysis_dir)
        result = validate_estate(estate, code_dir, out_dir, programs=programs,
                                 min_scenarios=min_scenarios, progress=progress,
                                 program_progress=bar, executor=executor, journal=journal,
                                 timeout_s=timeout_s)
    _resumed(quiet, journal, JOURNAL_STAGE, "validated")
    for verdict in result.verdicts.values():
        if not verdict.scenarios:
            _say(quiet, f"{verdict.id}: {verdict.verdict}: {verdict.reason}")
            continue
        coverage = "" if verdict.coverage is None else \
            f", paragraph coverage {100 * verdict.coverage:.0f}%"
        through = " through its callers" if verdict.reason.startswith("through") else ""
        detail = f"; {verdict.reason}" if verdict.verdict == "different" else ""
        _say(quiet, f"{verdict.id}: {verdict.verdict}, {verdict.equivalent}/"
                    f"{verdict.scenarios} scenarios{through} ({verdict.main_path} past the "
                    f"first OPEN/CALL failure){coverage}{detail}")
    _say(quiet, f"validation report: {out_dir / 'validation.json'}")
    return result


def _refine(estate: Estate, validation: EstateValidation, analysis_dir: Path, code_dir: Path,
            out_dir: Path, progress: Callable[[str], None]) -> None:
    """``validate --refine``: the LLM refactoring pass over a validation, when a model is
    configured (ledger in OUT/llm.sqlite)."""
    from .llm import Ledger, provider_from_env
    from .validate.verdicts import refine_programs, spec_folders

    provider = provider_from_env()
    if provider is None:
        click.echo("no OPENAI_BASE_URL: --refine skipped (it needs a model endpoint)", err=True)
        return
    progress(f"refining with model {provider.model} at {provider.name}")
    with Ledger(out_dir / LEDGER_FILE) as ledger:
        outcomes = refine_programs(validation, estate, code_dir, out_dir, provider=provider,
                                   ledger=ledger, spec_dirs=spec_folders(analysis_dir, out_dir),
                                   progress=progress)
    for name, outcome in outcomes.items():
        if outcome.accepted:
            click.echo(f"{name}: refinement accepted after {outcome.attempts} attempt(s): "
                       f"{out_dir / str(outcome.module)}")
        else:
            last = outcome.reasons[-1].splitlines()[0] if outcome.reasons else ""
            click.echo(f"{name}: no refinement accepted ({outcome.attempts} attempt(s)); the "
                       f"deterministic module stands: {last}")


@main.group()
def export() -> None:
    """Export the backlog to other tools."""


@export.command("jira")
@click.argument("docs_dir", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Folder for jira-import.csv and the REST payloads.")
@click.option("--project", "project_key", default="MOD", show_default=True,
              help="Jira project key.")
@click.option("--criteria-field", default="customfield_10020", show_default=True,
              help="The field acceptance criteria also go to in the REST payloads ('' for "
                   "none: they are in each story's description either way).")
@click.option("--subtasks", is_flag=True,
              help="Make each test case a sub-task of its story (by default there are no "
                   "sub-tasks).")
def export_jira_command(docs_dir: Path, out_dir: Path, project_key: str,
                        criteria_field: str, subtasks: bool) -> None:
    """Write the backlog in DOCS_DIR (from `modernize backlog`) as a Jira CSV and REST v3
    bulk-create payloads: epics and stories, each story with its acceptance criteria; ids
    already in OUT/jira-map.json become updates."""
    from .documents.factory import BACKLOG_JSON, load_backlog
    from .documents.jira import export_jira

    if not (docs_dir / BACKLOG_JSON).is_file():
        raise click.ClickException(f"no {BACKLOG_JSON} in {docs_dir}: run `modernize backlog "
                                   f"ANALYSIS_DIR --out {docs_dir}` first")
    with _writing(out_dir):
        result = export_jira(load_backlog(docs_dir), out_dir, project_key=project_key,
                             criteria_field=criteria_field, subtasks=subtasks)
    click.echo(f"{result.epics} epics, {result.stories} stories, {result.subtasks} sub-tasks: "
               f"{result.created} to create, {result.updated} to update; written "
               f"{result.csv_path} and {len(result.bulk_paths)} bulk payload file(s)")
    if result.left_alone:
        click.echo(f"{len(result.left_alone)} test case(s) already sub-tasks in Jira were left "
                   "alone: export with --subtasks to update them")


@main.command()
def prompts() -> None:
    """List the prompt library: id, version, purpose."""
    from .llm import load_prompts

    for prompt in load_prompts().values():
        purpose = " ".join(prompt.purpose.split())
        click.echo(f"{prompt.id}  v{prompt.version}  {purpose}")


@main.command()
def schema() -> None:
    """Print the JSON Schema of model.json (kept in docs/model.schema.json)."""
    click.echo(model_schema_json())


def model_schema_json() -> str:
    import json

    from .analysis.graphs import EstateAnalysis
    from .core.model import SCHEMA_VERSION, Estate

    schema = Estate.model_json_schema()
    schema["title"] = f"model.json, schema_version {SCHEMA_VERSION}"
    schema["properties"]["analysis"] = {"$ref": "#/$defs/EstateAnalysis"}
    analysis = EstateAnalysis.model_json_schema()
    schema["$defs"].update(analysis.pop("$defs", {}))
    schema["$defs"]["EstateAnalysis"] = analysis
    return json.dumps(schema, indent=1, sort_keys=True)


SUMMARY_NAMES = 10
"""Names a summary line lists (model.json and model.sqlite hold them all): a big estate has
hundreds of unreachable paragraphs."""


def _some(names: list[str]) -> str:
    """``: A, B, C`` for a summary line, the first SUMMARY_NAMES and how many more."""
    if not names:
        return ""
    more = len(names) - SUMMARY_NAMES
    return ": " + ", ".join(names[:SUMMARY_NAMES]) + (f" and {more} more" if more > 0 else "")


def summary(estate, analysis, model_path: Path) -> str:  # noqa: ANN001 - model types
    programs = estate.programs
    diagnostics = len(estate.diagnostics) + sum(len(p.diagnostics) for p in programs)
    calls = sum(len(p.calls) for p in programs)
    unreachable = [f"{pid.split(':', 1)[1]}.{name}" for pid, a in analysis.programs.items()
                   for name in a.unreachable_paragraphs]
    unreachable += [f"{pid.split(':', 1)[1]}.{name} SECTION"
                    for pid, a in analysis.programs.items() for name in a.unreachable_sections]
    missing = list(analysis.missing_copybooks)
    lines = [
        f"files        {len(estate.inventory.files)}",
        f"programs     {len(programs)} ({sum(p.parsed_cleanly for p in programs)} parsed "
        "cleanly)",
        f"copybooks    {sum(1 for v in estate.copybooks.values() if v)} found, "
        f"{len(missing)} missing{_some(missing)}",
        f"paragraphs   {sum(len(p.paragraphs) for p in programs)}",
        f"calls        {calls} ({len(analysis.unresolved_calls)} unresolved, "
        f"{len(analysis.external_calls)} external targets)",
        f"files (FD)   {sum(len(p.files) for p in programs)}, SQL tables "
        f"{len({t for p in programs for s in p.sql for t in s.tables})}, CICS commands "
        f"{sum(len(p.cics) for p in programs)}",
        f"jobs         {len(estate.jobs)} ({sum(len(j.steps) for j in estate.jobs)} steps)",
        f"unreachable  {len(unreachable)}{_some(unreachable)}",
        f"diagnostics  {diagnostics}",
    ]
    skipped = [f.skipped.split(":", 1)[0] for f in estate.inventory.files if f.skipped]
    if skipped:  # one line per kind, not one per file
        kinds = {kind: skipped.count(kind) for kind in sorted(set(skipped))}
        lines.append("skipped      " + ", ".join(f"{n} {kind}" for kind, n in kinds.items()))
    lines.append(f"written      {model_path}")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    main()
