"""How fast is the analysis, next to tree-sitter alone, and how does it scale?

    python benchmarks/bench_analysis.py [PATH] [--copies N] [--repeat R]
    python benchmarks/bench_analysis.py --lines 1000000 [--jobs 1 2]

Builds an estate from copies of PATH (default: legacy_samples) in a temporary folder, each copy
in its own sub-folder and made different from the others (the PROGRAM-IDs renamed so that the
programs stay distinct; with ``--lines``, also the paragraph numbers, the working-storage
prefixes, the sequence-number columns and comment blocks of varying size between
paragraphs, so no two copies are the same text), then measures:

- full analysis: ``analyze_repo`` with a fresh cache folder + ``analyze_estate`` +
  ``write_analysis`` (model.json and model.sqlite);
- bare parse: for each program the parser view is built the way the analyser builds it
  (preprocess with copybooks, then ``build_view``), and only ``parse("cobol", view.text)`` is
  timed, summed over the programs;
- unchanged re-run: the full analysis again with the same cache folder.

With ``--lines N`` (enough copies for about N lines) it measures instead, for each ``--jobs``
value, ``modernize analyze --no-cache --jobs J`` as a separate process: its wall time and the
peak resident memory of its whole process tree (the workers included, sampled every 50 ms),
and the ratio of the single-process time to the bare parse. It runs in rounds (the bare parse,
then each ``--jobs`` value), so that the parse and the analyses are timed in the same minutes,
and it prints the ratio of each round beside the ratio of the best times.

Each time is the best of R runs. KLOC is the physical lines of the COBOL program and copybook
files of the estate (as the scan counts them), in thousands. The result is printed as a Markdown
table for the README.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from modernize.analysis.analyze import copybook_dirs
from modernize.analysis.cobol.preprocess import CopybookResolver, Preprocessor
from modernize.analysis.cobol.view import build_view
from modernize.analysis.parse import parse
from modernize.analysis.run import analyze_into
from modernize.analysis.scan import read_source, scan_repo
from modernize.core.model import Estate, FileKind

DEFAULT_SAMPLES = Path(__file__).resolve().parents[1] / "legacy_samples"
_PROGRAM_ID = re.compile(r"\bPROGRAM-ID\.?\s+['\"]?([A-Z0-9][A-Z0-9-]*)", re.IGNORECASE)
_RENAMED_SUFFIXES = {".cbl", ".cob", ".cobol", ".jcl", ".prc", ".proc", ".job"}


# --------------------------------------------------------------------------- the estate


def program_names(source: Path) -> list[str]:
    names = set()
    for path in source.rglob("*"):
        if path.is_file() and path.suffix.lower() in (".cbl", ".cob", ".cobol"):
            text = path.read_text(encoding="latin-1")
            names.update(m.group(1).upper() for m in _PROGRAM_ID.finditer(text))
    return sorted(names)


def renaming(names: list[str], copy: int) -> dict[str, str]:
    """Same-length new names (so no card grows past column 72): the last two characters become
    the copy number in base 36 (distinct for 1,296 copies: a million lines are 285). Names
    that would collide or are too short keep their name."""
    if copy == 0:
        return {}
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    suffix = digits[copy // 36 % 36] + digits[copy % 36]
    wanted = {name: name[:-2] + suffix for name in names if len(name) > 3}
    taken = set(names) - set(wanted)
    out = {}
    for name, new in wanted.items():
        if new not in taken and list(wanted.values()).count(new) == 1:
            out[name] = new
            taken.add(new)
    return out


def build_estate(source: Path, target: Path, copies: int, vary: bool = False) -> None:
    names = program_names(source)
    for copy in range(copies):
        folder = target / f"copy{copy:04d}"
        shutil.copytree(source, folder)
        rename = renaming(names, copy)
        for path in folder.rglob("*"):
            if not path.is_file() or path.suffix.lower() not in _RENAMED_SUFFIXES | _COPYBOOKS:
                continue
            if rename and path.suffix.lower() in _RENAMED_SUFFIXES:
                rename_in(path, rename)
            if vary and copy:
                vary_layout(path, copy)


_COPYBOOKS = {".cpy"}
_PARAGRAPH_NUMBER = re.compile(r"(?<![A-Z0-9-])([0-9])([0-9]{3})-(?=[A-Z])")
_WS_PREFIX = re.compile(r"(?<![A-Z0-9-])WS-(?=[A-Z0-9])")
_PARAGRAPH_HEADER = re.compile(r"^.{6} {1,4}[A-Z0-9][A-Z0-9-]*\.\s*$")


def vary_layout(path: Path, copy: int) -> None:
    """Make one copy's text its own, keeping it valid fixed-form COBOL with every name the
    same length: paragraph numbers shifted (``2000-`` → ``2037-``), ``WS-`` data names given
    another prefix, the sequence-number columns renumbered, and a comment block of 0 to 6
    lines before each paragraph."""
    text = path.read_bytes().decode("latin-1")
    text = _PARAGRAPH_NUMBER.sub(lambda m: f"{m.group(1)}{(int(m.group(2)) + copy) % 1000:03d}-",
                                 text)
    prefix = "W" + "ABCEFGHJKLMNPQRTUVXYZ"[copy % 21] + "-"  # not WD-: the samples use it
    text = _WS_PREFIX.sub(prefix, text)
    if path.suffix.lower() not in (".cbl", ".cob", ".cobol", ".cpy"):
        path.write_bytes(text.encode("latin-1"))
        return
    out = []
    for number, line in enumerate(text.split("\n")):
        if _PARAGRAPH_HEADER.match(line) and "DIVISION" not in line and "SECTION" not in line:
            for extra in range((copy + number) % 7):
                out.append(f"{(number * 10 + extra) % 1000000:06d}*    NOTE {copy}-{extra}: "
                           "SYNTHETIC COMMENT FOR THE BENCHMARK")
        if len(line) >= 6 and line[:6].strip().isdigit():
            line = f"{(int(line[:6]) + copy) % 1000000:06d}" + line[6:]
        out.append(line)
    path.write_bytes("\n".join(out).encode("latin-1"))


def rename_in(path: Path, rename: dict[str, str]) -> None:
    """Whole-word renames (not inside hyphenated names); bytes other than the names unchanged."""
    pattern = re.compile(r"(?<![A-Z0-9-])(" + "|".join(map(re.escape, rename)) +
                         r")(?![A-Z0-9-])", re.IGNORECASE)
    text = path.read_bytes().decode("latin-1")
    new = pattern.sub(lambda m: rename[m.group(1).upper()], text)
    if new != text:
        path.write_bytes(new.encode("latin-1"))


# --------------------------------------------------------------------------- measurements


def best_of(repeat: int, run: Callable[[], float]) -> float:
    return min(run() for _ in range(repeat))


def full_analysis(root: Path, out: Path) -> tuple[float, Estate]:
    """What `modernize analyze ROOT --out OUT` does, timed (cache in OUT/cache)."""
    start = time.perf_counter()
    run = analyze_into(root, out)
    return time.perf_counter() - start, run.estate


def bare_parse(root: Path) -> float:
    """Seconds tree-sitter takes to parse the parser view of every program, nothing else."""
    root = root.resolve()
    inventory = scan_repo(root)
    preprocessor = Preprocessor(root, CopybookResolver(root, copybook_dirs(root, inventory.files)))
    views = []
    for source in inventory.of_kind(FileKind.COBOL_PROGRAM):
        if source.skipped is None:
            text = read_source(root, source)
            views.append(build_view(preprocessor.run(root / source.path, text)).text)
    total = 0.0
    for text in views:
        start = time.perf_counter()
        parse("cobol", text)
        total += time.perf_counter() - start
    return total


def tree_rss(pid: int) -> int:
    """Resident bytes of process ``pid`` and all its descendants, now (0 when gone)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
        except OSError:
            continue
        parent = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        rss[int(entry.name)] = int(found.group(1)) * 1024 if found else 0
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo.extend(children.get(current, []))
    return total


