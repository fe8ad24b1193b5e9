"""Tests of the COBOL preprocessor: reference format, COPY ... REPLACING, REPLACE, source map.

Every fixture is fixed-format COBOL as it comes off a mainframe: sequence numbers in columns
1-6, an identification tag in columns 73-80, written into tmp_path.
"""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

import pytest
from conftest import require_tool

from modernize.analysis.cobol.preprocess import (
    COPYBOOK_EXTENSIONS,
    CopybookExtensionError,
    CopybookResolver,
    Preprocessed,
    Preprocessor,
    copybook_extensions,
    logical_tokens,
)
from modernize.analysis.cobol.tokens import TokenKind, tokenize_line

IDENT = "PAYR0001"  # columns 73-80


def fixed(*lines: str, ident: str = IDENT) -> str:
    """Fixed-format text: each line is given from column 7 (the indicator) on."""
    out = []
    for number, text in enumerate(lines, start=1):
        assert len(text) <= 66, f"past column 72: {text!r}"
        out.append(f"{number * 100:06d}{text:<66}{ident}")
    return "\n".join(out) + "\n"


def write(path: Path, text: str, newline: str = "\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.replace("\n", newline).encode("ascii"))
    return path


def run(root: Path, name: str = "PAYROLL.cbl") -> Preprocessed:
    resolver = CopybookResolver(root, [root / "copylib"])
    return Preprocessor(root, resolver).run(root / name)


def program(*body: str, data: tuple[str, ...] = ()) -> str:
    """A small batch program around the given procedure-division lines."""
    return fixed(
        " IDENTIFICATION DIVISION.",
        " PROGRAM-ID. PAYROLL.",
        " DATA DIVISION.",
        " WORKING-STORAGE SECTION.",
        *data,
        " PROCEDURE DIVISION.",
        " 0000-MAIN.",
        *body,
        "     GOBACK.",
    )


def codes(pre: Preprocessed) -> list[str]:
    return [d.code for d in pre.diagnostics]


# --- reference format ------------------------------------------------------------------------


def test_sequence_numbers_and_identification_area_are_removed(tmp_path: Path) -> None:
    write(tmp_path / "PAYROLL.cbl", program(
        "     MOVE WS-HOURS TO WS-PAY",
        data=(" 01  WS-HOURS        PIC 9(3)    VALUE 40.",
              " 01  WS-PAY          PIC 9(5)V99.")))
    pre = run(tmp_path)
    tokens = logical_tokens(pre.lines)
    assert tokens[:4] == ["IDENTIFICATION", "DIVISION", ".", "PROGRAM-ID"]
    assert not any(IDENT in t or t.isdigit() and len(t) == 6 for t in tokens)
    assert all(len(line.text) <= 65 for line in pre.lines)  # columns 8-72 at most
    assert pre.lines[4].text == "01  WS-HOURS        PIC 9(3)    VALUE 40."


def test_crlf_input_reads_like_lf(tmp_path: Path) -> None:
    text = program("     DISPLAY 'PAY: ' WS-PAY",
                   data=(" 01  WS-PAY          PIC 9(5)V99.",))
    write(tmp_path / "lf" / "PAYROLL.cbl", text)
    write(tmp_path / "crlf" / "PAYROLL.cbl", text, newline="\r\n")
    write(tmp_path / "crlf" / "copylib" / "EMPTY.cpy", "", newline="\r\n")
    lf, crlf = run(tmp_path / "lf"), run(tmp_path / "crlf")
    assert logical_tokens(crlf.lines) == logical_tokens(lf.lines)
    assert [ln.origin.line for ln in crlf.lines] == [ln.origin.line for ln in lf.lines]
    assert not any("\r" in ln.text for ln in crlf.lines)


def test_comments_debugging_lines_and_floating_comments(tmp_path: Path) -> None:
    write(tmp_path / "PAYROLL.cbl", program(
        "*    COMPUTE THE PAY",
        "/",
        "     COMPUTE WS-PAY = WS-HOURS * 2  *> DOUBLE TIME",
        "D    DISPLAY 'DEBUG: ' WS-PAY",
        "     >>D DISPLAY 'DEBUG TOO'",
        "     DISPLAY '*> NOT A COMMENT'",
        data=(" 01  WS-HOURS        PIC 9(3).", " 01  WS-PAY          PIC 9(5).")))
    tokens = logical_tokens(run(tmp_path).lines)
    assert "COMPUTE" in tokens and "DOUBLE" not in tokens and "*>" not in tokens
    assert "'DEBUG: '" not in tokens and "'DEBUG TOO'" not in tokens
    assert "'*> NOT A COMMENT'" in tokens


def test_debugging_lines_are_code_in_debugging_mode(tmp_path: Path) -> None:
    write(tmp_path / "PAYROLL.cbl", fixed(
        " IDENTIFICATION DIVISION.",
        " PROGRAM-ID. PAYROLL.",
        " ENVIRONMENT DIVISION.",
        " CONFIGURATION SECTION.",
        " SOURCE-COMPUTER. IBM-370 WITH DEBUGGING MODE.",
        " PROCEDURE DIVISION.",
        "D    DISPLAY 'FIXED D'",
        "     >>D DISPLAY 'FLOATING D'",
        "     GOBACK."))
    pre = run(tmp_path)
    debug = [(ln.indicator, ln.origin.line, ln.text.split()) for ln in pre.lines
             if ln.indicator == "D"]
    assert debug == [("D", 7, ["DISPLAY", "'FIXED", "D'"]),
                     ("D", 8, ["DISPLAY", "'FLOATING", "D'"])]


def test_continued_literal_runs_to_column_72(tmp_path: Path) -> None:
    write(tmp_path / "PAYROLL.cbl", program(
        "     DISPLAY 'HARBOR FEDERAL CARD SERVICES - DAILY PAYROLL RUN STA",
        "-    'RTED'",
        "     DISPLAY 'TOTAL",
        "-    'PAY'",
        "     MOVE WS-CUSTOMER-",
        "-        NAME TO WS-OUT",
        data=(" 01  WS-CUSTOMER-NAME PIC X(30).", " 01  WS-OUT PIC X(30).")))
    tokens = logical_tokens(run(tmp_path).lines)
    # an open literal runs to column 72: nothing is added where it ends there ...
    assert "'HARBOR FEDERAL CARD SERVICES - DAILY PAYROLL RUN STARTED'" in tokens
    # ... and the spaces up to column 72 are part of it where it ends earlier
    assert "'TOTAL" + " " * (72 - 25) + "PAY'" in tokens
    assert tokens[-6:-2] == ["MOVE", "WS-CUSTOMER-NAME", "TO", "WS-OUT"]


def test_source_format_free(tmp_path: Path) -> None:
    write(tmp_path / "copylib" / "FREEREC.cpy",
          "01 FREE-REC.\n   05 FREE-NAME PIC X(40). *> a floating comment\n")
    long_literal = "'" + "X" * 80 + "'"
    write(tmp_path / "PAYROLL.cbl", "\n".join([
        "       >>SOURCE FORMAT FREE",
        "IDENTIFICATION DIVISION.",
        "PROGRAM-ID. PAYROLL.",
        "*> a comment line",
        "DATA DIVISION.",
        "WORKING-STORAGE SECTION.",
        "COPY FREEREC.",
        f"01 WS-LONG PIC X(80) VALUE {long_literal}.",
        "PROCEDURE DIVISION.",
        "    DISPLAY WS-LONG *> trailing comment",
        "    GOBACK.",
    ]) + "\n")
    pre = run(tmp_path)
    assert pre.source_format == "free"
    tokens = logical_tokens(pre.lines)
    assert tokens[:3] == ["IDENTIFICATION", "DIVISION", "."]
    assert long_literal in tokens  # nothing cut at column 72
    assert "FREE-NAME" in tokens and "*>" not in tokens and "comment" not in tokens
    assert tokens[-4:] == ["DISPLAY", "WS-LONG", "GOBACK", "."]


def test_comment_entries_of_the_identification_division_are_dropped(tmp_path: Path) -> None:
    write(tmp_path / "PAYROLL.cbl", fixed(
        " IDENTIFICATION DIVISION.",
        " PROGRAM-ID. PAYROLL.",
        " AUTHOR. J O'BRIEN.",
        "     PAYROLL SYSTEMS GROUP",
        "* A COMMENT LINE INSIDE THE ENTRY",
        " REMARKS. COPY OF THE 1987 PAYROLL. REPLACE THE OLD ONE.",
        " DATE-WRITTEN. 03/11/1994.",
        " DATE-COMPILED.",
        " ENVIRONMENT DIVISION.",
        " DATA DIVISION.",
        " WORKING-STORAGE SECTION.",
        " 01  AUTHOR-NAME PIC X(30).",
        " PROCEDURE DIVISION.",
        "     GOBACK."))
    pre = run(tmp_path)
    assert pre.diagnostics == []  # neither COPY nor REPLACE was read in the free text
    assert logical_tokens(pre.lines)[:8] == [
        "IDENTIFICATION", "DIVISION", ".", "PROGRAM-ID", ".", "PAYROLL", ".", "ENVIRONMENT"]
    assert "AUTHOR-NAME" in logical_tokens(pre.lines)


# --- COPY ------------------------------------------------------------------------------------

TRANREC = fixed(
    "* USAGE: COPY TRANREC REPLACING ==:TAG:== BY ==XX==.",
    " 01  :TAG:-TRAN-REC.",
    "     05  :TAG:-TRAN-ACCT-NO       PIC 9(10).",
    "     05  :TAG:-TRAN-AMT           PIC 9(7)V99.",
    "     05  :TAG:-TRAN-CODE          PIC X(2).",
    "         88  :TAG:-TRAN-PURCHASE  VALUE 'PU'.",
    "     05  FILLER                   PIC X(11).",
    ident="TRANREC ")


def test_copy_replacing_tag_inside_words(tmp_path: Path) -> None:
    write(tmp_path / "copylib" / "TRANREC.cpy", TRANREC)
    write(tmp_path / "PAYROLL.cbl", program(
        "     MOVE TI-TRAN-REC TO WS-TRAN-REC",
        data=(" COPY TRANREC REPLACING ==:TAG:== BY ==TI==.",
              " copy tranrec replacing ==:TAG:== by ==WS==.")))
    pre = run(tmp_path)
    assert pre.diagnostics == []
    words = [t for t in logical_tokens(pre.lines) if "TRAN-" in t]
    assert words[:10] == [
        "TI-TRAN-REC", "TI-TRAN-ACCT-NO", "TI-TRAN-AMT", "TI-TRAN-CODE", "TI-TRAN-PURCHASE",
        "WS-TRAN-REC", "WS-TRAN-ACCT-NO", "WS-TRAN-AMT", "WS-TRAN-CODE", "WS-TRAN-PURCHASE"]
    assert not any(":TAG:" in ln.text for ln in pre.lines)
    assert [(c.name, c.replacing, c.path) for c in pre.copies] == [
        ("TRANREC", True, "copylib/TRANREC.cpy")] * 2


def test_copy_replacing_multi_token_pseudo_text(tmp_path: Path) -> None:
    write(tmp_path / "copylib" / "PAYCALC.cpy", fixed(
        "     MOVE WS-RATE TO WS-WORK-RATE",
        "     COMPUTE WS-PAY ROUNDED =",
        "         WS-HOURS * WS-WORK-RATE",
        "     PERFORM 9000-ROUND"))
    write(tmp_path / "PAYROLL.cbl", program(
        "     COPY PAYCALC REPLACING",
        "         ==MOVE WS-RATE TO WS-WORK-RATE==",
        "             BY ==MOVE WS-OT-RATE TO WS-WORK-RATE==",
        "         ==ROUNDED = WS-HOURS== BY ==ROUNDED = WS-OT-HOURS==",
        "         ==PERFORM 9000-ROUND== BY ====.",
        "     DISPLAY WS-PAY"))
    tokens = logical_tokens(run(tmp_path).lines)
    start = tokens.index("0000-MAIN") + 2
    assert tokens[start:] == [
        "MOVE", "WS-OT-RATE", "TO", "WS-WORK-RATE",
        "COMPUTE", "WS-PAY", "ROUNDED", "=", "WS-OT-HOURS", "*", "WS-WORK-RATE",
        "DISPLAY", "WS-PAY", "GOBACK", "."]


def test_copy_replacing_word_and_literal_operands(tmp_path: Path) -> None:
    write(tmp_path / "copylib" / "RATES.cpy", fixed(
        " 01  RATE-TABLE.",
        "     05  RATE-CODE     PIC X(3)  VALUE 'STD'.",
        "     05  RATE-CODE-X   PIC X(3)  VALUE 'std'.",
        "     05  RATE-PCT      PIC 9V999 VALUE 0.125."))
    write(tmp_path / "PAYROLL.cbl", program(
        data=(" COPY RATES REPLACING RATE-CODE BY PAY-CODE",
              "                      'STD' BY 'OVT'  0.125 BY 0.250.")))
    tokens = logical_tokens(run(tmp_path).lines)
    assert "PAY-CODE" in tokens and "RATE-CODE" not in tokens
    assert "RATE-CODE-X" in tokens  # a word operand matches whole words only
    assert "'OVT'" in tokens and "'std'" in tokens  # literals match exactly, case included
    assert "0.250" in tokens and "0.125" not in tokens


def test_copy_replacing_leading_and_trailing(tmp_path: Path) -> None:
    write(tmp_path / "copylib" / "EMPREC.cpy", fixed(
        " 01  EMP-RECORD.",
        "     05  EMP-NAME-IN   PIC X(30).",
        "     05  EMP-RATE-IN   PIC 9(3)V99.",
        "     05  DEPT-IN       PIC X(4)."))
    write(tmp_path / "PAYROLL.cbl", program(
        data=(" COPY EMPREC REPLACING LEADING ==EMP== BY ==PAY==",
              "                       TRAILING ==-IN== BY ==-OUT==.")))
    tokens = logical_tokens(run(tmp_path).lines)
    # a word is replaced once: the first operand that matches it wins (cobc does the same)
    names = [t for t in tokens if t.endswith(("RECORD", "-OUT", "-IN"))]
    assert names == ["PAY-RECORD", "PAY-NAME-IN", "PAY-RATE-IN", "DEPT-OUT"]


def test_pseudo_text_ending_in_a_period_matches_the_program_text(tmp_path: Path) -> None:
    """`==PIC X.==` must match `PIC X.` at the end of a data entry."""
    assert [(t.kind, t.text) for t in tokenize_line("==PIC X.==")] == [
        (TokenKind.PSEUDO, "=="), (TokenKind.WORD, "PIC"), (TokenKind.WORD, "X"),
        (TokenKind.SEPARATOR, "."), (TokenKind.PSEUDO, "==")]
    write(tmp_path / "copylib" / "FLAGS.cpy", fixed(
        "     05  FLAG-A       PIC X.",
        "     05  FLAG-B       PIC X."))
    write(tmp_path / "PAYROLL.cbl", program(
        data=(" 01  WS-FLAGS.",
              "     COPY FLAGS REPLACING ==PIC X.== BY ==PIC X(2).==.")))
    pre = run(tmp_path)
    assert [ln.text.split()[-2:] for ln in pre.lines if "FLAG-" in ln.text] == [
        ["PIC", "X(2)."], ["PIC", "X(2)."]]  # the picture string stays one word


def test_replacement_text_keeps_its_spacing(tmp_path: Path) -> None:
    write(tmp_path / "copylib" / "AMOUNTS.cpy", fixed(
        "     05  WS-GROSS     :AMT:.",
        "     05  WS-NET       :AMT:."))
    write(tmp_path / "PAYROLL.cbl", program(data=(
        " 01  WS-AMOUNTS.",
        "     COPY AMOUNTS REPLACING ==:AMT:== BY ==PIC S9(7)V99 COMP-3==.")))
    pre = run(tmp_path)
    assert [ln.text.split(None, 2)[2] for ln in pre.lines if ln.copy_depth] == [
        "PIC S9(7)V99 COMP-3.", "PIC S9(7)V99 COMP-3."]


def test_nested_copy(tmp_path: Path) -> None:
    write(tmp_path / "copylib" / "OUTER.cpy", fixed(
        " 01  :PFX:-MASTER.",
        "     COPY INNER.",
        "     05  :PFX:-STATUS     PIC X."))
    write(tmp_path / "copylib" / "INNER.cpy", fixed(
        "     05  :PFX:-KEY        PIC 9(10).",
        "     05  :PFX:-NAME       PIC X(30)."))
    write(tmp_path / "PAYROLL.cbl", program(data=(
        " COPY OUTER REPLACING ==:PFX:== BY ==AM==.",)))
    pre = run(tmp_path)
    body = [(ln.origin.file, ln.origin.line, ln.copy_depth, ln.text.split()[1])
            for ln in pre.lines if ln.copy_depth]
    assert body == [  # the outer REPLACING reaches the inner copybook too
        ("copylib/OUTER.cpy", 1, 1, "AM-MASTER."),
        ("copylib/INNER.cpy", 1, 2, "AM-KEY"),
        ("copylib/INNER.cpy", 2, 2, "AM-NAME"),
        ("copylib/OUTER.cpy", 3, 1, "AM-STATUS")]
    assert [(c.name, c.depth) for c in pre.copies] == [("OUTER", 1), ("INNER", 2)]


def test_copy_of_library(tmp_path: Path) -> None:
    write(tmp_path / "copylib" / "PAYLIB" / "TAXREC.cpy", fixed(" 01  TAX-REC PIC X(20)."))
    write(tmp_path / "PAYROLL.cbl", program(data=(" COPY TAXREC OF PAYLIB.",)))
    pre = run(tmp_path)
    assert pre.diagnostics == []
    assert pre.copies[0].path == "copylib/PAYLIB/TAXREC.cpy"
    assert "TAX-REC" in logical_tokens(pre.lines)


def test_copy_cycle_is_a_diagnostic(tmp_path: Path) -> None:
    write(tmp_path / "copylib" / "CYCLEA.cpy", fixed(
        "     05  A-FIELD      PIC X.",
        "     COPY CYCLEB."))
    write(tmp_path / "copylib" / "CYCLEB.cpy", fixed(
        "     05  B-FIELD      PIC X.",
        "     COPY CYCLEA."))
    write(tmp_path / "PAYROLL.cbl", program(
        "     DISPLAY A-FIELD",
        data=(" 01  WS-CYCLE.", "     COPY CYCLEA.")))
    done: list[Preprocessed] = []
    worker = threading.Thread(target=lambda: done.append(run(tmp_path)), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert done, "the preprocessor hangs on a COPY cycle"
    pre = done[0]
    assert codes(pre) == ["copy-cycle"]
    cycle = pre.diagnostics[0]
    assert (cycle.file, cycle.line) == ("copylib/CYCLEB.cpy", 2)
    assert "CYCLEA" in cycle.message
    tokens = logical_tokens(pre.lines)
    assert tokens.count("A-FIELD") == 2 and tokens.count("B-FIELD") == 1
    assert tokens[-4:] == ["DISPLAY", "A-FIELD", "GOBACK", "."]


def test_missing_copybook_is_a_diagnostic_and_the_rest_comes_out(tmp_path: Path) -> None:
    write(tmp_path / "PAYROLL.cbl", program(
        "     MOVE 1 TO WS-AFTER",
        data=(" 01  WS-BEFORE        PIC X.",
              " COPY NOSUCH.",
              " 01  WS-AFTER         PIC X.")))
    pre = run(tmp_path)
    assert codes(pre) == ["copybook-missing"]
    missing = pre.diagnostics[0]
    assert "NOSUCH" in missing.message and (missing.file, missing.line) == ("PAYROLL.cbl", 6)
    tokens = logical_tokens(pre.lines)
    assert "NOSUCH" not in tokens and "COPY" not in tokens
    assert tokens.index("WS-BEFORE") < tokens.index("WS-AFTER") < tokens.index("PROCEDURE")
    assert tokens[-6:] == ["MOVE", "1", "TO", "WS-AFTER", "GOBACK", "."]
    assert pre.copies[0].path is None
    assert "(searched copylib)" in missing.message


def test_a_missing_copybook_names_a_few_of_many_search_folders(tmp_path: Path) -> None:
    """An estate with a copybook folder per application: the diagnostic names five and counts
    the rest (it is repeated for every program the copybook blocks)."""
    write(tmp_path / "PAYROLL.cbl", program(data=(" COPY NOSUCH.",)))
    folders = [tmp_path / f"app{n:03d}" / "copy" for n in range(40)]
    pre = Preprocessor(tmp_path, CopybookResolver(tmp_path, folders)).run(
        tmp_path / "PAYROLL.cbl")
    message = pre.diagnostics[0].message
    assert "(searched app000/copy, app001/copy, app002/copy, app003/copy, app004/copy and 35 " \
           "more folders)" in message


# --- REPLACE ---------------------------------------------------------------------------------


def test_replace_until_replace_off(tmp_path: Path) -> None:
    write(tmp_path / "PAYROLL.cbl", program(
        "     REPLACE ==WS-RATE== BY ==WS-OT-RATE==",
        "             ==ADD 1 TO== BY ==ADD 2 TO==.",
        "     DISPLAY WS-RATE",
        "     ADD 1 TO WS-COUNT",
        "     REPLACE OFF.",
        "     DISPLAY WS-RATE",
        "     ADD 1 TO WS-COUNT",
        data=(" 01  WS-RATE PIC 9.", " 01  WS-OT-RATE PIC 9.", " 01  WS-COUNT PIC 9.")))
    tokens = logical_tokens(run(tmp_path).lines)
    start = tokens.index("0000-MAIN") + 2
    assert tokens[start:] == [
        "DISPLAY", "WS-OT-RATE", "ADD", "2", "TO", "WS-COUNT",
        "DISPLAY", "WS-RATE", "ADD", "1", "TO", "WS-COUNT", "GOBACK", "."]
    assert tokens.count("WS-RATE") == 2  # the data division stands before the REPLACE


# --- source map ------------------------------------------------------------------------------


def test_source_map_points_at_the_original_lines(tmp_path: Path) -> None:
    """Every token of every output line stands at that column of the line its origin names."""
    write(tmp_path / "copylib" / "ACCTREC.cpy", fixed(
        "* ACCOUNT MASTER",
        " 01  ACCT-REC.",
        "     05  ACCT-ID          PIC X(10).",
        "",
        "     COPY ACCTBAL.",
        "     05  ACCT-STATUS      PIC X.     *> O OPEN, C CLOSED",
        "         88  ACCT-OPEN    VALUE 'O'."), newline="\r\n")
    write(tmp_path / "copylib" / "ACCTBAL.cpy", fixed(
        "     05  ACCT-BAL         PIC S9(9)V99 COMP-3."))
    write(tmp_path / "PAYROLL.cbl", fixed(
        " IDENTIFICATION DIVISION.",
        " PROGRAM-ID. PAYROLL.",
        " AUTHOR. PAYROLL TEAM.",
        " ENVIRONMENT DIVISION.",
        " CONFIGURATION SECTION.",
        " SOURCE-COMPUTER. IBM-370 WITH DEBUGGING MODE.",
        " DATA DIVISION.",
        " WORKING-STORAGE SECTION.",
        " 01  WS-MSG PIC X(60) VALUE 'ACCOUNT STATUS REPORT FOR THE MONTHL",
        "-    'Y RUN'.",
        "*----------------------------------------------------------------",
        " COPY ACCTREC.  01  WS-AFTER-COPY PIC X.",
        " PROCEDURE DIVISION.",
        " 0000-MAIN.",
        "D    DISPLAY 'ACCT: ' ACCT-ID",
        "     IF ACCT-OPEN DISPLAY WS-MSG END-IF    *> ONLY OPEN ONES",
        "     GOBACK."))
    pre = run(tmp_path)
    assert pre.diagnostics == []
    files = {ln.origin.file for ln in pre.lines}
    assert files == {"PAYROLL.cbl", "copylib/ACCTREC.cpy", "copylib/ACCTBAL.cpy"}
    checked = 0
    for line in pre.lines:
        raw = (tmp_path / line.origin.file).read_bytes().decode().splitlines()[
            line.origin.line - 1]
        area = raw[7:72]
        for tok in tokenize_line(line.text):
            assert area[tok.start:tok.end] == tok.text, (line, raw)
            checked += 1
    assert checked > 60
    by_text = {tok: ln.origin for ln in pre.lines for tok in ln.text.split()}
    assert (by_text["ACCT-BAL"].file, by_text["ACCT-BAL"].line) == ("copylib/ACCTBAL.cpy", 1)
    assert by_text["WS-AFTER-COPY"].line == 12 and by_text["'Y"].line == 10


# --- what real estates showed (issue 10), checked against cobc -E where cobc reads it -------

COBC = require_tool("cobc")
needs_cobc = pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")


def cobc_tokens(root: Path, name: str, *options: str) -> list[str]:
    """The tokens of ``cobc -E`` run from ``root`` (``,`` and ``;`` left out, as cobc writes
    them as spaces)."""
    assert COBC is not None
    done = subprocess.run([COBC, "-E", *options, name], cwd=root, capture_output=True,
                          check=True, env={**os.environ, "LC_ALL": "C"})
    return [t.text for line in done.stdout.decode("latin-1").split("\n")
            if not line.startswith("#") for t in tokenize_line(line) if t.text not in ",;"]


def our_tokens(pre: Preprocessed) -> list[str]:
    return [t for t in logical_tokens(pre.lines) if t not in (",", ";")]


# a literal whose closing quote stands in column 72: the continuation line goes on with a
# quote, so that quote was the first of a doubled one
DOUBLED_AT_72 = "     DISPLAY 'ENDS AT 72: ''QUOTED'' IN THE LITERAL".ljust(65) + "'"


def test_a_literal_continued_twice_keeps_the_spaces_of_every_line(tmp_path: Path) -> None:
    write(tmp_path / "PAYROLL.cbl", program(
        "     DISPLAY 'FIRST PART   ",
        "-    'SECOND PART      ",
        "-    'THIRD'",
        DOUBLED_AT_72,
        "-    '' AND MORE'"))
    tokens = logical_tokens(run(tmp_path).lines)
    # each continued line runs to column 72: from column 19 and from column 13
    assert "'FIRST PART" + " " * (72 - 30) + "SECOND PART" + " " * (72 - 23) + "THIRD'" \
        in tokens
    # the closing quote in column 72 was the first of a doubled quote
    assert "'ENDS AT 72: ''QUOTED'' IN THE LITERAL" + " " * 14 + "'' AND MORE'" in tokens


@needs_cobc
def test_continued_literals_as_cobc_reads_them(tmp_path: Path) -> None:
    write(tmp_path / "PAYROLL.cbl", program(
        "     DISPLAY 'FIRST PART   ",
        "-    'SECOND PART      ",
        "-    'THIRD'",
        "     DISPLAY 'SHORT",
        "-    'LINE'",
        DOUBLED_AT_72,
        "-    '' AND MORE'"))
    assert our_tokens(run(tmp_path)) == cobc_tokens(tmp_path, "PAYROLL.cbl")


@needs_cobc
def test_pseudo_text_with_a_period_replaces_only_before_a_period(tmp_path: Path) -> None:
    """`REPLACING ==COUNT.== BY ==COUNT IN REC.==`: the period is part of the pattern (the
    COPY statement's own period ends it), so `05 COUNT PIC 9.` is left alone."""
    write(tmp_path / "copylib" / "DETAILS.cpy", fixed(
        "     05  DET-COUNT     PIC 9(4).",
        "     05  DET-LINE OCCURS 1 TO 9 DEPENDING ON",
        "         DET-COUNT.",
        "         10  DET-X     PIC X."))
    write(tmp_path / "PAYROLL.cbl", program(data=(
        " 01  WS-REC.",
        "     COPY DETAILS REPLACING ==DET-COUNT.==",
        "          BY ==DET-COUNT IN WS-REC.==.")))
    pre = run(tmp_path)
    texts = [" ".join(ln.text.split()) for ln in pre.lines if "DET-COUNT" in ln.text]
    assert texts == ["05 DET-COUNT PIC 9(4).", "DET-COUNT IN WS-REC."]
    assert our_tokens(pre) == cobc_tokens(tmp_path, "PAYROLL.cbl", "-I", "copylib")


@needs_cobc
def test_a_copybook_folder_wins_over_a_program_beside_the_program(tmp_path: Path) -> None:
    """COPY INQCUST where the program INQCUST.cbl stands beside the program and the copybook
    INQCUST.cpy in the copybook folder: cobc (run from the estate, -I the copybook folder)
    takes the copybook, and so do we."""
    write(tmp_path / "src" / "INQCUST.cbl", fixed(
        " IDENTIFICATION DIVISION.", " PROGRAM-ID. INQCUST.", " PROCEDURE DIVISION.",
        "     GOBACK."))
    write(tmp_path / "copylib" / "INQCUST.cpy", fixed(" 01  INQCUST-AREA PIC X(8)."))
    write(tmp_path / "src" / "PAYROLL.cbl", program(data=("     COPY INQCUST.",)))
    pre = run(tmp_path, "src/PAYROLL.cbl")
    assert [c.path for c in pre.copies] == ["copylib/INQCUST.cpy"]
    assert not pre.diagnostics
    assert our_tokens(pre) == cobc_tokens(tmp_path, "src/PAYROLL.cbl", "-I", "copylib")


@needs_cobc
def test_process_lines_are_dropped_and_cbl_lines_kept_as_cobc_does(tmp_path: Path) -> None:
    write(tmp_path / "PAYROLL.cbl", fixed(
        " PROCESS CICS,NODYNAM", " IDENTIFICATION DIVISION.", " PROGRAM-ID. PAYROLL.",
        " PROCEDURE DIVISION.", "     DISPLAY 'PROCESS'.", "     GOBACK."))
    pre = run(tmp_path)
    assert our_tokens(pre)[:2] == ["IDENTIFICATION", "DIVISION"]
    assert our_tokens(pre) == cobc_tokens(tmp_path, "PAYROLL.cbl")
    write(tmp_path / "CBLPROG.cbl", fixed(" CBL CICS('SP,EDF')", " IDENTIFICATION DIVISION.",
                                          " PROGRAM-ID. CBLPROG.", " PROCEDURE DIVISION.",
                                          "     GOBACK."))
    pre = run(tmp_path, "CBLPROG.cbl")
    assert our_tokens(pre)[:2] == ["CBL", "CICS"]
    assert our_tokens(pre) == cobc_tokens(tmp_path, "CBLPROG.cbl")


@needs_cobc
def test_a_commented_out_debugging_mode_leaves_debugging_lines_out(tmp_path: Path) -> None:
    write(tmp_path / "PAYROLL.cbl", fixed(
        " IDENTIFICATION DIVISION.",
        " PROGRAM-ID. PAYROLL.",
        " ENVIRONMENT DIVISION.",
        " CONFIGURATION SECTION.",
        "* SOURCE-COMPUTER. IBM-370 WITH DEBUGGING MODE.",
        " PROCEDURE DIVISION.",
        "D    DISPLAY 'DEBUG ' 'OPEN",
        "     GOBACK."))
    pre = run(tmp_path)
    assert not any(ln.indicator == "D" for ln in pre.lines)
    assert our_tokens(pre) == cobc_tokens(tmp_path, "PAYROLL.cbl")


def test_relational_operators_are_tokens_of_their_own() -> None:
    assert [t.text for t in tokenize_line("UNTIL X='Y' OR A>=B OR C<>D OR E<F")] == [
        "UNTIL", "X", "=", "'Y'", "OR", "A", ">=", "B", "OR", "C", "<>", "D", "OR", "E", "<",
        "F"]
    assert [(t.kind, t.text) for t in tokenize_line("IF A=X'41'")][2:] == [
        (TokenKind.WORD, "="), (TokenKind.LITERAL, "X'41'")]
    assert [t.text for t in tokenize_line("==A== BY ==B==")] == ["==", "A", "==", "BY", "==",
                                                                  "B", "=="]


def test_copybook_extensions_add_to_the_defaults() -> None:
    assert ".dcl" in COPYBOOK_EXTENSIONS and ".DCL" in COPYBOOK_EXTENSIONS
    assert copybook_extensions() == COPYBOOK_EXTENSIONS
    assert copybook_extensions(["inc", ".Mac"])[-5:] == (".inc", ".INC", ".Mac", ".mac", ".MAC")
    with pytest.raises(CopybookExtensionError):
        copybook_extensions([".x/../y"])


def _resolve_by_stat(dirs: list[Path], near: Path, name: str, library: str | None) -> Path | None:
    """The resolution rule asked of the file system name by name: library folders first, then
    the search folders in order, then the program's folder; in each, the name as written,
    upper, lower case, each with every extension in order."""
    plain = dirs + ([near] if near not in dirs else [])
    folders: list[Path] = []
    if library:
        for d in plain:
            folders += [d / library, d / library.lower(), d / library.upper()]
        folders += [d for d in plain if d.name.upper() == library.upper()]
    for d in folders + plain:
        for base in dict.fromkeys((name, name.upper(), name.lower())):
            for ext in COPYBOOK_EXTENSIONS:
                if (d / f"{base}{ext}").is_file():
                    return d / f"{base}{ext}"
    return None


def test_copybooks_resolve_from_folder_listings_as_file_by_file(tmp_path: Path) -> None:
    """The resolver reads each folder's listing once instead of a stat per folder and name
    (which grew with the square of an estate with a copybook folder per application): it
    finds what asking the file system name by name finds, for names in several folders, in
    other letter cases, in a library sub-folder, below a folder, beside the program only, and
    where a folder (not a file) has the copybook's name."""
    files = ["app1/copy/ACCTREC.cpy", "app2/copy/ACCTREC.cpy", "app2/copy/custrec.cpy",
             "app1/copy/CUSTREC.CPY", "app2/copy/DATES", "app1/copy/COPYLIB/DATEWRK.cpy",
             "app2/copy/copylib/TIMEWRK.cpy", "app2/copy/sub/NESTED.cpy",
             "app1/src/LOCAL.cpy", "app1/src/ACCTREC.cpy"]
    for rel in files:
        write(tmp_path / rel, fixed(" 01  X PIC X."))
    (tmp_path / "app1/copy/FOLDER.cpy").mkdir()
    write(tmp_path / "app2/copy/FOLDER.cbl", fixed(" 01  X PIC X."))
    dirs = [tmp_path / "app1/copy", tmp_path / "app2/copy"]
    near = tmp_path / "app1/src"
    resolver = CopybookResolver(tmp_path, dirs)
    asked = [("ACCTREC", None), ("custrec", None), ("CustRec", None), ("DATES", None),
             ("DATEWRK", "COPYLIB"), ("TIMEWRK", "COPYLIB"), ("sub/NESTED", None),
             ("LOCAL", None), ("FOLDER", None), ("NOWHERE", None), ("NOWHERE", "COPYLIB")]
    found = {(name, lib): resolver.resolve(name, lib, near=near) for name, lib in asked}
    assert found == {(name, lib): _resolve_by_stat(dirs, near, name, lib)
                     for name, lib in asked}
    rel = {key: path.relative_to(tmp_path).as_posix() if path else None
           for key, path in found.items()}
    assert rel == {
        ("ACCTREC", None): "app1/copy/ACCTREC.cpy",  # the first folder wins
        ("custrec", None): "app1/copy/CUSTREC.CPY",  # ... whatever case it holds
        ("CustRec", None): "app1/copy/CUSTREC.CPY",
        ("DATES", None): "app2/copy/DATES",
        ("DATEWRK", "COPYLIB"): "app1/copy/COPYLIB/DATEWRK.cpy",
        ("TIMEWRK", "COPYLIB"): "app2/copy/copylib/TIMEWRK.cpy",
        ("sub/NESTED", None): "app2/copy/sub/NESTED.cpy",
        ("LOCAL", None): "app1/src/LOCAL.cpy",
        ("FOLDER", None): "app2/copy/FOLDER.cbl",  # not the folder named FOLDER.cpy
        ("NOWHERE", None): None, ("NOWHERE", "COPYLIB"): None}
    # COPY ... OF a library: its sub-folders under the search folders, then under the
    # program's folder, then the folders named like it (a search folder, then the program's);
    # the search folders' part is kept between programs, the program's own is not
    for rel in ("app3/MACLIB/MACWRK.cpy", "app1/src/maclib/MACWRK.cpy", "app2/src/ONLY.cpy",
                "app2/src/MACLIB/ONLY.cpy", "app3/MACLIB/ONLY.cpy", "app1/copy/ONLY.cpy"):
        write(tmp_path / rel, fixed(" 01  X PIC X."))
    dirs.append(tmp_path / "app3/MACLIB")
    resolver = CopybookResolver(tmp_path, dirs)
    other = tmp_path / "app2/src"
    for folder in (near, other, near, dirs[-1], other):  # the last but one: a search folder
        for name in ("MACWRK", "ONLY", "DATEWRK", "NOWHERE"):
            assert resolver.resolve(name, "MACLIB", near=folder) == \
                _resolve_by_stat(dirs, folder, name, "MACLIB"), (folder, name)
    assert resolver.resolve("MACWRK", "MACLIB", near=near) == \
        tmp_path / "app1/src/maclib/MACWRK.cpy"  # below the program's folder: before app3
    assert resolver.resolve("MACWRK", "MACLIB", near=other) == tmp_path / "app3/MACLIB/MACWRK.cpy"
    assert resolver.resolve("ONLY", "MACLIB", near=other) == tmp_path / "app2/src/MACLIB/ONLY.cpy"
    assert resolver.resolve("ONLY", "MACLIB", near=dirs[-1]) == tmp_path / "app3/MACLIB/ONLY.cpy"
    assert resolver.resolve("ONLY", None, near=dirs[-1]) == tmp_path / "app1/copy/ONLY.cpy"
    # an analysis sees the folders as they were listed when it started; the next one (a new
    # resolver) sees a copybook added since
    write(tmp_path / "app2/copy/LATE.cpy", fixed(" 01  X PIC X."))
    assert resolver.resolve("LATE", None, near=near) is None
    assert CopybookResolver(tmp_path, dirs).resolve("LATE", None, near=near) is not None


def test_only_spaces_and_tabs_separate_words() -> None:
    """Other blanks (a carriage return left in a line, a no-break space, a form feed) are part
    of the word they touch, at its start as anywhere else: the tokenizer does not drop them."""
    for text, words in ((" \rAB C", ["\rAB", "C"]), (" \xa0X Y.", ["\xa0X", "Y", "."]),
                        ("MOVE\xa0X\tTO\x0cY", ["MOVE\xa0X", "TO\x0cY"])):
        assert [t.text for t in tokenize_line(text)] == words, text


def test_plain_lines_are_split_as_the_pattern_splits_them() -> None:
    """A line with no quote, parenthesis, operator, comma or semicolon skips the tokenizer's
    pattern: what it gets must be what the pattern gives."""
    from modernize.analysis.cobol import tokens

    def by_pattern(text: str) -> list[tuple[str, str, int, int]]:
        kinds = {"lit": "literal", "pseudo": "pseudo", "sep": "separator"}
        return [(kinds.get(m.lastgroup or "", "word"), m.group(), *m.span())
                for m in tokens._TOKEN.finditer(text)]

    for text in ("           MOVE WS-A TO WS-B.", "       0000-MAIN.", "A.. .", ". .5",
                 "X.\tY.", "..", "1.5.", "\t.", "A .", "A.B.C.", "", "   ", " \rAB C.",
                 "       01  WS-RATE PIC S9V99 COMP-3 VALUE +1.25.", "END-IF."):
        assert tokens._SPECIAL.search(text) is None
        got = [(t.kind.value, t.text, t.start, t.end) for t in tokenize_line(text)]
        assert got == by_pattern(text), text


# --- the short paths of the preprocessor ----------------------------------------------------

def test_a_word_is_found_in_upper_case_where_the_case_blind_pattern_finds_it() -> None:
    """COPY, INCLUDE and REPLACE are looked for in an ASCII text put in upper case, the word
    first; anywhere, the places found are those of the case-blind pattern with the
    look-behind first (random texts of the word's pieces, hyphens, underscores, non-ASCII)."""
    import random

    from modernize.analysis.cobol.preprocess import _COPY_WORD, _INCLUDE_WORD, _REPLACE_WORD

    pieces = ["COPY", "copy", "CoPy", "INCLUDE", "include", "REPLACE", "Replace", "-", "_",
              "A", "1", " ", "\n", ".", "é", "ſ", "K", "\u212a"]
    rnd = random.Random(7)
    for _ in range(6000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 10)))
        for word in (_COPY_WORD, _INCLUDE_WORD, _REPLACE_WORD):
            assert word.starts(text) == [m.start() for m in word.any_case.finditer(text)], text


