"""The language-neutral model of a legacy estate.

Everything the analysis knows is here, as frozen pydantic models, so that it can be written to
``model.json``, loaded back unchanged, and described by a JSON Schema (``docs/model.schema.json``).
The code that fills the model (scan, preprocess, parse, extract) lives elsewhere; this module
imports none of it.

Ids are stable strings built from names, never from positions that shift when code is edited:
``cobol:PAYROLL``, ``cobol:PAYROLL/para:CALC-PAY``, ``cobol:PAYROLL/data:WS-TOTALS.WS-COUNT``,
``copybook:ACCTREC``, ``sql-table:ACCOUNT``, ``dataset:ACCTMST``.
"""

from __future__ import annotations

import copyreg
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.4"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def model_post_init(self, context: Any, /) -> None:
        # pydantic gives every instance its own set of the field names it was given, larger
        # than the instance itself (2 KB for a DataItem): instances given the same names share
        # one set. Safe because the models are frozen: only a copy's set is ever changed.
        names = self.__pydantic_fields_set__
        object.__setattr__(self, "__pydantic_fields_set__",
                           _FIELDS_SETS.setdefault(frozenset(names), names))

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled as (class, values, names set): pydantic's own pickling builds and pickles a
        # four-key state dict per instance, and a program is a hundred thousand instances
        # going from each analysis worker to the main process (3x faster to pickle, 15% to
        # load). Unpickled, the instances of one pickle share their names sets again.
        # copy.copy and deepcopy do not come here: pydantic defines __copy__/__deepcopy__.
        if self.__pydantic_private__ is not None or self.__pydantic_extra__ is not None:
            return (copyreg.__newobj__, (type(self),), self.__getstate__())  # pydantic's way
        return (_revive, (type(self), self.__dict__, self.__pydantic_fields_set__))


_FIELDS_SETS: dict[frozenset[str], set[str]] = {}
_set_slot = object.__setattr__


def _revive(cls: type[Frozen], values: dict[str, Any], names: set[str]) -> Frozen:
    """A pickled :class:`Frozen` instance, as pydantic's ``__setstate__`` makes it (no
    validation: the values are the instance's own)."""
    instance = cls.__new__(cls)
    _set_slot(instance, "__dict__", values)
    _set_slot(instance, "__pydantic_fields_set__", names)
    _set_slot(instance, "__pydantic_extra__", None)
    _set_slot(instance, "__pydantic_private__", None)
    return instance


_Model = TypeVar("_Model", bound="Frozen")


def assemble(cls: type[_Model], **values: Any) -> _Model:
    """``cls(**values)`` without validation, for the extraction's hot spots (data items,
    statements, data flows, conditions, performs: half a thousand per program). The caller
    vouches that every value already has its field's type as validation would leave it (a
    tuple, not a list; an enum member, not its text; model instances): pydantic's validation
    is three quarters of such an instance's cost. ``tests/test_samples_model.py`` validates
    every instance of the samples' and the shop estate's models again and compares values,
    types, field order and names sets. Unknown or missing fields still fail, as a
    TypeError."""
    template = _TEMPLATES.get(cls)
    if template is None:
        template = _TEMPLATES[cls] = _template(cls)
    defaults = template[0]
    names = (cls, *values)
    fields_set = _GIVEN_SETS.get(names)
    if fields_set is None:  # names not given to this class before: are they its fields?
        _, required, known = template
        given = values.keys()
        if not given >= required or not given <= known:
            raise TypeError(f"{cls.__name__} takes {sorted(known)} and needs "
                            f"{sorted(required)}: given {sorted(given)}")
        fields_set = _GIVEN_SETS[names] = _FIELDS_SETS.setdefault(frozenset(values),
                                                                  set(values))
    fields = dict(defaults)  # the fields' order, as validation lays out __dict__
    fields.update(values)
    return _revive(cls, fields, fields_set)  # type: ignore[return-value]


