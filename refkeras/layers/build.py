"""Building: creating a layer's state from the shapes of its first inputs.

Every ``build`` a Layer subclass defines is wrapped once, when the class is
created (``wrap_build``). Whoever calls it (``__call__``, ``build_from_config``
or the user), the outermost call then runs inside the layer's name scope,
records the shapes it was given (for ``get_build_config``), marks the layer
built and locks its state. Calls up the ``super().build(...)`` chain run
unwrapped, so state may still be added after them.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from typing import Any

from refkeras import backend, tree
from refkeras.backend.scopes import current_path, name_scope
from refkeras.layers.call_spec import CallSpec

_DEFAULT_MARK = "__refkeras_default_method__"
_WRAPPED_MARK = "__refkeras_build_wrapper__"
_TARGET_KINDS = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.POSITIONAL_ONLY,
                 inspect.Parameter.KEYWORD_ONLY)


def default_method(method: Any) -> Any:
    """Marks a Layer method as the base implementation, which subclasses may replace."""
    setattr(method, _DEFAULT_MARK, True)
    return method


def is_default(method: Any) -> bool:
    """True when ``method`` is a base implementation marked by ``default_method``."""
    return getattr(method, _DEFAULT_MARK, False)


def open_name_scope(layer: Any) -> name_scope:
    """The layer's name scope; the first opening fixes where the layer lives."""
    if layer._parent_path is None:
        layer._parent_path = current_path()
    return name_scope(layer.name, caller=layer)


def wrap_build(cls: type) -> None:
    """Wraps the ``build`` defined in ``cls``'s own body (once per class)."""
    build = cls.__dict__.get("build")
    if build is not None and callable(build) and not getattr(build, _WRAPPED_MARK, False):
        cls.build = recording_build(build)


def recording_build(build: Any) -> Any:
    """``build`` wrapped to run in the name scope, record its shapes, mark the layer
    built and lock its state (only the outermost of nested build calls does this)."""
    signature = inspect.signature(build)

    @functools.wraps(build)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> None:
        if self.__dict__.get("_in_build"):
            return build(self, *args, **kwargs)  # a super().build(...) inside a build
        object.__setattr__(self, "_in_build", True)
        try:
            with open_name_scope(self):
                self._path = current_path()
                build(self, *args, **kwargs)
        finally:
            object.__setattr__(self, "_in_build", False)
        arguments = signature.bind(self, *args, **kwargs).arguments
        arguments.pop(next(iter(signature.parameters)))  # ``self``
        self._build_shapes_dict = dict(arguments)
        self.built = True
        self._lock_state()

    setattr(wrapper, _WRAPPED_MARK, True)
    return wrapper


def lock_state(layer: Any) -> None:
    """After this, adding a new variable or sub-layer to ``layer`` raises ``ValueError``."""
    if not layer._tracker.locked:
        layer._tracker.lock()


def shapes_dict(spec: CallSpec) -> dict[str, Any]:
    """``{"<arg>_shape": shape}`` for each tensor argument of a call (masks and
    catch-all ``*args``/``**kwargs`` excluded)."""
    shapes = {}
    for name, value in spec.tensor_arguments.items():
        if name in ("mask", "args", "kwargs"):
            continue
        if name in spec.nested_tensor_names:
            shapes[f"{name}_shape"] = tree.map_structure(_shape_or_none, value)
        else:
            shapes[f"{name}_shape"] = _shape_or_none(value)
    return shapes


def _shape_or_none(x: Any) -> Any:
    return None if x is None else backend.standardize_shape(x.shape)


@functools.cache
def _target_names(fn: Any) -> tuple[str, ...]:
    params = list(inspect.signature(fn).parameters.values())[1:]  # drop ``self``
    return tuple(p.name for p in params if p.kind in _TARGET_KINDS)


