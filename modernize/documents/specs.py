"""Specifications from the model, with no language model: the embedded default.

Everything here is read straight off the analysis (interfaces from files, tables, screens and
calls; record layouts from the data items; business rules from the conditions and the data flow
of the paragraph they stand in), so it is deterministic, needs no network and no key, and every
item cites the model ids and source lines it comes from. Documents say plainly that they were
generated from static analysis (``generated_by``).
"""

from __future__ import annotations

from ..analysis.graphs import EstateAnalysis, control_flow_graph
from ..core.model import Estate, Program
from .artifacts import (
    Citation,
    EstateSpec,
    Interface,
    ProgramSpec,
    RecordLayout,
    Rule,
    Traced,
)
from .rules import branch_rules

_OPEN_DIRECTION = {"INPUT": "in", "OUTPUT": "out", "EXTEND": "out", "I-O": "in-out"}
_RULE_KINDS = ("IF", "WHEN", "UNTIL")


def program_key(program: Program) -> str:
    """The program's part of the ids of what is written about it: its PROGRAM-ID, or for the
    second of two programs with one PROGRAM-ID the unique ``NAME@path`` of its model id."""
    return program.id.split(":", 1)[1]


def procedure_citation(program: Program, key: str | None) -> Citation:
    """The citation of a paragraph or section (or of the program, for entry-level code)."""
    for proc in (*program.paragraphs, *program.sections):
        if proc.key == key:
            return Citation(id=proc.id, file=proc.file, line=proc.line, end_line=proc.end_line)
    return Citation(id=program.id, file=program.path, line=1, end_line=program.lines)


def _line_citation(program: Program, key: str | None, file: str, line: int) -> Citation:
    base = procedure_citation(program, key)
    return Citation(id=base.id, file=file, line=line)


def interfaces(program: Program, estate: Estate, analysis: EstateAnalysis) -> list[Interface]:
    out: list[Interface] = []
    for file in program.files:
        modes = sorted({op.mode for op in program.file_ops
                        if op.verb == "OPEN" and op.file_name == file.name and op.mode})
        directions = {_OPEN_DIRECTION.get(m, "in") for m in modes}
        direction = "in-out" if len(directions) > 1 or "in-out" in directions else \
            (directions.pop() if directions else "in")
        out.append(Interface(
            id=f"{program.id}/interface:file:{file.name}", kind="file",
            name=file.dd_name or file.name, direction=direction,
            detail=f"{file.name}, {file.organization.lower()}"
                   + (f", opened {', '.join(modes)}" if modes else "")
                   + (f", records {', '.join(file.records)}" if file.records else ""),
            citations=(Citation(id=file.id, file=file.file, line=file.line),)))
    tables: dict[str, set[str]] = {}
    cites: dict[str, list[Citation]] = {}
    for stmt in program.sql:
        for table, op in zip(stmt.tables, stmt.crud, strict=False):
            tables.setdefault(table, set()).add(op)
            cites.setdefault(table, []).append(
                _line_citation(program, stmt.paragraph, stmt.file, stmt.line))
    for table, ops in sorted(tables.items()):
        letters = "".join(c for c in "CRUD" if c in ops)
        out.append(Interface(id=f"{program.id}/interface:table:{table}", kind="table",
                             name=table, direction="in" if letters == "R" else "in-out",
                             detail=f"DB2 table, {letters}", citations=tuple(cites[table][:3])))
    for cmd in program.cics:
        if cmd.command in ("SEND MAP", "RECEIVE MAP") and cmd.target:
            out.append(Interface(
                id=f"{program.id}/interface:screen:{cmd.target}:{cmd.line}", kind="screen",
                name=cmd.target, direction="out" if cmd.command == "SEND MAP" else "in",
                detail=f"BMS map {cmd.target}" + (
                    f" of mapset {cmd.options['MAPSET'].strip(chr(39) + chr(34))}"
                    if cmd.options.get("MAPSET") else ""),
                citations=(_line_citation(program, cmd.paragraph, cmd.file, cmd.line),)))
        elif cmd.command in ("READ", "WRITE", "REWRITE", "DELETE") and cmd.target:
            out.append(Interface(
                id=f"{program.id}/interface:cics-file:{cmd.target}:{cmd.line}",
                kind="cics-file", name=cmd.target,
                direction="in" if cmd.command == "READ" else "out",
                detail=f"CICS {cmd.command} of {cmd.target}",
                citations=(_line_citation(program, cmd.paragraph, cmd.file, cmd.line),)))
    for call in program.calls:
        out.append(Interface(
            id=f"{program.id}/interface:call:{call.target or call.via}:{call.line}",
            kind="call", name=call.target or f"? (through {call.via})", direction="out",
            detail=f"{call.kind} call" + (f" using {', '.join(call.using)}" if call.using
                                          else ""),
            citations=(_line_citation(program, call.paragraph, call.file, call.line),)))
    facts = analysis.programs.get(program.id)
    for caller in facts.callers if facts else ():
        out.append(Interface(id=f"{program.id}/interface:caller:{caller}", kind="caller",
                             name=caller, direction="in", detail=f"called by {caller}",
                             citations=(Citation(id=f"cobol:{caller}", file=_path(estate, caller),
                                                 line=1),)))
    if program.entry_using:
        out.append(Interface(
            id=f"{program.id}/interface:parameters", kind="parameter",
            name=", ".join(program.entry_using), direction="in-out",
            detail="PROCEDURE DIVISION USING (the caller's storage)",
            citations=(Citation(id=program.id, file=program.path, line=1),)))
    return out


