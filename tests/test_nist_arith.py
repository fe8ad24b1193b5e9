"""Arithmetic, CORRESPONDING arithmetic, control flow, subscripts and INITIALIZE through the
translator, each checked against GnuCOBOL 3.1.2 (``cobc -x``, the twin's options).

Probe programs written for these tests from the COBOL rules (the classes of difference the
NIST nucleus showed, not its text):

* PERFORM ``a THRU b`` where ``b`` is a SECTION ends at the end of b's last paragraph;
* a GIVING or COMPUTE result is worked out once and then stored in each receiver (a receiver
  that is also an operand does not change what the next receivers get), while the TO / FROM /
  BY / INTO forms work receiver by receiver;
* ADD and SUBTRACT CORRESPONDING pair elementary numeric items of the same name under both
  groups (not numeric-edited, alphanumeric, FILLER, REDEFINES or OCCURS items), with ROUNDED
  and SIZE ERROR for every pair, and subscripted groups;
* an integer literal MOVEd to a group or an alphanumeric item keeps its digits as written;
* DIVIDE ... REMAINDER stores the quotient first, then resolves the remainder's subscripts
  (``REMAINDER R (Q)``) and stores the remainder, even after a size error on the quotient;
* a subscript outside the OCCURS range reads and writes the bytes where the element would be
  (GnuCOBOL checks nothing without -debug): subscript 0 is the bytes before the table;
* a SIGN clause on a group applies to the signed items under it, the innermost clause winning;
* level-88 names of a whole 01 record and of an OCCURS group; VALUE ALL QUOTE;
* INITIALIZE ... REPLACING changes only items of the category named (ALPHANUMERIC is neither
  ALPHABETIC nor ALPHANUMERIC-EDITED; an A or X picture with B, 0 or / is alphanumeric-edited).

Each probe's GnuCOBOL output must equal the Python's, and a few lines GnuCOBOL prints are
asserted literally, so a probe cannot pass by doing nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import require_tool
from probe_support import equivalent_probe

COBC = require_tool("cobc")
pytestmark = pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")

ARCTL = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. ARCTL.
      * PERFORM THRU A SECTION; GIVING/COMPUTE STORED ONCE; REMAINDER.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-COUNT            PIC 9(6)     VALUE ZERO.
       01  A                   PIC 99V9.
       01  B                   PIC 99V9.
       01  C                   PIC 99V9.
       01  Q                   PIC 99       VALUE ZERO.
       01  Q1                  PIC 9        VALUE ZERO.
       01  R                   PIC 99       VALUE ZERO.
       01  N                   PIC 999      VALUE 6.
       01  RS.
           05  REM             PIC 99 OCCURS 20.
       01  FLAG                PIC X        VALUE 'N'.
       PROCEDURE DIVISION.
       MAIN-LINE SECTION.
       START-HERE.
           PERFORM P-B THRU S-C
           DISPLAY 'B THRU SECTION C ' WS-COUNT
           PERFORM S-A THRU S-C 2 TIMES
           DISPLAY 'A THRU C TWICE ' WS-COUNT
           MOVE 10 TO A MOVE 3.9 TO B
           DIVIDE B INTO A GIVING C A ROUNDED B
           DISPLAY 'DIVIDE GIVING ' A ' ' B ' ' C
           MOVE 2 TO A MOVE 3 TO B
           ADD A B GIVING A B C
           DISPLAY 'ADD GIVING ' A ' ' B ' ' C
           MOVE 2 TO A MOVE 3 TO B
           COMPUTE A B ROUNDED = A + B / 2
           DISPLAY 'COMPUTE ' A ' ' B
           MOVE 2 TO A MOVE 3 TO B
           ADD A TO A B
           DISPLAY 'ADD TO ' A ' ' B
           MOVE 2 TO A MOVE 8 TO B
           DIVIDE A INTO A B
           DISPLAY 'DIVIDE INTO ' A ' ' B
           MOVE ZERO TO RS
           DIVIDE N INTO 100 GIVING Q REMAINDER REM (Q)
           DISPLAY 'REMAINDER ' Q ' ' REM (16) ' ' RS
           MOVE 77 TO R
           DIVIDE 100 BY N GIVING Q1 REMAINDER R
               ON SIZE ERROR MOVE 'Y' TO FLAG
           END-DIVIDE
           DISPLAY 'SIZE ERROR ' Q1 ' ' R ' ' FLAG
           MOVE 77 TO R
           DIVIDE 100 BY ZERO GIVING Q1 REMAINDER R
               ON SIZE ERROR MOVE 'Z' TO FLAG
           END-DIVIDE
           DISPLAY 'BY ZERO ' Q1 ' ' R ' ' FLAG
           STOP RUN.
       S-A SECTION.
       P-B.
           ADD 100 TO WS-COUNT.
       S-C SECTION.
       P-D.
           ADD 10000 TO WS-COUNT.
       P-E.
           ADD 1 TO WS-COUNT.
       S-F SECTION.
       P-G.
           DISPLAY 'NEVER IN S-F'.
"""

