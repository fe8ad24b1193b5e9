"""A synthetic estate of any size, built directly as model objects (no COBOL text).

For benchmarks and browser tests of the views on estates far larger than the samples: programs
in subsystems of about 50, each subsystem run by one JCL job (every program a step), 3-12
paragraphs per program (PERFORMs, a PERFORM THRU with its GO TO ... -EXIT, now and then an
unreachable paragraph), CALLs mostly within the subsystem, some across, some to programs outside
the estate and a few unresolved dynamic ones, files whose DD names several programs share, and
a few SQL tables. The same ``seed`` gives the same estate.
"""

from __future__ import annotations

import hashlib
import random

from ..core.model import (
    Call,
    Estate,
    FileDef,
    FileKind,
    FileOp,
    GoTo,
    Inventory,
    JclDD,
    JclJob,
    JclStep,
    LineCounts,
    Paragraph,
    Perform,
    Program,
    SourceFile,
    SqlStatement,
)

SUBSYSTEM_SIZE = 50
EXTERNAL = ("CEE3ABD", "DSNTIAR", "ILBOABN0", "CBLTDLI", "MQPUT", "MQGET", "IGZEBST")
TABLES = ("CUSTOMER", "ACCOUNT", "CARD", "TRANSACT", "BRANCH", "RATE", "LEDGER", "AUDITLOG")
GLOBAL_DDS = ("CUSTMAST", "ACCTMAST", "CARDMAST", "RATETBL", "RUNCTL", "SYSPARM")
WORDS = ("READ-INPUT", "VALIDATE", "EDIT-FIELDS", "APPLY-RATES", "POST-ENTRY", "UPDATE-MASTER",
         "WRITE-REPORT", "CHECK-LIMITS", "BUILD-KEY", "LOOKUP-TABLE", "ACCUMULATE", "FORMAT-LINE",
         "ROUND-AMOUNT", "LOG-ERROR", "CLOSE-FILES")
SQL_CRUD = {"SELECT": "R", "INSERT": "C", "UPDATE": "U", "DELETE": "D"}
_OP_CRUD = (("INPUT", "READ"), ("OUTPUT", "WRITE"), ("I-O", "REWRITE"))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _paragraphs(rng: random.Random, pid: str, path: str) -> tuple[list[Paragraph], list[Perform],
                                                                 list[GoTo], int]:
    """Main line, performed paragraphs, one PERFORM THRU range with a GO TO to its exit, and
    sometimes a dead paragraph at the end. Returns the paragraphs, PERFORMs, GO TOs and lines."""
    count = rng.randint(3, 12)
    names = ["0000-MAIN"] + [f"{1000 * (i % 9 + 1) + 10 * i:04d}-{rng.choice(WORDS)}"
                             for i in range(1, count)]
    thru = count >= 5 and rng.random() < 0.7  # ... PERFORM X THRU X-EXIT with GO TO X-EXIT
    if thru:
        names[2] = names[1][:4] + "-EXIT"
    dead = count >= 4 and rng.random() < 0.15
    line, paras, performs, gotos = 40, [], [], []
    for index, name in enumerate(names):
        length = rng.randint(4, 40)
        ends = "GOBACK" if index == 0 else None
        paras.append(Paragraph(id=f"{pid}/para:{name}", name=name, key=name, file=path, line=line,
                               end_line=line + length - 1, statements=length // 2,
                               ends_with=ends))
        line += length
    main = names[0]
    last = len(names) - 1 if dead else len(names)
    for index in range(1, last):
        if thru and index == 2:
            continue
        callers = [n for n in names[1:index] if not n.endswith("-EXIT")]
        caller = main if index < 4 or rng.random() < 0.6 else rng.choice(callers)
        if thru and index == 1:
            performs.append(Perform(paragraph=main, target=names[1], thru=names[2], kind="once",
                                    file=path, line=paras[0].line + 1))
            gotos.append(GoTo(paragraph=names[1], targets=(names[2],), conditional=True,
                              file=path, line=paras[1].line + 2))
            continue
        kind = rng.choice(("once", "once", "until", "varying"))
        source = next(p for p in paras if p.name == caller)
        performs.append(Perform(paragraph=caller, target=names[index], kind=kind, file=path,
                                line=source.line + 1 + index % 3,
                                condition="WS-EOF = 'Y'" if kind == "until" else None))
    if (not thru or rng.random() < 0.3) and last > 1:  # a GO TO back to itself: a retry loop
        at = rng.choice([i for i in range(1, last) if not names[i].endswith("-EXIT")])
        gotos.append(GoTo(paragraph=names[at], targets=(names[at],), conditional=True,
                          file=path, line=paras[at].line + 3))
    return paras, performs, gotos, line + 5


