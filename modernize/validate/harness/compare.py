"""Compare two runs of one program knowing COBOL output.

Standard output, the return code and every output file must be byte-identical. When a record
file differs, the first differing record is cut out (one per line for LINE SEQUENTIAL, by the
FD's record length for fixed files) and the first differing byte is located in the record's
layout: the FD's 01 record, else the record the program writes FROM or reads INTO. The
difference names that elementary field, with decoded values for numeric fields.

**Indexed files are compared as records in primary-key order**, not as bytes: GnuCOBOL 3.1.2
keeps an INDEXED file in Berkeley DB (the file, plus ``<file>.1``, ``<file>.2`` … for the
alternate keys), the translation's runtime in SQLite, so equal files never have equal bytes.
``StoredFile`` says how one INDEXED or RELATIVE file of a program is kept (record length,
primary and alternate keys, from the FD and the SELECT entry). ``Utilities`` builds, once per
layout and cached under a work folder, two tiny GnuCOBOL programs generated for that layout: a
*loader* that reads records from a record sequential file and WRITEs them to the file as
GnuCOBOL keeps it, and a *dumper* that reads the file sequentially by primary key and writes
each record (with its length) to a record sequential file. They run in the same sandbox as the
programs under test (an estate's file is untrusted data). ``python_indexed_file`` writes the
same records through the runtime's own ``CobolFile`` (so the SQLite file is exactly the one a
translated program reads) and ``read_python_indexed`` reads a run's SQLite file back, read-only.
``compare(..., indexed=...)`` takes both sides' records per DD name and names the first record
(in key order) and field that differ; the alternate-key files beside the Berkeley DB file are
indexes over the same records and are not compared on their own.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import sqlite3
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from ...analysis.cobol.preprocess import split_reference_lines
from ...analysis.cobol.tokens import TokenKind, tokenize_line
from ...analysis.scan import source_lines
from ...core.model import DataItem, FileDef, Program
from .legacy import (
    Build,
    HarnessError,
    RunResult,
    RunTimeoutError,
    Scenario,
    _cobc,
    _compile,
    run,
)

log = logging.getLogger(__name__)

_NUMERIC_PIC = re.compile(r"^S?[9P]*(V[9P]*)?$")
_EDITED_PIC = re.compile(r"^[$]*[-+]?[$]*[Z9*,$]*(\.[Z9*,]*)?(CR|DB|[-+])?$")
_EDITED_TEXT = re.compile(r"^\s*([-+]?)\s*(\d*(?:\.\d*)?)\s*(CR|DB|[-+])?\s*$")
_OVERPUNCH = {
    **{c: (False, i) for i, c in enumerate("0123456789")},
    **{c: (False, i) for i, c in enumerate("{ABCDEFGHI")},
    **{c: (True, i) for i, c in enumerate("}JKLMNOPQR")},
    **{c: (True, i) for i, c in enumerate("pqrstuvwxy")},  # GnuCOBOL ASCII negative digits
}
ABSENT = "<absent>"
NO_RECORD = "<no record>"


@dataclass(frozen=True)
class Difference:
    """One place where the runs differ; ``record`` is 1-based (a line for stdout)."""

    where: str
    record: int | None
    field: str | None
    expected: str
    actual: str
    layout: str | None = None
    offset: int | None = None
    detail: str = ""

    def describe(self) -> str:
        """One line a person reads."""
        text = self.where
        if self.record is not None:
            text += f" line {self.record}" if self.where == "stdout" else f" record {self.record}"
        if self.field:
            text += f" field {self.field}"
            if self.layout:
                text += f" of {self.layout}"
        if self.offset is not None:
            text += f" (byte {self.offset + 1})"
        return f"{text}: expected {self.expected}, got {self.actual}"


@dataclass(frozen=True)
class Verdict:
    """The outcome of one comparison."""

    equivalent: bool
    differences: list[Difference] = field(default_factory=list)
    program: str = ""
    scenario: str = ""

    def report(self) -> str:
        """The verdict as Markdown."""
        title = f"## {self.program or 'program'}"
        if self.scenario:
            title += f" · scenario `{self.scenario}`"
        if self.equivalent:
            return f"{title}\n\n**Equivalent**: stdout, return code and every output file " \
                   "are byte-identical.\n"
        lines = [title, "", f"**Not equivalent**: {len(self.differences)} difference(s).", "",
                 "| where | record | field | expected | actual |",
                 "| --- | --- | --- | --- | --- |"]
        for d in self.differences:
            name = f"`{d.field}`" + (f" of `{d.layout}`" if d.layout else "") if d.field else ""
            record = "" if d.record is None else str(d.record)
            lines.append(f"| {d.where} | {record} | {name} | {_cell(d.expected)} | "
                         f"{_cell(d.actual)} |")
        for d in self.differences:
            if d.detail:
                lines += ["", f"{d.describe()}", "", "```", d.detail, "```"]
        return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return "`" + text.replace("|", "\\|").replace("`", "'") + "`"


def _text(data: bytes) -> str:
    return repr(data.decode("latin-1"))


# --------------------------------------------------------------------------- values


def _is_numeric_display(item: DataItem) -> bool:
    picture = re.sub(r"([9XAPZ])\((\d+)\)", lambda m: m.group(1) * int(m.group(2)),
                     (item.picture or "").upper())
    return item.usage == "DISPLAY" and bool(picture) and bool(_NUMERIC_PIC.match(picture))


def _scaled(value: int, scale: int | None) -> str:
    return str(Decimal(value).scaleb(-(scale or 0)))


def _edited(item: DataItem, text: str) -> str | None:
    """The value shown by a numeric-edited field (``ZZ,ZZ9.99-``, ``$$$9``), if it is one."""
    picture = re.sub(r"([9Z*$,.+-])\((\d+)\)", lambda m: m.group(1) * int(m.group(2)),
                     (item.picture or "").upper())
    if item.usage != "DISPLAY" or not re.search(r"[Z9*]", picture) \
            or not _EDITED_PIC.match(picture) or _NUMERIC_PIC.match(picture):
        return None
    found = _EDITED_TEXT.match(text.replace(",", "").replace("$", "").replace("*", ""))
    if not found or not found.group(2).strip("."):
        return "0" if found and not text.strip(" $*,.") else None
    negative = found.group(1) == "-" or (found.group(3) or "") in ("-", "CR", "DB")
    return ("-" if negative else "") + found.group(2)


def decode(item: DataItem, raw: bytes) -> str | None:
    """The value of a numeric or numeric-edited field as text (``-1234.56``); None when the
    field is not numeric or the bytes are not a valid value."""
    usage = item.usage.upper()
    if usage in ("COMP-3", "PACKED-DECIMAL"):
        nibbles = [n for b in raw for n in (b >> 4, b & 15)]
        if not nibbles or any(n > 9 for n in nibbles[:-1]) or nibbles[-1] < 10:
            return None
        value = int("".join(map(str, nibbles[:-1])) or "0")
        return _scaled(-value if nibbles[-1] in (0xB, 0xD) else value, item.scale)
    if usage in ("COMP", "BINARY", "COMP-4", "COMP-5"):
        order = "little" if usage == "COMP-5" else "big"
        return _scaled(int.from_bytes(raw, order, signed=item.signed), item.scale)
    text = raw.decode("latin-1")
    if not _is_numeric_display(item):
        return _edited(item, text)
    sign = (item.sign or "TRAILING").upper() if item.signed else ""
    negative = False
    if "SEPARATE" in sign:
        mark, text = (text[0], text[1:]) if sign.startswith("LEADING") else (text[-1], text[:-1])
        if mark not in "+-":
            return None
        negative = mark == "-"
    elif sign and text:
        at = 0 if sign.startswith("LEADING") else len(text) - 1
        if text[at] not in _OVERPUNCH:
            return None
        negative, digit = _OVERPUNCH[text[at]]
        text = text[:at] + str(digit) + text[at + 1:]
    if not text.isdigit() or not text.isascii():
        return None
    return _scaled(-int(text) if negative else int(text), item.scale)


# --------------------------------------------------------------------------- layouts


class RecordLayouts:
    """The record layouts of one program's files."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.children: dict[str, list[DataItem]] = {}
        for item in program.data_items:
            if item.parent and item.level not in (66, 88):
                self.children.setdefault(item.parent, []).append(item)

    def file(self, dd: str) -> FileDef | None:
        return next((f for f in self.program.files
                     if dd in (f.dd_name, f.assign, f.name)), None)

    def _root(self, name: str, fd: str | None = None) -> DataItem | None:
        found = [d for d in self.program.data_items
                 if d.name == name and d.level not in (66, 88) and (fd is None or d.fd == fd)]
        return min(found, key=lambda d: d.level, default=None)

    def records(self, fd: FileDef) -> list[DataItem]:
        return [r for name in fd.records if (r := self._root(name, fd.name)) is not None]

    def record_length(self, fd: FileDef) -> int | None:
        return max((r.length or 0 for r in self.records(fd)), default=0) or None

    def candidates(self, fd: FileDef) -> list[DataItem]:
        """FD records with fields first, then records written FROM or read INTO."""
        own = self.records(fd)
        names: list[str] = []
        read_lines = {op.line for op in self.program.file_ops
                      if op.verb == "READ" and op.file_name == fd.name}
        for flow in self.program.data_flow:
            if flow.verb in ("WRITE", "REWRITE") and set(flow.writes) & set(fd.records):
                names += flow.reads
            elif flow.verb == "READ" and flow.line in read_lines:
                names += [w for w in flow.writes if w not in fd.records]
        others = [r for n in dict.fromkeys(names) if (r := self._root(n)) is not None]
        return [r for r in own if r.is_group] + others + [r for r in own if not r.is_group]

    def locate(self, root: DataItem, offset: int) -> tuple[DataItem, str, int] | None:
        """The elementary item holding byte ``offset`` of a record laid out as ``root``:
        (item, name with subscripts, its offset in the record)."""
        base = root.offset or 0
        return self._descend(root, offset + base, 0, ())

    def _descend(self, item: DataItem, at: int, shift: int,
                 subscripts: tuple[int, ...]) -> tuple[DataItem, str, int] | None:
        start = (item.offset or 0) + shift
        size = item.length or 0
        count = item.occurs_max or 1
        if size <= 0 or not start <= at < start + size * count:
            return None
        if item.occurs_max:
            index = (at - start) // size
            shift += index * size
            start += index * size
            subscripts = (*subscripts, index + 1)
        kids = self.children.get(item.id, [])
        for kid in sorted(kids, key=lambda k: k.redefines is not None):
            found = self._descend(kid, at, shift, subscripts)
            if found:
                return found
        name = item.name + (f"({','.join(map(str, subscripts))})" if subscripts else "")
        return item, name, start

    def score(self, root: DataItem, record: bytes) -> int | None:
        """How well ``record`` matches the layout: one point per numeric DISPLAY field holding a
        number and per VALUE SPACES field holding spaces, two per literal VALUE found; None when
        one of these fails (the record is not of this layout)."""
        if not self.children.get(root.id) or (root.length or 0) < len(record.rstrip(b" ")):
            return None
        base = root.offset or 0
        points = 0
        todo = list(self.children.get(root.id, []))
        while todo:
            item = todo.pop()
            if item.redefines or item.occurs_max or item.offset is None or not item.length:
                continue
            if item.is_group:
                todo.extend(self.children.get(item.id, []))
                continue
            start = item.offset - base
            raw = record[start:start + item.length].ljust(item.length)
            value = (item.value or "").strip()
            if value.upper() in ("SPACE", "SPACES"):
                if raw.strip(b" "):
                    return None
                points += 1
            elif value[:1] in ("'", '"') and value[-1:] == value[:1]:
                if raw.decode("latin-1").split() != value[1:-1].split():
                    return None
                points += 2
            elif not value and _is_numeric_display(item):
                if decode(item, raw) is None:
                    return None
                points += 1
        return points

    def layout_for(self, fd: FileDef, record: bytes) -> DataItem | None:
        """The layout ``record`` matches best, else the first candidate."""
        roots = self.candidates(fd)
        if not record.strip(b" ") and self.records(fd):
            return self.records(fd)[0]  # a blank line has no layout to tell
        scored = [(score, -i, r) for i, r in enumerate(roots)
                  if (score := self.score(r, record)) is not None]
        if scored:
            return max(scored, key=lambda t: (t[0], t[1]))[2]
        return roots[0] if roots else None


