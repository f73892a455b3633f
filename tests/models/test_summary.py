"""Model.summary(): the text, as upstream Keras 3.15.1 prints it for the same models."""

import pytest

from refkeras import ops
from refkeras.layers import Dense, Input
from refkeras.models import Model, Sequential


@pytest.fixture(autouse=True)
def _eighty_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")  # the width of a non-terminal, as upstream sees it


def _text(model, **kwargs):
    printed = []
    model.summary(print_fn=printed.append, **kwargs)
    assert len(printed) == 1
    return printed[0]


# Printed by upstream keras 3.15.1 for the same model (80 columns, no terminal).
CHAIN = """\
Model: "functional"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ x (InputLayer)                  │ (None, 3)              │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ d1 (Dense)                      │ (None, 4)              │            16 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ d2 (Dense)                      │ (None, 2)              │            10 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 26 (104.00 B)
 Trainable params: 26 (104.00 B)
 Non-trainable params: 0 (0.00 B)
"""

# Printed by upstream for ``multi`` below with show_trainable=True.
MULTI = """\
Model: "multi"
┏━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━━━━━━┳━━━━━━━┓
┃ Layer (type)      ┃ Output Shape    ┃   Param # ┃ Connected to   ┃ Trai… ┃
┡━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━━┩
│ a (InputLayer)    │ (None, 3)       │         0 │ -              │   -   │
├───────────────────┼─────────────────┼───────────┼────────────────┼───────┤
│ b (InputLayer)    │ (None, 3)       │         0 │ -              │   -   │
├───────────────────┼─────────────────┼───────────┼────────────────┼───────┤
│ add (Add)         │ (None, 3)       │         0 │ a[0][0],       │   -   │
│                   │                 │           │ b[0][0]        │       │
├───────────────────┼─────────────────┼───────────┼────────────────┼───────┤
│ dense (Dense)     │ (None, 2)       │         8 │ add[0][0],     │   Y   │
│                   │                 │           │ a[0][0]        │       │
└───────────────────┴─────────────────┴───────────┴────────────────┴───────┘
 Total params: 8 (32.00 B)
 Trainable params: 8 (32.00 B)
 Non-trainable params: 0 (0.00 B)
"""


def test_sequential_like_functional_summary():
    x = Input((3,), name="x")
    model = Model(x, Dense(2, name="d2")(Dense(4, name="d1")(x)), name="functional")
    assert _text(model) == CHAIN


def test_branching_graph_gets_a_connected_to_column():
    a, b = Input((3,), name="a"), Input((3,), name="b")
    dense = Dense(2, name="dense")
    s = ops.add(a, b)
    s._keras_history.operation.name = "add"  # upstream's Add layer prints as add (Add)
    model = Model([a, b], [dense(s), dense(a)], name="multi")
    text = _text(model, show_trainable=True)
    assert text == MULTI


def test_unbuilt_sequential_rows():
    model = Sequential([Dense(2, name="a")], name="s")
    lines = _text(model).splitlines()
    assert lines[4] == "│ a (Dense)                       │ ?                      │   0 (unbuilt) │"
    assert lines[-3:] == [" Total params: 0 (0.00 B)", " Trainable params: 0 (0.00 B)",
                          " Non-trainable params: 0 (0.00 B)"]


def test_layer_range_and_errors():
    x = Input((3,), name="x")
    model = Model(x, Dense(2, name="d2")(Dense(4, name="d1")(x)))
    rows = [line for line in _text(model, layer_range=["d1", "d2"]).splitlines()
            if line.startswith("│")]
    assert [row.split()[1] for row in rows] == ["d1", "d2"]
    with pytest.raises(ValueError, match="do not match the layer names"):
        _text(model, layer_range=["zz", "d2"])
    with pytest.raises(ValueError, match="Insufficient console width"):
        _text(model, line_length=8)
