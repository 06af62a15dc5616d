"""What a lesson returns: :class:`Explanation` (a rule applied at one position, with the
engine's value beside the recomputed one) and :class:`Calc` (a value recomputed from named
terms, for rules that build on another), plus the small helpers every lesson uses.

Positions follow the engine's layouts: ``(channel, row, col)`` in a map of the selected sample,
``(out, in, kh, kw)`` in a conv weight, ``(out, in)`` in a dense weight, ``(k,)`` in a vector.
When no position (or one that does not fit) is given, the entry of largest magnitude is taken
(:func:`fit` then :func:`largest`), so the example is never a dull zero.

Pure NumPy: no Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cnnviz.engine import Layer, Network
from cnnviz.i18n import LESSONS, translate

from .numbers import num, par, shape_text
from .references import Citation

MAX_SHOWN = 9  # products listed one by one; the rest are summed into one term


@dataclass
class Explanation:
    """The rule of one phase, applied at one position.

    ``value`` is computed here from ``terms`` (in float64); ``engine_value`` is the same entry
    read from the engine's trace. ``scale`` is the sum of the magnitudes of what was added to
    get ``value``: rounding in the engine's dtype is relative to it, not to the (possibly much
    smaller) result. ``also`` holds the other rules the same phase applies (a conv backward
    phase computes ∂E/∂x, ∂E/∂W and ∂E/∂b). ``cite`` is the text of the works the rule comes
    from and ``refs`` their keys in :data:`cnnviz.lessons.references.REFERENCES`.
    """

    title: str
    formula: str
    instance: str
    terms: list[tuple[str, float]]
    value: float
    engine_value: float
    position: tuple[int, ...]
    cite: str
    refs: tuple[str, ...] = ()
    phase: str = ""  # the phase label, e.g. "backward C3"
    where: str = ""  # what the position indexes, e.g. "δ of C3 (16×10×10), sample 5"
    note: str = ""  # what the rule leaves implicit (batch means, split phases, …)
    scale: float = 0.0
    dtype: str = "float64"
    also: list[Explanation] = field(default_factory=list)

    @property
    def difference(self) -> float:
        return abs(self.value - self.engine_value)

    def tolerance(self, rtol: float | None = None) -> float:
        """How far ``value`` and ``engine_value`` may differ from rounding alone."""
        eps = float(np.finfo(np.dtype(self.dtype)).eps)
        if rtol is None:
            rtol = 8 * eps
        return rtol * abs(self.engine_value) + 4 * eps * max(self.scale, abs(self.value))

    @property
    def agrees(self) -> bool:
        return self.difference <= self.tolerance()

    def all(self) -> list[Explanation]:
        """This explanation and every one in ``also``."""
        return [self, *self.also]


def explanation(source: Citation, **fields) -> Explanation:
    """An :class:`Explanation` citing ``source`` (its text and its keys), its ``title``,
    ``formula``, ``note`` and citation in the current language (:func:`cnnviz.i18n.translate`:
    a text marked ``QT_TRANSLATE_NOOP("lessons", …)`` is translated here; one already
    translated, or built from numbers, is left as it is)."""
    for key in ("title", "formula", "note"):
        if fields.get(key):
            fields[key] = translate(LESSONS, fields[key])
    return Explanation(cite=source.shown(), refs=source.keys, **fields)


@dataclass
class Calc:
    """A value computed from named terms, with the text that shows how."""

    value: float
    terms: list[tuple[str, float]]
    text: str  # e.g. "Σⱼ W[j, 3]·δ[j] = 0.1·0.2 + … = 0.0132"
    scale: float
    title: str = ""
    formula: str = ""
    source: Citation | None = None
    name: str = ""  # short name of the quantity, e.g. "(Wᵀδ)[3]"


class NoLesson(ValueError):
    """No lesson explains this layer, loss or optimiser (or this part of it)."""


# ---------------------------------------------------------------------- helpers
def f64(a) -> np.ndarray:
    return np.asarray(a, dtype=np.float64)


def fit(position, shape) -> tuple[int, ...] | None:
    """``position`` as a tuple of ints when it indexes an array of ``shape``, else None."""
    if position is None:
        return None
    try:
        pos = tuple(int(p) for p in position)
    except (TypeError, ValueError):
        return None
    if len(pos) != len(shape) or any(not 0 <= p < s for p, s in zip(pos, shape, strict=True)):
        return None
    return pos


def largest(a: np.ndarray) -> tuple[int, ...]:
    """Position of the entry of largest magnitude (the first such)."""
    a = np.asarray(a)
    return tuple(int(i) for i in np.unravel_index(int(np.argmax(np.abs(a))), a.shape))


def sum_of_products(
    names: list[str], left: np.ndarray, right: np.ndarray, extra: list[tuple[str, float]] = ()
) -> tuple[float, list[tuple[str, float]], str, float]:
    """Σ left·right (+ extra addends) in float64.

    Returns ``(value, terms, text, scale)``: the terms list every product when there are at most
    MAX_SHOWN of them, else the MAX_SHOWN largest and one term for the rest; ``text`` shows the
    sum inline (all products when few, the three largest and a count when many).
    """
    left, right = f64(left).ravel(), f64(right).ravel()
    prods = left * right
    n = prods.size
    total = float(prods.sum())
    value = total + sum(v for _, v in extra)
    scale = float(np.abs(prods).sum()) + sum(abs(v) for _, v in extra)
    nonzero = int(np.count_nonzero(prods))
    if n <= MAX_SHOWN:
        shown = list(range(n))
    else:  # the largest, leaving out zeros (δ is often 0 where a max-pool did not route)
        order = np.argsort(-np.abs(prods), kind="stable")[: max(min(MAX_SHOWN, nonzero), 1)]
        shown = sorted(order.tolist())
    terms = [(f"{names[i]} = {par(left[i])}·{par(right[i])}", float(prods[i])) for i in shown]
    if n > len(shown):
        rest = total - float(prods[shown].sum())
        k = n - len(shown)
        other = (
            translate("lessons", "the other product")
            if k == 1
            else translate("lessons", "the other {k} products").format(k=k)
        )
        if not np.count_nonzero(np.delete(prods, shown)):
            other += translate("lessons", " (all 0)")
        terms.append((other, rest))
    terms += list(extra)
    if n == 0:
        inline = translate("lessons", "0 (no products)")
    elif n <= MAX_SHOWN:
        inline = " + ".join(f"{par(left[i])}·{par(right[i])}" for i in range(n))
    else:
        top = sorted(np.argsort(-np.abs(prods), kind="stable")[: min(3, max(nonzero, 1))].tolist())
        count = translate("lessons", "{n} products").format(n=n) + (
            translate("lessons", ", {nonzero} not 0").format(nonzero=nonzero) if nonzero < n else ""
        )
        inline = (
            " + ".join(f"{par(left[i])}·{par(right[i])}" for i in top)
            + f" + … ({count}, Σ = {num(total)})"
        )
    for name, v in extra:
        inline += f" + {name} {par(v)}"
    return value, terms, inline, scale


def sample_of(net: Network, sample: int) -> int:
    first = net.layers[0]
    if first.x is None:
        raise ValueError(
            translate("lessons", "nothing has been run yet: there is no trace to explain")
        )
    return min(max(int(sample), 0), first.x.shape[0] - 1)


def need(layer: Layer, *attrs: str) -> None:
    for a in attrs:
        if getattr(layer, a, None) is None:
            raise ValueError(
                translate(
                    "lessons", "layer {layer}: {what} has not been computed in this step"
                ).format(layer=layer.name, what=a)
            )


def map_name(layer: Layer, what: str, shape, s: int) -> str:
    """``what`` (translated) of ``layer`` with its shape and the sample, e.g. "net input u of
    C1 (6×28×28), sample 5"."""
    return translate("lessons", "{what} of {layer} ({shape}), sample {sample}").format(
        what=translate(LESSONS, what), layer=layer.name, shape=shape_text(shape), sample=s + 1
    )


