"""Help ▸ Concepts: a short illustrated page per idea of the lecture, and the layer tooltips.

Each :class:`Concept` has a stable key (a panel's "?" opens it by that key), a title, a few
plain paragraphs for a student, its equations, the panels of cnnviz where it is seen (and
what to look at there), its citation (:mod:`.references`) and an illustration computed with
the engine (:mod:`.conceptfigures`), which the app draws as small coloured grids.

>>> page = concept("sensitivity")
>>> page.title, page.equations[0]
('The sensitivity δ = ∂E/∂u', 'δ = ∂E/∂u')
>>> page.illustration().grid("δ").values     # (4, 4) float64, the engine's ReLU backward

:func:`layer_tooltip` gives a layer's forward and backward equations with its shapes (from
its lesson's :meth:`~.registry.LayerLesson.summary`), for the overview's layer headers;
:func:`concept_for_layer` the page a layer's header links to; :data:`PANEL_CONCEPTS` the page
each panel's "?" opens.

Pure NumPy: no Qt here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import replace

from cnnviz.engine import Activation, Layer, Network
from cnnviz.i18n import LESSONS, QT_TRANSLATE_NOOP, translate

from .conceptfigures import Grid, Illustration
from .conceptpages import PAGES, Concept
from .explanation import NoLesson
from .numbers import shape_text
from .references import REFERENCES
from .registry import lesson_for

__all__ = [
    "CONCEPTS",
    "PANEL_CONCEPTS",
    "Concept",
    "Grid",
    "Illustration",
    "concept",
    "concept_for_layer",
    "concept_keys",
    "describe_layer",
    "layer_tooltip",
    "stage_tooltip",
]


CONCEPTS: dict[str, Concept] = {p.key: p for p in PAGES}

# the page each panel's "?" opens (panel names as the window calls them)
PANEL_CONCEPTS = {
    "overview": "colour-maps",
    "inspector": "sensitivity",
    "rules": "sensitivity",
    "explainer": "full-convolution",
    "sample": "softmax-cross-entropy",
    "plots": "softmax-cross-entropy",
    "confusion": "softmax-cross-entropy",
    "timeline": "colour-maps",
    "draw": "net-input",
    "gradcheck": "weight-gradient",
}


def concept_keys() -> list[str]:
    """Every page's key, in the order of the Concepts dialog."""
    return list(CONCEPTS)


def concept(key: str) -> Concept:
    """The page ``key`` in the current language (:func:`cnnviz.i18n.translate`; the
    illustration translates its own labels when it is computed); ``KeyError`` naming the
    known keys otherwise. :data:`CONCEPTS` holds the English pages."""
    try:
        page = CONCEPTS[key]
    except KeyError:
        raise KeyError(f"no concept page {key!r}; known: {', '.join(CONCEPTS)}") from None
    return replace(
        page,
        short=translate(LESSONS, page.short),
        title=translate(LESSONS, page.title),
        paragraphs=tuple(translate(LESSONS, p) for p in page.paragraphs),
        equations=tuple(translate(LESSONS, e) for e in page.equations),
        panels=tuple((translate(LESSONS, p), translate(LESSONS, w)) for p, w in page.panels),
    )


_LAYER_CONCEPTS = {
    "conv": "full-convolution",
    "maxpool": "argmax-mask",
    "avgpool": "upsampling",
    "lppool": "upsampling",
    "subsample": "upsampling",
    "dense": "net-input",
    "flatten": "net-input",
}


def concept_for_layer(layer: Layer) -> str:
    """The concept page a layer's header links to."""
    if isinstance(layer, Activation):
        return "activation"
    return _LAYER_CONCEPTS.get(layer.kind, "sensitivity")


def layer_tooltip(net: Network, layer_index: int, rich: bool = True) -> str:
    """The forward and backward equations of layer ``layer_index`` of ``net``, with its
    shapes and the works they come from: HTML for a tooltip (``rich``), else plain lines.

    From the layer's lesson (:meth:`~.registry.LayerLesson.summary`); a layer without one
    gets its shapes and description only.
    """
    layer = net.layers[layer_index]
    try:
        summary = lesson_for(layer).summary(layer)
    except NoLesson:
        text = f"{layer.name} ({describe_layer(layer)}): {shape_text(layer.in_shape or ())} → "
        text += shape_text(layer.out_shape or ())
        return f"<p>{html.escape(text)}</p>" if rich else text
    page = concept(concept_for_layer(layer)).title
    more = translate("lessons", "Help ▸ Concepts: {page}").format(page=page)
    if not rich:
        return f"{summary.text()}\n{more}"
    works = dict.fromkeys(
        translate(LESSONS, REFERENCES[k].short) for c in summary.sources for k in c.keys
    )
    rows = [(translate("lessons", "forward"), summary.forward)]
    rows += [(translate("lessons", "backward"), b) for b in summary.backward]
    body = "".join(
        f"<tr><td style='color:#6a7480; padding-right:6px'>{html.escape(what)}</td>"
        f"<td style='white-space:pre'>{html.escape(rule)}</td></tr>"
        for what, rule in rows
    )
    return (
        f"<p style='margin:0'><b>{html.escape(summary.shapes)}</b> "
        f"<span style='color:#6a7480'>({html.escape(describe_layer(layer))})</span></p>"
        f"<table cellspacing='0' cellpadding='1'>{body}</table>"
        f"<p style='margin:2px 0 0 0; color:#6a7480'><i>{html.escape('; '.join(works))}</i>"
        f"<br>{html.escape(more)}</p>"
    )


# the words of the engine's short labels (Layer.describe: "conv 6@5×5 s2", "batch norm 2d
# (6)"), longest first, each replaced by its translation; the numbers stay as they are
_DESCRIBE_WORDS = (
    ("global avg pool", QT_TRANSLATE_NOOP("lessons", "global avg pool")),
    ("batch norm", QT_TRANSLATE_NOOP("lessons", "batch norm")),
    ("subsample", QT_TRANSLATE_NOOP("lessons", "subsample")),
    ("maxpool", QT_TRANSLATE_NOOP("lessons", "maxpool")),
    ("avgpool", QT_TRANSLATE_NOOP("lessons", "avgpool")),
    ("dropout", QT_TRANSLATE_NOOP("lessons", "dropout")),
    ("flatten", QT_TRANSLATE_NOOP("lessons", "flatten")),
    ("conv", QT_TRANSLATE_NOOP("lessons", "conv")),
    ("dense", QT_TRANSLATE_NOOP("lessons", "dense")),
    ("pool", QT_TRANSLATE_NOOP("lessons", "pool")),
    ("table", QT_TRANSLATE_NOOP("lessons", "table")),
)
_DESCRIBE_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w, _ in _DESCRIBE_WORDS) + r")\b")


def describe_layer(layer: Layer) -> str:
    """The engine's short label of ``layer`` (``conv 6@5×5``) in the current language: its
    words translated, its numbers and an activation's function name as they are."""
    words = dict(_DESCRIBE_WORDS)
    return _DESCRIBE_RE.sub(lambda m: translate("lessons", words[m.group(1)]), layer.describe())


def stage_tooltip(net: Network, layer_indices: Sequence[int], rich: bool = True) -> str:
    """:func:`layer_tooltip` of each layer of a stage (e.g. a conv and its ReLU), in order."""
    parts = [layer_tooltip(net, i, rich) for i in layer_indices]
    return ("<hr>" if rich else "\n\n").join(parts)
