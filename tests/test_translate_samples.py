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
from modernize.translate.codecheck import check_module

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
    for name in [*BATCH, "DATEVAL", "DELQSQL"]:
        info = report[name]
        assert (code / info["module"]).is_file()
        assert info["module"] == f"{name.lower()}.py"
        assert info["unsupported"] == [], (name, info["unsupported"])
        assert info["statements"] == info["translated"] > 20
        assert info["coverage"] == 1.0
    assert "ACCTINQ" not in report  # CICS: online, not a batch translation


def test_generated_modules_pass_the_checks_with_provenance(translated):
    _, code = translated
    for module in sorted(code.glob("*.py")):
        report = check_module(module.read_text())
        assert report.ok, (module.name, report.describe())
        assert report.provenance and all(report.provenance.values()), module.name
    tranval = check_module((code / "tranval.py").read_text()).provenance
    stamp = tranval["Tranval.edit_fields"][0]
    assert (stamp.path, stamp.first_line) == ("cobol/TRANVAL.cbl", 248)
    assert stamp.model_id == "cobol:TRANVAL/para:2200-EDIT-FIELDS"


POINTER = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. POINTER.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-STEP                  PIC 9 VALUE 1.
       01  WS-PTR                   USAGE POINTER.
       PROCEDURE DIVISION.
           DISPLAY 'BEFORE THE POINTER'
           ADD 1 TO WS-STEP
           SET WS-PTR TO ADDRESS OF WS-STEP
           DISPLAY 'AFTER THE POINTER'
           STOP RUN.
