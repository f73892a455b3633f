"""fit/evaluate/predict against upstream: same weights in, same numbers out.

Both libraries start from upstream's initial weights and see the same data in
the same order (``shuffle=False``); history, evaluate results, predictions and
final weights must then agree (bit for bit where the registry says ``exact``).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance import training_support as ts

spec = pytest.mark.spec

OPTIMIZERS = [
    ("SGD", {"learning_rate": 0.05}),
    ("SGD", {"learning_rate": 0.05, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"learning_rate": 0.05, "momentum": 0.5, "clipnorm": 0.5}),
    ("Adam", {"learning_rate": 0.01}),
    ("Adam", {"learning_rate": 0.01, "clipvalue": 0.1, "amsgrad": True}),
    ("AdamW", {"learning_rate": 0.01, "weight_decay": 0.01}),
    ("RMSprop", {"learning_rate": 0.01, "global_clipnorm": 1.0}),
    ("RMSprop", {"learning_rate": 0.01, "momentum": 0.3, "centered": True}),
    ("Adagrad", {"learning_rate": 0.05}),
    "rmsprop",
    "adam",
    "sgd",
]


@st.composite
def training_cases(draw):
    """A net, compile arguments (as data) and fit arguments."""
    net = draw(ts.nets())
    losses = [ts.loss_for(h, draw(st.sampled_from(ts.FAMILY_LOSSES[h.family])))
              for h in net.heads]
    metrics = []
    for head in net.heads:
        pool = ts.FAMILY_METRICS[ts.metric_family(head.family)]
        if head.logits:
            pool = [m for m in pool if not isinstance(m, tuple) or m[0] == "AUC"] or ["mse"]
            pool = [m for m in pool if m not in ("accuracy", "acc")] or ["mse"]
        metrics.append(draw(st.lists(st.sampled_from(pool), max_size=2, unique_by=str)))
    compile_kwargs = {"optimizer": draw(st.sampled_from(OPTIMIZERS)),
                      "loss": ts.per_head(net, losses)}
    if any(metrics):
        compile_kwargs["metrics"] = ts.per_head(net, metrics)
    if draw(st.booleans()):
        compile_kwargs["weighted_metrics"] = ts.per_head(net, [["mse"] for _ in net.heads])
    if len(net.heads) > 1 and draw(st.booleans()):
        compile_kwargs["loss_weights"] = ts.per_head(net, [0.5, 2.0][:len(net.heads)])
    compile_kwargs["steps_per_execution"] = draw(st.sampled_from([1, 1, 2, 3]))
    n = draw(st.integers(9, 40))
    fit_kwargs = {"epochs": draw(st.integers(1, 3)), "batch_size": draw(st.sampled_from([4, 8, 16]))}
    validation = draw(st.sampled_from([None, "split", "data2", "data3"]))
    if validation == "split":
        fit_kwargs["validation_split"] = 0.25
    if draw(st.booleans()):
        fit_kwargs["sample_weight"] = "draw"
    return net, compile_kwargs, fit_kwargs, validation, n, draw(st.integers(0, 2**16))


@spec("trainer.fit.history", "trainer.fit.history_keys", "trainer.evaluate.results",
      "trainer.predict.outputs", "trainer.fit.weights", "trainer.compile.loss_forms",
      "trainer.compile.metric_forms", "trainer.fit.sample_weight", "trainer.fit.validation",
      "trainer.fit.steps_per_execution", "trainer.compute_loss.layer_losses")
@settings(max_examples=4)  # each example compiles ~8 programs per library
@given(training_cases())
def test_fit_matches_upstream(impl, upstream, case):
    net, compile_kwargs, fit_kwargs, validation, n, seed = case
    x, y = ts.data(net, n, seed)
    fit_kwargs = dict(fit_kwargs)
    if fit_kwargs.get("sample_weight") == "draw":
        fit_kwargs["sample_weight"] = np.random.default_rng(seed).uniform(0.1, 2.0, n).astype(
            "float32")
    if validation in ("data2", "data3"):
        vx, vy = ts.data(net, 7, seed + 1)
        if validation == "data2":
            fit_kwargs["validation_data"] = (vx, vy)
        else:
            fit_kwargs["validation_data"] = (vx, vy, np.linspace(0.5, 1.5, 7).astype("float32"))
    ours, theirs = ts.twins(impl, upstream, net, seed)
    got = ts.run(impl, ours, compile_kwargs, x, y, fit_kwargs)
    want = ts.run(upstream, theirs, compile_kwargs, x, y, fit_kwargs)
    ts.assert_same_run(got, want, "training.fit_jit")


FIT_VARIANTS = [
    (ts.Net("sequential", 3, (4,), (ts.Head("out", 1, "binary"),), "single", True),
     {"loss": "bce", "metrics": ["acc"], "weighted_metrics": ["acc"]},
     {"epochs": 2, "batch_size": 4, "class_weight": {0: 0.5, 1: 2.0}}),
    (ts.Net("functional", 2, (3,), (ts.Head("out_a", 2, "mse"), ts.Head("out_b", 3, "sparse")),
            "list"),
     {"loss": ["mae", "sparse_categorical_crossentropy"], "metrics": [["mse"], ["acc"]],
      "steps_per_execution": 3},
     {"epochs": 3, "batch_size": 4, "validation_freq": [1, 3], "validation_split": 0.2,
      "initial_epoch": 1}),
    pytest.param(
        ts.Net("functional", 2, (3,), (ts.Head("out_a", 2, "huber"),), "single"),
        {"loss": "huber", "optimizer": ("Adam", {"learning_rate": 0.01}),
         "steps_per_execution": 2},
        {"epochs": 2, "batch_size": 3, "steps_per_epoch": 3}),
]


@spec("trainer.fit.history", "trainer.fit.class_weight", "trainer.fit.validation_freq",
      "trainer.fit.initial_epoch", "trainer.fit.steps_per_execution", "trainer.fit.weights")
@pytest.mark.parametrize("net,compile_kwargs,fit_kwargs", FIT_VARIANTS)
def test_fit_arguments_match_upstream(impl, upstream, net, compile_kwargs, fit_kwargs):
    x, y = ts.data(net, 17, 3)
    compile_kwargs = {"optimizer": ("SGD", {"learning_rate": 0.05, "momentum": 0.9}),
                      **compile_kwargs}
    ours, theirs = ts.twins(impl, upstream, net, 3)
    got = ts.run(impl, ours, compile_kwargs, x, y, fit_kwargs)
    want = ts.run(upstream, theirs, compile_kwargs, x, y, fit_kwargs)
    ts.assert_same_run(got, want, "training.fit_jit" if net.regularized else "training.fit")
