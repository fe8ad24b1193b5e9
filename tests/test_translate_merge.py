"""MERGE through the translator, checked against GnuCOBOL: GIVING a file and an OUTPUT
PROCEDURE, ascending and descending, ties in the order the files are named."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import require_tool
from probe_support import run_probe

from modernize.validate.harness import Scenario

COBC = require_tool("cobc")

MERGEPRB = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. MERGEPRB.
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT IN-A ASSIGN TO INA ORGANIZATION IS LINE SEQUENTIAL.
           SELECT IN-B ASSIGN TO INB ORGANIZATION IS LINE SEQUENTIAL.
           SELECT OUT-C ASSIGN TO OUTC ORGANIZATION IS LINE SEQUENTIAL.
           SELECT WORK-M ASSIGN TO WORKM.
       DATA DIVISION.
       FILE SECTION.
       FD  IN-A.
       01  A-REC                    PIC X(10).
       FD  IN-B.
       01  B-REC                    PIC X(10).
       FD  OUT-C.
       01  C-REC                    PIC X(10).
       SD  WORK-M.
       01  M-REC.
           05  M-KEY                PIC X(3).
           05  M-REST               PIC X(7).
       WORKING-STORAGE SECTION.
       01  WS-EOF                   PIC X VALUE 'N'.
       PROCEDURE DIVISION.
       0000-MAIN.
           MERGE WORK-M ON ASCENDING KEY M-KEY USING IN-A IN-B
               GIVING OUT-C
           MERGE WORK-M ON DESCENDING KEY M-KEY USING IN-B IN-A
               OUTPUT PROCEDURE IS 1000-SHOW
           STOP RUN.
       1000-SHOW.
           PERFORM UNTIL WS-EOF = 'Y'
               RETURN WORK-M
                   AT END MOVE 'Y' TO WS-EOF
                   NOT AT END DISPLAY M-REC
               END-RETURN
           END-PERFORM.
"""


@pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")
def test_merge_matches_gnucobol(tmp_path: Path) -> None:
    scenario = Scenario("run", {"INA": b"AAA1\nCCC1\nCCC2\nEEE1\n", "INB": b"BBB2\nCCC3\nDDD2\n"})
    probe = run_probe(tmp_path, {"MERGEPRB": MERGEPRB}, "MERGEPRB", scenario,
                      dd_names=["INA", "INB", "OUTC"])
    assert not probe.translations["MERGEPRB"].unsupported
    assert probe.verdict.equivalent, probe.report()
    legacy = probe.legacy
    assert legacy.files["OUTC"] == b"AAA1\nBBB2\nCCC1\nCCC2\nCCC3\nDDD2\nEEE1\n"
    assert [line.strip() for line in legacy.stdout.decode().splitlines()] == [
        "EEE1", "DDD2", "CCC3", "CCC1", "CCC2", "BBB2", "AAA1"]
