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

from modernize.analysis.analyze import analyze_repo
from modernize.analysis.graphs import (
    analyze_estate,
    call_graph,
    control_flow_graph,
    crud_matrix,
    include_graph,
)
from modernize.analysis.store import load_analysis, write_analysis
from modernize.core.model import Estate, FileKind, Program, Severity

# --------------------------------------------------------------------------- the fixture


def cards(text: str, tag: str) -> list[str]:
    """Fixed-format cards: each line padded to column 72, ``tag`` in columns 73-80.

    A line ending in ``~~XXXXXXXX`` gets that change tag instead (as after a maintenance fix);
    a line of only a sequence number stays as it is, as exports leave them.
    """
    out = []
    for raw in text.strip("\n").split("\n"):
        body, _, own_tag = raw.partition("~~")
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
002700 01  WS-RATE-PGM             PIC X(8) VALUE 'RATECALC'.          ~~CHG0042.
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
004700         DISPLAY 'EMPLOYEE FILE READ FAILED, STATUS' WS-EMP-STATUS
004800     END-IF
004900     CALL 'DATEUTIL' USING WS-DATE-AREA
005000     CALL WS-RATE-PGM USING EMP-REC LNK-PARM                     ~~CHG0042.
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


# --------------------------------------------------------------------------- the analysis

PROGRAM_PATHS = {
    "ACCTDB2": "src/db2/ACCTDB2.cbl",
    "ACCTINQ": "src/cics/ACCTINQ.cbl",
    "BROKEN": "src/cobol/BROKEN.cbl",
    "CUSTUPD": "src/cobol/CUSTUPD.cbl",
    "EBCDPGM": "src/cobol/EBCDPGM.cbl",
    "LATNPGM": "src/cobol/LATNPGM.cbl",
    "PAYCALC": "src/cobol/PAYCALC.cbl",
}


class Run:
    """One analysis of the estate, with what the progress callback saw."""

    def __init__(self, root: Path, cache: Path) -> None:
        self.root = root
        self.progress: list[tuple[str, int, int]] = []
        self.estate = analyze_repo(root, cache_dir=cache,
                                   progress=lambda *seen: self.progress.append(seen))
        self.analysis = analyze_estate(self.estate)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    base = tmp_path_factory.mktemp("realworld")
    return Run(build_estate(base / "estate"), base / "cache")


@pytest.fixture(scope="module")
def estate(run: Run) -> Estate:
    return run.estate


def program(estate: Estate, name: str) -> Program:
    found = estate.program(name)
    assert found is not None, f"program {name} not in the estate"
    return found


# --------------------------------------------------------------------------- inventory


def test_inventory_kinds_encodings_and_line_ends(estate: Estate) -> None:
    files = {f.path: (f.kind, f.encoding, f.line_ending) for f in estate.inventory.files}
    assert files == {
        "common/cpylib/DATEWS.CPY": (FileKind.COPYBOOK, "utf-8", "LF"),
        "common/cpylib/LNKPARM": (FileKind.COPYBOOK, "utf-8", "LF"),
        "jcl/PAYJOB.jcl": (FileKind.JCL, "utf-8", "LF"),
        "loadlib/PAYCALC": (FileKind.BINARY, None, None),
        "src/cics/ACCTINQ.cbl": (FileKind.COBOL_PROGRAM, "utf-8", "LF"),
        "src/cobol/BROKEN.cbl": (FileKind.COBOL_PROGRAM, "utf-8", "LF"),
        "src/cobol/CUSTUPD.cbl": (FileKind.COBOL_PROGRAM, "utf-8", "CRLF"),
        "src/cobol/EBCDPGM.cbl": (FileKind.COBOL_PROGRAM, "cp037", "LF"),
        "src/cobol/LATNPGM.cbl": (FileKind.COBOL_PROGRAM, "latin-1", "LF"),
        "src/cobol/PAYCALC.cbl": (FileKind.COBOL_PROGRAM, "utf-8", "LF"),
        "src/copy/ACCTREC.cpy": (FileKind.COPYBOOK, "utf-8", "LF"),
        "src/db2/ACCTDB2.cbl": (FileKind.COBOL_PROGRAM, "utf-8", "LF"),
    }
    # PAYCALC: 52 cards, 4 of them comments (3 `*` and one `/` page eject)
    paycalc = next(f for f in estate.inventory.files if f.path == "src/cobol/PAYCALC.cbl")
    assert (paycalc.lines.code, paycalc.lines.comment, paycalc.lines.blank) == (48, 4, 0)


