"""The analysis gaps found on real estates (issue 10), each with a program of our own.

Each gap is a construct GnuCOBOL accepts that the workbench did not read: `.dcl` (DCLGEN)
copybooks, ALTERNATE KEY clauses, relational operators without spaces, reference modification
of a function result, ACCEPT FROM SYSIN, Z'...' literals, tabs in copybooks, cataloged
procedures in a proclib, and continued literals that lost their spaces up to column 72.

Every gap is checked through the analysis (the program parses cleanly, the fact is in the
model), and where the construct runs, through translation: the probe is built with cobc and
run, the translation run in the sandbox, and stdout, return code and files must be
byte-identical. A few lines GnuCOBOL prints are pinned as well, so that a probe cannot pass by
doing nothing. Alternate keys are checked on the runtime itself against GnuCOBOL's BDB
indexed files, statement by statement.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import require_tool

from modernize.analysis.analyze import analyze_repo
from modernize.analysis.cobol.preprocess import (
    CopybookExtensionError,
    CopybookResolver,
    Preprocessor,
    copybook_extensions,
    logical_tokens,
)
from modernize.analysis.cobol.tokens import tokenize_line
from modernize.analysis.run import analyze_into
from modernize.analysis.store import load_analysis
from modernize.core.errors import InputPathError
from modernize.core.model import Estate, FileKind
from modernize.runtime import LOW_VALUES, Group
from modernize.runtime import field as make_field
from modernize.runtime.files import AlternateKey, CobolFile, close_all
from modernize.translate import Translation, translate_estate
from modernize.translate.statements import alternate_keys_code
from modernize.validate.harness import Scenario, build, run
from modernize.validate.harness.compare import compare
from modernize.validate.harness.legacy import RunResult
from modernize.validate.harness.python import run_python

COBC = require_tool("cobc")
needs_cobc = pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")


def _fixed(*lines: str) -> str:
    """Program text from area-A-relative lines (7 spaces put in front), checked to column 72."""
    out = []
    for line in lines:
        text = line if line.startswith(("      -", "      *")) else " " * 7 + line
        assert len(text) <= 72, f"past column 72: {text!r}"
        out.append(text)
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- probe programs

OPERATORS = _fixed(
    "IDENTIFICATION DIVISION.",
    "PROGRAM-ID. GLUEDOP.",
    "DATA DIVISION.",
    "WORKING-STORAGE SECTION.",
    "01  WS-A      PIC 9(3) VALUE 5.",
    "01  WS-B      PIC 9(3) VALUE 7.",
    "01  WS-FLAG   PIC X VALUE 'N'.",
    "01  WS-N      PIC 9(3) VALUE 0.",
    "PROCEDURE DIVISION.",
    "    PERFORM UNTIL WS-FLAG='Y'",
    "        ADD 1 TO WS-N",
    "        IF WS-N>=3 MOVE 'Y' TO WS-FLAG END-IF",
    "    END-PERFORM",
    "    DISPLAY 'N=' WS-N",
    "    IF WS-A=WS-B DISPLAY 'EQ' ELSE DISPLAY 'NE' END-IF",
    "    IF WS-A<WS-B DISPLAY 'LT' END-IF",
    "    IF WS-A>WS-B DISPLAY 'GT' ELSE DISPLAY 'NOT GT' END-IF",
    "    IF WS-A NOT=WS-B DISPLAY 'NOT=' END-IF",
    "    IF WS-A NOT>WS-B DISPLAY 'NOT>' END-IF",
    "    IF WS-A<=WS-B AND WS-B>WS-A DISPLAY 'LE-GT' END-IF",
    "    IF WS-A<>WS-B DISPLAY '<>' END-IF",
    "    DISPLAY 'A=B'",
    "    STOP RUN.",
)

FUNCREF = _fixed(
    "IDENTIFICATION DIVISION.",
    "PROGRAM-ID. FUNCREF.",
    "DATA DIVISION.",
    "WORKING-STORAGE SECTION.",
    "01  WS-YEAR   PIC X(4).",
    "01  WS-NAME   PIC X(10) VALUE 'smith'.",
    "01  WS-OUT    PIC X(3).",
    "PROCEDURE DIVISION.",
    "    MOVE FUNCTION CURRENT-DATE(1:4) TO WS-YEAR",
    "    DISPLAY 'YEAR ' WS-YEAR",
    "    DISPLAY 'MMDD ' FUNCTION CURRENT-DATE(5:4)",
    "    MOVE FUNCTION UPPER-CASE(WS-NAME)(2:3) TO WS-OUT",
    "    DISPLAY 'OUT ' WS-OUT",
    "    IF FUNCTION CURRENT-DATE (1:4) = WS-YEAR",
    "        DISPLAY 'SAME YEAR'",
    "    END-IF",
    "    STOP RUN.",
)

SYSIN = _fixed(
    "IDENTIFICATION DIVISION.",
    "PROGRAM-ID. SYSINP.",
    "DATA DIVISION.",
    "WORKING-STORAGE SECTION.",
    "01  WS-LINE   PIC X(12).",
    "01  WS-NUM    PIC S9(4).",
    "PROCEDURE DIVISION.",
    "    ACCEPT WS-LINE FROM SYSIN",
    "    DISPLAY '[' WS-LINE ']'",
    "    ACCEPT WS-NUM FROM SYSIN",
    "    DISPLAY '[' WS-NUM ']'",
    "    ACCEPT WS-LINE FROM SYSIPT",
    "    DISPLAY '[' WS-LINE ']'",
    "    ACCEPT WS-LINE FROM CONSOLE",
    "    DISPLAY '[' WS-LINE ']'",
    "    ACCEPT WS-LINE FROM SYSIN",
    "    DISPLAY '[' WS-LINE ']'",
    "    STOP RUN.",
)

ZLITERAL = _fixed(
    "IDENTIFICATION DIVISION.",
    "PROGRAM-ID. ZLITPRB.",
    "DATA DIVISION.",
    "WORKING-STORAGE SECTION.",
    "01  WS-Z      PIC X(6) VALUE Z'AB'.",
    "01  WS-Q      PIC X(8).",
    "01  WS-HEX    PIC X(8).",
    "PROCEDURE DIVISION.",
    "    DISPLAY FUNCTION LENGTH(WS-Z)",
    "    DISPLAY '[' WS-Z ']'",
    "    MOVE Z\"IT'S\" TO WS-Q",
    "    DISPLAY '[' WS-Q ']'",
    "    MOVE Z\"A'B\" TO WS-HEX",
    "    DISPLAY '[' WS-HEX ']'",
    "    IF WS-Z(3:1) = X'00' DISPLAY 'NUL AT 3' END-IF",
    "    STOP RUN.",
)

TABPROBE = _fixed(
    "IDENTIFICATION DIVISION.",
    "PROGRAM-ID. TABPRB.",
    "DATA DIVISION.",
    "WORKING-STORAGE SECTION.",
    "COPY TABREC.",
    "PROCEDURE DIVISION.",
    "    DISPLAY '[' TAB-A '][' TAB-B '][' TAB-C ']'",
    "    MOVE 42 TO TAB-B",
    "    DISPLAY '[' TAB-REC ']'",
    "    STOP RUN.",
)
# tabs before the level number, between the words, inside a literal, after a sequence number
TABREC = ("\t01  TAB-REC.\n"
          "\t    05  TAB-A\tPIC X(10)\tVALUE \"AB\tC\".\n"
          "      \t    05  TAB-B\tPIC 9(3) VALUE 12.\n"
          "000100\t05  TAB-C PIC X(2) VALUE 'ZZ'.\n")

# the literal of WS-TITLE is continued twice: each continued line runs to column 72 with its
# spaces; WS-SHORT's first line ends before column 72 (the literal goes on to column 72 all
# the same); WS-DOUBLED's closing quote in column 72 is the first of a doubled quote
CONTINUED = "\n".join([
    "       IDENTIFICATION DIVISION.",
    "       PROGRAM-ID. CONTLIT.",
    "       DATA DIVISION.",
    "       WORKING-STORAGE SECTION.",
    "       01  WS-TITLE PIC X(150) VALUE \"FIRST PART OF THE TITLE   ".ljust(72),
    "      -    \"SECOND PART, TRAILING SPACES KEPT                  ".ljust(72),
    "      -    \"THIRD PART\".",
    "       01  WS-SHORT PIC X(80) VALUE 'ABC",
    "      -    'DEF'.",
    "       01  WS-DOUBLED PIC X(80) VALUE \"SHE SAID: \"\"HELLO, WORLD.".ljust(71) + "\"",
    "      -    \"\" AND LEFT\".",
    "       PROCEDURE DIVISION.",
    "           DISPLAY '[' WS-TITLE ']'.",
    "           DISPLAY '[' WS-SHORT ']'.",
    "           DISPLAY '[' WS-DOUBLED ']'.",
    "           DISPLAY 'ONE ' \"LITERAL, CONTINUED IN A STATEMENT             ".ljust(72),
    "      -    \"AND ENDED\".",
    "           STOP RUN.",
]) + "\n"

PROBES = {"GLUEDOP": OPERATORS, "FUNCREF": FUNCREF, "SYSINP": SYSIN, "ZLITPRB": ZLITERAL,
          "TABPRB": TABPROBE, "CONTLIT": CONTINUED}


@dataclass
class Probes:
    root: Path
    estate: Estate
    translations: dict[str, Translation]
    code: Path
    work: Path

    def run_both(self, name: str, scenario: Scenario) -> tuple[RunResult, RunResult]:
        program = self.estate.program(name)
        assert program is not None, name
        legacy = run(build(program, self.estate, self.root, self.work, trace=False), scenario)
        python = run_python(self.code / f"{self.translations[name].module_name}.py",
                            scenario, (), name)
        verdict = compare(legacy, python, program)
        assert verdict.equivalent, verdict.report() + "\n" + python.stderr.decode(
            "utf-8", "replace")[-2000:]
        return legacy, python


@pytest.fixture(scope="module")
def probes(tmp_path_factory: pytest.TempPathFactory) -> Probes:
    base = tmp_path_factory.mktemp("gaps")
    root = base / "estate"
    (root / "cobol").mkdir(parents=True)
    (root / "copy").mkdir()
    for name, text in PROBES.items():
        (root / "cobol" / f"{name}.cbl").write_text(text, encoding="utf-8")
    (root / "copy" / "TABREC.cpy").write_text(TABREC, encoding="utf-8")
    analyze_into(root, base / "analysis")
    estate, _ = load_analysis(base / "analysis")
    translated = translate_estate(estate, base / "code")
    return Probes(root, estate, {t.program: t for t in translated.translations},
                  base / "code", base / "work")


@pytest.mark.parametrize("name", sorted(PROBES))
def test_probe_parses_and_translates_completely(probes: Probes, name: str) -> None:
    program = probes.estate.program(name)
    assert program is not None
    assert program.parsed_cleanly, [d.message for d in program.diagnostics]
    translation = probes.translations[name]
    assert translation.unsupported == [], translation.unsupported
    assert translation.translated == translation.statements > 0


def _stdout(result: RunResult) -> list[str]:
    return result.stdout.decode("latin-1").splitlines()


@needs_cobc
def test_relational_operators_without_spaces(probes: Probes) -> None:
    program = probes.estate.program("GLUEDOP")
    assert program is not None
    texts = [c.text for c in program.conditions]
    assert "WS-FLAG = 'Y'" in texts and "WS-A <= WS-B AND WS-B > WS-A" in texts
    assert "WS-A NOT = WS-B" in texts and "WS-A NOT > WS-B" in texts  # NOT=, <>, NOT>
    legacy, _ = probes.run_both("GLUEDOP", Scenario("glued"))
    assert _stdout(legacy) == ["N=003", "NE", "LT", "NOT GT", "NOT=", "NOT>", "LE-GT", "<>",
                               "A=B"]


@needs_cobc
def test_reference_modification_of_a_function_result(probes: Probes) -> None:
    program = probes.estate.program("FUNCREF")
    assert program is not None
    move = program.bodies[0].sentences[0].statements[0]
    assert move.operands[:5] == ("FUNCTION", "CURRENT-DATE", "(", "1:4", ")")
    scenario = Scenario("clock", env={"COB_CURRENT_DATE": "2024/03/05 10:11:12"})
    legacy, _ = probes.run_both("FUNCREF", scenario)
    assert _stdout(legacy) == ["YEAR 2024", "MMDD 0305", "OUT MIT", "SAME YEAR"]


@needs_cobc
def test_accept_from_sysin_reads_standard_input(probes: Probes) -> None:
    scenario = Scenario("stdin", stdin=b"hello sysin\n-12\nfrom sysipt\nconsole\n")
    legacy, _ = probes.run_both("SYSINP", scenario)
    assert _stdout(legacy) == ["[hello sysin ]", "[-0012]", "[from sysipt ]", "[console     ]",
                               "[            ]"]  # at the end of input: spaces


@needs_cobc
def test_null_terminated_literals(probes: Probes) -> None:
    program = probes.estate.program("ZLITPRB")
    assert program is not None
    (ws_z,) = [i for i in program.data_items if i.name == "WS-Z"]
    assert ws_z.value == "X'414200'"  # Z'AB': the characters, then X'00'
    legacy, _ = probes.run_both("ZLITPRB", Scenario("z"))
    assert _stdout(legacy) == ["6", "[AB\0   ]", "[IT'S\0   ]", "[A'B\0    ]", "NUL AT 3"]
    # cobc takes no doubled quote inside a Z literal; the view reads it as any literal does
    from modernize.analysis.cobol.view import null_terminated_as_hex
    assert null_terminated_as_hex("Z'IT''S'") == "X'4954275300'"
    assert null_terminated_as_hex('z"\u00e9"') == "X'E900'"  # Latin-1, as the runtime stores


@needs_cobc
def test_tabs_in_a_copybook(probes: Probes) -> None:
    program = probes.estate.program("TABPRB")
    assert program is not None
    values = {i.name: (i.value, i.offset, i.length) for i in program.data_items}
    assert values["TAB-A"] == ('"AB       C"', 0, 10)  # the tab in the literal: to column 57
    assert values["TAB-C"] == ("'ZZ'", 13, 2)
    legacy, _ = probes.run_both("TABPRB", Scenario("tabs"))
    assert _stdout(legacy) == ["[AB       C][012][ZZ]", "[AB       C042ZZ]"]


@needs_cobc
def test_tabs_in_a_copybook_expand_as_cobc_expands_them(probes: Probes) -> None:
    assert _tokens_against_cobc(probes.root, "cobol/TABPRB.cbl", ["copy"]) == (True, [])


@needs_cobc
def test_continued_literals_keep_their_spaces_to_column_72(probes: Probes) -> None:
    program = probes.estate.program("CONTLIT")
    assert program is not None
    title = next(i for i in program.data_items if i.name == "WS-TITLE").value
    first, second = CONTINUED.splitlines()[4:6]  # each to column 72, spaces included
    assert title == first[first.index('"'):72] + second[second.index('"') + 1:72] + \
        'THIRD PART"'
    assert title == ('"FIRST PART OF THE TITLE' + " " * 11 + "SECOND PART, TRAILING SPACES KEPT"
                     + " " * 27 + 'THIRD PART"')
    assert _tokens_against_cobc(probes.root, "cobol/CONTLIT.cbl", []) == (True, [])
    legacy, _ = probes.run_both("CONTLIT", Scenario("continued"))
    lines = _stdout(legacy)
    assert lines[0] == "[" + title[1:-1].ljust(150) + "]"
    assert lines[1] == "[ABC" + " " * 32 + "DEF".ljust(45) + "]"  # a short line: to col 72
    assert lines[2] == '[SHE SAID: "HELLO, WORLD.' + " " * 7 + '" AND LEFT'.ljust(49) + "]"
    assert lines[3] == "ONE LITERAL, CONTINUED IN A STATEMENT" + " " * 12 + "AND ENDED"


def _tokens_against_cobc(root: Path, rel: str, dirs: Sequence[str],
                         options: Sequence[str] = ()) -> tuple[bool, list[str]]:
    """Our preprocessed tokens against cobc -E's, ``,`` and ``;`` left out on both sides."""
    assert COBC is not None
    includes = [arg for d in dirs for arg in ("-I", d)]
    proc = subprocess.run([COBC, "-E", *options, *includes, rel], cwd=root, capture_output=True,
                          check=True, env={**os.environ, "LC_ALL": "C"})
    theirs = [t.text for line in proc.stdout.decode("latin-1").split("\n")
              if not line.startswith("#") for t in tokenize_line(line)]
    resolver = CopybookResolver(root, [root / d for d in dirs],
                                extensions=copybook_extensions([o.split("=")[-1] for o in options
                                                                if o.startswith("-ext")]))
    pre = Preprocessor(root, resolver).run(root / rel)
    ours = logical_tokens(pre.lines)
    ours = [t for t in ours if t not in (",", ";")]
    theirs = [t for t in theirs if t not in (",", ";")]
    return ours == theirs, [t for t in ours if t not in theirs][:10]


