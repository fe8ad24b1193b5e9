"""Python a team would keep, proven against GnuCOBOL: PERFORMs become method calls only where
no GO TO leaves the range, ADD/SUBTRACT become ``+=``/``-=`` and comparisons plain Python only
where they mean what COBOL means, and everything else keeps the general mechanism (and says
why). Probes written for these tests from the COBOL rules; each runs through cobc and through
the translation, and lines GnuCOBOL prints are asserted literally.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import require_tool
from probe_support import equivalent_probe

from modernize.runtime.fields import NumericField, Table, field
from modernize.runtime.figurative import ALL, HIGH_VALUES, SPACES, ZEROS

COBC = require_tool("cobc")
needs_cobc = pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")

FLOWS = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. FLOWS.
      * PERFORM RANGES WITH AND WITHOUT A GO TO THAT LEAVES THEM.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  N                   PIC 9(3)     VALUE ZERO.
       PROCEDURE DIVISION.
       MAIN-LINE SECTION.
       M-START.
           PERFORM P1 THRU P1-EXIT
           PERFORM P1 THRU P1-EXIT
           DISPLAY 'AFTER P1 ' N
           PERFORM P2 THRU P2-EXIT
           PERFORM SEC-A
           DISPLAY 'AFTER SEC-A ' N
           PERFORM P0
           PERFORM P3
           DISPLAY 'NEVER AFTER P3'
           STOP RUN.
       P0.
           ADD 5 TO N.
       P1.
           ADD 1 TO N
           IF N > 1
               GO TO P1-EXIT
           END-IF
           DISPLAY 'P1 FIRST TIME'.
       P1-EXIT.
           EXIT.
       P2.
           GO TO P2-SKIP.
       P2-MID.
           DISPLAY 'P2 MID: NEVER'.
       P2-SKIP.
           DISPLAY 'P2 SKIPPED TO HERE'.
       P2-EXIT.
           EXIT.
       P3.
           DISPLAY 'P3 ' N
           GO TO P3-EXIT.
       P3-EXIT.
           EXIT.
       P4.
           DISPLAY 'FELL INTO P4'
           STOP RUN.
       SEC-A SECTION.
       S1.
           ADD 10 TO N.
       S2.
           DISPLAY 'S2 ' N.
"""

PLAIN = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. PLAIN.
      * ADD AND SUBTRACT AS +=, COMPARISONS AS PLAIN PYTHON.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  K1                  PIC X(4)     VALUE 'AB'.
       01  K2                  PIC X(4)     VALUE 'AB  '.
       01  K3                  PIC X(2)     VALUE 'AB'.
       01  GRP.
           05  G1              PIC X(2)     VALUE 'AB'.
           05  G2              PIC 9(2)     VALUE 12.
       01  HV                  PIC X(3)     VALUE HIGH-VALUES.
       01  S                   PIC S9V9     VALUE ZERO.
       01  U                   PIC 9(3)     VALUE 999.
       01  C                   PIC S9(5)V99 VALUE 1.
       01  D                   PIC 9(3)     VALUE 2.
       01  A                   PIC 9V99     VALUE 1.25.
       01  B                   PIC 99       VALUE 3.
       01  I                   PIC 9        VALUE ZERO.
       01  TBL.
           05  T               PIC 99 OCCURS 3 INDEXED BY TX.
       PROCEDURE DIVISION.
       MAIN-LINE.
           IF K1 = K2 DISPLAY 'K1 = K2' END-IF
           IF K1 = K3 DISPLAY 'K1 = K3 PADDED' END-IF
           IF K1 = 'AB' DISPLAY 'K1 = LITERAL' END-IF
           IF K1 < 'AC' DISPLAY 'K1 < AC' END-IF
           IF 'AA' < K1 DISPLAY 'AA < K1' END-IF
           IF K1 NOT = SPACES DISPLAY 'K1 NOT SPACES' END-IF
           IF HV = HIGH-VALUES DISPLAY 'HV HIGH' END-IF
           IF GRP = 'AB12' DISPLAY 'GROUP = AB12' END-IF
           IF K1 (1:2) = 'AB' DISPLAY 'REFMOD = AB' END-IF
           ADD -0.05 TO S
           DISPLAY 'S ' S
           ADD 1 TO U
           DISPLAY 'U WRAPS ' U
           SUBTRACT 5 FROM U
           DISPLAY 'U UNSIGNED ' U
           ADD A B TO C D
           DISPLAY 'C D ' C ' ' D
           SUBTRACT A FROM C
           DISPLAY 'C ' C
           SET TX TO 1
           SET TX UP BY 2
           MOVE 7 TO T (TX)
           PERFORM VARYING I FROM 1 BY 2 UNTIL I > 5
               DISPLAY 'I ' I
           END-PERFORM
           EVALUATE K1
               WHEN 'AA' THRU 'AZ' DISPLAY 'EVALUATE AA-AZ'
               WHEN OTHER DISPLAY 'EVALUATE OTHER'
           END-EVALUATE
           DISPLAY 'TBL ' TBL
           STOP RUN.
