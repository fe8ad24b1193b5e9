"""Tables, USAGE INDEX, index names, SEARCH, SET and SPECIAL-NAMES switches and classes through
the translator, checked against GnuCOBOL (``cobc -x``).

Probe programs written for these tests from the COBOL rules, each run both ways by
``run_probe``; the runs must be identical, and a few lines GnuCOBOL prints are checked as well,
so that no probe can pass by doing nothing:

* USAGE INDEX items and index names hold an occurrence number in a native 4-byte binary
  (never truncated to nine digits); DISPLAY shows a sign and at least nine digits; index names
  start at 1 and USAGE INDEX items at 0; SET moves between index names, index items and
  integer items, UP BY and DOWN BY; INITIALIZE sets an index item to zero;
* SEARCH of a table inside another table (the outer subscripts held by their indexes),
  VARYING an item (set to the new occurrence number), an index below 1 (stepped on to the
  table), AT END only past the last occurrence;
* SEARCH ALL as GnuCOBOL's binary search: the occurrence it finds among duplicates and where
  the index is left when nothing is found, with DESCENDING keys, ODO tables and WHEN tests
  written in another order than the KEY clauses;
* SPECIAL-NAMES: switches ON/OFF STATUS read from ``COB_SWITCH_n`` (off when unset), SET
  mnemonic-name TO ON/OFF (several clauses in one SET); CLASS names with literals, THRU
  ranges either way round and ordinal numbers;
* a numeric literal written with leading zeros compared with a group or alphanumeric item
  (its digits as written);
* a PROCEDURE DIVISION header split over lines.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import require_tool
from probe_support import run_probe

from modernize.runtime import conditions
from modernize.runtime.compare import is_class
from modernize.runtime.display import display_bytes
from modernize.runtime.fields import IndexField, field
from modernize.validate.harness import Scenario

COBC = require_tool("cobc")
needs_cobc = pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")

INDEXPRB = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. INDEXPRB.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       77  IX-ITEM  USAGE IS INDEX.
       01  IX-GROUP USAGE IS INDEX.
           02  IX-A USAGE IS INDEX.
           02  IX-B USAGE IS INDEX.
       01  WS-NUM   PIC 9(4).
       01  WS-NEG   PIC S9(4) VALUE -3.
       01  WS-BIG   PIC 9(12).
       01  WS-BYTES PIC X(4).
       01  TAB1.
           02  TAB1-ENTRY PIC X(3) OCCURS 10 TIMES INDEXED BY TX1 TX2.
       PROCEDURE DIVISION.
           DISPLAY 'INIT ' IX-ITEM ' ' TX1 ' ' TX2
           SET TX1 TO 5
           SET IX-ITEM TO TX1
           SET IX-A TO IX-ITEM
           SET IX-B UP BY 2
           DISPLAY 'SET ' IX-ITEM ' ' IX-A ' ' IX-B
           SET WS-NUM TO TX1
           DISPLAY 'NUM ' WS-NUM
           SET TX2 TO WS-NEG
           DISPLAY 'NEG ' TX2
           IF IX-ITEM = TX1 DISPLAY 'ITEM = INDEX'.
           IF IX-ITEM = 5 DISPLAY 'ITEM = 5'.
           IF TX2 < IX-A DISPLAY 'TX2 < IX-A'.
           SET TX1 DOWN BY 7
           DISPLAY 'DOWN ' TX1
           SET TX1 TO 999999999
           SET TX1 UP BY 1
           DISPLAY 'WIDE ' TX1
           SET WS-BIG TO TX1
           DISPLAY 'BIG ' WS-BIG
           MOVE X'FFFFFFFF' TO WS-BYTES
           MOVE WS-BYTES TO IX-GROUP
           DISPLAY 'BYTES ' IX-A ' ' LENGTH OF IX-GROUP
           INITIALIZE IX-GROUP
           DISPLAY 'INITIALIZED ' IX-A ' ' IX-B
           SET TX1 TX2 TO 3
           MOVE 'ABC' TO TAB1-ENTRY (TX1)
           SET TX2 UP BY 1
           MOVE 'DEF' TO TAB1-ENTRY (TX2)
           DISPLAY 'TABLE ' TAB1(1:15)
           STOP RUN.
"""


