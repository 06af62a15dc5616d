"""The commands and jobs the app sends its training process, declared once for both ends.

:data:`COMMANDS` maps each command's name to its arguments and where the training process
carries it out: ``session`` (the :class:`~cnnviz.live.session.Session` method of that name,
which only enqueues), ``host`` (the host's handler, e.g. building a network from a start spec)
or ``reader`` (at once, on the host's reader thread: ``cancel``, ``stop``). :data:`JOBS` maps
each job — a computation on the training thread whose result goes back — to its keyword
arguments and the function that runs it.

Both ends use the tables: :class:`~cnnviz.live.remote.RemoteSession` generates its session
commands from :data:`COMMANDS` and checks every message with :meth:`Command.pack` before it
sends it (a wrong argument is the caller's error); the host checks every message it receives
with :func:`parse` (a message that fails is a broken or hostile peer: the connection ends).

A message is a tuple ``(name, *arguments)``; a job is the command
``("job", id, kind, {keyword: value})``. Each argument's check returns the value as the
receiver uses it, or raises :class:`BadMessage`: types are strict (a bool is not an int),
integers are bounded, names come from fixed lists. Ranges that depend on the network (a sample
beyond the test set) are the session's to report, as an ``error`` event.
"""

from __future__ import annotations

import dataclasses
import inspect
import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from cnnviz.training.stages import MAP_KINDS
from cnnviz.training.trainer import Hyperparameters

from . import wire
from .snapshot import ViewRequest

if TYPE_CHECKING:
    from cnnviz.training.trainer import Trainer

    from .session import Session

MAX_INT = 2**31 - 1  # indices, seeds, counts: what the app's spin boxes can hold
MAX_TEXT = 4096  # characters of a name or a path
SPLITS = ("train", "test")
REQUIRED = inspect.Parameter.empty
_POSITIONAL = inspect.Parameter.POSITIONAL_OR_KEYWORD


class BadMessage(wire.WireError):
    """A message that is not one of the declared commands with arguments of the right kind."""


# ---------------------------------------------------------------------------- checks
Check = Callable[[Any], Any]


def integer(lo: int = -MAX_INT, hi: int = MAX_INT) -> Check:
    def check(value: Any) -> int:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
            raise BadMessage(f"expected an integer, not {type(value).__name__}")
        value = operator.index(value)
        if not lo <= value <= hi:
            raise BadMessage(f"{value} is not within [{lo}, {hi}]")
        return value

    return check


