"""The NumPy CNN engine: layers with their backward beside their forward, a trace of every
intermediate, a steppable training step, optimisers and a gradient check. Pure NumPy: no Qt
here."""

from .activations import ACTIVATIONS, Activation, LeakyReLU, ReLU, ScaledTanh, Sigmoid, Tanh
from .batchnorm import BatchNorm1D, BatchNorm2D, batch_norm
from .conv import Conv2D, full_convolution_input_grad, im2col
from .dense import Dense, Flatten
from .dropout import Dropout
from .global_pool import GlobalAvgPool
from .gradcheck import gradient_check
from .init import INIT_SCHEMES, Init, init_weight
from .layer import Layer, fmt_shape
from .losses import LOSSES, Loss, SoftmaxCrossEntropy, SquaredError
from .network import Network, Phase, StepResult, TrainingStep
from .optim import (
    OPTIMIZER_NAMES,
    OPTIMIZERS,
    SGD,
    AdaGrad,
    Adam,
    AdamW,
    Optimizer,
    RMSProp,
    make_optimizer,
)
from .pool import AvgPool2D, LpPool2D, MaxPool2D, Pool2D, Subsampling

LAYERS: dict[str, type[Layer]] = {
    cls.kind: cls
    for cls in (
        Conv2D,
        Dense,
        Flatten,
        MaxPool2D,
        AvgPool2D,
        LpPool2D,
        Subsampling,
        BatchNorm2D,
        BatchNorm1D,
        Dropout,
        GlobalAvgPool,
    )
} | ACTIVATIONS

__all__ = [
    "ACTIVATIONS",
    "INIT_SCHEMES",
    "LAYERS",
    "LOSSES",
    "OPTIMIZERS",
    "OPTIMIZER_NAMES",
    "SGD",
    "Activation",
    "AdaGrad",
    "Adam",
    "AdamW",
    "AvgPool2D",
    "BatchNorm1D",
    "BatchNorm2D",
    "Conv2D",
    "Dense",
    "Dropout",
    "Flatten",
    "GlobalAvgPool",
    "Init",
    "Layer",
    "LeakyReLU",
    "Loss",
    "LpPool2D",
    "MaxPool2D",
    "Network",
    "Optimizer",
    "Phase",
    "Pool2D",
    "RMSProp",
    "ReLU",
    "ScaledTanh",
    "Sigmoid",
    "SoftmaxCrossEntropy",
    "SquaredError",
    "StepResult",
    "Subsampling",
    "Tanh",
    "TrainingStep",
    "batch_norm",
    "fmt_shape",
    "full_convolution_input_grad",
    "gradient_check",
    "im2col",
    "init_weight",
    "make_optimizer",
]
