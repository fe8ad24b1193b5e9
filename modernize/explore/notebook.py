"""Exploring an analysed estate in a notebook: tables and interactive graphs from one object.

    from modernize.explore.notebook import Workbench
    bench = Workbench.analyze("legacy_samples", out="out/samples")
    bench.programs()                      # metrics per program
    bench.call_graph()                    # interactive, offline
    post = bench.program("POSTTRAN")
    post.where_from("ACCT-BALANCE")       # the statements that set a field, with source lines

The notebooks work on any estate: what they look at closely is a parameter, and when it is not
given (or the estate has no such thing) ``Workbench.choose_program`` and
``ProgramBench.choose_field`` pick one from the estate and say why:

    chosen = bench.choose_program(None)   # ACCTUPDT: the batch program with the most …
    prog = bench.program(chosen.value)
    prog.choose_field("NO-SUCH-FIELD")    # a field some statement writes, and why that one

Everything here reads the stored model; only ``source`` and the excerpts open legacy files,
to show a person the lines a fact cites.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pandas as pd

from ..analysis.graphs import EstateAnalysis, data_flow_graph
from ..analysis.run import analyze_into
from ..analysis.scan import source_lines
from ..analysis.store import load_analysis
from ..core.model import Estate, Program
from . import tables, views


@dataclass
class Workbench:
    estate: Estate
    analysis: EstateAnalysis

    @classmethod
    def analyze(cls, path: str | Path, out: str | Path) -> Workbench:
        """Analyse a repo (reusing what is cached in ``out``) and open the result."""
        run = analyze_into(Path(path), Path(out))
        return cls(run.estate, run.analysis)

    @classmethod
    def load(cls, out: str | Path) -> Workbench:
        estate, analysis = load_analysis(Path(out))
        return cls(estate, analysis)

    # -- what to look at closely
    def choose_program(self, wanted: str | None = None, *,
                       purpose: str = "explore") -> Choice:
        """The program a notebook works on: ``wanted`` when the estate has it (by name or
        id), otherwise one chosen from the estate, with the reason.

        ``purpose="explore"`` prefers the program with the most to read: a batch program
        (else a subprogram, else an online one) with the most paragraphs, then lines.
        ``purpose="validate"`` prefers what can be run on both sides quickly: the batch
        program without EXEC SQL or EXEC CICS that has the fewest statements."""
        if purpose not in ("explore", "validate"):
            raise ValueError(f"purpose is 'explore' or 'validate', not {purpose!r}")
        found = self._find_program(wanted) if wanted else None
        if found is not None:
            return Choice(found.id, found.name, f"{found.name}: as asked")
        if not self.estate.programs:
            return Choice(None, None, "the estate has no program to look at")
        chosen, why = (_for_validation if purpose == "validate" else _for_reading)(
            self.estate.programs)
        missing = f"there is no program {wanted!r} in the estate; " if wanted else ""
        return Choice(chosen.id, chosen.name, f"{missing}{chosen.name}: {why}")

    def _find_program(self, wanted: str) -> Program | None:
        key = wanted.strip()
        return next((p for p in self.estate.programs if p.id == key), None) or \
            next((p for p in self.estate.programs if p.name == key.upper()), None)

    # -- tables
    def inventory(self) -> pd.DataFrame:
        return tables.inventory(self.estate)

    def languages(self) -> pd.DataFrame:
        return tables.languages(self.estate)

    def programs(self) -> pd.DataFrame:
        return tables.programs(self.estate, self.analysis)

    def crud(self) -> pd.DataFrame:
        return tables.crud(self.estate)

    def diagnostics(self) -> pd.DataFrame:
        return tables.diagnostics(self.estate)

    def copybooks(self) -> pd.DataFrame:
        """Each copybook, where it lives, and which programs use it (missing ones too)."""
        users: dict[str, set[str]] = {}
        for program in self.estate.programs:
            for use in program.copybook_uses:
                users.setdefault(use.name, set()).add(program.name)
        rows = [{"copybook": name, "path": path or "MISSING",
                 "used by": ", ".join(sorted(users.get(name, ())))}
                for name, path in self.estate.copybooks.items()]
        return pd.DataFrame(rows)

    def hot_spots(self, top: int = 5) -> pd.DataFrame:
        """The programs most worth a look first: most complex, most called."""
        frame = self.programs()
        return frame.sort_values(["complexity", "fan-in"], ascending=False).head(top)[
            ["program", "kind", "lines", "complexity", "fan-in", "fan-out", "unreachable"]]

    def dead_code(self) -> pd.DataFrame:
        """Paragraphs (and sections) no execution reaches, where they are."""
        rows = []
        for program in self.estate.programs:
            facts = self.analysis.programs.get(program.id)
            procedures = {p.key: p for p in (*program.sections, *program.paragraphs)}
            for key in facts.unreachable_paragraphs if facts else ():
                proc = procedures.get(key)
                rows.append({"program": program.name, "paragraph": key,
                             "file": proc.file if proc else program.path,
                             "line": proc.line if proc else None,
                             "end line": proc.end_line if proc else None})
        return pd.DataFrame(rows, columns=["program", "paragraph", "file", "line", "end line"]
                            ).astype({"line": "Int64", "end line": "Int64"})

    # -- graphs
    def call_graph(self, **options) -> views.GraphView:
        return views.call_view(self.estate, self.analysis, **options)

    def include_graph(self, **options) -> views.GraphView:
        return views.include_view(self.estate, **options)

    def crud_graph(self, **options) -> views.GraphView:
        return views.crud_view(self.estate, **options)

    # -- one program
    def program(self, name: str | None) -> ProgramBench:
        """One program by name or id (``cobol:NAME``)."""
        program = self._find_program(name) if name else None
        if program is None:
            known = ", ".join(p.name for p in self.estate.programs)
            raise KeyError(f"no program {name}; the estate has {known}")
        return ProgramBench(program, self.analysis, Path(self.estate.root))

    def source(self, file: str, line: int, context: int = 2) -> str:
        return _excerpt(Path(self.estate.root), file, line, context)


@dataclass
class ProgramBench:
    program: Program
    analysis: EstateAnalysis
    root: Path

    def layout(self, record: str | None = None) -> pd.DataFrame:
        return tables.layout(self.program, record)

    def records(self) -> list[str]:
        return [i.name for i in self.program.data_items if i.level in (1, 77)]

    def paragraphs(self) -> pd.DataFrame:
        return tables.paragraphs(self.program, self.analysis)

    def cfg(self) -> views.GraphView:
        return views.cfg_view(self.program, self.analysis)

    def files(self) -> pd.DataFrame:
        rows = [{"file": f.name, "dd name": f.dd_name, "organization": f.organization,
                 "records": ", ".join(f.records),
                 "opened": ", ".join(sorted({op.mode or "" for op in self.program.file_ops
                                             if op.verb == "OPEN" and op.file_name == f.name}))}
                for f in self.program.files]
        return pd.DataFrame(rows)

    def choose_field(self, wanted: str | None = None) -> Choice:
        """The field to follow: ``wanted`` when a statement of the program gives it a value,
        otherwise one chosen, with the reason: a numeric field computed (COMPUTE, ADD …) from
        other items — a balance rather than a counter — with the most items flowing into it;
        without one, the written field with the most items flowing into it."""
        written: dict[str, int] = {}
        computed: set[str] = set()
        for flow in self.program.data_flow:
            for field in flow.writes:
                written[field] = written.get(field, 0) + 1
                if flow.verb in _ARITHMETIC and flow.reads:
                    computed.add(field)
        name = self.program.name
        if wanted and wanted.strip().upper() in written:
            field = wanted.strip().upper()
            return Choice(field, field, f"{field}: as asked")
        missing = ""
        if wanted:
            item = self.program.data_item(wanted.strip())
            missing = (f"no statement of {name} gives {item.name} a value; " if item else
                       f"{name} has no field {wanted.strip()!r}; ")
        items = {i.name: i for i in self.program.data_items}
        candidates = [f for f in written if f in items and not items[f].is_group] or \
            [f for f in written if f in items] or list(written)
        if not candidates:
            return Choice(None, None, f"{missing}no statement of {name} writes a field")
        graph = data_flow_graph(self.program)
        feeds = {f: len(nx.ancestors(graph, f)) if f in graph else 0 for f in candidates}
        numeric = {f for f in candidates if f in computed and feeds[f] and f in items
                   and _NUMERIC.fullmatch((items[f].picture or "").replace(" ", ""))}
        field = max(candidates, key=lambda f: (f in numeric, feeds[f], written[f], f))
        among = "computed numeric fields" if field in numeric else "fields written"
        return Choice(field, field, f"{missing}{field}: of {name}'s {among}, the one with the "
                                    f"most items flowing into it ({feeds[field]}); written by "
                                    f"{written[field]} statement(s)")

    def record_of(self, field: str | None) -> str | None:
        """The 01 (or 77) record a field belongs to."""
        item = self.program.data_item(field) if field else None
        return (item.record or item.name) if item else None

    def why_not_validated(self) -> str | None:
        """Why ``modernize validate`` cannot run this program on both sides, or None when it
        can: it needs a batch program GnuCOBOL builds (no CICS region, no DB2 precompiler)."""
        program = self.program
        if program.cics or program.kind == "online":
            return f"{program.name} is a CICS program: GnuCOBOL has no CICS region to run it"
        if program.sql:
            return (f"{program.name} holds EXEC SQL: GnuCOBOL cannot build it without the DB2 "
                    "precompiler")
        if program.kind != "batch":
            return (f"{program.name} is a {program.kind}: it is validated through the batch "
                    "programs that call it")
        return None

    def where_from(self, field: str | None) -> pd.DataFrame:
        """Every statement that gives ``field`` a value, what it reads, and the source line."""
        field = (field or "").upper()
        rows = [{"paragraph": flow.paragraph, "verb": flow.verb,
                 "from": ", ".join(flow.reads), "file": flow.file, "line": flow.line,
                 "source": _line(self.root, flow.file, flow.line)}
                for flow in self.program.data_flow if field in flow.writes]
        return pd.DataFrame(rows, columns=["paragraph", "verb", "from", "file", "line",
                                           "source"])

    def feeds(self, field: str | None) -> list[str]:
        """Every item ``field``'s value can come from, directly or through others."""
        graph = data_flow_graph(self.program)
        field = (field or "").upper()
        return sorted(nx.ancestors(graph, field)) if field in graph else []

    def conditions(self, kind: str | None = None) -> pd.DataFrame:
        rows = [{"paragraph": c.paragraph, "kind": c.kind, "condition": c.text,
                 "meaning": c.expanded if c.expanded != c.text else "", "line": c.line}
                for c in self.program.conditions if kind is None or c.kind == kind.upper()]
        return pd.DataFrame(rows, columns=["paragraph", "kind", "condition", "meaning",
                                           "line"])

    def source(self, line: int, file: str | None = None, context: int = 2) -> str:
        return _excerpt(self.root, file or self.program.path, line, context)


