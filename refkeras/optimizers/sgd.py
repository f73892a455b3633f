"""``SGD``: gradient descent, optionally with (Nesterov) momentum."""

from __future__ import annotations

from typing import Any

from refkeras import ops
from refkeras.optimizers.optimizer import Optimizer
from refkeras.serialization import builtin


@builtin("keras.optimizers")
class SGD(Optimizer):
    """Stochastic gradient descent.

    Without momentum: ``w <- w - lr * g``. With ``momentum > 0`` a velocity
    slot ``m`` is kept: ``m <- momentum * m - lr * g``, then ``w <- w + m``, or
    with ``nesterov=True``, ``w <- w + momentum * m - lr * g`` (using the new ``m``).

    Args:
        learning_rate: float, schedule or callable (default 0.01).
        momentum: a Python float in [0, 1].
        nesterov: whether to use Nesterov momentum.
        **kwargs: the shared arguments of :class:`Optimizer`.

    >>> opt = SGD(learning_rate=0.1, momentum=0.9)  # doctest: +SKIP
    >>> opt.apply_gradients([(grad, variable)])     # doctest: +SKIP
    """

    def __init__(self, learning_rate: Any = 0.01, momentum: float = 0.0, nesterov: bool = False,
                 weight_decay: Any = None, clipnorm: Any = None, clipvalue: Any = None,
                 global_clipnorm: Any = None, use_ema: bool = False, ema_momentum: float = 0.99,
                 ema_overwrite_frequency: int | None = None, loss_scale_factor: Any = None,
                 gradient_accumulation_steps: int | None = None, name: str | None = None,
                 **kwargs: Any):
        super().__init__(
            learning_rate=learning_rate, name=name, weight_decay=weight_decay,
            clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
            use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, **kwargs)
        if not isinstance(momentum, float) or momentum < 0 or momentum > 1:
            raise ValueError(
                "`momentum` must be a float between [0, 1]. "
                f"Received: momentum={momentum!r} of type {type(momentum).__name__}."
            )
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, variables: Any) -> None:
        if self.built:
            return
        super().build(variables)
        self.momentums = []
        if self.momentum != 0:
            self.momentums = self.add_optimizer_variables(variables, "momentum")

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        learning_rate = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        if self.momentum == 0:
            self.assign_sub(variable, ops.multiply(gradient, learning_rate))
            return
        m = self.momentums[self._get_variable_index(variable)]
        momentum = ops.cast(self.momentum, variable.dtype)
        self.assign(m, ops.subtract(ops.multiply(m, momentum),
                                    ops.multiply(gradient, learning_rate)))
        if self.nesterov:
            # The look-ahead step, written out rather than reusing `m`'s new value.
            self.assign_add(variable, ops.subtract(ops.multiply(m, momentum),
                                                   ops.multiply(gradient, learning_rate)))
        else:
            self.assign_add(variable, m)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config
