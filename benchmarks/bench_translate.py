"""How long do translation and validation take, per program?

    python benchmarks/bench_translate.py [--samples DIR] [--scenarios N] [--repeat R]

Analyses the samples (default ``legacy_samples/``), then for each batch program times
``translate_program`` (best of R) and ``validate_program`` (one run: the cobc build, the
coverage-driven exploration on GnuCOBOL, then every scenario through GnuCOBOL and through the
sandboxed Python), and prints a Markdown table with the statements translated, the scenarios,
the mean time of one scenario on each side, and the totals. Needs cobc (GnuCOBOL).
"""

from __future__ import annotations

import argparse
import platform
import tempfile
import time
from pathlib import Path

from modernize.analysis.run import analyze_into
from modernize.analysis.store import load_analysis
from modernize.translate import translate_program
from modernize.validate.verdicts import validate_program


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=Path,
                        default=Path(__file__).resolve().parent.parent / "legacy_samples")
    parser.add_argument("--scenarios", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-translate-") as tmp:
        work = Path(tmp)
        analyze_into(args.samples, work / "analysis")
        estate, _ = load_analysis(work / "analysis")
        code = work / "code"
        code.mkdir()
        rows = []
        translations = {}
        for program in estate.programs:
            if program.kind not in ("batch", "subprogram"):
                continue
            best = float("inf")
            for _ in range(args.repeat):
                started = time.perf_counter()
                translation = translate_program(program, estate)
                best = min(best, time.perf_counter() - started)
            (code / f"{translation.module_name}.py").write_text(translation.source)
            translations[program.name] = (translation, best)
        for name, (translation, seconds) in translations.items():
            program = estate.program(name)
            if program is None or program.kind != "batch" or translation.unsupported or \
                    program.sql:  # no GnuCOBOL twin for embedded SQL
                rows.append((name, translation, seconds, None))
                continue
            started = time.perf_counter()
            result = validate_program(program, estate, args.samples.resolve(), code,
                                      work / "validation", min_scenarios=args.scenarios)
            rows.append((name, translation, seconds, (result, time.perf_counter() - started)))
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}\n")
    print("| program | statements | translate (ms) | scenarios | equivalent | COBOL run (ms) "
          "| Python run (ms) | validate total (s) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, translation, seconds, validated in rows:
        cells = [name, f"{translation.translated}/{translation.statements}",
                 f"{1000 * seconds:.0f}"]
        if validated is None:
            cells += ["—"] * 5
        else:
            result, total = validated
            verdicts = result.verdicts
            legacy = sum(v.legacy_s for v in verdicts) / len(verdicts)
            python = sum(v.python_s for v in verdicts) / len(verdicts)
            cells += [str(len(verdicts)), str(sum(v.equivalent for v in verdicts)),
                      f"{1000 * legacy:.0f}", f"{1000 * python:.0f}", f"{total:.1f}"]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