# --------------------------------------------------------------------------- stored files

STORED_ORGANIZATIONS = ("INDEXED", "RELATIVE")
UTILITY_VERSION = "1"
_UTILITY_CACHE = 1024  # loads and dumps kept in memory per ``Utilities``


class StoredFileError(HarnessError):
    """A loader or dumper program failed: the records cannot be put in (or read from) the file
    the way GnuCOBOL keeps it."""


@dataclass(frozen=True)
class Key:
    """A key of an indexed file: where its bytes lie in the record."""

    offset: int
    length: int
    duplicates: bool = False

    def of(self, record: bytes) -> bytes:
        return record[self.offset:self.offset + self.length]

    def overlaps(self, other: Key) -> bool:
        return self.offset < other.offset + other.length and \
            other.offset < self.offset + self.length


@dataclass(frozen=True)
class StoredFile:
    """How one INDEXED or RELATIVE file of a program is kept: its DD name, organization, record
    length (the longest 01 of its FD), RECORD KEY and ALTERNATE RECORD KEYs."""

    dd: str
    organization: str
    length: int
    key: Key | None = None
    alternates: tuple[Key, ...] = ()

    @property
    def indexed(self) -> bool:
        return self.organization == "INDEXED"

    def companions(self) -> tuple[str, ...]:
        """The files GnuCOBOL keeps beside the DD's own (``<dd>.1`` … one per alternate key)."""
        return tuple(f"{self.dd}.{i}" for i in range(1, len(self.alternates) + 1))

    def split(self, data: bytes) -> list[bytes]:
        """The records of a scenario's input for this file: fixed-length records back to back
        (a short last one is padded with spaces)."""
        if self.length <= 0:
            return []
        return [data[i:i + self.length].ljust(self.length, b" ")
                for i in range(0, len(data), self.length)]

    def normalize(self, records: Sequence[bytes]) -> list[bytes]:
        """The records the file can hold: each padded or cut to the record length; for an
        INDEXED file in primary-key order, keeping the first record of each primary key and of
        each value of an alternate key without DUPLICATES (a KSDS refuses the others)."""
        fixed = [r[:self.length].ljust(self.length, b" ") for r in records]
        if not self.indexed or self.key is None:
            return fixed
        unique = [k for k in self.alternates if not k.duplicates]
        seen: list[set[bytes]] = [set() for _ in range(1 + len(unique))]
        kept: list[bytes] = []
        for record in fixed:
            values = [self.key.of(record), *(k.of(record) for k in unique)]
            if any(v in s for v, s in zip(values, seen, strict=True)):
                continue
            for value, found in zip(values, seen, strict=True):
                found.add(value)
            kept.append(record)
        return sorted(kept, key=self.key.of)


