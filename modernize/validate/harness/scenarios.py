"""Scenario generation: input records built from the record layouts, and coverage-driven search.

A scenario (:class:`~modernize.validate.harness.legacy.Scenario`) is a set of input files by DD
name. The generator starts from a base scenario (the sample data, or minimal inputs) and derives
variants, each changing one thing:

* ``flip``: a value that makes one relational test of an IF / EVALUATE WHEN / UNTIL true, and
  one that makes it false (``A = 'X'``, ``A > 100``, ``A NOT = B``, ``A NUMERIC``, level-88
  tests as the analysis expanded them), set in one input record whose layout holds ``A``;
* ``file``: an input file empty, cut to its first record, or missing;
* ``88``: each value (and each end of each THRU range, and one past it) of a level-88 condition
  on an input field;
* ``dirty``: spaces and low-values in a numeric field (what real files hold);
* ``domain``: zero, one unit, the largest value, the most negative value of signed fields.

* ``parm``: for a program a JCL step runs with PROCEDURE DIVISION USING, the same flips and
  level-88 values applied to the fields of its PARM (the LINKAGE record after the halfword
  length), carried as the scenario's PARM text.

Records are built with the runtime (:mod:`modernize.runtime`), so every field holds exactly the
bytes GnuCOBOL would: overpunched DISPLAY signs, COMP-3, big-endian COMP. LINE SEQUENTIAL
records are lines without their trailing spaces (GnuCOBOL drops them on WRITE and pads a short
line with spaces on READ); fixed-length records are exactly the record length.

**INDEXED and RELATIVE inputs.** A scenario holds the records of an INDEXED (VSAM KSDS) or
RELATIVE input back to back, fixed length, as a record sequential file holds them (a
hand-written scenario too), so every kind of variant applies to them. Before a run
:class:`StoredInputs` turns them into the file each side reads: GnuCOBOL's Berkeley DB file
with its alternate-key files, made by a generated GnuCOBOL loader program, and the runtime's
SQLite file, written through the runtime itself (``compare.Utilities``,
``compare.python_indexed_file``). An indexed file's records are first put in primary-key order
with one record per primary key (and per value of an alternate key without DUPLICATES), as
a KSDS holds them.

**Seeded inputs.** Without hand-written scenarios the base is :func:`seeded_scenario`:
``SEED_RECORDS`` records per input file, from its layout: numeric fields small valid values,
fields with level-88 conditions each condition's first value in turn, short alphanumeric
fields (up to 6 bytes: codes, ids, branches) zero-padded numbers, date-named fields dates,
other text a word of the field's name; primary keys unique, alternate keys WITH DUPLICATES
shared by two records. When the program MOVEs a field of one input to the record key of an
indexed input (``MOVE TR-CUST-ID TO CM-CUST-ID`` before a keyed READ), that field carries the
indexed file's keys in turn, and one more record a key the file does not hold, so keyed reads
find their record and miss once. A program a JCL step runs with USING gets the step's PARM
(else one made from the LINKAGE record the same way).

:func:`explore` runs the variants through the legacy runner and measures the paragraphs entered
(GnuCOBOL's trace) against the reachable ones; it keeps the scenarios that add coverage or end
differently and stops when coverage has not risen for ``patience`` runs or the budget is spent.
:func:`load_scenarios` reads hand-written scenarios kept as plain files beside the samples.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import random
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ...analysis.graphs import unreachable_paragraphs
from ...core.model import DataItem, Estate, FileDef, Program
from ...runtime import AlphanumericField, EditedField, NumericField
from ...runtime import field as runtime_field
from ...runtime.errors import CobolRuntimeError
from .compare import (
    Key,
    RecordLayouts,
    StoredFile,
    StoredFileError,
    Utilities,
    python_indexed_file,
    stored_files,
)
from .legacy import Build, HarnessError, RunResult, RunTimeoutError, Scenario, run

log = logging.getLogger(__name__)

FieldValue = Decimal | int | str | bytes
"""A value for a field: a number for numeric fields, text for alphanumeric ones (space-padded),
raw bytes for either (exactly the bytes stored, space-padded to the field's length)."""

KINDS = ("file", "flip", "88", "dirty", "domain")
_READ_MODES = ("INPUT", "I-O")
_CONTROL = {"stdin", "env.json", "parm", "files.json"}
_ORGANIZATIONS = ("SEQUENTIAL", "LINE SEQUENTIAL", "RECORD SEQUENTIAL", "INDEXED", "RELATIVE")
SEED_RECORDS = 3
"""Records per input file of a seeded scenario (one more where a field carries the keys of an
indexed file, for the key it does not hold)."""
PARM_LENGTH = 100
"""The longest PARM text z/OS passes (the PARM driver passes as many bytes as the LINKAGE
record holds when it declares more)."""


class ScenarioError(HarnessError):
    """A record or scenario cannot be built as asked (unknown field, value that does not fit)."""


# --------------------------------------------------------------------------- record layouts


@dataclass(frozen=True)
class FieldSpec:
    """One elementary field of a record layout, at its place in the record (one occurrence of
    an OCCURS table each, named ``NAME(i)`` / ``NAME(i,j)``)."""

    name: str
    item: DataItem
    layout: str
    offset: int
    length: int

    @property
    def numeric(self) -> bool:
        return isinstance(self.make(bytearray(self.offset + self.length)), NumericField)

    def make(self, buffer: bytearray) -> AlphanumericField | NumericField | EditedField:
        """The runtime field over ``buffer`` (a record image)."""
        sign = (self.item.sign or "").upper()
        return runtime_field(buffer, self.offset, self.item.picture or "X",
                             self.item.usage or "DISPLAY",
                             sign="leading" if sign.startswith("LEADING") else "trailing",
                             separate="SEPARATE" in sign)


def _children(program: Program) -> dict[str, list[DataItem]]:
    children: dict[str, list[DataItem]] = {}
    for item in program.data_items:
        if item.parent and item.level not in (66, 88):
            children.setdefault(item.parent, []).append(item)
    return children


def _root(program: Program, name: str) -> DataItem:
    found = [d for d in program.data_items if d.name == name.upper() and d.level in (1, 77)]
    if not found:
        raise ScenarioError(f"{program.name} has no record {name!r}")
    return found[0]


def record_fields(program: Program, record_name: str) -> list[FieldSpec]:
    """The elementary fields of the 01 record ``record_name``, REDEFINES included, FILLER not,
    every occurrence of an OCCURS table expanded (up to its maximum)."""
    root = _root(program, record_name)
    children = _children(program)
    base = root.offset or 0
    out: list[FieldSpec] = []

    def walk(item: DataItem, shift: int, subscripts: tuple[int, ...]) -> None:
        for index in range(item.occurs_max or 1):
            here = shift + index * (item.length or 0) if item.occurs_max else shift
            subs = (*subscripts, index + 1) if item.occurs_max else subscripts
            kids = children.get(item.id, [])
            if kids:
                for kid in kids:
                    walk(kid, here, subs)
            elif item.picture and item.name != "FILLER" and item.offset is not None \
                    and item.length:
                name = item.name + (f"({','.join(map(str, subs))})" if subs else "")
                out.append(FieldSpec(name, item, root.name, item.offset - base + here,
                                     item.length))

    if children.get(root.id):
        for kid in children[root.id]:
            walk(kid, 0, ())
    elif root.picture:
        walk(root, 0, ())
    return out


def _spec_map(program: Program, record_name: str) -> dict[str, FieldSpec]:
    return {spec.name: spec for spec in record_fields(program, record_name)}


def _fits(spec: FieldSpec, number: Decimal) -> bool:
    target = spec.make(bytearray(spec.offset + spec.length))
    if not isinstance(target, NumericField):
        return True
    if number < 0 and not target.signed:
        return False
    unscaled = abs(number).scaleb(target.scale)
    return unscaled == unscaled.to_integral_value() and unscaled <= target.max_magnitude


def set_field(spec: FieldSpec, image: bytearray, value: FieldValue) -> None:
    """Store ``value`` in the record ``image`` as GnuCOBOL would hold it (see FieldValue).

    A number that the field cannot hold exactly, or text longer than the field, is refused."""
    if spec.offset + spec.length > len(image):
        raise ScenarioError(f"{spec.name} lies past the end of a {len(image)}-byte record")
    target = spec.make(image)
    if isinstance(value, bytes) or (isinstance(value, str) and not
                                    isinstance(target, AlphanumericField)):
        data = value if isinstance(value, bytes) else value.encode("latin-1")
        if len(data) > spec.length:
            raise ScenarioError(f"{len(data)} bytes for {spec.name} of {spec.length}")
        target.raw = data.ljust(spec.length, b" ")
        return
    if isinstance(value, str):
        if len(value) > spec.length:
            raise ScenarioError(f"{value!r} is longer than {spec.name} ({spec.length} bytes)")
        target.set(value)
        return
    number = Decimal(value)
    if not _fits(spec, number):
        raise ScenarioError(f"{spec.name} (PIC {spec.item.picture}) cannot hold {number}")
    target.set(number)


def _file_of(program: Program, record_name: str) -> FileDef | None:
    """The file whose records ``record_name`` describes (its FD, or a READ INTO target)."""
    root = _root(program, record_name)
    layouts = RecordLayouts(program)
    for fd in program.files:
        if root.fd == fd.name or any(r.name == root.name for r in layouts.candidates(fd)):
            return fd
    return None


def _is_line(fd: FileDef | None) -> bool:
    return fd is not None and "LINE" in fd.organization.upper()


def _file_record_length(program: Program, fd: FileDef) -> int:
    return max((_root(program, r).length or 0 for r in fd.records), default=0)


def to_file_bytes(image: bytes, fd: FileDef | None) -> bytes:
    """A record image as it sits in the file: a LINE SEQUENTIAL record is a line without its
    trailing spaces; any other record is its bytes."""
    if _is_line(fd):
        return image.rstrip(b" ") + b"\n"
    return image


def make_record(program: Program, record_name: str, values: Mapping[str, FieldValue], *,
                base: bytes | None = None) -> bytes:
    """A record of layout ``record_name`` (an FD record or a record read INTO), as the bytes of
    its file: fields not in ``values`` are spaces (or taken from ``base``, a record image)."""
    specs = _spec_map(program, record_name)
    root = _root(program, record_name)
    fd = _file_of(program, record_name)
    length = root.length or 0
    if fd is not None and not _is_line(fd):
        length = _file_record_length(program, fd) or length
    image = bytearray((base or b"")[:length].ljust(length, b" "))
    for name, value in values.items():
        spec = specs.get(name.upper())
        if spec is None:
            raise ScenarioError(f"{record_name} has no field {name!r}")
        set_field(spec, image, value)
    return to_file_bytes(bytes(image), fd)


def record_values(program: Program, record_name: str,
                  data: bytes) -> dict[str, Decimal | str]:
    """The value of every field of ``record_name`` in the record ``data`` (file bytes or a
    record image), read through the runtime: Decimal for numeric fields, text otherwise."""
    root = _root(program, record_name)
    image = bytearray(data.rstrip(b"\n").ljust(root.length or 0, b" "))
    out: dict[str, Decimal | str] = {}
    for spec in record_fields(program, record_name):
        if spec.offset + spec.length <= len(image):
            target = spec.make(image)
            out[spec.name] = target.value() if isinstance(target, EditedField) else target.get()
    return out


# --------------------------------------------------------------------------- input files


@dataclass
class _InputFile:
    dd: str
    fd: FileDef
    length: int
    records: list[bytes]  # as in the file (a line without its newline, or a fixed record)
    tail: bytes = b""  # bytes after the last whole fixed-length record

    @property
    def line(self) -> bool:
        return _is_line(self.fd)

    def image(self, index: int) -> bytearray:
        return bytearray(self.records[index][:self.length].ljust(self.length, b" "))

    def serialize(self, records: Sequence[bytes]) -> bytes:
        if self.line:
            return b"".join(r + b"\n" for r in records)
        return b"".join(records) + self.tail

    def encode(self, image: bytes) -> bytes | None:
        """The image as a stored record; None when it cannot be one (a newline in a line)."""
        if self.line:
            stored = image.rstrip(b" ")
            return None if b"\n" in stored or b"\r" in stored else stored
        return image


def _split(fd: FileDef, data: bytes, length: int) -> tuple[list[bytes], bytes]:
    if _is_line(fd):
        lines = data.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        return [line.removesuffix(b"\r") for line in lines], b""
    if length <= 0:
        return [], data
    whole = len(data) - len(data) % length
    return [data[i:i + length] for i in range(0, whole, length)], data[whole:]


def _file_for_dd(program: Program, dd: str) -> FileDef | None:
    return next((f for f in program.files if dd.upper() in (f.dd_name, f.assign, f.name)), None)


def _open_modes(program: Program, fd: FileDef) -> set[str]:
    return {(op.mode or "").upper() for op in program.file_ops
            if op.verb == "OPEN" and op.file_name == fd.name}


def plain_dd(name: str) -> bool:
    """Whether a run can be given the file ``name`` in its folder: a plain file name (an
    ASSIGN to a path such as ``'archive/ARCH.DAT'`` is not one, and is never generated)."""
    return bool(name) and "/" not in name and "\\" not in name and "\0" not in name \
        and name not in (".", "..")


def _input_files(program: Program, base: Scenario) -> list[_InputFile]:
    files: list[_InputFile] = []
    for dd, data in base.inputs.items():
        fd = _file_for_dd(program, dd)
        if fd is None or fd.organization.upper() not in _ORGANIZATIONS:
            continue
        length = _file_record_length(program, fd)
        records, tail = _split(fd, data, length)
        files.append(_InputFile(dd, fd, length, records, tail))
    return files


# --------------------------------------------------------------------------- conditions


_TOKEN = re.compile(r"""\s*(?:(?P<str>'(?:[^']|'')*'|"(?:[^"]|"")*")|(?P<num>[+-]?\d*\.\d+)"""
                    r"""|(?P<op>[<>]=|[=<>():])|(?P<word>[A-Za-z0-9][A-Za-z0-9-]*)"""
                    r"""|(?P<num2>[+-]\d+))""")
_FIGURATIVE = {"ZERO": "ZERO", "ZEROS": "ZERO", "ZEROES": "ZERO", "SPACE": "SPACE",
               "SPACES": "SPACE", "HIGH-VALUE": "HIGH", "HIGH-VALUES": "HIGH",
               "LOW-VALUE": "LOW", "LOW-VALUES": "LOW"}
_CLASSES = {"NUMERIC", "ALPHABETIC", "POSITIVE", "NEGATIVE"}
_RELOPS = {"=", ">", "<", ">=", "<="}
_LIBCOB_ERROR = re.compile(r"^libcob: .*\berror\b", re.IGNORECASE)


@dataclass(frozen=True)
class Operand:
    """An operand of a relation: a data name (``subscript`` "" when none, None when it is
    reference-modified), a literal (Decimal or text) or a figurative constant."""

    kind: str  # name, number, text, figurative
    value: str | Decimal
    subscript: str | None = ""


@dataclass(frozen=True)
class Atom:
    """One simple test of a condition: ``subject op obj``, ``subject NUMERIC`` (obj None)..."""

    subject: Operand
    op: str
    obj: Operand | None
    text: str


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    at = 0
    while at < len(text):
        found = _TOKEN.match(text, at)
        if not found or found.end() == at:
            if text[at:].strip():
                out.append(("junk", text[at:at + 1]))
            at += 1
            continue
        at = found.end()
        kind = found.lastgroup or "junk"
        value = found.group(kind)
        if kind == "num2":
            kind = "num"
        if kind == "word" and value.isdigit():
            kind = "num"
        out.append((kind, value.upper() if kind == "word" else value))
    return out


def _normalize(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Relational phrases as operators (GREATER THAN OR EQUAL TO → >=), IS dropped."""
    out: list[tuple[str, str]] = []
    i = 0
    words = [v if k == "word" else "" for k, v in tokens]
    while i < len(tokens):
        word = words[i]
        if word in ("GREATER", "LESS", "EQUAL", "EQUALS"):
            op = {"GREATER": ">", "LESS": "<"}.get(word, "=")
            i += 1
            if i < len(tokens) and words[i] == "THAN":
                i += 1
            if op != "=" and i + 1 < len(tokens) and words[i] == "OR" and words[i + 1] == "EQUAL":
                op += "="
                i += 2
            if i < len(tokens) and words[i] == "TO":
                i += 1
            out.append(("op", op))
            continue
        if word != "IS":
            out.append(tokens[i])
        i += 1
    return out


def _operand(tokens: list[tuple[str, str]], i: int) -> tuple[Operand | None, int]:
    """The operand starting at ``tokens[i]`` and the index after it."""
    kind, value = tokens[i]
    if kind == "str":
        quote = value[0]
        return Operand("text", value[1:-1].replace(quote * 2, quote)), i + 1
    if kind == "num":
        try:
            return Operand("number", Decimal(value)), i + 1
        except InvalidOperation:
            return None, i + 1
    if kind != "word" or value in ("AND", "OR", "NOT"):
        return None, i
    if value in _FIGURATIVE:
        return Operand("figurative", _FIGURATIVE[value]), i + 1
    i += 1
    subscript: str | None = ""
    if i < len(tokens) and tokens[i] == ("op", "("):
        depth, inner, i = 1, [], i + 1
        while i < len(tokens) and depth:
            if tokens[i] == ("op", "("):
                depth += 1
            elif tokens[i] == ("op", ")"):
                depth -= 1
            if depth:
                inner.append(tokens[i])
            i += 1
        subscript = None if ("op", ":") in inner else " ".join(v for _, v in inner)
    return Operand("name", value, subscript), i


def parse_condition(text: str, subject: Operand | None = None) -> list[Atom]:
    """The simple tests in a condition (as written or with level-88 names expanded).

    Abbreviated combined relations (``A = 1 OR 2``, ``A > 1 AND < 9``) reuse the last subject
    and operator; ``subject`` is an EVALUATE subject for a WHEN value."""
    tokens = _normalize(_tokens(text))
    atoms: list[Atom] = []
    last_subject, last_op = subject, "=" if subject else None
    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        if (kind == "word" and value in ("AND", "OR", "NOT")) or (kind, value) in (
                ("op", "("), ("op", ")")):
            i += 1
            continue
        start = i
        left, i = _operand(tokens, i)
        if left is None:
            if kind == "op" and value in _RELOPS and last_subject is not None:
                right, i = _operand(tokens, i + 1)  # abbreviated: "< 9"
                if right is not None:
                    last_op = value
                    atoms.append(Atom(last_subject, value, right, text))
                continue
            i = max(i, start + 1)
            continue
        while i < len(tokens) and tokens[i] == ("word", "NOT"):
            i += 1
        nxt = tokens[i] if i < len(tokens) else ("", "")
        if nxt[0] == "op" and nxt[1] in _RELOPS:
            right, i = _operand(tokens, i + 1)
            if right is not None:
                atoms.append(Atom(left, nxt[1], right, text))
                last_subject, last_op = left, nxt[1]
            continue
        if nxt[0] == "word" and (nxt[1] in _CLASSES or nxt[1] in ("ZERO", "ZEROS")):
            atoms.append(Atom(left, "ZERO" if nxt[1].startswith("ZERO") else nxt[1], None,
                              text))
            i += 1
            continue
        if last_subject is not None and last_op is not None and left.kind != "name":
            atoms.append(Atom(last_subject, last_op, left, text))  # abbreviated: "OR 2"
    return atoms


def condition_atoms(program: Program) -> list[Atom]:
    """The simple tests of the program's IF, EVALUATE WHEN and UNTIL conditions."""
    atoms: list[Atom] = []
    subject: Operand | None = None
    for condition in program.conditions:
        if condition.kind == "EVALUATE":
            parsed = _normalize(_tokens(condition.expanded))
            subject = None
            if parsed and parsed[0][0] == "word" and parsed[0][1] not in ("TRUE", "FALSE"):
                subject, _ = _operand(parsed, 0)
        elif condition.kind in ("IF", "WHEN", "UNTIL", "PERFORM UNTIL"):
            atoms += parse_condition(condition.expanded,
                                     subject if condition.kind == "WHEN" else None)
    return atoms


# --------------------------------------------------------------------------- values


def _unit(spec: FieldSpec) -> Decimal:
    return Decimal(1).scaleb(-(spec.item.scale or 0))


def _largest(spec: FieldSpec) -> Decimal:
    target = spec.make(bytearray(spec.offset + spec.length))
    assert isinstance(target, NumericField)
    return Decimal(10**target.digits - 1).scaleb(-target.scale)


def _literal_for(spec: FieldSpec, operand: Operand) -> FieldValue | None:
    """The literal or figurative ``operand`` as a value for ``spec``."""
    if operand.kind == "figurative":
        fill = {"ZERO": b"0", "SPACE": b" ", "HIGH": b"\xff", "LOW": b"\x00"}[str(operand.value)]
        if operand.value == "ZERO" and spec.numeric:
            return Decimal(0)
        return fill * spec.length
    if operand.kind == "number":
        number = Decimal(operand.value)
        return number if spec.numeric else str(operand.value)
    if operand.kind == "text":
        text = str(operand.value)
        if spec.numeric:
            try:
                return Decimal(text)
            except InvalidOperation:
                return None
        return text
    return None


def _compare(spec: FieldSpec, current: FieldValue, target: FieldValue) -> int | None:
    image = bytearray(spec.offset + spec.length)
    try:
        set_field(spec, image, current)
        left = spec.make(image)
        if spec.numeric and not isinstance(target, bytes | str):
            value = left.get()
            assert isinstance(value, Decimal)
            right = Decimal(target)
            return (value > right) - (value < right)
        raw = target if isinstance(target, bytes) else str(target).encode("latin-1")
        width = max(len(raw), spec.length)
        a, b = left.raw.ljust(width, b" "), raw.ljust(width, b" ")
        return (a > b) - (a < b)
    except (ScenarioError, CobolRuntimeError, InvalidOperation, ValueError):
        return None


def _holds(op: str, order: int) -> bool:
    return {"=": order == 0, ">": order > 0, "<": order < 0, ">=": order >= 0,
            "<=": order <= 0}[op]


def _neighbours(spec: FieldSpec, value: FieldValue) -> list[FieldValue]:
    """``value``, one unit (or one character) either side, and the field's extremes."""
    if spec.numeric and isinstance(value, Decimal | int):
        number = Decimal(value)
        out: list[FieldValue] = [number, number + _unit(spec), number - _unit(spec),
                                 Decimal(0), _largest(spec)]
        if spec.item.signed:
            out.append(-_largest(spec))
        return out
    raw = value if isinstance(value, bytes) else str(value).encode("latin-1")
    raw = raw[:spec.length].ljust(spec.length, b" ")
    body = raw.rstrip(b" ") or raw[:1]
    last = len(body) - 1
    up = body[:last] + bytes([min(body[last] + 1, 255)]) + raw[last + 1:]
    down = body[:last] + bytes([max(body[last] - 1, 0)]) + raw[last + 1:]
    return [raw, up, down, b" " * spec.length, b"9" * spec.length, b"\xff" * spec.length]


def flip_values(spec: FieldSpec, op: str, target: FieldValue) -> tuple[FieldValue | None,
                                                                       FieldValue | None]:
    """A value of ``spec`` for which ``spec op target`` holds and one for which it does not,
    closest to the boundary first (None where the field cannot hold one)."""
    true_value: FieldValue | None = None
    false_value: FieldValue | None = None
    for candidate in _neighbours(spec, target):
        if spec.numeric and isinstance(candidate, Decimal) and not _fits(spec, candidate):
            continue
        order = _compare(spec, candidate, target)
        if order is None:
            continue
        if _holds(op, order):
            true_value = candidate if true_value is None else true_value
        elif false_value is None:
            false_value = candidate
    return true_value, false_value


def _class_values(spec: FieldSpec, op: str) -> tuple[FieldValue | None, FieldValue | None]:
    if op == "NUMERIC":
        good: FieldValue = Decimal(1) if spec.numeric else "1".rjust(spec.length, "0")
        return good, b"X" * spec.length
    if op == "ALPHABETIC":
        return "A" * spec.length, b"1" * spec.length
    if not spec.numeric:
        return None, None
    negative = -_unit(spec) if spec.item.signed else None
    if op == "POSITIVE":
        return _unit(spec), Decimal(0)
    if op == "NEGATIVE":
        return negative, Decimal(0)
    return Decimal(0), _unit(spec)  # ZERO


def _condition_values(item: DataItem, spec: FieldSpec) -> list[tuple[str, FieldValue]]:
    """(label, value) for each value of a level-88 condition, THRU ends and one past them."""
    out: list[tuple[str, FieldValue]] = []
    for cv in item.condition_values:
        low = _literal_for(spec, _literal_operand(cv.value))
        if low is None:
            continue
        if cv.thru is None:
            out.append((cv.value, low))
            continue
        high = _literal_for(spec, _literal_operand(cv.thru))
        if high is None:
            continue
        out += [(cv.value, low), (cv.thru, high)]
        if spec.numeric and isinstance(low, Decimal) and isinstance(high, Decimal):
            out += [(f"{cv.value}-1", low - _unit(spec)), (f"{cv.thru}+1", high + _unit(spec))]
    return out


def _literal_operand(text: str) -> Operand:
    tokens = _tokens(text)
    if tokens:
        operand, _ = _operand(tokens, 0)
        if operand is not None:
            return operand
    return Operand("text", text)


# --------------------------------------------------------------------------- generation


@dataclass(frozen=True)
class _Target:
    file: _InputFile
    spec: FieldSpec
    records: tuple[int, ...]  # indexes of the records of this layout


@dataclass(frozen=True)
class _Change:
    """One candidate variant: set ``values`` of one record, or replace whole files."""

    name: str
    kind: str
    target: _Target | None = None
    values: tuple[FieldValue, ...] = ()
    files: Mapping[str, bytes | None] = field(default_factory=dict)
    parm: str | None = None  # the PARM text, for a change of the PARM


class _Generator:
    """Everything generation needs about one program and one base scenario."""

    def __init__(self, program: Program, base: Scenario) -> None:
        self.program = program
        self.base = base
        self.layouts = RecordLayouts(program)
        self.files = [f for f in _input_files(program, base)
                      if _open_modes(program, f.fd) & set(_READ_MODES)]
        self.other = [f for f in _input_files(program, base) if f not in self.files]
        self.by_name: dict[str, list[_Target]] = {}
        for file in self.files:
            roots = self.layouts.candidates(file.fd)
            of_record = [self._layout(file, i) for i in range(len(file.records))]
            for root in roots:
                indexes = tuple(i for i, name in enumerate(of_record) if name == root.name)
                for spec in record_fields(program, root.name):
                    if spec.offset + spec.length <= file.length:
                        self.by_name.setdefault(spec.name, []).append(
                            _Target(file, spec, indexes))
        # the PARM of a JCL-run program: the fields after the halfword length
        self.parm: dict[str, FieldSpec] = {}
        self.parm_length = 0
        if base.parm is not None and program.entry_using:
            with contextlib.suppress(ScenarioError):
                record = _root(program, program.entry_using[0])
                self.parm_length = record.length or 0
                self.parm = {s.name: s for s in record_fields(program, record.name)
                             if s.offset >= 2 and not s.item.redefines}

    def parm_change(self, spec: FieldSpec, value: FieldValue) -> str | None:
        """The base PARM with ``spec`` set to ``value``; None when it cannot hold it."""
        text = (self.base.parm or "").encode("latin-1", "replace")
        image = bytearray((b"  " + text).ljust(max(self.parm_length, len(text) + 2), b" "))
        try:
            set_field(spec, image, value)
        except (ScenarioError, CobolRuntimeError):
            return None
        return bytes(image[2:]).rstrip(b" ").decode("latin-1")

    def _layout(self, file: _InputFile, index: int) -> str | None:
        found = self.layouts.layout_for(file.fd, file.image(index).rstrip(b" "))
        return found.name if found is not None else None

    def targets(self) -> list[_Target]:
        return [t for targets in self.by_name.values() for t in targets]

    def resolve(self, operand: Operand) -> list[_Target]:
        if operand.kind != "name" or operand.subscript is None:
            return []
        name = str(operand.value)
        if operand.subscript:
            index = operand.subscript if operand.subscript.isdigit() else "1"
            name = f"{name}({index})"
        return self.by_name.get(name, [])

    def constant(self, operand: Operand, spec: FieldSpec) -> FieldValue | None:
        """A literal, figurative, or a working-storage item's VALUE, as a value for ``spec``."""
        if operand.kind != "name":
            return _literal_for(spec, operand)
        item = next((d for d in self.program.data_items if d.name == operand.value
                     and d.storage != "file" and d.value is not None), None)
        if item is None or self.resolve(operand) or item.value is None:
            return None
        return _literal_for(spec, _literal_operand(item.value))

    # -- candidates per kind ---------------------------------------------------------------
    def flips(self) -> Iterator[_Change]:
        seen: set[tuple[str, str, str]] = set()
        for atom in condition_atoms(self.program):
            subject, obj, op = atom.subject, atom.obj, atom.op
            if not self.resolve(subject) and obj is not None and self.resolve(obj):
                subject, obj = obj, subject
                op = {">": "<", "<": ">", ">=": "<=", "<=": ">="}.get(op, op)
            for target in self.resolve(subject):
                key = (target.spec.name, op, repr(obj))
                if key in seen:
                    continue
                seen.add(key)
                yield from self._flip(target, op, obj, atom.text)
            spec = self.parm.get(str(subject.value)) if subject.kind == "name" else None
            if spec is not None and ("PARM:" + spec.name, op, repr(obj)) not in seen:
                seen.add(("PARM:" + spec.name, op, repr(obj)))
                yield from self._parm_flip(spec, op, obj)

    def _parm_flip(self, spec: FieldSpec, op: str, obj: Operand | None) -> Iterator[_Change]:
        if obj is None:
            values = _class_values(spec, op)
        else:
            constant = self.constant(obj, spec)
            if constant is None:
                return
            values = flip_values(spec, op, constant)
        test = f"{spec.name} {op} {_show(obj)}" if obj is not None else f"{spec.name} {op}"
        for polarity, value in zip(("true", "false"), values, strict=True):
            text = self.parm_change(spec, value) if value is not None else None
            if text is not None:
                yield _Change(f"parm:{test}:{polarity}", "flip", parm=text)

    def _flip(self, target: _Target, op: str, obj: Operand | None,
              text: str) -> Iterator[_Change]:
        spec = target.spec
        if obj is None:
            values = _class_values(spec, op)
        else:
            others = [t for t in self.resolve(obj) if t.spec.layout == spec.layout
                      and t.file is target.file]
            if others:  # relative to another field of the same record
                yield from self._relative(target, op, others[0], text)
                return
            constant = self.constant(obj, spec)
            if constant is None:
                return
            values = flip_values(spec, op, constant)
        for polarity, value in zip(("true", "false"), values, strict=True):
            if value is not None:
                test = f"{spec.name} {op} {_show(obj)}" if obj is not None else f"{spec.name} {op}"
                yield _Change(f"flip:{target.file.dd}:{test}:{polarity}", "flip", target,
                              (value,))

    def _relative(self, target: _Target, op: str, other: _Target,
                  text: str) -> Iterator[_Change]:
        for index in target.records[:1]:
            current = other.spec.make(target.file.image(index)).get()
            values = flip_values(target.spec, op, current)
            for polarity, value in zip(("true", "false"), values, strict=True):
                if value is not None:
                    yield _Change(f"flip:{target.file.dd}:{target.spec.name} {op} "
                                  f"{other.spec.name}:{polarity}", "flip", target, (value,))

    def level_88(self) -> Iterator[_Change]:
        items = {d.id: d for d in self.program.data_items}
        for condition in self.program.data_items:
            if condition.level != 88 or condition.parent not in items:
                continue
            parent = items[condition.parent]
            for target in self.by_name.get(parent.name, []):
                for label, value in _condition_values(condition, target.spec):
                    yield _Change(f"88:{target.file.dd}:{condition.name}={label}", "88",
                                  target, (value,))
            spec = self.parm.get(parent.name)
            if spec is not None:
                for label, value in _condition_values(condition, spec):
                    text = self.parm_change(spec, value)
                    if text is not None:
                        yield _Change(f"88:PARM:{condition.name}={label}", "88", parm=text)

    def dirty(self) -> Iterator[_Change]:
        for target in self.targets():
            if target.spec.numeric:
                for label, fill in (("spaces", b" "), ("low-values", b"\x00")):
                    yield _Change(f"dirty:{target.file.dd}:{target.spec.name}={label}", "dirty",
                                  target, (fill * target.spec.length,))

    def domain(self) -> Iterator[_Change]:
        for target in self.targets():
            spec = target.spec
            if spec.item.redefines:
                continue
            if spec.numeric:
                values: list[tuple[str, FieldValue]] = [
                    ("zero", Decimal(0)), ("max", _largest(spec)), ("unit", _unit(spec))]
                if spec.item.signed:
                    values += [("min", -_largest(spec)), ("minus-unit", -_unit(spec))]
            else:
                values = [("spaces", " " * spec.length)]
            for label, value in values:
                yield _Change(f"domain:{target.file.dd}:{spec.name}={label}", "domain", target,
                              (value,))

    def structure(self) -> Iterator[_Change]:
        """Every input empty, then cut to its first record, then missing (not shuffled: the
        empty files come first, they end runs the earliest)."""
        files = [*self.files, *self.other]
        for file in files:
            yield _Change(f"file:{file.dd}=empty", "file", files={file.dd: b""})
        for file in files:
            if len(file.records) > 1:
                yield _Change(f"file:{file.dd}=first-record", "file",
                              files={file.dd: file.serialize(file.records[:1])})
        for file in files:
            yield _Change(f"file:{file.dd}=missing", "file", files={file.dd: None})

    # -- scenarios -------------------------------------------------------------------------
    def scenario(self, change: _Change, rng: random.Random) -> Scenario | None:
        inputs: dict[str, bytes] = dict(self.base.inputs)
        for dd, data in change.files.items():
            if data is None:
                inputs.pop(dd, None)
            else:
                inputs[dd] = data
        if change.target is not None:
            target = change.target
            file = target.file
            records = list(file.records)
            if target.records:
                index = rng.choice(target.records)
                image = file.image(index)
            else:  # no record of this layout yet: add one
                index = len(records)
                records.append(b"")
                image = bytearray(b" " * file.length)
            try:
                for value in change.values:
                    set_field(target.spec, image, value)
            except (ScenarioError, CobolRuntimeError) as exc:
                log.debug("skipping %s: %s", change.name, exc)
                return None
            stored = file.encode(bytes(image))
            if stored is None:
                return None
            records[index] = stored
            inputs[file.dd] = file.serialize(records)
            name = f"{change.name}@{index + 1}"
        else:
            name = change.name
        parm = self.base.parm if change.parm is None else change.parm
        return Scenario(name, inputs, self.base.stdin, self.base.env, parm)


def _show(operand: Operand | None) -> str:
    if operand is None:
        return ""
    if operand.kind == "text":
        return f"'{operand.value}'"
    return str(operand.value)


def _digest(scenario: Scenario) -> str:
    sha = hashlib.sha256()
    for dd in sorted(scenario.inputs):
        sha.update(dd.encode() + b"\0" + hashlib.sha256(scenario.inputs[dd]).digest())
    sha.update(b"\1" + scenario.stdin + json.dumps(dict(scenario.env), sort_keys=True).encode())
    sha.update(repr(scenario.parm).encode())
    return sha.hexdigest()


def _interleave(groups: Sequence[list[_Change]]) -> Iterator[_Change]:
    iterators = [iter(g) for g in groups]
    while iterators:
        for it in list(iterators):
            item = next(it, None)
            if item is None:
                iterators.remove(it)
            else:
                yield item


def iter_scenarios(program: Program, base: Scenario, *, seed: int = 0,
                   kinds: Sequence[str] = KINDS,
                   seen: set[str] | None = None) -> Iterator[Scenario]:
    """Every variant of ``base``, one of each kind in turn (in the order of KINDS), each kind
    but ``file`` in an order shuffled by ``seed``; identical inputs (to the base, to an earlier
    variant, or to a digest in ``seen``) come once only."""
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ScenarioError(f"unknown scenario kinds {sorted(unknown)} (known: {KINDS})")
    generator = _Generator(program, base)
    rng = random.Random(seed)
    makers: dict[str, Callable[[], Iterator[_Change]]] = {
        "flip": generator.flips, "file": generator.structure, "88": generator.level_88,
        "dirty": generator.dirty, "domain": generator.domain}
    groups = []
    for kind in KINDS:
        if kind in kinds:
            changes = list(makers[kind]())
            if kind != "file":
                rng.shuffle(changes)
            groups.append(changes)
    seen = seen if seen is not None else set()
    seen.add(_digest(base))
    for change in _interleave(groups):
        scenario = generator.scenario(change, rng)
        if scenario is None:
            continue
        digest = _digest(scenario)
        if digest in seen:
            continue
        seen.add(digest)
        yield scenario


def generate(program: Program, estate: Estate, base: Scenario, *, seed: int = 0,
             budget: int = 40, kinds: Sequence[str] = KINDS) -> list[Scenario]:
    """Up to ``budget`` variants of ``base`` (see the module docstring), deterministic for a
    seed. ``estate`` is the analysed estate ``program`` belongs to."""
    if estate.program(program.name) is None:
        log.warning("%s is not a program of the estate given", program.name)
    out: list[Scenario] = []
    for scenario in iter_scenarios(program, base, seed=seed, kinds=kinds):
        if len(out) >= budget:
            break
        out.append(scenario)
    log.info("generated %d scenario(s) for %s from %s", len(out), program.name, base.name)
    return out


# --------------------------------------------------------------------------- seeded inputs


_DATE_NAME = re.compile(r"DATE|(^|-)(DTE|DT)(-|$)")


def _under_redefines(program: Program) -> set[str]:
    """Ids of the items that lie in a REDEFINES (the item itself or an ancestor)."""
    items = {d.id: d for d in program.data_items}
    out: set[str] = set()
    for item in program.data_items:
        current: DataItem | None = item
        while current is not None:
            if current.redefines:
                out.add(item.id)
                break
            current = items.get(current.parent) if current.parent else None
    return out


def _date_text(length: int, index: int) -> str | None:
    day = 15 + index % 10
    return {8: f"202401{day:02d}", 6: f"2401{day:02d}", 10: f"2024-01-{day:02d}"}.get(length)


def _seed_value(spec: FieldSpec, index: int, conditions: Sequence[DataItem]) -> FieldValue | None:
    """A plausible value for ``spec`` in the ``index``-th seeded record (see the module doc)."""
    values = [v for c in conditions if c.condition_values
              if (v := _literal_for(spec, _literal_operand(c.condition_values[0].value)))
              is not None]
    if values:
        return values[index % len(values)]
    date = _date_text(spec.length, index) if _DATE_NAME.search(spec.item.name) else None
    if spec.numeric:
        if date is not None and date.isdigit():
            return Decimal(date)
        for number in (Decimal(10 * (index + 1)), Decimal(index + 1), Decimal(0)):
            if _fits(spec, number):
                return number
        return None
    if date is not None:
        return date
    if spec.length <= 6:
        return str(index + 1).rjust(spec.length, "0")[-spec.length:]
    word = spec.item.name.rsplit("-", 1)[-1] if spec.item.name else "X"
    return f"{word} {index + 1}"[:spec.length]


def _key_value(spec: FieldSpec, number: int, last_numeric: bool) -> FieldValue:
    """The part of key number ``number`` (1, 2 …) that the key field ``spec`` holds."""
    if spec.numeric:
        return Decimal(number) if last_numeric and _fits(spec, Decimal(number)) else Decimal(0)
    return str(number).rjust(spec.length, "0")[-spec.length:]


def _set_key(specs: Sequence[FieldSpec], image: bytearray, key: Key, number: int) -> None:
    """Give the fields inside ``key`` the values of key number ``number``."""
    inside = [s for s in specs if key.offset <= s.offset
              and s.offset + s.length <= key.offset + key.length]
    if not inside:  # no field describes the key's bytes: digits
        image[key.offset:key.offset + key.length] = \
            str(number).rjust(key.length, "0")[-key.length:].encode()
        return
    numeric = [s for s in inside if s.numeric]
    for spec in inside:
        with contextlib.suppress(ScenarioError, CobolRuntimeError):
            set_field(spec, image, _key_value(spec, number, bool(numeric) and spec is numeric[-1]))


def _seed_layout(program: Program, fd: FileDef) -> DataItem | None:
    layouts = RecordLayouts(program)
    candidates = [r for r in layouts.candidates(fd) if r.is_group] or layouts.candidates(fd)
    return candidates[0] if candidates else None


def _seed_image(program: Program, layout: DataItem, length: int, index: int,
                overrides: Mapping[str, FieldValue], skip: set[str]) -> bytearray:
    image = bytearray(b" " * max(length, layout.length or 0))
    specs = record_fields(program, layout.name)
    conditions: dict[str, list[DataItem]] = {}
    for item in program.data_items:
        if item.level == 88 and item.parent:
            conditions.setdefault(item.parent, []).append(item)
    for spec in specs:
        if spec.item.id in skip:
            continue
        value = overrides.get(spec.name)
        if value is None:
            value = _seed_value(spec, index, conditions.get(spec.item.id, []))
        if value is not None:
            with contextlib.suppress(ScenarioError, CobolRuntimeError):
                set_field(spec, image, value)
    return image


def _key_links(program: Program, inputs: Sequence[FileDef],
               stored: Mapping[str, StoredFile]) -> dict[str, tuple[str, FieldSpec]]:
    """Fields of an input that the program MOVEs into the record key of an indexed input:
    ``{field name: (the indexed file's DD name, the key field)}``."""
    key_fields: dict[str, tuple[str, FieldSpec]] = {}
    for fd in inputs:
        sf = stored.get(fd.external_name)
        layout = _seed_layout(program, fd)
        if sf is None or sf.key is None or layout is None:
            continue
        for spec in record_fields(program, layout.name):
            if sf.key.offset <= spec.offset < sf.key.offset + sf.key.length:
                key_fields[spec.name] = (fd.external_name, spec)
    links: dict[str, tuple[str, FieldSpec]] = {}
    for flow in program.data_flow:
        if flow.verb != "MOVE" or len(flow.reads) != 1:
            continue
        for written in flow.writes:
            if written in key_fields:
                links.setdefault(flow.reads[0], key_fields[written])
    return links


def seeded_inputs(program: Program, stored: Mapping[str, StoredFile] | None = None
                  ) -> dict[str, bytes]:
    """Input files made from the layouts and keys (see the module docstring), by DD name: every
    file the program opens INPUT or I-O under a plain name, in the organization it reads.
    ``stored`` is ``compare.stored_files(program, root)`` (its INDEXED files' keys)."""
    stored = stored or {}
    inputs = [fd for fd in program.files
              if _open_modes(program, fd) & set(_READ_MODES) and plain_dd(fd.external_name)
              and fd.organization.upper() in _ORGANIZATIONS]
    skip = _under_redefines(program)
    links = _key_links(program, inputs, stored)
    keyed = [fd for fd in inputs if fd.external_name in stored
             and stored[fd.external_name].key is not None]
    images: dict[str, list[bytearray]] = {}
    for fd in [*keyed, *(f for f in inputs if f not in keyed)]:
        layout = _seed_layout(program, fd)
        if layout is None:
            continue
        length = _file_record_length(program, fd)
        specs = record_fields(program, layout.name)
        own = {name: (dd, spec) for name, (dd, spec) in links.items()
               if dd != fd.external_name and any(s.name == name for s in specs)}
        count = SEED_RECORDS + (1 if own else 0)
        records: list[bytearray] = []
        for index in range(count):
            overrides: dict[str, FieldValue] = {}
            for name, (dd, key_spec) in own.items():
                source = images.get(dd, [])
                target = next(s for s in specs if s.name == name)
                if index < len(source):
                    value = bytes(source[index][key_spec.offset:key_spec.offset
                                                + key_spec.length])
                else:  # a key the indexed file does not hold
                    scratch = bytearray(b" " * (key_spec.offset + key_spec.length))
                    with contextlib.suppress(ScenarioError, CobolRuntimeError):
                        set_field(key_spec, scratch, _key_value(key_spec, 900 + index, True))
                    value = bytes(scratch[key_spec.offset:])
                text = value.decode("latin-1")
                overrides[name] = Decimal(text) if target.numeric and text.isdigit() \
                    else value[:target.length]
            image = _seed_image(program, layout, length, index, overrides, skip)
            sf = stored.get(fd.external_name)
            if sf is not None and sf.key is not None:
                _set_key(specs, image, sf.key, index + 1)
                for alternate in sf.alternates:
                    if not alternate.overlaps(sf.key):
                        _set_key(specs, image, alternate,
                                 index // 2 + 1 if alternate.duplicates else index + 1)
            records.append(image)
        images[fd.external_name] = records
    out: dict[str, bytes] = {}
    for fd in inputs:
        if fd.external_name in images:
            out[fd.external_name] = b"".join(
                to_file_bytes(bytes(image[:_file_record_length(program, fd) or len(image)]), fd)
                for image in images[fd.external_name])
    return out


def seeded_parm(program: Program) -> str | None:
    """A PARM text for a program entered with USING: its first LINKAGE record after the halfword
    length, filled as seeded records are; None when the program has no USING."""
    if not program.entry_using:
        return None
    try:
        record = _root(program, program.entry_using[0])
    except ScenarioError:
        return None
    image = _seed_image(program, record, record.length or 0, 0, {},
                        _under_redefines(program))
    return bytes(image[2:]).rstrip(b" ").decode("latin-1")


def seeded_scenario(program: Program, root: Path, parm: str | None = None) -> Scenario:
    """The base scenario when there is no hand-written one: ``seeded_inputs``, with ``parm``
    (for a program entered with USING, a JCL step's PARM; else ``seeded_parm``)."""
    inputs = seeded_inputs(program, stored_files(program, root))
    if program.entry_using and parm is None:
        parm = seeded_parm(program)
    return Scenario("seeded-inputs", inputs, parm=parm if program.entry_using else None)


class StoredInputs:
    """A scenario's inputs as each side reads them (see the module docstring): ``legacy`` and
    ``python`` give the scenario with its INDEXED (and, for GnuCOBOL, RELATIVE) inputs made
    into the files that side keeps; the other inputs are left as they are. The runtime has no
    RELATIVE files: the Python side gets the records as they are."""

    def __init__(self, program: Program, root: Path, work: Path, *,
                 timeout_s: float = 30) -> None:
        self.stored = stored_files(program, root)
        self.utilities = Utilities(work, timeout_s=timeout_s)
        self._python: dict[bytes, bytes] = {}

    def legacy(self, scenario: Scenario) -> Scenario:
        if not set(self.stored) & set(scenario.inputs):
            return scenario
        inputs = dict(scenario.inputs)
        for dd, stored in self.stored.items():
            if dd in inputs:
                inputs.update(self.utilities.load(stored, stored.split(inputs.pop(dd))))
        return replace(scenario, inputs=inputs)

    def python(self, scenario: Scenario) -> Scenario:
        indexed = {dd: s for dd, s in self.stored.items() if s.indexed and dd in scenario.inputs}
        if not indexed:
            return scenario
        inputs = dict(scenario.inputs)
        for dd, stored in indexed.items():
            key = hashlib.sha256(repr(stored).encode() + b"\0" + inputs[dd]).digest()
            if key not in self._python:
                if len(self._python) > 512:
                    self._python.pop(next(iter(self._python)))
                self._python[key] = python_indexed_file(stored, stored.split(inputs[dd]))
            inputs[dd] = self._python[key]
        return replace(scenario, inputs=inputs)


# --------------------------------------------------------------------------- exploration


@dataclass(frozen=True)
class RunRecord:
    """What one exploration run did: return code, new paragraphs, whether it was kept, and
    whether it crashed (a signal, a libcob runtime error, or the time limit) rather than
    ending through the program's own logic."""

    scenario: str
    returncode: int | None
    new: tuple[str, ...]
    kept: bool
    crashed: bool
    detail: str = ""


@dataclass(frozen=True)
class Exploration:
    """What :func:`explore` found: the scenarios kept (the base first, then those that added
    coverage or ended differently: return code, procedures entered, outputs written), the
    reachable paragraphs covered, every run's record, the kept runs' results by scenario name,
    and the procedures of called subprograms the runs entered."""

    scenarios: list[Scenario]
    covered: set[str]
    reachable: set[str]
    coverage: float
    runs: int
    log: tuple[RunRecord, ...] = ()
    results: Mapping[str, RunResult] = field(default_factory=dict)
    subprograms: Mapping[str, set[str]] = field(default_factory=dict)

    @property
    def missed(self) -> set[str]:
        return self.reachable - self.covered

    @property
    def crashes(self) -> list[RunRecord]:
        return [r for r in self.log if r.crashed]


def reachable_paragraphs(program: Program) -> set[str]:
    """The model's paragraphs minus those the analysis finds no execution reaches."""
    return {p.key or p.name for p in program.paragraphs} - set(unreachable_paragraphs(program))


def crashed(result: RunResult) -> str:
    """Why a run crashed rather than ended (empty when it ended through the program)."""
    if result.returncode < 0:
        return f"killed by signal {-result.returncode}"
    text = result.stderr.decode("latin-1", errors="replace")
    errors = [line.strip() for line in text.splitlines() if _LIBCOB_ERROR.search(line)]
    return errors[0] if errors else ""


def _outcome(result: RunResult) -> tuple[object, ...]:
    entered = frozenset((p, k) for p, keys in result.trace.items() for k in keys)
    written = frozenset(dd for dd in result.outputs if result.files.get(dd))
    return result.returncode, entered, written


def explore(program: Program, estate: Estate, build: Build, base: Scenario, *,
            budget: int = 60, patience: int = 10, seed: int = 0, timeout_s: float = 30,
            kinds: Sequence[str] = KINDS, extra: Sequence[Scenario] = (),
            inputs: StoredInputs | None = None) -> Exploration:
    """Run ``base``, then ``extra`` (hand-written scenarios), then the variants of ``base`` on
    the legacy ``build`` until paragraph coverage has not risen for ``patience`` runs or
    ``budget`` runs are done. When the variants of the base run out, the variants of each
    scenario that added coverage follow (named ``<parent> > <variant>``). ``inputs`` makes
    the INDEXED and RELATIVE inputs into GnuCOBOL's files (by default a ``StoredInputs`` with
    its utility programs beside the build)."""
    if not build.traced:
        raise HarnessError(f"the build of {build.program} has no trace: build it with "
                           "trace=True to measure coverage")
    if estate.program(program.name) is None:
        log.warning("%s is not a program of the estate given", program.name)
    if inputs is None:
        inputs = StoredInputs(program, Path(estate.root), build.executable.parent.parent,
                              timeout_s=timeout_s)
    reachable = reachable_paragraphs(program)
    covered: set[str] = set()
    subprograms: dict[str, set[str]] = {}
    kept: list[Scenario] = []
    results: dict[str, RunResult] = {}
    records: list[RunRecord] = []
    outcomes: set[tuple[object, ...]] = set()
    seen: set[str] = set()
    parents: list[Scenario] = []
    stale = 0
    runs = 0

    def candidates() -> Iterator[Scenario]:
        yield base
        for scenario in extra:
            if _digest(scenario) not in seen:
                seen.add(_digest(scenario))
                yield scenario
        yield from iter_scenarios(program, base, seed=seed, kinds=kinds, seen=seen)
        done = 0
        while done < len(parents):
            parent = parents[done]
            done += 1
            for scenario in iter_scenarios(program, parent, seed=seed + done, kinds=kinds,
                                           seen=seen):
                yield replace(scenario, name=f"{parent.name} > {scenario.name}")

    for scenario in candidates():
        if runs >= budget or stale >= patience:
            break
        runs += 1
        try:
            result = run(build, inputs.legacy(scenario), timeout_s=timeout_s)
        except RunTimeoutError as exc:
            records.append(RunRecord(scenario.name, None, (), False, True, str(exc)))
            stale += 1
            continue
        except StoredFileError as exc:  # its records cannot be loaded: no run
            log.warning("%s: %s not run: %s", program.name, scenario.name, exc)
            records.append(RunRecord(scenario.name, None, (), False, True, str(exc)))
            stale += 1
            continue
        entered = result.paragraphs(program.name) & reachable
        new = entered - covered
        why = crashed(result)
        outcome = _outcome(result)
        keep = bool(new) or outcome not in outcomes
        if scenario is base:
            keep = True  # the base, even if it enters nothing reachable
        records.append(RunRecord(scenario.name, result.returncode, tuple(sorted(new)), keep,
                                 bool(why), why))
        if why:
            log.info("%s crashed on %s: %s", program.name, scenario.name, why)
        for name, keys in result.trace.items():
            if name != program.name:
                subprograms.setdefault(name, set()).update(keys)
        if keep:
            kept.append(scenario)
            results[scenario.name] = result
            outcomes.add(outcome)
        if new:
            covered |= new
            stale = 0
            if scenario is not base:
                parents.append(scenario)
            log.info("%s: %s adds %s (%d/%d)", program.name, scenario.name, sorted(new),
                     len(covered), len(reachable))
        else:
            stale += 1
    coverage = len(covered) / len(reachable) if reachable else 1.0
    log.info("%s: %d run(s), %d kept, coverage %.0f%%", program.name, runs, len(kept),
             100 * coverage)
    return Exploration(kept, covered, reachable, coverage, runs, tuple(records), results,
                       subprograms)


# --------------------------------------------------------------------------- hand-written


def load_scenarios(root: Path, program: Program | str) -> list[Scenario]:
    """Hand-written scenarios of ``program`` under ``root/scenarios/<PROGRAM>/<name>/``: one
    file per DD name, plus optional ``files.json`` (DD name → a file of the repo, relative to
    ``root``, for inputs kept elsewhere such as the sample data), ``stdin``, ``env.json`` (an
    object of strings) and ``parm`` (the command line; for a program entered with USING, the
    PARM text). An INDEXED or RELATIVE file is given as its records back to back, fixed
    length (see the module docstring). Named ``hand:<name>``, in name order."""
    name = program.name if isinstance(program, Program) else program.upper()
    folder = Path(root) / "scenarios" / name
    if not folder.is_dir():
        return []
    out: list[Scenario] = []
    for case in sorted(p for p in folder.iterdir() if p.is_dir()):
        inputs = {p.name: p.read_bytes() for p in sorted(case.iterdir())
                  if p.is_file() and p.name not in _CONTROL and not p.name.startswith(".")
                  and not p.name.lower().startswith("readme")}
        if (case / "files.json").is_file():  # DD name -> a file of the repo, not copied here
            listed = json.loads((case / "files.json").read_text())
            if not isinstance(listed, dict) or not all(
                    isinstance(k, str) and isinstance(v, str) for k, v in listed.items()):
                raise ScenarioError(f"{case / 'files.json'}: an object of strings is expected")
            for dd, relative in listed.items():
                path = Path(root) / relative
                if not path.is_file():
                    raise ScenarioError(f"{case / 'files.json'}: {relative} is not a file "
                                        f"under {root}")
                inputs.setdefault(dd, path.read_bytes())
        env: dict[str, str] = {}
        if (case / "env.json").is_file():
            loaded = json.loads((case / "env.json").read_text())
            if not isinstance(loaded, dict) or not all(
                    isinstance(k, str) and isinstance(v, str) for k, v in loaded.items()):
                raise ScenarioError(f"{case / 'env.json'}: an object of strings is expected")
            env = loaded
        stdin = (case / "stdin").read_bytes() if (case / "stdin").is_file() else b""
        parm = (case / "parm").read_text().strip() if (case / "parm").is_file() else None
        out.append(Scenario(f"hand:{case.name}", inputs, stdin, env, parm))
    return out
