"""Conformance: the NIST COBOL-85 nucleus (NC), translated, against GnuCOBOL's own reports.

    python benchmarks/conformance.py --suite ../shared/nist/NC [--out DIR] [--jobs N]
        [--baseline benchmarks/conformance-baseline.json] [--check | --update-baseline]

Every program of the suite is analysed and translated (``modernize.analysis.analyze`` +
``modernize.translate``, as ``modernize translate`` does), then each one that has a report
from GnuCOBOL (``<PROGRAM>.log``) is run — in the bubblewrap sandbox, like every run of
generated code — in a fresh folder, where it writes ``REPORT``. Each REPORT is compared with
the log line for line; only the clock's own fields are masked (the ``*** INFORMATION ***``
lines of ACCEPT FROM DATE, DAY, TIME and DAY-OF-WEEK). The table (program, identical, PASS
lines reproduced, first differing line, reason) is printed and written to ``OUT/conformance.md``
and ``OUT/conformance.json``.

``--check`` fails (exit 1) when a program the baseline lists as identical is not identical
now; ``--update-baseline`` writes the baseline from this run. The suite folder is only read.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from modernize.analysis.run import analyze_into  # noqa: E402
from modernize.core.executor import Executor  # noqa: E402
from modernize.translate import translate_estate  # noqa: E402
from modernize.validate.harness.legacy import Scenario  # noqa: E402
from modernize.validate.harness.python import run_python  # noqa: E402

BASELINE = ROOT / "benchmarks" / "conformance-baseline.json"
# NC214M's ACCEPT FROM DATE / DAY / TIME / DAY-OF-WEEK lines: the value shown as 9(9).9(9),
# of which only the clock's own low-order digits are masked (YYMMDD, YYDDD, HHMMSSFF, D)
_CLOCK_LINE = re.compile(r"^(\*\*\* INFORMATION \*\*\*\s+\d{9}\.\d{9}\s+)"
                         r"(DATE YYMMDD|DAY YYDDD|HHMMSSFF|SINGLE DIGIT INTEGER)")
_CLOCK_DIGITS = {"DATE YYMMDD": 6, "DAY YYDDD": 5, "HHMMSSFF": 8, "SINGLE DIGIT INTEGER": 1}


@dataclass
class Outcome:
    program: str
    identical: bool
    pass_expected: int
    pass_reproduced: int
    first_difference: str
    reason: str
    seconds: float


def mask(line: str) -> str:
    """A report line with the clock's own digits masked (nothing else): the last 6, 5, 8 or
    1 digits before the decimal point of an ACCEPT FROM DATE, DAY, TIME or DAY-OF-WEEK line."""
    match = _CLOCK_LINE.match(line)
    if match is None:
        return line
    point = match[1].index(".")
    start = point - _CLOCK_DIGITS[match[2]]
    return line[:start] + "#" * (point - start) + line[point:]


def compare(expected: list[str], actual: list[str]) -> tuple[bool, int, str]:
    """(identical, PASS lines of ``expected`` the report has too, first difference). A PASS
    line counts once for each time both have it, wherever it stands (a line inserted above
    it does not undo it)."""
    wanted = Counter(mask(line) for line in expected if " PASS " in line)
    got = Counter(mask(line) for line in actual if " PASS " in line)
    reproduced = sum((wanted & got).values())
    for i in range(max(len(expected), len(actual))):
        want = mask(expected[i]) if i < len(expected) else "<no line>"
        got = mask(actual[i]) if i < len(actual) else "<no line>"
        if want != got:
            return False, reproduced, f"line {i + 1}: expected {want.strip()[:60]!r}, got " \
                                      f"{got.strip()[:60]!r}"
    return True, reproduced, ""


def _lines(data: bytes) -> list[str]:
    text = data.decode("latin-1")
    return text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")


def run_one(program: str, module: Path, log: Path, reason: str) -> Outcome:
    expected = _lines(log.read_bytes())
    pass_expected = sum(" PASS " in line for line in expected)
    started = time.monotonic()
    try:
        result = run_python(module, Scenario(program), [], program, timeout_s=120, cpu_s=110,
                            memory_mb=1024)
    except Exception as exc:  # noqa: BLE001 - one program's failure is its row
        return Outcome(program, False, pass_expected, 0, "", f"{type(exc).__name__}: {exc}",
                       time.monotonic() - started)
    report = result.files.get("REPORT")
    seconds = time.monotonic() - started
    if report is None:
        tail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        why = reason or (tail[-1] if tail else f"no REPORT (exit {result.returncode})")
        return Outcome(program, False, pass_expected, 0, "no REPORT", why[:200], seconds)
    identical, reproduced, first = compare(expected, _lines(report))
    why = ""
    if not identical:
        tail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        why = reason or (tail[-1][:200] if tail and result.returncode else "")
    return Outcome(program, identical, pass_expected, reproduced, first, why, seconds)


def conformance(suite: Path, out: Path, jobs: int, only: set[str] | None = None
                ) -> list[Outcome]:
    analysis = out / "analysis"
    with Executor(jobs) as executor:  # the programs analysed and translated by `jobs` workers
        started = time.monotonic()
        # the cache makes a re-run into the same --out quick
        estate = analyze_into(suite, analysis, executor=executor).estate
        if only:  # the NC programs are standalone: translating only these is enough
            estate = estate.model_copy(update={
                "programs": tuple(p for p in estate.programs if p.name in only)})
        analysed = time.monotonic()
        translated = translate_estate(estate, out / "code", executor=executor)
        print(f"analysis {analysed - started:.1f} s, translation "
              f"{time.monotonic() - analysed:.1f} s", file=sys.stderr)
    modules = {t.program: out / "code" / f"{t.module_name}.py" for t in translated.translations}
    reasons = {t.program: ", ".join(sorted({u.construct for u in t.unsupported}))
               for t in translated.translations}
    reasons = {k: f"unsupported: {v}" for k, v in reasons.items() if v}
    logs = sorted(log for log in suite.glob("*.log") if not only or log.stem in only)
    work: list[tuple[str, Path, Path, str]] = []
    outcomes: list[Outcome] = []
    for log in logs:
        program = log.stem
        if program not in modules:
            skipped = translated.skipped.get(program, "not translated")
            outcomes.append(Outcome(program, False, sum(" PASS " in line for line in
                                                        _lines(log.read_bytes())), 0, "",
                                    skipped, 0.0))
            continue
        work.append((program, modules[program], log, reasons.get(program, "")))
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        outcomes += list(pool.map(lambda w: run_one(*w), work))
    return sorted(outcomes, key=lambda o: o.program)


def table(outcomes: list[Outcome]) -> str:
    identical = sum(o.identical for o in outcomes)
    passed = sum(o.pass_reproduced for o in outcomes)
    expected = sum(o.pass_expected for o in outcomes)
    lines = [f"{identical} of {len(outcomes)} reports identical to GnuCOBOL's; {passed} of "
             f"{expected} PASS lines reproduced", "",
             "| program | identical | PASS lines | first difference | reason |",
             "| --- | --- | ---: | --- | --- |"]
    for o in outcomes:
        cell = (o.first_difference or "").replace("|", "\\|")
        why = (o.reason or "").replace("|", "\\|")
        lines.append(f"| {o.program} | {'yes' if o.identical else 'no'} | "
                     f"{o.pass_reproduced}/{o.pass_expected} | {cell} | {why} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", type=Path, default=ROOT.parent / "shared" / "nist" / "NC")
    parser.add_argument("--out", type=Path, default=None, help="default: a temporary folder")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--baseline", type=Path, default=BASELINE)
    parser.add_argument("--check", action="store_true",
                        help="fail when a program the baseline lists as identical is not")
    parser.add_argument("--update-baseline", action="store_true")
    parser.add_argument("--only", nargs="*", default=None, metavar="PROGRAM",
                        help="translate and run only these programs")
    args = parser.parse_args(argv)
    if not args.suite.is_dir():
        print(f"no suite at {args.suite}: nothing to check", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory(prefix="conformance-") as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        outcomes = conformance(args.suite, out, args.jobs,
                               set(args.only) if args.only else None)
        text = table(outcomes)
        (out / "conformance.md").write_text(text, encoding="utf-8")
        (out / "conformance.json").write_text(json.dumps([asdict(o) for o in outcomes],
                                                         indent=1) + "\n", encoding="utf-8")
        print(text)
        print(f"{time.monotonic() - started:.0f} s; table in {out / 'conformance.md'}",
              file=sys.stderr)
    identical = sorted(o.program for o in outcomes if o.identical)
    passed = sum(o.pass_reproduced for o in outcomes)
    if args.update_baseline:
        args.baseline.write_text(json.dumps({"identical": identical, "pass_reproduced": passed},
                                            indent=1) + "\n", encoding="utf-8")
        print(f"baseline written: {len(identical)} identical, {passed} PASS lines",
              file=sys.stderr)
    if args.check:
        return check(json.loads(args.baseline.read_text(encoding="utf-8")), identical, passed)
    return 0


def check(baseline: dict, identical: list[str], passed: int) -> int:
    """0 when every program the baseline lists as identical still is and no fewer PASS lines
    are reproduced; else 1, naming what was lost."""
    lost = sorted(set(baseline["identical"]) - set(identical))
    fewer = passed < baseline.get("pass_reproduced", 0)
    if lost:
        print(f"REGRESSION: no longer identical: {', '.join(lost)}", file=sys.stderr)
    if fewer:
        print(f"REGRESSION: {passed} PASS lines reproduced, the baseline has "
              f"{baseline['pass_reproduced']}", file=sys.stderr)
    if lost or fewer:
        return 1
    print(f"baseline holds: {len(baseline['identical'])} identical, now {len(identical)}; "
          f"{passed} PASS lines", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