def _key_of(program: Program, fd: FileDef, name: str | None) -> Key | None:
    """Where the data item ``name`` of ``fd``'s records lies in the record."""
    if not name:
        return None
    item = next((d for d in program.data_items if d.name == name.upper() and d.fd == fd.name
                 and d.level not in (66, 88)), None)
    if item is None or item.offset is None or not item.length:
        return None
    return Key(item.offset, item.length)


def select_entry(program: Program, fd: FileDef, root: Path) -> list[str]:
    """The words of ``fd``'s SELECT entry (upper case), read from the source at the entry's
    file and line; empty when the file cannot be read."""
    lines = source_lines(root, fd.file)
    if not lines:
        return []
    text = "\n".join(lines)
    body = split_reference_lines(text, fd.file, program.source_format == "free", False, [])
    words: list[str] = []
    for line in body:
        if line.origin.line < fd.line:
            continue
        for token in tokenize_line(line.text):
            if token.kind is TokenKind.SEPARATOR and token.text == ".":
                return words
            if token.kind is TokenKind.SEPARATOR:
                continue
            if words and token.upper == "SELECT":
                return words  # the next entry: this one had no period
            words.append(token.upper)
    return words


def alternate_keys(program: Program, fd: FileDef, root: Path) -> tuple[Key, ...]:
    """The alternate keys of ``fd``: the model's (since schema 1.3), else the ALTERNATE
    [RECORD] KEY [IS] name [WITH DUPLICATES] clauses read from its SELECT entry."""
    if fd.alternate_keys:
        found = [(_key_of(program, fd, k.name), k.duplicates) for k in fd.alternate_keys]
        return tuple(Key(k.offset, k.length, dups) for k, dups in found if k is not None)
    words = select_entry(program, fd, root)
    out: list[Key] = []
    for at, word in enumerate(words):
        if word != "ALTERNATE":
            continue
        j = at + 1
        while j < len(words) and words[j] in ("RECORD", "KEY", "IS"):
            j += 1
        key = _key_of(program, fd, words[j] if j < len(words) else None)
        if key is None:
            log.warning("%s: alternate key of %s not found in its records", program.name,
                        fd.name)
            continue
        duplicates = "DUPLICATES" in words[j + 1:j + 3]
        out.append(Key(key.offset, key.length, duplicates))
    return tuple(out)


