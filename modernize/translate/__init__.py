"""The deterministic translator: a batch COBOL program of the analysis model → a Python module.

``translate_program`` writes one module per program: its records as classes over
:mod:`modernize.runtime` (:mod:`.data`), its paragraphs and sections as methods that keep
COBOL's control flow (:mod:`.statements`, :mod:`modernize.runtime.program`), each method's docstring
stamped with its provenance through :mod:`modernize.translate.codecheck`. Whatever it cannot
translate is listed per statement and stops the run at that statement.
``translate_estate`` does every batch program (and subprogram) of an analysis and writes
``translation.json``.
"""

from __future__ import annotations

import ast
import builtins
import functools
import json
import keyword
import logging
import re
import textwrap
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .. import __version__
from ..core.escape import md_code, md_text, py_comment, py_docstring
from ..core.executor import Executor
from ..core.journal import Journal
from ..core.model import DataItem, Estate, Program
from ..core.names import module_name, module_names
from ..core.outputs import write_inside
from ..runtime.program import Program as RuntimeProgram
from .codecheck import BUILTIN_NAMES, Provenance, check_module, stamp_provenance
from .data import RUNTIME_NAMES as _RUNTIME_NAMES
from .data import Layout, literal_code
from .expressions import Reader, TranslateError
from .flow import ControlFlow, ModuleShape, module_shape
from .formatting import format_module, long_string
from .held import hold_private_numbers
from .sql import embedded_statement, uses_sql, with_sqlca
from .statements import Context, Emitter, Unsupported, alternate_keys_code, file_attribute

log = logging.getLogger(__name__)

TRANSLATABLE_KINDS = ("batch", "subprogram")
_SELF_ATTRIBUTE = re.compile(r"\bself\.([A-Za-z_][A-Za-z0-9_]*)\s*[:=]")
# names a method must not take: the runtime program's, the runtime functions a module imports
# (a method initialize beside the function initialize would mislead) and Python's builtins
_RUNTIME_ATTRIBUTES = {name for name in dir(RuntimeProgram) if not name.startswith("__")} | {
    "registers", "called", "altered", "sql", "enter"} | {
    name.lower() for name in _RUNTIME_NAMES} | set(dir(builtins))
RUNTIME_MODULE = "modernize.runtime.translated"


@dataclass
class Translation:
    """One program's translation: the module, and what it could not translate."""

    program: str
    module_name: str
    source: str
    statements: int
    translated: int
    unsupported: list[Unsupported] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    check_problems: list[str] = field(default_factory=list)
    functions: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    program_id: str = ""  # the model's unique id (two programs may share a PROGRAM-ID)
    shape: ModuleShape | None = None
    held: tuple[str, ...] = ()  # items proved private, held as Python ints (see .held)

    @property
    def key(self) -> str:
        """How translation.json names it: the PROGRAM-ID, or ``NAME@path`` for a duplicate."""
        return self.program_id.split(":", 1)[1] if self.program_id else self.program

    @property
    def coverage(self) -> float:
        """Share of statements translated (1.0 when there are none)."""
        return self.translated / self.statements if self.statements else 1.0

    def summary(self) -> dict[str, object]:
        return {
            "program": self.program, "id": self.program_id, "module": f"{self.module_name}.py",
            "statements": self.statements, "translated": self.translated,
            "coverage": round(self.coverage, 4),
            "unsupported": [asdict(u) for u in self.unsupported],
            "notes": self.notes, "check_problems": self.check_problems,
            "functions": {name: {"file": f, "first_line": a, "last_line": b}
                          for name, (f, a, b) in self.functions.items()},
            **({"shape": asdict(self.shape)} if self.shape else {}),
            "held_items": list(self.held),
        }


def estate_module_names(estate: Estate) -> dict[str, str]:
    """``program id → module name`` for every program of ``estate`` (unique, safe)."""
    return module_names((p.id, p.name) for p in estate.programs)


def method_name(key: str) -> str:
    """The long form of a procedure's method name: ``p_`` and the whole name in snake case
    (``2000-EXIT`` → ``p_2000_exit``), used where the short form would clash."""
    return "p_" + re.sub(r"[^a-z0-9]+", "_", key.lower()).strip("_") if key else "p_entry"


