"""``cnnviz train``: train an architecture on a dataset from the command line.

A progress bar per epoch goes to stderr (one plain line per epoch when stderr is not a
terminal), with the test accuracy after each epoch. With ``--json`` the last line on stdout is
one JSON object (test_accuracy as a fraction, train_loss, epochs, seconds, images_per_s, …).

Ctrl-C stops training after the step under way. With ``--out`` the run as of that last
complete step is saved (atomically; never a half-written file), so ``--resume`` continues it
exactly; the exit status is then 130. A second Ctrl-C aborts at once without saving.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import signal
import sys
import threading
import time
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from cnnviz.commands import add_data_dir, count
from cnnviz.commands.progress import ProgressBar
from cnnviz.engine import INIT_SCHEMES, OPTIMIZER_NAMES
from cnnviz.errors import CnnvizError
from cnnviz.i18n import translate
from cnnviz.safeio import check_output, printable
from cnnviz.training.architectures import load_architecture, named_file
from cnnviz.training.bounds import init_scheme
from cnnviz.training.modelfile import EXTENSION, load_model, save_model
from cnnviz.training.trainer import (
    SCHEDULES,
    DivergenceError,
    EvalResult,
    Hyperparameters,
    StepInfo,
    Trainer,
)

DEFAULT_ARCH = "lenet5"
DEFAULT_DATASET = "synthetic-digits"

# flag -> hyperparameter it sets
_HP_FLAGS = {
    "epochs": "epochs",
    "batch_size": "batch_size",
    "lr": "lr",
    "momentum": "momentum",
    "weight_decay": "weight_decay",
    "schedule": "schedule",
    "seed": "seed",
    "optimizer": "optimizer",
    "eps": "eps",
    "alpha": "alpha",
}

# What a new run from the command line starts with where a flag is not given, besides the
# hyperparameters' own defaults (the app keeps those, tuned for watching a run live): SGD
# with momentum 0.9, weight decay 5e-4 and a cosine schedule from 0.02 takes LeNet-5 past 99%
# on MNIST in 10 epochs (the README has the figures; without the weight decay it reached
# 99.00% exactly).
CLI_DEFAULTS: dict[str, Any] = {"lr": 0.02, "schedule": "cosine", "weight_decay": 5e-4}
# The learning rate and weight decay of a new run with an adaptive optimiser when --lr and
# --weight-decay are not given (PyTorch's defaults).
OPTIMIZER_LR = {"adam": 1e-3, "adamw": 1e-3, "rmsprop": 1e-2, "adagrad": 1e-2}
OPTIMIZER_WEIGHT_DECAY = {"adam": 0.0, "adamw": 1e-2, "rmsprop": 0.0, "adagrad": 0.0}


def register(subparsers) -> None:
    hp = Hyperparameters()
    p = subparsers.add_parser(
        "train",
        help=translate("cli", "train a network on a dataset"),
        description=translate(
            "cli",
            "Train an architecture (a preset name or a .toml/.json file) on a dataset, "
            "showing progress on stderr and the test accuracy after each epoch. --resume "
            "continues a saved run; flags given explicitly override its hyperparameters. Ctrl-C "
            "stops after the current step and, with --out, saves the run so far (resumable with "
            "--resume); the exit status is then 130.",
        ),
    )
    p.add_argument(
        "--arch",
        metavar="NAME|PATH",
        help=translate("cli", "preset or architecture file (default {default})").format(
            default=DEFAULT_ARCH
        ),
    )
    p.add_argument(
        "--dataset",
        metavar="NAME",
        help=translate("cli", "dataset (default {default})").format(default=DEFAULT_DATASET),
    )
    p.add_argument(
        "--epochs",
        type=_positive_int,
        metavar="E",
        help=translate("cli", "total epochs, counting those already trained ({default})").format(
            default=hp.epochs
        ),
    )
    p.add_argument(
        "--batch-size",
        type=_positive_int,
        metavar="B",
        help=translate("cli", "batch size ({default})").format(default=hp.batch_size),
    )
    p.add_argument(
        "--optimizer",
        choices=OPTIMIZER_NAMES,
        help=translate(
            "cli", "optimiser ({default}; nesterov is SGD with Nesterov momentum)"
        ).format(default=hp.optimizer),
    )
    p.add_argument(
        "--lr",
        type=_finite_float,
        metavar="LR",
        help=translate("cli", "learning rate ({sgd} for SGD and Nesterov; {others})").format(
            sgd=CLI_DEFAULTS["lr"],
            others=", ".join(
                translate("cli", "{value} for {optimizer}").format(value=f"{v:g}", optimizer=k)
                for k, v in OPTIMIZER_LR.items()
            ),
        ),
    )
    p.add_argument(
        "--momentum",
        type=_finite_float,
        metavar="M",
        help=translate("cli", "SGD's momentum ({default})").format(default=hp.momentum),
    )
    p.add_argument(
        "--weight-decay",
        type=_finite_float,
        metavar="W",
        help=translate(
            "cli",
            "weight decay λ, L2, decoupled for adamw ({default} for SGD and Nesterov; "
            "PyTorch's for the others: 0.01 for adamw, else 0)",
        ).format(default=f"{CLI_DEFAULTS['weight_decay']:g}"),
    )
    p.add_argument(
        "--betas",
        type=_betas,
        metavar="B1,B2",
        help=translate("cli", "Adam's and AdamW's betas ({default})").format(
            default=f"{hp.beta1},{hp.beta2}"
        ),
    )
    p.add_argument(
        "--eps",
        type=_finite_float,
        metavar="EPS",
        help=translate(
            "cli", "ε added to the root mean square by adam, adamw, rmsprop ({default})"
        ).format(default=f"{hp.eps:g}"),
    )
    p.add_argument(
        "--alpha",
        type=_finite_float,
        metavar="A",
        help=translate("cli", "RMSProp's decay α ({default})").format(default=hp.alpha),
    )
    p.add_argument(
        "--init",
        type=_init,
        metavar="SCHEME",
        help=translate(
            "cli",
            "initialise every conv and dense layer by {schemes} (normal:STD for another std "
            "than 0.01); default: suited to the activation that follows, or the architecture "
            "file's init",
        ).format(schemes=", ".join(INIT_SCHEMES)),
    )
    p.add_argument(
        "--schedule",
        choices=SCHEDULES,
        help=translate("cli", "learning-rate schedule ({default})").format(
            default=CLI_DEFAULTS["schedule"]
        ),
    )
    p.add_argument(
        "--seed",
        type=_nonnegative_int,
        metavar="S",
        help=translate("cli", "seed ({default})").format(default=hp.seed),
    )
    p.add_argument(
        "--out",
        metavar="FILE",
        help=translate("cli", "save the trained model here (e.g. {example})").format(
            example=f"model{EXTENSION}"
        ),
    )
    p.add_argument(
        "--resume", metavar="FILE", help=translate("cli", "continue the run saved in a model file")
    )
    add_data_dir(p)
    p.add_argument(
        "--limit-train",
        type=_positive_int,
        metavar="N",
        help=translate(
            "cli", "use only the first N training samples (give the same N again with --resume)"
        ),
    )
    p.add_argument(
        "--json", action="store_true", help=translate("cli", "end with one line of JSON on stdout")
    )
    p.set_defaults(func=run)


def _positive_int(text: str) -> int:
    v = _int(text)
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return v


def _nonnegative_int(text: str) -> int:
    v = _int(text)
    if v < 0:
        raise argparse.ArgumentTypeError(f"expected an integer ≥ 0, got {text!r}")
    return v


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None


def _betas(text: str) -> tuple[float, float]:
    parts = text.split(",")
    if len(parts) != 2:
        raise argparse.ArgumentTypeError(f"expected two numbers B1,B2, got {text!r}")
    return _finite_float(parts[0]), _finite_float(parts[1])


def _init(text: str) -> str | dict[str, Any]:
    scheme, _, std = text.partition(":")
    value: str | dict[str, Any] = scheme
    if std:
        if scheme != "normal":
            raise argparse.ArgumentTypeError(f"only normal takes a std (normal:STD), not {text!r}")
        value = {"scheme": "normal", "std": _finite_float(std)}
    try:
        return init_scheme(value, "--init")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _finite_float(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(v):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return v


# ---------------------------------------------------------------------------------- datasets
def open_dataset(name: str, data_dir: str | None, limit_train: int | None = None):
    """Load dataset ``name`` (downloading it, or decoding a folder, with progress on stderr)."""
    from cnnviz.datasets import load_dataset

    bar = ProgressBar()
    try:
        ds = load_dataset(name, data_dir=data_dir, progress=bar)
    finally:
        bar.finish()
    if limit_train is not None and limit_train < len(ds.train_labels):
        ds = dataclasses.replace(
            ds,
            train_images=ds.train_images[:limit_train],
            train_labels=ds.train_labels[:limit_train],
        )
    return ds


def with_normalization(ds, normalization: dict[str, Any]):
    """``ds`` normalised as the model was trained (the model file's mean and std)."""
    from cnnviz.datasets.base import Normalization

    norm = ds.normalization
    current = norm.to_dict() if isinstance(norm, Normalization) else dict(norm)
    if current == normalization or not dataclasses.is_dataclass(ds):
        return ds
    return dataclasses.replace(ds, normalization=type(norm).from_dict(normalization))


# ---------------------------------------------------------------------------------- progress
class EpochProgress:
    """Per-epoch accounting and its display on ``stream``."""

    BAR = 24

    def __init__(self, trainer: Trainer, stream, tty: bool | None = None) -> None:
        self.trainer = trainer
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self.last_eval: EvalResult | None = None
        self.epoch_losses: list[float] = []
        self.last_epoch_loss = float("nan")
        self.last_epoch_accuracy = float("nan")
        self.epoch_seconds: list[float] = []
        self._reset()
        self._drawn = 0.0

    def _reset(self) -> None:
        self.t0 = time.perf_counter()
        self.loss_sum = self.correct = self.images = 0.0
        self.steps = 0
        self.train_t0 = self.trainer.train_seconds

    def on_step(self, info: StepInfo) -> None:
        n = len(info.batch_indices)
        self.loss_sum += info.loss * n
        self.correct += info.accuracy * n
        self.images += n
        self.steps += 1
        if self.tty:
            now = time.perf_counter()
            if now - self._drawn >= 0.1 or info.epoch_progress >= 1.0:
                self._drawn = now
                self._draw(info)

    def _rate(self) -> float:
        seconds = self.trainer.train_seconds - self.train_t0
        return self.images / seconds if seconds > 0 else 0.0

    def _draw(self, info: StepInfo) -> None:
        hp = self.trainer.hp
        filled = int(self.BAR * info.epoch_progress)
        bar = "█" * filled + "·" * (self.BAR - filled)
        loss = self.loss_sum / max(self.images, 1)
        acc = self.correct / max(self.images, 1)
        self.stream.write(
            f"\repoch {info.epoch + 1}/{hp.epochs} {bar} {info.epoch_progress:4.0%} "
            f"loss {loss:.4f} acc {acc:6.2%} {self._rate():6.0f} img/s"
        )
        self.stream.flush()

    def on_eval(self, result: EvalResult) -> None:
        self.last_eval = result

    def on_epoch(self, epoch: int) -> None:
        seconds = time.perf_counter() - self.t0
        loss = self.loss_sum / max(self.images, 1)
        acc = self.correct / max(self.images, 1)
        self.last_epoch_loss, self.last_epoch_accuracy = loss, acc
        self.epoch_seconds.append(seconds)
        test = (
            f" test acc {self.last_eval.accuracy:.2%}"
            if self.last_eval is not None
            and self.last_eval.step == self.trainer.step
            and math.isfinite(self.last_eval.accuracy)
            else ""
        )
        line = (
            f"epoch {epoch + 1}/{self.trainer.hp.epochs}: loss {loss:.4f} train acc {acc:.2%}"
            f"{test}  {self._rate():.0f} img/s  {seconds:.1f} s"
        )
        self.stream.write(("\r\x1b[K" if self.tty else "") + line + "\n")
        self.stream.flush()
        self._reset()

    def finish_line(self) -> None:
        if self.tty and self.steps:
            self.stream.write("\n")
            self.stream.flush()


@contextmanager
def stop_on_sigint(stop: threading.Event):
    """First Ctrl-C sets ``stop`` (training ends after the current step); a second one raises
    KeyboardInterrupt as usual. Only in the main thread; elsewhere a no-op."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        sys.stderr.write("\ncnnviz: stopping after this step (Ctrl-C again to abort)\n")

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


# ---------------------------------------------------------------------------------- the command
def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    out = {
        hp: getattr(args, flag) for flag, hp in _HP_FLAGS.items() if getattr(args, flag) is not None
    }
    if getattr(args, "betas", None) is not None:
        out["beta1"], out["beta2"] = args.betas
    return out


def new_run_hyperparameters(overrides: dict[str, Any]) -> Hyperparameters:
    """The hyperparameters of a new run: the flags given, then :data:`CLI_DEFAULTS` (the
    learning rate of :data:`OPTIMIZER_LR` for an adaptive optimiser), then the defaults."""
    defaults = dict(CLI_DEFAULTS)
    kind = overrides.get("optimizer", Hyperparameters().optimizer)
    if kind in OPTIMIZER_LR:
        defaults["lr"] = OPTIMIZER_LR[kind]
        defaults["weight_decay"] = OPTIMIZER_WEIGHT_DECAY[kind]
    return Hyperparameters.from_dict(Hyperparameters().to_dict() | defaults | overrides)


def build_trainer(args: argparse.Namespace) -> Trainer:
    data_dir = getattr(args, "data_dir", None)
    overrides = _overrides(args)
    if args.resume:
        if args.arch is not None or getattr(args, "init", None) is not None:
            raise CnnvizError(
                f"--{'arch' if args.arch is not None else 'init'} cannot be used with --resume: "
                "the architecture is in the file"
            )
        state = load_model(args.resume)
        if args.dataset is not None and args.dataset != state.dataset:
            raise CnnvizError(
                f"--resume: {args.resume} was trained on {state.dataset}, not {args.dataset}"
            )
        state.hyperparameters = Hyperparameters.from_dict(
            state.hyperparameters.to_dict() | overrides
        )
        ds = open_dataset(state.dataset, data_dir, args.limit_train)
        ds = with_normalization(ds, state.normalization)
        if ds.num_classes != state.num_classes or tuple(ds.input_shape) != state.input_shape:
            raise CnnvizError(
                f"dataset {ds.name} no longer matches the model in {args.resume} "
                f"({tuple(ds.input_shape)}, {ds.num_classes} classes)"
            )
        return Trainer.from_state(state, ds)
    arch = args.arch or DEFAULT_ARCH
    spec = load_architecture(arch)  # a bad file fails before the dataset is loaded
    hp = new_run_hyperparameters(overrides)
    ds = open_dataset(args.dataset or DEFAULT_DATASET, data_dir, args.limit_train)
    if getattr(args, "init", None) is None:
        return Trainer.create(arch, ds, hp)
    spec["init"] = args.init  # the file's own per-layer inits stay
    with named_file(arch):
        return Trainer.create(spec, ds, hp)


def run(args: argparse.Namespace) -> int:
    if args.out:  # before any training: a run must not end unable to save
        if Path(args.out).is_dir():
            raise CnnvizError(f"--out {args.out} is a folder; give a file name")
        check_output(args.out, "--out")
    trainer = build_trainer(args)
    if args.batch_size is not None:
        trainer.check_batch_fits()
    err = sys.stderr
    name = printable(trainer.architecture.get("name", "network"), 80)
    if trainer.finished:
        err.write(
            f"{args.resume} is already trained for {trainer.epoch} epochs; give --epochs N "
            f"(more than {trainer.epoch}) to train further\n"
        )
    else:
        where = f" from epoch {trainer.epoch + 1}, step {trainer.step}" if trainer.step else ""
        err.write(
            f"training {name} ({trainer.net.num_params:,} parameters) on "
            f"{printable(trainer.dataset.name)} "
            f"({trainer.train_size:,} training images){where}\n"
        )
    progress = EpochProgress(trainer, err)
    trainer.subscribe("step", progress.on_step)
    trainer.subscribe("eval", progress.on_eval)
    trainer.subscribe("epoch", progress.on_epoch)
    start_epoch, start_step, start_images = trainer.epoch, trainer.step, trainer.images_seen
    stop = threading.Event()
    t0 = time.perf_counter()
    # A diverging step raises DivergenceError; NumPy's overflow warnings (also from the
    # engine's worker threads, which np.errstate does not reach) would only add noise.
    diverged: DivergenceError | None = None
    with stop_on_sigint(stop), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            try:
                trainer.run(should_stop=stop)
            except DivergenceError as exc:
                diverged = exc
    seconds = time.perf_counter() - t0
    progress.finish_line()

    if diverged is not None:  # the trainer left the state of the step before: keep it
        if args.out:
            save_model(args.out, trainer.state())
            where = f"; saved the state before that step to {args.out}"
        else:
            where = "; nothing saved (no --out)"
        err.write(f"cnnviz: error: {diverged}{where}\n")
        return 1

    interrupted = stop.is_set() and not trainer.finished
    if interrupted:
        if args.out:
            save_model(args.out, trainer.state())
            err.write(
                f"interrupted at step {trainer.step}; saved to {args.out} "
                f"(continue with --resume {args.out})\n"
            )
        else:
            err.write(f"interrupted at step {trainer.step}; nothing saved (no --out)\n")
        return 130

    result = progress.last_eval
    if result is None or result.step != trainer.step:
        result = trainer.evaluate()
    if args.out:
        save_model(args.out, trainer.state())

    images = trainer.images_seen - start_images
    if not result.confusion.sum():
        err.write(f"{trainer.dataset.name} has no test images: no test accuracy or loss\n")
    summary = {
        "test_accuracy": _finite_or_none(result.accuracy),
        "test_loss": _finite_or_none(result.loss),
        "train_loss": _finite_or_none(progress.last_epoch_loss),
        "train_accuracy": _finite_or_none(progress.last_epoch_accuracy),
        "epochs": trainer.epoch,
        "epochs_this_run": trainer.epoch - start_epoch,
        "steps": trainer.step,
        "steps_this_run": trainer.step - start_step,
        "seconds": round(seconds, 3),
        "seconds_per_epoch": [round(s, 3) for s in progress.epoch_seconds],
        "images_per_s": round(images / trainer.train_seconds, 1) if trainer.train_seconds else 0,
        "architecture": name,
        "dataset": trainer.dataset.name,
        "train_size": trainer.train_size,
        "hyperparameters": trainer.hp.to_dict(),
        "out": args.out,
    }
    if args.json:
        print(json.dumps(summary, allow_nan=False))
    else:
        accuracy = f"{result.accuracy:.2%}" if math.isfinite(result.accuracy) else "—"
        print(
            f"test accuracy {accuracy} after {count(trainer.epoch, 'epoch')} "
            f"({seconds:.1f} s, {summary['images_per_s']:.0f} images/s)"
            + (f"; saved to {args.out}" if args.out else "; not saved (use --out FILE)")
        )
    return 0


def _finite_or_none(v: float) -> float | None:
    return float(v) if np.isfinite(v) else None
