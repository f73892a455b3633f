"""Optimizer state (variables, files, stateless use) and configs."""

from __future__ import annotations

import json

import numpy as np
import pytest

from refkeras import backend, optimizers
from refkeras.optimizers import schedules
from tests.optimizers.helpers import step, values, variable


def test_variables_order_names_and_paths():
    kernel, bias = variable(np.ones((2, 3)), name="kernel"), variable(np.ones(3), name="bias")
    opt = optimizers.Adam(name="adam_t", amsgrad=True, use_ema=True)
    opt.build([kernel, bias])
    assert [v.path for v in opt.variables] == [
        "adam_t/iteration", "adam_t/learning_rate",
        "adam_t/dense_kernel_average", "adam_t/dense_bias_average",
        "adam_t/dense_kernel_momentum", "adam_t/dense_kernel_velocity",
        "adam_t/dense_bias_momentum", "adam_t/dense_bias_velocity",
        "adam_t/dense_kernel_velocity_hat", "adam_t/dense_bias_velocity_hat",
    ]
    assert backend.is_int_dtype(opt.iterations.dtype)
    assert opt.variables[4].shape == (2, 3) and opt.variables[4].dtype == "float32"
    assert not any(v.trainable for v in opt.variables)


def test_default_names_are_unique_snake_case():
    a, b = optimizers.RMSprop(), optimizers.RMSprop()
    assert a.name.startswith("rm_sprop") and b.name != a.name


def test_save_and_load_own_variables_round_trip():
    w = variable(np.ones(2))
    opt = optimizers.SGD(momentum=0.9, name="s")
    step(opt, [([1.0, 2.0], w)])
    store: dict = {}
    opt.save_own_variables(store)
    assert list(store) == ["0", "1", "2"]
    other = optimizers.SGD(momentum=0.9, name="s")
    other.build([w])
    other.load_own_variables(store)
    for got, want in zip(other.variables, opt.variables):
        np.testing.assert_array_equal(values(got), values(want))


def test_set_weights_checks_build_and_shapes():
    opt = optimizers.SGD(momentum=0.5)
    with pytest.raises(ValueError, match="has not yet been built"):
        opt.set_weights([])
    opt.build([variable(np.ones(2))])
    with pytest.raises(ValueError, match="not compatible with provided weight shape"):
        opt.set_weights([np.array(0), np.array(0.1), np.ones(3)])


def test_stateless_apply_returns_values_and_leaves_variables_alone():
    w = variable([1.0, 2.0])
    opt = optimizers.Adam(learning_rate=0.1)
    opt.build([w])
    state = [v.value for v in opt.variables]
    new_w, new_state = opt.stateless_apply(state, [np.array([1.0, 1.0], "float32")], [w.value])
    np.testing.assert_array_equal(values(w), [1.0, 2.0])
    assert int(values(opt.iterations)) == 0
    assert int(np.asarray(new_state[0])) == 1
    step(opt, [([1.0, 1.0], w)])  # the stateful step reaches the same values
    np.testing.assert_array_equal(values(w), np.asarray(new_w[0]))


def test_stateless_apply_argument_checks():
    opt = optimizers.SGD()
    with pytest.raises(ValueError, match="must be built"):
        opt.stateless_apply([], [], [])
    opt.build([variable([1.0])])
    with pytest.raises(ValueError, match="Received list with length 1, but expected 2"):
        opt.stateless_apply([0], [np.ones(1)], [np.ones(1)])


@pytest.mark.skipif(backend.backend() != "jax", reason="jax.jit only exists on JAX")
def test_stateless_apply_under_jit():
    import jax

    w = variable([1.0, 2.0])
    opt = optimizers.Adam(learning_rate=0.1, gradient_accumulation_steps=2, use_ema=True)
    opt.build([w])
    state, params = [v.value for v in opt.variables], [w.value]
    for _ in range(2):
        params, state = jax.jit(opt.stateless_apply)(
            state, [np.array([1.0, 1.0], "float32")], params)
    assert int(np.asarray(state[0])) == 2
    assert np.all(np.asarray(params[0]) < np.array([1.0, 2.0]))


def test_learning_rate_setter_and_schedule():
    opt = optimizers.SGD(learning_rate=0.5)
    opt.learning_rate = 0.25
    assert float(values(opt.learning_rate)) == 0.25
    opt.learning_rate = schedules.ExponentialDecay(1.0, 1, 0.5)
    assert len(opt.variables) == 1
    with pytest.raises(TypeError, match="not settable"):
        opt.learning_rate = 0.1


@pytest.mark.parametrize("kwargs, match", [
    ({"learning_rate": 1}, "`learning_rate` should be float"),
    ({"clipnorm": 1.0, "clipvalue": 1.0}, "Only one of"),
    ({"use_ema": True, "ema_momentum": -0.1}, "`ema_momentum` must be in the range"),
    ({"gradient_accumulation_steps": 1}, ">= 2"),
    ({"bogus": 3}, r"Argument\(s\) not recognized"),
    ({"momentum": 0}, "`momentum` must be a float"),
])
def test_argument_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        optimizers.SGD(**kwargs)


def test_subclass_must_call_super_init():
    class Broken(optimizers.Optimizer):
        def __init__(self):
            self.x = 1

    with pytest.raises(RuntimeError, match="forgot to call `super\\(\\).__init__\\(\\)`"):
        Broken()


def test_config_round_trip_and_serialization():
    opt = optimizers.RMSprop(learning_rate=0.5, centered=True, name="r")
    config = opt.get_config()
    assert list(config)[:2] == ["name", "learning_rate"] and config["centered"] is True
    data = json.loads(json.dumps(optimizers.serialize(opt)))
    assert data["module"] == "keras.optimizers" and data["class_name"] == "RMSprop"
    assert optimizers.deserialize(data).get_config() == config


def test_schedule_learning_rate_serializes_nested():
    opt = optimizers.Adam(learning_rate=schedules.CosineDecay(0.1, 10))
    config = opt.get_config()
    assert config["learning_rate"]["module"] == "keras.optimizers.schedules"
    rebuilt = optimizers.Adam.from_config(config)
    assert isinstance(rebuilt._learning_rate, schedules.CosineDecay)


@pytest.mark.parametrize("name, cls", [("adam", optimizers.Adam), ("RMSprop", optimizers.RMSprop),
                                       ("SGD", optimizers.SGD), ("adamw", optimizers.AdamW),
                                       ("Adagrad", optimizers.Adagrad)])
def test_get_by_name(name, cls):
    assert type(optimizers.get(name)) is cls


def test_get_passes_instances_and_rejects_junk():
    opt = optimizers.SGD()
    assert optimizers.get(opt) is opt and optimizers.get(None) is None
    with pytest.raises(ValueError):
        optimizers.get(42)


def test_loss_scale_optimizer_skips_non_finite_steps_and_grows_the_scale():
    w = variable([1.0])
    opt = optimizers.LossScaleOptimizer(optimizers.SGD(learning_rate=1.0), initial_scale=4.0,
                                        dynamic_growth_steps=2)
    step(opt, [([np.inf], w)])
    assert values(w)[0] == 1.0 and float(values(opt.dynamic_scale)) == 2.0
    step(opt, [([2.0], w)])  # unscaled by 2: w -= 1
    step(opt, [([2.0], w)])  # second finite step in a row: the scale doubles afterwards
    assert values(w)[0] == -1.0
    assert float(values(opt.dynamic_scale)) == 4.0 and int(values(opt.step_counter)) == 0
    assert int(values(opt.iterations)) == 2
