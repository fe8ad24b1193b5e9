"""COBOL files and SORT (modernize.runtime.files, modernize.runtime.sort) against GnuCOBOL.

Each scenario is a list of file operations on a few files (organization, access, record
length, FILE STATUS item or not, OPTIONAL, contents before the run). It is written once as a
COBOL program (``cobc -x -free -fassign-clause=ibm``, run with ``DD_<file>`` variables in a
fresh folder) that DISPLAYs after every statement its number, the FILE STATUS (``--`` when
the file has none), which AT END / INVALID KEY branch ran (E/N, I/V, or -) and, after a READ,
the record area in hex; and once through the runtime, in another folder, printing the same
lines. Both must give the same lines, the same stderr (libcob's abort message and implicit
CLOSE warnings), the same exit code and, for sequential files, the same file bytes. Indexed
files are compared through what the program reads back (the on-disk formats differ).

SORT scenarios run SORT statements (INPUT/OUTPUT PROCEDURE, USING/GIVING) on numeric keys of
every usage, alphanumeric and edited keys, ascending and descending, with duplicates, and
compare the order of the records (and the GIVING files' bytes). Plain unit tests follow.
"""

from __future__ import annotations

import os
import random
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import require_tool

from modernize.runtime import (
    LOW_VALUES,
    SPACES,
    AlphanumericField,
    Figurative,
    Group,
    Item,
    UnsupportedError,
)
from modernize.runtime import field as make_field
from modernize.runtime.files import (
    CobolFile,
    FileStatusError,
    assignment_name,
    close_all,
    resolve,
    resolve_assign,
)
from modernize.runtime.sort import SortFile, sort_using_giving

COBC = require_tool("cobc")
needs_cobc = pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")
Data = str | Figurative


# --------------------------------------------------------------------------- the scenario DSL


@dataclass(frozen=True)
class Spec:
    """One SELECT/FD: the record is ``length`` bytes (an indexed file's key is its first
    ``key_len`` bytes, a group whose first byte is the field ``<name>-KEY1``); ``short`` adds
    a second, shorter 01 record; ``content`` is the file before the run (None: absent)."""

    name: str
    org: str = "SEQUENTIAL"
    access: str = "SEQUENTIAL"
    length: int = 6
    key_len: int = 0
    status: bool = True
    optional: bool = False
    short: int = 0
    content: bytes | None = None
    folder: bool = False        # the file is a folder
    path: str | None = None     # DD_<name>'s value (default: the name)


@dataclass(frozen=True)
class Op:
    """One statement. ``files`` names one file (several for a multi-file OPEN/CLOSE)."""

    kind: str
    files: str
    mode: str = ""
    data: Data | None = None
    adv: tuple[str, int | str] | None = None
    phrase: bool = False
    next_: bool = True
    key: str | None = None
    short: bool = False
    part: bool = False


def open_(files: str, mode: str) -> Op:
    return Op("open", files, mode=mode)


def close(files: str) -> Op:
    return Op("close", files)


def read(name: str, phrase: bool = False, next_: bool = True, key: str | None = None) -> Op:
    return Op("read", name, phrase=phrase, next_=next_, key=key)


def write(name: str, data: Data, adv: tuple[str, int | str] | None = None,
          phrase: bool = False, short: bool = False) -> Op:
    return Op("write", name, data=data, adv=adv, phrase=phrase, short=short)


def rewrite(name: str, data: Data, phrase: bool = False, short: bool = False) -> Op:
    return Op("rewrite", name, data=data, phrase=phrase, short=short)


def delete(name: str, phrase: bool = False) -> Op:
    return Op("delete", name, phrase=phrase)


def start(name: str, cond: str, value: str, phrase: bool = False, part: bool = False) -> Op:
    return Op("start", name, mode=cond, key=value, phrase=phrase, part=part)


@dataclass(frozen=True)
class Scenario:
    title: str
    specs: tuple[Spec, ...]
    ops: tuple[Op, ...]


def scenario(title: str, specs: Sequence[Spec], ops: Sequence[Op]) -> Scenario:
    return Scenario(title, tuple(specs), tuple(ops))


# --------------------------------------------------------------------------- COBOL side


def cobol_value(value: Data) -> str:
    if isinstance(value, Figurative):
        return value.name
    return f'"{value}"' if value else "SPACES"


def _keyed(spec: Spec, op: Op) -> bool:
    return spec.org == "INDEXED" and (spec.access == "RANDOM"
                                      or (spec.access == "DYNAMIC" and not op.next_))


def cobol_program(sc: Scenario) -> str:
    select: list[str] = []
    fds: list[str] = []
    storage: list[str] = []
    for s in sc.specs:
        text = f"SELECT {'OPTIONAL ' if s.optional else ''}{s.name} ASSIGN TO UT-S-{s.name}"
        text += f" ORGANIZATION {s.org} ACCESS {s.access}"
        if s.key_len:
            text += f" RECORD KEY {s.name}-KEY"
        if s.status:
            text += f" FILE STATUS {s.name}-ST"
        select.append(f"    {text}.")
        fds.append(f"FD {s.name}.")
        if s.key_len:
            fds += [f"01 {s.name}-REC.", f"   05 {s.name}-KEY.",
                    f"      10 {s.name}-KEY1 PIC X."]
            if s.key_len > 1:
                fds.append(f"      10 FILLER PIC X({s.key_len - 1}).")
            fds.append(f"   05 FILLER PIC X({s.length - s.key_len}).")
        else:
            fds.append(f"01 {s.name}-REC PIC X({s.length}).")
        if s.short:
            fds.append(f"01 {s.name}-SHORT PIC X({s.short}).")
        storage.append(f"01 {s.name}-ST PIC XX VALUE '--'.")
    specs = {s.name: s for s in sc.specs}
    proc: list[str] = []
    for number, op in enumerate(sc.ops, 1):
        first = specs[op.files.split()[0]]
        name = first.name
        status = f"{name}-ST" if first.status else "'--'"
        proc.append("    MOVE '-' TO WS-FLAG MOVE 1 TO WS-LEN MOVE SPACES TO WS-HEX")
        target = f"{name}-SHORT" if op.short else f"{name}-REC"
        end_at = " AT END MOVE 'E' TO WS-FLAG NOT AT END MOVE 'N' TO WS-FLAG"
        invalid = " INVALID KEY MOVE 'I' TO WS-FLAG NOT INVALID KEY MOVE 'V' TO WS-FLAG"
        if op.kind == "open":
            proc.append(f"    OPEN {op.mode} {op.files}")
        elif op.kind == "close":
            proc.append(f"    CLOSE {op.files}")
        elif op.kind == "read":
            keyed = _keyed(first, op)
            if op.key is not None:
                proc.append(f"    MOVE {cobol_value(op.key)} TO {name}-KEY")
            text = f"    READ {name}"
            if first.access == "DYNAMIC" and op.next_:
                text += " NEXT"
            if op.phrase:
                text += (invalid if keyed else end_at) + " END-READ"
            proc += [text, f"    MOVE {name}-REC TO WS-BUF MOVE {first.length} TO WS-LEN",
                     "    PERFORM HEX"]
        elif op.kind in ("write", "rewrite"):
            assert op.data is not None
            proc.append(f"    MOVE {cobol_value(op.data)} TO {target}")
            text = f"    {op.kind.upper()} {target}"
            if op.adv:
                when, amount = op.adv
                text += f" {when} ADVANCING {amount}" + ("" if amount == "PAGE" else " LINES")
            if op.phrase:
                text += invalid + f" END-{op.kind.upper()}"
            proc.append(text)
        elif op.kind == "delete":
            proc.append(f"    DELETE {name}" + (invalid + " END-DELETE" if op.phrase else ""))
        elif op.kind == "start":
            key = f"{name}-KEY1" if op.part else f"{name}-KEY"
            assert op.key is not None
            proc.append(f"    MOVE {cobol_value(op.key)} TO {key}")
            proc.append(f"    START {name} KEY {op.mode} {key}"
                        + (invalid + " END-START" if op.phrase else ""))
        proc.append(f"    DISPLAY '{number:02} ' {status} ' ' WS-FLAG ' ' "
                    "WS-HEX(1:WS-LEN * 2)")
    return "\n".join([
        "IDENTIFICATION DIVISION.", "PROGRAM-ID. FILEPROBE.", "ENVIRONMENT DIVISION.",
        "INPUT-OUTPUT SECTION.", "FILE-CONTROL.", *select, "DATA DIVISION.", "FILE SECTION.",
        *fds, "WORKING-STORAGE SECTION.", *storage,
        "01 WS-FLAG PIC X.", "01 WS-BUF PIC X(80).", "01 WS-HEX PIC X(160).",
        "01 WS-LEN PIC 99 VALUE 1.", "01 WS-I PIC 99.", "01 WS-N PIC 999.",
        "01 WS-DIG PIC X(16) VALUE '0123456789ABCDEF'.",
        "PROCEDURE DIVISION.", "MAIN.", *proc, "    STOP RUN.",
        "HEX.",
        "    PERFORM VARYING WS-I FROM 1 BY 1 UNTIL WS-I > WS-LEN",
        "      COMPUTE WS-N = FUNCTION ORD(WS-BUF(WS-I:1)) - 1",
        "      MOVE WS-DIG(WS-N / 16 + 1:1) TO WS-HEX(WS-I * 2 - 1:1)",
        "      MOVE WS-DIG(FUNCTION MOD(WS-N, 16) + 1:1) TO WS-HEX(WS-I * 2:1)",
        "    END-PERFORM.", ""])


