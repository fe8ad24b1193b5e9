"""Probe programs through the translator, checked against GnuCOBOL.

Small COBOL programs written for these tests (fixed format, the style of the batch estate),
each one a probe of a corner of the language the translator must get right: control flow
(fall-through, sections, PERFORM THRU with GO TO in and out of the range, the loop forms, GO TO
DEPENDING ON, NEXT SENTENCE, ALTER, EXIT PARAGRAPH / SECTION / PERFORM [CYCLE]), nested PERFORM
VARYING ... AFTER and the variables' values after the loop, COMP-3 and signed DISPLAY arithmetic
(truncation, ROUNDED, REMAINDER, SIZE ERROR), numeric editing, REDEFINES, OCCURS, level 88,
INITIALIZE, MOVE CORRESPONDING, reference modification, STRING / UNSTRING / INSPECT, LINE
SEQUENTIAL and fixed-length files with their FILE STATUS, EVALUATE, SEARCH, CALL between two
translated programs (static, dynamic, missing), SORT with procedures and with USING / GIVING,
ACCEPT FROM DATE / TIME under ``COB_CURRENT_DATE``, ACCEPT and DISPLAY with [NOT] ON
EXCEPTION, RETURN-CODE as the exit status, and (MISCPRB) MOVEs between categories,
comparisons, class and sign conditions, and intrinsic functions.

All probes are analysed together from one folder (CALLPRB calls CALLSUB, a second source file)
and translated into one code folder; each main program is built once with ``cobc`` and run on
its scenarios through GnuCOBOL and through the Python in the sandbox, and ``compare`` must find
stdout, the return code and every output file byte-identical. A few lines GnuCOBOL prints are
checked as well, so a probe cannot pass by doing nothing: they pin the COBOL rule it probes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import require_tool

from modernize.analysis.run import analyze_into
from modernize.analysis.store import load_analysis
from modernize.core.model import Estate
from modernize.translate import Translation, translate_program
from modernize.validate.harness import Scenario, build, run
from modernize.validate.harness.compare import compare
from modernize.validate.harness.legacy import Build, RunResult
from modernize.validate.harness.python import run_python

COBC = require_tool("cobc")
needs_cobc = pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")

CTLFLOW = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. CTLFLOW.
      *----------------------------------------------------------------
      * PROBE: PARAGRAPH FALL-THROUGH, SECTIONS, PERFORM THRU WITH
      * GO TO, LOOP FORMS, GO TO DEPENDING ON, NEXT SENTENCE, ALTER.
      *----------------------------------------------------------------
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-COUNT            PIC 9(3)   VALUE ZERO.
       01  WS-LIMIT            PIC 9(3)   VALUE 3.
       01  WS-TIMES            PIC S9(3)  VALUE ZERO.
       01  WS-SEL              PIC 9      VALUE ZERO.
       01  WS-FLAG             PIC X      VALUE 'N'.
           88  WS-DONE                    VALUE 'Y'.
           88  WS-NOT-DONE                VALUE 'N'.
       01  WS-PASS             PIC 9      VALUE 1.
       PROCEDURE DIVISION.
       0000-MAIN SECTION.
       0000-START.
           DISPLAY 'START'.
       0010-FALL-INTO.
           DISPLAY 'FELL INTO 0010'
           PERFORM 1000-WHOLE-SECTION
           PERFORM 2000-A THRU 2000-C
           PERFORM 3000-X THRU 3000-Z
           PERFORM 4000-LOOPS
           PERFORM 5000-DEPENDING
           PERFORM 6000-SENTENCES
           PERFORM 7000-ALTERED
           PERFORM 7500-EXIT-PARA
           DISPLAY 'BACK IN MAIN'
           GO TO 0090-LAST.
       0020-NEVER.
           DISPLAY 'NEVER REACHED 0020'.
       0090-LAST.
           DISPLAY 'LAST OF MAIN SECTION'.
       0095-FALL-AGAIN.
           DISPLAY 'FELL INTO 0095'
           STOP RUN.

       1000-WHOLE-SECTION SECTION.
       1000-FIRST.
           ADD 1 TO WS-COUNT
           DISPLAY 'SECTION PARA 1 COUNT=' WS-COUNT.
       1000-SECOND.
           ADD 1 TO WS-COUNT
           DISPLAY 'SECTION PARA 2 COUNT=' WS-COUNT.
       1000-THIRD.
           DISPLAY 'SECTION PARA 3'.

       2000-RANGE SECTION.
       2000-A.
           DISPLAY 'IN 2000-A'.
       2000-B.
           DISPLAY 'IN 2000-B'
           GO TO 2000-C.
       2000-SKIPPED.
           DISPLAY 'NEVER REACHED 2000-SKIPPED'.
       2000-C.
           DISPLAY 'IN 2000-C'.

       3000-OUT-OF-RANGE SECTION.
       3000-X.
           DISPLAY 'IN 3000-X'.
       3000-Y.
           DISPLAY 'IN 3000-Y, LEAVING THE RANGE'
           GO TO 3500-OUTSIDE.
       3000-Z.
           DISPLAY 'IN 3000-Z, END OF RANGE'.
       3500-OUTSIDE.
           DISPLAY 'IN 3500-OUTSIDE'
           IF WS-PASS = 1
               MOVE 2 TO WS-PASS
               GO TO 3000-Z
           END-IF
           DISPLAY 'NEVER REACHED IN 3500'.

       4000-LOOPS SECTION.
       4000-START.
           MOVE ZERO TO WS-COUNT
           PERFORM 4100-BUMP WITH TEST BEFORE UNTIL WS-COUNT >= 3
           DISPLAY 'TEST BEFORE COUNT=' WS-COUNT
           PERFORM 4100-BUMP WITH TEST BEFORE UNTIL WS-COUNT >= 3
           DISPLAY 'TEST BEFORE, ALREADY TRUE, COUNT=' WS-COUNT
           PERFORM 4100-BUMP WITH TEST AFTER UNTIL WS-COUNT >= 3
           DISPLAY 'TEST AFTER, ALREADY TRUE, COUNT=' WS-COUNT
           PERFORM WITH TEST AFTER UNTIL WS-COUNT > 5
               ADD 1 TO WS-COUNT
               DISPLAY 'INLINE TEST AFTER ' WS-COUNT
           END-PERFORM
           PERFORM 4100-BUMP WS-LIMIT TIMES
           DISPLAY 'AFTER 3 TIMES COUNT=' WS-COUNT
           MOVE ZERO TO WS-TIMES
           PERFORM 4100-BUMP WS-TIMES TIMES
           MOVE -2 TO WS-TIMES
           PERFORM 4100-BUMP WS-TIMES TIMES
           DISPLAY 'AFTER 0 AND -2 TIMES COUNT=' WS-COUNT
           PERFORM 2 TIMES
               DISPLAY 'INLINE TIMES'
           END-PERFORM
           SET WS-NOT-DONE TO TRUE
           PERFORM UNTIL WS-DONE
               ADD 1 TO WS-COUNT
               IF WS-COUNT > 12
                   SET WS-DONE TO TRUE
               END-IF
           END-PERFORM
           DISPLAY 'UNTIL 88 COUNT=' WS-COUNT.
       4100-BUMP.
           ADD 1 TO WS-COUNT.

       5000-DEPENDING SECTION.
       5000-START.
           PERFORM 5100-PICK THRU 5190-EXIT
               VARYING WS-SEL FROM 0 BY 1 UNTIL WS-SEL > 4
           DISPLAY 'SELECTOR AFTER THE LOOP ' WS-SEL.
       5100-PICK.
           DISPLAY 'SELECTOR ' WS-SEL
           GO TO 5110-ONE 5120-TWO 5130-THREE
               DEPENDING ON WS-SEL
           DISPLAY '  OUT OF RANGE, FELL THROUGH'
           GO TO 5190-EXIT.
       5110-ONE.
           DISPLAY '  BRANCH ONE'
           GO TO 5190-EXIT.
       5120-TWO.
           DISPLAY '  BRANCH TWO'.
       5130-THREE.
           DISPLAY '  BRANCH THREE (TWO FALLS IN HERE)'.
       5190-EXIT.
           EXIT.

       6000-SENTENCES SECTION.
       6000-START.
           MOVE 'Y' TO WS-FLAG
           IF WS-DONE
               NEXT SENTENCE
           ELSE
               DISPLAY 'NOT DONE'
           END-IF
           DISPLAY 'SKIPPED BY NEXT SENTENCE'.
           DISPLAY 'AFTER THE PERIOD'
           IF WS-NOT-DONE
               DISPLAY 'NOT DONE'
           ELSE
               DISPLAY 'DONE, SAME SENTENCE'
           END-IF.

       7000-ALTERED SECTION.
       7000-START.
           PERFORM 7100-SWITCH THRU 7190-EXIT
           ALTER 7100-SWITCH TO PROCEED TO 7120-SECOND
           PERFORM 7100-SWITCH THRU 7190-EXIT
           ALTER 7100-SWITCH TO 7110-FIRST
           PERFORM 7100-SWITCH THRU 7190-EXIT.
       7100-SWITCH.
           GO TO 7110-FIRST.
       7110-FIRST.
           DISPLAY 'ALTER: FIRST'
           GO TO 7190-EXIT.
       7120-SECOND.
           DISPLAY 'ALTER: SECOND'.
       7190-EXIT.
           EXIT.

       7500-EXIT-PARA SECTION.
       7500-START.
           DISPLAY 'BEFORE EXIT PARAGRAPH'
           IF WS-DONE
               EXIT PARAGRAPH
           END-IF
           DISPLAY 'NEVER AFTER EXIT PARAGRAPH'.
       7510-NEXT.
           DISPLAY 'NEXT PARAGRAPH OF 7500'
           PERFORM VARYING WS-COUNT FROM 1 BY 1 UNTIL WS-COUNT > 5
               IF WS-COUNT = 3
                   EXIT PERFORM
               END-IF
               DISPLAY 'INLINE ' WS-COUNT
           END-PERFORM
           DISPLAY 'AFTER EXIT PERFORM ' WS-COUNT
           PERFORM VARYING WS-COUNT FROM 1 BY 1 UNTIL WS-COUNT > 3
               IF WS-COUNT = 2
                   EXIT PERFORM CYCLE
               END-IF
               DISPLAY 'CYCLE ' WS-COUNT
           END-PERFORM
           EXIT SECTION.
       7520-NOT-REACHED.
           DISPLAY 'NEVER AFTER EXIT SECTION'.
"""


VARYNEST = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. VARYNEST.
      *----------------------------------------------------------------
      * PROBE: NESTED PERFORM VARYING ... AFTER, AND THE CONTROL
      * VARIABLES' VALUES WHEN THE LOOPS END.
      *----------------------------------------------------------------
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-I                PIC S9(3)  VALUE ZERO.
       01  WS-J                PIC S9(3)  VALUE ZERO.
       01  WS-K                PIC S9(3)  VALUE ZERO.
       01  WS-TOP              PIC 9(3)   VALUE 3.
       01  WS-STEP             PIC S9(3)  VALUE -2.
       01  WS-CALLS            PIC 9(4)   VALUE ZERO.
       01  WS-GRID.
           05  WS-ROW OCCURS 3 TIMES.
               10  WS-CELL     PIC 9(2) OCCURS 4 TIMES.
       01  WS-SUM              PIC 9(5)   VALUE ZERO.
       01  WS-SQUARES.
           05  WS-SQUARE       PIC 9(2) OCCURS 5 TIMES INDEXED BY SQ-IX.
       01  WS-N                PIC 9(2)   VALUE ZERO.
       PROCEDURE DIVISION.
       0000-MAIN.
           PERFORM 1000-SHOW
               VARYING WS-I FROM 1 BY 1 UNTIL WS-I > WS-TOP
               AFTER WS-J FROM WS-I BY 1 UNTIL WS-J > WS-TOP
           DISPLAY 'AFTER J FROM I: I=' WS-I ' J=' WS-J
               ' CALLS=' WS-CALLS
           MOVE ZERO TO WS-CALLS
           PERFORM 1000-SHOW
               VARYING WS-I FROM 1 BY 1 UNTIL WS-I > 2
               AFTER WS-J FROM 1 BY 1 UNTIL WS-J > 2
               AFTER WS-K FROM WS-J BY 1 UNTIL WS-K > 3
           DISPLAY 'THREE LEVELS: I=' WS-I ' J=' WS-J ' K=' WS-K
               ' CALLS=' WS-CALLS
           PERFORM VARYING WS-I FROM 9 BY WS-STEP UNTIL WS-I < 0
               DISPLAY 'DOWN BY 2 ' WS-I
           END-PERFORM
           DISPLAY 'DOWN LOOP ENDS AT ' WS-I
           PERFORM VARYING WS-I FROM 5 BY 1 UNTIL WS-I > 4
               DISPLAY 'NEVER RUNS'
           END-PERFORM
           DISPLAY 'EMPTY LOOP LEAVES I=' WS-I
           PERFORM VARYING WS-I FROM 1 BY 1 UNTIL WS-I > 3
                   AFTER WS-J FROM 1 BY 1 UNTIL WS-J > 4
               COMPUTE WS-CELL (WS-I, WS-J) = WS-I * 10 + WS-J
           END-PERFORM
           DISPLAY 'GRID ' WS-GRID
           PERFORM VARYING WS-I FROM 1 BY 1 UNTIL WS-I > 3
               PERFORM VARYING WS-J FROM WS-I BY 1 UNTIL WS-J > 4
                   ADD WS-CELL (WS-I, WS-J) TO WS-SUM
               END-PERFORM
           END-PERFORM
           DISPLAY 'NESTED INLINE SUM ' WS-SUM ' I=' WS-I ' J=' WS-J
           PERFORM VARYING WS-I FROM 1 BY 1 UNTIL WS-I > 10
               ADD 2 TO WS-I
               DISPLAY 'BODY CHANGES I ' WS-I
           END-PERFORM
           DISPLAY 'I AFTER BODY CHANGES ' WS-I
           PERFORM 2000-TEST-AFTER
           PERFORM 3000-INDEX-AND-EXITS
           STOP RUN.
       1000-SHOW.
           ADD 1 TO WS-CALLS
           DISPLAY '  I=' WS-I ' J=' WS-J ' K=' WS-K.
       2000-TEST-AFTER.
           PERFORM WITH TEST AFTER
                   VARYING WS-I FROM 1 BY 1 UNTIL WS-I >= 3
                   AFTER WS-J FROM WS-I BY 1 UNTIL WS-J >= 3
               DISPLAY 'TEST AFTER I=' WS-I ' J=' WS-J
           END-PERFORM
           DISPLAY 'TEST AFTER ENDS I=' WS-I ' J=' WS-J
           PERFORM WITH TEST AFTER
                   VARYING WS-K FROM 7 BY 1 UNTIL WS-K > 2
               DISPLAY 'TEST AFTER RUNS ONCE K=' WS-K
           END-PERFORM
           DISPLAY 'K=' WS-K
           PERFORM 1000-SHOW WITH TEST AFTER
               VARYING WS-I FROM 1 BY 2 UNTIL WS-I > 4
           DISPLAY 'OUT-OF-LINE TEST AFTER ENDS I=' WS-I.
       3000-INDEX-AND-EXITS.
           PERFORM VARYING SQ-IX FROM 1 BY 1 UNTIL SQ-IX > 5
               SET WS-N TO SQ-IX
               COMPUTE WS-SQUARE (SQ-IX) = WS-N * WS-N
           END-PERFORM
           SET WS-N TO SQ-IX
           DISPLAY 'SQUARES ' WS-SQUARES ' INDEX AFTER ' WS-N
           PERFORM WITH TEST AFTER VARYING WS-I FROM 1 BY 1
                   UNTIL WS-I >= 3
               PERFORM WITH TEST AFTER VARYING WS-N FROM 1 BY 1
                       UNTIL WS-N >= 2
                   IF WS-N = 1
                       EXIT PERFORM CYCLE
                   END-IF
                   DISPLAY 'CYCLE SKIPS N=1: I=' WS-I ' N=' WS-N
                   IF WS-I = 2
                       EXIT PERFORM
                   END-IF
               END-PERFORM
           END-PERFORM
           DISPLAY 'EXITS END I=' WS-I ' N=' WS-N
           PERFORM
               DISPLAY 'INLINE PERFORM WITHOUT A LOOP'
               EXIT PERFORM
               DISPLAY 'NEVER AFTER EXIT PERFORM'
           END-PERFORM.
