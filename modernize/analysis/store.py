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
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

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
    model_path = out_dir / MODEL_FILE
    atomic_write(model_path, _model_json(estate, analysis))
    write_database(out_dir / DATABASE_FILE, estate, analysis)
    return model_path


def _model_json(estate: Estate, analysis: EstateAnalysis) -> Iterator[bytes]:
    """model.json program by program: the bytes ``AnalysisDocument.model_dump_json(indent=1)``
    gives, without the whole document as one string (a million-line estate's is half a
    gigabyte). The document is dumped without its programs, and each program is dumped on
    its own, indented to its place in the list (JSON strings hold no raw newline, so every
    newline is layout)."""
    shell = AnalysisDocument.model_construct(**{**dict(estate), "programs": ()},
                                             analysis=analysis).model_dump_json(indent=1)
    empty = '\n "programs": [],\n'
    if not estate.programs or shell.count(empty) != 1:
        whole = AnalysisDocument.model_construct(**dict(estate), analysis=analysis)
        yield (whole.model_dump_json(indent=1) + "\n").encode("utf-8")
        return
    head, tail = shell.split(empty)
    yield (head + '\n "programs": [').encode("utf-8")
    for index, program in enumerate(estate.programs):
        text = program.model_dump_json(indent=1).replace("\n", "\n  ")
        yield (("," if index else "") + "\n  " + text).encode("utf-8")
    yield ("\n ],\n" + tail + "\n").encode("utf-8")


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
    """A JSON-ready value (from ``model_dump(mode="json")``) as an SQLite cell: scalars as
    they are, lists and objects as JSON text."""
    if value is None or isinstance(value, (int, float, str)):
        return value
    if not value:  # most list columns are empty: skip the encoder
        return "[]" if isinstance(value, list) else "{}"
    if type(value) is list and all(type(v) is str for v in value):
        # what json.dumps gives for a list of strings, without its layers of Python calls
        return "[" + ", ".join(map(_json_string, value)) + "]"
    return json.dumps(value)


_json_string = json.encoder.encode_basestring_ascii  # as json.dumps quotes (ensure_ascii)


_JSON_SCALARS = frozenset((str, int, float, bool, type(None)))


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


class _ProgramTables:
    """The per-program fact tables, filled a program at a time (the estate's rows are never
    all held at once). A table is created with its first row's columns (every row of a table
    is the same model, dumped with all its fields); a table no program has a row for is
    created with the one column ``program``, as :func:`_create` creates it."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.columns: dict[str, list[str]] = {}
        # the columns of a table that hold lists or objects (written as JSON text): a model
        # field is always a list, always an object or never either (a field that could be a
        # list or a scalar would reach SQLite as a list, which it refuses: loudly)
        self.json_columns: dict[str, list[int]] = {}

    def add(self, table: str, program: str, facts: list[dict[str, Any]],
            extra: dict[str, list[Any]] | None = None) -> None:
        """A program's rows of a table: ``program``, then each fact's fields, then the
        ``extra`` columns (one value per fact)."""
        if not facts:
            return
        extra = extra or {}
        columns = self.columns.get(table)
        if columns is None:
            columns = self.columns[table] = ["program", *facts[0], *extra]
            self.json_columns[table] = [index for index, value in
                                        enumerate(facts[0].values(), start=1)
                                        if type(value) not in _JSON_SCALARS]
            column_list = ", ".join(f'"{c}"' for c in columns)
            self.db.execute(f'CREATE TABLE "{table}" ({column_list})')
        width = len(columns) - 1 - len(extra)
        if any(len(fact) != width for fact in facts) or \
                ["program", *facts[-1], *extra] != columns:
            raise AssertionError(f"rows of {table} with other columns than {columns}")
        # rows of one model's dumps: their values in the columns' order, JSON types only
        rows = [[program, *fact.values()] for fact in facts]
        for index in self.json_columns[table]:
            for row in rows:
                row[index] = _cell(row[index])
        for values in extra.values():
            for row, value in zip(rows, values, strict=True):
                row.append(value)
        placeholders = ", ".join("?" for _ in columns)
        self.db.executemany(f'INSERT INTO "{table}" VALUES ({placeholders})', rows)

    def finish(self, tables: Iterable[str]) -> None:
        for table in tables:
            if table not in self.columns:
                _create(self.db, table, [])


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
        tables = _ProgramTables(db)
        for program in estate.programs:
            # one dump per program (not one per fact): the facts' JSON forms, as model.json
            dumped = program.model_dump(mode="json", include=set(_PROGRAM_TABLES.values()))
            facts = analysis.programs.get(program.id)
            unreachable = set(facts.unreachable_paragraphs) if facts else set()
            complexity = facts.paragraph_complexity if facts else {}
            for table, attribute in _PROGRAM_TABLES.items():
                facts = dumped[attribute]
                extra = None
                if table == "paragraphs":
                    extra = {"unreachable": [int(f["name"] in unreachable) for f in facts],
                             "complexity": [complexity.get(f["name"]) for f in facts]}
                tables.add(table, program.name, facts, extra)
        tables.finish(_PROGRAM_TABLES)
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