"""


@needs_cobc
def test_perform_ranges_become_calls_only_where_no_go_to_leaves_them(tmp_path: Path) -> None:
    probe = equivalent_probe(tmp_path, "FLOWS", FLOWS)
    assert probe.lines() == [
        "P1 FIRST TIME", "AFTER P1 002", "P2 SKIPPED TO HERE", "S2 012", "AFTER SEC-A 012",
        "P3 017", "FELL INTO P4"]
    code = (tmp_path / "code" / "flows.py").read_text()
    # GO TO P1-EXIT only skips to the next paragraph of the range: the range is a call (and
    # the empty EXIT paragraph needs none)
    assert code.count("self.p1()") == 2 and "self.p1_exit()" not in code
    # P2 jumps over P2-MID, and P3's GO TO leaves a single-paragraph PERFORM: both dispatched
    assert 'self.perform("P2", "P2-EXIT")' in code
    assert 'self.perform("P3")' in code
    # a section of plain paragraphs: its paragraphs called in order; P0 plain
    assert "self.s1()\n        self.s2()\n" in code and "self.p0()\n" in code
    assert "Transfers control (GO TO P2-SKIP)" in code
    assert "GO TO P3-EXIT, the next paragraph, only ends it early" in code
    shape = probe.translations["FLOWS"].shape
    assert shape is not None
    assert (shape.direct_calls, shape.dispatched_performs, shape.go_tos) == (4, 2, 3)


@needs_cobc
def test_plain_comparisons_and_additions_mean_what_cobol_means(tmp_path: Path) -> None:
    probe = equivalent_probe(tmp_path, "PLAIN", PLAIN)
    lines = probe.lines()
    assert lines[:9] == ["K1 = K2", "K1 = K3 PADDED", "K1 = LITERAL", "K1 < AC", "AA < K1",
                         "K1 NOT SPACES", "HV HIGH", "GROUP = AB12", "REFMOD = AB"]
    # -0.05 truncated to the receiver's one decimal is a positive zero; 999 + 1 wraps; an
    # unsigned receiver keeps the absolute value; each receiver gets A + B (D loses the
    # decimals); VARYING steps by 2
    assert lines[9:] == ["S +0.0", "U WRAPS 000", "U UNSIGNED 005", "C D +00005.25 006",
                         "C +00004.00", "I 1", "I 3", "I 5", "EVALUATE AA-AZ", "TBL 000007"]
    code = (tmp_path / "code" / "plain.py").read_text()
    for helper in ("compare(", "add(", "subtract(", "sign("):
        assert helper not in code, helper
    assert "self.u += 1" in code and "self.u -= 5" in code and "self.tx += 2" in code
    assert 'self.k1.get() == "AB  "' in code and "self.k1.get() != SPACES" in code


@needs_cobc
def test_a_collating_sequence_keeps_the_runtime_comparison(tmp_path: Path) -> None:
    source = PLAIN.replace("       DATA DIVISION.\n", (
        "       ENVIRONMENT DIVISION.\n"
        "       CONFIGURATION SECTION.\n"
        "       OBJECT-COMPUTER. X PROGRAM COLLATING SEQUENCE IS REV.\n"
        "       SPECIAL-NAMES. ALPHABET REV IS 'Z' THRU 'A'.\n"
        "       DATA DIVISION.\n"), 1)
    probe = equivalent_probe(tmp_path, "PLAIN", source)
    assert "K1 < AC" not in probe.lines() and "AA < K1" not in probe.lines()
    code = (tmp_path / "code" / "plain.py").read_text()
    assert 'compare(self.k1, "AC") < 0' in code


def test_figurative_constants_equal_the_text_they_fill() -> None:
    # the text on the left on purpose: str's == gives way to the constant's
    assert "    " == SPACES and SPACES == "  " and "  x" != SPACES  # noqa: SIM300
    assert "\xff\xff" == HIGH_VALUES and "00" == ZEROS and "ABAB" == ALL("AB")  # noqa: SIM300
    # the constant is repeated, and cut, to the text's length
    assert "ABA" == ALL("AB") and "AB" == ALL("ABC") and "ABD" != ALL("ABC")  # noqa: SIM300
    assert SPACES != ZEROS
    assert len({SPACES, ZEROS, SPACES}) == 2 and "\u20ac" != SPACES  # noqa: SIM300


def test_item_plus_equals_is_cobol_add() -> None:
    buffer = bytearray(b"0" * 14)
    item = field(buffer, 0, "S9V9", "COMP-3")
    assert isinstance(item, NumericField)
    item.set(0)
    item += Decimal("-0.05")  # truncated: a positive zero, as ADD stores it
    assert item.get() == 0 and not item.get().is_signed()
    whole = field(buffer, 4, "9(3)")
    whole.set(999)
    whole += 1
    assert whole.get() == 0
    whole -= 5
    assert whole.get() == 5  # unsigned: the absolute value
    table = Table(8, 3, 2, lambda at: field(buffer, at, "99"))
    table[2].set(1)
    table[2] += 4  # a fresh element each time: the MOVE of the sum puts it in place
    assert table[2].get() == 5 and buffer[8:14] == b"000500"


IDLE = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. IDLE.
      * ELSE CONTINUE AND WHEN OTHER CONTINUE DO NOTHING.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  N                   PIC 9(3)     VALUE 5.
       PROCEDURE DIVISION.
           IF N > 3
               DISPLAY 'BIG'
           ELSE
               CONTINUE
           END-IF
           EVALUATE N
               WHEN 5 DISPLAY 'FIVE'
               WHEN OTHER CONTINUE
           END-EVALUATE
           IF N > 9
               DISPLAY 'HUGE'
           ELSE
               CONTINUE
               DISPLAY 'NOT HUGE'
           END-IF
           IF N > 9
               CONTINUE
           ELSE
               DISPLAY 'SMALL'
           END-IF
           EVALUATE N
               WHEN 5 CONTINUE
               WHEN OTHER DISPLAY 'NOT FIVE'
           END-EVALUATE
           STOP RUN.
"""


