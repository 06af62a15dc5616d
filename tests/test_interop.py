"""ONNX in and out, safetensors weights and the generated PyTorch module, against the real
tools: onnxruntime runs what cnnviz exports, torch.onnx.export writes what cnnviz imports,
and the generated module loads the safetensors file. Every refusal is one line."""

from __future__ import annotations

import ast
import dataclasses
import importlib.util
import warnings

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
pytest.importorskip("safetensors")


from cnnviz.cli import main  # noqa: E402
from cnnviz.interop import InteropError  # noqa: E402
from cnnviz.interop.files import import_model  # noqa: E402
from cnnviz.interop.onnx_export import to_onnx  # noqa: E402
from cnnviz.interop.onnx_import import import_onnx  # noqa: E402
from cnnviz.interop.torch_module import torch_source  # noqa: E402
from cnnviz.interop.weights import save_safetensors  # noqa: E402
from cnnviz.training.architectures import build_network  # noqa: E402
from cnnviz.training.modelfile import load_model  # noqa: E402
from cnnviz.training.trainer import Trainer  # noqa: E402


def perturbed(arch: str, dtype: str = "float32", seed: int = 2):
    """A network whose weights are not the initial ones (every bias non-zero too); with
    seed 2 every preset here has live outputs (no ReLU dead for every input)."""
    net = build_network(arch, None, 10, dtype=dtype, seed=seed)
    net.layers[net.output_layer()].params["weight"] *= 10  # full-size scores, as trained
    r = np.random.default_rng(seed)
    for _, p, _ in net.named_params():
        p += r.normal(0, 0.1, p.shape).astype(p.dtype)
    net.load_state_dict(net.state_dict())  # re-applies connection tables
    return net


def batch(net, n: int = 6, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(n, *net.input_shape)).astype(net.dtype)


def one_line_error(capsys, argv: list[str]) -> str:
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("cnnviz: error: ") and err.count("\n") == 1, err
    return err


# ------------------------------------------------------------------------------------ export
ARCHS = ["lenet5", "lenet5-1998", "every-layer", "shapes-rgb"]


@pytest.mark.parametrize("arch", ARCHS)
def test_exported_onnx_gives_cnnvizs_scores_in_onnxruntime(arch):
    ort = pytest.importorskip("onnxruntime")
    net = perturbed(arch)
    model = to_onnx(net)
    onnx.checker.check_model(model, full_check=True)
    session = ort.InferenceSession(model.SerializeToString())
    x = batch(net)
    theirs, ours = session.run(None, {"input": x})[0], net.infer(x)
    assert theirs.shape == (6, 10)
    assert ours.std(axis=0).min() > 1e-3  # scores that depend on the input: a real comparison
    assert np.abs(theirs - ours).max() < 1e-4


@pytest.mark.parametrize("opset", [11, 13, 17, 21])
def test_every_opset_from_11_to_21_is_written_and_checked(opset):
    ort = pytest.importorskip("onnxruntime")
    net = perturbed("lenet5")
    model = to_onnx(net, opset=opset)
    onnx.checker.check_model(model, full_check=True)
    assert model.opset_import[0].version == opset
    session = ort.InferenceSession(model.SerializeToString())
    x = batch(net, 3)
    assert np.abs(session.run(None, {"input": x})[0] - net.infer(x)).max() < 1e-4


def test_export_refuses_an_opset_outside_11_to_21():
    with pytest.raises(InteropError, match="opset 10"):
        to_onnx(perturbed("tiny"), opset=10)


def test_connection_table_exports_as_a_full_convolution_with_zero_kernels():
    net = perturbed("lenet5-1998")
    model = to_onnx(net)
    weights = {t.name: t for t in model.graph.initializer}
    w = np.frombuffer(weights["C3.weight"].raw_data, np.float32).reshape(16, 6, 5, 5)
    mask = net.layers[4].mask
    assert np.all(w[~mask] == 0) and np.all(np.abs(w[mask]).sum(axis=(1, 2)) > 0)
    ops = [n.op_type for n in model.graph.node]
    assert ops[4:8] == ["AveragePool", "Mul", "Mul", "Add"]  # S2: mean × k² × β + b


