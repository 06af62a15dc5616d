"""Training ▸ Optimiser…: fields shown where they apply; the choice reaches the trainer."""

from helpers import wait_for

from cnnviz.app.optimiser_dialog import OptimiserDialog, apply_optimiser, current_choice


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
