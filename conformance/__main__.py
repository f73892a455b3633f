"""``python3 -m conformance`` from the repository root: set up, then test (see README.md).

Runs on a bare Python 3.11+: it creates ``.venv`` and installs the project with its pinned test
dependencies when needed, then re-runs itself with the venv's Python and dispatches to
``conformance._harness.cli``. Everything imported here is standard library only.
"""

from __future__ import annotations

import sys

from conformance._harness import bootstrap, cli

if __name__ == "__main__":
    bootstrap.ensure_environment()
    bootstrap.reexec_in_venv(sys.argv[1:])
    sys.exit(cli.main(sys.argv[1:]))