def _path(estate: Estate, name: str) -> str:
    found = estate.program(name)
    return found.path if found else ""


def layouts(program: Program) -> list[RecordLayout]:
    out = []
    for record in (i for i in program.data_items if i.level in (1, 77)):
        fields = tuple(
            (f"{item.level:02d} {item.name}", item.picture or "",
             "" if item.is_group else item.usage, item.offset, item.length)
            for item in program.data_items
            if item.record == record.name and item.level != 88 and item is not record)
        out.append(RecordLayout(name=record.name, length=record.length,
                                citation=Citation(id=record.id, file=record.file,
                                                  line=record.line),
                                fields=fields))
    return out


def rules(program: Program, estate: Estate | None = None) -> list[Rule]:
    """The business rules: one per branch of a decision (see :mod:`modernize.documents.rules`)."""
    return branch_rules(program, estate)[0]


def purpose(program: Program, estate: Estate, analysis: EstateAnalysis) -> str:
    found = interfaces(program, estate, analysis)
    inputs = [i.name for i in found
              if i.kind in ("file", "table", "cics-file") and "in" in i.direction]
    outputs = [i.name for i in found
               if i.kind in ("file", "table", "cics-file") and "out" in i.direction]
    screens = [f"{i.name} (mapset {i.detail.rsplit(' ', 1)[-1].strip(chr(39))})"
               if " of mapset " in i.detail else i.name for i in found if i.kind == "screen"]
    jobs = [f"{job.name} step {step.name}" for job in estate.jobs for step in job.steps
            if step.program == program.name]
    kind = {"batch": "Batch program", "online": "CICS online program",
            "subprogram": "Called subprogram"}.get(program.kind, "Program")
    parts = [kind]
    if inputs:
        parts.append(f"reading {', '.join(dict.fromkeys(inputs))}")
    if outputs:
        parts.append(f"writing {', '.join(dict.fromkeys(outputs))}")
    if screens:
        parts.append(f"showing the screen{'s' if len(set(screens)) > 1 else ''} "
                     f"{', '.join(dict.fromkeys(screens))}")
    text = " ".join(parts[:1]) + (" " + " and ".join(parts[1:]) if parts[1:] else "") + "."
    if jobs:
        text += f" Runs in {', '.join(jobs)}."
    facts = analysis.programs.get(program.id)
    if facts and facts.callers:
        text += f" Called by {', '.join(facts.callers)}."
    return text


