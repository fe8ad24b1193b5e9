"""Prove a translation equivalent: run the COBOL (GnuCOBOL, the digital twin) and the Python on
the same scenarios and compare every output, and say for every program of the estate what was
proved.

**What is validated as a batch program.** Every translated program of kind ``batch``, which
includes a program a JCL step runs (``EXEC PGM=``, through procedures too) whatever its
PROCEDURE DIVISION USING says (the analysis decides that kind, ``graphs.jcl_batch_kinds``;
an analysis made before it is read the same way here). A program a JCL step runs with USING
gets its PARM as z/OS passes it: a halfword length and the text. ``cobc -x`` refuses a main
program with USING, so both sides run it under a generated PARM driver
(``MZPARMDRIVER``): a main program that takes the PARM text from the command line (trailing
spaces dropped), builds the halfword and the text (``PARM_LENGTH`` bytes, or the LINKAGE
record's length, padded with spaces) and CALLs the program; its Python twin does the same
with the translated module. The PARM is the JCL step's (each step's PARM becomes a scenario),
else one made from the LINKAGE record (``scenarios.seeded_parm``); an empty PARM is one more
scenario. A program that other programs CALL is validated through its callers: its paragraphs
are those their runs entered. A program both CALLed and run by JCL is both.

**A program's validation.** Build the COBOL with paragraph tracing; take the hand-written
scenarios under ``<root>/scenarios/<PROGRAM>/`` (the first is the base), else the seeded base
(``scenarios.seeded_scenario``: records made from the layouts and keys, indexed inputs
included); explore variants until paragraph coverage stops rising; add generated variants
until there are at least ``min_scenarios``; add the failure probe (below); run each scenario
through both sides (the Python in the sandbox; INDEXED inputs loaded into each side's own
file, ``scenarios.StoredInputs``) and compare stdout, return code and every output file byte
for byte, indexed files record by record in key order (``compare.indexed_outputs``), naming
the first differing field.

**Error paths.** A scenario where both sides stop at the first OPEN or CALL failure proves
nothing of the program's logic. The rule, from the GnuCOBOL run's paragraph trace and how it
ended (the Python side is judged equivalent or not separately):

1. The *failure probe* is the base scenario with every input file the program opens INPUT or
   I-O removed (OPTIONAL ones kept): its first such OPEN fails with status 35, or an earlier
   CALL fails. Its *failure prologue* is the set of paragraphs that run entered, provided it
   failed: a non-zero return code, or libcob's error line. A program with no such file has
   the base itself as its probe, which counts only when libcob stopped it at an OPEN
   (``status = 30/35/37/38/39/41``) or a CALL (``module '…' not found``). Otherwise (every
   input OPTIONAL, no failure) the prologue is empty.
2. A scenario ran only an error path when the program has an OPEN or a CALL, its GnuCOBOL
   run failed (non-zero return code, or a libcob error line, or a signal) and every
   paragraph it entered is in the failure prologue. Every other scenario ran the main path.

**Verdicts.** Each program of the estate gets one, by its unique id: ``equivalent`` (at least
one scenario with defined data ran the main path, and every one was equivalent),
``equivalent-error-paths-only`` (every scenario equivalent, none past the first OPEN/CALL
failure), ``different`` (a scenario with defined data differs: the first difference is the
reason), ``not-validated`` (the reason: an online program, no translation, unsupported
statements, embedded SQL without a twin, not buildable by GnuCOBOL and what cobc said first,
no scenario ran, a subprogram no caller's scenario entered …). Scenarios with invalid numeric
data are reported apart and never decide a verdict. Coverage counts only the scenarios that
ran; a program with none has no coverage (``None``), never 100%.

**validation.json.** ``verdicts`` lists every program of the estate once, by its id
(``cobol:NAME``, ``cobol:NAME@path`` for a second PROGRAM-ID): program name, path, roles
(batch, jcl, called, subprogram, online), verdict, reason, scenarios, main-path scenarios,
equivalent scenarios, paragraph coverage. ``counts`` has the summary table (programs,
translated, each verdict, the not-validated reasons). The older keys stay: ``programs`` (the
batch validations, with their scenarios), ``subprograms`` (validation through callers) and
``skipped`` (every not-validated program with its reason), each keyed as translation.json
keys a program: its PROGRAM-ID, or ``NAME@path`` for a duplicate. ``validation.md`` is the
report a person reads, with the trace from each paragraph's source lines to its Python
function to the verdicts of the scenarios that entered it.

``refine_programs`` is the optional LLM step after a validation (``modernize validate
--refine``): for each program whose scenarios were all equivalent it asks the model for a more
idiomatic version of the whole module (``modernize.validate.refine.refine_module``), judges every
proposal by the static checks and by ``equivalence_check`` on the same scenarios, writes an
accepted one to ``<out>/refined/<module>.py`` and records the outcome under ``refinement`` in
``validation.json``. The deterministic module in the code folder is never changed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from dataclasses import fields as dataclass_fields
from functools import partial
from pathlib import Path

from .. import __version__
from ..analysis.graphs import jcl_runs
from ..core.errors import ModernizeError
from ..core.escape import md_code, md_text
from ..core.executor import Executor
from ..core.journal import Journal
from ..core.model import Call, Estate, Program
from ..core.names import module_name, safe_stem, spec_stems
from ..core.outputs import write_inside
from ..llm import Ledger, Provider, ProviderError
from ..runtime.files import ORGANIZATIONS as RUNTIME_ORGANIZATIONS
from ..translate import estate_module_names
from ..translate.codecheck import check_module
from .harness import sandbox
from .harness.compare import compare, indexed_outputs
from .harness.legacy import (
    Build,
    CompileError,
    RunResult,
    RunTimeoutError,
    Scenario,
    build,
    run,
)
from .harness.python import run_python
from .harness.sandbox import SandboxUnavailableError
from .harness.scenarios import (
    PARM_LENGTH,
    StoredInputs,
    explore,
    generate,
    load_scenarios,
    reachable_paragraphs,
    seeded_parm,
    seeded_scenario,
)
from .refine import RefineError, equivalence_check, refine_module

log = logging.getLogger(__name__)

REFINED_FOLDER = "refined"
"""Where ``refine_programs`` writes accepted modules, under the validation's output folder."""
DEFAULT_TIMEOUT_S = 30.0
"""How long one run of a program (GnuCOBOL's or the Python) may take before it is stopped and
reported as a timeout (``--timeout``)."""

