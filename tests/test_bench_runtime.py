"""The runtime benchmark keeps working: at a few records it generates the inputs, runs both
sides in the sandbox and finds them identical (the times themselves are the benchmark's, not a
test's)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import require_tool

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(require_tool("cobc") is None or require_tool("bwrap") is None,
                                reason="needs cobc (GnuCOBOL) and bwrap")


def test_the_benchmark_generates_inputs_and_finds_both_sides_identical(tmp_path: Path):
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_runtime.py"),
                           "--records", "50", "--programs", "TRANSORT", "POSTTRAN",
                           "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    rows = {line.split("|")[1].strip(): line for line in done.stdout.splitlines()
            if line.startswith("| ") and line.count("|") == 7}
    assert "SORTIN 50" in rows["TRANSORT"] and rows["TRANSORT"].endswith("| yes |")
    assert "ACCTIN 50, TRANIN 50" in rows["POSTTRAN"] and rows["POSTTRAN"].endswith("| yes |")
    sortin = (tmp_path / "TRANSORT" / "inputs" / "SORTIN").read_bytes()
    assert sortin.count(b"\n") == 50  # a LINE SEQUENTIAL file of 50 records


def test_no_sandbox_is_refused_for_another_estate(tmp_path: Path):
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_runtime.py"),
                           "--samples", str(tmp_path), "--no-sandbox"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert "only for legacy_samples" in done.stderr


def test_the_design_spike_writes_what_gnucobol_writes(tmp_path: Path):
    """benchmarks/spike_intcalc_values.py (issue 13's hand-written INTCALC) keeps the claim the
    README makes of it: on the benchmark's inputs its files are byte for byte GnuCOBOL's."""
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_runtime.py"),
                           "--records", "300", "--programs", "INTCALC", "--out", str(tmp_path),
                           "--no-sandbox"],  # our own samples (the option's one use): it
                          # keeps GnuCOBOL's output files
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    inputs, cobol, spike = (tmp_path / "INTCALC" / part for part in ("inputs", "cobol", "spike"))
    spike.mkdir()
    files = {f"DD_{name}": str(inputs / name) for name in ("CTLCARD", "RATEIN", "ACCTIN")}
    files |= {f"DD_{name}": str(spike / name) for name in ("ACCTOUT", "INTRPT")}
    ran = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "spike_intcalc_values.py")],
                         env={"PATH": "/usr/bin:/bin", **files}, capture_output=True, text=True,
                         timeout=120, check=False)
    assert ran.returncode == 0, ran.stderr
    assert "INTCALC  - ACCOUNTS READ" in ran.stdout and "RETURN CODE 0000" in ran.stdout
    for name in ("ACCTOUT", "INTRPT"):
        assert (spike / name).read_bytes() == (cobol / name).read_bytes(), name
