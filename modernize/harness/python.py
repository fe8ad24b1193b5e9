"""The Python runner: run a translated program on a scenario inside a sandbox.

``run_python`` prepares the run exactly like the legacy runner (a fresh temporary folder with
the scenario's input files, ``DD_<name>`` for every declared file, standard input, PARM as
``argv[1]``, the scenario's environment applied last) and returns the same ``RunResult``, so
``compare`` judges both runs alike. The module runs as ``__main__`` under the project's
interpreter (``sys.executable``) with these layers, outermost first:

1. **Process limits** (``preexec_fn``, kernel-enforced, always): ``RLIMIT_CPU`` (SIGXCPU, then
   SIGKILL), ``RLIMIT_AS`` (``MemoryError``), ``RLIMIT_FSIZE`` (writes past it fail with
   ``EFBIG``), ``RLIMIT_NOFILE``, ``RLIMIT_CORE`` 0 and ``RLIMIT_NPROC`` 0 (no new processes or
   threads; the kernel does not apply this one to root). Its own session, and a wall-clock
   timeout that kills the whole process group and raises ``RunTimeoutError``.
2. **A minimal environment**: nothing inherited but ``PATH`` and a UTF-8 locale; ``HOME`` and
   ``TMPDIR`` are the run folder; ``python -I -B`` ignores ``PYTHON*`` variables and the user
   site and writes no bytecode. The bootstrap puts the module's folder and the package root on
   ``sys.path`` (no ``PYTHONPATH`` needed) and imports ``modernize.runtime`` (trusted, with
   its dependencies) before layer 5 is set.
3. **A network namespace** (``unshare --net``, with ``--user --map-root-user`` when that is
   what works), when ``unshare`` can create one here: the child sees a loopback interface that
   is down and no other, so no connection of any kind leaves it. Probed once per process; where
   namespaces are not permitted (a container without ``CAP_SYS_ADMIN``) the layer is skipped
   and logged.
4. **Landlock** (Linux 5.13+, unprivileged, also restricts root), set by the bootstrap before
   the module runs: no file or folder may be created, written, truncated, renamed or removed
   outside the run folder, no program may be executed, and with ABI 4+ no TCP bind or
   connect, with ABI 6+ no signals or abstract UNIX sockets outside the sandbox. Skipped (and
   reported on stderr) on kernels without it.
5. **An audit hook** (``sys.addaudithook``, installed by the bootstrap before the module is
   imported; it cannot be removed): importing ``socket``, ``subprocess``, ``ctypes`` and the
   like, any ``socket.*`` event, ``subprocess.Popen``, ``os.system``/``exec*``/``fork``/
   ``posix_spawn``/``spawn*``/``kill``, any ``ctypes`` use, and opening for writing (or
   renaming, removing, creating, chmod-ing ...) a path outside the run folder. A refused
   event writes ``sandbox: refused ...`` to stderr and ends the process at once with exit code
   ``VIOLATION_EXIT``; the module cannot catch it.

Not guaranteed: reading files outside the run folder (the interpreter needs its library; reads
are limited only by file permissions), secrecy of what the process can read, protection
against a module that defeats the audit hook through interpreter internals where layers 3-4
are unavailable (the static checks in ``modernize.codecheck`` are the first line against that),
and the path checks of layer 5 race with concurrent renames (layer 4 does not).
"""

from __future__ import annotations

import functools
import logging
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import modernize

from .legacy import RunResult, Scenario, execute

log = logging.getLogger(__name__)

VIOLATION_EXIT = 97
"""Exit code of a run the audit hook ended."""
MAX_OPEN_FILES = 64
PACKAGE_ROOT = Path(modernize.__file__).resolve().parent.parent

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


def _no_new_processes() -> None:
    resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))


@functools.cache
def network_namespace_prefix() -> tuple[str, ...] | None:
    """The ``unshare`` command line that gives a child an empty network namespace here."""
    unshare = shutil.which("unshare")
    if unshare is None:
        log.warning("sandbox: unshare not found; running without a network namespace")
        return None
    candidates = [(unshare, "--net"), (unshare, "--user", "--map-root-user", "--net")]
    if os.geteuid() != 0:
        candidates.reverse()
    for prefix in candidates:
        try:
            probe = subprocess.run([*prefix, "true"], capture_output=True, timeout=10,
                                   preexec_fn=_no_new_processes)
        except (OSError, subprocess.SubprocessError):
            continue
        if probe.returncode == 0:
            log.debug("sandbox: network namespace through %s", " ".join(prefix))
            return prefix
    log.warning("sandbox: cannot create a network namespace here; relying on the other layers")
    return None


def _limits(cpu_s: int, memory_mb: int, file_mb: int) -> Callable[[], None]:
    """The ``preexec_fn`` that sets the child's resource limits."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_mb << 20, file_mb << 20))
        resource.setrlimit(resource.RLIMIT_NOFILE, (MAX_OPEN_FILES, MAX_OPEN_FILES))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        _no_new_processes()

    return apply


def _environment(rundir: Path, scenario: Scenario, dd_names: Sequence[str]) -> dict[str, str]:
    env = {"PATH": os.defpath, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "HOME": str(rundir),
           "TMPDIR": str(rundir)}
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
               file_mb: int = 64, network_namespace: bool = True, landlock: bool = True,
               audit: bool = True) -> RunResult:
    """Run ``python module`` on ``scenario`` in a fresh sandboxed folder; see the module doc.

    ``network_namespace``, ``landlock`` and ``audit`` switch single layers off, for tests
    that show what each layer stops on its own; production runs keep all of them.
    """
    module = Path(module).resolve()
    with tempfile.TemporaryDirectory(prefix=f"pyrun-{program}-") as tmp:
        rundir = Path(tmp) / "run"
        rundir.mkdir()
        for dd, data in scenario.inputs.items():
            (rundir / dd).write_bytes(data)
        env = _environment(rundir, scenario, dd_names)
        prefix = network_namespace_prefix() if network_namespace else None
        command = [*(prefix or ()), sys.executable, "-I", "-B", "-c", _BOOTSTRAP,
                   str(rundir), str(PACKAGE_ROOT), str(module), "1" if landlock else "0",
                   "1" if audit else "0",
                   *([scenario.parm] if scenario.parm else [])]
        log.info("running %s (python) on scenario %s", program, scenario.name)
        done = execute(command, rundir, env, scenario, program, timeout_s,
                       preexec_fn=_limits(cpu_s, memory_mb, file_mb))
    return RunResult(program=program, scenario=scenario.name, returncode=done.returncode,
                     stdout=done.stdout, stderr=done.stderr + _limit_note(done.returncode, cpu_s),
                     files=done.files, outputs=done.outputs, duration_s=done.duration_s)