def _template(cls: type[Frozen]) -> tuple[dict[str, Any], frozenset[str], frozenset[str]]:
    """(defaults in field order, required names, all names) of a model without factories."""
    defaults: dict[str, Any] = {}
    required = set()
    for name, info in cls.model_fields.items():
        if info.default_factory is not None:
            raise TypeError(f"{cls.__name__}.{name} has a default factory: build it validated")
        if info.is_required():
            required.add(name)
        defaults[name] = None if info.is_required() else info.default
    return defaults, frozenset(required), frozenset(defaults)


_TEMPLATES: dict[type, tuple[dict[str, Any], frozenset[str], frozenset[str]]] = {}
_GIVEN_SETS: dict[tuple[object, ...], set[str]] = {}  # (class, names) -> shared names set


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Diagnostic(Frozen):
    """A problem found on the way; analysis goes on past every one of them."""

    severity: Severity
    code: str = Field(description="short machine-readable kind, e.g. copybook-missing, parse-error")
    message: str = Field(description="what happened and, where it helps, what to do")
    file: str | None = Field(default=None, description="path relative to the analysed root")
    line: int | None = None
    program: str | None = Field(default=None, description="program id the problem belongs to")


class FileKind(StrEnum):
    COBOL_PROGRAM = "cobol-program"
    COPYBOOK = "copybook"
    JCL = "jcl"
    BMS_MAP = "bms-map"
    FORTRAN = "fortran"
    C = "c"
    JAVA = "java"
    DATA = "data"
    OTHER = "other"
    BINARY = "binary"


class LineCounts(Frozen):
    code: int = 0
    comment: int = 0
    blank: int = 0

    @property
    def total(self) -> int:
        return self.code + self.comment + self.blank


class SourceFile(Frozen):
    """One file of the scanned repo."""

    path: str = Field(description="posix path relative to the analysed root")
    kind: FileKind
    encoding: str | None = Field(description="codec used to decode it, None when skipped")
    size: int
    sha256: str
    lines: LineCounts = LineCounts()
    line_ending: str | None = Field(default=None, description="LF, CRLF, CR or mixed")
    skipped: str | None = Field(default=None, description="why the file was not read, if not")


class Inventory(Frozen):
    root: str
    files: tuple[SourceFile, ...]
    diagnostics: tuple[Diagnostic, ...] = ()

    def of_kind(self, *kinds: FileKind) -> tuple[SourceFile, ...]:
        return tuple(f for f in self.files if f.kind in kinds)


# --------------------------------------------------------------------------- program elements


class Located(Frozen):
    """Every fact carries the original file and line a person would open."""

    file: str = Field(description="path relative to the analysed root (a copybook's, if from one)")
    line: int = Field(description="1-based line in that file")


class Procedure(Located):
    """What sections and paragraphs share: both are targets of PERFORM and GO TO."""

    id: str
    name: str
    key: str = Field(default="", description=(
        "how the program's other facts name it (their `paragraph` field, graph nodes): the "
        "paragraph name, `NAME IN SECTION` when the name is used in several sections, or "
        "`NAME SECTION` for the statements of a section before its first paragraph"))
    end_line: int | None = Field(default=None, description="last line in `file`")
    statements: int = 0
    ends_with: str | None = Field(default=None, description=(
        "GOTO, STOP, GOBACK, CICS-RETURN or CICS-XCTL when control cannot fall through to the "
        "next procedure; EXIT-PROGRAM is noted too (it falls through when not called)"))


class Section(Procedure):
    declarative: bool = Field(default=False, description="in DECLARATIVES (entered by USE)")


class Paragraph(Procedure):
    section: str | None = None


class ConditionValue(Frozen):
    value: str
    thru: str | None = None


