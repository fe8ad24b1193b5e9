"""The legacy runner: build a COBOL program with GnuCOBOL and run it on a scenario.

``build`` compiles a batch program with ``cobc -x`` (IBM ASSIGN semantics, copybook folders from
the analysis), links the subprograms it CALLs by literal name and builds the dynamically called
ones as modules for ``COB_LIBRARY_PATH``; builds are cached by content under ``work``.
``run`` executes a build in a fresh temporary directory the way JCL would (``DD_<name>`` per
file), with a time limit, and captures stdout, stderr, the return code, every file the run
created or changed, and the paragraphs GnuCOBOL's trace saw it enter. A program built from an
estate is untrusted code: it runs in the same bubblewrap sandbox as a translated module
(``sandbox``: no network, no host files but the system libraries and a copy of its build, an
environment built from scratch, kernel limits), and ``cobc`` compiles with a minimal
environment (no API key reaches the compiler or the program).

The Language Environment and system services a program ported from z/OS CALLs (CEE3ABD,
CEEDAYS, CEELOCT, ILBOABN0 …, listed and documented in ``modernize.runtime.services``) are
COBOL stubs in ``stubs/`` next to this module. When a build's programs CALL one of them (or
CALL through a data item whose values are not all known), ``service_library`` compiles every
stub once per ``cobc`` under ``work/services/<key>/``, and the run binds a copy of that folder
read-only at ``SERVICES_MOUNT`` and puts it on ``COB_LIBRARY_PATH`` after the build's own
modules, so a program of the estate with a service's name still wins.

GnuCOBOL 3.x trace lines (``cobc -ftrace``, run with ``COB_SET_TRACE=Y COB_TRACE_FILE=F``)::

    Source: '/abs/path/TRANVAL.cbl'
    Program-Id:  TRANVAL
    Program-Id:  TRANVAL              Entry: TRANVAL                         Line:    144
    Program-Id:  TRANVAL            Section: A000                            Line:      4
    Program-Id:  TRANVAL          Paragraph: 0000-MAINLINE                   Line:    145
    Program-Id:  DATEVAL               Exit: DATEVAL                         Line:    125

``Line`` is the line in the ``Source`` file, so a trace entry maps to the model's procedure key
by (program, line), and by name where the line does not match (code from a copybook).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import selectors
import shutil
import stat
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ...core.errors import ModernizeError
from ...core.model import Estate, Program
from ...core.names import safe_stem
from ...runtime.services import SERVICES
from . import sandbox

log = logging.getLogger(__name__)

CACHE_VERSION = "1"
BASE_OPTIONS = ("-fassign-clause=ibm",)
MODULE_SUFFIX = ".so"
_TRACE_LINE = re.compile(
    r"^Program-Id:\s+(?P<program>\S+)\s+(?P<kind>Paragraph|Section|Entry|Exit):\s+"
    r"(?P<name>\S+)\s+Line:\s+(?P<line>\d+)\s*$"
)
_SOURCE_LINE = re.compile(r"^Source:\s+'(?P<path>.*)'\s*$")
OUTPUT_CAP = 16 << 20
"""Bytes of standard output (and of standard error) kept from a run; past it the run is
stopped and the truncation reported on standard error."""
LEGACY_MEMORY_MB = 1024
LEGACY_FILE_MB = 1024
LEGACY_PROCESSES = 8
KILL_GRACE_S = 5.0
_COMPILE_ENV = ("PATH", "TMPDIR", "TMP", "TEMP", "LANG", "LANGUAGE", "TZ", "LD_LIBRARY_PATH")
STUBS_DIR = Path(__file__).resolve().with_name("stubs")
"""The COBOL stubs of the Language Environment services (``<SERVICE>.cob``, shared ``*.cpy``)."""
MODULES_MOUNT = Path("/opt/modernize-modules")
SERVICES_MOUNT = Path("/opt/modernize-services")
"""Where a run sees the build's modules and the compiled service stubs: fixed paths, so no
``:`` in a work folder's name can split ``COB_LIBRARY_PATH``."""


