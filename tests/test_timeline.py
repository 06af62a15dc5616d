"""The timeline: weight snapshots at intervals within a memory bound, rendering an old step on
a scratch network without touching the live one, model-file round trips and refusals, and the
TimelineView asking for frames."""

from __future__ import annotations

import io
import os
import zipfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from helpers import SMALL, small_trainer  # noqa: E402

from cnnviz.training.architectures import build_network, load_architecture  # noqa: E402
from cnnviz.training.modelfile import ModelFileError, load_model, save_model  # noqa: E402
from cnnviz.training.timeline import (  # noqa: E402
    Timeline,
    TimelineError,
    backward_sweep,
    bytes_per_entry,
)
from cnnviz.training.trainer import Trainer  # noqa: E402


def trace_of(net):
    """Every trace array of the network (by identity) and a copy of each."""
    refs = []
    for layer in net.layers:
        for name in ("x", "y", "dy", "dx"):
            refs.append((f"{layer.name}.{name}", getattr(layer, name, None)))
    for name in ("y", "p", "dy", "labels"):
        refs.append((f"loss.{name}", getattr(net.loss, name, None)))
    return refs, [None if a is None else np.array(a) for _, a in refs]


# ---------------------------------------------------------------------------------- recording
def test_records_step_one_and_every_interval_with_copies():
    tr = small_trainer()
    tl = Timeline(every=5)
    tl.attach(tr)
    live = {}
    tr.subscribe("step", lambda info: live.__setitem__(info.step, tr.net.state_dict()))
    seen = {}
    tr.subscribe("step", lambda info: seen.__setitem__(info.step, {
        k: p.copy() for k, p in tr.net.state_dict().items()}))  # fmt: skip
    tr.run(max_steps=23)
    assert tl.steps() == [1, 5, 10, 15, 20]
    for e in tl.frames():
        for k, a in e.params.items():
            np.testing.assert_array_equal(a, seen[e.step][k], err_msg=f"{e.step} {k}")
            assert a is not live[e.step][k] and not a.flags.writeable
    last = tl.frames()[-1]
    assert last.epoch == 2 and np.isclose(last.loss, tr.metrics.loss.values()[19])
    assert last.test_accuracy == tr.metrics.test_accuracy.values()[-1]  # evaluated per epoch
    assert np.isnan(tl.frames()[0].test_accuracy)
    tl.detach()
    tr.run(max_steps=10)
    assert tl.steps()[-1] == 20


def test_stays_under_max_bytes_and_covers_the_whole_run():
    tr = small_trainer()
    per = bytes_per_entry(tr.net)
    tl = Timeline(every=2, max_bytes=6 * per)
    tl.attach(tr)
    peak = []
    tr.subscribe("step", lambda info: peak.append(tl.nbytes))
    tr.run(max_steps=600)
    assert max(peak) <= 6 * per
    steps = tl.steps()
    assert steps[0] == 1 and 600 - tl.every < steps[-1] <= 600
    assert tl.every == 128 and len(steps) >= 4
    assert all(s % tl.every == 0 for s in steps[1:])  # evenly spread over the run
    assert tl.nbytes == len(steps) * per


def test_reinitializing_starts_a_new_timeline():
    tr = small_trainer()
    tl = Timeline(every=4, max_bytes=3 * bytes_per_entry(tr.net))
    tl.attach(tr)
    tr.run(max_steps=30)
    assert tl.every > 4
    tr.reinitialize(seed=3)
    tr.run(max_steps=5)
    assert tl.steps() == [1, 4] and tl.every == 4


def test_bad_settings_are_refused():
    with pytest.raises(TimelineError, match="interval"):
        Timeline(every=0)
    with pytest.raises(TimelineError, match="memory"):
        Timeline(max_bytes=-1)


