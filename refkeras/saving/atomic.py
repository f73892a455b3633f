"""Atomic file replacement: a save either completes or leaves the old file as it was.

The new content is written to a hidden temporary file in the target's own
directory (so the final rename never crosses file systems), flushed to disk
with ``fsync``, then renamed over the target with ``os.replace``, which POSIX
and Windows perform atomically. A process killed mid-save leaves at most a
stray ``.<name>.<random>.tmp`` file beside an intact target.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator

# rw for everyone, less the umask: what a plain open(path, "w") would create.
_NEW_FILE_MODE = 0o666


@contextlib.contextmanager
def atomic_path(target: str) -> Iterator[str]:
    """Yields a temporary path to write; on success it replaces ``target``.

    On an exception the temporary file is removed and ``target`` is untouched.

    >>> with atomic_path("model.weights.h5") as tmp:  # doctest: +SKIP
    ...     write_everything_to(tmp)
    """
    target = os.path.abspath(target)
    directory, base = os.path.split(target)
    if not os.path.isdir(directory):
        raise FileNotFoundError(
            f"Cannot save to {target}: the directory {directory} does not exist. Create it "
            "first (e.g. `os.makedirs(directory)`)."
        )
    temporary = os.path.join(directory, f".{base}.{secrets.token_hex(6)}.tmp")
    # O_EXCL: never write through a file (or link) planted at the temporary name.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _NEW_FILE_MODE)
    os.close(fd)
    try:
        yield temporary
        _fsync_file(temporary)
        if os.path.exists(target):
            _copy_mode(target, temporary)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_directory(directory)


def _fsync_file(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_mode(source: str, destination: str) -> None:
    # Keep the permissions a user gave the file being replaced.
    with contextlib.suppress(OSError):
        os.chmod(destination, os.stat(source).st_mode & 0o7777)


def _fsync_directory(directory: str) -> None:
    # Makes the rename itself durable; not possible on every platform (e.g. Windows).
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
