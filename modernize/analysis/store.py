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
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from pydantic_core import to_jsonable_python

from ..core.errors import AnalysisDirError
from ..core.model import SCHEMA_VERSION, Estate, Frozen, Program
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


def write_analysis(out_dir: Path, estate: Estate, analysis: EstateAnalysis,
                   staging: ProgramStaging | None = None) -> Path:
    """``model.json`` and ``model.sqlite`` in ``out_dir``; ``staging`` holds what the
    programs staged while they were analysed give them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if staging is None:
        with ProgramStaging(out_dir) as own:
            return write_analysis(out_dir, estate, analysis, own)
    for program in estate.programs:  # those not staged while the estate was analysed
        staging.add(program)
    model_path = out_dir / MODEL_FILE
    atomic_write(model_path, _model_json(estate, analysis, staging))
    write_database(out_dir / DATABASE_FILE, estate, analysis, staging)
    return model_path


def _model_json(estate: Estate, analysis: EstateAnalysis, staging: ProgramStaging
                ) -> Iterator[bytes]:
    """model.json program by program: the bytes ``AnalysisDocument.model_dump_json(indent=1)``
    gives, without the whole document as one string (a million-line estate's is half a
    gigabyte). The document is dumped without its programs, and each program is dumped on
    its own, indented to its place in the list (JSON strings hold no raw newline, so every
    newline is layout): each program's text is read back from ``staging``, where it was
    staged."""
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
        yield b",\n  " if index else b"\n  "
        yield staging.json_of(program)
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

    def add(self, table: str, program: str, facts: tuple[Frozen, ...],
            extra: dict[str, list[Any]] | None = None) -> None:
        """A program's rows of a table: ``program``, then each fact's fields, then the
        ``extra`` columns (one value per fact). The cells are what :func:`_cell` writes of
        the facts' ``model_dump(mode="json")``, taken from their values as they are (building
        the dump was a third of the staging's time): each value is one of the JSON types, an
        enum member or a tuple, dict or model (JSON text)."""
        if not facts:
            return
        extra = extra or {}
        model = type(facts[0])
        names = list(model.model_fields)
        columns = self.columns.get(table)
        if columns is None:
            columns = self.columns[table] = ["program", *names, *extra]
            self.json_columns[table] = [index for index, name in enumerate(names, start=1)
                                        if type(facts[0].__dict__[name]) not in _JSON_SCALARS]
            column_list = ", ".join(f'"{c}"' for c in columns)
            self.db.execute(f'CREATE TABLE "{table}" ({column_list})')
        rows = [[program, *fact.__dict__.values()] for fact in facts]
        # a value left in __dict__ beside the fields (a cached property) would shift the row
        if any(type(fact) is not model for fact in facts) or \
                columns != ["program", *names, *extra] or \
                any(len(row) != len(names) + 1 for row in rows) or \
                list(facts[-1].__dict__) != names:
            raise AssertionError(f"rows of {table} with other columns than {columns}")
        for index in self.json_columns[table]:
            for row in rows:
                value = row[index]  # most are empty: no call for them
                row[index] = "[]" if value == () else _model_cell(value)
        for values in extra.values():
            for row, value in zip(rows, values, strict=True):
                row.append(value)
        placeholders = ", ".join("?" for _ in columns)
        self.db.executemany(f'INSERT INTO "{table}" VALUES ({placeholders})', rows)


def _model_cell(value: Any) -> Any:
    """A model field's value as :func:`_cell` writes its ``model_dump(mode="json")``."""
    kind = type(value)
    if kind in _JSON_SCALARS:
        return value
    if kind is tuple:
        if not value:
            return "[]"
        if all(type(v) is str for v in value):
            return "[" + ", ".join(map(_json_string, value)) + "]"
    elif isinstance(value, str):  # an enum member: its value
        return str(value)
    return _cell(to_jsonable_python(value))


