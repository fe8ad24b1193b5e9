"""STOP literal through the translator, checked against GnuCOBOL: the literal goes to the
console, the operator's reply (a line of standard input) is read and dropped, the run goes on."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import require_tool
from probe_support import run_probe

from modernize.validate.harness import Scenario

COBC = require_tool("cobc")

STOPPRB = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. STOPPRB.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-REPLY                 PIC X(5).
       PROCEDURE DIVISION.
           STOP 'MOUNT TAPE 2'
           ACCEPT WS-REPLY
           DISPLAY 'GOT ' WS-REPLY
           STOP 12
           STOP RUN.
"""


@pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")
@pytest.mark.parametrize("stdin", [b"AAA\nBBB\n", b""], ids=["replies", "no-input"])
def test_stop_literal_matches_gnucobol(tmp_path: Path, stdin: bytes) -> None:
    probe = run_probe(tmp_path, {"STOPPRB": STOPPRB}, "STOPPRB", Scenario("run", stdin=stdin))
    assert not probe.translations["STOPPRB"].unsupported
    assert probe.verdict.equivalent, probe.report()
    if stdin:  # the first line went to the STOP, the ACCEPT got the second
        assert probe.legacy.stdout == b"MOUNT TAPE 2\nGOT BBB  \n12\n"