EQUIVALENT = "equivalent"
ERROR_PATHS_ONLY = "equivalent-error-paths-only"
DIFFERENT = "different"
NOT_VALIDATED = "not-validated"
VERDICTS = (EQUIVALENT, ERROR_PATHS_ONLY, DIFFERENT, NOT_VALIDATED)
"""The verdict categories of validation.json, in the order of the summary table."""

PARM_DRIVER = "MZPARMDRIVER"
"""The PROGRAM-ID of the generated main program that passes a PARM (see the module doc)."""

_OPEN_OR_CALL_ABORT = re.compile(
    r"libcob: error: (module '.*' not found|.*\(status = (30|35|37|38|39|41)\))")
_LIBCOB_ERROR = re.compile(r"^libcob: .*\berror\b", re.MULTILINE)


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
    main_path: bool = True  # False: it stopped at the first OPEN/CALL failure (module doc)


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


def _scenarios(count: int) -> str:
    return f"{count} scenario" + ("" if count == 1 else "s")


def _category(verdicts: Sequence[ScenarioVerdict], what: str = "") -> tuple[str, str]:
    """The verdict and its reason from scenario verdicts with defined data."""
    if not verdicts:
        return NOT_VALIDATED, f"no scenario ran{what}"
    first = next((v for v in verdicts if not v.equivalent), None)
    if first is not None:
        differ = sum(not v.equivalent for v in verdicts)
        return DIFFERENT, (f"{differ} of {_scenarios(len(verdicts))}{what} differ; first: "
                           f"{first.scenario}: {first.first_difference}")
    main = sum(v.main_path for v in verdicts)
    if main:
        return EQUIVALENT, (f"{_scenarios(len(verdicts))}{what} equivalent, {main} of them "
                            "past the first OPEN/CALL")
    return ERROR_PATHS_ONLY, (f"{_scenarios(len(verdicts))}{what} equivalent, but every one "
                              "stopped at the first OPEN or CALL failure on both sides")


@dataclass
class ProgramValidation:
    """One program's validation. ``runs`` (the scenarios, in the order of ``verdicts``) and
    ``legacy`` (the GnuCOBOL build) are kept for a later equivalence check, such as the
    refinement's; they are not written to validation.json. ``prologue`` is the failure
    prologue (module doc)."""

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
    id: str = ""
    prologue: list[str] = field(default_factory=list)
    timeouts: list[str] = field(default_factory=list)  # scenarios GnuCOBOL did not finish
    module: Path | None = field(default=None, repr=False, compare=False)  # what runs (driver)

    @property
    def key(self) -> str:
        """How validation.json names it (as translation.json does)."""
        return _key(self.id, self.program)

    @property
    def coverage(self) -> float:
        """Paragraphs entered over reachable ones; 0 when no scenario ran (never 100%)."""
        if not self.scenarios:
            return 0.0
        return len(self.covered) / len(self.reachable) if self.reachable else 1.0

    @property
    def defined(self) -> list[ScenarioVerdict]:
        return [v for v in self.verdicts if not v.invalid_data]

    @property
    def main_path(self) -> int:
        return sum(v.main_path for v in self.defined)

    def category(self) -> tuple[str, str]:
        return _category(self.defined)

    def summary(self) -> dict[str, object]:
        first = next((v for v in self.verdicts if not v.equivalent and not v.invalid_data),
                     None)
        invalid = [v for v in self.verdicts if v.invalid_data]
        verdict, reason = self.category()
        reachable = set(self.reachable)
        return {
            "id": self.id, "verdict": verdict, "reason": reason,
            "scenarios": self.scenarios, "equivalent": self.equivalent,
            "main_path_scenarios": self.main_path,
            "generated_scenarios": sum(not v.invalid_data and not v.scenario.startswith("hand:")
                                       for v in self.verdicts),
            "invalid_data": {"scenarios": len(invalid),
                             "equivalent": sum(v.equivalent for v in invalid)},
            "paragraph_coverage": round(self.coverage, 4) if self.scenarios else None,
            "reachable_paragraphs": len(self.reachable), "covered_paragraphs": len(self.covered),
            "missed_paragraphs": sorted(reachable - set(self.covered)),
            "error_path_paragraphs": sorted(set(self.prologue) & reachable),
            "timeouts": self.timeouts,
            "first_difference": None if first is None else {
                "scenario": first.scenario, "difference": first.first_difference},
            "seconds": round(self.seconds, 2),
            "verdicts": [asdict(v) for v in self.verdicts],
            **({} if self.refinement is None else {"refinement": self.refinement.summary()}),
        }


@dataclass
class ProgramVerdict:
    """What was proved of one program of the estate (an entry of ``verdicts``)."""

    id: str
    program: str
    path: str
    roles: list[str]
    translated: bool
    verdict: str
    reason: str
    scenarios: int = 0
    main_path: int = 0
    equivalent: int = 0
    coverage: float | None = None

    def summary(self) -> dict[str, object]:
        return {"program": self.program, "path": self.path, "roles": self.roles,
                "translated": self.translated, "verdict": self.verdict, "reason": self.reason,
                "scenarios": self.scenarios, "main_path_scenarios": self.main_path,
                "equivalent_scenarios": self.equivalent,
                "coverage": None if self.coverage is None else round(self.coverage, 4)}


