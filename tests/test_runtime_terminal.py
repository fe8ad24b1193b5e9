"""DISPLAY, relation/class/sign conditions, ACCEPT and intrinsic functions of the COBOL runtime
(modernize.runtime.display, .compare, .terminal, .intrinsics) against GnuCOBOL.

Oracle 1 writes one COBOL program holding every case of CASES; each case declares its items
(filled by a MOVE of a literal, or with raw bytes through a PIC X redefinition) and prints one
line named after it: a DISPLAY case its operands between brackets, a comparison ``<``, ``=`` or
``>``, a class or sign condition ``Y`` or ``N``, a function case the function's result between
brackets. The program is built with plain ``cobc -x`` and run once; the same case on the runtime
must give the same bytes (numeric function results compare as numbers: GnuCOBOL prints them in
widths of its own).

Oracle 2 runs one program of ACCEPT statements (clock, standard input, environment, command
line) and DISPLAYs (UPON SYSERR, NO ADVANCING) under fixed COB_CURRENT_DATE values, and the
same steps on the runtime in-process: standard output and standard error must be byte-equal.
Plain unit tests of the API follow.
"""

from __future__ import annotations

import io
import itertools
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import require_tool

from modernize.runtime import (
    ALL,
    HIGH_VALUES,
    LOW_VALUES,
    QUOTES,
    SPACES,
    ZEROS,
    AlphanumericField,
    Figurative,
    Group,
    Item,
    NumericField,
    UnsupportedError,
)
from modernize.runtime import field as make_field
from modernize.runtime.compare import (
    compare,
    is_alphabetic,
    is_alphabetic_lower,
    is_alphabetic_upper,
    is_negative,
    is_numeric,
    is_positive,
    is_zero,
)
from modernize.runtime.display import display, display_bytes
from modernize.runtime.intrinsics import call_function
from modernize.runtime.terminal import (
    accept_command_line,
    accept_environment,
    accept_from,
    accept_line,
    current_datetime,
)

D = Decimal
COBC = require_tool("cobc")
Literal = Decimal | int | str | bytes | Figurative


@dataclass(frozen=True)
class Var:
    """A data item of a case: its PICTURE (None: a group of ``len(raw)`` bytes), USAGE and SIGN
    clause, filled by ``MOVE value`` or with ``raw`` bytes through a PIC X redefinition."""

    pic: str | None = None
    usage: str = "DISPLAY"
    leading: bool = False
    separate: bool = False
    value: Literal | None = None
    raw: bytes | None = None
    justified: bool = False

    def clause(self) -> str:
        text = f"PIC {self.pic}"
        if self.usage != "DISPLAY":
            text += f" {self.usage}"
        if self.leading or self.separate:
            text += f" SIGN {'LEADING' if self.leading else 'TRAILING'}"
            text += " SEPARATE" if self.separate else ""
        return text + (" JUST RIGHT" if self.justified else "")

    def make(self, buffer: bytearray) -> Item:
        if self.pic is None:
            return Group(buffer, 0, len(buffer))
        return make_field(buffer, 0, self.pic, self.usage, justified=self.justified,
                          sign="leading" if self.leading else "trailing", separate=self.separate)

    @property
    def length(self) -> int:
        if self.pic is None:
            assert self.raw is not None
            return len(self.raw)
        return self.make(bytearray(64)).length

    def build(self) -> Item:
        """The item on the runtime, filled as the COBOL side fills it."""
        item = self.make(bytearray(self.length))
        if self.raw is not None:
            item.raw = self.raw
        elif self.value is not None:
            item.set(self.value)
        return item

    def cobol(self, name: str) -> tuple[list[str], list[str]]:
        """(declarations, statements) of the item named ``name``."""
        if self.pic is None:
            decl = [f"01 {name}.", f"  05 FILLER PIC X({self.length})."]
            return decl, [f"MOVE {cobol_literal(self.raw or b'')} TO {name}"]
        decl = [f"01 {name} {self.clause()}."]
        if self.raw is not None:
            decl.append(f"01 {name}X REDEFINES {name} PIC X({self.length}).")
            return decl, [f"MOVE {cobol_literal(self.raw)} TO {name}X"]
        if self.value is not None:
            return decl, [f"MOVE {cobol_literal(self.value)} TO {name}"]
        return decl, []


@dataclass(frozen=True)
class Keyword:
    """A bare word among a function's arguments (TRIM's LEADING / TRAILING)."""

    word: str


def cobol_literal(value: Literal) -> str:
    if isinstance(value, Figurative):
        if value.name.startswith("ALL "):
            return f"ALL '{value.pattern.decode('latin-1')}'"
        return value.name
    if isinstance(value, bytes):
        return f"X'{value.hex().upper()}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, Decimal):
        return format(value, "f") if not value.is_signed() else "-" + format(-value, "f")
    return str(value)


Operand = Var | Literal | Keyword


@dataclass
class Case:
    """One oracle case: COBOL declarations and statements printing one line that starts with
    ``name``, and the runtime's version of that line (or, for a numeric function, its
    Decimal result)."""

    name: str
    title: str
    decl: list[str]
    proc: list[str]
    runtime: Callable[[], bytes | Decimal]