def synthetic_estate(programs: int = 2000, seed: int = 0) -> Estate:
    """An estate of ``programs`` programs in subsystems of about 50, one job per subsystem."""
    rng = random.Random(seed)
    subsystems = max(1, round(programs / SUBSYSTEM_SIZE))
    names = [f"PGM{i + 1:04d}" for i in range(programs)]
    members = [names[s * programs // subsystems:(s + 1) * programs // subsystems]
               for s in range(subsystems)]
    built: list[Program] = []
    files: list[SourceFile] = []
    for s, group in enumerate(members):
        local_dds = [f"S{s + 1:02d}DD{d:02d}" for d in range(8)]
        for name in group:
            pid, path = f"cobol:{name}", f"src/SS{s + 1:02d}/{name}.cbl"
            paras, performs, gotos, lines = _paragraphs(rng, pid, path)
            calls = []
            for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 4))):
                para, roll = rng.choice(paras), rng.random()
                if roll < 0.02:
                    target, kind, via = None, "dynamic", "WS-PGM-NAME"
                elif roll < 0.08:
                    target, kind, via = rng.choice(EXTERNAL), "static", None
                else:
                    pool = members[rng.randrange(subsystems)] if roll < 0.18 else group
                    target = rng.choice(pool)
                    kind, via = ("dynamic", "WS-SUBPGM") if rng.random() < 0.2 else \
                        ("static", None)
                calls.append(Call(target=target, kind=kind, via=via, paragraph=para.key,
                                  file=path, line=para.line + 1))
            fdefs, ops = [], []
            for f, dd in enumerate(rng.sample(local_dds, rng.randint(1, 3)) +
                                   rng.sample(GLOBAL_DDS, rng.randint(0, 1))):
                fname = f"FILE-{f + 1}"
                fdefs.append(FileDef(id=f"{pid}/file:{fname}", name=fname, assign=dd, dd_name=dd,
                                     file=path, line=10 + f))
                mode, verb = rng.choice(_OP_CRUD)
                for op, op_mode in (("OPEN", mode), (verb, None)):
                    ops.append(FileOp(paragraph=paras[-1 if op != "OPEN" else 0].key, verb=op,
                                      file_name=fname, mode=op_mode, file=path, line=lines))
            sql = []
            if rng.random() < 0.15:
                for table in rng.sample(TABLES, rng.randint(1, 2)):
                    verb = rng.choice(tuple(SQL_CRUD))
                    sql.append(SqlStatement(paragraph=paras[-1].key, verb=verb, tables=(table,),
                                            crud=(SQL_CRUD[verb],), file=path, line=lines,
                                            text=f"{verb} ... {table}"))
            digest = _digest(f"{seed}:{name}")
            built.append(Program(
                id=pid, name=name, path=path, kind="subprogram" if rng.random() < 0.2 else "batch",
                lines=lines, sha256=digest, procedures=tuple(p.key for p in paras),
                paragraphs=tuple(paras), files=tuple(fdefs), calls=tuple(calls),
                performs=tuple(performs), gotos=tuple(gotos), file_ops=tuple(ops),
                sql=tuple(sql)))
            files.append(SourceFile(path=path, kind=FileKind.COBOL_PROGRAM, encoding="utf-8",
                                    size=lines * 81, sha256=digest,
                                    lines=LineCounts(code=lines * 4 // 5, comment=lines // 5)))
    jobs, by_name = [], {p.name: p for p in built}
    for s, group in enumerate(members):
        path = f"jcl/JOB{s + 1:02d}.jcl"
        steps = tuple(JclStep(name=f"STEP{i + 1:03d}", program=name, file=path, line=3 + 4 * i,
                              dds=tuple(JclDD(name=f.dd_name or f.name,
                                              dsn=f"PROD.SS{s + 1:02d}.{f.dd_name}",
                                              disp="SHR", file=path, line=4 + 4 * i)
                                        for f in by_name[name].files))
                      for i, name in enumerate(group))
        jobs.append(JclJob(id=f"jcl:JOB{s + 1:02d}", name=f"JOB{s + 1:02d}", path=path,
                           steps=steps, file=path, line=1))
        files.append(SourceFile(path=path, kind=FileKind.JCL, encoding="utf-8",
                                size=len(group) * 320, sha256=_digest(f"{seed}:{path}")))
    root = f"synthetic:{programs}:{seed}"
    return Estate(root=root, input_digest=_digest(root), programs=tuple(built), jobs=tuple(jobs),
                  inventory=Inventory(root=root, files=tuple(files)))
