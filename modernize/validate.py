"""Prove a translation equivalent: run the COBOL (GnuCOBOL, the digital twin) and the Python on
the same scenarios and compare every output.

For each translated batch program: build the COBOL with paragraph tracing; take the hand-written
scenarios under ``<root>/scenarios/<PROGRAM>/`` (the first is the base; without any, empty
input files are the base); explore variants until paragraph coverage stops rising; add
generated variants until there are at least ``min_scenarios``; run each scenario through both
sides (the Python in the sandbox) and compare stdout, return code and every output file byte
for byte, naming the first differing field. A CALLed subprogram is validated through its
callers: its coverage is what their runs entered.

``validation.json`` holds, per program, the number of scenarios, how many were equivalent and
the paragraph coverage; ``validation.md`` is the report a person reads, with the trace from
each paragraph's source lines to its Python function to the verdicts of the scenarios that
entered it.

``refine_programs`` is the optional LLM step after a validation (``modernize validate
--refine``): for each program whose scenarios were all equivalent it asks the model for a more
idiomatic version of the whole module (``modernize.refine.refine_module``), judges every
proposal by the static checks and by ``equivalence_check`` on the same scenarios, writes an
accepted one to ``<out>/refined/<module>.py`` and records the outcome under ``refinement`` in
``validation.json``. The deterministic module in the code folder is never changed.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import __version__
from .codecheck import check_module
from .errors import ModernizeError
from .escape import md_code, md_text
from .harness import sandbox
from .harness.compare import compare
from .harness.legacy import Build, RunResult, Scenario, build, run
from .harness.python import run_python
from .harness.sandbox import SandboxUnavailableError
from .harness.scenarios import (
    explore,
    generate,
    load_scenarios,
    reachable_paragraphs,
)
from .llm import Ledger, Provider, ProviderError
from .model import Estate, Program
from .names import module_name, spec_stems
from .outputs import write_inside
from .refine import RefineError, equivalence_check, refine_module
from .translate import estate_module_names

log = logging.getLogger(__name__)

REFINED_FOLDER = "refined"
"""Where ``refine_programs`` writes accepted modules, under the validation's output folder."""


class ValidationError(ModernizeError):
    """The translated code folder is missing or does not match the analysis."""


@dataclass
class ScenarioVerdict:
    scenario: str
    equivalent: bool
    legacy_returncode: int
    python_returncode: int
    first_difference: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    legacy_s: float = 0.0
    python_s: float = 0.0
    invalid_data: bool = False
    subprograms: list[str] = field(default_factory=list)  # the CALLed programs it entered


@dataclass
class RefinementOutcome:
    """What ``refine_programs`` did for one program: ``attempts`` proposals judged (0 when it
    did not ask), the reason of each (or why it did not ask), and the accepted module's path
    relative to the output folder."""

    accepted: bool
    attempts: int
    reasons: list[str]
    module: str | None = None

    def summary(self) -> dict[str, object]:
        """The ``refinement`` entry of validation.json."""
        out: dict[str, object] = {"accepted": self.accepted, "attempts": self.attempts,
                                  "reasons": self.reasons}
        if self.module is not None:
            out["module"] = self.module
        return out


