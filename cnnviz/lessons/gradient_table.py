"""The gradient check of the live network, for the app's gradient-check panel.

:func:`run_gradient_check` runs in the training process, as its ``gradient_check`` job
(:mod:`cnnviz.live.host`), beside the trainer it reads. It builds a
float64 copy of the trainer's network with the current weights, takes a few samples (of the
current batch, the test set, the noise ``cnnviz gradcheck`` uses, or given images) and runs
:func:`cnnviz.engine.gradient_check` on the copy: one relative error per parameter, the same
numbers as the ``cnnviz gradcheck`` table for the same network and input. For one chosen conv
filter it also compares every entry (C × kh × kw) of the analytic gradient with its central
difference, for the panel's heatmaps. The live network, its trace, its gradients and the
training are not touched: everything happens on the copy.

Pure NumPy (and the engine): no Qt here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from cnnviz.engine import Conv2D, Network, fmt_shape, gradient_check
from cnnviz.engine.gradcheck import central_difference, held_at_zero
from cnnviz.i18n import LESSONS, QT_TRANSLATE_NOOP, translate
from cnnviz.training.architectures import build_network

THRESHOLD = 1e-6  # float64, as ``cnnviz gradcheck`` (its THRESHOLDS["float64"])
# steps of the filter heatmap's central differences, in units of ε, tried in turn while an
# entry disagrees (see check_filter)
FILTER_STEPS = np.array([1.0, 10.0, 0.1, 100.0, 0.01])
# the per-entry relative error of a filter is taken against at least this fraction of the
# filter's largest |a| + |n| (see FilterCheck)
ENTRY_FLOOR = 1e-3
SOURCES = {  # marked for translation: shown through translate(LESSONS, …)
    "batch": QT_TRANSLATE_NOOP("lessons", "the current training batch"),
    "test": QT_TRANSLATE_NOOP("lessons", "the test set"),
    "noise": QT_TRANSLATE_NOOP("lessons", "standard normal noise (as cnnviz gradcheck)"),
    "given": QT_TRANSLATE_NOOP("lessons", "the given images"),
}


@dataclass(frozen=True)
class ParamCheck:
    """One row of the table: a parameter (or ``input``, ∂E/∂x) and its relative error."""

    key: str  # "C1.weight", …, "input"
    shape: tuple[int, ...]
    entries: int  # entries compared (a random sample of up to ``entries``)
    error: float  # ‖g_backprop − g_numeric‖ / (‖g_backprop‖ + ‖g_numeric‖)
    threshold: float = THRESHOLD
    recheck: float | None = None  # the error with a larger ε (only when some row failed)

    @property
    def ok(self) -> bool:
        return bool(self.error <= self.threshold)  # NaN fails

    @property
    def shape_text(self) -> str:
        return fmt_shape(self.shape)

    @property
    def round_off(self) -> bool:
        """Failed, but a larger ε brings the error under the threshold: the finite
        difference was drowned in round-off (a small gradient beside a large loss), not a
        wrong backward pass."""
        return not self.ok and self.recheck is not None and self.recheck <= self.threshold


@dataclass
class FilterCheck:
    """Every entry of one conv filter: backprop against central differences.

    ``analytic``, ``numeric`` and ``error`` are (C, kh, kw) float64. ``error`` is the
    relative error of each entry, ``|a − n| / max(|a| + |n|, floor)`` (0 where both are 0),
    NaN where a connection table holds the kernel at zero (not compared, as in the table).
    ``floor`` is :data:`ENTRY_FLOOR` times the filter's largest ``|a| + |n|``: a gradient a
    thousand times smaller than its neighbours has no relative precision left in a finite
    difference (the round-off of the loss, about 1e-14 absolute, is all there is), so it is
    measured against that instead of against itself.
    """

    layer: str  # "C1"
    index: int  # the filter (output map)
    filters: int  # how many filters the layer has
    analytic: np.ndarray
    numeric: np.ndarray
    error: np.ndarray
    held: np.ndarray  # (C, kh, kw) bool
    threshold: float = THRESHOLD
    floor: float = 0.0  # the smallest denominator of ``error``

    @property
    def key(self) -> str:
        return f"{self.layer}.weight"

    @property
    def checked(self) -> int:
        return int((~self.held).sum())

    @property
    def overall_error(self) -> float:
        """The norm-based relative error over the filter's compared entries (the table's
        formula)."""
        a, n = self.analytic[~self.held], self.numeric[~self.held]
        return float(np.linalg.norm(a - n) / max(np.linalg.norm(a) + np.linalg.norm(n), 1e-30))

    @property
    def max_error(self) -> float:
        e = self.error[~self.held]
        return float(np.max(e)) if e.size else 0.0

    @property
    def failed_entries(self) -> int:
        e = self.error[~self.held]
        return int(np.sum(~(e <= self.threshold)))


@dataclass
class GradCheckReport:
    """Everything the panel shows: what was checked, the per-parameter rows and one filter."""

    architecture: str
    step: int  # the trainer's step when checked
    source: str  # a key of SOURCES
    batch_size: int
    labels: np.ndarray  # (N,) the labels used
    seed: int
    entries: int  # entries sampled per parameter, at most
    rows: list[ParamCheck]
    filter: FilterCheck | None
    conv_layers: list[tuple[str, int, tuple[int, int, int]]]  # (name, filters, (C, kh, kw))
    filter_norms: dict[str, np.ndarray]  # conv layer -> ‖∂E/∂W‖ of each filter (0: dead)
    num_params: int
    seconds: float
    dtype: str = "float64"
    threshold: float = THRESHOLD
    recheck_eps: float | None = None  # the larger ε of ParamCheck.recheck, if it was run
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> dict[str, float]:
        return {r.key: r.error for r in self.rows}

    @property
    def worst(self) -> float:
        """The largest relative error (NaN if any is NaN, as the CLI)."""
        return float(np.max([r.error for r in self.rows])) if self.rows else float("nan")

    @property
    def ok(self) -> bool:
        return bool(self.rows) and all(r.ok for r in self.rows)

    def input_text(self) -> str:
        """What was checked, e.g. "4 samples of the current training batch"."""
        n = self.batch_size
        if self.source == "noise":
            if n == 1:
                return translate("lessons", "1 noise image (as cnnviz gradcheck)")
            return translate("lessons", "{n} noise images (as cnnviz gradcheck)").format(n=n)
        if self.source == "batch":
            if n == 1:
                return translate("lessons", "1 sample of the current training batch")
            return translate("lessons", "{n} samples of the current training batch").format(n=n)
        if self.source == "test":
            if n == 1:
                return translate("lessons", "1 sample of the test set")
            return translate("lessons", "{n} samples of the test set").format(n=n)
        if n == 1:
            return translate("lessons", "1 sample given")
        return translate("lessons", "{n} samples given").format(n=n)

    def summary(self) -> str:
        """One line, like the CLI's last one."""
        verdict = translate("lessons", "OK") if self.ok else translate("lessons", "FAIL")
        return translate(
            "lessons", "max rel. error {error} (threshold {threshold}): {verdict}"
        ).format(error=f"{self.worst:.2e}", threshold=f"{self.threshold:g}", verdict=verdict)


