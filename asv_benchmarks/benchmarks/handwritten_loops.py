"""Hand-written training loops: the speed limit ``training.py`` compares ``fit`` with.

Each loop does the work ``fit`` does for the same model, data and batch size,
and nothing more: a two-layer MLP (``relu`` hidden layer, linear output), a
fresh permutation of the samples every epoch, one compiled step per batch that
computes the loss and its gradients, applies the optimizer update inline and
adds to running metric totals (the loss mean weighted by batch size, as
``fit``'s loss tracker does, plus accuracy where the model was compiled with
it), and one host sync per epoch to read the epoch's logs. Totals restart at
each epoch, like ``fit``'s ``reset_metrics``.

- JAX: parameters as a list of arrays, ``jax.value_and_grad`` of the loss, the
  whole step under one ``jax.jit``, batches sliced from numpy arrays.
- TensorFlow: ``tf.Variable`` parameters, ``tf.GradientTape`` and
  ``assign_sub``, one ``tf.function`` step over a batched, reshuffled
  ``tf.data.Dataset``.

Two optimizer/loss pairs are supported, matching the benchmark workloads:
``"sgd_mse"`` (plain SGD on mean squared error, loss only) and ``"adam_sce"``
(Adam with Keras's default hyper-parameters on sparse categorical
cross-entropy from logits, plus sparse categorical accuracy).

Nothing here starts with ``time_``/``track_``/``peakmem_``, so asv does not
collect it as a benchmark.
"""

from __future__ import annotations

import functools
import importlib
import math
from collections.abc import Callable

import numpy as np

# Keras's Adam defaults, so both sides run the same arithmetic.
BETA_1 = 0.9
BETA_2 = 0.999
EPSILON = 1e-7


def make_fit(backend: str, recipe: str, learning_rate: float, weights: list[np.ndarray],
             x: np.ndarray, y: np.ndarray, batch_size: int, epochs: int,
             seed: int = 0) -> Callable[[], dict[str, float]]:
    """A zero-argument ``fit``: ``epochs`` epochs over ``(x, y)`` in batches of
    ``batch_size`` (``len(x)`` must be a multiple of it), starting from a copy of
    ``weights`` = ``[kernel_1, bias_1, kernel_2, bias_2]``. Training state carries
    over from call to call, as it does for a model's ``fit``. Returns the last
    epoch's logs as Python floats."""
    if recipe not in ("sgd_mse", "adam_sce"):
        raise ValueError(f"Unknown recipe {recipe!r}; expected 'sgd_mse' or 'adam_sce'.")
    if len(x) % batch_size:
        raise ValueError(f"len(x)={len(x)} is not a multiple of batch_size={batch_size}.")
    build = _jax_fit if backend == "jax" else _tensorflow_fit
    return build(recipe, learning_rate, weights, x, y, batch_size, epochs, seed)


def _jax_fit(recipe: str, learning_rate: float, weights: list[np.ndarray], x: np.ndarray,
             y: np.ndarray, batch_size: int, epochs: int,
             seed: int) -> Callable[[], dict[str, float]]:
    jax = importlib.import_module("jax")
    jnp = importlib.import_module("jax.numpy")

    def forward(params, xb):
        kernel_1, bias_1, kernel_2, bias_2 = params
        return jax.nn.relu(xb @ kernel_1 + bias_1) @ kernel_2 + bias_2

    def loss_and_logits(params, xb, yb):
        logits = forward(params, xb)
        if recipe == "sgd_mse":
            return jnp.mean(jnp.square(yb - logits)), logits
        log_probs = jax.nn.log_softmax(logits, axis=-1)
        picked = jnp.take_along_axis(log_probs, yb[:, None].astype(jnp.int32), axis=-1)
        return -jnp.mean(picked), logits

    grad_fn = jax.value_and_grad(loss_and_logits, has_aux=True)

    def add_totals(totals, loss, logits, yb):
        # [loss * batch, batch] (+ [correct, batch] for accuracy)
        size = jnp.float32(yb.shape[0])
        update = [loss * size, size]
        if recipe == "adam_sce":
            hits = jnp.argmax(logits, axis=-1) == yb.astype(jnp.int32)
            update += [jnp.sum(hits.astype(jnp.float32)), size]
        return totals + jnp.stack(update)

    # The carried state is donated, as Keras's JAX trainer does, so XLA updates
    # the buffers in place instead of allocating new ones each step.
    @functools.partial(jax.jit, donate_argnums=(0, 1))
    def sgd_step(params, totals, xb, yb):
        (loss, logits), grads = grad_fn(params, xb, yb)
        params = [p - learning_rate * g for p, g in zip(params, grads)]
        return params, add_totals(totals, loss, logits, yb)

    @functools.partial(jax.jit, donate_argnums=(0, 1, 2))
    def adam_step(params, slots, totals, xb, yb):
        (loss, logits), grads = grad_fn(params, xb, yb)
        m, v, t = slots
        t = t + 1.0
        m = [BETA_1 * mi + (1.0 - BETA_1) * g for mi, g in zip(m, grads)]
        v = [BETA_2 * vi + (1.0 - BETA_2) * g * g for vi, g in zip(v, grads)]
        rate = learning_rate * jnp.sqrt(1.0 - BETA_2 ** t) / (1.0 - BETA_1 ** t)
        params = [p - rate * mi / (jnp.sqrt(vi) + EPSILON) for p, mi, vi in zip(params, m, v)]
        return params, (m, v, t), add_totals(totals, loss, logits, yb)

    state = {"params": [jnp.asarray(w) for w in weights]}
    state["slots"] = ([jnp.zeros_like(p) for p in state["params"]],
                      [jnp.zeros_like(p) for p in state["params"]], jnp.float32(0.0))
    rng = np.random.default_rng(seed)
    steps = len(x) // batch_size
    width = 2 if recipe == "sgd_mse" else 4

    def fit() -> dict[str, float]:
        logs: dict[str, float] = {}
        for _ in range(epochs):
            totals = jnp.zeros((width,), jnp.float32)
            order = rng.permutation(len(x))
            for step in range(steps):
                index = order[step * batch_size:(step + 1) * batch_size]
                if recipe == "sgd_mse":
                    state["params"], totals = sgd_step(state["params"], totals, x[index],
                                                       y[index])
                else:
                    state["params"], state["slots"], totals = adam_step(
                        state["params"], state["slots"], totals, x[index], y[index])
            logs = _logs(np.asarray(totals))  # the one sync per epoch
        return logs

    return fit