def _tokens_near_line_by_line(lines, words):  # noqa: ANN001, ANN202 - the rule, as it was
    """The statement tokens as the preprocessor found them before it searched the lines as
    one text: each line tried in turn."""
    tokens, index, count, covered = [], 0, len(lines), 0
    while index < count:
        if not any(word.any_case.search(lines[index].text) for word in words):
            index += 1
            continue
        index = max(index - 2, covered)
        in_pseudo = ended = False
        while index < count and not ended:
            for token in tokenize_line(lines[index].text, index):
                tokens.append(token)
                if token.kind is TokenKind.PSEUDO:
                    in_pseudo = not in_pseudo
                elif token.text == "." and token.kind is TokenKind.SEPARATOR and not in_pseudo:
                    ended = True
            index += 1
        covered = index
    return tokens


def test_copy_statements_are_found_as_line_by_line() -> None:
    """Random programs of COPY, EXEC SQL INCLUDE, pseudo-text and periods: the tokens the
    statement finders get are those the line-by-line search gave."""
    import random

    from modernize.analysis.cobol.preprocess import (
        _COPY_WORD,
        _INCLUDE_WORD,
        Origin,
        SourceLine,
        _tokens_near,
    )

    shapes = ["COPY ACCTREC.", "copy acctrec", "REPLACING ==A== BY ==B==.", "EXEC SQL",
              "INCLUDE SQLCA", "END-EXEC.", "MOVE A TO B.", "01 COPY-CNT PIC 9.", ".", "",
              "==X.==", "DISPLAY 'COPY'.", "COPY X. COPY Y."]
    rnd = random.Random(11)
    for _ in range(1500):
        lines = [SourceLine(" ".join(rnd.choice(shapes) for _ in range(rnd.randint(0, 3))),
                            Origin("P.cbl", n + 1)) for n in range(rnd.randint(0, 12))]
        words = (_COPY_WORD, _INCLUDE_WORD)
        assert _tokens_near(lines, words) == _tokens_near_line_by_line(lines, words), \
            [line.text for line in lines]


