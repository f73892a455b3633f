"""Each optimizer's update rule, checked against the formulas worked out in NumPy."""

from __future__ import annotations

import numpy as np
import pytest

from refkeras import optimizers
from tests.optimizers.helpers import step, values, variable

G = np.array([0.5, -2.0, 0.0], dtype="float32")
W0 = np.array([1.0, 2.0, -3.0], dtype="float32")


def test_sgd_plain_step():
    w = variable(W0)
    step(optimizers.SGD(learning_rate=0.1), [(G, w)])
    np.testing.assert_allclose(values(w), W0 - 0.1 * G, rtol=1e-6)


@pytest.mark.parametrize("nesterov", [False, True])
def test_sgd_momentum_two_steps(nesterov):
    w = variable(W0)
    opt = optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=nesterov)
    step(opt, [(G, w)])
    step(opt, [(G, w)])
    m1 = -0.1 * G
    m2 = 0.9 * m1 - 0.1 * G
    if nesterov:
        expected = W0 + (0.9 * m1 - 0.1 * G) + (0.9 * m2 - 0.1 * G)
    else:
        expected = W0 + m1 + m2
    np.testing.assert_allclose(values(w), expected, rtol=1e-6)
    np.testing.assert_allclose(values(opt.momentums[0]), m2, rtol=1e-6)


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam_first_step_moves_by_learning_rate_times_sign(amsgrad):
    w = variable(W0)
    opt = optimizers.Adam(learning_rate=0.01, epsilon=1e-7, amsgrad=amsgrad)
    step(opt, [(G, w)])
    # From zero moments: m = 0.1 g, v = 0.001 g^2, alpha = lr sqrt(0.001) / 0.1,
    # so the step is lr * g / (|g| + eps / sqrt(0.001)).
    expected = W0 - 0.01 * G / (np.abs(G) + 1e-7 / np.sqrt(0.001))
    np.testing.assert_allclose(values(w), expected, rtol=1e-5)
    np.testing.assert_allclose(values(opt._momentums[0]), 0.1 * G, rtol=1e-6)
    np.testing.assert_allclose(values(opt._velocities[0]), 0.001 * G**2, rtol=1e-5)


def test_adamw_decays_before_the_adam_step():
    w = variable(W0)
    step(optimizers.AdamW(learning_rate=0.01, weight_decay=0.5), [(np.zeros(3), w)])
    # A zero gradient leaves only the decay: w - w * 0.5 * 0.01.
    np.testing.assert_allclose(values(w), W0 * (1 - 0.005), rtol=1e-6)


@pytest.mark.parametrize("centered, momentum", [(False, 0.0), (True, 0.0), (False, 0.5)])
def test_rmsprop_two_steps(centered, momentum):
    w = variable(W0)
    opt = optimizers.RMSprop(learning_rate=0.01, rho=0.9, momentum=momentum, centered=centered)
    s, a, mom, expected = np.zeros(3), np.zeros(3), np.zeros(3), W0.astype("float64")
    for _ in range(2):
        step(opt, [(G, w)])
        s = 0.9 * s + 0.1 * G**2
        a = 0.9 * a + 0.1 * G
        denom = s - a**2 + 1e-7 if centered else s + 1e-7
        inc = 0.01 * G / np.sqrt(denom)
        mom = momentum * mom + inc
        expected = expected - (mom if momentum else inc)
    np.testing.assert_allclose(values(w), expected, rtol=1e-5)


def test_adagrad_two_steps():
    w = variable(W0)
    opt = optimizers.Adagrad(learning_rate=0.1, initial_accumulator_value=0.5)
    step(opt, [(G, w)])
    step(opt, [(G, w)])
    acc1, acc2 = 0.5 + G**2, 0.5 + 2 * G**2
    expected = W0 - 0.1 * G / np.sqrt(acc1 + 1e-7) - 0.1 * G / np.sqrt(acc2 + 1e-7)
    np.testing.assert_allclose(values(w), expected, rtol=1e-6)
    np.testing.assert_allclose(values(opt._accumulators[0]), acc2, rtol=1e-6)
