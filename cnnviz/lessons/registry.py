"""The lesson registry: one table from engine classes to what the lecture says about them.

Every layer kind, loss and optimiser of the engine has one *lesson*: its rules (forward and
backward equations, written with the live numbers of the entry under the cursor), its check
against the engine (each rule recomputes its value in float64 from the terms and reads the
same entry from the engine's trace), and its citation (:mod:`cnnviz.lessons.references`).
Lessons live in one module per kind — :mod:`~cnnviz.lessons.conv`,
:mod:`~cnnviz.lessons.pool` (max, mean, Lp, subsampling), :mod:`~cnnviz.lessons.dense`
(and flatten), :mod:`~cnnviz.lessons.activation`, :mod:`~cnnviz.lessons.loss`,
:mod:`~cnnviz.lessons.update` — and each registers itself here with :func:`lesson`.
:func:`cnnviz.lessons.explain.explain_phase` only looks a phase's layer up in
:data:`LESSONS`; the engine's layers carry no teaching text.

Adding a layer kind
-------------------
1. The engine layer, e.g. ``cnnviz/engine/norm.py`` with ``class BatchNorm(Layer)``.
2. Its lesson, ``cnnviz/lessons/norm.py``::

       from cnnviz.engine import BatchNorm
       from .explanation import explanation, fit, largest, map_name, need
       from .references import cite
       from .registry import LayerLesson, lesson

       NORM_FORWARD = cite(("textbook", N("batch normalisation: y = γ·x̂ + β")))

       @lesson(BatchNorm)
       class BatchNormLesson(LayerLesson):
           def forward(self, L, s, pos, engine):
               value = ...  # recomputed in float64 from L.x, L.params
               return explanation(NORM_FORWARD, title=..., formula=..., instance=...,
                                  terms=[...], value=value, engine_value=engine,
                                  position=pos, where=map_name(L, "output", L.out_shape, s))

           def input_grad(self, net, j, s, pos):      # ∂E/∂x at an input position: a Calc
               ...

           def param_grad(self, net, L, key, s, pos): # one Explanation per parameter
               ...

   Mark each text shown to the user for translation (``N(text)`` above stands for
   ``QT_TRANSLATE_NOOP("lessons", text)``, see :mod:`cnnviz.i18n`); build a text with numbers
   from a translated template: ``translate("lessons", "… {k} …").format(k=k)``.
   Give ``forward_rule``, ``backward_rules`` and ``sources`` (the rules without numbers,
   for :meth:`LayerLesson.summary`, e.g. a tooltip). Override only what the layer has: a
   layer without parameters needs no ``param_grad`` (a ``bias`` is explained by the base
   class), a layer that passes δ through unchanged
   sets ``passes_delta = True`` (as flatten does), and ``delta_below`` says what δ of an
   activation right below the layer looks like (Bouvrie's up(δ) below a pooling layer).
3. Add ``"norm"`` to :data:`LESSON_MODULES`.
4. Tests: the registry tests build every preset and check every rule of every phase
   against the engine, so a preset using the layer is covered; add one test of the rule's
   own words and numbers (see ``tests/test_explain.py``).

Pure NumPy: no Qt here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from cnnviz.engine import Layer, Network
from cnnviz.i18n import LESSONS as CONTEXT
from cnnviz.i18n import QT_TRANSLATE_NOOP, translate

from .explanation import (
    Calc,
    Explanation,
    NoLesson,
    batch_note,
    explanation,
    f64,
    fit,
    largest,
    map_name,
    of_sample,
    split_by_sample,
)
from .numbers import idx, num, shape_text
from .references import REFERENCES, Citation, cite

# the modules that register the built-in lessons (imported on the first look-up)
LESSON_MODULES = ("conv", "pool", "dense", "activation", "loss", "update", "batchnorm",
                  "dropout", "globalpool", "adaptive")  # fmt: skip

LESSONS: dict[type, Any] = {}  # engine class -> its lesson (an instance)

BIAS_CONV = cite(
    ("bouvrie", QT_TRANSLATE_NOOP("lessons", "§3.1.1: ∂E/∂bⱼ = Σᵤᵥ (δⱼˡ)ᵤᵥ")),
    (
        "han2017",
        QT_TRANSLATE_NOOP("lessons", "the bias gradient is the sum of the sensitivity map"),
    ),
)
BIAS_DENSE = cite(
    ("bouvrie", QT_TRANSLATE_NOOP("lessons", "§2.2: ∂E/∂b = δ, the sensitivity to a bias"))
)
ACTIVATION_BACK = cite(
    (
        "bouvrie",
        QT_TRANSLATE_NOOP("lessons", "§2.2 Backpropagation pass: δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ∘ f′(uˡ)"),
    ),
    ("chain-rule", QT_TRANSLATE_NOOP("lessons", "the hidden-layer sensitivity (Σ W·δ) × f′")),
)


def lesson(*classes: type) -> Callable[[type], type]:
    """Class decorator: register one instance of the decorated lesson for ``classes``."""

    def register(cls: type) -> type:
        instance = cls()
        for c in classes:
            if c in LESSONS and type(LESSONS[c]) is not cls:
                raise ValueError(f"{c.__name__} already has a lesson: {type(LESSONS[c])}")
            LESSONS[c] = instance
        return cls

    return register


_loaded = False


def load_lessons() -> dict[type, Any]:
    """Import the built-in lesson modules (once) and return :data:`LESSONS`."""
    global _loaded
    if not _loaded:
        for name in LESSON_MODULES:
            importlib.import_module(f"{__package__}.{name}")
        _loaded = True
    return LESSONS


def lesson_for(thing: Any) -> Any:
    """The lesson of a layer, loss or optimiser (or its class): the one registered for the
    nearest class in its MRO. Raises :class:`NoLesson`."""
    load_lessons()
    cls = thing if isinstance(thing, type) else type(thing)
    for c in cls.__mro__:
        if c in LESSONS:
            return LESSONS[c]
    what = getattr(thing, "kind", cls.__name__)
    raise NoLesson(f"no explanation for a {what} layer")


def applies_fprime(layer: Layer) -> bool:
    """Whether ``layer``'s backward phase is the multiplication by f′(u) (an activation)."""
    try:
        return bool(lesson_for(layer).applies_fprime)
    except NoLesson:
        return False