@dataclass
class EstateValidation:
    """``programs``: the batch validations; ``subprograms``: validation through callers, and
    ``skipped``: every program not validated with the reason, both keyed as translation.json
    keys programs; ``verdicts``: every program of the estate by its id."""

    programs: list[ProgramValidation]
    subprograms: dict[str, dict[str, object]]
    skipped: dict[str, str]
    verdicts: dict[str, ProgramVerdict] = field(default_factory=dict)

    def counts(self) -> dict[str, object]:
        """The summary table: programs, translated, each verdict, and the not-validated
        reasons (their first words, e.g. "online", "embedded SQL") with how many have each."""
        out: dict[str, object] = {"programs": len(self.verdicts),
                                  "translated": sum(v.translated for v in self.verdicts.values())}
        for category in VERDICTS:
            out[category] = sum(v.verdict == category for v in self.verdicts.values())
        reasons: dict[str, int] = {}
        for v in self.verdicts.values():
            if v.verdict == NOT_VALIDATED:
                kind = reason_kind(v.reason)
                reasons[kind] = reasons.get(kind, 0) + 1
        out["not_validated_reasons"] = dict(sorted(reasons.items()))
        return out

    def summary(self) -> dict[str, object]:
        return {"tool": f"modernize {__version__}",
                "counts": self.counts(),
                "verdicts": {k: v.summary() for k, v in self.verdicts.items()},
                "programs": {p.key: p.summary() for p in self.programs},
                "subprograms": self.subprograms, "skipped": self.skipped}


def reason_kind(reason: str) -> str:
    """The kind of a not-validated reason: its text up to the first colon or parenthesis."""
    return re.split(r"[:(;]", reason, maxsplit=1)[0].strip() or reason


def _key(program_id: str, name: str) -> str:
    """How validation.json (like translation.json) keys a program: the id without its
    ``cobol:`` prefix (the PROGRAM-ID, or ``NAME@path`` for a duplicate)."""
    return program_id.split(":", 1)[1] if ":" in program_id else name


def invalid_data(scenario_name: str) -> bool:
    """Whether a generated scenario puts invalid data in a numeric field (spaces or
    low-values: the generator's ``dirty`` variants and all-space records). COBOL leaves the
    result of arithmetic and MOVEs on such data undefined; GnuCOBOL's is whatever its
    decimal routines make of the bytes. These runs are reported apart: they show where the
    translation and the compiler part ways on bad input, not a translation error."""
    return any(part.startswith("dirty:") or re.search(r"=(spaces|low-values)@\d+$", part)
               for part in scenario_name.split(" > "))


def jcl_parms(estate: Estate, program: Program) -> list[tuple[str, str]]:
    """``(JOB.STEP, PARM)`` of every JCL step that runs ``program`` with a PARM, in order, each
    PARM once."""
    out: list[tuple[str, str]] = []
    for job, step in jcl_runs(estate).get(program.name, []):
        if step.parm is not None and step.parm not in {p for _, p in out}:
            out.append((f"{job.name}.{step.name}", step.parm))
    return out


def base_scenario(program: Program, root: Path,
                  estate: Estate | None = None) -> tuple[Scenario, list[Scenario]]:
    """The hand-written scenarios (the first is the base), else the seeded scenario with more
    to explore: every input empty, and, for a program entered with USING, each JCL step's
    PARM, a PARM made from the LINKAGE record and an empty PARM."""
    hand = load_scenarios(root, program)
    hand.sort(key=lambda s: s.name != "hand:sample-data")
    if hand:
        return hand[0], hand[1:]
    parms = jcl_parms(estate, program) if estate is not None and program.entry_using else []
    base = seeded_scenario(program, root, parms[0][1] if parms else None)
    extra = [Scenario("empty-inputs", {dd: b"" for dd in base.inputs}, parm=base.parm)]
    if program.entry_using:
        for label, parm in parms[1:]:
            extra.append(replace(base, name=f"parm:jcl:{label}", parm=parm))
        seeded = seeded_parm(program)
        if parms and seeded is not None and seeded != base.parm:
            extra.append(replace(base, name="parm:seeded", parm=seeded))
        if base.parm:
            extra.append(replace(base, name="parm:empty", parm=""))
    return base, extra


def _required_inputs(program: Program) -> set[str]:
    """The files whose OPEN INPUT or I-O fails when they are missing: not OPTIONAL (by the
    name a run binds them, plain or not)."""
    names = {op.file_name for op in program.file_ops
             if op.verb == "OPEN" and (op.mode or "").upper() in ("INPUT", "I-O")}
    return {f.external_name for f in program.files if f.name in names and not f.optional}


def failure_probe(program: Program, base: Scenario) -> Scenario:
    """The base without the input files whose OPEN fails when they are missing (module doc)."""
    gone = _required_inputs(program)
    return replace(base, name="probe:inputs-missing",
                   inputs={dd: data for dd, data in base.inputs.items() if dd not in gone})


def _failed(result: RunResult) -> bool:
    return result.returncode != 0 or bool(_LIBCOB_ERROR.search(
        result.stderr.decode("latin-1", "replace")))


def _prologue(program: Program, probe: Scenario, result: RunResult) -> set[str]:
    """The failure prologue from the probe's run (module doc)."""
    if _required_inputs(program) - set(probe.inputs):  # an OPEN that must fail
        return result.paragraphs(program.name) if _failed(result) else set()
    stopped = _OPEN_OR_CALL_ABORT.search(result.stderr.decode("latin-1", "replace"))
    return result.paragraphs(program.name) if stopped else set()


def _main_path(program: Program, result: RunResult, prologue: set[str]) -> bool:
    """Whether a GnuCOBOL run got past the first OPEN/CALL failure (module doc)."""
    if not any(op.verb == "OPEN" for op in program.file_ops) and not program.calls:
        return True
    return not (_failed(result) and result.paragraphs(program.name) <= prologue)


# --------------------------------------------------------------------------- PARM driver