# --------------------------------------------------------------------------- .dcl copybooks

DCLGEN = """\
      ******************************************************************
      * DCLGEN TABLE(CUSTOMER)                                         *
      ******************************************************************
           EXEC SQL DECLARE CUSTOMER TABLE
           ( CUST_ID                        CHAR(8) NOT NULL,
             CUST_NAME                      VARCHAR(40) NOT NULL
           ) END-EXEC.
       01  DCLCUSTOMER.
           10 CUST-ID              PIC X(8).
           10 CUST-NAME.
              49 CUST-NAME-LEN     PIC S9(4) USAGE COMP.
              49 CUST-NAME-TEXT    PIC X(40).
"""
ACCOUNT_DCL = """\
       01  DCLACCOUNT.
           10 ACCT-ID              PIC X(8).
           10 ACCT-BAL             PIC S9(9)V99 COMP-3.
"""
DB2PROG = _fixed(
    "IDENTIFICATION DIVISION.",
    "PROGRAM-ID. CUSTSQL.",
    "DATA DIVISION.",
    "WORKING-STORAGE SECTION.",
    "    EXEC SQL INCLUDE SQLCA END-EXEC.",
    "    EXEC SQL INCLUDE CUSTOMER END-EXEC.",
    "    COPY ACCOUNT.",
    "    COPY LEGACY.",
    "PROCEDURE DIVISION.",
    "    EXEC SQL SELECT CUST_NAME INTO :CUST-NAME FROM CUSTOMER",
    "         WHERE CUST_ID = :CUST-ID END-EXEC",
    "    DISPLAY ACCT-ID LEG-X",
    "    GOBACK.",
)


