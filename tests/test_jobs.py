"""``--jobs N``: the per-program work runs in N worker processes, and every output is the same
for every N (tests/same_outputs.py says what two runs may differ in: wall times and logs)."""

from __future__ import annotations

import functools
import json
import logging
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from same_outputs import differences, modernize, needs_validation

from modernize.cli import main
from modernize.core.executor import Executor, ExecutorError, Shared, default_jobs


def test_the_default_is_the_number_of_cores() -> None:
    assert default_jobs() >= 1
    result = CliRunner().invoke(main, ["run", "--help"])
    shown = " ".join(result.output.split())  # as wrapped to any width
    assert "--jobs" in shown and "[default: (the number of cores)" in shown
    assert "--executor [local|dask]" in shown and "--scheduler ADDRESS" in shown


def test_modernize_jobs_sets_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODERNIZE_JOBS", "3")
    assert default_jobs() == 3
    for unusable in ("", "0", "two", "-1"):
        monkeypatch.setenv("MODERNIZE_JOBS", unusable)
        assert default_jobs() == (os.cpu_count() or 1)
    monkeypatch.delenv("MODERNIZE_JOBS")
    assert default_jobs() == (os.cpu_count() or 1)


def test_analyze_is_the_same_for_one_and_two_jobs(samples_copy: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    modernize("analyze", samples_copy, "--out", one, "--jobs", "1")
    done = modernize("analyze", samples_copy, "--out", two, "--jobs", "2")
    assert differences(one, two) == []
    # the plain progress lines count every file, in whatever order they finish
    counted = [line.split()[0] for line in done.stderr.splitlines() if line.startswith("[")]
    assert sorted(counted) == sorted(f"[{i}/10]" for i in range(1, 11))


def test_duplicate_program_ids_are_told_apart_the_same_for_one_and_two_jobs(
        tmp_path: Path) -> None:
    """The second member with a PROGRAM-ID is analysed again under its own id by the
    workers (the shop estate has one: DBANK01P, a DB2 and a VSAM variant)."""
    from shop_estate import shop_estate

    estate = tmp_path / "estate"
    shop_estate(estate)
    one, two = tmp_path / "one", tmp_path / "two"
    modernize("analyze", estate, "--out", one, "--jobs", "1")
    modernize("analyze", estate, "--out", two, "--jobs", "2")
    assert differences(one, two) == []
    model = json.loads((two / "model.json").read_text())
    ids = [p["id"] for p in model["programs"] if p["name"] == "DBANK01P"]
    assert ids == ["cobol:DBANK01P", "cobol:DBANK01P@sources/cobol/data/vsam/DBANK01P.cbl"]


def test_run_without_validation_is_the_same_for_one_and_two_jobs(samples_copy: Path,
                                                                 tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    modernize("run", samples_copy, "--out", one, "--jobs", "1", "--no-validate")
    modernize("run", samples_copy, "--out", two, "--jobs", "2", "--no-validate")
    assert differences(one, two) == []
    assert len(list((two / "code").glob("*.py"))) == 9
    assert not (two / ".resume").exists()  # a finished run leaves no journal


@needs_validation()
def test_run_with_validation_is_the_same_for_one_and_two_jobs(plain_run: Path,
                                                              samples_copy: Path,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "two"
    done = modernize("run", samples_copy, "--out", out, "--jobs", "2", check=False)
    assert done.returncode == 0, done.stderr
    assert differences(plain_run, out) == []
    assert "equivalent (main path)" in done.stdout


# --------------------------------------------------------------------------- the executor


def _square(value: int) -> int:
    logging.getLogger("modernize.test_jobs").warning("squared %d", value)
    return value * value


def _fail_on_three(value: int) -> int:
    if value == 3:
        raise ValueError("three")
    return value


def test_results_come_in_the_items_order_and_progress_counts_each(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)  # whatever an earlier --quiet left on the root logger
    seen: list[tuple[str, int, int]] = []
    with Executor(2) as executor:
        squares = executor.map_ordered(_square, list(range(8)),
                                       labels=[f"n{i}" for i in range(8)],
                                       progress=lambda *a: seen.append(a))
    assert squares == [i * i for i in range(8)]
    assert sorted(index for _, index, _ in seen) == list(range(1, 9))
    assert {total for _, _, total in seen} == {8}
    assert sorted(label for label, _, _ in seen) == sorted(f"n{i}" for i in range(8))
    # the workers' log records come back to this process's handlers
    assert sorted(r.getMessage() for r in caplog.records if r.name == "modernize.test_jobs") \
        == sorted(f"squared {i}" for i in range(8))


class _Box:
    def __init__(self, value: int) -> None:
        self.value = value


def _boxed(value: int) -> _Box:
    return _Box(value)


def test_a_result_is_not_kept_once_handed_over() -> None:
    """The executor lets go of each result once it has handed it over (a million lines'
    results, held to the end, were half a gigabyte)."""
    import weakref

    refs: list[weakref.ref[_Box]] = []
    with Executor(2) as executor:
        for _, result in executor.completed(_boxed, list(range(6))):
            refs.append(weakref.ref(result))
            del result
            # the one being handed over is still the loop's; every earlier one is gone
            assert [r() for r in refs[:-1]] == [None] * (len(refs) - 1)
    assert len(refs) == 6


def test_in_this_process_progress_comes_before_each_item() -> None:
    order: list[str] = []

    def noted(value: int) -> int:
        order.append(f"run {value}")
        return value

    results = Executor().map_ordered(noted, [1, 2], labels=["a", "b"],
                                     progress=lambda label, i, n: order.append(f"{label} {i}/{n}"))
    assert results == [1, 2]
    assert order == ["a 1/2", "run 1", "b 2/2", "run 2"]


def _die(value: int) -> int:
    os._exit(3)  # as the kernel's OOM killer would end a worker


def test_a_worker_that_dies_is_a_clear_error() -> None:
    with Executor(2) as executor, pytest.raises(ExecutorError, match="--jobs 1"):
        executor.map_ordered(_die, [1, 2])


def test_an_error_in_a_worker_comes_out_in_the_caller() -> None:
    with Executor(2) as executor, pytest.raises(ValueError, match="three"):
        executor.map_ordered(_fail_on_three, [1, 2, 3, 4])


@pytest.mark.parametrize(("args", "message"), [
    (functools.partial(Executor, 0), "--jobs 0"),
    (functools.partial(Executor, 2, kind="dask"), "needs --scheduler"),
    (functools.partial(Executor, 2, scheduler="tcp://x:1"), "only for --executor dask"),
])
def test_wrong_options_say_what_to_give(args: functools.partial, message: str) -> None:
    with pytest.raises(ExecutorError, match=message):
        args()


def test_the_command_line_refuses_a_scheduler_without_dask(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", str(tmp_path), "--out", str(tmp_path / "o"),
                                       "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2 and "only for --executor dask" in result.output


def test_worker_processes_never_hold_the_api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """The key stays in this process: the workers (and the fork server they come from) start
    with an environment without it, so neither os.environ nor /proc/self/environ has it."""
    secret = "sk-worker-must-not-see-this-3f9c"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    monkeypatch.setenv("SOME_SERVICE_TOKEN", secret)
    import multiprocessing.forkserver
    multiprocessing.forkserver._forkserver._stop()  # noqa: SLF001 - a server started earlier
    with Executor(2) as executor:
        seen = executor.map_ordered(functools.partial(os.getenv, "OPENAI_API_KEY"), [None, None])
        environ = executor.map_ordered(Path.read_bytes, [Path("/proc/self/environ")] * 2)
        pids = executor.map_ordered(_pid, [0, 1, 2, 3])
    assert seen == [None, None]
    assert all(secret.encode() not in raw for raw in environ)
    assert os.getpid() not in pids and os.environ["OPENAI_API_KEY"] == secret  # ours kept


def _pid(_: int) -> int:
    return os.getpid()


def _shared_state(shared: Shared[list[int]], value: int) -> tuple[int, int, list[int]]:
    shared.value.append(value)  # what a task leaves in the value (a cache) stays there
    return os.getpid(), id(shared.value), list(shared.value)


def test_a_shared_value_is_unpickled_once_per_worker_and_never_reused_by_another_run() -> None:
    with Executor(2) as executor:
        first = executor.map_ordered(functools.partial(_shared_state, Shared([])), range(12))
        again = executor.map_ordered(functools.partial(_shared_state, Shared([])), range(4))
    identities: dict[int, set[int]] = {}
    for pid, identity, _ in first:
        identities.setdefault(pid, set()).add(identity)
    assert os.getpid() not in identities
    assert all(len(seen) == 1 for seen in identities.values())  # one value per worker
    # each worker's value grew with the tasks it ran, in the order it ran them
    for pid in identities:
        ran = [state for worker, _, state in first if worker == pid]
        assert ran[-1] == sorted(ran[-1]) and len(ran[-1]) == len(ran)
    # a new Shared is a new value in every worker, even with the same contents
    assert all(len(state) <= 4 for _, _, state in again)
    # in this process, the task gets the value itself
    shared = Shared([7])
    assert Executor().map_ordered(functools.partial(_shared_state, shared), [8])[0][2] == [7, 8]


def _collecting(_: int) -> tuple[bool, list[int]]:
    import gc

    return gc.isenabled(), [1, 2, 3]


def test_a_worker_result_is_pickled_with_the_collector_paused_and_arrives_as_itself() -> None:
    import gc
    import pickle

    from modernize.core.executor import _Packed

    with Executor(2) as executor:
        results = executor.map_ordered(_collecting, range(3))
    assert results == [(True, [1, 2, 3])] * 3  # the task itself ran with the collector on
    seen: list[bool] = []

    class Probe:
        def __reduce__(self) -> tuple[object, ...]:
            seen.append(gc.isenabled())
            return (list, ())

    assert gc.isenabled()
    assert pickle.loads(pickle.dumps(_Packed([Probe(), "x"]))) == [[], "x"]
    assert seen == [False] and gc.isenabled()  # paused while pickling, then on again
