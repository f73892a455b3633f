"""Behaviour cases for ``Layer``, ``InputSpec`` and ``Input``, run against either library.

Each case is ``case(lib)`` returning plain data, or raising (``@raises``); see
``conformance/graph_case.py``. Layers are written inside the cases, once per
library, from the same source; every layer gets an explicit name, because
auto-name counters differ between the two processes' histories.
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

import numpy as np

from conformance.graph_case import raises

X = np.arange(6, dtype="float32").reshape(2, 3) / 4.0


def layers(lib: Any) -> Any:
    """``lib.layers`` (imported explicitly: refkeras's package may not export it yet)."""
    return importlib.import_module(f"{lib.__name__}.layers")


def kit(lib: Any) -> Any:
    """A few custom layers, written against ``lib``."""
    ops = lib.ops
    base = layers(lib).Layer

    class Linear(base):
        def __init__(self, units, kernel_regularizer=None, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.kernel_regularizer = kernel_regularizer

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel",
                                          regularizer=self.kernel_regularizer)
            self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")

        def call(self, x):
            return ops.add(ops.matmul(x, self.kernel), self.bias)

    class Counter(base):
        """Counts its calls in a non-trainable variable (a state update)."""

        def build(self, input_shape):
            self.count = self.add_weight(shape=(), initializer="zeros", trainable=False,
                                         name="count")

        def call(self, x):
            self.count.assign(self.count + 1.0)
            return x * self.count

    class Block(base):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.first = Linear(4, kernel_regularizer=lib.regularizers.L2(0.01), name="first")
            self.counter = Counter(name="counter")
            self.second = Linear(2, name="second")

        def build(self, input_shape):
            self.first.build(input_shape)
            self.counter.build((None, 4))
            self.second.build((None, 4))

        def call(self, x):
            self.add_loss(ops.sum(x))
            return self.second(self.counter(self.first(x)))

    class Compose(base):
        """No build(): its sub-layers get built by a symbolic run of call()."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.inner = [Linear(3, name="in0"), Linear(2, name="in1")]

        def call(self, x):
            for layer in self.inner:
                x = layer(x)
            return x

    return Linear, Counter, Block, Compose


def copy_weights(src: Any, dst: Any) -> None:
    dst.set_weights([np.asarray(w) for w in src.get_weights()])


# --- construction ------------------------------------------------------------------------


@raises(ValueError, "Unrecognized keyword arguments passed to Layer")
def unknown_kwargs(lib):
    layers(lib).Layer(foo=1)


@raises(ValueError, "Expected `trainable` to be a boolean")
def trainable_not_bool(lib):
    layers(lib).Layer(trainable=1)


@raises(RuntimeError, "you forgot to call `super().__init__()`")
def super_not_called(lib):
    class NoSuper(layers(lib).Layer):
        def __init__(self):
            self.x = 1

    NoSuper()(X)


def input_shape_warning(lib):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        layer = layers(lib).Layer(input_dim=3, name="w")
    return [str(w.message)[:60] for w in caught], layer._input_shape_arg


def base_config_and_repr(lib):
    base = layers(lib).Layer

    class Plain(base):
        def __init__(self, units=3, flag=True, **kwargs):
            super().__init__(**kwargs)

    class NoName(base):
        def __init__(self, units=3):
            super().__init__()

    return (base(name="b", dtype="float16").get_config(), Plain(units=4, name="p").get_config(),
            NoName(5).get_config(), repr(Plain(name="q")), str(base(name="s")),
            base(name="r", activity_regularizer="l2").get_config()["activity_regularizer"])


# --- tracking ----------------------------------------------------------------------------


def nested_tracking(lib):
    Linear = kit(lib)[0]
    base = layers(lib).Layer

    class Holder(base):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.own = self.add_weight(shape=(1,), name="own")
            self.items = [Linear(1, name="l0"), (Linear(1, name="t0"),)]
            self.table = {"b": Linear(1, name="db"), "a": Linear(1, name="da")}
            self.free = lib.Variable(np.zeros(2), name="free", trainable=False)
            self.items.append(Linear(1, name="late"))
            self.items.append(self.table["a"])  # the same layer twice: tracked once

        def build(self, input_shape):
            for layer in self._layers:
                layer.build(input_shape)

        def call(self, x):
            return x

    holder = Holder(name="holder")
    holder(X)
    return ([v.path for v in holder.weights], [v.path for v in holder.trainable_weights],
            [v.path for v in holder.non_trainable_weights], [v.path for v in holder.variables],
            [layer.name for layer in holder._layers], type(holder.items).__name__,
            holder.path, holder.get_build_config())


@raises(ValueError, "You cannot add new elements of state (variables or sub-layers)")
def locked_after_build(lib):
    Linear = kit(lib)[0]
    layer = Linear(2, name="lk")
    layer(X)
    layer.kernel = layer.kernel  # re-assigning tracked state is fine
    layer.add_weight(shape=(1,), name="late")


@raises(ValueError, "You cannot add new elements of state (variables or sub-layers)")
def locked_sublayer(lib):
    Linear = kit(lib)[0]
    layer = Linear(2, name="lk2")
    layer(X)
    layer.child = Linear(1, name="child")


def trainable_propagation(lib):
    _, _, Block, _ = kit(lib)
    block = Block(name="block")
    block.build((None, 3))
    block.trainable = False
    frozen = (len(block.trainable_weights), len(block.non_trainable_weights),
              block.first.trainable, [v.trainable for v in block.first.weights])
    block.trainable = True
    block.second.trainable = False
    return frozen, [v.path for v in block.trainable_variables], \
        [v.path for v in block.non_trainable_variables]


def add_weight_defaults(lib):
    base = layers(lib).Layer

    class Defaults(base):
        def build(self, input_shape):
            self.a = self.add_weight()
            self.b = self.add_weight(shape=(2,), dtype="int32", name="b")
            self.c = self.add_variable((2, 2), "ones", name="c")
            self.d = self.add_weight((3,), "zeros", "float16", name="d")

        def call(self, x):
            return x

    layer = Defaults(name="defaults", dtype="mixed_float16")
    layer.build((1,))
    return [(v.shape, str(v.dtype), v.trainable) for v in layer.weights], \
        np.asarray(layer.b.numpy()), np.asarray(layer.c.numpy())


@raises(ValueError, "`name` must be passed as a keyword argument")
def add_weight_positional_name(lib):
    layers(lib).Layer(name="pn").add_weight("kernel")


# --- weights -----------------------------------------------------------------------------


def weights_round_trip(lib):
    Linear = kit(lib)[0]
    layer = Linear(2, name="rt")
    layer.build((None, 3))
    layer.set_weights([np.ones((3, 2), "float32"), np.full((2,), 0.5, "float32")])
    store: dict = {}
    layer.save_own_variables(store)
    other = Linear(2, name="rt2")
    other.build((None, 3))
    other.load_own_variables(store)
    return other.get_weights(), sorted(store), layer.count_params()


@raises(ValueError, "with a weight list of length")
def set_weights_wrong_length(lib):
    layer = kit(lib)[0](2, name="sw")
    layer.build((None, 3))
    layer.set_weights([np.ones((3, 2))])


@raises(ValueError, "is not compatible with provided weight shape")
def set_weights_wrong_shape(lib):
    layer = kit(lib)[0](2, name="sw2")
    layer.build((None, 3))
    layer.set_weights([np.ones((3, 3)), np.ones((2,))])


@raises(ValueError, "but the layer isn't built")
def count_params_unbuilt(lib):
    kit(lib)[0](2, name="cp").count_params()


@raises(ValueError, "was never built and thus it doesn't have any variables")
def load_unbuilt(lib):
    kit(lib)[0](2, name="lu").load_own_variables({"0": np.ones(1)})


@raises(ValueError, "expected 2 variables, but received 1 variables during loading")
def load_wrong_count(lib):
    layer = kit(lib)[0](2, name="lw")
    layer.build((None, 3))
    layer.load_own_variables({"0": np.ones((3, 2))})


def delete_attribute(lib):
    layer = layers(lib).Layer(name="del")
    layer.a = lib.Variable(np.zeros(1), name="a")
    layer.b = lib.Variable(np.zeros(1), name="b")
    del layer.a
    return [v.name for v in layer.weights], hasattr(layer, "a")
