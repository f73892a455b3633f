"""compile and the trainer's bookkeeping, against upstream (few or no training steps)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from conformance import training_support as ts
from conformance.model_recipes import reset_names
from conformance.tolerances import assert_close

spec = pytest.mark.spec

TWO_HEADS = ts.Net("functional", 3, (4,), (ts.Head("out_a", 1, "binary"),
                                         ts.Head("out_b", 3, "sparse")), "dict")
LIST_HEADS = ts.Net("functional", 3, (), (ts.Head("out_a", 2, "mse"),
                                         ts.Head("out_b", 3, "categorical")), "list")
SINGLE = ts.Net("sequential", 3, (4,), (ts.Head("out", 1, "mse"),), "single")


def _outcome(fn, *args):
    """``("ok", value, warnings)`` or ``("error", class name, message)``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = fn(*args)
        except Exception as e:  # noqa: BLE001 - the exception is what is compared
            return "error", type(e).__name__, str(e)
    messages = sorted(str(w.message) for w in caught if "copy" not in str(w.message))
    return "ok", value, messages


def _both(impl, upstream, net, fn):
    """``fn(lib, model)``'s outcome in each library; automatic names (metrics, optimizers)
    restart before each run, so that ``--impl keras`` names alike too."""
    ours, theirs = ts.twins(impl, upstream, net)
    reset_names(impl)
    got = _outcome(fn, impl, ours)
    reset_names(upstream)
    return got, _outcome(fn, upstream, theirs)


@spec("trainer.compile.must_compile")
@pytest.mark.parametrize("call", ["fit", "evaluate", "train_on_batch", "test_on_batch"])
def test_using_an_uncompiled_model_raises(impl, upstream, call):
    x, y = ts.data(SINGLE, 4, 0)
    got, want = _both(impl, upstream, SINGLE, lambda lib, m: getattr(m, call)(x, y))
    assert got == want
    assert want[:2] == ("error", "ValueError")


@spec("trainer.compile.must_compile")
def test_predict_needs_no_compile(impl, upstream):
    x, _ = ts.data(SINGLE, 4, 0)
    ours, theirs = ts.twins(impl, upstream, SINGLE)
    assert_close(ours.predict(x, verbose=0), theirs.predict(x, verbose=0), "training.fit")


def _names_after_one_batch(lib, model, compile_kwargs, net):
    x, y = ts.data(net, 6, 1)
    ts.run_compile(lib, model, compile_kwargs)
    before = list(model.metrics_names)
    logs = model.train_on_batch(x, y, return_dict=True)
    listed = model.test_on_batch(x, y)
    return (before, list(model.metrics_names), [type(m).__name__ for m in model.metrics],
            sorted(logs), list(np.atleast_1d(listed)), model.evaluate(x, y, verbose=0),
            model.evaluate(x, y, verbose=0, return_dict=True))


METRIC_CASES = [
    (TWO_HEADS, {"loss": {"out_a": "bce", "out_b": "sparse_categorical_crossentropy"},
                 "metrics": {"out_a": ["acc", ("Precision", {})], "out_b": "accuracy"}}),
    (TWO_HEADS, {"loss": ["ce", "crossentropy"], "metrics": [["accuracy"], ["acc", "acc"]],
                 "weighted_metrics": [["accuracy"], None]}),
    (TWO_HEADS, {"loss": {"out_a": "crossentropy", "out_b": "ce"},
                 "weighted_metrics": {"out_b": ["acc"]}, "metrics": {"out_b": ["acc"]},
                 "loss_weights": {"out_a": 0.3, "out_b": 2.0}}),
    (LIST_HEADS, {"loss": ["mse", "ce"], "metrics": [["mae"], ["accuracy"]],
                  "loss_weights": [2.0, 0.5]}),
    (LIST_HEADS, {"loss": {"out_a": "huber", "out_b": "categorical_crossentropy"},
                  "metrics": {"out_a": "mse", "out_b": ["acc"]},
                  "weighted_metrics": {"out_a": "mse"}, "loss_weights": {"out_a": 0.1,
                                                                          "out_b": 1.0}}),
    (SINGLE, {"loss": "mse", "metrics": ["mae", ("MeanSquaredError", {})],
              "weighted_metrics": ["mae"], "loss_weights": 0.5}),
    (SINGLE, {"loss": ("Huber", {}), "metrics": [("MeanAbsoluteError", {"name": "m"})]}),
    (ts.Net("sequential", 3, (), (ts.Head("out", 1, "binary"),), "single"),
     {"loss": "crossentropy", "metrics": ["acc", "accuracy", ("AUC", {})]}),
    (ts.Net("sequential", 3, (), (ts.Head("out", 3, "sparse"),), "single"),
     {"loss": "ce", "metrics": ["acc", ("SparseCategoricalAccuracy", {})]}),
]


