"""Extraction details on small fixed-format programs shaped like shop code."""

from __future__ import annotations

from pathlib import Path

import pytest

from modernize.analysis.cobol import CopybookResolver, Preprocessor, analyze_program
from modernize.analysis.cobol.exec_blocks import parse_cics, parse_sql
from modernize.analysis.cobol.pic import picture_info
from modernize.analysis.graphs import control_flow_graph, unreachable_paragraphs


def fixed(*lines: str) -> str:
    """Lay out program text in fixed format: sequence numbers, area A at column 8."""
    out = []
    for number, line in enumerate(lines, start=1):
        marked = line[:1] in "*-/" or line[:2] == "D "
        indicator, text = (line[0], line[1:]) if marked else (" ", line)
        assert len(text) <= 65, f"past column 72: {line}"
        out.append(f"{number * 100:06d}{indicator}{text}")
    return "\n".join(out) + "\n"


def analyze(tmp_path: Path, text: str, copybooks: dict[str, str] | None = None):
    for name, body in (copybooks or {}).items():
        (tmp_path / f"{name}.cpy").write_text(body)
    source = tmp_path / "PGM.cbl"
    source.write_text(text)
    pre = Preprocessor(tmp_path, CopybookResolver(tmp_path, [tmp_path]))
    return analyze_program(pre, source, text)


PROGRAM = fixed(
    "IDENTIFICATION DIVISION.",
    "PROGRAM-ID. ACCTFIX.",
    "AUTHOR. J SMITH.",
    "DATE-COMPILED.",
    "DATA DIVISION.",
    "WORKING-STORAGE SECTION.",
    "01  WS-PGM-NAME          PIC X(8) VALUE SPACES.",
    "01  WS-SWITCHES.",
    "    05  WS-STATUS        PIC X.",
    "        88  WS-ACTIVE    VALUE 'A' 'R'.",
    "        88  WS-CLOSED    VALUE 'C'.",
    "    05  WS-RANGE         PIC 9(2) COMP.",
    "        88  WS-LOW       VALUE 1 THRU 5.",
    "01  WS-AMOUNTS.",
    "    05  WS-BAL           PIC S9(7)V99 COMP-3.",
    "    05  WS-RATE          PIC SV9(5) COMP-3.",
    "    05  WS-CNT           PIC S9(4) COMP.",
    "    05  WS-TAB OCCURS 1 TO 12 TIMES DEPENDING ON WS-CNT.",
    "        10  WS-MONTH-AMT PIC S9(5)V99.",
    "01  WS-ALT REDEFINES WS-AMOUNTS PIC X(10).",
    "PROCEDURE DIVISION.",
    "0000-MAIN.",
    "    MOVE 'RATECALC' TO WS-PGM-NAME",
    "    CALL WS-PGM-NAME USING WS-BAL WS-RATE",
    "    IF WS-ACTIVE AND NOT WS-LOW",
    "       PERFORM 1000-CALC THRU 1000-EXIT",
    "    END-IF",
    "    GO TO 2000-A 3000-B DEPENDING ON WS-RANGE",
    "    GO TO 9000-END.",
    "1000-CALC.",
    "    IF WS-BAL NOT= ZERO GO TO 1000-EXIT.",
    "    COMPUTE WS-BAL ROUNDED = WS-BAL * (1 + WS-RATE).",
    "1000-EXIT.",
    "    EXIT.",
    "2000-A.",
    "    ADD 1 TO WS-CNT.",
    "3000-B.",
    "    STOP RUN.",
    "8000-NEVER.",
    "    DISPLAY 'NOBODY CALLS ME'.",
    "9000-END.",
    "    GOBACK.",
)


@pytest.fixture
def program(tmp_path):
    return analyze(tmp_path, PROGRAM)


def test_parses_cleanly_despite_comment_paragraphs_and_glued_not(program):
    assert program.parsed_cleanly, program.diagnostics
    assert program.name == "ACCTFIX"


