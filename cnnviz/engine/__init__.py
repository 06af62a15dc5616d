"""The NumPy CNN engine: layers with their backward beside their forward, a trace of every
intermediate, a steppable training step, SGD and a gradient check. Pure NumPy: no Qt here."""

from .activations import ACTIVATIONS, Activation, LeakyReLU, ReLU, ScaledTanh, Sigmoid, Tanh
from .conv import Conv2D, full_convolution_input_grad, im2col
from .dense import Dense, Flatten
from .gradcheck import gradient_check
from .layer import Layer, fmt_shape
from .losses import LOSSES, Loss, SoftmaxCrossEntropy, SquaredError
from .network import Network, Phase, StepResult, TrainingStep
from .optim import SGD
from .pool import AvgPool2D, LpPool2D, MaxPool2D, Pool2D, Subsampling

LAYERS: dict[str, type[Layer]] = {
    cls.kind: cls for cls in (Conv2D, Dense, Flatten, MaxPool2D, AvgPool2D, LpPool2D, Subsampling)
} | ACTIVATIONS

__all__ = [
    "ACTIVATIONS",
    "LAYERS",
    "LOSSES",
    "SGD",
    "Activation",
    "AvgPool2D",
    "Conv2D",
    "Dense",
    "Flatten",
    "Layer",
    "LeakyReLU",
    "Loss",
    "LpPool2D",
    "MaxPool2D",
    "Network",
    "Phase",
    "Pool2D",
    "ReLU",
    "ScaledTanh",
    "Sigmoid",
    "SoftmaxCrossEntropy",
    "SquaredError",
    "StepResult",
    "Subsampling",
    "Tanh",
    "TrainingStep",
    "fmt_shape",
    "full_convolution_input_grad",
    "gradient_check",
    "im2col",
]
