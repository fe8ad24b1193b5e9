"""Run the batch programs of legacy_samples/ with GnuCOBOL and compare with the known outputs.

Every runnable batch program (no EXEC SQL / EXEC CICS) is compiled with ``cobc`` into a temporary
directory and run there with its files mapped the way JCL maps them: GnuCOBOL looks up the
environment variable ``DD_<name>`` for ``SELECT ... ASSIGN TO <name>``.  Inputs are copied
into the run directory first (some files are updated in place: OPEN EXTEND, OPEN I-O + REWRITE),
then stdout, the return code and every output file must equal
``legacy_samples/expected/<PROGRAM>/`` byte for byte.

The daily chain feeds each step with the previous step's expected output, exactly as the JCL does
(TRANVAL -> TRANSORT -> POSTTRAN -> INTCALC -> STMTRPT).

cobc options:
  * ``-fassign-clause=ibm``: ``ASSIGN TO TRANIN`` is an external (DD) name, as on z/OS.  With the
    default (``mf``) cobc 3.1.2 makes TRANIN an implicit 4095-byte data item whose field descriptor
    is a shared temporary (``f0``) that later statements can overwrite - OPEN then fails with
    status 31 depending on unrelated code (seen in POSTTRAN).
  * DATEVAL is linked in (``cobc -x MAIN.cbl DATEVAL.cbl``) for the static callers, and built as a
    module (``cobc -m``) on ``COB_LIBRARY_PATH`` for ACCTUPDT, which calls it through ``WS-PGM``.

Regenerate the expected files (then READ them before committing):
    python tests/test_samples_run.py --regen
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import require_tool

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "legacy_samples"
EXPECTED = SAMPLES / "expected"
COBC = require_tool("cobc")
COBC_OPTIONS = [
    "-fassign-clause=ibm",
    "-I",
    str(SAMPLES / "copylib"),
    "-I",
    str(SAMPLES / "cics" / "copy"),
]

# program, sources linked in statically, modules on COB_LIBRARY_PATH,
# input DD -> file under legacy_samples/, output DDs, expected return code
RUNS = [
    {
        "program": "TRANVAL",
        "static": ["DATEVAL"],
        "modules": [],
        "inputs": {"CTLCARD": "data/ctlcard.dat", "TRANIN": "data/tranin.dat"},
        "outputs": ["TRANOUT", "TRANERR"],
        "rc": 4,
    },
    {
        "program": "TRANSORT",
        "static": [],
        "modules": [],
        "inputs": {"SORTIN": "expected/TRANVAL/TRANOUT"},
        "outputs": ["SORTOUT"],
        "rc": 4,
    },
    {
        "program": "POSTTRAN",
        "static": [],
        "modules": [],
        "inputs": {
            "CTLCARD": "data/ctlcard.dat",
            "ACCTIN": "data/acctmast.dat",
            "TRANIN": "expected/TRANSORT/SORTOUT",
            "SUSPNSE": "data/suspense.dat",
        },
        "outputs": ["ACCTOUT", "POSTRPT", "SUSPNSE"],
        "rc": 4,
    },
    {
        "program": "INTCALC",
        "static": ["DATEVAL"],
        "modules": [],
        "inputs": {
            "CTLCARD": "data/ctlcard.dat",
            "ACCTIN": "expected/POSTTRAN/ACCTOUT",
            "RATEIN": "data/ratetbl.dat",
        },
        "outputs": ["ACCTOUT", "INTRPT"],
        "rc": 0,
    },
    {
        "program": "STMTRPT",
        "static": [],
        "modules": [],
        "inputs": {"CTLCARD": "data/ctlcard.dat", "ACCTIN": "expected/INTCALC/ACCTOUT"},
        "outputs": ["RPTOUT"],
        "rc": 0,
    },
    {
        "program": "ACCTUPDT",
        "static": [],
        "modules": ["DATEVAL"],
        "inputs": {
            "CTLCARD": "data/ctlwkly.dat",
            "OLDMAST": "data/acctmast.dat",
            "MAINTIN": "data/maintin.dat",
        },
        "outputs": ["NEWMAST", "AUDITRPT"],
        "rc": 4,
    },
    {
        "program": "CARDXTR",
        "static": [],
        "modules": [],
        "inputs": {
            "CTLCARD": "data/ctlwkly.dat",
            "CARDIN": "data/cardmast.dat",
            "RUNCTL": "data/runctl.dat",
        },
        "outputs": ["XTRACT", "RUNCTL"],
        "rc": 0,
    },
]

# programs a JCL step may run that are not in the estate (IBM utilities)
UTILITIES = {"IEFBR14", "IKJEFT01", "IDCAMS", "SORT", "IEBGENER"}
# DD names owned by the system or the utility, not by the program
SYSTEM_DDS = {
    "SYSOUT",
    "SYSPRINT",
    "SYSUDUMP",
    "SYSABOUT",
    "SYSDBOUT",
    "CEEDUMP",
    "STEPLIB",
    "SYSTSPRT",
    "SYSTSIN",
}


def _run_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(("DD_", "COB_"))}
    env.update(extra)
    return env


def run_program(spec: dict, workdir: Path) -> tuple[subprocess.CompletedProcess, Path]:
    """Compile and run one program in workdir; return the process and the run directory."""
    program = spec["program"]
    build = workdir / "build"
    rundir = workdir / "run"
    libdir = workdir / "lib"
    for d in (build, rundir, libdir):
        d.mkdir(parents=True, exist_ok=True)
    sources = [str(SAMPLES / "cobol" / f"{name}.cbl") for name in [program, *spec["static"]]]
    exe = build / program
    subprocess.run(
        [COBC, "-x", *COBC_OPTIONS, "-o", str(exe), *sources],
        check=True,
        capture_output=True,
        text=True,
    )
    for module in spec["modules"]:
        subprocess.run(
            [
                COBC,
                "-m",
                *COBC_OPTIONS,
                "-o",
                str(libdir / f"{module}.so"),
                str(SAMPLES / "cobol" / f"{module}.cbl"),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
    env = {}
    for dd, source in spec["inputs"].items():
        shutil.copyfile(SAMPLES / source, rundir / dd)
        env[f"DD_{dd}"] = str(rundir / dd)
    for dd in spec["outputs"]:
        env[f"DD_{dd}"] = str(rundir / dd)
    if spec["modules"]:
        env["COB_LIBRARY_PATH"] = str(libdir)
    proc = subprocess.run(
        [str(exe)], cwd=rundir, env=_run_env(env), capture_output=True, timeout=60
    )
    return proc, rundir


@pytest.mark.parametrize("spec", RUNS, ids=[r["program"] for r in RUNS])
def test_batch_program_output(spec, tmp_path):
    if COBC is None:
        pytest.skip("cobc (GnuCOBOL) is not installed")
    proc, rundir = run_program(spec, tmp_path)
    expected = EXPECTED / spec["program"]
    assert proc.returncode == spec["rc"], proc.stderr.decode(errors="replace")
    assert proc.stdout == (expected / "stdout").read_bytes()
    for dd in spec["outputs"]:
        assert (rundir / dd).read_bytes() == (expected / dd).read_bytes(), dd


# --------------------------------------------------------------------------- JCL


def _cobol_text(path: Path) -> str:
    """Program text without sequence area, identification area and comment lines."""
    lines = []
    for line in path.read_text().splitlines():
        if len(line) > 6 and line[6] in "*/":
            continue
        lines.append(line[7:72])
    return "\n".join(lines)


def declared_dd_names(path: Path) -> set[str]:
    return set(re.findall(r"\bSELECT\s+[\w-]+\s+ASSIGN\s+TO\s+([A-Z0-9#@$-]+)", _cobol_text(path)))


def estate_programs() -> dict[str, Path]:
    programs = {}
    for path in (SAMPLES / "cobol").glob("*.cbl"):
        match = re.search(r"PROGRAM-ID\.\s+([\w-]+)", _cobol_text(path))
        assert match, path
        programs[match.group(1)] = path
    return programs


def parse_jcl(path: Path) -> list[dict]:
    """Steps of a job: name, program, DD names, in-stream SYSTSIN text."""
    steps: list[dict] = []
    instream = None
    for line in path.read_text().splitlines():
        if instream is not None:
            if line.startswith("/*") or line.startswith("//"):
                instream = None
            else:
                instream.append(line)
                continue
        if not line.startswith("//") or line.startswith("//*"):
            continue
        fields = line[2:].split()
        if not fields or line[2] == " ":
            continue  # continuation or concatenation
        name, operation = fields[0], fields[1] if len(fields) > 1 else ""
        if operation == "EXEC":
            match = re.search(r"PGM=([A-Z0-9#@$]+)", line)
            steps.append(
                {
                    "name": name,
                    "program": match.group(1) if match else None,
                    "dds": [],
                    "instream": {},
                }
            )
        elif operation == "DD" and steps:
            steps[-1]["dds"].append(name)
            if re.search(r"\bDD\s+(\*|DATA)", line):
                instream = steps[-1]["instream"].setdefault(name, [])
    return steps


@pytest.mark.parametrize("job", ["DAILYCYC.jcl", "WKLYMNT.jcl"])
def test_jcl_references_estate_programs_and_their_dd_names(job):
    programs = estate_programs()
    steps = parse_jcl(SAMPLES / "jcl" / job)
    assert steps
    for step in steps:
        program = step["program"]
        if program == "IKJEFT01":
            tsoin = "\n".join(step["instream"].get("SYSTSIN", []))
            match = re.search(r"RUN\s+PROGRAM\(([A-Z0-9#@$]+)\)", tsoin)
            assert match, f"{step['name']}: IKJEFT01 without DSN RUN PROGRAM"
            program = match.group(1)
        elif program in UTILITIES:
            continue
        assert program in programs, f"{job} {step['name']}: {program} not in legacy_samples/cobol"
        dds = set(step["dds"]) - SYSTEM_DDS
        declared = declared_dd_names(programs[program])
        assert dds == declared, (
            f"{job} {step['name']} {program}: JCL {sorted(dds)} program {sorted(declared)}"
        )


def _regenerate() -> None:
    import tempfile

    assert COBC, "cobc not on PATH"
    for spec in RUNS:  # in chain order: later steps read earlier expected files
        with tempfile.TemporaryDirectory() as tmp:
            proc, rundir = run_program(spec, Path(tmp))
            assert proc.returncode == spec["rc"], (spec["program"], proc.returncode, proc.stderr)
            target = EXPECTED / spec["program"]
            if target.exists():
                shutil.rmtree(target)
            target.mkdir(parents=True)
            (target / "stdout").write_bytes(proc.stdout)
            for dd in spec["outputs"]:
                shutil.copyfile(rundir / dd, target / dd)
            print(
                f"{spec['program']}: rc={proc.returncode}, "
                f"{len(spec['outputs'])} output file(s) + stdout"
            )


if __name__ == "__main__":
    if "--regen" in sys.argv:
        _regenerate()
    else:
        print(__doc__)