@dataclass(frozen=True)
class Below:
    """The rule of δ of an activation right below a layer: δ = (what this layer sends down)
    ∘ f′(u). ``title`` and ``formula`` name it, ``note`` says how the two phases split it."""

    title: str
    formula: str
    source: Citation
    note: str = ""


@dataclass(frozen=True)
class Summary:
    """A layer's rules without numbers, e.g. for a tooltip on its header: the forward
    equation, the backward ones (∂E/∂x first, then each parameter's), the shapes and the
    works they come from."""

    forward: str
    backward: tuple[str, ...]
    shapes: str
    sources: tuple[Citation, ...]

    def text(self) -> str:
        """The summary as plain lines: shapes, forward, backward, the works (short names)."""
        shorts = (translate(CONTEXT, REFERENCES[k].short) for c in self.sources for k in c.keys)
        cites = "; ".join(dict.fromkeys(shorts))
        lines = [self.shapes, translate("lessons", "forward: {rule}").format(rule=self.forward)]
        lines += [translate("lessons", "backward: {rule}").format(rule=b) for b in self.backward]
        return "\n".join([*lines, translate("lessons", "source: {works}").format(works=cites)])


GENERIC_BELOW = Below(
    QT_TRANSLATE_NOOP("lessons", "Back through an activation: δ = ∂E/∂a ∘ f′(u)"),
    "δ = ∂E/∂a ∘ f′(u)",
    ACTIVATION_BACK,
)


def incoming(net: Network, i: int, s: int, pos) -> Calc:
    """∂E/∂y of layer ``i`` at ``pos``, recomputed from the layer above (or the loss)."""
    if i == len(net.layers) - 1:
        return lesson_for(net.loss).output_grad(net, s, pos)
    return lesson_for(net.layers[i + 1]).input_grad(net, i + 1, s, pos)