def test_binary_load_module_is_reported_and_analysis_finishes(run: Run) -> None:
    estate = run.estate
    binary = [d for d in estate.inventory.diagnostics if d.code == "binary-skipped"]
    assert [(d.file, d.severity) for d in binary] == [("loadlib/PAYCALC", Severity.WARNING)]
    assert "NUL" in binary[0].message
    # the inventory diagnostics are part of the estate's
    assert binary[0] in estate.diagnostics
    load = next(f for f in estate.inventory.files if f.path == "loadlib/PAYCALC")
    assert load.skipped and load.size == len(LOAD_MODULE)
    # every program was analysed anyway, in path order, with progress for each
    assert {p.name: p.path for p in estate.programs} == PROGRAM_PATHS
    assert run.progress == [(path, index, 7) for index, path in
                            enumerate(sorted(PROGRAM_PATHS.values()), start=1)]
    assert set(run.analysis.programs) == {f"cobol:{name}" for name in PROGRAM_PATHS}


def test_encoding_fallbacks_are_info_diagnostics(estate: Estate) -> None:
    fallbacks = {(d.file, d.severity) for d in estate.inventory.diagnostics
                 if d.code == "encoding-fallback"}
    assert fallbacks == {("src/cobol/EBCDPGM.cbl", Severity.INFO),
                         ("src/cobol/LATNPGM.cbl", Severity.INFO)}


# --------------------------------------------------------------------------- programs


def test_every_program_with_its_paragraphs(estate: Estate) -> None:
    paragraphs = {p.name: [(x.name, x.line) for x in p.paragraphs] for p in estate.programs}
    assert paragraphs == {
        "ACCTDB2": [("0000-MAIN", 17), ("1000-FETCH", 23), ("2000-UPDATE", 29)],
        "ACCTINQ": [("0000-MAIN", 17), ("1000-READ-ACCT", 28), ("2000-ERROR", 35)],
        "BROKEN": [("MAIN-PARA", 8), ("FIRST-PARA", 13), ("AFTER-GARBAGE", 17),
                   ("LAST-PARA", 20)],
        "CUSTUPD": [("MAIN-LOGIC", 8), ("UPDATE-CUST", 12)],
        "EBCDPGM": [("MAIN-PARA", 12)],
        "LATNPGM": [("HAUPT-PARA", 9)],
        "PAYCALC": [("0000-MAIN", 34), ("1000-READ-EMP", 41), ("2000-CALC-PAY", 45)],
    }
    for p in estate.programs:
        assert p.id == f"cobol:{p.name}"
        assert p.source_format == "fixed"
        assert all(x.file == p.path for x in p.paragraphs), p.name
        assert [x.id for x in p.paragraphs] == [f"cobol:{p.name}/para:{x.name}"
                                                for x in p.paragraphs]
    kinds = {p.name: p.kind for p in estate.programs}
    assert kinds["ACCTINQ"] == "online"
    # PROCEDURE DIVISION USING LNK-PARM, but a JCL step runs it with a PARM: JCL decides
    assert kinds["PAYCALC"] == "batch"
    assert kinds["CUSTUPD"] == kinds["ACCTDB2"] == "batch"


def test_only_the_broken_program_has_parse_errors(estate: Estate) -> None:
    """Change tags in 73-80 (one with a period), a 72-column card, NOT=, EXEC blocks closed
    by a period in WORKING-STORAGE and CRLF line ends must not trip the parser."""
    clean = {p.name for p in estate.programs if p.parsed_cleanly}
    assert clean == set(PROGRAM_PATHS) - {"BROKEN"}
    with_parse_errors = {p.name for p in estate.programs
                         if any(d.code == "parse-error" for d in p.diagnostics)}
    assert with_parse_errors == {"BROKEN"}