"""


def test_an_unsupported_statement_is_listed_and_stops_the_run_loudly(tmp_path):
    from modernize.analysis.run import analyze_into
    from modernize.analysis.store import load_analysis
    from modernize.translate import translate_estate
    from modernize.validate.harness.legacy import Scenario
    from modernize.validate.harness.python import run_python

    (tmp_path / "src").mkdir()
    (tmp_path / "src/POINTER.cbl").write_text(POINTER)
    analyze_into(tmp_path / "src", tmp_path / "analysis")
    estate, _ = load_analysis(tmp_path / "analysis")
    result = translate_estate(estate, tmp_path / "code")
    [translation] = result.translations
    # the data item the runtime cannot hold, and the statement that needs it
    assert [(u.file, u.line, u.construct) for u in translation.unsupported] == [
        ("POINTER.cbl", 6, "USAGE POINTER"), ("POINTER.cbl", 10, "SET")]
    assert translation.coverage == 4 / 5  # DISPLAY, ADD, DISPLAY and STOP RUN are
    report = json.loads((tmp_path / "code/translation.json").read_text())["programs"]
    assert report["POINTER"]["unsupported"][1]["line"] == 10
    assert "| POINTER | POINTER.cbl:10 | SET | SET ... TO ADDRESS is not supported |" in (
        tmp_path / "code/translation.md").read_text()
    run = run_python(tmp_path / "code/pointer.py", Scenario("empty", {}), [], "POINTER")
    assert run.returncode == 70
    assert run.stdout == b"BEFORE THE POINTER\n"  # nothing after the statement it cannot do
    assert b"POINTER line 10: SET is not supported by the translator" in run.stderr


@pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")
def test_validate_every_batch_program_against_gnucobol(plain_run: Path) -> None:
    """The validation of the session's plain ``modernize run`` of the samples (the
    ``validate`` command itself is run by test_refine and test_shop)."""
    out = plain_run / "validation"
    report = json.loads((out / "validation.json").read_text())
    done = json.loads((plain_run.parent / "run.json").read_text(encoding="utf-8"))
    assert done["returncode"] == 0, done["stdout"] + json.dumps(report, indent=1)[:3000]
    programs = report["programs"]
    assert sorted(programs) == BATCH
    assert "DB2 precompiler" in report["skipped"]["DELQSQL"]
    for name, info in programs.items():
        assert info["scenarios"] >= 21, name
        assert info["generated_scenarios"] >= 20, name
        assert info["equivalent"] == info["scenarios"], (name, info["first_difference"])
        assert info["paragraph_coverage"] >= 0.9, (name, info["missed_paragraphs"])
    # every batch program and DATEVAL (through its callers) got past its OPENs: equivalent
    verdicts = {k: v["verdict"] for k, v in report["verdicts"].items()}
    assert verdicts == {**{f"cobol:{name}": "equivalent" for name in [*BATCH, "DATEVAL"]},
                        "cobol:ACCTINQ": "not-validated", "cobol:DELQSQL": "not-validated"}
    for name in BATCH:
        assert report["verdicts"][f"cobol:{name}"]["main_path_scenarios"] >= 15, name
    assert report["counts"]["equivalent"] == 8 and report["counts"]["different"] == 0
    dateval = report["subprograms"]["DATEVAL"]
    assert set(dateval["through"]) == {"ACCTUPDT", "INTCALC", "TRANVAL"}
    assert dateval["paragraph_coverage"] >= 0.9, dateval["missed_paragraphs"]
    # counted per scenario: a run that stops before its first CALL does not enter DATEVAL
    entering = sum("DATEVAL" in v["subprograms"] for name in dateval["through"]
                   for v in programs[name]["verdicts"])
    assert 0 < dateval["scenarios_entering"] == entering < dateval["scenarios"]
    text = (out / "validation.md").read_text()
    assert "| TRANVAL |" in text and "`Tranval.edit_fields`" in text


def test_long_generated_lines_are_wrapped_without_changing_the_code() -> None:
    import ast

    from modernize.translate import wrap_long_lines

    line = ("        compute(self.ws_calc.ws_interest, lambda: self.acct.bal.get() * 2, "
            "rounded=True, on_size_error=False)  # keeps (this, comment)")
    wrapped = wrap_long_lines(line, width=60)
    assert wrapped.splitlines() == [
        "        compute(self.ws_calc.ws_interest,",
        "                lambda: self.acct.bal.get() * 2,",
        "                rounded=True,",
        "                on_size_error=False)  # keeps (this, comment)"]
    strings = "        display('A, (B', \"C, D)\", self.x, self.y, self.z, self.w, self.v)"
    assert ast.dump(ast.parse(wrap_long_lines(strings, 40).strip())) == \
        ast.dump(ast.parse(strings.strip()))


def test_generated_modules_are_clean_under_ruff_and_mypy(translated):
    """What a Python reviewer runs first: ruff's lint and formatter, and mypy, against the
    runtime's own types (errors inside the runtime are its own tests' business)."""
    import os
    import subprocess
    import sys

    import modernize

    _, code = translated
    modules = sorted(str(m) for m in code.glob("*.py"))
    assert len(modules) == 9
    ruff = [sys.executable, "-m", "ruff"]
    lint = subprocess.run([*ruff, "check", "--isolated", "--line-length", "100",
                           "--select", "E,F,W", *modules], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout
    layout = subprocess.run([*ruff, "format", "--isolated", "--line-length", "100", "--check",
                             *modules], capture_output=True, text=True)
    assert layout.returncode == 0, layout.stdout + layout.stderr
    package_parent = Path(modernize.__file__).resolve().parent.parent
    env = dict(os.environ)
    if package_parent.name not in ("site-packages", "dist-packages"):
        env["MYPYPATH"] = str(package_parent)  # a source checkout, installed editable
    typing = subprocess.run([sys.executable, "-m", "mypy", "--follow-imports=silent",
                             "--no-incremental", "--cache-dir", os.devnull, *modules],
                            capture_output=True, text=True, cwd=code, env=env)
    assert typing.returncode == 0, typing.stdout + typing.stderr
    assert "Success: no issues found in 9 source files" in typing.stdout


def test_the_samples_perform_by_direct_calls_with_plain_comparisons(translated):
    """translation.json says how the code is shaped: at least 90% of the samples' PERFORMs
    are method calls, and no compare()/add()/subtract()/sign() helper is left where a plain
    comparison or += means the same (in the samples: nowhere)."""
    _, code = translated
    report = json.loads((code / "translation.json").read_text())["programs"]
    shapes = {name: info["shape"] for name, info in report.items()}
    direct = sum(s["direct_calls"] for s in shapes.values())
    dispatched = sum(s["dispatched_performs"] for s in shapes.values())
    assert direct + dispatched > 100
    assert direct / (direct + dispatched) >= 0.9, shapes
    assert all(s["helper_calls"] == 0 for s in shapes.values()), shapes
    assert all(s["lines"] > 100 and s["longest_method_lines"] > 10 for s in shapes.values())
    intcalc = (code / "intcalc.py").read_text()
    assert "self.perform(" not in intcalc and "self.assess_account()" in intcalc
    # named after the paragraph without its number; the docstring keeps the COBOL name
    assert 'def assess_account(self) -> str | None:\n        """2000-ASSESS-ACCOUNT.' in intcalc
    dateval = (code / "dateval.py").read_text()  # 1000-EXIT, 2000-EXIT ...: not unique
    assert "def p_1000_exit(self)" in dateval and "def edit_date_1(self)" in dateval
    assert "self.ws_run_totals.ws_accts_read += 1" in intcalc
    assert 'if self.ws_file_statuses.ws_acctin_status.get() != "00":' in intcalc
    # a subscript that is an item on its own is given as the item, read in integers
    cardxtr = (code / "cardxtr.py").read_text()
    assert "self.card_master_rec.cm_card_entry[index(self.cm_cx)]" in cardxtr
    # an index name is an IndexName (its value kept as an int), not a field over 4 new bytes
    assert "self.cm_cx = IndexName()  # index CM-CX" in cardxtr
    # an item without decimals (an index name too) is compared and added up as an int
    assert "if self.ws_work.ws_window_mm.integer() > 12:" in cardxtr
    assert "while not self.cm_cx.integer() > self.card_master_rec.cm_card_count.integer():" \
        in cardxtr
    assert "self.ws_work_fields.ws_daynum_2.integer()" in dateval
    assert "self.ws_work_fields.ws_rem_4,\n            self.date_work_area.dw_ccyy.integer(),\n" \
        in dateval  # DIVIDE DW-CCYY BY 4 GIVING ... REMAINDER WS-REM-4
    # READ ... AT END CONTINUE: the phrase handles end of file and nothing tests the outcome
    assert "\n        self.file_card_in_file.read(handled=True)\n" in cardxtr
    assert not any("\n            pass\n" in path.read_text() for path in code.glob("*.py"))
    assert "ws_days_in_month[index(self.date_work_area.dw_mm)]" in dateval
    assert not any("index(number(" in path.read_text() for path in code.glob("*.py"))
    # the GO TO a method keeps is explained where it stands
    assert "GO TO 2000-WRITE-MASTER, the next paragraph, only ends it early" in intcalc
    text = (code / "translation.md").read_text()
    assert "## Shape of the code" in text and "| `intcalc.py` |" in text
    # every sample program holds its counters and totals as ints, and the reports say which
    held = {name: info["held_items"] for name, info in report.items()}
    assert all(held.values()), held
    assert "ws_run_totals.ws_accts_read" in held["INTCALC"]
    assert "self.ws_accts_read = self.held(0, " in intcalc
    [row] = [line for line in text.splitlines() if line.startswith("| `intcalc.py` | ")]
    assert row.split(" | ")[5] == str(len(held["INTCALC"])), row
