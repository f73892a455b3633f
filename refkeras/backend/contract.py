"""The backend contract: what ``backend/jax`` and ``backend/tensorflow`` each provide.

Everything above ``refkeras.backend`` talks to tensors only through these
names, re-exported by ``refkeras.backend``. Adding a backend means providing
a package with every name below; ``tests/backend/test_contract.py`` checks it.

Storage and conversion (``core.py``)
    NAME                        "jax" or "tensorflow".
    SUPPORTS_SPARSE_TENSORS, SUPPORTS_RAGGED_TENSORS
                                what ``Input(sparse=..., ragged=...)`` may ask for.
    Variable                    subclass of ``variable.VariableBase`` holding a native value.
    is_tensor(x)                True for the backend's native tensors.
    convert_to_tensor(x, dtype=None, sparse=None)
    convert_to_numpy(x)
    cast(x, dtype)
    shape(x)                    static shape tuple, None for unknown dims.
    dim_size(x, axis)           one dimension: an int, or a scalar tensor when only known
                                at run time (inside a TensorFlow graph).
    compute_output_spec(fn, *args, **kwargs)
                                traces ``fn`` with each ``symbolic.SymbolicTensor`` leaf
                                replaced by a placeholder; returns ``ShapeDtype`` leaves.

Numeric kernels (``numeric.py``)
    One function per name in :data:`NUMERIC_OPS`, with NumPy-like signatures,
    taking and returning native tensors. ``refkeras.ops`` adds symbolic
    dispatch and shape inference on top.
"""

from __future__ import annotations

from types import ModuleType

CORE = (
    "NAME", "SUPPORTS_SPARSE_TENSORS", "SUPPORTS_RAGGED_TENSORS", "Variable", "is_tensor", "convert_to_tensor", "convert_to_numpy", "cast", "shape",
    "dim_size", "compute_output_spec",
)

NUMERIC_OPS: tuple[str, ...] = (
    "add", "subtract", "multiply", "divide", "true_divide", "negative", "power", "floor_divide",
    "mod", "matmul", "dot", "relu", "sigmoid", "tanh", "softmax", "log_softmax", "exp", "log",
    "sqrt", "square", "abs", "absolute", "round", "clip", "sum", "mean", "max", "min", "argmax",
    "reshape", "transpose", "expand_dims", "squeeze", "concatenate", "stack", "zeros", "ones",
    "eye", "zeros_like", "ones_like", "where", "equal", "not_equal", "less", "less_equal",
    "greater", "greater_equal", "logical_and", "logical_or", "logical_not", "logical_xor",
)


# Random kernels (``random.py``): stateless draws from a native 2-element seed tensor of
# dtype ``RANDOM_SEED_DTYPE``; ``refkeras.random`` turns int/None/SeedGenerator seeds into it
# with ``seed_from_int(s)`` (the pair ``[s, 0]``) and ``advance_seed_state(state, ordered)``
# (``(copy of state, next state)``: ``+ [0, 1]`` when ordered, else the global generator's
# ``(state + 1) * 5387 % 933199``, wrapping in the seed dtype).
RANDOM_OPS: tuple[str, ...] = (
    "RANDOM_SEED_DTYPE", "random_normal", "random_uniform", "random_truncated_normal",
    "random_randint", "random_dropout", "random_shuffle", "seed_framework_rng",
    "in_tracing_scope", "advance_seed_state", "seed_from_int",
)

# Linear algebra kernels (``linalg.py``).
LINALG_OPS: tuple[str, ...] = ("qr",)


# Activation kernels (``nn.py``), beyond the numeric ones above.
NN_OPS: tuple[str, ...] = (
    "relu6", "leaky_relu", "elu", "selu", "gelu", "celu", "glu", "silu", "hard_sigmoid",
    "hard_silu", "softplus", "softsign", "soft_shrink", "sparse_plus", "squareplus",
    "log_sigmoid", "tanh_shrink", "hard_tanh", "hard_shrink", "threshold", "sparse_sigmoid",
    "sparsemax",
)


# Optimizer and schedule kernels (``optimizer_numeric.py``); the ``opt_`` prefix keeps them
# apart from general-purpose kernels of the same meaning added elsewhere.
OPTIMIZER_OPS: tuple[str, ...] = (
    "opt_floor", "opt_cos", "opt_isfinite", "opt_all", "opt_cond",
)


# Kernels for losses and metrics (``extra_numeric.py``).
EXTRA_OPS: tuple[str, ...] = (
    "maximum", "minimum", "divide_no_nan", "broadcast_to", "ceil", "tile", "flip", "cumsum",
    "segment_sum", "one_hot", "top_k", "in_top_k", "binary_crossentropy",
    "categorical_crossentropy", "sparse_categorical_crossentropy",
)


# How training steps run (``trainer_steps.py``, imported as ``refkeras.backend.trainer_steps``).
# ``train_step``/``test_step``/``predict_step`` are the defaults behind Model's methods
# (JAX: ``(model, state, data) -> (logs, state)``; TensorFlow: ``(model, data) -> logs``);
# ``StepFunction(model, kind)`` is called with a list of batches and returns the last
# step's logs (or the concatenated predictions), ``sync()`` writes held state back.
TRAINER_STEPS: tuple[str, ...] = (
    "EMPTY_LOSS_IS_ERROR", "unobserved_steps_per_call", "auto_jit_compile", "backend_supports_jit", "train_step",
    "test_step", "predict_step", "StepFunction", "to_numpy",
)


def missing_trainer_names(module: ModuleType) -> list[str]:
    """Names of :data:`TRAINER_STEPS` that ``module`` does not define."""
    return [name for name in TRAINER_STEPS if not hasattr(module, name)]


def missing_names(module: ModuleType) -> list[str]:
    """Names of the contract that ``module`` does not define."""
    names = CORE + NUMERIC_OPS + RANDOM_OPS + LINALG_OPS + NN_OPS + OPTIMIZER_OPS + EXTRA_OPS
    return [name for name in names if not hasattr(module, name)]
