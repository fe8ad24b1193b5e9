"""Tests of the repo scan: walking, classification, encodings, line counts, bad files."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from modernize.analysis import scan
from modernize.analysis.scan import classify, count_lines, decode_bytes, read_source, scan_repo
from modernize.core.executor import Executor
from modernize.core.model import FileKind, Inventory, LineCounts, Severity, SourceFile

LEGACY_SAMPLES = Path(__file__).resolve().parents[1] / "legacy_samples"

# --- fixtures that look like a real estate ---------------------------------------------------

# Fixed format with sequence numbers, saved with CRLF line ends.
PAYROLL_LINES = [
    "000100 IDENTIFICATION DIVISION.                                         PAYROLL",  # code
    "000200 PROGRAM-ID. PAYROLL.",  # code
    "000300*----------------------------------------------------------------",  # comment
    "000400* COMPUTES GROSS PAY FOR HOURLY STAFF",  # comment
    "000500 ENVIRONMENT DIVISION.",  # code
    "000600",  # blank: only a sequence number
    "000700 DATA DIVISION.",  # code
    "000800 WORKING-STORAGE SECTION.",  # code
    "000900 01  WS-HOURS        PIC 9(3)    VALUE 40.",  # code
    "001000 01  WS-RATE         PIC 9(3)V99 VALUE 12.50.",  # code
    "001100 01  WS-PAY          PIC 9(5)V99.",  # code
    "001200/",  # comment: page eject
    "001300 PROCEDURE DIVISION.",  # code
    "001400     *> FLOATING COMMENT",  # comment
    "001500     COPY PAYCALC.",  # code
    "001600     COMPUTE WS-PAY = WS-HOURS * WS-RATE",  # code
    "001700D    DISPLAY 'DEBUG: ' WS-PAY",  # code (debugging line)
    "001800     DISPLAY 'PAY: ' WS-PAY",  # code
    "001900     GOBACK.",  # code
    "",  # blank
    "      ",  # blank
]
PAYROLL_COUNTS = LineCounts(code=14, comment=4, blank=3)

ACCTREC = """\
      * ACCOUNT MASTER RECORD - LAYOUT V2
       01  ACCT-REC.
           05  ACCT-ID          PIC X(10).
           05  ACCT-NAME        PIC X(30).
           05  ACCT-BAL         PIC S9(9)V99 COMP-3.
           05  ACCT-STATUS      PIC X.
               88  ACCT-OPEN    VALUE 'O'.
               88  ACCT-CLOSED  VALUE 'C'.
"""

DCLGEN = """\
      * DCLGEN TABLE(PROD.EMPLOYEE)
           EXEC SQL DECLARE EMPLOYEE TABLE
           ( EMP_ID                         CHAR(6) NOT NULL,
             EMP_NAME                       CHAR(30) NOT NULL,
             SALARY                         DECIMAL(9, 2)
           ) END-EXEC.
       01  DCLEMPLOYEE.
           10 EMP-ID               PIC X(6).
           10 EMP-NAME             PIC X(30).
           10 SALARY               PIC S9(7)V9(2) USAGE COMP-3.
"""

PAYCALC = """\
       CALC-PAY.
           IF WS-HOURS > 40
              COMPUTE WS-PAY = WS-RATE * 40
           ELSE
              COMPUTE WS-PAY = WS-RATE * WS-HOURS
           END-IF.
"""

EBCDIC_LINES = [
    "       IDENTIFICATION DIVISION.",
    "       PROGRAM-ID. EBCPGM.",
    "      * HOST EXTRACT, CODE PAGE 037",
    "       PROCEDURE DIVISION.",
    "           DISPLAY 'HELLO FROM THE HOST'.",
    "           GOBACK.",
]

LATIN1_PROGRAM = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. KUNDEN.
      * ÄNDERUNG 2003: GEBÜHR FÜR CAFÉ-KUNDEN
       PROCEDURE DIVISION.
           DISPLAY 'CAFÉ MÜLLER'.
           GOBACK.
"""