class HarnessError(ModernizeError):
    """Base of the validation harness errors."""


class ScenarioInputError(HarnessError):
    """A scenario names an input file that cannot live inside the run folder."""


class CobcNotFoundError(HarnessError):
    """``cobc`` (GnuCOBOL) is not installed or not on PATH."""


class UnsupportedProgramError(HarnessError):
    """The program cannot run under the batch harness (EXEC SQL, EXEC CICS, not in estate)."""


class CompileError(HarnessError):
    """cobc rejected a source; ``messages`` holds what it said."""

    def __init__(self, program: str, command: list[str], messages: str) -> None:
        self.program = program
        self.command = command
        self.messages = messages
        super().__init__(f"cobc failed for {program}:\n{messages.strip()}\n"
                         f"command: {' '.join(command)}")


class RunTimeoutError(HarnessError):
    """The program ran past its time limit and was killed."""

    def __init__(self, program: str, scenario: str, timeout_s: float, stdout: bytes,
                 stderr: bytes) -> None:
        self.program = program
        self.scenario = scenario
        self.timeout_s = timeout_s
        self.stdout = stdout
        self.stderr = stderr
        super().__init__(f"{program} on scenario {scenario!r} ran longer than {timeout_s:g} s "
                         "and was killed: look for a loop that never ends on this input")


@dataclass(frozen=True)
class Scenario:
    """One run's inputs: files by DD name, standard input, environment and PARM.

    ``parm`` is passed as the command line (``ACCEPT ... FROM COMMAND-LINE``); ``env`` is applied
    last, so it can set e.g. ``COB_CURRENT_DATE`` for a fixed clock.
    """

    name: str
    inputs: Mapping[str, bytes] = field(default_factory=dict)
    stdin: bytes = b""
    env: Mapping[str, str] = field(default_factory=dict)
    parm: str | None = None

    def __post_init__(self) -> None:
        for dd in self.inputs:  # each becomes a file of the run folder: never a path out of it
            if not input_name_ok(dd):
                raise ScenarioInputError(
                    f"scenario {self.name!r}: input {dd!r} is not a file name the run folder "
                    "can hold (absolute, '..', or empty); name it by its DD name")


def input_name_ok(name: str) -> bool:
    """Whether ``name`` may name a scenario's input file inside the run folder (a DD name, or
    the relative file name of a literal ASSIGN)."""
    parts = name.split("/")
    return bool(name) and "\0" not in name and not name.startswith("/") and all(
        part not in ("", ".", "..") for part in parts)


def write_inputs(rundir: Path, inputs: Mapping[str, bytes]) -> None:
    """Write a scenario's input files into ``rundir`` (names were checked by ``Scenario``)."""
    for dd, data in inputs.items():
        target = rundir / dd
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


@dataclass(frozen=True, eq=False)
class Build:
    """A compiled program: its executable, module folder and the models of what it contains."""

    program: str
    executable: Path
    library_dir: Path | None
    dd_names: tuple[str, ...]
    programs: Mapping[str, Program]
    linked: tuple[str, ...]
    modules: tuple[str, ...]
    traced: bool
    key: str
    cached: bool
    messages: str = ""
    services_dir: Path | None = None
    """The compiled service stubs (``<SERVICE>.so``) the run puts on ``COB_LIBRARY_PATH``."""


@dataclass(frozen=True, eq=False)
class RunResult:
    """What a run produced. ``files`` holds every file in the run folder afterwards (by DD name
    for the program's files); ``outputs`` names those the run created or changed."""

    program: str
    scenario: str
    returncode: int
    stdout: bytes
    stderr: bytes
    files: Mapping[str, bytes]
    outputs: tuple[str, ...]
    trace: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    duration_s: float = 0.0

    def paragraphs(self, program: str | None = None) -> set[str]:
        """Procedure keys entered (of ``program``, default the main program)."""
        return set(self.trace.get((program or self.program).upper(), {}))


# --------------------------------------------------------------------------- build