@pytest.mark.torch
@pytest.mark.parametrize("arch", ARCHS)
def test_generated_module_loads_the_safetensors_file_and_gives_the_same_scores(
    arch, tmp_path, torch
):
    from safetensors.torch import load_file

    for dtype, tol in (("float64", 1e-9), ("float32", 1e-4)):
        net = perturbed(arch, dtype)
        path = tmp_path / f"{arch}.py"
        path.write_text(torch_source(net, arch))
        save_safetensors(tmp_path / "w.safetensors", net.state_dict())
        spec = importlib.util.spec_from_file_location(f"gen_{arch.replace('-', '_')}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        model = module.Net()
        weights = load_file(tmp_path / "w.safetensors")
        assert list(model.state_dict()) == list(net.state_dict())
        assert sorted(weights) == sorted(net.state_dict())
        model = model.to(getattr(torch, dtype)).eval()
        model.load_state_dict(weights)
        x = batch(net)
        with torch.no_grad():
            theirs = model(torch.from_numpy(x)).numpy()
        assert np.abs(theirs - net.infer(x)).max() < tol, dtype


def test_export_command_writes_all_three_atomically(tmp_path, capsys):
    model = tmp_path / "m.cnnviz.npz"
    assert main(["train", "--arch", "tiny", "--epochs", "1", "--limit-train", "64",
                 "--out", str(model)]) == 0  # fmt: skip
    outs = [tmp_path / "m.onnx", tmp_path / "m.safetensors", tmp_path / "m.py"]
    assert main(["export", str(model), "--onnx", str(outs[0]), "--safetensors", str(outs[1]),
                 "--torch", str(outs[2]), "--opset", "13"]) == 0  # fmt: skip
    assert all(o.stat().st_size > 0 for o in outs)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["m.cnnviz.npz", "m.onnx", "m.safetensors", "m.py"]
    )  # no temporary file left behind
    onnx.checker.check_model(str(outs[0]), full_check=True)
    compile(outs[2].read_text(), str(outs[2]), "exec")
    capsys.readouterr()
    err = one_line_error(capsys, ["export", str(model)])
    assert "--onnx" in err
    err = one_line_error(capsys, ["export", str(tmp_path / "nope.cnnviz.npz"), "--onnx", "x"])
    assert not (tmp_path / "x").exists()


# ------------------------------------------------------------------------------------ import
def torch_models(torch):
    nn, F = torch.nn, torch.nn.functional

    class LeNet5(nn.Module):  # LeNet-5 with ReLU and max pooling, flattened by view
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1, self.fc2, self.fc3 = (
                nn.Linear(400, 120),
                nn.Linear(120, 84),
                nn.Linear(84, 10),
            )

        def forward(self, x):
            x = F.max_pool2d(torch.relu(self.conv1(x)), 2)
            x = F.max_pool2d(torch.relu(self.conv2(x)), 2)
            x = x.view(x.size(0), -1)
            return self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x)))))

    class AvgSigmoid(nn.Module):  # average pooling, sigmoid, Sequential names, softmax at the end
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(
                nn.Conv2d(3, 8, 3, stride=1, padding=1), nn.Sigmoid(), nn.AvgPool2d(2),
                nn.Conv2d(8, 8, 3, stride=2, padding=1), nn.Tanh(), nn.LeakyReLU(0.2),
            )  # fmt: skip
            self.head = nn.Linear(8 * 8 * 8, 10)

        def forward(self, x):
            return torch.softmax(self.head(torch.flatten(self.features(x), 1)), dim=1)

    class MatMulAdd(nn.Module):  # a dense layer written as x @ W + b, global average pooling
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 4, 3)
            self.w = nn.Parameter(torch.randn(4, 10) * 0.3)
            self.b = nn.Parameter(torch.randn(10) * 0.1)

        def forward(self, x):
            x = F.adaptive_avg_pool2d(torch.relu(self.conv(x)), 1).flatten(1)
            return torch.log_softmax(x @ self.w + self.b, dim=-1)

    class BnDropout(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 6, 5)
            self.bn = nn.BatchNorm2d(6)
            self.drop = nn.Dropout(0.5)
            self.fc = nn.Linear(6 * 12 * 12, 10)

        def forward(self, x):
            x = F.max_pool2d(torch.relu(self.bn(self.conv(x))), 2)
            return self.fc(self.drop(torch.flatten(x, 1)))

    return {
        "lenet5": (LeNet5, (1, 28, 28)),
        "avg-sigmoid": (AvgSigmoid, (3, 32, 32)),
        "matmul-add": (MatMulAdd, (1, 28, 28)),
        "bn-dropout": (BnDropout, (1, 28, 28)),
    }


