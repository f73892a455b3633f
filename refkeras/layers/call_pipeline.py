"""``Layer.__call__``, step by step.

1. Convert array arguments to tensors, casting floats to the compute dtype.
2. Refuse non-tensors passed positionally.
3. Check the first argument against ``input_spec``.
4. Build the layer on its first call.
5. Resolve ``training`` (explicit > outer call > signature default).
6. Fill ``mask`` arguments from the masks attached to the inputs.
7. Run ``call`` (or infer symbolic outputs) in the layer's name and autocast
   scopes; record activity losses and output masks; for symbolic calls,
   record a Node in the graph.

The common eager case (one positional backend tensor, or one array converted
to one, for a built layer) skips binding the signature: with the tensor as the
first argument and every other one at its default, each step's outcome is
known from the signature alone (``_OneTensorPlan``).
"""

from __future__ import annotations

import functools
import inspect
import warnings
from typing import Any, NamedTuple

from refkeras import backend, tree
from refkeras.backend.dtypes import is_float_dtype, standardize_dtype
from refkeras.backend.scopes import AutocastScope, get_autocast_scope
from refkeras.graph.keras_tensor import KerasTensor
from refkeras.graph.node import Node
from refkeras.layers import call_context, losses, masking
from refkeras.layers.build import is_default, maybe_build, open_name_scope
from refkeras.layers.call_spec import CallSpec, SignatureFacts, is_tensor_or_symbolic


def call_layer(layer: Any, args: tuple, kwargs: dict) -> Any:
    """Runs the whole pipeline for ``layer(*args, **kwargs)``."""
    layer._check_super_called()
    if not layer._called:
        object.__setattr__(layer, "_called", True)
    original_args, original_kwargs = args, kwargs

    # 1. Conversion (skipped for one tensor already in the compute dtype).
    if not kwargs and len(args) == 1 and not tree.is_nested(args[0]):
        x = args[0]
        if layer._convert_input_args and not _ready(x, layer.input_dtype):
            x = _converter(layer)(x)  # one leaf: what map_structure would give
            kwargs = {}  # a new (empty) dict, as map_structure would give
        if layer.built and backend.is_tensor(x):
            context_args = layer._call_context_args
            plan = _one_tensor_plan(layer._call_facts, context_args) if type(
                context_args) is tuple else None
            if plan is not None:
                return _call_on_one_tensor(layer, x, plan)
        args = (x,)
    elif layer._convert_input_args and (
            kwargs or len(args) != 1 or not _ready(args[0], layer.input_dtype)):
        convert = _converter(layer)
        args = tree.map_structure(convert, args)
        kwargs = tree.map_structure(convert, kwargs)

    # 2. Only tensors positionally.
    if not layer._allow_non_tensor_positional_args:
        _check_positional(args)

    spec = CallSpec(layer._call_facts, layer._call_context_args, args, kwargs)

    # 3. and 4.
    if layer._input_spec:
        layer._check_input_spec(spec.first_arg)
    if not layer.built:
        with open_name_scope(layer):
            maybe_build(layer, spec)

    context, token = call_context.enter(layer)
    try:
        if token is not None:  # outermost call: losses start afresh
            losses.clear_losses(layer)
        _resolve_context_args(layer, spec, context, kwargs)  # 5.
        previous_mask = _fill_masks(layer, spec, kwargs)  # 6.
        outputs = _run(layer, spec.symbolic, args, kwargs)  # 7.
        if previous_mask is not None or not is_default(layer.compute_mask):
            _propagate_masks(layer, spec.first_arg, outputs, previous_mask)
    finally:
        call_context.leave(token)

    if spec.symbolic:
        Node(layer, call_args=original_args, call_kwargs=original_kwargs, outputs=outputs)
    return outputs


class _OneTensorPlan(NamedTuple):
    """How a ``call()`` signature takes a lone positional tensor: the context
    arguments as ``(name, default, taken)`` and whether ``mask`` is filled in."""

    context: tuple
    fills_mask: bool


@functools.cache
def _one_tensor_plan(facts: SignatureFacts, context_args: tuple) -> _OneTensorPlan | None:
    """The plan for calls binding one tensor to the first parameter of ``call()``,
    None when such calls need the general steps: a signature that is not made of
    ordinary parameters, other required parameters, defaults holding tensors or
    nests (they would count as tensor arguments), or a context or ``mask`` first
    parameter."""
    names, defaults = facts.names, facts.defaults
    if not facts.simple or not names or names[0] in context_args or names[0] == "mask":
        return None
    if "mask" in context_args:
        return None
    for default in defaults[1:]:
        if default is inspect.Parameter.empty or is_tensor_or_symbolic(default) or (
                isinstance(default, (list, tuple, dict)) and len(default) > 0):
            return None
    default_of = dict(zip(names, defaults))
    context = tuple((name, default_of.get(name), name in default_of) for name in context_args)
    return _OneTensorPlan(context, "mask" in default_of and default_of["mask"] is None)


