"""Graphs over the model, and the analyses read off them (networkx).

- the estate call graph (CALL, CICS LINK/XCTL/START), with external and unresolved targets;
- the copybook include graph;
- each program's paragraph control-flow graph (fall-through, PERFORM, THRU ranges, GO TO);
- each program's data-flow graph (item read → item written, per statement);
- the CRUD matrix (program × file/dataset/table × C/R/U/D).

From them: unreachable paragraphs, unresolved calls and copybooks, cyclomatic complexity per
paragraph and program, fan-in and fan-out. Input is only the ``Estate``; output is plain data.

JCL decides what is batch (``jcl_batch_kinds``, applied by the analysis once the jobs are
read): a program a JCL step runs (``EXEC PGM=``, a step of a procedure, a TSO ``RUN
PROGRAM``) is a batch program whatever its PROCEDURE DIVISION USING says; the USING then
receives the step's PARM. The extraction alone, which sees one source, calls a program with
USING a subprogram.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import networkx as nx
from pydantic import Field

from ..core.model import Estate, Frozen, JclJob, JclStep, Program, Section

ENTRY = "(entry)"
_OPEN_CRUD = {"INPUT": "R", "OUTPUT": "C", "EXTEND": "C", "I-O": "RU"}
_VERB_CRUD = {"READ": "R", "START": "R", "WRITE": "C", "REWRITE": "U", "DELETE": "D",
              "SORT-USING": "R", "SORT-GIVING": "C"}
_CICS_CRUD = {"READ": "R", "READNEXT": "R", "READPREV": "R", "STARTBR": "R", "WRITE": "C",
              "REWRITE": "U", "DELETE": "D"}


def jcl_runs(estate: Estate) -> dict[str, list[tuple[JclJob, JclStep]]]:
    """PROGRAM-ID → the JCL steps that run it (procedures are expanded in the model)."""
    out: dict[str, list[tuple[JclJob, JclStep]]] = {}
    for job in estate.jobs:
        for step in job.steps:
            if step.program:
                out.setdefault(step.program.upper(), []).append((job, step))
    return out


def jcl_batch_kinds(programs: Sequence[Program], jobs: Sequence[JclJob]) -> list[Program]:
    """``programs`` with the ``subprogram`` a JCL step runs made ``batch`` (see the module
    docstring); a CICS program stays ``online``."""
    run = {step.program.upper() for job in jobs for step in job.steps if step.program}
    return [p.model_copy(update={"kind": "batch"}) if p.kind == "subprogram" and p.name in run
            else p for p in programs]


def call_graph(estate: Estate) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    known = {p.name: p.id for p in reversed(estate.programs)}  # the first of a name wins
    for program in estate.programs:  # ENTRY 'ALT' makes ALT a name of the program too
        for entry in program.entry_points:
            known.setdefault(entry.name, program.id)
    for program in estate.programs:
        graph.add_node(program.id, kind="program", name=program.name, path=program.path,
                       program_kind=program.kind, lines=program.lines)
    for program in estate.programs:
        for call in program.calls:
            if call.target is None:
                node = f"unresolved:{program.name}:{call.line}"
                graph.add_node(node, kind="unresolved", name=f"? via {call.via}",
                               path=call.file, line=call.line)
            elif call.target in known:
                node = known[call.target]
            else:
                node = f"external:{call.target}"
                graph.add_node(node, kind="external", name=call.target)
            graph.add_edge(program.id, node, kind=call.kind, file=call.file, line=call.line,
                           paragraph=call.paragraph)
    return graph


def include_graph(estate: Estate) -> nx.DiGraph:
    graph = nx.DiGraph()
    path_to_name = {path: name for name, path in estate.copybooks.items() if path}
    for program in estate.programs:
        graph.add_node(program.id, kind="program", name=program.name, path=program.path)
        for use in program.copybook_uses:
            node = f"copybook:{use.name}"
            kind = "copybook" if use.path else "system-copybook" if use.system \
                else "missing-copybook"
            graph.add_node(node, kind=kind,
                           name=use.name, path=use.path)
            parent_name = path_to_name.get(use.file)
            parent = f"copybook:{parent_name}" if use.depth > 1 and parent_name else program.id
            graph.add_edge(parent, node, file=use.file, line=use.line, replacing=use.replacing)
    return graph


TERMINAL = {"GOTO", "STOP", "GOBACK", "CICS-RETURN", "CICS-XCTL"}


class ProcedureIndex:
    """Finds the section or paragraph a PERFORM or GO TO names, by COBOL's rules: a section
    name names the section; `P IN S` the paragraph P of section S; a bare paragraph name that
    several sections use means the one in the section of the statement that names it."""

    def __init__(self, program: Program) -> None:
        self.sections = {s.name: s for s in program.sections}
        self.by_name: dict[str, list] = defaultdict(list)
        self.section_of: dict[str, str | None] = {}
        for para in program.paragraphs:
            self.by_name[para.name].append(para)
            self.section_of[para.key] = para.section
        for section in program.sections:
            self.section_of[section.key] = section.name

    def resolve(self, reference: str | None, from_key: str | None = None) -> str | None:
        if not reference:
            return None
        name, _, qualifier = reference.upper().replace(" OF ", " IN ").partition(" IN ")
        name, qualifier = name.strip(), qualifier.strip()
        if not qualifier and name in self.sections:
            return self.sections[name].key
        candidates = self.by_name.get(name, [])
        if qualifier:
            candidates = [p for p in candidates if p.section == qualifier]
        elif len(candidates) > 1:
            here = self.section_of.get(from_key or "")
            candidates = [p for p in candidates if p.section == here] or candidates
        return candidates[0].key if candidates else None


def control_flow_graph(program: Program) -> nx.DiGraph:
    """Procedure-level CFG: nodes are ``(entry)`` and the keys of sections and paragraphs.

    Edges: entry (to the first procedure after DECLARATIVES), use (to each declarative
    section), fall-through (to the next procedure, unless the one before cannot fall through),
    perform, goto, sort-input/sort-output, entry-point (an ENTRY statement's procedure).
    """
    graph = nx.DiGraph()
    graph.add_node(ENTRY, kind="entry")
    procedures = {p.key: p for p in (*program.sections, *program.paragraphs)}
    order = [key for key in program.procedures if key in procedures]
    for key in order:
        proc = procedures[key]
        graph.add_node(key, kind="section" if key.endswith(" SECTION") else "paragraph",
                       name=proc.name, line=proc.line, file=proc.file,
                       section=getattr(proc, "section", None),
                       declarative=bool(getattr(proc, "declarative", False)))
    declarative = {key for key in order if _in_declaratives(key, procedures, program)}
    main = [key for key in order if key not in declarative]
    if main and program.entry_ends_with not in TERMINAL:
        graph.add_edge(ENTRY, main[0], kind="entry")
    for key in order:
        if key in declarative and key.endswith(" SECTION"):
            graph.add_edge(ENTRY, key, kind="use")
    for before, after in zip(order, order[1:], strict=False):
        if procedures[before].ends_with not in TERMINAL and \
                (before in declarative) == (after in declarative):
            graph.add_edge(before, after, kind="fall-through")
    index = ProcedureIndex(program)
    for perform in program.performs:
        source = perform.paragraph or ENTRY
        target = index.resolve(perform.target, perform.paragraph)
        if target is None:
            continue
        thru = index.resolve(perform.thru, perform.paragraph)
        graph.add_edge(source, target, kind=perform.kind if perform.kind.startswith("sort")
                       else "perform", line=perform.line, thru=perform.thru, thru_key=thru)
        if thru in order and order.index(thru) >= order.index(target):
            # the range runs by fall-through; mark its members so views can show the range
            for member in order[order.index(target):order.index(thru) + 1]:
                graph.nodes[member].setdefault("in_thru_ranges", []).append(perform.line)
    for goto in program.gotos:
        source = index.resolve(goto.paragraph, goto.paragraph) or goto.paragraph or ENTRY
        for name in goto.targets:
            target = index.resolve(name, goto.paragraph)
            if target is not None and source in graph:
                graph.add_edge(source, target, kind="goto", line=goto.line)
    for entry in program.entry_points:
        if entry.paragraph in graph:
            graph.add_edge(ENTRY, entry.paragraph, kind="entry-point", name=entry.name)
    return graph


def _in_declaratives(key: str, procedures: dict, program: Program) -> bool:
    proc = procedures[key]
    if isinstance(proc, Section):
        return proc.declarative
    section = next((s for s in program.sections if s.name == proc.section), None)
    return bool(section and section.declarative)


def data_flow_graph(program: Program) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for flow in program.data_flow:
        for written in flow.writes:
            graph.add_node(written, kind="data")
            for read in flow.reads:
                if read != written:
                    graph.add_node(read, kind="data")
                    graph.add_edge(read, written, verb=flow.verb, paragraph=flow.paragraph,
                                   file=flow.file, line=flow.line)
    return graph


class CrudEntry(Frozen):
    program: str
    resource: str = Field(description="dataset:DDNAME, sql-table:NAME or cics-file:NAME")
    kind: str = Field(description="file, table, cics-file")
    ops: str = Field(description="letters from CRUD, in that order")


def crud_matrix(estate: Estate) -> list[CrudEntry]:
    cells: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for program in estate.programs:
        assign = {f.name: f.external_name for f in program.files}
        for op in program.file_ops:
            letters = _OPEN_CRUD.get(op.mode or "", "") if op.verb == "OPEN" else \
                _VERB_CRUD.get(op.verb, "")
            if letters and op.file_name in assign:
                cells[(program.name, f"dataset:{assign[op.file_name]}", "file")].update(letters)
        for stmt in program.sql:
            for table, letter in zip(stmt.tables, stmt.crud, strict=False):
                cells[(program.name, f"sql-table:{table}", "table")].add(letter)
        for cmd in program.cics:
            letter = _CICS_CRUD.get(cmd.command)
            if letter and cmd.target:
                cells[(program.name, f"cics-file:{cmd.target}", "cics-file")].add(letter)
    return [CrudEntry(program=p, resource=r, kind=k, ops="".join(c for c in "CRUD" if c in ops))
            for (p, r, k), ops in sorted(cells.items())]


def paragraph_complexity(program: Program) -> dict[str, int]:
    """McCabe per procedure (paragraph, or a section's own statements), by key: 1 + decisions:
    IF, WHEN (not OTHER), UNTIL/VARYING loops, the exception phrases (AT END, INVALID KEY,
    ON SIZE ERROR …) and each GO TO DEPENDING target."""
    counts = {p.key: 1 for p in program.paragraphs}
    counts.update({s.key: 1 for s in program.sections if s.statements})
    for condition in program.conditions:
        if condition.paragraph in counts and condition.kind != "EVALUATE":
            counts[condition.paragraph] += 1
    for goto in program.gotos:
        if goto.paragraph in counts and goto.depending_on:
            counts[goto.paragraph] += max(0, len(goto.targets) - 1) + 1
    return counts


class ProgramAnalysis(Frozen):
    id: str
    unreachable_paragraphs: tuple[str, ...] = ()
    unreachable_sections: tuple[str, ...] = ()
    complexity: int = 1
    paragraph_complexity: dict[str, int] = Field(default_factory=dict)
    fan_in: int = 0
    fan_out: int = 0
    callers: tuple[str, ...] = ()
    callees: tuple[str, ...] = ()


class UnresolvedCall(Frozen):
    program: str
    file: str
    line: int
    via: str | None


class EstateAnalysis(Frozen):
    programs: dict[str, ProgramAnalysis] = Field(default_factory=dict)
    unresolved_calls: tuple[UnresolvedCall, ...] = ()
    external_calls: tuple[str, ...] = Field(default=(), description="targets not in the estate")
    missing_copybooks: dict[str, tuple[str, ...]] = Field(
        default_factory=dict, description="missing copybook → programs it blocks")
    crud: tuple[CrudEntry, ...] = ()


def reachable_procedures(program: Program, cfg: nx.DiGraph | None = None) -> set[str]:
    """Keys of the procedures some execution reaches.

    Plain graph reachability would say that falling off the end of a PERFORMed paragraph
    reaches the next one; in COBOL it returns to the PERFORM. So this walks states
    (procedure, end of the PERFORM range it runs in): fall-through stops at the range's end,
    a PERFORM or SORT procedure starts a range, a GO TO keeps the range it is in, and the main
    line (from the entry, an ENTRY point or a USE) has no range.
    """
    cfg = cfg if cfg is not None else control_flow_graph(program)
    order = [key for key in program.procedures if key in cfg]
    last_of = _range_ends(program, order)
    seen: set[tuple[str, str | None]] = set()
    stack: list[tuple[str, str | None]] = [
        (target, last_of[target] if data["kind"] == "use" else None)
        for _, target, data in cfg.out_edges(ENTRY, data=True)]
    stack += [(target, _perform_end(data, target, last_of))
              for _, target, data in cfg.out_edges(ENTRY, data=True)
              if data["kind"] in ("perform", "sort-input", "sort-output")]
    while stack:
        state = stack.pop()
        if state in seen:
            continue
        seen.add(state)
        key, end = state
        for _, target, data in cfg.out_edges(key, data=True):
            kind = data["kind"]
            if (kind == "fall-through" and key != end) or kind == "goto":
                stack.append((target, end))  # a GO TO stays in the range it was taken in
            elif kind in ("perform", "sort-input", "sort-output"):
                stack.append((target, _perform_end(data, target, last_of)))
    return {key for key, _ in seen}


def _range_ends(program: Program, order: list[str]) -> dict[str, str]:
    """For each procedure key, the last procedure a PERFORM of it runs: the paragraph itself,
    or for a section its last paragraph."""
    ends = {key: key for key in order}
    section_of = {p.key: p.section for p in program.paragraphs}
    for section in program.sections:
        members = [k for k in order if k == section.key or section_of.get(k) == section.name]
        ends[section.key] = members[-1] if members else section.key
    return ends


def _perform_end(data: dict, target: str, last_of: dict[str, str]) -> str:
    thru = data.get("thru_key")
    return last_of.get(thru or target, target)


def unreachable_paragraphs(program: Program, cfg: nx.DiGraph | None = None) -> tuple[str, ...]:
    """Keys of the paragraphs no execution reaches (see ``reachable_procedures``)."""
    reached = reachable_procedures(program, cfg)
    return tuple(p.key for p in program.paragraphs if p.key not in reached)


def unreachable_sections(program: Program, cfg: nx.DiGraph | None = None) -> tuple[str, ...]:
    """Names of the sections none of whose procedures any execution reaches."""
    reached = reachable_procedures(program, cfg)
    keys_of = defaultdict(set)
    for para in program.paragraphs:
        keys_of[para.section].add(para.key)
    return tuple(s.name for s in program.sections
                 if s.key not in reached and not (keys_of[s.name] & reached))


def analyze_estate(estate: Estate) -> EstateAnalysis:
    calls = call_graph(estate)
    programs: dict[str, ProgramAnalysis] = {}
    for program in estate.programs:
        per_para = paragraph_complexity(program)
        cfg = control_flow_graph(program)
        callees = sorted({calls.nodes[t].get("name", t) for _, t in calls.out_edges(program.id)})
        callers = sorted({calls.nodes[s]["name"] for s, _ in calls.in_edges(program.id)})
        programs[program.id] = ProgramAnalysis(
            id=program.id, unreachable_paragraphs=unreachable_paragraphs(program, cfg),
            unreachable_sections=unreachable_sections(program, cfg),
            complexity=1 + sum(c - 1 for c in per_para.values()),
            paragraph_complexity=per_para, fan_in=len(callers), fan_out=len(callees),
            callers=tuple(callers), callees=tuple(callees))
    unresolved = tuple(UnresolvedCall(program=p.name, file=c.file, line=c.line, via=c.via)
                       for p in estate.programs for c in p.calls if c.target is None)
    external = tuple(sorted({n.split(":", 1)[1] for n, d in calls.nodes(data=True)
                             if d.get("kind") == "external"}))
    missing: dict[str, set[str]] = defaultdict(set)
    for program in estate.programs:
        for use in program.copybook_uses:
            if use.path is None and not use.system and not use.refused:
                missing[use.name].add(program.name)
    return EstateAnalysis(programs=programs, unresolved_calls=unresolved, external_calls=external,
                          missing_copybooks={k: tuple(sorted(v))
                                             for k, v in sorted(missing.items())},
                          crud=tuple(crud_matrix(estate)))