def _cobol_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def parm_driver_source(program: Program, length: int) -> str:
    """The COBOL PARM driver of ``program`` (module doc), free format."""
    return "\n".join([
        "       >>SOURCE FORMAT IS FREE",
        "IDENTIFICATION DIVISION.",
        f"PROGRAM-ID. {PARM_DRIVER}.",
        "DATA DIVISION.",
        "WORKING-STORAGE SECTION.",
        f"01 MZ-LINE PIC X({length}).",
        "01 MZ-I PIC S9(4) COMP.",
        "01 MZ-PARM.",
        "   05 MZ-PARM-LENGTH PIC S9(4) COMP.",
        f"   05 MZ-PARM-TEXT PIC X({length}).",
        "PROCEDURE DIVISION.",
        "    ACCEPT MZ-LINE FROM COMMAND-LINE",
        f"    MOVE {length} TO MZ-I",
        "    PERFORM UNTIL MZ-I = 0",
        "        IF MZ-LINE(MZ-I:1) NOT = SPACE",
        "            EXIT PERFORM",
        "        END-IF",
        "        SUBTRACT 1 FROM MZ-I",
        "    END-PERFORM",
        "    MOVE MZ-I TO MZ-PARM-LENGTH",
        "    MOVE MZ-LINE TO MZ-PARM-TEXT",
        f"    CALL {_cobol_literal(program.name)} USING MZ-PARM",
        "    STOP RUN.", ""])


def python_driver_source(program: Program, module: str, length: int) -> str:
    """The Python twin of the PARM driver: loads ``module`` beside it and CALLs the program."""
    return f'''"""PARM driver of {program.name!r}, generated by modernize.validate.verdicts: runs it
as z/OS runs the program of a JCL step, with the PARM as a halfword length and the text."""

import importlib.util
import os
import sys
from pathlib import Path

from modernize.runtime.fields import Group
from modernize.runtime.program import Program, StopRun, main, program_not_found

TARGET = {program.name!r}
MODULE = {module!r}
LENGTH = {length}


class ParmDriver(Program):
    NAME = {PARM_DRIVER!r}

    def run_from_start(self) -> None:
        text = os.fsencode(sys.argv[1]) if len(sys.argv) > 1 else b""
        text = text[:LENGTH].rstrip(b" ")
        area = Group(bytearray(len(text).to_bytes(2, "big") + text.ljust(LENGTH, b" ")), 0,
                     2 + LENGTH)
        path = Path(__file__).resolve().parent / (MODULE + ".py")
        spec = importlib.util.spec_from_file_location("modernize_translated_" + MODULE, path)
        if spec is None or spec.loader is None:
            program_not_found(TARGET)
            return
        spec.loader.exec_module(importlib.util.module_from_spec(spec))
        if not self.call(TARGET, [area]):
            program_not_found(TARGET)
        raise StopRun()


if __name__ == "__main__":
    main(ParmDriver, __file__)
'''


def _parm_length(program: Program) -> int:
    record = next((d for d in program.data_items if program.entry_using
                   and d.name == program.entry_using[0] and d.level in (1, 77)), None)
    return max(PARM_LENGTH, (record.length or 0) - 2 if record is not None else 0)


def _with_driver(program: Program, estate: Estate, root: Path, code_dir: Path, work: Path,
                 module: str) -> tuple[Build, Path]:
    """The GnuCOBOL build and the Python module that run ``program`` under the PARM driver."""
    if estate.program(PARM_DRIVER) is not None:
        raise ValidationError(f"the estate has a program named {PARM_DRIVER}, the name of the "
                              "PARM driver: rename one to validate a program run with a PARM")
    length = _parm_length(program)
    folder = Path(work).resolve() / "parm" / safe_stem(module)
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"{PARM_DRIVER}.cbl"
    source.write_text(parm_driver_source(program, length))
    driver = Program(id=f"cobol:{PARM_DRIVER}", name=PARM_DRIVER, path=str(source),
                     kind="batch", calls=(Call(target=program.name, kind="static",
                                               file=str(source), line=1),))
    built = build(driver, estate.model_copy(update={"programs": (*estate.programs, driver)}),
                  root, work, trace=True)
    built = replace(built, dd_names=tuple(dict.fromkeys(f.external_name
                                                        for f in program.files)))
    python = folder / "python"
    if python.exists():
        shutil.rmtree(python)
    python.mkdir()
    for path in sorted(Path(code_dir).glob("*.py")):
        shutil.copyfile(path, python / path.name)
    driver_module = python / "_parm_driver.py"
    driver_module.write_text(python_driver_source(program, module, length))
    return built, driver_module


# --------------------------------------------------------------------------- one program