_NUMERIC_PREFIX = re.compile(r"^[0-9]+_")


def method_names(keys: Sequence[str], taken: set[str]) -> dict[str, str]:
    """``procedure key → method name``: the paragraph's name in snake case without its
    numeric prefix (``2000-ASSESS-ACCOUNT`` → ``assess_account``) where that is unique among
    the program's procedures, a plain identifier and not ``taken`` (the program's attributes
    and the runtime's methods); else the long form (``p_2000_exit``)."""
    short = {key: _NUMERIC_PREFIX.sub("", re.sub(r"[^a-z0-9]+", "_", key.lower()).strip("_"))
             for key in keys if key}
    counts = Counter(short.values())
    names = {}
    for key in keys:
        name = short.get(key, "")
        usable = (name.isidentifier() and name.isascii() and counts[name] == 1 and
                  not keyword.iskeyword(name) and not name.startswith(("p_", "_")) and
                  name not in taken)
        names[key] = name if usable else method_name(key)
    return names


def translate_program(program: Program, estate: Estate | None = None) -> Translation:
    """Translate one program of the model into a Python module's source."""
    return _Generator(with_sqlca(program)).run()


class _Generator:
    def __init__(self, program: Program) -> None:
        self.program = program
        self.layout = Layout(program)
        self.out: list[str] = []
        self.stamps: dict[str, Provenance] = {}
        self.functions: dict[str, tuple[str, int, int]] = {}
        self.flow: ControlFlow | None = None

    # -- the pieces ------------------------------------------------------------------------
    def run(self) -> Translation:
        program = self.program
        ctx = self._context()
        class_name = _class_name(program.name)
        header = self._header()
        records = self._records()
        init = self._program_init(class_name, ctx)
        methods, table, ranges = self._procedures(ctx, class_name, init)
        collating = self.layout.collating
        sequence = [collating.definition, f'"""ALPHABET '
                    f'{py_docstring(program.collating_sequence or "")}, the PROGRAM COLLATING '
                    'SEQUENCE."""', "", ""] if collating and collating.custom else []
        body = [*sequence, *records, f"@program\nclass {class_name}(Program):",
                f'    """{py_docstring(program.name)}, translated from '
                f'{py_docstring(program.path)}."""', "",
                f"    NAME = {program.name!r}", f"    SOURCE = {program.path!r}",
                *([f"    COLLATING = {collating.name}"] if collating else []), "",
                *init, *methods, table, ranges, "", "",
                'if __name__ == "__main__":', f"    main({class_name}, __file__)", ""]
        holding = hold_private_numbers("\n".join(body))
        code = holding.code
        source = wrap_long_lines(header + _imports(code) + "\n\n" + code)
        try:
            source = stamp_provenance(source, self.stamps)
        except Exception as error:  # noqa: BLE001 - reported, the module is still written
            log.warning("could not stamp provenance on %s: %s", program.name, error)
        source = format_module(source)
        report = check_module(source)
        shape = module_shape(source, class_name, self.flow)
        notes = [f"{item.file}:{item.line}: data item {item.name}: {why} is not supported"
                 for item, why in self.layout.problems]
        data_problems = [Unsupported(program.name, item.file, item.line, why,
                                     f"data item {item.name}: the runtime has no {why}; a "
                                     "statement that uses it stops the run")
                         for item, why in self.layout.problems]
        if self.layout.collating_error:  # the program compares in the native order
            data_problems.append(Unsupported(
                program.name, program.path, 1, "PROGRAM COLLATING SEQUENCE",
                f"{self.layout.collating_error}: comparisons use the native order"))
        return Translation(program=program.name, module_name=module_name(program.name),
                           source=source, statements=ctx.counts.statements,
                           translated=ctx.counts.translated,
                           unsupported=data_problems + ctx.unsupported,
                           notes=notes, check_problems=[p.describe() for p in report.problems],
                           functions=self.functions, shape=shape, held=holding.held)

    def _context(self) -> Context:
        program = self.program
        keys: dict[str, str] = {}
        section_of: dict[str, str | None] = {}
        for section in program.sections:
            keys.setdefault(section.name, section.key)
            section_of[section.key] = section.name
        counts: dict[str, int] = {}
        for paragraph in program.paragraphs:
            counts[paragraph.name] = counts.get(paragraph.name, 0) + 1
        for paragraph in program.paragraphs:
            if paragraph.section:
                keys[f"{paragraph.name} IN {paragraph.section}"] = paragraph.key
            if counts[paragraph.name] == 1:
                keys[paragraph.name] = paragraph.key
            section_of[paragraph.key] = paragraph.section
        files = {f.name: f for f in program.files}
        record_file = {}
        for f in program.files:
            for record in f.records:
                record_file[record] = f.name
        sort_files = {f.name for f in program.files if _is_sort_file(program, f.name)}
        altered = set()
        for body in program.bodies:
            for sentence in body.sentences:
                for statement in sentence.statements:
                    if statement.verb == "ALTER":
                        words = [w for w in statement.operands if w not in (",", ";")]
                        if words:
                            altered.add(keys.get(words[0], words[0]))
        return Context(program=program, layout=self.layout, procedure_keys=keys,
                       section_of=section_of, files=files, record_file=record_file,
                       sort_files=sort_files, altered=altered)

    def _header(self) -> str:
        program = self.program
        return (f'"""{py_docstring(program.name)}: a Python translation of '
                f"{py_docstring(program.path)}.\n\n"
                f"Generated by modernize {__version__} (deterministic translator) from the "
                f"analysis model ({py_docstring(program.id)}).\n"
                "Run it as ``python <this file>`` where the COBOL program runs: the same files "
                "(DD_<name>),\nenvironment, standard input and output; the exit status is "
                "RETURN-CODE. A statement the\ntranslator did not support stops the run there "
                '(see translation.json).\n"""\n\nfrom __future__ import annotations\n\n')

    def _records(self) -> list[str]:
        out: list[str] = []
        for cls in self.layout.classes:
            item = cls.item
            out += [f"class {cls.name}(Record):",
                    f'    """{_level(item)} {py_docstring(item.name)}'
                    f'{" (one element of its OCCURS)" if item.occurs_max else ""}."""', "",
                    f"    LENGTH = {cls.length}", "",
                    "    def __init__(self, buffer: bytearray | None = None, offset: int = 0"
                    ") -> None:",
                    f'        """Make the items of {py_docstring(item.name)} over the record\'s '
                    'bytes."""',
                    "        super().__init__(buffer, offset)"]
            out += [f"        {line}" for line in cls.lines]
            out += ["", ""]
            self.stamps[f"{cls.name}.__init__"] = Provenance(
                item.id, item.file, item.line, max(cls.last_line, item.line))
        return out

    def _program_init(self, class_name: str, ctx: Context) -> list[str]:
        program = self.program
        lines = ["    def __init__(self) -> None:",
                 f'        """The storage and files of {py_docstring(program.name)}."""',
                 "        super().__init__()"]
        first_line = min((d.line for d in program.data_items if d.file == program.path),
                         default=1)
        last_line = max((d.line for d in program.data_items if d.file == program.path),
                        default=first_line)
        attribute_of = {item.id: attribute for attribute, _, item in self.layout.records}
        fd_buffers: dict[str, str] = {}
        fd_lengths = _fd_lengths(program)
        by_name = {d.name: d for d in program.data_items if d.level in (1, 77)}
        linkage: list[tuple[str, str, DataItem]] = []
        order = {item.id: n for n, item in enumerate(program.data_items)}
        roots = sorted([(attribute, name, item) for attribute, name, item in self.layout.records]
                       + [(attribute, "", item) for attribute, item in self.layout.standalone],
                       key=lambda entry: order.get(entry[2].id, 0))
        attribute_of.update({item.id: attribute for attribute, item in self.layout.standalone})
        # an 01 that a longer 01 redefines has the longer one's storage (its bytes past its
        # own end start as low-values, as GnuCOBOL's do)
        storage: dict[str, int] = {}
        for _, _, item in roots:
            base_item = by_name.get(item.redefines or "")
            if base_item is not None and (item.length or 0) > max(
                    storage.get(base_item.id, 0), base_item.length or 0):
                storage[base_item.id] = item.length or 0
        for attribute, name, item in roots:
            if item.level == 88:
                parent = self.layout.items[item.parent] if item.parent else None
                if parent is not None:
                    owner = self.layout.access[parent.id].code([])
                    lines.append(f"        self.{attribute} = Condition({owner}, "
                                 f"{self.layout.condition_args(item)})")
                continue
            make = functools.partial(self._make_root, name, item)
            if item.storage == "linkage":
                linkage.append((attribute, name, item))
                # declared, not made: ENTRY binds it to the caller's argument (before that,
                # using it is an error, as in COBOL)
                lines.append(f"        self.{attribute}: {name or 'Field'}")
                continue
            if item.redefines and item.redefines in by_name and \
                    by_name[item.redefines].id in attribute_of:
                base = attribute_of[by_name[item.redefines].id]
                lines.append(f"        self.{attribute} = "
                             f"{make(f'self.{base}.buffer', f'self.{base}.offset')}")
                continue
            if item.fd:
                if item.fd in fd_buffers:
                    lines.append(f"        self.{attribute} = {make(fd_buffers[item.fd], '0')}")
                else:
                    # GnuCOBOL starts a record area as low-values
                    buffer = f"bytearray({fd_lengths.get(item.fd, item.length or 0)})"
                    lines.append(f"        self.{attribute} = {make(buffer, '0')}")
                    fd_buffers[item.fd] = f"self.{attribute}.buffer"
                continue
            if name:
                size = f"bytearray({storage[item.id]})" if item.id in storage else ""
                lines.append(f"        self.{attribute} = {name}({size})")
                lines.append(f"        self.{attribute}.initial_values()")
                if item.value and item.is_group:  # the record's VALUE, over its items'
                    lines.append(f"        self.{attribute}.set({literal_code(item.value)})")
                continue
            size = storage.get(item.id, item.length or 1)
            lines.append(f"        self.{attribute} = {make(f'bytearray({size})', '0')}")
            if item.id in self.layout.unsupported_items:
                continue  # no initial value: it holds zero bytes
            default = "ZEROS" if self.layout.category(item) in (
                "numeric", "numeric-edited") else "SPACES"
            value = literal_code(item.value) if item.value else default
            lines.append(f"        self.{attribute}.set{'_initial' if item.value else ''}"
                         f"({value})")
        for group, table in self.layout.variable_groups:  # OCCURS DEPENDING ON: the count
            try:
                counter = Reader([table.depending_on or ""], self.layout).identifier().code
            except TranslateError:
                continue  # an object the program cannot name: the group keeps its maximum
            lines.append(f"        {self.layout.access[group.id].code([])}.depends_on("
                         f"lambda: {counter})")
        for index_name, attribute in self.layout.index_names.items():
            lines.append(f"        self.{attribute} = IndexName()  # index "
                         f"{py_comment(index_name)}")
            lines.append(f"        self.{attribute}.set(1)")
        for f in program.files:
            attribute = file_attribute(f.name)
            if f.name in ctx.sort_files:
                lines.append(f"        self.{attribute}: SortFile  # made by its SORT")
                continue
            record = next((self.layout.access[by_name[r].id].code([]) for r in f.records
                           if r in by_name and by_name[r].id in self.layout.access), None)
            if record is None:
                record = f"Group(bytearray({fd_lengths.get(f.name, 1)}), 0, " \
                         f"{fd_lengths.get(f.name, 1)})"
            options = [f"organization={f.organization.replace('-', ' ')!r}"]
            if f.access != "SEQUENTIAL":
                options.append(f"access={f.access!r}")
            options.append(f"record={record}")
            lengths = {by_name[r].length for r in f.records if r in by_name}
            if len(lengths) > 1 and f.organization.upper() == "SEQUENTIAL":
                options.append("variable=True")
            for option, clause, name in (("status", "FILE STATUS", f.file_status),
                                         ("record_key", "RECORD KEY", f.record_key)):
                if not name:
                    continue
                try:
                    options.append(f"{option}={Reader([name], self.layout).identifier().code}")
                except TranslateError as error:  # listed: the file would behave otherwise
                    ctx.unsupported.append(Unsupported(program.name, f.file, f.line, clause,
                                                       f"{clause} {name}: {error}"))
            try:
                alternates = alternate_keys_code(f, self.layout)
            except TranslateError as error:  # listed: the file would behave otherwise
                alternates = ""
                ctx.unsupported.append(Unsupported(program.name, f.file, f.line,
                                                   "ALTERNATE RECORD KEY", str(error)))
            if alternates:
                options.append(alternates)
            if f.optional:
                options.append("optional=True")
            lines.append(f"        self.{attribute} = CobolFile({f.name!r}, "
                         f"{f.external_name!r}, {', '.join(options)})")
        if uses_sql(program):
            lines += self._sql_session(ctx)
        if use_procedures(program):
            lines.append("        self.bind_declaratives()")
        lines.append("")
        self.stamps[f"{class_name}.__init__"] = Provenance(
            f"{program.id}/data", program.path, first_line, max(last_line, first_line))
        if program.entry_using:
            lines += self._enter(class_name, linkage)
        return lines

    def _sql_session(self, ctx: Context) -> list[str]:
        """The embedded SQL session: tables from DECLARE TABLE, cursors from DECLARE CURSOR
        (DB2 declares them when the program is bound; their host variables bind at OPEN)."""
        program = self.program
        tables = [s.text for s in program.sql if s.verb == "DECLARE" and
                  "TABLE" in s.text.upper().split()[:4]]
        sqlca = Reader(["SQLCA"], self.layout).identifier().code
        lines = [f"        self.sql = SqlSession({sqlca}, declarations=["]
        lines += [f"            {text!r}," for text in tables]
        lines.append("        ])")
        for statement in program.sql:
            if statement.verb == "DECLARE CURSOR" and statement.cursor:
                embedded = embedded_statement(statement.text)
                ctx.cursors[statement.cursor] = embedded
                lines.append(f"        self.sql.declare_cursor({statement.cursor!r}, "
                             f"{long_string(embedded.text)})")
        return lines

    def _make_root(self, class_name: str, item: DataItem, buffer: str, offset: str) -> str:
        """Code making a record (its class) or a standalone item (a field) over a buffer."""
        if class_name:
            return f"{class_name}({buffer}, {offset})"
        why = self.layout.unsupported_items.get(item.id)
        if why is not None:
            return f"UnsupportedItem({buffer}, {offset}, {item.length or 1}, {why!r})"
        return self.layout.field_code(item, buffer, offset)

    def _enter(self, class_name: str, linkage: list[tuple[str, str, DataItem]]) -> list[str]:
        program = self.program
        lines = ["    def enter(self, arguments: list[Item]) -> None:",
                 '        """PROCEDURE DIVISION USING: the LINKAGE records over the caller\'s '
                 'arguments."""']
        by_name = {item.name: (attribute, name, item) for attribute, name, item in linkage}
        for n, parameter in enumerate(program.entry_using):
            if parameter not in by_name:
                lines.append(f"        raise UnsupportedError('USING {parameter}')")
                continue
            attribute, name, item = by_name[parameter]
            make = name or ("lambda buffer, offset: "
                            + self.layout.field_code(item, "buffer", "offset"))
            lines.append(f"        self.{attribute} = self.linkage({attribute!r}, "
                         f"arguments[{n}], {make})")
        lines += ["        self.run_from_start()", ""]
        line = program.paragraphs[0].line if program.paragraphs else 1
        self.stamps[f"{class_name}.enter"] = Provenance(f"{program.id}/entry", program.path,
                                                        line, line)
        return lines

    @staticmethod
    def _attributes_of(init: Sequence[str]) -> set[str]:
        """The attributes the program's ``__init__`` makes (methods must not shadow them)."""
        return {m.group(1) for line in init for m in _SELF_ATTRIBUTE.finditer(line)}

    def _procedures(self, ctx: Context, class_name: str,
                    init: Sequence[str] = ()) -> tuple[list[str], str, str]:
        program = self.program
        procedures = {p.key: p for p in (*program.sections, *program.paragraphs)}
        declarative = _declarative_keys(program)
        lines: list[str] = []
        order: list[tuple[str, str]] = []
        bodies: dict[str, list[str]] = {}
        names = method_names([body.procedure for body in program.bodies],
                             _RUNTIME_ATTRIBUTES | self._attributes_of(init))
        for body in program.bodies:
            order.append((body.procedure, names[body.procedure]))
            emitter = Emitter(ctx, body.procedure)
            for sentence in body.sentences:
                emitter.sentence(sentence.statements)
            bodies[body.procedure] = emitter.lines
        ranges = {}
        for section in program.sections:
            members = [p.key for p in program.paragraphs if p.section == section.name]
            ranges[section.key] = members[-1] if members else section.key
        flow = ControlFlow(order, bodies, ranges)
        for body in program.bodies:
            name = names[body.procedure]
            proc = procedures.get(body.procedure)
            title = body.procedure or "statements before the first paragraph"
            why = flow.why_dispatched(body.procedure)
            lines += [f"    def {name}(self) -> str | None:",
                      f'        """{py_docstring(title)}.' + (
                          "\n\n" + textwrap.indent(textwrap.fill(py_docstring(why), 88),
                                                    "        ") + "\n        "
                          if why else "") + '"""']
            lines += flow.direct_lines(bodies[body.procedure])
            lines += ["        return None", ""]
            if proc is not None:
                first, last = proc.line, proc.end_line or proc.line
                model_id, path = proc.id, proc.file
            else:
                lines_ = [s.line for s in body.sentences]
                first = min(lines_, default=1)
                last = max((s.end_line or s.line for sentence in body.sentences
                            for s in sentence.statements), default=first)
                model_id, path = f"{program.id}/entry", program.path
            self.stamps[f"{class_name}.{name}"] = Provenance(model_id, path, first,
                                                             max(first, last))
            self.functions[f"{class_name}.{name}"] = (path, first, max(first, last))
        self.flow = flow
        table = "    PROCEDURES = (\n" + "".join(
            f"        ({key!r}, {name}),\n" for key, name in order) + "    )"
        range_text = "    RANGES = {\n" + "".join(
            f"        {k!r}: {v!r},\n" for k, v in ranges.items()) + "    }" if ranges else ""
        uses = use_procedures(program)
        if uses:
            start = next((key for key, _ in order if key not in declarative), None)
            range_text += f"\n    START = {start!r}\n    DECLARATIVES = {{\n" + "".join(
                f"        {k!r}: {v!r},\n" for k, v in uses.items()) + "    }"
        return lines, table, range_text


