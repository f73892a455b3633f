"""Small operations for graph tests, independent of refkeras.ops."""

from __future__ import annotations

from refkeras import backend
from refkeras.graph import KerasTensor, Operation


class Scale(Operation):
    """Multiplies its input by a constant; shape-preserving."""

    def __init__(self, factor: float = 2.0, name: str | None = None):
        super().__init__(name=name)
        self.factor = factor

    def call(self, x):
        return backend.numeric.multiply(backend.convert_to_tensor(x), self.factor)

    def compute_output_spec(self, x):
        return KerasTensor(x.shape, dtype=x.dtype)


class Plus(Operation):
    """Adds any number of same-shaped inputs."""

    def call(self, *xs):
        out = backend.convert_to_tensor(xs[0])
        for x in xs[1:]:
            out = backend.numeric.add(out, x)
        return out

    def compute_output_spec(self, *xs):
        return KerasTensor(xs[0].shape, dtype=xs[0].dtype)


class Split2(Operation):
    """Returns two outputs: the input and its double."""

    def call(self, x):
        x = backend.convert_to_tensor(x)
        return x, backend.numeric.multiply(x, 2.0)

    def compute_output_spec(self, x):
        return KerasTensor(x.shape, dtype=x.dtype), KerasTensor(x.shape, dtype=x.dtype)
