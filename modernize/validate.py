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
from .errors import ModernizeError
from .harness.compare import compare
from .harness.legacy import RunResult, Scenario, build, run
from .harness.python import run_python
from .harness.scenarios import (
    explore,
    generate,
    load_scenarios,
    reachable_paragraphs,
)
from .model import Estate, Program
from .translate import module_name

log = logging.getLogger(__name__)


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


@dataclass
class ProgramValidation:
    program: str
    scenarios: int
    equivalent: int
    reachable: list[str]
    covered: list[str]
    verdicts: list[ScenarioVerdict]
    subprograms: dict[str, list[str]] = field(default_factory=dict)
    functions: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def coverage(self) -> float:
        return len(self.covered) / len(self.reachable) if self.reachable else 1.0

    def summary(self) -> dict[str, object]:
        first = next((v for v in self.verdicts if not v.equivalent and not v.invalid_data),
                     None)
        invalid = [v for v in self.verdicts if v.invalid_data]
        return {
            "scenarios": self.scenarios, "equivalent": self.equivalent,
            "invalid_data": {"scenarios": len(invalid),
                             "equivalent": sum(v.equivalent for v in invalid)},
            "paragraph_coverage": round(self.coverage, 4),
            "reachable_paragraphs": len(self.reachable), "covered_paragraphs": len(self.covered),
            "missed_paragraphs": sorted(set(self.reachable) - set(self.covered)),
            "first_difference": None if first is None else {
                "scenario": first.scenario, "difference": first.first_difference},
            "seconds": round(self.seconds, 2),
            "verdicts": [asdict(v) for v in self.verdicts],
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
                inputs[fd.dd_name or fd.assign or fd.name] = b""
    return Scenario("empty-inputs", inputs), []


def validate_program(program: Program, estate: Estate, root: Path, code_dir: Path,
                     work: Path, *, min_scenarios: int = 20, explore_budget: int = 60,
                     seed: int = 0, timeout_s: float = 30,
                     progress: Callable[[str], None] | None = None) -> ProgramValidation:
    """Validate one translated batch program (see the module docstring)."""
    started = time.monotonic()
    module = code_dir / f"{module_name(program.name)}.py"
    if not module.is_file():
        raise ValidationError(f"{module} is missing: run `modernize translate` first")
    built = build(program, estate, root, work, trace=True)
    base, extra = base_scenario(program, root)
    found = explore(program, estate, built, base, budget=explore_budget, extra=extra,
                    seed=seed, timeout_s=timeout_s)
    scenarios = list(found.scenarios)
    names = {s.name for s in scenarios}
    defined = sum(not invalid_data(s.name) for s in scenarios)
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
            invalid_data(scenario.name)))
        if progress:
            progress(f"{program.name} {scenario.name}: "
                     f"{'equivalent' if verdict.equivalent else 'DIFFERENT'}")
    defined_verdicts = [v for v in verdicts if not v.invalid_data]
    return ProgramValidation(
        program=program.name, scenarios=len(defined_verdicts),
        equivalent=sum(v.equivalent for v in defined_verdicts), reachable=sorted(reachable),
        covered=sorted(covered), verdicts=verdicts,
        subprograms={k: sorted(v) for k, v in subprograms.items()},
        seconds=time.monotonic() - started)


def validate_estate(estate: Estate, code_dir: Path, out_dir: Path, *,
                    programs: Sequence[str] = (), min_scenarios: int = 20, seed: int = 0,
                    progress: Callable[[str], None] | None = None) -> EstateValidation:
    """Validate every translated batch program of ``code_dir``; write validation.json/.md."""
    code_dir, out_dir = Path(code_dir), Path(out_dir)
    translation = _translation(code_dir)
    root = Path(estate.root)
    out_dir.mkdir(parents=True, exist_ok=True)
    results: list[ProgramValidation] = []
    skipped: dict[str, str] = {}
    wanted = {p.upper() for p in programs}
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
            skipped[program.name] = ("the translation has unsupported statements ("
                                     f"{', '.join(constructs)}); GnuCOBOL cannot build it "
                                     "without its precompiler either" if any(
                                         c.startswith("EXEC") for c in constructs) else
                                     f"unsupported statements: {', '.join(constructs)}")
            continue
        result = validate_program(program, estate, root, code_dir, out_dir / "work",
                                  min_scenarios=min_scenarios, seed=seed, progress=progress)
        result.functions = {name: f"{f['file']}:{f['first_line']}-{f['last_line']}"
                            for name, f in info.get("functions", {}).items()}
        results.append(result)
    subprograms = _subprograms(estate, results)
    validation = EstateValidation(results, subprograms, skipped)
    (out_dir / "validation.json").write_text(json.dumps(validation.summary(), indent=2) + "\n")
    (out_dir / "validation.md").write_text(report(validation, estate))
    return validation


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
        scenarios = sum(sum(1 for v in r.verdicts if _entered(v, r, program.name))
                        for r in callers)
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


def _entered(verdict: ScenarioVerdict, result: ProgramValidation, name: str) -> bool:
    return bool(result.subprograms.get(name))


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
        text = "" if first is None else f"`{first.scenario}`: {first.first_difference}"
        invalid = [v for v in p.verdicts if v.invalid_data]
        lines.append(f"| {p.program} | {p.scenarios} | {p.equivalent} | "
                     f"{100 * p.coverage:.0f}% ({len(p.covered)}/{len(p.reachable)}) | "
                     f"{text.replace('|', '/')} | {len(invalid)} "
                     f"({sum(v.equivalent for v in invalid)}) |")
    for name, info in validation.subprograms.items():
        lines.append(f"| {name} (through {', '.join(info['through']) or 'no caller'}) | "  # type: ignore[arg-type]
                     f"{info['scenarios']} | {info['equivalent']} | "
                     f"{100 * float(info['paragraph_coverage']):.0f}% | | |")  # type: ignore[arg-type]
    for name, why in validation.skipped.items():
        lines.append(f"| {name} | skipped | | | {why} | |")
    for p in validation.programs:
        program = estate.program(p.program)
        if program is None:
            continue
        lines += ["", f"## {p.program}: source → Python → verdict", "",
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
            lines.append(f"| {key} | {paragraph.file}:{paragraph.line}-"
                         f"{paragraph.end_line or paragraph.line} | `{function}` | "
                         f"{len(entering)} | {verdict} |")
    return "\n".join(lines) + "\n"