def _declarative_keys(program: Program) -> set[str]:
    keys = {p.key for p in program.sections if p.declarative}
    keys |= {p.key for p in program.paragraphs if p.section and any(
        s.declarative and s.name == p.section for s in program.sections)}
    return keys


def use_procedures(program: Program) -> dict[str, str]:
    """``USE AFTER [STANDARD] {ERROR|EXCEPTION} PROCEDURE ON files | mode`` of each declarative
    section: ``FILE:<name>`` or ``MODE:<INPUT|OUTPUT|I-O|EXTEND>`` → the section's key."""
    sections = {s.key for s in program.sections if s.declarative}
    out: dict[str, str] = {}
    for body in program.bodies:
        if body.procedure not in sections:
            continue
        for sentence in body.sentences:
            for statement in sentence.statements:
                if statement.verb != "USE" or "ON" not in statement.operands:
                    continue
                if not {"ERROR", "EXCEPTION"} & set(statement.operands):
                    continue
                for word in statement.operands[statement.operands.index("ON") + 1:]:
                    if word in (",", ";"):
                        continue
                    kind = "MODE" if word in ("INPUT", "OUTPUT", "I-O", "EXTEND") else "FILE"
                    out.setdefault(f"{kind}:{word}", body.procedure)
    return out


def _level(item: DataItem) -> str:
    return f"{item.level:02d}"


