"""Conformance fixtures: the implementation under test beside upstream Keras.

``--impl refkeras`` (default) compares refkeras with upstream; ``--impl keras``
compares upstream with itself, which must always pass.

Every test cites the spec rules it checks with ``@pytest.mark.spec("area.rule.id", ...)``;
collection fails on a missing or unknown citation, and the session ends with a per-area report
(see ``conformance/_harness``).
"""

from __future__ import annotations

import importlib

import pytest

from conformance._harness import plugin, profiles, spec_markers

profiles.load_profile()


def pytest_addoption(parser):
    parser.addoption("--impl", default="refkeras", choices=("refkeras", "keras"),
                     help="implementation compared against upstream keras")
    parser.addoption("--report-name", default="conformance",
                     help="report files are reports/<name>-<backend>.json and .md")


def pytest_configure(config):
    config.addinivalue_line("markers", "spec(*ids): spec requirement IDs this test checks")
    plugin.register(config, config.getoption("--report-name"), config.getoption("--impl"))


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    """Turns a missing or unknown spec citation into a collection error of its file."""
    report = yield
    if report.passed:
        spec_markers.check_report(report)
    return report


@pytest.fixture(scope="session")
def impl(request):
    """The implementation under test (the module ``refkeras`` or ``keras``)."""
    return importlib.import_module(request.config.getoption("--impl"))


@pytest.fixture(scope="session")
def upstream():
    """Upstream keras 3.15.1, the oracle."""
    return importlib.import_module("keras")
