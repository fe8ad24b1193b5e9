"""Read JCL jobs: the steps, the programs they run and their DD datasets."""

from __future__ import annotations

import re

from .model import JclDD, JclJob, JclStep

_STATEMENT = re.compile(r"^//(\S*)\s+(JOB|EXEC|DD|PROC|PEND|SET|INCLUDE|JCLLIB)\b\s*(.*)$", re.I)
_PARAM = re.compile(r"([A-Z@#$][A-Z0-9@#$.]*)=('(?:[^']|'')*'|\([^)]*\)|[^,\s]+)", re.I)


def _logical_statements(text: str) -> list[tuple[int, str]]:
    """(line, text) per JCL statement, continuation lines (operand ending in a comma) joined."""
    out: list[tuple[int, str]] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()[:72]
        if not line.startswith("//") or line.startswith("//*"):
            continue
        if out and out[-1][1].rstrip().endswith(",") and re.match(r"^//\s+\S", line):
            out[-1] = (out[-1][0], out[-1][1].rstrip() + line[2:].strip())
            continue
        out.append((number, line))
    return out


def parse_jcl(text: str, path: str) -> JclJob | None:
    job_name = None
    job_line = 1
    steps: list[JclStep] = []
    dds: list[JclDD] = []
    for number, statement in _logical_statements(text):
        match = _STATEMENT.match(statement)
        if not match:
            continue
        name, verb, operands = match.group(1), match.group(2).upper(), match.group(3)
        operands = operands.split(" ", 1)[0]  # text after the operands is a comment
        params = {k.upper(): v for k, v in _PARAM.findall(operands)}
        if verb == "JOB" and job_name is None:
            job_name, job_line = name.upper(), number
        elif verb == "EXEC":
            if steps:
                steps[-1] = steps[-1].model_copy(update={"dds": tuple(dds)})
            dds = []
            program = params.get("PGM")
            proc = params.get("PROC") or (None if program else operands.split(",")[0] or None)
            steps.append(JclStep(name=name.upper() or f"STEP{len(steps) + 1}",
                                 program=program.upper() if program else None,
                                 proc=proc.upper() if proc else None,
                                 parm=params.get("PARM", "").strip("'") or None,
                                 file=path, line=number))
        elif verb == "DD" and steps:
            dd_name = name.upper() or (dds[-1].name if dds else "")
            dds.append(JclDD(name=dd_name, dsn=params.get("DSN") or params.get("DSNAME"),
                             disp=params.get("DISP"), sysout=params.get("SYSOUT"),
                             file=path, line=number))
    if steps:
        steps[-1] = steps[-1].model_copy(update={"dds": tuple(dds)})
    if job_name is None and not steps:
        return None
    job_name = job_name or path.rsplit("/", 1)[-1].split(".")[0].upper()
    return JclJob(id=f"jcl:{job_name}", name=job_name, path=path, steps=tuple(steps),
                  file=path, line=job_line)
