"""deadline.py: a time limit that interrupts pure Python work, where a signal can."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from site_builder.deadline import Deadline, TimeUp


def spin(seconds: float) -> None:
    """Work that calls nothing a sandbox could count, for about `seconds`."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_work_past_its_deadline_is_stopped() -> None:
    with pytest.raises(TimeUp), Deadline(0.2):
        spin(30)  # raising at all means it was stopped: unstopped, it ends quietly
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # nothing left running


def test_work_within_its_deadline_is_left_alone_and_no_alarm_comes_later() -> None:
    with Deadline(0.2):
        spin(0.01)
    spin(0.4)  # an alarm left armed would raise here


def test_another_timer_running_is_kept_and_no_deadline_is_set() -> None:
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        with Deadline(0.05):
            spin(0.1)  # not stopped: the timer is someone else's (a test's alarm)
        spin(0.4)
        assert fired == [signal.SIGALRM]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_off_the_main_thread_work_runs_without_a_deadline() -> None:
    finished: list[bool] = []

    def work() -> None:
        with Deadline(0.05):
            spin(0.2)
        finished.append(True)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert finished == [True]
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
