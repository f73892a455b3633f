"""Conformance fixtures: the implementation under test beside upstream Keras.

``--impl refkeras`` (default) compares refkeras with upstream; ``--impl keras``
compares upstream with itself, which must always pass.
"""

from __future__ import annotations

import importlib

import pytest


def pytest_addoption(parser):
    parser.addoption("--impl", default="refkeras", choices=("refkeras", "keras"),
                     help="implementation compared against upstream keras")


def pytest_configure(config):
    config.addinivalue_line("markers", "spec(*ids): spec requirement IDs this test checks")


@pytest.fixture(scope="session")
def impl(request):
    """The implementation under test (the module ``refkeras`` or ``keras``)."""
    return importlib.import_module(request.config.getoption("--impl"))


@pytest.fixture(scope="session")
def upstream():
    """Upstream keras 3.15.1, the oracle."""
    return importlib.import_module("keras")
