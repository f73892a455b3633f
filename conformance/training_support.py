"""Shared pieces of the training conformance tests: small models written down as data.

A :class:`Net` describes a small model (Sequential or functional, one or two
heads, list or dict outputs) with the loss family of each head. :func:`twins`
builds it in upstream keras and in the library under test and copies the
upstream weights across, so both start from the same point; :func:`data`
makes matching inputs and targets; :func:`run` compiles, fits, evaluates and
predicts, and returns everything a test compares.

Losses, metrics and optimizers are given as data too: a string, or
``(class name, kwargs)``, made in each library by :func:`make`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np
from hypothesis import strategies as st

from conformance.model_recipes import reset_names
from conformance.tolerances import assert_close

# Loss families: how targets look and which final activation suits them.
REGRESSION = ("mse", "mae", "mape", "msle", "huber")
FAMILY_LOSSES = {
    "mse": ["mse", "mean_squared_error", ("MeanSquaredError", {})],
    "mae": ["mae", ("MeanAbsoluteError", {})],
    "mape": ["mape", ("MeanAbsolutePercentageError", {})],
    "msle": ["msle", ("MeanSquaredLogarithmicError", {})],
    "huber": ["huber", ("Huber", {"delta": 0.5})],
    "binary": ["binary_crossentropy", "bce", "crossentropy",
               ("BinaryCrossentropy", {"label_smoothing": 0.1})],
    "categorical": ["categorical_crossentropy", "ce",
                    ("CategoricalCrossentropy", {"label_smoothing": 0.2})],
    "sparse": ["sparse_categorical_crossentropy", "crossentropy",
               ("SparseCategoricalCrossentropy", {})],
}
FAMILY_METRICS = {
    "regression": ["mae", "mse", ("MeanAbsoluteError", {"name": "abs_err"})],
    "binary": ["accuracy", "acc", ("BinaryAccuracy", {}), ("Precision", {}), ("Recall", {}),
               ("AUC", {"num_thresholds": 20})],
    "categorical": ["accuracy", ("CategoricalAccuracy", {}),
                    ("TopKCategoricalAccuracy", {"k": 2})],
    "sparse": ["acc", ("SparseCategoricalAccuracy", {})],
}


def metric_family(loss_family: str) -> str:
    return "regression" if loss_family in REGRESSION else loss_family


@dataclass(frozen=True)
class Head:
    name: str
    units: int
    family: str  # a key of FAMILY_LOSSES
    logits: bool = False  # crossentropy on logits (no final activation)


@dataclass(frozen=True)
class Net:
    kind: str  # "sequential" or "functional"
    width: int
    hidden: tuple[int, ...]
    heads: tuple[Head, ...]
    layout: str  # "single", "list" or "dict"
    regularized: bool = False  # kernel and activity regularizers on the first hidden layer


def _activation(head: Head) -> str | None:
    if head.logits:
        return None
    if head.family == "binary":
        return "sigmoid"
    if head.family in ("categorical", "sparse"):
        return "softmax"
    if head.family in ("msle", "mape"):
        return "softplus"  # keeps predictions above -1 (msle) and positive
    return None


@st.composite
def heads(draw: Any, name: str, family: str | None = None) -> Head:
    family = family or draw(st.sampled_from(sorted(FAMILY_LOSSES)))
    if family in ("categorical", "sparse"):
        units = draw(st.integers(2, 4))
    elif family == "binary":
        units = draw(st.sampled_from([1, 1, 2]))
    else:
        units = draw(st.integers(1, 3))
    logits = family in ("binary", "categorical", "sparse") and draw(st.booleans())
    return Head(name, units, family, logits)


@st.composite
def nets(draw: Any, max_heads: int = 2) -> Net:
    kind = draw(st.sampled_from(["sequential", "functional"]))
    n_heads = 1 if kind == "sequential" else draw(st.integers(1, max_heads))
    layout = "single" if n_heads == 1 else draw(st.sampled_from(["list", "dict"]))
    head_list = tuple(draw(heads(f"out_{chr(97 + i)}")) for i in range(n_heads))
    hidden = tuple(draw(st.lists(st.integers(2, 5), min_size=0 if n_heads == 1 else 1,
                                 max_size=2)))
    return Net(kind, draw(st.integers(2, 4)), hidden, head_list, layout,
               regularized=bool(hidden) and draw(st.booleans()))


def build(lib: ModuleType, net: Net) -> Any:
    """The model ``net`` describes, made with ``lib`` (fresh automatic names)."""
    reset_names(lib)
    layers = lib.layers
    hidden = []
    for i, units in enumerate(net.hidden):
        extra = {}
        if net.regularized and i == 0:
            extra = {"kernel_regularizer": lib.regularizers.L2(0.01),
                     "activity_regularizer": lib.regularizers.L1(0.001)}
        hidden.append(layers.Dense(units, activation="tanh", name=f"hidden_{i}", **extra))
    if net.kind == "sequential":
        head = net.heads[0]
        out = layers.Dense(head.units, activation=_activation(head), name=head.name)
        return lib.Sequential([lib.Input((net.width,), name="x"), *hidden, out], name="seq")
    inputs = lib.Input((net.width,), name="x")
    h = inputs
    for layer in hidden:
        h = layer(h)
    outs = [layers.Dense(head.units, activation=_activation(head), name=head.name)(h)
            for head in net.heads]
    if net.layout == "single":
        return lib.Model(inputs, outs[0], name="fn")
    if net.layout == "list":
        return lib.Model(inputs, outs, name="fn")
    return lib.Model(inputs, {head.name: o for head, o in zip(net.heads, outs)}, name="fn")


def twins(impl: ModuleType, upstream: ModuleType, net: Net, seed: int = 0) -> tuple:
    """``(impl model, upstream model)`` with the same weights (upstream's, seeded)."""
    upstream.utils.set_random_seed(seed)
    theirs = build(upstream, net)
    ours = build(impl, net)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    return ours, theirs


def _targets(head: Head, n: int, rng: np.random.Generator) -> np.ndarray:
    if head.family == "binary":
        return (rng.random((n, head.units)) > 0.5).astype("float32")
    if head.family == "categorical":
        return np.eye(head.units, dtype="float32")[rng.integers(0, head.units, n)]
    if head.family == "sparse":
        return rng.integers(0, head.units, (n, 1)).astype("int32")
    if head.family in ("msle", "mape"):
        return rng.uniform(0.5, 2.0, (n, head.units)).astype("float32")
    return rng.standard_normal((n, head.units)).astype("float32")


def data(net: Net, n: int, seed: int) -> tuple[np.ndarray, Any]:
    """``(x, y)``: y in the model's output structure."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, net.width)).astype("float32")
    ys = [_targets(head, n, rng) for head in net.heads]
    if net.layout == "single":
        return x, ys[0]
    if net.layout == "list":
        return x, ys
    return x, {head.name: y for head, y in zip(net.heads, ys)}


def make(lib: ModuleType, module: str, item: Any) -> Any:
    """A string as it is, or ``(class name, kwargs)`` made from ``lib.<module>``."""
    if isinstance(item, tuple):
        name, kwargs = item
        return getattr(getattr(lib, module), name)(**kwargs)
    if isinstance(item, list):
        return [make(lib, module, i) for i in item]
    if isinstance(item, dict):
        return {k: make(lib, module, v) for k, v in item.items()}
    return item


def loss_for(head: Head, choice: Any) -> Any:
    """The loss data for ``head``: ``from_logits`` added for logits heads."""
    if head.logits:
        name = {"binary": "BinaryCrossentropy", "categorical": "CategoricalCrossentropy",
                "sparse": "SparseCategoricalCrossentropy"}[head.family]
        kwargs = dict(choice[1]) if isinstance(choice, tuple) else {}
        return (name, {**kwargs, "from_logits": True})
    return choice


def per_head(net: Net, values: list) -> Any:
    """One value per head, in the structure compile expects for ``net``."""
    if net.layout == "single":
        return values[0]
    if net.layout == "list":
        return list(values)
    return {head.name: v for head, v in zip(net.heads, values)}


def run_compile(lib: ModuleType, model: Any, compile_kwargs: dict) -> None:
    """``model.compile`` with losses, metrics and optimizer given as data (see :func:`make`)."""
    kwargs = dict(compile_kwargs)
    for key, module in (("optimizer", "optimizers"), ("loss", "losses"),
                        ("metrics", "metrics"), ("weighted_metrics", "metrics")):
        if key in kwargs:
            kwargs[key] = make(lib, module, kwargs[key])
    model.compile(**kwargs)


def run(lib: ModuleType, model: Any, compile_kwargs: dict, x: Any, y: Any,
        fit_kwargs: dict | None = None, eval_kwargs: dict | None = None) -> dict:
    """Compile (``compile_kwargs`` as data), fit, evaluate (list and dict), predict."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run_compile(lib, model, compile_kwargs)
        out: dict = {"metrics_names_before": list(model.metrics_names)}
        if fit_kwargs is not None:
            history = model.fit(x, y, verbose=0, shuffle=False, **fit_kwargs)
            out["history"] = history.history
            out["epochs"] = history.epoch
        eval_kwargs = {"batch_size": 16, **(eval_kwargs or {})}
        out["evaluate"] = model.evaluate(x, y, verbose=0, **eval_kwargs)
        out["evaluate_dict"] = model.evaluate(x, y, verbose=0, return_dict=True, **eval_kwargs)
        out["predict"] = model.predict(x, verbose=0, batch_size=16)
    out["metrics_names"] = list(model.metrics_names)
    out["weights"] = [np.asarray(w) for w in model.get_weights()]
    return out


def assert_same_run(ours: dict, theirs: dict, key: str) -> None:
    """Equal keys, structures and types; values within tolerance ``key``."""
    assert ours.keys() == theirs.keys()
    assert ours["metrics_names_before"] == theirs["metrics_names_before"]
    assert ours["metrics_names"] == theirs["metrics_names"]
    if "history" in theirs:
        assert ours["epochs"] == theirs["epochs"]
        assert list(ours["history"]) == list(theirs["history"])
        for name, values in theirs["history"].items():
            assert [type(v) for v in ours["history"][name]] == [type(v) for v in values], name
            assert_close(np.asarray(ours["history"][name]), np.asarray(values), key)
    assert type(ours["evaluate"]) is type(theirs["evaluate"])
    assert_close(np.asarray(ours["evaluate"]), np.asarray(theirs["evaluate"]), key)
    assert list(ours["evaluate_dict"]) == list(theirs["evaluate_dict"])
    for name, value in theirs["evaluate_dict"].items():
        assert type(ours["evaluate_dict"][name]) is type(value), name
        assert_close(ours["evaluate_dict"][name], value, key)
    assert type(ours["predict"]) is type(theirs["predict"])
    if isinstance(theirs["predict"], dict):
        assert list(ours["predict"]) == list(theirs["predict"])
    for a, b in zip(_leaves(ours["predict"]), _leaves(theirs["predict"]), strict=True):
        assert_close(a, b, key)
    for a, b in zip(ours["weights"], theirs["weights"], strict=True):
        assert_close(a, b, key)


def _leaves(value: Any) -> list:
    if isinstance(value, dict):
        return [value[k] for k in sorted(value)]
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]
