"""``--executor dask --scheduler ADDRESS``: the same per-program tasks on the workers of a Dask
cluster (here a LocalCluster of two worker processes), with the same outputs as a local
run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from same_outputs import differences, modernize, needs_validation

from modernize.cli import main
from modernize.core import executor as executor_module
from modernize.core.executor import Executor, ExecutorError

distributed = pytest.importorskip("distributed")  # the dask extra (in the test extra too)


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, host="127.0.0.1") as cluster:
        yield cluster.scheduler_address


def _cube(value: int) -> int:
    return value ** 3


def test_the_tasks_run_on_the_cluster_in_the_items_order(scheduler: str) -> None:
    seen: list[int] = []
    with Executor(1, kind="dask", scheduler=scheduler) as executor:
        cubes = executor.map_ordered(_cube, list(range(6)),
                                     progress=lambda label, i, n: seen.append(i))
    assert cubes == [i ** 3 for i in range(6)]
    assert sorted(seen) == list(range(1, 7))


class _Box:
    def __init__(self, value: int) -> None:
        self.value = value


def _boxed(value: int) -> _Box:
    return _Box(value)


def test_a_result_is_let_go_on_the_cluster_once_handed_over(scheduler: str) -> None:
    """The executor lets go of each future once it has handed its result over, so the
    cluster can drop the result; at the end of the run none is held."""
    import time

    def held(executor: Executor) -> int:  # results the scheduler still keeps for a client
        return executor._client.run_on_scheduler(  # type: ignore[union-attr]
            lambda dask_scheduler: sum(1 for task in dask_scheduler.tasks.values()
                                       if task.who_wants and "_boxed" in str(task.key)))

    held_after: list[int] = []  # after each result handed over
    with Executor(1, kind="dask", scheduler=scheduler) as executor:
        for taken, (index, result) in enumerate(executor.completed(_boxed, list(range(6))),
                                                start=1):
            assert result.value == index
            del result
            # at most the one being handed over is still held (the release reaches the
            # scheduler shortly after)
            deadline = time.monotonic() + 5
            while held(executor) > 6 - taken + 1 and time.monotonic() < deadline:
                time.sleep(0.05)
            held_after.append(held(executor))
    assert held_after[-1] <= 1 and all(h <= 6 - k + 1 for k, h in enumerate(held_after, 1)), \
        held_after


def test_an_unreachable_scheduler_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(executor_module, "CONNECT_TIMEOUT_S", 2)
    with Executor(1, kind="dask", scheduler="tcp://127.0.0.1:9") as executor, \
            pytest.raises(ExecutorError, match="cannot reach the Dask scheduler"):
        executor.map_ordered(_cube, [1, 2])


def test_analyze_on_the_cluster_equals_a_local_one(scheduler: str, samples_copy: Path,
                                                   tmp_path: Path) -> None:
    local, cluster = tmp_path / "local", tmp_path / "cluster"
    modernize("analyze", samples_copy, "--out", local, "--jobs", "1")
    result = CliRunner().invoke(main, ["analyze", str(samples_copy), "--out", str(cluster),
                                       "--executor", "dask", "--scheduler", scheduler])
    assert result.exit_code == 0, result.output
    assert differences(local, cluster) == []


@needs_validation()
def test_run_on_the_cluster_equals_a_local_run(scheduler: str, plain_run: Path,
                                               samples_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "cluster"
    done = modernize("run", samples_copy, "--out", out, "--executor", "dask", "--scheduler",
                     scheduler, check=False)
    assert done.returncode == 0, done.stderr
    assert differences(plain_run, out) == []