def stored_files(program: Program, root: Path) -> dict[str, StoredFile]:
    """The INDEXED and RELATIVE files of ``program`` by DD name (an INDEXED file whose RECORD
    KEY is not found in its records is left out: nothing can load it)."""
    out: dict[str, StoredFile] = {}
    for fd in program.files:
        organization = fd.organization.upper()
        if organization not in STORED_ORGANIZATIONS:
            continue
        lengths = [d.length or 0 for d in program.data_items
                   if d.fd == fd.name and d.level in (1, 77)]
        length = max(lengths, default=0)
        if length <= 0:
            continue
        if organization == "INDEXED":
            key = _key_of(program, fd, fd.record_key)
            if key is None:
                log.warning("%s: RECORD KEY of %s not found: its inputs are not loaded",
                            program.name, fd.name)
                continue
            out[fd.external_name] = StoredFile(fd.external_name, organization, length, key,
                                               alternate_keys(program, fd, root))
        else:
            out[fd.external_name] = StoredFile(fd.external_name, organization, length)
    return out


def _area(name: str, key: Key, length: int) -> list[str]:
    """An 01 of a utility's FD placing the key field ``name`` at its offset."""
    lines = [f"       01  {name}-AREA."]
    if key.offset:
        lines.append(f"           05  FILLER PIC X({key.offset}).")
    lines.append(f"           05  {name} PIC X({key.length}).")
    rest = length - key.offset - key.length
    if rest > 0:
        lines.append(f"           05  FILLER PIC X({rest}).")
    return lines