def test_a_copybook_read_once_tells_every_program_what_is_wrong_with_it(tmp_path: Path) -> None:
    """A copybook's lines are remembered between the programs that copy it: each program
    still gets the copybook's diagnostics, with the copybook's file and line."""
    write(tmp_path / "copylib" / "BADIND.cpy", fixed("X    05  A PIC X.", ident=""))
    for name in ("PAYROLL", "LEDGER"):
        write(tmp_path / f"{name}.cbl", program(data=(" 01 REC.", "     COPY BADIND.")))
    for name in ("PAYROLL", "LEDGER", "PAYROLL"):
        pre = run(tmp_path, f"{name}.cbl")
        found = [(d.code, d.file, d.line) for d in pre.diagnostics]
        assert found == [("bad-indicator", "copylib/BADIND.cpy", 1)], name
        assert [line.copy_depth for line in pre.lines if "PIC X" in line.text] == [1]


def test_an_open_literal_at_the_end_of_a_line_is_found_as_the_tokenizer_finds_it() -> None:
    """Whether a line ends inside a literal (continued on the next line) is read from its
    quotes alone: the answer is the tokenizer's (random lines of quotes, doubled quotes,
    prefixes and separators)."""
    import random

    from modernize.analysis.cobol.preprocess import _ends_in_open_literal

    def by_tokens(text: str) -> bool:
        found = tokenize_line(text)
        return bool(found) and found[-1].kind is TokenKind.LITERAL and found[-1].unterminated

    pieces = ["'", '"', "''", '""', "X", "N", "A", " ", ".", "=", "==", "(", "\u00e9", "\t", ","]
    rnd = random.Random(4)
    for _ in range(20000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 10)))
        assert _ends_in_open_literal(text) == by_tokens(text), repr(text)


