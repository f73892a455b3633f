"""Reading ``.keras`` archives and ``.weights.h5`` files.

Loading never runs code from the file unless ``safe_mode=False`` (lambdas are
refused by the deserializer), and it is all-or-nothing for variables: values
are staged (``staging``) and assigned only once every object has loaded.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import warnings
from typing import Any

from refkeras.saving import archive, compiling, traversal
from refkeras.saving.assets import AssetDirs
from refkeras.saving.h5_store import H5Reader
from refkeras.saving.staging import StagedUpdates
from refkeras.serialization import ObjectSharingScope, deserialize_keras_object


def load_model(filepath: Any, custom_objects: dict | None = None, compile: bool = True,
               safe_mode: bool = True) -> Any:
    """Rebuilds a model from a ``.keras`` file: config, then weights, then assets.

    Args:
        filepath: a path ending in ``.keras``, or a readable binary file object.
        custom_objects: name -> class or function, for custom objects in the config.
        compile: whether to restore the training configuration too.
        safe_mode: refuse Python lambdas in the config (they would run code).

    >>> model = load_model("model.keras")  # doctest: +SKIP
    """
    if isinstance(filepath, io.IOBase):
        return _load_archive(filepath, "<file object>", custom_objects, compile, safe_mode)
    path = os.fspath(filepath)
    if path.endswith(".keras"):
        if not archive.is_zip(path):
            raise ValueError(
                f"File not found: filepath={path}. Please ensure the file is an accessible "
                "`.keras` zip file."
            )
        with open(path, "rb") as f:
            return _load_archive(f, path, custom_objects, compile, safe_mode)
    if path.endswith((".h5", ".hdf5")):
        raise ValueError(
            f"File format not supported: filepath={path}. refkeras reads V3 `.keras` files "
            "only, not the legacy HDF5 model format. Re-save the model with Keras 3 as "
            "`model.save('model.keras')`."
        )
    raise ValueError(
        f"File format not supported: filepath={path}. Keras 3 only supports V3 `.keras` "
        "files. Pass a path ending in `.keras`."
    )


def load_weights(obj: Any, filepath: Any, skip_mismatch: bool = False, **kwargs: Any) -> None:
    """Loads variable values into ``obj`` (built) from a ``.weights.h5`` or ``.keras`` file.

    With ``skip_mismatch=True``, objects whose stored values do not fit (count or
    shape) keep their values and a warning lists them; otherwise any misfit
    raises ``ValueError`` and no variable changes.
    """
    objects_to_skip = kwargs.pop("objects_to_skip", None)
    by_name = kwargs.pop("by_name", None)
    if kwargs:
        raise ValueError(f"Invalid keyword arguments: {kwargs}")
    path = os.fspath(filepath)
    if path.endswith(".keras"):
        if objects_to_skip is not None:
            raise ValueError("`objects_to_skip` only supports loading '.weights.h5' files."
                             f"Received: {path}")
        if by_name is not None:
            raise ValueError("`by_name` only supports loading legacy '.h5' or '.hdf5' files. "
                             f"Received: {path}")
        _check_built(obj)
        _load_weights_from_archive(obj, path, skip_mismatch)
    elif path.endswith(".weights.h5"):
        if by_name is not None:
            raise ValueError("`by_name` only supports loading legacy '.h5' or '.hdf5' files. "
                             f"Received: {path}")
        _check_built(obj)
        skip = {id(o) for o in objects_to_skip} if objects_to_skip is not None else set()
        weights = H5Reader(path, label=path)
        try:
            load_state(obj, weights, None, skip_mismatch, skip)
        finally:
            weights.close()
    else:
        raise ValueError(
            f"File format not supported: filepath={path}. refkeras loads weights from "
            "`.weights.h5` and `.keras` files (not sharded `.weights.json`, legacy `.h5` or "
            "Orbax checkpoints)."
        )


def load_state(root: Any, weights: H5Reader, assets: AssetDirs | None,
               skip_mismatch: bool = False, skip: set[int] | None = None) -> None:
    """Loads every object reachable from ``root``; all variables or none are assigned."""
    staged = StagedUpdates()
    failures: list[tuple[Any, Exception]] = []
    legacy: list[str] = []
    with_assets: list[traversal.Visit] = []
    for visit in traversal.walk(root, visited=skip, has_path=weights.has_path):
        obj = visit.obj
        if hasattr(obj, "load_own_variables"):
            try:
                staged.stage(obj.load_own_variables, weights.vars_group(visit.path))
            except Exception as e:
                if visit.legacy:
                    legacy.append(visit.path)
                else:
                    failures.append((obj, e))
        if assets is not None and hasattr(obj, "load_assets"):
            with_assets.append(visit)
    for path in legacy:
        warnings.warn(
            f"Skipping '{path}': no matching group found in the saved file. This usually "
            "means the file was saved with a Keras version that did not serialize sublayers "
            "nested inside containers. Affected layers will retain their freshly-initialized "
            "weights.",
            stacklevel=3,
        )
    if failures and not skip_mismatch:
        raise ValueError(_failure_message(failures, "No variable was changed."))
    for visit in with_assets:
        visit.obj.load_assets(assets.get(visit.path))
    staged.apply()
    if failures:
        warnings.warn(_failure_message(failures, "They kept their values."), stacklevel=3)


def model_from_json(text: str, custom_objects: dict | None = None, compile: bool = True,
                    safe_mode: bool = True) -> Any:
    """Rebuilds the object described by a ``config.json`` text (no weights), compiled
    from its ``compile_config`` when ``compile`` (see ``compiling``)."""
    try:
        config = json.loads(text)
    except json.JSONDecodeError as e:
        raise json.JSONDecodeError(f"config.json is not valid JSON ({e.msg})", e.doc,
                                   e.pos) from None
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "Invalid config.json: expected a serialized object (a dict with 'class_name' and "
            f"'config'). Received a value of type {type(config).__name__}."
        )
    compile_config = compiling.split_compile_config(config, compile)
    with ObjectSharingScope():
        model = deserialize_keras_object(config, custom_objects, safe_mode=safe_mode)
        if compile_config is not None:
            compiling.compile_from_file(model, compile_config, custom_objects, safe_mode)
    return model


def _load_archive(fileobj: Any, label: str, custom_objects: Any, compile: bool,
                  safe_mode: bool) -> Any:
    reader = archive.ArchiveReader(fileobj, label)
    try:
        model = model_from_json(reader.read_json(archive.CONFIG_NAME), custom_objects,
                                compile, safe_mode)
        if archive.WEIGHTS_NAME not in reader.names:
            raise ValueError(
                f"Expected a {archive.WEIGHTS_NAME} or {archive.NPZ_WEIGHTS_NAME} file. "
                f"The archive {label} has no weights member (refkeras reads "
                f"{archive.WEIGHTS_NAME} only)."
            )
        scratch = archive.make_scratch_dir()
        try:
            weights = H5Reader(reader.open_weights(scratch), label=f"{label}/"
                               f"{archive.WEIGHTS_NAME}")
            assets = None
            if reader.has_assets():
                reader.extract_assets(os.path.join(scratch, archive.ASSETS_DIR))
                assets = AssetDirs(os.path.join(scratch, archive.ASSETS_DIR))
            try:
                load_state(model, weights, assets)
            finally:
                weights.close()
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    finally:
        reader.close()
    return model


def _load_weights_from_archive(obj: Any, path: str, skip_mismatch: bool) -> None:
    reader = archive.ArchiveReader(path, path)
    scratch = archive.make_scratch_dir()
    try:
        weights = H5Reader(reader.open_weights(scratch), label=f"{path}/{archive.WEIGHTS_NAME}")
        try:
            load_state(obj, weights, None, skip_mismatch)
        finally:
            weights.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        reader.close()


def _check_built(obj: Any) -> None:
    if not getattr(obj, "built", True):
        raise ValueError(
            "You are loading weights into a model that has not yet been built. Try building "
            "the model first by calling it on some data or by using `build()`."
        )


def _failure_message(failures: list[tuple[Any, Exception]], outcome: str) -> str:
    obj, error = failures[0]
    return (
        f"A total of {len(failures)} objects could not be loaded. {outcome} Example error "
        f"message for object {obj}:\n\n{error}\n\nList of objects that could not be "
        f"loaded:\n{[o for o, _ in failures]}"
    )