class DataItem(Located):
    id: str
    name: str
    level: int
    parent: str | None = Field(default=None, description="id of the enclosing group item")
    storage: str = Field(description="working-storage, local-storage, linkage, file")
    record: str | None = Field(default=None, description="name of the 01/77 item it belongs to")
    fd: str | None = Field(default=None, description="the FD it belongs to, in the file section")
    picture: str | None = None
    usage: str = "DISPLAY"
    sign: str | None = Field(default=None, description="LEADING/TRAILING [SEPARATE]")
    value: str | None = None
    occurs_min: int | None = None
    occurs_max: int | None = None
    depending_on: str | None = None
    redefines: str | None = None
    justified: bool = Field(default=False, description="JUSTIFIED RIGHT")
    blank_when_zero: bool = False
    indexed_by: tuple[str, ...] = Field(default=(), description="index names of an OCCURS")
    occurs_keys: tuple[tuple[str, bool], ...] = Field(
        default=(), description="ASCENDING/DESCENDING KEY of an OCCURS, in order: (key name, "
                                "ascending)")
    renames: tuple[str, ...] = Field(
        default=(), description="level 66: the item renamed, or the first and last of a THRU, "
                                "each as written (`NAME OF QUALIFIER` when qualified)")
    condition_values: tuple[ConditionValue, ...] = Field(
        default=(), description="the values of a level-88 condition name")
    offset: int | None = Field(default=None, description="byte offset within its 01/77 record")
    length: int | None = Field(default=None, description="bytes of one occurrence")
    digits: int | None = None
    scale: int | None = Field(default=None, description="digits after the implied decimal point")
    signed: bool = False
    is_group: bool = False


class AlternateKey(Frozen):
    """An ALTERNATE RECORD KEY of an indexed file."""

    name: str = Field(description="the data item that is the key")
    duplicates: bool = Field(default=False, description="WITH DUPLICATES")
    suppress: str | None = Field(default=None, description=(
        "SUPPRESS WHEN value as written: records holding it are left out of this key"))


class FileDef(Located):
    id: str
    name: str = Field(description="the file name of SELECT")
    assign: str | None = Field(default=None, description="ASSIGN TO target as written")
    dd_name: str | None = Field(default=None, description=(
        "the DD name the JCL binds (`UT-S-TRANSIN` → TRANSIN), or the target as written"))
    organization: str = "SEQUENTIAL"
    access: str = "SEQUENTIAL"
    record_key: str | None = None
    alternate_keys: tuple[AlternateKey, ...] = Field(
        default=(), description="ALTERNATE [RECORD] KEY clauses, in order (since 1.3)")
    file_status: str | None = None
    optional: bool = Field(default=False, description="SELECT OPTIONAL")
    records: tuple[str, ...] = Field(default=(), description="01 records under its FD")

    @property
    def external_name(self) -> str:
        """The name a run binds the file by: its DD name, else the ASSIGN target, else the
        SELECT name (``DD_<this>`` for the GnuCOBOL run and the translation alike)."""
        return self.dd_name or self.assign or self.name


class Call(Located):
    target: str | None = Field(description="called program; None when it cannot be resolved")
    kind: str = Field(description="static, dynamic, cics-link, cics-xctl, cics-start")
    paragraph: str | None = None
    via: str | None = Field(default=None, description="data item holding the name (dynamic)")
    candidates: tuple[str, ...] = Field(
        default=(), description="every value the data item can hold, where more than one")
    using: tuple[str, ...] = ()


class Perform(Located):
    paragraph: str | None = Field(description="paragraph the PERFORM stands in")
    target: str | None = Field(description="performed paragraph/section; None for inline")
    thru: str | None = None
    kind: str = Field(description="once, until, varying, times, inline")
    condition: str | None = None
    conditional: bool = False


class GoTo(Located):
    paragraph: str | None
    targets: tuple[str, ...]
    depending_on: str | None = None
    conditional: bool = False


class FileOp(Located):
    paragraph: str | None
    verb: str = Field(description="OPEN, CLOSE, READ, WRITE, REWRITE, DELETE, START")
    file_name: str = Field(description="SELECT name (for WRITE/REWRITE: resolved from the record)")
    mode: str | None = Field(default=None, description="INPUT, OUTPUT, I-O, EXTEND for OPEN")
    record: str | None = None


class SqlStatement(Located):
    paragraph: str | None
    verb: str
    tables: tuple[str, ...] = ()
    crud: tuple[str, ...] = Field(default=(), description="C, R, U, D per the verb")
    cursor: str | None = None
    host_variables: tuple[str, ...] = ()
    text: str = ""


class CicsCommand(Located):
    paragraph: str | None
    command: str = Field(description="e.g. LINK, XCTL, READ, SEND MAP, RECEIVE MAP, RETURN")
    target: str | None = Field(default=None, description="program, dataset/file, map or transid")
    options: dict[str, str] = Field(default_factory=dict)
    text: str = ""


