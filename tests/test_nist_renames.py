"""Level-66 RENAMES, MOVE CORRESPONDING without pairs and an 01 redefined by a longer 01,
through the translator, checked against GnuCOBOL (``cobc -x``).

The probe program is written for this test from the COBOL rules and run both ways by
``run_probe``; the runs must be identical, and the lines GnuCOBOL prints are checked as well,
so that the probe cannot pass by doing nothing:

* a 66 item renaming one elementary item is that item (numeric, signed, edited: ADD, IF and
  MOVE work on it as on the item);
* a 66 item renaming a group, or ``a THRU b``, is an alphanumeric group over the bytes from
  a's start to b's end, also when a or b is a REDEFINES or under one;
* a 66 item is qualified by its record alone (the same 66 name in two records), and the
  names in its RENAMES clause may be qualified;
* MOVE CORRESPONDING that finds no pair moves nothing (GnuCOBOL only warns);
* an 01 redefined by a longer 01 has the longer one's storage, low-values past its end.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import require_tool
from probe_support import run_probe, translate_sources

from modernize.validate.harness import Scenario

COBC = require_tool("cobc")
needs_cobc = pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")

RENAMEPRB = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. RENAMEPRB.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  CUST-REC.
           05  CUST-BRANCH         PIC X(4) VALUE "NYC1".
           05  CUST-NAME.
               10  CUST-FIRST      PIC X(6) VALUE "ANNA".
               10  CUST-LAST       PIC X(8) VALUE "SMITH".
           05  CUST-BAL            PIC S9(5)V99 VALUE -123.45.
           05  CUST-LIMIT          PIC ***,**9.99 VALUE 1500.
       66  CUST-BALANCE RENAMES CUST-BAL.
       66  CUST-FULL-NAME RENAMES CUST-NAME.
       66  CUST-KEY RENAMES CUST-BRANCH
               THRU CUST-FIRST OF CUST-NAME.
       66  CUST-LIM RENAMES CUST-LIMIT.
       01  VEND-REC.
           05  VEND-CODE           PIC X(3) VALUE "V01".
           05  VEND-AMT            PIC 9(3) VALUE 42.
           05  VEND-AMT-X REDEFINES VEND-AMT PIC X(3).
           05  VEND-TAIL           PIC X(2) VALUE "ZZ".
       66  CUST-KEY RENAMES VEND-CODE THRU VEND-AMT-X.
       66  VEND-AMT-ALIAS RENAMES VEND-AMT IN VEND-REC.
       01  ORDER-AREA.
           05  ORD-DATA.
               10  ORD-ID          PIC 9(4) VALUE 77.
               10  ORD-QTY         PIC 9(3) VALUE 5.
           05  ORD-ALT REDEFINES ORD-DATA.
               10  ORD-ALT-A       PIC X(2).
               10  ORD-ALT-B       PIC X(5).
           05  ORD-NOTE            PIC X(3) VALUE "ABC".
       66  ORD-SPAN RENAMES ORD-ALT-B THRU ORD-NOTE.
       01  SHORT-REC.
           05  SHORT-ID            PIC X(3) VALUE "S01".
           05  SHORT-QTY           PIC 9(2) VALUE 9.
       01  LONG-REC REDEFINES SHORT-REC.
           05  LONG-HEAD           PIC X(5).
           05  LONG-TAIL           PIC X(4).
       01  IN-AREA.
           05  IN-PART.
               10  PART-NO         PIC X(4) VALUE "P100".
       01  OUT-AREA.
           05  OUT-ITEM.
               10  ITEM-NO         PIC X(4) VALUE "I200".
       PROCEDURE DIVISION.
           DISPLAY "BAL " CUST-BALANCE
           ADD 10.05 TO CUST-BALANCE
           DISPLAY "BAL+ " CUST-BAL
           IF CUST-BALANCE < 0
               DISPLAY "STILL NEGATIVE"
           END-IF
           DISPLAY "NAME [" CUST-FULL-NAME "]"
           MOVE "BOB" TO CUST-FULL-NAME
           DISPLAY "FIRST [" CUST-FIRST "] LAST [" CUST-LAST "]"
           DISPLAY "KEY [" CUST-KEY OF CUST-REC "]"
           MOVE 123 TO CUST-KEY OF CUST-REC
           DISPLAY "BRANCH [" CUST-BRANCH "] FIRST [" CUST-FIRST "]"
           MOVE 2500 TO CUST-LIM
           DISPLAY "LIMIT " CUST-LIMIT
           DISPLAY "VKEY [" CUST-KEY IN VEND-REC "]"
           MOVE 7 TO VEND-AMT-ALIAS
           DISPLAY "AMT " VEND-AMT " " VEND-AMT-ALIAS
           DISPLAY "SPAN [" ORD-SPAN "]"
           MOVE "QWERTYUI" TO ORD-SPAN
           DISPLAY "ORDER " ORD-ALT-A " " ORD-ALT-B " " ORD-NOTE
           IF LONG-TAIL = LOW-VALUES
               DISPLAY "TAIL LOW"
           END-IF
           MOVE ALL "Q" TO LONG-REC
           INITIALIZE SHORT-REC
           DISPLAY "LONG [" LONG-REC "]"
           MOVE CORRESPONDING IN-AREA TO OUT-AREA
           DISPLAY "ITEM " ITEM-NO
           STOP RUN.
"""


@needs_cobc
def test_renames_corresponding_and_longer_redefinition(tmp_path: Path) -> None:
    probe = run_probe(tmp_path, {"RENAMEPRB": RENAMEPRB}, "RENAMEPRB", Scenario("run"))
    assert not probe.translations["RENAMEPRB"].unsupported
    assert probe.verdict.equivalent, probe.report()
    assert probe.legacy.stdout.decode("latin-1").splitlines() == [
        "BAL -00123.45", "BAL+ -00113.40", "STILL NEGATIVE", "NAME [ANNA  SMITH   ]",
        "FIRST [BOB   ] LAST [        ]", "KEY [NYC1BOB   ]", "BRANCH [123 ] FIRST [      ]",
        "LIMIT **2,500.00", "VKEY [V01042]", "AMT 007 007", "SPAN [77005ABC]",
        "ORDER 00 QWERT YUI", "TAIL LOW", "LONG [   00QQQQ]", "ITEM I200"]


def test_renames_items_from_the_extractor(tmp_path: Path) -> None:
    """The 66 items as the model holds them: the qualified names as written, the span of
    bytes, and an elementary item's picture for the one that renames it alone."""
    _, estate, _ = translate_sources(tmp_path, {"RENAMEPRB": RENAMEPRB})
    program = estate.program("RENAMEPRB")
    assert program is not None
    renames = {(d.record, d.name): d for d in program.data_items if d.level == 66}
    key = renames[("CUST-REC", "CUST-KEY")]
    assert key.renames == ("CUST-BRANCH", "CUST-FIRST OF CUST-NAME")
    assert (key.offset, key.length, key.picture) == (0, 10, None)
    balance = renames[("CUST-REC", "CUST-BALANCE")]
    assert (balance.picture, balance.offset, balance.length) == ("S9(5)V99", 18, 7)
    alias = renames[("VEND-REC", "VEND-AMT-ALIAS")]
    assert alias.renames == ("VEND-AMT OF VEND-REC",) and alias.picture == "9(3)"
    assert (renames[("ORDER-AREA", "ORD-SPAN")].offset,
            renames[("ORDER-AREA", "ORD-SPAN")].length) == (2, 8)
