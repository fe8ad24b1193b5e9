"""The COBOL data runtime (modernize.runtime) against GnuCOBOL, case by case, byte by byte.

The oracle test writes one COBOL program holding every case of CASES: each case is a record
(``01 Cnnn``) with its receiving items, the statements that fill it (MOVE, COMPUTE with and
without ROUNDED and ON SIZE ERROR, group moves, REDEFINES, reference modification, OCCURS,
level-88 conditions), and a flag the case may set. The program prints each record as hex (the
COBOL side converts its bytes with FUNCTION ORD, so binary and packed fields print safely), is
built with plain ``cobc -x`` and run; the same case run on the runtime must give the same bytes
and the same flag. Plain unit tests of the API follow.
"""

from __future__ import annotations

import ast
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import require_tool

from modernize.core.errors import ModernizeError
from modernize.runtime import (
    ALL,
    CONTEXT,
    HIGH_VALUES,
    LOW_VALUES,
    QUOTES,
    SPACES,
    ZEROS,
    AlphanumericField,
    BoundsError,
    Condition,
    EditedField,
    Figurative,
    Group,
    NumericField,
    Table,
    UnsupportedError,
    add,
    compute,
    subtract,
)
from modernize.runtime import (
    field as make_field,
)

D = Decimal
Literal = Decimal | int | str | Figurative


@dataclass(frozen=True)
class Spec:
    """One elementary item, described once for both COBOL and the runtime."""

    pic: str
    usage: str = "DISPLAY"
    leading: bool = False
    separate: bool = False
    justified: bool = False
    blank_when_zero: bool = False

    def cobol(self, name: str) -> str:
        text = f"05 {name} PIC {self.pic}"
        if self.usage != "DISPLAY":
            text += f" {self.usage}"
        if self.leading or self.separate:
            text += f" SIGN {'LEADING' if self.leading else 'TRAILING'}"
            text += " SEPARATE" if self.separate else ""
        if self.justified:
            text += " JUST RIGHT"
        if self.blank_when_zero:
            text += " BLANK WHEN ZERO"
        return text + "."

    def make(self, buffer: bytearray, offset: int = 0):
        return make_field(buffer, offset, self.pic, self.usage,
                          sign="leading" if self.leading else "trailing",
                          separate=self.separate, justified=self.justified,
                          blank_when_zero=self.blank_when_zero)


def cobol_literal(value: Literal) -> str:
    if isinstance(value, Figurative):
        if value.name.startswith("ALL "):
            return f"ALL '{value.pattern.decode()}'"
        return value.name
    if isinstance(value, str):
        return f"'{value}'"
    return str(value)


def evaluate(expression: str) -> Callable[[], Decimal]:
    """A COBOL arithmetic expression (numbers, + - * / **, parentheses) as Decimal code."""
    tree = ast.parse(expression, mode="eval")
    operators = {ast.Add: Decimal.__add__, ast.Sub: Decimal.__sub__, ast.Mult: Decimal.__mul__,
                 ast.Div: Decimal.__truediv__, ast.Pow: Decimal.__pow__}

    def walk(node: ast.AST) -> Decimal:
        if isinstance(node, ast.Constant):
            return Decimal(ast.get_source_segment(expression, node) or "")
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.BinOp):
            return operators[type(node.op)](walk(node.left), walk(node.right))
        raise ValueError(expression)

    return lambda: walk(tree.body)


@dataclass
class Case:
    """A record of receiving items, the COBOL statements that fill it, and the same on the
    runtime (``run`` gets the record's bytes and returns the flag: '-', or Y/N)."""

    title: str
    decl: list[str]
    proc: list[str]
    run: Callable[[bytearray], str]
    length: int
    name: str = field(default="")


def move(spec: Spec, value: Literal) -> Case:
    def run(buffer: bytearray) -> str:
        spec.make(buffer).set(value)
        return "-"
    return Case(f"MOVE {cobol_literal(value)} TO {spec.cobol('R')}", [spec.cobol("R")],
                [f"MOVE {cobol_literal(value)} TO R"], run, spec.make(bytearray(99)).length)


def move_from(source: Spec, value: Literal, target: Spec) -> Case:
    size = source.make(bytearray(99)).length

    def run(buffer: bytearray) -> str:
        sender = source.make(buffer)
        sender.set(value)
        target.make(buffer, size).set(sender)
        return "-"
    return Case(f"MOVE {cobol_literal(value)} TO {source.cobol('S')} then to {target.cobol('R')}",
                [source.cobol("S"), target.cobol("R")],
                [f"MOVE {cobol_literal(value)} TO S", "MOVE S TO R"], run,
                size + target.make(bytearray(99)).length)


def computes(spec: Spec, expression: str, rounded: bool = False,
             size_error: Literal | None = None) -> Case:
    """COMPUTE R [ROUNDED] = expression; with size_error (R's value before), ON SIZE ERROR."""
    verb = f"COMPUTE R{' ROUNDED' if rounded else ''} = {expression}"
    proc = [verb]
    if size_error is not None:
        proc = [f"MOVE {cobol_literal(size_error)} TO R", verb,
                "    ON SIZE ERROR MOVE 'Y' TO HX-FLAG",
                "    NOT ON SIZE ERROR MOVE 'N' TO HX-FLAG", "END-COMPUTE"]

    def run(buffer: bytearray) -> str:
        target = spec.make(buffer)
        if size_error is None:
            compute(target, evaluate(expression), rounded=rounded, on_size_error=False)
            return "-"
        target.set(size_error)
        return "Y" if compute(target, evaluate(expression), rounded=rounded) else "N"
    return Case(f"{verb} into {spec.cobol('R')}", [spec.cobol("R")], proc, run,
                spec.make(bytearray(99)).length)


def custom(title: str, decl: list[str], proc: list[str], length: int):
    def wrap(run: Callable[[bytearray], str]) -> Case:
        return Case(title, decl, proc, run, length)
    return wrap