def _cobc() -> str:
    found = shutil.which("cobc")
    if not found:
        raise CobcNotFoundError("cobc not found: install GnuCOBOL (apt-get install gnucobol3, "
                                "or ./scripts/setup)")
    return found


def _batch_program(estate: Estate, name: str) -> Program:
    program = estate.program(name)
    if program is None:
        raise UnsupportedProgramError(f"{name} is not a program of the analysed estate")
    return _as_batch(program)


def _as_batch(program: Program) -> Program:
    if program.sql or program.cics:
        raise UnsupportedProgramError(f"{program.name} uses EXEC SQL/CICS: the batch harness "
                                      "runs plain batch programs only")
    return program


def _callees(program: Program, estate: Estate, kinds: set[str]) -> list[str]:
    names: list[str] = []
    for call in program.calls:
        if call.kind not in kinds:
            continue
        for target in (call.target, *call.candidates):
            if target and estate.program(target) and target.upper() not in names:
                names.append(target.upper())
    return names


def _closure(start: Iterable[str], estate: Estate, kinds: set[str]) -> list[str]:
    seen: list[str] = []
    todo = list(start)
    while todo:
        name = todo.pop(0)
        if name in seen:
            continue
        seen.append(name)
        todo.extend(_callees(_batch_program(estate, name), estate, kinds))
    return seen


def _copy_dirs(programs: Iterable[Program], root: Path) -> list[Path]:
    dirs: list[Path] = []
    for program in programs:
        for use in program.copybook_uses:
            if use.path and not use.system:
                folder = (root / use.path).parent
                if folder not in dirs:
                    dirs.append(folder)
    return dirs


def _digest(parts: Iterable[bytes]) -> str:
    sha = hashlib.sha256()
    for part in parts:
        sha.update(len(part).to_bytes(8, "big"))
        sha.update(part)
    return sha.hexdigest()[:24]


def _compile_env() -> dict[str, str]:
    """What ``cobc`` needs of the caller's environment: ``PATH`` (the C compiler), the temporary
    folder, the locale, and the ``COB_*`` settings the user gave (``COB_CC``, ``COB_CFLAGS``,
    ``COB_CONFIG_DIR`` ...); nothing else (no API key)."""
    return {k: v for k, v in os.environ.items()
            if k in _COMPILE_ENV or k.startswith(("LC_", "COB_"))}


def _compile(command: list[str], program: str, cwd: Path) -> str:
    log.info("compiling %s: %s", program, " ".join(command))
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True, errors="replace",
                          env=_compile_env())
    messages = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0:
        raise CompileError(program, command, messages)
    return messages


def _cobc_identity(cobc: str) -> bytes:
    found = Path(cobc).stat()
    return f"{cobc}:{found.st_size}:{found.st_mtime_ns}".encode()


def calls_services(programs: Iterable[Program]) -> bool:
    """Whether ``programs`` CALL a Language Environment service by name, or CALL through a
    data item whose values are not all known (it may name one at run time)."""
    for program in programs:
        for call in program.calls:
            if call.kind not in ("static", "dynamic"):
                continue
            names = [n.upper() for n in (call.target, *call.candidates) if n]
            if any(n in SERVICES for n in names) or (call.kind == "dynamic" and not names):
                return True
    return False