def _class_name(name: str) -> str:
    """The program's class name; never one of the runtime's names it would hide."""
    parts = re.split(r"[^A-Za-z0-9]+", name)
    text = "".join(p[:1].upper() + p[1:].lower() for p in parts if p)
    text = text if text and not text[0].isdigit() else "P" + text
    return text + "Program" if text in _RUNTIME_NAMES or text in BUILTIN_NAMES else text


def _fd_lengths(program: Program) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in program.data_items:
        if item.fd and item.level in (1, 77):
            out[item.fd] = max(out.get(item.fd, 0), item.length or 0)
    return out


def _is_sort_file(program: Program, name: str) -> bool:
    """An SD: a file that a SORT statement names first (SD entries carry no SELECT mode)."""
    for body in program.bodies:
        for sentence in body.sentences:
            for statement in _walk(sentence.statements):
                if statement.verb in ("SORT", "MERGE") and statement.operands[:1] == (name,):
                    return True
    return False


def _walk(statements):  # noqa: ANN001, ANN202 - a small recursive generator
    for statement in statements:
        yield statement
        for branch in statement.branches:
            yield from _walk(branch.statements)




def _imports(code: str) -> str:
    try:
        names_in_code = {node.id for node in ast.walk(ast.parse(code))
                         if isinstance(node, ast.Name)}
        used = [name for name in _RUNTIME_NAMES if name in names_in_code]
    except SyntaxError:  # check_module reports it; import what the text seems to use
        used = [name for name in _RUNTIME_NAMES if re.search(rf"(?<![\w.]){name}\b", code)]
    decimal = "Decimal" in used
    names = [n for n in used if n != "Decimal"]
    out = "from decimal import Decimal\n\n" if decimal else ""
    out += f"from {RUNTIME_MODULE} import (\n"
    out += "".join(f"    {name},\n" for name in names) + ")\n"
    return out