def flag(value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise BadMessage(f"expected true or false, not {type(value).__name__}")
    return bool(value)


def text(value: Any) -> str:
    if not isinstance(value, str):
        raise BadMessage(f"expected text, not {type(value).__name__}")
    if len(value) > MAX_TEXT:
        raise BadMessage(f"text of {len(value)} characters (at most {MAX_TEXT})")
    return value


def one_of(*choices: str) -> Check:
    def check(value: Any) -> str:
        if not isinstance(value, str) or value not in choices:
            raise BadMessage(f"expected one of {', '.join(choices)}, not {value!r:.40}")
        return value

    return check


def optional(inner: Check) -> Check:
    def check(value: Any) -> Any:
        return None if value is None else inner(value)

    return check


def number(value: Any) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        raise BadMessage(f"expected a number, not {type(value).__name__}")
    return value


def image(dtype: str) -> Check:
    """A (C, H, W) array of ``dtype`` (the app converts its images before sending)."""

    def check(value: Any) -> np.ndarray:
        if not isinstance(value, np.ndarray) or value.dtype != np.dtype(dtype):
            raise BadMessage(f"expected a {dtype} array, not {type(value).__name__}")
        if value.ndim != 3 or not value.size:
            raise BadMessage(f"expected an image (C, H, W), not an array of shape {value.shape}")
        return value

    return check


def _fields_of(value: Any, cls: type) -> dict[str, Any]:
    """Every field of a dataclass received (the wire sets fields without ``__init__``)."""
    if type(value) is not cls:
        raise BadMessage(f"expected a {cls.__name__}, not {type(value).__name__}")
    missing = [f.name for f in dataclasses.fields(cls) if f.name not in vars(value)]
    if missing:
        raise BadMessage(f"a {cls.__name__} without {', '.join(missing)}")
    return {f.name: getattr(value, f.name) for f in dataclasses.fields(cls)}


def _position(value: Any) -> Any:
    if value is not None:
        if not isinstance(value, (tuple, list)) or len(value) > 8:
            raise BadMessage("a position is a tuple of at most 8 indices")
        for i in value:
            integer()(i)
    return value


_VIEW_FIELDS: dict[str, Check] = {
    "sample": integer(), "map_kind": one_of(*MAP_KINDS), "stage": integer(),
    "histograms": flag, "inspect": flag, "explain": flag, "position": _position,
    "follow_phase": flag,
}  # fmt: skip


def view_request(value: Any) -> ViewRequest:
    for name, v in _fields_of(value, ViewRequest).items():
        try:
            _VIEW_FIELDS[name](v)
        except BadMessage as exc:
            raise BadMessage(f"{name}: {exc}") from None
    return value


def hyperparameters(value: Any) -> Hyperparameters:
    for name, v in _fields_of(value, Hyperparameters).items():
        if not (v is None or isinstance(v, (bool, int, float, str))):
            raise BadMessage(f"hyperparameter {name}: {type(v).__name__}")
    return value


def changes(value: Any) -> dict[str, Any]:
    """Keyword arguments of :meth:`Trainer.set_hyperparameters` (their values are checked
    there, as any hyperparameters)."""
    if not isinstance(value, dict):
        raise BadMessage(f"expected keyword arguments, not {type(value).__name__}")
    names = {f.name for f in dataclasses.fields(Hyperparameters)}
    for key, v in value.items():
        if key not in names:
            raise BadMessage(f"no hyperparameter {key!r:.40}")
        if not (v is None or isinstance(v, (bool, int, float, str))):
            raise BadMessage(f"hyperparameter {key}: {type(v).__name__}")
    return value


def spec(value: Any) -> dict:
    """A start spec (:func:`cnnviz.live.remote.spec_new` or ``spec_open``)."""
    if not isinstance(value, dict):
        raise BadMessage(f"expected a start spec, not {type(value).__name__}")
    keys = {
        "new": {"kind": one_of("new"), "arch": text, "dataset": text,
                "hp": optional(hyperparameters), "data_dir": optional(text)},
        "open": {"kind": one_of("open"), "path": text, "data_dir": optional(text)},
    }.get(value.get("kind"))  # fmt: skip
    if keys is None or set(value) != set(keys):
        raise BadMessage("a start spec has a kind (new or open) and its own keys")
    for key, check in keys.items():
        check(value[key])
    return value


# ---------------------------------------------------------------------------- declarations
@dataclass(frozen=True)
class Arg:
    """An argument: its name, its check, its default (``REQUIRED``: none), and ``prepare``,
    applied by the sender only (e.g. an image converted to the dtype sent)."""

    name: str
    check: Check
    default: Any = REQUIRED
    prepare: Callable[[Any], Any] | None = None
    keywords: bool = False  # the method takes ``**name``; they travel as one dict


@dataclass(frozen=True)
class Command:
    name: str
    doc: str
    args: tuple[Arg, ...] = ()
    to: str = "session"  # "session", "host" or "reader"

    def signature(self) -> inspect.Signature:
        """The Python signature of the method (after ``self``)."""
        params = [inspect.Parameter("self", _POSITIONAL)]
        for a in self.args:
            kind = inspect.Parameter.VAR_KEYWORD if a.keywords else _POSITIONAL
            params.append(inspect.Parameter(a.name, kind, default=a.default))
        return inspect.Signature(params)

    def pack(self, *args: Any, **kwargs: Any) -> tuple:
        """The message for a call ``name(*args, **kwargs)``, checked (the sender's side)."""
        bound = self.signature().bind(None, *args, **kwargs)
        bound.apply_defaults()
        values = []
        for a in self.args:
            value = bound.arguments[a.name]
            if a.prepare is not None and value is not None:
                value = a.prepare(value)
            values.append(_checked(self.name, a, value))
        return (self.name, *values)

    def check(self, values: tuple) -> tuple:
        """The arguments received, checked (the receiver's side)."""
        if len(values) != len(self.args):
            raise BadMessage(f"{self.name} takes {len(self.args)} arguments, not {len(values)}")
        return tuple(_checked(self.name, a, v) for a, v in zip(self.args, values, strict=True))

    def apply(self, target: Any, values: tuple) -> Any:
        """Call the method of that name of ``target`` with the checked arguments."""
        method = getattr(target, self.name)
        if self.args and self.args[-1].keywords:
            return method(*values[:-1], **values[-1])
        return method(*values)


def _checked(command: str, arg: Arg, value: Any) -> Any:
    try:
        return arg.check(value)
    except BadMessage as exc:
        raise BadMessage(f"{command}: {arg.name}: {exc}") from None


@dataclass(frozen=True)
class Job:
    """A computation on the training thread, asked for by name; ``run(session, trainer,
    **kwargs)`` returns the result sent back."""

    name: str
    doc: str
    run: Callable[..., Any]
    args: tuple[Arg, ...] = ()

    def check(self, kwargs: Any) -> dict[str, Any]:
        """The keyword arguments, checked (both ends); unknown ones are refused."""
        if not isinstance(kwargs, dict):
            raise BadMessage(f"job {self.name}: expected keyword arguments")
        known = {a.name: a for a in self.args}
        unknown = [k for k in kwargs if k not in known]
        if unknown:
            raise BadMessage(f"job {self.name}: no argument {unknown[0]!r:.40}")
        out = {}
        for a in self.args:
            if a.name in kwargs:
                out[a.name] = _checked(f"job {self.name}", a, kwargs[a.name])
            elif a.default is REQUIRED:
                raise BadMessage(f"job {self.name}: {a.name} is missing")
        return out


def _table(*entries):
    return {e.name: e for e in entries}


# ---------------------------------------------------------------------------- jobs
def _timeline_frame(s: Session, trainer: Trainer, entry: int, split: str, index: int) -> Any:
    image, label = s.sample_input(split, index)
    return s.timeline.render_at(trainer, entry, image, label)


def _backward_sweep(s: Session, trainer: Trainer, split: str, index: int) -> Any:
    from cnnviz.training.timeline import backward_sweep

    image, label = s.sample_input(split, index)
    return backward_sweep(None, trainer, image, label)


def _kernel_series(s: Session, trainer: Trainer, layer: str) -> Any:
    return s.timeline.kernel_series(layer)


def _gradient_check(s: Session, trainer: Trainer, **options: Any) -> Any:
    from cnnviz.lessons.gradient_table import run_gradient_check

    return run_gradient_check(trainer, **options)


def _timeline_configure(s: Session, trainer: Trainer, **options: Any) -> None:
    s.timeline.configure(**options)


def _state(s: Session, trainer: Trainer, timeline: bool = False) -> dict[str, Any]:
    return {
        "step": trainer.step,
        "images_seen": trainer.images_seen,
        "metric_entries": len(trainer.metrics.step),
        "train_size": trainer.train_size,
        "weights": {k: v.copy() for k, v in trainer.net.state_dict().items()},
        "optimizer": {k: np.array(v, copy=True) for k, v in trainer.optimizer.state_dict().items()},
        "metrics": trainer.metrics.to_arrays(),
        "epoch": trainer.epoch,
        "sample_in_epoch": trainer.sample_in_epoch,
        "timeline_params": [f.params for f in s.timeline.frames()] if timeline else None,
        "generation": s.generation,
    }


def _export(s: Session, trainer: Trainer, **paths: str | None) -> list[str]:
    from cnnviz.interop.files import export_model

    state = trainer.state()
    source = s.model_path or ""
    return export_model(state, trainer.net, source=source, **paths)


def _finite(value: Any) -> float:
    value = number(value)
    if not math.isfinite(value) or value <= 0:
        raise BadMessage(f"expected a positive number, not {value}")
    return value


_SPLIT, _INDEX = Arg("split", one_of(*SPLITS)), Arg("index", integer())  # (clamped there)

JOBS: dict[str, Job] = _table(
    Job("timeline_frame", "The network as it was at timeline entry ``entry``, on a sample.",
        _timeline_frame, (Arg("entry", integer()), _SPLIT, _INDEX)),
    Job("backward_sweep", "Every phase of one step on a sample (for the backward GIF).",
        _backward_sweep, (_SPLIT, _INDEX)),
    Job("kernel_series", "A conv layer's kernels at every timeline entry.",
        _kernel_series, (Arg("layer", text),)),
    Job("gradient_check", "Backprop against central differences (the gradient check panel).",
        _gradient_check, (
            Arg("source", one_of("batch", "test", "noise"), "batch"),
            Arg("batch_size", integer(1, 64), 4), Arg("entries", integer(1, 1000), 24),
            Arg("seed", integer(0), 0), Arg("layer", optional(text), None),
            Arg("filter", integer(0), 0), Arg("parameters", flag, True),
            Arg("eps", _finite, 1e-5), Arg("recheck_eps", optional(_finite), 1e-3),
        )),
    Job("timeline_configure", "The timeline's interval and memory limit.",
        _timeline_configure, (Arg("every", optional(integer(1)), None),
                              Arg("max_bytes", optional(integer(1, 2**40)), None))),
    Job("state", "What the network holds now (tests, scripts).",
        _state, (Arg("timeline", flag, False),)),
    Job("export", "Export the model as ONNX, safetensors and/or a PyTorch module file.",
        _export, (Arg("onnx", optional(text), None), Arg("safetensors", optional(text), None),
                  Arg("torch", optional(text), None))),
)  # fmt: skip


def job_request(value: Any) -> tuple:
    """The arguments of the ``job`` command: (kind, keyword arguments)."""
    if not isinstance(value, tuple) or len(value) != 2:
        raise BadMessage("a job request is (kind, keyword arguments)")
    kind, kwargs = value
    job = JOBS.get(kind) if isinstance(kind, str) else None
    if job is None:
        raise BadMessage(f"unknown job {kind!r:.40}")
    return kind, job.check(kwargs)


# ---------------------------------------------------------------------------- commands
def _uint8(image: Any) -> np.ndarray:
    return np.asarray(image, dtype=np.uint8)


def _float32(image: Any) -> np.ndarray:
    return np.asarray(image, dtype=np.float32)


_LABEL = Arg("label", integer(-1))  # -1: the predicted class

COMMANDS: dict[str, Command] = _table(
    Command("play", "Train at the chosen speed."),
    Command("pause", "Pause after the step under way; during a test evaluation, before it ends."),
    Command("step_batch", "Pause and advance one whole step (or finish the one under way)."),
    Command("step_phase", "Pause and advance one phase of the step."),
    Command("evaluate", "Evaluate on the test set now."),
    Command("undo_phase", "Pause and go back one phase, exactly."),
    Command("undo_batch", "Pause and go back to before the step under way or the last step."),
    Command("resume_from", "Go back to the state after a recent step; training goes on from it.",
            (Arg("step", integer(0)),)),
    Command("set_epochs", "Train for this many epochs in all (more epochs after the end).",
            (Arg("epochs", integer(1, 100_000)),)),
    Command("set_speed", "Train at ``SPEEDS[index]``.", (Arg("index", integer()),)),
    Command("set_hyperparameters", "Change hyperparameters, from the next step.",
            (Arg("changes", changes, keywords=True),)),
    Command("set_view", "What the app shows: what the snapshots copy.",
            (Arg("view", view_request),)),
    Command("reset", "Re-initialise the network with fresh weights and clear the history.",
            (Arg("seed", optional(integer(0, 2**32 - 1)), None),)),
    Command("probe", "Show a dataset sample: forward and backward on it alone, no update.",
            (_SPLIT, Arg("index", integer(0)))),
    Command("probe_drawing", "Show raw pixels (uint8 (C, H, W)), normalised as the dataset's.",
            (Arg("image", image("uint8"), prepare=_uint8), _LABEL)),
    Command("probe_image", "Show a normalised image (float32 (C, H, W)), e.g. one drawn.",
            (Arg("image", image("float32"), prepare=_float32), _LABEL)),
    Command("new", "Replace the network by a fresh one from a start spec.",
            (Arg("spec", spec),), to="host"),
    Command("open", "Replace the network by a model file's, from a start spec.",
            (Arg("spec", spec),), to="host"),
    Command("save", "Write the model file; with a job id, its result comes back.",
            (Arg("path", text), Arg("job", optional(integer(0)), None)), to="host"),
    Command("job", "Run job ``request[0]`` with keyword arguments ``request[1]``.",
            (Arg("id", integer(0)), Arg("request", job_request)), to="host"),
    Command("cancel", "A dataset download under way gives up.", to="reader"),
    Command("stop", "End after the step under way.", to="reader"),
)  # fmt: skip


def parse(message: Any) -> tuple[Command, tuple]:
    """The command of a message received and its checked arguments (or :class:`BadMessage`)."""
    if not isinstance(message, tuple) or not message or not isinstance(message[0], str):
        raise BadMessage("a command is a tuple (name, arguments…)")
    command = COMMANDS.get(message[0])
    if command is None:
        raise BadMessage(f"unknown command {message[0]!r:.40}")
    return command, command.check(message[1:])


def remote_method(command: Command) -> Callable[..., None]:
    """A method that sends ``command`` (for :class:`~cnnviz.live.remote.RemoteSession`)."""

    def method(self, *args: Any, **kwargs: Any) -> None:
        try:
            message = command.pack(*args, **kwargs)
        except BadMessage as exc:  # a value out of range: shown as any error of a command
            self._emit("error", str(exc))
            return
        self._command(*message)

    method.__name__ = method.__qualname__ = command.name
    method.__doc__ = command.doc
    method.__signature__ = command.signature()  # type: ignore[attr-defined]
    return method
