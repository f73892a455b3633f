"""``Dense``: the fully connected layer, ``activation(inputs @ kernel + bias)``."""

from __future__ import annotations

from typing import Any

from refkeras import activations, constraints, initializers, ops, regularizers
from refkeras.layers.core import lora
from refkeras.layers.input_spec import InputSpec
from refkeras.layers.layer import Layer
from refkeras.serialization import builtin


@builtin("keras.layers")
class Dense(Layer):
    """A fully connected layer: ``activation(inputs @ kernel + bias)``.

    The kernel has shape ``(input_dim, units)``, where ``input_dim`` is the
    size of the inputs' last axis, fixed at the first call. Inputs of rank
    above 2 are contracted over their last axis only, so ``(batch, d0, d1)``
    gives ``(batch, d0, units)``.

    Args:
        units: the size of the output's last axis (a positive int).
        activation: applied to the result (name, function or None for none).
        use_bias: whether to add a bias vector of shape ``(units,)``.
        kernel_initializer, bias_initializer: how the variables start.
        kernel_regularizer, bias_regularizer: penalties on the variables.
        activity_regularizer: a penalty on the outputs.
        kernel_constraint, bias_constraint: projections applied after updates.
        lora_rank: if set, switch on LoRA with this rank when the layer is
            built (see :meth:`enable_lora`).
        lora_alpha: the LoRA scale numerator (see :meth:`enable_lora`).
        quantization_config: must be None; refkeras does not quantize.
        **kwargs: ``Layer`` arguments (``name``, ``dtype``, ``trainable``, ...).

    >>> layer = Dense(4, activation="relu")
    >>> layer(np.ones((2, 3), "float32")).shape  # doctest: +SKIP
    (2, 4)
    """

    def __init__(self, units: int, activation: Any = None, use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, kernel_constraint: Any = None,
                 bias_constraint: Any = None, lora_rank: int | None = None,
                 lora_alpha: float | None = None, quantization_config: Any = None,
                 **kwargs: Any):
        _check_units(units)
        _check_quantization_config(quantization_config)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units, self.use_bias = units, use_bias
        # Resolved in this order on purpose: default-seeded initializers draw their
        # seed from Python's `random` when created, and upstream's draws follow it.
        for attribute, resolve, identifier in (
                ("activation", activations.get, activation),
                ("kernel_initializer", initializers.get, kernel_initializer),
                ("bias_initializer", initializers.get, bias_initializer),
                ("kernel_regularizer", regularizers.get, kernel_regularizer),
                ("bias_regularizer", regularizers.get, bias_regularizer),
                ("kernel_constraint", constraints.get, kernel_constraint),
                ("bias_constraint", constraints.get, bias_constraint)):
            setattr(self, attribute, resolve(identifier))
        self.lora_rank, self.lora_enabled = lora_rank, False
        self.lora_alpha = lora_rank if lora_alpha is None else lora_alpha
        self.quantization_config = quantization_config
        self.supports_masking = True
        self.input_spec = InputSpec(min_ndim=2)  # until build knows the last axis

    def build(self, input_shape: Any) -> None:
        input_dim = input_shape[-1]
        self._kernel = self.add_weight(
            name="kernel", shape=(input_dim, self.units), initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.bias = self.add_weight(
            name="bias", shape=(self.units,), initializer=self.bias_initializer,
            regularizer=self.bias_regularizer, constraint=self.bias_constraint,
        ) if self.use_bias else None
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})
        self.built = True  # enable_lora needs a built layer
        if self.lora_rank:
            # Upstream passes only the rank here, so a constructor `lora_alpha` is reset
            # to the rank at build time; refkeras keeps that observable behaviour.
            self.enable_lora(self.lora_rank)

    @property
    def kernel(self) -> Any:
        """The kernel the layer computes with: the variable, or with LoRA on, a tensor
        ``W + (lora_alpha / lora_rank) * (lora_kernel_a @ lora_kernel_b)``."""
        if not self.built:
            raise AttributeError(
                f"You must build the layer before accessing `kernel`. Layer '{self.name}' "
                "is not built: call it on an input or call `build(input_shape)` first."
            )
        if self.lora_enabled:
            return lora.effective_kernel(self, self.compute_dtype)
        return self._kernel

    def call(self, inputs: Any, training: bool | None = None) -> Any:
        # inputs: (..., input_dim) @ kernel: (input_dim, units) -> (..., units)
        # (Reads the kernel variable directly unless LoRA is on: this is the hot path.)
        kernel = self._kernel if self.built and not self.lora_enabled else self.kernel
        x = ops.matmul(inputs, kernel)
        if self.bias is not None:
            x = ops.add(x, self.bias)
        if self.activation is not None:
            x = self.activation(x)
        return x

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return (*input_shape[:-1], self.units)

    # --- LoRA -----------------------------------------------------------------------
    def enable_lora(self, rank: int, lora_alpha: float | None = None,
                    a_initializer: Any = "he_uniform", b_initializer: Any = "zeros") -> None:
        """Freezes the kernel and trains a low-rank update to it instead.

        Adds trainable float32 variables ``lora_kernel_a`` ``(input_dim, rank)``
        and ``lora_kernel_b`` ``(rank, units)``; the layer then computes with
        ``kernel + (lora_alpha / rank) * (lora_kernel_a @ lora_kernel_b)``.
        ``b_initializer`` defaults to zeros, so outputs do not change at first.

        Args:
            rank: the inner size of the two factors.
            lora_alpha: scale numerator; defaults to ``rank`` (a scale of 1).
            a_initializer, b_initializer: how the factors start.

        Raises:
            ValueError: the layer has a ``kernel_constraint``, is not built, or
                already has LoRA enabled.
        """
        lora.check_can_enable(self)
        lora.add_factors(self, rank, lora_alpha, a_initializer, b_initializer)

    def merge_lora(self) -> None:
        """Folds the LoRA update into the kernel and removes the factors.

        A refkeras extension (upstream merges only when saving). Afterwards the
        kernel holds ``kernel + (lora_alpha / lora_rank) * (A @ B)``, is
        trainable again, ``lora_kernel_a``/``lora_kernel_b`` are gone from the
        layer's weights and config, and ``enable_lora`` may be called again.
        Rebuild any optimizer that tracked the removed factors.

        Raises:
            ValueError: LoRA is not enabled.
        """
        lora.merge(self)

    # --- saving -----------------------------------------------------------------------
    def save_own_variables(self, store: Any) -> None:
        """Writes ``"0"``: the kernel (with any LoRA update merged in), ``"1"``: the bias."""
        if not self.built:
            return
        store["0"] = self.kernel
        if self.bias is not None:
            store["1"] = self.bias

    def load_own_variables(self, store: Any) -> None:
        """Reads what ``save_own_variables`` wrote. With LoRA on, the stored kernel
        already includes the update, so the factors are reset to zero."""
        if not self.lora_enabled:
            super().load_own_variables(store)
            return
        self._kernel.assign(store["0"])
        if self.bias is not None:
            self.bias.assign(store["1"])
        lora.zero_factors(self)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            units=self.units,
            activation=activations.serialize(self.activation),
            use_bias=self.use_bias,
            kernel_initializer=initializers.serialize(self.kernel_initializer),
            bias_initializer=initializers.serialize(self.bias_initializer),
            kernel_regularizer=regularizers.serialize(self.kernel_regularizer),
            bias_regularizer=regularizers.serialize(self.bias_regularizer),
            kernel_constraint=constraints.serialize(self.kernel_constraint),
            bias_constraint=constraints.serialize(self.bias_constraint),
            quantization_config=None,  # the only value refkeras accepts
        )
        if self.lora_rank:
            config.update(lora_rank=self.lora_rank, lora_alpha=self.lora_alpha)
        return config


def _check_units(units: Any) -> None:
    # bool passes, as upstream's `isinstance(units, int)` lets it through.
    if not isinstance(units, int) or units <= 0:
        raise ValueError(
            "Received an invalid value for `units`, expected a positive integer. "
            f"Received: units={units} (of type {type(units).__name__}). "
            "Pass a Python int such as `units=32`."
        )


def _check_quantization_config(config: Any) -> None:
    if config is not None:
        raise NotImplementedError(
            "refkeras does not implement quantization, so `quantization_config` must be "
            f"None. Received: quantization_config={config!r} (of type "
            f"{type(config).__name__}). Remove the argument to get a float Dense layer."
        )
