"""``InputSpec``: what a layer accepts as its first call argument, checked on every call."""

from __future__ import annotations

from typing import Any

from refkeras import backend, tree
from refkeras.serialization import builtin


@builtin("keras.layers")
class InputSpec:
    """The rank, dtype and shape constraints of one input of a layer.

    Args:
        dtype: the required dtype.
        shape: the required shape (``None`` entries match any size); sets ``ndim``.
        ndim, max_ndim, min_ndim: the required, largest and smallest rank.
        axes: ``{axis: size}`` for individual axes.
        allow_last_axis_squeeze: also accept one more or one fewer trailing axis
            of size 1.
        name: the key of this input when inputs come as a dict.
        optional: whether ``None`` is accepted in place of a tensor.

    >>> spec = InputSpec(ndim=2, axes={-1: 4})
    """

    def __init__(self, dtype: Any = None, shape: Any = None, ndim: int | None = None,
                 max_ndim: int | None = None, min_ndim: int | None = None,
                 axes: dict | None = None, allow_last_axis_squeeze: bool = False,
                 name: str | None = None, optional: bool = False):
        # A full shape fixes the rank; otherwise ``ndim`` (possibly None) does.
        self.shape = None if shape is None else backend.standardize_shape(shape)
        self.ndim = ndim if self.shape is None else len(self.shape)
        self.dtype = None if dtype is None else backend.standardize_dtype(dtype)
        self.min_ndim, self.max_ndim = min_ndim, max_ndim
        self.name, self.optional = name, optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.axes = _integer_keyed(axes)
        if self.axes and (self.ndim is not None or self.max_ndim is not None):
            max_axis_allowed = (self.ndim if self.ndim else self.max_ndim) - 1
            if max(self.axes) > max_axis_allowed:
                raise ValueError(
                    f"Axis {max(self.axes)} is greater than the maximum allowed value: "
                    f"{max_axis_allowed}"
                )

    def __setattr__(self, name: str, value: Any) -> None:
        # A change to any constraint forgets the inputs already found compatible.
        object.__setattr__(self, name, value)
        if name != "_compatible":
            object.__setattr__(self, "_compatible", None)

    def __repr__(self) -> str:
        parts = [f"{key}={value}" for key, value in (
            ("dtype", self.dtype), ("shape", self.shape), ("ndim", self.ndim),
            ("max_ndim", self.max_ndim), ("min_ndim", self.min_ndim), ("axes", self.axes),
        ) if value]
        return f"InputSpec({', '.join(parts)})"

    def get_config(self) -> dict:
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim,
                "max_ndim": self.max_ndim, "min_ndim": self.min_ndim, "axes": self.axes,
                "optional": self.optional}

    @classmethod
    def from_config(cls, config: dict) -> InputSpec:
        return cls(**config)


def _drop_trailing_one(shape: tuple) -> tuple:
    return shape[:-1] if shape and shape[-1] == 1 else shape


def _integer_keyed(axes: dict | None) -> dict:
    """``axes`` with its keys as ints; TypeError when a key is not one."""
    result = {}
    for key, value in (axes or {}).items():
        try:
            result[int(key)] = value
        except (ValueError, TypeError):
            raise TypeError(
                f"Argument `axes` must be a dict with integer keys. Received: axes={axes}"
            ) from None
    return result


def assert_input_compatibility(input_spec: Any, inputs: Any, layer_name: str) -> None:
    """Raises ``ValueError`` when ``inputs`` break the layer's (nest of) ``InputSpec``."""
    if not input_spec:
        return
    if type(input_spec) is InputSpec and not isinstance(inputs, (list, tuple, dict)):
        # The common case, one spec and one tensor: no structure to walk.
        if not (inputs is None and input_spec.optional):
            _check_one(0, inputs, input_spec, layer_name)
        return
    specs = tree.flatten(input_spec)
    if isinstance(inputs, dict):
        names = [spec.name for spec in specs]
        if all(names):
            for name in names:
                if name not in inputs:
                    raise ValueError(
                        f'Missing data for input "{name}". You passed a data dictionary with '
                        f"keys {list(inputs.keys())}. Expected the following keys: {names}"
                    )
            inputs = [inputs[name] for name in names]
    flat = tree.flatten(inputs)
    if len(flat) != len(specs):
        _raise_count_mismatch(specs, flat, layer_name)
    for index, (x, spec) in enumerate(zip(flat, specs)):
        if spec is None or (x is None and spec.optional):
            continue
        _check_one(index, x, spec, layer_name)