@dataclass
class EstateTranslation:
    translations: list[Translation]
    skipped: dict[str, str]

    def summary(self) -> dict[str, object]:
        return {"tool": f"modernize {__version__}",
                "programs": {t.key: t.summary() for t in self.translations},
                "skipped": self.skipped}


def translate_estate(estate: Estate, out_dir: Path, *,
                     progress: Callable[[str, int, int], None] | None = None,
                     executor: Executor | None = None, journal: Journal | None = None
                     ) -> EstateTranslation:
    """Translate every batch program and subprogram; write the modules and translation.json.
    ``progress(program, index, total)`` is called before each program (counting from 1; with
    workers, as each one is done). ``executor`` shares the programs out to its workers (by
    default all are translated here); the outputs are the same for any of them. With a
    ``journal`` (``modernize run``), a program it holds is not translated again and each
    translation is recorded as it comes back."""
    out_dir.mkdir(parents=True, exist_ok=True)
    done: dict[str, Translation | str] = {}  # program id → its translation, or why none
    skipped: dict[str, str] = {}
    modules = estate_module_names(estate)
    todo: list[Program] = []
    total = len(estate.programs)
    for program in estate.programs:
        if program.kind not in TRANSLATABLE_KINDS:
            done[program.id] = f"{program.kind} program (CICS): not translated"
        elif journal and (recorded := journal.get(JOURNAL_STAGE, program.id)) is not None:
            done[program.id] = _from_record(recorded)  # translated by an interrupted run
        else:
            todo.append(program)
            continue
        if progress:
            progress(program.name, len(done), total)
    before = len(done)

    def counted(name: str, index: int, count: int) -> None:
        if progress:
            progress(name, before + index, total)

    for index, outcome in (executor or Executor()).completed(
            _translate_one, todo, labels=[p.name for p in todo], progress=counted):
        program = todo[index]
        done[program.id] = outcome
        if journal:
            journal.put(JOURNAL_STAGE, program.id, _record(outcome))
    translations: list[Translation] = []
    for program in estate.programs:  # in the estate's order, however the work was shared out
        outcome = done[program.id]
        if isinstance(outcome, str):
            skipped[program.id.split(":", 1)[1]] = outcome
            continue
        outcome.module_name = modules[program.id]
        outcome.program_id = program.id
        write_inside(out_dir, f"{outcome.module_name}.py", outcome.source)
        translations.append(outcome)
    result = EstateTranslation(translations, skipped)
    write_inside(out_dir, "translation.json", json.dumps(result.summary(), indent=2) + "\n")
    write_inside(out_dir, "translation.md", _report(result))
    return result