class DataFlow(Located):
    paragraph: str | None
    verb: str
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()


class Condition(Located):
    paragraph: str | None
    kind: str = Field(description="IF, EVALUATE, WHEN, UNTIL, or an exception phrase: AT END, "
                                  "INVALID KEY, ON SIZE ERROR, ON EXCEPTION, ON OVERFLOW")
    text: str
    expanded: str = Field(description="the text with level-88 names replaced by their tests")
    reads: tuple[str, ...] = ()


class EntryPoint(Located):
    name: str
    paragraph: str | None = Field(description="key of the procedure the ENTRY stands in")
    using: tuple[str, ...] = ()


class CopybookUse(Located):
    name: str
    path: str | None
    depth: int = 1
    replacing: bool = False
    statement: str = Field(default="COPY", description="COPY or EXEC SQL INCLUDE")
    system: bool = Field(default=False, description="supplied by IBM (SQLCA, DFHAID …)")
    refused: bool = Field(default=False, description="names a file outside the estate and the "
                          "--copybooks folders: not read (a copybook-outside diagnostic says why)")


class Branch(Frozen):
    """A part of a statement that governs statements: THEN/ELSE of an IF, a WHEN of an
    EVALUATE or SEARCH, AT END, INVALID KEY, ON SIZE ERROR ..., the BODY of an inline PERFORM."""

    phrase: str
    operands: tuple[str, ...] = Field(default=(), description="a WHEN's selection objects")
    statements: tuple[Statement, ...] = ()


class Statement(Located):
    """One statement of the PROCEDURE DIVISION with the statements it governs."""

    verb: str = Field(description="MOVE, IF, PERFORM ...; NEXT SENTENCE; EXEC for an EXEC "
                                  "block (operands: its kind and text)")
    end_line: int | None = None
    operands: tuple[str, ...] = Field(default=(), description=(
        "the statement's words outside its branches: words upper-cased, literals as written"))
    branches: tuple[Branch, ...] = ()


class Sentence(Located):
    statements: tuple[Statement, ...] = ()


class ProcedureBody(Frozen):
    """The statements of one procedure, sentence by sentence."""

    procedure: str = Field(description="the procedure's key; '' for the statements before "
                                       "the first paragraph or section header")
    sentences: tuple[Sentence, ...] = ()


class AlphabetItem(Frozen):
    """One item of a SPECIAL-NAMES ALPHABET clause, its literals as written (a figurative
    constant by its name): a literal (each of its characters in turn), ``literal THRU
    literal``, or ``literal ALSO literal ...`` (characters of equal weight)."""

    literal: str
    thru: str | None = None
    also: tuple[str, ...] = ()


class Alphabet(Frozen):
    """SPECIAL-NAMES `ALPHABET name IS ...`: a standard alphabet (NATIVE, STANDARD-1,
    STANDARD-2, EBCDIC, ASCII) or the items of a custom one, in order."""

    name: str
    standard: str | None = None
    items: tuple[AlphabetItem, ...] = ()


