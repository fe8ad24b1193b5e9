"""The validation harness: the legacy runner (build, run, trace) and the comparison.

The samples are analysed once; TRANVAL (DATEVAL linked in), POSTTRAN and ACCTUPDT (DATEVAL as a
module on COB_LIBRARY_PATH) are built and run on the sample data and must reproduce
``legacy_samples/expected/<PROGRAM>/`` byte for byte. Small probe programs written here show the
time limit and compile errors. The comparison is shown on a real output file with one digit
flipped.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import require_tool

from modernize.analysis.run import analyze_into
from modernize.analysis.store import load_analysis
from modernize.core.model import DataItem, Estate
from modernize.validate.harness import (
    CompileError,
    Difference,
    RunResult,
    RunTimeoutError,
    Scenario,
    Verdict,
    build,
    compare,
    parse_trace,
    run,
)
from modernize.validate.harness import legacy as legacy_module
from modernize.validate.harness.compare import decode

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "legacy_samples"
EXPECTED = SAMPLES / "expected"
COBC = require_tool("cobc")
needs_cobc = pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not installed")

RUNS = {
    "TRANVAL": ({"CTLCARD": "data/ctlcard.dat", "TRANIN": "data/tranin.dat"},
                ["TRANOUT", "TRANERR"], 4),
    "POSTTRAN": ({"CTLCARD": "data/ctlcard.dat", "ACCTIN": "data/acctmast.dat",
                  "TRANIN": "expected/TRANSORT/SORTOUT", "SUSPNSE": "data/suspense.dat"},
                 ["ACCTOUT", "POSTRPT", "SUSPNSE"], 4),
    "ACCTUPDT": ({"CTLCARD": "data/ctlwkly.dat", "OLDMAST": "data/acctmast.dat",
                  "MAINTIN": "data/maintin.dat"}, ["NEWMAST", "AUDITRPT"], 4),
}


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> tuple[Estate, object]:
    out = tmp_path_factory.mktemp("analysis")
    analyze_into(SAMPLES, out)
    return load_analysis(out)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("harness-work")


def sample_scenario(program: str) -> Scenario:
    inputs, _, _ = RUNS[program]
    return Scenario("sample-data",
                    {dd: (SAMPLES / path).read_bytes() for dd, path in inputs.items()})


@pytest.fixture(scope="module")
def results(samples, work) -> dict[str, RunResult]:
    if COBC is None:
        pytest.skip("cobc (GnuCOBOL) is not installed")
    estate, _ = samples
    out = {}
    for name in RUNS:
        program = estate.program(name)
        out[name] = run(build(program, estate, SAMPLES, work), sample_scenario(name))
    return out


# --------------------------------------------------------------------------- legacy runner


@needs_cobc
@pytest.mark.parametrize("name", list(RUNS))
def test_samples_reproduce_expected_outputs(name, results):
    result = results[name]
    _, outputs, rc = RUNS[name]
    assert result.returncode == rc, result.stderr.decode(errors="replace")
    assert result.stdout == (EXPECTED / name / "stdout").read_bytes()
    for dd in outputs:
        assert dd in result.outputs
        assert result.files[dd] == (EXPECTED / name / dd).read_bytes(), dd
    # inputs the program only read are not outputs; POSTTRAN extends SUSPNSE in place
    assert "CTLCARD" not in result.outputs
    assert set(result.outputs) == set(outputs)


@needs_cobc
def test_static_and_dynamic_subprograms(samples, work):
    estate, _ = samples
    tranval = build(estate.program("TRANVAL"), estate, SAMPLES, work)
    assert tranval.linked == ("DATEVAL",) and tranval.modules == ()
    assert tranval.library_dir is None
    acctupdt = build(estate.program("ACCTUPDT"), estate, SAMPLES, work)
    assert acctupdt.linked == () and acctupdt.modules == ("DATEVAL",)
    assert acctupdt.library_dir is not None
    assert (acctupdt.library_dir / "DATEVAL.so").is_file()
    assert set(tranval.dd_names) == {"CTLCARD", "TRANIN", "TRANOUT", "TRANERR"}


@needs_cobc
def test_trace_reports_the_paragraphs_that_ran(samples, results):
    estate, analysis = samples
    posttran = estate.program("POSTTRAN")
    entered = results["POSTTRAN"].paragraphs()
    assert {"0000-MAINLINE", "1000-INITIALIZE", "2000-PROCESS", "3000-APPLY-TRAN",
            "4000-WRITE-SUSPENSE", "8000-FINAL-TOTALS"} <= entered
    assert entered <= set(posttran.procedures)
    unreachable = set(analysis.programs[posttran.id].unreachable_paragraphs)
    assert "9800-DEBUG-DISPLAY-MASTER" in unreachable
    assert not entered & unreachable
    assert "9999-ABEND" not in entered  # reachable, but the sample data never abends
    # counts: one initialisation, the read loop many times
    assert results["POSTTRAN"].trace["POSTTRAN"]["1000-INITIALIZE"] == 1
    assert results["POSTTRAN"].trace["POSTTRAN"]["2200-READ-TRAN"] > 10
    # the called subprogram is traced through its callers, linked or dynamic
    for caller in ("TRANVAL", "ACCTUPDT"):
        dateval = results[caller].paragraphs("DATEVAL")
        assert {"0000-MAIN", "3000-CHECK-DATE"} <= dateval, caller
        assert dateval <= set(estate.program("DATEVAL").procedures)


def test_parse_trace_maps_lines_to_qualified_keys(samples):
    estate, _ = samples
    dateval = estate.program("DATEVAL")
    main = dateval.paragraph("0000-MAIN")
    lines = [
        f"Source: '/elsewhere/{Path(dateval.path).name}'",
        "Program-Id:  DATEVAL",
        f"Program-Id:  DATEVAL              Entry: DATEVAL        Line:  {main.line - 1}",
        f"Program-Id:  DATEVAL          Paragraph: 0000-MAIN      Line:  {main.line}",
        f"Program-Id:  DATEVAL          Paragraph: 0000-MAIN      Line:  {main.line}",
        "Program-Id:  DATEVAL               Exit: DATEVAL         Line:    125",
        "Program-Id:  OTHER            Paragraph: X-1             Line:      9",
    ]
    assert parse_trace(lines, {"DATEVAL": dateval}) == {"DATEVAL": {"0000-MAIN": 2},
                                                        "OTHER": {"X-1": 1}}


@needs_cobc
def test_build_cache_does_not_recompile(samples, work, monkeypatch):
    estate, _ = samples
    program = estate.program("POSTTRAN")
    first = build(program, estate, SAMPLES, work)  # built by the results fixture or now

    def no_cobc(*args, **kwargs):
        raise AssertionError("cobc called for a cached build")

    monkeypatch.setattr(legacy_module, "_compile", no_cobc)
    second = build(program, estate, SAMPLES, work)
    assert second.cached and second.key == first.key
    assert second.executable == first.executable and second.executable.is_file()
    # another option is another build
    with pytest.raises(AssertionError, match="cached build"):
        build(program, estate, SAMPLES, work, trace=False)


PROBE_LOOP = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. LOOPER.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-N                PIC 9(4) VALUE 0.
       PROCEDURE DIVISION.
       0000-MAIN.
           DISPLAY "START".
       1000-SPIN.
           ADD 1 TO WS-N.
           GO TO 1000-SPIN.
"""

