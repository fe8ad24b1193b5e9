"""SPECIAL-NAMES ALPHABET and OBJECT-COMPUTER PROGRAM COLLATING SEQUENCE through the translator,
and SEARCH ALL with a condition-name, checked against GnuCOBOL (``cobc -x``).

Probe programs written for these tests, each run both ways by ``run_probe``; the runs must be
identical, and the lines GnuCOBOL prints are checked too, so that no probe passes by doing
nothing (each line differs between the native order and the program's sequence):

* a custom alphabet (literals, THRU either way round, ALSO ties, characters it does not name
  after the ones it does) in IF, EVALUATE ... THRU, level-88 VALUE ... THRU, SEARCH ALL, SORT
  keys and a numeric DISPLAY item against SPACE;
* LOW-VALUE and HIGH-VALUE of the procedure division (and of level 88s, SET ... TO TRUE too)
  are the sequence's first and last characters, while VALUE clauses keep X'00' and X'FF';
* two alphanumeric literals compare in the native order (cobc folds them);
* a CALLed program without a sequence compares natively, and the caller's sequence is back
  when it returns;
* the EBCDIC alphabet as the program collating sequence;
* SEARCH ALL ... WHEN condition-name, for a condition-name of a KEY.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import require_tool
from probe_support import run_probe

from modernize.runtime.collating import EBCDIC, alphabet, also, collating, thru
from modernize.runtime.compare import compare
from modernize.runtime.fields import field
from modernize.runtime.figurative import ALL, HIGH_VALUES, LOW_VALUES, SPACES
from modernize.validate.harness import Scenario

COBC = require_tool("cobc")
needs_cobc = pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")

GRADES = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. GRADES.
       ENVIRONMENT DIVISION.
       CONFIGURATION SECTION.
       OBJECT-COMPUTER. SHOP-HOST
           PROGRAM COLLATING SEQUENCE IS GRADE-ORDER.
       SPECIAL-NAMES.
           ALPHABET GRADE-ORDER IS 'P' 'G' 'S' ALSO 'B'
               'Z' THRU 'T' '0' THRU '9' 'Q' ALSO HIGH-VALUE
           ALPHABET UNUSED-ORDER IS 'G' 'P'.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT GRADE-SORT ASSIGN TO 'SORTWK'.
       DATA DIVISION.
       FILE SECTION.
       SD  GRADE-SORT.
       01  SORT-REC      PIC X.
       WORKING-STORAGE SECTION.
       01  WS-I          PIC 9.
       01  WS-SORTED     PIC X(7).
       01  WS-GRADE      PIC X VALUE 'G'.
           88  GRADE-TOP     VALUE 'P' THRU 'S'.
           88  GRADE-NONE    VALUE LOW-VALUE.
           88  GRADE-MAX     VALUE HIGH-VALUE.
       01  WS-P          PIC X VALUE 'P'.
       01  WS-S          PIC X VALUE 'S'.
       01  WS-B          PIC X VALUE 'B'.
       01  WS-Z          PIC X VALUE 'Z'.
       01  WS-T          PIC X VALUE 'T'.
       01  WS-CODE       PIC X(2) VALUE 'PG'.
       01  WS-NUM        PIC 9 VALUE 9.
       01  WS-RAW-LOW    PIC X VALUE LOW-VALUE.
       01  WS-FILL       PIC X(2).
       01  WS-TABLE      VALUE 'PGSZXVT'.
           05  WS-ENTRY  PIC X OCCURS 7 ASCENDING KEY WS-ENTRY
                         INDEXED BY WX.
       PROCEDURE DIVISION.
           IF WS-P < WS-GRADE DISPLAY 'P BEFORE G'
               ELSE DISPLAY 'P NOT BEFORE G'.
           IF WS-S = WS-B DISPLAY 'S EQUALS B' ELSE DISPLAY 'S NOT B'.
           IF WS-Z < WS-T DISPLAY 'Z BEFORE T' ELSE DISPLAY 'Z AFTER T'.
           IF WS-NUM < SPACE DISPLAY 'NINE BEFORE SPACE'
               ELSE DISPLAY 'NINE AFTER SPACE'.
           IF 'G' < 'P' DISPLAY 'LITERALS NATIVE'
               ELSE DISPLAY 'LITERALS COLLATED'.
           IF GRADE-TOP DISPLAY 'G IS TOP' ELSE DISPLAY 'G NOT TOP'.
           EVALUATE WS-CODE
               WHEN 'PA' THRU 'PZ' DISPLAY 'CODE IN PA-PZ'
               WHEN OTHER DISPLAY 'CODE OUTSIDE PA-PZ'
           END-EVALUATE
           MOVE LOW-VALUE TO WS-FILL
           DISPLAY 'LOW [' WS-FILL ']'
           IF WS-RAW-LOW = LOW-VALUE DISPLAY 'RAW IS LOW'
               ELSE DISPLAY 'RAW NOT LOW'.
           MOVE 'P' TO WS-GRADE
           IF GRADE-NONE DISPLAY 'P IS NONE' ELSE DISPLAY 'P NOT NONE'.
           MOVE HIGH-VALUE TO WS-FILL
           IF WS-FILL = X'FEFE' DISPLAY 'HIGH IS FE'
               ELSE DISPLAY 'HIGH NOT FE'.
           SET GRADE-MAX TO TRUE
           IF WS-GRADE = HIGH-VALUE DISPLAY 'SET MAX IS HIGH'.
           SEARCH ALL WS-ENTRY AT END DISPLAY 'X NOT FOUND'
               WHEN WS-ENTRY (WX) = 'X' DISPLAY 'X FOUND AT ' WX.
           SORT GRADE-SORT ON ASCENDING KEY SORT-REC
               INPUT PROCEDURE IS RELEASE-GRADES
               OUTPUT PROCEDURE IS RETURN-GRADES
           DISPLAY 'SORTED ' WS-SORTED
           CALL 'NATIVE1'
           IF WS-Z < WS-T DISPLAY 'BACK: Z BEFORE T'.
           STOP RUN.
       RELEASE-GRADES.
           PERFORM VARYING WS-I FROM 7 BY -1 UNTIL WS-I = 0
               MOVE WS-ENTRY (WS-I) TO SORT-REC
               RELEASE SORT-REC
           END-PERFORM.
       RETURN-GRADES.
           PERFORM VARYING WS-I FROM 1 BY 1 UNTIL WS-I > 7
               RETURN GRADE-SORT AT END EXIT PERFORM END-RETURN
               MOVE SORT-REC TO WS-SORTED (WS-I:1)
           END-PERFORM.
"""

