"""A sequential network, and its training step advanced one phase at a time.

One training step is the sequence of phases

    forward L0, forward L1, …, forward L_{n−1}, loss,
    backward L_{n−1}, …, backward L_f, update

where L_f is the first layer with parameters (nothing needs ∂E/∂x below it). A
:class:`TrainingStep` can stop between any two phases so a caller can read the trace so far;
running it phase by phase executes exactly the same code as running it at once, so the two
give bit-identical results.

Mode. A network is in training mode (the default) or evaluation mode, as a PyTorch module:
:meth:`Network.train` / :meth:`Network.eval` switch every layer, ``training`` says which.
Training steps and :meth:`Network.forward` run in the current mode — in training mode batch
norm uses the batch's statistics (and updates its running ones) and dropout draws a mask; in
evaluation mode batch norm uses its running statistics and dropout passes everything, so a
step in evaluation mode shows the backprop of a sample without changing the network.
:meth:`Network.infer` always evaluates in evaluation mode.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from . import parallel
from .activations import Activation
from .init import OUTPUT
from .layer import Layer, Shape, fmt_shape
from .losses import Loss
from .optim import Optimizer

PhaseKind = Literal["forward", "loss", "backward", "update"]


@dataclass(frozen=True)
class Phase:
    """One phase of a training step; ``layer`` indexes ``Network.layers`` (None: loss, update)."""

    kind: PhaseKind
    layer: int | None = None


@dataclass
class StepResult:
    loss: float
    correct: int  # samples of the batch whose argmax output is the label
    batch_size: int


class Network:
    """A sequence of layers built for ``input_shape``, with a loss.

    Parameters
    ----------
    layers : sequence of Layer
    input_shape : (C, H, W) or (F,), without the batch axis
    loss : Loss
    dtype : float32 for training, float64 for checks. Inputs are cast to it on entry; every
        output and gradient keeps it.
    seed : int — the same seed gives the same parameters bit for bit, and the same dropout
        masks step for step (each dropout layer draws from its own generator, seeded from
        the seed and the layer's position).
    input_grad : bool — also compute ∂E/∂x for the first layer (off for training speed).
    keep_trace : bool — keep every layer's trace after a training step (the default). When
        False, a step drops each layer's trace references as soon as backward no longer needs
        them, and the loss's once δ is passed on; the results are the same bit for bit.
    """

    def __init__(
        self,
        layers: Sequence[Layer],
        input_shape: Shape,
        loss: Loss,
        dtype: str | np.dtype = "float32",
        seed: int = 0,
        input_grad: bool = False,
        keep_trace: bool = True,
    ) -> None:
        self.layers = list(layers)
        self.loss = loss
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise ValueError(f"network dtype must be float32 or float64, got {self.dtype}")
        self.input_shape = tuple(int(s) for s in input_shape)
        self.seed = int(seed)
        self.input_grad = input_grad
        names = [layer.name for layer in self.layers]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise ValueError(f"layer names must be unique: {', '.join(sorted(dupes))}")
        rng = np.random.default_rng(self.seed)
        shape = self.input_shape
        for i, layer in enumerate(self.layers):
            shape = layer.build(shape, self.dtype, rng, self.init_role(i))
        self.output_shape = shape
        self.train()  # PyTorch's default: a new network is in training mode
        self.keep_trace = keep_trace
        self._seed_noise()
        if len(shape) != 1:
            raise ValueError(
                f"the last layer {self.layers[-1].name} gives {fmt_shape(shape)}; the loss "
                "needs a vector of class scores per sample (end with a dense layer)"
            )

    @property
    def keep_trace(self) -> bool:
        return self._keep_trace

    @keep_trace.setter
    def keep_trace(self, keep: bool) -> None:
        # Without a trace to keep, a step may write over the arrays of the step before: one
        # set of buffers per layer instead of two, half the memory.
        self._keep_trace = bool(keep)
        for layer in self.layers:
            layer.buffer_sets = 2 if keep else 1

    # ------------------------------------------------------------------ structure
    def activation_after(self, i: int) -> str | None:
        """The activation layer ``i`` feeds, looking through batch norm and dropout (the
        ``transparent`` layers); None when another kind of layer comes first."""
        for nxt in self.layers[i + 1 :]:
            if isinstance(nxt, Activation):
                return nxt.kind
            if not nxt.transparent:
                return None
        return None

    def init_role(self, i: int) -> str | None:
        """What layer ``i``'s default initialisation is suited to: the activation it feeds
        (:meth:`activation_after`), or :data:`~cnnviz.engine.init.OUTPUT` for the output layer
        (the last layer with weights, its scores going to the loss with no activation between),
        whose weights start small so the first loss is about ln K."""
        act = self.activation_after(i)
        weighted = [hasattr(layer, "init") for layer in self.layers]  # conv and dense
        if act is None and weighted[i] and not any(weighted[i + 1 :]):
            return OUTPUT
        return act

    def _seed_noise(self) -> None:
        for i, layer in enumerate(self.layers):
            if layer.stochastic:  # one stream per layer, apart from the parameters' stream
                layer.seed_noise(np.random.default_rng([self.seed, 1, i]))

    def noise_state(self) -> dict[str, dict]:
        """``{layer name: generator state}`` of every dropout layer (plain JSON: dicts, str
        and int), for resuming a run bit for bit."""
        return {
            layer.name: layer.rng.bit_generator.state for layer in self.layers if layer.stochastic
        }

    def load_noise_state(self, state: dict[str, dict]) -> None:
        """Put back what :meth:`noise_state` gave; a layer it does not name keeps its own."""
        for layer in self.layers:
            if layer.stochastic and layer.name in state:
                try:
                    layer.rng.bit_generator.state = state[layer.name]
                except (TypeError, ValueError, KeyError) as exc:
                    raise ValueError(f"noise state of {layer.name} is not valid: {exc}") from None

    # ------------------------------------------------------------------ mode
    def train(self, mode: bool = True) -> Network:
        """Training mode (``mode`` True) or evaluation mode for every layer; returns self."""
        self.training = bool(mode)
        for layer in self.layers:
            layer.training = self.training
        return self

    def eval(self) -> Network:
        """Evaluation mode: running statistics in batch norm, no dropout; returns self."""
        return self.train(False)

    @contextlib.contextmanager
    def evaluating(self) -> Iterator[Network]:
        """Evaluation mode inside the block, the mode before it after."""
        was = self.training
        self.eval()
        try:
            yield self
        finally:
            self.train(was)

    @contextlib.contextmanager
    def held_state(self) -> Iterator[Network]:
        """Passes inside the block leave the network's state as they found it: the state
        buffers (running statistics) and the dropout generators are put back on exit, and
        every dropout layer holds one mask — the one its first training pass in the block
        draws — for all the others (what a finite-difference check needs)."""
        buffers = [(b, b.copy()) for _, b in self.named_buffers()]
        noisy = [layer for layer in self.layers if layer.stochastic]
        generators = [layer.rng.bit_generator.state for layer in noisy]
        holding = [layer.holding for layer in noisy]
        for layer, (held, _) in zip(noisy, holding, strict=True):
            if not held:
                layer.hold_mask()
        try:
            yield self
        finally:
            for b, saved in buffers:
                np.copyto(b, saved)
            for layer, state, (held, mask) in zip(noisy, generators, holding, strict=True):
                layer.rng.bit_generator.state = state
                if held:
                    layer.hold_mask(mask)
                else:
                    layer.release_mask()

    def reinitialize(self, seed: int | None = None) -> None:
        """Draw fresh parameters (the same ones as a new network with this seed)."""
        if seed is not None:
            self.seed = int(seed)
        rng = np.random.default_rng(self.seed)
        for i, layer in enumerate(self.layers):
            if layer.params:
                layer.init_params(rng, self.init_role(i))
            layer.reset_state()
            for g in layer.grads.values():
                g[...] = 0
            layer.clear_trace()
            layer.release_buffers()
        self._seed_noise()

    def named_params(self) -> list[tuple[str, np.ndarray, np.ndarray]]:
        """``[("C1.weight", param, grad), …]`` in layer order."""
        return [
            (f"{layer.name}.{k}", p, layer.grads[k])
            for layer in self.layers
            for k, p in layer.params.items()
        ]

    def named_buffers(self) -> list[tuple[str, np.ndarray]]:
        """``[("C1.bn.running_mean", array), …]``: every layer's state buffers, in layer
        order, with PyTorch's names (batch norm's ``running_mean``, ``running_var``,
        ``num_batches_tracked``)."""
        return [
            (f"{layer.name}.{k}", b)
            for layer in self.layers
            for k, b in layer.state_buffers.items()
        ]

    def state_dict(self, buffers: bool = False) -> dict[str, np.ndarray]:
        """The parameters by key (references, not copies); with ``buffers``, the state
        buffers too (PyTorch's ``state_dict``)."""
        out = {k: p for k, p, _ in self.named_params()}
        if buffers:
            out.update(self.named_buffers())
        return out

    def load_state_dict(self, state: dict[str, np.ndarray]) -> None:
        """Copy parameters in, and the state buffers ``state`` holds (a buffer it leaves out
        keeps its value); every key and shape is checked before anything is written.

        Kernels of connections a conv's connection table leaves out are set to zero (a masked
        PyTorch conv, for one, keeps raw values there), so loading never connects maps the
        table keeps apart.
        """
        own = self.state_dict()
        buffers = {k: b for k, b in self.named_buffers() if k in state}
        missing = sorted(set(own) - set(state))
        extra = sorted(set(state) - set(own) - set(buffers))
        if missing or extra:
            raise ValueError(
                "parameters do not match the architecture"
                + (f"; missing {', '.join(missing)}" if missing else "")
                + (f"; unexpected {', '.join(extra)}" if extra else "")
            )
        for k, p in own.items():
            if state[k].shape != p.shape:
                raise ValueError(f"parameter {k}: expected shape {p.shape}, got {state[k].shape}")
        for k, b in buffers.items():
            if np.shape(state[k]) != b.shape:
                raise ValueError(f"buffer {k}: expected shape {b.shape}, got {np.shape(state[k])}")
        for k, p in own.items():
            p[...] = state[k]
        for k, b in buffers.items():
            b[...] = state[k]
        for layer in self.layers:
            mask = getattr(layer, "mask", None)
            if mask is not None:
                layer.params["weight"] *= mask[:, :, None, None]

    @property
    def num_params(self) -> int:
        return sum(layer.num_params for layer in self.layers)

    @property
    def first_trainable(self) -> int:
        for i, layer in enumerate(self.layers):
            if layer.params:
                return i
        return len(self.layers)

    def needs_dx(self, i: int) -> bool:
        """Whether backward through layer ``i`` must produce ∂E/∂x."""
        return self.input_grad or i > self.first_trainable

    def phases(self, update: bool = True) -> list[Phase]:
        n = len(self.layers)
        lowest = 0 if self.input_grad else min(self.first_trainable, n - 1)
        out = [Phase("forward", i) for i in range(n)]
        out.append(Phase("loss"))
        out += [Phase("backward", i) for i in range(n - 1, lowest - 1, -1)]
        if update:
            out.append(Phase("update"))
        return out

    def phase_label(self, phase: Phase) -> str:
        if phase.layer is None:
            return "loss" if phase.kind == "loss" else "update W ← W − η·∂E/∂W"
        return f"{phase.kind} {self.layers[phase.layer].name}"

    # ------------------------------------------------------------------ running
    def check_input(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        if x.ndim != len(self.input_shape) + 1 or x.shape[1:] != self.input_shape:
            raise ValueError(
                f"network input: expected (N, {fmt_shape(self.input_shape)}), got {tuple(x.shape)}"
            )
        x = x.astype(self.dtype, copy=False)
        if not np.isfinite(x).all():
            raise ValueError(f"network input {tuple(x.shape)} contains NaN or infinite values")
        return x

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Forward through every layer, recording the trace; returns the scores (N, K)."""
        x = self.check_input(x)
        with parallel.blas_held():
            for layer in self.layers:
                x = layer.forward(x)
        return x

    def infer(self, x: np.ndarray, batch_size: int = 512) -> np.ndarray:
        """Scores for ``x`` in chunks, in evaluation mode (running statistics, no dropout),
        leaving the trace of the last step and the mode as they were."""
        x = self.check_input(x)
        saved = [layer.save_trace() for layer in self.layers]
        try:
            outs = []
            with parallel.blas_held(), self.evaluating():
                for start in range(0, x.shape[0], batch_size):
                    h = x[start : start + batch_size]
                    for layer in self.layers:
                        h = layer.forward(h)
                    outs.append(h)
            return np.concatenate(outs) if outs else np.zeros((0, *self.output_shape), self.dtype)
        finally:
            for layer, s in zip(self.layers, saved, strict=True):
                layer.restore_trace(s)

    def begin_step(
        self, x: np.ndarray, labels: np.ndarray, optimizer: Optimizer | None = None
    ) -> TrainingStep:
        return TrainingStep(self, x, labels, optimizer)

    def train_step(
        self, x: np.ndarray, labels: np.ndarray, optimizer: Optimizer | None
    ) -> StepResult:
        """Forward, loss, backward and (with an optimiser) update, at once."""
        return self.begin_step(x, labels, optimizer).run()

    def clear_trace(self) -> None:
        for layer in self.layers:
            layer.clear_trace()

    def summary(self) -> list[tuple[str, str, Shape, int]]:
        """``[(name, description, output shape, parameter count), …]``."""
        return [
            (layer.name, layer.describe(), layer.out_shape, layer.num_params)
            for layer in self.layers
        ]


class TrainingStep:
    """One training step on a batch, advanced phase by phase.

    >>> step = net.begin_step(x, labels, optimizer)
    >>> while not step.done:
    ...     phase = step.advance()   # read net.layers[phase.layer].y, .dy, .grads … here
    """

    def __init__(
        self, net: Network, x: np.ndarray, labels: np.ndarray, optimizer: Optimizer | None
    ) -> None:
        self.net = net
        self.x = net.check_input(x)
        self.labels = np.asarray(labels)
        if self.labels.shape != (self.x.shape[0],):
            raise ValueError(
                f"expected {self.x.shape[0]} labels, got an array of shape {self.labels.shape}"
            )
        self.optimizer = optimizer
        self.phases = net.phases(update=optimizer is not None)
        self.position = 0
        self.loss: float | None = None
        self.correct: int | None = None

    @property
    def done(self) -> bool:
        return self.position >= len(self.phases)

    @property
    def next_phase(self) -> Phase | None:
        return None if self.done else self.phases[self.position]

    @property
    def last_phase(self) -> Phase | None:
        return self.phases[self.position - 1] if self.position else None

    def phase_label(self, phase: Phase) -> str:
        """As :meth:`Network.phase_label`, with the update rule of this step's optimiser."""
        if phase.kind == "update" and self.optimizer is not None and self.optimizer.rule:
            return self.optimizer.rule
        return self.net.phase_label(phase)

    def advance(self) -> Phase:
        """Run the next phase and return it."""
        if self.done:
            raise RuntimeError("the training step is complete")
        phase = self.phases[self.position]
        parallel.hold_blas()  # from the first phase to the last: see parallel.py
        try:
            self._run(phase)
        except BaseException:
            parallel.release_blas()
            raise
        self.position += 1
        if self.done:
            parallel.release_blas()
        return phase

    def _run(self, phase: Phase) -> None:
        net = self.net
        layers = net.layers
        if phase.kind == "forward":
            i = phase.layer
            layers[i].forward(self.x if i == 0 else layers[i - 1].y, reuse=True)
        elif phase.kind == "loss":
            scores = layers[-1].y
            self.loss = net.loss.forward(scores, self.labels)
            if not np.isfinite(self.loss):
                raise FloatingPointError(f"the loss is {self.loss}: training has diverged")
            self.correct = int(np.count_nonzero(scores.argmax(axis=1) == self.labels))
        elif phase.kind == "backward":
            i = phase.layer
            top = i == len(layers) - 1
            dy = net.loss.backward() if top else layers[i + 1].dx
            layers[i].backward(dy, need_dx=net.needs_dx(i), reuse=True)
            if not net.keep_trace:
                self._drop_trace(i)
        else:
            self.optimizer.step()

    def _drop_trace(self, i: int) -> None:
        """After backward through layer ``i``, forget what no later phase reads."""
        layers = self.net.layers
        if i == len(layers) - 1:
            self.net.loss.clear_trace()
        else:
            layers[i + 1].clear_trace()  # layer i has read its dx
        nxt = self.position + 1
        if nxt == len(self.phases) or self.phases[nxt].kind != "backward":  # the last one
            for layer in layers[: i + 1]:
                layer.clear_trace()

    def run(self) -> StepResult:
        """Run every remaining phase."""
        while not self.done:
            self.advance()
        return self.result()

    def result(self) -> StepResult:
        return StepResult(loss=self.loss, correct=self.correct, batch_size=self.x.shape[0])
