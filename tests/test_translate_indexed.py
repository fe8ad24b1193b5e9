"""Indexed and OPTIONAL files through the translator, checked against GnuCOBOL.

The translated program keeps an indexed file in an embedded store (SQLite), GnuCOBOL in Berkeley
DB, so the two files' bytes differ by design: the comparison is of what the program shows and
writes elsewhere (every FILE STATUS, the records read back by key and in key order, and a
sequential listing), byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import require_tool
from probe_support import run_probe

from modernize.validate.harness import Scenario

COBC = require_tool("cobc")

IDXPRB = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. IDXPRB.
      * PROBE: INDEXED FILE (RANDOM AND DYNAMIC ACCESS), OPTIONAL FILE.
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT CUST-FILE ASSIGN TO CUSTMST
                  ORGANIZATION IS INDEXED
                  ACCESS MODE IS DYNAMIC
                  RECORD KEY IS CU-ID
                  FILE STATUS IS WS-CU-STATUS.
           SELECT OPTIONAL EXTRA-FILE ASSIGN TO EXTRAIN
                  ORGANIZATION IS LINE SEQUENTIAL
                  FILE STATUS IS WS-EX-STATUS.
           SELECT LIST-FILE ASSIGN TO LISTOUT
                  ORGANIZATION IS LINE SEQUENTIAL.
       DATA DIVISION.
       FILE SECTION.
       FD  CUST-FILE.
       01  CU-REC.
           05  CU-ID                PIC X(5).
           05  CU-NAME              PIC X(12).
           05  CU-BAL               PIC S9(5)V99 COMP-3.
       FD  EXTRA-FILE.
       01  EX-REC                   PIC X(20).
       FD  LIST-FILE.
       01  LIST-LINE                PIC X(40).
       WORKING-STORAGE SECTION.
       01  WS-CU-STATUS             PIC XX.
       01  WS-EX-STATUS             PIC XX.
       01  WS-I                     PIC 9 VALUE 0.
       01  WS-EOF                   PIC X VALUE 'N'.
       01  WS-LINE.
           05  WL-ID                PIC X(5).
           05  FILLER               PIC X VALUE SPACE.
           05  WL-NAME              PIC X(12).
           05  FILLER               PIC X VALUE SPACE.
           05  WL-BAL               PIC -ZZ,ZZ9.99.
       01  WS-IDS                   PIC X(25)
                                    VALUE 'C0300C0100C0500C0200C0100'.
       01  WS-ID-TBL REDEFINES WS-IDS.
           05  WS-ID                PIC X(5) OCCURS 5 TIMES.
       PROCEDURE DIVISION.
       0000-MAIN.
           OPEN INPUT EXTRA-FILE
           DISPLAY 'OPEN OPTIONAL ' WS-EX-STATUS
           READ EXTRA-FILE
               AT END DISPLAY 'AT END ' WS-EX-STATUS
               NOT AT END DISPLAY 'EXTRA ' EX-REC
           END-READ
           CLOSE EXTRA-FILE
           OPEN OUTPUT CUST-FILE
           DISPLAY 'OPEN OUTPUT ' WS-CU-STATUS
           PERFORM VARYING WS-I FROM 1 BY 1 UNTIL WS-I > 5
               MOVE WS-ID (WS-I) TO CU-ID
               MOVE 'CUSTOMER' TO CU-NAME
               MOVE WS-I TO CU-NAME (10:1)
               COMPUTE CU-BAL = WS-I * 123.45 - 300
               WRITE CU-REC
                   INVALID KEY
                       DISPLAY 'DUPLICATE ' CU-ID ' ' WS-CU-STATUS
                   NOT INVALID KEY
                       DISPLAY 'WROTE ' CU-ID ' ' WS-CU-STATUS
               END-WRITE
           END-PERFORM
           CLOSE CUST-FILE
           OPEN I-O CUST-FILE
           MOVE 'C0200' TO CU-ID
           READ CUST-FILE
               INVALID KEY DISPLAY 'NOT FOUND C0200'
               NOT INVALID KEY DISPLAY 'FOUND ' CU-NAME ' ' WS-CU-STATUS
           END-READ
           MOVE 'NEW NAME' TO CU-NAME
           REWRITE CU-REC
           DISPLAY 'REWRITE ' WS-CU-STATUS
           MOVE 'C0400' TO CU-ID
           READ CUST-FILE
               INVALID KEY DISPLAY 'NOT FOUND C0400 ' WS-CU-STATUS
           END-READ
           MOVE 'C0300' TO CU-ID
           DELETE CUST-FILE RECORD
               INVALID KEY DISPLAY 'DELETE FAILED'
           END-DELETE
           DISPLAY 'DELETE ' WS-CU-STATUS
           DELETE CUST-FILE
               INVALID KEY DISPLAY 'DELETE AGAIN ' WS-CU-STATUS
           END-DELETE
           MOVE 'C0150' TO CU-ID
           START CUST-FILE KEY IS NOT LESS THAN CU-ID
               INVALID KEY DISPLAY 'START FAILED'
           END-START
           DISPLAY 'START ' WS-CU-STATUS
           OPEN OUTPUT LIST-FILE
           PERFORM UNTIL WS-EOF = 'Y'
               READ CUST-FILE NEXT RECORD
                   AT END MOVE 'Y' TO WS-EOF
                   NOT AT END
                       MOVE CU-ID TO WL-ID
                       MOVE CU-NAME TO WL-NAME
                       MOVE CU-BAL TO WL-BAL
                       WRITE LIST-LINE FROM WS-LINE
               END-READ
           END-PERFORM
           DISPLAY 'END OF FILE ' WS-CU-STATUS
           CLOSE CUST-FILE LIST-FILE
           STOP RUN.
"""


@pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")
@pytest.mark.parametrize("extra", [None, b"EXTRA RECORD\n"], ids=["optional-absent", "present"])
def test_indexed_and_optional_files_match_gnucobol(tmp_path: Path, extra: bytes | None) -> None:
    scenario = Scenario("run", {"EXTRAIN": extra} if extra is not None else {})
    # CUSTMST differs by design (Berkeley DB against SQLite); everything else is compared
    probe = run_probe(tmp_path, {"IDXPRB": IDXPRB}, "IDXPRB", scenario,
                      dd_names=["CUSTMST", "EXTRAIN", "LISTOUT"], files=["LISTOUT", "EXTRAIN"])
    program = probe.estate.program("IDXPRB")
    assert program.files[1].optional and not program.files[0].optional
    assert not probe.translations["IDXPRB"].unsupported
    assert probe.verdict.equivalent, probe.report()
    legacy = probe.legacy
    shown = legacy.stdout.decode()
    if extra is None:
        assert "OPEN OPTIONAL 05\nAT END 10\n" in shown
    else:
        assert "EXTRA EXTRA RECORD" in shown
    assert "DUPLICATE C0100 22\n" in shown and "NOT FOUND C0400 23\n" in shown
    assert "DELETE AGAIN 23\n" in shown and "START 00\n" in shown
    assert legacy.files["LISTOUT"].splitlines() == [  # from C0150 on; C0300 was deleted
        b"C0200 NEW NAME         193.80", b"C0500 CUSTOMER 3        70.35"]


OPENLIST = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. OPENLIST.
      * PROBE: OPEN AND CLOSE OF SEVERAL FILES WITHOUT FILE STATUS.
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT FA ASSIGN TO FA ORGANIZATION IS LINE SEQUENTIAL.
           SELECT FB ASSIGN TO FB ORGANIZATION IS LINE SEQUENTIAL.
       DATA DIVISION.
       FILE SECTION.
       FD  FA.
       01  RA                       PIC X(5).
       FD  FB.
       01  RB                       PIC X(5).
       PROCEDURE DIVISION.
           OPEN INPUT FA FB
           DISPLAY 'OPENED'
           CLOSE FB FA
           DISPLAY 'CLOSED'
           STOP RUN.
"""


@pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")
def test_only_the_last_file_of_an_open_or_close_list_is_checked(tmp_path: Path) -> None:
    """GnuCOBOL 3.1.2 checks the status of the last file of an OPEN or CLOSE list only: a
    missing first file passes the OPEN, and its CLOSE (last in the list) stops the run."""
    probe = run_probe(tmp_path, {"OPENLIST": OPENLIST}, "OPENLIST",
                      Scenario("fa-missing", {"FB": b"x\n"}), dd_names=["FA", "FB"])
    assert probe.verdict.equivalent, probe.report()
    legacy, python = probe.legacy, probe.python
    assert legacy.stdout == b"OPENED\n" and legacy.returncode == 1
    assert b"status = 42" in legacy.stderr and b"status = 42" in python.stderr