def utility_source(stored: StoredFile, kind: str) -> str:
    """The GnuCOBOL program that loads records into (``kind`` "load": from DD ``MZIN``, fixed
    records, to DD ``MZOUT`` kept as GnuCOBOL keeps ``stored``) or dumps records from (``kind``
    "dump": ``MZIN`` read in primary-key order, each record written to ``MZOUT`` as a 5-digit
    length and the record padded with spaces) a file laid out as ``stored``. It ends with
    return code 16 and a message on stderr at the first unexpected status."""
    if kind not in ("load", "dump"):
        raise ValueError(f"utility kind {kind!r}: load or dump")
    n = stored.length
    load = kind == "load"
    keys: list[Key] = []
    select = [f"           SELECT MZ-STORED ASSIGN TO {'MZOUT' if load else 'MZIN'}",
              f"               ORGANIZATION IS {stored.organization}",
              "               ACCESS MODE IS SEQUENTIAL"]
    if stored.indexed and stored.key is not None:
        keys = [stored.key, *(stored.alternates if load else ())]
        select.append("               RECORD KEY IS MZ-KEY-0")
        for index, key in enumerate(keys[1:], start=1):
            select.append(f"               ALTERNATE RECORD KEY IS MZ-KEY-{index}"
                          + (" WITH DUPLICATES" if key.duplicates else ""))
    select.append("               FILE STATUS IS MZ-STORED-STATUS.")
    plain = [f"           SELECT MZ-RECORDS ASSIGN TO {'MZIN' if load else 'MZOUT'}",
             "               ORGANIZATION IS RECORD SEQUENTIAL",
             "               FILE STATUS IS MZ-RECORDS-STATUS."]
    varying = not load and stored.indexed
    shortest = max((k.offset + k.length for k in keys), default=1)
    fd = ["       FD  MZ-STORED"
          + (f" RECORD IS VARYING IN SIZE FROM {shortest} TO {n}" if varying else "")
          + ("" if varying else "."),
          *(["               CHARACTERS DEPENDING ON MZ-LENGTH."] if varying else []),
          f"       01  MZ-STORED-RECORD PIC X({n})."]
    for index, key in enumerate(keys):
        fd += _area(f"MZ-KEY-{index}", key, n)
    if load:
        records = ["       FD  MZ-RECORDS.", f"       01  MZ-PLAIN-RECORD PIC X({n})."]
    else:
        records = ["       FD  MZ-RECORDS.", "       01  MZ-PLAIN-RECORD.",
                   "           05  MZ-PLAIN-LENGTH PIC 9(5).",
                   f"           05  MZ-PLAIN-DATA PIC X({n})."]
    if load:
        body = [
            "           OPEN INPUT MZ-RECORDS",
            "           OPEN OUTPUT MZ-STORED",
            "           IF MZ-RECORDS-STATUS NOT = '00' OR MZ-STORED-STATUS NOT = '00'",
            "               DISPLAY 'MZLOAD: OPEN ' MZ-RECORDS-STATUS ' ' MZ-STORED-STATUS",
            "                   UPON SYSERR",
            "               MOVE 16 TO RETURN-CODE",
            "               STOP RUN",
            "           END-IF",
            "           PERFORM UNTIL MZ-RECORDS-STATUS NOT = '00'",
            "               READ MZ-RECORDS",
            "               IF MZ-RECORDS-STATUS = '00'",
            "                   WRITE MZ-STORED-RECORD FROM MZ-PLAIN-RECORD",
            "                   IF MZ-STORED-STATUS NOT = '00' AND NOT = '02'",
            "                       DISPLAY 'MZLOAD: WRITE ' MZ-STORED-STATUS UPON SYSERR",
            "                       MOVE 16 TO RETURN-CODE",
            "                       STOP RUN",
            "                   END-IF",
            "               END-IF",
            "           END-PERFORM",
            "           IF MZ-RECORDS-STATUS NOT = '10'",
            "               DISPLAY 'MZLOAD: READ ' MZ-RECORDS-STATUS UPON SYSERR",
            "               MOVE 16 TO RETURN-CODE",
            "           END-IF"]
    else:
        body = [
            "           OPEN INPUT MZ-STORED",
            "           OPEN OUTPUT MZ-RECORDS",
            "           IF MZ-RECORDS-STATUS NOT = '00' OR MZ-STORED-STATUS NOT = '00'",
            "               DISPLAY 'MZDUMP: OPEN ' MZ-STORED-STATUS ' ' MZ-RECORDS-STATUS",
            "                   UPON SYSERR",
            "               MOVE 16 TO RETURN-CODE",
            "               STOP RUN",
            "           END-IF",
            "           PERFORM UNTIL MZ-STORED-STATUS NOT = '00'",
            "               MOVE SPACES TO MZ-STORED-RECORD",
            f"               MOVE {n} TO MZ-LENGTH",
            "               READ MZ-STORED NEXT RECORD",
            "               IF MZ-STORED-STATUS = '00'",
            "                   MOVE MZ-LENGTH TO MZ-PLAIN-LENGTH",
            "                   MOVE MZ-STORED-RECORD TO MZ-PLAIN-DATA",
            "                   WRITE MZ-PLAIN-RECORD",
            "               END-IF",
            "           END-PERFORM",
            "           IF MZ-STORED-STATUS NOT = '10'",
            "               DISPLAY 'MZDUMP: READ ' MZ-STORED-STATUS UPON SYSERR",
            "               MOVE 16 TO RETURN-CODE",
            "           END-IF"]
    lines = [
        "       IDENTIFICATION DIVISION.",
        f"       PROGRAM-ID. MZ{kind.upper()}.",
        "       ENVIRONMENT DIVISION.",
        "       INPUT-OUTPUT SECTION.",
        "       FILE-CONTROL.",
        *select, *plain,
        "       DATA DIVISION.",
        "       FILE SECTION.",
        *fd, *records,
        "       WORKING-STORAGE SECTION.",
        "       01  MZ-LENGTH PIC 9(5) COMP-5.",
        "       01  MZ-STORED-STATUS PIC XX.",
        "       01  MZ-RECORDS-STATUS PIC XX.",
        "       PROCEDURE DIVISION.",
        *body,
        "           CLOSE MZ-RECORDS MZ-STORED",
        "           STOP RUN."]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class IndexedContent:
    """One side's records of an indexed file, in primary-key order; ``records`` is None when
    the file is absent (``absent``) or cannot be read as an indexed file (``error`` says why)."""

    records: tuple[bytes, ...] | None
    absent: bool = False
    error: str = ""

    def describe(self) -> str:
        if self.records is not None:
            return f"{len(self.records)} records"
        return ABSENT if self.absent else f"<unreadable: {self.error}>"


