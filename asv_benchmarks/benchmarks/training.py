"""Training: ``fit``, ``evaluate`` and ``predict`` against upstream and a hand-written loop.

Two workloads (BASELINES.md, issue 5 "Speed"), both a functional
``Input -> Dense(hidden, relu) -> Dense(out)``:

- ``mlp_8_8_1``: 8 -> 8 -> 1, batch 32, SGD(0.01), mean squared error;
- ``mlp_784_128_10``: 784 -> 128 -> 10, batch 64, Adam(0.001), sparse
  categorical cross-entropy from logits, metrics ``["accuracy"]``.

Every implementation gets the same numpy data, the same initial weights and
the same batch size; ``len(x)`` is a whole number of batches, so no step sees
a partial batch. One timed call is:

- ``Fit.time_fit``: ``fit(epochs=EPOCHS, shuffle=True, verbose=0)``, i.e.
  ``EPOCHS * STEPS_PER_EPOCH`` = 256 steps with a fresh permutation each epoch.
  ``handwritten`` is the loop in ``handwritten_loops.py`` doing the same work.
- ``Evaluate.time_evaluate``: ``evaluate(verbose=0)`` over the training data,
  64 batches of the workload's batch size.
- ``Predict.time_predict``: ``predict(batch_size=256, verbose=0)`` over
  ``PREDICT_BATCHES`` = 32 batches.

Divide a call's time by its batch count for the per-step figures in
BASELINES.md; the ratios do not depend on it. Each prepared call is memoised
per parameter set and run once when it is made (tracing and compilation), and
``setup`` fetches it: asv re-runs ``setup`` before every sample, so the first
sample's setup builds and warms up, later ones find it cached, and no timed call
ever includes building or compiling (``--quick`` too). Models keep training
from call to call. Each call takes milliseconds, so one call per sample.

``FitPeakMemory`` measures, in a fresh subprocess per implementation, how far
the resident set grows above its level just before ``fit`` on
``mlp_784_128_10``: for the first ``fit`` (tracing and compilation included)
and for a second one. It resets the kernel's high-water mark through
``/proc/self/clear_refs``, so it needs Linux, and it sees host memory only.
"""

from __future__ import annotations

import functools
import importlib
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import handwritten_loops
from .implementations import IMPLEMENTATIONS, backend_name, load

HANDWRITTEN = "handwritten"
EPOCHS = 4
STEPS_PER_EPOCH = 64
PREDICT_BATCH = 256
PREDICT_BATCHES = 32


@dataclass(frozen=True)
class Workload:
    """One model, optimizer, loss and batch size, and how to make its data."""

    sizes: tuple[int, int, int]  # inputs, hidden units, outputs
    batch_size: int
    recipe: str  # a handwritten_loops recipe: "sgd_mse" or "adam_sce"
    learning_rate: float


WORKLOADS = {
    "mlp_8_8_1": Workload((8, 8, 1), 32, "sgd_mse", 0.01),
    "mlp_784_128_10": Workload((784, 128, 10), 64, "adam_sce", 0.001),
}


@functools.cache
def data(name: str) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """``(x, y, initial weights)`` for a workload, the same for every implementation."""
    work = WORKLOADS[name]
    inputs, hidden, outputs = work.sizes
    rng = np.random.default_rng(1234)
    samples = work.batch_size * STEPS_PER_EPOCH
    if work.recipe == "sgd_mse":
        x = rng.standard_normal((samples, inputs), dtype=np.float32)
        y = rng.standard_normal((samples, outputs), dtype=np.float32)
    else:
        x = rng.random((samples, inputs), dtype=np.float32)
        y = rng.integers(0, outputs, samples).astype(np.int32)

    def glorot(fan_in: int, fan_out: int) -> np.ndarray:
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32)

    weights = [glorot(inputs, hidden), np.zeros(hidden, np.float32),
               glorot(hidden, outputs), np.zeros(outputs, np.float32)]
    return x, y, weights