def service_library(work: Path) -> Path:
    """The folder of the compiled service stubs (one ``<SERVICE>.so`` each) under ``work``,
    compiled on first use and reused while ``cobc`` and the stubs are unchanged. Raises
    ``CompileError`` when ``cobc`` rejects a stub (this GnuCOBOL lacks something they use)."""
    cobc = _cobc()
    sources = sorted(STUBS_DIR.glob("*.cob"))
    names = [p.stem for p in sources]
    if sorted(SERVICES) != sorted(names):
        raise HarnessError(f"the service stubs in {STUBS_DIR} ({', '.join(names)}) do not match "
                           f"the services of modernize.runtime.services: reinstall modernize")
    key = _digest([CACHE_VERSION.encode(), _cobc_identity(cobc),
                   json.dumps(BASE_OPTIONS).encode(),
                   *(f"{p.name}\0".encode() + p.read_bytes()
                     for p in sorted(STUBS_DIR.glob("*.c*")))])
    target = Path(work).resolve() / "services" / key
    if (target / "services.json").is_file():
        return target

    def compile_stubs(staging: Path) -> None:
        messages = [_compile([cobc, "-m", *BASE_OPTIONS, "-I", str(STUBS_DIR), "-o",
                              str(staging / f"{source.stem}{MODULE_SUFFIX}"), str(source)],
                             source.stem, staging) for source in sources]
        (staging / "services.json").write_text(json.dumps(
            {"services": names, "messages": "\n".join(m for m in messages if m)}, indent=1))

    _publish(target, "services.json", compile_stubs)
    log.info("compiled the Language Environment service stubs into %s", target)
    return target


def _publish(target: Path, marker: str, fill: Callable[[Path], None]) -> None:
    """Fill a staging folder beside ``target`` and rename it into place in one step, so a
    reader sees a whole build or none; another process that published the same ``target``
    first (its ``marker`` file is there) wins."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name[:40]}-", dir=target.parent))
    try:
        fill(staging)
        try:
            staging.rename(target)
        except OSError:
            if not (target / marker).is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def build(program: Program, estate: Estate, root: Path, work: Path, *,
          trace: bool = True, optimize: bool = False) -> Build:
    """Compile ``program`` (with its subprograms) under ``work``, reusing an identical build.
    ``optimize`` adds ``-O2`` (for timing runs, as a shop builds for production)."""
    cobc = _cobc()
    root = Path(root).resolve()
    main = _as_batch(program)  # this program itself: a duplicate PROGRAM-ID is not the first
    linked = [n for n in _closure(_callees(main, estate, {"static"}), estate, {"static"})
              if n != main.name]
    dynamic = _closure(
        [n for p in [main.name, *linked]
         for n in _callees(_batch_program(estate, p), estate, {"dynamic"})],
        estate, {"static", "dynamic"})
    modules = [n for n in dynamic if n != main.name and n not in linked]
    # the program itself (a duplicate PROGRAM-ID is not the first of its name), then by name
    models = {main.name: main, **{n: _batch_program(estate, n) for n in [*linked, *modules]}}
    options = [*BASE_OPTIONS, *(["-ftrace"] if trace else []), *(["-O2"] if optimize else [])]
    for folder in _copy_dirs(models.values(), root):
        options += ["-I", str(folder)]

    def source(name: str) -> Path:
        return root / models[name].path

    sources = list(dict.fromkeys(source(n) for n in [main.name, *linked]))
    copybooks = sorted({root / u.path for p in models.values() for u in p.copybook_uses
                        if u.path and not u.system})
    key = _digest([
        CACHE_VERSION.encode(), _cobc_identity(cobc),
        json.dumps([options, main.name, linked, modules]).encode(),
        *(p.read_bytes() for p in [*sources, *(source(m) for m in modules), *copybooks]),
    ])
    for name in modules:  # libcob finds a CALLed module by its file name: it must be plain
        if safe_stem(name) != name:
            raise UnsupportedProgramError(
                f"{main.name} CALLs {name!r}, a name that cannot be a module's file name; "
                "it is not built")
    stem = safe_stem(main.name)  # a PROGRAM-ID may be any text: never a path
    target = Path(work).resolve() / "builds" / f"{stem}-{key}"
    exe = target / stem
    libdir = target / "lib"
    dd_names = tuple(dict.fromkeys(f.external_name for f in main.files))
    cached = (target / "build.json").is_file()
    if cached:
        log.debug("build cache hit for %s (%s)", main.name, key)
    else:
        _compile_into(target, cobc, options, stem, sources, {m: source(m) for m in modules})
    messages = json.loads((target / "build.json").read_text())["messages"]
    services = service_library(work) if calls_services(models.values()) else None
    return Build(program=main.name, executable=exe, library_dir=libdir if modules else None,
                 dd_names=dd_names, programs=models, linked=tuple(linked),
                 modules=tuple(modules), traced=trace, key=key, cached=cached,
                 messages=messages, services_dir=services)


def _compile_into(target: Path, cobc: str, options: list[str], main: str, sources: list[Path],
                  modules: Mapping[str, Path]) -> None:
    """Compile into a staging folder, then move it to ``target`` in one rename."""

    def compile_build(staging: Path) -> None:
        (staging / "lib").mkdir()
        messages = [_compile([cobc, "-x", *options, "-o", str(staging / main),
                              *map(str, sources)], main, staging)]
        for module, path in modules.items():
            messages.append(_compile([cobc, "-m", *options, "-o",
                                      str(staging / "lib" / f"{module}{MODULE_SUFFIX}"),
                                      str(path)], module, staging))
        (staging / "build.json").write_text(json.dumps(
            {"program": main, "modules": list(modules), "options": options,
             "messages": "\n".join(m for m in messages if m)}, indent=1))

    _publish(target, "build.json", compile_build)


# --------------------------------------------------------------------------- run


FIXED_CLOCK = "2024/03/05 10:11:12.34"
"""The clock both sides of a run read (``COB_CURRENT_DATE``, hundredths included, or GnuCOBOL
takes them from the real clock) unless the scenario sets its own: a program that shows the
date or the time gives the same output on both sides, run after run."""


def base_environment(rundir: Path, scratch: Path) -> dict[str, str]:
    """A run's environment, built from scratch (never the caller's): ``PATH``, a UTF-8 locale,
    ``HOME`` the run folder, ``TMPDIR`` the scratch folder, the fixed clock, and of the
    caller's only ``TZ`` and ``COB_CONFIG_DIR`` (where GnuCOBOL's configuration lives), so a
    run depends on its scenario only."""
    env = {"PATH": os.defpath, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "HOME": str(rundir),
           "TMPDIR": str(scratch), "COB_CURRENT_DATE": FIXED_CLOCK}
    for name in ("TZ", "COB_CONFIG_DIR"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every regular file under ``folder`` by relative name. Symbolic links (to a host file)
    and special files (a FIFO) the run left there are not followed or read."""
    found: list[Path] = []
    for parent, dirs, files in os.walk(folder):
        for name in files:
            path = Path(parent) / name
            if stat.S_ISREG(path.lstat().st_mode):
                found.append(path)
        dirs[:] = [d for d in dirs if not (Path(parent) / d).is_symlink()]
    result: dict[str, bytes] = {}
    for path in sorted(found):
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            result[path.relative_to(folder).as_posix()] = handle.read()
    return result


