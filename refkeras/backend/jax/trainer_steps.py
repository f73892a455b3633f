"""Training steps on JAX: pure functions of the model's state, compiled with ``jax.jit``.

State is four lists of arrays, in the order of the model's variable lists:
``(trainable, non_trainable, optimizer, metrics)`` (test steps drop the
optimizer's, predict steps keep the first two). A step takes the state and a
batch and returns ``(logs_or_outputs, new_state)``; the state argument is
donated, so XLA updates the buffers in place.

:class:`StepFunction` holds the state between calls: it reads it from the
variables when a loop starts and writes it back on ``sync()`` (end of epoch,
before a callback reads weights, end of the loop). In between, the variables'
own buffers have been donated and must not be read.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from refkeras import tree
from refkeras.backend.batch import unpack_x_y_sample_weight
from refkeras.backend.jax import distribution
from refkeras.backend.stateless_scope import StatelessScope

EMPTY_LOSS_IS_ERROR = False  # upstream's JAX trainer returns a zero loss instead

# Fused steps (see StepFunction.__call__): batches are stacked and scanned while the
# stack stays within SCAN_BYTES; larger ones run unrolled, UNROLLED_BYTES of input
# per program. Both bound the host memory fusion adds to well under a MiB or two.
SCAN_BYTES = 1 << 20
UNROLLED_BYTES = 1 << 19


def unobserved_steps_per_call() -> int:
    """Batches per compiled call when no callback watches individual batches (see
    loops.py): 8 on CPU, where the scanned steps give upstream's results bit for bit;
    1 on accelerators, where XLA fuses a scanned step differently (last-bit changes)."""
    return 8 if jax.default_backend() == "cpu" else 1


def backend_supports_jit() -> bool:
    return True


def auto_jit_compile(model: Any) -> bool:
    """The backend's part of ``jit_compile="auto"`` (the layers must also support jit)."""
    return True


def _batch_size(x: Any) -> int:
    return next(leaf for leaf in tree.flatten(x) if leaf is not None).shape[0]


def _call_kwargs(model: Any, training: bool) -> dict:
    return {"training": training} if model._call_facts.has_training else {}


# --- the default steps (Model.train_step / test_step / predict_step on JAX) --------------
def _loss_and_updates(model: Any, trainable: list, non_trainable: list, metric_values: list,
                      x: Any, y: Any, sample_weight: Any, training: bool,
                      optimizer_values: list | None = None) -> tuple:
    y_pred, non_trainable, losses = model.stateless_call(
        trainable, non_trainable, x, return_losses=True, **_call_kwargs(model, training))
    object.__setattr__(model, "_losses_override", list(losses) if losses else [])
    try:
        loss, (_, non_trainable, metric_values) = model.stateless_compute_loss(
            trainable, non_trainable, metric_values, x=x, y=y, y_pred=y_pred,
            sample_weight=sample_weight, training=training)
    finally:
        object.__setattr__(model, "_losses_override", [])
    unscaled = loss
    if training and model.optimizer is not None:
        with StatelessScope(state_mapping=list(zip(model.optimizer.variables,
                                                   optimizer_values))):
            loss = model.optimizer.scale_loss(loss)
    return loss, (unscaled, y_pred, non_trainable, metric_values)


def _update_metrics(model: Any, metric_values: list, loss: Any, x: Any, y: Any, y_pred: Any,
                    sample_weight: Any) -> tuple:
    variables = model.metrics_variables
    with StatelessScope(state_mapping=list(zip(variables, metric_values))) as scope:
        model._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
        logs = model.compute_metrics(x, y, y_pred, sample_weight)
    new_values = [scope.get_current_value(v, old) for v, old in zip(variables, metric_values)]
    return logs, new_values


def train_step(model: Any, state: tuple, data: Any) -> tuple:
    trainable, non_trainable, optimizer_values, metric_values = state
    x, y, sample_weight = unpack_x_y_sample_weight(data)

    def loss_fn(trainable: list) -> tuple:
        return _loss_and_updates(model, trainable, non_trainable, metric_values, x, y,
                                 sample_weight, True, optimizer_values)

    (_, aux), grads = jax.value_and_grad(loss_fn, has_aux=True)(trainable)
    unscaled, y_pred, non_trainable, metric_values = aux
    trainable, optimizer_values = model.optimizer.stateless_apply(optimizer_values, grads,
                                                                  trainable)
    logs, metric_values = _update_metrics(model, metric_values, unscaled, x, y, y_pred,
                                          sample_weight)
    return logs, (trainable, non_trainable, optimizer_values, metric_values)


def test_step(model: Any, state: tuple, data: Any) -> tuple:
    trainable, non_trainable, metric_values = state
    x, y, sample_weight = unpack_x_y_sample_weight(data)
    _, aux = _loss_and_updates(model, trainable, non_trainable, metric_values, x, y,
                               sample_weight, False)
    unscaled, y_pred, non_trainable, metric_values = aux
    logs, metric_values = _update_metrics(model, metric_values, unscaled, x, y, y_pred,
                                          sample_weight)
    return logs, (trainable, non_trainable, metric_values)


def predict_step(model: Any, state: tuple, data: Any) -> tuple:
    trainable, non_trainable = state
    x, _, _ = unpack_x_y_sample_weight(data)
    outputs, non_trainable = model.stateless_call(trainable, non_trainable, x,
                                                  **_call_kwargs(model, False))
    return outputs, non_trainable