def _dcl_estate(root: Path) -> Path:
    (root / "cobol").mkdir(parents=True)
    (root / "dclgen").mkdir()
    (root / "inc").mkdir()
    (root / "cobol" / "CUSTSQL.cbl").write_text(DB2PROG)
    (root / "dclgen" / "CUSTOMER.dcl").write_text(DCLGEN)
    (root / "dclgen" / "ACCOUNT.DCL").write_text(ACCOUNT_DCL)
    (root / "inc" / "LEGACY.inc").write_text("       01  LEG-X PIC X.\n")
    return root


def test_dcl_members_are_copybooks_found_by_copy_and_sql_include(tmp_path: Path) -> None:
    root = _dcl_estate(tmp_path / "estate")
    estate = analyze_repo(root, copybook_extensions=[".inc"])
    kinds = {f.path: f.kind for f in estate.inventory.files}
    assert kinds["dclgen/CUSTOMER.dcl"] is FileKind.COPYBOOK
    assert kinds["dclgen/ACCOUNT.DCL"] is FileKind.COPYBOOK
    (program,) = estate.programs
    uses = {u.name: (u.statement, u.path) for u in program.copybook_uses}
    assert uses["CUSTOMER"] == ("EXEC SQL INCLUDE", "dclgen/CUSTOMER.dcl")
    assert uses["ACCOUNT"] == ("COPY", "dclgen/ACCOUNT.DCL")
    assert uses["LEGACY"] == ("COPY", "inc/LEGACY.inc")
    names = {i.name for i in program.data_items}
    assert {"DCLCUSTOMER", "CUST-NAME-TEXT", "ACCT-BAL", "LEG-X"} <= names
    assert any(s.verb == "DECLARE" and s.text.startswith("DECLARE CUSTOMER TABLE")
               for s in program.sql)  # the DCLGEN's declaration, from the .dcl member
    assert not [d for d in program.diagnostics if d.code == "copybook-missing"]