JOURNAL_STAGE = "translation"
"""The stage's records in a run's journal (:mod:`modernize.core.journal`)."""


def _translate_one(program: Program) -> Translation | str:
    """One program's translation (run in a worker), or why the translator failed on it."""
    try:
        translation = translate_program(program)
    except Exception as exc:  # one program the translator cannot handle: the rest go on
        log.exception("translation of %s failed", program.id)
        return (f"the translator failed ({type(exc).__name__}: {exc}); please report it with "
                "the program")
    log.info("translated %s: %d of %d statements", program.name, translation.translated,
             translation.statements)
    return translation


def _record(result: Translation | str) -> dict[str, object]:
    """A translation (or why there is none) as a journal record."""
    if isinstance(result, str):
        return {"failed": result}
    return {"translation": asdict(result)}


def _from_record(record: dict) -> Translation | str:
    if "failed" in record:
        return str(record["failed"])
    fields = dict(record["translation"])
    fields["unsupported"] = [Unsupported(**u) for u in fields["unsupported"]]
    fields["functions"] = {name: tuple(where) for name, where in fields["functions"].items()}
    if fields.get("shape") is not None:
        fields["shape"] = ModuleShape(**fields["shape"])
    fields["held"] = tuple(fields.get("held", ()))
    return Translation(**fields)