@dataclass
class Outcome:
    """What a run did: stdout lines (right-trimmed), stderr, exit code, sequential files."""

    lines: list[str]
    stderr: str
    returncode: int
    files: dict[str, bytes | None] = field(default_factory=dict)


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(("DD_", "COB_"))}
    env.update(extra or {})
    return env


def compile_cobol(source: str, folder: Path, name: str = "prog") -> Path:
    assert COBC is not None
    (folder / f"{name}.cob").write_text(source)
    built = subprocess.run([COBC, "-x", "-free", "-fassign-clause=ibm", "-o", name,
                            f"{name}.cob"], cwd=folder, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr + source
    return folder / name


def prepare(sc: Scenario, folder: Path) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    for s in sc.specs:
        if s.content is not None:
            (folder / s.name).write_bytes(s.content)
        if s.folder:
            (folder / s.name).mkdir()
    return {f"DD_{s.name}": s.path or s.name for s in sc.specs}


def snapshot(sc: Scenario, folder: Path) -> dict[str, bytes | None]:
    out: dict[str, bytes | None] = {}
    for s in sc.specs:
        path = folder / s.name
        if s.org == "INDEXED" or s.folder:
            out[s.name] = b"<exists>" if path.exists() else None
        else:
            out[s.name] = path.read_bytes() if path.is_file() else None
    return out


def run_cobol(sc: Scenario, folder: Path) -> Outcome:
    env = prepare(sc, folder)
    program = compile_cobol(cobol_program(sc), folder)
    done = subprocess.run([str(program)], cwd=folder, env=clean_env(env),
                          capture_output=True)
    lines = [line.rstrip() for line in done.stdout.decode("latin-1").splitlines()]
    return Outcome(lines, done.stderr.decode("latin-1").strip(), done.returncode,
                   snapshot(sc, folder))


# --------------------------------------------------------------------------- runtime side


@dataclass
class Bound:
    """A scenario file on the runtime: its CobolFile and the items the statements use."""

    spec: Spec
    file: CobolFile
    record: Group
    key: Item | None
    key1: Item | None
    short: Group | None
    status: AlphanumericField | None


def bind(spec: Spec) -> Bound:
    buffer = bytearray(spec.length)  # GnuCOBOL's FD record areas start as low-values
    record = Group(buffer, 0, spec.length)
    key = key1 = None
    if spec.key_len:
        key = Group(buffer, 0, spec.key_len)
        key1 = AlphanumericField(buffer, 0, "X")
    short = Group(buffer, 0, spec.short) if spec.short else None
    status = AlphanumericField(bytearray(b"--"), 0, "XX") if spec.status else None
    file = CobolFile(spec.name, f"UT-S-{spec.name}", organization=spec.org,
                     access=spec.access, record=record, status=status, record_key=key,
                     optional=spec.optional, variable=bool(spec.short))
    return Bound(spec, file, record, key, key1, short, status)


def flag_of(result: str, phrase: bool, exception: str) -> str:
    """What the COBOL side's AT END / INVALID KEY phrase MOVEs to WS-FLAG."""
    if not phrase:
        return "-"
    if result == "ok":
        return "N" if exception == "at_end" else "V"
    if result == exception:
        return "E" if exception == "at_end" else "I"
    return "-"  # a failure the phrase does not cover: neither branch runs


def step(bound: dict[str, Bound], op: Op) -> tuple[str, str]:
    """Run one statement on the runtime: (flag, record hex after a READ)."""
    names = op.files.split()
    b = bound[names[0]]
    f = b.file
    if op.kind in ("open", "close"):
        for index, name in enumerate(names):
            last = index == len(names) - 1
            target = bound[name].file
            if op.kind == "open":
                target.open(op.mode, handled=not last)
            else:
                target.close(handled=not last)
        return "-", ""
    target = b.short if op.short and b.short is not None else b.record
    if op.kind == "read":
        keyed = _keyed(b.spec, op)
        if op.key is not None:
            assert b.key is not None
            b.key.set(op.key)
        result = f.read(next_=op.next_, handled=op.phrase)
        flag = flag_of(result, op.phrase, "invalid_key" if keyed else "at_end")
        return flag, b.record.raw.hex().upper()
    if op.kind in ("write", "rewrite"):
        assert op.data is not None
        target.set(op.data)
        if op.kind == "write":
            result = f.write(record=target, advancing=op.adv, handled=op.phrase)
        else:
            result = f.rewrite(record=target, handled=op.phrase)
        return flag_of(result, op.phrase, "invalid_key"), ""
    if op.kind == "delete":
        return flag_of(f.delete(handled=op.phrase), op.phrase, "invalid_key"), ""
    assert op.kind == "start" and op.key is not None
    key = b.key1 if op.part else b.key
    assert key is not None
    key.set(op.key)
    return flag_of(f.start(op.mode, key, handled=op.phrase), op.phrase, "invalid_key"), ""


def run_runtime(sc: Scenario, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Outcome:
    env = prepare(sc, folder)
    for name in list(os.environ):
        if name.upper().startswith(("DD_", "COB_")):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(folder)
    close_all()
    bound = {s.name: bind(s) for s in sc.specs}
    lines: list[str] = []
    stderr: list[str] = []
    code = 0
    try:
        for number, op in enumerate(sc.ops, 1):
            flag, shown = step(bound, op)
            st = bound[op.files.split()[0]].status
            status = st.get() if st is not None else "--"
            lines.append(f"{number:02} {status} {flag} {shown}".rstrip())
    except FileStatusError as error:
        stderr.append(error.message)
        code = error.exit_code
    stderr += close_all()
    return Outcome(lines, "\n".join(stderr), code, snapshot(sc, folder))


# --------------------------------------------------------------------------- scenarios

LS = "LINE SEQUENTIAL"
IDX = "INDEXED"
LOAD4 = [open_("F1", "OUTPUT"), write("F1", "10aaaa"), write("F1", "20bbbb"),
         write("F1", "30cccc"), write("F1", "40dddd"), close("F1")]

SCENARIOS = [
    scenario("line sequential read: short, long, empty lines, tab, CR, CRLF, FF, NUL, "
             "no final newline", [Spec("F1", LS, short=3, content=(
                 b"ab\nabcdefghij\n\na\tb\r\nxy\r\nq\fz\n\0\0k\na\rb\nabcd\refghij\n\r\n"
                 b"x\r\r\n\x1aZ\nlast"))],
             [open_("F1", "INPUT"), *[read("F1") for _ in range(16)], close("F1")]),
    scenario("line sequential: a lone newline, an empty file, AT END", [
        Spec("F1", LS, content=b"\n"), Spec("F2", LS, content=b"")],
        [open_("F1", "INPUT"), read("F1", True), read("F1", True), read("F1", True),
         open_("F2", "INPUT"), read("F2", True), read("F2"), close("F1"), close("F2")]),
    scenario("line sequential write drops trailing spaces only", [Spec("F1", LS, length=8,
                                                                          short=3)],
             [open_("F1", "OUTPUT"), write("F1", "ab  "), write("F1", SPACES),
              write("F1", LOW_VALUES), write("F1", "a b  c"), write("F1", "x ", short=True),
              write("F1", "  lead"), close("F1")]),
    scenario("line sequential WRITE ADVANCING", [Spec("F1", LS), Spec("F2", LS)],
             [open_("F1", "OUTPUT"), write("F1", "A"), write("F1", "B", ("AFTER", 2)),
              write("F1", "C", ("BEFORE", 3)), write("F1", "D", ("AFTER", "PAGE")),
              write("F1", "E", ("BEFORE", "PAGE")), write("F1", "F"),
              write("F1", "G", ("AFTER", 0)), write("F1", "H", ("BEFORE", 0)),
              write("F1", "I", ("AFTER", 1)), write("F1", "J"), write("F1", "K", ("AFTER", 1)),
              write("F1", "L", ("AFTER", 1)), close("F1"),
              open_("F2", "OUTPUT"), write("F2", "X", ("AFTER", 1)),
              write("F2", "Y", ("BEFORE", 1)), write("F2", SPACES, ("AFTER", "PAGE")),
              close("F2")]),
    scenario("line sequential EXTEND, OPTIONAL", [
        Spec("F1", LS, content=b"abc"), Spec("F2", LS, optional=True), Spec("F3", LS),
        Spec("F4", LS, optional=True)],
        [open_("F1", "EXTEND"), write("F1", "de"), close("F1"), open_("F2", "EXTEND"),
         write("F2", "ab"), close("F2"), open_("F3", "EXTEND"), write("F3", "x"), close("F3"),
         open_("F4", "INPUT"), read("F4"), read("F4"), close("F4"), open_("F4", "OUTPUT"),
         close("F4"), open_("F1", "INPUT"), read("F1"), read("F1"), read("F1"), close("F1")]),
    scenario("record sequential: fixed records, a short last record", [
        Spec("F1"), Spec("F2", content=b"abcdefghijkl123")],
        [open_("F1", "OUTPUT"), write("F1", "one"), write("F1", "twotwo2"), write("F1", SPACES),
         close("F1"), open_("F1", "INPUT"), read("F1"), read("F1"), read("F1"),
         read("F1", True), read("F1", True), close("F1"), open_("F2", "INPUT"), read("F2"),
         read("F2"), read("F2"), read("F2"), read("F2"), close("F2"), close("F2")]),
    scenario("record sequential REWRITE", [Spec("F1", content=b"abcdefghijkl")],
             [open_("F1", "I-O"), rewrite("F1", "zz"), read("F1"), rewrite("F1", "XY"),
              rewrite("F1", "QQ"), read("F1"), read("F1"), rewrite("F1", "PP"),
              write("F1", "WW"), close("F1"), open_("F1", "INPUT"), rewrite("F1", "ZZ"),
              read("F1"), close("F1")]),
    scenario("record sequential DELETE: 49, 43, 91", [Spec("F1", content=b"abcdefghijkl")],
             [open_("F1", "INPUT"), delete("F1"), close("F1"), open_("F1", "I-O"),
              delete("F1"), read("F1"), delete("F1", True), read("F1"), rewrite("F1", "x"),
              close("F1")]),
    scenario("record sequential, records of two lengths (length headers), 44", [
        Spec("F1", short=3)],
        [open_("F1", "OUTPUT"), write("F1", "abcdef"), write("F1", "ab", short=True),
         write("F1", "xyz", short=True), close("F1"), open_("F1", "I-O"), read("F1"),
         rewrite("F1", "xyz", short=True), read("F1"), rewrite("F1", "xyzabc"),
         rewrite("F1", "xyz", short=True), read("F1"), rewrite("F1", "q", short=True),
         close("F1"), open_("F1", "INPUT"), read("F1"), read("F1"), read("F1"), read("F1"),
         close("F1")]),
    scenario("record sequential WRITE ADVANCING, EXTEND, OPTIONAL I-O", [
        Spec("F1", length=4), Spec("F2", length=4, optional=True),
        Spec("F3", length=4, content=b"1234")],
        [open_("F1", "OUTPUT"), write("F1", "AB", ("AFTER", 2)), write("F1", "CD"),
         write("F1", "EF", ("BEFORE", "PAGE")), write("F1", "G", ("BEFORE", 0)),
         write("F1", "H", ("AFTER", 1)), close("F1"), open_("F2", "I-O"), read("F2"),
         write("F2", "x"), close("F2"), open_("F3", "EXTEND"), write("F3", "5"), close("F3"),
         open_("F3", "I-O"), read("F3"), read("F3"), read("F3"), close("F3")]),
    scenario("misuse: 35, 41, 42, 47, 48, 49 with a FILE STATUS", [
        Spec("F1", content=b"abcdef"), Spec("F2")],
        [open_("F1", "OUTPUT"), read("F1"), open_("F1", "INPUT"), close("F1"), close("F1"),
         write("F1", "a"), read("F1"), open_("F1", "EXTEND"), read("F1"), write("F1", "q"),
         rewrite("F1", "r"), close("F1"), open_("F2", "INPUT"), read("F2"), write("F2", "x"),
         close("F2"), open_("F2", "I-O"), open_("F2", "EXTEND"), open_("F1", "INPUT"),
         rewrite("F1", "z"), close("F1")]),
    scenario("folders and missing folders: 00 then 10 or 30, 37, 35, 30", [
        Spec("F1", LS, folder=True), Spec("F2", folder=True), Spec("F3", LS, path="no/F3"),
        Spec("F4", path="no/F4")],
        [open_("F1", "INPUT"), read("F1"), read("F1"), close("F1"), open_("F1", "OUTPUT"),
         open_("F1", "EXTEND"), open_("F2", "INPUT"), read("F2"), read("F2"), close("F2"),
         open_("F2", "I-O"), open_("F2", "OUTPUT"), open_("F3", "INPUT"), open_("F3", "OUTPUT"),
         open_("F3", "EXTEND"), open_("F4", "I-O"), open_("F4", "OUTPUT"),
         open_("F4", "EXTEND")]),
    scenario("multi-file OPEN/CLOSE: only the last file's failure aborts", [
        Spec("F1", LS, status=False), Spec("F2", LS, status=False, content=b"abc\n")],
        [open_("F1 F2", "INPUT"), read("F2"), close("F1 F2"), open_("F2 F1", "INPUT")]),
    scenario("indexed, dynamic access: keyed and sequential reads, START, REWRITE, DELETE", [
        Spec("F1", IDX, "DYNAMIC", key_len=2)],
        [open_("F1", "OUTPUT"), write("F1", "30aaaa"), write("F1", "10bbbb"),
         write("F1", "20cccc", phrase=True), write("F1", "10dddd", phrase=True),
         write("F1", "10dddd"), close("F1"), open_("F1", "I-O"), read("F1"),
         read("F1", True, False, "20"), read("F1", True, False, "25"), read("F1", True),
         read("F1", next_=False, key="10"), read("F1"), read("F1"), read("F1", True),
         read("F1", True), start("F1", ">", "10", True), read("F1"),
         start("F1", "=", "15", True), read("F1"), start("F1", ">=", "15"), read("F1"),
         start("F1", "NOT <", "30"), read("F1"), start("F1", ">", "30"), read("F1"),
         rewrite("F1", "20XXXX", True), rewrite("F1", "40XXXX", True), delete("F1", True),
         read("F1", next_=False, key="20"), read("F1"), read("F1", next_=False, key="10"),
         delete("F1"), read("F1"), read("F1", next_=False, key="10"), delete("F1"),
         close("F1")]),
    scenario("indexed positioning: failed keyed READ, START < <=, WRITE while reading", [
        Spec("F1", IDX, "DYNAMIC", key_len=2)],
        [*LOAD4, open_("F1", "I-O"), read("F1", next_=False, key="10"),
         read("F1", next_=False, key="25"), read("F1"), read("F1", next_=False, key="45"),
         read("F1"), read("F1", next_=False, key="05"), read("F1"), start("F1", "<", "30"),
         read("F1"), start("F1", "<=", "30"), read("F1"), start("F1", "<", "10"),
         read("F1"), start("F1", "=", "20"), write("F1", "25eeee"), read("F1"), read("F1"),
         read("F1"), start("F1", ">", "25"), delete("F1"), read("F1"),
         rewrite("F1", "10zzzz"), read("F1"), close("F1"), open_("F1", "INPUT"),
         *[read("F1") for _ in range(6)], close("F1")]),
    scenario("indexed START on the first byte of the key", [
        Spec("F1", IDX, "DYNAMIC", length=6, key_len=3)],
        [open_("F1", "OUTPUT"), write("F1", "a10xxx"), write("F1", "a20yyy"),
         write("F1", "b10zzz"), write("F1", "c05www"), close("F1"), open_("F1", "INPUT"),
         start("F1", "=", "b", part=True), read("F1"), read("F1"),
         start("F1", ">", "a", part=True), read("F1"), start("F1", "<", "b", part=True),
         read("F1"), start("F1", "<=", "b", part=True), read("F1"),
         start("F1", ">=", "d", True, part=True), read("F1"),
         start("F1", "=", "a", part=True), read("F1"), read("F1"), close("F1")]),
    scenario("indexed, sequential access: 21, 43, 48, REWRITE changing the key, EXTEND", [
        Spec("F1", IDX, key_len=2)],
        [open_("F1", "OUTPUT"), write("F1", "20aaaa"), write("F1", "10bbbb", phrase=True),
         write("F1", "20cccc", phrase=True), write("F1", "30cccc"), write("F1", "40dddd"),
         close("F1"), open_("F1", "I-O"), rewrite("F1", "20xxxx"), delete("F1"), read("F1"),
         rewrite("F1", "21xxxx", True), read("F1"), rewrite("F1", "30yyyy", True),
         delete("F1"), read("F1"), delete("F1"), delete("F1"), read("F1"),
         write("F1", "50qqqq"), start("F1", "=", "20"), read("F1"), read("F1", True),
         start("F1", ">", "10"), read("F1"), close("F1"), open_("F1", "EXTEND"),
         write("F1", "05aaaa"), write("F1", "60aaaa"), write("F1", "55aaaa"), close("F1"),
         open_("F1", "INPUT"), *[read("F1") for _ in range(7)], close("F1")]),
    scenario("indexed, random access", [Spec("F1", IDX, "RANDOM", key_len=2)],
             [*LOAD4, open_("F1", "INPUT"), read("F1", key="30"), read("F1", True, key="31"),
              write("F1", "50eeee"), close("F1"), open_("F1", "I-O"), write("F1", "15aaaa"),
              rewrite("F1", "15bbbb"), read("F1", key="15"), delete("F1"), delete("F1", True),
              read("F1", True, key="15"), rewrite("F1", "16cccc", True), close("F1")]),
    scenario("indexed: absent, empty, OPTIONAL, OUTPUT empties", [
        Spec("F1", IDX, "DYNAMIC", key_len=2),
        Spec("F2", IDX, "DYNAMIC", key_len=2, optional=True)],
        [open_("F1", "INPUT"), read("F1", next_=False, key="10"), open_("F1", "I-O"),
         open_("F1", "OUTPUT"), close("F1"), open_("F1", "INPUT"), read("F1"),
         read("F1", next_=False, key="10"), start("F1", "=", "10"), close("F1"),
         open_("F1", "I-O"), read("F1"), read("F1"), write("F1", "10aaaa"), close("F1"),
         open_("F2", "INPUT"), read("F2"), read("F2", next_=False, key="10"),
         start("F2", ">", "00"), close("F2"), open_("F2", "I-O"), write("F2", "10aaaa"),
         close("F2"), open_("F2", "OUTPUT"), close("F2"), open_("F2", "INPUT"), read("F2"),
         close("F2"), open_("F1", "EXTEND"), write("F1", "20bbbb"), close("F1"),
         open_("F1", "INPUT"), read("F1"), read("F1"), read("F1"), close("F1")]),
    # -- aborts: no FILE STATUS item, no phrase handling the failure
    scenario("abort: end of file without AT END", [
        Spec("F1", LS, status=False, content=b"abc\n")],
        [open_("F1", "INPUT"), read("F1"), read("F1", True), read("F1")]),
    scenario("abort: 46 even under AT END", [Spec("F1", LS, status=False, content=b"abc")],
             [open_("F1", "INPUT"), read("F1", True), read("F1", True), read("F1", True)]),
    scenario("abort: OPEN of an absent file, other files open (implicit CLOSE order, owed "
             "newline)", [Spec("F1", LS, status=False), Spec("F2", LS, status=False),
                          Spec("F3", LS, status=False)],
             [open_("F2", "OUTPUT"), write("F2", "ab", ("AFTER", 2)), open_("F1", "OUTPUT"),
              write("F1", "cd"), close("F1"), open_("F1", "OUTPUT"), open_("F3", "INPUT")]),
    scenario("abort: duplicate key without INVALID KEY", [
        Spec("F1", IDX, "DYNAMIC", key_len=2, status=False)],
        [*LOAD4, open_("F1", "I-O"), read("F1", True, False, "15"), write("F1", "50eeee"),
         write("F1", "10cccc", phrase=True), write("F1", "10cccc")]),
    scenario("abort: START without INVALID KEY", [
        Spec("F1", IDX, "DYNAMIC", key_len=2, status=False)],
        [*LOAD4, open_("F1", "INPUT"), start("F1", ">", "20", True), read("F1"),
         start("F1", ">", "40")]),
    scenario("abort: 21 out of order", [Spec("F1", IDX, key_len=2, status=False)],
             [open_("F1", "OUTPUT"), write("F1", "20aaaa"), write("F1", "10aaaa")]),
    scenario("abort: 43 REWRITE without READ even under INVALID KEY", [
        Spec("F1", IDX, key_len=2, status=False)],
        [*LOAD4, open_("F1", "I-O"), rewrite("F1", "10zzzz", True)]),
    scenario("abort: 44 record overflow", [Spec("F1", short=3, status=False)],
             [open_("F1", "OUTPUT"), write("F1", "abcdef"), close("F1"), open_("F1", "I-O"),
              read("F1"), rewrite("F1", "xyz", short=True)]),
    scenario("abort: 41 already open", [Spec("F1", LS, status=False, content=b"")],
             [open_("F1", "INPUT"), open_("F1", "INPUT")]),
    scenario("abort: 42 not open", [Spec("F1", LS, status=False)], [close("F1")]),
    scenario("abort: 47 READ not open", [Spec("F1", LS, status=False)], [read("F1", True)]),
    scenario("abort: 48 WRITE on INPUT", [Spec("F1", status=False, content=b"")],
             [open_("F1", "INPUT"), write("F1", "x")]),
    scenario("abort: 49 DELETE on INPUT", [Spec("F1", IDX, "RANDOM", key_len=2,
                                                 status=False)],
             [*LOAD4, open_("F1", "INPUT"), delete("F1", True)]),
    scenario("no abort with a FILE STATUS item; files left open at STOP RUN", [
        Spec("F1", LS, content=b"a\n"), Spec("F2"), Spec("F3", LS)],
        [open_("F3", "OUTPUT"), close("F3"), open_("F2", "INPUT"), open_("F1", "INPUT"),
         read("F1"), read("F1"), read("F1"), read("F1", True), open_("F3", "OUTPUT"),
         write("F3", "z", ("AFTER", 1)), read("F3")]),
]


@needs_cobc
@pytest.mark.parametrize("sc", SCENARIOS, ids=[s.title for s in SCENARIOS])
def test_file_scenario(sc: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = run_cobol(sc, tmp_path / "cobol")
    got = run_runtime(sc, tmp_path / "runtime", monkeypatch)
    assert len(expected.lines) >= 1 or expected.returncode != 0
    assert got.lines == expected.lines, "\n".join(
        f"{'  ' if a == b else '!!'} cobc: {a:<40} runtime: {b}"
        for a, b in zip(expected.lines + [""] * 99, got.lines + [""] * 99, strict=False)
        if a or b)
    assert got.stderr == expected.stderr
    assert got.returncode == expected.returncode
    assert got.files == expected.files


# --------------------------------------------------------------------------- file names

RESOLVE_SOURCE = """IDENTIFICATION DIVISION.
PROGRAM-ID. RESOLVE.
ENVIRONMENT DIVISION.
INPUT-OUTPUT SECTION.
FILE-CONTROL.
    SELECT F1 ASSIGN TO UT-S-OUTA ORGANIZATION LINE SEQUENTIAL.
    SELECT F2 ASSIGN TO "lit.txt" ORGANIZATION LINE SEQUENTIAL.
    SELECT F3 ASSIGN TO "sub/FB" ORGANIZATION LINE SEQUENTIAL.
    SELECT F4 ASSIGN TO ABC-DEF ORGANIZATION LINE SEQUENTIAL.
    SELECT F5 ASSIGN TO S-NOPE ORGANIZATION LINE SEQUENTIAL.
DATA DIVISION.
FILE SECTION.
FD F1.
01 R1 PIC X(3).
FD F2.
01 R2 PIC X(3).
FD F3.
01 R3 PIC X(3).
FD F4.
01 R4 PIC X(3).
FD F5.
01 R5 PIC X(3).
PROCEDURE DIVISION.
    OPEN OUTPUT F1 MOVE "1" TO R1 WRITE R1 CLOSE F1
    OPEN OUTPUT F2 MOVE "2" TO R2 WRITE R2 CLOSE F2
    OPEN OUTPUT F3 MOVE "3" TO R3 WRITE R3 CLOSE F3
    OPEN OUTPUT F4 MOVE "4" TO R4 WRITE R4 CLOSE F4
    OPEN INPUT F5
    STOP RUN.
"""
ASSIGNS = {"F1": ("UT-S-OUTA", "1"), "F2": ('"lit.txt"', "2"), "F3": ('"sub/FB"', "3"),
           "F4": ("ABC-DEF", "4")}
ENVIRONMENTS = [
    {},
    {"DD_OUTA": "x1", "dd_lit_txt": "x2", "DEF": "x4", "DD_NOPE": "missing"},
    {"OUTA": "plain", "dd_OUTA": "lower", "DD_sub": "other", "NOPE": "gone"},
    {"COB_FILE_PATH": "<cfp>", "DD_OUTA": "x1", "DEF": "<abs>/y4"},
    {"DD_OUTA": "", "COB_FILE_PATH": "<cfp>/"},
]


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in ("resolve", "resolve.cob")}


@needs_cobc
@pytest.mark.parametrize("env", ENVIRONMENTS, ids=[str(e) for e in ENVIRONMENTS])
def test_file_names_resolve_like_gnucobol(env: dict[str, str], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    results = {}
    for side in ("cobol", "runtime"):
        top = tmp_path / side
        run = top / "run"
        for folder in (run / "sub", run / "other", top / "cfp" / "sub", top / "abs"):
            folder.mkdir(parents=True)
        values = {k: v.replace("<cfp>", str(top / "cfp")).replace("<abs>", str(top / "abs"))
                  for k, v in env.items()}
        if side == "cobol":
            program = compile_cobol(RESOLVE_SOURCE, run, "resolve")
            done = subprocess.run([str(program)], cwd=run, env=clean_env(values),
                                  capture_output=True, text=True)
            stderr, code = done.stderr.strip(), done.returncode
        else:
            for name in list(os.environ):
                if name.upper().startswith(("DD_", "COB_")):
                    monkeypatch.delenv(name)
            for name, value in values.items():
                monkeypatch.setenv(name, value)
            monkeypatch.chdir(run)
            for assign, text in ASSIGNS.values():
                with open(resolve(assign), "w") as handle:
                    handle.write(text + "\n")
            area = Group(bytearray(3), 0, 3)
            missing = CobolFile("F5", "S-NOPE", organization=LS, record=area)
            with pytest.raises(FileStatusError) as caught:
                missing.open("INPUT")
            stderr, code = caught.value.message, caught.value.exit_code
        results[side] = (_tree(top), stderr.replace(str(top), "<top>"), code)
    assert results["runtime"] == results["cobol"]


def test_resolve_rules() -> None:
    assert assignment_name("UT-S-TRANSIN") == "TRANSIN"
    assert assignment_name("S-TRANSIN") == "TRANSIN"
    assert assignment_name("'data/in-1.txt'") == "data/in-1.txt"
    assert resolve("UT-S-IN", {}) == "IN"
    assert resolve("UT-S-IN", {"IN": "c", "dd_IN": "b", "DD_IN": "a"}) == "a"
    assert resolve("UT-S-IN", {"IN": "c", "dd_IN": "b"}) == "b"
    assert resolve("UT-S-IN", {"DD_IN": "", "IN": "c"}) == "c"
    assert resolve('"a.b"', {"DD_a_b": "z"}) == "z"
    assert resolve('"d/f"', {"DD_d": "/x"}) == "/x/f"
    assert resolve("IN", {"COB_FILE_PATH": "/p", "DD_IN": "rel"}) == "/p/rel"
    assert resolve("IN", {"COB_FILE_PATH": "/p", "DD_IN": "/abs"}) == "/abs"
    assert resolve('"/abs/f"', {"COB_FILE_PATH": "/p"}) == "/abs/f"
    found = resolve_assign("UT-S-IN", {"DD_IN": "in.dat"})
    assert found.describe() == "'DD_IN' => in.dat"
    assert resolve_assign("IN", {}).describe() == "'IN'"
    name = AlphanumericField(bytearray(b"dyn.txt   "), 0, "X(10)")
    assert resolve(name, {}) == "dyn.txt"


# --------------------------------------------------------------------------- SORT

SORT_INPUT_FIELDS = "I-SEQ PIC 9(6). 05 I-A PIC X(2). 05 I-N1 PIC S9(3)V99 SIGN LEADING " \
    "SEPARATE. 05 I-N2 PIC S9(3)V99 SIGN LEADING SEPARATE."


@dataclass(frozen=True)
class SdField:
    name: str
    pic: str
    usage: str = "DISPLAY"
    leading: bool = False
    separate: bool = False
    source: str = "I-N1"

    def cobol(self) -> str:
        text = f"05 {self.name} PIC {self.pic}"
        if self.usage != "DISPLAY":
            text += f" {self.usage}"
        if self.separate:
            text += f" SIGN {'LEADING' if self.leading else 'TRAILING'} SEPARATE"
        return text + "."

    def make(self, buffer: bytearray, offset: int) -> Item:
        return make_field(buffer, offset, self.pic, self.usage,
                          sign="leading" if self.leading else "trailing",
                          separate=self.separate)


SD_FIELDS = [
    SdField("S-SEQ", "9(6)", source="I-SEQ"), SdField("S-A", "X(2)", source="I-A"),
    SdField("S-P", "S9(3)V99", "COMP-3"), SdField("S-B", "S9(3)V99", "COMP", source="I-N2"),
    SdField("S-D", "S9(3)V99", source="I-N2"),
    SdField("S-L", "S9(3)V99", leading=True, separate=True),
    SdField("S-U", "9(3)V99", source="I-N2"), SdField("S-5", "S9(3)V99", "COMP-5"),
    SdField("S-E", "-9(3).99", source="I-N2"), SdField("S-T", "S9(3)V99", separate=True),
]
SORTS: list[list[tuple[bool, str]]] = [
    [(True, "S-P")], [(False, "S-B")], [(True, "S-D"), (False, "S-A")],
    [(False, "S-L"), (True, "S-U")], [(True, "S-5")], [(False, "S-E"), (True, "S-A")],
    [(True, "S-A"), (False, "S-P"), (True, "S-B")], [(False, "S-T"), (False, "S-A")],
    [(True, "S-U")],
]
SORT_VALUES = [Decimal(v) for v in ("-3.5", "-1", "-0.01", "0", "0.01", "2.5", "999.99",
                                    "-999.99", "12.34", "-12.34")]


def sort_input(count: int, seed: int) -> bytes:
    rng = random.Random(seed)
    lines = []
    for seq in range(count):
        a = rng.choice(["aa", "ab", "b ", "  ", "Ba", "a "])
        n1, n2 = rng.choice(SORT_VALUES), rng.choice(SORT_VALUES)
        numbers = "".join(f"{'-' if n < 0 else '+'}{int(abs(n) * 100):05d}" for n in (n1, n2))
        lines.append(f"{seq:06d}{a}{numbers}\n")
    return "".join(lines).encode()


def sort_program() -> str:
    sorts = []
    for number, keys in enumerate(SORTS, 1):
        phrase = " ".join(f"ON {'ASCENDING' if asc else 'DESCENDING'} KEY {name}"
                          for asc, name in keys)
        sorts += [f"    MOVE 'N' TO EOF SORT SRT {phrase}",
                  "        INPUT PROCEDURE GET-IN OUTPUT PROCEDURE PUT-OUT",
                  f"    DISPLAY 'SORT {number} ' SORT-RETURN"]
    moves = " ".join(f"MOVE {f.source} TO {f.name}" for f in SD_FIELDS)
    return "\n".join([
        "IDENTIFICATION DIVISION.", "PROGRAM-ID. SORTS.", "ENVIRONMENT DIVISION.",
        "INPUT-OUTPUT SECTION.", "FILE-CONTROL.",
        "    SELECT INF ASSIGN TO UT-S-INF ORGANIZATION LINE SEQUENTIAL.",
        "    SELECT SRT ASSIGN TO UT-S-SORTWK.",
        "DATA DIVISION.", "FILE SECTION.", "FD INF.", "01 IREC.", f"   05 {SORT_INPUT_FIELDS}",
        "SD SRT.", "01 SREC.", *[f"   {f.cobol()}" for f in SD_FIELDS],
        "WORKING-STORAGE SECTION.", "01 EOF PIC X.",
        "PROCEDURE DIVISION.", "MAIN SECTION.", *sorts, "    STOP RUN.",
        "GET-IN SECTION.", "    OPEN INPUT INF",
        "    PERFORM UNTIL EOF = 'Y'",
        "      READ INF AT END MOVE 'Y' TO EOF",
        f"      NOT AT END {moves} RELEASE SREC",
        "      END-READ", "    END-PERFORM", "    CLOSE INF.",
        "PUT-OUT SECTION.",
        "    PERFORM UNTIL EOF = 'Z'",
        "      RETURN SRT AT END MOVE 'Z' TO EOF NOT AT END DISPLAY S-SEQ",
        "      END-RETURN", "    END-PERFORM.", ""])


def runtime_sorts(folder: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("DD_INF", str(folder / "INF"))
    inbuf = bytearray(20)
    inrec = Group(inbuf, 0, 20)
    inputs = {"I-SEQ": make_field(inbuf, 0, "9(6)"), "I-A": make_field(inbuf, 6, "X(2)"),
              "I-N1": make_field(inbuf, 8, "S9(3)V99", sign="leading", separate=True),
              "I-N2": make_field(inbuf, 14, "S9(3)V99", sign="leading", separate=True)}
    infile = CobolFile("INF", "UT-S-INF", organization=LS, record=inrec)
    length = sum(f.make(bytearray(99), 0).length for f in SD_FIELDS)
    sbuf = bytearray(length)
    items: dict[str, Item] = {}
    offset = 0
    for f in SD_FIELDS:
        items[f.name] = f.make(sbuf, offset)
        offset += items[f.name].length
    lines: list[str] = []
    for number, keys in enumerate(SORTS, 1):
        sd = SortFile(Group(sbuf, 0, length), [(asc, items[name]) for asc, name in keys])
        sd.begin()
        infile.open("INPUT")
        while infile.read(handled=True) == "ok":
            for f in SD_FIELDS:
                items[f.name].set(inputs[f.source])
            sd.release()
        infile.close()
        sd.sort()
        while sd.return_() == "ok":
            lines.append(items["S-SEQ"].raw.decode())
        lines.append(f"SORT {number} +{sd.sort_return:09d}")
    return lines


@needs_cobc
@pytest.mark.parametrize("count", [40, 3000])
def test_sort_keys_of_every_usage_and_stability(count: int, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Nine SORTs (each key usage ascending and descending, mixed keys), many duplicate
    keys: the records come out in the same order (so GnuCOBOL's sort is stable too)."""
    data = sort_input(count, seed=count)
    cobol = tmp_path / "cobol"
    cobol.mkdir()
    (cobol / "INF").write_bytes(data)
    program = compile_cobol(sort_program(), cobol, "sorts")
    done = subprocess.run([str(program)], cwd=cobol, env=clean_env({"DD_INF": "INF"}),
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    expected = done.stdout.splitlines()
    (tmp_path / "INF").write_bytes(data)
    got = runtime_sorts(tmp_path, monkeypatch)
    assert len(got) == len(expected) == len(SORTS) * (count + 1)
    assert got == expected


GIVING_SOURCE = """IDENTIFICATION DIVISION.
PROGRAM-ID. GIVING.
ENVIRONMENT DIVISION.
INPUT-OUTPUT SECTION.
FILE-CONTROL.
    SELECT INF ASSIGN TO UT-S-INF ORGANIZATION LINE SEQUENTIAL FILE STATUS IN-ST.
    SELECT IN2 ASSIGN TO UT-S-IN2 ORGANIZATION SEQUENTIAL FILE STATUS IN-ST.
    SELECT NOPE ASSIGN TO UT-S-NOPE ORGANIZATION LINE SEQUENTIAL FILE STATUS IN-ST.
    SELECT OUTF ASSIGN TO UT-S-OUTF ORGANIZATION LINE SEQUENTIAL FILE STATUS OUT-ST.
    SELECT OUTR ASSIGN TO UT-S-OUTR ORGANIZATION SEQUENTIAL.
    SELECT OUTS ASSIGN TO UT-S-OUTS ORGANIZATION SEQUENTIAL.
    SELECT SRT ASSIGN TO UT-S-SORTWK.
DATA DIVISION.
FILE SECTION.
FD INF.
01 IREC PIC X(12).
FD IN2.
01 IREC2 PIC X(8).
FD NOPE.
01 NREC PIC X(10).
FD OUTF.
01 OREC PIC X(12).
FD OUTR.
01 RREC PIC X(14).
FD OUTS.
01 SSREC PIC X(4).
SD SRT.
01 SREC.
   05 SK1 PIC X(2).
   05 SK2 PIC S9(3).
   05 SREST PIC X(5).
WORKING-STORAGE SECTION.
01 IN-ST PIC XX VALUE "**".
01 OUT-ST PIC XX VALUE "**".
01 WS-REC PIC X(12).
PROCEDURE DIVISION.
    SORT SRT ON ASCENDING KEY SK1 ON DESCENDING KEY SK2
        USING INF IN2 NOPE GIVING OUTF OUTR
    DISPLAY "SR " SORT-RETURN " " IN-ST " " OUT-ST
    SORT SRT ON DESCENDING KEY SK1 USING NOPE GIVING OUTS
    DISPLAY "SR " SORT-RETURN " " IN-ST " " OUT-ST
    SORT SRT ON ASCENDING KEY SREST WITH DUPLICATES IN ORDER
        INPUT PROCEDURE IS GET-IN OUTPUT PROCEDURE IS PUT-OUT
    DISPLAY "SR " SORT-RETURN
    STOP RUN.
GET-IN SECTION.
    MOVE "bb" TO SREC RELEASE SREC
    RELEASE SREC FROM "aa001zz"
    RELEASE SREC FROM "cc002zz".
PUT-OUT SECTION.
    PERFORM 5 TIMES
      MOVE ALL "*" TO WS-REC
      RETURN SRT INTO WS-REC
        AT END DISPLAY "END " SREC "|" WS-REC
        NOT AT END DISPLAY "REC " SREC "|" WS-REC
      END-RETURN
    END-PERFORM.
"""
GIVING_INPUT = (b"bb001 one\naa00p two\nbb002three\naa001four\nbb001 five\naa00p six\naa012\n"
                b"\nbb001 seven and more\naa99p negative\nbb00q\n")
GIVING_IN2 = b"bb00xAAAaa00yBBBcc123CCC"


def runtime_giving(folder: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(folder)
    for name in ("INF", "IN2", "NOPE", "OUTF", "OUTR", "OUTS"):
        monkeypatch.setenv(f"DD_{name}", name)
    in_st = AlphanumericField(bytearray(b"**"), 0, "XX")
    out_st = AlphanumericField(bytearray(b"**"), 0, "XX")

    def seq(name: str, length: int, org: str = "SEQUENTIAL",
            status: AlphanumericField | None = None) -> CobolFile:
        return CobolFile(name, f"UT-S-{name}", organization=org,
                         record=Group(bytearray(length), 0, length), status=status)

    inf, in2 = seq("INF", 12, LS, in_st), seq("IN2", 8, status=in_st)
    nope, outf = seq("NOPE", 10, LS, in_st), seq("OUTF", 12, LS, out_st)
    outr, outs = seq("OUTR", 14), seq("OUTS", 4)
    sbuf = bytearray(10)
    srec = Group(sbuf, 0, 10)
    sk1, sk2 = make_field(sbuf, 0, "X(2)"), make_field(sbuf, 2, "S9(3)")
    srest = make_field(sbuf, 5, "X(5)")
    lines = []
    sd = SortFile(srec, [(True, sk1), (False, sk2)])
    sort_using_giving(sd, [inf, in2, nope], [outf, outr])
    lines.append(f"SR +{sd.sort_return:09d} {in_st.get()} {out_st.get()}")
    sd = SortFile(srec, [(False, sk1)])
    sort_using_giving(sd, [nope], [outs])
    lines.append(f"SR +{sd.sort_return:09d} {in_st.get()} {out_st.get()}")
    sd = SortFile(srec, [(True, srest)])
    srec.set("bb")
    sd.release()
    sd.release(from_="aa001zz")
    sd.release(from_="cc002zz")
    sd.sort()
    ws = AlphanumericField(bytearray(12), 0, "X(12)")
    for _ in range(5):
        ws.set("************")
        word = "REC" if sd.return_(into=ws) == "ok" else "END"
        lines.append(f"{word} {srec.get()}|{ws.get()}")
    lines.append(f"SR +{sd.sort_return:09d}")
    return lines


@needs_cobc
def test_sort_using_giving_release_return(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """USING several files (LINE SEQUENTIAL longer and shorter than the SD record, a fixed
    file, an absent file), GIVING a LINE SEQUENTIAL and two fixed files (padded, truncated),
    statuses left alone, SORT-RETURN, RELEASE FROM, RETURN INTO, RETURN after the end."""
    outputs = {}
    for side in ("cobol", "runtime"):
        folder = tmp_path / side
        folder.mkdir()
        (folder / "INF").write_bytes(GIVING_INPUT)
        (folder / "IN2").write_bytes(GIVING_IN2)
        if side == "cobol":
            program = compile_cobol(GIVING_SOURCE, folder, "giving")
            env = clean_env({f"DD_{n}": n for n in ("INF", "IN2", "NOPE", "OUTF", "OUTR",
                                                     "OUTS")})
            done = subprocess.run([str(program)], cwd=folder, env=env, capture_output=True)
            assert done.returncode == 0, done.stderr
            lines = [line.rstrip() for line in done.stdout.decode("latin-1").splitlines()]
        else:
            lines = [line.rstrip() for line in runtime_giving(folder, monkeypatch)]
        files = {n: (folder / n).read_bytes() for n in ("OUTF", "OUTR", "OUTS")}
        outputs[side] = (lines, files, (folder / "NOPE").exists())
    assert outputs["runtime"] == outputs["cobol"]


# --------------------------------------------------------------------------- unit tests


def _record(length: int = 6) -> Group:
    return Group(bytearray(length), 0, length)


def test_refused_statements_raise_unsupported(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    line = CobolFile("F", '"f.txt"', organization=LS, record=_record())
    with pytest.raises(UnsupportedError):
        line.open("I-O")
    with pytest.raises(UnsupportedError):
        line.rewrite()
    with pytest.raises(UnsupportedError):
        line.start(">")
    with pytest.raises(UnsupportedError):
        line.delete()
    with pytest.raises(UnsupportedError):
        CobolFile("R", "R", organization="RELATIVE", record=_record())
    with pytest.raises(UnsupportedError):
        CobolFile("X", "X", organization="INDEXED", record=_record())
    with pytest.raises(UnsupportedError):
        CobolFile("Y", "Y", organization=LS, access="RANDOM", record=_record())
    rec = _record()
    indexed = CobolFile("I", '"i.dat"', organization="INDEXED", access="DYNAMIC", record=rec,
                        record_key=Group(rec.buffer, 0, 2))
    with pytest.raises(UnsupportedError):  # an alternate key
        indexed.start("=", Group(rec.buffer, 2, 2))
    with pytest.raises(UnsupportedError):
        indexed.start("ABOUT", Group(rec.buffer, 0, 2))
    with pytest.raises(UnsupportedError):
        SortFile(rec, [(True, Group(bytearray(4), 0, 2))])


def test_status_item_outcomes_and_errors(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    status = AlphanumericField(bytearray(2), 0, "XX")
    file = CobolFile("F", '"absent"', organization=LS, record=_record(), status=status)
    assert file.open("INPUT") == "error" and file.status == "35" and status.get() == "35"
    assert file.read(handled=True) == "error" and status.get() == "47"
    bare = CobolFile("G", '"absent"', organization=LS, record=_record())
    with pytest.raises(FileStatusError) as caught:
        bare.read(handled=True)
    assert caught.value.status == "47" and caught.value.exit_code == 1
    assert caught.value.message == ("libcob: error: READ/START not allowed, file not open "
                                    "for input (status = 47) for file G ('absent')")
    assert bare.open("INPUT", handled=True) == "error"  # a multi-file OPEN's first file
    (tmp_path / "data").write_bytes(b"x\n")
    good = CobolFile("H", '"data"', organization=LS, record=_record())
    assert good.open("INPUT") == "ok" and good.read() == "ok"
    assert good.read(handled=True) == "at_end"
    assert close_all() == ["libcob: warning: implicit CLOSE of H ('data')"]
    assert not good.is_open and close_all() == []


def test_an_indexed_file_that_is_not_one_is_status_30(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "text.dat").write_bytes(b"not a database\n")
    rec = _record()
    indexed = CobolFile("I", '"text.dat"', organization="INDEXED", record=rec,
                        record_key=Group(rec.buffer, 0, 2), status=_record(2))
    for mode in ("INPUT", "I-O", "OUTPUT", "EXTEND"):
        assert indexed.open(mode) == "error" and indexed.status == "30"
    assert (tmp_path / "text.dat").read_bytes() == b"not a database\n"


def test_read_into_write_from_and_quiet(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = CobolFile("O", '"o.txt"', organization=LS, record=_record())
    out.open("OUTPUT")
    out.write(from_="hello  ")
    out.write(from_=SPACES, advancing=("BEFORE", 2))
    out.close()
    assert (tmp_path / "o.txt").read_bytes() == b"hello\n\n\n"
    into = AlphanumericField(bytearray(8), 0, "X(8)")
    back = CobolFile("B", '"o.txt"', organization=LS, record=_record())
    back.open("INPUT")
    assert back.read(into=into) == "ok" and into.get() == "hello   "
    with back.quiet():
        assert back.read() == "ok" and back.read() == "ok" and back.read() == "at_end"
        assert back.read() == "error" and back.status == "46"
    back.close()


def test_sort_file_unit() -> None:
    buffer = bytearray(5)
    record = Group(buffer, 0, 5)
    number = make_field(buffer, 0, "S9(3)", "COMP-3")
    text = make_field(buffer, 2, "X(3)")
    sd = SortFile(record, [(False, number), (True, text)])
    for value, name in [(5, "b"), (-7, "a"), (5, "a"), (0, "z"), (5, "b")]:
        number.set(value)
        text.set(name)
        sd.release()
    sd.sort()
    seen = []
    while sd.return_() == "ok":
        seen.append((int(number.get()), text.get().strip()))
    assert seen == [(5, "a"), (5, "b"), (5, "b"), (0, "z"), (-7, "a")]
    assert sd.return_() == "at_end" and sd.sort_return == 0
    sd.release()  # a new SORT
    assert len(sd) == 1
