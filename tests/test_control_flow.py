"""Control flow as COBOL means it: sections, qualified names, DECLARATIVES, ENTRY, ALTER,
WHENEVER and HANDLE CONDITION branches, and what ends a procedure."""

from __future__ import annotations

from test_extract import analyze, fixed

from modernize.analysis.analyze import analyze_repo
from modernize.analysis.graphs import (
    ENTRY,
    call_graph,
    control_flow_graph,
    paragraph_complexity,
    unreachable_paragraphs,
)


def program_of(tmp_path, *procedure_lines: str, data: tuple[str, ...] = ()):
    text = fixed(
        "IDENTIFICATION DIVISION.",
        "PROGRAM-ID. FLOWS.",
        "DATA DIVISION.",
        "WORKING-STORAGE SECTION.",
        "01  WS-A                 PIC 9(3).",
        *data,
        "PROCEDURE DIVISION.",
        *procedure_lines,
    )
    return analyze(tmp_path, text)


def test_statements_on_the_header_line_belong_to_the_paragraph(tmp_path):
    program = program_of(
        tmp_path,
        "MAIN-PARA. PERFORM SUB-A. STOP RUN.",
        "SUB-A. ADD 1 TO WS-A.",
        "    DISPLAY WS-A.",
    )
    main = program.paragraph("MAIN-PARA")
    assert (main.statements, main.ends_with) == (2, "STOP")
    assert [(p.paragraph, p.target, p.line) for p in program.performs] == [
        ("MAIN-PARA", "SUB-A", 7)]
    assert [(f.verb, f.paragraph) for f in program.data_flow][:1] == [("ADD", "SUB-A")]


def test_section_bodies_and_performed_sections(tmp_path):
    program = program_of(
        tmp_path,
        "A000-MAIN SECTION.",
        "    PERFORM B000-INIT.",
        "    STOP RUN.",
        "B000-INIT SECTION.",
        "    MOVE 0 TO WS-A.",
        "    CALL 'INITSUB'.",
        "B000-EXIT.",
        "    EXIT.",
        "C000-DEAD SECTION.",
        "C000-START.",
        "    DISPLAY 'NEVER'.",
    )
    (call,) = program.calls
    assert call.paragraph == "B000-INIT SECTION"
    section = next(s for s in program.sections if s.name == "B000-INIT")
    assert (section.key, section.statements, section.line) == ("B000-INIT SECTION", 2, 10)
    assert program.procedures == ("A000-MAIN SECTION", "B000-INIT SECTION", "B000-EXIT",
                                  "C000-DEAD SECTION", "C000-START")
    cfg = control_flow_graph(program)
    assert cfg.has_edge("A000-MAIN SECTION", "B000-INIT SECTION")
    assert cfg.has_edge("B000-INIT SECTION", "B000-EXIT")  # into its first paragraph
    assert unreachable_paragraphs(program, cfg) == ("C000-START",)


def test_paragraph_names_repeated_in_sections_are_qualified(tmp_path):
    program = program_of(
        tmp_path,
        "A000 SECTION.",
        "A010.",
        "    PERFORM CHECK-IT IN C000.",
        "    PERFORM CHECK-IT.",
        "    STOP RUN.",
        "CHECK-IT.",
        "    DISPLAY 'A'",
        "    GOBACK.",
        "B000 SECTION.",
        "CHECK-IT.",
        "    DISPLAY 'B'.",
        "C000 SECTION.",
        "CHECK-IT.",
        "    DISPLAY 'C'.",
    )
    keys = [p.key for p in program.paragraphs]
    assert keys == ["A010", "CHECK-IT IN A000", "CHECK-IT IN B000", "CHECK-IT IN C000"]
    assert len({p.id for p in program.paragraphs}) == 4
    cfg = control_flow_graph(program)
    # the qualified one, and the bare name in the performing paragraph's own section
    assert cfg.has_edge("A010", "CHECK-IT IN C000") and cfg.has_edge("A010", "CHECK-IT IN A000")
    assert unreachable_paragraphs(program, cfg) == ("CHECK-IT IN B000",)


def test_declaratives_are_entered_by_use_and_the_main_code_by_the_entry(tmp_path):
    program = program_of(
        tmp_path,
        "DECLARATIVES.",
        "IO-ERR SECTION.",
        "    USE AFTER STANDARD ERROR PROCEDURE ON IN-FILE.",
        "IO-ERR-PARA.",
        "    DISPLAY 'IO ERROR'.",
        "END DECLARATIVES.",
        "MAIN-LOGIC SECTION.",
        "M-000.",
        "    PERFORM M-100.",
        "    STOP RUN.",
        "M-100.",
        "    DISPLAY 'READ'.",
    )
    assert [s.declarative for s in program.sections] == [True, False]
    cfg = control_flow_graph(program)
    assert cfg.edges[ENTRY, "MAIN-LOGIC SECTION"]["kind"] == "entry"
    assert cfg.edges[ENTRY, "IO-ERR SECTION"]["kind"] == "use"
    assert not cfg.has_edge("IO-ERR-PARA", "MAIN-LOGIC SECTION")
    assert unreachable_paragraphs(program, cfg) == ()


