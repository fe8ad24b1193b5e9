"""Scenario generation: records built from the layouts, predicate flips, and coverage search.

Records built for sample layouts decode back through the runtime; a probe program with COMP-3,
COMP and signed fields in a fixed-length file reads back, under cobc, the values the records
were built with. TRANVAL and POSTTRAN, explored from their sample data, reach at least 90% of
their reachable paragraphs without a crash; a probe with ``IF WS-AMT > 100`` shows the flip.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import require_tool

from modernize.analysis.run import analyze_into
from modernize.analysis.store import load_analysis
from modernize.core.model import Estate
from modernize.validate.harness import Scenario, build, run
from modernize.validate.harness.scenarios import (
    Operand,
    ScenarioError,
    explore,
    flip_values,
    generate,
    load_scenarios,
    make_record,
    parse_condition,
    record_fields,
    record_values,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "legacy_samples"
COBC = require_tool("cobc")
needs_cobc = pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")

BASES = {
    "TRANVAL": {"CTLCARD": "data/ctlcard.dat", "TRANIN": "data/tranin.dat"},
    "POSTTRAN": {"CTLCARD": "data/ctlcard.dat", "ACCTIN": "data/acctmast.dat",
                 "TRANIN": "expected/TRANSORT/SORTOUT", "SUSPNSE": "data/suspense.dat"},
}


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Estate:
    out = tmp_path_factory.mktemp("analysis")
    analyze_into(SAMPLES, out)
    loaded, _ = load_analysis(out)
    return loaded


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("scenario-work")


def sample_base(program: str) -> Scenario:
    return Scenario("sample-data", {dd: (SAMPLES / path).read_bytes()
                                    for dd, path in BASES[program].items()})


def probe_estate(tmp_path: Path, name: str, text: str) -> tuple[Estate, Path]:
    root = tmp_path / "probe"
    root.mkdir()
    (root / f"{name}.cbl").write_text(text)
    out = tmp_path / "analysis"
    analyze_into(root, out)
    loaded, _ = load_analysis(out)
    return loaded, root


# --------------------------------------------------------------------------- records


def test_line_sequential_record_round_trips(estate):
    tranval = estate.program("TRANVAL")
    values = {"TI-TRAN-ACCT-NO": 1010000017, "TI-TRAN-DATE": 20240314,
              "TI-TRAN-TIME": 93015, "TI-TRAN-CODE": "PU", "TI-TRAN-AMT": Decimal("45.99"),
              "TI-TRAN-SOURCE": "P", "TI-TRAN-DESC": "CORNER GROCERY #112",
              "TI-TRAN-AUTH-CODE": "A1B2C3", "TI-TRAN-BATCH-NO": 412}
    line = make_record(tranval, "TI-TRAN-REC", values)
    # the first sample transaction, byte for byte: a line without its trailing spaces
    assert line == (SAMPLES / "data/tranin.dat").read_bytes().split(b"\n")[0] + b"\n"
    decoded = record_values(tranval, "TI-TRAN-REC", line)
    for name, value in values.items():
        want = Decimal(value) if isinstance(value, int | Decimal) else value.ljust(
            next(s.length for s in record_fields(tranval, "TI-TRAN-REC") if s.name == name))
        assert decoded[name] == want, name
    assert decoded["TI-TRAN-AMT-X"] == "000004599"  # the REDEFINES sees the same bytes


def test_record_read_into_a_working_storage_layout(estate):
    posttran = estate.program("POSTTRAN")
    # ACCT-MASTER-REC is the layout ACCTIN is READ INTO; the balance is SIGN LEADING SEPARATE
    line = make_record(posttran, "ACCT-MASTER-REC", {
        "ACCT-NUMBER": 1010000017, "ACCT-STATUS": "A", "ACCT-BALANCE": Decimal("-12.34"),
        "ACCT-CREDIT-LIMIT": Decimal("5000"), "ACCT-DELINQ-CYCLES": 6})
    assert line.endswith(b"\n") and len(line) <= 121
    record = line[:-1].ljust(120)
    assert record[54:64] == b"-000001234"
    values = record_values(posttran, "ACCT-MASTER-REC", line)
    assert values["ACCT-BALANCE"] == Decimal("-12.34")
    assert values["ACCT-CREDIT-LIMIT"] == Decimal("5000.00")
    assert values["ACCT-BRANCH-SFX"] == Decimal(1)  # part of the account number, redefined
    assert values["ACCT-DELINQ-CYCLES"] == 6 and values["ACCT-STATUS"] == "A"


def test_values_a_field_cannot_hold_are_refused(estate):
    tranval = estate.program("TRANVAL")
    with pytest.raises(ScenarioError, match="cannot hold"):
        make_record(tranval, "TI-TRAN-REC", {"TI-TRAN-AMT": Decimal("10000000")})
    with pytest.raises(ScenarioError, match="cannot hold"):
        make_record(tranval, "TI-TRAN-REC", {"TI-TRAN-AMT": Decimal("-1")})  # unsigned
    with pytest.raises(ScenarioError, match="cannot hold"):
        make_record(tranval, "TI-TRAN-REC", {"TI-TRAN-AMT": Decimal("1.001")})
    with pytest.raises(ScenarioError, match="longer"):
        make_record(tranval, "TI-TRAN-REC", {"TI-TRAN-CODE": "PUX"})
    with pytest.raises(ScenarioError, match="no field"):
        make_record(tranval, "TI-TRAN-REC", {"NO-SUCH-FIELD": 1})
    # dirty data is raw bytes
    line = make_record(tranval, "TI-TRAN-REC", {"TI-TRAN-AMT": b"\x00" * 9,
                                                "TI-TRAN-CODE": "PU"})
    assert line[24:35] == b"PU" + b"\x00" * 9


PROBE_FIXED = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. FIXPROBE.
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT FIX-FILE ASSIGN TO FIXIN
               ORGANIZATION IS SEQUENTIAL
               FILE STATUS IS WS-STATUS.
       DATA DIVISION.
       FILE SECTION.
       FD  FIX-FILE.
       01  FIX-REC.
           05  FX-ID           PIC X(4).
           05  FX-AMT          PIC S9(5)V99.
           05  FX-PACKED       PIC S9(7)V99 COMP-3.
           05  FX-HALF         PIC S9(4) COMP.
           05  FX-WORD         PIC 9(9) BINARY.
           05  FX-LONG         PIC S9(12) COMP.
           05  FX-SEP          PIC S9(3) SIGN LEADING SEPARATE.
           05  FX-ODD          PIC 9(3) COMP-3.
           05  FILLER          PIC X(5).
       WORKING-STORAGE SECTION.
       01  WS-STATUS           PIC XX.
       01  WS-EDIT             PIC -(12)9.99.
       PROCEDURE DIVISION.
       0000-MAIN.
           OPEN INPUT FIX-FILE
           PERFORM UNTIL WS-STATUS NOT = '00'
               READ FIX-FILE
                   AT END CONTINUE
                   NOT AT END PERFORM 1000-SHOW
               END-READ
           END-PERFORM
           CLOSE FIX-FILE
           STOP RUN.
       1000-SHOW.
           DISPLAY FX-ID
           MOVE FX-AMT TO WS-EDIT
           DISPLAY WS-EDIT
           MOVE FX-PACKED TO WS-EDIT
           DISPLAY WS-EDIT
           MOVE FX-HALF TO WS-EDIT
           DISPLAY WS-EDIT
           MOVE FX-WORD TO WS-EDIT
           DISPLAY WS-EDIT
           MOVE FX-LONG TO WS-EDIT
           DISPLAY WS-EDIT
           MOVE FX-SEP TO WS-EDIT
           DISPLAY WS-EDIT
           MOVE FX-ODD TO WS-EDIT
           DISPLAY WS-EDIT.
"""