"""


ARITHPRB = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. ARITHPRB.
      *----------------------------------------------------------------
      * PROBE: COMP-3 AND SIGNED DISPLAY ARITHMETIC, TRUNCATION,
      * ROUNDED, REMAINDER, COMPUTE, SIZE ERROR.
      *----------------------------------------------------------------
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-AMOUNTS.
           05  WS-P1           PIC S9(5)V99 COMP-3 VALUE 1234.56.
           05  WS-P2           PIC S9(3)V9  COMP-3 VALUE -12.5.
           05  WS-P3           PIC 9(4)     COMP-3 VALUE 7.
           05  WS-D1           PIC S9(4)V99        VALUE -45.67.
           05  WS-D2           PIC S9(6)V9(3)      VALUE ZERO.
           05  WS-U1           PIC 9(3)V9          VALUE 3.
           05  WS-U2           PIC 9(3)            VALUE ZERO.
           05  WS-SMALL        PIC 9(2)            VALUE 95.
           05  WS-SMALL-S      PIC S9(2)           VALUE -95.
           05  WS-Q            PIC S9(3)V99        VALUE ZERO.
           05  WS-R            PIC S9(3)V99        VALUE ZERO.
           05  WS-QI           PIC S9(3)           VALUE ZERO.
           05  WS-RI           PIC S9(3)           VALUE ZERO.
           05  WS-BIN          PIC S9(4)    COMP   VALUE 100.
           05  WS-X            PIC S9(7)V9(4)      VALUE ZERO.
           05  WS-Y            PIC S9(7)V9(2)      VALUE ZERO.
           05  WS-ZERO         PIC 9               VALUE ZERO.
       01  WS-EDIT             PIC -(7)9.9(4).
       PROCEDURE DIVISION.
       0000-MAIN.
           PERFORM 1000-ADD-SUBTRACT
           PERFORM 2000-MULTIPLY-DIVIDE
           PERFORM 3000-COMPUTE
           PERFORM 4000-SIZE-ERROR
           STOP RUN.

       1000-ADD-SUBTRACT.
           ADD 1.255 TO WS-P1
           DISPLAY 'ADD 1.255 TRUNCATED ' WS-P1
           ADD 1.255 TO WS-P1 ROUNDED
           DISPLAY 'ADD 1.255 ROUNDED   ' WS-P1
           ADD WS-P1 WS-P2 TO WS-D1 WS-D2
           DISPLAY 'ADD TO TWO RECEIVERS ' WS-D1 ' ' WS-D2
           ADD WS-P2 WS-D1 GIVING WS-X
           DISPLAY 'ADD GIVING ' WS-X
           ADD WS-P2 TO WS-D1 GIVING WS-Y ROUNDED
           DISPLAY 'ADD TO GIVING ' WS-Y
           SUBTRACT 10 FROM WS-U1
           DISPLAY 'NEGATIVE INTO UNSIGNED ' WS-U1
           SUBTRACT WS-P1 FROM ZERO GIVING WS-U2
           DISPLAY 'GIVING UNSIGNED ' WS-U2
           SUBTRACT 1 2.5 FROM WS-P2 WS-D1
           DISPLAY 'SUBTRACT TWO FROM TWO ' WS-P2 ' ' WS-D1
           SUBTRACT WS-P2 FROM WS-P3
           DISPLAY 'UNSIGNED COMP-3 ' WS-P3
           SUBTRACT 0.005 FROM WS-P2 GIVING WS-Q ROUNDED
           DISPLAY 'ROUNDED NEGATIVE ' WS-Q
           ADD 5 TO WS-SMALL
           DISPLAY 'HIGH-ORDER TRUNCATION ' WS-SMALL
           SUBTRACT 10 FROM WS-SMALL-S
           DISPLAY 'SIGNED TRUNCATION ' WS-SMALL-S
           MOVE -1 TO WS-BIN
           ADD 1 TO WS-BIN
           SUBTRACT 5 FROM WS-BIN
           DISPLAY 'COMP ' WS-BIN.

       2000-MULTIPLY-DIVIDE.
           MOVE 12.34 TO WS-D1
           MULTIPLY 3 BY WS-D1
           DISPLAY 'MULTIPLY BY ' WS-D1
           MULTIPLY 0.333 BY WS-D1 ROUNDED WS-D2
           DISPLAY 'MULTIPLY BY ROUNDED ' WS-D1 ' ' WS-D2
           MULTIPLY WS-P2 BY 1.5 GIVING WS-Y WS-Q ROUNDED
           DISPLAY 'MULTIPLY GIVING ' WS-Y ' ' WS-Q
           MOVE 100 TO WS-X
           DIVIDE 3 INTO WS-X
           DISPLAY 'DIVIDE INTO ' WS-X
           DIVIDE 7 INTO 100 GIVING WS-Q ROUNDED
           DISPLAY 'DIVIDE INTO GIVING ROUNDED ' WS-Q
           DIVIDE 100 BY 7 GIVING WS-QI REMAINDER WS-RI
           DISPLAY 'DIVIDE BY REMAINDER ' WS-QI ' ' WS-RI
           DIVIDE -100 BY 7 GIVING WS-Q REMAINDER WS-R
           DISPLAY 'NEGATIVE REMAINDER ' WS-Q ' ' WS-R
           DIVIDE 7 INTO -100 GIVING WS-QI ROUNDED REMAINDER WS-RI
           DISPLAY 'ROUNDED REMAINDER ' WS-QI ' ' WS-RI
           DIVIDE WS-P1 BY 0.07 GIVING WS-X
           DISPLAY 'DIVIDE BY DECIMAL ' WS-X
           DIVIDE 3 INTO WS-P3 WS-D1 ROUNDED
           DISPLAY 'DIVIDE INTO TWO ' WS-P3 ' ' WS-D1.

       3000-COMPUTE.
           COMPUTE WS-X = (WS-P1 + WS-P2) * 2 ** 3 / 4 - 1
           DISPLAY 'COMPUTE ' WS-X
           COMPUTE WS-Y ROUNDED = 10 / 3
           DISPLAY 'COMPUTE 10/3 ROUNDED ' WS-Y
           COMPUTE WS-Y = 10 / 3 * 3
           DISPLAY 'COMPUTE 10/3*3 ' WS-Y
           COMPUTE WS-X = 2 ** 10 - 3 ** 2 * -1
           DISPLAY 'COMPUTE POWERS ' WS-X
           COMPUTE WS-X = -(WS-D1 - 100) / (1 + 1)
           DISPLAY 'COMPUTE UNARY MINUS ' WS-X
           COMPUTE WS-X ROUNDED WS-Y ROUNDED WS-QI = 1 / 7 * 100
           DISPLAY 'COMPUTE THREE ' WS-X ' ' WS-Y ' ' WS-QI
           COMPUTE WS-X = 1.5 ** 2
           MOVE WS-X TO WS-EDIT
           DISPLAY 'COMPUTE 1.5 ** 2 ' WS-EDIT
           COMPUTE WS-D1 = WS-P1 * -1 - 0.005
           DISPLAY 'COMPUTE NEGATIVE TRUNCATED ' WS-D1
           COMPUTE WS-D1 ROUNDED = WS-P1 * -1 - 0.005
           DISPLAY 'COMPUTE NEGATIVE ROUNDED ' WS-D1
           COMPUTE WS-U2 = WS-P2 * 10
           DISPLAY 'COMPUTE INTO UNSIGNED ' WS-U2
           COMPUTE WS-P3 = WS-BIN ** 2 + WS-P3
           DISPLAY 'COMPUTE COMP ' WS-P3.

       4000-SIZE-ERROR.
           MOVE 95 TO WS-SMALL
           ADD 10 TO WS-SMALL
               ON SIZE ERROR DISPLAY 'SIZE ERROR, UNCHANGED ' WS-SMALL
               NOT ON SIZE ERROR DISPLAY 'NO SIZE ERROR ' WS-SMALL
           END-ADD
           ADD 4 TO WS-SMALL
               ON SIZE ERROR DISPLAY 'SIZE ERROR ' WS-SMALL
               NOT ON SIZE ERROR DISPLAY 'NO SIZE ERROR ' WS-SMALL
           END-ADD
           MULTIPLY 2 BY WS-SMALL
               ON SIZE ERROR DISPLAY 'MULTIPLY SIZE ERROR ' WS-SMALL
           END-MULTIPLY
           DIVIDE WS-ZERO INTO WS-P1
               ON SIZE ERROR DISPLAY 'DIVIDE BY ZERO ' WS-P1
               NOT ON SIZE ERROR DISPLAY 'NOT REACHED'
           END-DIVIDE
           DIVIDE 10 BY WS-ZERO GIVING WS-QI REMAINDER WS-RI
               ON SIZE ERROR DISPLAY 'REMAINDER BY ZERO ' WS-QI WS-RI
           END-DIVIDE
           COMPUTE WS-SMALL-S = WS-SMALL * 10
               ON SIZE ERROR DISPLAY 'COMPUTE SIZE ERROR ' WS-SMALL-S
               NOT ON SIZE ERROR DISPLAY 'NOT REACHED'
           END-COMPUTE
           COMPUTE WS-SMALL-S = 1.5 ** 2
               ON SIZE ERROR DISPLAY 'NOT REACHED'
               NOT ON SIZE ERROR DISPLAY 'COMPUTE FITS ' WS-SMALL-S
           END-COMPUTE
           ADD 50 TO WS-SMALL WS-U2
               ON SIZE ERROR
                   DISPLAY 'ONE OF TWO OVERFLOWS ' WS-SMALL ' ' WS-U2
           END-ADD
           SUBTRACT 200 FROM WS-SMALL-S
               ON SIZE ERROR DISPLAY 'SUBTRACT SIZE ERROR ' WS-SMALL-S
           END-SUBTRACT
           COMPUTE WS-Q ROUNDED = 999.996
               ON SIZE ERROR DISPLAY 'ROUNDING OVERFLOWS ' WS-Q
           END-COMPUTE.
"""


