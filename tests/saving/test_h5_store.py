"""The weights file store (rules saving.h5.*): layout, dtypes, and refusing hostile files."""

from __future__ import annotations

import io

import h5py
import ml_dtypes
import numpy as np
import pytest

from refkeras.saving.h5_store import H5Reader, H5Writer


def written(**groups) -> io.BytesIO:
    buffer = io.BytesIO()
    writer = H5Writer(buffer)
    for path, (name, values) in groups.items():
        store = writer.vars_group("" if path == "root" else path.replace("__", "/"), name)
        for key, value in values.items():
            store[key] = value
    writer.close()
    buffer.seek(0)
    return buffer


def test_named_groups_exist_even_when_empty_and_carry_the_name():
    buffer = written(root=("model", {}), layers__dense=("d", {"0": np.ones((2, 3), "f4")}),
                     nameless=(None, {}))
    with h5py.File(buffer, "r") as f:
        assert f["vars"].attrs["name"] == "model" and len(f["vars"]) == 0
        assert f["layers/dense/vars"].attrs["name"] == "d"
        assert dict(f["layers"].attrs) == {} and dict(f.attrs) == {}
        assert "nameless" not in f  # no name and no values: no group
        dataset = f["layers/dense/vars/0"]
        assert dataset.shape == (2, 3) and dataset.dtype == np.float32
        assert dataset.chunks is None and dataset.compression is None


def test_values_round_trip_with_their_dtypes():
    values = {"0": np.arange(6, dtype="float32").reshape(2, 3), "1": np.int64(7),
              "2": np.array([1.5, -2], dtype=ml_dtypes.bfloat16), "3": np.array([True, False]),
              "4": np.zeros((0, 3), "float16")}
    reader = H5Reader(written(layers__x=("x", values)))
    store = reader.vars_group("layers/x")
    assert sorted(store.keys()) == ["0", "1", "2", "3", "4"] and len(store) == 5
    for key, value in values.items():
        got = store[key]
        assert isinstance(got, np.ndarray)
        assert got.dtype == np.asarray(value).dtype and got.shape == np.shape(value)
        np.testing.assert_array_equal(got, value)
    with h5py.File(written(a=("a", {"0": values["2"]})), "r") as f:
        assert f["a/vars/0"].attrs["dtype"] == "bfloat16"


def test_missing_groups_read_as_empty_stores():
    reader = H5Reader(written(root=("m", {})))
    store = reader.vars_group("layers/nothing")
    assert len(store) == 0 and list(store.keys()) == [] and "0" not in store
    with pytest.raises(KeyError):
        store["0"]
    assert not reader.has_path("layers/nothing") and not reader.has_path("layers")


def _file_with(build) -> io.BytesIO:
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        build(f)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize("build, path, message", [
    (lambda f: f.__setitem__("layers/d/vars", h5py.SoftLink("/elsewhere")), "layers/d",
     "Not allowed: H5 file with SoftLink"),
    (lambda f: f.__setitem__("layers", h5py.ExternalLink("other.h5", "/")), "layers/d",
     "Not allowed: H5 file with ExternalLink"),
    (lambda f: f.create_dataset("layers/d", data=[1]), "layers/d", "expected Group"),
])
def test_links_and_misplaced_datasets_are_refused(build, path, message):
    reader = H5Reader(_file_with(build))
    with pytest.raises(ValueError, match=message):
        reader.vars_group(path)


@pytest.mark.parametrize("build, message", [
    (lambda g: g.create_dataset("0", data=np.array([b"text"])), "weights must be numeric"),
    (lambda g: g.__setitem__("0", h5py.SoftLink("/x")), "Not allowed: H5 file with SoftLink"),
    (lambda g: g.create_group("0"), "expected Dataset"),
    (lambda g: g.create_dataset("0", shape=(1 << 20, 1 << 20), dtype="f4", chunks=(64, 64),
                                compression="gzip"), "shape bomb"),
])
def test_hostile_datasets_are_refused(build, message):
    reader = H5Reader(_file_with(lambda f: build(f.create_group("vars"))))
    with pytest.raises(ValueError, match=message):
        reader.vars_group("")["0"]


def test_not_hdf5_is_an_os_error_naming_the_file():
    with pytest.raises(OSError, match="Cannot read the weights file as HDF5"):
        H5Reader(io.BytesIO(b"not an hdf5 file" * 20))
