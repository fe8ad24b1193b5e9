"""How fast is a translated batch program next to its GnuCOBOL build, on a big input?

    python benchmarks/bench_runtime.py [--records N] [--programs NAME ...] [--out DIR]
                                       [--timeout S] [--no-sandbox] [--samples DIR]

Analyses the samples (default ``legacy_samples/``) and, for each batch program GnuCOBOL can
build (embedded SQL and CICS programs are skipped: cobc cannot compile them), generates N
records for every bulk input file from the sample scenario ``scenarios/<PROGRAM>/sample-data``,
builds the program once with the harness's ``build`` and ``cobc -O2`` (no trace), translates the
estate with ``translate_estate``, runs both sides on the same inputs and times each run (wall
clock of the process, build and translation excluded). Standard output, the return code and
every file a run created or changed must be byte-identical (INDEXED outputs as records in
primary-key order, as ``modernize.validate.harness.compare`` judges them). Prints a Markdown
table.

**Inputs.** A bulk input is an OPEN INPUT sequential file whose sample records start with a
numeric key (the first elementary numeric field at offset 0 of its layout, from the model).
Its N records are the sample records repeated, each copy with a new key: the high digits kept
(region and branch, so control breaks still happen), the low digits (the serial, found in the
model as the last numeric subfield of a REDEFINES of the key, else the low 7 digits) replaced
by ``serial * copies + copy``. The same mapping is used for every file of a program, so an
account and its transactions still match; a sample file in key order stays in key order (each
record's copies are written together), and an unsorted one stays unsorted (copy after copy).
Records whose key is not numeric (deliberately bad sample items) are repeated unchanged. All
other inputs (control cards, the rate table, the run-control record, the suspense file opened
EXTEND) are the sample's, as are standard input, environment and PARM.

**Sandboxed.** Both sides run through the harness's ``run`` / ``run_python`` in bubblewrap,
as every run of generated code does (limits raised to fit the inputs). ``--no-sandbox`` runs
them as plain processes, to see what the sandbox adds; it is refused for any estate but this
project's own ``legacy_samples/``.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

from modernize.analysis.run import analyze_into
from modernize.analysis.store import load_analysis
from modernize.core.model import DataItem, Estate, FileDef, Program
from modernize.translate import translate_estate
from modernize.validate.harness import Build, RunResult, Scenario, compare
from modernize.validate.harness import run as sandbox_run
from modernize.validate.harness.compare import (
    RecordLayouts,
    Utilities,
    indexed_outputs,
    stored_files,
)
from modernize.validate.harness.legacy import (
    base_environment,
    build,
)
from modernize.validate.harness.python import run_python
from modernize.validate.harness.scenarios import (
    FieldSpec,
    ScenarioError,
    load_scenarios,
    record_fields,
    set_field,
)

log = logging.getLogger("bench_runtime")

DEFAULT_SERIAL_DIGITS = 7
"""Low digits of a key varied when the model has no REDEFINES splitting a key of that width."""


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class KeyPlan:
    """Where a bulk file's key lies and how its copies are renumbered."""

    spec: FieldSpec
    serial_digits: int


@dataclass
class Inputs:
    """One program's generated run: its files by DD name, which were generated, and the rest
    of the sample scenario (stdin, env, PARM)."""

    scenario: Scenario
    generated: dict[str, int] = field(default_factory=dict)  # DD name -> records


def _is_line(fd: FileDef) -> bool:
    return "LINE" in fd.organization.upper()


def _open_modes(program: Program, fd: FileDef) -> set[str]:
    return {(op.mode or "").upper() for op in program.file_ops
            if op.verb == "OPEN" and op.file_name == fd.name}


def _split_records(fd: FileDef, data: bytes, length: int) -> list[bytes]:
    if _is_line(fd):
        return [line.removesuffix(b"\r") for line in data.splitlines()]
    return [data[i:i + length] for i in range(0, len(data) - len(data) % length, length)]


def _serial_digits(estate: Estate) -> dict[tuple[str, int], int]:
    """Per (program, key width) and per ('', key width) for the whole estate: the width of the
    low-order part of a numeric key, from a group REDEFINES that splits it (``ACCT-NUMBER-R``:
    region, branch suffix, serial) - so only the serial varies and control breaks stay."""
    found: dict[tuple[str, int], int] = {}
    for program in estate.programs:
        by_id = {item.id: item for item in program.data_items}
        children: dict[str, list[DataItem]] = {}
        for item in program.data_items:
            if item.parent:
                children.setdefault(item.parent, []).append(item)
        for item in program.data_items:
            if not item.redefines or not children.get(item.id) or not item.length:
                continue
            leaves = [i for i in program.data_items
                      if i.offset is not None and i.length and i.picture and not children.get(i.id)
                      and i.offset + i.length == (item.offset or 0) + item.length
                      and _is_under(i, item, by_id)]
            numeric = [i for i in leaves if set((i.picture or "").upper()) <= set("9()0123456789")]
            if numeric and numeric[-1].length < item.length:
                found.setdefault((program.name, item.length), numeric[-1].length)
                found.setdefault(("", item.length), numeric[-1].length)
    return found


