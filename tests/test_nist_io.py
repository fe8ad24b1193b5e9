"""Sequential file I/O (records of several sizes under one FD, every OPEN and CLOSE form,
FILE STATUS after each) and figurative constants in every context, through the translator,
each checked against GnuCOBOL 3.1.2 (``cobc -x``).

Probe programs written for these tests from the COBOL rules, each run both ways by
``run_probe``; stdout and every file written must be identical, and the lines GnuCOBOL prints
are asserted literally as well, so a probe cannot pass by doing nothing:

* an FD with a long and a short 01 record: a SEQUENTIAL file writes each record at its own
  length (GnuCOBOL makes the file variable-length), a READ of a short record leaves the rest of
  the area as it was; WRITE ... FROM; REWRITE of a short record opened I-O; a LINE SEQUENTIAL
  file reads back padded with spaces;
* OPEN INPUT of a missing file (35) and of an absent OPTIONAL file (05, then at end 10), OPEN of
  an open file (41), EXTEND onto an existing and onto an absent OPTIONAL file (05), I-O with
  READ and REWRITE, and several files in several modes in one OPEN;
* CLOSE of a file not open (42), REEL and UNIT [FOR REMOVAL] (07, the file stays open), WITH NO
  REWIND (07), WITH LOCK (a later OPEN is 38; a CLOSE of the locked file unlocks it: 00, then
  42), several files in one CLOSE;
* figurative constants MOVEd to alphanumeric, numeric, edited and group items (an ALL literal
  into a numeric item is the literal repeated over 38 digits: ``ALL '123'`` gives a 9(4) item
  2312), compared with items of each kind and with ALL literals shorter than the item, in VALUE
  clauses and level-88 values, DISPLAYed, and in STRING, INSPECT, INITIALIZE and EVALUATE.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import require_tool
from probe_support import equivalent_probe

COBC = require_tool("cobc")
pytestmark = pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")

IOSIZE = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. IOSIZE.
      * ONE FD, TWO RECORD SIZES: SEQUENTIAL AND LINE SEQUENTIAL.
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT ORD-FILE ASSIGN TO ORDFILE
               ORGANIZATION IS SEQUENTIAL
               FILE STATUS IS ORD-STAT.
           SELECT NOTE-FILE ASSIGN TO NOTEFILE
               ORGANIZATION IS LINE SEQUENTIAL
               FILE STATUS IS NOTE-STAT.
       DATA DIVISION.
       FILE SECTION.
       FD  ORD-FILE.
       01  ORD-LONG.
           05  ORD-TYPE        PIC X.
           05  ORD-NUM         PIC 9(5).
           05  ORD-DESC        PIC X(14).
       01  ORD-SHORT.
           05  SHT-TYPE        PIC X.
           05  SHT-NUM         PIC 9(5).
       FD  NOTE-FILE.
       01  NOTE-LONG           PIC X(30).
       01  NOTE-SHORT          PIC X(8).
       WORKING-STORAGE SECTION.
       01  ORD-STAT            PIC XX.
       01  NOTE-STAT           PIC XX.
       01  WS-SHORT.
           05  FILLER          PIC X     VALUE 'S'.
           05  FILLER          PIC 9(5)  VALUE 42.
       01  WS-NOTE             PIC X(8)  VALUE 'FROM-WS'.
       01  EOF-FLAG            PIC X     VALUE 'N'.
       PROCEDURE DIVISION.
           OPEN OUTPUT ORD-FILE
           MOVE 'L' TO ORD-TYPE
           MOVE 12345 TO ORD-NUM
           MOVE 'WIDGETS BLUE' TO ORD-DESC
           WRITE ORD-LONG
           MOVE 'S' TO SHT-TYPE
           MOVE 7 TO SHT-NUM
           WRITE ORD-SHORT
           WRITE ORD-SHORT FROM WS-SHORT
           DISPLAY 'ORD WRITE ' ORD-STAT
           CLOSE ORD-FILE
           OPEN INPUT ORD-FILE
           PERFORM UNTIL EOF-FLAG = 'Y'
               READ ORD-FILE
                   AT END MOVE 'Y' TO EOF-FLAG
                   NOT AT END
                       DISPLAY 'ORD [' ORD-LONG '] ' ORD-STAT
                           ' ' SHT-NUM
               END-READ
           END-PERFORM
           CLOSE ORD-FILE
           OPEN I-O ORD-FILE
           READ ORD-FILE
           READ ORD-FILE
           MOVE 'R' TO SHT-TYPE
           MOVE 99 TO SHT-NUM
           REWRITE ORD-SHORT
           DISPLAY 'REWRITE ' ORD-STAT
           CLOSE ORD-FILE
           MOVE 'N' TO EOF-FLAG
           OPEN INPUT ORD-FILE
           PERFORM UNTIL EOF-FLAG = 'Y'
               READ ORD-FILE
                   AT END MOVE 'Y' TO EOF-FLAG
                   NOT AT END DISPLAY 'AFTER [' ORD-SHORT ']'
               END-READ
           END-PERFORM
           CLOSE ORD-FILE
           OPEN OUTPUT NOTE-FILE
           MOVE 'A LONG NOTE OF THIRTY BYTES..' TO NOTE-LONG
           WRITE NOTE-LONG
           MOVE 'SHORT' TO NOTE-SHORT
           WRITE NOTE-SHORT
           WRITE NOTE-SHORT FROM WS-NOTE
           WRITE NOTE-LONG FROM WS-NOTE
           CLOSE NOTE-FILE
           MOVE 'N' TO EOF-FLAG
           OPEN INPUT NOTE-FILE
           PERFORM UNTIL EOF-FLAG = 'Y'
               READ NOTE-FILE
                   AT END MOVE 'Y' TO EOF-FLAG
                   NOT AT END
                       DISPLAY 'NOTE [' NOTE-LONG '] [' NOTE-SHORT
                           '] ' NOTE-STAT
               END-READ
           END-PERFORM
           CLOSE NOTE-FILE
           STOP RUN.
"""