def test_paragraph_lines_and_terminators(program):
    paras = {p.name: p for p in program.paragraphs}
    assert [p.name for p in program.paragraphs] == [
        "0000-MAIN", "1000-CALC", "1000-EXIT", "2000-A", "3000-B", "8000-NEVER", "9000-END"]
    assert paras["0000-MAIN"].line == 22
    assert paras["0000-MAIN"].ends_with == "GOTO"
    assert paras["1000-CALC"].ends_with is None  # its GO TO is conditional
    assert paras["3000-B"].ends_with == "STOP"


def test_dynamic_call_resolved_through_literal_move(program):
    (call,) = program.calls
    assert (call.target, call.kind, call.via, call.line) == ("RATECALC", "dynamic",
                                                            "WS-PGM-NAME", 24)
    assert call.using == ("WS-BAL", "WS-RATE")


def test_perform_thru_goto_depending_and_unreachable(program):
    (perform,) = [p for p in program.performs if p.target]
    assert (perform.target, perform.thru, perform.conditional) == ("1000-CALC", "1000-EXIT", True)
    depending = next(g for g in program.gotos if g.depending_on)
    assert depending.targets == ("2000-A", "3000-B")
    cfg = control_flow_graph(program)
    assert cfg.has_edge("0000-MAIN", "2000-A") and cfg.has_edge("1000-CALC", "1000-EXIT")
    assert not cfg.has_edge("3000-B", "8000-NEVER")  # STOP RUN does not fall through
    assert unreachable_paragraphs(program, cfg) == ("8000-NEVER",)


def test_level_88_conditions_are_expanded(program):
    condition = next(c for c in program.conditions if c.kind == "IF" and c.line == 25)
    assert condition.expanded == (
        "(WS-STATUS = 'A' OR WS-STATUS = 'R') AND NOT (WS-RANGE >= 1 AND WS-RANGE <= 5)")
    assert set(condition.reads) == {"WS-ACTIVE", "WS-LOW"}


def test_data_layout_offsets_and_lengths(program):
    items = {i.name: i for i in program.data_items}
    assert (items["WS-BAL"].offset, items["WS-BAL"].length) == (0, 5)
    assert (items["WS-RATE"].offset, items["WS-RATE"].length) == (5, 3)
    assert (items["WS-CNT"].offset, items["WS-CNT"].length) == (8, 2)
    assert items["WS-TAB"].occurs_max == 12 and items["WS-TAB"].depending_on == "WS-CNT"
    assert items["WS-TAB"].offset == 10 and items["WS-MONTH-AMT"].length == 7
    assert items["WS-AMOUNTS"].length == 10 + 12 * 7
    assert items["WS-ALT"].redefines == "WS-AMOUNTS"
    assert items["WS-LOW"].condition_values[0].thru == "5"
    assert items["WS-BAL"].scale == 2 and items["WS-BAL"].signed


def test_data_flow_of_compute_and_add(program):
    compute = next(f for f in program.data_flow if f.verb == "COMPUTE")
    assert compute.writes == ("WS-BAL",) and set(compute.reads) == {"WS-BAL", "WS-RATE"}
    add = next(f for f in program.data_flow if f.verb == "ADD")
    assert add.writes == ("WS-CNT",)


@pytest.mark.parametrize(("picture", "usage", "length"), [
    ("S9(7)V99", "COMP-3", 5), ("9(4)", "COMP", 2), ("9(9)", "BINARY", 4),
    ("S9(18)", "COMP", 8), ("X(30)", "DISPLAY", 30), ("ZZZ,ZZ9.99-", "DISPLAY", 11),
    ("$$$,$$9.99CR", "DISPLAY", 12), ("S9(5)", "DISPLAY", 5), ("N(4)", "DISPLAY", 8),
    ("PPP999", "DISPLAY", 3),
])
def test_picture_lengths(picture, usage, length):
    assert picture_info(picture, usage).length == length