def validate_program(program: Program, estate: Estate, root: Path, code_dir: Path,
                     work: Path, *, min_scenarios: int = 20, explore_budget: int = 60,
                     seed: int = 0, timeout_s: float = DEFAULT_TIMEOUT_S,
                     progress: Callable[[str], None] | None = None) -> ProgramValidation:
    """Validate one translated batch program (see the module docstring)."""
    started = time.monotonic()
    name = estate_module_names(estate)[program.id]
    module = code_dir / f"{name}.py"
    if not module.is_file():
        raise ValidationError(f"{module} is missing: run `modernize translate` first")
    # the build finds programs by name: this one must be the first of its name (a second
    # PROGRAM-ID is built from its own source, not the first one's)
    view = estate.model_copy(update={"programs": (
        program, *(p for p in estate.programs if p.id != program.id))})
    if program.entry_using:
        built, module = _with_driver(program, view, root, code_dir, work, name)
    else:
        built = build(program, view, root, work, trace=True)
    inputs = StoredInputs(program, root, work, timeout_s=timeout_s)
    base, extra = base_scenario(program, root, estate)
    found = explore(program, estate, built, base, budget=explore_budget, extra=extra,
                    seed=seed, timeout_s=timeout_s, inputs=inputs)
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
    probe = failure_probe(program, base)
    prologue: set[str] = set()
    try:
        probe_run = run(built, inputs.legacy(probe), timeout_s=timeout_s)
    except RunTimeoutError:
        log.warning("%s: the failure probe ran past the time limit", program.name)
    else:
        prologue = _prologue(program, probe, probe_run)
        if probe.inputs != base.inputs and probe.name not in names:
            scenarios.append(probe)
            legacy_results[probe.name] = probe_run
    verdicts: list[ScenarioVerdict] = []
    ran: list[Scenario] = []
    timeouts: list[str] = []
    covered: set[str] = set()
    subprograms: dict[str, set[str]] = {}
    reachable = reachable_paragraphs(program)
    for scenario in scenarios:
        try:
            legacy = legacy_results.get(scenario.name) or run(
                built, inputs.legacy(scenario), timeout_s=timeout_s)
        except RunTimeoutError:  # GnuCOBOL did not finish it: not a scenario that ran
            timeouts.append(scenario.name)
            continue
        verdict = _judge(program, built, module, scenario, legacy, inputs, prologue,
                         timeout_s)
        verdicts.append(verdict)
        ran.append(scenario)
        covered |= set(verdict.paragraphs) & reachable
        for callee, keys in legacy.trace.items():
            if callee not in (program.name, PARM_DRIVER):
                subprograms.setdefault(callee, set()).update(keys)
        if progress:
            progress(f"{program.name} {scenario.name}: "
                     f"{'equivalent' if verdict.equivalent else 'DIFFERENT'}"
                     f"{'' if verdict.main_path else ' (error path)'}")
    defined_verdicts = [v for v in verdicts if not v.invalid_data]
    return ProgramValidation(
        program=program.name, scenarios=len(defined_verdicts),
        equivalent=sum(v.equivalent for v in defined_verdicts), reachable=sorted(reachable),
        covered=sorted(covered), verdicts=verdicts,
        subprograms={k: sorted(v) for k, v in subprograms.items()},
        seconds=time.monotonic() - started, runs=ran, legacy=built, id=program.id,
        prologue=sorted(prologue), timeouts=timeouts, module=module)


def _judge(program: Program, built: Build, module: Path, scenario: Scenario,
           legacy: RunResult, inputs: StoredInputs, prologue: set[str],
           timeout_s: float) -> ScenarioVerdict:
    """Run the Python side of one scenario and compare it with the GnuCOBOL run."""
    entered = legacy.paragraphs(program.name)
    callees = sorted(n for n in legacy.trace if n not in (program.name, PARM_DRIVER))
    try:
        python = run_python(module, inputs.python(scenario), built.dd_names, program.name,
                            timeout_s=timeout_s)
    except RunTimeoutError as exc:
        return ScenarioVerdict(
            scenario.name, False, legacy.returncode, -9,
            f"the Python run was stopped after {exc.timeout_s:g} s (GnuCOBOL finished in "
            f"{legacy.duration_s:.1f} s)", sorted(entered), round(legacy.duration_s, 3),
            exc.timeout_s, invalid_data(scenario.name), callees,
            _main_path(program, legacy, prologue))
    verdict = compare(legacy, python, program,
                      indexed=indexed_outputs(inputs.stored, legacy, python, inputs.utilities))
    first = verdict.differences[0].describe() if verdict.differences else None
    if first and python.returncode != legacy.returncode and python.stderr:
        lines = python.stderr.decode("utf-8", "replace").strip().splitlines()
        first += " | python stderr: " + (lines[-1][:300] if lines else "")
    return ScenarioVerdict(
        scenario.name, verdict.equivalent, legacy.returncode, python.returncode, first,
        sorted(entered), round(legacy.duration_s, 3), round(python.duration_s, 3),
        invalid_data(scenario.name), callees, _main_path(program, legacy, prologue))


# --------------------------------------------------------------------------- the estate


def _callers(estate: Estate) -> dict[str, list[str]]:
    """PROGRAM-ID → the names of the programs whose CALLs may reach it."""
    out: dict[str, list[str]] = {}
    for program in estate.programs:
        for call in program.calls:
            if call.kind not in ("static", "dynamic"):
                continue
            for target in (call.target, *call.candidates):
                if target and target != program.name and program.name not in \
                        out.setdefault(target, []):
                    out[target].append(program.name)
    return out


def _translation_info(translation: dict, program: Program) -> dict | None:
    """The program's entry in translation.json: keyed by id without ``cobol:`` (or, in a
    translation.json written before ids, by name)."""
    entries = translation.get("programs", {})
    info = entries.get(_key(program.id, program.name))
    if info is None and program.id == f"cobol:{program.name}":
        info = entries.get(program.name)
    if isinstance(info, dict) and info.get("id") not in (None, "", program.id):
        return None
    return info


def _not_translated(translation: dict, program: Program) -> str:
    skipped = translation.get("skipped", {})
    why = skipped.get(_key(program.id, program.name)) or skipped.get(program.name)
    return f"not translated: {why}" if why else "no translation in the code folder"


def _roles(program: Program, jcl: set[str], callers: dict[str, list[str]]) -> list[str]:
    roles = [program.kind]
    if program.name in jcl:
        roles.append("jcl")
    if callers.get(program.name):
        roles.append("called")
    return roles


def _why_not_run(program: Program, estate: Estate, code_dir: Path, translation: dict,
                 modules: dict[str, str]) -> str | None:
    """Why a program cannot be run on both sides (None when it can)."""
    if program.kind == "online":
        return "online (CICS) program: not translated"
    info = _translation_info(translation, program)
    if info is None:
        return _not_translated(translation, program)
    if info.get("unsupported"):
        constructs = sorted({u["construct"] for u in info["unsupported"]})
        return f"unsupported statements: {', '.join(constructs)}"
    if program.sql:
        return ("embedded SQL: GnuCOBOL cannot build it without a DB2 precompiler, so there "
                "is no twin to compare with (the translation runs on the embedded SQL runtime)")
    if program.cics:
        return "EXEC CICS: the batch harness has no CICS"
    organizations = sorted({f.organization.upper() for f in program.files
                            if f.organization.upper().replace("RECORD SEQUENTIAL", "SEQUENTIAL")
                            not in RUNTIME_ORGANIZATIONS})
    if organizations:
        return (f"unsupported statements: ORGANIZATION {', '.join(organizations)} (the "
                "runtime has no such files)")
    failing = _failing_checks(program, estate, code_dir, modules)
    if failing:
        return f"not run: {failing}"
    refused = [d for d in program.diagnostics if d.code == "copybook-outside"]
    if refused:
        return (f"not built: a COPY at {refused[0].file}:{refused[0].line} names a file "
                "outside the estate")
    return None