IOOPEN = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. IOOPEN.
      * OPEN INPUT / OUTPUT / I-O / EXTEND, OPTIONAL FILES, MANY FILES
      * IN ONE OPEN, AND THE FILE STATUS AFTER EACH.
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT CUST-FILE ASSIGN TO CUSTFILE
               FILE STATUS IS CUST-STAT.
           SELECT PRICE-FILE ASSIGN TO PRICEFILE
               FILE STATUS IS PRICE-STAT.
           SELECT OPTIONAL AUDIT-FILE ASSIGN TO AUDITFILE
               FILE STATUS IS AUDIT-STAT.
           SELECT LOG-FILE ASSIGN TO LOGFILE
               ORGANIZATION IS LINE SEQUENTIAL
               FILE STATUS IS LOG-STAT.
           SELECT MISSING-FILE ASSIGN TO NOSUCHFILE
               FILE STATUS IS MISS-STAT.
           SELECT OPTIONAL SPARE-FILE ASSIGN TO SPAREFILE
               FILE STATUS IS SPARE-STAT.
       DATA DIVISION.
       FILE SECTION.
       FD  CUST-FILE.
       01  CUST-REC            PIC X(10).
       FD  PRICE-FILE.
       01  PRICE-REC           PIC X(6).
       FD  AUDIT-FILE.
       01  AUDIT-REC           PIC X(8).
       FD  LOG-FILE.
       01  LOG-REC             PIC X(12).
       FD  MISSING-FILE.
       01  MISS-REC            PIC X(4).
       FD  SPARE-FILE.
       01  SPARE-REC           PIC X(4).
       WORKING-STORAGE SECTION.
       01  CUST-STAT           PIC XX.
       01  PRICE-STAT          PIC XX.
       01  AUDIT-STAT          PIC XX.
       01  LOG-STAT            PIC XX.
       01  MISS-STAT           PIC XX.
       01  SPARE-STAT          PIC XX.
       01  EOF-FLAG            PIC X.
       PROCEDURE DIVISION.
           OPEN INPUT MISSING-FILE
           DISPLAY 'INPUT MISSING ' MISS-STAT
           OPEN INPUT SPARE-FILE
           DISPLAY 'INPUT OPTIONAL ' SPARE-STAT
           READ SPARE-FILE AT END DISPLAY 'SPARE AT END ' SPARE-STAT
           END-READ
           CLOSE SPARE-FILE
           DISPLAY 'CLOSE SPARE ' SPARE-STAT
           OPEN OUTPUT CUST-FILE PRICE-FILE
           DISPLAY 'OUTPUT ' CUST-STAT ' ' PRICE-STAT
           MOVE 'SMITH' TO CUST-REC WRITE CUST-REC
           MOVE 'JONES' TO CUST-REC WRITE CUST-REC
           MOVE 'P00100' TO PRICE-REC WRITE PRICE-REC
           OPEN OUTPUT CUST-FILE
           DISPLAY 'OPEN TWICE ' CUST-STAT
           CLOSE CUST-FILE PRICE-FILE
           OPEN EXTEND AUDIT-FILE
           DISPLAY 'EXTEND ABSENT ' AUDIT-STAT
           MOVE 'AUDIT-1' TO AUDIT-REC WRITE AUDIT-REC
           CLOSE AUDIT-FILE
           OPEN EXTEND CUST-FILE
           DISPLAY 'EXTEND ' CUST-STAT
           MOVE 'BROWN' TO CUST-REC WRITE CUST-REC
           CLOSE CUST-FILE
           OPEN I-O CUST-FILE
           DISPLAY 'I-O ' CUST-STAT
           READ CUST-FILE
           READ CUST-FILE
           MOVE 'JONES-NEW' TO CUST-REC
           REWRITE CUST-REC
           DISPLAY 'REWRITE ' CUST-STAT
           CLOSE CUST-FILE
           OPEN INPUT CUST-FILE PRICE-FILE OUTPUT LOG-FILE
                EXTEND AUDIT-FILE
           DISPLAY 'ONE OPEN ' CUST-STAT ' ' PRICE-STAT ' '
               LOG-STAT ' ' AUDIT-STAT
           MOVE 'AUDIT-2' TO AUDIT-REC WRITE AUDIT-REC
           MOVE 'N' TO EOF-FLAG
           PERFORM UNTIL EOF-FLAG = 'Y'
               READ CUST-FILE AT END MOVE 'Y' TO EOF-FLAG
               NOT AT END
                   MOVE CUST-REC TO LOG-REC
                   WRITE LOG-REC
                   DISPLAY 'CUST ' CUST-REC
               END-READ
           END-PERFORM
           DISPLAY 'AT END ' CUST-STAT
           READ PRICE-FILE
           DISPLAY 'PRICE ' PRICE-REC ' ' PRICE-STAT
           CLOSE CUST-FILE PRICE-FILE LOG-FILE AUDIT-FILE
           OPEN INPUT AUDIT-FILE
           MOVE 'N' TO EOF-FLAG
           PERFORM UNTIL EOF-FLAG = 'Y'
               READ AUDIT-FILE AT END MOVE 'Y' TO EOF-FLAG
               NOT AT END DISPLAY 'AUDIT ' AUDIT-REC
               END-READ
           END-PERFORM
           CLOSE AUDIT-FILE
           OPEN I-O SPARE-FILE
           DISPLAY 'I-O OPTIONAL ' SPARE-STAT
           CLOSE SPARE-FILE
           OPEN EXTEND LOG-FILE
           MOVE 'LAST LINE' TO LOG-REC WRITE LOG-REC
           CLOSE LOG-FILE
           DISPLAY 'EXTEND LINE ' LOG-STAT
           STOP RUN.
