"""Graph recipes: random symbolic graphs written down as plain data.

A recipe lists the steps that grow a graph out of a few raw input tensors, all
of shape ``(None, 4)`` and dtype float32. Every tensor is known by its position
in a *pool*: raw inputs first, then each step's outputs in order. The Function's
``inputs`` and ``outputs`` are nested structures (dicts, lists, tuples) whose
leaves are pool positions. ``conformance/graph_builder.py`` realises a recipe
with one library; nothing here imports keras or refkeras.

The recipe also predicts, from first principles, whether upstream accepts the
graph (``expected_error``), so a drawn graph is known valid or known broken
before either library sees it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

# One tensor in, one tensor out (``function`` calls a nested keras Function).
UNARY_KINDS = (
    "ops.negative", "ops.matmul", "py.neg", "py.matmul", "py.radd", "py.rsub",
    "custom.scale", "custom.shared", "function",
)
# Two tensors in; ``custom.pair`` returns two tensors, ``ops.concatenate`` is
# concatenate then a projection back to width 4 (two operations).
BINARY_KINDS = (
    "ops.add", "ops.subtract", "ops.multiply", "ops.concatenate",
    "py.add", "py.sub", "py.mul", "custom.pair", "custom.kwarg", "custom.dict",
)
N_OUTPUTS = {"custom.pair": 2}
LAYOUTS = ("bare", "list", "tuple", "dict", "nested")

DISCONNECTED = "Graph disconnected"
UNCONNECTED_OUTPUT = "is not connected to `inputs`"


@dataclass(frozen=True)
class Step:
    """One call: ``kind`` applied to the pool tensors at ``args``.

    ``param`` picks a constant (``custom.scale``) or which shared operation
    instance to call (``custom.shared``); other kinds ignore it.
    """

    kind: str
    args: tuple[int, ...]
    param: int = 0


@dataclass(frozen=True)
class Recipe:
    """A whole graph: raw inputs, steps, and the Function's in/out structures."""

    n_raw: int
    n_shared: int  # custom operation instances created up front, called by ``custom.shared``
    steps: tuple[Step, ...]
    inputs: Any  # nested structure of pool positions
    outputs: Any
    batch: int = 2  # rows of the arrays fed when the Function is evaluated
    seed: int = 0  # numpy seed of those arrays

    def origins(self) -> list[tuple[int, int] | None]:
        """For each pool position: ``(step index, output index)``, or None for a raw input."""
        found: list[tuple[int, int] | None] = [None] * self.n_raw
        for index, step in enumerate(self.steps):
            found.extend((index, k) for k in range(N_OUTPUTS.get(step.kind, 1)))
        return found

    def reached(self, targets: list[int], stop: set[int]) -> tuple[set[int], set[int]]:
        """Steps and raw positions met walking back from ``targets``, never past ``stop``."""
        origins = self.origins()
        steps: set[int] = set()
        raws: set[int] = set()
        todo = list(targets)
        while todo:
            position = todo.pop()
            if position in stop:
                continue
            origin = origins[position]
            if origin is None:
                raws.add(position)
            elif origin[0] not in steps:
                steps.add(origin[0])
                todo.extend(self.steps[origin[0]].args)
        return steps, raws

    def expected_error(self) -> str | None:
        """The key phrase upstream raises for this recipe, or None when it is valid."""
        declared = set(leaves(self.inputs))
        outputs = leaves(self.outputs)
        origins = self.origins()
        steps, _ = self.reached(outputs, declared)
        for index in steps:
            if any(origins[a] is None and a not in declared for a in self.steps[index].args):
                return DISCONNECTED
        if any(origins[p] is None and p not in declared for p in outputs):
            return UNCONNECTED_OUTPUT
        return None


def leaves(structure: Any) -> list[int]:
    """Pool positions of a nested structure, in insertion order."""
    if isinstance(structure, dict):
        return [p for value in structure.values() for p in leaves(value)]
    if isinstance(structure, list | tuple):
        return [p for value in structure for p in leaves(value)]
    return [structure]


def arrange(positions: list[int], layout: str) -> Any:
    """Packs positions into a structure of the given layout.

    Dict keys are inserted in reverse alphabetical order, so an implementation
    that confuses insertion order with sorted-key (flatten) order is caught.
    """
    if layout == "bare" and len(positions) == 1:
        return positions[0]
    if layout == "tuple":
        return tuple(positions)
    if layout == "dict":
        return {chr(ord("z") - i): p for i, p in enumerate(positions)}
    if layout == "nested":
        head, rest = positions[0], positions[1:]
        inner: Any = [head] if len(rest) < 2 else [head, {"q": rest[0]}]
        tail = tuple(rest if len(rest) < 2 else rest[1:])
        return {"z": inner, "a": tail} if tail else {"z": inner}
    return list(positions)


def _position(size: int) -> st.SearchStrategy[int]:
    """A pool position, biased toward the newest tensors so that chains grow deep."""
    return st.one_of(st.integers(max(0, size - 3), size - 1), st.integers(0, size - 1))


@st.composite
def recipes(draw: st.DrawFn, max_steps: int = 8, broken: bool = False) -> Recipe:
    """Random graphs upstream accepts; with ``broken=True``, graphs missing one needed input."""
    n_raw = draw(st.integers(1, 3))
    n_shared = draw(st.integers(0, 2))
    kinds = [k for k in UNARY_KINDS + BINARY_KINDS if n_shared or k != "custom.shared"]
    steps: list[Step] = []
    size = n_raw
    for _ in range(draw(st.integers(1, max_steps))):
        kind = draw(st.sampled_from(kinds))
        arity = 1 if kind in UNARY_KINDS else 2
        args = tuple(draw(_position(size)) for _ in range(arity))
        steps.append(Step(kind, args, draw(st.integers(0, 3))))
        size += N_OUTPUTS.get(kind, 1)
    # A KerasTensor no operation ever consumed has no history, which upstream
    # rejects in a Function (spec graph.function.never_consumed): give each
    # raw input a consumer, dangling if nothing else uses it.
    consumed = {a for step in steps for a in step.args}
    for raw in range(n_raw):
        if raw not in consumed:
            steps.append(Step("py.neg", (raw,)))
            size += 1
    recipe = Recipe(n_raw, n_shared, tuple(steps), [], [])
    outputs = draw(st.lists(st.integers(0, size - 1), min_size=1, max_size=3, unique=True))
    if size - 1 not in outputs and draw(st.booleans()):
        outputs.insert(0, size - 1)
    declared: set[int] = set()
    single = [p for p, o in enumerate(recipe.origins())
              if o is not None and N_OUTPUTS.get(steps[o[0]].kind, 1) == 1]
    if single and draw(st.booleans()):
        # An intermediate tensor as a Function input: its producer is left out.
        declared.add(draw(st.sampled_from(single)))
    _, needed = recipe.reached(outputs, declared)
    declared |= needed
    if draw(st.booleans()):
        declared.add(draw(st.integers(0, n_raw - 1)))  # possibly unused
    if broken:
        assume(needed)
        declared.discard(draw(st.sampled_from(sorted(needed))))
        assume(declared)
    order = draw(st.permutations(sorted(declared)))
    return Recipe(
        n_raw, n_shared, tuple(steps),
        inputs=arrange(list(order), draw(st.sampled_from(LAYOUTS))),
        outputs=arrange(outputs, draw(st.sampled_from(LAYOUTS))),
        batch=draw(st.integers(1, 3)),
        seed=draw(st.integers(0, 2**16)),
    )