def test_program_lines_are_the_lines_of_the_file(estate: Estate) -> None:
    lines = {p.name: p.lines for p in estate.programs}
    assert lines == {"ACCTDB2": 38, "ACCTINQ": 39, "BROKEN": 21, "CUSTUPD": 13, "EBCDPGM": 16,
                     "LATNPGM": 12, "PAYCALC": 52}


def test_paragraph_end_lines_include_scope_terminators(estate: Estate) -> None:
    ends = {p.name: [(x.name, x.end_line) for x in p.paragraphs]
            for p in (program(estate, "PAYCALC"), program(estate, "ACCTINQ"))}
    assert ends == {
        "PAYCALC": [("0000-MAIN", 40), ("1000-READ-EMP", 44), ("2000-CALC-PAY", 52)],
        "ACCTINQ": [("0000-MAIN", 27), ("1000-READ-ACCT", 34), ("2000-ERROR", 39)],
    }


def test_calls_static_dynamic_and_cics(estate: Estate) -> None:
    paycalc = program(estate, "PAYCALC")
    assert [(c.target, c.kind, c.line, c.via, c.paragraph, c.using) for c in paycalc.calls] == [
        ("DATEUTIL", "static", 49, None, "2000-CALC-PAY", ("WS-DATE-AREA",)),
        ("RATECALC", "dynamic", 50, "WS-RATE-PGM", "2000-CALC-PAY", ("EMP-REC", "LNK-PARM")),
    ]
    acctinq = program(estate, "ACCTINQ")
    assert [(c.target, c.kind, c.line, c.via, c.paragraph) for c in acctinq.calls] == [
        ("ERRLOG", "cics-link", 36, None, "2000-ERROR"),
        ("ACCTMENU", "cics-xctl", 38, "WS-NEXT-PGM", "2000-ERROR"),
    ]
    assert all(c.file == p.path for p in estate.programs for c in p.calls)
    for name in ("ACCTDB2", "CUSTUPD", "EBCDPGM", "LATNPGM"):
        assert program(estate, name).calls == (), name

    edges = {(u, v, d["kind"], d["line"]) for u, v, d in call_graph(estate).edges(data=True)
             if u != "cobol:BROKEN"}
    assert edges == {
        ("cobol:PAYCALC", "external:DATEUTIL", "static", 49),
        ("cobol:PAYCALC", "external:RATECALC", "dynamic", 50),
        ("cobol:ACCTINQ", "external:ERRLOG", "cics-link", 36),
        ("cobol:ACCTINQ", "external:ACCTMENU", "cics-xctl", 38),
    }


def test_cics_commands(estate: Estate) -> None:
    acctinq = program(estate, "ACCTINQ")
    assert [(c.command, c.target, c.line, c.paragraph) for c in acctinq.cics] == [
        ("RECEIVE MAP", "ACCTMAP", 18, "0000-MAIN"),
        ("SEND MAP", "ACCTMAP", 22, "0000-MAIN"),
        ("RETURN", "AINQ", 25, "0000-MAIN"),
        ("READ", "ACCTMST", 29, "1000-READ-ACCT"),
        ("LINK", "ERRLOG", 36, "2000-ERROR"),
        ("XCTL", "WS-NEXT-PGM", 38, "2000-ERROR"),  # the operand as written; the Call resolves it
    ]
    by_line = {c.line: c for c in acctinq.cics}
    assert by_line[18].options["MAPSET"].strip("'") == "ACCTSET"
    assert by_line[18].options["INTO"] == "ACCTMAPI"
    assert by_line[22].options["FROM"] == "ACCTMAPO"
    assert by_line[29].options["RIDFLD"] == "WS-ACCT-KEY"
    assert by_line[25].options["COMMAREA"] == "WS-COMMAREA"
    assert all(c.file == "src/cics/ACCTINQ.cbl" for c in acctinq.cics)
    assert all(p.cics == () for p in estate.programs if p.name != "ACCTINQ")


