"""The runner's verdict on a pytest run and its argument handling."""

from __future__ import annotations

import pytest

from conformance._harness import cli


def result(status: int, *outcomes: tuple[str, str]) -> dict:
    return {"runs": [{"backend": "jax", "impl": "refkeras", "exit_status": status}],
            "tests": [{"suite": suite, "outcome": outcome} for suite, outcome in outcomes]}


def test_clean_run_passes():
    ran = result(0, ("tests", "passed"), ("conformance", "xfailed"))
    assert cli.verdict(ran, ["tests", "conformance"]) is None


@pytest.mark.parametrize("status, message", [
    (1, "pytest exit 1"),
    (5, "pytest exit 5 (no tests collected)"),
])
def test_nonzero_exit_fails(status, message):
    assert cli.verdict(result(status), []) == message


def test_suite_where_nothing_ran_fails():
    skipped_only = result(0, ("tests", "passed"), ("conformance", "skipped"))
    assert cli.verdict(skipped_only, ["tests", "conformance"]) == "no test ran in conformance"


@pytest.mark.parametrize("argv, command", [
    ([], "report"), (["--impl", "keras"], "report"), (["all", "-k", "add"], "all"),
])
def test_report_is_the_default_command(argv, command):
    assert cli.parse(argv).command == command


def test_arguments_after_double_dash_reach_pytest():
    args = cli.parse(["all", "-n", "0", "--", "-x", "--lf"])
    assert (args.workers, args.pytest_args) == ("0", ["--", "-x", "--lf"])
