"""Models in and out of cnnviz: ONNX graphs, safetensors weights and a generated PyTorch module.

No Qt here, and no model code ever runs: ONNX files are read as protobuf with the ``onnx``
package, safetensors files with ``safetensors`` (both optional: ``pip install
'cnnviz[interop]'``). See docs/interop.md for what is supported, what is refused and why.

=====================  ==================================================================
module                 what it does
=====================  ==================================================================
``onnx_export``        a network → an ONNX graph (Conv, Gemm, pools, activations)
``onnx_import``        an ONNX chain → a cnnviz architecture spec and its weights
``onnx_fold``          folding exporters' shape computations; merging multi-node patterns
``onnx_tensors``       tensors of an untrusted ONNX file → NumPy, bounds checked first
``weights``            safetensors files with cnnviz's (PyTorch-style) parameter names
``torch_module``       the source of a self-contained PyTorch ``nn.Module``
``state``              an architecture and weights → a model file's state, with a dataset
``files``              model files ↔ these formats (what ``cnnviz import/export`` run)
``limits``             the bounds every file read here is held to
=====================  ==================================================================
"""

from __future__ import annotations

import importlib
from types import ModuleType

from cnnviz.errors import CnnvizError


class InteropError(CnnvizError):
    """A model that cannot be imported or exported; one line naming the file, the node or
    layer, and the problem."""


def require(package: str) -> ModuleType:
    """Import an optional package, or raise one line saying how to install it."""
    try:
        return importlib.import_module(package)
    except ImportError:
        raise InteropError(
            f"this needs the {package!r} package: pip install 'cnnviz[interop]' "
            "(or pip install onnx safetensors)"
        ) from None


__all__ = ["InteropError", "require"]