ARCORR = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. ARCORR.
      * ADD AND SUBTRACT CORRESPONDING; INTEGER LITERALS TO GROUPS.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  SRC.
           05  AMT             PIC 9(3)     VALUE 5.
           05  NAME            PIC X(3)     VALUE 'ABC'.
           05  EDT             PIC 9(3)     VALUE 7.
           05  SUB-G.
               10  INNER       PIC 9(2)     VALUE 11.
               10  BIG         PIC 9(3)     VALUE 950.
           05  GRP-E           PIC 9(2)     VALUE 3.
           05  FILLER          PIC 9(2)     VALUE 4.
           05  RDF             PIC 9(2)     VALUE 8.
           05  RDF2 REDEFINES RDF PIC 9(2).
           05  TB              PIC 9 OCCURS 2 VALUE 1.
           05  NEG             PIC S9(3)V99 VALUE -2.55.
       01  DST.
           05  NEG             PIC S9V9     VALUE 0.4.
           05  AMT             PIC 9(3)     VALUE 100.
           05  NAME            PIC X(3)     VALUE 'XYZ'.
           05  EDT             PIC ZZ9      VALUE 1.
           05  SUB-G.
               10  BIG         PIC 9(3)     VALUE 60.
               10  INNER       PIC 9(2)     VALUE 22.
           05  GRP-E.
               10  GRP-E1      PIC 9        VALUE 1.
           05  FILLER          PIC 9(2)     VALUE 4.
           05  RDF2            PIC 9(2)     VALUE 1.
           05  TB              PIC 9 OCCURS 2 VALUE 2.
       01  TBL.
           05  ROW OCCURS 3.
               10  AMT         PIC 9(3).
               10  NEG         PIC S9(3).
       01  FLAG                PIC X        VALUE 'N'.
       01  GRP.
           05  G1              PIC 99.
           05  G2              PIC 9(4).
       01  X6                  PIC X(6).
       PROCEDURE DIVISION.
           ADD CORRESPONDING SRC TO DST
           DISPLAY 'ADD ' DST
           ADD CORR SRC TO DST ROUNDED
               ON SIZE ERROR MOVE 'Y' TO FLAG
               NOT ON SIZE ERROR MOVE 'X' TO FLAG
           END-ADD
           DISPLAY 'ROUNDED ' DST ' ' FLAG
           ADD CORR SRC TO DST
               ON SIZE ERROR MOVE 'E' TO FLAG
           END-ADD
           DISPLAY 'SIZE ERROR ' DST ' ' FLAG
           SUBTRACT CORR SRC FROM DST
           DISPLAY 'SUBTRACT ' DST
           MOVE ZERO TO TBL
           MOVE 1 TO AMT OF ROW (2)
           ADD CORR SRC TO ROW (2)
           SUBTRACT CORR SRC FROM ROW (3)
           DISPLAY 'TABLE ' TBL
           SUBTRACT CORRESPONDING ROW (2) FROM SRC
           DISPLAY 'FROM ROW ' SRC
           MOVE 060820 TO GRP
           DISPLAY 'LITERAL ' GRP ' ' G1 ' ' G2
           MOVE -0012 TO X6
           DISPLAY 'LITERAL ' X6 '|'
           MOVE 0012 TO X6 (2:4)
           DISPLAY 'LITERAL ' X6 '|'
           STOP RUN.
