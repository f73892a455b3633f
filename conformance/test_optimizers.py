"""Differential tests of ``optimizers`` and ``optimizers.schedules`` against upstream.

Updates are compared bit for bit after every step, together with the
optimizer's variables (paths, names, dtypes, order, values); configs are
compared as JSON and loaded across libraries.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import refkeras.optimizers  # noqa: F401  (not yet exported by refkeras/__init__)
from conformance.optimizer_support import (
    as_json,
    facts,
    make_variables,
    optimizer_case,
    problems,
    run_steps,
    to_numpy,
)
from conformance.tolerances import assert_close

spec = pytest.mark.spec
NAMES = ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad")


def assert_same_history(ours: list, theirs: list) -> None:
    assert len(ours) == len(theirs)
    for (values, opt_facts), (want_values, want_facts) in zip(ours, theirs):
        for got, want in zip(values, want_values):
            assert_close(got, want, "exact")
        assert [f[:4] for f in opt_facts] == [f[:4] for f in want_facts]
        for got, want in zip(opt_facts, want_facts):
            assert_close(got[4], want[4], "exact")


# --- updates -----------------------------------------------------------------------------
@spec("optimizers.sgd.update", "optimizers.adam.update", "optimizers.adamw.update",
      "optimizers.rmsprop.update", "optimizers.adagrad.update", "optimizers.base.variables",
      "optimizers.base.apply_order", "optimizers.base.ema", "optimizers.base.accumulation",
      "optimizers.base.loss_scale_factor")
@given(optimizer_case(), problems())
def test_steps_are_bit_identical(impl, upstream, case, problem):
    name, kwargs = case
    initial, steps = problem
    assert_same_history(run_steps(impl, name, kwargs, initial, steps),
                        run_steps(upstream, name, kwargs, initial, steps))


@spec("optimizers.base.clipping")
@given(st.sampled_from(NAMES), st.sampled_from(["clipnorm", "clipvalue", "global_clipnorm"]),
       st.floats(1e-3, 3.0), problems(max_steps=2))
def test_clipping_matches(impl, upstream, name, clip, bound, problem):
    initial, steps = problem
    kwargs = {clip: bound}
    assert_same_history(run_steps(impl, name, kwargs, initial, steps),
                        run_steps(upstream, name, kwargs, initial, steps))


@spec("optimizers.base.clipping_exclusive")
@given(st.sampled_from(NAMES),
       st.lists(st.sampled_from(["clipnorm", "clipvalue", "global_clipnorm"]), min_size=2,
                max_size=3, unique=True))
def test_two_clipping_rules_raise(impl, upstream, name, clips):
    for lib in (impl, upstream):
        with pytest.raises(ValueError, match="Only one of `clipnorm`, `clipvalue` and"):
            getattr(lib.optimizers, name)(**{c: 1.0 for c in clips})


@spec("optimizers.base.weight_decay")
@given(st.sampled_from(NAMES), st.floats(0.01, 0.5), st.booleans(), problems(max_steps=2))
def test_weight_decay_exclusions_match(impl, upstream, name, decay, by_name, problem):
    initial, steps = problem

    def run(lib: Any) -> list:
        variables = make_variables(lib, initial)
        opt = getattr(lib.optimizers, name)(weight_decay=decay, name="opt")
        if by_name:
            opt.exclude_from_weight_decay(var_names=["w0"])
        else:
            opt.exclude_from_weight_decay(var_list=variables[-1:])
        for grads in steps:
            opt.apply_gradients([(lib.ops.convert_to_tensor(g), v)
                                 for g, v in zip(grads, variables)])
        return [to_numpy(v) for v in variables]

    for got, want in zip(run(impl), run(upstream)):
        assert_close(got, want, "exact")


@spec("optimizers.base.missing_gradients")
def test_missing_gradients_warn_and_all_missing_raise(impl, upstream):
    for lib in (impl, upstream):
        a, b = make_variables(lib, [np.ones(2, "float32"), np.ones(3, "float32")])
        opt = lib.optimizers.SGD(name="opt")
        with pytest.warns(UserWarning, match="Gradients do not exist for variables"):
            opt.apply_gradients([(None, a), (lib.ops.ones((3,)), b)])
        assert to_numpy(a).tolist() == [1.0, 1.0]
        assert int(to_numpy(opt.iterations)) == 1
        with pytest.raises(ValueError, match="No gradients provided for any variable"):
            opt.apply_gradients([(None, a), (None, b)])


@spec("optimizers.base.constraints")
def test_constraints_apply_after_the_update(impl, upstream):
    results = []
    for lib in (impl, upstream):
        (w,) = make_variables(lib, [np.array([0.05, 1.0, -2.0], "float32")])
        w.constraint = lib.constraints.NonNeg()
        lib.optimizers.SGD(learning_rate=0.1, name="opt").apply_gradients(
            [(lib.ops.convert_to_tensor(np.array([1.0, 1.0, 1.0], "float32")), w)])
        results.append(to_numpy(w))
    assert_close(results[0], results[1], "exact")


@spec("optimizers.base.stateless_apply")
@given(optimizer_case(), problems(max_steps=3))
def test_stateless_apply_matches_where_upstream_supports_it(impl, upstream, case, problem):
    name, kwargs = case
    initial, steps = problem

    def run(lib: Any) -> list:
        variables = make_variables(lib, initial)
        opt = getattr(lib.optimizers, name)(name="opt", **kwargs)
        opt.build(variables)
        opt_values = [v.value for v in opt.variables]
        values = [v.value for v in variables]
        out = []
        for grads in steps:
            values, opt_values = opt.stateless_apply(
                opt_values, [lib.ops.convert_to_tensor(g) for g in grads], values)
            out.append([to_numpy(x) for x in values + opt_values])
        return out

    try:
        theirs = run(upstream)
    except ValueError as e:  # upstream's TensorFlow backend has no stateless_apply
        assert "not supported with the TensorFlow backend" in str(e)
        pytest.skip("upstream does not support stateless_apply on this backend")
    for got_step, want_step in zip(run(impl), theirs):
        for got, want in zip(got_step, want_step):
            assert_close(got, want, "exact")


@spec("optimizers.loss_scale.update")
@given(st.sampled_from(NAMES[:2]), st.sampled_from([1, 2, 3]),
       st.lists(st.sampled_from(["finite", "inf", "nan"]), min_size=1, max_size=6))
def test_loss_scale_optimizer_matches(impl, upstream, inner, growth, kinds):
    rng = np.random.default_rng(len(kinds))
    grads = [rng.standard_normal(3).astype("float32") for _ in kinds]
    for g, kind in zip(grads, kinds):
        g[1] = {"finite": g[1], "inf": np.inf, "nan": np.nan}[kind]

    def run(lib: Any, stateless: bool) -> list:
        (w,) = make_variables(lib, [np.ones(3, "float32")])
        opt = lib.optimizers.LossScaleOptimizer(getattr(lib.optimizers, inner)(name="inner"),
                                                initial_scale=8.0, dynamic_growth_steps=growth,
                                                name="lso")
        if stateless:
            opt.build([w])
            values, opt_values = [w.value], [v.value for v in opt.variables]
            for g in grads:
                values, opt_values = opt.stateless_apply(
                    opt_values, [lib.ops.convert_to_tensor(g)], values)
            return [to_numpy(x) for x in values + opt_values]
        for g in grads:
            opt.apply_gradients([(lib.ops.convert_to_tensor(g), w)])
        return [to_numpy(w)] + [x[4] for x in facts(opt)]

    try:  # upstream applies statefully on TensorFlow and statelessly on JAX
        theirs, stateless = run(upstream, False), False
    except Exception:  # noqa: BLE001  (upstream's JAX eager path leaks tracers)
        theirs, stateless = run(upstream, True), True
    for got, want in zip(run(impl, stateless), theirs):
        assert_close(got, want, "exact")


# --- variables, state files, configs ------------------------------------------------------
@spec("optimizers.base.variables", "optimizers.base.save_own_variables")
@given(optimizer_case(), problems(max_steps=2))
def test_variables_and_saved_state_match(impl, upstream, case, problem):
    name, kwargs = case
    initial, steps = problem
    stores = []
    for lib in (impl, upstream):
        variables = make_variables(lib, initial)
        opt = getattr(lib.optimizers, name)(name="opt", **kwargs)
        assert [v.path for v in opt.variables][:1] == ["opt/iteration"]
        opt.build(variables)
        opt.apply_gradients([(lib.ops.convert_to_tensor(g), v) for g, v in zip(steps[0], variables)])
        store: dict = {}
        opt.save_own_variables(store)
        stores.append((facts(opt), store))
    (ours, our_store), (theirs, their_store) = stores
    assert [f[:4] for f in ours] == [f[:4] for f in theirs]
    assert list(our_store) == list(their_store)
    for key in our_store:
        assert_close(our_store[key], their_store[key], "exact")


@spec("optimizers.base.load_own_variables")
def test_load_own_variables_round_trips_and_warns_on_count(impl, upstream):
    for lib in (impl, upstream):
        (w,) = make_variables(lib, [np.ones(2, "float32")])
        opt = lib.optimizers.Adam(name="opt")
        opt.build([w])
        store = {str(i): np.full(v.shape, i + 1, dtype=str(v.dtype))
                 for i, v in enumerate(opt.variables)}
        opt.load_own_variables(store)
        assert [to_numpy(v).tolist() for v in opt.variables] == [1, 2.0, [3.0, 3.0], [4.0, 4.0]]
        with pytest.warns(UserWarning, match="Skipping variable loading for optimizer 'opt'"):
            opt.load_own_variables({"0": np.array(5)})
        fresh = lib.optimizers.Adam(name="opt")
        with pytest.warns(UserWarning, match="because it has 2 variables whereas the saved "
                                             "optimizer has 4 variables"):
            fresh.load_own_variables(store)


@spec("optimizers.base.config", "optimizers.base.serialization")
@given(optimizer_case())
def test_configs_match_and_load_across_libraries(impl, upstream, case):
    name, kwargs = case
    ours = getattr(impl.optimizers, name)(name="opt", **kwargs)
    theirs = getattr(upstream.optimizers, name)(name="opt", **kwargs)
    assert as_json(ours.get_config()) == as_json(theirs.get_config())
    assert as_json(impl.optimizers.serialize(ours)) == as_json(upstream.optimizers.serialize(theirs))
    from_ours = upstream.optimizers.deserialize(impl.optimizers.serialize(ours))
    from_theirs = impl.optimizers.deserialize(upstream.optimizers.serialize(theirs))
    assert as_json(from_ours.get_config()) == as_json(from_theirs.get_config())
    rebuilt = type(ours).from_config(ours.get_config())
    assert as_json(rebuilt.get_config()) == as_json(ours.get_config())


@spec("optimizers.base.config", "optimizers.schedules.serialization")
@given(st.sampled_from(NAMES), st.sampled_from(["exponential", "cosine", "piecewise"]))
def test_schedule_learning_rates_serialize_nested(impl, upstream, name, kind):
    def schedule(lib: Any) -> Any:
        s = lib.optimizers.schedules
        return {"exponential": lambda: s.ExponentialDecay(0.1, 10, 0.5),
                "cosine": lambda: s.CosineDecay(0.1, 10, warmup_target=0.2, warmup_steps=3),
                "piecewise": lambda: s.PiecewiseConstantDecay([2, 5], [0.1, 0.05, 0.01])}[kind]()

    ours = getattr(impl.optimizers, name)(learning_rate=schedule(impl), name="opt")
    theirs = getattr(upstream.optimizers, name)(learning_rate=schedule(upstream), name="opt")
    assert as_json(impl.optimizers.serialize(ours)) == as_json(upstream.optimizers.serialize(theirs))
    back = impl.optimizers.deserialize(upstream.optimizers.serialize(theirs))
    assert as_json(back.get_config()) == as_json(ours.get_config())
    assert [v.path for v in ours.variables] == [v.path for v in theirs.variables]


@spec("optimizers.base.get")
@pytest.mark.parametrize("identifier", ["adam", "Adam", "ADAM", "sgd", "SGD", "rmsprop",
                                        "RMSprop", "adamw", "AdamW", "adagrad", "Adagrad",
                                        {"class_name": "Adam", "config": {"beta_1": 0.5}}])
def test_get_resolves_like_upstream(impl, upstream, identifier):
    ours = impl.optimizers.get(dict(identifier) if isinstance(identifier, dict) else identifier)
    theirs = upstream.optimizers.get(
        dict(identifier) if isinstance(identifier, dict) else identifier)
    assert type(ours).__name__ == type(theirs).__name__
    ours_config, theirs_config = ours.get_config(), theirs.get_config()
    ours_config.pop("name"), theirs_config.pop("name")
    assert ours_config == theirs_config


@spec("optimizers.base.get")
@pytest.mark.parametrize("identifier", ["rms_prop", "nadam_", 3, "lamb?"])
def test_get_rejects_like_upstream(impl, upstream, identifier):
    for lib in (impl, upstream):
        with pytest.raises(ValueError):
            lib.optimizers.get(identifier)
    assert impl.optimizers.get(None) is None


@spec("optimizers.base.arguments")
@pytest.mark.parametrize("name, kwargs, error, phrase", [
    ("SGD", {"learning_rate": 1}, ValueError, "`learning_rate` should be float"),
    ("Adam", {"learning_rate": "0.1"}, ValueError, "`learning_rate` should be float"),
    ("SGD", {"momentum": 1}, ValueError, "`momentum` must be a float between"),
    ("SGD", {"momentum": 1.5}, ValueError, "`momentum` must be a float between"),
    ("Adam", {"use_ema": True, "ema_momentum": 1.5}, ValueError, "`ema_momentum` must be"),
    ("Adam", {"use_ema": True, "ema_overwrite_frequency": 1.5}, ValueError,
     "`ema_overwrite_frequency` must be"),
    ("Adam", {"gradient_accumulation_steps": 1}, ValueError, "`gradient_accumulation_steps`"),
    ("Adam", {"foo": 1}, ValueError, "Argument\\(s\\) not recognized"),
    ("AdamW", {"weight_decay": None}, ValueError, "`weight_decay` must be a float"),
])
def test_invalid_arguments_raise_like_upstream(impl, upstream, name, kwargs, error, phrase):
    for lib in (impl, upstream):
        with pytest.raises(error, match=phrase):
            getattr(lib.optimizers, name)(**kwargs)


@spec("optimizers.base.arguments")
def test_decay_argument_only_warns(impl, upstream):
    for lib in (impl, upstream):
        with pytest.warns(UserWarning, match="Argument `decay` is no longer supported"):
            lib.optimizers.SGD(decay=0.1)


@spec("optimizers.loss_scale.config")
def test_loss_scale_optimizer_config_and_arguments(impl, upstream):
    configs = []
    for lib in (impl, upstream):
        opt = lib.optimizers.LossScaleOptimizer(lib.optimizers.SGD(name="inner"),
                                                initial_scale=4.0, name="lso")
        configs.append(as_json(lib.optimizers.serialize(opt)))
        with pytest.raises(ValueError, match="does not support `clipnorm`"):
            lib.optimizers.LossScaleOptimizer(lib.optimizers.SGD(), clipnorm=1.0)
        with pytest.raises(ValueError, match="no longer supports `dynamic=False`"):
            lib.optimizers.LossScaleOptimizer(lib.optimizers.SGD(), dynamic=False)
        assert float(to_numpy(opt.scale_loss(2.0))) == 8.0
    assert configs[0] == configs[1]
    back = impl.optimizers.deserialize(upstream.optimizers.serialize(
        upstream.optimizers.LossScaleOptimizer(upstream.optimizers.Adam(name="a"), name="l")))
    assert type(back.inner_optimizer).__name__ == "Adam"


@spec("optimizers.base.learning_rate")
def test_learning_rate_property_and_setter(impl, upstream):
    for lib in (impl, upstream):
        opt = lib.optimizers.SGD(learning_rate=0.5, name="opt")
        assert float(to_numpy(opt.learning_rate)) == 0.5
        opt.learning_rate = 0.25
        assert float(to_numpy(opt.learning_rate)) == 0.25
        assert [v.path for v in opt.variables] == ["opt/iteration", "opt/learning_rate"]
        opt.learning_rate = lib.optimizers.schedules.ExponentialDecay(0.1, 2, 0.5)
        assert [v.path for v in opt.variables] == ["opt/iteration"]
        with pytest.raises(TypeError, match="hence its learning rate is not settable"):
            opt.learning_rate = 0.1


@spec("optimizers.base.finalize")
@given(problems(max_steps=3))
def test_finalize_variable_values_takes_the_averages(impl, upstream, problem):
    initial, steps = problem
    results = []
    for lib in (impl, upstream):
        variables = make_variables(lib, initial)
        opt = lib.optimizers.SGD(learning_rate=0.1, use_ema=True, ema_momentum=0.5, name="opt")
        for grads in steps:
            opt.apply_gradients([(lib.ops.convert_to_tensor(g), v)
                                 for g, v in zip(grads, variables)])
        opt.finalize_variable_values(variables)
        results.append([to_numpy(v) for v in variables])
    for got, want in zip(*results):
        assert_close(got, want, "exact")


# --- schedules -------------------------------------------------------------------------------
@st.composite
def schedule_case(draw: Any) -> tuple[str, dict]:
    kind = draw(st.sampled_from(["ExponentialDecay", "CosineDecay", "PiecewiseConstantDecay"]))
    lr = draw(st.floats(1e-4, 1.0))
    if kind == "ExponentialDecay":
        return kind, dict(initial_learning_rate=lr, decay_steps=draw(st.integers(1, 50)),
                          decay_rate=draw(st.floats(0.05, 1.0)), staircase=draw(st.booleans()))
    if kind == "CosineDecay":
        kwargs = dict(initial_learning_rate=lr, decay_steps=draw(st.integers(1, 50)),
                      alpha=draw(st.floats(0.0, 1.0)))
        if draw(st.booleans()):
            kwargs.update(warmup_target=draw(st.floats(1e-4, 1.0)),
                          warmup_steps=draw(st.integers(0, 20)))
        return kind, kwargs
    boundaries = sorted(draw(st.lists(st.integers(0, 60), min_size=1, max_size=4, unique=True)))
    values = draw(st.lists(st.floats(1e-4, 1.0), min_size=len(boundaries) + 1,
                           max_size=len(boundaries) + 1))
    return kind, dict(boundaries=boundaries, values=values)


@spec("optimizers.schedules.values")
@given(schedule_case(), st.lists(st.integers(0, 120), min_size=1, max_size=5), st.booleans())
def test_schedule_values_are_bit_identical(impl, upstream, case, steps, as_variable):
    kind, kwargs = case
    ours = getattr(impl.optimizers.schedules, kind)(**kwargs)
    theirs = getattr(upstream.optimizers.schedules, kind)(**kwargs)
    for step in steps:
        if as_variable:  # as optimizers call them: with the integer `iterations` variable
            got = ours(impl.Variable(step, dtype="int", trainable=False))
            want = theirs(upstream.Variable(step, dtype="int", trainable=False))
        else:
            got, want = ours(step), theirs(step)
        assert_close(to_numpy(got), to_numpy(want), "exact")


@spec("optimizers.schedules.serialization")
@given(schedule_case())
def test_schedule_configs_match_and_load_across_libraries(impl, upstream, case):
    kind, kwargs = case
    ours = getattr(impl.optimizers.schedules, kind)(**kwargs)
    theirs = getattr(upstream.optimizers.schedules, kind)(**kwargs)
    assert as_json(ours.get_config()) == as_json(theirs.get_config())
    ours_json = impl.optimizers.schedules.serialize(ours)
    assert as_json(ours_json) == as_json(upstream.optimizers.schedules.serialize(theirs))
    assert as_json(upstream.optimizers.schedules.deserialize(ours_json).get_config()) == \
        as_json(ours.get_config())
    back = impl.optimizers.schedules.deserialize(upstream.optimizers.schedules.serialize(theirs))
    assert type(back) is type(ours)
    assert as_json(back.get_config()) == as_json(ours.get_config())


@spec("optimizers.schedules.errors")
@pytest.mark.parametrize("kind, kwargs, phrase", [
    ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=0, decay_rate=0.5),
     "`decay_steps` must be > 0"),
    ("CosineDecay", dict(initial_learning_rate=0.1, decay_steps=-3), "`decay_steps` must be > 0"),
    ("PiecewiseConstantDecay", dict(boundaries=[1, 2], values=[0.1, 0.2]),
     "The length of boundaries should be 1 less than the length of values"),
])
def test_schedule_errors_match(impl, upstream, kind, kwargs, phrase):
    for lib in (impl, upstream):
        with pytest.raises(ValueError, match=phrase):
            getattr(lib.optimizers.schedules, kind)(**kwargs)


@spec("optimizers.schedules.base")
def test_schedule_base_class_requires_overrides(impl, upstream):
    for lib in (impl, upstream):
        base = lib.optimizers.schedules.LearningRateSchedule()
        with pytest.raises(NotImplementedError, match="must override `__call__"):
            base(1)
        with pytest.raises(NotImplementedError, match="must override `get_config"):
            base.get_config()
