"""The GUI thread's drawing budget while training runs at full speed."""

from __future__ import annotations

import os
import threading
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from cnnviz.app.budget import DrawBudget  # noqa: E402


class FakeClocks:
    def __init__(self) -> None:
        self.wall = 100.0
        self.cpu = 5.0

    def run(self, seconds: float, busy: float) -> None:
        """``seconds`` pass, the thread busy for ``busy`` of them."""
        self.wall += seconds
        self.cpu += busy * seconds


def test_allows_drawing_while_the_thread_stays_under_its_share():
    c = FakeClocks()
    b = DrawBudget(share=0.2, window=1.0, clock=lambda: c.wall, cpu=lambda: c.cpu)
    for _ in range(30):  # 10% busy
        c.run(0.05, 0.1)
        assert b.allows()
    assert b.denied == 0
    assert abs(b.used() - 0.1) < 1e-9


def test_denies_drawing_over_the_share_until_the_window_has_cooled_down():
    c = FakeClocks()
    b = DrawBudget(share=0.2, window=1.0, clock=lambda: c.wall, cpu=lambda: c.cpu)
    for _ in range(20):  # 1 s at 50% busy
        c.run(0.05, 0.5)
        b.allows()
    assert not b.allows()
    denied = b.denied
    ticks = 0
    while not b.allows():  # idle from now on: the busy second slides out of the window
        c.run(0.05, 0.0)
        ticks += 1
    assert b.denied > denied
    assert 10 <= ticks <= 20  # between half a window and a window
    assert b.used() <= 0.2


def test_no_history_means_no_limit_and_reset_forgets():
    c = FakeClocks()
    b = DrawBudget(share=0.1, window=1.0, clock=lambda: c.wall, cpu=lambda: c.cpu)
    c.run(0.01, 1.0)
    assert b.allows()  # a hundredth of a second says nothing yet
    for _ in range(10):
        c.run(0.1, 1.0)
        b.allows()
    assert not b.allows()
    b.reset()
    assert b.allows()


def test_measures_the_calling_threads_cpu_time():
    """By default the meter reads the CPU time of the thread that asks (the GUI thread): work
    on another thread does not count against it. (The wall clock is a fake one here, so that
    the outcome does not depend on how busy the machine is.)"""
    wall = [0.0]
    b = DrawBudget(share=0.5, window=0.1, clock=lambda: wall[0])
    b.used()

    def burn(seconds: float) -> None:  # this much CPU time of the calling thread
        end = time.thread_time() + seconds
        while time.thread_time() < end:
            pass

    burn(0.05)
    wall[0] += 0.05
    assert b.used() > 0.9  # all the wall time that passed, this thread was busy
    other = threading.Thread(target=burn, args=(0.2,))
    other.start()
    other.join()
    wall[0] += 0.25
    assert b.used() < 0.2  # another thread's work (0.8 of the time): this one was idle