# --- compiled step functions ---------------------------------------------------------------
_STATE_PARTS = {
    "train": ("trainable", "non_trainable", "optimizer", "metrics"),
    "test": ("trainable", "non_trainable", "metrics"),
    "predict": ("trainable", "non_trainable"),
}


def _variables(model: Any, part: str) -> list:
    if part == "trainable":
        return model.trainable_variables
    if part == "non_trainable":
        return model.non_trainable_variables
    if part == "optimizer":
        return model.optimizer.variables
    return model.metrics_variables


class StepFunction:
    """Runs ``steps_per_execution`` steps per call over a list of batches.

    The user's ``steps_per_execution`` steps are traced one after the other into
    one program, as upstream does. Longer lists of one shape (the loop fusing
    batches no callback observes, see ``unobserved_steps_per_call``) of small
    batches are stacked and run by ``jax.lax.scan``: one compiled step body looped
    on the device, so compile time and memory do not grow with the number of fused
    steps. Large batches are not stacked (a copy of them all): they go through the
    unrolled program a few at a time.
    """

    def __init__(self, model: Any, kind: str):
        self.model = model
        self.kind = kind
        self._variables = [_variables(model, part) for part in _STATE_PARTS[kind]]
        self._state: tuple | None = None
        self._queued: Any = None  # the previous program's outputs (see _dispatch)
        # Under a refkeras.distribution Distribution: where each state array lives.
        self._shardings = distribution.state_shardings(self._variables)
        step = getattr(model, f"{kind}_step")
        if kind == "predict":
            def one(state: tuple, data: Any) -> tuple:
                outputs, non_trainable = step(state, data)
                return outputs, (state[0], non_trainable)
        else:
            one = step

        def many(state: tuple, batches: list) -> tuple:
            # Several steps traced into one program: one dispatch per call.
            results = []
            for data in batches:
                out, state = one(state, data)
                results.append(out)
            if kind == "predict":
                out = tree.map_structure(lambda *parts: jnp.concatenate(parts), *results)
            return out, state

        def scanned(state: tuple, stacked: Any) -> tuple:
            # stacked: every leaf has a leading axis of K batches of one shape.
            state, outs = jax.lax.scan(lambda c, data: one(c, data)[::-1], state, stacked)
            if kind == "predict":
                return tree.map_structure(lambda t: t.reshape((-1,) + t.shape[2:]), outs), state
            return tree.map_structure(lambda t: t[-1], outs), state

        compiled = model.jit_compile and not model.run_eagerly
        if compiled:
            out_shardings = None if self._shardings is None else (None, self._shardings)
            self._run = jax.jit(many, donate_argnums=0, out_shardings=out_shardings)
        else:
            self._run = many
        # Predictions are not scanned: stacking large input batches costs a host copy
        # that a forward pass does not win back; the unrolled program reads them in place.
        self._scan = (jax.jit(scanned, donate_argnums=0)
                      if compiled and self._shardings is None and kind != "predict" else None)

    def __call__(self, batches: list) -> Any:
        if self._state is None:
            self._state = distribution.place_state(
                self._shardings, tuple([v.value for v in group] for group in self._variables))
        spe = self.model.steps_per_execution
        # What the user asked for (steps_per_execution batches) runs as upstream's
        # unrolled program, whose fusion (and so every bit, on any device) is upstream's.
        if self._scan is None or len(batches) <= spe or not _same_shapes(batches):
            return self._dispatch(self._run, distribution.place_batches(batches))
        # More batches: refkeras's own fusion of steps no callback observes.
        size = _nbytes(batches[0])
        if size * len(batches) <= SCAN_BYTES:
            return self._dispatch(self._scan, tree.map_structure(_stack, *batches))
        # Large batches: each step is long enough that one dispatch per few steps
        # costs little, while stacking them for a scan would copy them all. Run them
        # in place, a few at a time, through the unrolled program.
        group = max(spe, UNROLLED_BYTES // max(size, 1))
        for start in range(0, len(batches), group):
            out = self._dispatch(self._run, batches[start:start + group])
        return out

    def _dispatch(self, program: Any, batches: Any) -> Any:
        out, self._state = program(self._state, batches)
        # At most two programs in flight: this one, queued, and the previous one,
        # awaited here. Dispatch is asynchronous, so otherwise the loop runs ahead of
        # the device and every queued call keeps its input batches alive (on the
        # 784-wide benchmark MLP, ~8 MiB more peak memory). The device does not idle:
        # the next program is queued before the wait.
        previous, self._queued = self._queued, out
        if previous is not None:
            jax.block_until_ready(previous)
        return out

    def sync(self) -> None:
        """Writes the state back to the variables (no-op when nothing ran since)."""
        self._queued = None
        if self._state is None:
            return
        for group, values in zip(self._variables, self._state):
            for variable, value in zip(group, values):
                variable._direct_assign(value)
        self._state = None


def _same_shapes(batches: list) -> bool:
    first = [None if t is None else t.shape for t in tree.flatten(batches[0])]
    return all([None if t is None else t.shape for t in tree.flatten(b)] == first
               for b in batches[1:])


def _nbytes(batch: Any) -> int:
    return sum(leaf.nbytes for leaf in tree.flatten(batch) if leaf is not None)


def _stack(*leaves: Any) -> Any:
    return None if leaves[0] is None else np.stack(leaves)


def to_numpy(value: Any) -> np.ndarray:
    return np.asarray(value)
