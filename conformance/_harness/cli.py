"""The commands of ``python3 -m conformance`` (run inside the project's venv).

    python3 -m conformance [report]   conformance suite vs upstream, default backend, per-area report
    python3 -m conformance all        tests/ and conformance/ on jax and tensorflow, ruff, one report
    python3 -m conformance setup      only create/refresh .venv

Each backend gets its own pytest process, because Keras fixes the backend at import.
A run in which no test ran counts as a failure, never as a pass.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from conformance._harness import report as report_mod
from conformance._harness.bootstrap import REPO_ROOT

BACKENDS = ("jax", "tensorflow")
LINT_PATHS = ("refkeras", "tests", "conformance", "asv_benchmarks")
REPORTS_DIR = REPO_ROOT / "reports"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python3 -m conformance", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command")
    report = commands.add_parser("report", help="conformance suite on one backend (default)")
    report.add_argument("--backend", choices=BACKENDS,
                        help="default: $KERAS_BACKEND, else tensorflow")
    everything = commands.add_parser("all", help="every test, both backends, and ruff")
    commands.add_parser("setup", help="only create or refresh .venv")
    for command in (report, everything):
        command.add_argument("--impl", choices=("refkeras", "keras"), default="refkeras",
                             help="implementation compared with upstream (keras: self-check)")
        command.add_argument("-k", dest="keyword", help="pytest -k expression")
        command.add_argument("-n", dest="workers", default="2",
                             help="pytest-xdist workers (default 2; 0 runs in-process)")
        command.add_argument("pytest_args", nargs=argparse.REMAINDER,
                             help="after --: more arguments for pytest")
    return parser


def run_pytest(args: argparse.Namespace, backend: str, paths: list[str], name: str) -> dict:
    """One pytest process on one backend; returns its report (exit status included)."""
    json_path = REPORTS_DIR / f"{name}-{backend}.json"
    json_path.unlink(missing_ok=True)  # never read a previous run's file
    extra = [a for a in args.pytest_args if a != "--"]
    # --durations: the slowest tests are named in every run, to keep the suite's time in view.
    command = [sys.executable, "-m", "pytest", *paths, "-n", args.workers, "--impl", args.impl,
               "--report-name", name, "--durations=10",
               *(["-k", args.keyword] if args.keyword else []), *extra]
    env = {**os.environ, "KERAS_BACKEND": backend}
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    print(f"\n=== KERAS_BACKEND={backend} " + " ".join(command[1:]), flush=True)
    status = subprocess.run(command, cwd=REPO_ROOT, env=env).returncode
    if not json_path.exists():  # pytest died before its session finished
        return {"runs": [{"backend": backend, "impl": args.impl, "exit_status": status}],
                "spec_ids": [], "tests": []}
    result = report_mod.read(json_path)
    result["runs"][0]["exit_status"] = status
    return result


def verdict(result: dict, suites: list[str]) -> str | None:
    """Why a pytest run failed, or None. Exit 5 (nothing collected) and runs in which a suite
    had no test that actually ran are failures too."""
    status = result["runs"][0]["exit_status"]
    if status != 0:
        return f"pytest exit {status}" + (" (no tests collected)" if status == 5 else "")
    ran = {t["suite"] for t in result["tests"] if t["outcome"] != "skipped"}
    missing = [suite for suite in suites if suite not in ran]
    return f"no test ran in {', '.join(missing)}" if missing else None


def command_report(args: argparse.Namespace) -> int:
    backend = args.backend or os.environ.get("KERAS_BACKEND") or "tensorflow"
    result = run_pytest(args, backend, ["conformance"], "conformance")
    problem = verdict(result, [] if args.keyword else ["conformance"])
    print(f"\nreport: {REPORTS_DIR / f'conformance-{backend}.md'}")
    print(f"conformance ({backend}): {problem or 'ok'}")
    return 1 if problem else 0


def command_all(args: argparse.Namespace) -> int:
    lint = subprocess.run([sys.executable, "-m", "ruff", "check", *LINT_PATHS], cwd=REPO_ROOT)
    steps = [("ruff check", f"ruff exit {lint.returncode}" if lint.returncode else None)]
    results = []
    for backend in BACKENDS:
        result = run_pytest(args, backend, ["tests", "conformance"], "all")
        results.append(result)
        suites = [] if args.keyword else ["tests", "conformance"]
        steps.append((f"pytest {backend}", verdict(result, suites)))
    combined = report_mod.merge(results)
    written = report_mod.write(combined, REPORTS_DIR / "all")
    print("\n=== refkeras: combined report (" + ", ".join(str(p) for p in written) + ")")
    print(report_mod.area_table(combined["tests"]) + "\n")
    print(report_mod.spec_summary(combined) + "\n")
    for step, problem in steps:
        print(f"{step}: {problem or 'ok'}")
    failed = [step for step, problem in steps if problem]
    print("FAILED: " + ", ".join(failed) if failed else "ALL PASSED")
    return 1 if failed else 0


def parse(argv: list[str]) -> argparse.Namespace:
    """Parses the command line; with no command given, the command is ``report``."""
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = ["report", *argv]
    return build_parser().parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    if args.command == "setup":
        print(f"environment ready: {sys.executable}")
        return 0
    return command_all(args) if args.command == "all" else command_report(args)
