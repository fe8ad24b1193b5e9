"""The statement tree (``Program.bodies``): nesting by COBOL's scope rules."""

from __future__ import annotations

from pathlib import Path

from modernize.analysis.analyze import analyze_repo
from modernize.core.model import Program, Statement

SOURCE = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. NESTING.
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT IN-FILE ASSIGN TO INFILE
                  ORGANIZATION IS LINE SEQUENTIAL.
       DATA DIVISION.
       FILE SECTION.
       FD  IN-FILE.
       01  IN-REC                  PIC X(10).
       WORKING-STORAGE SECTION.
       01  WS-A                    PIC 9(3) VALUE 0.
       01  WS-B                    PIC 9(3) VALUE 0.
       01  END-OF-FILE             PIC X VALUE 'N'.
           88  AT-EOF              VALUE 'Y'.
       PROCEDURE DIVISION.
       MAIN-PARA.
           IF WS-A = 1
               IF WS-B = 2
                   MOVE 1 TO WS-A
               ELSE
                   MOVE 2 TO WS-A
           ELSE
               MOVE 3 TO WS-A.
           READ IN-FILE
               AT END SET AT-EOF TO TRUE
               NOT AT END
                   ADD 1 TO WS-A
                       ON SIZE ERROR MOVE 0 TO WS-A
                   END-ADD
                   MOVE END-OF-FILE TO IN-REC
           END-READ
           EVALUATE TRUE
               WHEN WS-A = 1
               WHEN WS-A = 2
                   MOVE 5 TO WS-B
               WHEN OTHER
                   CONTINUE
           END-EVALUATE
           PERFORM VARYING WS-A FROM 1 BY 1 UNTIL WS-A > 3
               IF WS-B > 1 NEXT SENTENCE END-IF
               ADD 1 TO WS-B
           END-PERFORM
           PERFORM NEXT-PARA THRU NEXT-PARA-EXIT
           STOP RUN.
       NEXT-PARA.
           EXIT PERFORM
           GO TO NEXT-PARA-EXIT.
       NEXT-PARA-EXIT.
           EXIT.
