"""The README's quickstart runs as written and prints what it says."""

from __future__ import annotations

import contextlib
import io
import re

import numpy as np

from conformance._harness.spec_ids import REPO_ROOT


def quickstart() -> str:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    assert blocks, "README.md has no ```python quickstart block"
    return blocks[0]


def test_quickstart_runs_and_gives_the_documented_result():
    namespace: dict = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(quickstart(), "README.md", "exec"), namespace)
    assert tuple(namespace["y"].shape) == (None, 4)
    # Each entry is relu(3 * 1.0 * 0.5 + 1.0) = 2.5, as the README's comment says.
    np.testing.assert_array_equal(namespace["ops"].convert_to_numpy(namespace["out"]),
                                  np.full((2, 4), 2.5, "float32"))
    assert "2.5" in printed.getvalue()
