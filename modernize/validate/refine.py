"""The LLM refactoring pass: a model proposes a more idiomatic version of a translated module.

The deterministic translation is the reference. ``refine_module`` asks the model (prompt
``translate.refine``, through the structured-generation layer, so every answer is cached and
every attempt audited in the ledger like the specifications) for a rewrite of the whole module,
or of one function of it, and judges each proposal in two steps:

1. **Static checks, without running anything**: ``codecheck.check_module`` (syntax, its
   allow-lists of imports, builtins, names and attributes, provenance on every function), no
   import of a module the deterministic module does not import, and provenance kept: every
   ``Source: <model id> <path>:<first>-<last>`` line of the deterministic module still stated
   by some function, none invented (for one function: exactly its own lines).
2. **The equivalence run**: the caller's ``Check``, usually ``equivalence_check``, which runs
   the proposal in the sandbox on every scenario and compares it with the legacy COBOL run.

A rejected proposal goes back to the model, in the prompt's ``context``, as a diff against the
deterministic module with the reason (the check problems, or the scenario and the first
difference the comparison found) for at most ``max_repairs`` more attempts; when none is
accepted the deterministic source stands. Each attempt is a fresh single-turn request, so an
unchanged re-run replays every attempt from the ledger's cache without calling the model (the
checks run again; they are deterministic). In the audit log an accepted proposal is ``ok``, a
rejected one ``unverified`` with the reason in ``error``, an answer that did not parse ``error``.
"""

from __future__ import annotations

import ast
import difflib
import hashlib
import logging
import re
import tempfile
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from ..core.errors import ModernizeError
from ..core.model import Program
from ..llm import GenerationError, Ledger, Provider, generate, load_prompt
from ..translate.codecheck import (
    DEFAULT_ALLOWED,
    CheckReport,
    ImportTable,
    Provenance,
    check_module,
)
from .harness.compare import compare
from .harness.legacy import Build, RunResult, RunTimeoutError, Scenario, run
from .harness.python import run_python

log = logging.getLogger(__name__)

PROMPT_ID = "translate.refine"
MAX_DIFF_LINES = 200
"""Lines of the rejected proposal's diff sent back to the model."""
STDERR_TAIL_LINES = 12
"""Last lines of a crashed proposal's standard error quoted in the failure."""

Check = Callable[[str], str | None]
"""Given a module's source: None when it is acceptable, else the reason (what failed, where)."""

REFERENCE_PART = "The deterministic translation (the behaviour to keep)"
PREVIOUS_PART = "Your previous proposal, as a diff against the deterministic translation"
REJECTION_PART = "Why that proposal was rejected"
"""The titles of the parts of the prompt's ``context``, in the order they are shown."""

_FENCED = re.compile(r"^```[a-zA-Z]*[ \t]*\n(.*?)\n?```\s*$", re.DOTALL)
_RUN_FOLDER = re.compile(r"\S*/pyrun-[^/\s]*/run/")


class RefineError(ModernizeError):
    """The refactoring pass cannot start: the deterministic module fails its own checks, or
    the function to refine is not in it."""


class Proposal(BaseModel):
    """The model's answer (output model of the ``translate.refine`` prompt)."""

    source: str
    changes: str = ""


@dataclass(frozen=True)
class Attempt:
    """One proposal and its verdict; ``source_sha256`` is the sha256 of the module that was
    judged (empty when the answer held no usable source)."""

    number: int
    accepted: bool
    reason: str
    source_sha256: str


@dataclass(frozen=True)
class Refinement:
    """The outcome: ``source`` is the accepted proposal, or the deterministic source when every
    attempt failed."""

    program: str
    accepted: bool
    source: str
    attempts: tuple[Attempt, ...]


# --------------------------------------------------------------------------- static checks


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _unfence(text: str) -> str:
    """The code of an answer, without a Markdown fence around it, ending in one newline."""
    body = text.strip("\n")
    if fenced := _FENCED.match(body.strip()):
        body = fenced.group(1)
    return body.rstrip() + "\n"