def test_declarative_markers_are_dropped_as_before() -> None:
    """The statement parser's tokens lose DECLARATIVES., END DECLARATIVES. and END PROGRAM
    name., nothing else (AT END stays): random token runs against the rule as written
    first, three texts compared at each token."""
    import random

    from modernize.analysis.cobol.statements import _drop_declarative_markers, _Tok

    def as_before(tokens: list[_Tok]) -> list[_Tok]:
        out, i = [], 0
        while i < len(tokens):
            texts = [t.text for t in tokens[i:i + 3]]
            if texts[:2] == ["DECLARATIVES", "."]:
                i += 2
            elif texts[:3] == ["END", "DECLARATIVES", "."]:
                i += 3
            elif texts[:2] == ["END", "PROGRAM"]:
                while i < len(tokens) and tokens[i].text != ".":
                    i += 1
                i += 1
            else:
                out.append(tokens[i])
                i += 1
        return out

    words = ["DECLARATIVES", "END", "PROGRAM", ".", "AT", "READ", "X"]
    rnd = random.Random(9)
    for _ in range(5000):
        tokens = [_Tok(rnd.choice(words), n) for n in range(rnd.randint(0, 9))]
        assert _drop_declarative_markers(tokens) == as_before(tokens), [t.text for t in tokens]


