"""The refkeras.distribution API on one process's devices (no device configuration needed)."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import refkeras as keras
from refkeras import backend
from refkeras.distribution import (
    DataParallel,
    DeviceMesh,
    TensorLayout,
    distribution,
    get_device_count,
    list_devices,
    set_distribution,
)

ON_JAX = backend.distribution.__name__.endswith("jax.distribution")


def test_list_devices_names_type_and_index():
    devices = list_devices()
    assert devices and all(isinstance(d, str) and ":" in d for d in devices)
    assert len({d.split(":")[0] for d in devices}) == 1  # never a mix of device types
    assert get_device_count() == len(devices)
    assert all(d.startswith("cpu:") for d in list_devices("cpu"))


@pytest.mark.parametrize("shape, names, match", [
    ((), ["batch"], "cannot be empty"),
    ((2,), [], "cannot be empty"),
    ((2, 1), ["batch"], "same size"),
])
def test_device_mesh_rejects_bad_shapes(shape, names, match):
    with pytest.raises(ValueError, match=match):
        DeviceMesh(shape, names, devices=["cpu:0", "cpu:1"])


def test_device_mesh_rejects_a_device_count_other_than_the_shape():
    with pytest.raises(ValueError, match="Shape does not match the number of devices"):
        DeviceMesh((3,), ["batch"], devices=["cpu:0", "cpu:1"])


def test_device_mesh_reshapes_devices():
    mesh = DeviceMesh((2, 2), ["data", "model"], devices=["a:0", "a:1", "a:2", "a:3"])
    assert mesh.devices.shape == (2, 2) and mesh.devices[1, 0] == "a:2"
    assert repr(mesh) == "<DeviceMesh shape=(2, 2), axis_names=['data', 'model']>"


def test_tensor_layout_checks_axis_names_against_its_mesh():
    mesh = DeviceMesh((1,), ["batch"], devices=list_devices()[:1])
    with pytest.raises(ValueError, match="Invalid axis names for Layout"):
        TensorLayout(["model", None], mesh)
    layout = TensorLayout(["batch", None])
    layout.device_mesh = mesh
    with pytest.raises(ValueError, match="Cannot override device mesh"):
        layout.device_mesh = mesh


def test_data_parallel_defaults_to_every_device_on_a_batch_axis():
    dp = DataParallel()
    assert dp.batch_dim_name == "batch"
    assert dp.num_model_replicas == len(list_devices())
    assert dp.get_data_layout((8, 3)).axes == ("batch", None)
    variable = backend.Variable(np.zeros((2, 3), "float32"))
    assert dp.get_variable_layout(variable).axes == (None, None)
    assert dp.get_tensor_layout("dense/kernel") is None


def test_data_parallel_from_a_mesh_uses_its_first_axis_and_warns_when_not_1d():
    devices = list_devices()[:1]
    mesh = DeviceMesh((1, 1), ["rows", "cols"], devices=devices)
    with pytest.warns(UserWarning, match="Expect the input mesh to be 1D"):
        dp = DataParallel(device_mesh=mesh)
    assert dp.batch_dim_name == "rows"
    with pytest.raises(ValueError, match="Expect `mesh` to be an instance of `DeviceMesh`"):
        DataParallel(device_mesh="mesh")


def test_scope_sets_and_restores_and_set_distribution_persists():
    assert distribution() is None
    outer, inner = DataParallel(), DataParallel()
    with outer.scope():
        assert distribution() is outer
        with inner.scope():
            assert distribution() is inner
        assert distribution() is outer
    assert distribution() is None
    set_distribution(outer)
    try:
        assert keras.distribution.distribution() is outer
        seen = []
        thread = threading.Thread(target=lambda: seen.append(distribution()))
        thread.start()
        thread.join()
        assert seen == [None]  # each thread has its own current distribution
    finally:
        set_distribution(None)
    assert distribution() is None


@pytest.mark.skipif(not ON_JAX, reason="JAX shardings")
def test_variables_created_under_data_parallel_are_replicated_on_the_mesh():
    import jax  # noqa: PLC0415  (JAX-only test)

    dp = DataParallel()
    with dp.scope():
        variable = backend.Variable(np.ones((4, 2), "float32"))
    # Equivalent to replication over the mesh (on one device, that is the device itself;
    # the two-device runs of test_multi_device check the copies).
    replicated = dp.get_variable_layout(variable).backend_layout
    assert replicated.spec == jax.sharding.PartitionSpec(None, None)
    assert variable.value.sharding.is_equivalent_to(replicated, 2)
    assert variable._layout is not None
    layout = dp.get_data_layout((4, 2))
    assert layout.backend_layout.spec == jax.sharding.PartitionSpec("batch", None)


@pytest.mark.skipif(ON_JAX, reason="TensorFlow has no backend mesh")
def test_meshes_have_no_tensorflow_form():
    mesh = DeviceMesh((1,), ["batch"], devices=list_devices()[:1])
    with pytest.raises(NotImplementedError, match="tf.distribute"):
        _ = mesh.backend_mesh