def test_exec_sql_and_cics_blocks_become_facts(tmp_path):
    text = fixed(
        "IDENTIFICATION DIVISION.",
        "PROGRAM-ID. ACCTINQ.",
        "DATA DIVISION.",
        "WORKING-STORAGE SECTION.",
        "    EXEC SQL INCLUDE SQLCA END-EXEC.",
        "01  WS-ACCT    PIC X(10).",
        "01  WS-NEXT    PIC X(8) VALUE 'ACCTMENU'.",
        "LINKAGE SECTION.",
        "01  DFHCOMMAREA PIC X(100).",
        "PROCEDURE DIVISION.",
        "0000-MAIN.",
        "    EXEC CICS RECEIVE MAP('ACCTMAP') MAPSET('ACCTSET')",
        "              INTO(WS-ACCT) END-EXEC",
        "    EXEC SQL DECLARE C1 CURSOR FOR SELECT BAL FROM ACCOUNT A",
        "             JOIN CUSTOMER C ON A.CUST = C.CUST",
        "             WHERE A.ID = :WS-ACCT",
        "    END-EXEC",
        "    EXEC SQL UPDATE ACCOUNT SET BAL = 0 WHERE ID = :WS-ACCT",
        "    END-EXEC",
        "    EXEC CICS LINK PROGRAM('DATEVAL') COMMAREA(WS-ACCT) END-EXEC",
        "    EXEC CICS XCTL PROGRAM(WS-NEXT) END-EXEC",
        "    EXEC CICS READ DATASET('ACCTMST') INTO(WS-ACCT)",
        "         RIDFLD(WS-ACCT)",
        "         END-EXEC",
        "    EXEC CICS RETURN TRANSID('AINQ') END-EXEC.",
    )
    program = analyze(tmp_path, text)
    assert program.parsed_cleanly, program.diagnostics
    assert program.kind == "online"
    cics = [(c.command, c.target, c.line, c.paragraph) for c in program.cics]
    assert cics == [("RECEIVE MAP", "ACCTMAP", 12, "0000-MAIN"),
                    ("LINK", "DATEVAL", 20, "0000-MAIN"),
                    ("XCTL", "WS-NEXT", 21, "0000-MAIN"), ("READ", "ACCTMST", 22, "0000-MAIN"),
                    ("RETURN", "AINQ", 25, "0000-MAIN")]
    calls = {(c.target, c.kind, c.line) for c in program.calls}
    assert calls == {("DATEVAL", "cics-link", 20), ("ACCTMENU", "cics-xctl", 21)}
    sql = [(s.verb, s.tables, s.crud, s.cursor, s.line) for s in program.sql]
    assert ("DECLARE CURSOR", ("ACCOUNT", "CUSTOMER"), ("R", "R"), "C1", 14) in sql
    assert ("UPDATE", ("ACCOUNT",), ("U",), None, 18) in sql


def test_sql_parsing_of_each_verb():
    assert parse_sql("INSERT INTO HIST (A) SELECT A FROM ACCOUNT").crud == ("C", "R")
    assert parse_sql("DELETE FROM CARD WHERE ID = :WS-ID").tables == ("CARD",)
    fetch = parse_sql("FETCH C1 INTO :WS-A, :WS-B")
    assert fetch.cursor == "C1" and fetch.host_writes == ("WS-A", "WS-B")
    select = parse_sql("SELECT NAME INTO :WS-NAME FROM CUSTOMER WHERE ID = :WS-ID")
    assert select.host_writes == ("WS-NAME",) and select.host_reads == ("WS-ID",)


def test_cics_parsing_keeps_options():
    facts = parse_cics("SEND MAP('ACCTMAP') MAPSET('ACCTSET') FROM(ACCTMAPO) ERASE")
    assert facts.command == "SEND MAP" and facts.target == "ACCTMAP"
    assert facts.options["MAPSET"] == "'ACCTSET'" and "ERASE" in facts.options
    assert facts.reads == ("ACCTMAPO",)