def _build_failure(exc: ModernizeError) -> str:
    if isinstance(exc, CompileError):
        first = next((line.strip() for line in exc.messages.splitlines() if line.strip()), "")
        return f"not buildable by GnuCOBOL: {first[:300]}"
    return f"not validated: {_summary(str(exc))}"


def validate_estate(estate: Estate, code_dir: Path, out_dir: Path, *,
                    programs: Sequence[str] = (), min_scenarios: int = 20, seed: int = 0,
                    explore_budget: int = 60, timeout_s: float = DEFAULT_TIMEOUT_S,
                    progress: Callable[[str], None] | None = None,
                    program_progress: Callable[[str, int, int], None] | None = None,
                    executor: Executor | None = None, journal: Journal | None = None
                    ) -> EstateValidation:
    """Validate every translated batch program of ``code_dir`` (``programs``: only these
    names), the CALLed ones through their callers; give every program of the estate its
    verdict; write validation.json/.md. Keyed by program id throughout: two programs with
    one PROGRAM-ID stay apart. ``progress`` gets a line per scenario;
    ``program_progress(program, index, total)`` is called before each program run (counting
    from 1 over the programs that are run; with workers, as each one is done).

    ``executor`` shares the programs out to its workers (by default all run here, one after
    another); the verdicts are the same for any of them, and a worker's scenario lines come
    to ``progress`` when its program is done. With a ``journal`` (``modernize run``), a
    program it holds for the same code and settings is not validated again, and each
    validation is recorded as it comes back."""
    code_dir, out_dir = Path(code_dir), Path(out_dir)
    translation = _translation(code_dir)
    sandbox.require()  # no Python runs outside bubblewrap: refuse the whole command
    root = Path(estate.root)
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = {p.upper() for p in programs}
    modules = estate_module_names(estate)
    jcl = set(jcl_runs(estate))
    callers = _callers(estate)
    results: dict[str, ProgramValidation] = {}
    reasons: dict[str, str] = {}
    selected = [p for p in estate.programs if not wanted or p.name in wanted]
    runnable: list[Program] = []
    for program in selected:
        why = _why_not_run(program, estate, code_dir, translation, modules)
        if why is not None:
            reasons[program.id] = why
        elif program.kind == "batch" or program.name in jcl:
            runnable.append(program)
        # else a subprogram: validated through its callers
    # absolute paths: a Dask worker runs in a folder of its own
    settings = _Settings(estate, root.resolve(), code_dir.resolve(),
                         (out_dir / "work").resolve(), min_scenarios, seed,
                         explore_budget, timeout_s,
                         progress if executor is None or not executor.parallel else None)
    # what else decides a verdict
    stamp = [min_scenarios, seed, explore_budget, timeout_s, _code_digest(code_dir)]
    done: dict[str, ProgramValidation | str] = {}  # program id → its validation, or why none
    todo: list[Program] = []
    for program in runnable:
        recorded = journal.get(JOURNAL_STAGE, program.id, stamp=stamp) if journal else None
        if recorded is None:
            todo.append(program)
            continue
        done[program.id] = _from_record(recorded)  # validated by an interrupted run
        if program_progress:
            program_progress(program.name, len(done), len(runnable))
    before = len(done)

    def counted(name: str, index: int, total: int) -> None:
        if program_progress:
            program_progress(name, before + index, len(runnable))

    for index, outcome in (executor or Executor()).completed(
            partial(_validate_one, settings), todo, labels=[p.name for p in todo],
            progress=counted):
        program = todo[index]
        done[program.id] = outcome.result
        if progress and settings.progress is None:  # the scenario lines of a worker
            for line in outcome.lines:
                progress(line)
        if journal:
            journal.put(JOURNAL_STAGE, program.id, _record(outcome.result), stamp=stamp)
    for program in runnable:  # in the estate's order, however the work was shared out
        result = done[program.id]
        if isinstance(result, str):
            reasons[program.id] = result
            continue
        info = _translation_info(translation, program) or {}
        result.functions = {name: f"{f['file']}:{f['first_line']}-{f['last_line']}"
                            for name, f in info.get("functions", {}).items()}
        results[program.id] = result
    validated = list(results.values())
    through = _through(estate, selected, validated, callers, jcl)
    for program in estate.programs:
        if program not in selected:
            reasons[program.id] = "not selected (--program)"
    verdicts = {p.id: _verdict(p, results.get(p.id), through.get(p.id), reasons.get(p.id),
                               translation, jcl, callers)
                for p in estate.programs}
    skipped = {_key(i, v.program): v.reason for i, v in verdicts.items()
               if v.verdict == NOT_VALIDATED}
    subprograms = {_key(i, t.program.name): t.summary() for i, t in through.items()}
    validation = EstateValidation(validated, subprograms, skipped, verdicts)
    write_reports(validation, estate, out_dir)
    return validation


JOURNAL_STAGE = "validation"
"""The stage's records in a run's journal (:mod:`modernize.core.journal`)."""


@dataclass(frozen=True)
class _Settings:
    """What every program's validation in one estate run shares (sent to each worker)."""

    estate: Estate
    root: Path
    code_dir: Path
    work: Path
    min_scenarios: int
    seed: int
    explore_budget: int
    timeout_s: float
    progress: Callable[[str], None] | None  # live scenario lines, in this process only


@dataclass(frozen=True)
class _Validated:
    """One program's validation (or why there is none), with its scenario lines."""

    result: ProgramValidation | str
    lines: list[str]