_numbers = itertools.count(1)


def _operands(name: str, operands: tuple[Operand, ...]) -> tuple[list[str], list[str],
                                                                list[str], list[Callable]]:
    """Declarations, statements, COBOL texts and runtime makers of a case's operands."""
    decl: list[str] = []
    proc: list[str] = []
    texts: list[str] = []
    makers: list[Callable] = []
    for index, operand in enumerate(operands):
        if isinstance(operand, Var):
            var_name = f"V{name[1:]}{'ABCDEFGH'[index]}"
            var_decl, var_proc = operand.cobol(var_name)
            decl += var_decl
            proc += var_proc
            texts.append(var_name)
            makers.append(operand.build)
        elif isinstance(operand, Keyword):
            texts.append(operand.word)
            makers.append(lambda word=operand.word: word)
        else:
            texts.append(cobol_literal(operand))
            makers.append(lambda value=operand: value)
    return decl, proc, texts, makers


def _title(operands: tuple[Operand, ...]) -> str:
    def one(operand: Operand) -> str:
        if isinstance(operand, Var):
            fill = operand.raw if operand.raw is not None else operand.value
            return f"{operand.clause() if operand.pic else 'group'}={fill!r}"
        return repr(operand)
    return " ".join(one(o) for o in operands)


def disp(*operands: Operand) -> Case:
    name = f"D{next(_numbers):03d}"
    decl, proc, texts, makers = _operands(name, operands)
    proc += [f"DISPLAY '{name}['", *[f"  {text}" for text in texts], "  ']'"]
    return Case(name, f"DISPLAY {_title(operands)}", decl, proc,
                lambda: name.encode() + b"[" + b"".join(display_bytes(m()) for m in makers)
                + b"]")


def cmp(left: Operand, right: Operand) -> Case:
    name = f"C{next(_numbers):03d}"
    decl, proc, (a, b), (make_a, make_b) = _operands(name, (left, right))
    for symbol in "<=>":
        proc += [f"IF {a} {symbol} {b}", f"  DISPLAY '{name} {symbol}'", "END-IF"]
    return Case(name, f"{_title((left,))} vs {_title((right,))}", decl, proc,
                lambda: f"{name} {'<=>'[compare(make_a(), make_b()) + 1]}".encode())


CONDITIONS: dict[str, Callable] = {
    "NUMERIC": is_numeric, "ALPHABETIC": is_alphabetic, "ALPHABETIC-LOWER": is_alphabetic_lower,
    "ALPHABETIC-UPPER": is_alphabetic_upper, "POSITIVE": is_positive, "NEGATIVE": is_negative,
    "ZERO": is_zero,
}


def cond(condition: str, operand: Var) -> Case:
    name = f"K{next(_numbers):03d}"
    decl, proc, (text,), (make,) = _operands(name, (operand,))
    proc += [f"IF {text} IS {condition}", f"  DISPLAY '{name} Y'", "ELSE",
             f"  DISPLAY '{name} N'", "END-IF"]
    return Case(name, f"{_title((operand,))} IS {condition}", decl, proc,
                lambda: f"{name} {'Y' if CONDITIONS[condition](make()) else 'N'}".encode())


def fn(function: str, *args: Operand) -> Case:
    name = f"F{next(_numbers):03d}"
    decl, proc, texts, makers = _operands(name, args)
    proc += [f"DISPLAY '{name}['", f"  FUNCTION {function}", *(["  ("] if texts else []),
             *[f"    {text}" for text in texts], *(["  )"] if texts else []), "  ']'"]

    def run() -> bytes | Decimal:
        result = call_function(function, *(m() for m in makers))
        return result if isinstance(result, Decimal) else name.encode() + b"[" + result + b"]"
    return Case(name, f"FUNCTION {function} {_title(args)}", decl, proc, run)