def compiled_model(implementation: str, name: str) -> Any:
    """A fresh functional model for workload ``name``, with the shared initial
    weights, compiled the same way in either implementation."""
    keras = load(implementation)
    layers = importlib.import_module(f"{keras.__name__}.layers")
    models = importlib.import_module(f"{keras.__name__}.models")
    optimizers = importlib.import_module(f"{keras.__name__}.optimizers")
    losses = importlib.import_module(f"{keras.__name__}.losses")
    work = WORKLOADS[name]
    inputs, hidden, outputs = work.sizes
    x = layers.Input((inputs,))
    model = models.Model(x, layers.Dense(outputs)(layers.Dense(hidden, activation="relu")(x)))
    model.set_weights(data(name)[2])
    if work.recipe == "sgd_mse":
        model.compile(optimizer=optimizers.SGD(learning_rate=work.learning_rate),
                      loss=losses.MeanSquaredError())
    else:
        model.compile(optimizer=optimizers.Adam(learning_rate=work.learning_rate),
                      loss=losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
    return model


def _warm(call: Callable[[], Any]) -> Callable[[], Any]:
    call()  # traces and compiles before any timing
    return call


@functools.cache
def fit_call(implementation: str, name: str) -> Callable[[], Any]:
    """One ``fit`` of ``EPOCHS * STEPS_PER_EPOCH`` steps, warmed up."""
    x, y, weights = data(name)
    work = WORKLOADS[name]
    if implementation == HANDWRITTEN:
        return _warm(handwritten_loops.make_fit(backend_name(), work.recipe, work.learning_rate,
                                                weights, x, y, work.batch_size, EPOCHS))
    model = compiled_model(implementation, name)
    return _warm(lambda: model.fit(x, y, batch_size=work.batch_size, epochs=EPOCHS,
                                   shuffle=True, verbose=0))


@functools.cache
def evaluate_call(implementation: str, name: str) -> Callable[[], Any]:
    x, y, _ = data(name)
    model = compiled_model(implementation, name)
    return _warm(lambda: model.evaluate(x, y, batch_size=WORKLOADS[name].batch_size, verbose=0))


@functools.cache
def predict_call(implementation: str, name: str) -> Callable[[], Any]:
    x = data(name)[0]
    x = np.resize(x, (PREDICT_BATCH * PREDICT_BATCHES, x.shape[1]))  # repeats rows
    model = compiled_model(implementation, name)
    return _warm(lambda: model.predict(x, batch_size=PREDICT_BATCH, verbose=0))


class _Timed:
    # Calls take milliseconds to a second: one call per sample. A process's speed
    # is bimodal (on two cores, ~160 ms or ~105 ms per 784-wide fit, the same for
    # every implementation, set by where the OS puts XLA's threads), so samples
    # come from four processes (rounds), and each side's minimum from a fast one.
    number = 1
    rounds = 4
    repeat = (3, 8, 20.0)
    warmup_time = 0.3
    timeout = 600
    param_names = ["implementation", "workload"]
    prepare: Callable[[str, str], Callable[[], Any]]

    def setup(self, implementation: str, workload: str) -> None:
        self.call = type(self).prepare(implementation, workload)


class Fit(_Timed):
    """``fit`` over 256 steps; ``handwritten`` is the limit it is compared with."""

    params = [[*IMPLEMENTATIONS, HANDWRITTEN], list(WORKLOADS)]
    prepare = staticmethod(fit_call)

    def time_fit(self, implementation: str, workload: str) -> None:
        self.call()


class Evaluate(_Timed):
    """``evaluate`` over 64 batches of the workload's batch size."""

    params = [IMPLEMENTATIONS, list(WORKLOADS)]
    prepare = staticmethod(evaluate_call)

    def time_evaluate(self, implementation: str, workload: str) -> None:
        self.call()


class Predict(_Timed):
    """``predict`` over 32 batches of 256."""

    params = [IMPLEMENTATIONS, list(WORKLOADS)]
    prepare = staticmethod(predict_call)

    def time_predict(self, implementation: str, workload: str) -> None:
        self.call()


# --- peak memory ----------------------------------------------------------------------
MEMORY_WORKLOAD = "mlp_784_128_10"


def _resident_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise OSError(f"{field} not found in /proc/self/status")


def _growth_of(call: Callable[[], Any]) -> int:
    """Bytes the peak resident set rises above the current one while ``call`` runs."""
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # resets VmHWM (the peak) to the current VmRSS
    before = _resident_kib("VmRSS")
    call()
    return (_resident_kib("VmHWM") - before) * 1024


def fit_peak_growth(implementation: str) -> dict[str, int]:
    """In this process: the peak growth of the first and of a second ``fit``, and the
    process's peak resident set once both have run (``peak_resident``)."""
    x, y, _ = data(MEMORY_WORKLOAD)
    model = compiled_model(implementation, MEMORY_WORKLOAD)
    batch_size = WORKLOADS[MEMORY_WORKLOAD].batch_size

    def fit() -> None:
        model.fit(x, y, batch_size=batch_size, epochs=EPOCHS, shuffle=True, verbose=0)

    growth = {"first_fit": _growth_of(fit), "second_fit": _growth_of(fit)}
    return {**growth, "peak_resident": _resident_kib("VmHWM") * 1024}


# Each number is the median over this many fresh interpreters: one process's
# growth varies by ten MiB or more (38 to 56 MiB for the same JAX fit) with how the
# allocator's arenas happen to fill, and the machine's state drifts between runs.
MEMORY_SAMPLES = 5


def _one_growth(implementation: str) -> dict[str, int]:
    # A fresh interpreter, so nothing the other implementation (or an earlier
    # benchmark) allocated or cached shows up in its numbers.
    package = __package__ or "benchmarks"
    root = Path(__file__).resolve().parents[len(package.split("."))]
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import importlib; "
            "module = importlib.import_module(sys.argv[2] + '.training'); "
            "import json; print(json.dumps(module.fit_peak_growth(sys.argv[3])))")
    out = subprocess.run([sys.executable, "-c", code, str(root), package, implementation],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@functools.cache
def _measured_growth() -> dict[str, dict[str, int]]:
    """Per implementation, the median of each number over MEMORY_SAMPLES processes,
    the implementations taking turns so that a drift of the machine's state
    between samples reaches both alike."""
    runs: dict[str, list[dict[str, int]]] = {name: [] for name in IMPLEMENTATIONS}
    for _ in range(MEMORY_SAMPLES):
        for name in IMPLEMENTATIONS:
            runs[name].append(_one_growth(name))
    return {name: {key: int(np.median([run[key] for run in samples])) for key in samples[0]}
            for name, samples in runs.items()}


class FitPeakMemory:
    """Peak resident-set growth of ``fit`` on ``mlp_784_128_10`` (bytes), and the
    process's peak resident set after two fits (imports and model included)."""

    params = [IMPLEMENTATIONS, ["first_fit", "second_fit", "peak_resident"]]
    param_names = ["implementation", "phase"]
    unit = "bytes"
    timeout = 600

    def track_fit_peak_growth(self, implementation: str, phase: str) -> int:
        return _measured_growth()[implementation][phase]