def _validate_one(settings: _Settings, program: Program) -> _Validated:
    """Validate one program (run in a worker); a program that cannot be built or run gets
    its reason instead, and the estate goes on. No sandbox: the error goes up."""
    lines: list[str] = []

    def progress(line: str) -> None:
        if settings.progress is not None:
            settings.progress(line)
        else:
            lines.append(line)

    try:
        result: ProgramValidation | str = validate_program(
            program, settings.estate, settings.root, settings.code_dir, settings.work,
            min_scenarios=settings.min_scenarios, seed=settings.seed,
            explore_budget=settings.explore_budget, timeout_s=settings.timeout_s,
            progress=progress)
    except SandboxUnavailableError:
        raise
    except ModernizeError as exc:  # one program that cannot be built or run: go on
        log.warning("%s: not validated: %s", program.id, exc)
        result = _build_failure(exc)
    except Exception as exc:  # a fault of ours on this program: report it, go on
        log.exception("validation of %s failed", program.id)
        result = (f"the validation failed ({type(exc).__name__}: {exc}); please report it "
                  "with the program")
    return _Validated(result, lines)


def _code_digest(code_dir: Path) -> str:
    """The digest of the translated modules a validation runs."""
    digest = hashlib.sha256()
    for path in sorted(Path(code_dir).glob("*.py")):
        digest.update(f"{path.name}\0".encode() + path.read_bytes() + b"\0")
    return digest.hexdigest()


_NOT_RECORDED = ("functions", "refinement", "runs", "legacy", "module")
"""ProgramValidation fields a journal record leaves out: set again after the run (functions)
or only used by ``validate --refine``, which ``modernize run`` does not do."""


def _record(result: ProgramValidation | str) -> dict[str, object]:
    """A validation (or why there is none) as a journal record."""
    if isinstance(result, str):
        return {"failed": result}
    fields = {f.name: getattr(result, f.name) for f in dataclass_fields(result)
              if f.name not in _NOT_RECORDED}
    fields["verdicts"] = [asdict(v) for v in result.verdicts]
    return {"validation": fields}


def _from_record(record: dict) -> ProgramValidation | str:
    if "failed" in record:
        return str(record["failed"])
    fields = dict(record["validation"])
    fields["verdicts"] = [ScenarioVerdict(**v) for v in fields["verdicts"]]
    return ProgramValidation(**fields)



@dataclass
class ThroughCallers:
    """A CALLed program's validation through its callers: the validated callers whose runs
    entered it, the scenario verdicts (defined data) that did, the paragraphs entered."""

    program: Program
    callers: list[ProgramValidation]
    entering: list[ScenarioVerdict]
    entered: set[str]
    known_callers: list[str]  # every program whose CALLs may reach it
    run_by_jcl: bool

    def category(self) -> tuple[str, str]:
        if self.entering:
            return _category(self.entering, " entering it")
        names = ", ".join(self.known_callers)
        if not self.known_callers:
            why = "no program of the estate calls it"
        elif not self.callers:
            why = f"its callers ({names}) were not validated or never reached the CALL"
        else:
            why = (f"the scenarios of {', '.join(r.program for r in self.callers)} never "
                   "reached the CALL")
        return NOT_VALIDATED, f"subprogram entered by no caller's scenario: {why}"

    def summary(self) -> dict[str, object]:
        """The program's entry under ``subprograms`` in validation.json."""
        reachable = reachable_paragraphs(self.program)
        verdict, reason = self.category()
        coverage = len(self.entered & reachable) / len(reachable) if reachable else 1.0
        return {
            "id": self.program.id, "verdict": verdict, "reason": reason,
            "through": [r.program for r in self.callers],
            "scenarios": sum(r.scenarios for r in self.callers),
            "equivalent": sum(r.equivalent for r in self.callers),
            "scenarios_entering": len(self.entering),
            "equivalent_entering": sum(v.equivalent for v in self.entering),
            "main_path_entering": sum(v.main_path for v in self.entering),
            # 0 when no scenario entered it: not validated, never 100%
            "paragraph_coverage": round(coverage, 4) if self.entering else 0.0,
            "missed_paragraphs": sorted(reachable - self.entered),
            "run_by_jcl": self.run_by_jcl,
        }


def _through(estate: Estate, selected: Sequence[Program],
             validated: Sequence[ProgramValidation], callers: dict[str, list[str]],
             jcl: set[str]) -> dict[str, ThroughCallers]:
    """By program id, the validation through callers of every selected program that some
    program CALLs (or whose kind is subprogram)."""
    out: dict[str, ThroughCallers] = {}
    for program in selected:
        if program.kind == "online" or (program.kind != "subprogram"
                                        and not callers.get(program.name)):
            continue
        reached = [r for r in validated
                   if program.name in r.subprograms and r.id != program.id]
        entering = [v for r in reached for v in r.defined if program.name in v.subprograms]
        entered: set[str] = set()
        for r in reached:
            entered |= set(r.subprograms[program.name])
        out[program.id] = ThroughCallers(program, reached, entering, entered,
                                         callers.get(program.name, []), program.name in jcl)
    return out


def _verdict(program: Program, own: ProgramValidation | None, through: ThroughCallers | None,
             why: str | None, translation: dict, jcl: set[str],
             callers: dict[str, list[str]]) -> ProgramVerdict:
    """One program's verdict from its own validation and the validation through callers."""
    verdict = ProgramVerdict(program.id, program.name, program.path,
                             _roles(program, jcl, callers),
                             _translation_info(translation, program) is not None,
                             NOT_VALIDATED, why or "")
    if why is not None:
        return verdict
    if through is not None and not through.entering:
        through_reason = through.category()[1]
        through = None
    else:
        through_reason = ""
    if own is None and through is None:
        verdict.reason = through_reason or "not run as a batch program and called by no program"
        return verdict
    categories: list[tuple[str, str]] = []
    scenarios: list[ScenarioVerdict] = []
    covered: set[str] = set()
    if own is not None:
        category, reason = own.category()
        categories.append((category, f"as a batch program: {reason}" if through else reason))
        scenarios += own.defined
        covered |= set(own.covered)
    if through is not None:
        category, reason = through.category()
        categories.append((category, f"through its callers: {reason}"))
        scenarios += through.entering
        covered |= through.entered
    found = {category for category, _ in categories}
    verdict.verdict = next((c for c in (DIFFERENT, EQUIVALENT, ERROR_PATHS_ONLY) if c in found),
                           NOT_VALIDATED)
    verdict.reason = "; ".join(reason for _, reason in categories)
    verdict.scenarios = len(scenarios)
    verdict.main_path = sum(v.main_path for v in scenarios)
    verdict.equivalent = sum(v.equivalent for v in scenarios)
    reachable = reachable_paragraphs(program)
    if scenarios:
        verdict.coverage = len(covered & reachable) / len(reachable) if reachable else 1.0
    return verdict


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