DATAPRB = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. DATAPRB.
      *----------------------------------------------------------------
      * PROBE: NUMERIC EDITING, REDEFINES, OCCURS, LEVEL 88,
      * INITIALIZE, MOVE CORRESPONDING, REFERENCE MODIFICATION.
      *----------------------------------------------------------------
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-VALUES.
           05  WS-V            PIC S9(5)V99 OCCURS 6 TIMES.
       01  WS-EDITS.
           05  WS-E1           PIC ZZZ,ZZ9.99-.
           05  WS-E2           PIC $$$,$$9.99.
           05  WS-E3           PIC ***9.
           05  WS-E4           PIC 9(3)CR.
           05  WS-E5           PIC 9(3)DB.
           05  WS-E6           PIC +ZZ9.
           05  WS-E7           PIC ZZ9.99 BLANK WHEN ZERO.
           05  WS-E8           PIC -(5)9.
           05  WS-E9           PIC Z(4).ZZ.
           05  WS-E10          PIC 99/99/99.
           05  WS-E11          PIC 9(3)B9(3).
           05  WS-E12          PIC ++++9.99.
       01  WS-SUB              PIC 9(2)   VALUE ZERO.
       01  WS-NUM-TEXT.
           05  WS-NT-X         PIC X(6)   VALUE '001234'.
           05  WS-NT-N REDEFINES WS-NT-X PIC 9(4)V99.
       01  WS-DATE-GROUP.
           05  WS-DATE         PIC 9(8)   VALUE 20240314.
           05  WS-DATE-R REDEFINES WS-DATE.
               10  WS-YYYY     PIC 9(4).
               10  WS-MM       PIC 99.
               10  WS-DD       PIC 99.
       01  WS-TABLE.
           05  WS-ENTRY OCCURS 4 TIMES.
               10  WS-CODE     PIC X(3).
               10  WS-QTY      PIC S9(3) COMP-3.
               10  WS-FLAGS    PIC X OCCURS 2 TIMES.
       01  WS-STATUS           PIC X(2)   VALUE SPACES.
           88  ST-OK                      VALUE '00'.
           88  ST-EOF                     VALUE '10'.
           88  ST-BAD                     VALUE '30' THRU '39' '99'.
       01  WS-LEVEL            PIC 9      VALUE 5.
           88  LV-LOW                     VALUE 0 THRU 3.
           88  LV-HIGH                    VALUE 7 8 9.
       01  WS-CUSTOMER.
           05  CUST-ID         PIC 9(5)   VALUE 12345.
           05  FILLER          PIC X(3)   VALUE '***'.
           05  CUST-NAME       PIC X(10)  VALUE 'ACME CORP'.
           05  CUST-BAL        PIC S9(5)V99 COMP-3 VALUE -10.50.
           05  CUST-ADDR.
               10  CUST-CITY   PIC X(8)   VALUE 'SPRINGFD'.
               10  CUST-ZIP    PIC 9(5)   VALUE 12345.
           05  CUST-EDIT       PIC ZZ9.99 VALUE 1.5.
       01  WS-OUTPUT-REC.
           05  CUST-NAME       PIC X(12).
           05  CUST-ID         PIC 9(7).
           05  CUST-ADDR.
               10  CUST-ZIP    PIC X(5).
               10  CUST-STATE  PIC XX      VALUE 'ZZ'.
           05  CUST-BAL        PIC -(6)9.99.
       01  WS-TEXT             PIC X(20)  VALUE 'THE QUICK BROWN FOX'.
       01  WS-START            PIC 99     VALUE 5.
       01  WS-LEN              PIC 99     VALUE 5.
       01  WS-PIECE            PIC X(8).
       01  WS-ALPHA            PIC X(5)   VALUE 'AB'.
       01  WS-NUM5             PIC 9(5).
       01  WS-SNUM             PIC S9(3)V9.
       PROCEDURE DIVISION.
       0000-MAIN.
           PERFORM 1000-EDITING
           PERFORM 2000-REDEFINES
           PERFORM 3000-TABLES
           PERFORM 4000-CONDITIONS
           PERFORM 5000-INITIALIZE
           PERFORM 6000-CORRESPONDING
           PERFORM 7000-REFMOD
           STOP RUN.

       1000-EDITING.
           MOVE 1234.56 TO WS-V (1)
           MOVE -0.01 TO WS-V (2)
           MOVE ZERO TO WS-V (3)
           MOVE -12345 TO WS-V (4)
           MOVE 99.99 TO WS-V (5)
           MOVE -99999.99 TO WS-V (6)
           PERFORM VARYING WS-SUB FROM 1 BY 1 UNTIL WS-SUB > 6
               MOVE WS-V (WS-SUB) TO WS-E1 WS-E2 WS-E3 WS-E4 WS-E5
                                     WS-E6 WS-E7 WS-E8 WS-E9 WS-E12
               DISPLAY WS-SUB ' [' WS-E1 '] [' WS-E2 '] [' WS-E3
                   '] [' WS-E4 '] [' WS-E5 '] [' WS-E6 ']'
               DISPLAY '   [' WS-E7 '] [' WS-E8 '] [' WS-E9 '] ['
                   WS-E12 ']'
           END-PERFORM
           MOVE 31224 TO WS-E10
           MOVE 123456 TO WS-E11
           DISPLAY '[' WS-E10 '] [' WS-E11 ']'
           MOVE WS-E1 TO WS-SNUM
           DISPLAY 'DE-EDITED ' WS-SNUM.

       2000-REDEFINES.
           DISPLAY 'TEXT AS NUMBER ' WS-NT-N
           ADD 1.01 TO WS-NT-N
           DISPLAY 'NUMBER AS TEXT ' WS-NT-X
           MOVE 'ABCDEF' TO WS-NT-X
           MOVE WS-NT-X TO WS-PIECE
           DISPLAY 'TEXT BACK ' WS-PIECE
           DISPLAY 'DATE PARTS ' WS-YYYY '/' WS-MM '/' WS-DD
           MOVE 12 TO WS-MM
           ADD 1 TO WS-DD
           DISPLAY 'DATE AFTER ' WS-DATE.

       3000-TABLES.
           MOVE SPACES TO WS-TABLE
           PERFORM VARYING WS-SUB FROM 1 BY 1 UNTIL WS-SUB > 4
               MOVE 'C' TO WS-CODE (WS-SUB)
               MOVE WS-SUB TO WS-CODE (WS-SUB) (2:1)
               COMPUTE WS-QTY (WS-SUB) = WS-SUB * -7
               MOVE 'Y' TO WS-FLAGS (WS-SUB, 1)
               MOVE 'N' TO WS-FLAGS (WS-SUB 2)
           END-PERFORM
           MOVE 'X' TO WS-FLAGS (3, 2)
           DISPLAY 'TABLE ' WS-CODE (1) WS-CODE (4) ' ' WS-QTY (3)
               ' ' WS-FLAGS (3, 1) WS-FLAGS (3, 2)
           MOVE WS-ENTRY (2) TO WS-ENTRY (1)
           DISPLAY 'COPIED ENTRY ' WS-CODE (1) ' ' WS-QTY (1)
           MOVE 2 TO WS-SUB
           ADD WS-QTY (WS-SUB + 1) TO WS-QTY (WS-SUB - 1)
           DISPLAY 'RELATIVE SUBSCRIPTS ' WS-QTY (1).

       4000-CONDITIONS.
           DISPLAY 'STATUS OK? ' WITH NO ADVANCING
           IF ST-OK DISPLAY 'YES' ELSE DISPLAY 'NO' END-IF
           SET ST-EOF TO TRUE
           DISPLAY 'AFTER SET ' WS-STATUS
           IF ST-EOF AND NOT ST-BAD
               DISPLAY 'EOF AND NOT BAD'
           END-IF
           MOVE '35' TO WS-STATUS
           IF ST-BAD DISPLAY '35 IS BAD' END-IF
           MOVE '99' TO WS-STATUS
           IF ST-BAD DISPLAY '99 IS BAD' END-IF
           MOVE '40' TO WS-STATUS
           IF NOT ST-BAD DISPLAY '40 IS NOT BAD' END-IF
           SET ST-BAD TO TRUE
           DISPLAY 'SET TO FIRST VALUE ' WS-STATUS
           PERFORM VARYING WS-LEVEL FROM 0 BY 3 UNTIL WS-LEVEL > 8
               EVALUATE TRUE
                   WHEN LV-LOW  DISPLAY WS-LEVEL ' LOW'
                   WHEN LV-HIGH DISPLAY WS-LEVEL ' HIGH'
                   WHEN OTHER   DISPLAY WS-LEVEL ' MIDDLE'
               END-EVALUATE
           END-PERFORM
           SET LV-HIGH TO TRUE
           DISPLAY 'LEVEL ' WS-LEVEL.

       5000-INITIALIZE.
           DISPLAY 'BEFORE [' WS-CUSTOMER ']'
           INITIALIZE CUST-ADDR OF WS-CUSTOMER
           DISPLAY 'GROUP  [' WS-CUSTOMER ']'
           INITIALIZE WS-CUSTOMER
           DISPLAY 'WHOLE  [' WS-CUSTOMER ']'
           MOVE ALL 'X' TO CUST-NAME OF WS-CUSTOMER
           INITIALIZE WS-CUSTOMER REPLACING NUMERIC DATA BY 7
           DISPLAY 'NUMERIC BY 7 [' WS-CUSTOMER ']'
           INITIALIZE WS-CUSTOMER REPLACING ALPHANUMERIC BY 'AB'
           DISPLAY 'ALPHA BY AB  [' WS-CUSTOMER ']'
           INITIALIZE WS-TABLE
           DISPLAY 'TABLE [' WS-CODE (2) '] ' WS-QTY (2)
           INITIALIZE WS-ENTRY (3) REPLACING ALPHANUMERIC BY 'Q'
           DISPLAY 'ENTRY [' WS-ENTRY (3) ']'
           INITIALIZE WS-NUM5 WS-ALPHA
           DISPLAY 'ELEMENTARY [' WS-NUM5 '] [' WS-ALPHA ']'.

       6000-CORRESPONDING.
           MOVE 'GLOBEX' TO CUST-NAME OF WS-CUSTOMER
           MOVE 42 TO CUST-ID OF WS-CUSTOMER
           MOVE -1234.5 TO CUST-BAL OF WS-CUSTOMER
           MOVE 'CAPITAL' TO CUST-CITY OF WS-CUSTOMER
           MOVE 98765 TO CUST-ZIP OF WS-CUSTOMER
           MOVE SPACES TO WS-OUTPUT-REC
           MOVE CORRESPONDING WS-CUSTOMER TO WS-OUTPUT-REC
           DISPLAY 'CORR [' WS-OUTPUT-REC ']'.

       7000-REFMOD.
           MOVE WS-TEXT (WS-START:WS-LEN) TO WS-PIECE
           DISPLAY 'REFMOD [' WS-PIECE ']'
           DISPLAY 'TO END [' WS-TEXT (WS-START + 6:) ']'
           MOVE 'SLOW' TO WS-TEXT (WS-START:WS-LEN - 1)
           DISPLAY 'RECEIVER [' WS-TEXT ']'
           PERFORM VARYING WS-START FROM 1 BY 4 UNTIL WS-START > 17
               DISPLAY WS-TEXT (WS-START:4) '|' WITH NO ADVANCING
           END-PERFORM
           DISPLAY ' '
           MOVE 12345 TO WS-NUM5
           DISPLAY 'NUMERIC REFMOD ' WS-NUM5 (2:3)
           MOVE WS-NUM5 (4:2) TO WS-ALPHA
           DISPLAY 'ALPHA [' WS-ALPHA ']'
           MOVE WS-ALPHA TO WS-NUM5
           DISPLAY 'ALPHA TO NUMERIC ' WS-NUM5
           IF WS-TEXT (1:3) = 'THE'
               DISPLAY 'COMPARE REFMOD'
           END-IF.
