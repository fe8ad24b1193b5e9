"""The context store: ``model.json`` and a SQLite database of the same facts.

``model.json`` is the ``Estate`` as JSON (schema in ``docs/model.schema.json``, version in
``schema_version``) plus an ``analysis`` object with what the graphs gave (unreachable
paragraphs, complexity, fan-in/out, unresolved calls, missing copybooks, CRUD matrix).
``model.sqlite`` holds one table per kind of fact, one row per fact, for plain SQL:

    SELECT program, name, line FROM paragraphs WHERE unreachable = 1;
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..core.errors import AnalysisDirError
from ..core.model import SCHEMA_VERSION, Estate
from ..core.outputs import atomic_write
from .graphs import EstateAnalysis

MODEL_FILE = "model.json"
DATABASE_FILE = "model.sqlite"

# Program fields stored as their own tables (table name → Program attribute)
_PROGRAM_TABLES = {
    "sections": "sections", "paragraphs": "paragraphs", "data_items": "data_items",
    "files": "files", "calls": "calls", "performs": "performs", "gotos": "gotos",
    "file_ops": "file_ops", "sql_statements": "sql", "cics_commands": "cics",
    "data_flow": "data_flow", "conditions": "conditions", "copybook_uses": "copybook_uses",
}


class AnalysisDocument(Estate):
    """What model.json holds: the Estate and, beside it, the analysis of its graphs."""

    analysis: EstateAnalysis


def is_current(out_dir: Path, estate: Estate) -> bool:
    """True when out_dir already holds the analysis of exactly these inputs, in a model.json
    and a model.sqlite that are whole (an empty or broken database is written again)."""
    model_path = Path(out_dir) / MODEL_FILE
    if not estate.input_digest or not (Path(out_dir) / DATABASE_FILE).is_file():
        return False
    try:
        with model_path.open("rb") as handle:
            head = handle.read(4096).decode("utf-8", "replace")
    except OSError:
        return False
    if f'"input_digest": "{estate.input_digest}"' not in head:
        return False
    return _database_digest(Path(out_dir) / DATABASE_FILE) == estate.input_digest


def _database_digest(path: Path) -> str | None:
    """The input digest a whole model.sqlite records, or None when it is not whole."""
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'input_digest'").fetchone()
        finally:
            db.close()
    except (sqlite3.Error, OSError, ValueError):
        return None
    return row[0] if row else None


def write_analysis(out_dir: Path, estate: Estate, analysis: EstateAnalysis) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    document = AnalysisDocument.model_construct(**dict(estate), analysis=analysis)
    model_path = out_dir / MODEL_FILE
    atomic_write(model_path, (document.model_dump_json(indent=1) + "\n").encode("utf-8"))
    write_database(out_dir / DATABASE_FILE, estate, analysis)
    return model_path


def load_analysis(out_dir: Path) -> tuple[Estate, EstateAnalysis]:
    model_path = Path(out_dir) / MODEL_FILE
    if not model_path.is_file():
        raise AnalysisDirError(f"{model_path} not found: run `modernize analyze PATH --out "
                               f"{out_dir}` first")
    try:
        raw = model_path.read_bytes()
        found = re.search(rb'"schema_version":\s*"([^"]*)"', raw[:4096])
        version = found.group(1).decode() if found else ""
    except OSError as exc:
        raise AnalysisDirError(f"{model_path} is not readable JSON ({exc}); analyse again") from exc
    if str(version).split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        raise AnalysisDirError(f"{model_path} has schema {version}, this tool reads "
                               f"{SCHEMA_VERSION}: analyse again with this version")
    try:
        document = AnalysisDocument.model_validate_json(raw)
    except ValueError as exc:
        raise AnalysisDirError(f"{model_path} does not match the model ({exc}); "
                               "analyse again") from exc
    fields = {k: getattr(document, k) for k in Estate.model_fields}
    return Estate.model_construct(**fields), document.analysis


def load_estate(out_dir: Path) -> Estate:
    return load_analysis(out_dir)[0]


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, (int, float, str)):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, BaseModel):
        return json.dumps(value.model_dump(mode="json"))
    return json.dumps(value, default=lambda v: v.model_dump(mode="json") if isinstance(
        v, BaseModel) else str(v))


def _create(db: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        db.execute(f'CREATE TABLE "{table}" (program TEXT)')
        return
    columns = list(dict.fromkeys(k for row in rows for k in row))
    column_list = ", ".join(f'"{c}"' for c in columns)
    db.execute(f'CREATE TABLE "{table}" ({column_list})')
    placeholders = ", ".join("?" for _ in columns)
    db.executemany(f'INSERT INTO "{table}" VALUES ({placeholders})',
                   [[_cell(row.get(c)) for c in columns] for row in rows])


def write_database(path: Path, estate: Estate, analysis: EstateAnalysis) -> None:
    # a temporary file of its own beside the target (two runs never share one), renamed in
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                         dir=path.parent)
    os.close(handle)
    tmp = Path(temporary)
    db = sqlite3.connect(tmp)
    try:
        programs = []
        for program in estate.programs:
            facts = analysis.programs.get(program.id)
            programs.append({
                "id": program.id, "name": program.name, "path": program.path,
                "kind": program.kind, "lines": program.lines,
                "parsed_cleanly": int(program.parsed_cleanly),
                "paragraphs": len(program.paragraphs), "complexity": facts.complexity if facts
                else None, "fan_in": facts.fan_in if facts else None,
                "fan_out": facts.fan_out if facts else None,
                "copybooks": ",".join(program.copybooks)})
        _create(db, "programs", programs)
        for table, attribute in _PROGRAM_TABLES.items():
            rows = []
            for program in estate.programs:
                unreachable = set(analysis.programs[program.id].unreachable_paragraphs) \
                    if program.id in analysis.programs else set()
                complexity = analysis.programs[program.id].paragraph_complexity \
                    if program.id in analysis.programs else {}
                for fact in getattr(program, attribute):
                    row = {"program": program.name, **fact.model_dump(mode="json")}
                    if table == "paragraphs":
                        row["unreachable"] = int(fact.name in unreachable)
                        row["complexity"] = complexity.get(fact.name)
                    rows.append(row)
            _create(db, table, rows)
        diagnostics = [d.model_dump(mode="json") for d in estate.diagnostics]
        diagnostics += [d.model_dump(mode="json") for p in estate.programs for d in p.diagnostics]
        _create(db, "diagnostics", diagnostics)
        _create(db, "copybooks", [{"name": k, "path": v} for k, v in estate.copybooks.items()])
        _create(db, "inventory", [f.model_dump(mode="json") for f in estate.inventory.files])
        _create(db, "crud", [{"program": c.program, "resource": c.resource, "kind": c.kind,
                              "ops": c.ops} for c in analysis.crud])
        _create(db, "jcl_steps", [{"job": j.name, "step": s.name, "program": s.program,
                                   "proc": s.proc, "file": s.file, "line": s.line}
                                  for j in estate.jobs for s in j.steps])
        _create(db, "jcl_dds", [{"job": j.name, "step": s.name, "dd": d.name, "dsn": d.dsn,
                                 "disp": d.disp, "file": d.file, "line": d.line}
                                for j in estate.jobs for s in j.steps for d in s.dds])
        db.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        db.executemany("INSERT INTO meta VALUES (?, ?)",
                       [("schema_version", estate.schema_version), ("root", estate.root),
                        ("input_digest", estate.input_digest or "")])
        db.commit()
        db.close()
        tmp.replace(path)
    except BaseException:
        db.close()
        tmp.unlink(missing_ok=True)
        raise
