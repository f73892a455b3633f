"""Layers: the building blocks of models.

``Layer`` is the base class; ``Input()`` / ``InputLayer`` start a functional
graph; ``InputSpec`` states what a layer accepts.
"""

from refkeras.layers.core.dense import Dense as Dense
from refkeras.layers.input_layer import Input as Input
from refkeras.layers.input_layer import InputLayer as InputLayer
from refkeras.layers.input_spec import InputSpec as InputSpec
from refkeras.layers.layer import Layer as Layer

__all__ = ["Dense", "Input", "InputLayer", "InputSpec", "Layer"]
