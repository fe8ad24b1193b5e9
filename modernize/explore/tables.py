"""Tables people read: the model as pandas DataFrames (the only module importing pandas).

Each function takes the model (and the graph analysis where it needs it) and returns a
DataFrame that displays as an HTML table in a notebook and exports to CSV or Excel elsewhere.
"""

from __future__ import annotations

import pandas as pd

from ..analysis.graphs import EstateAnalysis, crud_matrix
from ..core.model import Estate, Program


def inventory(estate: Estate) -> pd.DataFrame:
    rows = [{"path": f.path, "kind": f.kind.value, "encoding": f.encoding,
             "code": f.lines.code, "comment": f.lines.comment, "blank": f.lines.blank,
             "line ends": f.line_ending, "skipped": f.skipped} for f in estate.inventory.files]
    return pd.DataFrame(rows)


def languages(estate: Estate) -> pd.DataFrame:
    """Files and lines of code by kind of file."""
    frame = inventory(estate)
    if frame.empty:
        return frame
    return (frame.groupby("kind", as_index=False)
            .agg(files=("path", "count"), code=("code", "sum"), comment=("comment", "sum"))
            .sort_values("code", ascending=False, ignore_index=True))


def programs(estate: Estate, analysis: EstateAnalysis) -> pd.DataFrame:
    """Metrics per program: size, complexity, fan-in/out, dead code, problems."""
    rows = []
    for program in estate.programs:
        facts = analysis.programs.get(program.id)
        rows.append({
            "program": program.name, "kind": program.kind, "path": program.path,
            "lines": program.lines, "paragraphs": len(program.paragraphs),
            "data items": len(program.data_items),
            "complexity": facts.complexity if facts else None,
            "fan-in": facts.fan_in if facts else None,
            "fan-out": facts.fan_out if facts else None,
            "unreachable": len(facts.unreachable_paragraphs) if facts else None,
            "copybooks": len(program.copybooks), "sql": len(program.sql),
            "cics": len(program.cics), "diagnostics": len(program.diagnostics),
            "parsed cleanly": program.parsed_cleanly,
        })
    return pd.DataFrame(rows)


def paragraphs(program: Program, analysis: EstateAnalysis) -> pd.DataFrame:
    """Metrics per paragraph (and per section with statements of its own)."""
    facts = analysis.programs.get(program.id)
    complexity = facts.paragraph_complexity if facts else {}
    unreachable = set(facts.unreachable_paragraphs) if facts else set()
    rows = [{"paragraph": p.key, "section": p.section, "file": p.file, "line": p.line,
             "end line": p.end_line, "statements": p.statements,
             "complexity": complexity.get(p.key), "ends with": p.ends_with,
             "unreachable": p.key in unreachable} for p in program.paragraphs]
    return pd.DataFrame(rows)


def crud(estate: Estate) -> pd.DataFrame:
    """The CRUD matrix: one row per program, one column per dataset, table or CICS file."""
    entries = crud_matrix(estate)
    if not entries:
        return pd.DataFrame()
    frame = pd.DataFrame([{"program": e.program, "resource": e.resource, "ops": e.ops}
                          for e in entries])
    return frame.pivot(index="program", columns="resource", values="ops").fillna("")


def layout(program: Program, record: str | None = None) -> pd.DataFrame:
    """Data items with level, PIC, usage, byte offset and length, indented by level."""
    rows = []
    depth: dict[str | None, int] = {None: 0}
    for item in program.data_items:
        if record is not None and item.record != record.upper():
            continue
        level = depth.get(item.parent, 0)
        depth[item.id] = level + 1
        rows.append({
            "level": f"{item.level:02d}", "name": "  " * level + item.name,
            "picture": item.picture or "", "usage": item.usage if not item.is_group else "",
            "offset": item.offset, "length": item.length,
            "occurs": item.occurs_max or "", "redefines": item.redefines or "",
            "values": ", ".join(v.value + (f" THRU {v.thru}" if v.thru else "")
                                for v in item.condition_values),
            "file": item.file, "line": item.line})
    return pd.DataFrame(rows).astype({"offset": "Int64", "length": "Int64"}) if rows \
        else pd.DataFrame(rows)


def diagnostics(estate: Estate) -> pd.DataFrame:
    """Every problem found, estate-wide and per program, most severe first."""
    found = [*estate.diagnostics, *(d for p in estate.programs for d in p.diagnostics)]
    order = {"error": 0, "warning": 1, "info": 2}
    rows = sorted(({"severity": d.severity.value, "code": d.code, "file": d.file,
                    "line": d.line, "program": d.program, "message": d.message} for d in found),
                  key=lambda r: (order[r["severity"]], r["file"] or "", r["line"] or 0))
    return pd.DataFrame(rows, columns=["severity", "code", "file", "line", "program", "message"])
