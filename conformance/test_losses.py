"""Differential tests of ``losses``: values, reductions, weights, masks, configs, lookup."""

from __future__ import annotations

import json
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import refkeras.layers.masking
import refkeras.losses  # noqa: F401  (not yet exported by refkeras/__init__)
from conformance.tolerances import assert_close

REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None]
REGRESSION = ["MeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError",
              "MeanSquaredLogarithmicError", "Huber", "LogCosh"]
smoothing = st.sampled_from([0.0, 0.1, 0.5])
ARGS = {
    **{name: st.just({}) for name in REGRESSION},
    "Huber": st.fixed_dictionaries({}, optional={"delta": st.sampled_from([0.5, 1.0, 2.5])}),
    "BinaryCrossentropy": st.fixed_dictionaries({}, optional={
        "from_logits": st.booleans(), "label_smoothing": smoothing}),
    "CategoricalCrossentropy": st.fixed_dictionaries({}, optional={
        "from_logits": st.booleans(), "label_smoothing": smoothing}),
    "SparseCategoricalCrossentropy": st.fixed_dictionaries({}, optional={
        "from_logits": st.booleans(), "ignore_class": st.sampled_from([None, 0, 2])}),
}


def to_numpy(x: Any) -> np.ndarray:
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


@st.composite
def loss_case(draw: Any) -> tuple[str, dict, tuple]:
    """A loss class, constructor arguments and ``(y_true, y_pred, sample_weight)``."""
    name = draw(st.sampled_from(sorted(ARGS)))
    kwargs = dict(draw(ARGS[name]))
    kwargs["reduction"] = draw(st.sampled_from(REDUCTIONS))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    batch, classes = draw(st.integers(1, 6)), draw(st.integers(2, 5))
    extra = draw(st.sampled_from([(), (3,)]))  # an optional time axis
    shape = (batch, *extra, classes)
    if name == "SparseCategoricalCrossentropy":
        y_true = rng.integers(0, classes, (batch, *extra))
        if draw(st.booleans()):
            y_true = y_true[..., None]  # ids with a trailing size-1 axis
    elif name in ("BinaryCrossentropy", "CategoricalCrossentropy"):
        y_true = (rng.random(shape) > 0.5).astype("float32")
    else:
        y_true = rng.standard_normal(shape).astype("float32")
    from_logits = kwargs.get("from_logits", False)
    if name in REGRESSION or from_logits:
        y_pred = (rng.standard_normal(shape) * 2).astype("float32")
    else:
        y_pred = rng.random(shape).astype("float32")
    # Weights must broadcast against the per-sample losses, of shape (batch, *extra).
    weight_shape = draw(st.sampled_from([None, (batch, 1), (batch, *extra)]
                                        + ([(batch,)] if not extra else [])))
    sample_weight = None if weight_shape is None else rng.random(weight_shape).astype("float32")
    return name, kwargs, (y_true, y_pred, sample_weight)


def both_values(impl: Any, upstream: Any, name: str, kwargs: dict, data: tuple) -> tuple:
    ours = getattr(impl.losses, name)(**kwargs)
    theirs = getattr(upstream.losses, name)(**kwargs)
    return to_numpy(ours(*data)), to_numpy(theirs(*data))


@pytest.mark.spec("losses.classes.values", "losses.reduction.values", "losses.call.dtype",
                  "losses.sample_weight.align", "losses.functions.regression",
                  "losses.functions.crossentropy", "losses.functions.ignore_class")
@given(loss_case())
def test_loss_values_are_bit_identical(impl, upstream, case):
    name, kwargs, data = case
    got, want = both_values(impl, upstream, name, kwargs, data)
    assert_close(got, want, "exact")


FUNCTIONS = ["mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
             "mean_squared_logarithmic_error", "huber", "log_cosh", "binary_crossentropy",
             "categorical_crossentropy"]


@pytest.mark.spec("losses.functions.regression", "losses.functions.crossentropy")
@given(st.sampled_from(FUNCTIONS), st.integers(0, 2**16), st.sampled_from([(4,), (3, 5)]))
def test_loss_functions_are_bit_identical(impl, upstream, name, seed, shape):
    rng = np.random.default_rng(seed)
    y_true = rng.random(shape).astype("float32")
    y_pred = rng.random(shape).astype("float32")
    got = getattr(impl.losses, name)(y_true, y_pred)
    want = getattr(upstream.losses, name)(y_true, y_pred)
    assert_close(to_numpy(got), to_numpy(want), "exact")


def mask_setter(lib: Any) -> Any:
    """Each library's own way of attaching ``_keras_mask`` (jax arrays refuse attributes)."""
    if lib.__name__ == "refkeras":
        return refkeras.layers.masking.set_keras_mask
    from keras.src.backend import set_keras_mask

    return set_keras_mask


@pytest.mark.spec("losses.functions.ignore_class", "losses.mask.fold")
@given(st.integers(0, 2**16), st.sampled_from(REDUCTIONS))
def test_masks_fold_into_weights(impl, upstream, seed, reduction):
    rng = np.random.default_rng(seed)
    y_true = rng.random((5, 4)).astype("float32")
    y_pred = rng.random((5, 4)).astype("float32")
    mask = rng.random(5) > 0.4
    sample_weight = rng.random(5).astype("float32") if seed % 2 else None
    results = []
    for lib in (impl, upstream):
        pred = lib.ops.convert_to_tensor(y_pred)
        mask_setter(lib)(pred, lib.ops.convert_to_tensor(mask))
        loss = lib.losses.MeanSquaredError(reduction=reduction)
        results.append(to_numpy(loss(y_true, pred, sample_weight)))
    assert_close(results[0], results[1], "exact")


