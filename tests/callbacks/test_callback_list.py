"""CallbackList: placement of History/ProgbarLogger, dispatch, logs conversion, cost."""

from __future__ import annotations

import time

import numpy as np
import pytest

from refkeras import ops
from refkeras.callbacks import Callback, CallbackList, History, ProgbarLogger
from refkeras.callbacks.callback import HOOKS, overrides
from refkeras.callbacks.logs import python_logs
from tests.callbacks.fakes import FakeModel


class Recorder(Callback):
    def __init__(self):
        super().__init__()
        self.calls: list = []

    def on_train_batch_end(self, batch, logs=None):
        self.calls.append(("train_batch_end", batch, logs))

    def on_epoch_end(self, epoch, logs=None):
        self.calls.append(("epoch_end", epoch, logs))


def test_defaults_are_appended_history_first():
    user = Recorder()
    hooks = CallbackList([user], add_history=True, add_progbar=True)
    assert [type(c) for c in hooks.callbacks] == [Recorder, History, ProgbarLogger]


def test_given_defaults_are_kept_in_place():
    progbar, history = ProgbarLogger(), History()
    hooks = CallbackList([progbar, history], add_history=True, add_progbar=True)
    assert hooks.callbacks == [progbar, history]


def test_nested_callbacks_are_flattened_into_a_new_list():
    a, b, c = Callback(), Callback(), Callback()
    given = [a, [b, (c,)]]
    hooks = CallbackList(given)
    assert hooks.callbacks == [a, b, c] and given == [a, [b, (c,)]]
    assert CallbackList(None).callbacks == [] and CallbackList(a).callbacks == [a]


def test_model_and_params_reach_every_callback():
    model = FakeModel()
    user = Recorder()
    hooks = CallbackList([user], add_history=True, model=model, verbose=0, epochs=2, steps=3)
    assert model.history is hooks.callbacks[1]
    assert user.model is model and user.params == {"verbose": 0, "epochs": 2, "steps": 3}
    assert CallbackList([Recorder()]).callbacks[0].params is None  # empty params not forwarded


def test_append_and_iteration():
    model, late = FakeModel(), Recorder()
    hooks = CallbackList([], model=model, epochs=1)
    hooks.append(late)
    assert list(hooks) == [late] and late.model is model and late.params == {"epochs": 1}
    hooks.on_train_batch_end(0, {"loss": 1})
    assert late.calls == [("train_batch_end", 0, {"loss": 1.0})]


def test_logs_become_sorted_python_floats_in_a_fresh_dict():
    rec = Recorder()
    hooks = CallbackList([rec])
    given = {"b": np.float32(0.5), "a": ops.convert_to_tensor(2.0), "s": "x", "n": {"m": 3}}
    hooks.on_train_batch_end(4, given)
    (_, batch, logs), = rec.calls
    assert batch == 4 and list(logs) == ["a", "b", "m", "s"]
    assert logs == {"a": 2.0, "b": 0.5, "m": 3.0, "s": "x"}
    assert all(type(logs[k]) is float for k in "abm") and logs is not given
    hooks.on_epoch_end(0, None)
    assert rec.calls[-1] == ("epoch_end", 0, {})


def test_python_logs_keeps_values_float_rejects():
    values = python_logs({"v": [1.0, 2.0], "arr": np.array([1.0, 2.0])})
    assert values["v"] == [1.0, 2.0] and isinstance(values["arr"], np.ndarray)


def test_on_batch_end_override_runs_for_training_batches_only():
    seen = []

    class Generic(Callback):
        def on_batch_end(self, batch, logs=None):
            seen.append(batch)

    hooks = CallbackList([Generic()])
    hooks.on_train_batch_end(1)
    hooks.on_test_batch_end(2)
    hooks.on_predict_batch_end(3)
    assert seen == [1]


def test_only_overriding_callbacks_are_dispatched():
    class Spy(Callback):
        def on_epoch_end(self, epoch, logs=None):
            pass

    spy = Spy()
    assert overrides(spy, "on_epoch_end") and not overrides(spy, "on_train_batch_end")
    assert all(overrides(object(), hook) for hook in HOOKS)  # duck-typed callbacks get all
    hooks = CallbackList([spy, History()])
    assert hooks._targets["on_train_batch_end"] == ()
    spy.on_train_batch_end = lambda batch, logs=None: None  # an instance attribute counts
    hooks.on_train_begin()
    assert len(hooks._targets["on_train_batch_end"]) == 1


def test_unconverted_logs_when_nobody_listens(monkeypatch):
    import refkeras.callbacks.callback_list as module

    monkeypatch.setattr(module, "python_logs", lambda logs: pytest.fail("converted"))
    CallbackList([History()]).on_train_batch_end(0, {"loss": np.float32(1.0)})


def test_unbalanced_end_raises():
    hooks = CallbackList([])
    hooks.on_test_begin()
    hooks.on_test_end()
    with pytest.raises(ValueError, match="called without corresponding"):
        hooks.on_predict_end()


def test_noop_batch_hook_is_cheap():
    hooks = CallbackList([], add_history=True, model=FakeModel())
    logs = {"loss": np.float32(1.0)}
    n = 20000
    start = time.perf_counter()
    for step in range(n):
        hooks.on_train_batch_begin(step)
        hooks.on_train_batch_end(step, logs)
    per_hook = (time.perf_counter() - start) / (2 * n)
    assert per_hook < 5e-6, f"{per_hook * 1e6:.2f} us per no-op batch hook"
