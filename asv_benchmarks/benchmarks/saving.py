"""Saving: ``.keras`` and ``.weights.h5`` files of a 500-layer functional model.

``setup`` builds a chain of ``depth`` Dense(16) layers (and writes the files the
load benchmarks read), so each sample times one save or one load: serializing
the config, walking the layers, writing or reading the h5 file and the zip,
and for ``load_model`` rebuilding the model. Target (``ratios.py``): refkeras
takes at most half of upstream's time for each.
"""

import importlib
import os
import shutil
import tempfile

from .implementations import IMPLEMENTATIONS, load


class SaveLoad:
    """Save and load a functional chain of ``depth`` Dense(16) layers."""

    params = [IMPLEMENTATIONS, [500]]
    param_names = ["implementation", "depth"]
    # asv re-runs setup before every sample (it builds a 500-layer model): a few
    # single-call samples, no warmup (see graph.py).
    number = 1
    repeat = (3, 8, 30.0)
    rounds = 1
    warmup_time = 0.0
    timeout = 900

    def setup(self, implementation: str, depth: int) -> None:
        load(implementation)  # checks the name and imports the package
        self.saving = importlib.import_module(f"{implementation}.saving")
        layers = importlib.import_module(f"{implementation}.layers")
        models = importlib.import_module(f"{implementation}.models")
        x = h = layers.Input((16,))
        for _ in range(depth):
            h = layers.Dense(16)(h)
        self.model = models.Model(x, h)
        self.directory = tempfile.mkdtemp(prefix="asv-saving-")
        self.keras_path = os.path.join(self.directory, "model.keras")
        self.weights_path = os.path.join(self.directory, "model.weights.h5")
        self.saving.save_model(self.model, self.keras_path)
        self.saving.save_weights(self.model, self.weights_path)

    def teardown(self, implementation: str, depth: int) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)

    def time_save_model(self, implementation: str, depth: int) -> None:
        self.saving.save_model(self.model, self.keras_path)

    def time_load_model(self, implementation: str, depth: int) -> None:
        self.saving.load_model(self.keras_path)

    def time_save_weights(self, implementation: str, depth: int) -> None:
        self.saving.save_weights(self.model, self.weights_path)

    def time_load_weights(self, implementation: str, depth: int) -> None:
        self.saving.load_weights(self.model, self.weights_path)
