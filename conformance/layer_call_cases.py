"""Behaviour cases for building and calling layers, losses, stateless calls, InputSpec and
Input, run against either library (see ``conformance/layer_cases.py``)."""

from __future__ import annotations

import warnings

import numpy as np

from conformance.graph_case import raises
from conformance.layer_cases import X, kit, layers

# --- building ----------------------------------------------------------------------------


def build_signatures(lib):
    base = layers(lib).Layer

    class Two(base):
        def build(self, a_shape, b_shape):
            self.w = self.add_weight(shape=(a_shape[-1],), name="w")

        def call(self, a, b=None):
            return a + b

    class Nested(base):
        def build(self, input_shape):
            self.seen = input_shape

        def call(self, pair):
            return pair[0]

    two = Two(name="two")
    two(X, b=X)
    nested = Nested(name="nested")
    nested([X, X[:, :2]])
    rebuilt = Two(name="two2")
    rebuilt.build_from_config(two.get_build_config())
    return (two.get_build_config(), nested.get_build_config(), nested.seen, rebuilt.built,
            rebuilt.w.shape, Two(name="two3").get_build_config())


@raises(ValueError, "all arguments should have a `_shape` suffix and match an argument")
def build_bad_suffix(lib):
    class Bad(layers(lib).Layer):
        def build(self, a_shape, c):
            pass

        def call(self, a, b):
            return a

    Bad(name="bad")(X, X)


@raises(ValueError, "all arguments should have a `_shape` suffix and match an argument")
def build_unknown_argument(lib):
    class Bad(layers(lib).Layer):
        def build(self, a_shape, c_shape):
            pass

        def call(self, a, b):
            return a

    Bad(name="bad2")(X, X)


def build_chain_and_direct(lib):
    Linear = kit(lib)[0]

    class Wider(Linear):
        def build(self, input_shape):
            super().build(input_shape)  # not the outermost build: state stays unlocked
            self.extra = self.add_weight(shape=(1,), name="extra")

    wider = Wider(2, name="wider")
    wider.build((None, 3))
    direct = Linear(2, name="direct")
    direct.build((5, 3))
    return ([v.path for v in wider.weights], wider.built, direct.built, direct.path,
            direct.get_build_config(), direct._build_shapes_dict)


def default_build(lib):
    _, _, _, Compose = kit(lib)
    compose = Compose(name="compose")
    out = compose(X)
    base = layers(lib).Layer

    class Loose(base):
        def __init__(self):
            super().__init__(name="loose")
            self.child = kit(lib)[0](2, name="loose_child")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loose = Loose()
        loose.build((None, 3))
    return (np.asarray(out).shape, [v.path for v in compose.weights], compose.built,
            loose.built, [str(w.message)[:70] for w in caught])


# --- calling -----------------------------------------------------------------------------


def outputs_with_copied_weights(lib, upstream_block):
    """The impl's Block given the upstream Block's weights computes the same outputs."""
    _, _, Block, _ = kit(lib)
    block = Block(name="block")
    block.build((None, 3))
    block.set_weights(upstream_block.get_weights())
    out = block(X)
    return np.asarray(out), [float(loss) for loss in block.losses], \
        np.asarray(block.counter.count.numpy())


@raises(ValueError, "Only input tensors may be passed as positional arguments")
def positional_non_tensor(lib):
    kit(lib)[0](2, name="pos")(X, 3)


@raises(ValueError, "Only input tensors may be passed as positional arguments")
def positional_nested_non_tensor(lib):
    kit(lib)[0](2, name="pos2")([X, "a"])


@raises(ValueError, "you cannot mix tensors and non-tensors")
def nested_mixed(lib):
    class Pair(layers(lib).Layer):
        def call(self, x, extra=None):
            return x

    Pair(name="pair")(X, extra=[lib.ops.convert_to_tensor(X), 1])


