"""Making pages on several processes (`build --jobs N`, by default one a core).

Each worker receives its work once, when it starts. For article pages that is the
page maker: it reads the article and its notes, renders them, fills the template
and writes the page. For the site-wide pages (the term pages are most of them) it
is the list of views, inherited by fork. Only file names or numbers go out and
small results come back, in the order the items went in, so the site is the same
whatever the number of processes.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from typing import Any, TypeVar, cast

from .pages import Made, PageMaker
from .sources import Source

_work: Callable[[Any], object] | None = None  # what a worker does with each item
T = TypeVar("T")
R = TypeVar("R")
CHUNK = 16  # articles per task: enough to outweigh the cost of sending them
ORPHAN_CHECK = 0.5  # seconds between a worker's looks at whether its build is still there


def cores() -> int:
    """The processors this process may run on: the default number of jobs."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def make_pages(maker: PageMaker, sources: Sequence[Source], jobs: int) -> Iterator[Made]:
    """Each source's page made (and written), in order."""
    if jobs <= 1 or len(sources) <= CHUNK:
        yield from map(maker.make, sources)
        return
    with _pool(jobs, len(sources), maker.make) as (pool, chunk):
        yield from cast(Iterator[Made], pool.map(_run, sources, chunksize=chunk))


def map_forked(task: Callable[[T], R], items: Sequence[T], jobs: int) -> Iterator[R]:
    """`task` of each item, in order, on `jobs` forked processes: the task and the items
    are inherited, never pickled (closures over a theme will do), and only the results
    come back. In this process where there is no fork, or too little to share."""
    if jobs <= 1 or len(items) <= CHUNK or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(task, items)
        return
    with _pool(jobs, len(items), partial(_by_number, task, items)) as (pool, chunk):
        yield from cast(Iterator[R], pool.map(_run, range(len(items)), chunksize=chunk))


@contextmanager
def _pool(
    jobs: int, size: int, work: Callable[[Any], object]
) -> Iterator[tuple[ProcessPoolExecutor, int]]:
    """Workers that do `work`, and how many of the `size` items to send each at a time.
    Forked, they start at once with the work as it is; elsewhere it is pickled."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = max(1, min(CHUNK, size // (jobs * 4)))
    with ProcessPoolExecutor(
        min(jobs, size), mp_context=context, initializer=_start, initargs=(work, os.getpid())
    ) as pool:
        yield pool, chunk


def _start(work: Callable[[Any], object], build: int) -> None:
    """A worker's start: `build` is the process id of the build that made it (a build
    killed before the worker got here has left it already)."""
    global _work
    _work = work
    threading.Thread(target=_end_with, args=(build,), daemon=True).start()


def _by_number(task: Callable[[T], R], items: Sequence[T], number: int) -> R:
    return task(items[number])


def _end_with(parent: int) -> None:
    """End this worker when the build that started it is gone (killed: nothing told us).
    A forked worker holds both ends of its task pipe, so it would wait for ever."""
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK)
    os._exit(1)


def _run(item: object) -> object:
    assert _work is not None, "worker used before it started"
    return _work(item)