PROBE_BROKEN = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. BROKEN.
       PROCEDURE DIVISION.
       0000-MAIN.
           MOVE 1 TO NO-SUCH-ITEM.
           STOP RUN.
"""


def probe_estate(tmp_path: Path, name: str, text: str) -> tuple[Estate, Path]:
    root = tmp_path / "probe"
    root.mkdir()
    (root / f"{name}.cbl").write_text(text)
    out = tmp_path / "analysis"
    analyze_into(root, out)
    estate, _ = load_analysis(out)
    return estate, root


@needs_cobc
def test_timeout_is_enforced(tmp_path):
    estate, root = probe_estate(tmp_path, "LOOPER", PROBE_LOOP)
    looper = build(estate.program("LOOPER"), estate, root, tmp_path / "work", trace=False)
    started = time.monotonic()
    with pytest.raises(RunTimeoutError) as caught:
        run(looper, Scenario("forever"), timeout_s=1)
    assert time.monotonic() - started < 10
    assert caught.value.program == "LOOPER" and caught.value.scenario == "forever"
    assert b"START" in caught.value.stdout


@needs_cobc
def test_compile_error_is_typed_and_carries_cobc_messages(tmp_path):
    estate, root = probe_estate(tmp_path, "BROKEN", PROBE_BROKEN)
    with pytest.raises(CompileError) as caught:
        build(estate.program("BROKEN"), estate, root, tmp_path / "work")
    assert "NO-SUCH-ITEM" in caught.value.messages
    assert caught.value.program == "BROKEN"


# --------------------------------------------------------------------------- comparison


def flip_digit(record: bytes, offset: int) -> bytes:
    digit = record[offset:offset + 1]
    assert digit.isdigit()
    return record[:offset] + str((int(digit) + 1) % 10).encode() + record[offset + 1:]


@needs_cobc
def test_identical_runs_are_equivalent(samples, results):
    estate, _ = samples
    verdict = compare(results["POSTTRAN"], results["POSTTRAN"], estate.program("POSTTRAN"))
    assert verdict == Verdict(True, [], program="POSTTRAN", scenario="sample-data")
    assert "Equivalent" in verdict.report()


@needs_cobc
def test_flipped_digit_names_record_and_field(samples, results):
    estate, _ = samples
    posttran = estate.program("POSTTRAN")
    expected = results["POSTTRAN"]
    limit = next(d for d in posttran.data_items
                 if d.name == "ACCT-CREDIT-LIMIT" and d.record == "ACCT-MASTER-REC")
    records = expected.files["ACCTOUT"].split(b"\n")
    want = records[2]
    records[2] = flip_digit(want, limit.offset + 2)  # third record, a digit of the limit
    files = {**expected.files, "ACCTOUT": b"\n".join(records)}
    actual = replace(expected, files=files)

    verdict = compare(expected, actual, posttran)
    assert not verdict.equivalent
    [difference] = verdict.differences
    raw_want = want[limit.offset:limit.offset + limit.length].decode()
    raw_got = records[2][limit.offset:limit.offset + limit.length].decode()
    # ACCT-OUT-REC is PIC X(120): the layout is the record POSTTRAN writes FROM
    assert difference.where == "file:ACCTOUT"
    assert difference.record == 3
    assert difference.field == "ACCT-CREDIT-LIMIT"
    assert difference.layout == "ACCT-MASTER-REC"
    assert difference.expected == f"{int(raw_want[:7])}.{raw_want[7:]}"
    assert difference.actual == f"{int(raw_got[:7])}.{raw_got[7:]}"
    assert difference.offset == limit.offset + 2
    report = verdict.report()
    assert "Not equivalent" in report and "`ACCT-CREDIT-LIMIT` of `ACCT-MASTER-REC`" in report
    assert difference.expected in report and difference.actual in report


@needs_cobc
def test_signed_field_fd_layout_stdout_rc_and_missing_files(samples, results):
    estate, _ = samples
    posttran = estate.program("POSTTRAN")
    expected = results["POSTTRAN"]
    # SUSPENSE-REC has fields in the FD: SU-RUN-DATE 9(8) at the start of each record
    suspense = expected.files["SUSPNSE"].split(b"\n")
    suspense[0] = flip_digit(suspense[0], 7)
    # ACCT-BALANCE is S9(7)V99 SIGN LEADING SEPARATE
    accounts = expected.files["ACCTOUT"].split(b"\n")
    accounts[0] = accounts[0][:54] + (b"-" if accounts[0][54:55] == b"+" else b"+") + \
        accounts[0][55:]
    files = {**expected.files, "SUSPNSE": b"\n".join(suspense),
             "ACCTOUT": b"\n".join(accounts), "EXTRA": b"x"}
    del files["POSTRPT"]
    actual = replace(expected, returncode=0, stdout=expected.stdout.replace(b"\n", b"\nX", 1),
                     files=files, outputs=(*expected.outputs, "EXTRA"))
    verdict = compare(expected, actual, posttran)
    by_where = {d.where: d for d in verdict.differences}
    assert set(by_where) == {"return-code", "stdout", "file:ACCTOUT", "file:POSTRPT",
                             "file:SUSPNSE", "file:EXTRA"}
    assert (by_where["return-code"].expected, by_where["return-code"].actual) == ("4", "0")
    assert by_where["stdout"].record == 2
    assert by_where["file:POSTRPT"].actual == "<absent>"
    assert by_where["file:EXTRA"].expected == "<absent>"
    su = by_where["file:SUSPNSE"]
    assert (su.record, su.field, su.layout) == (1, "SU-RUN-DATE", "SUSPENSE-REC")
    balance = by_where["file:ACCTOUT"]
    assert (balance.record, balance.field) == (1, "ACCT-BALANCE")
    assert balance.expected.lstrip("-") == balance.actual.lstrip("-")
    assert balance.expected != balance.actual


@needs_cobc
def test_report_lines_are_matched_to_the_layout_they_were_written_from(samples, results):
    estate, _ = samples
    posttran = estate.program("POSTTRAN")
    expected = results["POSTTRAN"]
    lines = expected.files["POSTRPT"].split(b"\n")
    number = next(i for i, line in enumerate(lines) if line.startswith(b"10") and b"." in line)
    amount = next(d for d in posttran.data_items if d.name == "JD-AMOUNT")
    at = amount.offset + amount.length - 4  # the units digit of an edited amount
    changed = list(lines)
    changed[number] = flip_digit(lines[number], at)
    verdict = compare(expected, replace(expected, files={**expected.files,
                                                         "POSTRPT": b"\n".join(changed)}),
                      posttran)
    [difference] = verdict.differences
    assert (difference.record, difference.field, difference.layout) == (
        number + 1, "JD-AMOUNT", "WS-JRNL-DETAIL")
    shown = lines[number][amount.offset:at + 4].decode()
    assert difference.expected == shown.strip().replace(",", "")
    assert float(difference.actual) != float(difference.expected)
    # a heading line is matched to its heading layout by its literal VALUEs
    changed = list(lines)
    changed[0] = b"X" + lines[0][1:]
    verdict = compare(expected, replace(expected, files={**expected.files,
                                                         "POSTRPT": b"\n".join(changed)}),
                      posttran)
    assert verdict.differences[0].layout == "WS-JRNL-HEAD-1"


def test_record_count_and_unknown_file_differences(samples):
    estate, _ = samples
    posttran = estate.program("POSTTRAN")
    base = RunResult("POSTTRAN", "s", 0, b"", b"", {"ACCTOUT": b"A\nB\n", "ODD": b"abc"},
                     ("ACCTOUT", "ODD"))
    other = replace(base, files={"ACCTOUT": b"A\n", "ODD": b"abd"})
    verdict = compare(base, other, posttran)
    assert verdict.differences == [
        Difference("file:ACCTOUT", 2, None, "'B'", "<no record>",
                   detail="2 records expected, 1 found"),
        Difference("file:ODD", None, None, "'c'", "'d'", offset=2,
                   detail="first difference at byte 3 of the file"),
    ]


def item(picture: str, usage: str = "DISPLAY", sign: str | None = None, scale: int = 0,
         signed: bool = False) -> DataItem:
    return DataItem(file="x", line=1, id="x", name="X", level=5, storage="file",
                    picture=picture, usage=usage, sign=sign, scale=scale, signed=signed)


def test_decode_numeric_fields():
    assert decode(item("9(5)V99", scale=2), b"0012345") == "123.45"
    assert decode(item("S9(3)V9", scale=1, signed=True), b"123t") == "-123.4"  # GnuCOBOL
    assert decode(item("S9(3)", signed=True), b"12J") == "-121"  # IBM overpunch
    assert decode(item("S9(3)", signed=True), b"12C") == "123"
    assert decode(item("S9(3)", sign="LEADING SEPARATE", signed=True), b"-012") == "-12"
    assert decode(item("S9(5)V99", usage="COMP-3", scale=2, signed=True),
                  bytes.fromhex("0012345D")) == "-123.45"
    assert decode(item("S9(4)", usage="COMP", signed=True), b"\xff\xfe") == "-2"
    assert decode(item("9(3)"), b"1 3") is None
    assert decode(item("X(3)"), b"123") is None
    assert decode(item("ZZ,ZZ9.99-"), b"  1,234.50-") == "-1234.50"
    assert decode(item("$$$9"), b" $12") == "12"
    assert decode(item("ZZ9.99"), b" 1x00") is None