@dataclass
class ProgramValidation:
    """One program's validation. ``runs`` (the scenarios, in the order of ``verdicts``) and
    ``legacy`` (the GnuCOBOL build) are kept for a later equivalence check, such as the
    refinement's; they are not written to validation.json."""

    program: str
    scenarios: int
    equivalent: int
    reachable: list[str]
    covered: list[str]
    verdicts: list[ScenarioVerdict]
    subprograms: dict[str, list[str]] = field(default_factory=dict)
    functions: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    refinement: RefinementOutcome | None = None
    runs: list[Scenario] = field(default_factory=list, repr=False, compare=False)
    legacy: Build | None = field(default=None, repr=False, compare=False)

    @property
    def coverage(self) -> float:
        return len(self.covered) / len(self.reachable) if self.reachable else 1.0

    def summary(self) -> dict[str, object]:
        first = next((v for v in self.verdicts if not v.equivalent and not v.invalid_data),
                     None)
        invalid = [v for v in self.verdicts if v.invalid_data]
        return {
            "scenarios": self.scenarios, "equivalent": self.equivalent,
            "generated_scenarios": sum(not v.invalid_data and not v.scenario.startswith("hand:")
                                       for v in self.verdicts),
            "invalid_data": {"scenarios": len(invalid),
                             "equivalent": sum(v.equivalent for v in invalid)},
            "paragraph_coverage": round(self.coverage, 4),
            "reachable_paragraphs": len(self.reachable), "covered_paragraphs": len(self.covered),
            "missed_paragraphs": sorted(set(self.reachable) - set(self.covered)),
            "first_difference": None if first is None else {
                "scenario": first.scenario, "difference": first.first_difference},
            "seconds": round(self.seconds, 2),
            "verdicts": [asdict(v) for v in self.verdicts],
            **({} if self.refinement is None else {"refinement": self.refinement.summary()}),
        }


@dataclass
class EstateValidation:
    programs: list[ProgramValidation]
    subprograms: dict[str, dict[str, object]]
    skipped: dict[str, str]

    def summary(self) -> dict[str, object]:
        return {"tool": f"modernize {__version__}",
                "programs": {p.program: p.summary() for p in self.programs},
                "subprograms": self.subprograms, "skipped": self.skipped}


def invalid_data(scenario_name: str) -> bool:
    """Whether a generated scenario puts invalid data in a numeric field (spaces or
    low-values: the generator's ``dirty`` variants and all-space records). COBOL leaves the
    result of arithmetic and MOVEs on such data undefined; GnuCOBOL's is whatever its
    decimal routines make of the bytes. These runs are reported apart: they show where the
    translation and the compiler part ways on bad input, not a translation error."""
    return any(part.startswith("dirty:") or re.search(r"=(spaces|low-values)@\d+$", part)
               for part in scenario_name.split(" > "))


def base_scenario(program: Program, root: Path) -> tuple[Scenario, list[Scenario]]:
    """The hand-written scenarios (the first is the base), or empty input files."""
    hand = load_scenarios(root, program)
    hand.sort(key=lambda s: s.name != "hand:sample-data")
    if hand:
        return hand[0], hand[1:]
    inputs = {}
    for op in program.file_ops:
        if op.verb == "OPEN" and op.mode in ("INPUT", "I-O"):
            fd = next((f for f in program.files if f.name == op.file_name), None)
            if fd is not None:
                inputs[fd.external_name] = b""
    return Scenario("empty-inputs", inputs), []