def _imported(tree: ast.Module) -> set[str]:
    """Every module an absolute import names (``import a.b`` / ``from a.b import c``)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def _find_function(tree: ast.Module, name: str) -> ast.FunctionDef | None:
    """The module-level function ``name``, or the method ``Class.method`` of a module-level
    class (the names ``codecheck`` reports provenance under)."""
    body: list[ast.stmt] = tree.body
    owner, _, method = name.rpartition(".")
    if owner:
        classes = [node for node in body if isinstance(node, ast.ClassDef) and node.name == owner]
        if not classes or "." in owner:
            return None
        body = classes[-1].body
    found = [node for node in body if isinstance(node, ast.FunctionDef) and node.name == method]
    return found[-1] if found else None  # the definition Python keeps


def _splice(module: str, name: str, answer: str) -> tuple[str | None, str | None]:
    """(``module`` with function ``name`` replaced by the answer's definition, None) or
    (None, why the answer is not one definition of ``name``)."""
    text = textwrap.dedent(answer)
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        return None, f"the answer does not parse: {exc.msg} (line {exc.lineno})"
    short = name.rpartition(".")[2]
    only = tree.body[0] if len(tree.body) == 1 else None
    if not isinstance(only, ast.FunctionDef) or only.name != short:
        held = ", ".join(getattr(node, "name", type(node).__name__) for node in tree.body)
        return None, (f"the answer must be the definition of {short} and nothing else; it "
                      f"holds: {held or 'nothing'}")
    original = _find_function(ast.parse(module), name)
    assert original is not None and original.end_lineno is not None  # checked by the caller
    first = min([original.lineno, *(d.lineno for d in original.decorator_list)])
    lines = module.splitlines(keepends=True)
    text = textwrap.indent(text, " " * original.col_offset)
    return "".join(lines[:first - 1]) + text + "".join(lines[original.end_lineno:]), None


def _all_provenance(report: CheckReport) -> set[Provenance]:
    return {p for stated in report.provenance.values() for p in stated}


class _StaticRules:
    """The static checks of a proposal against the deterministic module."""

    def __init__(self, deterministic: str, baseline: CheckReport, function: str | None,
                 allowed_imports: ImportTable) -> None:
        self.deterministic = deterministic
        self.function = function
        self.allowed_imports = allowed_imports
        self.imports = _imported(ast.parse(deterministic)) | {"__future__"}
        self.provenance = (set(baseline.provenance[function]) if function
                           else _all_provenance(baseline))

    def _import_allowed(self, module: str) -> bool:
        return any(module == known or module.startswith(known + ".") for known in self.imports)

    def problems(self, candidate: str) -> list[str]:
        """What is wrong with ``candidate`` (a whole module), without running it."""
        report = check_module(candidate, allowed_imports=self.allowed_imports)
        problems = [p.describe() for p in report.problems]
        if any(p.code == "syntax-error" for p in report.problems):
            return problems
        try:
            imported = _imported(ast.parse(candidate))
        except SyntaxError as exc:  # libcst accepted what CPython does not
            return [*problems, f"line {exc.lineno}: [syntax-error] does not parse: {exc.msg}"]
        problems += [f"[new-import] import of {module} is not allowed: the deterministic "
                     "module does not import it"
                     for module in sorted(imported) if not self._import_allowed(module)]
        if self.function is not None:
            stated = set(report.provenance.get(self.function, []))
        else:
            stated = _all_provenance(report)
        problems += [f"[lost-provenance] no function states '{p.render()}' any more; keep it "
                     "in the docstring of the function that now does that work"
                     for p in sorted(self.provenance - stated, key=_order)]
        where = f"function {self.function}" if self.function else "the module"
        problems += [f"[invented-provenance] '{p.render()}' in {where} is not in the "
                     "deterministic module; state only the Source lines it has"
                     for p in sorted(stated - self.provenance, key=_order)]
        return problems


def _order(p: Provenance) -> tuple[str, int, str]:
    return p.path, p.first_line, p.model_id


# --------------------------------------------------------------------------- the loop


@dataclass
class _Verdict:
    candidate: str | None = None
    reason: str | None = None
    accepted: bool = False


class _Judge:
    """The ``validate`` hook of one generation: assembles the proposal, runs the static checks
    and then ``check``; remembers what it decided."""

    def __init__(self, rules: _StaticRules, check: Check) -> None:
        self.rules = rules
        self.check = check
        self.verdict = _Verdict()

    def __call__(self, proposal: Proposal) -> list[str]:
        self.verdict = verdict = _Verdict()
        deterministic, function = self.rules.deterministic, self.rules.function
        if function is None:
            verdict.candidate = _unfence(proposal.source)
        else:
            verdict.candidate, verdict.reason = _splice(deterministic, function,
                                                        _unfence(proposal.source))
            if verdict.candidate is None:
                return [verdict.reason or "no source"]
        if verdict.candidate == deterministic:
            verdict.accepted = True
            verdict.reason = "accepted: no change from the deterministic module"
            return []
        if problems := self.rules.problems(verdict.candidate):
            verdict.reason = ("rejected by the static checks (the proposal was not run):\n"
                              + "\n".join(f"- {problem}" for problem in problems))
            return [verdict.reason]
        if failure := self.check(verdict.candidate):
            verdict.reason = ("rejected by the equivalence check: it does not behave like the "
                              f"deterministic module.\n{failure}")
            return [verdict.reason]
        verdict.accepted = True
        verdict.reason = "accepted: passed the static checks and the equivalence check"
        return []


def _diff(deterministic: str, candidate: str) -> str:
    lines = list(difflib.unified_diff(deterministic.splitlines(), candidate.splitlines(),
                                      "deterministic.py", "proposal.py", lineterm=""))
    if len(lines) > MAX_DIFF_LINES:
        more = len(lines) - MAX_DIFF_LINES
        lines = [*lines[:MAX_DIFF_LINES], f"... ({more} more lines of diff)"]
    return "\n".join(lines)


def _scope(function: str | None) -> str:
    if function is None:
        return "the whole module; answer with the complete module"
    kind = "method" if "." in function else "function"
    return (f"only the {kind} `{function}`; answer with its complete definition (decorators, "
            "signature, docstring and body) and nothing else: the rest of the module stays "
            "exactly as it is")


def refine_module(program: str, deterministic: str, *, spec: str, provider: Provider,
                  ledger: Ledger | None, check: Check, max_repairs: int = 2,
                  function: str | None = None,
                  allowed_imports: ImportTable = DEFAULT_ALLOWED) -> Refinement:
    """Ask for an idiomatic version of ``deterministic`` and keep it only if it behaves the same.

    ``spec`` is the program's specification text (may be empty); ``check`` is the equivalence
    run (see ``equivalence_check``); ``function`` limits the rewrite to one module-level
    function or one method (``Class.method``) of a module-level class: the model answers with
    that definition only, which is spliced into the module in place of the old one;
    ``allowed_imports`` is the import table ``check_module`` allows (module → names; widen
    ``DEFAULT_ALLOWED`` with ``|``), for the deterministic module and every proposal. At most
    ``1 + max_repairs`` proposals are judged. Raises ``RefineError`` when the deterministic
    module fails its own static checks or lacks ``function``, and the LLM layer's
    ``ProviderError`` when the endpoint fails (the caller keeps the deterministic module then).
    """
    if max_repairs < 0:
        raise ValueError("max_repairs must be 0 or more")
    baseline = check_module(deterministic, allowed_imports=allowed_imports)
    if not baseline.ok:
        raise RefineError(f"the deterministic module of {program} fails the static checks, so "
                          "there is nothing safe to refine; fix the translation first:\n"
                          f"{baseline.describe()}")
    if function is not None and _find_function(ast.parse(deterministic), function) is None:
        raise RefineError(f"{program} has no module-level function or method {function!r} to "
                          "refine; give a function's name, or Class.method for a method")
    prompt = load_prompt(PROMPT_ID)
    judge = _Judge(_StaticRules(deterministic, baseline, function, allowed_imports), check)
    attempts: list[Attempt] = []
    context = {REFERENCE_PART: deterministic}
    total = max_repairs + 1
    for number in range(1, total + 1):
        inputs = {"program": program, "scope": _scope(function), "context": context,
                  "specs": spec}
        judge.verdict = _Verdict()
        try:
            generate(provider, prompt, inputs, Proposal, ledger, validate=judge, max_repairs=0)
            verdict = judge.verdict
        except GenerationError as exc:
            verdict = _Verdict(reason="rejected: the answer is not a JSON object with the "
                                      f"proposal in `source` ({'; '.join(exc.problems[:5])})")
        reason = verdict.reason or "rejected"
        candidate = verdict.candidate
        attempts.append(Attempt(number, verdict.accepted, reason,
                                _sha256(candidate) if candidate is not None else ""))
        log.info("%s: refinement attempt %d/%d %s", program, number, total,
                 reason.splitlines()[0])
        if verdict.accepted and candidate is not None:
            return Refinement(program, True, candidate, tuple(attempts))
        context = {REFERENCE_PART: deterministic}
        if candidate is not None:
            context[PREVIOUS_PART] = _diff(deterministic, candidate)
        context[REJECTION_PART] = reason
    log.info("%s: no proposal accepted in %d attempt(s); the deterministic module stands",
             program, total)
    return Refinement(program, False, deterministic, tuple(attempts))


# --------------------------------------------------------------------------- equivalence


def _tail(stderr: bytes, folder: str) -> str:
    text = stderr.decode("utf-8", errors="replace")
    for prefix in dict.fromkeys([str(Path(folder).resolve()), folder]):
        text = text.replace(prefix + "/", "")
    text = _RUN_FOLDER.sub("", text)
    return "\n".join(text.rstrip().splitlines()[-STDERR_TAIL_LINES:])


def equivalence_check(legacy: Build, scenarios: Sequence[Scenario], program: Program,
                      dd_names: Sequence[str] | None = None, *,
                      timeout_s: float = 30, companions: Sequence[Path] = ()) -> Check:
    """A ``Check`` that runs a module in the sandbox (``run_python``) on every scenario and
    compares each run with the legacy build's run of the same scenario.

    The legacy side runs once per scenario, the first time it is needed, and is reused.
    ``dd_names`` defaults to the build's. ``companions`` are modules copied next to the one
    judged, under their own names: the translated subprograms its CALLs load from its folder
    (one named like the module itself is left out). The check answers None when every scenario is
    equivalent, else the first failing scenario's name with the comparison's report (and the
    end of standard error when the return codes differ). Temporary paths are left out of that
    text, so the same proposal always gets the same answer (and repairs stay cacheable).
    """
    if not scenarios:
        raise ValueError("the equivalence check needs at least one scenario")
    names = tuple(legacy.dd_names if dd_names is None else dd_names)
    expected: dict[int, RunResult] = {}
    stem = re.sub(r"\W", "_", legacy.program.lower()) or "program"
    beside = {Path(c).name: Path(c).read_bytes() for c in companions
              if Path(c).name != f"{stem}.py"}

    def check(source: str) -> str | None:
        with tempfile.TemporaryDirectory(prefix=f"refine-{stem}-") as folder:
            path = Path(folder) / f"{stem}.py"
            path.write_text(source, encoding="utf-8")
            for name, data in beside.items():
                (Path(folder) / name).write_bytes(data)
            for index, scenario in enumerate(scenarios):
                if index not in expected:
                    expected[index] = run(legacy, scenario, timeout_s=timeout_s)
                want = expected[index]
                try:
                    got = run_python(path, scenario, names, legacy.program, timeout_s=timeout_s)
                except RunTimeoutError as exc:
                    return (f"scenario `{scenario.name}`: the module ran longer than "
                            f"{exc.timeout_s:g} s and was killed; the COBOL program ends "
                            f"(return code {want.returncode})")
                verdict = compare(want, got, program)
                if verdict.equivalent:
                    continue
                failure = f"scenario `{scenario.name}` differs:\n\n{verdict.report()}"
                if want.returncode != got.returncode and got.stderr.strip():
                    failure += ("\nEnd of the module's standard error:\n\n```\n"
                                f"{_tail(got.stderr, folder)}\n```\n")
                log.debug("%s: not equivalent on scenario %s", legacy.program, scenario.name)
                return failure
        return None

    return check
