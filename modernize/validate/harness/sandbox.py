"""The sandbox both runners use: bubblewrap (``bwrap``) around every run of untrusted code.

A translated or model-written Python module and a COBOL program built from an estate are both
untrusted. ``prepare`` turns a command into a ``Sandbox``: a ``bwrap`` command line and the
``preexec_fn`` that starts it. That is the security boundary:

- **Namespaces**: new user, PID, mount, network, IPC, UTS and cgroup namespaces
  (``--disable-userns``: no nested ones), ``--new-session`` (no terminal injection),
  ``--die-with-parent``. The network namespace has only a loopback of its own, so no TCP, UDP
  or abstract Unix socket reaches the host; ``/proc`` is a fresh one of the new PID namespace,
  so no process of the host (the caller's ``/proc/<pid>/environ``) is visible.
- **Files**: the root is an empty tmpfs, remounted read-only. Read-only binds of ``/usr`` (and
  the ``/lib*``, ``/bin`` links), ``/etc/ld.so.cache`` and ``/etc/localtime``, the tool's install
  prefix (the interpreter's, GnuCOBOL's when it is not under ``/usr``) and what the caller names;
  the run folder (and the caller's scratch folder) are the only writable places. No host
  ``/tmp``, ``/run``, ``/var`` or home: no host Unix socket is reachable.
- **Environment**: ``--clearenv``, then only the variables the caller passes (never the
  caller's own environment, so no API key).
- **Limits that hold for root**: ``RLIMIT_NPROC`` does not apply to kernel uid 0, even inside a
  user namespace mapped to it (measured here: a fork loop as root got 32,000 processes). So when
  the caller is root, the ``preexec_fn`` switches to ``SANDBOX_UID`` (``nobody``) before it
  starts ``bwrap``: every process of the sandbox then counts against ``RLIMIT_NPROC``, which
  ``prlimit`` sets inside the sandbox (where it counts only the sandbox's processes) to the
  program plus ``Limits.processes``. The run folder is handed to that uid, and what root alone
  can reach (the interpreter under ``/root``, say) is bind-mounted first, in a mount namespace
  of the ``preexec_fn`` only, under the run's own folder. ``RLIMIT_CPU``, ``RLIMIT_AS``,
  ``RLIMIT_FSIZE``, ``RLIMIT_NOFILE`` and ``RLIMIT_CORE`` are set in the ``preexec_fn`` and
  hold for root too.
- **Ending**: when the program ends, bwrap's init (PID 1 of the namespace) ends and the kernel
  kills whatever is left (a ``setsid`` child included); killing the outer ``bwrap`` (what
  ``legacy.execute`` does at the deadline, or on an output flood) kills the init through
  ``--die-with-parent``, and so the whole tree.

``bwrap`` reports a program killed by signal N as exit status 128 + N; ``returncode`` maps
that back to -N (so a program that itself exits with 129-159 reads as killed by a signal, on
both sides of a comparison alike). Not bounded: the number of files a run creates in its
folder (each is bounded by ``RLIMIT_FSIZE``).

``available`` probes once per process whether the sandbox starts here; ``require`` raises
``SandboxUnavailableError`` when it does not (install bubblewrap: ``scripts/setup``).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import logging
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ...core.errors import ModernizeError

log = logging.getLogger(__name__)

SANDBOX_UID = 65534
"""The uid (and gid) a root caller's sandbox runs as: ``nobody``, so the process limit holds."""
MAX_OPEN_FILES = 64
BASELINE_PROCESSES = 2
"""Processes of the sandbox's user namespace before the program forks: bwrap's init and the
program itself."""
SYSTEM_LINKS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")
SYSTEM_FILES = ("/etc/ld.so.cache", "/etc/localtime")
STAGE = ".stage"

_CLONE_NEWNS = 0x00020000
_MS_BIND = 4096
_MS_REC = 16384
_MS_PRIVATE = 1 << 18


class SandboxUnavailableError(ModernizeError):
    """The sandbox (bubblewrap) cannot start here, so no untrusted code may run."""


@dataclass(frozen=True)
class Limits:
    """Kernel limits of one run. ``processes`` counts the processes (and threads) the program
    may start besides itself."""

    cpu_s: int
    memory_mb: int
    file_mb: int
    processes: int = 0
    open_files: int = MAX_OPEN_FILES


@dataclass(frozen=True)
class Bind:
    """A host folder (or file) seen at ``dest`` inside the sandbox (``source`` by default)."""

    source: Path
    dest: Path | None = None
    writable: bool = False

    @property
    def target(self) -> Path:
        return self.dest or self.source


