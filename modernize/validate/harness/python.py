"""The Python runner: run a translated program on a scenario inside the sandbox.

``run_python`` prepares the run exactly like the legacy runner (a fresh temporary folder with
the scenario's input files, ``DD_<name>`` for every declared file, standard input, PARM as
``argv[1]``, the scenario's environment applied last) and returns the same ``RunResult``, so
``compare`` judges both runs alike. The module runs as ``__main__`` under the project's
interpreter (its real executable, ``-I -S -B``).

**The boundary is bubblewrap** (``sandbox``, shared with the legacy runner): new user, PID,
mount, network, IPC and UTS namespaces; an empty read-only root with only ``/usr`` (and the
``/lib*`` links, ``ld.so.cache``), the interpreter's install prefix (its ``site-packages``
hidden), a minimal copy of the package (``runtime/`` and what it imports of the package,
found by following its imports: ``__init__.py``, ``errors.py``, ``cobol/pic.py`` ...) at
``/opt/modernize`` and a copy of the module's folder
(its ``.py`` files, at the folder's own path), all read-only; the run folder is the only
writable place; a fresh ``/proc``; an environment built from scratch; no network; and kernel
limits that hold for root (see ``sandbox``): ``RLIMIT_CPU`` (SIGXCPU, then SIGKILL),
``RLIMIT_AS`` (``MemoryError``), ``RLIMIT_FSIZE`` (``EFBIG``), ``RLIMIT_NOFILE``,
``RLIMIT_CORE`` 0 and no child process or thread at all (``RLIMIT_NPROC``, as uid ``nobody``
when the caller is root). The whole tree is killed at the deadline (``RunTimeoutError``) and
when the program ends; standard output and error are read up to 16 MiB each. When the sandbox
cannot start, ``run_python`` raises ``SandboxUnavailableError`` and runs nothing.

Inside the boundary, two layers of hygiene stay, set by the bootstrap (trusted code that runs
before the module; it imports ``modernize.runtime`` first):

- **Landlock** (Linux 5.13+): no file may be created, written or removed outside the run
  folder, no program executed, and (ABI 4+) no TCP bind or connect. Skipped, and reported on
  stderr, on kernels without it.
- **An audit hook** (``sys.addaudithook``): importing ``socket``, ``subprocess``, ``ctypes``
  and the like, any ``socket.*`` event, ``subprocess.Popen``, ``os.system``/``exec*``/
  ``fork``/``spawn*``/``kill``, any ``ctypes`` use, and opening for writing (or renaming,
  removing ...) a path outside the run folder end the process at once with exit code
  ``VIOLATION_EXIT`` and ``sandbox: refused ...`` on stderr. It turns a violation into a clear
  report; it is not a boundary (a module can defeat it through interpreter internals, and the
  static checks of ``modernize.translate.codecheck`` are hygiene too): bwrap is.
"""

from __future__ import annotations

import ast
import atexit
import compileall
import functools
import logging
import os
import py_compile
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import modernize

from ...core.names import safe_stem
from . import sandbox
from .legacy import FIXED_CLOCK, OUTPUT_CAP, RunResult, Scenario, execute, write_inputs
from .sandbox import SandboxUnavailableError

__all__ = ["VIOLATION_EXIT", "SandboxUnavailableError", "run_python"]

log = logging.getLogger(__name__)

VIOLATION_EXIT = 97
"""Exit code of a run the audit hook ended."""
PACKAGE_ROOT = Path(modernize.__file__).resolve().parent.parent
RUNTIME_ROOT = Path("/opt/modernize")
"""Where the sandbox sees the minimal package tree (``RUNTIME_ROOT/modernize``)."""