def export_torch(torch, model, shape, path, opset=17, **kwargs):
    """torch.onnx.export's TorchScript exporter (works offline, needs no onnxscript)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        _export(torch, model, shape, path, opset, **kwargs)


def _export(torch, model, shape, path, opset, **kwargs):
    torch.onnx.export(
        model, (torch.zeros(2, *shape),), str(path), dynamo=False, input_names=["input"],
        output_names=["scores"], dynamic_axes={"input": {0: "N"}, "scores": {0: "N"}},
        opset_version=opset, **kwargs,
    )  # fmt: skip


@pytest.mark.torch
@pytest.mark.parametrize(
    "which, opset",
    [
        ("lenet5", 17),
        ("lenet5", 11),
        ("avg-sigmoid", 13),
        ("matmul-add", 17),
        ("bn-dropout", 17),
        ("lenet5", 20),
    ],  # fmt: skip
)
def test_torch_exports_import_with_torchs_scores(which, opset, tmp_path, torch):
    torch.manual_seed(0)
    cls, shape = torch_models(torch)[which]
    model = cls()
    if which == "bn-dropout":  # running statistics that are not the identity
        model.bn.running_mean.uniform_(-0.5, 0.5)
        model.bn.running_var.uniform_(0.5, 2.0)
        model.bn.weight.data.uniform_(0.5, 1.5)
    model.eval()
    path = tmp_path / f"{which}.onnx"
    export_torch(torch, model, shape, path, opset, do_constant_folding=opset != 11)
    im = import_onnx(path, fold_batchnorm=True, skip_dropout=True)
    assert im.input_shape == shape and im.num_classes == 10 and im.opset == opset
    net = build_network(im.spec, None, im.num_classes)
    net.load_state_dict(im.params)
    x = np.random.default_rng(0).normal(size=(5, *shape)).astype(np.float32)
    with torch.no_grad():
        theirs = model(torch.from_numpy(x)).numpy()
    ours = net.infer(x)
    if which in ("avg-sigmoid", "matmul-add"):  # the softmax became the loss: compare p
        e = np.exp(ours - ours.max(axis=1, keepdims=True))
        ours = e / e.sum(axis=1, keepdims=True)
        if which == "matmul-add":
            ours = np.log(ours)
        assert any("folded into the loss" in n for n in im.notes)
    assert np.abs(theirs - ours).max() < 1e-4
    if which == "lenet5":  # PyTorch's names are kept
        assert [k for k in im.params] == [k for k in model.state_dict()]


@pytest.mark.torch
def test_imported_weights_go_back_to_the_torch_model_by_name(tmp_path, torch, capsys):
    from safetensors.torch import load_file

    cls, shape = torch_models(torch)["avg-sigmoid"]
    torch.manual_seed(1)
    model = cls().eval()
    export_torch(torch, model, shape, tmp_path / "a.onnx")
    out = tmp_path / "a.cnnviz.npz"
    assert main(["import", str(tmp_path / "a.onnx"), "--dataset", "shapes", "--out", str(out)]) == 0
    assert main(["export", str(out), "--safetensors", str(tmp_path / "a.safetensors")]) == 0
    weights = load_file(tmp_path / "a.safetensors")
    assert sorted(weights) == sorted(model.state_dict())
    fresh = cls().eval()
    fresh.load_state_dict(weights)
    x = torch.randn(3, *shape)
    with torch.no_grad():
        assert torch.allclose(fresh(x), model(x), atol=1e-6)


def test_cnnviz_onnx_round_trip_keeps_names_layers_and_weights(tmp_path):
    for arch in ("lenet5", "lenet5-1998", "every-layer", "shapes-rgb"):
        net = perturbed(arch)
        onnx.save(to_onnx(net), tmp_path / "x.onnx")
        im = import_onnx(tmp_path / "x.onnx")
        back = build_network(im.spec, None, im.num_classes)
        back.load_state_dict(im.params)
        assert [layer.name for layer in back.layers] == [layer.name for layer in net.layers]
        assert [layer.kind for layer in back.layers] == [layer.kind for layer in net.layers]
        for k, p in back.state_dict().items():
            assert np.array_equal(p, net.state_dict()[k]), (arch, k)


def test_a_model_trained_in_cnnviz_trains_on_bit_identically_after_the_round_trip(tmp_path, capsys):
    first = tmp_path / "first.cnnviz.npz"
    assert main(["train", "--arch", "lenet5", "--epochs", "1", "--limit-train", "128",
                 "--batch-size", "32", "--out", str(first)]) == 0  # fmt: skip
    assert main(["export", str(first), "--onnx", str(tmp_path / "m.onnx")]) == 0
    again = tmp_path / "again.cnnviz.npz"
    assert main(["import", str(tmp_path / "m.onnx"), "--out", str(again)]) == 0
    a, b = load_model(first), load_model(again)
    assert b.dataset == a.dataset and b.normalization == a.normalization
    net_a, net_b = build_network(a.architecture), build_network(b.architecture)
    assert [(x.name, x.describe()) for x in net_a.layers] == [
        (x.name, x.describe()) for x in net_b.layers
    ]
    # the original, from the same point as the import (no momentum yet, step 0)
    a.velocity = {k: np.zeros_like(v) for k, v in a.velocity.items()}
    a.step = a.epoch = a.sample_in_epoch = 0
    a.hyperparameters = b.hyperparameters
    from cnnviz.datasets import load_dataset

    ds = load_dataset(a.dataset)
    ds = dataclasses.replace(ds, train_images=ds.train_images[:128],
                             train_labels=ds.train_labels[:128])  # fmt: skip
    ta, tb = Trainer.from_state(a, ds), Trainer.from_state(b, ds)
    for _ in range(3):
        assert ta.step_batch().loss == tb.step_batch().loss
    for k, p in ta.net.state_dict().items():
        assert np.array_equal(p, tb.net.state_dict()[k]), k


def test_safetensors_import_with_an_architecture_file(tmp_path, capsys):
    arch = "resources/architectures/small-rgb.toml"
    net = perturbed(arch)
    save_safetensors(tmp_path / "w.safetensors", net.state_dict())  # no architecture inside
    err = one_line_error(capsys, ["import", str(tmp_path / "w.safetensors")])
    assert "--arch" in err
    out = tmp_path / "w.cnnviz.npz"
    code = main(["import", str(tmp_path / "w.safetensors"), "--arch", arch, "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    state = load_model(out)
    for k, p in net.state_dict().items():
        assert np.array_equal(state.params[k], p)
    # the weights of another architecture: one line naming the mismatch, nothing written
    bad = tmp_path / "bad.cnnviz.npz"
    err = one_line_error(capsys, ["import", str(tmp_path / "w.safetensors"), "--arch", "tiny",
                                  "--out", str(bad)])  # fmt: skip
    assert "do not fit" in err and not bad.exists()


def test_import_checks_the_dataset_and_takes_the_normalisation_given(tmp_path, capsys):
    onnx.save(to_onnx(perturbed("lenet5")), tmp_path / "m.onnx")
    err = one_line_error(capsys, ["import", str(tmp_path / "m.onnx"), "--dataset", "shapes"])
    assert "1×28×28 images and 10 classes" in err and "3×32×32" in err
    assert not (tmp_path / "m.cnnviz.npz").exists()
    state, _ = import_model(tmp_path / "m.onnx", dataset="synthetic-digits", mean=[0], std=[1])
    assert state.normalization == {"mean": [0.0], "std": [1.0]}
    with pytest.raises(InteropError, match="no dataset has 1×28×28 images and 7 classes"):
        from cnnviz.interop.state import choose_dataset

        choose_dataset((1, 28, 28), 7, None)


# ------------------------------------------------------------------ batch norm, dropout, GAP
def modern_net(dtype: str = "float32"):
    """A network with the engine's batch norm (2-D and 1-D), dropout and global average
    pooling, with running statistics that are not the identity."""
    from cnnviz.engine import (
        BatchNorm1D,
        BatchNorm2D,
        Conv2D,
        Dense,
        Dropout,
        Flatten,
        GlobalAvgPool,
        MaxPool2D,
        Network,
        ReLU,
        SoftmaxCrossEntropy,
    )

    layers = [
        Conv2D(1, 6, 3, padding=1, name="conv1"), BatchNorm2D(6, name="bn1"),
        ReLU(name="conv1.relu"), MaxPool2D(2, name="pool"), Conv2D(6, 8, 3, name="conv2"),
        GlobalAvgPool(name="gap"), Flatten(name="flatten"), Dropout(0.3, name="drop"),
        Dense(8, 16, name="fc1"), BatchNorm1D(16, name="bn2"), ReLU(name="fc1.relu"),
        Dense(16, 10, name="fc2"),
    ]  # fmt: skip
    net = Network(layers, (1, 12, 12), SoftmaxCrossEntropy(), dtype=dtype, seed=3)
    r = np.random.default_rng(3)
    for _, p, _ in net.named_params():
        p += r.normal(0, 0.2, p.shape).astype(p.dtype)
    for key, b in net.named_buffers():
        if key.endswith("running_mean"):
            b[...] = r.normal(0, 0.5, b.shape)
        elif key.endswith("running_var"):
            b[...] = r.uniform(0.5, 2.0, b.shape)
        else:
            b[...] = 7
    return net


@pytest.mark.parametrize("opset", [11, 17])
def test_batchnorm_dropout_and_global_pooling_export_to_onnx(opset):
    ort = pytest.importorskip("onnxruntime")
    net = modern_net()
    model = to_onnx(net, opset=opset)
    onnx.checker.check_model(model, full_check=True)
    ops = [n.op_type for n in model.graph.node]
    assert {"BatchNormalization", "Dropout", "GlobalAveragePool"} <= set(ops)
    x = batch(net, 8)
    theirs = ort.InferenceSession(model.SerializeToString()).run(None, {"input": x})[0]
    ours = net.infer(x)  # evaluation mode: running statistics, no dropout
    assert ours.std(axis=0).min() > 1e-3
    assert np.abs(theirs - ours).max() < 1e-4


def test_batchnorm_dropout_and_global_pooling_come_back_from_onnx_as_they_went(tmp_path):
    """cnnviz → ONNX → cnnviz: the same layers (batch norm, dropout, global average pooling),
    names, weights and running statistics, bit for bit, and so the same scores."""
    net = modern_net()
    onnx.save(to_onnx(net), tmp_path / "m.onnx")
    im = import_onnx(tmp_path / "m.onnx")
    again = build_network(im.spec, None, im.num_classes)
    again.load_state_dict(im.params)
    assert [layer.name for layer in again.layers] == [layer.name for layer in net.layers]
    assert [layer.kind for layer in again.layers] == [layer.kind for layer in net.layers]
    mine = net.state_dict(buffers=True)
    back = again.state_dict(buffers=True)
    for k, v in mine.items():
        if not k.endswith("num_batches_tracked"):  # (ONNX has no place for the count)
            assert np.array_equal(back[k], v), k
    assert again.layers[7].p == net.layers[7].p == 0.3
    assert [(again.layers[i].eps, again.layers[i].momentum) for i in (1, 9)] == [(1e-5, 0.1)] * 2
    x = batch(net, 8)
    assert np.array_equal(again.infer(x), net.infer(x))


@pytest.mark.torch
def test_a_torch_model_with_batch_norm_imports_with_its_statistics(tmp_path, torch):
    """Batch norm kept (exported without constant folding): imported as batch-norm layers
    under PyTorch's names, with the running statistics, giving PyTorch's evaluation scores."""
    nn, F = torch.nn, torch.nn.functional

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 6, 5)
            self.bn = nn.BatchNorm2d(6)
            self.fc = nn.Linear(6 * 12 * 12, 32)
            self.bn1 = nn.BatchNorm1d(32, eps=1e-3, momentum=0.05)
            self.out = nn.Linear(32, 10)

        def forward(self, x):
            x = F.max_pool2d(torch.relu(self.bn(self.conv(x))), 2)
            return self.out(torch.relu(self.bn1(self.fc(torch.flatten(x, 1)))))

    torch.manual_seed(0)
    model = Net()
    for bn in (model.bn, model.bn1):
        bn.running_mean.uniform_(-0.5, 0.5)
        bn.running_var.uniform_(0.5, 2.0)
        bn.weight.data.uniform_(0.5, 1.5)
    model.eval()
    export_torch(torch, model, (1, 28, 28), tmp_path / "bn.onnx", do_constant_folding=False)
    im = import_onnx(tmp_path / "bn.onnx")
    kinds = [d["type"] for d in im.spec["layers"]]
    assert kinds.count("batchnorm") == 2
    torch_keys = {k for k in model.state_dict() if not k.endswith("num_batches_tracked")}
    assert set(im.params) == torch_keys
    net = build_network(im.spec, None, im.num_classes)
    net.load_state_dict(im.params)
    assert abs(net.layers[kinds.index("batchnorm", 3)].momentum - 0.05) < 1e-6
    x = np.random.default_rng(0).normal(size=(5, 1, 28, 28)).astype(np.float32)
    with torch.no_grad():
        theirs = model(torch.from_numpy(x)).numpy()
    assert np.abs(theirs - net.infer(x)).max() < 1e-4


@pytest.mark.torch
def test_generated_module_holds_batchnorm_buffers_under_the_same_names(tmp_path, torch):
    from safetensors.torch import load_file

    net = modern_net("float64")
    (tmp_path / "modern.py").write_text(torch_source(net, "modern"))
    save_safetensors(tmp_path / "w.safetensors", net.state_dict(buffers=True))
    spec = importlib.util.spec_from_file_location("gen_modern", tmp_path / "modern.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.Net().double()
    weights = load_file(tmp_path / "w.safetensors")
    assert sorted(model.state_dict()) == sorted(net.state_dict(buffers=True))
    model.load_state_dict(weights)
    assert int(model.bn1.num_batches_tracked) == 7
    x = batch(net, 8)
    with torch.no_grad():
        theirs = model.eval()(torch.from_numpy(x)).numpy()
    assert np.abs(theirs - net.infer(x)).max() < 1e-9


def test_names_from_a_model_file_cannot_inject_code_into_the_generated_module(tmp_path):
    spec = {
        "name": 'x"""\nimport os  # injected\n"""',
        "input_shape": [1, 8, 8],
        "layers": [
            {"type": "conv", "out_channels": 2, "kernel_size": 3, "name": "c\nimport sys"},
            {"type": "flatten"},
            {"type": "dense", "out_features": 10, "name": "fc"},
        ],
    }
    net = build_network(spec, None, 10)
    source = torch_source(net, spec["name"], source='a\\b\n"""c', class_names=('"\n',))
    tree = ast.parse(source)
    imports = [n for n in tree.body if type(n).__name__ in ("Import", "ImportFrom")]
    assert [getattr(n, "module", None) or n.names[0].name for n in imports] == [
        "torch", "torch.nn.functional", "torch",
    ]  # fmt: skip


