"""``refkeras.ops``: tensor operations that run eagerly or build graphs.

Each function computes right away on concrete tensors (NumPy arrays, Python
scalars, backend tensors) and, given any KerasTensor, records an Operation
in the graph instead and returns KerasTensor outputs with inferred shapes and
dtypes. Shape rules live in ``shapes.py``; dtype promotion in
``refkeras.backend.promotion``.

Importing this package also installs the ops behind KerasTensor's Python
operators (``x + y``, ``x @ w``, ``x[0]`` ...).
"""

from types import ModuleType as _ModuleType

from refkeras.graph import operators as _operators
from refkeras.ops import public_names as _public_names
from refkeras.ops.activation_ops import *  # noqa: F403  (relu6, gelu, elu, ...: see its __all__)
from refkeras.ops.arithmetic import add as add
from refkeras.ops.arithmetic import divide as divide
from refkeras.ops.arithmetic import floor_divide as floor_divide
from refkeras.ops.arithmetic import mod as mod
from refkeras.ops.arithmetic import multiply as multiply
from refkeras.ops.arithmetic import power as power
from refkeras.ops.arithmetic import subtract as subtract
from refkeras.ops.arithmetic import true_divide as true_divide
from refkeras.ops.core import cast as cast
from refkeras.ops.core import convert_to_numpy as convert_to_numpy
from refkeras.ops.core import convert_to_tensor as convert_to_tensor
from refkeras.ops.creation import eye as eye
from refkeras.ops.creation import ones as ones
from refkeras.ops.creation import ones_like as ones_like
from refkeras.ops.creation import zeros as zeros
from refkeras.ops.creation import zeros_like as zeros_like
from refkeras.ops.indexing import get_item as get_item
from refkeras.ops.linalg import dot as dot
from refkeras.ops.linalg import matmul as matmul
from refkeras.ops.logic import equal as equal
from refkeras.ops.logic import greater as greater
from refkeras.ops.logic import greater_equal as greater_equal
from refkeras.ops.logic import less as less
from refkeras.ops.logic import less_equal as less_equal
from refkeras.ops.logic import logical_and as logical_and
from refkeras.ops.logic import logical_not as logical_not
from refkeras.ops.logic import logical_or as logical_or
from refkeras.ops.logic import logical_xor as logical_xor
from refkeras.ops.logic import not_equal as not_equal
from refkeras.ops.logic import where as where
from refkeras.ops.loss_ops import *  # noqa: F403  (maximum, one_hot, cross-entropies...: see its __all__)
from refkeras.ops.manipulation import concatenate as concatenate
from refkeras.ops.manipulation import expand_dims as expand_dims
from refkeras.ops.manipulation import reshape as reshape
from refkeras.ops.manipulation import squeeze as squeeze
from refkeras.ops.manipulation import stack as stack
from refkeras.ops.manipulation import transpose as transpose
from refkeras.ops.nn import log_softmax as log_softmax
from refkeras.ops.nn import relu as relu
from refkeras.ops.nn import sigmoid as sigmoid
from refkeras.ops.nn import softmax as softmax
from refkeras.ops.optimizer_ops import *  # noqa: F403  (floor, cos, isfinite, cond)
from refkeras.ops.reductions import argmax as argmax
from refkeras.ops.reductions import max as max  # noqa: A004
from refkeras.ops.reductions import mean as mean
from refkeras.ops.reductions import min as min  # noqa: A004
from refkeras.ops.reductions import sum as sum  # noqa: A004
from refkeras.ops.unary import abs as abs  # noqa: A004
from refkeras.ops.unary import absolute as absolute
from refkeras.ops.unary import clip as clip
from refkeras.ops.unary import exp as exp
from refkeras.ops.unary import log as log
from refkeras.ops.unary import negative as negative
from refkeras.ops.unary import round as round  # noqa: A004
from refkeras.ops.unary import sqrt as sqrt
from refkeras.ops.unary import square as square
from refkeras.ops.unary import tanh as tanh

# Configs name op classes by upstream's modules (see public_names.py).
_public_names.register_op_classes(
    [module for name, module in sorted(globals().items())
     if isinstance(module, _ModuleType) and module.__name__.startswith("refkeras.ops.")]
)

# KerasTensor's Python operators dispatch through this table (graph sits below ops).
for _name in _operators.OPERATOR_NAMES:
    _operators.register(_name, globals()[_name])
del _name
