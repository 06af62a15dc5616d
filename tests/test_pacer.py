"""The frame pacer: what the window draws at each frame tick (no Qt)."""

from __future__ import annotations

from cnnviz.app.budget import DrawBudget
from cnnviz.app.pacer import (
    FAST_FRAME_S,
    LOWER,
    SIDE,
    TOP,
    FramePacer,
    draws_in_pieces,
)
from cnnviz.live.session import FULL_SPEED, SPEEDS


class FakePainter:
    """Records what it is asked to draw; ``queue`` holds the snapshots the process sent."""

    def __init__(self) -> None:
        self.queue: list[str] = []
        self.calls: list[tuple] = []
        self.plots_due = False

    def take_snapshot(self):
        return self.queue.pop(0) if self.queue else None

    def draw_whole(self, snapshot) -> None:
        self.calls.append(("whole", snapshot))

    def accept_snapshot(self, snapshot) -> None:
        self.calls.append(("accept", snapshot))

    def draw_part(self, part: str, snapshot) -> None:
        self.calls.append((part, snapshot))

    def frame_started(self, snapshot) -> None:
        self.calls.append(("rendered", snapshot))

    def set_piecewise(self, on: bool) -> None:
        self.calls.append(("piecewise", on))

    def piece_due(self) -> bool:
        return self.plots_due

    def draw_piece(self) -> None:
        self.calls.append(("plots",))

    def take_calls(self) -> list[tuple]:
        calls, self.calls = self.calls, []
        return calls


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def pacer_with(share: float = 1.0):
    painter, clock = FakePainter(), Clock()
    cpu = [0.0]
    budget = DrawBudget(share=share, clock=clock, cpu=lambda: cpu[0])
    return FramePacer(painter, budget=budget, clock=clock), painter, clock, cpu


def test_full_speed_and_the_fastest_batch_rate_draw_in_pieces_lecture_speeds_whole():
    assert draws_in_pieces(FULL_SPEED)
    pieces = [label for i, (label, _, _) in enumerate(SPEEDS) if draws_in_pieces(i)]
    assert pieces == ["20 batches/s", "full speed"]


def test_paused_or_slow_every_new_snapshot_is_drawn_whole_at_once():
    pacer, painter, _, _ = pacer_with()
    pacer.tick(fast=False)
    assert painter.take_calls() == []  # nothing new: nothing drawn
    painter.queue = ["s1"]
    pacer.tick(fast=False)
    assert painter.take_calls() == [("whole", "s1")]


def test_at_full_speed_every_part_of_a_frame_comes_from_the_same_snapshot():
    pacer, painter, clock, _ = pacer_with()
    painter.queue = ["s1", "s2"]
    pacer.tick(fast=True)
    assert painter.take_calls() == [
        ("piecewise", True), ("accept", "s1"), (TOP, "s1"), ("rendered", "s1"),
    ]  # fmt: skip
    pacer.tick(fast=True)  # the side and lower panels of the same frame, at the next tick
    assert painter.take_calls() == [(SIDE, "s1"), (LOWER, "s1")]
    pacer.tick(fast=True)  # too soon for the next snapshot
    assert painter.take_calls() == [] and painter.queue == ["s2"]
    clock.t += FAST_FRAME_S + 1e-6
    pacer.tick(fast=True)
    pacer.tick(fast=True)
    assert painter.take_calls() == [
        ("accept", "s2"), (TOP, "s2"), ("rendered", "s2"), (SIDE, "s2"), (LOWER, "s2"),
    ]  # fmt: skip


def test_a_plot_panel_due_gets_a_tick_of_its_own():
    pacer, painter, clock, _ = pacer_with()
    painter.plots_due = True
    painter.queue = ["s1"]
    pacer.tick(fast=True)
    assert painter.take_calls() == [("piecewise", True), ("plots",)]
    painter.plots_due = False
    pacer.tick(fast=True)
    assert (TOP, "s1") in painter.take_calls()


def test_nothing_is_drawn_beyond_the_budget():
    pacer, painter, clock, cpu = pacer_with(share=0.5)
    painter.queue = ["s1"]
    pacer.tick(fast=True)
    assert (TOP, "s1") in painter.take_calls()
    for _ in range(20):  # the GUI thread busy all the time
        clock.t += 0.1
        cpu[0] += 0.1
        painter.queue.append("s")
        pacer.tick(fast=True)
    calls = painter.take_calls()
    assert len(calls) < 6 and pacer.budget.denied >= 15  # a frame at most


def test_a_command_shows_its_effect_at_the_next_tick():
    pacer, painter, clock, _ = pacer_with()
    painter.queue = ["s1", "s2"]
    for _ in range(3):
        pacer.tick(fast=True)
    painter.take_calls()
    pacer.tick(fast=True)
    assert painter.take_calls() == []  # within FAST_FRAME_S of s1
    pacer.poke()
    pacer.tick(fast=True)
    assert ("accept", "s2") in painter.take_calls()


def test_slowing_down_draws_the_snapshot_drawn_in_pieces_whole():
    pacer, painter, _, _ = pacer_with()
    painter.queue = ["s1"]
    pacer.tick(fast=True)  # only the top of s1 is drawn
    painter.take_calls()
    pacer.tick(fast=False)
    assert painter.take_calls() == [("piecewise", False), ("whole", "s1")]
    pacer.tick(fast=False)
    assert painter.take_calls() == []  # and only once
    assert pacer.pending == []
