"""CALL ... USING BY VALUE between two translated programs, checked against GnuCOBOL.

GnuCOBOL 3.1.2 marks BY VALUE between COBOL programs as unfinished (-Wunfinished) but runs it:
the callee gets a copy of a binary item, so its changes do not come back, while a BY REFERENCE
argument's do. The translation passes a binary item BY VALUE as a copy and refuses the other
forms (reported as unsupported).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import require_tool
from probe_support import run_probe

from modernize.validate.harness import Scenario

COBC = require_tool("cobc")

BYVALUE = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. BYVALUE.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-N                     PIC S9(9) COMP-5 VALUE 42.
       01  WS-M                     PIC S9(4) COMP-5 VALUE 7.
       PROCEDURE DIVISION.
           CALL 'BYVSUB' USING BY VALUE WS-N BY REFERENCE WS-M
           DISPLAY 'AFTER ' WS-N ' ' WS-M
           CALL 'BYVSUB' USING BY VALUE WS-N BY REFERENCE WS-M
           DISPLAY 'AFTER ' WS-N ' ' WS-M
           STOP RUN.
       END PROGRAM BYVALUE.
       IDENTIFICATION DIVISION.
       PROGRAM-ID. BYVSUB.
       DATA DIVISION.
       LINKAGE SECTION.
       01  LK-P                     PIC S9(9) COMP-5.
       01  LK-Q                     PIC S9(4) COMP-5.
       PROCEDURE DIVISION USING BY VALUE LK-P BY REFERENCE LK-Q.
           DISPLAY 'IN ' LK-P ' ' LK-Q
           ADD 1 TO LK-P LK-Q
           GOBACK.
       END PROGRAM BYVSUB.
"""


@pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")
def test_by_value_and_by_reference_match_gnucobol(tmp_path: Path) -> None:
    probe = run_probe(tmp_path, {"BYVALUE": BYVALUE}, "BYVALUE", Scenario("run"))
    assert probe.estate.program("BYVSUB").entry_using == ("LK-P", "LK-Q")
    assert all(not t.unsupported for t in probe.translations.values())
    assert probe.verdict.equivalent, probe.report()
    legacy = probe.legacy
    assert legacy.stdout.decode().splitlines() == [
        "IN +0000000042 +00007", "AFTER +0000000042 +00008",
        "IN +0000000042 +00008", "AFTER +0000000042 +00009"]