@dataclass(frozen=True)
class Choice:
    """What a notebook looks at closely, and why: ``value`` is what to pass on (a program's
    id, a field's name), ``name`` what to call it, ``reason`` says whether it was asked for
    or chosen, and by what rule. ``value`` is None when the estate has nothing to choose."""

    value: str | None
    name: str | None
    reason: str

    def __str__(self) -> str:
        return self.reason

    def __bool__(self) -> bool:
        return self.value is not None


_KIND_ORDER = {"batch": 0, "subprogram": 1, "online": 2}
_KIND_NAME = {"batch": "batch program", "subprogram": "subprogram", "online": "online program"}
_ARITHMETIC = {"COMPUTE", "ADD", "SUBTRACT", "MULTIPLY", "DIVIDE"}
_NUMERIC = re.compile(r"S?(9+|9\(\d+\))+(V(9+|9\(\d+\))+)?", re.IGNORECASE)


def _statements(program: Program) -> int:
    return sum(p.statements for p in (*program.sections, *program.paragraphs))


def _for_reading(programs: tuple[Program, ...]) -> tuple[Program, str]:
    best = min(_KIND_ORDER.get(p.kind, 3) for p in programs)
    pool = [p for p in programs if _KIND_ORDER.get(p.kind, 3) == best]
    clean = [p for p in pool if p.parsed_cleanly] or pool
    chosen = max(clean, key=lambda p: (len(p.paragraphs), p.lines, p.id))
    kind = _KIND_NAME.get(chosen.kind, "program")
    among = "" if best == 0 else " (the estate has no batch program)"
    return chosen, (f"the {kind} with the most paragraphs ({len(chosen.paragraphs)}, "
                    f"{chosen.lines} lines){among}")


def _for_validation(programs: tuple[Program, ...]) -> tuple[Program, str]:
    plain = [p for p in programs if p.kind == "batch" and not p.sql and not p.cics]
    if not plain:
        chosen, why = _for_reading(programs)
        return chosen, why + "; none is a batch program without EXEC SQL or CICS, which " \
                             "GnuCOBOL can run"
    clean = [p for p in plain if p.parsed_cleanly] or plain
    chosen = min(clean, key=lambda p: (_statements(p), p.lines, p.id))
    return chosen, (f"the batch program without EXEC SQL or CICS with the fewest statements "
                    f"({_statements(chosen)}), so quick to validate")


def _line(root: Path, file: str, line: int) -> str:
    lines = source_lines(root, file)
    return lines[line - 1][6:72].rstrip() if 0 < line <= len(lines) else ""


def _excerpt(root: Path, file: str, line: int, context: int) -> str:
    """The cited line with a few around it, numbered as in the file, the cited one marked."""
    lines = source_lines(root, file)
    start, end = max(line - context, 1), min(line + context, len(lines))
    return "\n".join(f"{'>' if n == line else ' '}{n:5d} {lines[n - 1].rstrip()}"
                     for n in range(start, end + 1))
