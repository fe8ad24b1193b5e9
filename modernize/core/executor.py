"""Where per-program work runs: in this process, in worker processes on this machine
(``--jobs N``), or on a Dask cluster (``--executor dask --scheduler ADDRESS``).

A stage hands :meth:`Executor.completed` (or :meth:`Executor.map_ordered`) a function of one
item and the items; it gets each result back with the item's index, so it can put them in the
items' order and its outputs do not depend on how many workers ran or which finished first.
The function and the items must be picklable (a module-level function, a
``functools.partial`` of one): worker processes and Dask workers import this package and
call it there. The work a function does must not depend on the process it runs in.

Worker processes are started with ``forkserver`` (never a plain ``fork`` of a process that may
hold threads and open databases); their log records come back to this process and go through
its handlers, as if the work had run here. Dask workers log on their own machines.

``dask.distributed`` is imported in this module only, and only when the Dask executor is used.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
import logging.handlers
import multiprocessing
import multiprocessing.forkserver
import os
import pickle
import re
import secrets
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Any, Generic, Literal, TypeVar

from .collector import cycle_collection_paused
from .errors import ModernizeError

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

Progress = Callable[[str, int, int], None]
"""``progress(item, index, total)``: in this process, called before item ``index`` (counting
from 1); with workers, called as the ``index``-th item finishes."""

CONNECT_TIMEOUT_S = 20
"""How long the Dask executor tries to reach its scheduler before it gives up."""

Kind = Literal["local", "dask"]
KINDS: tuple[str, ...] = ("local", "dask")


class ExecutorError(ModernizeError):
    """The workers could not run the work (a worker died, the scheduler is unreachable)."""


def default_jobs() -> int:
    """The number of worker processes when ``--jobs`` is not given: ``MODERNIZE_JOBS`` when
    it is set to a whole number (a batch script's or a test run's choice), else the number
    of cores."""
    chosen = os.environ.get("MODERNIZE_JOBS", "").strip()
    if chosen.isdigit() and int(chosen) >= 1:
        return int(chosen)
    return os.cpu_count() or 1


class Executor:
    """Runs a function over items; a context manager that owns its workers (started on first
    use, stopped at the end of the ``with`` block).

    ``Executor()`` runs everything in this process, one item after another."""

    def __init__(self, jobs: int = 1, *, kind: Kind = "local",
                 scheduler: str | None = None) -> None:
        if jobs < 1:
            raise ExecutorError(f"--jobs {jobs}: give 1 or more worker processes")
        if kind not in KINDS:
            raise ExecutorError(f"--executor {kind}: give one of {', '.join(KINDS)}")
        if kind == "dask" and not scheduler:
            raise ExecutorError("--executor dask needs --scheduler ADDRESS (the Dask "
                                "scheduler, e.g. tcp://10.0.0.5:8786)")
        if kind == "local" and scheduler:
            raise ExecutorError("--scheduler is only for --executor dask")
        self.jobs = jobs
        self.kind = kind
        self.scheduler = scheduler
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._listener: logging.handlers.QueueListener | None = None
        self._client: Any = None  # a dask.distributed.Client, once used

    @property
    def parallel(self) -> bool:
        return self.kind == "dask" or self.jobs > 1

    # -- running ---------------------------------------------------------------------------
    def map_ordered(self, fn: Callable[[T], R], items: Sequence[T], *,
                    labels: Sequence[str] | None = None,
                    progress: Progress | None = None) -> list[R]:
        """``[fn(item) for item in items]``, computed by the workers, in the items' order."""
        results: dict[int, R] = dict(self.completed(fn, items, labels=labels,
                                                    progress=progress))
        return [results[index] for index in range(len(items))]

    def completed(self, fn: Callable[[T], R], items: Sequence[T], *,
                  labels: Sequence[str] | None = None,
                  progress: Progress | None = None) -> Iterator[tuple[int, R]]:
        """``(index, fn(items[index]))`` for every item, as each finishes (in order when
        nothing runs in parallel). An exception ``fn`` raises comes out here; the items not
        started yet are then dropped."""
        names = list(labels) if labels is not None else [str(i) for i in range(len(items))]
        total = len(items)
        if not total:
            return
        if not self.parallel or (total == 1 and self.kind == "local"):
            for index, item in enumerate(items):
                if progress:
                    progress(names[index], index + 1, total)
                yield index, fn(item)
            return
        if self.kind == "dask":
            yield from self._dask(fn, items, names, progress)
        else:
            yield from self._local(fn, items, names, progress)

    def _local(self, fn: Callable[[T], R], items: Sequence[T], names: list[str],
               progress: Progress | None) -> Iterator[tuple[int, R]]:
        pool = self._local_pool()
        futures = {pool.submit(_packed_call, fn, item): index for index, item in enumerate(items)}
        try:
            for done, future in enumerate(concurrent.futures.as_completed(futures), start=1):
                index = futures.pop(future)  # the future holds its result: not kept past here
                try:
                    result = future.result()
                except BrokenProcessPool as exc:
                    self._drop_pool()
                    raise ExecutorError(
                        f"a worker process died while working on {names[index]} (out of "
                        "memory, or killed); run again with --jobs 1 to see which program "
                        "causes it") from exc
                if progress:
                    progress(names[index], done, len(items))
                yield index, result
        finally:
            for future in futures:
                future.cancel()

    def _dask(self, fn: Callable[[T], R], items: Sequence[T], names: list[str],
              progress: Progress | None) -> Iterator[tuple[int, R]]:
        from distributed import as_completed

        client = self._dask_client()
        futures = client.map(fn, list(items), pure=False)
        # each future is let go once its result is handed over (a future holds its result,
        # here and on the cluster): only those not done yet are kept, to cancel
        pending = {future.key: (index, future) for index, future in enumerate(futures)}
        completed = as_completed(futures)
        del futures
        try:
            for done, future in enumerate(completed, start=1):
                index, _ = pending.pop(future.key)
                result = future.result()
                if progress:
                    progress(names[index], done, len(items))
                yield index, result
        finally:
            client.cancel([future for _, future in pending.values()])

    # -- the workers -----------------------------------------------------------------------
    def _local_pool(self) -> concurrent.futures.ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("forkserver")
            # workers fork from the fork server: started without the secrets in its
            # environment, no worker ever holds them (they need none: the model is asked
            # from this process)
            with _secrets_withheld():
                multiprocessing.forkserver.ensure_running()
            records: Any = context.Queue()
            root = logging.getLogger()
            self._listener = logging.handlers.QueueListener(records, _Forward(),
                                                            respect_handler_level=False)
            self._listener.start()
            self._pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=self.jobs, mp_context=context, initializer=_worker_start,
                initargs=(records, root.getEffectiveLevel()))
            log.debug("started %d worker processes", self.jobs)
        return self._pool

    def _drop_pool(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.stop()

    def _dask_client(self) -> Any:
        if self._client is None:
            from distributed import Client

            try:
                self._client = Client(self.scheduler, timeout=f"{CONNECT_TIMEOUT_S}s")
            except (OSError, TimeoutError) as exc:
                raise ExecutorError(f"cannot reach the Dask scheduler at {self.scheduler} "
                                    f"({exc}); check the address and that the scheduler "
                                    "runs") from exc
            threaded = sorted(w for w, n in self._client.nthreads().items() if n > 1)
            if threaded:  # the tasks keep per-process state (the parser): one at a time
                log.warning("Dask workers %s run several threads: start them with "
                            "--nthreads 1 (and --nworkers for more processes)",
                            ", ".join(threaded))
        return self._client

    def close(self) -> None:
        self._drop_pool()
        client, self._client = self._client, None
        if client is not None:
            client.close()

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


class Shared(Generic[T]):
    """A value every task of a stage needs (the preprocessor, with the estate's copybook
    folders), sent to each worker process once rather than unpickled with every task.

    It is pickled once, here. A worker unpickles it the first time a task brings it and
    keeps it under this object's own random key; later tasks bring the bytes (a copy, cheap)
    and get the kept value (unpickling it again cost a 2,850-program estate 7 s of its
    workers' time). A task reads ``.value``, in a worker or in this process alike; what the
    value learns in a worker (a cache) is kept there for the next task of the same stage, and
    never reaches another run: a new ``Shared`` has a new key, so a long-lived Dask worker
    never answers from what an earlier run left."""

    def __init__(self, value: T) -> None:
        self.value = value
        self._key = secrets.token_hex(16)
        self._pickled: bytes | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        if self._pickled is None:
            self._pickled = pickle.dumps(self.value, protocol=pickle.HIGHEST_PROTOCOL)
        return (_received, (self._key, self._pickled))


_RECEIVED: dict[str, Shared[Any]] = {}
_RECEIVED_KEPT = 4  # values of the stages a worker ran lately


def _received(key: str, pickled: bytes) -> Shared[Any]:
    """The :class:`Shared` value a task brought to this process, unpickled on first sight."""
    shared = _RECEIVED.get(key)
    if shared is None:
        if len(_RECEIVED) >= _RECEIVED_KEPT:
            _RECEIVED.pop(next(iter(_RECEIVED)))
        shared = _RECEIVED[key] = Shared(pickle.loads(pickled))
        shared._key, shared._pickled = key, pickled
    return shared


def _packed_call(fn: Callable[[T], R], item: T) -> R:
    """``fn(item)`` in a worker process, its result pickled by :class:`_Packed`."""
    return _Packed(fn(item))  # type: ignore[return-value] - it unpickles as the result


class _Packed:
    """A worker's result on its way back: pickled with the cycle collector paused, and
    unpickled as the result itself. Pickling a program's model makes a hundred thousand
    short-lived objects, which set off collector passes over the worker's whole heap (half
    the time of pickling); none of them is a cycle."""

    def __init__(self, value: object) -> None:
        self.value = value

    def __reduce__(self) -> tuple[Any, ...]:
        with cycle_collection_paused():
            data = pickle.dumps(self.value, protocol=pickle.HIGHEST_PROTOCOL)
        return (pickle.loads, (data,))


SECRET_NAMES = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL", re.IGNORECASE)
"""Environment variables worker processes never get (OPENAI_API_KEY, …)."""


@contextlib.contextmanager
def _secrets_withheld() -> Iterator[None]:
    """This process's environment without the variables :data:`SECRET_NAMES` matches, while
    the block runs (a child started in it inherits none of them)."""
    withheld = {name: os.environ.pop(name) for name in list(os.environ)
                if SECRET_NAMES.search(name)}
    try:
        yield
    finally:
        os.environ.update(withheld)


class _Forward(logging.Handler):
    """Hands a worker's log record to this process's logger of the same name."""

    def handle(self, record: logging.LogRecord) -> bool:
        logger = logging.getLogger(record.name)
        if logger.isEnabledFor(record.levelno):
            logger.handle(record)
        return True

    def emit(self, record: logging.LogRecord) -> None:  # pragma: no cover - handle() does it
        pass


def _worker_start(records: Any, level: int) -> None:
    """In each worker process: its log records at ``level`` and above go to the parent."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(logging.handlers.QueueHandler(records))
    root.setLevel(level)
