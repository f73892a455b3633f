"""Data-parallel training on two devices gives one device's results.

Each backend runs ``multi_device_run.py`` in a fresh process (two devices must
be configured before the backend starts): TensorFlow with MirroredStrategy
over two logical devices, JAX with DataParallel over two host devices.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conformance.tolerances import assert_close

SCRIPT = Path(__file__).with_name("multi_device_run.py")
CASES = ("regression", "classification_two_steps")


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = tmp_path_factory.mktemp("multi_device") / "results.npz"
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([sys.executable, str(SCRIPT), "refkeras", str(out), ",".join(CASES)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-4000:]
    with np.load(out) as data:
        return dict(data)


@pytest.mark.parametrize("case", CASES)
def test_runs_used_one_and_two_devices(results, case):
    assert int(results[f"{case}/single/devices"]) == 1
    assert int(results[f"{case}/multi/devices"]) == 2


@pytest.mark.parametrize("case", CASES)
def test_two_devices_match_one(results, case):
    single = {k.split("/", 2)[2]: v for k, v in results.items()
              if k.startswith(f"{case}/single/") and not k.endswith("/devices")}
    multi = {k.split("/", 2)[2]: v for k, v in results.items()
             if k.startswith(f"{case}/multi/") and not k.endswith("/devices")}
    assert sorted(single) == sorted(multi)
    assert any(name.startswith("history/val_") for name in single)
    for name in single:
        assert_close(multi[name], single[name], "distribution.replicas_vs_single")
