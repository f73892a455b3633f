"""Core layers."""

from refkeras.layers.core.dense import Dense as Dense

__all__ = ["Dense"]