def validate_program(program: Program, estate: Estate, root: Path, code_dir: Path,
                     work: Path, *, min_scenarios: int = 20, explore_budget: int = 60,
                     seed: int = 0, timeout_s: float = 30,
                     progress: Callable[[str], None] | None = None) -> ProgramValidation:
    """Validate one translated batch program (see the module docstring)."""
    started = time.monotonic()
    module = code_dir / f"{estate_module_names(estate)[program.id]}.py"
    if not module.is_file():
        raise ValidationError(f"{module} is missing: run `modernize translate` first")
    built = build(program, estate, root, work, trace=True)
    base, extra = base_scenario(program, root)
    found = explore(program, estate, built, base, budget=explore_budget, extra=extra,
                    seed=seed, timeout_s=timeout_s)
    scenarios = list(found.scenarios)
    names = {s.name for s in scenarios}
    # at least min_scenarios generated ones with valid data; hand-written ones come on top
    defined = sum(not invalid_data(s.name) and not s.name.startswith("hand:")
                  for s in scenarios)
    if defined < min_scenarios:
        for scenario in generate(program, estate, base, seed=seed + 1,
                                 budget=6 * min_scenarios):
            if defined >= min_scenarios:
                break
            if scenario.name not in names and not invalid_data(scenario.name):
                scenarios.append(scenario)
                names.add(scenario.name)
                defined += 1
    legacy_results: dict[str, RunResult] = dict(found.results)
    verdicts: list[ScenarioVerdict] = []
    covered: set[str] = set()
    subprograms: dict[str, set[str]] = {}
    reachable = reachable_paragraphs(program)
    for scenario in scenarios:
        legacy = legacy_results.get(scenario.name) or run(built, scenario, timeout_s=timeout_s)
        python = run_python(module, scenario, built.dd_names, program.name,
                            timeout_s=timeout_s)
        verdict = compare(legacy, python, program)
        entered = legacy.paragraphs(program.name)
        covered |= entered & reachable
        for name, keys in legacy.trace.items():
            if name != program.name:
                subprograms.setdefault(name, set()).update(keys)
        first = verdict.differences[0].describe() if verdict.differences else None
        if first and python.returncode != legacy.returncode and python.stderr:
            first += " | python stderr: " + python.stderr.decode(
                "utf-8", "replace").strip().splitlines()[-1][:300]
        verdicts.append(ScenarioVerdict(
            scenario.name, verdict.equivalent, legacy.returncode, python.returncode, first,
            sorted(entered), round(legacy.duration_s, 3), round(python.duration_s, 3),
            invalid_data(scenario.name),
            sorted(name for name in legacy.trace if name != program.name)))
        if progress:
            progress(f"{program.name} {scenario.name}: "
                     f"{'equivalent' if verdict.equivalent else 'DIFFERENT'}")
    defined_verdicts = [v for v in verdicts if not v.invalid_data]
    return ProgramValidation(
        program=program.name, scenarios=len(defined_verdicts),
        equivalent=sum(v.equivalent for v in defined_verdicts), reachable=sorted(reachable),
        covered=sorted(covered), verdicts=verdicts,
        subprograms={k: sorted(v) for k, v in subprograms.items()},
        seconds=time.monotonic() - started, runs=scenarios, legacy=built)


def validate_estate(estate: Estate, code_dir: Path, out_dir: Path, *,
                    programs: Sequence[str] = (), min_scenarios: int = 20, seed: int = 0,
                    progress: Callable[[str], None] | None = None) -> EstateValidation:
    """Validate every translated batch program of ``code_dir``; write validation.json/.md."""
    code_dir, out_dir = Path(code_dir), Path(out_dir)
    translation = _translation(code_dir)
    sandbox.require()  # no Python runs outside bubblewrap: refuse the whole command
    root = Path(estate.root)
    out_dir.mkdir(parents=True, exist_ok=True)
    results: list[ProgramValidation] = []
    skipped: dict[str, str] = {}
    wanted = {p.upper() for p in programs}
    modules = estate_module_names(estate)
    for program in estate.programs:
        if wanted and program.name not in wanted:
            continue
        if program.kind != "batch":
            if program.kind == "subprogram":
                continue  # validated through its callers
            skipped[program.name] = f"{program.kind} program: not translated"
            continue
        info = translation.get("programs", {}).get(program.name)
        if info is None:
            skipped[program.name] = "no translation in the code folder"
            continue
        if info.get("unsupported"):
            constructs = sorted({u["construct"] for u in info["unsupported"]})
            skipped[program.name] = f"unsupported statements: {', '.join(constructs)}"
            continue
        if program.sql:
            skipped[program.name] = (
                "embedded SQL: GnuCOBOL cannot build it without a DB2 precompiler, so there "
                "is no twin to compare with (the translation runs on the embedded SQL runtime)")
            continue
        failing = _failing_checks(program, estate, code_dir, modules)
        if failing:
            skipped[program.name] = f"not run: {failing}"
            continue
        refused = [d for d in program.diagnostics if d.code == "copybook-outside"]
        if refused:
            skipped[program.name] = (f"not built: a COPY at {refused[0].file}:{refused[0].line} "
                                     "names a file outside the estate")
            continue
        try:
            result = validate_program(program, estate, root, code_dir, out_dir / "work",
                                      min_scenarios=min_scenarios, seed=seed,
                                      progress=progress)
        except SandboxUnavailableError:
            raise
        except ModernizeError as exc:  # one program that cannot be built or run: go on
            log.warning("%s: not validated: %s", program.name, exc)
            skipped[program.name] = f"not validated: {_summary(str(exc))}"
            continue
        result.functions = {name: f"{f['file']}:{f['first_line']}-{f['last_line']}"
                            for name, f in info.get("functions", {}).items()}
        results.append(result)
    subprograms = _subprograms(estate, results)
    validation = EstateValidation(results, subprograms, skipped)
    write_reports(validation, estate, out_dir)
    return validation