JCL = """\
//PAYJOB   JOB (ACCT),'PAYROLL RUN',CLASS=A,MSGCLASS=X
//*  NIGHTLY PAYROLL
//STEP1    EXEC PGM=PAYROLL
//STEPLIB  DD DSN=PROD.LOADLIB,DISP=SHR
//SYSIN    DD *
 RUNDATE=20240131
/*
//SYSOUT   DD SYSOUT=*

"""

BMS = """\
PAYMAP   DFHMSD TYPE=&SYSPARM,MODE=INOUT,LANG=COBOL,                      X
               CTRL=FREEKB,TIOAPFX=YES
* PAYROLL INQUIRY MAP
PAYM01   DFHMDI SIZE=(24,80),LINE=1,COLUMN=1
EMPID    DFHMDF POS=(3,10),LENGTH=8,ATTRB=(UNPROT,IC)
         DFHMSD TYPE=FINAL
         END
"""

C_SOURCE = """\
/* payroll helper
 * computes pay
 */
#include <stdio.h>

int pay(int h, int r) { /* inline */
    // hours times rate
    return h * r; // result
}
const char *s = "not /* a comment";
"""

JAVA_SOURCE = """\
package com.acme.payroll;

/**
 * Pay calculator.
 */
public class PayCalc {
    // rate in cents
    private int rate = 1250;

    public int pay(int hours) { return hours * rate; }
}
"""

FORTRAN_FIXED = """\
C     PAYROLL TOTALS
      PROGRAM TOTALS
      INTEGER I, N
*     LOOP OVER STAFF
      DO 10 I = 1, N
   10 CONTINUE
! TRAILING REMARK

      END
"""

FORTRAN_FREE = """\
program totals
  ! sum the hours
  integer :: i
character(len=8) :: name
  call compute()  ! inline remark
end program totals
"""

FREE_COBOL = """\
>>SOURCE FORMAT FREE
IDENTIFICATION DIVISION.
PROGRAM-ID. FREEPGM.
*> a free-format comment

PROCEDURE DIVISION.
    DISPLAY "HI" *> inline remark
    GOBACK.
"""

# A load module: header bytes, NULs, EBCDIC eye-catcher.
LOAD_MODULE = b"\x02\x00\x00\x80" + "PAYROLL ".encode("cp037") + bytes(range(256)) * 4