class LayerLesson:
    """What a layer kind teaches. Override what the layer has (see the module notes).

    ``forward`` explains the layer's output at ``pos``; ``input_grad`` recomputes ∂E/∂x at an
    input position from the layer's δ (``dy``) — the layers below build on it;
    ``param_grad`` explains ∂E/∂(parameter ``key``); ``backward`` puts the backward phase
    together (∂E/∂x and every parameter gradient, the position choosing the main one).
    """

    passes_delta = False  # δ goes through unchanged (flatten): rules come from the layer above
    applies_fprime = False  # the backward phase multiplies by f′(u) (an activation)
    # the rules without numbers (for :meth:`summary`): override these three
    forward_rule = ""
    backward_rules: tuple[str, ...] = ()
    sources: tuple[Citation, ...] = ()

    def summary(self, layer: Layer) -> Summary:
        """The layer's rules without numbers, with its shapes (see :class:`Summary`)."""
        if not self.forward_rule:
            raise NoLesson(f"no summary for a {layer.kind} layer")
        shapes = f"{layer.name}: {shape_text(layer.in_shape or ())} → "
        shapes += shape_text(layer.out_shape or ())
        forward = translate("lessons", self.forward_rule)  # a rule with words is marked
        backward = tuple(translate("lessons", b) for b in self.backward_rules)
        return Summary(forward, backward, shapes, self.sources)

    def forward(self, L: Layer, s: int, pos: tuple[int, ...], engine: float) -> Explanation:
        raise NoLesson(f"no explanation for a forward {L.kind} layer")

    def input_grad(self, net: Network, j: int, s: int, pos) -> Calc:
        raise NoLesson(f"no explanation for the backward of a {net.layers[j].kind} layer")

    def input_grad_text(self, net: Network, i: int, calc: Calc) -> tuple[str, str, str]:
        """``(title, formula, note)`` of the ∂E/∂x rule of layer ``i`` (default: the calc's)."""
        return calc.title, calc.formula, ""

    def delta_below(self, layer: Layer) -> Below:
        return GENERIC_BELOW

    def param_grad(self, net: Network, L: Layer, key: str, s: int, position) -> Explanation:
        if key == "bias":
            return bias_grad(L, s, position)
        raise NoLesson(f"no explanation for the gradient of {L.name}.{key}")

    def backward(self, net: Network, i: int, s: int, position) -> Explanation:
        L = net.layers[i]
        rules: list[Explanation] = []
        grads = [k for k in L.params if k != "bias"]
        has_dx = L.dx is not None
        want_param = bool(grads) and (
            not has_dx
            or (
                position is not None
                and len(tuple(position)) == L.params[grads[0]].ndim
                and len(tuple(position)) != L.dx.ndim - 1
            )
        )
        if has_dx:
            rules.append(self._dx_explanation(net, i, s, None if want_param else position))
        for key in grads:
            rules.append(self.param_grad(net, L, key, s, position if key == grads[0] else None))
        if "bias" in L.params:
            rules.append(self.param_grad(net, L, "bias", s, None))
        if not rules:
            raise ValueError(f"layer {L.name}: nothing was computed in its backward phase")
        main = rules[1 if has_dx else 0] if want_param else rules[0]
        main.also = [r for r in rules if r is not main]
        return main

    def _dx_explanation(self, net: Network, i: int, s: int, position) -> Explanation:
        L = net.layers[i]
        dx = L.dx[s]
        pos = fit(position, dx.shape) or largest(dx)
        calc = self.input_grad(net, i, s, pos)
        title, formula, note = self.input_grad_text(net, i, calc)
        return explanation(
            calc.source or ACTIVATION_BACK,
            title=title,
            formula=formula,
            instance=f"∂E/∂x{idx(pos)} = {calc.text}",
            terms=calc.terms,
            value=calc.value,
            engine_value=float(dx[pos]),
            position=pos,
            where=map_name(L, translate("lessons", "∂E/∂x (input gradient)"), L.in_shape, s),
            note=note,
            scale=calc.scale,
        )


def bias_grad(L: Layer, s: int, position) -> Explanation:
    """∂E/∂b = Σ δ over the map (a conv layer) and the batch: any layer with a bias."""
    grad = L.grads["bias"]
    pos = fit(position, grad.shape) or largest(grad)
    d = f64(L.dy)
    n = d.shape[0]
    (o,) = pos
    dd = d[:, o] if d.ndim > 2 else d[:, o : o + 1]
    per = dd.reshape(n, -1).sum(axis=1)
    this = float(per[s])
    others = float(per.sum()) - this
    value = this + others
    count = int(np.prod(dd.shape[1:])) if dd.ndim > 1 else 1
    what = (
        translate("lessons", "the {count} entries of δ[{o}]").format(count=count, o=o)
        if count > 1
        else f"δ[{o}]"
    )
    return explanation(
        BIAS_CONV if count > 1 else BIAS_DENSE,
        title=translate("lessons", "The bias gradient: the sum of δ"),
        formula="∂E/∂b[o] = Σₙ Σᵢⱼ δₙ[o, i, j]" if count > 1 else "∂E/∂b = Σₙ δₙ",
        instance=f"∂E/∂b[{o}] = "
        + split_by_sample(s, f"Σ {what} = {num(this)}", n - 1, num(others))
        + f" = {num(value)}",
        terms=[
            (of_sample(f"Σ {what}", s), this),
            (translate("lessons", "the other {k} samples").format(k=n - 1), others),
        ],
        value=value,
        engine_value=float(grad[pos]),
        position=pos,
        where=translate("lessons", "∂E/∂b of {layer} ({shape})").format(
            layer=L.name, shape=shape_text(grad.shape)
        ),
        note=batch_note(n),
        scale=float(np.abs(dd).sum()),
    )


class LossLesson:
    """What a loss teaches: ``explain`` (the loss phase: the output sensitivity, with E in
    ``also``) and ``output_grad`` (∂E/∂y at one output, for the rules below to build on)."""

    def explain(self, net: Network, s: int, position) -> Explanation:
        raise NoLesson(f"no explanation for the loss {net.loss.kind}")

    def output_grad(self, net: Network, s: int, pos) -> Calc:
        raise NoLesson(f"no explanation for the loss {net.loss.kind}")


class UpdateLesson:
    """What an optimiser teaches: ``explain`` the update phase (see
    :func:`cnnviz.lessons.explain.explain_phase` for the arguments)."""

    def explain(self, net, position, lr, optimizer, before, layer) -> Explanation:
        raise NoLesson(f"no explanation for the optimiser {type(optimizer).__name__}")