X, U3, S3 = "X(3)", "9(3)", "S9(3)"
CASES: list[Case] = [
    # DISPLAY: text, DISPLAY numerics with every sign form, V and fractional P
    disp(Var("X(5)", value="AB")), disp(Var("9(5)", value=123)),
    disp(Var("S9(5)", value=-123)), disp(Var("S9(5)", value=123)),
    disp(Var("S9(4)", leading=True, value=-42)),
    disp(Var("S9(4)", leading=True, separate=True, value=-42)),
    disp(Var("S9(4)", separate=True, value=42)),
    disp(Var("S9(3)V9", separate=True, value=D("-1.5"))),
    disp(Var("S9(3)V9", leading=True, separate=True, value=D("-1.5"))),
    disp(Var("S9(3)V99", value=D("-1.5"))), disp(Var("9(3)V99", value=D("1.5"))),
    disp(Var("SV99", value=D("-.5"))), disp(Var("V9", value=D(".5"))),
    disp(Var("VPP99", value=D("0.00123"))), disp(Var("SPPP99", value=D("-0.0000123"))),
    disp(Var("S9(3)V99", leading=True, raw=b"x0012")),
    # COMP: the PICTURE's digits, a value beyond them keeps its low-order digits
    disp(Var("S9(4)", "COMP", value=-2)), disp(Var("S9(4)", "COMP", value=2)),
    disp(Var("9(4)", "COMP", value=12)), disp(Var("S9(5)V99", "COMP", value=D("-12.5"))),
    disp(Var("S9(18)", "COMP", value=-123456789012345678)), disp(Var("9(2)", "COMP", value=7)),
    disp(Var("9(4)", "COMP", raw=b"\xc3\x50")), disp(Var("S9(4)", "COMP", raw=b"\x80\x00")),
    disp(Var("SV99", "COMP", value=D("-.5"))),
    # COMP-3: like DISPLAY; only a D sign nibble of a signed item shows '-'
    disp(Var(S3, "COMP-3", value=-12)), disp(Var(U3, "COMP-3", value=12)),
    disp(Var("S9(5)V99", "COMP-3", value=D("-12.5"))), disp(Var("S9(4)", "COMP-3", value=12)),
    disp(Var("S9(4)", "COMP-3", raw=b"\x12\x34\x5c")), disp(Var(U3, "COMP-3", raw=b"\x12\x3d")),
    disp(Var(S3, "COMP-3", raw=b"\x12\x3b")), disp(Var(S3, "COMP-3", raw=b"\x00\x0d")),
    # COMP-5: as many digits as the bytes hold, unscaled
    disp(Var("S9(4)", "COMP-5", value=-300)), disp(Var("9(4)", "COMP-5", value=300)),
    disp(Var("S9(3)V9", "COMP-5", value=D("-1.5"))), disp(Var("9(4)", "COMP-5", raw=b"\xff\xff")),
    disp(Var("S99", "COMP-5", value=99)), disp(Var("S9(9)", "COMP-5", value=1)),
    disp(Var("9(18)", "COMP-5", value=1)), disp(Var("S9(7)V99", "COMP-5", value=D("-1.5"))),
    # negative zero shows '+'; spaces in integer items show as they are
    disp(Var(S3, raw=b"00p")), disp(Var("S9(3)V9", leading=True, separate=True, raw=b"-0000")),
    disp(Var(U3, raw=b"   ")), disp(Var(S3, raw=b" 1p")), disp(Var(S3, leading=True, raw=b"p1 ")),
    # edited and group items, literals, figurative constants
    disp(Var("ZZ9.99-", value=D("1.5"))), disp(Var(raw=b"AB12")),
    disp(12, -12, D("-1.50"), D("0.5"), D("-0.00"), 0), disp("it's", b"\x41"),
    disp(SPACES, ZEROS, QUOTES, ALL("AB"), HIGH_VALUES, LOW_VALUES),
    disp(Var(X, value="AB"), 12, Var(S3, value=-5)),
    # comparisons: numeric DISPLAY items against text are their digits (sign taken off)
    cmp(Var(S3, value=-12), Var(X, value="012")), cmp(Var(S3, value=-12), Var(X, value="01r")),
    cmp(Var(U3, value=12), Var("X(4)", value="012")),
    cmp(Var(U3, value=12), Var("X(2)", value="12")),
    cmp(Var(S3, leading=True, value=-12), Var(X, value="012")),
    cmp(Var(S3, leading=True, separate=True, value=-12), Var(X, value="012")),
    cmp(Var(S3, separate=True, value=-12), Var(X, value="012")),
    cmp(Var(S3, separate=True, value=-12), "012-"),
    cmp(Var(S3, raw=b"1A}"), "1A0"), cmp(Var(U3, raw=b"A1 "), "A1"),
    cmp(Var(S3, raw=b"12 "), "12 "), cmp(Var(S3, leading=True, raw=b" 12"), " 12"),
    cmp(Var("S9(2)V9", value=D("-1.5")), Var(X, value="015")), cmp(Var("9PP", value=100), "1"),
    # ... binary and packed items their PICTURE's digits
    cmp(Var("S9(4)", "COMP", value=-12), Var("X(4)", value="0012")),
    cmp(Var("S9(4)", "COMP-5", value=-12), Var("X(5)", value="00012")),
    cmp(Var("9(4)", "COMP-5", raw=b"\xff\xff"), "5535"),
    cmp(Var(S3, "COMP-3", value=-12), Var(X, value="012")),
    # ... numeric literals their digits, '-' kept, the point dropped
    cmp(Var(X, value="012"), 12), cmp(Var(X, value="12 "), 12), cmp(Var(X, value="012"), -12),
    cmp(Var("X(4)", value="12"), D("1.2")), cmp(Var("X(4)", value="15"), D("-1.5")),
    cmp(Var("X(4)", value="-1.5"), D("-1.5")),
    # ... edited items are text, even against numbers and ZERO
    cmp(Var("ZZ9", value=12), Var(X, value="012")), cmp(Var("ZZ9", value=12), 12),
    cmp(Var("ZZ9", value=12), Var(U3, value=12)), cmp(Var("ZZ9", value=12), ZEROS),
    cmp(Var("ZZ9.9-", value=D("-1.5")), D("-1.5")),
    # ... groups, padding with spaces, figuratives repeated
    cmp(Var(raw=b"012"), 12), cmp(Var(raw=b"012"), Var(U3, value=12)), cmp(Var(raw=b"012"), ZEROS),
    cmp(Var("X(5)", value="ABC"), "ABC"), cmp(Var("X(5)", value="ABC"), SPACES),
    cmp(Var("X(5)", value="ABC"), ALL("AB")), cmp(Var("X(5)", value="ABC"), HIGH_VALUES),
    cmp(Var("X(5)", value="ABC"), LOW_VALUES),
    cmp(Var("X(2)", value="AB"), Var("X(4)", value="AB")),
    cmp(Var("X(2)", raw=b"\xffA"), Var("X(2)", value="AB")), cmp(Var("X(2)", value="a"), "B"),
    cmp(Var("X(2)", value="AB"), ALL("ABC")), cmp(Var("X(4)", value="AB"), QUOTES),
    cmp(Var(U3, value=0), ZEROS), cmp(Var(U3, value=0), SPACES), cmp(Var(U3, value=0), "0"),
    cmp(Var(X, value=SPACES), ZEROS), cmp(Var(U3, value=12), ALL("1")),
    cmp(Var(U3, value=12), QUOTES), cmp(Var(S3, value=-12), SPACES),
    # ... numeric against numeric: algebraic
    cmp(Var(S3, value=-12), ZEROS), cmp(Var(S3, value=-12), ALL("0")),
    cmp(Var(S3, raw=b"00p"), 0), cmp(Var(S3, raw=b"00p"), ZEROS),
    cmp(Var("9(4)", "COMP", raw=b"\xff\xff"), 65535),
    cmp(Var("9(4)", "COMP", raw=b"\xff\xff"), Var("9(4)", value=5535)),
    cmp(Var(U3, "COMP-3", raw=b"\x12\x3d"), -123), cmp(Var(S3, "COMP-3", raw=b"\x12\x3b"), 123),
    cmp(Var("S9(3)V99", value=D("-1.5")), D("-1.50")),
    cmp(Var("S9(5)", "COMP-3", value=-3), Var(S3, leading=True, separate=True, value=-3)),
    cmp(Var("9(3)V9", value=D("12.5")), 12), cmp(Var("S9(4)", "COMP-5", value=-300), -301),
    cmp(1, 2), cmp("B", "A"),
    # class conditions
    cond("NUMERIC", Var(U3, raw=b"123")), cond("NUMERIC", Var(U3, raw=b"12 ")),
    cond("NUMERIC", Var(S3, raw=b"12p")), cond("NUMERIC", Var(S3, raw=b"12y")),
    cond("NUMERIC", Var(S3, raw=b"12}")), cond("NUMERIC", Var(S3, raw=b"p12")),
    cond("NUMERIC", Var(S3, leading=True, raw=b"p12")),
    cond("NUMERIC", Var(S3, separate=True, raw=b"123+")),
    cond("NUMERIC", Var(S3, separate=True, raw=b"123 ")),
    cond("NUMERIC", Var(S3, "COMP-3", raw=b"\x12\x3c")),
    cond("NUMERIC", Var(S3, "COMP-3", raw=b"\x12\x3f")),
    cond("NUMERIC", Var(S3, "COMP-3", raw=b"\x1a\x3c")),
    cond("NUMERIC", Var(U3, "COMP-3", raw=b"\x12\x3f")),
    cond("NUMERIC", Var(U3, "COMP-3", raw=b"\x12\x3c")),
    cond("NUMERIC", Var("S9(4)", "COMP-3", raw=b"\x11\x23\x4c")),
    cond("NUMERIC", Var("S9(4)", "COMP-3", raw=b"\xa1\x23\x4c")),
    cond("NUMERIC", Var("9(4)", "COMP", raw=b"\xff\xff")),
    cond("NUMERIC", Var(X, value="123")), cond("NUMERIC", Var(X, value="+12")),
    cond("NUMERIC", Var(X, value=SPACES)), cond("NUMERIC", Var(raw=b"123")),
    cond("ALPHABETIC", Var(X, value="aB ")), cond("ALPHABETIC-LOWER", Var(X, value="ab ")),
    cond("ALPHABETIC-LOWER", Var(X, value="aB ")), cond("ALPHABETIC-UPPER", Var(X, value="AB ")),
    cond("ALPHABETIC", Var(X, value="A1 ")), cond("ALPHABETIC-UPPER", Var(X, value=SPACES)),
    cond("ALPHABETIC", Var(X, raw=b"\xe9\xe9\xe9")), cond("ALPHABETIC", Var(raw=b"AB ")),
    cond("ALPHABETIC", Var("A(3)", value="A-B")),
    # sign conditions
    cond("POSITIVE", Var(S3, raw=b"00p")), cond("NEGATIVE", Var(S3, raw=b"00p")),
    cond("ZERO", Var(S3, raw=b"00p")), cond("NEGATIVE", Var(S3, raw=b"01p")),
    cond("NEGATIVE", Var(U3, "COMP-3", raw=b"\x12\x3d")),
    cond("POSITIVE", Var(S3, "COMP-3", raw=b"\x12\x3b")),
    cond("NEGATIVE", Var("S9(4)", "COMP", value=-1)), cond("ZERO", Var(U3, value=0)),
    # numeric intrinsic functions
    fn("MOD", -7, 3), fn("MOD", 7, -3), fn("MOD", D("7.5"), 2), fn("MOD", D("-7.5"), 2),
    fn("MOD", 10, D("3.5")), fn("MOD", 7, 0), fn("MOD", Var("S9(3)", value=-7), -3),
    fn("REM", -7, 3), fn("REM", D("-7.5"), 2), fn("REM", 7, -3), fn("REM", 7, 0),
    fn("INTEGER", D("-1.5")), fn("INTEGER", D("1.5")), fn("INTEGER", D("-0.5")),
    fn("INTEGER-PART", D("-1.5")), fn("INTEGER-PART", D("12.99")),
    fn("ABS", D("-1.50")), fn("ABS", Var("S9(3)V9", "COMP-3", value=D("-2.5"))),
    fn("MAX", 1, D("3.5"), 2), fn("MIN", 1, D("-3.5"), 2), fn("MAX", Var(S3, value=-4), -5),
    fn("NUMVAL", " -12.5 "), fn("NUMVAL", "12.5CR"), fn("NUMVAL", "12CR "), fn("NUMVAL", "12 DB "),
    fn("NUMVAL", "12.5 -"), fn("NUMVAL", "+ 1"), fn("NUMVAL", ".5"), fn("NUMVAL", "5."),
    fn("NUMVAL", "1,234.5"), fn("NUMVAL", "1 2"), fn("NUMVAL", "-12.5CR"), fn("NUMVAL", "abc"),
    fn("NUMVAL", Var("X(8)", value="  -3.25")),
    fn("NUMVAL-C", "$1,234.56"), fn("NUMVAL-C", "$1,234.56 CR "), fn("NUMVAL-C", "- $12"),
    fn("NUMVAL-C", "$+12"), fn("NUMVAL-C", "1,,2"), fn("NUMVAL-C", ",12"), fn("NUMVAL-C", "12$"),
    fn("NUMVAL-C", "12.5DB"),
    fn("LENGTH", "abc "), fn("LENGTH", Var("S9(4)", "COMP", value=1)),
    fn("LENGTH", Var("S9(5)V99", "COMP-3", value=1)), fn("LENGTH", Var("X(7)", value="A")),
    fn("ORD", "A"), fn("ORD", "AB"), fn("ORD", " "),
    fn("INTEGER-OF-DATE", 20240315), fn("INTEGER-OF-DATE", 20240230),
    fn("INTEGER-OF-DATE", 20000229), fn("INTEGER-OF-DATE", 19000229),
    fn("INTEGER-OF-DATE", 16001231), fn("INTEGER-OF-DATE", Var("9(8)", value=19991231)),
    fn("DATE-OF-INTEGER", 1), fn("DATE-OF-INTEGER", 3067671), fn("DATE-OF-INTEGER", 3067672),
    fn("DATE-OF-INTEGER", 0), fn("DAY-OF-INTEGER", 154000), fn("INTEGER-OF-DAY", 2024366),
    fn("INTEGER-OF-DAY", 2023366), fn("INTEGER-OF-DAY", 1601001),
    fn("SQRT", 2), fn("SQRT", 123456789), fn("SQRT", D("0.25")), fn("SQRT", -1), fn("SQRT", 16),
    fn("SQRT", D("0.000000002")), fn("SQRT", 1000000000000000000000000000001),
    # alphanumeric intrinsic functions
    fn("MAX", "AB", "B", "A"), fn("MIN", "AB", "B", "A "), fn("UPPER-CASE", "abC1"),
    fn("UPPER-CASE", b"\xe9a"), fn("LOWER-CASE", "ABc1"), fn("TRIM", "  ab  "),
    fn("TRIM", "  ab  ", Keyword("LEADING")), fn("TRIM", "  ab  ", Keyword("TRAILING")),
    fn("TRIM", "    "), fn("TRIM", b" \tA\t "), fn("REVERSE", "abc "), fn("CHAR", 66),
    fn("CHAR", 256), fn("UPPER-CASE", Var("X(5)", value="ab")),
    fn("TRIM", Var("X(8)", value="  xy")), fn("REVERSE", Var(raw=b"AB12")),
]