_BOOTSTRAP = r'''
import os, sys
rundir, root, module, landlock, audit = sys.argv[1:6]
rundir = os.path.realpath(rundir)
sys.argv = [module, *sys.argv[6:]]
sys.dont_write_bytecode = True
sys.path[:0] = [os.path.dirname(os.path.abspath(module)), root]
import runpy
import modernize.runtime  # trusted: loaded (with what it imports) before the hook is set

def _landlock():
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    L = ctypes.c_long
    abi = libc.syscall(L(444), None, L(0), L(1))
    if abi < 1:
        return "landlock: not available on this kernel"
    fs = (1 << 13) - 1 | (1 << 13 if abi >= 2 else 0) | (1 << 14 if abi >= 3 else 0)
    fs |= 1 << 15 if abi >= 5 else 0
    handled = fs & ~(1 << 2 | 1 << 3)
    allowed = handled & ~(1 << 0 | 1 << 6 | 1 << 9 | 1 << 10 | 1 << 11 | 1 << 12 | 1 << 15)
    attr = (ctypes.c_uint64 * 3)(handled, 3 if abi >= 4 else 0, 3 if abi >= 6 else 0)
    size = 24 if abi >= 6 else 16 if abi >= 4 else 8
    ruleset = libc.syscall(L(444), ctypes.byref(attr), L(size), L(0))
    if ruleset < 0:
        return "landlock: create_ruleset failed: " + os.strerror(ctypes.get_errno())
    class Beneath(ctypes.Structure):
        _pack_ = 1
        _fields_ = [("allowed", ctypes.c_uint64), ("fd", ctypes.c_int32)]
    fd = os.open(rundir, os.O_PATH | os.O_CLOEXEC)
    rule = Beneath(allowed, fd)
    if libc.syscall(L(445), L(ruleset), L(1), ctypes.byref(rule), L(0)) < 0:
        return "landlock: add_rule failed: " + os.strerror(ctypes.get_errno())
    os.close(fd)
    if libc.prctl(L(38), L(1), L(0), L(0), L(0)) < 0 or libc.syscall(L(446), L(ruleset), L(0)) < 0:
        return "landlock: restrict_self failed: " + os.strerror(ctypes.get_errno())
    os.close(ruleset)
    return None

if landlock == "1":
    note = _landlock()
    if note:
        os.write(2, ("sandbox: " + note + "\n").encode())
    for name in [m for m in sys.modules if m == "ctypes" or m.startswith(("ctypes.", "_ctypes"))]:
        del sys.modules[name]

BLOCKED_IMPORTS = {"socket", "_socket", "ssl", "_ssl", "subprocess", "_posixsubprocess",
                   "ctypes", "_ctypes", "multiprocessing", "_multiprocessing", "pty", "mmap",
                   "_posixshmem", "select", "selectors", "asyncio", "signal", "resource"}
BLOCKED = ("subprocess.", "os.system", "os.exec", "os.fork", "os.forkpty", "os.posix_spawn",
           "os.spawn", "os.kill", "os.killpg", "os.startfile", "pty.", "ctypes.", "socket.",
           "sys.remote_exec", "_posixsubprocess.")
PATH_EVENTS = {"os.rename", "os.remove", "os.rmdir", "os.mkdir", "os.symlink", "os.link",
               "os.truncate", "os.chmod", "os.chown", "os.utime", "os.chflags", "os.lchflags",
               "os.setxattr", "os.removexattr", "os.mkfifo", "os.mknod", "shutil.rmtree",
               "shutil.copyfile", "shutil.copytree", "shutil.move", "shutil.chown"}
WRITE = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
_write, _exit, _sep = os.write, os._exit, os.sep
_realpath, _fsdecode = os.path.realpath, os.fsdecode

def _refuse(event, detail):
    try:
        sys.stdout.flush()
    except BaseException:
        pass
    _write(2, ("\nsandbox: refused " + event + " " + detail + "\n").encode(errors="replace"))
    _exit(@EXIT@)

def _inside(path):
    if isinstance(path, int):
        return True
    if not isinstance(path, (str, bytes, os.PathLike)):
        return False
    real = _realpath(_fsdecode(path))
    return real == rundir or real.startswith(rundir + _sep)

def _hook(event, args):
    if event == "import":
        if args[0] in BLOCKED_IMPORTS:
            _refuse(event, repr(args[0]))
    elif event.startswith(BLOCKED):
        _refuse(event, repr(args)[:200])
    elif event == "open":
        path, mode, flags = args
        writing = (isinstance(flags, int) and flags & WRITE) or (
            isinstance(mode, str) and any(c in mode for c in "wax+"))
        if writing and not _inside(path):
            _refuse(event, "for writing: " + repr(path))
    elif event in PATH_EVENTS:
        for arg in args:
            if isinstance(arg, (str, bytes, os.PathLike)) and not _inside(arg):
                _refuse(event, repr(arg))

if audit == "1":
    sys.addaudithook(_hook)
del _landlock
runpy.run_path(module, run_name="__main__")
'''.replace("@EXIT@", str(VIOLATION_EXIT))