def test_level_66_renames_spans_the_renamed_items(tmp_path):
    text = fixed(
        "IDENTIFICATION DIVISION.",
        "PROGRAM-ID. KEYS.",
        "DATA DIVISION.",
        "WORKING-STORAGE SECTION.",
        "01  WS-KEY-AREA.",
        "    05  WS-BRANCH     PIC X(4).",
        "    05  WS-ACCT-NO    PIC 9(10).",
        "    05  WS-STATUS     PIC X.",
        "66  WS-ACCT-KEY RENAMES WS-BRANCH THRU WS-ACCT-NO.",
        "PROCEDURE DIVISION.",
        "0000-MAIN.",
        "    GOBACK.",
    )
    program = analyze(tmp_path, text)
    item = program.data_item("WS-ACCT-KEY")
    assert item is not None and item.level == 66 and item.line == 9
    assert item.renames == ("WS-BRANCH", "WS-ACCT-NO")
    assert (item.offset, item.length) == (0, 14)


def test_sql_include_members_are_expanded_and_sqlca_is_a_system_member(tmp_path):
    dclgen = fixed(
        "    EXEC SQL DECLARE CARD TABLE",
        "      ( CARD_NO CHAR(16) NOT NULL ) END-EXEC.",
        "01  DCLCARD.",
        "    10  CARD-NO          PIC X(16).",
    )
    text = fixed(
        "IDENTIFICATION DIVISION.",
        "PROGRAM-ID. CARDSQL.",
        "DATA DIVISION.",
        "WORKING-STORAGE SECTION.",
        "    EXEC SQL INCLUDE SQLCA END-EXEC.",
        "    EXEC SQL INCLUDE DCLCARD END-EXEC.",
        "01  WS-COUNT             PIC S9(9) COMP.",
        "PROCEDURE DIVISION.",
        "0000-MAIN.",
        "    EXEC SQL SELECT COUNT(*) INTO :WS-COUNT FROM CARD",
        "             WHERE CARD_NO = :CARD-NO END-EXEC",
        "    GOBACK.",
    )
    program = analyze(tmp_path, text, {"DCLCARD": dclgen})
    assert program.parsed_cleanly, program.diagnostics
    item = program.data_item("CARD-NO")
    assert item is not None and (item.file, item.line, item.length) == ("DCLCARD.cpy", 4, 16)
    assert program.data_item("WS-COUNT").line == 7
    uses = {(u.name, u.statement, u.path, u.system) for u in program.copybook_uses}
    assert uses == {("SQLCA", "EXEC SQL INCLUDE", None, True),
                    ("DCLCARD", "EXEC SQL INCLUDE", "DCLCARD.cpy", False)}
    assert [d.code for d in program.diagnostics] == ["copybook-system"]
    select = next(s for s in program.sql if s.verb == "SELECT")
    assert select.host_variables == ("CARD-NO", "WS-COUNT")


def test_ibm_assignment_names_give_the_dd_name(tmp_path):
    program = analyze(tmp_path, fixed(
        "IDENTIFICATION DIVISION.",
        "PROGRAM-ID. RPT.",
        "ENVIRONMENT DIVISION.",
        "INPUT-OUTPUT SECTION.",
        "FILE-CONTROL.",
        "    SELECT OPTIONAL TRANS-FILE ASSIGN TO UT-S-TRANSIN.",
        "    SELECT REPORT-FILE ASSIGN TO S-RPTOUT.",
        "    SELECT MAST-FILE ASSIGN TO MASTER.",
        "    SELECT HIST-FILE ASSIGN TO HIST-ARCHIVE.",
        "    SELECT DATA-FILE ASSIGN TO 'data/in-file.txt'.",
        "DATA DIVISION.",
        "FILE SECTION.",
        "FD  TRANS-FILE.",
        "01  TRANS-REC            PIC X(80).",
        "FD  REPORT-FILE.",
        "01  REPORT-REC           PIC X(133).",
        "FD  MAST-FILE.",
        "01  MAST-REC             PIC X(200).",
        "FD  HIST-FILE.",
        "01  HIST-REC             PIC X(20).",
        "FD  DATA-FILE.",
        "01  DATA-REC             PIC X(20).",
        "PROCEDURE DIVISION.",
        "0000-MAIN.",
        "    GOBACK.",
    ))
    assert [(f.name, f.assign, f.dd_name) for f in program.files] == [
        ("TRANS-FILE", "UT-S-TRANSIN", "TRANSIN"), ("REPORT-FILE", "S-RPTOUT", "RPTOUT"),
        ("MAST-FILE", "MASTER", "MASTER"),
        # the name part of [comment-][label-]name, as z/OS and cobc -fassign-clause=ibm read it
        ("HIST-FILE", "HIST-ARCHIVE", "ARCHIVE"),
        ("DATA-FILE", "data/in-file.txt", "data/in-file.txt")]  # a literal is a file name