NATIVE1 = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. NATIVE1.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-P          PIC X VALUE 'P'.
       01  WS-G          PIC X VALUE 'G'.
       PROCEDURE DIVISION.
           IF WS-P < WS-G DISPLAY 'SUB: P BEFORE G'
               ELSE DISPLAY 'SUB: P AFTER G'.
           IF WS-P > LOW-VALUE DISPLAY 'SUB: LOW IS X00'.
           GOBACK.
"""


@needs_cobc
def test_program_collating_sequence_matches_gnucobol(tmp_path: Path) -> None:
    probe = run_probe(tmp_path, {"GRADES": GRADES, "NATIVE1": NATIVE1}, "GRADES",
                      Scenario("run"))
    assert all(not t.unsupported for t in probe.translations.values())
    assert probe.verdict.equivalent, probe.report()
    assert probe.legacy.stdout.decode("latin-1").splitlines() == [
        "P BEFORE G", "S EQUALS B", "Z BEFORE T", "NINE BEFORE SPACE", "LITERALS NATIVE",
        "G IS TOP", "CODE OUTSIDE PA-PZ", "LOW [PP]", "RAW NOT LOW", "P IS NONE",
        "HIGH IS FE", "SET MAX IS HIGH", "X FOUND AT +000000005", "SORTED PGSZXVT",
        "SUB: P AFTER G", "SUB: LOW IS X00", "BACK: Z BEFORE T"]


EBCDICPRB = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. EBCDICPRB.
       ENVIRONMENT DIVISION.
       CONFIGURATION SECTION.
       OBJECT-COMPUTER. SHOP-HOST
           PROGRAM COLLATING SEQUENCE IS MAINFRAME.
       SPECIAL-NAMES.
           ALPHABET MAINFRAME IS EBCDIC.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-LOWER      PIC X(4) VALUE 'abcd'.
       01  WS-UPPER      PIC X(4) VALUE 'ABCD'.
       01  WS-DIGITS     PIC X(4) VALUE '1234'.
       PROCEDURE DIVISION.
           IF WS-LOWER < WS-UPPER DISPLAY 'LOWER CASE FIRST'
               ELSE DISPLAY 'UPPER CASE FIRST'.
           IF WS-DIGITS > WS-UPPER DISPLAY 'DIGITS LAST'
               ELSE DISPLAY 'DIGITS FIRST'.
           MOVE LOW-VALUE TO WS-DIGITS
           IF WS-DIGITS < SPACES DISPLAY 'LOW-VALUE IS X00'.
           STOP RUN.
"""