U5, S5, S3 = Spec("9(5)"), Spec("S9(5)"), Spec("S9(3)")
CASES: list[Case] = [
    # DISPLAY numeric: alignment, truncation, unsigned receivers, signs, V and P scaling
    move(U5, D(123)), move(U5, D(1234567)), move(Spec("9(3)"), D(-45)),
    move(Spec("9(3)V99"), D("12.345")), move(Spec("9(3)V99"), D("1234.5")),
    move(S5, D(-123)), move(S5, D(123)), move(S3, D("-0.001")),
    move(Spec("S9(5)V99"), D("-12.5")), move(Spec("S9(4)", leading=True), D(-42)),
    move(Spec("S9(4)", leading=True, separate=True), D(-42)),
    move(Spec("S9(4)", separate=True), D(42)), move(Spec("S9(3)", separate=True), D(-7)),
    move(Spec("999PP"), D(12345)), move(Spec("VPP99"), D("0.00123")),
    move(Spec("SPPP99"), D("-0.0001234")), move(U5, ZEROS),
    # binary: COMP, BINARY, COMP-5
    move(Spec("S9(4)", "COMP"), D(-2)), move(Spec("9(4)", "COMP"), D(12345)),
    move(Spec("S9(9)", "COMP"), D(123456789)), move(Spec("S9(9)", "COMP"), D(-1)),
    move(Spec("9(2)", "COMP"), D(99)), move(Spec("S9(18)", "COMP"), D(-123456789012345678)),
    move(Spec("S9(5)V99", "COMP"), D("-1234.567")), move(Spec("9(3)", "COMP"), D(-5)),
    move(Spec("S9(4)", "BINARY"), D(1000)), move(Spec("S9(4)", "COMP-5"), D(258)),
    move(Spec("9(4)", "COMP-5"), D(70000)), move(Spec("S9(4)", "COMP-5"), D(-300)),
    # packed decimal
    move(Spec("S9(3)", "COMP-3"), D(-123)), move(Spec("9(3)", "COMP-3"), D(123)),
    move(Spec("S9(4)", "COMP-3"), D(1234)), move(Spec("S9(5)V99", "COMP-3"), D("-12345.67")),
    move(Spec("9(5)", "COMP-3"), D(-12)), move(Spec("S9(3)", "COMP-3"), D("-0.001")),
    move(Spec("S9(7)V99", "COMP-3"), D("1234567.891")),
    # alphanumeric
    move(Spec("X(5)"), "AB"), move(Spec("X(3)"), "ABCDEF"),
    move(Spec("X(6)", justified=True), "AB"), move(Spec("X(3)", justified=True), "ABCDE"),
    move(Spec("X(5)"), D(123)), move(Spec("X(5)"), D(-12)), move(Spec("X(4)"), SPACES),
    move(Spec("X(4)"), ZEROS), move(Spec("X(4)"), HIGH_VALUES), move(Spec("X(4)"), LOW_VALUES),
    move(Spec("X(4)"), QUOTES), move(Spec("X(5)"), ALL("AB")), move(Spec("XXBXX"), "ABCD"),
    move(Spec("X(2)/X(2)0"), "ABCDE"),
    # numeric-edited
    move(Spec("ZZZ,ZZ9.99-"), D("-1234.5")), move(Spec("ZZZ,ZZ9.99-"), D("1234.5")),
    move(Spec("ZZZ,ZZ9.99-"), D(0)), move(Spec("ZZZ,ZZ9.99-"), D("0.05")),
    move(Spec("$$$,$$9.99"), D("1234.5")), move(Spec("$$$,$$9.99"), D(0)),
    move(Spec("$$$,$$9.99"), D(5)), move(Spec("$$$,$$$.$$"), D(0)),
    move(Spec("--9"), D(-5)), move(Spec("--9"), D(5)), move(Spec("--9"), D(0)),
    move(Spec("+++9"), D(12)), move(Spec("+++9"), D(-12)), move(Spec("+++9"), D(0)),
    move(Spec("***9.99"), D("12.34")), move(Spec("***9.99"), D(0)),
    move(Spec("***.**"), D(0)), move(Spec("**,**9.99"), D("1.5")),
    move(Spec("ZZ9.99CR"), D("-1.5")), move(Spec("ZZ9.99CR"), D("1.5")),
    move(Spec("ZZ9.99DB"), D("-1.5")), move(Spec("99/99/99"), D(123199)),
    move(Spec("ZZZ.ZZ"), D(0)), move(Spec("ZZZ.ZZ"), D("0.05")), move(Spec("99B99"), D(1234)),
    move(Spec("9990"), D(12)), move(Spec("ZZ9", blank_when_zero=True), D(0)),
    move(Spec("$ZZ9"), D(5)), move(Spec("-ZZ9"), D(-5)), move(Spec("$ZZ9"), D(1234)),
    move(Spec("+ZZ9"), D(-12)), move(Spec("+ZZ9"), D(12)), move(Spec("$ZZ9-"), D(-7)),
    move(Spec("Z(4)9.99+"), D(1)),
    move(Spec("ZZ9"), ZEROS), move(Spec("ZZ9.99-"), D(-1234)),
    move(Spec("$$,$$9.99-"), D("-12.5")),
    # field to field
    move_from(Spec("S9(3)V99"), D("-1.5"), Spec("ZZ9.99-")),
    move_from(S3, D("-0.001"), Spec("ZZ9.99-")),
    move_from(Spec("S9(5)", "COMP-3"), D(-12345), Spec("9(3)")),
    move_from(Spec("X(7)"), " -12.5 ", Spec("9(3)V9")),
    move_from(Spec("X(3)"), "1A2", Spec("9(3)")),
    move_from(Spec("X(5)"), "00123", Spec("S9(5)", "COMP")),
    move_from(S3, D(-12), Spec("X(5)")), move_from(Spec("9(4)", "COMP"), D(1234), Spec("X(6)")),
    move_from(Spec("9(3)"), D(123), Spec("X(2)")),
    move_from(Spec("ZZ9.99-"), D("-1.5"), Spec("S9(3)V99")),
    move_from(Spec("X(6)"), "ABC", Spec("ZZ9")),
    move_from(Spec("S9(4)V9", "COMP-3"), D("-12.3"), Spec("S9(2)V99", "COMP")),
    move_from(Spec("999PP"), D(12345), Spec("9(6)")),
    # COMPUTE: truncation, ROUNDED, unsigned receivers, high-order truncation without SIZE ERROR
    computes(Spec("9(3)V99"), "10 / 3"), computes(Spec("9(3)V99"), "2 / 3", rounded=True),
    computes(Spec("9(3)"), "10 / 4"), computes(Spec("9(3)"), "10 / 4", rounded=True),
    computes(S3, "-7 / 2", rounded=True), computes(S3, "-7 / 2"),
    computes(Spec("S9(3)V9"), "-0.25", rounded=True), computes(S3, "1000 + 234"),
    computes(Spec("9(3)"), "5 - 10"), computes(S3, "0.001 - 0.002"),
    computes(Spec("S9(2)V9", "COMP-3"), "12.345 * 2", rounded=True),
    computes(Spec("S9(4)", "COMP"), "99 * 99"), computes(Spec("9(4)", "COMP"), "99 * 999"),
    computes(Spec("S9(4)", "COMP-5"), "30000 + 2000"), computes(Spec("9(4)"), "2 ** 10"),
    computes(Spec("99V9"), "(1 + 2) * 3.5"), computes(Spec("ZZ9.99-"), "12.345 * -2"),
    computes(Spec("S9(5)V99", "COMP-3"), "1 / 3 * 3"),
    # ON SIZE ERROR
    computes(Spec("9(3)"), "999 + 1", size_error=D(5)),
    computes(Spec("9(3)"), "998 + 1", size_error=D(5)),
    computes(Spec("S9(3)V99"), "999.996", rounded=True, size_error=D(1)),
    computes(Spec("9(3)V99"), "999.999", size_error=D(1)),
    computes(Spec("9(2)"), "10 / 0", size_error=D(7)),
    computes(Spec("S9(4)", "COMP"), "9999 + 1", size_error=D(7)),
    computes(Spec("S9(4)", "COMP-5"), "30000 + 2000", size_error=D(7)),
    computes(Spec("S9(4)", "COMP-5"), "30000 + 3000", size_error=D(7)),
    computes(Spec("S9(5)", "COMP-3"), "99999 + 1", size_error=D(7)),
    computes(Spec("S9(3)"), "-999 - 1", size_error=D(-1)),
]


@custom("REDEFINES: digits written through PIC X, read through the numeric item",
        ["05 N PIC 9(4).", "05 NX REDEFINES N PIC X(4).", "05 P PIC S9(5) COMP-3."],
        ["MOVE '1234' TO NX", "MOVE N TO P"], 7)
def _redefines(buffer: bytearray) -> str:
    number = NumericField(buffer, 0, "9(4)")
    AlphanumericField(buffer, 0, "X(4)").set("1234")
    NumericField(buffer, 4, "S9(5)", "COMP-3").set(number)
    return "-"


@custom("REDEFINES: an overpunched sign written as text",
        ["05 N PIC S9(3).", "05 NX REDEFINES N PIC X(3).", "05 M PIC S9(5)."],
        ["MOVE '12s' TO NX", "MOVE N TO M"], 8)
def _overpunch(buffer: bytearray) -> str:
    AlphanumericField(buffer, 0, "X(3)").set("12s")
    NumericField(buffer, 3, "S9(5)").set(NumericField(buffer, 0, "S9(3)"))
    return "-"


@custom("REDEFINES: COMP-3 seen through PIC X, moved to PIC X",
        ["05 N PIC S9(5) COMP-3.", "05 NX REDEFINES N PIC X(3).", "05 Y PIC X(4)."],
        ["MOVE -12345 TO N", "MOVE NX TO Y"], 7)
def _packed_text(buffer: bytearray) -> str:
    NumericField(buffer, 0, "S9(5)", "COMP-3").set(-12345)
    AlphanumericField(buffer, 3, "X(4)").set(AlphanumericField(buffer, 0, "X(3)"))
    return "-"