"""

IOCLOSE = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. IOCLOSE.
      * CLOSE, CLOSE WITH LOCK, REEL, UNIT, NO REWIND, NOT OPEN.
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT TAPE-FILE ASSIGN TO TAPEFILE
               FILE STATUS IS TAPE-STAT.
           SELECT HIST-FILE ASSIGN TO HISTFILE
               FILE STATUS IS HIST-STAT.
           SELECT RPT-FILE ASSIGN TO RPTFILE
               ORGANIZATION IS LINE SEQUENTIAL
               FILE STATUS IS RPT-STAT.
       DATA DIVISION.
       FILE SECTION.
       FD  TAPE-FILE.
       01  TAPE-REC            PIC X(8).
       FD  HIST-FILE.
       01  HIST-REC            PIC X(8).
       FD  RPT-FILE.
       01  RPT-REC             PIC X(20).
       WORKING-STORAGE SECTION.
       01  TAPE-STAT           PIC XX.
       01  HIST-STAT           PIC XX.
       01  RPT-STAT            PIC XX.
       PROCEDURE DIVISION.
           CLOSE TAPE-FILE
           DISPLAY 'CLOSE NOT OPEN ' TAPE-STAT
           OPEN OUTPUT TAPE-FILE HIST-FILE RPT-FILE
           MOVE 'VOL1' TO TAPE-REC WRITE TAPE-REC
           CLOSE TAPE-FILE REEL
           DISPLAY 'CLOSE REEL ' TAPE-STAT
           MOVE 'VOL2' TO TAPE-REC WRITE TAPE-REC
           DISPLAY 'WRITE AFTER REEL ' TAPE-STAT
           CLOSE TAPE-FILE UNIT
           DISPLAY 'CLOSE UNIT ' TAPE-STAT
           MOVE 'HIST1' TO HIST-REC WRITE HIST-REC
           MOVE 'REPORT LINE' TO RPT-REC WRITE RPT-REC
           CLOSE TAPE-FILE HIST-FILE RPT-FILE
           DISPLAY 'CLOSE THREE ' TAPE-STAT ' ' HIST-STAT
               ' ' RPT-STAT
           CLOSE HIST-FILE
           DISPLAY 'CLOSE AGAIN ' HIST-STAT
           OPEN INPUT TAPE-FILE
           READ TAPE-FILE
           DISPLAY 'READ ' TAPE-REC ' ' TAPE-STAT
           CLOSE TAPE-FILE WITH NO REWIND
           DISPLAY 'NO REWIND ' TAPE-STAT
           OPEN INPUT TAPE-FILE
           READ TAPE-FILE
           DISPLAY 'READ ' TAPE-REC ' ' TAPE-STAT
           CLOSE TAPE-FILE WITH LOCK
           DISPLAY 'LOCK ' TAPE-STAT
           OPEN INPUT TAPE-FILE
           DISPLAY 'OPEN LOCKED ' TAPE-STAT
           CLOSE TAPE-FILE
           DISPLAY 'CLOSE LOCKED ' TAPE-STAT
           CLOSE TAPE-FILE
           DISPLAY 'CLOSE UNLOCKED ' TAPE-STAT
           OPEN INPUT TAPE-FILE
           DISPLAY 'OPEN UNLOCKED ' TAPE-STAT
           CLOSE TAPE-FILE
           OPEN INPUT HIST-FILE
           CLOSE HIST-FILE REEL FOR REMOVAL
           DISPLAY 'REEL REMOVAL ' HIST-STAT
           CLOSE HIST-FILE
           DISPLAY 'CLOSE ' HIST-STAT
           OPEN INPUT HIST-FILE
           CLOSE HIST-FILE UNIT FOR REMOVAL
           DISPLAY 'UNIT REMOVAL ' HIST-STAT
           CLOSE HIST-FILE
           DISPLAY 'CLOSE ' HIST-STAT
           STOP RUN.
"""