def conversion_and_autocast(lib):
    base = layers(lib).Layer

    class Probe(base):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], 2), initializer="ones", name="w")

        def call(self, x):
            self.seen = (str(lib.ops.convert_to_tensor(x).dtype), str(self.w.dtype))
            return lib.ops.matmul(x, self.w)

    results = []
    for dtype, autocast, data in [("mixed_float16", True, X.astype("float64")),
                                  ("float16", True, X), (None, True, X.astype("int32")),
                                  (None, False, X.astype("float64"))]:
        layer = Probe(name="probe", dtype=dtype, autocast=autocast)
        out = layer(data)
        results.append((layer.seen, str(out.dtype).split(".")[-1].strip("'>"),
                        layer.dtype, layer.compute_dtype))
    x = layers(lib).Input((3,), name="ac_in")
    y = Probe(name="probe_sym", dtype="mixed_float16")(x)
    producer = y._keras_history[0]
    return results, y.dtype, str(producer._inbound_nodes[0].arguments.args[0].dtype)


def masks(lib):
    base = layers(lib).Layer
    ops = lib.ops

    class Masker(base):
        def call(self, x):
            return x * 1.0

        def compute_mask(self, x, previous_mask=None):
            return ops.not_equal(x, 0)

    class Pass(base):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.supports_masking = True

        def call(self, x, mask=None):
            self.got = mask is not None
            return x + 0.0

    class Two(base):
        def call(self, a, b, a_mask=None, b_mask=None):
            self.got = (a_mask is not None, b_mask is not None)
            return a + b

    class Drop(base):
        def call(self, x):
            return x + 0.0

    data = np.array([[1.0, 0.0, 2.0]], "float32")
    masked = Masker(name="masker")(data)
    passer = Pass(name="pass")
    passed = passer(masked)
    two = Two(name="two")
    two(masked, b=masked)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Drop(name="drop")(masked)
    sym = Masker(name="masker_sym")(layers(lib).Input((3,), name="m_in"))
    sym_passed = Pass(name="pass_sym")(sym)
    from_mask = lib.ops.convert_to_numpy(passed._keras_mask) \
        if hasattr(passed, "_keras_mask") else None
    return (passer.got, two.got, [str(w.message)[:70] for w in caught], sym._keras_mask.shape,
            sym_passed._keras_mask.dtype, from_mask)


def symbolic_calls(lib):
    Linear, _, _, _ = kit(lib)
    base = layers(lib).Layer

    class Shaped(base):
        def call(self, x, mask=None, training=None):
            return x

        def compute_output_shape(self, input_shape):
            return [input_shape[0], 7]

    x = layers(lib).Input((3,), name="s_in")
    lin = Linear(2, name="lin")
    y = lin(x)
    shaped = Shaped(name="shaped", dtype="float16")
    z = shaped(y)
    shaped(y, training=True)
    nodes = shaped._inbound_nodes
    return (y.shape, y.dtype, z.shape, z.dtype, len(lin._inbound_nodes), lin.built,
            sorted(nodes[0].arguments.kwargs), sorted(nodes[1].arguments.kwargs),
            y._keras_history[0].name)


@raises(ValueError, "expected ndim=3, found ndim=2")
def input_spec_on_call(lib):
    class Spec(layers(lib).Layer):
        def __init__(self):
            super().__init__(name="spec")
            self.input_spec = layers(lib).InputSpec(ndim=3)

        def call(self, x):
            return x

    Spec()(X)


# --- losses and stateless calls ----------------------------------------------------------


def losses_and_activity(lib, upstream_block):
    _, _, Block, _ = kit(lib)
    block = Block(name="block", activity_regularizer="l1")
    block.build((None, 3))
    block.set_weights(upstream_block.get_weights())
    block(X)
    first = [float(loss) for loss in block.losses]
    block(X)  # the outermost call starts the losses afresh
    return first, len(block.losses)


@raises(ValueError, "`add_loss()` can only be called from inside `build()` or `call()`")
def add_loss_non_tensor(lib):
    layers(lib).Layer(name="al").add_loss(1.0)


