"""The weights file (HDF5): one ``vars`` group per visited object, one dataset per value.

Layout (``specs/saving.md``, rules ``saving.h5.*``)::

    /vars                      the root object's own values ("0", "1", ...)
    /layers/dense/vars         attribute ``name`` = the layer's name
    /layers/dense/vars/0       e.g. the kernel, (in, out) float32
    /optimizer/vars/0          ...

The writer creates a ``vars`` group for every visited object that has a
string ``name`` (empty or not), and otherwise only once a value is written.
The reader only follows hard links to groups and plain, internal datasets of
numeric dtype, and refuses datasets that declare far more data than they store.
"""

from __future__ import annotations

import math
from typing import Any

import h5py
import ml_dtypes
import numpy as np

from refkeras import backend
from refkeras.backend.variable import VariableBase

# A dataset declaring more than this many bytes must also store at least
# 1/_MAX_EXPANSION of them: otherwise it is a shape bomb (a huge shape filled from
# a fill value), refused before anything is allocated. Same rule as upstream.
BOMB_FLOOR_BYTES = 1 << 32  # 4 GiB
_MAX_EXPANSION = 1000
_BFLOAT16 = "bfloat16"  # stored as 2-byte opaque values, tagged with attribute dtype


# Group creation makes missing parents ("layers" for "layers/dense/vars") on the way.
_MAKE_PARENTS = h5py.h5p.create(h5py.h5p.LINK_CREATE)
_MAKE_PARENTS.set_create_intermediate_group(True)
# The attribute type h5py gives a Python str: a variable-length UTF-8 string.
_NAME_TYPE = h5py.h5t.py_create(h5py.string_dtype(), logical=True)


class H5Writer:
    """Writes a weights file to ``target`` (a path or a binary file object).

    Groups, attributes and datasets are made with h5py's low-level API, about
    twice as fast as the high-level one for the many small objects of a model;
    the file is the same.
    """

    def __init__(self, target: Any):
        self.file = h5py.File(target, "w")

    def vars_group(self, path: str, name: Any = None) -> VarsWriter:
        """The store an object at ``path`` writes its values into."""
        writer = VarsWriter(self.file, f"{path}/vars" if path else "vars")
        if isinstance(name, str):
            attribute = h5py.h5a.create(writer.group, b"name", _NAME_TYPE,
                                        h5py.h5s.create(h5py.h5s.SCALAR))
            attribute.write(np.array(name, dtype=h5py.string_dtype()))
        return writer

    def close(self) -> None:
        self.file.close()


class VarsWriter:
    """Dict-like store handed to ``save_own_variables``: ``store["0"] = value``."""

    def __init__(self, file: h5py.File, group_path: str):
        self._file = file
        self._path = group_path
        self._group: h5py.h5g.GroupID | None = None

    @property
    def group(self) -> h5py.h5g.GroupID:
        if self._group is None:  # created on first need: no empty groups for nameless objects
            encoded = self._path.encode()
            try:
                self._group = h5py.h5g.create(self._file.id, encoded, lcpl=_MAKE_PARENTS)
            except ValueError:  # already there: a sub-object's attribute is named "vars"
                self._group = h5py.h5o.open(self._file.id, encoded)
        return self._group

    def __setitem__(self, key: str, value: Any) -> None:
        # Variable.numpy() reads the value directly: about twice as fast as the generic
        # conversion on TensorFlow, where this is most of the cost of saving.
        if isinstance(value, VariableBase):
            array = np.asarray(value.numpy())
        else:
            array = np.asarray(backend.convert_to_numpy(value))
        if array.dtype == ml_dtypes.bfloat16:
            dataset = h5py.Group(self.group).create_dataset(key, data=array)
            dataset.attrs["dtype"] = _BFLOAT16
            return
        space = h5py.h5s.create_simple(array.shape) if array.ndim else h5py.h5s.create(
            h5py.h5s.SCALAR)
        # The low-level calls skip h5py's high-level bookkeeping (~2x faster per dataset);
        # the result is the same contiguous, uncompressed dataset.
        dataset = h5py.h5d.create(self.group, key.encode(), h5py.h5t.py_create(array.dtype),
                                  space)
        if array.size:
            dataset.write(h5py.h5s.ALL, h5py.h5s.ALL, np.ascontiguousarray(array))

    def __getitem__(self, key: str) -> np.ndarray:
        return read_dataset(self.group, key)

    def keys(self) -> list[str]:
        return [name.decode() for name in self._group] if self._group is not None else []

    def __len__(self) -> int:
        return len(self.keys())

    def __contains__(self, key: str) -> bool:
        return key in self.keys()

    def __delitem__(self, key: str) -> None:
        self.group.unlink(key.encode())