def _write(root: Path, rel: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def _ebcdic_nel(lines: list[str]) -> bytes:
    return "".join(line + "\x85" for line in lines).encode("cp037")  # \x85 -> 0x15 NEL


def _ebcdic_records(lines: list[str]) -> bytes:
    return "".join(line.ljust(80) for line in lines).encode("cp037")


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("estate")
    _write(root, "cobol/PAYROLL.cbl", "\r\n".join(PAYROLL_LINES) + "\r\n")
    _write(root, "copy/ACCTREC", ACCTREC)
    _write(root, "copylib/PAYCALC", PAYCALC)
    _write(root, "host/EBCPGM", _ebcdic_nel(EBCDIC_LINES))
    _write(root, "host/EBCREC.cbl", _ebcdic_records(EBCDIC_LINES))
    _write(root, "cobol/KUNDEN.cob", LATIN1_PROGRAM, "latin-1")
    _write(root, "cobol/FREEPGM.cbl", FREE_COBOL)
    _write(root, "jcl/PAYJOB.jcl", JCL)
    _write(root, "proclib/PAYJOB2", JCL)
    _write(root, "cics/bms/PAYMAP.bms", BMS)
    _write(root, "c/pay.c", C_SOURCE)
    _write(root, "java/PayCalc.java", JAVA_SOURCE)
    _write(root, "fortran/totals.f", FORTRAN_FIXED)
    _write(root, "fortran/totals.f90", FORTRAN_FREE)
    _write(root, "load/PAYROLL", LOAD_MODULE)
    _write(root, "cobol/EMPTY.cbl", b"")
    _write(root, "data/EMPLOYEE.csv", "ID,NAME\n1,SMITH\n\n2,JONES\n")
    _write(root, "data/EMPMAST", "".join(f"{i:06d}SMITH     JOHN      0012500\n" for i in range(5)))
    _write(root, "README.md", "# Payroll estate\n\nSee cobol/.\n")
    # A directory named like a file: its contents are scanned, it is not a file.
    _write(root, "odd/DIR.cbl/INNER.cpy", ACCTREC)
    # Things the scan must leave out or report.
    _write(root, "out/generated.cbl", LATIN1_PROGRAM)
    _write(root, ".git/config", "[core]\n")
    (root / "links").mkdir()
    os.symlink(root / "missing.cbl", root / "links" / "BROKEN.cbl")
    outside = tmp_path_factory.mktemp("outside")
    _write(outside, "SECRET.cbl", LATIN1_PROGRAM)
    os.symlink(outside / "SECRET.cbl", root / "links" / "OUTSIDE.cbl")
    os.symlink(root / "copy", root / "links" / "copydir")
    os.symlink(root / "copy" / "ACCTREC", root / "links" / "ACCTREC.cpy")
    return root


@pytest.fixture(scope="module")
def inventory(estate: Path) -> Inventory:
    return scan_repo(estate)


def _file(inventory: Inventory, path: str) -> SourceFile:
    return next(f for f in inventory.files if f.path == path)


def _diagnostic_codes(inventory: Inventory, path: str) -> set[str]:
    return {d.code for d in inventory.diagnostics if d.file == path}


# --- the walk --------------------------------------------------------------------------------

def test_walk_is_sorted_posix_and_skips_excluded(inventory: Inventory) -> None:
    paths = [f.path for f in inventory.files]
    assert paths == sorted(paths)
    assert all("\\" not in p and not p.startswith("/") for p in paths)
    assert not any(p.startswith(("out/", ".git/")) for p in paths)
    assert "odd/DIR.cbl/INNER.cpy" in paths
    assert inventory.root.endswith("estate0")


def test_scan_is_deterministic(estate: Path, inventory: Inventory) -> None:
    assert scan_repo(estate) == inventory


def test_workers_scan_the_same_inventory_in_the_same_order(
        estate: Path, inventory: Inventory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The files are read by worker processes in batches; the inventory, its diagnostics
    included (those of the walk between those of the files), is the one a file-by-file scan
    in this process gives."""
    codes = [d.code for d in inventory.diagnostics]
    assert {"symlink-outside-root", "encoding-fallback"} <= set(codes)  # walk's and files'
    # in the walk's order: the diagnostics of a folder's entries in name order, the walk's
    # own (a symlink) among those of the files
    where = [tuple(d.file.split("/")) for d in inventory.diagnostics]
    assert where == sorted(where)
    monkeypatch.setattr(scan, "_BATCH", 3)  # several batches, finishing in any order
    with Executor(2) as executor:
        assert scan_repo(estate, executor=executor) == inventory


def test_custom_exclude(estate: Path) -> None:
    inventory = scan_repo(estate, exclude=("fortran", "*.java", "links"))
    paths = [f.path for f in inventory.files]
    assert not any(p.startswith("fortran/") or p.endswith(".java") for p in paths)
    assert "out/generated.cbl" in paths  # no longer excluded


def test_symlinks(inventory: Inventory) -> None:
    assert _diagnostic_codes(inventory, "links/BROKEN.cbl") == {"broken-symlink"}
    assert _diagnostic_codes(inventory, "links/OUTSIDE.cbl") == {"symlink-outside-root"}
    assert _diagnostic_codes(inventory, "links/copydir") == {"symlink-skipped"}
    paths = {f.path for f in inventory.files}
    assert not {"links/BROKEN.cbl", "links/OUTSIDE.cbl"} & paths
    assert not any(p.startswith("links/copydir/") for p in paths)
    # A symlink to a file inside the root is scanned under its own name.
    linked = _file(inventory, "links/ACCTREC.cpy")
    assert linked.kind == FileKind.COPYBOOK
    assert linked.sha256 == _file(inventory, "copy/ACCTREC").sha256


def test_inventory_round_trips_as_json(inventory: Inventory) -> None:
    assert Inventory.model_validate_json(inventory.model_dump_json()) == inventory


# --- kinds, encodings, line counts -----------------------------------------------------------

def test_fixed_format_program_with_crlf(estate: Path, inventory: Inventory) -> None:
    source = _file(inventory, "cobol/PAYROLL.cbl")
    raw = (estate / "cobol/PAYROLL.cbl").read_bytes()
    assert source.kind == FileKind.COBOL_PROGRAM
    assert source.encoding == "utf-8"
    assert source.line_ending == "CRLF"
    assert source.size == len(raw)
    assert source.sha256 == hashlib.sha256(raw).hexdigest()
    assert source.lines == PAYROLL_COUNTS
    assert source.lines.total == len(PAYROLL_LINES)
    text = read_source(estate, source)
    assert "\r" not in text
    assert text.split("\n")[:2] == PAYROLL_LINES[:2]
    assert _diagnostic_codes(inventory, source.path) == set()


def test_copybook_without_extension_in_copy_folder(inventory: Inventory) -> None:
    source = _file(inventory, "copy/ACCTREC")
    assert source.kind == FileKind.COPYBOOK
    assert source.lines == LineCounts(code=7, comment=1, blank=0)
    assert source.line_ending == "LF"
    assert _file(inventory, "odd/DIR.cbl/INNER.cpy").kind == FileKind.COPYBOOK


def test_procedure_copybook_only_counts_in_copy_folder(inventory: Inventory) -> None:
    assert _file(inventory, "copylib/PAYCALC").kind == FileKind.COPYBOOK
    assert classify("src/PAYCALC", PAYCALC) == FileKind.OTHER


def test_ebcdic_with_nel_line_ends(estate: Path, inventory: Inventory) -> None:
    source = _file(inventory, "host/EBCPGM")
    assert source.kind == FileKind.COBOL_PROGRAM
    assert source.encoding == "cp037"
    assert source.line_ending == "LF"
    assert source.lines == LineCounts(code=5, comment=1, blank=0)
    assert read_source(estate, source) == "\n".join(EBCDIC_LINES) + "\n"
    codes = {d.code: d for d in inventory.diagnostics if d.file == source.path}
    assert codes["encoding-fallback"].severity == Severity.INFO


def test_ebcdic_fixed_80_byte_records(estate: Path, inventory: Inventory) -> None:
    source = _file(inventory, "host/EBCREC.cbl")
    assert source.size == 80 * len(EBCDIC_LINES)
    assert source.encoding == "cp037"
    assert source.kind == FileKind.COBOL_PROGRAM
    assert source.line_ending is None
    assert source.lines == LineCounts(code=5, comment=1, blank=0)
    lines = read_source(estate, source).split("\n")
    assert lines[-1] == ""
    assert all(len(line) == 80 for line in lines[:-1])
    assert [line.rstrip() for line in lines[:-1]] == EBCDIC_LINES


def test_latin1_program(estate: Path, inventory: Inventory) -> None:
    source = _file(inventory, "cobol/KUNDEN.cob")
    assert source.kind == FileKind.COBOL_PROGRAM
    assert source.encoding == "latin-1"
    assert source.lines == LineCounts(code=5, comment=1, blank=0)
    text = read_source(estate, source)
    assert "GEBÜHR FÜR CAFÉ-KUNDEN" in text
    assert "'CAFÉ MÜLLER'" in text
    assert "encoding-fallback" in _diagnostic_codes(inventory, source.path)


def test_free_format_program(inventory: Inventory) -> None:
    source = _file(inventory, "cobol/FREEPGM.cbl")
    assert source.kind == FileKind.COBOL_PROGRAM
    assert source.lines == LineCounts(code=6, comment=1, blank=1)


def test_jcl_by_extension_and_by_content(inventory: Inventory) -> None:
    for path in ("jcl/PAYJOB.jcl", "proclib/PAYJOB2"):
        source = _file(inventory, path)
        assert source.kind == FileKind.JCL, path
        assert source.lines == LineCounts(code=7, comment=1, blank=1)


def test_bms_map(inventory: Inventory) -> None:
    source = _file(inventory, "cics/bms/PAYMAP.bms")
    assert source.kind == FileKind.BMS_MAP
    assert source.lines == LineCounts(code=6, comment=1, blank=0)
    assert classify("maps/PAYMAP", BMS) == FileKind.BMS_MAP


def test_c_and_java(inventory: Inventory) -> None:
    assert _file(inventory, "c/pay.c").kind == FileKind.C
    assert _file(inventory, "c/pay.c").lines == LineCounts(code=5, comment=4, blank=1)
    assert _file(inventory, "java/PayCalc.java").kind == FileKind.JAVA
    assert _file(inventory, "java/PayCalc.java").lines == LineCounts(code=5, comment=4, blank=2)


def test_fortran_fixed_and_free(inventory: Inventory) -> None:
    fixed = _file(inventory, "fortran/totals.f")
    assert fixed.kind == FileKind.FORTRAN
    assert fixed.lines == LineCounts(code=5, comment=3, blank=1)
    free = _file(inventory, "fortran/totals.f90")
    assert free.kind == FileKind.FORTRAN
    # 'character' in column 1 is code in free form, not a 'C' comment.
    assert free.lines == LineCounts(code=5, comment=1, blank=0)


def test_data_files(inventory: Inventory) -> None:
    csv = _file(inventory, "data/EMPLOYEE.csv")
    assert csv.kind == FileKind.DATA
    assert csv.lines == LineCounts(code=3, comment=0, blank=1)
    assert _file(inventory, "data/EMPMAST").kind == FileKind.DATA  # fixed-length records
    assert _file(inventory, "README.md").kind == FileKind.OTHER


def test_empty_file(estate: Path, inventory: Inventory) -> None:
    source = _file(inventory, "cobol/EMPTY.cbl")
    assert source.kind == FileKind.COBOL_PROGRAM
    assert source.encoding == "utf-8"
    assert source.size == 0
    assert source.lines == LineCounts()
    assert source.line_ending is None
    assert source.sha256 == hashlib.sha256(b"").hexdigest()
    assert read_source(estate, source) == ""


# --- bad files -------------------------------------------------------------------------------

def test_binary_load_module_is_skipped(estate: Path, inventory: Inventory) -> None:
    source = _file(inventory, "load/PAYROLL")
    assert source.kind == FileKind.BINARY
    assert source.encoding is None
    assert source.skipped is not None and source.skipped.startswith("binary:")
    assert source.sha256 == hashlib.sha256(LOAD_MODULE).hexdigest()
    assert source.lines == LineCounts()
    diagnostic = next(d for d in inventory.diagnostics if d.file == "load/PAYROLL")
    assert diagnostic.code == "binary-skipped"
    assert diagnostic.severity == Severity.WARNING
    with pytest.raises(ValueError, match="not read"):
        read_source(estate, source)


def test_control_bytes_without_nul_are_binary(tmp_path: Path) -> None:
    _write(tmp_path, "BLOB", bytes(range(1, 32)) * 20)
    source = scan_repo(tmp_path).files[0]
    assert source.kind == FileKind.BINARY
    assert source.skipped is not None and "control bytes" in source.skipped


def test_unreadable_file_becomes_diagnostic(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, "A.cbl", LATIN1_PROGRAM)
    _write(tmp_path, "LOCKED.cbl", LATIN1_PROGRAM)
    real_read = scan._read_bytes

    def read(path: Path) -> bytes:
        if path.name == "LOCKED.cbl":
            raise PermissionError(13, "Permission denied", str(path))
        return real_read(path)

    monkeypatch.setattr(scan, "_read_bytes", read)
    inventory = scan_repo(tmp_path)
    assert [f.path for f in inventory.files] == ["A.cbl"]
    diagnostic = next(d for d in inventory.diagnostics if d.file == "LOCKED.cbl")
    assert diagnostic.code == "unreadable"
    assert diagnostic.severity == Severity.ERROR
    assert "Permission denied" in diagnostic.message


def test_unexpected_failure_does_not_stop_the_scan(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, "A.cbl", LATIN1_PROGRAM)
    _write(tmp_path, "B.cbl", LATIN1_PROGRAM)
    real_classify = scan.classify

    def broken(path: str, text: str | None) -> FileKind:
        if path == "A.cbl":
            raise RuntimeError("boom")
        return real_classify(path, text)

    monkeypatch.setattr(scan, "classify", broken)
    inventory = scan_repo(tmp_path)
    assert [f.path for f in inventory.files] == ["B.cbl"]
    assert {d.code for d in inventory.diagnostics if d.file == "A.cbl"} == {"scan-error"}


def test_huge_file_is_skipped_but_hashed(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan, "MAX_FILE_BYTES", 100)
    content = ("       01  FILLER PIC X(80).\n" * 10).encode()
    _write(tmp_path, "BIG.cpy", content)
    inventory = scan_repo(tmp_path)
    source = inventory.files[0]
    assert source.kind == FileKind.COPYBOOK
    assert source.encoding is None
    assert source.skipped is not None and source.skipped.startswith("too large")
    assert source.sha256 == hashlib.sha256(content).hexdigest()
    assert {d.code for d in inventory.diagnostics} == {"too-large"}


def test_fifo_is_not_read(tmp_path: Path) -> None:
    _write(tmp_path, "A.cbl", LATIN1_PROGRAM)
    os.mkfifo(tmp_path / "PIPE")
    inventory = scan_repo(tmp_path)
    assert [f.path for f in inventory.files] == ["A.cbl"]
    assert {d.code for d in inventory.diagnostics if d.file == "PIPE"} == {"not-a-file"}


def test_undecodable_file_name(tmp_path: Path) -> None:
    _write(tmp_path, "A.cbl", LATIN1_PROGRAM)
    with open(os.path.join(os.fsencode(tmp_path), b"\xc4NDERUNG.cbl"), "wb") as handle:
        handle.write(LATIN1_PROGRAM.encode("latin-1"))
    inventory = scan_repo(tmp_path)
    assert [f.path for f in inventory.files] == ["A.cbl"]
    assert [d.code for d in inventory.diagnostics if d.code != "encoding-fallback"] == [
        "bad-file-name"
    ]
    Inventory.model_validate_json(inventory.model_dump_json())


def test_missing_root(tmp_path: Path) -> None:
    inventory = scan_repo(tmp_path / "nope")
    assert inventory.files == ()
    assert inventory.diagnostics[0].severity == Severity.ERROR


# --- decode_bytes ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (b"", "", "utf-8"),
        (b"\xef\xbb\xbfMOVE A TO B.\r\n", "MOVE A TO B.\n", "utf-8"),
        ("DISPLAY 'Größe'\n".encode(), "DISPLAY 'Größe'\n", "utf-8"),
        ("DISPLAY 'Größe'\n".encode("latin-1"), "DISPLAY 'Größe'\n", "latin-1"),
        (b"LINE 1\rLINE 2\r", "LINE 1\nLINE 2\n", "utf-8"),
        ("MOVE A TO B.\x85".encode("cp037"), "MOVE A TO B.\n", "cp037"),
        ("MOVE A TO B.\n".encode("cp037"), "MOVE A TO B.\n", "cp037"),  # 0x25 LF
        ("ÄNDERUNG".ljust(80).encode("cp037"), "ÄNDERUNG".ljust(80) + "\n", "cp037"),
        ("PAY".encode("utf-16"), "PAY", "utf-16"),
    ],
)
def test_decode_bytes(data: bytes, text: str, encoding: str) -> None:
    assert decode_bytes(data) == (text, encoding)


def test_line_endings(tmp_path: Path) -> None:
    _write(tmp_path, "cr.txt", b"A\rB\r")
    _write(tmp_path, "crlf.txt", b"A\r\nB\r\n")
    _write(tmp_path, "lf.txt", b"A\nB\n")
    _write(tmp_path, "mixed.txt", b"A\r\nB\nC\r")
    _write(tmp_path, "none.txt", b"A")
    endings = {f.path: f.line_ending for f in scan_repo(tmp_path).files}
    assert endings == {"cr.txt": "CR", "crlf.txt": "CRLF", "lf.txt": "LF",
                       "mixed.txt": "mixed", "none.txt": None}


# --- classify --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("path", "text", "kind"),
    [
        ("src/PAYROLL.CBL", None, FileKind.COBOL_PROGRAM),
        ("src/PAYROLL.cobol", None, FileKind.COBOL_PROGRAM),
        ("src/ACCTREC.CPY", None, FileKind.COPYBOOK),
        ("src/ACCTREC.cbk", None, FileKind.COPYBOOK),
        ("jcl/RUN.PRC", None, FileKind.JCL),
        ("proclib/PAYPROC.proc", None, FileKind.JCL),
        # DCLGEN members: copybooks by their extension, whatever their content
        ("dclgen/EMPLOYEE.dcl", None, FileKind.COPYBOOK),
        ("dclgen/EMPLOYEE.DCL", DCLGEN, FileKind.COPYBOOK),
        ("dclgen/DECLONLY.dcl", "           EXEC SQL DECLARE T TABLE\n"
                                "           ( C CHAR(1) ) END-EXEC.\n", FileKind.COPYBOOK),
        ("f/x.F77", None, FileKind.FORTRAN),
        ("c/x.h", None, FileKind.C),
        ("data/x.json", '{"a": 1}', FileKind.DATA),
        ("bin/x.class", None, FileKind.BINARY),
        ("notes", None, FileKind.OTHER),
        # The content decides when the name says little.
        ("PROD.COBOL(PAYROLL)", "\n".join(PAYROLL_LINES), FileKind.COBOL_PROGRAM),
        ("src/PAYROLL.txt", "\n".join(PAYROLL_LINES), FileKind.COBOL_PROGRAM),
        ("src/ACCTREC", ACCTREC, FileKind.COPYBOOK),
        ("src/ACCTREC.inc", ACCTREC, FileKind.COPYBOOK),
        ("dclgen/EMPLOYEE", DCLGEN, FileKind.COPYBOOK),
        ("src/defs.inc", "#define MAX 10\nint x;\n", FileKind.OTHER),
        ("notes.txt", "Payroll notes.\nRun monthly.\n", FileKind.DATA),
        ("notes", "// not JCL, a C++ style note\nint x;\n", FileKind.OTHER),
        # A .cbl holding only data descriptions is a copybook stored as .cbl.
        ("src/ACCTREC.cbl", ACCTREC, FileKind.COPYBOOK),
    ],
)
def test_classify(path: str, text: str | None, kind: FileKind) -> None:
    assert classify(path, text) == kind


def test_count_lines_data_counts_every_non_blank_line() -> None:
    assert count_lines(FileKind.DATA, "* a\n\nb\n") == LineCounts(code=2, blank=1)


# --- the sample estate -----------------------------------------------------------------------

def test_legacy_samples() -> None:
    if not LEGACY_SAMPLES.is_dir():
        pytest.skip("legacy_samples/ is not there yet")
    inventory = scan_repo(LEGACY_SAMPLES)
    for source in inventory.files:
        suffix = Path(source.path).suffix.lower()
        if suffix == ".cbl":
            assert source.kind == FileKind.COBOL_PROGRAM, source.path
        elif suffix == ".cpy":
            assert source.kind == FileKind.COPYBOOK, source.path
        if source.kind in (FileKind.COBOL_PROGRAM, FileKind.COPYBOOK):
            assert source.encoding is not None
            assert source.lines.total > 0 or source.size == 0, source.path
            assert read_source(LEGACY_SAMPLES, source) is not None
    assert not [d for d in inventory.diagnostics if d.severity == Severity.ERROR]


def test_known_files_with_the_same_bytes_are_not_read_again(tmp_path, monkeypatch):
    (tmp_path / "PAYROLL.cbl").write_text("       IDENTIFICATION DIVISION.\n"
                                          "       PROGRAM-ID. PAYROLL.\n")
    (tmp_path / "NOTES.txt").write_bytes("Caf\xe9 notes\n".encode("latin-1"))
    first = scan.scan_repo(tmp_path)
    known = {f.path: f for f in first.files}

    def refuse(*args, **kwargs):
        raise AssertionError("classified again")

    monkeypatch.setattr(scan, "classify", refuse)
    again = scan.scan_repo(tmp_path, known=known)
    assert again == first  # diagnostics (the Latin-1 fallback) included
    (tmp_path / "NOTES.txt").write_text("changed\n")  # a changed file is read again
    assert [d.code for d in scan.scan_repo(tmp_path, known=known).diagnostics] == ["scan-error"]


def test_cobol_lines_are_counted_by_the_roles_the_reading_gives_them() -> None:
    """Counting reads only each line's role: the roles of the full reading (program text
    kept), on random fixed-format lines of blanks, tabs, indicators, floating comments and
    sequence numbers, and on a free-format text."""
    import random

    pieces = ["      ", "000100", " ", "*", "/", "-", "D", "\t", "*>", "MOVE A TO B.", "X",
              "       ", "'*>'", "9" * 8]
    rnd = random.Random(8)
    for _ in range(3000):
        text = "\n".join("".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 6)))
                         for _ in range(rnd.randint(0, 6)))
        assert scan._cobol_roles(text) == [role for role, _ in scan._cobol_lines(text)], text
    free = ">>SOURCE FORMAT FREE\nIDENTIFICATION DIVISION.\n*> note\n\nMOVE A TO B. *> why\n"
    assert scan._is_free_format(free.split("\n"))
    assert scan._cobol_roles(free) == [role for role, _ in scan._cobol_lines(free)]


def _free_format_line_by_line(lines: list[str]) -> bool:
    """The format rule as first written: each of the first 50 lines asked for a directive,
    then the indicator column of the first 500 (tabs expanded)."""
    for line in lines[:50]:
        if scan._FREE_DIRECTIVE.search(line):
            return True
        if scan._FIXED_DIRECTIVE.search(line):
            return False
    significant = misplaced = 0
    for line in lines[:500]:
        line = line.expandtabs(8)
        if not line[:72].strip():
            continue
        significant += 1
        if (line[6] if len(line) > 6 else " ") not in " *-/dD$":
            misplaced += 1
    return significant > 0 and misplaced / significant > 0.3


def test_the_format_is_decided_as_line_by_line() -> None:
    """The format sniff searches the head of a file once for a directive before asking line
    by line: on random lines of directive pieces (a directive split over two lines is none),
    blanks, tabs, indicators and long lines, it decides as the line-by-line rule does."""
    import random

    pieces = [">>", "SOURCE", " ", "FORMAT", "IS", "FREE", "FIXED", "$SET SOURCEFORMAT",
              "sourceformat", "\u017fOURCEFORMAT", "SOURCE\nFORMAT", "fixed",
              "\"", "(", "\t", "000100", "      ", "*", "-", "D", "$", "X", "MOVE A TO B.",
              "\u2003", "\x0c", "A" * 70]
    rnd = random.Random(50)
    for _ in range(4000):
        lines = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 7)))
                 for _ in range(rnd.randint(0, 60))]
        assert scan._is_free_format(lines) == _free_format_line_by_line(lines), lines


def _programs_line_by_line(text: str) -> list[str]:
    """A source file's programs as first split: every line asked whether it opens an
    IDENTIFICATION DIVISION."""
    from modernize.analysis.cobol.frontend import _ID_DIVISION, detect_free_format

    lines = text.split("\n")
    free = detect_free_format(text)
    starts = [n for n, line in enumerate(lines)
              if _ID_DIVISION.match(line if free else line[7:72] if len(line) > 7 and
                                    line[6] in " D" else "")]
    if len(starts) <= 1:
        return [text]
    bounds = [0, *starts[1:], len(lines)]
    return ["\n".join(line if lo <= n < hi else "" for n, line in enumerate(lines))
            for lo, hi in zip(bounds, bounds[1:], strict=False)]


def test_a_file_splits_into_its_programs_as_line_by_line() -> None:
    """Only the lines holding the word DIVISION are asked whether they open a program: on
    random files of headers (in either case, with the long s that matches an s, on debugging
    and comment lines, past column 72, split over lines), free and fixed, the programs are
    those the line-by-line rule finds."""
    import random

    from modernize.analysis.cobol.frontend import split_programs

    pieces = ["       IDENTIFICATION DIVISION.", "       ID DIVISION.", "      DID DIVISION.",
              "      *ID DIVISION.", "       identification division .", "       ID DIVI\u017fION.",
              "       ID\n       DIVISION.", "A" * 66 + "ID DIVISION.", "ID DIVISION.",
              "       PROGRAM-ID. P.", "       PROCEDURE DIVISION.", "       >>SOURCE FREE",
              "           DISPLAY 'ID DIVISION.'.", "", "       END PROGRAM P."]
    rnd = random.Random(51)
    for _ in range(3000):
        text = "\n".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12)))
        assert split_programs(text) == _programs_line_by_line(text), text