def split_by_sample(s: int, part: str, k: int, rest: str) -> str:
    """ "(sample s: part) + (the other k samples: rest)", translated: a gradient summed over
    the batch, the selected sample's share first."""
    return translate("lessons", "(sample {s}: {part}) + (the other {k} samples: {rest})").format(
        s=s + 1, part=part, k=k, rest=rest
    )


def of_sample(text: str, s: int) -> str:
    """``text`` marked as sample ``s``'s (counted from 1 as shown), e.g. "δ[3] (sample 5)"."""
    return translate("lessons", "{what} (sample {s})").format(what=text, s=s + 1)


def phase_text(label: str) -> str:
    """A phase label of the engine ("forward C1", "backward F6.relu", "loss", "update W ← …")
    in the current language: the kind translated, the layer name and the rule as they are.
    For the app too (a snapshot's ``last_phase`` is such a label)."""
    kind, _, rest = label.partition(" ")
    if label == "loss":
        return translate("lessons", "loss")
    if kind == "forward" and rest:
        return translate("lessons", "forward {layer}").format(layer=rest)
    if kind == "backward" and rest:
        return translate("lessons", "backward {layer}").format(layer=rest)
    if kind == "update" and rest:
        return translate("lessons", "update {rule}").format(rule=rest)
    return label


def batch_note(n: int) -> str:
    return translate(
        "lessons",
        "Summed over the batch of {n} samples (E is their mean, so δ already carries 1/N).",
    ).format(n=n)
