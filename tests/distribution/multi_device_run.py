"""Trains the same small models on one device and data-parallel on two; saves the results.

Run as a script in a fresh process (device configuration must come before the
backend initializes): ``python multi_device_run.py MODULE OUT.npz CASE[,CASE...]``. MODULE is
the implementation to run (``refkeras``, or upstream for the conformance suite);
the backend comes from ``KERAS_BACKEND``. Two CPU devices are configured when
the machine has fewer than two accelerators, so the same run works on GPUs.

Data parallelism is ``tf.distribute.MirroredStrategy`` on TensorFlow and
``distribution.DataParallel`` on JAX. Every result is stored under
``<case>/<mode>/<what>`` with mode ``single`` or ``multi``.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys

import numpy as np

BACKEND = os.environ.get("KERAS_BACKEND", "tensorflow")


def configure_two_devices() -> None:
    if BACKEND == "jax":
        os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "")
                                   + " --xla_force_host_platform_device_count=2")
        # The two devices are host (CPU) devices, also on a machine with a GPU.
        os.environ["JAX_PLATFORMS"] = "cpu"
        return
    tf = importlib.import_module("tensorflow")
    if len(tf.config.list_physical_devices("GPU")) < 2:
        cpus = tf.config.list_physical_devices("CPU")
        tf.config.set_logical_device_configuration(
            cpus[0], [tf.config.LogicalDeviceConfiguration()] * 2)


_STRATEGY: list = []


def parallel_scope(keras):
    """A scope in which models are created, compiled and trained on two devices."""
    if BACKEND == "jax":
        devices = keras.distribution.list_devices()[:2]
        return keras.distribution.DataParallel(devices=devices).scope()
    if not _STRATEGY:
        # One strategy per process: strategies over the same devices share collective keys.
        tf = importlib.import_module("tensorflow")
        gpus = tf.config.list_logical_devices("GPU")
        devices = gpus if len(gpus) >= 2 else tf.config.list_logical_devices("CPU")
        _STRATEGY.append(tf.distribute.MirroredStrategy([d.name for d in devices[:2]]))
    return _STRATEGY[0].scope()


def device_count(variable) -> int:
    """How many devices hold a copy of ``variable`` (checks that a run was distributed)."""
    native = variable.value
    if BACKEND == "jax":
        return len(native.sharding.device_set)
    return len(getattr(native, "values", [native]))


def fixed_weights(model) -> None:
    """Deterministic, distinct weights (no RNG in either library)."""
    weights = []
    for i, w in enumerate(model.get_weights()):
        grid = np.arange(np.prod(w.shape), dtype="float32").reshape(w.shape)
        weights.append(np.cos(grid * 0.7 + i).astype("float32") * 0.3)
    model.set_weights(weights)


def regression(keras):
    inputs = keras.Input((5,))
    hidden = keras.layers.Dense(8, activation="relu")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1)(hidden))
    fixed_weights(model)
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    return model


def classification(keras, steps_per_execution: int = 1):
    inputs = keras.Input((6,))
    hidden = keras.layers.Dense(12, activation="tanh")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(hidden))
    fixed_weights(model)
    model.compile(optimizer=keras.optimizers.SGD(0.1, momentum=0.9),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                  steps_per_execution=steps_per_execution)
    return model


def classification_two_steps(keras):
    """Two steps per execution (upstream 3.15.1 fails this under a tf.distribute strategy)."""
    return classification(keras, steps_per_execution=2)


BUILDERS = {"regression": regression, "classification": classification,
            "classification_two_steps": classification_two_steps}


def data(case: str) -> tuple:
    rng = np.random.default_rng(7)
    if case == "regression":
        x = rng.normal(size=(64, 5)).astype("float32")
        return x, (x[:, :1] * 2 - x[:, 1:2]).astype("float32")
    x = rng.normal(size=(96, 6)).astype("float32")
    return x, np.argmax(x[:, :3], axis=1).astype("int32")


def run_case(keras, case: str, mode: str, out: dict) -> None:
    x, y = data(case)
    build = BUILDERS[case]
    scope = parallel_scope(keras) if mode == "multi" else contextlib.nullcontext()
    # JAX's distribution is a global setting; keep all the work inside its scope.
    with scope:
        model = build(keras)
        history = model.fit(x, y, batch_size=16, epochs=3, verbose=0, shuffle=False,
                            validation_split=0.25)
        evaluated = model.evaluate(x, y, batch_size=16, verbose=0)
        # An odd last batch on TensorFlow (split 7/6 across replicas); JAX needs even ones.
        count = 30 if BACKEND == "jax" else 29
        predicted = model.predict(x[:count], batch_size=16, verbose=0)
        on_batch = model.train_on_batch(x[:16], y[:16], return_dict=True)
    prefix = f"{case}/{mode}/"
    out[prefix + "devices"] = np.asarray(device_count(model.weights[0]))
    for name, values in history.history.items():
        out[prefix + "history/" + name] = np.asarray(values)
    out[prefix + "evaluate"] = np.asarray(evaluated)
    out[prefix + "predict"] = predicted
    for name, value in on_batch.items():
        out[prefix + "train_on_batch/" + name] = np.asarray(value)
    for i, w in enumerate(model.get_weights()):
        out[prefix + f"weight/{i}"] = w


def main(module: str, path: str, cases: list) -> None:
    configure_two_devices()
    keras = importlib.import_module(module)
    out: dict = {}
    for case in cases:
        for mode in ("single", "multi"):
            run_case(keras, case, mode, out)
    np.savez(path, **out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3].split(","))
