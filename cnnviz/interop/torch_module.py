"""The source of a self-contained PyTorch ``nn.Module`` for a cnnviz network.

The module's ``state_dict()`` keys are exactly the network's parameter and buffer names
(batch norm's ``running_mean``, ``running_var``, ``num_batches_tracked``: the keys of the
safetensors file :func:`cnnviz.interop.weights.save_safetensors` writes), so

    model = Net()
    model.load_state_dict(safetensors.torch.load_file("model.safetensors"))

works and gives the scores cnnviz gives. The file needs nothing but ``torch``; it is plain,
readable code (one line per layer in ``forward``), for a student to take further.

Layers cnnviz has and PyTorch has not are written out in the file: LeNet-5's trainable
subsampling (``Subsampling``: β·down(x) + b, down summing each k×k block), the scaled tanh
``A·tanh(S·x)``, and a convolution with a connection table (``TableConv2d``, its mask a
buffer outside the state dict).
"""

from __future__ import annotations

import keyword

from cnnviz.engine import Network

from . import InteropError

_HELPERS = {
    "subsample": '''
class Subsampling(nn.Module):
    """LeNet-5's trainable subsampling: u = β·down(x) + b, down summing each k×k block."""

    def __init__(self, channels: int, kernel_size: int):
        super().__init__()
        self.kernel_size = kernel_size
        self.beta = nn.Parameter(torch.full((channels,), 1.0 / kernel_size**2))
        self.bias = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        down = F.avg_pool2d(x, self.kernel_size, divisor_override=1)  # the block sums
        return down * self.beta[:, None, None] + self.bias[:, None, None]
''',
    "table": '''
class TableConv2d(nn.Conv2d):
    """A convolution whose output map j sees only the input maps its table row marks."""

    def __init__(self, table, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mask = torch.tensor(table, dtype=self.weight.dtype)[:, :, None, None]
        self.register_buffer("mask", mask, persistent=False)  # not in the state dict

    def forward(self, x):
        return self._conv_forward(x, self.weight * self.mask, self.bias)
''',
    "scaled_tanh": '''
def scaled_tanh(x):
    """LeCun's A·tanh(S·x), A = 1.7159, S = 2/3."""
    return 1.7159 * torch.tanh(x * (2.0 / 3.0))
''',
    "lppool": '''
def lp_pool(x, p: float, kernel_size: int, stride: int):
    """(Σ |x|^p)^(1/p) over each window (as cnnviz; F.lp_pool2d drops the |·| for odd p)."""
    s = F.avg_pool2d(x.abs().pow(p), kernel_size, stride, divisor_override=1)
    return s.pow(1.0 / p)
''',
}


def _text(text: str, limit: int = 120) -> str:
    """``text`` safe inside a comment or a docstring of the generated file: one printable
    line, no quotes or backslashes (names come from model files, which anyone can write)."""
    text = "".join(c if c.isprintable() else " " for c in str(text))
    text = text.replace("\\", "/").replace('"', "'")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _ref(name: str) -> str:
    """How ``forward`` reaches the submodule ``name``."""
    if name.isidentifier() and not keyword.iskeyword(name):
        return f"self.{name}"
    return f"self.get_submodule({name!r})"