"""

ARDATA = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. ARDATA.
      * GROUP SIGN CLAUSES; 88S OF RECORDS AND OCCURS GROUPS;
      * SUBSCRIPTS OUTSIDE THE OCCURS RANGE; VALUE ALL QUOTE.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  SIGNS  SIGN TRAILING.
           03  S-OUTER         PIC S9(3).
           03  S-GROUP  SIGN LEADING SEPARATE.
               05  S-INNER     PIC S9(3).
               05  S-OWN       PIC S9(3)  SIGN TRAILING SEPARATE.
               05  S-PLAIN     PIC 9(3).
       01  REC.
           88  REC-ABC         VALUE 'ABCABC'.
           88  REC-RANGE       VALUE 'A' THRU 'B'.
           05  R1              PIC XXX      VALUE 'ABC'.
           05  R2              PIC XXX      VALUE 'ABC'.
       01  TBL.
           05  ROW OCCURS 3.
               88  ROW-EMPTY   VALUE SPACES.
               10  RA          PIC XX.
               10  RB          PIC X.
       01  LAYOUT.
           05  HEAD            PIC X(3)     VALUE 'HDR'.
           05  T               PIC XX OCCURS 3.
           05  TAIL            PIC X(4)     VALUE 'TAIL'.
       01  I                   PIC 9        VALUE 0.
       01  QQ                  PIC X(4)     VALUE ALL QUOTE.
       PROCEDURE DIVISION.
           MOVE -12 TO S-OUTER S-INNER S-OWN S-PLAIN
           DISPLAY 'SIGNS ' SIGNS
           IF REC-ABC DISPLAY 'ABC' ELSE DISPLAY 'NOT ABC'.
           IF REC-RANGE DISPLAY 'IN RANGE' ELSE DISPLAY 'OUT'.
           MOVE 'X' TO R2
           IF REC-ABC DISPLAY 'ABC' ELSE DISPLAY 'NOT ABC'.
           SET REC-ABC TO TRUE
           DISPLAY REC
           MOVE SPACES TO TBL
           MOVE 'Q' TO RB (2)
           IF ROW-EMPTY (1) DISPLAY 'ROW 1 EMPTY'.
           IF NOT ROW-EMPTY (2) DISPLAY 'ROW 2 FULL'.
           MOVE 'AABBCC' TO LAYOUT (4:6)
           DISPLAY 'T (0) [' T (I) ']'
           MOVE 4 TO I
           DISPLAY 'T (4) [' T (I) ']'
           MOVE 0 TO I
           MOVE 'ZZ' TO T (I)
           DISPLAY 'LAYOUT [' LAYOUT ']'
           DISPLAY 'QUOTES ' QQ
           STOP RUN.
"""

ARINIT = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. ARINIT.
      * INITIALIZE [REPLACING] BY CATEGORY.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  REC.
           05  NUM             PIC 9(4)      VALUE 5.
           05  NED             PIC $$9.99    VALUE 1.
           05  ALN             PIC X(4)      VALUE 'QQQQ'.
           05  ANE             PIC XXBX/X.
           05  ALB             PIC A(3)      VALUE 'ZZZ'.
           05  ALE             PIC AAB0A.
           05  NUE             PIC 9B9       VALUE 7.
       PROCEDURE DIVISION.
           INITIALIZE REC
           DISPLAY 'PLAIN [' REC ']'
           INITIALIZE REC REPLACING ALPHANUMERIC BY 'WXYZ'
           DISPLAY 'ALPHANUMERIC [' REC ']'
           INITIALIZE REC REPLACING ALPHABETIC BY 'KLM'
           DISPLAY 'ALPHABETIC [' REC ']'
           INITIALIZE REC REPLACING ALPHANUMERIC-EDITED BY 'EFGH'
           DISPLAY 'ALPHANUMERIC-EDITED [' REC ']'
           INITIALIZE REC REPLACING NUMERIC-EDITED BY 42
           DISPLAY 'NUMERIC-EDITED [' REC ']'
           INITIALIZE REC REPLACING NUMERIC DATA BY 3
           DISPLAY 'NUMERIC [' REC ']'
           INITIALIZE ANE ALB NUE
           DISPLAY 'ITEMS [' REC ']'
           STOP RUN.