def test_a_files_metadata_never_chooses_a_folder_and_its_text_is_one_printable_line(tmp_path):
    model = to_onnx(perturbed("lenet5"), metadata={
        "cnnviz.dataset": f"folder:{tmp_path}",
        "cnnviz.normalization": '{"mean": [null], "std": [1]}',
    })  # fmt: skip
    model.producer_name = "cnnviz"
    onnx.save(model, tmp_path / "m.onnx")
    state, _ = import_model(tmp_path / "m.onnx")
    assert state.dataset == "synthetic-digits"  # the first that fits, not the folder
    assert state.normalization["std"] != [1]
    model.producer_name = "evil\x1b[2J\nproducer"
    onnx.save(model, tmp_path / "m.onnx")
    description = import_onnx(tmp_path / "m.onnx").spec["description"]
    assert "\x1b" not in description and "\n" not in description


@pytest.mark.torch
def test_the_worked_example_in_the_docs_runs(tmp_path, torch, monkeypatch, capsys):
    import re
    from pathlib import Path

    text = (Path(__file__).parents[1] / "docs" / "interop.md").read_text(encoding="utf-8")
    example = text[text.index("## A worked example") :]
    blocks = re.findall(r"```python\n(.*?)```", example, re.S)
    commands = re.findall(r"```sh\n(.*?)```", example, re.S)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    namespace: dict = {"__name__": "example"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        exec(compile(blocks[0], "interop.md", "exec"), namespace)
    for block in commands:
        for line in block.strip().splitlines():
            argv = line.split("#")[0].split()[1:]
            if argv[0] == "train":
                argv += ["--limit-train", "64"]
            # offline: the built-in digits stand in for MNIST
            argv = ["synthetic-digits" if a == "mnist" else a for a in argv]
            assert main(argv) == 0, capsys.readouterr().err
    exec(compile(blocks[1], "interop.md", "exec"), namespace)
    x = torch.randn(2, 1, 28, 28)
    with torch.no_grad():
        assert torch.allclose(namespace["model"](x), namespace["net"](x), atol=1e-5)


def test_the_connection_table_and_the_loss_come_back_from_cnnvizs_own_onnx(tmp_path, capsys):
    model = tmp_path / "lenet.cnnviz.npz"
    assert main(["train", "--arch", "lenet5-1998", "--epochs", "1", "--limit-train", "64",
                 "--out", str(model)]) == 0  # fmt: skip
    assert main(["export", str(model), "--onnx", str(tmp_path / "lenet.onnx")]) == 0
    state, notes = import_model(tmp_path / "lenet.onnx")
    original = load_model(model)
    assert state.architecture["layers"] == original.architecture["layers"]  # "lenet5-c3"
    assert state.architecture["loss"]["type"] == "squared_error"
    for k, p in original.params.items():
        assert np.array_equal(state.params[k], p), k
    # metadata that does not describe the graph is ignored
    m = onnx.load(tmp_path / "lenet.onnx")
    entry = next(p for p in m.metadata_props if p.key == "cnnviz.architecture")
    entry.value = entry.value.replace('"out_channels": 120', '"out_channels": 12')
    onnx.save(m, tmp_path / "tampered.onnx")
    state, notes = import_model(tmp_path / "tampered.onnx")
    assert state.architecture["loss"]["type"] == "softmax_ce"
    assert any("does not match its graph" in n for n in notes)
