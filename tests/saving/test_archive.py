"""The ``.keras`` zip (rules saving.keras.*, saving.load.hostile_archives, damaged_files)."""

from __future__ import annotations

import io
import json
import os
import zipfile

import pytest

from refkeras.saving import archive, load_model, save_model
from refkeras.serialization import serialize_keras_object
from tests.saving.helpers import mlp


@pytest.fixture
def good(tmp_path):
    path = str(tmp_path / "good.keras")
    save_model(mlp(), path)
    return path


def rewrite(good: str, target: str, drop=(), extra=None, compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(good) as zf:
        members = {n: zf.read(n) for n in zf.namelist() if n not in drop}
    members.update(extra or {})
    with zipfile.ZipFile(target, "w", compression=compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return target


def test_members_order_and_storage(good):
    with zipfile.ZipFile(good) as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == ["metadata.json", "config.json",
                                               "model.weights.h5"]
        assert all(i.compress_type == zipfile.ZIP_STORED for i in infos)
        assert sorted(json.loads(zf.read("metadata.json"))) == ["date_saved", "keras_version"]
        config_text = zf.read("config.json").decode()
    assert json.loads(config_text)["class_name"] == "Sequential"
    assert '", "' in config_text or '": ' in config_text  # json.dumps default separators


def test_deflated_archives_load(good, tmp_path):
    path = rewrite(good, str(tmp_path / "deflated.keras"), compression=zipfile.ZIP_DEFLATED)
    assert load_model(path).name == "sequential"


@pytest.mark.parametrize("name", ["../evil.txt", "/abs.txt", "assets/../../x", "a\\..\\b",
                                  "C:/x"])
def test_unsafe_member_names_are_refused_before_anything_is_read(good, tmp_path, name):
    path = rewrite(good, str(tmp_path / "evil.keras"), extra={name: b"x"})
    with pytest.raises(ValueError, match="Not allowed: archive member"):
        load_model(path)
    assert not os.path.exists(tmp_path.parent / "evil.txt")


def test_repeated_member_names_are_refused(good, tmp_path):
    path = str(tmp_path / "twice.keras")
    rewrite(good, path)
    with zipfile.ZipFile(path, "a") as zf, pytest.warns(UserWarning, match="Duplicate"):
        zf.writestr("config.json", b"{}")
    with pytest.raises(ValueError, match="appears twice"):
        load_model(path)


def test_oversized_json_is_refused(good, tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_JSON_BYTES", 100)
    with pytest.raises(ValueError, match="over the limit of 100 for JSON members"):
        load_model(good)


def test_decompression_bombs_are_refused(good, tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "BOMB_FLOOR_BYTES", 1000)
    path = rewrite(good, str(tmp_path / "bomb.keras"),
                   extra={"model.weights.h5": b"\0" * 1_000_000},
                   compression=zipfile.ZIP_DEFLATED)
    with pytest.raises(ValueError, match="decompression bomb"):
        load_model(path)


@pytest.mark.parametrize("label, change, error, phrase", [
    ("no_config", {"drop": ("config.json",)}, KeyError, "config.json"),
    ("bad_json", {"extra": {"config.json": b"{not json"}}, json.JSONDecodeError,
     "not valid JSON"),
    ("list_json", {"extra": {"config.json": b"[1, 2]"}}, ValueError, "Invalid config.json"),
    ("no_weights", {"drop": ("model.weights.h5",)}, ValueError, "Expected a model.weights.h5"),
    ("bad_h5", {"extra": {"model.weights.h5": b"junk" * 100}}, OSError, "Cannot read"),
    ("binary_json", {"extra": {"config.json": b"\xff\xfe"}}, ValueError, "not UTF-8"),
])
def test_damaged_archives(good, tmp_path, label, change, error, phrase):
    path = rewrite(good, str(tmp_path / f"{label}.keras"), **change)
    with pytest.raises(error, match=phrase):
        load_model(path)


def test_not_a_zip_and_missing_files(tmp_path):
    path = tmp_path / "plain.keras"
    path.write_bytes(b"not a zip at all")
    with pytest.raises(ValueError, match="File not found: filepath=.*accessible `.keras` zip"):
        load_model(str(path))
    with pytest.raises(ValueError, match="File not found"):
        load_model(str(tmp_path / "missing.keras"))
    with pytest.raises(ValueError, match="File format not supported"):
        load_model(str(tmp_path / "model.h5"))


def test_unknown_class_is_refused(good, tmp_path):
    with zipfile.ZipFile(good) as zf:
        config = json.loads(zf.read("config.json"))
    config["config"]["layers"][1]["class_name"] = "NoSuchLayer"
    path = rewrite(good, str(tmp_path / "unknown.keras"),
                   extra={"config.json": json.dumps(config).encode()})
    with pytest.raises((ValueError, TypeError), match="NoSuchLayer"):
        load_model(path)


def test_lambdas_are_refused_in_safe_mode(good, tmp_path):
    with zipfile.ZipFile(good) as zf:
        config = json.loads(zf.read("config.json"))
    marker = str(tmp_path / "ran")
    config["config"]["layers"][1]["config"]["activation"] = serialize_keras_object(
        lambda x: open(marker, "w") and x)
    path = rewrite(good, str(tmp_path / "lambda.keras"),
                   extra={"config.json": json.dumps(config).encode()})
    # The deserializer wraps the refusal of a nested object in TypeError, as upstream's does.
    with pytest.raises((ValueError, TypeError), match="deserialization of a Python lambda"):
        load_model(path)
    assert not os.path.exists(marker)


def test_file_objects(good):
    model = mlp()
    buffer = io.BytesIO()
    save_model(model, buffer)
    buffer.seek(0)
    assert [layer.name for layer in load_model(buffer).layers] == \
        [layer.name for layer in model.layers]
