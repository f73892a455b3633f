"""Ops: the per-call overhead of symbolic shape inference and of eager calls.

Inputs are small so that the timings are dominated by each implementation's
own dispatch, not by the backend's arithmetic (which both share).

These benchmarks define no asv ``setup``: asv_runner re-runs ``setup`` before
every sample and then times one call per sample, which is too coarse for calls
of a few microseconds. The prepared call is memoised per parameter set instead
(built during asv's calibration, before any sample), so asv batches hundreds
of calls per sample as plain ``timeit`` does.
"""

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from .implementations import IMPLEMENTATIONS, ManyProcesses, block, load, to_backend_tensor


@functools.cache
def _symbolic_call(implementation: str, op: str) -> Callable[[], Any]:
    """A zero-argument call of ``op`` on KerasTensors with a batch dim of None."""
    keras = load(implementation)
    x = keras.KerasTensor(shape=(None, 64))
    w = keras.KerasTensor(shape=(64, 32))
    ops = keras.ops
    calls = {
        "add": lambda: ops.add(x, x),
        "matmul": lambda: ops.matmul(x, w),
        "softmax": lambda: ops.softmax(x),
        "reshape": lambda: ops.reshape(x, (-1, 8, 8)),
        "concatenate": lambda: ops.concatenate([x, x, x], axis=-1),
    }
    if op not in calls:
        raise ValueError(f"No symbolic benchmark for op {op!r}.")
    return calls[op]


class SymbolicOps(ManyProcesses):
    """One op called on KerasTensors: output shape/dtype inference plus the
    graph bookkeeping (a Node) that every symbolic call records."""

    params = [IMPLEMENTATIONS, ["add", "matmul", "softmax", "reshape", "concatenate"]]
    param_names = ["implementation", "op"]

    def time_symbolic_call(self, implementation: str, op: str) -> None:
        _symbolic_call(implementation, op)()


@functools.cache
def _eager_call(implementation: str, op: str, inputs: str) -> Callable[[], Any]:
    """A zero-argument eager call of ``op`` on (32, 64) float32 inputs given
    as numpy arrays or as native backend tensors; its result is waited for."""
    ops = load(implementation).ops
    rng = np.random.default_rng(0)
    x = rng.standard_normal((32, 64), dtype=np.float32)
    w = rng.standard_normal((64, 64), dtype=np.float32)
    if inputs == "tensor":
        x, w = to_backend_tensor(x), to_backend_tensor(w)
    computations = {
        "add": lambda: ops.add(x, x),
        "matmul": lambda: ops.matmul(x, w),
        "softmax": lambda: ops.softmax(x),
    }
    if op not in computations:
        raise ValueError(f"No eager benchmark for op {op!r}.")
    compute = computations[op]

    def call() -> Any:
        return block(compute())

    call()  # compile/trace caches are warm before any timing
    return call


class EagerOps(ManyProcesses):
    """One op called eagerly on small arrays."""

    params = [IMPLEMENTATIONS, ["add", "matmul", "softmax"], ["tensor", "numpy"]]
    param_names = ["implementation", "op", "inputs"]

    def time_eager_call(self, implementation: str, op: str, inputs: str) -> None:
        _eager_call(implementation, op, inputs)()
