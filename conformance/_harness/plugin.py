"""pytest plugin that records every test's outcome and writes the conformance report.

Under pytest-xdist the controller receives each worker's reports through
``pytest_runtest_logreport`` (with the ``user_properties`` set on the worker), so recording
happens only where no ``workerinput`` exists: the controller, or the single process without -n.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conformance._harness import report as report_mod
from conformance._harness.spec_ids import load_rules

SPEC_PROPERTY = "spec"  # user_properties key under which each cited spec ID travels


def keras_backend() -> str:
    """The backend this process tests (keras and refkeras both default to TensorFlow)."""
    return os.environ.get("KERAS_BACKEND") or "tensorflow"


class ReportPlugin:
    """Collects one record per test and writes ``reports/<name>-<backend>.{json,md}``."""

    def __init__(self, config: pytest.Config, name: str, impl: str) -> None:
        self.stem = Path(config.rootpath) / "reports" / f"{name}-{keras_backend()}"
        self.impl = impl
        self.tests: dict[str, dict] = {}
        self.written: list[Path] = []
        self.report: dict | None = None

    def _record(self, nodeid: str, outcome: str, spec_ids: list[str], duration: float) -> None:
        suite, area = report_mod.locate(nodeid)
        entry = self.tests.setdefault(nodeid, {
            "nodeid": nodeid, "suite": suite, "area": area, "backend": keras_backend(),
            "outcome": outcome, "spec_ids": spec_ids, "duration": 0.0,
        })
        entry["duration"] = round(entry["duration"] + duration, 4)
        # Phases arrive in order; a failing verdict stands (e.g. a failed call, then a teardown
        # error), anything else is replaced by a later phase's (a teardown error after a pass).
        if entry["outcome"] not in report_mod.FAILING:
            entry["outcome"] = outcome

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        outcome = _outcome(report)
        if outcome is None:
            return
        spec_ids = [value for key, value in report.user_properties if key == SPEC_PROPERTY]
        self._record(report.nodeid, outcome, spec_ids, report.duration)

    @pytest.hookimpl
    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:  # an import error in a test file: count it against its area
            self._record(report.nodeid or "<collection>", "error", [], 0.0)

    @pytest.hookimpl
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        self.report = {
            "runs": [{"backend": keras_backend(), "impl": self.impl, "exit_status": int(exitstatus)}],
            "spec_ids": sorted({rule.id for rule in load_rules()}),
            "tests": sorted(self.tests.values(), key=lambda t: t["nodeid"]),
        }
        self.written = report_mod.write(self.report, self.stem)

    @pytest.hookimpl
    def pytest_terminal_summary(self, terminalreporter) -> None:
        if self.report is None:
            return
        terminalreporter.section("refkeras conformance report")
        terminalreporter.write_line(report_mod.area_table(self.report["tests"]))
        terminalreporter.write_line("")
        terminalreporter.write_line(report_mod.spec_summary(self.report))
        terminalreporter.write_line("written: " + ", ".join(str(p) for p in self.written))


def _outcome(report: pytest.TestReport) -> str | None:
    """The verdict one phase report gives, or None when the phase says nothing new."""
    xfail = hasattr(report, "wasxfail")
    if report.when == "call":
        if report.passed:
            return "xpassed" if xfail else "passed"
        if report.skipped:
            return "xfailed" if xfail else "skipped"
        return "failed"
    if report.failed:  # setup or teardown raised: the test itself never got a verdict
        return "error"
    if report.when == "setup" and report.skipped:
        return "xfailed" if xfail else "skipped"
    return None


def register(config: pytest.Config, name: str, impl: str) -> None:
    """Adds the plugin once per process, only where results arrive (not on xdist workers)."""
    if hasattr(config, "workerinput") or config.pluginmanager.has_plugin("refkeras-report"):
        return
    config.pluginmanager.register(ReportPlugin(config, name, impl), "refkeras-report")
