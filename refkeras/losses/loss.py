"""``Loss``: the base class of losses (``loss(y_true, y_pred, sample_weight=None)``)."""

from __future__ import annotations

from typing import Any

from refkeras import backend, dtype_policies, ops, tree
from refkeras.backend.naming import auto_name
from refkeras.layers.masking import get_keras_mask
from refkeras.losses.reduction import reduce_weighted_values, standardize_reduction
from refkeras.serialization import builtin


@builtin("keras.losses")
class Loss:
    """Base class of losses: subclasses implement ``call(y_true, y_pred)``.

    ``call`` returns per-sample losses; calling the loss object converts both
    inputs to the loss's dtype, runs ``call``, weights the result by
    ``sample_weight`` and by any Keras mask on ``y_pred`` (or on the per-sample
    losses), then applies ``reduction`` (see ``refkeras.losses.reduction``).

    Args:
        name: defaults to the snake_case class name, made unique.
        reduction: ``"sum_over_batch_size"`` (default), ``"sum"``, ``"mean"``,
            ``"mean_with_sample_weight"``, ``"none"`` or ``None``.
        dtype: the computation dtype, or a dtype policy (its compute dtype is
            used); defaults to ``floatx()``.

    >>> class MeanCubedError(Loss):
    ...     def call(self, y_true, y_pred):
    ...         return ops.mean(ops.absolute(y_pred - y_true) ** 3, axis=-1)
    """

    def __init__(self, name: str | None = None, reduction: Any = "sum_over_batch_size",
                 dtype: Any = None):
        self.name = name or auto_name(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self._dtype_policy = dtype_policies.get(dtype or backend.floatx())
        self._dtype = self._dtype_policy.compute_dtype

    @property
    def dtype(self) -> str:
        """The dtype the loss computes in."""
        return self._dtype

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Any:
        in_mask = get_keras_mask(y_pred)
        y_pred = tree.map_structure(lambda x: ops.convert_to_tensor(x, dtype=self.dtype), y_pred)
        y_true = tree.map_structure(lambda x: ops.convert_to_tensor(x, dtype=self.dtype), y_true)
        losses = self.call(y_true, y_pred)
        out_mask = get_keras_mask(losses)
        if in_mask is not None and out_mask is not None:
            mask = in_mask & out_mask
        else:
            mask = in_mask if in_mask is not None else out_mask
        return reduce_weighted_values(losses, sample_weight=sample_weight, mask=mask,
                                      reduction=self.reduction, dtype=self.dtype)

    def call(self, y_true: Any, y_pred: Any) -> Any:
        """Per-sample losses; subclasses must implement it."""
        raise NotImplementedError

    def get_config(self) -> dict:
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: dict) -> Loss:
        return cls(**config)