def conv_layers(net: Network) -> list[tuple[str, int, tuple[int, int, int]]]:
    """``[(name, filters, (C, kh, kw)), …]`` of the conv layers of ``net``."""
    return [
        (layer.name, int(layer.params["weight"].shape[0]), tuple(layer.params["weight"].shape[1:]))
        for layer in net.layers
        if isinstance(layer, Conv2D)
    ]


def float64_copy(trainer: Any) -> Network:
    """A float64 network of the trainer's architecture holding its current weights."""
    live = trainer.net
    net = build_network(
        trainer.architecture, live.input_shape, trainer.dataset.num_classes, "float64"
    )
    # copies (and casts) into the new arrays, batch norm's running statistics too
    net.load_state_dict(live.state_dict(buffers=True))
    return net


def check_input(
    trainer: Any, source: str, batch_size: int, seed: int, x=None, labels=None
) -> tuple[str, np.ndarray, np.ndarray]:
    """``(source, x, labels)`` for the check; ``batch`` falls back to ``test`` before the
    first step."""
    net, ds = trainer.net, trainer.dataset
    if x is not None:
        if labels is None:
            raise ValueError("images to check need their labels")
        x = np.asarray(x, dtype=np.float64)
        if x.shape == net.input_shape:
            x = x[None]
        labels = np.atleast_1d(np.asarray(labels, dtype=np.int64))
        return "given", x[:batch_size], labels[:batch_size]
    if source == "noise":  # exactly the input of ``cnnviz gradcheck --seed seed``
        rng = np.random.default_rng(seed)
        x = rng.standard_normal((batch_size, *net.input_shape))
        labels = rng.integers(0, net.output_shape[0], size=batch_size)
        return "noise", x, labels
    if source not in ("batch", "test"):
        raise ValueError(f"unknown input for the gradient check: {source!r}")
    idx = trainer.current_indices  # the batch just trained
    if source == "batch" and idx is not None and len(idx):
        idx = np.asarray(idx)[:batch_size]
        return "batch", np.asarray(ds.batch("train", idx)), np.asarray(ds.train_labels)[idx]
    n = min(batch_size, int(np.asarray(ds.test_labels).shape[0]))
    idx = np.arange(n)
    return "test", np.asarray(ds.batch("test", idx)), np.asarray(ds.test_labels)[idx]


