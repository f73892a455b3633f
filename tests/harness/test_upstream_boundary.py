"""Upstream keras may be imported only by conformance/ and asv_benchmarks/.

refkeras must stand alone, and unit tests must not lean on the oracle; this reads the
source of both trees (without importing it) and lists every import of ``keras``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conformance._harness.spec_ids import REPO_ROOT


def keras_imports(path: Path) -> list[int]:
    """Line numbers of ``import keras...`` and ``from keras... import`` in one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        if any(name == "keras" or name.startswith("keras.") for name in names):
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("tree", ["refkeras", "tests"])
def test_tree_never_imports_upstream_keras(tree: str):
    offenders = [f"{path.relative_to(REPO_ROOT)}:{line}"
                 for path in sorted((REPO_ROOT / tree).rglob("*.py"))
                 for line in keras_imports(path)]
    assert not offenders, f"upstream keras imported outside conformance/: {offenders}"


def test_detector_sees_both_import_forms(tmp_path: Path):
    path = tmp_path / "sample.py"
    path.write_text("import os, keras.ops\nfrom keras import layers\nfrom .keras import x\n"
                    "import kerasish\n")
    assert keras_imports(path) == [1, 2]