def test_dynamic_call_through_a_level_88_set_to_true(tmp_path):
    program = analyze(tmp_path, fixed(
        "IDENTIFICATION DIVISION.",
        "PROGRAM-ID. ROUTER.",
        "DATA DIVISION.",
        "WORKING-STORAGE SECTION.",
        "01  WS-PGM               PIC X(8) VALUE 'DEFPGM'.",
        "    88  PGM-IS-A         VALUE 'PGMA'.",
        "    88  PGM-IS-B         VALUE 'PGMB'.",
        "PROCEDURE DIVISION.",
        "0000-MAIN.",
        "    SET PGM-IS-A TO TRUE",
        "    CALL WS-PGM",
        "    GOBACK.",
    ))
    targets = [(c.target, c.via, c.candidates) for c in program.calls]
    assert targets == [("DEFPGM", "WS-PGM", ("DEFPGM", "PGMA")),
                       ("PGMA", "WS-PGM", ("DEFPGM", "PGMA"))]


def test_files_without_a_program_are_reported_not_modelled(tmp_path):
    from modernize.analysis.analyze import analyze_repo

    (tmp_path / "EMPTY.cbl").write_text("")
    (tmp_path / "NOTES.cbl").write_text(fixed("*THIS MEMBER WAS RETIRED IN 1999", "*SEE PAY200"))
    (tmp_path / "DATAONLY.cbl").write_text(fixed(
        "IDENTIFICATION DIVISION.", "PROGRAM-ID. DATAONLY.", "DATA DIVISION.",
        "WORKING-STORAGE SECTION.", "01  WS-A PIC X."))
    estate = analyze_repo(tmp_path)
    assert [p.name for p in estate.programs] == ["DATAONLY"]
    assert [d.code for d in estate.program("DATAONLY").diagnostics] == ["no-procedure-division"]
    assert sorted((d.code, d.file) for d in estate.diagnostics) == [
        ("not-a-program", "EMPTY.cbl"), ("not-a-program", "NOTES.cbl")]


def test_conditions_and_data_flow_keep_cobol_meaning(tmp_path):
    program = analyze(tmp_path, fixed(
        "IDENTIFICATION DIVISION.",
        "PROGRAM-ID. FLAGS.",
        "ENVIRONMENT DIVISION.",
        "INPUT-OUTPUT SECTION.",
        "FILE-CONTROL.",
        "    SELECT TRANS-FILE ASSIGN TO TRANSIN.",
        "DATA DIVISION.",
        "FILE SECTION.",
        "FD  TRANS-FILE.",
        "01  TRANS-REC            PIC X(80).",
        "WORKING-STORAGE SECTION.",
        "01  WS-TABLE.",
        "    05  WS-FLAG          PIC X OCCURS 10.",
        "        88  FLAG-ON      VALUE 'Y'.",
        "01  WS-IX                PIC 99.",
        "01  WS-SRC               PIC X(10).",
        "01  WS-DST               PIC X(20).",
        "01  WS-POS               PIC 99.",
        "01  WS-RC                PIC S9(4) COMP.",
        "PROCEDURE DIVISION.",
        "0000-MAIN.",
        "    IF FLAG-ON (WS-IX) DISPLAY 'ON' END-IF",
        "    EVALUATE WS-IX",
        "        WHEN 1 THRU 5 DISPLAY 'LOW'",
        "    END-EVALUATE",
        "    MOVE WS-SRC TO WS-DST(WS-POS:5)",
        "    CALL 'STAT2' USING WS-SRC BY CONTENT WS-POS",
        "         RETURNING WS-RC",
        "    READ TRANS-FILE",
        "    GOBACK.",
    ))
    conditions = {c.kind: c for c in program.conditions}
    assert conditions["IF"].expanded == "WS-FLAG (WS-IX) = 'Y'"
    assert conditions["WHEN"].text == "1 THRU 5"
    flows = {f.verb: f for f in program.data_flow}
    assert flows["MOVE"].writes == ("WS-DST",) and set(flows["MOVE"].reads) == {"WS-SRC",
                                                                              "WS-POS"}
    assert flows["CALL"].writes == ("WS-SRC", "WS-RC")  # BY CONTENT WS-POS is not changed
    assert flows["READ"].writes == ("TRANS-REC",)