def stateless(lib, upstream_block):
    _, _, Block, _ = kit(lib)
    block = Block(name="block")
    block.build((None, 3))
    block.set_weights(upstream_block.get_weights())
    trainable = [np.asarray(v.numpy()) * 2 for v in block.trainable_variables]
    non_trainable = [np.asarray(v.numpy()) for v in block.non_trainable_variables]
    out, new_state = block.stateless_call(trainable, non_trainable, X)
    out2, _, losses = block.stateless_call(trainable, non_trainable, X, return_losses=True)
    return (np.asarray(out), [np.asarray(v) for v in new_state], np.asarray(out2),
            [float(loss) for loss in losses], np.asarray(block.counter.count.numpy()))


@raises(ValueError, "must be built")
def stateless_unbuilt(lib):
    kit(lib)[0](2, name="su").stateless_call([], [], X)


@raises(ValueError, "Argument `trainable_variables` must be a list of tensors corresponding 1:1")
def stateless_wrong_trainable(lib):
    layer = kit(lib)[0](2, name="swt")
    layer.build((None, 3))
    layer.stateless_call([], [], X)


@raises(ValueError, "Argument `non_trainable_variables` must be a list of tensors corresponding")
def stateless_wrong_non_trainable(lib):
    layer = kit(lib)[1](name="swn")
    layer.build((None, 3))
    layer.stateless_call([], [], X)


@raises(NotImplementedError, "add_metric")
def add_metric(lib):
    layers(lib).Layer(name="am").add_metric()


# --- InputSpec and Input -----------------------------------------------------------------


def input_spec_config(lib):
    spec_cls = layers(lib).InputSpec
    spec = spec_cls(dtype="float32", shape=(None, 3), axes={1: 3}, name="a")
    again = spec_cls.from_config(spec.get_config())
    return spec.get_config(), repr(spec), again.ndim, spec_cls(max_ndim=3).get_config()


@raises(TypeError, "Argument `axes` must be a dict with integer keys")
def input_spec_bad_axes(lib):
    layers(lib).InputSpec(axes={"a": 1})


@raises(ValueError, "is greater than the maximum allowed value")
def input_spec_axis_too_large(lib):
    layers(lib).InputSpec(ndim=2, axes={3: 1})


def input_layer_configs(lib):
    module = layers(lib)
    inp = module.InputLayer(shape=(3,), name="il")
    tensor = module.Input(batch_shape=(4, 2), dtype="int32", name="it")
    wrapped = module.Input(tensor=tensor)
    return (inp.get_config(), inp.built, inp.dtype, tensor.shape, tensor.dtype, tensor.name,
            module.InputLayer(shape=(2, None), batch_size=8, name="ib").get_config(),
            wrapped.shape, len(inp._inbound_nodes), inp.output.shape)


def _input_error(kwargs):
    def case(lib):
        module = layers(lib)
        if "tensor" in kwargs:
            tensor = kwargs["tensor"]
            kwargs2 = dict(kwargs, tensor=module.Input((2,), name="ie") if tensor else 3)
            return module.Input(**kwargs2)
        return module.InputLayer(**kwargs)

    case.__name__ = "input_error_" + "_".join(sorted(kwargs))
    return case


INPUT_ERRORS = [
    raises(ValueError, "You must pass a `shape` argument")(_input_error({})),
    raises(ValueError, "You cannot pass both `shape` and `batch_shape`")(
        _input_error({"shape": (2,), "batch_shape": (1, 2)})),
    raises(ValueError, "You cannot pass both `batch_size` and `batch_shape`")(
        _input_error({"batch_size": 2, "batch_shape": (1, 2)})),
    raises(ValueError, "Argument `input_tensor` must be a KerasTensor")(
        _input_error({"tensor": False})),
    raises(ValueError, "cannot provide an incompatible `shape` argument")(
        _input_error({"tensor": True, "shape": (3,)})),
    raises(ValueError, "cannot provide an incompatible `dtype` argument")(
        _input_error({"tensor": True, "dtype": "int32"})),
]