@dataclass(frozen=True)
class Sandbox:
    """How to start one sandboxed run: the ``bwrap`` command line and its ``preexec_fn``."""

    argv: list[str]
    preexec_fn: Callable[[], None]


def _as_root() -> bool:
    return os.geteuid() == 0


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"sandbox: {what}: {os.strerror(errno)}")


def tool(name: str) -> str | None:
    """``name`` on ``PATH`` or in ``/usr/bin``."""
    return shutil.which(name) or shutil.which(name, path="/usr/bin:/bin")


def under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def prefix_binds(*executables: str | Path) -> list[Bind]:
    """Read-only binds of the install prefixes of ``executables`` that are not under ``/usr``
    (a pyenv or conda interpreter, a conda GnuCOBOL)."""
    binds: list[Bind] = []
    for exe in executables:
        real = Path(os.path.realpath(exe))
        prefix = real.parent.parent if real.parent.name == "bin" else real.parent
        if under(prefix, Path("/usr")) or any(under(prefix, b.source) for b in binds):
            continue
        binds.append(Bind(prefix))
    return binds


@functools.cache
def _disable_userns(bwrap: str) -> tuple[str, ...]:
    """``--disable-userns`` where this bwrap has it (0.8+): no user namespace inside."""
    try:
        usage = subprocess.run([bwrap, "--help"], capture_output=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    return ("--disable-userns",) if b"--disable-userns" in usage else ()


def _system_args() -> list[str]:
    args = ["--ro-bind", "/usr", "/usr"]
    for name in SYSTEM_LINKS:
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    for name in SYSTEM_FILES:
        if os.path.exists(name):
            args += ["--ro-bind", name, name]
    return args


def hand_over(*paths: Path) -> None:
    """Give ``paths`` (and what is in them) to the sandbox's uid, when the caller is root."""
    if not _as_root():
        return
    for path in paths:
        os.chown(path, SANDBOX_UID, SANDBOX_UID, follow_symlinks=False)
        if path.is_dir() and not path.is_symlink():
            for folder, dirs, files in os.walk(path):
                for name in [*dirs, *files]:
                    os.chown(os.path.join(folder, name), SANDBOX_UID, SANDBOX_UID,
                             follow_symlinks=False)


def copy_tree(files: Iterable[tuple[Path, str]], target: Path) -> None:
    """Copy regular ``files`` (source, relative name) into ``target`` readable by everyone
    (executables stay executable), so the sandbox's uid can read them."""
    target.mkdir(mode=0o755, exist_ok=True)
    os.chmod(target, 0o755)
    for source, name in files:
        if not source.is_file() or source.is_symlink():
            continue
        dest = target / name
        for parent in reversed(dest.relative_to(target).parents[:-1]):
            (target / parent).mkdir(mode=0o755, exist_ok=True)
        shutil.copyfile(source, dest)
        executable = source.stat().st_mode & stat.S_IXUSR
        os.chmod(dest, 0o755 if executable else 0o644)


def prepare(base: Path, argv: Sequence[str], *, chdir: Path, env: Mapping[str, str],
            binds: Sequence[Bind], limits: Limits, hide: Sequence[Path] = ()) -> Sandbox:
    """The sandbox running ``argv`` with ``binds`` (besides the system ones), ``env`` only,
    in ``chdir``, under ``limits``; an empty read-only folder covers each of ``hide``.
    ``base`` is the run's own temporary folder (it holds the writable binds): when the caller
    is root it is opened to the sandbox's uid (``0o711``) and holds the staging mounts."""
    bwrap = tool("bwrap")
    prlimit = tool("prlimit")
    if bwrap is None or prlimit is None:
        raise SandboxUnavailableError(_missing(bwrap, prlimit))
    root = _as_root()
    stage = base / STAGE
    mounts: list[tuple[bytes, bytes]] = []
    args = [bwrap, "--unshare-user", "--unshare-pid", "--unshare-net", "--unshare-ipc",
            "--unshare-uts", "--unshare-cgroup-try", *_disable_userns(bwrap),
            "--die-with-parent", "--new-session", "--hostname", "sandbox", *_system_args()]
    if root:
        os.chmod(base, 0o711)
        stage.mkdir(mode=0o755, exist_ok=True)
    for index, bind in enumerate(sorted(binds, key=lambda b: len(b.target.parts))):
        source = bind.source
        if root:  # reachable by the sandbox's uid through a mount of the preexec_fn
            point = stage / str(index)
            if source.is_dir():
                point.mkdir(mode=0o755)
            else:
                point.touch(mode=0o644)
            mounts.append((os.fsencode(source), os.fsencode(point)))
            source = point
        args += ["--bind" if bind.writable else "--ro-bind", str(source), str(bind.target)]
    for path in hide:
        args += ["--tmpfs", str(path), "--remount-ro", str(path)]
    args += ["--proc", "/proc", "--dev", "/dev", "--remount-ro", "/dev", "--remount-ro", "/",
             "--chdir", str(chdir), "--clearenv"]
    for name, value in env.items():
        args += ["--setenv", name, value]
    args += ["--", prlimit, f"--nproc={BASELINE_PROCESSES + limits.processes}", "--", *argv]
    return Sandbox(args, _preexec(mounts, limits) if root else _limits(limits))


def _limits(limits: Limits) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s + 1))
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_mb << 20,) * 2)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_mb << 20,) * 2)
        resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files,) * 2)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def _preexec(mounts: list[tuple[bytes, bytes]], limits: Limits) -> Callable[[], None]:
    """As root: stage ``mounts`` in a mount namespace of this process only, become
    ``SANDBOX_UID``, then set the limits."""
    libc = _libc()
    apply_limits = _limits(limits)

    def apply() -> None:
        _check(libc.unshare(_CLONE_NEWNS), "unshare the mount namespace")
        _check(libc.mount(None, b"/", None, _MS_REC | _MS_PRIVATE, None), "make / private")
        for source, point in mounts:
            _check(libc.mount(source, point, None, _MS_BIND | _MS_REC, None),
                   f"bind {os.fsdecode(source)}")
        os.setgroups([])
        os.setgid(SANDBOX_UID)
        os.setuid(SANDBOX_UID)
        apply_limits()

    return apply


