"""The shared update pipeline: clipping, weight decay, EMA, accumulation, loss scale."""

from __future__ import annotations

import numpy as np
import pytest

from refkeras import constraints, optimizers
from tests.optimizers.helpers import step, values, variable

G = np.array([3.0, 4.0], dtype="float32")  # norm 5


def sgd_after(grads, **kwargs):
    w = variable(np.zeros(2))
    opt = optimizers.SGD(learning_rate=1.0, **kwargs)
    for g in grads:
        step(opt, [(g, w)])
    return values(w), opt


def test_clipnorm_rescales_to_the_bound():
    w, _ = sgd_after([G], clipnorm=1.0)
    np.testing.assert_allclose(w, -G / 5, rtol=1e-6)


def test_clipnorm_keeps_zero_gradients_finite():
    w, _ = sgd_after([np.zeros(2)], clipnorm=1.0)
    np.testing.assert_array_equal(w, [0.0, 0.0])


def test_global_clipnorm_uses_the_joint_norm():
    a, b = variable([0.0]), variable([0.0])
    step(optimizers.SGD(learning_rate=1.0, global_clipnorm=1.0), [([3.0], a), ([4.0], b)])
    np.testing.assert_allclose([values(a)[0], values(b)[0]], [-0.6, -0.8], rtol=1e-6)


def test_global_clipnorm_turns_non_finite_norms_into_nan():
    w, _ = sgd_after([np.array([np.inf, 1.0])], global_clipnorm=1.0)
    assert np.isnan(w).all()


def test_clipvalue_clips_elementwise():
    w, _ = sgd_after([G], clipvalue=3.5)
    np.testing.assert_allclose(w, [-3.0, -3.5])


def test_loss_scale_factor_divides_gradients():
    w, opt = sgd_after([G], loss_scale_factor=4.0)
    np.testing.assert_allclose(w, -G / 4)
    assert float(values(opt.scale_loss(2.0))) == 8.0


def test_gradient_accumulation_updates_with_the_mean_every_n_calls():
    w = variable(np.zeros(2))
    opt = optimizers.SGD(learning_rate=1.0, gradient_accumulation_steps=2)
    step(opt, [(G, w)])
    np.testing.assert_array_equal(values(w), [0.0, 0.0])
    np.testing.assert_array_equal(values(opt._accumulated_gradients[0]), G)
    step(opt, [(2 * G, w)])
    np.testing.assert_allclose(values(w), -1.5 * G)
    np.testing.assert_array_equal(values(opt._accumulated_gradients[0]), [0.0, 0.0])
    assert int(values(opt.iterations)) == 1
    assert int(values(opt._iterations)) == 2


def test_ema_starts_at_the_variable_then_averages():
    w = variable(np.zeros(2))
    opt = optimizers.SGD(learning_rate=1.0, use_ema=True, ema_momentum=0.5)
    step(opt, [(G, w)])
    average = opt._model_variables_moving_average[0]
    np.testing.assert_allclose(values(average), -G)  # momentum 0 on the first step
    step(opt, [(G, w)])
    np.testing.assert_allclose(values(average), 0.5 * -G + 0.5 * -2 * G)
    opt.finalize_variable_values([w])
    np.testing.assert_allclose(values(w), -1.5 * G)


def test_ema_overwrite_frequency_copies_averages_into_variables():
    w = variable(np.zeros(2))
    opt = optimizers.SGD(learning_rate=1.0, use_ema=True, ema_momentum=0.5,
                         ema_overwrite_frequency=2)
    step(opt, [(G, w)])
    np.testing.assert_allclose(values(w), -G)
    step(opt, [(G, w)])  # iterations + 1 == 2: the variable takes its average
    np.testing.assert_allclose(values(w), -1.5 * G)


def test_weight_decay_exclusions_by_identity_and_by_name():
    kernel, bias = variable([1.0], name="kernel"), variable([1.0], name="bias")
    other = variable([1.0], name="other")
    opt = optimizers.SGD(learning_rate=0.1, weight_decay=1.0)
    opt.exclude_from_weight_decay(var_list=[other], var_names=["bia"])
    step(opt, [([0.0], kernel), ([0.0], bias), ([0.0], other)])
    assert [values(v)[0] for v in (kernel, bias, other)] == pytest.approx([0.9, 1.0, 1.0])


def test_constraints_run_after_the_update():
    w = variable([0.05])
    w.constraint = constraints.NonNeg()
    step(optimizers.SGD(learning_rate=0.1), [([1.0], w)])
    assert values(w)[0] == 0.0


def test_missing_gradients_warn_and_are_skipped():
    a, b = variable([1.0], name="a"), variable([1.0], name="b")
    opt = optimizers.SGD(learning_rate=1.0)
    with pytest.warns(UserWarning, match=r"Gradients do not exist for variables \['dense/a'\]"):
        opt.apply_gradients([(None, a), (np.ones(1, "float32"), b)])
    assert values(a)[0] == 1.0 and values(b)[0] == 0.0
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        opt.apply_gradients([(None, a), (None, b)])


def test_overwrite_with_gradient_variables_take_the_gradient():
    scale, w = variable([1.0], name="scale"), variable([1.0])
    scale.overwrite_with_gradient = True
    opt = optimizers.Adam()
    step(opt, [([7.0], scale), ([1.0], w)])
    assert values(scale)[0] == 7.0
    assert [v.name for v in opt.variables][2:] == ["dense_w_momentum", "dense_w_velocity"]


def test_unknown_variables_are_rejected():
    opt = optimizers.SGD()
    step(opt, [([1.0], variable([1.0]))])
    with pytest.raises(ValueError, match="Unknown variable"):
        step(opt, [([1.0], variable([1.0]))])


def test_apply_without_variables_needs_a_built_optimizer():
    opt = optimizers.SGD()
    with pytest.raises(ValueError, match="must already be built"):
        opt.apply([np.ones(1)])
    w = variable([1.0])
    opt.build([w])
    opt.apply([np.ones(1, "float32")])
    assert values(w)[0] == pytest.approx(0.99)
    with pytest.raises(ValueError, match="Received a list of 2 gradients"):
        opt.apply([np.ones(1), np.ones(1)])
