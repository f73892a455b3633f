"""Asset directories: files an object writes with ``save_assets(dir)`` (vocabularies, ...).

Each visited object that has ``save_assets`` gets the directory
``assets/<its walk path>`` (``assets`` itself for the root); in the archive
its files become members ``assets/<path>/<file>``. On load, the object's
``load_assets(dir)`` receives that directory, or None when the archive has
none for it. Upstream hands over assets only when the archive has members
beyond its three base files; so does refkeras.
"""

from __future__ import annotations

import os


class AssetDirs:
    """Per-object asset directories under one root directory."""

    def __init__(self, root: str):
        self.root = os.path.realpath(root)

    def _resolve(self, path: str) -> str:
        full = os.path.realpath(os.path.join(self.root, *path.split("/"))) if path else self.root
        if os.path.commonpath([self.root, full]) != self.root:
            raise ValueError(f"Invalid asset path: '{path}' escapes the asset directory.")
        return full

    def make(self, path: str) -> str:
        """The directory an object at ``path`` saves into (created)."""
        full = self._resolve(path)
        os.makedirs(full, exist_ok=True)
        return full

    def get(self, path: str) -> str | None:
        """The directory an object at ``path`` loads from, or None when there is none."""
        full = self._resolve(path)
        return full if os.path.exists(full) else None
