"""The sample estate end to end: `modernize translate`, then `modernize validate` against GnuCOBOL.

Every batch program translates with no unsupported statement, and is equivalent to GnuCOBOL on
at least 20 scenarios (the sample data, hand-written ones, and generated variants), reaching at
least 90% of its reachable paragraphs; the CALLed subprogram DATEVAL is reached through its
callers. The generated modules pass the libcst checks and carry provenance for every function.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import require_tool

from modernize.cli import main
from modernize.codecheck import check_module

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "legacy_samples"
BATCH = ["ACCTUPDT", "CARDXTR", "INTCALC", "POSTTRAN", "STMTRPT", "TRANSORT", "TRANVAL"]
COBC = require_tool("cobc")


@pytest.fixture(scope="module")
def translated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("translate")
    runner = CliRunner()
    analysis, code = base / "analysis", base / "code"
    result = runner.invoke(main, ["analyze", str(SAMPLES), "--out", str(analysis), "--quiet"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["translate", str(analysis), "--out", str(code)])
    assert result.exit_code == 0, result.output
    return analysis, code


def test_every_batch_program_translates_without_unsupported_statements(translated):
    _, code = translated
    report = json.loads((code / "translation.json").read_text())["programs"]
    for name in [*BATCH, "DATEVAL"]:
        info = report[name]
        assert (code / info["module"]).is_file()
        assert info["module"] == f"{name.lower()}.py"
        assert info["unsupported"] == [], (name, info["unsupported"])
        assert info["statements"] == info["translated"] > 20
        assert info["coverage"] == 1.0
    # the DB2 program translates, but its EXEC SQL blocks are listed, one per statement
    delqsql = report["DELQSQL"]
    assert delqsql["coverage"] < 1.0
    assert {"EXEC SQL"} <= {u["construct"] for u in delqsql["unsupported"]}
    assert all(u["line"] > 0 and u["file"].endswith("DELQSQL.cbl")
               for u in delqsql["unsupported"])
    assert "ACCTINQ" not in report  # CICS: online, not a batch translation


def test_generated_modules_pass_the_checks_with_provenance(translated):
    _, code = translated
    for module in sorted(code.glob("*.py")):
        report = check_module(module.read_text())
        assert report.ok, (module.name, report.describe())
        assert report.provenance and all(report.provenance.values()), module.name
    tranval = check_module((code / "tranval.py").read_text()).provenance
    stamp = tranval["Tranval.p_2200_edit_fields"][0]
    assert (stamp.path, stamp.first_line) == ("cobol/TRANVAL.cbl", 248)
    assert stamp.model_id == "cobol:TRANVAL/para:2200-EDIT-FIELDS"


def test_an_unsupported_statement_stops_the_run_loudly(translated, tmp_path):
    _, code = translated
    source = (code / "delqsql.py").read_text()
    assert "self.unsupported(" in source
    from modernize.harness.legacy import Scenario
    from modernize.harness.python import run_python
    result = run_python(code / "delqsql.py", Scenario("empty", {}), [], "DELQSQL")
    assert result.returncode == 70
    assert b"is not supported by the translator" in result.stderr


@pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")
def test_validate_every_batch_program_against_gnucobol(translated, tmp_path):
    analysis, code = translated
    out = tmp_path / "validation"
    result = CliRunner().invoke(main, ["validate", str(analysis), "--code", str(code),
                                       "--out", str(out), "--quiet"])
    report = json.loads((out / "validation.json").read_text())
    assert result.exit_code == 0, result.output + json.dumps(report, indent=1)[:3000]
    programs = report["programs"]
    assert sorted(programs) == BATCH
    for name, info in programs.items():
        assert info["scenarios"] >= 21, name
        assert info["generated_scenarios"] >= 20, name
        assert info["equivalent"] == info["scenarios"], (name, info["first_difference"])
        assert info["paragraph_coverage"] >= 0.9, (name, info["missed_paragraphs"])
    dateval = report["subprograms"]["DATEVAL"]
    assert set(dateval["through"]) == {"ACCTUPDT", "INTCALC", "TRANVAL"}
    assert dateval["paragraph_coverage"] >= 0.9, dateval["missed_paragraphs"]
    text = (out / "validation.md").read_text()
    assert "| TRANVAL |" in text and "`Tranval.p_2200_edit_fields`" in text