def torch_source(
    net: Network,
    title: str = "network",
    source: str = "",
    normalization: dict | None = None,
    class_names: tuple[str, ...] = (),
    class_name: str = "Net",
) -> str:
    """Python source defining ``class Net(nn.Module)`` for ``net``."""
    init: list[str] = []
    fwd: list[str] = []
    helpers: set[str] = set()
    for layer in net.layers:
        kind, name = layer.kind, layer.name
        ref = _ref(name)
        if kind == "conv":
            args = (
                f"{layer.in_channels}, {layer.out_channels}, ({layer.kh}, {layer.kw}), "
                f"stride={layer.stride}, padding={layer.padding}, bias={layer.use_bias}"
            )
            if layer.mask is not None:
                helpers.add("table")
                table = layer.mask.astype(int).tolist()
                init.append(f"self._put({name!r}, TableConv2d({table}, {args}))")
            else:
                init.append(f"self._put({name!r}, nn.Conv2d({args}))")
            fwd.append(f"x = {ref}(x)")
        elif kind == "dense":
            init.append(
                f"self._put({name!r}, nn.Linear({layer.in_features}, {layer.out_features}, "
                f"bias={layer.use_bias}))"
            )
            fwd.append(f"x = {ref}(x)")
        elif kind == "subsample":
            helpers.add("subsample")
            init.append(f"self._put({name!r}, Subsampling({layer.channels}, {layer.k}))")
            fwd.append(f"x = {ref}(x)")
        elif kind in ("batchnorm2d", "batchnorm1d"):
            cls = "BatchNorm2d" if kind == "batchnorm2d" else "BatchNorm1d"
            init.append(
                f"self._put({name!r}, nn.{cls}({layer.num_features}, eps={layer.eps!r}, "
                f"momentum={layer.momentum!r}))"
            )
            fwd.append(f"x = {ref}(x)")
        elif kind == "dropout":
            fwd.append(f"x = F.dropout(x, {layer.p!r}, self.training)")
        elif kind == "globalavgpool":
            fwd.append("x = F.adaptive_avg_pool2d(x, 1)")
        elif kind == "flatten":
            fwd.append("x = torch.flatten(x, 1)")
        elif kind == "maxpool":
            fwd.append(f"x = F.max_pool2d(x, {layer.k}, {layer.stride})")
        elif kind == "avgpool":
            fwd.append(f"x = F.avg_pool2d(x, {layer.k}, {layer.stride})")
        elif kind == "lppool":
            helpers.add("lppool")
            fwd.append(f"x = lp_pool(x, {layer.p!r}, {layer.k}, {layer.stride})")
        elif kind == "relu":
            fwd.append("x = torch.relu(x)")
        elif kind == "leaky_relu":
            fwd.append(f"x = F.leaky_relu(x, {layer.negative_slope!r})")
        elif kind == "sigmoid":
            fwd.append("x = torch.sigmoid(x)")
        elif kind == "tanh":
            fwd.append("x = torch.tanh(x)")
        elif kind == "scaled_tanh":
            helpers.add("scaled_tanh")
            fwd.append("x = scaled_tanh(x)")
        else:
            raise InteropError(f"layer {name} ({kind}) cannot be written as PyTorch code yet")
        fwd[-1] += f"  # {_text(name)}: {_text(layer.describe())}"

    loss = net.loss.kind
    loss_note = (
        "scores are logits: train with nn.CrossEntropyLoss()"
        if loss == "softmax_ce"
        else "trained with squared error to ±1 targets (cnnviz's squared_error loss)"
    )
    norm = normalization or {}
    lines = [
        f'"""{_text(title)}: a PyTorch module written by cnnviz'
        + (f" from {_text(source)}." if source else "."),
        "",
        "    import safetensors.torch",
        f"    model = {class_name}()",
        '    model.load_state_dict(safetensors.torch.load_file("model.safetensors"))',
        "    model.eval()",
        "    scores = model(images)  # images: (N, "
        + ", ".join(str(s) for s in net.input_shape)
        + ") float32, normalised as NORMALIZATION says",
        "",
        f"The {loss_note}.",
        '"""',
        "",
        "import torch",
        "import torch.nn.functional as F",
        "from torch import nn",
        "",
        f"INPUT_SHAPE = {tuple(net.input_shape)!r}",
        f"CLASSES = {tuple(class_names)!r}",
        "# inputs are (pixel / 255 - mean) / std per channel",
        f"NORMALIZATION = {norm!r}",
        "",
    ]
    for key in ("subsample", "table", "scaled_tanh", "lppool"):
        if key in helpers:
            lines += [_HELPERS[key].rstrip("\n"), ""]
    lines += [
        "",
        f"class {class_name}(nn.Module):",
        "    def __init__(self):",
        "        super().__init__()",
        *(f"        {s}" for s in init),
        "",
        "    def _put(self, name: str, module: nn.Module) -> None:",
        '        """Register ``module`` under a dotted name (``features.0``), as PyTorch',
        '        containers do, so the state_dict keys are the names cnnviz uses."""',
        '        *path, last = name.split(".")',
        "        parent = self",
        "        for part in path:",
        "            if not hasattr(parent, part):",
        "                parent.add_module(part, nn.Module())",
        "            parent = getattr(parent, part)",
        "        parent.add_module(last, module)",
        "",
        "    def forward(self, x):",
        *(f"        {s}" for s in fwd),
        "        return x",
        "",
    ]
    return "\n".join(lines)
