"""The conformance report: per-test records, their JSON file, and the Markdown tables.

A report is a plain dict, so the runner can merge the files of several pytest processes (one
per backend) without importing pytest:

    {"runs": [{"backend", "impl", "exit_status"}],
     "spec_ids": [every ID defined in specs/],
     "tests": [{"nodeid", "suite", "area", "backend", "outcome", "spec_ids", "duration"}]}
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

OUTCOMES = ("passed", "failed", "error", "xfailed", "xpassed", "skipped")
FAILING = ("failed", "error")


def locate(nodeid: str) -> tuple[str, str]:
    """``(suite, area)`` of a test from its node ID.

    ``conformance/test_ops.py::...`` is suite ``conformance``, area ``ops``;
    ``tests/graph/test_node.py::...`` is suite ``tests``, area ``graph``;
    ``tests/test_spec_ids.py::...`` is suite ``tests``, area ``spec_ids``.
    """
    parts = nodeid.split("::", 1)[0].split("/")
    suite = parts[0] if len(parts) > 1 else ""
    if len(parts) > 2:
        return suite, parts[1]
    stem = parts[-1].removesuffix(".py")
    return suite, stem.removeprefix("test_")


def merge(reports: list[dict]) -> dict:
    """One report holding the runs and tests of several (e.g. one per backend)."""
    return {
        "runs": [run for report in reports for run in report["runs"]],
        "spec_ids": sorted({i for report in reports for i in report["spec_ids"]}),
        "tests": [test for report in reports for test in report["tests"]],
    }


def write(report: dict, stem: Path) -> list[Path]:
    """Writes ``stem.json`` and ``stem.md``; returns both paths."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    json_path, md_path = stem.with_suffix(".json"), stem.with_suffix(".md")
    json_path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    md_path.write_text(render_markdown(report), encoding="utf-8")
    return [json_path, md_path]


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def area_table(tests: list[dict]) -> str:
    """Markdown table: one row per (suite/area, backend), one column per outcome."""
    counts: dict[tuple[str, str], Counter] = {}
    for test in tests:
        area = f"{test['suite']}/{test['area']}" if test["suite"] else test["area"]
        counts.setdefault((area, test["backend"]), Counter())[test["outcome"]] += 1
    total = Counter()
    for counter in counts.values():
        total.update(counter)
    header = ("area", "backend", *OUTCOMES)
    rows = [(area, backend, *(str(c[o]) for o in OUTCOMES))
            for (area, backend), c in sorted(counts.items())]
    rows.append(("**total**", "", *(str(total[o]) for o in OUTCOMES)))
    return _table(header, rows)


def failing_specs(tests: list[dict]) -> dict[str, list[tuple[str, str]]]:
    """Spec ID -> ``(backend, nodeid)`` of each failed or erroring test that cites it."""
    failing: dict[str, list[tuple[str, str]]] = {}
    for test in tests:
        if test["outcome"] in FAILING:
            for spec_id in test["spec_ids"]:
                failing.setdefault(spec_id, []).append((test["backend"], test["nodeid"]))
    return dict(sorted(failing.items()))


def spec_summary(report: dict) -> str:
    """How many spec requirements ran, and which failed (with the tests that show it)."""
    tests = report["tests"]
    exercised = {i for test in tests if test["outcome"] != "skipped" for i in test["spec_ids"]}
    failing = failing_specs(tests)
    lines = [
        f"Spec requirements: {len(report['spec_ids'])} defined, {len(exercised)} exercised, "
        f"{len(failing)} failing."
    ]
    for spec_id, where in failing.items():
        backends = ", ".join(sorted({backend for backend, _ in where}))
        lines.append(f"- `{spec_id}` ({backends})")
        lines.extend(f"  - {backend}: `{nodeid}`" for backend, nodeid in where)
    return "\n".join(lines)


def render_markdown(report: dict) -> str:
    runs = ", ".join(
        f"{run['backend']} (impl={run['impl']}, pytest exit {run['exit_status']})"
        for run in report["runs"]
    )
    return (f"# refkeras conformance report\n\nRuns: {runs}\n\n"
            f"{area_table(report['tests'])}\n\n{spec_summary(report)}\n")


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    # Padded so the Markdown also reads as a table in a terminal.
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), rule, *(line(row) for row in rows)])