def test_an_extension_not_given_is_not_tried(tmp_path: Path) -> None:
    root = _dcl_estate(tmp_path / "estate")
    estate = analyze_repo(root)
    (program,) = estate.programs
    missing = [d for d in program.diagnostics if d.code == "copybook-missing"]
    assert [d.line for d in missing] == [8]  # COPY LEGACY: .inc is not a default extension
    assert any(d.code == "copybook-missing" and "LEGACY" in d.message
               for d in estate.diagnostics)


@pytest.mark.parametrize("bad", ["../x", "a/b", ".c*", "", ".toolongextension123"])
def test_a_bad_copybook_extension_is_refused(tmp_path: Path, bad: str) -> None:
    root = _dcl_estate(tmp_path / "estate")
    with pytest.raises(CopybookExtensionError, match="--copybook-ext"):
        analyze_repo(root, copybook_extensions=[bad])


@needs_cobc
def test_dcl_copybooks_preprocess_as_cobc_with_ext_dcl(tmp_path: Path) -> None:
    root = tmp_path / "estate"
    (root / "dclgen").mkdir(parents=True)
    (root / "dclgen" / "ACCOUNT.dcl").write_text(ACCOUNT_DCL)
    (root / "P.cbl").write_text(_fixed(
        "IDENTIFICATION DIVISION.", "PROGRAM-ID. P.", "DATA DIVISION.",
        "WORKING-STORAGE SECTION.", "COPY ACCOUNT.", "PROCEDURE DIVISION.",
        "    DISPLAY ACCT-ID.", "    STOP RUN."))
    assert _tokens_against_cobc(root, "P.cbl", ["dclgen"], ["-ext=dcl"]) == (True, [])


# --------------------------------------------------------------------------- alternate keys