# ---------------------------------------------------------------------------------- rendering
def test_render_at_uses_the_stored_weights_and_leaves_the_live_net_alone():
    tr = small_trainer()
    tl = Timeline(every=10)
    tl.attach(tr)
    tr.run(max_steps=35)
    tr.step_phase()  # a step under way: its trace must survive
    tr.step_phase()
    net = tr.net
    params = [(k, p) for k, p, _ in net.named_params()]
    values = [p.copy() for _, p in params]
    grads = [g.copy() for _, _, g in net.named_params()]
    velocity = {k: v.copy() for k, v in tr.optimizer.velocity.items()}
    refs, copies = trace_of(net)
    current, position = tr.current, tr.current.position

    image = tr.dataset.batch("test", np.array([0]))[0]
    label = int(tr.dataset.test_labels[0])
    frame = tl.render_at(tr, 1, image, label)
    again = tl.render_at(tr, 99, image, None)  # clamped to the last entry, forward only

    assert frame.step == 10 and frame.index == 1 and again.step == 30 and again.index == 3
    entry = tl.frames()[1]
    assert list(frame.kernels) == ["C1"]
    np.testing.assert_array_equal(frame.kernels["C1"], entry.params["C1.weight"])
    ref = build_network(SMALL, (1, 8, 8), 4)  # the same weights elsewhere: same prediction
    ref.load_state_dict(entry.params)
    scores = ref.infer(image[None])[0]
    p = np.exp(scores - scores.max())
    np.testing.assert_allclose(frame.probabilities, p / p.sum(), rtol=1e-5)
    assert frame.label == label and frame.sample_loss > 0
    assert [s.name for s in frame.stages] == ["input", "C1", "S2", "F3"]
    assert frame.maps[1]["activation"].shape == (3, 6, 6)
    assert frame.maps[1]["delta"].shape == (3, 6, 6) and again.maps[1]["delta"] is None
    assert again.label is None and again.prediction == int(np.argmax(again.probabilities))

    # the live network, trace, gradients, optimiser and step are exactly as they were
    for (k, p), v in zip(params, values, strict=True):
        assert net.state_dict()[k] is p
        np.testing.assert_array_equal(p, v, err_msg=k)
    for (_, _, g), v in zip(net.named_params(), grads, strict=True):
        np.testing.assert_array_equal(g, v)
    for k, v in velocity.items():
        np.testing.assert_array_equal(tr.optimizer.velocity[k], v)
    after, _ = trace_of(net)
    for (name, a), (_, b), c in zip(refs, after, copies, strict=True):
        assert a is b, name
        if a is not None:
            np.testing.assert_array_equal(a, c, err_msg=name)
    assert tr.current is current and current.position == position
    tr.step_batch()  # and the step completes as if nothing happened


def test_render_at_on_an_empty_timeline_and_a_wrong_image():
    tr = small_trainer()
    tl = Timeline()
    assert tl.render_at(tr, 0) is None
    tl.record(1, tr.net.state_dict())
    assert tl.render_at(tr, 0).maps == []  # kernels only
    with pytest.raises(TimelineError, match="shape"):
        tl.render_at(tr, 0, np.zeros((1, 5, 5), np.float32), 0)


def test_backward_sweep_goes_from_the_output_to_the_first_layer():
    tr = small_trainer()
    tr.run(max_steps=3)
    refs, copies = trace_of(tr.net)
    image = tr.dataset.batch("test", np.array([1]))[0]
    frames = backward_sweep(None, tr, image, 2)
    assert [f.active for f in frames] == [3, 2, 1]
    assert [sum(m is not None for m in f.maps) for f in frames] == [1, 2, 3]
    assert frames[-1].maps[0] is None and frames[-1].maps[1].shape == (3, 6, 6)
    assert "F3" in frames[0].caption
    for (name, a), c in zip(refs, copies, strict=True):
        if a is not None:
            np.testing.assert_array_equal(a, c, err_msg=name)


# ---------------------------------------------------------------------------------- files
def recorded(steps=25, every=5, dtype="float32"):
    tr = small_trainer(dtype=dtype)
    tl = Timeline(every=every)
    tl.attach(tr)
    tr.run(max_steps=steps)
    return tr, tl


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_round_trip_through_a_model_file(tmp_path, dtype):
    tr, tl = recorded(dtype=dtype)
    state = tr.state()
    state.timeline = tl.to_arrays()
    path = tmp_path / "m.cnnviz.npz"
    save_model(path, state)
    with np.load(path, allow_pickle=False) as npz:
        assert "timeline/params/C1.weight" in npz.files and "timeline/step" in npz.files
    loaded = load_model(path)
    back = Timeline.from_arrays(loaded.timeline, Trainer.from_state(loaded, tr.dataset).net)
    assert back.steps() == tl.steps() == [1, 5, 10, 15, 20, 25]
    assert (back.every, back.base_every) == (tl.every, tl.base_every)
    for a, b in zip(tl.frames(), back.frames(), strict=True):
        assert (a.step, a.epoch) == (b.step, b.epoch)
        np.testing.assert_equal([a.loss, a.test_accuracy], [b.loss, b.test_accuracy])
        for k in a.params:
            np.testing.assert_array_equal(a.params[k], b.params[k])
            assert b.params[k].dtype == np.dtype(dtype)


def test_an_empty_timeline_writes_nothing_and_foreign_arrays_are_ignored():
    tr = small_trainer()
    assert Timeline().to_arrays() == {}
    other = {"steps": np.arange(3)}
    assert len(Timeline.from_arrays(other, tr.net)) == 0


def test_loading_thins_to_the_memory_bound():
    tr, tl = recorded(steps=40, every=2)
    per = bytes_per_entry(tr.net)
    back = Timeline.from_arrays(tl.to_arrays(), tr.net, max_bytes=5 * per)
    assert back.nbytes <= 5 * per and back.steps()[0] == 1 and back.every > 2


