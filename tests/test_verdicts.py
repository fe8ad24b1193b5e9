"""Honest verdicts on a shop-shaped estate (``tests/fixtures/vsam_shop``), against GnuCOBOL.

The estate: CUSTUPD applies daily transactions to a VSAM KSDS customer master (RECORD KEY, an
ALTERNATE KEY WITH DUPLICATES) read by key, REWRITEs it and lists it in key order, CALLing
DATECHK; DATECHK (PROCEDURE DIVISION USING) is also run by a JCL step with PARM='20240131';
BRNRPT has USING too and is run through an in-stream procedure with PARM='001,0000100';
BRNTOTL reads a RELATIVE file; ARCHLOAD opens a fixed path no run provides, so its OPEN always
fails (status 35) on both sides; OLDRATE is a subprogram nothing calls or runs.

Asserted: JCL makes the USING programs batch; seeded scenarios get past OPEN (the main loop is
entered, coverage beyond the error-path prologue); indexed outputs compare as records in key
order (their bytes differ by design); the exact verdict of every program; a deliberately
broken translation is "different" naming the field; zero scenarios is "not-validated".
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import require_tool

from modernize.analysis.graphs import jcl_runs
from modernize.analysis.run import analyze_into
from modernize.analysis.store import load_analysis
from modernize.core.model import Estate
from modernize.translate import translate_estate
from modernize.validate.harness import build, run
from modernize.validate.harness.compare import (
    IndexedContent,
    Key,
    StoredFile,
    Utilities,
    compare,
    indexed_outputs,
    python_indexed_file,
    read_python_indexed,
    stored_files,
)
from modernize.validate.harness.legacy import RunResult
from modernize.validate.harness.python import run_python
from modernize.validate.harness.scenarios import (
    StoredInputs,
    explore,
    reachable_paragraphs,
    record_values,
    seeded_inputs,
    seeded_scenario,
)
from modernize.validate.verdicts import (
    DIFFERENT,
    EQUIVALENT,
    ERROR_PATHS_ONLY,
    NOT_VALIDATED,
    ProgramValidation,
    ScenarioVerdict,
    base_scenario,
    validate_estate,
)

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "tests" / "fixtures" / "vsam_shop"
COBC = require_tool("cobc")
pytestmark = pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")
MIN_SCENARIOS = 8


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("vsam-shop")
    analyze_into(SHOP, base / "analysis")
    estate, _ = load_analysis(base / "analysis")
    translate_estate(estate, base / "code")
    validation = validate_estate(estate, base / "code", base / "validation",
                                 min_scenarios=MIN_SCENARIOS, explore_budget=40)
    report = json.loads((base / "validation/validation.json").read_text())
    return {"base": base, "estate": estate, "validation": validation, "report": report}


def _program(estate: Estate, name: str):
    program = estate.program(name)
    assert program is not None, name
    return program


# --------------------------------------------------------------------------- JCL and kinds


def test_jcl_decides_what_is_batch(shop):
    estate = shop["estate"]
    kinds = {p.name: p.kind for p in estate.programs}
    # USING programs a JCL step runs (one through an in-stream procedure) are batch
    assert kinds == {"ARCHLOAD": "batch", "BRNRPT": "batch", "BRNTOTL": "batch",
                     "CUSTUPD": "batch", "DATECHK": "batch", "OLDRATE": "subprogram"}
    assert _program(estate, "BRNRPT").entry_using == ("LK-PARM",)
    runs = jcl_runs(estate)
    assert [(job.name, step.name, step.parm) for job, step in runs["BRNRPT"]] == [
        ("CUSTDLY", "STEP020.RPT", "001,0000100")]
    assert [step.parm for _, step in runs["DATECHK"]] == ["20240131"]
    assert "OLDRATE" not in runs


def test_a_jcl_run_program_gets_the_jcl_parm_then_more(shop):
    estate = shop["estate"]
    base, extra = base_scenario(_program(estate, "BRNRPT"), SHOP, estate)
    assert base.parm == "001,0000100"
    assert {s.name: s.parm for s in extra if s.name.startswith("parm:")} == {
        "parm:seeded": "001 0000010", "parm:empty": ""}
    # a program without USING never gets one
    assert seeded_scenario(_program(estate, "CUSTUPD"), SHOP, "IGNORED").parm is None


# --------------------------------------------------------------------------- verdicts


def test_every_program_gets_its_verdict_by_id(shop):
    report = shop["report"]
    verdicts = {k: (v["verdict"], v["program"]) for k, v in report["verdicts"].items()}
    assert verdicts == {
        "cobol:ARCHLOAD": (ERROR_PATHS_ONLY, "ARCHLOAD"),
        "cobol:BRNRPT": (EQUIVALENT, "BRNRPT"),
        "cobol:BRNTOTL": (NOT_VALIDATED, "BRNTOTL"),
        "cobol:CUSTUPD": (EQUIVALENT, "CUSTUPD"),
        "cobol:DATECHK": (EQUIVALENT, "DATECHK"),
        "cobol:OLDRATE": (NOT_VALIDATED, "OLDRATE"),
    }
    assert report["counts"] == {
        "programs": 6, "translated": 6, EQUIVALENT: 3, ERROR_PATHS_ONLY: 1, DIFFERENT: 0,
        NOT_VALIDATED: 2, "not_validated_reasons": {
            "subprogram entered by no caller's scenario": 1, "unsupported statements": 1}}
    assert "ORGANIZATION RELATIVE" in report["verdicts"]["cobol:BRNTOTL"]["reason"]
    # the older readers' keys stay: programs by name, and every not-validated one skipped
    assert set(report["programs"]) == {"ARCHLOAD", "BRNRPT", "CUSTUPD", "DATECHK"}
    assert set(report["skipped"]) == {"BRNTOTL", "OLDRATE"}
    assert shop["validation"].counts() == report["counts"]


def test_zero_scenarios_is_not_validated_never_full_coverage(shop):
    oldrate = shop["report"]["verdicts"]["cobol:OLDRATE"]
    assert oldrate["scenarios"] == 0 and oldrate["coverage"] is None
    assert oldrate["reason"] == ("subprogram entered by no caller's scenario: no program of "
                                 "the estate calls it")
    through = shop["report"]["subprograms"]["OLDRATE"]
    assert through["verdict"] == NOT_VALIDATED and through["paragraph_coverage"] == 0.0
    assert "not validated" in (shop["base"] / "validation/validation.md").read_text()
    empty = ProgramValidation("X", 0, 0, ["A", "B"], [], [])
    assert empty.coverage == 0.0 and empty.category()[0] == NOT_VALIDATED
    assert empty.summary()["paragraph_coverage"] is None


def test_an_open_that_always_fails_is_error_paths_only(shop):
    archload = shop["report"]["programs"]["ARCHLOAD"]
    assert archload["scenarios"] >= 1 and archload["main_path_scenarios"] == 0
    assert archload["equivalent"] == archload["scenarios"]
    for verdict in archload["verdicts"]:
        assert verdict["legacy_returncode"] == verdict["python_returncode"] == 12
        assert verdict["main_path"] is False
    # the prologue is what the failing run entered; the counting loop never ran
    assert archload["error_path_paragraphs"] == ["0000-MAIN", "1000-OPEN"]
    assert archload["missed_paragraphs"] == ["2000-COUNT"]


def test_vsam_scenarios_get_past_open_and_are_equivalent(shop):
    custupd = shop["report"]["programs"]["CUSTUPD"]
    assert custupd["equivalent"] == custupd["scenarios"] >= MIN_SCENARIOS
    assert custupd["error_path_paragraphs"] == ["0000-MAIN", "1000-OPEN-FILES", "9900-ABEND"]
    entered = set().union(*(v["paragraphs"] for v in custupd["verdicts"] if v["main_path"]))
    # the main loop: keyed reads that find and miss, the update, the browse in key order
    assert {"2100-PROCESS-TRAN", "2200-APPLY", "2300-REJECT", "2400-REWRITE",
            "3000-LIST-MASTER", "3100-LIST-ONE"} <= entered
    reachable = custupd["reachable_paragraphs"]
    assert custupd["paragraph_coverage"] > len(custupd["error_path_paragraphs"]) / reachable
    by_name = {v["scenario"]: v for v in custupd["verdicts"]}
    assert by_name["seeded-inputs"]["main_path"] is True
    assert by_name["probe:inputs-missing"]["main_path"] is False
    assert by_name["probe:inputs-missing"]["legacy_returncode"] == 16


def test_parm_programs_run_under_the_driver_on_both_sides(shop):
    datechk = shop["report"]["programs"]["DATECHK"]
    assert datechk["equivalent"] == datechk["scenarios"] >= MIN_SCENARIOS
    codes = {v["legacy_returncode"] for v in datechk["verdicts"]}
    assert codes == {0, 4, 8}  # a good date, a bad one, no PARM: the PARM reached it
    names = {v["scenario"] for v in datechk["verdicts"]}
    assert "seeded-inputs" in names and "parm:empty" in names
    assert any(n.startswith("88:PARM:LK-MM-VALID") for n in names)
    brnrpt = shop["report"]["programs"]["BRNRPT"]
    assert brnrpt["equivalent"] == brnrpt["scenarios"] and brnrpt["paragraph_coverage"] == 1.0


def test_a_program_both_called_and_jcl_run_is_both(shop):
    report = shop["report"]
    through = report["subprograms"]["DATECHK"]
    assert through["through"] == ["CUSTUPD"] and through["run_by_jcl"] is True
    assert through["scenarios_entering"] > 0 and through["verdict"] == EQUIVALENT
    verdict = report["verdicts"]["cobol:DATECHK"]
    assert verdict["roles"] == ["batch", "jcl", "called"]
    assert verdict["reason"].startswith("as a batch program: ")
    assert "; through its callers: " in verdict["reason"]
    assert verdict["scenarios"] == report["programs"]["DATECHK"]["scenarios"] + \
        through["scenarios_entering"]


# --------------------------------------------------------------------------- indexed files


def test_indexed_outputs_are_equal_as_records_not_bytes(shop, tmp_path):
    estate, base = shop["estate"], shop["base"]
    program = _program(estate, "CUSTUPD")
    built = build(program, estate, SHOP, tmp_path / "work")
    inputs = StoredInputs(program, SHOP, tmp_path / "work")
    scenario = seeded_scenario(program, SHOP)
    legacy = run(built, inputs.legacy(scenario))
    python = run_python(base / "code/custupd.py", inputs.python(scenario), built.dd_names,
                        "CUSTUPD")
    assert "CUSTMAST" in legacy.outputs and "CUSTMAST" in python.outputs
    assert legacy.files["CUSTMAST"] != python.files["CUSTMAST"]  # Berkeley DB vs SQLite
    assert legacy.files["CUSTMAST"][12:16] == b"\x62\x31\x05\x00"  # the BDB btree magic
    assert python.files["CUSTMAST"].startswith(b"SQLite format 3\0")
    records = indexed_outputs(inputs.stored, legacy, python, inputs.utilities)
    want, got = records["CUSTMAST"]
    assert want == got and want.records is not None and len(want.records) == 3
    values = [record_values(program, "CM-RECORD", r) for r in want.records]
    assert [v["CM-CUST-ID"] for v in values] == ["000001", "000002", "000003"]
    # deposits of 10.00 and 30.00 applied; customer 2 is closed and keeps its balance
    assert [str(v["CM-BALANCE"]) for v in values] == ["20.00", "20.00", "60.00"]
    assert [int(v["CM-TXN-COUNT"]) for v in values] == [11, 20, 31]
    assert compare(legacy, python, program, indexed=records).equivalent
    # without the record comparison the same runs read as different
    assert not compare(legacy, python, program).equivalent


def test_a_broken_translation_of_the_vsam_program_is_different(shop, tmp_path):
    code = tmp_path / "code"
    shutil.copytree(shop["base"] / "code", code)
    module = code / "custupd.py"
    text = module.read_text()
    deposit = "self.cm_record.cm_balance += self.tr_record.tr_amount\n"
    assert text.count(deposit) == 1
    module.write_text(text.replace(deposit, "self.cm_record.cm_balance += "
                                            "self.tr_record.tr_amount.get() * 2\n"))
    validation = validate_estate(shop["estate"], code, tmp_path / "validation",
                                 programs=["CUSTUPD"], min_scenarios=MIN_SCENARIOS,
                                 explore_budget=40)
    verdict = validation.verdicts["cobol:CUSTUPD"]
    assert verdict.verdict == DIFFERENT
    assert ("seeded-inputs: file:CUSTMAST record 1 field CM-BALANCE of CM-RECORD (byte 33): "
            "expected 20.00, got 30.00") in verdict.reason
    assert validation.verdicts["cobol:BRNRPT"].reason == "not selected (--program)"


def test_records_of_a_ksds_are_unique_and_in_key_order():
    stored = StoredFile("MAST", "INDEXED", 8, Key(0, 3), (Key(3, 2, duplicates=True),
                                                        Key(5, 3)))
    records = [b"003AAxx1", b"001BBxx2", b"003CCxx3", b"002AAxx1", b"004AAxx4", b"0"]
    assert stored.normalize(records) == [
        b"0       ",  # padded, lowest key
        b"001BBxx2", b"003AAxx1", b"004AAxx4"]
    # 003 again (primary) and 002 (alternate xx1 without DUPLICATES) are refused by a KSDS


def test_loaded_ksds_reads_by_alternate_key_under_gnucobol(tmp_path):
    """The loader's Berkeley DB file, with its alternate index, read by a COBOL program."""
    stored = StoredFile("CUSTMAST", "INDEXED", 12, Key(0, 6), (Key(6, 3, duplicates=True),))
    records = [b"000003002ccc", b"000001001aaa", b"000002001bbb"]
    files = Utilities(tmp_path / "work").load(stored, records)
    assert set(files) == {"CUSTMAST", "CUSTMAST.1"}
    source = tmp_path / "BYBRNCH.cbl"
    source.write_text("""\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. BYBRNCH.
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT CUST ASSIGN TO CUSTMAST ORGANIZATION INDEXED
               ACCESS DYNAMIC RECORD KEY CU-ID
               ALTERNATE RECORD KEY CU-BRANCH WITH DUPLICATES
               FILE STATUS WS-ST.
       DATA DIVISION.
       FILE SECTION.
       FD  CUST.
       01  CU-REC.
           05  CU-ID      PIC X(6).
           05  CU-BRANCH  PIC X(3).
           05  CU-NAME    PIC X(3).
       WORKING-STORAGE SECTION.
       01  WS-ST          PIC XX.
       PROCEDURE DIVISION.
           OPEN INPUT CUST
           MOVE '001' TO CU-BRANCH
           START CUST KEY IS = CU-BRANCH
           PERFORM UNTIL WS-ST NOT = '00'
               READ CUST NEXT RECORD
               IF WS-ST = '00' OR '02'
                   DISPLAY CU-ID ' ' CU-BRANCH ' ' CU-NAME
               END-IF
           END-PERFORM
           CLOSE CUST
           STOP RUN.
""")
    exe = tmp_path / "bybrnch"
    subprocess.run([COBC, "-x", "-fassign-clause=ibm", "-o", str(exe), str(source)],
                   check=True, capture_output=True)
    folder = tmp_path / "run"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    done = subprocess.run([str(exe)], cwd=folder, capture_output=True, check=True,
                          env={"DD_CUSTMAST": str(folder / "CUSTMAST"), "PATH": "/usr/bin"})
    # branch 001 by the alternate index (both of its duplicates), then on to branch 002
    assert done.stdout.decode().splitlines() == ["000001 001 aaa", "000002 001 bbb",
                                                 "000003 002 ccc"]
    # and the dumper reads the file back in primary-key order
    dumped = Utilities(tmp_path / "work").dump(stored, files)
    assert dumped.records == (b"000001001aaa", b"000002001bbb", b"000003002ccc")