"""


def _program(tmp_path: Path) -> Program:
    (tmp_path / "NESTING.cbl").write_text(SOURCE)
    estate = analyze_repo(tmp_path)
    program = estate.program("NESTING")
    assert program is not None
    return program


def _shape(statements: tuple[Statement, ...]) -> list:
    return [(s.verb, [(b.phrase, _shape(b.statements)) for b in s.branches])
            if s.branches else s.verb for s in statements]


def test_nesting_follows_cobol_scope_rules(tmp_path: Path) -> None:
    program = _program(tmp_path)
    bodies = {b.procedure: b for b in program.bodies}
    assert list(bodies) == ["MAIN-PARA", "NEXT-PARA", "NEXT-PARA-EXIT"]
    first, second = bodies["MAIN-PARA"].sentences
    # ELSE pairs with the innermost IF; the period closes both
    assert _shape(first.statements) == [
        ("IF", [("THEN", [("IF", [("THEN", ["MOVE"]), ("ELSE", ["MOVE"])])]),
                ("ELSE", ["MOVE"])])]
    read, evaluate, perform, perform_thru, stop = second.statements
    # a data name starting END- is not a scope terminator; END-ADD closes only the ADD
    assert _shape((read,)) == [("READ", [
        ("AT END", ["SET"]),
        ("NOT AT END", [("ADD", [("ON SIZE ERROR", ["MOVE"])]), "MOVE"])])]
    assert read.branches[1].statements[1].operands == ("END-OF-FILE", "TO", "IN-REC")
    # stacked WHENs: an empty WHEN shares the statements of the next one
    assert [(b.phrase, b.operands, len(b.statements)) for b in evaluate.branches] == [
        ("WHEN", ("WS-A", "=", "1"), 0), ("WHEN", ("WS-A", "=", "2"), 1),
        ("WHEN OTHER", (), 1)]
    assert perform.operands[:2] == ("VARYING", "WS-A")
    assert _shape(perform.branches[0].statements) == [
        ("IF", [("THEN", ["NEXT SENTENCE"])]), "ADD"]
    assert perform_thru.operands == ("NEXT-PARA", "THRU", "NEXT-PARA-EXIT")
    assert not perform_thru.branches  # out of line: no body
    assert (stop.verb, stop.operands) == ("STOP", ("RUN",))
    assert [(s.verb, s.operands) for s in bodies["NEXT-PARA"].sentences[0].statements] == [
        ("EXIT", ("PERFORM",)), ("GO", ("TO", "NEXT-PARA-EXIT"))]
    assert not [d for d in program.diagnostics if d.code == "statement-syntax"]


def test_statements_carry_their_lines(tmp_path: Path) -> None:
    program = _program(tmp_path)
    body = next(b for b in program.bodies if b.procedure == "MAIN-PARA")
    read = body.sentences[1].statements[0]
    assert (read.file, read.line, read.end_line) == ("NESTING.cbl", 26, 33)


def test_stray_words_are_reported_once(tmp_path: Path) -> None:
    # an ELSE with no IF open: skipped up to the next verb, reported with its line
    (tmp_path / "STRAY.cbl").write_text(SOURCE.replace("PROGRAM-ID. NESTING.",
                                                       "PROGRAM-ID. STRAY.").replace(
        "           EXIT PERFORM\n", "           EXIT PERFORM ELSE WHATEVER\n"))
    program = analyze_repo(tmp_path).program("STRAY")
    assert program is not None
    found = [d for d in program.diagnostics if d.code == "statement-syntax"]
    assert len(found) == 1, found
    assert "ELSE WHATEVER" in found[0].message and found[0].line == 48
    body = next(b for b in program.bodies if b.procedure == "NEXT-PARA")
    # kept in the tree, so that a translation reports it instead of dropping it
    assert [(s.verb, s.operands) for s in body.sentences[0].statements] == [
        ("EXIT", ("PERFORM",)), ("UNPARSED", ("ELSE", "WHATEVER")),
        ("GO", ("TO", "NEXT-PARA-EXIT"))]
    from modernize.translate import translate_program
    missing = [u for u in translate_program(program).unsupported if u.construct == "UNPARSED"]
    assert [(u.line, u.reason) for u in missing] == [
        (48, "words the parser could not read as a statement: 'ELSE WHATEVER'")]


def test_the_statement_tree_keeps_what_the_grammar_is_spared(tmp_path: Path) -> None:
    """The parser view blanks a function's reference modification for the grammar; the
    statement tree still has it, and glued operators come out as tokens of their own."""
    (tmp_path / "REFMOD.cbl").write_text(
        "       IDENTIFICATION DIVISION.\n"
        "       PROGRAM-ID. REFMOD.\n"
        "       DATA DIVISION.\n"
        "       WORKING-STORAGE SECTION.\n"
        "       01  WS-Y PIC X(4).\n"
        "       PROCEDURE DIVISION.\n"
        "           MOVE FUNCTION CURRENT-DATE(1:4) TO WS-Y\n"
        "           IF WS-Y>='2000' DISPLAY FUNCTION UPPER-CASE(WS-Y)(2:2)\n"
        "           END-IF\n"
        "           GOBACK.\n")
    (program,) = analyze_repo(tmp_path).programs
    assert program.parsed_cleanly, [d.message for d in program.diagnostics]
    move, test, _ = program.bodies[0].sentences[0].statements
    assert move.operands == ("FUNCTION", "CURRENT-DATE", "(", "1:4", ")", "TO", "WS-Y")
    assert test.operands == ("WS-Y", ">=", "'2000'")
    (display,) = test.branches[0].statements
    assert display.operands == ("FUNCTION", "UPPER-CASE", "(", "WS-Y", ")", "(", "2:2", ")")
