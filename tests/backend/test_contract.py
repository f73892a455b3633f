"""Both backends implement the whole contract; selection follows KERAS_BACKEND."""

import importlib
import os
import subprocess
import sys

import pytest

from refkeras import backend
from refkeras.backend import contract


def test_active_backend_matches_environment():
    assert backend.backend() == (os.environ.get("KERAS_BACKEND") or "tensorflow")


def test_active_backend_implements_every_contract_name():
    assert contract.missing_names(backend.impl) == []


@pytest.mark.parametrize("name", ["jax", "tensorflow"])
def test_each_backend_package_implements_the_contract(name):
    module = importlib.import_module(f"refkeras.backend.{name}")
    assert contract.missing_names(module) == []


@pytest.mark.parametrize("name", ["jax", "tensorflow"])
def test_each_backend_supplies_the_training_steps(name):
    module = importlib.import_module(f"refkeras.backend.{name}.trainer_steps")
    assert contract.missing_trainer_names(module) == []
    steps = module.unobserved_steps_per_call()
    assert isinstance(steps, int) and steps >= 1


def test_unknown_backend_name_is_a_value_error_listing_valid_ones():
    env = dict(os.environ, KERAS_BACKEND="torchy")
    proc = subprocess.run([sys.executable, "-c", "import refkeras"], env=env,
                          capture_output=True, text=True)
    assert proc.returncode != 0
    assert "ValueError" in proc.stderr and "torchy" in proc.stderr
    assert "tensorflow" in proc.stderr and "jax" in proc.stderr


def test_no_backend_name_comparisons_outside_backend_packages():
    root = os.path.dirname(importlib.import_module("refkeras").__file__)
    offenders = []
    for dirpath, _, files in os.walk(root):
        if os.sep + "backend" in dirpath[len(root):]:
            continue
        for f in files:
            if f.endswith(".py"):
                text = open(os.path.join(dirpath, f)).read()
                for needle in ('backend() == "', "backend() == '", 'backend() != "'):
                    if needle in text:
                        offenders.append(f)
    assert offenders == []

