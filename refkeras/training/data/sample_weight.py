"""Checks and fills ``sample_weight`` against ``y`` for in-memory arrays."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from refkeras import tree
from refkeras.training.data.class_weight import (
    check_single_output,
    class_weight_to_sample_weight,
)


def check_not_both(sample_weight: Any, class_weight: Any) -> None:
    """``sample_weight`` and ``class_weight`` cannot be combined."""
    if sample_weight is not None and class_weight is not None:
        raise ValueError(
            "You cannot `class_weight` and `sample_weight` at the same time. Fold the class "
            "weights into `sample_weight` and pass only that."
        )


def _one_per_output(y: Any, sample_weight: Any) -> Any:
    """For a nest ``y``: either one weight array per output, or one per-sample array that
    every output shares."""
    if isinstance(sample_weight, (list, tuple, dict)):
        try:
            tree.assert_same_structure(y, sample_weight)
        except ValueError as error:
            raise ValueError(
                "You should provide one `sample_weight` array per output in `y`. The two "
                f"structures did not match:\n- y: {y}\n- sample_weight: {sample_weight}\n"
            ) from error
        return sample_weight
    shape = sample_weight.shape
    if not (len(shape) == 1 or (len(shape) == 2 and shape[1] == 1)):
        raise ValueError(
            "For a model with multiple outputs, when providing a single `sample_weight` "
            "array, it should only have one scalar score per sample (i.e. shape "
            f"`(num_samples,)`). Received shape {tuple(shape)}. If you want to use "
            "non-scalar sample weights, pass a `sample_weight` argument with one array per "
            "model output."
        )
    return tree.map_structure(lambda _: sample_weight, y)


def standardize_sample_weight(y: Any, sample_weight: Any,
                              class_weight: Mapping[Any, float] | None) -> Any:
    """The ``sample_weight`` nest to batch with ``y`` (``None`` when there is none)."""
    check_not_both(sample_weight, class_weight)
    if sample_weight is not None and tree.is_nested(y):
        return _one_per_output(y, sample_weight)
    if class_weight is not None:
        check_single_output(y)
        if y is None:
            raise ValueError(
                f"`class_weight` needs targets, but `y` is None. Received: "
                f"class_weight={class_weight}. Pass `y` or drop `class_weight`."
            )
        return class_weight_to_sample_weight(y, class_weight)
    return sample_weight