"""


STRPRB = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. STRPRB.
      *----------------------------------------------------------------
      * PROBE: STRING, UNSTRING AND INSPECT.
      *----------------------------------------------------------------
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-FIRST            PIC X(10)  VALUE 'JOHN'.
       01  WS-LAST             PIC X(12)  VALUE 'SMITH-JONES'.
       01  WS-CITY             PIC X(15)  VALUE 'NEW YORK, NY'.
       01  WS-OUT              PIC X(30).
       01  WS-SHORT            PIC X(8).
       01  WS-PTR              PIC 99.
       01  WS-AMT              PIC ZZ9.99 VALUE 12.5.
       01  WS-CSV              PIC X(40)
               VALUE 'ACCT01,,SMITH  ;  42.50,END'.
       01  WS-F1               PIC X(8).
       01  WS-F2               PIC X(8).
       01  WS-F3               PIC X(8).
       01  WS-F4               PIC X(8).
       01  WS-F5               PIC X(8).
       01  WS-N1               PIC 9(4).
       01  WS-D1               PIC X.
       01  WS-D2               PIC X.
       01  WS-D3               PIC XX.
       01  WS-C1               PIC 99.
       01  WS-C2               PIC 99.
       01  WS-C3               PIC 99.
       01  WS-TALLY            PIC 99.
       01  WS-WORDS            PIC X(30)
               VALUE '  ALPHA   BETA GAMMA    DELTA'.
       01  WS-COUNT            PIC 9(3).
       01  WS-COUNT2           PIC 9(3).
       01  WS-COUNT3           PIC 9(3).
       01  WS-TEXT             PIC X(30).
       PROCEDURE DIVISION.
       0000-MAIN.
           PERFORM 1000-STRING
           PERFORM 2000-UNSTRING
           PERFORM 3000-INSPECT
           STOP RUN.

       1000-STRING.
           MOVE SPACES TO WS-OUT
           STRING WS-FIRST DELIMITED BY SPACE
                  ' ' DELIMITED BY SIZE
                  WS-LAST DELIMITED BY '-'
                  ', ' WS-CITY DELIMITED BY ','
                  INTO WS-OUT
           END-STRING
           DISPLAY 'STRING [' WS-OUT ']'
           MOVE ALL '.' TO WS-OUT
           MOVE 4 TO WS-PTR
           STRING 'AMT=' WS-AMT DELIMITED BY SIZE
                  INTO WS-OUT WITH POINTER WS-PTR
               ON OVERFLOW DISPLAY 'NO OVERFLOW EXPECTED'
               NOT ON OVERFLOW DISPLAY 'FITS, POINTER ' WS-PTR
           END-STRING
           DISPLAY 'POINTER [' WS-OUT ']'
           MOVE SPACES TO WS-SHORT
           MOVE 1 TO WS-PTR
           STRING WS-LAST DELIMITED BY SIZE INTO WS-SHORT
               WITH POINTER WS-PTR
               ON OVERFLOW DISPLAY 'OVERFLOW, POINTER ' WS-PTR
           END-STRING
           DISPLAY 'SHORT [' WS-SHORT ']'
           MOVE 0 TO WS-PTR
           STRING 'X' DELIMITED BY SIZE INTO WS-SHORT
               WITH POINTER WS-PTR
               ON OVERFLOW DISPLAY 'POINTER 0 OVERFLOWS ' WS-PTR
           END-STRING
           MOVE 'AB' TO WS-SHORT
           STRING 'CD' 'EFGH' DELIMITED BY 'F' INTO WS-SHORT
           DISPLAY 'STRING KEEPS THE REST [' WS-SHORT ']'.

       2000-UNSTRING.
           MOVE ZERO TO WS-TALLY
           UNSTRING WS-CSV DELIMITED BY ',' OR ';'
               INTO WS-F1 DELIMITER IN WS-D1 COUNT IN WS-C1
                    WS-F2 DELIMITER IN WS-D2 COUNT IN WS-C2
                    WS-F3
                    WS-F4 COUNT IN WS-C3
               TALLYING IN WS-TALLY
           END-UNSTRING
           DISPLAY 'UNSTRING [' WS-F1 '][' WS-F2 '][' WS-F3 '][' WS-F4
               '] D=' WS-D1 WS-D2 ' C=' WS-C1 WS-C2 WS-C3
               ' T=' WS-TALLY
           MOVE SPACES TO WS-F1 WS-F2 WS-F3 WS-F4
           MOVE ZERO TO WS-TALLY
           MOVE 3 TO WS-PTR
           UNSTRING WS-WORDS DELIMITED BY ALL SPACE
               INTO WS-F1 WS-F2 WS-F3 COUNT IN WS-C3
               WITH POINTER WS-PTR
               TALLYING IN WS-TALLY
               ON OVERFLOW DISPLAY 'MORE DATA LEFT, POINTER ' WS-PTR
               NOT ON OVERFLOW DISPLAY 'ALL DATA USED'
           END-UNSTRING
           DISPLAY 'ALL SPACE [' WS-F1 '][' WS-F2 '][' WS-F3 '] C='
               WS-C3 ' T=' WS-TALLY ' P=' WS-PTR
           MOVE SPACES TO WS-F1 WS-F2
           UNSTRING '12AB**34**56' DELIMITED BY ALL '*' OR 'AB'
               INTO WS-N1 DELIMITER IN WS-D3 WS-F1 WS-F2 WS-F3
           END-UNSTRING
           DISPLAY 'NUMERIC RECEIVER ' WS-N1 ' D=' WS-D3 ' ['
               WS-F1 '][' WS-F2 '][' WS-F3 ']'
           UNSTRING 'ONE TWO' DELIMITED BY SPACE INTO WS-F5
               ON OVERFLOW DISPLAY 'UNSTRING OVERFLOW [' WS-F5 ']'
           END-UNSTRING
           UNSTRING 'NO-DELIMITER-HERE' INTO WS-F1 WS-F2
           DISPLAY 'NO DELIMITER [' WS-F1 '][' WS-F2 ']'.

       3000-INSPECT.
           MOVE ZERO TO WS-COUNT WS-COUNT2 WS-COUNT3
           INSPECT WS-WORDS TALLYING WS-COUNT FOR ALL 'A'
                                     WS-COUNT2 FOR LEADING SPACE
                                     WS-COUNT3 FOR CHARACTERS
                                         BEFORE INITIAL 'G'
           DISPLAY 'TALLY ' WS-COUNT ' ' WS-COUNT2 ' ' WS-COUNT3
           MOVE ZERO TO WS-COUNT
           INSPECT WS-WORDS TALLYING WS-COUNT FOR ALL 'A' 'E'
               AFTER INITIAL 'BETA'
           DISPLAY 'TALLY AFTER ' WS-COUNT
           MOVE ZERO TO WS-COUNT
           INSPECT WS-WORDS TALLYING WS-COUNT FOR CHARACTERS
               AFTER INITIAL 'ALPHA' BEFORE INITIAL 'DELTA'
           DISPLAY 'TALLY BETWEEN ' WS-COUNT
           MOVE WS-WORDS TO WS-TEXT
           INSPECT WS-TEXT REPLACING ALL 'A' BY '@'
                                     LEADING SPACE BY '_'
           DISPLAY 'REPLACE [' WS-TEXT ']'
           MOVE WS-WORDS TO WS-TEXT
           INSPECT WS-TEXT REPLACING FIRST 'A' BY '1'
               AFTER INITIAL 'BETA'
           INSPECT WS-TEXT REPLACING CHARACTERS BY '#'
               BEFORE INITIAL 'B'
           DISPLAY 'REPLACE FIRST/CHARS [' WS-TEXT ']'
           MOVE WS-WORDS TO WS-TEXT
           INSPECT WS-TEXT REPLACING ALL 'GAMMA' BY 'gamma'
               ALL SPACES BY '.' AFTER INITIAL 'BETA'
           DISPLAY 'REPLACE WORD [' WS-TEXT ']'
           MOVE WS-WORDS TO WS-TEXT
           INSPECT WS-TEXT CONVERTING 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
               TO 'abcdefghijklmnopqrstuvwxyz'
               AFTER INITIAL 'BETA' BEFORE INITIAL 'DELTA'
           DISPLAY 'CONVERT [' WS-TEXT ']'
           MOVE '0012,345.60' TO WS-TEXT
           INSPECT WS-TEXT REPLACING LEADING '0' BY SPACE
           INSPECT WS-TEXT CONVERTING ',.' TO '.,'
           DISPLAY 'LEADING ZEROS [' WS-TEXT ']'
           MOVE ZERO TO WS-COUNT
           INSPECT WS-TEXT TALLYING WS-COUNT FOR LEADING SPACES
           DISPLAY 'LEADING SPACES ' WS-COUNT.
"""


FILEPRB = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. FILEPRB.
      *----------------------------------------------------------------
      * PROBE: LINE SEQUENTIAL AND FIXED-LENGTH SEQUENTIAL FILES, FILE
      * STATUS AFTER EACH READ, AT END, MISSING INPUT, ADVANCING,
      * EXTEND.
      *----------------------------------------------------------------
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT LINE-IN ASSIGN TO LINEIN
               ORGANIZATION IS LINE SEQUENTIAL
               FILE STATUS IS WS-LINE-STATUS.
           SELECT FIX-IN ASSIGN TO FIXIN
               ORGANIZATION IS SEQUENTIAL
               ACCESS MODE IS SEQUENTIAL
               FILE STATUS IS WS-FIX-STATUS.
           SELECT RPT-OUT ASSIGN TO RPTOUT
               ORGANIZATION IS LINE SEQUENTIAL
               FILE STATUS IS WS-RPT-STATUS.
           SELECT FIX-OUT ASSIGN TO FIXOUT
               ORGANIZATION IS SEQUENTIAL
               FILE STATUS IS WS-OUT-STATUS.
           SELECT LOG-FILE ASSIGN TO LOGFILE
               ORGANIZATION IS LINE SEQUENTIAL
               FILE STATUS IS WS-LOG-STATUS.
       DATA DIVISION.
       FILE SECTION.
       FD  LINE-IN.
       01  LINE-REC                PIC X(24).
       FD  FIX-IN
           RECORD CONTAINS 12 CHARACTERS.
       01  FIX-REC.
           05  FIX-KEY             PIC X(4).
           05  FIX-AMT             PIC S9(5)V99 COMP-3.
           05  FIX-QTY             PIC 9(4).
       FD  RPT-OUT.
       01  RPT-LINE                PIC X(40).
       FD  FIX-OUT.
       01  OUT-REC.
           05  OUT-KEY             PIC X(4).
           05  OUT-TOTAL           PIC S9(7)V99 COMP-3.
           05  OUT-COUNT           PIC 9(3).
       FD  LOG-FILE.
       01  LOG-LINE                PIC X(30).
       WORKING-STORAGE SECTION.
       01  WS-LINE-STATUS          PIC XX.
       01  WS-FIX-STATUS           PIC XX.
       01  WS-RPT-STATUS           PIC XX.
       01  WS-OUT-STATUS           PIC XX.
       01  WS-LOG-STATUS           PIC XX.
       01  WS-EOF                  PIC X      VALUE 'N'.
           88  END-OF-FILE                    VALUE 'Y'.
       01  WS-LINES                PIC 9(3)   VALUE ZERO.
       01  WS-TOTAL                PIC S9(7)V99 VALUE ZERO.
       01  WS-EDIT                 PIC -(6)9.99.
       PROCEDURE DIVISION.
       0000-MAIN.
           PERFORM 1000-LINE-FILE
           PERFORM 2000-FIXED-FILE
           PERFORM 3000-EXTEND
           DISPLAY 'LINES ' WS-LINES
           IF WS-LINE-STATUS = '35'
               MOVE 12 TO RETURN-CODE
           ELSE
               MOVE WS-LINES TO RETURN-CODE
           END-IF
           STOP RUN.

       1000-LINE-FILE.
           OPEN INPUT LINE-IN
           DISPLAY 'OPEN LINEIN ' WS-LINE-STATUS
           OPEN OUTPUT RPT-OUT
           MOVE 'REPORT TITLE' TO RPT-LINE
           WRITE RPT-LINE AFTER ADVANCING PAGE
           MOVE 'FIRST DETAIL AFTER 2' TO RPT-LINE
           WRITE RPT-LINE AFTER ADVANCING 2 LINES
           IF WS-LINE-STATUS NOT = '00'
               MOVE 'NO INPUT' TO RPT-LINE
               WRITE RPT-LINE
               CLOSE RPT-OUT
               EXIT PARAGRAPH
           END-IF
           PERFORM UNTIL END-OF-FILE
               READ LINE-IN
                   AT END
                       SET END-OF-FILE TO TRUE
                       DISPLAY 'AT END ' WS-LINE-STATUS
                   NOT AT END
                       ADD 1 TO WS-LINES
                       DISPLAY 'READ ' WS-LINE-STATUS ' [' LINE-REC ']'
                       MOVE LINE-REC TO RPT-LINE
                       WRITE RPT-LINE AFTER ADVANCING 1 LINE
                       MOVE SPACES TO RPT-LINE
                       WRITE RPT-LINE BEFORE ADVANCING 1
               END-READ
           END-PERFORM
           READ LINE-IN
               AT END DISPLAY 'NOT SHOWN: 46 IS NOT AT END'
           END-READ
           DISPLAY 'READ AFTER END ' WS-LINE-STATUS
           MOVE 'TRAILER' TO RPT-LINE
           WRITE RPT-LINE AFTER ADVANCING 3 LINES
           CLOSE LINE-IN RPT-OUT
           DISPLAY 'CLOSE ' WS-LINE-STATUS ' ' WS-RPT-STATUS
           READ LINE-IN
           DISPLAY 'READ WHEN CLOSED ' WS-LINE-STATUS
           OPEN INPUT LINE-IN
           OPEN INPUT LINE-IN
           DISPLAY 'OPEN TWICE ' WS-LINE-STATUS
           CLOSE LINE-IN.

       2000-FIXED-FILE.
           MOVE 'N' TO WS-EOF
           OPEN INPUT FIX-IN
           DISPLAY 'OPEN FIXIN ' WS-FIX-STATUS
           OPEN OUTPUT FIX-OUT
           IF WS-FIX-STATUS = '00'
               READ FIX-IN
               DISPLAY 'FIRST READ ' WS-FIX-STATUS
               PERFORM UNTIL WS-FIX-STATUS NOT = '00'
                   ADD FIX-AMT TO WS-TOTAL
                   MOVE FIX-AMT TO WS-EDIT
                   DISPLAY 'FIX ' FIX-KEY ' ' WS-EDIT ' ' FIX-QTY
                   MOVE FIX-KEY TO OUT-KEY
                   MOVE WS-TOTAL TO OUT-TOTAL
                   MOVE FIX-QTY TO OUT-COUNT
                   WRITE OUT-REC
                   READ FIX-IN
                       NOT AT END CONTINUE
                   END-READ
                   DISPLAY 'STATUS ' WS-FIX-STATUS
               END-PERFORM
               READ FIX-IN
               DISPLAY 'READ AFTER END ' WS-FIX-STATUS
               CLOSE FIX-IN
           END-IF
           CLOSE FIX-OUT
           MOVE WS-TOTAL TO WS-EDIT
           DISPLAY 'TOTAL ' WS-EDIT.

       3000-EXTEND.
           OPEN EXTEND LOG-FILE
           DISPLAY 'OPEN EXTEND ' WS-LOG-STATUS
           MOVE 'RUN OF FILEPRB' TO LOG-LINE
           WRITE LOG-LINE
           MOVE WS-LINES TO LOG-LINE
           WRITE LOG-LINE
           CLOSE LOG-FILE.