ALTERNATE_SELECT = _fixed(
    "IDENTIFICATION DIVISION.",
    "PROGRAM-ID. ALTSEL.",
    "ENVIRONMENT DIVISION.",
    "INPUT-OUTPUT SECTION.",
    "FILE-CONTROL.",
    "    SELECT CUST-FILE ASSIGN TO CUSTF",
    "        ORGANIZATION IS INDEXED",
    "        ACCESS MODE IS DYNAMIC",
    "        ALTERNATE RECORD KEY IS CUST-NAME WITH DUPLICATES",
    "        RECORD KEY IS CUST-ID",
    "        ALTERNATE KEY CUST-EMAIL",
    "        ALTERNATE KEY IS CUST-CITY WITH DUPLICATES",
    "            SUPPRESS WHEN SPACES",
    "        ALTERNATE KEY IS CUST-ZIP OF CUST-REC DUPLICATES",
    "        FILE STATUS IS WS-FS.",
    "    SELECT HIST-FILE ASSIGN TO HISTF",
    "        ORGANIZATION INDEXED ACCESS RANDOM",
    "        RECORD KEY HIST-ID ALTERNATE KEY HIST-TAG.",
    "DATA DIVISION.",
    "FILE SECTION.",
    "FD  CUST-FILE.",
    "01  CUST-REC.",
    "    05 CUST-ID     PIC X(4).",
    "    05 CUST-NAME   PIC X(8).",
    "    05 CUST-EMAIL  PIC X(8).",
    "    05 CUST-CITY   PIC X(8).",
    "    05 CUST-ZIP    PIC X(5).",
    "FD  HIST-FILE.",
    "01  HIST-REC.",
    "    05 HIST-ID     PIC X(4).",
    "    05 HIST-TAG    PIC X(4).",
    "WORKING-STORAGE SECTION.",
    "01  WS-FS PIC XX.",
    "PROCEDURE DIVISION.",
    "    OPEN INPUT CUST-FILE",
    "    MOVE 'SMITH' TO CUST-NAME",
    "    START CUST-FILE KEY >= CUST-NAME",
    "    READ CUST-FILE KEY IS CUST-EMAIL",
    "    CLOSE CUST-FILE",
    "    STOP RUN.",
)


def test_alternate_key_clauses_are_read(tmp_path: Path) -> None:
    root = tmp_path / "estate"
    root.mkdir()
    (root / "ALTSEL.cbl").write_text(ALTERNATE_SELECT)
    (program,) = analyze_repo(root).programs
    assert program.parsed_cleanly, [d.message for d in program.diagnostics]
    cust, hist = program.files
    assert (cust.record_key, cust.file_status, cust.access) == ("CUST-ID", "WS-FS", "DYNAMIC")
    assert [(k.name, k.duplicates, k.suppress) for k in cust.alternate_keys] == [
        ("CUST-NAME", True, None), ("CUST-EMAIL", False, None),
        ("CUST-CITY", True, "SPACES"), ("CUST-ZIP", True, None)]
    assert (hist.record_key, [k.name for k in hist.alternate_keys]) == ("HIST-ID", ["HIST-TAG"])
    layout_code = alternate_keys_code(cust, _layout(program))
    assert layout_code == ("alternate_keys=((self.cust_rec.cust_name, True), "
                           "(self.cust_rec.cust_email, False), "
                           "(self.cust_rec.cust_city, True, b' '), "
                           "(self.cust_rec.cust_zip, True),)")
    if COBC is not None:  # GnuCOBOL reads the same clauses
        subprocess.run([COBC, "-fsyntax-only", "ALTSEL.cbl"], cwd=root, check=True,
                       capture_output=True)


def _layout(program):  # noqa: ANN001, ANN202 - the translator's layout of one program
    from modernize.translate.data import Layout
    return Layout(program)


# The runtime against GnuCOBOL: a list of statements on a file of 20-byte records (ID 4, NAME
# 8, EMAIL 8), run as a COBOL program and through CobolFile; after every statement both print
# its number, the FILE STATUS and the record area.
_FIELDS = {"ID": (0, 4), "NAME": (4, 8), "EMAIL": (12, 8)}
Op = tuple[str, ...]


def _cobol_ops(ops: Sequence[Op], access: str, keys: str) -> str:
    body = []
    for op in ops:
        verb = op[0]
        if verb == "OPEN":
            body.append(f"OPEN {op[1]} CUST-FILE")
        elif verb == "CLOSE":
            body.append("CLOSE CUST-FILE")
        elif verb in ("WRITE", "REWRITE"):
            body += [f"MOVE '{op[1]}' TO CUST-REC", f"{verb} CUST-REC"]
        elif verb == "DELETE":
            body += [f"MOVE '{op[1]}' TO CUST-ID", "DELETE CUST-FILE"]
        elif verb == "READ":
            body += [f"MOVE '{op[2]}' TO CUST-{op[1]}", f"READ CUST-FILE KEY IS CUST-{op[1]}"]
        elif verb == "NEXT":
            body.append("READ CUST-FILE NEXT")
        elif verb == "START":
            value = "LOW-VALUES" if op[3] == "" else f"'{op[3]}'"
            body += [f"MOVE {value} TO CUST-{op[1]}",
                     f"START CUST-FILE KEY {op[2]} CUST-{op[1]}"]
        body.append(f"DISPLAY '{len(body)} ' WS-FS ' ' CUST-REC")
    return _fixed(
        "IDENTIFICATION DIVISION.", "PROGRAM-ID. ALTOPS.", "ENVIRONMENT DIVISION.",
        "INPUT-OUTPUT SECTION.", "FILE-CONTROL.", "    SELECT CUST-FILE ASSIGN TO CUSTF",
        "        ORGANIZATION IS INDEXED", f"        ACCESS MODE IS {access}",
        "        RECORD KEY IS CUST-ID", *keys.split("\n"), "        FILE STATUS IS WS-FS.",
        "DATA DIVISION.", "FILE SECTION.", "FD  CUST-FILE.", "01  CUST-REC.",
        "    05 CUST-ID     PIC X(4).", "    05 CUST-NAME   PIC X(8).",
        "    05 CUST-EMAIL  PIC X(8).", "WORKING-STORAGE SECTION.", "01  WS-FS PIC XX.",
        "PROCEDURE DIVISION.", *(f"    {b}" for b in body), "    STOP RUN.")


def _gnucobol_ops(folder: Path, ops: Sequence[Op], access: str, keys: str) -> list[str]:
    assert COBC is not None
    folder.mkdir(parents=True)
    (folder / "ALTOPS.cbl").write_text(_cobol_ops(ops, access, keys))
    subprocess.run([COBC, "-x", "ALTOPS.cbl"], cwd=folder, check=True, capture_output=True)
    done = subprocess.run(["./ALTOPS"], cwd=folder, capture_output=True, check=True,
                          env={**os.environ, "DD_CUSTF": str(folder / "cust.dat")})
    return [line.split(" ", 1)[1] for line in done.stdout.decode("latin-1").splitlines()]