def test_sql_statements_and_their_crud(estate: Estate) -> None:
    acctdb2 = program(estate, "ACCTDB2")
    assert [(s.verb, s.tables, s.crud, s.cursor, s.line, s.paragraph) for s in acctdb2.sql] == [
        ("INCLUDE", (), (), None, 5, None),
        ("DECLARE CURSOR", ("ACCOUNT", "CUSTOMER"), ("R", "R"), "ACCT-CSR", 9, None),
        ("OPEN", (), (), "ACCT-CSR", 19, "0000-MAIN"),
        ("CLOSE", (), (), "ACCT-CSR", 21, "0000-MAIN"),
        ("FETCH", (), (), "ACCT-CSR", 24, "1000-FETCH"),
        ("UPDATE", ("ACCOUNT",), ("U",), "ACCT-CSR", 30, "2000-UPDATE"),
        ("INSERT", ("ACCT_HIST",), ("C",), None, 33, "2000-UPDATE"),
        ("DELETE", ("PENDING_TXN",), ("D",), None, 36, "2000-UPDATE"),
    ]
    fetch = next(s for s in acctdb2.sql if s.verb == "FETCH")
    assert fetch.host_variables == ("WS-ACCT-ID", "WS-BAL")
    assert all(p.sql == () for p in estate.programs if p.name != "ACCTDB2")


def test_crud_matrix(run: Run) -> None:
    cells = {(c.program, c.resource, c.kind, c.ops) for c in crud_matrix(run.estate)}
    assert cells == {
        ("ACCTDB2", "sql-table:ACCOUNT", "table", "RU"),
        ("ACCTDB2", "sql-table:ACCT_HIST", "table", "C"),
        ("ACCTDB2", "sql-table:CUSTOMER", "table", "R"),
        ("ACCTDB2", "sql-table:PENDING_TXN", "table", "D"),
        ("ACCTINQ", "cics-file:ACCTMST", "cics-file", "R"),
        ("PAYCALC", "dataset:EMPIN", "file", "R"),
        ("PAYCALC", "dataset:PAYOUT", "file", "C"),
    }
    assert run.analysis.crud == tuple(crud_matrix(run.estate))


def test_files_and_file_operations(estate: Estate) -> None:
    paycalc = program(estate, "PAYCALC")
    assert [(f.name, f.assign, f.file_status, f.records, f.line) for f in paycalc.files] == [
        ("EMP-FILE", "EMPIN", "WS-EMP-STATUS", ("EMP-REC",), 11),
        ("PAY-FILE", "PAYOUT", None, ("PAY-REC",), 13),
    ]
    ops = [(o.verb, o.file_name, o.mode, o.line, o.paragraph) for o in paycalc.file_ops]
    assert ops == [
        ("OPEN", "EMP-FILE", "INPUT", 35, "0000-MAIN"),
        ("OPEN", "PAY-FILE", "OUTPUT", 35, "0000-MAIN"),
        ("CLOSE", "EMP-FILE", None, 39, "0000-MAIN"),
        ("CLOSE", "PAY-FILE", None, 39, "0000-MAIN"),
        ("READ", "EMP-FILE", None, 42, "1000-READ-EMP"),
        ("WRITE", "PAY-FILE", None, 51, "2000-CALC-PAY"),
    ]
    assert all(p.files == () for p in estate.programs if p.name != "PAYCALC")


# --------------------------------------------------------------------------- copybooks


def test_missing_copybook_is_one_estate_diagnostic_naming_both_programs(run: Run) -> None:
    estate = run.estate
    missing = [d for d in estate.diagnostics if d.code == "copybook-missing"]
    assert len(missing) == 1
    assert missing[0].severity is Severity.ERROR
    for word in ("CUSTREC", "CUSTUPD", "PAYCALC"):
        assert word in missing[0].message
    assert estate.copybooks["CUSTREC"] is None
    assert run.analysis.missing_copybooks == {"CUSTREC": ("CUSTUPD", "PAYCALC")}
    graph = include_graph(estate)
    assert graph.nodes["copybook:CUSTREC"]["kind"] == "missing-copybook"
    assert set(graph.predecessors("copybook:CUSTREC")) == {"cobol:CUSTUPD", "cobol:PAYCALC"}


