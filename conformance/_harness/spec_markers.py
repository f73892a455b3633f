"""Collection-time check of ``@pytest.mark.spec``: every conformance test cites known rules.

A test with no citation, or citing an ID that no specs/*.md defines, turns its file's
collection into an error, so a typo cannot quietly drop a requirement from the report. An error
in the collect report (rather than an exception) is what pytest-xdist relays from its workers.
"""

from __future__ import annotations

import functools

import pytest

from conformance._harness.plugin import SPEC_PROPERTY
from conformance._harness.spec_ids import load_rules


@functools.cache
def known_ids() -> frozenset[str]:
    return frozenset(rule.id for rule in load_rules())


def cited(item: pytest.Item) -> list[object]:
    """The spec IDs an item cites, in order, each once (class and module markers count)."""
    return list(dict.fromkeys(arg for mark in item.iter_markers("spec") for arg in mark.args))


def problems(item: pytest.Item) -> list[str]:
    """What is wrong with one test's citations, each with the fix."""
    ids = cited(item)
    if not ids:
        return [f"{item.nodeid}: cites no spec ID. Add @pytest.mark.spec(\"<area>.<rule>\") "
                "naming the specs/<area>.md rule(s) the test checks."]
    return [f"{item.nodeid}: cites unknown spec ID {spec_id!r}. Define it at the start of a rule "
            "line in specs/<area>.md, or fix the citation."
            for spec_id in ids if spec_id not in known_ids()]


def check_report(report: pytest.CollectReport) -> None:
    """Fails a collect report whose tests cite badly; else tags each test with its spec IDs.

    The tags go to ``user_properties``, which travel with every test report (also from xdist
    workers) to the report plugin.
    """
    items = [node for node in report.result if isinstance(node, pytest.Item)]
    found = [problem for item in items for problem in problems(item)]
    if found:
        report.outcome = "failed"
        report.longrepr = "bad spec citations:\n  " + "\n  ".join(found)
        report.result = []
        return
    for item in items:
        item.user_properties.extend((SPEC_PROPERTY, spec_id) for spec_id in cited(item))
