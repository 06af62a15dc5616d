"""Bounds for every model file read by :mod:`cnnviz.interop`, checked before anything large
is allocated.

These are cnnviz/interop's own for now, in this one place; they are meant to become the
same constants as the model file's (layers, parameters, activation budget) once those are
shared from :mod:`cnnviz.training`.
"""

MAX_FILE_BYTES = 512 << 20  # an ONNX or safetensors file (100 M float32 parameters is 400 MB)
MAX_NODES = 10_000  # ONNX nodes, counting the small ones exporters add (Shape, Constant, …)
MAX_INITIALIZERS = 10_000  # ONNX initialisers (and safetensors tensors)
MAX_LAYERS = 1_000  # layers of the architecture that results
MAX_PARAMS = 100_000_000  # parameters (elements of every weight tensor together)
MAX_TENSOR_ELEMENTS = MAX_PARAMS  # declared size of any one tensor
MAX_RANK = 8  # dimensions of any one tensor
MAX_INPUT_ELEMENTS = 1 << 24  # C·H·W of the input
MAX_ACTIVATIONS = 1 << 27  # elements of every layer's output together, per sample
