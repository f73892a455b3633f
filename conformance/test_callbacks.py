"""Differential tests of ``callbacks``: the same hook calls, with the same logs, on both sides.

Each test drives ``impl.callbacks`` and ``upstream.callbacks`` by hand against a fake model
(weights, optimizer, save/load), then compares what came out: histories, stop epochs, restored
weights, learning rates, files written, printed text (with the clock pinned) and warnings.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import refkeras.callbacks  # noqa: F401  (not yet exported by refkeras/__init__)
import refkeras.utils.progbar

spec = pytest.mark.spec

NAMES = ["BackupAndRestore", "CSVLogger", "Callback", "CallbackList", "EarlyStopping",
         "History", "LambdaCallback", "LearningRateScheduler", "ModelCheckpoint",
         "ProgbarLogger", "ReduceLROnPlateau", "TerminateOnNaN"]


class FakeOptimizer:
    """Holds its rate as float32, like a real optimizer's variable."""

    def __init__(self, rate: float = 0.1, name: str = "sgd"):
        self._rate = np.float32(rate)
        self.name = name
        self.built = True

    @property
    def learning_rate(self) -> Any:
        return self._rate

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        self._rate = np.float32(value)


class FakeModel:
    """What callbacks touch on a model; writes small text files for save/save_weights."""

    def __init__(self, rate: float = 0.1):
        self.stop_training = False
        self.optimizer = FakeOptimizer(rate)
        self.weights = [np.zeros(2, "float32")]
        self.restored: list = []
        self.saved: list = []
        self.loaded: list = []
        self.built = True
        self.metrics: list = []
        self.trainable_variables: list = []
        self._initial_epoch = None

    def get_weights(self) -> list:
        return [w.copy() for w in self.weights]

    def set_weights(self, weights: list) -> None:
        self.restored.append([w.tolist() for w in weights])

    def save(self, filepath: str, overwrite: bool = True) -> None:
        self.saved.append(("save", filepath, overwrite))
        with open(filepath, "w") as f:
            f.write("model")

    def save_weights(self, filepath: str, overwrite: bool = True) -> None:
        self.saved.append(("save_weights", filepath, overwrite))
        with open(filepath, "w") as f:
            f.write(f"weights {self.weights[0].tolist()}")

    def load_weights(self, filepath: str) -> None:
        with open(filepath) as f:
            self.loaded.append(f.read())


