"""Making article pages on several processes (`build --jobs N`, by default one a core).

Each worker receives the page maker once, when it starts, then makes whole pages:
it reads the article and its notes, renders them, fills the template and writes
the page. Only file names go out and small results come back, in the order the
articles went in, so the site is the same whatever the number of processes.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from .pages import Made, PageMaker
from .sources import Source

_maker: PageMaker | None = None
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
        for source in sources:
            yield maker.make(source)
        return
    # Forked workers start at once, with the maker as it is (nothing to pickle).
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = max(1, min(CHUNK, len(sources) // (jobs * 4)))
    with ProcessPoolExecutor(
        min(jobs, len(sources)),
        mp_context=context,
        initializer=_start,
        initargs=(maker, os.getpid()),
    ) as pool:
        yield from pool.map(_make, sources, chunksize=chunk)


def _start(maker: PageMaker, build: int) -> None:
    """A worker's start: `build` is the process id of the build that made it (a build
    killed before the worker got here has left it already)."""
    global _maker
    _maker = maker
    threading.Thread(target=_end_with, args=(build,), daemon=True).start()


def _end_with(parent: int) -> None:
    """End this worker when the build that started it is gone (killed: nothing told us).
    A forked worker holds both ends of its task pipe, so it would wait for ever."""
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK)
    os._exit(1)


def _make(source: Source) -> Made:
    assert _maker is not None, "worker used before it started"
    return _maker.make(source)