def parse_trace(lines: Iterable[str],
                programs: Mapping[str, Program]) -> dict[str, dict[str, int]]:
    """Entry counts per program and procedure key from GnuCOBOL trace lines."""
    by_line: dict[str, dict[int, str]] = {}
    by_name: dict[str, dict[str, str]] = {}
    for name, program in programs.items():
        procedures = [*program.sections, *program.paragraphs]
        by_line[name] = {p.line: p.key or p.name for p in procedures if p.file == program.path}
        names: dict[str, list[str]] = {}
        for p in procedures:
            names.setdefault(p.name, []).append(p.key or p.name)
        by_name[name] = {n: keys[0] for n, keys in names.items() if len(keys) == 1}
    counts: dict[str, dict[str, int]] = {}
    source = ""
    for raw in lines:
        line = raw.rstrip("\n")
        found = _SOURCE_LINE.match(line)
        if found:
            source = found.group("path")
            continue
        found = _TRACE_LINE.match(line)
        if not found or found.group("kind") in ("Entry", "Exit"):
            continue
        name = found.group("program").upper()
        proc = found.group("name").upper()
        key = None
        program = programs.get(name)
        if program is not None and Path(source).name == Path(program.path).name:
            key = by_line[name].get(int(found.group("line")))
        if key is None:
            key = by_name.get(name, {}).get(proc, proc)
        per = counts.setdefault(name, {})
        per[key] = per.get(key, 0) + 1
    return counts


