"""A layer's variables: creating them, listing them, reading and writing their values.

Listing order (upstream's, which weight files and optimizers rely on): the
layer's own trainable then non-trainable variables in creation order, then
each sub-layer's list, in tracking order, each variable once.
"""

from __future__ import annotations

import math
from typing import Any

from refkeras import backend, constraints, initializers, regularizers
from refkeras.backend.scopes import name_scope


def add_weight(layer: Any, shape: Any = None, initializer: Any = None, dtype: Any = None,
               trainable: bool = True, autocast: bool = True, regularizer: Any = None,
               constraint: Any = None, aggregation: str = "none",
               overwrite_with_gradient: bool = False, name: str | None = None) -> Any:
    """Creates a variable under the layer's name scope and tracks it."""
    if shape is None:
        shape = ()
    dtype = backend.standardize_dtype(dtype) if dtype is not None else layer.variable_dtype
    if initializer is None:
        initializer = "glorot_uniform" if "float" in dtype else "zeros"
    initializer = initializers.get(initializer)
    with name_scope(layer.name, caller=layer):
        variable = backend.Variable(initializer=initializer, shape=shape, dtype=dtype,
                                    trainable=trainable, autocast=autocast,
                                    aggregation=aggregation, name=name)
    variable.regularizer = regularizers.get(regularizer)
    variable.constraint = constraints.get(constraint)
    variable.overwrite_with_gradient = overwrite_with_gradient
    track_variable(layer, variable)
    return variable


def legacy_positional(args: tuple, shape: Any, initializer: Any, dtype: Any) -> tuple:
    """Accepts Keras 2's ``add_weight(shape, initializer, dtype)`` positional style."""
    if len(args) > 3:
        raise TypeError(f"add_weight() takes at most 3 positional arguments but {len(args)} "
                        "were given. Pass the others by keyword.")
    if isinstance(args[0], str):
        raise ValueError(
            f"`name` must be passed as a keyword argument. Received: add_weight('{args[0]}', "
            f"...). Use: add_weight(shape=..., name='{args[0]}')."
        )
    given = {"shape": shape, "initializer": initializer, "dtype": dtype}
    for key, value in zip(("shape", "initializer", "dtype"), args):
        if given[key] is not None:
            raise ValueError(f"`{key}` was passed both positionally and as a keyword argument.")
        given[key] = value
    return given["shape"], given["initializer"], given["dtype"]


def track_variable(layer: Any, variable: Any) -> None:
    store = "trainable_variables" if variable.trainable else "non_trainable_variables"
    layer._tracker.add(store, variable)
    if not layer.trainable:
        variable.trainable = False


def own_variables(layer: Any) -> list:
    """The layer's own variables, trainable store first (a variable may be in both)."""
    return layer._trainable_variables + layer._non_trainable_variables


def collect_weights(layer: Any) -> list:
    weights: list = []
    seen: set[int] = set()
    for v in own_variables(layer):
        if id(v) not in seen:
            weights.append(v)
            seen.add(id(v))
    for sub in layer._layers:
        for v in sub.weights:
            if id(v) not in seen:
                weights.append(v)
                seen.add(id(v))
    return weights


def collect_variables(layer: Any) -> list:
    """Like ``collect_weights``, plus seed-generator states after the own variables."""
    variables: list = []
    seen: set[int] = set()
    for v in own_variables(layer):
        if id(v) not in seen:
            variables.append(v)
            seen.add(id(v))
    for generator in layer._seed_generators:
        variables.append(generator.state)
    for sub in layer._layers:
        for v in sub.variables:
            if id(v) not in seen:
                variables.append(v)
                seen.add(id(v))
    return variables


def set_weights(layer: Any, weights: list) -> None:
    targets = layer.weights
    if len(targets) != len(weights):
        raise ValueError(
            f"You called `set_weights(weights)` on layer '{layer.name}' with a weight list "
            f"of length {len(weights)}, but the layer was expecting {len(targets)} weights. "
            "Pass one array per entry of `layer.weights`, in that order."
        )
    for variable, value in zip(targets, weights):
        if variable.shape != value.shape:
            raise ValueError(
                f"Layer {layer.name} weight shape {variable.shape} is not compatible with "
                f"provided weight shape {value.shape}."
            )
        variable.assign(value)


def count_params(layer: Any) -> int:
    if not layer.built:
        raise ValueError(
            f"You tried to call `count_params` on layer '{layer.name}', but the layer isn't "
            "built. You can build it manually via: `layer.build(input_shape)`."
        )
    return int(sum(math.prod(w.shape) for w in layer.weights))


def save_own_variables(layer: Any, store: Any) -> None:
    """Writes the layer's own variables as ``store["0"], store["1"], ...``."""
    for i, v in enumerate(own_variables(layer)):
        store[f"{i}"] = v


def load_own_variables(layer: Any, store: Any) -> None:
    """Reads back what ``save_own_variables`` wrote; the count must match."""
    variables = own_variables(layer)
    received = len(store.keys())
    if received != len(variables):
        if not variables and not layer.built:
            raise ValueError(_never_built_message(layer.name, received))
        raise ValueError(
            f"Layer '{layer.name}' expected {len(variables)} variables, but received "
            f"{received} variables during loading. Expected: {[v.name for v in variables]}"
        )
    for i, v in enumerate(variables):
        v.assign(store[f"{i}"])


def _never_built_message(name: str, received: int) -> str:
    return (
        f"Layer '{name}' was never built and thus it doesn't have any variables. However "
        f"the weights file lists {received} variables for this layer.\nIn most cases, this "
        "error indicates that either:\n\n1. The layer is owned by a parent layer that "
        "implements a `build()` method, but calling the parent's `build()` method did NOT "
        f"create the state of the child layer '{name}'. A `build()` method must create ALL "
        "state for the layer, including the state of any children layers.\n\n2. You need to "
        "implement the `def build_from_config(self, config)` method on layer "
        f"'{name}', to specify how to rebuild it during loading. In this case, you might "
        "also want to implement the method that generates the build config at saving time, "
        "`def get_build_config(self)`. The method `build_from_config()` is meant to create "
        "the state of the layer (i.e. its variables) upon deserialization."
    )
