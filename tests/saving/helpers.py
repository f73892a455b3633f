"""Small models and layers shared by the saving unit tests."""

from __future__ import annotations

import numpy as np

from refkeras.backend import naming
from refkeras.layers import Dense, Input, Layer
from refkeras.models import Model, Sequential


class Block(Layer):
    """Sub-layers in a public attribute, a private one, nested lists, a tuple and a dict."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.first = Dense(3, name="first")
        self._hidden = Dense(3, name="hidden")
        self.stack = [Dense(3, name="s0"), [Dense(3, name="s1"), {"k": Dense(3, name="s2")}],
                      (Dense(3, name="s3"),)]
        self.again = self.first

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(3,), initializer="ones", name="scale")

    def call(self, x):
        y = self.first(x) + self._hidden(x) + self.stack[0](x)
        y = y + self.stack[1][0](x) + self.stack[1][1]["k"](x) + self.stack[2][0](x)
        return y * self.scale


def built_block(name: str = "block") -> Block:
    block = Block(name=name)
    block(np.ones((1, 4), "float32"))
    return block


def mlp(units: tuple = (3, 2), width: int = 4) -> Sequential:
    naming.reset_names()
    return Sequential([Input((width,))] + [Dense(u) for u in units])


def functional() -> Model:
    naming.reset_names()
    x = Input((4,), name="x")
    a = Dense(3, name="a")(x)
    b = Dense(2, use_bias=False, name="b")(a)
    c = Dense(2, name="c")(x)
    return Model(x, [b, c])


def randomize(model, seed: int = 0) -> list:
    rng = np.random.default_rng(seed)
    values = [rng.standard_normal(np.shape(w)).astype("float32") for w in model.get_weights()]
    model.set_weights(values)
    return values


def weights_of(model) -> list:
    return [np.asarray(w) for w in model.get_weights()]


def assert_weights(model, expected) -> None:
    actual = weights_of(model)
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        np.testing.assert_array_equal(a, e)
