"""Conformance of ``distribution`` and of data-parallel training with upstream Keras.

API checks run in-process. Training runs ``tests/distribution/multi_device_run.py``
for the implementation under test and for upstream, each in a fresh process with
two devices configured, and compares the data-parallel results.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conformance.tolerances import assert_close

spec = pytest.mark.spec
SCRIPT = Path(__file__).parent.parent / "tests" / "distribution" / "multi_device_run.py"
# One case keeps the two traced runs short; tests/distribution runs the others on refkeras.
CASES = "classification"


def _raises(fn) -> tuple:
    try:
        fn()
    except Exception as e:  # noqa: BLE001  (the class and message are what is compared)
        return type(e).__name__, str(e)
    return None, None


@spec("distribution.devices.list")
def test_list_devices(impl, upstream):
    assert impl.distribution.list_devices() == upstream.distribution.list_devices()
    assert impl.distribution.list_devices("cpu") == upstream.distribution.list_devices("cpu")
    # Upstream's TensorFlow backend lacks get_device_count; its JAX one counts the same list.
    if impl is not upstream:
        assert impl.distribution.get_device_count() == len(upstream.distribution.list_devices())


@spec("distribution.mesh.validation")
@pytest.mark.parametrize("shape, names, devices", [
    ((), ["batch"], ["cpu:0"]), ((1,), [], ["cpu:0"]), ((1, 1), ["batch"], ["cpu:0"]),
    ((3,), ["batch"], ["cpu:0", "cpu:1"]),
])
def test_device_mesh_errors(impl, upstream, shape, names, devices):
    ours = _raises(lambda: impl.distribution.DeviceMesh(shape, names, devices=devices))
    theirs = _raises(lambda: upstream.distribution.DeviceMesh(shape, names, devices=devices))
    assert ours[0] == theirs[0] == "ValueError"
    assert re.split(r"[.:]", ours[1])[0] == re.split(r"[.:]", theirs[1])[0]


@spec("distribution.mesh.validation")
def test_device_mesh_shape_and_repr(impl, upstream):
    devices = ["x:0", "x:1", "x:2", "x:3"]
    ours = impl.distribution.DeviceMesh((2, 2), ["a", "b"], devices=devices)
    theirs = upstream.distribution.DeviceMesh((2, 2), ["a", "b"], devices=devices)
    assert ours.devices.tolist() == theirs.devices.tolist()
    assert repr(ours) == repr(theirs)
    default = impl.distribution.DeviceMesh((len(impl.distribution.list_devices()),), ["b"])
    assert default.devices.tolist() == upstream.distribution.list_devices()


@spec("distribution.layout.axes")
def test_tensor_layout_errors(impl, upstream):
    def build(lib, axes):
        mesh = lib.distribution.DeviceMesh((1,), ["batch"], devices=["cpu:0"])
        return lib.distribution.TensorLayout(axes, mesh)

    ours, theirs = _raises(lambda: build(impl, ["model"])), _raises(lambda: build(upstream,
                                                                                  ["model"]))
    assert ours == theirs and ours[0] == "ValueError"

    def reset(lib):
        layout = build(lib, ["batch"])
        layout.device_mesh = layout.device_mesh

    ours, theirs = _raises(lambda: reset(impl)), _raises(lambda: reset(upstream))
    assert ours[0] == theirs[0] == "ValueError"
    assert "Cannot override device mesh value" in ours[1]


@spec("distribution.data_parallel.mesh", "distribution.data_parallel.layouts")
def test_data_parallel_properties(impl, upstream):
    ours, theirs = impl.distribution.DataParallel(), upstream.distribution.DataParallel()
    assert ours.batch_dim_name == theirs.batch_dim_name
    assert ours.num_model_replicas == theirs.num_model_replicas
    assert ours.device_mesh.devices.tolist() == theirs.device_mesh.devices.tolist()
    assert ours.device_mesh.axis_names == theirs.device_mesh.axis_names
    assert ours.get_data_layout((8, 2, 3)).axes == theirs.get_data_layout((8, 2, 3)).axes
    ours_var = impl.Variable(np.zeros((2, 3), "float32"))
    theirs_var = upstream.Variable(np.zeros((2, 3), "float32"))
    assert ours.get_variable_layout(ours_var).axes == theirs.get_variable_layout(theirs_var).axes
    assert ours.get_tensor_layout("a/b") is theirs.get_tensor_layout("a/b") is None


@spec("distribution.data_parallel.mesh")
def test_data_parallel_mesh_arguments(impl, upstream):
    devices = impl.distribution.list_devices()[:1]

    # A 2-D mesh is not compared: upstream 3.15.1 passes the mesh rank as the warning
    # category and raises TypeError; refkeras warns (tests/distribution/test_api.py).
    def from_1d_mesh(lib):
        mesh = lib.distribution.DeviceMesh((1,), ["rows"], devices=devices)
        return lib.distribution.DataParallel(device_mesh=mesh).batch_dim_name

    assert from_1d_mesh(impl) == from_1d_mesh(upstream) == "rows"
    ours = _raises(lambda: impl.distribution.DataParallel(device_mesh="mesh"))
    theirs = _raises(lambda: upstream.distribution.DataParallel(device_mesh="mesh"))
    assert ours == theirs and ours[0] == "ValueError"
    assert (impl.distribution.DataParallel(devices=devices).device_mesh.devices.tolist()
            == upstream.distribution.DataParallel(devices=devices).device_mesh.devices.tolist())


@spec("distribution.current.scope")
def test_scope_nesting(impl, upstream):
    def trace(lib):
        seen = [lib.distribution.distribution()]
        outer, inner = lib.distribution.DataParallel(), lib.distribution.DataParallel()
        with outer.scope():
            seen.append(lib.distribution.distribution() is outer)
            with inner.scope():
                seen.append(lib.distribution.distribution() is inner)
            seen.append(lib.distribution.distribution() is outer)
        seen.append(lib.distribution.distribution())
        lib.distribution.set_distribution(outer)
        seen.append(lib.distribution.distribution() is outer)
        lib.distribution.set_distribution(None)
        return seen

    assert trace(impl) == trace(upstream) == [None, True, True, True, None, True]


def _train(module: str, path: Path) -> subprocess.Popen:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    return subprocess.Popen([sys.executable, str(SCRIPT), module, str(path), CASES], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def trained(impl, tmp_path_factory):
    folder = tmp_path_factory.mktemp("distribution")
    # Both processes at once: each spends most of its time tracing on one core.
    runs = {name: _train(name, folder / f"{name}.npz") for name in (impl.__name__, "keras")}
    results = {}
    for name, proc in runs.items():
        _, err = proc.communicate(timeout=400)
        assert proc.returncode == 0, err[-4000:]
        with np.load(folder / f"{name}.npz") as data:
            results[name] = dict(data)
    return results[impl.__name__], results["keras"]


def _backend_rule() -> str:
    if os.environ.get("KERAS_BACKEND") == "jax":
        return "distribution.training.jax_data_parallel"
    return "distribution.training.tf_mirrored"


@spec("distribution.training.jax_data_parallel", "distribution.training.tf_mirrored")
@pytest.mark.parametrize("case", CASES.split(","))
def test_data_parallel_training_matches_upstream(trained, case):
    ours, theirs = trained
    keys = sorted(k for k in theirs if k.startswith(f"{case}/multi/"))
    assert keys == sorted(k for k in ours if k.startswith(f"{case}/multi/")), _backend_rule()
    assert int(ours[f"{case}/multi/devices"]) == int(theirs[f"{case}/multi/devices"]) == 2
    for key in keys:
        assert_close(ours[key], theirs[key], "distribution.replicas_vs_upstream")


@spec("distribution.training.jax_data_parallel", "distribution.training.tf_mirrored")
@pytest.mark.parametrize("case", CASES.split(","))
def test_data_parallel_training_matches_one_device(trained, case):
    ours, _ = trained
    for key in (k for k in ours if k.startswith(f"{case}/single/") and "devices" not in k):
        assert_close(ours[key.replace("/single/", "/multi/")], ours[key],
                     "distribution.replicas_vs_single")