def test_missing_copybook_in_each_programs_own_diagnostics(estate: Estate) -> None:
    for name, line in (("PAYCALC", 29), ("CUSTUPD", 5)):
        p = program(estate, name)
        diags = [(d.code, d.severity, d.file, d.line, d.program) for d in p.diagnostics]
        assert diags == [("copybook-missing", Severity.ERROR, PROGRAM_PATHS[name], line,
                          f"cobol:{name}")], name
        assert "CUSTREC" in p.diagnostics[0].message
        use = next(u for u in p.copybook_uses if u.name == "CUSTREC")
        assert (use.path, use.file, use.line) == (None, PROGRAM_PATHS[name], line)
    # programs that miss nothing say nothing about copybooks
    for p in estate.programs:
        if p.name not in ("PAYCALC", "CUSTUPD"):
            assert not any(d.code == "copybook-missing" for d in p.diagnostics), p.name


def test_copybooks_from_several_folders(estate: Estate) -> None:
    assert estate.copybooks == {
        "ACCTREC": "src/copy/ACCTREC.cpy",
        "CUSTREC": None,
        "DATEWS": "common/cpylib/DATEWS.CPY",
        "LNKPARM": "common/cpylib/LNKPARM",
    }
    paycalc = program(estate, "PAYCALC")
    assert [(u.name, u.path, u.line, u.depth) for u in paycalc.copybook_uses] == [
        ("ACCTREC", "src/copy/ACCTREC.cpy", 28, 1),
        ("CUSTREC", None, 29, 1),
        ("DATEWS", "common/cpylib/DATEWS.CPY", 30, 1),
        ("LNKPARM", "common/cpylib/LNKPARM", 32, 1),
    ]
    assert paycalc.copybooks == ("ACCTREC", "CUSTREC", "DATEWS", "LNKPARM")
    assert program(estate, "ACCTINQ").copybooks == ("ACCTREC",)
    # the items a copybook brings carry the copybook's file and line
    items = {d.name: (d.file, d.line, d.storage) for d in paycalc.data_items}
    assert items["ACCT-REC"] == ("src/copy/ACCTREC.cpy", 2, "working-storage")
    assert items["ACCT-BAL"] == ("src/copy/ACCTREC.cpy", 4, "working-storage")
    assert items["WS-DATE-AREA"] == ("common/cpylib/DATEWS.CPY", 2, "working-storage")
    assert items["WS-DD"] == ("common/cpylib/DATEWS.CPY", 5, "working-storage")


def test_copy_inside_linkage_section(estate: Estate) -> None:
    paycalc = program(estate, "PAYCALC")
    linkage = [(d.name, d.level, d.file, d.line, d.picture) for d in paycalc.data_items
               if d.storage == "linkage"]
    assert linkage == [
        ("LNK-PARM", 1, "common/cpylib/LNKPARM", 2, None),
        ("LNK-LEN", 5, "common/cpylib/LNKPARM", 3, "S9(4)"),
        ("LNK-DATA", 5, "common/cpylib/LNKPARM", 4, "X(8)"),
    ]
    assert paycalc.entry_using == ("LNK-PARM",)
    # the items before the LINKAGE SECTION stay where they are
    storage = {d.name: d.storage for d in paycalc.data_items}
    assert storage["EMP-REC"] == storage["PAY-REC"] == "file"
    assert storage["WS-RATE-PGM"] == storage["ACCT-REC"] == storage["WS-DATE-AREA"] == \
        "working-storage"


# --------------------------------------------------------------------------- encodings, layout