class Program(Frozen):
    id: str
    name: str
    path: str
    language: str = "cobol"
    kind: str = Field(description=(
        "batch (a main program; since 1.3 also any program a JCL step runs, whatever its "
        "USING: the USING then receives the step's PARM), online (CICS), subprogram "
        "(PROCEDURE DIVISION USING, run by no JCL step: entered by CALL)"))
    source_format: str = "fixed"
    lines: int = 0
    sha256: str = ""
    parsed_cleanly: bool = True
    entry_using: tuple[str, ...] = ()
    entry_points: tuple[EntryPoint, ...] = Field(
        default=(), description="alternate entry points (ENTRY 'name' USING ...)")
    entry_ends_with: str | None = Field(
        default=None, description="as `ends_with`, for statements before the first header")
    procedures: tuple[str, ...] = Field(
        default=(), description="keys of sections and paragraphs in source order")
    sections: tuple[Section, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    data_items: tuple[DataItem, ...] = ()
    files: tuple[FileDef, ...] = ()
    mnemonic_names: tuple[tuple[str, str], ...] = Field(
        default=(), description="SPECIAL-NAMES `implementor-name IS mnemonic-name`: "
                                "(mnemonic-name, implementor-name), e.g. (PRINTOUT, SYSOUT)")
    switch_conditions: tuple[tuple[str, str, bool], ...] = Field(
        default=(), description="SPECIAL-NAMES `switch ON|OFF STATUS IS condition-name`: "
                                "(condition-name, implementor-name, on), e.g. "
                                "(SW1-ON, SWITCH-1, True)")
    class_names: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = Field(
        default=(), description="SPECIAL-NAMES `CLASS name IS literal [THRU literal] ...`: "
                                "(class-name, ((literal, THRU literal or ''), ...)), the "
                                "literals as written")
    alphabets: tuple[Alphabet, ...] = Field(
        default=(), description="SPECIAL-NAMES ALPHABET clauses")
    collating_sequence: str | None = Field(
        default=None, description="OBJECT-COMPUTER `PROGRAM COLLATING SEQUENCE IS "
                                  "alphabet-name`: the alphabet-name")
    currency_sign: str = Field(
        default="$", description="SPECIAL-NAMES `CURRENCY SIGN IS literal`: the currency "
                                 "symbol of PICTURE strings")
    decimal_point_comma: bool = Field(
        default=False, description="SPECIAL-NAMES `DECIMAL-POINT IS COMMA`: `,` and `.` swap "
                                   "roles in PICTURE strings and numeric literals")
    calls: tuple[Call, ...] = ()
    performs: tuple[Perform, ...] = ()
    gotos: tuple[GoTo, ...] = ()
    file_ops: tuple[FileOp, ...] = ()
    sql: tuple[SqlStatement, ...] = ()
    cics: tuple[CicsCommand, ...] = ()
    data_flow: tuple[DataFlow, ...] = ()
    conditions: tuple[Condition, ...] = ()
    copybook_uses: tuple[CopybookUse, ...] = ()
    copybooks: tuple[str, ...] = Field(default=(), description="names of every copybook pulled in")
    bodies: tuple[ProcedureBody, ...] = Field(
        default=(), description="the statement tree of each procedure, in source order")
    diagnostics: tuple[Diagnostic, ...] = ()

    def paragraph(self, name: str) -> Paragraph | None:
        return next((p for p in self.paragraphs if p.name == name.upper()), None)

    def data_item(self, name: str) -> DataItem | None:
        return next((d for d in self.data_items if d.name == name.upper()), None)

    def document_text(self) -> bytes:
        """The program's JSON as model.json lays it out (indent 1, at its place in the list
        of programs). The analysis cache stores the same text, so a program is dumped once
        (in the worker that analysed it)."""
        return self.model_dump_json(indent=1).replace("\n", "\n  ").encode("utf-8")


class JclDD(Located):
    name: str
    dsn: str | None = None
    disp: str | None = None
    sysout: str | None = None
    instream: bool = Field(default=False, description="DD * or DD DATA")


class JclStep(Located):
    name: str = Field(description="step name; STEP.PROCSTEP for a step of a procedure")
    program: str | None = Field(default=None, description="the program the step runs")
    utility: str | None = Field(
        default=None, description="the program JCL names when it runs another (IKJEFT01)")
    proc: str | None = Field(default=None, description="the procedure the step comes from")
    parm: str | None = None
    dds: tuple[JclDD, ...] = ()


class JclJob(Located):
    id: str
    name: str
    path: str
    steps: tuple[JclStep, ...] = ()


class Estate(Frozen):
    """Everything extracted from one repo: the input of every later stage."""

    schema_version: str = SCHEMA_VERSION
    root: str
    input_digest: str = Field(
        default="", description="hash of every input file, the options and the tool version: "
                                "an equal digest means an equal analysis")
    inventory: Inventory
    programs: tuple[Program, ...] = ()
    copybooks: dict[str, str | None] = Field(
        default_factory=dict, description="copybook name → path, None when missing")
    jobs: tuple[JclJob, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()

    def program(self, name: str) -> Program | None:
        return next((p for p in self.programs if p.name == name.upper()), None)

    def program_by_id(self, program_id: str) -> Program | None:
        return next((p for p in self.programs if p.id == program_id), None)
