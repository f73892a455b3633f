"""``LossFunctionWrapper``: a ``Loss`` made from a function ``fn(y_true, y_pred, **kwargs)``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from refkeras import tree
from refkeras.losses.loss import Loss
from refkeras.losses.reduction import squeeze_or_expand_to_same_rank
from refkeras.serialization import (
    builtin,
    deserialize_keras_object,
    serialize_dict,
    serialize_keras_object,
)


# Upstream does not export this class publicly; its configs name its private module.
@builtin("keras.src.losses.losses", registered_name="LossFunctionWrapper")
class LossFunctionWrapper(Loss):
    """Wraps ``fn`` (per-sample losses) with weighting and reduction.

    ``y_true`` and ``y_pred`` first have their ranks aligned through a trailing
    size-1 axis (labels of shape ``(batch,)`` against predictions of shape
    ``(batch, 1)``). Extra keyword arguments are passed to ``fn`` on each call
    and appear in the config.

    >>> huber_2 = LossFunctionWrapper(huber, delta=2.0)  # doctest: +SKIP
    """

    def __init__(self, fn: Callable, reduction: Any = "sum_over_batch_size",
                 name: str | None = None, dtype: Any = None, **kwargs: Any):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true: Any, y_pred: Any) -> Any:
        if tree.is_nested(y_true) or tree.is_nested(y_pred):
            tree.assert_same_structure(y_true, y_pred)
            pairs = [squeeze_or_expand_to_same_rank(t, p)
                     for t, p in zip(tree.flatten(y_true), tree.flatten(y_pred))]
            y_true = tree.pack_sequence_as(y_true, [t for t, _ in pairs])
            y_pred = tree.pack_sequence_as(y_pred, [p for _, p in pairs])
        else:
            y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        config["fn"] = serialize_keras_object(self.fn)
        config.update(serialize_dict(self._fn_kwargs))
        return config

    @classmethod
    def from_config(cls, config: dict) -> LossFunctionWrapper:
        if "fn" in config:
            config = deserialize_keras_object(config)
        return cls(**config)

    def __repr__(self) -> str:
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"


class BuiltinLoss(LossFunctionWrapper):
    """A built-in loss class over one loss function: its config lists only its own
    constructor arguments (``fn`` is implied by the class), as upstream writes it.

    Subclasses set ``CONFIG_KEYS``: the attribute names added to the base config.
    """

    CONFIG_KEYS: tuple[str, ...] = ()

    def get_config(self) -> dict:
        config = Loss.get_config(self)
        config.update({key: getattr(self, key) for key in self.CONFIG_KEYS})
        return config
