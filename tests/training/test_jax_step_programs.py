"""JAX step programs: which batches run scanned and which run as one unrolled program.

The user's ``steps_per_execution`` steps must run as upstream runs them (one
program tracing the steps one after another), so that XLA fuses them as it fuses
upstream's on every device. Only batches refkeras fuses beyond that are scanned,
and only small ones: large batches run unrolled, a few per program, in place.
"""

from __future__ import annotations

import numpy as np
import pytest

import refkeras as keras
from refkeras import backend

pytestmark = pytest.mark.skipif(backend.backend() != "jax", reason="JAX step programs")


def _step_function(steps_per_execution):
    from refkeras.backend.jax.trainer_steps import StepFunction

    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    model.compile("sgd", "mse", steps_per_execution=steps_per_execution, jit_compile=True)
    model.optimizer.build(model.trainable_variables)  # fit does this before its first step
    function = StepFunction(model, "train")
    used = []
    for attribute in ("_run", "_scan"):
        original = getattr(function, attribute)

        def spy(*args, _original=original, _name=attribute):
            used.append(_name)
            return _original(*args)

        setattr(function, attribute, spy)
    return function, used


def _batches(count, rows=4):
    rng = np.random.default_rng(0)
    return [(rng.standard_normal((rows, 3), dtype=np.float32),
             rng.standard_normal((rows, 2), dtype=np.float32)) for _ in range(count)]


def _assert_same_weights(first, second):
    first.sync()
    second.sync()
    for a, b in zip(first.model.get_weights(), second.model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("steps_per_execution,batches,expected", [
    (1, 1, "_run"),    # one step
    (2, 2, "_run"),    # exactly what the user asked for: upstream's unrolled program
    (4, 3, "_run"),    # a short last chunk of the user's steps
    (1, 4, "_scan"),   # refkeras's own fusion of unobserved steps
    (2, 8, "_scan"),
])
def test_program_choice(steps_per_execution, batches, expected):
    function, used = _step_function(steps_per_execution)
    function(_batches(batches))
    assert used == [expected]


def test_scanned_and_unrolled_programs_train_alike():
    scanned, _ = _step_function(1)
    unrolled, _ = _step_function(4)
    unrolled.model.set_weights(scanned.model.get_weights())
    data = _batches(4)
    scanned(data)
    unrolled(data)
    _assert_same_weights(scanned, unrolled)


def test_large_batches_run_unrolled_in_groups(monkeypatch):
    from refkeras.backend.jax import trainer_steps

    # 4 rows x 5 float32 = 80 bytes a batch: a stack of 8 exceeds 512 bytes, and
    # 200 bytes of unrolled input per program make groups of 2.
    monkeypatch.setattr(trainer_steps, "SCAN_BYTES", 512)
    monkeypatch.setattr(trainer_steps, "UNROLLED_BYTES", 200)
    function, used = _step_function(1)
    reference, _ = _step_function(8)
    reference.model.set_weights(function.model.get_weights())
    data = _batches(8)
    logs = function(data)
    assert used == ["_run"] * 4
    expected = reference(data)
    np.testing.assert_allclose(np.asarray(logs["loss"]), np.asarray(expected["loss"]),
                               rtol=1e-6)
    _assert_same_weights(function, reference)


def test_a_group_never_splits_the_users_steps_per_execution(monkeypatch):
    from refkeras.backend.jax import trainer_steps

    monkeypatch.setattr(trainer_steps, "SCAN_BYTES", 1)
    monkeypatch.setattr(trainer_steps, "UNROLLED_BYTES", 1)
    function, used = _step_function(2)
    function(_batches(6))
    assert used == ["_run"] * 3


def test_at_most_two_programs_in_flight(monkeypatch):
    from refkeras.backend.jax import trainer_steps

    function, _ = _step_function(1)
    awaited = []
    monkeypatch.setattr(trainer_steps.jax, "block_until_ready",
                        lambda tree: awaited.append(tree) or tree)
    first = function(_batches(1))
    assert awaited == []  # nothing earlier to wait for
    function(_batches(1))
    assert awaited == [first]  # the previous program, once the next one is queued
    function.sync()
    function(_batches(1))
    assert len(awaited) == 1  # sync starts afresh


def test_a_first_fit_compiles_its_step_program_and_nothing_eager(jax_compiles):
    # Every eager program (a fill per variable shape, each primitive of a metric's
    # result) is a compilation of its own: ~20 ms and ~2 MiB of host memory kept on
    # CPU. A first fit compiles the train program and the metrics' division only.
    inputs = keras.Input((23,))
    model = keras.Model(inputs, keras.layers.Dense(7)(keras.layers.Dense(19)(inputs)))
    model.compile(keras.optimizers.Adam(), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    rng = np.random.default_rng(1)
    x = rng.random((96, 23), dtype=np.float32)
    y = rng.integers(0, 7, 96)
    with jax_compiles() as log:
        model.fit(x, y, batch_size=16, epochs=2, verbose=0)
    assert set(log.names) <= {"jit(many)", "jit(scanned)", "jit(_divide_no_nan)"}, log.names
    assert log.names.count("jit(_divide_no_nan)") <= 1