def test_python_side_indexed_file_round_trips():
    stored = StoredFile("MAST", "INDEXED", 6, Key(0, 2))
    data = python_indexed_file(stored, [b"02bbbb", b"01aaaa", b"01zzzz"])
    assert read_python_indexed(data) == IndexedContent((b"01aaaa", b"02bbbb"))
    assert read_python_indexed(None).absent
    broken = read_python_indexed(b"not a database at all" * 100)
    assert broken.records is None and "not an indexed file" in broken.error


def test_seeded_inputs_align_keys_and_alternate_duplicates(shop):
    estate = shop["estate"]
    program = _program(estate, "CUSTUPD")
    inputs = seeded_inputs(program, stored_files(program, SHOP))
    masters = StoredFile("CUSTMAST", "INDEXED", 50, Key(0, 6)).split(inputs["CUSTMAST"])
    master = [record_values(program, "CM-RECORD", r) for r in masters]
    assert [m["CM-CUST-ID"] for m in master] == ["000001", "000002", "000003"]
    assert [m["CM-BRANCH"] for m in master] == ["001", "001", "002"]  # WITH DUPLICATES
    assert [m["CM-STATUS"] for m in master] == ["A", "C", "A"]  # each 88 value in turn
    trans = [record_values(program, "TR-RECORD", line)
             for line in inputs["TRANIN"].splitlines()]
    # the transactions carry the master's keys in turn, then one it does not hold
    assert [t["TR-CUST-ID"] for t in trans] == ["000001", "000002", "000003", "000903"]
    assert [t["TR-CODE"] for t in trans] == ["D", "W", "D", "W"]
    assert all(t["TR-DATE"].startswith("202401") for t in trans)