FLAGS = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. FLAGS.
      * LEVEL-88 NAMES AS TRUTH VALUES, AND AS EVALUATE SUBJECTS.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  N                   PIC 9(3)     VALUE 7.
       01  STATUS-CODE         PIC X(2)     VALUE '10'.
           88  AT-END                       VALUE '10'.
           88  FILE-OK                      VALUE '00' '04'.
       PROCEDURE DIVISION.
           IF AT-END AND NOT FILE-OK
               DISPLAY 'END'
           END-IF
           EVALUATE FILE-OK
               WHEN FALSE DISPLAY 'NOT OK'
               WHEN OTHER DISPLAY 'NO'
           END-EVALUATE
           EVALUATE TRUE ALSO AT-END
               WHEN FILE-OK ALSO TRUE DISPLAY 'NO'
               WHEN N = 7 ALSO TRUE DISPLAY 'SEVEN AT END'
           END-EVALUATE
           SET FILE-OK TO TRUE
           IF NOT AT-END DISPLAY STATUS-CODE END-IF
           STOP RUN.
"""


@needs_cobc
def test_a_level_88_is_a_truth_value(tmp_path: Path) -> None:
    """``if record.at_end:`` tests a level-88, in IF and as an EVALUATE subject."""
    probe = equivalent_probe(tmp_path, "FLAGS", FLAGS)
    assert probe.lines() == ["END", "NOT OK", "SEVEN AT END", "00"]
    code = [line.strip() for line in (tmp_path / "code" / "flags.py").read_text().splitlines()]
    assert "if self.status_code.at_end and not self.status_code.file_ok:" in code or \
        "if self.at_end and not self.file_ok:" in code, code
    assert not any("is_true()" in line for line in code)


@needs_cobc
def test_an_else_that_does_nothing_is_left_out(tmp_path: Path) -> None:
    probe = equivalent_probe(tmp_path, "IDLE", IDLE)
    assert probe.lines() == ["BIG", "FIVE", "NOT HUGE", "SMALL"]
    code = (tmp_path / "code" / "idle.py").read_text().splitlines()
    bodies = [code[i + 1].strip() for i, line in enumerate(code) if line.strip() == "else:"]
    assert bodies == ['display("NOT HUGE")'], bodies  # the else that does something stays
    # IF ... CONTINUE ELSE ... is the negated test, without an empty branch
    assert "if not (self.n.integer() > 9):" in [line.strip() for line in code]
    assert "pass" not in [line.strip() for line in code]
