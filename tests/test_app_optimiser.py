"""Training ▸ Optimiser…: fields shown where they apply; the choice reaches the trainer."""

from helpers import wait_for

from cnnviz.app.optimiser_dialog import OptimiserDialog, apply_optimiser, current_choice
from cnnviz.training.trainer import Hyperparameters


def test_the_dialog_shows_only_the_fields_that_apply(make_window):
    w = make_window(arch="tiny", dataset="synthetic-digits")
    dialog = OptimiserDialog(w, current_choice(w))
    dialog.show()
    assert dialog.kind.currentData() == "sgd" and dialog.kind.currentText() == "SGD"
    assert dialog.spins["momentum"].isVisible() and not dialog.spins["beta1"].isVisible()
    dialog.kind.setCurrentText("Adam")
    assert dialog.spins["beta1"].isVisible() and dialog.spins["eps"].isVisible()
    assert not dialog.spins["momentum"].isVisible() and not dialog.spins["alpha"].isVisible()
    dialog.kind.setCurrentText("RMSprop")
    assert dialog.spins["alpha"].isVisible() and not dialog.spins["beta2"].isVisible()
    dialog.close()


def test_choosing_adam_mid_run_rebuilds_the_optimiser(make_window, qtbot):
    w = make_window(arch="tiny", dataset="synthetic-digits")
    w.step_batch()
    wait_for(qtbot, w, lambda s: s.step >= 1)
    assert "m̂" not in w.snapshot.phases[-1]
    values = current_choice(w) | {"optimizer": "adam", "lr": 0.001}
    assert apply_optimiser(w, values)
    w.step_batch()
    wait_for(qtbot, w, lambda s: s.step >= 2 and "m̂" in s.phases[-1])
    assert abs(w.snapshot.lr - 0.001) < 1e-12
    assert current_choice(w)["optimizer"] == "adam"  # the dialog opens on what was applied
    assert w.controls.optimiser.text() == "Adam"  # the toolbar: its usual name


def test_a_bad_choice_is_one_line_and_changes_nothing(make_window, monkeypatch):
    w = make_window(arch="tiny", dataset="synthetic-digits")
    shown = []
    monkeypatch.setattr(w, "show_error", shown.append)
    assert not apply_optimiser(w, current_choice(w) | {"optimizer": "nesterov", "momentum": 0})
    assert shown and "\n" not in shown[0] and "Nesterov" in shown[0]
    assert current_choice(w)["optimizer"] == "sgd"


def test_the_schedule_is_chosen_in_the_dialog_and_the_status_bar_names_it(make_window, qtbot):
    w = make_window(arch="tiny", dataset="synthetic-digits")
    dialog = OptimiserDialog(w, current_choice(w))
    dialog.show()
    assert dialog.schedule.currentData() == "constant" and not dialog.gamma.isVisible()
    dialog.schedule.setCurrentIndex(dialog.schedule.findData("step"))
    assert dialog.gamma.isVisible() and dialog.step_epochs.isVisible()
    dialog.schedule.setCurrentIndex(dialog.schedule.findData("cosine"))
    assert not dialog.gamma.isVisible() and not dialog.step_epochs.isVisible()
    values = dialog.values()
    dialog.close()
    assert values["schedule"] == "cosine"
    assert apply_optimiser(w, values | {"lr": 0.02})
    for k in (1, 2):
        w.step_batch()
        wait_for(qtbot, w, lambda s, k=k: s.step >= k and s.lr_schedule == "cosine")
    snap = w.snapshot
    # the rate the second step used: the schedule's, one batch into the run
    hp = Hyperparameters(lr=0.02, schedule="cosine", epochs=snap.epochs)
    progress = snap.batch_size / w.session.trainer_info.train_size
    assert snap.base_lr == 0.02 and 0 < snap.lr < 0.02
    assert abs(snap.lr - hp.lr_at(progress)) < 1e-12
    assert f"η = {snap.lr:.3g} (cosine schedule from 0.02)" in w.status.rate.text()
    assert current_choice(w)["schedule"] == "cosine"  # the dialog opens on it again


def test_the_toolbars_momentum_is_off_for_an_optimiser_without_one(make_window):
    w = make_window(arch="tiny", dataset="synthetic-digits")
    assert w.controls.momentum.isEnabled()
    assert apply_optimiser(w, current_choice(w) | {"optimizer": "adam", "lr": 0.001})
    assert not w.controls.momentum.isEnabled()
    assert "not used by Adam" in w.controls.momentum.toolTip()
    assert apply_optimiser(w, current_choice(w) | {"optimizer": "nesterov", "lr": 0.01})
    assert w.controls.momentum.isEnabled() and w.controls.momentum.toolTip() == "Momentum μ"
