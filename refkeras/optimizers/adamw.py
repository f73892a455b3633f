"""``AdamW``: Adam with decoupled weight decay on by default."""

from __future__ import annotations

from typing import Any

from refkeras.optimizers.adam import Adam
from refkeras.serialization import builtin


@builtin("keras.optimizers")
class AdamW(Adam):
    """Adam whose variables also shrink by ``weight_decay * lr * w`` before each step
    (Loshchilov & Hutter, 2019); ``weight_decay`` (default 0.004) is required.

    Use ``exclude_from_weight_decay`` to spare, say, biases and norms.
    """

    def __init__(self, learning_rate: Any = 0.001, weight_decay: Any = 0.004,
                 beta_1: Any = 0.9, beta_2: Any = 0.999, epsilon: float = 1e-7,
                 amsgrad: bool = False, clipnorm: Any = None, clipvalue: Any = None,
                 global_clipnorm: Any = None, use_ema: bool = False, ema_momentum: float = 0.99,
                 ema_overwrite_frequency: int | None = None, loss_scale_factor: Any = None,
                 gradient_accumulation_steps: int | None = None, name: str | None = None,
                 **kwargs: Any):
        super().__init__(
            learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
            amsgrad=amsgrad, name=name, weight_decay=weight_decay, clipnorm=clipnorm,
            clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
            ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, **kwargs)
        if self.weight_decay is None:
            raise ValueError(
                "Argument `weight_decay` must be a float. Received: weight_decay=None; "
                "use `Adam` for no weight decay."
            )
