"""Callback hooks during fit/evaluate/predict, and bad-data errors, against upstream."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from conformance import training_support as ts

spec = pytest.mark.spec

NET = ts.Net("functional", 3, (4,), (ts.Head("out_a", 1, "mse"), ts.Head("out_b", 2, "mse")),
             "dict")
SINGLE = ts.Net("sequential", 3, (), (ts.Head("out", 1, "mse"),), "single")


def recorder(lib):
    """A Callback subclass of ``lib`` that records (hook, index, sorted log keys)."""

    class Recorder(lib.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.calls = []

    def hook(name):
        indexed = "epoch" in name or "batch" in name

        def record(self, *args, **kwargs):
            index = args[0] if indexed else None
            rest = args[1:] if indexed else args
            logs = kwargs["logs"] if "logs" in kwargs else (rest[0] if rest else None)
            self.calls.append((name, index, sorted(logs) if isinstance(logs, dict) else logs))
        return record

    for name in ("on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end",
                 "on_train_batch_begin", "on_train_batch_end", "on_test_begin", "on_test_end",
                 "on_test_batch_begin", "on_test_batch_end", "on_predict_begin",
                 "on_predict_end", "on_predict_batch_begin", "on_predict_batch_end"):
        setattr(Recorder, name, hook(name))
    return Recorder()


def _hook_calls(lib, model, steps_per_execution, fit_kwargs):
    x, y = ts.data(NET, 11, 0)
    model.compile(lib.optimizers.SGD(0.1), "mse", metrics={"out_a": ["mae"]},
                  steps_per_execution=steps_per_execution)
    callback = recorder(lib)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(x, y, batch_size=4, epochs=2, verbose=0, shuffle=False, callbacks=[callback],
                  **fit_kwargs)
        model.evaluate(x, y, batch_size=4, verbose=0, callbacks=[callback])
        model.predict(x, batch_size=4, verbose=0, callbacks=[callback])
    return callback.calls


@spec("trainer.hooks.sequence", "trainer.fit.validation_freq")
@pytest.mark.parametrize("steps_per_execution", [1, 2])
@pytest.mark.parametrize("fit_kwargs", [{"validation_split": 0.3},
                                        {"validation_split": 0.3, "validation_freq": 2},
                                        {"initial_epoch": 1, "steps_per_epoch": 2}])
def test_hook_sequence_matches_upstream(impl, upstream, steps_per_execution, fit_kwargs):
    ours, theirs = ts.twins(impl, upstream, NET)
    got = _hook_calls(impl, ours, steps_per_execution, fit_kwargs)
    want = _hook_calls(upstream, theirs, steps_per_execution, fit_kwargs)
    assert got == want


def _failure(lib, model, call):
    model.compile(lib.optimizers.SGD(0.1), "mse")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            call(model)
    except Exception as e:  # noqa: BLE001 - the exception is what is compared
        return type(e).__name__, str(e)
    return None


X, Y = ts.data(NET, 8, 0)
BAD_DATA = [
    (lambda m: m.fit(X, {"out_a": Y["out_a"][:5], "out_b": Y["out_b"]}, verbose=0),
     "Data cardinality is ambiguous"),
    (lambda m: m.fit(X[:5], Y, verbose=0), "Data cardinality is ambiguous"),
    (lambda m: m.fit(X, Y, sample_weight=np.ones(5), verbose=0), "Data cardinality is ambiguous"),
    (lambda m: m.evaluate(X, Y, sample_weight=np.ones(3), verbose=0),
     "Data cardinality is ambiguous"),
    (lambda m: m.fit(X, Y, sample_weight=np.ones(8), class_weight={0: 1.0}, verbose=0),
     "You cannot `class_weight` and `sample_weight` at the same time."),
    (lambda m: m.train_on_batch(X, Y, sample_weight=np.ones(8), class_weight={0: 1.0}),
     "Arguments `sample_weight` and `class_weight` cannot be specified at the same time."),
    (lambda m: m.fit(X, Y, class_weight={0: 1.0}, verbose=0),
     "`class_weight` is only supported for Models with a single output."),
    (lambda m: m.fit(X, {"out_a": Y["out_a"]}, verbose=0), "The path: ('out_a',)"),
    (lambda m: m.fit(X, [Y["out_a"], Y["out_b"], Y["out_b"]], verbose=0),
     "y_true and y_pred have different structures."),
    (lambda m: m.fit(X, Y, validation_data=(X, Y, None, None), verbose=0),
     "Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`"),
    (lambda m: m.fit(np.ones((8, 4), "float32"), Y, verbose=0), "is incompatible with the layer"),
    (lambda m: m.fit("abc", Y, verbose=0), "Unrecognized data type: x=abc"),
    (lambda m: m.fit(X, Y, validation_freq="x", validation_split=0.25, verbose=0),
     "Expected `validation_freq` to be a list or int."),
    (lambda m: m.evaluate(X, Y, foo=1, verbose=0), "Arguments not recognized: {'foo': 1}"),
]


@spec("trainer.data.errors")
@pytest.mark.parametrize("call,phrase", BAD_DATA)
def test_bad_data_fails_like_upstream(impl, upstream, call, phrase):
    ours, theirs = ts.twins(impl, upstream, NET)
    got, want = _failure(impl, ours, call), _failure(upstream, theirs, call)
    assert want is not None and phrase in want[1]
    assert got is not None and got[0] == want[0] and phrase in got[1], got
