"""STRING, UNSTRING and INSPECT (modernize.runtime.strings) against GnuCOBOL, byte by byte.

The oracle test writes one COBOL program holding every case of CASES: each case is a record
(``01 Cnnn``) of its items (targets, sources, pointers, counters). The program MOVEs each item
its starting value, runs the case's statement (a STRING or UNSTRING with ON OVERFLOW and NOT ON
OVERFLOW setting a flag) and prints the record as hex, so every byte the statement changed or
left alone is compared. It is built with plain ``cobc -x`` and run once; the same case on the
runtime must give the same bytes and the same flag. Plain unit tests of the API follow.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
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
from modernize.runtime.strings import (
    Delimited,
    Region,
    Replace,
    Tally,
    UnstringInto,
    inspect_converting,
    inspect_replacing,
    inspect_tallying,
    string_into,
    unstring,
)

Literal = Decimal | int | str | Figurative
DOTS = ALL(".")


@dataclass(frozen=True)
class Var:
    """One item of a case's record: an elementary item (``pic``) or a group of FILLERs
    (``parts``), with the value MOVEd to it before the statement."""

    name: str
    pic: str
    init: Literal
    usage: str = "DISPLAY"
    leading: bool = False
    separate: bool = False
    justified: bool = False
    parts: tuple[str, ...] = ()

    def cobol(self, name: str) -> list[str]:
        if self.parts:
            return [f"05 {name}."] + [f"  10 FILLER PIC {part}." for part in self.parts]
        text = f"05 {name} PIC {self.pic}"
        if self.usage != "DISPLAY":
            text += f" {self.usage}"
        if self.leading or self.separate:
            text += f" SIGN {'LEADING' if self.leading else 'TRAILING'}"
            text += " SEPARATE" if self.separate else ""
        if self.justified:
            text += " JUST RIGHT"
        return [text + "."]

    def make(self, buffer: bytearray, offset: int) -> Item:
        if self.parts:
            size = sum(make_field(bytearray(64), 0, part).length for part in self.parts)
            return Group(buffer, offset, size)
        return make_field(buffer, offset, self.pic, self.usage,
                          sign="leading" if self.leading else "trailing",
                          separate=self.separate, justified=self.justified)

    @property
    def length(self) -> int:
        return self.make(bytearray(64), 0).length


def X(name: str, size: int, init: Literal = DOTS, justified: bool = False) -> Var:  # noqa: N802
    return Var(name, f"X({size})", init, justified=justified)


def N(name: str, pic: str, init: Literal = 0, usage: str = "DISPLAY",  # noqa: N802
      leading: bool = False, separate: bool = False) -> Var:
    return Var(name, pic, init, usage, leading, separate)


def G(name: str, *parts: str, init: Literal = DOTS) -> Var:  # noqa: N802
    return Var(name, "", init, parts=parts)


class Items(dict):
    """The runtime items of a case by name, also as attributes (``v.T``)."""

    def __getattr__(self, name: str) -> Item:
        return self[name]


@dataclass
class Case:
    """Items, one COBOL statement (``{NAME}`` stands for an item) and the same on the runtime
    (``run`` returns the overflow flag, or None for INSPECT)."""

    title: str
    items: list[Var]
    statement: str
    run: Callable[[Items], bool | None]
    name: str = field(default="")

    @property
    def length(self) -> int:
        return sum(var.length for var in self.items)


def cobol_literal(value: Literal) -> str:
    if isinstance(value, Figurative):
        if value.name.startswith("ALL "):
            return f"ALL '{value.pattern.decode('latin-1')}'"
        return value.name
    if isinstance(value, str):
        return f"'{value}'"
    return str(value)


CASES: list[Case] = []


def case(title: str, items: list[Var], statement: str,
         run: Callable[[Items], bool | None]) -> None:
    CASES.append(Case(title, items, statement, run))


T10, P1 = X("T", 10), N("P", "99", 1)
ABC_10 = X("S", 10, "ABC")

# -- STRING -----------------------------------------------------------------------------------
case("STRING: BY SIZE and BY a literal, with POINTER", [T10, P1],
     "STRING 'ABC' DELIMITED BY SIZE 'XYZ' DELIMITED BY 'Y' INTO {T} WITH POINTER {P}",
     lambda v: string_into(v.T, [Delimited("ABC"), Delimited("XYZ", "Y")], pointer=v.P))
case("STRING: BY SPACE and BY an identifier", [X("T", 12), X("S", 8, "AB CD EF"),
                                              X("D", 2, "D ")],
     "STRING {S} DELIMITED BY SPACE {S} DELIMITED BY {D} INTO {T}",
     lambda v: string_into(v.T, [Delimited(v.S, SPACES), Delimited(v.S, v.D)]))
case("STRING: numeric DISPLAY senders give their bytes (overpunch, separate sign)",
     [X("T", 16), N("N", "S9(3)", -12), N("U", "9(3)", 45), N("V", "S9V9", Decimal("-2.5")),
      N("L", "S9(3)", -7, leading=True, separate=True)],
     "STRING {N} {U} {V} {L} DELIMITED BY SIZE INTO {T}",
     lambda v: string_into(v.T, [Delimited(v.N), Delimited(v.U), Delimited(v.V),
                                 Delimited(v.L)]))
case("STRING: numeric literals", [T10],
     "STRING 123 -12 DELIMITED BY SIZE INTO {T}",
     lambda v: string_into(v.T, [Delimited(123), Delimited(-12)]))
case("STRING: figurative senders are one character, ALL 'AB' is the literal", [T10],
     "STRING SPACE ALL 'AB' QUOTE ZERO HIGH-VALUE LOW-VALUE DELIMITED BY SIZE INTO {T}",
     lambda v: string_into(v.T, [Delimited(SPACES), Delimited(ALL("AB")), Delimited(QUOTES),
                                 Delimited(ZEROS), Delimited(HIGH_VALUES),
                                 Delimited(LOW_VALUES)]))
case("STRING: exact fit at the end, no overflow", [T10, N("P", "99", 8)],
     "STRING 'ABC' DELIMITED BY SIZE INTO {T} WITH POINTER {P}",
     lambda v: string_into(v.T, [Delimited("ABC")], pointer=v.P))
case("STRING: overflow part way, the pointer ends past the target", [T10, N("P", "99", 8)],
     "STRING 'ABCDEFG' DELIMITED BY SIZE INTO {T} WITH POINTER {P}",
     lambda v: string_into(v.T, [Delimited("ABCDEFG")], pointer=v.P))
case("STRING: pointer 0 is an overflow, nothing moves", [T10, N("P", "99", 0)],
     "STRING 'ABC' DELIMITED BY SIZE INTO {T} WITH POINTER {P}",
     lambda v: string_into(v.T, [Delimited("ABC")], pointer=v.P))
case("STRING: pointer past the target is an overflow", [T10, N("P", "99", 11)],
     "STRING 'ABC' DELIMITED BY SIZE INTO {T} WITH POINTER {P}",
     lambda v: string_into(v.T, [Delimited("ABC")], pointer=v.P))
case("STRING: negative pointer", [T10, N("P", "S99", -1)],
     "STRING 'ABC' DELIMITED BY SIZE INTO {T} WITH POINTER {P}",
     lambda v: string_into(v.T, [Delimited("ABC")], pointer=v.P))
case("STRING: target full, then an empty sender: no overflow", [T10, N("P", "99", 8)],
     "STRING 'ABC' DELIMITED BY SIZE 'DEF' DELIMITED BY 'D' INTO {T} WITH POINTER {P}",
     lambda v: string_into(v.T, [Delimited("ABC"), Delimited("DEF", "D")], pointer=v.P))
case("STRING: target full, then one more character: overflow, the rest ignored",
     [T10, N("P", "99", 8)],
     "STRING 'ABC' 'D' 'E' DELIMITED BY SIZE INTO {T} WITH POINTER {P}",
     lambda v: string_into(v.T, [Delimited("ABC"), Delimited("D"), Delimited("E")],
                           pointer=v.P))
case("STRING: a delimiter longer than what is left is not found", [T10],
     "STRING 'ABC' DELIMITED BY 'CD' 'XCDY' DELIMITED BY 'CD' INTO {T}",
     lambda v: string_into(v.T, [Delimited("ABC", "CD"), Delimited("XCDY", "CD")]))
case("STRING: DELIMITED BY ALL 'AB' is the literal 'AB'", [T10],
     "STRING 'AABBAB' DELIMITED BY ALL 'AB' INTO {T}",
     lambda v: string_into(v.T, [Delimited("AABBAB", ALL("AB"))]))
case("STRING: numeric literal and numeric item delimiters", [X("T", 12), N("M", "S9", -2)],
     "STRING 'A-1B' DELIMITED BY -1 'C2D' DELIMITED BY 2 'ErF' DELIMITED BY {M} INTO {T}",
     lambda v: string_into(v.T, [Delimited("A-1B", -1), Delimited("C2D", 2),
                                 Delimited("ErF", v.M)]))
case("STRING: into a group and into a JUSTIFIED item (not justified)",
     [G("G", "X(2)", "9(2)"), X("J", 6, justified=True)],
     "STRING 'AB' DELIMITED BY SIZE INTO {G} STRING 'CD' DELIMITED BY SIZE INTO {J}",
     lambda v: (string_into(v.G, [Delimited("AB")]), string_into(v.J, [Delimited("CD")]))[-1])
case("STRING: a one-digit pointer wraps as a MOVE does", [X("T", 12), N("P", "9", 1)],
     "STRING 'ABCDEFGHIJKL' DELIMITED BY SIZE INTO {T} WITH POINTER {P}",
     lambda v: string_into(v.T, [Delimited("ABCDEFGHIJKL")], pointer=v.P))
case("STRING: binary pointer, reference-modified and edited senders",
     [X("T", 12), N("P", "S9(4)", 2, usage="COMP"), X("S", 6, "ABCDEF"),
      Var("E", "ZZ9.99", Decimal("1.5"))],
     "STRING {S}(2:3) {E} DELIMITED BY SIZE INTO {T} WITH POINTER {P}",
     lambda v: string_into(v.T, [Delimited(v.S[2:3]), Delimited(v.E)], pointer=v.P))
case("STRING: BY QUOTE", [T10],
     "STRING 'A\"B' DELIMITED BY QUOTE 'CD' DELIMITED BY SIZE INTO {T}",
     lambda v: string_into(v.T, [Delimited('A"B', QUOTES), Delimited("CD")]))
case("STRING: into a reference-modified target", [T10, N("P", "99", 2)],
     "STRING 'XYZW' DELIMITED BY SIZE INTO {T}(4:4) WITH POINTER {P}",
     lambda v: string_into(v.T[4:4], [Delimited("XYZW")], pointer=v.P))

# -- UNSTRING ---------------------------------------------------------------------------------
THREE = [X("A", 5), X("B", 5), X("C", 5), X("DA", 2), X("DB", 2), X("DC", 2), N("CA", "99"),
         N("CB", "99"), N("CC", "99"), P1, N("TL", "99")]
THREE_INTO = ("INTO {A} DELIMITER IN {DA} COUNT IN {CA} {B} DELIMITER IN {DB} COUNT IN {CB} "
              "{C} DELIMITER IN {DC} COUNT IN {CC} WITH POINTER {P} TALLYING IN {TL}")


def three(v: Items) -> list[UnstringInto]:
    return [UnstringInto(v.A, v.DA, v.CA), UnstringInto(v.B, v.DB, v.CB),
            UnstringInto(v.C, v.DC, v.CC)]


def unstring3(delimiters: list[tuple[Literal, bool]]) -> Callable[[Items], bool]:
    return lambda v: unstring(v.S, delimiters, three(v), pointer=v.P, tallying=v.TL)


case("UNSTRING: two delimiters, DELIMITER IN, COUNT IN, POINTER, TALLYING, overflow",
     [X("S", 12, "AB,CD;;EF,GH"), *THREE],
     "UNSTRING {S} DELIMITED BY ',' OR ';' " + THREE_INTO, unstring3([(",", False),
                                                                    (";", False)]))
case("UNSTRING: ALL ';' takes the repeats as one delimiter",
     [X("S", 12, "AB,CD;;EF,GH"), *THREE],
     "UNSTRING {S} DELIMITED BY ',' OR ALL ';' " + THREE_INTO, unstring3([(",", False),
                                                                        (";", True)]))
case("UNSTRING: ALL SPACES, fewer parts than receivers, trailing spaces one delimiter",
     [X("S", 10, "A B"), *THREE],
     "UNSTRING {S} DELIMITED BY ALL SPACES " + THREE_INTO, unstring3([(SPACES, True)]))
case("UNSTRING: SPACE without ALL gives empty parts", [X("S", 10, "A B"), *THREE],
     "UNSTRING {S} DELIMITED BY SPACE " + THREE_INTO, unstring3([(SPACES, False)]))
case("UNSTRING: no delimiters: each receiver takes its size",
     [X("S", 20, "ABCDEFGHIJKLMNOPQRST"), X("A", 5), X("B", 5), N("CA", "99"),
      N("CB", "99"), N("P", "99", 3), N("TL", "99")],
     "UNSTRING {S} INTO {A} COUNT IN {CA} {B} COUNT IN {CB} WITH POINTER {P} "
     "TALLYING IN {TL}",
     lambda v: unstring(v.S, [], [UnstringInto(v.A, count_in=v.CA),
                                  UnstringInto(v.B, count_in=v.CB)], pointer=v.P,
                        tallying=v.TL))
NUMS = [N("N1", "9(4)", 99), N("N2", "S9(3)V9", 99), N("N3", "S9(3)", 99, leading=True,
                                                      separate=True),
        N("N4", "9(2)", 99), N("NC", "S9(4)", 99, usage="COMP"), Var("NE", "ZZ9.99", 1)]
case("UNSTRING: numeric receivers get the number their text reads as, empty gives zero",
     [X("S", 20, "12,-3.5,7,,42, 1.25"), *NUMS],
     "UNSTRING {S} DELIMITED BY ',' INTO {N1} {N2} {N3} {N4} {NC} {NE}",
     lambda v: unstring(v.S, [(",", False)], [UnstringInto(v[n]) for n in
                                              ("N1", "N2", "N3", "N4", "NC", "NE")]))
case("UNSTRING: no delimiters into numeric receivers (separate sign: one fewer character)",
     [X("S", 20, "12345678901234567890"), *NUMS[1:3], NUMS[4],
      N("NP", "S9(5)", usage="COMP-3"), NUMS[5], X("AJ", 5, justified=True)],
     "UNSTRING {S} INTO {N2} {N3} {NC} {NP} {NE} {AJ}",
     lambda v: unstring(v.S, [], [UnstringInto(v[n]) for n in
                                  ("N2", "N3", "NC", "NP", "NE", "AJ")]))
case("UNSTRING: pointer 0 is an overflow, nothing changes",
     [X("S", 12, "AB,CD"), *THREE[:9], N("P", "99", 0), N("TL", "99", 4)],
     "UNSTRING {S} DELIMITED BY ',' " + THREE_INTO, unstring3([(",", False)]))
case("UNSTRING: pointer past the source is an overflow",
     [X("S", 12, "AB,CD"), *THREE[:9], N("P", "99", 13), N("TL", "99", 4)],
     "UNSTRING {S} DELIMITED BY ',' " + THREE_INTO, unstring3([(",", False)]))
case("UNSTRING: pointer on the last character", [X("S", 5, "AB,CD"), *THREE[:9],
                                                 N("P", "99", 5), N("TL", "99", 4)],
     "UNSTRING {S} DELIMITED BY ',' " + THREE_INTO, unstring3([(",", False)]))
case("UNSTRING: source used up at a final delimiter: no overflow, the rest untouched",
     [X("S", 5, "ABCD,"), *THREE],
     "UNSTRING {S} DELIMITED BY ',' " + THREE_INTO, unstring3([(",", False)]))
case("UNSTRING: delimiters tried in the order written ('A' before 'AB')",
     [X("S", 8, "XABYAZ"), *THREE],
     "UNSTRING {S} DELIMITED BY 'A' OR 'AB' " + THREE_INTO, unstring3([("A", False),
                                                                      ("AB", False)]))
case("UNSTRING: delimiters tried in the order written ('AB' before 'A')",
     [X("S", 8, "XABYAZ"), *THREE],
     "UNSTRING {S} DELIMITED BY 'AB' OR 'A' " + THREE_INTO, unstring3([("AB", False),
                                                                      ("A", False)]))
case("UNSTRING: ALL ';' then a different delimiter", [X("S", 8, "X;;,Y;Z"), *THREE],
     "UNSTRING {S} DELIMITED BY ALL ';' OR ',' " + THREE_INTO, unstring3([(";", True),
                                                                        (",", False)]))
case("UNSTRING: leading delimiters give an empty first part", [X("S", 8, ";;AB;CD"), *THREE],
     "UNSTRING {S} DELIMITED BY ALL ';' " + THREE_INTO, unstring3([(";", True)]))
case("UNSTRING: multi-character ALL delimiter, DELIMITER IN truncated",
     [X("S", 12, "XABAABAYBZ"), *THREE],
     "UNSTRING {S} DELIMITED BY ALL 'ABA' OR 'B' " + THREE_INTO, unstring3([("ABA", True),
                                                                          ("B", False)]))
case("UNSTRING: the same receiver three times", [X("S", 9, "AB:CD::EF"), X("A", 4),
                                                 X("DA", 2), N("CA", "9"), N("TL", "9")],
     "UNSTRING {S} DELIMITED BY '::' OR ':' INTO {A} DELIMITER IN {DA} COUNT IN {CA} {A} {A} "
     "TALLYING IN {TL}",
     lambda v: unstring(v.S, [("::", False), (":", False)],
                        [UnstringInto(v.A, v.DA, v.CA), UnstringInto(v.A),
                         UnstringInto(v.A)], tallying=v.TL))
case("UNSTRING: a signed numeric source gives its bytes", [N("S", "S9(5)", -123), X("A", 4),
                                                           X("B", 4), X("DA", 2)],
     "UNSTRING {S} DELIMITED BY '2' INTO {A} DELIMITER IN {DA} {B}",
     lambda v: unstring(v.S, [("2", False)], [UnstringInto(v.A, v.DA), UnstringInto(v.B)]))
case("UNSTRING: identifier delimiters (alphanumeric and signed numeric)",
     [X("S", 10, "AB/CDrEF"), X("D", 1, "/"), N("M", "S9", -2), *THREE[:6]],
     "UNSTRING {S} DELIMITED BY {D} OR {M} INTO {A} DELIMITER IN {DA} {B} DELIMITER IN {DB} "
     "{C} DELIMITER IN {DC}",
     lambda v: unstring(v.S, [(v.D, False), (v.M, False)],
                        [UnstringInto(v.A, v.DA), UnstringInto(v.B, v.DB),
                         UnstringInto(v.C, v.DC)]))
case("UNSTRING: BY ZERO is one '0'", [X("S", 6, "X00Y"), *THREE[:6]],
     "UNSTRING {S} DELIMITED BY ZERO INTO {A} DELIMITER IN {DA} {B} DELIMITER IN {DB} "
     "{C} DELIMITER IN {DC}",
     lambda v: unstring(v.S, [(ZEROS, False)], [UnstringInto(v.A, v.DA),
                                                UnstringInto(v.B, v.DB),
                                                UnstringInto(v.C, v.DC)]))
case("UNSTRING: DELIMITER IN without DELIMITED BY gets spaces, COUNT IN wraps",
     [X("S", 14, "ABCDEFGHIJKLMN"), X("A", 12), X("DA", 2), N("CA", "9"), N("TL", "9", 9)],
     "UNSTRING {S} INTO {A} DELIMITER IN {DA} COUNT IN {CA} TALLYING IN {TL}",
     lambda v: unstring(v.S, [], [UnstringInto(v.A, v.DA, v.CA)], tallying=v.TL))
case("UNSTRING: binary POINTER and COUNT IN are MOVEd, binary TALLYING IN is added",
     [X("S", 14, "ABCDEFGHIJKLMN"), X("A", 12), N("CA", "9", usage="COMP"),
      N("P", "9", 1, usage="COMP"), N("TL", "9", 9, usage="COMP")],
     "UNSTRING {S} INTO {A} COUNT IN {CA} WITH POINTER {P} TALLYING IN {TL}",
     lambda v: unstring(v.S, [], [UnstringInto(v.A, count_in=v.CA)], pointer=v.P,
                        tallying=v.TL))
case("UNSTRING: JUSTIFIED and group receivers", [X("S", 8, "AB:CD:EF"),
                                                 X("AJ", 5, justified=True),
                                                 G("G", "X(2)", "X(3)")],
     "UNSTRING {S} DELIMITED BY ':' INTO {AJ} {G}",
     lambda v: unstring(v.S, [(":", False)], [UnstringInto(v.AJ), UnstringInto(v.G)]))
case("UNSTRING: a reference-modified source, part longer than its receiver",
     [X("S", 16, "XXABCDEFG,HIJ,K"), *THREE],
     "UNSTRING {S}(3:12) DELIMITED BY ',' " + THREE_INTO,
     lambda v: unstring(v.S[3:12], [(",", False)], three(v), pointer=v.P, tallying=v.TL))
case("UNSTRING: a delimiter running past the end is not found", [X("S", 5, "XYZAB"), *THREE],
     "UNSTRING {S} DELIMITED BY 'ABC' " + THREE_INTO, unstring3([("ABC", False)]))

# -- INSPECT TALLYING -------------------------------------------------------------------------
C3 = [N("C1", "99"), N("C2", "99"), N("C3", "99")]


def tallying(*tallies: tuple[str, str, Literal | None, Region]) -> Callable[[Items], None]:
    return lambda v: inspect_tallying(v.S, [Tally(v[c], mode, pattern, region)
                                            for c, mode, pattern, region in tallies])


R0 = Region()
case("TALLYING: each phrase scans in turn; a later match may not overlap an earlier one",
     [ABC_10, *C3], "INSPECT {S} TALLYING {C1} FOR ALL 'BC' {C2} FOR ALL 'AB'",
     tallying(("C1", "ALL", "BC", R0), ("C2", "ALL", "AB", R0)))
case("TALLYING: LEADING then ALL", [X("S", 10, "AAABAAA"), *C3],
     "INSPECT {S} TALLYING {C1} FOR LEADING 'A' {C2} FOR ALL 'A'",
     tallying(("C1", "LEADING", "A", R0), ("C2", "ALL", "A", R0)))
case("TALLYING: ALL then LEADING", [X("S", 10, "AAABAAA"), *C3],
     "INSPECT {S} TALLYING {C1} FOR ALL 'A' {C2} FOR LEADING 'A'",
     tallying(("C1", "ALL", "A", R0), ("C2", "LEADING", "A", R0)))
case("TALLYING: ALL then CHARACTERS, CHARACTERS then ALL", [X("S", 10, "AAABAAA"), *C3],
     "INSPECT {S} TALLYING {C1} FOR ALL 'B' {C2} FOR CHARACTERS {C3} FOR ALL 'A'",
     tallying(("C1", "ALL", "B", R0), ("C2", "CHARACTERS", None, R0),
              ("C3", "ALL", "A", R0)))
case("TALLYING: LEADING AFTER INITIAL", [X("S", 10, "XAAXAA"), *C3],
     "INSPECT {S} TALLYING {C1} FOR LEADING 'A' AFTER INITIAL 'X'",
     tallying(("C1", "LEADING", "A", Region(after="X"))))
case("TALLYING: three phrases with BEFORE and AFTER", [X("S", 10, "ABCABCABC"), *C3],
     "INSPECT {S} TALLYING {C1} FOR ALL 'CA' {C2} FOR ALL 'B' BEFORE 'CAB' "
     "{C3} FOR CHARACTERS AFTER 'B'",
     tallying(("C1", "ALL", "CA", R0), ("C2", "ALL", "B", Region(before="CAB")),
              ("C3", "CHARACTERS", None, Region(after="B"))))
case("TALLYING: an earlier phrase's region-limited match blocks a later one",
     [X("S", 10, "BBAB"), *C3],
     "INSPECT {S} TALLYING {C1} FOR ALL 'B' AFTER 'BA' {C2} FOR ALL 'AB'",
     tallying(("C1", "ALL", "B", Region(after="BA")), ("C2", "ALL", "AB", R0)))
case("TALLYING: LEADING passes over characters matched earlier", [X("S", 10, "AAAB"), *C3],
     "INSPECT {S} TALLYING {C1} FOR ALL 'AA' {C2} FOR LEADING 'A'",
     tallying(("C1", "ALL", "AA", R0), ("C2", "LEADING", "A", R0)))
case("TALLYING: LEADING stops at a non-matching character matched earlier",
     [X("S", 10, "ABAAC"), *C3],
     "INSPECT {S} TALLYING {C1} FOR ALL 'B' {C2} FOR LEADING 'A'",
     tallying(("C1", "ALL", "B", R0), ("C2", "LEADING", "A", R0)))
case("TALLYING: a blocked match moves on one character (ALL and LEADING)",
     [X("S", 10, "AAAB"), *C3],
     "INSPECT {S} TALLYING {C1} FOR LEADING 'A' BEFORE INITIAL 'AAB' {C2} FOR LEADING 'AA' "
     "{C3} FOR ALL 'AA'",
     tallying(("C1", "LEADING", "A", Region(before="AAB")), ("C2", "LEADING", "AA", R0),
              ("C3", "ALL", "AA", R0)))
case("TALLYING: a match must lie wholly before the BEFORE delimiter",
     [X("S", 10, "ABCDABAB"), *C3],
     "INSPECT {S} TALLYING {C1} FOR ALL 'BC' BEFORE 'C' {C2} FOR ALL 'AB' BEFORE 'B'",
     tallying(("C1", "ALL", "BC", Region(before="C")), ("C2", "ALL", "AB",
                                                          Region(before="B"))))
case("TALLYING: AFTER ... BEFORE and BEFORE ... AFTER differ", [X("S", 10, "YAXAYA"), *C3],
     "INSPECT {S} TALLYING {C1} FOR ALL 'A' AFTER 'X' BEFORE 'Y' "
     "{C2} FOR ALL 'A' BEFORE 'Y' AFTER 'X'",
     tallying(("C1", "ALL", "A", Region(before="Y", after="X")),
              ("C2", "ALL", "A", Region(before="Y", after="X", before_first=True))))
case("TALLYING: AFTER not found counts nothing", [X("S", 10, "ABC"), *C3],
     "INSPECT {S} TALLYING {C1} FOR CHARACTERS AFTER 'Q' {C2} FOR CHARACTERS BEFORE 'Q'",
     tallying(("C1", "CHARACTERS", None, Region(after="Q")),
              ("C2", "CHARACTERS", None, Region(before="Q"))))
case("TALLYING: figurative patterns are one character", [X("S", 10, "A0 00B"), *C3],
     "INSPECT {S} TALLYING {C1} FOR ALL SPACES {C2} FOR ALL ZEROS {C3} FOR ALL QUOTE",
     tallying(("C1", "ALL", SPACES, R0), ("C2", "ALL", ZEROS, R0),
              ("C3", "ALL", QUOTES, R0)))
case("TALLYING: a signed DISPLAY item is examined without its overpunched sign",
     [N("S", "S9(5)", -1020), *C3],
     "INSPECT {S} TALLYING {C1} FOR ALL '0' {C2} FOR ALL 'p' {C3} FOR CHARACTERS",
     tallying(("C1", "ALL", "0", R0), ("C2", "ALL", "p", R0), ("C3", "CHARACTERS", None, R0)))
case("TALLYING: a SIGN SEPARATE byte is not examined",
     [N("S", "S9(3)", -12, separate=True), *C3],
     "INSPECT {S} TALLYING {C1} FOR ALL '-' {C2} FOR CHARACTERS",
     tallying(("C1", "ALL", "-", R0), ("C2", "CHARACTERS", None, R0)))
case("TALLYING: counters add; DISPLAY ones drop high-order digits, binary ones do not",
     [X("S", 12, "AAAAAAAAAAAA"), N("C1", "9", 5), N("C2", "S9", -3),
      N("C3", "9", 5, usage="COMP")],
     "INSPECT {S} TALLYING {C1} FOR ALL 'A' INSPECT {S} TALLYING {C2} FOR LEADING 'A' "
     "BEFORE 'B' INSPECT {S} TALLYING {C3} FOR CHARACTERS",
     lambda v: (inspect_tallying(v.S, [Tally(v.C1, "ALL", "A")]),
                inspect_tallying(v.S, [Tally(v.C2, "LEADING", "A", Region(before="B"))]),
                inspect_tallying(v.S, [Tally(v.C3, "CHARACTERS")]))[0])
case("TALLYING: binary counters wrap only at the size of their bytes",
     [X("S", 12, "AAAAAAAAAAAA"), N("C1", "9(4)", 65530, usage="COMP-5"),
      N("C2", "S9(4)", 9995, usage="COMP"), N("C3", "S9(4)", 32760, usage="COMP-5")],
     "INSPECT {S} TALLYING {C1} FOR ALL 'A' {C2} FOR CHARACTERS BEFORE 'A' "
     "INSPECT {S} TALLYING {C2} FOR ALL 'A' INSPECT {S} TALLYING {C3} FOR CHARACTERS",
     lambda v: (inspect_tallying(v.S, [Tally(v.C1, "ALL", "A"),
                                       Tally(v.C2, "CHARACTERS", region=Region(before="A"))]),
                inspect_tallying(v.S, [Tally(v.C2, "ALL", "A")]),
                inspect_tallying(v.S, [Tally(v.C3, "CHARACTERS")]))[0])
case("TALLYING: a signed numeric pattern gives its bytes, one counter twice",
     [X("S", 10, "r2r2B"), N("M", "S9", -2), *C3],
     "INSPECT {S} TALLYING {C1} FOR ALL {M} ALL 'B' {C2} FOR ALL '2'",
     lambda v: inspect_tallying(v.S, [Tally(v.C1, "ALL", v.M), Tally(v.C1, "ALL", "B"),
                                      Tally(v.C2, "ALL", "2")]))
case("TALLYING: BEFORE INITIAL ALL 'AB', a reference-modified item",
     [X("S", 10, "XXABXAB"), *C3],
     "INSPECT {S} TALLYING {C1} FOR CHARACTERS BEFORE INITIAL ALL 'AB' "
     "INSPECT {S}(2:5) TALLYING {C2} FOR ALL 'X'",
     lambda v: (inspect_tallying(v.S, [Tally(v.C1, "CHARACTERS",
                                             region=Region(before=ALL("AB")))]),
                inspect_tallying(v.S[2:5], [Tally(v.C2, "ALL", "X")]))[0])

# -- INSPECT REPLACING ------------------------------------------------------------------------


def replacing(*replaces: Replace) -> Callable[[Items], None]:
    return lambda v: inspect_replacing(v.S, list(replaces))


case("REPLACING: BEFORE/AFTER look at the original characters", [X("S", 10, "AXB")],
     "INSPECT {S} REPLACING ALL 'X' BY 'Y' ALL 'B' BY 'Z' AFTER 'Y'",
     replacing(Replace("ALL", "X", "Y"), Replace("ALL", "B", "Z", Region(after="Y"))))
case("REPLACING: a replaced character is not replaced again", [X("S", 10, "AB")],
     "INSPECT {S} REPLACING ALL 'A' BY 'B' ALL 'B' BY 'C'",
     replacing(Replace("ALL", "A", "B"), Replace("ALL", "B", "C")))
case("REPLACING: LEADING then FIRST", [X("S", 10, "AAXAA")],
     "INSPECT {S} REPLACING LEADING 'A' BY 'L' FIRST 'A' BY 'F'",
     replacing(Replace("LEADING", "A", "L"), Replace("FIRST", "A", "F")))
case("REPLACING: FIRST AFTER, then CHARACTERS", [X("S", 10, "ABABAB")],
     "INSPECT {S} REPLACING FIRST 'AB' BY 'XY' AFTER 'B' CHARACTERS BY '.'",
     replacing(Replace("FIRST", "AB", "XY", Region(after="B")),
               Replace("CHARACTERS", None, ".")))
case("REPLACING: figurative BY repeated to the pattern's length", [X("S", 10, "ABCABC")],
     "INSPECT {S} REPLACING ALL 'BC' BY SPACES ALL 'A' BY ZERO",
     replacing(Replace("ALL", "BC", SPACES), Replace("ALL", "A", ZEROS)))
case("REPLACING: BY ALL 'XYZ' is the literal", [X("S", 10, "ABCABC")],
     "INSPECT {S} REPLACING ALL 'ABC' BY ALL 'XYZ'",
     replacing(Replace("ALL", "ABC", ALL("XYZ"))))
case("REPLACING: ALL SPACES BY ALL '-'", [X("S", 10, "A B C")],
     "INSPECT {S} REPLACING ALL SPACES BY ALL '-'",
     replacing(Replace("ALL", SPACES, ALL("-"))))
case("REPLACING: BEFORE then AFTER (sequential regions)", [X("S", 10, "AABAABA")],
     "INSPECT {S} REPLACING ALL 'A' BY 'C' BEFORE 'B' AFTER 'B' ALL 'A' BY 'D' AFTER 'B' "
     "BEFORE 'B'",
     replacing(Replace("ALL", "A", "C", Region(before="B", after="B", before_first=True)),
               Replace("ALL", "A", "D", Region(before="B", after="B"))))
case("REPLACING: LEADING AFTER", [X("S", 10, "XAAAXA")],
     "INSPECT {S} REPLACING LEADING 'A' BY 'Z' AFTER 'X'",
     replacing(Replace("LEADING", "A", "Z", Region(after="X"))))
case("REPLACING: FIRST and LEADING move on past characters matched earlier",
     [X("S", 10, "AAABAAAB")],
     "INSPECT {S} REPLACING LEADING 'A' BY 'X' BEFORE INITIAL 'AAB' FIRST 'AA' BY 'YY' "
     "LEADING 'AA' BY 'ZZ'",
     replacing(Replace("LEADING", "A", "X", Region(before="AAB")),
               Replace("FIRST", "AA", "YY"), Replace("LEADING", "AA", "ZZ")))
case("REPLACING: three phrases, regions from the original", [X("S", 10, "ABCDE")],
     "INSPECT {S} REPLACING ALL 'B' BY 'X' ALL 'C' BY 'Y' AFTER 'X' ALL 'D' BY 'Z' "
     "BEFORE 'Y'",
     replacing(Replace("ALL", "B", "X"), Replace("ALL", "C", "Y", Region(after="X")),
               Replace("ALL", "D", "Z", Region(before="Y"))))
case("REPLACING: a negative overpunched item: sign off, replaced, sign back (| 0x40)",
     [N("S", "S9(5)", -1020), N("L", "S9(5)", -1029, leading=True), N("M", "S9(5)", -1020)],
     "INSPECT {S} REPLACING ALL '0' BY 'A' INSPECT {L} REPLACING ALL '0' BY '5' "
     "INSPECT {M} REPLACING CHARACTERS BY SPACE",
     lambda v: (inspect_replacing(v.S, [Replace("ALL", "0", "A")]),
                inspect_replacing(v.L, [Replace("ALL", "0", "5")]),
                inspect_replacing(v.M, [Replace("CHARACTERS", None, SPACES)]))[0])
case("REPLACING: the unpunched sign digit can be matched and is re-signed",
     [N("S", "S9(4)", -1201), N("M", "S9(4)", -1201), N("U", "S9(4)", 1020)],
     "INSPECT {S} REPLACING FIRST '1' BY '5' AFTER INITIAL '2' "
     "INSPECT {M} REPLACING CHARACTERS BY '5' AFTER INITIAL '2' "
     "INSPECT {U} REPLACING CHARACTERS BY 'X'",
     lambda v: (inspect_replacing(v.S, [Replace("FIRST", "1", "5", Region(after="2"))]),
                inspect_replacing(v.M, [Replace("CHARACTERS", None, "5",
                                                Region(after="2"))]),
                inspect_replacing(v.U, [Replace("CHARACTERS", None, "X")]))[0])
case("REPLACING: SIGN SEPARATE and unsigned items",
     [N("S", "S9(3)", -102, separate=True), N("U", "9(4)", 1020)],
     "INSPECT {S} REPLACING ALL '-' BY '+' ALL '0' BY '9' "
     "INSPECT {U} REPLACING ALL '0' BY SPACE",
     lambda v: (inspect_replacing(v.S, [Replace("ALL", "-", "+"), Replace("ALL", "0", "9")]),
                inspect_replacing(v.U, [Replace("ALL", "0", SPACES)]))[0])
case("REPLACING: BY LOW-VALUE and HIGH-VALUE", [X("S", 8, "AB CD")],
     "INSPECT {S} REPLACING CHARACTERS BY LOW-VALUE BEFORE SPACE "
     "ALL SPACE BY HIGH-VALUE",
     replacing(Replace("CHARACTERS", None, LOW_VALUES, Region(before=SPACES)),
               Replace("ALL", SPACES, HIGH_VALUES)))
case("REPLACING: identifier operands", [X("S", 10, "ABXYABAB"), X("F", 2, "AB"),
                                       X("B", 2, "12"), X("D", 1, "Y")],
     "INSPECT {S} REPLACING ALL {F} BY {B} AFTER INITIAL {D}",
     lambda v: inspect_replacing(v.S, [Replace("ALL", v.F, v.B, Region(after=v.D))]))
case("REPLACING: an edited item and a group", [Var("S", "ZZZ9.99", Decimal("12.5")),
                                              G("G", "X(2)", "9(2)", init="A 12")],
     "INSPECT {S} REPLACING ALL SPACE BY '*' INSPECT {G} REPLACING ALL '1' BY 'Z'",
     lambda v: (inspect_replacing(v.S, [Replace("ALL", SPACES, "*")]),
                inspect_replacing(v.G, [Replace("ALL", "1", "Z")]))[0])

# -- INSPECT CONVERTING -----------------------------------------------------------------------
case("CONVERTING: a repeated character converts by its first occurrence",
     [X("S", 10, "ABCABC")], "INSPECT {S} CONVERTING 'ABA' TO 'XYZ'",
     lambda v: inspect_converting(v.S, "ABA", "XYZ"))
case("CONVERTING: TO ALL '-+' is the literal, TO SPACES is repeated",
     [X("S", 10, "ABCABC"), X("U", 6, "ABCABC")],
     "INSPECT {S} CONVERTING 'AB' TO ALL '-+' INSPECT {U} CONVERTING 'AB' TO SPACES",
     lambda v: (inspect_converting(v.S, "AB", ALL("-+")),
                inspect_converting(v.U, "AB", SPACES))[0])
case("CONVERTING: SPACE TO ZERO AFTER", [X("S", 10, "A BCA BC")],
     "INSPECT {S} CONVERTING SPACE TO ZERO AFTER 'C'",
     lambda v: inspect_converting(v.S, SPACES, ZEROS, Region(after="C")))
case("CONVERTING: AFTER ... BEFORE and BEFORE ... AFTER",
     [X("S", 10, "ABCABC"), X("U", 10, "ABCABC")],
     "INSPECT {S} CONVERTING 'ABC' TO 'BCA' AFTER 'A' BEFORE 'C' "
     "INSPECT {U} CONVERTING 'ABC' TO 'xyz' BEFORE 'C' AFTER 'A'",
     lambda v: (inspect_converting(v.S, "ABC", "BCA", Region(before="C", after="A")),
                inspect_converting(v.U, "ABC", "xyz", Region(before="C", after="A",
                                                             before_first=True)))[0])
case("CONVERTING: lower to upper case", [X("S", 12, "Hello World!")],
     "INSPECT {S} CONVERTING 'abcdefghijklmnopqrstuvwxyz' TO 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'",
     lambda v: inspect_converting(v.S, "abcdefghijklmnopqrstuvwxyz",
                                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
case("CONVERTING: a negative overpunched item", [N("S", "S9(5)", -1020),
                                                N("M", "S9(5)", -1020)],
     "INSPECT {S} CONVERTING '0' TO 'p' INSPECT {M} CONVERTING 'p7' TO '9X'",
     lambda v: (inspect_converting(v.S, "0", "p"), inspect_converting(v.M, "p7", "9X"))[0])
case("CONVERTING: identifier operands and a QUOTE", [X("S", 10, "A-B-C\"D"), X("F", 3, "-\"A"),
                                                   X("T", 3, "+*a")],
     "INSPECT {S} CONVERTING {F} TO {T} BEFORE INITIAL QUOTE",
     lambda v: inspect_converting(v.S, v.F, v.T, Region(before=QUOTES)))
case("CONVERTING: SIGN LEADING SEPARATE keeps its sign byte",
     [N("S", "S9(3)", -120, leading=True, separate=True)],
     "INSPECT {S} CONVERTING '-0' TO '+9'",
     lambda v: inspect_converting(v.S, "-0", "+9"))

for _number, _case in enumerate(CASES, 1):
    _case.name = f"C{_number:03d}"


# -- the COBOL program -------------------------------------------------------------------------

TOKEN = re.compile(r"(?:[^\s']+|'[^']*')+")


def wrap(text: str, indent: int = 11) -> list[str]:
    """A statement split at spaces outside literals into fixed-format lines (columns 8-72)."""
    lines: list[str] = []
    line = " " * indent
    for token in TOKEN.findall(text):
        if line.strip() and len(line) + 1 + len(token) > 72:
            lines.append(line)
            line = " " * (indent + 4)
        line += ("" if not line.strip() else " ") + token
    lines.append(line)
    return lines


def _names(case: Case) -> dict[str, str]:
    return {var.name: f"{var.name}-{case.name[1:]}" for var in case.items}


def program() -> str:
    lines = ["IDENTIFICATION DIVISION.", "PROGRAM-ID. STORACLE.", "DATA DIVISION.",
             "WORKING-STORAGE SECTION.", "01 HX-IN PIC X(200).", "01 HX-OUT PIC X(400).",
             "01 HX-LEN PIC 9(4) COMP.", "01 HX-I PIC 9(4) COMP.", "01 HX-B PIC 9(4) COMP.",
             "01 HX-H PIC 9(4) COMP.", "01 HX-L PIC 9(4) COMP.",
             "01 HX-DIGITS PIC X(16) VALUE '0123456789ABCDEF'.", "01 HX-CASE PIC X(4).",
             "01 HX-FLAG PIC X."]
    text = [" " * 7 + line for line in lines]
    for case in CASES:
        assert case.length <= 200, case.title
        names = _names(case)
        text.append(f"       01 {case.name}.")
        for var in case.items:
            text += ["         " + line for line in var.cobol(names[var.name])]
    text += ["       PROCEDURE DIVISION.", "       MAIN-PARA."]
    for case in CASES:
        names = _names(case)
        text += wrap("MOVE '-' TO HX-FLAG")
        for var in case.items:
            text += wrap(f"MOVE {cobol_literal(var.init)} TO {names[var.name]}")
        statement = case.statement.format(**names)
        verb = statement.split(" ", 1)[0]
        if verb in ("STRING", "UNSTRING"):
            statement += (" ON OVERFLOW MOVE 'Y' TO HX-FLAG NOT ON OVERFLOW MOVE 'N' TO HX-FLAG"
                          f" END-{verb}")
        text += wrap(statement)
        text += wrap(f"MOVE '{case.name}' TO HX-CASE")
        text += wrap(f"MOVE LENGTH OF {case.name} TO HX-LEN")
        text += wrap(f"MOVE {case.name} TO HX-IN")
        text += wrap("PERFORM HEX-IT")
    text += wrap("STOP RUN.", 7)
    text += wrap("HEX-IT.", 7)
    for line in ["PERFORM VARYING HX-I FROM 1 BY 1 UNTIL HX-I > HX-LEN",
                 "  COMPUTE HX-B = FUNCTION ORD(HX-IN(HX-I:1)) - 1",
                 "  DIVIDE HX-B BY 16 GIVING HX-H REMAINDER HX-L",
                 "  MOVE HX-DIGITS(HX-H + 1:1) TO HX-OUT(HX-I * 2 - 1:1)",
                 "  MOVE HX-DIGITS(HX-L + 1:1) TO HX-OUT(HX-I * 2:1)",
                 "END-PERFORM",
                 "DISPLAY HX-CASE ' ' HX-FLAG ' ' HX-OUT(1:HX-LEN * 2)."]:
        text.append(" " * 11 + line)
    for line in text:
        assert len(line) <= 72, line
    return "\n".join(text) + "\n"


def runtime_line(case: Case) -> str:
    buffer = bytearray(case.length)
    items, offset = Items(), 0
    for var in case.items:
        item = var.make(buffer, offset)
        item.set(var.init)
        items[var.name] = item
        offset += item.length
    result = case.run(items)
    flag = "-" if result is None else "Y" if result else "N"
    return f"{case.name} {flag} {buffer.hex().upper()}"


COBC = require_tool("cobc")


@pytest.fixture(scope="module")
def cobol_output(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    if COBC is None:
        pytest.skip("cobc (GnuCOBOL) is not installed")
    folder: Path = tmp_path_factory.mktemp("strings_oracle")
    (folder / "storacle.cob").write_text(program(), encoding="latin-1")
    build = subprocess.run([COBC, "-x", "-o", "storacle", "storacle.cob"], cwd=folder,
                           capture_output=True, text=True, timeout=120)
    assert build.returncode == 0, build.stderr
    run = subprocess.run([str(folder / "storacle")], cwd=folder, capture_output=True,
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
    assert len(CASES) >= 40


# -- plain unit tests of the API --------------------------------------------------------------


def test_string_builds_a_name_and_moves_the_pointer() -> None:
    record = bytearray(b"." * 14 + b"01" + b"SMITH   JOHN    ")
    target = AlphanumericField(record, 0, "X(14)")
    pointer = NumericField(record, 14, "99")
    last, first = AlphanumericField(record, 16, "X(8)"), AlphanumericField(record, 24, "X(8)")
    assert not string_into(target, [Delimited(first, SPACES), Delimited(" "),
                                    Delimited(last, SPACES)], pointer=pointer)
    assert target.get() == "JOHN SMITH...." and pointer.get() == 11
    assert string_into(target, [Delimited("-JUNIOR")], pointer=pointer)
    assert target.get() == "JOHN SMITH-JUN" and pointer.get() == 15


def test_unstring_splits_counts_and_reports_overflow() -> None:
    record = bytearray(b"12;ABC;;X" + b" " * 11)
    source = AlphanumericField(record, 0, "X(9)")
    number, text = NumericField(record, 9, "9(3)"), AlphanumericField(record, 12, "X(4)")
    count, tally = NumericField(record, 16, "99"), NumericField(record, 18, "99")
    tally.set(0)
    assert unstring(source, [(";", True)], [UnstringInto(number),
                                            UnstringInto(text, count_in=count)],
                    tallying=tally)
    assert number.get() == 12 and text.get() == "ABC " and count.get() == 3
    assert tally.get() == 2


def test_inspect_tallying_replacing_converting() -> None:
    record = bytearray(b"**12.50 CR" + b"00")
    text, counter = AlphanumericField(record, 0, "X(10)"), NumericField(record, 10, "99")
    inspect_tallying(text, [Tally(counter, "LEADING", "*")])
    assert counter.get() == 2
    inspect_replacing(text, [Replace("LEADING", "*", SPACES),
                             Replace("ALL", " CR", "-  ")])
    assert text.get() == "  12.50-  "
    inspect_converting(text, "0123456789", ALL("9876543210"), Region(after="."))
    assert text.get() == "  12.49-  "


def test_inspect_signed_display_keeps_the_sign() -> None:
    record = bytearray(4)
    number = NumericField(record, 0, "S9(4)")
    number.set(-1050)
    inspect_replacing(number, [Replace("ALL", "0", "9")])
    assert number.get() == Decimal(-1959)


def test_unsupported_operands_raise() -> None:
    record = bytearray(20)
    text = AlphanumericField(record, 0, "X(10)")
    binary = NumericField(record, 10, "S9(4)", "COMP")
    counter = NumericField(record, 12, "99")
    with pytest.raises(UnsupportedError, match="numeric literal"):
        inspect_tallying(text, [Tally(counter, "ALL", 1)])
    with pytest.raises(UnsupportedError, match="numeric literal"):
        unstring(text, [(1, False)], [UnstringInto(text)])
    with pytest.raises(UnsupportedError, match="COMP"):
        string_into(text, [Delimited(binary)])
    with pytest.raises(UnsupportedError, match="alphanumeric or a group"):
        string_into(counter, [Delimited("1")])
    with pytest.raises(UnsupportedError, match="differ in size"):
        inspect_replacing(text, [Replace("ALL", "ABC", ALL("X"))])
    with pytest.raises(UnsupportedError, match="TRAILING"):
        inspect_tallying(text, [Tally(counter, "TRAILING", "A")])
    with pytest.raises(UnsupportedError, match="non-integer"):
        string_into(text, [Delimited(Decimal("1.5"))])
    AlphanumericField(record, 14, "X(4)").set("012A")
    with pytest.raises(UnsupportedError, match="sign byte"):
        inspect_tallying(NumericField(record, 14, "S9(4)"), [Tally(counter, "CHARACTERS")])