"""


EVALPRB = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. EVALPRB.
      *----------------------------------------------------------------
      * PROBE: EVALUATE FORMS, SEARCH AND SEARCH ALL, ACCEPT FROM
      * DATE/TIME, RETURN-CODE AS THE EXIT STATUS.
      *----------------------------------------------------------------
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-TYPE             PIC X      VALUE SPACE.
       01  WS-AMT              PIC S9(5)V99 VALUE ZERO.
       01  WS-N                PIC 9(2)   VALUE ZERO.
       01  WS-CASE             PIC 9      VALUE ZERO.
       01  WS-FLAG             PIC X      VALUE 'N'.
           88  WS-VIP                     VALUE 'Y'.
       01  WS-RATE-TABLE.
           05  WS-RATE-ENTRY OCCURS 5 TIMES
                   ASCENDING KEY IS WS-RATE-CODE
                   INDEXED BY RATE-IDX.
               10  WS-RATE-CODE    PIC X(3).
               10  WS-RATE-PCT     PIC 9V999.
       01  WS-RATE-VALUES          PIC X(35) VALUE
           'AAA0125BBB0250CCC0375DDD0500EEE0625'.
       01  WS-NAMES.
           05  WS-NAME         PIC X(6) OCCURS 4 TIMES
                               INDEXED BY NAME-IDX.
       01  WS-POS              PIC 9(2)   VALUE ZERO.
       01  WS-WANT             PIC X(3).
       01  WS-DATE6            PIC 9(6).
       01  WS-DATE8            PIC 9(8).
       01  WS-DAY5             PIC 9(5).
       01  WS-DAY7             PIC 9(7).
       01  WS-TIME             PIC 9(8).
       01  WS-DOW              PIC 9.
       01  WS-RC               PIC S9(4)  VALUE ZERO.
       PROCEDURE DIVISION.
       0000-MAIN.
           PERFORM 1000-EVALUATE
           PERFORM 2000-SEARCH
           PERFORM 3000-ACCEPT
           COMPUTE RETURN-CODE = WS-RC + 3
           DISPLAY 'RETURN-CODE ' RETURN-CODE
           GOBACK.

       1000-EVALUATE.
           PERFORM VARYING WS-N FROM 0 BY 7 UNTIL WS-N > 30
               MOVE WS-N TO WS-CASE
               EVALUATE WS-N
                   WHEN 0
                       DISPLAY WS-N ' ZERO'
                   WHEN 1 THRU 9
                   WHEN 20 THRU 25
                       DISPLAY WS-N ' SMALL OR TWENTIES'
                   WHEN NOT 14
                       DISPLAY WS-N ' NOT FOURTEEN'
                   WHEN OTHER
                       DISPLAY WS-N ' OTHER'
               END-EVALUATE
           END-PERFORM
           MOVE 'B' TO WS-TYPE
           MOVE 150 TO WS-AMT
           PERFORM 1100-TYPE-AMOUNT
           MOVE 'A' TO WS-TYPE
           PERFORM 1100-TYPE-AMOUNT
           MOVE -5 TO WS-AMT
           PERFORM 1100-TYPE-AMOUNT
           MOVE 'Z' TO WS-TYPE
           PERFORM 1100-TYPE-AMOUNT
           SET WS-VIP TO TRUE
           PERFORM 1100-TYPE-AMOUNT
           MOVE 2 TO WS-N
           EVALUATE WS-N * 3 + 1
               WHEN 7    DISPLAY 'EXPRESSION SUBJECT 7'
               WHEN OTHER DISPLAY 'EXPRESSION OTHER'
           END-EVALUATE
           EVALUATE FALSE
               WHEN WS-AMT > 0  DISPLAY 'FALSE: AMOUNT NOT POSITIVE'
               WHEN OTHER       DISPLAY 'FALSE: OTHER'
           END-EVALUATE
           EVALUATE WS-TYPE ALSO TRUE
               WHEN 'A' THRU 'M' ALSO WS-VIP
                   DISPLAY 'A-M VIP'
               WHEN 'N' THRU 'Z' ALSO NOT WS-VIP
                   DISPLAY 'N-Z NOT VIP'
               WHEN ANY ALSO WS-VIP
                   DISPLAY 'ANY VIP'
           END-EVALUATE.

       1100-TYPE-AMOUNT.
           EVALUATE WS-TYPE ALSO TRUE ALSO WS-VIP
               WHEN 'A' ALSO WS-AMT > 100 ALSO ANY
                   DISPLAY WS-TYPE ' BIG A'
               WHEN 'A' ALSO WS-AMT < ZERO ALSO FALSE
                   DISPLAY WS-TYPE ' NEGATIVE A, NOT VIP'
               WHEN 'A' ALSO ANY ALSO ANY
                   DISPLAY WS-TYPE ' SOME A'
               WHEN 'B' THRU 'D' ALSO ANY ALSO FALSE
                   DISPLAY WS-TYPE ' B TO D'
               WHEN ANY ALSO ANY ALSO TRUE
                   DISPLAY WS-TYPE ' VIP OF ANY TYPE'
               WHEN OTHER
                   DISPLAY WS-TYPE ' NO RULE'
           END-EVALUATE.

       2000-SEARCH.
           MOVE WS-RATE-VALUES TO WS-RATE-TABLE
           MOVE 'CCC' TO WS-WANT
           PERFORM 2100-FIND
           MOVE 'EEE' TO WS-WANT
           PERFORM 2100-FIND
           MOVE 'XYZ' TO WS-WANT
           PERFORM 2100-FIND
           SET RATE-IDX TO 2
           SEARCH WS-RATE-ENTRY
               AT END DISPLAY 'SERIAL: NOT AFTER 2'
               WHEN WS-RATE-CODE (RATE-IDX) = 'AAA'
                   DISPLAY 'SERIAL: FOUND AAA'
           END-SEARCH
           MOVE 'ANN   BOB   CARLA DAVE  ' TO WS-NAMES
           MOVE ZERO TO WS-POS
           SET NAME-IDX TO 1
           SEARCH WS-NAME VARYING WS-POS
               AT END DISPLAY 'NO NAME'
               WHEN WS-NAME (NAME-IDX) (1:1) = 'C'
                   DISPLAY 'VARYING FOUND ' WS-NAME (NAME-IDX)
                       ' POS ' WS-POS
           END-SEARCH
           SET NAME-IDX TO 1
           SET NAME-IDX UP BY 2
           SEARCH WS-NAME
               WHEN WS-NAME (NAME-IDX) = 'BOB'
                   DISPLAY 'NOT FOUND FROM 3'
           END-SEARCH
           DISPLAY 'AFTER SEARCH WITHOUT AT END'.

       2100-FIND.
           SEARCH ALL WS-RATE-ENTRY
               AT END
                   DISPLAY 'BINARY: ' WS-WANT ' NOT FOUND'
                   ADD 1 TO WS-RC
               WHEN WS-RATE-CODE (RATE-IDX) = WS-WANT
                   DISPLAY 'BINARY: ' WS-WANT ' RATE '
                       WS-RATE-PCT (RATE-IDX)
           END-SEARCH
           SET RATE-IDX TO 1
           SEARCH WS-RATE-ENTRY VARYING RATE-IDX
               AT END DISPLAY 'SERIAL: ' WS-WANT ' NOT FOUND'
               WHEN WS-RATE-CODE (RATE-IDX) = WS-WANT
                   SET WS-POS TO RATE-IDX
                   DISPLAY 'SERIAL: ' WS-WANT ' AT ' WS-POS
           END-SEARCH.

       3000-ACCEPT.
           ACCEPT WS-DATE6 FROM DATE
           ACCEPT WS-DATE8 FROM DATE YYYYMMDD
           ACCEPT WS-DAY5 FROM DAY
           ACCEPT WS-DAY7 FROM DAY YYYYDDD
           ACCEPT WS-TIME FROM TIME
           ACCEPT WS-DOW FROM DAY-OF-WEEK
           DISPLAY 'DATE ' WS-DATE6 ' ' WS-DATE8 ' DAY ' WS-DAY5 ' '
               WS-DAY7 ' DOW ' WS-DOW
           DISPLAY 'TIME ' WS-TIME
           PERFORM 3 TIMES
               ACCEPT WS-WANT
                   ON EXCEPTION
                       DISPLAY 'END OF INPUT [' WS-WANT ']'
                       END-DISPLAY
                   NOT ON EXCEPTION
                       DISPLAY 'ACCEPTED [' WS-WANT ']'
                       END-DISPLAY
               END-ACCEPT
           END-PERFORM.
"""