class Utilities:
    """The loader and dumper programs (``utility_source``), built with ``cobc`` once per layout
    under ``work/utilities`` and run in the sandbox; the files they made are kept in memory by
    the digest of what they were made from."""

    def __init__(self, work: Path, *, timeout_s: float = 30) -> None:
        self.folder = Path(work).resolve() / "utilities"
        self.timeout_s = timeout_s
        self._builds: dict[str, Build] = {}
        self._loaded: dict[str, dict[str, bytes]] = {}
        self._dumped: dict[str, IndexedContent] = {}

    def build(self, stored: StoredFile, kind: str) -> Build:
        """The ``kind`` utility for ``stored``'s layout, compiled unless an identical build
        (same source, same ``cobc``) is in the folder."""
        cobc = _cobc()
        source = utility_source(stored, kind)
        compiler = Path(cobc).stat()
        key = hashlib.sha256(f"{UTILITY_VERSION}\n{cobc}:{compiler.st_size}:"
                             f"{compiler.st_mtime_ns}\n{source}".encode()).hexdigest()[:24]
        if key in self._builds:
            return self._builds[key]
        target = self.folder / f"MZ{kind.upper()}-{key}"
        exe = target / f"mz{kind}"
        cached = exe.is_file()
        if not cached:
            target.mkdir(parents=True, exist_ok=True)
            (target / f"mz{kind}.cbl").write_text(source)
            partial = target / f".mz{kind}.{os.getpid()}.partial"  # another run may build too
            _compile([cobc, "-x", "-free", "-fassign-clause=ibm", "-o", str(partial),
                      str(target / f"mz{kind}.cbl")], f"MZ{kind.upper()}", target)
            partial.rename(exe)
        built = Build(program=f"MZ{kind.upper()}", executable=exe, library_dir=None,
                      dd_names=("MZIN", "MZOUT"), programs={}, linked=(), modules=(),
                      traced=False, key=key, cached=cached)
        self._builds[key] = built
        return built

    def _run(self, stored: StoredFile, kind: str, inputs: Mapping[str, bytes]) -> RunResult:
        built = self.build(stored, kind)
        try:
            result = run(built, Scenario(f"{kind}:{stored.dd}", dict(inputs)),
                         timeout_s=self.timeout_s)
        except RunTimeoutError as exc:
            raise StoredFileError(f"the {kind}er of {stored.dd} ran past "
                                  f"{self.timeout_s:g} s") from exc
        if result.returncode != 0:
            why = result.stderr.decode("latin-1", "replace").strip().splitlines()
            raise StoredFileError(f"the {kind}er of {stored.dd} ended with "
                                  f"{result.returncode}: {why[0] if why else ''}")
        return result

    def load(self, stored: StoredFile, records: Sequence[bytes]) -> dict[str, bytes]:
        """The files GnuCOBOL reads as ``stored`` holding ``records`` (normalized first): by
        name, ``stored.dd`` and its companions."""
        records = stored.normalize(records)
        digest = _digest_of(stored, records)
        if digest not in self._loaded:
            result = self._run(stored, "load", {"MZIN": b"".join(records)})
            made = {stored.dd: result.files.get("MZOUT", b"")}
            for index, name in enumerate(stored.companions(), start=1):
                if f"MZOUT.{index}" in result.files:
                    made[name] = result.files[f"MZOUT.{index}"]
            _remember(self._loaded, digest, made)
        return dict(self._loaded[digest])

    def dump(self, stored: StoredFile, files: Mapping[str, bytes | None]) -> IndexedContent:
        """The records of the GnuCOBOL file ``files[stored.dd]`` in primary-key order."""
        data = files.get(stored.dd)
        if data is None:
            return IndexedContent(None, absent=True)
        digest = _digest_of(stored, [data])
        if digest not in self._dumped:
            try:
                result = self._run(stored, "dump", {"MZIN": data})
            except StoredFileError as exc:
                content = IndexedContent(None, error=str(exc))
            else:
                content = IndexedContent(tuple(_framed(result.files.get("MZOUT", b""),
                                                       stored.length)))
            _remember(self._dumped, digest, content)
        return self._dumped[digest]


def _digest_of(stored: StoredFile, parts: Sequence[bytes]) -> str:
    sha = hashlib.sha256(json.dumps([UTILITY_VERSION, repr(stored)]).encode())
    for part in parts:
        sha.update(len(part).to_bytes(8, "big") + part)
    return sha.hexdigest()


def _remember(cache: dict, key: str, value: object) -> None:
    if len(cache) >= _UTILITY_CACHE:
        cache.pop(next(iter(cache)))
    cache[key] = value