def _raise_count_mismatch(specs: list, inputs: list, layer_name: str) -> None:
    names = [spec.name for spec in specs if spec is not None]
    if len(names) == len(specs) and all(names):
        example = ", ".join(f"'{n}': ..." for n in names)
        raise ValueError(
            f'Layer "{layer_name}" expects {len(specs)} named input(s) with keys {names}, '
            f"but it received {len(inputs)} input tensors. Pass inputs as a dict, e.g. "
            f"`layer({{{example}}})`."
        )
    raise ValueError(
        f'Layer "{layer_name}" expects {len(specs)} input(s), but it received {len(inputs)} '
        f"input tensors. Inputs received: {inputs}"
    )


class _Compatible:
    """The input shapes (with dtypes when the spec has one) already found compatible
    with a spec, so each layer call checks a known shape with one lookup. The spec
    drops it when an attribute is set; ``axes`` is compared as well, being a dict
    that can change in place."""

    __slots__ = ("keys", "axes")
    LIMIT = 64  # distinct shapes remembered before starting over

    def __init__(self, axes: dict):
        self.keys: set = set()
        self.axes = dict(axes)


class _Where:
    """The start of an incompatibility message, formatted when an error is raised."""

    __slots__ = ("index", "spec", "layer_name")

    def __init__(self, index: int, spec: InputSpec, layer_name: str):
        self.index, self.spec, self.layer_name = index, spec, layer_name

    def __format__(self, format_spec: str) -> str:
        return (f"Input {self.index} with name '{self.spec.name}' of layer '{self.layer_name}' "
                "is incompatible with the layer:")


def _check_one(index: int, x: Any, spec: InputSpec, layer_name: str) -> None:
    # Runs on every layer call: a shape (and dtype) found compatible before passes
    # with one lookup, messages are only formatted on failure, and a shape that
    # already is a tuple of plain ints is used as is.
    try:
        shape = raw_shape = x.shape
    except AttributeError:
        raise ValueError(
            f"Inputs to a layer should be tensors. Got '{x}' (of type {type(x)}) as input "
            f"for layer '{layer_name}'."
        ) from None
    memo = getattr(spec, "_compatible", None)
    key = raw_shape if spec.dtype is None else (raw_shape, x.dtype)
    try:
        if memo is not None and key in memo.keys and memo.axes == spec.axes:
            return
    except TypeError:  # an unhashable shape or dtype: check it every time
        key = None
    if type(shape) is not tuple or not all(type(dim) is int for dim in shape):
        shape = backend.standardize_shape(shape)
    ndim = len(shape)
    where = _Where(index, spec, layer_name)
    if spec.ndim is not None and not spec.allow_last_axis_squeeze and ndim != spec.ndim:
        raise ValueError(f"{where} expected ndim={spec.ndim}, found ndim={ndim}. "
                         f"Full shape received: {shape}")
    if spec.max_ndim is not None and ndim > spec.max_ndim:
        raise ValueError(f"{where} expected max_ndim={spec.max_ndim}, found ndim={ndim}")
    if spec.min_ndim is not None and ndim < spec.min_ndim:
        raise ValueError(f"{where} expected min_ndim={spec.min_ndim}, found ndim={ndim}. "
                         f"Full shape received: {shape}")
    if spec.dtype is not None:
        dtype = backend.standardize_dtype(x.dtype)
        if dtype != spec.dtype:
            raise ValueError(f"{where} expected dtype={spec.dtype}, found dtype={dtype}")
    for axis, value in spec.axes.items():
        if value is not None and shape[axis] not in {value, None}:
            raise ValueError(f"{where} expected axis {axis} of input shape to have value "
                             f"{value}, but received input with shape {shape}")
    if spec.shape is not None:
        expected, got = spec.shape, shape
        if spec.allow_last_axis_squeeze:  # a trailing 1 on either side is ignored
            expected, got = _drop_trailing_one(expected), _drop_trailing_one(got)
        if any(e is not None and g is not None and e != g for e, g in zip(expected, got)):
            raise ValueError(f"{where} expected shape={spec.shape}, found shape={got}")
    if key is not None:
        if memo is None or len(memo.keys) >= _Compatible.LIMIT or memo.axes != spec.axes:
            memo = spec._compatible = _Compatible(spec.axes)
        memo.keys.add(key)