@needs_cobc
def test_ebcdic_collating_sequence(tmp_path: Path) -> None:
    probe = run_probe(tmp_path, {"EBCDICPRB": EBCDICPRB}, "EBCDICPRB", Scenario("run"))
    assert not probe.translations["EBCDICPRB"].unsupported
    assert probe.verdict.equivalent, probe.report()
    assert probe.legacy.stdout.decode("latin-1").splitlines() == [
        "LOWER CASE FIRST", "DIGITS LAST", "LOW-VALUE IS X00"]


KEYCOND = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. KEYCOND.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-RATES      VALUE 'AA010BB020CC030DD040EE050'.
           05  WS-RATE   OCCURS 5 ASCENDING KEY RT-CODE
                         INDEXED BY RX.
               10  RT-CODE   PIC XX.
                   88  RT-CC     VALUE 'CC'.
                   88  RT-QQ     VALUE 'QQ'.
               10  RT-AMT    PIC 9(3).
       PROCEDURE DIVISION.
           SEARCH ALL WS-RATE AT END DISPLAY 'CC NOT FOUND'
               WHEN RT-CC (RX) DISPLAY 'CC AT ' RX ' ' RT-AMT (RX).
           SEARCH ALL WS-RATE AT END DISPLAY 'QQ NOT FOUND ' RX
               WHEN RT-QQ (RX) DISPLAY 'QQ AT ' RX.
           STOP RUN.
"""


@needs_cobc
def test_search_all_when_condition_name(tmp_path: Path) -> None:
    probe = run_probe(tmp_path, {"KEYCOND": KEYCOND}, "KEYCOND", Scenario("run"))
    assert not probe.translations["KEYCOND"].unsupported
    assert probe.verdict.equivalent, probe.report()
    assert probe.legacy.stdout.decode("latin-1").splitlines() == [
        "CC AT +000000003 030", "QQ NOT FOUND +000000005"]


# -- the runtime pieces, without cobc ----------------------------------------------------------


def test_custom_alphabet_weights_and_figuratives() -> None:
    seq = alphabet("SEQ", "F", "U", also("N", HIGH_VALUES, LOW_VALUES), "Y")
    w = seq.weights
    assert w[ord("F")] < w[ord("U")] < w[ord("N")] == w[0xFF] == w[0x00] < w[ord("Y")]
    assert w[ord("Y")] < w[ord("A")] < w[ord("B")]  # the rest follow, in native order
    assert (seq.low, seq.high) == (ord("F"), 0xFE)  # X'FF' is named: the highest one not
    assert seq.low_values.pattern == b"F" and seq.low_values.literal
    backward = alphabet("REV", thru("Z", "A"), "0")
    assert backward.weights[ord("Z")] == 0 and backward.weights[ord("A")] == 25
    assert backward.high_values is HIGH_VALUES and backward.low == ord("Z")
    every = alphabet("ALL256", thru(256, 1))  # all named: HIGH-VALUE is the last one
    assert (every.low, every.high) == (0xFF, 0x00)
    assert alphabet("ORD", thru(1, 3)).low_values is LOW_VALUES
    with pytest.raises(ValueError, match="named twice"):
        alphabet("DUP", "AB", "B")


def test_compare_under_a_collating_sequence() -> None:
    seq = alphabet("SEQ", "P", "G", also("S", "B"))
    p, g = field(bytearray(b"P"), 0, "X"), field(bytearray(b"G"), 0, "X")
    s, b = field(bytearray(b"S"), 0, "X"), field(bytearray(b"B"), 0, "X")
    assert compare(p, g) > 0  # native outside a program's run
    with collating(seq):
        assert compare(p, g) < 0
        assert compare(s, b) == 0
        assert compare(g, SPACES) < 0  # SPACE is not named: it comes after
        assert compare("P", "G") > 0  # two literals: native, as cobc folds them
        assert compare("P", ALL("G")) > 0
        assert compare(p, "G") < 0
        with collating(None):
            assert compare(p, g) > 0
        assert compare(p, g) < 0
    assert compare(p, g) > 0


def test_ebcdic_table_is_a_permutation() -> None:
    assert sorted(EBCDIC.weights) == list(range(256))
    assert EBCDIC.weights[ord("a")] < EBCDIC.weights[ord("A")] < EBCDIC.weights[ord("0")]
    assert (EBCDIC.low, EBCDIC.high) == (0x00, 0xFF)