def _call_on_one_tensor(layer: Any, x: Any, plan: _OneTensorPlan) -> Any:
    """Steps 3 and 5-7 for an eager call of a built layer on one (converted) backend
    tensor. The same outcome as the general steps, without binding the signature:
    the tensor is the first argument and every other one takes its default."""
    if layer._input_spec:
        layer._check_input_spec(x)
    context, token = call_context.enter(layer)
    try:
        if token is not None:  # outermost call: losses start afresh
            losses.clear_losses(layer)
        kwargs = {}
        shared = context.values
        for name, default, taken in plan.context:  # as _resolve_context_args
            value = shared.get(name)
            if value is None:
                value = default
            shared[name] = value
            if value is not None and taken:
                kwargs[name] = value
        previous_mask = masking.get_keras_mask(x)  # as _fill_masks
        if plan.fills_mask:
            kwargs["mask"] = previous_mask
        outputs = _run(layer, False, (x,), kwargs)
        if previous_mask is not None or not is_default(layer.compute_mask):
            _propagate_masks(layer, x, outputs, previous_mask)
    finally:
        call_context.leave(token)
    return outputs


def _ready(x: Any, dtype: str) -> bool:
    if not (backend.is_tensor(x) or isinstance(x, KerasTensor)):
        return False
    return standardize_dtype(x.dtype) == dtype


def _converter(layer: Any) -> Any:
    policy, autocast, dtype = layer._dtype_policy, layer.autocast, layer.input_dtype

    def convert(x: Any) -> Any:
        mask = masking.get_keras_mask(x)
        y = policy.convert_input(x, autocast, dtype)
        if mask is not None and y is not x:
            masking.set_keras_mask(y, mask)  # the converted tensor keeps the input's mask
        return y

    return convert


def _check_positional(args: tuple) -> None:
    for arg in args:
        if not is_tensor_or_symbolic(arg, allow_none=True):
            for leaf in tree.flatten(arg):
                if not is_tensor_or_symbolic(leaf, allow_none=True):
                    raise ValueError(
                        "Only input tensors may be passed as positional arguments. The "
                        f"following argument value should be passed as a keyword argument: "
                        f"{leaf} (of type {type(leaf)})"
                    )


def _resolve_context_args(layer: Any, spec: CallSpec, context: Any, kwargs: dict) -> None:
    """``training`` and the like: explicit value, else the outer calls' value, else the
    ``call()`` default. The value is left in the context for the calls that follow."""
    takes = layer._call_facts.name_set
    shared = context.values
    for name in layer._call_context_args:
        if name in spec.user_arguments:
            value = spec.user_arguments[name]
        elif shared.get(name) is not None:
            value = shared[name]
        else:
            value = spec.arguments.get(name)
        shared[name] = value
        if value is not None and name in takes:
            kwargs[name] = value


def _fill_masks(layer: Any, spec: CallSpec, kwargs: dict) -> Any:
    """Passes input masks to ``mask``/``<arg>_mask`` parameters left None; returns the
    mask the outputs inherit."""
    tensors = spec.tensor_arguments
    takes = layer._call_facts.name_set
    if len(tensors) == 1:
        if "mask" in takes and spec.arguments["mask"] is None:
            kwargs["mask"] = masking.masks_of(next(iter(tensors.values())))
    elif len(tensors) > 1:
        for name, value in tensors.items():
            mask_name = f"{name}_mask"
            if mask_name in takes and spec.arguments[mask_name] is None:
                kwargs[mask_name] = masking.masks_of(value)
    mask = kwargs.get("mask")
    if mask is not None:
        return mask
    return masking.masks_of(spec.first_arg)


def _autocast_scope(layer: Any) -> AutocastScope | None:
    """The autocast scope the call needs, None when the current one will do."""
    compute = layer.compute_dtype
    current = get_autocast_scope()
    if current is not None:
        if not layer.autocast or not is_float_dtype(compute):
            return AutocastScope(None)
        if current.dtype != compute:
            return AutocastScope(compute)
        return None
    if compute != layer.variable_dtype:  # a mixed policy: variables read as compute dtype
        return AutocastScope(compute)
    return None


def _run(layer: Any, symbolic: bool, args: tuple, kwargs: dict) -> Any:
    with open_name_scope(layer):
        scope = _autocast_scope(layer)
        if scope is None:
            outputs = _invoke(layer, symbolic, args, kwargs)
        else:
            with scope:
                outputs = _invoke(layer, symbolic, args, kwargs)
        if not layer.built:
            layer.built = True
        if layer.activity_regularizer is not None:
            for penalty in losses.activity_penalties(layer.activity_regularizer, outputs):
                layer.add_loss(penalty)
    return outputs


def _invoke(layer: Any, symbolic: bool, args: tuple, kwargs: dict) -> Any:
    if symbolic:
        return layer.compute_output_spec(*args, **kwargs)
    return layer.call(*args, **kwargs)


def _propagate_masks(layer: Any, inputs: Any, outputs: Any, previous_mask: Any) -> None:
    if layer.supports_masking:
        masking.attach_output_masks(layer, inputs, outputs, previous_mask)
    elif masking.any_mask(previous_mask):
        warnings.warn(
            f"Layer '{layer.name}' (of type {type(layer).__name__}) was passed an input with "
            "a mask attached to it. However, this layer does not support masking and will "
            "therefore destroy the mask information. Downstream layers will not see the mask.",
            stacklevel=3,
        )