def _tensorflow_fit(recipe: str, learning_rate: float, weights: list[np.ndarray],
                    x: np.ndarray, y: np.ndarray, batch_size: int, epochs: int,
                    seed: int) -> Callable[[], dict[str, float]]:
    tf = importlib.import_module("tensorflow")
    params = [tf.Variable(w) for w in weights]
    m = [tf.Variable(tf.zeros_like(w)) for w in weights]
    v = [tf.Variable(tf.zeros_like(w)) for w in weights]
    iterations = tf.Variable(0.0)
    width = 2 if recipe == "sgd_mse" else 4
    totals = tf.Variable(tf.zeros((width,)))
    dataset = (tf.data.Dataset.from_tensor_slices((x, y))
               .shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
               .batch(batch_size, drop_remainder=True))

    def loss_and_logits(xb, yb):
        kernel_1, bias_1, kernel_2, bias_2 = params
        logits = tf.matmul(tf.nn.relu(tf.matmul(xb, kernel_1) + bias_1), kernel_2) + bias_2
        if recipe == "sgd_mse":
            return tf.reduce_mean(tf.square(yb - logits)), logits
        labels = tf.cast(yb, tf.int32)
        return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=labels, logits=logits)), logits

    def apply_adam(grads):
        iterations.assign_add(1.0)
        rate = (learning_rate * tf.sqrt(1.0 - BETA_2 ** iterations)
                / (1.0 - BETA_1 ** iterations))
        for p, mi, vi, g in zip(params, m, v, grads):
            mi.assign_add((g - mi) * (1.0 - BETA_1))
            vi.assign_add((tf.square(g) - vi) * (1.0 - BETA_2))
            p.assign_sub(rate * mi / (tf.sqrt(vi) + EPSILON))

    @tf.function
    def step(xb, yb):
        with tf.GradientTape() as tape:
            loss, logits = loss_and_logits(xb, yb)
        grads = tape.gradient(loss, params)
        if recipe == "sgd_mse":
            for p, g in zip(params, grads):
                p.assign_sub(learning_rate * g)
        else:
            apply_adam(grads)
        size = tf.cast(tf.shape(xb)[0], tf.float32)
        update = [loss * size, size]
        if recipe == "adam_sce":
            hits = tf.equal(tf.argmax(logits, axis=-1, output_type=tf.int32),
                            tf.cast(yb, tf.int32))
            update += [tf.reduce_sum(tf.cast(hits, tf.float32)), size]
        totals.assign_add(tf.stack(update))

    def fit() -> dict[str, float]:
        logs: dict[str, float] = {}
        for _ in range(epochs):
            totals.assign(tf.zeros((width,)))
            for xb, yb in dataset:
                step(xb, yb)
            logs = _logs(totals.numpy())  # the one sync per epoch
        return logs

    return fit


def _logs(totals: np.ndarray) -> dict[str, float]:
    logs = {"loss": float(totals[0] / totals[1])}
    if len(totals) == 4:
        logs["accuracy"] = float(totals[2] / totals[3])
    if not math.isfinite(logs["loss"]):
        raise FloatingPointError(f"hand-written loop diverged: {logs}")
    return logs
