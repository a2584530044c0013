"""Work on every core: numbered tasks run by forked worker processes, results in order.

Reading, checking and rendering thousands of case studies is pure Python, so one process uses
one core. With Linux's `fork`, each worker starts as a copy of the parent — the reference data,
the hub, the templates — so a task needs nothing but its number, and only its result travels
back. Tasks are handed out as workers become free, so the shares even themselves out; results
come back in task order, so what is built does not depend on which worker did what.

The parent does the work itself, task by task in the same order, when there is too little of
it to be worth a second process, when `fork` is not the platform's way (Windows; macOS, where
forking a process that uses system libraries is unsafe), or when the parent runs other threads
(`hub serve`): a forked copy of a threaded process can wait for ever on a lock another thread
held at the moment of the fork.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, NoReturn, TypeVar

T = TypeVar("T")
MIN_ITEMS_PER_JOB = 400  # case studies or pages: below this a second process costs more than it saves


def share(items: int, per_job: int) -> int:
    """Processes for `items` items: one per available core, each with at least `per_job` of them."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, items // per_job))


def auto_jobs(items: int) -> int:
    """Worker processes for `items` items: `share(items, MIN_ITEMS_PER_JOB)`, or 1 when forking
    is not safe here."""
    if sys.platform != "linux" or threading.active_count() > 1:
        return 1
    return share(items, MIN_ITEMS_PER_JOB)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector (as a `with` block or a decorator). A run builds
    hundreds of thousands of objects that live until it ends, and the collector walks all of
    them again and again as they are made, freeing nothing. Workers keep it off for good
    (`_start_worker`)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


class TaskFailed(Exception, Generic[T]):
    """A task raised `error`; `results` holds every other task's result (None for failed ones),
    so the caller can undo what they did."""

    def __init__(self, error: BaseException, results: list[T | None]) -> None:
        super().__init__(str(error))
        self.error = error
        self.results = results

    def reraise(self) -> NoReturn:
        """Raise the task's own error, with the worker's traceback when it came from one."""
        raise self.error from self.error.__cause__


class WorkerLost(Exception):
    """A worker process ended without a result (killed, or out of memory)."""


# The task of the current `run`, inherited by the forked workers (a closure cannot be pickled).
_task: Callable[[int], Any] | None = None
_pack: Callable[[Any], Any] | None = None


def _start_worker() -> None:
    # Ctrl-C reaches every process of the terminal's group: the parent alone handles it (and
    # undoes what finished tasks did); a worker finishes its task quietly.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()  # a worker lives for one run: collecting would cost time and free nothing


def _call(index: int) -> Any:
    assert _task is not None
    result = _task(index)
    return result if _pack is None else _pack(result)


_LOST = (
    "a worker process stopped before it finished (out of memory, or killed); no page was changed: run the command again"
)


def run(
    task: Callable[[int], T],
    count: int,
    jobs: int,
    done: Callable[[T], None] | None = None,
    pack: Callable[[T], Any] | None = None,
    unpack: Callable[[Any], T] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> list[T]:
    """`[task(0), …, task(count - 1)]`, on `jobs` worker processes (1: in this process).

    `done(result)` is called here as each result arrives, in order. A result crosses between
    processes by pickle, or as `pack(result)` and `unpack(packed)` when given. `meanwhile()`,
    when given, is called here once: while the workers start on the tasks, or (in this
    process) after them. When a task
    raises, the others still run; then `TaskFailed` carries the first error and every other
    result, for the caller to undo. When a worker dies (`WorkerLost`) or the run is interrupted
    (Ctrl-C), no further task starts, the running ones finish, and `TaskFailed` carries the
    results of every task that finished."""
    results: list[T | None] = []
    error: BaseException | None = None

    def arrived(result: T) -> None:
        results.append(result)
        if done is not None:
            done(result)

    def failed(failure: BaseException) -> None:
        nonlocal error
        error = error or failure
        results.append(None)

    if jobs <= 1 or count <= 1:
        try:
            for index in range(count):
                try:
                    outcome = task(index)
                except Exception as failure:  # noqa: BLE001 - handed to the caller below
                    failed(failure)
                    continue
                arrived(outcome)
            if meanwhile is not None:
                meanwhile()
        except BaseException as stop:  # interrupted: the caller undoes what the finished tasks did
            raise TaskFailed(stop, results + [None] * (count - len(results))) from None
    else:
        global _task, _pack
        _task, _pack = task, pack
        gc.freeze()  # the workers' collectors leave the parent's objects (and their memory) alone
        pending: list[Future[Any]] = []
        # Unlike multiprocessing.Pool, which waits for ever for the task of a worker that died,
        # the executor reports it (BrokenProcessPool) for every unfinished task.
        pool = ProcessPoolExecutor(
            min(jobs, count), mp_context=multiprocessing.get_context("fork"), initializer=_start_worker
        )
        try:
            for index in range(count):
                pending.append(pool.submit(_call, index))
            if meanwhile is not None:
                meanwhile()
            for waiting in pending:
                try:
                    packed = waiting.result()
                except BrokenProcessPool:
                    failed(WorkerLost(_LOST))
                    continue
                except Exception as failure:  # noqa: BLE001 - handed to the caller below
                    failed(failure)
                    continue
                arrived(packed if unpack is None else unpack(packed))
            pool.shutdown()
        except BaseException as stop:  # interrupted, or a worker died while tasks were handed out
            pool.shutdown(cancel_futures=True)  # start no more; wait for the running ones
            for waiting in pending[len(results) :]:  # finished but not yet taken: the caller undoes them too
                finished = waiting.done() and not waiting.cancelled() and waiting.exception() is None
                results.append((waiting.result() if unpack is None else unpack(waiting.result())) if finished else None)
            stop = WorkerLost(_LOST) if isinstance(stop, BrokenProcessPool) else stop
            raise TaskFailed(stop, results + [None] * (count - len(results))) from None
        finally:
            _task = _pack = None
            gc.unfreeze()
    if error is not None:
        raise TaskFailed(error, results)
    return results  # type: ignore[return-value]  # no None: nothing failed