@needs_cobc
def test_fixed_records_read_back_under_cobc(tmp_path):
    probe, root = probe_estate(tmp_path, "FIXPROBE", PROBE_FIXED)
    program = probe.program("FIXPROBE")
    rows = [
        {"FX-ID": "A001", "FX-AMT": Decimal("-123.45"), "FX-PACKED": Decimal("-9876543.21"),
         "FX-HALF": -2, "FX-WORD": 123456789, "FX-LONG": -999999999999, "FX-SEP": -7,
         "FX-ODD": 5},
        {"FX-ID": "B002", "FX-AMT": Decimal("99999.99"), "FX-PACKED": Decimal("0.01"),
         "FX-HALF": 9999, "FX-WORD": 0, "FX-LONG": 1, "FX-SEP": 999, "FX-ODD": 999},
    ]
    records = [make_record(program, "FIX-REC", row) for row in rows]
    # fixed length: 4 + 7 + 5 + 2 + 4 + 8 + 4 + 2 + 5 bytes, no newline
    assert [len(r) for r in records] == [41, 41]
    assert records[0][4:11] == b"001234u"  # GnuCOBOL's overpunch: '5' + 0x40
    assert records[0][11:16] == bytes.fromhex("987654321d")
    assert records[0][16:18] == b"\xff\xfe"
    for record, row in zip(records, rows, strict=True):
        decoded = record_values(program, "FIX-REC", record)
        assert {k: decoded[k] for k in row} == {
            k: v if isinstance(v, str) else Decimal(v) for k, v in row.items()}
    built = build(program, probe, root, tmp_path / "work", trace=False)
    result = run(built, Scenario("fixed", {"FIXIN": b"".join(records)}))
    assert result.returncode == 0, result.stderr
    shown = result.stdout.decode().split("\n")
    for i, row in enumerate(rows):
        block = shown[i * 8:(i + 1) * 8]
        assert block[0] == row["FX-ID"]
        numbers = [Decimal(v) for k, v in row.items() if k != "FX-ID"]
        assert [Decimal(text.strip()) for text in block[1:]] == numbers