@pytest.mark.spec("losses.reduction.invalid")
@pytest.mark.parametrize("reduction", ["auto", "SUM", "batch", 0])
def test_unknown_reduction_raises(impl, upstream, reduction):
    for lib in (impl, upstream):
        with pytest.raises(ValueError, match="Invalid value for argument `reduction`"):
            lib.losses.MeanSquaredError(reduction=reduction)


@pytest.mark.spec("losses.functions.errors")
@pytest.mark.parametrize("name", ["BinaryCrossentropy", "CategoricalCrossentropy"])
def test_shape_mismatch_raises(impl, upstream, name):
    y_true, y_pred = np.zeros((2, 3, 4), "float32"), np.full((2, 5, 4), 0.5, "float32")
    for lib in (impl, upstream):
        with pytest.raises(ValueError):
            getattr(lib.losses, name)()(y_true, y_pred)


@pytest.mark.spec("losses.functions.errors")
def test_bool_axis_raises(impl, upstream):
    y = np.full((2, 3), 0.3, "float32")
    for lib in (impl, upstream):
        with pytest.raises(ValueError, match="`axis` must be of type `int`"):
            lib.losses.categorical_crossentropy(y, y, axis=True)


@pytest.mark.spec("losses.functions.crossentropy")
def test_single_class_categorical_warns(impl, upstream):
    y = np.ones((3, 1), "float32")
    for lib in (impl, upstream):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lib.losses.categorical_crossentropy(y, y)
        assert any(issubclass(w.category, SyntaxWarning) for w in caught)


@st.composite
def config_case(draw: Any) -> tuple[str, dict]:
    name = draw(st.sampled_from(sorted(ARGS)))
    kwargs = dict(draw(ARGS[name]))
    if draw(st.booleans()):
        kwargs["reduction"] = draw(st.sampled_from(REDUCTIONS))
    if draw(st.booleans()):
        kwargs["name"] = draw(st.sampled_from(["my_loss", "l2"]))
    return name, kwargs


@pytest.mark.spec("losses.config.keys", "losses.serialize.format")
@given(config_case())
def test_configs_and_serialization_match(impl, upstream, case):
    name, kwargs = case
    ours = getattr(impl.losses, name)(**kwargs)
    theirs = getattr(upstream.losses, name)(**kwargs)
    assert json.dumps(ours.get_config()) == json.dumps(theirs.get_config())
    assert json.dumps(impl.losses.serialize(ours)) == json.dumps(upstream.losses.serialize(theirs))
    rebuilt = upstream.losses.deserialize(json.loads(json.dumps(impl.losses.serialize(ours))))
    assert rebuilt.get_config() == ours.get_config()
    back = impl.losses.deserialize(json.loads(json.dumps(upstream.losses.serialize(theirs))))
    assert back.get_config() == theirs.get_config()
    assert type(ours).from_config(ours.get_config()).get_config() == ours.get_config()


@pytest.mark.spec("losses.config.wrapper")
@pytest.mark.parametrize("fn, kwargs", [("huber", {"delta": 2.0}), ("mean_squared_error", {}),
                                        ("binary_crossentropy", {"from_logits": True})])
def test_wrapper_serialization_matches(impl, upstream, fn, kwargs):
    from keras.src.losses.losses import LossFunctionWrapper as UpstreamWrapper

    ours_cls = (impl.losses.LossFunctionWrapper if impl is not upstream else UpstreamWrapper)
    ours = ours_cls(getattr(impl.losses, fn), name="wrapped", **kwargs)
    theirs = UpstreamWrapper(getattr(upstream.losses, fn), name="wrapped", **kwargs)
    ours_dict, theirs_dict = impl.losses.serialize(ours), upstream.losses.serialize(theirs)
    assert json.dumps(ours_dict) == json.dumps(theirs_dict)
    back = impl.losses.deserialize(json.loads(json.dumps(theirs_dict)))
    y = np.random.default_rng(0).random((4, 3)).astype("float32")
    assert_close(to_numpy(back(y, y[::-1])), to_numpy(theirs(y, y[::-1])), "exact")


IDENTIFIERS = ["mse", "MSE", "mae", "mape", "msle", "bce", "BCE", "huber", "Huber",
               "mean_squared_error", "MeanSquaredError", "BinaryCrossentropy",
               "sparse_categorical_crossentropy", "CategoricalCrossentropy",
               {"class_name": "Huber", "config": {"name": "h", "reduction": "sum"}}]


@pytest.mark.spec("losses.get.identifiers")
@pytest.mark.parametrize("identifier", IDENTIFIERS)
def test_get_matches(impl, upstream, identifier):
    got, want = impl.losses.get(identifier), upstream.losses.get(identifier)
    assert impl.losses.serialize(got) == upstream.losses.serialize(want)


@pytest.mark.spec("losses.get.identifiers")
def test_get_edge_cases(impl, upstream):
    for lib in (impl, upstream):
        assert lib.losses.get(None) is None
        assert lib.losses.get(lib.losses.Huber).name.startswith("huber_loss")
        for bad in ("no_such_loss", 3):
            with pytest.raises(ValueError, match="Could not interpret loss identifier"):
                lib.losses.get(bad)


@pytest.mark.spec("losses.get.deserialize_names")
@pytest.mark.parametrize("name", ["MeanSquaredError", "huber", "mean_squared_error",
                                  "BinaryCrossentropy", "no_such_loss"])
def test_deserialize_names_match(impl, upstream, name):
    got, want = impl.losses.deserialize(name), upstream.losses.deserialize(name)
    if isinstance(want, str):  # unknown names come back unchanged
        assert got == want
    else:
        assert impl.losses.serialize(got) == upstream.losses.serialize(want)