def rewrite(path, out, key, array):
    with zipfile.ZipFile(path) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist()}
    buf = io.BytesIO()
    np.lib.format.write_array(buf, array)
    entries[f"{key}.npy"] = buf.getvalue()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return out


@pytest.mark.parametrize(
    ("key", "change", "message"),
    [
        ("params/C1.weight", lambda a: a[:, :2], r"params/C1\.weight has shape \(6, 2, 1, 3, 3\)"),
        ("params/C1.weight", lambda a: a.astype(np.float64), "dtype float64, expected float32"),
        ("params/F3.bias", lambda a: np.where(a == a.max(), np.nan, a), "NaN or infinite"),
        ("params/F3.bias", lambda a: a[:-1], r"has shape \(5, 4\)"),
        ("step", lambda a: a[::-1].copy(), "increasing"),
        ("step", lambda a: a.astype(np.float64), "int64"),
        ("loss", lambda a: a[:3], r"loss must be float64 of shape \(6,\)"),
        ("test_accuracy", lambda a: a + 2, r"\[0, 1\]"),
        ("interval", lambda a: np.array([0, 5]), "interval"),
        ("params/C9.weight", lambda a: np.zeros(3, np.float32), "unexpected array params/C9"),
    ],
)
def test_a_corrupt_timeline_is_refused(tmp_path, key, change, message):
    tr, tl = recorded()
    state = tr.state()
    state.timeline = tl.to_arrays()
    good = tmp_path / "good.cnnviz.npz"
    save_model(good, state)
    original = state.timeline.get(key, np.zeros(1, np.float32))
    bad = rewrite(good, tmp_path / "bad.cnnviz.npz", f"timeline/{key}", change(original))
    with pytest.raises(ModelFileError, match=message) as info:
        load_model(bad)
    assert str(info.value).startswith(f"{bad}: timeline: ")
    arrays = dict(state.timeline) | {key: change(original)}
    with pytest.raises(TimelineError, match=message):
        Timeline.from_arrays(arrays, tr.net)


def test_a_missing_timeline_array_is_refused(tmp_path):
    tr, tl = recorded()
    arrays = tl.to_arrays()
    del arrays["params/F3.bias"]
    with pytest.raises(TimelineError, match="params/F3.bias is missing"):
        Timeline.from_arrays(arrays, tr.net)
    state = tr.state()
    state.timeline = arrays
    with pytest.raises(ModelFileError, match="not valid.*timeline: params/F3.bias is missing"):
        save_model(tmp_path / "x.cnnviz.npz", state)


def test_memory_per_entry_of_lenet5():
    net = build_network(load_architecture("lenet5"), (1, 28, 28), 10)
    assert bytes_per_entry(net) == 61_706 * 4


# ---------------------------------------------------------------------------------- the view
@pytest.fixture
def view(qtbot):
    from cnnviz.app.panels.timeline import TimelineView

    w = TimelineView()
    qtbot.addWidget(w)
    w.resize(1100, 620)
    return w


def test_scrubbing_the_view_asks_for_the_frame(view, qtbot):
    tr, tl = recorded()
    asked = []
    view.set_requester(asked.append)
    view.set_frame_count(len(tl), tl.steps())
    assert asked == [5]  # it shows the latest at once
    view.show_frame(tl.render_at(tr, 5, tr.dataset.batch("test", np.array([0]))[0], 1))
    view.slider.setValue(2)
    assert asked == [5, 2]
    assert "10" in view.step_label.text()  # the step of the slider position, straight away
    view.slider.setValue(3)  # a request is in flight: only the latest is kept
    view.slider.setValue(1)
    assert asked == [5, 2]
    view.show_frame(tl.render_at(tr, 2))
    assert asked == [5, 2, 1]
    frame = tl.render_at(tr, 1, tr.dataset.batch("test", np.array([0]))[0], 1)
    view.show_frame(frame)
    assert view.kernel_grid.data is not None
    np.testing.assert_array_equal(view.kernel_grid.data, frame.kernels["C1"])
    assert view.layer_combo.currentText() == "C1"
    assert "step 5" in view.step_label.text().lower()


def test_play_walks_through_the_frames(view, qtbot):
    tr, tl = recorded()
    asked = []

    def requester(i):
        asked.append(i)
        view.show_frame(tl.render_at(tr, i))

    view.set_requester(requester)
    view.play_interval_ms = 20
    view.set_frame_count(len(tl), tl.steps())
    view.slider.setValue(0)
    view.play_button.click()
    qtbot.waitUntil(lambda: not view.playing, timeout=5000)
    assert asked[-6:] == [0, 1, 2, 3, 4, 5]
    assert view.slider.value() == 5