@needs_cobc
def test_usage_index_and_index_names(tmp_path: Path) -> None:
    probe = run_probe(tmp_path, {"INDEXPRB": INDEXPRB}, "INDEXPRB", Scenario("run"))
    assert not probe.translations["INDEXPRB"].unsupported
    assert probe.verdict.equivalent, probe.report()
    lines = probe.legacy.stdout.decode("latin-1").splitlines()
    assert "INIT +000000000 +000000001 +000000001" in lines  # index names start at 1
    assert "SET +000000005 +000000005 +000000002" in lines
    assert "NEG -000000003" in lines
    assert "WIDE +1000000000" in lines  # a binary word, not nine digits
    assert "BYTES -000000001 8" in lines
    assert "INITIALIZED +000000000 +000000000" in lines


SEARCHPRB = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. SEARCHPRB.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-V   PIC 99 VALUE 50.
       01  TAB1.
           02  T1 OCCURS 3 INDEXED BY X1.
               03  T1-KEY PIC X.
               03  T2 OCCURS 4 INDEXED BY X2 X2B.
                   04  T2-VAL PIC 99.
       01  TAB3.
           02  T3 PIC X OCCURS 5 INDEXED BY X3.
       PROCEDURE DIVISION.
           PERFORM VARYING X1 FROM 1 BY 1 UNTIL X1 > 3
             PERFORM VARYING X2 FROM 1 BY 1 UNTIL X2 > 4
               SET WS-V TO X1
               COMPUTE T2-VAL (X1, X2) = WS-V * 10 + X2
             END-PERFORM
           END-PERFORM
           MOVE 'ABCDE' TO TAB3
           SET X1 TO 2
           SET X2 TO 1
           MOVE 50 TO WS-V
           SEARCH T2 VARYING WS-V
             AT END DISPLAY 'NOT FOUND ' WS-V
             WHEN T2-VAL (X1, X2) = 23 DISPLAY 'FOUND ' X2 ' ' WS-V
           END-SEARCH
           SET X2 TO 1
           SEARCH T2
             AT END DISPLAY 'LEVEL 2 AT END ' X2
             WHEN T2-VAL (X1, X2) = 99 DISPLAY 'BAD'
           END-SEARCH
           SET X3 TO 1
           SET X2B TO 3
           SEARCH T3 VARYING X2B
             AT END DISPLAY 'AT END ' X2B
             WHEN T3 (X3) = 'D' DISPLAY 'FOUND D ' X3 ' ' X2B
           END-SEARCH
           SET X3 TO 4
           SEARCH T3 AT END DISPLAY 'PAST THE END ' X3
             WHEN T3 (X3) = 'A' DISPLAY 'BAD'
           END-SEARCH
           SET X3 TO 1
           SET X3 DOWN BY 2
           SEARCH T3 AT END DISPLAY 'BAD'
             WHEN T3 (X3) = 'B' DISPLAY 'FROM BELOW ' X3
             WHEN T3 (X3) = 'A' DISPLAY 'A FIRST ' X3
           END-SEARCH
           STOP RUN.
