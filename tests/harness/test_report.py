"""The report's pure parts: where a test belongs, merging, and the tables."""

from __future__ import annotations

import pytest

from conformance._harness import report


@pytest.mark.parametrize("nodeid, expected", [
    ("conformance/test_ops.py::test_add[x]", ("conformance", "ops")),
    ("tests/graph/test_node.py::TestNode::test_x", ("tests", "graph")),
    ("tests/test_spec_ids.py::test_x", ("tests", "spec_ids")),
    ("tests/graph/deep/test_node.py::test_x", ("tests", "graph")),
])
def test_locate(nodeid, expected):
    assert report.locate(nodeid) == expected


def record(backend: str, outcome: str, spec_ids=("ops.add",), area="ops") -> dict:
    return {"nodeid": f"conformance/test_{area}.py::t_{outcome}", "suite": "conformance",
            "area": area, "backend": backend, "outcome": outcome, "spec_ids": list(spec_ids),
            "duration": 0.0}


def one_run(backend: str, *tests: dict) -> dict:
    return {"runs": [{"backend": backend, "impl": "refkeras", "exit_status": 0}],
            "spec_ids": ["ops.add", "ops.sub"], "tests": list(tests)}


def test_merge_keeps_every_run_and_test():
    merged = report.merge([one_run("jax", record("jax", "passed")),
                           one_run("tensorflow", record("tensorflow", "failed"))])
    assert [r["backend"] for r in merged["runs"]] == ["jax", "tensorflow"]
    assert len(merged["tests"]) == 2
    assert merged["spec_ids"] == ["ops.add", "ops.sub"]


def test_area_table_counts_per_area_and_backend():
    tests = [record("jax", "passed"), record("jax", "passed"), record("jax", "xfailed"),
             record("tensorflow", "failed")]
    lines = report.area_table(tests).splitlines()
    cells = [[c.strip() for c in line.strip("|").split("|")] for line in lines]
    assert cells[0] == ["area", "backend", *report.OUTCOMES]
    assert cells[2] == ["conformance/ops", "jax", "2", "0", "0", "1", "0", "0"]
    assert cells[3] == ["conformance/ops", "tensorflow", "0", "1", "0", "0", "0", "0"]
    assert cells[4] == ["**total**", "", "2", "1", "0", "1", "0", "0"]


def test_failing_specs_lists_failed_and_erroring_tests_only():
    tests = [record("jax", "failed", ["ops.add"]), record("tensorflow", "error", ["ops.add"]),
             record("jax", "xfailed", ["ops.sub"]), record("jax", "skipped", ["ops.sub"])]
    failing = report.failing_specs(tests)
    assert list(failing) == ["ops.add"]
    assert [backend for backend, _ in failing["ops.add"]] == ["jax", "tensorflow"]


def test_spec_summary_counts_defined_exercised_failing():
    summary = report.spec_summary(one_run("jax", record("jax", "failed", ["ops.add"])))
    assert summary.splitlines()[0] == "Spec requirements: 2 defined, 1 exercised, 1 failing."