class H5Reader:
    """Reads a weights file from ``source`` (a path or a binary file object).

    Raises ``OSError`` (as h5py does) when the source is not a readable HDF5 file.
    Lookups use h5py's low-level API: one link query and one open per path
    component (the high-level API costs several times that per step).
    """

    def __init__(self, source: Any, label: str = "the weights file"):
        try:
            self.file = h5py.File(source, "r")
        except OSError as e:
            raise OSError(f"Cannot read {label} as HDF5: {e}. The file is corrupt or "
                          "truncated, or it is not a Keras weights file.") from e
        self._legacy = self.file.id.links.exists(b"_layer_checkpoint_dependencies")

    def has_path(self, path: str) -> bool:
        """Whether a group exists at ``path`` (links are not followed)."""
        return _lookup_group(self.file.id, path) is not None

    def vars_group(self, path: str) -> VarsReader:
        """The store at ``path``; empty when the file has no group there."""
        group = _lookup_group(self.file.id, f"{path}/vars" if path else "vars")
        if group is None and self._legacy and path:
            # Keras 2.13 files name the layers group differently.
            legacy = path.replace("layers", "_layer_checkpoint_dependencies")
            group = _lookup_group(self.file.id, f"{legacy}/vars")
        return VarsReader(group)

    def close(self) -> None:
        self.file.close()


class VarsReader:
    """Dict-like store handed to ``load_own_variables``: ``store["0"]`` is a NumPy array."""

    def __init__(self, group: h5py.h5g.GroupID | None):
        self.group = group

    def keys(self) -> list[str]:
        return [name.decode() for name in self.group] if self.group is not None else []

    def __len__(self) -> int:
        return len(self.group) if self.group is not None else 0

    def __contains__(self, key: str) -> bool:
        return self.group is not None and self.group.links.exists(key.encode())

    def __getitem__(self, key: str) -> np.ndarray:
        if self.group is None:
            raise KeyError(key)
        return read_dataset(self.group, key)


def _open_hard_link(parent: Any, name: str, where: str) -> Any:
    """The object ``name`` links to from ``parent``; None when absent. Only hard links."""
    encoded = name.encode()
    if not parent.links.exists(encoded):
        return None
    if parent.links.get_info(encoded).type != h5py.h5l.TYPE_HARD:
        kind = "SoftLink" if parent.links.get_info(encoded).type == h5py.h5l.TYPE_SOFT \
            else "ExternalLink"
        raise ValueError(
            f"Not allowed: H5 file with {kind} at {where!r}. Keras weights files only hold "
            "hard links."
        )
    return h5py.h5o.open(parent, encoded)


def _lookup_group(root: Any, path: str) -> h5py.h5g.GroupID | None:
    """The group at ``path`` under ``root`` (a GroupID); None when absent.

    Raises ``ValueError`` for soft or external links and for a dataset where a
    group should be.
    """
    current = root
    for part in path.split("/"):
        if not part:
            raise ValueError(f"Invalid path in H5 file: {path!r} (empty component).")
        current = _open_hard_link(current, part, path)
        if current is None:
            return None
        if not isinstance(current, h5py.h5g.GroupID):
            raise ValueError(f"Invalid H5 file, expected Group at {path!r} but received "
                             f"{type(current).__name__}.")
    return current


def read_dataset(group: Any, key: str) -> np.ndarray:
    """The dataset ``key`` of ``group`` (a GroupID) as an array, after the safety checks."""
    if "/" in key or not key:
        raise KeyError(key)
    dataset = _open_hard_link(group, key, key)
    if dataset is None:
        raise KeyError(key)
    if not isinstance(dataset, h5py.h5d.DatasetID):
        raise ValueError(f"Invalid H5 file, expected Dataset at {key!r}, "
                         f"received {type(dataset).__name__}.")
    plist = dataset.get_create_plist()
    if plist.get_external_count():
        raise ValueError(f"Not allowed: H5 file with external Dataset at {key!r}")
    if plist.get_layout() == h5py.h5d.VIRTUAL:
        raise ValueError("Not allowed: H5 file with virtual Dataset")
    bfloat16 = (h5py.h5a.exists(dataset, b"dtype")
                and h5py.Dataset(dataset).attrs["dtype"] == _BFLOAT16)
    dtype, shape = dataset.dtype, dataset.shape
    _check_dtype(dtype, key, bfloat16)
    declared = math.prod(shape) * dtype.itemsize
    stored = dataset.get_storage_size()
    if declared > BOMB_FLOOR_BYTES and declared > _MAX_EXPANSION * stored:
        raise ValueError(
            f"Not allowed: H5 dataset '{key}' declares {declared} bytes but only {stored} are "
            "stored on disk; refusing to load a potential decompression/shape bomb."
        )
    out = np.empty(shape, dtype=dtype)
    if out.size:
        dataset.read(h5py.h5s.ALL, h5py.h5s.ALL, out)
    return out.view(ml_dtypes.bfloat16) if bfloat16 else out


def _check_dtype(dtype: np.dtype, key: str, bfloat16: bool) -> None:
    if dtype.kind in "biufc" or (bfloat16 and dtype.itemsize == 2):
        return
    raise ValueError(
        f"Invalid H5 file: dataset {key!r} has dtype {dtype}; weights must be numeric or "
        "boolean arrays."
    )