class ProgramStaging:
    """What each program gives ``model.json`` and ``model.sqlite``, written as the program
    arrives (while the workers still analyse the others) beside them in ``out_dir``: its
    text in model.json in a spool file, its rows of the fact tables in a staging database.
    At the end :func:`_model_json` reads the texts back, and :func:`write_database` copies
    the rows (SQLite to SQLite, no Python per row) table by table, in the estate's order.
    The paragraphs are not staged: their rows carry what the graphs find (unreachable,
    complexity). Nothing is held in memory: a million lines' model.json is half a gigabyte.

    A program is known by identity: one replaced after it was staged (a duplicate PROGRAM-ID
    analysed again under a new id, a subprogram JCL runs made batch) is not the staged object,
    and is staged again at the end."""

    def __init__(self, out_dir: Path) -> None:
        paths: list[Path] = []  # the spool, the staging database: files of their own
        try:
            for name in (MODEL_FILE, DATABASE_FILE):
                handle, path = tempfile.mkstemp(prefix=f".{name}.", suffix=".staging",
                                                dir=out_dir)
                os.close(handle)
                paths.append(Path(path))
            self._spool = paths[0].open("w+b")
            self.db = sqlite3.connect(paths[1])
        except BaseException:
            if hasattr(self, "_spool"):
                self._spool.close()
            for path in paths:
                path.unlink(missing_ok=True)
            raise
        self._spool_path, self.path = paths
        self._tables = _ProgramTables(self.db)
        self._last_row: dict[str, int] = {}  # rowids run 1, 2, 3 ... (no row is ever deleted)
        # by id(program): the staged program is kept, so no other object can take its id
        self._staged: dict[int, _Staged] = {}

    def add(self, program: Program, text: bytes | None = None) -> None:
        """Stage a program's text (``text``: its :meth:`~Program.document_text`, made here
        when not given) and rows, once: a program already staged is left as it is."""
        if id(program) in self._staged:
            return
        if text is None:
            text = program.document_text()
        offset = self._spool.seek(0, os.SEEK_END)
        self._spool.write(text)
        rows: dict[str, tuple[int, int]] = {}
        for table, attribute in _PROGRAM_TABLES.items():
            facts = getattr(program, attribute)
            if not facts or table == "paragraphs":
                continue
            first = self._last_row.get(table, 0) + 1
            self._tables.add(table, program.name, facts)
            self._last_row[table] = last = first + len(facts) - 1
            rows[table] = (first, last)
        self._staged[id(program)] = _Staged(program, offset, len(text), rows)

    def rows_of(self, program: Program) -> dict[str, tuple[int, int]]:
        """The rowids (first, last) of the program's rows in each staged table it has rows
        in (this very program staged: KeyError for another)."""
        return self._staged[id(program)].rows

    def json_of(self, program: Program) -> bytes:
        """The program's text in model.json (this very program staged: KeyError for
        another)."""
        staged = self._staged[id(program)]
        self._spool.seek(staged.offset)
        return self._spool.read(staged.length)

    def columns(self, table: str) -> list[str]:
        return self._tables.columns[table]

    def close(self) -> None:
        self.db.close()
        self.path.unlink(missing_ok=True)
        self._spool.close()
        self._spool_path.unlink(missing_ok=True)

    def __enter__(self) -> ProgramStaging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Staged(NamedTuple):
    program: Program  # kept: its id is the key it is staged under
    offset: int  # where its model.json text starts in the spool
    length: int
    rows: dict[str, tuple[int, int]]  # table -> rowids (first, last) in the staging database


def write_database(path: Path, estate: Estate, analysis: EstateAnalysis,
                   staging: ProgramStaging) -> None:
    """``model.sqlite``: the programs, each fact table (copied from ``staging``, where every
    program of the estate is staged: :func:`write_analysis` stages them), the estate's other
    facts."""
    staging.db.commit()
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
        db.execute("ATTACH DATABASE ? AS staged", (str(staging.path),))
        _copy_fact_tables(db, estate, analysis, staging)
        db.commit()
        db.execute("DETACH DATABASE staged")
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


def _copy_fact_tables(db: sqlite3.Connection, estate: Estate, analysis: EstateAnalysis,
                      staging: ProgramStaging) -> None:
    """Each fact table, created in the order the programs first have rows for it, then filled
    one table after another in the programs' order: from the staging database (a run of
    programs staged one after another is one copy), the paragraphs from the programs
    themselves with what the graphs found. A table no program has rows for has the one column
    ``program``."""
    staged = [staging.rows_of(program) for program in estate.programs]
    order: list[str] = []
    for program, rows in zip(estate.programs, staged, strict=True):
        for table in _PROGRAM_TABLES:
            if (table in rows or (table == "paragraphs" and program.paragraphs)) \
                    and table not in order:
                order.append(table)
    paragraphs = _ProgramTables(db)
    for table in order:
        if table == "paragraphs":
            for program in estate.programs:
                facts = program.paragraphs
                found = analysis.programs.get(program.id)
                unreachable = set(found.unreachable_paragraphs) if found else set()
                complexity = found.paragraph_complexity if found else {}
                paragraphs.add(table, program.name, facts, {
                    "unreachable": [int(f.name in unreachable) for f in facts],
                    "complexity": [complexity.get(f.name) for f in facts]})
            continue
        columns = ", ".join(f'"{c}"' for c in staging.columns(table))
        db.execute(f'CREATE TABLE "{table}" ({columns})')
        copy = (f'INSERT INTO main."{table}" SELECT * FROM staged."{table}" '
                "WHERE rowid BETWEEN ? AND ? ORDER BY rowid")
        run: list[int] = []  # [first, last] rowids of programs staged one after another
        for rows in staged:
            if table not in rows:
                continue
            first, last = rows[table]
            if run and first == run[1] + 1:
                run[1] = last
                continue
            if run:
                db.execute(copy, run)
            run = [first, last]
        if run:
            db.execute(copy, run)
    for table in _PROGRAM_TABLES:
        if table not in order:
            _create(db, table, [])
