"""``RMSprop``: gradients divided by a running root mean square."""

from __future__ import annotations

from typing import Any

from refkeras import ops
from refkeras.optimizers.optimizer import Optimizer
from refkeras.serialization import builtin


@builtin("keras.optimizers")
class RMSprop(Optimizer):
    """RMSprop (Hinton, lecture 6e).

    Slots: ``velocity`` (mean square ``s``); ``momentum`` when ``momentum > 0``;
    ``average_gradient`` (mean ``a``) when ``centered=True``::

        s <- rho * s + (1 - rho) * g**2
        a <- rho * a + (1 - rho) * g                      (centered)
        step = lr * g / sqrt(s - a**2 + epsilon)          (centered; else s + epsilon)
        w <- w - step        or, with momentum:  mom <- momentum * mom + step; w <- w - mom

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        rho: decay of the running averages.
        momentum: momentum factor (0 disables the slot).
        epsilon: added inside the square root.
        centered: normalize by the estimated variance instead of the raw second moment.
        **kwargs: the shared arguments of :class:`Optimizer`.
    """

    def __init__(self, learning_rate: Any = 0.001, rho: Any = 0.9, momentum: Any = 0.0,
                 epsilon: float = 1e-7, centered: bool = False, weight_decay: Any = None,
                 clipnorm: Any = None, clipvalue: Any = None, global_clipnorm: Any = None,
                 use_ema: bool = False, ema_momentum: float = 0.99,
                 ema_overwrite_frequency: int | None = None, loss_scale_factor: Any = None,
                 gradient_accumulation_steps: int | None = None, name: str | None = None,
                 **kwargs: Any):
        super().__init__(
            learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
            clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
            ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.rho, self.momentum, self.epsilon, self.centered = rho, momentum, epsilon, centered

    def build(self, var_list: Any) -> None:
        if self.built:
            return
        super().build(var_list)
        # Slot kinds in creation order (it fixes the order of `variables`); the
        # momentum and average-gradient slots exist only when those options are on.
        wanted = {"velocity": True, "momentum": self.momentum > 0,
                  "average_gradient": self.centered}
        slots = {kind: self.add_optimizer_variables(var_list, kind) if on else []
                 for kind, on in wanted.items()}
        self._velocities = slots["velocity"]
        self._momentums = slots["momentum"]
        self._average_gradients = slots["average_gradient"]

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        lr = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        index = self._get_variable_index(variable)
        velocity = self._velocities[index]
        rho = self.rho

        self.assign(velocity, ops.add(ops.multiply(rho, velocity),
                                      ops.multiply(1 - rho, ops.square(gradient))))
        if self.centered:
            average_grad = self._average_gradients[index]
            self.assign(average_grad, ops.add(ops.multiply(rho, average_grad),
                                              ops.multiply(1 - rho, gradient)))
            denominator = velocity - ops.square(average_grad) + self.epsilon
        else:
            denominator = ops.add(velocity, self.epsilon)
        increment = ops.divide(ops.multiply(lr, gradient), ops.sqrt(denominator))
        if self.momentum > 0:
            momentum = self._momentums[index]
            self.assign(momentum, ops.add(ops.multiply(self.momentum, momentum), increment))
            self.assign_sub(variable, momentum)
        else:
            self.assign_sub(variable, increment)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"rho": self.rho, "momentum": self.momentum, "epsilon": self.epsilon,
                       "centered": self.centered})
        return config
