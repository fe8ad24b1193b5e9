"""Exploring an analysed estate in a notebook: tables and interactive graphs from one object.

    from modernize.explore import Workbench
    bench = Workbench.analyze("legacy_samples", out="out/samples")
    bench.programs()                      # metrics per program
    bench.call_graph()                    # interactive, offline
    post = bench.program("POSTTRAN")
    post.where_from("ACCT-BALANCE")       # the statements that set a field, with source lines

Everything here reads the stored model; only ``source`` and the excerpts open legacy files,
to show a person the lines a fact cites.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pandas as pd

from . import tables, views
from .graphs import EstateAnalysis, data_flow_graph
from .model import Estate, Program
from .run import analyze_into
from .scan import source_lines
from .store import load_analysis


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
        rows = []
        for program in self.estate.programs:
            facts = self.analysis.programs.get(program.id)
            for key in facts.unreachable_paragraphs if facts else ():
                para = next(p for p in program.paragraphs if p.key == key)
                rows.append({"program": program.name, "paragraph": key, "file": para.file,
                             "lines": f"{para.line}-{para.end_line}"})
        return pd.DataFrame(rows, columns=["program", "paragraph", "file", "lines"])

    # -- graphs
    def call_graph(self, **options) -> views.GraphView:
        return views.call_view(self.estate, self.analysis, **options)

    def include_graph(self, **options) -> views.GraphView:
        return views.include_view(self.estate, **options)

    def crud_graph(self, **options) -> views.GraphView:
        return views.crud_view(self.estate, **options)

    # -- one program
    def program(self, name: str) -> ProgramBench:
        program = self.estate.program(name)
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

    def where_from(self, field: str) -> pd.DataFrame:
        """Every statement that gives ``field`` a value, what it reads, and the source line."""
        field = field.upper()
        rows = [{"paragraph": flow.paragraph, "verb": flow.verb,
                 "from": ", ".join(flow.reads), "file": flow.file, "line": flow.line,
                 "source": _line(self.root, flow.file, flow.line)}
                for flow in self.program.data_flow if field in flow.writes]
        return pd.DataFrame(rows, columns=["paragraph", "verb", "from", "file", "line",
                                           "source"])

    def feeds(self, field: str) -> list[str]:
        """Every item ``field``'s value can come from, directly or through others."""
        graph = data_flow_graph(self.program)
        field = field.upper()
        return sorted(nx.ancestors(graph, field)) if field in graph else []

    def conditions(self, kind: str | None = None) -> pd.DataFrame:
        rows = [{"paragraph": c.paragraph, "kind": c.kind, "condition": c.text,
                 "meaning": c.expanded if c.expanded != c.text else "", "line": c.line}
                for c in self.program.conditions if kind is None or c.kind == kind.upper()]
        return pd.DataFrame(rows, columns=["paragraph", "kind", "condition", "meaning",
                                           "line"])

    def source(self, line: int, file: str | None = None, context: int = 2) -> str:
        return _excerpt(self.root, file or self.program.path, line, context)


def _line(root: Path, file: str, line: int) -> str:
    lines = source_lines(root, file)
    return lines[line - 1][6:72].rstrip() if 0 < line <= len(lines) else ""


def _excerpt(root: Path, file: str, line: int, context: int) -> str:
    """The cited line with a few around it, numbered as in the file, the cited one marked."""
    lines = source_lines(root, file)
    start, end = max(line - context, 1), min(line + context, len(lines))
    return "\n".join(f"{'>' if n == line else ' '}{n:5d} {lines[n - 1].rstrip()}"
                     for n in range(start, end + 1))
