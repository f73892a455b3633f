"""Model recipes: random functional and Sequential models written down as plain data.

A recipe grows a graph from a few ``Input`` tensors of shape ``(None, width)``.
Every tensor is known by its position in a *pool* (inputs first, then each
step's output). Each step names what it calls, so that :func:`build` makes the
same model, with the same layer names, in upstream keras or in refkeras:

- ``dense``: a new ``Dense(units)``; ``shared``: a Dense made earlier, called again;
- ``add``/``concat``/``neg``/``scale``: ops on KerasTensors (``ops.add``,
  ``ops.concatenate``, ``-x``, ``x * 0.5``);
- ``pair``: a custom layer taking a list of two tensors;
- ``nested``: a new one-Dense sub-model; ``nested_again``: one called again.

Widths are tracked here, so every drawn recipe is a valid model.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType, SimpleNamespace
from typing import Any

from hypothesis import strategies as st

from refkeras.backend import naming


@dataclass(frozen=True)
class ModelRecipe:
    widths: tuple[int, ...]  # one per input
    input_layout: str  # "bare" (one input), "list", "tuple" or "dict"
    steps: tuple[tuple, ...]  # (kind, *pool positions and parameters)
    outputs: Any  # a nest of pool positions


def _layout(draw: Any, leaves: list[int], allow_bare: bool) -> Any:
    kinds = ["list", "tuple", "dict", "nested"] + (["bare"] if allow_bare else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "bare":
        return leaves[0]
    if kind == "list":
        return list(leaves)
    if kind == "tuple":
        return tuple(leaves)
    if kind == "dict":
        return {f"out_{i}": x for i, x in enumerate(leaves)}
    return {"head": leaves[0], "rest": list(leaves[1:])}


@st.composite
def model_recipes(draw: Any, max_steps: int = 7) -> ModelRecipe:
    n_inputs = draw(st.integers(1, 3))
    widths = [draw(st.integers(2, 4)) for _ in range(n_inputs)]
    pool = list(widths)  # width of each pool tensor
    denses: list[tuple[int, int]] = []  # (input width, units) of each Dense made
    nested: list[tuple[int, int]] = []  # (input width, units) of each sub-model made
    steps = []
    for _ in range(draw(st.integers(1, max_steps))):
        kind = draw(st.sampled_from(["dense", "dense", "shared", "add", "concat", "neg",
                                     "scale", "pair", "nested", "nested_again"]))
        a = draw(st.integers(0, len(pool) - 1))
        if kind == "shared":
            fits = [i for i, (w, _) in enumerate(denses) if w == pool[a]]
            kind = "dense" if not fits else kind
        if kind == "nested_again":
            fits = [i for i, (w, _) in enumerate(nested) if w == pool[a]]
            kind = "nested" if not fits else kind
        if kind == "dense":
            units = draw(st.integers(1, 4))
            steps.append(("dense", a, units))
            denses.append((pool[a], units))
            pool.append(units)
        elif kind == "shared":
            which = draw(st.sampled_from(fits))
            steps.append(("shared", a, which))
            pool.append(denses[which][1])
        elif kind == "nested":
            units = draw(st.integers(1, 4))
            steps.append(("nested", a, units))
            nested.append((pool[a], units))
            pool.append(units)
        elif kind == "nested_again":
            which = draw(st.sampled_from(fits))
            steps.append(("nested_again", a, which))
            pool.append(nested[which][1])
        elif kind in ("add", "pair"):
            same = [i for i, w in enumerate(pool) if w == pool[a]]
            b = draw(st.sampled_from(same if kind == "add" else range(len(pool))))
            steps.append((kind, a, b))
            pool.append(pool[a])
        elif kind == "concat":
            b = draw(st.integers(0, len(pool) - 1))
            steps.append(("concat", a, b))
            pool.append(pool[a] + pool[b])
        else:
            steps.append((kind, a))
            pool.append(pool[a])
    made = list(range(n_inputs, len(pool)))
    leaves = [made[-1]] + draw(st.lists(st.sampled_from(made), max_size=2))
    outputs = _layout(draw, leaves, allow_bare=True)
    input_layout = draw(st.sampled_from(["bare", "list", "tuple", "dict"] if n_inputs == 1
                                        else ["list", "tuple", "dict"]))
    return ModelRecipe(tuple(widths), input_layout, tuple(steps), outputs)


@dataclass(frozen=True)
class SequentialRecipe:
    width: int
    units: tuple[int, ...]
    with_input: bool  # an Input() first, else built by the first call


@st.composite
def sequential_recipes(draw: Any) -> SequentialRecipe:
    return SequentialRecipe(draw(st.integers(1, 5)),
                            tuple(draw(st.lists(st.integers(1, 5), min_size=1, max_size=4))),
                            draw(st.booleans()))


# --- building ------------------------------------------------------------------------------
_KITS: dict[str, SimpleNamespace] = {}
_FUNCTIONAL_MODULE = {"keras": "keras.src.models.functional", "refkeras": "refkeras.models"}


def kit(lib: ModuleType) -> SimpleNamespace:
    """The names a recipe needs from ``lib`` (refkeras keeps some under submodules until
    its top level exports them), and the custom layer class defined on ``lib``."""
    if lib.__name__ in _KITS:
        return _KITS[lib.__name__]
    layers = importlib.import_module(f"{lib.__name__}.layers")
    models = importlib.import_module(f"{lib.__name__}.models")

    class PairMix(layers.Layer):
        """Two tensors in: ``2 a + sum(b)`` (broadcast over a's last axis)."""

        def call(self, inputs):
            a, b = inputs
            return a * 2.0 + lib.ops.sum(b, axis=-1, keepdims=True)

        def compute_output_shape(self, input_shape):
            return input_shape[0]

    found = SimpleNamespace(
        lib=lib, layers=layers, ops=lib.ops, Input=layers.Input, Dense=layers.Dense,
        Model=getattr(lib, "Model", None) or models.Model,
        Sequential=getattr(lib, "Sequential", None) or models.Sequential,
        # Upstream keeps Functional private; refkeras exports it from refkeras.models.
        Functional=importlib.import_module(_FUNCTIONAL_MODULE[lib.__name__]).Functional,
        model_from_json=models.model_from_json,
        PairMix=PairMix,
    )
    _KITS[lib.__name__] = found
    return found


def reset_names(lib: ModuleType) -> None:
    """Restarts automatic names (``add``, ``add_1``, ...) so both libraries count alike."""
    if lib.__name__ == "keras":
        lib.backend.clear_session()
    else:
        naming.reset_names()


def _nest(structure: Any, leaf: Any) -> Any:
    if isinstance(structure, int):
        return leaf(structure)
    if isinstance(structure, dict):
        return {k: _nest(v, leaf) for k, v in structure.items()}
    if isinstance(structure, tuple):
        return tuple(_nest(v, leaf) for v in structure)
    return [_nest(v, leaf) for v in structure]


def build(lib: ModuleType, recipe: ModelRecipe, name: str = "model") -> Any:
    """The functional model ``recipe`` describes, made with ``lib``."""
    k = kit(lib)
    reset_names(lib)
    pool = [k.Input((w,), name=f"in_{i}") for i, w in enumerate(recipe.widths)]
    denses, subs = [], []
    for i, (kind, a, *rest) in enumerate(recipe.steps):
        x = pool[a]
        if kind == "dense":
            denses.append(k.Dense(rest[0], name=f"dense_{i}"))
            y = denses[-1](x)
        elif kind == "shared":
            y = denses[rest[0]](x)
        elif kind == "nested":
            sub_in = k.Input((x.shape[-1],), name=f"sub_in_{i}")
            subs.append(k.Model(sub_in, k.Dense(rest[0], name=f"sub_dense_{i}")(sub_in),
                                name=f"sub_{i}"))
            y = subs[-1](x)
        elif kind == "nested_again":
            y = subs[rest[0]](x)
        elif kind == "add":
            y = k.ops.add(x, pool[rest[0]])
        elif kind == "concat":
            y = k.ops.concatenate([x, pool[rest[0]]], axis=-1)
        elif kind == "pair":
            y = k.PairMix(name=f"pair_{i}")([x, pool[rest[0]]])
        elif kind == "neg":
            y = -x
        else:
            y = x * 0.5
        pool.append(y)
    n = len(recipe.widths)
    inputs = {
        "bare": pool[0], "list": pool[:n], "tuple": tuple(pool[:n]),
        "dict": {f"in_{i}": pool[i] for i in range(n)},
    }[recipe.input_layout]
    return k.Model(inputs, _nest(recipe.outputs, pool.__getitem__), name=name)


def build_sequential(lib: ModuleType, recipe: SequentialRecipe) -> Any:
    k = kit(lib)
    reset_names(lib)
    stack = [k.Input((recipe.width,), name="seq_in")] if recipe.with_input else []
    stack += [k.Dense(u, name=f"layer_{i}") for i, u in enumerate(recipe.units)]
    return k.Sequential(stack, name="seq")


def feed(recipe: ModelRecipe, rng: Any) -> Any:
    """Input arrays in the model's input layout."""
    arrays = [rng.standard_normal((3, w)).astype("float32") for w in recipe.widths]
    n = len(arrays)
    return {"bare": arrays[0], "list": arrays, "tuple": tuple(arrays),
            "dict": {f"in_{i}": arrays[i] for i in range(n)}}[recipe.input_layout]