@spec("trainer.compile.loss_forms", "trainer.compile.metric_forms",
      "trainer.compile.aliases", "trainer.compile.metric_names", "trainer.metrics.order",
      "trainer.evaluate.results", "trainer.on_batch.returns")
@pytest.mark.parametrize("net,compile_kwargs", METRIC_CASES)
def test_metric_names_and_values_follow_upstream(impl, upstream, net, compile_kwargs):
    got, want = _both(impl, upstream, net, lambda lib, m: _names_after_one_batch(
        lib, m, {"optimizer": ("SGD", {"learning_rate": 0.1}), **compile_kwargs}, net))
    assert got[0] == want[0] == "ok", (got, want)
    (g_before, g_names, g_types, g_keys, g_list, g_eval, g_dict) = got[1]
    (w_before, w_names, w_types, w_keys, w_list, w_eval, w_dict) = want[1]
    assert (g_before, g_names, g_types, g_keys) == (w_before, w_names, w_types, w_keys)
    assert type(g_eval) is type(w_eval) and list(g_dict) == list(w_dict)
    assert_close(np.asarray(g_list), np.asarray(w_list), "training.fit")
    assert_close(np.asarray(g_eval), np.asarray(w_eval), "training.fit")
    assert_close(np.asarray(list(g_dict.values())), np.asarray(list(w_dict.values())),
                 "training.fit")


BAD_COMPILES = [
    (TWO_HEADS, {"loss": "mse", "loss_weights": [1.0, 2.0, 3.0]},
     "`loss_weights` must match the number of losses"),
    (TWO_HEADS, {"loss": "crossentropy", "loss_weights": {"out_a": 0.3, "out_b": 2.0}},
     "`loss_weights` must match the number of losses"),
    (SINGLE, {"loss": "mse", "loss_weights": 2}, "Expected `loss_weights` argument to be"),
    (LIST_HEADS, {"loss": {"out_a": "mse"}}, "Expected keys"),
    (LIST_HEADS, {"loss": "mse", "metrics": [["mae"], ["ce"]]},
     "Could not interpret metric identifier: ce"),
    (TWO_HEADS, {"loss": "mse", "metrics": ["mae"]}, "Invalid `metrics`"),
    (TWO_HEADS, {"loss": "mse", "metrics": {"nope": ["mae"]}}, "Invalid `metrics`"),
    (SINGLE, {"loss": "mse", "metrics": "mae"}, "Expected `metrics` argument to be a list"),
    (SINGLE, {"loss": "mse", "weighted_metrics": "mae"},
     "Expected `weighted_metrics` argument to be a list"),
]


@spec("trainer.compile.errors", "trainer.compile.loss_weights")
@pytest.mark.parametrize("net,compile_kwargs,phrase", BAD_COMPILES)
def test_bad_compile_arguments_fail_like_upstream(impl, upstream, net, compile_kwargs, phrase):
    x, y = ts.data(net, 4, 0)

    def attempt(lib, model):
        ts.run_compile(lib, model, {"optimizer": "sgd", **compile_kwargs})
        model.train_on_batch(x, y)

    got, want = _both(impl, upstream, net, attempt)
    assert want[0] == "error" and phrase in want[2]
    assert got[:2] == want[:2]
    assert phrase in got[2]


@spec("trainer.compile.config")
@pytest.mark.parametrize("compile_kwargs", [
    {"optimizer": ("SGD", {"learning_rate": 0.1, "momentum": 0.9}), "loss": "mse"},
    {"optimizer": "adam", "loss": ("MeanSquaredError", {}), "metrics": [("MeanAbsoluteError", {})],
     "weighted_metrics": ["mse"], "loss_weights": 0.5, "steps_per_execution": 2},
    {"optimizer": "rmsprop", "loss": None, "run_eagerly": True, "jit_compile": False},
])
def test_compile_config_matches_and_round_trips(impl, upstream, compile_kwargs):
    def config(lib, model):
        ts.run_compile(lib, model, compile_kwargs)
        first = model.get_compile_config()
        again = ts.build(lib, SINGLE)
        again.compile_from_config(first)
        return first, again.get_compile_config(), type(again.optimizer).__name__, again.compiled

    got, want = _both(impl, upstream, SINGLE, config)
    assert got == want