def test_relative_inputs_are_built_for_gnucobol(shop, tmp_path):
    """The runtime has no RELATIVE files (BRNTOTL is not validated), but its scenarios are
    built and run on GnuCOBOL past the OPEN."""
    estate = shop["estate"]
    program = _program(estate, "BRNTOTL")
    built = build(program, estate, SHOP, tmp_path / "work")
    base = seeded_scenario(program, SHOP)
    found = explore(program, estate, built, base, budget=10,
                    inputs=StoredInputs(program, SHOP, tmp_path / "work"))
    assert found.covered == reachable_paragraphs(program) == {"0000-MAIN", "1000-LIST",
                                                              "2000-LOOKUP"}
    seeded = found.results["seeded-inputs"]
    assert seeded.returncode == 0
    assert b"BRANCHES 0003" in seeded.stdout and b"SLOT 2 IS BRANCH 002" in seeded.stdout


def test_duplicate_program_ids_stay_apart(tmp_path):
    text = """\
000100 IDENTIFICATION DIVISION.
000200 PROGRAM-ID. RPTDATE.
000300 PROCEDURE DIVISION.
000400 0000-MAIN.
000500     DISPLAY '{0}'
000600     STOP RUN.
"""
    for folder, word in (("cobol", "CURRENT"), ("old", "STALE COPY")):
        (tmp_path / "src" / folder).mkdir(parents=True)
        (tmp_path / "src" / folder / "RPTDATE.cbl").write_text(text.format(word))
    analyze_into(tmp_path / "src", tmp_path / "analysis")
    estate, _ = load_analysis(tmp_path / "analysis")
    translate_estate(estate, tmp_path / "code")
    validation = validate_estate(estate, tmp_path / "code", tmp_path / "validation",
                                 min_scenarios=1)
    assert {k: v.verdict for k, v in validation.verdicts.items()} == {
        "cobol:RPTDATE": EQUIVALENT, "cobol:RPTDATE@old/RPTDATE.cbl": EQUIVALENT}
    report = json.loads((tmp_path / "validation/validation.json").read_text())
    assert set(report["programs"]) == {"RPTDATE", "RPTDATE@old/RPTDATE.cbl"}
    stale = next(p for p in validation.programs if p.id == "cobol:RPTDATE@old/RPTDATE.cbl")
    assert stale.runs and all(v.main_path for v in stale.verdicts)


