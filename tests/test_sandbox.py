"""The sandboxed Python runner: the static checks and the audit hook (hygiene), and the
bubblewrap boundary, attacked as a hostile module would (as root, here)."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import textwrap
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from modernize.core.errors import ModernizeError
from modernize.translate.codecheck import check_module
from modernize.validate.harness import legacy, sandbox
from modernize.validate.harness.legacy import OUTPUT_CAP, RunResult, RunTimeoutError, Scenario
from modernize.validate.harness.python import VIOLATION_EXIT, SandboxUnavailableError, run_python

GOOD = '''\
import os, sys
from decimal import Decimal

with open(os.environ["DD_INFILE"], "rb") as source:
    records = source.read().splitlines()
with open(os.environ["DD_OUTFILE"], "wb") as target:
    for record in records:
        target.write(record.upper() + b"\\n")
print("PARM", sys.argv[1:], len(records), Decimal("0.10") * 3, os.environ.get("SECRET_TOKEN"))
sys.stdout.write(sys.stdin.read())
sys.exit(4)
'''

SOCKET = '''\
import socket, sys
connection = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3)
connection.sendall(b"escaped")
print("connected")
'''

SPAWN = '''\
import subprocess, sys
subprocess.run(["/usr/bin/touch", sys.argv[1]])
'''

SYSTEM = '''\
import os, sys
os.system("touch " + sys.argv[1])
'''

ESCAPE = '''\
import sys
with open(sys.argv[1], "w") as handle:
    handle.write("escaped")
'''


def module(tmp_path: Path, source: str, name: str = "prog.py") -> Path:
    path = tmp_path / "out" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(source)
    return path


def marker() -> Path:
    return Path(f"/tmp/escape-{uuid.uuid4().hex}")


def violation(result: RunResult) -> bool:
    return result.returncode == VIOLATION_EXIT and b"sandbox: refused" in result.stderr


@pytest.fixture()
def listener() -> Iterator[socket.socket]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    yield server
    server.close()


def nobody_connected(server: socket.socket) -> bool:
    try:
        server.accept()[0].close()
    except TimeoutError:
        return True
    return False


def test_well_behaved_module_returns_the_legacy_run_result(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           ) -> None:
    monkeypatch.setenv("SECRET_TOKEN", "do-not-leak")
    scenario = Scenario("two records", inputs={"INFILE": b"abc\ndef\n"}, stdin=b"typed\n",
                        parm="RUN1", env={"COB_CURRENT_DATE": "2024/01/02"})
    result = run_python(module(tmp_path, GOOD), scenario, ["INFILE", "OUTFILE"], "UPPER")
    assert isinstance(result, RunResult)
    assert (result.program, result.scenario, result.returncode) == ("UPPER", "two records", 4)
    assert result.stdout == b"PARM ['RUN1'] 2 0.30 None\ntyped\n"
    assert result.stderr == b""
    assert result.files == {"INFILE": b"abc\ndef\n", "OUTFILE": b"ABC\nDEF\n"}
    assert result.outputs == ("OUTFILE",)
    assert result.duration_s > 0


def test_socket_is_flagged_by_the_checks_and_stopped_by_the_sandbox(
        tmp_path: Path, listener: socket.socket) -> None:
    problems = {(p.line, p.code) for p in check_module(SOCKET).problems}
    assert (1, "forbidden-import") in problems and (2, "forbidden-name") in problems
    port = str(listener.getsockname()[1])
    result = run_python(module(tmp_path, SOCKET), Scenario("net", parm=port), [], "NET")
    assert violation(result), result.stderr
    assert b"socket" in result.stderr and b"connected" not in result.stdout
    assert nobody_connected(listener)


def test_network_namespace_alone_stops_a_connection(tmp_path: Path,
                                                    listener: socket.socket) -> None:
    port = str(listener.getsockname()[1])
    result = run_python(module(tmp_path, SOCKET), Scenario("net", parm=port), [], "NET",
                        audit=False, landlock=False)
    assert result.returncode == 1 and b"ConnectionRefusedError" in result.stderr  # its own lo
    assert nobody_connected(listener)


@pytest.mark.parametrize("source", [SPAWN, SYSTEM], ids=["subprocess", "os.system"])
def test_spawning_is_flagged_by_the_checks_and_stopped_by_the_sandbox(tmp_path: Path,
                                                                      source: str) -> None:
    problems = {(p.line, p.code) for p in check_module(source).problems}
    assert (1, "forbidden-import") in problems and (2, "forbidden-name") in problems
    target = marker()
    result = run_python(module(tmp_path, source), Scenario("spawn", parm=str(target)), [],
                        "SPAWN")
    assert violation(result), result.stderr
    assert not target.exists()


def test_writing_outside_is_flagged_by_the_checks_and_stopped_by_the_sandbox(
        tmp_path: Path) -> None:
    assert {(p.line, p.code) for p in check_module(ESCAPE).problems} == {
        (2, "forbidden-builtin")}
    target = marker()
    result = run_python(module(tmp_path, ESCAPE), Scenario("escape", parm=str(target)), [],
                        "ESCAPE")
    assert violation(result) and str(target).encode() in result.stderr
    assert not target.exists()
    sneaky = run_python(module(tmp_path, ESCAPE), Scenario("escape", parm="../../escape.txt"),
                        [], "ESCAPE")
    assert violation(sneaky)


@pytest.mark.parametrize("source", [ESCAPE, SYSTEM], ids=["write", "spawn"])
def test_without_the_audit_hook_writes_and_programs_still_fail(tmp_path: Path,
                                                               source: str) -> None:
    target = marker()
    result = run_python(module(tmp_path, source), Scenario("kernel", parm=str(target)), [],
                        "KERNEL", audit=False)
    assert not target.exists()
    if source is ESCAPE:  # bwrap's read-only root (Landlock would refuse it too)
        assert result.returncode == 1 and b"Read-only file system" in result.stderr


def test_a_loop_that_never_ends_is_killed(tmp_path: Path) -> None:
    path = module(tmp_path, "while True:\n    pass\n")
    with pytest.raises(RunTimeoutError) as raised:
        run_python(path, Scenario("loop"), [], "LOOP", timeout_s=1.5)
    assert raised.value.program == "LOOP" and raised.value.timeout_s == 1.5


def test_cpu_limit_stops_a_busy_module(tmp_path: Path) -> None:
    path = module(tmp_path, "while True:\n    pass\n")
    result = run_python(path, Scenario("cpu"), [], "CPU", cpu_s=1, timeout_s=20)
    assert result.returncode in (-signal.SIGXCPU, -signal.SIGKILL)
    assert b"CPU time limit" in result.stderr


def test_memory_limit_stops_a_greedy_module(tmp_path: Path) -> None:
    path = module(tmp_path, "hoard = bytearray(2 << 30)\nprint('got it')\n")
    result = run_python(path, Scenario("memory"), [], "MEMORY", memory_mb=384)
    assert result.returncode == 1 and b"MemoryError" in result.stderr
    assert b"got it" not in result.stdout


def test_file_size_limit_stops_a_huge_output(tmp_path: Path) -> None:
    source = textwrap.dedent('''\
        import os
        with open(os.environ["DD_OUTFILE"], "wb") as out:
            out.write(b"x" * (3 << 20))
    ''')
    result = run_python(module(tmp_path, source), Scenario("big"), ["OUTFILE"], "BIG",
                        file_mb=1)
    assert result.returncode == 1 and b"File too large" in result.stderr
    assert len(result.files["OUTFILE"]) <= 1 << 20


# --------------------------------------------------------------------------- the bwrap boundary
# Each attack runs with the audit hook and Landlock off (``audit=False, landlock=False``), so
# what stops it is bubblewrap alone, and each test checks that the attack had no effect.

KEY = f"sk-test-{uuid.uuid4().hex}"


@pytest.fixture()
def api_key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    return KEY


def bare(path: Path, scenario: Scenario, program: str = "ATTACK", **options: object,
         ) -> RunResult:
    return run_python(path, scenario, [], program, audit=False, landlock=False,
                      **options)  # type: ignore[arg-type]


def everything(result: RunResult) -> bytes:
    return b"\n".join([result.stdout, result.stderr, *result.files.values()])


READ = '''\
import glob, json, os, sys
seen = {"environ": dict(os.environ)}
with open("/proc/self/environ", "rb") as handle:
    seen["self"] = handle.read().decode(errors="replace")
for path in [*sys.argv[1].split(","), *glob.glob("/proc/[0-9]*/environ")]:
    try:
        with open(path, "rb") as handle:
            seen[path] = handle.read().decode(errors="replace")
    except OSError as exc:
        seen[path] = type(exc).__name__
print(json.dumps(seen))
'''


def test_reads_outside_the_run_folder_and_the_parent_environment_are_out_of_reach(
        tmp_path: Path, api_key: str) -> None:
    secret = f"host-secret-{uuid.uuid4().hex}"
    host_tmp = marker()
    host_tmp.write_text(secret)
    shadow = tmp_path / "shadow"
    shadow.write_text(secret)
    shadow.chmod(0o600)
    project = Path(__file__).resolve().parent.parent / "pyproject.toml"
    targets = [str(host_tmp), str(shadow), str(project), "/etc/shadow", "/root/.bash_history",
               f"/proc/{os.getpid()}/environ", f"/proc/{os.getppid()}/environ"]
    try:
        result = bare(module(tmp_path, READ), Scenario("read", parm=",".join(targets)))
    finally:
        host_tmp.unlink()
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    for target in targets:
        assert seen[target] in ("FileNotFoundError", "PermissionError"), target
    assert api_key.encode() not in everything(result)
    assert secret.encode() not in everything(result)
    assert "OPENAI_API_KEY" not in seen["environ"] and "OPENAI_API_KEY" not in seen["self"]
    assert set(seen["environ"]) <= {"PATH", "LANG", "LC_ALL", "HOME", "TMPDIR", "PWD", "TZ",
                                    "COB_CURRENT_DATE"}  # the fixed clock


WRITE = '''\
import os, sys
for path in sys.argv[1].split(","):
    try:
        with open(path, "w") as handle:
            handle.write("escaped")
        print("wrote", path)
    except OSError as exc:
        print("refused", path, type(exc).__name__)
'''


def test_writes_outside_the_run_folder_change_nothing(tmp_path: Path) -> None:
    path = module(tmp_path, WRITE)
    targets = [marker(), tmp_path / "escaped.txt", path.parent / "prog.py",
               path.parent / "sibling.py", Path("/dev/shm") / uuid.uuid4().hex,
               Path("/etc") / uuid.uuid4().hex]
    result = bare(path, Scenario("write", parm=",".join(map(str, targets))))
    assert result.returncode == 0 and b"wrote" not in result.stdout, result.stdout
    assert result.stdout.count(b"refused") == len(targets)
    assert not any(t.exists() for t in targets if t.name != "prog.py")
    assert path.read_text() == WRITE and result.outputs == ()


SOCKETS = '''\
import socket, sys
tcp, udp, unix, abstract = sys.argv[1].split(",")
for name, family, kind, address in [
        ("tcp", socket.AF_INET, socket.SOCK_STREAM, ("127.0.0.1", int(tcp))),
        ("udp", socket.AF_INET, socket.SOCK_DGRAM, ("127.0.0.1", int(udp))),
        ("unix", socket.AF_UNIX, socket.SOCK_STREAM, unix),
        ("abstract", socket.AF_UNIX, socket.SOCK_STREAM, "\\0" + abstract)]:
    try:
        with socket.socket(family, kind) as client:
            client.settimeout(2)
            client.connect(address)
            client.sendall(b"escaped")
            print("sent", name)
    except OSError as exc:
        print("refused", name, type(exc).__name__)
'''


def test_no_socket_reaches_the_host(tmp_path: Path, listener: socket.socket) -> None:
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    unix = socket.socket(socket.AF_UNIX)
    unix.bind(str(tmp_path / "host.sock"))
    abstract_name = f"modernize-test-{uuid.uuid4().hex}"
    abstract = socket.socket(socket.AF_UNIX)
    abstract.bind("\0" + abstract_name)
    servers = [udp, unix, abstract]
    for server in servers:
        server.settimeout(0.2)
    unix.listen()
    abstract.listen()
    try:
        parm = ",".join([str(listener.getsockname()[1]), str(udp.getsockname()[1]),
                         str(tmp_path / "host.sock"), abstract_name])
        result = bare(module(tmp_path, SOCKETS), Scenario("net", parm=parm))
        assert nobody_connected(listener) and nobody_connected(unix)
        assert nobody_connected(abstract)
        with pytest.raises(TimeoutError):
            udp.recvfrom(64)
    finally:
        for server in servers:
            server.close()
    # UDP "sends" to the sandbox's own loopback; nothing arrives on the host (checked above)
    assert result.stdout.count(b"refused") >= 3 and b"sent tcp" not in result.stdout


def descendants() -> int:
    """How many processes descend from this one (what a run started, wherever it is), but
    for the helpers multiprocessing keeps for the session once a --jobs pool has run in it
    (its fork server and resource tracker, and what they started)."""
    parents: dict[int, int] = {}
    for name in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat_line = Path(f"/proc/{name}/stat").read_text()
            command = Path(f"/proc/{name}/cmdline").read_bytes()
        except OSError:
            continue
        if b"multiprocessing.forkserver" in command or \
                b"multiprocessing.resource_tracker" in command:
            continue
        parents[int(name)] = int(stat_line.rsplit(")", 1)[1].split()[1])
    count, frontier = 0, {os.getpid()}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier}
        count += len(frontier)
    return count


FORK_BOMB = '''\
import os, subprocess, sys, time
forks = spawned = 0
for _ in range(300):
    try:
        if os.fork() == 0:
            time.sleep(5)
            os._exit(0)
        forks += 1
    except OSError:
        pass
    try:
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
        spawned += 1
    except OSError:
        pass
print("forks", forks, "spawned", spawned, flush=True)
time.sleep(1)
'''


def test_a_fork_bomb_as_root_is_contained(tmp_path: Path) -> None:
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak.append(descendants())
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.monotonic()
    try:
        result = bare(module(tmp_path, FORK_BOMB), Scenario("bomb"), timeout_s=10)
    finally:
        done.set()
        sampler.join()
    assert time.monotonic() - started < 10
    assert result.stdout.startswith(b"forks 0 spawned 0"), (os.geteuid(), result.stdout)
    assert 3 <= max(peak) <= 4  # outer bwrap, its init, the module (and prlimit's exec)
    assert descendants() == 0


SURVIVOR = '''\
import os, sys
if os.fork() == 0:
    os.setsid()
    os.execv(sys.executable, [sys.executable, "-c",
             "import time; time.sleep(30); open('late-marker', 'w').write('alive')",
             sys.argv[1]])
print("parent leaves", flush=True)
'''


def alive_with(tag: str) -> list[str]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if tag.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
        except OSError:
            continue
    return found


def test_a_setsid_child_does_not_outlive_the_run(tmp_path: Path) -> None:
    tag = f"survivor-{uuid.uuid4().hex}"
    started = time.monotonic()
    result = bare(module(tmp_path, SURVIVOR), Scenario("setsid", parm=tag), processes=2)
    assert result.returncode == 0 and result.stdout == b"parent leaves\n", result.stderr
    assert time.monotonic() - started < 10  # the child held standard output: not waited for
    time.sleep(0.2)
    assert alive_with(tag) == []
    assert "late-marker" not in result.files


FLOOD = '''\
import sys
chunk = b"x" * (1 << 20)
for _ in range(1024):
    sys.stdout.buffer.write(chunk)
print("flooded", file=sys.stderr)
'''


def test_a_stdout_flood_is_capped_and_reported(tmp_path: Path) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    result = bare(module(tmp_path, FLOOD), Scenario("flood"))
    assert time.monotonic() - started < 20
    assert len(result.stdout) == OUTPUT_CAP and set(result.stdout) == {ord("x")}
    assert b"standard output passed" in result.stderr and b"truncated" in result.stderr
    assert b"flooded" not in result.stderr and result.returncode != 0
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 256 << 10


HOLDER = '''\
import os, sys, time
if os.fork() == 0:
    os.setsid()
    os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(60)",
             sys.argv[1]])
while True:
    time.sleep(0.1)
'''


def test_a_timeout_with_a_child_holding_the_pipe_returns_on_time(tmp_path: Path) -> None:
    tag = f"holder-{uuid.uuid4().hex}"
    started = time.monotonic()
    with pytest.raises(RunTimeoutError):
        bare(module(tmp_path, HOLDER), Scenario("hold", parm=tag), timeout_s=2, processes=2)
    assert time.monotonic() - started < 2 + 3
    time.sleep(0.2)
    assert alive_with(tag) == []


FRAME_WALK = '''\
import sys
frame = sys._getframe()
while frame is not None and "_hook" not in frame.f_globals:
    frame = frame.f_back
boot = frame.f_globals
boot["BLOCKED_IMPORTS"] = set()
boot["BLOCKED"] = ("never-an-event",)
boot["PATH_EVENTS"] = set()
boot["_refuse"] = lambda event, detail: None
import socket
print("audit hook neutralised", flush=True)
environ_path, unix_path = sys.argv[1].split(",")
try:
    with open(environ_path, "rb") as handle:
        print("environ", handle.read())
except OSError as exc:
    print("no environ", type(exc).__name__)
for path in [environ_path.replace(environ_path.split("/")[2], "1"), "/proc/self/environ"]:
    with open(path, "rb") as handle:
        print(path, handle.read())
try:
    with socket.socket(socket.AF_UNIX) as client:
        client.connect(unix_path)
        client.sendall(b"escaped")
        print("sent")
except OSError as exc:
    print("no socket", type(exc).__name__)
'''


def test_the_frame_walking_escape_is_contained_by_bwrap(tmp_path: Path, api_key: str) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "host.sock"))
    server.listen()
    server.settimeout(0.2)
    try:
        parm = f"/proc/{os.getpid()}/environ,{tmp_path / 'host.sock'}"
        result = run_python(module(tmp_path, FRAME_WALK), Scenario("walk", parm=parm), [],
                            "WALK", landlock=False)
        assert nobody_connected(server)
    finally:
        server.close()
    assert b"audit hook neutralised" in result.stdout, result.stderr  # the hook was beaten
    assert b"no environ FileNotFoundError" in result.stdout
    assert b"no socket FileNotFoundError" in result.stdout and b"sent" not in result.stdout
    assert api_key.encode() not in everything(result)


# --------------------------------------------------------------------------- the legacy side

LEAKY_COBOL = '''\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. LEAKY.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01 WS-KEY PIC X(80) VALUE SPACES.
       PROCEDURE DIVISION.
           ACCEPT WS-KEY FROM ENVIRONMENT "OPENAI_API_KEY"
           DISPLAY "KEY=" WS-KEY
           CALL "SYSTEM" USING "touch @MARKER@; cat /proc/*/environ"
           STOP RUN.
'''


def test_the_cobol_program_and_its_compile_get_no_secret(tmp_path: Path, api_key: str) -> None:
    assert "OPENAI_API_KEY" not in legacy._compile_env()
    assert "PATH" in legacy._compile_env()
    if shutil.which("cobc") is None:
        pytest.skip("cobc (GnuCOBOL) is not installed")
    target = marker()
    source = tmp_path / "leaky.cbl"
    source.write_text(LEAKY_COBOL.replace("@MARKER@", str(target)))
    folder = tmp_path / "build"
    folder.mkdir(mode=0o700)
    exe = folder / "LEAKY"
    subprocess.run(["cobc", "-x", "-free", "-o", str(exe), str(source)], check=True,
                   env=legacy._compile_env())
    built = legacy.Build(program="LEAKY", executable=exe, library_dir=None, dd_names=(),
                         programs={}, linked=(), modules=(), traced=False, key="t",
                         cached=False)
    result = legacy.run(built, Scenario("leak"))
    assert result.stdout.startswith(b"KEY=" + b" " * 10), result.stdout
    assert api_key.encode() not in everything(result)
    assert not target.exists()


# --------------------------------------------------------------------------- no sandbox, no run

@pytest.fixture()
def no_bwrap(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    real = sandbox.tool
    monkeypatch.setattr(sandbox, "tool", lambda name: None if name == "bwrap" else real(name))
    sandbox._probe.cache_clear()
    yield
    monkeypatch.undo()
    sandbox._probe.cache_clear()


def test_without_bubblewrap_nothing_runs(tmp_path: Path, no_bwrap: None) -> None:
    target = marker()
    with pytest.raises(SandboxUnavailableError, match="bubblewrap") as raised:
        run_python(module(tmp_path, ESCAPE), Scenario("none", parm=str(target)), [], "NONE")
    assert isinstance(raised.value, ModernizeError) and "scripts/setup" in str(raised.value)
    built = legacy.Build(program="NONE", executable=tmp_path / "none", library_dir=None,
                         dd_names=(), programs={}, linked=(), modules=(), traced=False,
                         key="t", cached=False)
    with pytest.raises(SandboxUnavailableError):
        legacy.run(built, Scenario("none"))
    assert not target.exists() and not sandbox.available()