def _runtime_ops(folder: Path, ops: Sequence[Op], access: str,
                 alternates: Sequence[tuple[str, bool, bytes | None]],
                 monkeypatch: pytest.MonkeyPatch) -> list[str]:
    folder.mkdir(parents=True)
    monkeypatch.setenv("DD_CUSTF", str(folder / "cust.dat"))
    area = bytearray(20)  # a record area never read holds low-values
    record = Group(area, 0, 20)
    status = make_field(bytearray(b"  "), 0, "XX", "DISPLAY")
    fields = {k: make_field(area, o, f"X({n})", "DISPLAY") for k, (o, n) in _FIELDS.items()}
    cust = CobolFile("CUST-FILE", "CUSTF", organization="INDEXED", access=access,
                     record=record, status=status, record_key=fields["ID"],
                     alternate_keys=[AlternateKey(fields[name], dup, sup)
                                     for name, dup, sup in alternates])
    lines = []
    for op in ops:
        verb = op[0]
        if verb == "OPEN":
            cust.open(op[1])
        elif verb == "CLOSE":
            cust.close()
        elif verb == "WRITE":
            record.set(op[1])
            cust.write()
        elif verb == "REWRITE":
            record.set(op[1])
            cust.rewrite()
        elif verb == "DELETE":
            fields["ID"].set(op[1])
            cust.delete()
        elif verb == "READ":
            fields[op[1]].set(op[2])
            cust.read(key=fields[op[1]], next_=False)
        elif verb == "NEXT":
            cust.read()
        elif verb == "START":
            fields[op[1]].set(LOW_VALUES if op[3] == "" else op[3])
            cust.start(op[2], key=fields[op[1]])
        lines.append(f"{status.raw.decode()} {area.decode('latin-1')}")
    close_all()
    return lines


def _w(key: str, name: str, email: str) -> Op:
    return ("WRITE", f"{key:4}{name:8}{email:8}")


DYNAMIC_OPS: list[Op] = [
    ("OPEN", "OUTPUT"), _w("0005", "BROWN", "E5"), _w("0001", "SMITH", "E1"),
    _w("0003", "SMITH", "E3"), _w("0002", "ADAMS", "E2"), _w("0004", "SMITH", "E4"),
    _w("0006", "JONES", "E1"), ("CLOSE",), ("OPEN", "I-O"),
    ("READ", "ID", "0001"), ("REWRITE", "0001SMITH   E6      "),
    ("READ", "ID", "0003"), ("REWRITE", "0003ADAMS   E3      "),
    ("REWRITE", "0005BROWN   E2      "), ("DELETE", "0004"), ("DELETE", "0009"),
    ("READ", "NAME", "SMITH"), ("NEXT",), ("NEXT",), ("READ", "NAME", "ZZZ"),
    ("START", "NAME", ">", "ADAMS"), ("NEXT",), ("NEXT",), ("NEXT",), ("NEXT",),
    ("START", "NAME", "<", "SMITH"), ("NEXT",), ("NEXT",),
    ("START", "NAME", "<=", "ADAMS"), ("NEXT",), ("NEXT",),
    ("START", "EMAIL", ">=", "E3"), ("NEXT",), ("NEXT",), ("NEXT",),
    ("READ", "ID", "0002"), ("NEXT",), ("NEXT",), ("READ", "EMAIL", "E1"),
    ("READ", "EMAIL", "E6"), ("NEXT",), ("START", "NAME", "=", "SM"), ("NEXT",),
    ("WRITE", "0009SMITH   E3      "), ("WRITE", "0009SMITH   E9      "),
    ("START", "NAME", ">=", ""), *[("NEXT",)] * 7, ("START", "ID", ">=", "0002"), ("NEXT",),
    ("START", "NAME", "<", "ZZZ"), ("NEXT",), ("NEXT",), ("CLOSE",), ("OPEN", "INPUT"),
    ("NEXT",), ("START", "EMAIL", "=", "E2"), ("NEXT",), ("NEXT",), ("CLOSE",)]

SEQUENTIAL_OPS: list[Op] = [
    ("OPEN", "OUTPUT"), _w("0001", "********", ""), _w("0002", "********", ""),
    _w("0003", "***", ""), _w("0004", "*******Z", "E4"), _w("0005", "AB", "E5"),
    _w("0006", "AB", "E4"), _w("0004", "X", "X"), _w("0007", "AB", "E7"), ("CLOSE",),
    ("OPEN", "EXTEND"), _w("0008", "AB", "E5"), _w("0009", "CD", "E9"), ("CLOSE",),
    ("OPEN", "INPUT"), ("START", "EMAIL", ">=", ""), *[("NEXT",)] * 5,
    ("START", "NAME", ">=", ""), *[("NEXT",)] * 6, ("CLOSE",), ("OPEN", "I-O"),
    ("START", "NAME", ">", "AB"), ("NEXT",), ("REWRITE", "0004*******Z        "), ("NEXT",),
    ("START", "EMAIL", ">=", ""), ("NEXT",), ("DELETE", "0005"), ("NEXT",), ("NEXT",),
    ("CLOSE",)]

_DYNAMIC_KEYS = ("        ALTERNATE KEY CUST-NAME WITH DUPLICATES\n"
                 "        ALTERNATE RECORD KEY IS CUST-EMAIL")
_SUPPRESS_KEYS = ("        ALTERNATE KEY CUST-EMAIL SUPPRESS WHEN SPACES\n"
                  "        ALTERNATE KEY CUST-NAME WITH DUPLICATES\n"
                  "            SUPPRESS WHEN ALL '*'")