def timed_analyze(root: Path, out: Path, jobs: int) -> tuple[float, int]:
    """``modernize analyze ROOT --out OUT --no-cache --jobs J`` as a process: (wall seconds,
    peak resident bytes of its process tree)."""
    argv = [sys.executable, "-m", "modernize.cli", "analyze", str(root), "--out", str(out),
            "--no-cache", "--quiet", "--jobs", str(jobs)]
    peak = 0
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"modernize analyze failed ({process.returncode}): {' '.join(argv)}")
    return seconds, peak


def scale_table(root: Path, work: Path, jobs: list[int], repeat: int, source: Path,
                copies: int) -> None:
    """The ``--lines`` measurements, printed as a Markdown table."""
    parse("cobol", "")
    # rounds: the bare parse, then each --jobs value; the parse and the analyses are timed in
    # the same minutes (this machine's speed drifts by a third between minutes), and each
    # figure is the best of its R runs
    parses: list[float] = []
    runs: dict[int, list[tuple[float, int]]] = {count: [] for count in jobs}
    for r in range(repeat):
        parses.append(bare_parse(root))
        for count in jobs:
            runs[count].append(timed_analyze(root, work / f"out-j{count}-{r}", count))
        print(f"round {r + 1}: bare parse {parses[-1]:.1f} s; " + "; ".join(
            f"jobs {count} {runs[count][-1][0]:.1f} s" for count in jobs), file=sys.stderr)
    # the ratio within each round: both sides timed in the same minutes
    round_ratios = [runs[1][r][0] / parses[r] for r in range(repeat)] if 1 in runs else []
    bare = min(parses)
    rows = []
    single = None
    for count in jobs:
        seconds = min(s for s, _ in runs[count])
        peak = max(p for _, p in runs[count])
        if count == 1:
            single = seconds
        rows.append((count, seconds, peak))
    estate_out = work / f"out-j{jobs[0]}-0"
    from modernize.analysis.store import load_estate
    estate = load_estate(estate_out)
    files = estate.inventory.of_kind(FileKind.COBOL_PROGRAM, FileKind.COPYBOOK)
    lines = sum(f.lines.total for f in files)
    print(f"estate: {copies} varied copies of {source}: {len(estate.programs)} programs, "
          f"{lines:,} lines; best of {repeat}; Python {platform.python_version()} on "
          f"{platform.machine()}, {os.cpu_count()} cores", file=sys.stderr)
    print("| measure | result |")
    print("| --- | --- |")
    print(f"| estate | {len(estate.programs)} programs, {lines:,} lines of COBOL and "
          f"copybooks ({copies} varied copies of the samples) |")
    print(f"| bare tree-sitter parse of the parser views | {bare:.1f} s |")
    for count, seconds, peak in rows:
        print(f"| `analyze --jobs {count}` | {seconds:.1f} s, peak RSS {peak / 2**30:.2f} GB "
              f"(all processes) |")
    if single is not None:
        print(f"| single-process analysis / bare parse | {single / bare:.1f}× (round by "
              f"round: {', '.join(f'{ratio:.1f}×' for ratio in round_ratios)}) |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_SAMPLES,
                        help="folder to copy (default: legacy_samples)")
    parser.add_argument("--copies", type=int, default=10, help="copies of PATH (default 10)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each measurement; the best is kept (default 3)")
    parser.add_argument("--lines", type=int, default=0,
                        help="build about this many lines of varied copies and measure "
                             "`modernize analyze` per --jobs value (wall time, peak RSS)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2],
                        help="with --lines: the --jobs values to measure (default 1 2)")
    args = parser.parse_args(argv)
    if not args.path.is_dir():
        parser.error(f"{args.path} is not a folder")
    if args.copies < 1 or args.repeat < 1:
        parser.error("--copies and --repeat must be at least 1")
    if args.lines:
        per_copy = sum(len(p.read_bytes().splitlines()) for p in args.path.rglob("*")
                       if p.is_file() and p.suffix.lower() in (".cbl", ".cob", ".cpy"))
        copies = max(1, -(-args.lines // max(per_copy, 1)))
        with tempfile.TemporaryDirectory(prefix="modernize-bench-") as tmp:
            work = Path(tmp)
            build_estate(args.path, work / "estate", copies, vary=True)
            scale_table(work / "estate", work, args.jobs, args.repeat, args.path, copies)
        return 0

    with tempfile.TemporaryDirectory(prefix="modernize-bench-") as tmp:
        work = Path(tmp)
        root = work / "estate"
        build_estate(args.path, root, args.copies)
        parse("cobol", "")  # load the grammar outside the timings

        first_times = []
        for run in range(args.repeat):
            seconds, estate = full_analysis(root, work / f"out{run}")
            first_times.append(seconds)
        first = min(first_times)
        rerun = best_of(args.repeat, lambda: full_analysis(root, work / "out0")[0])
        bare = best_of(args.repeat, lambda: bare_parse(root))

    files = estate.inventory.of_kind(FileKind.COBOL_PROGRAM, FileKind.COPYBOOK)
    kloc = sum(f.lines.total for f in files) / 1000
    programs = len(estate.programs)
    copybooks = len(estate.inventory.of_kind(FileKind.COPYBOOK))
    diagnostics = len(estate.diagnostics) + sum(len(p.diagnostics) for p in estate.programs)
    print(f"estate: {args.copies} copies of {args.path}: {programs} programs, {copybooks} "
          f"copybooks, {kloc:.1f} KLOC, {diagnostics} diagnostics; best of {args.repeat}; "
          f"Python {platform.python_version()} on {platform.machine()}", file=sys.stderr)
    rows = [
        ("estate", f"{programs} programs + {copybooks} copybooks, {kloc:.1f} KLOC "
                   f"({args.copies} copies of the samples)"),
        ("full analysis (scan, preprocess, parse, extract, graphs, write)",
         f"{first:.2f} s = {first / kloc * 1000:.0f} ms/KLOC"),
        ("bare tree-sitter parse of the same parser views",
         f"{bare:.2f} s = {bare / kloc * 1000:.0f} ms/KLOC"),
        ("full analysis / bare parse", f"{first / bare:.1f}×"),
        ("unchanged re-run (cache)", f"{rerun:.2f} s = {rerun / kloc * 1000:.0f} ms/KLOC, "
                                     f"{rerun / first:.0%} of the first run"),
    ]
    print("| measure | result |")
    print("| --- | --- |")
    for measure, result in rows:
        print(f"| {measure} | {result} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