"""


@needs_cobc
def test_search_nested_tables_and_varying(tmp_path: Path) -> None:
    probe = run_probe(tmp_path, {"SEARCHPRB": SEARCHPRB}, "SEARCHPRB", Scenario("run"))
    assert not probe.translations["SEARCHPRB"].unsupported
    assert probe.verdict.equivalent, probe.report()
    assert probe.legacy.stdout.decode("latin-1").splitlines() == [
        "FOUND +000000003 03",  # VARYING item set to the occurrence number, not counted on
        "LEVEL 2 AT END +000000005",
        "FOUND D +000000004 +000000004",
        "PAST THE END +000000006",
        "A FIRST +000000001",
    ]


SEARCHALL = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. SEARCHALL.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-N   PIC 99 VALUE 8.
       01  WS-V   PIC 99 VALUE 0.
       01  WS-KEY PIC 99 VALUE 16.
       01  TAB4.
           02  T4 OCCURS 6 ASCENDING KEY T4-K INDEXED BY X4.
               03  T4-K PIC 99.
       01  TAB5.
           02  T5 OCCURS 3 TO 10 DEPENDING ON WS-N
                  ASCENDING KEY IS T5-K INDEXED BY X5.
               03  T5-K PIC 99.
       01  TAB6.
           02  T6 OCCURS 6 DESCENDING T6-A ASCENDING KEY T6-B
                  INDEXED BY X6.
               03  T6-A PIC 9.
               03  T6-B PIC X.
       01  TAB7.
           02  T7 PIC X OCCURS 7 ASCENDING KEY IS T7 INDEXED BY X7.
       PROCEDURE DIVISION.
           PERFORM VARYING X4 FROM 1 BY 1 UNTIL X4 > 6
             SET WS-V TO X4
             COMPUTE T4-K (X4) = WS-V * 2
           END-PERFORM
           SEARCH ALL T4 AT END DISPLAY 'T4 END ' X4
             WHEN T4-K (X4) = 8 DISPLAY 'T4 FOUND ' X4
           END-SEARCH
           SEARCH ALL T4 AT END DISPLAY 'T4 END ' X4
             WHEN T4-K (X4) = 7 DISPLAY 'T4 FOUND ' X4
           END-SEARCH
           SEARCH ALL T4 AT END DISPLAY 'T4 END ' X4
             WHEN T4-K (X4) = 99 DISPLAY 'T4 FOUND ' X4
           END-SEARCH
           SEARCH ALL T4 AT END DISPLAY 'T4 END ' X4
             WHEN T4-K (X4) = 1 DISPLAY 'T4 FOUND ' X4
           END-SEARCH
           PERFORM VARYING X5 FROM 1 BY 1 UNTIL X5 > 10
             SET WS-V TO X5
             COMPUTE T5-K (X5) = WS-V * 2
           END-PERFORM
           SEARCH ALL T5 AT END DISPLAY 'T5 END ' X5
             WHEN T5-K (X5) = 2 DISPLAY 'T5 FOUND ' X5
           END-SEARCH
           SEARCH ALL T5 AT END DISPLAY 'T5 END ' X5
             WHEN T5-K (X5) = WS-KEY DISPLAY 'T5 FOUND ' X5
           END-SEARCH
           SEARCH ALL T5 AT END DISPLAY 'T5 END ' X5
             WHEN T5-K (X5) = WS-KEY + 2 DISPLAY 'T5 FOUND ' X5
           END-SEARCH
           MOVE '9A9B8A8C7B7C' TO TAB6
           SEARCH ALL T6 AT END DISPLAY 'T6 END ' X6
             WHEN T6-B (X6) = 'C' AND T6-A (X6) = 8
               DISPLAY 'T6 FOUND ' X6
           END-SEARCH
           SEARCH ALL T6 AT END DISPLAY 'T6 END ' X6
             WHEN T6-A (X6) = 7 AND T6-B (X6) = 'A'
               DISPLAY 'T6 FOUND ' X6
           END-SEARCH
           SEARCH ALL T6 AT END DISPLAY 'T6 END ' X6
             WHEN T6-A (X6) IS EQUAL TO 7
               DISPLAY 'T6 FOUND ' X6
           END-SEARCH
           MOVE 'AAAAAAB' TO TAB7
           SEARCH ALL T7 AT END DISPLAY 'T7 END ' X7
             WHEN T7 (X7) = 'A' DISPLAY 'T7 FOUND ' X7
           END-SEARCH
           STOP RUN.
"""