# --------------------------------------------------------------------------- conditions


def test_conditions_are_split_into_simple_tests():
    atoms = parse_condition("WS-A NOT = 'X' AND WS-B GREATER THAN OR EQUAL TO 100 "
                            "OR (WS-C = 1 OR 2) AND WS-D (3:2) < '50' AND WS-E NOT NUMERIC")
    seen = [(a.subject.value, a.op, a.obj.value if a.obj else None) for a in atoms]
    assert seen == [("WS-A", "=", "X"), ("WS-B", ">=", Decimal(100)), ("WS-C", "=", Decimal(1)),
                    ("WS-C", "=", Decimal(2)), ("WS-D", "<", "50"), ("WS-E", "NUMERIC", None)]
    assert atoms[4].subject.subscript is None  # reference-modified: not set by flips
    [atom] = parse_condition("CT-COUNT (WS-SUB) > ZERO")
    assert atom.subject.subscript == "WS-SUB" and atom.obj == Operand("figurative", "ZERO")
    [when] = parse_condition("'D'", subject=Operand("name", "DP-FUNCTION"))
    assert (when.subject.value, when.op, when.obj.value) == ("DP-FUNCTION", "=", "D")


def test_flip_values_sit_on_the_boundary(estate):
    specs = {s.name: s for s in record_fields(estate.program("TRANVAL"), "TI-TRAN-REC")}
    amount = specs["TI-TRAN-AMT"]
    assert flip_values(amount, ">", Decimal(1000)) == (Decimal("1000.01"), Decimal(1000))
    assert flip_values(amount, "=", Decimal(0)) == (Decimal(0), Decimal("0.01"))
    # nothing below zero in an unsigned field, so "< 0" only has a false value
    assert flip_values(amount, "<", Decimal(0)) == (None, Decimal(0))
    code = specs["TI-TRAN-CODE"]
    true, false = flip_values(code, "=", "PU")
    assert true == b"PU" and false not in (b"PU", "PU")


# --------------------------------------------------------------------------- generation


def test_generation_is_deterministic_for_a_seed(estate):
    tranval = estate.program("TRANVAL")
    base = sample_base("TRANVAL")
    first = generate(tranval, estate, base, seed=3, budget=40)
    again = generate(tranval, estate, base, seed=3, budget=40)
    assert len(first) == 40
    assert [(s.name, dict(s.inputs)) for s in first] == [(s.name, dict(s.inputs)) for s in again]
    other = generate(tranval, estate, base, seed=4, budget=40)
    assert [s.name for s in other] != [s.name for s in first]
    assert len({s.name for s in first}) == 40
    kinds = {s.name.split(":")[0] for s in first}
    assert kinds == {"file", "flip", "88", "dirty", "domain"}
    for scenario in first:  # one change each: the other files are the base's
        changed = [dd for dd in base.inputs if scenario.inputs.get(dd) != base.inputs[dd]]
        assert len(changed) <= 1, scenario.name