@needs_cobc
@pytest.mark.parametrize(("ops", "access", "keys", "alternates", "statuses"), [
    (DYNAMIC_OPS, "DYNAMIC", _DYNAMIC_KEYS, [("NAME", True, None), ("EMAIL", False, None)],
     {"00", "02", "10", "22", "23", "46"}),
    (SEQUENTIAL_OPS, "SEQUENTIAL", _SUPPRESS_KEYS,
     [("EMAIL", False, b" "), ("NAME", True, b"*")], {"00", "02", "10", "21", "22"}),
], ids=["dynamic", "sequential-suppress"])
def test_alternate_keys_behave_as_gnucobol(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           ops: list[Op], access: str, keys: str,
                                           alternates: list[tuple[str, bool, bytes | None]],
                                           statuses: set[str]) -> None:
    """Duplicates in the order written, 02 for a new duplicate, 22 for a key without
    DUPLICATES (21 while loading with ACCESS SEQUENTIAL), the key of reference switching
    between READ KEY, START and a random READ, REWRITE and DELETE keeping the keys."""
    theirs = _gnucobol_ops(tmp_path / "cobol", ops, access, keys)
    ours = _runtime_ops(tmp_path / "python", ops, access, alternates, monkeypatch)
    assert ours == theirs
    assert {line[:2] for line in theirs} == statuses