def program() -> str:
    lines = ["IDENTIFICATION DIVISION.", "PROGRAM-ID. TERMORACLE.", "DATA DIVISION.",
             "WORKING-STORAGE SECTION."]
    for case in CASES:
        lines += case.decl
    lines += ["PROCEDURE DIVISION.", "MAIN-PARA."]
    for case in CASES:
        lines += ["    " + line for line in case.proc]
    lines += ["    STOP RUN."]
    return _source(lines)


def _source(lines: list[str]) -> str:
    text = []
    for line in lines:
        source = " " * 7 + line
        assert len(source) <= 72, source
        text.append(source)
    return "\n".join(text) + "\n"


def _build(folder: Path, name: str, source: str) -> Path:
    (folder / f"{name}.cob").write_text(source, encoding="latin-1")
    build = subprocess.run([COBC, "-x", "-o", name, f"{name}.cob"], cwd=folder,  # type: ignore
                           capture_output=True, text=True, timeout=120)
    assert build.returncode == 0, build.stderr
    return folder / name


@pytest.fixture(scope="module")
def cobol_output(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[bytes]]:
    if COBC is None:
        pytest.skip("cobc (GnuCOBOL) is not installed")
    binary = _build(tmp_path_factory.mktemp("terminal_oracle"), "termoracle", program())
    run = subprocess.run([str(binary)], capture_output=True, timeout=60)
    assert run.returncode == 0, run.stderr
    lines: dict[str, list[bytes]] = {}
    for line in run.stdout.split(b"\n"):
        if line:
            lines.setdefault(line[:4].decode("latin-1"), []).append(line)
    return lines


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.name}:{case.title[:60]}")
def test_oracle(case: Case, cobol_output: dict[str, list[bytes]]) -> None:
    expected = cobol_output.get(case.name, [])
    assert len(expected) == 1, f"{case.title}: cobc printed {expected!r}"
    got = case.runtime()
    if isinstance(got, Decimal):
        shown = expected[0][5:-1].decode("ascii")
        assert got == Decimal(shown), f"{case.title}\n  cobc: {shown}\n  runtime: {got}"
    else:
        assert got == expected[0], f"{case.title}\n  cobc:    {expected[0]!r}\n  runtime: {got!r}"


