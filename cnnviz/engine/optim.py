"""Optimisers outside the layers: SGD (with momentum, Nesterov momentum and weight decay),
Adam, AdamW, RMSProp and AdaGrad.

Every optimiser is built the same way, ``Kind(net.named_params(), lr, …, weight_decay)``,
updates the parameters in place in :meth:`~Optimizer.step`, and follows PyTorch's update
formulas and defaults exactly (``torch.optim.SGD``, ``Adam``, ``AdamW``, ``RMSprop``,
``Adagrad``), so runs can be compared step for step. With g = ∂E/∂W:

SGD            g ← g + λW;  v ← μ v + g;  W ← W − η v
SGD, Nesterov  g ← g + λW;  v ← μ v + g;  W ← W − η (g + μ v)        (Sutskever et al. 2013)
Adam           g ← g + λW;  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  t ← t + 1
               m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ);  W ← W − η m̂/(√v̂ + ε)     (Kingma & Ba 2015)
AdamW          W ← W(1 − ηλ), then Adam without λ in g (decoupled; Loshchilov & Hutter 2019)
RMSProp        g ← g + λW;  s ← α s + (1−α) g²;  W ← W − η g/(√s + ε)   (Tieleman & Hinton
               2012; with momentum μ: b ← μ b + g/(√s + ε), W ← W − η b; centered: √(s − ḡ²))
AdaGrad        g ← g + λW;  S ← S + g²;  W ← W − η_t g/(√S + ε),  η_t = η/(1 + (t−1)·decay)
               (Duchi et al. 2011)

State. The per-parameter state arrays have PyTorch's names (``momentum_buffer``,
``exp_avg``, ``exp_avg_sq``, ``max_exp_avg_sq``, ``square_avg``, ``grad_avg``, ``sum``);
:meth:`~Optimizer.state_dict` gives them as plain arrays keyed ``"<param>.<slot>"`` plus the
step count ``"step"`` (an int), and :meth:`~Optimizer.load_state_dict` reads that back. SGD is
the exception that keeps the layout of version-1 model files: ``{"<param>": velocity}``.

For the app, :meth:`~Optimizer.last_step` gives the quantities of the last step of one
parameter (Adam's m̂, v̂ and step, …) and :meth:`~Optimizer.update` the change ΔW it made.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

import numpy as np

Params = Iterable[tuple[str, np.ndarray, np.ndarray]]


class Optimizer:
    """Shared bookkeeping: the named parameters, state slots, scratch arrays and checks.

    Parameters
    ----------
    params : iterable of (key, param, grad)
        ``key`` names the parameter (``"C1.weight"``); ``param`` is updated in place from
        ``grad``, both arrays of the same shape.
    lr, weight_decay : float
    """

    kind: ClassVar[str] = "optimizer"
    rule: ClassVar[str] = ""  # the update rule, one line, for the update phase's label
    options: ClassVar[tuple[str, ...]] = ("lr", "weight_decay")  # the hyperparameters

    def __init__(self, params: Params, lr: float, weight_decay: float = 0.0) -> None:
        self.params = list(params)
        self.lr = _check(lr, "lr")
        self.weight_decay = _check(weight_decay, "weight_decay")
        self.last_lr = self.lr
        self.t = 0  # steps taken
        self.state: dict[str, dict[str, np.ndarray]] = {k: {} for k, _, _ in self.params}
        self._scratch: dict[tuple[str, str], np.ndarray] = {}

    @property
    def slots(self) -> tuple[str, ...]:
        """The names of the per-parameter state arrays."""
        return ()

    _fill = 0.0  # the value every state array starts at

    def _init_state(self) -> None:
        for key, p, _ in self.params:
            self.state[key] = {s: np.full_like(p, self._fill) for s in self.slots}

    def scratch(self, key: str, name: str, like: np.ndarray) -> np.ndarray:
        """A work array for parameter ``key``, kept from step to step (no allocation)."""
        a = self._scratch.get((key, name))
        if a is None:
            a = self._scratch[(key, name)] = np.empty_like(like)
        return a

    def decayed_grad(self, key: str, p: np.ndarray, g: np.ndarray) -> np.ndarray:
        """g + λW (PyTorch's L2 weight decay), or g itself without decay."""
        if not self.weight_decay:
            return g
        gd = np.multiply(p, p.dtype.type(self.weight_decay), out=self.scratch(key, "g", p))
        gd += g
        return gd

    def step(self) -> None:
        raise NotImplementedError

    def update(self, key: str) -> np.ndarray:
        """ΔW of the last step for parameter ``key`` (zeros before the first): minus the
        ``step`` scratch array, which holds what the step subtracted."""
        s = self._scratch.get((key, "step"))
        if s is None or not self.t:
            return np.zeros_like(next(p for k, p, _ in self.params if k == key))
        return -s

    def last_step(self, key: str) -> dict[str, Any]:
        """The quantities of the last step for parameter ``key``: its state arrays, the
        derived ones the rule uses, the learning rate and ``update`` = ΔW."""
        out: dict[str, Any] = {"lr": self.last_lr, "t": self.t}
        out.update(self.state[key])
        out["update"] = self.update(key)
        return out

    def hyperparameters(self) -> dict[str, Any]:
        """The constructor arguments but the parameters, as plain JSON-able values."""
        out = {k: getattr(self, k) for k in self.options}
        return {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}

    def config(self) -> dict[str, Any]:
        """``{"kind": …, hyperparameters…}``: what :func:`make_optimizer` builds it from."""
        return {"kind": self.kind} | self.hyperparameters()

    # ------------------------------------------------------------------ state
    def state_dict(self) -> dict[str, np.ndarray | int]:
        """``{"step": t, "<param>.<slot>": array, …}``: references to the live arrays (copy
        them to keep a snapshot)."""
        out: dict[str, np.ndarray | int] = {"step": int(self.t)}
        for key, slots in self.state.items():
            for slot, a in slots.items():
                out[f"{key}.{slot}"] = a
        return out

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Copy a :meth:`state_dict` in; every key and shape is checked before anything is
        written."""
        expected = {f"{k}.{s}": a for k, slots in self.state.items() for s, a in slots.items()}
        missing = sorted(set(expected) - set(state))
        extra = sorted(set(state) - set(expected) - {"step"})
        if missing or extra:
            raise ValueError(
                f"{self.kind} state does not match the parameters"
                + (f"; missing {', '.join(missing)}" if missing else "")
                + (f"; unexpected {', '.join(extra)}" if extra else "")
            )
        _check_shapes(expected, state, self.kind)
        step = int(np.asarray(state.get("step", 0)))
        if step < 0:
            raise ValueError(f"{self.kind} state: step must be ≥ 0, got {step}")
        for k, a in expected.items():
            a[...] = state[k]
        self.t = step

    def backup(self, into: dict[str, Any] | None = None) -> dict[str, Any]:
        """A copy of the state (arrays and step count), written into the arrays of an earlier
        backup ``into`` when given, so a guarded step allocates nothing; see :meth:`restore`."""
        out = into if into is not None else {}
        for key, slots in self.state.items():
            for slot, a in slots.items():
                k = f"{key}.{slot}"
                if k in out:
                    np.copyto(out[k], a)
                else:
                    out[k] = a.copy()
        out["step"] = self.t
        return out

    def restore(self, saved: dict[str, Any]) -> None:
        """Put a :meth:`backup` back (undo a step that diverged)."""
        for key, slots in self.state.items():
            for slot, a in slots.items():
                np.copyto(a, saved[f"{key}.{slot}"])
        self.t = int(saved["step"])

    def reset(self) -> None:
        """Forget the state, as a new optimiser: moments back to their start, step 0. The
        arrays are written in place (references to them stay valid)."""
        for slots in self.state.values():
            for a in slots.values():
                a[...] = self._fill
        self.t = 0


def _check(value: float, name: str, upper: float | None = None) -> float:
    v = float(value)
    if not (np.isfinite(v) and v >= 0) or (upper is not None and not v < upper):
        bound = f" and below {upper:g}" if upper is not None else ""
        raise ValueError(f"optimiser {name} must be a number ≥ 0{bound}, got {value}")
    return v


def _check_shapes(expected: dict[str, np.ndarray], state: dict[str, Any], what: str) -> None:
    for k, a in expected.items():
        got = np.shape(state[k])
        if got != a.shape:
            raise ValueError(f"{what} state {k}: expected shape {a.shape}, got {got}")


class SGD(Optimizer):
    """SGD with momentum μ, Nesterov momentum and L2 weight decay λ.

    Parameters
    ----------
    params : iterable of (key, param, grad)
    lr, momentum, weight_decay : float
    nesterov : bool — W ← W − η (g + μ v) instead of W − η v (needs μ > 0)

    ``velocity`` maps each key to its momentum buffer v (PyTorch's ``momentum_buffer``).

    Notes
    -----
    PyTorch's convention: g ← ∂E/∂W + λW, v ← μv + g, W ← W − ηv. The update applied,
    ΔW = −ηv (−η(g + μv) with Nesterov), is derivable and not stored (:meth:`update`).
    """

    kind = "sgd"
    options = ("lr", "momentum", "weight_decay", "nesterov")

    def __init__(
        self,
        params: Params,
        lr: float = 0.01,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        self.momentum = _check(momentum, "momentum")
        self.nesterov = bool(nesterov)
        if self.nesterov and not self.momentum:
            raise ValueError("Nesterov momentum needs a momentum above 0")
        self._init_state()
        self.velocity = {k: s["momentum_buffer"] for k, s in self.state.items()}

    @property
    def slots(self) -> tuple[str, ...]:
        return ("momentum_buffer",)

    @property
    def rule(self) -> str:  # type: ignore[override]
        if self.nesterov:
            return "update W ← W − η·(g + μ·v), v ← μ·v + g"
        return "update W ← W − η·v, v ← μ·v + g" if self.momentum else "update W ← W − η·∂E/∂W"

    def step(self) -> None:
        for key, p, g in self.params:
            t = p.dtype.type
            v = self.velocity[key]
            scratch = self.scratch(key, "step", p)
            if self.nesterov:
                gd = self.decayed_grad(key, p, g)
                v *= t(self.momentum)
                v += gd
                np.multiply(v, t(self.momentum), out=scratch)  # g + μ v
                scratch += gd
                p -= np.multiply(scratch, t(self.lr), out=scratch)
                continue
            if self.momentum:
                v *= t(self.momentum)
                v += g
            else:
                v[...] = g
            if self.weight_decay:
                v += np.multiply(p, t(self.weight_decay), out=scratch)  # λ W
            p -= np.multiply(v, t(self.lr), out=scratch)  # η v
        self.t += 1
        self.last_lr = self.lr

    def update(self, key: str) -> np.ndarray:
        """ΔW of the last step for parameter ``key``: −η v (−η (g + μ v) with Nesterov)."""
        if self.nesterov:
            return super().update(key)
        v = self.velocity[key]
        return -v.dtype.type(self.last_lr) * v

    def last_step(self, key: str) -> dict[str, Any]:
        out = super().last_step(key)
        out["velocity"] = self.velocity[key]
        return out

    def state_dict(self) -> dict[str, np.ndarray]:
        """``{"<param>": velocity}`` (the layout of version-1 model files)."""
        return {k: v for k, v in self.velocity.items()}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Velocities keyed by parameter; the ``"<param>.momentum_buffer"`` keys of the other
        optimisers' layout are read too."""
        state = {k.removesuffix(".momentum_buffer"): v for k, v in state.items() if k != "step"}
        for k in self.velocity:
            if k not in state:
                raise ValueError(f"optimiser state lacks {k}")
        _check_shapes(self.velocity, state, "optimiser")
        for k, v in self.velocity.items():
            v[...] = state[k]


class Adam(Optimizer):
    """Adam (``torch.optim.Adam``): bias-corrected moment estimates m̂, v̂.

    Parameters
    ----------
    params : iterable of (key, param, grad)
    lr : float, default 1e-3
    betas : (β₁, β₂), default (0.9, 0.999)
    eps : float, default 1e-8 — added to √v̂
    weight_decay : float, default 0 — L2 decay added to the gradient (AdamW decouples it)
    amsgrad : bool — divide by the running maximum of v instead of v (Reddi et al. 2018)

    Notes
    -----
    m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ),
    W ← W − η m̂/(√v̂ + ε), computed as PyTorch does: W − (η/(1−β₁ᵗ)) m/(√v/√(1−β₂ᵗ) + ε).
    """

    kind = "adam"
    options = ("lr", "betas", "eps", "weight_decay", "amsgrad")
    rule = "update W ← W − η·m̂/(√v̂ + ε)"
    decoupled = False

    def __init__(
        self,
        params: Params,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        b1, b2 = betas
        self.betas = (_check(b1, "beta1", 1.0), _check(b2, "beta2", 1.0))
        self.eps = _check(eps, "eps")
        self.amsgrad = bool(amsgrad)
        self._init_state()

    @property
    def slots(self) -> tuple[str, ...]:
        return ("exp_avg", "exp_avg_sq") + (("max_exp_avg_sq",) if self.amsgrad else ())

    def step(self) -> None:
        b1, b2 = self.betas
        lr, wd = self.lr, self.weight_decay
        self.t += 1
        bc1 = 1 - b1**self.t
        bc2_sqrt = (1 - b2**self.t) ** 0.5
        step_size = lr / bc1
        for key, p, g in self.params:
            t = p.dtype.type
            s = self.state[key]
            m, v = s["exp_avg"], s["exp_avg_sq"]
            if self.decoupled:
                if wd:
                    p *= t(1 - lr * wd)
                gd = g
            else:
                gd = self.decayed_grad(key, p, g)
            tmp = self.scratch(key, "step", p)
            np.subtract(gd, m, out=tmp)  # m ← m + (1−β₁)(g − m), torch's lerp
            tmp *= t(1 - b1)
            m += tmp
            v *= t(b2)  # v ← β₂ v + (1−β₂) g²
            np.multiply(gd, gd, out=tmp)
            tmp *= t(1 - b2)
            v += tmp
            if self.amsgrad:
                v = np.maximum(s["max_exp_avg_sq"], v, out=s["max_exp_avg_sq"])
            np.sqrt(v, out=tmp)  # √v/√(1−β₂ᵗ) + ε = √v̂ + ε
            tmp /= t(bc2_sqrt)
            tmp += t(self.eps)
            np.divide(m, tmp, out=tmp)
            tmp *= t(step_size)  # η m̂/(√v̂ + ε)
            p -= tmp
        self.last_lr = lr

    def update(self, key: str) -> np.ndarray:
        """ΔW = −η m̂/(√v̂ + ε) of the last step (AdamW: also −ηλW of the weight before it)."""
        delta = super().update(key)
        if self.decoupled and self.weight_decay and self.t:
            p = next(p for k, p, _ in self.params if k == key)
            shrink = self.last_lr * self.weight_decay
            delta -= shrink * (p - delta) / (1 - shrink)  # −ηλ W_before
        return delta

    def last_step(self, key: str) -> dict[str, Any]:
        """Adds ``m_hat`` m̂, ``v_hat`` v̂ and ``step`` η m̂/(√v̂ + ε) of the last step."""
        out = super().last_step(key)
        t = max(self.t, 1)
        b1, b2 = self.betas
        s = self.state[key]
        v = s["max_exp_avg_sq"] if self.amsgrad else s["exp_avg_sq"]
        out["m_hat"] = s["exp_avg"] / (1 - b1**t)
        out["v_hat"] = v / (1 - b2**t)
        out["step"] = self.last_lr * out["m_hat"] / (np.sqrt(out["v_hat"]) + self.eps)
        return out


class AdamW(Adam):
    """Adam with decoupled weight decay (``torch.optim.AdamW``, default λ = 0.01): the weight
    shrinks by ηλ before the Adam step, instead of λW joining the gradient.

    Notes
    -----
    W ← W (1 − ηλ);  W ← W − η m̂/(√v̂ + ε) with m, v from g = ∂E/∂W alone.
    """

    kind = "adamw"
    rule = "update W ← W(1 − ηλ) − η·m̂/(√v̂ + ε)"
    decoupled = True

    def __init__(
        self,
        params: Params,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad)


class RMSProp(Optimizer):
    """RMSProp (``torch.optim.RMSprop``): divide by a running root mean square of g.

    Parameters
    ----------
    params : iterable of (key, param, grad)
    lr : float, default 1e-2
    alpha : float, default 0.99 — the decay of the mean square s
    eps : float, default 1e-8 — added to √s
    weight_decay : float, default 0
    momentum : float, default 0 — with μ > 0: b ← μb + g/(√s + ε), W ← W − ηb
    centered : bool — divide by √(s − ḡ²), ḡ the running mean of g

    Notes
    -----
    s ← αs + (1−α)g²;  W ← W − η g/(√s + ε).
    """

    kind = "rmsprop"
    options = ("lr", "alpha", "eps", "weight_decay", "momentum", "centered")
    rule = "update W ← W − η·g/(√s + ε), s ← α·s + (1 − α)·g²"

    def __init__(
        self,
        params: Params,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        self.alpha = _check(alpha, "alpha")
        self.eps = _check(eps, "eps")
        self.momentum = _check(momentum, "momentum")
        self.centered = bool(centered)
        self._init_state()

    @property
    def slots(self) -> tuple[str, ...]:
        return (
            ("square_avg",)
            + (("momentum_buffer",) if self.momentum > 0 else ())
            + (("grad_avg",) if self.centered else ())
        )

    def step(self) -> None:
        a, lr = self.alpha, self.lr
        self.t += 1
        for key, p, g in self.params:
            t = p.dtype.type
            s = self.state[key]
            gd = self.decayed_grad(key, p, g)
            sq = s["square_avg"]
            tmp = self.scratch(key, "step", p)
            sq *= t(a)  # s ← α s + (1−α) g²
            np.multiply(gd, gd, out=tmp)
            tmp *= t(1 - a)
            sq += tmp
            if self.centered:  # ḡ ← ḡ + (1−α)(g − ḡ); denominator √(s − ḡ²) + ε
                ga = s["grad_avg"]
                np.subtract(gd, ga, out=tmp)
                tmp *= t(1 - a)
                ga += tmp
                np.multiply(ga, ga, out=tmp)
                np.subtract(sq, tmp, out=tmp)
                np.sqrt(tmp, out=tmp)
            else:
                np.sqrt(sq, out=tmp)
            tmp += t(self.eps)
            np.divide(gd, tmp, out=tmp)  # g/(√s + ε)
            if self.momentum > 0:
                buf = s["momentum_buffer"]
                buf *= t(self.momentum)
                buf += tmp
                np.multiply(buf, t(lr), out=tmp)
            else:
                tmp *= t(lr)
            p -= tmp
        self.last_lr = lr

    def last_step(self, key: str) -> dict[str, Any]:
        """Adds ``rms`` √s + ε (√(s − ḡ²) + ε when centered), the divisor of the last step."""
        out = super().last_step(key)
        s = self.state[key]
        ms = s["square_avg"] - s["grad_avg"] ** 2 if self.centered else s["square_avg"]
        out["rms"] = np.sqrt(ms) + self.eps
        return out


class AdaGrad(Optimizer):
    """AdaGrad (``torch.optim.Adagrad``): divide by the root of the sum of every g² so far.

    Parameters
    ----------
    params : iterable of (key, param, grad)
    lr : float, default 1e-2
    lr_decay : float, default 0 — η_t = η/(1 + (t−1)·lr_decay)
    weight_decay : float, default 0
    initial_accumulator_value : float, default 0 — S at the start
    eps : float, default 1e-10 — added to √S

    Notes
    -----
    S ← S + g²;  W ← W − η_t g/(√S + ε).
    """

    kind = "adagrad"
    options = ("lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps")
    rule = "update W ← W − η·g/(√S + ε), S ← S + g²"

    def __init__(
        self,
        params: Params,
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        self.lr_decay = _check(lr_decay, "lr_decay")
        self.initial_accumulator_value = _check(
            initial_accumulator_value, "initial_accumulator_value"
        )
        self.eps = _check(eps, "eps")
        self._fill = self.initial_accumulator_value
        self._init_state()
        self.last_clr = self.lr

    @property
    def slots(self) -> tuple[str, ...]:
        return ("sum",)

    def step(self) -> None:
        self.t += 1
        clr = self.lr / (1 + (self.t - 1) * self.lr_decay)
        for key, p, g in self.params:
            t = p.dtype.type
            total = self.state[key]["sum"]
            gd = self.decayed_grad(key, p, g)
            tmp = self.scratch(key, "step", p)
            np.multiply(gd, gd, out=tmp)  # S ← S + g²
            total += tmp
            np.sqrt(total, out=tmp)
            tmp += t(self.eps)
            np.divide(gd, tmp, out=tmp)
            tmp *= t(clr)  # η_t g/(√S + ε)
            p -= tmp
        self.last_lr = self.lr
        self.last_clr = clr

    def last_step(self, key: str) -> dict[str, Any]:
        """Adds ``clr`` η_t and ``rms`` √S + ε of the last step."""
        out = super().last_step(key)
        out["clr"] = self.last_clr
        out["rms"] = np.sqrt(self.state[key]["sum"]) + self.eps
        return out


OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.kind: cls for cls in (SGD, Adam, AdamW, RMSProp, AdaGrad)
}
OPTIMIZER_NAMES = ("sgd", "nesterov", "adam", "adamw", "rmsprop", "adagrad")


def make_optimizer(name: str, params: Params, **hyperparameters: Any) -> Optimizer:
    """Build an optimiser by name (:data:`OPTIMIZER_NAMES`; ``"nesterov"`` is SGD with
    ``nesterov=True`` and momentum 0.9 unless given). ``config()`` of an optimiser, its
    ``kind`` and hyperparameters, builds it again: ``make_optimizer(cfg.pop("kind"), params,
    **cfg)``."""
    if name == "nesterov":
        hyperparameters = {"momentum": 0.9} | hyperparameters | {"nesterov": True}
        name = "sgd"
    cls = OPTIMIZERS.get(name)
    if cls is None:
        raise ValueError(f"unknown optimiser {name!r}; choose one of {', '.join(OPTIMIZER_NAMES)}")
    if "betas" in hyperparameters:
        hyperparameters["betas"] = tuple(hyperparameters["betas"])
    try:
        return cls(params, **hyperparameters)
    except TypeError as exc:  # an option this optimiser does not have
        raise ValueError(f"optimiser {name}: {exc}") from None