def runtime_files() -> list[Path]:
    """The package's files ``modernize.runtime`` needs: the runtime and, following its imports
    (absolute and relative) within the package, what it imports, with each package's
    ``__init__.py``; nothing else of the project."""
    package = PACKAGE_ROOT / "modernize"

    def source(name: str) -> Path | None:
        parts = name.split(".")
        if parts[0] != "modernize":
            return None
        base = PACKAGE_ROOT.joinpath(*parts)
        for candidate in (base / "__init__.py", base.with_suffix(".py")):
            if candidate.is_file():
                return candidate
        return None

    found: list[Path] = []
    todo = sorted((package / "runtime").rglob("*.py"))
    while todo:
        path = todo.pop()
        if path in found:
            continue
        found.append(path)
        parts = path.relative_to(PACKAGE_ROOT).with_suffix("").parts
        here = parts[:-1]  # the package a relative import starts from
        names = [".".join(parts[:i]) for i in range(1, len(parts))]  # the enclosing packages
        tree = ast.parse(path.read_bytes())
        # all of the runtime's imports; elsewhere those made on import (not inside a function)
        nodes = ast.walk(tree) if path.is_relative_to(package / "runtime") else _on_import(tree)
        for node in nodes:
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                origin = ".".join(here[:len(here) - node.level + 1]) if node.level else ""
                module = ".".join(p for p in (origin, node.module or "") if p)
                names += [module, *(f"{module}.{alias.name}" for alias in node.names)]
        for name in names:
            for prefix in range(1, name.count(".") + 2):
                file = source(".".join(name.split(".")[:prefix]))
                if file is not None and file not in found:
                    todo.append(file)
    return sorted(found)


def _on_import(tree: ast.AST) -> Iterator[ast.AST]:
    """The nodes of ``tree`` that run when the module is imported (not function bodies)."""
    for child in ast.iter_child_nodes(tree):
        if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            yield child
            yield from _on_import(child)