CALLPRB = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. CALLPRB.
      *----------------------------------------------------------------
      * PROBE: CALL BY REFERENCE AND BY CONTENT, A SUBPROGRAM KEEPING
      * ITS WORKING-STORAGE, DYNAMIC CALL, CALL ON EXCEPTION, CANCEL.
      *----------------------------------------------------------------
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-PGM              PIC X(8)   VALUE 'CALLSUB'.
       01  WS-MISSING          PIC X(8)   VALUE 'NOPGM'.
       01  WS-PARMS.
           05  WS-ACTION       PIC X      VALUE 'A'.
           05  WS-AMOUNT       PIC S9(5)V99 COMP-3 VALUE 10.25.
           05  WS-RESULT       PIC X(12)  VALUE SPACES.
       01  WS-KEEP             PIC X(6)   VALUE 'ORIGIN'.
       01  WS-NOTE             PIC X(8)   VALUE SPACES.
       PROCEDURE DIVISION.
       0000-MAIN.
           CALL 'CALLSUB' USING BY REFERENCE WS-PARMS
                                BY CONTENT WS-KEEP
           DISPLAY 'AFTER 1ST CALL [' WS-RESULT '] ' WS-AMOUNT
               ' KEEP=' WS-KEEP ' RC=' RETURN-CODE
           MOVE 'B' TO WS-ACTION
           CALL 'CALLSUB' USING WS-PARMS WS-KEEP
           DISPLAY 'AFTER 2ND CALL [' WS-RESULT '] ' WS-AMOUNT
               ' KEEP=' WS-KEEP ' RC=' RETURN-CODE
           MOVE 'A' TO WS-ACTION
           CALL WS-PGM USING WS-PARMS BY CONTENT 'LITERL'
           DISPLAY 'DYNAMIC CALL [' WS-RESULT '] ' WS-AMOUNT
           CANCEL 'CALLSUB'
           CALL 'CALLSUB' USING WS-PARMS WS-KEEP
           DISPLAY 'AFTER CANCEL [' WS-RESULT ']'
           CALL 'NOPGM' USING WS-PARMS
               ON EXCEPTION MOVE 'MISSING' TO WS-NOTE
               NOT ON EXCEPTION MOVE 'FOUND' TO WS-NOTE
           END-CALL
           DISPLAY 'NOPGM: ' WS-NOTE
      *    WITHOUT END-DISPLAY THE NOT ON EXCEPTION BELONGS TO THE
      *    DISPLAY (GNUCOBOL'S DISPLAY HAS THE PHRASE), NOT THE CALL.
           CALL 'NOPGM'
               ON EXCEPTION DISPLAY 'NOPGM: EXCEPTION'
               NOT ON EXCEPTION DISPLAY 'PART OF THE DISPLAY'
           END-CALL
           CALL WS-MISSING
               ON EXCEPTION
                   DISPLAY WS-MISSING ' NOT THERE EITHER'
                   END-DISPLAY
           END-CALL
           CALL WS-PGM USING WS-PARMS WS-KEEP
               ON EXCEPTION MOVE 'MISSING' TO WS-NOTE
               NOT ON EXCEPTION MOVE 'FOUND' TO WS-NOTE
           END-CALL
           DISPLAY WS-PGM ': ' WS-NOTE
           CALL 'CALLSUB' USING WS-PARMS WS-KEEP
               NOT ON EXCEPTION
                   DISPLAY 'NOT ON EXCEPTION ALONE'
                   END-DISPLAY
           END-CALL
           MOVE 'X' TO WS-ACTION
           CALL 'CALLSUB' USING WS-PARMS WS-KEEP
           DISPLAY 'EXIT PROGRAM RC=' RETURN-CODE ' [' WS-RESULT ']'
           ACCEPT WS-MISSING
           MOVE 'A' TO WS-ACTION
           CALL WS-MISSING USING WS-PARMS WS-KEEP
           DISPLAY 'CALLED ' WS-MISSING ' RC=' RETURN-CODE
           STOP RUN.
"""


CALLSUB = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. CALLSUB.
      *----------------------------------------------------------------
      * SUBPROGRAM OF THE CALL PROBE: UPDATES ITS CALLER'S PARAMETERS
      * AND COUNTS ITS CALLS IN WORKING-STORAGE.
      *----------------------------------------------------------------
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-CALLS            PIC 9(3)   VALUE ZERO.
       01  WS-CALLS-X REDEFINES WS-CALLS PIC X(3).
       LINKAGE SECTION.
       01  LK-PARMS.
           05  LK-ACTION       PIC X.
           05  LK-AMOUNT       PIC S9(5)V99 COMP-3.
           05  LK-RESULT       PIC X(12).
       01  LK-TEXT             PIC X(6).
       PROCEDURE DIVISION USING LK-PARMS LK-TEXT.
       0000-ENTRY.
           ADD 1 TO WS-CALLS
           DISPLAY '  CALLSUB CALL ' WS-CALLS ' TEXT=' LK-TEXT
           MOVE 'CHANGED' TO LK-TEXT
           EVALUATE LK-ACTION
               WHEN 'A'
                   ADD 1.5 TO LK-AMOUNT
                   STRING 'ADDED ' WS-CALLS-X DELIMITED BY SIZE
                       INTO LK-RESULT
                   MOVE ZERO TO RETURN-CODE
               WHEN 'B'
                   MULTIPLY 2 BY LK-AMOUNT
                   MOVE 'DOUBLED' TO LK-RESULT
                   MOVE 4 TO RETURN-CODE
               WHEN OTHER
                   MOVE 'UNKNOWN' TO LK-RESULT
                   MOVE 8 TO RETURN-CODE
                   EXIT PROGRAM
           END-EVALUATE
           GOBACK.
"""


SORTPRB = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. SORTPRB.
      *----------------------------------------------------------------
      * PROBE: SORT WITH INPUT AND OUTPUT PROCEDURES, SORT USING AND
      * GIVING, DESCENDING AND ASCENDING KEYS, DUPLICATE KEYS.
      *----------------------------------------------------------------
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT TRAN-IN ASSIGN TO TRANIN
               ORGANIZATION IS LINE SEQUENTIAL
               FILE STATUS IS WS-IN-STATUS.
           SELECT TRAN-OUT ASSIGN TO TRANOUT
               ORGANIZATION IS LINE SEQUENTIAL.
           SELECT PACK-OUT ASSIGN TO PACKOUT
               ORGANIZATION IS SEQUENTIAL.
           SELECT SORT-WORK ASSIGN TO SORTWK1.
           SELECT SORT-PACK ASSIGN TO SORTWK2.
       DATA DIVISION.
       FILE SECTION.
       FD  TRAN-IN.
       01  TRAN-IN-REC.
           05  TI-BRANCH           PIC X(3).
           05  TI-ACCOUNT          PIC 9(5).
           05  TI-AMOUNT           PIC S9(5)V99
                                   SIGN LEADING SEPARATE.
           05  TI-MEMO             PIC X(10).
       FD  TRAN-OUT.
       01  TRAN-OUT-REC            PIC X(26).
       FD  PACK-OUT.
       01  PACK-OUT-REC.
           05  PO-BRANCH           PIC X(3).
           05  PO-AMOUNT           PIC S9(7)V99 COMP-3.
           05  PO-COUNT            PIC 9(3).
       SD  SORT-WORK.
       01  SORT-REC.
           05  SR-BRANCH           PIC X(3).
           05  SR-ACCOUNT          PIC 9(5).
           05  SR-AMOUNT           PIC S9(5)V99
                                   SIGN LEADING SEPARATE.
           05  SR-MEMO             PIC X(10).
       SD  SORT-PACK.
       01  SORT-PACK-REC.
           05  SP-BRANCH           PIC X(3).
           05  SP-AMOUNT           PIC S9(7)V99 COMP-3.
           05  SP-COUNT            PIC 9(3).
       WORKING-STORAGE SECTION.
       01  WS-IN-STATUS            PIC XX.
       01  WS-EOF                  PIC X      VALUE 'N'.
           88  END-OF-INPUT                   VALUE 'Y'.
       01  WS-SORT-EOF             PIC X      VALUE 'N'.
           88  END-OF-SORT                    VALUE 'Y'.
       01  WS-RELEASED             PIC 9(3)   VALUE ZERO.
       01  WS-RETURNED             PIC 9(3)   VALUE ZERO.
       01  WS-EDIT                 PIC -(5)9.99.
       01  WS-LAST-BRANCH          PIC X(3)   VALUE SPACES.
       01  WS-BRANCH-TOTAL         PIC S9(7)V99 VALUE ZERO.
       01  WS-BRANCH-COUNT         PIC 9(3)   VALUE ZERO.
       PROCEDURE DIVISION.
       0000-MAIN.
           SORT SORT-WORK
               ON DESCENDING KEY SR-BRANCH
               ON ASCENDING KEY SR-AMOUNT
               INPUT PROCEDURE IS 1000-SELECT
               OUTPUT PROCEDURE IS 2000-REPORT THRU 2900-EXIT
           DISPLAY 'RELEASED ' WS-RELEASED ' RETURNED ' WS-RETURNED
               ' SORT-RETURN ' SORT-RETURN
           SORT SORT-WORK
               ON ASCENDING KEY SR-ACCOUNT
               DESCENDING KEY SR-MEMO
               USING TRAN-IN
               GIVING TRAN-OUT
           SORT SORT-PACK
               ON ASCENDING KEY SP-AMOUNT SP-BRANCH
               INPUT PROCEDURE IS 3000-TOTALS
               GIVING PACK-OUT
           STOP RUN.

       1000-SELECT SECTION.
       1000-START.
           OPEN INPUT TRAN-IN
           PERFORM UNTIL END-OF-INPUT
               READ TRAN-IN
                   AT END SET END-OF-INPUT TO TRUE
                   NOT AT END
                       IF TI-AMOUNT NOT = ZERO
                           MOVE TRAN-IN-REC TO SORT-REC
                           RELEASE SORT-REC
                           ADD 1 TO WS-RELEASED
                       END-IF
               END-READ
           END-PERFORM
           CLOSE TRAN-IN.

       2000-REPORT SECTION.
       2000-START.
           PERFORM UNTIL END-OF-SORT
               RETURN SORT-WORK
                   AT END SET END-OF-SORT TO TRUE
                   NOT AT END PERFORM 2100-SHOW
               END-RETURN
           END-PERFORM
           GO TO 2900-EXIT.
       2100-SHOW.
           ADD 1 TO WS-RETURNED
           MOVE SR-AMOUNT TO WS-EDIT
           DISPLAY SR-BRANCH ' ' SR-ACCOUNT ' ' WS-EDIT ' ' SR-MEMO.
       2900-EXIT.
           EXIT.

       3000-TOTALS SECTION.
       3000-START.
           MOVE 'N' TO WS-EOF
           OPEN INPUT TRAN-IN
           PERFORM UNTIL END-OF-INPUT
               READ TRAN-IN
                   AT END SET END-OF-INPUT TO TRUE
                   NOT AT END
                       MOVE TI-BRANCH TO SP-BRANCH
                       MOVE TI-AMOUNT TO SP-AMOUNT
                       MOVE 1 TO SP-COUNT
                       RELEASE SORT-PACK-REC
               END-READ
           END-PERFORM
           CLOSE TRAN-IN.
"""


MISCPRB = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. MISCPRB.
      *----------------------------------------------------------------
      * PROBE: MOVES BETWEEN CATEGORIES, COMPARISONS, CLASS AND SIGN
      * CONDITIONS, FIGURATIVE CONSTANTS, INTRINSIC FUNCTIONS.
      *----------------------------------------------------------------
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-SNUM             PIC S9(4)V99  VALUE -12.34.
       01  WS-UNUM             PIC 9(4)      VALUE 42.
       01  WS-PACK             PIC S9(5)V9 COMP-3 VALUE -7.5.
       01  WS-BIN              PIC S9(8) COMP VALUE 123456.
       01  WS-TEXT             PIC X(10).
       01  WS-SHORT            PIC X(3).
       01  WS-NUM-EDIT         PIC ZZ,ZZ9.99-.
       01  WS-GROUP-A.
           05  GA-1            PIC X(4)  VALUE 'ABCD'.
           05  GA-2            PIC 9(4)  VALUE 1234.
       01  WS-GROUP-B.
           05  GB-1            PIC X(6).
           05  GB-2            PIC X(6).
       01  WS-ALPHA            PIC X(6)  VALUE 'ABC123'.
       01  WS-LETTERS          PIC X(6)  VALUE 'abc DE'.
       01  WS-DIGITS           PIC X(4)  VALUE '0042'.
       01  WS-NUMX REDEFINES WS-DIGITS PIC 9(4).
       01  WS-RESULT           PIC S9(6)V99.
       01  WS-I                PIC 9(2).
       01  WS-DEC              PIC 9V9.
       01  WS-DATE             PIC 9(8)  VALUE 20240229.
       01  WS-INT              PIC S9(9) VALUE -123.
       PROCEDURE DIVISION.
       0000-MAIN.
           MOVE WS-INT TO WS-TEXT
           DISPLAY 'SIGNED TO TEXT [' WS-TEXT ']'
           MOVE WS-BIN TO WS-SHORT
           DISPLAY 'BINARY TO SHORT [' WS-SHORT ']'
           MOVE WS-UNUM TO WS-NUM-EDIT
           MOVE WS-NUM-EDIT TO WS-TEXT
           DISPLAY 'EDITED TO TEXT [' WS-TEXT ']'
           MOVE '12.5' TO WS-SNUM
           DISPLAY 'TEXT TO NUMBER ' WS-SNUM
           MOVE WS-GROUP-A TO WS-GROUP-B
           DISPLAY 'GROUP TO GROUP [' WS-GROUP-B ']'
           MOVE ALL '-=' TO WS-TEXT
           DISPLAY 'ALL LITERAL [' WS-TEXT ']'
           MOVE HIGH-VALUES TO WS-SHORT
           IF WS-SHORT = HIGH-VALUES DISPLAY 'HIGH-VALUES EQUAL' END-IF
           MOVE ZEROS TO WS-TEXT
           DISPLAY 'ZEROS TO TEXT [' WS-TEXT ']'
           MOVE SPACES TO WS-DIGITS
           IF WS-NUMX NOT NUMERIC
               DISPLAY 'SPACES ARE NOT NUMERIC'
           END-IF
           MOVE '0042' TO WS-DIGITS
           IF WS-ALPHA ALPHABETIC DISPLAY 'NOT EXPECTED'
           ELSE DISPLAY 'ABC123 IS NOT ALPHABETIC' END-IF
           IF WS-LETTERS ALPHABETIC-LOWER DISPLAY 'NOT EXPECTED'
           ELSE DISPLAY 'MIXED CASE IS NOT LOWER' END-IF
           IF WS-DIGITS NUMERIC AND WS-NUMX = 42
               DISPLAY 'TEXT DIGITS ARE NUMERIC'
           END-IF
           IF WS-PACK NEGATIVE
               IF WS-UNUM POSITIVE
                   DISPLAY 'SIGN CONDITIONS'
               END-IF
           END-IF
           MOVE ZERO TO WS-SNUM
           IF WS-SNUM IS ZERO
               IF WS-SNUM IS NOT POSITIVE
                   DISPLAY 'ZERO IS NOT POSITIVE'
               END-IF
           END-IF
           IF WS-UNUM = '0042' DISPLAY 'NUMBER EQUALS TEXT' END-IF
           IF WS-ALPHA > 'ABC'
               DISPLAY 'LONGER TEXT COMPARES WITH SPACES'
           END-IF
           MOVE 'ABC' TO WS-SHORT
           IF WS-SHORT = 'ABC   '
               DISPLAY 'TRAILING SPACES DO NOT COUNT'
           END-IF
           IF WS-UNUM > 41 AND < 43 DISPLAY 'ABBREVIATED AND' END-IF
           IF WS-UNUM = 1 OR 2 OR 42 DISPLAY 'ABBREVIATED OR' END-IF
           IF NOT (WS-UNUM < 10 OR > 50) DISPLAY 'NOT OF A GROUP'
           END-IF
           IF WS-GROUP-A = 'ABCD1234' DISPLAY 'GROUP EQUALS LITERAL'
           END-IF
           IF WS-TEXT = ALL '0' DISPLAY 'ALL ZEROS TEXT' END-IF
           PERFORM VARYING WS-DEC FROM 0.5 BY 0.7 UNTIL WS-DEC > 2
               DISPLAY 'DECIMAL STEP ' WS-DEC
           END-PERFORM
           COMPUTE WS-RESULT = FUNCTION MOD (17, 5) +
               FUNCTION INTEGER (-2.5) * 10
           DISPLAY 'MOD AND INTEGER ' WS-RESULT
           COMPUTE WS-RESULT = FUNCTION NUMVAL (' -12.75 ') * 2
           DISPLAY 'NUMVAL ' WS-RESULT
           COMPUTE WS-INT = FUNCTION INTEGER-OF-DATE (WS-DATE)
           COMPUTE WS-DATE = FUNCTION DATE-OF-INTEGER (WS-INT + 1)
           DISPLAY 'NEXT DAY ' WS-DATE
           MOVE FUNCTION UPPER-CASE (WS-LETTERS) TO WS-TEXT
           DISPLAY 'UPPER [' WS-TEXT ']'
           DISPLAY 'LENGTH ' FUNCTION LENGTH (WS-GROUP-B)
           MOVE FUNCTION REVERSE (WS-ALPHA) TO WS-TEXT
           DISPLAY 'REVERSE [' WS-TEXT ']'
           COMPUTE WS-RESULT = FUNCTION MAX (3, 9.5, -1) +
               FUNCTION MIN (3, 9.5, -1)
           DISPLAY 'MAX+MIN ' WS-RESULT
           DISPLAY 'DISPLAY NUMBERS ' WS-PACK ' ' WS-BIN ' ' -5 ' ' 1.50
           STOP RUN.
"""


HELDPRB = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. HELDPRB.
      *----------------------------------------------------------------
      * PROBE: WORK FIELDS THE TRANSLATOR HOLDS AS VALUES (COUNTERS,
      * TOTALS, A NEGATIVE ZERO, A LEVEL 88, INITIALIZE) NEXT TO ITEMS
      * THAT MUST STAY BYTES: A GROUP MOVED WHOLE, A REDEFINES, A
      * REFERENCE MODIFICATION, A SAME-PICTURE COPY OF BAD DIGITS,
      * INSPECT, A GROUP INSIDE A RECORD, A REDEFINES INSIDE ONE
      * (ONLY THE BYTES IT OVERLAYS), A GROUP WITH A VALUE, A LEVEL 88
      * OF A GROUP AND OF A RECORD, A SUBSCRIPT PAST ITS TABLE, A CALL
      * WHOSE LINKAGE REACHES PAST ITS ARGUMENT (HELDSUB), INITIALIZE
      * REPLACING BY AN ITEM OF BAD DIGITS.
      *----------------------------------------------------------------
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-COUNTERS.
           05  WS-READ-CT       PIC S9(5)    COMP-3 VALUE ZERO.
           05  WS-SMALL-CT      PIC 9(2)     VALUE 98.
           05  WS-BIN-CT        PIC S9(4)    COMP   VALUE -3.
           05  WS-TOTAL         PIC S9(5)V99 COMP-3 VALUE 0.
           05  WS-RATE          PIC 9V9(4)   VALUE 0.0375.
           05  WS-SIGNED-DSP    PIC S9(3)    SIGN LEADING SEPARATE.
           05  WS-NEG-HELD      PIC S9(3)    COMP-3.
           05  WS-NEG-DSP       PIC S9(3).
           05  WS-STATUS-CD     PIC 9        VALUE 1.
               88  WS-STATUS-OK              VALUE 1.
               88  WS-STATUS-BAD             VALUE 7 8 9.
       77  WS-LOOP              PIC S9(4)    COMP VALUE ZERO.
       01  WS-MOVED-GROUP.
           05  WS-MG-AMOUNT     PIC 9(5)     VALUE 12.
           05  WS-MG-TEXT       PIC X(5)     VALUE 'ABCDE'.
       01  WS-OVERLAID.
           05  WS-OV-NUM        PIC 9(4)     VALUE 1234.
       01  WS-OV-TEXT REDEFINES WS-OVERLAID PIC X(4).
       01  WS-NZ-TEXT           PIC X(3)     VALUE '00p'.
       01  WS-NZ REDEFINES WS-NZ-TEXT PIC S9(3).
       01  WS-REFMOD-AREA.
           05  WS-RM-NUM        PIC 9(6)     VALUE 123456.
       01  WS-COPY-SRC.
           05  WS-CS-NUM        PIC 9(4)     VALUE ZERO.
       01  WS-COPY-DST.
           05  WS-CD-NUM        PIC 9(4)     VALUE ZERO.
       01  WS-INSPECTED.
           05  WS-IN-NUM        PIC 9(4)     VALUE 1212.
       01  WS-SUBGROUPED.
           05  WS-SG-KEY.
               10  WS-SG-NUM    PIC 9(3)     VALUE 7.
           05  WS-SG-OTHER      PIC 9(3)     VALUE 8.
       01  WS-INNER-REDEF.
           05  WS-IR-NUM        PIC 9(4)     VALUE 55.
           05  WS-IR-TEXT REDEFINES WS-IR-NUM PIC X(4).
       01  WS-PARTLY.
           05  WS-PT-DATE       PIC 9(8)     VALUE 20240131.
           05  WS-PT-DATE-R REDEFINES WS-PT-DATE.
               10  WS-PT-YEAR   PIC 9(4).
               10  WS-PT-MMDD   PIC 9(4).
           05  WS-PT-COUNT      PIC S9(3)    COMP-3 VALUE 4.
           05  WS-PT-INIT                    VALUE '0007'.
               10  WS-PT-INIT-NUM PIC 9(4).
       01  WS-GRP88-REC.
           05  WS-G88.
               88  WS-G88-INIT               VALUE '0505'.
               10  WS-G88-N1    PIC 9(2)     VALUE 1.
               10  WS-G88-N2    PIC 9(2)     VALUE 2.
           05  WS-G88-N3        PIC 9(2)     VALUE 3.
       01  WS-TOP88.
           88  WS-TOP88-NINES                VALUE '999'.
           05  WS-T88-NUM       PIC 9(3)     VALUE 0.
       01  WS-OVERRUN.
           05  WS-OR-EL         PIC 9(2)     VALUE 0 OCCURS 3.
           05  WS-OR-CNT        PIC 9(2)     VALUE 0.
       01  WS-OR-SUB            PIC 9(2)     VALUE 4.
       01  WS-CALLED.
           05  WS-CL-NAME       PIC X(4)     VALUE 'ABCD'.
           05  WS-CL-CNT        PIC 9(3)     VALUE 5.
       01  WS-INIT-REC.
           05  WS-INIT-NUM      PIC 9(3)     VALUE 0.
       01  WS-BAD-TEXT          PIC X(3)     VALUE '1 3'.
       01  WS-BAD-NUM REDEFINES WS-BAD-TEXT  PIC 9(3).
       01  WS-TINY              PIC S9V9(7)  COMP-3 VALUE -0.0000123.
       01  WS-TINY-EDIT         PIC ZZ9.99-.
       01  WS-TINY-BLANK        PIC ZZ9.99 BLANK WHEN ZERO.
       01  WS-EDIT              PIC -(5)9.99.
       01  WS-TEXT              PIC X(8).
       01  WS-WHOLE             PIC X(10).
       PROCEDURE DIVISION.
       0000-MAIN.
           PERFORM VARYING WS-LOOP FROM 1 BY 1 UNTIL WS-LOOP > 5
               ADD 1 TO WS-READ-CT
               ADD 1 TO WS-SMALL-CT
               SUBTRACT 2 FROM WS-BIN-CT
               COMPUTE WS-TOTAL ROUNDED = WS-TOTAL + WS-LOOP * WS-RATE
           END-PERFORM
           DISPLAY 'READ ' WS-READ-CT ' SMALL ' WS-SMALL-CT
               ' BIN ' WS-BIN-CT ' TOTAL ' WS-TOTAL ' LOOP ' WS-LOOP
           MOVE WS-TOTAL TO WS-EDIT
           MOVE WS-SMALL-CT TO WS-TEXT
           DISPLAY 'EDITED ' WS-EDIT ' TEXT ' WS-TEXT
           MOVE -12 TO WS-SIGNED-DSP
           DISPLAY 'SIGNED ' WS-SIGNED-DSP
           MOVE WS-NZ TO WS-NEG-HELD WS-NEG-DSP
           DISPLAY 'NEGATIVE ZERO ' WS-NEG-HELD ' ' WS-NEG-DSP
           IF WS-NEG-HELD = ZERO
               DISPLAY 'NEGATIVE ZERO EQUALS ZERO'
           END-IF
           ADD 0 TO WS-NEG-HELD
           DISPLAY 'AFTER ADD ' WS-NEG-HELD
           SET WS-STATUS-BAD TO TRUE
           IF WS-STATUS-BAD
               DISPLAY 'STATUS ' WS-STATUS-CD
           END-IF
           INITIALIZE WS-COUNTERS
           DISPLAY 'INITIALIZED ' WS-READ-CT ' ' WS-SMALL-CT ' '
               WS-TOTAL ' ' WS-RATE
           MOVE WS-MOVED-GROUP TO WS-WHOLE
           DISPLAY 'GROUP ' WS-WHOLE
           MOVE 42 TO WS-OV-NUM
           DISPLAY 'OVERLAY ' WS-OV-TEXT
           MOVE '99' TO WS-RM-NUM(3:2)
           DISPLAY 'REFMOD ' WS-RM-NUM
           MOVE '12 4' TO WS-COPY-SRC
           MOVE WS-CS-NUM TO WS-CD-NUM
           DISPLAY 'COPIED [' WS-CD-NUM ']'
           INSPECT WS-IN-NUM REPLACING ALL '1' BY '7'
           DISPLAY 'INSPECTED ' WS-IN-NUM
           ADD 1 TO WS-SG-NUM WS-SG-OTHER
           DISPLAY 'SUBGROUP ' WS-SG-KEY
           ADD 1 TO WS-IR-NUM
           DISPLAY 'INNER REDEFINES ' WS-IR-TEXT
           ADD 1 TO WS-PT-YEAR WS-PT-COUNT WS-PT-INIT-NUM
           DISPLAY 'PARTLY ' WS-PT-DATE ' ' WS-PT-COUNT ' '
               WS-PT-INIT-NUM
           SET WS-G88-INIT TO TRUE
           DISPLAY 'GROUP 88 ' WS-G88-N1 ' ' WS-G88-N2 ' ' WS-G88-N3
           SET WS-TOP88-NINES TO TRUE
           DISPLAY 'RECORD 88 ' WS-T88-NUM
           MOVE 55 TO WS-OR-EL(WS-OR-SUB)
           ADD 1 TO WS-OR-CNT
           DISPLAY 'OVERRUN ' WS-OR-CNT
           CALL 'HELDSUB' USING WS-CL-NAME
           ADD 1 TO WS-CL-CNT
           DISPLAY 'CALLED ' WS-CL-NAME ' ' WS-CL-CNT
           INITIALIZE WS-INIT-NUM REPLACING NUMERIC DATA BY WS-BAD-NUM
           DISPLAY 'REPLACED [' WS-INIT-NUM ']'
           MOVE WS-TINY TO WS-TINY-EDIT WS-TINY-BLANK
           DISPLAY 'TINY [' WS-TINY-EDIT '] [' WS-TINY-BLANK ']'
           STOP RUN.
"""
HELDSUB = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. HELDSUB.
      *----------------------------------------------------------------
      * SUBPROGRAM OF HELDPRB: ITS LINKAGE RECORD IS LONGER THAN THE
      * ARGUMENT, SO IT READS AND WRITES THE CALLER'S NEXT ITEM.
      *----------------------------------------------------------------
       DATA DIVISION.
       LINKAGE SECTION.
       01  LK-REC.
           05  LK-NAME          PIC X(4).
           05  LK-CNT           PIC 9(3).
       PROCEDURE DIVISION USING LK-REC.
           DISPLAY 'HELDSUB SEES ' LK-CNT
           ADD 100 TO LK-CNT
           GOBACK.
"""
"""HELDPRB: the translator holds WS-COUNTERS' items and WS-LOOP as Python ints (see
``test_held_items_are_the_private_numbers``); every other numeric item stays bytes."""


# --------------------------------------------------------------------------- scenarios


def _fixed(key: str, packed_hex: str, quantity: str) -> bytes:
    """A 12-byte FIX-IN record of FILEPRB: key, S9(5)V99 COMP-3, 9(4)."""
    return key.encode() + bytes.fromhex(packed_hex) + quantity.encode()


TRANSACTIONS = "".join(f"{branch}{account:05d}{amount}{memo}\n" for branch, account, amount, memo
                       in [("NYC", 10001, "+0012500", "RENT"), ("BOS", 20002, "-0000550", "FEE"),
                           ("NYC", 10002, "+0000100", "COFFEE"), ("CHI", 30003, "+0099999", "CAR"),
                           ("BOS", 20001, "-0000550", "FEE2"), ("NYC", 10001, "+0000000", "ZERO"),
                           ("CHI", 30001, "+0000100", "LUNCH"),
                           ("BOS", 20002, "+0001000", "REFUND"),
                           ("NYC", 10003, "+0012500", "RENT2")]).encode()
"""TRAN-IN of SORTPRB: branch, account, amount (SIGN LEADING SEPARATE), memo; duplicate keys."""


@dataclass(frozen=True)
class Probe:
    """A main program, its scenarios, and lines GnuCOBOL must print for each (the rule)."""

    program: str
    scenarios: tuple[Scenario, ...] = (Scenario("run"),)
    shows: dict[str, tuple[str, ...]] = field(default_factory=dict)
    never: tuple[str, ...] = ()


SOURCES = {"CTLFLOW": CTLFLOW, "VARYNEST": VARYNEST, "ARITHPRB": ARITHPRB, "DATAPRB": DATAPRB,
           "STRPRB": STRPRB, "FILEPRB": FILEPRB, "EVALPRB": EVALPRB, "CALLPRB": CALLPRB,
           "CALLSUB": CALLSUB, "SORTPRB": SORTPRB, "MISCPRB": MISCPRB, "HELDPRB": HELDPRB,
           "HELDSUB": HELDSUB}

PROBES = [
    Probe("CTLFLOW", shows={"run": (
        "IN 3000-Y, LEAVING THE RANGE\nIN 3500-OUTSIDE\nIN 3000-Z, END OF RANGE\n",
        "TEST BEFORE, ALREADY TRUE, COUNT=003\nTEST AFTER, ALREADY TRUE, COUNT=004\n",
        "AFTER 0 AND -2 TIMES COUNT=009\n",
        "SELECTOR 2\n  BRANCH TWO\n  BRANCH THREE (TWO FALLS IN HERE)\n",
        "SELECTOR 4\n  OUT OF RANGE, FELL THROUGH\nSELECTOR AFTER THE LOOP 5\n",
        "AFTER THE PERIOD\nDONE, SAME SENTENCE\n",
        "ALTER: FIRST\nALTER: SECOND\nALTER: FIRST\n",
        "AFTER EXIT PERFORM 003\nCYCLE 001\nCYCLE 003\nBACK IN MAIN\n",
        "LAST OF MAIN SECTION\nFELL INTO 0095\n")},
        never=("NEVER", "SKIPPED BY NEXT SENTENCE")),
    Probe("VARYNEST", shows={"run": (
        "AFTER J FROM I: I=+004 J=+004 CALLS=0006\n",
        # when J's loop ends, I is stepped and J set again; K only when its loop is entered
        "  I=+002 J=+001 K=+001\n",
        "THREE LEVELS: I=+003 J=+001 K=+003 CALLS=0010\n",
        "DOWN LOOP ENDS AT -001\nEMPTY LOOP LEAVES I=+005\n",
        "NESTED INLINE SUM 00186 I=+004 J=+005\n",
        "TEST AFTER ENDS I=+003 J=+003\nTEST AFTER RUNS ONCE K=+007\n",
        "  I=+005 J=+003 K=+007\nOUT-OF-LINE TEST AFTER ENDS I=+005\n",
        "SQUARES 0104091625 INDEX AFTER 06\n",
        "CYCLE SKIPS N=1: I=+001 N=02\nCYCLE SKIPS N=1: I=+002 N=02\n"
        "CYCLE SKIPS N=1: I=+003 N=02\nEXITS END I=+003 N=02\n",
        "INLINE PERFORM WITHOUT A LOOP\n")}, never=("NEVER",)),
    Probe("ARITHPRB", shows={"run": (
        "ADD 1.255 TRUNCATED +01235.81\nADD 1.255 ROUNDED   +01237.07\n",
        "NEGATIVE INTO UNSIGNED 007.0\n",
        "DIVIDE BY REMAINDER +014 +002\nNEGATIVE REMAINDER -014.28 -000.04\n",
        "COMPUTE 10/3 ROUNDED +0000003.33\nCOMPUTE 10/3*3 +0000009.99\n",
        "SIZE ERROR, UNCHANGED 95\nNO SIZE ERROR 99\n",
        "DIVIDE BY ZERO +01237.07\n", "ROUNDING OVERFLOWS -014.28\n")}),
    Probe("DATAPRB", shows={"run": (
        "04 [ 12,345.00-] [$12,345.00] [2345] [345CR] [345DB] [-345]\n",
        "03 [      0.00 ] [     $0.00] [***0] [000  ] [000  ] [+  0]\n"
        "   [      ] [     0] [       ] [   +0.00]\n",
        "NUMBER AS TEXT 001335\n", "SET TO FIRST VALUE 30\n",
        "GROUP  [12345***ACME CORP ",  # then the COMP-3 balance, its bytes shown as they are
        "WHOLE  [00000***          ",
        "CORR [GLOBEX      000004298765    -1234.50]\n",
        "RECEIVER [THE SLOWK BROWN FOX ]\n")}),
    Probe("STRPRB", shows={"run": (
        "STRING [JOHN SMITHNEW YORK            ]\n", "OVERFLOW, POINTER 09\n",
        "UNSTRING [ACCT01  ][        ][SMITH   ][  42.50 ] D=,, C=060007 T=04\n",
        "ALL SPACE [ALPHA   ][BETA    ][GAMMA   ] C=05 T=03 P=25\n",
        "TALLY 006 002 010\n", "CONVERT [  ALPHA   BETA gamma    DELTA ]\n")}),
    Probe("FILEPRB", scenarios=(
        Scenario("data", {
            "LINEIN": b"SHORT\nA LINE OF EXACTLY 24 CH\nA LINE LONGER THAN THE RECORD ITSELF"
                      b"\n\nLAST NO NEWLINE",
            "FIXIN": _fixed("A001", "0012345c", "0010") + _fixed("B002", "0000125d", "0002"),
            "LOGFILE": b"EARLIER RUN\n"}),
        Scenario("missing-input", {"FIXIN": b""}),
        Scenario("empty", {"LINEIN": b"", "FIXIN": b""}),
        Scenario("odd-bytes", {
            "LINEIN": b"X\r\nTAB\there\n\f\nZ",
            "FIXIN": _fixed("A001", "0012345c", "0010") + b"B00"})),
        shows={"data": ("AT END 10\nREAD AFTER END 46\nCLOSE 00 00\nREAD WHEN CLOSED 47\n"
                        "OPEN TWICE 41\n", "STATUS 10\nREAD AFTER END 46\n"),
               "missing-input": ("OPEN LINEIN 35\n", "OPEN EXTEND 35\n"),
               "odd-bytes": ("STATUS 04\n",)}),
    Probe("EVALPRB", scenarios=(
        Scenario("clock-1", stdin=b"ABCD\nX", env={"COB_CURRENT_DATE": "2024/03/14 09:30:15.25"}),
        Scenario("clock-2", env={"COB_CURRENT_DATE": "2023/12/31 23:59:59.99"})),
        shows={"clock-1": (
            "14 OTHER\n21 SMALL OR TWENTIES\n28 NOT FOURTEEN\n",
            "A NEGATIVE A, NOT VIP\nZ NO RULE\nZ VIP OF ANY TYPE\n",
            "BINARY: XYZ NOT FOUND\nSERIAL: XYZ NOT FOUND\nSERIAL: NOT AFTER 2\n",
            "VARYING FOUND CARLA  POS 03\n",
            "DATE 240314 20240314 DAY 24074 2024074 DOW 4\nTIME 09301525\n",
            "ACCEPTED [ABC]\nEND OF INPUT [X  ]\nEND OF INPUT [   ]\n",
            "RETURN-CODE +000000004\n"),
            "clock-2": ("DATE 231231 20231231 DAY 23365 2023365 DOW 7\nTIME 23595999\n",)}),
    Probe("CALLPRB", scenarios=(
        Scenario("dynamic-found", stdin=b"CALLSUB\n"),
        Scenario("dynamic-missing", stdin=b"NOPGM\n")),
        shows={"dynamic-found": (
            "KEEP=ORIGIN RC=+000000000\n", "KEEP=CHANGE RC=+000000004\n",
            "  CALLSUB CALL 003 TEXT=LITERL\n", "AFTER CANCEL [ADDED 001   ]\n",
            "NOPGM: EXCEPTION\nPART OF THE DISPLAY\n", "CALLSUB : FOUND   \n",
            "NOT ON EXCEPTION ALONE\n", "EXIT PROGRAM RC=+000000008 [UNKNOWN     ]\n",
            "CALLED CALLSUB  RC=+000000000\n")}),
    Probe("SORTPRB", scenarios=(
        Scenario("transactions", {"TRANIN": TRANSACTIONS}), Scenario("empty", {"TRANIN": b""})),
        shows={"transactions": (
            "NYC 10002      1.00 COFFEE    \nNYC 10001    125.00 RENT      \n"
            "NYC 10003    125.00 RENT2     \nCHI 30001      1.00 LUNCH     \n",
            "BOS 20002     -5.50 FEE       \nBOS 20001     -5.50 FEE2      \n",
            "RELEASED 008 RETURNED 008 SORT-RETURN +000000000\n")}),
    Probe("HELDPRB", shows={"run": (
        "READ +00005 SMALL 03 BIN -0013 TOTAL +00000.57 LOOP +0006\n",
        "EDITED      0.57 TEXT 03      \n", "SIGNED -012\n", "NEGATIVE ZERO +000 +000\n",
        "STATUS 7\n", "INITIALIZED +00000 00 +00000.00 0.0000\n", "GROUP 00012ABCDE\n",
        "OVERLAY 0042\n", "REFMOD 129956\n", "COPIED [12 4]\n",
        "INSPECTED 7272\n", "SUBGROUP 008\n", "INNER REDEFINES 0056\n",
        "PARTLY 20250131 +005 0008\n", "GROUP 88 05 05 03\n", "RECORD 88 999\n",
        "OVERRUN 56\n", "HELDSUB SEES 005\n", "CALLED ABCD 106\n", "REPLACED [1 3]\n",
        "TINY [  0.00 ] [      ]\n")}),
    Probe("MISCPRB", shows={"run": (
        "SIGNED TO TEXT [000000123 ]\nBINARY TO SHORT [001]\nEDITED TO TEXT [    42.00 ]\n",
        "TEXT TO NUMBER +0012.50\n", "SPACES ARE NOT NUMERIC\n", "ZERO IS NOT POSITIVE\n",
        "NUMBER EQUALS TEXT\n", "ABBREVIATED OR\nNOT OF A GROUP\nGROUP EQUALS LITERAL\n",
        "DECIMAL STEP 0.5\nDECIMAL STEP 1.2\nDECIMAL STEP 1.9\n",
        "MOD AND INTEGER -000028.00\nNUMVAL -000025.50\nNEXT DAY 20240301\n",
        "UPPER [ABC DE    ]\nLENGTH 12\nREVERSE [321CBA    ]\nMAX+MIN +000008.50\n")},
        never=("NOT EXPECTED",)),
]
CASES = [(probe, scenario) for probe in PROBES for scenario in probe.scenarios]
RETURN_CODES = {("FILEPRB", "data"): 5, ("FILEPRB", "missing-input"): 12,
                ("FILEPRB", "odd-bytes"): 4, ("EVALPRB", "clock-1"): 4,
                ("EVALPRB", "clock-2"): 4, ("CALLPRB", "dynamic-missing"): 1}
"""Exit statuses other than 0: FILEPRB's is the number of lines read (12: no input), EVALPRB's
the SEARCH ALL misses plus 3, CALLPRB stops at a CALL of a missing program (libcob's 1)."""


# --------------------------------------------------------------------------- fixtures


@dataclass
class Probes:
    """The analysed probe folder, its translations (one code folder) and the builds."""

    estate: Estate
    root: Path
    code: Path
    work: Path
    translations: dict[str, Translation]
    builds: dict[str, Build] = field(default_factory=dict)

    def build(self, name: str) -> Build:
        if name not in self.builds:
            self.builds[name] = build(self.estate.program(name), self.estate, self.root,
                                      self.work, trace=False)
        return self.builds[name]


@pytest.fixture(scope="module")
def probes(tmp_path_factory: pytest.TempPathFactory) -> Probes:
    base = tmp_path_factory.mktemp("probes")
    root = base / "probe"
    root.mkdir()
    for name, text in SOURCES.items():
        (root / f"{name}.cbl").write_text(text)
    analyze_into(root, base / "analysis")
    estate, _ = load_analysis(base / "analysis")
    code = base / "code"
    code.mkdir()
    translations = {}
    for program in estate.programs:
        translation = translate_program(program, estate)
        (code / f"{translation.module_name}.py").write_text(translation.source)
        translations[program.name] = translation
    return Probes(estate, root, code, base / "work", translations)


# --------------------------------------------------------------------------- tests


def test_every_probe_translates_completely(probes: Probes) -> None:
    assert sorted(probes.translations) == sorted(SOURCES)
    assert probes.estate.program("CALLSUB").kind == "subprogram"
    for name, translation in probes.translations.items():
        assert not translation.unsupported, (name, translation.unsupported)
        assert not translation.notes, (name, translation.notes)
        assert not translation.check_problems, (name, translation.check_problems)


def test_held_items_are_the_private_numbers(probes: Probes) -> None:
    """HELDPRB's work fields are held as Python ints; each item that a statement sees as bytes
    (a group moved whole, a REDEFINES, a reference modification, a same-picture copy,
    INSPECT, a group of its record that a statement uses, a REDEFINES over it, a group VALUE
    over it, a level-88 of its group or record, a used table of its record, a CALL argument
    of its record, INITIALIZE REPLACING by an item) is not. The probe's run against
    GnuCOBOL checks both kinds."""
    translation = probes.translations["HELDPRB"]
    assert translation.held == (
        "ws_counters.ws_bin_ct", "ws_counters.ws_neg_dsp", "ws_counters.ws_neg_held",
        "ws_counters.ws_rate", "ws_counters.ws_read_ct", "ws_counters.ws_signed_dsp",
        "ws_counters.ws_small_ct", "ws_counters.ws_status_cd", "ws_counters.ws_total",
        "ws_grp88_rec.ws_g88_n3", "ws_loop", "ws_or_sub", "ws_partly.ws_pt_count",
        "ws_subgrouped.ws_sg_other", "ws_tiny")
    assert translation.source.count("= self.held(") == 12
    assert "self.ws_loop = held_number(" in translation.source
    for bytes_item in ("ws_mg_amount", "ws_ov_num", "ws_rm_num", "ws_cs_num", "ws_cd_num",
                       "ws_in_num", "ws_sg_num", "ws_ir_num", "ws_pt_date",
                       "ws_pt_year", "ws_pt_mmdd", "ws_pt_init_num", "ws_g88_n1", "ws_g88_n2",
                       "ws_t88_num", "ws_or_cnt", "ws_cl_cnt", "ws_init_num"):
        assert f"self.{bytes_item} = self.elementary(" in translation.source, bytes_item


def _lines(result: RunResult) -> str:
    return result.stdout.decode("latin-1")


@needs_cobc
@pytest.mark.parametrize(("probe", "scenario"), CASES,
                         ids=[f"{p.program}-{s.name}" for p, s in CASES])
def test_probe_matches_gnucobol(probes: Probes, probe: Probe, scenario: Scenario) -> None:
    program = probes.estate.program(probe.program)
    built = probes.build(probe.program)
    legacy = run(built, scenario)
    module = probes.code / f"{probes.translations[probe.program].module_name}.py"
    python = run_python(module, scenario, built.dd_names, program.name)
    verdict = compare(legacy, python, program)
    assert verdict.equivalent, verdict.report() + "\npython stderr:\n" + \
        python.stderr.decode("utf-8", "replace")[-2000:]
    # the probe shows the rule it is about (GnuCOBOL's output, which the Python matched)
    shown = _lines(legacy)
    for text in probe.shows.get(scenario.name, ()):
        assert text in shown, f"GnuCOBOL did not print {text!r}:\n{shown}"
    for text in probe.never:
        assert text not in shown, text
    assert legacy.returncode == RETURN_CODES.get((probe.program, scenario.name), 0), \
        legacy.stderr.decode("latin-1")


@needs_cobc
def test_probe_output_files_are_compared(probes: Probes) -> None:
    """The file probes write what the comparison then checks byte for byte."""
    built = probes.build("FILEPRB")
    [probe] = [p for p in PROBES if p.program == "FILEPRB"]
    result = run(built, probe.scenarios[0])
    assert {"RPTOUT", "FIXOUT", "LOGFILE"} <= set(result.outputs)
    assert result.files["LOGFILE"] == b"EARLIER RUN\nRUN OF FILEPRB\n005\n"
    assert result.files["RPTOUT"].startswith(b"\fREPORT TITLE\n")
    assert len(result.files["FIXOUT"]) == 2 * 12  # fixed length: no line ends
    sort = run(probes.build("SORTPRB"), Scenario("transactions", {"TRANIN": TRANSACTIONS}))
    lines = sort.files["TRANOUT"].split(b"\n")
    assert lines[:2] == [b"NYC10001+0000000ZERO", b"NYC10001+0012500RENT"]  # memo descending
    assert sorted(sort.outputs) == ["PACKOUT", "TRANOUT"]