def shapes_for(target: Any, shapes: dict, spec: CallSpec, class_name: str) -> dict:
    """Matches call shapes to the parameters of ``build`` or ``compute_output_shape``.

    A one-parameter target gets the first shape whatever its name; otherwise
    each parameter must be ``<call argument>_shape``.
    """
    function = getattr(target, "__func__", target)
    names = _target_names(function)
    if len(names) == 1:
        return {names[0]: next(iter(shapes.values()), None)}
    method = function.__name__
    matched = {}
    for name in names:
        preamble = (
            f"For a `{method}()` method with more than one argument, all arguments should "
            f"have a `_shape` suffix and match an argument from `call()`. E.g. "
            f"`{method}(self, foo_shape, bar_shape)` "
        )
        if not name.endswith("_shape"):
            raise ValueError(
                f"{preamble} For layer '{class_name}', Received `{method}()` argument "
                f"`{name}`, which does not end in `_shape`."
            )
        call_arg = name[: -len("_shape")]
        if call_arg not in spec.arguments:
            raise ValueError(
                f"{preamble} For layer '{class_name}', received `{method}()` argument "
                f"`{name}`, but `call()` does not have argument `{call_arg}`."
            )
        if name in shapes:
            matched[name] = shapes[name]
    return matched


def has_unbuilt_sublayers(layer: Any) -> bool:
    return any(not sub.built for sub in layer._layers)


def maybe_build(layer: Any, spec: CallSpec) -> None:
    """Builds ``layer`` for the call ``spec`` describes, unless it is built."""
    shapes = shapes_dict(spec)
    if not is_default(layer.build):
        layer.build(**shapes_for(layer.build, shapes, spec, type(layer).__name__))
        layer._check_input_spec(spec.first_arg)  # build() may have set an input_spec
        return
    if has_unbuilt_sublayers(layer):
        # No build(): let a symbolic run of call() build the sub-layers.
        try:
            backend.compute_output_spec(layer.call, **spec.arguments)
        except Exception as e:
            if spec.eager:
                return  # the eager call about to run will create the state
            warnings.warn(
                f"Layer '{layer.name}' looks like it has unbuilt state, but Keras is not able "
                "to trace the layer `call()` in order to build it automatically. Possible "
                "causes:\n1. The `call()` method of your layer may be crashing. Try to "
                "`__call__()` the layer eagerly on some test input first to see if it works. "
                "E.g. `x = np.random.random((3, 4)); y = layer(x)`\n2. If the `call()` "
                "method is correct, then you may need to implement the "
                "`def build(self, input_shape)` method on your layer. It should create all "
                "variables used by the layer (e.g. by calling `layer.build()` on all its "
                f"children layers).\nException encountered: ''{e}''",
                stacklevel=3,
            )
    layer.build(next(iter(shapes.values()), None))


def warn_default_build(layer: Any) -> None:
    """The base ``build()``'s warning when it marks a layer with unbuilt state as built."""
    if has_unbuilt_sublayers(layer):
        warnings.warn(
            f"`build()` was called on layer '{layer.name}', however the layer does not have "
            "a `build()` method implemented and it looks like it has unbuilt state. This "
            "will cause the layer to be marked as built, despite not being actually built, "
            "which may cause failures down the line. Make sure to implement a proper "
            "`build()` method.",
            stacklevel=3,
        )


def get_build_config(layer: Any) -> dict | None:
    """``{"input_shape": s}`` for a one-argument build, ``{"shapes_dict": {...}}`` otherwise."""
    recorded = layer._build_shapes_dict
    if recorded is None:
        return None
    if len(recorded) == 1:
        return {"input_shape": next(iter(recorded.values()))}
    return {"shapes_dict": recorded}


def build_from_config(layer: Any, config: dict | None) -> None:
    if not config:
        return
    if "input_shape" in config:
        layer.build(config["input_shape"])
    elif "shapes_dict" in config:
        layer.build(**config["shapes_dict"])
