"""Realises a graph recipe (conformance/strategies/graphs.py) with one library.

The same code runs against upstream keras and refkeras: it only touches the
public names ``KerasTensor``, ``Operation``, ``Function`` and ``ops``. Every
operation a step creates gets a label (``s3``, ``s3.1``, ``shared0``), which is
how digests and execution logs of the two libraries are lined up.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from types import ModuleType, SimpleNamespace
from typing import Any

import numpy as np

from conformance.adapters import producer
from conformance.strategies.graphs import Recipe, Step, leaves

FACTORS = (0.5, -1.5, 2.0, 0.25)
# Constant projections; small entries keep values of deep graphs near [-4, 4].
W44 = (np.linspace(-1.0, 1.0, 16).reshape(4, 4) * 0.5).astype("float32")
W84 = (np.linspace(-1.0, 1.0, 32).reshape(8, 4) * 0.25).astype("float32")


def _record(op: Any) -> None:
    """Appends the op's label to its build's log when it runs eagerly."""
    log = getattr(op, "log", None)
    if log is not None:
        log.append(op.tag)


@functools.cache
def custom_ops(lib: ModuleType) -> SimpleNamespace:
    """Small Operation subclasses of ``lib``, each with an explicit output spec."""
    ops, KerasTensor = lib.ops, lib.KerasTensor

    def like(x: Any) -> Any:
        return KerasTensor(x.shape, dtype=x.dtype)

    class Scale(lib.Operation):
        """``x * factor``; one instance may be called on many tensors."""

        def __init__(self, factor: float = 1.0, name: str | None = None):
            super().__init__(name=name)
            self.factor = factor

        def call(self, x):
            _record(self)
            return ops.multiply(x, self.factor)

        def compute_output_spec(self, x):
            return like(x)

    class Pair(lib.Operation):
        """Two outputs: ``(x + y, x - y)``."""

        def call(self, x, y):
            _record(self)
            return ops.add(x, y), ops.subtract(x, y)

        def compute_output_spec(self, x, y):
            return like(x), like(x)

    class Kwarg(lib.Operation):
        """A tensor passed by keyword: ``0.5 * x + other``."""

        def call(self, x, other=None):
            _record(self)
            return ops.add(ops.multiply(x, 0.5), other)

        def compute_output_spec(self, x, other=None):
            return like(x)

    class DictArg(lib.Operation):
        """One dict argument ``{"b": x, "a": y}`` -> ``y - x`` (flattened by sorted key)."""

        def call(self, pair):
            _record(self)
            return ops.subtract(pair["a"], pair["b"])

        def compute_output_spec(self, pair):
            return like(pair["a"])

    class Shift(lib.Operation):
        """``x + 1``; used for very long chains."""

        def call(self, x):
            return ops.add(x, 1.0)

        def compute_output_spec(self, x):
            return like(x)

    return SimpleNamespace(Scale=Scale, Pair=Pair, Kwarg=Kwarg, DictArg=DictArg, Shift=Shift)


@dataclass
class Built:
    """One library's realisation of a recipe."""

    lib: ModuleType
    recipe: Recipe
    pool: list = field(default_factory=list)  # KerasTensors by pool position
    labels: dict = field(default_factory=dict)  # id(operation) -> label
    keep: list = field(default_factory=list)  # labelled operations, kept alive for their ids
    log: list = field(default_factory=list)  # labels of custom ops, in eager run order
    function: Any = None
    error: Exception | None = None

    def label(self, op: Any) -> str:
        return self.labels.get(id(op), f"<unlabelled {type(op).__name__}>")

    def name(self, op: Any, label: str) -> None:
        self.labels[id(op)] = label
        self.keep.append(op)
        op.tag, op.log = label, self.log

    def positions(self, tensors: list) -> list[int]:
        """Pool positions of tensors (by identity); -1 for a stranger."""
        where = {id(t): p for p, t in enumerate(self.pool)}
        return [where.get(id(t), -1) for t in tensors]


def realise(structure: Any, leaf: Any) -> Any:
    """Maps ``leaf`` over a recipe structure (dicts keep their insertion order)."""
    if isinstance(structure, dict):
        return {k: realise(v, leaf) for k, v in structure.items()}
    if isinstance(structure, list | tuple):
        return type(structure)(realise(v, leaf) for v in structure)
    return leaf(structure)


def feed(recipe: Recipe) -> Any:
    """The arrays to call the Function with, one distinct array per declared input."""
    rng = np.random.default_rng(recipe.seed)
    arrays = {p: rng.uniform(-1, 1, (recipe.batch, 4)).astype("float32")
              for p in sorted(leaves(recipe.inputs))}
    return realise(recipe.inputs, arrays.__getitem__)


def _apply(lib: ModuleType, kit: SimpleNamespace, step: Step, args: list, shared: list):
    """Runs one step; returns (tensors added to the pool, tensors made, in creation order)."""
    ops, kind = lib.ops, step.kind
    x = args[0]
    y = args[1] if len(args) > 1 else None
    if kind == "ops.concatenate":
        joined = ops.concatenate([x, y], axis=-1)
        out = ops.matmul(joined, W84)
        return [out], [joined, out]
    if kind == "custom.pair":
        first, second = kit.Pair()(x, y)
        return [first, second], [first]
    if kind == "function":
        inner_in = lib.KerasTensor((None, 4))
        inner = lib.Function(inner_in, ops.multiply(ops.add(inner_in, 1.0), 0.5))
        out = inner(x)
        return [out], [out]
    single = {
        "ops.add": lambda: ops.add(x, y),
        "ops.subtract": lambda: ops.subtract(x, y),
        "ops.multiply": lambda: ops.multiply(x, y),
        "ops.negative": lambda: ops.negative(x),
        "ops.matmul": lambda: ops.matmul(x, W44),
        "py.add": lambda: x + y,
        "py.sub": lambda: x - y,
        "py.mul": lambda: x * y,
        "py.neg": lambda: -x,
        "py.matmul": lambda: x @ W44,
        "py.radd": lambda: 0.5 + x,
        "py.rsub": lambda: 1.5 - x,
        "custom.scale": lambda: kit.Scale(FACTORS[step.param])(x),
        "custom.shared": lambda: shared[step.param % len(shared)](x),
        "custom.kwarg": lambda: kit.Kwarg()(x, other=y),
        "custom.dict": lambda: kit.DictArg()({"b": x, "a": y}),
    }[kind]
    out = single()
    return [out], [out]


def build(lib: ModuleType, recipe: Recipe) -> Built:
    """Builds the recipe's graph and tries to make its Function (``error`` if that raises)."""
    kit = custom_ops(lib)
    built = Built(lib, recipe)
    built.pool = [lib.KerasTensor((None, 4), dtype="float32") for _ in range(recipe.n_raw)]
    shared = []
    for i in range(recipe.n_shared):
        op = kit.Scale(FACTORS[i])
        built.name(op, f"shared{i}")
        shared.append(op)
    for i, step in enumerate(recipe.steps):
        added, made = _apply(lib, kit, step, [built.pool[a] for a in step.args], shared)
        fresh = [op for op in map(producer, made) if id(op) not in built.labels]
        for j, op in enumerate(fresh):
            built.name(op, f"s{i}" if j == 0 else f"s{i}.{j}")
        built.pool.extend(added)
    inputs = realise(recipe.inputs, built.pool.__getitem__)
    outputs = realise(recipe.outputs, built.pool.__getitem__)
    try:
        built.function = lib.Function(inputs, outputs)
    except Exception as error:  # compared with upstream's outcome by the tests
        built.error = error
    return built
