"""SPECIAL-NAMES CURRENCY SIGN and DECIMAL-POINT IS COMMA, BLANK WHEN ZERO on a numeric item
and VALUE of a JUSTIFIED item, through the translator, checked against GnuCOBOL
(``cobc -x``).

Probe programs written for these tests, each run both ways by ``run_probe``; the runs must
be identical, and a few lines GnuCOBOL prints are checked as well, so that no probe can pass
by doing nothing:

* CURRENCY SIGN IS "W" (fixed and floating) and CURRENCY "<" (a symbol the grammar's view
  must not space out as a relational operator: ``<(3),<<<.99``);
* DECIMAL-POINT IS COMMA: pictures with ``,`` as the point and ``.`` as insertion, numeric
  literals with a decimal comma in VALUE clauses, MOVE, IF and COMPUTE (while ``, `` stays a
  separator), DISPLAY of numeric items and literals with ``,``, de-editing and
  alphanumeric-to-numeric MOVE reading ``,`` as the point;
* a ``9(n)`` item with BLANK WHEN ZERO (numeric-edited: zero shows as spaces); the VALUE of a
  JUSTIFIED RIGHT item, left-justified.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import require_tool
from probe_support import run_probe

from modernize.analysis.cobol.pic import picture_info
from modernize.runtime.display import display_bytes
from modernize.runtime.fields import EditedField, field
from modernize.translate.expressions import comma_number
from modernize.validate.harness import Scenario

COBC = require_tool("cobc")
needs_cobc = pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")

COMMAPRB = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. COMMAPRB.
       ENVIRONMENT DIVISION.
       CONFIGURATION SECTION.
       SPECIAL-NAMES.
           CURRENCY SIGN IS "W"
           DECIMAL-POINT IS COMMA.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       77  PRICE      PIC 9(7)V99 VALUE 1234567,89.
       77  PRICE-ED   PIC 9.999.999,99.
       77  AMOUNT-W   PIC WWWWW.
       77  FEE-W      PIC W9999 BLANK WHEN ZERO.
       77  TOTAL-ED   PIC W.WWW.WW9,99-.
       77  CREDIT-ED  PIC ZZ.ZZ9,99CR.
       77  CHECK-ED   PIC ***.**9,99.
       77  BAL-COMP   PIC S9(4)V99 COMP VALUE -12,34.
       77  BAL-DISP   PIC S9(4)V99 VALUE -12,34.
       77  WORK-NUM   PIC 9(4)V99.
       77  TEXT-NUM   PIC X(10) VALUE "1.234,5".
       77  QTY        PIC 9(3) VALUE 7.
       01  ROW-TAB.
           05  ROW-ITEM PIC 9 OCCURS 3 TIMES.
       PROCEDURE DIVISION.
           DISPLAY 'PRICE ' PRICE
           MOVE PRICE TO PRICE-ED
           DISPLAY 'EDITED ' PRICE-ED
           MOVE 123 TO AMOUNT-W
           DISPLAY 'FLOAT [' AMOUNT-W ']'
           MOVE 0 TO AMOUNT-W
           DISPLAY 'FLOAT0 [' AMOUNT-W ']'
           MOVE 45 TO FEE-W
           DISPLAY 'FIXED [' FEE-W ']'
           MOVE 0 TO FEE-W
           DISPLAY 'FIXED0 [' FEE-W ']'
           MOVE -1234,5 TO TOTAL-ED
           DISPLAY 'TOTAL [' TOTAL-ED ']'
           MOVE -1234,5 TO CREDIT-ED
           DISPLAY 'CREDIT [' CREDIT-ED ']'
           MOVE 12,5 TO CHECK-ED
           DISPLAY 'CHECK [' CHECK-ED ']'
           DISPLAY 'BAL ' BAL-COMP ' ' BAL-DISP
           DISPLAY 'LIT ' 12,5 ' ' -0,25
           MOVE PRICE-ED TO WORK-NUM
           DISPLAY 'DEEDIT ' WORK-NUM
           MOVE TOTAL-ED TO WORK-NUM
           DISPLAY 'DEEDIT2 ' WORK-NUM
           MOVE TEXT-NUM TO WORK-NUM
           DISPLAY 'TEXT ' WORK-NUM
           IF PRICE = 1234567,89 DISPLAY 'PRICE EQ'.
           IF PRICE > 1234567,8 DISPLAY 'PRICE GT'.
           COMPUTE WORK-NUM = 1,5 * 2,25
           DISPLAY 'PRODUCT ' WORK-NUM
           MOVE 1 TO ROW-ITEM (1), ROW-ITEM (2)
           ADD QTY, 2 GIVING WORK-NUM
           DISPLAY 'SUM ' WORK-NUM ' ' ROW-TAB
           STOP RUN.
"""

