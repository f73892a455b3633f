"""``get_config`` / ``from_config`` of optimizers, in upstream's key order."""

from __future__ import annotations

from typing import Any

from refkeras import backend
from refkeras.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from refkeras.serialization import deserialize_keras_object, serialize_keras_object

# Config entries that are the attribute of the same name, in upstream's key order.
_PLAIN_CONFIG_KEYS = (
    "weight_decay", "clipnorm", "global_clipnorm", "clipvalue", "use_ema", "ema_momentum",
    "ema_overwrite_frequency", "loss_scale_factor", "gradient_accumulation_steps",
)

def learning_rate_config(learning_rate: Any) -> Any:
    """How a config records the learning rate: a float for a variable or tensor, a
    nested config for a schedule or any other serializable callable."""
    if isinstance(learning_rate, LearningRateSchedule):
        return serialize_keras_object(learning_rate)
    if isinstance(learning_rate, backend.VariableBase):
        return float(learning_rate.numpy())
    if backend.is_tensor(learning_rate):
        return float(learning_rate)
    if callable(learning_rate):
        return serialize_keras_object(learning_rate)
    return 0.5  # unreachable through the constructor; upstream writes this placeholder


class OptimizerConfigMixin:
    """The config half of ``Optimizer`` (subclasses extend ``get_config``)."""

    def get_config(self) -> dict:
        """The constructor arguments as JSON-ready values (no variable values)."""
        config = {"name": self.name,
                  "learning_rate": learning_rate_config(self._learning_rate)}
        config.update((key, getattr(self, key)) for key in _PLAIN_CONFIG_KEYS)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> Any:
        """A fresh optimizer (no state) from ``get_config()``'s dict."""
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = deserialize_keras_object(
                config["learning_rate"], custom_objects=custom_objects)
        return cls(**config)