class Clock:
    """A pinned ``time.time``: advances only when a test says so."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@contextlib.contextmanager
def observed(monkeypatch: Any, clock: Clock | None = None):
    """Captures stdout and warnings (and pins the clock) inside the block."""
    out = io.StringIO()
    seen: list = []
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", clock or Clock())
        with contextlib.redirect_stdout(out), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield seen
        seen.append(out.getvalue())
        seen.append([(w.category.__name__, str(w.message)) for w in caught
                     if "callbacks" in w.filename or "keras" in w.filename])


def fit(keras: Any, callbacks: list, model: FakeModel, epoch_logs: list[dict],
        batch_losses: list | None = None, clock: Clock | None = None, **params: Any) -> Any:
    """Runs the hooks ``fit`` would run; returns the CallbackList."""
    steps = len(batch_losses or [0.5, 0.25])
    params = {"verbose": 0, "epochs": len(epoch_logs), "steps": steps, **params}
    hooks = keras.callbacks.CallbackList(callbacks, add_history=True,
                                         add_progbar=params["verbose"] != 0, model=model,
                                         **params)
    hooks.on_train_begin()
    for epoch, logs in enumerate(epoch_logs):
        model.weights = [np.full(2, epoch, "float32")]  # weights mark the epoch they come from
        hooks.on_epoch_begin(epoch)
        for batch, loss in enumerate(batch_losses or [0.5, 0.25]):
            hooks.on_train_batch_begin(batch)
            if clock is not None:
                clock.now += 0.02 * (batch + 1)
            hooks.on_train_batch_end(batch, {"loss": np.float32(loss)})
            if model.stop_training:
                break
        hooks.on_epoch_end(epoch, dict(logs))
        if model.stop_training:
            break
    hooks.on_train_end()
    return hooks


def both(impl: Any, upstream: Any, monkeypatch: Any, run: Any) -> tuple:
    """``run(keras)`` on each side, with its printed text and warnings.

    An exception counts as an outcome (its class name), so that shared failures compare too.
    """
    results = []
    for keras in (impl, upstream):
        with observed(monkeypatch) as seen:
            try:
                value = run(keras)
            except Exception as error:  # noqa: BLE001
                value = type(error).__name__
        results.append((value, *seen))
    return tuple(results)


def synchronous(keras: Any) -> Any:
    """A callback that overrides the batch-end hooks, which keeps upstream from running them
    on a worker thread (that would race with the pinned clock)."""
    hooks = ("on_train_batch_end", "on_test_batch_end", "on_predict_batch_end")
    return type("Sync", (keras.callbacks.Callback,),
                {h: lambda self, batch, logs=None: None for h in hooks})()


@spec("callbacks.exports.names")
def test_exports_the_same_unregistered_names(impl, upstream):
    for name in NAMES:
        ours, theirs = getattr(impl.callbacks, name), getattr(upstream.callbacks, name)
        assert ours.__name__ == theirs.__name__ == name
        assert impl.saving.get_registered_object(f"keras>{name}") is None
        assert upstream.saving.get_registered_object(f"keras>{name}") is None
        assert issubclass(ours, impl.callbacks.Callback)


class Recorder:
    """Builds, for either side, a callback that records every hook call it receives."""

    @staticmethod
    def make(keras: Any, calls: list, tag: str, only: tuple | None = None) -> Any:
        def record(hook: str):
            def method(self, *args, **kwargs):
                logs = kwargs.get("logs", args[-1] if args else None)
                values = None if logs is None else [
                    (k, type(v).__name__, v if isinstance(v, (float, str, int)) else repr(v))
                    for k, v in logs.items()]
                calls.append((tag, hook, args[:-1] if "logs" not in kwargs else args,
                              sorted(kwargs), values))
                if isinstance(logs, dict):
                    logs[f"seen_by_{tag}"] = 1.0
            return method

        hooks = only or tuple(n for n in dir(keras.callbacks.Callback) if n.startswith("on_"))
        return type("Rec", (keras.callbacks.Callback,), {h: record(h) for h in hooks})()


LOGS = [None, {}, {"b": np.float32(0.5), "a": 3, "s": "text", "v": [1.0, 2.0]},
        {"outer": {"z": np.float64(1.5), "y": 2}, "arr": np.array([0.25], "float32")}]


def drive_all_hooks(keras: Any, hooks: Any, tensor: Any) -> None:
    for logs in LOGS + [{"t": tensor}]:
        hooks.on_train_begin(logs)
        hooks.on_epoch_begin(1, logs)
        for kind in ("train", "test", "predict"):
            getattr(hooks, f"on_{kind}_batch_begin")(2, logs)
            getattr(hooks, f"on_{kind}_batch_end")(3, logs)
        hooks.on_batch_begin(4, logs)
        hooks.on_batch_end(5, logs)
        hooks.on_epoch_end(1, logs)
        hooks.on_test_begin(logs)
        hooks.on_test_end(logs)
        hooks.on_predict_begin(logs)
        hooks.on_predict_end(logs)
        hooks.on_train_end(logs)


@spec("callbacks.list.logs", "callbacks.list.calls", "callbacks.callback.base",
      "callbacks.list.dispatch")
def test_every_hook_reaches_callbacks_with_the_same_logs(impl, upstream):
    outcomes = []
    for keras in (impl, upstream):
        calls: list = []
        callbacks = [Recorder.make(keras, calls, "all"),
                     Recorder.make(keras, calls, "batch_only", ("on_batch_begin", "on_batch_end")),
                     keras.callbacks.Callback()]
        hooks = keras.callbacks.CallbackList(callbacks)
        drive_all_hooks(keras, hooks, keras.ops.convert_to_tensor(np.float32(0.75)))
        outcomes.append(calls)
    assert outcomes[0] == outcomes[1]


@spec("callbacks.list.unbalanced_end")
@pytest.mark.parametrize("hook", ["on_train_end", "on_test_end", "on_predict_end"])
def test_unbalanced_end_raises(impl, upstream, hook):
    for keras in (impl, upstream):
        calls: list = []
        hooks = keras.callbacks.CallbackList([Recorder.make(keras, calls, "r")])
        with pytest.raises(ValueError, match="called without corresponding"):
            getattr(hooks, hook)()
        assert [c[1] for c in calls] == [hook]


@spec("callbacks.list.order", "callbacks.list.model_params")
@pytest.mark.parametrize("given_kinds", [[], ["Callback"], ["History", "Callback"],
                                         ["ProgbarLogger"], ["ProgbarLogger", "History"]])
@pytest.mark.parametrize("add_history", [False, True])
@pytest.mark.parametrize("add_progbar", [False, True])
@pytest.mark.parametrize("params", [{}, {"verbose": 1, "epochs": 2, "steps": 3}])
def test_default_callbacks_are_placed_like_upstream(impl, upstream, given_kinds, add_history,
                                                    add_progbar, params):
    def build(keras):
        # (Nested lists are left out: upstream's JAX async set-up cannot take them.)
        given = [getattr(keras.callbacks, kind)() for kind in given_kinds]
        before = list(given)
        model = FakeModel()
        hooks = keras.callbacks.CallbackList(given, add_history=add_history,
                                             add_progbar=add_progbar, model=model, **params)
        assert given == before  # the caller's list is left alone
        history = getattr(model, "history", None)
        return ([type(c).__name__ for c in hooks.callbacks],
                [c.model is model for c in hooks.callbacks],
                [c.params is hooks.params if params else c.params for c in hooks.callbacks],
                None if history is None else hooks.callbacks.index(history))

    assert build(impl) == build(upstream)


@spec("callbacks.history.record")
def test_history_records_epochs_across_fits(impl, upstream):
    def run(keras):
        history, model = keras.callbacks.History(), FakeModel()
        fit(keras, [history], model, [{"loss": 1.0, "acc": 0.5}, {"loss": 0.5, "acc": 0.75}])
        first = (list(history.epoch), {k: list(v) for k, v in history.history.items()})
        fit(keras, [history], model, [{"val_loss": 2.0, "loss": 0.25}])
        return first, history.epoch, history.history, model.history is history

    assert run(impl) == run(upstream)


def progbar_text(keras: Any, monkeypatch: Any, verbose: Any, target: Any, kwargs: dict) -> str:
    bar_class = getattr(keras.utils, "Progbar", None) or refkeras.utils.progbar.Progbar
    clock = Clock()
    with observed(monkeypatch, clock) as seen:
        bar = bar_class(target, verbose=verbose, **kwargs)
        for step, gap in zip(range(1, 8), [0.01, 0.03, 0.2, 0.02, 1.5, 70.0, 4000.0]):
            clock.now += gap
            bar.update(step, [("loss", 1.0 / step), ("tiny", -1e-4 * step)])
        bar.add(1, [("loss", 0.25)])
        clock.now += 3.0
        bar.update(8, [("loss", 0.5)], finalize=True)
    return seen[0]


@spec("callbacks.progbar.text")
@pytest.mark.parametrize("verbose", [0, 1, 2])
@pytest.mark.parametrize("target", [None, 0, 8, 12, 3000])
@pytest.mark.parametrize("kwargs", [{}, {"stateful_metrics": ["tiny"]},
                                    {"stateless_metrics": ["loss"]}, {"interval": 0.0}])
def test_progbar_text_is_byte_identical(impl, upstream, monkeypatch, verbose, target, kwargs):
    ours = progbar_text(impl, monkeypatch, verbose, target, kwargs)
    assert ours == progbar_text(upstream, monkeypatch, verbose, target, kwargs)


@spec("callbacks.progbar_logger.output")
@pytest.mark.parametrize("verbose", [1, 2, "auto"])
@pytest.mark.parametrize("epochs", [1, 3])
@pytest.mark.parametrize("steps", [None, 4])
def test_progbar_logger_prints_like_upstream(impl, upstream, monkeypatch, verbose, epochs, steps):
    def run(keras):
        clock = Clock()
        with observed(monkeypatch, clock) as seen:
            hooks = fit(keras, [synchronous(keras)], FakeModel(), [{"loss": 0.5 / (e + 1), "val_loss": 1e-4}
                                                 for e in range(epochs)],
                        batch_losses=[1.0, 0.5, 0.25, 0.125], clock=clock, verbose=verbose)
            # Evaluate then predict with a fresh list, as the trainer would.
            test = keras.callbacks.CallbackList([synchronous(keras)], add_progbar=True, model=FakeModel(),
                                                verbose=verbose, epochs=1, steps=steps)
            for kind in ("test", "predict"):
                getattr(test, f"on_{kind}_begin")()
                for batch in range(3):
                    clock.now += 0.3
                    getattr(test, f"on_{kind}_batch_end")(batch, {"loss": 0.1, "outputs": 1})
                getattr(test, f"on_{kind}_end")({"loss": 0.1})
        return seen[0], type(hooks.callbacks[-1]).__name__

    assert run(impl) == run(upstream)


ES_ARGS = st.fixed_dictionaries({}, optional={
    "min_delta": st.sampled_from([0.0, 0.05, -0.05]),
    "patience": st.integers(0, 3),
    "mode": st.sampled_from(["auto", "min", "max"]),
    "baseline": st.sampled_from([None, 0.5, 2.0]),
    "restore_best_weights": st.booleans(),
    "start_from_epoch": st.integers(0, 2),
    "verbose": st.sampled_from([0, 1]),
})
VALUES = st.lists(st.sampled_from([0.1, 0.4, 0.5, 0.52, 0.9, 1.0, 3.0]), min_size=1,
                  max_size=8)


@spec("callbacks.early_stopping.stop", "callbacks.early_stopping.restore",
      "callbacks.monitor.mode")
@given(ES_ARGS, VALUES, st.booleans())
def test_early_stopping_stops_and_restores_like_upstream(impl, upstream, kwargs, values,
                                                         missing):
    def run(keras):
        stopper = keras.callbacks.EarlyStopping(monitor="val_loss", **kwargs)
        model = FakeModel()
        logs = [{"loss": 1.0} if missing and i == 1 else {"loss": 1.0, "val_loss": v}
                for i, v in enumerate(values)]
        out = io.StringIO()
        with contextlib.redirect_stdout(out), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            hooks = fit(keras, [stopper], model, logs)
            fit(keras, [stopper], model, logs[:2])  # a second fit starts afresh
        return (hooks.callbacks[-1].epoch, stopper.stopped_epoch, stopper.best, stopper.wait,
                model.restored, out.getvalue(), [str(w.message) for w in caught])

    assert run(impl) == run(upstream)


@spec("callbacks.monitor.mode")
def test_monitor_mode_warnings_and_errors(impl, upstream):
    for keras in (impl, upstream):
        with pytest.warns(UserWarning, match="mode 'sideways' is unknown, fallback to auto"):
            stopper = keras.callbacks.EarlyStopping(monitor="acc", mode="sideways")
        stopper.set_model(FakeModel())
        with pytest.raises(ValueError, match="isn't able to automatically determine"):
            stopper.on_epoch_end(0, {"acc": 1.0})
        assert keras.callbacks.ReduceLROnPlateau(min_delta=-0.25).min_delta == 0.25


RLR_ARGS = st.fixed_dictionaries({}, optional={
    "factor": st.sampled_from([0.1, 0.5, 0.0]),
    "patience": st.integers(0, 3),
    "mode": st.sampled_from(["auto", "min", "max"]),
    "min_delta": st.sampled_from([0.0, 1e-4, 0.05]),
    "cooldown": st.integers(0, 2),
    "min_lr": st.sampled_from([0.0, 0.001, 0.05]),
    "verbose": st.sampled_from([0, 1]),
})


@spec("callbacks.reduce_lr.schedule")
@given(RLR_ARGS, VALUES, st.booleans())
def test_reduce_lr_on_plateau_follows_upstream(impl, upstream, kwargs, values, missing):
    def run(keras):
        reducer = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", **kwargs)
        model = FakeModel(rate=0.1)
        rates = []
        logs = [{} if missing and i == 1 else {"loss": 1.0, "val_loss": v}
                for i, v in enumerate(values)]
        out = io.StringIO()
        with contextlib.redirect_stdout(out), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            hooks = keras.callbacks.CallbackList([reducer], add_history=True, model=model)
            hooks.on_train_begin()
            for epoch, epoch_logs in enumerate(logs):
                hooks.on_epoch_end(epoch, epoch_logs)
                rates.append(float(model.optimizer.learning_rate))
        return (rates, hooks.callbacks[-1].history, reducer.wait, reducer.cooldown_counter,
                out.getvalue(), [str(w.message) for w in caught])

    assert run(impl) == run(upstream)


@spec("callbacks.reduce_lr.errors")
def test_reduce_lr_rejects_a_factor_of_one(impl, upstream):
    for keras in (impl, upstream):
        with pytest.raises(ValueError, match="does not support a factor >= 1.0"):
            keras.callbacks.ReduceLROnPlateau(factor=1.0)


SCHEDULES = {
    "two_args": lambda epoch, lr: lr * 0.5 if epoch else lr,
    "one_arg": lambda epoch: 0.01 * (epoch + 1),
    "float32": lambda epoch, lr: np.float32(lr / 3),
}


@spec("callbacks.lr_scheduler.rate")
@pytest.mark.parametrize("name", sorted(SCHEDULES))
@pytest.mark.parametrize("verbose", [0, 1])
def test_learning_rate_scheduler_sets_rates(impl, upstream, monkeypatch, name, verbose):
    def run(keras):
        model = FakeModel(rate=0.2)
        rates: list = []
        spy = keras.callbacks.LambdaCallback(
            on_epoch_begin=lambda epoch, logs: rates.append(float(model.optimizer.learning_rate)))
        scheduler = keras.callbacks.LearningRateScheduler(SCHEDULES[name], verbose=verbose)
        hooks = fit(keras, [scheduler, spy], model, [{"loss": 1.0}, {"loss": 0.5}, {}])
        return rates, hooks.callbacks[-1].history

    (ours, *ours_seen), (theirs, *theirs_seen) = both(impl, upstream, monkeypatch, run)
    assert ours == theirs and ours_seen == theirs_seen


@spec("callbacks.lr_scheduler.errors")
def test_learning_rate_scheduler_errors(impl, upstream):
    for keras in (impl, upstream):
        scheduler = keras.callbacks.LearningRateScheduler(lambda epoch, lr: 1)
        scheduler.set_model(FakeModel())
        with pytest.raises(ValueError, match="should be a float"):
            scheduler.on_epoch_begin(0)
        model = FakeModel()
        model.optimizer = object()
        scheduler.set_model(model)
        with pytest.raises(ValueError, match="learning_rate"):
            scheduler.on_epoch_begin(0)


@spec("callbacks.csv_logger.text")
@pytest.mark.parametrize("separator", [",", ";"])
@pytest.mark.parametrize("val", [False, True])
def test_csv_logger_writes_the_same_text(impl, upstream, tmp_path, separator, val):
    def run(keras, name):
        path = tmp_path / name
        epochs = [{"loss": 0.5, "acc": np.array([1.0, 2.0]), "note": "a,b"}, {"loss": 0.25}]
        if val:
            epochs[0]["val_loss"] = 1.5
        for append in (False, True, True):
            logger = keras.callbacks.CSVLogger(path, separator=separator, append=append)
            fit(keras, [logger], FakeModel(), epochs)
        return path.read_bytes()

    assert run(impl, "ours.csv") == run(upstream, "theirs.csv")


@spec("callbacks.model_checkpoint.saves")
@pytest.mark.parametrize("pattern", ["m.keras", "d/{epoch:02d}-{loss:.2f}.keras",
                                     "w{epoch}_{batch}.weights.h5", "m.h5"])
@pytest.mark.parametrize("save_freq", ["epoch", 1, 3])
@pytest.mark.parametrize("best", [False, True])
def test_model_checkpoint_saves_the_same_files(impl, upstream, monkeypatch, tmp_path, pattern,
                                               save_freq, best):
    if "{batch}" in pattern and save_freq == "epoch":
        pytest.skip("epoch saves have no batch to format")

    def run(keras):
        # Relative paths inside a fresh directory per side, so printed paths agree too.
        os.chdir(tempfile.mkdtemp(dir=tmp_path))
        model = FakeModel()
        checkpoint = keras.callbacks.ModelCheckpoint(
            pattern, monitor="loss", verbose=1, save_best_only=best,
            save_weights_only=pattern.endswith(".weights.h5"), save_freq=save_freq,
            initial_value_threshold=0.9 if best else None)
        fit(keras, [checkpoint], model, [{"loss": 0.5}, {"loss": 0.75}, {"loss": 0.25}],
            batch_losses=[1.0, 0.4, 0.3, 0.5])
        return model.saved, sorted(os.listdir(".")), checkpoint.best

    monkeypatch.chdir(tmp_path)
    (ours, out, warned), (theirs, out_up, warned_up) = both(impl, upstream, monkeypatch, run)
    assert ours == theirs and out == out_up and warned == warned_up


@spec("callbacks.model_checkpoint.errors")
def test_model_checkpoint_errors(impl, upstream, tmp_path):
    for keras in (impl, upstream):
        make = keras.callbacks.ModelCheckpoint
        with pytest.raises(ValueError, match="Unrecognized save_freq"):
            make("m.keras", save_freq="often")
        with pytest.raises(ValueError, match="must end in `.weights.h5`"):
            make("m.keras", save_weights_only=True)
        with pytest.raises(ValueError, match="must end in `.keras`"):
            make("m.weights")
        checkpoint = make(str(tmp_path / "{missing}.keras"))
        checkpoint.set_model(FakeModel())
        with pytest.raises(KeyError, match="Failed to format this callback filepath"):
            checkpoint.on_epoch_end(0, {"loss": 1.0})


@spec("callbacks.backup_and_restore.files", "callbacks.backup_and_restore.resume")
@pytest.mark.parametrize("save_freq", ["epoch", 1, 3])
@pytest.mark.parametrize("double", [False, True])
def test_backup_and_restore_writes_and_resumes(impl, upstream, tmp_path, save_freq, double):
    def run(keras):
        backup = Path(tempfile.mkdtemp(dir=tmp_path)) / "backup"
        model = FakeModel()

        class Interrupt(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                if epoch == 1:
                    raise RuntimeError("interrupted")

        callback = keras.callbacks.BackupAndRestore(str(backup), save_freq=save_freq,
                                                    double_checkpoint=double)
        with pytest.raises(RuntimeError, match="interrupted"):
            fit(keras, [callback, Interrupt()], model, [{"loss": 1.0}] * 3,
                batch_losses=[1.0, 0.5, 0.25, 0.125])
        files = {name: (backup / name).read_text() for name in sorted(os.listdir(backup))}
        resumed = FakeModel()
        again = keras.callbacks.BackupAndRestore(str(backup), save_freq=save_freq)
        keras.callbacks.CallbackList([again], model=resumed).on_train_begin()
        again.on_train_end()
        return files, resumed._initial_epoch, resumed.loaded, backup.exists()

    ours, theirs = run(impl), run(upstream)
    assert ours == theirs
    assert json.loads(ours[0]["training_metadata.json"])["epoch"] == ours[1]


@spec("callbacks.backup_and_restore.errors")
def test_backup_and_restore_errors(impl, upstream, tmp_path):
    for keras in (impl, upstream):
        with pytest.raises(ValueError, match="Empty `backup_dir`"):
            keras.callbacks.BackupAndRestore("")
        with pytest.raises(ValueError, match="Invalid value for argument `save_freq`"):
            keras.callbacks.BackupAndRestore(str(tmp_path), save_freq="often")
        callback = keras.callbacks.BackupAndRestore(str(tmp_path))
        model = FakeModel()
        model.built = False
        callback.set_model(model)
        with pytest.raises(ValueError, match="must be built"):
            callback.on_train_begin()


@spec("callbacks.terminate_on_nan.stop")
@pytest.mark.parametrize("bad", [float("nan"), float("inf"), None])
def test_terminate_on_nan(impl, upstream, monkeypatch, bad):
    def run(keras):
        model = FakeModel()
        losses = [0.5, 0.4] if bad is None else [0.5, bad, 0.3]
        hooks = fit(keras, [keras.callbacks.TerminateOnNaN()], model, [{}, {}],
                    batch_losses=losses)
        raising = keras.callbacks.CallbackList([keras.callbacks.TerminateOnNaN(True)])
        try:
            raising.on_train_batch_end(7, {"loss": bad})
            error = None
        except RuntimeError as e:
            error = str(e)
        return hooks.callbacks[-1].epoch, model.stop_training, error

    ours, theirs = both(impl, upstream, monkeypatch, run)
    assert ours == theirs


@spec("callbacks.lambda.hooks")
def test_lambda_callback_calls_its_functions(impl, upstream):
    def run(keras):
        calls: list = []

        def note(name):
            return lambda *args, **kwargs: calls.append((name, args, sorted(kwargs)))

        named = ["on_epoch_begin", "on_epoch_end", "on_train_begin", "on_train_end",
                 "on_train_batch_begin", "on_train_batch_end", "on_test_begin",
                 "on_predict_batch_end"]
        callback = keras.callbacks.LambdaCallback(**{n: note(n) for n in named}, extra=3)
        hooks = keras.callbacks.CallbackList([callback])
        drive_all_hooks(keras, hooks, 0.5)
        return calls, callback.extra

    assert run(impl) == run(upstream)
