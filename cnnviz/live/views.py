"""Building a :class:`~cnnviz.live.snapshot.Snapshot` from the trainer: what the view request
asks for, copied so the app can draw it while training goes on (worker thread).

The overview's maps of every stage, the focused sample (its image, label and probabilities),
the inspector's data of one stage (parameters, gradients, updates, histograms, statistics) and
the lecture panels' part (the rule of the phase just run, the conv layers' inputs and kernels).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from cnnviz.engine import MaxPool2D, Phase, Pool2D
from cnnviz.i18n import class_names
from cnnviz.lessons.convsteps import conv_layers_of
from cnnviz.lessons.explain import explain_phase
from cnnviz.lessons.update import phase_label
from cnnviz.training.stages import MAP_KINDS, stage_arrays, stage_of_phase

from .snapshot import InspectorData, Snapshot, ViewRequest
from .speeds import FULL_SPEED

FOLLOWED = ("activation", "delta")  # the map kinds ViewRequest.follow_phase switches between


class SnapshotBuilder:
    """How a :class:`~cnnviz.live.session.Session` builds its snapshots.

    A mixin of the session: it reads the session's ``trainer``, ``stages``, ``running``,
    ``speed``, ``evaluation``, sample and undo state; it changes nothing but ``_serial``.
    """

    def _build(self, view: ViewRequest, generation: int) -> Snapshot:
        tr = self.trainer
        net = tr.net
        self._serial += 1
        first = net.layers[0]
        n = first.x.shape[0] if first.x is not None else 0
        sample = min(max(view.sample, 0), max(n - 1, 0))
        view = replace(view, sample=sample)
        step = tr.current
        fresh = self._fresh_kinds(step)
        last_phase = step.last_phase if step is not None else None
        if view.follow_phase and last_phase is not None and view.map_kind in FOLLOWED:
            # stepping phases: δ while the backward pass runs, f(u) going forward
            kind = {"forward": "activation", "backward": "delta"}.get(last_phase.kind)
            view = replace(view, map_kind=kind or view.map_kind)
        maps = []
        for stage in self.stages:  # (the overview greys a forward pass's stale maps)
            arr = stage_arrays(net, stage)[view.map_kind] if n else None
            maps.append(None if arr is None else arr[sample].copy())
        loss_done = step is None or step.loss is not None or self.sample_source != "batch"
        phase_labels = [phase_label(net, p, tr.optimizer) for p in net.phases()]
        image, label, probs, index = None, None, None, -1
        if n:
            if self.sample_source == "batch":
                idx = tr.current_indices
                if idx is not None and sample < len(idx):
                    index = int(idx[sample])
                    image = tr.dataset.raw("train", index)
                    label = int(tr.dataset.train_labels[index])  # the image's own label
            else:
                image, index = self._probe[0].copy(), self.sample_index
                if self.sample_source in ("test", "train"):
                    image = tr.dataset.raw(self.sample_source, index)
            labels = net.loss.labels
            if labels is not None and sample < len(labels) and net.loss.y is not None:
                if label is None:
                    label = int(labels[sample])
                if net.loss.y.shape[0] == n and loss_done:  # else the previous batch's
                    probs = np.array(net.loss.probabilities()[sample])
        stage_sel = min(max(view.stage, 0), len(self.stages) - 1)
        inspector = (
            self._inspect(self.stages[stage_sel], sample, view.histograms, fresh)
            if n and view.inspect
            else None
        )
        rate = 0.0
        if len(self._rate_window) >= 2:
            (t0, i0), (t1, i1) = self._rate_window[0], self._rate_window[-1]
            rate = (i1 - i0) / (t1 - t0) if t1 > t0 else 0.0
        return Snapshot(
            serial=self._serial,
            generation=generation,
            architecture=str(tr.architecture.get("name", "custom")),
            dataset=tr.dataset.name,
            class_names=class_names(tr.dataset.class_names),  # in the current language
            step=tr.step,
            epoch=tr.epoch,
            epoch_progress=tr.sample_in_epoch / max(tr.train_size, 1),
            epochs=tr.hp.epochs,
            running=self.running,
            speed=self.speed,
            full_speed=self.speed == FULL_SPEED,
            lr=tr.optimizer.lr,
            lr_schedule=tr.hp.schedule,
            base_lr=tr.hp.lr,
            phases=phase_labels,
            phase_position=step.position if step is not None else 0,
            last_phase=phase_label(net, last_phase, tr.optimizer) if last_phase else None,
            active_stage=stage_of_phase(self.stages, last_phase),
            active_direction=last_phase.kind if last_phase else None,
            stages=self.stages,
            maps=maps,
            view=view,
            sample_source=self.sample_source,
            sample_index=index,
            sample_image=image,
            sample_label=label,
            probabilities=probs,
            batch_size=n,
            loss=net.loss.value if n and loss_done else None,
            inspector=inspector,
            evaluation=self.evaluation,
            images_per_s=rate,
            dirty=self.dirty,
            model_path=self.model_path,
            finished=tr.finished,
            configured_epochs=self.configured_epochs,
            undo_depth=len(self._undo),
            resumable=tuple(self.resumable_steps()),
            **(self._explain(view, sample, last_phase) if view.explain and n else {}),
        )

    def _explain(self, view: ViewRequest, sample: int, phase: Phase | None) -> dict[str, Any]:
        """The lecture panels' part of a snapshot: the rule of the phase just run, at the
        selected position when the phase belongs to the inspected stage, and the conv layers'
        inputs and kernels for the selected sample."""
        tr = self.trainer
        if phase is None and self.sample_source == "batch":
            phase = self._phase_done  # the update ends the step: the trainer forgets it
        explanation = None
        if phase is not None:
            stage = self.stages[min(max(view.stage, 0), len(self.stages) - 1)]
            own = phase.layer is None or stage_of_phase(self.stages, phase) == stage.index
            try:
                explanation = explain_phase(
                    tr.net, phase, sample, view.position if own else None, tr.optimizer.lr,
                    optimizer=tr.optimizer, before=tr.before_update,
                    layer=stage.main,
                )  # fmt: skip
            except Exception:  # noqa: BLE001 - a trace the explainer cannot read: no panel
                explanation = None
        # between steps the update has run since the forward pass: show the weights it used
        used = tr.current is None and self.sample_source == "batch" and tr.step > 0
        convs = conv_layers_of(tr.net, sample, self.stages, tr.before_update if used else None)
        return {"explanation": explanation, "conv_layers": convs}

    def _fresh_kinds(self, step) -> Callable[[Any], set[str]]:
        """``fresh(stage)``: the map kinds of ``stage`` computed for the traced batch. Inside a
        step, a stage's u and f(u) are the new batch's once its forward phase ran, δ and
        ∂E/∂input once its backward phase ran; before that they are the previous batch's."""
        every = set(MAP_KINDS)
        if step is None or self.sample_source != "batch":
            return lambda stage: every
        done = self.trainer.net.phases()[: step.position]
        forward = {p.layer for p in done if p.kind == "forward"}
        backward = {p.layer for p in done if p.kind == "backward"}

        def fresh(stage) -> set[str]:
            if stage.main is None:  # the input: the batch itself
                return {"activation", "net"} | ({"delta"} if 0 in backward else set())
            out = set()
            last = stage.activations[-1] if stage.activations else stage.main
            if stage.main in forward:
                out.add("net")
            if last in forward:
                out.add("activation")
            if stage.main in backward:
                out |= {"delta", "grad_input"}
            return out

        return fresh

    def _inspect(self, stage, sample: int, histograms: bool, fresh=None) -> InspectorData:
        net = self.trainer.net
        arrays = stage_arrays(net, stage)
        kinds = fresh(stage) if fresh is not None else set(MAP_KINDS)
        maps = {
            k: (None if a is None or k not in kinds else a[sample].copy())
            for k, a in arrays.items()
        }
        data = InspectorData(stage=stage, maps=maps)
        if stage.main is None:
            return data
        layer = net.layers[stage.main]
        opt = self.trainer.optimizer
        for key, p in layer.params.items():
            data.params[key] = p.copy()
            data.grads[key] = layer.grads[key].copy()
            data.updates[key] = opt.update(f"{layer.name}.{key}")
        if isinstance(layer, Pool2D) and layer.x is not None:
            data.pool_input = layer.x[sample].copy()
            if isinstance(layer, MaxPool2D) and layer.argmax is not None:
                data.argmax_mask = layer.argmax_mask(sample)
            if layer.dx is not None:
                data.routed_delta = layer.dx[sample].copy()
        if histograms:
            for key in ("weight", "beta"):
                if key in data.params:
                    data.histograms[key] = np.histogram(data.params[key], bins=40)
                    data.histograms[f"d{key}"] = np.histogram(data.grads[key], bins=40)
            for kind in ("activation", "delta"):
                if maps.get(kind) is not None:
                    data.histograms[kind] = np.histogram(maps[kind], bins=40)
        with np.errstate(all="ignore"):  # a diverged network shows inf, not a warning
            data.stats = _stats(maps, data, net.layers, stage)
        return data


def _stats(maps, data: InspectorData, layers, stage) -> dict[str, float]:
    out: dict[str, float] = {}
    act = maps.get("activation")
    if act is not None:
        out.update(
            {"min": float(act.min()), "max": float(act.max()), "mean": float(act.mean()),
             "std": float(act.std())}
        )  # fmt: skip
    key = "weight" if "weight" in data.params else ("beta" if "beta" in data.params else None)
    if key is not None:
        wn = float(np.linalg.norm(data.params[key]))
        w = "W" if key == "weight" else "β"
        out[f"‖{w}‖"] = wn
        out[f"‖∂E/∂{w}‖"] = float(np.linalg.norm(data.grads[key]))
        out[f"‖Δ{w}‖/‖{w}‖"] = float(np.linalg.norm(data.updates[key])) / wn if wn else 0.0
    if maps.get("delta") is not None:
        out["‖δ‖"] = float(np.linalg.norm(maps["delta"]))
    relu = [layers[i] for i in stage.activations if layers[i].kind == "relu"]
    if relu and relu[0].y is not None:
        y = relu[0].y
        out["dead ReLUs"] = 1.0 - float((y.reshape(y.shape[0], -1) > 0).any(axis=0).mean())
    return out