def _is_under(item: DataItem, ancestor: DataItem, by_id: Mapping[str, DataItem]) -> bool:
    """Whether ``item`` lies inside the group ``ancestor``."""
    parent = item.parent
    while parent:
        if parent == ancestor.id:
            return True
        parent = by_id[parent].parent if parent in by_id else None
    return False


def _key_of(program: Program, fd: FileDef, sample: bytes) -> FieldSpec | None:
    """The numeric field at offset 0 of the file's layout (the FD record, or the record it is
    read INTO) whose value in the sample record is a valid number."""
    layouts = RecordLayouts(program)
    own = layouts.candidates(fd)
    length = layouts.record_length(fd)
    # an FD record that is one PIC X field, MOVEd to a working-storage layout of its length
    same_size = [d for d in program.data_items if d.level == 1 and d.fd is None
                 and d.is_group and d.length == length and d not in own]
    for layout in [*own, *same_size]:
        try:
            specs = record_fields(program, layout.name)
        except ScenarioError:
            continue
        for spec in specs:
            if spec.offset == 0 and spec.numeric and spec.length <= len(sample) \
                    and _key_value(spec, sample) is not None:
                return spec
    return None


def _key_value(spec: FieldSpec, record: bytes) -> int | None:
    image = bytearray(record.ljust(spec.offset + spec.length, b" "))
    try:
        value = spec.make(image).get()
    except Exception:  # noqa: BLE001 - any undecodable value means "not a key"
        return None
    if not isinstance(value, (int, Decimal)) or value < 0 or value != int(value):
        return None
    digits = image[spec.offset:spec.offset + spec.length]
    if spec.item.usage in (None, "", "DISPLAY") and not bytes(digits).isdigit():
        return None  # spaces or letters decode leniently: keep such records as they are
    return int(value)


def _renumber(plan: KeyPlan, record: bytes, copy: int, copies: int) -> bytes:
    key = _key_value(plan.spec, record)
    if key is None:
        return record
    base = 10 ** plan.serial_digits
    high, serial = divmod(key, base)
    new_serial = serial * copies + copy
    if new_serial >= base:
        raise SystemExit(f"{plan.spec.name}: {copies} copies of serial {serial} do not fit in "
                         f"{plan.serial_digits} digits; ask for fewer records")
    image = bytearray(record.ljust(plan.spec.offset + plan.spec.length, b" "))
    set_field(plan.spec, image, high * base + new_serial)
    return bytes(image[:max(len(record), plan.spec.offset + plan.spec.length)])


def _ascending(plan: KeyPlan, records: Sequence[bytes]) -> bool:
    keys = [_key_value(plan.spec, r) for r in records]
    numbers = [k for k in keys if k is not None]
    return len(numbers) == len(keys) and all(a <= b for a, b in pairwise(numbers))


def generate(program: Program, estate: Estate, base: Scenario, records: int) -> Inputs:
    """N records per bulk input file of ``program`` from its sample scenario ``base``."""
    serials = _serial_digits(estate)
    layouts = RecordLayouts(program)
    plans: dict[str, tuple[FileDef, KeyPlan, list[bytes]]] = {}
    for dd, data in base.inputs.items():
        fd = layouts.file(dd)
        if fd is None or "INDEXED" in fd.organization.upper() \
                or "RELATIVE" in fd.organization.upper() \
                or _open_modes(program, fd) != {"INPUT"}:
            continue
        length = layouts.record_length(fd) or 0
        sample = _split_records(fd, data, length)
        if len(sample) < 2:
            continue
        spec = next((s for r in sample if (s := _key_of(program, fd, r)) is not None), None)
        if spec is None:
            continue
        digits = serials.get((program.name, spec.length), serials.get(
            ("", spec.length), min(DEFAULT_SERIAL_DIGITS, spec.length)))
        plans[dd] = (fd, KeyPlan(spec, digits), sample)
    inputs = dict(base.inputs)
    generated: dict[str, int] = {}
    if plans:  # one mapping for every file of the program: matching keys stay matched
        copies = math.ceil(records / min(len(s) for _, _, s in plans.values()))
        for dd, (fd, plan, sample) in plans.items():
            if _ascending(plan, sample):  # each key's copies together: still in key order
                groups: list[list[bytes]] = []
                for r in sample:
                    if groups and _key_value(plan.spec, groups[-1][0]) == _key_value(plan.spec, r):
                        groups[-1].append(r)
                    else:
                        groups.append([r])
                out = [_renumber(plan, r, c, copies)
                       for group in groups for c in range(copies) for r in group]
            else:
                out = [_renumber(plan, r, c, copies) for c in range(copies) for r in sample]
            out = out[:records]
            inputs[dd] = b"".join(r + b"\n" for r in out) if _is_line(fd) else b"".join(out)
            generated[dd] = len(out)
    return Inputs(Scenario(f"bench:{records}", inputs, base.stdin, dict(base.env), base.parm),
                  generated)