def _not_refined(result: ProgramValidation, program: Program | None = None) -> str | None:
    """Why ``result``'s program is not offered for refinement, or None when it is."""
    if program is not None and program.entry_using:
        return ("not refined: it runs under the PARM driver, which the refinement's check "
                "does not use yet")
    if program is not None and any(f.organization.upper() in ("INDEXED", "RELATIVE")
                                   for f in program.files):
        return ("not refined: the refinement's check does not load indexed files into "
                "each side's format yet")
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
    why = _not_refined(result, program)
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
        program = next((p for p in estate.programs if p.id == result.id), None)
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


def report(validation: EstateValidation, estate: Estate) -> str:
    """validation.md: the verdict of every program, a table per validated program, then the
    paragraph trace."""
    counts = validation.counts()
    lines = ["# Validation against GnuCOBOL", "",
             "Each scenario ran through the COBOL program (GnuCOBOL) and its Python "
             "translation (sandboxed); stdout, return code and every output file were "
             "compared byte for byte, indexed files record by record in key order.", "",
             "A scenario that stopped at the first OPEN or CALL failure on both sides proves "
             "only an error path: a program whose scenarios all did is "
             "*equivalent-error-paths-only*, not *equivalent*. Scenarios with invalid numeric "
             "data (spaces or low-values in a numeric field) are counted apart: COBOL leaves "
             "their results undefined.", "",
             "| programs | translated | equivalent | equivalent on error paths only | "
             "different | not validated |", "| --- | --- | --- | --- | --- | --- |",
             f"| {counts['programs']} | {counts['translated']} | {counts[EQUIVALENT]} | "
             f"{counts[ERROR_PATHS_ONLY]} | {counts[DIFFERENT]} | {counts[NOT_VALIDATED]} |",
             "", "## Verdicts", "",
             "| program | id | verdict | scenarios (main path) | paragraph coverage | reason |",
             "| --- | --- | --- | --- | --- | --- |"]
    for v in validation.verdicts.values():
        coverage = "not validated" if v.coverage is None else f"{100 * v.coverage:.0f}%"
        lines.append(f"| {md_text(v.program)} | {md_code(v.id)} | {md_text(v.verdict)} | "
                     f"{v.scenarios} ({v.main_path}) | {coverage} | {md_text(v.reason)} |")
    lines += ["", "## Batch programs", "",
              "| program | scenarios | equivalent | past the first OPEN/CALL | "
              "paragraph coverage | first difference | invalid-data scenarios (equivalent) |",
              "| --- | --- | --- | --- | --- | --- | --- |"]
    for p in validation.programs:
        first = next((v for v in p.verdicts if not v.equivalent and not v.invalid_data), None)
        text = "" if first is None else \
            f"{md_code(first.scenario)}: {md_text(first.first_difference)}"
        invalid = [v for v in p.verdicts if v.invalid_data]
        coverage = f"{100 * p.coverage:.0f}% ({len(p.covered)}/{len(p.reachable)})" \
            if p.scenarios else "not validated"
        lines.append(f"| {md_text(p.key)} | {p.scenarios} | {p.equivalent} | {p.main_path} | "
                     f"{coverage} | {text} | {len(invalid)} "
                     f"({sum(v.equivalent for v in invalid)}) |")
    if validation.subprograms:
        lines += ["", "## Called programs, through their callers", "",
                  "| program | callers validated | scenarios entering (equivalent) | "
                  "paragraph coverage | verdict |", "| --- | --- | --- | --- | --- |"]
    for name, info in validation.subprograms.items():
        through = md_text(", ".join(info["through"]) or "none")  # type: ignore[arg-type]
        coverage = f"{100 * float(info['paragraph_coverage']):.0f}%" \
            if info["scenarios_entering"] else "not validated"  # type: ignore[arg-type]
        lines.append(f"| {md_text(name)} | {through} | {info['scenarios_entering']} "
                     f"({info['equivalent_entering']}) | {coverage} | "
                     f"{md_text(str(info['verdict']))}: {md_text(str(info['reason']))} |")
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
        program = next((q for q in estate.programs if q.id == p.id), None)
        if program is None:
            continue
        lines += ["", f"## {md_text(p.key)}: source → Python → verdict", "",
                  "| paragraph | source lines | Python function | scenarios entering | "
                  "verdict |", "| --- | --- | --- | --- | --- |"]
        # a paragraph's function is the one whose provenance is the paragraph's lines
        by_lines = {where: name for name, where in p.functions.items()}
        for paragraph in (*program.sections, *program.paragraphs):
            key = paragraph.key or paragraph.name
            entering = [v for v in p.verdicts if key in v.paragraphs]
            verdict = "not reached" if not entering else (
                "equivalent" if all(v.equivalent for v in entering) else
                f"{sum(not v.equivalent for v in entering)} differ")
            span = f"{paragraph.file}:{paragraph.line}-" \
                f"{max(paragraph.line, paragraph.end_line or paragraph.line)}"
            function = by_lines.get(span, "")
            lines.append(f"| {md_text(key)} | {md_text(paragraph.file)}:{paragraph.line}-"
                         f"{paragraph.end_line or paragraph.line} | {md_code(function)} | "
                         f"{len(entering)} | {verdict} |")
    return "\n".join(lines) + "\n"