def test_ebcdic_program(estate: Estate) -> None:
    p = program(estate, "EBCDPGM")
    items = [(d.name, d.level, d.line, d.picture, d.value) for d in p.data_items]
    assert items == [
        ("WS-EBC-REC", 1, 6, None, None),
        ("WS-EBC-KEY", 5, 7, "X(8)", "'KEY-0001'"),
        ("WS-EBC-AMT", 5, 8, "S9(7)V99", None),
        ("WS-EBC-FLAG", 5, 9, "X", None),
        ("WS-EBC-ACTIVE", 88, 10, None, None),
    ]
    flag = p.data_item("WS-EBC-ACTIVE")
    assert flag is not None and [v.value for v in flag.condition_values] == ["'A'"]
    amt = p.data_item("WS-EBC-AMT")
    assert amt is not None and (amt.usage, amt.length, amt.offset) == ("COMP-3", 5, 8)
    assert [(c.kind, c.text, c.expanded, c.line) for c in p.conditions] == [
        ("IF", "WS-EBC-ACTIVE", "WS-EBC-FLAG = 'A'", 13)]


def test_latin1_program(estate: Estate) -> None:
    p = program(estate, "LATNPGM")
    items = [(d.name, d.line, d.picture, d.value, d.length) for d in p.data_items]
    assert items == [
        ("WS-GREETING", 6, "X(12)", "'CAFé MÜNCHEN'", 12),
        ("WS-KUNDE-NR", 7, "9(8)", None, 8),
    ]
    assert p.diagnostics == ()


def test_crlf_program(estate: Estate) -> None:
    p = program(estate, "CUSTUPD")
    assert [(d.name, d.line, d.usage, d.value) for d in p.data_items] == [
        ("WS-COUNT", 6, "COMP-3", "ZERO")]
    assert [(x.target, x.line, x.paragraph) for x in p.performs] == [
        ("UPDATE-CUST", 10, "MAIN-LOGIC")]
    assert "\r" not in p.model_dump_json()


def test_not_equal_without_space(estate: Estate) -> None:
    paycalc = program(estate, "PAYCALC")
    ifs = [(c.text, c.line, c.reads) for c in paycalc.conditions if c.kind == "IF"]
    assert ifs == [("WS-EMP-STATUS NOT = '00'", 46, ("WS-EMP-STATUS",))]


def test_change_tags_and_sequence_numbers_do_not_leak(estate: Estate) -> None:
    words = {"PAYCALC", "CHG0042", "CHG0042.", "ACCTREC", "LNKPARM", "DATEWS"}
    paycalc = program(estate, "PAYCALC")
    assert not words & {d.name for d in paycalc.data_items}
    rate_pgm = paycalc.data_item("WS-RATE-PGM")
    assert rate_pgm is not None and rate_pgm.value == "'RATECALC'"
    # the card with the 72-column DISPLAY ends exactly where the tag begins
    display = next(f for f in paycalc.data_flow if f.verb == "DISPLAY")
    assert (display.line, display.reads) == (47, ("WS-EMP-STATUS",))


# --------------------------------------------------------------------------- recovery


def test_garbage_in_procedure_division(estate: Estate) -> None:
    p = program(estate, "BROKEN")
    assert not p.parsed_cleanly
    errors = [d for d in p.diagnostics if d.code == "parse-error"]
    assert len(errors) == 1
    assert (errors[0].file, errors[0].line, errors[0].program) == (
        "src/cobol/BROKEN.cbl", 15, "cobol:BROKEN")
    # the paragraphs after the garbage are still there, and so is the control flow to them
    assert [x.name for x in p.paragraphs][2:] == ["AFTER-GARBAGE", "LAST-PARA"]
    assert [(x.target, x.line) for x in p.performs] == [
        ("FIRST-PARA", 9), ("AFTER-GARBAGE", 10), ("LAST-PARA", 11)]
    cfg = control_flow_graph(p)
    assert cfg.has_edge("MAIN-PARA", "AFTER-GARBAGE")
    assert cfg.has_edge("MAIN-PARA", "LAST-PARA")
    assert {d.name for d in p.data_items} == {"WS-A", "WS-B"}