@dataclass(frozen=True)
class Execution:
    returncode: int
    stdout: bytes
    stderr: bytes
    files: dict[str, bytes]  # every file in the run folder afterwards
    outputs: tuple[str, ...]  # those created or changed by the run
    duration_s: float
    truncated: bool = False  # stopped for passing the output cap


def _communicate(proc: subprocess.Popen[bytes], data: bytes, deadline: float,
                 cap: int) -> tuple[bytes, bytes, str | None]:
    """Feed ``data`` to standard input and read standard output and error, each up to ``cap``
    bytes, until both end or ``deadline``. Returns what was read and why it stopped early
    (``"timeout"``, ``"stdout"``/``"stderr"`` past the cap) or None."""
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    buffers = {proc.stdout.fileno(): bytearray(), proc.stderr.fileno(): bytearray()}
    names = {proc.stdout.fileno(): "stdout", proc.stderr.fileno(): "stderr"}
    stdin = proc.stdin.fileno()
    view = memoryview(data)
    with selectors.DefaultSelector() as selector:
        for fd in buffers:
            os.set_blocking(fd, False)
            selector.register(fd, selectors.EVENT_READ)
        if view:
            os.set_blocking(stdin, False)
            selector.register(stdin, selectors.EVENT_WRITE)
        else:
            proc.stdin.close()
        stopped = None
        while selector.get_map() and stopped is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                stopped = "timeout"
                break
            for key, _ in selector.select(remaining):
                if key.fd == stdin:
                    try:
                        view = view[os.write(stdin, view[:1 << 16]):]
                    except (BrokenPipeError, BlockingIOError) as exc:
                        if isinstance(exc, BlockingIOError):
                            continue
                        view = view[:0]
                    if not view:
                        selector.unregister(stdin)
                        proc.stdin.close()
                    continue
                try:
                    chunk = os.read(key.fd, 1 << 16)
                except BlockingIOError:
                    continue
                if not chunk:
                    selector.unregister(key.fd)
                    continue
                buffer = buffers[key.fd]
                room = cap - len(buffer)
                buffer += chunk[:room]
                if len(chunk) > room:
                    stopped = names[key.fd]
                    break
    out, err = (bytes(b) for b in buffers.values())
    return out, err, stopped


def execute(box: sandbox.Sandbox, rundir: Path, scenario: Scenario, program: str,
            timeout_s: float, *, output_cap: int = OUTPUT_CAP) -> Execution:
    """Run a prepared run folder's sandboxed program with standard input and a wall-clock
    limit. Standard output and error are read up to ``output_cap`` bytes each: past it the
    run is stopped and the truncation reported at the end of standard error. At the deadline,
    on a flood and when the program ends, the process group of the outer ``bwrap`` is killed,
    which kills everything the program started (its PID namespace ends with it)."""
    before = _snapshot(rundir)
    started = time.monotonic()
    proc = subprocess.Popen(box.argv, cwd=rundir, env={"PATH": os.defpath},
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=box.preexec_fn)
    try:
        stdout, stderr, stopped = _communicate(proc, scenario.stdin, started + timeout_s,
                                               output_cap)
        if stopped is None:
            try:
                proc.wait(max(0.0, started + timeout_s - time.monotonic()))
            except subprocess.TimeoutExpired:
                stopped = "timeout"
    finally:
        sandbox.kill(proc.pid)  # nothing the program started outlives it
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None and not stream.closed:
                with contextlib.suppress(BrokenPipeError):
                    stream.close()
        proc.wait(KILL_GRACE_S)
    if stopped == "timeout":
        raise RunTimeoutError(program, scenario.name, timeout_s, stdout, stderr)
    if stopped is not None:
        stderr += (f"\nsandbox: standard {'output' if stopped == 'stdout' else 'error'} "
                   f"passed {output_cap} bytes: the run was stopped and its output "
                   "truncated\n").encode()
    duration = time.monotonic() - started
    after = _snapshot(rundir)
    outputs = tuple(name for name, data in after.items() if before.get(name) != data)
    return Execution(sandbox.returncode(proc.returncode), stdout, stderr, after, outputs,
                     duration, truncated=stopped is not None)


