"""Atomic saves (rule saving.files.atomic): an interrupted save never breaks the old file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from refkeras.saving import atomic, h5_store, load_model, load_weights, save_model, save_weights
from tests.saving.helpers import assert_weights, mlp, randomize

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_failed_save_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = str(tmp_path / "m.weights.h5")
    model = mlp()
    saved = randomize(model)
    save_weights(model, path)
    before = open(path, "rb").read()

    def broken(self, key, value):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(h5_store.VarsWriter, "__setitem__", broken)
    randomize(model, seed=9)
    with pytest.raises(RuntimeError, match="disk on fire"):
        save_weights(model, path)
    assert open(path, "rb").read() == before
    assert os.listdir(tmp_path) == ["m.weights.h5"]
    monkeypatch.undo()
    load_weights(model, path)
    assert_weights(model, saved)


def test_replacing_keeps_permissions_and_new_files_follow_the_umask(tmp_path):
    path = str(tmp_path / "m.keras")
    save_model(mlp(), path)
    os.chmod(path, 0o640)
    save_model(mlp(), path)
    assert os.stat(path).st_mode & 0o777 == 0o640
    umask = os.umask(0o022)
    os.umask(umask)
    fresh = str(tmp_path / "fresh.keras")
    save_model(mlp(), fresh)
    assert os.stat(fresh).st_mode & 0o777 == 0o666 & ~umask


def test_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        with atomic.atomic_path(str(tmp_path / "no" / "m.keras")):
            pass


_SLOW_SAVER = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, {repo!r})
    from refkeras.saving import h5_store, save_model, save_weights
    from tests.saving.helpers import mlp, randomize

    original = h5_store.VarsWriter.__setitem__
    def slow(self, key, value):
        original(self, key, value)
        open({flag!r}, "w").close()  # tell the parent we are mid-write
        time.sleep(60)
    h5_store.VarsWriter.__setitem__ = slow
    model = mlp()
    randomize(model, seed=5)
    (save_model if {path!r}.endswith(".keras") else save_weights)(model, {path!r})
""")


@pytest.mark.parametrize("name", ["m.keras", "m.weights.h5"])
def test_killed_save_leaves_the_old_file_loadable(tmp_path, name):
    path = str(tmp_path / name)
    model = mlp()
    saved = randomize(model)
    (save_model if name.endswith(".keras") else save_weights)(model, path)
    flag = str(tmp_path / "writing")
    script = _SLOW_SAVER.format(repo=REPO, flag=flag, path=path)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    child = subprocess.Popen([sys.executable, "-c", script], env=env)
    try:
        deadline = time.monotonic() + 120
        while not os.path.exists(flag):
            assert child.poll() is None, "the saving process ended before writing"
            assert time.monotonic() < deadline, "the saving process never started writing"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    target = mlp()
    if name.endswith(".keras"):
        target = load_model(path)
    else:
        load_weights(target, path)
    assert_weights(target, saved)
    leftovers = [f for f in os.listdir(tmp_path) if f not in (name, "writing")]
    assert all(f.startswith(f".{name}.") and f.endswith(".tmp") for f in leftovers)
    assert np.isfinite(len(leftovers))