def test_error_path_rule_needs_a_failure_inside_the_prologue():
    from modernize.validate.verdicts import _category, _main_path

    program = _fake_program()
    failed = _run(12, {"0000-MAIN": 1, "1000-OPEN": 1})
    ended = _run(0, {"0000-MAIN": 1, "1000-OPEN": 1})
    further = _run(12, {"0000-MAIN": 1, "1000-OPEN": 1, "2000-READ": 3})
    prologue = {"0000-MAIN", "1000-OPEN"}
    assert not _main_path(program, failed, prologue)
    assert _main_path(program, ended, prologue)  # no failure: the run ended normally
    assert _main_path(program, further, prologue)  # it read past the OPEN
    verdicts = [ScenarioVerdict("a", True, 12, 12, main_path=False)]
    assert _category(verdicts)[0] == ERROR_PATHS_ONLY
    assert _category([*verdicts, ScenarioVerdict("b", True, 0, 0)])[0] == EQUIVALENT
    assert _category([*verdicts, ScenarioVerdict("c", False, 0, 4, "rc")])[0] == DIFFERENT


def _fake_program():
    from modernize.core.model import FileOp, Program
    return Program(id="cobol:P", name="P", path="P.cbl", kind="batch", file_ops=(
        FileOp(file="P.cbl", line=5, paragraph="1000-OPEN", verb="OPEN", file_name="F",
               mode="INPUT"),))


def _run(returncode: int, trace: dict[str, int]) -> RunResult:
    return RunResult("P", "s", returncode, b"", b"", {}, (), {"P": trace})