def returncode(code: int) -> int:
    """The program's return code from bwrap's exit status (128 + N for a signal N)."""
    return -(code - 128) if 128 < code < 128 + 32 else code


def _missing(bwrap: str | None, prlimit: str | None) -> str:
    if bwrap is None:
        return ("the sandbox cannot start: bubblewrap (bwrap) is not installed; install it "
                "(apt-get install bubblewrap, conda install -c conda-forge bubblewrap, or "
                "./scripts/setup): no untrusted program runs without it")
    return f"the sandbox cannot start: prlimit (util-linux) is not installed ({prlimit})"


@functools.cache
def _probe() -> str | None:
    """Why the sandbox cannot start here (None when it can), logged once per process."""
    problem = _try()
    if problem is None:
        log.info("sandbox: bubblewrap works here (running %s)", f"as uid {SANDBOX_UID}"
                 if _as_root() else "as the caller")
    else:
        log.error("%s", problem)
    return problem


def _try() -> str | None:
    """Why the sandbox cannot start here: runs the interpreter in it."""
    bwrap, prlimit = tool("bwrap"), tool("prlimit")
    if bwrap is None or prlimit is None:
        return _missing(bwrap, prlimit)
    with tempfile.TemporaryDirectory(prefix="sandbox-probe-") as tmp:
        base = Path(tmp)
        run = base / "run"
        run.mkdir()
        hand_over(run)
        sandbox = prepare(base, [os.path.realpath(sys.executable), "-I", "-S", "-c", "pass"],
                          chdir=run, env={"PATH": os.defpath}, binds=[
                              *prefix_binds(sys.executable), Bind(run, writable=True)],
                          limits=Limits(cpu_s=10, memory_mb=512, file_mb=1))
        try:
            done = subprocess.run(sandbox.argv, preexec_fn=sandbox.preexec_fn, env={},
                                  stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
        except (OSError, subprocess.SubprocessError) as exc:
            return f"the sandbox cannot start: {exc}; check bubblewrap (./scripts/setup)"
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip()[-500:]
        return (f"the sandbox cannot start: bwrap failed its probe (exit {done.returncode}: "
                f"{said}); user namespaces may be disabled here: check bubblewrap "
                "(./scripts/setup)")
    return None


def available() -> bool:
    """Whether the sandbox starts here (probed once per process, and logged)."""
    return _probe() is None


def require() -> None:
    """Raise ``SandboxUnavailableError`` when the sandbox cannot start here."""
    problem = _probe()
    if problem is not None:
        raise SandboxUnavailableError(problem)


def kill(pid: int) -> None:
    """Kill the process group of ``pid`` (the outer bwrap): the sandbox's init dies with it,
    and the kernel kills the rest of the namespace."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