# --------------------------------------------------------------------------- build


# --------------------------------------------------------------------------- runs


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _run_direct(label: str, argv: list[str], env: Mapping[str, str], rundir: Path,
                scenario: Scenario, timeout_s: float) -> RunResult:
    """Run ``argv`` in ``rundir`` holding the scenario's inputs; wall clock of the process."""
    rundir.mkdir(parents=True, exist_ok=True)
    for dd, data in scenario.inputs.items():
        (rundir / dd).write_bytes(data)
    before = _snapshot(rundir)
    started = time.perf_counter()
    proc = subprocess.run([*argv, *([scenario.parm] if scenario.parm else [])], cwd=rundir,
                          env=dict(env), input=scenario.stdin, capture_output=True,
                          timeout=timeout_s)
    duration = time.perf_counter() - started
    after = _snapshot(rundir)
    return RunResult(program=label, scenario=scenario.name, returncode=proc.returncode,
                     stdout=proc.stdout, stderr=proc.stderr, files=after,
                     outputs=tuple(n for n, d in after.items() if before.get(n) != d),
                     duration_s=duration)


def _env(rundir: Path, dd_names: Sequence[str], scenario: Scenario) -> dict[str, str]:
    """The harness's environment of a run (from scratch, fixed clock), with the caller's PATH
    (a run outside the sandbox finds its interpreter there) and ``DD_<name>``."""
    env = {**base_environment(rundir, rundir), "PATH": os.environ.get("PATH", os.defpath)}
    for dd in dict.fromkeys([*dd_names, *scenario.inputs]):
        env[f"DD_{dd}"] = str(rundir / dd)
    return env


def run_cobol(built: Build, scenario: Scenario, rundir: Path, timeout_s: float,
              sandbox: bool) -> RunResult:
    if sandbox:
        return sandbox_run(built, scenario, timeout_s=timeout_s, file_mb=4096, memory_mb=4096)
    env = _env(rundir, built.dd_names, scenario)
    path = [str(p) for p in (built.library_dir, built.services_dir) if p is not None]
    if path:
        env["COB_LIBRARY_PATH"] = ":".join(path)
    env.update(scenario.env)
    return _run_direct(built.program, [str(built.executable)], env, rundir, scenario, timeout_s)


def run_translation(module: Path, program: Program, scenario: Scenario, rundir: Path,
                    timeout_s: float, sandbox: bool) -> RunResult:
    dd_names = tuple(dict.fromkeys(f.external_name for f in program.files))
    if sandbox:
        return run_python(module, scenario, dd_names, program.name, timeout_s=timeout_s,
                          cpu_s=int(timeout_s) + 5, memory_mb=4096, file_mb=4096)
    env = _env(rundir, dd_names, scenario)
    env.update(scenario.env)
    return _run_direct(program.name, [sys.executable, "-B", str(module)], env, rundir, scenario,
                       timeout_s)


# --------------------------------------------------------------------------- main


@dataclass
class Row:
    program: str
    records: str = "-"
    cobol_s: float | None = None
    python_s: float | None = None
    identical: str = "-"
    note: str = ""