"""


def test_perform_thru_sections_and_results_stored_once(tmp_path: Path) -> None:
    lines = equivalent_probe(tmp_path, "ARCTL", ARCTL).lines()
    # B, then all of section C (D and E): the range ends with C's last paragraph
    assert "B THRU SECTION C 010101" in lines
    assert "A THRU C TWICE 030303" in lines
    # 10 / 3.9 = 2.56...: every receiver gets it, A (ROUNDED) too, though A is the dividend
    assert "DIVIDE GIVING 02.6 02.5 02.5" in lines
    assert "ADD GIVING 05.0 05.0 05.0" in lines
    assert "COMPUTE 03.5 03.5" in lines
    # the TO and INTO forms go receiver by receiver: the second sees the first's new value
    assert "ADD TO 04.0 07.0" in lines
    assert "DIVIDE INTO 01.0 08.0" in lines
    # 100 / 6 = 16 rest 4, stored in REM (16): the subscript is the new quotient
    assert any(line.startswith("REMAINDER 16 04 ") for line in lines)
    # the quotient (16) does not fit Q1: it keeps its value, the remainder is stored
    assert "SIZE ERROR 0 04 Y" in lines
    assert "BY ZERO 0 77 Z" in lines
    assert not any("NEVER" in line for line in lines)


def test_add_and_subtract_corresponding(tmp_path: Path) -> None:
    lines = equivalent_probe(tmp_path, "ARCORR", ARCORR).lines()
    # NEG -2.55 + 0.4 = -2.15 -> -2.1; AMT 105; NAME, EDT (numeric-edited), GRP-E (a group
    # against an elementary item), FILLER, RDF2 (a REDEFINES) and TB (OCCURS) untouched;
    # BIG 60 + 950 = 1010 -> 010 without SIZE ERROR; INNER 33
    assert "ADD 2q105XYZ  1010331040122" in lines
    assert "ROUNDED 4w110XYZ  1960441040122 X" in lines
    # BIG 960 + 950 does not fit 9(3): it alone keeps its value, the others are added
    assert "SIZE ERROR 7r115XYZ  1960551040122 E" in lines
    assert "TABLE 00000000600r005002" in lines
    # digits as written, leading zeros kept, sign dropped
    assert "LITERAL 060820 06 0820" in lines
    assert "LITERAL 0012  |" in lines
    assert "LITERAL 00012 |" in lines


def test_signs_conditions_and_subscripts_outside_the_table(tmp_path: Path) -> None:
    lines = equivalent_probe(tmp_path, "ARDATA", ARDATA).lines()
    # S-OUTER trailing (the record's); S-INNER leading separate (its group's); S-OWN its
    # own trailing separate; S-PLAIN unsigned
    assert "SIGNS 01r-012012-012" in lines
    assert lines[1:4] == ["ABC", "IN RANGE", "NOT ABC"]
    assert "ABCABC" in lines
    assert "ROW 1 EMPTY" in lines and "ROW 2 FULL" in lines
    # T (0) is the two bytes before the table, T (4) the two after it
    assert "T (0) [DR]" in lines
    assert "T (4) [TA]" in lines
    assert "LAYOUT [HZZAABBCCTAIL]" in lines
    assert 'QUOTES """"' in lines


def test_initialize_replacing_by_category(tmp_path: Path) -> None:
    lines = equivalent_probe(tmp_path, "ARINIT", ARINIT).lines()
    assert "PLAIN [0000 $0.00        /       0 0 0]" in lines
    # ALPHANUMERIC: ALN only (not the A(3) item, not the edited ones)
    assert "ALPHANUMERIC [0000 $0.00WXYZ    /       0 0 0]" in lines
    assert "ALPHABETIC [0000 $0.00WXYZ    / KLM   0 0 0]" in lines
    # XXBX/X and AAB0A are alphanumeric-edited (the value is edited in); 9B9 is not
    assert "ALPHANUMERIC-EDITED [0000 $0.00WXYZEF G/HKLMEF 0G0 0]" in lines
    assert "NUMERIC-EDITED [0000$42.00WXYZEF G/HKLMEF 0G4 2]" in lines
    assert "ITEMS [0003$42.00WXYZ    /    EF 0G0 0]" in lines