def test_branches_that_are_not_go_to_statements(tmp_path):
    program = program_of(
        tmp_path,
        "0000-MAIN.",
        "    EXEC SQL WHENEVER SQLERROR GO TO 9000-SQL-ERR END-EXEC",
        "    EXEC CICS HANDLE CONDITION NOTFND(8000-NOTFND)",
        "         END-EXEC",
        "    ALTER 0600-SWITCH TO PROCEED TO 0700-NEW-PATH",
        "    GO TO 0600-SWITCH.",
        "0600-SWITCH.",
        "    GO TO 0650-OLD-PATH.",
        "0650-OLD-PATH.",
        "    STOP RUN.",
        "0700-NEW-PATH.",
        "    STOP RUN.",
        "8000-NOTFND.",
        "    EXEC CICS RETURN END-EXEC.",
        "8100-AFTER-RETURN.",
        "    DISPLAY 'NOT REACHED BY FALL-THROUGH'.",
        "9000-SQL-ERR.",
        "    GOBACK.",
    )
    cfg = control_flow_graph(program)
    assert cfg.has_edge("0000-MAIN", "9000-SQL-ERR") and cfg.has_edge("0000-MAIN", "8000-NOTFND")
    assert cfg.has_edge("0600-SWITCH", "0700-NEW-PATH")
    assert program.paragraph("8000-NOTFND").ends_with == "CICS-RETURN"
    assert unreachable_paragraphs(program, cfg) == ("8100-AFTER-RETURN",)


def test_entry_points_and_exit_program(tmp_path):
    program = program_of(
        tmp_path,
        "MAIN-PARA.",
        "    DISPLAY 'MAIN'",
        "    EXIT PROGRAM.",
        "NEXT-PARA.",
        "    DISPLAY 'A BATCH PROGRAM GOES ON AFTER EXIT PROGRAM'",
        "    GOBACK.",
        "ALT-PARA.",
        "    ENTRY 'FLOWALT' USING WS-A.",
        "    DISPLAY 'ALT'",
        "    GOBACK.",
    )
    assert program.parsed_cleanly, program.diagnostics
    (entry,) = program.entry_points
    assert (entry.name, entry.paragraph, entry.using, entry.line) == ("FLOWALT", "ALT-PARA",
                                                                     ("WS-A",), 14)
    assert program.paragraph("MAIN-PARA").ends_with == "EXIT-PROGRAM"
    assert unreachable_paragraphs(program) == ()


def test_perform_varying_after_and_exit_perform(tmp_path):
    program = program_of(
        tmp_path,
        "0100.",
        "    PERFORM 0200 VARYING WS-A FROM 1 BY 1 UNTIL WS-A > 10",
        "        AFTER WS-B FROM 1 BY 1 UNTIL WS-B > 5",
        "    PERFORM UNTIL WS-A > 20",
        "        ADD 1 TO WS-A",
        "        IF WS-A = 15",
        "            EXIT PERFORM",
        "        END-IF",
        "    END-PERFORM",
        "    STOP RUN.",
        "0200.",
        "    DISPLAY WS-A WS-B.",
        data=("01  WS-B                 PIC 9(3).",),
    )
    assert [(p.target, p.kind, p.line) for p in program.performs] == [
        ("0200", "varying", 9), (None, "inline-until", 11)]
    untils = [c.text for c in program.conditions if c.kind == "UNTIL"]
    assert untils == ["WS-A > 10", "WS-B > 5", "WS-A > 20"]
    assert paragraph_complexity(program)["0100"] == 1 + 3 + 1  # three UNTILs, one IF


def test_every_program_of_a_source_file_is_modelled(tmp_path):
    """Nested and consecutive programs (a compilation group), and a call to an ENTRY."""
    text = fixed(
        "IDENTIFICATION DIVISION.",
        "PROGRAM-ID. OUTERP.",
        "DATA DIVISION.",
        "WORKING-STORAGE SECTION.",
        "01  WS-X                 PIC X(4).",
        "PROCEDURE DIVISION.",
        "OUT-MAIN.",
        "    CALL 'INNERP' USING WS-X",
        "    GOBACK.",
        "IDENTIFICATION DIVISION.",
        "PROGRAM-ID. INNERP.",
        "DATA DIVISION.",
        "LINKAGE SECTION.",
        "01  LK-X                 PIC X(4).",
        "PROCEDURE DIVISION USING LK-X.",
        "IN-MAIN.",
        "    MOVE 'ABCD' TO LK-X",
        "    GOBACK.",
        "ALT-PARA.",
        "    ENTRY 'INNERALT' USING LK-X.",
        "    GOBACK.",
        "END PROGRAM INNERP.",
        "END PROGRAM OUTERP.",
        "IDENTIFICATION DIVISION.",
        "PROGRAM-ID. SECONDP.",
        "PROCEDURE DIVISION.",
        "SEC-MAIN.",
        "    CALL 'OUTERP'",
        "    CALL 'INNERALT'",
        "    STOP RUN.",
        "END PROGRAM SECONDP.",
    )
    (tmp_path / "GROUP.cbl").write_text(text)
    estate = analyze_repo(tmp_path)
    assert [(p.name, p.kind, p.path) for p in estate.programs] == [
        ("OUTERP", "batch", "GROUP.cbl"), ("INNERP", "subprogram", "GROUP.cbl"),
        ("SECONDP", "batch", "GROUP.cbl")]
    inner = estate.program("INNERP")
    assert [(p.name, p.line) for p in inner.paragraphs] == [("IN-MAIN", 16), ("ALT-PARA", 19)]
    assert [d.name for d in inner.data_items] == ["LK-X"]
    edges = {(s, t) for s, t in call_graph(estate).edges()}
    assert edges == {("cobol:OUTERP", "cobol:INNERP"), ("cobol:SECONDP", "cobol:OUTERP"),
                     ("cobol:SECONDP", "cobol:INNERP")}
