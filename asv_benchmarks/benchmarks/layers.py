"""Layers: the per-call cost of ``Dense`` (eager and symbolic) and of making one.

Shapes are small, so timings are dominated by each implementation's own
plumbing (``Layer.__call__``, op dispatch, variable creation) rather than by
the backend arithmetic both share. As in ``ops.py``, the prepared calls are
memoised per parameter set instead of built in an asv ``setup`` (which asv
re-runs before every sample), so asv batches many calls per sample.
"""

import functools
import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np

from .implementations import IMPLEMENTATIONS, ManyProcesses, block, load, to_backend_tensor

UNITS = 64
BATCH = 32


def _layers(implementation: str) -> ModuleType:
    # refkeras does not import its layers package from its top level yet.
    load(implementation)
    return importlib.import_module(f"{implementation}.layers")


def _built_dense(implementation: str, variant: str) -> Any:
    layer = _layers(implementation).Dense(UNITS)
    layer.build((None, UNITS))
    if variant == "lora":
        layer.enable_lora(4)
    return layer


@functools.cache
def _eager_call(implementation: str, variant: str, inputs: str) -> Callable[[], Any]:
    """A zero-argument eager call of a built Dense(64) on a (32, 64) float32
    array (numpy or native backend tensor); its result is waited for."""
    layer = _built_dense(implementation, variant)
    x = np.random.default_rng(0).standard_normal((BATCH, UNITS), dtype=np.float32)
    if inputs == "tensor":
        x = to_backend_tensor(x)

    def call() -> Any:
        return block(layer(x))

    call()  # compile/trace caches are warm before any timing
    return call


class DenseEagerCall(ManyProcesses):
    """``layer(x)`` for a built ``Dense(64)``; ``lora`` adds a rank-4 LoRA."""

    params = [IMPLEMENTATIONS, ["plain", "lora"], ["numpy", "tensor"]]
    param_names = ["implementation", "variant", "inputs"]

    def time_eager_call(self, implementation: str, variant: str, inputs: str) -> None:
        _eager_call(implementation, variant, inputs)()


@functools.cache
def _symbolic_call(implementation: str) -> Callable[[], Any]:
    layer = _built_dense(implementation, "plain")
    x = load(implementation).KerasTensor(shape=(None, UNITS))
    layer(x)
    return lambda: layer(x)


class DenseSymbolicCall(ManyProcesses):
    """``layer(x)`` for a built ``Dense(64)`` and a KerasTensor ``x``: shape
    inference plus the Node every symbolic call records."""

    params = [IMPLEMENTATIONS]
    param_names = ["implementation"]

    def time_symbolic_call(self, implementation: str) -> None:
        _symbolic_call(implementation)()


@functools.cache
def _create_and_build(implementation: str) -> Callable[[], Any]:
    dense = _layers(implementation).Dense

    def make() -> Any:
        layer = dense(UNITS)
        layer.build((None, UNITS))
        return layer

    make()
    return make


class DenseCreateAndBuild(ManyProcesses):
    """``Dense(64)`` then ``build((None, 64))``: constructor, initializer
    lookups and the creation (and random initialization) of both variables."""

    params = [IMPLEMENTATIONS]
    param_names = ["implementation"]

    def time_create_and_build(self, implementation: str) -> None:
        _create_and_build(implementation)()