def test_oracle_has_enough_cases() -> None:
    assert len(CASES) >= 60


# -- oracle 2: ACCEPT and DISPLAY devices -----------------------------------------------------

Z = ALL("z")
ACCEPT_TARGETS: dict[str, Var] = {  # the receiving items, with their values before the ACCEPTs
    "TX10": Var("X(10)", value=Z), "TN6": Var("9(6)", value=7), "TX4": Var("X(4)", value=Z),
    "TN4": Var("9(4)", value=7), "TE8": Var("99/99/99", value=7),
    "TK5": Var("S9(5)", "COMP-3", value=7), "TX40": Var("X(40)", value=Z),
    "IX5": Var("X(5)", value=Z), "IN5": Var("9(5)", value=7), "IS5": Var("S9(3)V99", value=7),
    "IC4": Var("S9(4)", "COMP", value=7), "IK5": Var("S9(5)V9", "COMP-3", value=7),
    "IE7": Var("ZZ9.99-", value=7), "IT5": Var("S9(3)V9", separate=True, value=7),
    "IJ5": Var("X(5)", justified=True, value=Z), "IAE": Var("XXBXX", value=Z),
    "IG": Var(raw=b"gggg"),
}
CLOCK = ["DATE", "DATE YYYYMMDD", "DAY", "DAY YYYYDDD", "DAY-OF-WEEK", "TIME"]
ACCEPT_STEPS: list[tuple[str, ...]] = [
    *[("clock", "TX10", source) for source in CLOCK],
    ("clock", "TN6", "DATE"), ("clock", "TX4", "TIME"), ("clock", "TN4", "TIME"),
    ("clock", "TE8", "DATE"), ("clock", "TK5", "DAY"), ("current-date",),
    *[("line", target) for target in [
        "IX5", "IX5", "IN5", "IN5", "IS5", "IS5", "IS5", "IS5", "IC4", "IC4", "IK5", "IE7", "IE7",
        "IT5", "IT5", "IJ5", "IAE", "IG", "IX5", "IX5", "IN5", "IS5"]],
    ("env", "TX10", "TERM_ORACLE_SET"), ("env", "TX10", "TERM_ORACLE_UNSET"),
    ("env", "TX10", "TERM_ORACLE_EMPTY"), ("env", "IN5", "TERM_ORACLE_NUM"),
    ("env", "IS5", "TERM_ORACLE_NUM"), ("env", "IN5", "TERM_ORACLE_UNSET"),
    ("command-line", "TX40"), ("command-line", "IS5"),
    ("devices",),
]
ACCEPT_INPUT = b"".join(line + b"\n" for line in [
    b"ABCDEFG", b"AB", b"123456789", b"  12", b" 12.345", b"-1.5", b"12a34", b"-0", b"-12345678",
    b"  -  1", b" 1,234.5 ", b"-123456.78", b"abc", b"  -1.5  ", b" 1,23", b"AB", b"ABCD",
    b"HELLO", b"A\tB\r"]) + b"last"  # the last line has no newline; then end of input