def test_generated_variants_hold_the_values_they_name(estate):
    tranval = estate.program("TRANVAL")
    base = sample_base("TRANVAL")
    scenarios = {s.name: s for s in generate(tranval, estate, base, budget=500)}
    assert "file:TRANIN=empty" in scenarios and scenarios["file:TRANIN=empty"].inputs[
        "TRANIN"] == b""
    assert "TRANIN" not in scenarios["file:TRANIN=missing"].inputs
    assert scenarios["file:TRANIN=first-record"].inputs["TRANIN"].count(b"\n") == 1
    base_lines = base.inputs["TRANIN"].split(b"\n")

    def changed_record(name: str) -> dict:
        lines = scenarios[name].inputs["TRANIN"].split(b"\n")
        index = int(name.rsplit("@", 1)[1]) - 1
        assert [i for i, (a, b) in enumerate(zip(lines, base_lines, strict=True))
                if a != b] in ([index], [])
        return record_values(tranval, "TI-TRAN-REC", lines[index])

    flip = next(n for n in scenarios if n.startswith(
        "flip:TRANIN:TI-TRAN-AMT > WS-CASH-ADV-MAX:true"))
    assert changed_record(flip)["TI-TRAN-AMT"] == Decimal("1000.01")  # WS VALUE 1000.00
    dirty = next(n for n in scenarios if n.startswith("dirty:TRANIN:TI-TRAN-AMT=spaces"))
    assert changed_record(dirty)["TI-TRAN-AMT-X"] == " " * 9
    cond = next(n for n in scenarios if n.startswith("88:TRANIN:TI-SRC-WEB="))
    assert changed_record(cond)["TI-TRAN-SOURCE"] == "W"
    maximum = next(n for n in scenarios if n.startswith("domain:TRANIN:TI-TRAN-AMT=max"))
    assert changed_record(maximum)["TI-TRAN-AMT"] == Decimal("9999999.99")


def test_generation_from_empty_inputs_adds_records(estate):
    tranval = estate.program("TRANVAL")
    base = Scenario("minimal", {"CTLCARD": b"", "TRANIN": b""})
    scenarios = {s.name: s for s in generate(tranval, estate, base, budget=500)}
    flip = next(n for n in scenarios if n.startswith("flip:TRANIN:TI-TRAN-CODE = 'PY':true"))
    line = scenarios[flip].inputs["TRANIN"]
    assert line.count(b"\n") == 1
    assert record_values(tranval, "TI-TRAN-REC", line)["TI-TRAN-CODE"] == "PY"
    # 'CA' made true is the same input as the level-88 TI-TRAN-CASH-ADV: generated once
    codes = [record_values(tranval, "TI-TRAN-REC", s.inputs["TRANIN"])["TI-TRAN-CODE"]
             for s in scenarios.values() if s.inputs.get("TRANIN")]
    assert codes.count("CA") == 1


# --------------------------------------------------------------------------- exploration


@needs_cobc
@pytest.mark.parametrize("name", ["TRANVAL", "POSTTRAN"])
def test_explore_reaches_the_reachable_paragraphs(name, estate, work):
    program = estate.program(name)
    built = build(program, estate, SAMPLES, work)
    found = explore(program, estate, built, sample_base(name), budget=60, patience=10)
    assert found.coverage >= 0.9, sorted(found.missed)
    assert found.covered <= found.reachable
    assert "9999-ABEND" in found.covered  # reached only by generated data (an empty file)
    assert found.runs <= 60 and found.runs == len(found.log)
    assert found.scenarios[0].name == "sample-data"
    assert not found.crashes, found.crashes
    # the program's own abend (RC 16) is an outcome like another, recorded per run
    codes = {record.returncode for record in found.log}
    assert 16 in codes and 4 in codes
    assert all(found.results[s.name].returncode is not None for s in found.scenarios)
    assert "DATEVAL" in found.subprograms or name != "TRANVAL"


@needs_cobc
def test_every_generated_scenario_runs_without_crashing(estate, work):
    program = estate.program("POSTTRAN")
    built = build(program, estate, SAMPLES, work)
    found = explore(program, estate, built, sample_base("POSTTRAN"), budget=150,
                    patience=150)
    assert found.runs == 150
    assert not found.crashes, found.crashes