def _framed(data: bytes, length: int) -> list[bytes]:
    """The dumper's records: a 5-digit length, then the record padded to ``length``."""
    size = 5 + length
    out = []
    for at in range(0, len(data) - size + 1, size):
        chunk = data[at:at + size]
        count = int(chunk[:5]) if chunk[:5].isdigit() else length
        out.append(chunk[5:5 + min(count, length)])
    return out


def python_indexed_file(stored: StoredFile, records: Sequence[bytes]) -> bytes:
    """The SQLite file the runtime reads as ``stored`` holding ``records`` (normalized first),
    written through the runtime's own ``CobolFile``."""
    from ...runtime import field
    from ...runtime.files import CobolFile

    if stored.key is None:
        raise StoredFileError(f"{stored.dd}: an INDEXED file needs its RECORD KEY")
    with tempfile.TemporaryDirectory(prefix="modernize-indexed-") as tmp:
        path = Path(tmp) / "file"
        buffer = bytearray(stored.length)
        record = field(buffer, 0, f"X({stored.length})")
        key = field(buffer, stored.key.offset, f"X({stored.key.length})")
        status = field(bytearray(2), 0, "XX")
        file = CobolFile("LOADER", f'"{path}"', organization="INDEXED", access="SEQUENTIAL",
                         record=record, status=status, record_key=key)
        try:
            if file.open("OUTPUT") != "ok":
                raise StoredFileError(f"{stored.dd}: OPEN OUTPUT status {file.status}")
            for data in stored.normalize(records):
                buffer[:] = data
                if file.write() != "ok":
                    raise StoredFileError(f"{stored.dd}: WRITE status {file.status}")
        finally:
            with contextlib.suppress(Exception):
                file.close()
        return path.read_bytes()


def read_python_indexed(data: bytes | None) -> IndexedContent:
    """The records of a translated run's indexed (SQLite) file in primary-key order. The file
    was written by untrusted code: it is opened read-only and immutable, with the schema not
    trusted (no triggers or views run)."""
    if data is None:
        return IndexedContent(None, absent=True)
    with tempfile.TemporaryDirectory(prefix="modernize-indexed-") as tmp:
        path = Path(tmp) / "file"
        path.write_bytes(data)
        try:
            db = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
        except sqlite3.Error as exc:
            return IndexedContent(None, error=str(exc))
        try:
            db.execute("PRAGMA trusted_schema=OFF")
            db.execute("PRAGMA query_only=ON")
            rows = db.execute("SELECT record FROM records ORDER BY key").fetchall()
        except sqlite3.Error as exc:
            return IndexedContent(None, error=f"not an indexed file of the runtime ({exc})")
        finally:
            db.close()
    return IndexedContent(tuple(bytes(r[0]) for r in rows))


def indexed_outputs(stored_by_dd: Mapping[str, StoredFile], legacy: RunResult,
                    python: RunResult, utilities: Utilities
                    ) -> dict[str, tuple[IndexedContent, IndexedContent]]:
    """Both sides' records of every INDEXED file (``stored_files`` of the program) that either
    run created or changed (the file or, on GnuCOBOL's side, one of its alternate-key files)."""
    out: dict[str, tuple[IndexedContent, IndexedContent]] = {}
    for dd, stored in stored_by_dd.items():
        if not stored.indexed:
            continue
        names = {dd, *stored.companions()}
        if not names & {*legacy.outputs, *python.outputs}:
            continue
        out[dd] = (utilities.dump(stored, legacy.files), read_python_indexed(python.files.get(dd)))
    return out


# --------------------------------------------------------------------------- compare


def _split(data: bytes, fd: FileDef | None, layouts: RecordLayouts) -> list[bytes] | None:
    if fd is None:
        return None
    organization = fd.organization.upper()
    if "LINE" in organization:
        records = data.split(b"\n")
        if records and records[-1] == b"":
            records.pop()
        return [r[:-1] if r.endswith(b"\r") else r for r in records]
    length = layouts.record_length(fd)
    if organization in ("SEQUENTIAL", "RECORD SEQUENTIAL") and length:
        return [data[i:i + length] for i in range(0, len(data), length)]
    return None


def _first_byte(a: bytes, b: bytes) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                min(len(a), len(b)))


def _record_difference(where: str, number: int, want: bytes, got: bytes, fd: FileDef,
                       layouts: RecordLayouts) -> Difference:
    detail = f"expected: {_text(want)}\nactual:   {_text(got)}"
    width = max(len(want), len(got))
    padded_want, padded_got = want.ljust(width), got.ljust(width)
    if padded_want == padded_got:
        return Difference(where, number, None, f"{len(want)} bytes", f"{len(got)} bytes",
                          detail=detail + "\n(only trailing spaces differ)")
    at = _first_byte(padded_want, padded_got)
    root = layouts.layout_for(fd, want)
    found = layouts.locate(root, at) if root is not None else None
    if found is None:
        return Difference(where, number, None, _text(padded_want[at:at + 20]),
                          _text(padded_got[at:at + 20]), offset=at, detail=detail)
    item, name, start = found
    start -= (root.offset or 0) if root is not None else 0
    size = item.length or 1
    raw_want, raw_got = padded_want[start:start + size], padded_got[start:start + size]
    value_want, value_got = decode(item, raw_want), decode(item, raw_got)
    numeric = value_want is not None or value_got is not None
    expected = value_want if value_want is not None else _text(raw_want)
    actual = value_got if value_got is not None else _text(raw_got)
    detail += (f"\nfield {name} PIC {item.picture or '(group)'} {item.usage} bytes "
               f"{start + 1}-{start + size}: {_text(raw_want)} vs {_text(raw_got)}"
               + (" (decoded)" if numeric else ""))
    return Difference(where, number, name, expected, actual, layout=root.name if root else None,
                      offset=at, detail=detail)


