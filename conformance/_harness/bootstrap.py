"""Creates and fills the project's ``.venv``, then re-runs ``python -m conformance`` inside it.

Standard library only: this runs on a bare ``python3`` (3.11+) with pip. The install is
skipped when a stamp file in the venv says the same requirements were already installed from
the same pyproject.toml, so a second run starts at once.

With a working ``nvidia-smi`` the CUDA builds of TensorFlow and JAX are installed instead of
the CPU ones; ``REFKERAS_GPU=0`` or ``=1`` overrides the detection.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
VENV_DIR = REPO_ROOT / ".venv"
STAMP = VENV_DIR / "refkeras-install.json"

CPU_REQUIREMENTS = ["-e", ".[jax,tensorflow,conformance,dev]"]
# The `tensorflow` extra pins tensorflow-cpu, which must not sit beside the CUDA build.
GPU_REQUIREMENTS = ["-e", ".[jax,conformance,dev]",
                    "jax[cuda12]==0.10.*", "tensorflow[and-cuda]==2.21.*"]


def venv_python(venv_dir: Path = VENV_DIR) -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    return venv_dir / scripts / ("python.exe" if os.name == "nt" else "python")


def inside_venv(venv_dir: Path = VENV_DIR) -> bool:
    return Path(sys.prefix).resolve() == venv_dir.resolve()


def wants_gpu() -> bool:
    """True when REFKERAS_GPU=1, or when it is unset and ``nvidia-smi`` runs successfully."""
    choice = os.environ.get("REFKERAS_GPU", "")
    if choice in ("0", "1"):
        return choice == "1"
    if shutil.which("nvidia-smi") is None:
        return False
    try:
        probe = subprocess.run(["nvidia-smi", "-L"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def install_key(requirements: list[str]) -> str:
    """Changes whenever pyproject.toml or the requirement list changes."""
    digest = hashlib.sha256((REPO_ROOT / "pyproject.toml").read_bytes())
    digest.update(json.dumps(requirements).encode())
    return digest.hexdigest()


def _fail(message: str) -> None:
    sys.exit(f"conformance set-up: {message}")


def create_venv() -> None:
    print(f"conformance set-up: creating {VENV_DIR} with {sys.executable}", flush=True)
    try:
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV_DIR)
    except (OSError, subprocess.CalledProcessError) as error:
        _fail(f"could not create {VENV_DIR} ({error}). On Debian/Ubuntu install the "
              "python3-venv package, then run the command again.")


def install(requirements: list[str]) -> None:
    command = [str(venv_python()), "-m", "pip", "install", "--disable-pip-version-check",
               *requirements]
    print("conformance set-up: " + " ".join(command), flush=True)
    if subprocess.run(command, cwd=REPO_ROOT).returncode != 0:
        _fail("pip install failed (see its output above); fix that and run the command again.")


def ensure_environment() -> None:
    """Makes ``.venv`` hold the project and its pinned test dependencies (idempotent)."""
    if sys.version_info < (3, 11):  # noqa: UP036 - runs on whatever python3 the user has
        _fail(f"Python 3.11 or newer is required; {sys.executable} is "
              f"{sys.version.split()[0]}. Run the command with python3.11 or later.")
    gpu = wants_gpu()
    requirements = GPU_REQUIREMENTS if gpu else CPU_REQUIREMENTS
    stamp = json.loads(STAMP.read_text()) if STAMP.exists() else {}
    # Switching between the CPU and CUDA builds leaves conflicting packages behind: start over.
    stale_variant = stamp.get("gpu") not in (None, gpu)
    if not venv_python().exists() or (stale_variant and not inside_venv()):
        create_venv()
        stamp = {}
    key = install_key(requirements)
    if stamp.get("key") != key:
        install(requirements)
        STAMP.write_text(json.dumps({"key": key, "gpu": gpu}) + "\n")


def reexec_in_venv(argv: list[str]) -> None:
    """Replaces this process by ``.venv/bin/python -m conformance ARGV`` unless already there."""
    if inside_venv():
        return
    python = str(venv_python())
    os.chdir(REPO_ROOT)
    os.execv(python, [python, "-m", "conformance", *argv])
