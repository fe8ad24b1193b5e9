"""The NIST conformance runner's own logic: what counts as identical, which PASS lines count,
what the clock mask hides, and when the baseline check fails."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _runner():  # noqa: ANN202 - the benchmark script, loaded as a module
    spec = importlib.util.spec_from_file_location("conformance", ROOT / "benchmarks" /
                                                  "conformance.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["conformance"] = module
    spec.loader.exec_module(module)
    return module


conformance = _runner()

HEAD = "CCVS85 4.2 COPY - NOT FOR DISTRIBUTION"
PASS_1 = "MOVE-TEST           PASS  MOV-TEST-1"
PASS_2 = "ADD-TEST            PASS  ADD-TEST-2"


def test_identical_reports_count_every_pass_line():
    report = [HEAD, PASS_1, PASS_2]
    assert conformance.compare(report, list(report)) == (True, 2, "")


def test_a_failed_test_is_a_difference_and_loses_its_pass_line():
    identical, reproduced, first = conformance.compare(
        [HEAD, PASS_1, PASS_2], [HEAD, PASS_1, "ADD-TEST            FAIL* ADD-TEST-2"])
    assert (identical, reproduced) == (False, 1)
    assert first.startswith("line 3: expected 'ADD-TEST")


def test_a_line_inserted_above_does_not_undo_the_pass_lines_below():
    identical, reproduced, first = conformance.compare([HEAD, PASS_1, PASS_2],
                                                       [HEAD, "extra", PASS_1, PASS_2])
    assert (identical, reproduced) == (False, 2)
    assert first.startswith("line 2:")


def test_a_missing_tail_is_a_difference():
    assert conformance.compare([HEAD, PASS_1], [HEAD])[::2] == (False,
                                                                "line 2: expected "
                                                                f"{PASS_1!r}, got '<no line>'")


def test_the_clock_mask_hides_only_the_clocks_own_digits():
    line = "*** INFORMATION ***  000061207.000000000 DATE YYMMDD"
    masked = conformance.mask(line)
    assert masked == "*** INFORMATION ***  000######.000000000 DATE YYMMDD"
    other = conformance.mask(line.replace("061207", "991231"))
    assert masked == other
    assert conformance.mask(line.replace("000061207", "100061207")) != masked  # not a clock's
    assert conformance.mask(PASS_1) == PASS_1


def test_the_baseline_check_fails_on_a_lost_program_or_fewer_pass_lines(capsys):
    baseline = {"identical": ["NC101A", "NC102A"], "pass_reproduced": 100}
    assert conformance.check(baseline, ["NC101A", "NC102A", "NC103A"], 120) == 0
    assert conformance.check(baseline, ["NC101A"], 120) == 1
    assert "no longer identical: NC102A" in capsys.readouterr().err
    assert conformance.check(baseline, ["NC101A", "NC102A"], 99) == 1
    assert "99 PASS lines" in capsys.readouterr().err


def test_the_baseline_in_the_repository_is_well_formed():
    import json

    baseline = json.loads((ROOT / "benchmarks" / "conformance-baseline.json").read_text())
    assert set(baseline) == {"identical", "pass_reproduced"}
    assert baseline["identical"] == sorted(set(baseline["identical"]))
    assert all(name.startswith("NC") for name in baseline["identical"])
    assert baseline["pass_reproduced"] > 0