PROBE_FLIP = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. AMTPROBE.
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT AMT-FILE ASSIGN TO AMTIN
               ORGANIZATION IS LINE SEQUENTIAL
               FILE STATUS IS WS-STATUS.
       DATA DIVISION.
       FILE SECTION.
       FD  AMT-FILE.
       01  AMT-LINE            PIC X(20).
       WORKING-STORAGE SECTION.
       01  WS-STATUS           PIC XX.
       01  WS-REC.
           05  WS-ID           PIC X(4).
           05  WS-AMT          PIC S9(5)V99.
       PROCEDURE DIVISION.
       0000-MAIN.
           OPEN INPUT AMT-FILE
           READ AMT-FILE INTO WS-REC
               AT END MOVE ZERO TO WS-AMT
           END-READ
           IF WS-AMT > 100
               PERFORM 1000-BIG
           ELSE
               PERFORM 2000-SMALL
           END-IF
           CLOSE AMT-FILE
           STOP RUN.
       1000-BIG.
           DISPLAY 'BIG ' WS-ID.
       2000-SMALL.
           DISPLAY 'SMALL ' WS-ID.
"""


@needs_cobc
def test_a_predicate_flip_covers_the_other_branch(tmp_path):
    probe, root = probe_estate(tmp_path, "AMTPROBE", PROBE_FLIP)
    program = probe.program("AMTPROBE")
    built = build(program, probe, root, tmp_path / "work")
    base = Scenario("base", {"AMTIN": make_record(program, "WS-REC", {
        "WS-ID": "A1", "WS-AMT": Decimal("50")})})
    alone = run(built, base)
    assert alone.paragraphs() == {"0000-MAIN", "2000-SMALL"}
    assert alone.stdout == b"SMALL A1  \n"

    # without flips the base's neighbours stay below the boundary
    no_flip = explore(program, probe, built, base, kinds=("file",))
    assert "1000-BIG" not in no_flip.covered

    found = explore(program, probe, built, base)
    assert found.covered == found.reachable == {"0000-MAIN", "1000-BIG", "2000-SMALL"}
    assert found.coverage == 1.0
    big = next(r for r in found.log if "1000-BIG" in r.new)
    assert big.scenario.startswith("flip:AMTIN:WS-AMT > 100:true")
    scenario = next(s for s in found.scenarios if s.name == big.scenario)
    assert record_values(program, "WS-REC", scenario.inputs["AMTIN"])["WS-AMT"] == \
        Decimal("100.01")
    assert found.results[big.scenario].stdout == b"BIG A1  \n"


# --------------------------------------------------------------------------- hand-written


def test_hand_written_scenarios_are_plain_files(tmp_path):
    case = tmp_path / "scenarios" / "TRANVAL" / "bad-date"
    case.mkdir(parents=True)
    (case / "CTLCARD").write_bytes(b"20240231 CYC0231\n")
    (case / "TRANIN").write_bytes(b"")
    (case / "stdin").write_bytes(b"Y\n")
    (case / "env.json").write_text(json.dumps({"COB_CURRENT_DATE": "2024/03/15"}))
    (case / "README.md").write_text("not a DD")
    (tmp_path / "scenarios" / "TRANVAL" / "a-first").mkdir()
    loaded = load_scenarios(tmp_path, "tranval")
    assert [s.name for s in loaded] == ["hand:a-first", "hand:bad-date"]
    bad = loaded[1]
    assert dict(bad.inputs) == {"CTLCARD": b"20240231 CYC0231\n", "TRANIN": b""}
    assert bad.stdin == b"Y\n" and dict(bad.env) == {"COB_CURRENT_DATE": "2024/03/15"}
    assert load_scenarios(tmp_path, "POSTTRAN") == []
    (case / "env.json").write_text("[1]")
    with pytest.raises(ScenarioError, match="env.json"):
        load_scenarios(tmp_path, "TRANVAL")


@needs_cobc
def test_the_sample_hand_written_scenario_runs(estate, work):
    program = estate.program("TRANVAL")
    scenarios = {s.name: s for s in load_scenarios(SAMPLES, program)}
    assert sorted(scenarios) == ["hand:limit-boundaries", "hand:sample-data"]
    # sample-data lists its inputs in files.json: the sample files, not copies
    assert scenarios["hand:sample-data"].inputs == sample_base("TRANVAL").inputs
    scenario = scenarios["hand:limit-boundaries"]
    result = run(build(program, estate, SAMPLES, work), scenario)
    assert result.returncode == 4
    rejects = result.files["TRANERR"].decode()
    assert "000100001  A   09" in rejects and "20240129" in rejects
    assert "000100000" not in rejects and "20240130" not in rejects