def _summary(text: str, limit: int = 300) -> str:
    """The first two lines of an error, on one line (a compile error's second line is what
    cobc said)."""
    line = " ".join(part.strip() for part in text.strip().split("\n")[:2])
    return line if len(line) <= limit else line[:limit] + "…"


def write_reports(validation: EstateValidation, estate: Estate, out_dir: Path) -> None:
    """Write ``validation.json`` and ``validation.md`` into ``out_dir``."""
    write_inside(out_dir, "validation.json", json.dumps(validation.summary(), indent=2) + "\n")
    write_inside(out_dir, "validation.md", report(validation, estate))


# --------------------------------------------------------------------------- refinement


def spec_folders(analysis_dir: Path, out_dir: Path) -> list[Path]:
    """Where ``modernize validate --refine`` looks for ``<PROGRAM>.md`` specifications, first
    match wins: ``<out>/../specs`` (``modernize run`` writes specs next to the validation
    folder), then ``<analysis>/specs``."""
    return [Path(out_dir).resolve().parent / "specs", Path(analysis_dir) / "specs"]


def _spec_text(stem: str, folders: Sequence[Path]) -> str:
    for folder in folders:
        path = Path(folder) / f"{stem}.md"
        if path.is_file():
            log.info("refining with the specification %s", path)
            return path.read_text(encoding="utf-8")
    return ""


def _not_refined(result: ProgramValidation) -> str | None:
    """Why ``result``'s program is not offered for refinement, or None when it is."""
    if result.legacy is None or not result.runs:
        return "not refined: no scenario was kept from the validation"
    if result.scenarios == 0:
        return "not refined: no scenario with defined data ran"
    if result.equivalent != result.scenarios:
        return (f"not refined: {result.scenarios - result.equivalent} of {result.scenarios} "
                "scenarios differ from GnuCOBOL; fix the translation first")
    return None


def refine_program(result: ProgramValidation, program: Program, code_dir: Path, out_dir: Path,
                   *, provider: Provider, ledger: Ledger | None, spec: str = "",
                   max_repairs: int = 2, timeout_s: float = 30,
                   module: str | None = None) -> RefinementOutcome:
    """Refine one validated program's module (``module``, by default the program's own name;
    see ``refine_programs``) and record the outcome on ``result.refinement``."""
    name = module or module_name(program.name)
    refined = Path(out_dir) / REFINED_FOLDER / f"{name}.py"
    why = _not_refined(result)
    if why is not None:
        outcome = RefinementOutcome(False, 0, [why])
    else:
        assert result.legacy is not None  # checked by _not_refined
        # the scenarios the deterministic module passed (an invalid-data one may differ)
        runs = [s for s, v in zip(result.runs, result.verdicts, strict=True) if v.equivalent]
        module = Path(code_dir) / f"{name}.py"
        companions = [p for p in sorted(Path(code_dir).glob("*.py")) if p != module]
        check = equivalence_check(result.legacy, runs, program, timeout_s=timeout_s,
                                  companions=companions)
        try:
            refinement = refine_module(program.name, module.read_text(encoding="utf-8"),
                                       spec=spec, provider=provider, ledger=ledger,
                                       check=check, max_repairs=max_repairs)
        except (RefineError, ProviderError) as exc:
            log.warning("%s: not refined: %s", program.name, exc)
            outcome = RefinementOutcome(False, 0, [f"not refined: {exc}"])
        else:
            outcome = RefinementOutcome(refinement.accepted, len(refinement.attempts),
                                        [a.reason for a in refinement.attempts])
            if refinement.accepted:
                write_inside(Path(out_dir), f"{REFINED_FOLDER}/{refined.name}",
                             refinement.source)
                outcome.module = f"{REFINED_FOLDER}/{refined.name}"
                log.info("%s: refined module written to %s", program.name, refined)
    if not outcome.accepted and refined.is_file():
        refined.unlink()  # from an earlier run: the deterministic module stands now
    result.refinement = outcome
    return outcome


