"""Progbar and ProgbarLogger text, with a pinned clock."""

from __future__ import annotations

import re
import time

import pytest

from refkeras.callbacks import CallbackList
from refkeras.utils.progbar import Progbar, format_step_time

ANSI = re.compile(r"\x1b\[\d+m")


@pytest.fixture
def clock(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(time, "time", lambda: now[0])
    return now


def plain(text: str) -> str:
    return ANSI.sub("", text).replace("\b", "")


def test_step_time_units():
    assert format_step_time(0, "step") == " 0s/step"
    assert format_step_time(2.4, "step") == " 2s/step"
    assert format_step_time(0.012, "step") == " 12ms/step"
    assert format_step_time(0.0000123, "sample") == " 12us/sample"


def test_verbose_one_redraws_and_finishes(clock, capsys):
    bar = Progbar(4, verbose=1)
    clock[0] += 0.1
    bar.update(1, [("loss", 1.0)])
    clock[0] += 0.2
    bar.update(2, [("loss", 0.5)])
    clock[0] += 0.2
    bar.update(4, [("loss", 0.25)])
    lines = plain(capsys.readouterr().out).split("\r")[1:]
    # Average of 1.0 (1 step) and 0.5 (1 step); ETA: 0.2 s/step * 2 steps left.
    assert lines[1] == "2/4 ━━━━━━━━━━━━━━━━━━━━ 0s 200ms/step - loss: 0.7500"
    # The final update shows its own value; the step time leaves out step 1:
    # (100.5 - 100.1) / 3 steps; 0.5 s elapsed rounds (half to even) to 0 s.
    assert lines[2] == "4/4 ━━━━━━━━━━━━━━━━━━━━ 0s 133ms/step - loss: 0.2500\n"


def test_verbose_two_prints_one_line(clock, capsys):
    bar = Progbar(10, verbose=2, stateful_metrics=["acc"])
    for step in range(1, 11):
        clock[0] += 0.5
        bar.update(step, [("acc", step / 10), ("tiny", 1e-5)])
    assert capsys.readouterr().out == "10/10 - 5s - 500ms/step - acc: 1.0000 - tiny: 1.0000e-05\n"


def test_redraws_are_throttled(clock, capsys):
    bar = Progbar(None, verbose=1, interval=1.0)
    bar.update(1)  # first draw: nothing drawn before
    bar.update(2)  # within the interval: skipped
    bar.update(3, finalize=True)
    out = plain(capsys.readouterr().out)
    assert out.count("/Unknown") == 2 and "      3/Unknown" in out


def test_only_one_metric_mode():
    with pytest.raises(ValueError, match="Only one of `stateful_metrics`"):
        Progbar(1, stateful_metrics=["a"], stateless_metrics=["b"])


def test_progbar_logger_in_fit(clock, capsys):
    hooks = CallbackList([], add_progbar=True, verbose=1, epochs=2, steps=2)
    hooks.on_train_begin()
    for epoch in range(2):
        hooks.on_epoch_begin(epoch)
        for batch in range(2):
            clock[0] += 0.01
            hooks.on_train_batch_end(batch, {"loss": 0.5})
        hooks.on_test_begin()
        hooks.on_test_batch_end(0, {"loss": 9.0})  # validation draws nothing
        hooks.on_test_end({"loss": 9.0})
        hooks.on_epoch_end(epoch, {"loss": 0.5, "val_loss": 9.0})
    hooks.on_train_end()
    out = plain(capsys.readouterr().out)
    assert out.startswith("Epoch 1/2\n") and "Epoch 2/2\n" in out
    assert out.count("loss: 0.5000 - val_loss: 9.0000\n") == 2 and "loss: 9.0000\r" not in out


def test_progbar_logger_unknown_steps_and_silent_modes(clock, capsys):
    hooks = CallbackList([], add_progbar=True, verbose=2, epochs=1, steps=None)
    hooks.on_predict_begin()
    for batch in range(3):
        hooks.on_predict_batch_end(batch, {"outputs": 1.0})
    hooks.on_predict_end()
    assert capsys.readouterr().out == "3/3 - 0s - 0s/step\n"
    assert hooks.callbacks[0].target == 3
    hooks = CallbackList([], add_progbar=True, verbose="auto", epochs=1, steps=1)
    assert hooks.callbacks[0].verbose == 1
