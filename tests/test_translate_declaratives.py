"""DECLARATIVES (USE AFTER ERROR PROCEDURE) through the translator, checked against GnuCOBOL.

A failure no phrase handles (a missing input, a READ of an unopened file, an end of file with
no AT END, a READ past the end) PERFORMs the file's declarative section, by file name or by
open mode, and the program goes on after the statement, FILE STATUS or not; an AT END phrase
keeps the declarative out. The run starts after END DECLARATIVES.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import require_tool
from probe_support import run_probe

from modernize.translate import use_procedures
from modernize.validate.harness import Scenario

COBC = require_tool("cobc")

USEPRB = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. USEPRB.
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT FA ASSIGN TO FA ORGANIZATION IS LINE SEQUENTIAL
               FILE STATUS IS FS-A.
           SELECT FB ASSIGN TO FB ORGANIZATION IS LINE SEQUENTIAL.
       DATA DIVISION.
       FILE SECTION.
       FD  FA.
       01  RA                       PIC X(5).
       FD  FB.
       01  RB                       PIC X(5).
       WORKING-STORAGE SECTION.
       01  FS-A                     PIC XX.
       01  WS-N                     PIC 9 VALUE 0.
       PROCEDURE DIVISION.
       DECLARATIVES.
       ERR-A SECTION.
           USE AFTER STANDARD ERROR PROCEDURE ON FA.
       ERR-A-PARA.
           ADD 1 TO WS-N
           DISPLAY 'DECL A ' FS-A ' N=' WS-N.
       ERR-B SECTION.
           USE AFTER ERROR PROCEDURE ON INPUT.
       ERR-B-PARA.
           DISPLAY 'DECL INPUT'.
       END DECLARATIVES.
       MAIN SECTION.
       M1.
           OPEN INPUT FA
           DISPLAY 'AFTER OPEN ' FS-A
           READ FA
           DISPLAY 'AFTER READ ' FS-A ' ' RA
           OPEN INPUT FB
           DISPLAY 'AFTER OPEN B'
           READ FB AT END DISPLAY 'B AT END' END-READ
           READ FB
           DISPLAY 'AFTER READ B'
           READ FB
           DISPLAY 'AFTER READ B2'
           CLOSE FB
           STOP RUN.
"""


@pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")
@pytest.mark.parametrize("fa", [None, b"ALPHA\n"], ids=["fa-missing", "fa-present"])
def test_declaratives_match_gnucobol(tmp_path: Path, fa: bytes | None) -> None:
    scenario = Scenario("run", {"FB": b"", **({"FA": fa} if fa is not None else {})})
    probe = run_probe(tmp_path, {"USEPRB": USEPRB}, "USEPRB", scenario, dd_names=["FA", "FB"])
    assert use_procedures(probe.estate.program("USEPRB")) == {
        "FILE:FA": "ERR-A SECTION", "MODE:INPUT": "ERR-B SECTION"}
    assert not probe.translations["USEPRB"].unsupported
    assert probe.verdict.equivalent, probe.report()
    legacy = probe.legacy
    shown = legacy.stdout.decode()
    if fa is None:
        assert shown.startswith("DECL A 35 N=1\nAFTER OPEN 35\nDECL A 47 N=2\n")
    else:
        assert shown.startswith("AFTER OPEN 00\nAFTER READ 00 ALPHA\n")
    assert "B AT END\nDECL INPUT\nAFTER READ B\nDECL INPUT\nAFTER READ B2\n" in shown