@needs_cobc
def test_search_all_is_gnucobol_binary_search(tmp_path: Path) -> None:
    probe = run_probe(tmp_path, {"SEARCHALL": SEARCHALL}, "SEARCHALL", Scenario("run"))
    assert not probe.translations["SEARCHALL"].unsupported
    assert probe.verdict.equivalent, probe.report()
    assert probe.legacy.stdout.decode("latin-1").splitlines() == [
        "T4 FOUND +000000004",
        "T4 END +000000004",  # not found: the last occurrence probed
        "T4 END +000000006",
        "T4 END +000000001",
        "T5 FOUND +000000001",  # from the first occurrence, whatever OCCURS 3 TO says
        "T5 FOUND +000000008",
        "T5 END +000000008",  # 18 lies past DEPENDING ON (8)
        "T6 FOUND +000000004",
        "T6 END +000000004",
        "T6 FOUND +000000005",
        "T7 FOUND +000000004",  # the middle one of the duplicates, not the first
    ]


SWITCHPRB = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. SWITCHPRB.
       ENVIRONMENT DIVISION.
       CONFIGURATION SECTION.
       SPECIAL-NAMES.
           SWITCH-1 IS SW-1 ON STATUS IS S1-ON OFF STATUS IS S1-OFF
           SWITCH-2 IS SW-2 ON IS S2-ON OFF IS S2-OFF
           SWITCH-3 ON STATUS IS S3-ON
           SWITCH-0 IS SW-0 ON STATUS IS S0-ON
           CLASS HEX-DIGIT IS '0' THRU '9' 'A' THRU 'F'
           CLASS BACKWARD IS 'D' THRU 'A'
           CLASS ORD-AB IS 66 THRU 67
           CLASS VOWEL 'AEIOU'
           CLASS LOW-HEX IS X'41' THRU X'43'.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-A  PIC X(4) VALUE '09AF'.
       01  WS-B  PIC X(4) VALUE 'ABCB'.
       01  WS-C  PIC X(4) VALUE 'AEI '.
       01  WS-D  PIC X(4) VALUE 'ABAB'.
       01  WS-N  PIC 9(3) VALUE 123.
       PROCEDURE DIVISION.
           IF S1-ON DISPLAY 'S1 ON' ELSE DISPLAY 'S1 NOT ON'.
           IF S1-OFF DISPLAY 'S1 OFF' ELSE DISPLAY 'S1 NOT OFF'.
           IF S2-ON DISPLAY 'S2 ON' ELSE DISPLAY 'S2 NOT ON'.
           IF S3-ON DISPLAY 'S3 ON' ELSE DISPLAY 'S3 NOT ON'.
           IF S0-ON DISPLAY 'S0 ON' ELSE DISPLAY 'S0 NOT ON'.
           SET SW-1 TO ON SW-2 TO OFF.
           IF S1-ON AND S2-OFF DISPLAY 'SET ON AND OFF'.
           SET SW-1 SW-2 TO OFF.
           IF NOT S1-ON AND NOT S2-ON DISPLAY 'BOTH OFF'.
           IF WS-A HEX-DIGIT DISPLAY 'A HEX' ELSE DISPLAY 'A NOT HEX'.
           IF WS-B HEX-DIGIT DISPLAY 'B HEX' ELSE DISPLAY 'B NOT HEX'.
           IF WS-B BACKWARD DISPLAY 'B BACK' ELSE DISPLAY 'B NOT BACK'.
           IF WS-B ORD-AB DISPLAY 'B ORD' ELSE DISPLAY 'B NOT ORD'.
           IF WS-D IS ORD-AB DISPLAY 'D ORD' ELSE DISPLAY 'D NOT ORD'.
           IF WS-A IS NOT LOW-HEX DISPLAY 'A NOT LOW'.
           IF WS-B IS NOT LOW-HEX DISPLAY 'B NOT LOW'.
           IF WS-C VOWEL DISPLAY 'C VOWEL' ELSE DISPLAY 'C NOT VOWEL'.
           IF WS-N HEX-DIGIT DISPLAY 'N HEX' ELSE DISPLAY 'N NOT HEX'.
           STOP RUN.