def open_questions(program: Program, estate: Estate, analysis: EstateAnalysis
                   ) -> tuple[list[Traced], dict[str, str]]:
    """What a reviewer should decide: dead code, unresolved calls, missing copybooks,
    unparsed statements."""
    found: list[tuple[str, str, Citation]] = []
    facts = analysis.programs.get(program.id)
    for key in facts.unreachable_paragraphs if facts else ():
        found.append((f"dead:{key}", f"Paragraph {key} is never reached: remove it, or is it "
                      "entered some way the analysis cannot see?",
                      procedure_citation(program, key)))
    for call in program.calls:
        if call.target is None:
            found.append((f"call:{call.line}", f"CALL through {call.via} could not be "
                          "resolved: which programs can it call?",
                          _line_citation(program, call.paragraph, call.file, call.line)))
        elif call.candidates:
            found.append((f"call:{call.line}:{call.target}",
                          f"CALL through {call.via} may call {', '.join(call.candidates)}: "
                          "which are live?",
                          _line_citation(program, call.paragraph, call.file, call.line)))
    for use in program.copybook_uses:
        if use.refused:
            found.append((f"copybook:{use.name}", f"{use.statement} {use.name} names a file "
                          "outside the estate; it was not read, so what it would bring is not "
                          "in this specification.",
                          Citation(id=program.id, file=use.file, line=use.line)))
        elif use.path is None and not use.system:
            found.append((f"copybook:{use.name}", f"Copybook {use.name} is missing: its "
                          "fields and logic are not in this specification.",
                          Citation(id=program.id, file=use.file, line=use.line)))
    for diagnostic in program.diagnostics:
        if diagnostic.code == "parse-error" and diagnostic.file and diagnostic.line:
            found.append((f"parse:{diagnostic.line}", diagnostic.message,
                          Citation(id=program.id, file=diagnostic.file, line=diagnostic.line)))
    questions = [Traced(id=f"question:{program_key(program)}/{key}", citations=(cite,))
                 for key, _, cite in found]
    return questions, {f"question:{program_key(program)}/{key}": text
                       for key, text, _ in found}


def program_spec(program: Program, estate: Estate, analysis: EstateAnalysis) -> ProgramSpec:
    cfg = control_flow_graph(program)
    edges = tuple((str(a), str(b), str(d.get("kind", ""))) for a, b, d in cfg.edges(data=True))
    dependencies = [f"copybook {name}" for name in program.copybooks]
    dependencies += [f"calls {c.target}" for c in program.calls if c.target]
    dependencies += [f"job {job.name}" for job in estate.jobs
                     if any(s.program == program.name for s in job.steps)]
    questions, texts = open_questions(program, estate, analysis)
    business, errors, glossary = branch_rules(program, estate)
    return ProgramSpec(
        id=f"spec:{program_key(program)}", program=program.id,
        title=f"{program.name} specification",
        purpose=purpose(program, estate, analysis), kind=program.kind,
        interfaces=tuple(interfaces(program, estate, analysis)),
        layouts=tuple(layouts(program)), rules=tuple(business), control_flow=edges,
        error_handling=tuple(errors), glossary=glossary,
        dependencies=tuple(dict.fromkeys(dependencies)), open_questions=tuple(questions),
        question_texts=texts,
        citations=(Citation(id=program.id, file=program.path, line=1, end_line=program.lines),))


def estate_spec(estate: Estate, analysis: EstateAnalysis) -> EstateSpec:
    kinds: dict[str, int] = {}
    for program in estate.programs:
        kinds[program.kind] = kinds.get(program.kind, 0) + 1
    summary = (f"{len(estate.programs)} programs ("
               + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
               + f"), {sum(1 for v in estate.copybooks.values() if v)} copybooks, "
               f"{len(estate.jobs)} JCL jobs; {len(analysis.unresolved_calls)} unresolved calls, "
               f"{len(analysis.missing_copybooks)} missing copybooks.")
    return EstateSpec(id="spec:estate", title="Estate specification", summary=summary,
                      programs=tuple(p.name for p in estate.programs),
                      jobs=tuple(j.name for j in estate.jobs),
                      citations=tuple(Citation(id=p.id, file=p.path, line=1)
                                      for p in estate.programs))
