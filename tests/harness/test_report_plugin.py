"""End-to-end runs of the report plugin and the spec check in a throwaway pytest session.

Each test writes a tiny project into tmp_path and runs pytest on it in a subprocess with two
xdist workers, the way the real suites run, then reads what the plugin wrote.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conformance._harness.spec_ids import REPO_ROOT

REPORTING_CONFTEST = """
import pytest
from conformance._harness import plugin

def pytest_configure(config):
    plugin.register(config, "demo", "refkeras")

def pytest_collection_modifyitems(items):
    for item in items:
        item.user_properties.append((plugin.SPEC_PROPERTY, "demo.rule"))

@pytest.fixture
def broken_setup():
    raise RuntimeError("setup")

@pytest.fixture
def broken_teardown():
    yield
    raise RuntimeError("teardown")
"""

OUTCOME_TESTS = """
import pytest

def test_passes(): pass
def test_fails(): assert False
@pytest.mark.xfail(reason="known")
def test_xfails(): assert False
@pytest.mark.xfail(reason="known")
def test_xpasses(): pass
@pytest.mark.skip(reason="not here")
def test_skipped(): pass
def test_setup_error(broken_setup): pass
def test_teardown_error(broken_teardown): pass
"""


def run_pytest(project: Path, backend: str = "jax") -> subprocess.CompletedProcess:
    env = {**os.environ, "KERAS_BACKEND": backend, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "-p", "no:cacheprovider", str(project)],
        cwd=project, env=env, capture_output=True, text=True, timeout=120,
    )


def test_each_outcome_is_recorded_from_xdist_workers(tmp_path: Path):
    (tmp_path / "conftest.py").write_text(REPORTING_CONFTEST)
    (tmp_path / "test_demo.py").write_text(OUTCOME_TESTS)
    result = run_pytest(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    report = json.loads((tmp_path / "reports" / "demo-jax.json").read_text())
    outcomes = {t["nodeid"].split("::")[1]: t["outcome"] for t in report["tests"]}
    assert outcomes == {
        "test_passes": "passed", "test_fails": "failed", "test_xfails": "xfailed",
        "test_xpasses": "xpassed", "test_skipped": "skipped", "test_setup_error": "error",
        "test_teardown_error": "error",
    }
    assert {t["backend"] for t in report["tests"]} == {"jax"}
    assert all(t["spec_ids"] == ["demo.rule"] for t in report["tests"])
    assert report["runs"] == [{"backend": "jax", "impl": "refkeras", "exit_status": 1}]
    assert "refkeras conformance report" in result.stdout
    assert "`demo.rule` (jax)" in result.stdout  # listed among the failing requirements
    assert (tmp_path / "reports" / "demo-jax.md").exists()


CHECKING_CONFTEST = """
import pytest
from conformance._harness import spec_markers

def pytest_configure(config):
    config.addinivalue_line("markers", "spec(*ids): cited spec rules")

spec_markers.known_ids = lambda: frozenset({"demo.known"})

@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    report = yield
    if report.passed:
        spec_markers.check_report(report)
    return report
"""


def test_bad_citations_fail_collection_under_xdist(tmp_path: Path):
    (tmp_path / "conftest.py").write_text(CHECKING_CONFTEST)
    (tmp_path / "test_good.py").write_text(
        "import pytest\n@pytest.mark.spec('demo.known')\ndef test_ok(): pass\n")
    (tmp_path / "test_unknown.py").write_text(
        "import pytest\n@pytest.mark.spec('demo.typo')\ndef test_unknown(): pass\n")
    (tmp_path / "test_uncited.py").write_text(
        "class TestGroup:\n    def test_uncited(self): pass\n")
    result = run_pytest(tmp_path)
    assert result.returncode != 0
    assert "ERROR collecting test_unknown.py" in result.stdout
    assert "test_unknown.py::test_unknown: cites unknown spec ID 'demo.typo'" in result.stdout
    assert "test_uncited.py::TestGroup::test_uncited: cites no spec ID" in result.stdout
    assert "1 passed" in result.stdout  # the good file still ran