"""

_SWITCH_RUNS = {
    "unset": ({}, ["S1 NOT ON", "S1 OFF", "S2 NOT ON", "S3 NOT ON", "S0 NOT ON"]),
    "on": ({"COB_SWITCH_1": "on", "COB_SWITCH_2": "1", "COB_SWITCH_3": "ON",
            "COB_SWITCH_0": "ON"}, ["S1 ON", "S1 NOT OFF", "S2 ON", "S3 ON", "S0 ON"]),
    "other-values": ({"COB_SWITCH_1": "ONX", "COB_SWITCH_2": "10", "COB_SWITCH_3": "yes"},
                     ["S1 NOT ON", "S1 OFF", "S2 ON", "S3 NOT ON", "S0 NOT ON"]),
}


@needs_cobc
@pytest.mark.parametrize("run", list(_SWITCH_RUNS))
def test_switches_and_class_names(tmp_path: Path, run: str) -> None:
    env, first = _SWITCH_RUNS[run]
    probe = run_probe(tmp_path, {"SWITCHPRB": SWITCHPRB}, "SWITCHPRB", Scenario(run, env=env))
    assert not probe.translations["SWITCHPRB"].unsupported
    assert probe.verdict.equivalent, probe.report()
    assert probe.legacy.stdout.decode("latin-1").splitlines() == [*first, "SET ON AND OFF",
        "BOTH OFF", "A HEX", "B HEX", "B BACK", "B NOT ORD", "D ORD", "A NOT LOW",
        "C NOT VOWEL", "N HEX"]


LITERALS = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. LITERALS.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  G1.
           02  G1-A PIC 99 VALUE 9.
           02  G1-B PIC 99 VALUE 1.
           02  G1-C PIC 99 VALUE 9.
       01  X6 PIC X(6) VALUE '000123'.
       01  X4 PIC X(4) VALUE '0012'.
       01  N4 PIC 9(4) VALUE 12.
       PROCEDURE
           DIVISION
           .
       FIRST-PARAGRAPH.
           IF G1 = 090109 DISPLAY 'G1 EQ' ELSE DISPLAY 'G1 NE'.
           IF X6 = 000123 DISPLAY 'X6 EQ' ELSE DISPLAY 'X6 NE'.
           IF X6 = 123 DISPLAY 'X6 EQ 123' ELSE DISPLAY 'X6 NE 123'.
           IF 0012 = X4 DISPLAY 'X4 EQ' ELSE DISPLAY 'X4 NE'.
           IF X4 < 00120 DISPLAY 'X4 LT' ELSE DISPLAY 'X4 NOT LT'.
           IF N4 = 0012 DISPLAY 'N4 EQ' ELSE DISPLAY 'N4 NE'.
           EVALUATE X4 WHEN 0012 DISPLAY 'WHEN 0012'
                       WHEN OTHER DISPLAY 'WHEN OTHER'
           END-EVALUATE
           STOP RUN.
"""


@needs_cobc
def test_leading_zero_literals_and_split_procedure_header(tmp_path: Path) -> None:
    probe = run_probe(tmp_path, {"LITERALS": LITERALS}, "LITERALS", Scenario("run"))
    assert not probe.translations["LITERALS"].unsupported
    assert probe.verdict.equivalent, probe.report()
    assert probe.legacy.stdout.decode("latin-1").splitlines() == [
        "G1 EQ", "X6 EQ", "X6 NE 123", "X4 EQ", "X4 LT", "N4 EQ", "WHEN 0012"]


# -- the runtime pieces, without cobc ----------------------------------------------------------


def test_index_field_is_a_native_word() -> None:
    item = field(bytearray(4), 0, "S9(9)", "INDEX")
    assert isinstance(item, IndexField)
    item.set(5)
    assert item.raw == (5).to_bytes(4, sys.byteorder, signed=True)
    assert display_bytes(item) == b"+000000005"
    item.set(1_000_000_000)
    assert item.get() == Decimal(1_000_000_000)
    assert display_bytes(item) == b"+1000000000"


def test_class_and_switches() -> None:
    item = field(bytearray(b"ABBA"), 0, "X(4)")
    assert is_class(item, b"AB")
    assert not is_class(item, b"A")
    conditions.set_switch(7, True)
    assert conditions.switch_status(7)
    conditions.set_switch(7, False)
    assert not conditions.switch_status(7)