@pytest.mark.parametrize(("picture", "digits", "scale"), [
    ("$$$,$$9.99-", 7, 2), ("ZZZ9.99CR", 6, 2), ("+ZZ9", 3, 0), ("-(5)9", 5, 0),
    ("*(5)9.99", 8, 2), ("VPP99", 2, 4), ("PPP999", 3, 6), ("999PPP", 3, -3),
    ("S9(7)V99", 9, 2),
])
def test_picture_digits_and_scale(picture, digits, scale):
    info = picture_info(picture)
    assert (info.digits, info.scale) == (digits, scale)


def test_an_empty_linkage_section_and_ibm_compiler_options(tmp_path: Path) -> None:
    """`CBL` / `PROCESS` lines before the program and a LINKAGE SECTION left empty before the
    procedure division: GnuCOBOL takes both, and so must the analysis."""
    program = analyze(tmp_path, fixed(
        "CBL CICS('SP,EDF')",
        "IDENTIFICATION DIVISION.",
        "PROGRAM-ID. CICSPGM.",
        "DATA DIVISION.",
        "WORKING-STORAGE SECTION.",
        "01  WS-A PIC X.",
        "LINKAGE SECTION.",
        "PROCEDURE DIVISION.",
        "MAIN-PARA.",
        "    MOVE 'Y' TO WS-A",
        "    GOBACK."))
    assert program.parsed_cleanly, [d.message for d in program.diagnostics]
    assert [p.name for p in program.paragraphs] == ["MAIN-PARA"]
    assert [(d.name, d.line) for d in program.data_items] == [("WS-A", 6)]


def test_glued_operators_function_refmod_and_z_literals_read_as_written(tmp_path: Path) -> None:
    program = analyze(tmp_path, fixed(
        "IDENTIFICATION DIVISION.",
        "PROGRAM-ID. GLUED.",
        "DATA DIVISION.",
        "WORKING-STORAGE SECTION.",
        "01  WS-A PIC X VALUE Z''.",
        "01  WS-Y PIC X(4).",
        "PROCEDURE DIVISION.",
        "MAIN-PARA.",
        "    IF WS-A='Y' OR WS-A<>'N'",
        "        MOVE FUNCTION CURRENT-DATE(1:4) TO WS-Y",
        "    END-IF",
        "    GOBACK."))
    assert program.parsed_cleanly, [d.message for d in program.diagnostics]
    assert [c.text for c in program.conditions] == ["WS-A = 'Y' OR WS-A NOT = 'N'"]
    assert next(d.value for d in program.data_items if d.name == "WS-A") == "X'00'"
    assert [(f.verb, f.writes, f.line) for f in program.data_flow if "WS-Y" in f.writes] == [
        ("MOVE", ("WS-Y",), 10)]


def test_the_view_s_quick_line_checks_agree_with_its_patterns() -> None:
    """The parser view rules most lines out with substring tests before its patterns; both
    must say the same of every line (lower case, glued operators, literals, non-ASCII)."""
    from modernize.analysis.cobol import view

    lines = ["           MOVE A TO B", "           exec sql select 1 end-exec", "IF A=B",
             "IF A >= B", "IF A = B", "       SELECT F ASSIGN TO X line  sequential",
             "           ENTRY 'ALT' USING X", "       01 X PIC X VALUE Z'AB'.",
             "           MOVE FUNCTION CURRENT-DATE(1:4) TO Y", "ALTERNATE RECORD KEY IS K",
             '           DISPLAY "A""B"', "           DISPLAY 'É=1'", "       procedure division.",
             "       PROCEDURE  DIVISION USING X.", "      * PROCEDURE DIVISION IN A COMMENT",
             "           PERFORM PROCEDURE-X", "           MOVE 'PROCÉDURE DIVISION' TO X",
             "", "           EXECUTE-IT", "           LINE-COUNT"]
    for line in lines:
        assert view._needs_rewrite(line) == bool(view._NEEDS_REWRITE.search(line)), line
        assert view._opens_procedure_division(line) == \
            bool(view._PROCEDURE_DIVISION.search(line)), line


