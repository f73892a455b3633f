"""Where upstream Keras defines each op class, so graph configs name ops as upstream does.

A functional model's config lists every op applied to KerasTensors with its
class and module (``{"module": "keras.src.ops.numpy", "class_name": "Add",
"registered_name": "Add"}``). Writing upstream's module names lets each
library load the other's files. The table below is observed upstream fact;
``tests/ops/test_public_names.py`` checks that every concrete op class of
refkeras.ops appears in it.
"""

from __future__ import annotations

import inspect
from types import ModuleType

from refkeras.graph.operation import Operation
from refkeras.serialization import register_builtin

UPSTREAM_MODULES: dict[str, tuple[str, ...]] = {
    "keras.src.ops.numpy": (
        "Absolute", "Add", "Argmax", "BroadcastTo", "Ceil", "Clip", "Concatenate", "Cos", "Cumsum",
        "Divide", "DivideNoNan", "Dot", "Equal", "Exp", "ExpandDims", "Flip", "Floor",
        "FloorDivide", "GetItem", "Greater", "GreaterEqual", "Isfinite", "Less", "LessEqual",
        "Log", "LogicalAnd", "LogicalNot", "LogicalOr", "LogicalXor", "Matmul", "Max", "Maximum",
        "Mean", "Min", "Minimum", "Mod", "Multiply", "Negative", "NotEqual", "OnesLike", "Power",
        "Reshape", "Round", "Sqrt", "Square", "Squeeze", "Stack", "Subtract", "Sum", "Tanh",
        "Tile", "Transpose", "TrueDivide", "Where", "ZerosLike",
    ),
    "keras.src.ops.nn": (
        "BinaryCrossentropy", "CategoricalCrossentropy", "Celu", "Elu", "Gelu", "Glu",
        "HardShrink", "HardSigmoid", "HardSilu", "HardTanh", "LeakyRelu", "LogSigmoid",
        "LogSoftmax", "OneHot", "Relu", "Relu6", "Selu", "Sigmoid", "Silu", "SoftShrink",
        "Softmax", "Softplus", "Softsign", "SparseCategoricalCrossentropy", "SparsePlus",
        "SparseSigmoid", "Sparsemax", "Squareplus", "TanhShrink", "Threshold",
    ),
    "keras.src.ops.core": ("Cast", "ConvertToTensor"),
    "keras.src.ops.math": ("InTopK", "SegmentSum", "TopK"),
}
_MODULE_OF = {name: module for module, names in UPSTREAM_MODULES.items() for name in names}


def op_classes(modules: list[ModuleType]) -> list[type]:
    """The Operation subclasses defined in ``modules`` (abstract bases included)."""
    found = []
    for module in modules:
        for value in vars(module).values():
            if (inspect.isclass(value) and issubclass(value, Operation)
                    and value.__module__ == module.__name__):
                found.append(value)
    return found


def register_op_classes(modules: list[ModuleType]) -> None:
    """Declares each op class of ``modules`` that upstream has under upstream's name."""
    seen: set[str] = set()
    for cls in op_classes(modules):
        module = _MODULE_OF.get(cls.__name__)
        # Two classes of one name would claim the same public name; the first
        # wins here and tests/ops/test_public_names.py reports the clash.
        if module is not None and cls.__name__ not in seen:
            seen.add(cls.__name__)
            register_builtin(module, cls, registered_name=cls.__name__)
