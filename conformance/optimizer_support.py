"""Shared pieces of the optimizer conformance tests: strategies and a step runner.

A *case* is ``(class name, constructor kwargs)``; :func:`run_steps` builds the
same variables in a library, applies the same gradients for a few steps and
records what the optimizer exposes after each one.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

import numpy as np
from hypothesis import strategies as st

SHAPES = [(), (1,), (3,), (2, 3), (4, 1), (2, 2, 2)]
unit = st.floats(0.0, 1.0, allow_nan=False, width=32)
open_unit = st.floats(0.05, 0.999, allow_nan=False)
learning_rates = st.floats(1e-4, 0.5, allow_nan=False)
epsilons = st.sampled_from([1e-7, 1e-8, 1e-3, 0.1])


@st.composite
def shared_kwargs(draw: Any) -> dict:
    """Clipping, weight decay, EMA, loss scaling and accumulation, each sometimes."""
    kwargs: dict = {}
    clip = draw(st.sampled_from([None, "clipnorm", "clipvalue", "global_clipnorm"]))
    if clip:
        kwargs[clip] = draw(st.floats(0.05, 2.0, allow_nan=False))
    if draw(st.booleans()):
        kwargs["weight_decay"] = draw(st.floats(0.0, 0.2, allow_nan=False))
    if draw(st.integers(0, 3)) == 0:
        kwargs["use_ema"] = True
        kwargs["ema_momentum"] = draw(unit.map(float))
        kwargs["ema_overwrite_frequency"] = draw(st.sampled_from([None, 1, 2, 3]))
    if draw(st.integers(0, 3)) == 0:
        kwargs["loss_scale_factor"] = draw(st.sampled_from([0.5, 2.0, 128.0]))
    if draw(st.integers(0, 3)) == 0:
        kwargs["gradient_accumulation_steps"] = draw(st.sampled_from([2, 3]))
    return kwargs


@st.composite
def optimizer_case(draw: Any, names: tuple = ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad")
                   ) -> tuple[str, dict]:
    """A built-in optimizer and hyper-parameters for it."""
    name = draw(st.sampled_from(names))
    kwargs = {"learning_rate": draw(learning_rates)}
    if name == "SGD":
        kwargs["momentum"] = draw(st.sampled_from([0.0, 0.5, 0.9]) | unit.map(float))
        kwargs["nesterov"] = draw(st.booleans())
    elif name in ("Adam", "AdamW"):
        kwargs.update(beta_1=draw(open_unit), beta_2=draw(open_unit), epsilon=draw(epsilons),
                      amsgrad=draw(st.booleans()))
    elif name == "RMSprop":
        kwargs.update(rho=draw(open_unit), momentum=draw(st.sampled_from([0.0, 0.3]) | unit),
                      epsilon=draw(epsilons), centered=draw(st.booleans()))
    else:
        kwargs.update(initial_accumulator_value=draw(st.sampled_from([0.0, 0.1, 1.0])),
                      epsilon=draw(epsilons))
    kwargs.update(draw(shared_kwargs()))
    if name == "AdamW" and kwargs.get("weight_decay") is None:
        kwargs["weight_decay"] = 0.004
    return name, kwargs


@st.composite
def problems(draw: Any, max_steps: int = 4) -> tuple[list, list]:
    """``(initial values, gradients per step)``: 1 to 3 float32 variables."""
    shapes = draw(st.lists(st.sampled_from(SHAPES), min_size=1, max_size=3))
    rng = np.random.default_rng(draw(st.integers(0, 2**31)))
    scale = draw(st.sampled_from([1e-3, 1.0, 10.0]))
    initial = [rng.standard_normal(s).astype("float32") for s in shapes]
    steps = []
    for _ in range(draw(st.integers(1, max_steps))):
        zero = draw(st.integers(0, 5)) == 0  # all-zero gradients exercise clip-by-norm's guard
        steps.append([np.zeros(s, "float32") if zero else
                      (rng.standard_normal(s) * scale).astype("float32") for s in shapes])
    return initial, steps


def make_variables(lib: Any, initial: list, scope: str = "model") -> list:
    """Variables named like a layer's: paths ``model/w0``, ``model/w1``, ..."""
    with lib.name_scope(scope):
        return [lib.Variable(value, name=f"w{i}") for i, value in enumerate(initial)]


def to_numpy(x: Any) -> np.ndarray:
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def facts(optimizer: Any) -> list:
    """``(path, name, dtype, shape, value)`` of each optimizer variable, in order."""
    return [(v.path, v.name, str(v.dtype), tuple(v.shape), to_numpy(v))
            for v in optimizer.variables]


def run_steps(lib: Any, name: str, kwargs: dict, initial: list, steps: list) -> list:
    """Per step: ``(variable values, optimizer facts)`` after ``apply_gradients``."""
    variables = make_variables(lib, initial)
    optimizer = getattr(lib.optimizers, name)(name="opt", **kwargs)
    history = []
    for grads in steps:
        pairs = [(lib.ops.convert_to_tensor(g), v) for g, v in zip(grads, variables)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            optimizer.apply_gradients(pairs)
        history.append(([to_numpy(v) for v in variables], facts(optimizer)))
    return history


def as_json(config: Any) -> str:
    """Configs compare as the JSON text they would be saved as (key order included)."""
    return json.dumps(config)
