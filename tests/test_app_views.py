"""The network overview, the layer inspector and the map grid they are built from, rendering
real snapshots of small training sessions (offscreen)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

pytest.importorskip("pytestqt")

from PySide6 import QtCore  # noqa: E402

from cnnviz.app.colors import DisplaySettings  # noqa: E402
from cnnviz.app.panels.inspector import LayerInspector  # noqa: E402
from cnnviz.app.panels.overview import BACKWARD_COLOR, FORWARD_COLOR, NetworkOverview  # noqa: E402
from cnnviz.app.widgets.mapgrid import MapGrid, fmt_value  # noqa: E402
from cnnviz.live.session import Session  # noqa: E402
from cnnviz.live.snapshot import ViewRequest  # noqa: E402
from cnnviz.training.trainer import Hyperparameters, Trainer  # noqa: E402

SETTINGS = DisplaySettings()


class FakeDataset:
    """Random images in the interface a trainer expects."""

    def __init__(self, shape=(1, 28, 28), n=64, classes=10):
        self.name = "fake"
        self.input_shape = shape
        self.num_classes = classes
        self.class_names = tuple(f"c{i}" for i in range(classes))
        self.normalization = (0.5, 0.25)
        r = np.random.default_rng(7)
        self._x = (r.random((n, *shape)) * 255).astype(np.uint8)
        self.train_labels = r.integers(0, classes, n).astype(np.int64)
        self.test_labels = self.train_labels[:16].copy()

    def batch(self, split, idx):
        return self._x[np.asarray(idx)].astype(np.float32) / 255.0 - 0.5

    def raw(self, split, i):
        return self._x[i]


PRESETS = {
    "lenet5": (1, 28, 28),
    "lenet5-1998": (1, 28, 28),
    "simple": (1, 28, 28),
    "shapes-rgb": (3, 32, 32),
}


def make_session(preset: str, steps: int = 1) -> Session:
    s = Session(Trainer.create(preset, FakeDataset(PRESETS[preset]), Hyperparameters(batch_size=4)))
    for _ in range(steps):
        s.step_batch()
    return s


def snapshot(session: Session, **view) -> object:
    session.set_view(ViewRequest(**view))
    return session.snapshot_now()


@pytest.fixture
def overview(qtbot):
    w = NetworkOverview()
    qtbot.addWidget(w)
    w.resize(1400, 500)
    w.show()
    return w


@pytest.fixture
def inspector(qtbot):
    w = LayerInspector()
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    return w


def expected_cells(shape) -> int:
    if len(shape) == 1:
        return shape[0]
    return shape[0]  # maps, or (C, 1, 1) shown as C cells


def image_value(grid: MapGrid, cell: int, row: int, col: int) -> float:
    """The normalised value the mosaic holds at element (row, col) of a cell."""
    p = grid.cell_center(cell, row, col)
    return float(grid.mosaic[int(p.y()), int(p.x())])


# ---------------------------------------------------------------------------------- overview
@pytest.mark.parametrize("preset", list(PRESETS))
def test_overview_shows_a_cell_per_channel_of_every_stage(overview, qtbot, preset):
    s = make_session(preset)
    snap = snapshot(s, map_kind="activation")
    overview.render(snap, SETTINGS)
    grids = overview.grids
    assert len(grids) == len(snap.stages)
    for grid, stage, data in zip(grids, snap.stages, snap.maps, strict=True):
        assert stage.label.split(" + ")[0].split(" ")[0] in grid.title_label.text()
        if stage.index == 0 and stage.out_shape[0] == 3:
            assert grid.is_rgb and grid.cell_count() == 1  # colour input: one image
        else:
            assert grid.cell_count() == expected_cells(stage.out_shape)
        assert grid.data is data


def test_overview_last_stage_is_labelled_with_the_class_names(overview):
    snap = snapshot(make_session("simple"), map_kind="activation")
    overview.render(snap, SETTINGS)
    last = overview.grids[-1]
    assert last.cell_name(3) == "unit 3 (c3)"


def test_switching_the_map_kind_emits_the_kind(overview, qtbot):
    overview.render(snapshot(make_session("simple")), SETTINGS)
    with qtbot.waitSignal(overview.mapKindChanged, timeout=1000) as sig:
        qtbot.mouseClick(overview.kind_buttons["delta"], QtCore.Qt.MouseButton.LeftButton)
    assert sig.args == ["delta"]
    assert overview.map_kind() == "delta"
    with qtbot.assertNotEmitted(overview.mapKindChanged):
        overview.set_map_kind("net")  # programmatic: no signal
    assert overview.kind_buttons["net"].isChecked()


def test_clicking_a_stage_selects_it(overview, qtbot):
    overview.render(snapshot(make_session("lenet5"), stage=1), SETTINGS)
    grid = overview.grids[3]
    with qtbot.waitSignal(overview.stageSelected, timeout=1000) as sig:
        qtbot.mouseClick(grid, QtCore.Qt.MouseButton.LeftButton, pos=QtCore.QPoint(3, 3))
    assert sig.args == [3]
    assert grid.selected and not overview.grids[1].selected


def test_clicking_a_map_reports_stage_and_map(overview, qtbot):
    overview.render(snapshot(make_session("lenet5")), SETTINGS)
    qtbot.wait(10)
    grid = overview.grids[1]
    pos = grid.canvas_pos_of(4, 10, 10)
    with qtbot.waitSignal(overview.mapClicked, timeout=1000) as sig:
        qtbot.mouseClick(grid.canvas, QtCore.Qt.MouseButton.LeftButton, pos=pos)
    assert sig.args == [1, 4]


def test_highlight_follows_the_phase_just_done(overview):
    s = make_session("simple", steps=1)
    s.step_phase()  # forward C1 of the second step
    snap = s.snapshot_now()
    overview.render(snap, SETTINGS)
    assert snap.active_stage == 1 and snap.active_direction == "forward"
    lit = [g.highlighted for g in overview.grids]
    assert lit == [i == 1 for i in range(len(lit))]
    assert overview.grids[1].highlight_color.name() == FORWARD_COLOR
    # later stages still hold the previous step's maps: faded
    assert [g.stale for g in overview.grids] == [i > 1 for i in range(len(lit))]
    while snap.active_direction != "loss":
        s.step_phase()
        snap = s.snapshot_now()
    overview.render(snap, SETTINGS)
    assert overview.loss_badge.active and not any(g.highlighted for g in overview.grids)
    assert not any(g.stale for g in overview.grids)
    s.step_phase()  # backward through the last stage
    snap = s.snapshot_now()
    overview.render(snap, SETTINGS)
    assert snap.active_direction == "backward"
    assert overview.grids[snap.active_stage].highlighted
    assert overview.grids[snap.active_stage].highlight_color.name() == BACKWARD_COLOR
    assert not overview.loss_badge.active


def test_maps_not_computed_yet_show_a_placeholder(overview):
    s = make_session("simple", steps=0)
    s.step_phase()
    overview.render(snapshot(s, map_kind="delta"), SETTINGS)
    for grid in overview.grids:
        assert grid.data is None and grid.stack.currentWidget() is grid.placeholder
    assert "not computed yet" in overview.grids[2].placeholder.text()
    assert "input" in overview.grids[0].placeholder.text()


def test_rendering_the_same_structure_reuses_the_items(overview):
    s = make_session("lenet5")
    overview.render(snapshot(s), SETTINGS)
    grids = overview.grids
    canvases = [g.canvas for g in grids]
    s.step_batch()
    snap = snapshot(s, map_kind="net")
    overview.render(snap, SETTINGS)
    assert overview.grids == grids
    assert [g.canvas for g in overview.grids] == canvases
    assert overview.grids[1].data is snap.maps[1]
    overview.clear()
    overview.render(snap, SETTINGS)
    assert overview.grids[0] is not grids[0]


def test_hover_text_gives_map_position_and_value(overview, qtbot):
    snap = snapshot(make_session("lenet5"), map_kind="net")
    overview.render(snap, SETTINGS)
    qtbot.wait(10)  # laid out
    grid = overview.grids[1]
    value = snap.maps[1][2, 3, 4]
    with qtbot.waitSignal(overview.hovered, timeout=1000, check_params_cb=bool) as sig:
        qtbot.mouseMove(grid.canvas, grid.canvas_pos_of(2, 3, 4))
    text = sig.args[0]
    assert "map 2" in text and "row 3" in text and "col 4" in text
    assert fmt_value(value, 4) in text
    dense = overview.grids[-2]  # F6: 84 values
    with qtbot.waitSignal(dense.hovered, timeout=1000, check_params_cb=bool) as sig:
        qtbot.mouseMove(dense.canvas, dense.canvas_pos_of(17))
    assert "unit 17" in sig.args[0] and fmt_value(snap.maps[-2][17], 4) in sig.args[0]


# ---------------------------------------------------------------------------------- map grid
def test_map_grid_image_holds_the_normalised_maps(qtbot):
    g = MapGrid("t")
    qtbot.addWidget(g)
    g.resize(300, 300)
    g.show()
    a = np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4) - 10
    g.set_data(a, "net", DisplaySettings(scaling="layer"))
    lo, hi = g.cell_levels(0)
    assert (lo, hi) == (-13.0, 13.0)  # signed: symmetric about zero
    for cell, r, c in [(0, 0, 0), (1, 2, 3), (1, 1, 2)]:
        assert image_value(g, cell, r, c) == pytest.approx((a[cell, r, c] - lo) / (hi - lo))
    g.set_data(a, "net", DisplaySettings(scaling="map"))
    assert g.cell_levels(0) == (-10.0, 10.0) and g.cell_levels(1) == (-13.0, 13.0)
    assert g.colorbar.labels() == ("−max", "0", "+max")


# ---------------------------------------------------------------------------------- inspector
def test_inspector_shows_weights_gradient_and_update_of_a_conv_stage(inspector, qtbot):
    s = make_session("lenet5", steps=2)
    snap = snapshot(s, stage=3)
    inspector.render(snap, SETTINGS)
    data = snap.inspector
    assert (
        "weights" in inspector.visible_sections() and "pooling" not in inspector.visible_sections()
    )
    for key, src in (
        ("weight", data.params),
        ("dweight", data.grads),
        ("update", data.updates),
    ):
        g = inspector.grid(key)
        arr = src["weight"]
        np.testing.assert_array_equal(g.data, arr)
        assert g.cell_count() == arr.shape[0] * arr.shape[1]  # 16 filters × 6 channels
        o, c, r, k = 5, 2, 1, 3
        cell = o * arr.shape[1] + c
        np.testing.assert_array_equal(g.cell_array(cell), arr[o, c])
        lo, hi = g.cell_levels(cell)
        assert image_value(g, cell, r, k) == pytest.approx((arr[o, c, r, k] - lo) / (hi - lo))
    for key in ("activation", "net", "delta"):
        np.testing.assert_array_equal(inspector.grid(key).data, data.maps[key])
    np.testing.assert_array_equal(inspector.grid("bias").data, data.params["bias"])
    after_levels = inspector.grid("weight").cell_levels(0)
    inspector.set_show_before(True)
    w, uw = data.params["weight"], data.updates["weight"]
    np.testing.assert_allclose(inspector.grid("weight").data, w - uw)
    assert inspector.grid("weight").cell_levels(0) == after_levels  # coloured alike
    assert inspector.stat_text("‖W‖") == fmt_value(data.stats["‖W‖"], 4)


def test_inspector_histograms_show_the_snapshots_counts(inspector, qtbot):
    snap = snapshot(make_session("lenet5", steps=2), stage=3)
    inspector.render(snap, SETTINGS)
    hists = snap.inspector.histograms
    assert {"weight", "dweight", "activation", "delta"} <= set(hists)
    for key, (counts, edges) in hists.items():
        h = inspector.histogram(key)
        assert h is not None and not h.isHidden()
        np.testing.assert_array_equal(h.counts, counts)
        np.testing.assert_array_equal(h.edges, edges)
    h = inspector.histogram("weight")
    counts, edges = hists["weight"]
    r = h.plot_rect()
    i = int(np.argmax(counts))  # the middle of the tallest bar
    x = r.left() + ((edges[i] + edges[i + 1]) / 2 - edges[0]) / (edges[-1] - edges[0]) * r.width()
    assert h.bin_at(x) == i
    assert h.bin_text(i).endswith(f": {int(counts[i])}")
    assert h.bin_at(r.left() - 1) is None
    assert h.grab().width() > 0  # paints
    with pytest.raises(ValueError, match="edges"):
        h.set_data(counts, edges[:-1])


def test_inspector_caps_the_kernel_grid_of_a_wide_layer(inspector):
    snap = snapshot(make_session("lenet5-1998"), stage=5)  # C5: 120 filters × 16 channels
    inspector.render(snap, SETTINGS)
    g = inspector.grid("weight")
    assert g.cell_count() == 32 * 16
    assert "32 of 120" in g.note_label.text()


def test_inspector_dense_weights_are_one_matrix(inspector):
    snap = snapshot(make_session("simple"), stage=3)
    inspector.render(snap, SETTINGS)
    g = inspector.grid("weight")
    assert g.cell_count() == 1 and g.data.shape == (10, 8 * 13 * 13)
    np.testing.assert_array_equal(g.data, snap.inspector.params["weight"])
    gi = inspector.grid("grad_input")  # the flattened input shown as S2's maps
    assert gi.data.shape == (8, 13, 13) and gi.cell_count() == 8


def test_inspector_shows_the_argmax_mask_of_a_max_pool(inspector):
    snap = snapshot(make_session("lenet5"), stage=2)
    inspector.render(snap, SETTINGS)
    data = snap.inspector
    assert "pooling" in inspector.visible_sections()
    assert "weights" not in inspector.visible_sections()
    assert "argmax" in inspector.pool_caption.text()
    g = inspector.grid("pool_input")
    np.testing.assert_array_equal(g.data, data.pool_input)
    for i in range(data.pool_input.shape[0]):
        np.testing.assert_array_equal(g.cell_mask(i), data.argmax_mask[i])
    assert g.mask_shown
    # one winner per 2×2 window
    assert data.argmax_mask.reshape(6, 14, 2, 14, 2).sum(axis=(2, 4)).max() == 1
    np.testing.assert_array_equal(inspector.grid("routed_delta").data, data.routed_delta)
    assert not inspector.grid("net").isVisible()  # no activation after the pool: u = f(u)


def test_inspector_shows_beta_of_a_subsampling_stage(inspector):
    snap = snapshot(make_session("lenet5-1998"), stage=2)
    inspector.render(snap, SETTINGS)
    data = snap.inspector
    assert "params" in inspector.visible_sections()
    assert "β·up(δ)" in inspector.pool_caption.text()
    for key, src in (("beta", data.params), ("dbeta", data.grads), ("ubeta", data.updates)):
        np.testing.assert_array_equal(inspector.grid(key).data, src["beta"])
        assert inspector.grid(key).cell_count() == 6
    assert inspector.grid("pool_input").mask_shown is False


def test_inspector_input_stage_of_a_colour_net(inspector):
    snap = snapshot(make_session("shapes-rgb"), stage=0)
    inspector.render(snap, SETTINGS)
    assert inspector.grid("activation").is_rgb
    channels = inspector.grid("net")
    assert channels.isVisible() and channels.cell_count() == 3 and not channels.is_rgb
    assert inspector.visible_sections() == ["maps"]


def test_inspector_reuses_its_items_and_enlarges_a_clicked_map(inspector, qtbot):
    s = make_session("lenet5")
    inspector.render(snapshot(s, stage=1), SETTINGS)
    grids = inspector.grids
    canvases = {k: g.canvas for k, g in grids.items()}
    s.step_batch()
    snap = snapshot(s, stage=1)
    inspector.render(snap, SETTINGS)
    inspector.render(snapshot(s, stage=4), SETTINGS)
    assert inspector.grids == grids
    assert {k: g.canvas for k, g in inspector.grids.items()} == canvases
    inspector.render(snap, SETTINGS)
    with qtbot.waitSignal(inspector.mapClicked, timeout=1000):
        inspector.grid("weight").mapClicked.emit(4)
    zoom = inspector.zoom
    assert zoom.isVisible()
    np.testing.assert_array_equal(zoom.grid.data[0], snap.inspector.params["weight"][4, 0])
    assert "filter 4" in zoom.grid.title_label.text()


def test_inspector_before_the_first_step_says_so(inspector):
    inspector.render(Session(Trainer.create("simple", FakeDataset())).snapshot_now(), SETTINGS)
    assert inspector.empty.isVisible() and not inspector.scroll.isVisible()