GROUP_DECL = ["05 G1.", "  10 A PIC X(3).", "  10 B PIC 9(3).", "  10 K PIC S9(3) COMP-3.",
              "05 G2 PIC X(10).", "05 N PIC 9(4)."]


def _group_items(buffer: bytearray) -> tuple[Group, AlphanumericField, NumericField,
                                             NumericField, AlphanumericField, NumericField]:
    return (Group(buffer, 0, 8), AlphanumericField(buffer, 0, "X(3)"),
            NumericField(buffer, 3, "9(3)"), NumericField(buffer, 6, "S9(3)", "COMP-3"),
            AlphanumericField(buffer, 8, "X(10)"), NumericField(buffer, 18, "9(4)"))


@custom("group MOVEs: group to PIC X (padded), group to numeric (bytes)", GROUP_DECL,
        ["MOVE 'AB' TO A", "MOVE 12 TO B", "MOVE -5 TO K", "MOVE G1 TO G2", "MOVE G1 TO N"], 22)
def _group_move(buffer: bytearray) -> str:
    g1, a, b, c, g2, n = _group_items(buffer)
    a.set("AB")
    b.set(12)
    c.set(-5)
    g2.set(g1)
    n.set(g1)
    return "-"


@custom("group MOVEs: text and a number into a group", GROUP_DECL,
        ["MOVE SPACES TO G2", "MOVE 'XYZ' TO G2", "MOVE G2 TO G1", "MOVE 123 TO N",
         "MOVE N TO G2"], 22)
def _group_receive(buffer: bytearray) -> str:
    g1, _, _, _, g2, n = _group_items(buffer)
    g2.set(SPACES)
    g2.set("XYZ")
    g1.set(g2)
    n.set(123)
    g2.set(n)
    return "-"


@custom("reference modification", ["05 R PIC X(8)."],
        ["MOVE 'ABCDEFGH' TO R", "MOVE 'xy' TO R(3:2)", "MOVE 'Z' TO R(8:)",
         "MOVE R(2:3) TO R(5:3)"], 8)
def _refmod(buffer: bytearray) -> str:
    r = AlphanumericField(buffer, 0, "X(8)")
    r.set("ABCDEFGH")
    r[3:2].set("xy")
    r[8:].set("Z")
    r[5:3].set(r[2:3])
    return "-"


@custom("OCCURS over COMP-3", ["05 T PIC S9(3) COMP-3 OCCURS 3."],
        ["MOVE 7 TO T(1)", "MOVE -1 TO T(2)", "MOVE 5 TO T(3)", "ADD T(3) TO T(1)"], 6)
def _occurs(buffer: bytearray) -> str:
    table = Table(0, 3, 2, lambda at: NumericField(buffer, at, "S9(3)", "COMP-3"))
    table[1].set(7)
    table[2].set(-1)
    table[3].set(5)
    add(table[1], table[3], on_size_error=False)
    return "-"


@custom("level-88: SET TO TRUE, VALUE THRU", ["05 ST PIC X(2).", "  88 OK VALUE 'OK' 'GO'.",
                                             "05 N PIC 9(2).", "  88 MID VALUE 10 THRU 20."],
        ["SET OK TO TRUE", "MOVE 15 TO N",
         "IF MID MOVE 'Y' TO HX-FLAG ELSE MOVE 'N' TO HX-FLAG END-IF"], 4)
def _conditions(buffer: bytearray) -> str:
    status = AlphanumericField(buffer, 0, "X(2)")
    Condition(status, ["OK", "GO"]).set_true()
    number = NumericField(buffer, 2, "9(2)")
    number.set(15)
    return "Y" if Condition(number, ranges=[(10, 20)]).is_true() else "N"


@custom("ADD with ON SIZE ERROR", ["05 N PIC 9(2)."],
        ["MOVE 97 TO N", "ADD 5 TO N ON SIZE ERROR MOVE 'Y' TO HX-FLAG",
         "NOT ON SIZE ERROR MOVE 'N' TO HX-FLAG END-ADD"], 2)
def _add_size(buffer: bytearray) -> str:
    n = NumericField(buffer, 0, "9(2)")
    n.set(97)
    return "Y" if add(n, 5) else "N"


CASES += [_redefines, _overpunch, _packed_text, _group_move, _group_receive, _refmod, _occurs,
          _conditions, _add_size]
for _number, _case in enumerate(CASES, 1):
    _case.name = f"C{_number:03d}"


def _rename(line: str, number: str) -> str:
    """Give a case's data names the case number (R -> R001), in COBOL text."""
    words = {"R", "S", "N", "NX", "P", "M", "Y", "G1", "G2", "A", "B", "K", "T", "ST", "OK",
             "MID"}
    out = []
    for token in line.replace("(", " ( ").replace(")", " ) ").split(" "):
        stripped = token.rstrip(".")
        out.append(token.replace(stripped, stripped + number, 1) if stripped in words else token)
    return " ".join(out).replace(" ( ", "(").replace(" ) ", ")").replace(" )", ")")


def program() -> str:
    lines = ["IDENTIFICATION DIVISION.", "PROGRAM-ID. RTORACLE.", "DATA DIVISION.",
             "WORKING-STORAGE SECTION.", "01 HX-IN PIC X(100).", "01 HX-OUT PIC X(200).",
             "01 HX-LEN PIC 9(4) COMP.", "01 HX-I PIC 9(4) COMP.", "01 HX-B PIC 9(4) COMP.",
             "01 HX-H PIC 9(4) COMP.", "01 HX-L PIC 9(4) COMP.",
             "01 HX-DIGITS PIC X(16) VALUE '0123456789ABCDEF'.", "01 HX-CASE PIC X(4).",
             "01 HX-FLAG PIC X."]
    for case in CASES:
        number = case.name[1:]
        lines.append(f"01 {case.name}.")
        lines += ["  " + _rename(line, number) for line in case.decl]
    lines += ["PROCEDURE DIVISION.", "MAIN-PARA."]
    for case in CASES:
        number = case.name[1:]
        lines.append("    MOVE '-' TO HX-FLAG")
        lines += ["    " + _rename(line, number) for line in case.proc]
        lines += [f"    MOVE '{case.name}' TO HX-CASE",
                  f"    MOVE LENGTH OF {case.name} TO HX-LEN",
                  f"    MOVE {case.name} TO HX-IN", "    PERFORM HEX-IT"]
    lines += ["    STOP RUN.", "HEX-IT.",
              "    PERFORM VARYING HX-I FROM 1 BY 1 UNTIL HX-I > HX-LEN",
              "      COMPUTE HX-B = FUNCTION ORD(HX-IN(HX-I:1)) - 1",
              "      DIVIDE HX-B BY 16 GIVING HX-H REMAINDER HX-L",
              "      MOVE HX-DIGITS(HX-H + 1:1) TO HX-OUT(HX-I * 2 - 1:1)",
              "      MOVE HX-DIGITS(HX-L + 1:1) TO HX-OUT(HX-I * 2:1)",
              "    END-PERFORM",
              "    DISPLAY HX-CASE ' ' HX-FLAG ' ' HX-OUT(1:HX-LEN * 2)."]
    text = []
    for line in lines:
        source = " " * 7 + line
        assert len(source) <= 72, source
        text.append(source)
    return "\n".join(text) + "\n"


def runtime_line(case: Case) -> str:
    buffer = bytearray(b"\x00" * case.length)
    flag = case.run(buffer)
    return f"{case.name} {flag} {buffer.hex().upper()}"


COBC = require_tool("cobc")


