"""The sandboxed Python runner, and the two lines of defence: static checks and the sandbox."""

from __future__ import annotations

import signal
import socket
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from modernize.codecheck import check_module
from modernize.harness.legacy import RunResult, RunTimeoutError, Scenario
from modernize.harness.python import VIOLATION_EXIT, network_namespace_prefix, run_python

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
    if network_namespace_prefix() is None:
        pytest.skip("no network namespaces here")
    port = str(listener.getsockname()[1])
    result = run_python(module(tmp_path, SOCKET), Scenario("net", parm=port), [], "NET",
                        audit=False, landlock=False)
    assert result.returncode == 1 and b"Network is unreachable" in result.stderr
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
def test_landlock_alone_stops_writes_and_programs(tmp_path: Path, source: str) -> None:
    target = marker()
    result = run_python(module(tmp_path, source), Scenario("kernel", parm=str(target)), [],
                        "KERNEL", audit=False)
    if b"landlock:" in result.stderr:
        pytest.skip(result.stderr.decode())
    assert not target.exists()
    if source is ESCAPE:
        assert result.returncode == 1 and b"PermissionError" in result.stderr


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
