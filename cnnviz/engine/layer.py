"""The layer protocol every engine layer follows, and its trace.

A layer is built once for an input shape (without the batch axis) and then run forward and
backward on batches. Forward keeps references to what backward needs anyway (no copies), and
those references *are* the trace the app shows:

================  =====================================================================
``x``             the input of the last forward pass, ``(N, *in_shape)``
``y``             the output (for a conv, dense or subsampling layer: the net input *u*
                  of the activation that follows), ``(N, *out_shape)``
``dy``            ∂E/∂y, the sensitivity of the output; for the layer feeding an
                  activation this is δ = ∂E/∂net, ``(N, *out_shape)``
``dx``            ∂E/∂x, ``(N, *in_shape)``, or ``None`` where nothing needs it (the first
                  layer of a network)
``params``        ``{"weight": ..., "bias": ..., "beta": ...}`` as the layer has them
``grads``         the same keys: ∂E/∂param of the last backward pass
================  =====================================================================

Mode and state. ``training`` says which mode the layer runs in (set by
:meth:`Network.train <cnnviz.engine.network.Network.train>` / ``eval``): batch norm uses
batch statistics and dropout drops in training mode, running statistics and nothing in
evaluation mode; every other layer ignores it. ``state_buffers`` holds what a layer keeps
besides its parameters and is saved with them (PyTorch's *buffers*: batch norm's
``running_mean``, ``running_var`` and ``num_batches_tracked``); no gradient reaches it.

Subclasses implement ``_build``, ``_forward`` and ``_backward``; the public ``forward`` and
``backward`` here validate shapes and dtypes and record the trace, so every layer reports bad
input the same way: a ``ValueError`` naming the layer and the shapes.

Buffers. Inside a training step (``reuse=True``, as :class:`~cnnviz.engine.network.TrainingStep`
runs the layers) a layer takes its outputs and scratch arrays from :meth:`Layer.buffer` instead
of allocating them. Trace arrays come from two sets used in turn, step by step: the arrays of a
step are new objects, the trace of the previous step stays intact while the next one runs, and
the step after that writes into the arrays of the one before — so steady training allocates
nothing. A network that keeps no trace gives its layers one set (``buffer_sets = 1``).
Outside a step (``Network.forward``, ``Network.infer``) every call allocates fresh arrays, so
nothing there can overwrite the trace of the last step.

Memory layout. Trace arrays have the shapes above but need not be C-contiguous: a conv layer
keeps its maps batch-innermost, (N, C, H, W) views of (C, H, W, N) memory, and the layers
after it lay their outputs out like their inputs (see :mod:`cnnviz.engine.conv`). Use
``np.ascontiguousarray`` where contiguous memory is needed (e.g. to hand a map to Qt).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

if TYPE_CHECKING:
    from .init import Init

Shape = tuple[int, ...]


def memory_order(a: np.ndarray) -> tuple[int, ...] | None:
    """The axes of ``a`` from outermost to innermost in memory (ties keep the axis order);
    None for a C-contiguous array."""
    if a.flags.c_contiguous:
        return None
    strides = a.strides
    return tuple(sorted(range(a.ndim), key=lambda i: -abs(strides[i])))


def flat(a: np.ndarray) -> np.ndarray | None:
    """``a`` as one contiguous 1-D view, in its memory order (a view: writing it writes
    ``a``), or None when ``a`` has gaps. Elementwise work on it runs NumPy's plain SIMD
    loops instead of the strided ones a permuted layout gets (three times faster for ReLU on
    batch-innermost maps)."""
    order = memory_order(a)
    t = a if order is None else a.transpose(order)
    if not t.flags.c_contiguous:
        return None
    return t.reshape(-1)


def fmt_shape(shape: Shape) -> str:
    """``(6, 28, 28)`` -> ``'6×28×28'``."""
    return "×".join(str(int(s)) for s in shape)


class Layer:
    """Base class of every layer: shape checks, the trace, and the parameter dictionaries."""

    kind: ClassVar[str] = "layer"
    # Layers the initialiser looks through when it finds the activation a layer feeds
    # (conv → batch norm → ReLU is initialised for the ReLU).
    transparent: ClassVar[bool] = False
    # Layers that draw random numbers (dropout): the network gives each its own generator.
    stochastic: ClassVar[bool] = False
    # The initialisation chosen by name (conv and dense layers take one); None: the default,
    # whose weights are multiplied by ``gain`` (the network sets it on its output layer).
    init: Init | None = None
    gain: float = 1.0
    takes_init: ClassVar[bool] = False  # conv and dense layers

    def __init__(self, name: str | None = None) -> None:
        self.name = name or self.kind
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.state_buffers: dict[str, np.ndarray] = {}
        self.training = True
        self.in_shape: Shape | None = None
        self.out_shape: Shape | None = None
        self.dtype: np.dtype | None = None
        self.x: np.ndarray | None = None
        self.y: np.ndarray | None = None
        self.dy: np.ndarray | None = None
        self.dx: np.ndarray | None = None
        self._reuse = False  # the current pass may hand out reused buffers
        self._slot = 0  # which set of trace buffers this step writes
        self.buffer_sets = 2  # 1: a step overwrites the trace of the step before
        self._buffers: dict[tuple, tuple] = {}  # key -> (order, array)

    # ---------------------------------------------------------------- building
    def build(
        self,
        in_shape: Shape,
        dtype: Any,
        rng: np.random.Generator | None = None,
        activation: str | None = None,
    ) -> Shape:
        """Check ``in_shape`` (no batch axis), create parameters, return the output shape.

        Parameters are drawn from ``rng`` (seed 0 when None) for the ``activation`` that
        follows the layer (see :mod:`cnnviz.engine.init`).
        """
        self.in_shape = tuple(int(s) for s in in_shape)
        self.dtype = np.dtype(dtype)
        self.params = {}
        self.state_buffers = {}
        self._buffers = {}
        self.out_shape = tuple(int(s) for s in self._build(self.in_shape))
        if self.params:
            self.init_params(rng if rng is not None else np.random.default_rng(0), activation)
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        return self.out_shape

    def _build(self, in_shape: Shape) -> Shape:
        """Validate ``in_shape``, allocate ``self.params`` (zeros), return the output shape."""
        return in_shape

    def init_params(self, rng: np.random.Generator, activation: str | None) -> None:
        """(Re)draw the parameters for the activation that follows; layers without any: no-op."""

    def reset_state(self) -> None:
        """Set ``state_buffers`` back to their values when built; layers without any: no-op."""

    def seed_noise(self, rng: np.random.Generator) -> None:
        """Take ``rng`` for the random numbers of training passes (``stochastic`` layers)."""

    def error(self, message: str) -> ValueError:
        return ValueError(f"layer {self.name} ({self.kind}): {message}")

    # ---------------------------------------------------------------- running
    def forward(self, x: np.ndarray, reuse: bool = False) -> np.ndarray:
        """Run the layer on a batch ``x`` of shape ``(N, *in_shape)`` and record the trace.

        ``reuse``: take outputs from the layer's buffers (a training step; see the module
        docstring) rather than allocating them.
        """
        if self.in_shape is None:
            raise self.error("used before it was built")
        if x.ndim != len(self.in_shape) + 1 or x.shape[1:] != self.in_shape:
            raise self.error(
                f"expected input (N, {fmt_shape(self.in_shape)}), got {tuple(x.shape)}"
            )
        if x.dtype != self.dtype:
            raise self.error(f"expected dtype {self.dtype}, got {x.dtype}")
        self.x = x
        self.dy = self.dx = None
        self._reuse = reuse
        if reuse:
            self._slot = (self._slot + 1) % self.buffer_sets
        self.y = self._forward(x)
        return self.y

    def backward(
        self, dy: np.ndarray, need_dx: bool = True, reuse: bool = False
    ) -> np.ndarray | None:
        """Given ∂E/∂y, fill ``grads`` and return ∂E/∂x (``None`` when ``need_dx`` is false).

        ``reuse`` as for :meth:`forward`: the buffers of the step whose forward pass ran last.
        """
        if self.y is None:
            raise self.error("backward called before forward")
        if dy.shape != self.y.shape:
            raise self.error(
                f"expected output gradient {tuple(self.y.shape)}, got {tuple(dy.shape)}"
            )
        self.dy = dy
        self._reuse = reuse
        self.dx = self._backward(dy, need_dx)
        return self.dx

    def buffer(
        self,
        key: str,
        shape: Shape,
        dtype: Any = None,
        zero: bool = False,
        trace: bool = True,
        order: tuple[int, ...] | None = None,
    ) -> np.ndarray:
        """An array of ``shape`` for this pass: uninitialised, or zeros when ``zero``.

        ``order`` lays the axes out in memory from outermost to innermost (C order when None;
        ``memory_order(x)`` gives an array laid out like ``x``).

        Inside a training step the memory is kept and handed out again, per ``key``, whenever
        shape, dtype and order match: for a ``trace`` array (one the trace keeps, or that
        backward reads) two steps later, for a scratch array (``trace=False``) on the next
        call. A ``zero`` array is zeroed only when it is created, so regions a caller never
        writes stay zero from step to step. Outside a step every call allocates.
        """
        dtype = self.dtype if dtype is None else np.dtype(dtype)
        shape = tuple(shape)
        if order is not None:
            if order == tuple(range(len(order))):  # C order
                order = None
            else:
                shape = tuple(shape[a] for a in order)
        if not self._reuse:
            base = np.zeros(shape, dtype) if zero else np.empty(shape, dtype)
        else:
            k = (key, self._slot) if trace else key
            kept = self._buffers.get(k)
            if kept is None or (kept[0], kept[1].shape, kept[1].dtype) != (order, shape, dtype):
                base = np.zeros(shape, dtype) if zero else np.empty(shape, dtype)
                self._buffers[k] = (order, base)
            else:
                base = kept[1]
        if order is None:
            return base
        return base.transpose(sorted(range(len(order)), key=order.__getitem__))  # to shape

    def release_buffers(self) -> None:
        """Forget every kept buffer (they are allocated again on demand)."""
        self._buffers.clear()

    def _forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _backward(self, dy: np.ndarray, need_dx: bool) -> np.ndarray | None:
        raise NotImplementedError

    # Attributes that make up the trace: references kept from the last forward/backward pass.
    trace_attrs: ClassVar[tuple[str, ...]] = ("x", "y", "dy", "dx")

    def clear_trace(self) -> None:
        """Drop every reference kept from the last step."""
        for a in self.trace_attrs:
            setattr(self, a, None)

    def save_trace(self) -> tuple:
        """The trace references (no copies), for :meth:`restore_trace`."""
        return tuple(getattr(self, a, None) for a in self.trace_attrs)

    def restore_trace(self, saved: tuple) -> None:
        for a, v in zip(self.trace_attrs, saved, strict=True):
            setattr(self, a, v)

    # ---------------------------------------------------------------- description
    @property
    def num_params(self) -> int:
        return int(sum(p.size for p in self.params.values()))

    def config(self) -> dict[str, Any]:
        """The constructor arguments, as plain JSON-able values (used by model files)."""
        return {"type": self.kind, "name": self.name}

    def describe(self) -> str:
        """A short label such as ``conv 6@5×5``."""
        return self.kind

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"
