"""A time limit on work that input controls and nothing else can bound: a template.

Jinja's sandbox stops a template reaching Python's internals, but not looping:
`range(100000)` inside `range(100000)` calls nothing it can count, and would hold a
build (in CI, on every push) for hours. So a render runs against a timer, `SIGALRM`
from `setitimer`, which interrupts Python between any two steps.

Only where a signal can be taken: the main thread of a process (a build's, or a
worker's), on a system with `setitimer`, and when no timer of someone else's is
running (a test's alarm, an outer limit); elsewhere the work runs without one.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType


class TimeUp(Exception):
    """The work took longer than it was given."""


_running = False  # whether a deadline is waiting for its work: only then does the alarm stop it


def _expire(signum: int, frame: FrameType | None) -> None:
    if _running:
        raise TimeUp


class Deadline:
    """`with Deadline(seconds):` raises TimeUp in its block once `seconds` have passed.

    (A class, not a generator: it wraps every render, and each call of a
    contextmanager's cost more than what it guards.)"""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.timed = False

    def __enter__(self) -> None:
        global _running
        if (
            not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()
            or signal.getitimer(signal.ITIMER_REAL)[0] > 0
        ):
            return
        if signal.getsignal(signal.SIGALRM) is not _expire:
            # Installed once, and left: it does nothing while no deadline waits. (Setting
            # it anew for each render cost more than the render of a note.)
            signal.signal(signal.SIGALRM, _expire)
        self.timed = _running = True
        signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc: object) -> None:
        global _running
        if self.timed:
            _running = False  # first: an alarm from here on stops nothing
            signal.setitimer(signal.ITIMER_REAL, 0)
