"""Writing ``.keras`` archives and ``.weights.h5`` files.

Both are written atomically (``atomic.atomic_path``): a failed or interrupted
save leaves any existing file at the target untouched.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import shutil
import tempfile
import warnings
from typing import Any

from refkeras.saving import archive, traversal
from refkeras.saving.assets import AssetDirs
from refkeras.saving.atomic import atomic_path
from refkeras.saving.h5_store import H5Writer
from refkeras.serialization import ObjectSharingScope, serialize_keras_object

# metadata.json names the Keras release whose file format refkeras writes.
FORMAT_KERAS_VERSION = "3.15.1"


def save_model(model: Any, filepath: Any, overwrite: bool = True, zipped: bool | None = None,
               **kwargs: Any) -> None:
    """Saves ``model`` (config, weights, optimizer state, assets) as a ``.keras`` file.

    Args:
        model: the model (any Layer with a config) to save.
        filepath: a path ending in ``.keras``, or a writable binary file object.
        overwrite: when False and the file exists, ask on the terminal first.
        zipped: only True (the default) is supported.

    >>> model.save("model.keras")  # doctest: +SKIP
    """
    kwargs.pop("include_optimizer", None)  # the .keras format always includes it
    if kwargs:
        raise ValueError(f"The following argument(s) are not supported: {list(kwargs.keys())}")
    if zipped is False:
        raise NotImplementedError(
            "refkeras writes zipped `.keras` files only. Received: zipped=False. Pass "
            "zipped=True (the default) and a path ending in `.keras`."
        )
    if not getattr(model, "built", True):
        warnings.warn(
            "You are saving a model that has not yet been built. It might not contain any "
            "weights yet. Consider building the model first by calling it on some data.",
            stacklevel=2,
        )
    if isinstance(filepath, io.IOBase):
        _write_archive(model, filepath)
        return
    path = os.fspath(filepath)
    if path.endswith((".h5", ".hdf5")):
        raise ValueError(
            f"refkeras does not write the legacy HDF5 model format. Received: filepath={path}. "
            "Use a path ending in `.keras` (e.g. `model.save('model.keras')`)."
        )
    if not path.endswith(".keras"):
        raise ValueError(
            "Invalid filepath extension for saving. Please add either a `.keras` extension "
            f"for the native Keras format (recommended). Received: filepath={path}."
        )
    if not overwrite and os.path.exists(path) and not confirm_overwrite(path):
        return
    with atomic_path(path) as temporary, open(temporary, "wb") as f:
        _write_archive(model, f)


def save_weights(obj: Any, filepath: Any, overwrite: bool = True, max_shard_size: Any = None,
                 objects_to_skip: Any = None) -> None:
    """Saves the values of ``obj``'s variables (a built model or layer) as ``.weights.h5``.

    ``objects_to_skip`` lists saveables (e.g. layers) whose state is left out.
    """
    path = os.fspath(filepath)
    if max_shard_size is not None:
        raise NotImplementedError(
            f"refkeras does not write sharded weights. Received: max_shard_size="
            f"{max_shard_size}. Leave it as None to write a single `.weights.h5` file."
        )
    if not path.endswith(".weights.h5"):
        raise ValueError(f"The filename must end in `.weights.h5`. Received: filepath={path}")
    if not getattr(obj, "built", True):
        raise ValueError(
            "You are saving a model that has not yet been built. Try building the model "
            "first by calling it on some data or by using `build()`."
        )
    if not overwrite and os.path.exists(path) and not confirm_overwrite(path):
        return
    skip = {id(o) for o in objects_to_skip} if objects_to_skip is not None else set()
    with atomic_path(path) as temporary:
        writer = H5Writer(temporary)
        try:
            write_state(obj, writer, None, skip)
        finally:
            writer.close()


def write_state(root: Any, writer: H5Writer | None, assets: AssetDirs | None,
                skip: set[int] | None = None) -> None:
    """Walks ``root`` and has each object write its values and assets."""
    for visit in traversal.walk(root, visited=skip):
        obj = visit.obj
        if writer is not None and hasattr(obj, "save_own_variables"):
            name = getattr(obj, "name", None)
            obj.save_own_variables(writer.vars_group(visit.path, name))
        if assets is not None and hasattr(obj, "save_assets"):
            obj.save_assets(assets.make(visit.path))


def serialize_model(model: Any) -> tuple[str, str]:
    """``(config.json, metadata.json)`` texts; shared objects get ``shared_object_id``."""
    with ObjectSharingScope():
        config = serialize_keras_object(model)
    metadata = {"keras_version": FORMAT_KERAS_VERSION,
                "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")}
    return json.dumps(config), json.dumps(metadata)


def _write_archive(model: Any, fileobj: Any) -> None:
    config_json, metadata_json = serialize_model(model)
    scratch = tempfile.mkdtemp(prefix="refkeras-save-")
    try:
        assets = AssetDirs(os.path.join(scratch, archive.ASSETS_DIR))
        weights = io.BytesIO()
        writer = H5Writer(weights)
        try:
            write_state(model, writer, assets)
        finally:
            writer.close()
        out = archive.ArchiveWriter(fileobj)
        out.write_text(archive.METADATA_NAME, metadata_json)
        out.write_text(archive.CONFIG_NAME, config_json)
        out.write_bytes(archive.WEIGHTS_NAME, weights.getvalue())
        out.write_tree(assets.root, archive.ASSETS_DIR)
        out.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def confirm_overwrite(path: str) -> bool:
    """Asks on the terminal whether to overwrite ``path``; True for yes."""
    answer = input(f"[WARNING] {path} already exists - overwrite? [y/n]").strip().lower()
    while answer not in ("y", "n"):
        answer = input('Enter "y" (overwrite) or "n" (cancel).').strip().lower()
    if answer == "n":
        return False
    print("[TIP] Next time specify overwrite=True!")
    return True