ACCEPT_ENV = {"TERM_ORACLE_SET": "hello", "TERM_ORACLE_EMPTY": "",
              "TERM_ORACLE_NUM": "-1234567.891"}
ACCEPT_ARGS = ["one", "two three", "4"]


def accept_program() -> str:
    lines = ["IDENTIFICATION DIVISION.", "PROGRAM-ID. TERMACCEPT.", "DATA DIVISION.",
             "WORKING-STORAGE SECTION.", "01 FLAG PIC X VALUE '-'."]
    proc = []
    for name, var in ACCEPT_TARGETS.items():
        decl, init = var.cobol(name)
        lines += decl
        proc += init
        if var.pic is not None:
            lines.append(f"01 {name}X REDEFINES {name} PIC X({var.length}).")
    for number, step in enumerate(ACCEPT_STEPS, 1):
        label = f"A{number:02d}"
        kind, *rest = step
        if kind == "current-date":
            proc += [f"DISPLAY '{label}[' FUNCTION CURRENT-DATE ']'"]
            continue
        if kind == "devices":
            proc += ["DISPLAY 'E1' UPON SYSERR", "DISPLAY 'N1' WITH NO ADVANCING",
                     "DISPLAY 'N2' UPON CONSOLE", "DISPLAY 'E2' 12 UPON SYSERR",
                     "DISPLAY 'N3' WITH NO ADVANCING UPON SYSERR", "DISPLAY 'E4' UPON SYSERR"]
            continue
        target = rest[0]
        proc += ["MOVE '-' TO FLAG"]
        if kind == "clock":
            proc += [f"ACCEPT {target} FROM {rest[1]}"]
        elif kind == "line":
            proc += [f"ACCEPT {target}"]
        elif kind == "env":
            proc += [f"ACCEPT {target} FROM ENVIRONMENT '{rest[1]}'",
                     "  ON EXCEPTION MOVE 'Y' TO FLAG", "  NOT ON EXCEPTION MOVE 'N' TO FLAG",
                     "END-ACCEPT"]
        else:
            proc += [f"ACCEPT {target} FROM COMMAND-LINE"]
        raw = f" '][' {target}X" if ACCEPT_TARGETS[target].pic is not None else ""
        proc += [f"DISPLAY '{label}[' {target}{raw} '] ' FLAG"]
    lines += ["PROCEDURE DIVISION.", "MAIN-PARA."]
    lines += ["    " + line for line in proc] + ["    STOP RUN."]
    return _source(lines)