FIGCON = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. FIGCON.
      * FIGURATIVE CONSTANTS: MOVE, COMPARE, VALUE, DISPLAY, STRING,
      * INSPECT AND INITIALIZE.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  CODE-X              PIC X(5)     VALUE ALL '*'.
       01  QTY                 PIC 9(4)     VALUE ZEROS.
       01  AMT                 PIC S9(3)V99 VALUE ZERO.
       01  AMT-ED              PIC ZZ9.99.
       01  STARS-ED            PIC **9.99.
       01  NAME-ED             PIC XXBXX.
       01  HI-X                PIC X(3)     VALUE HIGH-VALUES.
       01  LO-X                PIC X(3)     VALUE LOW-VALUE.
       01  QT-X                PIC X(3)     VALUE QUOTES.
       01  SP-X                PIC X(3)     VALUE SPACE.
       01  AB-X                PIC X(5)     VALUE ALL 'AB'.
       01  ZR-X                PIC X(4)     VALUE ZERO.
       01  CUST.
           05  CUST-ID         PIC 9(3)     VALUE 12.
           05  CUST-NAME       PIC X(4)     VALUE 'ANN'.
       01  LINE-OUT            PIC X(20).
       01  PTR                 PIC 99.
       01  CNT                 PIC 99.
       01  HEXV                PIC X(8).
       01  TOTALS              VALUE ZEROS.
           05  TOT-A           PIC 9(3).
           05  TOT-B           PIC X(2).
           88  TOT-B-EMPTY     VALUE SPACES.
           88  TOT-B-HIGH      VALUE HIGH-VALUES.
       PROCEDURE DIVISION.
           DISPLAY 'VALUE [' CODE-X '][' QTY '][' AMT '][' QT-X
               '][' SP-X '][' AB-X '][' ZR-X ']'
           IF HI-X = HIGH-VALUES DISPLAY 'HIGH OK'.
           IF LO-X = LOW-VALUES DISPLAY 'LOW OK'.
           DISPLAY 'FIGS [' ZERO '][' SPACE '][' QUOTE '][' ALL 'XY'
               ']'
           MOVE ZERO TO CODE-X QTY AMT AMT-ED STARS-ED NAME-ED
           DISPLAY 'ZERO [' CODE-X '][' QTY '][' AMT '][' AMT-ED
               '][' STARS-ED '][' NAME-ED ']'
           MOVE SPACES TO CODE-X NAME-ED
           DISPLAY 'SPACE [' CODE-X '][' NAME-ED ']'
           MOVE QUOTE TO CODE-X NAME-ED
           DISPLAY 'QUOTE [' CODE-X '][' NAME-ED ']'
           MOVE ALL 'AB' TO CODE-X NAME-ED
           DISPLAY 'ALL AB [' CODE-X '][' NAME-ED ']'
           MOVE ALL '7' TO QTY AMT
           DISPLAY 'ALL 7 [' QTY '][' AMT ']'
           MOVE ALL '12' TO QTY
           DISPLAY 'ALL 12 [' QTY ']'
           MOVE ALL '123' TO QTY
           DISPLAY 'ALL 123 [' QTY ']'
           MOVE HIGH-VALUE TO CODE-X
           IF CODE-X = HIGH-VALUE DISPLAY 'CODE HIGH'.
           IF CODE-X > 'ZZZZZ' DISPLAY 'HIGH > Z'.
           MOVE LOW-VALUES TO CODE-X
           IF CODE-X = LOW-VALUE DISPLAY 'CODE LOW'.
           IF CODE-X < SPACES DISPLAY 'LOW < SPACE'.
           MOVE SPACES TO CUST
           DISPLAY 'GROUP SPACE [' CUST ']'
           IF CUST = SPACES DISPLAY 'CUST SPACES'.
           MOVE ZEROS TO CUST
           DISPLAY 'GROUP ZERO [' CUST ']'
           IF CUST = ZEROS DISPLAY 'CUST ZEROS'.
           IF CUST = SPACES DISPLAY 'NOT EXPECTED'
           ELSE DISPLAY 'CUST NOT SPACES'.
           MOVE ALL 'XY' TO CUST
           DISPLAY 'GROUP ALL [' CUST ']'
           MOVE HIGH-VALUES TO CUST
           IF CUST = HIGH-VALUES DISPLAY 'CUST HIGH'.
           MOVE '00000' TO CODE-X
           IF CODE-X = ZERO DISPLAY 'ALPHA ZERO'.
           IF CODE-X = ZEROS DISPLAY 'ALPHA ZEROS'.
           MOVE 0 TO QTY
           IF QTY = ZERO DISPLAY 'NUM ZERO'.
           IF QTY NOT = SPACE DISPLAY 'NUM NOT SPACE'.
           MOVE 'ABABA' TO CODE-X
           IF CODE-X = ALL 'AB' DISPLAY 'ALL AB EQUAL'.
           MOVE 'ABABX' TO CODE-X
           IF CODE-X NOT = ALL 'AB' DISPLAY 'ALL AB NOT EQUAL'.
           IF CODE-X > ALL 'AB' DISPLAY 'ALL AB GREATER'.
           MOVE 'ABC' TO CODE-X
           IF CODE-X = 'ABC' DISPLAY 'PADDED EQUAL'.
           IF ZERO = QTY DISPLAY 'ZERO FIRST'.
           IF SPACES = SP-X DISPLAY 'SPACE FIRST'.
           MOVE SPACES TO LINE-OUT
           MOVE 1 TO PTR
           STRING 'A' DELIMITED BY SIZE
                  QUOTE DELIMITED BY SIZE
                  SPACE DELIMITED BY SIZE
                  ZERO DELIMITED BY SIZE
                  'B-C' DELIMITED BY '-'
                  ALL '*' DELIMITED BY SIZE
               INTO LINE-OUT WITH POINTER PTR
           DISPLAY 'STRING [' LINE-OUT '] ' PTR
           MOVE 'A B C 0' TO LINE-OUT
           INSPECT LINE-OUT REPLACING ALL SPACE BY ZERO
           DISPLAY 'INSPECT [' LINE-OUT ']'
           MOVE 'X0Y0Z' TO LINE-OUT
           INSPECT LINE-OUT REPLACING ALL ZERO BY QUOTE
           DISPLAY 'INSPECT [' LINE-OUT ']'
           MOVE 0 TO CNT
           INSPECT LINE-OUT TALLYING CNT FOR ALL SPACES
           DISPLAY 'TALLY ' CNT
           MOVE 'ABC' TO LINE-OUT
           INSPECT LINE-OUT REPLACING CHARACTERS BY ZERO
               AFTER INITIAL SPACE
           DISPLAY 'AFTER SPACE [' LINE-OUT ']'
           MOVE 'HELLO' TO CUST-NAME
           MOVE 5 TO CUST-ID
           INITIALIZE CUST REPLACING ALPHANUMERIC BY SPACES
               NUMERIC BY ZERO
           DISPLAY 'INIT [' CUST ']'
           INITIALIZE CUST REPLACING ALPHANUMERIC BY ALL 'Q'
           DISPLAY 'INIT ALL [' CUST ']'
           MOVE LOW-VALUE TO HEXV
           MOVE QUOTE TO HEXV (3:2)
           MOVE HIGH-VALUE TO HEXV (8:)
           IF HEXV (1:2) = LOW-VALUES AND HEXV (3:1) = '"'
               AND HEXV (8:1) = HIGH-VALUE
               DISPLAY 'REF MOD OK'.
           DISPLAY 'TOTALS [' TOTALS ']'
           IF TOT-A = ZERO AND TOT-B = ZERO DISPLAY 'TOTALS ZERO'.
           SET TOT-B-HIGH TO TRUE
           IF TOT-B = HIGH-VALUES DISPLAY 'SET HIGH'.
           SET TOT-B-EMPTY TO TRUE
           EVALUATE TOT-B
               WHEN ZERO DISPLAY 'EVAL ZERO'
               WHEN SPACES DISPLAY 'EVAL SPACES'
           END-EVALUATE
           MOVE 0 TO AMT-ED
           IF AMT-ED = ZERO DISPLAY 'EDITED ZERO'.
           STOP RUN.