def bench_program(program: Program, estate: Estate, root: Path, module: Path | None,
                  work: Path, out: Path, args: argparse.Namespace) -> Row:
    """Generate, build, run both sides, time and compare one program."""
    row = Row(program.name)
    if program.cics or program.kind == "online":
        row.note = "skipped: CICS (EXEC CICS), cobc has no CICS translator"
        return row
    if program.sql:
        row.note = "skipped: embedded SQL (EXEC SQL), cobc needs the DB2 precompiler"
        return row
    if any(o in f.organization.upper() for f in program.files for o in ("INDEXED", "RELATIVE")
           if _open_modes(program, f) & {"INPUT", "I-O"}):
        row.note = "skipped: reads an INDEXED/RELATIVE file (no generator for one here)"
        return row
    scenarios = {s.name: s for s in load_scenarios(root, program)}
    base = scenarios.get("hand:sample-data") or next(iter(scenarios.values()), None)
    if base is None:
        row.note = "skipped: no sample scenario to start from"
        return row
    inputs = generate(program, estate, base, args.records)
    if not inputs.generated:
        row.note = "skipped: no bulk input file to generate"
        return row
    row.records = ", ".join(f"{dd} {n}" for dd, n in inputs.generated.items())
    folder = out / program.name
    for dd, data in inputs.scenario.inputs.items():
        (folder / "inputs").mkdir(parents=True, exist_ok=True)
        (folder / "inputs" / dd).write_bytes(data)
    if module is None:
        row.note = "skipped: not translated"
        return row
    built = build(program, estate, root, work, trace=False, optimize=True)
    legacy = run_cobol(built, inputs.scenario, folder / "cobol", args.timeout, args.sandbox)
    python = run_translation(module, program, inputs.scenario, folder / "python", args.timeout,
                             args.sandbox)
    row.cobol_s, row.python_s = legacy.duration_s, python.duration_s
    stored = stored_files(program, root)
    indexed = indexed_outputs(stored, legacy, python, Utilities(work, timeout_s=args.timeout)) \
        if any(s.indexed for s in stored.values()) else None
    verdict = compare(legacy, python, program, indexed=indexed)
    compared = sorted(set(legacy.outputs) | set(python.outputs))
    row.identical = "yes" if verdict.equivalent else "**no**"
    row.note = f"compared stdout, rc {legacy.returncode}, {', '.join(compared)}"
    if not verdict.equivalent:
        row.note += "; " + "; ".join(d.describe() for d in verdict.differences[:3])
        log.warning("%s differs:\n%s\npython stderr:\n%s", program.name, verdict.report(),
                    python.stderr.decode("utf-8", "replace")[-2000:])
    return row


OWN_SAMPLES = Path(__file__).resolve().parent.parent / "legacy_samples"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=Path, default=OWN_SAMPLES)
    parser.add_argument("--records", type=int, default=100_000,
                        help="records per bulk input file (default 100000)")
    parser.add_argument("--programs", nargs="+", metavar="NAME",
                        help="only these programs (default every batch program)")
    parser.add_argument("--out", type=Path, help="keep inputs and outputs under this folder")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per run")
    parser.add_argument("--no-sandbox", dest="sandbox", action="store_false",
                        help="run both sides outside bubblewrap (only for this project's own "
                             "legacy_samples/: generated code from any other estate is "
                             "untrusted and runs only in the sandbox)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    root = args.samples.resolve()
    if not args.sandbox and root != OWN_SAMPLES:
        parser.error("--no-sandbox runs generated code unconfined: only for legacy_samples/")
    with tempfile.TemporaryDirectory(prefix="bench-runtime-") as tmp:
        work = Path(tmp)
        out = args.out.resolve() if args.out else work / "runs"
        analyze_into(root, work / "analysis")
        estate, _ = load_analysis(work / "analysis")
        code = work / "code"
        translated = translate_estate(estate, code)
        modules = {t.program: code / f"{t.module_name}.py" for t in translated.translations}
        wanted = {n.upper() for n in args.programs or []}
        rows = [bench_program(p, estate, root, modules.get(p.name), work, out, args)
                for p in estate.programs
                if p.kind in ("batch", "online") and (not wanted or p.name in wanted)]
    print(f"\n{args.records} records per bulk input; {platform.machine()}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"{'sandboxed' if args.sandbox else 'no sandbox'}\n")
    print("| program | records | GnuCOBOL s | Python s | ratio | outputs identical |")
    print("| --- | --- | ---: | ---: | ---: | --- |")
    for row in rows:
        if row.cobol_s is None or row.python_s is None:
            print(f"| {row.program} | - | - | - | - | {row.note} |")
            continue
        ratio = row.python_s / row.cobol_s if row.cobol_s else float("inf")
        print(f"| {row.program} | {row.records} | {row.cobol_s:.3f} | {row.python_s:.3f} | "
              f"{ratio:.1f}x | {row.identical} |")
    print()
    for row in rows:
        if row.cobol_s is not None:
            print(f"- {row.program}: {row.note}")


if __name__ == "__main__":
    main()