def test_a_line_seen_lately_gives_the_same_tokens_in_a_list_of_its_own(monkeypatch) -> None:
    """tokenize_line remembers the lines it has seen lately (an estate repeats its
    copybooks' lines): the second time gives the same tokens without tokenizing, in a new
    list the caller may change; the memory is two generations of a bounded size, and a line
    in use is kept from one to the next."""
    from modernize.analysis.cobol import tokens

    monkeypatch.setattr(tokens, "_SEEN_LINES", {})
    monkeypatch.setattr(tokens, "_OLDER_LINES", {})
    monkeypatch.setattr(tokens, "_SEEN_LINES_LIMIT", 3)
    worked_out: list[str] = []
    real = tokens._tokens_of

    def counted(text: str, line: int) -> list:
        worked_out.append(text)
        return real(text, line)

    monkeypatch.setattr(tokens, "_tokens_of", counted)
    line = "           MOVE 'A B' TO WS-X(1)."
    first = tokenize_line(line, 4)
    first.append(first[0])  # the caller's own list
    again = tokenize_line(line, 4)
    assert again == real(line, 4) and again is not first and worked_out == [line]
    assert [t.line for t in tokenize_line(line, 5)] == [5] * len(again)  # the row counts
    for text in ("A.", "B.", "C.", "D.", "E."):  # two new generations: the line goes on
        tokenize_line(text)
        assert tokenize_line(line, 4) == again
    assert worked_out == [line, line, "A.", "B.", "C.", "D.", "E."]
    assert len(tokens._SEEN_LINES) <= 3 and len(tokens._OLDER_LINES) <= 3
    for text in ("F.", "G.", "H.", "I.", "J.", "K."):  # not used for two generations: gone
        tokenize_line(text)
    tokenize_line(line, 4)
    assert worked_out[-1] == line


def test_a_token_keeps_its_text_as_cobol_compares_it() -> None:
    """``upper`` is a word in upper case and a literal as written, on both of the
    tokenizer's paths (random lines of words, literals, separators and operators)."""
    import random

    from modernize.analysis.cobol import tokens

    pieces = ["move", "Ws-A", " ", "'abc'", '"x y"', "x'4f'", ".", ",", "(", ")", "=", ">=",
              "to", "ſ", "\u212a", "1.5", "==", "\t"]
    rnd = random.Random(7)
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 8)))
        for tok in tokens._tokens_of(text, 0):
            assert tok.upper == (tok.text if tok.kind is TokenKind.LITERAL
                                 else tok.text.upper()), (text, tok)