@functools.cache
def _package_tree() -> Path:
    """A minimal copy of the package, just what ``modernize.runtime`` imports, readable by the
    sandbox's uid; made once per process and removed at exit."""
    root = Path(tempfile.mkdtemp(prefix="modernize-runtime-"))
    atexit.register(shutil.rmtree, root, True)
    sandbox.copy_tree([(f, f.relative_to(PACKAGE_ROOT).as_posix()) for f in runtime_files()],
                      root)
    # compiled here, once: the sandbox may not write bytecode (-B), so without these every
    # run compiled the whole runtime again (150 ms of each run's 250). Checked by nothing but
    # their own source (this copy's, compiled now), so a staged mount's times do not matter.
    compileall.compile_dir(root, quiet=1, workers=1,
                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    for folder, dirs, files in os.walk(root):  # readable by the sandbox's uid
        for name in dirs:
            os.chmod(os.path.join(folder, name), 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)
    return root


def _code_folder(module: Path, base: Path, others: Sequence[Path]) -> tuple[Path, Path]:
    """A copy of the module's folder (its ``.py`` files: the called subprograms are loaded from
    there) and where the sandbox sees it: at the folder's own path, unless that path holds or
    lies in another bind (``others``, the run folder, a system folder); then at the copy's."""
    copy = base / "code"
    files = dict.fromkeys([module, *sorted(module.parent.glob("*.py"))])
    sandbox.copy_tree([(p, p.name) for p in files], copy)
    folder = module.parent
    system = [Path("/") / name for name in ("usr", "proc", "dev", "etc", *sandbox.SYSTEM_LINKS)]
    if len(folder.parts) < 2 or any(sandbox.under(o, folder) or sandbox.under(folder, o)
                                    for o in [base, *others, *system]):
        return copy, copy
    return copy, folder


def _environment(rundir: Path, scenario: Scenario, dd_names: Sequence[str]) -> dict[str, str]:
    env = {"PATH": os.defpath, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "HOME": str(rundir),
           "TMPDIR": str(rundir), "COB_CURRENT_DATE": FIXED_CLOCK}
    if "TZ" in os.environ:  # as the legacy run has it
        env["TZ"] = os.environ["TZ"]
    for dd in dict.fromkeys([*dd_names, *scenario.inputs]):
        env[f"DD_{dd}"] = str(rundir / dd)
    env.update(scenario.env)
    return env


def _limit_note(returncode: int, cpu_s: int) -> bytes:
    if returncode == -signal.SIGXCPU or returncode == -signal.SIGKILL:
        return f"\nsandbox: CPU time limit of {cpu_s} s exceeded\n".encode()
    if returncode == VIOLATION_EXIT:
        return b"\nsandbox: the run was stopped for a sandbox violation (see above)\n"
    return b""


def run_python(module: Path, scenario: Scenario, dd_names: Sequence[str], program: str, *,
               timeout_s: float = 30, cpu_s: int = 20, memory_mb: int = 512,
               file_mb: int = 64, landlock: bool = True, audit: bool = True,
               processes: int = 0, output_cap: int = OUTPUT_CAP) -> RunResult:
    """Run ``python module`` on ``scenario`` in a fresh sandboxed folder; see the module doc.

    ``landlock`` and ``audit`` switch the hygiene layers inside the sandbox off, for tests that
    show what bwrap stops on its own; production runs keep both. ``processes`` is how many
    processes the module may start (none in production). Raises
    ``SandboxUnavailableError`` when the sandbox cannot start here, ``RunTimeoutError`` past
    ``timeout_s``.
    """
    sandbox.require()
    module = Path(module).resolve()
    interpreter = os.path.realpath(sys.executable)
    with tempfile.TemporaryDirectory(prefix=f"pyrun-{safe_stem(program)}-") as tmp:
        base = Path(tmp)
        rundir = base / "run"
        rundir.mkdir()
        write_inputs(rundir, scenario.inputs)
        sandbox.hand_over(rundir)
        prefixes = sandbox.prefix_binds(interpreter)
        binds = [*prefixes, sandbox.Bind(_package_tree(), RUNTIME_ROOT),
                 sandbox.Bind(rundir, writable=True)]
        code, folder = _code_folder(module, base, [b.target for b in binds])
        binds.append(sandbox.Bind(code, folder))
        env = _environment(rundir, scenario, dd_names)
        box = sandbox.prepare(
            base, [interpreter, "-I", "-S", "-B", "-c", _BOOTSTRAP, str(rundir),
                   str(RUNTIME_ROOT), str(folder / module.name), "1" if landlock else "0",
                   "1" if audit else "0", *([scenario.parm] if scenario.parm else [])],
            chdir=rundir, env=env, binds=binds, hide=[
                p for b in prefixes for p in sorted(b.source.glob("lib/python3*/site-packages"))],
            limits=sandbox.Limits(cpu_s=cpu_s, memory_mb=memory_mb, file_mb=file_mb,
                                  processes=processes))
        log.info("running %s (python) on scenario %s", program, scenario.name)
        done = execute(box, rundir, scenario, program, timeout_s, output_cap=output_cap)
    return RunResult(program=program, scenario=scenario.name, returncode=done.returncode,
                     stdout=done.stdout,
                     stderr=done.stderr + (b"" if done.truncated else
                                           _limit_note(done.returncode, cpu_s)),
                     files=done.files, outputs=done.outputs, duration_s=done.duration_s)
