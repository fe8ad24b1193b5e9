"""An estate shaped like a real mainframe export, analysed end to end.

The repo is built in ``tmp_path``: fixed-format COBOL with sequence numbers in columns 1-6 and
change tags in 73-80, comment and page-eject lines, copybooks in several folders (one without
extension, one ``.CPY``), a missing copybook used by two programs, a CICS and a DB2 program, CRLF
line ends, an EBCDIC (cp037) and a Latin-1 member, a load module with NUL bytes, a program with
garbage in its procedure division, ``NOT=`` without a space, COPY in the LINKAGE SECTION and a
JCL job. Every expected value below is written by hand from the text of the fixture: line ``N``
of each member carries the sequence number ``N * 100``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from modernize.analyze import analyze_repo
from modernize.graphs import (
    analyze_estate,
    call_graph,
    control_flow_graph,
    crud_matrix,
    include_graph,
)
from modernize.model import Estate, FileKind, Program, Severity
from modernize.store import load_analysis, write_analysis

# --------------------------------------------------------------------------- the fixture


def cards(text: str, tag: str) -> list[str]:
    """Fixed-format cards: each line padded to column 72, ``tag`` in columns 73-80.

    A line ending in ``@XXXXXXXX`` gets that change tag instead (as after a maintenance fix);
    a line of only a sequence number stays as it is, as exports leave them.
    """
    out = []
    for raw in text.strip("\n").split("\n"):
        body, _, own_tag = raw.partition("@")
        body = body.rstrip()
        assert len(body) <= 72, f"card longer than 72 columns: {body!r}"
        if len(body) <= 6:
            out.append(body)
        else:
            out.append(body.ljust(72) + (own_tag or tag)[:8])
    return out


PAYCALC = """
000100 IDENTIFICATION DIVISION.
000200 PROGRAM-ID. PAYCALC.
000300 AUTHOR. R MILLER - PAYROLL SYSTEMS.
000400 DATE-WRITTEN. 03/14/1989.
000500*================================================================*
000600* PAYCALC - NIGHTLY PAY CALCULATION                              *
000700*================================================================*
000800 ENVIRONMENT DIVISION.
000900 INPUT-OUTPUT SECTION.
001000 FILE-CONTROL.
001100     SELECT EMP-FILE ASSIGN TO EMPIN
001200            FILE STATUS IS WS-EMP-STATUS.
001300     SELECT PAY-FILE ASSIGN TO PAYOUT.
001400 DATA DIVISION.
001500 FILE SECTION.
001600 FD  EMP-FILE.
001700 01  EMP-REC.
001800     05  EMP-ID              PIC X(6).
001900     05  EMP-HOURS           PIC 9(3).
002000 FD  PAY-FILE.
002100 01  PAY-REC                 PIC X(80).
002200/
002300 WORKING-STORAGE SECTION.
002400 01  WS-EMP-STATUS           PIC XX.
002500 01  WS-EOF                  PIC X VALUE 'N'.
002600     88  END-OF-EMP          VALUE 'Y'.
002700 01  WS-RATE-PGM             PIC X(8) VALUE 'RATECALC'.          @CHG0042.
002800     COPY ACCTREC.
002900     COPY CUSTREC.
003000     COPY DATEWS.
003100 LINKAGE SECTION.
003200     COPY LNKPARM.
003300 PROCEDURE DIVISION USING LNK-PARM.
003400 0000-MAIN.
003500     OPEN INPUT EMP-FILE
003600          OUTPUT PAY-FILE
003700     PERFORM 1000-READ-EMP
003800     PERFORM 2000-CALC-PAY UNTIL END-OF-EMP
003900     CLOSE EMP-FILE PAY-FILE
004000     GOBACK.
004100 1000-READ-EMP.
004200     READ EMP-FILE
004300         AT END SET END-OF-EMP TO TRUE
004400     END-READ.
004500 2000-CALC-PAY.
004600     IF WS-EMP-STATUS NOT= '00'
004700         DISPLAY 'EMP-FILE STATUS ' WS-EMP-STATUS
004800     END-IF
004900     CALL 'DATEUTIL' USING WS-DATE-AREA
005000     CALL WS-RATE-PGM USING EMP-REC LNK-PARM                     @CHG0042.
005100     WRITE PAY-REC
005200     PERFORM 1000-READ-EMP.
"""

CUSTUPD = """
000100 IDENTIFICATION DIVISION.
000200 PROGRAM-ID. CUSTUPD.
000300 DATA DIVISION.
000400 WORKING-STORAGE SECTION.
000500     COPY CUSTREC.
000600 01  WS-COUNT                PIC 9(5) COMP-3 VALUE ZERO.
000700 PROCEDURE DIVISION.
000800 MAIN-LOGIC.
000900     ADD 1 TO WS-COUNT
001000     PERFORM UPDATE-CUST
001100     STOP RUN.
001200 UPDATE-CUST.
001300     DISPLAY 'UPDATING ' WS-COUNT.
"""

ACCTINQ = """
000100 IDENTIFICATION DIVISION.
000200 PROGRAM-ID. ACCTINQ.
000300*    ONLINE ACCOUNT INQUIRY - TRANSACTION AINQ
000400 ENVIRONMENT DIVISION.
000500 DATA DIVISION.
000600 WORKING-STORAGE SECTION.
000700 01  WS-RESP                 PIC S9(8) COMP.
000800 01  WS-ACCT-KEY             PIC X(10).
000900 01  WS-COMMAREA             PIC X(100).
001000 01  WS-NEXT-PGM             PIC X(8) VALUE 'ACCTMENU'.
001100     COPY ACCTREC.
001200 01  ACCTMAPI                PIC X(200).
001300 01  ACCTMAPO REDEFINES ACCTMAPI PIC X(200).
001400 LINKAGE SECTION.
001500 01  DFHCOMMAREA             PIC X(100).
001600 PROCEDURE DIVISION.
001700 0000-MAIN.
001800     EXEC CICS RECEIVE MAP('ACCTMAP') MAPSET('ACCTSET')
001900               INTO(ACCTMAPI) RESP(WS-RESP)
002000     END-EXEC
002100     PERFORM 1000-READ-ACCT
002200     EXEC CICS SEND MAP('ACCTMAP') MAPSET('ACCTSET')
002300               FROM(ACCTMAPO) ERASE
002400     END-EXEC
002500     EXEC CICS RETURN TRANSID('AINQ')
002600               COMMAREA(WS-COMMAREA)
002700     END-EXEC.
002800 1000-READ-ACCT.
002900     EXEC CICS READ DATASET('ACCTMST') INTO(ACCT-REC)
003000               RIDFLD(WS-ACCT-KEY) RESP(WS-RESP)
003100     END-EXEC
003200     IF WS-RESP NOT = 0
003300         PERFORM 2000-ERROR
003400     END-IF.
003500 2000-ERROR.
003600     EXEC CICS LINK PROGRAM('ERRLOG') COMMAREA(WS-COMMAREA)
003700     END-EXEC
003800     EXEC CICS XCTL PROGRAM(WS-NEXT-PGM)
003900     END-EXEC.
"""

ACCTDB2 = """
000100 IDENTIFICATION DIVISION.
000200 PROGRAM-ID. ACCTDB2.
000300 DATA DIVISION.
000400 WORKING-STORAGE SECTION.
000500     EXEC SQL INCLUDE SQLCA END-EXEC.
000600 01  WS-ACCT-ID              PIC X(10).
000700 01  WS-BAL                  PIC S9(9)V99 COMP-3.
000800 01  WS-STATUS               PIC X.
000900     EXEC SQL DECLARE ACCT-CSR CURSOR FOR
001000          SELECT A.ACCT_ID, A.BAL
001100            FROM ACCOUNT A, CUSTOMER C
001200           WHERE A.CUST_ID = C.CUST_ID
001300             AND A.STATUS = :WS-STATUS
001400          FOR UPDATE OF BAL
001500     END-EXEC.
001600 PROCEDURE DIVISION.
001700 0000-MAIN.
001800     MOVE 'A' TO WS-STATUS
001900     EXEC SQL OPEN ACCT-CSR END-EXEC
002000     PERFORM 1000-FETCH
002100     EXEC SQL CLOSE ACCT-CSR END-EXEC
002200     GOBACK.
002300 1000-FETCH.
002400     EXEC SQL FETCH ACCT-CSR INTO :WS-ACCT-ID, :WS-BAL
002500     END-EXEC
002600     IF SQLCODE = 0
002700         PERFORM 2000-UPDATE
002800     END-IF.
002900 2000-UPDATE.
003000     EXEC SQL UPDATE ACCOUNT SET BAL = :WS-BAL
003100          WHERE CURRENT OF ACCT-CSR
003200     END-EXEC
003300     EXEC SQL INSERT INTO ACCT_HIST (ACCT_ID, BAL)
003400          VALUES (:WS-ACCT-ID, :WS-BAL)
003500     END-EXEC
003600     EXEC SQL DELETE FROM PENDING_TXN
003700          WHERE ACCT_ID = :WS-ACCT-ID
003800     END-EXEC.
"""

EBCDPGM = """
000100 IDENTIFICATION DIVISION.
000200 PROGRAM-ID. EBCDPGM.
000300* DOWNLOADED FROM THE HOST IN BINARY - COST IN ¢
000400 DATA DIVISION.
000500 WORKING-STORAGE SECTION.
000600 01  WS-EBC-REC.
000700     05  WS-EBC-KEY          PIC X(8) VALUE 'KEY-0001'.
000800     05  WS-EBC-AMT          PIC S9(7)V99 COMP-3.
000900     05  WS-EBC-FLAG         PIC X.
001000         88  WS-EBC-ACTIVE   VALUE 'A'.
001100 PROCEDURE DIVISION.
001200 MAIN-PARA.
001300     IF WS-EBC-ACTIVE
001400         DISPLAY 'ACTIVE ' WS-EBC-KEY
001500     END-IF
001600     GOBACK.
"""

LATNPGM = """
000100 IDENTIFICATION DIVISION.
000200 PROGRAM-ID. LATNPGM.
000300* GEÄNDERT: KUNDENNUMMER ERWEITERT (RENé, 1998)
000400 DATA DIVISION.
000500 WORKING-STORAGE SECTION.
000600 01  WS-GREETING             PIC X(12) VALUE 'CAFé MÜNCHEN'.
000700 01  WS-KUNDE-NR             PIC 9(8).
000800 PROCEDURE DIVISION.
000900 HAUPT-PARA.
001000     DISPLAY WS-GREETING
001100     MOVE 12345678 TO WS-KUNDE-NR
001200     GOBACK.
"""

BROKEN = """
000100 IDENTIFICATION DIVISION.
000200 PROGRAM-ID. BROKEN.
000300 DATA DIVISION.
000400 WORKING-STORAGE SECTION.
000500 01  WS-A                    PIC 9(3).
000600 01  WS-B                    PIC X(10).
000700 PROCEDURE DIVISION.
000800 MAIN-PARA.
000900     PERFORM FIRST-PARA
001000     PERFORM AFTER-GARBAGE
001100     PERFORM LAST-PARA
001200     STOP RUN.
001300 FIRST-PARA.
001400     MOVE 1 TO WS-A.
001500     @@@ ))) FROBNICATE %%% THE WIDGET (((
001600     ++ <<<< ASSEMBLE WS-B INTO ??? ;;; !!!
001700 AFTER-GARBAGE.
001800     MOVE 2 TO WS-A
001900     CALL 'AFTERPGM'.
002000 LAST-PARA.
002100     DISPLAY WS-B.
"""

ACCTREC = """
000100* ACCOUNT MASTER RECORD
000200 01  ACCT-REC.
000300     05  ACCT-ID             PIC X(10).
000400     05  ACCT-BAL            PIC S9(9)V99 COMP-3.
"""

DATEWS = """
000100* COMMON DATE WORK AREA
000200 01  WS-DATE-AREA.
000300     05  WS-CCYY             PIC 9(4).
000400     05  WS-MM               PIC 99.
000500     05  WS-DD               PIC 99.
"""

LNKPARM = """
000100* PARM FROM JCL
000200 01  LNK-PARM.
000300     05  LNK-LEN             PIC S9(4) COMP.
000400     05  LNK-DATA            PIC X(8).
"""

PAYJOB = """\
//PAYJOB   JOB (ACCT),'NIGHTLY PAY',CLASS=A,MSGCLASS=X
//*  NIGHTLY PAYROLL RUN
//STEP010  EXEC PGM=PAYCALC,PARM='20240131'
//EMPIN    DD DSN=PROD.PAY.EMPLOYEE,DISP=SHR
//PAYOUT   DD DSN=PROD.PAY.RESULTS,
//            DISP=(NEW,CATLG,DELETE),SPACE=(CYL,(5,5))
//SYSOUT   DD SYSOUT=*
//STEP020  EXEC PGM=ACCTDB2
//STEPLIB  DD DSN=PROD.LOADLIB,DISP=SHR
"""

LOAD_MODULE = b"\x00\x00\x00\x20PAYCALC \x00\x01\x02\x03\x47\xf0\xf0\x0c\x00" * 64


def write_cards(path: Path, text: str, tag: str, *, encoding: str = "ascii",
                newline: bytes = b"\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = cards(text, tag)
    path.write_bytes(newline.join(line.encode(encoding) for line in lines) + newline)


def build_estate(root: Path) -> Path:
    write_cards(root / "src/cobol/PAYCALC.cbl", PAYCALC, "PAYCALC")
    write_cards(root / "src/cobol/CUSTUPD.cbl", CUSTUPD, "CUSTUPD", newline=b"\r\n")
    write_cards(root / "src/cics/ACCTINQ.cbl", ACCTINQ, "ACCTINQ")
    write_cards(root / "src/db2/ACCTDB2.cbl", ACCTDB2, "ACCTDB2")
    write_cards(root / "src/cobol/EBCDPGM.cbl", EBCDPGM, "EBCDPGM", encoding="cp037",
                newline=b"\x15")
    write_cards(root / "src/cobol/LATNPGM.cbl", LATNPGM, "LATNPGM", encoding="latin-1")
    write_cards(root / "src/cobol/BROKEN.cbl", BROKEN, "BROKEN")
    write_cards(root / "src/copy/ACCTREC.cpy", ACCTREC, "ACCTREC")
    write_cards(root / "common/cpylib/DATEWS.CPY", DATEWS, "DATEWS")
    write_cards(root / "common/cpylib/LNKPARM", LNKPARM, "LNKPARM")
    (root / "jcl").mkdir(parents=True)
    (root / "jcl/PAYJOB.jcl").write_text(PAYJOB, encoding="ascii")
    (root / "loadlib").mkdir(parents=True)
    (root / "loadlib/PAYCALC").write_bytes(LOAD_MODULE)
    return root