def run(build: Build, scenario: Scenario, *, timeout_s: float = 30,
        memory_mb: int = LEGACY_MEMORY_MB, file_mb: int = LEGACY_FILE_MB,
        processes: int = LEGACY_PROCESSES) -> RunResult:
    """Run ``build`` on ``scenario`` in a fresh temporary folder, in the sandbox, and capture
    what it did. The CPU limit is past the wall-clock one (``timeout_s`` decides); raises
    ``SandboxUnavailableError`` when the sandbox cannot start here."""
    sandbox.require()
    with tempfile.TemporaryDirectory(prefix=f"run-{safe_stem(build.program)}-") as tmp:
        base = Path(tmp)
        rundir, scratch, copy = base / "run", base / "scratch", base / "build"
        rundir.mkdir()
        scratch.mkdir()
        write_inputs(rundir, scenario.inputs)
        sandbox.hand_over(rundir, scratch)
        folder = build.executable.parent
        sandbox.copy_tree([(p, p.relative_to(folder).as_posix()) for p in
                           [build.executable, *sorted((folder / "lib").glob("*"))]], copy)
        env = base_environment(rundir, scratch)
        for dd in dict.fromkeys([*build.dd_names, *scenario.inputs]):
            env[f"DD_{dd}"] = str(rundir / dd)
        modules = build.library_dir is not None and (copy / "lib").is_dir()
        library_path = [MODULES_MOUNT] if modules else []
        if build.services_dir is not None:  # after the build's modules: the estate's win
            library_path.append(SERVICES_MOUNT)
            sandbox.copy_tree([(p, p.name) for p in
                               sorted(build.services_dir.glob(f"*{MODULE_SUFFIX}"))],
                              base / "services")
        if library_path:
            env["COB_LIBRARY_PATH"] = ":".join(map(str, library_path))
        trace_file = scratch / "trace.txt"
        if build.traced:
            env.update(COB_SET_TRACE="Y", COB_TRACE_FILE=str(trace_file))
        env.update(scenario.env)
        binds = [sandbox.Bind(copy, folder), sandbox.Bind(rundir, writable=True),
                 sandbox.Bind(scratch, writable=True)]
        if modules:
            binds.append(sandbox.Bind(copy / "lib", MODULES_MOUNT))
        if build.services_dir is not None:
            binds.append(sandbox.Bind(base / "services", SERVICES_MOUNT))
        cobc = shutil.which("cobc")
        binds += sandbox.prefix_binds(*([cobc] if cobc else []))
        config = os.environ.get("COB_CONFIG_DIR")
        if config and Path(config).is_dir() and not sandbox.under(Path(config).resolve(),
                                                                  Path("/usr")):
            binds.append(sandbox.Bind(Path(config).resolve(), Path(config)))
        box = sandbox.prepare(base, [str(build.executable),
                                     *([scenario.parm] if scenario.parm else [])],
                              chdir=rundir, env=env, binds=binds, limits=sandbox.Limits(
                                  cpu_s=int(timeout_s) + 5, memory_mb=memory_mb,
                                  file_mb=file_mb, processes=processes))
        log.info("running %s on scenario %s", build.program, scenario.name)
        done = execute(box, rundir, scenario, build.program, timeout_s)
        trace: dict[str, dict[str, int]] = {}
        if build.traced and trace_file.exists() and stat.S_ISREG(trace_file.lstat().st_mode):
            fd = os.open(trace_file, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            with open(fd, encoding="latin-1") as handle:
                trace = parse_trace(handle, build.programs)
    return RunResult(program=build.program, scenario=scenario.name,
                     returncode=done.returncode, stdout=done.stdout, stderr=done.stderr,
                     files=done.files, outputs=done.outputs, trace=trace,
                     duration_s=done.duration_s)