@spec("trainer.compile.config")
def test_compile_config_of_an_uncompiled_model_is_empty(impl, upstream):
    got, want = _both(impl, upstream, SINGLE, lambda lib, m: m.get_compile_config())
    assert got == want == ("ok", {}, [])


@spec("trainer.compile.custom_compile_warning")
def test_compile_from_config_warns_for_a_custom_compile(impl, upstream):
    def custom(lib, _):
        class Custom(lib.Model):
            def compile(self, *args, **kwargs):
                super().compile(*args, **kwargs)

        inputs = lib.Input((3,))
        model = Custom(inputs, lib.layers.Dense(1)(inputs))
        model.compile_from_config({"optimizer": "sgd", "loss": "mse"})
        return model.compiled

    got, want = _both(impl, upstream, SINGLE, custom)
    assert got == want
    assert want[1] is False and len(want[2]) == 1


@spec("trainer.compile.jit_auto", "trainer.compile.run_eagerly")
@pytest.mark.parametrize("kwargs", [{}, {"run_eagerly": True}, {"jit_compile": True},
                                    {"jit_compile": False},
                                    {"run_eagerly": True, "jit_compile": True}])
def test_jit_compile_resolution(impl, upstream, kwargs):
    def settings(lib, model):
        model.compile("sgd", "mse", **kwargs)
        return bool(model.jit_compile), model.run_eagerly

    got, want = _both(impl, upstream, SINGLE, settings)
    assert got == want


@spec("trainer.compile.auto_scale_loss")
@pytest.mark.parametrize("auto_scale_loss", [True, False])
def test_mixed_precision_wraps_the_optimizer(impl, upstream, auto_scale_loss):
    def wrapped(lib, _):
        lib.config.set_dtype_policy("mixed_float16")
        try:
            model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(1)])
        finally:
            lib.config.set_dtype_policy("float32")
        model.compile(lib.optimizers.SGD(0.1), "mse", auto_scale_loss=auto_scale_loss)
        return type(model.optimizer).__name__, model.optimizer.name

    got, want = _both(impl, upstream, SINGLE, wrapped)
    assert got == want


@spec("trainer.compute_loss.no_loss")
def test_training_without_a_loss_follows_the_backend(impl, upstream):
    x, y = ts.data(SINGLE, 4, 0)

    def no_loss(lib, model):
        model.compile(lib.optimizers.SGD(0.1))
        logs = model.train_on_batch(x, y, return_dict=True)
        return logs, [np.asarray(w).tolist() for w in model.get_weights()]

    got, want = _both(impl, upstream, SINGLE, no_loss)
    assert got[:2] == want[:2]


@spec("trainer.should_eval")
@pytest.mark.parametrize("freq", [1, 2, 3, [1, 3], [], "2", (1, 2), 2.0])
def test_should_eval(impl, upstream, freq):
    got, want = _both(impl, upstream, SINGLE,
                      lambda lib, m: [m._should_eval(epoch, freq) for epoch in range(5)])
    assert got == want


@spec("trainer.metrics.result")
def test_metrics_result_before_and_after_build(impl, upstream):
    x, y = ts.data(TWO_HEADS, 4, 0)

    def results(lib, model):
        model.compile("sgd", "mse", metrics={"out_a": ["mae"]})
        names = list(model.metrics_names)
        try:
            model.get_metrics_result()
            early = "no error"
        except ValueError as e:
            early = str(e)
        model.test_on_batch(x, {"out_a": y["out_a"], "out_b": y["out_b"].astype("float32")})
        result = model.get_metrics_result()
        model.reset_metrics()
        return (names, early, sorted(result), {k: float(v) for k, v in result.items()},
                {k: float(v) for k, v in model.get_metrics_result().items()},
                model._flatten_metrics_in_order({"out_b_loss": 1, "zz": 2, "loss": 3,
                                                 "out_a_mae": 4, "aa": 5}))

    got, want = _both(impl, upstream, TWO_HEADS, results)
    assert got == want
