"""Undo for a :class:`~cnnviz.live.session.Session`: a checkpoint of the trainer before each
of the last steps, and the commands that go back to one (undo a phase or a step, resume from
an earlier step).

Undo keeps a checkpoint of the trainer before each of the last :data:`UNDO_STEPS` steps, within
:data:`UNDO_BYTES` (the oldest go first; a network whose checkpoint alone exceeds
``UNDO_BYTES / 20`` keeps fewer). A LeNet-5 checkpoint is about 1 MB. Going back replays the
step before the checkpoint from its own checkpoint, so stepping again gives the same numbers
bit for bit.
"""

from __future__ import annotations

from typing import Any

import numpy as np

UNDO_STEPS = 50
UNDO_BYTES = 512 * 2**20


class UndoHistory:
    """The session's undo checkpoints and the command bodies that use them (worker thread).

    A mixin of :class:`~cnnviz.live.session.Session`: it reads the session's ``trainer``,
    ``evaluation``, ``running``, ``_phase_done`` and ``_metrics`` and calls its
    ``_set_running``.
    """

    _undo: list[tuple[dict[str, Any], Any]]  # (checkpoint, evaluation), oldest first
    _undo_bytes: int

    def _forget_undo(self) -> None:
        self._undo.clear()
        self._undo_bytes = 0

    def _push_undo(self) -> None:
        """Keep a checkpoint of the trainer before the step about to begin."""
        cp = self.trainer.checkpoint()
        cp["nbytes"] = _nbytes(cp)
        self._undo.append((cp, self.evaluation))
        self._undo_bytes += cp["nbytes"]
        while len(self._undo) > UNDO_STEPS or (
            self._undo_bytes > UNDO_BYTES and len(self._undo) > 1
        ):
            self._undo_bytes -= self._undo.pop(0)[0]["nbytes"]

    def _pop_undo(self) -> tuple[dict[str, Any], Any]:
        cp, evaluation = self._undo.pop()
        self._undo_bytes -= cp["nbytes"]
        return cp, evaluation

    @property
    def undo_depth(self) -> int:
        """Steps that undo can go back (the step under way counts as one)."""
        return len(self._undo)

    def _do_undo(self, mode: str) -> None:
        if self.running:
            self._set_running(False)
        tr = self.trainer
        if not self._undo:
            raise ValueError("nothing to undo: the oldest step kept is reached")
        phases = len(tr.net.phases())
        if tr.current is not None:
            target = tr.current.position - 1 if mode == "phase" else 0
        else:
            target = phases - 1 if mode == "phase" else 0
        cp, evaluation = self._pop_undo()
        with np.errstate(over="ignore", invalid="ignore"):
            if target > 0:  # inside the step: replay its first phases from before it
                tr.restore(cp)
                self.evaluation = evaluation
                self._push_undo()
                for _ in range(target):
                    self._phase_done = tr.step_phase()
            else:
                self._back_to(cp, evaluation)
        self._after_undo()

    def _back_to(self, cp: dict[str, Any], evaluation: Any) -> None:
        """Between steps at checkpoint ``cp``, with the traces of the step before it: that
        step is replayed from its own checkpoint when undo keeps one (bit for bit the same)."""
        tr = self.trainer
        self._phase_done = None
        if self._undo:
            before, before_eval = self._undo[-1]
            tr.restore(before)
            self.evaluation = before_eval
            tr.step_batch()
        else:
            tr.restore(cp)
            idx = tr.current_indices
            if idx is not None and tr.step > 0:  # the oldest kept: trace that batch again
                x = tr.dataset.batch("train", idx)
                tr.net.begin_step(x, tr.dataset.train_labels[idx], None).run()
        self.evaluation = evaluation

    def _after_undo(self) -> None:
        self.dirty = True
        self.sample_source, self._probe = "batch", None
        self._metrics.restart()  # the app's history is sent again, without the undone entries
        self._changed = True

    def _do_resume(self, step: int) -> None:
        if self.running:
            self._set_running(False)
        tr = self.trainer
        if step == tr.step and tr.current is None:
            return
        steps = self.resumable_steps()
        if step not in steps:
            oldest = f"step {steps[0]}" if steps else "this step"
            raise ValueError(
                f"step {step} is too far back to resume from exactly (the oldest kept is {oldest})"
            )
        while self._undo[-1][0]["counters"]["step"] != step:
            self._pop_undo()
        cp, evaluation = self._pop_undo()
        with np.errstate(over="ignore", invalid="ignore"):
            self._back_to(cp, evaluation)
        self._after_undo()

    def resumable_steps(self) -> list[int]:
        """The steps :meth:`resume_from` can go back to (worker thread, or no worker)."""
        return [cp["counters"]["step"] for cp, _ in self._undo]


def _nbytes(tree: Any) -> int:
    if isinstance(tree, np.ndarray):
        return tree.nbytes
    if isinstance(tree, dict):
        return sum(_nbytes(v) for v in tree.values())
    if isinstance(tree, (tuple, list)):
        return sum(_nbytes(v) for v in tree)
    return 0
