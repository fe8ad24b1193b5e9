"""How fast is the analysis, next to tree-sitter alone?

    python benchmarks/bench_analysis.py [PATH] [--copies N] [--repeat R]

Builds an estate from N copies of PATH (default: legacy_samples) in a temporary folder, each copy
in its own sub-folder with its PROGRAM-IDs renamed so that the programs stay distinct, then
measures:

- full analysis: ``analyze_repo`` with a fresh cache folder + ``analyze_estate`` +
  ``write_analysis`` (model.json and model.sqlite);
- bare parse: for each program the parser view is built the way the analyser builds it
  (preprocess with copybooks, then ``build_view``), and only ``parse("cobol", view.text)`` is
  timed, summed over the programs;
- unchanged re-run: the full analysis again with the same cache folder.

Each time is the best of R runs. KLOC is the physical lines of the COBOL program and copybook
files of the estate (as the scan counts them), in thousands. The result is printed as a Markdown
table for the README.
"""

from __future__ import annotations

import argparse
import platform
import re
import shutil
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
    the copy number. Names that would collide or are too short keep their name."""
    if copy == 0:
        return {}
    wanted = {name: name[:-2] + f"{copy % 100:02d}" for name in names if len(name) > 3}
    taken = set(names) - set(wanted)
    out = {}
    for name, new in wanted.items():
        if new not in taken and list(wanted.values()).count(new) == 1:
            out[name] = new
            taken.add(new)
    return out


def build_estate(source: Path, target: Path, copies: int) -> None:
    names = program_names(source)
    for copy in range(copies):
        folder = target / f"copy{copy:03d}"
        shutil.copytree(source, folder)
        rename = renaming(names, copy)
        if not rename:
            continue
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix.lower() in _RENAMED_SUFFIXES:
                rename_in(path, rename)


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_SAMPLES,
                        help="folder to copy (default: legacy_samples)")
    parser.add_argument("--copies", type=int, default=10, help="copies of PATH (default 10)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each measurement; the best is kept (default 3)")
    args = parser.parse_args(argv)
    if not args.path.is_dir():
        parser.error(f"{args.path} is not a folder")
    if args.copies < 1 or args.repeat < 1:
        parser.error("--copies and --repeat must be at least 1")

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
