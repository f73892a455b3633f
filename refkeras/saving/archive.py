"""The ``.keras`` zip archive: writing its members, and reading them defensively.

Members, in the order written (all stored uncompressed)::

    metadata.json      {"keras_version": ..., "date_saved": ...}
    config.json        the serialized model (JSON)
    model.weights.h5   the weights file (``h5_store``)
    assets/<path>/...  files written by objects' ``save_assets``, if any

Reading checks every member name before anything is extracted or parsed:
names must be relative, use ``/``, and contain no ``..`` component, and no
name may repeat. Sizes are capped (see the constants below) by what the
archive *declares*, and reads stop at the cap whatever the header says.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import zipfile
from typing import IO, Any

CONFIG_NAME = "config.json"
METADATA_NAME = "metadata.json"
WEIGHTS_NAME = "model.weights.h5"
NPZ_WEIGHTS_NAME = "model.weights.npz"
ASSETS_DIR = "assets"

# JSON members beyond this size are refused: a config of 64 MiB is ~100,000 layers.
MAX_JSON_BYTES = 64 << 20
# A member that declares more than this and expands more than _MAX_EXPANSION times
# its stored size is a decompression bomb (weights are stored, ratio ~1).
BOMB_FLOOR_BYTES = 256 << 20
_MAX_EXPANSION = 100
# Weights up to this size are read into memory; larger ones go to a temporary file.
IN_MEMORY_WEIGHTS_BYTES = 1 << 30


class ArchiveWriter:
    """Writes the members of a ``.keras`` archive to a binary file object."""

    def __init__(self, fileobj: IO[bytes]):
        self.zip = zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_STORED)

    def write_text(self, name: str, text: str) -> None:
        # A bare ZipInfo carries the 1980-01-01 timestamp, as upstream's JSON members do.
        with self.zip.open(zipfile.ZipInfo(name), "w") as f:
            f.write(text.encode("utf-8"))

    def write_bytes(self, name: str, data: bytes) -> None:
        self.zip.writestr(name, data)

    def write_tree(self, directory: str, prefix: str) -> None:
        """Adds every file under ``directory`` as ``prefix/<relative path>``."""
        for root, dirs, files in os.walk(directory):
            dirs.sort()
            for file in sorted(files):
                full = os.path.join(root, file)
                relative = os.path.relpath(full, directory).replace(os.sep, "/")
                self.zip.write(full, f"{prefix}/{relative}")

    def close(self) -> None:
        self.zip.close()


class ArchiveReader:
    """A ``.keras`` archive opened for reading, its member names already checked.

    Raises ``zipfile.BadZipFile`` for a damaged archive and ``ValueError`` for
    a member name or size that is not allowed.
    """

    def __init__(self, source: Any, label: str):
        self.label = label
        self.zip = zipfile.ZipFile(source, "r")
        try:
            self.names = check_member_names(self.zip.infolist(), label)
        except Exception:
            self.zip.close()
            raise

    def read_json(self, name: str) -> str:
        """The text of a JSON member; ``KeyError`` when the archive lacks it."""
        if name not in self.names:
            raise KeyError(
                f"There is no item named '{name}' in the archive {self.label}. A `.keras` "
                f"file holds {CONFIG_NAME}, {METADATA_NAME} and {WEIGHTS_NAME}; this one "
                f"holds {sorted(self.names)[:10]}."
            )
        info = self.zip.getinfo(name)
        if info.file_size > MAX_JSON_BYTES:
            raise ValueError(
                f"Not allowed: archive member '{name}' declares {info.file_size} bytes, over "
                f"the limit of {MAX_JSON_BYTES} for JSON members (refkeras.saving.archive."
                "MAX_JSON_BYTES)."
            )
        data = _read_at_most(self.zip, info, MAX_JSON_BYTES)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise ValueError(f"Archive member '{name}' of {self.label} is not UTF-8 text: "
                             f"{e}.") from e

    def has_assets(self) -> bool:
        """Upstream reads assets whenever the archive has more than its three base members."""
        return len(self.names) > 3

    def open_weights(self, scratch: str) -> IO[bytes] | str:
        """The weights member as an in-memory file, or as a file path under ``scratch``."""
        info = self.zip.getinfo(WEIGHTS_NAME)
        check_not_bomb(info)
        if info.file_size <= IN_MEMORY_WEIGHTS_BYTES:
            return io.BytesIO(_read_at_most(self.zip, info, info.file_size))
        path = os.path.join(scratch, WEIGHTS_NAME)
        with self.zip.open(info) as src, open(path, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        return path

    def extract_assets(self, destination: str) -> None:
        """Writes the ``assets/`` members under ``destination`` (names already checked)."""
        for info in self.zip.infolist():
            if not info.filename.startswith(f"{ASSETS_DIR}/") or info.is_dir():
                continue
            check_not_bomb(info)
            target = os.path.join(destination, *info.filename.split("/")[1:])
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with self.zip.open(info) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)

    def close(self) -> None:
        self.zip.close()


def check_member_names(infos: list[zipfile.ZipInfo], label: str) -> set[str]:
    """The member names, after refusing absolute, ``..``, backslash and repeated names."""
    names: set[str] = set()
    for info in infos:
        name = info.filename
        parts = name.split("/")
        if (name.startswith("/") or "\\" in name or ":" in parts[0] or ".." in parts
                or "\x00" in name):
            raise ValueError(
                f"Not allowed: archive member {name!r} in {label} has an absolute path or a "
                "'..' component. A `.keras` file only holds relative member names; this "
                "file was not written by Keras."
            )
        if name in names:
            raise ValueError(f"Not allowed: archive member {name!r} appears twice in {label}.")
        names.add(name)
    return names


def check_not_bomb(info: zipfile.ZipInfo) -> None:
    if info.file_size > BOMB_FLOOR_BYTES and info.file_size > _MAX_EXPANSION * info.compress_size:
        raise ValueError(
            f"Not allowed: ZIP member '{info.filename}' declares {info.file_size} bytes but "
            f"only {info.compress_size} are stored; refusing to load a potential "
            "decompression bomb."
        )


def _read_at_most(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    with archive.open(info) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"Not allowed: archive member '{info.filename}' holds more than the "
                         f"{limit} bytes it may hold.")
    return data


def is_zip(path: Any) -> bool:
    """Whether ``path`` names a readable zip file (False for a missing file)."""
    try:
        return zipfile.is_zipfile(path)
    except OSError:
        return False


def make_scratch_dir() -> str:
    return tempfile.mkdtemp(prefix="refkeras-load-")