def refine_programs(validation: EstateValidation, estate: Estate, code_dir: Path,
                    out_dir: Path, *, provider: Provider, ledger: Ledger | None,
                    spec_dirs: Sequence[Path] = (), max_repairs: int = 2,
                    timeout_s: float = 30,
                    progress: Callable[[str], None] | None = None
                    ) -> dict[str, RefinementOutcome]:
    """The LLM refactoring pass over a validation (``validate_estate``'s result, same
    ``code_dir`` and ``out_dir``).

    Each program whose scenarios with defined data were all equivalent gets a refinement of its
    whole module: ``refine_module`` with the program's specification (``<PROGRAM>.md`` from
    the first of ``spec_dirs`` that has it, else none) and, as its check, ``equivalence_check``
    on the scenarios the deterministic module passed, with the code folder's other modules
    (the subprograms a CALL loads) beside the proposal. An accepted module is written to
    ``<out_dir>/refined/<module>.py`` (an earlier one is removed when none is accepted now);
    the deterministic module is never changed. Every program's outcome goes on its
    ``ProgramValidation.refinement`` and into ``validation.json``/``validation.md``, which are
    written again. A program whose module fails its own static checks, or whose refinement
    meets an endpoint failure (``ProviderError``), is recorded as not refined and the others go
    on. Returns the outcomes by program name.
    """
    sandbox.require()  # model-written Python runs only inside bubblewrap
    outcomes: dict[str, RefinementOutcome] = {}
    modules = estate_module_names(estate)
    stems = spec_stems((p.id, p.name) for p in estate.programs)
    for result in validation.programs:
        program = estate.program(result.program)
        if program is None:
            continue
        outcome = refine_program(result, program, code_dir, out_dir, provider=provider,
                                 ledger=ledger, spec=_spec_text(stems[program.id], spec_dirs),
                                 max_repairs=max_repairs, timeout_s=timeout_s,
                                 module=modules[program.id])
        outcomes[program.name] = outcome
        if progress:
            state = "accepted" if outcome.accepted else "not accepted"
            progress(f"{program.name} refinement: {state} ({outcome.attempts} attempt(s))")
    write_reports(validation, estate, out_dir)
    return outcomes


def _failing_checks(program: Program, estate: Estate, code_dir: Path,
                    modules: dict[str, str]) -> str | None:
    """Why the Python of ``program`` (or of a program it may CALL, which its run loads) must
    not run: the static checks are applied again to the files as they are now, since the
    code folder may have changed since ``translate``. None when every module passes."""
    todo, seen = [program], set()
    while todo:
        current = todo.pop()
        if current.id in seen:
            continue
        seen.add(current.id)
        path = Path(code_dir) / f"{modules[current.id]}.py"
        if path.is_file():
            report = check_module(path.read_text(encoding="utf-8", errors="replace"))
            if not report.ok:
                return (f"{path.name} fails the static checks "
                        f"({report.problems[0].describe()})")
        for call in current.calls:
            for name in (call.target, *call.candidates):
                callee = estate.program(name) if name else None
                if callee is not None:
                    todo.append(callee)
    return None


def _translation(code_dir: Path) -> dict:
    path = code_dir / "translation.json"
    if not path.is_file():
        raise ValidationError(f"{path} is missing: run `modernize translate ANALYSIS_DIR "
                              f"--out {code_dir}` first")
    return json.loads(path.read_text())


def _subprograms(estate: Estate, results: list[ProgramValidation]) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for program in estate.programs:
        if program.kind != "subprogram":
            continue
        callers = [r for r in results if program.name in r.subprograms]
        entered = set().union(*(set(r.subprograms[program.name]) for r in callers)) \
            if callers else set()
        reachable = reachable_paragraphs(program)
        scenarios = sum(program.name in v.subprograms for r in callers for v in r.verdicts)
        out[program.name] = {
            "through": [r.program for r in callers],
            "scenarios": sum(r.scenarios for r in callers),
            "equivalent": sum(r.equivalent for r in callers),
            "scenarios_entering": scenarios,
            "paragraph_coverage": round(len(entered & reachable) / len(reachable), 4)
            if reachable else 1.0,
            "missed_paragraphs": sorted(reachable - entered),
        }
    return out