def run_accept_steps() -> None:
    """The ACCEPT program's steps on the runtime (standard streams and environment are the
    caller's)."""
    items = {name: var.build() for name, var in ACCEPT_TARGETS.items()}
    for number, step in enumerate(ACCEPT_STEPS, 1):
        label = f"A{number:02d}".encode()
        kind, *rest = step
        if kind == "current-date":
            display(label + b"[", call_function("CURRENT-DATE"), b"]")
            continue
        if kind == "devices":
            display("E1", upon="SYSERR")
            display("N1", advancing=False)
            display("N2", upon="CONSOLE")
            display("E2", 12, upon="SYSERR")
            display("N3", advancing=False, upon="syserr")
            display("E4", upon="SYSERR")
            continue
        target = items[rest[0]]
        flag = "-"
        if kind == "clock":
            accept_from(target, rest[1])
        elif kind == "line":
            accept_line(target)
        elif kind == "env":
            flag = "N" if accept_environment(target, rest[1]) else "Y"
        else:
            accept_command_line(target, ACCEPT_ARGS)
        raw = [b"][", AlphanumericField(target.buffer, 0, f"X({target.length})")] \
            if ACCEPT_TARGETS[rest[0]].pic is not None else []
        display(label + b"[", target, *raw, b"] ", flag)


@pytest.fixture(scope="module")
def accept_binary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if COBC is None:
        pytest.skip("cobc (GnuCOBOL) is not installed")
    return _build(tmp_path_factory.mktemp("terminal_accept"), "termaccept", accept_program())


@pytest.mark.parametrize("fixed", ["2024/03/15 10:20:30.45+0100", "2024-02-29 23:59:59.99-0530",
                                   "20231231235959.07", "1999/12/31 08:07:06.05",
                                   "20000101 000000.00+0000"])
def test_accept_oracle(fixed: str, accept_binary: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = {**os.environ, **ACCEPT_ENV, "COB_CURRENT_DATE": fixed}
    env.pop("TERM_ORACLE_UNSET", None)
    run = subprocess.run([str(accept_binary), *ACCEPT_ARGS], input=ACCEPT_INPUT, env=env,
                         capture_output=True, timeout=60)
    assert run.returncode == 0, run.stderr
    for name, value in {**ACCEPT_ENV, "COB_CURRENT_DATE": fixed}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TERM_ORACLE_UNSET", raising=False)
    streams = {name: io.TextIOWrapper(io.BytesIO(), encoding="latin-1")
               for name in ("stdout", "stderr")}
    for name, stream in streams.items():
        monkeypatch.setattr(sys, name, stream)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ACCEPT_INPUT)))
    run_accept_steps()
    out = streams["stdout"].buffer.getvalue()  # type: ignore[attr-defined]
    err = streams["stderr"].buffer.getvalue()  # type: ignore[attr-defined]
    assert out.split(b"\n") == run.stdout.split(b"\n")
    assert err == run.stderr


# -- unit tests of the API --------------------------------------------------------------------