def _loss_fn(net: Network, x: np.ndarray, labels: np.ndarray):
    def loss() -> float:
        net.forward(x)
        return net.loss.forward(net.layers[-1].y, labels)

    return loss


def check_filter(
    net: Network,
    x: np.ndarray,
    labels: np.ndarray,
    layer_name: str,
    index: int,
    eps: float = 1e-5,
    threshold: float = THRESHOLD,
) -> FilterCheck:
    """Backprop against central differences for every entry of filter ``index`` of conv
    layer ``layer_name`` of ``net`` (float64; its parameters are restored, its trace and
    gradients are not). An entry that disagrees is measured again and the closest estimate
    kept, as :func:`cnnviz.engine.gradient_check` does: with ε/10 and ε/100, since a step
    that crosses a ReLU kink or flips a max-pool's winner means nothing, and also with 10ε
    and 100ε, since a trained network's small gradients drown in the round-off of the loss
    at ε = 1e-5 (the difference of two nearly equal losses). A wrong backward pass still
    disagrees at every step."""
    layer = next((lyr for lyr in net.layers if lyr.name == layer_name), None)
    if not isinstance(layer, Conv2D):
        raise ValueError(f"{layer_name} is not a conv layer of this network")
    w = layer.params["weight"]
    if not 0 <= index < w.shape[0]:
        raise ValueError(f"{layer_name} has filters 0–{w.shape[0] - 1}, not {index}")
    with net.held_state():  # one dropout mask throughout; running statistics put back
        return _check_filter(net, net.check_input(x), labels, layer, index, eps, threshold)


def _check_filter(net, x, labels, layer, index, eps, threshold) -> FilterCheck:
    layer_name = layer.name
    w = layer.params["weight"]
    net.train_step(x, labels, optimizer=None)
    analytic = layer.grads["weight"][index].astype(np.float64)  # a copy
    key = f"{layer_name}.weight"
    held_all = held_at_zero(net).get(key)
    per = int(np.prod(w.shape[1:]))
    held = (
        held_all.reshape(w.shape)[index].copy()
        if held_all is not None
        else np.zeros(w.shape[1:], dtype=bool)
    )
    flat = w.reshape(-1)
    if not np.shares_memory(flat, w):
        raise RuntimeError(f"{key} is not contiguous")
    loss = _loss_fn(net, x, labels)
    a_flat = analytic.reshape(-1)
    numeric = np.zeros(per)
    for j in np.flatnonzero(~held.reshape(-1)):
        i = index * per + j
        best = None
        for step in FILTER_STEPS * eps:
            est = central_difference(flat, i, step, loss)
            if best is None or abs(est - a_flat[j]) < abs(best - a_flat[j]):
                best = est
            if abs(best - a_flat[j]) <= threshold * (abs(best) + abs(a_flat[j])):
                break
        numeric[j] = best
    numeric = numeric.reshape(analytic.shape)
    size = np.abs(analytic) + np.abs(numeric)
    floor = ENTRY_FLOOR * float(size.max()) if size.size else 0.0
    denom = np.maximum(size, floor)
    diff = np.abs(analytic - numeric)
    with np.errstate(divide="ignore", invalid="ignore"):
        error = np.where(denom > 0, diff / np.where(denom > 0, denom, 1.0), 0.0)
    error[held] = np.nan
    return FilterCheck(
        layer=layer_name,
        index=int(index),
        filters=int(w.shape[0]),
        analytic=analytic,
        numeric=numeric,
        error=error,
        held=held,
        threshold=threshold,
        floor=floor,
    )