ANGLEPRB = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. ANGLEPRB.
       ENVIRONMENT DIVISION.
       CONFIGURATION SECTION.
       SPECIAL-NAMES.
           CURRENCY "<".
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  PAY-LINE.
           05  PAY-AMT  PICTURE <(3),<<<.99 VALUE " <1,111.11".
           05  PAY-FIX  PICTURE <9(4).
       77  PAY-BZ       PICTURE 9(5) BLANK WHEN ZERO.
       77  PAY-BZ-INIT  PICTURE 9(4) BLANK ZERO VALUE ZERO.
       77  NAME-JUST    PICTURE X(6) JUSTIFIED RIGHT VALUE "AB".
       PROCEDURE DIVISION.
           DISPLAY 'INIT [' PAY-AMT ']'
           MOVE 1234.5 TO PAY-AMT
           DISPLAY 'MOVE [' PAY-AMT ']'
           MOVE 0 TO PAY-AMT
           DISPLAY 'ZERO [' PAY-AMT ']'
           MOVE 42 TO PAY-FIX
           DISPLAY 'FIX [' PAY-FIX ']'
           IF 2 < 3 DISPLAY 'LESS'.
           DISPLAY 'BZ [' PAY-BZ '][' PAY-BZ-INIT ']'
           MOVE 12 TO PAY-BZ
           DISPLAY 'BZ12 [' PAY-BZ ']'
           MOVE 0 TO PAY-BZ
           DISPLAY 'BZ0 [' PAY-BZ ']'
           IF PAY-BZ = SPACES DISPLAY 'BZ SPACES'.
           DISPLAY 'JUST [' NAME-JUST ']'
           MOVE "AB" TO NAME-JUST
           DISPLAY 'JUST MOVE [' NAME-JUST ']'
           STOP RUN.
"""


@needs_cobc
def test_currency_sign_and_decimal_point_is_comma(tmp_path: Path) -> None:
    probe = run_probe(tmp_path, {"COMMAPRB": COMMAPRB}, "COMMAPRB", Scenario("run"))
    assert not probe.translations["COMMAPRB"].unsupported
    assert probe.verdict.equivalent, probe.report()
    lines = probe.legacy.stdout.decode("latin-1").splitlines()
    assert "PRICE 1234567,89" in lines
    assert "EDITED 1.234.567,89" in lines
    assert "FLOAT [ W123]" in lines
    assert "FIXED [W0045]" in lines and "FIXED0 [     ]" in lines
    assert "TOTAL [   W1.234,50-]" in lines
    assert "BAL -0012,34 -0012,34" in lines
    assert "LIT 12,5 -0,25" in lines
    assert "TEXT 1234,50" in lines
    assert "PRODUCT 0003,37" in lines


@needs_cobc
def test_currency_symbol_less_than_and_blank_when_zero(tmp_path: Path) -> None:
    probe = run_probe(tmp_path, {"ANGLEPRB": ANGLEPRB}, "ANGLEPRB", Scenario("run"))
    assert not probe.translations["ANGLEPRB"].unsupported
    assert probe.verdict.equivalent, probe.report()
    lines = probe.legacy.stdout.decode("latin-1").splitlines()
    assert "INIT [ <1,111.11]" in lines
    assert "BZ0 [     ]" in lines and "BZ SPACES" in lines
    assert "JUST [AB    ]" in lines


# -- the pieces, without cobc -------------------------------------------------------------------


def test_picture_info_reads_the_programs_symbols() -> None:
    assert picture_info("<(3),<<<.99", currency="<") == picture_info("$(3),$$$.99")
    info = picture_info("9.999.999,99", decimal_comma=True)
    assert (info.category, info.length, info.digits, info.scale) == ("numeric-edited", 12, 9, 2)


def test_comma_numbers_and_separators() -> None:
    assert comma_number("9116,44") == "9116.44"
    assert comma_number("-0,5") == "-0.5"
    assert comma_number(",") == ","
    assert comma_number("A,B") == "A,B"


def test_runtime_edits_and_displays_with_a_decimal_comma() -> None:
    edited = field(bytearray(13), 0, "W.WWW.WW9,99-", currency="W", decimal_comma=True)
    assert isinstance(edited, EditedField)
    edited.set(Decimal("-1234.5"))
    assert edited.raw == b"   W1.234,50-"
    assert edited.value() == Decimal("-1234.50")
    number = field(bytearray(6), 0, "S9(4)V99", decimal_comma=True)
    number.set("1.234,5")
    assert number.get() == Decimal("1234.50")
    assert display_bytes(number, decimal_comma=True) == b"+1234,50"
    assert display_bytes(Decimal("-0.25"), decimal_comma=True) == b"-0,25"
    blank = field(bytearray(4), 0, "9(4)", blank_when_zero=True)
    blank.set(0)
    assert blank.raw == b"    "