def test_alternate_keys_are_rebuilt_for_a_file_written_without_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file written by a program that declares no alternate keys: a program that does
    finds them all the same, in record key order, without changing the file (INPUT)."""
    monkeypatch.setenv("DD_CUSTF", str(tmp_path / "cust.dat"))
    area = bytearray(20)
    record = Group(area, 0, 20)
    key = make_field(area, 0, "X(4)", "DISPLAY")
    name = make_field(area, 4, "X(8)", "DISPLAY")
    plain = CobolFile("F", "CUSTF", organization="INDEXED", access="RANDOM", record=record,
                      record_key=key)
    plain.open("OUTPUT")
    for data in (b"0003SMITH   E3      ", b"0001SMITH   E1      ", b"0002ADAMS   E2      "):
        record.set(data)
        assert plain.write() == "ok"
    plain.close()
    before = (tmp_path / "cust.dat").read_bytes()
    keyed = CobolFile("F", "CUSTF", organization="INDEXED", access="DYNAMIC", record=record,
                      record_key=key, alternate_keys=[(name, True)])
    keyed.open("INPUT")
    name.set("SMITH")
    assert keyed.start("=", key=name) == "ok"
    found = []
    while keyed.read(handled=True) == "ok":
        found.append(bytes(area[:4]))
    keyed.close()
    assert found == [b"0001", b"0003"]
    assert (tmp_path / "cust.dat").read_bytes() == before


def test_a_key_that_is_no_key_of_the_file_is_refused(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from modernize.runtime import UnsupportedError
    monkeypatch.setenv("DD_CUSTF", str(tmp_path / "cust.dat"))
    area = bytearray(20)
    record = Group(area, 0, 20)
    key = make_field(area, 0, "X(4)", "DISPLAY")
    other = make_field(area, 12, "X(8)", "DISPLAY")
    cust = CobolFile("F", "CUSTF", organization="INDEXED", access="DYNAMIC", record=record,
                     record_key=key, alternate_keys=[(make_field(area, 4, "X(8)", "DISPLAY"),
                                                      False)])
    cust.open("OUTPUT")
    cust.close()
    cust.open("INPUT")
    with pytest.raises(UnsupportedError, match="ALTERNATE RECORD KEY"):
        cust.start(">=", key=other)
    cust.close()


ALTERNATE_PROGRAM = _fixed(
    "IDENTIFICATION DIVISION.",
    "PROGRAM-ID. ALTPRB.",
    "ENVIRONMENT DIVISION.",
    "INPUT-OUTPUT SECTION.",
    "FILE-CONTROL.",
    "    SELECT CUST-FILE ASSIGN TO CUSTF",
    "        ORGANIZATION IS INDEXED ACCESS MODE IS DYNAMIC",
    "        RECORD KEY IS CUST-ID",
    "        ALTERNATE KEY IS CUST-NAME WITH DUPLICATES",
    "        FILE STATUS IS WS-FS.",
    "DATA DIVISION.",
    "FILE SECTION.",
    "FD  CUST-FILE.",
    "01  CUST-REC.",
    "    05 CUST-ID     PIC X(4).",
    "    05 CUST-NAME   PIC X(8).",
    "WORKING-STORAGE SECTION.",
    "01  WS-FS PIC XX.",
    "PROCEDURE DIVISION.",
    "    OPEN OUTPUT CUST-FILE",
    "    MOVE '0002SMITH' TO CUST-REC  WRITE CUST-REC",
    "    MOVE '0001SMITH' TO CUST-REC  WRITE CUST-REC",
    "    DISPLAY 'W ' WS-FS",
    "    MOVE '0003ADAMS' TO CUST-REC  WRITE CUST-REC",
    "    CLOSE CUST-FILE",
    "    OPEN INPUT CUST-FILE",
    "    MOVE 'SMITH' TO CUST-NAME",
    "    READ CUST-FILE KEY IS CUST-NAME",
    "    DISPLAY 'K ' WS-FS ' ' CUST-REC",
    "    MOVE LOW-VALUES TO CUST-NAME",
    "    START CUST-FILE KEY >= CUST-NAME",
    "    PERFORM 4 TIMES",
    "        READ CUST-FILE NEXT",
    "        DISPLAY 'N ' WS-FS ' ' CUST-REC",
    "    END-PERFORM",
    "    CLOSE CUST-FILE",
    "    STOP RUN.",
)


@needs_cobc
def test_alternate_keys_through_translation(tmp_path: Path) -> None:
    from probe_support import run_probe
    # the indexed file itself differs in format (Berkeley DB and its CUSTF.1 alternate index
    # against SQLite): what the program reads back through its keys is on stdout
    probe = run_probe(tmp_path, {"ALTPRB": ALTERNATE_PROGRAM}, "ALTPRB", Scenario("alt"),
                      files=())
    assert probe.verdict.equivalent, probe.report()
    assert _stdout(probe.legacy) == [
        "W 02", "K 00 0002SMITH   ", "N 00 0003ADAMS   ", "N 00 0002SMITH   ",
        "N 00 0001SMITH   ", "N 10 0001SMITH   "]


# --------------------------------------------------------------------------- proclibs

PROC_JOB = """\
//PAYJOB   JOB (1),'PAY',CLASS=A
// JCLLIB ORDER=(PROD.PAY.PROCLIB,SYS1.PROCLIB)
// SET HLQ=PROD
// INCLUDE MEMBER=PAYVARS
//STEP010  EXEC PAYCALC,MEM=EMPLOYEE
//CALC.PAYOUT DD DSN=&HLQ..PAY.OUT(&RUN),DISP=SHR
//STEP020  EXEC PGM=PAYRPT,PARM='&RUN'
//REPORT   DD SYSOUT=*
//STEP030  EXEC NIGHTLY
//STEP040  EXEC TAXPROC,PARM.TAX='YEAR=2024'
"""
PAYCALC = """\
//PAYCALC  PROC MEM=DEFAULT,OUT=SYSOUT
//CALC     EXEC PGM=PAYCALC
//PAYIN    DD DSN=&HLQ..PAY.&MEM..DATA,DISP=SHR
//PAYOUT   DD DSN=&&TEMP,DISP=(NEW,PASS)
//SUMMARY  DD SYSOUT=&OUT
"""
PAYVARS = "// SET RUN=R01\n"
NIGHTLY = """\
//*  A CATALOGED PROCEDURE WITHOUT A PROC STATEMENT
//SORT     EXEC PGM=SORT
//SORTIN   DD DSN=&HLQ..NIGHT.IN,DISP=SHR
//POST     EXEC PAYCALC,MEM=NIGHT
"""
TAXPROC = """\
//TAXPROC  PROC
//TAX      EXEC PGM=TAXCALC,PARM='YEAR=2000'
//TAXOUT   DD DSN=PROD.TAX,DISP=SHR
//         PEND
"""


def _proc_estate(root: Path, outside: Path) -> None:
    (root / "jcl").mkdir(parents=True)
    (root / "proclib").mkdir()
    (root / "jcl" / "PAYJOB.jcl").write_text(PROC_JOB)
    (root / "proclib" / "PAYCALC.jcl").write_text(PAYCALC)
    (root / "proclib" / "PAYVARS.jcl").write_text(PAYVARS)
    (root / "jcl" / "NIGHTLY.prc").write_text(NIGHTLY)
    outside.mkdir()
    (outside / "TAXPROC").write_text(TAXPROC)


def test_cataloged_procedures_from_jcllib_proclib_and_prc_members(tmp_path: Path) -> None:
    root, outside = tmp_path / "estate", tmp_path / "sys1"
    _proc_estate(root, outside)
    estate = analyze_repo(root, proclibs=[outside])
    assert [job.name for job in estate.jobs] == ["PAYJOB"]  # NIGHTLY.prc is no job
    steps = {s.name: s for s in estate.jobs[0].steps}
    assert [(s.name, s.program, s.proc, s.parm) for s in estate.jobs[0].steps] == [
        ("STEP010.CALC", "PAYCALC", "PAYCALC", None),
        ("STEP020", "PAYRPT", None, "R01"),
        ("STEP030.SORT", "SORT", "NIGHTLY", None),
        ("STEP030.POST.CALC", "PAYCALC", "PAYCALC", None),
        ("STEP040.TAX", "TAXCALC", "TAXPROC", "YEAR=2024"),
    ]
    calc = steps["STEP010.CALC"]
    assert [(d.name, d.dsn, d.sysout) for d in calc.dds] == [
        ("PAYIN", "PROD.PAY.EMPLOYEE.DATA", None),  # SET, then the EXEC's MEM=
        ("PAYOUT", "PROD.PAY.OUT(R01)", None),        # the override, RUN from the INCLUDE
        ("SUMMARY", None, "SYSOUT")]                  # the PROC statement's default
    assert calc.file == "proclib/PAYCALC.jcl" and calc.line == 2
    assert steps["STEP030.SORT"].dds[0].dsn == "PROD.NIGHT.IN"
    assert steps["STEP030.POST.CALC"].dds[0].dsn == "PROD.PAY.NIGHT.DATA"
    assert steps["STEP040.TAX"].file == (outside / "TAXPROC").resolve().as_posix()


def test_without_the_proclib_the_step_names_its_procedure(tmp_path: Path) -> None:
    root = tmp_path / "estate"
    _proc_estate(root, tmp_path / "sys1")
    (step,) = [s for s in analyze_repo(root).jobs[0].steps if s.name.startswith("STEP040")]
    assert (step.name, step.program, step.proc) == ("STEP040", None, "TAXPROC")


def test_a_proclib_that_is_no_folder_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "estate"
    _proc_estate(root, tmp_path / "sys1")
    with pytest.raises(InputPathError, match="--proclib"):
        analyze_repo(root, proclibs=[tmp_path / "nowhere"])


def test_a_proclib_symlink_leading_out_is_not_read(tmp_path: Path) -> None:
    root, outside = tmp_path / "estate", tmp_path / "sys1"
    _proc_estate(root, outside)
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "TAXPROC").write_text("//TAXPROC PROC\n//X EXEC PGM=LEAKED\n")
    (outside / "TAXPROC").unlink()
    (outside / "TAXPROC").symlink_to(secret / "TAXPROC")
    programs = {s.program for s in analyze_repo(root, proclibs=[outside]).jobs[0].steps}
    assert "LEAKED" not in programs and "TAXCALC" not in programs