def test_display_writes_bytes_in_order_with_other_output(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.TextIOWrapper(io.BytesIO(), encoding="latin-1")
    monkeypatch.setattr(sys, "stdout", stream)
    print("text ", end="")
    display("A", D("-1.50"), ZEROS, advancing=False)
    display(b"\xff")
    assert stream.buffer.getvalue() == b"text A-1.500\xff\n"  # type: ignore[attr-defined]
    with pytest.raises(UnsupportedError, match="PRINTER"):
        display("x", upon="PRINTER")


def test_display_refuses_what_gnucobol_shows_unreliably() -> None:
    record = bytearray(8)
    with pytest.raises(UnsupportedError, match="P scaling"):
        display_bytes(NumericField(record, 0, "999PP"))
    with pytest.raises(UnsupportedError, match="P scaling"):
        display_bytes(NumericField(record, 0, "VPP9", "COMP-3"))
    bad = NumericField(record, 0, "9(3)V9")
    bad.raw = b"12 4"
    with pytest.raises(UnsupportedError, match="non-digit"):
        display_bytes(bad)
    packed = NumericField(record, 0, "S9(3)", "COMP-3")
    packed.raw = b"\x1a\x3c"
    with pytest.raises(UnsupportedError, match="packed"):
        display_bytes(packed)
    with pytest.raises(UnsupportedError):
        display_bytes(True)  # type: ignore[arg-type]


def test_compare_and_conditions_on_literals() -> None:
    record = bytearray(b"012")
    number = NumericField(record, 0, "S9(3)")
    assert compare(number, 12) == 0 and compare(13, number) == 1
    assert compare("ABC", b"ABC  ") == 0 and compare(ZEROS, number) == -1
    assert is_positive(D("0.01")) and is_negative(-1) and is_zero(D("-0"))
    with pytest.raises(UnsupportedError):
        compare(SPACES, ZEROS)
    with pytest.raises(UnsupportedError):
        is_negative("1")  # type: ignore[arg-type]
    with pytest.raises(UnsupportedError):
        is_alphabetic(number)
    bad = NumericField(bytearray(b"1A2"), 0, "9(3)")
    with pytest.raises(UnsupportedError, match="non-digit"):
        compare(bad, 1)
    assert not is_numeric(bad)


def test_clock_override_forms(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COB_CURRENT_DATE", "2024/03/15 10:20:30.45-0530")
    now = current_datetime()
    assert (now.year, now.month, now.day, now.hour, now.minute, now.second) == \
        (2024, 3, 15, 10, 20, 30)
    assert now.microsecond == 450000 and now.utcoffset() == -timedelta(hours=5, minutes=30)
    assert call_function("CURRENT-DATE") == b"2024031510203045-0530"
    monkeypatch.setenv("COB_CURRENT_DATE", "2024/03/15 10:20:30")
    first = current_datetime()
    assert current_datetime() == first  # the hundredths are taken once: the time stays fixed
    monkeypatch.setenv("COB_CURRENT_DATE", "2024/03/15")
    before = datetime.now().astimezone()
    now = current_datetime()
    assert now.date().isoformat() == "2024-03-15"  # the time of day is the real clock's
    assert abs(now.replace(year=before.year, month=before.month, day=before.day) - before) \
        < timedelta(seconds=5)
    for bad in ["2024/3/5 1:2:3", "2024/02/30", "2024/03/15 25:00:00", "garbage", "0000/01/01",
                "2024/03/15 10:20:30+0160", "2024.03.15"]:
        monkeypatch.setenv("COB_CURRENT_DATE", bad)
        with pytest.raises(UnsupportedError, match="COB_CURRENT_DATE"):
            current_datetime()


def test_accept_line_end_of_input_and_refusals(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"abc\n12-\n")))
    record = bytearray(8)
    text = AlphanumericField(record, 0, "X(4)")
    assert accept_line(text) and text.get() == "abc "
    with pytest.raises(UnsupportedError, match="unsigned"):
        accept_line(NumericField(record, 4, "9(4)"))
    assert not accept_line(text) and text.get() == "    "
    with pytest.raises(UnsupportedError, match="FROM WEEK"):
        accept_from(text, "WEEK")
    monkeypatch.setattr(sys, "argv", ["prog", "a", "b"])
    accept_command_line(text)
    assert text.get() == "a b "


def test_call_function_refusals() -> None:
    with pytest.raises(UnsupportedError, match="RANDOM"):
        call_function("RANDOM")
    with pytest.raises(UnsupportedError, match="arguments"):
        call_function("MOD", 1)
    with pytest.raises(UnsupportedError, match="CHAR"):
        call_function("CHAR", 0)
    with pytest.raises(UnsupportedError, match="currency"):
        call_function("NUMVAL-C", "EUR12", "EUR")
    with pytest.raises(UnsupportedError, match="currency"):
        call_function("NUMVAL-C", "$$1")
    with pytest.raises(UnsupportedError, match="numeric and alphanumeric"):
        call_function("MAX", 1, "A")
    assert call_function("integer_of_date", D("20240315.9")) == 154572
    root = call_function("Sqrt", 2)
    assert isinstance(root, Decimal) and len(root.as_tuple().digits) == 96
