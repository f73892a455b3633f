"""LoRA (low-rank adaptation) for ``Dense``: the state it adds and the kernel it implies.

With LoRA on, a Dense layer's kernel ``W`` (shape ``(input_dim, units)``) is
frozen and the layer trains two small factors instead,
``A: (input_dim, rank)`` and ``B: (rank, units)``. The layer computes with

    W + (alpha / rank) * (A @ B)

``A`` starts random and ``B`` at zero, so switching LoRA on does not change
the layer's outputs. The functions here read and write the layer's public
attributes ``lora_enabled``, ``lora_rank``, ``lora_alpha``, ``lora_kernel_a``
and ``lora_kernel_b`` (upstream's names, which users rely on).
"""

from __future__ import annotations

from typing import Any

from refkeras import initializers, ops


def check_can_enable(layer: Any) -> None:
    """Raises ``ValueError`` when LoRA cannot be switched on (upstream's order of checks)."""
    if layer.kernel_constraint:
        # A constraint would project W + delta, not the factors; upstream refuses.
        raise ValueError(
            "Lora is incompatible with kernel constraints. In order to enable lora on this "
            f"layer, remove the `kernel_constraint` argument. Received: kernel_constraint="
            f"{layer.kernel_constraint!r} on layer '{layer.name}'."
        )
    if not layer.built:
        raise ValueError(
            f"Cannot enable lora on a layer that isn't yet built. Layer '{layer.name}' has no "
            "kernel yet: call `layer.build(input_shape)` (or call the layer once) first."
        )
    if layer.lora_enabled:
        raise ValueError(
            f"lora is already enabled. This can only be done once per layer. Layer "
            f"'{layer.name}' already has rank {layer.lora_rank}; call `merge_lora()` first "
            "to fold it into the kernel and start a new adaptation."
        )


def add_factors(layer: Any, rank: int, lora_alpha: float | None, a_initializer: Any,
                b_initializer: Any) -> None:
    """Creates the trainable factors ``A`` and ``B`` and freezes the kernel."""
    input_dim, units = layer._kernel.shape
    tracker = layer._tracker
    was_locked = tracker.locked
    tracker.unlock()  # a built layer's state is locked; LoRA adds to it on purpose
    try:
        # Kept in float32 whatever the layer's policy: small updates to low-precision
        # factors would underflow.
        layer.lora_kernel_a = layer.add_weight(
            name="lora_kernel_a", shape=(input_dim, rank),
            initializer=initializers.get(a_initializer), dtype="float32",
            regularizer=layer.kernel_regularizer)
        layer.lora_kernel_b = layer.add_weight(
            name="lora_kernel_b", shape=(rank, units),
            initializer=initializers.get(b_initializer), dtype="float32",
            regularizer=layer.kernel_regularizer)
    finally:
        if was_locked:
            tracker.lock()
    layer._kernel.trainable = False
    layer.lora_enabled = True
    layer.lora_rank = rank
    layer.lora_alpha = lora_alpha if lora_alpha is not None else rank


def effective_kernel(layer: Any, dtype: str) -> Any:
    """``W + (alpha / rank) * (A @ B)`` as a tensor of ``dtype``."""
    # Same order of operations as upstream (product, scale, sum, cast): equal bits.
    delta = ops.multiply(layer.lora_alpha / layer.lora_rank,
                         ops.matmul(layer.lora_kernel_a, layer.lora_kernel_b))
    return ops.cast(ops.add(layer._kernel, delta), dtype)


def zero_factors(layer: Any) -> None:
    """Resets ``A`` and ``B`` to zero (after loading a kernel that already holds the delta)."""
    for factor in (layer.lora_kernel_a, layer.lora_kernel_b):
        factor.assign(ops.zeros(factor.shape, dtype=factor.dtype))


def merge(layer: Any) -> None:
    """Folds the LoRA delta into the kernel, removes the factors and unfreezes the kernel."""
    if not layer.lora_enabled:
        raise ValueError(
            f"LoRA is not enabled on layer '{layer.name}', so there is nothing to merge. "
            "Call `enable_lora(rank)` (or pass `lora_rank=` to the constructor) first."
        )
    kernel = layer._kernel
    kernel.assign(effective_kernel(layer, kernel.dtype))
    # Deleting the attributes also drops the factors from the layer's weight lists.
    del layer.lora_kernel_a
    del layer.lora_kernel_b
    kernel.trainable = layer.trainable
    layer.lora_enabled = False
    layer.lora_rank = None
    layer.lora_alpha = None