def report(validation: EstateValidation, estate: Estate) -> str:
    """validation.md: a table per program, then the paragraph trace."""
    lines = ["# Validation against GnuCOBOL", "",
             "Each scenario ran through the COBOL program (GnuCOBOL) and its Python "
             "translation (sandboxed); stdout, return code and every output file were "
             "compared byte for byte.", "",
             "Scenarios with invalid numeric data (spaces or low-values in a numeric field) "
             "are counted apart: COBOL leaves their results undefined.", "",
             "| program | scenarios | equivalent | paragraph coverage | first difference | "
             "invalid-data scenarios (equivalent) |",
             "| --- | --- | --- | --- | --- | --- |"]
    for p in validation.programs:
        first = next((v for v in p.verdicts if not v.equivalent and not v.invalid_data), None)
        text = "" if first is None else \
            f"{md_code(first.scenario)}: {md_text(first.first_difference)}"
        invalid = [v for v in p.verdicts if v.invalid_data]
        lines.append(f"| {md_text(p.program)} | {p.scenarios} | {p.equivalent} | "
                     f"{100 * p.coverage:.0f}% ({len(p.covered)}/{len(p.reachable)}) | "
                     f"{text} | {len(invalid)} "
                     f"({sum(v.equivalent for v in invalid)}) |")
    for name, info in validation.subprograms.items():
        through = md_text(", ".join(info["through"]) or "no caller")  # type: ignore[arg-type]
        lines.append(f"| {md_text(name)} (through {through}) | "
                     f"{info['scenarios']} | {info['equivalent']} | "
                     f"{100 * float(info['paragraph_coverage']):.0f}% | | |")  # type: ignore[arg-type]
    for name, why in validation.skipped.items():
        lines.append(f"| {md_text(name)} | skipped | | | {md_text(why)} | |")
    refined = [p for p in validation.programs if p.refinement is not None]
    if refined:
        lines += ["", "## Refinement by the model", "",
                  "A proposal is accepted only when it passes the static checks and is "
                  "equivalent to GnuCOBOL on the scenarios the deterministic module passed; "
                  "otherwise the deterministic module stands.", "",
                  "| program | accepted | attempts | module | last reason |",
                  "| --- | --- | --- | --- | --- |"]
        for p in refined:
            assert p.refinement is not None
            last = p.refinement.reasons[-1].splitlines()[0] if p.refinement.reasons else ""
            lines.append(f"| {md_text(p.program)} | {'yes' if p.refinement.accepted else 'no'}"
                         f" | {p.refinement.attempts} | {md_text(p.refinement.module or '')} | "
                         f"{md_text(last)} |")
    for p in validation.programs:
        program = estate.program(p.program)
        if program is None:
            continue
        lines += ["", f"## {md_text(p.program)}: source → Python → verdict", "",
                  "| paragraph | source lines | Python function | scenarios entering | "
                  "verdict |", "| --- | --- | --- | --- | --- |"]
        functions = {name.split(".", 1)[1]: name for name in p.functions}
        from .translate import method_name
        for paragraph in (*program.sections, *program.paragraphs):
            key = paragraph.key or paragraph.name
            entering = [v for v in p.verdicts if key in v.paragraphs]
            verdict = "not reached" if not entering else (
                "equivalent" if all(v.equivalent for v in entering) else
                f"{sum(not v.equivalent for v in entering)} differ")
            function = functions.get(method_name(key), "")
            lines.append(f"| {md_text(key)} | {md_text(paragraph.file)}:{paragraph.line}-"
                         f"{paragraph.end_line or paragraph.line} | {md_code(function)} | "
                         f"{len(entering)} | {verdict} |")
    return "\n".join(lines) + "\n"