def test_analysis_leaves_no_reference_cycle_for_the_collector() -> None:
    """Analysis pauses the cycle collector (its passes over millions of short-lived objects
    found nothing): so it must leave nothing only the collector could free. A data entry's
    link to its parent was such a cycle; whatever a second analysis of the samples leaves
    (the first one imports what the analysis needs) is checked to be none."""
    import gc

    from modernize.analysis.analyze import analyze_repo

    samples = Path(__file__).resolve().parents[1] / "legacy_samples"
    analyze_repo(samples, cache_dir=None)
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        analyze_repo(samples, cache_dir=None)
        gc.collect()
        left = sorted({type(o).__name__ for o in gc.garbage})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert left == []


def test_the_collector_comes_back_as_it_was_and_still_finds_what_the_pause_left() -> None:
    """After the pause the collector is on, nothing is left frozen, a cycle made during the
    pause is freed by the next full collection, and objects a caller froze stay frozen."""
    import gc
    import weakref

    from modernize.analysis.analyze import cycle_collection_paused

    class Node:
        pass

    assert gc.isenabled() and gc.get_freeze_count() == 0
    with cycle_collection_paused():
        assert not gc.isenabled()
        first, second = Node(), Node()
        first.other, second.other = second, first  # type: ignore[attr-defined]
        watch = weakref.ref(first)
        del first, second
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert watch() is not None  # not collected yet: moved to the oldest generation
    gc.collect()
    assert watch() is None

    kept = [Node()]
    gc.freeze()  # a caller's own freeze (a server before it forks) is not undone
    try:
        frozen = gc.get_freeze_count()
        with cycle_collection_paused():
            pass
        assert gc.get_freeze_count() == frozen and gc.isenabled()
    finally:
        gc.unfreeze()
        del kept


def test_data_regions_read_headers_as_the_two_patterns_did() -> None:
    """One pattern finds a storage section's header or an FD's: what the two patterns it
    replaces found, on random lines of header pieces."""
    import random
    import re

    from modernize.analysis.cobol.extract import _REGION_HEADER

    storage = re.compile(r"^\s*(WORKING-STORAGE|LOCAL-STORAGE|LINKAGE|FILE)\s+SECTION\b",
                         re.IGNORECASE)
    fd = re.compile(r"^\s*(FD|SD|RD)\s+([A-Z0-9][A-Z0-9-]*)", re.IGNORECASE)
    pieces = [" ", "\t", "FILE", "file", "SECTION", "section.", "LINKAGE", "WORKING-STORAGE",
              "LOCAL-STORAGE", "FD", "sd", "RD", "ACCT-FILE", "-", "9", ".", "SECTIONS", "X"]
    rnd = random.Random(11)
    for _ in range(5000):
        line = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 5)))
        match = _REGION_HEADER.match(line)
        if found := storage.match(line):
            assert match and match.group("section") == found.group(1), line
        elif found := fd.match(line):
            assert match and match.group("fd") == found.group(2) and \
                not match.group("section"), line
        else:
            assert match is None, line


