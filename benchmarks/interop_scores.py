"""Score differences across the interop round trips (the figures of docs/interop.md).

    python benchmarks/interop_scores.py

Needs onnx, safetensors, onnxruntime and torch. Prints the maximum |difference| of the scores
in float32 on 64 random inputs: cnnviz → onnxruntime, cnnviz → the generated PyTorch module
with the safetensors weights, and torch.onnx.export → cnnviz against torch.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch
from safetensors.torch import load_file

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_interop import export_torch, perturbed, torch_models  # noqa: E402

from cnnviz.interop.onnx_export import to_onnx  # noqa: E402
from cnnviz.interop.onnx_import import import_onnx  # noqa: E402
from cnnviz.interop.torch_module import torch_source  # noqa: E402
from cnnviz.interop.weights import save_safetensors  # noqa: E402
from cnnviz.training.architectures import build_network  # noqa: E402


def inputs(shape) -> np.ndarray:
    return np.random.default_rng(0).normal(size=(64, *shape)).astype(np.float32)


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    for arch in ("lenet5", "lenet5-1998", "every-layer", "shapes-rgb"):
        net = perturbed(arch)
        x = inputs(net.input_shape)
        ours = net.infer(x)
        session = ort.InferenceSession(to_onnx(net).SerializeToString())
        d_ort = np.abs(session.run(None, {"input": x})[0] - ours).max()
        (tmp / f"{arch}.py").write_text(torch_source(net))
        save_safetensors(tmp / "w.safetensors", net.state_dict())
        spec = importlib.util.spec_from_file_location(arch.replace("-", "_"), tmp / f"{arch}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        model = module.Net().eval()
        model.load_state_dict(load_file(tmp / "w.safetensors"))
        with torch.no_grad():
            d_torch = np.abs(model(torch.from_numpy(x)).numpy() - ours).max()
        print(f"export {arch:12s} onnxruntime {d_ort:.1e}   torch module {d_torch:.1e}")
    torch.manual_seed(0)
    cases = [(which, False) for which in torch_models(torch)] + [("bn-dropout", True)]
    for which, kept in cases:  # kept: batch norm exported as it is and imported as a layer
        cls, shape = torch_models(torch)[which]
        model = cls()
        if which == "bn-dropout":  # running statistics that are not the identity
            model.bn.running_mean.uniform_(-0.5, 0.5)
            model.bn.running_var.uniform_(0.5, 2.0)
            model.bn.weight.data.uniform_(0.5, 1.5)
        model.eval()
        export_torch(torch, model, shape, tmp / "m.onnx", do_constant_folding=not kept)
        im = import_onnx(tmp / "m.onnx", fold_batchnorm=not kept, skip_dropout=not kept)
        net = build_network(im.spec, None, im.num_classes)
        net.load_state_dict(im.params)
        x = inputs(shape)
        with torch.no_grad():
            theirs = model(torch.from_numpy(x)).numpy()
        ours = net.infer(x)
        if which in ("avg-sigmoid", "matmul-add"):  # their softmax is cnnviz's loss
            e = np.exp(ours - ours.max(axis=1, keepdims=True))
            ours = e / e.sum(axis=1, keepdims=True)
            if which == "matmul-add":
                ours = np.log(ours)
        how = " (batch-norm layer)" if kept else ""
        print(f"import {which:12s} vs torch {np.abs(theirs - ours).max():.1e}{how}")


if __name__ == "__main__":
    main()
