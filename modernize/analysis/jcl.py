"""Read JCL: jobs, their steps, the programs the steps run, and the DD datasets.

What a modernization engineer needs from JCL is which program runs in which step, with which
datasets bound to which DD names. So beyond plain `EXEC PGM=`:

- operands are split on commas outside quotes and parentheses, and a statement continues on the
  next `//` line when its operands end with a comma (text after the operands is a comment);
- in-stream data (`DD *`, `DD DATA`) is kept, so that a TSO batch step (IKJEFT01) names the
  program of its `RUN PROGRAM(...)` card;
- procedures are expanded into their steps, named `STEP.PROCSTEP`, with `STEP.DD` overrides,
  `PARM` (first step) and `PARM.PROCSTEP` overrides, and procedures that run procedures. A
  procedure is found, in this order: in-stream (`PROC ... PEND` in the job's member); in the
  libraries of the job's `JCLLIB ORDER=(...)`, each a folder of the estate named like the data
  set (`CBSA.CICSBSA.BUILDJCL` or its last qualifier `BUILDJCL`, in any letter case); in the
  job's own folder (the library a job is submitted from is usually in its JCLLIB); in the
  `--proclib` folders; anywhere in the estate (a member whose first statement is `PROC`, or a
  `*.prc` / `*.proc` member, which is a procedure even without a PROC statement);
- symbolic parameters are substituted in the step's program, PARM and DD operands: `&NAME`
  and `&NAME.` (the period ends the name and goes: `&HLQ..LOAD` is `HLQ`'s value then `.LOAD`),
  with the values of the EXEC statement, else the PROC statement's defaults, else `SET`
  statements (those of the job and of the members it INCLUDEs); `&&TEMP` (a temporary data
  set) and a symbol nothing defines (`&SYSUID`) stay as written;
- `// INCLUDE MEMBER=name` brings in a member of the JCLLIB or --proclib libraries, in place.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from ..core.model import JclDD, JclJob, JclStep

log = logging.getLogger(__name__)

_TSO_BATCH = {"IKJEFT01", "IKJEFT1A", "IKJEFT1B"}
_RUN_PROGRAM = re.compile(r"\bRUN\s+PROGRAM\s*\(\s*([A-Z0-9@#$]+)\s*\)", re.IGNORECASE)
# the PARM of a TSO RUN card: PARM('…') (a quote inside doubled), after the program or before
_RUN_PARM = re.compile(r"\bPARMS?\s*\(\s*'((?:[^']|'')*)'\s*\)", re.IGNORECASE)
_NAME = re.compile(r"^//([A-Z@#$][A-Z0-9@#$]{0,7}(?:\.[A-Z@#$][A-Z0-9@#$]{0,7})?)?"
                   r"\s+(\S+)\s*(.*)$", re.IGNORECASE)
# a symbolic parameter: & and a name (not && of a temporary data set), its period included
_SYMBOL = re.compile(r"(?<!&)&([A-Z@#$][A-Z0-9@#$]*)(\.?)", re.IGNORECASE)
# what an EXEC statement says for itself; any other keyword of an EXEC of a procedure is a
# symbolic parameter
_EXEC_KEYWORDS = frozenset({
    "PGM", "PROC", "PARM", "PARMDD", "COND", "REGION", "REGIONX", "TIME", "ACCT", "ADDRSPC",
    "DPRTY", "DYNAMNBR", "PERFORM", "RD", "CCSID", "MEMLIMIT", "TVSMSG", "TVSAMCOM"})
MAX_NESTING = 15
"""Procedures running procedures, and INCLUDEs in INCLUDEd members, go this deep at most
(z/OS allows 15 levels); a deeper or circular chain is left unexpanded."""
MAX_INCLUDES = 100


@dataclass
class _Statement:
    line: int
    name: str
    verb: str
    operands: str
    instream: list[str] = field(default_factory=list)
    file: str = ""  # the member it stands in (an INCLUDEd one, or the member parsed)


def _operand_text(rest: str) -> str:
    """The operands of a statement: up to the first blank outside quotes."""
    quoted = False
    for index, char in enumerate(rest):
        if char == "'":
            quoted = not quoted
        elif char == " " and not quoted:
            return rest[:index]
    return rest


def split_operands(text: str) -> list[str]:
    """`PGM=X,PARM='A,B',DISP=(NEW,CATLG)` → ['PGM=X', "PARM='A,B'", 'DISP=(NEW,CATLG)']."""
    parts: list[str] = []
    depth, quoted, start = 0, False, 0
    for index, char in enumerate(text):
        if char == "'":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
        elif not quoted and depth == 0 and char == ",":
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return [p for p in parts if p]


def _statements(text: str, path: str = "") -> list[_Statement]:
    out: list[_Statement] = []
    continuing = False
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")[:72].rstrip()
        if line.startswith("//*"):
            continue
        if line.startswith("/*") or (line == "//" and not continuing):
            continuing = False
            continue
        if not line.startswith("//"):
            if out and out[-1].verb == "DD":
                out[-1].instream.append(line)  # in-stream data of the DD before it
            continue
        if continuing and out:
            out[-1].operands += _operand_text(line[2:].lstrip())
            continuing = out[-1].operands.endswith(",")
            continue
        match = _NAME.match(line)
        if not match:
            continue
        operands = _operand_text(match.group(3))
        out.append(_Statement(number, (match.group(1) or "").upper(), match.group(2).upper(),
                              operands, file=path))
        continuing = operands.endswith(",")
    return out


def _params(operands: str) -> tuple[list[str], dict[str, str]]:
    positional: list[str] = []
    keywords: dict[str, str] = {}
    for part in split_operands(operands):
        key, eq, value = part.partition("=")
        if eq and re.fullmatch(r"[A-Z@#$][A-Z0-9@#$.]*", key, re.IGNORECASE):
            keywords[key.upper()] = value
        else:
            positional.append(part)
    return positional, keywords


def substitute(text: str | None, symbols: Mapping[str, str]) -> str | None:
    """``text`` with each symbolic parameter ``symbols`` defines replaced by its value
    (``&HLQ..LOAD`` with HLQ=PROD is ``PROD.LOAD``); ``&&TEMP`` and undefined symbols stay."""
    if text is None or "&" not in text or not symbols:
        return text

    def value(match: re.Match[str]) -> str:
        name = match.group(1).upper()
        return symbols[name] if name in symbols and len(name) <= 8 else match.group(0)

    return _SYMBOL.sub(value, text)


@dataclass
class _Call:
    """What an EXEC of a procedure says beside its name: symbolic parameters, and PARM
    overrides (key ``""`` for PARM=, the procedure step's name for PARM.step=)."""

    symbols: dict[str, str] = field(default_factory=dict)
    parms: dict[str, str] = field(default_factory=dict)


@dataclass
class Procedure:
    """A procedure: its steps as written, the defaults of its PROC statement and, per step,
    what the step's EXEC gives a procedure it runs."""

    name: str
    path: str
    steps: list[JclStep] = field(default_factory=list)
    defaults: dict[str, str] = field(default_factory=dict)
    calls: list[_Call] = field(default_factory=list)


@dataclass
class JclMember:
    """What one JCL file defines: a job, and procedures other jobs may run.

    ``procs`` is each procedure's steps as written (``procedures`` has the rest of what a
    procedure says); ``symbols`` the job's SET values; ``jcllib`` its JCLLIB ORDER data
    sets; ``calls`` what each job step's EXEC gives the procedure it runs."""

    job: JclJob | None
    procs: dict[str, list[JclStep]]
    path: str = ""
    procedures: dict[str, Procedure] = field(default_factory=dict)
    symbols: dict[str, str] = field(default_factory=dict)
    jcllib: list[str] = field(default_factory=list)
    calls: list[_Call] = field(default_factory=list)


Include = Callable[[str, Sequence[str]], "tuple[str, str] | None"]
"""``include(member, jcllib)``: (path, text) of the member an INCLUDE names, or None."""


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _library_names(value: str) -> list[str]:
    """`(A.B,C.D)` or `A.B` → ['A.B', 'C.D']."""
    return [name.strip().strip("'").upper() for name in split_operands(value.strip("()"))]


def parse_jcl(text: str, path: str, include: Include | None = None) -> JclMember:
    """The job and procedures of one member; ``include`` finds INCLUDEd members."""
    job_name: str | None = None
    job_line = 1
    member = JclMember(job=None, procs={}, path=path)
    steps: list[JclStep] = []
    proc: Procedure | None = None  # inside PROC ... PEND (or a cataloged procedure member)
    pending = _statements(text, path)
    includes = 0
    while pending:
        stmt = pending.pop(0)
        positional, keywords = _params(stmt.operands)
        target = proc.steps if proc is not None else steps
        calls = proc.calls if proc is not None else member.calls
        if stmt.verb == "JOB" and job_name is None:
            job_name, job_line = stmt.name, stmt.line
        elif stmt.verb == "JCLLIB":
            member.jcllib += _library_names(keywords.get("ORDER", ""))
        elif stmt.verb == "SET":
            member.symbols.update(keywords)
        elif stmt.verb == "INCLUDE" and include is not None and "MEMBER" in keywords:
            name = keywords["MEMBER"].strip("'").upper()
            found = include(name, [*member.jcllib, f"./{_folder(path)}"]) \
                if includes < MAX_INCLUDES else None
            includes += 1
            if found is not None:
                pending[:0] = _statements(found[1], found[0])
            else:
                log.info("%s:%d: INCLUDE MEMBER=%s not found", stmt.file, stmt.line, name)
        elif stmt.verb == "PROC":
            name = stmt.name or stmt.file.rsplit("/", 1)[-1].split(".")[0].upper()
            proc = Procedure(name, stmt.file, defaults=keywords)
            member.procedures[name] = proc
            member.procs[name] = proc.steps
        elif stmt.verb == "PEND":
            proc = None
        elif stmt.verb == "EXEC":
            program = keywords.get("PGM")
            called = keywords.get("PROC") or (positional[0] if positional and not program
                                              else None)
            parm = keywords.get("PARM")
            target.append(JclStep(
                name=stmt.name or f"STEP{len(target) + 1}",
                program=program.upper() if program else None,
                proc=called.upper() if called else None,
                parm=parm.strip("'") if parm else None, file=stmt.file, line=stmt.line))
            calls.append(_Call(
                symbols={k: v for k, v in keywords.items()
                         if k not in _EXEC_KEYWORDS and "." not in k},
                parms={k.partition(".")[2]: v for k, v in keywords.items()
                       if k == "PARM" or k.startswith("PARM.")}))
        elif stmt.verb == "DD" and target:
            step = target[-1]
            previous = step.dds[-1].name if step.dds else ""
            dd = JclDD(name=stmt.name or previous,  # a nameless DD concatenates to the one above
                       dsn=keywords.get("DSN") or keywords.get("DSNAME"),
                       disp=keywords.get("DISP"), sysout=keywords.get("SYSOUT"),
                       instream=positional[:1] == ["*"] or positional[:1] == ["DATA"],
                       file=stmt.file, line=stmt.line)
            step = step.model_copy(update={"dds": (*step.dds, dd)})
            if step.program in _TSO_BATCH and dd.name == "SYSTSIN":
                cards = " ".join(stmt.instream)
                run = _RUN_PROGRAM.search(cards)
                if run:  # TSO batch runs a DB2 program: that program is what the step runs
                    parm = _RUN_PARM.search(cards)
                    step = step.model_copy(update={
                        "program": run.group(1).upper(), "utility": step.program,
                        "parm": parm.group(1).replace("''", "'") if parm else step.parm})
            target[-1] = step
    if job_name is not None or steps:
        name = job_name or path.rsplit("/", 1)[-1].split(".")[0].upper()
        member.job = JclJob(id=f"jcl:{name}", name=name, path=path, steps=tuple(steps),
                            file=path, line=job_line)
    return member


def as_procedure(member: JclMember, name: str, path: str) -> Procedure | None:
    """The procedure a member of a procedure library is: the one it defines under ``name``,
    else its only one, else its steps (a cataloged procedure needs no PROC statement)."""
    if name in member.procedures:
        return member.procedures[name]
    if len(member.procedures) == 1:
        return next(iter(member.procedures.values()))
    if member.job is not None and member.job.steps and not member.procedures:
        return Procedure(name, path, steps=list(member.job.steps),
                         defaults=dict(member.symbols), calls=list(member.calls))
    return None


@dataclass(frozen=True)
class LibraryMember:
    """A member of a procedure library: the path facts name, and how to read its text."""

    path: str
    read: Callable[[], str]


class ProcLibrary:
    """Where EXEC finds a procedure and INCLUDE a member (see the module docstring).

    ``libraries`` maps a folder of the estate (its path) to its members by name (upper case,
    no extension): what ``JCLLIB ORDER=`` data sets name, by the folder's name (the whole
    data set name or its last qualifier, any letter case); a library written ``./path`` is
    the folder at that path (a job's own folder). ``proclibs`` are the --proclib folders'
    members, searched after them; ``procedures`` the procedures defined anywhere in the
    estate, searched last.
    """

    def __init__(self, libraries: Mapping[str, Mapping[str, LibraryMember]] | None = None,
                 proclibs: Sequence[Mapping[str, LibraryMember]] = (),
                 procedures: Mapping[str, Procedure] | None = None) -> None:
        self.libraries = {k: dict(v) for k, v in (libraries or {}).items()}
        self._by_name: dict[str, list[str]] = {}
        for folder in sorted(self.libraries):
            self._by_name.setdefault(folder.rsplit("/", 1)[-1].upper(), []).append(folder)
        self.proclibs = [dict(p) for p in proclibs]
        self.procedures: dict[str, Procedure] = dict(procedures or {})
        self._parsed: dict[str, JclMember | None] = {}

    def add(self, member: JclMember) -> None:
        """Procedures a member of the estate defines: found when nothing before has them."""
        for name, procedure in member.procedures.items():
            self.procedures.setdefault(name, procedure)

    def member(self, name: str, jcllib: Sequence[str]) -> LibraryMember | None:
        name = name.upper()
        for dsn in jcllib:
            if dsn.startswith("./"):
                folders = [dsn[2:]]
            else:
                folders = [folder for key in dict.fromkeys((dsn.upper(),
                                                            dsn.upper().rsplit(".", 1)[-1]))
                           for folder in self._by_name.get(key, [])]
            for folder in folders:
                found = self.libraries.get(folder, {}).get(name)
                if found is not None:
                    return found
        for members in self.proclibs:
            if name in members:
                return members[name]
        return None

    def _text(self, member: LibraryMember) -> str | None:
        try:
            return member.read()
        except (OSError, ValueError) as exc:
            log.warning("%s: not read: %s", member.path, exc)
            return None

    def include(self, name: str, jcllib: Sequence[str]) -> tuple[str, str] | None:
        member = self.member(name, jcllib)
        text = self._text(member) if member is not None else None
        return (member.path, text) if member is not None and text is not None else None

    def procedure(self, name: str, jcllib: Sequence[str]) -> Procedure | None:
        name = name.upper()
        member = self.member(name, jcllib)
        if member is not None:
            if member.path not in self._parsed:
                text = self._text(member)
                self._parsed[member.path] = None if text is None else parse_jcl(
                    text, member.path, include=self.include)
            parsed = self._parsed[member.path]
            found = as_procedure(parsed, name, member.path) if parsed is not None else None
            if found is not None:
                return found
        return self.procedures.get(name)


def expand_job(member: JclMember, library: ProcLibrary | None = None) -> JclJob | None:
    """The member's job with every step that runs a procedure replaced by the procedure's
    steps (symbolic parameters substituted, overrides applied), and the job's SET symbols
    substituted in its own steps."""
    if member.job is None:
        return None
    library = library or ProcLibrary()
    steps: list[JclStep] = []
    calls = member.calls or [_Call() for _ in member.job.steps]
    for step, call in zip(member.job.steps, calls, strict=False):
        steps += _expand_step(step, call, member.symbols, member, library, ())
    return member.job.model_copy(update={"steps": tuple(steps)})


def _expand_step(step: JclStep, call: _Call, symbols: Mapping[str, str], member: JclMember,
                 library: ProcLibrary, chain: tuple[str, ...]) -> list[JclStep]:
    if step.program is not None or not step.proc:
        return [_substituted(step, symbols)]
    name = (substitute(step.proc, symbols) or "").upper()
    procedure = member.procedures.get(name) or library.procedure(
        name, [*member.jcllib, f"./{_folder(member.path)}"])
    if procedure is None or name in chain or len(chain) >= MAX_NESTING:
        return [_substituted(step, symbols)]
    given = {k: substitute(v, symbols) or "" for k, v in call.symbols.items()}
    inner_symbols = {**symbols, **procedure.defaults, **given}
    out: list[JclStep] = []
    inner_calls = procedure.calls or [_Call() for _ in procedure.steps]
    for index, (inner, inner_call) in enumerate(zip(procedure.steps, inner_calls,
                                                    strict=False)):
        overrides = {dd.name.split(".", 1)[1]: dd for dd in step.dds
                     if dd.name.startswith(f"{inner.name}.")}
        if index == 0:
            overrides.update({dd.name: dd for dd in step.dds if "." not in dd.name})
        dds = [overrides.pop(dd.name, dd) for dd in inner.dds] + list(overrides.values())
        parm = inner.parm
        if inner.name in call.parms:
            parm = call.parms[inner.name].strip("'")
        elif "" in call.parms:  # PARM= of the EXEC: the first step's, the others' go
            parm = call.parms[""].strip("'") if index == 0 else None
        updated = inner.model_copy(update={
            "name": f"{step.name}.{inner.name}", "parm": parm,
            "proc": inner.proc if inner.program is None and inner.proc else name,
            "dds": tuple(dd.model_copy(update={"name": dd.name.split(".")[-1]})
                         for dd in dds)})
        out += _expand_step(updated, inner_call, inner_symbols, member, library,
                            (*chain, name))
    return out


def _substituted(step: JclStep, symbols: Mapping[str, str]) -> JclStep:
    """The step with symbolic parameters replaced in its program, PARM and DDs."""
    if not symbols:
        return step
    program = substitute(step.program, symbols)
    parm = substitute(step.parm, symbols)
    return step.model_copy(update={
        "program": program.upper() if program else program,
        "parm": parm.strip("'") if parm else parm,
        "dds": tuple(dd.model_copy(update={"dsn": substitute(dd.dsn, symbols),
                                           "disp": substitute(dd.disp, symbols),
                                           "sysout": substitute(dd.sysout, symbols)})
                     for dd in step.dds)})


def expand_procs(job: JclJob, procs: dict[str, list[JclStep]]) -> JclJob:
    """A step that runs a procedure becomes the procedure's steps (`STEP.PROCSTEP`), with the
    step's `PROCSTEP.DD` overrides (and unqualified DDs, for the first procedure step). Only
    the steps are known here: :func:`expand_job` also substitutes symbolic parameters."""
    library = ProcLibrary(procedures={name: Procedure(name, "", steps=list(steps))
                                      for name, steps in procs.items()})
    return expand_job(JclMember(job=job, procs={}), library) or job