def test_statements_after_garbage_are_recovered(estate: Estate) -> None:
    p = program(estate, "BROKEN")
    assert [(c.target, c.kind, c.line, c.paragraph) for c in p.calls] == [
        ("AFTERPGM", "static", 19, "AFTER-GARBAGE")]


# --------------------------------------------------------------------------- JCL, round trip


def test_jcl_job(estate: Estate) -> None:
    assert [(j.name, j.path, j.line) for j in estate.jobs] == [("PAYJOB", "jcl/PAYJOB.jcl", 1)]
    steps = estate.jobs[0].steps
    assert [(s.name, s.program, s.parm, s.line) for s in steps] == [
        ("STEP010", "PAYCALC", "20240131", 3),
        ("STEP020", "ACCTDB2", None, 8),
    ]
    assert [(d.name, d.dsn, d.disp, d.line) for d in steps[0].dds] == [
        ("EMPIN", "PROD.PAY.EMPLOYEE", "SHR", 4),
        ("PAYOUT", "PROD.PAY.RESULTS", "(NEW,CATLG,DELETE)", 5),
        ("SYSOUT", None, None, 7),
    ]
    assert [(d.name, d.dsn) for d in steps[1].dds] == [("STEPLIB", "PROD.LOADLIB")]


def test_model_json_round_trip(run: Run, tmp_path: Path) -> None:
    write_analysis(tmp_path / "a", run.estate, run.analysis)
    loaded, analysis = load_analysis(tmp_path / "a")
    assert loaded == run.estate
    assert analysis == run.analysis
    # and writing what was loaded gives the same bytes
    write_analysis(tmp_path / "b", loaded, analysis)
    assert (tmp_path / "a/model.json").read_bytes() == (tmp_path / "b/model.json").read_bytes()


def test_cached_rerun_gives_the_same_estate(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> Program:
        raise AssertionError("an unchanged program was analysed again")

    monkeypatch.setattr("modernize.analysis.analyze.analyze_source", refuse)
    again = analyze_repo(run.root, cache_dir=run.root.parent / "cache")
    assert again == run.estate  # a refused program would be an analysis-failed diagnostic


def test_duplicate_program_ids_are_reported(tmp_path: Path) -> None:
    """Exports often hold an old copy of a member in another folder."""
    write_cards(tmp_path / "src/CUSTUPD.cbl", CUSTUPD, "CUSTUPD")
    write_cards(tmp_path / "backup/CUSTUPD.cbl", CUSTUPD, "CUSTUPD")
    estate = analyze_repo(tmp_path)
    assert sorted(p.path for p in estate.programs) == ["backup/CUSTUPD.cbl", "src/CUSTUPD.cbl"]
    assert len(analyze_estate(estate).programs) == 2
    texts = [f"{d.file} {d.message}" for d in estate.diagnostics]
    assert any("backup/CUSTUPD.cbl" in t and "src/CUSTUPD.cbl" in t for t in texts), texts


# --------------------------------------------------------------------------- translation


def test_the_estate_translates_and_every_gap_is_listed(estate: Estate) -> None:
    """Shop-shaped code through the translator: nothing crashes, every module passes the
    checks, and what cannot be translated is listed with its line, never dropped."""
    from modernize.translate import translate_program
    from modernize.translate.codecheck import check_module

    found = {}
    for program in estate.programs:
        translation = translate_program(program, estate)
        assert check_module(translation.source).ok, program.name
        found[program.name] = {(u.line, u.construct) for u in translation.unsupported}
    # the garbage in the middle of BROKEN's procedure stops the run where it stands
    assert found["BROKEN"] == {(15, "UNPARSED")}
    assert found["ACCTINQ"] and all(c == "EXEC CICS" for _, c in found["ACCTINQ"])
    # fixed format with change tags, CRLF, EBCDIC and Latin-1 sources, DB2, a subprogram
    for name in ("CUSTUPD", "EBCDPGM", "LATNPGM", "PAYCALC", "ACCTDB2"):
        assert found[name] == set(), (name, found[name])
