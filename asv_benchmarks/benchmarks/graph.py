"""Graph core: building a Function over wide and deep graphs of ops.

The symbolic tensors are made in ``setup``, so the timings are of
``Function(inputs, outputs)`` itself (plus one eager call for the chain).
"""

import numpy as np

from .implementations import IMPLEMENTATIONS, block, load

# Upstream keras walks the graph recursively; a chain much deeper than this
# raises RecursionError there (BASELINES.md: ~980 layers build, ~990 fail).
UPSTREAM_MAX_DEPTH = 900


class FunctionWidth:
    """``Function([x], outputs)`` where ``outputs`` are ``width`` parallel
    branches ``x * c_i`` of one input: the cost of mapping a wide graph."""

    params = [IMPLEMENTATIONS, [8000, 16000]]
    param_names = ["implementation", "width"]
    # asv re-runs setup before every sample, so each build sees fresh tensors.
    # One upstream 16000-wide build takes seconds (its setup too): take a few
    # single-call samples in one process (at least 3, up to 10 within 20 s),
    # with no warmup (it would rebuild).
    number = 1
    repeat = (3, 10, 20.0)
    rounds = 1
    warmup_time = 0.0
    timeout = 600

    def setup(self, implementation: str, width: int) -> None:
        self.keras = load(implementation)
        self.inputs = [self.keras.KerasTensor(shape=(None, 8))]
        x = self.inputs[0]
        self.outputs = [self.keras.ops.multiply(x, float(i)) for i in range(width)]

    def time_build_function(self, implementation: str, width: int) -> None:
        self.keras.Function(self.inputs, self.outputs)


class ChainBuildAndCall:
    """Build ``Function([x], [y])`` over a chain ``y = x + 1 + 1 + ...`` of
    ``depth`` ops, then call it once on a (2, 8) float32 array.

    Upstream cannot build the deep chain, so that combination is skipped
    (asv records a skip when setup raises NotImplementedError)."""

    params = [IMPLEMENTATIONS, [UPSTREAM_MAX_DEPTH, 10000]]
    param_names = ["implementation", "depth"]
    number = 1
    repeat = (3, 10, 20.0)
    rounds = 1
    warmup_time = 0.0
    timeout = 600

    def setup(self, implementation: str, depth: int) -> None:
        if implementation == "keras" and depth > UPSTREAM_MAX_DEPTH:
            raise NotImplementedError(
                f"upstream keras raises RecursionError on a chain of {depth} ops"
            )
        self.keras = load(implementation)
        self.inputs = [self.keras.KerasTensor(shape=(None, 8))]
        y = self.inputs[0]
        for _ in range(depth):
            y = self.keras.ops.add(y, 1.0)
        self.outputs = [y]
        self.data = [np.ones((2, 8), dtype="float32")]

    def time_build_and_call(self, implementation: str, depth: int) -> None:
        function = self.keras.Function(self.inputs, self.outputs)
        block(function(self.data))
