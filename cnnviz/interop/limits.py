"""Bounds for every model file read by :mod:`cnnviz.interop`, checked before anything large
is allocated: an ONNX or safetensors file is a model file like any other here.

The architecture's bounds are the model file's own, from one place: layers, parameters, the
activation budget per image and the size of one input image come from
:mod:`cnnviz.training.bounds` (so an imported model is refused by the same numbers as one
written by hand, and before its graph is walked), the file's size from
:mod:`cnnviz.training.modelformat`. Only what is particular to ONNX's protobuf is set here.
"""

from cnnviz.training import bounds, modelformat

MAX_FILE_BYTES = modelformat.MAX_FILE_BYTES  # an ONNX or safetensors file, as a model file
MAX_LAYERS = bounds.MAX_LAYERS  # layers of the architecture that results
MAX_PARAMS = bounds.MAX_PARAMS  # parameters (elements of every weight tensor together)
MAX_TENSOR_ELEMENTS = MAX_PARAMS  # declared size of any one tensor
MAX_INPUT_ELEMENTS = bounds.MAX_INPUT  # C·H·W of the input
MAX_ACTIVATIONS = bounds.MAX_ACTIVATIONS  # elements of every layer's output together, per image

MAX_NODES = 10_000  # ONNX nodes, counting the small ones exporters add (Shape, Constant, …)
MAX_INITIALIZERS = 10_000  # ONNX initialisers (and safetensors tensors)
MAX_RANK = 8  # dimensions of any one tensor