def test_a_picture_ending_in_a_point_or_comma_keeps_it(tmp_path) -> None:
    """``PIC 9,9,9,.`` and ``PIC 999..``: the grammar leaves the picture's last symbols out
    of the entry; the entry is read with them, where the picture is glued to them, also on a
    line with text beyond ASCII."""
    program = analyze(tmp_path, fixed(
        "IDENTIFICATION DIVISION.",
        "PROGRAM-ID. PICTAIL.",
        "DATA DIVISION.",
        "WORKING-STORAGE SECTION.",
        "01  WS-REC.",
        "    05  WS-COMMAS    PIC 9,9,9,.",
        "    05  WS-POINT     PIC 999..",
        "    05  WS-PLAIN     PIC 999.",
        "    05  WS-NAMEÉ     PIC 9,9.9,.",
        "    05  WS-LIT  VALUE 'ÉÉÉ' PIC 9,9,.",
        "PROCEDURE DIVISION.",
        "    STOP RUN."))
    pictures = {i.name: i.picture for i in program.data_items if i.level == 5}
    assert pictures == {"WS-COMMAS": "9,9,9,", "WS-POINT": "999.", "WS-PLAIN": "999",
                        "WS-NAMEÉ": "9,9.9,", "WS-LIT": "9,9,"}


def test_declaratives_are_found_as_line_by_line() -> None:
    """The view is searched once for the word before its lines are asked: on random views
    (either case, the long s that matches an s, END DECLARATIVES before or without its
    start), the rows are those the line-by-line rule finds."""
    import random
    from types import SimpleNamespace

    from modernize.analysis.cobol import extract

    def line_by_line(lines: list[str]) -> tuple[int, int]:
        start = -1
        for row, line in enumerate(lines):
            if start < 0 and extract._DECLARATIVES.match(line):
                start = row
            elif start >= 0 and extract._END_DECLARATIVES.match(line):
                return start, row
        return -1, -1

    pieces = ["       DECLARATIVES.", "       declaratives.", "       DECLARATIVE\u017f.",
              "       END DECLARATIVES.", "       end declaratives.", "       X SECTION.",
              "       END DECLARATIVE\u017f.",
              "           DISPLAY 'DECLARATIVES.'.", "", "       DECLARATIVES"]
    rnd = random.Random(52)
    found = 0
    for _ in range(2000):
        lines = [rnd.choice(pieces) for _ in range(rnd.randint(0, 8))]
        view = SimpleNamespace(text="\n".join(lines), lines=lines)
        expected = line_by_line(lines)
        found += expected != (-1, -1)
        assert extract._declaratives_rows(view) == expected, lines  # type: ignore[arg-type]
    assert found > 500


def test_a_data_entry_is_read_once_per_text_and_decimal_point(tmp_path: Path) -> None:
    """A copybook's entries are read once per text and DECIMAL-POINT setting (an estate
    copies them into program after program); what is remembered is read-only, and each
    program gets what reading it alone gives."""
    from types import MappingProxyType

    from modernize.analysis.cobol import extract

    rates = fixed("01  RATES.",
                  "    05  RATE           PIC 9V99 VALUE 1,5.",
                  "    05  FEE            PIC 9(3)V99 VALUE 12,25.",
                  "    05  CODES          PIC X OCCURS 3 INDEXED BY CX.")

    def program(comma: bool) -> str:
        return fixed("IDENTIFICATION DIVISION.", "PROGRAM-ID. RATEPGM.",
                     "ENVIRONMENT DIVISION.", "CONFIGURATION SECTION.",
                     *(["SPECIAL-NAMES.", "    DECIMAL-POINT IS COMMA."] if comma else []),
                     "DATA DIVISION.", "WORKING-STORAGE SECTION.", "COPY RATES.",
                     "PROCEDURE DIVISION.", "    DISPLAY RATE FEE CODES (1).", "    GOBACK.")

    alone = {}
    for comma in (True, False):
        extract._parsed_entry.cache_clear()
        alone[comma] = analyze(tmp_path, program(comma), {"RATES": rates})
    extract._parsed_entry.cache_clear()
    together = {comma: analyze(tmp_path, program(comma), {"RATES": rates})
                for comma in (True, False, True)}
    assert extract._parsed_entry.cache_info().hits >= 4  # the third program's entries
    assert together == alone
    values = {comma: alone[comma].data_item("FEE").value for comma in alone}
    assert values[True] == "12.25" and values[False] != "12.25", values

    parsed = extract._parsed_entry("       05  A  PIC X.", False)
    assert parsed is not None and isinstance(parsed[2], MappingProxyType)
    with pytest.raises(TypeError):
        parsed[2]["picture"] = "X(2)"  # type: ignore[index]