def run_gradient_check(
    trainer: Any,
    batch_size: int = 4,
    entries: int = 24,
    seed: int = 0,
    *,
    source: str = "batch",
    layer: str | None = None,
    filter: int = 0,
    parameters: bool = True,
    x: np.ndarray | None = None,
    labels: np.ndarray | None = None,
    eps: float = 1e-5,
    recheck_eps: float | None = 1e-3,
) -> GradCheckReport:
    """Check backprop against central differences on a float64 copy of the trainer's network.

    Run where the trainer lives: the training process runs it as its ``gradient_check`` job.

    Parameters
    ----------
    trainer : the live :class:`~cnnviz.training.trainer.Trainer` (only read)
    batch_size : samples checked at once
    entries : entries sampled per parameter (``cnnviz gradcheck --entries``)
    seed : seed of the sampling of entries (and of the noise input)
    source : "batch" (the first samples of the current batch; the test set before the first
        step), "test" (the first test samples) or "noise" (``cnnviz gradcheck``'s input for
        ``--seed``); ignored when ``x`` is given
    layer, filter : the conv filter compared entry by entry (default: the first conv layer's
        filter 0; no filter when the network has no conv layer)
    parameters : False skips the per-parameter table (only the filter)
    x, labels : images (N, C, H, W) or (C, H, W), normalised, and their labels, to check on
        instead (e.g. a drawn digit)
    eps : the step of the central differences (``gradient_check``'s float64 default)
    recheck_eps : when a parameter fails, check every parameter again with this larger step
        (None: never); an error that then passes came from round-off, not from backprop
    """
    t0 = time.perf_counter()
    batch_size = max(1, int(batch_size))
    entries = max(1, int(entries))
    net = float64_copy(trainer)
    used, xb, lb = check_input(trainer, source, batch_size, int(seed), x, labels)
    xb = net.check_input(np.asarray(xb, dtype=np.float64)).copy()
    lb = np.asarray(lb, dtype=np.int64)
    notes = []
    if used != source and source != "given" and x is None:
        notes.append(
            translate("lessons", "no current batch yet: checked on {what}").format(
                what=translate(LESSONS, SOURCES[used])
            )
        )
    rows: list[ParamCheck] = []
    if parameters:
        errors = gradient_check(net, xb, lb, eps=eps, max_entries=entries, seed=int(seed))
        held = held_at_zero(net)
        shapes = {k: p.shape for k, p in net.state_dict().items()} | {"input": xb.shape}
        for key, err in errors.items():
            size = int(np.prod(shapes[key]))
            free = size - int(held[key].sum()) if key in held else size
            rows.append(ParamCheck(key, tuple(shapes[key]), min(entries, free), float(err)))
    if recheck_eps is not None and not all(r.ok for r in rows):
        again = gradient_check(net, xb, lb, eps=recheck_eps, max_entries=entries, seed=int(seed))
        rows = [replace(r, recheck=float(again[r.key])) for r in rows]
    else:
        recheck_eps = None
    convs = conv_layers(net)
    norms: dict[str, np.ndarray] = {}
    if convs:
        with net.held_state():
            net.train_step(xb, lb, optimizer=None)
        for lyr in net.layers:
            if isinstance(lyr, Conv2D):
                g = lyr.grads["weight"]
                norms[lyr.name] = np.linalg.norm(g.reshape(g.shape[0], -1), axis=1)
    fc = None
    if convs:
        names = [c[0] for c in convs]
        name = layer if layer in names else names[0]
        if layer is not None and layer not in names:
            notes.append(
                translate("lessons", "{layer} is not a conv layer here: showing {name}").format(
                    layer=layer, name=name
                )
            )
        filters = convs[names.index(name)][1]
        index = min(max(int(filter), 0), filters - 1)
        fc = check_filter(net, xb, lb, name, index, eps=eps)
    arch = trainer.architecture
    return GradCheckReport(
        architecture=str(arch.get("name", "custom")) if isinstance(arch, dict) else str(arch),
        step=int(trainer.step),
        source=used,
        batch_size=int(xb.shape[0]),
        labels=lb.copy(),
        seed=int(seed),
        entries=entries,
        rows=rows,
        filter=fc,
        conv_layers=convs,
        filter_norms=norms,
        num_params=int(net.num_params),
        seconds=time.perf_counter() - t0,
        recheck_eps=recheck_eps,
        notes=notes,
    )


def log_error(error: np.ndarray, floor: float = 1e-16) -> np.ndarray:
    """log10 of relative errors for a log colour scale: 0 (exact agreement) becomes
    log10(``floor``), NaN (not compared) stays NaN."""
    e = np.asarray(error, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log10(np.maximum(e, floor))
    out[np.isnan(e)] = np.nan
    return out
