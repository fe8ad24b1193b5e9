"""Read JCL: jobs, their steps, the programs the steps run, and the DD datasets.

What a modernization engineer needs from JCL is which program runs in which step, with which
datasets bound to which DD names. So beyond plain `EXEC PGM=`:

- operands are split on commas outside quotes and parentheses, and a statement continues on the
  next `//` line when its operands end with a comma (text after the operands is a comment);
- in-stream data (`DD *`, `DD DATA`) is kept, so that a TSO batch step (IKJEFT01) names the
  program of its `RUN PROGRAM(...)` card;
- procedures (in-stream `PROC ... PEND`, or a member of the repo whose first statement is
  `PROC`) are expanded into their steps, named `STEP.PROCSTEP`, with `STEP.DD` overrides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import JclDD, JclJob, JclStep

_TSO_BATCH = {"IKJEFT01", "IKJEFT1A", "IKJEFT1B"}
_RUN_PROGRAM = re.compile(r"\bRUN\s+PROGRAM\s*\(\s*([A-Z0-9@#$]+)\s*\)", re.IGNORECASE)
_NAME = re.compile(r"^//([A-Z@#$][A-Z0-9@#$]{0,7}(?:\.[A-Z@#$][A-Z0-9@#$]{0,7})?)?"
                   r"\s+(\S+)\s*(.*)$", re.IGNORECASE)


@dataclass
class _Statement:
    line: int
    name: str
    verb: str
    operands: str
    instream: list[str] = field(default_factory=list)


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


def _statements(text: str) -> list[_Statement]:
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
                              operands))
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


@dataclass
class JclMember:
    """What one JCL file defines: a job, and procedures other jobs may run."""

    job: JclJob | None
    procs: dict[str, list[JclStep]]


def parse_jcl(text: str, path: str) -> JclMember:
    job_name: str | None = None
    job_line = 1
    steps: list[JclStep] = []
    procs: dict[str, list[JclStep]] = {}
    proc_name: str | None = None  # inside PROC ... PEND (or a cataloged procedure member)
    target = steps
    for stmt in _statements(text):
        positional, keywords = _params(stmt.operands)
        if stmt.verb == "JOB" and job_name is None:
            job_name, job_line = stmt.name, stmt.line
        elif stmt.verb == "PROC":
            proc_name = stmt.name or path.rsplit("/", 1)[-1].split(".")[0].upper()
            target = procs.setdefault(proc_name, [])
        elif stmt.verb == "PEND":
            proc_name, target = None, steps
        elif stmt.verb == "EXEC":
            program = keywords.get("PGM")
            proc = keywords.get("PROC") or (positional[0] if positional and not program
                                            else None)
            parm = keywords.get("PARM")
            target.append(JclStep(
                name=stmt.name or f"STEP{len(target) + 1}",
                program=program.upper() if program else None,
                proc=proc.upper() if proc else None,
                parm=parm.strip("'") if parm else None, file=path, line=stmt.line))
        elif stmt.verb == "DD" and target:
            step = target[-1]
            previous = step.dds[-1].name if step.dds else ""
            dd = JclDD(name=stmt.name or previous,  # a nameless DD concatenates to the one above
                       dsn=keywords.get("DSN") or keywords.get("DSNAME"),
                       disp=keywords.get("DISP"), sysout=keywords.get("SYSOUT"),
                       instream=positional[:1] == ["*"] or positional[:1] == ["DATA"],
                       file=path, line=stmt.line)
            step = step.model_copy(update={"dds": (*step.dds, dd)})
            if step.program in _TSO_BATCH and dd.name == "SYSTSIN":
                run = _RUN_PROGRAM.search(" ".join(stmt.instream))
                if run:  # TSO batch runs a DB2 program: that program is what the step runs
                    step = step.model_copy(update={"program": run.group(1).upper(),
                                                   "utility": step.program})
            target[-1] = step
    job = None
    if job_name is not None or steps:
        name = job_name or path.rsplit("/", 1)[-1].split(".")[0].upper()
        job = JclJob(id=f"jcl:{name}", name=name, path=path, steps=tuple(steps), file=path,
                     line=job_line)
    return JclMember(job, procs)


def expand_procs(job: JclJob, procs: dict[str, list[JclStep]]) -> JclJob:
    """A step that runs a procedure becomes the procedure's steps (`STEP.PROCSTEP`), with the
    step's `PROCSTEP.DD` overrides (and unqualified DDs, for the first procedure step)."""
    steps: list[JclStep] = []
    for step in job.steps:
        body = procs.get(step.proc or "") if step.program is None else None
        if not body:
            steps.append(step)
            continue
        for index, inner in enumerate(body):
            overrides = {dd.name.split(".", 1)[1]: dd for dd in step.dds
                         if dd.name.startswith(f"{inner.name}.")}
            if index == 0:
                overrides.update({dd.name: dd for dd in step.dds if "." not in dd.name})
            dds = [overrides.pop(dd.name, dd) for dd in inner.dds] + list(overrides.values())
            steps.append(inner.model_copy(update={
                "name": f"{step.name}.{inner.name}", "proc": step.proc,
                "dds": tuple(dd.model_copy(update={"name": dd.name.split(".")[-1]})
                             for dd in dds)}))
    return job.model_copy(update={"steps": tuple(steps)})