def _report(result: EstateTranslation) -> str:
    """translation.md: coverage per program, then every statement not translated."""
    lines = ["# Translation", "",
             "| program | module | statements | translated | coverage | unsupported |",
             "| --- | --- | ---: | ---: | ---: | ---: |"]
    for t in result.translations:
        lines.append(f"| {md_text(t.program)} | {md_code(t.module_name + '.py')} | "
                     f"{t.statements} | {t.translated} "
                     f"| {100 * t.coverage:.0f}% | {len(t.unsupported)} |")
    for name, why in result.skipped.items():
        lines.append(f"| {md_text(name)} | | | | | skipped: {md_text(why)} |")
    shaped = [t for t in result.translations if t.shape is not None]
    if shaped:
        lines += ["", "## Shape of the code", "",
                  "PERFORMs written as direct method calls, and those left to the procedure "
                  "table (a GO TO leaves the range: each such method says why); GO TOs kept; "
                  "comparison and arithmetic helpers left where plain Python would not mean "
                  "the same; numbers held as Python ints (no statement sees their bytes); "
                  "lines of the module and its longest method.", "",
                  "| module | direct calls | dispatched | GO TOs | helpers | held numbers | "
                  "lines | longest method |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
        for t in shaped:
            shape = t.shape
            assert shape is not None
            lines.append(f"| {md_code(t.module_name + '.py')} | {shape.direct_calls} | "
                         f"{shape.dispatched_performs} | {shape.go_tos} | "
                         f"{shape.helper_calls} | {len(t.held)} | {shape.lines} | "
                         f"{md_code(shape.longest_method)} ({shape.longest_method_lines}) |")
    missing = [u for t in result.translations for u in t.unsupported]
    if missing:
        lines += ["", "## Not translated (each stops the run where it stands)", "",
                  "| program | where | construct | why |", "| --- | --- | --- | --- |"]
        lines += [f"| {md_text(u.program)} | {md_text(u.file)}:{u.line} | "
                  f"{md_text(u.construct)} | {md_text(u.reason)} |" for u in missing]
    return "\n".join(lines) + "\n"


def wrap_long_lines(source: str, width: int = 99) -> str:
    """Lines longer than ``width`` broken after the commas of their outermost bracket, the
    continuation aligned under its first argument (plain Python, no formatter needed)."""
    out = []
    for line in source.split("\n"):
        out.extend(_wrap(line, width) if len(line) > width else [line])
    return "\n".join(out)


def _wrap(line: str, width: int) -> list[str]:
    opening, commas, depth, quote = None, [], 0, None
    i = 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "#":
            break
        elif c in "([{":
            depth += 1
            if depth == 1 and opening is None:
                opening = i
        elif c in ")]}":
            depth -= 1
            if depth == 0 and opening is not None:
                break
        elif c == "," and depth == 1 and opening is not None:
            commas.append(i)
        i += 1
    if opening is None or not commas or opening + 1 >= width - 20:
        return [line]
    indent = " " * (opening + 1)
    pieces, start = [], 0
    for comma in commas:
        pieces.append(line[start:comma + 1])
        start = comma + 2 if line[comma + 1:comma + 2] == " " else comma + 1
    pieces.append(line[start:])
    lines, current = [], pieces[0]
    for piece in pieces[1:]:
        if len(current) + 1 + len(piece) <= width:
            current += " " + piece
        else:
            lines.append(current)
            current = indent + piece
    lines.append(current)
    return lines