@pytest.fixture(scope="module")
def cobol_output(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    if COBC is None:
        pytest.skip("cobc (GnuCOBOL) is not installed")
    folder: Path = tmp_path_factory.mktemp("runtime_oracle")
    (folder / "rtoracle.cob").write_text(program())
    build = subprocess.run([COBC, "-x", "-o", "rtoracle", "rtoracle.cob"], cwd=folder,
                           capture_output=True, text=True, timeout=120)
    assert build.returncode == 0, build.stderr
    run = subprocess.run([str(folder / "rtoracle")], cwd=folder, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return {line[:4]: line.rstrip() for line in run.stdout.splitlines() if line.strip()}


def _show(line: str) -> str:
    data = bytes.fromhex(line.split(" ")[-1]) if line.count(" ") == 2 else b""
    return f"{line}  {data!r}"


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.name}:{case.title[:60]}")
def test_oracle(case: Case, cobol_output: dict[str, str]) -> None:
    expected = cobol_output[case.name]
    got = runtime_line(case)
    assert got == expected, (f"{case.title}\n  cobc:    {_show(expected)}\n"
                             f"  runtime: {_show(got)}")


def test_oracle_has_enough_cases() -> None:
    assert len(CASES) >= 60


# -- plain unit tests of the API --------------------------------------------------------------


def test_numeric_get_set_round_trip_and_shared_bytes() -> None:
    record = bytearray(b"0" * 10)
    amount = NumericField(record, 0, "S9(5)V99")
    amount.set(D("-123.456"))
    assert amount.get() == D("-123.45")
    assert record[:7] == b"001234u"
    text = AlphanumericField(record, 0, "X(7)")  # REDEFINES: the same bytes
    assert text.get() == "001234u"
    text.set("0000100")
    assert amount.get() == D("1.00")


def test_negative_zero_is_kept_by_move_and_read_as_signed_zero() -> None:
    record = bytearray(3)
    number = NumericField(record, 0, "S9(3)")
    number.set(D("-0.4"))
    assert record == b"00p"
    assert number.get().is_signed() and number.get() == 0


def test_binary_sizes_and_byte_orders() -> None:
    record = bytearray(16)
    assert NumericField(record, 0, "9(2)", "COMP").length == 1
    assert NumericField(record, 0, "S9(4)", "BINARY").length == 2
    assert NumericField(record, 0, "S9(9)", "COMP-4").length == 4
    assert NumericField(record, 0, "S9(10)", "COMP").length == 8
    big = NumericField(record, 0, "S9(4)", "COMP")
    big.set(258)
    assert record[:2] == b"\x01\x02"
    native = NumericField(record, 2, "S9(4)", "COMP-5")
    native.set(258)
    assert native.get() == 258
    assert NumericField(record, 4, "9(3)", "COMP-3").length == 2


def test_alphanumeric_to_numeric_reads_a_number_or_gives_zero() -> None:
    record = bytearray(4)
    number = NumericField(record, 0, "S9(3)V9")
    number.set("  -12.5 ")
    assert number.get() == D("-12.5")
    number.set("1,234")
    assert number.get() == D("234.0")
    number.set("12x")
    assert number.get() == 0


def test_edited_field_reads_back_its_number() -> None:
    record = bytearray(11)
    edited = EditedField(record, 0, "ZZZ,ZZ9.99-")
    edited.set(D("-1234.5"))
    assert edited.get() == "  1,234.50-"
    assert edited.value() == D("-1234.50")


def test_unsupported_constructs_raise_typed_errors() -> None:
    record = bytearray(20)
    with pytest.raises(UnsupportedError, match="COMP-1"):
        NumericField(record, 0, "S9(4)", "COMP-1")
    with pytest.raises(UnsupportedError, match="SPACES"):
        NumericField(record, 0, "9(3)").set(SPACES)
    with pytest.raises(UnsupportedError, match="SPACES"):
        EditedField(record, 0, "ZZ9").set(SPACES)
    with pytest.raises(UnsupportedError, match="non-integer"):
        AlphanumericField(record, 0, "X(5)").set(D("1.5"))
    with pytest.raises(UnsupportedError, match="not a numeric-edited picture"):
        EditedField(record, 0, "+9.99E+99")
    with pytest.raises(UnsupportedError, match="bool"):
        NumericField(record, 0, "9(3)").set(True)
    with pytest.raises(UnsupportedError, match="Latin-1"):
        AlphanumericField(record, 0, "X(3)").set("€")
    with pytest.raises(UnsupportedError, match="USAGE COMP"):
        make_field(record, 0, "X(3)", "COMP")
    assert issubclass(UnsupportedError, ModernizeError)
    assert issubclass(BoundsError, ModernizeError)


def test_bounds_are_checked() -> None:
    record = bytearray(6)
    with pytest.raises(BoundsError):
        AlphanumericField(record, 4, "X(3)")
    text = AlphanumericField(record, 0, "X(6)")
    with pytest.raises(BoundsError):
        text[5:3]
    with pytest.raises(BoundsError):
        text[0:1]
    table = Table(0, 3, 2, lambda at: NumericField(record, at, "99"))
    with pytest.raises(BoundsError):
        table[4]
    for index, element in enumerate(table, 1):
        element.set(index * 11)
    assert record == b"112233" and len(table) == 3


def test_conditions() -> None:
    record = bytearray(b"A   07")
    status = AlphanumericField(record, 0, "X(4)")
    done = Condition(status, ["A", "B"])
    blank = Condition(status, [SPACES])
    assert done.is_true() and not blank
    blank.set_true()
    assert blank and record[:4] == b"    "
    code = NumericField(record, 4, "99")
    low = Condition(code, [0], ranges=[(1, 9)])
    assert low.is_true()
    code.set(10)
    assert not low
    letters = Condition(status, ranges=[("A", "M")])
    letters.set_true()
    assert status.get() == "A   " and letters
    with pytest.raises(UnsupportedError):
        Condition(code, ["X"]).is_true()


def test_figuratives_and_group_moves() -> None:
    record = bytearray(8)
    group = Group(record, 0, 8)
    group.set(ALL("AB"))
    assert group.get() == "ABABABAB"
    group.set(HIGH_VALUES)
    assert record == b"\xff" * 8
    group.set(LOW_VALUES)
    group.set(QUOTES)
    assert record == b'"' * 8
    NumericField(record, 0, "9(3)").set(ZEROS)
    assert record[:3] == b"000"
    with pytest.raises(ValueError):
        ALL("")


def test_compute_rounding_truncation_and_size_error() -> None:
    record = bytearray(8)
    small = NumericField(record, 0, "S9(2)V9")
    assert not compute(small, lambda: D(2) / D(3), rounded=True)
    assert small.get() == D("0.7")
    assert not compute(small, D("-2.25"), rounded=True)
    assert small.get() == D("-2.3")
    assert compute(small, lambda: D(1) / D(0))
    assert compute(small, lambda: D(0) / D(0))
    assert small.get() == D("-2.3")
    assert compute(small, 123)
    assert small.get() == D("-2.3")
    assert compute(small, 123, on_size_error=False)
    assert small.get() == D("23.0")
    assert not subtract(small, 3, D("0.5"))
    assert small.get() == D("19.5")
    assert CONTEXT.prec >= 38
    assert not add(small, small)
    assert small.get() == D("39.0")
    with pytest.raises(UnsupportedError):
        compute(small, "1")  # type: ignore[arg-type]



_ARITHMETIC_PICTURES = [("S9(4)", "COMP-3"), ("9(3)V99", "DISPLAY"), ("S9(7)V99", "COMP-3"),
                        ("S9(4)", "COMP"), ("S9(4)", "COMP-5"), ("99PP", "DISPLAY"),
                        ("SVP(2)99", "DISPLAY"), ("S9(18)V9(18)", "COMP-3"), ("9", "COMP")]


def _decimal_add(target: NumericField, values: list, sign: int, rounded: bool,
                 on_size_error: bool) -> bool:
    """ADD/SUBTRACT the way COMPUTE works it out: in decimals (the reference for the integer
    path)."""
    total = target.get()
    for value in values:
        operand = value.get() if isinstance(value, NumericField) else D(value)
        total = CONTEXT.add(total, operand) if sign > 0 else CONTEXT.subtract(total, operand)
    return compute(target, total, rounded=rounded, on_size_error=on_size_error)


def test_add_and_subtract_in_integers_agree_with_the_decimal_rules() -> None:
    """ADD/SUBTRACT (and ``+=``/``-=``) of ints and numeric items are worked out in scaled
    integers; every receiver, sender, sign, ROUNDED and SIZE ERROR combination gives the
    bytes and the size-error answer that the decimal COMPUTE rules give."""
    import random

    rng = random.Random(1985)
    checked = 0
    for _ in range(3000):
        pic, usage = rng.choice(_ARITHMETIC_PICTURES)
        left, right = bytearray(20), bytearray(20)
        fast = NumericField(left, 0, pic, usage)
        slow = NumericField(right, 0, pic, usage)
        # small magnitudes too: results that truncate to zero (a positive zero), or round up
        size = rng.choice((10**6, 10**6, 99))
        start = D(rng.randint(-size, size)).scaleb(-rng.randint(0, 4))
        compute(fast, start, on_size_error=False)
        compute(slow, start, on_size_error=False)
        values: list = []
        for _ in range(rng.randint(1, 3)):
            if rng.random() < 0.4:
                values.append(rng.randint(-10**5, 10**5))
            else:
                other_pic, other_usage = rng.choice(_ARITHMETIC_PICTURES)
                item = NumericField(bytearray(20), 0, other_pic, other_usage)
                size = rng.choice((10**7, 99))
                compute(item, D(rng.randint(-size, size)).scaleb(-rng.randint(0, 5)),
                        on_size_error=False)
                values.append(item)
        sign = rng.choice((1, -1))
        rounded, on_size_error = rng.random() < 0.5, rng.random() < 0.5
        augmented = NumericField(bytearray(left), 0, pic, usage)  # for the += / -= form
        verb = add if sign > 0 else subtract
        expected = _decimal_add(slow, values, sign, rounded, on_size_error)
        assert verb(fast, *values, rounded=rounded, on_size_error=on_size_error) == expected
        assert bytes(left) == bytes(right), (pic, usage, start, values, sign, rounded)
        if not rounded and not on_size_error and len(values) == 1:
            if sign > 0:
                augmented += values[0]
            else:
                augmented -= values[0]
            assert bytes(augmented.buffer) == bytes(right), (pic, usage, start, values, sign)
            checked += 1
    assert checked > 100  # the += / -= form was exercised too


def test_augmented_assignment_is_add_and_subtract() -> None:
    record = bytearray(12)
    counter = NumericField(record, 0, "S9(3)", "COMP-3")
    amount = NumericField(record, 2, "S9(3)V99", "DISPLAY")
    amount.set(D("12.34"))
    counter += 998
    counter += 5  # high-order digit dropped: 1003 -> 003
    assert counter.get() == 3
    counter -= amount  # 3 - 12.34 = -9.34, decimals dropped toward zero
    assert counter.get() == -9
    amount += D("0.005")  # a Decimal operand takes the decimal path: 12.345 -> 12.34
    assert amount.get() == D("12.34")
    amount -= counter
    assert amount.get() == D("21.34")


def test_divide_remainder_of_integers_agrees_with_the_decimal_rules() -> None:
    """DIVIDE ... GIVING q REMAINDER r of integers (ints, or Decimals without decimals, as
    a scale-0 item reads) into an integer quotient is worked out in integers; the same
    division with the dividend written with a decimal place (so the decimal path runs)
    gives the same bytes and the same size-error answer."""
    import random

    from modernize.runtime.program import divide_remainder

    rng = random.Random(2024)
    quotients = [("S9(3)", "COMP-3"), ("9(2)", "DISPLAY"), ("S9(4)", "COMP"), ("S9(9)", "COMP-5")]
    remainders = [("S9(3)", "DISPLAY"), ("S9(3)V99", "COMP-3"), ("9(2)", "COMP")]
    for _ in range(2000):
        q_pic, r_pic = rng.choice(quotients), rng.choice(remainders)
        dividend = rng.choice((rng.randint(-99999, 99999), rng.randint(-50, 50)))
        divisor = rng.choice((rng.randint(-400, 400), rng.choice((4, 100, 400, -7))))
        on_size_error = rng.random() < 0.5
        fast_buffer, slow_buffer = bytearray(16), bytearray(16)
        fast = (NumericField(fast_buffer, 0, *q_pic), NumericField(fast_buffer, 8, *r_pic))
        slow = (NumericField(slow_buffer, 0, *q_pic), NumericField(slow_buffer, 8, *r_pic))
        as_read = D(dividend) if rng.random() < 0.5 else dividend  # a scale-0 item's value
        written = D(dividend).quantize(D("0.1"))  # the same number, with a decimal place
        expected = divide_remainder(*slow, written, divisor, on_size_error=on_size_error)
        assert divide_remainder(*fast, as_read, divisor,
                                on_size_error=on_size_error) == expected
        assert fast_buffer == slow_buffer, (q_pic, r_pic, dividend, divisor, on_size_error)


BIGNUM = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. BIGNUM.
      * VALUES OF MORE THAN 28 DIGITS: READ, MOVED, COMPARED, DISPLAYED.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  A          PIC S9(20)V9(11) COMP-3.
       01  B          PIC S9(20)V9(11) COMP-3.
       01  C          PIC 9(31).
       01  D          PIC 9(31).
       01  E          PIC S9(25)V9(6).
       01  F          PIC Z(19)9.9(11)-.
       PROCEDURE DIVISION.
           MOVE 12345678901234567890.12345678901 TO A
           MOVE 12345678901234567890.12345678902 TO B
           DISPLAY A
           IF A < B
               DISPLAY 'A LESS'
           ELSE
               DISPLAY 'A NOT LESS'
           END-IF
           MOVE 1234567890123456789012345678901 TO C
           MOVE C TO D
           DISPLAY D
           ADD 1 TO D
           DISPLAY D
           MOVE A TO E
           DISPLAY E
           MOVE B TO F
           DISPLAY F
           IF C = D
               DISPLAY 'C = D'
           ELSE
               DISPLAY 'C NOT = D'
           END-IF
           IF C + 1 = D
               DISPLAY 'C + 1 = D'
           ELSE
               DISPLAY 'C + 1 NOT = D'
           END-IF
           STOP RUN.
"""


@pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")
def test_values_of_more_than_28_digits_keep_every_digit(tmp_path: Path) -> None:
    """GnuCOBOL holds up to 38 digits; Python's default decimal context keeps 28, so every
    decimal step of the runtime (reading an item, comparing, DISPLAY, editing) must work in
    a context of its own, or the low-order digits are rounded away."""
    from probe_support import equivalent_probe

    probe = equivalent_probe(tmp_path, "BIGNUM", BIGNUM)
    assert probe.lines() == [
        "+12345678901234567890.12345678901", "A LESS", "1234567890123456789012345678901",
        "1234567890123456789012345678902", "+0000012345678901234567890.123456",
        "12345678901234567890.12345678902 ", "C NOT = D", "C + 1 = D"]


DIVZERO = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. DIVZERO.
      * A DIVISION BY ZERO IN A CONDITION DOES NOT STOP GNUCOBOL.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01 A PIC S9(3) VALUE 10.
       01 N PIC S9(3) VALUE -10.
       01 B PIC 9(3) VALUE 0.
       01 Z PIC 9(3) VALUE 0.
       01 C PIC 9(3) VALUE 5.
       PROCEDURE DIVISION.
           IF A / B > 999999999 DISPLAY 'T1' ELSE DISPLAY 'F1' END-IF
           IF N / B > 1 DISPLAY 'T2' ELSE DISPLAY 'F2' END-IF
           IF N / B < 1 DISPLAY 'T3' ELSE DISPLAY 'F3' END-IF
           IF Z / B = 0 DISPLAY 'T4' ELSE DISPLAY 'F4' END-IF
           IF A / B + 1 > 1 DISPLAY 'T5' ELSE DISPLAY 'F5' END-IF
           IF A / B = A / B DISPLAY 'T6' ELSE DISPLAY 'F6' END-IF
           IF C > A / B DISPLAY 'T7' ELSE DISPLAY 'F7' END-IF
           IF A / B NOT = 0 DISPLAY 'T9' ELSE DISPLAY 'F9' END-IF
           IF A / B < 0 DISPLAY 'T11' ELSE DISPLAY 'F11' END-IF
           IF A * 2 / B > 1 DISPLAY 'T13' ELSE DISPLAY 'F13' END-IF
           DISPLAY 'END'
           STOP RUN.
"""


@pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")
def test_a_division_by_zero_in_a_condition_goes_on_as_gnucobol_does(tmp_path: Path) -> None:
    """GnuCOBOL does not stop at ``IF A / B > 1`` with B zero: the quotient compares as a
    number beyond every other, signed as A (``0 / 0`` as zero); the translation neither
    stops nor answers otherwise."""
    from probe_support import equivalent_probe

    probe = equivalent_probe(tmp_path, "DIVZERO", DIVZERO)
    assert probe.lines() == ["T1", "F2", "T3", "T4", "T5", "T6", "F7", "T9", "F11", "T13",
                             "END"]


INTCOMP = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. INTCOMP.
      * COMPUTE OF INTEGERS ONLY, INTO EVERY KIND OF RECEIVER.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01 A PIC S9(4) VALUE 1234.
       01 B PIC 9(3) COMP-3 VALUE 999.
       01 C PIC S9(4) COMP VALUE -77.
       01 X PIC S9(9) COMP-5 VALUE 0.
       01 R1 PIC 9(3).
       01 R2 PIC S9(3)V99 COMP-3.
       01 R3 PIC 9(2)PP.
       01 R4 PIC S9(4) COMP-5.
       01 R5 PIC ZZ,ZZ9-.
       01 R6 PIC S9(5).
       PROCEDURE DIVISION.
           COMPUTE R1 = A + B
           DISPLAY R1
           COMPUTE R1 = A + B
               ON SIZE ERROR DISPLAY 'SIZE R1'
           END-COMPUTE
           DISPLAY R1
           COMPUTE R1 = C * 2
           DISPLAY R1
           COMPUTE R2 = C - B
           DISPLAY R2
           COMPUTE R3 ROUNDED = A * 3
           MOVE R3 TO R6
           DISPLAY R6
           COMPUTE R3 = A * 3
           MOVE R3 TO R6
           DISPLAY R6
           COMPUTE R4 = B * B * B
           DISPLAY R4
           COMPUTE R5 = C * -(A - 1)
           DISPLAY R5
           COMPUTE X = (A + C) * (B - 1000)
           DISPLAY X
           COMPUTE R6 = A - A
               NOT ON SIZE ERROR DISPLAY 'FITS'
           END-COMPUTE
           DISPLAY R6
           STOP RUN.
"""


@pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")
def test_a_compute_of_integers_is_worked_out_in_ints(tmp_path: Path) -> None:
    """COMPUTE of items without decimals and integer literals (``+ - *``) is Python int
    arithmetic, without a lambda or a decimal context; truncation, ROUNDED to P positions,
    SIZE ERROR, unsigned, COMP-5 and edited receivers store as GnuCOBOL stores."""
    from probe_support import equivalent_probe

    probe = equivalent_probe(tmp_path, "INTCOMP", INTCOMP)
    assert probe.lines() == ["233", "SIZE R1", "233", "154", "-076.00", "+03700", "+03700",
                             "+03831", "94,941 ", "-0000001157", "FITS", "+00000"]
    code = (tmp_path / "code" / "intcomp.py").read_text()
    assert "compute(self.r1, self.a.integer() + self.b.integer()," in code
    assert "lambda" not in code


INTGIVE = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. INTGIVE.
      * ADD, SUBTRACT, MULTIPLY AND DIVIDE ... GIVING OF INTEGERS.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01 A PIC S9(4) VALUE -1234.
       01 B PIC 9(3) COMP-3 VALUE 999.
       01 C PIC S9(4) COMP VALUE 77.
       01 Q PIC 9(3).
       01 S PIC S9(5).
       01 D PIC S9(3)V99.
       01 E PIC ZZ9-.
       PROCEDURE DIVISION.
           SUBTRACT 1 FROM A GIVING S
           DISPLAY S
           SUBTRACT A C FROM B GIVING Q
           DISPLAY Q
           ADD A B C GIVING S
           DISPLAY S
           ADD A TO B GIVING Q
               ON SIZE ERROR DISPLAY 'SIZE Q'
           END-ADD
           DISPLAY Q
           MULTIPLY C BY B GIVING Q
           DISPLAY Q
           MULTIPLY A BY 3 GIVING S
               NOT ON SIZE ERROR DISPLAY 'FITS'
           END-MULTIPLY
           DISPLAY S
           DIVIDE A BY 7 GIVING S
           DISPLAY S
           DIVIDE A BY -7 GIVING S
           DISPLAY S
           DIVIDE 400 INTO B GIVING S
           DISPLAY S
           DIVIDE A BY 4 GIVING Q
           DISPLAY Q
           DIVIDE A BY 7 GIVING D
           DISPLAY D
           DIVIDE A BY 7 GIVING S ROUNDED
           DISPLAY S
           DIVIDE A BY 100 GIVING E
           DISPLAY E
           DIVIDE B BY 0 GIVING S
               ON SIZE ERROR DISPLAY 'ZERO'
           END-DIVIDE
           DISPLAY S
           STOP RUN.
"""


@pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")
def test_arithmetic_giving_of_integers_is_worked_out_in_ints(tmp_path: Path) -> None:
    """ADD, SUBTRACT and MULTIPLY ... GIVING one receiver, of items without decimals and
    integer literals, and DIVIDE ... GIVING an item without decimals by an integer literal
    (not ROUNDED), are Python int arithmetic (the quotient truncated toward zero); the
    other DIVIDEs keep the decimal path. Every result, size error and sign as GnuCOBOL."""
    from probe_support import equivalent_probe

    probe = equivalent_probe(tmp_path, "INTGIVE", INTGIVE)
    assert probe.lines() == ["-01235", "156", "-00158", "235", "923", "FITS", "-03702",
                             "-00176", "+00176", "+00002", "308", "-176.28", "-00176", " 12-",
                             "ZERO", "-00176"]
    code = "".join((tmp_path / "code" / "intgive.py").read_text().split())  # no layout
    assert "compute(self.s,self.a.integer()-(1)," in code
    assert "compute(self.q,self.b.integer()-(self.a.integer()+self.c.integer()),rounded" in code
    assert "compute(self.s,self.a.integer()+self.b.integer()+self.c.integer()," in code
    assert "compute(self.q,self.c.integer()*self.b.integer()," in code
    assert "compute(self.s,quotient(self.a.integer(),-7)," in code
    assert "compute(self.s,quotient(self.b.integer(),400)," in code
    assert code.count("lambda") == 4  # the decimal, ROUNDED, edited and zero divisions


def test_a_quotient_in_integers_is_the_exact_quotient_truncated() -> None:
    import random
    from decimal import ROUND_DOWN, Decimal

    from modernize.runtime.arithmetic import quotient

    rng = random.Random(7)
    for _ in range(20000):
        dividend = rng.randint(-10**20, 10**20) // rng.choice([1, 10**10, 10**18])
        divisor = rng.choice([-1, 1]) * rng.randint(1, rng.choice([9, 10**4, 10**19]))
        exact = (Decimal(dividend) / Decimal(divisor)).quantize(Decimal(1), rounding=ROUND_DOWN)
        assert quotient(dividend, divisor) == int(exact), (dividend, divisor)


def test_the_usage_codecs_read_and_store_as_the_encodings_do() -> None:
    """Each USAGE has a codec of its own (``NumericField(...)`` makes that subclass); on
    random values, valid or not, it reads and stores the bytes that the general encodings
    of :mod:`modernize.runtime.encoding` give."""
    import random

    from modernize.runtime import encoding

    rng = random.Random(2026)
    pictures = [("9(6)", "DISPLAY", "trailing", False), ("S9(5)V99", "DISPLAY", "trailing", False),
                ("S9(4)", "DISPLAY", "leading", False), ("S9(4)", "DISPLAY", "trailing", True),
                ("S9(4)", "DISPLAY", "leading", True), ("S9(7)", "COMP-3", "trailing", False),
                ("9(6)", "COMP-3", "trailing", False), ("S9(4)", "COMP", "trailing", False),
                ("9(9)", "COMP", "trailing", False), ("S9(9)", "COMP-5", "trailing", False),
                ("9(4)", "COMP-5", "trailing", False), ("S9(18)V9(2)", "COMP-3", "trailing", False)]
    for _ in range(3000):
        picture, usage, sign, separate = rng.choice(pictures)
        item = NumericField(bytearray(16), 3, picture, usage, sign, separate)
        assert type(item).__name__ != "NumericField" and item.usage == usage
        native = usage == "COMP-5"
        if rng.random() < 0.3:  # any bytes at all: invalid digits, bad sign nibbles
            item.raw = bytes(rng.randrange(256) for _ in range(item.length))
        elif usage == "COMP-3":  # valid digits under any sign nibble, signed item or not
            nibbles = "".join(rng.choice("0123456789") for _ in range(2 * item.length - 1))
            item.raw = bytes.fromhex(nibbles + rng.choice("abcdef"))
        elif usage == "DISPLAY" and rng.random() < 0.5:  # digits, with or without a sign
            item.raw = bytes(rng.choice(b"0123456789" * 3 + b"+- pqy") for _ in range(item.length))
        data = item.raw
        if usage == "DISPLAY":
            expected = encoding.decode_display(data, item.signed, item.leading, item.separate)
        elif usage == "COMP-3":
            magnitude, negative = encoding.decode_packed(data)
            expected = (magnitude, negative and item.signed)
        else:
            number = encoding.decode_binary(data, item.signed, native)
            expected = (abs(number), number < 0)
        assert item._stored() == expected, (picture, usage, data)
        magnitude = rng.randrange(item.max_magnitude * 3 + 1)
        negative = rng.random() < 0.5
        item.store(magnitude, negative)
        negative = negative and item.signed
        if usage == "DISPLAY":
            stored = encoding.encode_display(magnitude % item.modulus, item.digits, negative,
                                             item.signed, item.leading, item.separate)
        elif usage == "COMP-3":
            stored = encoding.encode_packed(magnitude % item.modulus, item.digits, negative,
                                            item.signed)
        else:
            kept = magnitude if native else magnitude % item.modulus
            stored = encoding.encode_binary(-kept if negative else kept, item.length,
                                            item.signed, native)
        assert item.raw == stored, (picture, usage, magnitude, negative)


def test_the_edit_of_report_pictures_is_the_general_edit() -> None:
    """The common report pictures (``Z``, ``9``, separators, a point, a trailing sign) are
    edited by a shorter path, and those whose zero suppression stops at a 9 (``Z,ZZ9.99-``)
    by a template when the sender holds digits only; on random digits (spaces among them in
    half the cases, as a DISPLAY sender may hold), scales, signs and BLANK WHEN ZERO each
    gives the general edit's bytes."""
    import random

    from modernize.runtime.editing import _edit_any, _suppression_plan, edit_digits

    rng = random.Random(85)
    pictures = ["ZZZ,ZZ9.99-", "Z(14)9", "ZZZ,ZZ9", "ZZ9.99CR", "ZZ,ZZZ.ZZ+", "9(5).99DB",
                "ZZZZ", "Z,ZZZ.99", "ZZ9-", "99,999", "ZZ.ZZ", "Z9.9Z", "Z,ZZZ,ZZ9.99-",
                ",ZZ9.", "ZZ9.+", "9"]
    templated = {"ZZZ,ZZ9.99-", "Z(14)9", "ZZZ,ZZ9", "ZZ9.99CR", "9(5).99DB", "ZZ9-", "99,999",
                 "Z,ZZZ,ZZ9.99-", ",ZZ9.", "ZZ9.+", "9"}
    for comma in (False, True):
        for picture in pictures:
            if comma:
                picture = picture.translate(str.maketrans(".,", ",."))
            plan = _suppression_plan(picture, comma)
            assert plan is not None, picture
            written = picture.translate(str.maketrans(".,", ",.")) if comma else picture
            assert (plan[5] is not None) == (written in templated), picture
    assert _suppression_plan("$$$,$$9.99", False) is None
    assert _suppression_plan("ZZ9B99", False) is None
    shown = set()
    for _ in range(12000):
        comma = rng.random() < 0.2
        picture = rng.choice(pictures)
        if comma:
            picture = picture.translate(str.maketrans(".,", ",."))
        length = rng.randint(1, 14)
        alphabet = b"0000123456789 " if rng.random() < 0.5 else b"0000123456789"
        digits = bytes(rng.choice(alphabet) for _ in range(length))
        # a scale beyond the digits: a binary or packed sender's digits have no leading zeros
        scale = rng.randint(0, min(length, 4) if rng.random() < 0.8 else length + 6)
        negative, blank = rng.random() < 0.5, rng.random() < 0.2
        expected = _edit_any(digits, scale, negative, picture, blank, decimal_comma=comma)
        assert edit_digits(digits, scale, negative, picture, blank, decimal_comma=comma) == \
            expected, (picture, digits, scale, negative, blank, comma)
        shown.add(expected.strip() == b"")
    assert shown == {True, False}  # blanked and shown values were both compared


def test_a_condition_tests_its_values_as_a_set_in_the_native_order() -> None:
    """A level-88 test looks its values up in a set, except under a collating sequence
    (which may make two characters equal); values longer than the item match only when
    the rest is spaces; an integer item is read without a Decimal, other numbers with."""
    from modernize.runtime.collating import collating

    record = bytearray(b"AB 12345")
    code = AlphanumericField(record, 0, "X(2)")
    assert Condition(code, ["AB  "]).is_true()  # the rest is spaces: equal
    assert not Condition(code, ["ABC"]).is_true()
    assert Condition(code, ["A", "AB"]).is_true() and not Condition(code, ["A"]).is_true()
    count = NumericField(record, 3, "9(3)")
    assert Condition(count, [D("123.0")]).is_true()
    rate = NumericField(record, 5, "9V99")
    assert Condition(rate, [D("3.450")], ranges=[(1, 2)]).is_true()
    assert not Condition(rate, [D("3.45001")], ranges=[(1, 2)]).is_true()
    count.set(-5)  # unsigned: stored as 5
    assert Condition(count, [5]).is_true()

    class Folded:  # a sequence where A and B sort (and compare) alike
        def key(self, data: bytes) -> bytes:
            return data.replace(b"B", b"A")

    first = Condition(code, ["AA"])
    assert not first.is_true()
    with collating(Folded()):  # type: ignore[arg-type]
        assert first.is_true()
    assert not first.is_true()


def test_a_move_of_a_binary_or_packed_item_to_an_edited_item_edits_its_value() -> None:
    """A COMP, COMP-3 or COMP-5 sender gives an edited item its digits read in integers;
    the bytes are those of editing its value as a number (negative zero included)."""
    import random

    from modernize.runtime.editing import edit

    rng = random.Random(7)
    senders = [("S9(5)V99", "COMP-3"), ("9(7)", "COMP-3"), ("S9(4)", "COMP"),
               ("S9(9)", "COMP-5"), ("S9(3)V9", "COMP")]
    for _ in range(2000):
        picture, usage = rng.choice(senders)
        sender = NumericField(bytearray(8), 0, picture, usage)
        sender.store(rng.randrange(sender.max_magnitude + 1), rng.random() < 0.5)
        target_picture = rng.choice(["ZZZ,ZZ9.99-", "$$$,$$9.99CR", "-Z(6)9", "ZZZZ9.9+"])
        target = EditedField(bytearray(16), 0, target_picture)
        target.set(sender)
        value = sender.get()
        assert target.raw == edit(value, value.is_signed(), target_picture), \
            (picture, usage, value, target_picture)


def test_digits_moved_from_an_alphanumeric_item_take_the_short_path_to_the_same_number() -> None:
    """Text of digits only is read as an integer at once; a leading space (which the general
    reading skips) sends the same digits the long way, to the same number."""
    import random

    from modernize.runtime.fields import alphanumeric_to_number

    rng = random.Random(3)
    for _ in range(1000):
        digits = bytes(rng.choice(b"0123456789") for _ in range(rng.randint(1, 20)))
        integer_digits, scale = rng.randint(0, 12), rng.randint(0, 6)
        short = alphanumeric_to_number(digits, integer_digits, scale)
        long = alphanumeric_to_number(b" " + digits, integer_digits, scale)
        assert short == long and str(short[0]) == str(long[0]), (digits, integer_digits, scale)


def test_a_reference_modification_is_the_alphanumeric_item_of_its_bytes() -> None:
    """``item(start:length)`` is made without reading a picture, and is in every slot the
    ``PIC X(length)`` item over the same bytes."""
    record = bytearray(b"ACCT0042 OPEN")
    whole = NumericField(record, 4, "9(4)")
    for start, length in ((1, 4), (2, 1), (3, None)):
        view = whole.ref(start, length)
        size = length or 4 - start + 1
        made = AlphanumericField(record, 4 + start - 1, f"X({size})")
        assert type(view) is AlphanumericField
        assert [getattr(view, slot) for slot in ("buffer", "offset", "length", "picture",
                                                 "justified", "_symbols")] == \
            [getattr(made, slot) for slot in ("buffer", "offset", "length", "picture",
                                              "justified", "_symbols")]
        view.set("9")
        assert made.get() == "9".ljust(size)


def test_a_move_of_text_to_an_alphanumeric_item_pads_or_cuts_on_the_right() -> None:
    """MOVE of a literal or a PIC X item to a PIC X item (a shorter path than the general
    one): left-justified, space-padded or cut, the sender's bytes as they are, and an
    overlapping sender read before the receiver changes."""
    import random

    rng = random.Random(11)
    for _ in range(500):
        record = bytearray(rng.randrange(256) for _ in range(40))
        size, other = rng.randint(1, 15), rng.randint(1, 15)
        target = AlphanumericField(record, rng.randint(0, 20), f"X({size})")
        at = rng.randint(0, 20)
        sender = AlphanumericField(record, at, f"X({other})")
        expected = bytes(record[at:at + other])
        target.set(sender)
        assert target.raw == (expected + b" " * size)[:size]
        text = "".join(rng.choice("AZ 9é") for _ in range(other))
        target.set(text)
        assert target.raw == (text.encode("latin-1") + b" " * size)[:size]
    with pytest.raises(UnsupportedError):
        AlphanumericField(bytearray(4), 0, "X(4)").set("€")


def test_an_index_name_keeps_its_value_as_an_int_and_as_bytes() -> None:
    """An index name reads its value from an int it keeps beside its four bytes; on random
    SETs, steps, byte writes and C-int wraps it reads, shows and stores as a USAGE INDEX
    item does."""
    import random

    from modernize.runtime.display import display_bytes
    from modernize.runtime.fields import IndexField, IndexName
    from modernize.runtime.program import index

    rng = random.Random(9)
    name, item = IndexName(), IndexField(bytearray(4), 0)
    for _ in range(2000):
        step = rng.choice((1, -1, 7, 2**31, -(2**32) - 3, 12))
        action = rng.randrange(5)
        for target in (name, item):
            if action == 0:
                target.set(step)
            elif action == 1:
                target += step
            elif action == 2:
                target -= step
            elif action == 3:
                target.set(D(step) / 2)
            else:
                target.raw = (step % 2**32).to_bytes(4, "little")
        assert name.raw == item.raw and name.get() == item.get()
        assert name.integer() == item.integer() == index(name) == index(item)
        assert display_bytes(name) == display_bytes(item)


def test_is_numeric_reads_digits_and_signs_as_before_on_any_bytes() -> None:
    """IS NUMERIC answers from the bytes in one pass where it can; on random bytes (digits,
    overpunched and separate signs, bad nibbles) it answers as the nibble-by-nibble and
    byte-by-byte reading (kept here as the reference) does."""
    import random

    from modernize.runtime.compare import is_numeric
    from modernize.runtime.display import display_usage_digits

    def reference(item: AlphanumericField | NumericField | Group) -> bool:
        if isinstance(item, NumericField):
            if item.usage == "COMP-3":
                nibbles = [n for byte in item.raw for n in (byte >> 4, byte & 0x0F)]
                sign = nibbles.pop()
                valid = (0x0C, 0x0D) if item.signed else (0x0F,)
                return all(n <= 9 for n in nibbles) and sign in valid
            try:
                display_usage_digits(item)
            except UnsupportedError:
                return False
            return True
        return all(byte in b"0123456789" for byte in item.raw)

    rng = random.Random(12)
    makers = [lambda b: NumericField(b, 0, "S9(5)"), lambda b: NumericField(b, 0, "9(5)"),
              lambda b: NumericField(b, 0, "S9(4)", "DISPLAY", "leading", True),
              lambda b: NumericField(b, 0, "S9(4)", "DISPLAY", "trailing", True),
              lambda b: NumericField(b, 0, "S9(5)", "COMP-3"),
              lambda b: NumericField(b, 0, "9(5)", "COMP-3"),
              lambda b: AlphanumericField(b, 0, "X(5)"), lambda b: Group(b, 0, 5)]
    answers = set()
    for _ in range(4000):
        data = bytearray(rng.choice(b"0123456789+- pqyA\x0c\x1d\x9f\xff") for _ in range(5))
        if rng.random() < 0.3:
            data[:-1] = bytes(rng.choice(b"0123456789") for _ in range(4))
        if rng.random() < 0.2:
            data[:3] = bytes.fromhex("".join(rng.choice("0123456789") for _ in range(5))
                                     + rng.choice("cdf"))
        item = rng.choice(makers)(data)
        assert is_numeric(item) == reference(item), (item, bytes(data))
        answers.add(is_numeric(item))
    assert answers == {True, False}


# --------------------------------------------------------------------------- held numbers


_HELD_SHAPES = [(picture, usage, sign, separate)
                for picture in ("9(4)", "S9(4)", "S9(7)V99", "9(3)V9", "S9(9)", "S9V9(9)", "9")
                for usage in ("DISPLAY", "COMP-3", "COMP")
                for sign, separate in (("trailing", False), ("leading", True))
                if usage == "DISPLAY" or not separate]


@pytest.mark.parametrize(("picture", "usage", "sign", "separate"), _HELD_SHAPES)
def test_a_held_number_reads_and_stores_as_its_bytes_would(picture: str, usage: str,
                                                           sign: str, separate: bool) -> None:
    """A HeldNumeric keeps an int, a NumericField its bytes: after the same MOVEs, ADDs and
    COMPUTE stores, both give the same value and the same bytes (negative zero included)."""
    import random

    from modernize.runtime.arithmetic import compute
    from modernize.runtime.fields import HeldNumeric, NumericField

    rng = random.Random(f"{picture}{usage}{sign}")
    held = HeldNumeric(3, picture, usage, sign, separate)
    stored = NumericField(bytearray(24), 3, picture, usage, sign, separate)
    for _ in range(400):
        value = rng.choice([0, 1, -1, ZEROS, Decimal("-0"), rng.randint(-10**12, 10**12),
                            Decimal(rng.randint(-10**10, 10**10)).scaleb(-rng.randint(0, 5)),
                            "12.5", " -7"])
        step = rng.randrange(4)
        for item in (held, stored):
            if step == 0:
                item.set(value)
            elif step == 1:
                item += 3
            elif step == 2:
                compute(item, Decimal("-1.005") * 7, rounded=True, on_size_error=False)
            else:
                item.store(0, True)  # what a MOVE of a negative zero stores
        assert held.raw == stored.raw, (value, step)
        assert str(held.get()) == str(stored.get())
        assert held.integer() == stored.integer()
        if held.scale == 0:  # a MOVE to text gives the digits
            assert held.alphanumeric_value() == stored.alphanumeric_value()


def test_a_held_number_refuses_bytes_it_cannot_hold() -> None:
    """The translator never gives a held item bytes that are not a number; if it ever did,
    the run stops saying so rather than losing them."""
    from modernize.runtime.fields import HeldNumeric

    held = HeldNumeric(0, "9(4)")
    held.raw = b"0042"
    assert held.integer() == 42
    with pytest.raises(UnsupportedError, match="proof"):
        held.raw = b"12 4"