def _file_difference(dd: str, want: bytes | None, got: bytes | None,
                     layouts: RecordLayouts) -> Difference:
    where = f"file:{dd}"
    if want is None or got is None:
        return Difference(where, None, None,
                          ABSENT if want is None else f"{len(want)} bytes",
                          ABSENT if got is None else f"{len(got)} bytes")
    fd = layouts.file(dd)
    want_records, got_records = _split(want, fd, layouts), _split(got, fd, layouts)
    if fd is None or want_records is None or got_records is None:
        at = _first_byte(want, got)
        return Difference(where, None, None, _text(want[at:at + 20]), _text(got[at:at + 20]),
                          offset=at, detail=f"first difference at byte {at + 1} of the file")
    for number, (a, b) in enumerate(zip(want_records, got_records, strict=False), start=1):
        if a != b:
            return _record_difference(where, number, a, b, fd, layouts)
    number = min(len(want_records), len(got_records)) + 1
    expected = _text(want_records[number - 1]) if number <= len(want_records) else NO_RECORD
    actual = _text(got_records[number - 1]) if number <= len(got_records) else NO_RECORD
    return Difference(where, number, None, expected, actual,
                      detail=f"{len(want_records)} records expected, {len(got_records)} found")


def _stdout_difference(want: bytes, got: bytes) -> Difference:
    a, b = want.split(b"\n"), got.split(b"\n")
    number = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                  min(len(a), len(b)))
    line_a = _text(a[number]) if number < len(a) else NO_RECORD
    line_b = _text(b[number]) if number < len(b) else NO_RECORD
    return Difference("stdout", number + 1, None, line_a, line_b)


def _indexed_difference(dd: str, want: IndexedContent, got: IndexedContent,
                        layouts: RecordLayouts) -> Difference | None:
    """The first difference between two indexed files' records in primary-key order."""
    where = f"file:{dd}"
    if want.records is None or got.records is None:
        if want == got:
            return None
        return Difference(where, None, None, want.describe(), got.describe())
    fd = layouts.file(dd)
    for number, (a, b) in enumerate(zip(want.records, got.records, strict=False), start=1):
        if a != b:
            if fd is None:
                at = _first_byte(a, b)
                return Difference(where, number, None, _text(a[at:at + 20]),
                                  _text(b[at:at + 20]), offset=at,
                                  detail="records in primary-key order")
            found = _record_difference(where, number, a, b, fd, layouts)
            return replace(found, detail=found.detail + "\n(records in primary-key order)")
    if len(want.records) == len(got.records):
        return None
    number = min(len(want.records), len(got.records)) + 1
    expected = _text(want.records[number - 1]) if number <= len(want.records) else NO_RECORD
    actual = _text(got.records[number - 1]) if number <= len(got.records) else NO_RECORD
    return Difference(where, number, None, expected, actual,
                      detail=f"{len(want.records)} records expected, {len(got.records)} "
                             "found (in primary-key order)")


def compare(expected: RunResult, actual: RunResult, program: Program,
            files: Sequence[str] | None = None, *,
            indexed: Mapping[str, tuple[IndexedContent, IndexedContent]] | None = None
            ) -> Verdict:
    """Compare ``actual`` to ``expected``; ``files`` defaults to either run's outputs.

    ``indexed`` holds, by DD name, both sides' records of indexed files (``indexed_outputs``):
    those files are compared record by record in primary-key order instead of byte for byte,
    and the alternate-key files beside them (``<dd>.1`` …) are not compared on their own."""
    differences: list[Difference] = []
    if expected.returncode != actual.returncode:
        differences.append(Difference("return-code", None, None, str(expected.returncode),
                                      str(actual.returncode)))
    if expected.stdout != actual.stdout:
        differences.append(_stdout_difference(expected.stdout, actual.stdout))
    layouts = RecordLayouts(program)
    indexed = indexed or {}
    names = files if files is not None else list(dict.fromkeys(
        [*expected.outputs, *actual.outputs]))
    companion = re.compile("|".join(rf"{re.escape(dd)}\.\d+" for dd in indexed) or "(?!)")
    for dd, (want_records, got_records) in indexed.items():
        found = _indexed_difference(dd, want_records, got_records, layouts)
        if found is not None:
            differences.append(found)
    for dd in names:
        if dd in indexed or companion.fullmatch(dd):
            continue
        want, got = expected.files.get(dd), actual.files.get(dd)
        if want != got:
            differences.append(_file_difference(dd, want, got, layouts))
    return Verdict(not differences, differences, program=program.name,
                   scenario=expected.scenario)