"""


def test_records_of_different_sizes_under_one_fd(tmp_path: Path) -> None:
    probe = equivalent_probe(tmp_path, "IOSIZE", IOSIZE)
    assert probe.lines() == [
        "ORD WRITE 00",
        "ORD [L12345WIDGETS BLUE  ] 00 12345",
        # a short record read over a long one: the rest of the area keeps its bytes
        "ORD [S00007WIDGETS BLUE  ] 00 00007",
        "ORD [S00042WIDGETS BLUE  ] 00 00042",
        "REWRITE 00",
        "AFTER [L12345]",
        "AFTER [R00099]",
        "AFTER [S00042]",
        "NOTE [A LONG NOTE OF THIRTY BYTES.. ] [A LONG N] 00",
        "NOTE [SHORT                         ] [SHORT   ] 00",
        "NOTE [FROM-WS                       ] [FROM-WS ] 00",
        "NOTE [FROM-WS                       ] [FROM-WS ] 00",
    ]
    # each record at its own length, behind a 4-byte length header
    assert probe.legacy.files["ORDFILE"] == (
        b"\0\x14\0\0L12345WIDGETS BLUE  \0\x06\0\0R00099\0\x06\0\0S00042")
    assert probe.legacy.files["NOTEFILE"] == (
        b"A LONG NOTE OF THIRTY BYTES..\nSHORT\nFROM-WS\nFROM-WS\n")


def test_open_modes_and_their_file_status(tmp_path: Path) -> None:
    probe = equivalent_probe(tmp_path, "IOOPEN", IOOPEN)
    assert probe.lines() == [
        "INPUT MISSING 35",
        "INPUT OPTIONAL 05",
        "SPARE AT END 10",
        "CLOSE SPARE 00",
        "OUTPUT 00 00",
        "OPEN TWICE 41",
        "EXTEND ABSENT 05",
        "EXTEND 00",
        "I-O 00",
        "REWRITE 00",
        "ONE OPEN 00 00 00 00",
        "CUST SMITH     ",
        "CUST JONES-NEW ",
        "CUST BROWN     ",
        "AT END 10",
        "PRICE P00100 00",
        "AUDIT AUDIT-1 ",
        "AUDIT AUDIT-2 ",
        "I-O OPTIONAL 05",
        "EXTEND LINE 00",
    ]
    assert probe.legacy.files["LOGFILE"] == b"SMITH\nJONES-NEW\nBROWN\nLAST LINE\n"
    assert "NOSUCHFILE" not in probe.legacy.files


def test_close_forms_and_their_file_status(tmp_path: Path) -> None:
    probe = equivalent_probe(tmp_path, "IOCLOSE", IOCLOSE)
    assert probe.lines() == [
        "CLOSE NOT OPEN 42",
        "CLOSE REEL 07",
        "WRITE AFTER REEL 00",
        "CLOSE UNIT 07",
        "CLOSE THREE 00 00 00",
        "CLOSE AGAIN 42",
        "READ VOL1     00",
        "NO REWIND 07",
        "READ VOL1     00",
        "LOCK 00",
        "OPEN LOCKED 38",
        # GnuCOBOL: a file closed WITH LOCK is not "not open"; closing it again unlocks it
        "CLOSE LOCKED 00",
        "CLOSE UNLOCKED 42",
        "OPEN UNLOCKED 00",
        "REEL REMOVAL 07",
        "CLOSE 00",
        "UNIT REMOVAL 07",
        "CLOSE 00",
    ]
    assert probe.legacy.files["TAPEFILE"] == b"VOL1    VOL2    "


def test_figurative_constants_in_every_context(tmp_path: Path) -> None:
    lines = equivalent_probe(tmp_path, "FIGCON", FIGCON).lines()
    assert lines[:11] == [
        'VALUE [*****][0000][+000.00]["""][   ][ABABA][0000]',
        "HIGH OK",
        "LOW OK",
        'FIGS [0][ ]["][XY]',
        "ZERO [00000][0000][+000.00][  0.00][**0.00][00 00]",
        "SPACE [     ][     ]",
        'QUOTE ["""""]["" ""]',
        "ALL AB [ABABA][ABABA]",
        # an ALL literal into a numeric item: the literal over 38 digits, low-order kept
        "ALL 7 [7777][+777.00]",
        "ALL 12 [1212]",
        "ALL 123 [2312]",
    ]
    for line in ("CODE HIGH", "HIGH > Z", "CODE LOW", "LOW < SPACE", "GROUP SPACE [       ]",
                 "CUST SPACES", "GROUP ZERO [0000000]", "CUST ZEROS", "CUST NOT SPACES",
                 "GROUP ALL [XYXYXYX]", "CUST HIGH", "ALPHA ZERO", "ALPHA ZEROS", "NUM ZERO",
                 "NUM NOT SPACE", "ALL AB EQUAL", "ALL AB NOT EQUAL", "ALL AB GREATER",
                 "PADDED EQUAL", "ZERO FIRST", "SPACE FIRST",
                 'STRING [A" 0B*              ] 07', "INSPECT [A0B0C000000000000000]",
                 'INSPECT [X"Y"Z               ]', "TALLY 15",
                 "AFTER SPACE [ABC 0000000000000000]", "INIT [000    ]",
                 "INIT ALL [000QQQQ]", "REF MOD OK", "TOTALS [00000]", "TOTALS ZERO",
                 "SET HIGH", "EVAL SPACES"):
        assert line in lines, line
    assert "NOT EXPECTED" not in lines and "EDITED ZERO" not in lines
